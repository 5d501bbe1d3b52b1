/* SPDX-License-Identifier: MIT */
/*
 * The page allocator: buddy split and merge, alignment, compound pages and
 * references, zone choice for every zone modifier on every profile, fallback
 * and lowmem_reserve, watermarks and reserve access, the order limit,
 * exhaustion and bad frees with their messages, fault injection, free page
 * reporting, and random sequences (also threaded) that end, after
 * kmm_quiesce, with every free count at its boot value and the walker clean.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>

#include <kmm/kmm.h>

#include "core/internal.h"
#include "core/slab.h"
#include "host/host.h"
#include "kmm_log.h"
#include "kmm_boot.h"
#include "kunit.h"

/* Free blocks per zone and order: what /proc/buddyinfo shows. */
struct snapshot {
	unsigned long nr_free[KMM_MAX_NR_ZONES][KMM_NR_PAGE_ORDERS_MAX];
	long free[KMM_MAX_NR_ZONES];
};

static void snap(struct kmm_machine *m, struct snapshot *s)
{
	for (int z = 0; z < KMM_MAX_NR_ZONES; z++) {
		struct kmm_zone *zone = &m->pgdat->node_zones[z];

		for (int o = 0; o < KMM_NR_PAGE_ORDERS_MAX; o++)
			s->nr_free[z][o] = zone->free_area[o].nr_free;
		s->free[z] = kmm_zone_page_state(zone, KMM_NR_FREE_PAGES);
	}
}

static bool snap_equal(const struct snapshot *a, const struct snapshot *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/*
 * After random GFP_ATOMIC high-order allocations: the free pages are all
 * back, and so is the boot's layout of free blocks, unless a pageblock was
 * reserved as HighAtomic meanwhile. Such a block merges with no neighbour of
 * another type (as in Linux, whose reserve stays until pressure releases it),
 * so an order-10 block may stay two order-9 halves: then only the counts.
 */
static bool snap_back(struct kmm_machine *m, const struct snapshot *a, const struct snapshot *b)
{
	bool highatomic = false;

	for (int z = 0; z < KMM_MAX_NR_ZONES; z++) {
		if (a->free[z] != b->free[z])
			return false;
		highatomic |= m->pgdat->node_zones[z].nr_reserved_highatomic != 0;
	}
	return highatomic || snap_equal(a, b);
}

/* Pages the slab allocator holds at boot: its caches' slabs and its bootstrap block. */
static unsigned long boot_slab_pages(struct kmm_machine *m)
{
	unsigned long pages = 0;
	struct kmm_slab_stats st;
	size_t boot = sizeof(struct kmm_slab_state) + sizeof(struct kmm_kmem_cache) +
		      sizeof(struct kmm_kmem_cache_cpu) * m->desc.nr_cpus + KMM_SMP_CACHE_BYTES +
		      sizeof(struct kmm_slab_pcpu) * m->desc.nr_cpus;

	for (struct kmm_kmem_cache *s = kmm_slab_cache_next(m, NULL); s; s = kmm_slab_cache_next(m, s)) {
		kmm_kmem_cache_stats(s, &st);
		pages += st.num_slabs << st.order;
	}
	return pages + (KMM_PAGE_ALIGN(boot) >> KMM_PAGE_SHIFT);
}

static void boot_state_is_consistent(struct kunit *test)
{
	const char *profiles[] = { "", "mem=5G", "profile=i386-highmem", "profile=at91rm9200" };

	for (size_t i = 0; i < sizeof(profiles) / sizeof(*profiles); i++) {
		struct kmm_machine *m = boot(test, profiles[i]);
		unsigned long managed = 0;

		if (!m)
			continue;
		for (int z = 0; z < KMM_MAX_NR_ZONES; z++)
			managed += m->pgdat->node_zones[z].managed_pages;
		KUNIT_EXPECT_EQ(test, managed, m->totalram_pages);
		/* at boot only the slab allocator's own structures are in use */
		KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m) + boot_slab_pages(m), managed);
		KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
		KUNIT_EXPECT_STRSTR(test, kmsg(m), "Memory: ");
		kmm_shutdown(m);
	}
}

static void split_and_merge(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "profile=at91rm9200");
	struct kmm_zone *z;
	struct snapshot before, after;
	struct kmm_page *page;
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, m);
	z = &m->pgdat->node_zones[KMM_ZONE_NORMAL];
	/* a fresh at91 machine has blocks of the largest order (9) */
	KUNIT_ASSERT_GT(test, z->free_area[9].nr_free, 0);
	snap(m, &before);
	/* order 4 does not use the per-CPU lists: exactly one split chain */
	page = kmm_alloc_pages(m, KMM_GFP_KERNEL, 4);
	KUNIT_ASSERT_NOT_NULL(test, page);
	snap(m, &after);
	if (before.nr_free[KMM_ZONE_NORMAL][4] == 0 && before.nr_free[KMM_ZONE_NORMAL][5] == 0 &&
	    before.nr_free[KMM_ZONE_NORMAL][6] == 0 && before.nr_free[KMM_ZONE_NORMAL][7] == 0 &&
	    before.nr_free[KMM_ZONE_NORMAL][8] == 0) {
		KUNIT_EXPECT_EQ(test, after.nr_free[KMM_ZONE_NORMAL][9], before.nr_free[KMM_ZONE_NORMAL][9] - 1);
		for (int o = 4; o < 9; o++)
			KUNIT_EXPECT_EQ(test, after.nr_free[KMM_ZONE_NORMAL][o], 1);
	}
	KUNIT_EXPECT_EQ(test, after.free[KMM_ZONE_NORMAL], before.free[KMM_ZONE_NORMAL] - 16);
	pfn = kmm_page_to_pfn(kmm_layout(m), page);
	KUNIT_EXPECT_EQ(test, pfn % 16, 0);
	KUNIT_EXPECT_FALSE(test, kmm_PageBuddy(page));
	KUNIT_EXPECT_EQ(test, kmm_page_ref_count(page), 1);
	KUNIT_EXPECT_STREQ(test, kmm_page_zone_name(page), "Normal");
	kmm___free_pages(m, page, 4);
	snap(m, &after);
	/* the buddies merge back all the way */
	KUNIT_EXPECT_TRUE(test, snap_equal(&before, &after));
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

