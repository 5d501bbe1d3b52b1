/* SPDX-License-Identifier: MIT */
/*
 * The slab allocator and kmalloc: every size class with exact ksize and
 * alignment, the seed-era table on at91rm9200, large kmalloc, krealloc
 * keeping content, constructors, bulk APIs, merging, destroy with live
 * objects, shrink, and random threaded alloc/free with remote frees ending
 * with every counter at its boot value and the walker clean.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include <kmm/kmm.h>

#include "kmm_log.h"
#include "kmm_boot.h"
#include "kunit.h"

static struct kmm_kmem_cache *cache_named(struct kmm_machine *m, const char *name)
{
	for (struct kmm_kmem_cache *s = kmm_slab_cache_next(m, NULL); s; s = kmm_slab_cache_next(m, s))
		if (!strcmp(kmm_kmem_cache_name(s), name))
			return s;
	return NULL;
}

static void size_classes_ksize_alignment(struct kunit *test)
{
	static const struct {
		size_t req, bucket;
	} cases[] = {
		{ 1, 8 }, { 8, 8 }, { 9, 16 }, { 16, 16 }, { 17, 32 }, { 33, 64 }, { 64, 64 },
		{ 65, 96 }, { 96, 96 }, { 97, 128 }, { 128, 128 }, { 129, 192 }, { 192, 192 },
		{ 193, 256 }, { 257, 512 }, { 513, 1024 }, { 1025, 2048 }, { 2049, 4096 },
		{ 4097, 8192 }, { 8192, 8192 },
	};
	struct kmm_machine *m = boot(test, "");

	KUNIT_ASSERT_NOT_NULL(test, m);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		void *p = kmm_kmalloc(m, cases[i].req, KMM_GFP_KERNEL);
		size_t b = cases[i].bucket;
		size_t align = (b & (b - 1)) ? 8 : b;

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ(test, kmm_ksize(m, p), b);
		KUNIT_EXPECT_EQ(test, kmm_kmalloc_size_roundup(m, cases[i].req), b);
		KUNIT_EXPECT_EQ(test, (uintptr_t)p % align, 0);
		memset(p, 0xa5, cases[i].req);
		kmm_kfree(m, p);
	}
	/* every kmalloc cache exists with the kernel's names */
	KUNIT_EXPECT_NOT_NULL(test, cache_named(m, "kmalloc-8"));
	KUNIT_EXPECT_NOT_NULL(test, cache_named(m, "kmalloc-96"));
	KUNIT_EXPECT_NOT_NULL(test, cache_named(m, "kmalloc-192"));
	KUNIT_EXPECT_NOT_NULL(test, cache_named(m, "kmalloc-1k"));
	KUNIT_EXPECT_NOT_NULL(test, cache_named(m, "kmalloc-8k"));
	KUNIT_EXPECT_NOT_NULL(test, cache_named(m, "dma-kmalloc-64"));
	KUNIT_EXPECT_NOT_NULL(test, cache_named(m, "kmalloc-rcl-256"));
	KUNIT_EXPECT_NULL(test, cache_named(m, "kmalloc-16k"));
	/* GFP_DMA objects come from ZONE_DMA */
	{
		void *d = kmm_kmalloc(m, 100, KMM_GFP_KERNEL | KMM_GFP_DMA);

		KUNIT_ASSERT_NOT_NULL(test, d);
		KUNIT_EXPECT_STREQ(test, kmm_page_zone_name(kmm_virt_to_page(kmm_layout(m), d)), "DMA");
		kmm_kfree(m, d);
	}
	/* zero size, NULL */
	KUNIT_EXPECT_EQ(test, (uintptr_t)kmm_kmalloc(m, 0, KMM_GFP_KERNEL), 16);
	kmm_kfree(m, NULL);
	kmm_kfree(m, KMM_ZERO_SIZE_PTR);
	KUNIT_EXPECT_EQ(test, kmm_ksize(m, NULL), 0);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);
}

static void seed_table_on_at91(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "profile=at91rm9200");
	void *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_NULL(test, cache_named(m, "kmalloc-8"));
	KUNIT_EXPECT_NULL(test, cache_named(m, "kmalloc-96"));
	KUNIT_EXPECT_NULL(test, cache_named(m, "kmalloc-192"));
	KUNIT_EXPECT_NOT_NULL(test, cache_named(m, "kmalloc-32"));
	KUNIT_EXPECT_NOT_NULL(test, cache_named(m, "kmalloc-128k"));
	KUNIT_EXPECT_NULL(test, cache_named(m, "dma-kmalloc-32"));	/* no ZONE_DMA */
	p = kmm_kmalloc(m, 1, KMM_GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, kmm_ksize(m, p), 32);
	kmm_kfree(m, p);
	p = kmm_kmalloc(m, 80, KMM_GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, kmm_ksize(m, p), 128);
	kmm_kfree(m, p);
	p = kmm_kmalloc(m, 100000, KMM_GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, kmm_ksize(m, p), 131072);
	kmm_kfree(m, p);
	/* above the largest cache, the seed era's kmalloc returns NULL */
	KUNIT_EXPECT_NULL(test, kmm_kmalloc(m, 131073, KMM_GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);
}

