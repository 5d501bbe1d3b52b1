/* SPDX-License-Identifier: MIT */
/*
 * The trace reader (trace.h): opens an input, tells which format it holds,
 * and hands out kmem events one at a time.
 *
 * Which format: trace.dat and perf.data by their magic bytes (after
 * decompression); text by its first lines: a "# tracer:" header is ftrace,
 * "cpus=N" is trace-cmd report, and otherwise the first event line tells
 * (perf's "COMM PID" and "system:event", ftrace's flags column, trace-cmd's
 * padded event names). The format fixed, every line goes through the same
 * head and field parsers (trace_text.c, trace_fields.c), which accept any
 * of the three forms: a file that mixes them still reads.
 *
 * The cost per line is one memchr for its end, one pass over its head and
 * one over its fields, and a hash lookup for each string (task name,
 * call site, cache name, gfp text), all in place in the input chunk.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"

static const unsigned char dat_magic[10] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };

void trace_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

const char *trace_format_name(enum trace_format f)
{
	switch (f) {
	case TF_FTRACE:
		return "ftrace";
	case TF_PERF_SCRIPT:
		return "perf script";
	case TF_TRACE_CMD_REPORT:
		return "trace-cmd report";
	case TF_TRACE_DAT:
		return "trace.dat";
	case TF_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *trace_ev_name(enum trace_ev t)
{
	static const char *const names[TEV_NR] = {
		[TEV_KMALLOC] = "kmalloc",
		[TEV_KFREE] = "kfree",
		[TEV_CACHE_ALLOC] = "kmem_cache_alloc",
		[TEV_CACHE_FREE] = "kmem_cache_free",
		[TEV_PAGE_ALLOC] = "mm_page_alloc",
		[TEV_PAGE_FREE] = "mm_page_free",
		[TEV_PAGE_FREE_BATCHED] = "mm_page_free_batched",
	};

	return (unsigned int)t < TEV_NR ? names[t] : "unknown";
}

int trace_count_other(struct trace_reader *r, const char *name, size_t n)
{
	uint32_t id = trace_intern(&r->other, name, n);

	if (!id)
		return -1;
	if (id >= r->other_cap) {
		uint32_t cap = r->other_cap ? r->other_cap * 2 : 32;
		uint64_t *c;

		while (cap <= id)
			cap *= 2;
		c = realloc(r->other_counts, cap * sizeof(*c));
		if (!c)
			return -1;
		memset(c + r->other_cap, 0, (cap - r->other_cap) * sizeof(*c));
		r->other_counts = c;
		r->other_cap = cap;
	}
	r->other_counts[id]++;
	r->stats.other_events++;
	return 0;
}

const char *trace_other_event(const struct trace_reader *r, size_t i, uint64_t *count)
{
	if (i >= r->other.nr) {
		if (count)
			*count = 0;
		return NULL;
	}
	if (count)
		*count = r->other_counts[i + 1];
	return trace_intern_str(&r->other, (uint32_t)i + 1);
}

uint32_t trace_comm(struct trace_reader *r, const char *s, size_t n)
{
	uint32_t id = r->last_comm;

	if (id && r->strs.lens[id] == n && !memcmp(r->strs.strs[id], s, n))
		return id;
	id = trace_intern(&r->strs, s, n);
	r->last_comm = id;
	return id;
}

/* Counts a malformed line and keeps the first few. */
static void trace_malformed(struct trace_reader *r, const char *s, size_t n, const char *why)
{
	struct trace_malformed *m;
	size_t k;

	if (r->stats.malformed++ >= TRACE_MALFORMED_KEPT)
		return;
	m = &r->stats.first_malformed[r->stats.malformed - 1];
	m->line = r->stats.lines;
	k = n < sizeof(m->text) - 1 ? n : sizeof(m->text) - 1;
	for (size_t i = 0; i < k; i++) {
		unsigned char c = (unsigned char)s[i];

		m->text[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	m->text[k] = '\0';
	snprintf(m->why, sizeof(m->why), "%s", why);
}

static struct trace_reader *reader_new(const char *path)
{
	struct trace_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	snprintf(r->name, sizeof(r->name), "%s", strcmp(path, "-") ? path : "stdin");
	trace_intern_init(&r->strs);
	trace_intern_init(&r->other);
	trace_intern_init(&r->fields.gfp_strs);
	r->fields.strs = &r->strs;
	r->fields.stats = &r->stats;
	return r;
}

/* The data is trace.dat: through libtracecmd, or the way to convert it. */
static int reader_open_dat(struct trace_reader *r, bool compressed, char *err, size_t errlen)
{
	int fd;

	if (!trace_dat_supported()) {
		if (compressed)
			trace_errf(err, errlen,
				   "%s: trace.dat needs libtracecmd, which this build lacks: decompress "
				   "it and convert it with `trace-cmd report -i FILE > FILE.txt`",
				   r->name);
		else
			trace_errf(err, errlen,
				   "%s: trace.dat needs libtracecmd, which this build lacks: convert it "
				   "with `trace-cmd report -i %s > %s.txt`",
				   r->name, r->name, r->name);
		return -1;
	}
	fd = trace_input_seekable_fd(r->in, err, errlen);
	if (fd < 0)
		return -1;
	r->stats.format = TF_TRACE_DAT;
	r->format_known = true;
	if (trace_dat_open(r, fd)) {
		trace_errf(err, errlen, "%s", r->err);
		return -1;
	}
	return 0;
}

struct trace_reader *trace_open_flags(const char *path, unsigned int flags, char *err,
				      size_t errlen)
{
	struct trace_reader *r;
	const unsigned char *head;
	size_t head_len;

	if (err && errlen)
		err[0] = '\0';
	if (!path) {
		trace_errf(err, errlen, "no trace file given");
		return NULL;
	}
	r = reader_new(path);
	if (!r) {
		trace_errf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	r->in = trace_input_open(path, flags, err, errlen);
	if (!r->in)
		goto fail;
	r->stats.compression = trace_input_compression(r->in);
	r->stats.decompressor = trace_input_decompressor(r->in);
	head_len = trace_input_head(r->in, &head);
	if (head_len >= sizeof(dat_magic) && !memcmp(head, dat_magic, sizeof(dat_magic))) {
		if (reader_open_dat(r, r->stats.compression != NULL, err, errlen))
			goto fail;
		return r;
	}
	if (head_len >= 8 && (!memcmp(head, "PERFILE2", 8) || !memcmp(head, "PERFFILE", 8))) {
		trace_errf(err, errlen,
			   "%s: perf.data holds no text: convert it with `perf script -i %s > %s.txt`",
			   r->name, r->name, r->name);
		goto fail;
	}
	trace_lines_init(&r->lines, r->in);
	return r;
fail:
	trace_close(r);
	return NULL;
}

struct trace_reader *trace_open(const char *path, char *err, size_t errlen)
{
	return trace_open_flags(path, 0, err, errlen);
}

/* A header line before the first event says which format this is. */
static void reader_header_hint(struct trace_reader *r, const char *s, size_t n,
			       enum trace_line_kind kind)
{
	if (kind == TRACE_LINE_CPUS) {
		r->hint = TF_TRACE_CMD_REPORT;
		return;
	}
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n >= 9 && !memcmp(s, "# tracer:", 9))
		r->hint = TF_FTRACE;
}

static int trace_next_text(struct trace_reader *r, struct trace_event *ev)
{
	for (;;) {
		struct trace_head h;
		const char *s, *why = "not a trace event line";
		size_t n;
		bool unterminated, cut;
		uint64_t lost = 0;
		enum trace_line_kind kind;
		int ret, type;

		ret = trace_lines_next(&r->lines, &s, &n, &unterminated, &cut);
		if (ret <= 0) {
			if (ret < 0)
				snprintf(r->err, sizeof(r->err), "%s", trace_input_error(r->in));
			r->stats.bytes_in = r->lines.bytes;
			return ret;
		}
		r->stats.lines++;
		if (trace_unlikely(cut)) {
			trace_malformed(r, s, n, "line longer than 1 MiB");
			continue;
		}
		kind = trace_text_line(s, n, r->stats.format, &h, &lost, &why);
		if (trace_unlikely(kind != TRACE_LINE_EVENT)) {
			switch (kind) {
			case TRACE_LINE_LOST:
				r->stats.lost_events += lost;
				r->stats.skipped_lines++;
				break;
			case TRACE_LINE_BAD:
				trace_malformed(r, s, n, unterminated ? "truncated last line" : why);
				break;
			default:
				if (!r->format_known)
					reader_header_hint(r, s, n, kind);
				r->stats.skipped_lines++;
				break;
			}
			continue;
		}
		if (trace_unlikely(!r->format_known)) {
			r->stats.format = trace_text_format(&h, r->hint);
			r->format_known = true;
			/* trace-cmd's instance prefixes are only looked for in its lines */
			if (r->stats.format == TF_TRACE_CMD_REPORT)
				trace_text_line(s, n, r->stats.format, &h, &lost, &why);
		}
		type = h.name ? trace_event_type(h.name, h.name_len) : -1;
		if (type < 0) {
			static const char tracer_line[] = "(tracer output)";
			const char *name = h.name ? h.name : tracer_line;
			size_t name_len = h.name ? h.name_len : sizeof(tracer_line) - 1;

			if (trace_count_other(r, name, name_len)) {
				snprintf(r->err, sizeof(r->err), "%s: out of memory", r->name);
				return -1;
			}
			continue;
		}
		ev->type = (enum trace_ev)type;
		if (trace_fields_parse(&r->fields, h.fields, s + n, &h, ev, &why)) {
			trace_malformed(r, s, n, unterminated ? "truncated last line" : why);
			continue;
		}
		ev->ts_ns = h.ts_ns;
		ev->cpu = h.cpu;
		ev->pid = h.pid;
		ev->comm = trace_comm(r, h.comm, h.comm_len);
		ev->instance = h.instance ? trace_intern(&r->strs, h.instance, h.instance_len) : 0;
		ev->line = r->stats.lines;
		if (trace_unlikely(r->strs.failed || r->fields.gfp_strs.failed)) {
			snprintf(r->err, sizeof(r->err), "%s: out of memory", r->name);
			return -1;
		}
		r->stats.events[type]++;
		r->stats.bytes_in = r->lines.bytes;
		return 1;
	}
}

int trace_next(struct trace_reader *r, struct trace_event *ev)
{
	int ret;

	if (trace_unlikely(r->failed))
		return -1;
	ret = r->dat ? trace_dat_next(r, ev) : trace_next_text(r, ev);
	if (trace_unlikely(ret < 0))
		r->failed = true;
	return ret;
}

const struct trace_stats *trace_stats(const struct trace_reader *r)
{
	/* The byte counters move on another thread or process: read them now. */
	struct trace_reader *w = (struct trace_reader *)r;

	if (r->in)
		trace_input_counters(r->in, &w->stats.bytes_file, &w->stats.file_size);
	if (!r->dat)
		w->stats.bytes_in = r->lines.bytes;
	return &r->stats;
}

const char *trace_error(const struct trace_reader *r)
{
	return r->err[0] ? r->err : "no error";
}

const char *trace_str(const struct trace_reader *r, uint32_t id)
{
	return trace_intern_str(&r->strs, id);
}

void trace_close(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->dat)
		trace_dat_close(r->dat);
	trace_lines_free(&r->lines);
	trace_input_close(r->in);
	trace_intern_free(&r->strs);
	trace_intern_free(&r->other);
	trace_intern_free(&r->fields.gfp_strs);
	free(r->fields.gfp_vals);
	free(r->other_counts);
	free(r);
}
