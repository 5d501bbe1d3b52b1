/* SPDX-License-Identifier: MIT */
/*
 * The page allocator's integrity walker. For every zone, under its lock:
 *   - every block on free_list[type] of free_area[order] is PageBuddy with
 *     that order, naturally aligned, inside the zone, on the list of its
 *     pageblock's type, with refcount 0, and none of its pages is reserved;
 *   - its buddy is not a free block of the same order (unless they lie in
 *     pageblocks of types that may not merge);
 *   - nr_free[order] equals the list lengths; NR_FREE_PAGES and the
 *     per-type free counts equal the pages on the lists;
 *   - no page of a free block is PageBuddy but its head (no overlap);
 *   - each CPU's pcp count equals the pages on its lists (checked on that CPU);
 *   - no free block lies where struct pages are still deferred, and the
 *     deferred ranges are whole MAX_ORDER blocks (kmm_deferred_check).
 * Each violation is logged; the count is returned.
 */
#include "internal.h"

static int check_zone(struct kmm_machine *m, struct kmm_zone *z)
{
	long per_type[KMM_MIGRATE_TYPES] = { 0 };
	long free = 0;
	int bad = 0;

#define BAD(fmt, ...)                                                                    \
	do {                                                                             \
		if (bad++ < 20)                                                          \
			kmm_core_printk(m, KMM_KERN_ERR "page_alloc check: zone %s: " fmt,   \
					z->name, ##__VA_ARGS__);                         \
	} while (0)

	kmm_spin_lock(&z->lock);
	for (unsigned int o = 0; o <= m->desc.max_order; o++) {
		unsigned long blocks = 0;

		for (int t = 0; t < KMM_MIGRATE_TYPES; t++) {
			struct kmm_list_head *h = &z->free_area[o].free_list[t];

			for (struct kmm_list_head *e = h->next; e != h; e = e->next) {
				struct kmm_page *p = kmm_container_of(e, struct kmm_page, lru);
				unsigned long pfn, buddy_pfn;

				if (!kmm_page_in_mem_map(m, p)) {
					BAD("order %u: list entry %p is not a page\n", o, (void *)p);
					break;
				}
				pfn = kmm_pfn(m, p);
				blocks++;
				per_type[t] += 1L << o;
				if (!kmm_page_test_buddy(p) || kmm_buddy_order(p) != o)
					BAD("pfn %#lx on the order-%u list is not a free block of that order\n", pfn, o);
				if (pfn & ((1UL << o) - 1))
					BAD("pfn %#lx is not aligned to its order %u\n", pfn, o);
				if (!kmm_zone_spans_pfn(z, pfn) || !kmm_zone_spans_pfn(z, pfn + (1UL << o) - 1))
					BAD("block %#lx order %u lies outside the zone\n", pfn, o);
				if (kmm_get_pageblock_mt(z, pfn) != t)
					BAD("block %#lx on the %s list lies in a %s pageblock\n", pfn,
					    kmm_migratetype_names[t], kmm_migratetype_names[kmm_get_pageblock_mt(z, pfn)]);
				if (kmm_page_ref(p) != 0)
					BAD("free block %#lx has refcount %d\n", pfn, kmm_page_ref(p));
				if (!kmm_pfn_initialised(m, pfn))
					BAD("free block %#lx lies in the deferred range %#lx-%#lx\n", pfn,
					    z->deferred_pfn, z->deferred_end);
				for (unsigned long i = 0; i < (1UL << o); i++) {
					if (kmm_page_test_reserved(&p[i]))
						BAD("free block %#lx holds reserved page %#lx\n", pfn, pfn + i);
					if (i && kmm_page_test_buddy(&p[i]))
						BAD("free block %#lx order %u overlaps free block %#lx\n", pfn, o, pfn + i);
				}
				buddy_pfn = pfn ^ (1UL << o);
				if (o < m->desc.max_order && kmm_zone_spans_pfn(z, buddy_pfn)) {
					struct kmm_page *b = kmm_pfn_page(m, buddy_pfn);
					int bt = kmm_get_pageblock_mt(z, buddy_pfn);

					if (kmm_page_test_buddy(b) && kmm_buddy_order(b) == o &&
					    (o < m->pageblock_order || bt == t ||
					     (bt < KMM_MIGRATE_PCPTYPES && t < KMM_MIGRATE_PCPTYPES)))
						BAD("blocks %#lx and %#lx of order %u are free buddies, not merged\n",
						    pfn, buddy_pfn, o);
				}
			}
		}
		if (blocks != z->free_area[o].nr_free)
			BAD("order %u: nr_free %lu but %lu blocks on the lists\n", o,
			    z->free_area[o].nr_free, blocks);
	}
	for (int t = 0; t < KMM_MIGRATE_TYPES; t++) {
		if (t != KMM_MIGRATE_ISOLATE)
			free += per_type[t];
		if (per_type[t] != z->vm_stat[KMM_NR_ZONE_FREE_UNMOVABLE + t])
			BAD("%s free count %ld but %ld pages on the lists\n", kmm_migratetype_names[t],
			    z->vm_stat[KMM_NR_ZONE_FREE_UNMOVABLE + t], per_type[t]);
	}
	if (free != z->vm_stat[KMM_NR_FREE_PAGES])
		BAD("NR_FREE_PAGES %ld but %ld pages on the lists\n", z->vm_stat[KMM_NR_FREE_PAGES], free);
	kmm_spin_unlock(&z->lock);
	return bad;
#undef BAD
}

struct pcp_check {
	int bad;
};

static void check_pcp(struct kmm_machine *m, int cpu, void *arg)
{
	struct pcp_check *pc = arg;

	for (struct kmm_zone **zp = m->pgdat->zonelist; *zp; zp++) {
		struct kmm_per_cpu_pages *pcp = &(*zp)->per_cpu_pageset[cpu];
		long pages = 0;

		for (int l = 0; l < KMM_NR_PCP_LISTS; l++) {
			unsigned int order = (unsigned int)l / KMM_MIGRATE_PCPTYPES;

			for (struct kmm_list_head *e = pcp->lists[l].next; e != &pcp->lists[l]; e = e->next) {
				struct kmm_page *p = kmm_container_of(e, struct kmm_page, lru);

				pages += 1L << order;
				if (kmm_page_test_buddy(p) || kmm_page_ref(p) != 0) {
					if (pc->bad++ < 20)
						kmm_core_printk(m, KMM_KERN_ERR "page_alloc check: zone %s cpu %d: pcp page %#lx is in use or in the buddy lists\n",
								(*zp)->name, cpu, kmm_pfn(m, p));
				}
			}
		}
		if (pages != pcp->count && pc->bad++ < 20)
			kmm_core_printk(m, KMM_KERN_ERR "page_alloc check: zone %s cpu %d: pcp count %d but %ld pages on the lists\n",
					(*zp)->name, cpu, pcp->count, pages);
	}
}

int kmm_page_alloc_check(struct kmm_machine *m)
{
	struct pcp_check pc = { 0 };
	int bad = 0;

	if (!m->buddy_ready)
		return 0;
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		if (kmm_zone_managed(&m->pgdat->node_zones[i]))
			bad += check_zone(m, &m->pgdat->node_zones[i]);
	bad += kmm_deferred_check(m);
	kmm_plat_on_each_cpu(m, check_pcp, &pc);
	return bad + pc.bad;
}
