/* SPDX-License-Identifier: MIT */
/*
 * kmm-bench's shared declarations: the workload table (each workload is a kmm
 * function run in-process and a peer function run in a child with a peer
 * malloc preloaded), the allocators compared, the results they produce, and
 * the timing helpers every workload uses, so that adding a workload is one
 * row in workloads.c plus its two functions.
 */
#ifndef KMM_BENCH_H
#define KMM_BENCH_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct kmm_machine;
struct bench_report;

/* How long each workload runs; the same for kmm and for every peer. */
struct bench_params {
	uint64_t warmup_ns;	/* run, untimed, before measuring */
	uint64_t target_ns;	/* measured time of one run of one workload */
};

/* What one run of one workload measured. */
struct bench_result {
	double ns_per_op;	/* wall ns per alloc+free pair */
	uint64_t ops;		/* pairs measured */
};

/*
 * A workload. kmm_run runs on a machine freshly booted for it, in the bench
 * process; peer_run runs in a child (`kmm-bench --child NAME`) whose malloc is
 * the peer's. Both return 0, or -errno with the reason in bench_error().
 *
 * A row with no malloc counterpart (vmalloc) has no peer_run; it names
 * instead the row of its host floor (what the host kernel itself does for
 * the same work), whose kmm_run measures the host in the bench process, and
 * its ratio is over that row's time.
 */
struct bench_workload {
	const char *name;	/* row name: "page-o0" */
	const char *kmm_op;	/* what kmm does per op: "alloc_pages(GFP_KERNEL, 0) + __free_pages" */
	const char *peer_op;	/* what a peer does per op: "malloc(4096) + free" */
	int (*kmm_run)(struct kmm_machine *m, const struct bench_params *p,
		       struct bench_result *r);
	/* NULL: a kmm-only row (nothing in a malloc to compare with), its peer cells "-" */
	int (*peer_run)(const struct bench_params *p, struct bench_result *r);
	/* kmm's machine for this row in place of --boot's ("quiet" added), or NULL */
	const char *boot;
	const char *floor;	/* the host floor's row: "host-mmap-1M"; or NULL */
};

extern const struct bench_workload bench_workloads[];
extern const unsigned int bench_nr_workloads;
const struct bench_workload *bench_workload_find(const char *name);

/* kmm_workloads.c: kmm's side of each workload. */
int bench_kmm_page_o0(struct kmm_machine *m, const struct bench_params *p, struct bench_result *r);
int bench_kmm_page_o3(struct kmm_machine *m, const struct bench_params *p, struct bench_result *r);
int bench_kmm_page_o9(struct kmm_machine *m, const struct bench_params *p, struct bench_result *r);
int bench_kmm_page_remote(struct kmm_machine *m, const struct bench_params *p,
			  struct bench_result *r);
/*
 * The two-thread rows' driver on kmm: bench_remote_run() with the booting
 * thread detached meanwhile, so that the two workers are the machine's only
 * tasks, one per CPU (each thread_fn attaches and detaches itself).
 */
int bench_kmm_remote_run(struct kmm_machine *m, void *ctx, void *(*thread_fn)(void *),
			 const struct bench_params *p, struct bench_result *r);

/*
 * The kmalloc size classes that have a row each (`kmalloc-N`): X(size, label)
 * is expanded for the declarations below, the functions of both sides and
 * the table, so that the list is written once.
 */
#define BENCH_KMALLOC_SIZES(X)                                                            \
	X(8, "8") X(16, "16") X(32, "32") X(64, "64") X(96, "96") X(128, "128")           \
	X(192, "192") X(256, "256") X(512, "512") X(1024, "1k") X(2048, "2k")             \
	X(4096, "4k") X(8192, "8k")

/*
 * The kmalloc sizes above the largest cache (KMALLOC_MAX_CACHE_SIZE, 8 KiB on
 * x86_64), each a row (`kmalloc-N`) as well: a large kmalloc, compound pages
 * straight from the page allocator. X(size, label) as above.
 */
#define BENCH_KMALLOC_LARGE_SIZES(X) X(16384, "16k") X(32768, "32k")

/* Bulk rows (`bulk-N`): N objects of BENCH_SLAB_OBJ_SIZE per bulk call. */
#define BENCH_BULK_SIZES(X) X(16) X(128)

