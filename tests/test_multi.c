/* SPDX-License-Identifier: MIT */
/* Two machines in one process do not disturb each other. */
#include <pthread.h>

#include <kmm/kmm.h>

#include "kunit.h"

static char buf_a[1 << 16], buf_b[1 << 16];

static void separate_state(struct kunit *test)
{
	struct kmm_machine *a, *b;
	struct kmm_memblock *ma, *mb;
	unsigned long res_b;
	char *pa, *pb;

	a = kmm_boot("quiet");
	KUNIT_ASSERT_NOT_NULL(test, a);
	kmm_thread_detach();
	b = kmm_boot("profile=i386-highmem mem=1G quiet");
	KUNIT_ASSERT_NOT_NULL(test, b);
	kmm_thread_detach();
	ma = kmm_memblock(a);
	mb = kmm_memblock(b);
	KUNIT_EXPECT_NE(test, (uintptr_t)ma, (uintptr_t)mb);
	res_b = mb->reserved.cnt;

	/* memblock: allocations in one leave the other alone */
	for (int i = 0; i < 200; i++)
		KUNIT_ASSERT_NOT_NULL(test, kmm_memblock_alloc(a, 4096, 4096 * 2));
	KUNIT_EXPECT_EQ(test, mb->reserved.cnt, res_b);
	KUNIT_EXPECT_EQ(test, kmm_memblock_check(a), 0);
	KUNIT_EXPECT_EQ(test, kmm_memblock_check(b), 0);

	/* physical memory: the same physical address holds different bytes */
	pa = kmm_va(kmm_layout(a), 0x5000000);
	pb = kmm_va(kmm_layout(b), 0x5000000);
	KUNIT_EXPECT_NE(test, (uintptr_t)pa, (uintptr_t)pb);
	*pa = 'A';
	*pb = 'B';
	KUNIT_EXPECT_EQ(test, *pa, 'A');
	KUNIT_EXPECT_EQ(test, *pb, 'B');

	/* logs */
	kmm_printk(a, "\0016only in machine a\n");
	kmm_proc_read(a, "/dev/kmsg", buf_a, sizeof(buf_a));
	kmm_proc_read(b, "/dev/kmsg", buf_b, sizeof(buf_b));
	KUNIT_EXPECT_STRSTR(test, buf_a, "only in machine a");
	KUNIT_EXPECT_NOT_STRSTR(test, buf_b, "only in machine a");
	KUNIT_EXPECT_STRSTR(test, buf_b, "profile i386-highmem");

	/* one going away leaves the other working */
	kmm_shutdown(a);
	KUNIT_EXPECT_NOT_NULL(test, kmm_memblock_alloc(b, 4096, 4096));
	KUNIT_EXPECT_GT(test, kmm_proc_read(b, "/proc/iomem", buf_b, sizeof(buf_b)), 0);
	KUNIT_EXPECT_STRSTR(test, buf_b, "00100000-3fffffff : System RAM");
	kmm_shutdown(b);
}

struct job {
	const char *cmdline;
	int failures;
	unsigned long cnt_before, cnt_after;
};

/* Each thread boots its own machine and churns its memblock. */
static void *churn(void *arg)
{
	struct job *j = arg;
	struct kmm_machine *m = kmm_boot(j->cmdline);
	void *p[64];

	if (!m) {
		j->failures++;
		return NULL;
	}
	j->cnt_before = kmm_memblock(m)->reserved.cnt;
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 64; i++) {
			p[i] = kmm_memblock_alloc(m, 64 * (i + 1), 64);
			j->failures += !p[i];
		}
		for (int i = 63; i >= 0; i--)
			kmm_memblock_free(m, p[i], 64 * (i + 1));
		j->failures += kmm_memblock_check(m) != 0;
	}
	j->cnt_after = kmm_memblock(m)->reserved.cnt;
	kmm_shutdown(m);
	return NULL;
}

static void concurrent_machines(struct kunit *test)
{
	struct job jobs[3] = {
		{ .cmdline = "quiet" }, { .cmdline = "profile=i386-highmem quiet" },
		{ .cmdline = "profile=at91rm9200 quiet" },
	};
	pthread_t t[3];

	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, churn, &jobs[i]);
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		KUNIT_EXPECT_EQ(test, jobs[i].failures, 0);
		KUNIT_EXPECT_EQ(test, jobs[i].cnt_after, jobs[i].cnt_before);
	}
}

static struct kunit_case cases[] = {
	KUNIT_CASE(separate_state),
	KUNIT_CASE(concurrent_machines),
	{ 0 },
};

KUNIT_MAIN("multi", cases)
