/* SPDX-License-Identifier: MIT */
/*
 * slub_debug: the debug caches (CONFIG_SLUB_DEBUG's paths in mm/slub.c).
 *
 * A cache with F (consistency checks), Z (red zones), P (poisoning) or U
 * (alloc/free call sites) never gives a slab to a CPU: its CPU freelist stays
 * empty, so every kmem_cache_alloc and kmem_cache_free takes the slow path
 * into this file and runs under the node's list_lock, where each object can
 * be checked against its slab. An object's stride of `size` bytes is laid
 * out as SLUB lays it out:
 *
 *   [left red zone: red_left_pad] object [right red zone up to inuse]
 *   [free pointer, when it may not overlay the object] [alloc track]
 *   [free track] [padding up to size]
 *
 * with the kernel's bytes: red zones 0xbb while free and 0xcc while in use,
 * a free object's bytes 0x6b ending in 0xa5, padding 0x5a.
 *
 * Lists: a debug slab with a free object is on the node partial list; a slab
 * with none is on s->full, doubly linked through mapping (next) and virtual
 * (prev), so that every object can be walked and the walker sees them all.
 * The remote-free stack is unused, since nothing is ever frozen to a CPU.
 *
 * A bad free (an address that is not an object, an object already free, a
 * red zone or padding overwritten) is reported in SLUB's format, the bytes
 * are restored, and the free is not applied: the cache stays consistent.
 */
#include "slab.h"

#define SLUB_RED_INACTIVE 0xbb
#define SLUB_RED_ACTIVE 0xcc
#define POISON_INUSE 0x5a
#define POISON_FREE 0x6b
#define POISON_END 0xa5

struct track {
	unsigned long addr;	/* the caller, or 0 */
	int cpu;
	int pid;
	unsigned long when;	/* jiffies */
};

enum { TRACK_ALLOC, TRACK_FREE };

/* ---- slub_debug= ---- */

static unsigned long letter_flags(struct kmm_machine *m, const char *p, const char *end)
{
	unsigned long f = 0;

	if (p == end)
		return KMM_SLAB_DEBUG_FLAGS;	/* DEBUG_DEFAULT_FLAGS: F, Z, P, U */
	for (; p < end; p++) {
		switch (*p | 0x20) {
		case '-': f = 0; break;
		case 'f': f |= KMM_SLAB_CONSISTENCY_CHECKS; break;
		case 'z': f |= KMM_SLAB_RED_ZONE; break;
		case 'p': f |= KMM_SLAB_POISON; break;
		case 'u': f |= KMM_SLAB_STORE_USER; break;
		case 't': f |= KMM_SLAB_TRACE; break;
		case 'a': f |= KMM_SLAB_FAILSLAB; break;
		default:
			if (m)
				kmm_core_printk(m, KMM_KERN_ERR "slab_debug option '%c' unknown. skipped\n", *p);
		}
	}
	return f;
}

/* Does cache `name` match a comma-separated list in [p, end)? '*' ends a prefix. */
static bool name_listed(const char *name, const char *p, const char *end)
{
	while (p < end) {
		const char *e = p;
		size_t n;

		while (e < end && *e != ',')
			e++;
		n = (size_t)(e - p);
		if (n && p[n - 1] == '*') {
			if (kmm_strlen(name) >= n - 1 && !kmm_memcmp(name, p, n - 1))
				return true;
		} else if (n && kmm_strlen(name) == n && !kmm_memcmp(name, p, n)) {
			return true;
		}
		p = e + (e < end);
	}
	return false;
}

/*
 * kmem_cache_flags(): the debug flags slub_debug= gives cache `name`, added to
 * `flags`. Blocks are separated by ';': "FZ,kmalloc-64,dentry;U". A block
 * without cache names applies to every cache that no other block names.
 */
unsigned long kmm_slab_debug_flags(struct kmm_machine *m, const char *name, unsigned long flags)
{
	const char *p = m->desc.slub_debug, *global = NULL;
	unsigned long global_flags = 0;

	if (!m->desc.have_slub_debug)
		return flags;
	while (*p) {
		const char *blk_end = p, *comma;

		while (*blk_end && *blk_end != ';')
			blk_end++;
		for (comma = p; comma < blk_end && *comma != ','; comma++)
			;
		if (comma == blk_end) {
			global = p;
			global_flags = letter_flags(NULL, p, comma);
		} else if (name && name_listed(name, comma + 1, blk_end)) {
			return flags | letter_flags(NULL, p, comma);
		}
		p = blk_end + (*blk_end == ';');
	}
	if (!global && kmm_strlen(m->desc.slub_debug) == 0)
		global_flags = KMM_SLAB_DEBUG_FLAGS;	/* a bare slub_debug */
	return flags | global_flags;
}

