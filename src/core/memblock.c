/* SPDX-License-Identifier: MIT */
/*
 * memblock: the early boot allocator (Linux 6.12 semantics).
 *
 * 1. What it allocates. Physical ranges of any size and alignment, before the
 *    page allocator exists. It keeps two lists: "memory" (every RAM range the
 *    firmware reported) and "reserved" (ranges in use: the kernel image, early
 *    allocations, firmware areas). Free memory is memory minus reserved, never
 *    stored, always computed by walking both lists together.
 *
 * 2. Data structure. Each list is a struct kmm_memblock_type: an array of
 *    regions {base, size, flags, nid} with these invariants, which
 *    kmm_memblock_core_check() verifies:
 *      regions[i].base + regions[i].size <= regions[i+1].base   (sorted, disjoint)
 *      no two neighbours touch with equal flags and nid           (merged)
 *      total_size == sum of regions[i].size,  cnt <= max
 *      cnt == 0  <=>  regions[0].size == 0 ("empty array" convention of 6.12)
 *    An add inserts only the parts not already covered, then merges; a remove
 *    first isolates the range (splitting regions at its edges), then deletes
 *    the regions inside it.
 *
 * 3. Growth. The arrays start as the owner's static arrays of 128 entries.
 *    Once resizing is allowed, a full array doubles: the new array is carved
 *    out of memblock itself (page aligned, avoiding the range being added),
 *    reserved, and the old one given back unless it was static. Before that, a
 *    full array is an error.
 *
 * 4. Placement. Top-down by default: the highest aligned fit below
 *    min(end, current_limit) among free ranges; bottom-up when set. The first
 *    page is never handed out. The try_nid variants fall back to any node
 *    unless exact; a failed search with a lower bound is retried without it.
 *
 * 5. Context. Single-threaded by nature (boot); the machine serialises calls.
 *    The core reaches everything through the ctx: no globals.
 *
 * Mirrors mm/memblock.c: memblock_add_range, memblock_isolate_range,
 * memblock_double_array, __next_mem_range(_rev), memblock_alloc_range_nid.
 */
#include <kmm/memblock.h>

#include "lib.h"

#define rgn_end(r) ((r)->base + (r)->size)

static int rgn_nid(const struct kmm_memblock_ctx *c, const struct kmm_memblock_region *r)
{
	return c->numa ? r->nid : 0;
}

static bool nid_valid(const struct kmm_memblock_ctx *c, int nid)
{
	return nid >= 0 && nid < c->max_numnodes;
}

static kmm_phys_addr_t round_down_p(kmm_phys_addr_t x, kmm_phys_addr_t a)
{
	return x & ~(a - 1);
}

static kmm_phys_addr_t round_up_p(kmm_phys_addr_t x, kmm_phys_addr_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static kmm_phys_addr_t clamp_p(kmm_phys_addr_t x, kmm_phys_addr_t lo, kmm_phys_addr_t hi)
{
	return x < lo ? lo : (x > hi ? hi : x);
}

/* Keep base + size from wrapping past the top of the physical space. */
static kmm_phys_addr_t cap_size(kmm_phys_addr_t base, kmm_phys_addr_t *size)
{
	kmm_phys_addr_t room = KMM_PHYS_ADDR_MAX - base;

	if (*size > room)
		*size = room;
	return *size;
}

static void mb_log(const struct kmm_memblock_ctx *c, int level, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!c->log)
		return;
	va_start(ap, fmt);
	kmm_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	c->log(c->arg, level, line);
}

#define mb_dbg(c, ...)                                          \
	do {                                                    \
		if ((c)->debug)                                 \
			mb_log((c), 6, __VA_ARGS__);            \
	} while (0)

