/* SPDX-License-Identifier: MIT */
/*
 * The trace readers on slices of real Linux 6.18 traces kept in tests/data
 * (tests/data/README.md): each slice's events counted by type and the
 * other events by name, exactly; no line malformed; the format recognised;
 * the ftrace text and the trace-cmd report of one recording read as the
 * same events (but for ftrace's hashed pointers and trace-cmd's rounding
 * to microseconds); and every mm_page_free_batched after an mm_page_free of
 * its pfn, which is what lets replay skip it.
 *
 * The slices are xz-compressed: the suite skips itself when this build can
 * neither decompress xz itself nor run the xz program.
 */
#include <inttypes.h>

#include "kunit.h"
#include "trace.h"

#define SLICE(name) KMM_TEST_DATA "/" name

static const char ftrace_slice[] = SLICE("linux-6.18-workload-ftrace.3000-lines.txt.xz");
static const char tracecmd_slice[] = SLICE("linux-6.18-workload-trace-cmd-report.3000-lines.txt.xz");
static const char perf_slice[] = SLICE("linux-6.18-workload-perf-script.3000-lines.txt.xz");
static const char cp_slice[] = SLICE("linux-6.18-cp-drop-caches-ftrace.3012-lines.txt.xz");

struct expect {
	const char *path;
	enum trace_format format;
	uint64_t lines;
	uint64_t events[TEV_NR];	/* kmalloc kfree cache_alloc cache_free page_alloc page_free batched */
	const char *other[2];
	uint64_t other_count[2];
};

static const struct expect slices[] = {
	{ ftrace_slice, TF_FTRACE, 3000, { 232, 462, 1030, 796, 302, 86, 78 },
	  { "alloc_vmap_area" }, { 2 } },
	{ tracecmd_slice, TF_TRACE_CMD_REPORT, 3000, { 232, 462, 1030, 796, 313, 86, 78 },
	  { "alloc_vmap_area" }, { 2 } },
	{ perf_slice, TF_PERF_SCRIPT, 3000, { 361, 526, 1081, 569, 407, 29, 25 },
	  { "alloc_vmap_area", "mm_page_alloc_zone_locked" }, { 1, 1 } },
	{ cp_slice, TF_FTRACE, 3012, { 75, 380, 1023, 836, 266, 233, 187 }, { NULL }, { 0 } },
};

static struct trace_reader *open_slice(struct kunit *test, const char *path)
{
	char err[512];
	struct trace_reader *r = trace_open(path, err, sizeof(err));

	if (!r)
		KUNIT_FAIL_MSG(test, "%s", err);
	KUNIT_ASSERT_NOT_NULL(test, r);
	return r;
}

static void slice_counts(struct kunit *test)
{
	for (size_t i = 0; i < sizeof(slices) / sizeof(slices[0]); i++) {
		const struct expect *x = &slices[i];
		struct trace_reader *r = open_slice(test, x->path);
		const struct trace_stats *st;
		struct trace_event ev;
		uint64_t events[TEV_NR] = { 0 }, count;
		int ret;

		while ((ret = trace_next(r, &ev)) > 0)
			events[ev.type]++;
		KUNIT_EXPECT_EQ(test, ret, 0);
		st = trace_stats(r);
		printf("    # %s: %s, %" PRIu64 " lines\n", strrchr(x->path, '/') + 1,
		       trace_format_name(st->format), st->lines);
		KUNIT_EXPECT_EQ(test, st->format, x->format);
		KUNIT_EXPECT_EQ(test, st->lines, x->lines);
		KUNIT_EXPECT_EQ(test, st->malformed, 0);
		KUNIT_EXPECT_EQ(test, st->gfp_unknown, 0);
		KUNIT_EXPECT_STREQ(test, st->compression, "xz");
		for (int t = 0; t < TEV_NR; t++) {
			KUNIT_EXPECT_EQ(test, events[t], x->events[t]);
			KUNIT_EXPECT_EQ(test, st->events[t], x->events[t]);
		}
		for (size_t k = 0; k < 2; k++) {
			const char *name = trace_other_event(r, k, &count);

			if (!x->other[k]) {
				KUNIT_EXPECT_NULL(test, name);
				break;
			}
			KUNIT_EXPECT_STREQ(test, name, x->other[k]);
			KUNIT_EXPECT_EQ(test, count, x->other_count[k]);
		}
		trace_close(r);
	}
}

