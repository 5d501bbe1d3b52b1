/* SPDX-License-Identifier: MIT */
/*
 * Deferred struct page init (kmm.deferred_init=1): a large machine boots
 * with a few blocks of each zone initialised and reports only those; zones
 * grow on demand, for every zone modifier and order, also from several
 * threads at once; a machine grown to its end has exactly the managed pages,
 * MemTotal and free lists of the same machine booted without deferral; the
 * walkers stay clean throughout.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>

#include <kmm/kmm.h>

#include "core/internal.h"
#include "kmm_boot.h"
#include "kunit.h"

#define MIB (1UL << 20)

static unsigned long managed(struct kmm_machine *m, int zone)
{
	return KMM_READ_ONCE(m->pgdat->node_zones[zone].managed_pages);
}

static void boots_small(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=16G kmm.deferred_init=1");
	struct kmm_zone *z;

	KUNIT_ASSERT_NOT_NULL(test, m);
	z = m->pgdat->node_zones;
	/* what the boot used, a MAX_ORDER block or two, not 16 GiB */
	KUNIT_EXPECT_LT(test, meminfo_kb(m, "MemTotal:"), 16 * 1024);
	KUNIT_EXPECT_GT(test, meminfo_kb(m, "MemTotal:"), 1024);
	KUNIT_EXPECT_GT(test, kmm_deferred_pages(m), (16UL << 30) / KMM_PAGE_SIZE * 9 / 10);
	/* DMA's first block is cut by the zone's start (pfn 1); the boot's allocations grew Normal */
	KUNIT_EXPECT_EQ(test, managed(m, KMM_ZONE_DMA), 768);
	KUNIT_EXPECT_EQ(test, managed(m, KMM_ZONE_DMA32), 0);
	KUNIT_EXPECT_GE(test, managed(m, KMM_ZONE_NORMAL), 1024);
	for (int i = KMM_ZONE_DMA; i <= KMM_ZONE_NORMAL; i++) {
		KUNIT_EXPECT_TRUE(test, kmm_zone_has_deferred(&z[i]));
		KUNIT_EXPECT_EQ(test, z[i].deferred_pfn % 1024, 0);
	}
	/* DMA32, unused, is in the zonelist all the same */
	KUNIT_EXPECT_TRUE(test, m->pgdat->zonelist[1] == &z[KMM_ZONE_DMA32]);
	/* spanned and present are the whole zone's */
	KUNIT_EXPECT_EQ(test, z[KMM_ZONE_NORMAL].spanned_pages, (13UL << 30) / KMM_PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, kmm_pfn_initialised(m, z[KMM_ZONE_NORMAL].deferred_pfn));
	KUNIT_EXPECT_TRUE(test, kmm_pfn_initialised(m, z[KMM_ZONE_NORMAL].zone_start_pfn));
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);
}

/* Allocates order-`order` blocks of gfp until failure (at most max); returns how many. */
static size_t fill(struct kmm_machine *m, kmm_gfp_t gfp, unsigned int order,
		   struct kmm_page **pages, size_t max)
{
	size_t n = 0;

	while (n < max && (pages[n] = kmm_alloc_pages(m, gfp | KMM___GFP_NOWARN, order)))
		n++;
	return n;
}

static void drain(struct kmm_machine *m, unsigned int order, struct kmm_page **pages, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kmm___free_pages(m, pages[i], order);
}

static void grows_on_demand(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=8G kmm.deferred_init=1");
	struct kmm_page **pages = calloc(4096, sizeof(*pages));
	unsigned long normal0, total0, used0;
	size_t n;

	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_quiesce(m);
	used0 = meminfo_kb(m, "MemTotal:") - meminfo_kb(m, "MemFree:");
	normal0 = managed(m, KMM_ZONE_NORMAL);
	total0 = meminfo_kb(m, "MemTotal:");
	/* 1 GiB in 4 MiB blocks: the Normal zone grows, the lower zones stay as they were */
	n = fill(m, KMM_GFP_KERNEL, 10, pages, 256);
	KUNIT_EXPECT_EQ(test, n, 256);
	KUNIT_EXPECT_GE(test, managed(m, KMM_ZONE_NORMAL), normal0 + 256 * 1024);
	KUNIT_EXPECT_LT(test, managed(m, KMM_ZONE_DMA32), 4096);
	KUNIT_EXPECT_GE(test, meminfo_kb(m, "MemTotal:"), total0 + 1024 * 1024);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	drain(m, 10, pages, n);
	/* small orders, and the lower zones through their modifiers */
	n = fill(m, KMM_GFP_KERNEL, 0, pages, 4096);
	KUNIT_EXPECT_EQ(test, n, 4096);
	drain(m, 0, pages, n);
	n = fill(m, KMM_GFP_KERNEL | KMM___GFP_DMA32, 3, pages, 2048);
	KUNIT_EXPECT_EQ(test, n, 2048);
	KUNIT_EXPECT_GE(test, managed(m, KMM_ZONE_DMA32), 2048 * 8);
	drain(m, 3, pages, n);
	/* ZONE_DMA is 16 MiB: all of it initialised, and then no more */
	n = fill(m, KMM_GFP_KERNEL | KMM___GFP_DMA, 0, pages, 4096);
	KUNIT_EXPECT_GT(test, n, 3000);
	KUNIT_EXPECT_LT(test, n, 4096);
	KUNIT_EXPECT_FALSE(test, kmm_zone_has_deferred(&m->pgdat->node_zones[KMM_ZONE_DMA]));
	drain(m, 0, pages, n);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	/* nothing lost: in use as much as at boot, of a larger total */
	KUNIT_EXPECT_EQ(test, meminfo_kb(m, "MemTotal:") - meminfo_kb(m, "MemFree:"), used0);
	free(pages);
	kmm_shutdown(m);
}

