/* SPDX-License-Identifier: MIT */
/*
 * The page allocator's reports: /proc/buddyinfo, pagetypeinfo, zoneinfo,
 * vmstat, meminfo and debugfs extfrag/{unusable_index,extfrag_index}. On
 * every profile each file has the kernel's exact layout (expected text is
 * built here from the kernel's format strings and the zone structures), the
 * watermarks and reserves follow the kernel's formulas from min_free_kbytes,
 * the files agree with each other; allocations change them as they should,
 * and after everything is freed and kmm_quiesce() buddyinfo is its boot text
 * again. A machine stopped at memblock shows them empty.
 */
#include <regex.h>
#include <stdarg.h>

#include <kmm/kmm.h>

#include "core/internal.h"
#include "kunit.h"

static char buf[1 << 18];

/* A fresh copy of the file (the caller frees it). */
static char *rd(struct kmm_machine *m, const char *path)
{
	long n = kmm_proc_read(m, path, buf, sizeof(buf));

	if (n < 0 || (size_t)n >= sizeof(buf))
		return strdup("");
	return strdup(buf);
}

/* Appends printf output to a growing string. */
struct str {
	char *s;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3))) static void sp(struct str *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (o->len + (size_t)n + 1 > o->cap) {
		o->cap = (o->len + (size_t)n + 1) * 2;
		o->s = realloc(o->s, o->cap);
	}
	va_start(ap, fmt);
	vsnprintf(o->s + o->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

static bool matches(const char *re, const char *line)
{
	regex_t r;
	bool ok;

	if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB))
		return false;
	ok = !regexec(&r, line, 0, NULL, 0);
	regfree(&r);
	return ok;
}

/* Every line of text matches re; returns the number of lines. */
static int all_lines_match(struct kunit *test, const char *text, const char *re)
{
	char *copy = strdup(text), *save = NULL;
	int n = 0;

	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save), n++)
		if (!matches(re, l))
			KUNIT_FAIL_MSG(test, "line \"%s\" does not match /%s/", l, re);
	free(copy);
	return n;
}

/* The value of "NAME VALUE" (vmstat) or "NAME: VALUE kB" (meminfo), or -1. */
static long value_of(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && (p[n] == ' ' || p[n] == ':'))
			return strtol(p + n + 1, NULL, 10);
	return -1;
}

/* ---- the machine, independently of the renderers ---- */

struct profile {
	const char *cmdline;
	const char *zones[KMM_MAX_NR_ZONES + 1];	/* the configured zones, in order */
	const char *events[KMM_MAX_NR_ZONES + 1];	/* their pgalloc_ suffixes */
	bool highmem;
};

static const struct profile profiles[] = {
	{ "", { "DMA", "DMA32", "Normal", "Movable" }, { "dma", "dma32", "normal", "movable" }, false },
	{ "mem=5G min_free_kbytes=8192", { "DMA", "DMA32", "Normal", "Movable" },
	  { "dma", "dma32", "normal", "movable" }, false },
	{ "profile=i386-highmem", { "DMA", "Normal", "HighMem", "Movable" },
	  { "dma", "normal", "high", "movable" }, true },
	{ "profile=i386-highmem mem=512M nr_cpus=4", { "DMA", "Normal", "HighMem", "Movable" },
	  { "dma", "normal", "high", "movable" }, true },
	{ "profile=at91rm9200", { "Normal", "Movable" }, { "normal", "movable" }, false },
};

static struct kmm_machine *boot(struct kunit *test, const char *cmdline)
{
	char line[256];
	struct kmm_machine *m;

	snprintf(line, sizeof(line), "%s quiet", cmdline);
	m = kmm_boot(line);
	if (!m)
		printf("    # boot '%s': %s\n", line, kmm_last_error());
	KUNIT_ASSERT_NOT_NULL(test, m);
	return m;
}

static struct kmm_zone *zone_named(struct kmm_machine *m, const char *name)
{
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		if (!strcmp(m->pgdat->node_zones[i].name, name))
			return &m->pgdat->node_zones[i];
	return NULL;
}

static bool is_low(int idx)
{
	return idx != KMM_ZONE_HIGHMEM && idx != KMM_ZONE_MOVABLE;
}

