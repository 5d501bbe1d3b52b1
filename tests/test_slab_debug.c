/* SPDX-License-Identifier: MIT */
/*
 * slub_debug: each detection gives SLUB's report and leaves the cache
 * consistent (the bad free is not applied, the bytes are restored, the
 * walker is clean after, and the pages come back): double free, a pointer
 * that is not an object, a red zone overwritten, a write after free, the
 * call sites of U, the restriction to named caches, per-cache flags, and the
 * naive double-free check of the fast path without slub_debug.
 */
#include <kmm/kmm.h>

#include "kmm_log.h"
#include "kmm_boot.h"
#include "kunit.h"

static unsigned long cache_flags(struct kmm_machine *m, const char *name)
{
	struct kmm_slab_stats st;

	for (struct kmm_kmem_cache *s = kmm_slab_cache_next(m, NULL); s; s = kmm_slab_cache_next(m, s))
		if (!strcmp(kmm_kmem_cache_name(s), name)) {
			kmm_kmem_cache_stats(s, &st);
			return st.flags;
		}
	return ~0UL;
}

/*
 * Exported (tests link with -rdynamic), so U names them; the empty asm after
 * the call keeps it from being a tail call, whose return address would be
 * the caller's.
 */
__attribute__((noinline)) void *slab_debug_alloc_site(struct kmm_machine *m, size_t size)
{
	void *p = kmm_kmalloc(m, size, KMM_GFP_KERNEL);

	__asm__ volatile("" ::: "memory");
	return p;
}

__attribute__((noinline)) void slab_debug_free_site(struct kmm_machine *m, void *p)
{
	kmm_kfree(m, p);
	__asm__ volatile("" ::: "memory");
}

static void double_free_reported_not_applied(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "slub_debug=FZPU");
	unsigned long free;
	void *a, *b, *c;

	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_quiesce(m);
	free = kmm_nr_free_pages(m);
	a = slab_debug_alloc_site(m, 64);
	KUNIT_ASSERT_NOT_NULL(test, a);
	memset(a, 0x11, 64);
	slab_debug_free_site(m, a);
	slab_debug_free_site(m, a);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "BUG kmalloc-64 (Not tainted): Object already free");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "Allocated in slab_debug_alloc_site+0x");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "Freed in slab_debug_free_site+0x");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "Object   ");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "6b 6b 6b 6b");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "Redzone  ");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "FIX kmalloc-64: Object at 0x");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "not freed");
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	/* the list was not corrupted: two allocations give two objects */
	b = kmm_kmalloc(m, 64, KMM_GFP_KERNEL);
	c = kmm_kmalloc(m, 64, KMM_GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, b && c && b != c);
	/* poisoning: a fresh object reads 0x6b, its last byte 0xa5 */
	KUNIT_EXPECT_EQ(test, ((unsigned char *)b)[0], 0x6b);
	KUNIT_EXPECT_EQ(test, ((unsigned char *)b)[63], 0xa5);
	kmm_kfree(m, b);
	kmm_kfree(m, c);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);
}

static void invalid_pointer(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "slub_debug=F");
	char *a;

	KUNIT_ASSERT_NOT_NULL(test, m);
	a = kmm_kmalloc(m, 128, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	kmm_kfree(m, a + 8);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "BUG kmalloc-128 (Not tainted): Invalid object pointer 0x");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "not freed");
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_kfree(m, a);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);
}

static void redzone_overwritten(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "slub_debug=FZ");
	unsigned long free;
	char *a;

	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_quiesce(m);
	free = kmm_nr_free_pages(m);
	a = kmm_kmalloc(m, 64, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	a[64] = 'x';	/* one past the end */
	kmm_kfree(m, a);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "[Right Redzone overwritten] 0x");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "First byte 0x78 instead of 0xcc");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "BUG kmalloc-64 (Not tainted): Object corrupt");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "FIX kmalloc-64: Restoring Right Redzone 0x");
	/* restored, so the object is whole again and can be freed */
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_kfree(m, a);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free);
	kmm_shutdown(m);
}

