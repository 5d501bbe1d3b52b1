/* SPDX-License-Identifier: MIT */
/*
 * The slab allocator's reports: /proc/slabinfo, /sys/kernel/slab/<cache>/<attr>
 * and the Slab lines of /proc/meminfo, through the public API only.
 *
 * /proc/slabinfo has the kernel's 2.1 layout exactly (each line is parsed and
 * printed again with cache_show()'s format, and must come out the same), the
 * newest cache first; the kmalloc caches are those of each profile, and their
 * geometry (objects per slab, pages per slab) is what SLUB's calculate_order()
 * gives for the machine's CPUs: computed here from the kernel's formula, and
 * for 2 CPUs also checked against a real Linux 6.18 machine with 2 CPUs
 * (../shared/reference/proc-slabinfo.txt). The counts move by exactly what the
 * allocations ask once the per-CPU slabs are flushed (kmm_quiesce: every free
 * object is then on a node partial list, so active_objs is the objects in
 * use), and go back to their boot values after the frees and a
 * kmem_cache_shrink.
 */
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>

#include <kmm/kmm.h>
#include <kmm/slab.h>

#include "kunit.h"

#define PAGE_SIZE 4096UL

static char buf[1 << 18];
static struct kmm_machine *cur;

/* One machine at a time; a case that stopped on a failed assertion leaves its own here. */
static struct kmm_machine *boot(struct kunit *test, const char *cmdline)
{
	char line[256];

	if (cur)
		kmm_shutdown(cur);
	snprintf(line, sizeof(line), "%s quiet", cmdline);
	cur = kmm_boot(line);
	if (!cur)
		printf("    # boot '%s': %s\n", line, kmm_last_error());
	KUNIT_ASSERT_NOT_NULL(test, cur);
	return cur;
}

static void shutdown(void)
{
	if (cur)
		kmm_shutdown(cur);
	cur = NULL;
}

static void shutdown_at_exit(void)
{
	shutdown();
}

static int suite_init(void)
{
	atexit(shutdown_at_exit);
	return 0;
}

static const char *rd(struct kmm_machine *m, const char *path)
{
	long n = kmm_proc_read(m, path, buf, sizeof(buf));

	if (n < 0 || (size_t)n >= sizeof(buf))
		return "";
	return buf;
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

static const char *sys_text(struct kmm_machine *m, const char *cache, const char *attr);

/* ---- /proc/slabinfo, parsed ---- */

struct line {
	char name[64];
	unsigned long active_objs, num_objs;
	unsigned int objsize, objperslab;
	int pagesperslab;
	unsigned int limit, batchcount, sharedfactor;
	unsigned long active_slabs, num_slabs, sharedavail;
};

struct slabinfo {
	char header[2][256];
	struct line l[512];
	int n;
};

static struct slabinfo si;

/* Reads /proc/slabinfo into si; every line must be cache_show()'s format exactly. */
static void read_slabinfo(struct kunit *test, struct kmm_machine *m)
{
	char *text = strdup(rd(m, "/proc/slabinfo")), *save = NULL;
	int i = 0;

	memset(&si, 0, sizeof(si));
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save), i++) {
		struct line *x;
		char again[512];

		if (i < 2) {
			snprintf(si.header[i], sizeof(si.header[i]), "%s", l);
			continue;
		}
		if (si.n == (int)(sizeof(si.l) / sizeof(si.l[0])))
			break;
		x = &si.l[si.n++];
		if (sscanf(l, "%63s %lu %lu %u %u %d : tunables %u %u %u : slabdata %lu %lu %lu",
			   x->name, &x->active_objs, &x->num_objs, &x->objsize, &x->objperslab,
			   &x->pagesperslab, &x->limit, &x->batchcount, &x->sharedfactor,
			   &x->active_slabs, &x->num_slabs, &x->sharedavail) != 12) {
			KUNIT_FAIL_MSG(test, "slabinfo line \"%s\" does not parse", l);
			continue;
		}
		/* mm/slab_common.c cache_show() */
		snprintf(again, sizeof(again),
			 "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu",
			 x->name, x->active_objs, x->num_objs, x->objsize, x->objperslab,
			 x->pagesperslab, x->limit, x->batchcount, x->sharedfactor, x->active_slabs,
			 x->num_slabs, x->sharedavail);
		if (strcmp(again, l))
			KUNIT_FAIL_MSG(test, "slabinfo line\n      \"%s\", expected\n      \"%s\"", l, again);
	}
	free(text);
}

static const struct line *line_of(const char *name)
{
	for (int i = 0; i < si.n; i++)
		if (!strcmp(si.l[i].name, name))
			return &si.l[i];
	return NULL;
}

/* The cache's line now (a copy; zero when the cache has none). */
static struct line cache_line(struct kunit *test, struct kmm_machine *m, const char *name)
{
	const struct line *l;
	struct line z = { .num_objs = 0 };

	read_slabinfo(test, m);
	l = line_of(name);
	if (!l) {
		KUNIT_FAIL_MSG(test, "no /proc/slabinfo line for %s", name);
		return z;
	}
	return *l;
}