/* __setup_per_zone_wmarks() from min_free_kbytes: min, low, high, promo. */
static void expected_wmarks(struct kmm_machine *m, const struct kmm_zone *z, unsigned long w[4])
{
	unsigned long pages_min = (unsigned long)m->min_free_kbytes >> (KMM_PAGE_SHIFT - 10);
	unsigned long lowmem = 0, tmp, scaled;

	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		if (is_low(i))
			lowmem += m->pgdat->node_zones[i].managed_pages;
	tmp = lowmem ? (unsigned long)((unsigned long long)pages_min * z->managed_pages / lowmem) : 0;
	if (is_low(z->idx)) {
		w[0] = tmp;
	} else {
		w[0] = z->managed_pages / 1024;
		w[0] = w[0] < 32 ? 32 : w[0] > 128 ? 128 : w[0];
	}
	scaled = (unsigned long)((unsigned long long)z->managed_pages * (unsigned long)m->watermark_scale_factor / 10000);
	tmp = (tmp >> 2) > scaled ? tmp >> 2 : scaled;
	w[1] = w[0] + tmp;
	w[2] = w[1] + tmp;
	w[3] = w[2] + tmp;
}

/* setup_per_zone_lowmem_reserve() with the default ratios 256, 256, 32. */
static long expected_reserve(struct kmm_machine *m, int i, int j)
{
	static const int ratio[KMM_MAX_NR_ZONES] = { 256, 256, 32, 0, 0 };
	unsigned long managed = 0;

	if (j <= i || !ratio[i] || !m->pgdat->node_zones[i].managed_pages)
		return 0;
	for (int k = i + 1; k <= j; k++)
		managed += m->pgdat->node_zones[k].managed_pages;
	return (long)(managed / (unsigned long)ratio[i]);
}

static unsigned long total_free(struct kmm_machine *m)
{
	unsigned long n = 0;

	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		n += (unsigned long)kmm_zone_page_state(&m->pgdat->node_zones[i], KMM_NR_FREE_PAGES);
	return n;
}

/* ---- expected texts, from the kernel's format strings ---- */

static char *expected_buddyinfo(struct kmm_machine *m)
{
	struct str o = { 0 };

	sp(&o, "%s", "");
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		const struct kmm_zone *z = &m->pgdat->node_zones[i];

		if (!z->present_pages)
			continue;
		sp(&o, "Node %d, zone %8s ", 0, z->name);
		for (unsigned int ord = 0; ord <= m->desc.max_order; ord++)
			sp(&o, "%6lu ", z->free_area[ord].nr_free);
		sp(&o, "\n");
	}
	return o.s;
}

/* Free blocks of a type and order, by walking the list. */
static unsigned long list_len(const struct kmm_list_head *h)
{
	unsigned long n = 0;

	for (const struct kmm_list_head *p = h->next; p != h; p = p->next)
		n++;
	return n;
}

static char *expected_pagetypeinfo(struct kmm_machine *m, unsigned long *blocks_per_zone)
{
	static const char *const types[] = { "Unmovable", "Movable", "Reclaimable", "HighAtomic",
					     "Isolate" };
	unsigned long nr_pb = 1UL << m->pageblock_order;
	struct str o = { 0 };

	sp(&o, "Page block order: %u\nPages per block:  %lu\n\n", m->pageblock_order, nr_pb);
	sp(&o, "%-43s ", "Free pages count per migrate type at order");
	for (unsigned int ord = 0; ord <= m->desc.max_order; ord++)
		sp(&o, "%6u ", ord);
	sp(&o, "\n");
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		const struct kmm_zone *z = &m->pgdat->node_zones[i];

		if (!z->present_pages)
			continue;
		for (int t = 0; t < 5; t++) {
			sp(&o, "Node %4d, zone %8s, type %12s ", 0, z->name, types[t]);
			for (unsigned int ord = 0; ord <= m->desc.max_order; ord++)
				sp(&o, "%6lu ", list_len(&z->free_area[ord].free_list[t]));
			sp(&o, "\n");
		}
	}
	sp(&o, "\n%-23s", "Number of blocks type ");
	for (int t = 0; t < 5; t++)
		sp(&o, "%12s ", types[t]);
	sp(&o, "\n");
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		const struct kmm_zone *z = &m->pgdat->node_zones[i];
		unsigned long count[5] = { 0 };

		blocks_per_zone[i] = 0;
		if (!z->present_pages)
			continue;
		for (unsigned long pfn = z->zone_start_pfn; pfn < z->zone_start_pfn + z->spanned_pages;
		     pfn += nr_pb) {
			count[z->pageblock_flags[(pfn - z->pageblock_base_pfn) >> m->pageblock_order]]++;
			blocks_per_zone[i]++;
		}
		sp(&o, "Node %d, zone %8s ", 0, z->name);
		for (int t = 0; t < 5; t++)
			sp(&o, "%12lu ", count[t]);
		sp(&o, "\n");
	}
	return o.s;
}

