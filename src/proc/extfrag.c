/* SPDX-License-Identifier: MIT */
/*
 * /sys/kernel/debug/extfrag/{unusable_index,extfrag_index} (mm/vmstat.c
 * unusable_show_print with unusable_free_index, extfrag_show_print with
 * __fragmentation_index, both over fill_contig_page_info): per populated
 * zone "Node %d, zone %8s " then one index per order 0..MAX_PAGE_ORDER in
 * thousandths, "%d.%03d " and "%2d.%03d " (-1.000: an allocation of that
 * order would succeed). Read under the zone lock, as walk_zones_in_node.
 */
#include "mmstat.h"

struct contig_page_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

static void fill_contig_page_info(struct kmm_machine *m, const struct kmm_zone *z,
				  unsigned int suitable_order, struct contig_page_info *info)
{
	*info = (struct contig_page_info){ 0 };
	for (unsigned int o = 0; o <= m->desc.max_order; o++) {
		unsigned long blocks = KMM_READ_ONCE(z->free_area[o].nr_free);

		info->free_blocks_total += blocks;
		info->free_pages += blocks << o;
		if (o >= suitable_order)
			info->free_blocks_suitable += blocks << (o - suitable_order);
	}
}

/* How much of the free memory cannot serve an allocation of this order, 0..1000. */
static int unusable_free_index(unsigned int order, const struct contig_page_info *info)
{
	if (!info->free_pages)
		return 1000;	/* no free memory: all of it is unusable */
	return (int)((uint64_t)(info->free_pages - (info->free_blocks_suitable << order)) * 1000 /
		     info->free_pages);
}

/*
 * Why an allocation of this order would fail: near 0 for want of memory,
 * near 1000 for fragmentation; -1000 when it would not fail.
 */
static int fragmentation_index(unsigned int order, const struct contig_page_info *info)
{
	uint64_t requested = 1ULL << order;

	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return 1000 - (int)((1000 + (uint64_t)info->free_pages * 1000 / requested) /
			    info->free_blocks_total);
}

static void show(struct kmm_machine *m, struct kmm_seq *s, bool extfrag)
{
	if (!kmm_proc_have_page_alloc(m))
		return;
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		struct kmm_zone *z = &m->pgdat->node_zones[i];

		if (!kmm_zone_populated(z))
			continue;
		kmm_spin_lock(&z->lock);
		kmm_seq_printf(s, "Node %d, zone %8s ", m->pgdat->node_id, z->name);
		for (unsigned int o = 0; o <= m->desc.max_order; o++) {
			struct contig_page_info info;
			int index;

			fill_contig_page_info(m, z, o, &info);
			if (extfrag) {
				index = fragmentation_index(o, &info);
				kmm_seq_printf(s, "%2d.%03d ", index / 1000, index % 1000);
			} else {
				index = unusable_free_index(o, &info);
				kmm_seq_printf(s, "%d.%03d ", index / 1000, index % 1000);
			}
		}
		kmm_seq_putc(s, '\n');
		kmm_spin_unlock(&z->lock);
	}
}

void kmm_proc_unusable_index_show(struct kmm_machine *m, struct kmm_seq *s)
{
	show(m, s, false);
}

void kmm_proc_extfrag_index_show(struct kmm_machine *m, struct kmm_seq *s)
{
	show(m, s, true);
}
