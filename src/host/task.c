/* SPDX-License-Identifier: MIT */
/*
 * Tasks and CPUs.
 *
 * An attached thread is a task. A task runs kernel code only while it holds
 * a CPU: kmm_cpu_enter() (every entry into the kernel, and preempt_disable)
 * takes one, kmm_cpu_exit() gives it back when the nesting drops to zero.
 * Holding is an owner pointer per CPU, taken with one compare-and-swap and
 * released with one store, so that per-CPU data is never touched by two
 * threads at once and the per-CPU fast paths above need no atomics.
 *
 * Each task has a home CPU, spread evenly at attach. While tasks do not
 * outnumber CPUs every task has a home of its own, so it always gets the
 * same CPU back without contention: it keeps its CPU between calls. With
 * more tasks than CPUs a task takes its home if free, else any free CPU,
 * else sleeps on cpu_wait until one is released. A CPU is never held between
 * calls, so a thread blocked outside kmm (on a barrier, a join) never keeps
 * another from running: nothing deadlocks for want of a CPU.
 *
 * Sleeping (kmm_msleep, and later wait queues) releases the CPU and takes
 * one again on waking, perhaps another one: tasks migrate as in Linux.
 *
 * Releasing costs one store and one load: the releaser stores NULL (release
 * order) and signals only if it sees a waiter. The two are not ordered
 * against a waiter's registration, so a wake-up can be missed; waiters
 * therefore wait at most a millisecond before scanning again. The cost of
 * the rare race is a delay, and the common path stays two plain accesses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host.h"

_Thread_local struct kmm_task kmm_cur;

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
	atomic_init(&p->cpu_waiters, 0);
	atomic_init(&p->nr_tasks, 0);
}

void kmm_cpus_destroy(struct kmm_machine *m)
{
	pthread_mutex_destroy(&m->plat->cpu_wait_lock);
	pthread_cond_destroy(&m->plat->cpu_wait);
}

static bool cpu_try_take(struct kmm_plat *p, int cpu, struct kmm_task *t)
{
	struct kmm_task *expected = NULL;

	return atomic_compare_exchange_strong_explicit(&p->cpu[cpu].owner, &expected, t,
						       memory_order_acquire,
						       memory_order_relaxed);
}

static bool cpu_take_any(struct kmm_plat *p, struct kmm_task *t)
{
	for (unsigned int i = 0; i < p->nr_cpus; i++) {
		int cpu = (t->home + (int)i) % (int)p->nr_cpus;

		if (cpu_try_take(p, cpu, t)) {
			t->cpu = cpu;
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

/* Takes one given CPU, waiting for its holder to let go (work queued on that CPU). */
static void cpu_acquire_this(struct kmm_plat *p, struct kmm_task *t, int cpu)
{
	if (cpu_try_take(p, cpu, t)) {
		t->cpu = cpu;
		return;
	}
	pthread_mutex_lock(&p->cpu_wait_lock);
	atomic_fetch_add(&p->cpu_waiters, 1);
	while (!cpu_try_take(p, cpu, t))
		wait_a_little(p);
	atomic_fetch_sub(&p->cpu_waiters, 1);
	pthread_mutex_unlock(&p->cpu_wait_lock);
	t->cpu = cpu;
}

static void cpu_acquire(struct kmm_task *t)
{
	struct kmm_plat *p = t->m->plat;

	if (cpu_try_take(p, t->home, t)) {
		t->cpu = t->home;
		return;
	}
	if (!cpu_take_any(p, t))
		cpu_acquire_slow(p, t);
}

static void cpu_release(struct kmm_task *t)
{
	struct kmm_plat *p = t->m->plat;

	atomic_store_explicit(&p->cpu[t->cpu].owner, NULL, memory_order_release);
	if (atomic_load_explicit(&p->cpu_waiters, memory_order_relaxed)) {
		pthread_mutex_lock(&p->cpu_wait_lock);
		pthread_cond_broadcast(&p->cpu_wait);
		pthread_mutex_unlock(&p->cpu_wait_lock);
	}
}

void kmm_cpu_enter(void)
{
	struct kmm_task *t = &kmm_cur;

	if (t->m && t->hold++ == 0)
		cpu_acquire(t);
}


void kmm_cpu_exit(void)
{
	struct kmm_task *t = &kmm_cur;

	if (t->m && t->hold > 0 && --t->hold == 0)
		cpu_release(t);
}

int kmm_thread_attach(struct kmm_machine *m)
{
	struct kmm_task *t = &kmm_cur;
	struct kmm_plat *p;
	int home = 0;

	if (!m)
		return kmm_set_error(-EINVAL, "kmm_thread_attach: no machine");
	if (t->m == m)
		return 0;
	if (t->m)
		return kmm_set_error(-EBUSY, "kmm_thread_attach: thread is attached to another machine");
	p = m->plat;
	for (unsigned int i = 1; i < p->nr_cpus; i++)
		if (atomic_load(&p->cpu[i].homed) < atomic_load(&p->cpu[home].homed))
			home = (int)i;
	atomic_fetch_add(&p->cpu[home].homed, 1);
	atomic_fetch_add(&p->nr_tasks, 1);
	*t = (struct kmm_task){ .m = m, .cpu = home, .home = home };
	return 0;
}

