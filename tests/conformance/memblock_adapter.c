/* SPDX-License-Identifier: MIT */
/*
 * memblock_adapter.c: the Linux names of memblock, on top of kmm's core.
 *
 * Linux's own memblock test suite (tools/testing/memblock, Linux 6.12) is
 * built from the kernel source at test time, outside this repository (see
 * README.md here). Its test objects leave a set of memblock_* symbols and
 * the global `struct memblock memblock` undefined; in the kernel tree they
 * come from mm/memblock.c. This file provides them instead, each one a thin
 * call into kmm_memblock_core_*() (src/core/memblock.c), so that the
 * unmodified suite checks kmm's behaviour.
 *
 * This is kmm's own code: it includes the kernel's public header
 * include/linux/memblock.h for the types and prototypes it must match, and
 * contains no code from mm/memblock.c. libkmm exports no Linux names; this
 * adapter is the only place they exist.
 *
 * Build: with the suite's CFLAGS and include paths (-I<suite> -I<tools/include>)
 * plus -I<repo>/include.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/seq_file.h>	/* before memblock.h, as the suite does */
#include <linux/memblock.h>
#include <linux/memory_hotplug.h>	/* the suite's movable_node_is_enabled() */
#include <linux/numa.h>

#include <kmm/memblock.h>

/* mm/memblock.c's sizes of the static arrays (not exported by the header). */
#ifndef INIT_MEMBLOCK_REGIONS
#define INIT_MEMBLOCK_REGIONS 128
#endif
#ifndef INIT_MEMBLOCK_RESERVED_REGIONS
#define INIT_MEMBLOCK_RESERVED_REGIONS INIT_MEMBLOCK_REGIONS
#endif
#ifndef INIT_MEMBLOCK_MEMORY_REGIONS
#define INIT_MEMBLOCK_MEMORY_REGIONS INIT_MEMBLOCK_REGIONS
#endif

/* ---- The kernel's structures must be kmm's, byte for byte. ---- */