/* The object size of the kmem_cache, bulk and two-thread slab rows. */
#define BENCH_SLAB_OBJ_SIZE 64

/* slab_workloads.c: kmm's side of the slab rows. */
#define BENCH_DECLARE_KMM_KMALLOC(size, label)                                            \
	int bench_kmm_kmalloc_##size(struct kmm_machine *m, const struct bench_params *p, \
				     struct bench_result *r);
BENCH_KMALLOC_SIZES(BENCH_DECLARE_KMM_KMALLOC)
BENCH_KMALLOC_LARGE_SIZES(BENCH_DECLARE_KMM_KMALLOC)
#define BENCH_DECLARE_KMM_BULK(n)                                                         \
	int bench_kmm_bulk_##n(struct kmm_machine *m, const struct bench_params *p,       \
			       struct bench_result *r);
BENCH_BULK_SIZES(BENCH_DECLARE_KMM_BULK)
int bench_kmm_cache_64(struct kmm_machine *m, const struct bench_params *p, struct bench_result *r);
int bench_kmm_slab_remote(struct kmm_machine *m, const struct bench_params *p,
			  struct bench_result *r);
int bench_kmm_slab_churn(struct kmm_machine *m, const struct bench_params *p,
			 struct bench_result *r);
int bench_kmm_random(struct kmm_machine *m, const struct bench_params *p, struct bench_result *r);

/*
 * The random-100k row's requests (random.c): BENCH_RANDOM_OBJS sizes from
 * BENCH_CHURN_MIN to BENCH_CHURN_MAX (remote.h), all allocated in this order,
 * then freed in free_order (a permutation of their indices); both drawn from
 * xorshift64* with a fixed seed, so that kmm and every peer serve the same
 * requests in the same order.
 */
#define BENCH_RANDOM_OBJS 100000
struct bench_random_seq {
	uint32_t size[BENCH_RANDOM_OBJS];
	uint32_t free_order[BENCH_RANDOM_OBJS];
};
const struct bench_random_seq *bench_random_seq(void);

/*
 * The large-block rows (`large-LABEL`): X(size, label), as
 * BENCH_KMALLOC_SIZES. An op writes one byte every BENCH_TOUCH_STRIDE bytes
 * of its block: every page of it.
 */
#define BENCH_LARGE_SIZES(X) X(65536, "64k") X(262144, "256k") X(1048576, "1M") X(4194304, "4M")
#define BENCH_TOUCH_STRIDE 4096

/* large_workloads.c: kvmalloc + a write to every page + kvfree. */
#define BENCH_DECLARE_KMM_LARGE(size, label)                                              \
	int bench_kmm_large_##size(struct kmm_machine *m, const struct bench_params *p,   \
				   struct bench_result *r);
BENCH_LARGE_SIZES(BENCH_DECLARE_KMM_LARGE)

/* highmem_workloads.c: the kmap rows, kmm only, on a highmem machine of their own. */
#define BENCH_HIGHMEM_BOOT "profile=i386-highmem mem=2G"
#define BENCH_HIGHMEM_PAGES 2048	/* the uncached rows' cycle: 2 x LAST_PKMAP */
int bench_kmm_kmap_cached(struct kmm_machine *m, const struct bench_params *p,
			  struct bench_result *r);
int bench_kmm_kmap_uncached(struct kmm_machine *m, const struct bench_params *p,
			    struct bench_result *r);
int bench_kmm_kmap_local_cached(struct kmm_machine *m, const struct bench_params *p,
				struct bench_result *r);
int bench_kmm_kmap_local_uncached(struct kmm_machine *m, const struct bench_params *p,
				  struct bench_result *r);

/*
 * The vmalloc rows (`vmalloc-LABEL`, each beside its host floor
 * `host-mmap-LABEL`): X(size, label), as BENCH_KMALLOC_SIZES.
 */
#define BENCH_VMALLOC_SIZES(X) X(4096, "4k") X(65536, "64k") X(1048576, "1M") X(16777216, "16M")