static void write_after_free(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "slub_debug=P");
	char *a, *keep;

	KUNIT_ASSERT_NOT_NULL(test, m);
	keep = kmm_kmalloc(m, 256, KMM_GFP_KERNEL);	/* keeps the slab alive */
	a = kmm_kmalloc(m, 256, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	kmm_kfree(m, a);
	a[10] = 0;	/* the client's bug */
	KUNIT_EXPECT_GT(test, kmm_slab_check(m), 0);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "[Poison overwritten] 0x");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "First byte 0x0 instead of 0x6b");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "BUG kmalloc-256 (Not tainted): Object corrupt");
	/* the walker restored the poison: clean now */
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_kfree(m, keep);
	kmm_shutdown(m);
}

static void restricted_to_named_caches(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "slub_debug=FZ,kmalloc-128,kmalloc-2*;U,kmalloc-32");

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, cache_flags(m, "kmalloc-128") & (KMM_SLAB_CONSISTENCY_CHECKS | KMM_SLAB_RED_ZONE),
			KMM_SLAB_CONSISTENCY_CHECKS | KMM_SLAB_RED_ZONE);
	KUNIT_EXPECT_TRUE(test, cache_flags(m, "kmalloc-256") & KMM_SLAB_RED_ZONE);
	KUNIT_EXPECT_TRUE(test, cache_flags(m, "kmalloc-2k") & KMM_SLAB_RED_ZONE);
	KUNIT_EXPECT_EQ(test, cache_flags(m, "kmalloc-32") & (KMM_SLAB_STORE_USER | KMM_SLAB_RED_ZONE),
			KMM_SLAB_STORE_USER);
	KUNIT_EXPECT_EQ(test, cache_flags(m, "kmalloc-64") & (KMM_SLAB_CONSISTENCY_CHECKS | KMM_SLAB_RED_ZONE |
							      KMM_SLAB_POISON | KMM_SLAB_STORE_USER), 0);
	kmm_shutdown(m);

	m = boot(test, "slub_debug=FX");
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "slab_debug option 'X' unknown. skipped");
	KUNIT_EXPECT_TRUE(test, cache_flags(m, "kmalloc-64") & KMM_SLAB_CONSISTENCY_CHECKS);
	kmm_shutdown(m);
}

static void per_cache_flags(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	struct kmm_kmem_cache *s;
	unsigned long free;
	char *o;

	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_quiesce(m);
	free = kmm_nr_free_pages(m);
	s = kmm_kmem_cache_create(m, "dbg_obj", 40, 0,
				  KMM_SLAB_RED_ZONE | KMM_SLAB_POISON | KMM_SLAB_STORE_USER, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	o = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	o[-1] = 1;	/* before the start: the left red zone */
	KUNIT_EXPECT_GT(test, kmm_slab_check(m), 0);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "[Left Redzone overwritten]");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "BUG dbg_obj (Not tainted): Object corrupt");
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_kmem_cache_free(s, o);
	kmm_kmem_cache_free(s, o);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "BUG dbg_obj (Tainted: B): Object already free");
	kmm_kmem_cache_destroy(s);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);
}

static void naive_double_free_without_debug(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	struct kmm_kmem_cache *s;
	void *a, *b, *c;

	KUNIT_ASSERT_NOT_NULL(test, m);
	/* kmem_cache_free: the kernel's check of the object freed last */
	s = kmm_kmem_cache_create(m, "naive", 64, 0, KMM_SLAB_NO_MERGE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	a = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	kmm_kmem_cache_free(s, a);
	kmm_kmem_cache_free(s, a);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "naive: double free or corruption");
	b = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
	c = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, b && c && b != c);
	kmm_kmem_cache_free(s, b);
	kmm_kmem_cache_free(s, c);
	kmm_kmem_cache_destroy(s);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);
}

