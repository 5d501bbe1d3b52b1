/* SPDX-License-Identifier: MIT */
/*
 * kmalloc and the object API (mm/slab_common.c, include/linux/slab.h).
 *
 * Size classes: kmalloc-8 ... kmalloc-8k (KMALLOC_SHIFT_LOW 3 to
 * KMALLOC_SHIFT_HIGH = PAGE_SHIFT + 1), with kmalloc-96 and kmalloc-192;
 * sizes up to 192 go through size_index[(size - 1) / 8], larger ones by
 * fls(size - 1). Each class has a normal cache, a kmalloc-rcl- one for
 * __GFP_RECLAIMABLE and a dma-kmalloc- one for GFP_DMA (where the profile has
 * ZONE_DMA). Larger requests are compound pages from the page allocator, up
 * to KMALLOC_MAX_SIZE. On at91rm9200 the table is the seed era's SLAB one:
 * kmalloc-32 ... kmalloc-128k, no 96/192 caches, and NULL above 128 KiB.
 *
 * Power-of-two caches are aligned to their size, others to 8 bytes, which
 * gives kmalloc's guarantees: natural alignment for power-of-two sizes, the
 * largest power-of-two divisor of the size for others.
 *
 * kfree() refuses, with SLUB's report, an address that is in the direct map
 * but neither a slab object's start nor a large kmalloc: the address of the
 * middle of an object would otherwise go on a freelist (kmm_slab_bad_free).
 *
 * The free mark (kmm's own hardening, like glibc's tcache key): kfree stores
 * the machine's random odd key (s->free_key) in the first word of a kmalloc
 * object it frees, and refuses an object whose first word holds it already,
 * with SLUB's "Object already free" report: any double free, where SLUB
 * without debugging catches only a second free of the object freed last.
 * kmalloc (and kmem_cache_alloc of a cache merged into a kmalloc cache)
 * clears the word of the caches that have a key, so a live object holds the key only if its user wrote
 * it: one chance in 2^63 for random data. Not on kmalloc-8, whose first
 * word is the free pointer, nor on debug caches, which check otherwise;
 * init_on_free=1 wipes the mark. Expected cost: a store in kmalloc, a load,
 * a compare and a store in kfree.
 */
#include "kmalloc.h"

#define GFP_SLAB_BUG_MASK KMM_GFP_SLAB_BUG_MASK

static const char *const type_prefix[KMM_NR_KMALLOC_TYPES] = { "kmalloc-", "kmalloc-rcl-",
								"dma-kmalloc-" };

static void size_name(char *buf, size_t len, const char *prefix, unsigned int size)
{
	if (size >= 1024 && !(size % 1024))
		kmm_snprintf(buf, len, "%s%uk", prefix, size / 1024);
	else
		kmm_snprintf(buf, len, "%s%u", prefix, size);
}

static bool is_power_of_2_u(unsigned int x)
{
	return x && !(x & (x - 1));
}

static unsigned int index_size(unsigned int i)
{
	return i == 1 ? 96 : i == 2 ? 192 : 1U << i;
}

int kmm_kmalloc_init(struct kmm_machine *m)
{
	struct kmm_slab_state *ss = m->slab;

	ss->seed_table = m->desc.max_order < 10;
	ss->shift_low = ss->seed_table ? 5 : 3;
	ss->shift_high = ss->seed_table ? KMM_KMALLOC_SHIFT_MAX : KMM_PAGE_SHIFT + 1;
	/* size_index: 1..8 -> 3, 9..16 -> 4, 17..32 -> 5, 33..64 -> 6, 65..96 -> 1, 97..128 -> 7, 129..192 -> 2 */
	for (unsigned int i = 0; i < 24; i++) {
		unsigned int size = (i + 1) * 8, idx;

		idx = size <= 8 ? 3 : size <= 16 ? 4 : size <= 32 ? 5 : size <= 64 ? 6
		      : size <= 96 ? 1 : size <= 128 ? 7 : 2;
		if (idx < ss->shift_low && idx > 2)
			idx = ss->shift_low;
		/* without the 96 and 192 caches those sizes take the next power of two */
		if (ss->seed_table && idx == 1)
			idx = 7;
		if (ss->seed_table && idx == 2)
			idx = 8;
		if (ss->seed_table && idx < ss->shift_low)
			idx = ss->shift_low;
		ss->size_index[i] = (uint8_t)idx;
	}
	for (int type = 0; type < KMM_NR_KMALLOC_TYPES; type++) {
		if (type == KMM_KMALLOC_DMA && !m->desc.zone_limit[KMM_ZONE_DMA])
			continue;
		for (unsigned int i = 1; i <= ss->shift_high; i++) {
			unsigned int size = index_size(i);
			unsigned long flags = type == KMM_KMALLOC_DMA ? KMM_SLAB_CACHE_DMA
					      : type == KMM_KMALLOC_RECLAIM ? KMM_SLAB_RECLAIM_ACCOUNT : 0;
			char name[32];

			if (i < ss->shift_low && i > 2)
				continue;
			if (i <= 2 && ss->seed_table)
				continue;
			size_name(name, sizeof(name), type_prefix[type], size);
			ss->kmalloc_caches[type][i] =
				kmm_create_cache(m, name, size, is_power_of_2_u(size) ? size : 8, flags,
						 0, size, NULL, true);
			if (!ss->kmalloc_caches[type][i])
				return -12;
		}
	}
	for (unsigned int i = 0; i < 24; i++)
		ss->kmalloc_small[i] = ss->kmalloc_caches[KMM_KMALLOC_NORMAL][ss->size_index[i]];
	return 0;
}