void kmm_memblock_core_init(struct kmm_memblock_ctx *c)
{
	struct kmm_memblock *mb = c->mb;

	kmm_memset(c->init_memory, 0, sizeof(*c->init_memory) * KMM_INIT_MEMBLOCK_REGIONS);
	kmm_memset(c->init_reserved, 0,
		   sizeof(*c->init_reserved) * KMM_INIT_MEMBLOCK_RESERVED_REGIONS);
	mb->bottom_up = false;
	mb->current_limit = KMM_MEMBLOCK_ALLOC_ANYWHERE;
	mb->memory = (struct kmm_memblock_type){
		.regions = c->init_memory, .max = KMM_INIT_MEMBLOCK_REGIONS,
		.name = (char *)"memory",
	};
	mb->reserved = (struct kmm_memblock_type){
		.regions = c->init_reserved, .max = KMM_INIT_MEMBLOCK_RESERVED_REGIONS,
		.name = (char *)"reserved",
	};
	if (!c->max_numnodes)
		c->max_numnodes = 1;
}

bool kmm_memblock_core_overlaps_region(struct kmm_memblock_type *type,
				       kmm_phys_addr_t base, kmm_phys_addr_t size)
{
	cap_size(base, &size);
	for (unsigned long i = 0; i < type->cnt; i++) {
		const struct kmm_memblock_region *r = &type->regions[i];

		if (base < rgn_end(r) && r->base < base + size)
			return true;
	}
	return false;
}

/* ---- Free-range iteration: memory minus reserved. ---- */

static bool skip_region(const struct kmm_memblock_ctx *c, const struct kmm_memblock_region *m,
			int nid, enum kmm_memblock_flags flags)
{
	if (nid_valid(c, nid) && nid != rgn_nid(c, m))
		return true;
	if ((m->flags & KMM_MEMBLOCK_HOTPLUG) && !(flags & KMM_MEMBLOCK_HOTPLUG) &&
	    c->movable_node && c->movable_node(c->arg))
		return true;
	if ((flags & KMM_MEMBLOCK_MIRROR) && !(m->flags & KMM_MEMBLOCK_MIRROR))
		return true;
	if (!(flags & KMM_MEMBLOCK_NOMAP) && (m->flags & KMM_MEMBLOCK_NOMAP))
		return true;
	if (!(flags & KMM_MEMBLOCK_DRIVER_MANAGED) && (m->flags & KMM_MEMBLOCK_DRIVER_MANAGED))
		return true;
	return false;
}

/*
 * The gaps of "reserved" are numbered 0..cnt: gap j lies between reserved
 * region j-1 and region j. The index packs (memory index, gap index).
 */
static kmm_phys_addr_t gap_start(const struct kmm_memblock_type *t, long j)
{
	return j ? rgn_end(&t->regions[j - 1]) : 0;
}

static kmm_phys_addr_t gap_end(const struct kmm_memblock_type *t, long j)
{
	return (unsigned long)j < t->cnt ? t->regions[j].base : KMM_PHYS_ADDR_MAX;
}

static void next_free_fwd(struct kmm_memblock_ctx *c, uint64_t *idx, int nid,
			  enum kmm_memblock_flags flags, kmm_phys_addr_t *out_start,
			  kmm_phys_addr_t *out_end, int *out_nid)
{
	const struct kmm_memblock_type *mem = &c->mb->memory, *res = &c->mb->reserved;
	long a = (long)(uint32_t)*idx, b = (long)(uint32_t)(*idx >> 32);

	for (; (unsigned long)a < mem->cnt; a++) {
		const struct kmm_memblock_region *m = &mem->regions[a];

		if (skip_region(c, m, nid, flags))
			continue;
		for (; b < (long)res->cnt + 1; b++) {
			kmm_phys_addr_t gs = gap_start(res, b), ge = gap_end(res, b);

			if (gs >= rgn_end(m))
				break;
			if (m->base < ge) {
				*out_start = m->base > gs ? m->base : gs;
				*out_end = rgn_end(m) < ge ? rgn_end(m) : ge;
				if (out_nid)
					*out_nid = rgn_nid(c, m);
				if (rgn_end(m) <= ge)
					a++;
				else
					b++;
				*idx = (uint32_t)a | (uint64_t)(uint32_t)b << 32;
				return;
			}
		}
	}
	*idx = ~0ULL;
}

