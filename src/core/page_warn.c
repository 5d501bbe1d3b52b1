/* SPDX-License-Identifier: MIT */
/*
 * The page allocator's reports, in the kernel's formats: warn_alloc() with
 * its Mem-Info block (mm/show_mem.c), bad_page() with dump_page()
 * (mm/debug.c), and the WARN() splat. Each prints and changes nothing.
 *
 * The stack part of a report names the kernel functions kmm's own path
 * corresponds to (kmm has no unwinder in the freestanding core).
 */
#include "internal.h"

#define K(pages) ((unsigned long)(pages) << (KMM_PAGE_SHIFT - 10))

static void dump_stack(struct kmm_machine *m, const char *const *frames)
{
	kmm_core_printk(m, KMM_KERN_WARNING "CPU: %d UID: 0 PID: %d Comm: %s Not tainted " KMM_VERSION " #1\n",
			kmm_plat_cpu_id(m), kmm_plat_task_pid(m), kmm_plat_task_comm(m));
	kmm_core_printk(m, KMM_KERN_WARNING "Hardware name: kmm %s machine (simulated)\n",
			m->desc.profile);
	kmm_core_printk(m, KMM_KERN_WARNING "Call Trace:\n");
	kmm_core_printk(m, KMM_KERN_WARNING " <TASK>\n");
	for (; frames && *frames; frames++)
		kmm_core_printk(m, KMM_KERN_WARNING " %s\n", *frames);
	kmm_core_printk(m, KMM_KERN_WARNING " </TASK>\n");
}

void kmm_warn_splat(struct kmm_machine *m, const char *file, int line, const char *func,
		    const char *fmt, ...)
{
	const char *frames[] = { func, NULL };

	kmm_core_printk(m, KMM_KERN_WARNING "------------[ cut here ]------------\n");
	if (fmt && *fmt) {
		char msg[256];
		va_list ap;

		va_start(ap, fmt);
		kmm_vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		kmm_core_printk(m, KMM_KERN_WARNING "%s\n", msg);
	}
	kmm_core_printk(m, KMM_KERN_WARNING "WARNING: CPU: %d PID: %d at %s:%d %s\n",
			kmm_plat_cpu_id(m), kmm_plat_task_pid(m), file, line, func);
	kmm_core_printk(m, KMM_KERN_WARNING "Modules linked in:\n");
	dump_stack(m, frames);
	kmm_core_printk(m, KMM_KERN_WARNING "---[ end trace 0000000000000000 ]---\n");
}