/* vmalloc_workloads.c: vmalloc+vfree rows, and their host floors (mmap+munmap). */
#define BENCH_DECLARE_VMALLOC(size, label)                                                \
	int bench_kmm_vmalloc_##size(struct kmm_machine *m, const struct bench_params *p, \
				     struct bench_result *r);                             \
	int bench_host_mmap_##size(struct kmm_machine *m, const struct bench_params *p,   \
				   struct bench_result *r);
BENCH_VMALLOC_SIZES(BENCH_DECLARE_VMALLOC)

/*
 * kmm_run.c: runs workload wi once on a machine booted for it from
 * rep->boot_cmdline, then quiesces and checks the machine (adding to rep's
 * check counts). 0, or -1 with the reason in err.
 */
int bench_kmm_run(struct bench_report *rep, unsigned int wi, struct bench_result *r,
		  long *maxrss_kb, char *err, size_t errlen);

/* peer_workloads.c: the same workloads over malloc/free. */
int bench_peer_malloc_4k(const struct bench_params *p, struct bench_result *r);
int bench_peer_malloc_32k(const struct bench_params *p, struct bench_result *r);
int bench_peer_malloc_2m(const struct bench_params *p, struct bench_result *r);
int bench_peer_malloc_remote(const struct bench_params *p, struct bench_result *r);
#define BENCH_DECLARE_PEER_MALLOC(size, label)                                            \
	int bench_peer_malloc_##size(const struct bench_params *p, struct bench_result *r);
BENCH_KMALLOC_SIZES(BENCH_DECLARE_PEER_MALLOC)
BENCH_KMALLOC_LARGE_SIZES(BENCH_DECLARE_PEER_MALLOC)
#define BENCH_DECLARE_PEER_BULK(n)                                                        \
	int bench_peer_bulk_##n(const struct bench_params *p, struct bench_result *r);
BENCH_BULK_SIZES(BENCH_DECLARE_PEER_BULK)
int bench_peer_malloc_remote_64(const struct bench_params *p, struct bench_result *r);
int bench_peer_churn(const struct bench_params *p, struct bench_result *r);
int bench_peer_random(const struct bench_params *p, struct bench_result *r);
#define BENCH_DECLARE_PEER_LARGE(size, label)                                             \
	int bench_peer_large_##size(const struct bench_params *p, struct bench_result *r);
BENCH_LARGE_SIZES(BENCH_DECLARE_PEER_LARGE)

/* ---- allocators ---- */

enum bench_alloc_kind {
	BENCH_ALLOC_KMM,	/* in-process, on a booted machine */
	BENCH_ALLOC_LIBC,	/* a child without LD_PRELOAD */
	BENCH_ALLOC_PRELOAD,	/* a child with LD_PRELOAD=path */
};

enum bench_alloc_status {
	BENCH_ALLOC_OK,
	BENCH_ALLOC_MISSING,	/* "not installed" */
	BENCH_ALLOC_SKIPPED,	/* e.g. a sanitizer build */
};

#define BENCH_MAX_ALLOCATORS 8

struct bench_allocator {
	const char *name;		/* column: "kmm", "glibc", "jemalloc" ... */
	enum bench_alloc_kind kind;
	enum bench_alloc_status status;
	char note[128];			/* why missing or skipped */
	char path[PATH_MAX];		/* the preloaded .so (PRELOAD) */
	char version[128];		/* "libjemalloc2 5.3.0-1", "glibc 2.36", "kmm 0.1.0" */
	bool ours;			/* kmm's own malloc (libkmm-malloc.so): never the best peer */
};

/* peers.c: the columns (kmm first), found at run time; returns their number. */
int bench_allocators_find(struct bench_allocator *a, int max, bool sanitizer);

/*
 * peers.c: runs workload w in a child (fork+exec of /proc/self/exe) with
 * allocator a's malloc. 0, or -1 with the reason in err.
 */
int bench_peer_spawn(const struct bench_allocator *a, const struct bench_workload *w,
		     const struct bench_params *p, struct bench_result *r, long *maxrss_kb,
		     char *err, size_t errlen);
/* The child's side: runs one workload and prints its result line. Exit status. */
int bench_child_main(int argc, char **argv);

/* ---- results ---- */

/* One cell of the table: one workload on one allocator over all runs. */
struct bench_cell {
	double *samples;	/* ns/op of each successful run */
	int n;
	double *by_run;		/* ns/op of run i, NAN if it failed: pairs kmm with a peer */
	long maxrss_kb;		/* peak RSS, max over runs; 0: unknown */
	int failures;
	char error[256];	/* the first failure */
};

