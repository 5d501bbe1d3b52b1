/* SPDX-License-Identifier: MIT */
/*
 * Highmem and vmalloc as kernel code sees them: <linux/highmem.h> and
 * <linux/vmalloc.h> from include/kmm-linux
 * (kmm's own API only to boot, read /proc and check). On an i386-highmem
 * machine of 1 GiB, every HighMem page the page allocator will give is
 * taken, then each is mapped in turn with kmap and with kmap_local_page,
 * written through one mapping and read back through the other, so the
 * PKMAP window wraps around many times and every kmap_local slot is
 * remapped; then the same pages are vmap()ed in chunks and read and written
 * through vmalloc's window, and a vmalloc'ed buffer is read back page by
 * page through kmap; at the end no page has an address and the walkers are
 * clean.
 */
#include <stdlib.h>

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include <kmm/kmm.h>

#include "kunit.h"

static struct page **pages;
static unsigned long nr_pages;

/* Free HighMem pages as /proc/buddyinfo counts them. */
static unsigned long highmem_free(void)
{
	static char buf[4096];
	const char *line;
	unsigned long n, total = 0;
	int order = 0, used;

	kmm_proc_read(kmm_current_machine(), "/proc/buddyinfo", buf, sizeof(buf));
	line = strstr(buf, "zone  HighMem");
	if (!line)
		return 0;
	line += strlen("zone  HighMem");
	while (sscanf(line, "%lu%n", &n, &used) == 1) {
		total += n << order++;
		line += used;
	}
	return total;
}

static void take_every_highmem_page(struct kunit *test)
{
	unsigned long free_before;

	kmm_quiesce(kmm_current_machine());
	free_before = highmem_free();
	KUNIT_ASSERT_GT(test, free_before, 16384);
	pages = calloc(free_before, sizeof(*pages));
	KUNIT_ASSERT_NOT_NULL(test, pages);
	/* GFP_HIGHUSER falls back to Normal once HighMem is down to its reserve */
	while (nr_pages < free_before) {
		struct page *p = alloc_page(GFP_HIGHUSER | __GFP_NOWARN);

		if (!p)
			break;
		if (!PageHighMem(p)) {
			__free_page(p);
			break;
		}
		KUNIT_EXPECT_NULL(test, page_address(p));
		pages[nr_pages++] = p;
	}
	printf("    # %lu of %lu free HighMem pages taken\n", nr_pages, free_before);
	/* all but what the zone's watermark holds back (min_pages: 32..128 for HighMem) */
	KUNIT_EXPECT_GT(test, nr_pages, free_before - 256);
}

/* A word of the page that says which page it is. */
static unsigned long stamp(unsigned long i, int round)
{
	return page_to_pfn(pages[i]) * 4 + (unsigned long)round;
}