/* ---- SLUB's slab geometry, from mm/slub.c (6.12) ---- */

static unsigned int fls_(unsigned int x)
{
	return x ? 32 - (unsigned int)__builtin_clz(x) : 0;
}

static unsigned int get_order_(unsigned long size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* calc_slab_order() */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
				    unsigned int max_order, unsigned int fract_leftover)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned int slab_size = (unsigned int)PAGE_SIZE << order;

		if (slab_size % size <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/*
 * calculate_order() with the defaults slab_min_order 0, slab_max_order 3
 * (PAGE_ALLOC_COSTLY_ORDER), no slab_min_objects: min_objects is
 * 4 * (fls(nr_cpus) + 1), nr_cpus the present CPUs (nr_cpu_ids when that is
 * 1: kmm's CPUs are all present and possible).
 */
static unsigned int slub_order(unsigned int size, unsigned int nr_cpus, unsigned int max_page_order)
{
	const unsigned int slub_max_order = 3, max_objs_per_page = 32767;
	unsigned int min_objects = 4 * (fls_(nr_cpus) + 1);
	unsigned int max_objects = ((unsigned int)PAGE_SIZE << slub_max_order) / size;
	unsigned int min_order, order;

	if (max_objects < 1)
		max_objects = 1;
	if (min_objects > max_objects)
		min_objects = max_objects;
	min_order = get_order_((unsigned long)min_objects * size);
	if (((unsigned int)PAGE_SIZE << min_order) / size > max_objs_per_page)
		return get_order_((unsigned long)size * max_objs_per_page) - 1;
	for (unsigned int fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, slub_max_order, fraction);
		if (order <= slub_max_order)
			return order;
	}
	order = get_order_(size);
	return order <= max_page_order ? order : ~0U;
}

/* kmalloc-<n>: "kmalloc-64", "kmalloc-1k", "kmalloc-128k" (kmalloc_info[] names) */
static void kmalloc_name(char *out, size_t len, const char *prefix, unsigned long size)
{
	if (size >= 1024 && !(size % 1024))
		snprintf(out, len, "%s%luk", prefix, size / 1024);
	else
		snprintf(out, len, "%s%lu", prefix, size);
}

/* The kmalloc sizes of a profile: 8 ... 8192 with 96 and 192, or the seed's 32 ... 131072. */
static int kmalloc_sizes(bool seed, unsigned long *sizes)
{
	int n = 0;

	if (!seed) {
		sizes[n++] = 96;
		sizes[n++] = 192;
	}
	for (unsigned long s = seed ? 32 : 8; s <= (seed ? 131072UL : 8192UL); s *= 2)
		sizes[n++] = s;
	return n;
}

/* ---- the format ---- */

static void slabinfo_header_and_format(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "nr_cpus=2");
	const char *text = rd(m, "/proc/slabinfo");
	long len = kmm_proc_read(m, "/proc/slabinfo", NULL, 0);

	KUNIT_EXPECT_EQ(test, len, (long)strlen(text));
	read_slabinfo(test, m);
	KUNIT_EXPECT_STREQ(test, si.header[0], "slabinfo - version: 2.1");
	KUNIT_EXPECT_STREQ(test, si.header[1],
			   "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
			   " : tunables <limit> <batchcount> <sharedfactor>"
			   " : slabdata <active_slabs> <num_slabs> <sharedavail>");
	KUNIT_EXPECT_GE(test, si.n, 13);
	for (int i = 0; i < si.n; i++) {
		const struct line *l = &si.l[i];

		/* SLUB: no tunables, no shared arrays, every slab active */
		KUNIT_EXPECT_EQ(test, l->limit, 0);
		KUNIT_EXPECT_EQ(test, l->batchcount, 0);
		KUNIT_EXPECT_EQ(test, l->sharedfactor, 0);
		KUNIT_EXPECT_EQ(test, l->sharedavail, 0);
		KUNIT_EXPECT_EQ(test, l->active_slabs, l->num_slabs);
		KUNIT_EXPECT_LE(test, l->active_objs, l->num_objs);
		KUNIT_EXPECT_EQ(test, l->num_objs, l->num_slabs * l->objperslab);
		KUNIT_EXPECT_TRUE(test, l->pagesperslab > 0 && !(l->pagesperslab & (l->pagesperslab - 1)));
		KUNIT_EXPECT_LE(test, (unsigned long)l->objsize * l->objperslab,
				(unsigned long)l->pagesperslab * PAGE_SIZE);
		KUNIT_EXPECT_GT(test, (unsigned long)l->objsize * (l->objperslab + 1),
				(unsigned long)l->pagesperslab * PAGE_SIZE);
	}
	/* the name padded to 17 columns, then the widths of cache_show() */
	for (const char *p = strchr(strchr(text, '\n') + 1, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
		char line[512];
		size_t n = (size_t)(strchr(p, '\n') - p);

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (!matches("^([^ ]{17}|[^ ]+ +) [ 0-9]{6} [ 0-9]{6} [ 0-9]{6} [ 0-9]{4} [ 0-9]{4}"
			     " : tunables    0    0    0 : slabdata [ 0-9]{6} [ 0-9]{6}      0$", line))
			KUNIT_FAIL_MSG(test, "line \"%s\" is not in cache_show()'s format", line);
	}
	shutdown();
}

