/* SPDX-License-Identifier: MIT */
/*
 * The vmalloc area's virtual ranges (mm/vmalloc.c's vmap_area trees).
 *
 * Every byte of [VMALLOC_START, VMALLOC_END) is in exactly one range of one
 * of three trees, all AVL trees of struct kmm_vmap_area ordered by va_start:
 *
 *   free   unused space; neighbours are always merged, so no two free ranges
 *          touch. Each node also keeps subtree_max_size, the largest free
 *          range in its subtree, so the lowest-addressed fit is found in
 *          O(log n) by descending only into subtrees large enough.
 *   busy   areas in use; each points at its vm_struct.
 *   purge  areas freed but still mapped on the host. Unmapping costs a host
 *          call, so, as the kernel defers its TLB flush, vfree leaves the
 *          mapping and the range here; once lazy_max_pages() pages gather, one
 *          purge unmaps them, adjacent ranges in one call, and merges them
 *          back into the free tree. The kernel hands the purge to a worker;
 *          kmm runs it in the task whose vfree crossed the threshold, since a
 *          host unmap from another thread costs the freeing thread TLB
 *          shootdown interrupts (measured: vmalloc+vfree of 64 KiB 14.2 ->
 *          9.6 us). A failed allocation purges at once and retries.
 *
 * Nodes come from the "vmap_area" cache, taken before the lock (an
 * allocation needs at most two: the busy node and a split-off free piece).
 * Lock order: purge_lock -> lock -> the slab's locks (nodes are freed
 * under lock; they are never allocated under it); the walker and
 * vfree_atomic's work take deferred_lock last.
 */
#include "slab.h"
#include "vmalloc.h"

/* ---- the AVL trees ---- */

static int height(const struct kmm_vmap_area *n)
{
	return n ? n->height : 0;
}

static unsigned long max_size(const struct kmm_vmap_area *n)
{
	return n ? n->subtree_max_size : 0;
}

static void update(struct kmm_vmap_area *n)
{
	int hl = height(n->left), hr = height(n->right);
	unsigned long s = kmm_va_size(n);

	n->height = 1 + (hl > hr ? hl : hr);
	if (max_size(n->left) > s)
		s = max_size(n->left);
	if (max_size(n->right) > s)
		s = max_size(n->right);
	n->subtree_max_size = s;
}

static struct kmm_vmap_area *rotate_right(struct kmm_vmap_area *y)
{
	struct kmm_vmap_area *x = y->left;

	y->left = x->right;
	x->right = y;
	update(y);
	update(x);
	return x;
}

static struct kmm_vmap_area *rotate_left(struct kmm_vmap_area *x)
{
	struct kmm_vmap_area *y = x->right;

	x->right = y->left;
	y->left = x;
	update(x);
	update(y);
	return y;
}

static struct kmm_vmap_area *rebalance(struct kmm_vmap_area *n)
{
	int bf;

