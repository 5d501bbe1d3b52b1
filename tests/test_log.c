/* SPDX-License-Identifier: MIT */
/*
 * The kernel log (src/core/printk.c) as a user sees it: printk levels,
 * one record per line, KERN_CONT, /dev/kmsg's "LEVEL,SEQ,USEC,-;TEXT"
 * lines, the ring dropping its oldest records, /proc/sys/kernel/printk,
 * the console echo on stderr and printk from several tasks at once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kmm/kmm.h>

#include "core/printk.h"
#include "kunit.h"

#define PRINTK_SYSCTL "/proc/sys/kernel/printk"

/* ---- helpers ---- */

/* A whole file, malloc'd (free it); NULL if kmm_proc_read fails. */
static char *read_all(struct kmm_machine *m, const char *path)
{
	long len = kmm_proc_read(m, path, NULL, 0);
	char *buf;

	if (len < 0)
		return NULL;
	buf = malloc((size_t)len + 1);
	if (!buf)
		return NULL;
	if (kmm_proc_read(m, path, buf, (size_t)len + 1) != len) {
		free(buf);
		return NULL;
	}
	return buf;
}

struct rec {
	int level;
	unsigned long long seq, usec;
	char *text;		/* as /dev/kmsg shows it (escaped), NUL-terminated */
};

struct kmsg {
	char *raw;
	struct rec *r;
	size_t n;
	int malformed;		/* lines not of the form LEVEL,SEQ,USEC,-;TEXT */
};

static bool all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * Parses /dev/kmsg strictly: decimal fields, "-;" then the text in which
 * only printable ASCII appears and every backslash starts a \xNN escape.
 */
