/* SPDX-License-Identifier: MIT */
/*
 * Reports of frees the heap refuses. kfree reports, in SLUB's format, what
 * it finds inside the machine (an address in a slab that is no object, an
 * object already free, a page that is not a large kmalloc); what lies
 * outside every part of the heap is reported here, in the same format, to
 * the machine's log and so to stderr: the free is not applied, the program
 * goes on (glibc would abort). Before the machine is up there is no log:
 * the line goes to stderr with write(2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

void shim_write_err(const char *s)
{
	size_t len = strlen(s);
	int saved = errno;

	while (len) {
		ssize_t n = write(STDERR_FILENO, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		s += n;
		len -= (size_t)n;
	}
	errno = saved;
}

void shim_report_invalid(const char *fn, const void *p)
{
	int saved = errno;

	if (!shim.m) {
		char line[160];

		snprintf(line, sizeof(line),
			 "libkmm-malloc: %s(%p): not a pointer from this heap; not freed\n", fn, p);
		shim_write_err(line);
		errno = saved;
		return;
	}
	kmm_printk(shim.m, "\001" "3" "=============================================================================\n");
	kmm_printk(shim.m, "\001" "3" "BUG malloc (Not tainted): Invalid %s of 0x%016lx: not in the machine's memory, nor a block of this heap\n",
		   fn, (unsigned long)(uintptr_t)p);
	kmm_printk(shim.m, "\001" "3" "-----------------------------------------------------------------------------\n\n");
	kmm_printk(shim.m, "\001" "3" "FIX malloc: Object at 0x%016lx not freed\n", (unsigned long)(uintptr_t)p);
	errno = saved;
}
