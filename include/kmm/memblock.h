/* SPDX-License-Identifier: MIT */
/*
 * memblock: the early boot allocator, with Linux 6.12's data layout and
 * semantics (docs/memblock.md).
 *
 * Two levels:
 *  - the freestanding core works on a struct kmm_memblock that its caller
 *    owns, through a struct kmm_memblock_ctx that supplies the physical to
 *    virtual translation and the static initial arrays (kmm_memblock_core_*);
 *  - a booted machine owns one, and kmm_memblock_*(m, ...) act on it with the
 *    kernel's names and arguments.
 *
 * The structures have the kernel's field names and order, and the core keeps
 * no state derived from them: code that reads or writes memblock.memory.cnt
 * or regions[i].base, as kernel code and Linux's own memblock tests do, works.
 */
#ifndef KMM_MEMBLOCK_H
#define KMM_MEMBLOCK_H

#include <kmm/types.h>

/* The public API: exported from libkmm.so (the library builds with -fvisibility=hidden). */
#pragma GCC visibility push(default)

enum kmm_memblock_flags {
	KMM_MEMBLOCK_NONE = 0x0,	/* no special request */
	KMM_MEMBLOCK_HOTPLUG = 0x1,	/* hotpluggable region */
	KMM_MEMBLOCK_MIRROR = 0x2,	/* mirrored region */
	KMM_MEMBLOCK_NOMAP = 0x4,	/* not in the direct map */
	KMM_MEMBLOCK_DRIVER_MANAGED = 0x8,	/* always detected via a driver */
	KMM_MEMBLOCK_RSRV_NOINIT = 0x10,	/* struct pages not initialised */
};

/* One range [base, base + size); nid is padding on a !CONFIG_NUMA layout. */
struct kmm_memblock_region {
	kmm_phys_addr_t base;	/* bytes */
	kmm_phys_addr_t size;	/* bytes */
	enum kmm_memblock_flags flags;
	int nid;		/* node; >= max_numnodes means "none" */
};

/* A sorted array of non-overlapping regions; neighbours that could merge are merged. */
struct kmm_memblock_type {
	unsigned long cnt;		/* regions in use */
	unsigned long max;		/* capacity of regions[] */
	kmm_phys_addr_t total_size;	/* sum of region sizes, bytes */
	struct kmm_memblock_region *regions;
	char *name;			/* "memory" or "reserved" */
};

struct kmm_memblock {
	bool bottom_up;			/* allocation direction */
	kmm_phys_addr_t current_limit;	/* highest address + 1 an allocation may use */
	struct kmm_memblock_type memory;
	struct kmm_memblock_type reserved;
};

#define KMM_INIT_MEMBLOCK_REGIONS 128
#define KMM_INIT_MEMBLOCK_RESERVED_REGIONS KMM_INIT_MEMBLOCK_REGIONS
#define KMM_MEMBLOCK_ALLOC_ANYWHERE (~(kmm_phys_addr_t)0)
#define KMM_MEMBLOCK_ALLOC_ACCESSIBLE 0
#define KMM_MEMBLOCK_ALLOC_NOLEAKTRACE 1
#define KMM_MEMBLOCK_LOW_LIMIT 0
#define KMM_NUMA_NO_NODE (-1)

/*
 * What the core needs from the owner of a struct kmm_memblock. All hooks
 * but the translations may be NULL.
 */
struct kmm_memblock_ctx {
	struct kmm_memblock *mb;
	/* Static initial arrays: never given back when the array doubles. */
	struct kmm_memblock_region *init_memory, *init_reserved;
	void *(*phys_to_virt)(void *arg, kmm_phys_addr_t pa);
	kmm_phys_addr_t (*virt_to_phys)(void *arg, const void *va);
	/* movable_node: hotpluggable memory is not allocated from. */
	bool (*movable_node)(void *arg);
	/* One formatted line at a printk level (0 emerg .. 7 debug). */
	void (*log)(void *arg, int level, const char *line);
	void *arg;
	int max_numnodes;	/* MAX_NUMNODES: nids at or above it mean "no node" */
	bool numa;		/* false: every region reads as node 0, as !CONFIG_NUMA */
	bool can_resize;	/* memblock_allow_resize() was called */
	bool debug;		/* memblock=debug: log every call */
};

