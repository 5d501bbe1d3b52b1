/* SPDX-License-Identifier: MIT */
/*
 * The slab allocator, as SLUB (mm/slub.c, mm/slab_common.c).
 *
 * 1. What it allocates. Objects of one size from a cache. A slab is one
 *    compound block of 2^order pages cut into `objects` objects of stride
 *    `size`; a free object holds the address of the next free one at
 *    `offset` (the middle of the object, or just after it when a
 *    constructor's state must survive). The slab's head struct page records:
 *      flags     PG_slab (and PG_head when order > 0)
 *      lru.next  the cache (constant: compound_head() stays right, as in Linux)
 *      mapping   the link on a partial list
 *      index     the slab's own freelist
 *      lru.prev  inuse | objects << 32
 *      private   the state word: FROZEN(cpu), PARTIAL or FULL
 *      virtual   the remote-free stack (a lock-free Treiber stack)
 *
 * 2. The fast paths. Each CPU has an active slab, frozen to it, whose free
 *    objects sit on the CPU's freelist. kmem_cache_alloc pops that list and
 *    kmem_cache_free of an object of the active slab pushes it: no lock and
 *    no atomic read-modify-write, only the CPU ownership that every kernel
 *    entry takes. While frozen, a slab counts every object as in use; the
 *    real count is taken when the slab leaves the CPU.
 *
 * 3. Frees elsewhere. An object of a slab frozen to this CPU (one of its
 *    partial slabs) goes on that slab's freelist. Any other object goes on
 *    its slab's remote stack with one compare-and-swap, from any CPU: lock
 *    free, as SLUB's cmpxchg on slab->freelist. The owner takes the whole
 *    stack with one exchange when its lists run dry. A slab that left its
 *    CPU with no free object is FULL and on no list, with FULL_TAG in its
 *    remote-stack word; the first remote free replaces the tag by its
 *    object (that one compare-and-swap decides between the freer and an
 *    owner taking the slab back) and puts the slab, now PARTIAL, on the
 *    node partial list. No freer touches a slab after its push otherwise.
 *
 * 4. Slow paths. An empty CPU freelist is refilled from the active slab's
 *    own freelist or remote stack, then from the CPU's partial slabs, then
 *    from the node partial list (taking up to half the per-CPU budget along),
 *    then from a new slab from the page allocator (the preferred order
 *    without warnings or retries, then the minimum order with the caller's
 *    flags). Slab order, min_partial and the per-CPU partial budget are
 *    chosen as SLUB chooses them.
 *
 * 5. Giving memory back. Flushing a CPU (kmm_quiesce, kmem_cache_shrink,
 *    destroy) returns its slabs with their true counts to the node: empty
 *    slabs beyond min_partial go back to the page allocator; shrink gives
 *    back every empty slab.
 *
 * Invariants (kmm_slab_check): every object of a slab is on exactly one of
 * the CPU freelist, the slab freelist, the remote stack, or in use; a node
 * partial slab has inuse == objects - free objects found; nr_slabs and
 * total_objects equal the slabs walked.
 *
 * Lock order: CPU -> list_lock -> zone->lock (through the page allocator).
 */
#include "slab.h"

#define SLAB_NEVER_MERGE                                                                  \
	(KMM_SLAB_RED_ZONE | KMM_SLAB_POISON | KMM_SLAB_STORE_USER | KMM_SLAB_TRACE |     \
	 KMM_SLAB_TYPESAFE_BY_RCU | KMM_SLAB_NOLEAKTRACE | KMM_SLAB_FAILSLAB | KMM_SLAB_NO_MERGE)
#define SLAB_MERGE_SAME                                                                   \
	(KMM_SLAB_RECLAIM_ACCOUNT | KMM_SLAB_CACHE_DMA | KMM_SLAB_CACHE_DMA32 | KMM_SLAB_ACCOUNT)
#define MAX_OBJS_PER_PAGE 32767
#define MIN_PARTIAL 5
#define MAX_PARTIAL 10

/*
 * The state word needs no full barrier: FROZEN(cpu) is set and cleared only
 * by the holder of that CPU, so a freer that reads its own CPU's mark reads
 * what it wrote; any other value sends it to the remote stack, whose
 * compare-and-swap orders what matters (the FULL tag).
 */
static inline unsigned long slab_state(struct kmm_page *slab)
{
	return __atomic_load_n(&slab->private, __ATOMIC_ACQUIRE);
}

static inline void set_slab_state(struct kmm_page *slab, unsigned long st)
{
	__atomic_store_n(&slab->private, st, __ATOMIC_RELEASE);
}

/*
 * The remote stack's word also marks a FULL slab: FULL_TAG (objects are
 * word aligned, so bit 0 is free) where a stack would be. Only a slab on no
 * list carries it, and the freer whose push replaces it is the one that
 * lists the slab again: the push and the FULL test are one compare-and-swap,
 * so no freer looks at a slab after its object went on the stack (the owner
 * may by then have emptied and given back the slab).
 */
#define FULL_TAG ((void *)1)

static inline void *take_remote(struct kmm_page *slab)
{
	if (!__atomic_load_n(&slab->virtual, __ATOMIC_RELAXED))
		return NULL;
	return __atomic_exchange_n(&slab->virtual, NULL, __ATOMIC_ACQUIRE);
}

/* ---- sizes and orders (calculate_sizes, calculate_order) ---- */

static unsigned int fls_u(unsigned int x)
{
	return x ? 32 - (unsigned int)__builtin_clz(x) : 0;
}

static unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((KMM_PAGE_SIZE << order) / size);
}

static unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
				    unsigned int max_order, unsigned int fract)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned int slab = (unsigned int)(KMM_PAGE_SIZE << order);

		if (slab % size <= slab / fract)
			break;
	}
	return order;
}

static int calculate_order(struct kmm_machine *m, unsigned int size)
{
	struct kmm_slab_state *ss = m->slab;
	unsigned int min_objects = ss->min_objects, max_objects, min_order, order;

	if (!min_objects)
		min_objects = 4 * (fls_u(m->desc.nr_cpus) + 1);
	max_objects = order_objects(ss->max_order, size);
	if (max_objects < 1)
		max_objects = 1;
	if (min_objects > max_objects)
		min_objects = max_objects;
	min_order = kmm_get_order((unsigned long)min_objects * size);
	if (min_order < ss->min_order)
		min_order = ss->min_order;
	if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
		return (int)kmm_get_order((unsigned long)size * MAX_OBJS_PER_PAGE) - 1;
	for (unsigned int fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, ss->max_order, fraction);
		if (order <= ss->max_order)
			return (int)order;
	}
	order = kmm_get_order(size);
	return order <= m->desc.max_order ? (int)order : -1;
}

