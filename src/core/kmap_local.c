/* SPDX-License-Identifier: MIT */
/*
 * kmap_local_page() and kmap_atomic() (mm/highmem.c, CONFIG_KMAP_LOCAL):
 * short-lived mappings of highmem pages in per-CPU fixmap slots.
 *
 * 1. Slots. Each CPU owns KM_MAX_IDX slots of the fixmap window; slot
 *    n = cpu * KM_MAX_IDX + i is the page n + 1 pages below FIXADDR_TOP.
 *    They form a stack: local[cpu].idx slots are in use, a map pushes, and
 *    kunmap_local() pops and must name the top. As in the kernel, the push
 *    that brings the depth to KM_MAX_IDX is a BUG, so at most KM_MAX_IDX - 1
 *    mappings nest. A lowmem page needs no slot: its page_address() is the
 *    answer, and kunmap_local() of a direct-map address does nothing.
 *
 * 2. Tasks and CPUs. In Linux the stack is the task's: the scheduler
 *    unmaps and remaps its slots at every context switch, and migration is
 *    disabled meanwhile. kmm has no context switch to hook, so the task
 *    holds its CPU (kmm_plat_cpu_get) from the map to the unmap and the
 *    CPU's stack is the task's. That makes a kmm rule the kernel does not
 *    have: a task must not sleep while it holds kmap_local mappings, since
 *    a sleep gives the CPU, and its stack, to another task. kmap() refuses
 *    to sleep for such a task (highmem.c). kmap_atomic() adds
 *    preempt_disable() and pagefault_disable(), which kunmap_atomic() undoes.
 *
 * 3. Lazy remapping. A host mapping costs an mmap() (about 4 us), more
 *    than everything else here together. pfn[i] is the frame the host maps
 *    at slot i and stays after the unmap, so mapping the same frame into
 *    the same slot again needs no syscall. The price: an address kept past
 *    its kunmap_local() still reads the page, where the kernel (which
 *    clears the PTE) would fault; a stale TLB entry could do the same.
 *
 * Invariants (kmm_highmem_check): idx < KM_MAX_IDX; pfn[i] != 0 for every
 * i < idx; the host maps pfn[i] at slot i, or nothing where pfn[i] == 0.
 *
 * Context: any; never sleeps; no lock, the CPU is the lock. Failures: a full
 * stack is the kernel's BUG report and NULL; a kunmap_local() that does not
 * name the top gets the kernel's WARN_ON_ONCE and is not applied.
 */
#include "highmem.h"

#define LOCAL_FILE "include/linux/highmem-internal.h"

/* __kmap_local_pfn_prot(): returns holding the CPU, which kunmap_local gives back. */
static void *kmap_local_high(struct kmm_machine *m, struct kmm_highmem *hm, struct kmm_page *page)
{
	int cpu = kmm_plat_cpu_get(m);
	struct kmm_kmap_local *st;
	unsigned int i, n;
	uint32_t pfn;
	uintptr_t va;

	if (unlikely(cpu < 0))
		return NULL;
	st = &hm->local[cpu];
	i = st->idx;
	if (unlikely(i + 1 >= KMM_KM_MAX_IDX)) {
		kmm_plat_cpu_put(m);
		/* kmap_local_idx_push(): BUG_ON(idx >= KM_MAX_IDX) */
		kmm_bug_splat(m, "mm/highmem.c", 480, "__kmap_local_pfn_prot+0x1c4/0x1d0");
		return NULL;
	}
	n = (unsigned int)cpu * KMM_KM_MAX_IDX + i;
	va = kmm_kmap_local_addr(m, n);
	pfn = (uint32_t)kmm_pfn(m, page);
	if (st->pfn[i] != pfn) {
		if (unlikely(kmm_plat_map(m, va, (kmm_phys_addr_t)pfn << KMM_PAGE_SHIFT,
					  KMM_PAGE_SIZE))) {
			/* a failed MAP_FIXED may leave nothing there: say so */
			kmm_plat_unmap(m, va, KMM_PAGE_SIZE);
			st->pfn[i] = 0;
			kmm_plat_cpu_put(m);
			kmm_core_printk(m, KMM_KERN_ERR "kmm: kmap_local: the host refused to map pfn %#x (out of mappings?)\n",
					(unsigned int)pfn);
			return NULL;
		}
		st->pfn[i] = pfn;
	}
	st->idx = i + 1;
	return (void *)va;
}