static void every_order_aligned(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	const struct kmm_layout *l;
	struct kmm_page *p[11];

	KUNIT_ASSERT_NOT_NULL(test, m);
	l = kmm_layout(m);
	for (unsigned int o = 0; o <= 10; o++) {
		p[o] = kmm_alloc_pages(m, KMM_GFP_KERNEL, o);
		KUNIT_ASSERT_NOT_NULL(test, p[o]);
		KUNIT_EXPECT_EQ(test, kmm_page_to_pfn(l, p[o]) & ((1UL << o) - 1), 0);
		KUNIT_EXPECT_EQ(test, (uintptr_t)kmm_page_address(m, p[o]) & ((KMM_PAGE_SIZE << o) - 1), 0);
		/* the memory is real: write its first and last byte */
		((char *)kmm_page_address(m, p[o]))[0] = 1;
		((char *)kmm_page_address(m, p[o]))[(KMM_PAGE_SIZE << o) - 1] = 1;
	}
	for (unsigned int o = 0; o <= 10; o++)
		kmm___free_pages(m, p[o], o);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

static void zeroing_and_get_free_pages(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "nr_cpus=1");
	unsigned long a, b;

	KUNIT_ASSERT_NOT_NULL(test, m);
	a = kmm___get_free_pages(m, KMM_GFP_KERNEL, 2);
	KUNIT_ASSERT_NE(test, a, 0);
	memset((void *)a, 0x5a, 4 * KMM_PAGE_SIZE);
	kmm_free_pages(m, a, 2);
	/* order 2 lives on the pcp list: the same block comes back, dirty */
	b = kmm___get_free_pages(m, KMM_GFP_KERNEL | KMM___GFP_ZERO, 2);
	KUNIT_EXPECT_EQ(test, b, a);
	for (size_t i = 0; i < 4 * KMM_PAGE_SIZE; i += 511)
		KUNIT_EXPECT_EQ(test, ((unsigned char *)b)[i], 0);
	kmm_free_pages(m, b, 2);
	b = kmm_get_zeroed_page(m, KMM_GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, ((unsigned char *)b)[100], 0);
	kmm_free_page(m, b);
	/* __get_free_pages strips __GFP_HIGHMEM: the address is always mapped */
	kmm_shutdown(m);
	m = boot(test, "profile=i386-highmem");
	KUNIT_ASSERT_NOT_NULL(test, m);
	a = kmm___get_free_pages(m, KMM_GFP_HIGHUSER, 0);
	KUNIT_EXPECT_NE(test, a, 0);
	KUNIT_EXPECT_TRUE(test, kmm_virt_addr_valid(kmm_layout(m), (void *)a));
	kmm_free_page(m, a);
	kmm_shutdown(m);
}

