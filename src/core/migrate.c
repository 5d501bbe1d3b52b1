/* SPDX-License-Identifier: MIT */
/*
 * Grouping pages by mobility (mm/page_alloc.c: __rmqueue, __rmqueue_fallback,
 * steal_suitable_fallback, reserve/unreserve_highatomic_pageblock).
 *
 * Every pageblock (2^pageblock_order pages) has a migrate type; free blocks
 * sit on the lists of their pageblock's type. An allocation takes from its
 * own type first. When that is empty it falls back, in the kernel's order
 * (Unmovable -> Reclaimable, Movable; Movable -> Reclaimable, Unmovable;
 * Reclaimable -> Unmovable, Movable), taking the *largest* free block of a
 * fallback type so that the mixing stays in as few pageblocks as possible,
 * and claims the whole pageblock for its own type when the block is at
 * least pageblock-sized, or when half of it is free or compatible; otherwise
 * it steals one block and leaves the pageblock's type alone. A fragmenting
 * fallback boosts the zone's watermarks (watermark_boost_factor).
 *
 * Boot marks every pageblock Movable, as memmap_init() does, so the first
 * unmovable allocations claim whole blocks out of Movable ones.
 *
 * High-order atomic allocations may turn their pageblock HighAtomic (at most
 * 1% of the zone, at least one pageblock): later high-order atomic requests
 * find a reserve there, and others leave it alone until direct reclaim fails,
 * when the reserve is given back.
 *
 * Context: zone->lock held, except kmm_unreserve_highatomic_pageblock.
 */
#include "internal.h"

static const int fallbacks[KMM_MIGRATE_PCPTYPES][KMM_MIGRATE_PCPTYPES - 1] = {
	[KMM_MIGRATE_UNMOVABLE] = { KMM_MIGRATE_RECLAIMABLE, KMM_MIGRATE_MOVABLE },
	[KMM_MIGRATE_MOVABLE] = { KMM_MIGRATE_RECLAIMABLE, KMM_MIGRATE_UNMOVABLE },
	[KMM_MIGRATE_RECLAIMABLE] = { KMM_MIGRATE_UNMOVABLE, KMM_MIGRATE_MOVABLE },
};

/* May a fallback at this order take the whole pageblock? (can_steal_fallback) */
static bool can_claim(struct kmm_machine *m, unsigned int order, int start_mt)
{
	if (order >= m->pageblock_order)
		return true;
	return order >= m->pageblock_order / 2 || start_mt == KMM_MIGRATE_RECLAIMABLE ||
	       start_mt == KMM_MIGRATE_UNMOVABLE;
}

static int find_fallback(struct kmm_zone *z, unsigned int order, int start_mt, bool *claim)
{
	for (int i = 0; i < KMM_MIGRATE_PCPTYPES - 1; i++) {
		int fb = fallbacks[start_mt][i];

		if (kmm_list_empty(&z->free_area[order].free_list[fb]))
			continue;
		*claim = can_claim(z->m, order, start_mt);
		return fb;
	}
	return -1;
}

static bool boost_watermark(struct kmm_zone *z)
{
	struct kmm_machine *m = z->m;
	unsigned long nr = kmm_pageblock_nr_pages(m), max_boost;

	if (!m->watermark_boost_factor)
		return false;
	/* small zones would have their watermarks raised to nothing useful */
	if (nr * 4 > KMM_READ_ONCE(z->managed_pages))
		return false;
	max_boost = z->_watermark[KMM_WMARK_HIGH] * (unsigned long)m->watermark_boost_factor / 10000;
	if (max_boost < nr)
		max_boost = nr;
	unsigned long boost = KMM_READ_ONCE(z->watermark_boost) + nr;

	KMM_WRITE_ONCE(z->watermark_boost, boost < max_boost ? boost : max_boost);
	return true;
}