/* kfree's free mark: any double free of a kmalloc object, not only of the one freed last. */
static void kfree_double_free_without_debug(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	static const size_t sizes[] = { 16, 64, 96, 1000, 8192 };
	struct kmm_kmem_cache *alias;

	KUNIT_ASSERT_NOT_NULL(test, m);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		void *a = kmm_kmalloc(m, sizes[i], KMM_GFP_KERNEL), *b, *c, *d;

		b = kmm_kmalloc(m, sizes[i], KMM_GFP_KERNEL);
		KUNIT_ASSERT_TRUE(test, a && b);
		kmm_kfree(m, a);
		kmm_kfree(m, b);
		kmm_kfree(m, a);	/* not the object freed last */
		kmm_kfree(m, b);
		KUNIT_EXPECT_EQ(test, count_in(kmsg(m), "Object already free"), 2 * (int)(i + 1));
		/* not applied: three allocations give three objects */
		b = kmm_kmalloc(m, sizes[i], KMM_GFP_KERNEL);
		c = kmm_kmalloc(m, sizes[i], KMM_GFP_KERNEL);
		d = kmm_kmalloc(m, sizes[i], KMM_GFP_KERNEL);
		KUNIT_EXPECT_TRUE(test, b && c && d && b != c && c != d && b != d);
		kmm_kfree(m, b);
		kmm_kfree(m, c);
		kmm_kfree(m, d);
	}
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "BUG kmalloc-16 (Not tainted): Object already free");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "BUG kmalloc-64 (Tainted: B): Object already free");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "FIX kmalloc-64: Object at 0x");
	/* a live object freed once is no double free, however reused; nor one of a merged cache */
	for (int i = 0; i < 1000; i++) {
		void *p = kmm_kmalloc(m, 64, KMM_GFP_KERNEL);

		kmm_kfree(m, p);
	}
	alias = kmm_kmem_cache_create(m, "merged64", 64, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, alias);
	for (int i = 0; i < 100; i++) {
		void *p = kmm_kmem_cache_alloc(alias, KMM_GFP_KERNEL);

		kmm_kfree(m, p);
	}
	kmm_kmem_cache_destroy(alias);
	KUNIT_EXPECT_EQ(test, count_in(kmsg(m), "Object already free"), 10);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);
}

/* Without slub_debug too, a free of an address inside an object is refused, for every stride. */
static void invalid_pointer_without_debug(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	static const size_t sizes[] = { 64, 96, 192, 4096 };
	struct kmm_kmem_cache *s;
	char *a, *b;

	KUNIT_ASSERT_NOT_NULL(test, m);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		char want[64];

		a = kmm_kmalloc(m, sizes[i], KMM_GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, a);
		memset(a, 0x11, sizes[i]);
		kmm_kfree(m, a + 8);
		kmm_kfree(m, a + sizes[i] / 2);
		snprintf(want, sizeof(want), "BUG kmalloc-%s (", sizes[i] == 4096 ? "4k" :
			 sizes[i] == 64 ? "64" : sizes[i] == 96 ? "96" : "192");
		KUNIT_EXPECT_STRSTR(test, kmsg(m), want);
		/* not applied: the object is whole, and the next two allocations differ from it */
		KUNIT_EXPECT_EQ(test, a[sizes[i] - 1], 0x11);
		b = kmm_kmalloc(m, sizes[i], KMM_GFP_KERNEL);
		KUNIT_EXPECT_TRUE(test, b && (b + sizes[i] <= a || b >= a + sizes[i]));
		kmm_kfree(m, b);
		kmm_kfree(m, a);
	}
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "Invalid object pointer 0x");
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "not freed");
	/* kmem_cache_free likewise, on a cache with a stride that is not a power of two */
	s = kmm_kmem_cache_create(m, "odd", 40, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	a = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	kmm_kmem_cache_free(s, a + 16);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "BUG odd (");
	kmm_kmem_cache_free(s, a);
	kmm_kmem_cache_destroy(s);
	/* strides of every shape: each object's start is one, other addresses in it are not */
	for (unsigned int size = 24; size <= 3000; size = size * 5 / 3 + 8) {
		char name[16], want[96];
		char *objs[64], *extra;
		int missed = 0;

		snprintf(name, sizeof(name), "stride%u", size);
		s = kmm_kmem_cache_create(m, name, size, 8, KMM_SLAB_NO_MERGE, NULL);
		KUNIT_ASSERT_NOT_NULL(test, s);
		for (int i = 0; i < 64; i++)
			objs[i] = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
		for (int i = 0; i < 64; i += 7) {
			for (unsigned int off = 8; off < kmm_kmem_cache_size(s); off += 8 * (size / 64 + 1)) {
				kmm_kmem_cache_free(s, objs[i] + off);
				snprintf(want, sizeof(want), "FIX %s: Object at 0x%016lx not freed", name,
					 (unsigned long)(uintptr_t)(objs[i] + off));
				missed += !strstr(kmsg(m), want);
			}
		}
		KUNIT_EXPECT_EQ(test, missed, 0);
		/* none was applied: all 64 are still allocated, and a new one is none of them */
		extra = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
		for (int i = 0; i < 64; i++)
			KUNIT_EXPECT_TRUE(test, extra != objs[i]);
		kmm_kmem_cache_free(s, extra);
		for (int i = 0; i < 64; i++)
			kmm_kmem_cache_free(s, objs[i]);
		kmm_kmem_cache_destroy(s);
	}
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);
}

