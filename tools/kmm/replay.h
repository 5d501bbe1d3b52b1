/* SPDX-License-Identifier: MIT */
/*
 * kmm replay: kernel allocation traces replayed through a machine, and what
 * they did to its memory (docs/replay.md).
 *
 *   replay_main.c    the command line (kmm replay ..., and the script command)
 *   replay_engine.c  events -> kmm calls, on the recorded CPU, and the tallies
 *   replay_map.c     the hash tables: trace pointer/pfn -> kmm object/page
 *   replay_report.c  the text report;  replay_json.c  the same as JSON
 *   replay_plot.c    the samples over time as SVG charts (and PNG via gnuplot)
 */
#ifndef KMM_TOOLS_REPLAY_H
#define KMM_TOOLS_REPLAY_H

#include <stdio.h>

#include <kmm/kmm.h>

#include "trace.h"

/* ---- replay_map.c: open addressing, linear probing, deletion by backward shift ---- */

struct rmap {
	uint64_t *keys;		/* 0 marks an empty slot: keys are stored + 1 */
	void *vals;
	size_t val_size, mask, count;
};

int rmap_init(struct rmap *h, size_t val_size);
void rmap_free(struct rmap *h);
/* The value of key, or NULL. */
void *rmap_get(const struct rmap *h, uint64_t key);
/* The value of key, inserted zeroed if new (*isnew says which); NULL when out of memory. */
void *rmap_put(struct rmap *h, uint64_t key, bool *isnew);
bool rmap_del(struct rmap *h, uint64_t key);
/* Iteration: slot by slot; returns the next used slot after i (start with (size_t)-1), or SIZE_MAX. */
size_t rmap_next(const struct rmap *h, size_t i, uint64_t *key, void **val);

/* Interned strings of the engine (call sites, caches, tasks), ids from 1. */
struct rstrings {
	char **s;
	size_t n, cap;
	struct rmap index;	/* hash -> id (chained through the probe: collisions compared) */
};
uint32_t rstr_intern(struct rstrings *t, const char *s);
const char *rstr_get(const struct rstrings *t, uint32_t id);
void rstr_free(struct rstrings *t);

/* ---- the engine ---- */

enum replay_level { REPLAY_SLAB = 1, REPLAY_PAGE = 2, REPLAY_ALL = 3 };

enum replay_kind { KIND_SLAB, KIND_PAGES, KIND_LARGE, KIND_NR };

#define REPLAY_MAX_ZONES 5
#define REPLAY_MAX_ORDER 11	/* orders 0..10 */

/* The machine's memory at one moment. */
struct replay_snap {
	uint64_t event;			/* events replayed so far */
	uint64_t ts_ns;
	unsigned long used_pages;	/* taken from the buddy lists since the replay began */
	unsigned long kind_pages[KIND_NR];	/* slab pages, page events' pages, kmalloc-large pages */
	int nr_zones;
	char zone[REPLAY_MAX_ZONES][8];
	unsigned long free_blocks[REPLAY_MAX_ZONES][REPLAY_MAX_ORDER];	/* /proc/buddyinfo */
	int unusable[REPLAY_MAX_ZONES][REPLAY_MAX_ORDER];	/* thousandths */
	int extfrag[REPLAY_MAX_ZONES][REPLAY_MAX_ORDER];	/* thousandths; -1000: would succeed */
};

/* failures of one kind: the same event, call site (or task), size or order, and flags */
struct replay_failure {
	uint64_t count;
	uint64_t ts_ns, last_ts_ns;	/* the first and the last */
	enum trace_ev type;
	unsigned int order;		/* page events */
	uint32_t size;			/* slab events: bytes requested */
	kmm_gfp_t gfp;
	uint32_t site;			/* call site, or 0 for a page event (then task and pid) */
	uint32_t task;
	int pid;
	uint32_t cache;
};

/* perf kmem stat --caller --slab's row, and kmm's own rounding */
struct replay_site {
	uint32_t name;
	uint64_t hits, bytes_req, bytes_alloc, kmm_bytes, bytes_freed;
	uint64_t pingpong, failures;
};

/* a cache as the trace names it, and what kmm made of it */
struct replay_cache {
	uint32_t name;
	struct kmm_kmem_cache *s;	/* NULL: a kmalloc-* name, served by kmalloc */
	uint64_t hits, bytes_req, bytes_alloc, kmm_bytes, failures, frees;
	uint32_t object_size;		/* the trace's bytes_req at first sight */
};

/* page events grouped as perf kmem stat --page --caller groups them */
struct replay_page_group {
	uint32_t task;			/* page events have no call site */
	unsigned int order;
	int migratetype;
	kmm_gfp_t gfp;
	uint64_t hits, failures;
};

struct replay_sample {
	uint64_t event, ts_ns;
	int nr_zones;
	unsigned long free_pages[REPLAY_MAX_ZONES];
	unsigned long free_blocks[REPLAY_MAX_ZONES][REPLAY_MAX_ORDER];
	int extfrag[REPLAY_MAX_ZONES][REPLAY_MAX_ORDER];
	int unusable[REPLAY_MAX_ZONES][REPLAY_MAX_ORDER];
};