static void show_free_areas(struct kmm_machine *m, int max_zone_idx)
{
	struct kmm_pglist_data *pgdat = m->pgdat;
	unsigned long free_pcp = 0, free = 0;

	for (int i = 0; i <= max_zone_idx; i++) {
		free_pcp += kmm_zone_pcp_pages(&pgdat->node_zones[i]);
		free += (unsigned long)kmm_zone_page_state(&pgdat->node_zones[i], KMM_NR_FREE_PAGES);
	}
	kmm_core_printk(m, KMM_KERN_WARNING "active_anon:0 inactive_anon:0 isolated_anon:0\n"
			" active_file:0 inactive_file:0 isolated_file:0\n"
			" unevictable:0 dirty:0 writeback:0\n"
			" slab_reclaimable:0 slab_unreclaimable:0\n"
			" mapped:0 shmem:0 pagetables:0\n"
			" sec_pagetables:0 bounce:0\n"
			" kernel_misc_reclaimable:0\n"
			" free:%lu free_pcp:%lu free_cma:0\n", free, free_pcp);
	kmm_core_printk(m, KMM_KERN_WARNING "Node 0 active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:0kB dirty:0kB writeback:0kB shmem:0kB writeback_tmp:0kB kernel_stack:0kB pagetables:0kB sec_pagetables:0kB all_unreclaimable? no\n");
	for (int i = 0; i <= max_zone_idx; i++) {
		struct kmm_zone *z = &pgdat->node_zones[i];
		char line[160];
		int n;

		if (!kmm_zone_populated(z))
			continue;
		kmm_core_printk(m, KMM_KERN_WARNING "Node 0 %s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB reserved_highatomic:%luKB active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:%lukB managed:%lukB mlocked:0kB bounce:0kB free_pcp:%lukB local_pcp:%lukB free_cma:0kB\n",
				z->name, K(kmm_zone_page_state(z, KMM_NR_FREE_PAGES)),
				K(KMM_READ_ONCE(z->watermark_boost)), K(kmm_min_wmark_pages(z)),
				K(kmm_low_wmark_pages(z)), K(kmm_high_wmark_pages(z)),
				K(KMM_READ_ONCE(z->nr_reserved_highatomic)), K(z->present_pages),
				K(KMM_READ_ONCE(z->managed_pages)), K(kmm_zone_pcp_pages(z)),
				K(KMM_READ_ONCE(z->per_cpu_pageset[0].count)));
		n = kmm_snprintf(line, sizeof(line), "lowmem_reserve[]:");
		for (int j = 0; j < KMM_MAX_NR_ZONES && n < (int)sizeof(line); j++)
			if (kmm_zone_configured(m, j))
				n += kmm_snprintf(line + n, sizeof(line) - (size_t)n, " %ld",
						  z->lowmem_reserve[j]);
		kmm_core_printk(m, KMM_KERN_WARNING "%s\n", line);
	}
	for (int i = 0; i <= max_zone_idx; i++) {
		struct kmm_zone *z = &pgdat->node_zones[i];
		static const char types[KMM_MIGRATE_TYPES] = { 'U', 'M', 'E', 'H', 'I' };
		unsigned long nr[KMM_NR_PAGE_ORDERS_MAX], total = 0;
		unsigned char mask[KMM_NR_PAGE_ORDERS_MAX];
		char line[512];
		int n;

		if (!kmm_zone_populated(z))
			continue;
		kmm_spin_lock(&z->lock);
		for (unsigned int o = 0; o <= m->desc.max_order; o++) {
			nr[o] = z->free_area[o].nr_free;
			total += nr[o] << o;
			mask[o] = 0;
			for (int t = 0; t < KMM_MIGRATE_TYPES; t++)
				if (!kmm_list_empty(&z->free_area[o].free_list[t]))
					mask[o] |= (unsigned char)(1 << t);
		}
		kmm_spin_unlock(&z->lock);
		n = kmm_snprintf(line, sizeof(line), "Node 0 %s: ", z->name);
		for (unsigned int o = 0; o <= m->desc.max_order && n < (int)sizeof(line); o++) {
			n += kmm_snprintf(line + n, sizeof(line) - (size_t)n, "%lu*%lukB ", nr[o], K(1UL) << o);
			if (nr[o] && n < (int)sizeof(line)) {
				char t[KMM_MIGRATE_TYPES + 1];
				int k = 0;

				for (int b = 0; b < KMM_MIGRATE_TYPES; b++)
					if (mask[o] & (1 << b))
						t[k++] = types[b];
				t[k] = '\0';
				n += kmm_snprintf(line + n, sizeof(line) - (size_t)n, "(%s) ", t);
			}
		}
		kmm_core_printk(m, KMM_KERN_WARNING "%s= %lukB\n", line, K(total));
	}
	kmm_core_printk(m, KMM_KERN_WARNING "0 total pagecache pages\n");
	kmm_core_printk(m, KMM_KERN_WARNING "0 pages in swap cache\n");
	kmm_core_printk(m, KMM_KERN_WARNING "Free swap  = 0kB\n");
	kmm_core_printk(m, KMM_KERN_WARNING "Total swap = 0kB\n");
}

static void show_mem(struct kmm_machine *m, int max_zone_idx)
{
	unsigned long total = 0, reserved = 0, highmem = 0;

	kmm_core_printk(m, KMM_KERN_WARNING "Mem-Info:\n");
	show_free_areas(m, max_zone_idx);
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		struct kmm_zone *z = &m->pgdat->node_zones[i];

		total += z->present_pages;
		reserved += z->present_pages - KMM_READ_ONCE(z->managed_pages);
		if (i == KMM_ZONE_HIGHMEM || i == KMM_ZONE_MOVABLE)
			highmem += z->present_pages;
	}
	kmm_core_printk(m, KMM_KERN_WARNING "%lu pages RAM\n", total);
	kmm_core_printk(m, KMM_KERN_WARNING "%lu pages HighMem/MovableOnly\n", highmem);
	kmm_core_printk(m, KMM_KERN_WARNING "%lu pages reserved\n", reserved);
}

void kmm_show_mem(struct kmm_machine *m)
{
	show_mem(m, KMM_MAX_NR_ZONES - 1);
}