/* What a machine at rest reports, to compare a fully grown machine with one booted whole. */
struct at_rest {
	unsigned long total_kb, free_kb, managed[KMM_MAX_NR_ZONES], wmark_min[KMM_MAX_NR_ZONES];
	long reserve[KMM_MAX_NR_ZONES];
	int min_free_kbytes;
};

static void rest(struct kmm_machine *m, struct at_rest *r)
{
	kmm_quiesce(m);
	r->total_kb = meminfo_kb(m, "MemTotal:");
	r->free_kb = meminfo_kb(m, "MemFree:");
	for (int z = 0; z < KMM_MAX_NR_ZONES; z++) {
		r->managed[z] = managed(m, z);
		r->wmark_min[z] = m->pgdat->node_zones[z]._watermark[KMM_WMARK_MIN];
		r->reserve[z] = m->pgdat->node_zones[z].lowmem_reserve[KMM_ZONE_NORMAL];
	}
	r->min_free_kbytes = m->min_free_kbytes;
}

static void grown_equals_whole(struct kunit *test)
{
	static const char *const profiles[] = { "mem=1G", "profile=i386-highmem mem=2G",
						"profile=at91rm9200" };

	for (size_t p = 0; p < sizeof(profiles) / sizeof(*profiles); p++) {
		struct kmm_page **pages = calloc(1 << 20, sizeof(*pages));
		struct at_rest whole, grown;
		struct kmm_machine *m;
		char cmd[128];
		size_t n;

		m = boot(test, profiles[p]);
		KUNIT_ASSERT_NOT_NULL(test, m);
		rest(m, &whole);
		kmm_shutdown(m);
		snprintf(cmd, sizeof(cmd), "%s kmm.deferred_init=1", profiles[p]);
		m = boot(test, cmd);
		KUNIT_ASSERT_NOT_NULL(test, m);
		KUNIT_EXPECT_LT(test, meminfo_kb(m, "MemTotal:"), whole.total_kb);
		/* every page of every zone, highmem included */
		n = fill(m, KMM_GFP_HIGHUSER, 0, pages, 1 << 20);
		KUNIT_EXPECT_GT(test, n, 0);
		KUNIT_EXPECT_EQ(test, kmm_deferred_pages(m), 0);
		KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
		drain(m, 0, pages, n);
		rest(m, &grown);
		KUNIT_EXPECT_EQ(test, grown.total_kb, whole.total_kb);
		KUNIT_EXPECT_EQ(test, grown.free_kb, whole.free_kb);
		for (int z = 0; z < KMM_MAX_NR_ZONES; z++) {
			KUNIT_EXPECT_EQ(test, grown.managed[z], whole.managed[z]);
			KUNIT_EXPECT_EQ(test, grown.reserve[z], whole.reserve[z]);
			/*
			 * The watermarks follow the managed pages, as after a
			 * hot-add: min_free_kbytes is then computed from the pages
			 * above the high watermarks that are set by now, at boot
			 * from all of them, so it comes out a little lower.
			 */
			KUNIT_EXPECT_LE(test, grown.wmark_min[z], whole.wmark_min[z]);
			KUNIT_EXPECT_GE(test, grown.wmark_min[z] * 100, whole.wmark_min[z] * 98);
		}
		KUNIT_EXPECT_LE(test, grown.min_free_kbytes, whole.min_free_kbytes);
		KUNIT_EXPECT_GE(test, grown.min_free_kbytes * 100, whole.min_free_kbytes * 98);
		KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
		free(pages);
		kmm_shutdown(m);
	}
}

