/* SPDX-License-Identifier: MIT */
/*
 * The two-thread hand-over harness ("remote free"): each of two threads
 * allocates blocks and passes them to the other through a lock-free
 * single-producer/single-consumer ring, and frees what the other passes it.
 * Every block is thus freed by a thread other than the one that allocated
 * it: for kmm a page leaves one CPU's per-CPU list and comes back on the
 * other's, for a malloc a block goes back to another thread's cache or heap.
 *
 * The loop is an always-inline template called with constant alloc and free
 * functions, so that each side calls its allocator directly, as the
 * single-thread workloads do; the thread set-up and the timing are in
 * remote.c, shared by both sides.
 *
 * The two-thread churn (bench_churn_loop(), below) runs on the same driver
 * without the rings: each thread replaces blocks of a working set of its own.
 */
#ifndef KMM_BENCH_REMOTE_H
#define KMM_BENCH_REMOTE_H

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

#include "bench.h"

/* Blocks in flight per direction at most; a power of two. */
#define BENCH_RING_SIZE 256
/* Blocks allocated in a row before the thread looks at its inbound ring. */
#define BENCH_REMOTE_BURST 32

_Static_assert((BENCH_RING_SIZE & (BENCH_RING_SIZE - 1)) == 0, "ring size is a power of two");

/*
 * head is written by the producer only, tail by the consumer only; each keeps
 * a private copy of the other's index, refreshed when the ring looks full
 * (producer) or empty (consumer), so that the shared lines move only then.
 */
struct bench_ring {
	_Alignas(64) atomic_size_t head;
	size_t tail_seen;		/* producer's copy of tail */
	_Alignas(64) atomic_size_t tail;
	size_t head_seen;		/* consumer's copy of head */
	_Alignas(64) void *slot[BENCH_RING_SIZE];
};

struct bench_remote;

struct bench_remote_thread {
	_Alignas(64) struct bench_remote *r;
	int idx;				/* 0 or 1; ring[idx] is its outbound ring */
	atomic_uint_fast64_t allocated;		/* blocks pushed so far (final once finished) */
	atomic_int finished;			/* stopped allocating; allocated is final */
	uint64_t t_end;				/* when it had freed everything it was given */
	pthread_t tid;
};

struct bench_remote {
	struct bench_ring ring[2];
	struct bench_remote_thread th[2];
	_Alignas(64) atomic_int ready;		/* threads set up */
	atomic_int go, stop;
	atomic_int failed;			/* a thread failed: error holds why */
	char error[256];
	void *ctx;				/* the allocator's: the kmm machine */
};

/* Room for one more? Reads the consumer's index only when the ring looks full. */
static inline bool bench_ring_room(struct bench_ring *q)
{
	size_t h = atomic_load_explicit(&q->head, memory_order_relaxed);

	if (h - q->tail_seen < BENCH_RING_SIZE)
		return true;
	q->tail_seen = atomic_load_explicit(&q->tail, memory_order_acquire);
	return h - q->tail_seen < BENCH_RING_SIZE;
}

/* Producer: after bench_ring_room() said yes. */
static inline void bench_ring_push(struct bench_ring *q, void *obj)
{
	size_t h = atomic_load_explicit(&q->head, memory_order_relaxed);

	q->slot[h & (BENCH_RING_SIZE - 1)] = obj;
	atomic_store_explicit(&q->head, h + 1, memory_order_release);
}

static inline void *bench_ring_pop(struct bench_ring *q)
{
	size_t t = atomic_load_explicit(&q->tail, memory_order_relaxed);
	void *obj;

	if (t == q->head_seen) {
		q->head_seen = atomic_load_explicit(&q->head, memory_order_acquire);
		if (t == q->head_seen)
			return NULL;
	}
	obj = q->slot[t & (BENCH_RING_SIZE - 1)];
	atomic_store_explicit(&q->tail, t + 1, memory_order_release);
	return obj;
}

/* Records a thread's failure and stops both; called at most once per thread. */
void bench_remote_fail(struct bench_remote *r, const char *msg);

/*
 * The body of each thread, once set up: called with constant alloc_fn and
 * free_fn. alloc_fn returns NULL on failure, with the reason in bench_error().
 */
