/* SPDX-License-Identifier: MIT */
/*
 * The page allocator as kernel code sees it: <linux/gfp.h> and <linux/mm.h>
 * from include/kmm-linux (kmm's own API only to boot, quiesce and read
 * /proc). On each profile, pages of every order and every zone modifier are
 * allocated and freed, checked as a driver checks them (page_address,
 * page_to_pfn, PageHighMem, compound_order, the DMA limits), and after
 * kmm_quiesce /proc/buddyinfo reads as it did at boot. This is the issue's
 * "Done when" program:
 *
 *   cc -I include -I include/kmm-linux prog.c build/libkmm.a -lpthread
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include <kmm/kmm.h>

#include "kmm_log.h"
#include "kunit.h"

#define MAX_ORDERS 16

struct profile {
	const char *cmdline;
	unsigned int max_order;
	bool has_dma;			/* ZONE_DMA below 16 MiB */
	bool has_dma32;			/* ZONE_DMA32 below 4 GiB */
	bool has_highmem;		/* populated ZONE_HIGHMEM */
	bool normal_above_4g;		/* ZONE_NORMAL populated, above 4 GiB */
};

static const struct profile profiles[] = {
	{ "quiet", 10, true, true, false, false },
	{ "quiet mem=8G", 10, true, true, false, true },
	{ "quiet profile=i386-highmem", 10, true, false, true, false },
	{ "quiet profile=i386-highmem mem=512M", 10, true, false, false, false },
	{ "quiet profile=at91rm9200", 9, false, false, false, false },
};

/* Every zone modifier the kernel accepts, and a mobility hint without one. */
static const gfp_t modifiers[] = {
	0,
	__GFP_DMA,
	__GFP_DMA32,
	__GFP_HIGHMEM,
	__GFP_MOVABLE,
	__GFP_DMA | __GFP_MOVABLE,
	__GFP_DMA32 | __GFP_MOVABLE,
	__GFP_HIGHMEM | __GFP_MOVABLE,
	__GFP_RECLAIMABLE,
};

static char boot_text[8192], now_text[8192], log[1 << 20];

static void read_buddyinfo(struct kmm_machine *m, char *buf, size_t len)
{
	kmm_proc_read(m, "/proc/buddyinfo", buf, len);
}

/*
 * What a driver asks of a block it got: aligned to its size, one reference,
 * not free, a direct-map address unless it is highmem, and in the zone the
 * mask allows (physically below the DMA limits).
 */
static void check_block(struct kunit *test, const struct profile *p, gfp_t mod,
			struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), nr = 1UL << order;
	phys_addr_t phys = page_to_phys(page), end = phys + ((phys_addr_t)nr << PAGE_SHIFT);
	bool want_high = p->has_highmem && (mod & __GFP_HIGHMEM);

	KUNIT_EXPECT_EQ(test, pfn & (nr - 1), 0);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);
	KUNIT_EXPECT_FALSE(test, PageBuddy(page));
	KUNIT_EXPECT_EQ(test, (uintptr_t)pfn_to_page(pfn), (uintptr_t)page);
	KUNIT_EXPECT_EQ(test, PageHighMem(page), want_high);
	if ((mod & __GFP_DMA) && p->has_dma)
		KUNIT_EXPECT_LE(test, end, SZ_16M);
	if ((mod & __GFP_DMA32) && p->has_dma32)
		KUNIT_EXPECT_LE(test, end, 1ULL << 32);
	if (!(mod & (__GFP_DMA | __GFP_DMA32)) && p->normal_above_4g)
		KUNIT_EXPECT_GE(test, phys, 1ULL << 32);
	if (PageHighMem(page)) {
		/* no kernel mapping until kmap */
		KUNIT_EXPECT_NULL(test, page_address(page));
		KUNIT_EXPECT_GE(test, pfn, max_low_pfn);
		return;
	}
	KUNIT_EXPECT_LE(test, pfn + nr, max_low_pfn);
	{
		unsigned char *va = page_address(page);

		KUNIT_ASSERT_NOT_NULL(test, va);
		KUNIT_EXPECT_EQ(test, (uintptr_t)va, (uintptr_t)__va(phys));
		KUNIT_EXPECT_EQ(test, __pa(va), phys);
		KUNIT_EXPECT_EQ(test, (uintptr_t)virt_to_page(va), (uintptr_t)page);
		KUNIT_EXPECT_EQ(test, (uintptr_t)page_to_virt(page), (uintptr_t)va);
		/* the memory is there: a byte in every page */
		for (unsigned long i = 0; i < nr; i++)
			va[i * PAGE_SIZE + (i % PAGE_SIZE)] = (unsigned char)(i + 1);
		for (unsigned long i = 0; i < nr; i++)
			if (va[i * PAGE_SIZE + (i % PAGE_SIZE)] != (unsigned char)(i + 1))
				KUNIT_FAIL_MSG(test, "page %lu of pfn %#lx lost its byte", i, pfn);
	}
}