size_t kmm_kmalloc_max_size(struct kmm_machine *m)
{
	if (m->slab && m->slab->seed_table)
		return 1UL << KMM_KMALLOC_SHIFT_MAX;
	return KMM_PAGE_SIZE << m->desc.max_order;
}

static unsigned int kmalloc_index(struct kmm_slab_state *ss, size_t size)
{
	if (size <= 192)
		return ss->size_index[(size - 1) / 8];
	return 64 - (unsigned int)__builtin_clzl(size - 1);
}

static int kmalloc_type(kmm_gfp_t gfp)
{
	if (likely(!(gfp & (KMM___GFP_DMA | KMM___GFP_RECLAIMABLE))))
		return KMM_KMALLOC_NORMAL;
	return gfp & KMM___GFP_DMA ? KMM_KMALLOC_DMA : KMM_KMALLOC_RECLAIM;
}

struct kmm_kmem_cache *kmm_kmalloc_cache(struct kmm_machine *m, size_t size, kmm_gfp_t gfp)
{
	struct kmm_slab_state *ss = m->slab;
	int type;

	if (!ss || !size || size > (1UL << ss->shift_high))
		return NULL;
	type = kmalloc_type(gfp);
	if (type == KMM_KMALLOC_DMA && !ss->kmalloc_caches[type][kmalloc_index(ss, size)])
		type = KMM_KMALLOC_NORMAL;
	return ss->kmalloc_caches[type][kmalloc_index(ss, size)];
}

static kmm_gfp_t fix_gfp(struct kmm_machine *m, kmm_gfp_t gfp)
{
	char a[160], b[160];
	kmm_gfp_t fixed = gfp & ~GFP_SLAB_BUG_MASK;

	kmm_gfp_format(gfp, a, sizeof(a));
	kmm_gfp_format(fixed, b, sizeof(b));
	kmm_warn_splat(m, "mm/slub.c", 2378, "new_slab",
		       "Unexpected gfp: %#x (%s). Fixing up to gfp: %#x (%s). Fix your code!", gfp, a,
		       fixed, b);
	return fixed;
}

static __attribute__((noinline)) void *kmalloc_large(struct kmm_machine *m, size_t size,
						     kmm_gfp_t gfp, unsigned long ip)
{
	struct kmm_page *page;
	unsigned int order;

	if (m->slab->seed_table || size > kmm_kmalloc_max_size(m)) {
		if (!(gfp & KMM___GFP_NOWARN) && !m->slab->seed_table)
			kmm_warn_alloc(m, gfp, "kmalloc: size %zu above KMALLOC_MAX_SIZE", size);
		return NULL;
	}
	order = kmm_get_order(size);
	page = kmm_alloc_pages(m, (gfp & ~KMM___GFP_HIGHMEM) | KMM___GFP_COMP, order);
	if (!page)
		return NULL;
	kmm_slab_large_kmalloc_account(m, 1L << order);
	if (unlikely(KMM_READ_ONCE(m->slab_hooks) & KMM_SLAB_HOOK_KMEMLEAK))
		kmm_kmemleak_alloc(m, kmm_page_address(m, page), size, ip);
	return kmm_page_address(m, page);
}