static void compound_pages_and_references(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	struct kmm_page *c, *p;
	struct snapshot base, now;

	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_quiesce(m);
	snap(m, &base);
	c = kmm_alloc_pages(m, KMM_GFP_KERNEL | KMM___GFP_COMP, 3);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_TRUE(test, kmm_PageHead(c));
	KUNIT_EXPECT_TRUE(test, kmm_PageCompound(c));
	for (int i = 1; i < 8; i++) {
		KUNIT_EXPECT_TRUE(test, kmm_PageTail(&c[i]));
		KUNIT_EXPECT_EQ(test, (uintptr_t)kmm_compound_head(&c[i]), (uintptr_t)c);
	}
	KUNIT_EXPECT_EQ(test, kmm_compound_order(c), 3);
	/* get_page on a tail counts on the head; the last put_page frees all 8 */
	kmm_get_page(&c[5]);
	KUNIT_EXPECT_EQ(test, kmm_page_ref_count(c), 2);
	kmm_put_page(m, &c[2]);
	KUNIT_EXPECT_EQ(test, kmm_page_ref_count(c), 1);
	kmm_put_page(m, c);
	/* a non-compound order-2 block with a second reference: the tail halves go at once */
	p = kmm_alloc_pages(m, KMM_GFP_KERNEL, 2);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kmm_get_page(p);
	kmm___free_pages(m, p, 2);
	KUNIT_EXPECT_EQ(test, kmm_page_ref_count(p), 1);
	KUNIT_EXPECT_EQ(test, kmm_page_ref_count(&p[1]), 0);
	KUNIT_EXPECT_EQ(test, kmm_page_ref_count(&p[2]), 0);
	kmm_put_page(m, p);
	kmm_quiesce(m);
	snap(m, &now);
	KUNIT_EXPECT_TRUE(test, snap_equal(&base, &now));
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

static void exact_and_split(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	struct snapshot base, now;
	struct kmm_page *p;
	unsigned long free;
	void *v;

	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_quiesce(m);
	snap(m, &base);
	free = kmm_nr_free_pages(m);
	KUNIT_EXPECT_EQ(test, kmm_get_order(1), 0);
	KUNIT_EXPECT_EQ(test, kmm_get_order(4096), 0);
	KUNIT_EXPECT_EQ(test, kmm_get_order(4097), 1);
	KUNIT_EXPECT_EQ(test, kmm_get_order(16384), 2);
	KUNIT_EXPECT_EQ(test, kmm_get_order(16385), 3);
	/* 5 pages: an order-3 block, 3 pages given back at once */
	v = kmm_alloc_pages_exact(m, 5 * KMM_PAGE_SIZE - 100, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free - 5);
	memset(v, 1, 5 * KMM_PAGE_SIZE - 100);
	kmm_free_pages_exact(m, v, 5 * KMM_PAGE_SIZE - 100);
	/* split_page: 4 order-0 pages freed one by one */
	p = kmm_alloc_pages(m, KMM_GFP_KERNEL, 2);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kmm_split_page(m, p, 2);
	for (int i = 3; i >= 0; i--) {
		KUNIT_EXPECT_EQ(test, kmm_page_ref_count(&p[i]), 1);
		kmm___free_pages(m, &p[i], 0);
	}
	kmm_quiesce(m);
	snap(m, &now);
	KUNIT_EXPECT_TRUE(test, snap_equal(&base, &now));
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

struct zone_case {
	const char *cmdline;
	kmm_gfp_t gfp;
	const char *zone;	/* NULL: the allocation must fail */
};

static void zone_choice_for_every_modifier(struct kunit *test)
{
	static const struct zone_case cases[] = {
		{ "", KMM_GFP_KERNEL, "DMA32" },	/* Normal is empty below 4G */
		{ "", KMM_GFP_DMA, "DMA" },
		{ "", KMM_GFP_DMA32, "DMA32" },
		{ "", KMM_GFP_HIGHUSER, "DMA32" },
		{ "", KMM_GFP_HIGHUSER_MOVABLE, "DMA32" },
		{ "", KMM___GFP_MOVABLE | KMM_GFP_KERNEL, "DMA32" },
		{ "mem=5G", KMM_GFP_KERNEL, "Normal" },
		{ "mem=5G", KMM_GFP_DMA32, "DMA32" },
		{ "mem=5G", KMM_GFP_DMA, "DMA" },
		{ "mem=5G", KMM_GFP_HIGHUSER, "Normal" },
		{ "mem=5G", KMM_GFP_DMA32 | KMM___GFP_MOVABLE, "DMA32" },
		{ "profile=i386-highmem", KMM_GFP_KERNEL, "Normal" },
		{ "profile=i386-highmem", KMM_GFP_DMA, "DMA" },
		{ "profile=i386-highmem", KMM_GFP_DMA32, "Normal" },	/* no DMA32 zone */
		{ "profile=i386-highmem", KMM_GFP_HIGHUSER, "HighMem" },
		{ "profile=i386-highmem", KMM_GFP_HIGHUSER_MOVABLE, "HighMem" },
		{ "profile=at91rm9200", KMM_GFP_KERNEL, "Normal" },
		{ "profile=at91rm9200", KMM_GFP_DMA, "Normal" },	/* OPT_ZONE_DMA collapses */
		{ "profile=at91rm9200", KMM_GFP_HIGHUSER, "Normal" },
		{ "", KMM___GFP_DMA | KMM___GFP_HIGHMEM | KMM___GFP_NOWARN, NULL },	/* a bad mask */
		{ "", KMM___GFP_DMA | KMM___GFP_DMA32, NULL },
		/* both mobility hints: no migrate type, refused with a warning */
		{ "", KMM_GFP_KERNEL | KMM___GFP_MOVABLE | KMM___GFP_RECLAIMABLE, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct kmm_machine *m = boot(test, cases[i].cmdline);
		struct kmm_page *p;

		if (!m)
			continue;
		p = kmm_alloc_pages(m, cases[i].gfp, 0);
		if (!cases[i].zone) {
			KUNIT_EXPECT_NULL(test, p);
			KUNIT_EXPECT_STRSTR(test, kmsg(m), "WARNING: CPU:");
			KUNIT_EXPECT_TRUE(test, strstr(kmsg(m), "invalid zone modifiers") ||
					  strstr(kmsg(m), "both __GFP_MOVABLE and __GFP_RECLAIMABLE"));
			KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
		} else {
			KUNIT_EXPECT_NOT_NULL(test, p);
			if (p) {
				if (strcmp(kmm_page_zone_name(p), cases[i].zone))
					printf("    # '%s' gfp %#x: zone %s, expected %s\n", cases[i].cmdline,
					       cases[i].gfp, kmm_page_zone_name(p), cases[i].zone);
				KUNIT_EXPECT_STREQ(test, kmm_page_zone_name(p), cases[i].zone);
				KUNIT_EXPECT_EQ(test, kmm_PageHighMem(p), !strcmp(cases[i].zone, "HighMem"));
				kmm___free_pages(m, p, 0);
			}
		}
		kmm_shutdown(m);
	}
}

/* Allocates order-0 pages with gfp until it fails; returns how many (kept in list). */
static long drain_with(struct kmm_machine *m, kmm_gfp_t gfp, struct kmm_page ***list, long *n,
		       long *cap)
{
	long got = 0;

	for (;;) {
		struct kmm_page *p = kmm_alloc_pages(m, gfp | KMM___GFP_NOWARN, 0);

		if (!p)
			return got;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 4096;
			*list = realloc(*list, (size_t)*cap * sizeof(**list));
		}
		(*list)[(*n)++] = p;
		got++;
	}
}

static void free_list(struct kmm_machine *m, struct kmm_page **list, long n)
{
	for (long i = 0; i < n; i++)
		kmm___free_pages(m, list[i], 0);
	free(list);
}

static void watermarks_and_reserves(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "profile=at91rm9200");
	struct kmm_page **list = NULL;
	long n = 0, cap = 0, nowait, atomic, high, memalloc, batch;
	unsigned long min;
	struct kmm_zone *z;
	struct snapshot base, now;

	KUNIT_ASSERT_NOT_NULL(test, m);
	z = &m->pgdat->node_zones[KMM_ZONE_NORMAL];
	min = kmm_min_wmark_pages(z);
	batch = z->pageset_batch;
	KUNIT_EXPECT_EQ(test, min, (unsigned long)m->min_free_kbytes / 4);
	kmm_quiesce(m);
	snap(m, &base);
	nowait = drain_with(m, KMM_GFP_NOWAIT, &list, &n, &cap);
	KUNIT_EXPECT_GT(test, nowait, 0);
	/* GFP_NOWAIT stops at the min watermark (a pcp refill may take a batch below it) */
	KUNIT_EXPECT_LE(test, kmm_zone_page_state(z, KMM_NR_FREE_PAGES), (long)min);
	KUNIT_EXPECT_GE(test, kmm_zone_page_state(z, KMM_NR_FREE_PAGES), (long)min - batch);
	/*
	 * a sleeping GFP_KERNEL request finds nothing to reclaim: only what
	 * its drain of the per-CPU lists gives back (less than a batch)
	 */
	KUNIT_EXPECT_LT(test, drain_with(m, KMM_GFP_KERNEL, &list, &n, &cap), batch);
	/* GFP_ATOMIC may go on to 3/8 of min; blocking __GFP_HIGH to 1/2 (already below) */
	atomic = drain_with(m, KMM_GFP_ATOMIC, &list, &n, &cap);
	KUNIT_EXPECT_GT(test, atomic, 0);
	KUNIT_EXPECT_LE(test, kmm_zone_page_state(z, KMM_NR_FREE_PAGES), (long)(min - min / 2 - (min - min / 2) / 4));
	KUNIT_EXPECT_GE(test, kmm_zone_page_state(z, KMM_NR_FREE_PAGES), (long)(min - min / 2 - (min - min / 2) / 4) - batch);
	high = drain_with(m, KMM_GFP_KERNEL | KMM___GFP_HIGH, &list, &n, &cap);
	KUNIT_EXPECT_EQ(test, high, 0);
	/* __GFP_MEMALLOC ignores the watermarks altogether */
	memalloc = drain_with(m, KMM_GFP_ATOMIC | KMM___GFP_MEMALLOC, &list, &n, &cap);
	KUNIT_EXPECT_GT(test, memalloc, 0);
	KUNIT_EXPECT_EQ(test, kmm_zone_page_state(z, KMM_NR_FREE_PAGES), 0);
	free_list(m, list, n);
	kmm_quiesce(m);
	snap(m, &now);
	KUNIT_EXPECT_TRUE(test, snap_equal(&base, &now));
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

static void fallback_and_lowmem_reserve(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	struct kmm_page **list = NULL;
	long n = 0, cap = 0, before_dma, got_dma;
	struct kmm_zone *dma;

	KUNIT_ASSERT_NOT_NULL(test, m);
	dma = &m->pgdat->node_zones[KMM_ZONE_DMA];
	/* lowmem_reserve: DMA keeps managed(DMA32)/256 pages from DMA32 requests */
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[KMM_ZONE_DMA32],
			(long)(m->pgdat->node_zones[KMM_ZONE_DMA32].managed_pages / 256));
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[KMM_ZONE_DMA], 0);
	before_dma = kmm_zone_page_state(dma, KMM_NR_FREE_PAGES);
	drain_with(m, KMM_GFP_KERNEL, &list, &n, &cap);
	/* GFP_KERNEL fell back into DMA, but left it its reserve above min */
	KUNIT_EXPECT_LT(test, kmm_zone_page_state(dma, KMM_NR_FREE_PAGES), before_dma);
	KUNIT_EXPECT_GE(test, kmm_zone_page_state(dma, KMM_NR_FREE_PAGES) + dma->pageset_batch,
			(long)kmm_min_wmark_pages(dma) + dma->lowmem_reserve[KMM_ZONE_DMA32]);
	/* GFP_DMA requests may still use that reserve */
	got_dma = drain_with(m, KMM_GFP_DMA, &list, &n, &cap);
	KUNIT_EXPECT_GT(test, got_dma, 0);
	for (long i = n - got_dma; i < n; i++)
		KUNIT_EXPECT_STREQ(test, kmm_page_zone_name(list[i]), "DMA");
	free_list(m, list, n);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

static void order_limit_of_each_profile(struct kunit *test)
{
	static const struct {
		const char *cmdline;
		unsigned int max;
	} cases[] = { { "", 10 }, { "profile=i386-highmem", 10 }, { "profile=at91rm9200", 9 } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct kmm_machine *m = boot(test, cases[i].cmdline);
		struct kmm_page *p;

		if (!m)
			continue;
		KUNIT_EXPECT_EQ(test, kmm_max_page_order(m), cases[i].max);
		p = kmm_alloc_pages(m, KMM_GFP_KERNEL, cases[i].max);
		KUNIT_EXPECT_NOT_NULL(test, p);
		KUNIT_EXPECT_NULL(test, kmm_alloc_pages(m, KMM_GFP_KERNEL | KMM___GFP_NOWARN, cases[i].max + 1));
		KUNIT_EXPECT_EQ(test, count_in(kmsg(m), "WARNING: CPU:"), 0);
		KUNIT_EXPECT_NULL(test, kmm_alloc_pages(m, KMM_GFP_KERNEL, cases[i].max + 1));
		KUNIT_EXPECT_NULL(test, kmm_alloc_pages(m, KMM_GFP_KERNEL, cases[i].max + 1));
		/* WARN_ON_ONCE: one splat, in the kernel's form, and no failure report */
		KUNIT_EXPECT_EQ(test, count_in(kmsg(m), "WARNING: CPU:"), 1);
		KUNIT_EXPECT_STRSTR(test, kmsg(m), "------------[ cut here ]------------");
		KUNIT_EXPECT_STRSTR(test, kmsg(m), " at mm/page_alloc.c:4832 __alloc_pages_noprof");
		KUNIT_EXPECT_STRSTR(test, kmsg(m), "---[ end trace 0000000000000000 ]---");
		KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "page allocation failure");
		if (p)
			kmm___free_pages(m, p, cases[i].max);
		kmm_shutdown(m);
	}
}

