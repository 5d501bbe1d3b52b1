/* SPDX-License-Identifier: MIT */
/*
 * Free page reporting (mm/page_reporting.c), as Linux does for virtual
 * machines with virtio-balloon: free blocks of page_reporting_order
 * (pageblock_order) and above are handed back to the host, here punched
 * out of the memfd, so that the process's memory follows the machine's use.
 *
 * A pass takes up to 32 unreported blocks off the free lists (isolated, so
 * nobody can allocate them meanwhile), asks the platform to discard them with
 * no lock held, then puts them back marked PG_reported at the list tail.
 * Allocating a reported block needs nothing special: the frames read as
 * zero and the host commits memory again as they are written; the flag
 * goes when the block leaves the free lists. Passes run from the machine's
 * reporting thread every two seconds, and from kmm_quiesce().
 */
#include "internal.h"

#define REPORTING_CAPACITY 32

struct reported {
	struct kmm_page *page;
	unsigned int order;
	int mt;
};

static int isolate_batch(struct kmm_zone *z, unsigned int order, int mt, struct reported *r)
{
	struct kmm_list_head *h = &z->free_area[order].free_list[mt];
	int n = 0;

	kmm_spin_lock(&z->lock);
	for (struct kmm_list_head *e = h->next, *next; e != h && n < REPORTING_CAPACITY; e = next) {
		struct kmm_page *p = kmm_container_of(e, struct kmm_page, lru);

		next = e->next;
		if (kmm_page_test_reported(p))
			continue;
		kmm_del_from_free_list(z, p, order, mt);
		r[n++] = (struct reported){ p, order, mt };
	}
	kmm_spin_unlock(&z->lock);
	return n;
}

static void putback_batch(struct kmm_zone *z, struct reported *r, int n)
{
	kmm_spin_lock(&z->lock);
	for (int i = 0; i < n; i++) {
		struct kmm_page *p = r[i].page;

		kmm_free_one_page(z, p, kmm_pfn(z->m, p), r[i].order, r[i].mt);
		/* still a block of its own: it stays known as reported */
		if (kmm_page_test_buddy(p) && kmm_buddy_order(p) == r[i].order) {
			kmm_page_set_reported(p);
			kmm_mod_zone_state(z, KMM_NR_ZONE_REPORTED, 1L << r[i].order);
		}
	}
	kmm_spin_unlock(&z->lock);
}

static void report_zone(struct kmm_zone *z, unsigned int min_order)
{
	struct kmm_machine *m = z->m;
	struct reported r[REPORTING_CAPACITY];

	for (unsigned int o = min_order; o <= m->desc.max_order; o++) {
		for (int mt = 0; mt < KMM_MIGRATE_TYPES; mt++) {
			int n;

			if (mt == KMM_MIGRATE_ISOLATE)
				continue;
			while ((n = isolate_batch(z, o, mt, r)) > 0) {
				for (int i = 0; i < n; i++)
					kmm_plat_discard(m, (kmm_phys_addr_t)kmm_pfn(m, r[i].page) << KMM_PAGE_SHIFT,
							 KMM_PAGE_SIZE << r[i].order);
				putback_batch(z, r, n);
				if (n < REPORTING_CAPACITY)
					break;
			}
		}
	}
}

void kmm_page_reporting_run(struct kmm_machine *m)
{
	if (!m->buddy_ready || !m->page_reporting_enabled)
		return;
	/* a pass in progress finishes (and puts its blocks back) before another starts */
	kmm_spin_lock(&m->reporting_lock);
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		if (kmm_zone_managed(&m->pgdat->node_zones[i]))
			report_zone(&m->pgdat->node_zones[i], (unsigned int)m->page_reporting_order);
	kmm_spin_unlock(&m->reporting_lock);
}