static __attribute__((noinline)) void *kmalloc_slow(struct kmm_machine *m, size_t size,
						    kmm_gfp_t gfp, unsigned long ip)
{
	struct kmm_slab_state *ss = m->slab;

	if (unlikely(!ss))
		return NULL;
	if (unlikely(gfp & GFP_SLAB_BUG_MASK))
		gfp = fix_gfp(m, gfp);
	if (unlikely(!size))
		return KMM_ZERO_SIZE_PTR;
	if (likely(size <= (1UL << ss->shift_high))) {
		struct kmm_kmem_cache *s = kmm_kmalloc_cache(m, size, gfp);
		void *p = kmm_slab_alloc_m(m, s, gfp, ip);

		if (p) {
			if (s->free_key)
				*(uintptr_t *)p = 0;		/* no free mark */
			kmm_slab_kasan_alloc(s, p, size);	/* KASAN: the slack stays poisoned */
		}
		return p;
	}
	return kmalloc_large(m, size, gfp, ip);
}

/* A normal cache's object from the whole path: the fast section found none. */
static __attribute__((noinline)) void *kmalloc_cache_slow(struct kmm_machine *m,
							   struct kmm_kmem_cache *s, size_t size,
							   kmm_gfp_t gfp, unsigned long ip)
{
	void *p = kmm_slab_alloc_full(m, s, gfp, ip);

	if (likely(p)) {
		if (s->free_key)
			*(uintptr_t *)p = 0;		/* no free mark */
		kmm_slab_kasan_alloc(s, p, size);	/* KASAN: the slack stays poisoned */
	}
	return p;
}

/* Whatever kmm_kmalloc_fast() did not do: other caches, large sizes, refills. */
static __attribute__((noinline)) void *kmalloc_miss(struct kmm_machine *m, size_t size,
						    kmm_gfp_t gfp, unsigned long ip)
{
	struct kmm_slab_state *ss = m->slab;

	if (unlikely(!ss || size - 1 >= (1UL << ss->shift_high) ||
		     (gfp & (GFP_SLAB_BUG_MASK | KMM___GFP_DMA | KMM___GFP_RECLAIMABLE))))
		return kmalloc_slow(m, size, gfp, ip);
	return kmalloc_cache_slow(m, kmm_kmalloc_normal_cache(ss, size), size, gfp, ip);
}

/* The fast section inline (kmalloc.h); every other case leaves by a tail call. */
static inline __attribute__((always_inline)) void *do_kmalloc(struct kmm_machine *m, size_t size,
							      kmm_gfp_t gfp, unsigned long ip)
{
	void *p = kmm_kmalloc_fast(m, size, gfp);

	if (likely(p))
		return p;
	return kmalloc_miss(m, size, gfp, ip);
}

void *kmm_kmalloc(struct kmm_machine *m, size_t size, kmm_gfp_t gfp)
{
	return do_kmalloc(m, size, gfp, KMM_RET_IP);
}

void *kmm_kmalloc_track_caller(struct kmm_machine *m, size_t size, kmm_gfp_t gfp,
			       unsigned long caller)
{
	return do_kmalloc(m, size, gfp, caller);
}

void *kmm_kzalloc(struct kmm_machine *m, size_t size, kmm_gfp_t gfp)
{
	return do_kmalloc(m, size, gfp | KMM___GFP_ZERO, KMM_RET_IP);
}

void *kmm_kmalloc_array(struct kmm_machine *m, size_t n, size_t size, kmm_gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return do_kmalloc(m, bytes, gfp, KMM_RET_IP);
}

void *kmm_kcalloc(struct kmm_machine *m, size_t n, size_t size, kmm_gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return do_kmalloc(m, bytes, gfp | KMM___GFP_ZERO, KMM_RET_IP);
}

static __attribute__((noinline)) void object_page_warn(struct kmm_machine *m, const void *p,
							 const char *fn, bool mapped)
{
	if (!mapped)
		kmm_warn_splat(m, "mm/slub.c", 4711, fn, "%s(%p): not an address of the direct map", fn, p);
	else
		kmm_warn_splat(m, "mm/slub.c", 4711, fn, "%s(%p): not a slab object nor a large kmalloc", fn, p);
}

/* The slab or large-kmalloc head page of p, or NULL with the kernel's report. */
static inline __attribute__((always_inline)) struct kmm_page *object_page(struct kmm_machine *m,
									   const void *p,
									   const char *fn)
{
	struct kmm_page *page;

	if (unlikely(!kmm_virt_addr_valid(&m->layout, p))) {
		object_page_warn(m, p, fn, false);
		return NULL;
	}
	page = kmm_page_head(kmm_virt_to_page(&m->layout, p));
	if (unlikely(!(page->flags & ((1UL << KMM_PG_slab) | (1UL << KMM_PG_head))))) {
		object_page_warn(m, p, fn, true);
		return NULL;
	}
	return page;
}

