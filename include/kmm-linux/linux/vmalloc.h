/* SPDX-License-Identifier: MIT */
/*
 * <linux/vmalloc.h> over kmm: vmalloc, vmap and the kvmalloc family on the
 * calling thread's machine (docs/vmalloc.md). Each wrapper calls the
 * library's entry directly from the client's function, so the caller
 * /proc/vmallocinfo names is the client's.
 */
#ifndef KMM_LINUX_VMALLOC_H
#define KMM_LINUX_VMALLOC_H

#include <kmm-facade.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#ifndef __kmm_always_inline
#define __kmm_always_inline inline __attribute__((always_inline))
#endif

#define VM_IOREMAP KMM_VM_IOREMAP
#define VM_ALLOC KMM_VM_ALLOC
#define VM_MAP KMM_VM_MAP
#define VM_USERMAP KMM_VM_USERMAP
#define VM_DMA_COHERENT KMM_VM_DMA_COHERENT
#define VM_NO_GUARD KMM_VM_NO_GUARD
#define VM_MAP_PUT_PAGES KMM_VM_MAP_PUT_PAGES
#define VM_ALLOW_HUGE_VMAP KMM_VM_ALLOW_HUGE_VMAP
#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE KMM_NUMA_NO_NODE
#endif
/* the protection argument of vmap(): kmm maps kernel memory read-write */
#ifndef PAGE_KERNEL
#define PAGE_KERNEL 0
#endif
#ifndef VMALLOC_TOTAL
#define VMALLOC_TOTAL (VMALLOC_END - VMALLOC_START)
#endif

static __kmm_always_inline void *vmalloc(unsigned long size)
{
	return kmm_vmalloc(KMM_CUR(), size);
}

static __kmm_always_inline void *vzalloc(unsigned long size)
{
	return kmm_vzalloc(KMM_CUR(), size);
}

static __kmm_always_inline void *__vmalloc(unsigned long size, gfp_t gfp)
{
	return kmm___vmalloc(KMM_CUR(), size, gfp);
}

static __kmm_always_inline void *vmalloc_node(unsigned long size, int node)
{
	return kmm_vmalloc_node(KMM_CUR(), size, node);
}

static __kmm_always_inline void *vzalloc_node(unsigned long size, int node)
{
	return kmm_vzalloc_node(KMM_CUR(), size, node);
}

static __kmm_always_inline void *vmalloc_user(unsigned long size)
{
	return kmm_vmalloc_user(KMM_CUR(), size);
}

static __kmm_always_inline void *vmalloc_32(unsigned long size)
{
	return kmm_vmalloc_32(KMM_CUR(), size);
}

static __kmm_always_inline void *vmalloc_32_user(unsigned long size)
{
	return kmm_vmalloc_32_user(KMM_CUR(), size);
}

static __kmm_always_inline void *vmalloc_huge(unsigned long size, gfp_t gfp)
{
	return kmm_vmalloc_huge(KMM_CUR(), size, gfp);
}

static __kmm_always_inline void *vmalloc_array(size_t n, size_t size)
{
	return kmm_vmalloc_array(KMM_CUR(), n, size);
}

static __kmm_always_inline void *vcalloc(size_t n, size_t size)
{
	return kmm_vcalloc(KMM_CUR(), n, size);
}

static inline void vfree(const void *addr)
{
	kmm_vfree(KMM_CUR(), addr);
}

static inline void vfree_atomic(const void *addr)
{
	kmm_vfree_atomic(KMM_CUR(), addr);
}

static __kmm_always_inline void *vmap(struct page **pages, unsigned int count, unsigned long flags, int prot)
{
	(void)prot;
	return kmm_vmap(KMM_CUR(), (struct kmm_page **)pages, count, flags);
}

static inline void vunmap(const void *addr)
{
	kmm_vunmap(KMM_CUR(), addr);
}

static inline struct page *vmalloc_to_page(const void *addr)
{
	return (struct page *)kmm_vmalloc_to_page(KMM_CUR(), addr);
}

static inline unsigned long vmalloc_to_pfn(const void *addr)
{
	return kmm_vmalloc_to_pfn(KMM_CUR(), addr);
}

static inline bool is_vmalloc_addr(const void *addr)
{
	return kmm_is_vmalloc_addr(KMM_CUR(), addr);
}

static inline void vm_unmap_aliases(void)
{
	kmm_vm_unmap_aliases(KMM_CUR());
}

/* kvmalloc and friends (<linux/slab.h> in the kernel; here too, so either header serves) */
#ifndef KMM_LINUX_KVMALLOC
#define KMM_LINUX_KVMALLOC
static __kmm_always_inline void *kvmalloc(size_t size, gfp_t gfp)
{
	return kmm_kvmalloc(KMM_CUR(), size, gfp);
}

static __kmm_always_inline void *kvmalloc_node(size_t size, gfp_t gfp, int node)
{
	return kmm_kvmalloc_node(KMM_CUR(), size, gfp, node);
}

static __kmm_always_inline void *kvzalloc(size_t size, gfp_t gfp)
{
	return kmm_kvzalloc(KMM_CUR(), size, gfp);
}

static __kmm_always_inline void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	return kmm_kvmalloc_array(KMM_CUR(), n, size, gfp);
}

static __kmm_always_inline void *kvcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmm_kvcalloc(KMM_CUR(), n, size, gfp);
}

static __kmm_always_inline void *kvrealloc(const void *p, size_t size, gfp_t gfp)
{
	return kmm_kvrealloc(KMM_CUR(), p, size, gfp);
}

static inline void kvfree(const void *addr)
{
	kmm_kvfree(KMM_CUR(), addr);
}

static inline void kvfree_sensitive(const void *addr, size_t len)
{
	kmm_kvfree_sensitive(KMM_CUR(), addr, len);
}
#endif

#endif /* KMM_LINUX_VMALLOC_H */
