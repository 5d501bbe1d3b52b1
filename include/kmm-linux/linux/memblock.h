/* SPDX-License-Identifier: MIT */
/*
 * <linux/memblock.h> over kmm: the calling thread's machine's memblock.
 * `memblock` names that machine's struct memblock, so kernel code that
 * reads memblock.memory.cnt or memblock.reserved.regions[i] works. (The
 * struct tag is struct kmm_memblock: write `memblock`, not `struct memblock`.)
 */
#ifndef KMM_LINUX_MEMBLOCK_H
#define KMM_LINUX_MEMBLOCK_H

#include <kmm-facade.h>
#include <linux/mm.h>

#define memblock_region kmm_memblock_region
#define memblock_type kmm_memblock_type
#define memblock (*kmm_memblock(KMM_CUR()))

#define memblock_flags kmm_memblock_flags
#define MEMBLOCK_NONE KMM_MEMBLOCK_NONE
#define MEMBLOCK_HOTPLUG KMM_MEMBLOCK_HOTPLUG
#define MEMBLOCK_MIRROR KMM_MEMBLOCK_MIRROR
#define MEMBLOCK_NOMAP KMM_MEMBLOCK_NOMAP
#define MEMBLOCK_DRIVER_MANAGED KMM_MEMBLOCK_DRIVER_MANAGED
#define MEMBLOCK_RSRV_NOINIT KMM_MEMBLOCK_RSRV_NOINIT
#define INIT_MEMBLOCK_REGIONS KMM_INIT_MEMBLOCK_REGIONS
#define INIT_MEMBLOCK_RESERVED_REGIONS KMM_INIT_MEMBLOCK_RESERVED_REGIONS
#define MEMBLOCK_ALLOC_ANYWHERE KMM_MEMBLOCK_ALLOC_ANYWHERE
#define MEMBLOCK_ALLOC_ACCESSIBLE KMM_MEMBLOCK_ALLOC_ACCESSIBLE
#define MEMBLOCK_ALLOC_NOLEAKTRACE KMM_MEMBLOCK_ALLOC_NOLEAKTRACE
#define MEMBLOCK_LOW_LIMIT KMM_MEMBLOCK_LOW_LIMIT
#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE KMM_NUMA_NO_NODE
#endif
#ifndef SMP_CACHE_BYTES
#define SMP_CACHE_BYTES KMM_SMP_CACHE_BYTES
#endif

static inline int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return kmm_memblock_add(KMM_CUR(), base, size);
}

static inline int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid,
				    enum kmm_memblock_flags flags)
{
	return kmm_memblock_add_node(KMM_CUR(), base, size, nid, flags);
}

static inline int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	return kmm_memblock_remove(KMM_CUR(), base, size);
}

static inline int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return kmm_memblock_reserve(KMM_CUR(), base, size);
}

static inline int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	return kmm_memblock_phys_free(KMM_CUR(), base, size);
}

static inline void memblock_free(void *ptr, size_t size)
{
	kmm_memblock_free(KMM_CUR(), ptr, size);
}

static inline void memblock_trim_memory(phys_addr_t align)
{
	kmm_memblock_trim_memory(KMM_CUR(), align);
}

static inline bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base,
					    phys_addr_t size)
{
	return kmm_memblock_overlaps_region(type, base, size);
}

static inline bool memblock_is_reserved(phys_addr_t addr)
{
	return kmm_memblock_is_reserved(KMM_CUR(), addr);
}

static inline bool memblock_is_memory(phys_addr_t addr)
{
	return kmm_memblock_is_memory(KMM_CUR(), addr);
}

static inline phys_addr_t memblock_start_of_DRAM(void)
{
	return kmm_memblock_start_of_DRAM(KMM_CUR());
}

static inline phys_addr_t memblock_end_of_DRAM(void)
{
	return kmm_memblock_end_of_DRAM(KMM_CUR());
}

static inline phys_addr_t memblock_phys_mem_size(void)
{
	return kmm_memblock_phys_mem_size(KMM_CUR());
}

static inline void memblock_allow_resize(void)
{
	kmm_memblock_allow_resize(KMM_CUR());
}

static inline void memblock_set_bottom_up(bool enable)
{
	kmm_memblock_set_bottom_up(KMM_CUR(), enable);
}

static inline bool memblock_bottom_up(void)
{
	return kmm_memblock_bottom_up(KMM_CUR());
}

static inline void memblock_set_current_limit(phys_addr_t limit)
{
	kmm_memblock_set_current_limit(KMM_CUR(), limit);
}

static inline phys_addr_t memblock_get_current_limit(void)
{
	return kmm_memblock_get_current_limit(KMM_CUR());
}

static inline phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
						    phys_addr_t start, phys_addr_t end)
{
	return kmm_memblock_phys_alloc_range(KMM_CUR(), size, align, start, end);
}

static inline phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	return kmm_memblock_phys_alloc(KMM_CUR(), size, align);
}

static inline phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align,
						      int nid)
{
	return kmm_memblock_phys_alloc_try_nid(KMM_CUR(), size, align, nid);
}

static inline void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align,
					   phys_addr_t min_addr, phys_addr_t max_addr, int nid)
{
	return kmm_memblock_alloc_try_nid(KMM_CUR(), size, align, min_addr, max_addr, nid);
}

static inline void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align,
					       phys_addr_t min_addr, phys_addr_t max_addr,
					       int nid)
{
	return kmm_memblock_alloc_try_nid_raw(KMM_CUR(), size, align, min_addr, max_addr, nid);
}

static inline void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align,
						 phys_addr_t min_addr, phys_addr_t max_addr,
						 int nid)
{
	return kmm_memblock_alloc_exact_nid_raw(KMM_CUR(), size, align, min_addr, max_addr, nid);
}

static inline void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	return kmm_memblock_alloc(KMM_CUR(), size, align);
}

static inline void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align)
{
	return kmm_memblock_alloc_raw(KMM_CUR(), size, align);
}

static inline void *memblock_alloc_from(phys_addr_t size, phys_addr_t align,
					phys_addr_t min_addr)
{
	return kmm_memblock_alloc_from(KMM_CUR(), size, align, min_addr);
}

static inline void *memblock_alloc_low(phys_addr_t size, phys_addr_t align)
{
	return kmm_memblock_alloc_low(KMM_CUR(), size, align);
}

static inline void *memblock_alloc_node(phys_addr_t size, phys_addr_t align, int nid)
{
	return kmm_memblock_alloc_node(KMM_CUR(), size, align, nid);
}

/* The bootmem API of Linux 2.4 to 4.19, as the seed articles use it. */
static inline void *alloc_bootmem(unsigned long size)
{
	return kmm_alloc_bootmem(KMM_CUR(), size);
}

static inline void *alloc_bootmem_pages(unsigned long size)
{
	return kmm_alloc_bootmem_pages(KMM_CUR(), size);
}

static inline void *alloc_bootmem_low_pages(unsigned long size)
{
	return kmm_alloc_bootmem_low_pages(KMM_CUR(), size);
}

static inline void free_bootmem(unsigned long addr, unsigned long size)
{
	kmm_memblock_phys_free(KMM_CUR(), addr, size);
}

#define for_each_mem_region(region)                                            \
	for (region = memblock.memory.regions;                                 \
	     region < (memblock.memory.regions + memblock.memory.cnt); region++)

#define for_each_reserved_mem_region(region)                                   \
	for (region = memblock.reserved.regions;                               \
	     region < (memblock.reserved.regions + memblock.reserved.cnt); region++)

#endif /* KMM_LINUX_MEMBLOCK_H */