static void failslab(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "failslab=1,100,0,2");
	struct kmm_kmem_cache *s;
	char buf[16];
	void *p[4];

	KUNIT_ASSERT_NOT_NULL(test, m);
	/* ignore-gfp-wait is on by default: GFP_KERNEL passes, GFP_ATOMIC fails twice */
	p[0] = kmm_kmalloc(m, 64, KMM_GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, p[0]);
	KUNIT_EXPECT_NULL(test, kmm_kmalloc(m, 64, KMM_GFP_ATOMIC));
	KUNIT_EXPECT_NULL(test, kmm_kmalloc(m, 32, KMM_GFP_ATOMIC));
	p[1] = kmm_kmalloc(m, 64, KMM_GFP_ATOMIC);	/* times used up */
	KUNIT_EXPECT_NOT_NULL(test, p[1]);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "name failslab, interval 1, probability 100, space 0, times 1");
	kmm_proc_read(m, "/sys/kernel/debug/failslab/times", buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "0\n");
	/* cache-filter: only SLAB_FAILSLAB caches fail */
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/failslab/times", "-1"), 0);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/failslab/ignore-gfp-wait", "N"), 0);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/failslab/cache-filter", "Y"), 0);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/failslab/verbose", "0"), 0);
	kmm_proc_read(m, "/sys/kernel/debug/failslab/cache-filter", buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "Y\n");
	KUNIT_EXPECT_LT(test, kmm_proc_write(m, "/sys/kernel/debug/failslab/probability", "101"), 0);
	s = kmm_kmem_cache_create(m, "fails", 100, 0, KMM_SLAB_FAILSLAB, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_NULL(test, kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL));
	p[2] = kmm_kmalloc(m, 64, KMM_GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, p[2]);
	/* __GFP_NOFAIL never fails */
	p[3] = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL | KMM___GFP_NOFAIL);
	KUNIT_EXPECT_NOT_NULL(test, p[3]);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/failslab/probability", "0"), 0);
	kmm_kmem_cache_free(s, p[3]);
	kmm_kmem_cache_destroy(s);
	kmm_kfree(m, p[0]);
	kmm_kfree(m, p[1]);
	kmm_kfree(m, p[2]);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);

	KUNIT_EXPECT_NULL(test, kmm_boot("failslab=1,200,0,1 quiet"));
}

static void init_on_alloc_and_free(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "init_on_alloc=1 init_on_free=1");
	unsigned char *a, *b;
	int nonzero = 0;

	KUNIT_ASSERT_NOT_NULL(test, m);
	a = kmm_kmalloc(m, 200, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	for (int i = 0; i < 200; i++)
		nonzero += a[i] != 0;
	KUNIT_EXPECT_EQ(test, nonzero, 0);
	memset(a, 0xee, 200);
	kmm_kfree(m, a);
#ifndef __SANITIZE_ADDRESS__	/* there a freed object is poisoned: reading it is the bug ASan reports */
	/* freed bytes are zero but for the free pointer in the middle */
	nonzero = 0;
	for (int i = 0; i < 200; i++)
		nonzero += a[i] == 0xee;
	KUNIT_EXPECT_EQ(test, nonzero, 0);
#endif
	b = kmm_kmalloc(m, 200, KMM_GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, b == a);
	kmm_kfree(m, b);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);
	KUNIT_EXPECT_NULL(test, kmm_boot("init_on_alloc=2 quiet"));
}

