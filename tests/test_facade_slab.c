/* SPDX-License-Identifier: MIT */
/*
 * Kernel-style code against <linux/slab.h>: a small "driver" with a cache of
 * its request structs, kmalloc'd buffers and strings, as a module would be
 * written, checking the API's results the way its author would; then the
 * call sites kmemleak and slub_debug name are the driver's own functions,
 * through the facade's always-inline wrappers.
 */
#include <kmm/kmm.h>
#include <linux/gfp.h>
#include <linux/slab.h>

#include "kunit.h"

struct demo_request {
	struct demo_request *next;
	unsigned long id;
	char tag[20];
	unsigned int ctor_marks;
};

static struct kmem_cache *demo_cache;
static int ctor_runs;

static void demo_ctor(void *p)
{
	struct demo_request *r = p;

	r->ctor_marks = 0xC7;
	ctor_runs++;
}

static void kernel_style_slab_api(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("quiet");
	struct demo_request *r, *reqs[32];
	struct kmem_cache *plain;
	unsigned long free;
	char *buf, *s;
	void *objs[16];

	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_quiesce(m);
	free = kmm_nr_free_pages(m);

	/* kmalloc family */
	KUNIT_EXPECT_TRUE(test, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	buf = kmalloc(100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, ksize(buf), (size_t)128);
	KUNIT_EXPECT_EQ(test, (uintptr_t)buf % 128, (uintptr_t)0);
	memcpy(buf, "payload", 8);
	buf = krealloc(buf, 3000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_STREQ(test, buf, "payload");
	KUNIT_EXPECT_EQ(test, ksize(buf), (size_t)4096);
	kfree_sensitive(buf);
	buf = kzalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, buf[0] | buf[63], 0);
	kfree(buf);
	KUNIT_EXPECT_NULL(test, kmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, kcalloc(SIZE_MAX / 8, 16, GFP_KERNEL));
	buf = kcalloc(10, 10, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, buf[99], 0);
	kfree(buf);
	s = kstrdup("eth0", GFP_KERNEL);
	KUNIT_EXPECT_STREQ(test, s, "eth0");
	kfree(s);
	s = kstrndup("eth0-rx-queue", 6, GFP_KERNEL);
	KUNIT_EXPECT_STREQ(test, s, "eth0-r");
	kfree(s);
	s = kasprintf(GFP_KERNEL, "%s-%d", "irq", 17);
	KUNIT_EXPECT_STREQ(test, s, "irq-17");
	kfree(s);
	s = kmemdup("abc", 4, GFP_KERNEL);
	KUNIT_EXPECT_STREQ(test, s, "abc");
	kfree(s);
	buf = kmalloc(64 * 1024, GFP_KERNEL);	/* above kmalloc-8k: pages */
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, ksize(buf), (size_t)65536);
	kfree(buf);

	/* a cache of the driver's structs, with a constructor */
	demo_cache = kmem_cache_create("demo_request", sizeof(struct demo_request), 0,
				       SLAB_HWCACHE_ALIGN, demo_ctor);
	KUNIT_ASSERT_NOT_NULL(test, demo_cache);
	KUNIT_EXPECT_EQ(test, kmem_cache_size(demo_cache), (unsigned int)sizeof(struct demo_request));
	for (int i = 0; i < 32; i++) {
		reqs[i] = kmem_cache_alloc(demo_cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, reqs[i]);
		KUNIT_EXPECT_EQ(test, reqs[i]->ctor_marks, 0xC7u);
		KUNIT_EXPECT_EQ(test, (uintptr_t)reqs[i] % 64, (uintptr_t)0);
		reqs[i]->id = (unsigned long)i;
	}
	KUNIT_EXPECT_GT(test, ctor_runs, 31);
	for (int i = 0; i < 32; i++)
		kmem_cache_free(demo_cache, reqs[i]);
	r = kmem_cache_zalloc(demo_cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->id, 0ul);
	kmem_cache_free(demo_cache, r);
	KUNIT_EXPECT_EQ(test, kmem_cache_alloc_bulk(demo_cache, GFP_KERNEL, 16, objs), 16);
	kmem_cache_free_bulk(demo_cache, 16, objs);
	kmem_cache_shrink(demo_cache);
	kmem_cache_destroy(demo_cache);

	/* KMEM_CACHE names the cache after the struct; it merges with a compatible one */
	plain = KMEM_CACHE(demo_request, 0);
	KUNIT_ASSERT_NOT_NULL(test, plain);
	r = kmem_cache_alloc(plain, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	kmem_cache_free(plain, r);
	kmem_cache_destroy(plain);

	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free);
	kmm_shutdown(m);
}

static char logbuf[1 << 18];

/* The driver's probe leaks a buffer; it is exported, so its name can be resolved. */
__attribute__((noinline)) void *demo_probe_leaks(void)
{
	void *p = kmalloc(48, GFP_KERNEL);

	__asm__ volatile("" ::: "memory");
	return p;
}

static void call_sites_are_the_drivers(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("quiet kmemleak=on");
	void *leak;

	KUNIT_ASSERT_NOT_NULL(test, m);
	leak = demo_probe_leaks();
	KUNIT_ASSERT_NOT_NULL(test, leak);
	KUNIT_EXPECT_EQ(test, kmm_proc_write(m, "/sys/kernel/debug/kmemleak", "scan"), 0);
	kmm_proc_read(m, "/sys/kernel/debug/kmemleak", logbuf, sizeof(logbuf));
	KUNIT_EXPECT_STRSTR(test, logbuf, "(size 64):");
	KUNIT_EXPECT_STRSTR(test, logbuf, "    demo_probe_leaks+0x");
	kfree(leak);
	kmm_shutdown(m);
}

static struct kunit_case cases[] = {
	KUNIT_CASE(kernel_style_slab_api),
	KUNIT_CASE(call_sites_are_the_drivers),
	{ 0 },
};

KUNIT_MAIN("facade_slab", cases)
