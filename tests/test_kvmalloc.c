/* SPDX-License-Identifier: MIT */
/*
 * kvmalloc's choice between kmalloc and vmalloc, as Linux 6.12 makes it:
 * a page or less is kmalloc's alone; more tries kmalloc quietly and falls
 * back to vmalloc when that fails (beyond KMALLOC_MAX_SIZE, or no free
 * block of the order), unless the caller may not sleep. kvfree frees
 * either, kvrealloc keeps the content across the switch, and the array
 * forms refuse an overflowing size.
 */
#include "vm_test.h"

#define PAGE KMM_PAGE_SIZE
#define MIB (1UL << 20)

static bool all_bytes(const unsigned char *p, size_t len, unsigned char v)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void choice_on_a_fresh_machine(struct kunit *test)
{
	static const size_t kmalloc_sizes[] = { 1, 100, PAGE - 1, PAGE, PAGE + 1, 65536 };
	struct kmm_machine *m = boot(test, "mem=256M");
	size_t max;
	struct vm_base base;
	void *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	max = kmm_kmalloc_max_size(m);
	for (size_t i = 0; i < sizeof(kmalloc_sizes) / sizeof(*kmalloc_sizes); i++) {
		p = kmm_kvmalloc(m, kmalloc_sizes[i], KMM_GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_FALSE(test, kmm_is_vmalloc_addr(m, p));
		KUNIT_EXPECT_GE(test, kmm_ksize(m, p), kmalloc_sizes[i]);
		memset(p, 1, kmalloc_sizes[i]);
		kmm_kvfree(m, p);
	}
	/* up to KMALLOC_MAX_SIZE a free block of the order is taken */
	p = kmm_kvmalloc(m, max, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, kmm_is_vmalloc_addr(m, p));
	kmm_kvfree(m, p);
	/* beyond it kmalloc cannot succeed: vmalloc */
	p = kmm_kvmalloc(m, max + 1, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, kmm_is_vmalloc_addr(m, p));
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_size(m, p), KMM_PAGE_ALIGN(max + 1));
	kmm_kvfree(m, p);
	p = kmm_kvmalloc_node(m, 8 * MIB, KMM_GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, kmm_is_vmalloc_addr(m, p));
	memset(p, 1, 8 * MIB);
	kmm_kvfree(m, p);
	/* a caller that may not sleep gets no vmalloc: NULL, and no report of it */
	KUNIT_EXPECT_NULL(test, kmm_kvmalloc(m, 8 * MIB, KMM_GFP_ATOMIC));
	KUNIT_EXPECT_NULL(test, kmm_kvmalloc(m, 8 * MIB, KMM_GFP_NOWAIT));
	/* while kmalloc can, it serves them */
	p = kmm_kvmalloc(m, 65536, KMM_GFP_ATOMIC);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, kmm_is_vmalloc_addr(m, p));
	kmm_kvfree(m, p);
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "vmalloc error");
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "page allocation failure");
	/* too large for kvmalloc at all (INT_MAX): a warning, unless __GFP_NOWARN */
	KUNIT_EXPECT_NULL(test, kmm_kvmalloc(m, 0x80000000UL, KMM_GFP_KERNEL | KMM___GFP_NOWARN));
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "__kvmalloc_node_noprof");
	KUNIT_EXPECT_NULL(test, kmm_kvmalloc(m, 0x80000000UL, KMM_GFP_KERNEL));
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "__kvmalloc_node_noprof");
	kmm_kvfree(m, NULL);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static void fragmented_memory_falls_back(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=128M");
	struct kmm_page **kept;
	unsigned long nkept;
	struct vm_base base;
	unsigned char *p, *z, *s;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	KUNIT_ASSERT_EQ(test, fragment(m, &kept, &nkept), 0);
	/* no free block of order 4 anywhere: 64 KiB comes from vmalloc */
	p = kmm_kvmalloc(m, 65536, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, kmm_is_vmalloc_addr(m, p));
	memset(p, 0xa5, 65536);
	z = kmm_kvzalloc(m, 65536, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, z);
	KUNIT_EXPECT_TRUE(test, kmm_is_vmalloc_addr(m, z));
	KUNIT_EXPECT_TRUE(test, all_bytes(z, 65536, 0));
	/* and a caller that may not sleep gets nothing */
	KUNIT_EXPECT_NULL(test, kmm_kvmalloc(m, 65536, KMM_GFP_ATOMIC));
	KUNIT_EXPECT_NULL(test, kmm_kvmalloc(m, 65536, KMM_GFP_NOWAIT));
	/* a page or less is still kmalloc's */
	s = kmm_kvmalloc(m, PAGE, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_FALSE(test, kmm_is_vmalloc_addr(m, s));
	/* kmalloc was tried quietly */
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "page allocation failure");
	kmm_kvfree(m, p);
	kmm_kvfree(m, z);
	kmm_kvfree(m, s);
	unfragment(m, kept, nkept);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static void kvrealloc_keeps_content(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	unsigned char *p, *q, *r;
	struct vm_base base;
	bool same = true;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	p = kmm_kvmalloc(m, 3000, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, kmm_is_vmalloc_addr(m, p));
	for (int i = 0; i < 3000; i++)
		p[i] = (unsigned char)(i * 13);
	/* kmalloc -> vmalloc */
	q = kmm_kvrealloc(m, p, 8 * MIB, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_TRUE(test, kmm_is_vmalloc_addr(m, q));
	for (int i = 0; i < 3000; i++)
		same &= q[i] == (unsigned char)(i * 13);
	KUNIT_EXPECT_TRUE(test, same);
	memset(q + 3000, 0x3c, 8 * MIB - 3000);
	/* a vmalloc'ed block that holds the new size stays where it is */
	r = kmm_kvrealloc(m, q, 6 * MIB, KMM_GFP_KERNEL | KMM___GFP_ZERO);
	KUNIT_EXPECT_TRUE(test, r == q);
	KUNIT_EXPECT_EQ(test, r[6 * MIB - 1], 0x3c);
	/* with __GFP_ZERO what lies beyond the new size is zeroed (a later growth shows zeroes) */
	KUNIT_EXPECT_EQ(test, r[6 * MIB], 0);
	KUNIT_EXPECT_EQ(test, r[8 * MIB - 1], 0);
	KUNIT_EXPECT_EQ(test, r[2999], (unsigned char)(2999 * 13));
	/* larger than the area: a new one, the content moved */
	q = kmm_kvrealloc(m, r, 9 * MIB, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, q[100], (unsigned char)(100 * 13));
	KUNIT_EXPECT_EQ(test, q[6 * MIB - 1], 0x3c);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_size(m, r), 0);	/* the old one is freed */
	/* NULL is kvmalloc, 0 frees */
	p = kmm_kvrealloc(m, NULL, 100, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, kmm_is_vmalloc_addr(m, p));
	KUNIT_EXPECT_TRUE(test, kmm_kvrealloc(m, p, 0, KMM_GFP_KERNEL) == KMM_ZERO_SIZE_PTR);
	kmm_kvfree_sensitive(m, q, 9 * MIB);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static void array_forms_refuse_overflow(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "mem=256M");
	struct vm_base base;
	unsigned char *a, *c;

	KUNIT_ASSERT_NOT_NULL(test, m);
	vm_rest(m, &base);
	KUNIT_EXPECT_NULL(test, kmm_kvmalloc_array(m, SIZE_MAX / 2 + 1, 2, KMM_GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, kmm_kvcalloc(m, 2, SIZE_MAX / 2 + 1, KMM_GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, kmm_kvcalloc(m, SIZE_MAX, SIZE_MAX, KMM_GFP_KERNEL));
	KUNIT_EXPECT_NOT_STRSTR(test, kmsg(m), "WARNING");
	a = kmm_kvmalloc_array(m, 1000, 5000, KMM_GFP_KERNEL);
	c = kmm_kvcalloc(m, 1000, 5000, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, c);
	/* 5 MB: more than KMALLOC_MAX_SIZE */
	KUNIT_EXPECT_TRUE(test, kmm_is_vmalloc_addr(m, a));
	KUNIT_EXPECT_TRUE(test, all_bytes(c, 5000000, 0));
	kmm_kvfree(m, a);
	kmm_kvfree(m, c);
	EXPECT_AT_BASE(test, m, &base);
	kmm_shutdown(m);
}

static struct kunit_case kvmalloc_cases[] = {
	KUNIT_CASE(choice_on_a_fresh_machine),
	KUNIT_CASE(fragmented_memory_falls_back),
	KUNIT_CASE(kvrealloc_keeps_content),
	KUNIT_CASE(array_forms_refuse_overflow),
	{}
};

KUNIT_MAIN("kvmalloc", kvmalloc_cases)