/* slab_caches: a new cache goes to the head of the list, which /proc/slabinfo walks from the head */
static void slabinfo_newest_first(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "nr_cpus=2");
	struct kmm_kmem_cache *a, *b, *c;
	int n_boot;

	read_slabinfo(test, m);
	n_boot = si.n;
	KUNIT_ASSERT_GT(test, n_boot, 0);
	/* the boot's first cache is the cache of caches */
	KUNIT_EXPECT_STREQ(test, si.l[n_boot - 1].name, "kmem_cache");
	a = kmm_kmem_cache_create(m, "test_first", 200, 0, KMM_SLAB_NO_MERGE, NULL);
	b = kmm_kmem_cache_create(m, "test_second", 300, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	read_slabinfo(test, m);
	KUNIT_EXPECT_EQ(test, si.n, n_boot + 2);
	KUNIT_EXPECT_STREQ(test, si.l[0].name, "test_second");
	KUNIT_EXPECT_STREQ(test, si.l[1].name, "test_first");
	KUNIT_EXPECT_STREQ(test, si.l[si.n - 1].name, "kmem_cache");
	/* 298 bytes: the stride of test_second (304), so it merges; an alias has no line */
	c = kmm_kmem_cache_create(m, "test_alias", 298, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_TRUE(test, c == b);
	KUNIT_EXPECT_STREQ(test, kmm_kmem_cache_name(c), "test_second");
	read_slabinfo(test, m);
	KUNIT_EXPECT_NULL(test, line_of("test_alias"));
	KUNIT_EXPECT_EQ(test, si.n, n_boot + 2);
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_second", "aliases"), "1\n");
	kmm_kmem_cache_destroy(c);
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_second", "aliases"), "0\n");
	kmm_kmem_cache_destroy(a);
	read_slabinfo(test, m);
	KUNIT_EXPECT_EQ(test, si.n, n_boot + 1);
	KUNIT_EXPECT_STREQ(test, si.l[0].name, "test_second");
	KUNIT_EXPECT_NULL(test, line_of("test_first"));
	kmm_kmem_cache_destroy(b);
	read_slabinfo(test, m);
	KUNIT_EXPECT_EQ(test, si.n, n_boot);
	shutdown();
}

/* ---- the kmalloc caches of each profile, and their geometry ---- */

/* The real 6.18 machine with 2 CPUs: name, objsize, objperslab, pagesperslab */
static const struct {
	const char *name;
	unsigned int objsize, objperslab;
	int pagesperslab;
} reference_2cpus[] = {
	{ "kmalloc-8k", 8192, 4, 8 },	{ "kmalloc-4k", 4096, 8, 8 },
	{ "kmalloc-2k", 2048, 16, 8 },	{ "kmalloc-1k", 1024, 16, 4 },
	{ "kmalloc-512", 512, 16, 2 },	{ "kmalloc-256", 256, 16, 1 },
	{ "kmalloc-128", 128, 32, 1 },	{ "kmalloc-64", 64, 64, 1 },
	{ "kmalloc-32", 32, 128, 1 },	{ "kmalloc-16", 16, 256, 1 },
	{ "kmalloc-8", 8, 512, 1 },	{ "kmalloc-192", 192, 21, 1 },
	{ "kmalloc-96", 96, 42, 1 },
};

/* Every kmalloc-<n> of the profile (with prefix), none other; geometry from calculate_order(). */
static void check_kmalloc_caches(struct kunit *test, struct kmm_machine *m, const char *prefix,
				 bool seed)
{
	unsigned long sizes[32];
	int n = kmalloc_sizes(seed, sizes), found = 0;
	unsigned int cpus = kmm_nr_cpus(m);

	read_slabinfo(test, m);
	for (int i = 0; i < n; i++) {
		char name[64];
		const struct line *l;
		unsigned int order;

		kmalloc_name(name, sizeof(name), prefix, sizes[i]);
		l = line_of(name);
		if (!l) {
			KUNIT_FAIL_MSG(test, "no /proc/slabinfo line for %s", name);
			continue;
		}
		order = slub_order((unsigned int)sizes[i], cpus, kmm_max_page_order(m));
		if (l->objsize != sizes[i] || l->pagesperslab != 1 << order ||
		    l->objperslab != (PAGE_SIZE << order) / sizes[i])
			KUNIT_FAIL_MSG(test, "%s (%u CPUs): objsize %u objperslab %u pagesperslab %d, expected %lu %lu %d",
				       name, cpus, l->objsize, l->objperslab, l->pagesperslab, sizes[i],
				       (PAGE_SIZE << order) / sizes[i], 1 << order);
	}
	/* no other kmalloc-<n> of this kind */
	for (int i = 0; i < si.n; i++) {
		const char *rest = si.l[i].name + strlen(prefix);

		if (strncmp(si.l[i].name, prefix, strlen(prefix)) || !(rest[0] >= '0' && rest[0] <= '9'))
			continue;
		found++;
	}
	KUNIT_EXPECT_EQ(test, found, n);
}

static void kmalloc_caches_x86_64(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "nr_cpus=2");

	check_kmalloc_caches(test, m, "kmalloc-", false);
	KUNIT_EXPECT_NULL(test, line_of("kmalloc-16k"));
	/* and as on the real machine with 2 CPUs */
	for (size_t i = 0; i < sizeof(reference_2cpus) / sizeof(reference_2cpus[0]); i++) {
		const struct line *l = line_of(reference_2cpus[i].name);

		KUNIT_ASSERT_NOT_NULL(test, l);
		KUNIT_EXPECT_EQ(test, l->objsize, reference_2cpus[i].objsize);
		KUNIT_EXPECT_EQ(test, l->objperslab, reference_2cpus[i].objperslab);
		KUNIT_EXPECT_EQ(test, l->pagesperslab, reference_2cpus[i].pagesperslab);
	}
	/* the reclaimable and DMA kinds: the same sizes and geometry */
	check_kmalloc_caches(test, m, "kmalloc-rcl-", false);
	check_kmalloc_caches(test, m, "dma-kmalloc-", false);
	shutdown();
}

