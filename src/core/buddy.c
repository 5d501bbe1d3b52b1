/* SPDX-License-Identifier: MIT */
/*
 * The buddy free lists (mm/page_alloc.c: __free_one_page, expand,
 * __rmqueue_smallest, move_freepages_block).
 *
 * 1. What they hold. Each zone has free_area[order] for orders 0..MAX_PAGE_ORDER,
 *    each with one list per migrate type. A free block of 2^order pages is
 *    naturally aligned (pfn % 2^order == 0), its first page has the PageBuddy type
 *    and its order in page->private, and it sits on the list of the migrate
 *    type of its (first) pageblock. Its other pages are plain tails.
 *
 * 2. Invariants (kmm_page_alloc_check verifies them):
 *      free_area[o].nr_free == sum over types of length(free_list[type]) at order o
 *      NR_FREE_PAGES == sum over o of nr_free[o] << o, minus Isolate blocks
 *      NR_ZONE_FREE_<type> == pages on the <type> lists
 *      a free block's buddy (pfn ^ 2^order) is not a free block of the same order
 *      (else they would have been merged), unless merging was refused across
 *      pageblocks of unmergeable types
 *
 * 3. Freeing merges with the buddy while it is free at the same order, then
 *    puts the block at the list head, or at the tail when the next-larger
 *    buddy is free too (it will likely merge soon, so allocations should not
 *    take it first). Allocating takes the first block of the smallest
 *    sufficient order and splits it (expand): the lowest-addressed part is
 *    returned, the upper halves go back in decreasing size.
 *
 * 4. Context: every function here runs under zone->lock.
 */
#include "internal.h"

const char *const kmm_migratetype_names[KMM_MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
};

static void account_freepages(struct kmm_zone *z, long nr, int mt)
{
	kmm_mod_zone_state(z, (enum kmm_zone_stat_item)(KMM_NR_ZONE_FREE_UNMOVABLE + mt), nr);
	if (mt == KMM_MIGRATE_ISOLATE)
		return;
	kmm_mod_zone_state(z, KMM_NR_FREE_PAGES, nr);
}

void kmm_add_to_free_list(struct kmm_zone *z, struct kmm_page *page, unsigned int order, int mt,
			  bool tail)
{
	struct kmm_free_area *area = &z->free_area[order];

	kmm_page_set_buddy(page);
	page->private = order;
	if (tail)
		kmm_list_add_tail(&page->lru, &area->free_list[mt]);
	else
		kmm_list_add(&page->lru, &area->free_list[mt]);
	KMM_LOCKED_ADD(area->nr_free, 1);
	account_freepages(z, 1L << order, mt);
}

void kmm_del_from_free_list(struct kmm_zone *z, struct kmm_page *page, unsigned int order, int mt)
{
	struct kmm_free_area *area = &z->free_area[order];

	kmm_list_del(&page->lru);
	kmm_page_clear_buddy(page);
	if (kmm_page_test_reported(page)) {
		kmm_page_clear_reported(page);
		kmm_mod_zone_state(z, KMM_NR_ZONE_REPORTED, -(1L << order));
	}
	page->private = 0;
	KMM_LOCKED_ADD(area->nr_free, -1UL);
	account_freepages(z, -(1L << order), mt);
}

static bool mergeable(int mt)
{
	return mt < KMM_MIGRATE_PCPTYPES;
}

/*
 * Will the block at pfn likely merge with its next-larger buddy soon? Then
 * it goes to the list tail (buddy_merge_likely).
 */
static bool merge_likely(struct kmm_zone *z, unsigned long pfn, unsigned int order)
{
	unsigned long higher_buddy_pfn;
	struct kmm_page *higher;
	unsigned int max_order = z->m->desc.max_order;

	if (order >= max_order - 1)
		return false;
	pfn &= ~((1UL << (order + 1)) - 1);
	higher_buddy_pfn = pfn ^ (1UL << (order + 1));
	if (!kmm_zone_spans_pfn(z, higher_buddy_pfn))
		return false;
	higher = kmm_pfn_page(z->m, higher_buddy_pfn);
	return kmm_page_test_buddy(higher) && kmm_buddy_order(higher) == order + 1;
}

