/* SPDX-License-Identifier: MIT */
/*
 * The results, three ways from one set of cells: the text table on stdout,
 * the same content as JSON (--json), and RESULTS.md (Markdown, with the
 * machine's description, for bench/RESULTS.md). A cell is the median ns/op
 * over the runs with the minimum beside it; the last column is kmm's time
 * over the best peer's (see ratio()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <kmm/kmm.h>

#include "bench.h"

#ifndef KMM_BENCH_CONFIG
#define KMM_BENCH_CONFIG ""
#endif
#ifndef KMM_BENCH_SANITIZER
#define KMM_BENCH_SANITIZER ""
#endif

#ifdef __OPTIMIZE__
#define BENCH_OPTIMISED 1
#else
#define BENCH_OPTIMISED 0
#endif

#define MAXCOLS (BENCH_MAX_ALLOCATORS + 2)
#define CELL 96

typedef char table_row[MAXCOLS][CELL];

/* ---- the machine ---- */

static void cpu_model(char *out, size_t len)
{
	static const char *const keys[] = { "model name", "Model", "cpu model", "cpu", "uarch" };
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(out, len, "unknown");
	if (!f)
		return;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		size_t kl = strlen(keys[k]);

		rewind(f);
		while (fgets(line, sizeof(line), f)) {
			char *colon = strchr(line, ':'), *v;

			if (!colon || strncmp(line, keys[k], kl) || strspn(line + kl, " \t") !=
								       (size_t)(colon - line - (long)kl))
				continue;
			v = colon + 1 + strspn(colon + 1, " \t");
			v[strcspn(v, "\n")] = '\0';
			snprintf(out, len, "%s", v);
			fclose(f);
			return;
		}
	}
	fclose(f);
}

void bench_machine_info(struct bench_machine_info *mi)
{
	const char *config = KMM_BENCH_CONFIG, *sanitizer = KMM_BENCH_SANITIZER;
	struct utsname u;
	cpu_set_t cpus;
	time_t now = time(NULL);
	struct tm tm;

	memset(mi, 0, sizeof(*mi));
	/* as nproc(1) counts: the CPUs this process may run on */
	mi->nproc = sched_getaffinity(0, sizeof(cpus), &cpus) ? sysconf(_SC_NPROCESSORS_ONLN)
							      : CPU_COUNT(&cpus);
	cpu_model(mi->cpu_model, sizeof(mi->cpu_model));
	snprintf(mi->kernel, sizeof(mi->kernel), "%s", uname(&u) ? "unknown" : u.release);
	gmtime_r(&now, &tm);
	strftime(mi->date, sizeof(mi->date), "%Y-%m-%d %H:%M UTC", &tm);
#if defined(__clang__)
	snprintf(mi->compiler, sizeof(mi->compiler), "clang %s", __clang_version__);
#elif defined(__GNUC__)
	snprintf(mi->compiler, sizeof(mi->compiler), "gcc %s", __VERSION__);
#else
	snprintf(mi->compiler, sizeof(mi->compiler), "unknown");
#endif
	snprintf(mi->build, sizeof(mi->build), "kmm-bench %s; libkmm: CMake build type %s%s%s",
		 BENCH_OPTIMISED ? "-O2" : "not optimised", *config ? config : "(none)",
		 *sanitizer ? ", sanitizer " : "", sanitizer);
}

/* ---- cells ---- */

static void fmt_ns(char *out, size_t len, double ns)
{
	snprintf(out, len, ns < 10000 ? "%.1f" : "%.0f", ns);
}

static bool cell_has(const struct bench_report *rep, unsigned int row, int a)
{
	return rep->alloc[a].status == BENCH_ALLOC_OK && bench_cell(rep, row, a)->n > 0;
}