static void kmalloc_caches_at91rm9200(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "profile=at91rm9200");

	/* the seed's table: 32 ... 131072, no 96 and 192 */
	check_kmalloc_caches(test, m, "kmalloc-", true);
	KUNIT_EXPECT_NULL(test, line_of("kmalloc-8"));
	KUNIT_EXPECT_NULL(test, line_of("kmalloc-16"));
	KUNIT_EXPECT_NULL(test, line_of("kmalloc-96"));
	KUNIT_EXPECT_NULL(test, line_of("kmalloc-192"));
	KUNIT_EXPECT_NULL(test, line_of("kmalloc-256k"));
	/* one CPU: min_objects 8; kmalloc-128k is one order-5 slab per object */
	KUNIT_EXPECT_EQ(test, kmm_nr_cpus(m), 1);
	KUNIT_ASSERT_NOT_NULL(test, line_of("kmalloc-128k"));
	KUNIT_EXPECT_EQ(test, line_of("kmalloc-128k")->objperslab, 1);
	KUNIT_EXPECT_EQ(test, line_of("kmalloc-128k")->pagesperslab, 32);
	KUNIT_EXPECT_EQ(test, line_of("kmalloc-16k")->objperslab, 2);
	KUNIT_EXPECT_EQ(test, line_of("kmalloc-16k")->pagesperslab, 8);
	shutdown();
}

/* min_objects grows with the CPUs: 8 (1 CPU), 12 (2), 16 (3-4), 20 (5-8) */
static void kmalloc_geometry_by_cpus(struct kunit *test)
{
	static const unsigned int cpus[] = { 1, 3, 4, 8 };

	for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		char cmdline[64];
		struct kmm_machine *m;

		snprintf(cmdline, sizeof(cmdline), "nr_cpus=%u", cpus[i]);
		m = boot(test, cmdline);
		check_kmalloc_caches(test, m, "kmalloc-", false);
		if (cpus[i] == 8) {
			/* SLUB's own example for 8 CPUs (min_objects 20) */
			KUNIT_EXPECT_EQ(test, line_of("kmalloc-256")->pagesperslab, 2);
			KUNIT_EXPECT_EQ(test, line_of("kmalloc-256")->objperslab, 32);
			KUNIT_EXPECT_EQ(test, line_of("kmalloc-512")->pagesperslab, 4);
			KUNIT_EXPECT_EQ(test, line_of("kmalloc-1k")->pagesperslab, 8);
			KUNIT_EXPECT_EQ(test, line_of("kmalloc-1k")->objperslab, 32);
			KUNIT_EXPECT_EQ(test, line_of("kmalloc-2k")->objperslab, 16);
			KUNIT_EXPECT_EQ(test, line_of("kmalloc-8k")->objperslab, 4);
		}
		shutdown();
	}
}

/* ---- counts ---- */

/*
 * kmalloc(size) k times, then kfree them: at each quiesced point the line of
 * the cache moves by exactly what was asked. kmm_quiesce() flushes the
 * per-CPU slabs, so every free object is then on the node partial list and
 * active_objs is the objects in use; kmem_cache_shrink() then releases
 * every empty slab.
 */
static void check_counts(struct kunit *test, struct kmm_machine *m, const char *cache,
			 struct kmm_kmem_cache *s, size_t size, unsigned int k)
{
	struct line l0, l1, l2, l3;
	void **p = calloc(k, sizeof(*p));
	unsigned long free0, new_slabs;

