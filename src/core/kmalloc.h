/* SPDX-License-Identifier: MIT */
/*
 * kmalloc's and kfree's fast sections, inline, for kmalloc.c and for callers
 * that build on kmalloc and want no call on their own fast path (the malloc
 * shim, tools/malloc). Each does the common case or nothing: NULL / false
 * sends the caller to the whole path (kmm_kmalloc, kmm_kfree), which does
 * everything again, reports included.
 *
 * kmalloc's: a normal (not DMA, not reclaimable) request of a size with a
 * cache pops that cache's CPU freelist (slab.h's fast section), clears the
 * object's free mark and applies __GFP_ZERO. kfree's: a slab object that is
 * an object's start, not marked free, of the CPU's active slab and not the
 * freelist's head, is marked free and pushed; one of another slab (not of a
 * debug cache), checked and marked, goes on to the whole free path without
 * being checked again. Expected cost of a pair: two
 * TLS loads, the struct page of the object, about forty instructions.
 */
#ifndef KMM_CORE_KMALLOC_H
#define KMM_CORE_KMALLOC_H

#include "slab.h"

#define KMM_GFP_SLAB_BUG_MASK (KMM___GFP_DMA32 | KMM___GFP_HIGHMEM | ~KMM___GFP_BITS_MASK)

/* The normal cache of a size the caller checked is in 1 .. 2^shift_high. */
static inline __attribute__((always_inline)) struct kmm_kmem_cache *
kmm_kmalloc_normal_cache(struct kmm_slab_state *ss, size_t size)
{
	if (likely(size <= 192))
		return ss->kmalloc_small[(size - 1) / 8];
	return ss->kmalloc_caches[KMM_KMALLOC_NORMAL][64 - __builtin_clzl(size - 1)];
}

static inline __attribute__((always_inline)) void *kmm_kmalloc_fast(struct kmm_machine *m,
								     size_t size, kmm_gfp_t gfp)
{
	struct kmm_slab_state *ss = m->slab;
	struct kmm_kmem_cache *s;
	void *p;

	if (unlikely(!ss || size - 1 >= (1UL << ss->shift_high) ||
		     (gfp & (KMM_GFP_SLAB_BUG_MASK | KMM___GFP_DMA | KMM___GFP_RECLAIMABLE))))
		return NULL;
	s = kmm_kmalloc_normal_cache(ss, size);
	p = kmm_slab_alloc_fast(m, s);
	if (unlikely(!p))
		return NULL;
	kmm_slab_post_alloc(s, gfp, p);
	if (likely(s->free_key))
		*(uintptr_t *)p = 0;			/* no free mark (open whole here) */
	kmm_slab_kasan_alloc(s, p, size);		/* KASAN: the slack stays poisoned */
	return p;
}

/* kfree's fast section for a pointer the caller knows is in the direct map. */
static inline __attribute__((always_inline)) bool kmm_kfree_fast_mapped(struct kmm_machine *m,
									 const void *p)
{
	struct kmm_kmem_cache_cpu *c;
	struct kmm_kmem_cache *s;
	struct kmm_page *slab;
	kmm_plat_fast_t tok;
	uintptr_t key;
	int cpu;

	slab = kmm_page_head(kmm_virt_to_page(&m->layout, p));
	if (unlikely(!(slab->flags & (1UL << KMM_PG_slab))))
		return false;
	s = kmm_slab_cache(slab);
	key = s->free_key;
	if (unlikely(kmm_slab_bad_free(s, slab, p)) ||
	    unlikely(key && kmm_slab_peek_word(p) == key) ||
	    unlikely(KMM_READ_ONCE(m->slab_hooks) &
		     (KMM_SLAB_HOOK_INIT_ON_FREE | KMM_SLAB_HOOK_KMEMLEAK)))
		return false;
	cpu = kmm_plat_cpu_fast_enter(m, &tok);
	if (unlikely(cpu < 0))
		return false;
	c = &s->cpu_slab[cpu];
	if (unlikely(slab != c->slab)) {
		kmm_plat_cpu_fast_exit(m, tok);
		/* checked: another slab's object goes to the whole free path from here */
		if (unlikely(s->flags & KMM_SLAB_DEBUG_FLAGS))
			return false;	/* the debug caches want the caller's address */
		if (likely(key))
			kmm_slab_poke_word((void *)p, key);
		kmm_slab_free_full(m, s, slab, (void *)p, 0);
		return true;
	}
	if (unlikely(p == c->freelist)) {
		kmm_plat_cpu_fast_exit(m, tok);
		return false;
	}
	if (likely(key))
		kmm_slab_poke_word((void *)p, key);
	kmm_slab_kasan_free(s, (void *)p);
	kmm_set_freepointer(s, (void *)p, c->freelist);
	c->freelist = (void *)p;
	kmm_plat_cpu_fast_exit(m, tok);
	return true;
}

static inline __attribute__((always_inline)) bool kmm_kfree_fast(struct kmm_machine *m,
								  const void *p)
{
	return likely(kmm_virt_addr_valid(&m->layout, p)) && kmm_kfree_fast_mapped(m, p);
}

#endif /* KMM_CORE_KMALLOC_H */
