/* SPDX-License-Identifier: MIT */
/*
 * The helpers every workload shares, kmm's and the peers' alike, so that both
 * sides are timed by the same loop: the batch timer, the failure message, the
 * peak-RSS probe and the statistics over runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/*
 * Batches grow, from one op, until one takes this long: the clock is then
 * read once per ~1 ms of work. One op may take milliseconds already
 * (random-100k's round of 100 000 objects, vmalloc-16M).
 */
#define BATCH_NS 1000000ULL
#define BATCH_MAX (1ULL << 30)

static _Thread_local char error_buf[256];

int bench_fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error_buf, sizeof(error_buf), fmt, ap);
	va_end(ap);
	return err;
}

const char *bench_error(void)
{
	return error_buf[0] ? error_buf : "unknown error";
}

int bench_loop(int (*fn)(void *arg, uint64_t n), void *arg, const struct bench_params *p,
	       struct bench_result *r)
{
	return bench_loop_clock(fn, arg, p, r, CLOCK_MONOTONIC);
}

int bench_loop_per(int (*fn)(void *arg, uint64_t n), void *arg, unsigned int per,
		   const struct bench_params *p, struct bench_result *r)
{
	int ret = bench_loop(fn, arg, p, r);

	if (!ret) {
		r->ns_per_op /= per;
		r->ops *= per;
	}
	return ret;
}

int bench_loop_clock(int (*fn)(void *arg, uint64_t n), void *arg, const struct bench_params *p,
		     struct bench_result *r, clockid_t clock)
{
	uint64_t batch = 1, start = bench_clock_ns(clock), spent = 0, ops = 0;
	int ret;

	/* warm-up, which also sizes the batch */
	do {
		uint64_t t = bench_clock_ns(clock);

		ret = fn(arg, batch);
		if (ret)
			return ret;
		if (bench_clock_ns(clock) - t < BATCH_NS && batch < BATCH_MAX)
			batch *= 2;
	} while (bench_clock_ns(clock) - start < p->warmup_ns);

	while (spent < p->target_ns) {
		uint64_t t = bench_clock_ns(clock), dt;

		ret = fn(arg, batch);
		dt = bench_clock_ns(clock) - t;
		if (ret)
			return ret;
		spent += dt;
		ops += batch;
		if (dt < BATCH_NS / 2 && batch < BATCH_MAX)
			batch *= 2;
	}
	r->ops = ops;
	r->ns_per_op = (double)spent / (double)ops;
	return 0;
}

long bench_rss_peak_kb(void)
{
	char line[256];
	long kb = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

bool bench_rss_reset(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, "5", 1) == 1;
	close(fd);
	return ok;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_median(const double *v, int n)
{
	double *s = malloc((size_t)n * sizeof(*s)), med;

	if (!s)
		return v[0];
	memcpy(s, v, (size_t)n * sizeof(*s));
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return med;
}

double bench_min(const double *v, int n)
{
	double m = v[0];

	for (int i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}
