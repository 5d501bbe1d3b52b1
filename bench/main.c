/* SPDX-License-Identifier: MIT */
/*
 * kmm-bench: kmm's allocators against glibc, jemalloc, tcmalloc and mimalloc,
 * side by side in one run (bench/README.md).
 *
 * The driver: R rounds; in each, every workload runs once on every allocator
 * in turn (kmm in this process on a machine booted for the run, each peer in
 * a child of its own), so that a drift of the machine during the bench hits
 * every column alike. Then the median and the minimum of each cell, printed
 * as a table (or JSON) and written to BUILD/bench/RESULTS.md.
 *
 * Exit status: 0, 1 when a run failed (kmm's checks included), 2 on a usage
 * error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <kmm/kmm.h>

#include "bench.h"

#ifndef KMM_BENCH_SANITIZER
#define KMM_BENCH_SANITIZER ""
#endif

#define RUNS_MAX 1000

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: kmm-bench [OPTIONS]\n"
		"\n"
		"Measures kmm's allocators against the peer mallocs installed here (glibc,\n"
		"jemalloc, tcmalloc, mimalloc) in ns per alloc+free pair, alternating them in\n"
		"each of R runs, and prints the median (and min) of each, with kmm's time over\n"
		"the best peer's. kmm runs in this process on a machine booted for each run;\n"
		"each peer runs in a child of its own with LD_PRELOAD. A peer that is not\n"
		"installed is reported as such.\n"
		"\n"
		"Options:\n"
		"  --runs N          rounds of every workload on every allocator (default 5)\n"
		"  --time-ms MS      measured time of each run (default 100; warm-up: a fifth)\n"
		"  --quick           a smoke run: 1 round, 2 ms each (not a measurement)\n"
		"  --workload NAME   only this workload (may be repeated)\n"
		"  --boot CMDLINE    kmm's machine (default: the x86_64 profile's defaults);\n"
		"                    'quiet' is always added\n"
		"  --json            print the results as JSON instead of a table\n"
		"  --output FILE     write the Markdown results there (default:\n"
		"                    bench/RESULTS.md beside the kmm-bench executable)\n"
		"  --list            list the workloads and exit\n"
		"  -h, --help        show this help\n"
		"\n"
		"Environment: KMM_BENCH_JEMALLOC, KMM_BENCH_TCMALLOC, KMM_BENCH_MIMALLOC name\n"
		"a peer's .so (or 'none' to leave it out) instead of looking for it.\n"
		"Exit status: 0; 1 if a run failed or kmm's checks found a problem; 2 on a\n"
		"usage error.\n");
}

static void list_workloads(void)
{
	for (unsigned int i = 0; i < bench_nr_workloads; i++)
		printf("%-20s kmm: %s\n%-20s peers: %s\n", bench_workloads[i].name,
		       bench_workloads[i].kmm_op, "", bench_workloads[i].peer_op);
}

/* A row without peer_run runs on kmm only (its comparison is its host floor's row). */
static bool runs_on(const struct bench_workload *w, const struct bench_allocator *a)
{
	return a->status == BENCH_ALLOC_OK && (a->kind == BENCH_ALLOC_KMM || w->peer_run);
}

