/* SPDX-License-Identifier: MIT */
/*
 * What the trace reader's files share, not part of trace.h's contract:
 *
 *   trace_intern.c  string interning (hash table over an arena)
 *   trace_input.c   files, stdin, magic bytes, decompression programs, and
 *                   the thread that runs an in-library decompressor ahead
 *                   of the parser (double buffering)
 *   trace_codec.c   liblzma and zlib as streaming decoders
 *   trace_lines.c   chunks to lines (a line may span two chunks)
 *   trace_text.c    the line head of the three text formats, and which
 *                   format a file is
 *   trace_fields.c  the "key=value" fields of the kmem events
 *   trace_gfp.c     gfp_flags text of any kernel version to flags
 *   trace_dat.c     trace.dat through libtracecmd
 *   trace.c         the reader: trace_open/trace_next/trace_close
 */
#ifndef KMM_TRACE_INTERNAL_H
#define KMM_TRACE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/*
 * Not exported from kmm (which is linked with -rdynamic): names this
 * generic must not meet a library's.
 */
#pragma GCC visibility push(hidden)

#if defined(__GNUC__)
#define trace_likely(x) __builtin_expect(!!(x), 1)
#define trace_unlikely(x) __builtin_expect(!!(x), 0)
#else
#define trace_likely(x) (x)
#define trace_unlikely(x) (x)
#endif

/* ---- trace_intern.c ---- */

/*
 * Strings to dense ids 1..nr (0 is ""), by an open-addressing hash table of
 * (hash << 32 | id) words; the bytes live in an arena that never moves, so
 * a string's pointer stays valid until trace_intern_free(). A failed
 * allocation returns id 0 and sets failed.
 */
struct trace_intern {
	uint64_t *slots;	/* capacity mask + 1 words; 0 = empty */
	uint32_t mask;
	uint32_t nr;		/* ids in use */
	uint32_t cap;		/* room in strs/lens */
	const char **strs;	/* by id, NUL-terminated; strs[0] = "" */
	uint32_t *lens;
	char *arena;		/* every block, chained through their first word */
	char *arena_cur;	/* free bytes of the current block */
	size_t arena_left;
	bool failed;
};

void trace_intern_init(struct trace_intern *t);
void trace_intern_free(struct trace_intern *t);
uint32_t trace_intern(struct trace_intern *t, const char *s, size_t n);
/* The id of s if interned, else 0; never inserts. */
uint32_t trace_intern_find(const struct trace_intern *t, const char *s, size_t n);
static inline const char *trace_intern_str(const struct trace_intern *t, uint32_t id)
{
	return id && id <= t->nr ? t->strs[id] : "";
}

/* ---- trace_input.c: bytes in ---- */

struct trace_input;

/*
 * Opens path ("-" = stdin), looks at its magic bytes and sets up
 * decompression. NULL with a message in err. *is_dat set when the
 * (decompressed) data starts with trace.dat's magic.
 */
struct trace_input *trace_input_open(const char *path, unsigned int flags, char *err,
				     size_t errlen);
/*
 * The next chunk of decompressed bytes, valid until the next call: 1 with
 * *buf and *len set, 0 at the end, -1 on an error (trace_input_error()).
 */
int trace_input_read(struct trace_input *in, const char **buf, size_t *len);
const char *trace_input_error(const struct trace_input *in);
/* The first bytes of the decompressed data (up to 16), without consuming them. */
size_t trace_input_head(struct trace_input *in, const unsigned char **head);
/*
 * A file descriptor holding the whole decompressed data from its start,
 * seekable (the file itself, or a memory file it was copied into), for
 * libtracecmd. The caller owns it. -1 with a message in err.
 */
int trace_input_seekable_fd(struct trace_input *in, char *err, size_t errlen);
void trace_input_counters(const struct trace_input *in, uint64_t *bytes_file,
			  uint64_t *file_size);
const char *trace_input_compression(const struct trace_input *in);
const char *trace_input_decompressor(const struct trace_input *in);
void trace_input_close(struct trace_input *in);

/* ---- trace_codec.c: in-library decoders ---- */

enum trace_codec_kind { TRACE_CODEC_XZ, TRACE_CODEC_GZIP };

struct trace_codec;
/* NULL when this build has no library for kind (or on no memory). */
struct trace_codec *trace_codec_new(enum trace_codec_kind kind);
/*
 * Decodes from *in (advanced past what was used) into out; *out_len set to
 * the bytes written. 0 going on, 1 at the end of the data, -1 on corrupt
 * data (message in err).
 */
int trace_codec_run(struct trace_codec *c, const unsigned char **in, size_t *in_len,
		    unsigned char *out, size_t out_size, size_t *out_len, bool in_eof,
		    char *err, size_t errlen);
void trace_codec_free(struct trace_codec *c);
const char *trace_codec_library(enum trace_codec_kind kind);	/* "liblzma", "zlib", NULL if absent */

/* ---- trace_lines.c: lines out of chunks ---- */

struct trace_lines {
	struct trace_input *in;
	const char *pos, *end;	/* the rest of the current chunk */
	char *carry;		/* a line that spans chunks, put together */
	size_t carry_len, carry_cap;
	bool eof;
	uint64_t bytes;		/* bytes handed out */
};

