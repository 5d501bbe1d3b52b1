/* SPDX-License-Identifier: MIT */
/*
 * Slab allocator commands: kmalloc, kzalloc, krealloc, kfree,
 * kmem_cache_create, kmem_cache_alloc, kmem_cache_free, kmem_cache_destroy,
 * kmem_cache_shrink, slabtop. Objects are kept by name, as the page
 * allocator commands keep blocks; a name stays known after its free, so a
 * second kfree reaches the allocator, which reports what it detects on the
 * kernel log. Caches made by kmem_cache_create are kept by their name;
 * kmem_cache_alloc and kmem_cache_shrink also take any cache of the
 * machine (kmalloc-64, kmem_cache...). slabtop reads /proc/slabinfo as
 * procps' slabtop -o does.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- names ---- */

struct object {
	char name[32];
	void *ptr;
	struct kmm_kmem_cache *cache;	/* kmem_cache_alloc's cache; NULL for kmalloc */
	char cache_name[64];		/* that cache, as kmem_cache_alloc was given it */
	size_t size;			/* requested */
	kmm_gfp_t gfp;			/* of the allocation: which kmalloc cache kind */
	int freed;
};

struct cache {
	char name[64];
	struct kmm_kmem_cache *s;
	int destroyed;
};

static struct object *objects;
static size_t nr_objects, cap_objects;
static struct cache *caches;
static size_t nr_caches, cap_caches;

static struct object *object_lookup(const char *name)
{
	for (size_t i = 0; i < nr_objects; i++)
		if (!strcmp(objects[i].name, name))
			return &objects[i];
	return NULL;
}

static struct object *object_define(const char *name)
{
	struct object *o = object_lookup(name);

	if (o)
		return o;
	if (nr_objects == cap_objects) {
		size_t cap = cap_objects ? cap_objects * 2 : 64;
		struct object *no = realloc(objects, cap * sizeof(*no));

		if (!no)
			return NULL;
		objects = no;
		cap_objects = cap;
	}
	o = &objects[nr_objects++];
	memset(o, 0, sizeof(*o));
	snprintf(o->name, sizeof(o->name), "%s", name);
	return o;
}

static struct cache *cache_lookup(const char *name)
{
	for (size_t i = 0; i < nr_caches; i++)
		if (!caches[i].destroyed && !strcmp(caches[i].name, name))
			return &caches[i];
	return NULL;
}

static struct cache *cache_define(const char *name)
{
	struct cache *c;

	if (nr_caches == cap_caches) {
		size_t cap = cap_caches ? cap_caches * 2 : 16;
		struct cache *nc = realloc(caches, cap * sizeof(*nc));

		if (!nc)
			return NULL;
		caches = nc;
		cap_caches = cap;
	}
	c = &caches[nr_caches++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	return c;
}

/* A cache made here by that name, else any cache of the machine by its name. */
static struct kmm_kmem_cache *find_cache(struct kmm_machine *m, const char *name)
{
	struct cache *c = cache_lookup(name);

