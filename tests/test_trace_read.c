/* SPDX-License-Identifier: MIT */
/*
 * The trace readers of `kmm replay` (tools/kmm/trace*.c) on hand-written
 * lines of every text format: each field of each kmem event read exactly,
 * as the formats and the kernel versions print them; the pitfalls of
 * issue 6 (task names with spaces and colons, hashed and real pointers,
 * perf's page= holding the pfn, batched frees logged twice, hex gfp,
 * trace-cmd instances); other events counted; malformed, truncated, cut and
 * CRLF lines; empty and eventless input; gzip and xz through the libraries
 * and the programs; stdin; several readers at once; the messages of what
 * cannot be read.
 *
 * Files are made in the working directory (the build tree) and removed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kunit.h"
#include "trace.h"

extern char **environ;

/* ---- helpers ---- */

/* A file in the working directory holding n bytes of data; its name (to free and unlink). */
static char *temp_file(const void *data, size_t n)
{
	char *path = strdup("trace-test-XXXXXX");
	int fd;

	if (!path)
		return NULL;
	fd = mkstemp(path);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	if (write(fd, data, n) != (ssize_t)n) {
		close(fd);
		unlink(path);
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

static void temp_done(char *path)
{
	if (path) {
		unlink(path);
		free(path);
	}
}

/* Runs argv with stdout to out_path; true when it ran and exited 0. */
static bool run_to_file(char *const argv[], const char *out_path)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		return false;
	}
	posix_spawn_file_actions_destroy(&fa);
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status);
}

/* The file at path compressed by prog ("xz", "gzip"), as a new temp file; NULL when prog is missing. */
static char *compress_file(const char *prog, const char *path)
{
	char *out = temp_file("", 0);
	char *argv[] = { (char *)prog, (char *)"-c", (char *)path, NULL };

	if (!out)
		return NULL;
	if (!run_to_file(argv, out)) {
		temp_done(out);
		return NULL;
	}
	return out;
}

static struct trace_reader *open_ok(struct kunit *test, const char *path, unsigned int flags)
{
	char err[512] = "";
	struct trace_reader *r = trace_open_flags(path, flags, err, sizeof(err));

	if (!r)
		KUNIT_FAIL_MSG(test, "trace_open(%s): %s", path, err);
	KUNIT_ASSERT_NOT_NULL(test, r);
	return r;
}

#define NEXT(test, r, ev) KUNIT_ASSERT_EQ(test, trace_next(r, &(ev)), 1)

/* A reader of text; *path to give to temp_done. */
static struct trace_reader *open_text(struct kunit *test, const char *text, char **path)
{
	*path = temp_file(text, strlen(text));
	KUNIT_ASSERT_NOT_NULL(test, *path);
	return open_ok(test, *path, 0);
}

/* Events left, by reading to the end; asserts the end is not an error. */
static int drain(struct kunit *test, struct trace_reader *r)
{
	struct trace_event ev;
	int n = 0, ret;

	while ((ret = trace_next(r, &ev)) > 0)
		n++;
	KUNIT_EXPECT_EQ(test, ret, 0);
	return n;
}

/* ---- raw ftrace text ---- */

static const char ftrace_text[] =
	"# tracer: nop\n"
	"#\n"
	"# entries-in-buffer/entries-written: 42093/42093   #P:2\n"
	"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
	"#              | |         |   |||||     |         |\n"
	"           wl.sh-11449   [001] .....   584.143630: kmem_cache_free: call_site=__fput+0x141/0x2a0 ptr=00000000e09ef43b name=lsm_file_cache\n"
	"           wl.sh-11449   [001] .....   584.143643: kmem_cache_alloc: call_site=getname_flags.part.0+0x24/0x1f0 ptr=0000000007f12f17 name=names_cache bytes_req=4096 bytes_alloc=4096 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
	"           wl.sh-11449   [001] .....   584.143652: kmalloc: call_site=alloc_bprm+0x45/0x220 ptr=00000000d3f8d9bd bytes_req=408 bytes_alloc=512 gfp_flags=GFP_KERNEL|__GFP_ZERO node=-1 accounted=false\n"
	"           wl.sh-11449   [001] .....   584.143657: mm_page_alloc: page=000000003f20eb1b pfn=0x1488ce order=0 migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP\n"
	"           wl.sh-11449   [001] .....   584.143659: kfree: call_site=ida_alloc_range+0x39b/0x400 ptr=0000000000000000\n"
	"           wl.sh-11449   [001] .....   584.143869: mm_page_free: page=00000000c5e8ff9e pfn=0x128d36 order=0\n"
	"           wl.sh-11449   [001] ...2.   584.143869: mm_page_free_batched: page=00000000c5e8ff9e pfn=0x128d36 order=0\n"
	"         python3-11470   [000] .....   585.000001: mm_page_alloc: page=00000000aa5e8f9e pfn=0x14b8e9 order=3 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_NOWARN|__GFP_COMP\n"
	"         python3-11470   [000] d..3.   585.000002: mm_page_pcpu_drain: page=00000000e66c53b4 pfn=0x14b8e9 order=0 migratetype=0\n"
	"         python3-11470   [000] .....   585.000003: kmem_cache_alloc: call_site=mas_alloc_nodes+0x1a/0x200 ptr=000000000c1fa8f0 name=maple_node bytes_req=256 bytes_alloc=256 gfp_flags=GFP_NOWAIT|__GFP_NORETRY|__GFP_NOMEMALLOC node=0 accounted=true\n";

static void ftrace_every_field(struct kunit *test)
{
	char *path;
	struct trace_reader *r = open_text(test, ftrace_text, &path);
	const struct trace_stats *st;
	struct trace_event ev;
	uint64_t count;

	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_CACHE_FREE);
	KUNIT_EXPECT_EQ(test, ev.ts_ns, 584143630000ull);
	KUNIT_EXPECT_EQ(test, ev.cpu, 1);
	KUNIT_EXPECT_EQ(test, ev.pid, 11449);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "wl.sh");
	KUNIT_EXPECT_EQ(test, ev.ptr, 0xe09ef43bull);	/* the hash, as printed */
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.call_site), "__fput+0x141");
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.cache), "lsm_file_cache");
	KUNIT_EXPECT_EQ(test, ev.line, 6);
	KUNIT_EXPECT_FALSE(test, ev.failed);
	KUNIT_EXPECT_EQ(test, ev.instance, 0);

	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_CACHE_ALLOC);
	KUNIT_EXPECT_EQ(test, ev.ts_ns, 584143643000ull);
	KUNIT_EXPECT_EQ(test, ev.ptr, 0x7f12f17ull);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.call_site), "getname_flags.part.0+0x24");
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.cache), "names_cache");
	KUNIT_EXPECT_EQ(test, ev.bytes_req, 4096);
	KUNIT_EXPECT_EQ(test, ev.bytes_alloc, 4096);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, ev.node, -1);
	KUNIT_EXPECT_FALSE(test, ev.accounted);
	KUNIT_EXPECT_EQ(test, ev.line, 7);

	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_KMALLOC);
	KUNIT_EXPECT_EQ(test, ev.ptr, 0xd3f8d9bdull);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.call_site), "alloc_bprm+0x45");
	KUNIT_EXPECT_EQ(test, ev.cache, 0);
	KUNIT_EXPECT_EQ(test, ev.bytes_req, 408);
	KUNIT_EXPECT_EQ(test, ev.bytes_alloc, 512);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_KERNEL | KMM___GFP_ZERO);

	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_ALLOC);
	KUNIT_EXPECT_EQ(test, ev.pfn, 0x1488ce);
	KUNIT_EXPECT_EQ(test, ev.order, 0);
	KUNIT_EXPECT_EQ(test, ev.migratetype, 0);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_KERNEL_ACCOUNT | KMM___GFP_ZERO | KMM___GFP_COMP);
	KUNIT_EXPECT_EQ(test, ev.ptr, 0);	/* page= is never the pfn's source */
	KUNIT_EXPECT_EQ(test, ev.call_site, 0);
	KUNIT_EXPECT_FALSE(test, ev.failed);

	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_KFREE);
	KUNIT_EXPECT_EQ(test, ev.ptr, 0);	/* kfree(NULL): a NULL %p is not hashed */
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.call_site), "ida_alloc_range+0x39b");

	/* a batched free: mm_page_free, then mm_page_free_batched of the same pfn */
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_FREE);
	KUNIT_EXPECT_EQ(test, ev.pfn, 0x128d36);
	KUNIT_EXPECT_EQ(test, ev.order, 0);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_FREE_BATCHED);
	KUNIT_EXPECT_EQ(test, ev.pfn, 0x128d36);
	KUNIT_EXPECT_EQ(test, ev.ts_ns, 584143869000ull);

	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_ALLOC);
	KUNIT_EXPECT_EQ(test, ev.cpu, 0);
	KUNIT_EXPECT_EQ(test, ev.pid, 11470);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "python3");
	KUNIT_EXPECT_EQ(test, ev.pfn, 0x14b8e9);
	KUNIT_EXPECT_EQ(test, ev.order, 3);
	KUNIT_EXPECT_EQ(test, ev.migratetype, 1);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_HIGHUSER_MOVABLE | KMM___GFP_NOWARN | KMM___GFP_COMP);

	/* mm_page_pcpu_drain is counted and skipped */
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_CACHE_ALLOC);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_NOWAIT | KMM___GFP_NORETRY | KMM___GFP_NOMEMALLOC);
	KUNIT_EXPECT_EQ(test, ev.node, 0);
	KUNIT_EXPECT_TRUE(test, ev.accounted);
	KUNIT_EXPECT_EQ(test, ev.line, 15);

	KUNIT_EXPECT_EQ(test, trace_next(r, &ev), 0);
	KUNIT_EXPECT_EQ(test, trace_next(r, &ev), 0);	/* the end stays the end */
	st = trace_stats(r);
	KUNIT_EXPECT_EQ(test, st->format, TF_FTRACE);
	KUNIT_EXPECT_STREQ(test, trace_format_name(st->format), "ftrace");
	KUNIT_EXPECT_EQ(test, st->lines, 15);
	KUNIT_EXPECT_EQ(test, st->skipped_lines, 5);
	KUNIT_EXPECT_EQ(test, st->malformed, 0);
	KUNIT_EXPECT_EQ(test, st->events[TEV_CACHE_FREE], 1);
	KUNIT_EXPECT_EQ(test, st->events[TEV_CACHE_ALLOC], 2);
	KUNIT_EXPECT_EQ(test, st->events[TEV_KMALLOC], 1);
	KUNIT_EXPECT_EQ(test, st->events[TEV_KFREE], 1);
	KUNIT_EXPECT_EQ(test, st->events[TEV_PAGE_ALLOC], 2);
	KUNIT_EXPECT_EQ(test, st->events[TEV_PAGE_FREE], 1);
	KUNIT_EXPECT_EQ(test, st->events[TEV_PAGE_FREE_BATCHED], 1);
	KUNIT_EXPECT_EQ(test, st->other_events, 1);
	KUNIT_EXPECT_STREQ(test, trace_other_event(r, 0, &count), "mm_page_pcpu_drain");
	KUNIT_EXPECT_EQ(test, count, 1);
	KUNIT_EXPECT_NULL(test, trace_other_event(r, 1, &count));
	KUNIT_EXPECT_EQ(test, st->bytes_in, sizeof(ftrace_text) - 1);
	KUNIT_EXPECT_EQ(test, st->bytes_file, sizeof(ftrace_text) - 1);
	KUNIT_EXPECT_EQ(test, st->file_size, sizeof(ftrace_text) - 1);
	KUNIT_EXPECT_NULL(test, st->compression);
	trace_close(r);
	temp_done(path);
}

