/* SPDX-License-Identifier: MIT */
/*
 * The malloc API's contract under libkmm-malloc.so (run by
 * tests/test_shim.sh with LD_PRELOAD; it refuses to run without the shim):
 * alignment of every size and of the aligned allocators, realloc keeping
 * content while it grows and shrinks across every kind of block, calloc's
 * overflow and zeroing, malloc_usable_size, the corner cases of each call,
 * threads that come and go and free each other's memory, fork() in a
 * threaded program, and the misuse that is reported and not applied.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kunit.h"

#define KIB 1024UL
#define MIB (1024UL * KIB)

/* Values the compiler may not see through: the misuse below is deliberate. */
static volatile size_t huge = SIZE_MAX, half = SIZE_MAX / 2, two33 = (size_t)1 << 33;
static void *volatile laundry;

static __attribute__((noinline)) void *launder(void *p)
{
	laundry = p;
	return laundry;
}

static bool aligned_to(const void *p, size_t a)
{
	return !((uintptr_t)p & (a - 1));
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 131);
}

static bool same(const unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 131))
			return false;
	return true;
}

static void every_size_aligned(struct kunit *test)
{
	int bad_align = 0, bad_size = 0;

	for (size_t n = 1; n <= 65536; n++) {
		unsigned char *p = malloc(n);

		KUNIT_ASSERT_NOT_NULL(test, p);
		bad_align += !aligned_to(p, 16);
		bad_size += malloc_usable_size(p) < n;
		p[0] = 1;
		p[n - 1] = 2;
		free(p);
	}
	KUNIT_EXPECT_EQ(test, bad_align, 0);
	KUNIT_EXPECT_EQ(test, bad_size, 0);
	/* also while they are all alive at once, sizes of each kind of block */
	{
		static const size_t sizes[] = { 1, 8, 16, 17, 100, 192, 193, 4096, 8193, 65537, 3 * MIB,
						 5 * MIB, 33 * MIB };
		void *p[sizeof(sizes) / sizeof(*sizes)];

		for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
			p[i] = malloc(sizes[i]);
			KUNIT_ASSERT_NOT_NULL(test, p[i]);
			KUNIT_EXPECT_TRUE(test, aligned_to(p[i], 16));
			KUNIT_EXPECT_GE(test, malloc_usable_size(p[i]), sizes[i]);
			memset(p[i], 0x5a, sizes[i]);
		}
		for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++)
			free(p[i]);
	}
}

static void aligned_allocators(struct kunit *test)
{
	static const size_t sizes[] = { 1, 7, 100, 4095, 4096, 4097, 100000, 5 * MIB };

	for (size_t a = 8; a <= 65536; a *= 2) {
		for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
			size_t n = sizes[i];
			void *p = NULL, *q, *r;

			KUNIT_ASSERT_EQ(test, posix_memalign(&p, a, n), 0);
			q = aligned_alloc(a, n);
			r = memalign(a, n);
			KUNIT_ASSERT_TRUE(test, p && q && r);
			KUNIT_EXPECT_TRUE(test, aligned_to(p, a) && aligned_to(q, a) && aligned_to(r, a));
			KUNIT_EXPECT_GE(test, malloc_usable_size(p), n);
			KUNIT_EXPECT_GE(test, malloc_usable_size(q), n);
			memset(p, 1, n);
			memset(q, 2, n);
			memset(r, 3, n);
			free(p);
			free(q);
			free(r);
		}
	}
	/* larger than the largest kmalloc: a host block, mapped aligned */
	{
		void *p = NULL;

		KUNIT_ASSERT_EQ(test, posix_memalign(&p, 16 * MIB, 100), 0);
		KUNIT_EXPECT_TRUE(test, aligned_to(p, 16 * MIB));
		free(p);
	}
	/* what the standards call errors */
	{
		void *p = (void *)1;

		KUNIT_EXPECT_EQ(test, posix_memalign(&p, 24, 10), EINVAL);
		KUNIT_EXPECT_EQ(test, posix_memalign(&p, 4, 10), EINVAL);
		KUNIT_EXPECT_TRUE(test, p == (void *)1);
		errno = 0;
		KUNIT_EXPECT_NULL(test, aligned_alloc(24, 48));
		KUNIT_EXPECT_EQ(test, errno, EINVAL);
		/* memalign takes the next power of two, as glibc's */
		p = memalign(24, 10);
		KUNIT_EXPECT_TRUE(test, p && aligned_to(p, 32));
		free(p);
	}
	{
		void *v = valloc(10), *pv = pvalloc(5000);

		KUNIT_ASSERT_TRUE(test, v && pv);
		KUNIT_EXPECT_TRUE(test, aligned_to(v, 4096) && aligned_to(pv, 4096));
		KUNIT_EXPECT_GE(test, malloc_usable_size(pv), 8192);
		free(v);
		free(pv);
	}
}

