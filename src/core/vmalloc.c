/* SPDX-License-Identifier: MIT */
/*
 * vmalloc: virtually contiguous areas of pages that need not be physically
 * contiguous (mm/vmalloc.c).
 *
 * An area is a vm_struct: a range of the vmalloc region (vmap_area.c), one
 * unmapped guard page at its end, the pages backing it (pages[], nr_pages)
 * and map[], what each of its pages maps (the area's page table: pages[]
 * itself for vmalloc, a copy of the caller's array for vmap). The pages
 * are mapped for real, through the platform, so the area and each page's
 * direct-map (or kmap) address show the same bytes.
 *
 * Host mappings are costly (a system call each, and a bounded number per
 * process), so the pages are taken in the largest orders free memory
 * offers, split into order-0 pages as the kernel splits them, and every
 * run of consecutive frames is mapped in one call.
 *
 * Invariants: an area is in the busy tree exactly while it is allocated;
 * nr_vmalloc_pages is the sum of nr_pages over VM_ALLOC areas; map[i]
 * (i < nr_map) is mapped at addr + i * PAGE_SIZE.
 */
#include "slab.h"
#include "vmalloc.h"

#define SIZE_MAX_INT 0x7fffffffUL

static const char *const vmalloc_frames[] = { "dump_stack_lvl", "warn_alloc",
					      "__vmalloc_node_range_noprof", "vmalloc_noprof",
					      NULL };

