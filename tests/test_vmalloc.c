/* SPDX-License-Identifier: MIT */
/*
 * vmalloc as a user sees it: the area and each page's own address show the
 * same bytes (on highmem through a second mapping made with vmap), the pages
 * are scattered when memory is and few host mappings are made when it is
 * not, the guard page faults, vfree gives back every page and every virtual
 * range, the lazy purge batches, an atomic vfree is deferred and completes,
 * the zeroing variants zero, vmalloc_32 stays below 4 GiB, overflowing
 * sizes fail, and two threads at once end with the walker clean.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vm_test.h"

#define PAGE KMM_PAGE_SIZE

static void views_agree(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=512M");
	const unsigned long size = 5 * PAGE + 123, pages = 6;
	unsigned char *p;
	struct vm_base base;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	p = kmm_vmalloc(m, size);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, kmm_is_vmalloc_addr(m, p));
	KUNIT_EXPECT_EQ(test, (uintptr_t)p % PAGE, 0);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_size(m, p), pages * PAGE);
	for (unsigned long i = 0; i < size; i++)
		p[i] = (unsigned char)(i * 7 + 3);
	for (unsigned long i = 0; i < pages; i++) {
		struct kmm_page *page = kmm_vmalloc_to_page(m, p + i * PAGE);
		unsigned char *direct;

		KUNIT_ASSERT_NOT_NULL(test, page);
		/* any address inside the page names the same page */
		KUNIT_EXPECT_TRUE(test, kmm_vmalloc_to_page(m, p + i * PAGE + 77) == page);
		KUNIT_EXPECT_EQ(test, kmm_vmalloc_to_pfn(m, p + i * PAGE),
				kmm_page_to_pfn(kmm_layout(m), page));
		KUNIT_EXPECT_FALSE(test, kmm_PageHighMem(page));
		direct = kmm_page_address(m, page);
		KUNIT_ASSERT_NOT_NULL(test, direct);
		KUNIT_EXPECT_FALSE(test, kmm_is_vmalloc_addr(m, direct));
		KUNIT_EXPECT_EQ(test,
				memcmp(direct, p + i * PAGE, i + 1 < pages ? PAGE : size % PAGE), 0);
		/* and the other way: a write through the direct map shows in the area */
		direct[100] = 0x5a;
		KUNIT_EXPECT_EQ(test, p[i * PAGE + 100], 0x5a);
	}
	/* the guard page has no page */
	KUNIT_EXPECT_NULL(test, kmm_vmalloc_to_page(m, p + pages * PAGE));
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_vfree(m, p);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_size(m, p), 0);
	KUNIT_EXPECT_NULL(test, kmm_vmalloc_to_page(m, p));
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

struct find_area {
	uintptr_t addr;
	struct kmm_vm_info vi;
	int found;
};

static int find_area_fn(void *arg, const struct kmm_vm_info *vi)
{
	struct find_area *f = arg;

	if (vi->addr == f->addr) {
		f->vi = *vi;
		f->found++;
	}
	return 0;
}

static void areas_are_listed(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	struct find_area f = { 0 };
	void *p, *u;

	KUNIT_ASSERT_NOT_NULL(test, m);
	p = kmm_vmalloc(m, 3 * PAGE);
	u = kmm_vmalloc_user(m, PAGE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, u);
	f.addr = (uintptr_t)p;
	kmm_vmalloc_for_each(m, find_area_fn, &f);
	KUNIT_EXPECT_EQ(test, f.found, 1);
	/* as /proc/vmallocinfo: the size with the guard page */
	KUNIT_EXPECT_EQ(test, f.vi.size, 4 * PAGE);
	KUNIT_EXPECT_EQ(test, f.vi.nr_pages, 3);
	KUNIT_EXPECT_EQ(test, f.vi.flags & (KMM_VM_ALLOC | KMM_VM_USERMAP | KMM_VM_UNINITIALIZED),
			KMM_VM_ALLOC);
	KUNIT_EXPECT_NE(test, f.vi.caller, 0);
	KUNIT_EXPECT_FALSE(test, f.vi.unpurged);
	f = (struct find_area){ .addr = (uintptr_t)u };
	kmm_vmalloc_for_each(m, find_area_fn, &f);
	KUNIT_EXPECT_EQ(test, f.found, 1);
	KUNIT_EXPECT_EQ(test, f.vi.flags & KMM_VM_USERMAP, KMM_VM_USERMAP);
	kmm_vfree(m, p);
	/* a freed area waits for the purge, listed as unpurged without flags */
	f = (struct find_area){ .addr = (uintptr_t)p };
	kmm_vmalloc_for_each(m, find_area_fn, &f);
	KUNIT_EXPECT_EQ(test, f.found, 1);
	KUNIT_EXPECT_TRUE(test, f.vi.unpurged);
	KUNIT_EXPECT_EQ(test, f.vi.flags, 0);
	kmm_vm_unmap_aliases(m);
	f = (struct find_area){ .addr = (uintptr_t)p };
	kmm_vmalloc_for_each(m, find_area_fn, &f);
	KUNIT_EXPECT_EQ(test, f.found, 0);
	kmm_vfree(m, u);
	kmm_shutdown(m);
}