/* Reports unknown letters once, at boot, as the kernel's parser does. */
void kmm_slab_debug_boot(struct kmm_machine *m)
{
	const char *p = m->desc.slub_debug;

	if (!m->desc.have_slub_debug)
		return;
	while (*p) {
		const char *e = p;

		while (*e && *e != ';' && *e != ',')
			e++;
		letter_flags(m, p, e);
		while (*e && *e != ';')
			e++;
		p = e + (*e == ';');
	}
}

/* ---- layout ---- */

static bool object_poison(const struct kmm_kmem_cache *s)
{
	return (s->flags & KMM_SLAB_POISON) && !s->ctor && !(s->flags & KMM_SLAB_TYPESAFE_BY_RCU);
}

/* get_info_end(): where the tracks start. */
static unsigned int info_end(const struct kmm_kmem_cache *s)
{
	return s->offset >= s->inuse ? s->inuse + (unsigned int)sizeof(void *) : s->inuse;
}

static unsigned int size_from_object(const struct kmm_kmem_cache *s)
{
	return s->flags & KMM_SLAB_RED_ZONE ? s->size - s->red_left_pad : s->size;
}

unsigned int kmm_slab_debug_sizes(struct kmm_kmem_cache *s, unsigned int size)
{
	if (s->flags & KMM_SLAB_STORE_USER)
		size += 2 * (unsigned int)sizeof(struct track);
	if (s->flags & KMM_SLAB_RED_ZONE) {
		/* a word of padding catches writes just before the next object's red zone */
		size += sizeof(void *);
		s->red_left_pad = ((unsigned int)sizeof(void *) + s->align - 1) & ~(s->align - 1);
		size += s->red_left_pad;
	}
	return size;
}

static struct track *get_track(struct kmm_kmem_cache *s, void *obj, int which)
{
	return (struct track *)((char *)obj + info_end(s)) + which;
}

static void set_track(struct kmm_kmem_cache *s, void *obj, int which, unsigned long ip)
{
	struct track *t;

	if (!(s->flags & KMM_SLAB_STORE_USER))
		return;
	t = get_track(s, obj, which);
	t->addr = ip;
	t->cpu = kmm_plat_cpu_id(s->m);
	t->pid = kmm_plat_task_pid(s->m);
	t->when = kmm_jiffies(s->m);
}

static void init_object(struct kmm_kmem_cache *s, char *p, uint8_t val)
{
	if (s->flags & KMM_SLAB_RED_ZONE)
		kmm_memset(p - s->red_left_pad, val, s->red_left_pad);
	if (object_poison(s)) {
		kmm_memset(p, POISON_FREE, s->object_size - 1);
		p[s->object_size - 1] = (char)POISON_END;
	}
	if (s->flags & KMM_SLAB_RED_ZONE)
		kmm_memset(p + s->object_size, val, s->inuse - s->object_size);
}

void kmm_slab_debug_init_slab(struct kmm_kmem_cache *s, struct kmm_page *slab)
{
	char *base = kmm_slab_address(s->m, slab), *p = base + s->red_left_pad;

	if (s->flags & KMM_SLAB_POISON)
		kmm_memset(base, POISON_INUSE, KMM_PAGE_SIZE << kmm_compound_order(slab));
	for (unsigned int i = 0; i < kmm_slab_objects(slab); i++, p += s->size) {
		if (s->flags & (KMM_SLAB_RED_ZONE | KMM_SLAB_POISON))
			init_object(s, p, SLUB_RED_INACTIVE);
		if (s->flags & KMM_SLAB_STORE_USER)
			kmm_memset(get_track(s, p, TRACK_ALLOC), 0, 2 * sizeof(struct track));
	}
}

/* ---- reports ---- */