static void kmsg_read(struct kmm_machine *m, struct kmsg *k)
{
	char *line, *save = NULL;
	size_t cap = 0;

	memset(k, 0, sizeof(*k));
	k->raw = read_all(m, "/dev/kmsg");
	if (!k->raw) {
		k->malformed = 1;
		return;
	}
	if (*k->raw && k->raw[strlen(k->raw) - 1] != '\n')
		k->malformed++;
	for (line = strtok_r(k->raw, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
		char *c3 = c2 ? strchr(c2 + 1, ',') : NULL;
		struct rec r;

		/* LEVEL,SEQ,USEC,-;TEXT with decimal fields */
		if (!c3 || strncmp(c3 + 1, "-;", 2) || !all_digits(line, (size_t)(c1 - line)) ||
		    !all_digits(c1 + 1, (size_t)(c2 - c1 - 1)) ||
		    !all_digits(c2 + 1, (size_t)(c3 - c2 - 1))) {
			k->malformed++;
			continue;
		}
		r.level = atoi(line);
		r.seq = strtoull(c1 + 1, NULL, 10);
		r.usec = strtoull(c2 + 1, NULL, 10);
		r.text = c3 + 3;
		for (const char *t = r.text; *t; t++) {
			unsigned char ch = (unsigned char)*t;

			if (ch < ' ' || ch >= 127)
				k->malformed++;
			if (ch == '\\') {
				if (t[1] != 'x' || !strchr("0123456789abcdef", t[2]) || !t[2] ||
				    !strchr("0123456789abcdef", t[3]) || !t[3])
					k->malformed++;
				else
					t += 3;
			}
		}
		if (k->n == cap) {
			cap = cap ? cap * 2 : 256;
			k->r = realloc(k->r, cap * sizeof(*k->r));
			if (!k->r)
				abort();
		}
		k->r[k->n++] = r;
	}
}

static void kmsg_free(struct kmsg *k)
{
	free(k->raw);
	free(k->r);
}

/* The last record whose text is exactly text, or NULL. */
static const struct rec *kmsg_find(const struct kmsg *k, const char *text)
{
	for (size_t i = k->n; i-- > 0;)
		if (!strcmp(k->r[i].text, text))
			return &k->r[i];
	return NULL;
}

/* Sequence numbers consecutive, timestamps non-decreasing; the count of faults. */
static int kmsg_order_faults(const struct kmsg *k, bool check_time)
{
	int bad = 0;

	for (size_t i = 1; i < k->n; i++) {
		if (k->r[i].seq != k->r[i - 1].seq + 1)
			bad++;
		if (check_time && k->r[i].usec < k->r[i - 1].usec)
			bad++;
	}
	return bad;
}

/* ---- capturing stderr (the console) ---- */

struct capture {
	FILE *f;
	int saved;
};

static int capture_begin(struct capture *c)
{
	fflush(stderr);
	c->f = tmpfile();
	if (!c->f)
		return -1;
	c->saved = dup(STDERR_FILENO);
	if (c->saved < 0 || dup2(fileno(c->f), STDERR_FILENO) < 0)
		return -1;
	return 0;
}

/* Restores stderr; returns what was written meanwhile (free it). */
static char *capture_end(struct capture *c)
{
	long len;
	char *s;

	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	len = ftell(c->f);
	if (len < 0)
		len = 0;
	s = calloc(1, (size_t)len + 1);
	rewind(c->f);
	if (s && len && fread(s, 1, (size_t)len, c->f) != (size_t)len)
		s[0] = '\0';
	fclose(c->f);
	return s;
}

/*
 * Number of console lines "[SSSSS.UUUUUU] TEXT\n" (seconds right-aligned in
 * five columns, six digits of microseconds) with exactly this text; -1 if
 * any line of out is not in that form.
 */
static int console_count(const char *out, const char *text)
{
	int n = 0;

	for (const char *p = out; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (!nl || len < 15 || p[0] != '[' || p[6] != '.' || p[13] != ']' || p[14] != ' ' ||
		    !all_digits(p + 7, 6))
			return -1;
		for (int i = 1; i < 6; i++)
			if (!(p[i] == ' ' || (p[i] >= '0' && p[i] <= '9')))
				return -1;
		if (p[5] == ' ')
			return -1;
		if (len - 15 == strlen(text) && !memcmp(p + 15, text, len - 15))
			n++;
		p = nl + 1;
	}
	return n;
}

static struct kmm_machine *boot(struct kunit *test, const char *cmdline)
{
	struct kmm_machine *m = kmm_boot(cmdline);

	if (!m) {
		KUNIT_FAIL_MSG(test, "kmm_boot(\"%s\") failed: %s", cmdline, kmm_last_error());
		longjmp(test->abort, 1);
	}
	return m;
}

/* ---- cases ---- */

static void log_levels_in_kmsg(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "quiet");
	struct capture cap;
	struct kmsg k;
	const struct rec *r;
	char *out;

	KUNIT_ASSERT_EQ(test, capture_begin(&cap), 0);
	kmm_printk(m, KMM_KERN_EMERG "emerg %d\n", 0);
	kmm_printk(m, KMM_KERN_ALERT "alert %d\n", 1);
	kmm_printk(m, KMM_KERN_CRIT "crit %d\n", 2);
	kmm_printk(m, KMM_KERN_ERR "err %d\n", 3);
	kmm_printk(m, KMM_KERN_WARNING "warning %d\n", 4);
	kmm_printk(m, KMM_KERN_NOTICE "notice %d\n", 5);
	kmm_printk(m, KMM_KERN_INFO "info %d\n", 6);
	kmm_printk(m, KMM_KERN_DEBUG "debug %d\n", 7);
	kmm_printk(m, "no level %s\n", "given");
	kmm_printk(m, "\001" "3" "literal err\n");
	out = capture_end(&cap);

	kmsg_read(m, &k);
	KUNIT_EXPECT_EQ(test, k.malformed, 0);
	KUNIT_ASSERT_GE(test, k.n, 11);
	/* the log starts with the boot messages, seq 0 */
	KUNIT_EXPECT_EQ(test, k.r[0].seq, 0);
	KUNIT_EXPECT_STRSTR(test, k.r[0].text, "kmm version");
	KUNIT_EXPECT_NOT_NULL(test, kmsg_find(&k, "Command line: quiet"));
	KUNIT_EXPECT_EQ(test, kmsg_order_faults(&k, true), 0);

	static const char *const names[] = { "emerg", "alert", "crit", "err", "warning",
					     "notice", "info", "debug" };

	for (int lvl = 0; lvl < 8; lvl++) {
		char text[32];

		snprintf(text, sizeof(text), "%s %d", names[lvl], lvl);
		r = kmsg_find(&k, text);
		KUNIT_EXPECT_NOT_NULL(test, r);
		if (r)
			KUNIT_EXPECT_EQ(test, r->level, lvl);
	}
	/* the level prefix itself is not part of the text */
	KUNIT_EXPECT_NOT_STRSTR(test, k.raw, "\\x01");
	/* no prefix: MESSAGE_LOGLEVEL_DEFAULT, 4 */
	r = kmsg_find(&k, "no level given");
	KUNIT_EXPECT_NOT_NULL(test, r);
	if (r)
		KUNIT_EXPECT_EQ(test, r->level, 4);
	r = kmsg_find(&k, "literal err");
	KUNIT_EXPECT_NOT_NULL(test, r);
	if (r) {
		KUNIT_EXPECT_EQ(test, r->level, 3);
		/* the newest record is the last line */
		KUNIT_EXPECT_TRUE(test, r == &k.r[k.n - 1]);
	}
	/* the ten records are consecutive: seq of "emerg 0" + 9 == seq of the last */
	r = kmsg_find(&k, "emerg 0");
	if (r)
		KUNIT_EXPECT_EQ(test, r->seq + 9, k.r[k.n - 1].seq);
	kmsg_free(&k);
	free(out);
	kmm_shutdown(m);
}

