/* SPDX-License-Identifier: MIT */
/*
 * The replay's text report. Its slab and page summaries print the figures
 * of `perf kmem stat --slab --caller` and `perf kmem stat --page` in their
 * layout, so the two can be compared line by line; beside them are kmm's
 * own: its size classes, its failures, and the machine's memory.
 */
#include <stdlib.h>
#include <string.h>

#include "replay.h"

#define RULE "---------------------------------------------------------------------------------------------------------"

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* "func+0x3b" as perf kmem prints a call site: "func+3b" */
void replay_site_perf(const char *site, char *buf, size_t len)
{
	const char *plus = strstr(site, "+0x");

	if (!*site)
		snprintf(buf, len, "(unknown)");
	else if (plus)
		snprintf(buf, len, "%.*s+%s", (int)(plus - site), site, plus + 3);
	else
		snprintf(buf, len, "%s", site);
}

static int frag_milli(uint64_t alloc, uint64_t req)
{
	return alloc ? (int)((alloc - (req < alloc ? req : alloc)) * 100000 / alloc) : 0;
}

/* perf kmem's default order for --caller: frag, then hits, then bytes, all descending */
static int site_cmp(const void *a, const void *b)
{
	const struct replay_site *x = *(const struct replay_site *const *)a;
	const struct replay_site *y = *(const struct replay_site *const *)b;
	int fx = frag_milli(x->bytes_alloc, x->bytes_req), fy = frag_milli(y->bytes_alloc, y->bytes_req);

	if (fx != fy)
		return fx < fy ? 1 : -1;
	if (x->hits != y->hits)
		return x->hits < y->hits ? 1 : -1;
	if (x->bytes_alloc != y->bytes_alloc)
		return x->bytes_alloc < y->bytes_alloc ? 1 : -1;
	return 0;
}

