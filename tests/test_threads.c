/* SPDX-License-Identifier: MIT */
/*
 * Tasks and CPUs: more threads than CPUs attach, sleep and run without
 * deadlock, per-CPU data is never touched by two threads at once, a task
 * keeps its CPU while threads do not outnumber CPUs, and sleeping in atomic
 * context is reported.
 */
#include <errno.h>
#include <pthread.h>

#include <kmm/kmm.h>

#include "kunit.h"

#define NTHREADS 8
#define ITERS 300

static struct kmm_machine *machine;
static pthread_barrier_t barrier;
/* per-CPU data, deliberately not atomic: only the CPU's holder touches it */
static unsigned long per_cpu_count[2];
static pthread_t per_cpu_owner[2];
static int bad_cpu, bad_owner;

static void *worker(void *arg)
{
	(void)arg;
	if (kmm_thread_attach(machine))
		return (void *)1;
	/* every thread attached and none inside a call: no CPU may be held */
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < ITERS; i++) {
		int cpu;

		kmm_cpu_enter();
		cpu = kmm_smp_processor_id();
		if (cpu < 0 || cpu >= 2) {
			bad_cpu++;
			kmm_cpu_exit();
			continue;
		}
		per_cpu_owner[cpu] = pthread_self();
		per_cpu_count[cpu]++;
		if (i % 50 == 0)
			kmm_msleep(1);	/* lets another task run here; may come back elsewhere */
		cpu = kmm_smp_processor_id();
		per_cpu_owner[cpu] = pthread_self();
		per_cpu_count[cpu]++;
		if (!pthread_equal(per_cpu_owner[cpu], pthread_self()))
			bad_owner++;
		kmm_cpu_exit();
	}
	pthread_barrier_wait(&barrier);
	kmm_thread_detach();
	return NULL;
}

static void more_threads_than_cpus(struct kunit *test)
{
	pthread_t t[NTHREADS];

	machine = kmm_boot("nr_cpus=2 quiet");
	KUNIT_ASSERT_NOT_NULL(test, machine);
	kmm_thread_detach();
	pthread_barrier_init(&barrier, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;

		pthread_join(t[i], &ret);
		KUNIT_EXPECT_NULL(test, ret);
	}
	pthread_barrier_destroy(&barrier);
	KUNIT_EXPECT_EQ(test, bad_cpu, 0);
	KUNIT_EXPECT_EQ(test, bad_owner, 0);
	/* no increment was lost: no two threads ever held one CPU */
	KUNIT_EXPECT_EQ(test, per_cpu_count[0] + per_cpu_count[1], 2UL * NTHREADS * ITERS);
	KUNIT_EXPECT_GT(test, per_cpu_count[0], 0);
	KUNIT_EXPECT_GT(test, per_cpu_count[1], 0);
	kmm_shutdown(machine);
}

static int seen_cpu[2];
static int moved[2];

static void *keeper(void *arg)
{
	int id = (int)(intptr_t)arg;

	kmm_thread_attach(machine);
	pthread_barrier_wait(&barrier);
	seen_cpu[id] = -1;
	for (int i = 0; i < 2000; i++) {
		kmm_cpu_enter();
		if (seen_cpu[id] < 0)
			seen_cpu[id] = kmm_smp_processor_id();
		else if (seen_cpu[id] != kmm_smp_processor_id())
			moved[id]++;
		kmm_cpu_exit();
	}
	kmm_thread_detach();
	return NULL;
}

static void tasks_keep_their_cpu(struct kunit *test)
{
	pthread_t t[2];

	machine = kmm_boot("nr_cpus=2 quiet");
	KUNIT_ASSERT_NOT_NULL(test, machine);
	kmm_thread_detach();
	pthread_barrier_init(&barrier, NULL, 2);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, keeper, (void *)(intptr_t)i);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&barrier);
	KUNIT_EXPECT_EQ(test, moved[0] + moved[1], 0);
	KUNIT_EXPECT_NE(test, seen_cpu[0], seen_cpu[1]);
	kmm_shutdown(machine);
}

