/* SPDX-License-Identifier: MIT */
/*
 * Every profile boots, and its memory map, zone spans, kernel image and
 * reserved ranges are exactly as docs/profiles.md says.
 */
#include <kmm/kmm.h>

#include "kunit.h"

static char buf[1 << 17];

static const char *rd(struct kmm_machine *m, const char *path)
{
	long n = kmm_proc_read(m, path, buf, sizeof(buf));

	return n < 0 ? "" : buf;
}

/* The memblock region of `type` that starts at base, or NULL. */
static const struct kmm_memblock_region *region_at(struct kmm_memblock_type *t,
						    kmm_phys_addr_t base)
{
	for (unsigned long i = 0; i < t->cnt; i++)
		if (t->regions[i].base == base)
			return &t->regions[i];
	return NULL;
}

static bool has_region_of_size(struct kmm_memblock_type *t, kmm_phys_addr_t size)
{
	for (unsigned long i = 0; i < t->cnt; i++)
		if (t->regions[i].size == size)
			return true;
	return false;
}

static void x86_64_default(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("quiet");
	struct kmm_memblock *mb;
	const struct kmm_layout *l;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_STREQ(test, kmm_profile_name(m), "x86_64");
	KUNIT_EXPECT_EQ(test, kmm_nr_cpus(m), 2);
	KUNIT_EXPECT_STREQ(test, rd(m, "/proc/iomem"),
			   "00000000-00000fff : Reserved\n"
			   "00001000-0009fbff : System RAM\n"
			   "0009fc00-000fffff : Reserved\n"
			   "  000f0000-000fffff : System ROM\n"
			   "00100000-1fffffff : System RAM\n"
			   "  01000000-0220bb07 : Kernel code\n"
			   "  02400000-02e09fff : Kernel rodata\n"
			   "  03000000-0327c13f : Kernel data\n"
			   "  03b34000-03c57fff : Kernel bss\n");
	KUNIT_EXPECT_STREQ(test, rd(m, "/sys/kernel/debug/memblock/memory"),
			   "   0: 0x0000000000001000..0x000000000009fbff    0 NONE\n"
			   "   1: 0x0000000000100000..0x000000001fffffff    0 NONE\n");
	mb = kmm_memblock(m);
	KUNIT_EXPECT_EQ(test, mb->memory.total_size, 0x9ec00 + 0x1ff00000);
	/* the first MiB, the kernel image, mem_map (512M / 4K * 64 bytes) */
	KUNIT_ASSERT_NOT_NULL(test, region_at(&mb->reserved, 0));
	KUNIT_EXPECT_EQ(test, region_at(&mb->reserved, 0)->size, 0x100000);
	KUNIT_ASSERT_NOT_NULL(test, region_at(&mb->reserved, 0x1000000));
	KUNIT_EXPECT_EQ(test, region_at(&mb->reserved, 0x1000000)->size, 0x3c58000 - 0x1000000);
	KUNIT_EXPECT_TRUE(test, has_region_of_size(&mb->reserved, 8 << 20));
	KUNIT_EXPECT_STRSTR(test, rd(m, "/sys/kernel/debug/memblock/reserved"),
			    "   1: 0x0000000001000000..0x0000000003c57fff    x NONE\n");
	KUNIT_EXPECT_STRSTR(test, rd(m, "/dev/kmsg"), "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]");
	KUNIT_EXPECT_STRSTR(test, rd(m, "/dev/kmsg"), "  DMA32    [mem 0x0000000001000000-0x000000001fffffff]");
	KUNIT_EXPECT_STRSTR(test, rd(m, "/dev/kmsg"), "  Normal   empty");
	l = kmm_layout(m);
	KUNIT_EXPECT_EQ(test, l->max_pfn, 0x20000);
	KUNIT_EXPECT_EQ(test, l->max_low_pfn, 0x20000);
	KUNIT_EXPECT_EQ(test, l->min_low_pfn, 1);
	KUNIT_EXPECT_EQ(test, l->mem_map_pfn, 0);
	KUNIT_EXPECT_EQ(test, l->mem_map_pages, 0x20000);
	KUNIT_EXPECT_EQ(test, l->high_memory - l->page_offset, 0x20000000);
	KUNIT_EXPECT_EQ(test, l->vmalloc_end - l->vmalloc_start, 32ULL << 30);
	KUNIT_EXPECT_EQ(test, l->page_offset % (1UL << 30), 0);
	KUNIT_EXPECT_EQ(test, kmm_memblock_check(m), 0);
	kmm_shutdown(m);
}

