/* SPDX-License-Identifier: MIT */
/*
 * How the C tests boot a machine and read its meminfo: boot() adds "quiet"
 * (the boot's messages would bury the test's own) and says why a boot
 * failed, meminfo_kb() reads one /proc/meminfo value.
 */
#ifndef KMM_TESTS_KMM_BOOT_H
#define KMM_TESTS_KMM_BOOT_H

#include <stdio.h>
#include <string.h>

#include <kmm/kmm.h>

#include "kunit.h"

static inline struct kmm_machine *boot(struct kunit *test, const char *cmdline)
{
	char buf[256];
	struct kmm_machine *m;

	snprintf(buf, sizeof(buf), "%s quiet", cmdline);
	m = kmm_boot(buf);
	if (!m)
		printf("    # boot '%s': %s\n", buf, kmm_last_error());
	KUNIT_EXPECT_NOT_NULL(test, m);
	return m;
}

/* A /proc/meminfo value ("MemFree:"), in kB. */
static inline unsigned long meminfo_kb(struct kmm_machine *m, const char *key)
{
	char buf[8192];
	const char *s;
	unsigned long kb = 0;

	kmm_proc_read(m, "/proc/meminfo", buf, sizeof(buf));
	s = strstr(buf, key);
	if (s)
		sscanf(s + strlen(key), " %lu", &kb);
	return kb;
}

#endif /* KMM_TESTS_KMM_BOOT_H */
