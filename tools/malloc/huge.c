/* SPDX-License-Identifier: MIT */
/*
 * Host blocks: memory mapped from the host for what the machine cannot
 * serve. A request above KMALLOC_MAX_SIZE (4 MiB on x86_64) is a vmalloc
 * area in the kernel; a machine on anonymous RAM (the shim's default, for
 * fork) has no vmalloc, so such a block is an anonymous mapping of its own,
 * as glibc maps its large chunks. So are alignments above what kmalloc's
 * power-of-two sizes give (beyond KMALLOC_MAX_SIZE).
 *
 * Data structure: an open-addressing hash table of blocks keyed by address
 * (linear probing, with tombstones), itself mapped from the host and doubled
 * when three quarters of its slots are taken; free() asks it whether a
 * pointer is a host block before it calls one invalid. A block records the
 * length mapped and its alignment (realloc moves a block with mremap only
 * when a page alignment suffices).
 *
 * Invariants: live <= taken < cap (taken <= cap * 3 / 4 but after a
 * realloc, which moves an entry without growing); every live entry maps
 * [addr, addr + len) and nothing else overlaps it; bytes is the sum of the
 * live lengths. Locking: huge_lock (a spinlock) around the table only: the
 * host calls (mmap, munmap, mremap) run outside it, a block being in no
 * other thread's hands while it is mapped or unmapped.
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>

#include "shim.h"

#define EMPTY 0
#define TOMB 1

struct hblock {
	uintptr_t addr;		/* EMPTY, TOMB, or the block's (page-aligned) address */
	size_t len;		/* bytes mapped, a multiple of the page */
	size_t align;		/* what the block was aligned to */
};

static struct hblock *tab;
static size_t cap, taken, live;
static unsigned long bytes;
static atomic_flag huge_busy = ATOMIC_FLAG_INIT;

void shim_huge_lock(void)
{
	while (atomic_flag_test_and_set_explicit(&huge_busy, memory_order_acquire))
		;
}

void shim_huge_unlock(void)
{
	atomic_flag_clear_explicit(&huge_busy, memory_order_release);
}

void shim_huge_reset_lock(void)
{
	atomic_flag_clear(&huge_busy);
}

static size_t slot_of(uintptr_t addr, size_t n)
{
	return (size_t)(((addr >> 12) * 0x9e3779b97f4a7c15ULL) >> 20) & (n - 1);
}

static struct hblock *lookup_locked(uintptr_t addr)
{
	if (!cap)
		return NULL;
	for (size_t i = slot_of(addr, cap), n = 0; n < cap; i = (i + 1) & (cap - 1), n++) {
		if (tab[i].addr == addr)
			return &tab[i];
		if (tab[i].addr == EMPTY)
			return NULL;
	}
	return NULL;
}

static void put_locked(struct hblock *t, size_t n, const struct hblock *b)
{
	size_t i = slot_of(b->addr, n);

	while (t[i].addr > TOMB)
		i = (i + 1) & (n - 1);
	t[i] = *b;
}

