/* SPDX-License-Identifier: MIT */
/*
 * The slab allocator's reports: /proc/slabinfo and /sys/kernel/slab/<cache>/<attr>.
 *
 * /proc/slabinfo is mm/slab_common.c's slab_show/cache_show with SLUB's
 * get_slabinfo (mm/slub.c): the version 2.1 header, then one line per cache
 * of slab_caches. The kernel adds a new cache at the head of that list
 * (list_add in create_cache) and the seq_file walks it from the head, so the
 * newest cache comes first and the boot's "kmem_cache" last;
 * kmm_slab_cache_next() walks oldest first, so the lines are printed in the
 * reverse of its order. Only root caches are on the list: a cache merged
 * into another (an alias) has no line of its own. SLUB has no tunables and no
 * shared arrays: limit, batchcount, sharedfactor and sharedavail are 0, and
 * active_slabs is num_slabs. active_objs is what kmm_kmem_cache_stats()
 * counts (SLUB: every object of a slab that is not on the node partial list
 * counts as active, free objects of the per-CPU slabs included).
 *
 * Slab, SReclaimable and SUnreclaim of /proc/meminfo (kmm_proc_slab_pages):
 * the pages of every root cache's slabs (num_slabs << order), reclaimable
 * for SLAB_RECLAIM_ACCOUNT caches (kmalloc-rcl-* among them), plus the pages
 * of large kmallocs, which recent kernels count as unreclaimable slab
 * (NR_SLAB_UNRECLAIMABLE_B in __kmalloc_large_node).
 *
 * /sys/kernel/slab/<cache>/<attr> are SLUB's sysfs attributes (mm/slub.c
 * *_show), one directory per root cache, named as the cache: the counting
 * attributes (objects, slabs, partial, total_objects, cpu_slabs) print the
 * total, then " N0=<n>" when it is not 0 on profiles whose kernel is built
 * with NUMA (show_slab_objects), then a newline; the others a number and a
 * newline. `shrink` is the one writable attribute: writing 1 runs
 * kmem_cache_shrink(). Reading a cache's directory gives -EISDIR. SLUB's
 * ":t-0000064"-style unique names and the alias symlinks are not modelled.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <kmm/slab.h>

#include "mmstat.h"
#include "../core/slab.h"

#define SYSFS_SLAB "/sys/kernel/slab/"

/*
 * The walks hold slab_mutex (m->slab->lock), as the kernel's slab_start()
 * does: no cache is unlinked and freed under a walk. Lock order: the cache
 * list, then a cache's list_lock (kmm_kmem_cache_stats).
 */
static bool lock_caches(struct kmm_machine *m)
{
	if (!kmm_proc_have_page_alloc(m) || !m->slab)
		return false;
	kmm_spin_lock(&m->slab->lock);
	return true;
}

static void unlock_caches(struct kmm_machine *m)
{
	kmm_spin_unlock(&m->slab->lock);
}

/* The caches, newest first (the kernel's slab_caches order); *n of them. Under lock_caches(). */
static struct kmm_kmem_cache **caches_newest_first(struct kmm_machine *m, size_t *n)
{
	struct kmm_kmem_cache **v, *c;
	size_t count = 0, i = 0;

	*n = 0;
	for (c = kmm_slab_cache_next(m, NULL); c; c = kmm_slab_cache_next(m, c))
		count++;
	if (!count)
		return NULL;
	v = malloc(count * sizeof(*v));
	if (!v)
		return NULL;
	for (c = kmm_slab_cache_next(m, NULL); c; c = kmm_slab_cache_next(m, c))
		v[count - 1 - i++] = c;
	*n = count;
	return v;
}