/*
 * Task names with spaces, dashes, colons and brackets; the record-tgid
 * column; trace_pipe without a header or flags; <idle> and <...>; ns and
 * integer timestamps.
 */
static void ftrace_task_names(struct kunit *test)
{
	static const char text[] =
		"     Web Content-4321    [003] d..2.  1234.567890: kfree: call_site=f+0x1/0x2 ptr=0000000011112222\n"
		"  kworker/u8:2-12345 (  12345) [000] .....  10.000001: kfree: call_site=g+0x1/0x2 ptr=0000000011112223\n"
		"    a-1 [0] x: y-5    [001] ....   5.5: kfree: call_site=h+0x1/0x2 ptr=0000000011112224\n"
		"          <idle>-0     [001] d.s2  11.000000: kfree: call_site=i+0x1/0x2 ptr=0000000011112225\n"
		"           <...>-77    (-------) [002] .N...  12.123456789: kfree: call_site=j+0x1/0x2 ptr=0000000011112226\n"
		"   my-app-1-2-333 [001] 13.5: kfree: call_site=k+0x1/0x2 ptr=0000000011112227\n"
		"            bash-9     [007] ....  123456789: kfree: call_site=l+0x1/0x2 ptr=0000000011112228\n";
	char *path;
	struct trace_reader *r = open_text(test, text, &path);
	struct trace_event ev;

	NEXT(test, r, ev);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "Web Content");
	KUNIT_EXPECT_EQ(test, ev.pid, 4321);
	KUNIT_EXPECT_EQ(test, ev.cpu, 3);
	KUNIT_EXPECT_EQ(test, ev.ts_ns, 1234567890000ull);
	NEXT(test, r, ev);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "kworker/u8:2");
	KUNIT_EXPECT_EQ(test, ev.pid, 12345);
	KUNIT_EXPECT_EQ(test, ev.cpu, 0);
	NEXT(test, r, ev);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "a-1 [0] x: y");
	KUNIT_EXPECT_EQ(test, ev.pid, 5);
	KUNIT_EXPECT_EQ(test, ev.cpu, 1);
	KUNIT_EXPECT_EQ(test, ev.ts_ns, 5500000000ull);
	NEXT(test, r, ev);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "<idle>");
	KUNIT_EXPECT_EQ(test, ev.pid, 0);
	NEXT(test, r, ev);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "<...>");
	KUNIT_EXPECT_EQ(test, ev.pid, 77);
	KUNIT_EXPECT_EQ(test, ev.cpu, 2);
	KUNIT_EXPECT_EQ(test, ev.ts_ns, 12123456789ull);
	NEXT(test, r, ev);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "my-app-1-2");
	KUNIT_EXPECT_EQ(test, ev.pid, 333);
	KUNIT_EXPECT_EQ(test, ev.ts_ns, 13500000000ull);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.ts_ns, 123456789ull);	/* a counter clock: taken as is */
	KUNIT_EXPECT_EQ(test, trace_next(r, &ev), 0);
	KUNIT_EXPECT_EQ(test, trace_stats(r)->malformed, 0);
	KUNIT_EXPECT_EQ(test, trace_stats(r)->format, TF_FTRACE);
	trace_close(r);
	temp_done(path);
}

/* ---- perf script ---- */

static void perf_script_fields(struct kunit *test)
{
	static const char text[] =
		"           wl.sh 11342 [001]   577.594834:          kmem:kmem_cache_alloc: call_site=mas_preallocate+0x3ef ptr=0xffff88811de97e00 name=maple_node bytes_req=256 bytes_alloc=256 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
		"           wl.sh 11342 [001]   577.594840:             kmem:mm_page_alloc: page=0x1531a8 pfn=0x1531a8 order=0 migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP\n"
		"           wl.sh 11342 [001]   577.594850:                     kmem:kfree: call_site=perf_event_mmap+0x258 ptr=(nil)\n"
		"     Web Content  4321 [000]   577.600000: kmem:mm_page_alloc_zone_locked: page=0x1531a9 pfn=0x1531a9 order=0 migratetype=0 percpu_refill=1\n"
		"     Web Content  4321 [000]   577.600001: vmalloc:alloc_vmap_area: va_start: 18446683600570097664 size=8192 align=4096 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=0\n"
		"      python3  100/101 [001]   577.700000: kmem:mm_page_free: page=0x1531a8 pfn=0x1531a8 order=0\n"
		"      python3  100/101 [001]   577.700000: kmem:mm_page_free_batched: page=0x1531a8 pfn=0x1531a8 order=0\n"
		"      python3   101   577.800000:   kmem:kmalloc: call_site=alloc_bprm+0x45 ptr=0xffff88815db2b800 bytes_req=408 bytes_alloc=512 gfp_flags=GFP_KERNEL|__GFP_ZERO node=-1 accounted=false\n";
	char *path;
	struct trace_reader *r = open_text(test, text, &path);
	const struct trace_stats *st;
	struct trace_event ev;
	uint64_t count;

	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_CACHE_ALLOC);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "wl.sh");
	KUNIT_EXPECT_EQ(test, ev.pid, 11342);
	KUNIT_EXPECT_EQ(test, ev.cpu, 1);
	KUNIT_EXPECT_EQ(test, ev.ts_ns, 577594834000ull);
	KUNIT_EXPECT_EQ(test, ev.ptr, 0xffff88811de97e00ull);	/* real pointers */
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.call_site), "mas_preallocate+0x3ef");
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.cache), "maple_node");
	KUNIT_EXPECT_EQ(test, ev.bytes_req, 256);
	KUNIT_EXPECT_EQ(test, ev.bytes_alloc, 256);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_KERNEL);

	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_ALLOC);
	KUNIT_EXPECT_EQ(test, ev.pfn, 0x1531a8);	/* pfn=, which page= repeats in perf */
	KUNIT_EXPECT_FALSE(test, ev.failed);

	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_KFREE);
	KUNIT_EXPECT_EQ(test, ev.ptr, 0);	/* (nil) */
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.call_site), "perf_event_mmap+0x258");

	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_FREE);
	KUNIT_EXPECT_EQ(test, ev.pid, 101);	/* PID/TID: the thread */
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "python3");
	KUNIT_EXPECT_EQ(test, ev.pfn, 0x1531a8);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_FREE_BATCHED);
	KUNIT_EXPECT_EQ(test, ev.pfn, 0x1531a8);

	NEXT(test, r, ev);	/* perf script -F without cpu */
	KUNIT_EXPECT_EQ(test, ev.type, TEV_KMALLOC);
	KUNIT_EXPECT_EQ(test, ev.cpu, -1);
	KUNIT_EXPECT_EQ(test, ev.pid, 101);
	KUNIT_EXPECT_EQ(test, ev.ts_ns, 577800000000ull);
	KUNIT_EXPECT_EQ(test, ev.ptr, 0xffff88815db2b800ull);

	KUNIT_EXPECT_EQ(test, trace_next(r, &ev), 0);
	st = trace_stats(r);
	KUNIT_EXPECT_EQ(test, st->format, TF_PERF_SCRIPT);
	KUNIT_EXPECT_STREQ(test, trace_format_name(st->format), "perf script");
	KUNIT_EXPECT_EQ(test, st->malformed, 0);
	KUNIT_EXPECT_EQ(test, st->other_events, 2);
	KUNIT_EXPECT_STREQ(test, trace_other_event(r, 0, &count), "mm_page_alloc_zone_locked");
	KUNIT_EXPECT_EQ(test, count, 1);
	KUNIT_EXPECT_STREQ(test, trace_other_event(r, 1, &count), "alloc_vmap_area");
	KUNIT_EXPECT_EQ(test, count, 1);
	trace_close(r);
	temp_done(path);
}

