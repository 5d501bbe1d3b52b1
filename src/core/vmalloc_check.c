/* SPDX-License-Identifier: MIT */
/*
 * What the vmalloc area reports: its counters, its areas in address order
 * (for /proc/vmallocinfo), and the integrity walker, which checks the
 * three trees against each other and against the host's real mappings.
 */
#include "vmalloc.h"

static int sum_size(void *arg, struct kmm_vmap_area *va)
{
	*(unsigned long *)arg += kmm_va_size(va);
	return 0;
}

void kmm_vmalloc_stats(struct kmm_machine *m, struct kmm_vmalloc_stats *st)
{
	struct kmm_vmalloc *vm = m->vmalloc;

	kmm_memset(st, 0, sizeof(*st));
	if (!vm)
		return;
	st->nr_vmalloc_pages = __atomic_load_n(&vm->nr_vmalloc_pages, __ATOMIC_RELAXED);
	st->nr_host_maps = __atomic_load_n(&vm->nr_host_maps, __ATOMIC_RELAXED);
	vm_lock(m, &vm->lock);
	st->nr_areas = vm->nr_busy;
	st->lazy_pages = vm->lazy_nr;
	st->nr_purges = vm->nr_purges;
	st->largest_free = vm->free_root ? vm->free_root->subtree_max_size : 0;
	kmm_vmap_tree_walk(vm->free_root, sum_size, &st->free_bytes);
	vm_unlock(m, &vm->lock);
}

/* ---- walking the areas ---- */

struct for_each_ctx {
	int (*fn)(void *arg, const struct kmm_vm_info *vi);
	void *arg;
	struct kmm_machine *m;
	bool unpurged;
};

static int visit(void *arg, struct kmm_vmap_area *va)
{
	struct for_each_ctx *c = arg;
	struct kmm_vm_info vi = { .addr = va->va_start, .size = kmm_va_size(va) };
	const struct kmm_vm_struct *v = va->vm;

	if (c->unpurged) {
		vi.unpurged = true;
	} else {
		if (!v || (v->flags & KMM_VM_UNINITIALIZED))
			return 0;
		vi.addr = v->addr;
		vi.size = v->size;
		vi.flags = v->flags;
		vi.nr_pages = v->nr_pages;
		vi.phys_addr = v->phys_addr;
		vi.caller = v->caller;
		vi.vpages = v->pages && kmm_is_vmalloc_addr(c->m, v->pages);
	}
	return c->fn(c->arg, &vi);
}

/*
 * fn runs under the vmalloc lock (as the kernel's seq_file show does under
 * the busy lock): it must not call into vmalloc.
 */
int kmm_vmalloc_for_each(struct kmm_machine *m,
			 int (*fn)(void *arg, const struct kmm_vm_info *vi), void *arg)
{
	struct kmm_vmalloc *vm = m->vmalloc;
	struct for_each_ctx c = { fn, arg, m, false };
	int ret;

	if (!vm)
		return 0;
	vm_lock(m, &vm->lock);
	ret = kmm_vmap_tree_walk(vm->busy_root, visit, &c);
	c.unpurged = true;
	if (!ret)
		ret = kmm_vmap_tree_walk(vm->purge_root, visit, &c);
	vm_unlock(m, &vm->lock);
	return ret;
}

/* ---- the walker ---- */

struct check_ctx {
	struct kmm_machine *m;
	struct kmm_vmalloc *vm;
	unsigned long bad;
	uintptr_t last_end;		/* in-order walk: the previous range's end */
	unsigned long bytes;		/* covered by the tree walked */
	unsigned long alloc_pages;	/* nr_pages of VM_ALLOC areas */
	unsigned long nodes;
	const char *tree;
	unsigned long tree_flag;	/* KMM_VA_* of the tree walked */
	unsigned long mapped_pages;	/* host-mapped pages found inside busy areas */
	unsigned long expected_pages;	/* pages the busy areas map */
};

#define VBAD(c, ...)                                                                     \
	do {                                                                             \
		if ((c)->bad++ < 20)                                                     \
			kmm_core_printk((c)->m, KMM_KERN_ERR "vmalloc check: " __VA_ARGS__); \
	} while (0)

static int height_of(const struct kmm_vmap_area *n)
{
	return n ? n->height : 0;
}

/* AVL shape and, for the free tree, the augmented maximum; returns the subtree's max size. */
static unsigned long check_shape(struct check_ctx *c, const struct kmm_vmap_area *n, bool free_tree)
{
	unsigned long l, r, mx;
	int hl, hr;

	if (!n)
		return 0;
	l = check_shape(c, n->left, free_tree);
	r = check_shape(c, n->right, free_tree);
	hl = height_of(n->left);
	hr = height_of(n->right);
	if (n->height != 1 + (hl > hr ? hl : hr) || hl - hr > 1 || hr - hl > 1)
		VBAD(c, "%s tree: node %#lx has height %d, children %d and %d\n", c->tree,
		     (unsigned long)n->va_start, n->height, hl, hr);
	mx = kmm_va_size(n);
	if (l > mx)
		mx = l;
	if (r > mx)
		mx = r;
	if (free_tree && n->subtree_max_size != mx)
		VBAD(c, "free tree: node %#lx keeps subtree_max_size %lu, the subtree's largest is %lu\n",
		     (unsigned long)n->va_start, n->subtree_max_size, mx);
	return mx;
}

