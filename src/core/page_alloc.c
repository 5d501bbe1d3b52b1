/* SPDX-License-Identifier: MIT */
/*
 * The page allocator's entry points (mm/page_alloc.c: __alloc_pages,
 * get_page_from_freelist, __alloc_pages_slowpath, __free_pages, split_page,
 * alloc_pages_exact).
 *
 * Allocation: gfp_zone() names the highest zone the request may use; the
 * fast path walks the zonelist from there down, taking the first zone that
 * passes the low watermark (plus lowmem_reserve), from the per-CPU lists for
 * orders <= 3 or the buddy lists otherwise. The slow path retries at the min
 * watermark with the reserve rights the GFP mask grants (__GFP_HIGH: half the
 * min; non-blocking __GFP_HIGH, i.e. GFP_ATOMIC: 3/8 of it; __GFP_MEMALLOC:
 * all), then, for a request that may sleep, drains every CPU's lists and
 * gives back high-atomic reserves before failing. Reclaim, compaction and the
 * OOM killer come with later layers; until then a request that still finds
 * nothing fails as the kernel fails with nothing to reclaim, with
 * warn_alloc()'s report unless __GFP_NOWARN. __GFP_NOFAIL waits for memory
 * to be freed and retries, forever. With kmm.deferred_init=1, a zone that
 * fails its watermark or its free lists first grows (deferred_init.c).
 *
 * Free: the last reference goes; the page is checked (a page that is free
 * already, freed with another order than it was allocated with, a tail page,
 * or not a page of this machine is reported as the kernel's "Bad page state"
 * and not freed), then goes to the CPU's list or the buddy lists.
 *
 * Context: every entry point takes the calling task's CPU for its duration;
 * only a blocking request sleeps (while draining other CPUs).
 */
#include "internal.h"
#include "vmalloc.h"
#include "slab.h"

unsigned int kmm_max_page_order(struct kmm_machine *m)
{
	return m->desc.max_order;
}

unsigned long kmm_nr_free_pages(struct kmm_machine *m)
{
	unsigned long n = 0;

	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		n += (unsigned long)kmm_zone_page_state(&m->pgdat->node_zones[i], KMM_NR_FREE_PAGES);
	return n;
}

unsigned long kmm_nr_pcp_pages(struct kmm_machine *m)
{
	unsigned long n = 0;

	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		const struct kmm_zone *z = &m->pgdat->node_zones[i];

		if (!z->per_cpu_pageset)
			continue;
		for (unsigned int cpu = 0; cpu < m->desc.nr_cpus; cpu++)
			n += (unsigned long)KMM_READ_ONCE(z->per_cpu_pageset[cpu].count);
	}
	return n;
}

/* ---- allocation ---- */

static bool zone_watermark_fast(struct kmm_zone *z, unsigned int order, unsigned long mark,
				int highest, unsigned int alloc_flags)
{
	long free = kmm_zone_page_state(z, KMM_NR_FREE_PAGES);

	if (!order) {
		long usable = free;

		if (!(alloc_flags & KMM_ALLOC_RESERVES))
			usable -= kmm_zone_page_state(z, KMM_NR_ZONE_FREE_HIGHATOMIC);
		if (usable > (long)mark + KMM_READ_ONCE(z->lowmem_reserve[highest]))
			return true;
	}
	if (kmm_zone_watermark_ok(z, order, mark, highest, alloc_flags, free))
		return true;
	/* an order-0 __GFP_HIGH request at the min mark ignores a boost */
	if (!order && (alloc_flags & KMM_ALLOC_MIN_RESERVE) && KMM_READ_ONCE(z->watermark_boost) &&
	    (alloc_flags & KMM_ALLOC_WMARK_MASK) == KMM_WMARK_MIN)
		return kmm_zone_watermark_ok(z, order, KMM_READ_ONCE(z->_watermark[KMM_WMARK_MIN]), highest,
					     alloc_flags, free);
	return false;
}

static void zero_pages(struct kmm_machine *m, struct kmm_page *page, unsigned int order)
{
	unsigned long pfn = kmm_pfn(m, page);

	if (pfn < m->layout.max_low_pfn)
		kmm_memset(kmm_va(&m->layout, (kmm_phys_addr_t)pfn << KMM_PAGE_SHIFT), 0,
			   KMM_PAGE_SIZE << order);
	else
		/* highmem has no kernel mapping: let the host hand back zero frames */
		kmm_plat_discard(m, (kmm_phys_addr_t)pfn << KMM_PAGE_SHIFT, KMM_PAGE_SIZE << order);
}