void kmm_free_one_page(struct kmm_zone *z, struct kmm_page *page, unsigned long pfn,
		       unsigned int order, int mt)
{
	struct kmm_machine *m = z->m;
	unsigned int max_order = m->desc.max_order;

	while (order < max_order) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct kmm_page *buddy;
		int buddy_mt = mt;

		if (!kmm_zone_spans_pfn(z, buddy_pfn))
			break;
		buddy = page + ((long)buddy_pfn - (long)pfn);
		if (!kmm_page_test_buddy(buddy) || kmm_buddy_order(buddy) != order)
			break;
		if (order >= m->pageblock_order) {
			/* blocks of types that must stay apart do not merge */
			buddy_mt = kmm_get_pageblock_mt(z, buddy_pfn);
			if (mt != buddy_mt && (!mergeable(mt) || !mergeable(buddy_mt)))
				break;
		}
		kmm_del_from_free_list(z, buddy, order, buddy_mt);
		if (buddy_mt != mt)
			/* the merged block takes our type, so expand() sorts its halves right */
			kmm_set_pageblock_range_mt(z, buddy_pfn, order, mt);
		if (buddy_pfn < pfn) {
			page = buddy;
			pfn = buddy_pfn;
		}
		order++;
	}
	kmm_add_to_free_list(z, page, order, mt, merge_likely(z, pfn, order));
}

void kmm_expand(struct kmm_zone *z, struct kmm_page *page, unsigned int low, unsigned int high,
		int mt)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		kmm_add_to_free_list(z, &page[size], high, mt, false);
	}
}

struct kmm_page *kmm_rmqueue_smallest(struct kmm_zone *z, unsigned int order, int mt)
{
	for (unsigned int o = order; o <= z->m->desc.max_order; o++) {
		struct kmm_list_head *list = &z->free_area[o].free_list[mt];
		struct kmm_page *page;

		if (kmm_list_empty(list))
			continue;
		page = kmm_list_first_entry(list, struct kmm_page, lru);
		kmm_del_from_free_list(z, page, o, mt);
		kmm_expand(z, page, order, o, mt);
		return page;
	}
	return NULL;
}

void kmm_set_pageblock_range_mt(struct kmm_zone *z, unsigned long pfn, unsigned int order, int mt)
{
	unsigned long nr = kmm_pageblock_nr_pages(z->m);
	unsigned long end = pfn + (1UL << order);

	for (pfn &= ~(nr - 1); pfn < end; pfn += nr)
		kmm_set_pageblock_mt(z, pfn, mt);
}

unsigned long kmm_move_freepages_block(struct kmm_zone *z, unsigned long pfn, int old_mt,
				       int new_mt)
{
	unsigned long nr = kmm_pageblock_nr_pages(z->m);
	unsigned long start = pfn & ~(nr - 1), end = start + nr, moved = 0;

	if (start < z->zone_start_pfn || end > kmm_zone_end_pfn(z))
		return 0;
	for (pfn = start; pfn < end;) {
		struct kmm_page *page = kmm_pfn_page(z->m, pfn);

		if (kmm_page_test_buddy(page)) {
			unsigned int order = kmm_buddy_order(page);
			bool reported = kmm_page_test_reported(page);

			kmm_del_from_free_list(z, page, order, old_mt);
			kmm_add_to_free_list(z, page, order, new_mt, false);
			if (reported) {
				kmm_page_set_reported(page);
				kmm_mod_zone_state(z, KMM_NR_ZONE_REPORTED, 1L << order);
			}
			pfn += 1UL << order;
			moved += 1UL << order;
		} else {
			pfn++;
		}
	}
	kmm_set_pageblock_mt(z, start, new_mt);
	return moved;
}
