/* SPDX-License-Identifier: MIT */
/*
 * The replay engine: each event of a trace becomes the kmm call it records,
 * made on the CPU of the trace's CPU column (kmm_sched_setcpu), so per-CPU
 * slabs and page lists fill and drain as they did on the recorded machine.
 *
 * A trace's pointers and pfns name its objects and pages: the tables objs
 * and pages map them to what kmm gave for them. A free of something the
 * trace never allocated (it began in the middle of a running system) is
 * counted as unmatched and skipped. Caches are created when first named,
 * with the trace's name and object size; kmalloc-* names go to kmalloc.
 *
 * Besides replaying, the engine tallies what perf kmem stat tallies from the
 * same events (requested and allocated bytes per call site, ping-pong, page
 * requests by order and migrate type), so the report can be compared with
 * it, and what kmm made of them: its own rounding, its failures, and the
 * machine's free memory and fragmentation at the peak and over time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replay.h"

/* what a live trace object is in kmm */
struct robj {
	void *obj;
	uint32_t site, cache;	/* cache: index + 1 in r->cache, 0 for kmalloc */
	uint32_t bytes_req, bytes_alloc, kmm_bytes;
	int16_t cpu;
	uint8_t large_order;	/* a large kmalloc: its order + 1, else 0 */
};

struct rpage {
	struct kmm_page *page;
	uint8_t order;
	int8_t mt;
	int16_t cpu;
};

/* how many events after its mm_page_free an mm_page_free_batched still names the same free */
#define RECENT_FREE_WINDOW 65536

/* what one file's reader ids mean in the engine's string table */
struct xlate {
	struct rmap map;	/* reader id -> engine id */
	const struct trace_reader *rd;
};

static uint32_t xl(struct replay *r, struct xlate *x, uint32_t id)
{
	uint32_t *e;
	bool isnew;

	if (!id)
		return 0;
	e = rmap_put(&x->map, id, &isnew);
	if (!e)
		return 0;
	if (isnew)
		*e = rstr_intern(&r->str, trace_str(x->rd, id));
	return *e;
}

static unsigned long slab_pages(struct replay *r);

int replay_init(struct replay *r, struct kmm_machine *m, enum replay_level level, uint64_t every)
{
	memset(r, 0, sizeof(*r));
	r->m = m;
	r->level = level;
	r->every = every;
	r->nr_cpus = (int)kmm_nr_cpus(m);
	if (rmap_init(&r->objs, sizeof(struct robj)) || rmap_init(&r->pages, sizeof(struct rpage)) ||
	    rmap_init(&r->sites, sizeof(uint32_t)) || rmap_init(&r->caches, sizeof(uint32_t)) ||
	    rmap_init(&r->groups, sizeof(uint32_t)) || rmap_init(&r->recent_frees, sizeof(uint64_t)) ||
	    rmap_init(&r->failure_index, sizeof(uint32_t))) {
		fprintf(stderr, "kmm replay: out of memory\n");
		return -1;
	}
	kmm_quiesce(m);
	r->boot_free = kmm_nr_free_pages(m);
	r->boot_slab_pages = slab_pages(r);
	replay_snapshot(r, &r->peak);
	r->next_snap = 0;
	return 0;
}

/* ---- tallies ---- */

static void *grow_array(void *arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 64;
	void *na = realloc(arr, ncap * size);

	if (na)
		*cap = ncap;
	return na;
}

static struct replay_site *site_of(struct replay *r, uint32_t name)
{
	bool isnew;
	uint32_t *idx = rmap_put(&r->sites, name, &isnew);
	struct replay_site *ns;

	if (!idx)
		return NULL;
	if (!isnew)
		return &r->site[*idx];
	ns = grow_array(r->site, &r->cap_sites, r->nr_sites, sizeof(*ns));
	if (!ns) {
		rmap_del(&r->sites, name);
		return NULL;
	}
	r->site = ns;
	*idx = (uint32_t)r->nr_sites;
	memset(&r->site[r->nr_sites], 0, sizeof(r->site[0]));
	r->site[r->nr_sites].name = name;
	return &r->site[r->nr_sites++];
}