static void cache_show(struct kmm_kmem_cache *c, struct kmm_seq *s)
{
	struct kmm_slab_stats st;

	memset(&st, 0, sizeof(st));
	kmm_kmem_cache_stats(c, &st);
	kmm_seq_printf(s, "%-17s %6lu %6lu %6u %4u %4d", kmm_kmem_cache_name(c), st.active_objs,
		       st.num_objs, st.size, st.objs_per_slab, 1 << st.order);
	kmm_seq_printf(s, " : tunables %4u %4u %4u", 0U, 0U, 0U);
	kmm_seq_printf(s, " : slabdata %6lu %6lu %6lu", st.num_slabs, st.num_slabs, 0UL);
	kmm_seq_putc(s, '\n');
}

void kmm_proc_slabinfo_show(struct kmm_machine *m, struct kmm_seq *s)
{
	struct kmm_kmem_cache **v;
	size_t n;

	if (!lock_caches(m))
		return;
	v = caches_newest_first(m, &n);
	if (!n) {
		unlock_caches(m);
		return;
	}
	kmm_seq_puts(s, "slabinfo - version: 2.1\n");
	kmm_seq_puts(s, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>");
	kmm_seq_puts(s, " : tunables <limit> <batchcount> <sharedfactor>");
	kmm_seq_puts(s, " : slabdata <active_slabs> <num_slabs> <sharedavail>");
	kmm_seq_putc(s, '\n');
	for (size_t i = 0; i < n; i++)
		cache_show(v[i], s);
	unlock_caches(m);
	free(v);
}

void kmm_proc_slab_pages(struct kmm_machine *m, unsigned long *reclaimable,
			 unsigned long *unreclaimable)
{
	*reclaimable = *unreclaimable = 0;
	if (!lock_caches(m))
		return;
	for (struct kmm_kmem_cache *c = kmm_slab_cache_next(m, NULL); c;
	     c = kmm_slab_cache_next(m, c)) {
		struct kmm_slab_stats st;
		unsigned long pages;

		memset(&st, 0, sizeof(st));
		kmm_kmem_cache_stats(c, &st);
		/* NR_SLAB_RECLAIMABLE_B / NR_SLAB_UNRECLAIMABLE_B, by the cache's flag */
		pages = st.num_slabs << st.order;
		if (st.flags & KMM_SLAB_RECLAIM_ACCOUNT)
			*reclaimable += pages;
		else
			*unreclaimable += pages;
	}
	unlock_caches(m);
	/* kmalloc above KMALLOC_MAX_CACHE_SIZE: pages accounted as NR_SLAB_UNRECLAIMABLE_B */
	*unreclaimable += (unsigned long)kmm_slab_large_kmalloc_pages(m);
}

/* ---- /sys/kernel/slab ---- */

enum so_what { SO_PARTIAL, SO_ALL, SO_ALL_TOTAL, SO_ALL_OBJECTS, SO_CPU };

struct slab_attr {
	const char *name;
	/* a number and "\n", or NULL for show_slab_objects() */
	unsigned long (*value)(const struct kmm_slab_stats *st);
	enum so_what what;
	bool writable;
};

#define V(field) \
	static unsigned long v_##field(const struct kmm_slab_stats *st) { return (unsigned long)st->field; }
V(size)
V(align)
V(object_size)
V(objs_per_slab)
V(order)
V(min_partial)
#undef V

/* aliases_show(): refcount - 1, never below 0 */
static unsigned long v_aliases(const struct kmm_slab_stats *st)
{
	return st->aliases < 0 ? 0 : (unsigned long)st->aliases;
}

#define FLAG(fname, flag) \
	static unsigned long v_##fname(const struct kmm_slab_stats *st) { return !!(st->flags & (flag)); }
FLAG(reclaim_account, KMM_SLAB_RECLAIM_ACCOUNT)
FLAG(hwcache_align, KMM_SLAB_HWCACHE_ALIGN)
FLAG(cache_dma, KMM_SLAB_CACHE_DMA)
FLAG(destroy_by_rcu, KMM_SLAB_TYPESAFE_BY_RCU)
FLAG(sanity_checks, KMM_SLAB_CONSISTENCY_CHECKS)
FLAG(trace, KMM_SLAB_TRACE)
FLAG(red_zone, KMM_SLAB_RED_ZONE)
FLAG(poison, KMM_SLAB_POISON)
FLAG(store_user, KMM_SLAB_STORE_USER)
FLAG(failslab, KMM_SLAB_FAILSLAB)
#undef FLAG

/*
 * cpu_partial: s->cpu_partial, the per-CPU partial budget in objects, as
 * set_cpu_partial() sets it from the object stride (0 for a cache without
 * per-CPU partial slabs; kmm_slab_stats carries only the budget in slabs).
 */
static unsigned long v_cpu_partial(const struct kmm_slab_stats *st)
{
	if (!st->cpu_partial_slabs)
		return 0;
	if (st->size >= KMM_PAGE_SIZE)
		return 6;
	if (st->size >= 1024)
		return 24;
	if (st->size >= 256)
		return 52;
	return 120;
}

/* Alphabetical, as ls lists a cache's directory. */
static const struct slab_attr slab_attrs[] = {
	{ "aliases", v_aliases, 0, false },
	{ "align", v_align, 0, false },
	{ "cache_dma", v_cache_dma, 0, false },
	{ "cpu_partial", v_cpu_partial, 0, false },
	{ "cpu_slabs", NULL, SO_CPU, false },
	{ "destroy_by_rcu", v_destroy_by_rcu, 0, false },
	{ "failslab", v_failslab, 0, false },
	{ "hwcache_align", v_hwcache_align, 0, false },
	{ "min_partial", v_min_partial, 0, false },
	{ "object_size", v_object_size, 0, false },
	{ "objects", NULL, SO_ALL_OBJECTS, false },
	{ "objs_per_slab", v_objs_per_slab, 0, false },
	{ "order", v_order, 0, false },
	{ "partial", NULL, SO_PARTIAL, false },
	{ "poison", v_poison, 0, false },
	{ "reclaim_account", v_reclaim_account, 0, false },
	{ "red_zone", v_red_zone, 0, false },
	{ "sanity_checks", v_sanity_checks, 0, false },
	{ "shrink", NULL, 0, true },
	{ "slab_size", v_size, 0, false },
	{ "slabs", NULL, SO_ALL, false },
	{ "store_user", v_store_user, 0, false },
	{ "total_objects", NULL, SO_ALL_TOTAL, false },
	{ "trace", v_trace, 0, false },
};
#define NR_SLAB_ATTRS (sizeof(slab_attrs) / sizeof(slab_attrs[0]))

static struct kmm_kmem_cache *cache_by_name(struct kmm_machine *m, const char *name, size_t len)
{
	for (struct kmm_kmem_cache *c = kmm_slab_cache_next(m, NULL); c;
	     c = kmm_slab_cache_next(m, c)) {
		const char *cn = kmm_kmem_cache_name(c);

		if (strlen(cn) == len && !memcmp(cn, name, len))
			return c;
	}
	return NULL;
}

/*
 * Splits "/sys/kernel/slab/<cache>/<attr>": the cache and the attribute
 * (NULL for the cache's directory). 0, or -ENOENT (or -EISDIR for a
 * directory). Under lock_caches().
 */
static int lookup(struct kmm_machine *m, const char *path, struct kmm_kmem_cache **cache,
		  const struct slab_attr **attr)
{
	const char *name = path + strlen(SYSFS_SLAB), *slash;
	size_t len;

	if (strncmp(path, SYSFS_SLAB, strlen(SYSFS_SLAB)))
		return -ENOENT;
	slash = strchr(name, '/');
	len = slash ? (size_t)(slash - name) : strlen(name);
	if (!len)
		return -EISDIR;	/* /sys/kernel/slab/ itself */
	*cache = cache_by_name(m, name, len);
	if (!*cache)
		return -ENOENT;
	if (!slash || !slash[1])
		return -EISDIR;
	for (size_t i = 0; i < NR_SLAB_ATTRS; i++)
		if (!strcmp(slab_attrs[i].name, slash + 1)) {
			*attr = &slab_attrs[i];
			return 0;
		}
	return -ENOENT;
}

/* show_slab_objects(): the total, then per node on NUMA kernels. */
static void show_slab_objects(struct kmm_machine *m, struct kmm_seq *s,
			      const struct kmm_slab_stats *st, enum so_what what)
{
	unsigned long total = 0;

	switch (what) {
	case SO_PARTIAL:
		total = st->partial_slabs;
		break;
	case SO_ALL:
		total = st->num_slabs;
		break;
	case SO_ALL_TOTAL:
		total = st->num_objs;
		break;
	case SO_ALL_OBJECTS:
		total = st->active_objs;
		break;
	case SO_CPU:
		total = st->cpu_slabs;
		break;
	}
	kmm_seq_printf(s, "%lu", total);
	if (m->mbc.numa && total)
		kmm_seq_printf(s, " N%d=%lu", m->pgdat->node_id, total);
	kmm_seq_putc(s, '\n');
}

int kmm_proc_slab_sysfs_read(struct kmm_machine *m, const char *path, struct kmm_seq *s)
{
	struct kmm_kmem_cache *c = NULL;
	const struct slab_attr *a = NULL;
	struct kmm_slab_stats st;
	int ret;

	if (strncmp(path, SYSFS_SLAB, strlen(SYSFS_SLAB)) || !lock_caches(m))
		return -ENOENT;
	ret = lookup(m, path, &c, &a);
	if (!ret) {
		memset(&st, 0, sizeof(st));
		kmm_kmem_cache_stats(c, &st);
		if (a->value)
			kmm_seq_printf(s, "%lu\n", a->value(&st));
		else if (!a->writable)
			show_slab_objects(m, s, &st, a->what);
		/* shrink reads empty */
	}
	unlock_caches(m);
	return ret;
}

int kmm_proc_slab_sysfs_write(struct kmm_machine *m, const char *path, const char *value)
{
	struct kmm_kmem_cache *c = NULL;
	const struct slab_attr *a = NULL;
	int ret;

	if (strncmp(path, SYSFS_SLAB, strlen(SYSFS_SLAB)) || !lock_caches(m))
		return -ENOENT;
	ret = lookup(m, path, &c, &a);
	if (!ret && !a->writable)
		ret = -EACCES;
	/* shrink_store(): "1" shrinks, anything else is -EINVAL */
	if (!ret && (value[0] != '1' || (value[1] && strcmp(value + 1, "\n"))))
		ret = -EINVAL;
	if (ret) {
		unlock_caches(m);
		return ret == -EISDIR ? -EACCES : ret;
	}
	/*
	 * A reference, as sysfs holds the cache's kobject, so that the cache
	 * outlives the shrink (which runs on every CPU, so not under the list's
	 * lock); kmem_cache_destroy() drops it, and only destroys the cache if
	 * its last user destroyed it meanwhile.
	 */
	c->refcount++;
	unlock_caches(m);
	kmm_kmem_cache_shrink(c);
	kmm_kmem_cache_destroy(c);
	return 0;
}

void kmm_proc_slab_sysfs_list(struct kmm_machine *m, struct kmm_seq *s)
{
	if (!lock_caches(m))
		return;
	for (struct kmm_kmem_cache *c = kmm_slab_cache_next(m, NULL); c;
	     c = kmm_slab_cache_next(m, c))
		for (size_t i = 0; i < NR_SLAB_ATTRS; i++)
			kmm_seq_printf(s, SYSFS_SLAB "%s/%s%s\n", kmm_kmem_cache_name(c),
				       slab_attrs[i].name, slab_attrs[i].writable ? " (writable)" : "");
	unlock_caches(m);
}
