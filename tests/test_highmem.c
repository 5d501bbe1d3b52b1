/* SPDX-License-Identifier: MIT */
/*
 * Highmem: kmap into the PKMAP window and back, the slot states and the
 * wrap-around flush against the host's real mappings, kmap sleeping until
 * a slot frees (two and three tasks), kmap_local's per-CPU stack with its
 * nesting limit and the misordered-unmap WARN, kmap_atomic's preemption and
 * page-fault state, the helpers, kmap_to_page, bad input with its reports,
 * a profile without highmem, and the walker catching corruption.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include <kmm/kmm.h>

#include "core/highmem.h"
#include "kmm_log.h"
#include "kunit.h"

#define HM_BOOT "profile=i386-highmem mem=2G nr_cpus=2 quiet"
#define EXPECT_PTR_EQ(t, a, b) KUNIT_EXPECT_EQ(t, (uintptr_t)(a), (uintptr_t)(b))

static struct kmm_machine *boot(struct kunit *test, const char *cmdline)
{
	struct kmm_machine *m = kmm_boot(cmdline);

	if (!m)
		printf("    # boot '%s': %s\n", cmdline, kmm_last_error());
	KUNIT_ASSERT_NOT_NULL(test, m);
	return m;
}

static struct kmm_page *highpage(struct kunit *test, struct kmm_machine *m)
{
	struct kmm_page *p = kmm_alloc_page(m, KMM_GFP_HIGHUSER | KMM___GFP_ZERO);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_TRUE(test, kmm_PageHighMem(p));
	return p;
}

static unsigned int slot_of(struct kmm_machine *m, const void *addr)
{
	return kmm_pkmap_nr(m, (uintptr_t)addr);
}

/* Every slot free and every highmem page without an address: the state at boot. */
static bool pkmap_at_rest(struct kmm_machine *m)
{
	const struct kmm_zone *z = &m->pgdat->node_zones[KMM_ZONE_HIGHMEM];

	for (unsigned int nr = 0; nr < m->highmem->last_pkmap; nr++)
		if (m->highmem->pkmap_count[nr] || m->highmem->pkmap_pte[nr])
			return false;
	for (unsigned long pfn = z->zone_start_pfn; pfn < kmm_zone_end_pfn(z); pfn++)
		if (kmm_pfn_to_page(&m->layout, pfn)->virtual)
			return false;
	return true;
}

/* Pages of the host's mappings inside the PKMAP window. */
static void count_pages(void *arg, uintptr_t va, size_t len, kmm_phys_addr_t phys)
{
	(void)va;
	(void)phys;
	*(unsigned long *)arg += len >> KMM_PAGE_SHIFT;
}

static unsigned long host_pkmap_pages(struct kmm_machine *m)
{
	unsigned long n = 0;

	kmm_plat_walk_mappings(m, m->layout.pkmap_base, kmm_pkmap_addr(m, m->layout.last_pkmap),
			       count_pages, &n);
	return n;
}

static void unmapped_highmem_has_no_address(struct kunit *test)
{
	struct kmm_machine *m = boot(test, HM_BOOT);
	struct kmm_page *p = highpage(test, m);

	KUNIT_EXPECT_NULL(test, kmm_page_address(m, p));
	KUNIT_EXPECT_NOT_NULL(test, m->highmem);
	KUNIT_EXPECT_EQ(test, m->highmem->last_pkmap, 1024);
	KUNIT_EXPECT_TRUE(test, pkmap_at_rest(m));
	KUNIT_EXPECT_EQ(test, host_pkmap_pages(m), 0);
	kmm___free_pages(m, p, 0);
	kmm_shutdown(m);
}