/* Makes room for one more entry: false when the host gives no memory for the table. */
static bool grow_locked(void)
{
	size_t ncap = cap ? cap * 2 : 256;
	struct hblock *nt;

	if (taken + 1 <= cap * 3 / 4)
		return true;
	/* mostly tombstones: rehash at the same size */
	if (live + 1 <= cap / 2)
		ncap = cap;
	nt = mmap(NULL, ncap * sizeof(*nt), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (nt == MAP_FAILED)
		return false;
	for (size_t i = 0; i < cap; i++)
		if (tab[i].addr > TOMB)
			put_locked(nt, ncap, &tab[i]);
	if (tab)
		munmap(tab, cap * sizeof(*tab));
	tab = nt;
	cap = ncap;
	taken = live;
	return true;
}

static bool insert(const struct hblock *b)
{
	bool ok;

	shim_huge_lock();
	ok = grow_locked();
	if (ok) {
		size_t i = slot_of(b->addr, cap);

		while (tab[i].addr > TOMB)
			i = (i + 1) & (cap - 1);
		if (tab[i].addr == EMPTY)
			taken++;
		tab[i] = *b;
		live++;
		bytes += b->len;
	}
	shim_huge_unlock();
	return ok;
}

/* Takes the block at addr out of the table into *b; false if there is none. */
static bool remove_block(uintptr_t addr, struct hblock *b)
{
	struct hblock *e;

	shim_huge_lock();
	e = lookup_locked(addr);
	if (e) {
		*b = *e;
		e->addr = TOMB;
		live--;
		bytes -= b->len;
	}
	shim_huge_unlock();
	return e != NULL;
}

void *shim_huge_alloc(size_t size, size_t align, bool zero)
{
	size_t len, map_len;
	struct hblock b;
	char *base, *p;

	(void)zero;	/* fresh anonymous memory reads as zero */
	if (align < SHIM_PAGE)
		align = SHIM_PAGE;
	if (!size || size > ((size_t)1 << 46) || align > ((size_t)1 << 40))
		return NULL;
	len = (size + SHIM_PAGE - 1) & ~(SHIM_PAGE - 1);
	map_len = len + align - SHIM_PAGE;
	base = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	/* keep the aligned part only */
	p = (char *)(((uintptr_t)base + align - 1) & ~(uintptr_t)(align - 1));
	if (p > base)
		munmap(base, (size_t)(p - base));
	if (base + map_len > p + len)
		munmap(p + len, (size_t)(base + map_len - (p + len)));
	b = (struct hblock){ (uintptr_t)p, len, align };
	if (!insert(&b)) {
		munmap(p, len);
		return NULL;
	}
	return p;
}

bool shim_huge_free(void *p)
{
	struct hblock b;

	if (!remove_block((uintptr_t)p, &b))
		return false;
	munmap(p, b.len);
	return true;
}

size_t shim_huge_size(const void *p)
{
	struct hblock *e;
	size_t len;

	shim_huge_lock();
	e = lookup_locked((uintptr_t)p);
	len = e ? e->len : 0;
	shim_huge_unlock();
	return len;
}

void *shim_huge_realloc(void *p, size_t size)
{
	size_t len = (size + SHIM_PAGE - 1) & ~(SHIM_PAGE - 1);
	struct hblock *e, b;
	void *q;

	shim_huge_lock();
	e = lookup_locked((uintptr_t)p);
	if (e)
		b = *e;
	shim_huge_unlock();
	if (!e || !size || size > ((size_t)1 << 46))
		return NULL;
	if (len == b.len)
		return p;
	if (b.align > SHIM_PAGE) {
		/* an alignment mremap would not keep: a new block, then a copy */
		q = shim_huge_alloc(size, b.align, false);
		if (q) {
			memcpy(q, p, len < b.len ? len : b.len);
			shim_huge_free(p);
		}
		return q;
	}
	q = mremap(p, b.len, len, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		return NULL;	/* the block is as it was */
	/*
	 * The entry moves to its new address: the old one's slot becomes a
	 * tombstone first, so the table has room without growing (live < cap).
	 */
	shim_huge_lock();
	e = lookup_locked((uintptr_t)p);
	if (e) {
		size_t i = slot_of((uintptr_t)q, cap);

		e->addr = TOMB;
		while (tab[i].addr > TOMB)
			i = (i + 1) & (cap - 1);
		if (tab[i].addr == EMPTY)
			taken++;
		tab[i] = (struct hblock){ (uintptr_t)q, len, b.align };
		bytes += len - b.len;
	}
	shim_huge_unlock();
	return q;
}

void shim_huge_stats(unsigned long *blocks, unsigned long *nbytes)
{
	shim_huge_lock();
	*blocks = live;
	*nbytes = bytes;
	shim_huge_unlock();
}
