/* SPDX-License-Identifier: MIT */
/*
 * What the page allocator's files share (mm/internal.h). Lock order:
 *   CPU (kmm_plat_cpu_get)  ->  zone->lock
 * The zone lock is the innermost lock; nothing that may sleep or print to
 * the console through the platform in a loop runs under it.
 */
#ifndef KMM_CORE_INTERNAL_H
#define KMM_CORE_INTERNAL_H

#include <kmm/platform.h>

#include "lib.h"
#include "machine.h"

/* ---- pages, pfns, zones ---- */

static inline unsigned long kmm_pfn(struct kmm_machine *m, const struct kmm_page *p)
{
	return kmm_page_to_pfn(&m->layout, p);
}

static inline struct kmm_page *kmm_pfn_page(struct kmm_machine *m, unsigned long pfn)
{
	return kmm_pfn_to_page(&m->layout, pfn);
}

static inline struct kmm_zone *kmm_page_zone(struct kmm_machine *m, const struct kmm_page *p)
{
	return &m->pgdat->node_zones[kmm_page_zonenum(p)];
}

static inline bool kmm_zone_spans_pfn(const struct kmm_zone *z, unsigned long pfn)
{
	return pfn >= z->zone_start_pfn && pfn < kmm_zone_end_pfn(z);
}

/* Does struct page p belong to mem_map? (a pointer from outside is not a page) */
static inline bool kmm_page_in_mem_map(struct kmm_machine *m, const struct kmm_page *p)
{
	const struct kmm_layout *l = &m->layout;

	return p >= l->mem_map && p < l->mem_map + l->mem_map_pages &&
	       ((uintptr_t)p - (uintptr_t)l->mem_map) % sizeof(*p) == 0;
}

static inline unsigned long kmm_pageblock_nr_pages(const struct kmm_machine *m)
{
	return 1UL << m->pageblock_order;
}

static inline int kmm_get_pageblock_mt(const struct kmm_zone *z, unsigned long pfn)
{
	return KMM_READ_ONCE(z->pageblock_flags[(pfn - z->pageblock_base_pfn) >> z->pageblock_order]);
}

static inline void kmm_set_pageblock_mt(struct kmm_zone *z, unsigned long pfn, int mt)
{
	KMM_WRITE_ONCE(z->pageblock_flags[(pfn - z->pageblock_base_pfn) >> z->pageblock_order],
		       (uint8_t)mt);
}

/* The zones the profile's kernel is configured with (MAX_NR_ZONES of its build). */
static inline bool kmm_zone_configured(const struct kmm_machine *m, int idx)
{
	return idx == KMM_ZONE_NORMAL || idx == KMM_ZONE_MOVABLE || m->desc.zone_limit[idx] != 0;
}

static inline void kmm_count_vm_events(struct kmm_machine *m, int cpu,
				       enum kmm_vm_event_item item, unsigned long n)
{
	KMM_THIS_CPU_ADD(m->vm_events[cpu][item], n);
}

static inline void kmm_mod_zone_state(struct kmm_zone *z, enum kmm_zone_stat_item i, long n)
{
	KMM_LOCKED_ADD(z->vm_stat[i], n);
}

extern const char *const kmm_migratetype_names[KMM_MIGRATE_TYPES];

/* ---- buddy.c: the free lists (caller holds zone->lock) ---- */

void kmm_add_to_free_list(struct kmm_zone *z, struct kmm_page *page, unsigned int order, int mt,
			  bool tail);
void kmm_del_from_free_list(struct kmm_zone *z, struct kmm_page *page, unsigned int order, int mt);
void kmm_free_one_page(struct kmm_zone *z, struct kmm_page *page, unsigned long pfn,
		       unsigned int order, int mt);
void kmm_expand(struct kmm_zone *z, struct kmm_page *page, unsigned int low, unsigned int high,
		int mt);
struct kmm_page *kmm_rmqueue_smallest(struct kmm_zone *z, unsigned int order, int mt);
unsigned long kmm_move_freepages_block(struct kmm_zone *z, unsigned long pfn, int old_mt,
				       int new_mt);
/* change_pageblock_range(): every pageblock of the 2^order block at pfn */
void kmm_set_pageblock_range_mt(struct kmm_zone *z, unsigned long pfn, unsigned int order, int mt);

/* ---- migrate.c: migrate types, fallback, high-atomic reserve (zone->lock held) ---- */