/* The raw ftrace text and the trace-cmd report of one recording: the same events. */
static void ftrace_equals_trace_cmd(struct kunit *test)
{
	struct trace_reader *a = open_slice(test, ftrace_slice);
	struct trace_reader *b = open_slice(test, tracecmd_slice);
	struct trace_event ea, eb;
	int n = 0, ra, rb;

	while ((ra = trace_next(a, &ea)) > 0 && (rb = trace_next(b, &eb)) > 0) {
		int64_t dt = (int64_t)(ea.ts_ns - eb.ts_ns);

		if (ea.type != eb.type || ea.cpu != eb.cpu || ea.pid != eb.pid ||
		    strcmp(trace_str(a, ea.comm), trace_str(b, eb.comm)) ||
		    strcmp(trace_str(a, ea.call_site), trace_str(b, eb.call_site)) ||
		    strcmp(trace_str(a, ea.cache), trace_str(b, eb.cache)) ||
		    ea.bytes_req != eb.bytes_req || ea.bytes_alloc != eb.bytes_alloc ||
		    ea.gfp != eb.gfp || ea.node != eb.node || ea.accounted != eb.accounted ||
		    ea.pfn != eb.pfn || ea.order != eb.order || ea.migratetype != eb.migratetype ||
		    ea.failed != eb.failed || (ea.ptr == 0) != (eb.ptr == 0) || dt > 1000 || dt < -1000) {
			KUNIT_FAIL_MSG(test, "event %d differs: ftrace line %" PRIu64 ", trace-cmd line %" PRIu64,
				       n, ea.line, eb.line);
			break;
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 2986);	/* all of the ftrace slice */
	trace_close(a);
	trace_close(b);
}

/*
 * Since 2.6.33 a batched free logs mm_page_free and then
 * mm_page_free_batched of the same pfn: replay frees on the first only.
 */
static void batched_frees_follow_frees(struct kunit *test)
{
	static const char *const paths[] = { ftrace_slice, perf_slice, cp_slice };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct trace_reader *r = open_slice(test, paths[i]);
		struct trace_event ev;
		uint64_t *pending = calloc(4096, sizeof(*pending));
		size_t nr = 0, batched = 0, unmatched = 0;

		KUNIT_ASSERT_NOT_NULL(test, pending);
		while (trace_next(r, &ev) > 0) {
			if (ev.type == TEV_PAGE_FREE && nr < 4096) {
				pending[nr++] = ev.pfn;
			} else if (ev.type == TEV_PAGE_FREE_BATCHED) {
				size_t k;

				batched++;
				for (k = 0; k < nr && pending[k] != ev.pfn; k++)
					;
				if (k == nr)
					unmatched++;
				else
					pending[k] = pending[--nr];
			}
		}
		KUNIT_EXPECT_GT(test, batched, 0);
		KUNIT_EXPECT_EQ(test, unmatched, 0);
		free(pending);
		trace_close(r);
	}
}

/* Through the xz program as through the library: the same events. */
static void program_equals_library(struct kunit *test)
{
	char err[512];
	struct trace_reader *a = open_slice(test, cp_slice);
	struct trace_reader *b = trace_open_flags(cp_slice, TRACE_OPEN_NO_LIBRARIES, err, sizeof(err));
	struct trace_event ea, eb;
	int n = 0;

	if (!b) {
		printf("    # %s: only one way to decompress here\n", err);
		trace_close(a);
		return;
	}
	while (trace_next(a, &ea) > 0) {
		KUNIT_ASSERT_EQ(test, trace_next(b, &eb), 1);
		if (ea.type != eb.type || ea.ptr != eb.ptr || ea.pfn != eb.pfn || ea.ts_ns != eb.ts_ns ||
		    ea.line != eb.line) {
			KUNIT_FAIL_MSG(test, "event %d differs", n);
			break;
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, trace_next(b, &eb), 0);
	KUNIT_EXPECT_EQ(test, n, 3000);
	trace_close(a);
	trace_close(b);
}

static int suite_init(void)
{
	char err[512];
	struct trace_reader *r = trace_open(cp_slice, err, sizeof(err));

	if (!r) {
		if (strstr(err, "neither liblzma nor the xz program")) {
			kunit_skip_suite(err);
			return 0;
		}
		printf("# %s\n", err);
		return 1;
	}
	trace_close(r);
	return 0;
}

static struct kunit_case cases[] = {
	KUNIT_CASE(slice_counts),
	KUNIT_CASE(ftrace_equals_trace_cmd),
	KUNIT_CASE(batched_frees_follow_frees),
	KUNIT_CASE(program_equals_library),
	{}
};

KUNIT_MAIN_INIT("trace_data", cases, suite_init)