static void log_kmsg_exact_and_escaping(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "quiet");
	struct kmsg k;
	char *raw, small[16], want[256];
	long full;

	kmm_printk(m, KMM_KERN_INFO "tab\there back\\slash bell\a del\x7f utf8 \xc3\xa9 cr\r end\n");
	kmm_printk(m, KMM_KERN_NOTICE "percent %% and %s\n", "args");
	kmsg_read(m, &k);
	KUNIT_EXPECT_EQ(test, k.malformed, 0);
	KUNIT_ASSERT_GE(test, k.n, 2);

	const struct rec *a = &k.r[k.n - 2], *b = &k.r[k.n - 1];

	KUNIT_EXPECT_STREQ(test, a->text,
			   "tab\\x09here back\\x5cslash bell\\x07 del\\x7f utf8 \\xc3\\xa9 cr\\x0d end");
	KUNIT_EXPECT_EQ(test, a->level, 6);
	KUNIT_EXPECT_STREQ(test, b->text, "percent % and args");
	KUNIT_EXPECT_EQ(test, b->level, 5);
	KUNIT_EXPECT_EQ(test, b->seq, a->seq + 1);
	KUNIT_EXPECT_GE(test, b->usec, a->usec);

	/* the whole line, byte for byte */
	raw = read_all(m, "/dev/kmsg");
	KUNIT_ASSERT_NOT_NULL(test, raw);
	snprintf(want, sizeof(want), "\n5,%llu,%llu,-;percent %% and args\n", b->seq, b->usec);
	KUNIT_EXPECT_STRSTR(test, raw, want);
	KUNIT_EXPECT_EQ(test, strcmp(raw + strlen(raw) - strlen(want), want), 0);

	/* kmm_proc_read: the full length whatever the buffer, truncated and terminated */
	full = (long)strlen(raw);
	memset(small, 'Z', sizeof(small));
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/dev/kmsg", small, 10), full);
	KUNIT_EXPECT_EQ(test, small[9], '\0');
	KUNIT_EXPECT_EQ(test, memcmp(small, raw, 9), 0);
	KUNIT_EXPECT_EQ(test, small[10], 'Z');
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/dev/kmsg", NULL, 0), full);
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/dev/nope", small, sizeof(small)), -ENOENT);
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/dev/kmsg", NULL, 10), -EINVAL);
	free(raw);
	kmsg_free(&k);
	kmm_shutdown(m);
}