/* kfree()'s whole path: reports, large kmallocs, frees to other slabs. */
static __attribute__((noinline)) void kfree_full(struct kmm_machine *m, const void *p,
						 unsigned long ip)
{
	struct kmm_page *page = object_page(m, p, "kfree");

	if (unlikely(!page))
		return;
	if (likely(page->flags & (1UL << KMM_PG_slab))) {
		struct kmm_kmem_cache *s = kmm_slab_cache(page);

		uintptr_t key = s->free_key;

		if (unlikely(kmm_slab_bad_free(s, page, p))) {
			kmm_slab_invalid_free(s, page, p);
			return;
		}
		if (likely(key)) {
			if (unlikely(kmm_slab_peek_word(p) == key)) {
				kmm_slab_double_free(s, page, (void *)p);
				return;
			}
			kmm_slab_poke_word((void *)p, key);
		}
		kmm_slab_free_obj(m, s, page, (void *)p, ip);
		return;
	}
	if (unlikely(KMM_READ_ONCE(m->slab_hooks) & KMM_SLAB_HOOK_KMEMLEAK))
		kmm_kmemleak_free(m, p);
	kmm_slab_large_kmalloc_account(m, -(1L << kmm_compound_order(page)));
	kmm___free_pages(m, page, kmm_compound_order(page));
}

static inline __attribute__((always_inline)) void do_kfree(struct kmm_machine *m, const void *p,
							   unsigned long ip)
{
	if (unlikely(KMM_ZERO_OR_NULL_PTR(p)))
		return;
	if (likely(kmm_kfree_fast(m, p)))
		return;
	kfree_full(m, p, ip);
}

void kmm_kfree(struct kmm_machine *m, const void *p)
{
	do_kfree(m, p, KMM_RET_IP);
}

size_t kmm_ksize(struct kmm_machine *m, const void *p)
{
	struct kmm_page *page;

	if (KMM_ZERO_OR_NULL_PTR(p))
		return 0;
	page = object_page(m, p, "ksize");
	if (!page)
		return 0;
	if (page->flags & (1UL << KMM_PG_slab)) {
		/* as the kernel's ksize(): the caller may use all of it, so KASAN opens it */
		kmm_slab_kasan_alloc(kmm_slab_cache(page), (void *)p, kmm_slab_cache(page)->object_size);
		return kmm_slab_cache(page)->object_size;
	}
	return KMM_PAGE_SIZE << kmm_compound_order(page);
}

size_t kmm_kmalloc_size_roundup(struct kmm_machine *m, size_t size)
{
	struct kmm_kmem_cache *s;

	if (!size)
		return 0;
	s = kmm_kmalloc_cache(m, size, 0);
	if (s)
		return s->object_size;
	return size > kmm_kmalloc_max_size(m) ? size : KMM_PAGE_SIZE << kmm_get_order(size);
}

void kmm_kfree_sensitive(struct kmm_machine *m, const void *p)
{
	size_t n = kmm_ksize(m, p);

	if (n)
		kmm_memset((void *)p, 0, n);
	do_kfree(m, p, KMM_RET_IP);
}

void *kmm_krealloc(struct kmm_machine *m, const void *p, size_t new_size, kmm_gfp_t gfp)
{
	struct kmm_page *slab;
	size_t ks;
	void *n;

	if (!p || p == KMM_ZERO_SIZE_PTR)
		return do_kmalloc(m, new_size, gfp, KMM_RET_IP);
	if (!new_size) {
		do_kfree(m, p, KMM_RET_IP);
		return KMM_ZERO_SIZE_PTR;
	}
	ks = kmm_ksize(m, p);
	if (!ks)
		return NULL;
	if (new_size <= ks) {
		/* it fits where it is; __GFP_ZERO clears what lies past the new size */
		if (gfp & KMM___GFP_ZERO)
			kmm_memset((char *)p + new_size, 0, ks - new_size);
		slab = kmm_virt_to_slab(m, p);
		if (slab)
			kmm_slab_kasan_alloc(kmm_slab_cache(slab), (void *)p, new_size);
		return (void *)p;
	}
	n = do_kmalloc(m, new_size, gfp, KMM_RET_IP);
	if (!n)
		return NULL;
	kmm_memcpy(n, p, ks);
	if (gfp & KMM___GFP_ZERO)
		kmm_memset((char *)n + ks, 0, new_size - ks);
	do_kfree(m, p, KMM_RET_IP);
	return n;
}

