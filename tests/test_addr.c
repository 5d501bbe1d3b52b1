/* SPDX-License-Identifier: MIT */
/*
 * Address conversions round-trip for every lowmem page of every profile:
 * __pa/__va, pfn_to_page/page_to_pfn, virt_to_page, page_address; highmem
 * pages have no address until kmapped.
 */
#include <kmm/kmm.h>

#include "kunit.h"

static unsigned long roundtrip_failures(struct kmm_machine *m)
{
	const struct kmm_layout *l = kmm_layout(m);
	unsigned long bad = 0;

	for (unsigned long pfn = l->min_low_pfn; pfn < l->max_low_pfn; pfn++) {
		kmm_phys_addr_t pa = (kmm_phys_addr_t)pfn << KMM_PAGE_SHIFT;
		void *va = kmm_va(l, pa);
		struct kmm_page *page = kmm_pfn_to_page(l, pfn);

		bad += kmm_pa(l, va) != pa;
		bad += kmm_pa(l, (char *)va + 123) != pa + 123;
		bad += kmm_page_to_pfn(l, page) != pfn;
		bad += kmm_virt_to_page(l, (char *)va + 4095) != page;
		bad += kmm_page_address(m, page) != va;
		bad += !kmm_virt_addr_valid(l, va);
	}
	return bad;
}

static void check_profile(struct kunit *test, const char *cmdline)
{
	struct kmm_machine *m = kmm_boot(cmdline);
	const struct kmm_layout *l;

	KUNIT_ASSERT_NOT_NULL(test, m);
	l = kmm_layout(m);
	KUNIT_EXPECT_GT(test, l->max_low_pfn, l->min_low_pfn);
	KUNIT_EXPECT_EQ(test, roundtrip_failures(m), 0);
	/* the first and last lowmem bytes are real, writable memory */
	*(volatile char *)kmm_va(l, (kmm_phys_addr_t)l->min_low_pfn << KMM_PAGE_SHIFT) = 1;
	*(volatile char *)((char *)l->high_memory - 1) = 2;
	KUNIT_EXPECT_EQ(test, *(char *)((char *)l->high_memory - 1), 2);
	KUNIT_EXPECT_FALSE(test, kmm_virt_addr_valid(l, (void *)l->high_memory));
	KUNIT_EXPECT_FALSE(test, kmm_virt_addr_valid(l, (void *)(l->page_offset - 1)));
	/* highmem pages: a struct page, but no permanent address */
	for (unsigned long pfn = l->max_low_pfn; pfn < l->max_pfn; pfn += 4099) {
		struct kmm_page *page = kmm_pfn_to_page(l, pfn);

		KUNIT_EXPECT_EQ(test, kmm_page_to_pfn(l, page), pfn);
		KUNIT_EXPECT_NULL(test, kmm_page_address(m, page));
	}
	kmm_shutdown(m);
}

static void x86_64(struct kunit *test)
{
	check_profile(test, "quiet");
}

static void x86_64_4g(struct kunit *test)
{
	check_profile(test, "mem=4G quiet");
}

static void i386_highmem(struct kunit *test)
{
	check_profile(test, "profile=i386-highmem quiet");
}

static void at91rm9200(struct kunit *test)
{
	check_profile(test, "profile=at91rm9200 quiet");
}

static struct kunit_case cases[] = {
	KUNIT_CASE(x86_64),
	KUNIT_CASE(x86_64_4g),
	KUNIT_CASE(i386_highmem),
	KUNIT_CASE(at91rm9200),
	{ 0 },
};

KUNIT_MAIN("addr", cases)
