/* SPDX-License-Identifier: MIT */
/*
 * The malloc API on a kmm machine: malloc, free, calloc, realloc,
 * reallocarray, posix_memalign, aligned_alloc, memalign, valloc, pvalloc,
 * malloc_usable_size (and cfree).
 *
 * 1. Sizes. Up to KMALLOC_MAX_SIZE (4 MiB on x86_64) a request is a kmalloc:
 *    a slab object of the kmalloc-16 ... kmalloc-8k caches up to 8 KiB (with
 *    the shim's own classes between their powers of two above 1 KiB,
 *    classes.c), a
 *    compound page block above (its size rounded up to a power of two
 *    pages). A request below 16 bytes takes kmalloc-16, as glibc's chunks
 *    are 16-byte aligned and kmalloc-8's objects are not. Beyond, a vmalloc
 *    area on a machine with memfd RAM, a host block otherwise (huge.c).
 *
 * 2. Alignment. kmalloc aligns a power-of-two size to itself (a slab of
 *    kmalloc-2^k is a naturally aligned block cut in 2^k strides; a compound
 *    block is aligned to its size), every other class to at least 16 bytes
 *    (96 and 192 to 32 and 64). So memalign(a, n) with a above 16 asks
 *    kmalloc for the power of two at least max(n, a); host blocks are mapped
 *    aligned.
 *
 * 3. The fast paths: malloc(n) of a thread that is a task of the machine, n
 *    up to 8 KiB, is kmalloc's fast section inline (src/core/kmalloc.h: a
 *    pop from the CPU's freelist); free(p) of a slab object in the direct
 *    map is kfree's (a push). Expected cost: a TLS load and the section's
 *    own, no call. Everything else (the first call of a thread, larger
 *    sizes, other pointers, refills, failures) takes kmm_kmalloc's and
 *    kmm_kfree's whole paths.
 *
 * 4. Checks, on by default (docs/malloc.md): free of a pointer outside the
 *    heap (a range test), inside a slab but no object's start (a mask test),
 *    of an object already free (kfree's free mark: a load and a store), of
 *    a page block already free (the page allocator's checks): reported in
 *    SLUB's format, not applied. slub_debug= in KMM_MALLOC_CMDLINE adds
 *    SLUB's red zones, poisoning and call sites.
 *
 * 5. Memory back to the host: a reporting pass (free blocks of 2 MiB and more
 *    discarded with madvise) at most every 2 seconds, checked on every 64th
 *    free of a page-aligned pointer (large blocks are), in place of the
 *    machine's reporting thread.
 *
 * errno: ENOMEM on failure, EINVAL for a bad alignment; a successful call
 * leaves it alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shim.h"

#define EXPORT __attribute__((visibility("default")))

static inline size_t min_size(size_t n)
{
	return n < SHIM_MIN_ALIGN ? SHIM_MIN_ALIGN : n;
}

static inline bool in_direct_map(const void *p)
{
	return (uintptr_t)p - shim.lo < shim.span;
}

static bool in_vmalloc(const void *p)
{
	return shim.vspan && (uintptr_t)p - shim.vlo < shim.vspan;
}

static size_t round_pow2(size_t n)
{
	return n <= 1 ? 1 : (size_t)1 << (64 - __builtin_clzl(n - 1));
}

/* ---- allocation ---- */

static void *machine_alloc(size_t size, size_t align, bool zero)
{
	kmm_gfp_t gfp = SHIM_GFP | (zero ? KMM___GFP_ZERO : 0);
	size_t want = min_size(size);
	void *p = NULL;

	if (size > ((size_t)1 << 62))
		return NULL;
	if (align > SHIM_MIN_ALIGN)
		want = round_pow2(want < align ? align : want);
	if (want > 1024 && want <= 8192 && align <= SHIM_MIN_ALIGN && shim.have_classes)
		return kmm_kmem_cache_alloc(shim.classes[(want - 1) >> 8], gfp);
	if (want <= shim.kmalloc_max && want >= size) {
		p = kmm_kmalloc(shim.m, want, gfp);
		/* a block of 64 KiB or more the buddy lists cannot give at once: a larger home */
		if (p || want < 16 * SHIM_PAGE)
			return p;
	}
	if (shim.vmalloc && align <= SHIM_PAGE) {
		p = kmm___vmalloc(shim.m, size, gfp);
		if (p)
			return p;
	}
	return shim_huge_alloc(size, align, zero);
}

