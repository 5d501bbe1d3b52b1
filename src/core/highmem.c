/* SPDX-License-Identifier: MIT */
/*
 * Highmem's persistent kmaps (mm/highmem.c): kmap() and kunmap().
 *
 * 1. What it maps. A highmem page (above the lowmem limit) has no kernel
 *    address. kmap() lends it one of the LAST_PKMAP slots of the PKMAP
 *    window (layout.pkmap_base): the host maps the page's frame there
 *    (kmm_plat_map, the PTE) and page->virtual records the address, which
 *    page_address() returns from then on (kmm keeps it in struct page, as
 *    WANT_PAGE_VIRTUAL architectures do, rather than in the kernel's
 *    page_address_htable). The mapping is global: any task may use the
 *    address, and the kunmap() may come from another task. A lowmem page
 *    maps to its direct-map address and needs no slot.
 *
 * 2. Data structures, under kmap_lock (hm->lock):
 *      pkmap_count[nr]  0: free, nothing left mapped;
 *                       1: mapped, no user left (the page keeps its
 *                          virtual: a new kmap() of it takes the slot back);
 *                       n >= 2: mapped, n - 1 users
 *      pkmap_pte[nr]    the pfn the slot maps, 0 when none
 *      last_pkmap_nr    the slot handed out last
 *    A new mapping takes the next free slot after last_pkmap_nr. Each time
 *    the search wraps to slot 0 it flushes (flush_all_zero_pkmaps): every
 *    slot at 1 is unmapped, set to 0 and its page's virtual cleared. The
 *    kernel unmaps only there to flush the TLB once per wrap; kmm unmaps
 *    only there to make one host call per run of adjacent slots, and so
 *    that a page kunmapped and kmapped again before the next wrap costs no
 *    syscall.
 *
 * 3. Invariants (kmm_highmem_check):
 *      pkmap_count[nr] == 0  <=>  pkmap_pte[nr] == 0  <=>  the host maps nothing at slot nr
 *      pkmap_count[nr] >= 1  =>   the host maps pkmap_pte[nr] at slot nr, and
 *                                 pfn_to_page(pkmap_pte[nr])->virtual == PKMAP_ADDR(nr)
 *      a highmem page's virtual is NULL or the slot that maps it
 *
 * 4. Waiting. With every slot in use, kmap() sleeps on pkmap_wait (a futex
 *    word, pkmap_map_wait) until a kunmap() brings a count down to 1, then
 *    searches again, flushing on the way, and takes the page's mapping if
 *    another task made one meanwhile. The sleeper reads the word under the
 *    lock; kunmap() bumps it under the lock when there are sleepers and wakes
 *    them after unlocking, so no wake-up is lost.
 *
 * 5. Context. kmap() and kunmap() may sleep (might_sleep()): from atomic
 *    context they report "BUG: sleeping function called from invalid
 *    context", and where kmap() would have to sleep it returns NULL instead,
 *    as it does for a task that holds kmap_local mappings (kmap_local.c: its
 *    slots are its CPU's, which a sleep would give away). Host calls are
 *    made under kmap_lock, as the kernel writes PTEs and flushes the TLB
 *    under it.
 *
 * Failures: bad input gets the kernel's report and changes nothing (kunmap
 * of a page that is not kmapped: "kernel BUG at mm/highmem.c:371!"). When
 * the host refuses a mapping (its map count), kmap() logs it and returns
 * NULL, where the kernel cannot fail.
 *
 * Lock order: CPU (kmm_plat_cpu_get) -> kmap_lock.
 */
#include "highmem.h"

#define KMAP_FILE "include/linux/highmem-internal.h"

enum map_error {
	MAP_OK,
	MAP_NO_SLOT,		/* every slot in use, and the caller may not sleep */
	MAP_HOST,		/* kmm_plat_map refused */
};