void *kmm_krealloc_array(struct kmm_machine *m, void *p, size_t new_n, size_t new_size,
			 kmm_gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(new_n, new_size, &bytes))
		return NULL;
	return kmm_krealloc(m, p, bytes, gfp);
}

void *kmm_kmemdup(struct kmm_machine *m, const void *src, size_t len, kmm_gfp_t gfp)
{
	void *p = do_kmalloc(m, len, gfp, KMM_RET_IP);

	if (p && len)
		kmm_memcpy(p, src, len);
	return p;
}

char *kmm_kstrdup(struct kmm_machine *m, const char *s, kmm_gfp_t gfp)
{
	size_t len = s ? kmm_strlen(s) + 1 : 0;
	char *p = s ? do_kmalloc(m, len, gfp, KMM_RET_IP) : NULL;

	if (p)
		kmm_memcpy(p, s, len);
	return p;
}

char *kmm_kstrndup(struct kmm_machine *m, const char *s, size_t max, kmm_gfp_t gfp)
{
	size_t len = 0;
	char *p;

	if (!s)
		return NULL;
	while (len < max && s[len])
		len++;
	p = do_kmalloc(m, len + 1, gfp, KMM_RET_IP);
	if (p) {
		kmm_memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *kmm_kvasprintf(struct kmm_machine *m, kmm_gfp_t gfp, const char *fmt, va_list ap)
{
	va_list aq;
	int len;
	char *p;

	va_copy(aq, ap);
	len = kmm_vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	p = do_kmalloc(m, (size_t)len + 1, gfp, KMM_RET_IP);
	if (p)
		kmm_vsnprintf(p, (size_t)len + 1, fmt, ap);
	return p;
}

char *kmm_kasprintf(struct kmm_machine *m, kmm_gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = kmm_kvasprintf(m, gfp, fmt, ap);
	va_end(ap);
	return p;
}

/* ---- the object API ---- */

void *kmm_kmem_cache_alloc(struct kmm_kmem_cache *s, kmm_gfp_t gfp)
{
	void *p;

	if (unlikely(gfp & GFP_SLAB_BUG_MASK))
		gfp = fix_gfp(s->m, gfp);
	p = kmm_slab_alloc(s, gfp, KMM_RET_IP);
	/* a cache merged into a kmalloc cache: kfree may see this object, so no free mark */
	if (p && s->free_key)
		*(uintptr_t *)p = 0;
	return p;
}

void *kmm_kmem_cache_zalloc(struct kmm_kmem_cache *s, kmm_gfp_t gfp)
{
	gfp |= KMM___GFP_ZERO;
	if (unlikely(gfp & GFP_SLAB_BUG_MASK))
		gfp = fix_gfp(s->m, gfp);
	return kmm_slab_alloc(s, gfp, KMM_RET_IP);
}

void kmm_kmem_cache_free(struct kmm_kmem_cache *s, void *obj)
{
	struct kmm_machine *m;
	struct kmm_page *slab;

	if (unlikely(!obj || !s))
		return;
	m = s->m;
	slab = kmm_virt_to_slab(m, obj);
	if (unlikely(!slab || kmm_slab_cache(slab) != s)) {
		/* cache_from_obj(): the free is not applied */
		kmm_warn_splat(m, "mm/slab.h", 600, "cache_from_obj",
			       "cache_from_obj: Wrong slab cache. %s but object is from %s", s->name,
			       slab ? kmm_slab_cache(slab)->name : "no slab");
		return;
	}
	if (unlikely(kmm_slab_bad_free(s, slab, obj))) {
		kmm_slab_invalid_free(s, slab, obj);
		return;
	}
	kmm_slab_free_obj(m, s, slab, obj, KMM_RET_IP);
}

int kmm_kmem_cache_alloc_bulk(struct kmm_kmem_cache *s, kmm_gfp_t gfp, size_t size, void **p)
{
	for (size_t i = 0; i < size; i++) {
		p[i] = kmm_kmem_cache_alloc(s, gfp);
		if (!p[i]) {
			/* all or nothing */
			kmm_kmem_cache_free_bulk(s, i, p);
			return 0;
		}
	}
	return (int)size;
}

void kmm_kmem_cache_free_bulk(struct kmm_kmem_cache *s, size_t size, void **p)
{
	for (size_t i = 0; i < size; i++)
		kmm_kmem_cache_free(s, p[i]);
}

void kmm_kfree_bulk(struct kmm_machine *m, size_t size, void **p)
{
	for (size_t i = 0; i < size; i++)
		do_kfree(m, p[i], KMM_RET_IP);
}