static bool same_failure(const struct replay_failure *f, const struct trace_event *ev,
			 uint32_t site, uint32_t task, uint32_t cache)
{
	return f->type == ev->type && f->site == site && f->cache == cache && f->gfp == ev->gfp &&
	       (ev->type == TEV_PAGE_ALLOC ? f->order == ev->order && f->task == task
					   : f->size == ev->bytes_req);
}

static void add_failure(struct replay *r, const struct trace_event *ev, uint32_t site, uint32_t task,
			uint32_t cache)
{
	uint64_t key = ((uint64_t)ev->type << 56) ^ ((uint64_t)site << 32) ^ ((uint64_t)cache << 20) ^
		       (uint64_t)ev->gfp * 0x9e3779b97f4a7c15ULL ^
		       (ev->type == TEV_PAGE_ALLOC ? ((uint64_t)task << 8) ^ ev->order : ev->bytes_req);
	struct replay_failure *f, *nf;
	uint32_t *idx;
	bool isnew;

	r->nr_failures++;
	/* equal keys of different kinds probe on */
	for (;; key++) {
		idx = rmap_put(&r->failure_index, key & (UINT64_MAX >> 1), &isnew);
		if (!idx)
			return;
		if (isnew)
			break;
		f = &r->failure[*idx];
		if (same_failure(f, ev, site, task, cache)) {
			f->count++;
			f->last_ts_ns = ev->ts_ns;
			return;
		}
	}
	nf = grow_array(r->failure, &r->cap_failure_kinds, r->nr_failure_kinds, sizeof(*nf));
	if (!nf) {
		rmap_del(&r->failure_index, key & (UINT64_MAX >> 1));
		return;
	}
	r->failure = nf;
	*idx = (uint32_t)r->nr_failure_kinds;
	f = &r->failure[r->nr_failure_kinds++];
	memset(f, 0, sizeof(*f));
	f->count = 1;
	f->ts_ns = f->last_ts_ns = ev->ts_ns;
	f->type = ev->type;
	f->order = ev->order;
	f->size = ev->bytes_req;
	f->gfp = ev->gfp;
	f->site = site;
	f->task = task;
	f->pid = ev->pid;
	f->cache = cache;
}

static int failure_cmp(const void *a, const void *b)
{
	const struct replay_failure *x = *(const struct replay_failure *const *)a;
	const struct replay_failure *y = *(const struct replay_failure *const *)b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->ts_ns < y->ts_ns ? -1 : x->ts_ns > y->ts_ns;
}