static void cell_text(const struct bench_report *rep, unsigned int row, int a, char *out,
		      size_t len)
{
	const struct bench_cell *c = bench_cell(rep, row, a);
	char med[32], min[32];

	if (rep->alloc[a].status != BENCH_ALLOC_OK) {
		snprintf(out, len, "-");
	} else if (!c->n) {
		snprintf(out, len, c->failures ? "failed" : "-");
	} else {
		fmt_ns(med, sizeof(med), bench_median(c->samples, c->n));
		fmt_ns(min, sizeof(min), bench_min(c->samples, c->n));
		snprintf(out, len, "%s (%s)%s", med, min, c->failures ? " !" : "");
	}
}

/* The peer with the lowest median in the row, or -1. */
static int best_peer(const struct bench_report *rep, unsigned int row)
{
	int best = -1;
	double best_med = 0;

	for (int a = 0; a < rep->nr_alloc; a++) {
		double med;

		if (rep->alloc[a].kind == BENCH_ALLOC_KMM || rep->alloc[a].ours || !cell_has(rep, row, a))
			continue;
		med = bench_median(bench_cell(rep, row, a)->samples, bench_cell(rep, row, a)->n);
		if (best < 0 || med < best_med) {
			best = a;
			best_med = med;
		}
	}
	return best;
}

/* The report's row of the host floor of row, or -1 (none, or not run). */
static int floor_row(const struct bench_report *rep, unsigned int row)
{
	const char *floor = bench_workloads[rep->workloads[row]].floor;

	if (!floor)
		return -1;
	for (unsigned int i = 0; i < rep->nr_workloads; i++)
		if (!strcmp(bench_workloads[rep->workloads[i]].name, floor))
			return (int)i;
	return -1;
}

/*
 * kmm over the best peer (the one of lowest median): the median over the
 * runs of kmm's time over that peer's in the same run. Paired, since the
 * two ran seconds apart at most, so that a drift of the machine between runs
 * (the two-thread row moves by 3x on some virtual machines) cancels out.
 * A row with a host floor is over the floor row's time instead (*best is
 * then -1). 0 when no run has both.
 */
static double ratio(const struct bench_report *rep, unsigned int row, int *best)
{
	const struct bench_cell *k = bench_cell(rep, row, 0), *b;
	int floor = floor_row(rep, row);
	double *q, r = 0;
	int n = 0;

	*best = best_peer(rep, row);
	if (floor >= 0) {
		*best = -1;
		b = bench_cell(rep, (unsigned int)floor, 0);
	} else if (*best >= 0) {
		b = bench_cell(rep, row, *best);
	} else {
		return 0;
	}
	if (!cell_has(rep, row, 0))
		return 0;
	q = malloc((size_t)rep->runs * sizeof(*q));
	if (!q)
		return 0;
	for (int i = 0; i < rep->runs; i++)
		if (!isnan(k->by_run[i]) && !isnan(b->by_run[i]))
			q[n++] = k->by_run[i] / b->by_run[i];
	if (n)
		r = bench_median(q, n);
	free(q);
	return r;
}

static void ratio_text(const struct bench_report *rep, unsigned int row, char *out, size_t len)
{
	int best;
	double r = ratio(rep, row, &best);

	if (r > 0)
		snprintf(out, len, "x%.2f %s", r, best >= 0 ? rep->alloc[best].name : "host floor");
	else
		snprintf(out, len, "-");
}

static void rss_text(const struct bench_report *rep, unsigned int row, int a, char *out,
		     size_t len)
{
	const struct bench_cell *c = bench_cell(rep, row, a);

	if (rep->alloc[a].status != BENCH_ALLOC_OK || !c->maxrss_kb)
		snprintf(out, len, "-");
	else
		snprintf(out, len, "%.1f", (double)c->maxrss_kb / 1024);
}

/* ---- tables ---- */

