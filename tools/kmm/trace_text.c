/* SPDX-License-Identifier: MIT */
/*
 * The head of a text trace line, which the three text formats print alike
 * but for details:
 *
 *   ftrace            "           TASK-PID     [CPU] FLAGS  SECS.USECS: event: fields"
 *     (record-tgid)   "           TASK-PID (  TGID) [CPU] ..."
 *     (no irq-info)   "           TASK-PID     [CPU] SECS.USECS: event: fields"
 *   perf script       "           COMM   PID [CPU] SECS.USECS:   system:event: fields"
 *     (-F pid,tid)    "           COMM PID/TID [CPU] ..."
 *     (no cpu field)  "           COMM   PID SECS.USECS: system:event: fields"
 *   trace-cmd report  "           COMM-PID [CPU] SECS.USECS: event:   (func+off) fields"
 *     (instances)     "   instance:            COMM-PID [CPU] ..."
 *
 * The task name may hold spaces, dashes, colons and brackets, so it is
 * found from the right: the "[CPU]" column is a '[' with digits and ']'
 * that has "-PID" (or " PID") just before it and a timestamp and an event
 * name after it. The first '[' that passes all of this is the column; a
 * name with "-12 [3]" in it fails the tests on the text after it.
 *
 * The task column is "%16s" in all three formats, so a trace-cmd instance
 * prefix ("%*s: ") is told from a task name with ": " in it by the 16
 * characters that follow it.
 *
 * Lines that are not events come here too: '#' headers, blank lines,
 * "cpus=N", lost-event markers, kernel and perf stack traces, and the
 * lines of a tracer rather than an event (the function tracer's "func
 * <-parent": a head, but no "event:"). They are only told apart when a line
 * fails as an event, so that an event line costs no extra test.
 */
#include <string.h>

#include "trace_internal.h"

static inline bool text_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool text_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || text_digit(c) || c == '_';
}

/*
 * "SECS[.FRACTION]:" at *p: the time in ns, *p moved past the ':'. Up to
 * nine fraction digits count (ns); trace clocks that print counters give
 * an integer, taken as ns.
 */
static inline bool text_timestamp(const char **pp, const char *e, uint64_t *ns)
{
	const char *p = *pp;
	uint64_t secs = 0, frac = 0;
	int digits = 0;

	if (p >= e || !text_digit(*p))
		return false;
	while (p < e && text_digit(*p)) {
		if (secs > (UINT64_MAX - 9) / 10)
			return false;
		secs = secs * 10 + (uint64_t)(*p++ - '0');
		digits++;
	}
	if (digits > 20)
		return false;
	if (p < e && *p == '.') {
		int n = 0;

		p++;
		if (p >= e || !text_digit(*p))
			return false;
		while (p < e && text_digit(*p)) {
			if (n < 9) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				n++;
			}
			p++;
		}
		while (n < 9) {
			frac *= 10;
			n++;
		}
		if (secs > (UINT64_MAX - frac) / 1000000000ull)
			return false;
		secs = secs * 1000000000ull + frac;
	}
	if (p >= e || *p != ':')
		return false;
	*ns = secs;
	*pp = p + 1;
	return true;
}

/* Decimal digits [s, e) to an int (at most 9 digits: pids and CPUs). */
static inline int text_small_int(const char *s, const char *e)
{
	int v = 0;

	while (s < e)
		v = v * 10 + (*s++ - '0');
	return v;
}

/*
 * After the CPU column (or the PID when there is none): the optional flags
 * column, the timestamp, "system:" and the event name. Fills h; false when
 * the text is not that.
 */
static bool text_tail(const char *p, const char *e, struct trace_head *h, bool flags_allowed,
		      bool nameless)
{
	const char *name;

	while (p < e && *p == ' ')
		p++;
	h->flags_column = false;
	if (!text_timestamp(&p, e, &h->ts_ns)) {
		const char *f = p;

		if (!flags_allowed)
			return false;
		/* irqs-off, need-resched, hardirq/softirq, preempt-depth, migrate-disable */
		while (p < e && *p != ' ' && *p != ':')
			p++;
		if (p == f || p - f > 8 || p >= e || *p != ' ')
			return false;
		while (p < e && *p == ' ')
			p++;
		if (!text_timestamp(&p, e, &h->ts_ns))
			return false;
		h->flags_column = true;
	}
	while (p < e && *p == ' ')
		p++;
	name = p;
	while (p < e && text_name_char(*p))
		p++;
	if (p == name || p >= e || *p != ':') {
		if (!nameless)
			return false;
		/* a tracer's own line ("func <-parent"), no event */
		h->name = NULL;
		h->name_len = 0;
		h->fields = name;
		h->plugin_site = NULL;
		return true;
	}
	if (p + 1 < e && text_name_char(p[1])) {
		/* perf's "system:event:" */
		h->perf_style = true;
		name = ++p;
		while (p < e && text_name_char(*p))
			p++;
		if (p == name || p >= e || *p != ':')
			return false;
	}
	h->name = name;
	h->name_len = (size_t)(p - name);
	p++;
	if (p < e && *p != ' ')
		return false;
	while (p < e && *p == ' ')
		p++;
	h->name_pad = (unsigned int)(p - (name + h->name_len + 1));
	h->fields = p;
	h->plugin_site = NULL;
	h->plugin_site_len = 0;
	if (p < e && *p == '(') {
		/* trace-cmd's kmem plugin: "(func+off) " before the fields */
		const char *c = memchr(p, ')', (size_t)(e - p));

		if (c && (c + 1 == e || c[1] == ' ')) {
			h->plugin_site = p + 1;
			h->plugin_site_len = (size_t)(c - p - 1);
			p = c + 1;
			while (p < e && *p == ' ')
				p++;
			h->fields = p;
		}
	}
	return true;
}

