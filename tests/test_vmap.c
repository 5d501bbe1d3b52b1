/* SPDX-License-Identifier: MIT */
/*
 * vmap and vunmap of the caller's pages, and the frees the kernel refuses:
 * vmap maps the pages in the order given and vunmap leaves them allocated
 * (VM_MAP_PUT_PAGES hands them over), bad input gives no area, and a vfree
 * or vunmap of an address that is no area's start warns as the kernel does
 * and changes nothing.
 */
#include "vm_test.h"

#define PAGE KMM_PAGE_SIZE
#define NR 8

/* NR order-0 pages; arr[i] is the i-th allocated in reverse, so that vmap's order shows. */
static int take_pages(struct kmm_machine *m, struct kmm_page **arr)
{
	for (int i = NR - 1; i >= 0; i--) {
		arr[i] = kmm_alloc_pages(m, KMM_GFP_KERNEL, 0);
		if (!arr[i])
			return -1;
	}
	return 0;
}

static void put_pages(struct kmm_machine *m, struct kmm_page **arr)
{
	for (int i = 0; i < NR; i++)
		kmm___free_pages(m, arr[i], 0);
}

static void vmap_maps_pages_in_order(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	struct kmm_page *arr[NR];
	struct kmm_vmalloc_stats st;
	unsigned long free_before;
	struct vm_base base;
	unsigned char *v;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	KUNIT_ASSERT_EQ(test, take_pages(m, arr), 0);
	kmm_quiesce(m);
	free_before = kmm_nr_free_pages(m);
	v = kmm_vmap(m, arr, NR, 0);
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_EXPECT_TRUE(test, kmm_is_vmalloc_addr(m, v));
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_size(m, v), NR * PAGE);
	for (int i = 0; i < NR; i++) {
		unsigned char *direct = kmm_page_address(m, arr[i]);

		memset(v + i * PAGE, 0x10 + i, PAGE);
		KUNIT_ASSERT_NOT_NULL(test, direct);
		KUNIT_EXPECT_EQ(test, direct[0], 0x10 + i);
		KUNIT_EXPECT_EQ(test, direct[PAGE - 1], 0x10 + i);
		KUNIT_EXPECT_TRUE(test, kmm_vmalloc_to_page(m, v + i * PAGE + 9) == arr[i]);
	}
	KUNIT_EXPECT_NULL(test, kmm_vmalloc_to_page(m, v + NR * PAGE));
	/* the caller's pages are no vmalloc pages */
	kmm_vmalloc_stats(m, &st);
	KUNIT_EXPECT_EQ(test, st.nr_vmalloc_pages, 0);
	KUNIT_EXPECT_EQ(test, st.nr_areas, 1);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_vunmap(m, v);
	kmm_vm_unmap_aliases(m);
	kmm_quiesce(m);
	/* the pages are still the caller's, with what was written through the mapping */
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free_before);
	for (int i = 0; i < NR; i++) {
		KUNIT_EXPECT_EQ(test, kmm_page_ref_count(arr[i]), 1);
		KUNIT_EXPECT_EQ(test, ((unsigned char *)kmm_page_address(m, arr[i]))[7], 0x10 + i);
	}
	/* vfree of a vmap area does not free them either (its vm_struct has no pages) */
	v = kmm_vmap(m, arr, NR, 0);
	KUNIT_ASSERT_NOT_NULL(test, v);
	kmm_vfree(m, v);
	kmm_vm_unmap_aliases(m);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free_before);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	put_pages(m, arr);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static void vmap_put_pages_hands_them_over(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	struct kmm_page **arr;
	struct vm_base base;
	char *v;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	arr = kmm_kmalloc(m, NR * sizeof(*arr), KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, arr);
	KUNIT_ASSERT_EQ(test, take_pages(m, arr), 0);
	v = kmm_vmap(m, arr, NR, KMM_VM_MAP_PUT_PAGES);
	KUNIT_ASSERT_NOT_NULL(test, v);
	memset(v, 1, NR * PAGE);
	/* vunmap puts the pages and frees the array */
	kmm_vunmap(m, v);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static void vmap_refuses_bad_input(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	struct kmm_page *arr[NR], *bad[2];
	char not_a_page[64];
	struct vm_base base;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	KUNIT_ASSERT_EQ(test, take_pages(m, arr), 0);
	KUNIT_EXPECT_NULL(test, kmm_vmap(m, NULL, 1, 0));
	KUNIT_EXPECT_NULL(test, kmm_vmap(m, arr, 0, 0));
	/* more pages than the machine has: refused before the array is read */
	KUNIT_EXPECT_NULL(test, kmm_vmap(m, arr, 0xffffffffu, 0));
	bad[0] = arr[0];
	bad[1] = (struct kmm_page *)not_a_page;
	KUNIT_EXPECT_NULL(test, kmm_vmap(m, bad, 2, 0));
	put_pages(m, arr);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static void bad_frees_warn_and_change_nothing(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	struct vm_base boot_state, with_area;
	size_t logged;
	char *p, *k;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &boot_state);
	p = kmm_vmalloc(m, 3 * PAGE);
	k = kmm_kmalloc(m, 64, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, k);
	vm_rest(m, &with_area);
	logged = strlen(kmsg(m));
	kmm_vfree(m, NULL);
	kmm_vunmap(m, NULL);
	KUNIT_EXPECT_EQ(test, strlen(kmsg(m)), logged);

	kmm_vfree(m, p + 1);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "Trying to vfree() bad address (");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "WARNING: CPU: ");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "at mm/vmalloc.c:");
	/* inside an area but not its start; past it; not in the vmalloc region at all */
	kmm_vfree(m, p + PAGE);
	kmm_vfree(m, p + 64 * PAGE);
	kmm_vfree(m, (const void *)((uintptr_t)k & ~(uintptr_t)(PAGE - 1)));
	KUNIT_EXPECT_EQ(test, count_in(kmsg(m), "Trying to vfree() nonexistent vm area ("), 3);
	kmm_vunmap(m, p + PAGE);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "Trying to vunmap() nonexistent vm area (");
	/* nothing changed: p is whole, the walker clean, the counters as they were */
	EXPECT_AT_BASE(test, m, &with_area);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_size(m, p), 3 * PAGE);
	p[3 * PAGE - 1] = 1;
	kmm_kfree(m, k);
	kmm_vfree(m, p);
	/* a second vfree of the same area: warned, nothing freed twice */
	kmm_vfree(m, p);
	KUNIT_EXPECT_EQ(test, count_in(kmsg(m), "Trying to vfree() nonexistent vm area ("), 4);
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "Bad page state");
	EXPECT_AT_BASE(test, m, &boot_state);
	kmm_shutdown(m);
}

/*
 * vunmap of a vmalloc'ed area: Linux's vunmap leaves the pages of an area
 * without VM_MAP_PUT_PAGES alone (the kernel leaks them); kmm's treats a
 * VM_ALLOC area as vfree does, so nothing is lost either way it is freed.
 * In atomic context vunmap is a BUG (the area stays).
 */
static void vunmap_of_a_vmalloc_area(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	struct vm_base base;
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	p = kmm_vmalloc(m, 65536);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kmm_preempt_disable();
	kmm_vunmap(m, p);
	kmm_preempt_enable();
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "kernel BUG at mm/vmalloc.c:");
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_size(m, p), 65536);
	memset(p, 1, 65536);
	kmm_vunmap(m, p);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_size(m, p), 0);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static struct kunit_case vmap_cases[] = {
	KUNIT_CASE(vmap_maps_pages_in_order),
	KUNIT_CASE(vmap_put_pages_hands_them_over),
	KUNIT_CASE(vmap_refuses_bad_input),
	KUNIT_CASE(bad_frees_warn_and_change_nothing),
	KUNIT_CASE(vunmap_of_a_vmalloc_area),
	{}
};

KUNIT_MAIN("vmap", vmap_cases)