static void kmap_maps_into_pkmap(struct kunit *test)
{
	struct kmm_machine *m = boot(test, HM_BOOT);
	struct kmm_page *p = highpage(test, m), *q = highpage(test, m);
	char *a, *a2, *b, *local;
	unsigned int nr;

	a = kmm_kmap(m, p);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_TRUE(test, kmm_is_pkmap_addr(m, (uintptr_t)a));
	KUNIT_EXPECT_EQ(test, (uintptr_t)a & (KMM_PAGE_SIZE - 1), 0);
	KUNIT_EXPECT_EQ(test, slot_of(m, a), 1);	/* the search starts after slot 0 */
	EXPECT_PTR_EQ(test, kmm_page_address(m, p), a);
	nr = slot_of(m, a);
	KUNIT_EXPECT_EQ(test, m->highmem->pkmap_count[nr], 2);
	memset(a, 0xa5, KMM_PAGE_SIZE);
	strcpy(a + 100, "written through kmap");

	/* a second kmap of the same page: the same slot, one user more */
	a2 = kmm_kmap(m, p);
	EXPECT_PTR_EQ(test, a2, a);
	KUNIT_EXPECT_EQ(test, m->highmem->pkmap_count[nr], 3);
	KUNIT_EXPECT_STREQ(test, a2 + 100, "written through kmap");

	/* kmap_local maps the same frame elsewhere */
	local = kmm_kmap_local_page(m, p);
	KUNIT_ASSERT_NOT_NULL(test, local);
	KUNIT_EXPECT_TRUE(test, kmm_is_kmap_local_addr(m, (uintptr_t)local));
	KUNIT_EXPECT_STREQ(test, local + 100, "written through kmap");
	KUNIT_EXPECT_EQ(test, (unsigned char)local[0], 0xa5);
	kmm_kunmap_local(m, local);

	/* another page: another slot, its own bytes */
	b = kmm_kmap(m, q);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_NE(test, slot_of(m, b), nr);
	KUNIT_EXPECT_EQ(test, (unsigned char)b[0], 0);
	KUNIT_EXPECT_NE(test, strcmp(b + 100, "written through kmap"), 0);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	KUNIT_EXPECT_EQ(test, host_pkmap_pages(m), 2);

	/* unmapped: the slots keep their pages (count 1) until a flush */
	kmm_kunmap(m, p);
	kmm_kunmap(m, p);
	kmm_kunmap(m, q);
	KUNIT_EXPECT_EQ(test, m->highmem->pkmap_count[nr], 1);
	EXPECT_PTR_EQ(test, kmm_page_address(m, p), a);
	KUNIT_EXPECT_EQ(test, host_pkmap_pages(m), 2);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	/* kmapping it again takes the slot back */
	EXPECT_PTR_EQ(test, kmm_kmap(m, p), a);
	KUNIT_EXPECT_EQ(test, m->highmem->pkmap_count[nr], 2);
	kmm_kunmap(m, p);

	kmm_kmap_flush_unused(m);
	KUNIT_EXPECT_TRUE(test, pkmap_at_rest(m));
	KUNIT_EXPECT_NULL(test, kmm_page_address(m, p));
	KUNIT_EXPECT_NULL(test, kmm_page_address(m, q));
	KUNIT_EXPECT_EQ(test, host_pkmap_pages(m), 0);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "BUG");
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "WARNING");
	kmm___free_pages(m, p, 0);
	kmm___free_pages(m, q, 0);
	kmm_shutdown(m);
}

#define NPAGES 1100

static struct kmm_page *pages[NPAGES];

static void alloc_many(struct kunit *test, struct kmm_machine *m, int n)
{
	for (int i = 0; i < n; i++)
		pages[i] = highpage(test, m);
}

static void free_many(struct kmm_machine *m, int n)
{
	for (int i = 0; i < n; i++)
		kmm___free_pages(m, pages[i], 0);
}

static void wrap_around_flushes(struct kunit *test)
{
	struct kmm_machine *m = boot(test, HM_BOOT);
	struct kmm_highmem *hm = m->highmem;
	char *addr;

	alloc_many(test, m, 1024);
	/* slots 1..1023, each mapped then left without a user */
	for (int i = 0; i < 1023; i++) {
		addr = kmm_kmap(m, pages[i]);
		KUNIT_ASSERT_NOT_NULL(test, addr);
		KUNIT_EXPECT_EQ(test, slot_of(m, addr), i + 1);
		addr[0] = (char)i;
		kmm_kunmap(m, pages[i]);
	}
	KUNIT_EXPECT_EQ(test, hm->last_pkmap_nr, 1023);
	KUNIT_EXPECT_EQ(test, hm->pkmap_count[1], 1);
	KUNIT_EXPECT_EQ(test, hm->pkmap_count[1023], 1);
	KUNIT_EXPECT_EQ(test, host_pkmap_pages(m), 1023);
	KUNIT_EXPECT_EQ(test, hm->nr_flushes, 0);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);

	/* the next search wraps to slot 0: every count-1 slot is unmapped first */
	addr = kmm_kmap(m, pages[1023]);
	KUNIT_EXPECT_EQ(test, slot_of(m, addr), 0);
	KUNIT_EXPECT_EQ(test, hm->nr_flushes, 1);
	KUNIT_EXPECT_EQ(test, hm->pkmap_count[0], 2);
	for (int nr = 1; nr < 1024; nr++)
		if (hm->pkmap_count[nr] || hm->pkmap_pte[nr])
			KUNIT_FAIL_MSG(test, "slot %d: count %d, pte %#x after the flush", nr,
				       hm->pkmap_count[nr], hm->pkmap_pte[nr]);
	for (int i = 0; i < 1023; i++)
		KUNIT_EXPECT_NULL(test, kmm_page_address(m, pages[i]));
	KUNIT_EXPECT_EQ(test, host_pkmap_pages(m), 1);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);

	/* mapped again: the bytes are still the page's */
	addr = kmm_kmap(m, pages[500]);
	KUNIT_EXPECT_EQ(test, slot_of(m, addr), 1);
	KUNIT_EXPECT_EQ(test, addr[0], (char)500);
	kmm_kunmap(m, pages[500]);
	kmm_kunmap(m, pages[1023]);
	kmm_kmap_flush_unused(m);
	KUNIT_EXPECT_TRUE(test, pkmap_at_rest(m));
	KUNIT_EXPECT_EQ(test, host_pkmap_pages(m), 0);
	free_many(m, 1024);
	kmm_shutdown(m);
}