void *kmm_kmap_local_page(struct kmm_machine *m, struct kmm_page *page)
{
	if (unlikely(!kmm_highmem_page_ok(m, page, LOCAL_FILE, 71, "kmap_local_page")))
		return NULL;
	if (!m->highmem || !kmm_PageHighMem(page))
		return kmm_page_address(m, page);
	return kmap_local_high(m, m->highmem, page);
}

/* kunmap_local_indexed(): pops addr's slot if it is the top of the caller's stack. */
static void kunmap_local_indexed(struct kmm_machine *m, struct kmm_highmem *hm, uintptr_t addr)
{
	struct kmm_kmap_local *st;
	unsigned int n;
	int cpu;

	addr &= KMM_PAGE_MASK;
	if (!kmm_is_kmap_local_addr(m, addr)) {
		/* lowmem needs nothing; below PAGE_OFFSET is no kernel address at all */
		if (addr < m->layout.page_offset) {
			if (kmm_highmem_first_warn(&hm->warned_local_addr))
				kmm_warn_splat(m, "mm/highmem.c", 617, "kunmap_local_indexed+0x3c/0x140",
					       NULL);
		}
		return;
	}
	cpu = kmm_plat_cpu_get(m);
	if (unlikely(cpu < 0))
		return;
	st = &hm->local[cpu];
	n = kmm_kmap_local_slot(m, addr);
	if (unlikely(!st->idx || n != (unsigned int)cpu * KMM_KM_MAX_IDX + st->idx - 1)) {
		kmm_plat_cpu_put(m);
		/* WARN_ON_ONCE(addr != __fix_to_virt(FIX_KMAP_BEGIN + idx)) */
		if (kmm_highmem_first_warn(&hm->warned_local_order))
			kmm_warn_splat(m, "mm/highmem.c", 623, "kunmap_local_indexed+0x9c/0x140", NULL);
		return;
	}
	st->idx--;
	kmm_plat_cpu_put(m);
	kmm_plat_cpu_put(m);	/* the map's */
}

void kmm_kunmap_local(struct kmm_machine *m, const void *addr)
{
	/* without CONFIG_HIGHMEM, __kunmap_local() is empty */
	if (m->highmem)
		kunmap_local_indexed(m, m->highmem, (uintptr_t)addr);
}

void *kmm_kmap_atomic(struct kmm_machine *m, struct kmm_page *page)
{
	void *addr;

	kmm_plat_preempt_disable(m);
	kmm_plat_pagefault_disable(m);
	addr = kmm_kmap_local_page(m, page);
	if (unlikely(!addr)) {
		kmm_plat_pagefault_enable(m);
		kmm_plat_preempt_enable(m);
	}
	return addr;
}

void kmm_kunmap_atomic(struct kmm_machine *m, const void *addr)
{
	kmm_kunmap_local(m, addr);
	kmm_plat_pagefault_enable(m);
	kmm_plat_preempt_enable(m);
}

struct kmm_page *kmm_kmap_local_to_page(struct kmm_machine *m, uintptr_t addr)
{
	struct kmm_highmem *hm = m->highmem;
	unsigned int n = kmm_kmap_local_slot(m, addr), i = n % KMM_KM_MAX_IDX;
	uint32_t pfn = 0;
	int cpu = kmm_plat_cpu_get(m);

	if (cpu < 0)
		return NULL;
	/* only the caller's own mappings: other CPUs' stacks are not ours to read */
	if (n / KMM_KM_MAX_IDX == (unsigned int)cpu && i < hm->local[cpu].idx)
		pfn = hm->local[cpu].pfn[i];
	kmm_plat_cpu_put(m);
	return pfn ? kmm_pfn_page(m, pfn) : NULL;
}
