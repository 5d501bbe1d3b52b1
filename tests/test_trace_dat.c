/* SPDX-License-Identifier: MIT */
/*
 * trace.dat through libtracecmd: ../shared's trace.dat (1.4 MB, kept out of
 * the repository) read as `trace-cmd report` of it reads, event by event
 * and field by field (its text prints microseconds, the file holds ns);
 * the same file xz-compressed (copied to a memory file for libtracecmd);
 * and cut short, or with bytes changed where libtracecmd itself crashes,
 * read as far as it goes or refused, never a crash. Skipped (77) in a build without libtracecmd, or where
 * ../shared is absent.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kunit.h"
#include "trace.h"

extern char **environ;

#define FORMATS KMM_SHARED_DIR "/traces/linux-6.18-formats"
#define DAT FORMATS "/trace.dat"
#define REPORT FORMATS "/trace-cmd-report.txt.xz"

static struct trace_reader *open_ok(struct kunit *test, const char *path)
{
	char err[512];
	struct trace_reader *r = trace_open(path, err, sizeof(err));

	if (!r)
		KUNIT_FAIL_MSG(test, "%s", err);
	KUNIT_ASSERT_NOT_NULL(test, r);
	return r;
}

static void dat_counts(struct kunit *test)
{
	static const uint64_t want[TEV_NR] = { 805, 1331, 2907, 2681, 11541, 11462, 11360 };
	struct trace_reader *r = open_ok(test, DAT);
	const struct trace_stats *st;
	struct trace_event ev;
	uint64_t events[TEV_NR] = { 0 }, count, last_ts = 0;
	const char *name;
	int ret;

	while ((ret = trace_next(r, &ev)) > 0) {
		events[ev.type]++;
		KUNIT_EXPECT_GE(test, ev.ts_ns, last_ts);	/* merged across CPUs in time order */
		last_ts = ev.ts_ns;
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	st = trace_stats(r);
	KUNIT_EXPECT_EQ(test, st->format, TF_TRACE_DAT);
	KUNIT_EXPECT_EQ(test, st->lines, 42093);	/* records */
	KUNIT_EXPECT_EQ(test, st->malformed, 0);
	KUNIT_EXPECT_EQ(test, st->gfp_unknown, 0);
	for (int t = 0; t < TEV_NR; t++)
		KUNIT_EXPECT_EQ(test, events[t], want[t]);
	KUNIT_EXPECT_EQ(test, st->other_events, 6);
	name = trace_other_event(r, 0, &count);
	KUNIT_EXPECT_STREQ(test, name, "alloc_vmap_area");
	KUNIT_EXPECT_EQ(test, count, 2);
	name = trace_other_event(r, 1, &count);
	KUNIT_EXPECT_STREQ(test, name, "mm_page_alloc_zone_locked");
	KUNIT_EXPECT_EQ(test, count, 4);
	trace_close(r);
}

/* trace.dat and `trace-cmd report` of it: the same events, the same fields. */
static void dat_equals_report(struct kunit *test)
{
	struct trace_reader *a = open_ok(test, DAT), *b = open_ok(test, REPORT);
	struct trace_event ea, eb;
	int n = 0, ra;

	while ((ra = trace_next(a, &ea)) > 0) {
		int64_t dt;

		KUNIT_ASSERT_EQ(test, trace_next(b, &eb), 1);
		dt = (int64_t)(ea.ts_ns - eb.ts_ns);
		if (ea.type != eb.type || ea.cpu != eb.cpu || ea.pid != eb.pid || ea.ptr != eb.ptr ||
		    strcmp(trace_str(a, ea.comm), trace_str(b, eb.comm)) ||
		    strcmp(trace_str(a, ea.call_site), trace_str(b, eb.call_site)) ||
		    strcmp(trace_str(a, ea.cache), trace_str(b, eb.cache)) ||
		    ea.bytes_req != eb.bytes_req || ea.bytes_alloc != eb.bytes_alloc ||
		    ea.gfp != eb.gfp || ea.node != eb.node || ea.accounted != eb.accounted ||
		    ea.pfn != eb.pfn || ea.order != eb.order || ea.migratetype != eb.migratetype ||
		    ea.failed != eb.failed || dt >= 1000 || dt <= -1000) {
			KUNIT_FAIL_MSG(test, "event %d differs: record %" PRIu64 " (%s %s), report line %" PRIu64
				       " (%s %s)", n, ea.line, trace_ev_name(ea.type),
				       trace_str(a, ea.call_site), eb.line, trace_ev_name(eb.type),
				       trace_str(b, eb.call_site));
			break;
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, ra, 0);
	KUNIT_EXPECT_EQ(test, trace_next(b, &eb), 0);
	KUNIT_EXPECT_EQ(test, n, 42087);
	trace_close(a);
	trace_close(b);
}

/* Copies the first n bytes of src (all when n is 0) to a new file; its name. */
static char *copy_prefix(const char *src, size_t n)
{
	char *path = strdup("trace-dat-XXXXXX");
	int in = open(src, O_RDONLY), out = path ? mkstemp(path) : -1;
	char buf[65536];
	size_t done = 0;
	ssize_t k;

	while (in >= 0 && out >= 0 && (!n || done < n) &&
	       (k = read(in, buf, !n || n - done > sizeof(buf) ? sizeof(buf) : n - done)) > 0) {
		if (write(out, buf, (size_t)k) != k)
			break;
		done += (size_t)k;
	}
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (out < 0) {
		free(path);
		return NULL;
	}
	return path;
}

static void dat_compressed(struct kunit *test)
{
	char *plain = copy_prefix(DAT, 0);
	char xz[64];
	char *argv[] = { (char *)"xz", (char *)"-k", (char *)"-1", (char *)"-T1", plain, NULL };
	posix_spawn_file_actions_t fa;
	struct trace_reader *r;
	pid_t pid;
	int status = -1;

	KUNIT_ASSERT_NOT_NULL(test, plain);
	snprintf(xz, sizeof(xz), "%s.xz", plain);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "xz", &fa, NULL, argv, environ) || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("    # xz is not installed: compressed trace.dat not tried\n");
	} else {
		struct trace_event ev;
		int n = 0, ret;

		r = open_ok(test, xz);
		while ((ret = trace_next(r, &ev)) > 0)
			n++;
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, n, 42087);
		KUNIT_EXPECT_EQ(test, trace_stats(r)->format, TF_TRACE_DAT);
		KUNIT_EXPECT_STREQ(test, trace_stats(r)->compression, "xz");
		trace_close(r);
	}
	posix_spawn_file_actions_destroy(&fa);
	unlink(xz);
	unlink(plain);
	free(plain);
}