/* ---- trace-cmd report ---- */

static void trace_cmd_report(struct kunit *test)
{
	static const char text[] =
		"cpus=2\n"
		"           wl.sh-11449 [001]   584.143630: kmem_cache_free:      (__fput+0x141) call_site=__fput+0x141 ptr=0xffff8881066556f0 name=lsm_file_cache\n"
		"           wl.sh-11449 [001]   584.143652: kmalloc:              (alloc_bprm+0x45) call_site=alloc_bprm+0x45 ptr=0xffff88815db2b800 bytes_req=408 bytes_alloc=512 gfp_flags=GFP_KERNEL|__GFP_ZERO node=-1 accounted=false\n"
		"           wl.sh-11449 [001]   584.143657: mm_page_alloc:        page=0x1488ce pfn=0x1488ce order=0 migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP\n"
		"           wl.sh-11449 [001]   584.143659: kfree:                (ida_alloc_range+0x39b) call_site=ida_alloc_range+0x39b ptr=(nil)\n"
		"           wl.sh-11449 [001]   584.143869: mm_page_free_batched: page=0x128d36 pfn=0x128d36 order=0\n"
		/* an instance: "name: " before the 16-column task */
		"     foo: " "              dd-11451 [000]   584.150000: kmalloc:              (kvmalloc_node_noprof+0x43) call_site=kvmalloc_node_noprof+0x43 ptr=0xffff888100001000 bytes_req=8192 bytes_alloc=8192 gfp_flags=GFP_KERNEL_ACCOUNT node=-1 accounted=true\n"
		"                  a: b-12 [000]   584.150001: kfree:                (f+0x1) call_site=f+0x1 ptr=0xffff888100001000\n"
		/* an old kernel's call_site=%lx: the plugin's symbol is better */
		"            bash-1 [000]    12.000000: kmem_cache_alloc:     (copy_process+0x18a) call_site=ffffffff8105a2ba ptr=0xffff88003a1b2c00 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL\n";
	char *path;
	struct trace_reader *r = open_text(test, text, &path);
	struct trace_event ev;

	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_CACHE_FREE);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "wl.sh");
	KUNIT_EXPECT_EQ(test, ev.pid, 11449);
	KUNIT_EXPECT_EQ(test, ev.cpu, 1);
	KUNIT_EXPECT_EQ(test, ev.ts_ns, 584143630000ull);
	KUNIT_EXPECT_EQ(test, ev.ptr, 0xffff8881066556f0ull);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.call_site), "__fput+0x141");
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.cache), "lsm_file_cache");
	KUNIT_EXPECT_EQ(test, ev.line, 2);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_KMALLOC);
	KUNIT_EXPECT_EQ(test, ev.bytes_req, 408);
	KUNIT_EXPECT_EQ(test, ev.bytes_alloc, 512);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_KERNEL | KMM___GFP_ZERO);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_ALLOC);
	KUNIT_EXPECT_EQ(test, ev.pfn, 0x1488ce);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_KFREE);
	KUNIT_EXPECT_EQ(test, ev.ptr, 0);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.call_site), "ida_alloc_range+0x39b");
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_FREE_BATCHED);
	KUNIT_EXPECT_EQ(test, ev.pfn, 0x128d36);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_KMALLOC);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.instance), "foo");
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "dd");
	KUNIT_EXPECT_EQ(test, ev.pid, 11451);
	KUNIT_EXPECT_EQ(test, ev.cpu, 0);
	KUNIT_EXPECT_TRUE(test, ev.accounted);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_KERNEL_ACCOUNT);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.instance, 0);	/* a task name with ": " is no instance */
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "a: b");
	NEXT(test, r, ev);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.call_site), "copy_process+0x18a");
	KUNIT_EXPECT_FALSE(test, ev.accounted);
	KUNIT_EXPECT_EQ(test, trace_next(r, &ev), 0);
	KUNIT_EXPECT_EQ(test, trace_stats(r)->format, TF_TRACE_CMD_REPORT);
	KUNIT_EXPECT_STREQ(test, trace_format_name(TF_TRACE_CMD_REPORT), "trace-cmd report");
	KUNIT_EXPECT_EQ(test, trace_stats(r)->malformed, 0);
	KUNIT_EXPECT_EQ(test, trace_stats(r)->skipped_lines, 1);
	trace_close(r);
	temp_done(path);
}

/* Without the cpus= line, trace-cmd report is known by its padded event names. */
static void trace_cmd_without_header(struct kunit *test)
{
	static const char text[] =
		"           wl.sh-11449 [001]   584.143657: mm_page_alloc:        page=0x1488ce pfn=0x1488ce order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
		"   inst: " "           wl.sh-11449 [001]   584.143658: mm_page_free:         page=0x1488ce pfn=0x1488ce order=0\n";
	char *path;
	struct trace_reader *r = open_text(test, text, &path);
	struct trace_event ev;

	NEXT(test, r, ev);
	NEXT(test, r, ev);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.instance), "inst");
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "wl.sh");
	KUNIT_EXPECT_EQ(test, trace_stats(r)->format, TF_TRACE_CMD_REPORT);
	trace_close(r);
	temp_done(path);
}

/* trace-cmd report of several files: "file: " before "cpus=" and every line. */
static void trace_cmd_file_prefix(struct kunit *test)
{
	static const char text[] =
		"trace.dat: cpus=2\n"
		"trace.dat: " "           wl.sh-11449 [001]   584.143657: mm_page_free:         page=0x1488ce pfn=0x1488ce order=0\n";
	char *path;
	struct trace_reader *r = open_text(test, text, &path);
	struct trace_event ev;

	NEXT(test, r, ev);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.instance), "trace.dat");
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.comm), "wl.sh");
	KUNIT_EXPECT_EQ(test, ev.pfn, 0x1488ce);
	KUNIT_EXPECT_EQ(test, trace_stats(r)->format, TF_TRACE_CMD_REPORT);
	KUNIT_EXPECT_EQ(test, trace_stats(r)->malformed, 0);
	trace_close(r);
	temp_done(path);
}

/* ---- what older kernels printed ---- */