/* The part of zoneinfo from "  pages free" to the protection line, for zone z. */
static char *expected_zone_head(struct kmm_machine *m, const struct kmm_zone *z)
{
	struct str o = { 0 };
	unsigned long w[4];
	bool first = true;

	expected_wmarks(m, z, w);
	sp(&o, "\n  pages free     %lu\n        boost    %lu\n        min      %lu"
	       "\n        low      %lu\n        high     %lu\n        promo    %lu"
	       "\n        spanned  %lu\n        present  %lu\n        managed  %lu"
	       "\n        cma      %lu\n        protection: (",
	   (unsigned long)kmm_zone_page_state(z, KMM_NR_FREE_PAGES), 0UL, w[0], w[1], w[2], w[3],
	   z->spanned_pages, z->present_pages, z->managed_pages, 0UL);
	for (int j = 0; j < KMM_MAX_NR_ZONES; j++) {
		if (j != KMM_ZONE_NORMAL && j != KMM_ZONE_MOVABLE && !m->desc.zone_limit[j])
			continue;
		sp(&o, "%s%ld", first ? "" : ", ", expected_reserve(m, z->idx, j));
		first = false;
	}
	sp(&o, ")");
	return o.s;
}

/* ---- the cases ---- */

static void check_buddyinfo(struct kunit *test, struct kmm_machine *m, const struct profile *p)
{
	char *text = rd(m, "/proc/buddyinfo"), *want = expected_buddyinfo(m), re[128];
	int populated = 0, lines;

	KUNIT_EXPECT_STREQ(test, text, want);
	snprintf(re, sizeof(re), "^Node 0, zone +(DMA|DMA32|Normal|HighMem)( +[0-9]+ ){%u}$",
		 m->desc.max_order + 1);
	lines = all_lines_match(test, text, re);
	for (int i = 0; p->zones[i]; i++)
		populated += zone_named(m, p->zones[i])->present_pages != 0;
	KUNIT_EXPECT_EQ(test, lines, populated);
	free(text);
	free(want);
}

static void check_pagetypeinfo(struct kunit *test, struct kmm_machine *m)
{
	unsigned long blocks[KMM_MAX_NR_ZONES];
	char *text = rd(m, "/proc/pagetypeinfo"), *want = expected_pagetypeinfo(m, blocks);
	unsigned long nr_pb = 1UL << m->pageblock_order;

	KUNIT_EXPECT_STREQ(test, text, want);
	KUNIT_EXPECT_EQ(test, m->pageblock_order, m->desc.max_order < 9 ? m->desc.max_order : 9);
	/* the block counts of a zone add up to its pageblocks, counted from its first pfn */
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		const struct kmm_zone *z = &m->pgdat->node_zones[i];

		if (z->present_pages)
			KUNIT_EXPECT_EQ(test, blocks[i], (z->spanned_pages + nr_pb - 1) / nr_pb);
	}
	/* per order, the types add up to buddyinfo's count */
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		const struct kmm_zone *z = &m->pgdat->node_zones[i];

		for (unsigned int ord = 0; z->present_pages && ord <= m->desc.max_order; ord++) {
			unsigned long sum = 0;

			for (int t = 0; t < KMM_MIGRATE_TYPES; t++)
				sum += list_len(&z->free_area[ord].free_list[t]);
			KUNIT_EXPECT_EQ(test, sum, z->free_area[ord].nr_free);
		}
	}
	free(text);
	free(want);
}