static void exhaustion_reports_once(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "profile=at91rm9200");
	struct kmm_page *p[64];
	int n = 0;
	const char *log;

	KUNIT_ASSERT_NOT_NULL(test, m);
	while (n < 64 && (p[n] = kmm_alloc_pages(m, KMM_GFP_KERNEL, 9)))
		n++;
	KUNIT_EXPECT_GT(test, n, 20);
	KUNIT_EXPECT_LT(test, n, 32);
	/* a second failure within 10 s is not reported again (nopage_rs) */
	KUNIT_EXPECT_NULL(test, kmm_alloc_pages(m, KMM_GFP_KERNEL, 9));
	log = kmsg(m);
	KUNIT_EXPECT_EQ(test, count_in(log, "page allocation failure: order:9, mode:0xcc0(GFP_KERNEL), nodemask=(null)"), 1);
	KUNIT_EXPECT_STRSTR(test, log, "Mem-Info:");
	KUNIT_EXPECT_STRSTR(test, log, "Node 0 Normal free:");
	KUNIT_EXPECT_STRSTR(test, log, "lowmem_reserve[]: 0 0\n");
	KUNIT_EXPECT_STRSTR(test, log, "Node 0 Normal: ");
	KUNIT_EXPECT_STRSTR(test, log, "16384 pages RAM");
	for (int i = 0; i < n; i++)
		kmm___free_pages(m, p[i], 9);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
	/* __GFP_NOWARN: no report at all */
	m = boot(test, "profile=at91rm9200");
	KUNIT_ASSERT_NOT_NULL(test, m);
	n = 0;
	while (n < 64 && (p[n] = kmm_alloc_pages(m, KMM_GFP_KERNEL | KMM___GFP_NOWARN, 9)))
		n++;
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "page allocation failure");
	kmm_shutdown(m);
}