static void old_layouts(struct kunit *test)
{
	static const char text[] =
		/* 2.6.32-5.5: call_site=%lx, no accounted=, no node= */
		"            bash-4922  [001]  1285.275311: kmalloc: call_site=ffffffff8118d2a5 ptr=ffff88003a1b2c00 bytes_req=11 bytes_alloc=16 gfp_flags=GFP_KERNEL|GFP_ACCOUNT\n"
		"            bash-4922  [001]  1285.275312: kmalloc: call_site=ffffffff8118d2a5 ptr=ffff88003a1b2c40 bytes_req=11 bytes_alloc=16 gfp_flags=GFP_KERNEL|__GFP_ACCOUNT\n"
		/* *_node events of < 6.2 */
		"            bash-4922  [001]  1285.275313: kmalloc_node: call_site=__alloc_skb+0x8e/0x1d0 ptr=ffff88003a1b2d00 bytes_req=512 bytes_alloc=512 gfp_flags=GFP_ATOMIC node=1\n"
		"            bash-4922  [001]  1285.275314: kmem_cache_alloc_node: call_site=__alloc_skb+0x5e/0x1d0 ptr=ffff88003a1b2e00 bytes_req=232 bytes_alloc=256 gfp_flags=0x2dc2 node=0\n"
		/* kmem_cache_alloc before name=, kmem_cache_free before name= */
		"            bash-4922  [001]  1285.275315: kmem_cache_alloc: call_site=ffffffff81234567 ptr=ffff88003a1b2f00 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_TEMPORARY|__GFP_NOTRACK\n"
		"            bash-4922  [001]  1285.275316: kmem_cache_free: call_site=ffffffff81234599 ptr=ffff88003a1b2f00\n"
		/* mm_page_alloc with page=%p pfn=%lu (decimal), a failed one with (null) */
		"            bash-4922  [001]  1285.275317: mm_page_alloc: page=ffffea0000d7d040 pfn=220993 order=0 migratetype=0 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COLD\n"
		"            bash-4922  [001]  1285.275318: mm_page_alloc: page=(null) pfn=0 order=9 migratetype=1 gfp_flags=GFP_TRANSHUGE|__GFP_NO_KSWAPD|__GFP_OTHER_NODE\n"
		/* < 3.3 free events */
		"            bash-4922  [001]  1285.275319: mm_page_free_direct: page=ffffea0000d7d040 pfn=220993 order=0\n"
		"            bash-4922  [001]  1285.275320: mm_pagevec_free: page=ffffea0000d7d080 pfn=220994 order=0 cold=0\n"
		/* 3.3-4.14: mm_page_free_batched with cold= */
		"            bash-4922  [001]  1285.275321: mm_page_free_batched: page=ffffea0000d7d0c0 pfn=220995 order=0 cold=1\n"
		/* 6.x failure: a NULL page prints as 0...0 and pfn=0x0 */
		"            bash-4922  [001]  1285.275322: mm_page_alloc: page=0000000000000000 pfn=0x0 order=4 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOWARN\n";
	char *path;
	struct trace_reader *r = open_text(test, text, &path);
	const struct trace_stats *st;
	struct trace_event ev;

	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_KMALLOC);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.call_site), "ffffffff8118d2a5");
	KUNIT_EXPECT_EQ(test, ev.node, -1);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_KERNEL);	/* GFP_ACCOUNT is no name of any kernel */
	KUNIT_EXPECT_FALSE(test, ev.accounted);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_KERNEL | KMM___GFP_ACCOUNT);
	KUNIT_EXPECT_TRUE(test, ev.accounted);	/* no accounted=: from __GFP_ACCOUNT */
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_KMALLOC);
	KUNIT_EXPECT_EQ(test, ev.node, 1);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_ATOMIC);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.call_site), "__alloc_skb+0x8e");
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_CACHE_ALLOC);
	KUNIT_EXPECT_EQ(test, ev.node, 0);
	KUNIT_EXPECT_EQ(test, ev.gfp, 0x2dc2);
	KUNIT_EXPECT_EQ(test, ev.bytes_req, 232);
	KUNIT_EXPECT_EQ(test, ev.bytes_alloc, 256);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_CACHE_ALLOC);
	KUNIT_EXPECT_EQ(test, ev.cache, 0);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_KERNEL | KMM___GFP_RECLAIMABLE);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_CACHE_FREE);
	KUNIT_EXPECT_EQ(test, ev.cache, 0);
	KUNIT_EXPECT_EQ(test, ev.ptr, 0xffff88003a1b2f00ull);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_ALLOC);
	KUNIT_EXPECT_EQ(test, ev.pfn, 220993);	/* decimal */
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_HIGHUSER_MOVABLE);
	KUNIT_EXPECT_FALSE(test, ev.failed);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_ALLOC);
	KUNIT_EXPECT_TRUE(test, ev.failed);
	KUNIT_EXPECT_EQ(test, ev.order, 9);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_TRANSHUGE & ~KMM___GFP_KSWAPD_RECLAIM);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_FREE);
	KUNIT_EXPECT_EQ(test, ev.pfn, 220993);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_FREE_BATCHED);
	KUNIT_EXPECT_EQ(test, ev.pfn, 220994);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_FREE_BATCHED);
	KUNIT_EXPECT_EQ(test, ev.pfn, 220995);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.type, TEV_PAGE_ALLOC);
	KUNIT_EXPECT_TRUE(test, ev.failed);
	KUNIT_EXPECT_EQ(test, ev.pfn, 0);
	KUNIT_EXPECT_EQ(test, trace_next(r, &ev), 0);
	st = trace_stats(r);
	KUNIT_EXPECT_EQ(test, st->malformed, 0);
	KUNIT_EXPECT_EQ(test, st->gfp_unknown, 1);
	KUNIT_EXPECT_STREQ(test, st->gfp_unknown_first, "GFP_ACCOUNT");
	KUNIT_EXPECT_EQ(test, st->format, TF_FTRACE);
	trace_close(r);
	temp_done(path);
}

/* ---- gfp_flags text ---- */

