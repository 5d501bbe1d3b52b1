/* SPDX-License-Identifier: MIT */
/*
 * The slab allocator's structures (mm/slab.h). See slab.c for the design.
 * Protection: [cpu] the task holding that CPU; [node] the cache's list_lock;
 * [slab_lock] m->slab_lock; [atomic] relaxed atomics.
 */
#ifndef KMM_CORE_SLAB_H
#define KMM_CORE_SLAB_H

#include <kmm/slab.h>

#include "internal.h"
#include "kasan.h"

/* struct kmem_cache_cpu: a cache line of its own per CPU. */
struct kmm_kmem_cache_cpu {
	void *freelist;			/* [cpu] free objects of the active slab */
	struct kmm_page *slab;		/* [cpu] the active slab, frozen to this CPU */
	struct kmm_page *partial;	/* [cpu] frozen partial slabs, through lru.next */
	unsigned int nr_partial;	/* [cpu] slabs on partial */
	char pad[KMM_SMP_CACHE_BYTES - 2 * sizeof(void *) - sizeof(void *) - sizeof(unsigned int)];
} __attribute__((aligned(KMM_SMP_CACHE_BYTES)));

_Static_assert(sizeof(struct kmm_kmem_cache_cpu) == KMM_SMP_CACHE_BYTES,
	       "one kmem_cache_cpu per cache line");

/*
 * Per-CPU counters: written only by the CPU's holder, without a locked
 * instruction (a large kmalloc pair paid two of them, with their wait for
 * the stores before them, on one shared line); read by summing.
 */
struct kmm_slab_pcpu {
	long large_kmalloc_pages;	/* [cpu] */
} __attribute__((aligned(KMM_SMP_CACHE_BYTES)));

long kmm_slab_large_kmalloc_pages(struct kmm_machine *m);
void kmm_slab_large_kmalloc_account(struct kmm_machine *m, long pages);

struct kmm_kmem_cache {
	unsigned long flags;		/* SLAB_* */
	unsigned int size;		/* stride of an object in a slab, bytes */
	unsigned int object_size;	/* what the creator asked for, bytes */
	unsigned int offset;		/* of the free pointer in a free object */
	uintptr_t random;		/* freelist hardening: the key stored pointers are XORed with */
	uintptr_t fp_swab_mask;		/* ~0 when hardened: the slot's byte-swapped address joins */
	uintptr_t free_key;		/* kfree's mark in the first word of a freed object, or 0 */
	/*
	 * size = odd << div_shift: an offset is a multiple of size when its low
	 * div_shift bits are 0 and (offset >> div_shift) * div_inv, mod 2^32,
	 * is at most div_lim (div_inv: the inverse of odd mod 2^32; div_lim:
	 * (2^32 - 1) / odd). Exact for offsets below 2^32, a multiply in place of
	 * a division (kfree's object check).
	 */
	unsigned int div_shift;
	uint32_t div_inv, div_lim;
	unsigned int inuse;		/* object and right red zone: metadata starts here */
	unsigned int red_left_pad;	/* left red zone before each object (SLAB_RED_ZONE) */
	unsigned int align;
	unsigned int order;		/* of a slab */
	unsigned int objects;		/* per slab of that order */
	unsigned int min_order, min_objects;	/* the fallback when the order fails */
	unsigned int min_partial;	/* node partial slabs kept even when empty */
	unsigned int cpu_partial_slabs;	/* per-CPU partial list budget */
	unsigned int useroffset, usersize;
	kmm_gfp_t allocflags;		/* added to every slab allocation (DMA, reclaimable) */
	void (*ctor)(void *);
	int refcount;			/* [slab_lock] 1 + aliases */
	bool kmalloc;			/* one of the kmalloc caches */
	struct kmm_machine *m;
	struct kmm_kmem_cache *next;	/* [slab_lock] slab_caches, oldest first */
	char name[64];

	/* the one node (kmem_cache_node) */
	kmm_spinlock_t list_lock;
	struct kmm_page *partial;	/* [node] partial slabs, through lru.next */
	unsigned long nr_partial;	/* [node] */
	long nr_slabs;			/* [atomic] slabs of this cache */
	long total_objects;		/* [atomic] objects in them */
	long walk_slabs, walk_objects, walk_partial;	/* [slab_lock] kmm_slab_check's counts */
	struct kmm_page *full;		/* [node] debug caches: full slabs (mapping/virtual links) */

	struct kmm_kmem_cache_cpu cpu_slab[];	/* [nr_cpus] */
};

