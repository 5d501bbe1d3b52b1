/* SPDX-License-Identifier: MIT */
/*
 * Fault injection for the page allocator (mm/fail_page_alloc.c,
 * lib/fault-inject.c): fail_page_alloc=<interval>,<probability>,<space>,<times>
 * at boot, and the knobs of /sys/kernel/debug/fail_page_alloc/ afterwards.
 *
 * An eligible allocation (order >= min-order, not __GFP_NOFAIL, not
 * __GFP_HIGHMEM with ignore-gfp-highmem, not a sleeping one with
 * ignore-gfp-wait) fails when: times is not used up, `space` bytes have
 * already passed, it is the interval-th eligible call, and a draw in
 * [0, 100) falls below probability. Each failure uses up one of `times`
 * (-1: no limit) and, with verbose, logs the kernel's FAULT_INJECTION lines.
 */
#include <kmm/slab.h>

#include "internal.h"

void kmm_fault_attr_init(struct kmm_fault_attr *a, uint64_t seed)
{
	*a = (struct kmm_fault_attr){
		.interval = 1, .times = 1, .verbose = 2, .ignore_gfp_reclaim = true,
		.ignore_gfp_highmem = true, .min_order = 1, .rnd = seed | 1,
	};
}

/* "<interval>,<probability>,<space>,<times>", as setup_fault_attr() reads it. */
int kmm_fault_attr_parse(struct kmm_fault_attr *a, const char *s)
{
	long v[4];
	int n = 0;

	for (; n < 4; n++) {
		bool neg = *s == '-';
		long x = 0;

		if (neg)
			s++;
		if (*s < '0' || *s > '9')
			return -22;
		while (*s >= '0' && *s <= '9')
			x = x * 10 + (*s++ - '0');
		v[n] = neg ? -x : x;
		if (n < 3 && *s++ != ',')
			return -22;
	}
	if (*s || v[0] < 0 || v[1] < 0 || v[1] > 100 || v[2] < 0 || v[3] < -1)
		return -22;
	a->interval = (unsigned long)v[0];
	a->probability = (unsigned long)v[1];
	a->space = v[2];
	a->times = v[3];
	return 0;
}

static uint32_t random_below(struct kmm_fault_attr *a, uint32_t n)
{
	/* xorshift64*: enough for choosing which allocations fail */
	a->rnd ^= a->rnd >> 12;
	a->rnd ^= a->rnd << 25;
	a->rnd ^= a->rnd >> 27;
	return (uint32_t)(((a->rnd * 0x2545F4914F6CDD1DULL) >> 32) % n);
}

/* should_fail(): the decision for one eligible call of `size` bytes. */
static bool should_fail(struct kmm_machine *m, struct kmm_fault_attr *a, const char *name,
			kmm_gfp_t gfp, long size)
{
	bool fail = false;

	kmm_spin_lock(&m->fault_lock);
	if (!a->probability || a->times == 0)
		goto out;
	if (a->space > size) {
		a->space -= size;
		goto out;
	}
	if (a->interval > 1 && ++a->count % a->interval)
		goto out;
	if (a->probability <= random_below(a, 100))
		goto out;
	fail = true;
	if (a->times != -1)
		a->times--;
out:
	kmm_spin_unlock(&m->fault_lock);
	if (fail && a->verbose && !(gfp & KMM___GFP_NOWARN)) {
		kmm_core_printk(m, KMM_KERN_NOTICE "FAULT_INJECTION: forcing a failure.\n"
				"name %s, interval %lu, probability %lu, space %ld, times %ld\n",
				name, a->interval, a->probability, a->space, a->times);
		if (a->verbose > 1)
			kmm_core_printk(m, KMM_KERN_NOTICE "CPU: %d PID: %d Comm: %s\n",
					kmm_plat_cpu_id(m), kmm_plat_task_pid(m), kmm_plat_task_comm(m));
	}
	return fail;
}

bool kmm_should_fail_alloc_page(struct kmm_machine *m, kmm_gfp_t gfp, unsigned int order)
{
	struct kmm_fault_attr *a = &m->fail_page_alloc;

	if (order < a->min_order || (gfp & KMM___GFP_NOFAIL) ||
	    (a->ignore_gfp_highmem && (gfp & KMM___GFP_HIGHMEM)) ||
	    (a->ignore_gfp_reclaim && (gfp & KMM___GFP_DIRECT_RECLAIM)))
		return false;
	return should_fail(m, a, "fail_page_alloc", gfp, (long)(KMM_PAGE_SIZE << order));
}

/*
 * should_failslab() (mm/failslab.c): __GFP_NOFAIL never fails; with
 * ignore-gfp-wait (the default) neither does an allocation that may sleep;
 * with cache-filter only caches created with SLAB_FAILSLAB (or given the A
 * flag by slub_debug=) are eligible.
 */
bool kmm_should_failslab(struct kmm_machine *m, unsigned long cache_flags, unsigned int size,
			 kmm_gfp_t gfp)
{
	struct kmm_fault_attr *a = &m->failslab;

	if (gfp & KMM___GFP_NOFAIL)
		return false;
	if (a->ignore_gfp_reclaim && (gfp & KMM___GFP_DIRECT_RECLAIM))
		return false;
	if (a->cache_filter && !(cache_flags & KMM_SLAB_FAILSLAB))
		return false;
	return should_fail(m, a, "failslab", gfp, (long)size);
}
