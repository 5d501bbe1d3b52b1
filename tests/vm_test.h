/* SPDX-License-Identifier: MIT */
/*
 * What the vmalloc tests share: booting, the kernel log, the machine's
 * state at rest (to compare with boot after everything is freed), waiting
 * for the workqueue (which has no public flush: the lazy purge and
 * vfree_atomic's deferred frees run there, so a test polls what it can see,
 * within a bound that only a hang reaches), and fragmenting free memory.
 */
#ifndef KMM_TESTS_VM_TEST_H
#define KMM_TESTS_VM_TEST_H

#include <stdbool.h>
#include <stdlib.h>

#include <kmm/kmm.h>

#include "kmm_boot.h"
#include "kmm_log.h"
#include "kunit.h"

/* What must be as it was at boot once everything allocated is freed. */
struct vm_base {
	unsigned long free_pages;
	struct kmm_vmalloc_stats st;
};

/* The machine at rest: lazily freed ranges purged, per-CPU lists and slabs drained. */
static inline void vm_rest(struct kmm_machine *m, struct vm_base *b)
{
	kmm_vm_unmap_aliases(m);
	kmm_quiesce(m);
	b->free_pages = kmm_nr_free_pages(m);
	kmm_vmalloc_stats(m, &b->st);
}

/*
 * How the machine at rest differs from base (nr_purges and nr_host_maps
 * only grow, so they are not compared), and every walker: 0 when nothing does.
 */
static inline int vm_base_diff(struct kmm_machine *m, const struct vm_base *base, char *why,
			       size_t len)
{
	struct vm_base now;
	unsigned long vcheck;
	int pcheck, scheck;
	int n = 0;

	vm_rest(m, &now);
	vcheck = kmm_vmalloc_check(m);
	pcheck = kmm_page_alloc_check(m);
	scheck = kmm_slab_check(m);
	snprintf(why, len,
		 "free pages %lu (boot %lu), vmalloc pages %lu (%lu), areas %lu (%lu), lazy %lu "
		 "(%lu), free VA %lu (%lu), largest %lu (%lu); walkers: vmalloc %lu, pages %d, "
		 "slab %d",
		 now.free_pages, base->free_pages, now.st.nr_vmalloc_pages,
		 base->st.nr_vmalloc_pages,
		 now.st.nr_areas, base->st.nr_areas, now.st.lazy_pages, base->st.lazy_pages,
		 now.st.free_bytes, base->st.free_bytes, now.st.largest_free, base->st.largest_free,
		 vcheck, pcheck, scheck);
	n += now.free_pages != base->free_pages;
	n += now.st.nr_vmalloc_pages != base->st.nr_vmalloc_pages;
	n += now.st.nr_areas != base->st.nr_areas;
	n += now.st.lazy_pages != base->st.lazy_pages;
	n += now.st.free_bytes != base->st.free_bytes;
	n += now.st.largest_free != base->st.largest_free;
	n += vcheck != 0 || pcheck != 0 || scheck != 0;
	return n;
}

#define EXPECT_AT_BASE(test, m, base)                                                      \
	do {                                                                               \
		char why_[512];                                                            \
		if (vm_base_diff((m), (base), why_, sizeof(why_)))                         \
			KUNIT_FAIL_MSG(test, "not back at the boot state: %s", why_);      \
	} while (0)

/*
 * Polls cond every millisecond until it holds: true, or false after 30 s
 * (a work item that never ran, not a slow one).
 */
static inline bool wait_until(bool (*cond)(struct kmm_machine *m, void *arg),
			      struct kmm_machine *m, void *arg)
{
	for (int i = 0; i < 30000; i++) {
		if (cond(m, arg))
			return true;
		kmm_msleep(1);
	}
	return cond(m, arg);
}

/* Until the machine at rest is base again (deferred frees done). */
static inline bool at_base(struct kmm_machine *m, void *arg)
{
	char why[512];

	return vm_base_diff(m, arg, why, sizeof(why)) == 0;
}

/*
 * Fragments free memory: takes every free page at order 0 (__GFP_MEMALLOC:
 * the reserves too), then frees those at even pfns. A freed page's buddy is
 * then always in use, so no free block above order 0 is left anywhere. The
 * pages kept are in *kept (*nr of them), for unfragment().
 */
static inline int fragment(struct kmm_machine *m, struct kmm_page ***kept, unsigned long *nr)
{
	const struct kmm_layout *l = kmm_layout(m);
	unsigned long cap = l->mem_map_pages, n = 0, k = 0;
	struct kmm_page **all = malloc(cap * sizeof(*all)), *p;

	if (!all)
		return -1;
	while (n < cap && (p = kmm_alloc_pages(m, KMM_GFP_HIGHUSER | KMM___GFP_MEMALLOC |
						  KMM___GFP_NOWARN, 0)))
		all[n++] = p;
	for (unsigned long i = 0; i < n; i++) {
		if (kmm_page_to_pfn(l, all[i]) % 2 == 0)
			kmm___free_pages(m, all[i], 0);
		else
			all[k++] = all[i];
	}
	kmm_quiesce(m);
	*kept = all;
	*nr = k;
	return 0;
}

static inline void unfragment(struct kmm_machine *m, struct kmm_page **kept, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++)
		kmm___free_pages(m, kept[i], 0);
	free(kept);
}

#endif /* KMM_TESTS_VM_TEST_H */