static void bad_frees_are_reported_and_change_nothing(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	struct snapshot base, now;
	struct kmm_page *p, *q, *c, fake;
	const struct kmm_layout *l;

	KUNIT_ASSERT_NOT_NULL(test, m);
	l = kmm_layout(m);
	p = kmm_alloc_pages(m, KMM_GFP_KERNEL, 5);
	q = kmm_alloc_pages(m, KMM_GFP_KERNEL, 1);
	c = kmm_alloc_pages(m, KMM_GFP_KERNEL | KMM___GFP_COMP, 2);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_ASSERT_NOT_NULL(test, c);
	kmm___free_pages(m, p, 5);
	kmm_quiesce(m);
	snap(m, &base);
	/* double free of a buddy-list block */
	kmm___free_pages(m, p, 5);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "BUG: Bad page state in process ");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "page dumped because: freeing a page that is already free (PageBuddy)");
	/* wrong order */
	kmm___free_pages(m, q, 3);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "page dumped because: freed with order 3, allocated with order 1");
	/* a tail page of a compound page */
	kmm___free_pages(m, &c[1], 0);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "page dumped because: freeing a tail page of a compound page");
	/* a reserved page (the kernel image) */
	kmm___free_pages(m, kmm_pfn_to_page(l, 0x1000000 >> KMM_PAGE_SHIFT), 0);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
	/* not a struct page of this machine at all */
	memset(&fake, 0, sizeof(fake));
	kmm___free_pages(m, &fake, 0);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "is not a page of this machine (outside mem_map)");
	kmm_free_pages(m, 12345, 0);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "not a page-aligned address of the direct map");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "page: refcount:");
	kmm_quiesce(m);
	snap(m, &now);
	KUNIT_EXPECT_TRUE(test, snap_equal(&base, &now));
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	/* the real frees still work afterwards */
	kmm___free_pages(m, q, 1);
	kmm___free_pages(m, c, 2);
	/* and a page freed twice through the pcp list is caught the second time */
	q = kmm_alloc_pages(m, KMM_GFP_KERNEL, 0);
	kmm___free_pages(m, q, 0);
	kmm___free_pages(m, q, 0);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

static void fault_injection_hits_exactly(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "fail_page_alloc=1,100,0,3");
	int failed = 0;

	KUNIT_ASSERT_NOT_NULL(test, m);
	/* defaults: min-order 1 and ignore-gfp-wait spare these */
	for (int i = 0; i < 10; i++) {
		struct kmm_page *p = kmm_alloc_pages(m, KMM_GFP_ATOMIC, 0);

		KUNIT_EXPECT_NOT_NULL(test, p);
		kmm___free_pages(m, p, 0);
		p = kmm_alloc_pages(m, KMM_GFP_KERNEL, 2);
		KUNIT_EXPECT_NOT_NULL(test, p);
		kmm___free_pages(m, p, 2);
	}
	/* eligible: exactly `times` = 3 of them fail */
	for (int i = 0; i < 10; i++) {
		struct kmm_page *p = kmm_alloc_pages(m, KMM_GFP_ATOMIC, 1);

		if (!p)
			failed++;
		else
			kmm___free_pages(m, p, 1);
		KUNIT_EXPECT_EQ(test, !p, i < 3);
	}
	KUNIT_EXPECT_EQ(test, failed, 3);
	KUNIT_EXPECT_EQ(test, count_in(kmsg(m), "FAULT_INJECTION: forcing a failure."), 3);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "name fail_page_alloc, interval 1, probability 100, space 0, times 2");
	/* an injected failure is not an allocation failure report */
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "page allocation failure");
	kmm_shutdown(m);

	/* interval 3, no limit: every third eligible call fails */
	m = boot(test, "fail_page_alloc=3,100,0,-1");
	KUNIT_ASSERT_NOT_NULL(test, m);
	for (int i = 1; i <= 12; i++) {
		struct kmm_page *p = kmm_alloc_pages(m, KMM_GFP_ATOMIC | KMM___GFP_NOWARN, 3);

		KUNIT_EXPECT_EQ(test, !p, i % 3 == 0);
		if (p)
			kmm___free_pages(m, p, 3);
	}
	/* __GFP_NOWARN keeps the injection quiet */
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "FAULT_INJECTION");
	kmm_shutdown(m);
}

