/* SPDX-License-Identifier: MIT */
/*
 * Zones, free areas, per-CPU page lists and the counters of the page
 * allocator (include/linux/mmzone.h). Fields are documented with their unit
 * and what protects them:
 *   [zone lock]  zone->lock
 *   [cpu]        only the task holding that CPU (kmm_plat_cpu_get)
 *   [boot]       written at boot and by sysctl writers (under the zone locks), read anywhere
 *   [atomic]     relaxed atomics: written under the lock named, read anywhere
 */
#ifndef KMM_CORE_MMZONE_H
#define KMM_CORE_MMZONE_H

#include <kmm/gfp.h>
#include <kmm/page.h>
#include <kmm/page_alloc.h>

#include "list.h"
#include "spinlock.h"

#define KMM_MAX_PAGE_ORDER_LIMIT 10
#define KMM_NR_PAGE_ORDERS_MAX (KMM_MAX_PAGE_ORDER_LIMIT + 1)
#define KMM_NR_PCP_ORDERS (KMM_PAGE_ALLOC_COSTLY_ORDER + 1)
#define KMM_NR_PCP_LISTS (KMM_MIGRATE_PCPTYPES * KMM_NR_PCP_ORDERS)
#define KMM_SWAP_CLUSTER_MAX 32
#define KMM_MAX_RECLAIM_RETRIES 16

/* READ_ONCE/WRITE_ONCE: a relaxed atomic access, so readers on other CPUs race cleanly. */
#define KMM_READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define KMM_WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
/* A counter only its CPU writes: load + store, no read-modify-write. */
#define KMM_THIS_CPU_ADD(x, v) KMM_WRITE_ONCE(x, KMM_READ_ONCE(x) + (v))
/* A counter several CPUs write under one lock: the same, the lock orders writers. */
#define KMM_LOCKED_ADD(x, v) KMM_WRITE_ONCE(x, KMM_READ_ONCE(x) + (v))

enum kmm_zone_watermarks { KMM_WMARK_MIN, KMM_WMARK_LOW, KMM_WMARK_HIGH, KMM_WMARK_PROMO,
			   KMM_NR_WMARK };

/* Zone counters (enum zone_stat_item), pages. */
enum kmm_zone_stat_item {
	KMM_NR_FREE_PAGES,		/* in the buddy lists (not the pcp lists) */
	KMM_NR_ZONE_FREE_UNMOVABLE,	/* of which on Unmovable lists, and so on by type */
	KMM_NR_ZONE_FREE_MOVABLE,
	KMM_NR_ZONE_FREE_RECLAIMABLE,
	KMM_NR_ZONE_FREE_HIGHATOMIC,
	KMM_NR_ZONE_FREE_ISOLATE,
	KMM_NR_ZONE_REPORTED,		/* free and given back to the host */
	KMM_NR_VM_ZONE_STAT_ITEMS
};

/* Event counters (enum vm_event_item), per CPU; they only grow. */
enum kmm_vm_event_item {
	KMM_PGALLOC_DMA,		/* pages allocated, by zone (the zone order) */
	KMM_PGALLOC_DMA32,
	KMM_PGALLOC_NORMAL,
	KMM_PGALLOC_HIGH,
	KMM_PGALLOC_MOVABLE,
	KMM_ALLOCSTALL_DMA,		/* direct reclaim entered, by highest zone */
	KMM_ALLOCSTALL_DMA32,
	KMM_ALLOCSTALL_NORMAL,
	KMM_ALLOCSTALL_HIGH,
	KMM_ALLOCSTALL_MOVABLE,
	KMM_PGFREE,			/* pages freed */
	KMM_PGALLOC_FAIL,		/* allocations that returned NULL (kmm's own) */
	KMM_PCP_REFILL,			/* pcp refills from the buddy lists (kmm's own) */
	KMM_PCP_DRAIN,			/* pcp bulk frees to the buddy lists (kmm's own) */
	KMM_NR_VM_EVENT_ITEMS
};

struct kmm_free_area {
	struct kmm_list_head free_list[KMM_MIGRATE_TYPES];	/* [zone lock] */
	unsigned long nr_free;	/* [atomic zone lock] blocks on all the lists of this order */
};