/* ---- kmap sleeps while every slot is in use ---- */

struct sleeper {
	struct kmm_machine *m;
	struct kmm_page *page;
	atomic_int *released;	/* set by the main task just before its kunmap */
	void *addr;
	int saw_released;
	atomic_int done;
};

static void *sleeper_main(void *arg)
{
	struct sleeper *s = arg;

	if (kmm_thread_attach(s->m))
		return NULL;
	s->addr = kmm_kmap(s->m, s->page);
	s->saw_released = atomic_load(s->released);
	kmm_thread_detach();
	atomic_store(&s->done, 1);
	return NULL;
}

/* Until n tasks sleep in kmap; a sleeper that returned instead ends the wait (and fails). */
static void wait_for_sleepers(struct kmm_highmem *hm, struct sleeper *s, unsigned int n)
{
	while (atomic_load(&hm->nr_waiters) < n) {
		for (unsigned int i = 0; i < n; i++)
			if (atomic_load(&s[i].done))
				return;
		sched_yield();
	}
}

static void kmap_sleeps_until_a_slot_frees(struct kunit *test)
{
	struct kmm_machine *m = boot(test, HM_BOOT);
	struct kmm_highmem *hm = m->highmem;
	atomic_int released = 0;
	struct sleeper s = { .m = m, .released = &released };
	pthread_t t;
	void *freed;

	alloc_many(test, m, 1025);
	for (int i = 0; i < 1024; i++)
		KUNIT_ASSERT_NOT_NULL(test, kmm_kmap(m, pages[i]));
	KUNIT_EXPECT_EQ(test, host_pkmap_pages(m), 1024);
	s.page = pages[1024];
	KUNIT_ASSERT_EQ(test, pthread_create(&t, NULL, sleeper_main, &s), 0);
	/* the other task is asleep in kmap: no slot is free */
	wait_for_sleepers(hm, &s, 1);
	freed = kmm_page_address(m, pages[7]);
	atomic_store(&released, 1);
	kmm_kunmap(m, pages[7]);
	pthread_join(t, NULL);

	KUNIT_EXPECT_EQ(test, s.saw_released, 1);
	EXPECT_PTR_EQ(test, s.addr, freed);
	EXPECT_PTR_EQ(test, kmm_page_address(m, pages[1024]), freed);
	KUNIT_EXPECT_NULL(test, kmm_page_address(m, pages[7]));
	KUNIT_EXPECT_EQ(test, atomic_load(&hm->nr_waiters), 0);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	for (int i = 0; i < 1025; i++)
		if (i != 7)
			kmm_kunmap(m, pages[i]);
	kmm_kmap_flush_unused(m);
	KUNIT_EXPECT_TRUE(test, pkmap_at_rest(m));
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "BUG");
	free_many(m, 1025);
	kmm_shutdown(m);
}