static void log_multiline_one_record_per_line(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "quiet");
	struct kmsg k;

	kmm_printk(m, KMM_KERN_INFO "line one\nline %s\nline %d\n", "two", 3);
	kmm_printk(m, KMM_KERN_DEBUG "after\n");
	kmsg_read(m, &k);
	KUNIT_EXPECT_EQ(test, k.malformed, 0);
	KUNIT_ASSERT_GE(test, k.n, 4);
	KUNIT_EXPECT_STREQ(test, k.r[k.n - 4].text, "line one");
	KUNIT_EXPECT_STREQ(test, k.r[k.n - 3].text, "line two");
	KUNIT_EXPECT_STREQ(test, k.r[k.n - 2].text, "line 3");
	KUNIT_EXPECT_STREQ(test, k.r[k.n - 1].text, "after");
	/* every line keeps the printk's level */
	KUNIT_EXPECT_EQ(test, k.r[k.n - 4].level, 6);
	KUNIT_EXPECT_EQ(test, k.r[k.n - 3].level, 6);
	KUNIT_EXPECT_EQ(test, k.r[k.n - 2].level, 6);
	KUNIT_EXPECT_EQ(test, k.r[k.n - 1].level, 7);
	KUNIT_EXPECT_EQ(test, kmsg_order_faults(&k, true), 0);
	/* no record holds a newline */
	KUNIT_EXPECT_NOT_STRSTR(test, k.raw, "\\x0a");
	kmsg_free(&k);
	kmm_shutdown(m);
}

static void log_cont_joins_a_line(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "quiet");
	struct kmsg k;
	const struct rec *r;

	kmm_printk(m, KMM_KERN_INFO "Zones:");
	kmm_printk(m, KMM_KERN_CONT " DMA");
	kmm_printk(m, KMM_KERN_CONT " DMA32=%d", 32);
	kmm_printk(m, KMM_KERN_CONT " Normal\n");
	kmm_printk(m, KMM_KERN_NOTICE "next line\n");
	/* an unfinished line ends when another printk starts */
	kmm_printk(m, KMM_KERN_DEBUG "unfinished");
	kmm_printk(m, KMM_KERN_INFO "interrupting\n");
	kmsg_read(m, &k);
	KUNIT_EXPECT_EQ(test, k.malformed, 0);
	KUNIT_ASSERT_GE(test, k.n, 4);
	KUNIT_EXPECT_STREQ(test, k.r[k.n - 4].text, "Zones: DMA DMA32=32 Normal");
	KUNIT_EXPECT_EQ(test, k.r[k.n - 4].level, 6);
	KUNIT_EXPECT_STREQ(test, k.r[k.n - 3].text, "next line");
	KUNIT_EXPECT_EQ(test, k.r[k.n - 3].level, 5);
	KUNIT_EXPECT_STREQ(test, k.r[k.n - 2].text, "unfinished");
	KUNIT_EXPECT_EQ(test, k.r[k.n - 2].level, 7);
	KUNIT_EXPECT_STREQ(test, k.r[k.n - 1].text, "interrupting");
	KUNIT_EXPECT_EQ(test, k.r[k.n - 1].level, 6);
	/* the pieces left no records of their own */
	KUNIT_EXPECT_NULL(test, kmsg_find(&k, "Zones:"));
	KUNIT_EXPECT_NULL(test, kmsg_find(&k, " DMA"));
	KUNIT_EXPECT_EQ(test, kmsg_order_faults(&k, true), 0);
	kmsg_free(&k);

	/* a continuation with a newline in the middle: the rest is a line of its own */
	kmm_printk(m, KMM_KERN_INFO "begin");
	kmm_printk(m, KMM_KERN_CONT " end\nown line\n");
	kmsg_read(m, &k);
	KUNIT_ASSERT_GE(test, k.n, 2);
	KUNIT_EXPECT_STREQ(test, k.r[k.n - 2].text, "begin end");
	KUNIT_EXPECT_STREQ(test, k.r[k.n - 1].text, "own line");
	kmsg_free(&k);

	/* KERN_CONT with nothing to continue starts a line at the default level */
	kmm_printk(m, KMM_KERN_CONT "orphan\n");
	kmsg_read(m, &k);
	r = k.n ? &k.r[k.n - 1] : NULL;
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_STREQ(test, r->text, "orphan");
	KUNIT_EXPECT_EQ(test, r->level, 4);
	kmsg_free(&k);
	kmm_shutdown(m);
}

