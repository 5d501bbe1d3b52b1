/* SPDX-License-Identifier: MIT */
/*
 * Counter names of mm/vmstat.c (vmstat_text, Linux 6.12) and the global
 * sums the page allocator's reports print (global_zone_page_state,
 * all_vm_events). See mmstat.h for the configuration kmm reports as.
 */
#include "mmstat.h"

const struct kmm_proc_stat kmm_proc_zone_stats[] = {
	{ "nr_free_pages", KMM_NR_FREE_PAGES },
	{ "nr_zone_inactive_anon", -1 },
	{ "nr_zone_active_anon", -1 },
	{ "nr_zone_inactive_file", -1 },
	{ "nr_zone_active_file", -1 },
	{ "nr_zone_unevictable", -1 },
	{ "nr_zone_write_pending", -1 },
	{ "nr_mlock", -1 },
	{ "nr_bounce", -1 },
	/* nr_zspages: CONFIG_ZSMALLOC */
	{ "nr_free_cma", -1 },
	/* nr_unaccepted: CONFIG_UNACCEPTED_MEMORY */
};
const unsigned int kmm_proc_nr_zone_stats = KMM_ARRAY_SIZE(kmm_proc_zone_stats);

const char *const kmm_proc_node_stat_names[] = {
	"nr_inactive_anon",
	"nr_active_anon",
	"nr_inactive_file",
	"nr_active_file",
	"nr_unevictable",
	"nr_slab_reclaimable",
	"nr_slab_unreclaimable",
	"nr_isolated_anon",
	"nr_isolated_file",
	"workingset_nodes",
	"workingset_refault_anon",
	"workingset_refault_file",
	"workingset_activate_anon",
	"workingset_activate_file",
	"workingset_restore_anon",
	"workingset_restore_file",
	"workingset_nodereclaim",
	"nr_anon_pages",
	"nr_mapped",
	"nr_file_pages",
	"nr_dirty",
	"nr_writeback",
	"nr_writeback_temp",
	"nr_shmem",
	"nr_shmem_hugepages",
	"nr_shmem_pmdmapped",
	"nr_file_hugepages",
	"nr_file_pmdmapped",
	"nr_anon_transparent_hugepages",
	"nr_vmscan_write",
	"nr_vmscan_immediate_reclaim",
	"nr_dirtied",
	"nr_written",
	"nr_throttled_written",
	"nr_kernel_misc_reclaimable",
	"nr_foll_pin_acquired",
	"nr_foll_pin_released",
	"nr_kernel_stack",
	/* nr_shadow_call_stack: CONFIG_SHADOW_CALL_STACK */
	"nr_page_table_pages",
	"nr_sec_page_table_pages",
	/* nr_iommu_pages: CONFIG_IOMMU_SUPPORT; nr_swapcached: CONFIG_SWAP;
	 * pgpromote_success, pgpromote_candidate: CONFIG_NUMA_BALANCING */
	"pgdemote_kswapd",
	"pgdemote_direct",
	"pgdemote_khugepaged",
};
const unsigned int kmm_proc_nr_node_stats = KMM_ARRAY_SIZE(kmm_proc_node_stat_names);

const char *const kmm_proc_zone_event_suffix[KMM_MAX_NR_ZONES] = {
	[KMM_ZONE_DMA] = "dma",
	[KMM_ZONE_DMA32] = "dma32",
	[KMM_ZONE_NORMAL] = "normal",
	[KMM_ZONE_HIGHMEM] = "high",
	[KMM_ZONE_MOVABLE] = "movable",
};

unsigned long kmm_proc_node_stat(struct kmm_machine *m, unsigned int i)
{
	(void)m;
	(void)i;
	return 0;	/* no LRU, page cache, slab or page tables yet */
}

unsigned long kmm_proc_zone_stat(const struct kmm_zone *z, int item)
{
	if (item < 0)
		return 0;
	return (unsigned long)kmm_zone_page_state(z, (enum kmm_zone_stat_item)item);
}

unsigned long kmm_proc_global_zone_stat(struct kmm_machine *m, int item)
{
	unsigned long sum = 0;

	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		sum += kmm_proc_zone_stat(&m->pgdat->node_zones[i], item);
	return sum;
}

unsigned long kmm_proc_vm_event(struct kmm_machine *m, enum kmm_vm_event_item item)
{
	unsigned long sum = 0;

	for (unsigned int cpu = 0; cpu < m->desc.nr_cpus; cpu++)
		sum += KMM_READ_ONCE(m->vm_events[cpu][item]);
	return sum;
}

unsigned long kmm_proc_zone_numa_hit(struct kmm_machine *m, const struct kmm_zone *z)
{
	unsigned long n = 0;

	if (!z->per_cpu_pageset)
		return 0;
	for (unsigned int cpu = 0; cpu < m->desc.nr_cpus; cpu++)
		n += KMM_READ_ONCE(z->per_cpu_pageset[cpu].numa_hit);
	return n;
}