const struct replay_failure **replay_sorted_failures(const struct replay *r)
{
	const struct replay_failure **v = malloc((r->nr_failure_kinds + 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < r->nr_failure_kinds; i++)
		v[i] = &r->failure[i];
	qsort(v, r->nr_failure_kinds, sizeof(*v), failure_cmp);
	return v;
}

static void on_cpu(struct replay *r, int cpu)
{
	int want = cpu >= 0 ? cpu % r->nr_cpus : 0;

	if (kmm_smp_processor_id() != want)
		kmm_sched_setcpu(want);
}

static kmm_gfp_t replay_gfp(struct replay *r, kmm_gfp_t gfp)
{
	/* a failure is a finding here: never wait for memory that no one will free */
	if (gfp & KMM___GFP_NOFAIL) {
		r->nofail_stripped++;
		gfp &= ~KMM___GFP_NOFAIL;
	}
	return gfp;
}

/* ---- slab events ---- */

static bool kmalloc_name(const char *name, kmm_gfp_t *extra)
{
	*extra = 0;
	if (!strncmp(name, "dma-kmalloc-", 12)) {
		*extra = KMM___GFP_DMA;
		return true;
	}
	if (!strncmp(name, "kmalloc-rcl-", 12)) {
		*extra = KMM___GFP_RECLAIMABLE;
		return true;
	}
	if (!strncmp(name, "kmalloc-cg-", 11)) {
		*extra = KMM___GFP_ACCOUNT;
		return true;
	}
	return !strncmp(name, "kmalloc-", 8);
}

static struct replay_cache *cache_of(struct replay *r, uint32_t name, uint32_t object_size,
				     uint32_t *idx_out)
{
	bool isnew;
	uint32_t *idx = rmap_put(&r->caches, name, &isnew);
	struct replay_cache *nc, *c;
	kmm_gfp_t extra;

	if (!idx)
		return NULL;
	if (!isnew) {
		*idx_out = *idx + 1;
		return &r->cache[*idx];
	}
	nc = grow_array(r->cache, &r->cap_caches, r->nr_caches, sizeof(*nc));
	if (!nc) {
		rmap_del(&r->caches, name);
		return NULL;
	}
	r->cache = nc;
	*idx = (uint32_t)r->nr_caches;
	c = &r->cache[r->nr_caches++];
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->object_size = object_size;
	if (!kmalloc_name(rstr_get(&r->str, name), &extra))
		c->s = kmm_kmem_cache_create(r->m, rstr_get(&r->str, name), object_size ? object_size : 1,
					     0, 0, NULL);
	*idx_out = *idx + 1;
	return c;
}

static void slab_alloc(struct replay *r, struct xlate *x, const struct trace_event *ev)
{
	uint32_t site = xl(r, x, ev->call_site), cache_idx = 0;
	struct replay_site *st = site_of(r, site);
	struct replay_cache *c = NULL;
	struct robj *o;
	kmm_gfp_t gfp = replay_gfp(r, ev->gfp), extra = 0;
	bool isnew;
	void *p;

	r->slab_allocs++;
	r->slab_req += ev->bytes_req;
	r->slab_alloc += ev->bytes_alloc;
	if (st) {
		st->hits++;
		st->bytes_req += ev->bytes_req;
		st->bytes_alloc += ev->bytes_alloc;
	}
	if (ev->node >= 1)
		r->slab_cross_node++;
	if (ev->type == TEV_CACHE_ALLOC && ev->cache) {
		c = cache_of(r, xl(r, x, ev->cache), ev->bytes_req, &cache_idx);
		if (c) {
			c->hits++;
			c->bytes_req += ev->bytes_req;
			c->bytes_alloc += ev->bytes_alloc;
			kmalloc_name(rstr_get(&r->str, c->name), &extra);
		}
	}
	if (ev->failed || !ev->ptr) {
		r->recorded_failures++;	/* it failed on the recorded machine: nothing to replay */
		return;
	}
	o = rmap_get(&r->objs, ev->ptr);
	if (o) {
		/* the trace lost this pointer's free: let it go before it comes back */
		r->reused++;
		if (o->cache && r->cache[o->cache - 1].s)
			kmm_kmem_cache_free(r->cache[o->cache - 1].s, o->obj);
		else
			kmm_kfree(r->m, o->obj);
		rmap_del(&r->objs, ev->ptr);
	}
	on_cpu(r, ev->cpu);
	if (c && c->s)
		p = kmm_kmem_cache_alloc(c->s, gfp);
	else
		p = kmm_kmalloc(r->m, ev->bytes_req, gfp | extra);
	r->replayed++;
	if (!p) {
		if (st)
			st->failures++;
		if (c)
			c->failures++;
		add_failure(r, ev, site, xl(r, x, ev->comm), c ? c->name : 0);
		return;
	}
	o = rmap_put(&r->objs, ev->ptr, &isnew);
	if (!o) {
		fprintf(stderr, "kmm replay: out of memory\n");
		exit(1);
	}
	o->obj = p;
	o->site = site;
	o->cache = (c && c->s) ? cache_idx : 0;
	o->bytes_req = ev->bytes_req;
	o->bytes_alloc = ev->bytes_alloc;
	o->kmm_bytes = (uint32_t)(c && c->s ? kmm_kmem_cache_size(c->s) : kmm_ksize(r->m, p));
	o->cpu = (int16_t)ev->cpu;
	if (!(c && c->s) && !kmm_kmalloc_cache(r->m, ev->bytes_req, gfp | extra) && ev->bytes_req) {
		unsigned int order = kmm_get_order(ev->bytes_req);

		o->large_order = (uint8_t)(order + 1);
		r->kind_pages[KIND_LARGE] += 1UL << order;
	}
	r->slab_kmm += o->kmm_bytes;
	if (st)
		st->kmm_bytes += o->kmm_bytes;
	if (c)
		c->kmm_bytes += o->kmm_bytes;
	r->live_objs++;
	r->live_obj_bytes += o->kmm_bytes;
}

static void slab_free(struct replay *r, struct xlate *x, const struct trace_event *ev)
{
	struct robj *o;
	struct robj copy;

	(void)x;
	if (!ev->ptr)
		return;		/* kfree(NULL) */
	o = rmap_get(&r->objs, ev->ptr);
	if (!o) {
		r->unmatched[ev->type]++;
		return;
	}
	copy = *o;
	rmap_del(&r->objs, ev->ptr);
	on_cpu(r, ev->cpu);
	if (copy.cache && r->cache[copy.cache - 1].s) {
		kmm_kmem_cache_free(r->cache[copy.cache - 1].s, copy.obj);
		r->cache[copy.cache - 1].frees++;
	} else {
		kmm_kfree(r->m, copy.obj);
	}
	r->replayed++;
	r->slab_freed += copy.bytes_alloc;
	if (copy.cpu != ev->cpu) {
		struct replay_site *st = site_of(r, copy.site);

		r->slab_pingpong++;
		r->cross_cpu_frees++;
		if (st)
			st->pingpong++;
	}
	{
		struct replay_site *st = site_of(r, copy.site);

		if (st)
			st->bytes_freed += copy.bytes_alloc;
	}
	if (copy.large_order)
		r->kind_pages[KIND_LARGE] -= 1UL << (copy.large_order - 1);
	r->live_objs--;
	r->live_obj_bytes -= copy.kmm_bytes;
}

/* ---- page events ---- */

static int mt_index(int mt)
{
	return mt >= 0 && mt < 6 ? mt : 5;
}

static struct replay_page_group *group_of(struct replay *r, uint32_t task, const struct trace_event *ev)
{
	uint64_t key = ((uint64_t)task << 32) ^ ((uint64_t)ev->order << 24) ^
		       ((uint64_t)(ev->migratetype & 0xff) << 16) ^ ((uint64_t)ev->gfp * 0x9e3779b1ULL);
	struct replay_page_group *g, *ng;
	uint32_t *idx;
	bool isnew;

	/* equal keys of different groups probe on */
	for (;; key++) {
		idx = rmap_put(&r->groups, key, &isnew);
		if (!idx)
			return NULL;
		if (isnew)
			break;
		g = &r->group[*idx];
		if (g->task == task && g->order == ev->order && g->migratetype == ev->migratetype &&
		    g->gfp == ev->gfp)
			return g;
	}
	ng = grow_array(r->group, &r->cap_groups, r->nr_groups, sizeof(*ng));
	if (!ng) {
		rmap_del(&r->groups, key);
		return NULL;
	}
	r->group = ng;
	*idx = (uint32_t)r->nr_groups;
	g = &r->group[r->nr_groups++];
	memset(g, 0, sizeof(*g));
	g->task = task;
	g->order = ev->order;
	g->migratetype = ev->migratetype;
	g->gfp = ev->gfp;
	return g;
}

static void free_rpage(struct replay *r, uint64_t pfn, const struct rpage *p)
{
	kmm___free_pages(r->m, p->page, p->order);
	r->kind_pages[KIND_PAGES] -= 1UL << p->order;
	r->live_hist[p->order < REPLAY_MAX_ORDER ? p->order : REPLAY_MAX_ORDER - 1][mt_index(p->mt)]--;
	rmap_del(&r->pages, pfn);
}

static void page_alloc(struct replay *r, struct xlate *x, const struct trace_event *ev)
{
	uint32_t task = xl(r, x, ev->comm);
	struct replay_page_group *g = group_of(r, task, ev);
	unsigned int ord = ev->order < REPLAY_MAX_ORDER ? ev->order : REPLAY_MAX_ORDER - 1;
	struct kmm_page *page;
	struct rpage *p;
	bool isnew;

	r->page_allocs++;
	r->page_alloc_pages += 1ULL << ev->order;
	r->order_hist[ord][mt_index(ev->migratetype)]++;
	if (g)
		g->hits++;
	if (ev->failed) {
		/* the recorded allocation failed: perf kmem counts it, there is nothing to replay */
		r->page_fail++;
		r->page_fail_pages += 1ULL << ev->order;
		return;
	}
	p = rmap_get(&r->pages, ev->pfn);
	if (p) {
		r->reused++;
		free_rpage(r, ev->pfn, p);
	}
	on_cpu(r, ev->cpu);
	page = kmm_alloc_pages(r->m, replay_gfp(r, ev->gfp), ev->order);
	r->replayed++;
	if (!page) {
		if (g)
			g->failures++;
		add_failure(r, ev, 0, task, 0);
		return;
	}
	p = rmap_put(&r->pages, ev->pfn, &isnew);
	if (!p) {
		fprintf(stderr, "kmm replay: out of memory\n");
		exit(1);
	}
	p->page = page;
	p->order = (uint8_t)ev->order;
	p->mt = (int8_t)ev->migratetype;
	p->cpu = (int16_t)ev->cpu;
	r->kind_pages[KIND_PAGES] += 1UL << ev->order;
	r->live_hist[ord][mt_index(ev->migratetype)]++;
}

/*
 * A free whose order differs from the allocation's: the kernel split the
 * block (split_page) and frees its pieces, or frees a whole block in one
 * call. kmm splits its block the same way, so each piece can go on its own.
 */
static void page_free_split(struct replay *r, uint64_t pfn, unsigned int order)
{
	for (uint64_t i = 0; i < (1ULL << order); i++) {
		struct rpage *p = rmap_get(&r->pages, pfn + i);

		if (p)
			free_rpage(r, pfn + i, p);
	}
}

static void page_free(struct replay *r, struct xlate *x, const struct trace_event *ev)
{
	struct rpage *p;

	(void)x;
	if (ev->type == TEV_PAGE_FREE) {
		r->page_frees++;
		r->page_free_pages += 1ULL << ev->order;
	}
	p = rmap_get(&r->pages, ev->pfn);
	if (!p) {
		if (ev->type == TEV_PAGE_FREE) {
			r->page_free_only++;
			r->page_free_only_pages += 1ULL << ev->order;
		}
		r->unmatched[ev->type]++;
		return;
	}
	if (ev->type == TEV_PAGE_FREE) {
		r->page_matched++;
		r->page_matched_pages += 1ULL << ev->order;
	}
	on_cpu(r, ev->cpu);
	if (p->cpu != ev->cpu)
		r->cross_cpu_frees++;
	r->replayed++;
	if (p->order == ev->order) {
		free_rpage(r, ev->pfn, p);
		return;
	}
	if (p->order > ev->order && !kmm_PageCompound(p->page)) {
		struct rpage whole = *p;

		kmm_split_page(r->m, whole.page, whole.order);
		rmap_del(&r->pages, ev->pfn);
		r->live_hist[whole.order][mt_index(whole.mt)]--;
		for (uint64_t i = 0; i < (1ULL << whole.order); i++) {
			bool isnew;
			struct rpage *q = rmap_put(&r->pages, ev->pfn + i, &isnew);

			if (!q)
				continue;
			*q = whole;
			q->page = whole.page + i;
			q->order = 0;
			r->live_hist[0][mt_index(whole.mt)]++;
		}
	}
	page_free_split(r, ev->pfn, ev->order);
}

/* ---- snapshots and samples ---- */

/* One zone's line of /proc/buddyinfo or an extfrag file: "Node 0, zone   Normal v v v..." */
static int parse_zone_lines(const char *buf, char zone[][8], int *nz, void (*put)(void *arg, int z, int o, const char *tok), void *arg)
{
	const char *line = buf;

	*nz = 0;
	while (line && *line && *nz < REPLAY_MAX_ZONES) {
		const char *zp = strstr(line, "zone ");
		const char *eol = strchr(line, '\n');
		char name[16];
		int o = 0;

		if (!zp || (eol && zp > eol))
			break;
		zp += 5;
		while (*zp == ' ')
			zp++;
		size_t n = strcspn(zp, " \n");

		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, zp, n);
		name[n] = '\0';
		/* zone names are at most 7 characters ("HighMem", "Movable") */
		name[7] = '\0';
		memcpy(zone[*nz], name, 8);
		zp += n;
		while (zp < (eol ? eol : zp + strlen(zp)) && o < REPLAY_MAX_ORDER) {
			char tok[24];
			size_t k;

			while (*zp == ' ')
				zp++;
			k = strcspn(zp, " \n");
			if (!k || k >= sizeof(tok))
				break;
			memcpy(tok, zp, k);
			tok[k] = '\0';
			put(arg, *nz, o++, tok);
			zp += k;
		}
		(*nz)++;
		line = eol ? eol + 1 : NULL;
	}
	return 0;
}