/*
 * compound_head() through a function whose argument is named page: the
 * facade's macro names its parameter page too, so compound_head(p + 1)
 * does not compile (reported; drop this helper once mm.h is fixed).
 */
static struct page *head_of(struct page *page)
{
	return compound_head(page);
}

static void check_compound(struct kunit *test, struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;

	if (!order) {
		KUNIT_EXPECT_FALSE(test, PageCompound(page));
		KUNIT_EXPECT_EQ(test, compound_order(page), 0);
		return;
	}
	KUNIT_EXPECT_TRUE(test, PageHead(page));
	KUNIT_EXPECT_TRUE(test, PageCompound(page));
	KUNIT_EXPECT_EQ(test, compound_order(page), order);
	KUNIT_EXPECT_TRUE(test, PageTail(page + 1));
	KUNIT_EXPECT_TRUE(test, PageTail(page + nr - 1));
	KUNIT_EXPECT_EQ(test, (uintptr_t)head_of(page + nr - 1), (uintptr_t)page);
	KUNIT_EXPECT_EQ(test, page_count(page + nr - 1), 1);
}

/* One profile: every order of every zone modifier, plain, compound and __get_free_pages. */
static void every_order_and_zone(struct kunit *test, const struct profile *p)
{
	struct kmm_machine *m = kmm_boot(p->cmdline);
	struct page *blocks[MAX_ORDERS];
	unsigned long addrs[MAX_ORDERS];

	KUNIT_ASSERT_NOT_NULL(test, m);
	read_buddyinfo(m, boot_text, sizeof(boot_text));
	KUNIT_ASSERT_EQ(test, MAX_PAGE_ORDER, p->max_order);
	KUNIT_ASSERT_EQ(test, NR_PAGE_ORDERS, p->max_order + 1);

	for (size_t i = 0; i < sizeof(modifiers) / sizeof(*modifiers); i++) {
		gfp_t mod = modifiers[i];

		/* plain blocks: all orders held at once, then freed */
		for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
			blocks[order] = alloc_pages(GFP_KERNEL | mod, order);
			KUNIT_ASSERT_NOT_NULL(test, blocks[order]);
			check_block(test, p, mod, blocks[order], order);
			KUNIT_EXPECT_EQ(test, compound_order(blocks[order]), 0);
			KUNIT_EXPECT_FALSE(test, PageCompound(blocks[order]));
		}
		for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++)
			__free_pages(blocks[order], order);

		/* compound pages, freed by their last reference */
		for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
			blocks[order] = alloc_pages(GFP_KERNEL | __GFP_COMP | mod, order);
			KUNIT_ASSERT_NOT_NULL(test, blocks[order]);
			check_block(test, p, mod, blocks[order], order);
			check_compound(test, blocks[order], order);
		}
		for (unsigned int order = MAX_PAGE_ORDER + 1; order-- > 0;)
			put_page(blocks[order]);

		/* __get_free_pages: lowmem only, whatever the mask asks */
		for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
			addrs[order] = __get_free_pages(GFP_KERNEL | mod, order);
			KUNIT_ASSERT_NE(test, addrs[order], 0);
			KUNIT_EXPECT_EQ(test, addrs[order] & ((PAGE_SIZE << order) - 1), 0);
			KUNIT_EXPECT_TRUE(test, virt_addr_valid((void *)addrs[order]));
			check_block(test, p, mod & ~__GFP_HIGHMEM, virt_to_page((void *)addrs[order]), order);
		}
		for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++)
			free_pages(addrs[order], order);
	}

	/* beyond MAX_PAGE_ORDER: NULL, quietly with __GFP_NOWARN */
	KUNIT_EXPECT_NULL(test, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1));
	kmm_proc_read(m, "/dev/kmsg", log, sizeof(log));
	KUNIT_EXPECT_EQ(test, count_in(log, "WARNING:"), 0);
	KUNIT_EXPECT_EQ(test, count_in(log, "BUG:"), 0);
	KUNIT_EXPECT_EQ(test, count_in(log, "page allocation failure"), 0);

	/* at rest, the free lists are those of boot */
	kmm_quiesce(m);
	read_buddyinfo(m, now_text, sizeof(now_text));
	KUNIT_EXPECT_STREQ(test, now_text, boot_text);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