static void check_zoneinfo(struct kunit *test, struct kmm_machine *m, const struct profile *p)
{
	char *text = rd(m, "/proc/zoneinfo");
	const char *cur = text;
	int first_populated = -1, nzones = 0;

	for (int i = 0; p->zones[i]; i++)
		if (first_populated < 0 && zone_named(m, p->zones[i])->present_pages)
			first_populated = i;
	for (int i = 0; p->zones[i]; i++, nzones++) {
		const struct kmm_zone *z = zone_named(m, p->zones[i]);
		char title[64], *head = expected_zone_head(m, z), *next, *block;
		const char *rest;
		struct str tail = { 0 };

		snprintf(title, sizeof(title), "Node 0, zone %8s", p->zones[i]);
		KUNIT_ASSERT_TRUE(test, !strncmp(cur, title, strlen(title)));
		next = strstr(cur + 1, "\nNode 0, zone ");
		block = next ? strndup(cur, (size_t)(next + 1 - cur)) : strdup(cur);
		cur = next ? next + 1 : cur + strlen(cur);

		KUNIT_EXPECT_STRSTR(test, block, head);
		rest = block + strlen(title);
		if (i == first_populated) {
			static const char per_node[] = "\n  per-node stats\n      nr_inactive_anon 0\n";

			KUNIT_EXPECT_TRUE(test, !strncmp(rest, per_node, strlen(per_node)));
			KUNIT_EXPECT_STRSTR(test, block, "\n      nr_mapped    0\n");
			KUNIT_EXPECT_STRSTR(test, block, "\n      pgdemote_khugepaged 0\n  pages free");
		} else {
			/* the zone's lines follow its title at once */
			KUNIT_EXPECT_TRUE(test, !strncmp(rest, head, strlen(head)));
		}
		if (!z->present_pages) {
			/* an unpopulated zone ends with its protection line */
			sp(&tail, "%s%s\n", title, head);
			KUNIT_EXPECT_STREQ(test, block, tail.s);
		} else {
			sp(&tail, ")\n      nr_free_pages %ld\n      nr_zone_inactive_anon 0\n",
			   kmm_zone_page_state(z, KMM_NR_FREE_PAGES));
			KUNIT_EXPECT_STRSTR(test, block, tail.s);
			if (m->mbc.numa) {
				/* NUMA kernels (x86_64): the numa_* lines, every allocation a local hit */
				KUNIT_EXPECT_STRSTR(test, block, "\n      nr_mlock     0\n      nr_bounce    0\n      nr_free_cma  0\n      numa_hit     ");
				KUNIT_EXPECT_STRSTR(test, block, "\n      numa_miss    0\n      numa_foreign 0\n      numa_interleave 0\n      numa_local   ");
				KUNIT_EXPECT_STRSTR(test, block, "\n      numa_other   0\n  pagesets\n    cpu: 0\n");
			} else {
				KUNIT_EXPECT_STRSTR(test, block, "\n      nr_mlock     0\n      nr_bounce    0\n      nr_free_cma  0\n  pagesets\n    cpu: 0\n");
				KUNIT_EXPECT_NOT_STRSTR(test, block, "numa_hit");
			}
			for (unsigned int cpu = 0; cpu < m->desc.nr_cpus; cpu++) {
				const struct kmm_per_cpu_pages *pcp = &z->per_cpu_pageset[cpu];
				unsigned long mem = z->managed_pages >> (27 - KMM_PAGE_SHIFT);
				int fls_cpus = 0, fls_mem = 0, thr;
				struct str set = { 0 };

				for (unsigned long x = m->desc.nr_cpus; x; x >>= 1)
					fls_cpus++;
				for (unsigned long x = mem; x; x >>= 1)
					fls_mem++;
				thr = 2 * fls_cpus * (1 + fls_mem);
				sp(&set, "\n    cpu: %u\n              count:    %d\n              high:     %d"
					 "\n              batch:    %d\n              high_min: %d"
					 "\n              high_max: %d\n  vm stats threshold: %d\n",
				   cpu, pcp->count, pcp->high, pcp->batch, pcp->high_min, pcp->high_max,
				   thr < 125 ? thr : 125);
				KUNIT_EXPECT_STRSTR(test, block, set.s);
				free(set.s);
			}
			free(tail.s);
			tail = (struct str){ 0 };
			sp(&tail, "  node_unreclaimable:  0\n  start_pfn:           %lu\n", z->zone_start_pfn);
			KUNIT_EXPECT_STREQ(test, block + strlen(block) - strlen(tail.s), tail.s);
		}
		free(tail.s);
		free(head);
		free(block);
	}
	KUNIT_EXPECT_EQ(test, *cur, '\0');	/* no other zone */
	KUNIT_EXPECT_GT(test, nzones, 1);
	free(text);
}

static void check_vmstat(struct kunit *test, struct kmm_machine *m, const struct profile *p)
{
	char *text = rd(m, "/proc/vmstat");
	struct str names = { 0 };
	const char *q;

	all_lines_match(test, text, "^[a-z0-9_]+ [0-9]+$");
	KUNIT_EXPECT_TRUE(test, !strncmp(text, "nr_free_pages ", 14));
	KUNIT_EXPECT_EQ(test, value_of(text, "nr_free_pages"), (long)total_free(m));
	KUNIT_EXPECT_EQ(test, value_of(text, "nr_memmap_boot_pages"),
			(long)((m->mem_map_bytes + KMM_PAGE_SIZE - 1) / KMM_PAGE_SIZE));
	/* pgalloc_ and allocstall_ for the configured zones only, in zone order, then pgfree */
	for (int i = 0; p->events[i]; i++)
		sp(&names, "pgalloc_%s ", p->events[i]);
	for (int i = 0; p->events[i]; i++)
		sp(&names, "allocstall_%s ", p->events[i]);
	sp(&names, "pgfree ");
	q = strstr(text, "\npgalloc_");
	KUNIT_ASSERT_NOT_NULL(test, q);
	for (char *n = strtok(names.s, " "); n; n = strtok(NULL, " ")) {
		size_t len = strlen(n);

		q++;
		KUNIT_EXPECT_TRUE(test, !strncmp(q, n, len) && q[len] == ' ');
		q = strchr(q, '\n');
		KUNIT_ASSERT_NOT_NULL(test, q);
	}
	if (!p->highmem)
		KUNIT_EXPECT_NOT_STRSTR(test, text, "pgalloc_high");
	/* the values are the per-CPU event counters summed */
	for (int z = 0; z < KMM_MAX_NR_ZONES; z++) {
		static const char *const suffix[] = { "dma", "dma32", "normal", "high", "movable" };
		char name[64];

		for (int k = 0; k < 2; k++) {
			int item = (k ? KMM_ALLOCSTALL_DMA : KMM_PGALLOC_DMA) + z;
			long sum = 0;

			for (unsigned int cpu = 0; cpu < m->desc.nr_cpus; cpu++)
				sum += (long)m->vm_events[cpu][item];
			snprintf(name, sizeof(name), "%s_%s", k ? "allocstall" : "pgalloc", suffix[z]);
			if (value_of(text, name) >= 0)
				KUNIT_EXPECT_EQ(test, value_of(text, name), sum);
			else
				KUNIT_EXPECT_EQ(test, sum, 0);
		}
	}
	free(names.s);
	free(text);
}

