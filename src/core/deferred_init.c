/* SPDX-License-Identifier: MIT */
/*
 * Deferred struct page initialisation (CONFIG_DEFERRED_STRUCT_PAGE_INIT,
 * mm/mm_init.c: defer_init, deferred_grow_zone, deferred_init_maxorder).
 *
 * 1. Why. Initialising mem_map costs one 64-byte struct page per frame,
 *    written: 368 MiB of writes for a machine of 23 GiB, before the first
 *    allocation. The kernel initialises the first part of a node at boot
 *    and the rest later; kmm.deferred_init=1 does the same, so that a large
 *    sparse machine (the malloc shim boots one as large as the host) costs
 *    only what it uses.
 *
 * 2. What is deferred. Per zone, the pfns [deferred_pfn, deferred_end): every
 *    whole MAX_ORDER block of the zone, from its start rounded up to a block
 *    to its end rounded down to one (a block a zone boundary cuts is
 *    initialised at boot) or, for the last zone, to the end of mem_map. The
 *    boot's own allocations grow the zones they come from, like any other;
 *    a zone nothing has used yet manages no page, and is still in the
 *    zonelist, where the first allocation that reaches it grows it. A
 *    deferred struct page is untouched:
 *    it reads as zero (mem_map is allocated raw from zeroed RAM), so it is
 *    in no zone's free lists, PageBuddy is false and buddy merging, which
 *    stays within a MAX_ORDER block, never looks at one.
 *
 * 3. Growing. When a zone fails its watermark, or its free lists cannot
 *    serve an order, get_page_from_freelist() grows it (deferred_grow_zone):
 *    under resize_lock, the next blocks are initialised as memmap_init()
 *    does and their free ranges (memblock's memory minus reserved) are freed
 *    as memblock_free_all() frees them, until at least 2^order pages (at
 *    least one block) are initialised. Then, as after a memory hot-add, the
 *    managed pages, totalram, min_free_kbytes (unless the user set it), the
 *    watermarks, lowmem_reserve and the per-CPU list limits are recomputed.
 *
 * 4. Where kmm differs from the kernel, and why. The kernel defers only the
 *    highest zone of a node, after one section (128 MiB on x86_64), grows
 *    it by sections, and initialises the rest with one thread per node
 *    before init runs, after which watermarks are set from all of memory.
 *    kmm defers every zone from its first block (DMA32 alone is 3 GiB of a
 *    large x86_64 machine, 48 MiB of struct pages), grows by MAX_ORDER
 *    blocks (4 MiB of memory, 64 KiB of struct pages) and never finishes on
 *    its own: growing happens only on demand, so the watermarks follow the
 *    memory initialised so far. The per-CPU lists' batch is the whole
 *    zone's from the start (pcp.c), as the kernel's is once its deferred
 *    init is done: sized by the blocks initialised so far, the lists would
 *    send nearly every free back under the zone lock.
 *
 * 5. Reports. Until a zone is fully initialised, its managed pages,
 *    MemTotal, MemFree and the buddy lists show only initialised memory, as
 *    the kernel's do while its deferred init runs; spanned and present
 *    pages are the whole zone's.
 *
 * Invariants (kmm_page_alloc_check): deferred_pfn <= deferred_end, both
 * MAX_ORDER aligned while pages are deferred; no free block lies in
 * [deferred_pfn, deferred_end); the first deferred struct page is zero.
 *
 * Locking: resize_lock (pgdat_resize_lock) serialises growers; it nests
 * outside zone->lock and sysctl_lock. Readers of deferred_pfn need no lock.
 */
#include "internal.h"

static unsigned long max_order_pages(const struct kmm_machine *m)
{
	return 1UL << m->desc.max_order;
}

unsigned long kmm_deferred_run(struct kmm_machine *m, unsigned long start, unsigned long end,
			       bool *deferred)
{
	unsigned long run_end = end;

	*deferred = false;
	if (!m->deferred_init)
		return end;
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		const struct kmm_zone *z = &m->pgdat->node_zones[i];
		unsigned long ds = KMM_READ_ONCE(z->deferred_pfn), de = z->deferred_end;

		if (ds >= de)
			continue;
		if (start >= ds && start < de) {
			*deferred = true;
			return de < end ? de : end;
		}
		if (ds > start && ds < run_end)
			run_end = ds;
	}
	return run_end;
}

bool kmm_pfn_initialised(struct kmm_machine *m, unsigned long pfn)
{
	bool deferred;

	kmm_deferred_run(m, pfn, pfn + 1, &deferred);
	return !deferred;
}