/* Free and allocated pages of the pageblock of pfn, for the claim decision. */
static unsigned long free_pages_in_block(struct kmm_zone *z, unsigned long pfn)
{
	unsigned long nr = kmm_pageblock_nr_pages(z->m), start = pfn & ~(nr - 1), free = 0;

	if (start < z->zone_start_pfn || start + nr > kmm_zone_end_pfn(z))
		return 0;
	for (pfn = start; pfn < start + nr;) {
		struct kmm_page *page = kmm_pfn_page(z->m, pfn);

		if (kmm_page_test_buddy(page)) {
			free += 1UL << kmm_buddy_order(page);
			pfn += 1UL << kmm_buddy_order(page);
		} else {
			pfn++;
		}
	}
	return free;
}

static struct kmm_page *steal_suitable_fallback(struct kmm_zone *z, struct kmm_page *page,
						unsigned int current_order, unsigned int order,
						int start_mt, int fallback_mt, bool whole_block)
{
	struct kmm_machine *m = z->m;
	unsigned long pfn = kmm_pfn(m, page), nr = kmm_pageblock_nr_pages(m);
	int block_mt = kmm_get_pageblock_mt(z, pfn);

	if (block_mt == KMM_MIGRATE_HIGHATOMIC)
		goto single;
	if (current_order >= m->pageblock_order) {
		kmm_del_from_free_list(z, page, current_order, fallback_mt);
		kmm_set_pageblock_range_mt(z, pfn, current_order, start_mt);
		kmm_expand(z, page, order, current_order, start_mt);
		return page;
	}
	boost_watermark(z);
	if (whole_block) {
		unsigned long free = free_pages_in_block(z, pfn), alike = 0;

		/*
		 * kmm keeps no LRU, so no allocated page counts as movable: for
		 * an unmovable request out of a Movable block, everything in
		 * use is taken as alike, as the kernel does with no LRU pages.
		 */
		if (start_mt != KMM_MIGRATE_MOVABLE && block_mt == KMM_MIGRATE_MOVABLE)
			alike = nr - free;
		if (free + alike >= nr / 2) {
			kmm_move_freepages_block(z, pfn, block_mt, start_mt);
			return kmm_rmqueue_smallest(z, order, start_mt);
		}
	}
single:
	kmm_del_from_free_list(z, page, current_order, fallback_mt);
	kmm_expand(z, page, order, current_order, fallback_mt);
	return page;
}

static struct kmm_page *rmqueue_fallback(struct kmm_zone *z, unsigned int order, int start_mt,
					 unsigned int alloc_flags)
{
	struct kmm_machine *m = z->m;
	unsigned int min_order = order, current_order;
	int fb = -1;
	bool claim = false;
	struct kmm_page *page;

	if (alloc_flags & KMM_ALLOC_NOFRAGMENT)
		min_order = m->pageblock_order;
	/* the largest block of another type: mixing stays in few pageblocks */
	for (current_order = m->desc.max_order + 1; current_order-- > min_order;) {
		fb = find_fallback(z, current_order, start_mt, &claim);
		if (fb < 0)
			continue;
		if (!claim && start_mt == KMM_MIGRATE_MOVABLE && current_order > order)
			goto find_smallest;
		goto steal;
	}
	return NULL;
find_smallest:
	for (current_order = order; current_order <= m->desc.max_order; current_order++) {
		fb = find_fallback(z, current_order, start_mt, &claim);
		if (fb >= 0)
			break;
	}
	if (fb < 0)
		return NULL;
steal:
	page = kmm_list_first_entry(&z->free_area[current_order].free_list[fb], struct kmm_page, lru);
	return steal_suitable_fallback(z, page, current_order, order, start_mt, fb, claim);
}