void kmm_thread_detach(void)
{
	struct kmm_task *t = &kmm_cur;

	if (!t->m)
		return;
	if (t->hold > 0)
		cpu_release(t);
	atomic_fetch_sub(&t->m->plat->cpu[t->home].homed, 1);
	atomic_fetch_sub(&t->m->plat->nr_tasks, 1);
	*t = (struct kmm_task){ .cpu = -1 };
}

struct kmm_machine *kmm_current_machine(void)
{
	return kmm_cur.m;
}

unsigned int kmm_nr_cpus(struct kmm_machine *m)
{
	return m->desc.nr_cpus;
}

int kmm_smp_processor_id(void)
{
	return kmm_cur.m ? kmm_cur.cpu : 0;
}

void kmm_preempt_disable(void)
{
	kmm_cur.preempt_count++;
	kmm_cpu_enter();
}

void kmm_preempt_enable(void)
{
	if (kmm_cur.preempt_count > 0) {
		kmm_cur.preempt_count--;
		kmm_cpu_exit();
	}
}

int kmm_preempt_count(void)
{
	return kmm_cur.preempt_count;
}

/* might_sleep(): the kernel's report when a task sleeps in atomic context. */
static void might_sleep(const char *where)
{
	struct kmm_task *t = &kmm_cur;

	if (!t->m || !t->preempt_count)
		return;
	kmm_core_printk(t->m, KMM_KERN_ERR "BUG: sleeping function called from invalid context at %s\n", where);
	kmm_core_printk(t->m, KMM_KERN_ERR "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: %d, name: kmm\n",
			(int)getpid());
	kmm_core_printk(t->m, KMM_KERN_ERR "preempt_count: %x, expected: 0\n", t->preempt_count);
}

void kmm_msleep(unsigned int msecs)
{
	struct kmm_task *t = &kmm_cur;
	struct timespec ts = { msecs / 1000, (long)(msecs % 1000) * 1000000L };
	int hold = t->hold;

	might_sleep("kernel/time/sleep_timeout.c:365");
	if (t->m && hold > 0) {
		cpu_release(t);
		t->hold = 0;
	}
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	if (t->m && hold > 0) {
		cpu_acquire(t);
		t->hold = hold;
	}
}

/* ---- the platform interface of include/kmm/platform.h ---- */

/* The calling task of m: an unattached thread becomes one; NULL if it belongs to another machine. */
static struct kmm_task *task_of(struct kmm_machine *m)
{
	struct kmm_task *t = &kmm_cur;

	if (likely(t->m == m))
		return t;
	if (t->m) {
		kmm_core_printk(m, KMM_KERN_ERR "BUG: kmm: a task of another machine called into this one\n");
		return NULL;
	}
	kmm_thread_attach(m);
	return t;
}

int kmm_plat_cpu_get(struct kmm_machine *m)
{
	struct kmm_task *t = task_of(m);

	if (unlikely(!t))
		return -1;
	if (t->hold++ == 0)
		cpu_acquire(t);
	return t->cpu;
}

void kmm_plat_cpu_put(struct kmm_machine *m)
{
	struct kmm_task *t = &kmm_cur;

	if (likely(t->m == m) && t->hold > 0 && --t->hold == 0)
		cpu_release(t);
}

int kmm_plat_cpu_id(struct kmm_machine *m)
{
	return kmm_cur.m == m && kmm_cur.cpu >= 0 ? kmm_cur.cpu : 0;
}

bool kmm_plat_in_atomic(struct kmm_machine *m)
{
	return kmm_cur.m == m && kmm_cur.preempt_count > 0;
}

void kmm_plat_on_each_cpu(struct kmm_machine *m,
			  void (*fn)(struct kmm_machine *m, int cpu, void *arg), void *arg)
{
	struct kmm_task *t = task_of(m);
	struct kmm_plat *p = m->plat;
	int hold;

	if (!t)
		return;
	hold = t->hold;
	if (hold) {
		cpu_release(t);
		t->hold = 0;
	}
	for (unsigned int cpu = 0; cpu < p->nr_cpus; cpu++) {
		cpu_acquire_this(p, t, (int)cpu);
		t->hold = 1;
		fn(m, (int)cpu, arg);
		t->hold = 0;
		cpu_release(t);
	}
	if (hold) {
		cpu_acquire(t);
		t->hold = hold;
	}
}

void kmm_plat_sleep(struct kmm_machine *m, uint64_t ns)
{
	struct kmm_task *t = task_of(m);
	struct timespec ts = { (time_t)(ns / 1000000000ULL), (long)(ns % 1000000000ULL) };
	int hold = t ? t->hold : 0;

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