static void kmemleak_lists_what_is_allocated(struct kunit *test)
{
	static char buf[1 << 16];
	struct kmm_machine *m = boot(test, "kmemleak=on");
	struct kmm_kmem_cache *s;
	char want[96];
	char *p, *big;

	KUNIT_ASSERT_NOT_NULL(test, m);
	p = slab_debug_alloc_site(m, 100);
	big = slab_debug_alloc_site(m, 20000);
	KUNIT_ASSERT_TRUE(test, p && big);
	strcpy(p, "leaked by the test");
	/* nothing is a suspect before a scan */
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/sys/kernel/debug/kmemleak", buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/kmemleak", "scan"), 0);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)");
	KUNIT_EXPECT_GT(test, kmm_proc_read(m, "/sys/kernel/debug/kmemleak", buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "unreferenced object 0x%08lx (size 128):\n  comm \"", (unsigned long)p);
	KUNIT_EXPECT_STRSTR(test, buf, want);
	snprintf(want, sizeof(want), "unreferenced object 0x%08lx (size 20000):", (unsigned long)big);
	KUNIT_EXPECT_STRSTR(test, buf, want);
	KUNIT_EXPECT_STRSTR(test, buf, "  hex dump (first 32 bytes):\n    6c 65 61 6b 65 64 20 62 79 20 74 68 65 20 74 65  leaked by the te\n");
	KUNIT_EXPECT_STRSTR(test, buf, "  backtrace (crc ");
	KUNIT_EXPECT_STRSTR(test, buf, "    slab_debug_alloc_site+0x");
	/* freed objects leave the list; clear forgets the suspects */
	kmm_kfree(m, big);
	kmm_proc_read(m, "/sys/kernel/debug/kmemleak", buf, sizeof(buf));
	KUNIT_EXPECT_NOT_STRSTR(test, buf, "(size 20000)");
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/kmemleak", "clear\n"), 0);
	KUNIT_EXPECT_EQ(test, kmm_proc_read(m, "/sys/kernel/debug/kmemleak", buf, sizeof(buf)), 0);
	KUNIT_EXPECT_LT(test, kmm_proc_write(m, "/sys/kernel/debug/kmemleak", "bogus"), 0);
	kmm_kfree(m, p);
	kmm_kfree(m, p);	/* kfree's free mark refuses a double free before kmemleak sees it */
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "Object already free");
	s = kmm_kmem_cache_create(m, "leaky", 64, 0, KMM_SLAB_NO_MERGE, NULL);
	p = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
	kmm_kmem_cache_free(s, p);
	kmm_kmem_cache_free(s, p);	/* a double free is also an unknown object to kmemleak */
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "kmemleak: Freeing unknown object at 0x");
	kmm_kmem_cache_destroy(s);
	kmm_shutdown(m);

	m = boot(test, "");
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_LT(test, kmm_proc_write(m, "/sys/kernel/debug/kmemleak", "scan"), 0);
	kmm_shutdown(m);
}

/* Does a freed object hold `target` verbatim in any of its words? */
static __attribute__((unused)) bool holds_pointer(void *obj, size_t size, void *target)
{
	for (size_t off = 0; off + sizeof(void *) <= size; off += sizeof(void *)) {
		void *w;

		memcpy(&w, (char *)obj + off, sizeof(w));
		if (w == target)
			return true;
	}
	return false;
}