/*
 * A report of a cache that KASAN poisons reads bytes it has poisoned (a free
 * object, a live one's slack, a neighbour): read past the poisoning.
 */
#ifdef KMM_KASAN
__attribute__((no_sanitize_address, noinline)) static void copy_unchecked(uint8_t *dst,
									   const uint8_t *src,
									   size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = ((const volatile uint8_t *)src)[i];
}
#else
static void copy_unchecked(uint8_t *dst, const uint8_t *src, size_t n)
{
	kmm_memcpy(dst, src, n);
}
#endif

static void print_section(struct kmm_machine *m, const char *text, const uint8_t *addr,
			  unsigned int length)
{
	for (unsigned int off = 0; off < length; off += 16) {
		unsigned int n = length - off < 16 ? length - off : 16;
		uint8_t row[16];
		char line[80];

		copy_unchecked(row, addr + off, n);
		kmm_hex_dump_row(line, sizeof(line), row, n);
		kmm_core_printk(m, KMM_KERN_ERR "%s%016lx: %s\n", text,
				(unsigned long)(uintptr_t)(addr + off), line);
	}
}

static void print_track(struct kmm_kmem_cache *s, const char *what, struct track *t,
			unsigned long now)
{
	char sym[160];

	if (!t->addr)
		return;
	kmm_plat_symbol(t->addr, sym, sizeof(sym));
	kmm_core_printk(s->m, KMM_KERN_ERR "%s in %s age=%lu cpu=%d pid=%d\n", what, sym,
			now - t->when, t->cpu, t->pid);
}

static void print_slab_info(struct kmm_kmem_cache *s, struct kmm_page *slab)
{
	kmm_core_printk(s->m, KMM_KERN_ERR "Slab 0x%016lx objects=%u used=%u fp=0x%016lx flags=0x%lx(%s)\n",
			(unsigned long)(uintptr_t)slab, kmm_slab_objects(slab), kmm_slab_inuse(slab),
			slab->index, slab->flags & 0xffffffUL,
			kmm_compound_order(slab) ? "head|slab" : "slab");
}

static void slab_bug(struct kmm_kmem_cache *s, const char *fmt, ...)
{
	struct kmm_machine *m = s->m;
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	kmm_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kmm_core_printk(m, KMM_KERN_ERR "=============================================================================\n");
	kmm_core_printk(m, KMM_KERN_ERR "BUG %s (%s): %s\n", s->name,
			m->slab->tainted ? "Tainted: B" : "Not tainted", msg);
	kmm_core_printk(m, KMM_KERN_ERR "-----------------------------------------------------------------------------\n\n");
}

static void slab_fix(struct kmm_kmem_cache *s, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	kmm_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kmm_core_printk(s->m, KMM_KERN_ERR "FIX %s: %s\n", s->name, msg);
}

static void taint_and_warn(struct kmm_kmem_cache *s, const char *func)
{
	s->m->slab->tainted = true;	/* TAINT_BAD_PAGE */
	__atomic_add_fetch(&s->m->slab->debug_errors, 1, __ATOMIC_RELAXED);
	kmm_warn_splat(s->m, "mm/slub.c", 1124, func, NULL);
}

bool kmm_slab_valid_pointer(const struct kmm_kmem_cache *s, struct kmm_page *slab, const void *obj)
{
	const char *first = (char *)kmm_slab_address(s->m, slab) + s->red_left_pad, *p = obj;

	if (!obj)
		return true;
	if (p < first || p >= first + (size_t)kmm_slab_objects(slab) * s->size)
		return false;
	return (size_t)(p - first) % s->size == 0;
}

