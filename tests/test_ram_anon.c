/* SPDX-License-Identifier: MIT */
/*
 * kmm.ram=anon: a machine whose RAM is private anonymous memory. Its
 * allocators work as on memfd RAM; a fork()ed child gets its own copy of
 * the machine (with memfd RAM the two would share every write); vmalloc and
 * vmap fail with a clear line in the log, as nothing can map a frame twice;
 * highmem profiles refuse the mode; free page reporting gives memory back
 * with madvise.
 */
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vm_test.h"

#define MIB (1UL << 20)

static void allocators_work(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "kmm.ram=anon mem=256M");
	struct kmm_page *page;
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	p = kmm_kmalloc(m, 100, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0x5a, 100);
	KUNIT_EXPECT_EQ(test, kmm_ksize(m, p), 128);
	kmm_kfree(m, p);
	page = kmm_alloc_pages(m, KMM_GFP_KERNEL | KMM___GFP_ZERO, 10);
	KUNIT_ASSERT_NOT_NULL(test, page);
	p = kmm_page_address(m, page);
	KUNIT_EXPECT_EQ(test, p[0] | p[(4 * MIB) - 1], 0);
	memset(p, 1, 4 * MIB);
	kmm___free_pages(m, page, 10);
	/* kvmalloc of a size kmalloc serves needs no second mapping */
	p = kmm_kvmalloc(m, 64 * 1024, KMM_GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, p);
	kmm_kvfree(m, p);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	KUNIT_EXPECT_EQ(test, kmm_slab_check(m), 0);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_shutdown(m);
}

static void no_second_mapping(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "kmm.ram=anon mem=256M");
	struct kmm_page *pages[2];

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_NULL(test, kmm_vmalloc(m, 1 * MIB));
	KUNIT_EXPECT_STRSTR(test, kmsg(m),
			    "vmalloc error: size 1048576, RAM is anonymous memory (kmm.ram=anon), "
			    "which cannot be mapped a second time");
	/* kvmalloc's fallback fails the same way */
	KUNIT_EXPECT_NULL(test, kmm_kvmalloc(m, 64 * MIB, KMM_GFP_KERNEL));
	pages[0] = kmm_alloc_page(m, KMM_GFP_KERNEL);
	pages[1] = kmm_alloc_page(m, KMM_GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages[0]);
	KUNIT_ASSERT_NOT_NULL(test, pages[1]);
	KUNIT_EXPECT_NULL(test, kmm_vmap(m, pages, 2, 0));
	KUNIT_EXPECT_STRSTR(test, kmsg(m), "vmap: 2 pages: RAM is anonymous memory (kmm.ram=anon)");
	kmm___free_pages(m, pages[0], 0);
	kmm___free_pages(m, pages[1], 0);
	KUNIT_EXPECT_EQ(test, kmm_vmalloc_check(m), 0);
	kmm_shutdown(m);
}

static void highmem_refuses(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("profile=i386-highmem kmm.ram=anon quiet");

	KUNIT_EXPECT_NULL(test, m);
	KUNIT_EXPECT_STRSTR(test, kmm_last_error(), "kmm.ram=anon: profile i386-highmem has highmem");
	m = kmm_boot("kmm.ram=shared quiet");
	KUNIT_EXPECT_NULL(test, m);
	KUNIT_EXPECT_STRSTR(test, kmm_last_error(), "kmm.ram=shared: invalid value");
	m = boot(test, "profile=at91rm9200 kmm.ram=anon");
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_NOT_NULL(test, kmm_kmalloc(m, 4096, KMM_GFP_KERNEL));
	kmm_shutdown(m);
}

/*
 * The child of fork() writes to a buffer of the machine and allocates;
 * returns what the parent reads in the buffer afterwards.
 */
static int child_writes(struct kunit *test, const char *cmdline)
{
	struct kmm_machine *m = boot(test, cmdline);
	volatile char *buf;
	int status = -1, seen;
	pid_t pid;

	if (!m)
		return -1;
	buf = kmm_kmalloc(m, 64, KMM_GFP_KERNEL);
	buf[0] = 1;
	pid = fork();
	if (pid == 0) {
		void *q = kmm_kmalloc(m, 64, KMM_GFP_KERNEL);

		buf[0] = 2;
		kmm_kfree(m, q);
		_exit(kmm_slab_check(m) ? 3 : 0);
	}
	waitpid(pid, &status, 0);
	KUNIT_EXPECT_TRUE(test, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	seen = buf[0];
	kmm_kfree(m, (void *)buf);
	kmm_shutdown(m);
	return seen;
}

static void fork_gets_a_copy(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, child_writes(test, "kmm.ram=anon mem=256M"), 1);
	/* what anonymous RAM is for: a memfd is one memory for both */
	KUNIT_EXPECT_EQ(test, child_writes(test, "mem=256M"), 2);
}

static void reporting_gives_memory_back(struct kunit *test)
{
	struct kmm_machine *m = boot(test, "kmm.ram=anon mem=256M");
	long page_size = sysconf(_SC_PAGESIZE);
	unsigned char vec[16];
	struct kmm_page *page;
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	page = kmm_alloc_pages(m, KMM_GFP_KERNEL, 10);
	KUNIT_ASSERT_NOT_NULL(test, page);
	p = kmm_page_address(m, page);
	memset(p, 0x77, 4 * MIB);
	KUNIT_ASSERT_EQ(test, mincore(p, 16 * (size_t)page_size, vec), 0);
	KUNIT_EXPECT_EQ(test, vec[0] & 1, 1);
	kmm___free_pages(m, page, 10);
	/* a quiesced machine has reported its free blocks: the host has them back */
	kmm_quiesce(m);
	KUNIT_ASSERT_EQ(test, mincore(p, 16 * (size_t)page_size, vec), 0);
	KUNIT_EXPECT_EQ(test, vec[0] & 1, 0);
	KUNIT_EXPECT_EQ(test, p[0], 0);
	KUNIT_EXPECT_EQ(test, kmm_page_alloc_check(m), 0);
	kmm_shutdown(m);
}

static struct kunit_case cases[] = {
	KUNIT_CASE(allocators_work),
	KUNIT_CASE(no_second_mapping),
	KUNIT_CASE(highmem_refuses),
	KUNIT_CASE(fork_gets_a_copy),
	KUNIT_CASE(reporting_gives_memory_back),
	{}
};

KUNIT_MAIN("ram_anon", cases)