bool kmm_highmem_page_ok(struct kmm_machine *m, const struct kmm_page *page, const char *file,
			 int line, const char *func)
{
	if (likely(page && kmm_page_in_mem_map(m, page)))
		return true;
	kmm_warn_splat(m, file, line, func, "%s(%p): not a struct page of this machine", func,
		       (const void *)page);
	return false;
}

int kmm_highmem_init(struct kmm_machine *m)
{
	const struct kmm_layout *l = &m->layout;
	unsigned int nr_cpus = m->desc.nr_cpus, slots;
	struct kmm_highmem *hm;

	if (!l->last_pkmap)
		return 0;	/* no highmem: every kmap is page_address() */
	/* the host's fixmap window must hold KM_MAX_IDX slots per CPU, and PKMAP a power of two */
	if ((l->fixaddr_top - l->fixaddr_start) >> KMM_PAGE_SHIFT !=
		    (uintptr_t)KMM_KM_MAX_IDX * nr_cpus ||
	    (l->last_pkmap & (l->last_pkmap - 1)) || l->max_pfn > UINT32_MAX) {
		kmm_core_printk(m, KMM_KERN_ERR "highmem: the platform's PKMAP (%u pages) and fixmap (%lu pages) windows do not fit %u CPUs of %d kmap_local slots\n",
				l->last_pkmap,
				(unsigned long)((l->fixaddr_top - l->fixaddr_start) >> KMM_PAGE_SHIFT),
				nr_cpus, KMM_KM_MAX_IDX);
		return -22;
	}
	slots = l->last_pkmap + nr_cpus * KMM_KM_MAX_IDX;
	hm = kmm_kzalloc(m, sizeof(*hm) + (slots + 7) / 8, KMM_GFP_KERNEL);
	if (!hm)
		return -12;
	/* one block for both arrays: 8 KiB with LAST_PKMAP 1024, a kmalloc-8k object */
	hm->pkmap_count = kmm_kzalloc(m, (size_t)l->last_pkmap * (sizeof(int) + sizeof(uint32_t)),
				      KMM_GFP_KERNEL);
	hm->local = kmm_kzalloc(m, nr_cpus * sizeof(*hm->local), KMM_GFP_KERNEL);
	if (!hm->pkmap_count || !hm->local) {
		kmm_kfree(m, hm->pkmap_count);
		kmm_kfree(m, hm->local);
		kmm_kfree(m, hm);
		return -12;
	}
	hm->pkmap_pte = (uint32_t *)(hm->pkmap_count + l->last_pkmap);
	kmm_spin_lock_init(&hm->lock);
	hm->last_pkmap = l->last_pkmap;
	hm->nr_cpus = nr_cpus;
	atomic_init(&hm->pkmap_wait, 0);
	atomic_init(&hm->nr_waiters, 0);
	m->highmem = hm;
	return 0;
}

/*
 * flush_all_zero_pkmaps(): every slot with no user left is unmapped and
 * freed. Runs of adjacent slots go to the host in one call.
 */
static void flush_all_zero_pkmaps(struct kmm_machine *m, struct kmm_highmem *hm)
{
	unsigned int run = 0, nr;
	bool in_run = false, flushed = false;

	for (nr = 0; nr <= hm->last_pkmap; nr++) {
		if (nr < hm->last_pkmap && hm->pkmap_count[nr] == 1) {
			struct kmm_page *page = kmm_pfn_page(m, hm->pkmap_pte[nr]);

			hm->pkmap_count[nr] = 0;
			hm->pkmap_pte[nr] = 0;
			KMM_WRITE_ONCE(page->virtual, NULL);
			if (!in_run)
				run = nr;
			in_run = true;
		} else if (in_run) {
			kmm_plat_unmap(m, kmm_pkmap_addr(m, run), (size_t)(nr - run) << KMM_PAGE_SHIFT);
			in_run = false;
			flushed = true;
		}
	}
	if (flushed)
		hm->nr_flushes++;
}