	KUNIT_ASSERT_NOT_NULL(test, p);
	kmm_quiesce(m);
	kmm_kmem_cache_shrink(s);
	l0 = cache_line(test, m, cache);
	free0 = l0.num_objs - l0.active_objs;
	for (unsigned int i = 0; i < k; i++) {
		p[i] = kmm_kmalloc(m, size, KMM_GFP_KERNEL);
		KUNIT_EXPECT_NOT_NULL(test, p[i]);
	}
	/* SLUB uses the free objects of the partial slabs before it makes new slabs */
	l1 = cache_line(test, m, cache);
	new_slabs = k > free0 ? (k - free0 + l0.objperslab - 1) / l0.objperslab : 0;
	KUNIT_EXPECT_EQ(test, l1.num_slabs, l0.num_slabs + new_slabs);
	KUNIT_EXPECT_EQ(test, l1.num_objs, l0.num_objs + new_slabs * l0.objperslab);
	if (k > free0) {
		/* every partial slab taken: all objects count as active */
		KUNIT_EXPECT_EQ(test, l1.active_objs, l1.num_objs);
	}
	kmm_quiesce(m);
	l2 = cache_line(test, m, cache);
	KUNIT_EXPECT_EQ(test, l2.active_objs, l0.active_objs + k);
	KUNIT_EXPECT_EQ(test, l2.num_objs, l1.num_objs);
	for (unsigned int i = 0; i < k; i++)
		kmm_kfree(m, p[i]);
	kmm_quiesce(m);
	l3 = cache_line(test, m, cache);
	KUNIT_EXPECT_EQ(test, l3.active_objs, l0.active_objs);
	KUNIT_EXPECT_LE(test, l3.num_objs, l1.num_objs);
	kmm_kmem_cache_shrink(s);
	l3 = cache_line(test, m, cache);
	KUNIT_EXPECT_EQ(test, l3.active_objs, l0.active_objs);
	KUNIT_EXPECT_EQ(test, l3.num_objs, l0.num_objs);
	KUNIT_EXPECT_EQ(test, l3.num_slabs, l0.num_slabs);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	free(p);
}

static void counts_follow_kmalloc_kfree(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "nr_cpus=2");

	check_counts(test, m, "kmalloc-64", kmm_kmalloc_cache(m, 64, KMM_GFP_KERNEL), 64, 3 * 64 + 1);
	check_counts(test, m, "kmalloc-64", kmm_kmalloc_cache(m, 64, KMM_GFP_KERNEL), 33, 5);
	check_counts(test, m, "kmalloc-8k", kmm_kmalloc_cache(m, 8192, KMM_GFP_KERNEL), 8000, 9);
	check_counts(test, m, "kmalloc-96", kmm_kmalloc_cache(m, 96, KMM_GFP_KERNEL), 65, 100);
	shutdown();
	m = boot(test, "profile=at91rm9200");
	check_counts(test, m, "kmalloc-32", kmm_kmalloc_cache(m, 8, KMM_GFP_KERNEL), 8, 300);
	check_counts(test, m, "kmalloc-128k", kmm_kmalloc_cache(m, 100000, KMM_GFP_KERNEL), 100000, 3);
	shutdown();
}

/* A cache of its own starts empty: every number is known. */
static void counts_of_a_new_cache(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "nr_cpus=2");
	struct kmm_kmem_cache *s = kmm_kmem_cache_create(m, "test_counts", 1000, 0, KMM_SLAB_NO_MERGE, NULL);
	unsigned int order = slub_order(1000, 2, kmm_max_page_order(m));
	unsigned long per = (PAGE_SIZE << order) / 1000;
	struct line l;
	void *p[40];

	KUNIT_ASSERT_NOT_NULL(test, s);
	l = cache_line(test, m, "test_counts");
	KUNIT_EXPECT_EQ(test, l.active_objs, 0);
	KUNIT_EXPECT_EQ(test, l.num_objs, 0);
	KUNIT_EXPECT_EQ(test, l.num_slabs, 0);
	KUNIT_EXPECT_EQ(test, l.objsize, 1000);	/* 1000 is 8-aligned */
	KUNIT_EXPECT_EQ(test, l.objperslab, per);
	KUNIT_EXPECT_EQ(test, l.pagesperslab, 1 << order);
	/* the CPU's active slab: all its objects count as in use */
	p[0] = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p[0]);
	l = cache_line(test, m, "test_counts");
	KUNIT_EXPECT_EQ(test, l.num_slabs, 1);
	KUNIT_EXPECT_EQ(test, l.num_objs, per);
	KUNIT_EXPECT_EQ(test, l.active_objs, per);
	for (unsigned int i = 1; i < 40; i++)
		p[i] = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
	l = cache_line(test, m, "test_counts");
	KUNIT_EXPECT_EQ(test, l.num_slabs, (40 + per - 1) / per);
	KUNIT_EXPECT_EQ(test, l.active_objs, l.num_objs);
	kmm_quiesce(m);
	l = cache_line(test, m, "test_counts");
	KUNIT_EXPECT_EQ(test, l.active_objs, 40);
	KUNIT_EXPECT_EQ(test, l.num_objs, (40 + per - 1) / per * per);
	for (unsigned int i = 0; i < 40; i++)
		kmm_kmem_cache_free(s, p[i]);
	kmm_quiesce(m);
	l = cache_line(test, m, "test_counts");
	KUNIT_EXPECT_EQ(test, l.active_objs, 0);
	KUNIT_EXPECT_EQ(test, kmm_kmem_cache_shrink(s), 0);
	l = cache_line(test, m, "test_counts");
	KUNIT_EXPECT_EQ(test, l.num_objs, 0);
	KUNIT_EXPECT_EQ(test, l.num_slabs, 0);
	kmm_kmem_cache_destroy(s);
	shutdown();
}