static void next_free_rev(struct kmm_memblock_ctx *c, uint64_t *idx, int nid,
			  enum kmm_memblock_flags flags, kmm_phys_addr_t *out_start,
			  kmm_phys_addr_t *out_end, int *out_nid)
{
	const struct kmm_memblock_type *mem = &c->mb->memory, *res = &c->mb->reserved;
	long a, b;

	if (*idx == ~0ULL) {
		a = (long)mem->cnt - 1;
		b = (long)res->cnt;
	} else {
		a = (int32_t)(uint32_t)*idx;
		b = (int32_t)(uint32_t)(*idx >> 32);
	}
	for (; a >= 0; a--) {
		const struct kmm_memblock_region *m = &mem->regions[a];

		if (skip_region(c, m, nid, flags))
			continue;
		for (; b >= 0; b--) {
			kmm_phys_addr_t gs = gap_start(res, b), ge = gap_end(res, b);

			if (ge <= m->base)
				break;
			if (rgn_end(m) > gs) {
				*out_start = m->base > gs ? m->base : gs;
				*out_end = rgn_end(m) < ge ? rgn_end(m) : ge;
				if (out_nid)
					*out_nid = rgn_nid(c, m);
				if (m->base >= gs)
					a--;
				else
					b--;
				*idx = (uint32_t)a | (uint64_t)(uint32_t)b << 32;
				return;
			}
		}
	}
	*idx = ~0ULL;
}

void kmm_memblock_core_next_free(struct kmm_memblock_ctx *c, uint64_t *idx, int nid,
				 enum kmm_memblock_flags flags, bool reverse,
				 kmm_phys_addr_t *start, kmm_phys_addr_t *end, int *out_nid)
{
	if (reverse)
		next_free_rev(c, idx, nid, flags, start, end, out_nid);
	else
		next_free_fwd(c, idx, nid, flags, start, end, out_nid);
}

/* memblock_find_in_range_node(): an address, or 0 when nothing fits. */
static kmm_phys_addr_t find_in_range(struct kmm_memblock_ctx *c, kmm_phys_addr_t size,
				     kmm_phys_addr_t align, kmm_phys_addr_t start,
				     kmm_phys_addr_t end, int nid,
				     enum kmm_memblock_flags flags)
{
	kmm_phys_addr_t s, e, cand;
	uint64_t i;

	if (end == KMM_MEMBLOCK_ALLOC_ACCESSIBLE || end == KMM_MEMBLOCK_ALLOC_NOLEAKTRACE)
		end = c->mb->current_limit;
	/* the first page is never allocated: 0 is the failure value */
	if (start < KMM_PAGE_SIZE)
		start = KMM_PAGE_SIZE;
	if (end < start)
		end = start;

	if (c->mb->bottom_up) {
		for (i = 0, next_free_fwd(c, &i, nid, flags, &s, &e, NULL); i != ~0ULL;
		     next_free_fwd(c, &i, nid, flags, &s, &e, NULL)) {
			s = clamp_p(s, start, end);
			e = clamp_p(e, start, end);
			cand = round_up_p(s, align);
			if (cand < e && e - cand >= size)
				return cand;
		}
		return 0;
	}
	for (i = ~0ULL, next_free_rev(c, &i, nid, flags, &s, &e, NULL); i != ~0ULL;
	     next_free_rev(c, &i, nid, flags, &s, &e, NULL)) {
		s = clamp_p(s, start, end);
		e = clamp_p(e, start, end);
		if (e < size)
			continue;
		cand = round_down_p(e - size, align);
		if (cand >= s)
			return cand;
	}
	return 0;
}

/* ---- Region array maintenance. ---- */

static void remove_region(struct kmm_memblock_ctx *c, struct kmm_memblock_type *t,
			  unsigned long r)
{
	t->total_size -= t->regions[r].size;
	kmm_memmove(&t->regions[r], &t->regions[r + 1],
		    (t->cnt - (r + 1)) * sizeof(t->regions[r]));
	t->cnt--;
	if (t->cnt == 0) {
		t->regions[0].base = 0;
		t->regions[0].size = 0;
		t->regions[0].flags = 0;
		t->regions[0].nid = c->max_numnodes;
	}
}

static void insert_region(struct kmm_memblock_type *t, unsigned long idx,
			  kmm_phys_addr_t base, kmm_phys_addr_t size, int nid,
			  enum kmm_memblock_flags flags)
{
	struct kmm_memblock_region *r = &t->regions[idx];

