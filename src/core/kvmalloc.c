/* SPDX-License-Identifier: MIT */
/*
 * kvmalloc and friends (mm/util.c): kmalloc when a physically contiguous
 * block can be had without disrupting the system, else vmalloc.
 *
 * The rule, as in Linux 6.12: a request of at most a page is kmalloc's
 * alone (vmalloc would waste a page table and a guard page on it). A larger
 * one tries kmalloc quietly (__GFP_NOWARN), without __GFP_NOFAIL (the
 * fallback provides it) and without retrying hard (__GFP_NORETRY, unless
 * the caller asked for __GFP_RETRY_MAYFAIL); if that fails and the caller
 * may sleep, vmalloc takes over with the caller's own flags.
 */
#include "slab.h"
#include "vmalloc.h"

static kmm_gfp_t kmalloc_gfp_adjust(kmm_gfp_t gfp, size_t size)
{
	if (size > KMM_PAGE_SIZE) {
		gfp |= KMM___GFP_NOWARN;
		if (!(gfp & KMM___GFP_RETRY_MAYFAIL))
			gfp |= KMM___GFP_NORETRY;
		gfp &= ~KMM___GFP_NOFAIL;
	}
	return gfp;
}

static void *kvmalloc_caller(struct kmm_machine *m, size_t size, kmm_gfp_t gfp,
			     unsigned long caller)
{
	void *p = NULL;

	/* beyond KMALLOC_MAX_SIZE kmalloc can only fail (and would warn) */
	if (size <= kmm_kmalloc_max_size(m))
		p = kmm_kmalloc_track_caller(m, size, kmalloc_gfp_adjust(gfp, size), caller);
	if (p || size <= KMM_PAGE_SIZE)
		return p;
	/* vmalloc may sleep: a non-blocking request stops here */
	if (!kmm_gfpflags_allow_blocking(gfp))
		return NULL;
	if (size > 0x7fffffffUL) {
		if (!(gfp & KMM___GFP_NOWARN))
			kmm_warn_splat(m, "mm/util.c", 670, "__kvmalloc_node_noprof", NULL);
		return NULL;
	}
	return kmm___vmalloc_node_range(m, size, 1, m->layout.vmalloc_start, m->layout.vmalloc_end,
					gfp, KMM_VM_ALLOW_HUGE_VMAP, KMM_NUMA_NO_NODE, caller);
}

void *kmm_kvmalloc(struct kmm_machine *m, size_t size, kmm_gfp_t gfp)
{
	return kvmalloc_caller(m, size, gfp, KMM_RET_IP);
}

void *kmm_kvmalloc_node(struct kmm_machine *m, size_t size, kmm_gfp_t gfp, int node)
{
	(void)node;
	return kvmalloc_caller(m, size, gfp, KMM_RET_IP);
}

void *kmm_kvzalloc(struct kmm_machine *m, size_t size, kmm_gfp_t gfp)
{
	return kvmalloc_caller(m, size, gfp | KMM___GFP_ZERO, KMM_RET_IP);
}

void *kmm_kvmalloc_array(struct kmm_machine *m, size_t n, size_t size, kmm_gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kvmalloc_caller(m, bytes, gfp, KMM_RET_IP);
}

void *kmm_kvcalloc(struct kmm_machine *m, size_t n, size_t size, kmm_gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kvmalloc_caller(m, bytes, gfp | KMM___GFP_ZERO, KMM_RET_IP);
}

void kmm_kvfree(struct kmm_machine *m, const void *addr)
{
	if (kmm_is_vmalloc_addr(m, addr))
		kmm_vfree(m, addr);
	else
		kmm_kfree(m, addr);
}

void kmm_kvfree_sensitive(struct kmm_machine *m, const void *addr, size_t len)
{
	if (!addr)
		return;
	/* memzero_explicit: the compiler may not drop a store to memory about to be freed */
	kmm_memset((void *)addr, 0, len);
	__asm__ __volatile__("" : : "r"(addr) : "memory");
	kmm_kvfree(m, addr);
}

/*
 * kvrealloc(p, size, gfp): the old contents up to the smaller size survive;
 * a vmalloc'ed block that still holds size is returned as is (vrealloc),
 * its tail beyond size zeroed with __GFP_ZERO. On failure p is untouched.
 */
void *kmm_kvrealloc(struct kmm_machine *m, const void *p, size_t size, kmm_gfp_t gfp)
{
	size_t old;
	void *n;

	if (!p || KMM_ZERO_OR_NULL_PTR(p))
		return kvmalloc_caller(m, size, gfp, KMM_RET_IP);
	if (!size) {
		kmm_kvfree(m, p);
		return KMM_ZERO_SIZE_PTR;
	}
	if (kmm_is_vmalloc_addr(m, p)) {
		old = kmm_vmalloc_size(m, p);
		if (!old) {
			kmm_warn_splat(m, "mm/vmalloc.c", 4148, "vrealloc_noprof",
				       "Trying to vrealloc() nonexistent vm area (%p)", p);
			return NULL;
		}
		if (size <= old) {
			if (gfp & KMM___GFP_ZERO)
				kmm_memset((char *)p + size, 0, old - size);
			return (void *)p;
		}
	} else {
		n = kmm_krealloc(m, p, size, kmalloc_gfp_adjust(gfp, size));
		if (n)
			return n;
		old = kmm_ksize(m, p);
	}
	n = kvmalloc_caller(m, size, gfp, KMM_RET_IP);
	if (!n)
		return NULL;
	kmm_memcpy(n, p, old < size ? old : size);
	kmm_kvfree(m, p);
	return n;
}