/* Two tasks asleep for the same page: one maps it, the other takes that mapping. */
static void sleepers_share_the_new_mapping(struct kunit *test)
{
	struct kmm_machine *m = boot(test, HM_BOOT);
	struct kmm_highmem *hm = m->highmem;
	atomic_int released = 0;
	struct sleeper s[2] = { { .m = m, .released = &released }, { .m = m, .released = &released } };
	pthread_t t[2];

	alloc_many(test, m, 1025);
	for (int i = 0; i < 1024; i++)
		KUNIT_ASSERT_NOT_NULL(test, kmm_kmap(m, pages[i]));
	for (int i = 0; i < 2; i++) {
		s[i].page = pages[1024];
		KUNIT_ASSERT_EQ(test, pthread_create(&t[i], NULL, sleeper_main, &s[i]), 0);
	}
	wait_for_sleepers(hm, s, 2);
	atomic_store(&released, 1);
	kmm_kunmap(m, pages[3]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);

	KUNIT_EXPECT_EQ(test, s[0].saw_released + s[1].saw_released, 2);
	KUNIT_ASSERT_NOT_NULL(test, s[0].addr);
	EXPECT_PTR_EQ(test, s[0].addr, s[1].addr);
	KUNIT_EXPECT_EQ(test, hm->pkmap_count[slot_of(m, s[0].addr)], 3);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	kmm_kunmap(m, pages[1024]);
	kmm_kunmap(m, pages[1024]);
	for (int i = 0; i < 1024; i++)
		if (i != 3)
			kmm_kunmap(m, pages[i]);
	kmm_kmap_flush_unused(m);
	KUNIT_EXPECT_TRUE(test, pkmap_at_rest(m));
	free_many(m, 1025);
	kmm_shutdown(m);
}

/* ---- kmap_local and kmap_atomic ---- */

static struct kmm_kmap_local *my_stack(struct kmm_machine *m)
{
	return &m->highmem->local[kmm_smp_processor_id()];
}

static void kmap_local_nests(struct kunit *test)
{
	struct kmm_machine *m = boot(test, HM_BOOT);
	struct kmm_page *low = kmm_alloc_page(m, KMM_GFP_KERNEL);
	char *addr[KMM_KM_MAX_IDX];

	alloc_many(test, m, KMM_KM_MAX_IDX);
	for (int i = 0; i < KMM_KM_MAX_IDX - 1; i++) {
		addr[i] = kmm_kmap_local_page(m, pages[i]);
		KUNIT_ASSERT_NOT_NULL(test, addr[i]);
		KUNIT_EXPECT_TRUE(test, kmm_is_kmap_local_addr(m, (uintptr_t)addr[i]));
		if (i)	/* fixmap slots grow downwards */
			KUNIT_EXPECT_EQ(test, (uintptr_t)addr[i - 1] - (uintptr_t)addr[i], KMM_PAGE_SIZE);
		snprintf(addr[i], 32, "page %d", i);
		KUNIT_EXPECT_EQ(test, my_stack(m)->idx, i + 1);
		EXPECT_PTR_EQ(test, kmm_kmap_to_page(m, addr[i] + 5), pages[i]);
	}
	/* a lowmem page needs no slot */
	EXPECT_PTR_EQ(test, kmm_kmap_local_page(m, low), kmm_page_address(m, low));
	KUNIT_EXPECT_EQ(test, my_stack(m)->idx, KMM_KM_MAX_IDX - 1);
	kmm_kunmap_local(m, kmm_page_address(m, low));
	/* the push that reaches KM_MAX_IDX is the kernel's BUG */
	KUNIT_EXPECT_NULL(test, kmm_kmap_local_page(m, pages[KMM_KM_MAX_IDX - 1]));
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "kernel BUG at mm/highmem.c:480!");
	KUNIT_EXPECT_EQ(test, my_stack(m)->idx, KMM_KM_MAX_IDX - 1);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	for (int i = KMM_KM_MAX_IDX - 2; i >= 0; i--) {
		char want[32];

		snprintf(want, sizeof(want), "page %d", i);
		KUNIT_EXPECT_STREQ(test, addr[i], want);
		kmm_kunmap_local(m, addr[i] + 17);	/* any address inside the page */
	}
	KUNIT_EXPECT_EQ(test, my_stack(m)->idx, 0);
	/* the slots keep their frames: the same page in the same slot needs no new mapping */
	KUNIT_EXPECT_EQ(test, my_stack(m)->pfn[0], kmm_page_to_pfn(&m->layout, pages[0]));
	EXPECT_PTR_EQ(test, kmm_kmap_local_page(m, pages[0]), addr[0]);
	KUNIT_EXPECT_STREQ(test, addr[0], "page 0");
	kmm_kunmap_local(m, addr[0]);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "kunmap_local_indexed");
	KUNIT_EXPECT_TRUE(test, pkmap_at_rest(m));
	free_many(m, KMM_KM_MAX_IDX);
	kmm___free_pages(m, low, 0);
	kmm_shutdown(m);
}