static void page_reporting_gives_memory_back(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	struct kmm_page *p[32];
	struct stat st;
	long touched, reported;

	KUNIT_ASSERT_NOT_NULL(test, m);
	for (int i = 0; i < 32; i++) {
		p[i] = kmm_alloc_pages(m, KMM_GFP_KERNEL, 9);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		memset(kmm_page_address(m, p[i]), 0x77, KMM_PAGE_SIZE << 9);
	}
	fstat(m->plat->memfd, &st);
	touched = (long)st.st_blocks * 512;
	KUNIT_EXPECT_GE(test, touched, 64L << 20);
	for (int i = 0; i < 32; i++)
		kmm___free_pages(m, p[i], 9);
	kmm_quiesce(m);
	fstat(m->plat->memfd, &st);
	reported = (long)st.st_blocks * 512;
	KUNIT_EXPECT_LE(test, reported, touched - (60L << 20));
	/* reported blocks are reused transparently, and read as zero */
	p[0] = kmm_alloc_pages(m, KMM_GFP_KERNEL, 9);
	KUNIT_ASSERT_NOT_NULL(test, p[0]);
	KUNIT_EXPECT_EQ(test, ((unsigned char *)kmm_page_address(m, p[0]))[12345], 0);
	kmm___free_pages(m, p[0], 9);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

/* ---- random sequences ---- */

struct churn {
	struct kmm_machine *m;
	unsigned int seed;
	int rounds;
	int bad;
};

static const kmm_gfp_t gfps[] = {
	KMM_GFP_KERNEL, KMM_GFP_ATOMIC, KMM_GFP_NOWAIT, KMM_GFP_HIGHUSER_MOVABLE, KMM_GFP_DMA,
	KMM_GFP_DMA32, KMM_GFP_KERNEL | KMM___GFP_RECLAIMABLE, KMM_GFP_KERNEL | KMM___GFP_COMP,
	KMM_GFP_KERNEL | KMM___GFP_ZERO, KMM_GFP_ATOMIC | KMM___GFP_COMP, KMM_GFP_USER,
	KMM_GFP_KERNEL | KMM___GFP_NORETRY, KMM_GFP_KERNEL | KMM___GFP_RETRY_MAYFAIL,
};

static void *churn_main(void *arg)
{
	struct churn *c = arg;
	struct kmm_page *live[512];
	unsigned int order[512];
	int n = 0;

	if (kmm_current_machine() != c->m && kmm_thread_attach(c->m))
		return NULL;
	for (int r = 0; r < c->rounds; r++) {
		unsigned int x = (unsigned int)rand_r(&c->seed);

		if (n < 512 && (x & 3) != 0) {
			unsigned int o = (x >> 4) % 11;
			kmm_gfp_t g = gfps[(x >> 8) % (sizeof(gfps) / sizeof(*gfps))] | KMM___GFP_NOWARN;

			if ((x >> 16) % 4)
				o = o % 4;	/* mostly small orders, as real loads */
			live[n] = kmm_alloc_pages(c->m, g, o);
			if (live[n]) {
				if (kmm_page_to_pfn(kmm_layout(c->m), live[n]) & ((1UL << o) - 1))
					c->bad++;
				order[n++] = o;
			}
		} else if (n) {
			int i = (int)((x >> 4) % (unsigned int)n);

			kmm___free_pages(c->m, live[i], order[i]);
			live[i] = live[--n];
			order[i] = order[n];
		}
	}
	while (n--)
		kmm___free_pages(c->m, live[n], order[n]);
	kmm_thread_detach();
	return NULL;
}

static void random_sequences_return_to_boot_state(struct kunit *test)
{
	const char *profiles[] = { "mem=128M", "profile=i386-highmem mem=256M", "profile=at91rm9200" };

	for (size_t i = 0; i < sizeof(profiles) / sizeof(*profiles); i++) {
		struct kmm_machine *m = boot(test, profiles[i]);
		struct snapshot base, now;
		struct churn c;

		if (!m)
			continue;
		snap(m, &base);
		c = (struct churn){ m, (unsigned int)i + 1, 20000, 0 };
		churn_main(&c);
		kmm_thread_attach(m);
		kmm_quiesce(m);
		snap(m, &now);
		KUNIT_EXPECT_EQ(test, c.bad, 0);
		KUNIT_EXPECT_TRUE(test, snap_back(m, &base, &now));
		KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
		kmm_shutdown(m);
	}
}

static void threaded_random_sequences(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=128M nr_cpus=2");
	struct snapshot base, now;
	struct churn c[4];
	pthread_t t[4];

	KUNIT_ASSERT_NOT_NULL(test, m);
	snap(m, &base);
	kmm_thread_detach();
	/* four tasks on two CPUs: remote frees and migrations included */
	for (int i = 0; i < 4; i++) {
		c[i] = (struct churn){ m, (unsigned int)(100 + i), 10000, 0 };
		pthread_create(&t[i], NULL, churn_main, &c[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		KUNIT_EXPECT_EQ(test, c[i].bad, 0);
	}
	kmm_thread_attach(m);
	kmm_quiesce(m);
	snap(m, &now);
	KUNIT_EXPECT_TRUE(test, snap_back(m, &base, &now));
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

static void counters_only_grow(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "nr_cpus=1");
	struct kmm_page *p;

	unsigned long boot_free;

	KUNIT_ASSERT_NOT_NULL(test, m);
	/* the boot frees count in pgfree, as in the kernel */
	unsigned long dma32 = m->vm_events[0][KMM_PGALLOC_DMA32], hit;

	boot_free = m->vm_events[0][KMM_PGFREE];
	hit = m->pgdat->node_zones[KMM_ZONE_DMA32].per_cpu_pageset[0].numa_hit;
	KUNIT_EXPECT_GE(test, boot_free, m->totalram_pages);
	p = kmm_alloc_pages(m, KMM_GFP_KERNEL, 3);
	kmm___free_pages(m, p, 3);
	p = kmm_alloc_pages(m, KMM_GFP_DMA, 0);
	kmm___free_pages(m, p, 0);
	KUNIT_EXPECT_EQ(test, m->vm_events[0][KMM_PGALLOC_DMA32] - dma32, 8);
	KUNIT_EXPECT_EQ(test, m->vm_events[0][KMM_PGALLOC_DMA], 1);
	KUNIT_EXPECT_EQ(test, m->vm_events[0][KMM_PGFREE] - boot_free, 9);
	KUNIT_EXPECT_EQ(test, m->pgdat->node_zones[KMM_ZONE_DMA32].per_cpu_pageset[0].numa_hit - hit, 1);
	KUNIT_EXPECT_EQ(test, m->pgdat->node_zones[KMM_ZONE_DMA].per_cpu_pageset[0].numa_hit, 1);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, m->vm_events[0][KMM_PGFREE] - boot_free, 9);
	kmm_shutdown(m);
}

static void sysctls_and_fault_knobs(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "nr_cpus=2");
	struct kmm_zone *dma, *dma32;
	char buf[128];
	unsigned long mins;
	int failed = 0;

	KUNIT_ASSERT_NOT_NULL(test, m);
	dma = &m->pgdat->node_zones[KMM_ZONE_DMA];
	dma32 = &m->pgdat->node_zones[KMM_ZONE_DMA32];
	/* min_free_kbytes: the watermarks follow, in proportion to the zones */
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/sys/vm/min_free_kbytes", "8192\n"), 0);
	kmm_proc_read(m, "/proc/sys/vm/min_free_kbytes", buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "8192\n");
	mins = kmm_min_wmark_pages(dma) + kmm_min_wmark_pages(dma32);
	KUNIT_EXPECT_LE(test, mins, 2048);
	KUNIT_EXPECT_GE(test, mins, 2046);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/sys/vm/min_free_kbytes", "lots"), -EINVAL);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/sys/vm/min_free_kbytes", "-5"), -EINVAL);
	/* watermark_scale_factor: 1..3000; the low-min gap is managed * factor / 10000 */
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/sys/vm/watermark_scale_factor", "0"), -EINVAL);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/sys/vm/watermark_scale_factor", "3001"), -EINVAL);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/sys/vm/watermark_scale_factor", "1000"), 0);
	KUNIT_EXPECT_EQ(test, kmm_low_wmark_pages(dma32) - kmm_min_wmark_pages(dma32),
			dma32->managed_pages * 1000 / 10000);
	/* lowmem_reserve_ratio: the given entries change, the rest stay */
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/sys/vm/lowmem_reserve_ratio", "128 64"), 0);
	kmm_proc_read(m, "/proc/sys/vm/lowmem_reserve_ratio", buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "128\t64\t32\t0\n");
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[KMM_ZONE_DMA32], (long)(dma32->managed_pages / 128));
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/sys/vm/lowmem_reserve_ratio", "1 2 3 4 5"), -EINVAL);
	/* percpu_pagelist_high_fraction: 0 or >= 8 */
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/sys/vm/percpu_pagelist_high_fraction", "4"), -EINVAL);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/sys/vm/percpu_pagelist_high_fraction", "8"), 0);
	KUNIT_EXPECT_EQ(test, dma32->per_cpu_pageset[1].high, (int)(dma32->managed_pages / 8 / 2));
	/* fail_page_alloc's knobs: fail the next two order-0 sleeping allocations */
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/fail_page_alloc/min-order", "0"), 0);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N"), 0);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/fail_page_alloc/times", "2"), 0);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/fail_page_alloc/verbose", "1"), 0);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/fail_page_alloc/probability", "101"), -EINVAL);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "maybe"), -EINVAL);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/fail_page_alloc/probability", "100"), 0);
	kmm_proc_read(m, "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "N\n");
	for (int i = 0; i < 5; i++) {
		struct kmm_page *p = kmm_alloc_pages(m, KMM_GFP_KERNEL, 0);

		failed += !p;
		if (p)
			kmm___free_pages(m, p, 0);
	}
	KUNIT_EXPECT_EQ(test, failed, 2);
	kmm_proc_read(m, "/sys/kernel/debug/fail_page_alloc/times", buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "0\n");
	KUNIT_EXPECT_EQ(test, count_in(kmsg(m), "FAULT_INJECTION: forcing a failure."), 2);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/vmstat", "1"), -EACCES);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

static unsigned long blocks_of_type(struct kmm_machine *m, struct kmm_zone *z, int mt)
{
	unsigned long nr = 1UL << m->pageblock_order, n = 0;

	for (unsigned long pfn = z->zone_start_pfn & ~(nr - 1); pfn < kmm_zone_end_pfn(z); pfn += nr)
		n += kmm_get_pageblock_mt(z, pfn) == mt;
	return n;
}

static void migrate_types_claim_blocks(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "profile=at91rm9200 nr_cpus=1");
	struct kmm_zone *z;
	struct kmm_page *u, *r, *mv;
	unsigned long all;

	KUNIT_ASSERT_NOT_NULL(test, m);
	z = &m->pgdat->node_zones[KMM_ZONE_NORMAL];
	/* boot marks every pageblock Movable; the slab allocator's boot caches claimed one */
	all = blocks_of_type(m, z, KMM_MIGRATE_MOVABLE) + blocks_of_type(m, z, KMM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, blocks_of_type(m, z, KMM_MIGRATE_UNMOVABLE), 1);
	KUNIT_EXPECT_EQ(test, blocks_of_type(m, z, KMM_MIGRATE_RECLAIMABLE), 0);
	/* the first unmovable and reclaimable requests claim whole blocks */
	u = kmm_alloc_pages(m, KMM_GFP_KERNEL, 4);
	r = kmm_alloc_pages(m, KMM_GFP_KERNEL | KMM___GFP_RECLAIMABLE, 4);
	mv = kmm_alloc_pages(m, KMM_GFP_HIGHUSER_MOVABLE, 4);
	KUNIT_ASSERT_NOT_NULL(test, u);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, mv);
	/* the unmovable request fits in the block claimed already; reclaimable claims its own */
	KUNIT_EXPECT_EQ(test, blocks_of_type(m, z, KMM_MIGRATE_UNMOVABLE), 1);
	KUNIT_EXPECT_EQ(test, blocks_of_type(m, z, KMM_MIGRATE_RECLAIMABLE), 1);
	KUNIT_EXPECT_EQ(test, blocks_of_type(m, z, KMM_MIGRATE_MOVABLE), all - 2);
	KUNIT_EXPECT_EQ(test, kmm_get_pageblock_mt(z, kmm_page_to_pfn(kmm_layout(m), u)), KMM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, kmm_get_pageblock_mt(z, kmm_page_to_pfn(kmm_layout(m), r)), KMM_MIGRATE_RECLAIMABLE);
	KUNIT_EXPECT_EQ(test, kmm_get_pageblock_mt(z, kmm_page_to_pfn(kmm_layout(m), mv)), KMM_MIGRATE_MOVABLE);
	/* the watermark boost of a fragmenting fallback is dropped by kswapd's pass */
	KUNIT_EXPECT_EQ(test, z->watermark_boost, 0);
	kmm___free_pages(m, u, 4);
	kmm___free_pages(m, r, 4);
	kmm___free_pages(m, mv, 4);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