__attribute__((noinline)) void *shim_alloc_slow(size_t size, size_t align, bool zero)
{
	int saved = errno;
	bool leave;
	void *p;

	if (shim_self.busy) {
		p = shim_arena_alloc(size, align);
		goto out;
	}
	if (!shim_boot())
		return NULL;
	leave = shim_enter();
	p = shim_attached ? machine_alloc(size, align, zero) : NULL;
	shim_leave(leave);
out:
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	errno = saved;
	return p;
}

/* A size of a shim class (classes.c): its cache's fast section, as kmalloc's. */
static inline __attribute__((always_inline)) void *class_alloc_fast(size_t size, kmm_gfp_t gfp)
{
	struct kmm_kmem_cache *s;
	void *p;

	if (shim_unlikely(size > 8192))
		return NULL;
	s = shim.classes[(size - 1) >> 8];
	p = kmm_slab_alloc_fast(shim.m, s);
	if (shim_unlikely(!p))
		return NULL;
	kmm_slab_post_alloc(s, gfp, p);
	if (shim_likely(s->free_key))
		*(uintptr_t *)p = 0;	/* no free mark */
	return p;
}

static inline __attribute__((always_inline)) void *alloc_fast(size_t size, kmm_gfp_t gfp)
{
	if (shim_likely(size <= 1024) || shim_unlikely(!shim.have_classes))
		return kmm_kmalloc_fast(shim.m, min_size(size), gfp);
	return class_alloc_fast(size, gfp);
}

EXPORT void *malloc(size_t size)
{
	if (shim_likely(shim_attached)) {
		void *p = alloc_fast(size, SHIM_GFP);

		if (shim_likely(p))
			return p;
	}
	return shim_alloc_slow(size, SHIM_MIN_ALIGN, false);
}

EXPORT void *calloc(size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes)) {
		errno = ENOMEM;
		return NULL;
	}
	if (shim_likely(shim_attached)) {
		void *p = alloc_fast(bytes, SHIM_GFP | KMM___GFP_ZERO);

		if (shim_likely(p))
			return p;
	}
	return shim_alloc_slow(bytes, SHIM_MIN_ALIGN, true);
}

/* ---- free ---- */

/* A reporting pass when 2 s have passed since the last one (checked now and then). */
static void maybe_report(void)
{
	static atomic_long last;
	struct timespec ts;
	long now, prev;

	if (++shim_self.report_countdown & 63)
		return;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	now = (long)ts.tv_sec;
	prev = atomic_load_explicit(&last, memory_order_relaxed);
	if (now - prev >= 2 && atomic_compare_exchange_strong(&last, &prev, now))
		kmm_page_reporting_run(shim.m);
}

static __attribute__((noinline)) void free_slow(void *p)
{
	int saved = errno;
	bool leave;

	if (!p || shim_arena_owns(p))
		return;
	if (!shim.m) {
		shim_report_invalid("free", p);
		return;
	}
	if (in_direct_map(p)) {
		leave = shim_enter();
		if (shim_attached)
			kmm_kfree(shim.m, p);
		shim_leave(leave);
	} else if (in_vmalloc(p)) {
		leave = shim_enter();
		if (shim_attached)
			kmm_vfree(shim.m, p);
		shim_leave(leave);
	} else if (!shim_huge_free(p)) {
		shim_report_invalid("free", p);
	}
	errno = saved;
}

/* A page-aligned pointer may be a large block, whose pages may merge into reportable ones. */
static __attribute__((noinline)) void free_aligned(void *p)
{
	kmm_kfree(shim.m, p);
	maybe_report();
}