struct kmm_page *kmm_rmqueue(struct kmm_zone *z, unsigned int order, int mt,
			     unsigned int alloc_flags);
void kmm_reserve_highatomic_pageblock(struct kmm_zone *z, struct kmm_page *page,
				      unsigned int order);
/* Takes the zone locks itself; true if a block was given back. */
bool kmm_unreserve_highatomic_pageblock(struct kmm_machine *m, int mt, bool force);

/* ---- pcp.c: per-CPU lists (caller holds the CPU) ---- */

static inline bool kmm_pcp_allowed_order(unsigned int order)
{
	return order <= KMM_PAGE_ALLOC_COSTLY_ORDER;
}

struct kmm_page *kmm_rmqueue_pcplist(struct kmm_zone *z, int cpu, unsigned int order, int mt,
				     unsigned int alloc_flags);
void kmm_free_to_pcp(struct kmm_zone *z, int cpu, struct kmm_page *page, unsigned long pfn,
		     unsigned int order);
void kmm_pcp_free_high(struct kmm_zone *z, int cpu);
void kmm_free_isolated(struct kmm_zone *z, struct kmm_page *page, unsigned long pfn,
		       unsigned int order);

#define KMM_PCP_BATCH_SCALE_MAX 5

static inline unsigned int kmm_order_to_pindex(int mt, unsigned int order)
{
	return order * KMM_MIGRATE_PCPTYPES + (unsigned int)mt;
}

/*
 * free_unref_page()'s fast path: push on the CPU's list of the pageblock's
 * type (HighAtomic travels as Movable so it can come back; Isolate goes
 * straight to the buddy lists); above `high`, drain a batch.
 */
static inline void kmm_pcp_free(struct kmm_zone *z, int cpu, struct kmm_page *page,
				unsigned long pfn, unsigned int order)
{
	struct kmm_per_cpu_pages *pcp = &z->per_cpu_pageset[cpu];
	int mt = kmm_get_pageblock_mt(z, pfn), batch;

	if (unlikely(mt >= KMM_MIGRATE_PCPTYPES)) {
		if (mt == KMM_MIGRATE_ISOLATE) {
			kmm_free_isolated(z, page, pfn, order);
			return;
		}
		mt = KMM_MIGRATE_MOVABLE;
	}
	kmm_list_add(&page->lru, &pcp->lists[kmm_order_to_pindex(mt, order)]);
	KMM_WRITE_ONCE(pcp->count, pcp->count + (1 << order));
	batch = KMM_READ_ONCE(pcp->batch);
	if (pcp->free_count < (batch << KMM_PCP_BATCH_SCALE_MAX))
		pcp->free_count += 1 << order;
	if (unlikely(pcp->count >= KMM_READ_ONCE(pcp->high)))
		kmm_pcp_free_high(z, cpu);
}
void kmm_drain_zone_pages(struct kmm_zone *z, int cpu);
void kmm_drain_all_pages(struct kmm_machine *m);
void kmm_pcp_setup(struct kmm_zone *z);
unsigned long kmm_zone_pcp_pages(const struct kmm_zone *z);

/* ---- zone.c: zones, watermarks, reserves ---- */

int kmm_gfp_zone(struct kmm_machine *m, kmm_gfp_t gfp);
bool kmm_zone_watermark_ok(struct kmm_zone *z, unsigned int order, unsigned long mark,
			   int highest_zoneidx, unsigned int alloc_flags, long free_pages);
void kmm_setup_per_zone_wmarks(struct kmm_machine *m);
void kmm_calculate_min_free_kbytes(struct kmm_machine *m);
void kmm_setup_per_zone_lowmem_reserve(struct kmm_machine *m);
void kmm_calculate_totalreserve_pages(struct kmm_machine *m);
void kmm_build_zonelist(struct kmm_machine *m);

/* ---- mm_init.c ---- */

/* Before mem_map: the zones' pageblock maps, per-CPU sets and event counters. */
int kmm_mm_alloc_zone_structures(struct kmm_machine *m);
/* After it: struct pages, memblock_free_all(), watermarks. */
int kmm_mm_init(struct kmm_machine *m);
/* memmap_init_range(): struct pages of [start, end) of mem_map, reserved, in their zones. */
void kmm_memmap_init_range(struct kmm_machine *m, unsigned long start, unsigned long end);
/* Gives [start, end) (memory, not reserved) to the buddy lists as boot does. */
void kmm_free_pages_memory(struct kmm_machine *m, unsigned long start, unsigned long end);

