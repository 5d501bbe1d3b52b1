/* SPDX-License-Identifier: MIT */
/*
 * vmalloc and the kvmalloc family: virtually contiguous memory built from
 * pages that need not be physically contiguous, mapped for real into the
 * machine's vmalloc area (docs/vmalloc.md). kmm_ names mirror Linux's:
 * kmm_vmalloc(m, size) is vmalloc(size) on machine m.
 */
#ifndef KMM_VMALLOC_H
#define KMM_VMALLOC_H

#include <kmm/gfp.h>
#include <kmm/types.h>

#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

struct kmm_page;

/* vm_struct flags, with Linux's values */
#define KMM_VM_IOREMAP 0x00000001UL
#define KMM_VM_ALLOC 0x00000002UL
#define KMM_VM_MAP 0x00000004UL
#define KMM_VM_USERMAP 0x00000008UL
#define KMM_VM_DMA_COHERENT 0x00000010UL
#define KMM_VM_UNINITIALIZED 0x00000020UL
#define KMM_VM_NO_GUARD 0x00000040UL
#define KMM_VM_MAP_PUT_PAGES 0x00000200UL
#define KMM_VM_ALLOW_HUGE_VMAP 0x00000400UL

#define KMM_NUMA_NO_NODE (-1)

/* vmalloc(): may sleep; NULL on failure (the reason in the kernel log). */
void *kmm_vmalloc(struct kmm_machine *m, unsigned long size);
void *kmm_vzalloc(struct kmm_machine *m, unsigned long size);
/* Zeroed, VM_USERMAP: for remap_vmalloc_range(). */
void *kmm_vmalloc_user(struct kmm_machine *m, unsigned long size);
/* Pages a 32-bit device can address (ZONE_DMA32, or ZONE_DMA, or lowmem). */
void *kmm_vmalloc_32(struct kmm_machine *m, unsigned long size);
void *kmm_vmalloc_32_user(struct kmm_machine *m, unsigned long size);
void *kmm_vmalloc_node(struct kmm_machine *m, unsigned long size, int node);
void *kmm_vzalloc_node(struct kmm_machine *m, unsigned long size, int node);
void *kmm_vmalloc_huge(struct kmm_machine *m, unsigned long size, kmm_gfp_t gfp);
void *kmm_vmalloc_array(struct kmm_machine *m, size_t n, size_t size);
void *kmm_vcalloc(struct kmm_machine *m, size_t n, size_t size);
void *kmm___vmalloc(struct kmm_machine *m, unsigned long size, kmm_gfp_t gfp);
/*
 * __vmalloc_node_range(): the general form. caller is a return address for
 * /proc/vmallocinfo (0: the caller of this function).
 */
void *kmm___vmalloc_node_range(struct kmm_machine *m, unsigned long size, unsigned long align,
			       uintptr_t start, uintptr_t end, kmm_gfp_t gfp,
			       unsigned long vm_flags, int node, unsigned long caller);

/* vfree(): NULL is a no-op; in atomic context the free is deferred (vfree_atomic). */
void kmm_vfree(struct kmm_machine *m, const void *addr);
void kmm_vfree_atomic(struct kmm_machine *m, const void *addr);

/* vmap(): maps count caller pages into a new VM_MAP area; vunmap() keeps the pages. */
void *kmm_vmap(struct kmm_machine *m, struct kmm_page **pages, unsigned int count,
	       unsigned long flags);
void kmm_vunmap(struct kmm_machine *m, const void *addr);

struct kmm_page *kmm_vmalloc_to_page(struct kmm_machine *m, const void *addr);
unsigned long kmm_vmalloc_to_pfn(struct kmm_machine *m, const void *addr);
bool kmm_is_vmalloc_addr(struct kmm_machine *m, const void *addr);
/* The usable size of the vmalloc area addr points into, or 0. */
size_t kmm_vmalloc_size(struct kmm_machine *m, const void *addr);

/* kvmalloc(): kmalloc first when it may succeed cheaply, else vmalloc. */
void *kmm_kvmalloc(struct kmm_machine *m, size_t size, kmm_gfp_t gfp);
void *kmm_kvmalloc_node(struct kmm_machine *m, size_t size, kmm_gfp_t gfp, int node);
void *kmm_kvzalloc(struct kmm_machine *m, size_t size, kmm_gfp_t gfp);
void *kmm_kvmalloc_array(struct kmm_machine *m, size_t n, size_t size, kmm_gfp_t gfp);
void *kmm_kvcalloc(struct kmm_machine *m, size_t n, size_t size, kmm_gfp_t gfp);
/* kvrealloc(p, size, gfp) (6.12): contents kept up to the smaller size. */
void *kmm_kvrealloc(struct kmm_machine *m, const void *p, size_t size, kmm_gfp_t gfp);
void kmm_kvfree(struct kmm_machine *m, const void *addr);
void kmm_kvfree_sensitive(struct kmm_machine *m, const void *addr, size_t len);

/*
 * vm_unmap_aliases(): purges every lazily freed area now (unmaps it and
 * returns its virtual range to the free space).
 */
void kmm_vm_unmap_aliases(struct kmm_machine *m);

/* What /proc/meminfo and the tools read. */
struct kmm_vmalloc_stats {
	unsigned long nr_vmalloc_pages;	/* pages backing vmalloc areas (VmallocUsed) */
	unsigned long nr_areas;		/* busy areas */
	unsigned long lazy_pages;	/* freed, not yet purged */
	unsigned long free_bytes;	/* free virtual space */
	unsigned long largest_free;	/* largest free virtual range */
	unsigned long nr_purges;	/* lazy purges run */
	unsigned long nr_host_maps;	/* host mappings made for areas */
};
void kmm_vmalloc_stats(struct kmm_machine *m, struct kmm_vmalloc_stats *st);

/*
 * Walks the busy areas in address order (and then, with flags
 * "unpurged", the lazily freed ones), as /proc/vmallocinfo lists them.
 */
struct kmm_vm_info {
	uintptr_t addr;
	unsigned long size;		/* with the guard page */
	unsigned long flags;		/* KMM_VM_*; 0 for an unpurged area */
	unsigned int nr_pages;
	kmm_phys_addr_t phys_addr;
	unsigned long caller;
	bool vpages;			/* the page array is itself vmalloc'ed */
	bool unpurged;
};
int kmm_vmalloc_for_each(struct kmm_machine *m,
			 int (*fn)(void *arg, const struct kmm_vm_info *vi), void *arg);

/*
 * The integrity walker: areas disjoint, inside the region and off the free
 * space; guard pages unmapped; every mapped page of an area the frame the
 * area records; counters consistent. Each problem is reported in the log;
 * returns how many were found.
 */
unsigned long kmm_vmalloc_check(struct kmm_machine *m);

#ifdef __cplusplus
}
#endif

#pragma GCC visibility pop

#endif /* KMM_VMALLOC_H */
