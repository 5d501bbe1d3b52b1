/* SPDX-License-Identifier: MIT */
/*
 * Kernel-style code against the Linux-named facade (include/kmm-linux):
 * memblock, the direct map, printk and the CPU, on the calling thread's
 * machine, with the kernel's names only.
 */
#define pr_fmt(fmt) "facade: " fmt

#include <linux/delay.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/smp.h>

#include "kunit.h"

/* What an early-boot subsystem would write in the kernel. */
static void *__init setup_table(size_t entries)
{
	void *t = memblock_alloc(entries * sizeof(u_int64_t), SMP_CACHE_BYTES);

	if (!t)
		pr_err("%s: Failed to allocate %zu bytes\n", __func__, entries * 8);
	return t;
}

static void kernel_style_memblock(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("quiet kmm.stop_at=memblock");
	struct memblock_region *r;
	phys_addr_t total = 0;
	unsigned long before;
	void *t;

	KUNIT_ASSERT_NOT_NULL(test, m);
	before = memblock.reserved.cnt;
	for_each_mem_region(r)
		total += r->size;
	KUNIT_EXPECT_EQ(test, total, memblock_phys_mem_size());
	KUNIT_EXPECT_EQ(test, memblock_start_of_DRAM(), 0x1000);
	KUNIT_EXPECT_EQ(test, memblock_end_of_DRAM(), SZ_512M);

	t = setup_table(512);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_TRUE(test, memblock_is_reserved(__pa(t)));
	KUNIT_EXPECT_TRUE(test, virt_addr_valid(t));
	KUNIT_EXPECT_EQ(test, (uintptr_t)__va(__pa(t)), (uintptr_t)t);
	KUNIT_EXPECT_EQ(test, (uintptr_t)page_address(virt_to_page(t)),
			(uintptr_t)t & PAGE_MASK);
	KUNIT_EXPECT_EQ(test, page_to_pfn(virt_to_page(t)), PHYS_PFN(__pa(t)));
	KUNIT_EXPECT_EQ(test, (uintptr_t)pfn_to_page(0), (uintptr_t)mem_map);
	memblock_free(t, 512 * 8);
	KUNIT_EXPECT_EQ(test, memblock.reserved.cnt, before);

	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_range(SZ_4K, SZ_4K, SZ_64M, SZ_64M + SZ_64K),
			SZ_64M + SZ_64K - SZ_4K);
	KUNIT_EXPECT_NOT_NULL(test, alloc_bootmem_pages(PAGE_SIZE));
	kmm_shutdown(m);
}

static void kernel_style_printk_and_cpu(struct kunit *test)
{
	static char log[1 << 16];
	struct kmm_machine *m = kmm_boot("quiet nr_cpus=4");
	int cpu;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, num_online_cpus(), 4);
	cpu = get_cpu();
	KUNIT_EXPECT_TRUE(test, cpu >= 0 && cpu < 4);
	KUNIT_EXPECT_TRUE(test, in_atomic());
	put_cpu();
	KUNIT_EXPECT_FALSE(test, in_atomic());
	msleep(1);
	pr_info("hello from cpu %d\n", cpu);
	pr_warn("warning %s", "without newline");
	pr_cont(" and its continuation\n");
	pr_debug("not compiled in\n");
	kmm_proc_read(m, "/dev/kmsg", log, sizeof(log));
	KUNIT_EXPECT_STRSTR(test, log, ";facade: hello from cpu ");
	KUNIT_EXPECT_STRSTR(test, log, "4,");
	KUNIT_EXPECT_STRSTR(test, log, ";facade: warning without newline and its continuation\n");
	KUNIT_EXPECT_NOT_STRSTR(test, log, "not compiled in");
	kmm_shutdown(m);
}

static struct kunit_case cases[] = {
	KUNIT_CASE(kernel_style_memblock),
	KUNIT_CASE(kernel_style_printk_and_cpu),
	{ 0 },
};

KUNIT_MAIN("facade", cases)
