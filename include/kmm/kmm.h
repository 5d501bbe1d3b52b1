/* SPDX-License-Identifier: MIT */
/*
 * kmm: the Linux kernel's memory-allocation subsystem as a library.
 *
 * A machine is booted from a Linux-style kernel command line and owns its
 * physical memory (a memfd), its kernel virtual window, its CPUs and its
 * kernel log. A thread attached to a machine is one of its tasks; the
 * Linux-named facade (include/kmm-linux) acts on the calling thread's machine.
 * docs/machine.md describes the model.
 */
#ifndef KMM_KMM_H
#define KMM_KMM_H

#include <kmm/types.h>
#include <kmm/memblock.h>
#include <kmm/page.h>
#include <kmm/gfp.h>
#include <kmm/page_alloc.h>
#include <kmm/slab.h>
#include <kmm/highmem.h>
#include <kmm/vmalloc.h>

/* The public API: exported from libkmm.so (the library builds with -fvisibility=hidden). */
#pragma GCC visibility push(default)

#define KMM_VERSION_MAJOR 0
#define KMM_VERSION_MINOR 1
#define KMM_VERSION_PATCH 0
#define KMM_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Machines and tasks ---- */

/*
 * Boots a machine from a kernel command line ("profile=i386-highmem mem=1G
 * nr_cpus=2") and attaches the calling thread to it. NULL on failure, with
 * the reason in kmm_last_error().
 */
struct kmm_machine *kmm_boot(const char *cmdline);
/* Tears the machine down; threads still attached are detached. */
void kmm_shutdown(struct kmm_machine *m);
/* Why the calling thread's last failing kmm call failed ("" if none). */
const char *kmm_last_error(void);

/* 0, -EBUSY when attached to another machine, -EINVAL for NULL. */
int kmm_thread_attach(struct kmm_machine *m);
void kmm_thread_detach(void);
/* The calling thread's machine, or NULL. */
struct kmm_machine *kmm_current_machine(void);
/*
 * sched_setaffinity() to one CPU: the calling task moves to CPU cpu (taking
 * it from a task that keeps it, once that task is out of the kernel) and,
 * while tasks do not outnumber CPUs, keeps it between calls; otherwise cpu
 * becomes the CPU it prefers. 0, -EINVAL (not attached, no such CPU) or
 * -EBUSY (inside the kernel: preemption disabled).
 */
int kmm_sched_setcpu(int cpu);

/*
 * fork() with a machine: pthread_atfork(prepare, parent, child) handlers
 * that call these (with the machine). kmm_fork_prepare() attaches the
 * calling thread, waits until no other task is inside the kernel and holds
 * everything a thread may hold on the allocation paths (docs/machine.md);
 * the parent lets go again, the child keeps the calling task as the
 * machine's only one. 0, or -EBUSY (attached to another machine, or inside
 * the kernel), -EINVAL; parent and child do nothing unless prepare succeeded.
 * With memfd RAM parent and child share the machine's memory: fork a
 * machine booted with kmm.ram=anon.
 */
int kmm_fork_prepare(struct kmm_machine *m);
void kmm_fork_parent(struct kmm_machine *m);
void kmm_fork_child(struct kmm_machine *m);

/* A profile's defaults, as `profile=NAME` boots it (docs/profiles.md). */
struct kmm_profile_info {
	const char *name, *arch, *description;
	unsigned long long default_mem, min_mem, max_mem;	/* bytes */
	unsigned long long vmalloc_default;			/* bytes */
	unsigned int max_order;		/* MAX_PAGE_ORDER: orders 0..max_order */
	unsigned int nr_cpus;
	bool highmem;
};

/* Number of profiles; *info receives the i-th. -EINVAL past the end. */
int kmm_profile_info(unsigned int i, struct kmm_profile_info *info);

/* The command line the machine booted from, and its profile's name. */
const char *kmm_cmdline(struct kmm_machine *m);
const char *kmm_profile_name(struct kmm_machine *m);

/* ---- CPUs, preemption and sleeping (per task) ---- */