	if (c)
		return c->s;
	for (struct kmm_kmem_cache *s = kmm_slab_cache_next(m, NULL); s; s = kmm_slab_cache_next(m, s))
		if (!strcmp(kmm_kmem_cache_name(s), name))
			return s;
	return NULL;
}

/* ---- parsing ---- */

static const struct {
	const char *name;
	unsigned long flag;
} slab_flags[] = {
	{ "SLAB_CONSISTENCY_CHECKS", KMM_SLAB_CONSISTENCY_CHECKS },
	{ "SLAB_RED_ZONE", KMM_SLAB_RED_ZONE },
	{ "SLAB_POISON", KMM_SLAB_POISON },
	{ "SLAB_HWCACHE_ALIGN", KMM_SLAB_HWCACHE_ALIGN },
	{ "SLAB_CACHE_DMA", KMM_SLAB_CACHE_DMA },
	{ "SLAB_CACHE_DMA32", KMM_SLAB_CACHE_DMA32 },
	{ "SLAB_STORE_USER", KMM_SLAB_STORE_USER },
	{ "SLAB_RECLAIM_ACCOUNT", KMM_SLAB_RECLAIM_ACCOUNT },
	{ "SLAB_TEMPORARY", KMM_SLAB_RECLAIM_ACCOUNT },
	{ "SLAB_PANIC", KMM_SLAB_PANIC },
	{ "SLAB_TYPESAFE_BY_RCU", KMM_SLAB_TYPESAFE_BY_RCU },
	{ "SLAB_TRACE", KMM_SLAB_TRACE },
	{ "SLAB_NOLEAKTRACE", KMM_SLAB_NOLEAKTRACE },
	{ "SLAB_NO_MERGE", KMM_SLAB_NO_MERGE },
	{ "SLAB_FAILSLAB", KMM_SLAB_FAILSLAB },
	{ "SLAB_ACCOUNT", KMM_SLAB_ACCOUNT },
};

/* SLAB_* names joined by '|' (blanks allowed), or a number; *bad names the first bad word. */
static int parse_slab_flags(const char *s, unsigned long *flags, char *bad, size_t badlen)
{
	char buf[512], *save = NULL;
	int words = 0;

	*flags = 0;
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *w = strtok_r(buf, "| \t", &save); w; w = strtok_r(NULL, "| \t", &save)) {
		size_t i, n = sizeof(slab_flags) / sizeof(slab_flags[0]);
		char *end;

		words++;
		if (isdigit((unsigned char)w[0])) {
			unsigned long v;

			errno = 0;
			v = strtoul(w, &end, 0);
			if (!errno && !*end) {
				*flags |= v;
				continue;
			}
		}
		for (i = 0; i < n; i++)
			if (!strcmp(w, slab_flags[i].name))
				break;
		if (i == n) {
			snprintf(bad, badlen, "%s", w);
			return -1;
		}
		*flags |= slab_flags[i].flag;
	}
	if (!words) {
		snprintf(bad, badlen, "%s", s);
		return -1;
	}
	return 0;
}

/* ---- kmalloc and friends ---- */

