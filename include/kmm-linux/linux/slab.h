/* SPDX-License-Identifier: MIT */
/*
 * <linux/slab.h> over kmm: kmalloc, kmem_cache and friends on the calling
 * thread's machine (docs/slab.md).
 */
#ifndef KMM_LINUX_SLAB_H
#define KMM_LINUX_SLAB_H

#include <kmm-facade.h>
#include <linux/gfp.h>

#define kmem_cache kmm_kmem_cache
typedef unsigned long slab_flags_t;

#define SLAB_CONSISTENCY_CHECKS KMM_SLAB_CONSISTENCY_CHECKS
#define SLAB_RED_ZONE KMM_SLAB_RED_ZONE
#define SLAB_POISON KMM_SLAB_POISON
#define SLAB_KMALLOC KMM_SLAB_KMALLOC
#define SLAB_HWCACHE_ALIGN KMM_SLAB_HWCACHE_ALIGN
#define SLAB_CACHE_DMA KMM_SLAB_CACHE_DMA
#define SLAB_CACHE_DMA32 KMM_SLAB_CACHE_DMA32
#define SLAB_STORE_USER KMM_SLAB_STORE_USER
#define SLAB_RECLAIM_ACCOUNT KMM_SLAB_RECLAIM_ACCOUNT
#define SLAB_TEMPORARY KMM_SLAB_RECLAIM_ACCOUNT
#define SLAB_PANIC KMM_SLAB_PANIC
#define SLAB_TYPESAFE_BY_RCU KMM_SLAB_TYPESAFE_BY_RCU
#define SLAB_TRACE KMM_SLAB_TRACE
#define SLAB_NOLEAKTRACE KMM_SLAB_NOLEAKTRACE
#define SLAB_NO_MERGE KMM_SLAB_NO_MERGE
#define SLAB_FAILSLAB KMM_SLAB_FAILSLAB
#define SLAB_ACCOUNT KMM_SLAB_ACCOUNT

#define ZERO_SIZE_PTR KMM_ZERO_SIZE_PTR

/*
 * The wrappers are always inlined, so the return address the library's entry
 * records (slub_debug's U, kmemleak) is in the client's own function, as the
 * kernel's _RET_IP_ is.
 */
#ifndef __kmm_always_inline
#define __kmm_always_inline inline __attribute__((always_inline))
#endif
#ifndef _RET_IP_
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))
#endif
#define kmalloc_track_caller(size, gfp) kmm_kmalloc_track_caller(KMM_CUR(), (size), (gfp), _RET_IP_)
#define ZERO_OR_NULL_PTR(x) KMM_ZERO_OR_NULL_PTR(x)
#define KMALLOC_MAX_SIZE kmm_kmalloc_max_size(KMM_CUR())
#define ARCH_KMALLOC_MINALIGN 8

static __kmm_always_inline struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
						   unsigned int align, slab_flags_t flags,
						   void (*ctor)(void *))
{
	return kmm_kmem_cache_create(KMM_CUR(), name, size, align, flags, ctor);
}

static __kmm_always_inline struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size,
							    unsigned int align, slab_flags_t flags,
							    unsigned int useroffset,
							    unsigned int usersize,
							    void (*ctor)(void *))
{
	return kmm_kmem_cache_create_usercopy(KMM_CUR(), name, size, align, flags, useroffset,
					      usersize, ctor);
}

#define KMEM_CACHE(__struct, __flags)                                                  \
	kmem_cache_create(#__struct, sizeof(struct __struct), __alignof__(struct __struct), \
			  (__flags), NULL)

#define kmem_cache_destroy(s) kmm_kmem_cache_destroy(s)
#define kmem_cache_shrink(s) kmm_kmem_cache_shrink(s)
#define kmem_cache_size(s) kmm_kmem_cache_size(s)
#define kmem_cache_alloc(s, gfp) kmm_kmem_cache_alloc((s), (gfp))
#define kmem_cache_zalloc(s, gfp) kmm_kmem_cache_zalloc((s), (gfp))
#define kmem_cache_alloc_node(s, gfp, node) kmm_kmem_cache_alloc((s), (gfp))
#define kmem_cache_free(s, p) kmm_kmem_cache_free((s), (p))
#define kmem_cache_alloc_bulk(s, gfp, n, p) kmm_kmem_cache_alloc_bulk((s), (gfp), (n), (p))
#define kmem_cache_free_bulk(s, n, p) kmm_kmem_cache_free_bulk((s), (n), (p))
#define kfree_bulk(n, p) kmm_kfree_bulk(KMM_CUR(), (n), (p))

static __kmm_always_inline void *kmalloc(size_t size, gfp_t gfp)
{
	return kmm_kmalloc(KMM_CUR(), size, gfp);
}

static __kmm_always_inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmm_kzalloc(KMM_CUR(), size, gfp);
}

static __kmm_always_inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	return kmm_kmalloc_array(KMM_CUR(), n, size, gfp);
}

static __kmm_always_inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmm_kcalloc(KMM_CUR(), n, size, gfp);
}

static __kmm_always_inline void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	return kmm_krealloc(KMM_CUR(), p, new_size, gfp);
}

static __kmm_always_inline void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t gfp)
{
	return kmm_krealloc_array(KMM_CUR(), p, new_n, new_size, gfp);
}

static __kmm_always_inline void kfree(const void *p)
{
	kmm_kfree(KMM_CUR(), p);
}

static __kmm_always_inline void kfree_sensitive(const void *p)
{
	kmm_kfree_sensitive(KMM_CUR(), p);
}

static __kmm_always_inline size_t ksize(const void *p)
{
	return kmm_ksize(KMM_CUR(), p);
}

static __kmm_always_inline size_t kmalloc_size_roundup(size_t size)
{
	return kmm_kmalloc_size_roundup(KMM_CUR(), size);
}

static __kmm_always_inline void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	return kmm_kmemdup(KMM_CUR(), src, len, gfp);
}

static __kmm_always_inline char *kstrdup(const char *s, gfp_t gfp)
{
	return kmm_kstrdup(KMM_CUR(), s, gfp);
}

static __kmm_always_inline char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	return kmm_kstrndup(KMM_CUR(), s, max, gfp);
}

#define kasprintf(gfp, ...) kmm_kasprintf(KMM_CUR(), (gfp), __VA_ARGS__)
#define kmalloc_node(size, gfp, node) kmalloc((size), (gfp))
#define kzalloc_node(size, gfp, node) kzalloc((size), (gfp))
#define kcalloc_node(n, size, gfp, node) kcalloc((n), (size), (gfp))
#define kmalloc_array_node(n, size, gfp, node) kmalloc_array((n), (size), (gfp))

#endif /* KMM_LINUX_SLAB_H */
