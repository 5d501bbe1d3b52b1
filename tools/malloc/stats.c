/* SPDX-License-Identifier: MIT */
/*
 * KMM_MALLOC_STATS=1: the heap's /proc/slabinfo and /proc/buddyinfo, and
 * its host blocks, on stderr when the process exits.
 *
 * A destructor of the library, not atexit (whose registration allocates):
 * it runs after the program's own atexit handlers and destructors, in
 * exit(), while the heap still works. The files are rendered by
 * kmm_proc_read into a static buffer (no allocation) and written with
 * write(2) (no stdio, whose buffers may be gone by then) to a copy of
 * stderr taken at boot: programs close their standard streams at exit
 * (coreutils' close_stdout closes stderr too).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

static char stats_buf[1 << 18];
static int stats_fd = -1;

static void put(const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t n = write(stats_fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void show(const char *path)
{
	long n;

	put(path);
	put(":\n");
	n = kmm_proc_read(shim.m, path, stats_buf, sizeof(stats_buf));
	if (n >= (long)sizeof(stats_buf))
		strcpy(stats_buf + sizeof(stats_buf) - 16, "\n[truncated]\n");
	if (n > 0)
		put(stats_buf);
}

void shim_stats_init(void)
{
	const char *env = getenv("KMM_MALLOC_STATS");

	if (env && !strcmp(env, "1"))
		stats_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
}

__attribute__((destructor)) static void shim_stats(void)
{
	unsigned long blocks, bytes;
	char line[1200];
	int saved = errno;

	if (stats_fd < 0 || !shim.m)
		return;
	snprintf(line, sizeof(line), "libkmm-malloc: the heap at exit, machine \"%s\"\n",
		 kmm_cmdline(shim.m));
	put(line);
	show("/proc/slabinfo");
	show("/proc/buddyinfo");
	shim_huge_stats(&blocks, &bytes);
	snprintf(line, sizeof(line), "host blocks: %lu, %lu kB\n", blocks, bytes >> 10);
	put(line);
	errno = saved;
}