static void gfp_strings(struct kunit *test)
{
	static const struct {
		const char *s;
		kmm_gfp_t want;
		int unknown;
	} cases[] = {
		/* every string of the shared traces */
		{ "GFP_KERNEL", KMM_GFP_KERNEL, 0 },
		{ "GFP_NOFS|__GFP_ZERO", KMM_GFP_NOFS | KMM___GFP_ZERO, 0 },
		{ "GFP_NOFS|__GFP_ZERO|__GFP_NOFAIL|__GFP_ACCOUNT",
		  KMM_GFP_NOFS | KMM___GFP_ZERO | KMM___GFP_NOFAIL | KMM___GFP_ACCOUNT, 0 },
		{ "GFP_ATOMIC", KMM_GFP_ATOMIC, 0 },
		{ "GFP_NOFS|__GFP_HIGHMEM|__GFP_MOVABLE|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_HARDWALL",
		  KMM_GFP_NOFS | KMM___GFP_HIGHMEM | KMM___GFP_MOVABLE | KMM___GFP_NOWARN |
			  KMM___GFP_NORETRY | KMM___GFP_COMP | KMM___GFP_HARDWALL,
		  0 },
		{ "GFP_NOWAIT|__GFP_FS|__GFP_NORETRY|__GFP_NOMEMALLOC",
		  KMM_GFP_NOWAIT | KMM___GFP_FS | KMM___GFP_NORETRY | KMM___GFP_NOMEMALLOC, 0 },
		{ "GFP_HIGHUSER_MOVABLE|__GFP_WRITE|__GFP_COMP",
		  KMM_GFP_HIGHUSER_MOVABLE | KMM___GFP_WRITE | KMM___GFP_COMP, 0 },
		{ "GFP_HIGHUSER|__GFP_ACCOUNT", KMM_GFP_HIGHUSER | KMM___GFP_ACCOUNT, 0 },
		{ "__GFP_RECLAIMABLE|__GFP_IO|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC",
		  KMM___GFP_RECLAIMABLE | KMM___GFP_IO | KMM___GFP_NOWARN | KMM___GFP_NORETRY |
			  KMM___GFP_COMP | KMM___GFP_NOMEMALLOC,
		  0 },
		{ "GFP_NOWAIT|__GFP_NORETRY|__GFP_COMP|__GFP_THISNODE",
		  KMM_GFP_NOWAIT | KMM___GFP_NORETRY | KMM___GFP_COMP | KMM___GFP_THISNODE, 0 },
		{ "GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP",
		  KMM_GFP_KERNEL_ACCOUNT | KMM___GFP_ZERO | KMM___GFP_COMP, 0 },
		{ "GFP_KERNEL|__GFP_NOWARN|__GFP_NOMEMALLOC",
		  KMM_GFP_KERNEL | KMM___GFP_NOWARN | KMM___GFP_NOMEMALLOC, 0 },
		/* spellings of nothing, numbers, names of other versions */
		{ "none", 0, 0 },
		{ "0", 0, 0 },
		{ "0x2dc2", 0x2dc2, 0 },
		{ "0x1002dc2", 0x2dc2, 0 },	/* bits above __GFP_ACCOUNT vary by config */
		{ "GFP_KERNEL|0x4000000", KMM_GFP_KERNEL, 0 },
		{ "GFP_TRANSHUGE", KMM_GFP_TRANSHUGE, 0 },
		{ "GFP_TRANSHUGE_LIGHT", KMM_GFP_TRANSHUGE_LIGHT, 0 },
		{ "__GFP_WAIT|__GFP_IO|__GFP_FS", KMM_GFP_KERNEL, 0 },
		{ "GFP_ATOMIC|__GFP_NO_KSWAPD", KMM___GFP_HIGH, 0 },
		{ "GFP_KERNEL|__GFP_REPEAT", KMM_GFP_KERNEL | KMM___GFP_RETRY_MAYFAIL, 0 },
		{ "GFP_KERNEL|__GFP_KMEMCG", KMM_GFP_KERNEL_ACCOUNT, 0 },
		{ "GFP_IOFS", KMM___GFP_IO | KMM___GFP_FS, 0 },
		{ "GFP_THISNODE", KMM___GFP_THISNODE | KMM___GFP_NOWARN | KMM___GFP_NORETRY, 0 },
		{ "GFP_KERNEL|__GFP_COLD|__GFP_NOTRACK|__GFP_OTHER_NODE|__GFP_NO_OBJ_EXT|__GFP_ATOMIC",
		  KMM_GFP_KERNEL, 0 },
		{ "GFP_DMA32|__GFP_ZEROTAGS", KMM_GFP_DMA32 | KMM___GFP_ZEROTAGS, 0 },
		{ "GFP_KERNEL|__GFP_FUTURE|GFP_BOGUS", KMM_GFP_KERNEL, 2 },
		{ "", 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kmm_gfp_t gfp = 0xdeadbeef;
		const char *bad = NULL;
		size_t bad_len = 0;
		int n = trace_gfp_parse(cases[i].s, strlen(cases[i].s), &gfp, &bad, &bad_len);

		if (gfp != cases[i].want || n != cases[i].unknown)
			KUNIT_FAIL_MSG(test, "\"%s\": %#x with %d unknown, want %#x with %d", cases[i].s,
				       gfp, n, cases[i].want, cases[i].unknown);
		if (cases[i].unknown) {
			KUNIT_EXPECT_NOT_NULL(test, bad);
			KUNIT_EXPECT_EQ(test, bad_len, strlen("__GFP_FUTURE"));
			KUNIT_EXPECT_TRUE(test, bad && !strncmp(bad, "__GFP_FUTURE", bad_len));
		}
	}
}

/* ---- bad input ---- */

static void malformed_lines(struct kunit *test)
{
	static const char text[] =
		"# tracer: nop\n"
		"            bash-1     [000] ....  12.000001: kmalloc: call_site=f+0x1/0x2 ptr=zz bytes_req=1 bytes_alloc=8 gfp_flags=GFP_KERNEL\n"
		"\x01\x02 binary\n"
		"garbage here\n"
		"            bash-1     [000] ....  12.000002: kfree: call_site=f+0x1/0x2 ptr=0000000011112222\n"
		"            bash-1     [000] ....  12.000003: mm_page_free: page=0000000011112222 pfn=0x10\n"
		"            bash-1     [000] ....  12.000004: kmalloc: call_site=f+0x1/0x2 ptr=0000000011112222 bytes_req=99999999999 bytes_alloc=8 gfp_flags=GFP_KERNEL\n"
		"            bash-1     [000] ....  12.000005: mm_page_alloc: page=0000000011112222 pfn=0x10 order=x migratetype=0 gfp_flags=GFP_KERNEL\n"
		"            bash-1     [000] ....  12.000006: kmem_cache_alloc: call_site=f+0x1/0x2 ptr=0000000011112222 bytes_req=8 gfp_flags=GFP_KERNEL\n"
		"CPU:1 [LOST 1234 EVENTS]\n"
		"CPU:0 [56 EVENTS DROPPED]\n"
		" => kmalloc_trace+0x26/0x90\n"
		"<stack trace>\n"
		"\n"
		"            bash-1     [000] ....  12.000007: kfree: call_site=f+0x1/0x2 ptr=0000000011113333\n"
		"            bash-1     [000] ....  12.000008: kfree: call_site=f+0x1/0x2 ptr=00000";
	char *path;
	struct trace_reader *r = open_text(test, text, &path);
	const struct trace_stats *st;
	struct trace_event ev;

	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.ptr, 0x11112222);
	KUNIT_EXPECT_EQ(test, ev.line, 5);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.ptr, 0x11113333);
	KUNIT_EXPECT_EQ(test, ev.line, 15);
	/* the last line has no '\n' but reads: a cut pointer is still hex */
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.ptr, 0);
	KUNIT_EXPECT_EQ(test, ev.line, 16);
	KUNIT_EXPECT_EQ(test, trace_next(r, &ev), 0);
	st = trace_stats(r);
	KUNIT_EXPECT_EQ(test, st->lines, 16);
	KUNIT_EXPECT_EQ(test, st->malformed, 7);
	KUNIT_EXPECT_EQ(test, st->lost_events, 1290);
	KUNIT_EXPECT_EQ(test, st->skipped_lines, 6);
	KUNIT_EXPECT_EQ(test, st->events[TEV_KFREE], 3);
	/* the first five kept, with line numbers and why; control bytes shown as '?' */
	KUNIT_EXPECT_EQ(test, st->first_malformed[0].line, 2);
	KUNIT_EXPECT_STREQ(test, st->first_malformed[0].why, "ptr= is not a pointer");
	KUNIT_EXPECT_STRSTR(test, st->first_malformed[0].text, "kmalloc: call_site=f+0x1/0x2 ptr=zz");
	KUNIT_EXPECT_EQ(test, st->first_malformed[1].line, 3);
	KUNIT_EXPECT_STREQ(test, st->first_malformed[1].why, "not a trace event line");
	KUNIT_EXPECT_STREQ(test, st->first_malformed[1].text, "?? binary");
	KUNIT_EXPECT_EQ(test, st->first_malformed[2].line, 4);
	KUNIT_EXPECT_STREQ(test, st->first_malformed[2].text, "garbage here");
	KUNIT_EXPECT_EQ(test, st->first_malformed[3].line, 6);
	KUNIT_EXPECT_STREQ(test, st->first_malformed[3].why, "no order=");
	KUNIT_EXPECT_EQ(test, st->first_malformed[4].line, 7);
	KUNIT_EXPECT_STREQ(test, st->first_malformed[4].why, "bytes_req= is not a 32-bit number");
	trace_close(r);
	temp_done(path);
}

/* The kept text of a malformed line is cut to fit. */
static void malformed_long_text(struct kunit *test)
{
	char text[600];
	char *path;
	struct trace_reader *r;

	memset(text, 'z', sizeof(text) - 2);
	text[sizeof(text) - 2] = '\n';
	text[sizeof(text) - 1] = '\0';
	r = open_text(test, text, &path);
	KUNIT_EXPECT_EQ(test, drain(test, r), 0);
	KUNIT_EXPECT_EQ(test, trace_stats(r)->malformed, 1);
	KUNIT_EXPECT_EQ(test, strlen(trace_stats(r)->first_malformed[0].text),
			sizeof(trace_stats(r)->first_malformed[0].text) - 1);
	trace_close(r);
	temp_done(path);
}

/* A last line cut before its fields are complete is a truncated line, counted and skipped. */
static void truncated_last_line(struct kunit *test)
{
	static const char text[] =
		"            bash-1     [000] ....  12.000001: kfree: call_site=f+0x1/0x2 ptr=0000000011112222\n"
		"            bash-1     [000] ....  12.000002: kmalloc: call_site=f+0x1/0x2 ptr=0000000011112222 bytes_r";
	char *path;
	struct trace_reader *r = open_text(test, text, &path);
	const struct trace_stats *st;

	KUNIT_EXPECT_EQ(test, drain(test, r), 1);
	st = trace_stats(r);
	KUNIT_EXPECT_EQ(test, st->malformed, 1);
	KUNIT_EXPECT_EQ(test, st->first_malformed[0].line, 2);
	KUNIT_EXPECT_STREQ(test, st->first_malformed[0].why, "truncated last line");
	trace_close(r);
	temp_done(path);
}