static void log_long_line_truncated(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "quiet");
	struct kmsg k;
	char line[1500];

	for (size_t i = 0; i < sizeof(line) - 1; i++)
		line[i] = (char)('a' + i % 26);
	line[sizeof(line) - 1] = '\0';
	kmm_printk(m, KMM_KERN_INFO "%s\n", line);
	kmm_printk(m, KMM_KERN_INFO "short\n");
	kmsg_read(m, &k);
	KUNIT_EXPECT_EQ(test, k.malformed, 0);
	KUNIT_ASSERT_GE(test, k.n, 2);
	KUNIT_EXPECT_EQ(test, strlen(k.r[k.n - 2].text), KMM_LOG_LINE_MAX);
	KUNIT_EXPECT_EQ(test, strncmp(k.r[k.n - 2].text, line, KMM_LOG_LINE_MAX), 0);
	KUNIT_EXPECT_STREQ(test, k.r[k.n - 1].text, "short");
	KUNIT_EXPECT_EQ(test, k.r[k.n - 1].seq, k.r[k.n - 2].seq + 1);
	kmsg_free(&k);
	kmm_shutdown(m);
}

/* Line i of the wrap test: its length and bytes follow from i. */
static void wrap_text(unsigned int i, char *buf, size_t len)
{
	int n = snprintf(buf, len, "wrap %06u ", i);
	size_t extra = (i * 37u) % 180u;

	for (size_t j = 0; j < extra && (size_t)n + j + 1 < len; j++)
		buf[n + j] = (char)('A' + (i + j) % 26);
	buf[(size_t)n + extra < len ? (size_t)n + extra : len - 1] = '\0';
}

static void log_ring_wraps(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "quiet");
	const unsigned int lines = 30000;
	unsigned long long boot_records;
	struct kmsg k;
	char text[256];

	kmsg_read(m, &k);
	KUNIT_ASSERT_GE(test, k.n, 5);
	KUNIT_EXPECT_EQ(test, k.r[0].seq, 0);
	boot_records = k.n;
	kmsg_free(&k);

	for (unsigned int i = 0; i < lines; i++) {
		wrap_text(i, text, sizeof(text));
		kmm_printk(m, KMM_KERN_DEBUG "%s\n", text);
		if (i % 7919 == 0) {
			/* the ring stays readable and consistent on the way */
			kmsg_read(m, &k);
			KUNIT_EXPECT_EQ(test, k.malformed, 0);
			KUNIT_EXPECT_EQ(test, kmsg_order_faults(&k, true), 0);
			KUNIT_EXPECT_EQ(test, k.n ? k.r[k.n - 1].seq : 0, boot_records + i);
			kmsg_free(&k);
		}
	}
	kmsg_read(m, &k);
	KUNIT_EXPECT_EQ(test, k.malformed, 0);
	KUNIT_ASSERT_GE(test, k.n, 100);
	/* the oldest records went, the newest is there */
	KUNIT_EXPECT_LT(test, k.n, lines);
	KUNIT_EXPECT_GT(test, k.r[0].seq, boot_records);
	KUNIT_EXPECT_NULL(test, kmsg_find(&k, "Command line: quiet"));
	KUNIT_EXPECT_EQ(test, k.r[k.n - 1].seq, boot_records + lines - 1);
	wrap_text(lines - 1, text, sizeof(text));
	KUNIT_EXPECT_STREQ(test, k.r[k.n - 1].text, text);
	/* the count matches the sequence numbers: no gap, no duplicate */
	KUNIT_EXPECT_EQ(test, k.r[k.n - 1].seq - k.r[0].seq + 1, k.n);
	KUNIT_EXPECT_EQ(test, kmsg_order_faults(&k, true), 0);
	/* every surviving record is intact: its text is the line of its seq */
	int bad = 0;

	for (size_t i = 0; i < k.n; i++) {
		wrap_text((unsigned int)(k.r[i].seq - boot_records), text, sizeof(text));
		if (strcmp(k.r[i].text, text) || k.r[i].level != 7)
			bad++;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	kmsg_free(&k);

	/* and it goes on working: a new line lands after the last */
	kmm_printk(m, KMM_KERN_WARNING "after the wrap\n");
	kmsg_read(m, &k);
	KUNIT_ASSERT_GE(test, k.n, 1);
	KUNIT_EXPECT_STREQ(test, k.r[k.n - 1].text, "after the wrap");
	KUNIT_EXPECT_EQ(test, k.r[k.n - 1].seq, boot_records + lines);
	kmsg_free(&k);
	kmm_shutdown(m);
}