/* ---- /sys/kernel/slab ---- */

static long sys_num(struct kmm_machine *m, const char *cache, const char *attr)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/%s", cache, attr);
	if (kmm_proc_read(m, path, buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

static const char *sys_text(struct kmm_machine *m, const char *cache, const char *attr)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/%s", cache, attr);
	return kmm_proc_read(m, path, buf, sizeof(buf)) < 0 ? "(error)" : buf;
}

/* show_slab_objects(): the total, " N0=total" on a NUMA kernel (x86_64) when not 0, newline */
static void expect_count(struct kunit *test, struct kmm_machine *m, const char *cache,
			 const char *attr, unsigned long v, bool numa)
{
	char want[64];

	if (numa && v)
		snprintf(want, sizeof(want), "%lu N0=%lu\n", v, v);
	else
		snprintf(want, sizeof(want), "%lu\n", v);
	KUNIT_EXPECT_STREQ(test, sys_text(m, cache, attr), want);
}

static void sysfs_kmalloc_64(struct kunit *test)
{
	static const char *const profiles[] = { "nr_cpus=2", "profile=i386-highmem", "profile=at91rm9200" };

	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		struct kmm_machine *m = boot(test, profiles[i]);
		bool numa = i == 0;
		void *p[100];
		struct line l;

		for (int j = 0; j < 100; j++)
			p[j] = kmm_kmalloc(m, 64, KMM_GFP_KERNEL);
		kmm_quiesce(m);
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-64", "object_size"), "64\n");
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-64", "slab_size"), "64\n");
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-64", "objs_per_slab"), "64\n");
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-64", "order"), "0\n");
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-64", "aliases"), "0\n");
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-64", "min_partial"), "5\n");
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-64", "cpu_partial"), "120\n");
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-64", "reclaim_account"), "0\n");
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-64", "poison"), "0\n");
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-4k", "cpu_partial"), "6\n");
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-1k", "cpu_partial"), "24\n");
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-512", "cpu_partial"), "52\n");
		/* min_partial = clamp(ilog2(size) / 2, 5, 10) */
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-8k", "min_partial"), "6\n");
		KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-8k", "order"), "3\n");
		/* the counts agree with /proc/slabinfo: after quiesce, no CPU slab */
		l = cache_line(test, m, "kmalloc-64");
		expect_count(test, m, "kmalloc-64", "objects", l.active_objs, numa);
		expect_count(test, m, "kmalloc-64", "total_objects", l.num_objs, numa);
		expect_count(test, m, "kmalloc-64", "slabs", l.num_slabs, numa);
		expect_count(test, m, "kmalloc-64", "cpu_slabs", 0, numa);
		KUNIT_EXPECT_GE(test, l.active_objs, 100);
		/* partial: the node partial slabs; each holds a free object */
		KUNIT_EXPECT_GE(test, sys_num(m, "kmalloc-64", "partial"), 0);
		KUNIT_EXPECT_LE(test, (unsigned long)sys_num(m, "kmalloc-64", "partial"),
				l.num_objs - l.active_objs);
		KUNIT_EXPECT_LE(test, (unsigned long)sys_num(m, "kmalloc-64", "partial"), l.num_slabs);
		/* a CPU slab again */
		p[0] = kmm_kmalloc(m, 64, KMM_GFP_KERNEL);
		KUNIT_EXPECT_GE(test, sys_num(m, "kmalloc-64", "cpu_slabs"), 1);
		for (int j = 0; j < 100; j++)
			kmm_kfree(m, p[j]);
		/* the sizes of the seed table */
		if (i == 2) {
			KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-128k", "order"), "5\n");
			KUNIT_EXPECT_STREQ(test, sys_text(m, "kmalloc-128k", "objs_per_slab"), "1\n");
		}
		shutdown();
	}
}

static void sysfs_of_a_cache(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "nr_cpus=2");
	struct kmm_kmem_cache *s = kmm_kmem_cache_create(m, "test_sysfs", 100, 0,
							   KMM_SLAB_HWCACHE_ALIGN | KMM_SLAB_RECLAIM_ACCOUNT |
							   KMM_SLAB_NO_MERGE, NULL);
	void *p[10];

	KUNIT_ASSERT_NOT_NULL(test, s);
	/* HWCACHE_ALIGN: a 64-byte line, not halved for objects over 32 bytes */
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "object_size"), "100\n");
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "align"), "64\n");
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "slab_size"), "128\n");
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "objs_per_slab"), "32\n");
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "hwcache_align"), "1\n");
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "reclaim_account"), "1\n");
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "objects"), "0\n");
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "slabs"), "0\n");
	for (int i = 0; i < 10; i++)
		p[i] = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
	kmm_quiesce(m);
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "objects"), "10 N0=10\n");
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "total_objects"), "32 N0=32\n");
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "slabs"), "1 N0=1\n");
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "partial"), "1 N0=1\n");
	for (int i = 0; i < 10; i++)
		kmm_kmem_cache_free(s, p[i]);
	/* writing 1 to shrink: kmem_cache_shrink() */
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/slab/test_sysfs/shrink", "1\n"), 0);
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "slabs"), "0\n");
	KUNIT_EXPECT_STREQ(test, sys_text(m, "test_sysfs", "shrink"), "");
	kmm_kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/sys/kernel/slab/test_sysfs/object_size", buf, sizeof(buf)),
			-ENOENT);
	shutdown();
}