static void large_kmalloc(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	unsigned long free;
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_quiesce(m);
	free = kmm_nr_free_pages(m);
	p = kmm_kmalloc(m, 8193, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, kmm_ksize(m, p), 16384);
	KUNIT_EXPECT_EQ(test, (uintptr_t)p % 16384, 0);
	KUNIT_EXPECT_TRUE(test, kmm_PageHead(kmm_virt_to_page(kmm_layout(m), p)));
	memset(p, 1, 16384);
	kmm_kfree(m, p);
	p = kmm_kmalloc(m, 4 << 20, KMM_GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, p);
	kmm_kfree(m, p);
	KUNIT_EXPECT_NULL(test, kmm_kmalloc(m, (4 << 20) + 1, KMM_GFP_KERNEL | KMM___GFP_NOWARN));
	KUNIT_EXPECT_EQ(test, kmm_kmalloc_max_size(m), 4 << 20);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free);
	kmm_shutdown(m);
}

static void family(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	char *a, *b, *s;
	int *z;

	KUNIT_ASSERT_NOT_NULL(test, m);
	a = kmm_kmalloc(m, 20, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	strcpy(a, "nineteen characters");
	/* within the bucket: the same object */
	KUNIT_EXPECT_EQ(test, (uintptr_t)kmm_krealloc(m, a, 30, KMM_GFP_KERNEL), (uintptr_t)a);
	b = kmm_krealloc(m, a, 300, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_STREQ(test, b, "nineteen characters");
	KUNIT_EXPECT_EQ(test, kmm_ksize(m, b), 512);
	KUNIT_EXPECT_EQ(test, (uintptr_t)kmm_krealloc(m, b, 0, KMM_GFP_KERNEL), 16);
	z = kmm_kcalloc(m, 100, sizeof(int), KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, z);
	for (int i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, z[i], 0);
	kmm_kfree(m, z);
	KUNIT_EXPECT_NULL(test, kmm_kmalloc_array(m, SIZE_MAX / 2, 4, KMM_GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, kmm_krealloc_array(m, NULL, SIZE_MAX / 2, 4, KMM_GFP_KERNEL));
	s = kmm_kstrdup(m, "kernel", KMM_GFP_KERNEL);
	KUNIT_EXPECT_STREQ(test, s, "kernel");
	kmm_kfree(m, s);
	s = kmm_kstrndup(m, "kernel", 3, KMM_GFP_KERNEL);
	KUNIT_EXPECT_STREQ(test, s, "ker");
	kmm_kfree(m, s);
	KUNIT_EXPECT_NULL(test, kmm_kstrdup(m, NULL, KMM_GFP_KERNEL));
	s = kmm_kasprintf(m, KMM_GFP_KERNEL, "%s-%d", "cpu", 7);
	KUNIT_EXPECT_STREQ(test, s, "cpu-7");
	kmm_kfree_sensitive(m, s);
	s = kmm_kmemdup(m, "abc", 4, KMM_GFP_KERNEL);
	KUNIT_EXPECT_STREQ(test, s, "abc");
	kmm_kfree(m, s);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);
}

struct thing {
	int magic;
	char name[40];
};

static int ctor_calls;

static void thing_ctor(void *p)
{
	((struct thing *)p)->magic = 0x5eed;
	ctor_calls++;
}

static void caches_ctor_bulk_merge_destroy(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	struct kmm_kmem_cache *c, *a, *b, *k64;
	struct kmm_slab_stats st;
	void *objs[128];
	struct thing *t;

	KUNIT_ASSERT_NOT_NULL(test, m);
	ctor_calls = 0;
	c = kmm_kmem_cache_create(m, "thing", sizeof(struct thing), 0, KMM_SLAB_HWCACHE_ALIGN, thing_ctor);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, kmm_kmem_cache_size(c), sizeof(struct thing));
	t = kmm_kmem_cache_alloc(c, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	/* the constructor ran once per object of the new slab, not per allocation */
	kmm_kmem_cache_stats(c, &st);
	KUNIT_EXPECT_EQ(test, ctor_calls, (int)st.objs_per_slab);
	KUNIT_EXPECT_EQ(test, t->magic, 0x5eed);
	KUNIT_EXPECT_EQ(test, (uintptr_t)t % 64, 0);	/* HWCACHE_ALIGN */
	kmm_kmem_cache_free(c, t);
	t = kmm_kmem_cache_alloc(c, KMM_GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, ctor_calls, (int)st.objs_per_slab);
	KUNIT_EXPECT_EQ(test, t->magic, 0x5eed);
	kmm_kmem_cache_free(c, t);
	/* bulk: all or nothing */
	KUNIT_EXPECT_EQ(test, kmm_kmem_cache_alloc_bulk(c, KMM_GFP_KERNEL, 128, objs), 128);
	for (int i = 1; i < 128; i++)
		KUNIT_EXPECT_NE(test, (uintptr_t)objs[i], (uintptr_t)objs[i - 1]);
	kmm_kmem_cache_free_bulk(c, 128, objs);
	/*
	 * merging: a compatible cache without a constructor becomes an alias.
	 * kmalloc caches whitelist their objects for usercopy, which makes
	 * them unmergeable (as with CONFIG_HARDENED_USERCOPY).
	 */
	k64 = kmm_kmem_cache_create(m, "sixty-four", 64, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, k64);
	KUNIT_EXPECT_NE(test, (uintptr_t)k64, (uintptr_t)cache_named(m, "kmalloc-64"));
	a = kmm_kmem_cache_create(m, "sixty", 60, 0, 0, NULL);
	KUNIT_EXPECT_EQ(test, (uintptr_t)a, (uintptr_t)k64);
	kmm_kmem_cache_stats(k64, &st);
	KUNIT_EXPECT_EQ(test, st.aliases, 1);
	b = kmm_kmem_cache_create(m, "no-merge", 64, 0, KMM_SLAB_NO_MERGE, NULL);
	KUNIT_EXPECT_NE(test, (uintptr_t)b, (uintptr_t)k64);
	kmm_kmem_cache_destroy(a);	/* only drops the alias */
	KUNIT_EXPECT_NOT_NULL(test, cache_named(m, "sixty-four"));
	kmm_kmem_cache_destroy(k64);
	KUNIT_EXPECT_NULL(test, cache_named(m, "sixty-four"));
	/* freeing to the wrong cache is reported and not applied */
	objs[0] = kmm_kmem_cache_alloc(b, KMM_GFP_KERNEL);
	kmm_kmem_cache_free(c, objs[0]);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "cache_from_obj: Wrong slab cache. thing but object is from no-merge");
	kmm_kmem_cache_free(b, objs[0]);
	kmm_kmem_cache_destroy(b);
	KUNIT_EXPECT_NULL(test, cache_named(m, "no-merge"));
	/* destroy with a live object: the kernel's report, and the cache stays */
	t = kmm_kmem_cache_alloc(c, KMM_GFP_KERNEL);
	kmm_kmem_cache_destroy(c);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "BUG thing (Not tainted): Objects remaining on __kmem_cache_shutdown()");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "kmem_cache_destroy thing: Slab cache still has objects when called from");
	KUNIT_EXPECT_NOT_NULL(test, cache_named(m, "thing"));
	KUNIT_EXPECT_NULL(test, kmm_kmem_cache_create(m, "", 8, 0, 0, NULL));
	KUNIT_EXPECT_NULL(test, kmm_kmem_cache_create(m, "bad-align", 8, 3, 0, NULL));
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);
}