static void highatomic_reserve(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "profile=at91rm9200 nr_cpus=1");
	unsigned long nr;
	struct kmm_zone *z;
	struct kmm_page *a, *k;
	unsigned long apfn;

	KUNIT_ASSERT_NOT_NULL(test, m);
	z = &m->pgdat->node_zones[KMM_ZONE_NORMAL];
	nr = 1UL << m->pageblock_order;
	/*
	 * Reserves are made in the slow path only: raise the watermarks so
	 * that the fast path (low mark) fails and the slow path (min) serves.
	 * Then a high-order atomic allocation turns its pageblock HighAtomic.
	 */
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/sys/vm/min_free_kbytes", "52000"), 0);
	KUNIT_EXPECT_GT(test, kmm_low_wmark_pages(z), (unsigned long)kmm_zone_page_state(z, KMM_NR_FREE_PAGES));
	KUNIT_EXPECT_LT(test, kmm_min_wmark_pages(z), (unsigned long)kmm_zone_page_state(z, KMM_NR_FREE_PAGES));
	a = kmm_alloc_pages(m, KMM_GFP_ATOMIC, 2);
	KUNIT_ASSERT_NOT_NULL(test, a);
	apfn = kmm_page_to_pfn(kmm_layout(m), a);
	KUNIT_EXPECT_EQ(test, z->nr_reserved_highatomic, nr);
	KUNIT_EXPECT_EQ(test, kmm_get_pageblock_mt(z, apfn), KMM_MIGRATE_HIGHATOMIC);
	KUNIT_EXPECT_EQ(test, blocks_of_type(m, z, KMM_MIGRATE_HIGHATOMIC), 1);
	/* one is enough: at most 1% of the zone plus a block */
	KUNIT_EXPECT_NOT_NULL(test, kmm_alloc_pages(m, KMM_GFP_ATOMIC, 2));
	KUNIT_EXPECT_EQ(test, z->nr_reserved_highatomic, nr);
	/* ordinary requests leave the reserve alone */
	for (int i = 0; i < 64; i++) {
		k = kmm_alloc_pages(m, KMM_GFP_KERNEL, 1);
		KUNIT_ASSERT_NOT_NULL(test, k);
		KUNIT_EXPECT_NE(test, kmm_get_pageblock_mt(z, kmm_page_to_pfn(kmm_layout(m), k)),
				KMM_MIGRATE_HIGHATOMIC);
	}
	/* a failing sleeping request gives the reserve back before it fails */
	kmm_proc_write(m, "/sys/kernel/debug/fail_page_alloc/probability", "0");
	while ((k = kmm_alloc_pages(m, KMM_GFP_KERNEL | KMM___GFP_NOWARN, 0)))
		;
	KUNIT_EXPECT_EQ(test, z->nr_reserved_highatomic, 0);
	KUNIT_EXPECT_EQ(test, blocks_of_type(m, z, KMM_MIGRATE_HIGHATOMIC), 0);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