struct bench_machine_info {
	long nproc;
	char cpu_model[128];
	char kernel[128];
	char date[64];		/* UTC, ISO 8601 */
	char compiler[128];
	char build[128];	/* optimisation, build type, sanitizer */
};

struct bench_report {
	struct bench_allocator alloc[BENCH_MAX_ALLOCATORS];
	int nr_alloc;
	unsigned int *workloads;	/* rows: indices into bench_workloads */
	unsigned int nr_workloads;
	struct bench_cell *cells;	/* [row * nr_alloc + allocator] */
	int failures;			/* runs that failed, kmm's and the peers' */
	int runs;
	bool quick;
	bool sanitizer;
	struct bench_params params;
	char command[512];		/* how the bench was invoked */
	char results_path[PATH_MAX];	/* the Markdown file; "" if none */
	/* kmm's machines, one booted per workload and run */
	char boot_cmdline[256];
	char kmm_profile[64];
	unsigned int kmm_cpus;
	unsigned long kmm_mem_mib;
	int kmm_checks;			/* machines checked */
	int kmm_check_violations;	/* sum of kmm_page_alloc_check() */
	int kmm_slab_violations;	/* sum of kmm_slab_check() */
	unsigned long kmm_vmalloc_violations;	/* sum of kmm_vmalloc_check() */
	long kmm_lost_pages;		/* sum of free pages not back after quiesce */
	bool rss_per_workload;		/* kmm's RSS reset before each workload */
	struct bench_machine_info machine;
};

static inline struct bench_cell *bench_cell(const struct bench_report *rep, unsigned int row,
					    int a)
{
	return &rep->cells[row * (unsigned int)rep->nr_alloc + (unsigned int)a];
}

/* bench.c: the median and the minimum of n > 0 samples */
double bench_median(const double *v, int n);
double bench_min(const double *v, int n);

/* report.c */
void bench_machine_info(struct bench_machine_info *mi);
void bench_print_text(const struct bench_report *rep, FILE *f);
void bench_print_json(const struct bench_report *rep, FILE *f);
/* 0, or -errno (the file could not be written). */
int bench_write_markdown(const struct bench_report *rep, const char *path);
/* goals.c: the speed goals, checked against this run */
void bench_print_goals(const struct bench_report *rep, FILE *f, bool markdown);

/* ---- timing and helpers (bench.c) ---- */

static inline uint64_t bench_clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static inline uint64_t bench_now_ns(void)
{
	return bench_clock_ns(CLOCK_MONOTONIC);
}

/*
 * Makes p escape and every store before it happen: a malloc/free pair whose
 * block is never used is otherwise removed by the compiler.
 */
static inline void bench_escape(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

static inline void bench_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

/* Records why the last workload failed (for this thread); returns err. */
int bench_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *bench_error(void);

/*
 * Single-thread timing: calls fn(arg, n) (n ops, 0 or -errno) in batches,
 * untimed for p->warmup_ns, then timed until p->target_ns have passed.
 */
int bench_loop(int (*fn)(void *arg, uint64_t n), void *arg, const struct bench_params *p,
	       struct bench_result *r);
/*
 * The same on another clock: CLOCK_PROCESS_CPUTIME_ID counts the work the
 * op leaves to other threads of the process (vmalloc's lazy purge, on the
 * machine's workqueue thread) where wall time would hide it on an idle CPU.
 */
int bench_loop_clock(int (*fn)(void *arg, uint64_t n), void *arg, const struct bench_params *p,
		     struct bench_result *r, clockid_t clock);
/* bench_loop() whose op handles `per` objects (a bulk, a round): the result is per object. */
int bench_loop_per(int (*fn)(void *arg, uint64_t n), void *arg, unsigned int per,
		   const struct bench_params *p, struct bench_result *r);

/* Peak RSS of this process since the last bench_rss_reset(), in KiB (0: unknown). */
long bench_rss_peak_kb(void);
/* Restarts the peak (Linux's clear_refs "5"); false where that is not possible. */
bool bench_rss_reset(void);

#endif /* KMM_BENCH_H */
