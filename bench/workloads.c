/* SPDX-License-Identifier: MIT */
/*
 * The table of workloads, one row of the results each: a kmm operation and
 * the user-level operation of the peers that it is compared with. A new
 * workload is a row here, a kmm function (kmm_workloads.c or a file of its
 * own) and a peer function (peer_workloads.c), or, where no malloc does the
 * same, the row of its host floor; the driver, the children and the reports
 * pick it up from this table.
 */
#include <string.h>

#include "bench.h"
#include "remote.h"

#define STR_(x) #x
#define STR(x) STR_(x)

const struct bench_workload bench_workloads[] = {
	{
		.name = "page-o0",
		.kmm_op = "alloc_pages(GFP_KERNEL, 0) + __free_pages",
		.peer_op = "malloc(4096) + free",
		.kmm_run = bench_kmm_page_o0,
		.peer_run = bench_peer_malloc_4k,
	},
	{
		.name = "page-o3",
		.kmm_op = "alloc_pages(GFP_KERNEL, 3) + __free_pages",
		.peer_op = "malloc(32768) + free",
		.kmm_run = bench_kmm_page_o3,
		.peer_run = bench_peer_malloc_32k,
	},
	{
		.name = "page-o9",
		.kmm_op = "alloc_pages(GFP_KERNEL, 9) + __free_pages",
		.peer_op = "malloc(2 MiB) + free",
		.kmm_run = bench_kmm_page_o9,
		.peer_run = bench_peer_malloc_2m,
	},
	{
		.name = "page-2thr-remote",
		.kmm_op = "order-0 pages allocated on one CPU, freed on the other (2 threads)",
		.peer_op = "malloc(4096) on one thread, free on the other (2 threads)",
		.kmm_run = bench_kmm_page_remote,
		.peer_run = bench_peer_malloc_remote,
	},
#define BENCH_KMALLOC_ROW(size, label)                                                    \
	{                                                                                 \
		.name = "kmalloc-" label,                                                 \
		.kmm_op = "kmalloc(" #size ", GFP_KERNEL) + kfree",                       \
		.peer_op = "malloc(" #size ") + free",                                    \
		.kmm_run = bench_kmm_kmalloc_##size,                                      \
		.peer_run = bench_peer_malloc_##size,                                     \
	},
	BENCH_KMALLOC_SIZES(BENCH_KMALLOC_ROW)
#define BENCH_KMALLOC_LARGE_ROW(size, label)                                              \
	{                                                                                 \
		.name = "kmalloc-" label,                                                 \
		.kmm_op = "kmalloc(" #size ", GFP_KERNEL) + kfree, a large kmalloc "      \
			  "(compound pages)",                                             \
		.peer_op = "malloc(" #size ") + free",                                    \
		.kmm_run = bench_kmm_kmalloc_##size,                                      \
		.peer_run = bench_peer_malloc_##size,                                     \
	},
	BENCH_KMALLOC_LARGE_SIZES(BENCH_KMALLOC_LARGE_ROW)
	{
		.name = "kmem_cache-64",
		.kmm_op = "kmem_cache_alloc + kmem_cache_free, a cache of 64-byte objects "
			  "(SLAB_NO_MERGE)",
		.peer_op = "malloc(64) + free",
		.kmm_run = bench_kmm_cache_64,
		.peer_run = bench_peer_malloc_64,
	},
#define BENCH_BULK_ROW(n)                                                                 \
	{                                                                                 \
		.name = "bulk-" #n,                                                       \
		.kmm_op = "kmem_cache_alloc_bulk + kmem_cache_free_bulk of " #n           \
			  " 64-byte objects, per object",                                 \
		.peer_op = #n " x malloc(64), then " #n " x free, per object",            \
		.kmm_run = bench_kmm_bulk_##n,                                            \
		.peer_run = bench_peer_bulk_##n,                                          \
	},
	BENCH_BULK_SIZES(BENCH_BULK_ROW)
	{
		.name = "slab-2thr-remote",
		.kmm_op = "kmalloc(64) on one CPU, kfree on the other (2 threads)",
		.peer_op = "malloc(64) on one thread, free on the other (2 threads)",
		.kmm_run = bench_kmm_slab_remote,
		.peer_run = bench_peer_malloc_remote_64,
	},
	{
		.name = "slab-2thr-churn",
		.kmm_op = "2 threads, each replacing random objects of a working set of "
			  STR(BENCH_CHURN_SLOTS) " (kfree, then kmalloc of " STR(BENCH_CHURN_MIN)
			  ".." STR(BENCH_CHURN_MAX) " bytes)",
		.peer_op = "the same with free, then malloc",
		.kmm_run = bench_kmm_slab_churn,
		.peer_run = bench_peer_churn,
	},
	{
		.name = "random-100k",
		.kmm_op = "kmalloc(GFP_KERNEL) of " STR(BENCH_RANDOM_OBJS) " random sizes ("
			  STR(BENCH_CHURN_MIN) ".." STR(BENCH_CHURN_MAX) " bytes), then kfree of "
			  "all in a random order, per object",
		.peer_op = "the same with malloc, then free",
		.kmm_run = bench_kmm_random,
		.peer_run = bench_peer_random,
	},
#define BENCH_LARGE_ROW(size, label)                                                      \
	{                                                                                 \
		.name = "large-" label,                                                   \
		.kmm_op = "kvmalloc(" #size ", GFP_KERNEL) + a write to every page + "    \
			  "kvfree (a large kmalloc: compound pages)",                     \
		.peer_op = "malloc(" #size ") + a write to every page + free",            \
		.kmm_run = bench_kmm_large_##size,                                        \
		.peer_run = bench_peer_large_##size,                                      \
	},
	BENCH_LARGE_SIZES(BENCH_LARGE_ROW)
	{
		.name = "kmap-cached",
		.kmm_op = "kmap + kunmap HighMem page, cached: the same page each time, its PKMAP "
			  "slot kept (" BENCH_HIGHMEM_BOOT ")",
		.peer_op = "- (kmm only)",
		.kmm_run = bench_kmm_kmap_cached,
		.boot = BENCH_HIGHMEM_BOOT,
	},
	{
		.name = "kmap-uncached",
		.kmm_op = "kmap + kunmap HighMem page, uncached: a different page each time, "
			  STR(BENCH_HIGHMEM_PAGES) " in turn, so every kmap maps a slot and every "
			  "wrap-around flushes (" BENCH_HIGHMEM_BOOT ")",
		.peer_op = "- (kmm only)",
		.kmm_run = bench_kmm_kmap_uncached,
		.boot = BENCH_HIGHMEM_BOOT,
	},
	{
		.name = "kmap_local-cached",
		.kmm_op = "kmap_local_page + kunmap_local HighMem page, cached: the same page, "
			  "whose frame its slot still maps (" BENCH_HIGHMEM_BOOT ")",
		.peer_op = "- (kmm only)",
		.kmm_run = bench_kmm_kmap_local_cached,
		.boot = BENCH_HIGHMEM_BOOT,
	},
	{
		.name = "kmap_local-uncached",
		.kmm_op = "kmap_local_page + kunmap_local HighMem page, uncached: a different page "
			  "each time (" STR(BENCH_HIGHMEM_PAGES) " in turn), a host mapping each "
			  "(" BENCH_HIGHMEM_BOOT ")",
		.peer_op = "- (kmm only)",
		.kmm_run = bench_kmm_kmap_local_uncached,
		.boot = BENCH_HIGHMEM_BOOT,
	},
#define BENCH_VMALLOC_ROWS(size, label)                                                   \
	{                                                                                 \
		.name = "vmalloc-" label,                                                 \
		.kmm_op = "vmalloc(" #size ") + a write to every page + vfree "           \
			  "(CPU time, the lazy purge included)",                          \
		.peer_op = "none: compared with host-mmap-" label,                        \
		.kmm_run = bench_kmm_vmalloc_##size,                                      \
		.floor = "host-mmap-" label,                                              \
	},                                                                                \
	{                                                                                 \
		.name = "host-mmap-" label,                                               \
		.kmm_op = "the host floor, in kmm's column: mmap(" #size                  \
			  ", MAP_PRIVATE|MAP_ANONYMOUS) + a write to every page + munmap "  \
			  "(CPU time)",                                                   \
		.peer_op = "none",                                                        \
		.kmm_run = bench_host_mmap_##size,                                        \
	},
	BENCH_VMALLOC_SIZES(BENCH_VMALLOC_ROWS)
};

const unsigned int bench_nr_workloads = sizeof(bench_workloads) / sizeof(bench_workloads[0]);

const struct bench_workload *bench_workload_find(const char *name)
{
	for (unsigned int i = 0; i < bench_nr_workloads; i++)
		if (!strcmp(bench_workloads[i].name, name))
			return &bench_workloads[i];
	return NULL;
}
