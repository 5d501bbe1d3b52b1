/* SPDX-License-Identifier: MIT */
/*
 * Tasks and CPUs.
 *
 * An attached thread is a task. A task runs kernel code only while it holds
 * a CPU: kmm_cpu_enter() (every entry into the kernel, and preempt_disable)
 * takes one, kmm_cpu_exit() gives it back when the nesting drops to zero.
 * Per-CPU data of a CPU is touched only by its holder, so the per-CPU fast
 * paths above need no lock and no atomic read-modify-write.
 *
 * 1. Ownership. cpu[c].owner names the task that owns CPU c, and
 *    task->in_kernel says whether it is inside the kernel right now. Two modes:
 *
 *    - Sticky (tasks <= CPUs): a task keeps the CPU it took when it leaves the
 *      kernel. Entering again is a store to in_kernel and a load of the owner
 *      word, no atomic read-modify-write: each task keeps its CPU between
 *      calls, as the kernel's per-CPU data expects.
 *    - Shared (more tasks than CPUs): a CPU is taken with a compare-and-swap
 *      at every entry and given back at every exit, so a thread blocked
 *      outside kmm (on a barrier, a join) never keeps others from running.
 *
 * 2. Taking a CPU from its sticky owner (when the machine turns shared, and
 *    for work that must run on every CPU, as drain_all_pages) is Dekker's
 *    handshake with asymmetric fences: the owner stores in_kernel then loads
 *    the owner word with only a compiler barrier between; the taker swaps
 *    the owner word, runs membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED), which
 *    makes every running thread of the process pass a full barrier, then
 *    waits for in_kernel to read 0. Either the owner saw the new owner word
 *    and backed off, or its in_kernel store is visible and the taker waits
 *    for it to leave. Takers are serialised by takers_lock, so a CPU is
 *    never taken from a taker that is itself still waiting. Without membarrier, or under ThreadSanitizer (which
 *    cannot see that handshake), machines stay shared.
 *
 * 3. Waiting. A task that finds no free CPU waits on cpu_wait; releasers
 *    signal it when they see a waiter, and waiters rescan every millisecond,
 *    so a missed wake-up costs a delay, never a deadlock.
 *
 * Sleeping (kmm_msleep, and later wait queues) gives the CPU up entirely and
 * takes one again on waking, perhaps another one: tasks migrate as in Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

#if defined(__SANITIZE_THREAD__)
#define KMM_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define KMM_TSAN 1
#endif
#endif

/* The calling thread's task; a thread that never attached points at a blank one. */
static struct kmm_task no_task = { .cpu = -1, .sticky_cpu = -1 };
/* initial-exec: one %fs-relative load, not a __tls_get_addr call per kernel entry */
__attribute__((tls_model("initial-exec"))) _Thread_local struct kmm_task *kmm_curp = &no_task;

static __attribute__((unused)) bool membarrier_works(void)
{
	static int state;	/* 0 unknown, 1 works, -1 not */

	if (!__atomic_load_n(&state, __ATOMIC_ACQUIRE)) {
		long cmds = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0);
		int ok = cmds >= 0 && (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
			 !syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0);

		__atomic_store_n(&state, ok ? 1 : -1, __ATOMIC_RELEASE);
	}
	return state > 0;
}

/* In a fork()ed child: registers the child's copy of the process again. */
static __attribute__((unused)) bool membarrier_works_again(void)
{
	return !syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0);
}

static void membarrier_all(void)
{
	syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0);
}

void kmm_cpus_init(struct kmm_machine *m)
{
	struct kmm_plat *p = m->plat;

	p->nr_cpus = m->desc.nr_cpus;
	for (unsigned int i = 0; i < KMM_NR_CPUS_MAX; i++) {
		atomic_init(&p->cpu[i].owner, NULL);
		atomic_init(&p->cpu[i].homed, 0);
	}
	pthread_mutex_init(&p->cpu_wait_lock, NULL);
	pthread_cond_init(&p->cpu_wait, NULL);
	pthread_mutex_init(&p->tasks_lock, NULL);
	pthread_mutex_init(&p->takers_lock, NULL);
	atomic_init(&p->cpu_waiters, 0);
	atomic_init(&p->nr_tasks, 0);
#ifdef KMM_TSAN
	p->sticky_ok = false;
#else
	p->sticky_ok = membarrier_works();
#endif
	atomic_init(&p->shared_mode, !p->sticky_ok);
}

