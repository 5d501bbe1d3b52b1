/* SPDX-License-Identifier: MIT */
/*
 * kmm_vsnprintf/kmm_snprintf (src/core/printf.c) against the host C
 * library's snprintf: every format of the table must give the same text and
 * the same return value, whole and truncated to several buffer sizes. The one
 * documented difference, the kernel's "0x" prefix for %#x of zero, has its
 * own cases.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "core/lib.h"
#include "kunit.h"

#define BUFSZ 512

/*
 * CMP() truncates on purpose (to 0, 1, 2 ... bytes): gcc's -O3 unrolls its
 * loop over the sizes and would call each truncation a -Wformat-truncation.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

static int kvs(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Goes through kmm_vsnprintf itself, as the kernel log and seq files do. */
static int kvs(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kmm_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int compared;

/*
 * Compares one call of the C library with kmm's, both writing into buffers
 * pre-filled with 'Z' so that a byte written past the end shows.
 */
static void same(struct kunit *test, int line, const char *what, size_t size,
		 const char *want, int wn, const char *got, int gn)
{
	compared++;
	if (wn != gn || memcmp(want, got, BUFSZ)) {
		kunit_fail_at(test, __FILE__, line);
		printf("    %s, size %zu:\n        libc: %d \"%.*s\"\n        kmm:  %d \"%.*s\"\n",
		       what, size, wn, wn < 0 ? 0 : wn > BUFSZ - 1 ? BUFSZ - 1 : wn, want, gn,
		       gn < 0 ? 0 : gn > BUFSZ - 1 ? BUFSZ - 1 : gn, got);
	}
}

/* CMP(test, FORMAT, ARGS...): whole, and truncated to 0, 1, 2, half, len and len + 1. */
#define CMP(test, ...)                                                         \
	do {                                                                   \
		char want_[BUFSZ], got_[BUFSZ];                                \
		int wn_, gn_;                                                  \
		size_t sizes_[7];                                              \
                                                                               \
		memset(want_, 'Z', BUFSZ);                                     \
		memset(got_, 'Z', BUFSZ);                                      \
		wn_ = snprintf(want_, BUFSZ, __VA_ARGS__);                     \
		gn_ = kmm_snprintf(got_, BUFSZ, __VA_ARGS__);                  \
		same(test, __LINE__, #__VA_ARGS__, BUFSZ, want_, wn_, got_, gn_); \
		memset(got_, 'Z', BUFSZ);                                      \
		gn_ = kvs(got_, BUFSZ, __VA_ARGS__);                           \
		same(test, __LINE__, "kmm_vsnprintf: " #__VA_ARGS__, BUFSZ, want_, wn_, got_, gn_); \
		sizes_[0] = 0;                                                 \
		sizes_[1] = 1;                                                 \
		sizes_[2] = 2;                                                 \
		sizes_[3] = wn_ > 0 ? (size_t)wn_ / 2 : 0;                     \
		sizes_[4] = wn_ > 0 ? (size_t)wn_ : 0;                         \
		sizes_[5] = wn_ >= 0 ? (size_t)wn_ + 1 : 0;                    \
		sizes_[6] = 3;                                                 \
		for (int i_ = 0; i_ < 7; i_++) {                               \
			if (sizes_[i_] >= BUFSZ)                               \
				continue;                                      \
			memset(want_, 'Z', BUFSZ);                             \
			memset(got_, 'Z', BUFSZ);                              \
			wn_ = snprintf(want_, sizes_[i_], __VA_ARGS__);        \
			gn_ = kmm_snprintf(got_, sizes_[i_], __VA_ARGS__);     \
			same(test, __LINE__, #__VA_ARGS__, sizes_[i_], want_, wn_, got_, gn_); \
		}                                                              \
	} while (0)

static void printf_decimal(struct kunit *test)
{
	int vals[] = { 0, 1, -1, 7, -7, 42, -42, 100, 12345, -99999, 2147483647, INT_MIN };

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		int v = vals[i];

		CMP(test, "%d", v);
		CMP(test, "%i", v);
		CMP(test, "[%5d]", v);
		CMP(test, "[%-5d]", v);
		CMP(test, "[%05d]", v);
		CMP(test, "[%+d]", v);
		CMP(test, "[% d]", v);
		CMP(test, "[%+05d]", v);
		CMP(test, "[% 05d]", v);
		CMP(test, "[%-+6d]", v);
		CMP(test, "[%- 6d]", v);
		CMP(test, "[%.3d]", v);
		CMP(test, "[%8.3d]", v);
		CMP(test, "[%-8.3d]", v);
		CMP(test, "[%+.5i]", v);
		CMP(test, "[%.0d]", v);
		CMP(test, "[%5.0d]", v);
		CMP(test, "[%+.0d]", v);
		CMP(test, "[% .0d]", v);
		CMP(test, "[%.d]", v);
		CMP(test, "[%20d]", v);
		CMP(test, "[%-20d|]", v);
		CMP(test, "[%020i]", v);
		CMP(test, "[%.12d]", v);
		CMP(test, "[%1d]", v);
	}
}

static void printf_unsigned(struct kunit *test)
{
	unsigned int vals[] = { 0, 1, 7, 8, 9, 10, 15, 16, 255, 256, 0777, 0xdeadbeef,
				0x7fffffff, 0x80000000u, UINT_MAX };

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		unsigned int v = vals[i];

		CMP(test, "%u %x %X %o", v, v, v, v);
		CMP(test, "[%10u][%-10u][%010u]", v, v, v);
		CMP(test, "[%.6u][%10.6u][%-10.6u]", v, v, v);
		CMP(test, "[%10x][%-10x][%010x][%.6x][%10.6X]", v, v, v, v, v);
		CMP(test, "[%10o][%-10o][%010o][%.6o][%10.6o]", v, v, v, v, v);
		CMP(test, "[%.0u][%.0x][%.0X][%.0o][%5.0u|%-5.0x|]", v, v, v, v, v, v);
		CMP(test, "[%#o][%#10o][%#-10o][%#.4o][%#.0o]", v, v, v, v, v);
		CMP(test, "[%#05o][%#010o]", v, v);
		if (v) {
			/* '#' with x: the same as C for every value but zero */
			CMP(test, "[%#x][%#X][%#10x][%#-10X][%#010x]", v, v, v, v, v);
			CMP(test, "[%#.6x][%#12.6x][%#-12.6X][%#.0x]", v, v, v, v);
		}
	}
}

/*
 * What the compiler warns about but C defines: flags C ignores in these
 * combinations ('0' with '-' or with a precision, ' ' with '+'), and int
 * arguments out of range for hh and h, which are converted to (un)signed
 * char or short first. The output must still be C's.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
static void printf_warned_but_defined(struct kunit *test)
{
	CMP(test, "%hhd %hhd %hhd %hhd %hhd", 0, 127, 128, 200, -129);
	CMP(test, "%hhu %hhu %hhu %hhx %hhX %hho", 255, 256, -1, 0x1ff, 0xabc, 0777);
	CMP(test, "%hd %hd %hd %hd", 32767, 32768, -32769, 0x12345);
	CMP(test, "%hu %hu %hx %hX %ho", 65535, 65536, -1, 0x12345, 0x1ffff);
	CMP(test, "[%+5hhd][%-6hd][%08hx]", -5, -300, 0xfffff);
	/* the length of one conversion does not leak into the next */
	CMP(test, "%hhd %d %lld %hd %u", 300, 300, 300LL, 70000, 70000u);

	int vals[] = { 0, 5, -5, 123456, INT_MIN };

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		int v = vals[i];

		CMP(test, "[%+ d][% +d][%+ 8d]", v, v, v);
		CMP(test, "[%-08d][%0-8d][%-08x]", v, v, (unsigned int)v);
		CMP(test, "[%08.3d][%08.0d][%010.6u][%08.3x][%08.3o]", v, v, (unsigned int)v,
		    (unsigned int)v, (unsigned int)v);
		CMP(test, "[%0*.*d][%0*.*d][%0*.*d]", 8, 3, v, 8, -1, v, -8, -1, v);
	}
}
#pragma GCC diagnostic pop