static void print_trailer(struct kmm_kmem_cache *s, struct kmm_page *slab, uint8_t *p)
{
	struct kmm_machine *m = s->m;
	uint8_t *addr = kmm_slab_address(m, slab);
	unsigned int off;

	if (s->flags & KMM_SLAB_STORE_USER) {
		unsigned long now = kmm_jiffies(m);

		print_track(s, "Allocated", get_track(s, p, TRACK_ALLOC), now);
		print_track(s, "Freed", get_track(s, p, TRACK_FREE), now);
	}
	print_slab_info(s, slab);
	kmm_core_printk(m, KMM_KERN_ERR "Object 0x%016lx @offset=%lu fp=0x%016lx\n\n",
			(unsigned long)(uintptr_t)p, (unsigned long)(p - addr),
			(unsigned long)(uintptr_t)kmm_get_freepointer(s, p));
	if (s->flags & KMM_SLAB_RED_ZONE)
		print_section(m, "Redzone  ", p - s->red_left_pad, s->red_left_pad);
	else if (p > addr + 16)
		print_section(m, "Bytes b4 ", p - 16, 16);
	print_section(m, "Object   ", p, s->object_size < KMM_PAGE_SIZE ? s->object_size : KMM_PAGE_SIZE);
	if (s->flags & KMM_SLAB_RED_ZONE)
		print_section(m, "Redzone  ", p + s->object_size, s->inuse - s->object_size);
	off = info_end(s);
	if (s->flags & KMM_SLAB_STORE_USER)
		off += 2 * (unsigned int)sizeof(struct track);
	if (off != size_from_object(s))
		print_section(m, "Padding  ", p + off, size_from_object(s) - off);
}

static void object_err(struct kmm_kmem_cache *s, struct kmm_page *slab, uint8_t *obj,
		       const char *reason)
{
	slab_bug(s, "%s", reason);
	if (!obj || !kmm_slab_valid_pointer(s, slab, obj)) {
		print_slab_info(s, slab);
		kmm_core_printk(s->m, KMM_KERN_ERR "Invalid pointer 0x%016lx\n",
				(unsigned long)(uintptr_t)obj);
	} else {
		print_trailer(s, slab, obj);
	}
	taint_and_warn(s, "object_err");
}

static void slab_err(struct kmm_kmem_cache *s, struct kmm_page *slab, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	kmm_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	slab_bug(s, "%s", msg);
	print_slab_info(s, slab);
	taint_and_warn(s, "slab_err");
}

static const uint8_t *memchr_inv(const uint8_t *p, uint8_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (p[i] != v)
			return p + i;
	return NULL;
}

static bool check_bytes_and_report(struct kmm_kmem_cache *s, struct kmm_page *slab,
				   uint8_t *obj, const char *what, uint8_t *start, uint8_t value,
				   unsigned int bytes, bool print_obj)
{
	const uint8_t *fault = memchr_inv(start, value, bytes);
	uint8_t *addr = kmm_slab_address(s->m, slab), *end;

	if (!fault)
		return true;
	__atomic_add_fetch(&s->m->slab->debug_errors, 1, __ATOMIC_RELAXED);
	end = start + bytes;
	while (end > fault && end[-1] == value)
		end--;
	kmm_core_printk(s->m, KMM_KERN_ERR "[%s overwritten] 0x%016lx-0x%016lx @offset=%lu. First byte 0x%x instead of 0x%x\n",
			what, (unsigned long)(uintptr_t)fault, (unsigned long)(uintptr_t)(end - 1),
			(unsigned long)(fault - addr), *fault, value);
	if (print_obj)
		object_err(s, slab, obj, "Object corrupt");
	slab_fix(s, "Restoring %s 0x%016lx-0x%016lx=0x%x", what, (unsigned long)(uintptr_t)fault,
		 (unsigned long)(uintptr_t)(end - 1), value);
	kmm_memset((void *)fault, value, (size_t)(end - fault));
	return false;
}

static bool check_pad_bytes(struct kmm_kmem_cache *s, struct kmm_page *slab, uint8_t *p)
{
	unsigned int off = info_end(s);

	if (s->flags & KMM_SLAB_STORE_USER)
		off += 2 * (unsigned int)sizeof(struct track);
	if (size_from_object(s) == off)
		return true;
	return check_bytes_and_report(s, slab, p, "Object padding", p + off, POISON_INUSE,
				      size_from_object(s) - off, true);
}