void kmm_cpus_destroy(struct kmm_machine *m)
{
	struct kmm_plat *p = m->plat;

	pthread_mutex_destroy(&p->cpu_wait_lock);
	pthread_cond_destroy(&p->cpu_wait);
	pthread_mutex_destroy(&p->tasks_lock);
	pthread_mutex_destroy(&p->takers_lock);
	while (p->tasks) {
		struct kmm_task *t = p->tasks;

		p->tasks = t->next;
		free(t);
	}
}

static bool cpu_try_take(struct kmm_plat *p, int cpu, struct kmm_task *t)
{
	struct kmm_task *expected = NULL;

	return atomic_compare_exchange_strong_explicit(&p->cpu[cpu].owner, &expected, t,
						       memory_order_acquire,
						       memory_order_relaxed);
}

/*
 * Marks the task inside the kernel on a CPU it has just taken, then checks
 * that nobody took the CPU away meanwhile (the owner's half of the handshake).
 */
static inline __attribute__((always_inline)) bool enter_on(struct kmm_plat *p, struct kmm_task *t, int cpu)
{
	atomic_store_explicit(&t->in_kernel, 1, memory_order_relaxed);
	atomic_signal_fence(memory_order_seq_cst);
	if (likely(atomic_load_explicit(&p->cpu[cpu].owner, memory_order_relaxed) == t)) {
		t->cpu = cpu;
		return true;
	}
	atomic_store_explicit(&t->in_kernel, 0, memory_order_release);
	return false;
}

static bool cpu_take_any(struct kmm_plat *p, struct kmm_task *t)
{
	for (unsigned int i = 0; i < p->nr_cpus; i++) {
		int cpu = (t->home + (int)i) % (int)p->nr_cpus;

		if (cpu_try_take(p, cpu, t)) {
			if (enter_on(p, t, cpu))
				return true;
		}
	}
	return false;
}

static void wait_a_little(struct kmm_plat *p)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 1000000;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&p->cpu_wait, &p->cpu_wait_lock, &ts);
}

static void cpu_acquire_slow(struct kmm_plat *p, struct kmm_task *t)
{
	pthread_mutex_lock(&p->cpu_wait_lock);
	atomic_fetch_add(&p->cpu_waiters, 1);
	while (!cpu_take_any(p, t))
		wait_a_little(p);
	atomic_fetch_sub(&p->cpu_waiters, 1);
	pthread_mutex_unlock(&p->cpu_wait_lock);
}

static __attribute__((noinline)) void cpu_acquire_other(struct kmm_task *t)
{
	struct kmm_plat *p = t->m->plat;

	t->sticky_cpu = -1;
	t->sticky_owner = NULL;
	if (cpu_take_any(p, t) || (cpu_acquire_slow(p, t), true)) {
		if (!atomic_load_explicit(&p->shared_mode, memory_order_relaxed)) {
			t->sticky_cpu = t->cpu;
			t->sticky_owner = &p->cpu[t->cpu].owner;
		}
	}
}

/* The fast path: the CPU this task kept is still its own. */
static inline __attribute__((always_inline)) void cpu_acquire(struct kmm_task *t)
{
	int c = t->sticky_cpu;

	if (likely(c >= 0) && likely(enter_on(t->m->plat, t, c)))
		return;
	cpu_acquire_other(t);
}

static void wake_waiters(struct kmm_plat *p)
{
	if (atomic_load_explicit(&p->cpu_waiters, memory_order_relaxed)) {
		pthread_mutex_lock(&p->cpu_wait_lock);
		pthread_cond_broadcast(&p->cpu_wait);
		pthread_mutex_unlock(&p->cpu_wait_lock);
	}
}

