/* SPDX-License-Identifier: MIT */
/*
 * memblock: add/reserve/remove with overlaps, merges and splits at region
 * edges; top-down and bottom-up placement with alignment and limits; array
 * doubling; zeroing; exhaustion. The core cases run on a caller-owned
 * struct memblock over a malloc'd buffer (physical == virtual, as Linux's
 * own suite does); the machine cases on a booted machine.
 */
#include <kmm/kmm.h>

#include "kunit.h"

#define MiB (1ULL << 20)
#define KiB (1ULL << 10)

static struct kmm_memblock mb;
static struct kmm_memblock_region init_mem[KMM_INIT_MEMBLOCK_REGIONS];
static struct kmm_memblock_region init_res[KMM_INIT_MEMBLOCK_RESERVED_REGIONS];
static char last_log[256];
static unsigned char *ram;	/* 32 MiB, 1 MiB aligned */
static kmm_phys_addr_t B;	/* its "physical" address */

static void *ident_v(void *arg, kmm_phys_addr_t pa)
{
	(void)arg;
	return (void *)(uintptr_t)pa;
}

static kmm_phys_addr_t ident_p(void *arg, const void *va)
{
	(void)arg;
	return (kmm_phys_addr_t)(uintptr_t)va;
}

static void log_line(void *arg, int level, const char *line)
{
	(void)arg;
	(void)level;
	snprintf(last_log, sizeof(last_log), "%s", line);
}

static struct kmm_memblock_ctx ctx = {
	.mb = &mb, .init_memory = init_mem, .init_reserved = init_res,
	.phys_to_virt = ident_v, .virt_to_phys = ident_p, .log = log_line,
	.max_numnodes = 1,
};

static void reset(void)
{
	kmm_memblock_core_init(&ctx);
	ctx.can_resize = false;
	last_log[0] = '\0';
	memset(ram, 0x5a, 32 * MiB);
}

#define R(t, i) (mb.t.regions[i])

static void add_merges_adjacent_and_overlapping(struct kunit *test)
{
	reset();
	KUNIT_EXPECT_EQ(test, mb.memory.cnt, 0);
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_add(&ctx, B, 4 * MiB), 0);
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_add(&ctx, B + 8 * MiB, 4 * MiB), 0);
	KUNIT_EXPECT_EQ(test, mb.memory.cnt, 2);
	/* fills the gap exactly: three become one */
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_add(&ctx, B + 4 * MiB, 4 * MiB), 0);
	KUNIT_EXPECT_EQ(test, mb.memory.cnt, 1);
	KUNIT_EXPECT_EQ(test, R(memory, 0).base, B);
	KUNIT_EXPECT_EQ(test, R(memory, 0).size, 12 * MiB);
	/* overlapping the top edge: only the new part counts */
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_add(&ctx, B + 10 * MiB, 4 * MiB), 0);
	KUNIT_EXPECT_EQ(test, mb.memory.cnt, 1);
	KUNIT_EXPECT_EQ(test, mb.memory.total_size, 14 * MiB);
	/* wholly contained: nothing changes */
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_add(&ctx, B + 1 * MiB, 1 * MiB), 0);
	KUNIT_EXPECT_EQ(test, mb.memory.total_size, 14 * MiB);
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_check(&ctx), 0);
}

static void different_flags_do_not_merge(struct kunit *test)
{
	reset();
	kmm_memblock_core_add(&ctx, B, 4 * MiB);
	kmm_memblock_core_add_node(&ctx, B + 4 * MiB, 4 * MiB, 0, KMM_MEMBLOCK_HOTPLUG);
	KUNIT_EXPECT_EQ(test, mb.memory.cnt, 2);
	KUNIT_EXPECT_EQ(test, R(memory, 1).flags, KMM_MEMBLOCK_HOTPLUG);
	/* clearing the flag makes them mergeable again */
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_mark(&ctx, B + 4 * MiB, 4 * MiB, false,
						      KMM_MEMBLOCK_HOTPLUG), 0);
	KUNIT_EXPECT_EQ(test, mb.memory.cnt, 1);
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_check(&ctx), 0);
}