static void slab_on_deferred_memory(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=4G kmm.deferred_init=1 kmm.ram=anon");
	enum { N = 200000 };
	void **p = calloc(N, sizeof(*p));

	KUNIT_ASSERT_NOT_NULL(test, m);
	for (int i = 0; i < N; i++) {
		p[i] = kmm_kmalloc(m, (size_t)(i % 1000) + 1, KMM_GFP_KERNEL);
		if (!p[i]) {
			KUNIT_FAIL_MSG(test, "kmalloc %d failed", i);
			break;
		}
	}
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	for (int i = 0; i < N; i++)
		kmm_kfree(m, p[i]);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	free(p);
	kmm_shutdown(m);
}

struct grower {
	struct kmm_machine *m;
	unsigned int order;
	size_t got;
};

static void *grower_main(void *arg)
{
	struct grower *g = arg;
	struct kmm_page **pages = calloc(2048, sizeof(*pages));

	kmm_thread_attach(g->m);
	for (int round = 0; round < 4; round++) {
		size_t n = fill(g->m, KMM_GFP_KERNEL, g->order, pages, 2048 >> g->order);

		g->got += n;
		drain(g->m, g->order, pages, n);
	}
	kmm_thread_detach();
	free(pages);
	return NULL;
}

/* Several tasks grow zones at once: every grower's blocks are whole, the walker clean. */
static void concurrent_growth(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=8G nr_cpus=4 kmm.deferred_init=1");
	struct grower g[4];
	pthread_t t[4];

	KUNIT_ASSERT_NOT_NULL(test, m);
	for (int i = 0; i < 4; i++) {
		g[i] = (struct grower){ .m = m, .order = (unsigned int)i * 3 };
		pthread_create(&t[i], NULL, grower_main, &g[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		KUNIT_EXPECT_EQ(test, g[i].got, 4 * (2048 >> g[i].order));
	}
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	KUNIT_EXPECT_EQ(test, meminfo_kb(m, "MemFree:") <= meminfo_kb(m, "MemTotal:"), 1);
	kmm_shutdown(m);
}

/*
 * The per-CPU lists of a zone still growing are sized for the whole zone, as
 * the kernel sizes them once its deferred init is done: the batch of the same
 * machine booted whole, and a high of at least four batches; a 16 KiB block
 * freed and taken again, over and over, stays on its CPU's lists.
 */
static unsigned long pcp_drains(struct kmm_machine *m);

static void pcp_sized_whole(struct kunit *test)
{
	struct kmm_machine *w = boot(test, "mem=4G nr_cpus=64"), *d;
	int batch[KMM_MAX_NR_ZONES] = { 0 };
	unsigned long drains;
	int checked = 0;
	void *p;

	KUNIT_ASSERT_NOT_NULL(test, w);
	for (int zi = 0; zi < KMM_MAX_NR_ZONES; zi++)
		if (w->pgdat->node_zones[zi].present_pages)
			batch[zi] = w->pgdat->node_zones[zi].per_cpu_pageset[0].batch;
	kmm_shutdown(w);
	d = boot(test, "mem=4G nr_cpus=64 kmm.deferred_init=1");
	KUNIT_ASSERT_NOT_NULL(test, d);
	for (int zi = 0; zi < KMM_MAX_NR_ZONES; zi++) {
		struct kmm_zone *z = &d->pgdat->node_zones[zi];

		/* a zone nothing has grown yet keeps the boot pageset (batch 1, high 0), as in Linux */
		if (!batch[zi] || !KMM_READ_ONCE(z->managed_pages))
			continue;
		checked++;
		KUNIT_EXPECT_EQ(test, z->per_cpu_pageset[0].batch, batch[zi]);
		KUNIT_EXPECT_GE(test, z->per_cpu_pageset[0].high, 4 * z->per_cpu_pageset[0].batch);
	}
	KUNIT_EXPECT_GE(test, checked, 2);
	p = kmm_kmalloc(d, 16384, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kmm_kfree(d, p);
	drains = pcp_drains(d);
	for (int i = 0; i < 10000; i++) {
		p = kmm_kmalloc(d, 16384, KMM_GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		kmm_kfree(d, p);
	}
	KUNIT_EXPECT_EQ(test, pcp_drains(d), drains);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(d), 0);
	kmm_shutdown(d);
}

static unsigned long pcp_drains(struct kmm_machine *m)
{
	unsigned long n = 0;

	for (unsigned int cpu = 0; cpu < m->desc.nr_cpus; cpu++)
		n += KMM_READ_ONCE(m->vm_events[cpu][KMM_PCP_DRAIN]);
	return n;
}

static struct kunit_case cases[] = {
	KUNIT_CASE(boots_small),
	KUNIT_CASE(grows_on_demand),
	KUNIT_CASE(grown_equals_whole),
	KUNIT_CASE(slab_on_deferred_memory),
	KUNIT_CASE(concurrent_growth),
	KUNIT_CASE(pcp_sized_whole),
	{}
};

KUNIT_MAIN("deferred_init", cases)