/* free pages sit either in the buddy lists or on a CPU's list: the two counts add up */
static void pcp_pages_are_counted(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("nr_cpus=2 quiet");
	unsigned long free0, pcp;
	struct kmm_page *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_nr_pcp_pages(m), 0);
	free0 = kmm_nr_free_pages(m);
	p = kmm_alloc_pages(m, KMM_GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	pcp = kmm_nr_pcp_pages(m);
	/* the refill took a batch: one page is out, the rest wait on this CPU's list */
	KUNIT_EXPECT_GT(test, pcp, 0);
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m) + pcp + 1, free0);
	kmm___free_pages(m, p, 0);
	KUNIT_EXPECT_EQ(test, kmm_nr_pcp_pages(m), pcp + 1);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_nr_pcp_pages(m), 0);
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free0);
	kmm_shutdown(m);
}

static struct kunit_case cases[] = {
	KUNIT_CASE(boot_state_is_consistent),
	KUNIT_CASE(split_and_merge),
	KUNIT_CASE(every_order_aligned),
	KUNIT_CASE(zeroing_and_get_free_pages),
	KUNIT_CASE(compound_pages_and_references),
	KUNIT_CASE(exact_and_split),
	KUNIT_CASE(zone_choice_for_every_modifier),
	KUNIT_CASE(watermarks_and_reserves),
	KUNIT_CASE(fallback_and_lowmem_reserve),
	KUNIT_CASE(order_limit_of_each_profile),
	KUNIT_CASE(exhaustion_reports_once),
	KUNIT_CASE(bad_frees_are_reported_and_change_nothing),
	KUNIT_CASE(fault_injection_hits_exactly),
	KUNIT_CASE(page_reporting_gives_memory_back),
	KUNIT_CASE(random_sequences_return_to_boot_state),
	KUNIT_CASE(threaded_random_sequences),
	KUNIT_CASE(counters_only_grow),
	KUNIT_CASE(sysctls_and_fault_knobs),
	KUNIT_CASE(migrate_types_claim_blocks),
	KUNIT_CASE(highatomic_reserve),
	KUNIT_CASE(pcp_pages_are_counted),
	{ 0 },
};

KUNIT_MAIN("page_alloc", cases)
