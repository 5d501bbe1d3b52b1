/* SPDX-License-Identifier: MIT */
/*
 * Client bugs caught as KASAN would: in an AddressSanitizer build, a
 * use-after-free of a kmalloc'd object, a write into kmalloc's slack past
 * the size asked for, and a use-after-free of a kmem_cache object are each
 * reported by ASan; a correct client (ksize, krealloc, kzalloc, bulk) runs
 * clean. Each bug runs in a child process, since ASan stops at the first.
 * Without ASan there is nothing to catch: the test is skipped.
 */
#include <kmm/kmm.h>

#include "kunit.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif

#ifdef HAVE_ASAN
#include <sys/wait.h>
#include <unistd.h>

enum bug { NONE, UAF_KMALLOC, SLACK_OVERFLOW, UAF_CACHE };

static void client(enum bug bug)
{
	struct kmm_machine *m = kmm_boot("quiet");
	struct kmm_kmem_cache *s;
	volatile char *p;
	char *q;
	size_t ks;

	if (!m)
		_exit(3);
	switch (bug) {
	case NONE:
		p = kmm_kmalloc(m, 40, KMM_GFP_KERNEL);
		p[39] = 1;
		ks = kmm_ksize(m, (void *)p);	/* opens all 64 bytes, as the kernel's ksize() */
		p[ks - 1] = 2;
		q = kmm_krealloc(m, (void *)p, 200, KMM_GFP_KERNEL);
		q[199] = 3;
		kmm_kfree(m, q);
		q = kmm_kzalloc(m, 100, KMM_GFP_KERNEL);
		q[99] = q[0];
		kmm_kfree(m, q);
		/* the freed object is given out again and is usable */
		q = kmm_kmalloc(m, 100, KMM_GFP_KERNEL);
		q[0] = 1;
		kmm_kfree(m, q);
		break;
	case UAF_KMALLOC:
		p = kmm_kmalloc(m, 40, KMM_GFP_KERNEL);
		kmm_kfree(m, (void *)p);
		p[8] = 1;
		break;
	case SLACK_OVERFLOW:
		p = kmm_kmalloc(m, 40, KMM_GFP_KERNEL);
		p[40] = 1;	/* one past what was asked for, inside kmalloc-64 */
		break;
	case UAF_CACHE:
		s = kmm_kmem_cache_create(m, "kasan_test", 72, 0, 0, NULL);
		p = kmm_kmem_cache_alloc(s, KMM_GFP_KERNEL);
		kmm_kmem_cache_free(s, (void *)p);
		(void)p[0];
		break;
	}
	kmm_quiesce(m);
	kmm_shutdown(m);
	_exit(0);
}

/* Runs the client in a child; returns its exit status and its stderr in out. */
static int run(enum bug bug, char *out, size_t len)
{
	int fds[2], status = -1;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		client(bug);
	}
	close(fds[1]);
	while (n + 1 < len && (r = read(fds[0], out + n, len - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char out[1 << 16];

static void correct_client_is_clean(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, run(NONE, out, sizeof(out)), 0);
	KUNIT_EXPECT_NOT_STRSTR(test, out, "AddressSanitizer");
}

static void use_after_free_kmalloc(struct kunit *test)
{
	KUNIT_EXPECT_NE(test, run(UAF_KMALLOC, out, sizeof(out)), 0);
	KUNIT_EXPECT_STRSTR(test, out, "AddressSanitizer: use-after-poison");
	KUNIT_EXPECT_STRSTR(test, out, "WRITE of size 1");
}

static void overflow_into_slack(struct kunit *test)
{
	KUNIT_EXPECT_NE(test, run(SLACK_OVERFLOW, out, sizeof(out)), 0);
	KUNIT_EXPECT_STRSTR(test, out, "AddressSanitizer: use-after-poison");
}

static void use_after_free_cache(struct kunit *test)
{
	KUNIT_EXPECT_NE(test, run(UAF_CACHE, out, sizeof(out)), 0);
	KUNIT_EXPECT_STRSTR(test, out, "AddressSanitizer: use-after-poison");
	KUNIT_EXPECT_STRSTR(test, out, "READ of size 1");
}

static struct kunit_case cases[] = {
	KUNIT_CASE(correct_client_is_clean),
	KUNIT_CASE(use_after_free_kmalloc),
	KUNIT_CASE(overflow_into_slack),
	KUNIT_CASE(use_after_free_cache),
	{ 0 },
};

KUNIT_MAIN("kasan", cases)
#else
#include <stdio.h>

int main(void)
{
	printf("1..0 # SKIP kasan: not an AddressSanitizer build (make check-asan runs it)\n");
	return 77;
}
#endif