static void remove_splits_at_edges(struct kunit *test)
{
	reset();
	kmm_memblock_core_add(&ctx, B, 16 * MiB);
	/* a hole in the middle: one region becomes two */
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_remove(&ctx, B + 4 * MiB, 2 * MiB), 0);
	KUNIT_ASSERT_EQ(test, mb.memory.cnt, 2);
	KUNIT_EXPECT_EQ(test, R(memory, 0).base, B);
	KUNIT_EXPECT_EQ(test, R(memory, 0).size, 4 * MiB);
	KUNIT_EXPECT_EQ(test, R(memory, 1).base, B + 6 * MiB);
	KUNIT_EXPECT_EQ(test, R(memory, 1).size, 10 * MiB);
	KUNIT_EXPECT_EQ(test, mb.memory.total_size, 14 * MiB);
	/* across the hole, clipping both neighbours */
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_remove(&ctx, B + 3 * MiB, 4 * MiB), 0);
	KUNIT_EXPECT_EQ(test, R(memory, 0).size, 3 * MiB);
	KUNIT_EXPECT_EQ(test, R(memory, 1).base, B + 7 * MiB);
	/* everything: back to the empty-array convention */
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_remove(&ctx, B, 32 * MiB), 0);
	KUNIT_EXPECT_EQ(test, mb.memory.cnt, 0);
	KUNIT_EXPECT_EQ(test, mb.memory.total_size, 0);
	KUNIT_EXPECT_EQ(test, R(memory, 0).size, 0);
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_check(&ctx), 0);
}

static void reserve_and_free(struct kunit *test)
{
	reset();
	kmm_memblock_core_add(&ctx, B, 16 * MiB);
	kmm_memblock_core_reserve(&ctx, B + 1 * MiB, 1 * MiB);
	kmm_memblock_core_reserve(&ctx, B + 1 * MiB + 512 * KiB, 1 * MiB);	/* overlaps */
	KUNIT_EXPECT_EQ(test, mb.reserved.cnt, 1);
	KUNIT_EXPECT_EQ(test, mb.reserved.total_size, 1536 * KiB);
	KUNIT_EXPECT_TRUE(test, kmm_memblock_core_is_reserved(&ctx, B + 2 * MiB));
	KUNIT_EXPECT_FALSE(test, kmm_memblock_core_is_reserved(&ctx, B + 3 * MiB));
	KUNIT_EXPECT_TRUE(test, kmm_memblock_core_overlaps_region(&mb.reserved, B, 1 * MiB + 1));
	KUNIT_EXPECT_FALSE(test, kmm_memblock_core_overlaps_region(&mb.reserved, B, 1 * MiB));
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_phys_free(&ctx, B + 1 * MiB + 256 * KiB, 256 * KiB), 0);
	KUNIT_EXPECT_EQ(test, mb.reserved.cnt, 2);
	KUNIT_EXPECT_EQ(test, mb.reserved.total_size, 1280 * KiB);
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_check(&ctx), 0);
}

static void alloc_top_down_and_bottom_up(struct kunit *test)
{
	kmm_phys_addr_t a, b;

	reset();
	kmm_memblock_core_add(&ctx, B, 16 * MiB);
	/* top-down: the highest fit */
	a = kmm_memblock_core_alloc_range_nid(&ctx, 4 * KiB, 4 * KiB, 0, KMM_MEMBLOCK_ALLOC_ANYWHERE,
					      KMM_NUMA_NO_NODE, false);
	KUNIT_EXPECT_EQ(test, a, B + 16 * MiB - 4 * KiB);
	/* alignment rounds down below the previous block */
	b = kmm_memblock_core_alloc_range_nid(&ctx, 4 * KiB, 1 * MiB, 0, KMM_MEMBLOCK_ALLOC_ANYWHERE,
					      KMM_NUMA_NO_NODE, false);
	KUNIT_EXPECT_EQ(test, b, B + 15 * MiB);
	KUNIT_EXPECT_EQ(test, b % MiB, 0);
	/* a max_addr limit */
	a = kmm_memblock_core_alloc_range_nid(&ctx, 64 * KiB, 64, 0, B + 8 * MiB, KMM_NUMA_NO_NODE,
					      false);
	KUNIT_EXPECT_EQ(test, a, B + 8 * MiB - 64 * KiB);
	/* bottom-up: the lowest fit above min_addr */
	mb.bottom_up = true;
	a = kmm_memblock_core_alloc_range_nid(&ctx, 4 * KiB, 4 * KiB, B + 3 * MiB + 1,
					      KMM_MEMBLOCK_ALLOC_ANYWHERE, KMM_NUMA_NO_NODE, false);
	KUNIT_EXPECT_EQ(test, a, B + 3 * MiB + 4 * KiB);
	a = kmm_memblock_core_alloc_range_nid(&ctx, 4 * KiB, 4 * KiB, 0, KMM_MEMBLOCK_ALLOC_ANYWHERE,
					      KMM_NUMA_NO_NODE, false);
	KUNIT_EXPECT_EQ(test, a, B);
	/* current_limit bounds ACCESSIBLE allocations */
	mb.bottom_up = false;
	mb.current_limit = B + 2 * MiB;
	a = kmm_memblock_core_alloc_range_nid(&ctx, 4 * KiB, 4 * KiB, 0, KMM_MEMBLOCK_ALLOC_ACCESSIBLE,
					      KMM_NUMA_NO_NODE, false);
	KUNIT_EXPECT_EQ(test, a, B + 2 * MiB - 4 * KiB);
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_check(&ctx), 0);
}