static void kunmap_local_out_of_order_warns(struct kunit *test)
{
	struct kmm_machine *m = boot(test, HM_BOOT);
	char *a, *b;

	alloc_many(test, m, 2);
	a = kmm_kmap_local_page(m, pages[0]);
	b = kmm_kmap_local_page(m, pages[1]);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	kmm_kunmap_local(m, a);		/* not the top: warned, not applied */
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "------------[ cut here ]------------");
	KUNIT_EXPECT_TRUE(test, strstr(kmsg(m), "WARNING: CPU: ") &&
				strstr(kmsg(m), " at mm/highmem.c:623 kunmap_local_indexed+"));
	KUNIT_EXPECT_EQ(test, my_stack(m)->idx, 2);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	kmm_kunmap_local(m, a);		/* WARN_ON_ONCE: no second splat */
	KUNIT_EXPECT_EQ(test, count_in(kmsg(m), "mm/highmem.c:623"), 1);
	kmm_kunmap_local(m, b);
	kmm_kunmap_local(m, a);
	KUNIT_EXPECT_EQ(test, my_stack(m)->idx, 0);
	/* an address that is no kernel address at all */
	kmm_kunmap_local(m, NULL);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), " at mm/highmem.c:617 kunmap_local_indexed+");
	KUNIT_EXPECT_EQ(test, my_stack(m)->idx, 0);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	free_many(m, 2);
	kmm_shutdown(m);
}

static void kmap_atomic_is_atomic(struct kunit *test)
{
	struct kmm_machine *m = boot(test, HM_BOOT);
	struct kmm_page *low = kmm_alloc_page(m, KMM_GFP_KERNEL);
	char *a, *b, *l;

	alloc_many(test, m, 2);
	KUNIT_EXPECT_EQ(test, kmm_preempt_count(), 0);
	KUNIT_EXPECT_FALSE(test, kmm_plat_pagefault_disabled(m));
	a = kmm_kmap_atomic(m, pages[0]);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_TRUE(test, kmm_is_kmap_local_addr(m, (uintptr_t)a));
	KUNIT_EXPECT_EQ(test, kmm_preempt_count(), 1);
	KUNIT_EXPECT_TRUE(test, kmm_plat_pagefault_disabled(m));
	KUNIT_EXPECT_TRUE(test, kmm_plat_in_atomic(m));
	/* kmap may sleep: in atomic context, the kernel's report (it still maps: a slot is free) */
	b = kmm_kmap(m, pages[1]);
	KUNIT_EXPECT_NOT_NULL(test, b);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "BUG: sleeping function called from invalid context at include/linux/highmem-internal.h:44");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: ");
	kmm_kunmap(m, pages[1]);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "BUG: sleeping function called from invalid context at include/linux/highmem-internal.h:55");
	/* lowmem: no slot, but atomic all the same */
	l = kmm_kmap_atomic(m, low);
	EXPECT_PTR_EQ(test, l, kmm_page_address(m, low));
	KUNIT_EXPECT_EQ(test, kmm_preempt_count(), 2);
	kmm_kunmap_atomic(m, l);
	KUNIT_EXPECT_EQ(test, kmm_preempt_count(), 1);
	kmm_kunmap_atomic(m, a);
	KUNIT_EXPECT_EQ(test, kmm_preempt_count(), 0);
	KUNIT_EXPECT_FALSE(test, kmm_plat_pagefault_disabled(m));
	KUNIT_EXPECT_EQ(test, my_stack(m)->idx, 0);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	free_many(m, 2);
	kmm___free_pages(m, low, 0);
	kmm_shutdown(m);
}

/* A task holding kmap_local slots keeps its CPU: kmap fails rather than sleep. */
static void kmap_with_local_mappings_does_not_sleep(struct kunit *test)
{
	struct kmm_machine *m = boot(test, HM_BOOT);
	char *local;

	alloc_many(test, m, 1026);
	for (int i = 0; i < 1024; i++)
		KUNIT_ASSERT_NOT_NULL(test, kmm_kmap(m, pages[i]));
	local = kmm_kmap_local_page(m, pages[1024]);
	KUNIT_ASSERT_NOT_NULL(test, local);
	KUNIT_EXPECT_NULL(test, kmm_kmap(m, pages[1025]));
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "kmm: kmap: all 1024 PKMAP slots are in use and the task may not sleep");
	/* a page that is mapped already needs no slot */
	EXPECT_PTR_EQ(test, kmm_kmap(m, pages[0]), kmm_page_address(m, pages[0]));
	kmm_kunmap(m, pages[0]);
	kmm_kunmap_local(m, local);
	for (int i = 0; i < 1024; i++)
		kmm_kunmap(m, pages[i]);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	kmm_kmap_flush_unused(m);
	KUNIT_EXPECT_TRUE(test, pkmap_at_rest(m));
	free_many(m, 1026);
	kmm_shutdown(m);
}