static void hardened_and_random_freelists(struct kunit *test)
{
	const char *cmdlines[] = { "", "kmm.slab_freelist_hardened=1 kmm.slab_freelist_random=1" };

	for (int hard = 0; hard < 2; hard++) {
		struct kmm_machine *m = boot(test, cmdlines[hard]);
		struct kmm_kmem_cache *s;
		struct kmm_slab_stats st;
		static void *objs[4096];
		unsigned long free;
		int out_of_order = 0;
		unsigned int n;

		KUNIT_ASSERT_NOT_NULL(test, m);
		kmm_quiesce(m);
		free = kmm_nr_free_pages(m);
		s = kmm_kmem_cache_create(m, "hardening", 64, 0, KMM_SLAB_NO_MERGE, NULL);
		KUNIT_ASSERT_NOT_NULL(test, s);
		kmm_kmem_cache_stats(s, &st);
		n = st.objs_per_slab * 4;
		KUNIT_ASSERT_LE(test, n, 4096u);
		for (unsigned int i = 0; i < n; i++) {
			objs[i] = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, objs[i]);
			for (unsigned int j = 0; j < i && j < 64; j++)
				KUNIT_ASSERT_TRUE(test, objs[j] != objs[i]);
		}
		/* within each slab: address order unless randomized */
		for (unsigned int sl = 0; sl < 4; sl++)
			for (unsigned int i = 1; i < st.objs_per_slab; i++)
				out_of_order += objs[sl * st.objs_per_slab + i] < objs[sl * st.objs_per_slab + i - 1];
		if (hard)
			KUNIT_EXPECT_GT(test, out_of_order, 0);
		else
			KUNIT_EXPECT_EQ(test, out_of_order, 0);
		kmm_kmem_cache_free(s, objs[0]);
		kmm_kmem_cache_free(s, objs[1]);
#ifndef __SANITIZE_ADDRESS__	/* a freed object is poisoned there */
		/* objs[1] links to objs[0]: in plain sight, or mangled when hardened */
		KUNIT_EXPECT_EQ(test, holds_pointer(objs[1], 64, objs[0]), !hard);
#endif
		for (unsigned int i = 2; i < n; i++)
			kmm_kmem_cache_free(s, objs[i]);
		KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
		kmm_kmem_cache_destroy(s);
		kmm_quiesce(m);
		KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free);
		kmm_shutdown(m);
	}
	KUNIT_EXPECT_NULL(test, kmm_boot("kmm.slab_freelist_random=yes quiet"));
}

/* The walker finds a slab whose state or counts were damaged, and is clean once they are back. */
static void walker_finds_damage(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "");
	struct kmm_kmem_cache *s;
	struct kmm_slab_stats st;
	static void *objs[512];
	struct kmm_page *slab;
	unsigned long saved;

	KUNIT_ASSERT_NOT_NULL(test, m);
	s = kmm_kmem_cache_create(m, "walked", 64, 0, KMM_SLAB_NO_MERGE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	kmm_kmem_cache_stats(s, &st);
	KUNIT_ASSERT_EQ(test, st.order, 0u);
	KUNIT_ASSERT_LE(test, st.objs_per_slab, 512u);
	for (unsigned int i = 0; i < st.objs_per_slab; i++)
		objs[i] = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
	kmm_quiesce(m);	/* the full slab leaves its CPU: on no list */
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	slab = kmm_virt_to_page(kmm_layout(m), objs[0]);
	saved = slab->private;
	slab->private = 7;
	KUNIT_EXPECT_GT(test, kmm_slab_check(m), 0);
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "slab check: walked: slab at pfn");
	slab->private = saved;
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	for (unsigned int i = 0; i < st.objs_per_slab; i++)
		kmm_kmem_cache_free(s, objs[i]);
	kmm_kmem_cache_destroy(s);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	kmm_shutdown(m);
}

static struct kunit_case cases[] = {
	KUNIT_CASE(double_free_reported_not_applied),
	KUNIT_CASE(invalid_pointer),
	KUNIT_CASE(redzone_overwritten),
	KUNIT_CASE(write_after_free),
	KUNIT_CASE(restricted_to_named_caches),
	KUNIT_CASE(per_cache_flags),
	KUNIT_CASE(naive_double_free_without_debug),
	KUNIT_CASE(invalid_pointer_without_debug),
	KUNIT_CASE(kfree_double_free_without_debug),
	KUNIT_CASE(failslab),
	KUNIT_CASE(init_on_alloc_and_free),
	KUNIT_CASE(kmemleak_lists_what_is_allocated),
	KUNIT_CASE(hardened_and_random_freelists),
	KUNIT_CASE(walker_finds_damage),
	{ 0 },
};

KUNIT_MAIN("slab_debug", cases)