static void check_meminfo(struct kunit *test, struct kmm_machine *m, const struct profile *p)
{
	static const char *const first[] = { "MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached",
					     "SwapCached", "Active", "Inactive" };
	char *text = rd(m, "/proc/meminfo");
	unsigned long managed = 0, high_managed = 0, high_free = 0, nfree = total_free(m);
	long avail = (long)nfree - (long)m->pgdat->totalreserve_pages;
	const char *l = text;

	/* show_val_kb: the label padded to 16 columns, the value in 8, " kB" */
	all_lines_match(test, text, "^[A-Za-z_()]+: *[0-9]+ kB$");
	for (const char *e = text; *e; e = strchr(e, '\n') + 1)
		KUNIT_EXPECT_EQ(test, strchr(e, '\n') - e, 27);
	for (size_t i = 0; i < sizeof(first) / sizeof(first[0]); i++) {
		KUNIT_EXPECT_TRUE(test, !strncmp(l, first[i], strlen(first[i])) && l[strlen(first[i])] == ':');
		l = strchr(l, '\n') + 1;
	}
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		managed += m->pgdat->node_zones[i].managed_pages;
		if (i == KMM_ZONE_HIGHMEM) {
			high_managed = m->pgdat->node_zones[i].managed_pages;
			high_free = (unsigned long)kmm_zone_page_state(&m->pgdat->node_zones[i], KMM_NR_FREE_PAGES);
		}
	}
	KUNIT_EXPECT_EQ(test, value_of(text, "MemTotal"), (long)managed * 4);
	KUNIT_EXPECT_EQ(test, value_of(text, "MemFree"), (long)nfree * 4);
	KUNIT_EXPECT_EQ(test, value_of(text, "MemAvailable"), (avail < 0 ? 0 : avail) * 4);
	KUNIT_EXPECT_EQ(test, value_of(text, "CommitLimit"), (long)(managed / 2) * 4);
	KUNIT_EXPECT_EQ(test, value_of(text, "VmallocTotal"),
			(long)((m->layout.vmalloc_end - m->layout.vmalloc_start) >> 10));
	if (p->highmem) {
		KUNIT_EXPECT_STRSTR(test, text, "Mlocked:               0 kB\nHighTotal:      ");
		KUNIT_EXPECT_EQ(test, value_of(text, "HighTotal"), (long)high_managed * 4);
		KUNIT_EXPECT_EQ(test, value_of(text, "HighFree"), (long)high_free * 4);
		KUNIT_EXPECT_EQ(test, value_of(text, "LowTotal"), (long)(managed - high_managed) * 4);
		KUNIT_EXPECT_EQ(test, value_of(text, "LowFree"), (long)(nfree - high_free) * 4);
		KUNIT_EXPECT_STRSTR(test, text, "LowFree:  ");
	} else {
		KUNIT_EXPECT_NOT_STRSTR(test, text, "HighTotal");
		KUNIT_EXPECT_STRSTR(test, text, "Mlocked:               0 kB\nSwapTotal:             0 kB\n");
	}
	KUNIT_EXPECT_STRSTR(test, text, "\nKernelStack:           0 kB\nPageTables:  ");
	KUNIT_EXPECT_STRSTR(test, text, "\nVmallocChunk:          0 kB\nPercpu:                0 kB\n");
	free(text);
}