/*
 * map_new_virtual(), called and returning with kmap_lock held: a free slot
 * for page, mapped, with count 1; or the page's mapping if another task
 * made one while this one slept. 0 with *err set on failure.
 */
static uintptr_t map_new_virtual(struct kmm_machine *m, struct kmm_highmem *hm,
				 struct kmm_page *page, bool may_sleep, enum map_error *err)
{
	unsigned int mask = hm->last_pkmap - 1, count, nr;
	uint32_t pfn = (uint32_t)kmm_pfn(m, page), seq;
	uintptr_t vaddr;

	for (;;) {
		count = hm->last_pkmap;
		for (;;) {
			nr = hm->last_pkmap_nr = (hm->last_pkmap_nr + 1) & mask;
			if (!nr) {
				flush_all_zero_pkmaps(m, hm);
				count = hm->last_pkmap;
			}
			if (!hm->pkmap_count[nr])
				goto found;
			if (!--count)
				break;
		}
		if (!may_sleep) {
			*err = MAP_NO_SLOT;
			return 0;
		}
		/* every slot has users: sleep until a kunmap leaves one without */
		seq = atomic_load_explicit(&hm->pkmap_wait, memory_order_relaxed);

		atomic_fetch_add_explicit(&hm->nr_waiters, 1, memory_order_relaxed);
		kmm_spin_unlock(&hm->lock);
		kmm_plat_wait(m, &hm->pkmap_wait, seq);
		kmm_spin_lock(&hm->lock);
		atomic_fetch_sub_explicit(&hm->nr_waiters, 1, memory_order_relaxed);
		vaddr = (uintptr_t)KMM_READ_ONCE(page->virtual);
		if (vaddr)
			return vaddr;
	}
found:
	vaddr = kmm_pkmap_addr(m, nr);
	if (kmm_plat_map(m, vaddr, (kmm_phys_addr_t)pfn << KMM_PAGE_SHIFT, KMM_PAGE_SIZE)) {
		*err = MAP_HOST;
		return 0;
	}
	hm->pkmap_count[nr] = 1;
	hm->pkmap_pte[nr] = pfn;
	KMM_WRITE_ONCE(page->virtual, (void *)vaddr);
	return vaddr;
}

/* kmap_high(): the caller holds its CPU. */
static void *kmap_high(struct kmm_machine *m, struct kmm_highmem *hm, struct kmm_page *page,
		       bool may_sleep)
{
	enum map_error err = MAP_OK;
	uintptr_t vaddr;

	kmm_spin_lock(&hm->lock);
	vaddr = (uintptr_t)KMM_READ_ONCE(page->virtual);
	if (!vaddr)
		vaddr = map_new_virtual(m, hm, page, may_sleep, &err);
	if (vaddr)
		hm->pkmap_count[kmm_pkmap_nr(m, vaddr)]++;
	kmm_spin_unlock(&hm->lock);
	if (err == MAP_NO_SLOT)
		kmm_core_printk(m, KMM_KERN_ERR "kmm: kmap: all %u PKMAP slots are in use and the task may not sleep (atomic, or holding kmap_local mappings)\n",
				hm->last_pkmap);
	else if (err == MAP_HOST)
		kmm_core_printk(m, KMM_KERN_ERR "kmm: kmap: the host refused to map pfn %#lx (out of mappings?)\n",
				kmm_pfn(m, page));
	return (void *)vaddr;
}

void *kmm_kmap(struct kmm_machine *m, struct kmm_page *page)
{
	struct kmm_highmem *hm = m->highmem;
	bool atomic;
	void *addr;
	int cpu;

	atomic = kmm_might_sleep(m, KMAP_FILE, 44, "kmap+0x1c/0x60");
	if (!kmm_highmem_page_ok(m, page, KMAP_FILE, 40, "kmap"))
		return NULL;
	if (!hm || !kmm_PageHighMem(page))
		return kmm_page_address(m, page);
	cpu = kmm_plat_cpu_get(m);
	if (cpu < 0)
		return NULL;
	/* this task's kmap_local slots are this CPU's: it must keep the CPU */
	addr = kmap_high(m, hm, page, !atomic && !hm->local[cpu].idx);
	kmm_plat_cpu_put(m);
	return addr;
}

