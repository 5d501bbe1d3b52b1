/* SPDX-License-Identifier: MIT */
/*
 * The booted machine's memblock with the kernel's names: each call takes the
 * machine's memblock lock around the core operation, and the allocating ones
 * report a failure as the kernel's callers do
 * ("%s: Failed to allocate %llu bytes align=0x%llx").
 */
#include "internal.h"

#define MB_CALL(m, expr)                                \
	({                                              \
		kmm_spin_lock(&(m)->memblock_lock);     \
		__auto_type ret_ = (expr);              \
		kmm_spin_unlock(&(m)->memblock_lock);   \
		ret_;                                   \
	})

/*
 * After memblock_free_all() memory belongs to the page allocator: like the
 * kernel (WARN_ON_ONCE(slab_is_available()) in memblock_alloc_range_nid), warn
 * once and serve the request from the page allocator instead.
 */
static void *late_alloc(struct kmm_machine *m, kmm_phys_addr_t size, bool raw)
{
	if (!m->memblock_warned) {
		m->memblock_warned = true;
		kmm_warn_splat(m, "mm/memblock.c", 1459, "memblock_alloc_range_nid+0x1c/0x170",
			       "memblock allocation after the page allocator took over");
	}
	return kmm_alloc_pages_exact(m, (size_t)size, KMM_GFP_NOWAIT | (raw ? 0 : KMM___GFP_ZERO));
}

struct kmm_memblock *kmm_memblock(struct kmm_machine *m)
{
	return &m->memblock;
}

int kmm_memblock_add(struct kmm_machine *m, kmm_phys_addr_t base, kmm_phys_addr_t size)
{
	return MB_CALL(m, kmm_memblock_core_add(&m->mbc, base, size));
}

int kmm_memblock_add_node(struct kmm_machine *m, kmm_phys_addr_t base, kmm_phys_addr_t size,
			  int nid, enum kmm_memblock_flags flags)
{
	return MB_CALL(m, kmm_memblock_core_add_node(&m->mbc, base, size, nid, flags));
}

int kmm_memblock_remove(struct kmm_machine *m, kmm_phys_addr_t base, kmm_phys_addr_t size)
{
	return MB_CALL(m, kmm_memblock_core_remove(&m->mbc, base, size));
}

int kmm_memblock_reserve(struct kmm_machine *m, kmm_phys_addr_t base, kmm_phys_addr_t size)
{
	return MB_CALL(m, kmm_memblock_core_reserve(&m->mbc, base, size));
}

int kmm_memblock_phys_free(struct kmm_machine *m, kmm_phys_addr_t base, kmm_phys_addr_t size)
{
	return MB_CALL(m, kmm_memblock_core_phys_free(&m->mbc, base, size));
}

void kmm_memblock_free(struct kmm_machine *m, void *ptr, size_t size)
{
	if (!ptr)
		return;
	/* what late_alloc() handed out goes back to the page allocator */
	if (m->buddy_ready && kmm_pfn_initialised(m, (unsigned long)(kmm_pa(&m->layout, ptr) >> KMM_PAGE_SHIFT)) &&
	    !kmm_PageReserved(kmm_virt_to_page(&m->layout, ptr))) {
		kmm_free_pages_exact(m, ptr, size);
		return;
	}
	kmm_memblock_phys_free(m, kmm_pa(&m->layout, ptr), size);
}

void kmm_memblock_trim_memory(struct kmm_machine *m, kmm_phys_addr_t align)
{
	kmm_spin_lock(&m->memblock_lock);
	kmm_memblock_core_trim_memory(&m->mbc, align);
	kmm_spin_unlock(&m->memblock_lock);
}

bool kmm_memblock_overlaps_region(struct kmm_memblock_type *type, kmm_phys_addr_t base,
				  kmm_phys_addr_t size)
{
	return kmm_memblock_core_overlaps_region(type, base, size);
}

bool kmm_memblock_is_reserved(struct kmm_machine *m, kmm_phys_addr_t addr)
{
	return MB_CALL(m, kmm_memblock_core_is_reserved(&m->mbc, addr));
}