struct put_ctx {
	unsigned long (*ul)[REPLAY_MAX_ORDER];
	int (*idx)[REPLAY_MAX_ORDER];
};

static void put_ul(void *arg, int z, int o, const char *tok)
{
	struct put_ctx *c = arg;

	c->ul[z][o] = strtoul(tok, NULL, 10);
}

/* "0.123" or "-1.000" in thousandths */
static void put_idx(void *arg, int z, int o, const char *tok)
{
	struct put_ctx *c = arg;
	int neg = tok[0] == '-';
	char *end;
	long whole = strtol(tok + neg, &end, 10), frac = 0;

	if (*end == '.')
		frac = strtol(end + 1, NULL, 10);
	c->idx[z][o] = (int)((whole * 1000 + frac) * (neg ? -1 : 1));
}

static void read_zones(struct replay *r, int *nz, char zone[][8],
		       unsigned long blocks[][REPLAY_MAX_ORDER], int unusable[][REPLAY_MAX_ORDER],
		       int extfrag[][REPLAY_MAX_ORDER])
{
	static char buf[8192];
	char names[REPLAY_MAX_ZONES][8];
	struct put_ctx c;
	int n;

	kmm_proc_read(r->m, "/proc/buddyinfo", buf, sizeof(buf));
	c.ul = blocks;
	parse_zone_lines(buf, zone, nz, put_ul, &c);
	kmm_proc_read(r->m, "/sys/kernel/debug/extfrag/unusable_index", buf, sizeof(buf));
	c.idx = unusable;
	parse_zone_lines(buf, names, &n, put_idx, &c);
	kmm_proc_read(r->m, "/sys/kernel/debug/extfrag/extfrag_index", buf, sizeof(buf));
	c.idx = extfrag;
	parse_zone_lines(buf, names, &n, put_idx, &c);
}