/* A hung kmm workload must not hang the bench (the children have their own alarm). */
static void watchdog(int sig)
{
	static const char msg[] = "kmm-bench: a kmm workload did not finish in time\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

/* BUILD/bench/RESULTS.md, BUILD being where this executable is. */
static int default_output(char *out, size_t len)
{
	char exe[PATH_MAX], dir[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	if (snprintf(dir, sizeof(dir), "%s/bench", dirname(exe)) >= (int)sizeof(dir))
		return -1;
	if (mkdir(dir, 0777) && errno != EEXIST)
		return -1;
	return snprintf(out, len, "%s/RESULTS.md", dir) >= (int)len ? -1 : 0;
}

static void command_line(char *out, size_t len, int argc, char **argv)
{
	size_t used = (size_t)snprintf(out, len, "kmm-bench");

	for (int i = 1; i < argc && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, " %s", argv[i]);
}

static int parse_uint(const char *s, const char *opt, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *v == 0 || *v > max) {
		fprintf(stderr, "kmm-bench: %s: expected a number from 1 to %lu, not '%s'\n", opt,
			max, s);
		return -1;
	}
	return 0;
}

static void progress(const struct bench_report *rep, int run, unsigned int row, int a)
{
	if (!isatty(STDERR_FILENO))
		return;
	fprintf(stderr, "\r\033[Kkmm-bench: run %d/%d: %s on %s", run + 1, rep->runs,
		bench_workloads[rep->workloads[row]].name, rep->alloc[a].name);
}

static void run_one(struct bench_report *rep, int run, unsigned int row, int a)
{
	const struct bench_workload *w = &bench_workloads[rep->workloads[row]];
	struct bench_cell *c = bench_cell(rep, row, a);
	struct bench_result r = { 0 };
	char err[512] = "";
	long rss = 0;
	int ret;

	if (rep->alloc[a].kind == BENCH_ALLOC_KMM) {
		alarm((unsigned int)((rep->params.warmup_ns + rep->params.target_ns) / 1000000000ULL) +
		      120);
		ret = bench_kmm_run(rep, rep->workloads[row], &r, &rss, err, sizeof(err));
		alarm(0);
	} else {
		ret = bench_peer_spawn(&rep->alloc[a], w, &rep->params, &r, &rss, err, sizeof(err));
	}
	if (rss > c->maxrss_kb)
		c->maxrss_kb = rss;
	if (ret) {
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "\n");
		fprintf(stderr, "kmm-bench: %s on %s: %s\n", w->name, rep->alloc[a].name, err);
		if (!c->failures++)
			snprintf(c->error, sizeof(c->error), "%s", err);
		rep->failures++;
		return;
	}
	c->samples[c->n++] = r.ns_per_op;
	c->by_run[run] = r.ns_per_op;
}

struct options {
	unsigned long runs, time_ms;	/* 0: the default */
	bool quick, json;
	bool *selected;			/* [workload]: --workload NAME */
	bool any_selected;
	const char *boot, *output;
};

/* 0; -1 when done (--help, --list); 2 on a usage error. */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "runs", required_argument, NULL, 'r' },
		{ "time-ms", required_argument, NULL, 't' },
		{ "quick", no_argument, NULL, 'q' },
		{ "workload", required_argument, NULL, 'w' },
		{ "boot", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct bench_workload *w;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			if (parse_uint(optarg, "--runs", RUNS_MAX, &o->runs))
				return 2;
			break;
		case 't':
			if (parse_uint(optarg, "--time-ms", 600000, &o->time_ms))
				return 2;
			break;
		case 'q':
			o->quick = true;
			break;
		case 'w':
			w = bench_workload_find(optarg);
			if (!w) {
				fprintf(stderr, "kmm-bench: no workload '%s' (--list lists them)\n",
					optarg);
				return 2;
			}
			o->selected[w - bench_workloads] = o->any_selected = true;
			/* a row's ratio needs its floor's row, measured in the same rounds */
			if (w->floor && bench_workload_find(w->floor))
				o->selected[bench_workload_find(w->floor) - bench_workloads] = true;
			break;
		case 'b':
			o->boot = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'l':
			list_workloads();
			return -1;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "kmm-bench: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	return 0;
}