static void crlf_lines(struct kunit *test)
{
	static const char text[] =
		"# tracer: nop\r\n"
		"           wl.sh-11449   [001] .....   584.143630: kmem_cache_free: call_site=__fput+0x141/0x2a0 ptr=00000000e09ef43b name=lsm_file_cache\r\n"
		"           wl.sh-11449   [001] .....   584.143657: mm_page_alloc: page=000000003f20eb1b pfn=0x1488ce order=0 migratetype=0 gfp_flags=GFP_KERNEL\r\n"
		"           wl.sh-11449   [001] .....   584.143659: kmalloc: call_site=a+0x1/0x2 ptr=000000000000aaaa bytes_req=1 bytes_alloc=8 gfp_flags=GFP_KERNEL node=-1 accounted=true\r\n";
	char *path;
	struct trace_reader *r = open_text(test, text, &path);
	struct trace_event ev;

	NEXT(test, r, ev);
	KUNIT_EXPECT_STREQ(test, trace_str(r, ev.cache), "lsm_file_cache");
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.gfp, KMM_GFP_KERNEL);
	NEXT(test, r, ev);
	KUNIT_EXPECT_TRUE(test, ev.accounted);
	KUNIT_EXPECT_EQ(test, trace_next(r, &ev), 0);
	KUNIT_EXPECT_EQ(test, trace_stats(r)->malformed, 0);
	trace_close(r);
	temp_done(path);
}

static void empty_input(struct kunit *test)
{
	char *path;
	struct trace_reader *r = open_text(test, "", &path);
	const struct trace_stats *st;
	struct trace_event ev;

	KUNIT_EXPECT_EQ(test, trace_next(r, &ev), 0);
	st = trace_stats(r);
	KUNIT_EXPECT_EQ(test, st->format, TF_UNKNOWN);
	KUNIT_EXPECT_EQ(test, st->lines, 0);
	KUNIT_EXPECT_EQ(test, st->malformed, 0);
	trace_close(r);
	temp_done(path);
}

static void no_recognisable_event(struct kunit *test)
{
	static const char text[] =
		"This is not a trace.\n"
		"It has lines: some with colons [1] and brackets.\n"
		"   and-dashes-12 [x] 1.0: nothing\n";
	char *path;
	struct trace_reader *r = open_text(test, text, &path);
	const struct trace_stats *st;

	KUNIT_EXPECT_EQ(test, drain(test, r), 0);
	st = trace_stats(r);
	KUNIT_EXPECT_EQ(test, st->lines, 3);
	KUNIT_EXPECT_EQ(test, st->malformed, 3);
	KUNIT_EXPECT_EQ(test, st->other_events, 0);
	for (int i = 0; i < TEV_NR; i++)
		KUNIT_EXPECT_EQ(test, st->events[i], 0);
	trace_close(r);
	temp_done(path);
}

/* A binary file of random bytes: every line malformed, nothing fatal. */
static void random_bytes(struct kunit *test)
{
	size_t n = 3 << 20;
	unsigned char *buf = malloc(n);
	uint64_t x = 88172645463325252ull;
	char *path;
	struct trace_reader *r;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (unsigned char)x;
		if (i < 16)
			buf[i] = 'a';	/* no compression magic */
	}
	path = temp_file(buf, n);
	free(buf);
	KUNIT_ASSERT_NOT_NULL(test, path);
	r = open_ok(test, path, 0);
	KUNIT_EXPECT_EQ(test, drain(test, r), 0);
	KUNIT_EXPECT_GT(test, trace_stats(r)->malformed, 1000);
	trace_close(r);
	temp_done(path);
}

/* A line over 1 MiB is cut and malformed; the next one reads. */
static void long_line(struct kunit *test)
{
	static const char tail[] =
		"\n            bash-1     [000] ....  12.000002: kfree: call_site=f+0x1/0x2 ptr=0000000011112222\n";
	size_t n = (3u << 20) + sizeof(tail);
	char *buf = malloc(n);
	char *path;
	struct trace_reader *r;
	struct trace_event ev;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 'x', 3u << 20);
	memcpy(buf + (3u << 20), tail, sizeof(tail));
	path = temp_file(buf, n - 1);
	free(buf);
	KUNIT_ASSERT_NOT_NULL(test, path);
	r = open_ok(test, path, 0);
	NEXT(test, r, ev);
	KUNIT_EXPECT_EQ(test, ev.line, 2);
	KUNIT_EXPECT_EQ(test, trace_next(r, &ev), 0);
	KUNIT_EXPECT_EQ(test, trace_stats(r)->malformed, 1);
	KUNIT_EXPECT_STREQ(test, trace_stats(r)->first_malformed[0].why, "line longer than 1 MiB");
	trace_close(r);
	temp_done(path);
}

/* A tracer's own lines (the function tracer's) among the events: other output, not malformed. */
static void tracer_lines(struct kunit *test)
{
	static const char text[] =
		"# tracer: function\n"
		"            bash-1     [000] ....  12.000001: do_sys_open <-do_syscall_64\n"
		"            bash-1     [000] ....  12.000002: kfree: call_site=f+0x1/0x2 ptr=0000000011113333\n";
	char *path;
	struct trace_reader *r = open_text(test, text, &path);
	uint64_t count;

	KUNIT_EXPECT_EQ(test, drain(test, r), 1);
	KUNIT_EXPECT_EQ(test, trace_stats(r)->malformed, 0);
	KUNIT_EXPECT_EQ(test, trace_stats(r)->other_events, 1);
	KUNIT_EXPECT_STREQ(test, trace_other_event(r, 0, &count), "(tracer output)");
	KUNIT_EXPECT_EQ(test, count, 1);
	trace_close(r);
	temp_done(path);
}

/* ---- what cannot be read ---- */

static void open_errors(struct kunit *test)
{
	static const unsigned char dat[] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g',
					     '6', 0, 0, 8, 0, 16, 0, 0 };
	char err[512];
	char *path;

	KUNIT_EXPECT_NULL(test, trace_open("no-such-trace-file", err, sizeof(err)));
	KUNIT_EXPECT_STREQ(test, err, "cannot open no-such-trace-file: No such file or directory");
	KUNIT_EXPECT_NULL(test, trace_open(".", err, sizeof(err)));
	KUNIT_EXPECT_STREQ(test, err, ".: is a directory");

	path = temp_file("PERFILE2\0\0\0\0\0\0\0\0", 16);
	KUNIT_ASSERT_NOT_NULL(test, path);
	KUNIT_EXPECT_NULL(test, trace_open(path, err, sizeof(err)));
	KUNIT_EXPECT_STRSTR(test, err, "perf.data holds no text: convert it with `perf script -i");
	temp_done(path);

	/* trace.dat's magic: the conversion hint without libtracecmd, its refusal with it */
	path = temp_file(dat, sizeof(dat));
	KUNIT_ASSERT_NOT_NULL(test, path);
	KUNIT_EXPECT_NULL(test, trace_open(path, err, sizeof(err)));
#ifdef KMM_HAVE_LIBTRACECMD
	KUNIT_EXPECT_STRSTR(test, err, "libtracecmd cannot read this trace.dat");
#else
	KUNIT_EXPECT_STRSTR(test, err, "trace.dat needs libtracecmd, which this build lacks: "
				       "convert it with `trace-cmd report -i ");
#endif
	temp_done(path);

	/* compressed, and no way to decompress it */
	path = temp_file("\xfd" "7zXZ\0junk", 10);
	KUNIT_ASSERT_NOT_NULL(test, path);
	KUNIT_EXPECT_NULL(test, trace_open_flags(path, TRACE_OPEN_NO_LIBRARIES | TRACE_OPEN_NO_PROGRAMS,
						 err, sizeof(err)));
	KUNIT_EXPECT_STRSTR(test, err, ": xz-compressed, but neither liblzma nor the xz program is available");
	temp_done(path);
	path = temp_file("\x1f\x8bjunk", 6);
	KUNIT_ASSERT_NOT_NULL(test, path);
	KUNIT_EXPECT_NULL(test, trace_open_flags(path, TRACE_OPEN_NO_LIBRARIES | TRACE_OPEN_NO_PROGRAMS,
						 err, sizeof(err)));
	KUNIT_EXPECT_STRSTR(test, err, ": gzip-compressed, but neither zlib nor the gzip program is available");
	temp_done(path);
	path = temp_file("\x28\xb5\x2f\xfdjunk", 8);
	KUNIT_ASSERT_NOT_NULL(test, path);
	KUNIT_EXPECT_NULL(test, trace_open_flags(path, TRACE_OPEN_NO_PROGRAMS, err, sizeof(err)));
	KUNIT_EXPECT_STRSTR(test, err, ": zstd-compressed, but the zstd program is not available");
	temp_done(path);

	KUNIT_EXPECT_STREQ(test, trace_ev_name(TEV_KMALLOC), "kmalloc");
	KUNIT_EXPECT_STREQ(test, trace_ev_name(TEV_KFREE), "kfree");
	KUNIT_EXPECT_STREQ(test, trace_ev_name(TEV_CACHE_ALLOC), "kmem_cache_alloc");
	KUNIT_EXPECT_STREQ(test, trace_ev_name(TEV_CACHE_FREE), "kmem_cache_free");
	KUNIT_EXPECT_STREQ(test, trace_ev_name(TEV_PAGE_ALLOC), "mm_page_alloc");
	KUNIT_EXPECT_STREQ(test, trace_ev_name(TEV_PAGE_FREE), "mm_page_free");
	KUNIT_EXPECT_STREQ(test, trace_ev_name(TEV_PAGE_FREE_BATCHED), "mm_page_free_batched");
	KUNIT_EXPECT_STREQ(test, trace_format_name(TF_TRACE_DAT), "trace.dat");
}

