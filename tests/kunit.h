/* SPDX-License-Identifier: MIT */
/*
 * A small KUnit-style check header for kmm's C tests.
 *
 *   static void memblock_merges(struct kunit *test) {
 *           KUNIT_EXPECT_EQ(test, mb.memory.cnt, 1);
 *           KUNIT_ASSERT_NOT_NULL(test, p);     // stops this case on failure
 *   }
 *   static struct kunit_case cases[] = { KUNIT_CASE(memblock_merges), {} };
 *   KUNIT_MAIN("memblock", cases)
 *
 * Output is KTAP, as KUnit prints it; the exit status is 0 when every case
 * passed, 1 otherwise, and 77 (CTest's "skipped") when the suite skipped
 * itself with kunit_skip_suite() for want of an optional dependency.
 */
#ifndef KMM_TESTS_KUNIT_H
#define KMM_TESTS_KUNIT_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kunit {
	const char *name;
	int failed;
	int skipped;
	jmp_buf abort;
};

struct kunit_case {
	void (*run)(struct kunit *test);
	const char *name;
};

#define KUNIT_CASE(fn) { fn, #fn }

static inline void kunit_fail_at(struct kunit *test, const char *file, int line)
{
	test->failed++;
	printf("    # %s: EXPECTATION FAILED at %s:%d\n", test->name, file, line);
}

#define KUNIT_FAIL_MSG(test, ...)                                              \
	do {                                                                   \
		kunit_fail_at((test), __FILE__, __LINE__);                     \
		printf("    " __VA_ARGS__);                                    \
		printf("\n");                                                  \
	} while (0)

#define KUNIT_BINARY(test, a, op, b, fatal)                                    \
	do {                                                                   \
		long long kunit_a_ = (long long)(a), kunit_b_ = (long long)(b); \
		if (!(kunit_a_ op kunit_b_)) {                                 \
			KUNIT_FAIL_MSG(test, "Expected %s " #op " %s, but\n"   \
				       "        %s == %lld (%#llx)\n"          \
				       "        %s == %lld (%#llx)",           \
				       #a, #b, #a, kunit_a_,                   \
				       (unsigned long long)kunit_a_, #b,       \
				       kunit_b_, (unsigned long long)kunit_b_); \
			if (fatal)                                             \
				longjmp((test)->abort, 1);                     \
		}                                                              \
	} while (0)

#define KUNIT_EXPECT_EQ(t, a, b) KUNIT_BINARY(t, a, ==, b, 0)
#define KUNIT_EXPECT_NE(t, a, b) KUNIT_BINARY(t, a, !=, b, 0)
#define KUNIT_EXPECT_LT(t, a, b) KUNIT_BINARY(t, a, <, b, 0)
#define KUNIT_EXPECT_LE(t, a, b) KUNIT_BINARY(t, a, <=, b, 0)
#define KUNIT_EXPECT_GT(t, a, b) KUNIT_BINARY(t, a, >, b, 0)
#define KUNIT_EXPECT_GE(t, a, b) KUNIT_BINARY(t, a, >=, b, 0)
#define KUNIT_ASSERT_EQ(t, a, b) KUNIT_BINARY(t, a, ==, b, 1)
#define KUNIT_ASSERT_NE(t, a, b) KUNIT_BINARY(t, a, !=, b, 1)
#define KUNIT_ASSERT_GE(t, a, b) KUNIT_BINARY(t, a, >=, b, 1)
#define KUNIT_ASSERT_GT(t, a, b) KUNIT_BINARY(t, a, >, b, 1)
#define KUNIT_ASSERT_LT(t, a, b) KUNIT_BINARY(t, a, <, b, 1)
#define KUNIT_ASSERT_LE(t, a, b) KUNIT_BINARY(t, a, <=, b, 1)

#define KUNIT_EXPECT_TRUE(t, c) KUNIT_BINARY(t, !!(c), ==, 1, 0)
#define KUNIT_EXPECT_FALSE(t, c) KUNIT_BINARY(t, !!(c), ==, 0, 0)
#define KUNIT_ASSERT_TRUE(t, c) KUNIT_BINARY(t, !!(c), ==, 1, 1)
#define KUNIT_ASSERT_FALSE(t, c) KUNIT_BINARY(t, !!(c), ==, 0, 1)

