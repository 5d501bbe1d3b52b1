/* SPDX-License-Identifier: MIT */
/*
 * The machine's workqueue: one worker thread, started on the first
 * kmm_plat_queue_work(), runs queued work in FIFO order, as a kworker runs
 * schedule_work() items. It is a task of the machine only while it has work
 * (it attaches when it runs an item and detaches when the queue is empty),
 * so an idle worker never makes the machine's CPUs shared.
 *
 * Queueing takes a host mutex, never a core lock, so the core may queue work
 * from atomic context (vfree_atomic) and with its spinlocks held.
 */
#include <errno.h>
#include <stdio.h>

#include "host.h"

static void *worker_main(void *arg)
{
	struct kmm_machine *m = arg;
	struct kmm_plat *p = m->plat;

	pthread_mutex_lock(&p->work_lock);
	for (;;) {
		struct kmm_work *w = p->work_head;

		if (!w) {
			if (kmm_current_machine())
				kmm_thread_detach();
			pthread_cond_broadcast(&p->work_idle);
			if (p->worker_stop)
				break;
			pthread_cond_wait(&p->work_wake, &p->work_lock);
			continue;
		}
		p->work_head = w->next;
		if (!p->work_head)
			p->work_tail = NULL;
		w->next = NULL;
		w->queued = 0;
		p->work_running++;
		pthread_mutex_unlock(&p->work_lock);
		if (!kmm_current_machine())
			kmm_thread_attach(m);
		w->fn(m, w);
		pthread_mutex_lock(&p->work_lock);
		p->work_running--;
	}
	pthread_mutex_unlock(&p->work_lock);
	return NULL;
}

void kmm_host_work_init(struct kmm_machine *m)
{
	struct kmm_plat *p = m->plat;

	pthread_mutex_init(&p->work_lock, NULL);
	pthread_cond_init(&p->work_wake, NULL);
	pthread_cond_init(&p->work_idle, NULL);
}

void kmm_plat_queue_work(struct kmm_machine *m, struct kmm_work *w)
{
	struct kmm_plat *p = m->plat;

	pthread_mutex_lock(&p->work_lock);
	if (!p->worker_running && !p->worker_stop) {
		if (pthread_create(&p->worker, NULL, worker_main, m)) {
			pthread_mutex_unlock(&p->work_lock);
			/* no thread to defer to: run it here, as a last resort */
			fprintf(stderr, "kmm: cannot start the machine's worker thread; running work inline\n");
			w->fn(m, w);
			return;
		}
		p->worker_running = true;
	}
	if (!w->queued) {
		w->queued = 1;
		w->next = NULL;
		if (p->work_tail)
			p->work_tail->next = w;
		else
			p->work_head = w;
		p->work_tail = w;
		pthread_cond_signal(&p->work_wake);
	}
	pthread_mutex_unlock(&p->work_lock);
}

void kmm_plat_flush_work(struct kmm_machine *m)
{
	struct kmm_plat *p = m->plat;

	pthread_mutex_lock(&p->work_lock);
	if (p->worker_running && pthread_equal(pthread_self(), p->worker)) {
		/* the worker flushing its own queue would wait for itself */
		pthread_mutex_unlock(&p->work_lock);
		return;
	}
	while (p->worker_running && (p->work_head || p->work_running))
		pthread_cond_wait(&p->work_idle, &p->work_lock);
	pthread_mutex_unlock(&p->work_lock);
}

/* Runs what is queued, then stops the worker (machine teardown). */
void kmm_host_work_stop(struct kmm_machine *m)
{
	struct kmm_plat *p = m->plat;
	bool running;

	pthread_mutex_lock(&p->work_lock);
	p->worker_stop = true;
	running = p->worker_running;
	pthread_cond_signal(&p->work_wake);
	pthread_mutex_unlock(&p->work_lock);
	if (running)
		pthread_join(p->worker, NULL);
	p->worker_running = false;
	pthread_mutex_destroy(&p->work_lock);
	pthread_cond_destroy(&p->work_wake);
	pthread_cond_destroy(&p->work_idle);
}