static unsigned int order_of(size_t bytes)
{
	unsigned int order = 0;

	while (((size_t)KMM_PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/* "a: kmalloc-64, object 0x..., size 40, ksize 64" (or pages, or ZERO_SIZE_PTR) */
static void describe(struct kmm_machine *m, const struct object *o)
{
	size_t ksize;

	if (o->ptr == KMM_ZERO_SIZE_PTR) {
		printf("%s: ZERO_SIZE_PTR (%p), size 0, ksize 0", o->name, o->ptr);
		return;
	}
	ksize = kmm_ksize(m, o->ptr);
	if (o->cache) {
		const char *root = kmm_kmem_cache_name(o->cache);

		if (strcmp(o->cache_name, root))
			printf("%s: %s (an alias of %s), ", o->name, o->cache_name, root);
		else
			printf("%s: %s, ", o->name, root);
		printf("object %p, ksize %zu", o->ptr, ksize);
		return;
	}
	{
		/* the bucket is ksize, whatever krealloc made of the size since */
		struct kmm_kmem_cache *s = kmm_kmalloc_cache(m, ksize, o->gfp);

		if (s) {
			printf("%s: %s, ", o->name, kmm_kmem_cache_name(s));
		} else {
			unsigned int order = order_of(ksize);

			printf("%s: %lu page%s (order %u), ", o->name, 1UL << order,
			       order ? "s" : "", order);
		}
	}
	printf("object %p, size %zu, ksize %zu", o->ptr, o->size, ksize);
}

/* inline, so that the allocation's call site (slub_debug's U, kmemleak) is cli_kmalloc or cli_kzalloc */
static inline __attribute__((always_inline)) int kmalloc_common(struct kmm_machine *m, int argc,
								char **argv, int zero)
{
	const char *cmd = argv[0];
	struct object *o;
	kmm_gfp_t gfp;
	size_t size;
	void *p;

	if (argc < 3) {
		fprintf(stderr, "%s: usage: %s NAME SIZE [GFP]\n", cmd, cmd);
		return 1;
	}
	if (!cli_name_ok(cmd, argv[1], sizeof(o->name)) || cli_parse_size(cmd, argv[2], &size) ||
	    cli_parse_gfp(cmd, argc, argv, 3, &gfp))
		return 1;
	o = object_lookup(argv[1]);
	if (o && !o->freed) {
		fprintf(stderr, "%s: %s is allocated already (kfree %s first)\n", cmd, argv[1], argv[1]);
		return 1;
	}
	p = zero ? kmm_kzalloc(m, size, gfp) : kmm_kmalloc(m, size, gfp);
	if (!p) {
		fprintf(stderr, "%s: %s: %zu-byte allocation failed\n", cmd, argv[1], size);
		return 1;
	}
	o = object_define(argv[1]);
	if (!o)
		return 1;
	o->ptr = p;
	o->cache = NULL;
	o->size = size;
	o->gfp = gfp;
	o->freed = 0;
	describe(m, o);
	printf("\n");
	return 0;
}

int cli_kmalloc(struct kmm_machine *m, int argc, char **argv)
{
	return kmalloc_common(m, argc, argv, 0);
}

int cli_kzalloc(struct kmm_machine *m, int argc, char **argv)
{
	return kmalloc_common(m, argc, argv, 1);
}

int cli_krealloc(struct kmm_machine *m, int argc, char **argv)
{
	struct object *o;
	kmm_gfp_t gfp;
	size_t size;
	void *old, *p;

	if (argc < 3) {
		fprintf(stderr, "krealloc: usage: krealloc NAME SIZE [GFP]\n");
		return 1;
	}
	if (!cli_name_ok(argv[0], argv[1], sizeof(o->name)) || cli_parse_size(argv[0], argv[2], &size) ||
	    cli_parse_gfp(argv[0], argc, argv, 3, &gfp))
		return 1;
	o = object_lookup(argv[1]);
	if (o && o->freed) {
		fprintf(stderr, "krealloc: %s was freed (kmalloc it again)\n", argv[1]);
		return 1;
	}
	/* an unknown name is krealloc(NULL, SIZE): kmalloc */
	old = o ? o->ptr : NULL;
	p = kmm_krealloc(m, old, size, gfp);
	if (!p) {
		fprintf(stderr, "krealloc: %s: %zu-byte allocation failed%s\n", argv[1], size,
			old ? " (the old object is kept)" : "");
		return 1;
	}
	o = o ? o : object_define(argv[1]);
	if (!o)
		return 1;
	o->ptr = p;
	o->size = size;
	if (p != old) {
		o->cache = NULL;	/* a new object: kmalloc's */
		o->gfp = gfp;
	}
	describe(m, o);
	if (!old || old == KMM_ZERO_SIZE_PTR)
		printf(", new\n");
	else if (p == KMM_ZERO_SIZE_PTR)
		printf(", %p freed\n", old);
	else if (p == old)
		printf(", in place\n");
	else
		printf(", moved from %p\n", old);
	return 0;
}

int cli_kfree(struct kmm_machine *m, int argc, char **argv)
{
	struct object *o;

	if (argc != 2) {
		fprintf(stderr, "kfree: usage: kfree NAME\n");
		return 1;
	}
	o = object_lookup(argv[1]);
	if (!o) {
		fprintf(stderr, "kfree: %s: no such object\n", argv[1]);
		return 1;
	}
	kmm_kfree(m, o->ptr);
	o->freed++;
	if (o->freed > 1) {
		/* the allocator has reported what it detects on the kernel log */
		fprintf(stderr, "kfree: %s was freed already: the kernel log has the report\n", argv[1]);
		return 1;
	}
	return 0;
}

/* ---- caches ---- */

int cli_kmem_cache_create(struct kmm_machine *m, int argc, char **argv)
{
	const char *cmd = argv[0];
	unsigned long flags = 0;
	size_t size, align = 0;
	struct kmm_slab_stats st;
	struct kmm_kmem_cache *s;
	struct cache *c;
	int next = 3;

	if (argc < 3) {
		fprintf(stderr, "%s: usage: %s CACHE SIZE [ALIGN] [FLAGS]\n", cmd, cmd);
		return 1;
	}
	if (!cli_name_ok(cmd, argv[1], sizeof(c->name)) || cli_parse_size(cmd, argv[2], &size))
		return 1;
	if (size > 0xffffffffUL) {
		fprintf(stderr, "%s: %s: size too large\n", cmd, argv[2]);
		return 1;
	}
	/* ALIGN is a number; a first optional word that is not one starts FLAGS */
	if (argc > next && isdigit((unsigned char)argv[next][0])) {
		if (cli_parse_size(cmd, argv[next], &align))
			return 1;
		if (align > 0xffffffffUL) {
			fprintf(stderr, "%s: %s: invalid alignment\n", cmd, argv[next]);
			return 1;
		}
		next++;
	}
	if (argc > next) {
		char buf[512] = "", bad[128];

		for (int i = next; i < argc; i++) {
			strncat(buf, argv[i], sizeof(buf) - strlen(buf) - 2);
			strcat(buf, " ");
		}
		if (parse_slab_flags(buf, &flags, bad, sizeof(bad))) {
			fprintf(stderr, "%s: invalid flags at '%s' (SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|..., or a number)\n",
				cmd, bad);
			return 1;
		}
	}
	if (cache_lookup(argv[1])) {
		fprintf(stderr, "%s: %s exists already (kmem_cache_destroy %s first)\n", cmd, argv[1], argv[1]);
		return 1;
	}
	s = kmm_kmem_cache_create(m, argv[1], (unsigned int)size, (unsigned int)align, flags, NULL);
	if (!s) {
		const char *why = kmm_last_error();

		fprintf(stderr, "%s: %s: creation failed%s%s\n", cmd, argv[1], why && *why ? ": " : "",
			why ? why : "");
		return 1;
	}
	c = cache_define(argv[1]);
	if (!c)
		return 1;
	c->s = s;
	memset(&st, 0, sizeof(st));
	kmm_kmem_cache_stats(s, &st);
	if (strcmp(kmm_kmem_cache_name(s), argv[1]))
		printf("%s: an alias of %s: ", argv[1], kmm_kmem_cache_name(s));
	else
		printf("%s: ", argv[1]);
	printf("object_size %u, slab_size %u, align %u, %u objects per slab of order %u\n",
	       st.object_size, st.size, st.align, st.objs_per_slab, st.order);
	return 0;
}

static int still_listed(struct kmm_machine *m, struct kmm_kmem_cache *s)
{
	for (struct kmm_kmem_cache *x = kmm_slab_cache_next(m, NULL); x; x = kmm_slab_cache_next(m, x))
		if (x == s)
			return 1;
	return 0;
}

int cli_kmem_cache_destroy(struct kmm_machine *m, int argc, char **argv)
{
	struct kmm_slab_stats st;
	struct cache *c;
	int shared = 0;

	if (argc != 2) {
		fprintf(stderr, "kmem_cache_destroy: usage: kmem_cache_destroy CACHE\n");
		return 1;
	}
	c = cache_lookup(argv[1]);
	if (!c) {
		fprintf(stderr, "kmem_cache_destroy: %s: no cache of that name was made by kmem_cache_create\n",
			argv[1]);
		return 1;
	}
	for (size_t i = 0; i < nr_caches; i++)
		if (&caches[i] != c && !caches[i].destroyed && caches[i].s == c->s)
			shared = 1;
	c->destroyed = 1;
	memset(&st, 0, sizeof(st));
	kmm_kmem_cache_stats(c->s, &st);
	kmm_kmem_cache_destroy(c->s);
	/*
	 * The last reference (no alias left): the cache goes, unless objects
	 * remain; then the kernel reports them and the cache stays, leaked.
	 */
	if (!shared && st.aliases == 0 && still_listed(m, c->s)) {
		fprintf(stderr, "kmem_cache_destroy: %s still has objects: the kernel log has the report\n",
			argv[1]);
		return 1;
	}
	return 0;
}

int cli_kmem_cache_shrink(struct kmm_machine *m, int argc, char **argv)
{
	struct kmm_kmem_cache *s;
	struct kmm_slab_stats st;

	if (argc != 2) {
		fprintf(stderr, "kmem_cache_shrink: usage: kmem_cache_shrink CACHE\n");
		return 1;
	}
	s = find_cache(m, argv[1]);
	if (!s) {
		fprintf(stderr, "kmem_cache_shrink: %s: no such cache\n", argv[1]);
		return 1;
	}
	kmm_kmem_cache_shrink(s);	/* 1 when slabs remain: the counts say it */
	memset(&st, 0, sizeof(st));
	kmm_kmem_cache_stats(s, &st);
	printf("%s: %lu slab%s left (%lu partial), %lu of %lu objects in use\n",
	       kmm_kmem_cache_name(s), st.num_slabs, st.num_slabs == 1 ? "" : "s",
	       st.partial_slabs, st.active_objs, st.num_objs);
	return 0;
}

int cli_kmem_cache_alloc(struct kmm_machine *m, int argc, char **argv)
{
	struct kmm_kmem_cache *s;
	struct object *o;
	kmm_gfp_t gfp;
	void *p;

	if (argc < 3) {
		fprintf(stderr, "kmem_cache_alloc: usage: kmem_cache_alloc NAME CACHE [GFP]\n");
		return 1;
	}
	if (!cli_name_ok(argv[0], argv[1], sizeof(o->name)) || cli_parse_gfp(argv[0], argc, argv, 3, &gfp))
		return 1;
	s = find_cache(m, argv[2]);
	if (!s) {
		fprintf(stderr, "kmem_cache_alloc: %s: no such cache\n", argv[2]);
		return 1;
	}
	o = object_lookup(argv[1]);
	if (o && !o->freed) {
		fprintf(stderr, "kmem_cache_alloc: %s is allocated already (kmem_cache_free %s first)\n",
			argv[1], argv[1]);
		return 1;
	}
	p = kmm_kmem_cache_alloc(s, gfp);
	if (!p) {
		fprintf(stderr, "kmem_cache_alloc: %s: allocation from %s failed\n", argv[1], argv[2]);
		return 1;
	}
	o = object_define(argv[1]);
	if (!o)
		return 1;
	o->ptr = p;
	o->cache = s;
	snprintf(o->cache_name, sizeof(o->cache_name), "%s", argv[2]);
	o->size = kmm_kmem_cache_size(s);
	o->gfp = gfp;
	o->freed = 0;
	describe(m, o);
	printf("\n");
	return 0;
}

int cli_kmem_cache_free(struct kmm_machine *m, int argc, char **argv)
{
	struct object *o;

	(void)m;
	if (argc != 2) {
		fprintf(stderr, "kmem_cache_free: usage: kmem_cache_free NAME\n");
		return 1;
	}
	o = object_lookup(argv[1]);
	if (!o) {
		fprintf(stderr, "kmem_cache_free: %s: no such object\n", argv[1]);
		return 1;
	}
	if (!o->cache) {
		fprintf(stderr, "kmem_cache_free: %s is not from kmem_cache_alloc (kfree %s)\n", argv[1],
			argv[1]);
		return 1;
	}
	kmm_kmem_cache_free(o->cache, o->ptr);
	o->freed++;
	if (o->freed > 1) {
		fprintf(stderr, "kmem_cache_free: %s was freed already: the kernel log has the report\n",
			argv[1]);
		return 1;
	}
	return 0;
}

/* ---- slabtop ---- */

/* One line of /proc/slabinfo, as procps' library/slabinfo.c reads it. */
struct slab_node {
	char name[129];
	unsigned int nr_active_objs, nr_objs, obj_size, objs_per_slab, pages_per_slab;
	unsigned int nr_active_slabs, nr_slabs, use;
	unsigned long cache_size;
	size_t order;	/* in /proc/slabinfo, for a stable sort */
};

static char sort_key = 'o';

static int node_cmp(const struct slab_node *a, const struct slab_node *b)
{
	unsigned long x, y;

	switch (sort_key) {
	case 'n': return strcmp(a->name, b->name);	/* ascending */
	case 'a': x = a->nr_active_objs; y = b->nr_active_objs; break;
	case 's': x = a->obj_size; y = b->obj_size; break;
	case 'b': x = a->objs_per_slab; y = b->objs_per_slab; break;
	case 'p': x = a->pages_per_slab; y = b->pages_per_slab; break;
	case 'l': x = a->nr_slabs; y = b->nr_slabs; break;
	case 'v': x = a->nr_active_slabs; y = b->nr_active_slabs; break;
	case 'c': x = a->cache_size; y = b->cache_size; break;
	case 'u': x = a->use; y = b->use; break;
	default: x = a->nr_objs; y = b->nr_objs; break;
	}
	return x > y ? -1 : x < y ? 1 : 0;	/* descending */
}

static int node_sort(const void *pa, const void *pb)
{
	const struct slab_node *a = pa, *b = pb;
	int r = node_cmp(a, b);

	/* ties keep /proc/slabinfo's order */
	return r ? r : a->order < b->order ? -1 : a->order > b->order;
}

int cli_slabtop(struct kmm_machine *m, int argc, char **argv)
{
	unsigned int min_size = ~0U, max_size = 0, avg_size = 0, caches_active = 0;
	unsigned int tot_objs = 0, tot_active = 0, tot_slabs = 0, tot_aslabs = 0;
	unsigned long active_size = 0, total_size = 0;
	struct slab_node *nodes = NULL;
	size_t n = 0, cap = 0, bufsize = 1 << 16;
	char *buf = NULL, *line, *save = NULL;
	long len;

	sort_key = 'o';
	if (argc == 3 && !strcmp(argv[1], "-s") && argv[2][0] && strchr("abclvnopsu", tolower((unsigned char)argv[2][0])))
		sort_key = (char)tolower((unsigned char)argv[2][0]);
	else if (argc != 1) {
		fprintf(stderr, "slabtop: usage: slabtop [-s a|b|c|l|v|n|o|p|s|u]\n");
		return 1;
	}
	for (;;) {
		char *nb = realloc(buf, bufsize);

		if (!nb) {
			free(buf);
			return 1;
		}
		buf = nb;
		len = kmm_proc_read(m, "/proc/slabinfo", buf, bufsize);
		if (len < 0 || (size_t)len < bufsize)
			break;
		bufsize = (size_t)len + 1;
	}
	if (len < 0 || strncmp(buf, "slabinfo - version: 2.", 22)) {
		fprintf(stderr, "slabtop: /proc/slabinfo: %s\n",
			len < 0 ? strerror((int)-len) : "no slab allocator on this machine");
		free(buf);
		return 1;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct slab_node *d;

		if (line[0] == '#' || !strncmp(line, "slabinfo - ", 11))
			continue;
		if (n == cap) {
			struct slab_node *nn = realloc(nodes, (cap = cap ? cap * 2 : 128) * sizeof(*nn));

			if (!nn) {
				free(nodes);
				free(buf);
				return 1;
			}
			nodes = nn;
		}
		d = &nodes[n];
		memset(d, 0, sizeof(*d));
		if (sscanf(line, "%128s %u %u %u %u %u : tunables %*u %*u %*u : slabdata %u %u %*u",
			   d->name, &d->nr_active_objs, &d->nr_objs, &d->obj_size, &d->objs_per_slab,
			   &d->pages_per_slab, &d->nr_active_slabs, &d->nr_slabs) < 8)
			continue;
		d->order = n++;
		d->cache_size = (unsigned long)d->nr_slabs * d->pages_per_slab * KMM_PAGE_SIZE;
		if (d->nr_objs) {
			d->use = (unsigned int)(100 * ((float)d->nr_active_objs / d->nr_objs));
			caches_active++;
		}
		if (d->obj_size < min_size)
			min_size = d->obj_size;
		if (d->obj_size > max_size)
			max_size = d->obj_size;
		tot_objs += d->nr_objs;
		tot_active += d->nr_active_objs;
		total_size += (unsigned long)d->nr_objs * d->obj_size;
		active_size += (unsigned long)d->nr_active_objs * d->obj_size;
		tot_slabs += d->nr_slabs;
		tot_aslabs += d->nr_active_slabs;
	}
	if (tot_objs)
		avg_size = (unsigned int)(total_size / tot_objs);
	if (!n)
		min_size = 0;
	qsort(nodes, n, sizeof(*nodes), node_sort);

#define PCT(a, b) ((b) ? 100.0 * (double)(a) / (double)(b) : 0.0)
	printf(" %-35s: %u / %u (%.1f%%)\n", "Active / Total Objects (% used)", tot_active, tot_objs,
	       PCT(tot_active, tot_objs));
	printf(" %-35s: %u / %u (%.1f%%)\n", "Active / Total Slabs (% used)", tot_aslabs, tot_slabs,
	       PCT(tot_aslabs, tot_slabs));
	printf(" %-35s: %u / %u (%.1f%%)\n", "Active / Total Caches (% used)", caches_active,
	       (unsigned int)n, PCT(caches_active, n));
	printf(" %-35s: %.2fK / %.2fK (%.1f%%)\n", "Active / Total Size (% used)",
	       (double)active_size / 1024.0, (double)total_size / 1024.0, PCT(active_size, total_size));
	printf(" %-35s: %.2fK / %.2fK / %.2fK\n\n", "Minimum / Average / Maximum Object",
	       min_size / 1024.0, avg_size / 1024.0, max_size / 1024.0);
#undef PCT
	printf("%-78s\n", "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME");
	for (size_t i = 0; i < n; i++) {
		const struct slab_node *d = &nodes[i];

		printf("%6u %6u %3u%% %7.2fK %6u %8u %9luK %-23s\n", d->nr_objs, d->nr_active_objs,
		       d->use, d->obj_size / 1024.0, d->nr_slabs, d->objs_per_slab,
		       d->cache_size / 1024, d->name);
	}
	free(nodes);
	free(buf);
	return 0;
}