static void alloc_skips_reserved_and_retries_without_min(struct kunit *test)
{
	void *p;

	reset();
	kmm_memblock_core_add(&ctx, B, 4 * MiB);
	kmm_memblock_core_reserve(&ctx, B + 3 * MiB, 1 * MiB);
	p = kmm_memblock_core_alloc_nid(&ctx, 1 * MiB, 4 * KiB, B + 3 * MiB, 0,
					KMM_NUMA_NO_NODE, false, false);
	/* nothing free above min_addr: the retry from 0 takes the top free MiB */
	KUNIT_EXPECT_EQ(test, (uintptr_t)p, B + 2 * MiB);
	KUNIT_EXPECT_EQ(test, mb.reserved.cnt, 1);
	KUNIT_EXPECT_EQ(test, mb.reserved.total_size, 2 * MiB);
}

static void zeroed_unless_raw(struct kunit *test)
{
	unsigned char *p, *q;

	reset();
	kmm_memblock_core_add(&ctx, B, 4 * MiB);
	p = kmm_memblock_core_alloc_nid(&ctx, 4096, 64, 0, 0, KMM_NUMA_NO_NODE, false, false);
	q = kmm_memblock_core_alloc_nid(&ctx, 4096, 64, 0, 0, KMM_NUMA_NO_NODE, false, true);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, p[0] | p[2048] | p[4095], 0);
	KUNIT_EXPECT_EQ(test, q[0], 0x5a);
	KUNIT_EXPECT_EQ(test, q[4095], 0x5a);
}

static void exhaustion_changes_nothing(struct kunit *test)
{
	struct kmm_memblock_region before[4];
	void *p;

	reset();
	kmm_memblock_core_add(&ctx, B, 4 * MiB);
	kmm_memblock_core_reserve(&ctx, B + 1 * MiB, 1 * MiB);
	memcpy(before, mb.reserved.regions, sizeof(before));
	p = kmm_memblock_core_alloc_nid(&ctx, 3 * MiB, 4 * KiB, 0, 0, KMM_NUMA_NO_NODE, false, false);
	KUNIT_EXPECT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_alloc_range_nid(&ctx, 2 * MiB + 1, 1, 0,
								KMM_MEMBLOCK_ALLOC_ANYWHERE,
								KMM_NUMA_NO_NODE, false), 0);
	KUNIT_EXPECT_EQ(test, mb.reserved.cnt, 1);
	KUNIT_EXPECT_EQ(test, memcmp(before, mb.reserved.regions, sizeof(before)), 0);
}

static void array_doubles_from_memblock(struct kunit *test)
{
	struct kmm_memblock_region *first;
	unsigned long i;

	reset();
	kmm_memblock_core_add(&ctx, B, 32 * MiB);
	/* 128 separate reservations fill the static array */
	for (i = 0; i < KMM_INIT_MEMBLOCK_REGIONS; i++)
		KUNIT_ASSERT_EQ(test, kmm_memblock_core_reserve(&ctx, B + i * 16 * KiB, 4 * KiB), 0);
	KUNIT_EXPECT_EQ(test, mb.reserved.cnt, 128);
	/* without memblock_allow_resize() the 129th fails and says why */
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_reserve(&ctx, B + 128 * 16 * KiB, 4 * KiB), -12);
	KUNIT_EXPECT_STRSTR(test, last_log, "cannot resize reserved array");
	KUNIT_EXPECT_EQ(test, mb.reserved.cnt, 128);
	ctx.can_resize = true;
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_reserve(&ctx, B + 128 * 16 * KiB, 4 * KiB), 0);
	KUNIT_EXPECT_EQ(test, mb.reserved.max, 256);
	KUNIT_EXPECT_NE(test, (uintptr_t)mb.reserved.regions, (uintptr_t)init_res);
	/* 129 ranges plus the new array itself (256 * 24 bytes, page aligned), at the top */
	KUNIT_EXPECT_EQ(test, mb.reserved.cnt, 130);
	KUNIT_EXPECT_EQ(test, mb.reserved.total_size, 129 * 4 * KiB + KMM_PAGE_ALIGN(256 * sizeof(struct kmm_memblock_region)));
	KUNIT_EXPECT_EQ(test, R(reserved, 129).base + R(reserved, 129).size, B + 32 * MiB);
	first = mb.reserved.regions;
	/* doubling again gives the first allocated array back */
	for (i = 129; i < 256; i++)
		KUNIT_ASSERT_EQ(test, kmm_memblock_core_reserve(&ctx, B + i * 16 * KiB, 4 * KiB), 0);
	KUNIT_EXPECT_EQ(test, mb.reserved.max, 512);
	KUNIT_EXPECT_NE(test, (uintptr_t)mb.reserved.regions, (uintptr_t)first);
	KUNIT_EXPECT_FALSE(test, kmm_memblock_core_is_reserved(&ctx, (uintptr_t)first));
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_check(&ctx), 0);
}