#define REPLAY_OTHER_NAMES 8

struct replay_file {
	char *path;
	struct trace_stats stats;
	char other[REPLAY_OTHER_NAMES][48];	/* names of skipped events, in order of first sight */
	uint64_t other_count[REPLAY_OTHER_NAMES];
	size_t nr_other;
};

struct replay {
	struct kmm_machine *m;
	enum replay_level level;
	uint64_t every;			/* sample every N events (0: never) */
	bool progress;			/* a progress line on stderr (a terminal) */
	int nr_cpus;

	struct rstrings str;
	struct rmap objs;		/* trace ptr -> struct robj */
	struct rmap pages;		/* trace pfn -> struct rpage */
	struct rmap sites;		/* site id -> index in site[] */
	struct rmap caches;		/* cache name id -> index in cache[] */
	struct rmap groups;		/* hash of a page group -> index in group[] */
	struct rmap recent_frees;	/* pfn of an mm_page_free -> its event number */
	struct replay_site *site;
	size_t nr_sites, cap_sites;
	struct replay_cache *cache;
	size_t nr_caches, cap_caches;
	struct replay_page_group *group;
	size_t nr_groups, cap_groups;

	struct replay_file *files;
	size_t nr_files;

	/* tallies (perf kmem stat's and kmm's) */
	uint64_t events, replayed, skipped_level, dup_batched;
	uint64_t ev[TEV_NR];
	uint64_t unmatched[TEV_NR];	/* frees of what was allocated before the trace */
	uint64_t reused;		/* allocations of a pointer/pfn still live (a free was missed) */
	uint64_t recorded_failures;	/* allocations that failed on the recorded machine (ptr 0) */
	uint64_t slab_allocs, slab_req, slab_alloc, slab_kmm, slab_freed, slab_pingpong;
	uint64_t slab_cross_node;
	uint64_t page_allocs, page_alloc_pages, page_frees, page_free_pages;
	uint64_t page_matched, page_matched_pages, page_free_only, page_free_only_pages;
	uint64_t page_fail, page_fail_pages;
	uint64_t order_hist[REPLAY_MAX_ORDER][6];	/* allocations by order x migratetype */
	uint64_t live_hist[REPLAY_MAX_ORDER][6];	/* the same, of pages still live at the end */
	uint64_t cross_cpu_frees;	/* freed on another CPU than the allocating one */
	uint64_t nofail_stripped;
	uint64_t nr_failures;
	struct rmap failure_index;	/* hash of a failure's kind -> index in failure[] */
	struct replay_failure *failure;	/* in order of first occurrence */
	size_t nr_failure_kinds, cap_failure_kinds;
	unsigned long kind_pages[KIND_NR];	/* live, in pages (slab: from the caches) */
	uint64_t live_objs, live_obj_bytes;

	unsigned long boot_free;	/* free pages when the replay began */
	unsigned long boot_slab_pages;	/* slab pages then */
	unsigned long max_used;		/* the exact peak of pages in use, and when */
	uint64_t max_used_event, max_used_ts;
	struct replay_snap peak, end;
	unsigned long next_snap;	/* take a peak snapshot when used exceeds this */

	struct replay_sample *samples;
	size_t nr_samples, cap_samples;
	uint64_t first_ts, last_ts;
};

/* cmdline: the -b line. 0, or -1 with a message on stderr. */
int replay_init(struct replay *r, struct kmm_machine *m, enum replay_level level, uint64_t every);
/*
 * Replays one trace file. 0; 1 when it cannot be read or holds no
 * recognisable event (message on stderr).
 */
int replay_file(struct replay *r, const char *path);
/* The same with a reader already open (trace_open), which it closes. */
int replay_reader(struct replay *r, const char *path, struct trace_reader *rd);
/* After the last file: the end snapshot, live objects. */
void replay_finish(struct replay *r);
void replay_destroy(struct replay *r);

/* Takes a snapshot of the machine now. */
void replay_snapshot(struct replay *r, struct replay_snap *s);

/* ---- output ---- */

void replay_report_text(const struct replay *r, FILE *f);
void replay_report_json(const struct replay *r, FILE *f);
/* Writes the SVG charts (and PNGs when gnuplot is there) into dir. 0, or -1 with a message. */
int replay_plot(const struct replay *r, const char *dir);

/* call sites sorted as perf kmem stat --caller sorts them (frag, hits, bytes); free() it */
const struct replay_site **replay_sorted_sites(const struct replay *r);
/* failure kinds by count; free() it */
const struct replay_failure **replay_sorted_failures(const struct replay *r);
/* page groups by their memory, then hits; free() it */
const struct replay_page_group **replay_sorted_groups(const struct replay *r);
/* "func+0x3b" as perf kmem prints it: "func+3b" */
void replay_site_perf(const char *site, char *buf, size_t len);

/* the names perf kmem and the kernel print */
const char *replay_migratetype_name(int mt);
const char *replay_kind_name(enum replay_kind k);
void replay_gfp_string(kmm_gfp_t gfp, char *buf, size_t len);

#endif /* KMM_TOOLS_REPLAY_H */
