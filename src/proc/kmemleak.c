/* SPDX-License-Identifier: MIT */
/*
 * /sys/kernel/debug/kmemleak: reading lists the suspects of the last scan;
 * writing "scan" takes every object allocated now as a suspect, "clear"
 * forgets the current suspects. Without kmemleak=on, a write fails with
 * EPERM (the kernel's "kmemleak disabled") and a read is empty.
 */
#include <errno.h>
#include <string.h>

#include "seq.h"
#include "../core/internal.h"

static void seq_line(void *arg, const char *line)
{
	kmm_seq_printf(arg, "%s\n", line);
}

void kmm_proc_kmemleak_show(struct kmm_machine *m, struct kmm_seq *s)
{
	kmm_kmemleak_report(m, false, seq_line, s);
}

int kmm_proc_kmemleak_write(struct kmm_machine *m, const char *value)
{
	size_t n = strlen(value);

	if (!m->kmemleak)
		return -EPERM;
	if (n && value[n - 1] == '\n')
		n--;
	if (n == 4 && !strncmp(value, "scan", 4)) {
		kmm_kmemleak_scan(m);
		return 0;
	}
	if (n == 5 && !strncmp(value, "clear", 5)) {
		kmm_kmemleak_clear(m);
		return 0;
	}
	return -EINVAL;
}
