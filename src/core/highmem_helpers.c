/* SPDX-License-Identifier: MIT */
/*
 * <linux/highmem.h>'s helpers that reach a page's bytes, highmem or not:
 * clear_highpage, copy_highpage, memcpy_to_page, memcpy_from_page,
 * memzero_page and zero_user_segments. Each maps through kmap_local for
 * the length of the copy, as the kernel's do, so each may run in any
 * context and never sleeps.
 *
 * Ranges are checked always: the kernel checks them only with
 * CONFIG_DEBUG_VM (VM_BUG_ON) and would otherwise write past the page; kmm
 * reports the BUG and copies nothing.
 */
#include "highmem.h"

#define HELPERS_FILE "include/linux/highmem.h"

/* VM_BUG_ON(offset + len > limit), without the overflow of that sum. */
static bool range_ok(struct kmm_machine *m, size_t offset, size_t len, size_t limit, int line,
		     const char *func)
{
	if (likely(offset <= limit && len <= limit - offset))
		return true;
	kmm_bug_splat(m, HELPERS_FILE, line, func);
	return false;
}

void kmm_clear_highpage(struct kmm_machine *m, struct kmm_page *page)
{
	void *kaddr;

	if (!kmm_highmem_page_ok(m, page, HELPERS_FILE, 237, "clear_highpage"))
		return;
	kaddr = kmm_kmap_local_page(m, page);
	if (!kaddr)
		return;
	kmm_memset(kaddr, 0, KMM_PAGE_SIZE);
	kmm_kunmap_local(m, kaddr);
}

void kmm_copy_highpage(struct kmm_machine *m, struct kmm_page *to, struct kmm_page *from)
{
	char *vfrom, *vto;

	if (!kmm_highmem_page_ok(m, to, HELPERS_FILE, 320, "copy_highpage") ||
	    !kmm_highmem_page_ok(m, from, HELPERS_FILE, 320, "copy_highpage"))
		return;
	vfrom = kmm_kmap_local_page(m, from);
	if (!vfrom)
		return;
	vto = kmm_kmap_local_page(m, to);
	if (vto) {
		kmm_memcpy(vto, vfrom, KMM_PAGE_SIZE);
		kmm_kunmap_local(m, vto);
	}
	kmm_kunmap_local(m, vfrom);
}

void kmm_memcpy_to_page(struct kmm_machine *m, struct kmm_page *page, size_t offset,
			const void *from, size_t len)
{
	char *to;

	if (!kmm_highmem_page_ok(m, page, HELPERS_FILE, 427, "memcpy_to_page") ||
	    !range_ok(m, offset, len, KMM_PAGE_SIZE, 432, "memcpy_to_page"))
		return;
	to = kmm_kmap_local_page(m, page);
	if (!to)
		return;
	kmm_memcpy(to + offset, from, len);
	kmm_kunmap_local(m, to);
}

void kmm_memcpy_from_page(struct kmm_machine *m, void *to, struct kmm_page *page, size_t offset,
			  size_t len)
{
	const char *from;

	if (!kmm_highmem_page_ok(m, page, HELPERS_FILE, 417, "memcpy_from_page") ||
	    !range_ok(m, offset, len, KMM_PAGE_SIZE, 422, "memcpy_from_page"))
		return;
	from = kmm_kmap_local_page(m, page);
	if (!from)
		return;
	kmm_memcpy(to, from + offset, len);
	kmm_kunmap_local(m, from);
}

void kmm_memzero_page(struct kmm_machine *m, struct kmm_page *page, size_t offset, size_t len)
{
	char *addr;

	if (!kmm_highmem_page_ok(m, page, HELPERS_FILE, 438, "memzero_page") ||
	    !range_ok(m, offset, len, KMM_PAGE_SIZE, 442, "memzero_page"))
		return;
	addr = kmm_kmap_local_page(m, page);
	if (!addr)
		return;
	kmm_memset(addr + offset, 0, len);
	kmm_kunmap_local(m, addr);
}

/* [start, end) of page i of a compound page, clipped to that page: bytes from its start. */
static bool clip(size_t page_start, size_t start, size_t end, size_t *from, size_t *to)
{
	size_t lo = start > page_start ? start : page_start;
	size_t hi = end < page_start + KMM_PAGE_SIZE ? end : page_start + KMM_PAGE_SIZE;

	if (lo >= hi)
		return false;
	*from = lo - page_start;
	*to = hi - page_start;
	return true;
}

void kmm_zero_user_segments(struct kmm_machine *m, struct kmm_page *page, unsigned int start1,
			    unsigned int end1, unsigned int start2, unsigned int end2)
{
	unsigned long nr;
	size_t size;

	if (!kmm_highmem_page_ok(m, page, "mm/highmem.c", 404, "zero_user_segments"))
		return;
	/* page_size() and compound_nr() of the page given: a tail page is one page */
	nr = 1UL << kmm_compound_order(page);
	size = (size_t)nr << KMM_PAGE_SHIFT;
	if (end1 > size || end2 > size) {
		kmm_bug_splat(m, "mm/highmem.c", 409, "zero_user_segments+0x1b4/0x1c0");
		return;
	}
	for (unsigned long i = 0; i < nr; i++) {
		size_t base = (size_t)i << KMM_PAGE_SHIFT, f1, t1, f2, t2;
		bool one = clip(base, start1, end1, &f1, &t1), two = clip(base, start2, end2, &f2, &t2);
		char *kaddr;

		if (!one && !two)
			continue;
		kaddr = kmm_kmap_local_page(m, page + i);
		if (!kaddr)
			return;
		if (one)
			kmm_memset(kaddr + f1, 0, t1 - f1);
		if (two)
			kmm_memset(kaddr + f2, 0, t2 - f2);
		kmm_kunmap_local(m, kaddr);
	}
}