/* rows[0] is the header; numbers right-aligned, the first column left. */
static void table_print(FILE *f, table_row *rows, int nrows, int ncols, bool markdown)
{
	int width[MAXCOLS] = { 0 };

	for (int r = 0; r < nrows; r++)
		for (int c = 0; c < ncols; c++) {
			int w = (int)strlen(rows[r][c]);

			if (w > width[c])
				width[c] = w;
		}
	for (int r = 0; r < nrows; r++) {
		for (int c = 0; c < ncols; c++) {
			if (markdown)
				fprintf(f, "| %s ", rows[r][c]);
			else if (c == 0)
				fprintf(f, "%-*s", width[c], rows[r][c]);
			else
				fprintf(f, "  %*s", width[c], rows[r][c]);
		}
		fprintf(f, markdown ? "|\n" : "\n");
		if (markdown && r == 0) {
			for (int c = 0; c < ncols; c++)
				fprintf(f, c ? "| --: " : "| :-- ");
			fprintf(f, "|\n");
		}
	}
}

/* The ns/op table (with the ratio column) or the RSS table. */
static table_row *build_table(const struct bench_report *rep, bool rss, int *nrows, int *ncols)
{
	table_row *t = calloc(rep->nr_workloads + 1, sizeof(*t));
	int cols = 0;

	if (!t)
		return NULL;
	snprintf(t[0][cols++], CELL, "workload");
	for (int a = 0; a < rep->nr_alloc; a++)
		snprintf(t[0][cols++], CELL, "%s", rep->alloc[a].name);
	if (!rss)
		snprintf(t[0][cols++], CELL, "kmm/best");
	for (unsigned int row = 0; row < rep->nr_workloads; row++) {
		table_row *r = &t[row + 1];
		int c = 0;

		snprintf((*r)[c++], CELL, "%s", bench_workloads[rep->workloads[row]].name);
		for (int a = 0; a < rep->nr_alloc; a++, c++)
			(rss ? rss_text : cell_text)(rep, row, a, (*r)[c], CELL);
		if (!rss)
			ratio_text(rep, row, (*r)[c++], CELL);
	}
	*nrows = (int)rep->nr_workloads + 1;
	*ncols = cols;
	return t;
}

static void print_table(const struct bench_report *rep, FILE *f, bool rss, bool markdown)
{
	int nrows, ncols;
	table_row *t = build_table(rep, rss, &nrows, &ncols);

	if (t)
		table_print(f, t, nrows, ncols, markdown);
	free(t);
}

/* ---- notes shared by the text and Markdown forms ---- */

static void print_allocator_notes(const struct bench_report *rep, FILE *f, const char *bullet)
{
	for (int a = 0; a < rep->nr_alloc; a++) {
		const struct bench_allocator *al = &rep->alloc[a];

		if (al->status != BENCH_ALLOC_OK)
			fprintf(f, "%s%s: %s\n", bullet, al->name, al->note);
	}
}

static void print_failures(const struct bench_report *rep, FILE *f, const char *bullet)
{
	for (unsigned int row = 0; row < rep->nr_workloads; row++)
		for (int a = 0; a < rep->nr_alloc; a++) {
			const struct bench_cell *c = bench_cell(rep, row, a);

			if (c->failures)
				fprintf(f, "%s%s on %s: %d of %d runs failed: %s\n", bullet,
					bench_workloads[rep->workloads[row]].name,
					rep->alloc[a].name, c->failures, rep->runs, c->error);
		}
}

static void kmm_check_line(const struct bench_report *rep, FILE *f)
{
	fprintf(f, "%d machine(s) checked after their run: %d violation(s) from "
		"kmm_page_alloc_check(), %d from kmm_slab_check(), %lu from kmm_vmalloc_check(), "
		"%ld page(s) not back after kmm_quiesce()%s\n",
		rep->kmm_checks, rep->kmm_check_violations, rep->kmm_slab_violations,
		rep->kmm_vmalloc_violations, rep->kmm_lost_pages,
		rep->kmm_check_violations || rep->kmm_slab_violations ||
				rep->kmm_vmalloc_violations || rep->kmm_lost_pages
			? "  <== FAILED" : "");
}