static void printf_lengths(struct kunit *test)
{
	CMP(test, "%hhd %hhd %hhd %hhu %hhx %hhX %hho", (signed char)0, (signed char)SCHAR_MAX,
	    (signed char)SCHAR_MIN, (unsigned char)UCHAR_MAX, (unsigned char)0xab,
	    (unsigned char)0xab, (unsigned char)0377);
	CMP(test, "%hd %hd %hd %hu %hx %hX %ho", (short)0, (short)SHRT_MAX, (short)SHRT_MIN,
	    (unsigned short)USHRT_MAX, (unsigned short)0xbeef, (unsigned short)0xbeef,
	    (unsigned short)0177777);
	CMP(test, "[%+5hhd][%-6hd][%08hx]", (signed char)-5, (short)-300, (unsigned short)0xffff);
	CMP(test, "%ld %ld %ld", 0L, LONG_MAX, LONG_MIN);
	CMP(test, "%lu %lx %lX %lo", ULONG_MAX, ULONG_MAX, 0xabcdefUL, ULONG_MAX);
	CMP(test, "%li [%+20ld] [%-22li] [%022ld]", -1L, LONG_MIN, LONG_MIN, LONG_MIN);
	CMP(test, "%lld %lld %lld", 0LL, LLONG_MAX, LLONG_MIN);
	CMP(test, "%llu %llx %llX %llo", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	CMP(test, "[%30lld] [%-30lli] [%030lld] [%.25lld]", LLONG_MIN, LLONG_MIN, LLONG_MIN,
	    LLONG_MIN);
	CMP(test, "[%#llx] [%#llo] [%#25llX]", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	CMP(test, "[%018llx] [%#018llx]", 0x1000000ULL, 0x3c57fffULL);
	CMP(test, "%zu %zx %zd %zd", (size_t)0, SIZE_MAX, (ssize_t)-1, (ssize_t)SSIZE_MAX);
	CMP(test, "[%10zu] [%-10zx] [%010zd]", (size_t)4096, (size_t)0xfff, (ssize_t)-4096);
	CMP(test, "%td %td %td %tx", (ptrdiff_t)0, PTRDIFF_MAX, PTRDIFF_MIN, (ptrdiff_t)255);
	CMP(test, "%jd %jd %ju %jx %jo", INTMAX_MAX, INTMAX_MIN, UINTMAX_MAX, UINTMAX_MAX,
	    (uintmax_t)8);
	CMP(test, "[%+jd] [% jd] [%-25jd]", (intmax_t)12, (intmax_t)-12, INTMAX_MIN);
	CMP(test, "%hhd %d %lld %hd %u", (signed char)-3, 300, 300LL, (short)-7000, 70000u);
}

static void printf_star(struct kunit *test)
{
	int widths[] = { 0, 1, 5, 12, -1, -5, -12 };
	int precs[] = { -1, -7, 0, 1, 3, 8 };

	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		int w = widths[i];

		/* a negative '*' width is the '-' flag and its absolute value */
		CMP(test, "[%*d]", w, 42);
		CMP(test, "[%*d]", w, -42);
		CMP(test, "[%0*d]", w, -42);
		CMP(test, "[%-*d]", w, 42);
		CMP(test, "[%*s]", w, "abc");
		CMP(test, "[%*c]", w, 'q');
		CMP(test, "[%*x]", w, 0xbeefu);
		for (size_t j = 0; j < sizeof(precs) / sizeof(precs[0]); j++) {
			int p = precs[j];

			/* a negative '*' precision is taken as omitted */
			CMP(test, "[%*.*d]", w, p, 42);
			CMP(test, "[%*.*d]", w, p, 0);
			CMP(test, "[%*.*s]", w, p, "abcdef");
			CMP(test, "[%.*u]", p, 7u);
			CMP(test, "[%-*.*llx]", w, p, 0xabcULL);
		}
	}
}

static void printf_strings_chars(struct kunit *test)
{
	const char *strs[] = { "", "a", "hello", "hello, world", "tab\there" };

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		const char *s = strs[i];

		CMP(test, "%s", s);
		CMP(test, "[%10s][%-10s][%2s]", s, s, s);
		CMP(test, "[%.0s][%.1s][%.3s][%.20s]", s, s, s, s);
		CMP(test, "[%8.3s][%-8.3s]", s, s);
		CMP(test, "<%s|%s>", s, "tail");
	}
	CMP(test, "%c%c%c", 'a', 'b', 'c');
	CMP(test, "[%3c][%-3c][%1c]", 'x', 'y', 'z');
	CMP(test, "[%c]", 255);
	CMP(test, "a%cb", 0);	/* a NUL character is output and counted */
	CMP(test, "100%% [%d%%] %%d", 5);
	CMP(test, "plain text, no conversions%s", "");
	CMP(test, "%s=%d, %s=%#x, %c%c", "mem", 512, "flags", 0x80000200u, 'o', 'k');
}

