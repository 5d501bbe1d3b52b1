/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU page lists (mm/page_alloc.c: rmqueue_pcplist, free_unref_page,
 * free_pcppages_bulk, drain_all_pages, zone_batchsize, zone_highsize).
 *
 * Each zone has, per CPU, one list per (order <= PAGE_ALLOC_COSTLY_ORDER,
 * pcp migrate type): 4 x 3 = 12 lists. Only the task holding the CPU touches
 * them, so the fast path takes no lock and no atomic read-modify-write: an
 * allocation pops a page, a free pushes one. An empty list is refilled with
 * `batch` blocks taken under zone->lock; when count reaches `high`, a batch
 * (scaled by recent frees, up to high - batch) goes back to the buddy lists,
 * oldest first, round-robin over the lists. drain_all_pages() empties every
 * CPU's lists by running on each CPU in turn.
 *
 * Invariants: pcp->count == sum over lists of length << order; pages on the
 * lists are free (refcount 0) but not PageBuddy and not in NR_FREE_PAGES.
 *
 * batch = rounddown_pow_of_two(b + b/2) - 1 with b = min(managed/1024, 256)/4
 * (at least 1; from present pages while the zone's deferred init is pending);
 * high = low watermark / CPUs, at least 4 * batch (high_min);
 * high_max uses managed/8 instead of the low watermark. kmm keeps high at
 * high_min: the kernel's 6.7+ auto-tuning between the two is not modelled.
 */
#include "internal.h"


static unsigned int pindex_to_order(unsigned int pindex)
{
	return pindex / KMM_MIGRATE_PCPTYPES;
}

static int rmqueue_bulk(struct kmm_zone *z, unsigned int order, int count,
			struct kmm_list_head *list, int mt, unsigned int alloc_flags)
{
	int i;

	kmm_spin_lock(&z->lock);
	for (i = 0; i < count; i++) {
		struct kmm_page *page = kmm_rmqueue(z, order, mt, alloc_flags);

		if (!page)
			break;
		kmm_list_add_tail(&page->lru, list);
	}
	kmm_spin_unlock(&z->lock);
	return i;
}

struct kmm_page *kmm_rmqueue_pcplist(struct kmm_zone *z, int cpu, unsigned int order, int mt,
				     unsigned int alloc_flags)
{
	struct kmm_per_cpu_pages *pcp = &z->per_cpu_pageset[cpu];
	struct kmm_list_head *list = &pcp->lists[kmm_order_to_pindex(mt, order)];
	struct kmm_page *page;

	pcp->free_count >>= 1;
	if (unlikely(kmm_list_empty(list))) {
		int batch = KMM_READ_ONCE(pcp->batch), got;

		if (order) {
			batch >>= order;
			if (batch < 2)
				batch = 2;
		}
		got = rmqueue_bulk(z, order, batch, list, mt, alloc_flags);
		if (!got)
			return NULL;
		KMM_WRITE_ONCE(pcp->count, pcp->count + (got << order));
		kmm_count_vm_events(z->m, cpu, KMM_PCP_REFILL, 1);
	}
	page = kmm_list_first_entry(list, struct kmm_page, lru);
	kmm_list_del(&page->lru);
	KMM_WRITE_ONCE(pcp->count, pcp->count - (1 << order));
	return page;
}

/* free_pcppages_bulk(): count pages back to the buddy lists, oldest first. */
static void free_pcppages_bulk(struct kmm_zone *z, int cpu, int count)
{
	struct kmm_per_cpu_pages *pcp = &z->per_cpu_pageset[cpu];
	unsigned int pindex = KMM_NR_PCP_LISTS - 1;

	if (count > pcp->count)
		count = pcp->count;
	if (count <= 0)
		return;
	kmm_spin_lock(&z->lock);
	while (count > 0) {
		struct kmm_list_head *list;
		unsigned int order;

		/* round-robin over the lists, skipping empty ones */
		do {
			pindex = pindex + 1 < KMM_NR_PCP_LISTS ? pindex + 1 : 0;
			list = &pcp->lists[pindex];
		} while (kmm_list_empty(list));
		order = pindex_to_order(pindex);
		do {
			struct kmm_page *page = kmm_list_last_entry(list, struct kmm_page, lru);
			unsigned long pfn = kmm_pfn(z->m, page);

			kmm_list_del(&page->lru);
			count -= 1 << order;
			KMM_WRITE_ONCE(pcp->count, pcp->count - (1 << order));
			kmm_free_one_page(z, page, pfn, order, kmm_get_pageblock_mt(z, pfn));
		} while (count > 0 && !kmm_list_empty(list));
	}
	kmm_spin_unlock(&z->lock);
	kmm_count_vm_events(z->m, cpu, KMM_PCP_DRAIN, 1);
}

/* Above pcp->high: a batch, scaled by the recent frees, goes back to the buddy lists. */
void kmm_pcp_free_high(struct kmm_zone *z, int cpu)
{
	struct kmm_per_cpu_pages *pcp = &z->per_cpu_pageset[cpu];
	int high = KMM_READ_ONCE(pcp->high), batch = KMM_READ_ONCE(pcp->batch), to_free;

	if (high <= batch) {
		to_free = pcp->count;
	} else {
		to_free = pcp->free_count;
		if (to_free < batch)
			to_free = batch;
		if (to_free > high - batch)
			to_free = high - batch;
	}
	free_pcppages_bulk(z, cpu, to_free);
}

void kmm_free_to_pcp(struct kmm_zone *z, int cpu, struct kmm_page *page, unsigned long pfn,
		     unsigned int order)
{
	kmm_pcp_free(z, cpu, page, pfn, order);
}

/* Isolate pageblocks never reach the pcp lists. */
void kmm_free_isolated(struct kmm_zone *z, struct kmm_page *page, unsigned long pfn,
		       unsigned int order)
{
	kmm_spin_lock(&z->lock);
	kmm_free_one_page(z, page, pfn, order, KMM_MIGRATE_ISOLATE);
	kmm_spin_unlock(&z->lock);
}

void kmm_drain_zone_pages(struct kmm_zone *z, int cpu)
{
	free_pcppages_bulk(z, cpu, z->per_cpu_pageset[cpu].count);
}

static void drain_cpu(struct kmm_machine *m, int cpu, void *arg)
{
	(void)arg;
	for (struct kmm_zone **zp = m->pgdat->zonelist; *zp; zp++)
		kmm_drain_zone_pages(*zp, cpu);
}

void kmm_drain_all_pages(struct kmm_machine *m)
{
	kmm_plat_on_each_cpu(m, drain_cpu, NULL);
}

unsigned long kmm_zone_pcp_pages(const struct kmm_zone *z)
{
	unsigned long n = 0;

	if (!z->per_cpu_pageset)
		return 0;
	for (unsigned int cpu = 0; cpu < z->m->desc.nr_cpus; cpu++)
		n += (unsigned long)KMM_READ_ONCE(z->per_cpu_pageset[cpu].count);
	return n;
}

static int rounddown_pow_of_two(int x)
{
	int r = 1;

	while (r * 2 <= x)
		r *= 2;
	return r;
}

/*
 * The kernel sizes the per-CPU lists once its deferred init has finished
 * (init_per_zone_wmark_min, an initcall after page_alloc_init_late), from
 * all of memory; kmm's never finishes on its own (deferred_init.c), so a
 * zone still growing is sized for the pages it will manage: its present
 * pages. Sized by the few blocks initialised so far, a batch of 1 and a
 * high of 4 sent nearly every free of an order above 0 back to the buddy
 * lists under the zone lock (a 16 KiB kmalloc pair: 50 ns, 28 sized whole).
 */
static int zone_batchsize(const struct kmm_zone *z)
{
	unsigned long pages = KMM_READ_ONCE(z->deferred_pfn) < z->deferred_end
				      ? z->present_pages : KMM_READ_ONCE(z->managed_pages);
	unsigned long b = pages >> 10;

	if (b > (1UL << 20) / KMM_PAGE_SIZE)
		b = (1UL << 20) / KMM_PAGE_SIZE;
	b /= 4;
	if (b < 1)
		b = 1;
	return rounddown_pow_of_two((int)(b + b / 2)) - 1;
}

static int zone_highsize(const struct kmm_zone *z, int batch, int high_fraction)
{
	unsigned long total = high_fraction ? KMM_READ_ONCE(z->managed_pages) / (unsigned long)high_fraction
					    : kmm_low_wmark_pages(z);
	int high = (int)(total / z->m->desc.nr_cpus);

	return high > batch * 4 ? high : batch * 4;
}

void kmm_pcp_setup(struct kmm_zone *z)
{
	int batch = zone_batchsize(z), high_min, high_max, frac = z->m->percpu_pagelist_high_fraction;

	if (batch < 1)
		batch = 1;
	high_min = zone_highsize(z, batch, frac);
	high_max = frac ? high_min : zone_highsize(z, batch, 8);
	z->pageset_batch = batch;
	z->pageset_high_min = high_min;
	z->pageset_high_max = high_max;
	for (unsigned int cpu = 0; cpu < z->m->desc.nr_cpus; cpu++) {
		struct kmm_per_cpu_pages *pcp = &z->per_cpu_pageset[cpu];

		KMM_WRITE_ONCE(pcp->batch, batch);
		KMM_WRITE_ONCE(pcp->high_min, high_min);
		KMM_WRITE_ONCE(pcp->high_max, high_max);
		KMM_WRITE_ONCE(pcp->high, high_min);
	}
}
