/* SPDX-License-Identifier: MIT */
/*
 * The contract between the freestanding core (src/core) and a platform.
 *
 * The core calls only the functions declared here (and memcpy, memset,
 * memmove, memcmp). The hosted platform (src/host) implements them over
 * Linux system calls and pthreads; an OS that takes the core implements them
 * over its own primitives. Every call names the machine it acts for: a
 * platform may run several machines at once.
 *
 * Context rules: every function may be called with a core spinlock held and
 * must not call back into the core.
 */
#ifndef KMM_PLATFORM_H
#define KMM_PLATFORM_H

#include <kmm/types.h>


/* Monotonic nanoseconds since the machine booted (printk timestamps). */
uint64_t kmm_plat_clock_ns(struct kmm_machine *m);

/*
 * Writes one formatted console line (already filtered by console_loglevel)
 * to the machine's console; the hosted platform writes it to stderr.
 */
void kmm_plat_console_write(struct kmm_machine *m, const char *s, size_t len);

/* Called while spinning on a contended core spinlock: pause or yield. */
void kmm_plat_cpu_relax(void);

#endif /* KMM_PLATFORM_H */