/* ---- helpers, kmap_to_page, bad input ---- */

static void helpers_reach_highmem_bytes(struct kunit *test)
{
	struct kmm_machine *m = boot(test, HM_BOOT);
	struct kmm_page *comp = kmm_alloc_pages(m, KMM_GFP_HIGHUSER | KMM___GFP_COMP, 1);
	char buf[KMM_PAGE_SIZE], want[KMM_PAGE_SIZE];

	KUNIT_ASSERT_NOT_NULL(test, comp);
	KUNIT_ASSERT_TRUE(test, kmm_PageHighMem(comp));
	alloc_many(test, m, 2);
	for (size_t i = 0; i < sizeof(want); i++)
		want[i] = (char)(i * 7 + 1);
	kmm_memcpy_to_page(m, pages[0], 0, want, sizeof(want));
	kmm_memcpy_from_page(m, buf, pages[0], 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(buf)), 0);
	kmm_copy_highpage(m, pages[1], pages[0]);
	kmm_memcpy_from_page(m, buf, pages[1], 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(buf)), 0);
	kmm_memzero_page(m, pages[1], 100, 50);
	memset(want + 100, 0, 50);
	kmm_memcpy_from_page(m, buf, pages[1], 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(buf)), 0);
	kmm_memcpy_from_page(m, buf, pages[1], 4000, 96);
	KUNIT_EXPECT_EQ(test, memcmp(buf, want + 4000, 96), 0);
	kmm_clear_highpage(m, pages[0]);
	kmm_memcpy_from_page(m, buf, pages[0], 0, sizeof(buf));
	memset(want, 0, sizeof(want));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(buf)), 0);

	/* zero_user_segments across the two pages of a compound page */
	for (int i = 0; i < 2; i++) {
		memset(want, 0x5a, sizeof(want));
		kmm_memcpy_to_page(m, comp + i, 0, want, sizeof(want));
	}
	kmm_zero_user_segments(m, comp, 10, 20, 4000, 4200);
	kmm_memcpy_from_page(m, buf, comp, 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, buf[9], 0x5a);
	KUNIT_EXPECT_EQ(test, buf[10], 0);
	KUNIT_EXPECT_EQ(test, buf[19], 0);
	KUNIT_EXPECT_EQ(test, buf[20], 0x5a);
	KUNIT_EXPECT_EQ(test, buf[3999], 0x5a);
	KUNIT_EXPECT_EQ(test, buf[4000], 0);
	KUNIT_EXPECT_EQ(test, buf[4095], 0);
	kmm_memcpy_from_page(m, buf, comp + 1, 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, buf[0], 0);
	KUNIT_EXPECT_EQ(test, buf[103], 0);
	KUNIT_EXPECT_EQ(test, buf[104], 0x5a);

	/* past the end: the BUG, nothing written */
	kmm_memcpy_to_page(m, pages[0], 4000, want, 200);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "kernel BUG at include/linux/highmem.h:432!");
	kmm_memzero_page(m, comp, 1, KMM_PAGE_SIZE);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "kernel BUG at include/linux/highmem.h:442!");
	kmm_zero_user_segments(m, comp, 0, 3 * KMM_PAGE_SIZE, 0, 0);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "kernel BUG at mm/highmem.c:409!");
	kmm_memcpy_from_page(m, buf, comp + 1, 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, buf[200], 0x5a);
	kmm_memcpy_from_page(m, buf, pages[0], 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, buf[4050], 0);

	KUNIT_EXPECT_EQ(test, my_stack(m)->idx, 0);
	KUNIT_EXPECT_TRUE(test, pkmap_at_rest(m));
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	free_many(m, 2);
	kmm___free_pages(m, comp, 1);
	kmm_shutdown(m);
}