static void check_extfrag(struct kunit *test, struct kmm_machine *m)
{
	char *un = rd(m, "/sys/kernel/debug/extfrag/unusable_index");
	char *ex = rd(m, "/sys/kernel/debug/extfrag/extfrag_index");
	struct str want_un = { 0 }, want_ex = { 0 };

	sp(&want_un, "%s", "");
	sp(&want_ex, "%s", "");
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		const struct kmm_zone *z = &m->pgdat->node_zones[i];

		if (!z->present_pages)
			continue;
		sp(&want_un, "Node 0, zone %8s ", z->name);
		sp(&want_ex, "Node 0, zone %8s ", z->name);
		for (unsigned int o = 0; o <= m->desc.max_order; o++) {
			unsigned long free_pages = 0, total = 0, suitable = 0;
			int u, e;

			for (unsigned int k = 0; k <= m->desc.max_order; k++) {
				total += z->free_area[k].nr_free;
				free_pages += z->free_area[k].nr_free << k;
				if (k >= o)
					suitable += z->free_area[k].nr_free << (k - o);
			}
			u = free_pages ? (int)((free_pages - (suitable << o)) * 1000 / free_pages) : 1000;
			e = !total ? 0 : suitable ? -1000
				 : 1000 - (int)((1000 + free_pages * 1000 / (1UL << o)) / total);
			sp(&want_un, "%d.%03d ", u / 1000, u % 1000);
			sp(&want_ex, "%2d.%03d ", e / 1000, e % 1000);
		}
		sp(&want_un, "\n");
		sp(&want_ex, "\n");
	}
	KUNIT_EXPECT_STREQ(test, un, want_un.s);
	KUNIT_EXPECT_STREQ(test, ex, want_ex.s);
	free(want_un.s);
	free(want_ex.s);
	free(un);
	free(ex);
}

static void formats_on_every_profile(struct kunit *test)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		const struct profile *p = &profiles[i];
		struct kmm_machine *m = boot(test, p->cmdline);

		printf("    # profile: '%s'\n", p->cmdline);
		if (strstr(p->cmdline, "min_free_kbytes=8192"))
			KUNIT_EXPECT_EQ(test, m->min_free_kbytes, 8192);
		check_buddyinfo(test, m, p);
		check_pagetypeinfo(test, m);
		check_zoneinfo(test, m, p);
		check_vmstat(test, m, p);
		check_meminfo(test, m, p);
		check_extfrag(test, m);
		kmm_shutdown(m);
	}
}

/* The sample the brief names: at91rm9200 has MAX_ORDER 10 of Linux 2.4, orders 0..9. */
static void at91_has_ten_orders(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "profile=at91rm9200");
	char *b = rd(m, "/proc/buddyinfo"), *p = rd(m, "/proc/pagetypeinfo");

	KUNIT_EXPECT_TRUE(test, matches("^Node 0, zone   Normal( +[0-9]+ ){10}\n$", b));
	KUNIT_EXPECT_STRSTR(test, p, "Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9 \n");
	KUNIT_EXPECT_STRSTR(test, p, "Page block order: 9\nPages per block:  512\n\n");
	free(b);
	free(p);
	kmm_shutdown(m);
}

static long zone_column(const char *buddyinfo, const char *zone, unsigned int order)
{
	char title[64];
	const char *l;

	snprintf(title, sizeof(title), "Node 0, zone %8s ", zone);
	l = strstr(buddyinfo, title);
	if (!l)
		return -1;
	l += strlen(title);
	for (unsigned int o = 0; o < order; o++)
		strtol(l, (char **)&l, 10);
	return strtol(l, NULL, 10);
}

static long sum_pgalloc(const char *vmstat)
{
	static const char *const names[] = { "pgalloc_dma", "pgalloc_dma32", "pgalloc_normal",
					     "pgalloc_high", "pgalloc_movable" };
	long sum = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		long v = value_of(vmstat, names[i]);

		sum += v > 0 ? v : 0;
	}
	return sum;
}

