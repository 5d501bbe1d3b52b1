/* SPDX-License-Identifier: MIT */
/*
 * <linux/mm.h> over kmm: pages, pfns and the direct map of the calling
 * thread's machine. struct page here is kmm's struct kmm_page under the
 * kernel's name (same layout, asserted below).
 */
#ifndef KMM_LINUX_MM_H
#define KMM_LINUX_MM_H

#include <kmm-facade.h>
#include <linux/sizes.h>

#define PAGE_SHIFT KMM_PAGE_SHIFT
#define PAGE_SIZE KMM_PAGE_SIZE
#define PAGE_MASK KMM_PAGE_MASK
#define PAGE_ALIGN(x) KMM_PAGE_ALIGN(x)
#define PAGE_ALIGN_DOWN(x) ((x) & PAGE_MASK)
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))

struct page {
	unsigned long flags;
	struct kmm_list_head lru;
	void *mapping;
	unsigned long index;
	unsigned long private;
	int _mapcount;
	int _refcount;
	void *virtual;
};

_Static_assert(sizeof(struct page) == sizeof(struct kmm_page), "struct page is struct kmm_page");

/* Per-machine runtime values, not the kernel's constants (docs/machine.md). */
#define PAGE_OFFSET (KMM_CUR_LAYOUT()->page_offset)
#define PHYS_OFFSET (KMM_CUR_LAYOUT()->phys_offset)
#define high_memory ((void *)KMM_CUR_LAYOUT()->high_memory)
#define VMALLOC_START (KMM_CUR_LAYOUT()->vmalloc_start)
#define VMALLOC_END (KMM_CUR_LAYOUT()->vmalloc_end)
#define PKMAP_BASE (KMM_CUR_LAYOUT()->pkmap_base)
#define LAST_PKMAP (KMM_CUR_LAYOUT()->last_pkmap)
#define max_low_pfn (KMM_CUR_LAYOUT()->max_low_pfn)
#define min_low_pfn (KMM_CUR_LAYOUT()->min_low_pfn)
#define max_pfn (KMM_CUR_LAYOUT()->max_pfn)
#define mem_map ((struct page *)KMM_CUR_LAYOUT()->mem_map)
#define ARCH_PFN_OFFSET (KMM_CUR_LAYOUT()->mem_map_pfn)

static inline phys_addr_t __pa(const volatile void *x)
{
	return kmm_pa(KMM_CUR_LAYOUT(), (const void *)x);
}

static inline void *__va(phys_addr_t x)
{
	return kmm_va(KMM_CUR_LAYOUT(), x);
}

static inline phys_addr_t virt_to_phys(const volatile void *x)
{
	return __pa(x);
}

static inline void *phys_to_virt(phys_addr_t x)
{
	return __va(x);
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return (struct page *)kmm_pfn_to_page(KMM_CUR_LAYOUT(), pfn);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return kmm_page_to_pfn(KMM_CUR_LAYOUT(), (const struct kmm_page *)page);
}

static inline struct page *virt_to_page(const void *x)
{
	return (struct page *)kmm_virt_to_page(KMM_CUR_LAYOUT(), x);
}

static inline bool virt_addr_valid(const void *x)
{
	return kmm_virt_addr_valid(KMM_CUR_LAYOUT(), x);
}

static inline void *page_address(const struct page *page)
{
	return kmm_page_address(KMM_CUR(), (const struct kmm_page *)page);
}

static inline int get_order(unsigned long size)
{
	return (int)kmm_get_order(size);
}

static inline void get_page(struct page *page)
{
	kmm_get_page((struct kmm_page *)page);
}

static inline void put_page(struct page *page)
{
	kmm_put_page(KMM_CUR(), (struct kmm_page *)page);
}

static inline int page_ref_count(const struct page *page)
{
	return kmm_page_ref_count((const struct kmm_page *)page);
}

static inline int page_count(const struct page *page)
{
	return kmm_page_ref_count((const struct kmm_page *)kmm_compound_head((struct kmm_page *)page));
}

#define PageBuddy(p) kmm_PageBuddy((const struct kmm_page *)(p))
#define PageCompound(p) kmm_PageCompound((const struct kmm_page *)(p))
#define PageHead(p) kmm_PageHead((const struct kmm_page *)(p))
#define PageTail(p) kmm_PageTail((const struct kmm_page *)(p))
#define PageHighMem(p) kmm_PageHighMem((const struct kmm_page *)(p))
#define PageReserved(p) kmm_PageReserved((const struct kmm_page *)(p))
#define compound_head(p) ((struct page *)kmm_compound_head((struct kmm_page *)(p)))
#define compound_order(p) kmm_compound_order((const struct kmm_page *)(p))

#define page_to_virt(page) page_address(page)
#define virt_to_pfn(x) PHYS_PFN(__pa(x))
#define pfn_to_virt(pfn) __va(PFN_PHYS(pfn))
#define page_to_phys(page) PFN_PHYS(page_to_pfn(page))

#endif /* KMM_LINUX_MM_H */
