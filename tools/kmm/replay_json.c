/* SPDX-License-Identifier: MIT */
/*
 * The replay's report as one JSON document: the text report's content,
 * with every call site, cache and page group instead of the first few, and
 * the samples taken with --every.
 */
#include <stdlib.h>

#include "replay.h"

static void jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void jkey(FILE *f, const char *k)
{
	jstr(f, k);
	fputc(':', f);
}

static void jnum(FILE *f, const char *k, unsigned long long v, bool comma)
{
	jkey(f, k);
	fprintf(f, "%llu%s", v, comma ? "," : "");
}

static void jgfp(FILE *f, kmm_gfp_t gfp)
{
	char buf[256];

	replay_gfp_string(gfp, buf, sizeof(buf));
	jstr(f, buf);
}

static void snap(FILE *f, const char *name, const struct replay_snap *s)
{
	jkey(f, name);
	fprintf(f, "{");
	jnum(f, "event", s->event, true);
	jnum(f, "ts_ns", s->ts_ns, true);
	jnum(f, "used_pages", s->used_pages, true);
	jkey(f, "pages_by_kind");
	fprintf(f, "{");
	for (int k = 0; k < KIND_NR; k++)
		jnum(f, replay_kind_name((enum replay_kind)k), s->kind_pages[k], k + 1 < KIND_NR);
	fprintf(f, "},");
	jkey(f, "zones");
	fprintf(f, "[");
	for (int z = 0; z < s->nr_zones; z++) {
		unsigned long free = 0;

		fprintf(f, "%s{", z ? "," : "");
		jkey(f, "zone");
		jstr(f, s->zone[z]);
		fprintf(f, ",");
		jkey(f, "buddyinfo");
		fprintf(f, "[");
		for (int o = 0; o < REPLAY_MAX_ORDER; o++) {
			fprintf(f, "%s%lu", o ? "," : "", s->free_blocks[z][o]);
			free += s->free_blocks[z][o] << o;
		}
		fprintf(f, "],");
		jkey(f, "unusable_index");
		fprintf(f, "[");
		for (int o = 0; o < REPLAY_MAX_ORDER; o++)
			fprintf(f, "%s%.3f", o ? "," : "", s->unusable[z][o] / 1000.0);
		fprintf(f, "],");
		jkey(f, "extfrag_index");
		fprintf(f, "[");
		for (int o = 0; o < REPLAY_MAX_ORDER; o++)
			fprintf(f, "%s%.3f", o ? "," : "", s->extfrag[z][o] / 1000.0);
		fprintf(f, "],");
		jnum(f, "free_pages", free, false);
		fprintf(f, "}");
	}
	fprintf(f, "]}");
}

static void hist(FILE *f, const char *name, const uint64_t h[REPLAY_MAX_ORDER][6])
{
	jkey(f, name);
	fprintf(f, "[");
	for (int o = 0; o < REPLAY_MAX_ORDER; o++) {
		fprintf(f, "%s{", o ? "," : "");
		jnum(f, "order", (unsigned long long)o, true);
		for (int t = 0; t < 6; t++)
			jnum(f, replay_migratetype_name(t), h[o][t], t < 5);
		fprintf(f, "}");
	}
	fprintf(f, "]");
}