static void kmap_to_page_inverts(struct kunit *test)
{
	struct kmm_machine *m = boot(test, HM_BOOT);
	struct kmm_page *low = kmm_alloc_page(m, KMM_GFP_KERNEL);
	char *a, *l;

	alloc_many(test, m, 2);
	a = kmm_kmap(m, pages[0]);
	EXPECT_PTR_EQ(test, kmm_kmap_to_page(m, a + 123), pages[0]);
	/* 6.12 warns once about kmap_to_page of a kmap address, and answers */
	KUNIT_EXPECT_STRSTR(test, kmsg(m), " at mm/highmem.c:173 __kmap_to_page+");
	l = kmm_kmap_local_page(m, pages[1]);
	EXPECT_PTR_EQ(test, kmm_kmap_to_page(m, l), pages[1]);
	kmm_kunmap_local(m, l);
	/* a slot not in use shows no page */
	KUNIT_EXPECT_NULL(test, kmm_kmap_to_page(m, l));
	KUNIT_EXPECT_NULL(test, kmm_kmap_to_page(m, (char *)kmm_pkmap_addr(m, 600)));
	EXPECT_PTR_EQ(test, kmm_kmap_to_page(m, (char *)kmm_page_address(m, low) + 9), low);
	KUNIT_EXPECT_NULL(test, kmm_kmap_to_page(m, &test));
	kmm_kunmap(m, pages[0]);
	free_many(m, 2);
	kmm___free_pages(m, low, 0);
	kmm_shutdown(m);
}

static void bad_input_is_reported(struct kunit *test)
{
	struct kmm_machine *m = boot(test, HM_BOOT);
	struct kmm_page fake = { 0 };
	unsigned int nr;
	char *a;

	alloc_many(test, m, 1);
	/* kunmap of a page that is not kmapped */
	kmm_kunmap(m, pages[0]);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "kernel BUG at mm/highmem.c:371!");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "Oops: invalid opcode: 0000 [#1] PREEMPT SMP");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "EIP: kunmap_high+");
	KUNIT_EXPECT_TRUE(test, pkmap_at_rest(m));
	/* one kunmap too many: the count would reach 0 */
	a = kmm_kmap(m, pages[0]);
	nr = slot_of(m, a);
	kmm_kunmap(m, pages[0]);
	kmm_kunmap(m, pages[0]);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "kernel BUG at mm/highmem.c:381!");
	KUNIT_EXPECT_EQ(test, m->highmem->pkmap_count[nr], 1);
	EXPECT_PTR_EQ(test, kmm_page_address(m, pages[0]), a);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	/* NULL and pointers that are no page of this machine */
	KUNIT_EXPECT_NULL(test, kmm_kmap(m, NULL));
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "kmap(0x0): not a struct page of this machine");
	kmm_kunmap(m, NULL);
	KUNIT_EXPECT_NULL(test, kmm_kmap_local_page(m, &fake));
	KUNIT_EXPECT_NULL(test, kmm_kmap_atomic(m, NULL));
	KUNIT_EXPECT_EQ(test, kmm_preempt_count(), 0);
	KUNIT_EXPECT_FALSE(test, kmm_plat_pagefault_disabled(m));
	kmm_clear_highpage(m, NULL);
	kmm_copy_highpage(m, pages[0], NULL);
	kmm_memcpy_to_page(m, &fake, 0, "x", 1);
	kmm_zero_user_segments(m, NULL, 0, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, count_in(kmsg(m), "not a struct page of this machine"), 8);
	KUNIT_EXPECT_EQ(test, my_stack(m)->idx, 0);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	free_many(m, 1);
	kmm_shutdown(m);
}