	kmm_memmove(r + 1, r, (t->cnt - idx) * sizeof(*r));
	r->base = base;
	r->size = size;
	r->flags = flags;
	r->nid = nid;
	t->cnt++;
	t->total_size += size;
}

static void merge_regions(struct kmm_memblock_ctx *c, struct kmm_memblock_type *t,
			  unsigned long start_rgn, unsigned long end_rgn)
{
	unsigned long i = start_rgn ? start_rgn - 1 : 0;

	if (end_rgn > t->cnt - 1)
		end_rgn = t->cnt - 1;
	while (i < end_rgn) {
		struct kmm_memblock_region *this = &t->regions[i], *next = this + 1;

		if (rgn_end(this) != next->base || rgn_nid(c, this) != rgn_nid(c, next) ||
		    this->flags != next->flags) {
			i++;
			continue;
		}
		this->size += next->size;
		kmm_memmove(next, next + 1, (t->cnt - (i + 2)) * sizeof(*next));
		t->cnt--;
		end_rgn--;
	}
}

static int add_range(struct kmm_memblock_ctx *c, struct kmm_memblock_type *t,
		     kmm_phys_addr_t base, kmm_phys_addr_t size, int nid,
		     enum kmm_memblock_flags flags);

/*
 * memblock_double_array(): [avoid_base, avoid_base + avoid_size) is a range
 * about to be reserved, which the new reserved array must not overlap.
 */
static int double_array(struct kmm_memblock_ctx *c, struct kmm_memblock_type *t,
			kmm_phys_addr_t avoid_base, kmm_phys_addr_t avoid_size)
{
	struct kmm_memblock *mb = c->mb;
	struct kmm_memblock_region *old = t->regions, *new;
	kmm_phys_addr_t old_size = t->max * sizeof(*old), new_size = old_size * 2;
	kmm_phys_addr_t old_alloc = KMM_PAGE_ALIGN(old_size), new_alloc = KMM_PAGE_ALIGN(new_size);
	kmm_phys_addr_t addr;

	if (!c->can_resize) {
		mb_log(c, 0, "memblock: cannot resize %s array", t->name);
		return -1;
	}
	if (t != &mb->reserved)
		avoid_base = avoid_size = 0;
	addr = find_in_range(c, new_alloc, KMM_PAGE_SIZE, avoid_base + avoid_size,
			     mb->current_limit, KMM_NUMA_NO_NODE, KMM_MEMBLOCK_NONE);
	if (!addr && avoid_size) {
		kmm_phys_addr_t lim = avoid_base < mb->current_limit ? avoid_base
								   : mb->current_limit;
		addr = find_in_range(c, new_alloc, KMM_PAGE_SIZE, 0, lim, KMM_NUMA_NO_NODE,
				     KMM_MEMBLOCK_NONE);
	}
	if (!addr) {
		mb_log(c, 3, "memblock: Failed to double %s array from %ld to %ld entries !",
		       t->name, (long)t->max, (long)t->max * 2);
		return -1;
	}
	mb_dbg(c, "memblock: %s is doubled to %ld at [%#018llx-%#018llx]", t->name,
	       (long)t->max * 2, (unsigned long long)addr,
	       (unsigned long long)(addr + new_size - 1));

	new = c->phys_to_virt(c->arg, addr);
	kmm_memcpy(new, old, old_size);
	kmm_memset(new + t->max, 0, old_size);
	t->regions = new;
	t->max <<= 1;
	if (old != c->init_memory && old != c->init_reserved)
		kmm_memblock_core_phys_free(c, c->virt_to_phys(c->arg, old), old_alloc);
	/* the array just doubled always has room for this */
	add_range(c, &mb->reserved, addr, new_alloc, c->max_numnodes, KMM_MEMBLOCK_NONE);
	return 0;
}

/* memblock_add_range(): add the parts of [base, base+size) not yet covered, then merge. */
static int add_range(struct kmm_memblock_ctx *c, struct kmm_memblock_type *t,
		     kmm_phys_addr_t base, kmm_phys_addr_t size, int nid,
		     enum kmm_memblock_flags flags)
{
	kmm_phys_addr_t obase = base, end = base + cap_size(base, &size);
	long start_rgn = -1, end_rgn = 0;
	bool insert = false;
	int nr_new;

