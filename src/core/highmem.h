/* SPDX-License-Identifier: MIT */
/*
 * Highmem's structures, shared by highmem.c (PKMAP: kmap/kunmap),
 * kmap_local.c (per-CPU slots: kmap_local/kmap_atomic), highmem_helpers.c
 * and highmem_check.c. The design is in highmem.c's and kmap_local.c's
 * opening comments. Protection: [lock] hm->lock (kmap_lock); [cpu] the task
 * holding that CPU; [atomic] atomics.
 */
#ifndef KMM_CORE_HIGHMEM_H
#define KMM_CORE_HIGHMEM_H

#include <kmm/highmem.h>

#include "internal.h"

/*
 * One CPU's kmap_local slots: a stack, slots [0, idx) in use, bottom first.
 * Two cache lines, so that CPUs' stacks share none.
 */
struct kmm_kmap_local {
	uint32_t idx;			/* [cpu] mappings on the stack: its depth */
	uint32_t pfn[KMM_KM_MAX_IDX];	/* [cpu] the frame the host maps at slot i; 0: none */
	uint32_t pad[32 - 1 - KMM_KM_MAX_IDX];
};

_Static_assert(sizeof(struct kmm_kmap_local) == 128, "a CPU's kmap_local stack is two cache lines");

struct kmm_highmem {
	kmm_spinlock_t lock;		/* kmap_lock */
	unsigned int last_pkmap;	/* LAST_PKMAP: slots of the PKMAP window, a power of two */
	unsigned int last_pkmap_nr;	/* [lock] the slot handed out last: the search resumes after it */
	/*
	 * [lock] [last_pkmap] 0: free and unmapped; 1: mapped, no user;
	 * n >= 2: mapped, n - 1 users
	 */
	int *pkmap_count;
	/* [lock] [last_pkmap] the pfn a slot maps (its PTE); 0: none (no highmem pfn is 0) */
	uint32_t *pkmap_pte;
	/* pkmap_map_wait: kmap sleeps on it; bumped [lock] when a count drops to 1 with waiters */
	kmm_atomic_u32 pkmap_wait;
	_Atomic unsigned int nr_waiters;	/* [atomic, changed under lock] tasks asleep in kmap */
	unsigned long nr_flushes;	/* [lock] flush_all_zero_pkmaps passes that unmapped slots */
	/* WARN_ON_ONCE of each site: [atomic] exchanged by the first to warn */
	bool warned_local_order, warned_local_addr, warned_to_page_pkmap, warned_to_page_local;
	unsigned int nr_cpus;
	struct kmm_kmap_local *local;	/* [cpu] [nr_cpus] */
	/* [lock] the walker's scratch: one bit per PKMAP and kmap_local slot, seen mapped */
	uint8_t seen[];
};

/* PKMAP_ADDR(nr) and PKMAP_NR(addr) */
static inline uintptr_t kmm_pkmap_addr(const struct kmm_machine *m, unsigned int nr)
{
	return m->layout.pkmap_base + ((uintptr_t)nr << KMM_PAGE_SHIFT);
}

static inline unsigned int kmm_pkmap_nr(const struct kmm_machine *m, uintptr_t addr)
{
	return (unsigned int)((addr - m->layout.pkmap_base) >> KMM_PAGE_SHIFT);
}

static inline bool kmm_is_pkmap_addr(const struct kmm_machine *m, uintptr_t addr)
{
	return addr >= m->layout.pkmap_base && addr < kmm_pkmap_addr(m, m->layout.last_pkmap);
}

/*
 * kmap_local slot n = cpu * KM_MAX_IDX + i is the page n + 1 pages below
 * FIXADDR_TOP: fixmap indexes grow downwards, as __fix_to_virt() counts.
 */
static inline uintptr_t kmm_kmap_local_addr(const struct kmm_machine *m, unsigned int n)
{
	return m->layout.fixaddr_top - ((uintptr_t)(n + 1) << KMM_PAGE_SHIFT);
}

static inline unsigned int kmm_kmap_local_slot(const struct kmm_machine *m, uintptr_t addr)
{
	return (unsigned int)((m->layout.fixaddr_top - 1 - addr) >> KMM_PAGE_SHIFT);
}

static inline bool kmm_is_kmap_local_addr(const struct kmm_machine *m, uintptr_t addr)
{
	return addr >= m->layout.fixaddr_start && addr < m->layout.fixaddr_top;
}

/* WARN_ON_ONCE's "once": true for the first caller only. */
static inline bool kmm_highmem_first_warn(bool *warned)
{
	return !__atomic_exchange_n(warned, true, __ATOMIC_RELAXED);
}

/*
 * A page argument is one of this machine's struct pages; otherwise a WARN
 * naming func (at file:line, the kernel's entry point) and false.
 */
bool kmm_highmem_page_ok(struct kmm_machine *m, const struct kmm_page *page, const char *file,
			 int line, const char *func);

/* The PKMAP window and the kmap_local slots; boot.c calls it once the slab runs. 0 or -errno. */
int kmm_highmem_init(struct kmm_machine *m);

/* kmap_to_page() of a kmap_local address: the calling task's CPU's slots. */
struct kmm_page *kmm_kmap_local_to_page(struct kmm_machine *m, uintptr_t addr);

#endif /* KMM_CORE_HIGHMEM_H */
