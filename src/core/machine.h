/* SPDX-License-Identifier: MIT */
/*
 * struct kmm_machine: everything one simulated machine owns. The core parts
 * are defined here; the platform keeps its own state behind ->plat.
 * Nothing in the core is global: every function reaches its state from here.
 */
#ifndef KMM_CORE_MACHINE_H
#define KMM_CORE_MACHINE_H

#include <kmm/kmm.h>
#include <kmm/memblock.h>
#include <kmm/resource.h>

#include "mmzone.h"
#include "printk.h"
#include "spinlock.h"

enum kmm_zone_type {
	KMM_ZONE_DMA,
	KMM_ZONE_DMA32,
	KMM_ZONE_NORMAL,
	KMM_ZONE_HIGHMEM,
	KMM_ZONE_MOVABLE,
	KMM_MAX_NR_ZONES
};

/* Firmware memory map entry types, as e820's. */
enum kmm_fw_type {
	KMM_FW_RAM = 1,		/* usable */
	KMM_FW_RESERVED = 2,
	KMM_FW_ROM = 3,		/* System ROM: reported as Reserved with a child */
};

#define KMM_FW_MAX 32

struct kmm_fw_entry {
	kmm_phys_addr_t start, end;	/* [start, end) */
	enum kmm_fw_type type;
};

struct kmm_fw_map {
	int nr;
	struct kmm_fw_entry e[KMM_FW_MAX];
};

/* A range of the kernel image, [start, end). */
struct kmm_image_range {
	kmm_phys_addr_t start, end;
};

/* fail_page_alloc and friends (struct fault_attr) */
struct kmm_fault_attr {
	unsigned long probability;	/* percent, 0..100 */
	unsigned long interval;		/* fail every interval-th eligible call */
	long times;			/* failures left; -1: no limit */
	long space;			/* bytes to let pass before failing */
	unsigned long verbose;		/* 0: quiet, 1: one line, 2: line and stack */
	bool ignore_gfp_reclaim;	/* ignore-gfp-wait: spare allocations that may sleep */
	bool ignore_gfp_highmem;
	bool cache_filter;		/* failslab: only caches created with SLAB_FAILSLAB */
	unsigned int min_order;
	unsigned long count;		/* eligible calls seen */
	uint64_t rnd;			/* PRNG state */
};

/* The machine description a profile and the command line produce. */
struct kmm_machine_desc {
	const char *profile;		/* profile name */
	const char *arch;		/* "x86_64", "i386", "arm" */
	struct kmm_fw_map fw;		/* firmware map after mem= and memmap= */
	struct kmm_image_range code, rodata, data, bss;
	kmm_phys_addr_t image_reserve_end;	/* reserved: [code.start, image_reserve_end) */
	struct kmm_image_range early_reserve[4];	/* firmware/boot areas reserved */
	int nr_early_reserve;
	kmm_phys_addr_t zone_limit[KMM_MAX_NR_ZONES];	/* exclusive top of each zone; 0 = absent */
	kmm_phys_addr_t lowmem_limit;	/* above: highmem (no direct map) */
	unsigned int max_order;		/* MAX_PAGE_ORDER */
	unsigned int nr_cpus;
	unsigned long vmalloc_size;	/* bytes */
	unsigned int phys_digits;	/* hex digits of %pa: 16, or 8 on 32-bit */
	int console_loglevel;
	bool memblock_debug;
	bool stop_at_memblock;		/* kmm.stop_at=memblock: no page allocator */
	/*
	 * kmm.ram=anon: RAM is private anonymous host memory, mapped once (the
	 * direct map), so a fork()ed child gets a copy of it; nothing can map
	 * its frames a second time: no vmalloc, vmap or highmem.
	 */
	bool ram_anon;
	bool deferred_init;		/* kmm.deferred_init=1: struct pages initialised on demand */
	bool no_reporting_thread;	/* kmm.page_reporting_thread=0: passes only when asked */
	int min_free_kbytes;		/* min_free_kbytes=, or -1 */
	int page_reporting_order;	/* page_reporting.page_reporting_order=, or -1 */
	struct kmm_fault_attr fail_page_alloc;	/* fail_page_alloc= */
	struct kmm_fault_attr failslab;		/* failslab= */
	bool init_on_alloc, init_on_free;	/* init_on_alloc=1, init_on_free=1 */
	bool kmemleak;				/* kmemleak=on */
	bool slab_freelist_random, slab_freelist_hardened;	/* kmm.slab_freelist_*=1 */
	char slub_debug[128];		/* slub_debug= (or slab_debug=) as given */
	bool have_slub_debug;
	bool slab_nomerge;		/* slab_nomerge */
	int slab_min_order, slab_max_order, slab_min_objects;	/* or -1 */
};