static void trim_keeps_totals_exact(struct kunit *test)
{
	reset();
	kmm_memblock_core_add(&ctx, B + 100, 4 * MiB);
	kmm_memblock_core_add(&ctx, B + 8 * MiB, 1000);
	kmm_memblock_core_trim_memory(&ctx, 4 * KiB);
	KUNIT_EXPECT_EQ(test, mb.memory.cnt, 1);
	KUNIT_EXPECT_EQ(test, R(memory, 0).base, B + 4 * KiB);
	KUNIT_EXPECT_EQ(test, R(memory, 0).size, 4 * MiB - 4 * KiB);
	KUNIT_EXPECT_EQ(test, mb.memory.total_size, 4 * MiB - 4 * KiB);
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_check(&ctx), 0);
}

static void checker_finds_corruption(struct kunit *test)
{
	reset();
	kmm_memblock_core_add(&ctx, B, 4 * MiB);
	kmm_memblock_core_add(&ctx, B + 8 * MiB, 4 * MiB);
	KUNIT_EXPECT_EQ(test, kmm_memblock_core_check(&ctx), 0);
	R(memory, 0).size = 9 * MiB;	/* overlaps the next and breaks the total */
	KUNIT_EXPECT_GE(test, kmm_memblock_core_check(&ctx), 2);
}

/* ---- on a machine stopped at memblock (before the page allocator runs) ---- */