static void sysfs_errors_and_list(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "nr_cpus=2");
	long len;
	char *list;

	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/sys/kernel/slab/nosuch/order", buf, sizeof(buf)), -ENOENT);
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/sys/kernel/slab/kmalloc-64/nosuch", buf, sizeof(buf)), -ENOENT);
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/sys/kernel/slab/kmalloc-64/order/x", buf, sizeof(buf)), -ENOENT);
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/sys/kernel/slab/kmalloc-6", buf, sizeof(buf)), -ENOENT);
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/sys/kernel/slab/kmalloc-64", buf, sizeof(buf)), -EISDIR);
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/sys/kernel/slab/kmalloc-64/", buf, sizeof(buf)), -EISDIR);
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/sys/kernel/slab/", buf, sizeof(buf)), -EISDIR);
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/sys/kernel/slabby/kmalloc-64/order", buf, sizeof(buf)), -ENOENT);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/slab/kmalloc-64/order", "1"), -EACCES);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/slab/kmalloc-64/shrink", "2"), -EINVAL);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/slab/kmalloc-64/shrink", "1"), 0);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/slab/nosuch/shrink", "1"), -ENOENT);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/proc/slabinfo", "1"), -EACCES);
	/* the length without a buffer, as snprintf */
	len = kmm_proc_read(m, "/sys/kernel/slab/kmalloc-64/object_size", NULL, 0);
	KUNIT_EXPECT_EQ(test, len, 3);
	/* ls: one line per cache and attribute */
	len = kmm_proc_list(m, NULL, 0);
	KUNIT_ASSERT_GT(test, len, 0);
	list = malloc((size_t)len + 1);
	KUNIT_ASSERT_NOT_NULL(test, list);
	kmm_proc_list(m, list, (size_t)len + 1);
	KUNIT_EXPECT_STRSTR(test, list, "\n/proc/slabinfo\n");
	KUNIT_EXPECT_STRSTR(test, list, "\n/sys/kernel/slab/kmalloc-64/object_size\n");
	KUNIT_EXPECT_STRSTR(test, list, "\n/sys/kernel/slab/kmem_cache/objs_per_slab\n");
	KUNIT_EXPECT_STRSTR(test, list, "\n/sys/kernel/slab/kmalloc-8k/shrink (writable)\n");
	/* every path listed reads */
	for (char *l = list, *nl; *l; l = nl + 1) {
		char path[256];

		nl = strchr(l, '\n');
		if (!nl)
			break;
		snprintf(path, sizeof(path), "%.*s", (int)(nl - l), l);
		if (strchr(path, ' '))
			*strchr(path, ' ') = '\0';
		if (kmm_proc_read(m, path, buf, sizeof(buf)) < 0)
			KUNIT_FAIL_MSG(test, "%s is listed but does not read", path);
	}
	free(list);
	shutdown();
}

/* ---- /proc/meminfo ---- */

static long meminfo(struct kmm_machine *m, const char *name)
{
	const char *text = rd(m, "/proc/meminfo");
	size_t n = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ':')
			return strtol(p + n + 1, NULL, 10);
	return -1;
}

/* Slab pages of every line of /proc/slabinfo, in kB. */
static unsigned long slabinfo_kb(struct kunit *test, struct kmm_machine *m, const char *only_prefix)
{
	unsigned long kb = 0;

	read_slabinfo(test, m);
	for (int i = 0; i < si.n; i++)
		if (!only_prefix || !strncmp(si.l[i].name, only_prefix, strlen(only_prefix)))
			kb += si.l[i].num_slabs * (unsigned long)si.l[i].pagesperslab * (PAGE_SIZE / 1024);
	return kb;
}