static void kmm_machine_text(const struct bench_report *rep, char *out, size_t len)
{
	snprintf(out, len, "\"%s\" (%s, %lu MiB, %u CPUs), booted for each run", rep->boot_cmdline,
		 rep->kmm_profile[0] ? rep->kmm_profile : "?", rep->kmm_mem_mib, rep->kmm_cpus);
}

/* Why a result must not be recorded (bench/record.sh looks for the marker), or NULL. */
static const char *do_not_record(const struct bench_report *rep)
{
	if (rep->quick)
		return "a --quick smoke run";
	if (rep->sanitizer)
		return "a sanitizer build";
	if (!BENCH_OPTIMISED || !strcmp(KMM_BENCH_CONFIG, "Debug"))
		return "an unoptimised build";
	if (rep->failures)
		return "some runs failed";
	return NULL;
}

void bench_print_text(const struct bench_report *rep, FILE *f)
{
	char machine[512];

	fprintf(f, "kmm-bench: ns per alloc+free pair, median of %d run(s) (min); lower is better%s\n\n",
		rep->runs, rep->quick ? " [--quick: a smoke run, not a measurement]" : "");
	print_table(rep, f, false, false);
	fprintf(f, "\npeak RSS of the process, MiB (max over runs)%s\n\n",
		rep->rss_per_workload ? "" : "; kmm's could not be reset here: cumulative");
	print_table(rep, f, true, false);
	bench_print_goals(rep, f, false);
	fprintf(f, "\n");
	kmm_machine_text(rep, machine, sizeof(machine));
	fprintf(f, "kmm: machine %s\n", machine);
	fprintf(f, "kmm checks: ");
	kmm_check_line(rep, f);
	print_allocator_notes(rep, f, "");
	print_failures(rep, f, "failed: ");
	if (do_not_record(rep) && !rep->quick)
		fprintf(f, "note: not a measurement to record: %s\n", do_not_record(rep));
	if (rep->results_path[0])
		fprintf(f, "results: %s\n", rep->results_path);
}