/* The report's settings, columns and empty cells. 0, 1 (out of memory) or 2 (bad --boot). */
static int prepare(struct bench_report *rep, const struct options *o, int argc, char **argv)
{
	struct kmm_machine *m;

	rep->quick = o->quick;
	rep->runs = (int)(o->runs ? o->runs : o->quick ? 1 : 5);
	rep->params.target_ns = o->time_ms ? o->time_ms * 1000000ULL
			       : o->quick ? 2000000ULL : 100000000ULL;
	rep->params.warmup_ns = rep->params.target_ns / 5;
	rep->sanitizer = KMM_BENCH_SANITIZER[0] != '\0';
	snprintf(rep->boot_cmdline, sizeof(rep->boot_cmdline), "quiet%s%s",
		 o->boot[0] ? " " : "", o->boot);
	command_line(rep->command, sizeof(rep->command), argc, argv);
	/* a bad --boot is a usage error, not a failure of every kmm run */
	m = kmm_boot(rep->boot_cmdline);
	if (!m) {
		fprintf(stderr, "kmm-bench: kmm_boot(\"%s\"): %s\n", rep->boot_cmdline,
			kmm_last_error());
		return 2;
	}
	kmm_shutdown(m);
	bench_machine_info(&rep->machine);
	rep->nr_alloc = bench_allocators_find(rep->alloc, BENCH_MAX_ALLOCATORS, rep->sanitizer);
	rep->rss_per_workload = bench_rss_reset();

	rep->workloads = calloc(bench_nr_workloads, sizeof(*rep->workloads));
	rep->cells = calloc((size_t)bench_nr_workloads * (size_t)rep->nr_alloc, sizeof(*rep->cells));
	if (!rep->workloads || !rep->cells)
		return 1;
	for (unsigned int i = 0; i < bench_nr_workloads; i++)
		if (!o->any_selected || o->selected[i])
			rep->workloads[rep->nr_workloads++] = i;
	for (unsigned int i = 0; i < rep->nr_workloads * (unsigned int)rep->nr_alloc; i++) {
		struct bench_cell *c = &rep->cells[i];

		c->samples = calloc((size_t)rep->runs, sizeof(double));
		c->by_run = calloc((size_t)rep->runs, sizeof(double));
		if (!c->samples || !c->by_run)
			return 1;
		for (int run = 0; run < rep->runs; run++)
			c->by_run[run] = NAN;
	}
	if (o->output)
		snprintf(rep->results_path, sizeof(rep->results_path), "%s", o->output);
	else if (default_output(rep->results_path, sizeof(rep->results_path)))
		fprintf(stderr, "kmm-bench: no bench/ directory beside the executable: "
			"RESULTS.md not written\n");
	return 0;
}

static void report_free(struct bench_report *rep)
{
	if (rep->cells)
		for (unsigned int i = 0; i < rep->nr_workloads * (unsigned int)rep->nr_alloc; i++) {
			free(rep->cells[i].samples);
			free(rep->cells[i].by_run);
		}
	free(rep->cells);
	free(rep->workloads);
}

int main(int argc, char **argv)
{
	static struct bench_report rep;
	struct options o = { .boot = "" };
	int ret;

	if (argc > 1 && !strcmp(argv[1], "--child"))
		return bench_child_main(argc, argv);
	o.selected = calloc(bench_nr_workloads, sizeof(*o.selected));
	if (!o.selected)
		return 1;
	ret = parse_args(argc, argv, &o);
	if (!ret)
		ret = prepare(&rep, &o, argc, argv);
	free(o.selected);
	if (ret) {
		report_free(&rep);
		return ret < 0 ? 0 : ret;
	}

	signal(SIGALRM, watchdog);
	/* each run starts the row with another allocator, so that none always goes first */
	for (int run = 0; run < rep.runs; run++)
		for (unsigned int row = 0; row < rep.nr_workloads; row++)
			for (int k = 0; k < rep.nr_alloc; k++) {
				int a = (k + run) % rep.nr_alloc;

				if (!runs_on(&bench_workloads[rep.workloads[row]], &rep.alloc[a]))
					continue;
				/* a kmm-only row: its peer cells stay "-" */
				if (rep.alloc[a].kind != BENCH_ALLOC_KMM &&
				    !bench_workloads[rep.workloads[row]].peer_run)
					continue;
				progress(&rep, run, row, a);
				run_one(&rep, run, row, a);
			}
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[K");

	if (rep.results_path[0]) {
		int err = bench_write_markdown(&rep, rep.results_path);

		if (err) {
			fprintf(stderr, "kmm-bench: %s: %s\n", rep.results_path, strerror(-err));
			rep.results_path[0] = '\0';
			rep.failures++;
		}
	}
	if (o.json)
		bench_print_json(&rep, stdout);
	else
		bench_print_text(&rep, stdout);
	ret = rep.failures ? 1 : 0;
	report_free(&rep);
	return ret;
}
