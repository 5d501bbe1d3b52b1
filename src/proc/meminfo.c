/* SPDX-License-Identifier: MIT */
/*
 * /proc/meminfo (fs/proc/meminfo.c meminfo_proc_show, show_val_kb: the
 * label padded to 16 columns, then "%8lu kB"; si_mem_available() in
 * mm/show_mem.c). Every line a kernel always prints is here, in its order,
 * with 0 for what kmm does not have yet (page cache, LRU, page tables,
 * swap); HighTotal/HighFree/LowTotal/LowFree on profiles with highmem
 * (CONFIG_HIGHMEM). Lines of options kmm reports without (Zswap, THP, CMA,
 * hugetlb, memory failure) and the x86 DirectMap lines (kmm's direct map is
 * one host mapping) are left out.
 *
 * Slab is SReclaimable + SUnreclaim: the pages of the slab caches' slabs
 * (those of SLAB_RECLAIM_ACCOUNT caches, kmalloc-rcl-* among them, are
 * reclaimable) and of large kmallocs (unreclaimable); KReclaimable is
 * SReclaimable (no other reclaimable kernel memory yet), and MemAvailable
 * counts it as si_mem_available() does.
 */
#include "mmstat.h"

/* CommitLimit: sysctl vm.overcommit_ratio's default, no swap, no hugetlb */
#define OVERCOMMIT_RATIO 50

static void show_val_kb(struct kmm_seq *s, const char *label, unsigned long pages)
{
	kmm_seq_printf(s, "%s%8lu kB\n", label, pages << (KMM_PAGE_SHIFT - 10));
}

/* si_mem_available(): free pages minus the reserves, plus what reclaim could give back */
static unsigned long mem_available(struct kmm_machine *m, unsigned long freeram,
				   unsigned long reclaimable)
{
	unsigned long wmark_low = 0, pagecache = 0, half;
	long available;

	/* for_each_zone: every zone of the node, populated or not */
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		if (kmm_proc_zone_configured(m, i))
			wmark_low += kmm_low_wmark_pages(&m->pgdat->node_zones[i]);
	available = (long)freeram - (long)KMM_READ_ONCE(m->pgdat->totalreserve_pages);
	/* page cache (active + inactive file): none yet; reclaimable: SReclaimable */
	half = pagecache / 2;
	pagecache -= half < wmark_low ? half : wmark_low;
	available += (long)pagecache;
	half = reclaimable / 2;
	reclaimable -= half < wmark_low ? half : wmark_low;
	available += (long)reclaimable;
	return available < 0 ? 0 : (unsigned long)available;
}

void kmm_proc_meminfo_show(struct kmm_machine *m, struct kmm_seq *s)
{
	unsigned long totalram, freeram, totalhigh, freehigh, vmalloc_total;
	unsigned long sreclaimable, sunreclaim;
	struct kmm_vmalloc_stats vst;

	if (!kmm_proc_have_page_alloc(m))
		return;
	totalram = KMM_READ_ONCE(m->totalram_pages);
	totalhigh = KMM_READ_ONCE(m->totalhigh_pages);
	freeram = kmm_proc_global_zone_stat(m, KMM_NR_FREE_PAGES);
	/* nr_free_highpages(): is_highmem() zones; ZONE_MOVABLE is never set up in kmm */
	freehigh = kmm_proc_zone_stat(&m->pgdat->node_zones[KMM_ZONE_HIGHMEM], KMM_NR_FREE_PAGES);
	kmm_proc_slab_pages(m, &sreclaimable, &sunreclaim);

	show_val_kb(s, "MemTotal:       ", totalram);
	show_val_kb(s, "MemFree:        ", freeram);
	show_val_kb(s, "MemAvailable:   ", mem_available(m, freeram, sreclaimable));
	show_val_kb(s, "Buffers:        ", 0);
	show_val_kb(s, "Cached:         ", 0);
	show_val_kb(s, "SwapCached:     ", 0);
	show_val_kb(s, "Active:         ", 0);
	show_val_kb(s, "Inactive:       ", 0);
	show_val_kb(s, "Active(anon):   ", 0);
	show_val_kb(s, "Inactive(anon): ", 0);
	show_val_kb(s, "Active(file):   ", 0);
	show_val_kb(s, "Inactive(file): ", 0);
	show_val_kb(s, "Unevictable:    ", 0);
	show_val_kb(s, "Mlocked:        ", 0);
	if (kmm_proc_zone_configured(m, KMM_ZONE_HIGHMEM)) {
		show_val_kb(s, "HighTotal:      ", totalhigh);
		show_val_kb(s, "HighFree:       ", freehigh);
		show_val_kb(s, "LowTotal:       ", totalram - totalhigh);
		show_val_kb(s, "LowFree:        ", freeram - freehigh);
	}
	show_val_kb(s, "SwapTotal:      ", 0);
	show_val_kb(s, "SwapFree:       ", 0);
	show_val_kb(s, "Dirty:          ", 0);
	show_val_kb(s, "Writeback:      ", 0);
	show_val_kb(s, "AnonPages:      ", 0);
	show_val_kb(s, "Mapped:         ", 0);
	show_val_kb(s, "Shmem:          ", 0);
	show_val_kb(s, "KReclaimable:   ", sreclaimable);
	show_val_kb(s, "Slab:           ", sreclaimable + sunreclaim);
	show_val_kb(s, "SReclaimable:   ", sreclaimable);
	show_val_kb(s, "SUnreclaim:     ", sunreclaim);
	kmm_seq_printf(s, "KernelStack:    %8lu kB\n", 0UL);
	show_val_kb(s, "PageTables:     ", 0);
	show_val_kb(s, "SecPageTables:  ", 0);
	show_val_kb(s, "NFS_Unstable:   ", 0);
	show_val_kb(s, "Bounce:         ", 0);
	show_val_kb(s, "WritebackTmp:   ", 0);
	/* vm_commit_limit(): (totalram - hugetlb) * overcommit_ratio / 100 + swap */
	show_val_kb(s, "CommitLimit:    ", totalram * OVERCOMMIT_RATIO / 100);
	show_val_kb(s, "Committed_AS:   ", 0);
	vmalloc_total = (unsigned long)(m->layout.vmalloc_end - m->layout.vmalloc_start);
	kmm_seq_printf(s, "VmallocTotal:   %8lu kB\n", vmalloc_total >> 10);
	kmm_vmalloc_stats(m, &vst);
	/* VmallocUsed: pages backing vmalloc areas; VmallocChunk: 0 since Linux 5.3 */
	show_val_kb(s, "VmallocUsed:    ", vst.nr_vmalloc_pages);
	show_val_kb(s, "VmallocChunk:   ", 0);
	show_val_kb(s, "Percpu:         ", 0);
}