static void x86_64_every_order_and_zone(struct kunit *test)
{
	every_order_and_zone(test, &profiles[0]);
}

static void x86_64_8g_every_order_and_zone(struct kunit *test)
{
	every_order_and_zone(test, &profiles[1]);
}

static void i386_highmem_every_order_and_zone(struct kunit *test)
{
	every_order_and_zone(test, &profiles[2]);
}

static void i386_512m_every_order_and_zone(struct kunit *test)
{
	every_order_and_zone(test, &profiles[3]);
}

static void at91rm9200_every_order_and_zone(struct kunit *test)
{
	every_order_and_zone(test, &profiles[4]);
}

/* The helpers a driver reaches for, on each profile. */
static void driver_helpers(struct kunit *test)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(*profiles); i++) {
		struct kmm_machine *m = kmm_boot(profiles[i].cmdline);
		unsigned long zeroed, dma, addr;
		struct page *page, *one;
		unsigned char *va;
		void *exact;

		KUNIT_ASSERT_NOT_NULL(test, m);
		read_buddyinfo(m, boot_text, sizeof(boot_text));

		KUNIT_EXPECT_EQ(test, get_order(1), 0);
		KUNIT_EXPECT_EQ(test, get_order(PAGE_SIZE), 0);
		KUNIT_EXPECT_EQ(test, get_order(PAGE_SIZE + 1), 1);
		KUNIT_EXPECT_EQ(test, get_order(SZ_2M), 9);

		/* get_zeroed_page: zero, even where the page was used before */
		addr = __get_free_page(GFP_KERNEL);
		KUNIT_ASSERT_NE(test, addr, 0);
		memset((void *)addr, 0x5a, PAGE_SIZE);
		free_page(addr);
		zeroed = get_zeroed_page(GFP_KERNEL);
		KUNIT_ASSERT_NE(test, zeroed, 0);
		va = (unsigned char *)zeroed;
		for (unsigned long b = 0; b < PAGE_SIZE; b++)
			if (va[b]) {
				KUNIT_FAIL_MSG(test, "get_zeroed_page: byte %lu is %#x", b, va[b]);
				break;
			}
		free_page(zeroed);

		/* __GFP_ZERO on a larger block */
		page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
		KUNIT_ASSERT_NOT_NULL(test, page);
		va = page_address(page);
		KUNIT_EXPECT_EQ(test, va[0] | va[8 * PAGE_SIZE - 1] | va[5 * PAGE_SIZE + 77], 0);
		__free_pages(page, 3);

		/* __get_dma_pages */
		dma = __get_dma_pages(GFP_KERNEL, 2);
		KUNIT_ASSERT_NE(test, dma, 0);
		if (profiles[i].has_dma)
			KUNIT_EXPECT_LE(test, __pa((void *)dma) + 4 * PAGE_SIZE, SZ_16M);
		free_pages(dma, 2);

		/* alloc_pages_exact: 5 pages, the other 3 of the order-3 block go back */
		exact = alloc_pages_exact(5 * PAGE_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, exact);
		KUNIT_EXPECT_EQ(test, (uintptr_t)exact & (8 * PAGE_SIZE - 1), 0);
		for (int p = 0; p < 5; p++)
			KUNIT_EXPECT_EQ(test, page_ref_count(virt_to_page((char *)exact + p * PAGE_SIZE)), 1);
		memset(exact, 0x11, 5 * PAGE_SIZE);
		free_pages_exact(exact, 5 * PAGE_SIZE);

		/* split_page: an order-2 block becomes 4 order-0 pages, freed one by one */
		page = alloc_pages(GFP_KERNEL, 2);
		KUNIT_ASSERT_NOT_NULL(test, page);
		split_page(page, 2);
		for (int p = 3; p >= 0; p--) {
			KUNIT_EXPECT_EQ(test, page_ref_count(page + p), 1);
			__free_page(page + p);
		}

		/* get_page/put_page: the block lives until the last reference */
		page = alloc_pages(GFP_KERNEL | __GFP_COMP, 4);
		KUNIT_ASSERT_NOT_NULL(test, page);
		get_page(page + 5);	/* a tail reference counts on the head */
		KUNIT_EXPECT_EQ(test, page_count(page), 2);
		put_page(page);
		KUNIT_EXPECT_EQ(test, page_count(page), 1);
		KUNIT_EXPECT_FALSE(test, PageBuddy(page));
		put_page(page + 5);

		/* alloc_page and alloc_pages_node */
		one = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, one);
		page = alloc_pages_node(0, GFP_ATOMIC, 1);
		KUNIT_ASSERT_NOT_NULL(test, page);
		__free_pages(page, 1);
		__free_page(one);

		/* highmem: no address, and __get_free_pages never returns it */
		page = alloc_pages(GFP_HIGHUSER, 0);
		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_EQ(test, PageHighMem(page), profiles[i].has_highmem);
		if (PageHighMem(page))
			KUNIT_EXPECT_NULL(test, page_address(page));
		else
			KUNIT_EXPECT_NOT_NULL(test, page_address(page));
		__free_page(page);
		addr = __get_free_pages(GFP_HIGHUSER, 0);
		KUNIT_ASSERT_NE(test, addr, 0);
		KUNIT_EXPECT_FALSE(test, PageHighMem(virt_to_page((void *)addr)));
		free_pages(addr, 0);

		kmm_proc_read(m, "/dev/kmsg", log, sizeof(log));
		KUNIT_EXPECT_EQ(test, count_in(log, "WARNING:"), 0);
		KUNIT_EXPECT_EQ(test, count_in(log, "BUG:"), 0);
		kmm_quiesce(m);
		read_buddyinfo(m, now_text, sizeof(now_text));
		KUNIT_EXPECT_STREQ(test, now_text, boot_text);
		KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
		kmm_shutdown(m);
	}
}

static struct kunit_case cases[] = {
	KUNIT_CASE(x86_64_every_order_and_zone),
	KUNIT_CASE(x86_64_8g_every_order_and_zone),
	KUNIT_CASE(i386_highmem_every_order_and_zone),
	KUNIT_CASE(i386_512m_every_order_and_zone),
	KUNIT_CASE(at91rm9200_every_order_and_zone),
	KUNIT_CASE(driver_helpers),
	{}
};

KUNIT_MAIN("facade_pages", cases)