void replay_report_json(const struct replay *r, FILE *f)
{
	const struct replay_site **sites = replay_sorted_sites(r);
	const struct replay_page_group **groups = replay_sorted_groups(r);
	const struct replay_failure **fails = replay_sorted_failures(r);

	fprintf(f, "{");
	jkey(f, "cmdline");
	jstr(f, kmm_cmdline(r->m));
	fprintf(f, ",");
	jkey(f, "level");
	jstr(f, r->level == REPLAY_ALL ? "all" : r->level == REPLAY_SLAB ? "slab" : "page");
	fprintf(f, ",");
	jnum(f, "cpus", (unsigned long long)r->nr_cpus, true);
	jkey(f, "files");
	fprintf(f, "[");
	for (size_t i = 0; i < r->nr_files; i++) {
		const struct trace_stats *st = &r->files[i].stats;

		fprintf(f, "%s{", i ? "," : "");
		jkey(f, "path");
		jstr(f, r->files[i].path);
		fprintf(f, ",");
		jkey(f, "format");
		jstr(f, trace_format_name(st->format));
		fprintf(f, ",");
		jnum(f, "lines", st->lines, true);
		jnum(f, "other_events", st->other_events, true);
		jkey(f, "other_event_names");
		fprintf(f, "{");
		for (size_t k = 0; k < r->files[i].nr_other; k++) {
			fprintf(f, "%s", k ? "," : "");
			jnum(f, r->files[i].other[k], r->files[i].other_count[k], false);
		}
		fprintf(f, "},");
		jnum(f, "lost_events", st->lost_events, true);
		jnum(f, "malformed", st->malformed, true);
		jkey(f, "first_malformed");
		fprintf(f, "[");
		for (uint64_t k = 0; k < 5 && k < st->malformed; k++) {
			fprintf(f, "%s{", k ? "," : "");
			jnum(f, "line", st->first_malformed[k].line, true);
			jkey(f, "why");
			jstr(f, st->first_malformed[k].why);
			fprintf(f, ",");
			jkey(f, "text");
			jstr(f, st->first_malformed[k].text);
			fprintf(f, "}");
		}
		fprintf(f, "]}");
	}
	fprintf(f, "],");
	jkey(f, "events");
	fprintf(f, "{");
	for (int t = 0; t < TEV_NR; t++)
		jnum(f, trace_ev_name((enum trace_ev)t), r->ev[t], true);
	jnum(f, "freed_twice_in_log", r->dup_batched, true);
	jnum(f, "replayed", r->replayed, true);
	jnum(f, "skipped_by_level", r->skipped_level, false);
	fprintf(f, "},");
	jkey(f, "unmatched_frees");
	fprintf(f, "{");
	jnum(f, "kfree", r->unmatched[TEV_KFREE], true);
	jnum(f, "kmem_cache_free", r->unmatched[TEV_CACHE_FREE], true);
	jnum(f, "mm_page_free", r->unmatched[TEV_PAGE_FREE], true);
	jnum(f, "mm_page_free_batched", r->unmatched[TEV_PAGE_FREE_BATCHED], false);
	fprintf(f, "},");
	jnum(f, "allocated_again_while_live", r->reused, true);
	jnum(f, "recorded_failures", r->recorded_failures, true);
	jnum(f, "live_objects", r->live_objs, true);
	jnum(f, "live_object_bytes", r->live_obj_bytes, true);
	jnum(f, "live_page_event_pages", r->kind_pages[KIND_PAGES], true);
	jnum(f, "cross_cpu_frees", r->cross_cpu_frees, true);
	jnum(f, "nofail_dropped", r->nofail_stripped, true);
	jkey(f, "failures");
	fprintf(f, "{");
	jnum(f, "count", r->nr_failures, true);
	jkey(f, "kinds");
	fprintf(f, "[");
	for (size_t i = 0; fails && i < r->nr_failure_kinds; i++) {
		const struct replay_failure *x = fails[i];

		fprintf(f, "%s{", i ? "," : "");
		jnum(f, "count", x->count, true);
		jnum(f, "first_ts_ns", x->ts_ns, true);
		jnum(f, "last_ts_ns", x->last_ts_ns, true);
		jkey(f, "event");
		jstr(f, trace_ev_name(x->type));
		fprintf(f, ",");
		if (x->type == TEV_PAGE_ALLOC) {
			jnum(f, "order", x->order, true);
			jkey(f, "task");
			jstr(f, rstr_get(&r->str, x->task));
			fprintf(f, ",");
			jnum(f, "pid", (unsigned long long)x->pid, true);
		} else {
			jnum(f, "bytes", x->size, true);
			jkey(f, "call_site");
			jstr(f, rstr_get(&r->str, x->site));
			fprintf(f, ",");
			jkey(f, "cache");
			jstr(f, rstr_get(&r->str, x->cache));
			fprintf(f, ",");
		}
		jkey(f, "gfp");
		jgfp(f, x->gfp);
		fprintf(f, "}");
	}
	fprintf(f, "]},");
	jkey(f, "memory_pages");
	fprintf(f, "{");
	jnum(f, "max_used", r->max_used, true);
	jnum(f, "max_used_event", r->max_used_event, true);
	jnum(f, "max_used_ts_ns", r->max_used_ts, true);
	snap(f, "peak", &r->peak);
	fprintf(f, ",");
	snap(f, "end", &r->end);
	fprintf(f, "},");
	jkey(f, "slab");
	fprintf(f, "{");
	jnum(f, "bytes_requested", r->slab_req, true);
	jnum(f, "bytes_allocated", r->slab_alloc, true);
	jnum(f, "bytes_freed", r->slab_freed, true);
	jkey(f, "net_bytes_allocated");
	fprintf(f, "%lld,", (long long)(r->slab_alloc - r->slab_freed));
	jnum(f, "bytes_wasted", r->slab_alloc - r->slab_req, true);
	jkey(f, "internal_fragmentation_pct");
	fprintf(f, "%f,", r->slab_alloc ? 100.0 * (double)(r->slab_alloc - r->slab_req) / (double)r->slab_alloc : 0.0);
	jnum(f, "allocations", r->slab_allocs, true);
	jnum(f, "cross_node_allocations", r->slab_cross_node, true);
	jnum(f, "kmm_bytes_allocated", r->slab_kmm, true);
	jkey(f, "call_sites");
	fprintf(f, "[");
	for (size_t i = 0, n = 0; sites && i < r->nr_sites; i++) {
		const struct replay_site *s = sites[i];

		if (!s->hits)
			continue;
		fprintf(f, "%s{", n++ ? "," : "");
		jkey(f, "call_site");
		jstr(f, rstr_get(&r->str, s->name));
		fprintf(f, ",");
		jnum(f, "hits", s->hits, true);
		jnum(f, "bytes_requested", s->bytes_req, true);
		jnum(f, "bytes_allocated", s->bytes_alloc, true);
		jnum(f, "kmm_bytes_allocated", s->kmm_bytes, true);
		jnum(f, "bytes_freed", s->bytes_freed, true);
		jnum(f, "ping_pong", s->pingpong, true);
		jnum(f, "failures", s->failures, false);
		fprintf(f, "}");
	}
	fprintf(f, "],");
	jkey(f, "caches");
	fprintf(f, "[");
	for (size_t i = 0; i < r->nr_caches; i++) {
		const struct replay_cache *c = &r->cache[i];

		fprintf(f, "%s{", i ? "," : "");
		jkey(f, "name");
		jstr(f, rstr_get(&r->str, c->name));
		fprintf(f, ",");
		jkey(f, "kmm_cache");
		jstr(f, c->s ? kmm_kmem_cache_name(c->s) : "kmalloc");
		fprintf(f, ",");
		jnum(f, "kmm_stride", c->s ? kmm_kmem_cache_size(c->s) : 0, true);
		jnum(f, "hits", c->hits, true);
		jnum(f, "frees", c->frees, true);
		jnum(f, "bytes_requested", c->bytes_req, true);
		jnum(f, "bytes_allocated", c->bytes_alloc, true);
		jnum(f, "kmm_bytes_allocated", c->kmm_bytes, true);
		jnum(f, "failures", c->failures, false);
		fprintf(f, "}");
	}
	fprintf(f, "]},");
	jkey(f, "pages");
	fprintf(f, "{");
	jnum(f, "allocation_requests", r->page_allocs, true);
	jnum(f, "allocation_kb", r->page_alloc_pages * 4, true);
	jnum(f, "free_requests", r->page_frees, true);
	jnum(f, "free_kb", r->page_free_pages * 4, true);
	jnum(f, "alloc_freed_requests", r->page_matched, true);
	jnum(f, "alloc_freed_kb", r->page_matched_pages * 4, true);
	jnum(f, "alloc_only_requests", r->page_allocs - r->page_matched - r->page_fail, true);
	jnum(f, "alloc_only_kb", (r->page_alloc_pages - r->page_matched_pages - r->page_fail_pages) * 4, true);
	jnum(f, "free_only_requests", r->page_free_only, true);
	jnum(f, "free_only_kb", r->page_free_only_pages * 4, true);
	jnum(f, "recorded_failures", r->page_fail, true);
	jnum(f, "recorded_failures_kb", r->page_fail_pages * 4, true);
	hist(f, "by_order", r->order_hist);
	fprintf(f, ",");
	hist(f, "live_by_order", r->live_hist);
	fprintf(f, ",");
	jkey(f, "groups");
	fprintf(f, "[");
	for (size_t i = 0; groups && i < r->nr_groups; i++) {
		const struct replay_page_group *g = groups[i];

		fprintf(f, "%s{", i ? "," : "");
		jkey(f, "task");
		jstr(f, rstr_get(&r->str, g->task));
		fprintf(f, ",");
		jnum(f, "order", g->order, true);
		jkey(f, "migratetype");
		jstr(f, replay_migratetype_name(g->migratetype));
		fprintf(f, ",");
		jkey(f, "gfp");
		jgfp(f, g->gfp);
		fprintf(f, ",");
		jnum(f, "hits", g->hits, true);
		jnum(f, "kb", (g->hits << g->order) * 4, true);
		jnum(f, "failures", g->failures, false);
		fprintf(f, "}");
	}
	fprintf(f, "]},");
	jkey(f, "samples");
	fprintf(f, "[");
	for (size_t i = 0; i < r->nr_samples; i++) {
		const struct replay_sample *s = &r->samples[i];

		fprintf(f, "%s{", i ? "," : "");
		jnum(f, "event", s->event, true);
		jnum(f, "ts_ns", s->ts_ns, true);
		jkey(f, "free_pages");
		fprintf(f, "[");
		for (int z = 0; z < s->nr_zones; z++)
			fprintf(f, "%s%lu", z ? "," : "", s->free_pages[z]);
		fprintf(f, "],");
		jkey(f, "free_blocks");
		fprintf(f, "[");
		for (int z = 0; z < s->nr_zones; z++) {
			fprintf(f, "%s[", z ? "," : "");
			for (int o = 0; o < REPLAY_MAX_ORDER; o++)
				fprintf(f, "%s%lu", o ? "," : "", s->free_blocks[z][o]);
			fprintf(f, "]");
		}
		fprintf(f, "],");
		jkey(f, "extfrag_index");
		fprintf(f, "[");
		for (int z = 0; z < s->nr_zones; z++) {
			fprintf(f, "%s[", z ? "," : "");
			for (int o = 0; o < REPLAY_MAX_ORDER; o++)
				fprintf(f, "%s%.3f", o ? "," : "", s->extfrag[z][o] / 1000.0);
			fprintf(f, "]");
		}
		fprintf(f, "]}");
	}
	fprintf(f, "]}\n");
	free(sites);
	free(groups);
	free(fails);
}