/* slub_debug's flags: a cache with any of them takes the debug paths. */
#define KMM_SLAB_DEBUG_FLAGS \
	(KMM_SLAB_CONSISTENCY_CHECKS | KMM_SLAB_RED_ZONE | KMM_SLAB_POISON | KMM_SLAB_STORE_USER)
#define KMM_RET_IP ((unsigned long)__builtin_return_address(0))
/* caches whose objects ASan poisoning leaves alone: the debug ones */
#define KMM_SLAB_KASAN_SKIP KMM_SLAB_DEBUG_FLAGS

/* A slab's state word (page->private of its head page). */
enum {
	KMM_SLAB_ST_PARTIAL = 1,	/* on the node partial list, or about to be */
	KMM_SLAB_ST_FULL = 2,		/* every object out: on no list */
	KMM_SLAB_ST_FROZEN = 3,		/* a CPU's (cpu in the bits above 8) */
};
#define KMM_SLAB_FROZEN(cpu) (KMM_SLAB_ST_FROZEN | ((unsigned long)(cpu) << 8))

/* kmalloc's cache kinds (enum kmalloc_cache_type) */
enum { KMM_KMALLOC_NORMAL, KMM_KMALLOC_RECLAIM, KMM_KMALLOC_DMA, KMM_NR_KMALLOC_TYPES };
#define KMM_KMALLOC_SHIFT_MAX 17	/* 128 KiB, the seed era's largest cache */

/* The machine's slab state (struct kmm_machine holds one). */
struct kmm_slab_state {
	kmm_spinlock_t lock;		/* slab_mutex: the cache list, refcounts */
	struct kmm_kmem_cache *caches, *caches_tail;
	struct kmm_kmem_cache *kmem_cache;	/* the cache of struct kmm_kmem_cache */
	struct kmm_kmem_cache *kmalloc_caches[KMM_NR_KMALLOC_TYPES][KMM_KMALLOC_SHIFT_MAX + 1];
	uint8_t size_index[24];		/* (size - 1) / 8 -> index, for sizes <= 192 */
	/* (size - 1) / 8 -> the normal cache of sizes <= 192: kmalloc's lookup in one load */
	struct kmm_kmem_cache *kmalloc_small[24];
	unsigned int shift_low, shift_high;	/* KMALLOC_SHIFT_LOW/HIGH */
	bool seed_table;		/* at91rm9200: 32 ... 128k, no 96/192, NULL above */
	bool nomerge;			/* slab_nomerge */
	bool freelist_random;		/* kmm.slab_freelist_random=1 (CONFIG_SLAB_FREELIST_RANDOM) */
	bool freelist_hardened;		/* kmm.slab_freelist_hardened=1 (CONFIG_SLAB_FREELIST_HARDENED) */
	uint64_t rnd;			/* [atomic] kmm_slab_random()'s counter */
	unsigned int min_objects;	/* slab_min_objects, or 0 */
	unsigned int min_order, max_order;	/* slab_min_order / slab_max_order */
	long large_kmalloc_pages;	/* [atomic] pages of kmalloc > KMALLOC_MAX_CACHE_SIZE: */
	struct kmm_slab_pcpu *pcpu;	/* [nr_cpus] the same, per CPU (the sum is the count) */
	uintptr_t free_key;		/* [boot] kfree's mark in a freed kmalloc object (kmalloc.c), odd */
	bool tainted;			/* a slub_debug report was made (TAINT_BAD_PAGE) */
	unsigned long debug_errors;	/* [atomic] slub_debug reports so far */
};

/*
 * A slab's head page: lru.next holds the cache (constant while the slab
 * lives, and even, so compound_head() of any of its pages stays right, as
 * slab->slab_cache overlays compound_head in Linux); mapping links the slab
 * on a partial list.
 */
static inline struct kmm_kmem_cache *kmm_slab_cache(const struct kmm_page *slab)
{
	return (struct kmm_kmem_cache *)slab->lru.next;
}

static inline struct kmm_page *kmm_slab_next(const struct kmm_page *slab)
{
	return (struct kmm_page *)slab->mapping;
}

static inline void kmm_slab_set_next(struct kmm_page *slab, struct kmm_page *next)
{
	slab->mapping = next;
}

/*
 * freelist_ptr_encode(): with freelist hardening a stored free pointer is
 * ptr ^ key ^ swab(slot address), so a leaked or overwritten pointer is
 * useless to an attacker; key and mask are 0 otherwise, the XOR a no-op.
 */
static inline uintptr_t kmm_freeptr_mangle(const struct kmm_kmem_cache *s, void **slot, uintptr_t v)
{
	return v ^ s->random ^ (__builtin_bswap64((uint64_t)(uintptr_t)slot) & s->fp_swab_mask);
}

