/* SPDX-License-Identifier: MIT */
/*
 * fork() with a machine (kmm_fork_prepare/parent/child): the child of a
 * threaded process whose other threads allocate and free all the while
 * takes over the machine with its one thread (the tasks of the threads it
 * does not have are forgotten, every CPU is free), allocates, frees, passes
 * the walkers and shuts the machine down; the parent goes on as before, on a
 * sticky machine and a shared one, also with a reporting pass running.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kmm/kmm.h>

#include "kunit.h"

struct churn {
	struct kmm_machine *m;
	atomic_int *stop;
	int reporter;		/* runs reporting passes instead of allocating */
	long ops;
};

static void *churn_main(void *arg)
{
	struct churn *c = arg;
	void *p[64] = { 0 };

	while (!atomic_load(c->stop)) {
		if (c->reporter) {
			kmm_page_reporting_run(c->m);
			c->ops++;
			continue;
		}
		for (int i = 0; i < 64; i++) {
			kmm_kfree(c->m, p[i]);
			p[i] = kmm_kmalloc(c->m, (size_t)(i * 97 % 9000) + 1, KMM_GFP_KERNEL);
		}
		c->ops++;
	}
	for (int i = 0; i < 64; i++)
		kmm_kfree(c->m, p[i]);
	kmm_thread_detach();
	return NULL;
}

/*
 * The child: exit status 0 when the machine works for its one thread. The
 * first child also shuts the machine down (slow under ASan, which unpoisons
 * the whole window then: once is enough).
 */
static int child_main(struct kmm_machine *m, bool shutdown)
{
	void *p[4096];
	struct kmm_page *page;

	alarm(20);	/* a lock left held would hang here: fail instead */
	kmm_fork_child(m);
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < 4096; i++)
			if (!(p[i] = kmm_kmalloc(m, (size_t)(i % 700) + 1, KMM_GFP_KERNEL)))
				return 2;
		for (int i = 0; i < 4096; i++)
			kmm_kfree(m, p[i]);
	}
	page = kmm_alloc_pages(m, KMM_GFP_KERNEL, 5);
	if (!page)
		return 3;
	kmm___free_pages(m, page, 5);
	kmm_page_reporting_run(m);
	if (kmm_slab_check(m) || kmm_page_alloc_check(m))
		return 4;
	kmm_quiesce(m);
	if (shutdown)
		kmm_shutdown(m);
	return 0;
}

static void forks_while_threads_run(struct kunit *test, const char *cmdline, int nthreads,
				    bool reporter)
{
	struct kmm_machine *m = kmm_boot(cmdline);
	struct churn c[8];
	pthread_t t[8];
	atomic_int stop = 0;

	KUNIT_ASSERT_NOT_NULL(test, m);
	for (int i = 0; i < nthreads; i++) {
		c[i] = (struct churn){ .m = m, .stop = &stop, .reporter = reporter && i == 0 };
		pthread_create(&t[i], NULL, churn_main, &c[i]);
	}
	for (int round = 0; round < 10; round++) {
		int status = -1;
		pid_t pid;

		KUNIT_ASSERT_EQ(test, kmm_fork_prepare(m), 0);
		pid = fork();
		if (pid == 0)
			_exit(child_main(m, round == 0));
		kmm_fork_parent(m);
		KUNIT_ASSERT_GT(test, pid, 0);
		/* the parent's own allocations go on while the child runs */
		kmm_kfree(m, kmm_kmalloc(m, 100, KMM_GFP_KERNEL));
		waitpid(pid, &status, 0);
		KUNIT_EXPECT_TRUE(test, WIFEXITED(status));
		KUNIT_EXPECT_EQ(test, WEXITSTATUS(status), 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			break;
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < nthreads; i++) {
		pthread_join(t[i], NULL);
		KUNIT_EXPECT_GT(test, c[i].ops, 0);
	}
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

/* Tasks outnumber CPUs: every CPU is taken and given back at each call. */
static void shared_machine(struct kunit *test)
{
	forks_while_threads_run(test, "kmm.ram=anon nr_cpus=2 quiet", 4, false);
}

/* Each task keeps its CPU between calls: prepare takes them from their owners. */
static void sticky_machine(struct kunit *test)
{
	forks_while_threads_run(test, "kmm.ram=anon nr_cpus=4 quiet", 2, false);
}

static void reporting_pass_running(struct kunit *test)
{
	forks_while_threads_run(test, "kmm.ram=anon nr_cpus=2 kmm.page_reporting_thread=0 quiet",
				2, true);
}

static void errors(struct kunit *test)
{
	struct kmm_machine *m;

	KUNIT_EXPECT_EQ(test, kmm_fork_prepare(NULL), -22);
	m = kmm_boot("kmm.ram=anon quiet");
	KUNIT_ASSERT_NOT_NULL(test, m);
	/* parent and child without a prepare change nothing */
	kmm_fork_parent(m);
	kmm_fork_child(m);
	kmm_kfree(m, kmm_kmalloc(m, 8, KMM_GFP_KERNEL));
	kmm_preempt_disable();
	KUNIT_EXPECT_EQ(test, kmm_fork_prepare(m), -16);
	KUNIT_EXPECT_STRSTR(test, kmm_last_error(), "inside the kernel");
	kmm_preempt_enable();
	kmm_shutdown(m);
}

static struct kunit_case cases[] = {
	KUNIT_CASE(shared_machine),
	KUNIT_CASE(sticky_machine),
	KUNIT_CASE(reporting_pass_running),
	KUNIT_CASE(errors),
	{}
};

KUNIT_MAIN("fork", cases)