static void kmap_every_page(struct kunit *test)
{
	unsigned long bad = 0;

	KUNIT_ASSERT_GT(test, nr_pages, 2);
	for (unsigned long i = 0; i < nr_pages; i++) {
		unsigned long *a = kmap(pages[i]);

		KUNIT_ASSERT_NOT_NULL(test, a);
		KUNIT_ASSERT_TRUE(test, (uintptr_t)a >= PKMAP_BASE &&
					(uintptr_t)a < PKMAP_BASE + LAST_PKMAP * PAGE_SIZE);
		if (page_address(pages[i]) != a || kmap_to_page(a) != pages[i])
			bad++;
		a[0] = stamp(i, 1);
		a[PAGE_SIZE / sizeof(long) - 1] = ~stamp(i, 1);
		kunmap(pages[i]);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	/* read back through kmap_local, write the next round */
	for (unsigned long i = 0; i < nr_pages; i++) {
		unsigned long *l = kmap_local_page(pages[i]);

		KUNIT_ASSERT_NOT_NULL(test, l);
		if (l[0] != stamp(i, 1) || l[PAGE_SIZE / sizeof(long) - 1] != ~stamp(i, 1))
			bad++;
		l[0] = stamp(i, 2);
		kunmap_local(l);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(kmm_current_machine()), 0);
}

static void kmap_local_every_page(struct kunit *test)
{
	unsigned long bad = 0;

	KUNIT_ASSERT_GT(test, nr_pages, 2);
	/* two at a time, nested, the inner one unmapped first */
	for (unsigned long i = 0; i + 1 < nr_pages; i += 2) {
		unsigned long *outer = kmap_local_page(pages[i]);
		unsigned long *inner = kmap_local_page(pages[i + 1]);

		KUNIT_ASSERT_NOT_NULL(test, outer);
		KUNIT_ASSERT_NOT_NULL(test, inner);
		if (outer == inner || outer[0] != stamp(i, 2) || inner[0] != stamp(i + 1, 2))
			bad++;
		outer[1] = stamp(i, 3);
		inner[1] = stamp(i + 1, 3);
		kunmap_local(inner);
		kunmap_local(outer);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	/* and read back through kmap */
	for (unsigned long i = 0; i + 1 < nr_pages; i++) {
		unsigned long *a = kmap(pages[i]);

		if (a[1] != stamp(i, 3))
			bad++;
		kunmap(pages[i]);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(kmm_current_machine()), 0);
}

/*
 * The same pages seen through vmalloc's window: vmap() them in chunks, read
 * what kmap wrote, write through the vmap, read that back through kmap_local.
 */
static void vmap_every_page(struct kunit *test)
{
	const unsigned int chunk = 4096;	/* 16 MiB of the 128 MiB region at a time */
	unsigned long bad = 0;

	KUNIT_ASSERT_GT(test, nr_pages, 2);
	for (unsigned long first = 0; first < nr_pages; first += chunk) {
		unsigned int n = nr_pages - first < chunk ? (unsigned int)(nr_pages - first) : chunk;
		unsigned long *v = vmap(&pages[first], n, VM_MAP, PAGE_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, v);
		KUNIT_ASSERT_TRUE(test, is_vmalloc_addr(v));
		for (unsigned int i = 0; i < n; i++) {
			unsigned long *pg = v + i * (PAGE_SIZE / sizeof(long));

			if (vmalloc_to_page(pg) != pages[first + i] || pg[1] != stamp(first + i, 3))
				bad++;
			pg[2] = stamp(first + i, 4);
		}
		vunmap(v);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	for (unsigned long i = 0; i < nr_pages; i++) {
		unsigned long *l = kmap_local_page(pages[i]);

		if (l[2] != stamp(i, 4))
			bad++;
		kunmap_local(l);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(kmm_current_machine()), 0);
}

/* A vmalloc'ed buffer is built from HighMem pages first; kmap shows each one's bytes. */
static void vmalloc_through_kmap(struct kunit *test)
{
	const unsigned long size = 4UL << 20;
	unsigned char *buf = vmalloc(size);
	unsigned long bad = 0, high = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (unsigned long off = 0; off < size; off++)
		buf[off] = (unsigned char)(off * 7 + off / PAGE_SIZE);
	for (unsigned long off = 0; off < size; off += PAGE_SIZE) {
		struct page *p = vmalloc_to_page(buf + off);
		unsigned char *k;

		KUNIT_ASSERT_NOT_NULL(test, p);
		high += PageHighMem(p);
		k = kmap(p);
		for (unsigned long i = 0; i < PAGE_SIZE; i += 997)
			if (k[i] != (unsigned char)((off + i) * 7 + off / PAGE_SIZE))
				bad++;
		kunmap(p);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	printf("    # %lu of %lu pages of the vmalloc'ed buffer are HighMem\n", high, size / PAGE_SIZE);
	vfree(buf);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(kmm_current_machine()), 0);
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(kmm_current_machine()), 0);
}

static void helpers_and_release(struct kunit *test)
{
	char buf[16];
	unsigned long still_mapped = 0;

	KUNIT_ASSERT_GT(test, nr_pages, 2);
	memcpy_to_page(pages[0], 8, "facade", 7);
	memcpy_from_page(buf, pages[0], 8, 7);
	KUNIT_EXPECT_STREQ(test, buf, "facade");
	zero_user(pages[0], 8, 3);
	memcpy_from_page(buf, pages[0], 8, 7);
	KUNIT_EXPECT_EQ(test, buf[2], 0);
	KUNIT_EXPECT_STREQ(test, buf + 3, "ade");
	clear_highpage(pages[1]);
	copy_highpage(pages[2], pages[1]);
	memcpy_from_page(buf, pages[2], 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, buf[0] | buf[8], 0);

	kmap_flush_unused();
	for (unsigned long i = 0; i < nr_pages; i++) {
		still_mapped += page_address(pages[i]) != NULL;
		__free_page(pages[i]);
	}
	KUNIT_EXPECT_EQ(test, still_mapped, 0);
	free(pages);
	kmm_quiesce(kmm_current_machine());
	KUNIT_EXPECT_EQ(test, kmm_highmem_check(kmm_current_machine()), 0);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(kmm_current_machine()), 0);
}

static int boot(void)
{
	if (!kmm_boot("profile=i386-highmem mem=1G quiet")) {
		printf("# boot: %s\n", kmm_last_error());
		return 1;
	}
	return 0;
}

static struct kunit_case cases[] = {
	KUNIT_CASE(take_every_highmem_page),
	KUNIT_CASE(kmap_every_page),
	KUNIT_CASE(kmap_local_every_page),
	KUNIT_CASE(vmap_every_page),
	KUNIT_CASE(helpers_and_release),
	KUNIT_CASE(vmalloc_through_kmap),
	{},
};
KUNIT_MAIN_INIT("facade_highmem", cases, boot)
