/* SPDX-License-Identifier: MIT */
/*
 * Handing memory from memblock to the page allocator (mm/mm_init.c:
 * free_area_init, memmap_init, memblock_free_all, init_per_zone_wmark_min,
 * mem_init_print_info).
 *
 * 1. The zone structures get their free lists, a pageblock migrate-type map
 *    and per-CPU page sets, all allocated from memblock, as the kernel's are.
 * 2. memmap_init: every struct page gets its zone, a reference count of 1 and
 *    PG_reserved; every pageblock is marked Movable.
 * 3. memblock_free_all: every range of memory minus reserved is given to the
 *    buddy lists in the largest naturally aligned blocks (never across a
 *    zone boundary); those pages lose PG_reserved and count as managed.
 *    With kmm.deferred_init=1, steps 2 and 3 skip the deferred part of each
 *    zone, which deferred_init.c initialises and frees on demand.
 *    Reserved ranges (kernel image, mem_map, firmware areas, memmap=) keep
 *    PG_reserved and never reach the free lists.
 * 4. Watermarks, the lowmem reserve and the pcp limits are computed from the
 *    managed pages, and the "Memory:" line is logged.
 */
#include "internal.h"

/*
 * The zone of a pfn; pfns outside every zone (mem_map's padding to whole
 * MAX_ORDER blocks) belong to the nearest zone below, or the first zone.
 */
static int zone_of_pfn(struct kmm_machine *m, unsigned long pfn)
{
	int found = -1;

	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		struct kmm_zone *z = &m->pgdat->node_zones[i];

		if (!z->spanned_pages)
			continue;
		if (kmm_zone_spans_pfn(z, pfn))
			return i;
		if (found < 0 || pfn >= z->zone_start_pfn)
			found = i;
	}
	return found < 0 ? KMM_ZONE_NORMAL : found;
}

int kmm_mm_alloc_zone_structures(struct kmm_machine *m)
{
	struct kmm_memblock_ctx *c = &m->mbc;
	unsigned long nr_pb;

	m->pageblock_order = m->desc.max_order < 9 ? m->desc.max_order : 9;
	nr_pb = kmm_pageblock_nr_pages(m);

	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		struct kmm_zone *z = &m->pgdat->node_zones[i];
		unsigned long base, end;

		z->name = kmm_zone_names[i];
		z->idx = i;
		z->m = m;
		kmm_spin_lock_init(&z->lock);
		for (unsigned int o = 0; o < KMM_NR_PAGE_ORDERS_MAX; o++)
			for (int t = 0; t < KMM_MIGRATE_TYPES; t++)
				kmm_list_init(&z->free_area[o].free_list[t]);
		if (!z->spanned_pages)
			continue;
		base = z->zone_start_pfn & ~(nr_pb - 1);
		end = (kmm_zone_end_pfn(z) + nr_pb - 1) & ~(nr_pb - 1);
		z->pageblock_base_pfn = base;
		z->pageblock_order = m->pageblock_order;
		z->pageblock_flags = kmm_memblock_core_alloc_nid(c, (end - base) / nr_pb, 1, 0, 0, 0,
								 false, false);
		z->per_cpu_pageset = kmm_memblock_core_alloc_nid(c, sizeof(*z->per_cpu_pageset) * m->desc.nr_cpus,
								 KMM_SMP_CACHE_BYTES, 0, 0, 0, false, false);
		if (!z->pageblock_flags || !z->per_cpu_pageset)
			return -12;
		/* memmap_init() marks every pageblock Movable */
		kmm_memset(z->pageblock_flags, KMM_MIGRATE_MOVABLE, (end - base) / nr_pb);
		for (unsigned int cpu = 0; cpu < m->desc.nr_cpus; cpu++) {
			struct kmm_per_cpu_pages *pcp = &z->per_cpu_pageset[cpu];

			for (int l = 0; l < KMM_NR_PCP_LISTS; l++)
				kmm_list_init(&pcp->lists[l]);
			/* the boot pageset: pass-through until the limits are known */
			pcp->batch = 1;
		}
	}
	m->vm_events = kmm_memblock_core_alloc_nid(c, sizeof(*m->vm_events) * m->desc.nr_cpus,
						   KMM_SMP_CACHE_BYTES, 0, 0, 0, false, false);
	return m->vm_events ? 0 : -12;
}

void kmm_memmap_init_range(struct kmm_machine *m, unsigned long start, unsigned long end)
{
	const struct kmm_layout *l = &m->layout;

	if (start < l->mem_map_pfn)
		start = l->mem_map_pfn;
	if (end > l->mem_map_pfn + l->mem_map_pages)
		end = l->mem_map_pfn + l->mem_map_pages;
	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct kmm_page *p = kmm_pfn_page(m, pfn);
		int zone = zone_of_pfn(m, pfn);

		p->flags = ((unsigned long)zone << KMM_ZONES_PGSHIFT) | (1UL << KMM_PG_reserved);
		kmm_list_init(&p->lru);
		p->lru.next = p->lru.prev = NULL;
		p->mapping = NULL;
		p->index = 0;
		p->private = 0;
		p->_mapcount = -1;
		p->_refcount = 1;
		p->virtual = NULL;
	}
}

/* memmap_init(): every struct page of mem_map but the deferred ones (deferred_init.c). */
static void memmap_init(struct kmm_machine *m)
{
	const struct kmm_layout *l = &m->layout;
	unsigned long pfn = l->mem_map_pfn, end = l->mem_map_pfn + l->mem_map_pages;

	while (pfn < end) {
		bool deferred;
		unsigned long next = kmm_deferred_run(m, pfn, end, &deferred);

		if (!deferred)
			kmm_memmap_init_range(m, pfn, next);
		pfn = next;
	}
}

