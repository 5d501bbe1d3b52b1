/* SPDX-License-Identifier: MIT */
/*
 * kmm's side of the workloads, run in the bench process: each run of each
 * workload boots a machine of its own (so that every run starts from the
 * same state, as each peer child does), measures, then drains the per-CPU
 * lists (kmm_quiesce), runs the page allocator's integrity walker and checks
 * that every page came back: a benchmark that leaves the allocator broken
 * or leaking has measured nothing.
 *
 * Every op writes one byte of the block it got, as the peers do: a block is
 * only worth its cost if it can be used. The address is the direct-map
 * arithmetic page_address() is for lowmem (GFP_KERNEL never gives highmem).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <kmm/kmm.h>

#include "bench.h"
#include "remote.h"

struct kmm_ctx {
	struct kmm_machine *m;
	const struct kmm_layout *l;
	unsigned int order;
};

static inline char *page_va(const struct kmm_layout *l, struct kmm_page *page)
{
	return kmm_va(l, (kmm_phys_addr_t)kmm_page_to_pfn(l, page) << KMM_PAGE_SHIFT);
}

static int kmm_ctx_init(struct kmm_ctx *c, struct kmm_machine *m, unsigned int order)
{
	struct kmm_page *page;

	c->m = m;
	c->l = kmm_layout(m);
	c->order = order;
	/* the direct-map arithmetic must agree with the library's page_address() */
	page = kmm_alloc_pages(m, KMM_GFP_KERNEL, order);
	if (!page)
		return bench_fail(-ENOMEM, "alloc_pages(GFP_KERNEL, %u) failed", order);
	if (kmm_page_address(m, page) != page_va(c->l, page)) {
		kmm___free_pages(m, page, order);
		return bench_fail(-EINVAL, "page_address() is not the direct map");
	}
	kmm___free_pages(m, page, order);
	return 0;
}

static int pages_batch(void *arg, uint64_t n)
{
	const struct kmm_ctx *c = arg;

	for (uint64_t i = 0; i < n; i++) {
		struct kmm_page *page = kmm_alloc_pages(c->m, KMM_GFP_KERNEL, c->order);
		char *va;

		if (!page)
			return bench_fail(-ENOMEM, "alloc_pages(GFP_KERNEL, %u) failed", c->order);
		va = page_va(c->l, page);
		va[0] = (char)i;
		bench_escape(va);
		kmm___free_pages(c->m, page, c->order);
	}
	return 0;
}

static int pages_run(struct kmm_machine *m, unsigned int order, const struct bench_params *p,
		     struct bench_result *r)
{
	struct kmm_ctx c;
	int ret = kmm_ctx_init(&c, m, order);

	return ret ? ret : bench_loop(pages_batch, &c, p, r);
}

int bench_kmm_page_o0(struct kmm_machine *m, const struct bench_params *p, struct bench_result *r)
{
	return pages_run(m, 0, p, r);
}

int bench_kmm_page_o3(struct kmm_machine *m, const struct bench_params *p, struct bench_result *r)
{
	return pages_run(m, 3, p, r);
}

int bench_kmm_page_o9(struct kmm_machine *m, const struct bench_params *p, struct bench_result *r)
{
	return pages_run(m, 9, p, r);
}

/* ---- page-2thr-remote: each thread is a task on a CPU of its own ---- */

static void *remote_alloc(void *ctx)
{
	const struct kmm_ctx *c = ctx;
	struct kmm_page *page = kmm_alloc_pages(c->m, KMM_GFP_KERNEL, 0);
	char *va;

	if (!page) {
		bench_fail(-ENOMEM, "alloc_pages(GFP_KERNEL, 0) failed");
		return NULL;
	}
	va = page_va(c->l, page);
	va[0] = 1;
	bench_escape(va);
	return page;
}

static void remote_free(void *ctx, void *obj)
{
	const struct kmm_ctx *c = ctx;

	kmm___free_pages(c->m, obj, 0);
}

static void *remote_thread(void *arg)
{
	struct bench_remote_thread *t = arg;
	const struct kmm_ctx *c = t->r->ctx;

	if (kmm_thread_attach(c->m)) {
		bench_remote_abandon(t, kmm_last_error());
		return NULL;
	}
	bench_remote_start(t);
	bench_remote_loop(t, remote_alloc, remote_free);
	kmm_thread_detach();
	return NULL;
}

/*
 * The two workers are the machine's only tasks: the booting thread detaches
 * for the run (it only sleeps in the harness meanwhile) and attaches again
 * for the checks. Attached, it would make three tasks on two CPUs, which
 * turns the machine shared (src/host/task.c): every entry into the kernel
 * would then take its CPU with a compare-and-swap and give it back with
 * another, a cost of the host's task model that Linux, whose sleeping tasks
 * hold no CPU, does not have.
 */
int bench_kmm_remote_run(struct kmm_machine *m, void *ctx, void *(*thread_fn)(void *),
			 const struct bench_params *p, struct bench_result *r)
{
	int ret;

	kmm_thread_detach();
	ret = bench_remote_run(ctx, thread_fn, p, r);
	if (kmm_thread_attach(m))
		return bench_fail(-EIO, "the booting thread could not attach again: %s",
				  kmm_last_error());
	return ret;
}

int bench_kmm_page_remote(struct kmm_machine *m, const struct bench_params *p,
			  struct bench_result *r)
{
	struct kmm_ctx c;
	int ret = kmm_ctx_init(&c, m, 0);

	return ret ? ret : bench_kmm_remote_run(m, &c, remote_thread, p, r);
}
