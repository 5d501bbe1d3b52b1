/* SPDX-License-Identifier: MIT */
/*
 * Trace readers for `kmm replay`: the kmem tracepoints of a real kernel, read
 * from any of the forms engineers record them in, recognised by content:
 *
 *   - raw ftrace text (/sys/kernel/tracing/trace, with its '#' header, or
 *     trace_pipe without it): "TASK-PID [CPU] FLAGS TIMESTAMP: event: fields"
 *   - `perf script` text: "COMM PID [CPU] TIMESTAMP: kmem:event: fields"
 *   - `trace-cmd report` text: "cpus=N", then "COMM-PID [CPU] TIMESTAMP:
 *     event: (func+off) fields", each line perhaps after "instance: "
 *   - trace.dat, through libtracecmd/libtraceevent when the build found them
 *   - any of these xz-, gzip-, zstd- or bzip2-compressed (by magic bytes),
 *     and "-" for stdin.
 *
 * One event at a time comes out of trace_next() in file order (trace.dat:
 * merged by timestamp across CPUs, as trace-cmd report prints them). What
 * the formats print differently is made equal here: call sites become
 * "func+0xoff" (ftrace's "/0xsize" and a module's " [mod]" dropped), GFP
 * strings become flags, page events take pfn= (never page=: perf prints the
 * pfn there, ftrace a hashed pointer), and the older layouts of earlier
 * kernels (no name=/accounted=/node=, hex gfp, decimal pfn, the *_node,
 * mm_page_free_direct and mm_pagevec_free events) fill the same fields.
 *
 * Every other event is counted by name and skipped. A line that cannot be
 * read is counted as malformed (the first few kept, with line numbers) and
 * skipped: bad input never stops a reader.
 *
 * All state is in the reader; several may be open at once. A reader is used
 * by one thread at a time (it may run a decompression thread of its own).
 */
#ifndef KMM_TRACE_H
#define KMM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kmm/gfp.h>

enum trace_ev {
	TEV_KMALLOC,		/* kmalloc, kmalloc_node (< 6.2) */
	TEV_KFREE,		/* kfree */
	TEV_CACHE_ALLOC,	/* kmem_cache_alloc, kmem_cache_alloc_node (< 6.2) */
	TEV_CACHE_FREE,		/* kmem_cache_free */
	TEV_PAGE_ALLOC,		/* mm_page_alloc */
	TEV_PAGE_FREE,		/* mm_page_free, mm_page_free_direct (< 3.3) */
	/*
	 * mm_page_free_batched, mm_pagevec_free (< 3.3). Since 2.6.33 a page
	 * freed through the batched path logs mm_page_free first (same pfn,
	 * same CPU, maybe a few events earlier) and then this: it is a second
	 * report of the same free. Replay frees on TEV_PAGE_FREE and only
	 * counts this one. (2.6.32 alone logged mm_pagevec_free without it.)
	 */
	TEV_PAGE_FREE_BATCHED,
	TEV_NR
};

enum trace_format { TF_UNKNOWN, TF_FTRACE, TF_PERF_SCRIPT, TF_TRACE_CMD_REPORT, TF_TRACE_DAT };

/*
 * One kmem event. Fields an event type does not have are 0 (-1 for node
 * and migratetype).
 */
struct trace_event {
	enum trace_ev type;
	uint64_t ts_ns;		/* timestamp in ns (text "seconds.micros"; trace.dat's own) */
	int cpu;		/* the CPU column; -1 when the line has none (perf -F without cpu) */
	int pid;		/* the PID column (a thread id); perf's "PID/TID" gives the TID */
	uint32_t comm;		/* interned task name as printed: "<idle>", "<...>", "Web Content" */
	/*
	 * kmalloc/kfree/kmem_cache_*: the object pointer as printed, 0 for
	 * NULL, "(nil)" and "(null)". ftrace text hashes %p (stable within one
	 * boot, so allocations and frees still pair up); perf, trace-cmd and
	 * trace.dat give the real address.
	 */
	uint64_t ptr;
	/* interned "func+0xoff" (an old kernel's bare address as printed); 0 if none */
	uint32_t call_site;
	uint32_t cache;		/* kmem_cache_*: interned name=, 0 when the kernel printed none */
	uint32_t bytes_req, bytes_alloc;	/* kmalloc/kmem_cache_alloc, in bytes */
	kmm_gfp_t gfp;		/* gfp_flags in kmm's (the 6.x kernel's) bits: trace_gfp_parse() */
	int node;		/* node=, or -1 (also when the kernel printed none) */
	bool accounted;		/* accounted=; without it, whether gfp holds __GFP_ACCOUNT */
	uint64_t pfn;		/* page events: pfn= (hex "0x..." or, on old kernels, decimal) */
	unsigned int order;	/* page events: order= (0 for batched frees) */
	int migratetype;	/* mm_page_alloc: migratetype=, -1 when absent */
	uint64_t line;		/* 1-based line number (trace.dat: 1-based record number) */
	/* Added to the contract: */
	bool failed;		/* the traced allocation got NULL: ptr 0, or mm_page_alloc of no page */
	/*
	 * trace-cmd report's "name: " before a line (a buffer instance, or one
	 * file of several), interned; 0 for none.
	 */
	uint32_t instance;
};