static void printf_null_string(struct kunit *test)
{
	const char *volatile null = NULL;
	char buf[64];

	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "%s", null), 6);
	KUNIT_EXPECT_STREQ(test, buf, "(null)");
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "[%8s]", null), 10);
	KUNIT_EXPECT_STREQ(test, buf, "[  (null)]");
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "[%-8s]", null), 10);
	KUNIT_EXPECT_STREQ(test, buf, "[(null)  ]");
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "name: %s.", null), 13);
	KUNIT_EXPECT_STREQ(test, buf, "name: (null).");
}

static void printf_pointer(struct kunit *test)
{
	int x;
	char y[3];
	void *ptrs[] = { &x, &y[1], (void *)(uintptr_t)0x1000, (void *)(uintptr_t)0xdeadbeef,
			 (void *)UINTPTR_MAX, (void *)printf_pointer };

	for (size_t i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++) {
		void *p = ptrs[i];

		CMP(test, "%p", p);
		CMP(test, "[%25p][%-25p]", p, p);
		CMP(test, "<%p,%p>", p, (void *)((uintptr_t)p ^ 1));
	}
}

static void printf_precision_zero_value_zero(struct kunit *test)
{
	/* C: precision 0 with value 0 prints no digits (but the sign and '#' o) */
	CMP(test, "[%.0d][%.0i][%.0u][%.0x][%.0X][%.0o]", 0, 0, 0u, 0u, 0u, 0u);
	CMP(test, "[%3.0d][%-3.0u][%+.0d][% .0d][%#.0o][%.0lld][%.0zu]", 0, 0u, 0, 0, 0u,
	    0LL, (size_t)0);
	CMP(test, "[%.*d][%.*x]", 0, 0, 0, 0u);

	char buf[32];

	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "[%.0d]", 0), 2);
	KUNIT_EXPECT_STREQ(test, buf, "[]");
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "[%5.0x]", 0u), 7);
	KUNIT_EXPECT_STREQ(test, buf, "[     ]");
}

