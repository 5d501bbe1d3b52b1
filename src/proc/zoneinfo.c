/* SPDX-License-Identifier: MIT */
/*
 * /proc/zoneinfo (mm/vmstat.c zoneinfo_show_print): every zone the
 * profile's kernel configures, populated or not. The node's first populated
 * zone carries the per-node stats; every zone has its free pages,
 * watermarks, spans and "protection:" (lowmem_reserve, one entry per
 * configured zone); an unpopulated zone stops there. A populated zone goes
 * on with the zone stats, its per-CPU page sets in the 6.7+ layout of
 * shared/reference/proc-zoneinfo.txt (count, high, batch, high_min,
 * high_max, then "vm stats threshold"), node_unreclaimable and start_pfn.
 * The numa_* lines appear on profiles whose kernel is built with NUMA
 * (x86_64); with one node every allocation is a local hit.
 */
#include "mmstat.h"

static bool is_first_populated(struct kmm_machine *m, const struct kmm_zone *z)
{
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		if (kmm_zone_populated(&m->pgdat->node_zones[i]))
			return z == &m->pgdat->node_zones[i];
	return false;
}

static int fls_ul(unsigned long x)
{
	int r = 0;

	while (x) {
		r++;
		x >>= 1;
	}
	return r;
}

/*
 * calculate_normal_threshold(): the per-CPU drift the kernel lets each zone
 * counter have. kmm's counters have no per-CPU deltas; the line shows the
 * threshold the kernel would use for this zone and CPU count.
 */
static int stat_threshold(struct kmm_machine *m, const struct kmm_zone *z)
{
	unsigned long mem = KMM_READ_ONCE(z->managed_pages) >> (27 - KMM_PAGE_SHIFT);
	int t = 2 * fls_ul(m->desc.nr_cpus) * (1 + fls_ul(mem));

	return t < 125 ? t : 125;
}

static void zoneinfo_show_print(struct kmm_machine *m, struct kmm_seq *s, struct kmm_zone *z)
{
	struct kmm_pglist_data *pgdat = m->pgdat;
	bool first = true;

	kmm_seq_printf(s, "Node %d, zone %8s", pgdat->node_id, z->name);
	if (is_first_populated(m, z)) {
		kmm_seq_puts(s, "\n  per-node stats");
		for (unsigned int i = 0; i < kmm_proc_nr_node_stats; i++)
			kmm_seq_printf(s, "\n      %-12s %lu", kmm_proc_node_stat_names[i],
				       kmm_proc_node_stat(m, i));
	}
	kmm_seq_printf(s,
		       "\n  pages free     %lu"
		       "\n        boost    %lu"
		       "\n        min      %lu"
		       "\n        low      %lu"
		       "\n        high     %lu"
		       "\n        promo    %lu"
		       "\n        spanned  %lu"
		       "\n        present  %lu"
		       "\n        managed  %lu"
		       "\n        cma      %lu",
		       kmm_proc_zone_stat(z, KMM_NR_FREE_PAGES),
		       KMM_READ_ONCE(z->watermark_boost),
		       kmm_wmark_pages(z, KMM_WMARK_MIN),
		       kmm_wmark_pages(z, KMM_WMARK_LOW),
		       kmm_wmark_pages(z, KMM_WMARK_HIGH),
		       kmm_wmark_pages(z, KMM_WMARK_PROMO),
		       z->spanned_pages, z->present_pages, KMM_READ_ONCE(z->managed_pages),
		       z->cma_pages);
	kmm_seq_puts(s, "\n        protection: (");
	for (int j = 0; j < KMM_MAX_NR_ZONES; j++) {
		if (!kmm_proc_zone_configured(m, j))
			continue;
		kmm_seq_printf(s, "%s%ld", first ? "" : ", ", KMM_READ_ONCE(z->lowmem_reserve[j]));
		first = false;
	}
	kmm_seq_putc(s, ')');

	/* if unpopulated, no other information is useful */
	if (!kmm_zone_populated(z)) {
		kmm_seq_putc(s, '\n');
		return;
	}

	for (unsigned int i = 0; i < kmm_proc_nr_zone_stats; i++)
		kmm_seq_printf(s, "\n      %-12s %lu", kmm_proc_zone_stats[i].name,
			       kmm_proc_zone_stat(z, kmm_proc_zone_stats[i].item));
	if (m->mbc.numa) {
		unsigned long hit = kmm_proc_zone_numa_hit(m, z);

		kmm_seq_printf(s, "\n      %-12s %lu\n      %-12s %lu\n      %-12s %lu"
			       "\n      %-12s %lu\n      %-12s %lu\n      %-12s %lu",
			       "numa_hit", hit, "numa_miss", 0UL, "numa_foreign", 0UL,
			       "numa_interleave", 0UL, "numa_local", hit, "numa_other", 0UL);
	}

	kmm_seq_puts(s, "\n  pagesets");
	for (unsigned int cpu = 0; cpu < m->desc.nr_cpus; cpu++) {
		struct kmm_per_cpu_pages *pcp = &z->per_cpu_pageset[cpu];

		kmm_seq_printf(s,
			       "\n    cpu: %u"
			       "\n              count:    %i"
			       "\n              high:     %i"
			       "\n              batch:    %i"
			       "\n              high_min: %i"
			       "\n              high_max: %i",
			       cpu, KMM_READ_ONCE(pcp->count), KMM_READ_ONCE(pcp->high),
			       KMM_READ_ONCE(pcp->batch), KMM_READ_ONCE(pcp->high_min),
			       KMM_READ_ONCE(pcp->high_max));
		kmm_seq_printf(s, "\n  vm stats threshold: %d", stat_threshold(m, z));
	}
	/* kswapd_failures >= MAX_RECLAIM_RETRIES: kmm's reclaim has nothing to fail on yet */
	kmm_seq_printf(s,
		       "\n  node_unreclaimable:  %u"
		       "\n  start_pfn:           %lu",
		       0u, z->zone_start_pfn);
	kmm_seq_putc(s, '\n');
}

void kmm_proc_zoneinfo_show(struct kmm_machine *m, struct kmm_seq *s)
{
	if (!kmm_proc_have_page_alloc(m))
		return;
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		if (kmm_proc_zone_configured(m, i))
			zoneinfo_show_print(m, s, &m->pgdat->node_zones[i]);
}