/* __free_pages_core(): a boot block becomes free and managed. */
static void free_boot_block(struct kmm_machine *m, unsigned long pfn, unsigned int order)
{
	struct kmm_page *page = kmm_pfn_page(m, pfn);
	struct kmm_zone *z = kmm_page_zone(m, page);
	unsigned long nr = 1UL << order;

	for (unsigned long i = 0; i < nr; i++) {
		kmm_page_clear_reserved(&page[i]);
		page[i]._refcount = 0;
	}
	/* atomic: deferred init adds pages while reports read the counts */
	KMM_WRITE_ONCE(z->managed_pages, z->managed_pages + nr);
	__atomic_add_fetch(&m->totalram_pages, nr, __ATOMIC_RELAXED);
	/*
	 * free_one_page() counts the boot frees too, as the kernel's pgfree
	 * shows: on CPU 0 at boot, on the grower's CPU when a zone grows
	 */
	kmm_count_vm_events(m, kmm_plat_cpu_id(m), KMM_PGFREE, nr);
	if (z->idx == KMM_ZONE_HIGHMEM)
		__atomic_add_fetch(&m->totalhigh_pages, nr, __ATOMIC_RELAXED);
	kmm_spin_lock(&z->lock);
	kmm_free_one_page(z, page, pfn, order, kmm_get_pageblock_mt(z, pfn));
	kmm_spin_unlock(&z->lock);
}

void kmm_free_pages_memory(struct kmm_machine *m, unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned int order = m->desc.max_order;

		while (order && ((start & ((1UL << order) - 1)) || start + (1UL << order) > end ||
				 zone_of_pfn(m, start) != zone_of_pfn(m, start + (1UL << order) - 1)))
			order--;
		free_boot_block(m, start, order);
		start += 1UL << order;
	}
}

static void memblock_free_all(struct kmm_machine *m)
{
	kmm_phys_addr_t s, e;
	uint64_t i;

	for (i = 0, kmm_memblock_core_next_free(&m->mbc, &i, KMM_NUMA_NO_NODE, KMM_MEMBLOCK_NONE,
						false, &s, &e, NULL);
	     i != ~0ULL;
	     kmm_memblock_core_next_free(&m->mbc, &i, KMM_NUMA_NO_NODE, KMM_MEMBLOCK_NONE, false,
					 &s, &e, NULL)) {
		unsigned long spfn = (unsigned long)((s + KMM_PAGE_SIZE - 1) >> KMM_PAGE_SHIFT);
		unsigned long epfn = (unsigned long)(e >> KMM_PAGE_SHIFT);

		/* the deferred parts are freed when their zone grows (deferred_init.c) */
		while (spfn < epfn) {
			bool deferred;
			unsigned long next = kmm_deferred_run(m, spfn, epfn, &deferred);

			if (!deferred)
				kmm_free_pages_memory(m, spfn, next);
			spfn = next;
		}
	}
}

static void mem_init_print_info(struct kmm_machine *m)
{
	const struct kmm_machine_desc *d = &m->desc;
	unsigned long physpages = m->pgdat->node_present_pages;
	unsigned long init = d->bss.start > d->data.end ? (unsigned long)(d->bss.start - d->data.end) : 0;

	kmm_core_printk(m, KMM_KERN_INFO "Built 1 zonelists, mobility grouping on.  Total pages: %lu\n",
			m->totalram_pages);
	kmm_core_printk(m, KMM_KERN_INFO "Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, %luK init, %luK bss, %luK reserved, %luK cma-reserved%s",
			kmm_nr_free_pages(m) << 2, physpages << 2,
			(unsigned long)(d->code.end - d->code.start) >> 10,
			(unsigned long)(d->data.end - d->data.start) >> 10,
			(unsigned long)(d->rodata.end - d->rodata.start) >> 10, init >> 10,
			(unsigned long)(d->bss.end - d->bss.start) >> 10,
			(physpages - m->totalram_pages) << 2, 0UL,
			d->zone_limit[KMM_ZONE_HIGHMEM] ? "" : ")\n");
	if (d->zone_limit[KMM_ZONE_HIGHMEM])
		kmm_core_printk(m, KMM_KERN_CONT ", %luK highmem)\n", m->totalhigh_pages << 2);
}

int kmm_mm_init(struct kmm_machine *m)
{
	m->watermark_scale_factor = 10;
	m->watermark_boost_factor = 15000;
	m->lowmem_reserve_ratio[KMM_ZONE_DMA] = 256;
	m->lowmem_reserve_ratio[KMM_ZONE_DMA32] = 256;
	m->lowmem_reserve_ratio[KMM_ZONE_NORMAL] = 32;
	kmm_spin_lock_init(&m->sysctl_lock);
	kmm_spin_lock_init(&m->fault_lock);
	kmm_spin_lock_init(&m->reporting_lock);
	kmm_deferred_init_boot(m);
	memmap_init(m);
	memblock_free_all(m);
	kmm_build_zonelist(m);
	kmm_calculate_min_free_kbytes(m);
	kmm_setup_per_zone_wmarks(m);
	kmm_setup_per_zone_lowmem_reserve(m);
	m->buddy_ready = true;
	mem_init_print_info(m);
	return 0;
}