static void x86_64_above_4g_has_pci_hole(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("mem=4G quiet");

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_STRSTR(test, rd(m, "/proc/iomem"), "00100000-bfffffff : System RAM\n");
	KUNIT_EXPECT_STRSTR(test, rd(m, "/proc/iomem"), "\n100000000-13fffffff : System RAM\n");
	KUNIT_EXPECT_STRSTR(test, rd(m, "/dev/kmsg"), "  Normal   [mem 0x0000000100000000-0x000000013fffffff]");
	KUNIT_EXPECT_STRSTR(test, rd(m, "/dev/kmsg"), "  DMA32    [mem 0x0000000001000000-0x00000000ffffffff]");
	KUNIT_EXPECT_EQ(test, kmm_memblock_phys_mem_size(m), 0x9ec00 + 0xbff00000ULL + (1ULL << 30));
	/* mem_map covers the hole too: 5 GiB of pfns */
	KUNIT_EXPECT_TRUE(test, has_region_of_size(&kmm_memblock(m)->reserved, (5ULL << 30) / 4096 * 64));
	kmm_shutdown(m);
}

static void x86_64_memmap_reserves(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("memmap=64M$256M quiet");

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_STRSTR(test, rd(m, "/proc/iomem"),
			    "00100000-0fffffff : System RAM\n");
	KUNIT_EXPECT_STRSTR(test, rd(m, "/proc/iomem"),
			    "10000000-13ffffff : Reserved\n14000000-1fffffff : System RAM\n");
	KUNIT_EXPECT_FALSE(test, kmm_memblock_is_memory(m, 0x10000000));
	KUNIT_EXPECT_FALSE(test, kmm_memblock_is_memory(m, 0x13ffffff));
	KUNIT_EXPECT_TRUE(test, kmm_memblock_is_memory(m, 0x14000000));
	kmm_shutdown(m);
}

static void i386_highmem(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("profile=i386-highmem mem=2G quiet");
	const struct kmm_layout *l;
	struct kmm_memblock *mb;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_STREQ(test, rd(m, "/proc/iomem"),
			   "00000000-00000fff : Reserved\n"
			   "00001000-0009fbff : System RAM\n"
			   "0009fc00-000fffff : Reserved\n"
			   "  000f0000-000fffff : System ROM\n"
			   "00100000-7fffffff : System RAM\n"
			   "  01000000-019b4f1f : Kernel code\n"
			   "  01a00000-01d8bfff : Kernel rodata\n"
			   "  01d8c000-01ec9b7f : Kernel data\n"
			   "  0209a000-021e6fff : Kernel bss\n");
	KUNIT_EXPECT_STRSTR(test, rd(m, "/dev/kmsg"), "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]");
	KUNIT_EXPECT_STRSTR(test, rd(m, "/dev/kmsg"), "  Normal   [mem 0x0000000001000000-0x0000000037ffffff]");
	KUNIT_EXPECT_STRSTR(test, rd(m, "/dev/kmsg"), "  HighMem  [mem 0x0000000038000000-0x000000007fffffff]");
	l = kmm_layout(m);
	KUNIT_EXPECT_EQ(test, l->max_low_pfn, 0x38000);
	KUNIT_EXPECT_EQ(test, l->max_pfn, 0x80000);
	KUNIT_EXPECT_EQ(test, l->high_memory - l->page_offset, 896UL << 20);
	KUNIT_EXPECT_EQ(test, l->vmalloc_end - l->vmalloc_start, 128UL << 20);
	KUNIT_EXPECT_EQ(test, l->last_pkmap, 1024);
	KUNIT_EXPECT_GE(test, l->pkmap_base, l->vmalloc_end);
	mb = kmm_memblock(m);
	/* 32-bit phys_addr_t prints 8 digits; no NUMA: node 0 everywhere */
	KUNIT_EXPECT_STRSTR(test, rd(m, "/sys/kernel/debug/memblock/reserved"),
			    "   1: 0x01000000..0x021e6fff    0 NONE\n");
	/* mem_map for 2G (32 MiB) in lowmem: memblock allocates below 896M */
	KUNIT_EXPECT_TRUE(test, has_region_of_size(&mb->reserved, 32 << 20));
	KUNIT_EXPECT_EQ(test, mb->current_limit, 896ULL << 20);
	for (unsigned long i = 0; i < mb->reserved.cnt; i++)
		KUNIT_EXPECT_LE(test, mb->reserved.regions[i].base + mb->reserved.regions[i].size,
				896ULL << 20);
	kmm_shutdown(m);
}