/* The documented kernel difference: '#' prints 0x for zero too. */
static void printf_alt_hex_zero_kernel(struct kunit *test)
{
	char buf[64];

	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "%#x", 0u), 3);
	KUNIT_EXPECT_STREQ(test, buf, "0x0");
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "%#X", 0u), 3);
	KUNIT_EXPECT_STREQ(test, buf, "0X0");
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "%#018llx", 0ULL), 18);
	KUNIT_EXPECT_STREQ(test, buf, "0x0000000000000000");
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "%#06x", 0u), 6);
	KUNIT_EXPECT_STREQ(test, buf, "0x0000");
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "[%#6x]", 0u), 8);
	KUNIT_EXPECT_STREQ(test, buf, "[   0x0]");
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "[%#-6x]", 0u), 8);
	KUNIT_EXPECT_STREQ(test, buf, "[0x0   ]");
	/* as the boot log prints a firmware range starting at 0 */
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "[mem %#018llx-%#018llx]", 0ULL,
					   0xfffULL), 43);
	KUNIT_EXPECT_STREQ(test, buf, "[mem 0x0000000000000000-0x0000000000000fff]");
	/* and the other values keep C's form */
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "%#x", 1u), 3);
	KUNIT_EXPECT_STREQ(test, buf, "0x1");
	/* %#o of zero stays "0", as in C and the kernel */
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "%#o", 0u), 1);
	KUNIT_EXPECT_STREQ(test, buf, "0");
}

