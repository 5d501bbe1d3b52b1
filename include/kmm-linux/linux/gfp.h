/* SPDX-License-Identifier: MIT */
/*
 * <linux/gfp.h> over kmm: GFP flags with the kernel's values and the page
 * allocator's entry points, on the calling thread's machine.
 */
#ifndef KMM_LINUX_GFP_H
#define KMM_LINUX_GFP_H

#include <kmm-facade.h>
#include <linux/mm.h>

#define ___GFP_DMA KMM___GFP_DMA
#define __GFP_DMA KMM___GFP_DMA
#define __GFP_HIGHMEM KMM___GFP_HIGHMEM
#define __GFP_DMA32 KMM___GFP_DMA32
#define __GFP_MOVABLE KMM___GFP_MOVABLE
#define __GFP_RECLAIMABLE KMM___GFP_RECLAIMABLE
#define __GFP_HIGH KMM___GFP_HIGH
#define __GFP_IO KMM___GFP_IO
#define __GFP_FS KMM___GFP_FS
#define __GFP_ZERO KMM___GFP_ZERO
#define __GFP_DIRECT_RECLAIM KMM___GFP_DIRECT_RECLAIM
#define __GFP_KSWAPD_RECLAIM KMM___GFP_KSWAPD_RECLAIM
#define __GFP_RECLAIM KMM___GFP_RECLAIM
#define __GFP_WRITE KMM___GFP_WRITE
#define __GFP_NOWARN KMM___GFP_NOWARN
#define __GFP_RETRY_MAYFAIL KMM___GFP_RETRY_MAYFAIL
#define __GFP_NOFAIL KMM___GFP_NOFAIL
#define __GFP_NORETRY KMM___GFP_NORETRY
#define __GFP_MEMALLOC KMM___GFP_MEMALLOC
#define __GFP_COMP KMM___GFP_COMP
#define __GFP_NOMEMALLOC KMM___GFP_NOMEMALLOC
#define __GFP_HARDWALL KMM___GFP_HARDWALL
#define __GFP_THISNODE KMM___GFP_THISNODE
#define __GFP_ACCOUNT KMM___GFP_ACCOUNT
#define __GFP_ZEROTAGS KMM___GFP_ZEROTAGS
#define GFP_ZONEMASK KMM_GFP_ZONEMASK

#define GFP_ATOMIC KMM_GFP_ATOMIC
#define GFP_KERNEL KMM_GFP_KERNEL
#define GFP_KERNEL_ACCOUNT KMM_GFP_KERNEL_ACCOUNT
#define GFP_NOWAIT KMM_GFP_NOWAIT
#define GFP_NOIO KMM_GFP_NOIO
#define GFP_NOFS KMM_GFP_NOFS
#define GFP_USER KMM_GFP_USER
#define GFP_DMA KMM_GFP_DMA
#define GFP_DMA32 KMM_GFP_DMA32
#define GFP_HIGHUSER KMM_GFP_HIGHUSER
#define GFP_HIGHUSER_MOVABLE KMM_GFP_HIGHUSER_MOVABLE
#define GFP_TRANSHUGE_LIGHT KMM_GFP_TRANSHUGE_LIGHT
#define GFP_TRANSHUGE KMM_GFP_TRANSHUGE

#define MAX_PAGE_ORDER kmm_max_page_order(KMM_CUR())
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
#define PAGE_ALLOC_COSTLY_ORDER KMM_PAGE_ALLOC_COSTLY_ORDER

#define gfp_migratetype(gfp) kmm_gfp_migratetype(gfp)
#define gfpflags_allow_blocking(gfp) kmm_gfpflags_allow_blocking(gfp)

static inline struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return (struct page *)kmm_alloc_pages(KMM_CUR(), gfp, order);
}

static inline struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}

static inline struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	(void)nid;	/* one node */
	return alloc_pages(gfp, order);
}

static inline unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	return kmm___get_free_pages(KMM_CUR(), gfp, order);
}

static inline unsigned long __get_free_page(gfp_t gfp)
{
	return __get_free_pages(gfp, 0);
}

static inline unsigned long get_zeroed_page(gfp_t gfp)
{
	return kmm_get_zeroed_page(KMM_CUR(), gfp);
}

#define __get_dma_pages(gfp, order) __get_free_pages((gfp) | GFP_DMA, (order))

static inline void __free_pages(struct page *page, unsigned int order)
{
	kmm___free_pages(KMM_CUR(), (struct kmm_page *)page, order);
}

#define __free_page(page) __free_pages((page), 0)

static inline void free_pages(unsigned long addr, unsigned int order)
{
	kmm_free_pages(KMM_CUR(), addr, order);
}

#define free_page(addr) free_pages((addr), 0)

static inline void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	return kmm_alloc_pages_exact(KMM_CUR(), size, gfp);
}

static inline void free_pages_exact(void *virt, size_t size)
{
	kmm_free_pages_exact(KMM_CUR(), virt, size);
}

static inline void split_page(struct page *page, unsigned int order)
{
	kmm_split_page(KMM_CUR(), (struct kmm_page *)page, order);
}

#endif /* KMM_LINUX_GFP_H */
