/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER: the trace readers' interface (replaced by the readers' own header on merge). */
#ifndef KMM_TOOLS_TRACE_H
#define KMM_TOOLS_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kmm/gfp.h>

enum trace_ev { TEV_KMALLOC, TEV_KFREE, TEV_CACHE_ALLOC, TEV_CACHE_FREE, TEV_PAGE_ALLOC, TEV_PAGE_FREE, TEV_PAGE_FREE_BATCHED, TEV_NR };
enum trace_format { TF_UNKNOWN, TF_FTRACE, TF_PERF_SCRIPT, TF_TRACE_CMD_REPORT, TF_TRACE_DAT };
struct trace_event {
	enum trace_ev type;
	uint64_t ts_ns;
	int cpu;
	int pid;
	uint32_t comm;
	uint64_t ptr;
	uint32_t call_site;
	uint32_t cache;
	uint32_t bytes_req, bytes_alloc;
	kmm_gfp_t gfp;
	int node;
	bool accounted;
	uint64_t pfn;
	unsigned int order;
	int migratetype;
	uint64_t line;
};
struct trace_malformed { uint64_t line; char text[160]; char why[80]; };
struct trace_stats {
	enum trace_format format;
	uint64_t lines, events[TEV_NR], other_events, malformed, bytes_in;
	struct trace_malformed first_malformed[5];
};
struct trace_reader;
struct trace_reader *trace_open(const char *path, char *err, size_t errlen);
int trace_next(struct trace_reader *r, struct trace_event *ev);
const struct trace_stats *trace_stats(const struct trace_reader *r);
const char *trace_error(const struct trace_reader *r);
const char *trace_str(const struct trace_reader *r, uint32_t id);
const char *trace_format_name(enum trace_format f);
const char *trace_ev_name(enum trace_ev t);
void trace_close(struct trace_reader *r);

#endif
