/* SPDX-License-Identifier: MIT */
/* Bad command lines fail cleanly, with a message naming the parameter. */
#include <kmm/kmm.h>

#include "kunit.h"

static void expect_fail(struct kunit *test, const char *cmdline, const char *names)
{
	struct kmm_machine *m = kmm_boot(cmdline);

	KUNIT_EXPECT_NULL(test, m);
	if (m)
		kmm_shutdown(m);
	KUNIT_EXPECT_STRSTR(test, kmm_last_error(), names);
}

static void bad_values(struct kunit *test)
{
	expect_fail(test, "mem=banana", "mem=");
	expect_fail(test, "mem=", "mem=");
	expect_fail(test, "mem=512Q", "mem=");
	expect_fail(test, "mem=16M", "mem=");		/* below the profile's minimum */
	expect_fail(test, "mem=1T", "mem=");		/* above its maximum */
	expect_fail(test, "profile=at91rm9200 mem=128M", "mem=");
	expect_fail(test, "nr_cpus=0", "nr_cpus=");
	expect_fail(test, "nr_cpus=65", "nr_cpus=");
	expect_fail(test, "nr_cpus=two", "nr_cpus=");
	expect_fail(test, "loglevel=x", "loglevel=");
	expect_fail(test, "vmalloc=1M", "vmalloc=");
	expect_fail(test, "profile=i386-highmem vmalloc=900M", "vmalloc=");
	expect_fail(test, "memmap=64M", "memmap=");
	expect_fail(test, "memmap=64M@256M", "memmap=");
	expect_fail(test, "memmap=16M$16M", "kernel image");
	expect_fail(test, "memblock=verbose", "memblock=");
	expect_fail(test, "kmm.ram=disk", "kmm.ram=");
	expect_fail(test, "profile=i386-highmem kmm.ram=anon", "kmm.ram=anon");
}

static void unknown_parameters(struct kunit *test)
{
	expect_fail(test, "profile=vax", "profile=vax");
	expect_fail(test, "foo=bar", "foo=bar");
	expect_fail(test, "mem=64M bogus", "bogus");
	expect_fail(test, "=1", "=1");
}

static void good_lines_boot(struct kunit *test)
{
	const char *ok[] = {
		"", "   ", "quiet", "mem=256M nr_cpus=4 quiet", "mem=0x10000000 quiet",
		"profile=i386-highmem mem=1G loglevel=3", "profile=at91rm9200 mem=32M quiet",
		"memmap=64M$256M quiet", "memblock=debug quiet", "vmalloc=64M quiet",
		"\"mem=256M\" quiet", "kmm.ram=anon quiet", "kmm.ram=memfd quiet",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct kmm_machine *m = kmm_boot(ok[i]);

		KUNIT_EXPECT_NOT_NULL(test, m);
		if (!m) {
			printf("    # '%s': %s\n", ok[i], kmm_last_error());
			continue;
		}
		KUNIT_EXPECT_STREQ(test, kmm_last_error(), "");
		kmm_shutdown(m);
	}
}

static void values_take_effect(struct kunit *test)
{
	struct kmm_machine *m = kmm_boot("mem=256M nr_cpus=4 quiet");

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, kmm_nr_cpus(m), 4);
	KUNIT_EXPECT_EQ(test, kmm_memblock_end_of_DRAM(m), 256 << 20);
	kmm_shutdown(m);
	m = kmm_boot("mem=256M memblock=debug loglevel=1");
	KUNIT_ASSERT_NOT_NULL(test, m);
	kmm_memblock_reserve(m, 0x5000000, 0x1000);
	{
		static char log[1 << 16];

		kmm_proc_read(m, "/dev/kmsg", log, sizeof(log));
		KUNIT_EXPECT_STRSTR(test, log, "memblock_reserve: [0x0000000005000000-0x0000000005000fff]");
	}
	kmm_shutdown(m);
}

static void last_error_is_per_thread_and_cleared(struct kunit *test)
{
	struct kmm_machine *m;

	KUNIT_EXPECT_NULL(test, kmm_boot("mem=banana"));
	KUNIT_EXPECT_STRSTR(test, kmm_last_error(), "mem=banana");
	m = kmm_boot("quiet");
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_STREQ(test, kmm_last_error(), "");
	/* a second boot while attached is refused */
	KUNIT_EXPECT_NULL(test, kmm_boot("quiet"));
	KUNIT_EXPECT_STRSTR(test, kmm_last_error(), "attached");
	kmm_shutdown(m);
}

static struct kunit_case cases[] = {
	KUNIT_CASE(bad_values),
	KUNIT_CASE(unknown_parameters),
	KUNIT_CASE(good_lines_boot),
	KUNIT_CASE(values_take_effect),
	KUNIT_CASE(last_error_is_per_thread_and_cleared),
	{ 0 },
};

KUNIT_MAIN("cmdline", cases)