static unsigned long slab_pages(struct replay *r)
{
	unsigned long pages = 0;

	for (struct kmm_kmem_cache *s = kmm_slab_cache_next(r->m, NULL); s;
	     s = kmm_slab_cache_next(r->m, s)) {
		struct kmm_slab_stats st;

		kmm_kmem_cache_stats(s, &st);
		pages += st.num_slabs << st.order;
	}
	return pages;
}

/* Pages in use since the replay began: neither in the buddy lists nor cached on a CPU's list. */
static unsigned long used_pages(struct replay *r)
{
	unsigned long free = kmm_nr_free_pages(r->m) + kmm_nr_pcp_pages(r->m);

	return r->boot_free > free ? r->boot_free - free : 0;
}

void replay_snapshot(struct replay *r, struct replay_snap *s)
{
	unsigned long slab = slab_pages(r);

	memset(s, 0, sizeof(*s));
	s->event = r->events;
	s->ts_ns = r->last_ts;
	s->used_pages = used_pages(r);
	s->kind_pages[KIND_SLAB] = slab > r->boot_slab_pages ? slab - r->boot_slab_pages : 0;
	s->kind_pages[KIND_PAGES] = r->kind_pages[KIND_PAGES];
	s->kind_pages[KIND_LARGE] = r->kind_pages[KIND_LARGE];
	read_zones(r, &s->nr_zones, s->zone, s->free_blocks, s->unusable, s->extfrag);
}

