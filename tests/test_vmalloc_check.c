/* SPDX-License-Identifier: MIT */
/*
 * The vmalloc integrity walker finds what it is for: each case damages one
 * thing behind the allocator's back (a vm_struct's size, a page unmapped
 * or mapped to the wrong frame, a guard page mapped, a counter, the free
 * tree's augmented maximum), expects kmm_vmalloc_check() to count it with
 * its own line in the log, puts it back and expects the walker clean again.
 */
#include "core/internal.h"
#include "core/vmalloc.h"
#include "vm_test.h"

#define PAGE KMM_PAGE_SIZE
#define NR 4

static struct kmm_vm_struct *area_of(struct kmm_machine *m, const void *addr)
{
	struct kmm_vmap_area *va;

	kmm_spin_lock(&m->vmalloc->lock);
	va = kmm_find_vmap_area_locked(m->vmalloc, (uintptr_t)addr);
	kmm_spin_unlock(&m->vmalloc->lock);
	return va ? va->vm : NULL;
}

/* The walker finds something, and the log says what. */
#define EXPECT_CAUGHT(test, m, text)                                                       \
	do {                                                                               \
		KUNIT_EXPECT_GT(test, kmm_vmalloc_check(m), 0);                            \
		KUNIT_EXPECT_STRSTR(test, kmsg(m), text);                                  \
	} while (0)

static void catches_a_lying_vm_struct(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	struct kmm_vm_struct *vm;
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	p = kmm_vmalloc(m, NR * PAGE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	vm = area_of(m, p);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_ASSERT_EQ(test, kmm_vmalloc_check(m), 0);
	vm->size += PAGE;
	EXPECT_CAUGHT(test, m, "vm_struct says");
	vm->size -= PAGE;
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	vm->nr_map++;
	EXPECT_CAUGHT(test, m, "maps 5 pages into");
	vm->nr_map--;
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_vfree(m, p);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_shutdown(m);
}

static void catches_wrong_mappings(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	kmm_phys_addr_t phys0, phys1;
	struct kmm_vm_struct *vm;
	uintptr_t a;
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	p = kmm_vmalloc(m, NR * PAGE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0x61, NR * PAGE);
	vm = area_of(m, p);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	a = (uintptr_t)p;
	phys0 = (kmm_phys_addr_t)kmm_pfn(m, vm->map[0]) << KMM_PAGE_SHIFT;
	phys1 = (kmm_phys_addr_t)kmm_pfn(m, vm->map[1]) << KMM_PAGE_SHIFT;

	/* a page of the area unmapped */
	kmm_plat_unmap(m, a + PAGE, PAGE);
	EXPECT_CAUGHT(test, m, "the busy areas map 4 pages, the host maps 3 of them");
	KUNIT_ASSERT_EQ(test, kmm_plat_map(m, a + PAGE, phys1, PAGE), 0);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	KUNIT_EXPECT_EQ(test, p[PAGE + 5], 0x61);	/* the same frame again */

	/* its guard page mapped */
	KUNIT_ASSERT_EQ(test, kmm_plat_map(m, a + NR * PAGE, phys1, PAGE), 0);
	EXPECT_CAUGHT(test, m, "its guard page");
	kmm_plat_unmap(m, a + NR * PAGE, PAGE);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);

	/* a page showing another frame than the one the area records */
	KUNIT_ASSERT_EQ(test, kmm_plat_map(m, a, phys1, PAGE), 0);
	EXPECT_CAUGHT(test, m, "page 0 maps phys");
	KUNIT_ASSERT_EQ(test, kmm_plat_map(m, a, phys0, PAGE), 0);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);

	/* free space mapped */
	KUNIT_ASSERT_EQ(test, kmm_plat_map(m, a + 64 * PAGE, phys0, PAGE), 0);
	EXPECT_CAUGHT(test, m, "but belongs to no area");
	kmm_plat_unmap(m, a + 64 * PAGE, PAGE);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);

	kmm_vfree(m, p);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_shutdown(m);
}

static void catches_wrong_counters_and_trees(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	struct kmm_vmalloc *vm;
	char *p, *q;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm = m->vmalloc;
	p = kmm_vmalloc(m, NR * PAGE);
	q = kmm_vmalloc(m, PAGE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_ASSERT_EQ(test, kmm_vmalloc_check(m), 0);

	__atomic_fetch_add(&vm->nr_vmalloc_pages, 1, __ATOMIC_RELAXED);
	EXPECT_CAUGHT(test, m, "nr_vmalloc_pages says");
	__atomic_fetch_sub(&vm->nr_vmalloc_pages, 1, __ATOMIC_RELAXED);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);

	vm->nr_busy++;
	EXPECT_CAUGHT(test, m, "busy areas found, nr_busy says");
	vm->nr_busy--;
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);

	kmm_vfree(m, p);
	vm->lazy_nr++;
	EXPECT_CAUGHT(test, m, "pages wait for the purge, lazy_nr says");
	vm->lazy_nr--;
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);

	vm->free_root->subtree_max_size += PAGE;
	EXPECT_CAUGHT(test, m, "keeps subtree_max_size");
	vm->free_root->subtree_max_size -= PAGE;
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);

	/* a range lost from every tree */
	vm->free_root->va_end -= PAGE;
	EXPECT_CAUGHT(test, m, "ranges overlap or are lost");
	vm->free_root->va_end += PAGE;
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_vfree(m, q);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_shutdown(m);
}

static struct kunit_case check_cases[] = {
	KUNIT_CASE(catches_a_lying_vm_struct),
	KUNIT_CASE(catches_wrong_mappings),
	KUNIT_CASE(catches_wrong_counters_and_trees),
	{}
};

KUNIT_MAIN("vmalloc_check", check_cases)