#define KUNIT_PTR(test, p, want_null, fatal)                                   \
	do {                                                                   \
		const void *kunit_p_ = (const void *)(p);                      \
		if ((kunit_p_ == NULL) != (want_null)) {                       \
			KUNIT_FAIL_MSG(test, "Expected %s %s NULL, but it is %p", \
				       #p, (want_null) ? "==" : "!=", kunit_p_); \
			if (fatal)                                             \
				longjmp((test)->abort, 1);                     \
		}                                                              \
	} while (0)

#define KUNIT_EXPECT_NULL(t, p) KUNIT_PTR(t, p, 1, 0)
#define KUNIT_EXPECT_NOT_NULL(t, p) KUNIT_PTR(t, p, 0, 0)
#define KUNIT_ASSERT_NULL(t, p) KUNIT_PTR(t, p, 1, 1)
#define KUNIT_ASSERT_NOT_NULL(t, p) KUNIT_PTR(t, p, 0, 1)

#define KUNIT_STREQ(test, a, b, fatal)                                         \
	do {                                                                   \
		const char *kunit_sa_ = (a), *kunit_sb_ = (b);                 \
		if (!kunit_sa_ || !kunit_sb_ || strcmp(kunit_sa_, kunit_sb_)) { \
			KUNIT_FAIL_MSG(test, "Expected %s == %s, but\n"        \
				       "        %s == \"%s\"\n"                \
				       "        %s == \"%s\"",                 \
				       #a, #b, #a, kunit_sa_ ? kunit_sa_ : "(null)", \
				       #b, kunit_sb_ ? kunit_sb_ : "(null)");  \
			if (fatal)                                             \
				longjmp((test)->abort, 1);                     \
		}                                                              \
	} while (0)

#define KUNIT_EXPECT_STREQ(t, a, b) KUNIT_STREQ(t, a, b, 0)
#define KUNIT_ASSERT_STREQ(t, a, b) KUNIT_STREQ(t, a, b, 1)

/* Substring: haystack contains needle. */
#define KUNIT_EXPECT_STRSTR(test, hay, needle)                                 \
	do {                                                                   \
		const char *kunit_h_ = (hay), *kunit_n_ = (needle);            \
		if (!kunit_h_ || !strstr(kunit_h_, kunit_n_))                  \
			KUNIT_FAIL_MSG(test, "Expected %s to contain \"%s\"; it is:\n%s", \
				       #hay, kunit_n_, kunit_h_ ? kunit_h_ : "(null)"); \
	} while (0)
#define KUNIT_EXPECT_NOT_STRSTR(test, hay, needle)                             \
	do {                                                                   \
		const char *kunit_h_ = (hay), *kunit_n_ = (needle);            \
		if (kunit_h_ && strstr(kunit_h_, kunit_n_))                    \
			KUNIT_FAIL_MSG(test, "Expected %s not to contain \"%s\"", #hay, kunit_n_); \
	} while (0)

static int kunit_suite_skipped;

/* Called from a suite's init: the whole program reports "skipped" (exit 77). */
static inline void kunit_skip_suite(const char *why)
{
	printf("# SKIP %s\n", why);
	kunit_suite_skipped = 1;
}

/* Runs one case; its own frame, so setjmp clobbers nothing of the caller's. */
static inline int kunit_run_case(const struct kunit_case *c)
{
	struct kunit test = { .name = c->name };

	if (!setjmp(test.abort))
		c->run(&test);
	return test.failed;
}

static inline int kunit_run_suite(const char *suite, struct kunit_case *cases,
				  int (*init)(void))
{
	int n = 0, failed = 0;

	while (cases[n].run)
		n++;
	printf("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: %s\n    1..%d\n",
	       suite, n);
	if (init && init()) {
		printf("not ok 1 %s # init failed\n", suite);
		return 1;
	}
	if (kunit_suite_skipped) {
		printf("ok 1 %s # SKIP\n", suite);
		return 77;
	}
	for (int i = 0; i < n; i++) {
		int f = kunit_run_case(&cases[i]);

		printf("    %s %d %s\n", f ? "not ok" : "ok", i + 1, cases[i].name);
		fflush(stdout);
		failed += !!f;
	}
	printf("# %s: pass:%d fail:%d skip:0 total:%d\n", suite, n - failed, failed, n);
	printf("%s 1 %s\n", failed ? "not ok" : "ok", suite);
	return failed ? 1 : 0;
}

#define KUNIT_MAIN_INIT(suite, cases, init)                                    \
	int main(void)                                                         \
	{                                                                      \
		return kunit_run_suite(suite, cases, init);                    \
	}
#define KUNIT_MAIN(suite, cases) KUNIT_MAIN_INIT(suite, cases, NULL)

#endif /* KMM_TESTS_KUNIT_H */