static int check_range(void *arg, struct kmm_vmap_area *va)
{
	struct check_ctx *c = arg;
	const struct kmm_layout *l = &c->m->layout;

	c->nodes++;
	if (va->flags != c->tree_flag)
		VBAD(c, "%s tree: range %#lx-%#lx is marked as of another tree (%lu)\n", c->tree,
		     (unsigned long)va->va_start, (unsigned long)va->va_end, va->flags);
	if (va->va_start >= va->va_end || va->va_start < l->vmalloc_start ||
	    va->va_end > l->vmalloc_end || (va->va_start | va->va_end) & ~KMM_PAGE_MASK)
		VBAD(c, "%s tree: range %#lx-%#lx is not a page-aligned range of the region\n",
		     c->tree, (unsigned long)va->va_start, (unsigned long)va->va_end);
	else if (va->va_start < c->last_end)
		VBAD(c, "%s tree: range %#lx-%#lx overlaps or is out of order (previous end %#lx)\n",
		     c->tree, (unsigned long)va->va_start, (unsigned long)va->va_end,
		     (unsigned long)c->last_end);
	else if (c->tree[0] == 'f' && va->va_start == c->last_end && c->nodes > 1)
		VBAD(c, "free tree: ranges touching at %#lx are not merged\n",
		     (unsigned long)va->va_start);
	c->last_end = va->va_end;
	c->bytes += kmm_va_size(va);
	return 0;
}

/*
 * How many entries of map[] to trust: nr_map, but never more than the
 * area's range holds, so that a corrupt nr_map is reported, not followed
 * out of the array.
 */
static unsigned int map_entries(const struct kmm_vmap_area *va, const struct kmm_vm_struct *v)
{
	unsigned long room = (kmm_va_size(va) >> KMM_PAGE_SHIFT) - !(v->flags & KMM_VM_NO_GUARD);

	return v->nr_map < room ? v->nr_map : (unsigned int)room;
}

static int check_busy(void *arg, struct kmm_vmap_area *va)
{
	struct check_ctx *c = arg;
	const struct kmm_vm_struct *v = va->vm;

	check_range(arg, va);
	if (!v) {
		VBAD(c, "busy area %#lx-%#lx has no vm_struct\n", (unsigned long)va->va_start,
		     (unsigned long)va->va_end);
		return 0;
	}
	if (v->va != va || v->addr != va->va_start || v->size != kmm_va_size(va))
		VBAD(c, "area %#lx: vm_struct says %#lx+%lu, its range is %#lx-%#lx\n",
		     (unsigned long)va->va_start, (unsigned long)v->addr, v->size,
		     (unsigned long)va->va_start, (unsigned long)va->va_end);
	if (v->flags & KMM_VM_UNINITIALIZED)
		return 0;
	if (v->nr_map > (v->size >> KMM_PAGE_SHIFT) - !(v->flags & KMM_VM_NO_GUARD))
		VBAD(c, "area %#lx maps %u pages into %lu bytes\n", (unsigned long)va->va_start,
		     v->nr_map, v->size);
	for (unsigned int i = 0; i < map_entries(va, v); i++)
		if (!kmm_page_in_mem_map(c->m, v->map[i])) {
			VBAD(c, "area %#lx: page %u (%p) is not a struct page of the machine\n",
			     (unsigned long)va->va_start, i, (void *)v->map[i]);
			break;
		}
	if (v->flags & KMM_VM_ALLOC) {
		c->alloc_pages += v->nr_pages;
		for (unsigned int i = 0; i < v->nr_pages; i++)
			if (kmm_page_in_mem_map(c->m, v->pages[i]) && kmm_page_ref(v->pages[i]) <= 0) {
				VBAD(c, "area %#lx: page %u (pfn %#lx) is free\n",
				     (unsigned long)va->va_start, i, kmm_pfn(c->m, v->pages[i]));
				break;
			}
	}
	c->expected_pages += map_entries(va, v);
	return 0;
}

/*
 * A run the host maps: each page must be a page some busy area maps, at
 * the right place, or lie in a range waiting for the purge (a stale
 * mapping); a guard page or free space must not be mapped.
 */