#define TRACE_LINE_MAX (1u << 20)	/* longer lines are cut (and then malformed) */

void trace_lines_init(struct trace_lines *l, struct trace_input *in);
void trace_lines_free(struct trace_lines *l);
/*
 * The next line without its '\n' (nor a '\r' before it): 1 with
 * *line and *len, 0 at the end, -1 on a read error. *unterminated is set for a
 * last line without '\n' (perhaps cut short); *cut for one over TRACE_LINE_MAX.
 */
int trace_lines_next(struct trace_lines *l, const char **line, size_t *len,
		     bool *unterminated, bool *cut);

/* ---- trace_text.c: the head of a text line ---- */

/* What comes before an event's fields, in every text format. */
struct trace_head {
	const char *comm;	/* task name, trimmed */
	size_t comm_len;
	const char *instance;	/* trace-cmd buffer instance, or NULL */
	size_t instance_len;
	int pid;
	int cpu;		/* -1 when the line has none */
	uint64_t ts_ns;
	const char *name;	/* event name without "system:"; NULL for a tracer's line */
	size_t name_len;
	unsigned int name_pad;	/* blanks after "name:" (trace-cmd pads to a column) */
	const char *fields;	/* after "name: " and the trace-cmd plugin's "(func+off) " */
	const char *plugin_site;	/* that "func+off", or NULL */
	size_t plugin_site_len;
	bool flags_column;	/* ftrace's irqs-off/need-resched/... column was there */
	bool perf_style;	/* "COMM PID" and "system:event" (perf script) */
};

enum trace_line_kind {
	TRACE_LINE_EVENT,	/* head filled */
	TRACE_LINE_SKIP,	/* header, comment, blank, stack trace: not an event */
	TRACE_LINE_LOST,	/* "CPU:N [LOST n EVENTS]": *lost set */
	TRACE_LINE_CPUS,	/* trace-cmd report's "cpus=N" */
	TRACE_LINE_BAD,		/* none of these: *why set */
};

enum trace_line_kind trace_text_line(const char *s, size_t n, enum trace_format fmt,
				     struct trace_head *h, uint64_t *lost, const char **why);
/* Which text format a first event line is in (given what the header said, hint). */
enum trace_format trace_text_format(const struct trace_head *h, enum trace_format hint);

/* ---- trace_fields.c: kmem event fields ---- */

/* Per reader: the interned strings and the gfp strings already parsed. */
struct trace_fields_ctx {
	struct trace_intern *strs;
	struct trace_intern gfp_strs;	/* gfp text -> id; gfp_vals[id] */
	kmm_gfp_t *gfp_vals;
	uint32_t gfp_cap;
	struct trace_stats *stats;	/* gfp_unknown counting */
};

/*
 * The event type of a tracepoint name (either era's), or -1 for another
 * event.
 */
int trace_event_type(const char *name, size_t n);
/*
 * Fills ev (type already set) from the fields text [s, e). 0, or -1 with
 * *why set when a field the event needs is missing or not a number.
 */
int trace_fields_parse(struct trace_fields_ctx *c, const char *s, const char *e,
		       const struct trace_head *h, struct trace_event *ev, const char **why);
/* gfp text to flags, through the per-reader cache. */
kmm_gfp_t trace_fields_gfp(struct trace_fields_ctx *c, const char *s, size_t n);
/* Interns "func+0xoff" from a printed call site ("func+0xoff/0xsize", "func+off"). */
uint32_t trace_fields_call_site(struct trace_fields_ctx *c, const char *s, size_t n);

/* ---- trace.c: the reader ---- */

struct trace_dat;

struct trace_reader {
	char name[200];			/* for messages: the path (cut), or "stdin" */
	struct trace_input *in;
	struct trace_lines lines;	/* text formats */
	struct trace_dat *dat;		/* trace.dat */
	struct trace_intern strs;	/* trace_str()'s ids */
	struct trace_intern other;	/* names of skipped events; other_counts[id] */
	uint64_t *other_counts;
	uint32_t other_cap;
	struct trace_fields_ctx fields;
	struct trace_stats stats;
	enum trace_format hint;		/* what a header line said ('#' ftrace, cpus= trace-cmd) */
	bool format_known;
	uint32_t last_comm;		/* consecutive events are mostly of one task */
	bool failed;			/* a read error or no memory: every later call fails too */
	char err[320];
};

/* Counts one more skipped event of this name; -1 on no memory. */
int trace_count_other(struct trace_reader *r, const char *name, size_t n);
/* Interns a task name, reusing the last one when it is the same. */
uint32_t trace_comm(struct trace_reader *r, const char *s, size_t n);
/* snprintf into err when err has room. */
void trace_errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- trace_dat.c ---- */

/* Whether this build reads trace.dat (libtracecmd found at configure time). */
bool trace_dat_supported(void);
/* Opens trace.dat from fd (owned from here on) for r; -1 with a message in r->err. */
int trace_dat_open(struct trace_reader *r, int fd);
/* As trace_next(). */
int trace_dat_next(struct trace_reader *r, struct trace_event *ev);
void trace_dat_close(struct trace_dat *d);

#pragma GCC visibility pop

#endif /* KMM_TRACE_INTERNAL_H */