static inline __attribute__((always_inline)) void
bench_remote_loop(struct bench_remote_thread *t, void *(*alloc_fn)(void *ctx),
		  void (*free_fn)(void *ctx, void *obj))
{
	struct bench_remote *r = t->r;
	struct bench_ring *out = &r->ring[t->idx], *in = &r->ring[!t->idx];
	struct bench_remote_thread *peer = &r->th[!t->idx];
	void *ctx = r->ctx, *obj;
	uint64_t allocated = 0, freed = 0;
	unsigned int idle = 0;

	while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
		bool progress = false;

		for (int i = 0; i < BENCH_REMOTE_BURST && bench_ring_room(out); i++) {
			obj = alloc_fn(ctx);
			if (!obj) {
				bench_remote_fail(r, bench_error());
				break;
			}
			bench_ring_push(out, obj);
			allocated++;
			progress = true;
		}
		atomic_store_explicit(&t->allocated, allocated, memory_order_relaxed);
		while ((obj = bench_ring_pop(in))) {
			free_fn(ctx, obj);
			freed++;
			progress = true;
		}
		if (!progress && ++idle % 64 == 0)
			sched_yield();
		else if (!progress)
			bench_cpu_relax();
	}
	atomic_store_explicit(&t->allocated, allocated, memory_order_relaxed);
	atomic_store_explicit(&t->finished, 1, memory_order_release);
	/* free everything the other thread allocated, up to its final count */
	for (;;) {
		bool done = atomic_load_explicit(&peer->finished, memory_order_acquire) &&
			    freed == atomic_load_explicit(&peer->allocated, memory_order_relaxed);

		if (done)
			break;
		if ((obj = bench_ring_pop(in))) {
			free_fn(ctx, obj);
			freed++;
		} else {
			bench_cpu_relax();
		}
	}
	t->t_end = bench_now_ns();
}

/*
 * The two-thread churn (slab-2thr-churn), on the same driver: each thread
 * keeps a working set of BENCH_CHURN_SLOTS live blocks of random sizes from
 * BENCH_CHURN_MIN to BENCH_CHURN_MAX bytes and replaces a random one at a
 * time (free, then allocate a block of a new random size); t->allocated
 * counts replacements. The blocks never leave their thread. The random
 * sequence is xorshift64* from a fixed seed per thread, the same for kmm and
 * every peer, so that all do the same requests in the same order.
 */
#define BENCH_CHURN_SLOTS 10000
#define BENCH_CHURN_MIN 8
#define BENCH_CHURN_MAX 1024

static inline uint64_t bench_churn_seed(int idx)
{
	return 0x9e3779b97f4a7c15ULL * (uint64_t)(idx + 1);
}

static inline uint64_t bench_churn_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* A slot and a size from one draw, without a division. */
static inline uint32_t bench_churn_slot(uint64_t x)
{
	return (uint32_t)(((x >> 32) * BENCH_CHURN_SLOTS) >> 32);
}

static inline size_t bench_churn_size(uint64_t x)
{
	return BENCH_CHURN_MIN +
	       (size_t)(((x & 0xffffffffULL) * (BENCH_CHURN_MAX - BENCH_CHURN_MIN + 1)) >> 32);
}

/*
 * Fills slot[0..BENCH_CHURN_SLOTS) (untimed, before bench_remote_start()).
 * 0; -1 when an allocation failed (bench_error() says why): the blocks
 * allocated so far are in slot[], the rest NULL.
 */
static inline __attribute__((always_inline)) int
bench_churn_fill(void **slot, uint64_t *rng, void *ctx, void *(*alloc_fn)(void *ctx, size_t size))
{
	int ret = 0;

	for (unsigned int i = 0; i < BENCH_CHURN_SLOTS; i++) {
		slot[i] = ret ? NULL : alloc_fn(ctx, bench_churn_size(bench_churn_next(rng)));
		if (!slot[i])
			ret = -1;
	}
	return ret;
}

/*
 * The churn until stop; then t->allocated is final, t->finished set and
 * t_end taken. The working set stays in slot[] (a failed allocation leaves
 * NULL) for the thread to free, untimed.
 */
static inline __attribute__((always_inline)) void
bench_churn_loop(struct bench_remote_thread *t, void **slot, uint64_t *rng,
		 void *(*alloc_fn)(void *ctx, size_t size), void (*free_fn)(void *ctx, void *obj))
{
	struct bench_remote *r = t->r;
	void *ctx = r->ctx;
	uint64_t done = 0;

	while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
		uint64_t x = bench_churn_next(rng);
		uint32_t i = bench_churn_slot(x);

		free_fn(ctx, slot[i]);
		slot[i] = alloc_fn(ctx, bench_churn_size(x));
		if (!slot[i]) {
			bench_remote_fail(r, bench_error());
			break;
		}
		atomic_store_explicit(&t->allocated, ++done, memory_order_relaxed);
	}
	atomic_store_explicit(&t->finished, 1, memory_order_release);
	t->t_end = bench_now_ns();
}

/* Set up: waits for go. Then bench_remote_loop() (which returns at once if stopped). */
void bench_remote_start(struct bench_remote_thread *t);
/* Set-up failed: records why, stops the run; the thread then just returns. */
void bench_remote_abandon(struct bench_remote_thread *t, const char *msg);

/*
 * Runs thread_fn on two threads (each receives its struct
 * bench_remote_thread: set up, or bench_remote_abandon() and return;
 * bench_remote_start(); bench_remote_loop(); tear down), untimed for p->warmup_ns and timed for p->target_ns. ctx is
 * passed to alloc_fn and free_fn. 0, or -errno with bench_error() set.
 */
int bench_remote_run(void *ctx, void *(*thread_fn)(void *), const struct bench_params *p,
		     struct bench_result *res);

#endif /* KMM_BENCH_REMOTE_H */