const struct replay_site **replay_sorted_sites(const struct replay *r)
{
	const struct replay_site **v = malloc((r->nr_sites + 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < r->nr_sites; i++)
		v[i] = &r->site[i];
	qsort(v, r->nr_sites, sizeof(*v), site_cmp);
	return v;
}

static int group_cmp(const void *a, const void *b)
{
	const struct replay_page_group *x = *(const struct replay_page_group *const *)a;
	const struct replay_page_group *y = *(const struct replay_page_group *const *)b;
	uint64_t bx = x->hits << x->order, by = y->hits << y->order;

	if (bx != by)
		return bx < by ? 1 : -1;
	if (x->hits != y->hits)
		return x->hits < y->hits ? 1 : -1;
	return 0;
}

const struct replay_page_group **replay_sorted_groups(const struct replay *r)
{
	const struct replay_page_group **v = malloc((r->nr_groups + 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < r->nr_groups; i++)
		v[i] = &r->group[i];
	qsort(v, r->nr_groups, sizeof(*v), group_cmp);
	return v;
}

static void header(const struct replay *r, FILE *f)
{
	const char *cmdline = kmm_cmdline(r->m);

	fprintf(f, "kmm replay on %s%s%s (%s, %d CPUs), level %s\n", *cmdline ? "\"" : "",
		*cmdline ? cmdline : "the profile's defaults", *cmdline ? "\"" : "",
		kmm_profile_name(r->m), r->nr_cpus,
		r->level == REPLAY_ALL ? "all" : r->level == REPLAY_SLAB ? "slab" : "page");
	if (r->level == REPLAY_ALL)
		fprintf(f, "  (slab and page events both replayed: the slab pages the recorded kernel took\n"
			   "   appear as mm_page_alloc events too, so slab memory is counted twice)\n");
	for (size_t i = 0; i < r->nr_files; i++) {
		const struct trace_stats *st = &r->files[i].stats;

		fprintf(f, "  %s: %s, %llu lines, %llu malformed\n", r->files[i].path,
			trace_format_name(st->format), (unsigned long long)st->lines,
			(unsigned long long)st->malformed);
		if (st->lost_events)
			fprintf(f, "    the recorder lost %llu events: figures are a lower bound\n",
				(unsigned long long)st->lost_events);
		if (r->files[i].nr_other) {
			fprintf(f, "    other events, skipped:");
			for (size_t k = 0; k < r->files[i].nr_other; k++)
				fprintf(f, " %s %llu", r->files[i].other[k],
					(unsigned long long)r->files[i].other_count[k]);
			fprintf(f, "%s\n", st->other_events > 0 && r->files[i].nr_other == REPLAY_OTHER_NAMES ? " ..." : "");
		}
		if (st->gfp_unknown)
			fprintf(f, "    %llu gfp_flags names kmm does not know (the first: %s) read as no flags\n",
				(unsigned long long)st->gfp_unknown, st->gfp_unknown_first);
		for (int k = 0; k < 5 && k < (int)st->malformed; k++)
			fprintf(f, "    line %llu: %s: %s\n",
				(unsigned long long)st->first_malformed[k].line,
				st->first_malformed[k].why, st->first_malformed[k].text);
	}
}

static void events(const struct replay *r, FILE *f)
{
	uint64_t other = 0;

	for (size_t i = 0; i < r->nr_files; i++)
		other += r->files[i].stats.other_events;
	fprintf(f, "\n== Events\n");
	for (int t = 0; t < TEV_NR; t++)
		fprintf(f, "  %-22s %10llu\n", trace_ev_name((enum trace_ev)t),
			(unsigned long long)r->ev[t]);
	fprintf(f, "  %-22s %10llu  (counted, not replayed)\n", "other events", (unsigned long long)other);
	fprintf(f, "  %-22s %10llu  (mm_page_free then mm_page_free_batched of one page: one free)\n",
		"freed twice in the log", (unsigned long long)r->dup_batched);
	fprintf(f, "  %-22s %10llu  (kmm calls made)\n", "replayed", (unsigned long long)r->replayed);
	if (r->skipped_level)
		fprintf(f, "  %-22s %10llu\n", "skipped by --level", (unsigned long long)r->skipped_level);
	fprintf(f, "  unmatched frees (allocated before the trace began): kfree %llu, kmem_cache_free %llu, mm_page_free %llu, mm_page_free_batched %llu\n",
		(unsigned long long)r->unmatched[TEV_KFREE], (unsigned long long)r->unmatched[TEV_CACHE_FREE],
		(unsigned long long)r->unmatched[TEV_PAGE_FREE],
		(unsigned long long)r->unmatched[TEV_PAGE_FREE_BATCHED]);
	fprintf(f, "  allocated again while live (the trace lost the free): %llu\n",
		(unsigned long long)r->reused);
	fprintf(f, "  allocations that failed on the recorded machine (not replayed): %llu\n",
		(unsigned long long)r->recorded_failures);
	fprintf(f, "  live at the end: %llu objects (%llu bytes), %llu pages of page events\n",
		(unsigned long long)r->live_objs, (unsigned long long)r->live_obj_bytes,
		(unsigned long long)r->kind_pages[KIND_PAGES]);
	fprintf(f, "  cross-CPU frees (freed on another CPU than the allocating one): %llu\n",
		(unsigned long long)r->cross_cpu_frees);
	if (r->nofail_stripped)
		fprintf(f, "  __GFP_NOFAIL dropped from %llu requests (a failure is reported, not waited out)\n",
			(unsigned long long)r->nofail_stripped);
}

static void ts(FILE *f, uint64_t ns)
{
	fprintf(f, "%llu.%06llu", (unsigned long long)(ns / 1000000000ULL),
		(unsigned long long)(ns / 1000 % 1000000));
}

static void failures(const struct replay *r, FILE *f)
{
	const struct replay_failure **v = replay_sorted_failures(r);
	char gfp[256], site[160];

	fprintf(f, "\n== Allocation failures in kmm: %llu", (unsigned long long)r->nr_failures);
	if (r->nr_failures)
		fprintf(f, ", of %zu kinds (count, first and last time, what)", r->nr_failure_kinds);
	fprintf(f, "\n");
	for (size_t i = 0; v && i < r->nr_failure_kinds && i < 30; i++) {
		const struct replay_failure *x = v[i];

		replay_gfp_string(x->gfp, gfp, sizeof(gfp));
		fprintf(f, "  %8llu  ", (unsigned long long)x->count);
		ts(f, x->ts_ns);
		fprintf(f, "..");
		ts(f, x->last_ts_ns);
		if (x->type == TEV_PAGE_ALLOC) {
			fprintf(f, "  mm_page_alloc order:%u mode:%#x(%s) by %s-%d\n", x->order, x->gfp,
				gfp, rstr_get(&r->str, x->task), x->pid);
		} else {
			replay_site_perf(rstr_get(&r->str, x->site), site, sizeof(site));
			fprintf(f, "  %s %u bytes%s%s mode:%#x(%s) at %s\n", trace_ev_name(x->type),
				x->size, x->cache ? " of " : "", x->cache ? rstr_get(&r->str, x->cache) : "",
				x->gfp, gfp, site);
		}
	}
	if (r->nr_failure_kinds > 30)
		fprintf(f, "  ... %zu more kinds (--json lists them all)\n", r->nr_failure_kinds - 30);
	free(v);
}

static void memory(const struct replay *r, FILE *f)
{
	const struct replay_snap *p = &r->peak, *e = &r->end;

	fprintf(f, "\n== Memory, in pages of 4 KiB: at most %lu in use, at event %llu (t=",
		r->max_used, (unsigned long long)r->max_used_event);
	ts(f, r->max_used_ts);
	fprintf(f, "); the peak column is a snapshot at event %llu\n", (unsigned long long)p->event);
	fprintf(f, "  %-40s %10s %10s\n", "", "peak", "end");
	fprintf(f, "  %-40s %10lu %10lu\n", "in use (all kinds, per-CPU lists excluded)", p->used_pages,
		e->used_pages);
	for (int k = 0; k < KIND_NR; k++)
		fprintf(f, "  %-40s %10lu %10lu\n", replay_kind_name((enum replay_kind)k),
			p->kind_pages[k], e->kind_pages[k]);
	for (int z = 0; z < e->nr_zones; z++) {
		unsigned long fp = 0, fe = 0;
		char label[48];

		for (int o = 0; o < REPLAY_MAX_ORDER; o++) {
			fp += p->free_blocks[z][o] << o;
			fe += e->free_blocks[z][o] << o;
		}
		snprintf(label, sizeof(label), "free in zone %s", e->zone[z]);
		fprintf(f, "  %-40s %10lu %10lu\n", label, fp, fe);
	}
}

static void zones(const char *title, const struct replay_snap *s, FILE *f)
{
	fprintf(f, "\n== /proc/buddyinfo and the unusable free space index %s\n", title);
	for (int z = 0; z < s->nr_zones; z++) {
		fprintf(f, "Node 0, zone %8s ", s->zone[z]);
		for (int o = 0; o < REPLAY_MAX_ORDER; o++)
			fprintf(f, "%6lu ", s->free_blocks[z][o]);
		fprintf(f, "\n");
	}
	for (int z = 0; z < s->nr_zones; z++) {
		fprintf(f, "Node 0, zone %8s ", s->zone[z]);
		for (int o = 0; o < REPLAY_MAX_ORDER; o++)
			fprintf(f, "%d.%03d ", s->unusable[z][o] / 1000, s->unusable[z][o] % 1000);
		fprintf(f, "\n");
	}
}

static void slab(const struct replay *r, FILE *f)
{
	const struct replay_site **v = replay_sorted_sites(r);
	char name[160];

	fprintf(f, "\n== Slab, by call site (as perf kmem stat --slab --caller; kmm's own rounding at the right)\n");
	fprintf(f, "%s\n", RULE);
	fprintf(f, " %-34s | Total_alloc/Per | Total_req/Per   | Hit      | Ping-pong | Frag    | kmm_alloc/Per   | kmm Frag | Fail\n",
		"Callsite");
	fprintf(f, "%s\n", RULE);
	for (size_t i = 0; v && i < r->nr_sites; i++) {
		const struct replay_site *s = v[i];
		char a[32], q[32], k[32];

		if (!s->hits)
			continue;
		replay_site_perf(rstr_get(&r->str, s->name), name, sizeof(name));
		snprintf(a, sizeof(a), "%llu/%llu", (unsigned long long)s->bytes_alloc,
			 (unsigned long long)(s->bytes_alloc / s->hits));
		snprintf(q, sizeof(q), "%llu/%llu", (unsigned long long)s->bytes_req,
			 (unsigned long long)(s->bytes_req / s->hits));
		snprintf(k, sizeof(k), "%llu/%llu", (unsigned long long)s->kmm_bytes,
			 (unsigned long long)(s->hits > s->failures ? s->kmm_bytes / (s->hits - s->failures) : 0));
		fprintf(f, " %-34.34s | %15s | %15s | %8llu | %9llu | %6.3f%% | %15s | %7.3f%% | %llu\n",
			name, a, q, (unsigned long long)s->hits, (unsigned long long)s->pingpong,
			pct(s->bytes_alloc - s->bytes_req, s->bytes_alloc), k,
			pct(s->kmm_bytes > s->bytes_req ? s->kmm_bytes - s->bytes_req : 0, s->kmm_bytes),
			(unsigned long long)s->failures);
	}
	fprintf(f, "%s\n", RULE);
	free(v);
	fprintf(f, "\nSUMMARY (SLAB allocator)\n========================\n");
	fprintf(f, "Total bytes requested: %llu\n", (unsigned long long)r->slab_req);
	fprintf(f, "Total bytes allocated: %llu\n", (unsigned long long)r->slab_alloc);
	fprintf(f, "Total bytes freed:     %llu\n", (unsigned long long)r->slab_freed);
	fprintf(f, "Net total bytes allocated: %lld\n", (long long)(r->slab_alloc - r->slab_freed));
	fprintf(f, "Total bytes wasted on internal fragmentation: %llu\n",
		(unsigned long long)(r->slab_alloc - r->slab_req));
	fprintf(f, "Internal fragmentation: %f%%\n", pct(r->slab_alloc - r->slab_req, r->slab_alloc));
	fprintf(f, "Cross CPU allocations: %llu/%llu\n", (unsigned long long)r->slab_cross_node,
		(unsigned long long)r->slab_allocs);
	fprintf(f, "kmm: bytes allocated by its size classes: %llu, internal fragmentation %f%%\n",
		(unsigned long long)r->slab_kmm,
		pct(r->slab_kmm > r->slab_req ? r->slab_kmm - r->slab_req : 0, r->slab_kmm));
}

static void caches(const struct replay *r, FILE *f)
{
	fprintf(f, "\n== Caches named by kmem_cache_alloc (the trace's object and allocated sizes, kmm's)\n");
	fprintf(f, " %-26s | %8s | %10s | %10s | %10s | %7s | %7s | %s\n", "Cache", "Hits", "Req bytes",
		"Trace alloc", "kmm alloc", "Frag", "kmm Frag", "kmm cache");
	for (size_t i = 0; i < r->nr_caches; i++) {
		const struct replay_cache *c = &r->cache[i];
		char kc[96];

		if (c->s) {
			struct kmm_slab_stats st;

			kmm_kmem_cache_stats(c->s, &st);
			snprintf(kc, sizeof(kc), "%s (object %u, stride %u)", kmm_kmem_cache_name(c->s),
				 st.object_size, st.size);
		} else {
			snprintf(kc, sizeof(kc), "kmalloc");
		}
		fprintf(f, " %-26.26s | %8llu | %10llu | %10llu | %10llu | %6.2f%% | %6.2f%% | %s\n",
			rstr_get(&r->str, c->name), (unsigned long long)c->hits,
			(unsigned long long)c->bytes_req, (unsigned long long)c->bytes_alloc,
			(unsigned long long)c->kmm_bytes, pct(c->bytes_alloc - c->bytes_req, c->bytes_alloc),
			pct(c->kmm_bytes > c->bytes_req ? c->kmm_bytes - c->bytes_req : 0, c->kmm_bytes), kc);
	}
}

static void order_table(const uint64_t h[REPLAY_MAX_ORDER][6], FILE *f)
{
	fprintf(f, "Order     Unmovable       Movable   Reclaimable    HighAtomic  CMA/Isolated\n");
	fprintf(f, "-----  ------------  ------------  ------------  ------------  ------------\n");
	for (int o = 0; o < REPLAY_MAX_ORDER; o++) {
		fprintf(f, "%5d", o);
		for (int t = 0; t < 5; t++) {
			uint64_t n = t == 4 ? h[o][4] + h[o][5] : h[o][t];

			if (n)
				fprintf(f, "  %12llu", (unsigned long long)n);
			else
				fprintf(f, "  %12s", ".");
		}
		fprintf(f, "\n");
	}
}

static void pages(const struct replay *r, FILE *f)
{
	char gfp[256];

	fprintf(f, "\n== Pages (as perf kmem stat --page; a page event has no call site: its task instead)\n");
	fprintf(f, "%s\n", RULE);
	fprintf(f, " Total alloc (KB) | Hits      | Order | Mig.type    | Fail  | GFP flags / task\n");
	fprintf(f, "%s\n", RULE);
	const struct replay_page_group **v = replay_sorted_groups(r);

	for (size_t i = 0; v && i < r->nr_groups; i++) {
		const struct replay_page_group *g = v[i];

		replay_gfp_string(g->gfp, gfp, sizeof(gfp));
		fprintf(f, " %16llu | %9llu | %5u | %-11s | %5llu | %s / %s\n",
			(unsigned long long)((g->hits << g->order) * 4), (unsigned long long)g->hits,
			g->order, replay_migratetype_name(g->migratetype), (unsigned long long)g->failures,
			gfp, rstr_get(&r->str, g->task));
	}
	free(v);
	fprintf(f, "%s\n", RULE);
	fprintf(f, "\nSUMMARY (page allocator)\n========================\n");
#define LINE(label, n, pg)                                                                       \
	fprintf(f, "%-30s: %16llu   [ %16llu KB ]\n", label, (unsigned long long)(n),             \
		(unsigned long long)(pg) * 4)
	LINE("Total allocation requests", r->page_allocs, r->page_alloc_pages);
	LINE("Total free requests", r->page_frees, r->page_free_pages);
	fprintf(f, "\n");
	LINE("Total alloc+freed requests", r->page_matched, r->page_matched_pages);
	LINE("Total alloc-only requests", r->page_allocs - r->page_matched - r->page_fail,
	     r->page_alloc_pages - r->page_matched_pages - r->page_fail_pages);
	LINE("Total free-only requests", r->page_free_only, r->page_free_only_pages);
	fprintf(f, "\n");
	LINE("Total allocation failures", r->page_fail, r->page_fail_pages);
#undef LINE
	fprintf(f, "\nAllocations by order and migrate type (the trace's):\n");
	order_table(r->order_hist, f);
	fprintf(f, "\nStill live at the end:\n");
	order_table(r->live_hist, f);
}

void replay_report_text(const struct replay *r, FILE *f)
{
	header(r, f);
	events(r, f);
	failures(r, f);
	memory(r, f);
	if (r->level & REPLAY_SLAB) {
		slab(r, f);
		caches(r, f);
	}
	if (r->level & REPLAY_PAGE)
		pages(r, f);
	zones("at the peak", &r->peak, f);
	zones("at the end", &r->end, f);
}