static void take_sample(struct replay *r)
{
	struct replay_sample *ns = grow_array(r->samples, &r->cap_samples, r->nr_samples,
					      sizeof(*ns));
	struct replay_sample *s;
	char zone[REPLAY_MAX_ZONES][8];

	if (!ns)
		return;
	r->samples = ns;
	s = &r->samples[r->nr_samples++];
	memset(s, 0, sizeof(*s));
	s->event = r->events;
	s->ts_ns = r->last_ts;
	read_zones(r, &s->nr_zones, zone, s->free_blocks, s->unusable, s->extfrag);
	for (int z = 0; z < s->nr_zones; z++)
		for (int o = 0; o < REPLAY_MAX_ORDER; o++)
			s->free_pages[z] += s->free_blocks[z][o] << o;
}

static void after_event(struct replay *r)
{
	unsigned long used = used_pages(r);

	if (used > r->max_used) {
		r->max_used = used;
		r->max_used_event = r->events;
		r->max_used_ts = r->last_ts;
	}
	/*
	 * A snapshot is costly (the /proc files, the caches): take one at a new
	 * peak only once it has risen by 1/64 above the last one, so a trace
	 * growing to N pages takes about 64 ln N of them.
	 */
	if (used > r->peak.used_pages && used >= r->next_snap) {
		replay_snapshot(r, &r->peak);
		r->next_snap = used + used / 64 + 1;
	}
	if (r->every && r->events % r->every == 0)
		take_sample(r);
}