static void realloc_keeps_content(struct kunit *test)
{
	unsigned char *p = malloc(1);
	size_t n = 1;

	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(p, n, 7);
	/* up through slab objects, compound pages and host blocks */
	while (n < 24 * MIB) {
		size_t next = n * 3 + 5;

		p = realloc(p, next);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_ASSERT_TRUE(test, same(p, n, 7));
		KUNIT_EXPECT_TRUE(test, aligned_to(p, 16));
		n = next;
		fill(p, n, 7);
	}
	/* and down again */
	while (n > 2) {
		n /= 3;
		p = realloc(p, n);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_ASSERT_TRUE(test, same(p, n, 7));
		KUNIT_EXPECT_GE(test, malloc_usable_size(p), n);
	}
	free(p);
	/* realloc(NULL, n) is malloc; realloc(p, 0) frees, as glibc's */
	p = realloc(NULL, 100);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, realloc(p, 0));
	/* reallocarray: an overflow leaves the block alone */
	p = reallocarray(NULL, 10, 10);
	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(p, 100, 3);
	errno = 0;
	KUNIT_EXPECT_NULL(test, reallocarray(launder(p), half, 3));
	KUNIT_EXPECT_EQ(test, errno, ENOMEM);
	KUNIT_EXPECT_TRUE(test, same(p, 100, 3));
	p = reallocarray(p, 1000, 10);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, same(p, 100, 3));
	free(p);
}

static void calloc_zeroes_and_checks(struct kunit *test)
{
	static const size_t sizes[] = { 1, 24, 64, 100, 1000, 4096, 10000, 200000, 5 * MIB };

	errno = 0;
	KUNIT_EXPECT_NULL(test, calloc(half, 3));
	KUNIT_EXPECT_EQ(test, errno, ENOMEM);
	errno = 0;
	KUNIT_EXPECT_NULL(test, calloc(two33, two33));
	KUNIT_EXPECT_EQ(test, errno, ENOMEM);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		/* memory written and freed comes back zeroed */
		for (int round = 0; round < 3; round++) {
			unsigned char *p = calloc(1, sizes[i]), *q;
			size_t nonzero = 0;

			KUNIT_ASSERT_NOT_NULL(test, p);
			for (size_t j = 0; j < sizes[i]; j++)
				nonzero += p[j] != 0;
			KUNIT_EXPECT_EQ(test, nonzero, 0);
			memset(p, 0xff, malloc_usable_size(p));
			free(p);
			q = malloc(sizes[i]);
			memset(q, 0xee, sizes[i]);
			free(q);
		}
	}
}

static void corner_cases(struct kunit *test)
{
	void *a = malloc(0), *b = malloc(0);

	KUNIT_EXPECT_TRUE(test, a && b && a != b);
	free(a);
	free(b);
	free(NULL);
	KUNIT_EXPECT_EQ(test, malloc_usable_size(NULL), 0);
	errno = 0;
	KUNIT_EXPECT_NULL(test, malloc(huge));
	KUNIT_EXPECT_EQ(test, errno, ENOMEM);
	errno = 0;
	KUNIT_EXPECT_NULL(test, malloc(half));
	KUNIT_EXPECT_EQ(test, errno, ENOMEM);
	/* a success leaves errno alone */
	errno = 1234;
	a = malloc(10);
	free(a);
	KUNIT_EXPECT_EQ(test, errno, 1234);
	/* the standard library's own allocations are the heap's too */
	a = strdup("libkmm-malloc");
	KUNIT_EXPECT_STREQ(test, a, "libkmm-malloc");
	free(a);
}

/* ---- threads ---- */

#define NTHREADS 64
#define ROUNDS 10
#define SLOTS 256

static void *_Atomic exchange_slots[SLOTS];

static void *churn(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	void *mine[64];
	long bad = 0;

	for (int i = 0; i < 64; i++) {
		size_t n = (size_t)(seed * 7 + (unsigned int)i * 97) % 3000 + 1;

		mine[i] = malloc(n);
		if (!mine[i])
			return (void *)1;
		memset(mine[i], (int)seed, n);
	}
	for (int i = 0; i < 64; i++) {
		/* hand some blocks to other threads, free what others left: remote frees */
		unsigned int s = (seed * 31 + (unsigned int)i) % SLOTS;
		void *theirs = atomic_exchange(&exchange_slots[s], mine[i]);

		free(theirs);
	}
	for (int i = 0; i < 100; i++) {
		char *p = malloc((size_t)i * 40 + 1);

		bad += !p;
		free(p);
	}
	return (void *)(uintptr_t)bad;
}

