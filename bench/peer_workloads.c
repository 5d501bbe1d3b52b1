/* SPDX-License-Identifier: MIT */
/*
 * The peers' side of the workloads, and the child process that runs them:
 * `kmm-bench --child WORKLOAD --warmup-ns N --time-ns N` runs one workload
 * over whatever malloc the process has (glibc's, or the one LD_PRELOAD put
 * first) and prints one result line for the parent, naming the library that
 * malloc came from so that the parent can tell a preload that did not take,
 * and giving its own peak RSS (VmHWM): the parent's ru_maxrss of the child
 * would not do, as a child started by vfork (posix_spawn) inherits the
 * parent's high-water mark at exec.
 *
 * Each op writes one byte of its block, behind a compiler barrier, as kmm's
 * side does: otherwise the compiler may delete a malloc/free pair outright.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "remote.h"

static int malloc_batch(void *arg, uint64_t n)
{
	const size_t size = *(const size_t *)arg;

	for (uint64_t i = 0; i < n; i++) {
		char *p = malloc(size);

		if (!p)
			return bench_fail(-ENOMEM, "malloc(%zu) failed", size);
		p[0] = (char)i;
		bench_escape(p);
		free(p);
	}
	return 0;
}

static int malloc_run(size_t size, const struct bench_params *p, struct bench_result *r)
{
	return bench_loop(malloc_batch, &size, p, r);
}

int bench_peer_malloc_4k(const struct bench_params *p, struct bench_result *r)
{
	return malloc_run(4096, p, r);
}

int bench_peer_malloc_32k(const struct bench_params *p, struct bench_result *r)
{
	return malloc_run(32768, p, r);
}

int bench_peer_malloc_2m(const struct bench_params *p, struct bench_result *r)
{
	return malloc_run(2u << 20, p, r);
}

/* ---- the remote-free pair: malloc(4096) on one thread, free on the other ---- */

/* A block for the two-thread rows, one byte written. */
static void *malloc_obj(void *ctx, size_t size)
{
	char *p = malloc(size);

	(void)ctx;
	if (!p) {
		bench_fail(-ENOMEM, "malloc(%zu) failed", size);
		return NULL;
	}
	p[0] = 1;
	bench_escape(p);
	return p;
}

static void *remote_alloc(void *ctx)
{
	return malloc_obj(ctx, 4096);
}

static void remote_free(void *ctx, void *obj)
{
	(void)ctx;
	free(obj);
}

static void *remote_thread(void *arg)
{
	struct bench_remote_thread *t = arg;

	bench_remote_start(t);
	bench_remote_loop(t, remote_alloc, remote_free);
	return NULL;
}

int bench_peer_malloc_remote(const struct bench_params *p, struct bench_result *r)
{
	return bench_remote_run(NULL, remote_thread, p, r);
}

/* ---- the slab rows' counterparts ---- */

#define BENCH_DEFINE_PEER_MALLOC(size, label)                                             \
	int bench_peer_malloc_##size(const struct bench_params *p, struct bench_result *r) \
	{                                                                                 \
		return malloc_run(size, p, r);                                            \
	}
BENCH_KMALLOC_SIZES(BENCH_DEFINE_PEER_MALLOC)
BENCH_KMALLOC_LARGE_SIZES(BENCH_DEFINE_PEER_MALLOC)

#define BENCH_BULK_MAX 128

/* bulk-N: N mallocs, then N frees in the same order, as kmem_cache_free_bulk() frees. */
static int bulk_batch(void *arg, uint64_t n)
{
	const unsigned int bulk = *(const unsigned int *)arg;
	void *objs[BENCH_BULK_MAX];

	for (uint64_t i = 0; i < n; i++) {
		for (unsigned int j = 0; j < bulk; j++) {
			char *p = malloc(BENCH_SLAB_OBJ_SIZE);

			if (!p) {
				while (j--)
					free(objs[j]);
				return bench_fail(-ENOMEM, "malloc(%d) failed", BENCH_SLAB_OBJ_SIZE);
			}
			p[0] = (char)j;
			bench_escape(p);
			objs[j] = p;
		}
		for (unsigned int j = 0; j < bulk; j++)
			free(objs[j]);
	}
	return 0;
}

/* An op of bench_loop() is one bulk: the row gives ns per object. */
static int bulk_run(unsigned int bulk, const struct bench_params *p, struct bench_result *r)
{
	return bench_loop_per(bulk_batch, &bulk, bulk, p, r);
}

#define BENCH_DEFINE_PEER_BULK(n)                                                         \
	_Static_assert(n <= BENCH_BULK_MAX, "bulk size");                                 \
	int bench_peer_bulk_##n(const struct bench_params *p, struct bench_result *r)     \
	{                                                                                 \
		return bulk_run(n, p, r);                                                 \
	}
BENCH_BULK_SIZES(BENCH_DEFINE_PEER_BULK)

/* slab-2thr-remote: malloc(64) on one thread, free on the other */
static void *remote_alloc_64(void *ctx)
{
	return malloc_obj(ctx, BENCH_SLAB_OBJ_SIZE);
}

static void *remote_thread_64(void *arg)
{
	struct bench_remote_thread *t = arg;

	bench_remote_start(t);
	bench_remote_loop(t, remote_alloc_64, remote_free);
	return NULL;
}

int bench_peer_malloc_remote_64(const struct bench_params *p, struct bench_result *r)
{
	return bench_remote_run(NULL, remote_thread_64, p, r);
}