EXPORT void free(void *p)
{
	if (shim_likely(in_direct_map(p)) && shim_likely(shim_attached)) {
		if (shim_unlikely(!((uintptr_t)p & (SHIM_PAGE - 1))))
			free_aligned(p);
		else if (shim_unlikely(!kmm_kfree_fast_mapped(shim.m, p)))	/* in_direct_map() checked */
			kmm_kfree(shim.m, p);	/* the whole path, reports included */
		return;
	}
	free_slow(p);
}

EXPORT void cfree(void *p)
{
	free(p);
}

/* ---- sizes ---- */

size_t shim_usable_size(const void *p)
{
	size_t n = 0;
	bool leave;

	if (!p)
		return 0;
	if (shim_arena_owns(p))
		return shim_arena_size(p);
	if (!shim.m)
		return 0;
	if (in_direct_map(p) || in_vmalloc(p)) {
		leave = shim_enter();
		if (shim_attached)
			n = in_vmalloc(p) ? kmm_vmalloc_size(shim.m, p) : kmm_ksize(shim.m, p);
		shim_leave(leave);
		return n;
	}
	return shim_huge_size(p);
}

EXPORT size_t malloc_usable_size(void *p)
{
	return shim_usable_size(p);
}

/* ---- realloc ---- */

EXPORT void *realloc(void *p, size_t size)
{
	size_t old;
	void *q;

	if (!p)
		return malloc(size);
	if (!size) {
		/* glibc's realloc(p, 0): the block is freed, NULL returned */
		free(p);
		return NULL;
	}
	if (!shim_arena_owns(p) && shim.m && !in_direct_map(p) && !in_vmalloc(p)) {
		if (shim_huge_size(p)) {
			q = shim_huge_realloc(p, size);
			if (!q)
				errno = ENOMEM;
			return q;
		}
		shim_report_invalid("realloc", p);
		errno = EINVAL;
		return NULL;
	}
	old = shim_usable_size(p);
	if (!old && !shim_arena_owns(p)) {
		/* kfree's checks found no object there (and said so) */
		errno = EINVAL;
		return NULL;
	}
	/*
	 * It fits: keep it if kmalloc would give this size no smaller a block.
	 * Otherwise move it, as glibc gives a shrunk chunk's tail back: Python
	 * builds a string in a larger buffer and shrinks it to its length.
	 */
	if (size <= old && !shim_arena_owns(p) &&
	    (!in_direct_map(p) || shim_size_roundup(min_size(size)) >= old))
		return p;
	q = malloc(size);
	if (!q)
		return size <= old ? p : NULL;
	memcpy(q, p, size < old ? size : old);
	free(p);
	return q;
}

EXPORT void *reallocarray(void *p, size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, bytes);
}

/* ---- aligned ---- */

static void *aligned(size_t align, size_t size)
{
	if (align <= SHIM_MIN_ALIGN)
		return malloc(size);
	return shim_alloc_slow(size, align, false);
}

EXPORT int posix_memalign(void **memptr, size_t align, size_t size)
{
	int saved = errno;
	void *p;

	if (!align || (align & (align - 1)) || align % sizeof(void *))
		return EINVAL;
	p = aligned(align, size);
	if (!p) {
		errno = saved;
		return ENOMEM;
	}
	*memptr = p;
	return 0;
}

EXPORT void *aligned_alloc(size_t align, size_t size)
{
	if (!align || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	return aligned(align, size);
}

EXPORT void *memalign(size_t align, size_t size)
{
	/* glibc rounds an alignment that is not a power of two up to one */
	if (align > ((size_t)1 << 62)) {
		errno = EINVAL;
		return NULL;
	}
	return aligned(round_pow2(align), size);
}

EXPORT void *valloc(size_t size)
{
	return aligned(SHIM_PAGE, size);
}

EXPORT void *pvalloc(size_t size)
{
	size_t rounded = (size + SHIM_PAGE - 1) & ~(SHIM_PAGE - 1);

	if (rounded < size) {
		errno = ENOMEM;
		return NULL;
	}
	return aligned(SHIM_PAGE, rounded ? rounded : SHIM_PAGE);
}
