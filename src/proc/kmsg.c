/* SPDX-License-Identifier: MIT */
/*
 * /dev/kmsg: every record of the log as "PRIO,SEQ,TS_USEC,-;TEXT\n", with
 * non-printable bytes escaped as \xNN, as the kernel writes them (kernel
 * messages have facility 0, so PRIO is the level). And
 * /proc/sys/kernel/printk: console_loglevel, default_message_loglevel,
 * minimum_console_loglevel, default_console_loglevel.
 */
#include "seq.h"

static void kmsg_record(void *arg, const struct kmm_log_record *r)
{
	struct kmm_seq *s = arg;

	kmm_seq_printf(s, "%d,%llu,%llu,-;", r->level, (unsigned long long)r->seq,
		       (unsigned long long)(r->ts_ns / 1000));
	for (size_t i = 0; i < r->len; i++) {
		unsigned char c = (unsigned char)r->text[i];

		if (c < ' ' || c >= 127 || c == '\\')
			kmm_seq_printf(s, "\\x%02x", c);
		else
			kmm_seq_putc(s, (char)c);
	}
	kmm_seq_putc(s, '\n');
}

void kmm_proc_kmsg_show(struct kmm_machine *m, struct kmm_seq *s)
{
	kmm_log_walk(&m->log, 0, kmsg_record, s);
}

void kmm_proc_printk_show(struct kmm_machine *m, struct kmm_seq *s)
{
	kmm_seq_printf(s, "%d\t%d\t%d\t%d\n", m->log.console_loglevel, KMM_LOGLEVEL_DEFAULT, 1,
		       KMM_CONSOLE_LOGLEVEL_DEFAULT);
}

int kmm_proc_printk_write(struct kmm_machine *m, const char *value)
{
	int v = 0, digits = 0;

	while (*value == ' ' || *value == '\t')
		value++;
	for (; *value >= '0' && *value <= '9' && digits < 3; value++, digits++)
		v = v * 10 + (*value - '0');
	/* the other three numbers may follow; they are accepted and kept as they are */
	if (!digits || (*value && *value != ' ' && *value != '\t' && *value != '\n') || v > 15)
		return -22;
	if (v < 1)
		v = 1;	/* minimum_console_loglevel */
	m->log.console_loglevel = v;
	return 0;
}