/* Under ASan a free object is poisoned: the free pointer is opened for the access alone. */
static inline void *kmm_get_freepointer(const struct kmm_kmem_cache *s, void *obj)
{
	void **fp = (void **)((char *)obj + s->offset);
	void *v;

	kmm_kasan_unpoison(fp, sizeof(void *));
	v = (void *)kmm_freeptr_mangle(s, fp, (uintptr_t)*fp);
	if (!(s->flags & KMM_SLAB_KASAN_SKIP))
		kmm_kasan_poison(fp, sizeof(void *));
	return v;
}

static inline void kmm_set_freepointer(const struct kmm_kmem_cache *s, void *obj, void *fp)
{
	void **p = (void **)((char *)obj + s->offset);

	kmm_kasan_unpoison(p, sizeof(void *));
	*p = (void *)kmm_freeptr_mangle(s, p, (uintptr_t)fp);
	if (!(s->flags & KMM_SLAB_KASAN_SKIP))
		kmm_kasan_poison(p, sizeof(void *));
}

/* The slab of an object: the head page, or NULL when it is not a slab page. */
static inline struct kmm_page *kmm_virt_to_slab(struct kmm_machine *m, const void *obj)
{
	struct kmm_page *page;

	if (!kmm_virt_addr_valid(&m->layout, obj))
		return NULL;
	page = kmm_page_head(kmm_virt_to_page(&m->layout, obj));
	return page->flags & (1UL << KMM_PG_slab) ? page : NULL;
}

static inline void *kmm_slab_address(struct kmm_machine *m, const struct kmm_page *slab)
{
	return kmm_va(&m->layout, (kmm_phys_addr_t)kmm_pfn(m, slab) << KMM_PAGE_SHIFT);
}

static inline unsigned int kmm_slab_objects(const struct kmm_page *slab)
{
	return (unsigned int)((uintptr_t)slab->lru.prev >> 32);
}

static inline unsigned int kmm_slab_inuse(const struct kmm_page *slab)
{
	return (unsigned int)(uintptr_t)slab->lru.prev;
}

static inline void kmm_slab_set_counts(struct kmm_page *slab, unsigned int inuse,
				       unsigned int objects)
{
	slab->lru.prev = (struct kmm_list_head *)(((uintptr_t)objects << 32) | inuse);
}


int kmm_slab_init(struct kmm_machine *m);
uint64_t kmm_slab_random(struct kmm_machine *m);
void kmm_slab_quiesce(struct kmm_machine *m);
void *kmm_slab_alloc_slow(struct kmm_kmem_cache *s, kmm_gfp_t gfp, int cpu, unsigned long ip);
void kmm_slab_free_slow(struct kmm_machine *m, struct kmm_kmem_cache *s, struct kmm_page *slab,
			void *obj, int cpu, unsigned long ip);
void kmm_slab_naive_double_free(struct kmm_kmem_cache *s, void *obj);
/* object_err(s, slab, obj, "Object already free") and FIX: a double free, not applied. */
void kmm_slab_double_free(struct kmm_kmem_cache *s, struct kmm_page *slab, void *obj);

/*
 * The first word of an object, read and written past KASAN's poisoning: a
 * freed object is poisoned whole, a live one beyond the size asked for.
 */
#ifdef KMM_KASAN
uintptr_t kmm_slab_peek_word(const void *obj);
void kmm_slab_poke_word(void *obj, uintptr_t v);
#else
static inline uintptr_t kmm_slab_peek_word(const void *obj)
{
	return *(const uintptr_t *)obj;
}

static inline void kmm_slab_poke_word(void *obj, uintptr_t v)
{
	*(uintptr_t *)obj = v;
}
#endif

/* check_valid_pointer() of any cache (under its list_lock), and its report ("Invalid object pointer"). */
bool kmm_slab_valid_pointer(const struct kmm_kmem_cache *s, struct kmm_page *slab, const void *obj);

/*
 * The same without a lock. The slab's size comes from its order: the
 * cache's when it has a single one, else the compound order (constant while
 * the slab lives; the counts word its owner rewrites at any time is not
 * read). A slab is a naturally aligned block, and so is its address (the
 * window and RAM agree in alignment), so obj's offset in it is a mask. The
 * stride's divisibility is a multiply.
 */