static void shrink_gives_back(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	struct kmm_kmem_cache *c;
	struct kmm_slab_stats st;
	void *objs[1000];
	unsigned long free;

	KUNIT_ASSERT_NOT_NULL(test, m);
	c = kmm_kmem_cache_create(m, "shrinkme", 200, 0, KMM_SLAB_NO_MERGE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	kmm_quiesce(m);
	free = kmm_nr_free_pages(m);
	for (int i = 0; i < 1000; i++)
		objs[i] = kmm_kmem_cache_alloc(c, KMM_GFP_KERNEL);
	kmm_kmem_cache_stats(c, &st);
	KUNIT_EXPECT_GE(test, st.num_objs, 1000);
	KUNIT_EXPECT_EQ(test, st.num_slabs * st.objs_per_slab, st.num_objs);
	for (int i = 0; i < 1000; i++)
		kmm_kmem_cache_free(c, objs[i]);
	KUNIT_EXPECT_EQ(test, kmm_kmem_cache_shrink(c), 0);
	kmm_kmem_cache_stats(c, &st);
	KUNIT_EXPECT_EQ(test, st.num_slabs, 0);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free);
	kmm_kmem_cache_destroy(c);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

/* ---- threads: remote frees ---- */

#define RING 4096

struct ring {
	void *slot[RING];
	_Atomic unsigned long head, tail;
};

struct pc {
	struct kmm_machine *m;
	struct ring *r;
	int n;
	unsigned int seed;
};

static void *producer(void *arg)
{
	struct pc *pc = arg;

	kmm_thread_attach(pc->m);
	for (int i = 0; i < pc->n; i++) {
		size_t size = 1 + (size_t)rand_r(&pc->seed) % 2048;
		void *p = kmm_kmalloc(pc->m, size, KMM_GFP_KERNEL);

		memset(p, 0x11, size);
		while (atomic_load(&pc->r->head) - atomic_load(&pc->r->tail) >= RING)
			sched_yield();
		pc->r->slot[atomic_load(&pc->r->head) % RING] = p;
		atomic_fetch_add(&pc->r->head, 1);
	}
	kmm_thread_detach();
	return NULL;
}

static void *consumer(void *arg)
{
	struct pc *pc = arg;

	kmm_thread_attach(pc->m);
	for (int i = 0; i < pc->n; i++) {
		void *p;

		while (atomic_load(&pc->r->tail) == atomic_load(&pc->r->head))
			sched_yield();
		p = pc->r->slot[atomic_load(&pc->r->tail) % RING];
		atomic_fetch_add(&pc->r->tail, 1);
		kmm_kfree(pc->m, p);	/* a remote free: the object is the other CPU's */
		if (i % 3 == 0) {
			void *q = kmm_kmalloc(pc->m, 64, KMM_GFP_KERNEL);

			kmm_kfree(pc->m, q);
		}
	}
	kmm_thread_detach();
	return NULL;
}

static void remote_frees_threaded(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "nr_cpus=2");
	static struct ring r;
	struct pc pc = { m, &r, 200000, 7 };
	pthread_t a, b;
	unsigned long free;

	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_quiesce(m);
	free = kmm_nr_free_pages(m);
	kmm_thread_detach();
	pthread_create(&a, NULL, producer, &pc);
	pthread_create(&b, NULL, consumer, &pc);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	kmm_thread_attach(m);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

struct churn {
	struct kmm_machine *m;
	unsigned int seed;
	void **shared;	/* objects any thread may free */
	pthread_mutex_t *lock;
};

static void *churn_main(void *arg)
{
	struct churn *c = arg;
	void *live[256] = { 0 };

	kmm_thread_attach(c->m);
	for (int i = 0; i < 100000; i++) {
		unsigned int x = (unsigned int)rand_r(&c->seed), k = x % 256;

		if (live[k]) {
			/* swap with the shared pool: some frees happen on another CPU */
			pthread_mutex_lock(c->lock);
			void *o = c->shared[x % 64];

			c->shared[x % 64] = live[k];
			pthread_mutex_unlock(c->lock);
			live[k] = NULL;
			kmm_kfree(c->m, o);
		} else {
			live[k] = kmm_kmalloc(c->m, 1 + (x >> 8) % 3000, KMM_GFP_KERNEL);
		}
	}
	for (int k = 0; k < 256; k++)
		kmm_kfree(c->m, live[k]);
	kmm_thread_detach();
	return NULL;
}

static void threaded_churn_returns_to_boot(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "nr_cpus=2");
	void *shared[64] = { 0 };
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct churn c[3];
	pthread_t t[3];
	unsigned long free;

	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_quiesce(m);
	free = kmm_nr_free_pages(m);
	kmm_thread_detach();
	for (int i = 0; i < 3; i++) {
		c[i] = (struct churn){ m, (unsigned int)(i + 1) * 7919, shared, &lock };
		pthread_create(&t[i], NULL, churn_main, &c[i]);
	}
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	kmm_thread_attach(m);
	for (int i = 0; i < 64; i++)
		kmm_kfree(m, shared[i]);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

static struct kunit_case cases[] = {
	KUNIT_CASE(size_classes_ksize_alignment),
	KUNIT_CASE(seed_table_on_at91),
	KUNIT_CASE(large_kmalloc),
	KUNIT_CASE(family),
	KUNIT_CASE(caches_ctor_bulk_merge_destroy),
	KUNIT_CASE(shrink_gives_back),
	KUNIT_CASE(remote_frees_threaded),
	KUNIT_CASE(threaded_churn_returns_to_boot),
	{ 0 },
};

KUNIT_MAIN("slab", cases)