static void reports_follow_allocations(struct kunit *test)
{
	static const char *const cmdlines[] = { "", "mem=5G", "profile=i386-highmem",
						"profile=at91rm9200" };

	for (size_t c = 0; c < sizeof(cmdlines) / sizeof(cmdlines[0]); c++) {
		struct kmm_machine *m = boot(test, cmdlines[c]);
		unsigned int max = kmm_max_page_order(m);
		char *boot_buddy = rd(m, "/proc/buddyinfo"), *boot_vm = rd(m, "/proc/vmstat");
		char *boot_mem = rd(m, "/proc/meminfo"), *buddy, *vm, *mem, *zi;
		struct kmm_page *small[64], *big, *dma = NULL, *high = NULL;
		const char *big_zone;
		long before_big, pages = 0, pcp = 0;

		printf("    # machine: '%s'\n", cmdlines[c]);
		for (int i = 0; i < 64; i++) {
			small[i] = kmm_alloc_pages(m, KMM_GFP_KERNEL, (unsigned int)(i % 4));
			KUNIT_ASSERT_NOT_NULL(test, small[i]);
			pages += 1L << (i % 4);
		}
		/* a MAX_PAGE_ORDER block comes whole off its zone's last column */
		big = kmm_alloc_pages(m, KMM_GFP_KERNEL, max);
		KUNIT_ASSERT_NOT_NULL(test, big);
		pages += 1L << max;
		big_zone = kmm_page_zone_name(big);
		buddy = rd(m, "/proc/buddyinfo");
		before_big = zone_column(boot_buddy, big_zone, max);
		KUNIT_EXPECT_GT(test, before_big, 0);
		KUNIT_EXPECT_LT(test, zone_column(buddy, big_zone, max), before_big);
		KUNIT_EXPECT_NE(test, strcmp(buddy, boot_buddy), 0);
		if (m->desc.zone_limit[KMM_ZONE_DMA]) {
			dma = kmm_alloc_pages(m, KMM_GFP_KERNEL | KMM_GFP_DMA, 2);
			KUNIT_ASSERT_NOT_NULL(test, dma);
			KUNIT_EXPECT_STREQ(test, kmm_page_zone_name(dma), "DMA");
			pages += 4;
		}
		if (m->desc.zone_limit[KMM_ZONE_HIGHMEM]) {
			high = kmm_alloc_pages(m, KMM_GFP_HIGHUSER, 0);
			KUNIT_ASSERT_NOT_NULL(test, high);
			KUNIT_EXPECT_STREQ(test, kmm_page_zone_name(high), "HighMem");
			pages += 1;
		}

		vm = rd(m, "/proc/vmstat");
		mem = rd(m, "/proc/meminfo");
		/* every page allocated counts once, in its zone's pgalloc_ */
		KUNIT_EXPECT_EQ(test, sum_pgalloc(vm) - sum_pgalloc(boot_vm), pages);
		if (dma)
			KUNIT_EXPECT_GE(test, value_of(vm, "pgalloc_dma") - value_of(boot_vm, "pgalloc_dma"), 4);
		if (high)
			KUNIT_EXPECT_EQ(test, value_of(vm, "pgalloc_high") - value_of(boot_vm, "pgalloc_high"), 1);
		KUNIT_EXPECT_EQ(test, value_of(vm, "pgfree"), value_of(boot_vm, "pgfree"));
		/* MemFree drops by what was allocated and what the pcp lists hold */
		for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
			pcp += (long)kmm_zone_pcp_pages(&m->pgdat->node_zones[i]);
		KUNIT_EXPECT_EQ(test, value_of(boot_mem, "MemFree") - value_of(mem, "MemFree"),
				(pages + pcp) * 4);
		KUNIT_EXPECT_EQ(test, value_of(mem, "MemTotal"), value_of(boot_mem, "MemTotal"));
		KUNIT_EXPECT_EQ(test, value_of(vm, "nr_free_pages") * 4, value_of(mem, "MemFree"));
		/* zoneinfo shows the pcp pages the allocations left on this CPU's lists */
		zi = rd(m, "/proc/zoneinfo");
		KUNIT_EXPECT_GT(test, pcp, 0);
		KUNIT_EXPECT_TRUE(test, matches("\n              count:    [1-9][0-9]*\n", zi));
		free(zi);
		/* and every report still has the exact layout */
		for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
			if (!strcmp(profiles[i].cmdline, cmdlines[c])) {
				check_buddyinfo(test, m, &profiles[i]);
				check_pagetypeinfo(test, m);
				check_zoneinfo(test, m, &profiles[i]);
				check_meminfo(test, m, &profiles[i]);
				check_extfrag(test, m);
			}

		for (int i = 0; i < 64; i++)
			kmm___free_pages(m, small[i], (unsigned int)(i % 4));
		kmm___free_pages(m, big, max);
		if (dma)
			kmm___free_pages(m, dma, 2);
		if (high)
			kmm___free_pages(m, high, 0);
		kmm_quiesce(m);
		free(buddy);
		free(vm);
		free(mem);
		buddy = rd(m, "/proc/buddyinfo");
		vm = rd(m, "/proc/vmstat");
		mem = rd(m, "/proc/meminfo");
		/* everything back: buddyinfo and MemFree are their boot values again */
		KUNIT_EXPECT_STREQ(test, buddy, boot_buddy);
		KUNIT_EXPECT_EQ(test, value_of(mem, "MemFree"), value_of(boot_mem, "MemFree"));
		KUNIT_EXPECT_EQ(test, value_of(mem, "MemAvailable"), value_of(boot_mem, "MemAvailable"));
		KUNIT_EXPECT_EQ(test, value_of(vm, "pgfree") - value_of(boot_vm, "pgfree"), pages);
		zi = rd(m, "/proc/zoneinfo");
		KUNIT_EXPECT_FALSE(test, matches("\n              count:    [1-9]", zi));
		KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
		free(zi);
		free(buddy);
		free(vm);
		free(mem);
		free(boot_buddy);
		free(boot_vm);
		free(boot_mem);
		kmm_shutdown(m);
	}
}

