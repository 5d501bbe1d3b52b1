/* SPDX-License-Identifier: MIT */
/*
 * /proc/vmstat (mm/vmstat.c vmstat_show over vmstat_text): "%s %lu\n" per
 * counter, in the kernel's order, limited to the page allocator's lines:
 * the zone counters (summed over zones), the memmap counters, and the
 * per-zone events pgalloc_* and allocstall_* for the zones the profile
 * configures (TEXTS_FOR_ZONES: a 64-bit kernel has no pgalloc_high, a
 * one-zone ARM kernel no pgalloc_dma), then pgfree. Counters of layers kmm
 * does not have yet (LRU, page cache, reclaim, compaction...) are left out.
 * kmm's own counters follow, prefixed "kmm_" so that no tool mistakes them
 * for the kernel's.
 */
#include "mmstat.h"

static void zone_events(struct kmm_machine *m, struct kmm_seq *s, const char *prefix,
			enum kmm_vm_event_item first)
{
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		if (kmm_proc_zone_configured(m, i))
			kmm_seq_printf(s, "%s_%s %lu\n", prefix, kmm_proc_zone_event_suffix[i],
				       kmm_proc_vm_event(m, (enum kmm_vm_event_item)(first + i)));
}

void kmm_proc_vmstat_show(struct kmm_machine *m, struct kmm_seq *s)
{
	static const struct kmm_proc_stat kmm_zone_own[] = {
		{ "kmm_nr_free_unmovable", KMM_NR_ZONE_FREE_UNMOVABLE },
		{ "kmm_nr_free_movable", KMM_NR_ZONE_FREE_MOVABLE },
		{ "kmm_nr_free_reclaimable", KMM_NR_ZONE_FREE_RECLAIMABLE },
		{ "kmm_nr_free_highatomic", KMM_NR_ZONE_FREE_HIGHATOMIC },
		{ "kmm_nr_free_isolate", KMM_NR_ZONE_FREE_ISOLATE },
		{ "kmm_nr_reported", KMM_NR_ZONE_REPORTED },
	};
	static const struct {
		const char *name;
		enum kmm_vm_event_item item;
	} kmm_events_own[] = {
		{ "kmm_pgalloc_fail", KMM_PGALLOC_FAIL },
		{ "kmm_pcp_refill", KMM_PCP_REFILL },
		{ "kmm_pcp_drain", KMM_PCP_DRAIN },
	};
	unsigned long memmap_boot;

	if (!kmm_proc_have_page_alloc(m))
		return;
	/* enum zone_stat_item */
	for (unsigned int i = 0; i < kmm_proc_nr_zone_stats; i++)
		kmm_seq_printf(s, "%s %lu\n", kmm_proc_zone_stats[i].name,
			       kmm_proc_global_zone_stat(m, kmm_proc_zone_stats[i].item));
	/* enum numa_stat_item, on NUMA kernels: one node, every allocation a local hit */
	if (m->mbc.numa) {
		unsigned long hit = 0;

		for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
			hit += kmm_proc_zone_numa_hit(m, &m->pgdat->node_zones[i]);
		kmm_seq_printf(s, "numa_hit %lu\nnuma_miss 0\nnuma_foreign 0\nnuma_interleave 0\n"
			       "numa_local %lu\nnuma_other 0\n", hit, hit);
	}
	/* enum vm_stat_item: mem_map came from memblock at boot */
	memmap_boot = (unsigned long)((m->mem_map_bytes + KMM_PAGE_SIZE - 1) >> KMM_PAGE_SHIFT);
	kmm_seq_printf(s, "nr_memmap_pages %lu\n", 0UL);
	kmm_seq_printf(s, "nr_memmap_boot_pages %lu\n", memmap_boot);
	/* enum vm_event_item */
	zone_events(m, s, "pgalloc", KMM_PGALLOC_DMA);
	zone_events(m, s, "allocstall", KMM_ALLOCSTALL_DMA);
	kmm_seq_printf(s, "pgfree %lu\n", kmm_proc_vm_event(m, KMM_PGFREE));
	/* kmm's own */
	for (size_t i = 0; i < KMM_ARRAY_SIZE(kmm_zone_own); i++)
		kmm_seq_printf(s, "%s %lu\n", kmm_zone_own[i].name,
			       kmm_proc_global_zone_stat(m, kmm_zone_own[i].item));
	for (size_t i = 0; i < KMM_ARRAY_SIZE(kmm_events_own); i++)
		kmm_seq_printf(s, "%s %lu\n", kmm_events_own[i].name,
			       kmm_proc_vm_event(m, kmm_events_own[i].item));
}