unsigned int kmm_nr_cpus(struct kmm_machine *m);
/* The CPU the calling task runs on (or last ran on), in [0, nr_cpus). */
int kmm_smp_processor_id(void);
/* Holds the task on its CPU; nests. preempt_count() counts the depth. */
void kmm_preempt_disable(void);
void kmm_preempt_enable(void);
int kmm_preempt_count(void);
/* Sleeps; the CPU is free for another task meanwhile (may wake on another). */
void kmm_msleep(unsigned int msecs);
/* Enters/leaves the kernel: holds a CPU for the duration (nests). */
void kmm_cpu_enter(void);
void kmm_cpu_exit(void);

/* ---- The kernel log ---- */

/* printk with an optional KERN_<level> prefix ("\001" "3" ...). */
void kmm_printk(struct kmm_machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- /proc, /sys and /dev files ---- */

/*
 * Renders PATH into buf (NUL-terminated, truncated to len) and returns the
 * full length, as snprintf does; -ENOENT for an unknown file, -EINVAL for
 * bad arguments. kmm_proc_list() lists readable paths, one per line.
 */
long kmm_proc_read(struct kmm_machine *m, const char *path, char *buf, size_t len);
/* Writes a sysctl or control file: 0 or -errno. A trailing newline is accepted. */
int kmm_proc_write(struct kmm_machine *m, const char *path, const char *value);
long kmm_proc_list(struct kmm_machine *m, char *buf, size_t len);

/* ---- Address space (per machine runtime values) ---- */

struct kmm_layout {
	uintptr_t page_offset;		/* PAGE_OFFSET: virtual address of phys_offset */
	kmm_phys_addr_t phys_offset;	/* lowest physical address of RAM (PHYS_OFFSET) */
	uintptr_t high_memory;		/* end of the direct map (virtual) */
	uintptr_t vmalloc_start, vmalloc_end;
	uintptr_t pkmap_base;		/* LAST_PKMAP pages from here */
	unsigned int last_pkmap;
	uintptr_t fixaddr_start, fixaddr_top;	/* kmap_local/atomic slots */
	unsigned long min_low_pfn, max_low_pfn, max_pfn;	/* pfn bounds */
	struct kmm_page *mem_map;	/* struct page of pfn min_pfn */
	unsigned long mem_map_pfn;	/* ARCH_PFN_OFFSET: pfn of mem_map[0] */
	unsigned long mem_map_pages;	/* entries in mem_map */
};

const struct kmm_layout *kmm_layout(struct kmm_machine *m);

static inline kmm_phys_addr_t kmm_pa(const struct kmm_layout *l, const void *va)
{
	return (kmm_phys_addr_t)((uintptr_t)va - l->page_offset) + l->phys_offset;
}

static inline void *kmm_va(const struct kmm_layout *l, kmm_phys_addr_t pa)
{
	return (void *)(l->page_offset + (uintptr_t)(pa - l->phys_offset));
}

static inline struct kmm_page *kmm_pfn_to_page(const struct kmm_layout *l, unsigned long pfn)
{
	return l->mem_map + (pfn - l->mem_map_pfn);
}

static inline unsigned long kmm_page_to_pfn(const struct kmm_layout *l,
					    const struct kmm_page *page)
{
	return (unsigned long)(page - l->mem_map) + l->mem_map_pfn;
}

static inline struct kmm_page *kmm_virt_to_page(const struct kmm_layout *l, const void *va)
{
	return kmm_pfn_to_page(l, (unsigned long)(kmm_pa(l, va) >> KMM_PAGE_SHIFT));
}

static inline bool kmm_virt_addr_valid(const struct kmm_layout *l, const void *va)
{
	uintptr_t v = (uintptr_t)va;

	return v >= l->page_offset && v < l->high_memory;
}

/*
 * The kernel virtual address of a page: its direct-map address for lowmem;
 * for highmem the address it is kmapped at, or NULL.
 */
void *kmm_page_address(struct kmm_machine *m, const struct kmm_page *page);

#ifdef __cplusplus
}
#endif

#pragma GCC visibility pop

#endif /* KMM_KMM_H */