static void highmem_pages_read_through_vmap(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "profile=i386-highmem mem=2G");
	const unsigned int n = 256;
	struct kmm_page *pages[256];
	unsigned char *p, *q;
	struct vm_base base;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	p = kmm_vmalloc(m, n * PAGE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (unsigned long i = 0; i < n * PAGE; i++)
		p[i] = (unsigned char)(i ^ (i >> 12));
	for (unsigned int i = 0; i < n; i++) {
		pages[i] = kmm_vmalloc_to_page(m, p + i * PAGE);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		/* vmalloc prefers highmem: no permanent kernel address */
		KUNIT_EXPECT_TRUE(test, kmm_PageHighMem(pages[i]));
		KUNIT_EXPECT_NULL(test, kmm_page_address(m, pages[i]));
	}
	q = kmm_vmap(m, pages, n, 0);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_NE(test, (uintptr_t)q, (uintptr_t)p);
	KUNIT_EXPECT_EQ(test, memcmp(p, q, n * PAGE), 0);
	for (unsigned int i = 0; i < n; i++) {
		KUNIT_EXPECT_TRUE(test, kmm_vmalloc_to_page(m, q + i * PAGE) == pages[i]);
		q[i * PAGE + 5] = 0xee;
		KUNIT_EXPECT_EQ(test, p[i * PAGE + 5], 0xee);
	}
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_vunmap(m, q);
	/* the pages are the vmalloc area's still */
	KUNIT_EXPECT_EQ(test, p[(n - 1) * PAGE + 5], 0xee);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_vfree(m, p);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static void scattered_pages_when_fragmented(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=128M");
	const unsigned int n = 64;
	struct kmm_vmalloc_stats before, after;
	struct kmm_page **kept;
	unsigned long nkept, pfn[64];
	unsigned int runs = 1;
	struct vm_base base;
	unsigned char *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	KUNIT_ASSERT_EQ(test, fragment(m, &kept, &nkept), 0);
	KUNIT_EXPECT_GT(test, kmm_nr_free_pages(m), 4 * n);
	kmm_vmalloc_stats(m, &before);
	p = kmm_vmalloc(m, n * PAGE);
	kmm_vmalloc_stats(m, &after);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (unsigned int i = 0; i < n; i++) {
		struct kmm_page *page = kmm_vmalloc_to_page(m, p + i * PAGE);

		KUNIT_ASSERT_NOT_NULL(test, page);
		pfn[i] = kmm_page_to_pfn(kmm_layout(m), page);
		runs += i && pfn[i] != pfn[i - 1] + 1;
		/* scattered or not, each page shows what the area holds */
		memset(p + i * PAGE, (int)i, PAGE);
		KUNIT_EXPECT_EQ(test, ((unsigned char *)kmm_page_address(m, page))[PAGE - 1], i);
	}
	/* only single free pages were left: no two of them are neighbours */
	KUNIT_EXPECT_EQ(test, runs, n);
	KUNIT_EXPECT_EQ(test, after.nr_host_maps - before.nr_host_maps, n);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_vfree(m, p);
	unfragment(m, kept, nkept);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static void few_host_maps_when_unfragmented(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=512M");
	struct kmm_vmalloc_stats before, after;
	unsigned char *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_vmalloc_stats(m, &before);
	p = kmm_vmalloc(m, 1 << 20);
	kmm_vmalloc_stats(m, &after);
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* 256 pages from one or two free blocks: one host mapping per physically contiguous run */
	KUNIT_EXPECT_GE(test, after.nr_host_maps - before.nr_host_maps, 1);
	KUNIT_EXPECT_LE(test, after.nr_host_maps - before.nr_host_maps, 2);
	memset(p, 1, 1 << 20);
	kmm_vfree(m, p);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_shutdown(m);
}

/*
 * A child touches one byte and exits: its wait status. The child only
 * touches memory (the machine's threads are not in it); SIGSEGV is the
 * default action there, whatever a sanitizer installed.
 */
static int child_touch(volatile unsigned char *addr, bool write)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		struct sigaction sa = { .sa_handler = SIG_DFL };

		sigaction(SIGSEGV, &sa, NULL);
		sigaction(SIGBUS, &sa, NULL);
		if (write)
			*addr = 0x77;
		else
			(void)*addr;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static bool died_of_segv(int status)
{
	return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

static bool exited_ok(int status)
{
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void guard_page_faults(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	unsigned char *a, *b;

	KUNIT_ASSERT_NOT_NULL(test, m);
	a = kmm_vmalloc(m, 3 * PAGE);
	b = kmm_vmalloc(m, 2 * PAGE);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	/* first fit by address: b follows a's guard page */
	KUNIT_EXPECT_EQ(test, (uintptr_t)b, (uintptr_t)a + 4 * PAGE);
	a[3 * PAGE - 1] = 0x42;
	KUNIT_EXPECT_TRUE(test, exited_ok(child_touch(a + 3 * PAGE - 1, false)));
	KUNIT_EXPECT_TRUE(test, exited_ok(child_touch(a + 3 * PAGE - 1, true)));
	/* the machine's RAM is one shared memory (a memfd): the child wrote it */
	KUNIT_EXPECT_EQ(test, a[3 * PAGE - 1], 0x77);
	/* one byte past the end, and the last byte of the gap before the next area */
	KUNIT_EXPECT_TRUE(test, died_of_segv(child_touch(a + 3 * PAGE, true)));
	KUNIT_EXPECT_TRUE(test, died_of_segv(child_touch(b - 1, true)));
	KUNIT_EXPECT_TRUE(test, died_of_segv(child_touch(b + 2 * PAGE, false)));
	KUNIT_EXPECT_TRUE(test, exited_ok(child_touch(b, true)));
	/* after vfree and the purge the area itself faults */
	kmm_vfree(m, a);
	kmm_vm_unmap_aliases(m);
	KUNIT_EXPECT_TRUE(test, died_of_segv(child_touch(a, false)));
	kmm_vfree(m, b);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_shutdown(m);
}

static void vfree_returns_everything(struct kunit *test)
{
	static const unsigned long sizes[] = { 1, PAGE, PAGE + 1, 65536, 1 << 20, (3 << 20) + 5,
					       8 << 20, 5 * PAGE, 300000 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	struct kmm_machine *m = boot(test, "mem=512M");
	unsigned long memfree;
	struct vm_base base;
	unsigned char *p[N];

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	memfree = meminfo_kb(m, "MemFree:");
	KUNIT_EXPECT_EQ(test, memfree, base.free_pages * (PAGE / 1024));
	for (int i = 0; i < N; i++) {
		switch (i % 4) {
		case 0:
			p[i] = kmm_vmalloc(m, sizes[i]);
			break;
		case 1:
			p[i] = kmm_vzalloc(m, sizes[i]);
			break;
		case 2:
			p[i] = kmm___vmalloc(m, sizes[i], KMM_GFP_KERNEL);
			break;
		default:
			p[i] = kmm_vmalloc_node(m, sizes[i], 0);
			break;
		}
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		p[i][0] = 1;
		p[i][sizes[i] - 1] = 2;
		KUNIT_EXPECT_EQ(test, kmm_vmalloc_size(m, p[i]), KMM_PAGE_ALIGN(sizes[i]));
		KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	}
	KUNIT_EXPECT_LT(test, meminfo_kb(m, "MemFree:"), memfree);
	/* every other one first, so that frees land beside busy areas and beside free ones */
	for (int i = 1; i < N; i += 2) {
		kmm_vfree(m, p[i]);
		KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	}
	for (int i = 0; i < N; i += 2) {
		kmm_vfree(m, p[i]);
		KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	}
	EXPECT_AT_BASE(test, m, &base);
	KUNIT_EXPECT_EQ(test, meminfo_kb(m, "MemFree:"), memfree);
	kmm_shutdown(m);
}

static bool purged_since(struct kmm_machine *m, void *arg)
{
	struct kmm_vmalloc_stats st;

	kmm_vmalloc_stats(m, &st);
	return st.nr_purges > *(unsigned long *)arg;
}

static void lazy_purge_batches(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=512M");
	const unsigned long area_pages = (1 << 20) / PAGE + 1;	/* with the guard page */
	unsigned long lazy_max = 0, below, purges;
	struct kmm_vmalloc_stats st;
	struct vm_base base;
	void *p, *q, *r;

	KUNIT_ASSERT_NOT_NULL(test, m);
	/* lazy_max_pages(): fls(num_online_cpus()) * 32 MiB of pages */
	for (unsigned int n = kmm_nr_cpus(m); n; n >>= 1)
		lazy_max += (32 << 20) / PAGE;
	vm_rest(m, &base);
	p = kmm_vmalloc(m, 1 << 20);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kmm_vfree(m, p);
	kmm_vmalloc_stats(m, &st);
	KUNIT_EXPECT_EQ(test, st.nr_areas, 0);
	KUNIT_EXPECT_EQ(test, st.nr_vmalloc_pages, 0);
	KUNIT_EXPECT_EQ(test, st.lazy_pages, area_pages);
	/* the range is not reused before the purge */
	q = kmm_vmalloc(m, 1 << 20);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_NE(test, (uintptr_t)q, (uintptr_t)p);
	kmm_vfree(m, q);
	kmm_vmalloc_stats(m, &st);
	KUNIT_EXPECT_EQ(test, st.lazy_pages, 2 * area_pages);
	purges = st.nr_purges;
	kmm_vm_unmap_aliases(m);
	kmm_vmalloc_stats(m, &st);
	KUNIT_EXPECT_EQ(test, st.lazy_pages, 0);
	KUNIT_EXPECT_EQ(test, st.nr_purges, purges + 1);	/* both in one purge */
	r = kmm_vmalloc(m, 1 << 20);
	KUNIT_EXPECT_EQ(test, (uintptr_t)r, (uintptr_t)p);	/* and then it is */
	kmm_vfree(m, r);
	kmm_vm_unmap_aliases(m);

	/* up to lazy_max_pages nothing is purged */
	kmm_vmalloc_stats(m, &st);
	purges = st.nr_purges;
	below = lazy_max / area_pages;
	for (unsigned long i = 0; i < below; i++) {
		char *a = kmm_vmalloc(m, 1 << 20);

		KUNIT_ASSERT_NOT_NULL(test, a);
		a[0] = 1;
		kmm_vfree(m, a);
	}
	kmm_vmalloc_stats(m, &st);
	KUNIT_EXPECT_EQ(test, st.lazy_pages, below * area_pages);
	KUNIT_EXPECT_EQ(test, st.nr_purges, purges);
	/* past it, the workqueue purges in batches */
	for (unsigned long i = 0; i < 3 * below; i++) {
		char *a = kmm_vmalloc(m, 1 << 20);

		KUNIT_ASSERT_NOT_NULL(test, a);
		a[0] = 1;
		kmm_vfree(m, a);
	}
	KUNIT_EXPECT_TRUE(test, wait_until(purged_since, m, &purges));
	kmm_vmalloc_stats(m, &st);
	/*
	 * Batches: 4 * below areas cross lazy_max_pages 3 times at most, and
	 * each crossing queues the purge once, or twice when a free queues it
	 * again while the worker is starting the first: 6 purges for 252 frees.
	 */
	KUNIT_EXPECT_LE(test, st.nr_purges - purges, 6);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static bool no_vmalloc_pages(struct kmm_machine *m, void *arg)
{
	struct kmm_vmalloc_stats st;

	(void)arg;
	kmm_vmalloc_stats(m, &st);
	return st.nr_vmalloc_pages == 0;
}

static void atomic_vfree_is_deferred(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	struct kmm_vmalloc_stats st;
	struct vm_base base;
	char *p, *q;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	p = kmm_vmalloc(m, 65536);
	q = kmm_vmalloc(m, 3 * PAGE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	memset(p, 1, 65536);
	memset(q, 2, 3 * PAGE);
	kmm_preempt_disable();
	KUNIT_EXPECT_NE(test, kmm_preempt_count(), 0);
	kmm_vfree(m, p);
	/* the area is gone at once (a second vfree would warn); its pages go from the workqueue */
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_size(m, p), 0);
	kmm_preempt_enable();
	kmm_vfree_atomic(m, q);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_size(m, q), 0);
	kmm_vmalloc_stats(m, &st);
	KUNIT_EXPECT_EQ(test, st.nr_areas, 0);
	KUNIT_EXPECT_TRUE(test, wait_until(no_vmalloc_pages, m, NULL));
	KUNIT_EXPECT_TRUE(test, wait_until(at_base, m, &base));
	EXPECT_AT_BASE(test, m, &base);
	/* freeing in atomic context is allowed: no "sleeping function called" or warning */
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "BUG");
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "WARNING");
	kmm_shutdown(m);

	/* one CPU, held in atomic context: the worker cannot free the pages meanwhile */
	m = boot(test, "nr_cpus=1 mem=128M");
	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	p = kmm_vmalloc(m, 65536);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kmm_preempt_disable();
	kmm_vfree(m, p);
	kmm_vmalloc_stats(m, &st);
	KUNIT_EXPECT_EQ(test, st.nr_areas, 0);
	KUNIT_EXPECT_EQ(test, st.nr_vmalloc_pages, 65536 / PAGE);
	kmm_preempt_enable();
	/* waiting or being freed, the area is whole to the walker */
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	/* and vm_unmap_aliases settles it: no need to wait for the workqueue */
	kmm_vm_unmap_aliases(m);
	kmm_vmalloc_stats(m, &st);
	KUNIT_EXPECT_EQ(test, st.nr_vmalloc_pages, 0);
	KUNIT_EXPECT_EQ(test, st.lazy_pages, 0);
	EXPECT_AT_BASE(test, m, &base);
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "vmalloc check:");
	kmm_shutdown(m);
}

static bool all_bytes(const unsigned char *p, unsigned long len, unsigned char v)
{
	for (unsigned long i = 0; i < len; i++)
		if (p[i] != v)
			return false;
	return true;
}

/*
 * Writes 0xa5 over every free page (taken at order 0, __GFP_MEMALLOC: the
 * reserves too) and frees them all again: whatever is allocated next was
 * dirty.
 */
static int dirty_all_free_memory(struct kmm_machine *m)
{
	const struct kmm_layout *l = kmm_layout(m);
	const kmm_gfp_t gfp = KMM_GFP_KERNEL | KMM___GFP_MEMALLOC | KMM___GFP_NOWARN;
	struct kmm_page **all = malloc(l->mem_map_pages * sizeof(*all)), *page;
	unsigned long n = 0;
	int ret = 0;

	if (!all)
		return -1;
	while (n < l->mem_map_pages && (page = kmm_alloc_pages(m, gfp, 0))) {
		void *va = kmm_page_address(m, page);

		if (va)
			memset(va, 0xa5, PAGE);
		else
			ret = -1;
		all[n++] = page;
	}
	while (n)
		kmm___free_pages(m, all[--n], 0);
	free(all);
	kmm_quiesce(m);
	return ret;
}

static void zeroing_variants(struct kunit *test)
{
	enum { N = 256 };
	const unsigned long size = N * PAGE;
	struct kmm_machine *m = boot(test, "mem=128M");
	struct vm_base base;
	unsigned char *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	/* plain vmalloc does not zero: the dirt shows (what the others must hide) */
	KUNIT_ASSERT_EQ(test, dirty_all_free_memory(m), 0);
	p = kmm_vmalloc(m, size);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, all_bytes(p, size, 0xa5));
	kmm_vfree(m, p);
	for (int v = 0; v < 6; v++) {
		KUNIT_ASSERT_EQ(test, dirty_all_free_memory(m), 0);
		switch (v) {
		case 0:
			p = kmm_vzalloc(m, size);
			break;
		case 1:
			p = kmm_vmalloc_user(m, size);
			break;
		case 2:
			p = kmm_vmalloc_32_user(m, size);
			break;
		case 3:
			p = kmm_vcalloc(m, N, PAGE);
			break;
		case 4:
			p = kmm___vmalloc(m, size, KMM_GFP_KERNEL | KMM___GFP_ZERO);
			break;
		default:
			p = kmm_vzalloc_node(m, size, KMM_NUMA_NO_NODE);
			break;
		}
		KUNIT_ASSERT_NOT_NULL(test, p);
		if (!all_bytes(p, size, 0))
			KUNIT_FAIL_MSG(test, "variant %d: not zeroed", v);
		kmm_vfree(m, p);
	}
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static void vmalloc_32_below_4g(struct kunit *test)
{
	enum { N = 1024 };
	struct kmm_machine *m = boot(test, "mem=8G");
	unsigned long low = 0, high = 0;
	struct vm_base base;
	char *p, *q, *u;

	KUNIT_ASSERT_NOT_NULL(test, m);
	/* 8 GiB of RAM on the host cost only what is touched */
	KUNIT_EXPECT_GT(test, kmm_layout(m)->max_pfn, 0x200000);
	vm_rest(m, &base);
	p = kmm_vmalloc_32(m, N * PAGE);
	q = kmm_vmalloc(m, N * PAGE);
	u = kmm_vmalloc_32_user(m, 16 * PAGE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_ASSERT_NOT_NULL(test, u);
	for (unsigned long i = 0; i < N; i++) {
		low += kmm_vmalloc_to_pfn(m, p + i * PAGE) < 0x100000;
		/* a plain vmalloc takes ZONE_NORMAL, above 4 GiB, first */
		high += kmm_vmalloc_to_pfn(m, q + i * PAGE) >= 0x100000;
	}
	KUNIT_EXPECT_EQ(test, low, N);
	KUNIT_EXPECT_EQ(test, high, N);
	for (unsigned long i = 0; i < 16; i++)
		KUNIT_EXPECT_LT(test, kmm_vmalloc_to_pfn(m, u + i * PAGE), 0x100000);
	KUNIT_EXPECT_TRUE(test, all_bytes((unsigned char *)u, 16 * PAGE, 0));
	memset(p, 3, N * PAGE);
	kmm_vfree(m, p);
	kmm_vfree(m, q);
	kmm_vfree(m, u);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static void bad_sizes_are_null(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	struct vm_base base;
	unsigned char *p, *c;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	KUNIT_EXPECT_NULL(test, kmm_vmalloc_array(m, SIZE_MAX / 2 + 1, 2));
	KUNIT_EXPECT_NULL(test, kmm_vcalloc(m, 2, SIZE_MAX / 2 + 1));
	KUNIT_EXPECT_NULL(test, kmm_vmalloc_array(m, 1UL << 33, 1UL << 33));
	/* an overflow is no allocation failure: nothing to report */
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "vmalloc error");
	p = kmm_vmalloc_array(m, 3, 5000);
	c = kmm_vcalloc(m, 3, 5000);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_size(m, p), 4 * PAGE);
	KUNIT_EXPECT_TRUE(test, all_bytes(c, 15000, 0));
	kmm_vfree(m, p);
	kmm_vfree(m, c);
	/* size 0: WARN_ON_ONCE in __vmalloc_node_range, and NULL */
	KUNIT_EXPECT_NULL(test, kmm_vmalloc(m, 0));
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "WARNING: CPU: ");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "__vmalloc_node_range_noprof");
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

/* ---- two threads at once ---- */

#define THREAD_ITERS 300
#define THREAD_LIVE 4
#define THREAD_MAX_SIZE (256 * 1024)

struct vm_thread {
	struct kmm_machine *m;
	unsigned int idx;
	atomic_int *errors;
	int allocs;
};

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Every 61st byte and the last hold tag, through the area and through the pages' own addresses. */
static int verify(struct kmm_machine *m, const unsigned char *p, unsigned long size,
		  unsigned char tag)
{
	int bad = 0;

	for (unsigned long i = 0; i < size; i += 61)
		bad += p[i] != tag;
	bad += p[size - 1] != tag;
	for (unsigned long off = 0; off < size; off += 7 * PAGE) {
		const unsigned char *direct = kmm_page_address(m, kmm_vmalloc_to_page(m, p + off));

		bad += !direct || direct[0] != tag;
	}
	return bad;
}

static void *vm_thread_main(void *arg)
{
	struct vm_thread *t = arg;
	struct kmm_machine *m = t->m;
	uint64_t rng = 0x9e3779b97f4a7c15ULL * (t->idx + 1);
	unsigned char *live[THREAD_LIVE] = { 0 }, tag[THREAD_LIVE] = { 0 };
	unsigned long size[THREAD_LIVE] = { 0 };

	if (kmm_thread_attach(m)) {
		atomic_fetch_add(t->errors, 1);
		return NULL;
	}
	for (int it = 0; it < THREAD_ITERS; it++) {
		unsigned int s = (unsigned int)(it % THREAD_LIVE);

		if (live[s]) {
			atomic_fetch_add(t->errors, verify(m, live[s], size[s], tag[s]));
			kmm_vfree(m, live[s]);
		}
		size[s] = 1 + xorshift(&rng) % THREAD_MAX_SIZE;
		tag[s] = (unsigned char)(t->idx * 0x80 + (unsigned int)it);
		live[s] = kmm_vmalloc(m, size[s]);
		if (!live[s]) {
			atomic_fetch_add(t->errors, 1);
			continue;
		}
		t->allocs++;
		memset(live[s], tag[s], size[s]);
	}
	for (int s = 0; s < THREAD_LIVE; s++)
		if (live[s]) {
			atomic_fetch_add(t->errors, verify(m, live[s], size[s], tag[s]));
			kmm_vfree(m, live[s]);
		}
	kmm_thread_detach();
	return NULL;
}

static void threaded_vmalloc_vfree(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=512M");
	struct vm_thread t[2];
	pthread_t th[2];
	atomic_int errors = 0;
	struct vm_base base;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	for (unsigned int i = 0; i < 2; i++) {
		t[i] = (struct vm_thread){ .m = m, .idx = i, .errors = &errors };
		KUNIT_ASSERT_EQ(test, pthread_create(&th[i], NULL, vm_thread_main, &t[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	KUNIT_EXPECT_EQ(test, atomic_load(&errors), 0);
	KUNIT_EXPECT_EQ(test, t[0].allocs + t[1].allocs, 2 * THREAD_ITERS);
	EXPECT_AT_BASE(test, m, &base);
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "vmalloc check:");
	kmm_shutdown(m);
}

static struct kunit_case vmalloc_cases[] = {
	KUNIT_CASE(views_agree),
	KUNIT_CASE(areas_are_listed),
	KUNIT_CASE(highmem_pages_read_through_vmap),
	KUNIT_CASE(scattered_pages_when_fragmented),
	KUNIT_CASE(few_host_maps_when_unfragmented),
	KUNIT_CASE(guard_page_faults),
	KUNIT_CASE(vfree_returns_everything),
	KUNIT_CASE(lazy_purge_batches),
	KUNIT_CASE(atomic_vfree_is_deferred),
	KUNIT_CASE(zeroing_variants),
	KUNIT_CASE(vmalloc_32_below_4g),
	KUNIT_CASE(bad_sizes_are_null),
	KUNIT_CASE(threaded_vmalloc_vfree),
	{}
};

KUNIT_MAIN("vmalloc", vmalloc_cases)
