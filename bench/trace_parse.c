/* SPDX-License-Identifier: MIT */
/*
 * kmm-trace-bench: how fast the trace readers of `kmm replay` parse.
 *
 *   kmm-trace-bench [-r REPEAT] [--programs] TRACE...
 *
 * For each trace: opens it, reads every event (trace_next) and nothing
 * else, REPEAT times, and prints the best run's wall time, events/s and MB/s
 * of trace text. For a compressed trace it also times the decompression
 * program alone (`xz -dc TRACE > /dev/null`), the figure the readers'
 * overlap of decompression and parsing is measured against (issue 6:
 * within 1.2x). --programs decompresses through the programs instead of
 * liblzma/zlib.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "trace.h"

extern char **environ;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct run {
	double secs;
	uint64_t events, bytes, lines, malformed, sum;
	enum trace_format format;
	const char *decompressor;
};

/* One full read; -1 when the trace cannot be read. */
static int bench_once(const char *path, unsigned int flags, struct run *out)
{
	char err[512];
	struct trace_event ev;
	struct trace_reader *r;
	const struct trace_stats *st;
	uint64_t n = 0, sum = 0;
	double t0 = now();
	int ret;

	r = trace_open_flags(path, flags, err, sizeof(err));
	if (!r) {
		fprintf(stderr, "kmm-trace-bench: %s\n", err);
		return -1;
	}
	while ((ret = trace_next(r, &ev)) > 0) {
		/* something of every event, so that nothing is left unread */
		sum += ev.ptr ^ ev.pfn ^ ev.ts_ns ^ ev.call_site ^ ev.gfp;
		n++;
	}
	out->secs = now() - t0;
	if (ret < 0) {
		fprintf(stderr, "kmm-trace-bench: %s\n", trace_error(r));
		trace_close(r);
		return -1;
	}
	st = trace_stats(r);
	out->events = n;
	out->bytes = st->bytes_in;
	out->lines = st->lines;
	out->malformed = st->malformed;
	out->sum = sum;
	out->format = st->format;
	out->decompressor = st->decompressor;
	trace_close(r);
	return 0;
}

/* Wall time of `prog -dc path > /dev/null`, or a negative number when it cannot run. */
static double time_program(const char *prog, const char *path)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { (char *)prog, (char *)"-dc", (char *)path, NULL };
	double t0 = now();
	pid_t pid;
	int status;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, prog, &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return now() - t0;
}

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	int repeat = 3, first = 1, failed = 0;

	while (first < argc && argv[first][0] == '-' && argv[first][1]) {
		if (!strcmp(argv[first], "-r") && first + 1 < argc) {
			repeat = atoi(argv[first + 1]);
			first += 2;
		} else if (!strcmp(argv[first], "--programs")) {
			flags |= TRACE_OPEN_NO_LIBRARIES;
			first++;
		} else {
			break;
		}
	}
	if (first >= argc || repeat < 1) {
		fprintf(stderr, "usage: kmm-trace-bench [-r REPEAT] [--programs] TRACE...\n");
		return 2;
	}
	printf("%-44s %-17s %9s %8s %12s %9s %s\n", "trace", "format", "events", "wall s",
	       "events/s", "MB/s", "decompressor");
	for (int i = first; i < argc; i++) {
		struct run best = { 0 }, run;
		const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];

		for (int k = 0; k < repeat; k++) {
			if (bench_once(argv[i], flags, &run)) {
				failed = 1;
				break;
			}
			if (!k || run.secs < best.secs)
				best = run;
		}
		if (!best.secs)
			continue;
		printf("%-44s %-17s %9" PRIu64 " %8.3f %12.0f %9.1f %s\n", name,
		       trace_format_name(best.format), best.events, best.secs,
		       (double)best.events / best.secs, (double)best.bytes / best.secs / 1e6,
		       best.decompressor ? best.decompressor : "-");
		if (best.malformed)
			printf("    (%" PRIu64 " malformed lines of %" PRIu64 ")\n", best.malformed,
			       best.lines);
		if (best.decompressor) {
			const char *prog = strstr(best.decompressor, "lzma") || !strncmp(best.decompressor, "xz", 2)
						   ? "xz"
					   : strstr(best.decompressor, "zlib") || !strncmp(best.decompressor, "gzip", 4)
						   ? "gzip"
						   : NULL;
			double alone = -1;

			for (int k = 0; prog && k < repeat; k++) {
				double t = time_program(prog, argv[i]);

				if (t >= 0 && (alone < 0 || t < alone))
					alone = t;
			}
			if (alone > 0)
				printf("    `%s -dc > /dev/null` alone: %.3f s; parsing with it: %.2fx that\n",
				       prog, alone, best.secs / alone);
		}
	}
	return failed;
}
