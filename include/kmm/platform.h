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

/* A word tasks wait on (kmm_plat_wait): 32 bits, as a futex. */
typedef _Atomic uint32_t kmm_atomic_u32;


/* Monotonic nanoseconds since the machine booted (printk timestamps). */
uint64_t kmm_plat_clock_ns(struct kmm_machine *m);

/*
 * Writes one formatted console line (already filtered by console_loglevel)
 * to the machine's console; the hosted platform writes it to stderr.
 */
void kmm_plat_console_write(struct kmm_machine *m, const char *s, size_t len);

/* Called while spinning on a contended core spinlock: pause or yield. */
void kmm_plat_cpu_relax(void);

/*
 * Enters the kernel: the calling task takes a CPU (or keeps the one it
 * holds; calls nest) and the CPU's number is returned. Per-CPU data of that
 * CPU is the caller's until the matching kmm_plat_cpu_put(). A thread that
 * is not attached to any machine is attached to m; -1 if it is attached to
 * another machine.
 */
#ifdef KMM_PLATFORM_INLINE_CPU
/* a platform may supply both as inline fast paths (the hosted one does) */
#include KMM_PLATFORM_INLINE_CPU
#else
int kmm_plat_cpu_get(struct kmm_machine *m);
void kmm_plat_cpu_put(struct kmm_machine *m);

/*
 * A fast section (the hosted platform's cpu_inline.h says what it may
 * hold): enter returns the CPU, or -1 for the caller's slow path; exit
 * leaves it. Without an inline platform it is a plain get and put.
 */
typedef int kmm_plat_fast_t;

static inline int kmm_plat_cpu_fast_enter(struct kmm_machine *m, kmm_plat_fast_t *tok)
{
	*tok = 0;
	return kmm_plat_cpu_get(m);
}

static inline void kmm_plat_cpu_fast_exit(struct kmm_machine *m, kmm_plat_fast_t tok)
{
	(void)tok;
	kmm_plat_cpu_put(m);
}
#endif

/* The CPU the calling task holds, or last held (smp_processor_id()); 0 if none. */
int kmm_plat_cpu_id(struct kmm_machine *m);

/* True when the calling task may not sleep (preempt_count raised). */
bool kmm_plat_in_atomic(struct kmm_machine *m);

/* preempt_disable()/preempt_enable() of the calling task (kmap_atomic). */
void kmm_plat_preempt_disable(struct kmm_machine *m);
void kmm_plat_preempt_enable(struct kmm_machine *m);

/*
 * pagefault_disable()/pagefault_enable(): per task, nesting. While disabled,
 * user copies fail instead of faulting pages in (kmap_atomic).
 */
void kmm_plat_pagefault_disable(struct kmm_machine *m);
void kmm_plat_pagefault_enable(struct kmm_machine *m);
bool kmm_plat_pagefault_disabled(struct kmm_machine *m);

/*
 * Runs fn once for every CPU, holding that CPU while it runs (as work queued
 * on each CPU in Linux): drain_all_pages(). May sleep; a CPU the caller
 * holds is released meanwhile and taken again afterwards. The caller must
 * hold no core spinlock.
 */
void kmm_plat_on_each_cpu(struct kmm_machine *m,
			  void (*fn)(struct kmm_machine *m, int cpu, void *arg), void *arg);

/* Sleeps ns nanoseconds; the CPU the task holds is free for others meanwhile. */
void kmm_plat_sleep(struct kmm_machine *m, uint64_t ns);

/*
 * Names a code address as the kernel's %pS does ("func+0x1c/0x80"), else in
 * hex, into buf (always terminated).
 */
void kmm_plat_symbol(unsigned long ip, char *buf, size_t len);

/* The calling task's name and pid, for reports ("in process %s"). */
const char *kmm_plat_task_comm(struct kmm_machine *m);
int kmm_plat_task_pid(struct kmm_machine *m);

/*
 * Gives the frames [phys, phys + len) back to the host (free page reporting):
 * they read as zero afterwards and cost nothing until written. 0 or -errno.
 * Called without core spinlocks held; may sleep.
 */
int kmm_plat_discard(struct kmm_machine *m, kmm_phys_addr_t phys, uint64_t len);

/* ---- kernel page tables: vmalloc, PKMAP and kmap_local mappings ---- */

/*
 * Maps the frames [phys, phys + len) at the kernel virtual address va (page
 * aligned, inside the machine's vmalloc, PKMAP or fixmap window), replacing
 * what was mapped there: the two views then show the same bytes. 0, or
 * -errno when the host refuses (-ENOMEM: out of mappings).
 */
int kmm_plat_map(struct kmm_machine *m, uintptr_t va, kmm_phys_addr_t phys, size_t len);

/* Unmaps [va, va + len): an access there faults again. */
void kmm_plat_unmap(struct kmm_machine *m, uintptr_t va, size_t len);

/*
 * Reports what [start, end) of the window maps, in address order: fn gets
 * each mapped run with the physical address it shows. For integrity walkers;
 * slow. 0, or -errno when the platform cannot tell.
 */
int kmm_plat_walk_mappings(struct kmm_machine *m, uintptr_t start, uintptr_t end,
			   void (*fn)(void *arg, uintptr_t va, size_t len, kmm_phys_addr_t phys),
			   void *arg);

/* ---- waiting (wait queues) ---- */

/*
 * Sleeps while *word == val, as a futex wait: may return early, so the
 * caller loops on its condition. The CPU the task holds is free for others
 * meanwhile. The caller holds no core spinlock.
 */
void kmm_plat_wait(struct kmm_machine *m, kmm_atomic_u32 *word, uint32_t val);
/* Wakes every task waiting on word (after the caller changed it). */
void kmm_plat_wake(struct kmm_machine *m, kmm_atomic_u32 *word);

/* ---- deferred work (a workqueue) ---- */

struct kmm_work {
	void (*fn)(struct kmm_machine *m, struct kmm_work *w);
	struct kmm_work *next;		/* the platform's */
	int queued;			/* the platform's */
};

/*
 * Queues w to run once, later, in task context on the machine's worker
 * (schedule_work); a work already queued is not queued twice. Callable in
 * atomic context; the platform may start its worker on first use.
 */
void kmm_plat_queue_work(struct kmm_machine *m, struct kmm_work *w);
/* Waits until every work queued so far has run (flush_workqueue). May sleep. */
void kmm_plat_flush_work(struct kmm_machine *m);

#endif /* KMM_PLATFORM_H */