/* ---- compressed input ---- */

/* A text of many events, long enough for several decompression chunks. */
static char *big_text(size_t events, size_t *len)
{
	size_t cap = events * 200 + 64, n = 0;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	n += (size_t)snprintf(s + n, cap - n, "# tracer: nop\n");
	for (size_t i = 0; i < events; i++) {
		if (i % 2 == 0)
			n += (size_t)snprintf(s + n, cap - n,
					      "     task %zu-%zu   [%03zu] .....  %zu.%06zu: kmalloc: call_site=f%zu+0x1/0x2 "
					      "ptr=%016zx bytes_req=%zu bytes_alloc=%zu gfp_flags=GFP_KERNEL node=-1 accounted=false\n",
					      i % 7, 1000 + i % 13, i % 4, 100 + i / 1000000, i % 1000000, i % 50,
					      0x1000 + i, i % 4096, (i % 4096 + 7) & ~7ul);
		else
			n += (size_t)snprintf(s + n, cap - n,
					      "     task %zu-%zu   [%03zu] .....  %zu.%06zu: kfree: call_site=g+0x1/0x2 ptr=%016zx\n",
					      i % 7, 1000 + i % 13, i % 4, 100 + i / 1000000, i % 1000000,
					      0x1000 + i - 1);
	}
	*len = n;
	return s;
}

/* Every event of path, compared with the expected sequence of big_text. */
static void check_big(struct kunit *test, const char *path, unsigned int flags, size_t events,
		      const char *want_decompressor)
{
	struct trace_reader *r = open_ok(test, path, flags);
	struct trace_event ev;
	size_t i = 0;
	int ret;
	char comm[32];

	while ((ret = trace_next(r, &ev)) > 0) {
		snprintf(comm, sizeof(comm), "task %zu", i % 7);
		if (ev.type != (i % 2 ? TEV_KFREE : TEV_KMALLOC) || ev.ptr != 0x1000 + i - (i % 2) ||
		    ev.pid != (int)(1000 + i % 13) || ev.cpu != (int)(i % 4) ||
		    ev.ts_ns != (100 + i / 1000000) * 1000000000ull + (i % 1000000) * 1000 ||
		    strcmp(trace_str(r, ev.comm), comm) || ev.line != i + 2) {
			KUNIT_FAIL_MSG(test, "%s: event %zu differs (line %" PRIu64 ")", path, i, ev.line);
			break;
		}
		i++;
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, i, events);
	KUNIT_EXPECT_EQ(test, trace_stats(r)->malformed, 0);
	if (want_decompressor)
		KUNIT_EXPECT_STREQ(test, trace_stats(r)->decompressor, want_decompressor);
	trace_close(r);
}

static void compressed_inputs(struct kunit *test)
{
	const size_t events = 60000;
	size_t len;
	char *text = big_text(events, &len);
	char *plain, *xz, *gz;

	KUNIT_ASSERT_NOT_NULL(test, text);
	plain = temp_file(text, len);
	free(text);
	KUNIT_ASSERT_NOT_NULL(test, plain);
	check_big(test, plain, 0, events, NULL);

	xz = compress_file("xz", plain);
	if (xz) {
		check_big(test, xz, 0, events, NULL);
		check_big(test, xz, TRACE_OPEN_NO_LIBRARIES, events, "xz -dc");
#ifdef KMM_HAVE_LZMA
		check_big(test, xz, 0, events, "liblzma");
#endif
	} else {
		printf("    # xz is not installed: xz input not tried\n");
	}
	gz = compress_file("gzip", plain);
	if (gz) {
		check_big(test, gz, 0, events, NULL);
		check_big(test, gz, TRACE_OPEN_NO_LIBRARIES, events, "gzip -dc");
#ifdef KMM_HAVE_ZLIB
		check_big(test, gz, 0, events, "zlib");
#endif
	} else {
		printf("    # gzip is not installed: gzip input not tried\n");
	}
	temp_done(xz);
	temp_done(gz);
	temp_done(plain);
}

/* Two gzip members and two xz streams one after the other read as one text. */
static void concatenated_streams(struct kunit *test)
{
	static const char a[] = "            bash-1     [000] ....  12.000001: kfree: call_site=f+0x1/0x2 ptr=0000000011112222\n";
	static const char b[] = "            bash-1     [000] ....  12.000002: kfree: call_site=f+0x1/0x2 ptr=0000000011113333\n";
	static const char *const progs[] = { "gzip", "xz" };

	for (int p = 0; p < 2; p++) {
		char *pa = temp_file(a, strlen(a)), *pb = temp_file(b, strlen(b));
		char *ca = pa ? compress_file(progs[p], pa) : NULL;
		char *cb = pb ? compress_file(progs[p], pb) : NULL;
		char *both = NULL;

		if (ca && cb) {
			FILE *fa = fopen(ca, "rb"), *fb = fopen(cb, "rb");
			char buf[4096];
			size_t na = fa ? fread(buf, 1, sizeof(buf) / 2, fa) : 0;
			size_t nb = fb ? fread(buf + na, 1, sizeof(buf) / 2, fb) : 0;

			if (fa)
				fclose(fa);
			if (fb)
				fclose(fb);
			both = temp_file(buf, na + nb);
		} else {
			printf("    # %s is not installed: not tried\n", progs[p]);
		}
		for (unsigned int flags = 0; both && flags <= TRACE_OPEN_NO_LIBRARIES; flags += TRACE_OPEN_NO_LIBRARIES) {
			struct trace_reader *r = open_ok(test, both, flags);
			struct trace_event ev;

			NEXT(test, r, ev);
			KUNIT_EXPECT_EQ(test, ev.ptr, 0x11112222);
			NEXT(test, r, ev);
			KUNIT_EXPECT_EQ(test, ev.ptr, 0x11113333);
			KUNIT_EXPECT_EQ(test, trace_next(r, &ev), 0);
			KUNIT_EXPECT_STREQ(test, trace_stats(r)->compression, progs[p]);
			trace_close(r);
		}
		temp_done(both);
		temp_done(ca);
		temp_done(cb);
		temp_done(pa);
		temp_done(pb);
	}
}

/* A cut compressed file: what decompressed reads, then an error with a message. */
static void truncated_compressed(struct kunit *test)
{
	const size_t events = 20000;
	size_t len;
	char *text = big_text(events, &len);
	char *plain = text ? temp_file(text, len) : NULL;
	static const char *const progs[] = { "xz", "gzip" };

	free(text);
	KUNIT_ASSERT_NOT_NULL(test, plain);
	for (int p = 0; p < 2; p++) {
		char *c = compress_file(progs[p], plain);
		struct stat st;

		if (!c) {
			printf("    # %s is not installed: not tried\n", progs[p]);
			continue;
		}
		KUNIT_ASSERT_EQ(test, stat(c, &st), 0);
		KUNIT_ASSERT_EQ(test, truncate(c, st.st_size / 2), 0);
		for (unsigned int flags = 0; flags <= TRACE_OPEN_NO_LIBRARIES; flags += TRACE_OPEN_NO_LIBRARIES) {
			struct trace_reader *r = open_ok(test, c, flags);
			struct trace_event ev;
			int ret, n = 0;

			while ((ret = trace_next(r, &ev)) > 0)
				n++;
			KUNIT_EXPECT_EQ(test, ret, -1);
			KUNIT_EXPECT_GT(test, n, 100);
			KUNIT_EXPECT_LT(test, n, (int)events);
			KUNIT_EXPECT_STRSTR(test, trace_error(r), c);
			trace_close(r);
		}
		temp_done(c);
	}
	temp_done(plain);
}

