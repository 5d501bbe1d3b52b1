/* SPDX-License-Identifier: MIT */
/*
 * Highmem: temporary kernel mappings of pages that have none (docs/highmem.md).
 * kmm_kmap(m, page) is kmap(page) on machine m, and so on.
 *
 * On a highmem profile (i386-highmem) frames above the lowmem limit are not
 * in the direct map: page_address() of such a page is NULL until it is
 * mapped. Three ways to map one, as in Linux:
 *
 *   kmm_kmap / kmm_kunmap             a PKMAP slot, global (any task may use
 *                                     the address, and unmap it), may sleep
 *                                     when all LAST_PKMAP slots are in use
 *   kmm_kmap_local_page / kmm_kunmap_local
 *                                     a per-CPU slot, strictly nested (unmap
 *                                     in reverse order), never sleeps; the
 *                                     task keeps its CPU until the unmap and
 *                                     must not sleep meanwhile (a kmm rule)
 *   kmm_kmap_atomic / kmm_kunmap_atomic
 *                                     kmap_local plus preempt_disable() and
 *                                     pagefault_disable()
 *
 * A lowmem page (every page on a profile without highmem) maps to its
 * page_address(), without a slot. Bad input (NULL, a page of no machine,
 * an unmap of what is not mapped, a misordered kunmap_local) gets the
 * kernel's report in the log and changes nothing.
 */
#ifndef KMM_HIGHMEM_H
#define KMM_HIGHMEM_H

#include <kmm/page.h>
#include <kmm/types.h>

/* The public API: exported from libkmm.so (the library builds with -fvisibility=hidden). */
#pragma GCC visibility push(default)

/*
 * KM_MAX_IDX: kmap_local slots per CPU (asm/kmap_size.h without
 * CONFIG_DEBUG_KMAP_LOCAL). As in the kernel, a CPU's stack holds at most
 * KM_MAX_IDX - 1 mappings: the push that reaches KM_MAX_IDX is a BUG.
 */
#define KMM_KM_MAX_IDX 16

/* kmap(): may sleep. NULL only for bad input (reported in the log). */
void *kmm_kmap(struct kmm_machine *m, struct kmm_page *page);
void kmm_kunmap(struct kmm_machine *m, struct kmm_page *page);
/* kmap_flush_unused(): unmaps every PKMAP slot that has no user left. */
void kmm_kmap_flush_unused(struct kmm_machine *m);

/* kmap_local_page(): NULL after a BUG report (a full stack, bad input). */
void *kmm_kmap_local_page(struct kmm_machine *m, struct kmm_page *page);
/* kunmap_local(): addr may point anywhere inside the mapped page. */
void kmm_kunmap_local(struct kmm_machine *m, const void *addr);
/* kmap_atomic(): NULL after a report, with preemption and page faults as they were. */
void *kmm_kmap_atomic(struct kmm_machine *m, struct kmm_page *page);
void kmm_kunmap_atomic(struct kmm_machine *m, const void *addr);

/*
 * kmap_to_page(): the page a kmap, kmap_local (of the calling task's CPU) or
 * direct-map address shows; NULL for any other address.
 */
struct kmm_page *kmm_kmap_to_page(struct kmm_machine *m, const void *addr);

/* The helpers of <linux/highmem.h>, all through kmap_local. */
void kmm_clear_highpage(struct kmm_machine *m, struct kmm_page *page);
void kmm_copy_highpage(struct kmm_machine *m, struct kmm_page *to, struct kmm_page *from);
/* offset + len must not pass the page's end: a BUG report, nothing copied. */
void kmm_memcpy_to_page(struct kmm_machine *m, struct kmm_page *page, size_t offset,
			const void *from, size_t len);
void kmm_memcpy_from_page(struct kmm_machine *m, void *to, struct kmm_page *page, size_t offset,
			  size_t len);
void kmm_memzero_page(struct kmm_machine *m, struct kmm_page *page, size_t offset, size_t len);
/*
 * Zeroes [start1, end1) and [start2, end2) of a page or compound page (an
 * empty range when start >= end); an end past the page is a BUG report and
 * nothing is zeroed.
 */
void kmm_zero_user_segments(struct kmm_machine *m, struct kmm_page *page, unsigned int start1,
			    unsigned int end1, unsigned int start2, unsigned int end2);

/*
 * Integrity walker: pkmap_count[] against page->virtual and the slots'
 * pages, the host's real mappings of the PKMAP and kmap_local windows
 * against what the slots say, every highmem page's virtual inside PKMAP,
 * every CPU's kmap_local stack within bounds. Returns the number of
 * violations and reports each in the kernel log. Reads other CPUs' stacks
 * without taking them: call it on a machine at rest.
 */
int kmm_highmem_check(struct kmm_machine *m);

#pragma GCC visibility pop

#endif /* KMM_HIGHMEM_H */