static void machine_alloc_free_returns_to_boot_state(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("quiet kmm.stop_at=memblock");
	struct kmm_memblock *b;
	unsigned long cnt;
	kmm_phys_addr_t total, pa;
	unsigned char *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	b = kmm_memblock(m);
	cnt = b->reserved.cnt;
	total = b->reserved.total_size;
	p = kmm_memblock_alloc(m, 3 * KiB, KMM_PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	pa = kmm_pa(kmm_layout(m), p);
	KUNIT_EXPECT_EQ(test, pa % KMM_PAGE_SIZE, 0);
	KUNIT_EXPECT_TRUE(test, kmm_memblock_is_memory(m, pa));
	KUNIT_EXPECT_TRUE(test, kmm_memblock_is_reserved(m, pa));
	KUNIT_EXPECT_EQ(test, p[0] | p[3 * KiB - 1], 0);
	p[100] = 42;	/* the memory is real and writable */
	KUNIT_EXPECT_EQ(test, b->reserved.total_size, total + 3 * KiB);
	kmm_memblock_free(m, p, 3 * KiB);
	KUNIT_EXPECT_EQ(test, b->reserved.cnt, cnt);
	KUNIT_EXPECT_EQ(test, b->reserved.total_size, total);
	KUNIT_EXPECT_EQ(test, kmm_memblock_check(m), 0);
	kmm_shutdown(m);
}

static void machine_exhaustion_reports_and_changes_nothing(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("quiet kmm.stop_at=memblock");
	static char log[1 << 16];
	struct kmm_memblock *b;
	unsigned long cnt;
	kmm_phys_addr_t total;

	KUNIT_ASSERT_NOT_NULL(test, m);
	b = kmm_memblock(m);
	cnt = b->reserved.cnt;
	total = b->reserved.total_size;
	KUNIT_EXPECT_NULL(test, kmm_memblock_alloc(m, 1ULL << 30, KMM_PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, kmm_alloc_bootmem_pages(m, 600 * MiB));
	KUNIT_EXPECT_EQ(test, kmm_memblock_phys_alloc(m, 1ULL << 30, KMM_PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, b->reserved.cnt, cnt);
	KUNIT_EXPECT_EQ(test, b->reserved.total_size, total);
	kmm_proc_read(m, "/dev/kmsg", log, sizeof(log));
	KUNIT_EXPECT_STRSTR(test, log, "3,");
	KUNIT_EXPECT_STRSTR(test, log, "memblock_alloc: Failed to allocate 1073741824 bytes align=0x1000");
	kmm_shutdown(m);
}

static void machine_bottom_up_and_limits(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("quiet kmm.stop_at=memblock");
	kmm_phys_addr_t pa, img_end = 0x03c58000;

	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_memblock_set_bottom_up(m, true);
	KUNIT_EXPECT_TRUE(test, kmm_memblock_bottom_up(m));
	/* bottom-up from 0 finds the first free byte above the first MiB reserve */
	pa = kmm_memblock_phys_alloc(m, KMM_PAGE_SIZE, KMM_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pa, 0x100000);
	pa = kmm_memblock_phys_alloc_range(m, KMM_PAGE_SIZE, KMM_PAGE_SIZE, 0x1000000, 0x8000000);
	KUNIT_EXPECT_EQ(test, pa, img_end);
	kmm_memblock_set_bottom_up(m, false);
	/* memblock_alloc_low stays below 4 GiB; _from above its floor */
	pa = kmm_pa(kmm_layout(m), kmm_memblock_alloc_from(m, KMM_PAGE_SIZE, KMM_PAGE_SIZE, 64 * MiB));
	KUNIT_EXPECT_GE(test, pa, 64 * MiB);
	KUNIT_EXPECT_EQ(test, kmm_memblock_check(m), 0);
	kmm_shutdown(m);
}

/* After the handover, memblock_alloc warns once and the page allocator serves it. */
static void machine_late_alloc_uses_the_page_allocator(struct kunit *test)
{
	static char log[1 << 17];
	struct kmm_machine *m = kmm_boot("quiet");
	unsigned long cnt, free;
	unsigned char *p, *q;

	KUNIT_ASSERT_NOT_NULL(test, m);
	cnt = kmm_memblock(m)->reserved.cnt;
	kmm_quiesce(m);
	free = kmm_nr_free_pages(m);
	p = kmm_memblock_alloc(m, 3 * KiB, KMM_PAGE_SIZE);
	q = kmm_memblock_alloc(m, 10 * KiB, KMM_PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, p[0] | p[3 * KiB - 1] | q[10 * KiB - 1], 0);
	KUNIT_EXPECT_EQ(test, kmm_memblock(m)->reserved.cnt, cnt);
	kmm_proc_read(m, "/dev/kmsg", log, sizeof(log));
	KUNIT_EXPECT_STRSTR(test, log, "WARNING: CPU: ");
	KUNIT_EXPECT_STRSTR(test, log, "at mm/memblock.c:1459 memblock_alloc_range_nid");
	KUNIT_EXPECT_EQ(test, strstr(strstr(log, "mm/memblock.c:1459") + 1, "mm/memblock.c:1459"), NULL);
	kmm_memblock_free(m, p, 3 * KiB);
	kmm_memblock_free(m, q, 10 * KiB);
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_nr_free_pages(m), free);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

static struct kunit_case cases[] = {
	KUNIT_CASE(add_merges_adjacent_and_overlapping),
	KUNIT_CASE(different_flags_do_not_merge),
	KUNIT_CASE(remove_splits_at_edges),
	KUNIT_CASE(reserve_and_free),
	KUNIT_CASE(alloc_top_down_and_bottom_up),
	KUNIT_CASE(alloc_skips_reserved_and_retries_without_min),
	KUNIT_CASE(zeroed_unless_raw),
	KUNIT_CASE(exhaustion_changes_nothing),
	KUNIT_CASE(array_doubles_from_memblock),
	KUNIT_CASE(trim_keeps_totals_exact),
	KUNIT_CASE(checker_finds_corruption),
	KUNIT_CASE(machine_alloc_free_returns_to_boot_state),
	KUNIT_CASE(machine_exhaustion_reports_and_changes_nothing),
	KUNIT_CASE(machine_bottom_up_and_limits),
	KUNIT_CASE(machine_late_alloc_uses_the_page_allocator),
	{ 0 },
};

static int init(void)
{
	static unsigned char *raw;

	raw = malloc(33 * MiB);
	if (!raw)
		return 1;
	ram = (unsigned char *)(((uintptr_t)raw + MiB - 1) & ~(uintptr_t)(MiB - 1));
	B = (kmm_phys_addr_t)(uintptr_t)ram;
	return 0;
}

KUNIT_MAIN_INIT("memblock", cases, init)
