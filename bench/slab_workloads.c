/* SPDX-License-Identifier: MIT */
/*
 * kmm's side of the slab rows, run in the bench process on a machine booted
 * for the run (kmm_run.c checks it afterwards: kmm_quiesce, kmm_slab_check,
 * kmm_page_alloc_check and every page back):
 *
 *   kmalloc-N         kmalloc(N, GFP_KERNEL) + kfree, N each size class, then
 *                     16k and 32k: large kmallocs (compound pages)
 *   kmem_cache-64     kmem_cache_alloc + kmem_cache_free, a cache of its own
 *   bulk-N            kmem_cache_alloc_bulk + kmem_cache_free_bulk of N objects
 *   slab-2thr-remote  kmalloc(64) on one CPU, kfree on the other
 *   slab-2thr-churn   two working sets of 10 000 kmalloc'd objects, 8..1024 bytes
 *   random-100k       100 000 kmallocs of random sizes (8..1024 bytes), then
 *                     their kfrees in a random order
 *
 * Every object allocated gets one byte written, as the peers' blocks do. A
 * row that creates a cache destroys it before it returns, so that the
 * machine ends as it booted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kmm/kmm.h>

#include "bench.h"
#include "remote.h"

struct slab_ctx {
	struct kmm_machine *m;
	struct kmm_kmem_cache *s;
	size_t size;		/* kmalloc's request */
	unsigned int bulk;	/* objects per bulk call */
	const struct bench_random_seq *seq;	/* random-100k's requests */
	void **objs;		/* random-100k's blocks */
};

/* ---- kmalloc-N ---- */

static int kmalloc_batch(void *arg, uint64_t n)
{
	const struct slab_ctx *c = arg;

	for (uint64_t i = 0; i < n; i++) {
		char *obj = kmm_kmalloc(c->m, c->size, KMM_GFP_KERNEL);

		if (!obj)
			return bench_fail(-ENOMEM, "kmalloc(%zu, GFP_KERNEL) failed", c->size);
		obj[0] = (char)i;
		bench_escape(obj);
		kmm_kfree(c->m, obj);
	}
	return 0;
}

/*
 * The row measures what it names: kmalloc(size) must come from the cache
 * kmalloc-size or, where the row says large, be a large kmalloc of exactly
 * size bytes (compound pages of that order, no cache).
 */
static int kmalloc_check(struct kmm_machine *m, size_t size, bool large)
{
	void *obj = kmm_kmalloc(m, size, KMM_GFP_KERNEL);
	size_t got;

	if (!obj)
		return bench_fail(-ENOMEM, "kmalloc(%zu, GFP_KERNEL) failed", size);
	got = kmm_ksize(m, obj);
	kmm_kfree(m, obj);
	if (got != size)
		return bench_fail(-EINVAL, "kmalloc(%zu) has ksize %zu: not a size class", size, got);
	if (large != !kmm_kmalloc_cache(m, size, KMM_GFP_KERNEL))
		return bench_fail(-EINVAL, "kmalloc(%zu) is %s here", size,
				  large ? "a cache's object, not a large kmalloc"
					: "a large kmalloc, not a cache's object");
	return 0;
}

static int kmalloc_run(struct kmm_machine *m, size_t size, bool large,
		       const struct bench_params *p, struct bench_result *r)
{
	struct slab_ctx c = { .m = m, .size = size };
	int ret = kmalloc_check(m, size, large);

	return ret ? ret : bench_loop(kmalloc_batch, &c, p, r);
}

#define BENCH_DEFINE_KMM_KMALLOC(size, label)                                             \
	int bench_kmm_kmalloc_##size(struct kmm_machine *m, const struct bench_params *p, \
				     struct bench_result *r)                              \
	{                                                                                 \
		return kmalloc_run(m, size, false, p, r);                                 \
	}
BENCH_KMALLOC_SIZES(BENCH_DEFINE_KMM_KMALLOC)

#define BENCH_DEFINE_KMM_KMALLOC_LARGE(size, label)                                       \
	int bench_kmm_kmalloc_##size(struct kmm_machine *m, const struct bench_params *p, \
				     struct bench_result *r)                              \
	{                                                                                 \
		return kmalloc_run(m, size, true, p, r);                                  \
	}