/* Cut anywhere: refused with a message, or read as far as it goes; never a crash. */
static void dat_cut(struct kunit *test)
{
	static const size_t cuts[] = { 12, 100, 4096, 65536, 600000, 1300000 };

	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		char *path = copy_prefix(DAT, cuts[i]);
		char err[512] = "";
		struct trace_reader *r;

		KUNIT_ASSERT_NOT_NULL(test, path);
		r = trace_open(path, err, sizeof(err));
		if (r) {
			struct trace_event ev;
			int n = 0, ret;

			while ((ret = trace_next(r, &ev)) > 0)
				n++;
			printf("    # cut at %zu bytes: %d events, then %s\n", cuts[i], n,
			       ret ? trace_error(r) : "the end");
			KUNIT_EXPECT_LE(test, n, 42087);
			trace_close(r);
		} else {
			printf("    # cut at %zu bytes: %s\n", cuts[i], err);
			KUNIT_EXPECT_STRSTR(test, err, path);
		}
		unlink(path);
		free(path);
	}
}

/*
 * Bytes of the file changed where libtracecmd 3.1.6 dereferences NULL in its
 * own clean-up (found by flipping bytes): the reader reports it, and lives.
 */
static void dat_corrupt(struct kunit *test)
{
	static const struct {
		long offset;
		unsigned char byte;
	} flips[] = { { 1145653, 0x2d }, { 1146645, 0x9d }, { 72679, 0x30 }, { 733487, 0x4d } };

	for (size_t i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		char *path = copy_prefix(DAT, 0);
		char err[512] = "";
		struct trace_reader *r;
		int fd;

		KUNIT_ASSERT_NOT_NULL(test, path);
		fd = open(path, O_WRONLY);
		KUNIT_ASSERT_GE(test, fd, 0);
		KUNIT_EXPECT_EQ(test, pwrite(fd, &flips[i].byte, 1, flips[i].offset), 1);
		close(fd);
		r = trace_open(path, err, sizeof(err));
		if (r) {
			struct trace_event ev;
			int n = 0, ret;

			while ((ret = trace_next(r, &ev)) > 0)
				n++;
			printf("    # byte %ld = %#x: %d events, then %s\n", flips[i].offset,
			       flips[i].byte, n, ret ? trace_error(r) : "the end");
			trace_close(r);
		} else {
			printf("    # byte %ld = %#x: %s\n", flips[i].offset, flips[i].byte, err);
			KUNIT_EXPECT_STRSTR(test, err, path);
		}
		unlink(path);
		free(path);
	}
}

static int suite_init(void)
{
#ifndef KMM_HAVE_LIBTRACECMD
	kunit_skip_suite("this build has no libtracecmd");
#else
	if (access(DAT, R_OK) || access(REPORT, R_OK))
		kunit_skip_suite("no ../shared/traces/linux-6.18-formats/trace.dat next to the project");
#endif
	return 0;
}

static struct kunit_case cases[] = {
	KUNIT_CASE(dat_counts),
	KUNIT_CASE(dat_equals_report),
	KUNIT_CASE(dat_compressed),
	KUNIT_CASE(dat_cut),
	KUNIT_CASE(dat_corrupt),
	{}
};

KUNIT_MAIN_INIT("trace_dat", cases, suite_init)