/* The task name [start, end): trimmed, and a trace-cmd instance prefix split off. */
static void text_comm(const char *start, const char *end, struct trace_head *h, bool instances)
{
	h->instance = NULL;
	h->instance_len = 0;
	if (instances && end - start > 18) {
		const char *c = memchr(start, ':', (size_t)(end - start - 17));

		if (c && c[1] == ' ' && c > start) {
			h->instance = start;
			h->instance_len = (size_t)(c - start);
			start = c + 2;
			while (start < end && *start == ' ')
				start++;
		}
	}
	while (end > start && end[-1] == ' ')
		end--;
	h->comm = start;
	h->comm_len = (size_t)(end - start);
}

/* Whether "[" at q is the CPU column, with a task and PID before it; fills h. */
static bool text_cpu_column(const char *start, const char *q, const char *e, struct trace_head *h,
			    bool instances, bool nameless)
{
	const char *r = q + 1, *b = q, *pid_end, *comm_end;
	int tid;

	while (r < e && text_digit(*r) && r - q <= 6)
		r++;
	if (r == q + 1 || r >= e || *r != ']' || r - q > 6)
		return false;
	h->cpu = text_small_int(q + 1, r);
	while (b > start && b[-1] == ' ')
		b--;
	if (b > start && b[-1] == ')') {
		/* record-tgid: "(   TGID)" or "(-------)" */
		const char *o = b - 1;

		while (o > start && o[-1] != '(' && b - o < 12)
			o--;
		if (o <= start || o[-1] != '(')
			return false;
		b = o - 1;
		while (b > start && b[-1] == ' ')
			b--;
	}
	pid_end = b;
	while (b > start && text_digit(b[-1]) && pid_end - b < 9)
		b--;
	if (b == pid_end || b <= start)
		return false;
	tid = text_small_int(b, pid_end);
	if (b[-1] == '/') {
		/* perf's "PID/TID": the TID is the thread, as ftrace's PID is */
		const char *t = b - 1;

		while (t > start && text_digit(t[-1]) && (b - 1) - t < 9)
			t--;
		if (t == b - 1 || t <= start)
			return false;
		b = t;
	}
	if (b[-1] == '-') {
		h->perf_style = false;
	} else if (b[-1] == ' ') {
		h->perf_style = true;
	} else {
		return false;
	}
	comm_end = b - 1;
	if (comm_end <= start)
		return false;
	h->pid = tid;
	if (!text_tail(r + 1, e, h, !h->perf_style, nameless))
		return false;
	text_comm(start, comm_end, h, instances && !h->perf_style);
	return h->comm_len > 0;
}

/*
 * No CPU column (perf script -F without cpu): "COMM PID SECS.USECS: ...".
 * The first ':' after a timestamp after a PID.
 */
static bool text_no_cpu_column(const char *start, const char *e, struct trace_head *h)
{
	const char *c = start;

	while ((c = memchr(c, ':', (size_t)(e - c))) != NULL) {
		const char *t = c, *pid_end, *b;

		while (t > start && (text_digit(t[-1]) || t[-1] == '.'))
			t--;
		if (t == c || t <= start || t[-1] != ' ' || !text_digit(*t)) {
			c++;
			continue;
		}
		b = t;
		while (b > start && b[-1] == ' ')
			b--;
		pid_end = b;
		while (b > start && text_digit(b[-1]) && pid_end - b < 9)
			b--;
		if (b == pid_end || b <= start || (b[-1] != ' ' && b[-1] != '-')) {
			c++;
			continue;
		}
		h->perf_style = b[-1] == ' ';
		h->pid = text_small_int(b, pid_end);
		h->cpu = -1;
		if (!text_tail(t, e, h, false, false)) {
			c++;
			continue;
		}
		text_comm(start, b - 1, h, false);
		if (h->comm_len)
			return true;
		c++;
	}
	return false;
}