BENCH_KMALLOC_LARGE_SIZES(BENCH_DEFINE_KMM_KMALLOC_LARGE)

/* ---- a cache of BENCH_SLAB_OBJ_SIZE-byte objects: kmem_cache-64, bulk-N ---- */

static int cache_create(struct slab_ctx *c, struct kmm_machine *m)
{
	c->m = m;
	c->s = kmm_kmem_cache_create(m, "bench-64", BENCH_SLAB_OBJ_SIZE, 0, KMM_SLAB_NO_MERGE,
				     NULL);
	if (!c->s)
		return bench_fail(-ENOMEM, "kmem_cache_create(\"bench-64\", %d): %s",
				  BENCH_SLAB_OBJ_SIZE, kmm_last_error());
	return 0;
}

static int cache_batch(void *arg, uint64_t n)
{
	const struct slab_ctx *c = arg;

	for (uint64_t i = 0; i < n; i++) {
		char *obj = kmm_kmem_cache_alloc(c->s, KMM_GFP_KERNEL);

		if (!obj)
			return bench_fail(-ENOMEM, "kmem_cache_alloc(bench-64, GFP_KERNEL) failed");
		obj[0] = (char)i;
		bench_escape(obj);
		kmm_kmem_cache_free(c->s, obj);
	}
	return 0;
}

int bench_kmm_cache_64(struct kmm_machine *m, const struct bench_params *p, struct bench_result *r)
{
	struct slab_ctx c;
	int ret = cache_create(&c, m);

	if (ret)
		return ret;
	ret = bench_loop(cache_batch, &c, p, r);
	kmm_kmem_cache_destroy(c.s);
	return ret;
}

#define BENCH_BULK_MAX 128

static int bulk_batch(void *arg, uint64_t n)
{
	const struct slab_ctx *c = arg;
	void *objs[BENCH_BULK_MAX];

	for (uint64_t i = 0; i < n; i++) {
		if (kmm_kmem_cache_alloc_bulk(c->s, KMM_GFP_KERNEL, c->bulk, objs) != (int)c->bulk)
			return bench_fail(-ENOMEM, "kmem_cache_alloc_bulk(bench-64, %u) failed",
					  c->bulk);
		for (unsigned int j = 0; j < c->bulk; j++) {
			((char *)objs[j])[0] = (char)j;
			bench_escape(objs[j]);
		}
		kmm_kmem_cache_free_bulk(c->s, c->bulk, objs);
	}
	return 0;
}

/* An op of bench_loop() is one bulk call: the row gives ns per object. */
static int bulk_run(struct kmm_machine *m, unsigned int bulk, const struct bench_params *p,
		    struct bench_result *r)
{
	struct slab_ctx c;
	int ret = cache_create(&c, m);

	if (ret)
		return ret;
	c.bulk = bulk;
	ret = bench_loop_per(bulk_batch, &c, bulk, p, r);
	kmm_kmem_cache_destroy(c.s);
	return ret;
}

#define BENCH_DEFINE_KMM_BULK(n)                                                          \
	_Static_assert(n <= BENCH_BULK_MAX, "bulk size");                                 \
	int bench_kmm_bulk_##n(struct kmm_machine *m, const struct bench_params *p,       \
			       struct bench_result *r)                                    \
	{                                                                                 \
		return bulk_run(m, n, p, r);                                              \
	}
BENCH_BULK_SIZES(BENCH_DEFINE_KMM_BULK)

/* ---- random-100k: every size class at once, freed out of order ---- */