static unsigned int calculate_alignment(unsigned long flags, unsigned int align, unsigned int size)
{
	if (flags & KMM_SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = KMM_SMP_CACHE_BYTES;

		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < 8)
		align = 8;	/* ARCH_SLAB_MINALIGN */
	return (align + sizeof(void *) - 1) & ~(unsigned int)(sizeof(void *) - 1);
}

/* div_shift, div_inv, div_lim of s->size (slab.h): Newton's iteration doubles the bits of the inverse. */
static void stride_divisor(struct kmm_kmem_cache *s)
{
	uint32_t odd = s->size, inv;

	s->div_shift = (unsigned int)__builtin_ctz(odd);
	odd >>= s->div_shift;
	inv = odd;	/* right in the low 3 bits: odd * odd == 1 mod 8 */
	for (int i = 0; i < 4; i++)
		inv *= 2 - odd * inv;
	s->div_inv = inv;
	s->div_lim = UINT32_MAX / odd;
}

_Static_assert(KMM_PAGE_SIZE << KMM_MAX_PAGE_ORDER_LIMIT <= (1UL << 32) - 1,
	       "slab offsets fit the 32-bit divisibility test");

static int calculate_sizes(struct kmm_machine *m, struct kmm_kmem_cache *s)
{
	unsigned int size = (s->object_size + sizeof(void *) - 1) & ~(unsigned int)(sizeof(void *) - 1);
	unsigned int nr;
	int order;

	/* a red zone needs at least one word after the object */
	if ((s->flags & KMM_SLAB_RED_ZONE) && size == s->object_size)
		size += sizeof(void *);
	s->inuse = size;
	if (s->ctor || (s->flags & (KMM_SLAB_TYPESAFE_BY_RCU | KMM_SLAB_POISON)) ||
	    ((s->flags & KMM_SLAB_RED_ZONE) && s->object_size < sizeof(void *))) {
		/* the free pointer may not overwrite the object: it goes after it */
		s->offset = size;
		size += sizeof(void *);
	} else {
		s->offset = (s->object_size / 2) & ~(unsigned int)(sizeof(void *) - 1);
	}
	if (s->flags & KMM_SLAB_DEBUG_FLAGS)
		size = kmm_slab_debug_sizes(s, size);
	size = (size + s->align - 1) & ~(s->align - 1);
	s->size = size;
	stride_divisor(s);
	order = calculate_order(m, size);
	if (order < 0)
		return -1;
	s->order = (unsigned int)order;
	s->objects = order_objects(s->order, size);
	s->min_order = kmm_get_order(size);
	s->min_objects = order_objects(s->min_order, size);
	if (!s->objects)
		return -1;
	nr = fls_u(size) - 1;	/* ilog2 */
	s->min_partial = nr / 2 < MIN_PARTIAL ? MIN_PARTIAL : nr / 2 > MAX_PARTIAL ? MAX_PARTIAL : nr / 2;
	/* slub_set_cpu_partial(): an object budget by size, as slabs */
	nr = size >= KMM_PAGE_SIZE ? 6 : size >= 1024 ? 24 : size >= 256 ? 52 : 120;
	s->cpu_partial_slabs = (nr * 2 + s->objects - 1) / s->objects;
	return 0;
}

/* ---- slabs ---- */

