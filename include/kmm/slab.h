/* SPDX-License-Identifier: MIT */
/*
 * The slab allocator (SLUB) and the kmalloc family: objects of one size
 * from caches of slabs, the slabs from the page allocator (docs/slab.md).
 * kmm_ names mirror Linux's: kmm_kmalloc(m, size, gfp) is kmalloc(size, gfp)
 * on machine m; the calling thread is (or becomes) a task of m.
 */
#ifndef KMM_SLAB_H
#define KMM_SLAB_H

#include <stdarg.h>

#include <kmm/gfp.h>
#include <kmm/types.h>

/* The public API: exported from libkmm.so (the library builds with -fvisibility=hidden). */
#pragma GCC visibility push(default)

/* Cache flags, with the values of Linux 6.7 and before (slab_flags_t). */
#define KMM_SLAB_CONSISTENCY_CHECKS 0x00000100UL
#define KMM_SLAB_RED_ZONE 0x00000400UL
#define KMM_SLAB_POISON 0x00000800UL
#define KMM_SLAB_KMALLOC 0x00001000UL
#define KMM_SLAB_HWCACHE_ALIGN 0x00002000UL
#define KMM_SLAB_CACHE_DMA 0x00004000UL
#define KMM_SLAB_CACHE_DMA32 0x00008000UL
#define KMM_SLAB_STORE_USER 0x00010000UL
#define KMM_SLAB_RECLAIM_ACCOUNT 0x00020000UL
#define KMM_SLAB_PANIC 0x00040000UL
#define KMM_SLAB_TYPESAFE_BY_RCU 0x00080000UL
#define KMM_SLAB_TRACE 0x00200000UL
#define KMM_SLAB_NOLEAKTRACE 0x00800000UL
#define KMM_SLAB_NO_MERGE 0x01000000UL
#define KMM_SLAB_FAILSLAB 0x02000000UL
#define KMM_SLAB_ACCOUNT 0x04000000UL

#define KMM_ZERO_SIZE_PTR ((void *)16)
#define KMM_ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)KMM_ZERO_SIZE_PTR)

struct kmm_kmem_cache;

/*
 * kmem_cache_create(): NULL on failure (the reason in the kernel log, as
 * "kmem_cache_create(name) failed with error -22: ..."); with SLAB_PANIC a failure panics the machine (logged, NULL).
 * A compatible existing cache may be returned instead (merging, as SLUB:
 * boot with slab_nomerge to turn it off).
 */
struct kmm_kmem_cache *kmm_kmem_cache_create(struct kmm_machine *m, const char *name,
					     unsigned int size, unsigned int align,
					     unsigned long flags, void (*ctor)(void *));
struct kmm_kmem_cache *kmm_kmem_cache_create_usercopy(struct kmm_machine *m, const char *name,
						      unsigned int size, unsigned int align,
						      unsigned long flags, unsigned int useroffset,
						      unsigned int usersize, void (*ctor)(void *));
void kmm_kmem_cache_destroy(struct kmm_kmem_cache *s);
int kmm_kmem_cache_shrink(struct kmm_kmem_cache *s);
unsigned int kmm_kmem_cache_size(struct kmm_kmem_cache *s);
const char *kmm_kmem_cache_name(struct kmm_kmem_cache *s);

void *kmm_kmem_cache_alloc(struct kmm_kmem_cache *s, kmm_gfp_t gfp);
void *kmm_kmem_cache_zalloc(struct kmm_kmem_cache *s, kmm_gfp_t gfp);
void kmm_kmem_cache_free(struct kmm_kmem_cache *s, void *obj);
/* All or nothing: size on success, 0 (nothing allocated) on failure. */
int kmm_kmem_cache_alloc_bulk(struct kmm_kmem_cache *s, kmm_gfp_t gfp, size_t size, void **p);
void kmm_kmem_cache_free_bulk(struct kmm_kmem_cache *s, size_t size, void **p);
/* kfree_bulk(): objects of any caches, or large kmallocs. */
void kmm_kfree_bulk(struct kmm_machine *m, size_t size, void **p);

/* kmalloc and friends, on machine m. */
void *kmm_kmalloc(struct kmm_machine *m, size_t size, kmm_gfp_t gfp);
/* kmalloc_track_caller(): the call site recorded (slub_debug U) is caller, a return address. */
void *kmm_kmalloc_track_caller(struct kmm_machine *m, size_t size, kmm_gfp_t gfp,
			       unsigned long caller);
void *kmm_kzalloc(struct kmm_machine *m, size_t size, kmm_gfp_t gfp);
void *kmm_kmalloc_array(struct kmm_machine *m, size_t n, size_t size, kmm_gfp_t gfp);
void *kmm_kcalloc(struct kmm_machine *m, size_t n, size_t size, kmm_gfp_t gfp);
void *kmm_krealloc(struct kmm_machine *m, const void *p, size_t new_size, kmm_gfp_t gfp);
void *kmm_krealloc_array(struct kmm_machine *m, void *p, size_t new_n, size_t new_size,
			 kmm_gfp_t gfp);
void kmm_kfree(struct kmm_machine *m, const void *p);
void kmm_kfree_sensitive(struct kmm_machine *m, const void *p);
size_t kmm_ksize(struct kmm_machine *m, const void *p);
size_t kmm_kmalloc_size_roundup(struct kmm_machine *m, size_t size);
void *kmm_kmemdup(struct kmm_machine *m, const void *src, size_t len, kmm_gfp_t gfp);
char *kmm_kstrdup(struct kmm_machine *m, const char *s, kmm_gfp_t gfp);
char *kmm_kstrndup(struct kmm_machine *m, const char *s, size_t max, kmm_gfp_t gfp);
char *kmm_kasprintf(struct kmm_machine *m, kmm_gfp_t gfp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
char *kmm_kvasprintf(struct kmm_machine *m, kmm_gfp_t gfp, const char *fmt, va_list ap);
/* KMALLOC_MAX_SIZE of the machine's profile (4 MiB, or 2 MiB on at91rm9200). */
size_t kmm_kmalloc_max_size(struct kmm_machine *m);
/* The cache kmalloc(size, gfp) would use, or NULL (a large or zero size). */
struct kmm_kmem_cache *kmm_kmalloc_cache(struct kmm_machine *m, size_t size, kmm_gfp_t gfp);

/* The machine's caches, oldest first (slab_caches), for reports and tools. */
struct kmm_kmem_cache *kmm_slab_cache_next(struct kmm_machine *m, struct kmm_kmem_cache *prev);

/* Statistics of a cache as /proc/slabinfo and /sys/kernel/slab show them. */
struct kmm_slab_stats {
	unsigned long active_objs, num_objs;	/* objects in use, objects in all slabs */
	unsigned long active_slabs, num_slabs;
	unsigned long partial_slabs;		/* on the node partial list */
	unsigned long cpu_slabs;		/* active or per-CPU partial */
	unsigned int object_size, size;		/* requested size, stride */
	unsigned int objs_per_slab, order;
	unsigned int align, min_partial, cpu_partial_slabs;
	int aliases;				/* other caches merged into this one */
	unsigned long flags;
};
void kmm_kmem_cache_stats(struct kmm_kmem_cache *s, struct kmm_slab_stats *st);

/*
 * Integrity walker: every object of every slab is on exactly one of a
 * freelist (slab, CPU or remote) or in use; the counters equal the walk;
 * freelist pointers stay inside their slab. Returns violations (logged).
 */
int kmm_slab_check(struct kmm_machine *m);

#pragma GCC visibility pop

#endif /* KMM_SLAB_H */
