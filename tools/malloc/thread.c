/* SPDX-License-Identifier: MIT */
/*
 * Threads and fork().
 *
 * A thread becomes a task of the heap's machine on its first allocation
 * (kmm_thread_attach: it gets a home CPU, and the machine turns shared when
 * tasks outnumber CPUs) and stops being one at its exit, through the
 * destructor of a pthread key, so that the tasks of threads that have gone
 * neither keep CPUs nor keep the machine shared. Destructors of other keys,
 * C++ thread_local destructors and the C library's own clean-up may still
 * allocate or free after ours ran: such a call attaches the thread for
 * itself alone and detaches it again (shim_enter/shim_leave).
 *
 * fork(): pthread_atfork handlers, registered once the machine is up. Prepare
 * takes the shim's own locks (boot, arena, host blocks), attaches the calling
 * thread and calls kmm_fork_prepare(), which waits until no other task is
 * inside the kernel and holds what they could hold; the parent releases it
 * all; the child resets the locks and keeps the forking thread as the
 * machine's only task. The machine's RAM is private (kmm.ram=anon), so the
 * child's heap is a copy that neither side's writes reach.
 */
#define _GNU_SOURCE
#include <errno.h>

#include "shim.h"

__thread bool shim_attached __attribute__((tls_model("initial-exec")));
__thread struct shim_thread shim_self __attribute__((tls_model("initial-exec")));

int shim_attach(void)
{
	int ret, saved = errno;

	if (shim_attached)
		return 0;
	/* the task struct is calloc'ed: from the arena, not from the machine we attach to */
	shim_self.busy++;
	ret = kmm_thread_attach(shim.m);
	if (!ret && !shim_self.exiting)
		pthread_setspecific(shim.key, (void *)1);
	shim_self.busy--;
	if (!ret)
		shim_attached = true;
	errno = saved;
	return ret;
}

bool shim_enter(void)
{
	if (shim_attached)
		return false;
	if (shim_attach())
		return false;
	return shim_self.exiting;
}

void shim_leave(bool leave)
{
	if (leave) {
		kmm_thread_detach();
		shim_attached = false;
	}
}

static void thread_exit(void *arg)
{
	(void)arg;
	shim_self.exiting = true;
	if (shim_attached) {
		kmm_thread_detach();
		shim_attached = false;
	}
}

static bool fork_prepared;

static void fork_prepare(void)
{
	shim_boot_lock();
	shim_arena_lock();
	shim_huge_lock();
	fork_prepared = false;
	if (!shim.m)
		return;
	/* the arena serves the calloc of this thread's task, should it need one */
	shim_arena_unlock();
	shim_attach();
	shim_self.busy++;
	fork_prepared = !kmm_fork_prepare(shim.m);
	shim_self.busy--;
	shim_arena_lock();
}

static void fork_parent(void)
{
	if (fork_prepared)
		kmm_fork_parent(shim.m);
	shim_huge_unlock();
	shim_arena_unlock();
	shim_boot_unlock();
}

static void fork_child(void)
{
	if (fork_prepared)
		kmm_fork_child(shim.m);
	shim_huge_reset_lock();
	shim_arena_reset_lock();
	shim_boot_reset_lock();
}

void shim_threads_init(void)
{
	pthread_key_create(&shim.key, thread_exit);
	/* the booting thread is attached already: it detaches at its exit too */
	pthread_setspecific(shim.key, (void *)1);
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}
