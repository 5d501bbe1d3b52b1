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
	int _mapcount;			/* -1: unmapped; page type while in buddy */
	int _refcount;			/* 0: free */
	void *virtual;			/* highmem: current kmap address, or NULL */
};

_Static_assert(sizeof(struct kmm_page) == 64 || sizeof(void *) != 8,
	       "struct page is 64 bytes on 64-bit hosts");

/* Page flags (bit numbers), as enum pageflags. */
enum kmm_pageflags {
	KMM_PG_locked,
	KMM_PG_reserved,
	KMM_PG_head,
	KMM_PG_highmem_frame,	/* frame above max_low_pfn (no permanent mapping) */
	KMM_PG_nr_flags,
};

/* The zone index lives in the top bits of flags, as ZONES_PGSHIFT. */
#define KMM_ZONES_SHIFT 3
#define KMM_ZONES_PGSHIFT (sizeof(unsigned long) * 8 - KMM_ZONES_SHIFT)

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
