/* SPDX-License-Identifier: MIT */
/*
 * The speed goals kmm set itself, each checked against this run: kmalloc's
 * and the shim's malloc+free of 64 bytes no slower than the fastest peer;
 * the two-thread rows (remote frees, churn) no slower than mimalloc. Printed
 * after the tables, as text and in RESULTS.md, with by how much each goal is
 * met or missed; bench/PROFILE.md says where the time of a missed one goes.
 * A goal whose row or allocator did not run is said to be unmeasured.
 */
#include <math.h>
#include <string.h>

#include "bench.h"

struct goal {
	const char *row;	/* the workload */
	const char *who;	/* "kmm" (in-process) or "kmm-malloc" (the shim) */
	const char *against;	/* an allocator's column, or NULL: the fastest peer */
};

static const struct goal goals[] = {
	{ "kmalloc-64", "kmm", NULL },
	{ "kmalloc-64", "kmm-malloc", NULL },
	{ "slab-2thr-remote", "kmm", "mimalloc" },
	{ "slab-2thr-remote", "kmm-malloc", "mimalloc" },
	{ "slab-2thr-churn", "kmm", "mimalloc" },
	{ "slab-2thr-churn", "kmm-malloc", "mimalloc" },
};

static int find_row(const struct bench_report *rep, const char *name)
{
	for (unsigned int i = 0; i < rep->nr_workloads; i++)
		if (!strcmp(bench_workloads[rep->workloads[i]].name, name))
			return (int)i;
	return -1;
}

static int find_alloc(const struct bench_report *rep, const char *name)
{
	for (int a = 0; a < rep->nr_alloc; a++)
		if (!strcmp(rep->alloc[a].name, name))
			return a;
	return -1;
}

/* The median of a cell, NAN when it has none. */
static double median(const struct bench_report *rep, int row, int a)
{
	const struct bench_cell *c;

	if (row < 0 || a < 0 || rep->alloc[a].status != BENCH_ALLOC_OK)
		return NAN;
	c = bench_cell(rep, (unsigned int)row, a);
	return c->n ? bench_median(c->samples, c->n) : NAN;
}

/* The fastest of glibc, jemalloc, tcmalloc and mimalloc in the row, or -1. */
static int fastest_peer(const struct bench_report *rep, int row)
{
	int best = -1;

	for (int a = 0; a < rep->nr_alloc; a++) {
		double m = median(rep, row, a);

		if (rep->alloc[a].kind == BENCH_ALLOC_KMM || rep->alloc[a].ours || isnan(m))
			continue;
		if (best < 0 || m < median(rep, row, best))
			best = a;
	}
	return best;
}

static void num(char *out, size_t len, const char *fmt, double v)
{
	if (isnan(v))
		snprintf(out, len, "-");
	else
		snprintf(out, len, fmt, v);
}

void bench_print_goals(const struct bench_report *rep, FILE *f, bool markdown)
{
	if (markdown)
		fprintf(f, "\n## Goals\n\nMedians of this run; a goal is met at x1.00 or below. "
			"`bench/PROFILE.md` (appended below by `make bench`) says where the time of "
			"a missed one goes.\n\n| goal | ns | target | ns | ratio | |\n"
			"| :-- | --: | :-- | --: | --: | :-- |\n");
	else
		fprintf(f, "\ngoals (medians; met at x1.00 or below):\n");
	for (size_t i = 0; i < sizeof(goals) / sizeof(goals[0]); i++) {
		const struct goal *g = &goals[i];
		int row = find_row(rep, g->row), a = find_alloc(rep, g->who);
		int t = row < 0 ? -1 : g->against ? find_alloc(rep, g->against) : fastest_peer(rep, row);
		double mine = median(rep, row, a), theirs = median(rep, row, t);
		char target[64], verdict[64], a_txt[32], t_txt[32], r_txt[32];

		snprintf(target, sizeof(target), "%s%s", g->against ? "" : "fastest peer: ",
			 t >= 0 ? rep->alloc[t].name : g->against ? g->against : "none");
		if (isnan(mine) || isnan(theirs))
			snprintf(verdict, sizeof(verdict), "not measured in this run");
		else if (mine <= theirs)
			snprintf(verdict, sizeof(verdict), "met");
		else
			snprintf(verdict, sizeof(verdict), "missed by %.0f%%", (mine / theirs - 1) * 100);
		num(a_txt, sizeof(a_txt), "%.1f", mine);
		num(t_txt, sizeof(t_txt), "%.1f", theirs);
		num(r_txt, sizeof(r_txt), "x%.2f", mine / theirs);
		if (markdown)
			fprintf(f, "| %s, %s | %s | %s | %s | %s | %s |\n", g->row, g->who, a_txt, target,
				t_txt, r_txt, verdict);
		else
			fprintf(f, "  %-17s %-10s %8s  vs %-24s %8s  %6s  %s\n", g->row, g->who, a_txt,
				target, t_txt, r_txt, verdict);
	}
}