	update(n);
	bf = height(n->left) - height(n->right);
	if (bf > 1) {
		if (height(n->left->left) < height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (bf < -1) {
		if (height(n->right->right) < height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

static struct kmm_vmap_area *tree_insert(struct kmm_vmap_area *root, struct kmm_vmap_area *n)
{
	if (!root) {
		n->left = n->right = NULL;
		update(n);
		return n;
	}
	if (n->va_start < root->va_start)
		root->left = tree_insert(root->left, n);
	else
		root->right = tree_insert(root->right, n);
	return rebalance(root);
}

static struct kmm_vmap_area *remove_min(struct kmm_vmap_area *n, struct kmm_vmap_area **min)
{
	if (!n->left) {
		*min = n;
		return n->right;
	}
	n->left = remove_min(n->left, min);
	return rebalance(n);
}

/* Removes the node starting at start; *out is it, or NULL. */
static struct kmm_vmap_area *tree_remove(struct kmm_vmap_area *root, uintptr_t start,
					 struct kmm_vmap_area **out)
{
	struct kmm_vmap_area *l, *r, *min;

	if (!root)
		return NULL;
	if (start < root->va_start) {
		root->left = tree_remove(root->left, start, out);
	} else if (start > root->va_start) {
		root->right = tree_remove(root->right, start, out);
	} else {
		*out = root;
		l = root->left;
		r = root->right;
		if (!r)
			return l;
		r = remove_min(r, &min);
		min->left = l;
		min->right = r;
		return rebalance(min);
	}
	return rebalance(root);
}

static struct kmm_vmap_area *tree_find(struct kmm_vmap_area *n, uintptr_t addr)
{
	while (n) {
		if (addr < n->va_start)
			n = n->left;
		else if (addr >= n->va_end)
			n = n->right;
		else
			return n;
	}
	return NULL;
}

/* The range with the highest start below addr, or NULL. */
static struct kmm_vmap_area *tree_pred(struct kmm_vmap_area *n, uintptr_t addr)
{
	struct kmm_vmap_area *best = NULL;

	while (n) {
		if (n->va_start < addr) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

/* The range with the lowest start at or above addr, or NULL. */
static struct kmm_vmap_area *tree_succ(struct kmm_vmap_area *n, uintptr_t addr)
{
	struct kmm_vmap_area *best = NULL;

	while (n) {
		if (n->va_start >= addr) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

int kmm_vmap_tree_walk(struct kmm_vmap_area *root,
		       int (*fn)(void *arg, struct kmm_vmap_area *va), void *arg)
{
	int ret;

	if (!root)
		return 0;
	ret = kmm_vmap_tree_walk(root->left, fn, arg);
	if (!ret)
		ret = fn(arg, root);
	if (!ret)
		ret = kmm_vmap_tree_walk(root->right, fn, arg);
	return ret;
}

/* ---- the free space ---- */

static uintptr_t align_up(uintptr_t x, unsigned long align)
{
	return (x + align - 1) & ~(uintptr_t)(align - 1);
}

static bool fits(const struct kmm_vmap_area *n, unsigned long size, unsigned long align,
		 uintptr_t vstart, uintptr_t vend)
{
	uintptr_t a = align_up(n->va_start > vstart ? n->va_start : vstart, align);

	return a >= n->va_start && a + size > a && a + size <= n->va_end && a + size <= vend;
}

/*
 * The lowest-addressed free range that fits: subtrees whose largest range
 * is below length cannot hold it, and ranges wholly below vstart or above
 * vend are skipped with their left (right) subtrees.
 */
static struct kmm_vmap_area *lowest_fit(struct kmm_vmap_area *n, unsigned long size,
					unsigned long align, uintptr_t vstart, uintptr_t vend,
					unsigned long length)
{
	struct kmm_vmap_area *r;

	if (!n || n->subtree_max_size < length)
		return NULL;
	if (n->va_end > vstart) {
		r = lowest_fit(n->left, size, align, vstart, vend, length);
		if (r)
			return r;
		if (fits(n, size, align, vstart, vend))
			return n;
	}
	if (n->va_end >= vend)
		return NULL;
	return lowest_fit(n->right, size, align, vstart, vend, length);
}

/*
 * Puts [va->va_start, va->va_end) back into the free tree, merged with the
 * free ranges it touches; the nodes merged away go on *dead.
 */
static void merge_into_free(struct kmm_vmalloc *vm, struct kmm_vmap_area *va,
			    struct kmm_vmap_area **dead)
{
	struct kmm_vmap_area *p = tree_pred(vm->free_root, va->va_start);
	struct kmm_vmap_area *s = tree_succ(vm->free_root, va->va_end);
	struct kmm_vmap_area *out;

	if (p && p->va_end == va->va_start) {
		out = NULL;
		vm->free_root = tree_remove(vm->free_root, p->va_start, &out);
		va->va_start = p->va_start;
		p->next = *dead;
		*dead = p;
	}
	if (s && s->va_start == va->va_end) {
		out = NULL;
		vm->free_root = tree_remove(vm->free_root, s->va_start, &out);
		va->va_end = s->va_end;
		s->next = *dead;
		*dead = s;
	}
	va->vm = NULL;
	va->flags = KMM_VA_FREE;
	vm->free_root = tree_insert(vm->free_root, va);
}

static void free_nodes(struct kmm_vmalloc *vm, struct kmm_vmap_area *list)
{
	while (list) {
		struct kmm_vmap_area *n = list->next;

		kmm_kmem_cache_free(vm->va_cache, list);
		list = n;
	}
}

int kmm_vmap_init(struct kmm_machine *m)
{
	struct kmm_vmalloc *vm = m->vmalloc;
	struct kmm_vmap_area *all;
	unsigned int log = 0;

	kmm_spin_lock_init(&vm->lock);
	kmm_spin_lock_init(&vm->purge_lock);
	kmm_spin_lock_init(&vm->deferred_lock);
	vm->va_cache = kmm_kmem_cache_create(m, "vmap_area", sizeof(struct kmm_vmap_area), 0,
					     KMM_SLAB_PANIC, NULL);
	if (!vm->va_cache)
		return -12;
	/* lazy_max_pages(): fls(num_online_cpus()) * 32 MiB of pages */
	for (unsigned int n = m->desc.nr_cpus; n; n >>= 1)
		log++;
	vm->lazy_max = log * ((32UL << 20) >> KMM_PAGE_SHIFT);
	/* set once: the worker reads it while another task may queue the work again */
	all = kmm_kmem_cache_zalloc(vm->va_cache, KMM_GFP_KERNEL);
	if (!all)
		return -12;
	all->va_start = m->layout.vmalloc_start;
	all->va_end = m->layout.vmalloc_end;
	all->flags = KMM_VA_FREE;
	vm->free_root = tree_insert(NULL, all);
	return 0;
}

static kmm_gfp_t node_gfp(kmm_gfp_t gfp)
{
	/* GFP_RECLAIM_MASK: how hard to try, never where from */
	return (gfp & (KMM___GFP_RECLAIM | KMM___GFP_IO | KMM___GFP_FS | KMM___GFP_NOWARN |
		       KMM___GFP_RETRY_MAYFAIL | KMM___GFP_NOFAIL | KMM___GFP_NORETRY |
		       KMM___GFP_MEMALLOC | KMM___GFP_NOMEMALLOC)) | KMM___GFP_ZERO;
}

struct kmm_vmap_area *kmm_alloc_vmap_area(struct kmm_machine *m, unsigned long size,
					  unsigned long align, uintptr_t vstart, uintptr_t vend,
					  kmm_gfp_t gfp, struct kmm_vm_struct *area)
{
	struct kmm_vmalloc *vm = m->vmalloc;
	struct kmm_vmap_area *va, *spare, *f, *out, *dead = NULL;
	unsigned long length = size;
	bool purged = false;
	uintptr_t a;

	if (!size || size & ~KMM_PAGE_MASK || !align || (align & (align - 1)))
		return NULL;
	if (align < KMM_PAGE_SIZE)
		align = KMM_PAGE_SIZE;
	/* a larger alignment may need up to align - PAGE_SIZE bytes more of a range */
	if (align > KMM_PAGE_SIZE)
		length = size + align - KMM_PAGE_SIZE;
	va = kmm_kmem_cache_alloc(vm->va_cache, node_gfp(gfp));
	spare = kmm_kmem_cache_alloc(vm->va_cache, node_gfp(gfp));
	if (!va || !spare)
		goto fail;
retry:
	vm_lock(m, &vm->lock);
	f = lowest_fit(vm->free_root, size, align, vstart, vend, length);
	if (!f) {
		vm_unlock(m, &vm->lock);
		if (!purged) {
			kmm_purge_vmap_areas(m);
			purged = true;
			goto retry;
		}
		if (!(gfp & KMM___GFP_NOWARN))
			kmm_core_printk(m, KMM_KERN_WARNING "vmalloc_node_range for size %lu failed: Address range restricted to %#lx - %#lx\n",
					size, (unsigned long)vstart, (unsigned long)vend);
		goto fail;
	}
	a = align_up(f->va_start > vstart ? f->va_start : vstart, align);
	out = NULL;
	vm->free_root = tree_remove(vm->free_root, f->va_start, &out);
	/* what is left of f on either side goes back: f's node, then the spare */
	if (a + size < f->va_end) {
		spare->va_start = a + size;
		spare->va_end = f->va_end;
		spare->flags = KMM_VA_FREE;
		vm->free_root = tree_insert(vm->free_root, spare);
		spare = NULL;
	}
	if (f->va_start < a) {
		f->va_end = a;
		vm->free_root = tree_insert(vm->free_root, f);
	} else {
		f->next = dead;
		dead = f;
	}
	va->va_start = a;
	va->va_end = a + size;
	va->vm = area;
	va->next = NULL;
	va->flags = KMM_VA_BUSY;
	if (area) {
		area->addr = a;
		area->size = size;
		area->va = va;
	}
	vm->busy_root = tree_insert(vm->busy_root, va);
	vm->nr_busy++;
	free_nodes(vm, dead);
	vm_unlock(m, &vm->lock);
	if (spare)
		kmm_kmem_cache_free(vm->va_cache, spare);
	return va;
fail:
	if (va)
		kmm_kmem_cache_free(vm->va_cache, va);
	if (spare)
		kmm_kmem_cache_free(vm->va_cache, spare);
	return NULL;
}

struct kmm_vmap_area *kmm_find_vmap_area_locked(struct kmm_vmalloc *vm, uintptr_t addr)
{
	return tree_find(vm->busy_root, addr);
}

struct kmm_vmap_area *kmm_unlink_vmap_area(struct kmm_machine *m, uintptr_t addr)
{
	struct kmm_vmalloc *vm = m->vmalloc;
	struct kmm_vmap_area *va = NULL;

	vm_lock(m, &vm->lock);
	va = tree_find(vm->busy_root, addr);
	if (va && va->va_start == addr) {
		va = NULL;
		vm->busy_root = tree_remove(vm->busy_root, addr, &va);
		vm->nr_busy--;
	} else {
		va = NULL;
	}
	vm_unlock(m, &vm->lock);
	return va;
}

bool kmm_free_vmap_area_lazy(struct kmm_machine *m, struct kmm_vmap_area *va)
{
	struct kmm_vmalloc *vm = m->vmalloc;
	bool purge;

	vm_lock(m, &vm->lock);
	va->vm = NULL;
	va->flags = KMM_VA_LAZY;
	vm->purge_root = tree_insert(vm->purge_root, va);
	vm->lazy_nr += kmm_va_size(va) >> KMM_PAGE_SHIFT;
	purge = vm->lazy_nr > vm->lazy_max;
	vm_unlock(m, &vm->lock);
	return purge;
}

void kmm_free_vmap_area_now(struct kmm_machine *m, struct kmm_vmap_area *va)
{
	struct kmm_vmalloc *vm = m->vmalloc;
	struct kmm_vmap_area *dead = NULL, *out = NULL;

	vm_lock(m, &vm->lock);
	/* a half-built area is still in the busy tree, where kmm_alloc_vmap_area() put it */
	vm->busy_root = tree_remove(vm->busy_root, va->va_start, &out);
	if (out == va)
		vm->nr_busy--;
	merge_into_free(vm, va, &dead);
	free_nodes(vm, dead);
	vm_unlock(m, &vm->lock);
}

static int collect(void *arg, struct kmm_vmap_area *va)
{
	struct kmm_vmap_area ***tail = arg;

	**tail = va;
	*tail = &va->next;
	va->next = NULL;
	return 0;
}

void kmm_purge_vmap_areas(struct kmm_machine *m)
{
	struct kmm_vmalloc *vm = m->vmalloc;
	struct kmm_vmap_area *root, *list = NULL, **tail = &list, *dead = NULL;

	vm_lock(m, &vm->purge_lock);
	vm_lock(m, &vm->lock);
	root = vm->purge_root;
	vm->purge_root = NULL;
	vm->lazy_nr = 0;
	if (root)
		vm->nr_purges++;
	vm_unlock(m, &vm->lock);
	/* in address order, so touching ranges are unmapped in one host call */
	kmm_vmap_tree_walk(root, collect, &tail);
	for (struct kmm_vmap_area *a = list; a;) {
		struct kmm_vmap_area *b = a;
		uintptr_t start = a->va_start;

		while (b->next && b->next->va_start == b->va_end)
			b = b->next;
		kmm_plat_unmap(m, start, b->va_end - start);
		a = b->next;
	}
	vm_lock(m, &vm->lock);
	while (list) {
		struct kmm_vmap_area *next = list->next;

		merge_into_free(vm, list, &dead);
		list = next;
	}
	free_nodes(vm, dead);
	vm_unlock(m, &vm->lock);
	vm_unlock(m, &vm->purge_lock);
}
