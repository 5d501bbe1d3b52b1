/* SPDX-License-Identifier: MIT */
/*
 * /proc/pagetypeinfo (mm/vmstat.c pagetypeinfo_show,
 * pagetypeinfo_showfree_print, pagetypeinfo_showblockcount_print): the
 * pageblock size, then per populated zone and migrate type the free blocks
 * of each order (a list walk capped at 100000, printed ">100000" when it
 * stops there), then per populated zone the pageblocks of each migrate type,
 * counted every pageblock_nr_pages from the zone's first pfn as the kernel
 * counts them. kmm has no CMA, so the types are Unmovable, Movable,
 * Reclaimable, HighAtomic and Isolate. No "Number of mixed blocks" section:
 * that needs page_owner.
 */
#include "mmstat.h"

#define FREE_LIST_WALK_CAP 100000

static void showfree_print(struct kmm_machine *m, struct kmm_seq *s, struct kmm_zone *z)
{
	for (int mt = 0; mt < KMM_MIGRATE_TYPES; mt++) {
		kmm_seq_printf(s, "Node %4d, zone %8s, type %12s ", m->pgdat->node_id, z->name,
			       kmm_migratetype_names[mt]);
		for (unsigned int o = 0; o <= m->desc.max_order; o++) {
			const struct kmm_list_head *head = &z->free_area[o].free_list[mt], *p;
			unsigned long count = 0;
			bool overflow = false;

			/* the lock is dropped between orders, as the kernel does */
			kmm_spin_lock(&z->lock);
			for (p = head->next; p != head; p = p->next) {
				if (++count >= FREE_LIST_WALK_CAP) {
					overflow = true;
					break;
				}
			}
			kmm_spin_unlock(&z->lock);
			kmm_seq_printf(s, "%s%6lu ", overflow ? ">" : "", count);
		}
		kmm_seq_putc(s, '\n');
	}
}

static void showblockcount_print(struct kmm_machine *m, struct kmm_seq *s, struct kmm_zone *z)
{
	unsigned long count[KMM_MIGRATE_TYPES] = { 0 };
	unsigned long end = kmm_zone_end_pfn(z);

	for (unsigned long pfn = z->zone_start_pfn; pfn < end; pfn += kmm_pageblock_nr_pages(m)) {
		int mt;

		/* a deferred pageblock is the zone's, though its struct pages say nothing yet */
		if (kmm_pfn_initialised(m, pfn) &&
		    kmm_page_zonenum(kmm_pfn_page(m, pfn)) != (unsigned int)z->idx)
			continue;
		mt = kmm_get_pageblock_mt(z, pfn);
		if (mt >= 0 && mt < KMM_MIGRATE_TYPES)
			count[mt]++;
	}
	kmm_seq_printf(s, "Node %d, zone %8s ", m->pgdat->node_id, z->name);
	for (int mt = 0; mt < KMM_MIGRATE_TYPES; mt++)
		kmm_seq_printf(s, "%12lu ", count[mt]);
	kmm_seq_putc(s, '\n');
}

void kmm_proc_pagetypeinfo_show(struct kmm_machine *m, struct kmm_seq *s)
{
	struct kmm_zone *zones;

	if (!kmm_proc_have_page_alloc(m))
		return;
	zones = m->pgdat->node_zones;
	kmm_seq_printf(s, "Page block order: %u\n", m->pageblock_order);
	kmm_seq_printf(s, "Pages per block:  %lu\n", kmm_pageblock_nr_pages(m));
	kmm_seq_putc(s, '\n');

	kmm_seq_printf(s, "%-43s ", "Free pages count per migrate type at order");
	for (unsigned int o = 0; o <= m->desc.max_order; o++)
		kmm_seq_printf(s, "%6u ", o);
	kmm_seq_putc(s, '\n');
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		if (kmm_zone_populated(&zones[i]))
			showfree_print(m, s, &zones[i]);

	kmm_seq_printf(s, "\n%-23s", "Number of blocks type ");
	for (int mt = 0; mt < KMM_MIGRATE_TYPES; mt++)
		kmm_seq_printf(s, "%12s ", kmm_migratetype_names[mt]);
	kmm_seq_putc(s, '\n');
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		if (!kmm_zone_populated(&zones[i]))
			continue;
		kmm_spin_lock(&zones[i].lock);
		showblockcount_print(m, s, &zones[i]);
		kmm_spin_unlock(&zones[i].lock);
	}
}