/* slab-2thr-churn: the same working sets and requests over malloc/free */
static void *churn_thread(void *arg)
{
	struct bench_remote_thread *t = arg;
	uint64_t rng = bench_churn_seed(t->idx);
	void **slot = calloc(BENCH_CHURN_SLOTS, sizeof(*slot));

	if (!slot) {
		bench_remote_abandon(t, "out of memory for the working set");
		return NULL;
	}
	if (bench_churn_fill(slot, &rng, NULL, malloc_obj)) {
		bench_remote_abandon(t, bench_error());
	} else {
		bench_remote_start(t);
		bench_churn_loop(t, slot, &rng, malloc_obj, remote_free);
	}
	for (unsigned int i = 0; i < BENCH_CHURN_SLOTS; i++)
		free(slot[i]);
	free(slot);
	return NULL;
}

int bench_peer_churn(const struct bench_params *p, struct bench_result *r)
{
	return bench_remote_run(NULL, churn_thread, p, r);
}

/* random-100k: the same sizes and order of frees over malloc/free */
struct random_ctx {
	const struct bench_random_seq *seq;
	void **objs;
};

static int random_batch(void *arg, uint64_t n)
{
	const struct random_ctx *c = arg;
	const struct bench_random_seq *seq = c->seq;

	for (uint64_t i = 0; i < n; i++) {
		for (unsigned int j = 0; j < BENCH_RANDOM_OBJS; j++) {
			char *p = malloc(seq->size[j]);

			if (!p) {
				int err = bench_fail(-ENOMEM, "malloc(%u) failed", seq->size[j]);

				while (j--)
					free(c->objs[j]);
				return err;
			}
			p[0] = (char)j;
			bench_escape(p);
			c->objs[j] = p;
		}
		for (unsigned int j = 0; j < BENCH_RANDOM_OBJS; j++)
			free(c->objs[seq->free_order[j]]);
	}
	return 0;
}

/* An op of bench_loop() is one round of every request: the row gives ns per object. */
int bench_peer_random(const struct bench_params *p, struct bench_result *r)
{
	struct random_ctx c = { .seq = bench_random_seq() };
	int ret;

	c.objs = calloc(BENCH_RANDOM_OBJS, sizeof(*c.objs));
	if (!c.objs)
		return bench_fail(-ENOMEM, "out of memory for %d pointers", BENCH_RANDOM_OBJS);
	ret = bench_loop_per(random_batch, &c, BENCH_RANDOM_OBJS, p, r);
	free(c.objs);
	return ret;
}

/* large-N: malloc(N), a write to every page, free */
static int large_batch(void *arg, uint64_t n)
{
	const size_t size = *(const size_t *)arg;

	for (uint64_t i = 0; i < n; i++) {
		char *p = malloc(size);

		if (!p)
			return bench_fail(-ENOMEM, "malloc(%zu) failed", size);
		for (size_t off = 0; off < size; off += BENCH_TOUCH_STRIDE)
			p[off] = (char)i;
		bench_escape(p);
		free(p);
	}
	return 0;
}

static int large_run(size_t size, const struct bench_params *p, struct bench_result *r)
{
	return bench_loop(large_batch, &size, p, r);
}

#define BENCH_DEFINE_PEER_LARGE(size, label)                                              \
	int bench_peer_large_##size(const struct bench_params *p, struct bench_result *r) \
	{                                                                                 \
		return large_run(size, p, r);                                             \
	}
BENCH_LARGE_SIZES(BENCH_DEFINE_PEER_LARGE)

/* ---- the child ---- */

/* The file of the library whose malloc this process calls. */
static const char *malloc_provider(void)
{
	void *sym = dlsym(RTLD_DEFAULT, "malloc");
	Dl_info info;

	if (!sym || !dladdr(sym, &info) || !info.dli_fname)
		return "?";
	return info.dli_fname;
}

static int parse_ns(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*v = x;
	return 0;
}

int bench_child_main(int argc, char **argv)
{
	struct bench_params p = { .warmup_ns = 0, .target_ns = 1000000 };
	const struct bench_workload *w = NULL;
	struct bench_result r = { 0 };
	int ret;

	for (int i = 1; i < argc; i += 2) {
		bool ok = i + 1 < argc;

		if (ok && !strcmp(argv[i], "--child"))
			ok = (w = bench_workload_find(argv[i + 1])) != NULL;
		else if (ok && !strcmp(argv[i], "--warmup-ns"))
			ok = !parse_ns(argv[i + 1], &p.warmup_ns);
		else if (ok && !strcmp(argv[i], "--time-ns"))
			ok = !parse_ns(argv[i + 1], &p.target_ns);
		else
			ok = false;
		if (!ok) {
			w = NULL;
			break;
		}
	}
	if (!w || !w->peer_run) {
		fprintf(stderr, "usage: kmm-bench --child WORKLOAD [--warmup-ns N] [--time-ns N]"
			" (a workload with a peer side)\n");
		return 2;
	}
	/* a hung child must not hang the bench */
	alarm((unsigned int)((p.warmup_ns + p.target_ns) / 1000000000ULL) + 60);
	ret = w->peer_run(&p, &r);
	if (ret) {
		fprintf(stderr, "kmm-bench --child %s: %s\n", w->name, bench_error());
		return 1;
	}
	printf("kmm-bench-result ns_per_op=%.6f ops=%llu maxrss_kib=%ld malloc=%s\n", r.ns_per_op,
	       (unsigned long long)r.ops, bench_rss_peak_kb(), malloc_provider());
	return fflush(stdout) ? 1 : 0;
}