static inline bool kmm_slab_is_object(const struct kmm_kmem_cache *s, struct kmm_page *slab,
				      const void *obj)
{
	unsigned int order = s->order == s->min_order ? s->order
			     : kmm_page_test_head(slab) ? kmm_page_field(&slab[1], KMM_PAGE_FOLIO_ORDER_SHIFT) : 0;
	size_t bytes = KMM_PAGE_SIZE << order;
	uintptr_t off = ((uintptr_t)obj & (bytes - 1)) - s->red_left_pad;

	if (off >= bytes || bytes - off < s->size || (off & ((1UL << s->div_shift) - 1)))
		return false;
	return (uint32_t)((uint32_t)(off >> s->div_shift) * s->div_inv) <= s->div_lim;
}

void kmm_slab_invalid_free(struct kmm_kmem_cache *s, struct kmm_page *slab, const void *obj);

/*
 * A free of an address inside a slab that is no object's start would put it
 * on a freelist, and hand the middle of an object out twice: every cache
 * refuses it (as SLUB's free_consistency_checks do under slub_debug=F),
 * reported and not applied. Expected cost: a mask test for power-of-two
 * strides without a left red zone, where objects are aligned to their
 * stride (a slab is a naturally aligned block at least as large); a
 * division otherwise.
 */
static inline bool kmm_slab_bad_free(const struct kmm_kmem_cache *s, struct kmm_page *slab,
				     const void *obj)
{
	unsigned int size = s->size;

	if (likely(!(size & (size - 1)) && !s->red_left_pad))
		return unlikely((uintptr_t)obj & (size - 1));
	return !kmm_slab_is_object(s, slab, obj);
}

/* slab_debug.c: the debug caches' paths, under the node's list_lock */
unsigned long kmm_slab_debug_flags(struct kmm_machine *m, const char *name, unsigned long flags);
void kmm_slab_debug_boot(struct kmm_machine *m);
unsigned int kmm_slab_debug_sizes(struct kmm_kmem_cache *s, unsigned int size);
void kmm_slab_debug_init_slab(struct kmm_kmem_cache *s, struct kmm_page *slab);
void *kmm_slab_debug_alloc(struct kmm_kmem_cache *s, kmm_gfp_t gfp, int *cpup, unsigned long ip);
void kmm_slab_debug_free(struct kmm_kmem_cache *s, struct kmm_page *slab, void *obj,
			 unsigned long ip);
int kmm_slab_debug_check(struct kmm_kmem_cache *s);
struct kmm_page *kmm_slab_new(struct kmm_kmem_cache *s, kmm_gfp_t gfp);
void kmm_slab_discard(struct kmm_kmem_cache *s, struct kmm_page *slab);

/* The first object of a slab (fixup_red_left). */
static inline char *kmm_slab_first_object(struct kmm_kmem_cache *s, struct kmm_page *slab)
{
	return (char *)kmm_slab_address(s->m, slab) + s->red_left_pad;
}

/*
 * slab_alloc_node()'s fast path: pop the CPU's freelist of the active slab.
 * Expected cost: the CPU entry, two loads, a store, the CPU exit.
 */
/* KASAN: an object given out is open over `size` bytes, a freed one poisoned whole. */
static inline void kmm_slab_kasan_alloc(struct kmm_kmem_cache *s, void *obj, size_t size)
{
#ifdef KMM_KASAN
	if (!(s->flags & KMM_SLAB_KASAN_SKIP)) {
		kmm_kasan_unpoison(obj, size);
		if (size < s->object_size)
			kmm_kasan_poison((char *)obj + size, s->object_size - size);
	}
#else
	(void)s, (void)obj, (void)size;
#endif
}

static inline void kmm_slab_kasan_free(struct kmm_kmem_cache *s, void *obj)
{
#ifdef KMM_KASAN
	if (!(s->flags & KMM_SLAB_KASAN_SKIP))
		kmm_kasan_poison(obj, s->object_size);
#else
	(void)s, (void)obj;
#endif
}

void *kmm_slab_alloc_hooked(struct kmm_kmem_cache *s, kmm_gfp_t gfp, unsigned long ip);
void kmm_slab_free_hook(struct kmm_kmem_cache *s, void *obj);

/*
 * The fast section of slab_alloc_node(): pop the CPU's freelist. NULL when
 * a hook is on, the section cannot run (platform.h) or the freelist is
 * empty: the caller then takes the whole path, which does it all again.
 */
static inline __attribute__((always_inline)) void *kmm_slab_alloc_fast(struct kmm_machine *m,
									struct kmm_kmem_cache *s)
{
	struct kmm_kmem_cache_cpu *c;
	kmm_plat_fast_t tok;
	void *obj;
	int cpu;

	if (unlikely(KMM_READ_ONCE(m->slab_hooks)))
		return NULL;
	cpu = kmm_plat_cpu_fast_enter(m, &tok);
	if (unlikely(cpu < 0))
		return NULL;
	c = &s->cpu_slab[cpu];
	obj = c->freelist;
	if (likely(obj))
		c->freelist = kmm_get_freepointer(s, obj);
	kmm_plat_cpu_fast_exit(m, tok);
	return obj;
}

