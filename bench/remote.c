/* SPDX-License-Identifier: MIT */
/*
 * The two-thread hand-over harness's driver (the loop is in remote.h): starts
 * the two threads, lets them run untimed for the warm-up, then counts the
 * pairs done in the timed window. Shared by kmm's and the peers' remote
 * workloads so that both are timed alike, and by the churn rows, whose
 * threads count replacements instead of pairs (bench_churn_loop()).
 *
 * The two threads are pinned to two different CPUs (see pin()).
 *
 * Timing: t0 is taken after the warm-up, with the pairs allocated so far;
 * the window ends when the later thread has freed everything it was given
 * after stop. Blocks in flight at t0 (at most two rings' worth) are freed in
 * the window without being counted, a negligible error at millions of pairs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "remote.h"

void bench_remote_fail(struct bench_remote *r, const char *msg)
{
	if (!atomic_exchange(&r->failed, 1))
		snprintf(r->error, sizeof(r->error), "%s", msg);
	atomic_store(&r->stop, 1);
}

void bench_remote_start(struct bench_remote_thread *t)
{
	struct bench_remote *r = t->r;

	atomic_fetch_add(&r->ready, 1);
	while (!atomic_load_explicit(&r->go, memory_order_acquire))
		sched_yield();
}

void bench_remote_abandon(struct bench_remote_thread *t, const char *msg)
{
	bench_remote_fail(t->r, msg);
	/* allocated nothing: the other thread need not wait for it */
	t->t_end = bench_now_ns();
	atomic_store_explicit(&t->finished, 1, memory_order_release);
}

/*
 * Thread i runs on the i-th CPU this process may use, when it may use two:
 * otherwise the scheduler may start both on one CPU, where they take turns
 * instead of running at once, and the result measures the scheduler.
 */
static void pin(pthread_attr_t *attr, int i)
{
	cpu_set_t allowed, one;
	int seen = 0;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) || CPU_COUNT(&allowed) < 2)
		return;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed) || seen++ != i)
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		pthread_attr_setaffinity_np(attr, sizeof(one), &one);
		return;
	}
}

static void sleep_until(uint64_t deadline_ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline_ns / 1000000000ULL),
		.tv_nsec = (long)(deadline_ns % 1000000000ULL),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static uint64_t allocated_total(struct bench_remote *r)
{
	return atomic_load_explicit(&r->th[0].allocated, memory_order_relaxed) +
	       atomic_load_explicit(&r->th[1].allocated, memory_order_relaxed);
}

int bench_remote_run(void *ctx, void *(*thread_fn)(void *), const struct bench_params *p,
		     struct bench_result *res)
{
	struct bench_remote *r = aligned_alloc(64, sizeof(*r));
	uint64_t a0, t0, t_end;
	int started = 0, ret = 0;

	if (!r)
		return bench_fail(-ENOMEM, "out of memory for the rings");
	memset(r, 0, sizeof(*r));
	r->ctx = ctx;
	for (int i = 0; i < 2; i++) {
		r->th[i].r = r;
		r->th[i].idx = i;
	}
	for (; started < 2; started++) {
		pthread_attr_t attr;
		int err = pthread_attr_init(&attr);

		if (!err) {
			pin(&attr, started);
			err = pthread_create(&r->th[started].tid, &attr, thread_fn, &r->th[started]);
			pthread_attr_destroy(&attr);
		}
		if (err) {
			bench_remote_abandon(&r->th[started], "pthread_create failed");
			break;
		}
	}
	while (atomic_load(&r->ready) < started && !atomic_load(&r->failed))
		sched_yield();

	atomic_store_explicit(&r->go, 1, memory_order_release);
	if (!atomic_load(&r->failed))
		sleep_until(bench_now_ns() + p->warmup_ns);
	a0 = allocated_total(r);
	t0 = bench_now_ns();
	if (!atomic_load(&r->failed))
		sleep_until(t0 + p->target_ns);
	/* a loaded machine may starve the pair through a short window: give it up to 2 s more */
	for (int i = 0; i < 200 && !atomic_load(&r->failed) && allocated_total(r) == a0; i++)
		sleep_until(bench_now_ns() + 10000000);
	atomic_store(&r->stop, 1);
	for (int i = 0; i < started; i++)
		pthread_join(r->th[i].tid, NULL);

	if (atomic_load(&r->failed)) {
		ret = bench_fail(-EIO, "%s", r->error);
	} else {
		t_end = r->th[0].t_end > r->th[1].t_end ? r->th[0].t_end : r->th[1].t_end;
		res->ops = allocated_total(r) - a0;
		if (!res->ops)
			ret = bench_fail(-EIO, "no pair completed in the timed window");
		else
			res->ns_per_op = (double)(t_end - t0) / (double)res->ops;
	}
	free(r);
	return ret;
}
