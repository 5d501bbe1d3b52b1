/* SPDX-License-Identifier: MIT */
/*
 * struct page: one per physical frame, in the machine's mem_map, which boot
 * allocates from memblock as the kernel does (FLATMEM: mem_map[pfn - ARCH_PFN_OFFSET]).
 * 64 bytes, as on x86_64, so mem_map costs what it costs the kernel.
 */
#ifndef KMM_PAGE_H
#define KMM_PAGE_H

#include <kmm/types.h>

/* The public API: exported from libkmm.so (the library builds with -fvisibility=hidden). */
#pragma GCC visibility push(default)

struct kmm_page {
	unsigned long flags;		/* PG_* bits, zone number in the top bits */
	struct kmm_list_head lru;	/* free list or owner's list */
	void *mapping;			/* owner: page cache mapping, slab cache */
	unsigned long index;		/* offset in mapping, or compound data */
	unsigned long private;		/* buddy order while free; owner data */
	int _mapcount;			/* -1: unmapped; a page type (PageBuddy) while free */
	int _refcount;			/* 0: free */
	void *virtual;			/* highmem: current kmap address, or NULL */
};

_Static_assert(sizeof(struct kmm_page) == 64 || sizeof(void *) != 8,
	       "struct page is 64 bytes on 64-bit hosts");

/* Page flags (bit numbers), as enum pageflags; kmm keeps the ones its layers use. */
enum kmm_pageflags {
	KMM_PG_locked,
	KMM_PG_referenced,
	KMM_PG_uptodate,
	KMM_PG_dirty,
	KMM_PG_lru,
	KMM_PG_head,		/* first page of a compound page */
	KMM_PG_active,
	KMM_PG_reserved,	/* never given to the page allocator (memblock reserved, holes) */
	KMM_PG_private,
	KMM_PG_reclaim,
	KMM_PG_slab,
	KMM_PG_reported,	/* free and handed back to the host (free page reporting) */
	KMM_NR_PAGEFLAGS
};

/*
 * Fields packed in flags above the flag bits: the zone in the top bits (as
 * ZONES_PGSHIFT), the order of a compound page in its first tail page (as
 * folio->_flags_1), and the order a block was allocated with in its first
 * page, which lets a free with the wrong order be caught and reported.
 */
#define KMM_ZONES_SHIFT 3
#define KMM_ZONES_PGSHIFT (sizeof(unsigned long) * 8 - KMM_ZONES_SHIFT)
#define KMM_PAGE_FOLIO_ORDER_SHIFT 32
#define KMM_PAGE_ALLOC_ORDER_SHIFT 40
#define KMM_PAGE_ORDER_FIELD_MASK 0xffUL

static inline unsigned int kmm_page_zonenum(const struct kmm_page *p)
{
	return (unsigned int)(p->flags >> KMM_ZONES_PGSHIFT);
}

static inline bool kmm_PageReserved(const struct kmm_page *p)
{
	return p->flags & (1UL << KMM_PG_reserved);
}

#pragma GCC visibility pop

#endif /* KMM_PAGE_H */