/* struct per_cpu_pages: one per zone and CPU. [cpu] except count, read by reports. */
struct kmm_per_cpu_pages {
	int count;		/* [atomic cpu] pages on the lists */
	int high;		/* free to the buddy lists above this many pages */
	int high_min, high_max;
	int batch;		/* refill and drain chunk, pages */
	int free_count;		/* recent frees, scales the drain */
	unsigned long numa_hit;	/* [atomic cpu] allocations from this zone (zone_statistics) */
	struct kmm_list_head lists[KMM_NR_PCP_LISTS];	/* order * MIGRATE_PCPTYPES + type */
};

struct kmm_machine;

struct kmm_zone {
	/* read-mostly */
	unsigned long _watermark[KMM_NR_WMARK];	/* [boot] pages */
	unsigned long watermark_boost;		/* [atomic zone lock] pages */
	unsigned long nr_reserved_highatomic;	/* [zone lock] pages in HighAtomic blocks */
	long lowmem_reserve[5];			/* [boot] pages kept for allocations of higher zones */
	struct kmm_per_cpu_pages *per_cpu_pageset;	/* [nr_cpus], from memblock */
	int pageset_batch, pageset_high_min, pageset_high_max;	/* [boot] */
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;		/* pages from start to end, holes included */
	unsigned long present_pages;		/* pages of RAM in the span */
	unsigned long managed_pages;		/* [atomic resize_lock] pages the buddy allocator manages */
	unsigned long cma_pages;
	const char *name;
	int idx;				/* enum kmm_zone_type */
	struct kmm_machine *m;
	uint8_t *pageblock_flags;		/* migrate type per pageblock, from memblock */
	unsigned long pageblock_base_pfn;	/* pfn of pageblock_flags[0] */
	unsigned int pageblock_order;		/* the machine's, kept here for the fast paths */

	/*
	 * Deferred struct page init (deferred_init.c): the struct pages of
	 * [deferred_pfn, deferred_end) are not initialised yet; none when equal.
	 */
	unsigned long deferred_pfn;		/* [atomic resize_lock] */
	unsigned long deferred_end;		/* [boot] */

	kmm_spinlock_t lock;
	struct kmm_free_area free_area[KMM_NR_PAGE_ORDERS_MAX];	/* [zone lock] */
	long vm_stat[KMM_NR_VM_ZONE_STAT_ITEMS];	/* [atomic zone lock / cpu] */
	bool below_high;			/* ZONE_BELOW_HIGH */
};

static inline bool kmm_zone_populated(const struct kmm_zone *z)
{
	return z->present_pages != 0;
}

static inline bool kmm_zone_managed(const struct kmm_zone *z)
{
	return KMM_READ_ONCE(z->managed_pages) != 0;
}