static void expect_printk_sysctl(struct kunit *test, const char *cmdline, const char *want)
{
	struct kmm_machine *m = boot(test, cmdline);
	char buf[64];

	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, PRINTK_SYSCTL, buf, sizeof(buf)), (long)strlen(want));
	KUNIT_EXPECT_STREQ(test, buf, want);
	kmm_shutdown(m);
}

static void log_printk_sysctl_read(struct kunit *test)
{
	struct capture cap;

	KUNIT_ASSERT_EQ(test, capture_begin(&cap), 0);	/* the default boot echoes its log */
	expect_printk_sysctl(test, "", "7\t4\t1\t7\n");
	free(capture_end(&cap));
	expect_printk_sysctl(test, "quiet", "4\t4\t1\t7\n");
	expect_printk_sysctl(test, "loglevel=1", "1\t4\t1\t7\n");
	expect_printk_sysctl(test, "loglevel=3 profile=at91rm9200", "3\t4\t1\t7\n");
	expect_printk_sysctl(test, "quiet loglevel=2", "2\t4\t1\t7\n");
	KUNIT_ASSERT_EQ(test, capture_begin(&cap), 0);
	expect_printk_sysctl(test, "loglevel=8", "8\t4\t1\t7\n");
	free(capture_end(&cap));

	/* a bad loglevel= fails the boot, naming the parameter */
	static const char *const bad[] = { "loglevel=banana", "loglevel=16", "loglevel=-1",
					   "loglevel=" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kmm_machine *m = kmm_boot(bad[i]);

		KUNIT_EXPECT_NULL(test, m);
		if (m)
			kmm_shutdown(m);
		else
			KUNIT_EXPECT_STRSTR(test, kmm_last_error(), "loglevel");
	}
}

static void log_printk_sysctl_write(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "quiet");
	char buf[64];

	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, PRINTK_SYSCTL, "3"), 0);
	kmm_proc_read(m, PRINTK_SYSCTL, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "3\t4\t1\t7\n");
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, PRINTK_SYSCTL, "6\n"), 0);
	kmm_proc_read(m, PRINTK_SYSCTL, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "6\t4\t1\t7\n");
	/* all four numbers, as `echo "2 4 1 7" > /proc/sys/kernel/printk` writes them */
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, PRINTK_SYSCTL, "2 4 1 7"), 0);
	kmm_proc_read(m, PRINTK_SYSCTL, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "2\t4\t1\t7\n");
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, PRINTK_SYSCTL, "8"), 0);
	kmm_proc_read(m, PRINTK_SYSCTL, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "8\t4\t1\t7\n");

	/* bad values: -EINVAL, and the level stays */
	static const char *const bad[] = { "", "abc", "3x", "-1", "99", "x3", "\n" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = kmm_proc_write(m, PRINTK_SYSCTL, bad[i]);

		if (ret != -22)
			KUNIT_FAIL_MSG(test, "writing \"%s\" returned %d, not -EINVAL", bad[i], ret);
	}
	kmm_proc_read(m, PRINTK_SYSCTL, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "8\t4\t1\t7\n");

	/* other files: read-only, or absent */
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/dev/kmsg", "3"), -EACCES);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/sys/kernel/nope", "3"), -ENOENT);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, PRINTK_SYSCTL, NULL), -EINVAL);
	kmm_shutdown(m);
}

