/* SPDX-License-Identifier: MIT */
/*
 * What the page allocator's reports share: which zones the profile's kernel
 * configures, the counter names of mm/vmstat.c (vmstat_text of Linux 6.12)
 * and the global sums of zone and event counters.
 *
 * kmm reports as a kernel configured without SWAP, NUMA balancing, IOMMU,
 * shadow call stacks, zsmalloc, CMA, THP, hugetlbfs and unaccepted memory:
 * the counters those options add are not printed. A machine stopped at
 * memblock (kmm.stop_at=memblock) has no page allocator: every file built
 * on it (buddyinfo, pagetypeinfo, zoneinfo, vmstat, meminfo, extfrag) is
 * empty there.
 *
 * Per-node stats are all 0 for now: kmm has no LRU, page cache, slab or page
 * tables yet. Each name keeps its place in the kernel's order; a later layer
 * that counts one gives it a value in kmm_proc_node_stat().
 */
#ifndef KMM_PROC_MMSTAT_H
#define KMM_PROC_MMSTAT_H

#include "seq.h"
#include "../core/internal.h"

/* CONFIG_ZONE_DMA, CONFIG_ZONE_DMA32, CONFIG_HIGHMEM per profile; Normal and Movable always. */
static inline bool kmm_proc_zone_configured(const struct kmm_machine *m, int idx)
{
	return idx == KMM_ZONE_NORMAL || idx == KMM_ZONE_MOVABLE || m->desc.zone_limit[idx] != 0;
}

/* The page-allocator reports have nothing to show before the buddy handover. */
static inline bool kmm_proc_have_page_alloc(const struct kmm_machine *m)
{
	return m->buddy_ready && m->pgdat;
}

/* One counter line: the kernel's name and kmm's counter, or -1 when kmm has none (0). */
struct kmm_proc_stat {
	const char *name;
	int item;
};

/* enum zone_stat_item, 6.12, as zoneinfo and vmstat print them. */
extern const struct kmm_proc_stat kmm_proc_zone_stats[];
extern const unsigned int kmm_proc_nr_zone_stats;
/* enum node_stat_item, 6.12. */
extern const char *const kmm_proc_node_stat_names[];
extern const unsigned int kmm_proc_nr_node_stats;
/* The zone suffix of the per-zone event names (TEXTS_FOR_ZONES): "dma", "normal", "high"... */
extern const char *const kmm_proc_zone_event_suffix[KMM_MAX_NR_ZONES];

/* Per-node counter i of kmm_proc_node_stat_names, pages (0 for what kmm does not have). */
unsigned long kmm_proc_node_stat(struct kmm_machine *m, unsigned int i);

/* Allocations served by zone z, summed over CPUs (numa_hit and numa_local). */
unsigned long kmm_proc_zone_numa_hit(struct kmm_machine *m, const struct kmm_zone *z);
/* zone_page_state(z, item), or 0 for a counter kmm does not have (item -1). */
unsigned long kmm_proc_zone_stat(const struct kmm_zone *z, int item);
/* global_zone_page_state(): the sum over the node's zones. */
unsigned long kmm_proc_global_zone_stat(struct kmm_machine *m, int item);
/* An event counter summed over the CPUs (all_vm_events()). */
unsigned long kmm_proc_vm_event(struct kmm_machine *m, enum kmm_vm_event_item item);

#endif /* KMM_PROC_MMSTAT_H */