static inline unsigned long kmm_zone_end_pfn(const struct kmm_zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

static inline long kmm_zone_page_state(const struct kmm_zone *z, enum kmm_zone_stat_item i)
{
	long v = KMM_READ_ONCE(z->vm_stat[i]);

	return v < 0 ? 0 : v;
}

static inline unsigned long kmm_wmark_pages(const struct kmm_zone *z, enum kmm_zone_watermarks w)
{
	return KMM_READ_ONCE(z->_watermark[w]) + KMM_READ_ONCE(z->watermark_boost);
}

#define kmm_min_wmark_pages(z) kmm_wmark_pages(z, KMM_WMARK_MIN)
#define kmm_low_wmark_pages(z) kmm_wmark_pages(z, KMM_WMARK_LOW)
#define kmm_high_wmark_pages(z) kmm_wmark_pages(z, KMM_WMARK_HIGH)

/* ALLOC_* flags (mm/internal.h) */
#define KMM_ALLOC_WMARK_MIN KMM_WMARK_MIN
#define KMM_ALLOC_WMARK_LOW KMM_WMARK_LOW
#define KMM_ALLOC_WMARK_HIGH KMM_WMARK_HIGH
#define KMM_ALLOC_NO_WATERMARKS 0x04
#define KMM_ALLOC_WMARK_MASK (KMM_ALLOC_NO_WATERMARKS - 1)
#define KMM_ALLOC_OOM 0x08
#define KMM_ALLOC_NON_BLOCK 0x10
#define KMM_ALLOC_MIN_RESERVE 0x20
#define KMM_ALLOC_CPUSET 0x40
#define KMM_ALLOC_CMA 0x80
#define KMM_ALLOC_NOFRAGMENT 0x100
#define KMM_ALLOC_HIGHATOMIC 0x200
#define KMM_ALLOC_KSWAPD 0x800
#define KMM_ALLOC_RESERVES \
	(KMM_ALLOC_NON_BLOCK | KMM_ALLOC_MIN_RESERVE | KMM_ALLOC_HIGHATOMIC | KMM_ALLOC_OOM)

_Static_assert(KMM_ALLOC_MIN_RESERVE == KMM___GFP_HIGH, "ALLOC_MIN_RESERVE is __GFP_HIGH");
_Static_assert(KMM_ALLOC_KSWAPD == KMM___GFP_KSWAPD_RECLAIM, "ALLOC_KSWAPD is __GFP_KSWAPD_RECLAIM");

/* ---- struct page helpers ---- */

#define KMM_PAGE_FLAG(name)                                                             \
	static inline bool kmm_page_test_##name(const struct kmm_page *p)               \
	{                                                                               \
		return p->flags & (1UL << KMM_PG_##name);                              \
	}                                                                               \
	static inline void kmm_page_set_##name(struct kmm_page *p)                     \
	{                                                                               \
		p->flags |= 1UL << KMM_PG_##name;                                      \
	}                                                                               \
	static inline void kmm_page_clear_##name(struct kmm_page *p)                   \
	{                                                                               \
		p->flags &= ~(1UL << KMM_PG_##name);                                   \
	}

/*
 * PageBuddy is a page type kept in _mapcount, as in Linux (PGTY_buddy in the
 * top byte of page_type): it changes only under the zone lock, while the
 * owner of an allocated page writes flags freely, so lock holders can test
 * any page for it without racing the owner.
 */
#define KMM_PAGE_TYPE_BUDDY ((int)0xf0000000u)

static inline bool kmm_page_test_buddy(const struct kmm_page *p)
{
	return p->_mapcount == KMM_PAGE_TYPE_BUDDY;
}

static inline void kmm_page_set_buddy(struct kmm_page *p)
{
	p->_mapcount = KMM_PAGE_TYPE_BUDDY;
}

static inline void kmm_page_clear_buddy(struct kmm_page *p)
{
	p->_mapcount = -1;
}

KMM_PAGE_FLAG(head)
KMM_PAGE_FLAG(reserved)
KMM_PAGE_FLAG(reported)

/* Flags a page must not carry when it is freed (PAGE_FLAGS_CHECK_AT_FREE). */
#define KMM_PAGE_FLAGS_CHECK_AT_FREE                                                    \
	((1UL << KMM_PG_locked) | (1UL << KMM_PG_lru) | (1UL << KMM_PG_active) |       \
	 (1UL << KMM_PG_reserved) | (1UL << KMM_PG_slab) | (1UL << KMM_PG_private) |    \
	 (1UL << KMM_PG_reclaim) | (1UL << KMM_PG_dirty))

/* compound_head(): a tail page's lru.next is its head's address with bit 0 set. */
static inline struct kmm_page *kmm_page_head(struct kmm_page *page)
{
	uintptr_t head = (uintptr_t)page->lru.next;

	return (head & 1) ? (struct kmm_page *)(head - 1) : page;
}

static inline unsigned int kmm_buddy_order(const struct kmm_page *p)
{
	return (unsigned int)p->private;
}

static inline unsigned int kmm_page_field(const struct kmm_page *p, unsigned int shift)
{
	return (unsigned int)((p->flags >> shift) & KMM_PAGE_ORDER_FIELD_MASK);
}

static inline void kmm_page_set_field(struct kmm_page *p, unsigned int shift, unsigned int v)
{
	p->flags = (p->flags & ~(KMM_PAGE_ORDER_FIELD_MASK << shift)) | ((unsigned long)v << shift);
}

/* Order stored at allocation, plus one (0: not allocated by the page allocator). */
#define kmm_page_alloc_order1(p) kmm_page_field(p, KMM_PAGE_ALLOC_ORDER_SHIFT)
#define kmm_page_set_alloc_order1(p, v) kmm_page_set_field(p, KMM_PAGE_ALLOC_ORDER_SHIFT, v)

static inline int kmm_page_ref(const struct kmm_page *p)
{
	return __atomic_load_n(&p->_refcount, __ATOMIC_RELAXED);
}

static inline void kmm_set_page_ref(struct kmm_page *p, int v)
{
	__atomic_store_n(&p->_refcount, v, __ATOMIC_RELAXED);
}

#endif /* KMM_CORE_MMZONE_H */