static void meminfo_slab_lines(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "nr_cpus=2");
	long slab0, rec0, unrec0;
	void *p[64], *q[64], *r[6];
	const char *text;

	text = rd(m, "/proc/meminfo");
	KUNIT_EXPECT_TRUE(test, matches("\nKReclaimable: +[0-9]+ kB\nSlab: +[0-9]+ kB\nSReclaimable: +[0-9]+ kB\n"
					"SUnreclaim: +[0-9]+ kB\n", text));
	KUNIT_EXPECT_TRUE(test, matches("\nSlab:           [ 0-9]{8} kB\n", text));
	slab0 = meminfo(m, "Slab");
	rec0 = meminfo(m, "SReclaimable");
	unrec0 = meminfo(m, "SUnreclaim");
	KUNIT_EXPECT_GT(test, slab0, 0);
	KUNIT_EXPECT_EQ(test, slab0, rec0 + unrec0);
	KUNIT_EXPECT_EQ(test, meminfo(m, "KReclaimable"), rec0);
	KUNIT_EXPECT_EQ(test, (unsigned long)slab0, slabinfo_kb(test, m, NULL));
	KUNIT_EXPECT_EQ(test, (unsigned long)rec0, slabinfo_kb(test, m, "kmalloc-rcl-"));
	/* 64 objects of 8 KiB: 16 order-3 slabs more, unreclaimable */
	for (int i = 0; i < 64; i++)
		p[i] = kmm_kmalloc(m, 8192, KMM_GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, (unsigned long)meminfo(m, "Slab"), slabinfo_kb(test, m, NULL));
	KUNIT_EXPECT_GE(test, meminfo(m, "SUnreclaim") - unrec0, 15 * 32);
	KUNIT_EXPECT_EQ(test, meminfo(m, "SReclaimable"), rec0);
	/* __GFP_RECLAIMABLE: kmalloc-rcl-*, SReclaimable */
	for (int i = 0; i < 64; i++)
		q[i] = kmm_kmalloc(m, 4096, KMM_GFP_KERNEL | KMM___GFP_RECLAIMABLE);
	KUNIT_EXPECT_GE(test, meminfo(m, "SReclaimable") - rec0, 7 * 32);
	KUNIT_EXPECT_EQ(test, (unsigned long)meminfo(m, "SReclaimable"), slabinfo_kb(test, m, "kmalloc-rcl-"));
	KUNIT_EXPECT_EQ(test, meminfo(m, "KReclaimable"), meminfo(m, "SReclaimable"));
	KUNIT_EXPECT_EQ(test, meminfo(m, "Slab"), meminfo(m, "SReclaimable") + meminfo(m, "SUnreclaim"));
	/* large kmalloc (above 8 KiB): compound pages, counted in SUnreclaim, in no cache */
	unrec0 = meminfo(m, "SUnreclaim");
	slab0 = (long)slabinfo_kb(test, m, NULL);
	for (int i = 0; i < 5; i++)
		r[i] = kmm_kmalloc(m, 40000, KMM_GFP_KERNEL);	/* order 4: 64 KiB */
	r[5] = kmm_kmalloc(m, 8193, KMM_GFP_KERNEL);		/* order 2: 16 KiB */
	KUNIT_EXPECT_EQ(test, meminfo(m, "SUnreclaim"), unrec0 + 5 * 64 + 16);
	KUNIT_EXPECT_EQ(test, (long)slabinfo_kb(test, m, NULL), slab0);
	KUNIT_EXPECT_EQ(test, meminfo(m, "Slab"), slab0 + 5 * 64 + 16);
	for (int i = 0; i < 6; i++)
		kmm_kfree(m, r[i]);
	KUNIT_EXPECT_EQ(test, meminfo(m, "SUnreclaim"), unrec0);
	slab0 = meminfo(m, "Slab");
	for (int i = 0; i < 64; i++) {
		kmm_kfree(m, p[i]);
		kmm_kfree(m, q[i]);
	}
	kmm_quiesce(m);
	kmm_kmem_cache_shrink(kmm_kmalloc_cache(m, 8192, KMM_GFP_KERNEL));
	kmm_kmem_cache_shrink(kmm_kmalloc_cache(m, 4096, KMM_GFP_KERNEL | KMM___GFP_RECLAIMABLE));
	KUNIT_EXPECT_EQ(test, (unsigned long)meminfo(m, "Slab"), slabinfo_kb(test, m, NULL));
	KUNIT_EXPECT_LE(test, meminfo(m, "Slab"), slab0);
	KUNIT_EXPECT_LE(test, meminfo(m, "SReclaimable"), rec0);
	shutdown();
}

/* ---- early boot ---- */

static void empty_before_slab(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "kmm.stop_at=memblock");

	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/proc/slabinfo", buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/sys/kernel/slab/kmalloc-64/order", buf, sizeof(buf)),
			-ENOENT);
	KUNIT_EXPECT_NOT_STRSTR(test, rd(m, "/proc/meminfo"), "Slab:");
	shutdown();
}

static struct kunit_case cases[] = {
	KUNIT_CASE(slabinfo_header_and_format),
	KUNIT_CASE(slabinfo_newest_first),
	KUNIT_CASE(kmalloc_caches_x86_64),
	KUNIT_CASE(kmalloc_caches_at91rm9200),
	KUNIT_CASE(kmalloc_geometry_by_cpus),
	KUNIT_CASE(counts_follow_kmalloc_kfree),
	KUNIT_CASE(counts_of_a_new_cache),
	KUNIT_CASE(sysfs_kmalloc_64),
	KUNIT_CASE(sysfs_of_a_cache),
	KUNIT_CASE(sysfs_errors_and_list),
	KUNIT_CASE(meminfo_slab_lines),
	KUNIT_CASE(empty_before_slab),
	{},
};

KUNIT_MAIN_INIT("slabinfo", cases, suite_init)