static void printf_truncation(struct kunit *test)
{
	char buf[16];

	/* the return value is the full length; the buffer ends in NUL at size - 1 */
	memset(buf, 'Z', sizeof(buf));
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, 6, "hello world"), 11);
	KUNIT_EXPECT_STREQ(test, buf, "hello");
	KUNIT_EXPECT_EQ(test, buf[6], 'Z');

	memset(buf, 'Z', sizeof(buf));
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, 5, "%d", -123456789), 10);
	KUNIT_EXPECT_STREQ(test, buf, "-123");
	KUNIT_EXPECT_EQ(test, buf[5], 'Z');

	memset(buf, 'Z', sizeof(buf));
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, 4, "[%10s]", "x"), 12);
	KUNIT_EXPECT_STREQ(test, buf, "[  ");
	KUNIT_EXPECT_EQ(test, buf[4], 'Z');

	/* size 1: only the NUL */
	memset(buf, 'Z', sizeof(buf));
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, 1, "abc%d", 1), 4);
	KUNIT_EXPECT_EQ(test, buf[0], '\0');
	KUNIT_EXPECT_EQ(test, buf[1], 'Z');

	/* exactly fitting, and one short */
	memset(buf, 'Z', sizeof(buf));
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, 4, "abc"), 3);
	KUNIT_EXPECT_STREQ(test, buf, "abc");
	memset(buf, 'Z', sizeof(buf));
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, 3, "abc"), 3);
	KUNIT_EXPECT_STREQ(test, buf, "ab");
	KUNIT_EXPECT_EQ(test, buf[3], 'Z');

	/* size 0 writes nothing, and buf may be NULL */
	memset(buf, 'Z', sizeof(buf));
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, 0, "hello %s", "world"), 11);
	for (size_t i = 0; i < sizeof(buf); i++)
		KUNIT_EXPECT_EQ(test, buf[i], 'Z');
	KUNIT_EXPECT_EQ(test, kmm_snprintf(NULL, 0, "%#018llx|%s", 0ULL, "abc"), 22);
	KUNIT_EXPECT_EQ(test, kvs(NULL, 0, "%d", INT_MIN), 11);

	/* an empty output still writes its NUL */
	memset(buf, 'Z', sizeof(buf));
	KUNIT_EXPECT_EQ(test, kmm_snprintf(buf, sizeof(buf), "%s", ""), 0);
	KUNIT_EXPECT_EQ(test, buf[0], '\0');
	KUNIT_EXPECT_EQ(test, buf[1], 'Z');

	/* a long output: the length counts past the buffer */
	char big[8];

	KUNIT_EXPECT_EQ(test, kmm_snprintf(big, sizeof(big), "%300d", 1), 300);
	KUNIT_EXPECT_STREQ(test, big, "       ");
}

static void printf_table_size(struct kunit *test)
{
	/* run last: the comparisons above really ran */
	KUNIT_EXPECT_GT(test, compared, 5000);
}

static struct kunit_case printf_cases[] = {
	KUNIT_CASE(printf_decimal),
	KUNIT_CASE(printf_unsigned),
	KUNIT_CASE(printf_warned_but_defined),
	KUNIT_CASE(printf_lengths),
	KUNIT_CASE(printf_star),
	KUNIT_CASE(printf_strings_chars),
	KUNIT_CASE(printf_null_string),
	KUNIT_CASE(printf_pointer),
	KUNIT_CASE(printf_precision_zero_value_zero),
	KUNIT_CASE(printf_alt_hex_zero_kernel),
	KUNIT_CASE(printf_truncation),
	KUNIT_CASE(printf_table_size),
	{}
};

KUNIT_MAIN("printf", printf_cases)