	if (!size)
		return 0;
	if (t->regions[0].size == 0) {
		t->regions[0] = (struct kmm_memblock_region){ base, size, flags, nid };
		t->total_size = size;
		t->cnt = 1;
		return 0;
	}
	/* a range overlapping every region needs cnt + 1 new entries at most */
	if (t->cnt * 2 + 1 <= t->max)
		insert = true;
repeat:
	base = obase;
	nr_new = 0;
	unsigned long idx;

	for (idx = 0; idx < t->cnt; idx++) {
		struct kmm_memblock_region *r = &t->regions[idx];
		kmm_phys_addr_t rbase = r->base, rend = rgn_end(r);

		if (rbase >= end)
			break;
		if (rend <= base)
			continue;
		if (rbase > base) {
			nr_new++;
			if (insert) {
				if (start_rgn == -1)
					start_rgn = (long)idx;
				end_rgn = (long)idx + 1;
				insert_region(t, idx++, base, rbase - base, nid, flags);
			}
		}
		base = rend < end ? rend : end;
	}
	if (base < end) {
		nr_new++;
		if (insert) {
			if (start_rgn == -1)
				start_rgn = (long)idx;
			end_rgn = (long)idx + 1;
			insert_region(t, idx, base, end - base, nid, flags);
		}
	}
	if (!nr_new)
		return 0;
	if (!insert) {
		while (t->cnt + nr_new > t->max)
			if (double_array(c, t, obase, size) < 0)
				return -12; /* -ENOMEM */
		insert = true;
		goto repeat;
	}
	merge_regions(c, t, (unsigned long)start_rgn, (unsigned long)end_rgn);
	return 0;
}

/*
 * memblock_isolate_range(): split regions at base and base+size so that the
 * range is covered by whole regions [*start_rgn, *end_rgn).
 */
static int isolate_range(struct kmm_memblock_ctx *c, struct kmm_memblock_type *t,
			 kmm_phys_addr_t base, kmm_phys_addr_t size, long *start_rgn,
			 long *end_rgn)
{
	kmm_phys_addr_t end = base + cap_size(base, &size);

	*start_rgn = *end_rgn = 0;
	if (!size)
		return 0;
	while (t->cnt + 2 > t->max)
		if (double_array(c, t, base, size) < 0)
			return -12;

	for (long idx = 0; idx < (long)t->cnt; idx++) {
		struct kmm_memblock_region *r = &t->regions[idx];
		kmm_phys_addr_t rbase = r->base, rend = rgn_end(r);

		if (rbase >= end)
			break;
		if (rend <= base)
			continue;
		if (rbase < base) {
			/* crosses the lower edge: split off the part below */
			r->base = base;
			r->size -= base - rbase;
			t->total_size -= base - rbase;
			insert_region(t, (unsigned long)idx, rbase, base - rbase, r->nid, r->flags);
		} else if (rend > end) {
			/* crosses the upper edge: split, then look at the lower half again */
			r->base = end;
			r->size -= end - rbase;
			t->total_size -= end - rbase;
			insert_region(t, (unsigned long)idx--, rbase, end - rbase, r->nid,
				      r->flags);
		} else {
			if (!*end_rgn)
				*start_rgn = idx;
			*end_rgn = idx + 1;
		}
	}
	return 0;
}

static int remove_range(struct kmm_memblock_ctx *c, struct kmm_memblock_type *t,
			kmm_phys_addr_t base, kmm_phys_addr_t size)
{
	long start_rgn, end_rgn;
	int ret = isolate_range(c, t, base, size, &start_rgn, &end_rgn);

	if (ret)
		return ret;
	for (long i = end_rgn - 1; i >= start_rgn; i--)
		remove_region(c, t, (unsigned long)i);
	return 0;
}

#define dbg_range(c, fn, base, size)                                                 \
	mb_dbg((c), "%s: [%#018llx-%#018llx]", (fn), (unsigned long long)(base),     \
	       (unsigned long long)((base) + (size) - 1))