#define SAME_FIELD(ks, kf, ms, mf)                                                  \
	_Static_assert(offsetof(struct ks, kf) == offsetof(struct ms, mf) &&      \
		       sizeof(((struct ks *)0)->kf) == sizeof(((struct ms *)0)->mf), \
		       "struct " #ks "." #kf " does not match struct " #ms "." #mf)

_Static_assert(sizeof(phys_addr_t) == sizeof(kmm_phys_addr_t), "phys_addr_t size");
_Static_assert(sizeof(enum memblock_flags) == sizeof(enum kmm_memblock_flags),
	       "enum memblock_flags size");
#define SAME_FLAG(f) ((int)MEMBLOCK_##f == (int)KMM_MEMBLOCK_##f)
_Static_assert(SAME_FLAG(NONE) && SAME_FLAG(HOTPLUG) && SAME_FLAG(MIRROR) && SAME_FLAG(NOMAP) &&
	       SAME_FLAG(DRIVER_MANAGED) && SAME_FLAG(RSRV_NOINIT),
	       "memblock flag values");
_Static_assert(MEMBLOCK_ALLOC_ANYWHERE == KMM_MEMBLOCK_ALLOC_ANYWHERE &&
	       MEMBLOCK_ALLOC_ACCESSIBLE == KMM_MEMBLOCK_ALLOC_ACCESSIBLE &&
	       MEMBLOCK_LOW_LIMIT == KMM_MEMBLOCK_LOW_LIMIT && NUMA_NO_NODE == KMM_NUMA_NO_NODE,
	       "memblock limit constants");
_Static_assert(INIT_MEMBLOCK_MEMORY_REGIONS == KMM_INIT_MEMBLOCK_REGIONS &&
	       INIT_MEMBLOCK_RESERVED_REGIONS == KMM_INIT_MEMBLOCK_RESERVED_REGIONS,
	       "initial array sizes");

/* struct memblock_region: kmm's nid is the padding of a !CONFIG_NUMA layout. */
_Static_assert(sizeof(struct memblock_region) == sizeof(struct kmm_memblock_region),
	       "sizeof struct memblock_region");
SAME_FIELD(memblock_region, base, kmm_memblock_region, base);
SAME_FIELD(memblock_region, size, kmm_memblock_region, size);
SAME_FIELD(memblock_region, flags, kmm_memblock_region, flags);
#ifdef CONFIG_NUMA
SAME_FIELD(memblock_region, nid, kmm_memblock_region, nid);
#else
_Static_assert(offsetof(struct memblock_region, flags) + sizeof(enum memblock_flags) <=
	       offsetof(struct kmm_memblock_region, nid),
	       "kmm's nid must lie in the padding of the !CONFIG_NUMA region");
#endif

_Static_assert(sizeof(struct memblock_type) == sizeof(struct kmm_memblock_type),
	       "sizeof struct memblock_type");
SAME_FIELD(memblock_type, cnt, kmm_memblock_type, cnt);
SAME_FIELD(memblock_type, max, kmm_memblock_type, max);
SAME_FIELD(memblock_type, total_size, kmm_memblock_type, total_size);
SAME_FIELD(memblock_type, regions, kmm_memblock_type, regions);
SAME_FIELD(memblock_type, name, kmm_memblock_type, name);

_Static_assert(sizeof(struct memblock) == sizeof(struct kmm_memblock), "sizeof struct memblock");
SAME_FIELD(memblock, bottom_up, kmm_memblock, bottom_up);
SAME_FIELD(memblock, current_limit, kmm_memblock, current_limit);
SAME_FIELD(memblock, memory, kmm_memblock, memory);
SAME_FIELD(memblock, reserved, kmm_memblock, reserved);

/* ---- The global, initialised as the kernel initialises it. ---- */

static struct memblock_region adapter_memory_init_regions[INIT_MEMBLOCK_MEMORY_REGIONS];
static struct memblock_region adapter_reserved_init_regions[INIT_MEMBLOCK_RESERVED_REGIONS];

struct memblock memblock = {
	.memory.regions = adapter_memory_init_regions,
	.memory.max = INIT_MEMBLOCK_MEMORY_REGIONS,
	.memory.name = "memory",

	.reserved.regions = adapter_reserved_init_regions,
	.reserved.max = INIT_MEMBLOCK_RESERVED_REGIONS,
	.reserved.name = "reserved",

	.bottom_up = false,
	.current_limit = MEMBLOCK_ALLOC_ANYWHERE,
};

/* The suite passes malloc'd user-space addresses as physical ones: identity. */
static void *adapter_phys_to_virt(void *arg, kmm_phys_addr_t pa)
{
	(void)arg;
	return (void *)(uintptr_t)pa;
}

static kmm_phys_addr_t adapter_virt_to_phys(void *arg, const void *va)
{
	(void)arg;
	return (kmm_phys_addr_t)(uintptr_t)va;
}

static bool adapter_movable_node(void *arg)
{
	(void)arg;
	return movable_node_is_enabled();
}

/* The kernel's pr_*() go to stdout in the suite (its linux/printk.h). */
static void adapter_log(void *arg, int level, const char *line)
{
	(void)arg;
	(void)level;
	printf("%s\n", line);
}

static struct kmm_memblock_ctx ctx = {
	.mb = (struct kmm_memblock *)&memblock,
	.init_memory = (struct kmm_memblock_region *)adapter_memory_init_regions,
	.init_reserved = (struct kmm_memblock_region *)adapter_reserved_init_regions,
	.phys_to_virt = adapter_phys_to_virt,
	.virt_to_phys = adapter_virt_to_phys,
	.movable_node = adapter_movable_node,
	.log = adapter_log,
	.arg = NULL,
	.max_numnodes = MAX_NUMNODES,
#ifdef CONFIG_NUMA
	.numa = true,
#else
	.numa = false,
#endif
	.can_resize = false,
#ifdef MEMBLOCK_DEBUG
	.debug = true,
#else
	.debug = false,
#endif
};

/*
 * The suite prints its "ok N" lines with printf and stops at the first failed
 * check with assert(), whose abort() would drop a fully buffered stdout (the
 * runner redirects it to a file): make it line buffered before main() runs.
 */
__attribute__((constructor)) static void adapter_line_buffered_stdout(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/*
 * After every call that changes memblock, kmm's integrity checker must find
 * no violated invariant (sorted, disjoint, merged, totals). A violation is
 * reported on stderr, which run.sh counts as a failure even if the suite's
 * own checks pass.
 */
static void adapter_check(const char *fn)
{
	int bad = kmm_memblock_core_check(&ctx);

	if (bad)
		fprintf(stderr, "kmm_memblock_core_check: %d violation(s) after %s\n", bad, fn);
}

#define KTYPE(t) ((struct kmm_memblock_type *)(t))

/* ---- Linux's names. ---- */

void memblock_allow_resize(void)
{
	ctx.can_resize = true;
}

int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid, enum memblock_flags flags)
{
	int ret = kmm_memblock_core_add_node(&ctx, base, size, nid,
					     (enum kmm_memblock_flags)flags);

	adapter_check(__func__);
	return ret;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	int ret = kmm_memblock_core_add(&ctx, base, size);

	adapter_check(__func__);
	return ret;
}

int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	int ret = kmm_memblock_core_remove(&ctx, base, size);

	adapter_check(__func__);
	return ret;
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	int ret = kmm_memblock_core_reserve(&ctx, base, size);

	adapter_check(__func__);
	return ret;
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	int ret = kmm_memblock_core_phys_free(&ctx, base, size);

	adapter_check(__func__);
	return ret;
}