/* Sets *mb to the kernel's initial state over the ctx's static arrays. */
void kmm_memblock_core_init(struct kmm_memblock_ctx *c);

int kmm_memblock_core_add_node(struct kmm_memblock_ctx *c, kmm_phys_addr_t base,
			       kmm_phys_addr_t size, int nid,
			       enum kmm_memblock_flags flags);
int kmm_memblock_core_add(struct kmm_memblock_ctx *c, kmm_phys_addr_t base,
			  kmm_phys_addr_t size);
int kmm_memblock_core_remove(struct kmm_memblock_ctx *c, kmm_phys_addr_t base,
			     kmm_phys_addr_t size);
int kmm_memblock_core_reserve(struct kmm_memblock_ctx *c, kmm_phys_addr_t base,
			      kmm_phys_addr_t size);
int kmm_memblock_core_phys_free(struct kmm_memblock_ctx *c, kmm_phys_addr_t base,
				kmm_phys_addr_t size);
void kmm_memblock_core_free(struct kmm_memblock_ctx *c, void *ptr, size_t size);
int kmm_memblock_core_mark(struct kmm_memblock_ctx *c, kmm_phys_addr_t base,
			   kmm_phys_addr_t size, bool set,
			   enum kmm_memblock_flags flag);
void kmm_memblock_core_trim_memory(struct kmm_memblock_ctx *c, kmm_phys_addr_t align);
bool kmm_memblock_core_overlaps_region(struct kmm_memblock_type *type,
				       kmm_phys_addr_t base, kmm_phys_addr_t size);
bool kmm_memblock_core_is_reserved(struct kmm_memblock_ctx *c, kmm_phys_addr_t addr);
bool kmm_memblock_core_is_memory(struct kmm_memblock_ctx *c, kmm_phys_addr_t addr);
kmm_phys_addr_t kmm_memblock_core_start_of_DRAM(struct kmm_memblock_ctx *c);
kmm_phys_addr_t kmm_memblock_core_end_of_DRAM(struct kmm_memblock_ctx *c);
kmm_phys_addr_t kmm_memblock_core_phys_mem_size(struct kmm_memblock_ctx *c);

/* memblock_alloc_range_nid(): the physical allocator under every alloc variant. */
kmm_phys_addr_t kmm_memblock_core_alloc_range_nid(struct kmm_memblock_ctx *c,
		kmm_phys_addr_t size, kmm_phys_addr_t align, kmm_phys_addr_t start,
		kmm_phys_addr_t end, int nid, bool exact_nid);
/* memblock_alloc_try_nid() and friends: virtual result, zeroed unless raw. */
void *kmm_memblock_core_alloc_nid(struct kmm_memblock_ctx *c, kmm_phys_addr_t size,
				  kmm_phys_addr_t align, kmm_phys_addr_t min_addr,
				  kmm_phys_addr_t max_addr, int nid, bool exact_nid,
				  bool raw);

/*
 * Iteration over free ranges (memory minus reserved), as for_each_free_mem_range:
 * start with *idx = 0 (forward) or ~0ULL (reverse); *idx == ~0ULL ends it.
 */
void kmm_memblock_core_next_free(struct kmm_memblock_ctx *c, uint64_t *idx, int nid,
				 enum kmm_memblock_flags flags, bool reverse,
				 kmm_phys_addr_t *start, kmm_phys_addr_t *end, int *out_nid);

/* Integrity walker: number of violated invariants (sorted, disjoint, merged, totals). */
int kmm_memblock_core_check(const struct kmm_memblock_ctx *c);

/* ---- The booted machine's memblock, with the kernel's names. ---- */

/* The machine's struct memblock, for code that reads or writes its fields. */
struct kmm_memblock *kmm_memblock(struct kmm_machine *m);

int kmm_memblock_add(struct kmm_machine *m, kmm_phys_addr_t base, kmm_phys_addr_t size);
int kmm_memblock_add_node(struct kmm_machine *m, kmm_phys_addr_t base,
			  kmm_phys_addr_t size, int nid, enum kmm_memblock_flags flags);