static void slab_pad_check(struct kmm_kmem_cache *s, struct kmm_page *slab)
{
	uint8_t *start = kmm_slab_address(s->m, slab), *end, *pad;
	unsigned int length = (unsigned int)(KMM_PAGE_SIZE << kmm_compound_order(slab));
	unsigned int remainder = length - kmm_slab_objects(slab) * s->size;
	const uint8_t *fault;

	if (!(s->flags & KMM_SLAB_POISON) || !remainder)
		return;
	end = start + length;
	pad = end - remainder;
	fault = memchr_inv(pad, POISON_INUSE, remainder);
	if (!fault)
		return;
	while (end > fault && end[-1] == POISON_INUSE)
		end--;
	slab_bug(s, "Padding overwritten. 0x%016lx-0x%016lx @offset=%lu",
		 (unsigned long)(uintptr_t)fault, (unsigned long)(uintptr_t)(end - 1),
		 (unsigned long)(fault - start));
	print_section(s->m, "Padding ", pad, remainder);
	print_slab_info(s, slab);
	taint_and_warn(s, "slab_pad_check");
	slab_fix(s, "Restoring slab padding 0x%016lx-0x%016lx=0x%x", (unsigned long)(uintptr_t)fault,
		 (unsigned long)(uintptr_t)(end - 1), POISON_INUSE);
	kmm_memset((void *)fault, POISON_INUSE, (size_t)(end - fault));
}

static bool check_object(struct kmm_kmem_cache *s, struct kmm_page *slab, uint8_t *p, uint8_t val)
{
	bool ret = true;

	if (s->flags & KMM_SLAB_RED_ZONE) {
		if (!check_bytes_and_report(s, slab, p, "Left Redzone", p - s->red_left_pad, val,
					    s->red_left_pad, ret))
			ret = false;
		if (!check_bytes_and_report(s, slab, p, "Right Redzone", p + s->object_size, val,
					    s->inuse - s->object_size, ret))
			ret = false;
	} else if ((s->flags & KMM_SLAB_POISON) && s->object_size < s->inuse) {
		if (!check_bytes_and_report(s, slab, p, "Alignment padding", p + s->object_size,
					    POISON_INUSE, s->inuse - s->object_size, ret))
			ret = false;
	}
	if (s->flags & KMM_SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && object_poison(s)) {
			if (!check_bytes_and_report(s, slab, p, "Poison", p, POISON_FREE,
						    s->object_size - 1, ret))
				ret = false;
			if (!check_bytes_and_report(s, slab, p, "End Poison", p + s->object_size - 1,
						    POISON_END, 1, ret))
				ret = false;
		}
		if (!check_pad_bytes(s, slab, p))
			ret = false;
	}
	if ((s->offset >= s->inuse || val != SLUB_RED_ACTIVE) &&
	    !kmm_slab_valid_pointer(s, slab, kmm_get_freepointer(s, p))) {
		object_err(s, slab, p, "Freepointer corrupt");
		/* the rest of the slab's free objects are lost to it */
		kmm_set_freepointer(s, p, NULL);
		ret = false;
	}
	return ret;
}

/*
 * on_freelist(): is `search` on the slab's freelist? A corrupt chain is cut
 * where it goes wrong and the in-use count set to what the walk found.
 */
static bool on_freelist(struct kmm_kmem_cache *s, struct kmm_page *slab, void *search)
{
	unsigned int nr = 0, objects = kmm_slab_objects(slab);
	void *fp = (void *)slab->index, *obj = NULL;

	while (fp && nr <= objects) {
		if (fp == search)
			return true;
		if (!kmm_slab_valid_pointer(s, slab, fp)) {
			if (obj) {
				object_err(s, slab, obj, "Freechain corrupt");
				kmm_set_freepointer(s, obj, NULL);
				slab_fix(s, "Isolate corrupted freechain");
			} else {
				slab_err(s, slab, "Freepointer corrupt");
				slab->index = 0;
				kmm_slab_set_counts(slab, objects, objects);
				slab_fix(s, "Freelist cleared");
				return false;
			}
			break;
		}
		obj = fp;
		fp = kmm_get_freepointer(s, obj);
		nr++;
	}
	if (nr > objects)
		nr = objects;
	if (kmm_slab_inuse(slab) != objects - nr) {
		slab_err(s, slab, "Wrong object count. Counter is %u but counted were %u",
			 kmm_slab_inuse(slab), objects - nr);
		kmm_slab_set_counts(slab, objects - nr, objects);
		slab_fix(s, "Object count adjusted");
	}
	return search == NULL;
}

/* ---- the lists ---- */

static void full_add(struct kmm_kmem_cache *s, struct kmm_page *slab)
{
	kmm_slab_set_next(slab, s->full);
	slab->virtual = NULL;
	if (s->full)
		s->full->virtual = slab;
	s->full = slab;
	__atomic_store_n(&slab->private, (unsigned long)KMM_SLAB_ST_FULL, __ATOMIC_RELAXED);
}