int kmm_memblock_core_add_node(struct kmm_memblock_ctx *c, kmm_phys_addr_t base,
			       kmm_phys_addr_t size, int nid, enum kmm_memblock_flags flags)
{
	mb_dbg(c, "memblock_add_node: [%#018llx-%#018llx] nid=%d flags=%x",
	       (unsigned long long)base, (unsigned long long)(base + size - 1), nid, flags);
	return add_range(c, &c->mb->memory, base, size, nid, flags);
}

int kmm_memblock_core_add(struct kmm_memblock_ctx *c, kmm_phys_addr_t base,
			  kmm_phys_addr_t size)
{
	dbg_range(c, "memblock_add", base, size);
	return add_range(c, &c->mb->memory, base, size, c->max_numnodes, KMM_MEMBLOCK_NONE);
}

int kmm_memblock_core_remove(struct kmm_memblock_ctx *c, kmm_phys_addr_t base,
			     kmm_phys_addr_t size)
{
	dbg_range(c, "memblock_remove", base, size);
	return remove_range(c, &c->mb->memory, base, size);
}

int kmm_memblock_core_reserve(struct kmm_memblock_ctx *c, kmm_phys_addr_t base,
			      kmm_phys_addr_t size)
{
	dbg_range(c, "memblock_reserve", base, size);
	return add_range(c, &c->mb->reserved, base, size, c->max_numnodes, KMM_MEMBLOCK_NONE);
}

int kmm_memblock_core_phys_free(struct kmm_memblock_ctx *c, kmm_phys_addr_t base,
				kmm_phys_addr_t size)
{
	dbg_range(c, "memblock_phys_free", base, size);
	return remove_range(c, &c->mb->reserved, base, size);
}

void kmm_memblock_core_free(struct kmm_memblock_ctx *c, void *ptr, size_t size)
{
	if (ptr)
		kmm_memblock_core_phys_free(c, c->virt_to_phys(c->arg, ptr), size);
}

/* memblock_setclr_flag(): set or clear a flag on exactly [base, base+size) of memory. */
int kmm_memblock_core_mark(struct kmm_memblock_ctx *c, kmm_phys_addr_t base,
			   kmm_phys_addr_t size, bool set, enum kmm_memblock_flags flag)
{
	struct kmm_memblock_type *t = &c->mb->memory;
	long start_rgn, end_rgn;
	int ret = isolate_range(c, t, base, size, &start_rgn, &end_rgn);

	if (ret)
		return ret;
	for (long i = start_rgn; i < end_rgn; i++) {
		if (set)
			t->regions[i].flags |= flag;
		else
			t->regions[i].flags &= ~flag;
	}
	merge_regions(c, t, (unsigned long)start_rgn, (unsigned long)end_rgn);
	return 0;
}

void kmm_memblock_core_trim_memory(struct kmm_memblock_ctx *c, kmm_phys_addr_t align)
{
	struct kmm_memblock_type *t = &c->mb->memory;

	for (long i = 0; i < (long)t->cnt; i++) {
		struct kmm_memblock_region *r = &t->regions[i];
		kmm_phys_addr_t start = round_up_p(r->base, align);
		kmm_phys_addr_t end = round_down_p(rgn_end(r), align);

		if (start == r->base && end == rgn_end(r))
			continue;
		if (start < end) {
			/* 6.12 leaves total_size stale here; kmm keeps it exact */
			t->total_size -= r->size - (end - start);
			r->base = start;
			r->size = end - start;
		} else {
			remove_region(c, t, (unsigned long)i);
			i--;
		}
	}
}

