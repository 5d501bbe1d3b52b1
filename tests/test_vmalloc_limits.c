/* SPDX-License-Identifier: MIT */
/*
 * vmalloc at its limits: the virtual range runs out (vmalloc=8M), memory
 * runs out, or the request is larger than all of it. Each failure is
 * reported with the kernel's text, purges lazily freed ranges before giving
 * up, and gives back whatever it had taken, so that vmalloc works again.
 */
#include "vm_test.h"

#define PAGE KMM_PAGE_SIZE
#define MIB (1UL << 20)

static void va_exhaustion(struct kunit *test)
{
	static const char *const cmdlines[] = { "vmalloc=8M", "profile=i386-highmem vmalloc=8M" };

	for (size_t c = 0; c < sizeof(cmdlines) / sizeof(*cmdlines); c++) {
		struct kmm_machine *m = boot(test, cmdlines[c]);
		const struct kmm_layout *l;
		struct kmm_vmalloc_stats st;
		struct vm_base base;
		char want[160];
		void *p[16];
		int n = 0;

		KUNIT_ASSERT_NOT_NULL(test, m);
		l = kmm_layout(m);
		KUNIT_EXPECT_EQ(test, l->vmalloc_end - l->vmalloc_start, 8 * MIB);
		vm_rest(m, &base);
		while (n < 16 && (p[n] = kmm_vmalloc(m, MIB)))
			n++;
		/* 1 MiB and its guard page, 7 times, fill all but 1 MiB - 28 KiB of 8 MiB */
		KUNIT_EXPECT_EQ(test, n, 7);
		KUNIT_EXPECT_STRSTR(test, kmsg(m),
				    "vmalloc error: size 1048576, vm_struct allocation failed, "
				    "mode:0xcc0(GFP_KERNEL), nodemask=(null)");
		snprintf(want, sizeof(want),
			 "vmalloc_node_range for size %lu failed: "
			 "Address range restricted to %#lx - %#lx",
			 MIB + PAGE, (unsigned long)l->vmalloc_start, (unsigned long)l->vmalloc_end);
		KUNIT_EXPECT_STRSTR(test, kmsg(m), want);
		KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);

		/* a lazily freed range is purged when the space runs out, and taken */
		kmm_vfree(m, p[3]);
		kmm_vmalloc_stats(m, &st);
		KUNIT_EXPECT_GT(test, st.lazy_pages, 0);
		p[3] = kmm_vmalloc(m, MIB);
		KUNIT_EXPECT_NOT_NULL(test, p[3]);
		KUNIT_EXPECT_EQ(test, count_in(kmsg(m), "vm_struct allocation failed"), 1);
		kmm_vmalloc_stats(m, &st);
		KUNIT_EXPECT_EQ(test, st.lazy_pages, 0);
		KUNIT_EXPECT_GE(test, st.nr_purges, base.st.nr_purges + 1);

		for (int i = 0; i < n; i++)
			kmm_vfree(m, p[i]);
		EXPECT_AT_BASE(test, m, &base);
		/* all of it is there again (the page array of 6 MiB takes a 16 KiB area) */
		p[0] = kmm_vmalloc(m, 6 * MIB);
		KUNIT_EXPECT_NOT_NULL(test, p[0]);
		kmm_vfree(m, p[0]);
		EXPECT_AT_BASE(test, m, &base);
		kmm_shutdown(m);
	}
}

static void larger_than_memory(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=128M");
	unsigned long total;
	struct vm_base base;
	char want[128];

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	total = meminfo_kb(m, "MemTotal:") / (PAGE / 1024);
	KUNIT_ASSERT_GT(test, total, 0);
	KUNIT_EXPECT_NULL(test, kmm_vmalloc(m, (total + 1) * PAGE));
	snprintf(want, sizeof(want),
		 "vmalloc error: size %lu, exceeds total pages, mode:0xcc0(GFP_KERNEL)",
		 (total + 1) * PAGE);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), want);
	/* refused before anything was taken */
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

/* The size a "failed to allocate pages" report gives (what was had), or 0. */
static unsigned long reported_size(const char *log)
{
	const char *s = strstr(log, "vmalloc error: size ");
	unsigned long size = 0;
	char rest[64] = "";

	if (s && sscanf(s, "vmalloc error: size %lu, %63[^,]", &size, rest) == 2 &&
	    !strcmp(rest, "failed to allocate pages"))
		return size;
	return 0;
}

static void out_of_pages(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=128M");
	unsigned long total, size;
	struct vm_base base;
	const char *log;
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	/* all of RAM passes the first test, but some of it is in use already */
	total = meminfo_kb(m, "MemTotal:") / (PAGE / 1024);
	size = total * PAGE;
	KUNIT_EXPECT_GT(test, total, base.free_pages);
	KUNIT_EXPECT_NULL(test, kmm_vmalloc(m, size));
	log = kmsg(m);
	KUNIT_EXPECT_STRSTR(test, log,
			    "failed to allocate pages, mode:0xcc2(GFP_KERNEL|__GFP_HIGHMEM)");
	/* the size it got, in pages: most of free memory, not all of the request */
	KUNIT_EXPECT_GT(test, reported_size(log), 0);
	KUNIT_EXPECT_EQ(test, reported_size(log) % PAGE, 0);
	KUNIT_EXPECT_LT(test, reported_size(log), size);
	/* the only report is vmalloc's: the page allocator's is quiet (it shares the ratelimit) */
	KUNIT_EXPECT_NOT_STRSTR(test, log, "page allocation failure");
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	/* every page it had taken is back */
	EXPECT_AT_BASE(test, m, &base);
	p = kmm_vmalloc(m, 16 * MIB);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 1, 16 * MIB);
	kmm_vfree(m, p);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

/* __GFP_NOWARN: the same three failures, silent */
static void nowarn_is_silent(struct kunit *test)
{
	const kmm_gfp_t gfp = KMM_GFP_KERNEL | KMM___GFP_NOWARN;
	struct kmm_machine *m = boot(test, "mem=128M");
	unsigned long total;
	struct vm_base base;
	void *p[8];
	int n = 0;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	total = meminfo_kb(m, "MemTotal:") / (PAGE / 1024);
	KUNIT_EXPECT_NULL(test, kmm___vmalloc(m, (total + 1) * PAGE, gfp));
	KUNIT_EXPECT_NULL(test, kmm___vmalloc(m, total * PAGE, gfp));
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "vmalloc error");
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "page allocation failure");
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);

	m = boot(test, "vmalloc=8M");
	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	while (n < 8 && (p[n] = kmm___vmalloc(m, MIB, gfp)))
		n++;
	KUNIT_EXPECT_EQ(test, n, 7);
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "vmalloc error");
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "vmalloc_node_range for size");
	for (int i = 0; i < n; i++)
		kmm_vfree(m, p[i]);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static struct kunit_case limits_cases[] = {
	KUNIT_CASE(va_exhaustion),
	KUNIT_CASE(larger_than_memory),
	KUNIT_CASE(out_of_pages),
	KUNIT_CASE(nowarn_is_silent),
	{}
};

KUNIT_MAIN("vmalloc_limits", limits_cases)