static void kunmap_high(struct kmm_machine *m, struct kmm_highmem *hm, struct kmm_page *page)
{
	bool wake = false;
	uintptr_t vaddr;
	int bug = 0;

	kmm_spin_lock(&hm->lock);
	vaddr = (uintptr_t)KMM_READ_ONCE(page->virtual);
	if (!vaddr || !kmm_is_pkmap_addr(m, vaddr)) {
		bug = 371;	/* BUG_ON(!vaddr) */
	} else {
		unsigned int nr = kmm_pkmap_nr(m, vaddr);

		/* a count must never reach 0 here: only a flush may free the slot */
		if (hm->pkmap_count[nr] <= 1) {
			bug = 381;
		} else if (--hm->pkmap_count[nr] == 1 &&
			   atomic_load_explicit(&hm->nr_waiters, memory_order_relaxed)) {
			atomic_fetch_add_explicit(&hm->pkmap_wait, 1, memory_order_relaxed);
			wake = true;
		}
	}
	kmm_spin_unlock(&hm->lock);
	if (bug)
		kmm_bug_splat(m, "mm/highmem.c", bug, "kunmap_high+0x9c/0xb0");
	if (wake)
		kmm_plat_wake(m, &hm->pkmap_wait);
}

void kmm_kunmap(struct kmm_machine *m, struct kmm_page *page)
{
	struct kmm_highmem *hm = m->highmem;

	kmm_might_sleep(m, KMAP_FILE, 55, "kunmap+0x1c/0x50");
	if (!kmm_highmem_page_ok(m, page, KMAP_FILE, 53, "kunmap"))
		return;
	if (!hm || !kmm_PageHighMem(page))
		return;
	if (kmm_plat_cpu_get(m) < 0)
		return;
	kunmap_high(m, hm, page);
	kmm_plat_cpu_put(m);
}

void kmm_kmap_flush_unused(struct kmm_machine *m)
{
	struct kmm_highmem *hm = m->highmem;

	if (!hm || kmm_plat_cpu_get(m) < 0)
		return;
	kmm_spin_lock(&hm->lock);
	flush_all_zero_pkmaps(m, hm);
	kmm_spin_unlock(&hm->lock);
	kmm_plat_cpu_put(m);
}

/*
 * __kmap_to_page(): 6.12 warns once for a kmap or kmap_local address (it
 * wants callers to keep the page), then answers anyway.
 */
struct kmm_page *kmm_kmap_to_page(struct kmm_machine *m, const void *addr)
{
	struct kmm_highmem *hm = m->highmem;
	uintptr_t a = (uintptr_t)addr;

	if (hm && kmm_is_pkmap_addr(m, a)) {
		uint32_t pfn;

		if (kmm_highmem_first_warn(&hm->warned_to_page_pkmap))
			kmm_warn_splat(m, "mm/highmem.c", 173, "__kmap_to_page+0x2c/0xa0", NULL);
		kmm_spin_lock(&hm->lock);
		pfn = hm->pkmap_pte[kmm_pkmap_nr(m, a)];
		kmm_spin_unlock(&hm->lock);
		return pfn ? kmm_pfn_page(m, pfn) : NULL;
	}
	if (hm && kmm_is_kmap_local_addr(m, a)) {
		if (kmm_highmem_first_warn(&hm->warned_to_page_local))
			kmm_warn_splat(m, "mm/highmem.c", 178, "__kmap_to_page+0x5c/0xa0", NULL);
		return kmm_kmap_local_to_page(m, a);
	}
	if (kmm_virt_addr_valid(&m->layout, addr))
		return kmm_virt_to_page(&m->layout, addr);
	return NULL;
}