/* ---- files ---- */

static void progress(struct replay *r, const struct trace_stats *st, bool done)
{
	fprintf(stderr, "\rreplay: %llu lines, %llu events, %.1f MB read%s",
		(unsigned long long)st->lines, (unsigned long long)r->events,
		(double)st->bytes_in / 1e6, done ? "\n" : "");
}

int replay_file(struct replay *r, const char *path)
{
	char err[512];
	struct trace_reader *rd = trace_open(path, err, sizeof(err));

	if (!rd) {
		fprintf(stderr, "kmm replay: %s\n", err);
		return 1;
	}
	return replay_reader(r, path, rd);
}

int replay_reader(struct replay *r, const char *path, struct trace_reader *rd)
{
	struct trace_event ev;
	struct xlate x = { .rd = rd };
	struct replay_file *nf;
	uint64_t before = r->events;
	int ret;

	if (rmap_init(&x.map, sizeof(uint32_t))) {
		trace_close(rd);
		fprintf(stderr, "kmm replay: out of memory\n");
		return 1;
	}
	while ((ret = trace_next(rd, &ev)) == 1) {
		bool slab = ev.type <= TEV_CACHE_FREE;

		r->events++;
		r->ev[ev.type]++;
		if (!r->first_ts)
			r->first_ts = ev.ts_ns;
		r->last_ts = ev.ts_ns;
		if (!(r->level & (slab ? REPLAY_SLAB : REPLAY_PAGE))) {
			r->skipped_level++;
			continue;
		}
		/*
		 * A page freed through the batched path is logged twice: mm_page_free
		 * as each page is freed, then mm_page_free_batched for each page of
		 * the batch, a little later. The second is the same free.
		 */
		if (ev.type == TEV_PAGE_FREE) {
			bool isnew;
			uint64_t *when = rmap_put(&r->recent_frees, ev.pfn, &isnew);

			if (when)
				*when = r->events;
		} else if (ev.type == TEV_PAGE_FREE_BATCHED) {
			uint64_t *when = rmap_get(&r->recent_frees, ev.pfn);

			if (when) {
				bool dup = r->events - *when <= RECENT_FREE_WINDOW;

				rmap_del(&r->recent_frees, ev.pfn);
				if (dup) {
					r->dup_batched++;
					continue;
				}
			}
		}
		switch (ev.type) {
		case TEV_KMALLOC:
		case TEV_CACHE_ALLOC:
			slab_alloc(r, &x, &ev);
			break;
		case TEV_KFREE:
		case TEV_CACHE_FREE:
			slab_free(r, &x, &ev);
			break;
		case TEV_PAGE_ALLOC:
			page_alloc(r, &x, &ev);
			break;
		default:
			page_free(r, &x, &ev);
			break;
		}
		after_event(r);
		if (r->progress && !(r->events & 0xffff))
			progress(r, trace_stats(rd), false);
	}
	nf = realloc(r->files, (r->nr_files + 1) * sizeof(*nf));
	if (nf) {
		r->files = nf;
		nf = &r->files[r->nr_files++];
		memset(nf, 0, sizeof(*nf));
		nf->path = strdup(path);
		nf->stats = *trace_stats(rd);
		for (const char *name; nf->nr_other < REPLAY_OTHER_NAMES &&
		     (name = trace_other_event(rd, nf->nr_other, &nf->other_count[nf->nr_other]));
		     nf->nr_other++)
			snprintf(nf->other[nf->nr_other], sizeof(nf->other[0]), "%s", name);
	}
	if (r->progress)
		progress(r, trace_stats(rd), true);
	if (ret < 0) {
		fprintf(stderr, "kmm replay: %s: %s\n", path, trace_error(rd));
		ret = 1;
	} else if (r->events == before) {
		fprintf(stderr, "kmm replay: %s: no kmem event found (%s lines read)\n", path,
			nf ? "all" : "the");
		ret = 1;
	} else {
		ret = 0;
	}
	rmap_free(&x.map);
	trace_close(rd);
	return ret;
}