int kmm_memblock_remove(struct kmm_machine *m, kmm_phys_addr_t base, kmm_phys_addr_t size);
int kmm_memblock_reserve(struct kmm_machine *m, kmm_phys_addr_t base, kmm_phys_addr_t size);
int kmm_memblock_phys_free(struct kmm_machine *m, kmm_phys_addr_t base, kmm_phys_addr_t size);
void kmm_memblock_free(struct kmm_machine *m, void *ptr, size_t size);
void kmm_memblock_trim_memory(struct kmm_machine *m, kmm_phys_addr_t align);
bool kmm_memblock_overlaps_region(struct kmm_memblock_type *type, kmm_phys_addr_t base,
				  kmm_phys_addr_t size);
bool kmm_memblock_is_reserved(struct kmm_machine *m, kmm_phys_addr_t addr);
bool kmm_memblock_is_memory(struct kmm_machine *m, kmm_phys_addr_t addr);
kmm_phys_addr_t kmm_memblock_start_of_DRAM(struct kmm_machine *m);
kmm_phys_addr_t kmm_memblock_end_of_DRAM(struct kmm_machine *m);
kmm_phys_addr_t kmm_memblock_phys_mem_size(struct kmm_machine *m);
void kmm_memblock_allow_resize(struct kmm_machine *m);
void kmm_memblock_set_bottom_up(struct kmm_machine *m, bool enable);
bool kmm_memblock_bottom_up(struct kmm_machine *m);
void kmm_memblock_set_current_limit(struct kmm_machine *m, kmm_phys_addr_t limit);
kmm_phys_addr_t kmm_memblock_get_current_limit(struct kmm_machine *m);
int kmm_memblock_check(struct kmm_machine *m);

/* Physical allocations: 0 on failure, memory not zeroed. */
kmm_phys_addr_t kmm_memblock_phys_alloc_range(struct kmm_machine *m, kmm_phys_addr_t size,
					      kmm_phys_addr_t align, kmm_phys_addr_t start,
					      kmm_phys_addr_t end);
kmm_phys_addr_t kmm_memblock_phys_alloc(struct kmm_machine *m, kmm_phys_addr_t size,
					kmm_phys_addr_t align);
kmm_phys_addr_t kmm_memblock_phys_alloc_try_nid(struct kmm_machine *m, kmm_phys_addr_t size,
						kmm_phys_addr_t align, int nid);

/* Virtual allocations: NULL and the kernel's message on failure. */
void *kmm_memblock_alloc_try_nid(struct kmm_machine *m, kmm_phys_addr_t size,
				 kmm_phys_addr_t align, kmm_phys_addr_t min_addr,
				 kmm_phys_addr_t max_addr, int nid);
void *kmm_memblock_alloc_try_nid_raw(struct kmm_machine *m, kmm_phys_addr_t size,
				     kmm_phys_addr_t align, kmm_phys_addr_t min_addr,
				     kmm_phys_addr_t max_addr, int nid);
void *kmm_memblock_alloc_exact_nid_raw(struct kmm_machine *m, kmm_phys_addr_t size,
				       kmm_phys_addr_t align, kmm_phys_addr_t min_addr,
				       kmm_phys_addr_t max_addr, int nid);
void *kmm_memblock_alloc(struct kmm_machine *m, kmm_phys_addr_t size, kmm_phys_addr_t align);
void *kmm_memblock_alloc_raw(struct kmm_machine *m, kmm_phys_addr_t size,
			     kmm_phys_addr_t align);
void *kmm_memblock_alloc_from(struct kmm_machine *m, kmm_phys_addr_t size,
			      kmm_phys_addr_t align, kmm_phys_addr_t min_addr);
void *kmm_memblock_alloc_low(struct kmm_machine *m, kmm_phys_addr_t size,
			     kmm_phys_addr_t align);
void *kmm_memblock_alloc_node(struct kmm_machine *m, kmm_phys_addr_t size,
			      kmm_phys_addr_t align, int nid);

/* bootmem, as the seed articles call it: thin wrappers over memblock_alloc. */
void *kmm_alloc_bootmem(struct kmm_machine *m, unsigned long size);
void *kmm_alloc_bootmem_pages(struct kmm_machine *m, unsigned long size);
void *kmm_alloc_bootmem_low_pages(struct kmm_machine *m, unsigned long size);

#pragma GCC visibility pop

#endif /* KMM_MEMBLOCK_H */