/* Gives the CPU up entirely (shared mode, sleeping, detaching). */
static void cpu_release(struct kmm_task *t)
{
	struct kmm_plat *p = t->m->plat;
	struct kmm_task *self = t;

	atomic_store_explicit(&t->in_kernel, 0, memory_order_release);
	if (t->sticky_cpu >= 0 || t->cpu >= 0)
		atomic_compare_exchange_strong_explicit(&p->cpu[t->cpu].owner, &self, NULL,
							memory_order_release,
							memory_order_relaxed);
	t->sticky_cpu = -1;
	t->sticky_owner = NULL;
	wake_waiters(p);
}

/*
 * Leaves the kernel: a sticky owner keeps its CPU, others give it back. A
 * sticky owner whose CPU was taken meanwhile (the machine turned shared)
 * needs nothing more: its next entry finds the owner word changed.
 */
static inline __attribute__((always_inline)) void cpu_leave(struct kmm_task *t)
{
	if (likely(t->sticky_cpu >= 0)) {
		atomic_store_explicit(&t->in_kernel, 0, memory_order_release);
		return;
	}
	cpu_release(t);
}

/*
 * Takes CPU cpu from whoever owns it, waiting until its owner is out of the
 * kernel (the taker's half of the handshake). Returns with the CPU owned by t.
 */
static void cpu_take_from_owner(struct kmm_plat *p, struct kmm_task *t, int cpu)
{
	for (;;) {
		struct kmm_task *u = atomic_load_explicit(&p->cpu[cpu].owner, memory_order_relaxed);

		if (!u) {
			if (cpu_try_take(p, cpu, t))
				return;
			continue;
		}
		if (u == t)
			return;
		if (atomic_compare_exchange_strong_explicit(&p->cpu[cpu].owner, &u, t,
							    memory_order_acquire,
							    memory_order_relaxed)) {
			if (p->sticky_ok)
				membarrier_all();
			while (atomic_load_explicit(&u->in_kernel, memory_order_acquire)) {
				pthread_mutex_lock(&p->cpu_wait_lock);
				atomic_fetch_add(&p->cpu_waiters, 1);
				if (atomic_load_explicit(&u->in_kernel, memory_order_acquire))
					wait_a_little(p);
				atomic_fetch_sub(&p->cpu_waiters, 1);
				pthread_mutex_unlock(&p->cpu_wait_lock);
			}
			return;
		}
	}
}

/* Turns the machine shared: every sticky owner loses its CPU once it is out. */
static void go_shared(struct kmm_plat *p, struct kmm_task *t)
{
	if (atomic_exchange(&p->shared_mode, 1))
		return;
	pthread_mutex_lock(&p->takers_lock);
	for (unsigned int cpu = 0; cpu < p->nr_cpus; cpu++) {
		struct kmm_task *u = atomic_load(&p->cpu[cpu].owner);

		if (!u || u == t)
			continue;
		cpu_take_from_owner(p, t, (int)cpu);
		atomic_store_explicit(&p->cpu[cpu].owner, NULL, memory_order_release);
	}
	pthread_mutex_unlock(&p->takers_lock);
	wake_waiters(p);
}

/* ---- fork (fork.c) ---- */

void kmm_host_cpus_take_all(struct kmm_machine *m)
{
	struct kmm_plat *p = m->plat;
	struct kmm_task *t = kmm_curp;

	/* the caller holds takers_lock and no CPU */
	for (unsigned int cpu = 0; cpu < p->nr_cpus; cpu++)
		cpu_take_from_owner(p, t, (int)cpu);
	t->sticky_cpu = -1;
	t->sticky_owner = NULL;
}

void kmm_host_cpus_release_all(struct kmm_machine *m)
{
	struct kmm_plat *p = m->plat;

	for (unsigned int cpu = 0; cpu < p->nr_cpus; cpu++)
		atomic_store_explicit(&p->cpu[cpu].owner, NULL, memory_order_release);
}

