/* SPDX-License-Identifier: MIT */
/*
 * fork() of a process that runs a machine: kmm_fork_prepare(), then
 * kmm_fork_parent() in the parent and kmm_fork_child() in the child, as
 * pthread_atfork() handlers call them (the malloc shim does).
 *
 * The child of a threaded process has one thread, and every lock another
 * thread held at the fork stays held in it for ever. So prepare makes the
 * calling task the owner of every CPU: from then on no other task is inside
 * the kernel, so none holds a CPU's data or a lock taken under a CPU. It
 * then takes, in lock order, the locks a thread takes without a CPU on the
 * allocation paths: the reporting pass's lock (a pass keeps blocks off the
 * free lists while it runs), the node lists of the caches (debug caches
 * free there without a CPU), the zone locks (reports read them), the
 * platform's mutexes and, innermost, the log's lock (warnings print without
 * a CPU):
 *
 *   takers_lock -> every CPU -> reporting_lock -> list_lock of each cache ->
 *   zone locks -> work_lock -> reporter_lock -> tasks_lock -> cpu_wait_lock ->
 *   log lock
 *
 * The parent releases all of it. The child re-initialises the mutexes,
 * unlocks the spinlocks and forgets every task but the caller's: their
 * threads do not exist there. Each CPU's lists and slabs stay as they were,
 * whole, and any task may take them over. The reporting thread and the
 * worker are not in the child either: passes run when asked, and work queued
 * before the fork runs when the next work is queued (the worker starts
 * again then).
 *
 * What this does not cover: a thread in the middle of a /proc write, a
 * kmem_cache_create or destroy, kmm_quiesce or a walker (they take locks
 * and then wait for CPUs) leaves the child's machine unusable. And with
 * memfd RAM (kmm.ram=memfd) parent and child share the machine's memory, so
 * only one of them may go on using it: boot with kmm.ram=anon to fork.
 */
#define _GNU_SOURCE
#include <errno.h>

#include "host.h"
#include "../core/slab.h"

static void zone_locks(struct kmm_machine *m, bool lock)
{
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		if (lock)
			kmm_spin_lock(&m->pgdat->node_zones[i].lock);
		else
			kmm_spin_unlock(&m->pgdat->node_zones[i].lock);
	}
}

static void cache_locks(struct kmm_machine *m, bool lock)
{
	if (!m->slab)
		return;
	for (struct kmm_kmem_cache *s = m->slab->caches; s; s = s->next) {
		if (lock)
			kmm_spin_lock(&s->list_lock);
		else
			kmm_spin_unlock(&s->list_lock);
	}
}

int kmm_fork_prepare(struct kmm_machine *m)
{
	struct kmm_plat *p;
	int ret;

	if (!m)
		return kmm_set_error(-EINVAL, "kmm_fork_prepare: no machine");
	p = m->plat;
	ret = kmm_thread_attach(m);
	if (ret)
		return ret;
	if (kmm_curp->hold)
		return kmm_set_error(-EBUSY, "kmm_fork_prepare: the calling task is inside the kernel");
	pthread_mutex_lock(&p->takers_lock);
	kmm_host_cpus_take_all(m);
	if (m->buddy_ready) {
		kmm_spin_lock(&m->reporting_lock);
		cache_locks(m, true);
		zone_locks(m, true);
	}
	pthread_mutex_lock(&p->work_lock);
	pthread_mutex_lock(&p->reporter_lock);
	pthread_mutex_lock(&p->tasks_lock);
	pthread_mutex_lock(&p->cpu_wait_lock);
	kmm_spin_lock(&m->log.lock);
	p->fork_task = kmm_curp;
	return 0;
}

static bool prepared_here(struct kmm_machine *m)
{
	return m && m->plat->fork_task && m->plat->fork_task == kmm_curp;
}

void kmm_fork_parent(struct kmm_machine *m)
{
	struct kmm_plat *p;

	if (!prepared_here(m))
		return;
	p = m->plat;
	p->fork_task = NULL;
	kmm_spin_unlock(&m->log.lock);
	pthread_mutex_unlock(&p->cpu_wait_lock);
	pthread_mutex_unlock(&p->tasks_lock);
	pthread_mutex_unlock(&p->reporter_lock);
	pthread_mutex_unlock(&p->work_lock);
	if (m->buddy_ready) {
		zone_locks(m, false);
		cache_locks(m, false);
		kmm_spin_unlock(&m->reporting_lock);
	}
	kmm_host_cpus_release_all(m);
	pthread_mutex_unlock(&p->takers_lock);
	/* tasks that found no free CPU meanwhile rescan now */
	pthread_mutex_lock(&p->cpu_wait_lock);
	pthread_cond_broadcast(&p->cpu_wait);
	pthread_mutex_unlock(&p->cpu_wait_lock);
}

void kmm_fork_child(struct kmm_machine *m)
{
	struct kmm_plat *p;

	if (!prepared_here(m))
		return;
	p = m->plat;
	p->fork_task = NULL;
	kmm_spin_unlock(&m->log.lock);
	/* held by the thread that forked, which is this one; fresh ones are simpler to trust */
	pthread_mutex_init(&p->cpu_wait_lock, NULL);
	pthread_cond_init(&p->cpu_wait, NULL);
	pthread_mutex_init(&p->tasks_lock, NULL);
	pthread_mutex_init(&p->takers_lock, NULL);
	pthread_mutex_init(&p->reporter_lock, NULL);
	pthread_cond_init(&p->reporter_wake, NULL);
	pthread_mutex_init(&p->work_lock, NULL);
	pthread_cond_init(&p->work_wake, NULL);
	pthread_cond_init(&p->work_idle, NULL);
	p->reporter_running = false;
	p->worker_running = false;
	p->work_running = 0;
	if (m->buddy_ready) {
		zone_locks(m, false);
		cache_locks(m, false);
		kmm_spin_unlock(&m->reporting_lock);
	}
	kmm_host_tasks_fork_child(m);
	kmm_host_cpus_release_all(m);
}