static void warn_vmalloc(struct kmm_machine *m, kmm_gfp_t gfp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warn_vmalloc(struct kmm_machine *m, kmm_gfp_t gfp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kmm_vwarn_alloc(m, gfp, vmalloc_frames, fmt, ap);
	va_end(ap);
}

static void deferred_free_fn(struct kmm_machine *m, struct kmm_work *w);

int kmm_vmalloc_init(struct kmm_machine *m)
{
	m->vmalloc = kmm_kzalloc(m, sizeof(*m->vmalloc), KMM_GFP_KERNEL);
	if (!m->vmalloc)
		return -12;
	/* set once: the worker reads it while another task may queue the work again */
	m->vmalloc->deferred_work.fn = deferred_free_fn;
	return kmm_vmap_init(m);
}

bool kmm_is_vmalloc_addr(struct kmm_machine *m, const void *addr)
{
	uintptr_t a = (uintptr_t)addr;

	return a >= m->layout.vmalloc_start && a < m->layout.vmalloc_end;
}

/* ---- mapping ---- */

/* Maps map[0..nr) at addr, one host call per run of consecutive frames. */
static int map_pages(struct kmm_machine *m, uintptr_t addr, struct kmm_page **map,
		     unsigned int nr, unsigned int *nr_maps)
{
	unsigned int i = 0;

	*nr_maps = 0;
	while (i < nr) {
		unsigned long pfn = kmm_pfn(m, map[i]);
		unsigned int j = i + 1;
		int ret;

		while (j < nr && kmm_pfn(m, map[j]) == pfn + (j - i))
			j++;
		ret = kmm_plat_map(m, addr + ((uintptr_t)i << KMM_PAGE_SHIFT),
				   (kmm_phys_addr_t)pfn << KMM_PAGE_SHIFT,
				   (size_t)(j - i) << KMM_PAGE_SHIFT);
		if (ret) {
			if (i)
				kmm_plat_unmap(m, addr, (size_t)i << KMM_PAGE_SHIFT);
			return ret;
		}
		++*nr_maps;
		i = j;
	}
	__atomic_fetch_add(&m->vmalloc->nr_host_maps, *nr_maps, __ATOMIC_RELAXED);
	return 0;
}

/*
 * Fills pages[0..nr) in the largest orders free now (no reclaim for an order
 * above 0), down to order 0 with the caller's flags. Never with a warning of
 * the page allocator: as in Linux, a shortfall is reported once, by the
 * caller's "vmalloc error", which a page allocation failure report would
 * otherwise silence (warn_alloc's ratelimit is shared).
 */
static unsigned int alloc_area_pages(struct kmm_machine *m, kmm_gfp_t gfp, unsigned int nr,
				     struct kmm_page **pages)
{
	unsigned int max_order = m->desc.max_order, order = max_order, got = 0;
	kmm_gfp_t high = (gfp & ~(KMM___GFP_DIRECT_RECLAIM | KMM___GFP_NOFAIL)) |
			 KMM___GFP_NOWARN | KMM___GFP_NORETRY;

	gfp |= KMM___GFP_NOWARN;

	while (got < nr) {
		unsigned int left = nr - got;
		struct kmm_page *page;

		while (order && (1U << order) > left)
			order--;
		page = kmm_alloc_pages(m, order ? high : gfp, order);
		if (!page) {
			if (!order)
				break;
			order--;
			continue;
		}
		if (order)
			kmm_split_page(m, page, order);
		for (unsigned int i = 0; i < (1U << order); i++)
			pages[got++] = page + i;
	}
	return got;
}

/* ---- areas ---- */

static kmm_gfp_t reclaim_gfp(kmm_gfp_t gfp)
{
	return gfp & (KMM___GFP_RECLAIM | KMM___GFP_IO | KMM___GFP_FS | KMM___GFP_NOWARN |
		      KMM___GFP_RETRY_MAYFAIL | KMM___GFP_NOFAIL | KMM___GFP_NORETRY |
		      KMM___GFP_MEMALLOC | KMM___GFP_NOMEMALLOC);
}

static struct kmm_vm_struct *get_vm_area(struct kmm_machine *m, unsigned long size,
					 unsigned long align, unsigned long flags, uintptr_t start,
					 uintptr_t end, kmm_gfp_t gfp, unsigned long caller)
{
	struct kmm_vm_struct *area;

	size = KMM_PAGE_ALIGN(size);
	if (!size)
		return NULL;
	if (!(flags & KMM_VM_NO_GUARD)) {
		if (size + KMM_PAGE_SIZE < size)
			return NULL;
		size += KMM_PAGE_SIZE;
	}
	area = kmm_kmalloc_track_caller(m, sizeof(*area), reclaim_gfp(gfp) | KMM___GFP_ZERO, caller);
	if (!area)
		return NULL;
	area->flags = flags;
	area->caller = caller;
	if (!kmm_alloc_vmap_area(m, size, align, start, end, gfp, area)) {
		kmm_kfree(m, area);
		return NULL;
	}
	return area;
}

/* The area's usable size: without its guard page. */
static unsigned long area_size(const struct kmm_vm_struct *area)
{
	return area->flags & KMM_VM_NO_GUARD ? area->size : area->size - KMM_PAGE_SIZE;
}

static bool release_area(struct kmm_machine *m, struct kmm_vm_struct *area, bool mapped);
static struct kmm_vm_struct *remove_vm_area(struct kmm_machine *m, const void *addr,
					    const char *fn, int line);

/* True when a purge is due (see release_area). */
static bool free_page_array(struct kmm_machine *m, struct kmm_page **pages)
{
	struct kmm_vm_struct *area;

	if (!kmm_is_vmalloc_addr(m, pages)) {
		kmm_kfree(m, pages);
		return false;
	}
	area = remove_vm_area(m, pages, "vfree", 3426);
	return area && release_area(m, area, true);
}

/*
 * Takes a mapped (or half-built) area out of service: the range goes to the
 * lazy purge, the pages back to the page allocator unless they are the
 * caller's (vmap without VM_MAP_PUT_PAGES). True when enough lazily freed
 * pages gathered for a purge, which the caller runs once it holds no lock.
 */
static bool release_area(struct kmm_machine *m, struct kmm_vm_struct *area, bool mapped)
{
	bool purge = false;

	if (mapped)
		purge = kmm_free_vmap_area_lazy(m, area->va);
	else
		kmm_free_vmap_area_now(m, area->va);
	if (area->pages && (area->flags & (KMM_VM_ALLOC | KMM_VM_MAP_PUT_PAGES))) {
		for (unsigned int i = 0; i < area->nr_pages; i++)
			kmm___free_pages(m, area->pages[i], 0);
		if (area->flags & KMM_VM_ALLOC)
			__atomic_fetch_sub(&m->vmalloc->nr_vmalloc_pages, area->nr_pages,
					   __ATOMIC_RELAXED);
	}
	if (area->map && area->map != area->pages)
		kmm_kfree(m, area->map);
	if (area->pages)
		purge |= free_page_array(m, area->pages);
	kmm_kfree(m, area);
	return purge;
}

/* Publishes a finished area to /proc/vmallocinfo (clear_vm_uninitialized_flag). */
static void area_ready(struct kmm_machine *m, struct kmm_vm_struct *area)
{
	vm_lock(m, &m->vmalloc->lock);
	area->flags &= ~KMM_VM_UNINITIALIZED;
	vm_unlock(m, &m->vmalloc->lock);
}

static void *vmalloc_area_node(struct kmm_machine *m, struct kmm_vm_struct *area, kmm_gfp_t gfp)
{
	unsigned long size = area_size(area);
	unsigned int nr = (unsigned int)(size >> KMM_PAGE_SHIFT);
	unsigned long array_size = (unsigned long)nr * sizeof(struct kmm_page *);
	kmm_gfp_t nested = reclaim_gfp(gfp) | KMM___GFP_ZERO;
	int ret;

	if (!(gfp & (KMM___GFP_DMA | KMM___GFP_DMA32)))
		gfp |= KMM___GFP_HIGHMEM;
	/* the recursion is bounded: each level's array is 512 times smaller */
	if (array_size > KMM_PAGE_SIZE)
		area->pages = kmm___vmalloc_node_range(m, array_size, 1, m->layout.vmalloc_start,
						       m->layout.vmalloc_end, nested, 0,
						       KMM_NUMA_NO_NODE, area->caller);
	else
		area->pages = kmm_kmalloc_track_caller(m, array_size, nested, area->caller);
	if (!area->pages) {
		warn_vmalloc(m, gfp, "vmalloc error: size %lu, failed to allocated page array size %lu",
			     size, array_size);
		release_area(m, area, false);
		return NULL;
	}
	area->nr_pages = alloc_area_pages(m, gfp, nr, area->pages);
	__atomic_fetch_add(&m->vmalloc->nr_vmalloc_pages, area->nr_pages, __ATOMIC_RELAXED);
	if (area->nr_pages != nr) {
		warn_vmalloc(m, gfp, "vmalloc error: size %lu, failed to allocate pages",
			     (unsigned long)area->nr_pages << KMM_PAGE_SHIFT);
		release_area(m, area, false);
		return NULL;
	}
	area->map = area->pages;
	area->nr_map = nr;
	do {
		ret = map_pages(m, area->addr, area->map, nr, &area->nr_maps);
		if (ret && (gfp & KMM___GFP_NOFAIL))
			kmm_plat_sleep(m, 4000000);
	} while (ret && (gfp & KMM___GFP_NOFAIL));
	if (ret) {
		warn_vmalloc(m, gfp, "vmalloc error: size %lu, failed to map pages",
			     (unsigned long)area->nr_pages << KMM_PAGE_SHIFT);
		release_area(m, area, false);
		return NULL;
	}
	return (void *)area->addr;
}

void *kmm___vmalloc_node_range(struct kmm_machine *m, unsigned long size, unsigned long align,
			       uintptr_t start, uintptr_t end, kmm_gfp_t gfp,
			       unsigned long vm_flags, int node, unsigned long caller)
{
	struct kmm_vm_struct *area;
	void *addr;

	(void)node;	/* one node */
	if (!caller)
		caller = KMM_RET_IP;
	if (!size) {
		kmm_warn_splat(m, "mm/vmalloc.c", 3839, "__vmalloc_node_range_noprof", NULL);
		return NULL;
	}
	if (unlikely(m->desc.ram_anon)) {
		warn_vmalloc(m, gfp, "vmalloc error: size %lu, RAM is anonymous memory (kmm.ram=anon), which cannot be mapped a second time",
			     size);
		return NULL;
	}
	if ((size >> KMM_PAGE_SHIFT) > KMM_READ_ONCE(m->totalram_pages)) {
		warn_vmalloc(m, gfp, "vmalloc error: size %lu, exceeds total pages", size);
		return NULL;
	}
	for (;;) {
		area = get_vm_area(m, size, align, KMM_VM_ALLOC | KMM_VM_UNINITIALIZED | vm_flags,
				   start, end, gfp, caller);
		if (area)
			break;
		warn_vmalloc(m, gfp, "vmalloc error: size %lu, vm_struct allocation failed%s", size,
			     gfp & KMM___GFP_NOFAIL ? ". Retrying." : "");
		if (!(gfp & KMM___GFP_NOFAIL))
			return NULL;
		kmm_plat_sleep(m, 4000000);
	}
	addr = vmalloc_area_node(m, area, gfp);
	if (addr)
		area_ready(m, area);
	return addr;
}

static void *vmalloc_caller(struct kmm_machine *m, unsigned long size, unsigned long align,
			    kmm_gfp_t gfp, unsigned long flags, unsigned long caller)
{
	return kmm___vmalloc_node_range(m, size, align, m->layout.vmalloc_start,
					m->layout.vmalloc_end, gfp, flags, KMM_NUMA_NO_NODE, caller);
}

/* SHMLBA: the alignment of memory a user may map (16 KiB on ARM, a page elsewhere) */
static unsigned long shmlba(struct kmm_machine *m)
{
	return m->desc.arch && !kmm_strcmp(m->desc.arch, "arm") ? 4 * KMM_PAGE_SIZE
								     : KMM_PAGE_SIZE;
}

void *kmm_vmalloc(struct kmm_machine *m, unsigned long size)
{
	return vmalloc_caller(m, size, 1, KMM_GFP_KERNEL, 0, KMM_RET_IP);
}

void *kmm_vzalloc(struct kmm_machine *m, unsigned long size)
{
	return vmalloc_caller(m, size, 1, KMM_GFP_KERNEL | KMM___GFP_ZERO, 0, KMM_RET_IP);
}

void *kmm_vmalloc_user(struct kmm_machine *m, unsigned long size)
{
	return vmalloc_caller(m, size, shmlba(m), KMM_GFP_KERNEL | KMM___GFP_ZERO, KMM_VM_USERMAP,
			      KMM_RET_IP);
}

/* GFP_VMALLOC32: ZONE_DMA32 where it exists, else (32-bit) what DMA32 means there: lowmem */
void *kmm_vmalloc_32(struct kmm_machine *m, unsigned long size)
{
	return vmalloc_caller(m, size, 1, KMM_GFP_KERNEL | KMM_GFP_DMA32, 0, KMM_RET_IP);
}

void *kmm_vmalloc_32_user(struct kmm_machine *m, unsigned long size)
{
	return vmalloc_caller(m, size, shmlba(m), KMM_GFP_KERNEL | KMM_GFP_DMA32 | KMM___GFP_ZERO,
			      KMM_VM_USERMAP, KMM_RET_IP);
}

void *kmm_vmalloc_node(struct kmm_machine *m, unsigned long size, int node)
{
	(void)node;
	return vmalloc_caller(m, size, 1, KMM_GFP_KERNEL, 0, KMM_RET_IP);
}

void *kmm_vzalloc_node(struct kmm_machine *m, unsigned long size, int node)
{
	(void)node;
	return vmalloc_caller(m, size, 1, KMM_GFP_KERNEL | KMM___GFP_ZERO, 0, KMM_RET_IP);
}

void *kmm_vmalloc_huge(struct kmm_machine *m, unsigned long size, kmm_gfp_t gfp)
{
	return vmalloc_caller(m, size, 1, gfp, KMM_VM_ALLOW_HUGE_VMAP, KMM_RET_IP);
}

void *kmm_vmalloc_array(struct kmm_machine *m, size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return vmalloc_caller(m, bytes, 1, KMM_GFP_KERNEL, 0, KMM_RET_IP);
}

void *kmm_vcalloc(struct kmm_machine *m, size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return vmalloc_caller(m, bytes, 1, KMM_GFP_KERNEL | KMM___GFP_ZERO, 0, KMM_RET_IP);
}

void *kmm___vmalloc(struct kmm_machine *m, unsigned long size, kmm_gfp_t gfp)
{
	return vmalloc_caller(m, size, 1, gfp, 0, KMM_RET_IP);
}

/* ---- freeing ---- */

/*
 * vfree_atomic's second half, on the workqueue (or in vm_unmap_aliases):
 * releases the areas taken out of the busy tree. Under purge_lock, which
 * the walker takes too, so that it never sees one half-released: an area
 * is either whole on the list or gone from it.
 */
static void deferred_free_fn(struct kmm_machine *m, struct kmm_work *w)
{
	struct kmm_vmalloc *vm = m->vmalloc;
	struct kmm_vm_struct *list;
	bool purge = false;

	(void)w;
	vm_lock(m, &vm->purge_lock);
	vm_lock(m, &vm->deferred_lock);
	list = vm->deferred;
	vm->deferred = NULL;
	vm_unlock(m, &vm->deferred_lock);
	while (list) {
		struct kmm_vm_struct *next = list->next_deferred;

		purge |= release_area(m, list, true);
		list = next;
	}
	vm_unlock(m, &vm->purge_lock);
	if (purge)
		kmm_purge_vmap_areas(m);
}

/* The busy area starting at addr, taken out of the busy tree, with the kernel's warnings. */
static struct kmm_vm_struct *remove_vm_area(struct kmm_machine *m, const void *addr,
					    const char *fn, int line)
{
	struct kmm_vmap_area *va;

	if ((uintptr_t)addr & ~KMM_PAGE_MASK) {
		kmm_warn_splat(m, "mm/vmalloc.c", 3291, fn, "Trying to %s() bad address (%p)", fn + 0,
			       addr);
		return NULL;
	}
	va = kmm_unlink_vmap_area(m, (uintptr_t)addr);
	if (!va || !va->vm) {
		kmm_warn_splat(m, "mm/vmalloc.c", line, fn, "Trying to %s() nonexistent vm area (%p)",
			       fn, addr);
		return NULL;
	}
	return va->vm;
}

void kmm_vfree_atomic(struct kmm_machine *m, const void *addr)
{
	struct kmm_vmalloc *vm = m->vmalloc;
	struct kmm_vm_struct *area;

	if (!addr)
		return;
	area = remove_vm_area(m, addr, "vfree", 3426);
	if (!area)
		return;
	vm_lock(m, &vm->deferred_lock);
	area->next_deferred = vm->deferred;
	vm->deferred = area;
	vm_unlock(m, &vm->deferred_lock);
	kmm_plat_queue_work(m, &vm->deferred_work);
}

void kmm_vfree(struct kmm_machine *m, const void *addr)
{
	struct kmm_vm_struct *area;

	if (!addr)
		return;
	if (kmm_plat_in_atomic(m)) {
		kmm_vfree_atomic(m, addr);
		return;
	}
	area = remove_vm_area(m, addr, "vfree", 3426);
	if (area && release_area(m, area, true))
		kmm_purge_vmap_areas(m);
}

/* ---- vmap ---- */

void *kmm_vmap(struct kmm_machine *m, struct kmm_page **pages, unsigned int count,
	       unsigned long flags)
{
	unsigned long caller = KMM_RET_IP;
	struct kmm_vm_struct *area;
	int ret;

	if (!pages || !count || count > KMM_READ_ONCE(m->totalram_pages))
		return NULL;
	if (unlikely(m->desc.ram_anon)) {
		kmm_core_printk(m, KMM_KERN_ERR "vmap: %u pages: RAM is anonymous memory (kmm.ram=anon), which cannot be mapped a second time\n",
				count);
		return NULL;
	}
	for (unsigned int i = 0; i < count; i++)
		if (!kmm_page_in_mem_map(m, pages[i]))
			return NULL;
	area = get_vm_area(m, (unsigned long)count << KMM_PAGE_SHIFT, 1,
			   (flags & ~KMM_VM_ALLOC) | KMM_VM_MAP | KMM_VM_UNINITIALIZED,
			   m->layout.vmalloc_start, m->layout.vmalloc_end, KMM_GFP_KERNEL, caller);
	if (!area)
		return NULL;
	area->map = kmm_kmalloc_track_caller(m, count * sizeof(*pages), KMM_GFP_KERNEL, caller);
	if (!area->map) {
		release_area(m, area, false);
		return NULL;
	}
	kmm_memcpy(area->map, pages, count * sizeof(*pages));
	area->nr_map = count;
	if (flags & KMM_VM_MAP_PUT_PAGES) {
		/* the area owns the caller's array and pages from now on (vfree puts them) */
		area->pages = pages;
		area->nr_pages = count;
	}
	ret = map_pages(m, area->addr, area->map, count, &area->nr_maps);
	if (ret) {
		area->pages = NULL;	/* a failed vmap leaves the caller's pages alone */
		release_area(m, area, false);
		return NULL;
	}
	area_ready(m, area);
	return (void *)area->addr;
}

void kmm_vunmap(struct kmm_machine *m, const void *addr)
{
	struct kmm_vm_struct *area;

	if (!addr)
		return;
	if (kmm_plat_in_atomic(m)) {
		kmm_core_printk(m, KMM_KERN_EMERG "kernel BUG at mm/vmalloc.c:3466!\n");
		return;
	}
	area = remove_vm_area(m, addr, "vunmap", 3473);
	if (area && release_area(m, area, true))
		kmm_purge_vmap_areas(m);
}

/* ---- lookups ---- */

struct kmm_page *kmm_vmalloc_to_page(struct kmm_machine *m, const void *addr)
{
	struct kmm_vmalloc *vm = m->vmalloc;
	struct kmm_page *page = NULL;
	struct kmm_vmap_area *va;
	uintptr_t a = (uintptr_t)addr;

	if (!kmm_is_vmalloc_addr(m, addr))
		return NULL;
	vm_lock(m, &vm->lock);
	va = kmm_find_vmap_area_locked(vm, a);
	if (va && va->vm && va->vm->map) {
		unsigned long i = (a - va->va_start) >> KMM_PAGE_SHIFT;

		if (i < va->vm->nr_map)
			page = va->vm->map[i];
	}
	vm_unlock(m, &vm->lock);
	return page;
}

unsigned long kmm_vmalloc_to_pfn(struct kmm_machine *m, const void *addr)
{
	struct kmm_page *page = kmm_vmalloc_to_page(m, addr);

	return page ? kmm_pfn(m, page) : 0;
}

size_t kmm_vmalloc_size(struct kmm_machine *m, const void *addr)
{
	struct kmm_vmalloc *vm = m->vmalloc;
	struct kmm_vmap_area *va;
	size_t size = 0;

	if (!kmm_is_vmalloc_addr(m, addr))
		return 0;
	vm_lock(m, &vm->lock);
	va = kmm_find_vmap_area_locked(vm, (uintptr_t)addr);
	if (va && va->vm && !(va->vm->flags & KMM_VM_UNINITIALIZED))
		size = area_size(va->vm);
	vm_unlock(m, &vm->lock);
	return size;
}

void kmm_vm_unmap_aliases(struct kmm_machine *m)
{
	/*
	 * The areas vfree_atomic() left to the workqueue are lazily freed
	 * too: released here first (or waited for, if the worker is on
	 * them), so that afterwards nothing of a freed area remains.
	 */
	deferred_free_fn(m, &m->vmalloc->deferred_work);
	kmm_purge_vmap_areas(m);
}