void kmm_host_tasks_fork_child(struct kmm_machine *m)
{
	struct kmm_plat *p = m->plat;
	struct kmm_task *self = kmm_curp;

	/* the child has one thread: every other task was a thread it does not have */
	for (struct kmm_task *t = p->tasks; t; t = t->next) {
		if (t == self)
			continue;
		t->m = NULL;
		t->used = false;
		t->hold = 0;
		t->sticky_cpu = -1;
		t->sticky_owner = NULL;
		atomic_store(&t->in_kernel, 0);
	}
	for (unsigned int i = 0; i < KMM_NR_CPUS_MAX; i++)
		atomic_store(&p->cpu[i].homed, 0);
	atomic_store(&p->cpu[self->home].homed, 1);
	atomic_store(&p->nr_tasks, 1);
	atomic_store(&p->cpu_waiters, 0);
	/* membarrier's registration is the mm's, which fork copies; registering again is harmless */
	if (p->sticky_ok)
		p->sticky_ok = membarrier_works_again();
	atomic_store(&p->shared_mode, !p->sticky_ok);
}

void kmm_cpu_enter(void)
{
	struct kmm_task *t = kmm_curp;

	if (t->m && t->hold++ == 0)
		cpu_acquire(t);
}

void kmm_cpu_exit(void)
{
	struct kmm_task *t = kmm_curp;

	if (t->m && t->hold > 0 && --t->hold == 0)
		cpu_leave(t);
}

static struct kmm_task *task_get(struct kmm_plat *p)
{
	struct kmm_task *t;

	/* tasks are never freed while the machine lives: a taker may still read in_kernel */
	pthread_mutex_lock(&p->tasks_lock);
	for (t = p->tasks; t && t->used; t = t->next)
		;
	if (!t) {
		t = calloc(1, sizeof(*t));
		if (t) {
			t->next = p->tasks;
			p->tasks = t;
		}
	}
	if (t)
		t->used = true;
	pthread_mutex_unlock(&p->tasks_lock);
	return t;
}

int kmm_thread_attach(struct kmm_machine *m)
{
	struct kmm_task *t = kmm_curp;
	struct kmm_plat *p;
	int home = 0;

	if (!m)
		return kmm_set_error(-EINVAL, "kmm_thread_attach: no machine");
	if (t->m == m)
		return 0;
	if (t->m)
		return kmm_set_error(-EBUSY, "kmm_thread_attach: thread is attached to another machine");
	p = m->plat;
	t = task_get(p);
	if (!t)
		return kmm_set_error(-ENOMEM, "kmm_thread_attach: out of host memory");
	for (unsigned int i = 1; i < p->nr_cpus; i++)
		if (atomic_load(&p->cpu[i].homed) < atomic_load(&p->cpu[home].homed))
			home = (int)i;
	atomic_fetch_add(&p->cpu[home].homed, 1);
	t->m = m;
	t->cpu = home;
	t->home = home;
	t->hold = 0;
	t->preempt_count = 0;
	t->pagefault_disabled = 0;
	t->sticky_cpu = -1;
	t->sticky_owner = NULL;
	atomic_store(&t->in_kernel, 0);
	kmm_curp = t;
	if (atomic_fetch_add(&p->nr_tasks, 1) + 1 > (int)p->nr_cpus)
		go_shared(p, t);
	return 0;
}

void kmm_thread_detach(void)
{
	struct kmm_task *t = kmm_curp;
	struct kmm_plat *p;

	if (!t->m)
		return;
	p = t->m->plat;
	if (t->hold > 0 || t->sticky_cpu >= 0)
		cpu_release(t);
	atomic_fetch_sub(&p->cpu[t->home].homed, 1);
	/* back to no more tasks than CPUs: tasks may keep their CPUs again */
	if (atomic_fetch_sub(&p->nr_tasks, 1) - 1 <= (int)p->nr_cpus && p->sticky_ok)
		atomic_store(&p->shared_mode, 0);
	pthread_mutex_lock(&p->tasks_lock);
	t->m = NULL;
	t->used = false;
	pthread_mutex_unlock(&p->tasks_lock);
	kmm_curp = &no_task;
}

