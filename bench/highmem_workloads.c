/* SPDX-License-Identifier: MIT */
/*
 * kmm's side of the highmem rows (include/kmm/highmem.h), on a machine of
 * their own (BENCH_HIGHMEM_BOOT: the bench's default machine has no
 * highmem). An op maps a HighMem page, writes a byte through the mapping and
 * unmaps it:
 *
 *   kmap-cached          kmap + kunmap of one page: the slot keeps the page
 *                        between ops (count 1), so no op maps anything
 *   kmap-uncached        a different page each op, cycling over
 *                        BENCH_HIGHMEM_PAGES (2 x LAST_PKMAP): each op maps
 *                        a slot (one mmap), each wrap-around unmaps the
 *                        unused slots (one munmap per run of slots)
 *   kmap_local-cached    kmap_local_page + kunmap_local of one page: its
 *                        slot still maps that frame, no syscall
 *   kmap_local-uncached  a different page each op: every map is an mmap
 *
 * There is nothing to compare with in a malloc, so the rows have no peer.
 * Each run frees its pages, flushes the unused PKMAP slots and runs the
 * highmem walker, whose violations fail the run.
 */
#include <errno.h>
#include <stdlib.h>

#include <kmm/kmm.h>

#include "bench.h"

struct highmem_ctx {
	struct kmm_machine *m;
	struct kmm_page **pages;
	unsigned int nr;	/* pages cycled over: 1 (cached) or BENCH_HIGHMEM_PAGES */
	unsigned int next;
};

static int pages_get(struct highmem_ctx *c, struct kmm_machine *m, unsigned int nr)
{
	c->m = m;
	c->next = 0;
	c->pages = calloc(nr, sizeof(*c->pages));
	if (!c->pages)
		return bench_fail(-ENOMEM, "out of memory for %u page pointers", nr);
	for (c->nr = 0; c->nr < nr; c->nr++) {
		struct kmm_page *p = kmm_alloc_page(m, KMM_GFP_HIGHUSER);

		if (!p || !kmm_PageHighMem(p)) {
			if (p)
				kmm___free_pages(m, p, 0);
			return bench_fail(-ENOMEM, "alloc_page(GFP_HIGHUSER) gave no HighMem page "
					  "(%u of %u): is the machine %s?", c->nr, nr,
					  BENCH_HIGHMEM_BOOT);
		}
		c->pages[c->nr] = p;
	}
	return 0;
}

/* Gives the pages back and checks the walker: 0, or the run fails. */
static int pages_put(struct highmem_ctx *c, int ret)
{
	int violations;

	for (unsigned int i = 0; i < c->nr; i++)
		kmm___free_pages(c->m, c->pages[i], 0);
	free(c->pages);
	kmm_kmap_flush_unused(c->m);
	violations = kmm_highmem_check(c->m);
	if (violations && !ret)
		ret = bench_fail(-EINVAL, "kmm_highmem_check() found %d violation(s) after the run",
				 violations);
	return ret;
}

static struct kmm_page *next_page(struct highmem_ctx *c)
{
	struct kmm_page *p = c->pages[c->next];

	if (++c->next == c->nr)
		c->next = 0;
	return p;
}

static int kmap_batch(void *arg, uint64_t n)
{
	struct highmem_ctx *c = arg;

	for (uint64_t i = 0; i < n; i++) {
		struct kmm_page *p = next_page(c);
		char *addr = kmm_kmap(c->m, p);

		if (!addr)
			return bench_fail(-ENOMEM, "kmap failed");
		addr[0] = (char)i;
		bench_escape(addr);
		kmm_kunmap(c->m, p);
	}
	return 0;
}

static int kmap_local_batch(void *arg, uint64_t n)
{
	struct highmem_ctx *c = arg;

	for (uint64_t i = 0; i < n; i++) {
		char *addr = kmm_kmap_local_page(c->m, next_page(c));

		if (!addr)
			return bench_fail(-ENOMEM, "kmap_local_page failed");
		addr[0] = (char)i;
		bench_escape(addr);
		kmm_kunmap_local(c->m, addr);
	}
	return 0;
}

static int highmem_run(struct kmm_machine *m, unsigned int nr, int (*batch)(void *, uint64_t),
		       const struct bench_params *p, struct bench_result *r)
{
	struct highmem_ctx c;
	int ret = pages_get(&c, m, nr);

	if (!ret)
		ret = bench_loop(batch, &c, p, r);
	return pages_put(&c, ret);
}

int bench_kmm_kmap_cached(struct kmm_machine *m, const struct bench_params *p,
			  struct bench_result *r)
{
	return highmem_run(m, 1, kmap_batch, p, r);
}

int bench_kmm_kmap_uncached(struct kmm_machine *m, const struct bench_params *p,
			    struct bench_result *r)
{
	return highmem_run(m, BENCH_HIGHMEM_PAGES, kmap_batch, p, r);
}

int bench_kmm_kmap_local_cached(struct kmm_machine *m, const struct bench_params *p,
				struct bench_result *r)
{
	return highmem_run(m, 1, kmap_local_batch, p, r);
}

int bench_kmm_kmap_local_uncached(struct kmm_machine *m, const struct bench_params *p,
				  struct bench_result *r)
{
	return highmem_run(m, BENCH_HIGHMEM_PAGES, kmap_local_batch, p, r);
}