/* pg_data_t of the single node, allocated from memblock at boot. */
struct kmm_pglist_data {
	struct kmm_zone node_zones[KMM_MAX_NR_ZONES];
	/* the zonelist: populated zones, highest first, NULL-terminated */
	struct kmm_zone *zonelist[KMM_MAX_NR_ZONES + 1];
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	unsigned long totalreserve_pages;
	int node_id;
};

struct kmm_plat;
struct kmm_slab_state;
struct kmm_kmemleak;
struct kmm_vmalloc;
struct kmm_highmem;

struct kmm_machine {
	struct kmm_layout layout;	/* first: conversions read it */
	unsigned int slab_hooks;	/* KMM_SLAB_HOOK_*: read by the slab fast paths */
	struct kmm_machine_desc desc;
	char cmdline[1024];

	kmm_spinlock_t memblock_lock;	/* serialises the memblock API */
	struct kmm_memblock memblock;
	struct kmm_memblock_ctx mbc;
	struct kmm_memblock_region mb_init_memory[KMM_INIT_MEMBLOCK_REGIONS];
	struct kmm_memblock_region mb_init_reserved[KMM_INIT_MEMBLOCK_RESERVED_REGIONS];

	struct kmm_log log;

	kmm_spinlock_t resource_lock;
	struct kmm_resource iomem_resource;
	struct kmm_resource *fw_resources;	/* one per firmware entry, from memblock */
	struct kmm_resource rom_resource;
	struct kmm_resource code_resource, rodata_resource, data_resource, bss_resource;

	struct kmm_pglist_data *pgdat;		/* from memblock */
	kmm_phys_addr_t mem_map_phys;		/* where mem_map was allocated */
	kmm_phys_addr_t mem_map_bytes;

	/* the page allocator (page_alloc.c and friends) */
	bool buddy_ready;			/* memblock_free_all() has run */
	bool deferred_init;			/* kmm.deferred_init=1 (deferred_init.c) */
	bool deferred_pages;			/* [atomic] a zone still has deferred pages */
	kmm_spinlock_t resize_lock;		/* pgdat_resize_lock: zones growing */
	bool memblock_warned;			/* memblock_alloc after the handover, once */
	bool order_warned;			/* WARN_ON_ONCE of an order beyond the limit */
	unsigned int pageblock_order;
	/* the fast path's lookups, set at boot: gfp_zone() of the zone bits, -1 if bad */
	int8_t gfp_zone_table[16];
	/* the first zone of the zonelist a request of highest zone i may use */
	struct kmm_zone *preferred_zone[KMM_MAX_NR_ZONES];
	unsigned long totalram_pages;		/* [atomic] managed pages of all zones */
	unsigned long totalhigh_pages;		/* [atomic] */
	int min_free_kbytes, user_min_free_kbytes;
	int watermark_scale_factor, watermark_boost_factor;
	int lowmem_reserve_ratio[KMM_MAX_NR_ZONES];
	int percpu_pagelist_high_fraction;
	kmm_spinlock_t sysctl_lock;		/* watermark and pcp recomputation */
	unsigned long (*vm_events)[KMM_NR_VM_EVENT_ITEMS];	/* [cpu] per CPU, from memblock */
	uint64_t warn_alloc_next_ns;		/* warn_alloc ratelimit: one per 10 s */
	unsigned long warn_alloc_suppressed;
	unsigned long bad_page_shown, bad_page_unshown;
	uint64_t bad_page_resume_ns;
	struct kmm_fault_attr fail_page_alloc;
	struct kmm_fault_attr failslab;
	kmm_spinlock_t fault_lock;
	bool page_reporting_enabled;
	kmm_spinlock_t reporting_lock;		/* one reporting pass at a time */
	unsigned long page_reporting_order;

	struct kmm_slab_state *slab;		/* the slab allocator (slab.c), or NULL */
	struct kmm_kmemleak *kmemleak;		/* kmemleak=on (kmemleak.c), or NULL */
	struct kmm_vmalloc *vmalloc;		/* the vmalloc area (vmalloc.c), or NULL */
	struct kmm_highmem *highmem;		/* PKMAP and kmap_local slots (highmem.c), or NULL */

	struct kmm_plat *plat;			/* the platform's own state */
};

/* Runs the boot sequence over m->desc once the platform has mapped memory. 0 or -errno. */
int kmm_core_boot(struct kmm_machine *m);

void kmm_core_printk(struct kmm_machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

extern const char *const kmm_zone_names[KMM_MAX_NR_ZONES];

#endif /* KMM_CORE_MACHINE_H */