static void check_mapping(void *arg, uintptr_t start, size_t len, kmm_phys_addr_t phys)
{
	struct check_ctx *c = arg;

	for (uintptr_t a = start; a < start + len; a += KMM_PAGE_SIZE, phys += KMM_PAGE_SIZE) {
		struct kmm_vmap_area *va = kmm_find_vmap_area_locked(c->vm, a);
		const struct kmm_vm_struct *v = va ? va->vm : NULL;
		unsigned long i;

		if (!va) {
			struct kmm_vmap_area *p = c->vm->purge_root;
			const struct kmm_vm_struct *d = c->vm->deferred;

			while (p && !(a >= p->va_start && a < p->va_end))
				p = a < p->va_start ? p->left : p->right;
			while (d && !(a >= d->addr && a < d->addr + d->size))
				d = d->next_deferred;
			if (!p && !d)
				VBAD(c, "%#lx is mapped (phys %#llx) but belongs to no area\n",
				     (unsigned long)a, (unsigned long long)phys);
			continue;
		}
		if (!v || (v->flags & KMM_VM_UNINITIALIZED))
			continue;
		i = (a - va->va_start) >> KMM_PAGE_SHIFT;
		if (i >= map_entries(va, v)) {
			VBAD(c, "area %#lx: its guard page %#lx is mapped\n",
			     (unsigned long)va->va_start, (unsigned long)a);
			continue;
		}
		c->mapped_pages++;
		if (phys != (kmm_phys_addr_t)kmm_pfn(c->m, v->map[i]) << KMM_PAGE_SHIFT)
			VBAD(c, "area %#lx: page %lu maps phys %#llx, the area records pfn %#lx\n",
			     (unsigned long)va->va_start, i, (unsigned long long)phys,
			     kmm_pfn(c->m, v->map[i]));
	}
}

/*
 * The areas vfree_atomic() took out of the busy tree, waiting for the
 * workqueue: still whole (deferred_free_fn() releases them under
 * purge_lock), their ranges and pages still theirs. Returns the bytes.
 */
static unsigned long check_deferred(struct check_ctx *c)
{
	unsigned long bytes = 0;

	for (const struct kmm_vm_struct *v = c->vm->deferred; v; v = v->next_deferred) {
		if (!v->va || v->va->va_start != v->addr || kmm_va_size(v->va) != v->size ||
		    v->va->flags != KMM_VA_BUSY) {
			VBAD(c, "area %#lx waiting for vfree_atomic's work has lost its range\n",
			     (unsigned long)v->addr);
			continue;
		}
		bytes += v->size;
		if (v->flags & KMM_VM_ALLOC)
			c->alloc_pages += v->nr_pages;
	}
	return bytes;
}

unsigned long kmm_vmalloc_check(struct kmm_machine *m)
{
	struct kmm_vmalloc *vm = m->vmalloc;
	struct check_ctx c = { .m = m, .vm = vm };
	unsigned long region = m->layout.vmalloc_end - m->layout.vmalloc_start, covered = 0;
	unsigned long busy, pages;

	if (!vm)
		return 0;
	vm_lock(m, &vm->purge_lock);
	vm_lock(m, &vm->lock);
	c.tree = "free";
	c.tree_flag = KMM_VA_FREE;
	check_shape(&c, vm->free_root, true);
	kmm_vmap_tree_walk(vm->free_root, check_range, &c);
	covered += c.bytes;
	c.tree = "busy";
	c.tree_flag = KMM_VA_BUSY;
	c.last_end = 0;
	c.bytes = c.nodes = 0;
	check_shape(&c, vm->busy_root, false);
	kmm_vmap_tree_walk(vm->busy_root, check_busy, &c);
	covered += c.bytes;
	busy = c.nodes;
	c.tree = "purge";
	c.tree_flag = KMM_VA_LAZY;
	c.last_end = 0;
	c.bytes = c.nodes = 0;
	check_shape(&c, vm->purge_root, false);
	kmm_vmap_tree_walk(vm->purge_root, check_range, &c);
	covered += c.bytes;
	vm_lock(m, &vm->deferred_lock);
	covered += check_deferred(&c);
	if (c.bytes >> KMM_PAGE_SHIFT != vm->lazy_nr)
		VBAD(&c, "%lu pages wait for the purge, lazy_nr says %lu\n", c.bytes >> KMM_PAGE_SHIFT,
		     vm->lazy_nr);
	/*
	 * free, busy, purge and deferred ranges are disjoint (checked below by
	 * the sum) and cover the region
	 */
	if (covered != region)
		VBAD(&c, "the trees cover %lu bytes of a %lu-byte region (ranges overlap or are lost)\n",
		     covered, region);
	if (busy != vm->nr_busy)
		VBAD(&c, "%lu busy areas found, nr_busy says %lu\n", busy, vm->nr_busy);
	pages = __atomic_load_n(&vm->nr_vmalloc_pages, __ATOMIC_RELAXED);
	if (c.alloc_pages != pages)
		VBAD(&c, "vmalloc areas hold %lu pages, nr_vmalloc_pages says %lu\n", c.alloc_pages,
		     pages);
	if (!kmm_plat_walk_mappings(m, m->layout.vmalloc_start, m->layout.vmalloc_end,
				    check_mapping, &c) &&
	    c.mapped_pages != c.expected_pages)
		VBAD(&c, "the busy areas map %lu pages, the host maps %lu of them\n",
		     c.expected_pages, c.mapped_pages);
	vm_unlock(m, &vm->deferred_lock);
	vm_unlock(m, &vm->lock);
	vm_unlock(m, &vm->purge_lock);
	return c.bad;
}
