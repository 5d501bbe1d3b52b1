/* SPDX-License-Identifier: MIT */
/*
 * /proc/buddyinfo (mm/vmstat.c frag_show_print): one line per populated
 * zone, "Node %d, zone %8s " then the number of free blocks of each order
 * 0..MAX_PAGE_ORDER as "%6lu ", all migrate types together, and a newline
 * after the trailing space. Read under the zone lock, as walk_zones_in_node.
 */
#include "mmstat.h"

void kmm_proc_buddyinfo_show(struct kmm_machine *m, struct kmm_seq *s)
{
	if (!kmm_proc_have_page_alloc(m))
		return;
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		struct kmm_zone *z = &m->pgdat->node_zones[i];

		if (!kmm_zone_populated(z))
			continue;
		kmm_spin_lock(&z->lock);
		kmm_seq_printf(s, "Node %d, zone %8s ", m->pgdat->node_id, z->name);
		for (unsigned int o = 0; o <= m->desc.max_order; o++)
			kmm_seq_printf(s, "%6lu ", KMM_READ_ONCE(z->free_area[o].nr_free));
		kmm_seq_putc(s, '\n');
		kmm_spin_unlock(&z->lock);
	}
}