/* ---- JSON ---- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *status_name(enum bench_alloc_status s)
{
	return s == BENCH_ALLOC_OK ? "ok" : s == BENCH_ALLOC_MISSING ? "not installed" : "skipped";
}

static void json_cell(const struct bench_report *rep, unsigned int row, int a, FILE *f)
{
	const struct bench_cell *c = bench_cell(rep, row, a);

	fprintf(f, "{\"runs\": %d, \"failures\": %d", c->n, c->failures);
	if (c->n) {
		fprintf(f, ", \"median_ns\": %.3f, \"min_ns\": %.3f, \"samples_ns\": [",
			bench_median(c->samples, c->n), bench_min(c->samples, c->n));
		for (int i = 0; i < c->n; i++)
			fprintf(f, "%s%.3f", i ? ", " : "", c->samples[i]);
		fprintf(f, "]");
	}
	if (c->maxrss_kb)
		fprintf(f, ", \"maxrss_kib\": %ld", c->maxrss_kb);
	if (c->failures) {
		fprintf(f, ", \"error\": ");
		json_str(f, c->error);
	}
	fprintf(f, "}");
}

void bench_print_json(const struct bench_report *rep, FILE *f)
{
	const struct bench_machine_info *mi = &rep->machine;

	fprintf(f, "{\n  \"tool\": \"kmm-bench\",\n  \"kmm_version\": \"%s\",\n", KMM_VERSION);
	fprintf(f, "  \"unit\": \"ns per alloc+free pair\",\n");
	/* each cell's maxrss_kib: kmm's is the bench process's, a peer's its child's */
	fprintf(f, "  \"maxrss_unit\": \"KiB, peak RSS of the run's process, max over runs\",\n"
		"  \"kmm_maxrss_reset_per_run\": %s,\n  \"command\": ",
		rep->rss_per_workload ? "true" : "false");
	json_str(f, rep->command);
	fprintf(f, ",\n  \"runs\": %d,\n  \"quick\": %s,\n  \"warmup_ns\": %llu,\n"
		"  \"time_ns\": %llu,\n", rep->runs, rep->quick ? "true" : "false",
		(unsigned long long)rep->params.warmup_ns, (unsigned long long)rep->params.target_ns);
	fprintf(f, "  \"machine\": {\"nproc\": %ld, \"cpu\": ", mi->nproc);
	json_str(f, mi->cpu_model);
	fprintf(f, ", \"kernel\": ");
	json_str(f, mi->kernel);
	fprintf(f, ", \"date\": ");
	json_str(f, mi->date);
	fprintf(f, ", \"compiler\": ");
	json_str(f, mi->compiler);
	fprintf(f, ", \"build\": ");
	json_str(f, mi->build);
	fprintf(f, "},\n  \"kmm_machine\": {\"cmdline\": ");
	json_str(f, rep->boot_cmdline);
	fprintf(f, ", \"profile\": ");
	json_str(f, rep->kmm_profile);
	fprintf(f, ", \"cpus\": %u, \"mem_mib\": %lu},\n", rep->kmm_cpus, rep->kmm_mem_mib);
	fprintf(f, "  \"allocators\": [\n");
	for (int a = 0; a < rep->nr_alloc; a++) {
		const struct bench_allocator *al = &rep->alloc[a];

		fprintf(f, "    {\"name\": \"%s\", \"status\": \"%s\"", al->name,
			status_name(al->status));
		if (al->version[0]) {
			fprintf(f, ", \"version\": ");
			json_str(f, al->version);
		}
		if (al->path[0]) {
			fprintf(f, ", \"path\": ");
			json_str(f, al->path);
		}
		if (al->note[0]) {
			fprintf(f, ", \"note\": ");
			json_str(f, al->note);
		}
		fprintf(f, "}%s\n", a + 1 < rep->nr_alloc ? "," : "");
	}
	fprintf(f, "  ],\n  \"workloads\": [\n");
	for (unsigned int row = 0; row < rep->nr_workloads; row++) {
		const struct bench_workload *w = &bench_workloads[rep->workloads[row]];
		int best;
		double r = ratio(rep, row, &best);

		fprintf(f, "    {\"name\": \"%s\", \"kmm_op\": ", w->name);
		json_str(f, w->kmm_op);
		fprintf(f, ", \"peer_op\": ");
		json_str(f, w->peer_op);
		fprintf(f, ",\n     \"results\": {\n");
		for (int a = 0, first = 1; a < rep->nr_alloc; a++) {
			/* a row without peers has kmm's cell only */
			if (rep->alloc[a].status != BENCH_ALLOC_OK ||
			    (a > 0 && !w->peer_run))
				continue;
			fprintf(f, "%s       \"%s\": ", first ? "" : ",\n", rep->alloc[a].name);
			json_cell(rep, row, a, f);
			first = 0;
		}
		fprintf(f, "\n     },\n     \"best_peer\": ");
		if (best >= 0)
			json_str(f, rep->alloc[best].name);
		else
			fprintf(f, "null");
		if (w->floor) {
			/* over the host floor's row, not over a peer */
			fprintf(f, ", \"kmm_vs_best\": null, \"floor\": ");
			json_str(f, w->floor);
			if (r > 0)
				fprintf(f, ", \"kmm_vs_floor\": %.4f}", r);
			else
				fprintf(f, ", \"kmm_vs_floor\": null}");
		} else if (r > 0) {
			fprintf(f, ", \"kmm_vs_best\": %.4f}", r);
		} else {
			fprintf(f, ", \"kmm_vs_best\": null}");
		}
		fprintf(f, "%s\n", row + 1 < rep->nr_workloads ? "," : "");
	}
	fprintf(f, "  ],\n  \"kmm_checks\": {\"machines\": %d, \"violations\": %d, "
		"\"slab_violations\": %d, \"vmalloc_violations\": %lu, \"pages_lost\": %ld},\n",
		rep->kmm_checks, rep->kmm_check_violations, rep->kmm_slab_violations,
		rep->kmm_vmalloc_violations, rep->kmm_lost_pages);
	fprintf(f, "  \"failures\": %d,\n  \"results_file\": ", rep->failures);
	if (rep->results_path[0])
		json_str(f, rep->results_path);
	else
		fprintf(f, "null");
	fprintf(f, "\n}\n");
}