static unsigned int gcd_u(unsigned int a, unsigned int b)
{
	while (b) {
		unsigned int t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* A 64-bit draw (splitmix64 over a counter): freelist order and the hardened pointer key. */
uint64_t kmm_slab_random(struct kmm_machine *m)
{
	uint64_t z = __atomic_add_fetch(&m->slab->rnd, 0x9e3779b97f4a7c15ULL, __ATOMIC_RELAXED);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct kmm_page *kmm_slab_new(struct kmm_kmem_cache *s, kmm_gfp_t gfp)
{
	struct kmm_machine *m = s->m;
	kmm_gfp_t flags = (gfp & (KMM___GFP_RECLAIM | KMM___GFP_IO | KMM___GFP_FS | KMM___GFP_HIGH |
				  KMM___GFP_NOWARN | KMM___GFP_NOFAIL | KMM___GFP_NORETRY |
				  KMM___GFP_RETRY_MAYFAIL | KMM___GFP_MEMALLOC | KMM___GFP_NOMEMALLOC)) |
			  s->allocflags | KMM___GFP_COMP;
	unsigned int order = s->order, objects = s->objects;
	struct kmm_page *slab;
	char *base, *p;

	/* the preferred order quietly and without retries, then the minimum that fits */
	if (order > s->min_order) {
		kmm_gfp_t try = (flags | KMM___GFP_NOWARN | KMM___GFP_NORETRY) & ~KMM___GFP_NOFAIL;

		if (try & KMM___GFP_DIRECT_RECLAIM)
			try = (try | KMM___GFP_NOMEMALLOC) & ~KMM___GFP_RECLAIM;
		slab = kmm_alloc_pages(m, try, order);
		if (!slab) {
			order = s->min_order;
			objects = s->min_objects;
			slab = kmm_alloc_pages(m, flags, order);
		}
	} else {
		slab = kmm_alloc_pages(m, flags, order);
	}
	if (!slab)
		return NULL;
	slab->flags |= 1UL << KMM_PG_slab;
	slab->lru.next = (struct kmm_list_head *)s;
	slab->mapping = NULL;
	base = kmm_slab_first_object(s, slab);
	kmm_slab_set_counts(slab, 0, objects);
	if (s->flags & KMM_SLAB_DEBUG_FLAGS)
		kmm_slab_debug_init_slab(s, slab);
	/* constructors run once per object, when the slab is made */
	if (s->ctor)
		for (unsigned int i = 0; i < objects; i++)
			s->ctor(base + (size_t)i * s->size);
	if (m->slab->freelist_random && objects > 1) {
		/*
		 * shuffle_freelist(): the objects in a random order. i -> (a*i + b)
		 * mod objects, with a prime to objects, is a permutation; a and b
		 * are drawn for each slab.
		 */
		uint64_t r = kmm_slab_random(m);
		unsigned int a = (unsigned int)(r % objects) | 1, b = (unsigned int)((r >> 32) % objects);
		char *prev = NULL;

		while (gcd_u(a, objects) != 1)
			a += 2;
		for (unsigned int i = 0; i < objects; i++) {
			p = base + (size_t)(((uint64_t)a * i + b) % objects) * s->size;
			if (prev)
				kmm_set_freepointer(s, prev, p);
			else
				slab->index = (unsigned long)p;
			prev = p;
		}
		kmm_set_freepointer(s, prev, NULL);
	} else {
		/* in address order */
		for (unsigned int i = 0; i < objects; i++) {
			p = base + (size_t)i * s->size;
			kmm_set_freepointer(s, p, i + 1 < objects ? p + s->size : NULL);
		}
		slab->index = (unsigned long)base;
	}
	if (!(s->flags & KMM_SLAB_KASAN_SKIP))
		kmm_kasan_poison(kmm_slab_address(m, slab), KMM_PAGE_SIZE << kmm_compound_order(slab));
	slab->virtual = NULL;
	__atomic_add_fetch(&s->nr_slabs, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->total_objects, (long)objects, __ATOMIC_RELAXED);
	return slab;
}

void kmm_slab_discard(struct kmm_kmem_cache *s, struct kmm_page *slab)
{
	unsigned int order = kmm_compound_order(slab);

	__atomic_sub_fetch(&s->nr_slabs, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&s->total_objects, (long)kmm_slab_objects(slab), __ATOMIC_RELAXED);
	kmm_kasan_unpoison(kmm_slab_address(s->m, slab), KMM_PAGE_SIZE << order);
	slab->flags &= ~(1UL << KMM_PG_slab);
	slab->mapping = NULL;
	slab->index = 0;
	slab->private = 0;
	slab->virtual = NULL;
	slab->lru.next = slab->lru.prev = NULL;
	slab->mapping = NULL;
	kmm___free_pages(s->m, slab, order);
}

static unsigned int list_length(struct kmm_kmem_cache *s, void *p)
{
	unsigned int n = 0;

	for (; p; p = kmm_get_freepointer(s, p))
		n++;
	return n;
}

/* Appends list b to list a (either may be empty); returns the head. */
static void *list_concat(struct kmm_kmem_cache *s, void *a, void *b)
{
	void *t = a;

	if (!a)
		return b;
	while (kmm_get_freepointer(s, t))
		t = kmm_get_freepointer(s, t);
	kmm_set_freepointer(s, t, b);
	return a;
}

static void add_partial(struct kmm_kmem_cache *s, struct kmm_page *slab)
{
	kmm_spin_lock(&s->list_lock);
	kmm_slab_set_next(slab, s->partial);
	KMM_WRITE_ONCE(s->partial, slab);
	KMM_WRITE_ONCE(s->nr_partial, s->nr_partial + 1);
	kmm_spin_unlock(&s->list_lock);
}

/*
 * A slab leaves its CPU (deactivate_slab): with `freelist` (the CPU's free
 * objects of it, if it was the active one) its free objects are counted, and
 * it goes to the node partial list, to the page allocator if empty and the
 * node has min_partial slabs already, or becomes FULL.
 */
static void deactivate_slab(struct kmm_kmem_cache *s, struct kmm_page *slab, void *freelist,
			    int cpu, bool shrink)
{
	void *free;
	unsigned int nfree;

again:
	free = list_concat(s, freelist, (void *)slab->index);
	free = list_concat(s, free, take_remote(slab));
	freelist = NULL;
	slab->index = (unsigned long)free;
	nfree = list_length(s, free);
	kmm_slab_set_counts(slab, kmm_slab_objects(slab) - nfree, kmm_slab_objects(slab));
	if (!nfree) {
		void *empty = NULL;

		/* FULL, unless a remote free came first: then take its objects back */
		set_slab_state(slab, KMM_SLAB_ST_FULL);
		if (__atomic_compare_exchange_n(&slab->virtual, &empty, FULL_TAG, false,
						__ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			return;
		set_slab_state(slab, KMM_SLAB_FROZEN(cpu));
		goto again;
	}
	if (nfree == kmm_slab_objects(slab) &&
	    (shrink || KMM_READ_ONCE(s->nr_partial) >= s->min_partial)) {
		kmm_slab_discard(s, slab);
		return;
	}
	set_slab_state(slab, KMM_SLAB_ST_PARTIAL);
	add_partial(s, slab);
}

/* Makes a slab the CPU's active one; its own freelist becomes the CPU's. */
static void activate(struct kmm_kmem_cache_cpu *c, struct kmm_page *slab)
{
	c->slab = slab;
	c->freelist = (void *)slab->index;
	slab->index = 0;
}

/* get_partial_node(): one slab to use now, and more for the CPU's partial list. */
static struct kmm_page *get_partial_node(struct kmm_kmem_cache *s, struct kmm_kmem_cache_cpu *c,
					 int cpu)
{
	struct kmm_page *first = NULL;

	if (!KMM_READ_ONCE(s->partial))
		return NULL;
	kmm_spin_lock(&s->list_lock);
	while (s->partial) {
		struct kmm_page *slab = s->partial;

		KMM_WRITE_ONCE(s->partial, kmm_slab_next(slab));
		KMM_WRITE_ONCE(s->nr_partial, s->nr_partial - 1);
		set_slab_state(slab, KMM_SLAB_FROZEN(cpu));
		/* remote frees so far join the slab's own list */
		slab->index = (unsigned long)list_concat(s, (void *)slab->index, take_remote(slab));
		if (!first) {
			first = slab;
		} else {
			kmm_slab_set_next(slab, c->partial);
			c->partial = slab;
			KMM_WRITE_ONCE(c->nr_partial, c->nr_partial + 1);
		}
		if (!s->cpu_partial_slabs || c->nr_partial >= s->cpu_partial_slabs / 2)
			break;
	}
	kmm_spin_unlock(&s->list_lock);
	return first;
}

static __attribute__((noinline)) void *alloc_slow(struct kmm_kmem_cache *s, kmm_gfp_t gfp,
						  int *cpup)
{
	struct kmm_machine *m = s->m;
	struct kmm_kmem_cache_cpu *c;
	struct kmm_page *slab;
	void *obj;

retry:
	c = &s->cpu_slab[*cpup];
	if (c->freelist)
		goto pop;
	if (c->slab) {
		slab = c->slab;
		/* the active slab's own list (local frees while it was partial), then remote frees */
		c->freelist = (void *)slab->index;
		slab->index = 0;
		if (!c->freelist)
			c->freelist = take_remote(slab);
		if (c->freelist)
			goto pop;
		c->slab = NULL;
		deactivate_slab(s, slab, NULL, *cpup, false);
		goto retry;
	}
	if (c->partial) {
		slab = c->partial;
		c->partial = kmm_slab_next(slab);
		KMM_WRITE_ONCE(c->nr_partial, c->nr_partial - 1);
		activate(c, slab);
		goto retry;
	}
	slab = get_partial_node(s, c, *cpup);
	if (slab) {
		activate(c, slab);
		goto retry;
	}
	slab = kmm_slab_new(s, gfp);
	/* the page allocator may have slept: this task may be on another CPU now */
	*cpup = kmm_plat_cpu_id(m);
	c = &s->cpu_slab[*cpup];
	if (!slab)
		return NULL;
	set_slab_state(slab, KMM_SLAB_FROZEN(*cpup));
	if (c->slab) {
		kmm_slab_set_next(slab, c->partial);
		c->partial = slab;
		KMM_WRITE_ONCE(c->nr_partial, c->nr_partial + 1);
		goto retry;
	}
	activate(c, slab);
pop:
	obj = c->freelist;
	c->freelist = kmm_get_freepointer(s, obj);
	return obj;
}

void *kmm_slab_alloc_slow(struct kmm_kmem_cache *s, kmm_gfp_t gfp, int cpu, unsigned long ip)
{
	void *obj;

	if (unlikely(s->flags & KMM_SLAB_DEBUG_FLAGS))
		obj = kmm_slab_debug_alloc(s, gfp, &cpu, ip);
	else
		obj = alloc_slow(s, gfp, &cpu);

	kmm_plat_cpu_put(s->m);
	if (obj)
		kmm_slab_kasan_alloc(s, obj, s->object_size);
	if (obj && (gfp & KMM___GFP_ZERO))
		kmm_memset(obj, 0, s->object_size);
	return obj;
}

/*
 * put_cpu_partial(): a slab that a free on this CPU took out of FULL joins
 * the CPU's partial slabs, frozen to it, so that this CPU's next frees to it
 * are local pushes and its next refill takes no lock. Past the budget
 * (cpu_partial_slabs), the CPU's partial slabs first go to the node, as
 * SLUB's __put_partials() sends them, the empty ones beyond min_partial back
 * to the page allocator.
 */
static void put_cpu_partial(struct kmm_kmem_cache *s, struct kmm_page *slab, int cpu)
{
	struct kmm_kmem_cache_cpu *c = &s->cpu_slab[cpu];

	set_slab_state(slab, KMM_SLAB_FROZEN(cpu));
	/* the freed object (and any pushed since) joins the slab's own list, as in SLUB */
	slab->index = (unsigned long)list_concat(s, (void *)slab->index, take_remote(slab));
	if (c->nr_partial >= s->cpu_partial_slabs) {
		while (c->partial) {
			struct kmm_page *old = c->partial;

			c->partial = kmm_slab_next(old);
			KMM_WRITE_ONCE(c->nr_partial, c->nr_partial - 1);
			deactivate_slab(s, old, NULL, cpu, false);
		}
	}
	kmm_slab_set_next(slab, c->partial);
	c->partial = slab;
	KMM_WRITE_ONCE(c->nr_partial, c->nr_partial + 1);
}

/*
 * A free that is not to this CPU's slabs: onto the slab's remote stack, lock
 * free. The freer that takes a slab out of FULL (its push replaced the tag)
 * owns it: the slab goes to its CPU's partial slabs.
 */
static void remote_free(struct kmm_kmem_cache *s, struct kmm_page *slab, void *obj, int cpu)
{
	void *old = __atomic_load_n(&slab->virtual, __ATOMIC_RELAXED);

	do {
		kmm_set_freepointer(s, obj, old == FULL_TAG ? NULL : old);
	} while (!__atomic_compare_exchange_n(&slab->virtual, &old, obj, true, __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	if (old != FULL_TAG)
		return;
	if (s->cpu_partial_slabs) {
		put_cpu_partial(s, slab, cpu);
	} else {
		set_slab_state(slab, KMM_SLAB_ST_PARTIAL);
		add_partial(s, slab);
	}
}

void kmm_slab_free_slow(struct kmm_machine *m, struct kmm_kmem_cache *s, struct kmm_page *slab,
			void *obj, int cpu, unsigned long ip)
{
	if (unlikely(s->flags & KMM_SLAB_DEBUG_FLAGS)) {
		kmm_plat_cpu_put(m);
		kmm_slab_debug_free(s, slab, obj, ip);
		return;
	}
	if (slab_state(slab) == KMM_SLAB_FROZEN(cpu)) {
		/* one of this CPU's partial slabs: its own list is ours */
		kmm_set_freepointer(s, obj, (void *)slab->index);
		slab->index = (unsigned long)obj;
	} else {
		remote_free(s, slab, obj, cpu);
	}
	kmm_plat_cpu_put(m);
}

/*
 * The whole paths behind the inline fast sections (slab.h): the CPU taken
 * with kmm_plat_cpu_get, the hooks, refills and frees to other slabs.
 */
void *kmm_slab_alloc_full(struct kmm_machine *m, struct kmm_kmem_cache *s, kmm_gfp_t gfp,
			  unsigned long ip)
{
	if (unlikely(KMM_READ_ONCE(m->slab_hooks)))
		return kmm_slab_alloc_hooked(s, gfp, ip);
	return __kmm_slab_alloc(m, s, gfp, ip);
}

void kmm_slab_free_full(struct kmm_machine *m, struct kmm_kmem_cache *s, struct kmm_page *slab,
			void *obj, unsigned long ip)
{
	struct kmm_kmem_cache_cpu *c;
	int cpu;

	if (unlikely(KMM_READ_ONCE(m->slab_hooks) &
		     (KMM_SLAB_HOOK_INIT_ON_FREE | KMM_SLAB_HOOK_KMEMLEAK)))
		kmm_slab_free_hook(s, obj);
	kmm_slab_kasan_free(s, obj);
	cpu = kmm_plat_cpu_get(m);
	if (unlikely(cpu < 0))
		return;
	c = &s->cpu_slab[cpu];
	if (unlikely(slab != c->slab)) {
		kmm_slab_free_slow(m, s, slab, obj, cpu, ip);
		return;
	}
	if (unlikely(obj == c->freelist)) {
		/* CONFIG_SLAB_FREELIST_HARDENED's naive double-free detection */
		kmm_plat_cpu_put(m);
		kmm_slab_naive_double_free(s, obj);
		return;
	}
	kmm_set_freepointer(s, obj, c->freelist);
	c->freelist = obj;
	kmm_plat_cpu_put(m);
}

/* slab_want_init_on_alloc() / slab_want_init_on_free() */
static bool want_init(const struct kmm_kmem_cache *s)
{
	return !s->ctor && !(s->flags & (KMM_SLAB_TYPESAFE_BY_RCU | KMM_SLAB_POISON));
}

void *kmm_slab_alloc_hooked(struct kmm_kmem_cache *s, kmm_gfp_t gfp, unsigned long ip)
{
	struct kmm_machine *m = s->m;
	unsigned int hooks = KMM_READ_ONCE(m->slab_hooks);

	if ((hooks & KMM_SLAB_HOOK_FAILSLAB) && kmm_should_failslab(m, s->flags, s->object_size, gfp))
		return NULL;
	void *obj;

	if ((hooks & KMM_SLAB_HOOK_INIT_ON_ALLOC) && want_init(s))
		gfp |= KMM___GFP_ZERO;
	obj = __kmm_slab_alloc(m, s, gfp, ip);
	if ((hooks & KMM_SLAB_HOOK_KMEMLEAK) && obj && !(s->flags & KMM_SLAB_NOLEAKTRACE))
		kmm_kmemleak_alloc(m, obj, s->object_size, ip);
	return obj;
}

void kmm_slab_free_hook(struct kmm_kmem_cache *s, void *obj)
{
	unsigned int hooks = KMM_READ_ONCE(s->m->slab_hooks);

	if ((hooks & KMM_SLAB_HOOK_KMEMLEAK) && !(s->flags & KMM_SLAB_NOLEAKTRACE))
		kmm_kmemleak_free(s->m, obj);
	/* debug caches poison or keep their bytes for the checks, under their lock */
	if ((hooks & KMM_SLAB_HOOK_INIT_ON_FREE) && want_init(s) && !(s->flags & KMM_SLAB_DEBUG_FLAGS)) {
		kmm_kasan_unpoison(obj, s->object_size);	/* kmalloc's slack, poisoned again next */
		kmm_memset(obj, 0, s->object_size);
	}
}

void kmm_slab_update_hooks(struct kmm_machine *m)
{
	unsigned int h = 0;

	if (m->desc.init_on_alloc)
		h |= KMM_SLAB_HOOK_INIT_ON_ALLOC;
	if (m->desc.init_on_free)
		h |= KMM_SLAB_HOOK_INIT_ON_FREE;
	if (KMM_READ_ONCE(m->failslab.probability))
		h |= KMM_SLAB_HOOK_FAILSLAB;
	if (m->kmemleak)
		h |= KMM_SLAB_HOOK_KMEMLEAK;
	KMM_WRITE_ONCE(m->slab_hooks, h);
}

/* set_freepointer()'s BUG_ON(object == fp): reported, and the free is not applied. */
void kmm_slab_naive_double_free(struct kmm_kmem_cache *s, void *obj)
{
	kmm_warn_splat(s->m, "mm/slub.c", 494, "set_freepointer",
		       "%s: double free or corruption: object 0x%p is already the first free object",
		       s->name, obj);
}

#ifdef KMM_KASAN
__attribute__((no_sanitize_address, noinline)) uintptr_t kmm_slab_peek_word(const void *obj)
{
	return *(const volatile uintptr_t *)obj;
}

__attribute__((no_sanitize_address, noinline)) void kmm_slab_poke_word(void *obj, uintptr_t v)
{
	*(volatile uintptr_t *)obj = v;
}
#endif

/* ---- flushing and shrinking ---- */

static void flush_cpu(struct kmm_kmem_cache *s, int cpu, bool shrink)
{
	struct kmm_kmem_cache_cpu *c = &s->cpu_slab[cpu];

	if (c->slab) {
		struct kmm_page *slab = c->slab;

		c->slab = NULL;
		deactivate_slab(s, slab, c->freelist, cpu, shrink);
		c->freelist = NULL;
	}
	while (c->partial) {
		struct kmm_page *slab = c->partial;

		c->partial = kmm_slab_next(slab);
		KMM_WRITE_ONCE(c->nr_partial, c->nr_partial - 1);
		deactivate_slab(s, slab, NULL, cpu, shrink);
	}
}

struct flush_arg {
	struct kmm_kmem_cache *s;	/* NULL: every cache */
	bool shrink;
};

static void flush_on_cpu(struct kmm_machine *m, int cpu, void *arg)
{
	struct flush_arg *fa = arg;

	if (fa->s) {
		flush_cpu(fa->s, cpu, fa->shrink);
		return;
	}
	for (struct kmm_kmem_cache *s = m->slab->caches; s; s = s->next)
		flush_cpu(s, cpu, fa->shrink);
}

/* Counts the node partial slabs again and gives back every empty one. */
static int shrink_node(struct kmm_kmem_cache *s)
{
	struct kmm_page *keep = NULL, *empty = NULL, *slab;
	unsigned long kept = 0;

	kmm_spin_lock(&s->list_lock);
	while ((slab = s->partial)) {
		unsigned int nfree;

		KMM_WRITE_ONCE(s->partial, kmm_slab_next(slab));
		slab->index = (unsigned long)list_concat(s, (void *)slab->index, take_remote(slab));
		nfree = list_length(s, (void *)slab->index);
		kmm_slab_set_counts(slab, kmm_slab_objects(slab) - nfree, kmm_slab_objects(slab));
		if (nfree == kmm_slab_objects(slab)) {
			kmm_slab_set_next(slab, empty);
			empty = slab;
		} else {
			kmm_slab_set_next(slab, keep);
			keep = slab;
			kept++;
		}
	}
	KMM_WRITE_ONCE(s->partial, keep);
	KMM_WRITE_ONCE(s->nr_partial, kept);
	kmm_spin_unlock(&s->list_lock);
	while ((slab = empty)) {
		empty = kmm_slab_next(slab);
		kmm_slab_discard(s, slab);
	}
	return 0;
}

int kmm_kmem_cache_shrink(struct kmm_kmem_cache *s)
{
	struct flush_arg fa = { s, true };

	if (!s)
		return 0;
	kmm_plat_on_each_cpu(s->m, flush_on_cpu, &fa);
	return shrink_node(s);
}

void kmm_slab_quiesce(struct kmm_machine *m)
{
	struct flush_arg fa = { NULL, true };

	if (!m->slab)
		return;
	kmm_plat_on_each_cpu(m, flush_on_cpu, &fa);
	kmm_spin_lock(&m->slab->lock);
	for (struct kmm_kmem_cache *s = m->slab->caches; s; s = s->next)
		shrink_node(s);
	kmm_spin_unlock(&m->slab->lock);
}

/* ---- caches ---- */

static struct kmm_kmem_cache *find_mergeable(struct kmm_machine *m, const char *name,
					     unsigned int size,
					     unsigned int align, unsigned long flags,
					     unsigned int usersize, void (*ctor)(void *))
{
	struct kmm_kmem_cache *found = NULL;

	if (m->slab->nomerge || ctor || usersize || (flags & SLAB_NEVER_MERGE))
		return NULL;
	if (kmm_slab_debug_flags(m, name, flags) & SLAB_NEVER_MERGE)
		return NULL;
	size = (size + sizeof(void *) - 1) & ~(unsigned int)(sizeof(void *) - 1);
	align = calculate_alignment(flags, align, size);
	size = (size + align - 1) & ~(align - 1);
	/* the newest compatible cache, as list_for_each_entry_reverse finds it */
	for (struct kmm_kmem_cache *s = m->slab->caches; s; s = s->next) {
		if (s->ctor || s->usersize || (s->flags & SLAB_NEVER_MERGE) || s->refcount < 0)
			continue;
		if (size > s->size || (flags & SLAB_MERGE_SAME) != (s->flags & SLAB_MERGE_SAME))
			continue;
		if ((s->size & ~(align - 1)) != s->size || s->size - size >= sizeof(void *))
			continue;
		found = s;
	}
	return found;
}

static void cache_name(char *dst, const char *name)
{
	size_t i = 0;

	for (; name[i] && i < 63; i++)
		dst[i] = name[i];
	dst[i] = '\0';
}

struct kmm_kmem_cache *kmm_create_cache(struct kmm_machine *m, const char *name,
					unsigned int size, unsigned int align,
					unsigned long flags, unsigned int useroffset,
					unsigned int usersize, void (*ctor)(void *), bool kmalloc)
{
	struct kmm_slab_state *ss = m->slab;
	struct kmm_kmem_cache *s;

	s = ss->kmem_cache ? kmm_slab_alloc(ss->kmem_cache, KMM_GFP_KERNEL | KMM___GFP_ZERO, KMM_RET_IP) : NULL;
	if (!s)
		return NULL;
	s->m = m;
	s->flags = kmm_slab_debug_flags(m, name, flags) | (kmalloc ? KMM_SLAB_KMALLOC : 0);
	s->object_size = size;
	s->align = calculate_alignment(flags, align, size);
	s->ctor = ctor;
	s->useroffset = useroffset;
	s->usersize = usersize;
	s->kmalloc = kmalloc;
	s->refcount = 1;
	if (ss->freelist_hardened) {
		s->random = (uintptr_t)kmm_slab_random(m);
		s->fp_swab_mask = ~(uintptr_t)0;
	}
	cache_name(s->name, name);
	kmm_spin_lock_init(&s->list_lock);
	if (flags & KMM_SLAB_CACHE_DMA)
		s->allocflags |= KMM___GFP_DMA;
	if (flags & KMM_SLAB_CACHE_DMA32)
		s->allocflags |= KMM___GFP_DMA32;
	if (flags & KMM_SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= KMM___GFP_RECLAIMABLE;
	if (calculate_sizes(m, s)) {
		kmm_kmem_cache_free(ss->kmem_cache, s);
		return NULL;
	}
	/* kfree's mark of a freed object (kmalloc.c): where it overlays neither the free pointer nor debug bytes */
	if (kmalloc && s->offset && !(s->flags & KMM_SLAB_DEBUG_FLAGS))
		s->free_key = ss->free_key;
	kmm_spin_lock(&ss->lock);
	if (ss->caches_tail)
		ss->caches_tail->next = s;
	else
		ss->caches = s;
	ss->caches_tail = s;
	kmm_spin_unlock(&ss->lock);
	return s;
}

struct kmm_kmem_cache *kmm_kmem_cache_create_usercopy(struct kmm_machine *m, const char *name,
						      unsigned int size, unsigned int align,
						      unsigned long flags, unsigned int useroffset,
						      unsigned int usersize, void (*ctor)(void *))
{
	struct kmm_kmem_cache *s;
	const char *why = NULL;

	if (!m || !m->slab)
		why = "no slab allocator (the machine stopped at memblock)";
	else if (!name || !*name)
		why = "a cache needs a name";
	else if (size < sizeof(void *) && size == 0)
		why = "object size 0";
	else if (size > (KMM_PAGE_SIZE << m->desc.max_order))
		why = "object larger than the largest slab";
	else if (align & (align - 1))
		why = "alignment is not a power of two";
	else if (usersize && (useroffset > size || usersize > size - useroffset))
		why = "usercopy region outside the object";
	if (why) {
		if (m && m->slab)
			kmm_core_printk(m, KMM_KERN_ERR "kmem_cache_create(%s) failed with error -22: %s\n",
					name ? name : "(null)", why);
		goto fail;
	}
	kmm_spin_lock(&m->slab->lock);
	s = find_mergeable(m, name, size, align, flags, usersize, ctor);
	if (s) {
		s->refcount++;
		kmm_spin_unlock(&m->slab->lock);
		return s;
	}
	kmm_spin_unlock(&m->slab->lock);
	s = kmm_create_cache(m, name, size, align, flags, useroffset, usersize, ctor, false);
	if (s)
		return s;
	kmm_core_printk(m, KMM_KERN_ERR "kmem_cache_create(%s) failed with error -12\n", name);
fail:
	if (m && (flags & KMM_SLAB_PANIC) && m->slab)
		kmm_core_printk(m, KMM_KERN_EMERG "Kernel panic - not syncing: kmem_cache_create: Failed to create slab '%s'. Error -22\n",
				name ? name : "(null)");
	return NULL;
}

struct kmm_kmem_cache *kmm_kmem_cache_create(struct kmm_machine *m, const char *name,
					     unsigned int size, unsigned int align,
					     unsigned long flags, void (*ctor)(void *))
{
	return kmm_kmem_cache_create_usercopy(m, name, size, align, flags, 0, 0, ctor);
}

unsigned int kmm_kmem_cache_size(struct kmm_kmem_cache *s)
{
	return s->object_size;
}

const char *kmm_kmem_cache_name(struct kmm_kmem_cache *s)
{
	return s->name;
}

/* The objects still allocated in a cache that is being destroyed, reported as SLUB does. */
static void report_leftovers(struct kmm_kmem_cache *s)
{
	struct kmm_machine *m = s->m;

	kmm_core_printk(m, KMM_KERN_ERR "=============================================================================\n");
	kmm_core_printk(m, KMM_KERN_ERR "BUG %s (Not tainted): Objects remaining on __kmem_cache_shutdown()\n", s->name);
	kmm_core_printk(m, KMM_KERN_ERR "-----------------------------------------------------------------------------\n\n");
	kmm_spin_lock(&s->list_lock);
	for (struct kmm_page *slab = s->partial; slab; slab = kmm_slab_next(slab)) {
		char *base = kmm_slab_first_object(s, slab);

		kmm_core_printk(m, KMM_KERN_ERR "Slab 0x%p objects=%u used=%u fp=0x%p flags=0x%lx\n",
				(void *)slab, kmm_slab_objects(slab), kmm_slab_inuse(slab),
				(void *)slab->index, slab->flags & 0xffffff);
		for (unsigned int i = 0; i < kmm_slab_objects(slab); i++) {
			char *obj = base + (size_t)i * s->size;
			bool free = false;

			for (void *p = (void *)slab->index; p && !free; p = kmm_get_freepointer(s, p))
				free = p == obj;
			if (!free)
				kmm_core_printk(m, KMM_KERN_ERR "Object 0x%p @offset=%lu\n", (void *)obj,
						(unsigned long)(obj - base + s->red_left_pad));
		}
	}
	kmm_spin_unlock(&s->list_lock);
	if (s->nr_partial != (unsigned long)s->nr_slabs)
		kmm_core_printk(m, KMM_KERN_ERR "%ld slab(s) with every object in use\n",
				s->nr_slabs - (long)s->nr_partial);
	kmm_warn_splat(m, "mm/slab_common.c", 510, "kmem_cache_destroy",
		       "kmem_cache_destroy %s: Slab cache still has objects when called from kmm_kmem_cache_destroy",
		       s->name);
}

void kmm_kmem_cache_destroy(struct kmm_kmem_cache *s)
{
	struct kmm_machine *m;
	struct kmm_slab_state *ss;
	bool last;

	if (!s)
		return;
	m = s->m;
	ss = m->slab;
	kmm_spin_lock(&ss->lock);
	last = --s->refcount == 0;
	kmm_spin_unlock(&ss->lock);
	if (!last)
		return;
	kmm_kmem_cache_shrink(s);
	if (__atomic_load_n(&s->nr_slabs, __ATOMIC_RELAXED)) {
		/* leak it, registered, as the kernel does */
		report_leftovers(s);
		return;
	}
	kmm_spin_lock(&ss->lock);
	for (struct kmm_kmem_cache **pp = &ss->caches, *prev = NULL; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			if (ss->caches_tail == s)
				ss->caches_tail = prev;
			break;
		}
	}
	kmm_spin_unlock(&ss->lock);
	kmm_kmem_cache_free(ss->kmem_cache, s);
}

struct kmm_kmem_cache *kmm_slab_cache_next(struct kmm_machine *m, struct kmm_kmem_cache *prev)
{
	if (!m->slab)
		return NULL;
	return prev ? prev->next : m->slab->caches;
}

void kmm_kmem_cache_stats(struct kmm_kmem_cache *s, struct kmm_slab_stats *st)
{
	struct kmm_machine *m = s->m;
	unsigned long partial_free = 0, partial = 0, cpu_slabs = 0;

	kmm_spin_lock(&s->list_lock);
	/*
	 * SLUB's count_partial() reads counters that every free keeps; here a
	 * free to a node partial slab went on its remote stack, which only grows
	 * while list_lock is held (its objects are taken under it): counted.
	 */
	for (struct kmm_page *slab = s->partial; slab; slab = kmm_slab_next(slab)) {
		partial_free += kmm_slab_objects(slab) - kmm_slab_inuse(slab) +
				list_length(s, __atomic_load_n(&slab->virtual, __ATOMIC_ACQUIRE));
		partial++;
	}
	kmm_spin_unlock(&s->list_lock);
	for (unsigned int cpu = 0; cpu < m->desc.nr_cpus; cpu++)
		cpu_slabs += (KMM_READ_ONCE(s->cpu_slab[cpu].slab) != NULL) +
			     KMM_READ_ONCE(s->cpu_slab[cpu].nr_partial);
	*st = (struct kmm_slab_stats){
		.num_slabs = (unsigned long)__atomic_load_n(&s->nr_slabs, __ATOMIC_RELAXED),
		.num_objs = (unsigned long)__atomic_load_n(&s->total_objects, __ATOMIC_RELAXED),
		.partial_slabs = partial, .cpu_slabs = cpu_slabs,
		.object_size = s->object_size, .size = s->size, .objs_per_slab = s->objects,
		.order = s->order, .align = s->align, .min_partial = s->min_partial,
		.cpu_partial_slabs = s->cpu_partial_slabs, .aliases = s->refcount - 1,
		.flags = s->flags,
	};
	/* as SLUB's slabinfo: the CPUs' slabs count as in use */
	st->active_slabs = st->num_slabs;
	st->active_objs = st->num_objs > partial_free ? st->num_objs - partial_free : 0;
}

/* ---- the kmem_cache cache and boot ---- */

void kmm_slab_large_kmalloc_account(struct kmm_machine *m, long pages)
{
	struct kmm_slab_state *ss = m->slab;
	int cpu = kmm_plat_cpu_get(m);

	if (likely(cpu >= 0)) {
		long *c = &ss->pcpu[cpu].large_kmalloc_pages;

		__atomic_store_n(c, *c + pages, __ATOMIC_RELAXED);
		kmm_plat_cpu_put(m);
		return;
	}
	__atomic_add_fetch(&ss->large_kmalloc_pages, pages, __ATOMIC_RELAXED);
}

long kmm_slab_large_kmalloc_pages(struct kmm_machine *m)
{
	struct kmm_slab_state *ss = m->slab;
	long n = __atomic_load_n(&ss->large_kmalloc_pages, __ATOMIC_RELAXED);

	for (unsigned int cpu = 0; cpu < m->desc.nr_cpus; cpu++)
		n += __atomic_load_n(&ss->pcpu[cpu].large_kmalloc_pages, __ATOMIC_RELAXED);
	return n;
}

int kmm_slab_init(struct kmm_machine *m)
{
	struct kmm_slab_state *ss;
	struct kmm_kmem_cache *kc;
	size_t kc_size = sizeof(struct kmm_kmem_cache) +
			 sizeof(struct kmm_kmem_cache_cpu) * m->desc.nr_cpus;

	/* the bootstrap: the state and the kmem_cache cache's own struct from pages */
	/* and the per-CPU counters after them (kc_size is a multiple of the line) */
	ss = kmm_alloc_pages_exact(m, sizeof(*ss) + kc_size + KMM_SMP_CACHE_BYTES +
				   sizeof(struct kmm_slab_pcpu) * m->desc.nr_cpus,
				   KMM_GFP_KERNEL | KMM___GFP_ZERO);
	if (!ss)
		return -12;
	kmm_spin_lock_init(&ss->lock);
	ss->max_order = KMM_PAGE_ALLOC_COSTLY_ORDER;
	ss->nomerge = m->desc.slab_nomerge;
	ss->freelist_random = m->desc.slab_freelist_random;
	ss->freelist_hardened = m->desc.slab_freelist_hardened;
	ss->rnd = kmm_plat_clock_ns(m) ^ (uint64_t)(uintptr_t)ss;
	if (m->desc.slab_max_order >= 0)
		ss->max_order = (unsigned int)m->desc.slab_max_order;
	if (m->desc.slab_min_order >= 0)
		ss->min_order = (unsigned int)m->desc.slab_min_order;
	if (ss->min_order > ss->max_order)
		ss->max_order = ss->min_order;
	if (m->desc.slab_min_objects > 0)
		ss->min_objects = (unsigned int)m->desc.slab_min_objects;
	m->slab = ss;
	ss->free_key = (uintptr_t)kmm_slab_random(m) | 1;
	kmm_slab_debug_boot(m);
	kc = (struct kmm_kmem_cache *)(((uintptr_t)(ss + 1) + KMM_SMP_CACHE_BYTES - 1) &
				       ~(uintptr_t)(KMM_SMP_CACHE_BYTES - 1));
	ss->pcpu = (struct kmm_slab_pcpu *)((char *)kc + kc_size);
	kc->m = m;
	kc->object_size = (unsigned int)kc_size;
	kc->align = calculate_alignment(KMM_SLAB_HWCACHE_ALIGN, 0, (unsigned int)kc_size);
	kc->flags = KMM_SLAB_HWCACHE_ALIGN | KMM_SLAB_NO_MERGE;
	kc->refcount = 1;
	cache_name(kc->name, "kmem_cache");
	kmm_spin_lock_init(&kc->list_lock);
	if (calculate_sizes(m, kc))
		return -12;
	ss->caches = ss->caches_tail = kc;
	ss->kmem_cache = kc;
	return kmm_kmalloc_init(m);
}

/* ---- the integrity walker ---- */

static int check_cache(struct kmm_machine *m, struct kmm_kmem_cache *s)
{
	long slabs = 0, objects = 0;
	int bad = 0;

#define SBAD(...)                                                                        \
	do {                                                                             \
		if (bad++ < 20)                                                          \
			kmm_core_printk(m, KMM_KERN_ERR "slab check: " __VA_ARGS__);     \
	} while (0)

	kmm_spin_lock(&s->list_lock);
	for (struct kmm_page *slab = s->partial; slab; slab = kmm_slab_next(slab)) {
		char *base = kmm_slab_first_object(s, slab),
		     *end = (char *)kmm_slab_address(m, slab) + (KMM_PAGE_SIZE << kmm_compound_order(slab));
		unsigned int nfree = 0;

		slabs++;
		objects += kmm_slab_objects(slab);
		if (kmm_slab_cache(slab) != s || !(slab->flags & (1UL << KMM_PG_slab)))
			SBAD("%s: partial slab %p is not a slab of this cache\n", s->name, (void *)slab);
		if (slab_state(slab) != KMM_SLAB_ST_PARTIAL)
			SBAD("%s: partial slab %p has state %lu\n", s->name, (void *)slab, slab_state(slab));
		for (char *p = (char *)slab->index; p; p = kmm_get_freepointer(s, p)) {
			if (p < base || p >= end || (size_t)(p - base) % s->size) {
				SBAD("%s: slab %p freelist points to %p, outside its objects\n", s->name,
				     (void *)slab, (void *)p);
				break;
			}
			if (++nfree > kmm_slab_objects(slab)) {
				SBAD("%s: slab %p freelist loops\n", s->name, (void *)slab);
				break;
			}
		}
		if (kmm_slab_inuse(slab) + nfree != kmm_slab_objects(slab))
			SBAD("%s: slab %p inuse %u + free %u != objects %u\n", s->name, (void *)slab,
			     kmm_slab_inuse(slab), nfree, kmm_slab_objects(slab));
	}
	if (slabs != (long)s->nr_partial)
		SBAD("%s: nr_partial %lu but %ld slabs on the list\n", s->name, s->nr_partial, slabs);
	kmm_spin_unlock(&s->list_lock);
	if (s->flags & KMM_SLAB_DEBUG_FLAGS)
		bad += kmm_slab_debug_check(s);
	return bad;
#undef SBAD
}

/*
 * Every slab, found through mem_map (a full slab is on no list): it names a
 * cache of the machine, its state is one of PARTIAL, FULL or FROZEN(cpu), a
 * FULL one has no free object, and per cache the slabs, objects and
 * PARTIAL slabs found equal nr_slabs, total_objects and nr_partial.
 */
static int check_all_slabs(struct kmm_machine *m)
{
	struct kmm_pglist_data *pgdat = m->pgdat;
	struct kmm_kmem_cache *s;
	int bad = 0;

#define ABAD(...)                                                                        \
	do {                                                                             \
		if (bad++ < 20)                                                          \
			kmm_core_printk(m, KMM_KERN_ERR "slab check: " __VA_ARGS__);     \
	} while (0)

	for (s = m->slab->caches; s; s = s->next)
		s->walk_slabs = s->walk_objects = s->walk_partial = 0;
	for (unsigned long pfn = pgdat->node_start_pfn, end = pfn + pgdat->node_spanned_pages;
	     pfn < end; pfn++) {
		struct kmm_page *slab;
		unsigned long st;
		bool deferred;
		unsigned long run = kmm_deferred_run(m, pfn, end, &deferred);

		/* struct pages not initialised yet hold no slab, and reading them would commit them */
		if (deferred) {
			pfn = run - 1;
			continue;
		}
		slab = kmm_pfn_to_page(&m->layout, pfn);

		if (!(slab->flags & (1UL << KMM_PG_slab)))
			continue;
		for (s = m->slab->caches; s && s != kmm_slab_cache(slab); s = s->next)
			;
		if (!s) {
			ABAD("slab at pfn %#lx names no cache of the machine (%p)\n", pfn,
			     (void *)kmm_slab_cache(slab));
			continue;
		}
		s->walk_slabs++;
		s->walk_objects += kmm_slab_objects(slab);
		st = slab_state(slab);
		if (st == KMM_SLAB_ST_PARTIAL) {
			s->walk_partial++;
		} else if (st == KMM_SLAB_ST_FULL) {
			if (slab->index || kmm_slab_inuse(slab) != kmm_slab_objects(slab) ||
			    (!(s->flags & KMM_SLAB_DEBUG_FLAGS) && slab->virtual != FULL_TAG))
				ABAD("%s: FULL slab at pfn %#lx has free objects (inuse %u of %u)\n",
				     s->name, pfn, kmm_slab_inuse(slab), kmm_slab_objects(slab));
		} else if ((st & 0xff) != KMM_SLAB_ST_FROZEN || (st >> 8) >= m->desc.nr_cpus) {
			ABAD("%s: slab at pfn %#lx has state %#lx\n", s->name, pfn, st);
		}
	}
	for (s = m->slab->caches; s; s = s->next) {
		if (s->walk_slabs != __atomic_load_n(&s->nr_slabs, __ATOMIC_RELAXED) ||
		    s->walk_objects != __atomic_load_n(&s->total_objects, __ATOMIC_RELAXED))
			ABAD("%s: %ld slabs of %ld objects found, the cache counts %ld of %ld\n", s->name,
			     s->walk_slabs, s->walk_objects, s->nr_slabs, s->total_objects);
		if (s->walk_partial != (long)KMM_READ_ONCE(s->nr_partial))
			ABAD("%s: %ld PARTIAL slabs found, nr_partial %lu\n", s->name, s->walk_partial,
			     s->nr_partial);
	}
	return bad;
#undef ABAD
}

int kmm_slab_check(struct kmm_machine *m)
{
	int bad = 0;

	if (!m->slab)
		return 0;
	kmm_spin_lock(&m->slab->lock);
	for (struct kmm_kmem_cache *s = m->slab->caches; s; s = s->next)
		bad += check_cache(m, s);
	bad += check_all_slabs(m);
	kmm_spin_unlock(&m->slab->lock);
	return bad;
}
