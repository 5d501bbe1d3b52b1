/* SPDX-License-Identifier: MIT */
/*
 * The hosted platform: what a machine owns in the host process besides the
 * core's state (src/core/machine.h), and the functions shared by src/host.
 */
#ifndef KMM_HOST_H
#define KMM_HOST_H

#include <pthread.h>
#include <stdatomic.h>

#include "cpu_inline.h"
#include "../core/lib.h"
#include "../core/machine.h"

#define KMM_NR_CPUS_MAX 64
#define KMM_KM_MAX_IDX 16		/* kmap_local slots per CPU */
#define KMM_VMALLOC_OFFSET (8UL << 20)	/* gap between lowmem and vmalloc */
#define KMM_LOG_BUF_LEN_DEFAULT (128 * 1024)

struct kmm_task;

/* One CPU: held by at most one task at a time (see task.c). */
struct kmm_cpu {
	_Atomic(struct kmm_task *) owner;
	atomic_int homed;		/* tasks whose home CPU this is */
};

struct kmm_plat {
	int memfd;			/* physical memory, offset = phys - phys_offset; -1: kmm.ram=anon */
	uint64_t memfd_size;		/* bytes of physical memory (the memfd's size) */
	uint64_t low_bytes;		/* of which in the direct map */
	void *window;			/* the reserved kernel virtual window */
	size_t window_size;
	uint64_t boot_ns;		/* CLOCK_MONOTONIC at boot */
	char *log_buf;

	struct kmm_cpu cpu[KMM_NR_CPUS_MAX];
	unsigned int nr_cpus;
	/* tasks waiting for a free CPU sleep here */
	pthread_mutex_t cpu_wait_lock;
	pthread_cond_t cpu_wait;
	atomic_int cpu_waiters;
	atomic_int nr_tasks;
	bool sticky_ok;			/* membarrier works: tasks may keep their CPUs */
	atomic_int shared_mode;		/* more tasks than CPUs (or !sticky_ok) */
	pthread_mutex_t tasks_lock;
	pthread_mutex_t takers_lock;	/* one taker of other tasks' CPUs at a time */
	struct kmm_task *tasks;		/* every task struct, reused, freed at shutdown */
	struct kmm_task *fork_task;	/* the task between kmm_fork_prepare and parent/child */

	/* the free page reporting thread */
	pthread_t reporter;
	bool reporter_running;
	pthread_mutex_t reporter_lock;
	pthread_cond_t reporter_wake;
	bool reporter_stop;

	/* the workqueue (work.c) */
	pthread_t worker;
	bool worker_running, worker_stop;
	pthread_mutex_t work_lock;
	pthread_cond_t work_wake, work_idle;
	struct kmm_work *work_head, *work_tail;
	int work_running;
};



/* Sets the calling thread's kmm_last_error() text; returns err. */
int kmm_set_error(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kmm_clear_error(void);

/* Fills m->desc from a command line; 0, or -EINVAL with kmm_last_error() set. */
int kmm_cmdline_parse(struct kmm_machine *m, const char *cmdline);

/* The profile table (profiles.c). */
struct kmm_profile {
	const char *name, *arch, *description;
	kmm_phys_addr_t ram_base;
	uint64_t default_mem, min_mem, max_mem;
	bool pc_low_map;		/* x86's first MiB: real-mode RAM, EBDA, BIOS ROM */
	kmm_phys_addr_t pci_hole_start, pci_hole_end;
	struct kmm_image_range code, rodata, data, bss;
	kmm_phys_addr_t image_reserve_end;
	struct kmm_image_range early_reserve[2];
	int nr_early_reserve;
	kmm_phys_addr_t dma_limit, dma32_limit;
	bool highmem;			/* 3G/1G split: lowmem ends at 1G - vmalloc */
	unsigned int max_order;
	unsigned int nr_cpus;
	uint64_t vmalloc_default;
	unsigned int phys_digits;
};

extern const struct kmm_profile kmm_profiles[];
extern const unsigned int kmm_nr_profiles;
const struct kmm_profile *kmm_profile_find(const char *name);

/* Reserves the window, creates the memfd and maps lowmem (machine.c). */
int kmm_host_map_memory(struct kmm_machine *m);
void kmm_host_unmap_memory(struct kmm_machine *m);

/* work.c: the machine's workqueue */
void kmm_host_work_init(struct kmm_machine *m);
void kmm_host_work_stop(struct kmm_machine *m);

/* task.c */
void kmm_cpus_init(struct kmm_machine *m);
void kmm_cpus_destroy(struct kmm_machine *m);
/* fork.c's helpers: every CPU to the calling task (takers_lock held), and back */
void kmm_host_cpus_take_all(struct kmm_machine *m);
void kmm_host_cpus_release_all(struct kmm_machine *m);
/* In the child: the calling task is the machine's only task. */
void kmm_host_tasks_fork_child(struct kmm_machine *m);

#endif /* KMM_HOST_H */