/* ---- RESULTS.md ---- */

int bench_write_markdown(const struct bench_report *rep, const char *path)
{
	const struct bench_machine_info *mi = &rep->machine;
	const char *why = do_not_record(rep);
	char machine[512];
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "# kmm-bench results\n\n");
	if (why)
		fprintf(f, "<!-- kmm-bench: do not record: %s -->\n**Not a measurement to record: %s.**\n\n",
			why, why);
	fprintf(f, "Nanoseconds per alloc+free pair: the median of %d run(s), the minimum in "
		"parentheses; lower is better. `kmm/best` is kmm's time over the best peer's (the "
		"peer of lowest median in the row), the median of that quotient over the runs: x0.85 "
		"means kmm takes 0.85 of the fastest peer's time (below x1.00 kmm is faster); in a "
		"`vmalloc-N` row it is over the `host-mmap-N` row's time (`host floor`), which is "
		"in kmm's column. Allocators alternate within each run. `bench/README.md` says "
		"what each row measures.\n\n", rep->runs);
	print_table(rep, f, false, true);
	fprintf(f, "\n| workload | kmm does | the peers do |\n| :-- | :-- | :-- |\n");
	for (unsigned int row = 0; row < rep->nr_workloads; row++) {
		const struct bench_workload *w = &bench_workloads[rep->workloads[row]];

		fprintf(f, "| %s | `%s` | `%s` |\n", w->name, w->kmm_op, w->peer_op);
	}
	fprintf(f, "\n## Peak RSS (MiB, max over runs)\n\nkmm's is the bench process's own, "
		"reset before each run%s; a peer's is its child's.\n\n",
		rep->rss_per_workload ? "" : " (could not be reset here: cumulative)");
	print_table(rep, f, true, true);
	bench_print_goals(rep, f, true);

	fprintf(f, "\n## Machine\n\n");
	fprintf(f, "- CPU: %s; `nproc`: %ld\n", mi->cpu_model, mi->nproc);
	fprintf(f, "- kernel: %s\n", mi->kernel);
	fprintf(f, "- date: %s\n", mi->date);
	fprintf(f, "- compiler: %s; %s\n", mi->compiler, mi->build);
	kmm_machine_text(rep, machine, sizeof(machine));
	fprintf(f, "- kmm: machine %s\n", machine);
	for (int a = 1; a < rep->nr_alloc; a++) {
		const struct bench_allocator *al = &rep->alloc[a];

		if (al->status != BENCH_ALLOC_OK)
			continue;
		fprintf(f, "- %s: %s", al->name, al->version[0] ? al->version : "(version unknown)");
		if (al->path[0])
			/* kmm's own is in the build tree: no path of this machine in the results */
			fprintf(f, ", `LD_PRELOAD=%s`", al->ours ? "BUILD/libkmm-malloc.so" : al->path);
		fprintf(f, "\n");
	}
	print_allocator_notes(rep, f, "- ");
	fprintf(f, "- command: `%s`; %g ms measured per run after %g ms of warm-up\n",
		rep->command, (double)rep->params.target_ns / 1e6,
		(double)rep->params.warmup_ns / 1e6);

	fprintf(f, "\n## Checks\n\n- ");
	kmm_check_line(rep, f);
	print_failures(rep, f, "- failed: ");
	if (fclose(f))
		return -errno;
	return 0;
}
