/* SPDX-License-Identifier: MIT */
/*
 * The heap's machine, booted on the first allocation of the process.
 *
 * The default machine is as large as the host's RAM (sysinfo(2)), on the
 * x86_64 profile, with kmm's largest number of CPUs (64) whatever the host
 * has: a CPU of the machine is a slot that a thread keeps while it lives
 * (task.c's sticky mode), and with more threads than slots every call would
 * take a CPU by compare-and-swap and threads would wait for one another (a
 * 2-thread remote free on a 2-CPU machine, whose main thread is a task too:
 * 75 ns a pair, against 19 with spare slots). A CPU no thread uses costs
 * its empty per-CPU structures only. Three settings make it fit a process:
 *   kmm.ram=anon                 private memory, so a fork()ed child has its
 *                                own heap (docs/machine.md)
 *   kmm.deferred_init=1          struct pages initialised as memory is used:
 *                                starting costs 0.3 ms, not 130 ms and 400 MiB
 *   kmm.page_reporting_thread=0  no thread the program did not start; the
 *                                shim runs the reporting passes (malloc.c)
 * and loglevel=5, so that errors and warnings (the reports of bad frees)
 * reach stderr and the boot's messages do not.
 * KMM_MALLOC_CMDLINE replaces it: those settings come first and its own
 * words after them, so it may override any of them. A command line that
 * does not boot is reported on stderr and the default machine is used; a
 * default machine the host cannot give (an address space limit, ulimit -v)
 * is retried at half the size, down to 256 MiB.
 *
 * Nothing here may allocate through the heap that is being built: the
 * thread's busy count sends every malloc made meanwhile (by kmm_boot's
 * calloc, pthread_key_create, pthread_atfork) to the bootstrap arena, and
 * other threads wait on boot_lock. Messages are written with write(2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "shim.h"

/* kmm's maximum (the x86_64 profile's NR_CPUS) */
#define SHIM_NR_CPUS 64
#define SHIM_SETTINGS "kmm.ram=anon kmm.deferred_init=1 kmm.page_reporting_thread=0 loglevel=5"
#define MIN_MEM (256ULL << 20)
#define MAX_MEM (256ULL << 30)	/* the x86_64 profile's largest */

struct shim shim;
static pthread_mutex_t boot_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned long long host_ram(void)
{
	struct sysinfo si;
	unsigned long long ram;

	if (sysinfo(&si))
		return 1ULL << 30;
	ram = (unsigned long long)si.totalram * (si.mem_unit ? si.mem_unit : 1);
	ram &= ~((1ULL << 20) - 1);
	return ram < MIN_MEM ? MIN_MEM : ram > MAX_MEM ? MAX_MEM : ram;
}

static void default_cmdline(char *buf, size_t len, unsigned long long mem)
{
	/* vmalloc=8M: anonymous RAM has no vmalloc, so its area need not take address space */
	snprintf(buf, len, "profile=x86_64 mem=%lluM nr_cpus=%u vmalloc=8M " SHIM_SETTINGS, mem >> 20,
		 SHIM_NR_CPUS);
}

static struct kmm_machine *boot_default(void)
{
	char cmdline[256];
	struct kmm_machine *m = NULL;

	for (unsigned long long mem = host_ram(); !m && mem >= MIN_MEM; mem /= 2) {
		default_cmdline(cmdline, sizeof(cmdline), mem);
		m = kmm_boot(cmdline);
	}
	return m;
}

static struct kmm_machine *boot_machine(void)
{
	const char *env = getenv("KMM_MALLOC_CMDLINE");
	struct kmm_machine *m;
	char cmdline[1024];

	if (!env)
		return boot_default();
	if ((size_t)snprintf(cmdline, sizeof(cmdline), SHIM_SETTINGS " %s", env) >= sizeof(cmdline)) {
		shim_write_err("libkmm-malloc: KMM_MALLOC_CMDLINE is too long; booting the default machine\n");
		return boot_default();
	}
	m = kmm_boot(cmdline);
	if (!m) {
		char msg[768];

		snprintf(msg, sizeof(msg),
			 "libkmm-malloc: KMM_MALLOC_CMDLINE=\"%.200s\": %.400s; booting the default machine\n",
			 env, kmm_last_error());
		shim_write_err(msg);
		m = boot_default();
	}
	return m;
}

static void machine_up(struct kmm_machine *m)
{
	const struct kmm_layout *l = kmm_layout(m);
	void *probe;

	shim.m = m;
	shim.lo = l->page_offset;
	/* vmalloc works where RAM is a memfd (kmm.ram=memfd): its area holds the largest blocks */
	probe = kmm___vmalloc(m, SHIM_PAGE, SHIM_GFP);
	if (probe) {
		kmm_vfree(m, probe);
		shim.vmalloc = true;
		shim.vlo = l->vmalloc_start;
		shim.vspan = l->vmalloc_end - l->vmalloc_start;
	}
	shim.kmalloc_max = kmm_kmalloc_max_size(m);
	shim_classes_init(m);
	/* last: the fast paths test span (free) */
	__atomic_store_n(&shim.span, l->high_memory - l->page_offset, __ATOMIC_RELEASE);
}

bool shim_boot(void)
{
	struct kmm_machine *m;
	int saved = errno;

	if (atomic_load_explicit(&shim.state, memory_order_acquire) == SHIM_UP)
		return true;
	pthread_mutex_lock(&boot_lock);
	if (atomic_load(&shim.state) == SHIM_UP) {
		pthread_mutex_unlock(&boot_lock);
		return true;
	}
	atomic_store(&shim.state, SHIM_BOOTING);
	shim_self.busy++;
	m = boot_machine();
	if (m) {
		machine_up(m);
		/* kmm_boot attached this thread */
		shim_attached = true;
		shim_threads_init();
		shim_stats_init();
	}
	shim_self.busy--;
	atomic_store_explicit(&shim.state, m ? SHIM_UP : SHIM_DOWN, memory_order_release);
	pthread_mutex_unlock(&boot_lock);
	if (!m) {
		shim_write_err("libkmm-malloc: cannot boot a machine for the heap; aborting\n");
		abort();
	}
	errno = saved;
	return true;
}

/* fork(): no boot may be half done in the child */
void shim_boot_lock(void)
{
	pthread_mutex_lock(&boot_lock);
}

void shim_boot_unlock(void)
{
	pthread_mutex_unlock(&boot_lock);
}

void shim_boot_reset_lock(void)
{
	pthread_mutex_init(&boot_lock, NULL);
}