static void full_del(struct kmm_kmem_cache *s, struct kmm_page *slab)
{
	struct kmm_page *next = kmm_slab_next(slab), *prev = slab->virtual;

	if (prev)
		kmm_slab_set_next(prev, next);
	else
		s->full = next;
	if (next)
		next->virtual = prev;
	slab->virtual = NULL;
}

static void partial_add(struct kmm_kmem_cache *s, struct kmm_page *slab)
{
	kmm_slab_set_next(slab, s->partial);
	KMM_WRITE_ONCE(s->partial, slab);
	KMM_WRITE_ONCE(s->nr_partial, s->nr_partial + 1);
	__atomic_store_n(&slab->private, (unsigned long)KMM_SLAB_ST_PARTIAL, __ATOMIC_RELAXED);
}

static void partial_del(struct kmm_kmem_cache *s, struct kmm_page *slab)
{
	struct kmm_page **pp = &s->partial;

	while (*pp && *pp != slab)
		pp = (struct kmm_page **)&(*pp)->mapping;
	if (*pp) {
		*pp = kmm_slab_next(slab);
		KMM_WRITE_ONCE(s->nr_partial, s->nr_partial - 1);
	}
}

/* ---- alloc and free ---- */

void *kmm_slab_debug_alloc(struct kmm_kmem_cache *s, kmm_gfp_t gfp, int *cpup, unsigned long ip)
{
	struct kmm_machine *m = s->m;
	struct kmm_page *slab;
	uint8_t *obj;

	kmm_spin_lock(&s->list_lock);
	while (!(slab = s->partial)) {
		kmm_spin_unlock(&s->list_lock);
		slab = kmm_slab_new(s, gfp);
		*cpup = kmm_plat_cpu_id(m);
		if (!slab)
			return NULL;
		kmm_spin_lock(&s->list_lock);
		partial_add(s, slab);
	}
	obj = (uint8_t *)slab->index;
	/* alloc_consistency_checks() */
	if ((s->flags & KMM_SLAB_CONSISTENCY_CHECKS) &&
	    (!kmm_slab_valid_pointer(s, slab, obj) || !obj ||
	     !check_object(s, slab, obj, SLUB_RED_INACTIVE))) {
		if (!kmm_slab_valid_pointer(s, slab, obj) || !obj)
			object_err(s, slab, obj, "Freelist Pointer check fails");
		/* take the slab out of use: every object counts as allocated */
		slab_fix(s, "Marking all objects used");
		partial_del(s, slab);
		slab->index = 0;
		kmm_slab_set_counts(slab, kmm_slab_objects(slab), kmm_slab_objects(slab));
		full_add(s, slab);
		kmm_spin_unlock(&s->list_lock);
		return kmm_slab_debug_alloc(s, gfp, cpup, ip);
	}
	slab->index = (unsigned long)kmm_get_freepointer(s, obj);
	kmm_slab_set_counts(slab, kmm_slab_inuse(slab) + 1, kmm_slab_objects(slab));
	if (!slab->index) {
		partial_del(s, slab);
		full_add(s, slab);
	}
	set_track(s, obj, TRACK_ALLOC, ip);
	init_object(s, (char *)obj, SLUB_RED_ACTIVE);
	if (s->flags & KMM_SLAB_TRACE)
		kmm_core_printk(m, KMM_KERN_INFO "TRACE %s alloc 0x%016lx inuse=%u fp=0x%016lx\n", s->name,
				(unsigned long)(uintptr_t)obj, kmm_slab_inuse(slab), slab->index);
	kmm_spin_unlock(&s->list_lock);
	return obj;
}

void kmm_slab_double_free(struct kmm_kmem_cache *s, struct kmm_page *slab, void *obj)
{
	kmm_spin_lock(&s->list_lock);
	object_err(s, slab, obj, "Object already free");
	slab_fix(s, "Object at 0x%016lx not freed", (unsigned long)(uintptr_t)obj);
	kmm_spin_unlock(&s->list_lock);
}

