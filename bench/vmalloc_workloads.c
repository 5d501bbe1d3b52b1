/* SPDX-License-Identifier: MIT */
/*
 * The vmalloc rows and their host floors, run in the bench process:
 *
 *   vmalloc-N     vmalloc(N) + a write to every page + vfree, on the machine
 *                 booted for the run
 *   host-mmap-N   mmap(N, MAP_PRIVATE | MAP_ANONYMOUS) + a write to every page
 *                 + munmap: what the host kernel itself takes for the same
 *                 work, the floor a user-space vmalloc is measured against
 *
 * A malloc has nothing to compare with here (a freed large block stays in
 * its heap and is not faulted in again), so these rows have no peers.
 *
 * Both write every page once: a vmalloc area is a new host mapping of the
 * machine's RAM, whose pages fault in on first touch as the floor's
 * anonymous pages do. vfree leaves the mapping to the lazy purge, which the
 * machine's workqueue thread runs once lazy_max_pages() have gathered, so
 * both kinds of row are timed in CPU time of the whole process (the purge
 * counts even when it runs on an idle CPU), and a vmalloc run ends with
 * vm_unmap_aliases(), also counted, for what is left unpurged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <kmm/kmm.h>

#include "bench.h"

#define BENCH_CLOCK CLOCK_PROCESS_CPUTIME_ID

struct vm_ctx {
	struct kmm_machine *m;
	unsigned long size;
};

static inline void touch_pages(char *p, unsigned long size, uint64_t i)
{
	for (unsigned long off = 0; off < size; off += KMM_PAGE_SIZE)
		p[off] = (char)i;
	bench_escape(p);
}

static int vmalloc_batch(void *arg, uint64_t n)
{
	const struct vm_ctx *c = arg;

	for (uint64_t i = 0; i < n; i++) {
		char *p = kmm_vmalloc(c->m, c->size);

		if (!p)
			return bench_fail(-ENOMEM, "vmalloc(%lu) failed", c->size);
		touch_pages(p, c->size, i);
		kmm_vfree(c->m, p);
	}
	return 0;
}

/* The row measures what it names: the area is vmalloc's, writable through every page. */
static int vmalloc_check(struct kmm_machine *m, unsigned long size)
{
	char *p = kmm_vmalloc(m, size);
	struct kmm_page *last;
	const char *direct;
	bool ok;

	if (!p)
		return bench_fail(-ENOMEM, "vmalloc(%lu) failed", size);
	touch_pages(p, size, 1);
	last = kmm_vmalloc_to_page(m, p + size - 1);
	/* a highmem page has no address of its own: then its lookup is all there is */
	direct = last ? kmm_page_address(m, last) : NULL;
	ok = kmm_vmalloc_size(m, p) == size && last && (!direct || *direct == 1);
	kmm_vfree(m, p);
	kmm_vm_unmap_aliases(m);
	if (!ok)
		return bench_fail(-EINVAL, "vmalloc(%lu): the area does not show its pages", size);
	return 0;
}

static int vmalloc_run(struct kmm_machine *m, unsigned long size, const struct bench_params *p,
		       struct bench_result *r)
{
	struct vm_ctx c = { .m = m, .size = size };
	uint64_t t;
	int ret = vmalloc_check(m, size);

	if (ret)
		return ret;
	ret = bench_loop_clock(vmalloc_batch, &c, p, r, BENCH_CLOCK);
	if (ret)
		return ret;
	/* the last purge is part of the ops measured (the warm-up's was counted in their place) */
	t = bench_clock_ns(BENCH_CLOCK);
	kmm_vm_unmap_aliases(m);
	t = bench_clock_ns(BENCH_CLOCK) - t;
	r->ns_per_op += (double)t / (double)r->ops;
	return 0;
}

static int mmap_batch(void *arg, uint64_t n)
{
	const struct vm_ctx *c = arg;

	for (uint64_t i = 0; i < n; i++) {
		char *p = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED)
			return bench_fail(-errno, "mmap(%lu) failed: %s", c->size, strerror(errno));
		touch_pages(p, c->size, i);
		if (munmap(p, c->size))
			return bench_fail(-errno, "munmap(%lu) failed: %s", c->size,
					  strerror(errno));
	}
	return 0;
}

/* The host floor ignores the machine: it is booted (and checked) as for every row. */
static int mmap_run(unsigned long size, const struct bench_params *p, struct bench_result *r)
{
	struct vm_ctx c = { .size = size };

	return bench_loop_clock(mmap_batch, &c, p, r, BENCH_CLOCK);
}

#define BENCH_DEFINE_VMALLOC(size, label)                                                 \
	int bench_kmm_vmalloc_##size(struct kmm_machine *m, const struct bench_params *p, \
				     struct bench_result *r)                              \
	{                                                                                 \
		return vmalloc_run(m, size, p, r);                                        \
	}                                                                                 \
	int bench_host_mmap_##size(struct kmm_machine *m, const struct bench_params *p,   \
				   struct bench_result *r)                                \
	{                                                                                 \
		(void)m;                                                                  \
		return mmap_run(size, p, r);                                              \
	}
BENCH_VMALLOC_SIZES(BENCH_DEFINE_VMALLOC)