bool kmm_memblock_is_memory(struct kmm_machine *m, kmm_phys_addr_t addr)
{
	return MB_CALL(m, kmm_memblock_core_is_memory(&m->mbc, addr));
}

kmm_phys_addr_t kmm_memblock_start_of_DRAM(struct kmm_machine *m)
{
	return MB_CALL(m, kmm_memblock_core_start_of_DRAM(&m->mbc));
}

kmm_phys_addr_t kmm_memblock_end_of_DRAM(struct kmm_machine *m)
{
	return MB_CALL(m, kmm_memblock_core_end_of_DRAM(&m->mbc));
}

kmm_phys_addr_t kmm_memblock_phys_mem_size(struct kmm_machine *m)
{
	return MB_CALL(m, kmm_memblock_core_phys_mem_size(&m->mbc));
}

void kmm_memblock_allow_resize(struct kmm_machine *m)
{
	m->mbc.can_resize = true;
}

void kmm_memblock_set_bottom_up(struct kmm_machine *m, bool enable)
{
	m->memblock.bottom_up = enable;
}

bool kmm_memblock_bottom_up(struct kmm_machine *m)
{
	return m->memblock.bottom_up;
}

void kmm_memblock_set_current_limit(struct kmm_machine *m, kmm_phys_addr_t limit)
{
	m->memblock.current_limit = limit;
}

kmm_phys_addr_t kmm_memblock_get_current_limit(struct kmm_machine *m)
{
	return m->memblock.current_limit;
}

int kmm_memblock_check(struct kmm_machine *m)
{
	return MB_CALL(m, kmm_memblock_core_check(&m->mbc));
}

kmm_phys_addr_t kmm_memblock_phys_alloc_range(struct kmm_machine *m, kmm_phys_addr_t size,
					      kmm_phys_addr_t align, kmm_phys_addr_t start,
					      kmm_phys_addr_t end)
{
	if (m->buddy_ready) {
		void *p = late_alloc(m, size, true);

		return p ? kmm_pa(&m->layout, p) : 0;
	}
	return MB_CALL(m, kmm_memblock_core_alloc_range_nid(&m->mbc, size, align, start, end,
							     KMM_NUMA_NO_NODE, false));
}

kmm_phys_addr_t kmm_memblock_phys_alloc(struct kmm_machine *m, kmm_phys_addr_t size,
					kmm_phys_addr_t align)
{
	return kmm_memblock_phys_alloc_range(m, size, align, 0, KMM_MEMBLOCK_ALLOC_ACCESSIBLE);
}

kmm_phys_addr_t kmm_memblock_phys_alloc_try_nid(struct kmm_machine *m, kmm_phys_addr_t size,
						kmm_phys_addr_t align, int nid)
{
	if (m->buddy_ready)
		return kmm_memblock_phys_alloc_range(m, size, align, 0, 0);
	return MB_CALL(m, kmm_memblock_core_alloc_range_nid(&m->mbc, size, align, 0,
							     KMM_MEMBLOCK_ALLOC_ACCESSIBLE, nid,
							     false));
}

static void *alloc_nid(struct kmm_machine *m, const char *fn, kmm_phys_addr_t size,
		       kmm_phys_addr_t align, kmm_phys_addr_t min_addr,
		       kmm_phys_addr_t max_addr, int nid, bool exact, bool raw)
{
	void *p = m->buddy_ready ? late_alloc(m, size, raw) : MB_CALL(m, kmm_memblock_core_alloc_nid(&m->mbc, size, align, min_addr,
							  max_addr, nid, exact, raw));

	if (!p)
		kmm_core_printk(m, KMM_KERN_ERR "%s: Failed to allocate %llu bytes align=0x%llx nid=%d from=%#llx max_addr=%#llx\n",
				fn, (unsigned long long)size, (unsigned long long)align, nid,
				(unsigned long long)min_addr, (unsigned long long)max_addr);
	return p;
}