static int random_batch(void *arg, uint64_t n)
{
	const struct slab_ctx *c = arg;
	const struct bench_random_seq *seq = c->seq;

	for (uint64_t i = 0; i < n; i++) {
		for (unsigned int j = 0; j < BENCH_RANDOM_OBJS; j++) {
			char *obj = kmm_kmalloc(c->m, seq->size[j], KMM_GFP_KERNEL);

			if (!obj) {
				int err = bench_fail(-ENOMEM, "kmalloc(%u, GFP_KERNEL) failed",
						     seq->size[j]);

				while (j--)
					kmm_kfree(c->m, c->objs[j]);
				return err;
			}
			obj[0] = (char)j;
			bench_escape(obj);
			c->objs[j] = obj;
		}
		for (unsigned int j = 0; j < BENCH_RANDOM_OBJS; j++)
			kmm_kfree(c->m, c->objs[seq->free_order[j]]);
	}
	return 0;
}

/* An op of bench_loop() is one round of every request: the row gives ns per object. */
int bench_kmm_random(struct kmm_machine *m, const struct bench_params *p, struct bench_result *r)
{
	struct slab_ctx c = { .m = m, .seq = bench_random_seq() };
	int ret;

	c.objs = calloc(BENCH_RANDOM_OBJS, sizeof(*c.objs));
	if (!c.objs)
		return bench_fail(-ENOMEM, "out of memory for %d pointers", BENCH_RANDOM_OBJS);
	ret = bench_loop_per(random_batch, &c, BENCH_RANDOM_OBJS, p, r);
	free(c.objs);
	return ret;
}

/* ---- two threads, each a task of the machine on a CPU of its own ---- */

static void *kmalloc_obj(void *ctx, size_t size)
{
	const struct slab_ctx *c = ctx;
	char *obj = kmm_kmalloc(c->m, size, KMM_GFP_KERNEL);

	if (!obj) {
		bench_fail(-ENOMEM, "kmalloc(%zu, GFP_KERNEL) failed", size);
		return NULL;
	}
	obj[0] = 1;
	bench_escape(obj);
	return obj;
}

static void *remote_alloc(void *ctx)
{
	return kmalloc_obj(ctx, BENCH_SLAB_OBJ_SIZE);
}

static void slab_free(void *ctx, void *obj)
{
	const struct slab_ctx *c = ctx;

	kmm_kfree(c->m, obj);
}

static void *remote_thread(void *arg)
{
	struct bench_remote_thread *t = arg;
	const struct slab_ctx *c = t->r->ctx;

	if (kmm_thread_attach(c->m)) {
		bench_remote_abandon(t, kmm_last_error());
		return NULL;
	}
	bench_remote_start(t);
	bench_remote_loop(t, remote_alloc, slab_free);
	kmm_thread_detach();
	return NULL;
}

/* The two workers are the machine's only tasks meanwhile (bench_kmm_remote_run()). */
int bench_kmm_slab_remote(struct kmm_machine *m, const struct bench_params *p,
			  struct bench_result *r)
{
	struct slab_ctx c = { .m = m };
	int ret = kmalloc_check(m, BENCH_SLAB_OBJ_SIZE, false);

	return ret ? ret : bench_kmm_remote_run(m, &c, remote_thread, p, r);
}

static void *churn_thread(void *arg)
{
	struct bench_remote_thread *t = arg;
	const struct slab_ctx *c = t->r->ctx;
	uint64_t rng = bench_churn_seed(t->idx);
	void **slot;

	if (kmm_thread_attach(c->m)) {
		bench_remote_abandon(t, kmm_last_error());
		return NULL;
	}
	slot = calloc(BENCH_CHURN_SLOTS, sizeof(*slot));
	if (!slot) {
		bench_remote_abandon(t, "out of memory for the working set");
	} else if (bench_churn_fill(slot, &rng, t->r->ctx, kmalloc_obj)) {
		bench_remote_abandon(t, bench_error());
	} else {
		bench_remote_start(t);
		bench_churn_loop(t, slot, &rng, kmalloc_obj, slab_free);
	}
	if (slot)
		for (unsigned int i = 0; i < BENCH_CHURN_SLOTS; i++)
			kmm_kfree(c->m, slot[i]);
	free(slot);
	kmm_thread_detach();
	return NULL;
}

int bench_kmm_slab_churn(struct kmm_machine *m, const struct bench_params *p,
			 struct bench_result *r)
{
	struct slab_ctx c = { .m = m };

	return bench_kmm_remote_run(m, &c, churn_thread, p, r);
}