static void i386_vmalloc_moves_lowmem_limit(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("profile=i386-highmem vmalloc=256M quiet");

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_STRSTR(test, rd(m, "/dev/kmsg"), "  HighMem  [mem 0x0000000030000000-0x000000007fffffff]");
	KUNIT_EXPECT_EQ(test, kmm_layout(m)->max_low_pfn, 0x30000);
	kmm_shutdown(m);
}

static void at91rm9200(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("profile=at91rm9200 quiet");
	const struct kmm_layout *l;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, kmm_nr_cpus(m), 1);
	KUNIT_EXPECT_STREQ(test, rd(m, "/proc/iomem"),
			   "20000000-23ffffff : System RAM\n"
			   "  20008000-201287ff : Kernel code\n"
			   "  20128800-2016ffff : Kernel rodata\n"
			   "  20170000-20187fff : Kernel data\n"
			   "  20188000-201a3fff : Kernel bss\n");
	KUNIT_EXPECT_STREQ(test, rd(m, "/sys/kernel/debug/memblock/memory"),
			   "   0: 0x20000000..0x23ffffff    0 NONE\n");
	/* swapper_pg_dir and the image touch, so they merge */
	KUNIT_EXPECT_STRSTR(test, rd(m, "/sys/kernel/debug/memblock/reserved"),
			    "   0: 0x20004000..0x201a3fff    0 NONE\n");
	KUNIT_EXPECT_STRSTR(test, rd(m, "/dev/kmsg"), "  Normal   [mem 0x0000000020000000-0x0000000023ffffff]");
	KUNIT_EXPECT_NOT_STRSTR(test, rd(m, "/dev/kmsg"), "  DMA  ");
	l = kmm_layout(m);
	KUNIT_EXPECT_EQ(test, l->phys_offset, 0x20000000);
	KUNIT_EXPECT_EQ(test, l->min_low_pfn, 0x20000);
	/* MAX_ORDER 10 of 2.4: mem_map is whole 512-page blocks, 16384 pages */
	KUNIT_EXPECT_EQ(test, l->mem_map_pages, 16384);
	KUNIT_EXPECT_TRUE(test, has_region_of_size(&kmm_memblock(m)->reserved, 16384 * 64));
	kmm_shutdown(m);
}

static void profile_info_matches_boot(struct kunit *test)
{
	struct kmm_profile_info p;
	int n = kmm_profile_info(0, &p);

	KUNIT_ASSERT_EQ(test, n, 3);
	for (unsigned int i = 0; i < (unsigned int)n; i++) {
		char cmd[64];
		struct kmm_machine *m;

		KUNIT_ASSERT_EQ(test, kmm_profile_info(i, &p), n);
		snprintf(cmd, sizeof(cmd), "profile=%s quiet", p.name);
		m = kmm_boot(cmd);
		KUNIT_ASSERT_NOT_NULL(test, m);
		KUNIT_EXPECT_EQ(test, kmm_nr_cpus(m), p.nr_cpus);
		KUNIT_EXPECT_STREQ(test, kmm_profile_name(m), p.name);
		KUNIT_EXPECT_STREQ(test, kmm_cmdline(m), cmd);
		KUNIT_EXPECT_EQ(test, kmm_layout(m)->vmalloc_end - kmm_layout(m)->vmalloc_start,
				p.vmalloc_default);
		kmm_shutdown(m);
	}
	KUNIT_EXPECT_EQ(test, kmm_profile_info(3, &p), -22);
}

static struct kunit_case cases[] = {
	KUNIT_CASE(x86_64_default),
	KUNIT_CASE(x86_64_above_4g_has_pci_hole),
	KUNIT_CASE(x86_64_memmap_reserves),
	KUNIT_CASE(i386_highmem),
	KUNIT_CASE(i386_vmalloc_moves_lowmem_limit),
	KUNIT_CASE(at91rm9200),
	KUNIT_CASE(profile_info_matches_boot),
	{ 0 },
};

KUNIT_MAIN("profiles", cases)