void *kmm_memblock_alloc_try_nid(struct kmm_machine *m, kmm_phys_addr_t size,
				 kmm_phys_addr_t align, kmm_phys_addr_t min_addr,
				 kmm_phys_addr_t max_addr, int nid)
{
	return alloc_nid(m, "memblock_alloc_try_nid", size, align, min_addr, max_addr, nid,
			 false, false);
}

void *kmm_memblock_alloc_try_nid_raw(struct kmm_machine *m, kmm_phys_addr_t size,
				     kmm_phys_addr_t align, kmm_phys_addr_t min_addr,
				     kmm_phys_addr_t max_addr, int nid)
{
	return alloc_nid(m, "memblock_alloc_try_nid_raw", size, align, min_addr, max_addr, nid,
			 false, true);
}

void *kmm_memblock_alloc_exact_nid_raw(struct kmm_machine *m, kmm_phys_addr_t size,
				       kmm_phys_addr_t align, kmm_phys_addr_t min_addr,
				       kmm_phys_addr_t max_addr, int nid)
{
	return alloc_nid(m, "memblock_alloc_exact_nid_raw", size, align, min_addr, max_addr,
			 nid, true, true);
}

void *kmm_memblock_alloc(struct kmm_machine *m, kmm_phys_addr_t size, kmm_phys_addr_t align)
{
	return alloc_nid(m, "memblock_alloc", size, align, KMM_MEMBLOCK_LOW_LIMIT,
			 KMM_MEMBLOCK_ALLOC_ACCESSIBLE, KMM_NUMA_NO_NODE, false, false);
}

void *kmm_memblock_alloc_raw(struct kmm_machine *m, kmm_phys_addr_t size, kmm_phys_addr_t align)
{
	return alloc_nid(m, "memblock_alloc_raw", size, align, KMM_MEMBLOCK_LOW_LIMIT,
			 KMM_MEMBLOCK_ALLOC_ACCESSIBLE, KMM_NUMA_NO_NODE, false, true);
}

void *kmm_memblock_alloc_from(struct kmm_machine *m, kmm_phys_addr_t size,
			      kmm_phys_addr_t align, kmm_phys_addr_t min_addr)
{
	return alloc_nid(m, "memblock_alloc_from", size, align, min_addr,
			 KMM_MEMBLOCK_ALLOC_ACCESSIBLE, KMM_NUMA_NO_NODE, false, false);
}

void *kmm_memblock_alloc_low(struct kmm_machine *m, kmm_phys_addr_t size, kmm_phys_addr_t align)
{
	/* ARCH_LOW_ADDRESS_LIMIT: 4 GiB, or the end of lowmem if lower */
	kmm_phys_addr_t lim = 0xffffffffULL;

	if (m->memblock.current_limit - 1 < lim)
		lim = m->memblock.current_limit - 1;
	return alloc_nid(m, "memblock_alloc_low", size, align, KMM_MEMBLOCK_LOW_LIMIT, lim,
			 KMM_NUMA_NO_NODE, false, false);
}

void *kmm_memblock_alloc_node(struct kmm_machine *m, kmm_phys_addr_t size,
			      kmm_phys_addr_t align, int nid)
{
	return alloc_nid(m, "memblock_alloc_node", size, align, KMM_MEMBLOCK_LOW_LIMIT,
			 KMM_MEMBLOCK_ALLOC_ACCESSIBLE, nid, false, false);
}

void *kmm_alloc_bootmem(struct kmm_machine *m, unsigned long size)
{
	return kmm_memblock_alloc(m, size, KMM_SMP_CACHE_BYTES);
}

void *kmm_alloc_bootmem_pages(struct kmm_machine *m, unsigned long size)
{
	return kmm_memblock_alloc(m, size, KMM_PAGE_SIZE);
}

void *kmm_alloc_bootmem_low_pages(struct kmm_machine *m, unsigned long size)
{
	return kmm_memblock_alloc_low(m, size, KMM_PAGE_SIZE);
}
