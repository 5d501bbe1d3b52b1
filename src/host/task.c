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
 * Lost wake-ups: a waiter raises cpu_waiters and rescans under the mutex
 * before waiting; a releaser stores NULL, then reads cpu_waiters (both
 * sequentially consistent) and signals under the mutex, so one of them sees
 * the other.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>
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

static void cpu_acquire_slow(struct kmm_plat *p, struct kmm_task *t)
{
	pthread_mutex_lock(&p->cpu_wait_lock);
	atomic_fetch_add(&p->cpu_waiters, 1);
	while (!cpu_take_any(p, t))
		pthread_cond_wait(&p->cpu_wait, &p->cpu_wait_lock);
	atomic_fetch_sub(&p->cpu_waiters, 1);
	pthread_mutex_unlock(&p->cpu_wait_lock);
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

	atomic_store(&p->cpu[t->cpu].owner, NULL);
	if (atomic_load(&p->cpu_waiters)) {
		pthread_mutex_lock(&p->cpu_wait_lock);
		pthread_cond_signal(&p->cpu_wait);
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