/* A number after "key" in a marker line such as "CPU:1 [LOST 1234 EVENTS]". */
static uint64_t text_marker_number(const char *s, const char *e)
{
	uint64_t v = 0;

	while (s < e && !text_digit(*s))
		s++;
	while (s < e && text_digit(*s) && v < UINT64_MAX / 10)
		v = v * 10 + (uint64_t)(*s++ - '0');
	return v;
}

static const char *text_find(const char *s, const char *e, const char *needle)
{
	size_t n = strlen(needle);

	while ((size_t)(e - s) >= n) {
		const char *c = memchr(s, needle[0], (size_t)(e - s) - n + 1);

		if (!c)
			return NULL;
		if (!memcmp(c, needle, n))
			return c;
		s = c + 1;
	}
	return NULL;
}

/* What a line that is not an event is: a header, a marker, a stack line, or bad. */
static enum trace_line_kind text_other(const char *p, const char *e, uint64_t *lost,
				       const char **why)
{
	const char *q = p, *c;

	/*
	 * trace-cmd report of several files or buffers puts "name: " first:
	 * "trace.dat: cpus=2", "instance: CPU:0 [5 EVENTS DROPPED]"
	 */
	while (q < e && *q != ' ' && *q != ':')
		q++;
	if (q + 1 < e && *q == ':' && q[1] == ' ') {
		q += 2;
		while (q < e && *q == ' ')
			q++;
	} else {
		q = p;
	}
	if (e - q >= 5 && !memcmp(q, "cpus=", 5))
		return TRACE_LINE_CPUS;
	if (e - q >= 4 && !memcmp(q, "CPU:", 4)) {
		/* ftrace "CPU:1 [LOST 1234 EVENTS]", trace-cmd "CPU:1 [1234 EVENTS DROPPED]" */
		if ((c = text_find(q, e, "[LOST ")) != NULL) {
			*lost = text_marker_number(c, e);
			return TRACE_LINE_LOST;
		}
		if ((c = text_find(q, e, "EVENTS DROPPED]")) != NULL) {
			const char *b = memchr(q, '[', (size_t)(c - q));

			*lost = text_marker_number(b ? b : q, c);
			return TRACE_LINE_LOST;
		}
	}
	/* ftrace's stacktrace option: "<stack trace>", " => func+0x12/0x40" */
	if ((e - p >= 2 && p[0] == '=' && p[1] == '>') ||
	    (e - p >= 13 && !memcmp(p, "<stack trace>", 13)) ||
	    (e - p >= 18 && !memcmp(p, "<user stack trace>", 18)))
		return TRACE_LINE_SKIP;
	/* perf script -g: "\t    ffffffff81234567 kmalloc_trace+0x26 ([kernel.kallsyms])" */
	c = p;
	while (c < e && ((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
		c++;
	if (c - p >= 4 && c < e && *c == ' ' && e[-1] == ')')
		return TRACE_LINE_SKIP;
	*why = "not a trace event line";
	return TRACE_LINE_BAD;
}

enum trace_line_kind trace_text_line(const char *s, size_t n, enum trace_format fmt,
				     struct trace_head *h, uint64_t *lost, const char **why)
{
	const char *e = s + n, *p = s, *q;
	bool instances = fmt == TF_TRACE_CMD_REPORT;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p == e || *p == '#')
		return TRACE_LINE_SKIP;
	for (q = p; (q = memchr(q, '[', (size_t)(e - q))) != NULL; q++) {
		if (text_cpu_column(p, q, e, h, instances, false))
			return TRACE_LINE_EVENT;
	}
	if (text_no_cpu_column(p, e, h))
		return TRACE_LINE_EVENT;
	/* Last, a line with a head but no event name: another tracer's (function, ...) */
	for (q = p; (q = memchr(q, '[', (size_t)(e - q))) != NULL; q++) {
		if (text_cpu_column(p, q, e, h, instances, true))
			return TRACE_LINE_EVENT;
	}
	return text_other(p, e, lost, why);
}

enum trace_format trace_text_format(const struct trace_head *h, enum trace_format hint)
{
	if (hint != TF_UNKNOWN)
		return hint;
	if (h->perf_style)
		return TF_PERF_SCRIPT;
	if (h->flags_column)
		return TF_FTRACE;
	/*
	 * No flags column: trace-cmd report (which pads "event:" to 21 columns
	 * and puts its plugin's "(func+off)" first), or a trace_pipe without
	 * irq-info.
	 */
	if (h->plugin_site || h->name_pad >= 2)
		return TF_TRACE_CMD_REPORT;
	return TF_FTRACE;
}