/* Closing a reader half-way stops its decompression thread or program. */
static void close_early(struct kunit *test)
{
	const size_t events = 60000;
	size_t len;
	char *text = big_text(events, &len);
	char *plain = text ? temp_file(text, len) : NULL;
	char *xz;

	free(text);
	KUNIT_ASSERT_NOT_NULL(test, plain);
	xz = compress_file("xz", plain);
	for (unsigned int flags = 0; xz && flags <= TRACE_OPEN_NO_LIBRARIES; flags += TRACE_OPEN_NO_LIBRARIES) {
		struct trace_reader *r = open_ok(test, xz, flags);
		struct trace_event ev;

		for (int i = 0; i < 10; i++)
			NEXT(test, r, ev);
		trace_close(r);
	}
	temp_done(xz);
	temp_done(plain);
}

/* ---- stdin ---- */

struct feeder {
	int fd;
	const char *data;
	size_t len;
};

static void *feed(void *arg)
{
	struct feeder *f = arg;
	size_t off = 0;

	while (off < f->len) {
		ssize_t w = write(f->fd, f->data + off, f->len - off);

		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(f->fd);
	return NULL;
}

/* Reads data through stdin (a pipe), as "-"; returns the events read. */
static int read_stdin_pipe(struct kunit *test, const char *data, size_t len, unsigned int flags,
			   const char **compression)
{
	int saved = dup(0), p[2], n = -1;
	struct feeder f;
	pthread_t t;
	struct trace_reader *r;
	char err[512];

	KUNIT_ASSERT_GE(test, saved, 0);
	/* not close-on-exec, as a careless caller's: the reader's program must not inherit it */
	KUNIT_ASSERT_EQ(test, pipe(p), 0);
	dup2(p[0], 0);
	close(p[0]);
	f.fd = p[1];
	f.data = data;
	f.len = len;
	pthread_create(&t, NULL, feed, &f);
	r = trace_open_flags("-", flags, err, sizeof(err));
	if (r) {
		n = drain(test, r);
		*compression = trace_stats(r)->compression;
		KUNIT_EXPECT_EQ(test, trace_stats(r)->file_size, 0);
		trace_close(r);
	} else {
		KUNIT_FAIL_MSG(test, "stdin: %s", err);
	}
	/* the reader may stop early; unblock the writer before joining it */
	close(0);
	pthread_join(t, NULL);
	dup2(saved, 0);
	close(saved);
	return n;
}

static void stdin_input(struct kunit *test)
{
	const size_t events = 30000;
	size_t len;
	char *text = big_text(events, &len);
	char *plain = text ? temp_file(text, len) : NULL;
	const char *compression = "?";
	char *xz, *gz;

	KUNIT_ASSERT_NOT_NULL(test, plain);
	KUNIT_EXPECT_EQ(test, read_stdin_pipe(test, text, len, 0, &compression), (int)events);
	KUNIT_EXPECT_NULL(test, compression);

	/* stdin redirected from a file: seekable */
	{
		int saved = dup(0), fd = open(plain, O_RDONLY);
		struct trace_reader *r;

		KUNIT_ASSERT_GE(test, fd, 0);
		dup2(fd, 0);
		close(fd);
		r = open_ok(test, "-", 0);
		KUNIT_EXPECT_EQ(test, drain(test, r), (int)events);
		KUNIT_EXPECT_EQ(test, trace_stats(r)->file_size, len);
		trace_close(r);
		dup2(saved, 0);
		close(saved);
	}

	/* compressed stdin, through the library and through the program (fed by a thread) */
	xz = compress_file("xz", plain);
	gz = compress_file("gzip", plain);
	for (int k = 0; k < 2; k++) {
		char *c = k ? gz : xz;
		FILE *f = c ? fopen(c, "rb") : NULL;
		char *buf = malloc(len);
		size_t n = f ? fread(buf, 1, len, f) : 0;

		if (f)
			fclose(f);
		for (unsigned int flags = 0; n && flags <= TRACE_OPEN_NO_LIBRARIES; flags += TRACE_OPEN_NO_LIBRARIES) {
			KUNIT_EXPECT_EQ(test, read_stdin_pipe(test, buf, n, flags, &compression), (int)events);
			KUNIT_EXPECT_STREQ(test, compression, k ? "gzip" : "xz");
		}
		free(buf);
	}

	/* stdin left part-way into a file: read from there, by the library and the program */
	if (xz) {
		FILE *f = fopen(xz, "rb");
		char *buf = malloc(len + 8);
		size_t n = 0;
		char *skipped;

		KUNIT_ASSERT_NOT_NULL(test, buf);
		memcpy(buf, "skip me\n", 8);
		if (f) {
			n = fread(buf + 8, 1, len, f);
			fclose(f);
		}
		skipped = temp_file(buf, n + 8);
		free(buf);
		for (unsigned int flags = 0; skipped && flags <= TRACE_OPEN_NO_LIBRARIES;
		     flags += TRACE_OPEN_NO_LIBRARIES) {
			int saved = dup(0), fd = open(skipped, O_RDONLY);
			struct trace_reader *r;

			KUNIT_ASSERT_GE(test, fd, 0);
			KUNIT_ASSERT_EQ(test, lseek(fd, 8, SEEK_SET), 8);
			dup2(fd, 0);
			close(fd);
			r = open_ok(test, "-", flags);
			KUNIT_EXPECT_EQ(test, drain(test, r), (int)events);
			KUNIT_EXPECT_EQ(test, trace_stats(r)->file_size, n);
			KUNIT_EXPECT_EQ(test, trace_stats(r)->bytes_file, n);
			trace_close(r);
			dup2(saved, 0);
			close(saved);
		}
		temp_done(skipped);
	}
	free(text);
	temp_done(xz);
	temp_done(gz);
	temp_done(plain);
}

/* Several readers at once, read in turns: no state is shared. */
static void readers_at_once(struct kunit *test)
{
	char *pa, *pb;
	struct trace_reader *a = open_text(test, ftrace_text, &pa);
	static const char perf[] =
		"      python3  100/101 [001]   577.700000: kmem:mm_page_free: page=0x1531a8 pfn=0x1531a8 order=0\n"
		"      python3  100/101 [001]   577.700001: kmem:kfree: call_site=x+0x1 ptr=0xffff888000000001\n";
	struct trace_reader *b = open_text(test, perf, &pb);
	struct trace_event ea, eb;

	NEXT(test, a, ea);
	NEXT(test, b, eb);
	KUNIT_EXPECT_STREQ(test, trace_str(a, ea.comm), "wl.sh");
	KUNIT_EXPECT_STREQ(test, trace_str(b, eb.comm), "python3");
	KUNIT_EXPECT_EQ(test, eb.type, TEV_PAGE_FREE);
	NEXT(test, b, eb);
	KUNIT_EXPECT_STREQ(test, trace_str(b, eb.call_site), "x+0x1");
	NEXT(test, a, ea);
	KUNIT_EXPECT_STREQ(test, trace_str(a, ea.call_site), "getname_flags.part.0+0x24");
	KUNIT_EXPECT_EQ(test, trace_stats(a)->format, TF_FTRACE);
	KUNIT_EXPECT_EQ(test, trace_stats(b)->format, TF_PERF_SCRIPT);
	KUNIT_EXPECT_EQ(test, trace_next(b, &eb), 0);
	trace_close(b);
	KUNIT_EXPECT_EQ(test, drain(test, a), 7);
	trace_close(a);
	temp_done(pa);
	temp_done(pb);
}

static int suite_init(void)
{
	/* stdin_input's writer may write into a pipe the reader has stopped reading */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static struct kunit_case cases[] = {
	KUNIT_CASE(ftrace_every_field),
	KUNIT_CASE(ftrace_task_names),
	KUNIT_CASE(perf_script_fields),
	KUNIT_CASE(trace_cmd_report),
	KUNIT_CASE(trace_cmd_without_header),
	KUNIT_CASE(trace_cmd_file_prefix),
	KUNIT_CASE(old_layouts),
	KUNIT_CASE(gfp_strings),
	KUNIT_CASE(malformed_lines),
	KUNIT_CASE(malformed_long_text),
	KUNIT_CASE(truncated_last_line),
	KUNIT_CASE(crlf_lines),
	KUNIT_CASE(empty_input),
	KUNIT_CASE(no_recognisable_event),
	KUNIT_CASE(random_bytes),
	KUNIT_CASE(long_line),
	KUNIT_CASE(tracer_lines),
	KUNIT_CASE(open_errors),
	KUNIT_CASE(compressed_inputs),
	KUNIT_CASE(concatenated_streams),
	KUNIT_CASE(truncated_compressed),
	KUNIT_CASE(close_early),
	KUNIT_CASE(stdin_input),
	KUNIT_CASE(readers_at_once),
	{}
};

KUNIT_MAIN_INIT("trace_read", cases, suite_init)