static void prep_compound_page(struct kmm_page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;

	kmm_page_set_head(page);
	for (unsigned long i = 1; i < nr; i++) {
		/* compound_head: the head's address with bit 0 set */
		page[i].lru.next = (struct kmm_list_head *)((uintptr_t)page | 1);
		kmm_set_page_ref(&page[i], 0);
	}
	kmm_page_set_field(&page[1], KMM_PAGE_FOLIO_ORDER_SHIFT, order);
}

static void prep_new_page(struct kmm_machine *m, struct kmm_page *page, unsigned int order,
			  kmm_gfp_t gfp)
{
	kmm_set_page_ref(page, 1);
	page->private = 0;
	kmm_page_set_alloc_order1(page, order + 1);
	if (gfp & KMM___GFP_ZERO)
		zero_pages(m, page, order);
	if (order && (gfp & KMM___GFP_COMP))
		prep_compound_page(page, order);
}

static struct kmm_page *rmqueue(struct kmm_zone *z, int cpu, unsigned int order, int mt,
				unsigned int alloc_flags)
{
	struct kmm_page *page;

	if (likely(kmm_pcp_allowed_order(order))) {
		page = kmm_rmqueue_pcplist(z, cpu, order, mt, alloc_flags);
		if (likely(page))
			return page;
	}
	kmm_spin_lock(&z->lock);
	page = kmm_rmqueue(z, order, mt, alloc_flags);
	kmm_spin_unlock(&z->lock);
	return page;
}

/*
 * A zone that fails its watermark but has deferred struct pages grows
 * (deferred_grow_zone) until it passes, or until nothing is deferred.
 */
static bool deferred_grow_fits(struct kmm_zone *z, unsigned int order, int highest,
			       unsigned int alloc_flags)
{
	if (likely(!KMM_READ_ONCE(z->m->deferred_pages)))
		return false;
	while (kmm_deferred_grow_zone(z, order))
		if (zone_watermark_fast(z, order,
					kmm_wmark_pages(z, (enum kmm_zone_watermarks)(alloc_flags & KMM_ALLOC_WMARK_MASK)),
					highest, alloc_flags))
			return true;
	return false;
}