static void walker_catches_corruption(struct kunit *test)
{
	struct kmm_machine *m = boot(test, HM_BOOT);
	struct kmm_highmem *hm = m->highmem;
	unsigned int nr;
	char *a, *l;
	void *saved;

	alloc_many(test, m, 3);
	a = kmm_kmap(m, pages[0]);
	nr = slot_of(m, a);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);

	hm->pkmap_count[nr] = 0;	/* a slot in use that says it is free */
	KUNIT_EXPECT_GT(test, kmm_highmem_check(m), 0);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "highmem check: ");
	hm->pkmap_count[nr] = 2;
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);

	hm->pkmap_count[nr + 1] = 1;	/* a count without a mapping */
	KUNIT_EXPECT_GT(test, kmm_highmem_check(m), 0);
	hm->pkmap_count[nr + 1] = 0;

	saved = pages[1]->virtual;	/* a page that claims a slot it does not have */
	pages[1]->virtual = a;
	KUNIT_EXPECT_GT(test, kmm_highmem_check(m), 0);
	pages[1]->virtual = (char *)m->layout.fixaddr_top + 5 * KMM_PAGE_SIZE;
	KUNIT_EXPECT_GT(test, kmm_highmem_check(m), 0);
	pages[1]->virtual = saved;
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);

	/* the host: a slot that lost its mapping, a slot mapped behind the allocator's back */
	kmm_plat_unmap(m, (uintptr_t)a, KMM_PAGE_SIZE);
	KUNIT_EXPECT_GT(test, kmm_highmem_check(m), 0);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "the host maps nothing there");
	KUNIT_ASSERT_EQ(test, kmm_plat_map(m, (uintptr_t)a,
					   (kmm_phys_addr_t)kmm_page_to_pfn(&m->layout, pages[0]) << KMM_PAGE_SHIFT,
					   KMM_PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	KUNIT_ASSERT_EQ(test, kmm_plat_map(m, kmm_pkmap_addr(m, 900),
					   (kmm_phys_addr_t)kmm_page_to_pfn(&m->layout, pages[2]) << KMM_PAGE_SHIFT,
					   KMM_PAGE_SIZE), 0);
	KUNIT_EXPECT_GT(test, kmm_highmem_check(m), 0);
	kmm_plat_unmap(m, kmm_pkmap_addr(m, 900), KMM_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);

	/* a kmap_local stack past its bound, and a slot in use without a frame */
	l = kmm_kmap_local_page(m, pages[1]);
	my_stack(m)->idx = KMM_KM_MAX_IDX;
	KUNIT_EXPECT_GT(test, kmm_highmem_check(m), 0);
	my_stack(m)->idx = 1;
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	my_stack(m)->pfn[0] = 0;
	KUNIT_EXPECT_GT(test, kmm_highmem_check(m), 0);
	my_stack(m)->pfn[0] = (uint32_t)kmm_page_to_pfn(&m->layout, pages[1]);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	kmm_kunmap_local(m, l);

	kmm_kunmap(m, pages[0]);
	free_many(m, 3);
	kmm_shutdown(m);
}

/* ---- a profile without highmem ---- */

static void no_highmem_maps_page_address(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "quiet");
	struct kmm_page *p = kmm_alloc_page(m, KMM_GFP_HIGHUSER);
	void *addr;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, m->highmem);
	KUNIT_EXPECT_FALSE(test, kmm_PageHighMem(p));
	addr = kmm_page_address(m, p);
	EXPECT_PTR_EQ(test, kmm_kmap(m, p), addr);
	kmm_kunmap(m, p);
	EXPECT_PTR_EQ(test, kmm_kmap_local_page(m, p), addr);
	kmm_kunmap_local(m, addr);
	EXPECT_PTR_EQ(test, kmm_kmap_atomic(m, p), addr);
	KUNIT_EXPECT_EQ(test, kmm_preempt_count(), 1);
	KUNIT_EXPECT_TRUE(test, kmm_plat_pagefault_disabled(m));
	kmm_kunmap_atomic(m, addr);
	KUNIT_EXPECT_EQ(test, kmm_preempt_count(), 0);
	EXPECT_PTR_EQ(test, kmm_kmap_to_page(m, addr), p);
	kmm_memcpy_to_page(m, p, 10, "lowmem", 7);
	KUNIT_EXPECT_STREQ(test, (char *)addr + 10, "lowmem");
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(m), 0);
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "BUG");
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "WARNING");
	kmm___free_pages(m, p, 0);
	kmm_shutdown(m);
}

static struct kunit_case cases[] = {
	KUNIT_CASE(unmapped_highmem_has_no_address),
	KUNIT_CASE(kmap_maps_into_pkmap),
	KUNIT_CASE(wrap_around_flushes),
	KUNIT_CASE(kmap_sleeps_until_a_slot_frees),
	KUNIT_CASE(sleepers_share_the_new_mapping),
	KUNIT_CASE(kmap_local_nests),
	KUNIT_CASE(kunmap_local_out_of_order_warns),
	KUNIT_CASE(kmap_atomic_is_atomic),
	KUNIT_CASE(kmap_with_local_mappings_does_not_sleep),
	KUNIT_CASE(helpers_reach_highmem_bytes),
	KUNIT_CASE(kmap_to_page_inverts),
	KUNIT_CASE(bad_input_is_reported),
	KUNIT_CASE(walker_catches_corruption),
	KUNIT_CASE(no_highmem_maps_page_address),
	{},
};
KUNIT_MAIN("highmem", cases)