/* Allocating every MAX_PAGE_ORDER block: the pages, the stalls and the failure are counted. */
static void failures_are_counted(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "profile=at91rm9200");
	const kmm_gfp_t gfp = KMM_GFP_KERNEL | KMM___GFP_NOWARN | KMM___GFP_NORETRY;
	unsigned int max = kmm_max_page_order(m);
	char *before = rd(m, "/proc/vmstat"), *after, *boot_buddy = rd(m, "/proc/buddyinfo"), *b;
	struct kmm_page *got[64];
	int n = 0;

	while (n < 64 && (got[n] = kmm_alloc_pages(m, gfp, max)))
		n++;
	KUNIT_EXPECT_GT(test, n, 0);
	KUNIT_EXPECT_LT(test, n, 64);
	after = rd(m, "/proc/vmstat");
	b = rd(m, "/proc/buddyinfo");
	KUNIT_EXPECT_EQ(test, zone_column(b, "Normal", max), 0);
	KUNIT_EXPECT_EQ(test, value_of(after, "kmm_pgalloc_fail") - value_of(before, "kmm_pgalloc_fail"), 1);
	KUNIT_EXPECT_GE(test, value_of(after, "allocstall_normal") - value_of(before, "allocstall_normal"), 1);
	KUNIT_EXPECT_EQ(test, value_of(after, "allocstall_movable"), 0);
	KUNIT_EXPECT_EQ(test, value_of(after, "pgalloc_normal") - value_of(before, "pgalloc_normal"),
			(long)n << max);
	KUNIT_EXPECT_LE(test, value_of(after, "allocstall_normal") - value_of(before, "allocstall_normal"),
			2 * (n + 1));
	/* with no block of the top order left, its fragmentation index is a number, not -1 */
	check_vmstat(test, m, &profiles[4]);
	check_extfrag(test, m);
	free(b);
	b = rd(m, "/sys/kernel/debug/extfrag/extfrag_index");
	KUNIT_EXPECT_TRUE(test, matches("^Node 0, zone   Normal (-1\\.000 ){1,9}( 0\\.[0-9]{3} ){1,9}\n$", b));
	printf("    # exhausted: %s", b);
	while (n--)
		kmm___free_pages(m, got[n], max);
	kmm_quiesce(m);
	free(b);
	b = rd(m, "/proc/buddyinfo");
	KUNIT_EXPECT_STREQ(test, b, boot_buddy);
	free(b);
	free(boot_buddy);
	free(before);
	free(after);
	kmm_shutdown(m);
}

/* kmm.stop_at=memblock: no page allocator, so the files are there but empty. */
static void empty_without_page_allocator(struct kunit *test)
{
	static const char *const files[] = {
		"/proc/buddyinfo", "/proc/pagetypeinfo", "/proc/zoneinfo", "/proc/vmstat",
		"/proc/meminfo", "/sys/kernel/debug/extfrag/unusable_index",
		"/sys/kernel/debug/extfrag/extfrag_index",
	};
	const char *cmdlines[] = { "kmm.stop_at=memblock",
				   "profile=i386-highmem kmm.stop_at=memblock",
				   "profile=at91rm9200 kmm.stop_at=memblock" };

	for (size_t c = 0; c < sizeof(cmdlines) / sizeof(cmdlines[0]); c++) {
		struct kmm_machine *m = boot(test, cmdlines[c]);

		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			KUNIT_EXPECT_EQ(test, kmm_proc_read(m, files[i], buf, sizeof(buf)), 0);
		kmm_shutdown(m);
	}
}

/* A short buffer gets a truncated, terminated copy and the full length. */
static void short_buffer(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	static const char *const files[] = { "/proc/zoneinfo", "/proc/vmstat", "/proc/meminfo",
					     "/proc/pagetypeinfo", "/proc/buddyinfo" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char small[16];
		long full = kmm_proc_read(m, files[i], buf, sizeof(buf));

		KUNIT_EXPECT_GT(test, full, 16);
		KUNIT_EXPECT_EQ(test, kmm_proc_read(m, files[i], small, sizeof(small)), full);
		KUNIT_EXPECT_EQ(test, strlen(small), 15);
		KUNIT_EXPECT_EQ(test, strncmp(small, buf, 15), 0);
	}
	kmm_shutdown(m);
}

static struct kunit_case cases[] = {
	KUNIT_CASE(formats_on_every_profile),
	KUNIT_CASE(at91_has_ten_orders),
	KUNIT_CASE(reports_follow_allocations),
	KUNIT_CASE(failures_are_counted),
	KUNIT_CASE(empty_without_page_allocator),
	KUNIT_CASE(short_buffer),
	{}
};

KUNIT_MAIN("reports", cases)