static void log_console_echo(struct kunit *test)
{
	struct capture cap;
	struct kmm_machine *m;
	char *out;

	/* the default boot writes its log on the console, quiet does not */
	KUNIT_ASSERT_EQ(test, capture_begin(&cap), 0);
	m = kmm_boot("");
	out = capture_end(&cap);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, console_count(out, "Command line: "), 1);
	KUNIT_EXPECT_STRSTR(test, out, "kmm version " KMM_VERSION);
	KUNIT_EXPECT_STRSTR(test, out,
			    "] BIOS-e820: [mem 0x0000000000000000-0x0000000000000fff] reserved\n");
	free(out);
	kmm_shutdown(m);

	KUNIT_ASSERT_EQ(test, capture_begin(&cap), 0);
	m = kmm_boot("quiet");
	out = capture_end(&cap);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_STREQ(test, out, "");
	free(out);

	/* console_loglevel 4: levels 0..3 are echoed, 4..7 are not */
	KUNIT_ASSERT_EQ(test, capture_begin(&cap), 0);
	kmm_printk(m, KMM_KERN_ERR "echo err\n");
	kmm_printk(m, KMM_KERN_EMERG "echo emerg\n");
	kmm_printk(m, KMM_KERN_WARNING "quiet warning\n");
	kmm_printk(m, KMM_KERN_INFO "quiet info\n");
	kmm_printk(m, "quiet default\n");
	kmm_printk(m, KMM_KERN_CRIT "two\nlines\n");
	kmm_printk(m, KMM_KERN_ERR "joined");
	kmm_printk(m, KMM_KERN_CONT " line\n");
	out = capture_end(&cap);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_EXPECT_EQ(test, console_count(out, "echo err"), 1);
	KUNIT_EXPECT_EQ(test, console_count(out, "echo emerg"), 1);
	KUNIT_EXPECT_EQ(test, console_count(out, "two"), 1);
	KUNIT_EXPECT_EQ(test, console_count(out, "lines"), 1);
	KUNIT_EXPECT_EQ(test, console_count(out, "joined line"), 1);
	KUNIT_EXPECT_NOT_STRSTR(test, out, "quiet");
	KUNIT_EXPECT_NOT_STRSTR(test, out, "\001");
	/* nothing else: five lines */
	int nl = 0;

	for (const char *p = out; *p; p++)
		nl += *p == '\n';
	KUNIT_EXPECT_EQ(test, nl, 5);
	free(out);

	/* raised to 7: info and the default level now echo, debug still does not */
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, PRINTK_SYSCTL, "7"), 0);
	KUNIT_ASSERT_EQ(test, capture_begin(&cap), 0);
	kmm_printk(m, KMM_KERN_INFO "loud info\n");
	kmm_printk(m, "loud default\n");
	kmm_printk(m, KMM_KERN_DEBUG "still quiet debug\n");
	out = capture_end(&cap);
	KUNIT_EXPECT_EQ(test, console_count(out, "loud info"), 1);
	KUNIT_EXPECT_EQ(test, console_count(out, "loud default"), 1);
	KUNIT_EXPECT_NOT_STRSTR(test, out, "still quiet");
	free(out);

	/* lowered to 1: only emergencies */
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, PRINTK_SYSCTL, "1"), 0);
	KUNIT_ASSERT_EQ(test, capture_begin(&cap), 0);
	kmm_printk(m, KMM_KERN_ALERT "not an emergency\n");
	kmm_printk(m, KMM_KERN_EMERG "an emergency\n");
	out = capture_end(&cap);
	KUNIT_EXPECT_EQ(test, console_count(out, "an emergency"), 1);
	KUNIT_EXPECT_NOT_STRSTR(test, out, "not an emergency");
	free(out);

	/* whatever the console shows, the log keeps everything */
	struct kmsg k;

	kmsg_read(m, &k);
	KUNIT_EXPECT_NOT_NULL(test, kmsg_find(&k, "quiet info"));
	KUNIT_EXPECT_NOT_NULL(test, kmsg_find(&k, "still quiet debug"));
	KUNIT_EXPECT_NOT_NULL(test, kmsg_find(&k, "not an emergency"));
	kmsg_free(&k);
	kmm_shutdown(m);

	/* loglevel=8 on the command line: even debug echoes */
	KUNIT_ASSERT_EQ(test, capture_begin(&cap), 0);
	m = kmm_boot("loglevel=8");
	if (m)
		kmm_printk(m, KMM_KERN_DEBUG "debug echoed\n");
	out = capture_end(&cap);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, console_count(out, "debug echoed"), 1);
	KUNIT_EXPECT_EQ(test, console_count(out, "Command line: loglevel=8"), 1);
	free(out);
	kmm_shutdown(m);
}