int kmm_sched_setcpu(int cpu)
{
	struct kmm_task *t = kmm_curp;
	struct kmm_plat *p;

	if (!t->m)
		return kmm_set_error(-EINVAL, "kmm_sched_setcpu: the thread is not attached to a machine");
	p = t->m->plat;
	if (cpu < 0 || (unsigned int)cpu >= p->nr_cpus)
		return kmm_set_error(-EINVAL, "kmm_sched_setcpu: no CPU %d (the machine has %u)", cpu,
				     p->nr_cpus);
	if (t->hold)
		return kmm_set_error(-EBUSY, "kmm_sched_setcpu: preemption is disabled");
	if (t->home != cpu) {
		atomic_fetch_sub(&p->cpu[t->home].homed, 1);
		atomic_fetch_add(&p->cpu[cpu].homed, 1);
		t->home = cpu;
	}
	if (t->sticky_cpu == cpu &&
	    atomic_load_explicit(&p->cpu[cpu].owner, memory_order_relaxed) == t)
		return 0;
	if (t->sticky_cpu >= 0)
		cpu_release(t);
	/* shared: nobody keeps a CPU; the task takes its home CPU first at each entry */
	if (atomic_load(&p->shared_mode))
		return 0;
	pthread_mutex_lock(&p->takers_lock);
	cpu_take_from_owner(p, t, cpu);
	pthread_mutex_unlock(&p->takers_lock);
	t->cpu = cpu;
	t->sticky_cpu = cpu;
	t->sticky_owner = &p->cpu[cpu].owner;
	return 0;
}

struct kmm_machine *kmm_current_machine(void)
{
	return kmm_curp->m;
}

unsigned int kmm_nr_cpus(struct kmm_machine *m)
{
	return m->desc.nr_cpus;
}

int kmm_smp_processor_id(void)
{
	return kmm_curp->m ? kmm_curp->cpu : 0;
}

void kmm_preempt_disable(void)
{
	if (!kmm_curp->m)
		return;
	kmm_curp->preempt_count++;
	kmm_cpu_enter();
}

void kmm_preempt_enable(void)
{
	if (kmm_curp->m && kmm_curp->preempt_count > 0) {
		kmm_curp->preempt_count--;
		kmm_cpu_exit();
	}
}

int kmm_preempt_count(void)
{
	return kmm_curp->preempt_count;
}

/* might_sleep(): the kernel's report when a task sleeps in atomic context. */
static void might_sleep(const char *where)
{
	struct kmm_task *t = kmm_curp;

	if (!t->m || !t->preempt_count)
		return;
	kmm_core_printk(t->m, KMM_KERN_ERR "BUG: sleeping function called from invalid context at %s\n", where);
	kmm_core_printk(t->m, KMM_KERN_ERR "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: %d, name: %s\n",
			(int)syscall(SYS_gettid), program_invocation_short_name);
	kmm_core_printk(t->m, KMM_KERN_ERR "preempt_count: %x, expected: 0\n", t->preempt_count);
}

static void sleep_ns(struct kmm_task *t, uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ULL), (long)(ns % 1000000000ULL) };
	int hold = t->m ? t->hold : 0;

	if (hold) {
		cpu_release(t);
		t->hold = 0;
	}
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	if (hold) {
		cpu_acquire(t);
		t->hold = hold;
	}
}

void kmm_msleep(unsigned int msecs)
{
	might_sleep("kernel/time/sleep_timeout.c:365");
	sleep_ns(kmm_curp, (uint64_t)msecs * 1000000ULL);
}

/* ---- the platform interface of include/kmm/platform.h ---- */

/* The calling task of m: an unattached thread becomes one; NULL if it belongs to another machine. */
static struct kmm_task *task_of(struct kmm_machine *m)
{
	struct kmm_task *t = kmm_curp;

	if (likely(t->m == m))
		return t;
	if (t->m) {
		kmm_core_printk(m, KMM_KERN_ERR "BUG: kmm: a task of another machine called into this one\n");
		return NULL;
	}
	if (kmm_thread_attach(m))
		return NULL;
	return kmm_curp;
}