void memblock_free(void *ptr, size_t size)
{
	kmm_memblock_core_free(&ctx, ptr, size);
	adapter_check(__func__);
}

static int adapter_mark(const char *fn, phys_addr_t base, phys_addr_t size, bool set,
			enum kmm_memblock_flags flag)
{
	int ret = kmm_memblock_core_mark(&ctx, base, size, set, flag);

	adapter_check(fn);
	return ret;
}

int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size)
{
	return adapter_mark(__func__, base, size, true, KMM_MEMBLOCK_HOTPLUG);
}

int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size)
{
	return adapter_mark(__func__, base, size, false, KMM_MEMBLOCK_HOTPLUG);
}

int memblock_mark_mirror(phys_addr_t base, phys_addr_t size)
{
	return adapter_mark(__func__, base, size, true, KMM_MEMBLOCK_MIRROR);
}

int memblock_mark_nomap(phys_addr_t base, phys_addr_t size)
{
	return adapter_mark(__func__, base, size, true, KMM_MEMBLOCK_NOMAP);
}

int memblock_clear_nomap(phys_addr_t base, phys_addr_t size)
{
	return adapter_mark(__func__, base, size, false, KMM_MEMBLOCK_NOMAP);
}

void memblock_trim_memory(phys_addr_t align)
{
	kmm_memblock_core_trim_memory(&ctx, align);
	adapter_check(__func__);
}

bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	return kmm_memblock_core_overlaps_region(KTYPE(type), base, size);
}

bool memblock_is_memory(phys_addr_t addr)
{
	return kmm_memblock_core_is_memory(&ctx, addr);
}

bool memblock_is_reserved(phys_addr_t addr)
{
	return kmm_memblock_core_is_reserved(&ctx, addr);
}

phys_addr_t memblock_phys_mem_size(void)
{
	return kmm_memblock_core_phys_mem_size(&ctx);
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return kmm_memblock_core_start_of_DRAM(&ctx);
}

phys_addr_t memblock_end_of_DRAM(void)
{
	return kmm_memblock_core_end_of_DRAM(&ctx);
}

/* Physical allocations: 0 on failure, memory not zeroed. */
phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				     phys_addr_t end, int nid, bool exact_nid)
{
	phys_addr_t pa = kmm_memblock_core_alloc_range_nid(&ctx, size, align, start, end, nid,
							   exact_nid);

	adapter_check(__func__);
	return pa;
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				      phys_addr_t end)
{
	return memblock_alloc_range_nid(size, align, start, end, NUMA_NO_NODE, false);
}

phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid)
{
	return memblock_alloc_range_nid(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid, false);
}

/* Virtual allocations: NULL on failure; zeroed unless _raw. */
static void *adapter_alloc(const char *fn, phys_addr_t size, phys_addr_t align,
			   phys_addr_t min_addr, phys_addr_t max_addr, int nid, bool exact_nid,
			   bool raw)
{
	void *p = kmm_memblock_core_alloc_nid(&ctx, size, align, min_addr, max_addr, nid,
					      exact_nid, raw);

	adapter_check(fn);
	return p;
}

void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				   phys_addr_t max_addr, int nid)
{
	return adapter_alloc(__func__, size, align, min_addr, max_addr, nid, true, true);
}

void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				 phys_addr_t max_addr, int nid)
{
	return adapter_alloc(__func__, size, align, min_addr, max_addr, nid, false, true);
}

void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
			     phys_addr_t max_addr, int nid)
{
	return adapter_alloc(__func__, size, align, min_addr, max_addr, nid, false, false);
}