/* What slab_alloc_node() does to an object it gives out: KASAN's view, __GFP_ZERO. */
static inline __attribute__((always_inline)) void *kmm_slab_post_alloc(struct kmm_kmem_cache *s,
									kmm_gfp_t gfp, void *obj)
{
	kmm_slab_kasan_alloc(s, obj, s->object_size);
	if (unlikely(gfp & KMM___GFP_ZERO))
		kmm_memset(obj, 0, s->object_size);
	return obj;
}

/* The whole path, out of line: the CPU entered by kmm_plat_cpu_get, hooks, refills. */
void *kmm_slab_alloc_full(struct kmm_machine *m, struct kmm_kmem_cache *s, kmm_gfp_t gfp,
			  unsigned long ip);

static inline __attribute__((always_inline)) void *__kmm_slab_alloc(struct kmm_machine *m,
								     struct kmm_kmem_cache *s,
								     kmm_gfp_t gfp,
								     unsigned long ip)
{
	struct kmm_kmem_cache_cpu *c;
	void *obj;
	int cpu = kmm_plat_cpu_get(m);

	if (unlikely(cpu < 0))
		return NULL;
	c = &s->cpu_slab[cpu];
	obj = c->freelist;
	if (unlikely(!obj))
		return kmm_slab_alloc_slow(s, gfp, cpu, ip);
	c->freelist = kmm_get_freepointer(s, obj);
	kmm_plat_cpu_put(m);
	return kmm_slab_post_alloc(s, gfp, obj);
}

/*
 * slab_alloc_node(): failslab, init_on_alloc and kmemleak, when on, take the
 * hooked path. The machine is passed by callers that have it (kmalloc), so
 * the hook test and the CPU entry need not wait for the load of s->m.
 */
static inline __attribute__((always_inline)) void *kmm_slab_alloc_m(struct kmm_machine *m,
								     struct kmm_kmem_cache *s,
								     kmm_gfp_t gfp,
								     unsigned long ip)
{
	void *obj = kmm_slab_alloc_fast(m, s);

	if (unlikely(!obj))
		return kmm_slab_alloc_full(m, s, gfp, ip);
	return kmm_slab_post_alloc(s, gfp, obj);
}

static inline __attribute__((always_inline)) void *kmm_slab_alloc(struct kmm_kmem_cache *s,
								   kmm_gfp_t gfp,
								   unsigned long ip)
{
	return kmm_slab_alloc_m(s->m, s, gfp, ip);
}

/* do_slab_free(), the whole path, out of line: hooks, another slab, the naive double-free check. */
void kmm_slab_free_full(struct kmm_machine *m, struct kmm_kmem_cache *s, struct kmm_page *slab,
			void *obj, unsigned long ip);

/*
 * do_slab_free()'s fast section: an object of the CPU's active slab that is
 * not the freelist's head goes on the freelist. Anything else (a free hook,
 * another slab, the head itself: a double free) takes the whole path.
 */
static inline __attribute__((always_inline)) void
kmm_slab_free_obj(struct kmm_machine *m, struct kmm_kmem_cache *s, struct kmm_page *slab,
		  void *obj, unsigned long ip)
{
	struct kmm_kmem_cache_cpu *c;
	kmm_plat_fast_t tok;
	int cpu;

	if (likely(!(KMM_READ_ONCE(m->slab_hooks) &
		     (KMM_SLAB_HOOK_INIT_ON_FREE | KMM_SLAB_HOOK_KMEMLEAK)))) {
		cpu = kmm_plat_cpu_fast_enter(m, &tok);
		if (likely(cpu >= 0)) {
			c = &s->cpu_slab[cpu];
			if (likely(slab == c->slab && obj != c->freelist)) {
				kmm_slab_kasan_free(s, obj);
				kmm_set_freepointer(s, obj, c->freelist);
				c->freelist = obj;
				kmm_plat_cpu_fast_exit(m, tok);
				return;
			}
			kmm_plat_cpu_fast_exit(m, tok);
		}
	}
	kmm_slab_free_full(m, s, slab, obj, ip);
}

struct kmm_kmem_cache *kmm_create_cache(struct kmm_machine *m, const char *name,
					unsigned int size, unsigned int align,
					unsigned long flags, unsigned int useroffset,
					unsigned int usersize, void (*ctor)(void *), bool kmalloc);
int kmm_kmalloc_init(struct kmm_machine *m);

#endif /* KMM_CORE_SLAB_H */
