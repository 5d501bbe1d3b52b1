/* SPDX-License-Identifier: MIT */
/*
 * What vmap_area.c (the virtual ranges), vmalloc.c (the API) and the
 * walker share: mm/vmalloc.c's vmap_area and vm_struct.
 */
#ifndef KMM_CORE_VMALLOC_H
#define KMM_CORE_VMALLOC_H

#include <kmm/vmalloc.h>

#include "internal.h"

/*
 * A virtual range [va_start, va_end) of the vmalloc area, in one of three
 * trees: free (augmented with the largest free size below each node),
 * busy (an area in use, vm set) or purge (freed, still mapped, waiting for
 * the lazy purge). The trees are AVL trees ordered by va_start.
 */
struct kmm_vmap_area {
	uintptr_t va_start, va_end;
	struct kmm_vmap_area *left, *right;
	unsigned long subtree_max_size;	/* free tree: max va_size in this subtree */
	int height;
	struct kmm_vm_struct *vm;	/* busy: its vm_struct */
	struct kmm_vmap_area *next;	/* on a list being purged */
	unsigned long flags;		/* the tree it is in: KMM_VA_* */
};

enum { KMM_VA_FREE = 1, KMM_VA_BUSY, KMM_VA_LAZY };

struct kmm_vm_struct {
	uintptr_t addr;
	unsigned long size;		/* with the guard page, unless VM_NO_GUARD */
	unsigned long flags;
	struct kmm_page **pages;	/* as the kernel's: vmalloc, or vmap with VM_MAP_PUT_PAGES */
	unsigned int nr_pages;
	struct kmm_page **map;		/* what each page of the area maps (its page table) */
	unsigned int nr_map;
	unsigned int nr_maps;		/* host mappings the area took */
	kmm_phys_addr_t phys_addr;
	unsigned long caller;
	struct kmm_vmap_area *va;
	struct kmm_vm_struct *next_deferred;	/* vfree_atomic's list */
};

struct kmm_vmalloc {
	kmm_spinlock_t lock;		/* the three trees and the counters below */
	struct kmm_vmap_area *free_root, *busy_root, *purge_root;
	unsigned long nr_busy;
	unsigned long lazy_nr;		/* pages in the purge tree */
	unsigned long lazy_max;		/* lazy_max_pages() */
	unsigned long nr_purges;
	kmm_spinlock_t purge_lock;	/* one purge at a time (vmap_purge_lock) */
	struct kmm_kmem_cache *va_cache;	/* "vmap_area" */
	unsigned long nr_vmalloc_pages;	/* [atomic] */
	unsigned long nr_host_maps;	/* [atomic] */
	/* vfree_atomic: areas to free from the workqueue */
	kmm_spinlock_t deferred_lock;
	struct kmm_vm_struct *deferred;
	struct kmm_work deferred_work;
};

/*
 * vmalloc's spinlocks, taken as the kernel's spin_lock() disables
 * preemption: the task holds its CPU for the whole section. A task inside
 * one may call the slab or page allocator, which enter the kernel on a CPU;
 * if it could wait for a free CPU there while holding the lock, a task
 * spinning on the lock from atomic context on the only CPU would never let
 * it have one.
 */
static inline void vm_lock(struct kmm_machine *m, kmm_spinlock_t *l)
{
	kmm_plat_cpu_get(m);
	kmm_spin_lock(l);
}

static inline void vm_unlock(struct kmm_machine *m, kmm_spinlock_t *l)
{
	kmm_spin_unlock(l);
	kmm_plat_cpu_put(m);
}

static inline unsigned long kmm_va_size(const struct kmm_vmap_area *va)
{
	return va->va_end - va->va_start;
}

/* ---- vmalloc.c ---- */

int kmm_vmalloc_init(struct kmm_machine *m);

/* ---- vmap_area.c ---- */

int kmm_vmap_init(struct kmm_machine *m);
/*
 * A free range of size bytes aligned to align inside [vstart, vend), moved
 * to the busy tree (purging lazily freed ranges and retrying once when
 * none is free), with area (if any) attached: its addr, size and va set
 * under the lock. NULL when the space is exhausted.
 */
struct kmm_vmap_area *kmm_alloc_vmap_area(struct kmm_machine *m, unsigned long size,
					  unsigned long align, uintptr_t vstart, uintptr_t vend,
					  kmm_gfp_t gfp, struct kmm_vm_struct *area);
/* The busy area containing addr, or NULL (vm->lock held). */
struct kmm_vmap_area *kmm_find_vmap_area_locked(struct kmm_vmalloc *vm, uintptr_t addr);
/* Takes the busy area starting at addr out of the busy tree; NULL if none. */
struct kmm_vmap_area *kmm_unlink_vmap_area(struct kmm_machine *m, uintptr_t addr);
/*
 * Frees a range taken out of the busy tree: it stays mapped (as a stale
 * TLB entry would) until the next purge unmaps it in a batch. True when
 * more than lazy_max_pages() wait: the caller should see a purge run.
 */
bool kmm_free_vmap_area_lazy(struct kmm_machine *m, struct kmm_vmap_area *va);
/*
 * Frees the range of an area that failed before it was mapped: out of the
 * busy tree and straight back to the free space.
 */
void kmm_free_vmap_area_now(struct kmm_machine *m, struct kmm_vmap_area *va);
void kmm_purge_vmap_areas(struct kmm_machine *m);

/* In-order walks over a tree (lock held by the caller). */
int kmm_vmap_tree_walk(struct kmm_vmap_area *root,
		       int (*fn)(void *arg, struct kmm_vmap_area *va), void *arg);

#endif /* KMM_CORE_VMALLOC_H */