static void threads_come_and_go(struct kunit *test)
{
	for (int round = 0; round < ROUNDS; round++) {
		pthread_t t[NTHREADS];

		for (int i = 0; i < NTHREADS; i++)
			KUNIT_ASSERT_EQ(test, pthread_create(&t[i], NULL, churn,
							     (void *)(uintptr_t)(round * NTHREADS + i + 1)), 0);
		for (int i = 0; i < NTHREADS; i++) {
			void *ret;

			pthread_join(t[i], &ret);
			KUNIT_EXPECT_TRUE(test, ret == NULL);
		}
	}
	for (int s = 0; s < SLOTS; s++)
		free(atomic_exchange(&exchange_slots[s], NULL));
	/* the exited threads left no CPU taken: this one allocates as ever */
	for (int i = 0; i < 1000; i++)
		free(malloc(64));
}

/* ---- fork ---- */

static atomic_int stop_churn;

static void *background(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop_churn)) {
		void *p[32];

		for (int i = 0; i < 32; i++)
			p[i] = malloc((size_t)i * 64 + 8);
		for (int i = 0; i < 32; i++)
			free(p[i]);
	}
	return NULL;
}

static void fork_in_threaded_program(struct kunit *test)
{
	pthread_t t[4];
	char *shared_before = malloc(64);

	KUNIT_ASSERT_NOT_NULL(test, shared_before);
	strcpy(shared_before, "parent");
	atomic_store(&stop_churn, 0);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, background, NULL);
	for (int round = 0; round < 20; round++) {
		int pipefd[2], status = -1;
		pid_t pid;

		KUNIT_ASSERT_EQ(test, pipe(pipefd), 0);
		pid = fork();
		KUNIT_ASSERT_GE(test, pid, 0);
		if (pid == 0) {
			char *p[1000];
			int ok = !strcmp(shared_before, "parent");

			alarm(20);
			close(pipefd[0]);
			/* the child's heap is its own: allocate, free, write where the parent reads */
			for (int i = 0; i < 1000; i++) {
				p[i] = malloc((size_t)i * 3 + 1);
				ok &= p[i] != NULL;
				if (p[i])
					memset(p[i], 'c', (size_t)i * 3 + 1);
			}
			for (int i = 0; i < 1000; i++)
				free(p[i]);
			strcpy(shared_before, "child");
			/* after the parent's write, which the child must not see */
			ok &= write(pipefd[1], "x", 1) == 1;
			_exit(ok ? 0 : 3);
		}
		close(pipefd[1]);
		{
			char c;

			KUNIT_EXPECT_EQ(test, read(pipefd[0], &c, 1), 1);
		}
		close(pipefd[0]);
		waitpid(pid, &status, 0);
		KUNIT_EXPECT_TRUE(test, WIFEXITED(status) && WEXITSTATUS(status) == 0);
		/* the child's write did not reach the parent */
		KUNIT_EXPECT_STREQ(test, shared_before, "parent");
	}
	atomic_store(&stop_churn, 1);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	free(shared_before);
}

/* ---- misuse ---- */