void kmm_slab_invalid_free(struct kmm_kmem_cache *s, struct kmm_page *slab, const void *obj)
{
	kmm_spin_lock(&s->list_lock);
	slab_err(s, slab, "Invalid object pointer 0x%016lx", (unsigned long)(uintptr_t)obj);
	slab_fix(s, "Object at 0x%016lx not freed", (unsigned long)(uintptr_t)obj);
	kmm_spin_unlock(&s->list_lock);
}

void kmm_slab_debug_free(struct kmm_kmem_cache *s, struct kmm_page *slab, void *obj,
			 unsigned long ip)
{
	bool was_full;

	kmm_spin_lock(&s->list_lock);
	/* free_consistency_checks(), run for every debug cache: a bad free is never applied */
	if (!kmm_slab_valid_pointer(s, slab, obj)) {
		slab_err(s, slab, "Invalid object pointer 0x%016lx", (unsigned long)(uintptr_t)obj);
		goto bad;
	}
	if (on_freelist(s, slab, obj)) {
		object_err(s, slab, obj, "Object already free");
		goto bad;
	}
	if ((s->flags & KMM_SLAB_CONSISTENCY_CHECKS) && !check_object(s, slab, obj, SLUB_RED_ACTIVE))
		goto bad;
	set_track(s, obj, TRACK_FREE, ip);
	if (s->flags & KMM_SLAB_TRACE)
		kmm_core_printk(s->m, KMM_KERN_INFO "TRACE %s free 0x%016lx inuse=%u fp=0x%016lx\n", s->name,
				(unsigned long)(uintptr_t)obj, kmm_slab_inuse(slab), slab->index);
	if ((KMM_READ_ONCE(s->m->slab_hooks) & KMM_SLAB_HOOK_INIT_ON_FREE) && !s->ctor &&
	    !(s->flags & (KMM_SLAB_POISON | KMM_SLAB_TYPESAFE_BY_RCU)))
		kmm_memset(obj, 0, s->object_size);
	init_object(s, obj, SLUB_RED_INACTIVE);
	was_full = !slab->index;
	kmm_set_freepointer(s, obj, (void *)slab->index);
	slab->index = (unsigned long)obj;
	kmm_slab_set_counts(slab, kmm_slab_inuse(slab) - 1, kmm_slab_objects(slab));
	if (was_full) {
		full_del(s, slab);
		partial_add(s, slab);
	}
	if (!kmm_slab_inuse(slab) && s->nr_partial > s->min_partial) {
		partial_del(s, slab);
		kmm_spin_unlock(&s->list_lock);
		kmm_slab_discard(s, slab);
		return;
	}
	kmm_spin_unlock(&s->list_lock);
	return;
bad:
	slab_fix(s, "Object at 0x%016lx not freed", (unsigned long)(uintptr_t)obj);
	kmm_spin_unlock(&s->list_lock);
}

/* ---- the walker ---- */

static int check_slab_objects(struct kmm_kmem_cache *s, struct kmm_page *slab)
{
	unsigned long before = s->m->slab->debug_errors;
	uint8_t *p = (uint8_t *)kmm_slab_first_object(s, slab);

	on_freelist(s, slab, NULL);
	for (unsigned int i = 0; i < kmm_slab_objects(slab); i++, p += s->size) {
		bool free = false;

		for (void *f = (void *)slab->index; f && !free; f = kmm_get_freepointer(s, f))
			free = f == p;
		check_object(s, slab, p, free ? SLUB_RED_INACTIVE : SLUB_RED_ACTIVE);
	}
	slab_pad_check(s, slab);
	return (int)(s->m->slab->debug_errors - before);
}

int kmm_slab_debug_check(struct kmm_kmem_cache *s)
{
	int bad = 0;

	kmm_spin_lock(&s->list_lock);
	for (struct kmm_page *slab = s->partial; slab; slab = kmm_slab_next(slab))
		bad += check_slab_objects(s, slab);
	for (struct kmm_page *slab = s->full; slab; slab = kmm_slab_next(slab)) {
		if (slab->index || kmm_slab_inuse(slab) != kmm_slab_objects(slab)) {
			kmm_core_printk(s->m, KMM_KERN_ERR "slab check: %s: full slab %p has free objects\n",
					s->name, (void *)slab);
			bad++;
		}
		bad += check_slab_objects(s, slab);
	}
	kmm_spin_unlock(&s->list_lock);
	return bad;
}