struct trace_malformed {
	uint64_t line;
	char text[160];		/* the line, cut to fit, control bytes shown as '?' */
	char why[80];
};

#define TRACE_MALFORMED_KEPT 5

/*
 * What a reader has read so far. bytes_file is read anew by trace_stats()
 * (a system call when a program decompresses): ask now and then, not per
 * event.
 */
struct trace_stats {
	enum trace_format format;	/* TF_UNKNOWN until the first event line (or header) */
	uint64_t lines;		/* lines read (trace.dat: records) */
	uint64_t events[TEV_NR];	/* events delivered, by type */
	uint64_t other_events;	/* events of other names, skipped: trace_other_event() */
	uint64_t malformed;	/* lines that could not be read, skipped */
	uint64_t bytes_in;	/* bytes of trace text read (after decompression; 0 for trace.dat) */
	struct trace_malformed first_malformed[TRACE_MALFORMED_KEPT];	/* the first few */
	/* Added to the contract: */
	uint64_t bytes_file;	/* bytes of the file or stdin read as stored (compressed or not) */
	uint64_t file_size;	/* its size as stored, 0 if unknown (a pipe): progress = bytes_file / it */
	uint64_t skipped_lines;	/* headers, comments, blank and stack-trace lines: no events */
	uint64_t lost_events;	/* lost by the recorder: "CPU:N [LOST n EVENTS]", missed records */
	/* names in gfp_flags that no kernel kmm knows has (they give no bits), once per text */
	uint64_t gfp_unknown;
	char gfp_unknown_first[48];	/* the first such name */
	const char *compression;	/* "xz", "gzip", "zstd", "bzip2" or NULL */
	const char *decompressor;	/* "liblzma", "zlib", "xz -dc", ... or NULL */
};

struct trace_reader;

/*
 * Opens path, a file, or "-" for stdin; compressed input (xz or gzip, by
 * magic bytes, not by name; zstd and bzip2 through their programs) is
 * decompressed on its own thread or process while the caller parses. An
 * empty file opens (and holds no event). NULL with a message in err, e.g.
 * "cannot open X: No such file or directory", "X: trace.dat needs
 * libtracecmd, which this build lacks: convert it with `trace-cmd report -i
 * X > X.txt`", "X: xz-compressed, but neither liblzma nor the xz program is
 * available".
 */
struct trace_reader *trace_open(const char *path, char *err, size_t errlen);

/* trace_open() with TRACE_OPEN_* flags, for tests and benchmarks. */
#define TRACE_OPEN_NO_LIBRARIES 0x1u	/* decompress with the xz/gzip programs, not the libraries */
#define TRACE_OPEN_NO_PROGRAMS 0x2u	/* never run a decompression program */
struct trace_reader *trace_open_flags(const char *path, unsigned int flags, char *err,
				      size_t errlen);

/*
 * 1: *ev filled; 0: end of input; -1: read error (message in trace_error()),
 * and -1 again on every later call. Malformed lines are counted (and the
 * first few kept) and skipped, never fatal.
 */
int trace_next(struct trace_reader *r, struct trace_event *ev);

const struct trace_stats *trace_stats(const struct trace_reader *r);
const char *trace_error(const struct trace_reader *r);
/* An interned string (comm, call_site, cache, instance); id 0 -> "". Valid until trace_close(). */
const char *trace_str(const struct trace_reader *r, uint32_t id);
/* "ftrace", "perf script", "trace-cmd report", "trace.dat" ("unknown" for TF_UNKNOWN) */
const char *trace_format_name(enum trace_format f);
/* "kmalloc", "kfree", ...: the tracepoints' names */
const char *trace_ev_name(enum trace_ev t);

/*
 * The skipped events, by name (without perf's "system:"), in order of first
 * sight: i from 0 while it returns non-NULL; *count set to how many.
 */
const char *trace_other_event(const struct trace_reader *r, size_t i, uint64_t *count);

void trace_close(struct trace_reader *r);

/*
 * Parses a kernel's symbolic gfp_flags ("GFP_KERNEL|__GFP_ZERO", "none",
 * "0x2dc2", names of older kernels such as __GFP_WAIT or GFP_TEMPORARY) to
 * kmm's flags; n is the length of s. Names that mean nothing to kmm
 * (__GFP_COLD, __GFP_NOTRACK, __GFP_NO_OBJ_EXT...) give no bits. Returns how
 * many names were unknown; *unknown (may be NULL) points at the first.
 */
int trace_gfp_parse(const char *s, size_t n, kmm_gfp_t *gfp, const char **unknown,
		    size_t *unknown_len);

#endif /* KMM_TRACE_H */
