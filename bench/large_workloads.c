/* SPDX-License-Identifier: MIT */
/*
 * kmm's side of the large-block rows, run in the bench process on a machine
 * booted for the run:
 *
 *   large-N   kvmalloc(N, GFP_KERNEL) + a write to every page + kvfree
 *
 * kvmalloc is what kernel code calls for a large buffer that need not be
 * physically contiguous. Up to KMALLOC_MAX_SIZE (4 MiB on x86_64) it first
 * tries kmalloc, quietly and without retrying hard (__GFP_NORETRY): above
 * the largest cache that is a large kmalloc, a compound page of the next
 * order (4 for 64 KiB ... 10 for 4 MiB) from the page allocator's buddy
 * lists, freed back to them by kvfree. Its fallback, vmalloc, would make the
 * row measure the vmalloc-N rows' work instead, so the run checks that the
 * block it gets is kmalloc's, before and all along.
 *
 * Every page of the block gets one byte written, as the peers' blocks do: a
 * page of the machine's RAM is faulted in by the host once, on its first use
 * since the boot, as a malloc's heap is.
 */
#include <errno.h>
#include <stdbool.h>

#include <kmm/kmm.h>

#include "bench.h"

struct large_ctx {
	struct kmm_machine *m;
	size_t size;
};

static inline void touch_pages(char *p, size_t size, uint64_t i)
{
	for (size_t off = 0; off < size; off += BENCH_TOUCH_STRIDE)
		p[off] = (char)i;
	bench_escape(p);
}

static int large_batch(void *arg, uint64_t n)
{
	const struct large_ctx *c = arg;

	for (uint64_t i = 0; i < n; i++) {
		char *p = kmm_kvmalloc(c->m, c->size, KMM_GFP_KERNEL);

		if (!p)
			return bench_fail(-ENOMEM, "kvmalloc(%zu, GFP_KERNEL) failed", c->size);
		if (kmm_is_vmalloc_addr(c->m, p)) {
			kmm_kvfree(c->m, p);
			return bench_fail(-EAGAIN, "kvmalloc(%zu) fell back to vmalloc", c->size);
		}
		touch_pages(p, c->size, i);
		kmm_kvfree(c->m, p);
	}
	return 0;
}

/* The row measures what it names: a large kmalloc of exactly size bytes. */
static int large_check(struct kmm_machine *m, size_t size)
{
	char *p;
	size_t got;

	if (size > kmm_kmalloc_max_size(m))
		return bench_fail(-EINVAL, "%zu bytes are above KMALLOC_MAX_SIZE (%zu) here", size,
				  kmm_kmalloc_max_size(m));
	p = kmm_kvmalloc(m, size, KMM_GFP_KERNEL);
	if (!p)
		return bench_fail(-ENOMEM, "kvmalloc(%zu, GFP_KERNEL) failed", size);
	got = kmm_is_vmalloc_addr(m, p) ? 0 : kmm_ksize(m, p);
	kmm_kvfree(m, p);
	if (got != size || kmm_kmalloc_cache(m, size, KMM_GFP_KERNEL))
		return bench_fail(-EINVAL, "kvmalloc(%zu) is not a large kmalloc of that size "
				  "(ksize %zu)", size, got);
	return 0;
}

static int large_run(struct kmm_machine *m, size_t size, const struct bench_params *p,
		     struct bench_result *r)
{
	struct large_ctx c = { .m = m, .size = size };
	int ret = large_check(m, size);

	return ret ? ret : bench_loop(large_batch, &c, p, r);
}

#define BENCH_DEFINE_KMM_LARGE(size, label)                                               \
	int bench_kmm_large_##size(struct kmm_machine *m, const struct bench_params *p,   \
				   struct bench_result *r)                                \
	{                                                                                 \
		return large_run(m, size, p, r);                                          \
	}
BENCH_LARGE_SIZES(BENCH_DEFINE_KMM_LARGE)
