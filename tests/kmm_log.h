/* SPDX-License-Identifier: MIT */
/*
 * What the C tests read a machine's kernel log with: kmsg() returns the log
 * as /dev/kmsg shows it (into one buffer, overwritten at each call),
 * count_in() counts a report's occurrences in it.
 */
#ifndef KMM_TESTS_KMM_LOG_H
#define KMM_TESTS_KMM_LOG_H

#include <string.h>

#include <kmm/kmm.h>

static char logbuf[1 << 20];

static inline const char *kmsg(struct kmm_machine *m)
{
	kmm_proc_read(m, "/dev/kmsg", logbuf, sizeof(logbuf));
	return logbuf;
}

static inline int count_in(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

#endif /* KMM_TESTS_KMM_LOG_H */