static void attach_rules(struct kunit *test)
{
	struct kmm_machine *a = kmm_boot("quiet"), *b;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, kmm_current_machine(), a);
	KUNIT_EXPECT_EQ(test, kmm_thread_attach(a), 0);	/* already: no-op */
	kmm_thread_detach();
	KUNIT_EXPECT_NULL(test, kmm_current_machine());
	b = kmm_boot("profile=at91rm9200 quiet");
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, kmm_thread_attach(a), -EBUSY);
	KUNIT_EXPECT_STRSTR(test, kmm_last_error(), "another machine");
	KUNIT_EXPECT_EQ(test, kmm_thread_attach(NULL), -EINVAL);
	kmm_thread_detach();
	KUNIT_EXPECT_EQ(test, kmm_thread_attach(a), 0);
	KUNIT_EXPECT_EQ(test, kmm_current_machine(), a);
	kmm_shutdown(b);
	kmm_shutdown(a);
	KUNIT_EXPECT_NULL(test, kmm_current_machine());
}

static void preempt_nesting_and_might_sleep(struct kunit *test)
{
	static char log[1 << 16];
	struct kmm_machine *m = kmm_boot("quiet loglevel=0");
	int cpu;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, kmm_preempt_count(), 0);
	kmm_preempt_disable();
	cpu = kmm_smp_processor_id();
	kmm_preempt_disable();
	KUNIT_EXPECT_EQ(test, kmm_preempt_count(), 2);
	KUNIT_EXPECT_EQ(test, kmm_smp_processor_id(), cpu);
	kmm_msleep(1);
	kmm_preempt_enable();
	kmm_preempt_enable();
	KUNIT_EXPECT_EQ(test, kmm_preempt_count(), 0);
	kmm_proc_read(m, "/dev/kmsg", log, sizeof(log));
	KUNIT_EXPECT_STRSTR(test, log, "3,");
	KUNIT_EXPECT_STRSTR(test, log, "BUG: sleeping function called from invalid context at ");
	KUNIT_EXPECT_STRSTR(test, log, "preempt_count: 2, expected: 0");
	kmm_shutdown(m);
}

/*
 * kmm_sched_setcpu moves the task: its page allocations then come through
 * the per-CPU lists of the CPU it asked for, and bad requests are refused.
 */
static void setcpu_moves_the_task(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("nr_cpus=4 quiet");

	KUNIT_ASSERT_NOT_NULL(test, m);
	for (int round = 0; round < 3; round++)
		for (int cpu = 3; cpu >= 0; cpu--) {
			struct kmm_page *p;

			KUNIT_EXPECT_EQ(test, kmm_sched_setcpu(cpu), 0);
			p = kmm_alloc_pages(m, KMM_GFP_KERNEL, 0);
			KUNIT_ASSERT_NOT_NULL(test, p);
			KUNIT_EXPECT_EQ(test, kmm_smp_processor_id(), cpu);
			kmm___free_pages(m, p, 0);
		}
	KUNIT_EXPECT_EQ(test, kmm_sched_setcpu(4), -EINVAL);
	KUNIT_EXPECT_EQ(test, kmm_sched_setcpu(-1), -EINVAL);
	kmm_preempt_disable();
	KUNIT_EXPECT_EQ(test, kmm_sched_setcpu(1), -EBUSY);
	kmm_preempt_enable();
	kmm_quiesce(m);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
	KUNIT_EXPECT_EQ(test, kmm_sched_setcpu(0), -EINVAL);
}

static struct kunit_case cases[] = {
	KUNIT_CASE(more_threads_than_cpus),
	KUNIT_CASE(tasks_keep_their_cpu),
	KUNIT_CASE(attach_rules),
	KUNIT_CASE(preempt_nesting_and_might_sleep),
	KUNIT_CASE(setcpu_moves_the_task),
	{ 0 },
};

KUNIT_MAIN("threads", cases)