/* Runs fn in a child with stderr into buf; the child's exit status. */
static int with_stderr(void (*fn)(void), char *buf, size_t len)
{
	int pipefd[2], status = -1;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		alarm(20);
		fn();
		_exit(0);
	}
	close(pipefd[1]);
	while (got + 1 < len && (n = read(pipefd[0], buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void misuse(void)
{
	char local[32];
	char *a = malloc(64), *b = malloc(64), *b_again = launder(b), *c, *c_again, *d;

	strcpy(a, "first");
	free(launder(local));		/* not the heap's */
	free(launder(a + 16));		/* inside an object */
	free(b);
	free(a);
	free(b_again);			/* a double free, b no longer the object freed last */
	/* not applied: the next allocations are three different objects */
	b = malloc(64);
	c = malloc(64);
	d = malloc(64);
	if (!b || !c || !d || b == c || c == d || b == d)
		_exit(4);
	/* a page block freed twice */
	c = malloc(100000);
	c_again = launder(c);
	free(c);
	free(c_again);
	d = malloc(100000);
	if (!d)
		_exit(5);
	memset(d, 1, 100000);
	free(d);
}

static void misuse_is_reported_not_applied(struct kunit *test)
{
	static char err[1 << 16];

	KUNIT_EXPECT_EQ(test, with_stderr(misuse, err, sizeof(err)), 0);
	KUNIT_EXPECT_STRSTR(test, err, "BUG malloc (Not tainted): Invalid free of 0x");
	KUNIT_EXPECT_STRSTR(test, err, "Invalid object pointer 0x");
	KUNIT_EXPECT_STRSTR(test, err, "BUG kmalloc-64 (Tainted: B): Object already free");
	KUNIT_EXPECT_STRSTR(test, err, "FIX kmalloc-64: Object at 0x");
	KUNIT_EXPECT_STRSTR(test, err, "not a slab object nor a large kmalloc");
}

static int under_the_shim(void)
{
	void *p = malloc(100);
	size_t n = malloc_usable_size(p);

	free(p);
	/* kmalloc-128 holds 100 bytes; glibc's chunk would give 104 */
	if (n != 128)
		kunit_skip_suite("malloc is not libkmm-malloc's: run under LD_PRELOAD (tests/test_shim.sh)");
	return 0;
}

/*
 * Above 1 KiB the shim's classes (tools/malloc/classes.c) sit between
 * kmalloc's powers of two: a page and its header takes 4608 bytes, not 8192;
 * their objects are aligned to 256 bytes; a double free of one is reported
 * and not applied, as of a kmalloc object; realloc within a class stays.
 */
static void classes_between_powers_of_two(struct kunit *test)
{
	static const size_t want[][2] = {
		{ 1024, 1024 }, { 1025, 1280 }, { 1300, 1536 }, { 1700, 1792 }, { 2000, 2048 },
		{ 2049, 2560 }, { 3000, 3072 }, { 3500, 3584 }, { 4000, 4096 }, { 4160, 4608 },
		{ 4700, 5120 }, { 6000, 6144 }, { 7000, 7168 }, { 8000, 8192 },
	};
	char *p, *q, *r;
	uintptr_t was;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		p = malloc(want[i][0]);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ(test, malloc_usable_size(p), want[i][1]);
		KUNIT_EXPECT_TRUE(test, aligned_to(p, want[i][0] > 1024 ? 256 : 16));
		fill((unsigned char *)p, want[i][0], (unsigned int)i);
		q = calloc(1, want[i][0]);
		KUNIT_ASSERT_NOT_NULL(test, q);
		for (size_t j = 0; j < want[i][1]; j++)
			if (q[j]) {
				KUNIT_FAIL_MSG(test, "calloc(%zu) byte %zu is %d", want[i][0], j, q[j]);
				break;
			}
		/* realloc within the class keeps the block */
		was = (uintptr_t)p;
		r = realloc(p, want[i][1]);
		KUNIT_ASSERT_NOT_NULL(test, r);
		KUNIT_EXPECT_TRUE(test, (uintptr_t)r == was);
		KUNIT_EXPECT_TRUE(test, same((unsigned char *)r, want[i][0], (unsigned int)i));
		free(q);
		free(r);
	}
}

static void class_double_free(void)
{
	char *a = malloc(4160), *b = malloc(4160), *b_again = launder(b), *c, *d;

	free(b);
	free(a);
	free(b_again);
	c = malloc(4160);
	d = malloc(4160);
	if (!c || !d || c == d)
		_exit(4);
}

static void class_double_free_reported(struct kunit *test)
{
	static char err[1 << 16];

	KUNIT_EXPECT_EQ(test, with_stderr(class_double_free, err, sizeof(err)), 0);
	KUNIT_EXPECT_STRSTR(test, err, "BUG malloc-4608 (Not tainted): Object already free");
	KUNIT_EXPECT_STRSTR(test, err, "FIX malloc-4608: Object at 0x");
}

static struct kunit_case cases[] = {
	KUNIT_CASE(every_size_aligned),
	KUNIT_CASE(aligned_allocators),
	KUNIT_CASE(realloc_keeps_content),
	KUNIT_CASE(calloc_zeroes_and_checks),
	KUNIT_CASE(corner_cases),
	KUNIT_CASE(threads_come_and_go),
	KUNIT_CASE(fork_in_threaded_program),
	KUNIT_CASE(misuse_is_reported_not_applied),
	KUNIT_CASE(classes_between_powers_of_two),
	KUNIT_CASE(class_double_free_reported),
	{}
};

KUNIT_MAIN_INIT("shim_api", cases, under_the_shim)
