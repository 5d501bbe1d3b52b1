/* SPDX-License-Identifier: MIT */
/*
 * The hosted platform's inline CPU fast path (task.c explains the model).
 * include/kmm/platform.h includes this header in place of the out-of-line
 * declarations of kmm_plat_cpu_get/put when KMM_PLATFORM_INLINE_CPU names it,
 * as the hosted build does, so that the page and slab fast paths enter and
 * leave the kernel without a call. The freestanding core builds without it.
 */
#ifndef KMM_HOST_CPU_INLINE_H
#define KMM_HOST_CPU_INLINE_H

#include <stdatomic.h>
#include <stdbool.h>

struct kmm_machine;

/* A task: the state of an attached thread. */
struct kmm_task {
	struct kmm_machine *m;		/* NULL: not attached */
	int cpu;			/* CPU held, or last held (the sticky CPU if any) */
	int home;			/* preferred CPU */
	int hold;			/* nesting of kmm_cpu_enter/preempt_disable */
	int preempt_count;
	int pagefault_disabled;		/* pagefault_disable() nesting */
	int sticky_cpu;			/* the CPU this task keeps between calls, or -1 */
	_Atomic(struct kmm_task *) *sticky_owner;	/* its owner word, or NULL */
	atomic_int in_kernel;		/* inside the kernel on its CPU now */
	struct kmm_task *next;		/* in plat->tasks */
	bool used;
};

extern __attribute__((tls_model("initial-exec"))) _Thread_local struct kmm_task *kmm_curp;

int kmm_plat_cpu_get_slow(struct kmm_machine *m);
void kmm_plat_cpu_put_slow(struct kmm_machine *m);

#ifdef KMM_PLATFORM_INLINE_CPU

/* Expected cost: a TLS load, three compares, two stores and one load. */
static inline __attribute__((always_inline)) int kmm_plat_cpu_get(struct kmm_machine *m)
{
	struct kmm_task *t = kmm_curp;

	if (__builtin_expect(t->m == m && t->hold == 0 && t->sticky_owner != 0, 1)) {
		atomic_store_explicit(&t->in_kernel, 1, memory_order_relaxed);
		atomic_signal_fence(memory_order_seq_cst);
		if (__builtin_expect(atomic_load_explicit(t->sticky_owner, memory_order_relaxed) == t, 1)) {
			t->hold = 1;
			return t->cpu;
		}
		atomic_store_explicit(&t->in_kernel, 0, memory_order_release);
	}
	return kmm_plat_cpu_get_slow(m);
}

static inline __attribute__((always_inline)) void kmm_plat_cpu_put(struct kmm_machine *m)
{
	struct kmm_task *t = kmm_curp;

	if (__builtin_expect(t->m == m && t->hold == 1 && t->sticky_owner != 0, 1)) {
		t->hold = 0;
		atomic_store_explicit(&t->in_kernel, 0, memory_order_release);
		return;
	}
	kmm_plat_cpu_put_slow(m);
}

/*
 * A fast section: a few loads and stores of per-CPU data, with no call, no
 * sleep and no other CPU entry between enter and exit (a freelist pop or
 * push). It runs only on the CPU the task keeps (sticky mode) and when it
 * holds none already; otherwise enter returns -1 and the caller takes its
 * slow path, which enters with kmm_plat_cpu_get(). No nesting count is kept:
 * nothing in the section reads it, and a CPU taker waits on in_kernel alone.
 * Expected cost: a TLS load, three compares, a store and a load to enter, a
 * store to leave.
 */
typedef struct kmm_task *kmm_plat_fast_t;

static inline __attribute__((always_inline)) int kmm_plat_cpu_fast_enter(struct kmm_machine *m,
									  kmm_plat_fast_t *tok)
{
	struct kmm_task *t = kmm_curp;

	*tok = t;
	if (__builtin_expect(t->m == m && t->hold == 0 && t->sticky_owner != 0, 1)) {
		atomic_store_explicit(&t->in_kernel, 1, memory_order_relaxed);
		atomic_signal_fence(memory_order_seq_cst);
		if (__builtin_expect(atomic_load_explicit(t->sticky_owner, memory_order_relaxed) == t, 1))
			return t->cpu;
		atomic_store_explicit(&t->in_kernel, 0, memory_order_release);
	}
	return -1;
}

static inline __attribute__((always_inline)) void kmm_plat_cpu_fast_exit(struct kmm_machine *m,
									  kmm_plat_fast_t tok)
{
	(void)m;
	atomic_store_explicit(&tok->in_kernel, 0, memory_order_release);
}

#endif /* KMM_PLATFORM_INLINE_CPU */

#endif /* KMM_HOST_CPU_INLINE_H */
