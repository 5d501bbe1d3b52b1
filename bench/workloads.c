/* SPDX-License-Identifier: MIT */
/*
 * The table of workloads, one row of the results each: a kmm operation and
 * the user-level operation of the peers that it is compared with. A new
 * workload is a row here, a kmm function (kmm_workloads.c or a file of its
 * own) and a peer function (peer_workloads.c); the driver, the children and
 * the reports pick it up from this table.
 */
#include <string.h>

#include "bench.h"

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
};

const unsigned int bench_nr_workloads = sizeof(bench_workloads) / sizeof(bench_workloads[0]);

const struct bench_workload *bench_workload_find(const char *name)
{
	for (unsigned int i = 0; i < bench_nr_workloads; i++)
		if (!strcmp(bench_workloads[i].name, name))
			return &bench_workloads[i];
	return NULL;
}