/* Frees the free ranges of memblock inside [start, end) of zone z; returns the pages freed. */
static unsigned long free_block_ranges(struct kmm_machine *m, struct kmm_zone *z,
				       unsigned long start, unsigned long end)
{
	unsigned long before = KMM_READ_ONCE(z->managed_pages);
	kmm_phys_addr_t s, e;
	uint64_t i;

	if (start < z->zone_start_pfn)
		start = z->zone_start_pfn;
	if (end > kmm_zone_end_pfn(z))
		end = kmm_zone_end_pfn(z);
	for (i = 0, kmm_memblock_core_next_free(&m->mbc, &i, KMM_NUMA_NO_NODE, KMM_MEMBLOCK_NONE,
						false, &s, &e, NULL);
	     i != ~0ULL;
	     kmm_memblock_core_next_free(&m->mbc, &i, KMM_NUMA_NO_NODE, KMM_MEMBLOCK_NONE, false,
					 &s, &e, NULL)) {
		unsigned long spfn = (unsigned long)((s + KMM_PAGE_SIZE - 1) >> KMM_PAGE_SHIFT);
		unsigned long epfn = (unsigned long)(e >> KMM_PAGE_SHIFT);

		if (spfn < start)
			spfn = start;
		if (epfn > end)
			epfn = end;
		if (spfn < epfn)
			kmm_free_pages_memory(m, spfn, epfn);
	}
	return KMM_READ_ONCE(z->managed_pages) - before;
}

/* Initialises and frees the next deferred block of z (resize_lock held); pages initialised. */
static unsigned long grow_one_block_locked(struct kmm_machine *m, struct kmm_zone *z)
{
	unsigned long start = z->deferred_pfn, end = start + max_order_pages(m);

	kmm_memmap_init_range(m, start, end);
	free_block_ranges(m, z, start, end);
	/* published last: a walker that reads the new value finds the block ready */
	__atomic_store_n(&z->deferred_pfn, end, __ATOMIC_RELEASE);
	return end - start;
}

static void update_deferred_pages(struct kmm_machine *m)
{
	bool any = false;

	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		any |= kmm_zone_has_deferred(&m->pgdat->node_zones[i]);
	KMM_WRITE_ONCE(m->deferred_pages, any);
}

/* init_per_zone_wmark_min(), as after a memory hot-add: the limits follow managed pages. */
static void recompute_limits(struct kmm_machine *m)
{
	kmm_spin_lock(&m->sysctl_lock);
	if (!m->user_min_free_kbytes)
		kmm_calculate_min_free_kbytes(m);
	kmm_setup_per_zone_wmarks(m);
	kmm_setup_per_zone_lowmem_reserve(m);
	kmm_spin_unlock(&m->sysctl_lock);
}

bool kmm_deferred_grow_zone(struct kmm_zone *z, unsigned int order)
{
	struct kmm_machine *m = z->m;
	unsigned long need = 1UL << order, done = 0, first = KMM_READ_ONCE(z->deferred_pfn);

	if (first >= z->deferred_end)
		return false;
	kmm_spin_lock(&m->resize_lock);
	/* somebody grew the zone while we waited: there may be enough now */
	if (z->deferred_pfn != first) {
		kmm_spin_unlock(&m->resize_lock);
		return true;
	}
	while (z->deferred_pfn < z->deferred_end && done < need)
		done += grow_one_block_locked(m, z);
	update_deferred_pages(m);
	kmm_spin_unlock(&m->resize_lock);
	recompute_limits(m);
	return true;
}

void kmm_deferred_init_boot(struct kmm_machine *m)
{
	unsigned long blk = max_order_pages(m);
	struct kmm_zone *last = NULL;

	kmm_spin_lock_init(&m->resize_lock);
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		struct kmm_zone *z = &m->pgdat->node_zones[i];

		z->deferred_pfn = z->deferred_end = 0;
		if (z->spanned_pages)
			last = z;
	}
	if (!m->deferred_init)
		return;
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		struct kmm_zone *z = &m->pgdat->node_zones[i];
		unsigned long start, end;

		if (!z->spanned_pages)
			continue;
		/* the block holding the zone's start (maybe shared with the zone below) is not deferred */
		start = (z->zone_start_pfn + blk - 1) & ~(blk - 1);
		end = z == last ? m->layout.mem_map_pfn + m->layout.mem_map_pages
				: kmm_zone_end_pfn(z) & ~(blk - 1);
		if (start < end) {
			z->deferred_pfn = start;
			z->deferred_end = end;
		}
	}
	update_deferred_pages(m);
}

unsigned long kmm_deferred_pages(struct kmm_machine *m)
{
	unsigned long n = 0;

	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		const struct kmm_zone *z = &m->pgdat->node_zones[i];
		unsigned long ds = KMM_READ_ONCE(z->deferred_pfn);

		if (ds < z->deferred_end)
			n += z->deferred_end - ds;
	}
	return n;
}

int kmm_deferred_check(struct kmm_machine *m)
{
	unsigned long blk = max_order_pages(m);
	int bad = 0;

	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		struct kmm_zone *z = &m->pgdat->node_zones[i];
		unsigned long ds = KMM_READ_ONCE(z->deferred_pfn), de = z->deferred_end;
		const struct kmm_page *p;

		if (ds >= de)
			continue;
		if ((ds | de) & (blk - 1)) {
			kmm_core_printk(m, KMM_KERN_ERR "page_alloc check: zone %s: deferred range %#lx-%#lx is not in MAX_ORDER blocks\n",
					z->name, ds, de);
			bad++;
		}
		p = kmm_pfn_page(m, ds);
		if (p->flags || p->_refcount || p->_mapcount || p->lru.next) {
			kmm_core_printk(m, KMM_KERN_ERR "page_alloc check: zone %s: deferred pfn %#lx has an initialised struct page\n",
					z->name, ds);
			bad++;
		}
	}
	return bad;
}