void kmm_vwarn_alloc(struct kmm_machine *m, kmm_gfp_t gfp, const char *const *frames,
		     const char *fmt, va_list ap)
{
	char msg[256], flags[256];
	uint64_t now = kmm_plat_clock_ns(m);
	int zone = kmm_gfp_zone(m, gfp);
	bool suppressed;

	if (gfp & KMM___GFP_NOWARN)
		return;
	/* DEFINE_RATELIMIT_STATE(nopage_rs, 10*HZ, 1) */
	kmm_spin_lock(&m->fault_lock);
	suppressed = now < m->warn_alloc_next_ns;
	if (suppressed)
		m->warn_alloc_suppressed++;
	else
		m->warn_alloc_next_ns = now + 10ULL * 1000000000ULL;
	kmm_spin_unlock(&m->fault_lock);
	if (suppressed)
		return;
	kmm_vsnprintf(msg, sizeof(msg), fmt, ap);
	kmm_gfp_format(gfp, flags, sizeof(flags));
	kmm_core_printk(m, KMM_KERN_WARNING "%s: %s, mode:%#x(%s), nodemask=(null)\n",
			kmm_plat_task_comm(m), msg, gfp, flags);
	dump_stack(m, frames);
	show_mem(m, zone < 0 ? KMM_MAX_NR_ZONES - 1 : zone);
}

void kmm_warn_alloc(struct kmm_machine *m, kmm_gfp_t gfp, const char *fmt, ...)
{
	static const char *const frames[] = { "dump_stack_lvl", "warn_alloc",
					      "__alloc_pages_slowpath", "__alloc_pages_noprof",
					      NULL };
	va_list ap;

	va_start(ap, fmt);
	kmm_vwarn_alloc(m, gfp, frames, fmt, ap);
	va_end(ap);
}

void kmm_dump_page(struct kmm_machine *m, struct kmm_page *page, const char *reason)
{
	const unsigned long *raw = (const unsigned long *)page;
	unsigned long pfn = kmm_pfn(m, page);
	int mapcount = page->_mapcount;

	if (kmm_page_test_buddy(page))
		mapcount = -1;	/* a page type, not a count */

	kmm_core_printk(m, KMM_KERN_WARNING "page: refcount:%d mapcount:%d mapping:%p index:%#lx pfn:%#lx\n",
			kmm_page_ref(page), mapcount < -1 ? 0 : mapcount + 1, page->mapping,
			page->index, pfn);
	kmm_core_printk(m, KMM_KERN_WARNING "flags: %#lx(zone=%u%s%s%s%s%s)\n",
			page->flags & ((1UL << KMM_NR_PAGEFLAGS) - 1), kmm_page_zonenum(page),
			kmm_page_test_reserved(page) ? "|reserved" : "",
			kmm_page_test_head(page) ? "|head" : "",
			page->flags & (1UL << KMM_PG_slab) ? "|slab" : "",
			page->flags & (1UL << KMM_PG_lru) ? "|lru" : "",
			page->flags & (1UL << KMM_PG_locked) ? "|locked" : "");
	if (kmm_page_test_buddy(page))
		kmm_core_printk(m, KMM_KERN_WARNING "page_type: f0(buddy)\n");
	kmm_core_printk(m, KMM_KERN_WARNING "raw: %016lx %016lx %016lx %016lx\n", raw[0], raw[1],
			raw[2], raw[3]);
	kmm_core_printk(m, KMM_KERN_WARNING "raw: %016lx %016lx %016lx %016lx\n", raw[4], raw[5],
			raw[6], raw[7]);
	if (reason)
		kmm_core_printk(m, KMM_KERN_WARNING "page dumped because: %s\n", reason);
}

void kmm_bad_page(struct kmm_machine *m, struct kmm_page *page, const char *reason)
{
	static const char *const frames[] = { "dump_stack_lvl", "bad_page", "free_unref_page",
					      "__free_pages", NULL };

	uint64_t now = kmm_plat_clock_ns(m);

	/* a burst of 60 reports, then quiet for the rest of that minute, as the kernel */
	if (m->bad_page_shown == 60) {
		if (now < m->bad_page_resume_ns) {
			m->bad_page_unshown++;
			return;
		}
		if (m->bad_page_unshown)
			kmm_core_printk(m, KMM_KERN_ALERT "BUG: Bad page state: %lu messages suppressed\n",
					m->bad_page_unshown);
		m->bad_page_unshown = 0;
		m->bad_page_shown = 0;
	}
	if (m->bad_page_shown++ == 0)
		m->bad_page_resume_ns = now + 60ULL * 1000000000ULL;
	kmm_core_printk(m, KMM_KERN_ALERT "BUG: Bad page state in process %s  pfn:%05lx\n",
			kmm_plat_task_comm(m), kmm_pfn(m, page));
	kmm_dump_page(m, page, reason);
	kmm_core_printk(m, KMM_KERN_WARNING "Modules linked in:\n");
	dump_stack(m, frames);
}