#define THREAD_LINES 450

struct printer {
	struct kmm_machine *m;
	int id;
	int attach_ret;
	pthread_barrier_t *start;
};

static void *printer_thread(void *arg)
{
	struct printer *p = arg;

	p->attach_ret = kmm_thread_attach(p->m);
	pthread_barrier_wait(p->start);
	if (p->attach_ret)
		return NULL;
	for (int i = 0; i < THREAD_LINES; i++) {
		if (i % 3 == 2)
			kmm_printk(p->m, KMM_KERN_INFO "thread %d line %d\nthread %d line %d.%d\n",
				   p->id, i, p->id, i, 2);
		else
			kmm_printk(p->m, KMM_KERN_INFO "thread %d line %d\n", p->id, i);
	}
	kmm_thread_detach();
	return NULL;
}

static void log_two_threads(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "quiet");
	pthread_barrier_t start;
	struct printer p[2];
	pthread_t t[2];
	struct kmsg k;

	pthread_barrier_init(&start, NULL, 2);
	for (int i = 0; i < 2; i++) {
		p[i] = (struct printer){ .m = m, .id = i, .start = &start };
		KUNIT_ASSERT_EQ(test, pthread_create(&t[i], NULL, printer_thread, &p[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	KUNIT_EXPECT_EQ(test, p[0].attach_ret, 0);
	KUNIT_EXPECT_EQ(test, p[1].attach_ret, 0);

	kmsg_read(m, &k);
	KUNIT_EXPECT_EQ(test, k.malformed, 0);
	/* nothing dropped: the log still starts at the boot's first record */
	KUNIT_ASSERT_GE(test, k.n, 1);
	KUNIT_EXPECT_EQ(test, k.r[0].seq, 0);
	KUNIT_EXPECT_EQ(test, kmsg_order_faults(&k, false), 0);

	/* every line of both threads, once, in each thread's own order */
	for (int id = 0; id < 2; id++) {
		int next = 0, next_sub = 0, bad = 0, dup = 0;
		unsigned long long last_usec = 0;

		for (size_t i = 0; i < k.n; i++) {
			int tid, line, sub = -1, n = 0;

			if (sscanf(k.r[i].text, "thread %d line %d%n", &tid, &line, &n) != 2 ||
			    tid != id)
				continue;
			if (k.r[i].text[n] == '.' && sscanf(k.r[i].text + n, ".%d", &sub) != 1)
				bad++;
			if (k.r[i].usec < last_usec)
				bad++;
			last_usec = k.r[i].usec;
			if (sub < 0) {
				if (line != next)
					line < next ? dup++ : bad++;
				next = line + 1;
				next_sub = line % 3 == 2;
			} else {
				if (!next_sub || line != next - 1 || sub != 2)
					bad++;
				next_sub = 0;
			}
			if (k.r[i].level != 6)
				bad++;
		}
		if (next != THREAD_LINES || bad || dup)
			KUNIT_FAIL_MSG(test, "thread %d: %d of %d lines in order, %d out of order, %d repeated",
				       id, next, THREAD_LINES, bad, dup);
	}
	/* the count adds up: boot records + 2 threads' lines */
	size_t thread_records = 0;

	for (size_t i = 0; i < k.n; i++)
		thread_records += !strncmp(k.r[i].text, "thread ", 7);
	KUNIT_EXPECT_EQ(test, thread_records, 2 * (THREAD_LINES + THREAD_LINES / 3));
	kmsg_free(&k);
	kmm_shutdown(m);
}

static struct kunit_case log_cases[] = {
	KUNIT_CASE(log_levels_in_kmsg),
	KUNIT_CASE(log_kmsg_exact_and_escaping),
	KUNIT_CASE(log_multiline_one_record_per_line),
	KUNIT_CASE(log_cont_joins_a_line),
	KUNIT_CASE(log_long_line_truncated),
	KUNIT_CASE(log_ring_wraps),
	KUNIT_CASE(log_printk_sysctl_read),
	KUNIT_CASE(log_printk_sysctl_write),
	KUNIT_CASE(log_console_echo),
	KUNIT_CASE(log_two_threads),
	{}
};

KUNIT_MAIN("log", log_cases)
