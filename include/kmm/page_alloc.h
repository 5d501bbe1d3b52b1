/* SPDX-License-Identifier: MIT */
/*
 * The page allocator: power-of-two runs of physically contiguous pages from
 * the zones' buddy free lists, with GFP semantics, watermarks and reserves,
 * per-CPU lists for the small orders, and migrate-type grouping
 * (docs/page_alloc.md). The kmm_ names mirror Linux's: kmm_alloc_pages(m,
 * gfp, order) is alloc_pages(gfp, order) on machine m. Every call enters the
 * kernel on the calling task's CPU; the calling thread must be attached to m.
 */
#ifndef KMM_PAGE_ALLOC_H
#define KMM_PAGE_ALLOC_H

#include <kmm/gfp.h>
#include <kmm/page.h>
#include <kmm/types.h>

/* The public API: exported from libkmm.so (the library builds with -fvisibility=hidden). */
#pragma GCC visibility push(default)

#define KMM_PAGE_ALLOC_COSTLY_ORDER 3

/* MAX_PAGE_ORDER of the machine's profile (10, or 9 on at91rm9200). */
unsigned int kmm_max_page_order(struct kmm_machine *m);

struct kmm_page *kmm_alloc_pages(struct kmm_machine *m, kmm_gfp_t gfp, unsigned int order);
struct kmm_page *kmm_alloc_page(struct kmm_machine *m, kmm_gfp_t gfp);
/* Kernel virtual address (never highmem), or 0. */
unsigned long kmm___get_free_pages(struct kmm_machine *m, kmm_gfp_t gfp, unsigned int order);
unsigned long kmm___get_free_page(struct kmm_machine *m, kmm_gfp_t gfp);
unsigned long kmm_get_zeroed_page(struct kmm_machine *m, kmm_gfp_t gfp);
void kmm___free_pages(struct kmm_machine *m, struct kmm_page *page, unsigned int order);
void kmm_free_pages(struct kmm_machine *m, unsigned long addr, unsigned int order);
void kmm_free_page(struct kmm_machine *m, unsigned long addr);
void *kmm_alloc_pages_exact(struct kmm_machine *m, size_t size, kmm_gfp_t gfp);
void kmm_free_pages_exact(struct kmm_machine *m, void *virt, size_t size);
void kmm_split_page(struct kmm_machine *m, struct kmm_page *page, unsigned int order);

/* get_order(): smallest order whose block holds size bytes (size > 0). */
static inline unsigned int kmm_get_order(unsigned long size)
{
	unsigned int order = 0;

	size = (size - 1) >> KMM_PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

/* Reference counts: get_page/put_page (the last put frees the page or compound page). */
void kmm_get_page(struct kmm_page *page);
void kmm_put_page(struct kmm_machine *m, struct kmm_page *page);
int kmm_page_ref_count(const struct kmm_page *page);

bool kmm_PageBuddy(const struct kmm_page *page);
bool kmm_PageCompound(const struct kmm_page *page);
bool kmm_PageHead(const struct kmm_page *page);
bool kmm_PageTail(const struct kmm_page *page);
bool kmm_PageHighMem(const struct kmm_page *page);
struct kmm_page *kmm_compound_head(struct kmm_page *page);
unsigned int kmm_compound_order(const struct kmm_page *page);
/* The zone a page belongs to: "DMA", "DMA32", "Normal", "HighMem". */
const char *kmm_page_zone_name(const struct kmm_page *page);

/*
 * Drains the per-CPU lists of every CPU back to the buddy lists, and the
 * later layers' caches (per-CPU and empty slabs, deferred vfrees, lazily
 * freed vmalloc ranges), so that the free counts are those of a machine at
 * rest: after everything is freed they equal the boot values. May sleep.
 */
void kmm_quiesce(struct kmm_machine *m);

/*
 * One pass of free page reporting (mm/page_reporting.c): free blocks of
 * page_reporting_order and above go back to the host, read as zero
 * afterwards and cost no host memory until written. The machine's reporting
 * thread runs one every two seconds, kmm_quiesce() one too; a machine booted
 * with kmm.page_reporting_thread=0 runs them only when asked. It takes zone
 * locks but no CPU: any thread may call it, attached to the machine or not.
 */
void kmm_page_reporting_run(struct kmm_machine *m);

/*
 * Integrity walker: every free block aligned, on the list of its order and
 * migrate type, its buddy not free at the same order; counts equal to list
 * lengths; no page both free and in use. Returns the number of violations
 * (and reports each to the kernel log).
 */
int kmm_page_alloc_check(struct kmm_machine *m);

/* Pages free in the buddy lists of all zones (NR_FREE_PAGES). */
unsigned long kmm_nr_free_pages(struct kmm_machine *m);
/*
 * Pages held on the per-CPU lists of all zones and CPUs: free, but not in
 * the buddy lists. A racy sum (each list changes under its own CPU).
 */
unsigned long kmm_nr_pcp_pages(struct kmm_machine *m);

#pragma GCC visibility pop

#endif /* KMM_PAGE_ALLOC_H */