int kmm_plat_cpu_get_slow(struct kmm_machine *m)
{
	struct kmm_task *t = kmm_curp;

	if (unlikely(t->m != m)) {
		t = task_of(m);
		if (!t)
			return -1;
	}
	if (t->hold++ == 0)
		cpu_acquire(t);
	return t->cpu;
}

void kmm_plat_cpu_put_slow(struct kmm_machine *m)
{
	struct kmm_task *t = kmm_curp;

	if (likely(t->m == m) && t->hold > 0 && --t->hold == 0)
		cpu_leave(t);
}

int kmm_plat_cpu_id(struct kmm_machine *m)
{
	return kmm_curp->m == m && kmm_curp->cpu >= 0 ? kmm_curp->cpu : 0;
}

bool kmm_plat_in_atomic(struct kmm_machine *m)
{
	return kmm_curp->m == m && kmm_curp->preempt_count > 0;
}

void kmm_plat_preempt_disable(struct kmm_machine *m)
{
	if (task_of(m))
		kmm_preempt_disable();
}

void kmm_plat_preempt_enable(struct kmm_machine *m)
{
	if (kmm_curp->m == m)
		kmm_preempt_enable();
}

void kmm_plat_pagefault_disable(struct kmm_machine *m)
{
	struct kmm_task *t = task_of(m);

	if (t)
		t->pagefault_disabled++;
}

void kmm_plat_pagefault_enable(struct kmm_machine *m)
{
	struct kmm_task *t = kmm_curp;

	if (t->m == m && t->pagefault_disabled > 0)
		t->pagefault_disabled--;
}

bool kmm_plat_pagefault_disabled(struct kmm_machine *m)
{
	return kmm_curp->m == m && kmm_curp->pagefault_disabled > 0;
}

void kmm_plat_on_each_cpu(struct kmm_machine *m,
			  void (*fn)(struct kmm_machine *m, int cpu, void *arg), void *arg)
{
	struct kmm_task *t = task_of(m);
	struct kmm_plat *p = m->plat;
	int hold;

	if (!t)
		return;
	int was_on = t->cpu;

	hold = t->hold;
	if (hold || t->sticky_cpu >= 0)
		cpu_release(t);
	t->hold = 0;
	pthread_mutex_lock(&p->takers_lock);
	for (unsigned int cpu = 0; cpu < p->nr_cpus; cpu++) {
		/* run on that CPU: take it from its owner once the owner is out */
		cpu_take_from_owner(p, t, (int)cpu);
		atomic_store_explicit(&t->in_kernel, 1, memory_order_relaxed);
		t->cpu = (int)cpu;
		t->hold = 1;
		fn(m, (int)cpu, arg);
		t->hold = 0;
		cpu_release(t);
	}
	pthread_mutex_unlock(&p->takers_lock);
	if (hold) {
		cpu_acquire(t);
		t->hold = hold;
	} else {
		/* smp_processor_id() between calls names the CPU the task ran on */
		t->cpu = was_on;
	}
}

void kmm_plat_sleep(struct kmm_machine *m, uint64_t ns)
{
	struct kmm_task *t = task_of(m);

	if (t)
		sleep_ns(t, ns);
}

void kmm_plat_wait(struct kmm_machine *m, kmm_atomic_u32 *word, uint32_t val)
{
	struct kmm_task *t = task_of(m);
	int hold = t ? t->hold : 0;

	if (atomic_load_explicit(word, memory_order_acquire) != val)
		return;
	if (hold) {
		cpu_release(t);
		t->hold = 0;
	}
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
	if (hold) {
		cpu_acquire(t);
		t->hold = hold;
	}
}

void kmm_plat_wake(struct kmm_machine *m, kmm_atomic_u32 *word)
{
	(void)m;
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
}

const char *kmm_plat_task_comm(struct kmm_machine *m)
{
	(void)m;
	return program_invocation_short_name;
}

int kmm_plat_task_pid(struct kmm_machine *m)
{
	(void)m;
	return (int)syscall(SYS_gettid);
}
