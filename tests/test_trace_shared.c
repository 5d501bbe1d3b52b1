/* SPDX-License-Identifier: MIT */
/*
 * The trace readers on the project's real traces in ../shared/traces (not
 * part of the repository: the suite skips itself where they are absent):
 * the 400,011-line raw ftrace trace and the one-workload recordings in
 * every text format, each event counted by type exactly as their READMEs
 * count them, no line malformed, the format recognised.
 */
#include <inttypes.h>
#include <unistd.h>

#include "kunit.h"
#include "trace.h"

#define TRACES KMM_SHARED_DIR "/traces"
#define FORMATS TRACES "/linux-6.18-formats"

struct expect {
	const char *path;
	enum trace_format format;
	uint64_t lines, skipped;
	uint64_t events[TEV_NR];	/* kmalloc kfree cache_alloc cache_free page_alloc page_free batched */
	uint64_t zone_locked, vmap;	/* the other events these traces hold */
};

static const struct expect traces[] = {
	{ TRACES "/linux-6.18-cp-drop-caches.trace.xz", TF_FTRACE, 400011, 12,
	  { 37063, 54034, 178279, 82849, 43135, 4389, 250 }, 0, 0 },
	{ FORMATS "/ftrace-trace.txt.xz", TF_FTRACE, 42105, 12,
	  { 805, 1331, 2907, 2681, 11541, 11462, 11360 }, 4, 2 },
	{ FORMATS "/trace-cmd-report.txt.xz", TF_TRACE_CMD_REPORT, 42094, 1,
	  { 805, 1331, 2907, 2681, 11541, 11462, 11360 }, 4, 2 },
	{ FORMATS "/perf-script.txt.xz", TF_PERF_SCRIPT, 41945, 0,
	  { 1106, 1342, 3020, 2016, 11511, 10541, 10451 }, 1957, 1 },
	{ FORMATS "/ftrace-trace.head.txt", TF_FTRACE, 312, 12, { 7, 49, 46, 119, 18, 32, 29 }, 0, 0 },
	{ FORMATS "/trace-cmd-report.head.txt", TF_TRACE_CMD_REPORT, 301, 1,
	  { 7, 49, 46, 119, 18, 32, 29 }, 0, 0 },
	{ FORMATS "/perf-script.head.txt", TF_PERF_SCRIPT, 300, 0, { 38, 56, 135, 32, 37, 1, 0 }, 0, 1 },
};

static uint64_t other_count(struct trace_reader *r, const char *name)
{
	const char *n;
	uint64_t count;

	for (size_t i = 0; (n = trace_other_event(r, i, &count)) != NULL; i++)
		if (!strcmp(n, name))
			return count;
	return 0;
}

static void shared_traces(struct kunit *test)
{
	for (size_t i = 0; i < sizeof(traces) / sizeof(traces[0]); i++) {
		const struct expect *x = &traces[i];
		char err[512];
		struct trace_reader *r = trace_open(x->path, err, sizeof(err));
		const struct trace_stats *st;
		struct trace_event ev;
		uint64_t events[TEV_NR] = { 0 };
		int ret;

		if (!r) {
			KUNIT_FAIL_MSG(test, "%s", err);
			continue;
		}
		while ((ret = trace_next(r, &ev)) > 0)
			events[ev.type]++;
		KUNIT_EXPECT_EQ(test, ret, 0);
		st = trace_stats(r);
		printf("    # %s: %s, %" PRIu64 " lines, %" PRIu64 " MB of text\n",
		       strrchr(x->path, '/') + 1, trace_format_name(st->format), st->lines,
		       st->bytes_in >> 20);
		KUNIT_EXPECT_EQ(test, st->format, x->format);
		KUNIT_EXPECT_EQ(test, st->lines, x->lines);
		KUNIT_EXPECT_EQ(test, st->skipped_lines, x->skipped);
		KUNIT_EXPECT_EQ(test, st->malformed, 0);
		KUNIT_EXPECT_EQ(test, st->gfp_unknown, 0);
		KUNIT_EXPECT_EQ(test, st->lost_events, 0);
		for (int t = 0; t < TEV_NR; t++) {
			KUNIT_EXPECT_EQ(test, events[t], x->events[t]);
			KUNIT_EXPECT_EQ(test, st->events[t], x->events[t]);
		}
		KUNIT_EXPECT_EQ(test, other_count(r, "mm_page_alloc_zone_locked"), x->zone_locked);
		KUNIT_EXPECT_EQ(test, other_count(r, "alloc_vmap_area"), x->vmap);
		KUNIT_EXPECT_EQ(test, st->other_events, x->zone_locked + x->vmap);
		trace_close(r);
	}
}

static int suite_init(void)
{
	char err[512];
	struct trace_reader *r;

	if (access(TRACES "/linux-6.18-cp-drop-caches.trace.xz", R_OK) ||
	    access(FORMATS "/perf-script.head.txt", R_OK)) {
		kunit_skip_suite("no ../shared/traces next to the project");
		return 0;
	}
	r = trace_open(traces[0].path, err, sizeof(err));
	if (!r && strstr(err, "neither liblzma nor the xz program"))
		kunit_skip_suite(err);
	trace_close(r);
	return 0;
}

static struct kunit_case cases[] = {
	KUNIT_CASE(shared_traces),
	{}
};

KUNIT_MAIN_INIT("trace_shared", cases, suite_init)