static bool type_contains(const struct kmm_memblock_type *t, kmm_phys_addr_t addr)
{
	unsigned long lo = 0, hi = t->cnt;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (addr < t->regions[mid].base)
			hi = mid;
		else if (addr >= rgn_end(&t->regions[mid]))
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

bool kmm_memblock_core_is_reserved(struct kmm_memblock_ctx *c, kmm_phys_addr_t addr)
{
	return type_contains(&c->mb->reserved, addr);
}

bool kmm_memblock_core_is_memory(struct kmm_memblock_ctx *c, kmm_phys_addr_t addr)
{
	return type_contains(&c->mb->memory, addr);
}

kmm_phys_addr_t kmm_memblock_core_start_of_DRAM(struct kmm_memblock_ctx *c)
{
	return c->mb->memory.regions[0].base;
}

kmm_phys_addr_t kmm_memblock_core_end_of_DRAM(struct kmm_memblock_ctx *c)
{
	const struct kmm_memblock_type *t = &c->mb->memory;

	return t->cnt ? rgn_end(&t->regions[t->cnt - 1]) : 0;
}

kmm_phys_addr_t kmm_memblock_core_phys_mem_size(struct kmm_memblock_ctx *c)
{
	return c->mb->memory.total_size;
}

kmm_phys_addr_t kmm_memblock_core_alloc_range_nid(struct kmm_memblock_ctx *c,
		kmm_phys_addr_t size, kmm_phys_addr_t align, kmm_phys_addr_t start,
		kmm_phys_addr_t end, int nid, bool exact_nid)
{
	kmm_phys_addr_t found;

	if (!align) {
		/* the kernel dumps the stack here and goes on with the default */
		mb_log(c, 4, "memblock: zero alignment requested, using %d",
		       KMM_SMP_CACHE_BYTES);
		align = KMM_SMP_CACHE_BYTES;
	}
	found = find_in_range(c, size, align, start, end, nid, KMM_MEMBLOCK_NONE);
	if (found && !kmm_memblock_core_reserve(c, found, size))
		return found;
	if (nid_valid(c, nid) && !exact_nid) {
		found = find_in_range(c, size, align, start, end, KMM_NUMA_NO_NODE,
				      KMM_MEMBLOCK_NONE);
		if (found && !kmm_memblock_core_reserve(c, found, size))
			return found;
	}
	return 0;
}

void *kmm_memblock_core_alloc_nid(struct kmm_memblock_ctx *c, kmm_phys_addr_t size,
				  kmm_phys_addr_t align, kmm_phys_addr_t min_addr,
				  kmm_phys_addr_t max_addr, int nid, bool exact_nid, bool raw)
{
	kmm_phys_addr_t pa;
	void *p;

	mb_dbg(c, "%s: %llu bytes align=0x%llx nid=%d from=%#018llx max_addr=%#018llx",
	       exact_nid ? "memblock_alloc_exact_nid_raw"
			 : raw ? "memblock_alloc_try_nid_raw" : "memblock_alloc_try_nid",
	       (unsigned long long)size, (unsigned long long)align, nid,
	       (unsigned long long)min_addr, (unsigned long long)max_addr);
	if (max_addr > c->mb->current_limit)
		max_addr = c->mb->current_limit;
	pa = kmm_memblock_core_alloc_range_nid(c, size, align, min_addr, max_addr, nid,
					       exact_nid);
	if (!pa && min_addr)
		pa = kmm_memblock_core_alloc_range_nid(c, size, align, 0, max_addr, nid,
						       exact_nid);
	if (!pa)
		return NULL;
	p = c->phys_to_virt(c->arg, pa);
	if (!raw)
		kmm_memset(p, 0, size);
	return p;
}

static int check_type(const struct kmm_memblock_ctx *c, const struct kmm_memblock_type *t)
{
	kmm_phys_addr_t total = 0;
	int bad = 0;

	if (t->cnt > t->max || !t->regions)
		return 1;
	if ((t->cnt == 0) != (t->regions[0].size == 0))
		bad++;
	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct kmm_memblock_region *r = &t->regions[i];

		total += r->size;
		if (t->cnt && r->size == 0)
			bad++;
		if (i + 1 < t->cnt) {
			const struct kmm_memblock_region *n = r + 1;

			if (rgn_end(r) > n->base)
				bad++;
			else if (rgn_end(r) == n->base && r->flags == n->flags &&
				 rgn_nid(c, r) == rgn_nid(c, n))
				bad++;
		}
	}
	if (total != t->total_size)
		bad++;
	return bad;
}

int kmm_memblock_core_check(const struct kmm_memblock_ctx *c)
{
	return check_type(c, &c->mb->memory) + check_type(c, &c->mb->reserved);
}