void replay_finish(struct replay *r)
{
	replay_snapshot(r, &r->end);
	/* the peak's snapshot lags a rising peak by a step: the end may be the higher */
	if (r->end.used_pages >= r->peak.used_pages)
		r->peak = r->end;
	r->kind_pages[KIND_SLAB] = r->end.kind_pages[KIND_SLAB];
}

void replay_destroy(struct replay *r)
{
	for (size_t i = 0; i < r->nr_files; i++)
		free(r->files[i].path);
	free(r->files);
	free(r->site);
	free(r->cache);
	free(r->group);
	free(r->samples);
	rmap_free(&r->objs);
	rmap_free(&r->pages);
	rmap_free(&r->sites);
	rmap_free(&r->caches);
	rmap_free(&r->groups);
	rmap_free(&r->recent_frees);
	rmap_free(&r->failure_index);
	free(r->failure);
	rstr_free(&r->str);
}

/* ---- names ---- */

const char *replay_migratetype_name(int mt)
{
	static const char *const names[] = { "Unmovable", "Movable", "Reclaimable", "HighAtomic",
					     "CMA", "Isolate" };

	return mt >= 0 && mt < 6 ? names[mt] : "?";
}

const char *replay_kind_name(enum replay_kind k)
{
	static const char *const names[] = { "slab", "pages", "kmalloc-large" };

	return names[k];
}

void replay_gfp_string(kmm_gfp_t gfp, char *buf, size_t len)
{
	kmm_gfp_format(gfp, buf, len);
}