struct kmm_page *kmm_rmqueue(struct kmm_zone *z, unsigned int order, int mt,
			     unsigned int alloc_flags)
{
	struct kmm_page *page = NULL;

	if (alloc_flags & KMM_ALLOC_HIGHATOMIC)
		page = kmm_rmqueue_smallest(z, order, KMM_MIGRATE_HIGHATOMIC);
	if (!page) {
		page = kmm_rmqueue_smallest(z, order, mt);
		if (!page)
			page = rmqueue_fallback(z, order, mt, alloc_flags);
		/* failing now is worse than failing a high-order atomic later */
		if (!page && (alloc_flags & (KMM_ALLOC_OOM | KMM_ALLOC_NON_BLOCK)))
			page = kmm_rmqueue_smallest(z, order, KMM_MIGRATE_HIGHATOMIC);
	}
	return page;
}

void kmm_reserve_highatomic_pageblock(struct kmm_zone *z, struct kmm_page *page,
				      unsigned int order)
{
	struct kmm_machine *m = z->m;
	unsigned long nr = kmm_pageblock_nr_pages(m), pfn = kmm_pfn(m, page);
	unsigned long max_managed = ((KMM_READ_ONCE(z->managed_pages) / 100) + nr - 1) & ~(nr - 1);
	int mt;

	/* the kernel adds one pageblock to the 1% so a small zone gets one */
	max_managed += nr;
	if (KMM_READ_ONCE(z->nr_reserved_highatomic) >= max_managed)
		return;
	kmm_spin_lock(&z->lock);
	if (z->nr_reserved_highatomic >= max_managed)
		goto out;
	mt = kmm_get_pageblock_mt(z, pfn);
	if (mt >= KMM_MIGRATE_PCPTYPES)
		goto out;
	if (order < m->pageblock_order) {
		kmm_move_freepages_block(z, pfn, mt, KMM_MIGRATE_HIGHATOMIC);
		KMM_WRITE_ONCE(z->nr_reserved_highatomic, z->nr_reserved_highatomic + nr);
	} else {
		kmm_set_pageblock_range_mt(z, pfn, order, KMM_MIGRATE_HIGHATOMIC);
		KMM_WRITE_ONCE(z->nr_reserved_highatomic, z->nr_reserved_highatomic + (1UL << order));
	}
out:
	kmm_spin_unlock(&z->lock);
}

bool kmm_unreserve_highatomic_pageblock(struct kmm_machine *m, int mt, bool force)
{
	unsigned long nr = kmm_pageblock_nr_pages(m);

	for (struct kmm_zone **zp = m->pgdat->zonelist; *zp; zp++) {
		struct kmm_zone *z = *zp;

		/* keep a pageblock in reserve unless it is the last resort */
		if (!force && KMM_READ_ONCE(z->nr_reserved_highatomic) <= nr)
			continue;
		kmm_spin_lock(&z->lock);
		for (unsigned int order = 0; order <= m->desc.max_order; order++) {
			struct kmm_list_head *list = &z->free_area[order].free_list[KMM_MIGRATE_HIGHATOMIC];
			struct kmm_page *page;
			unsigned long pfn, size;

			if (kmm_list_empty(list))
				continue;
			page = kmm_list_first_entry(list, struct kmm_page, lru);
			pfn = kmm_pfn(m, page);
			size = nr > (1UL << order) ? nr : 1UL << order;
			if (size > z->nr_reserved_highatomic)
				size = z->nr_reserved_highatomic;
			KMM_WRITE_ONCE(z->nr_reserved_highatomic, z->nr_reserved_highatomic - size);
			if (order < m->pageblock_order) {
				kmm_move_freepages_block(z, pfn, KMM_MIGRATE_HIGHATOMIC, mt);
			} else {
				kmm_del_from_free_list(z, page, order, KMM_MIGRATE_HIGHATOMIC);
				kmm_set_pageblock_range_mt(z, pfn, order, mt);
				kmm_add_to_free_list(z, page, order, mt, false);
			}
			kmm_spin_unlock(&z->lock);
			return true;
		}
		kmm_spin_unlock(&z->lock);
	}
	return false;
}