static struct kmm_page *get_page_from_freelist(struct kmm_machine *m, int cpu, kmm_gfp_t gfp,
					       unsigned int order, unsigned int alloc_flags,
					       int highest, int mt)
{
retry:
	for (struct kmm_zone **zp = m->pgdat->zonelist; *zp; zp++) {
		struct kmm_zone *z = *zp;
		struct kmm_page *page;

		if (z->idx > highest)
			continue;
		if (!(alloc_flags & KMM_ALLOC_NO_WATERMARKS) &&
		    !zone_watermark_fast(z, order,
					 kmm_wmark_pages(z, (enum kmm_zone_watermarks)(alloc_flags & KMM_ALLOC_WMARK_MASK)),
					 highest, alloc_flags) &&
		    !deferred_grow_fits(z, order, highest, alloc_flags))
			continue;
		page = rmqueue(z, cpu, order, mt, alloc_flags);
		/* the free lists cannot serve the order: a zone with deferred pages grows */
		while (unlikely(!page) && unlikely(KMM_READ_ONCE(m->deferred_pages)) &&
		       kmm_deferred_grow_zone(z, order))
			page = rmqueue(z, cpu, order, mt, alloc_flags);
		if (!page)
			continue;
		prep_new_page(m, page, order, gfp);
		if (unlikely(alloc_flags & KMM_ALLOC_HIGHATOMIC) && order)
			kmm_reserve_highatomic_pageblock(z, page, order);
		kmm_count_vm_events(m, cpu, (enum kmm_vm_event_item)(KMM_PGALLOC_DMA + z->idx),
				    1UL << order);
		/* zone_statistics(): one node, so every allocation is a local hit */
		KMM_THIS_CPU_ADD(z->per_cpu_pageset[cpu].numa_hit, 1);
		return page;
	}
	/* only fragment a zone once every zone has been tried without */
	if (alloc_flags & KMM_ALLOC_NOFRAGMENT) {
		alloc_flags &= ~KMM_ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

static unsigned int gfp_to_alloc_flags(kmm_gfp_t gfp, unsigned int order)
{
	unsigned int flags = KMM_ALLOC_WMARK_MIN | KMM_ALLOC_CPUSET;

	flags |= gfp & (KMM___GFP_HIGH | KMM___GFP_KSWAPD_RECLAIM);
	if (!(gfp & KMM___GFP_DIRECT_RECLAIM)) {
		if (!(gfp & KMM___GFP_NOMEMALLOC)) {
			flags |= KMM_ALLOC_NON_BLOCK;
			if (order > 0 && (flags & KMM_ALLOC_MIN_RESERVE))
				flags |= KMM_ALLOC_HIGHATOMIC;
		}
		if (flags & KMM_ALLOC_MIN_RESERVE)
			flags &= ~KMM_ALLOC_CPUSET;
	}
	return flags;
}

/*
 * What kswapd does for a zone it is woken for while nothing can be
 * reclaimed yet: its balancing pass ends and drops the watermark boost.
 */
static void wake_all_kswapds(struct kmm_machine *m, int highest)
{
	for (struct kmm_zone **zp = m->pgdat->zonelist; *zp; zp++)
		if ((*zp)->idx <= highest && KMM_READ_ONCE((*zp)->watermark_boost))
			KMM_WRITE_ONCE((*zp)->watermark_boost, 0);
}

static struct kmm_page *alloc_slowpath(struct kmm_machine *m, int *cpu, kmm_gfp_t gfp,
				       unsigned int order, int highest, int mt)
{
	bool can_reclaim = gfp & KMM___GFP_DIRECT_RECLAIM;
	bool costly = order > KMM_PAGE_ALLOC_COSTLY_ORDER;
	unsigned int alloc_flags = gfp_to_alloc_flags(gfp, order);
	uint64_t start = kmm_plat_clock_ns(m), stall_next = start + 10ULL * 1000000000ULL;
	bool drained = false;
	struct kmm_page *page;
	int no_progress = 0;

	if ((gfp & KMM___GFP_NOFAIL) && !can_reclaim)
		kmm_warn_splat(m, "mm/page_alloc.c", 4432, "__alloc_pages_slowpath",
			       "__GFP_NOFAIL without __GFP_DIRECT_RECLAIM cannot wait: it may fail");
	if (can_reclaim && kmm_plat_in_atomic(m)) {
		kmm_core_printk(m, KMM_KERN_ERR "BUG: sleeping function called from invalid context at mm/page_alloc.c:4540\n");
		kmm_core_printk(m, KMM_KERN_ERR "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: %d, name: %s\n",
				kmm_plat_task_pid(m), kmm_plat_task_comm(m));
		/* go on without sleeping, so the caller's atomic section stays atomic */
		can_reclaim = false;
	}
retry:
	if (alloc_flags & KMM_ALLOC_KSWAPD)
		wake_all_kswapds(m, highest);
	page = get_page_from_freelist(m, *cpu, gfp, order, alloc_flags, highest, mt);
	if (page)
		return page;
	/* __gfp_pfmemalloc_flags(): __GFP_MEMALLOC may use every page */
	if ((gfp & KMM___GFP_MEMALLOC) && !(gfp & KMM___GFP_NOMEMALLOC)) {
		page = get_page_from_freelist(m, *cpu, gfp, order,
					      KMM_ALLOC_NO_WATERMARKS | (alloc_flags & KMM_ALLOC_KSWAPD),
					      highest, mt);
		if (page)
			return page;
	}
	if (!can_reclaim)
		return NULL;
	kmm_count_vm_events(m, *cpu, (enum kmm_vm_event_item)(KMM_ALLOCSTALL_DMA + highest), 1);
	/*
	 * Direct reclaim would run here; with nothing to reclaim, what it does
	 * on failure remains: drain the per-CPU lists and give back the
	 * high-atomic reserve, then try again.
	 */
	if (!drained) {
		kmm_drain_all_pages(m);
		*cpu = kmm_plat_cpu_id(m);
		drained = true;
	}
	kmm_unreserve_highatomic_pageblock(m, mt, false);
	page = get_page_from_freelist(m, *cpu, gfp, order, alloc_flags, highest, mt);
	if (page)
		return page;
	if (gfp & KMM___GFP_NORETRY)
		goto nopage;
	if (costly && !(gfp & KMM___GFP_RETRY_MAYFAIL))
		goto nopage;
	/* should_reclaim_retry(): no progress is possible, so the retries run out at once */
	if (++no_progress <= 1 && kmm_unreserve_highatomic_pageblock(m, mt, true))
		goto retry;
	/* __alloc_pages_may_oom(): one last try at the high watermark */
	page = get_page_from_freelist(m, *cpu, gfp, order, KMM_ALLOC_WMARK_HIGH | KMM_ALLOC_CPUSET,
				      highest, mt);
	if (page)
		return page;
nopage:
	if (gfp & KMM___GFP_NOFAIL) {
		/* the kernel would loop through reclaim and OOM: wait for a free */
		page = get_page_from_freelist(m, *cpu, gfp, order,
					      KMM_ALLOC_MIN_RESERVE | KMM_ALLOC_WMARK_MIN, highest, mt);
		if (page)
			return page;
		if (kmm_plat_clock_ns(m) >= stall_next) {
			kmm_core_printk(m, KMM_KERN_WARNING "%s: page allocation stalls for %llums, order:%u\n",
					kmm_plat_task_comm(m),
					(unsigned long long)((kmm_plat_clock_ns(m) - start) / 1000000), order);
			stall_next += 10ULL * 1000000000ULL;
		}
		kmm_plat_sleep(m, 1000000);
		*cpu = kmm_plat_cpu_id(m);
		drained = false;
		goto retry;
	}
	kmm_warn_alloc(m, gfp, "page allocation failure: order:%u", order);
	return NULL;
}

static __attribute__((noinline)) struct kmm_page *alloc_pages_slow(struct kmm_machine *m,
								    kmm_gfp_t gfp,
								    unsigned int order)
{
	struct kmm_page *page = NULL;
	unsigned int alloc_flags;
	int cpu, highest, mt;

	if (unlikely(order > m->desc.max_order)) {
		/* WARN_ON_ONCE_GFP(order > MAX_PAGE_ORDER, gfp) */
		if (!(gfp & KMM___GFP_NOWARN) && !m->order_warned) {
			m->order_warned = true;
			kmm_warn_splat(m, "mm/page_alloc.c", 4832, "__alloc_pages_noprof+0x2f8/0x330",
				       NULL);
		}
		return NULL;
	}
	if (unlikely(!m->buddy_ready)) {
		kmm_core_printk(m, KMM_KERN_ERR "alloc_pages: the page allocator is not running (the machine stopped at memblock)\n");
		return NULL;
	}
	highest = kmm_gfp_zone(m, gfp);
	if (unlikely(highest < 0)) {
		char flags[128];

		kmm_gfp_format(gfp, flags, sizeof(flags));
		kmm_warn_splat(m, "include/linux/gfp.h", 144, "gfp_zone",
			       "invalid zone modifiers in gfp %#x(%s)", gfp, flags);
		return NULL;
	}
	if (unlikely((gfp & KMM_GFP_MOVABLE_MASK) == KMM_GFP_MOVABLE_MASK)) {
		char flags[128];

		/* VM_WARN_ON(): a mask both movable and reclaimable names no migrate type */
		kmm_gfp_format(gfp, flags, sizeof(flags));
		kmm_warn_splat(m, "include/linux/gfp.h", 23, "gfp_migratetype",
			       "gfp %#x(%s) is both __GFP_MOVABLE and __GFP_RECLAIMABLE", gfp, flags);
		return NULL;
	}
	cpu = kmm_plat_cpu_get(m);
	if (unlikely(cpu < 0))
		return NULL;
	if (unlikely(KMM_READ_ONCE(m->fail_page_alloc.probability)) &&
	    kmm_should_fail_alloc_page(m, gfp, order))
		goto out;
	mt = kmm_gfp_migratetype(gfp);
	alloc_flags = KMM_ALLOC_WMARK_LOW;
	if (gfp & KMM___GFP_KSWAPD_RECLAIM)
		alloc_flags |= KMM_ALLOC_KSWAPD;
	/* alloc_flags_nofragment(): keep Normal unfragmented while DMA32 can serve */
	if (highest == KMM_ZONE_NORMAL &&
	    kmm_zone_managed(&m->pgdat->node_zones[KMM_ZONE_DMA32]))
		alloc_flags |= KMM_ALLOC_NOFRAGMENT;
	page = get_page_from_freelist(m, cpu, gfp, order, alloc_flags, highest, mt);
	if (unlikely(!page))
		page = alloc_slowpath(m, &cpu, gfp, order, highest, mt);
out:
	if (unlikely(!page))
		kmm_count_vm_events(m, cpu, KMM_PGALLOC_FAIL, 1);
	kmm_plat_cpu_put(m);
	return page;
}

/*
 * The fast path (expected cost: a CPU-ownership check, a watermark test and
 * a list pop): a request of order <= 3 whose preferred zone passes the low
 * watermark and whose CPU list holds a block of its type and order. Anything else, and
 * anything unusual (fault injection on, a bad mask, no page allocator yet),
 * takes alloc_pages_slow(), which is the whole of __alloc_pages().
 */
struct kmm_page *kmm_alloc_pages(struct kmm_machine *m, kmm_gfp_t gfp, unsigned int order)
{
	struct kmm_per_cpu_pages *pcp;
	struct kmm_list_head *list;
	struct kmm_page *page;
	struct kmm_zone *z;
	int highest, cpu, mt;
	long free;

	if (unlikely(order > KMM_PAGE_ALLOC_COSTLY_ORDER || !m->buddy_ready ||
		     KMM_READ_ONCE(m->fail_page_alloc.probability)))
		return alloc_pages_slow(m, gfp, order);
	highest = m->gfp_zone_table[gfp & KMM_GFP_ZONEMASK];
	if (unlikely(highest < 0 || !(z = m->preferred_zone[highest]) ||
		     (gfp & KMM_GFP_MOVABLE_MASK) == KMM_GFP_MOVABLE_MASK))
		return alloc_pages_slow(m, gfp, order);
	/* zone_watermark_fast() at the low mark, without reserve rights */
	free = kmm_zone_page_state(z, KMM_NR_FREE_PAGES) -
	       KMM_READ_ONCE(z->vm_stat[KMM_NR_ZONE_FREE_HIGHATOMIC]);
	if (likely(!order)) {
		if (unlikely(free <= (long)kmm_low_wmark_pages(z) + KMM_READ_ONCE(z->lowmem_reserve[highest])))
			return alloc_pages_slow(m, gfp, order);
	} else if (!kmm_zone_watermark_ok(z, order, kmm_low_wmark_pages(z), highest, 0,
					  kmm_zone_page_state(z, KMM_NR_FREE_PAGES))) {
		return alloc_pages_slow(m, gfp, order);
	}
	cpu = kmm_plat_cpu_get(m);
	if (unlikely(cpu < 0))
		return NULL;
	mt = kmm_gfp_migratetype(gfp);
	pcp = &z->per_cpu_pageset[cpu];
	list = &pcp->lists[kmm_order_to_pindex(mt, order)];
	if (unlikely(kmm_list_empty(list))) {
		kmm_plat_cpu_put(m);
		return alloc_pages_slow(m, gfp, order);
	}
	pcp->free_count >>= 1;
	page = kmm_list_first_entry(list, struct kmm_page, lru);
	kmm_list_del(&page->lru);
	KMM_WRITE_ONCE(pcp->count, pcp->count - (1 << order));
	prep_new_page(m, page, order, gfp);
	KMM_THIS_CPU_ADD(pcp->numa_hit, 1);
	kmm_count_vm_events(m, cpu, (enum kmm_vm_event_item)(KMM_PGALLOC_DMA + z->idx), 1UL << order);
	kmm_plat_cpu_put(m);
	return page;
}

struct kmm_page *kmm_alloc_page(struct kmm_machine *m, kmm_gfp_t gfp)
{
	return kmm_alloc_pages(m, gfp, 0);
}

unsigned long kmm___get_free_pages(struct kmm_machine *m, kmm_gfp_t gfp, unsigned int order)
{
	struct kmm_page *page = kmm_alloc_pages(m, gfp & ~KMM___GFP_HIGHMEM, order);

	return page ? (unsigned long)kmm_page_address(m, page) : 0;
}

unsigned long kmm___get_free_page(struct kmm_machine *m, kmm_gfp_t gfp)
{
	return kmm___get_free_pages(m, gfp, 0);
}

unsigned long kmm_get_zeroed_page(struct kmm_machine *m, kmm_gfp_t gfp)
{
	return kmm___get_free_pages(m, gfp | KMM___GFP_ZERO, 0);
}

/* ---- freeing ---- */

/* Gives a block whose last reference is gone back: the CPU's list or the buddy lists. */
static void free_the_page(struct kmm_machine *m, struct kmm_page *page, unsigned int order)
{
	struct kmm_zone *z = kmm_page_zone(m, page);
	unsigned long pfn = kmm_pfn(m, page);
	int cpu = kmm_plat_cpu_get(m);

	kmm_page_set_alloc_order1(page, 0);
	page->private = 0;
	if (likely(kmm_pcp_allowed_order(order))) {
		kmm_free_to_pcp(z, cpu, page, pfn, order);
	} else {
		kmm_spin_lock(&z->lock);
		kmm_free_one_page(z, page, pfn, order, kmm_get_pageblock_mt(z, pfn));
		kmm_spin_unlock(&z->lock);
	}
	kmm_count_vm_events(m, cpu, KMM_PGFREE, 1UL << order);
	kmm_plat_cpu_put(m);
}

static bool page_is_tail(const struct kmm_page *p)
{
	return (uintptr_t)p->lru.next & 1;
}

/*
 * free_pages_prepare(): the state a page must be in when it is freed. Returns
 * false, after the kernel's report, when it is not; the page is then left
 * alone (leaked, as the kernel leaks it).
 */
static bool free_pages_prepare(struct kmm_machine *m, struct kmm_page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;

	if (kmm_page_test_head(page)) {
		if (kmm_page_field(&page[1], KMM_PAGE_FOLIO_ORDER_SHIFT) != order) {
			kmm_bad_page(m, page, "freed with an order other than its compound order");
			return false;
		}
		for (unsigned long i = 1; i < nr; i++) {
			if ((uintptr_t)page[i].lru.next != ((uintptr_t)page | 1)) {
				kmm_bad_page(m, &page[i], "corrupted compound tail");
				return false;
			}
			page[i].lru.next = NULL;
		}
		kmm_page_set_field(&page[1], KMM_PAGE_FOLIO_ORDER_SHIFT, 0);
		kmm_page_clear_head(page);
	}
	if (page->_mapcount != -1 || page->mapping || (page->flags & KMM_PAGE_FLAGS_CHECK_AT_FREE)) {
		kmm_bad_page(m, page, page->_mapcount != -1 ? "nonzero mapcount"
				      : page->mapping ? "non-NULL mapping"
				      : "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
		return false;
	}
	return true;
}

/* The checks a caller-supplied page and order must pass before its reference is dropped. */
static bool free_is_valid(struct kmm_machine *m, struct kmm_page *page, unsigned int order)
{
	unsigned int alloc1;

	if (unlikely(!kmm_page_in_mem_map(m, page))) {
		kmm_core_printk(m, KMM_KERN_ALERT "BUG: Bad page state in process %s  page:%p is not a page of this machine (outside mem_map)\n",
				kmm_plat_task_comm(m), (void *)page);
		kmm_warn_splat(m, "mm/page_alloc.c", 4930, "__free_pages", NULL);
		return false;
	}
	if (unlikely(order > m->desc.max_order)) {
		kmm_bad_page(m, page, "freed with an order beyond MAX_PAGE_ORDER");
		return false;
	}
	if (unlikely(page_is_tail(page))) {
		kmm_bad_page(m, page, "freeing a tail page of a compound page");
		return false;
	}
	if (unlikely(kmm_page_test_buddy(page) || kmm_page_ref(page) <= 0)) {
		kmm_bad_page(m, page, kmm_page_test_buddy(page) ? "freeing a page that is already free (PageBuddy)"
				      : "VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
		return false;
	}
	if (unlikely(kmm_page_test_reserved(page))) {
		kmm_bad_page(m, page, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
		return false;
	}
	alloc1 = kmm_page_alloc_order1(page);
	if (unlikely(alloc1 != order + 1)) {
		char why[96];

		kmm_snprintf(why, sizeof(why), "freed with order %u, allocated with order %u", order,
			     alloc1 ? alloc1 - 1 : 0);
		kmm_bad_page(m, page, why);
		return false;
	}
	return true;
}

/* put_page_testzero(): drops one reference, true when it was the last. */
static bool put_testzero(struct kmm_page *page)
{
	/*
	 * Holding the only reference, the caller is the only one who may
	 * touch the count: a plain store does, without a locked instruction
	 * (which costs more than the rest of the fast path together).
	 */
	if (likely(kmm_page_ref(page) == 1)) {
		kmm_set_page_ref(page, 0);
		return true;
	}
	return __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

static void free_pages_ref(struct kmm_machine *m, struct kmm_page *page, unsigned int order)
{
	if (put_testzero(page)) {
		if (free_pages_prepare(m, page, order))
			free_the_page(m, page, order);
		return;
	}
	if (!kmm_page_test_head(page) && order) {
		/*
		 * Another reference holds page 0: free the rest now, in the
		 * largest halves, and leave page 0 to that reference.
		 */
		while (order-- > 0) {
			kmm_set_page_ref(&page[1UL << order], 0);
			free_the_page(m, &page[1UL << order], order);
		}
		kmm_page_set_alloc_order1(page, 1);
	}
}

/*
 * The free fast path: a non-compound block of order <= 3 holding its only
 * reference, in the state a page must be in when freed (no flags to check,
 * allocated with that order, not compound, unmapped), goes straight to its
 * CPU's list. Everything else takes the checked path below.
 */
static inline bool free_fast(struct kmm_machine *m, struct kmm_page *page, unsigned int order)
{
	const unsigned long check = KMM_PAGE_FLAGS_CHECK_AT_FREE | (1UL << KMM_PG_head) |
				    (KMM_PAGE_ORDER_FIELD_MASK << KMM_PAGE_ALLOC_ORDER_SHIFT);
	struct kmm_zone *z;
	unsigned long pfn;
	int cpu;

	if (unlikely(!kmm_page_in_mem_map(m, page)))
		return false;
	if (unlikely((page->flags & check) != ((unsigned long)(order + 1) << KMM_PAGE_ALLOC_ORDER_SHIFT) ||
		     kmm_page_ref(page) != 1 || page->_mapcount != -1 || page->mapping ||
		     ((uintptr_t)page->lru.next & 1)))
		return false;
	kmm_set_page_ref(page, 0);
	kmm_page_set_alloc_order1(page, 0);
	page->private = 0;
	cpu = kmm_plat_cpu_get(m);
	z = kmm_page_zone(m, page);
	pfn = kmm_pfn(m, page);
	kmm_pcp_free(z, cpu, page, pfn, order);
	kmm_count_vm_events(m, cpu, KMM_PGFREE, 1UL << order);
	kmm_plat_cpu_put(m);
	return true;
}

void kmm___free_pages(struct kmm_machine *m, struct kmm_page *page, unsigned int order)
{
	if (likely(order <= KMM_PAGE_ALLOC_COSTLY_ORDER) && likely(free_fast(m, page, order)))
		return;
	if (unlikely(!page)) {
		kmm_warn_splat(m, "mm/page_alloc.c", 4930, "__free_pages", "__free_pages(NULL)");
		return;
	}
	if (unlikely(!free_is_valid(m, page, order)))
		return;
	free_pages_ref(m, page, order);
}

void kmm_free_pages(struct kmm_machine *m, unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	if (unlikely(!kmm_virt_addr_valid(&m->layout, (void *)addr) || (addr & (KMM_PAGE_SIZE - 1)))) {
		kmm_core_printk(m, KMM_KERN_ALERT "BUG: Bad page state in process %s  free_pages(%#lx): not a page-aligned address of the direct map\n",
				kmm_plat_task_comm(m), addr);
		kmm_warn_splat(m, "mm/page_alloc.c", 4965, "free_pages", NULL);
		return;
	}
	kmm___free_pages(m, kmm_virt_to_page(&m->layout, (void *)addr), order);
}

void kmm_free_page(struct kmm_machine *m, unsigned long addr)
{
	kmm_free_pages(m, addr, 0);
}

/* ---- references, compound pages, splitting ---- */

void *kmm_page_address(struct kmm_machine *m, const struct kmm_page *page)
{
	unsigned long pfn = kmm_page_to_pfn(&m->layout, page);

	if (pfn < m->layout.max_low_pfn)
		return kmm_va(&m->layout, (kmm_phys_addr_t)pfn << KMM_PAGE_SHIFT);
	/* highmem: the address it is kmapped at, if it is (kmap and its flush change it) */
	return KMM_READ_ONCE(page->virtual);
}

struct kmm_page *kmm_compound_head(struct kmm_page *page)
{
	return kmm_page_head(page);
}

bool kmm_PageBuddy(const struct kmm_page *page)
{
	return kmm_page_test_buddy(page);
}

bool kmm_PageHead(const struct kmm_page *page)
{
	return kmm_page_test_head(page);
}

bool kmm_PageTail(const struct kmm_page *page)
{
	return page_is_tail(page);
}

bool kmm_PageCompound(const struct kmm_page *page)
{
	return kmm_page_test_head(page) || page_is_tail(page);
}

bool kmm_PageHighMem(const struct kmm_page *page)
{
	return kmm_page_zonenum(page) == KMM_ZONE_HIGHMEM;
}

const char *kmm_page_zone_name(const struct kmm_page *page)
{
	return kmm_zone_names[kmm_page_zonenum(page)];
}

unsigned int kmm_compound_order(const struct kmm_page *page)
{
	return kmm_page_test_head(page) ? kmm_page_field(&page[1], KMM_PAGE_FOLIO_ORDER_SHIFT) : 0;
}

int kmm_page_ref_count(const struct kmm_page *page)
{
	return kmm_page_ref(page);
}

void kmm_get_page(struct kmm_page *page)
{
	page = kmm_compound_head(page);
	__atomic_add_fetch(&page->_refcount, 1, __ATOMIC_RELAXED);
}

void kmm_put_page(struct kmm_machine *m, struct kmm_page *page)
{
	unsigned int order;

	page = kmm_compound_head(page);
	order = kmm_compound_order(page);
	if (!kmm_page_test_head(page) && kmm_page_alloc_order1(page) > 1) {
		/* the kernel frees only page 0 here and leaks the rest silently */
		kmm_bad_page(m, page, "put_page() of a non-compound high-order page (use __free_pages or __GFP_COMP)");
		return;
	}
	kmm___free_pages(m, page, order);
}

void kmm_split_page(struct kmm_machine *m, struct kmm_page *page, unsigned int order)
{
	if (kmm_page_test_head(page) || page_is_tail(page)) {
		kmm_warn_splat(m, "mm/page_alloc.c", 2790, "split_page",
			       "split_page() of a compound page");
		return;
	}
	for (unsigned long i = 0; i < (1UL << order); i++) {
		kmm_set_page_ref(&page[i], 1);
		kmm_page_set_alloc_order1(&page[i], 1);
	}
}

void *kmm_alloc_pages_exact(struct kmm_machine *m, size_t size, kmm_gfp_t gfp)
{
	unsigned int order;
	unsigned long addr, nr;

	if (!size)
		return NULL;
	order = kmm_get_order(size);
	if (gfp & (KMM___GFP_COMP | KMM___GFP_HIGHMEM)) {
		kmm_warn_splat(m, "mm/page_alloc.c", 4984, "alloc_pages_exact_noprof", NULL);
		gfp &= ~(KMM___GFP_COMP | KMM___GFP_HIGHMEM);
	}
	addr = kmm___get_free_pages(m, gfp, order);
	if (!addr)
		return NULL;
	/* make_alloc_exact(): split, and give back the pages past the end */
	nr = (size + KMM_PAGE_SIZE - 1) >> KMM_PAGE_SHIFT;
	kmm_split_page(m, kmm_virt_to_page(&m->layout, (void *)addr), order);
	for (unsigned long i = nr; i < (1UL << order); i++)
		kmm_free_page(m, addr + i * KMM_PAGE_SIZE);
	return (void *)addr;
}

void kmm_free_pages_exact(struct kmm_machine *m, void *virt, size_t size)
{
	unsigned long addr = (unsigned long)virt, end = addr + KMM_PAGE_ALIGN(size);

	for (; addr < end; addr += KMM_PAGE_SIZE)
		kmm_free_page(m, addr);
}

/* ---- quiescing ---- */

void kmm_quiesce(struct kmm_machine *m)
{
	if (!m->buddy_ready)
		return;
	/* deferred frees (vfree_atomic) and lazily freed vmalloc ranges first: they free pages and nodes */
	kmm_plat_flush_work(m);
	if (m->vmalloc)
		kmm_purge_vmap_areas(m);
	/* per-CPU slabs and empty slabs next: they free pages to the lists drained last */
	kmm_slab_quiesce(m);
	kmm_drain_all_pages(m);
	wake_all_kswapds(m, KMM_MAX_NR_ZONES - 1);
	if (m->page_reporting_enabled)
		kmm_page_reporting_run(m);
}