/* ---- deferred_init.c: deferred struct page init (kmm.deferred_init=1) ---- */

static inline bool kmm_zone_has_deferred(const struct kmm_zone *z)
{
	return KMM_READ_ONCE(z->deferred_pfn) < z->deferred_end;
}

/* The zones' deferred ranges (boot, before memmap_init). */
void kmm_deferred_init_boot(struct kmm_machine *m);
/*
 * The run of [start, end) that starts at start and is all deferred (*deferred
 * true) or all initialised: returns its end.
 */
unsigned long kmm_deferred_run(struct kmm_machine *m, unsigned long start, unsigned long end,
			       bool *deferred);
/* early_page_initialised(): is the struct page of pfn initialised? */
bool kmm_pfn_initialised(struct kmm_machine *m, unsigned long pfn);
/* deferred_grow_zone(): initialises at least 2^order more pages of z; false if none are left. */
bool kmm_deferred_grow_zone(struct kmm_zone *z, unsigned int order);
/* Pages whose struct page is still deferred, all zones. */
unsigned long kmm_deferred_pages(struct kmm_machine *m);
/* The walker's part: returns the violations. */
int kmm_deferred_check(struct kmm_machine *m);

/* ---- page_warn.c: reports in the kernel's formats ---- */

void kmm_warn_alloc(struct kmm_machine *m, kmm_gfp_t gfp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* warn_alloc() called from elsewhere than the page allocator: frames name the call chain. */
void kmm_vwarn_alloc(struct kmm_machine *m, kmm_gfp_t gfp, const char *const *frames,
		     const char *fmt, va_list ap);
void kmm_show_mem(struct kmm_machine *m);
void kmm_bad_page(struct kmm_machine *m, struct kmm_page *page, const char *reason);
void kmm_dump_page(struct kmm_machine *m, struct kmm_page *page, const char *reason);
/* WARN(): the "------------[ cut here ]------------" splat, with a message. */
/* jiffies at HZ=250, counted from INITIAL_JIFFIES as the kernel counts them */
#define KMM_HZ 250
static inline unsigned long kmm_jiffies(struct kmm_machine *m)
{
	return (unsigned long)(kmm_plat_clock_ns(m) / (1000000000ULL / KMM_HZ)) +
	       (unsigned long)(uint32_t)(-300 * KMM_HZ);
}

void kmm_warn_splat(struct kmm_machine *m, const char *file, int line, const char *func,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- bug.c: BUG() and might_sleep() reports ---- */

/* BUG(): "kernel BUG at FILE:LINE!" and the Oops that follows; the caller goes on. */
void kmm_bug_splat(struct kmm_machine *m, const char *file, int line, const char *func);
/* might_sleep(): true (and the kernel's report) when the calling task is atomic. */
bool kmm_might_sleep(struct kmm_machine *m, const char *file, int line, const char *func);

/* ---- fail_page_alloc.c ---- */

bool kmm_should_fail_alloc_page(struct kmm_machine *m, kmm_gfp_t gfp, unsigned int order);
bool kmm_should_failslab(struct kmm_machine *m, unsigned long cache_flags, unsigned int size,
			 kmm_gfp_t gfp);
/* m->slab_hooks: what makes the slab fast paths step aside */
#define KMM_SLAB_HOOK_FAILSLAB 1u
#define KMM_SLAB_HOOK_INIT_ON_ALLOC 2u
#define KMM_SLAB_HOOK_INIT_ON_FREE 4u
#define KMM_SLAB_HOOK_KMEMLEAK 8u
void kmm_slab_update_hooks(struct kmm_machine *m);

/* kmemleak.c */
int kmm_kmemleak_init(struct kmm_machine *m);
void kmm_kmemleak_alloc(struct kmm_machine *m, const void *ptr, size_t size, unsigned long ip);
void kmm_kmemleak_free(struct kmm_machine *m, const void *ptr);
int kmm_kmemleak_scan(struct kmm_machine *m);
void kmm_kmemleak_clear(struct kmm_machine *m);
int kmm_kmemleak_report(struct kmm_machine *m, bool all,
			void (*out)(void *arg, const char *line), void *arg);
void kmm_kmemleak_shutdown(struct kmm_machine *m);
void kmm_fault_attr_init(struct kmm_fault_attr *a, uint64_t seed);
int kmm_fault_attr_parse(struct kmm_fault_attr *a, const char *s);

#endif /* KMM_CORE_INTERNAL_H */
