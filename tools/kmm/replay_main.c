/* SPDX-License-Identifier: MIT */
/*
 * The replay's command lines: `kmm replay [OPTIONS] TRACE...` boots a
 * machine of its own; the script command `replay [OPTIONS] TRACE...` runs on
 * the script's machine. Exit status: 0 when the replay ran (allocation
 * failures are findings, in the report), 1 when an input cannot be read or
 * holds no kmem event, 2 on a usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "replay.h"

#define DEFAULT_CMDLINE "mem=4G"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: kmm replay [-b CMDLINE] [--level slab|page|all] [--json] [--plot DIR]\n"
		"                  [--every N] TRACE...\n"
		"\n"
		"Replays kernel allocation traces (the kmem tracepoints) through a machine and\n"
		"reports what they did to its memory: events, unmatched frees, failures with\n"
		"their call sites, peak and final memory by zone and kind, per-call-site and\n"
		"per-cache tables as perf kmem stat prints them, page orders, buddyinfo and\n"
		"fragmentation at the peak and at the end.\n"
		"\n"
		"TRACE: raw ftrace text (/sys/kernel/tracing/trace or trace_pipe), perf script\n"
		"text, trace-cmd report text, or a trace.dat (with libtracecmd), any of them\n"
		"xz- or gzip-compressed; '-' reads stdin. The format is recognised by content.\n"
		"\n"
		"Options:\n"
		"  -b, --boot CMDLINE   the machine (default \"" DEFAULT_CMDLINE "\"; 'quiet' is added unless\n"
		"                       the line sets quiet or loglevel=)\n"
		"  -l, --level LEVEL    slab: kmalloc/kmem_cache events (kmm's slab takes its own\n"
		"                       pages); page: mm_page_* events; all (default): both, and the\n"
		"                       recorded slab pages are then counted twice\n"
		"  -j, --json           the report as one JSON document\n"
		"  -p, --plot DIR       SVG charts (PNG too with gnuplot) of the samples, into DIR\n"
		"  -e, --every N        sample free memory and fragmentation every N events\n"
		"                       (default with --plot: 1000)\n"
		"  -h, --help           this help\n"
		"\n"
		"Exit status: 0 when the replay ran (allocation failures are findings), 1 when an\n"
		"input cannot be read or holds no kmem event, 2 on a usage error. docs/replay.md\n"
		"tells more.\n");
}

struct replay_opts {
	const char *cmdline;
	enum replay_level level;
	bool json;
	const char *plot;
	uint64_t every;
	int first;		/* argv index of the first trace */
};

/* 0, or 2 after a usage message. */
static int parse(int argc, char **argv, struct replay_opts *o, bool own_machine)
{
	static const struct option opts[] = {
		{ "boot", required_argument, NULL, 'b' },
		{ "level", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "plot", required_argument, NULL, 'p' },
		{ "every", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	char *end;

	memset(o, 0, sizeof(*o));
	o->cmdline = DEFAULT_CMDLINE;
	o->level = REPLAY_ALL;
	optind = 0;	/* rescan: the shell may call this many times */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, own_machine ? "+b:l:jp:e:h" : "+l:jp:e:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			if (!own_machine) {
				fprintf(stderr, "replay: -b: a script's replay runs on the script's machine\n");
				return 2;
			}
			o->cmdline = optarg;
			break;
		case 'l':
			if (!strcmp(optarg, "slab"))
				o->level = REPLAY_SLAB;
			else if (!strcmp(optarg, "page"))
				o->level = REPLAY_PAGE;
			else if (!strcmp(optarg, "all"))
				o->level = REPLAY_ALL;
			else {
				fprintf(stderr, "replay: --level %s: expected slab, page or all\n", optarg);
				return 2;
			}
			break;
		case 'j':
			o->json = true;
			break;
		case 'p':
			o->plot = optarg;
			break;
		case 'e':
			errno = 0;
			o->every = strtoull(optarg, &end, 10);
			if (errno || *end || !o->every || optarg[0] == '-') {
				fprintf(stderr, "replay: --every %s: expected a positive number of events\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			fprintf(stderr, "replay: unknown option '%s'\n", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "replay: no trace given\n");
		usage(stderr);
		return 2;
	}
	if (o->plot && !o->every)
		o->every = 1000;
	o->first = optind;
	return 0;
}

/* first: the first trace's reader, opened already (or NULL) */
static int run(struct kmm_machine *m, const struct replay_opts *o, int argc, char **argv,
	       struct trace_reader *first)
{
	struct replay r;
	int failed = 0;
	char path[4096];

	if (replay_init(&r, m, o->level, o->every)) {
		if (first)
			trace_close(first);
		return 1;
	}
	r.progress = isatty(STDERR_FILENO);
	for (int i = o->first; i < argc; i++)
		if (i == o->first && first)
			failed |= replay_reader(&r, argv[i], first);
		else
			failed |= replay_file(&r, cli_script_relative(argv[i], path, sizeof(path)));
	if (!r.events) {
		replay_destroy(&r);
		return 1;
	}
	replay_finish(&r);
	if (o->json)
		replay_report_json(&r, stdout);
	else
		replay_report_text(&r, stdout);
	fflush(stdout);
	if (o->plot && replay_plot(&r, o->plot))
		failed = 1;
	replay_destroy(&r);
	return failed;
}

/* kmm replay ... */
int cli_replay_main(int argc, char **argv)
{
	struct replay_opts o;
	struct kmm_machine *m;
	struct trace_reader *first;
	char cmdline[1100], err[512];
	int ret = parse(argc, argv, &o, true);

	if (ret)
		return ret == 1 ? 0 : ret;
	/* opened before the boot, so that its decompression overlaps the machine's set-up */
	first = trace_open(argv[o.first], err, sizeof(err));
	if (!first)
		fprintf(stderr, "kmm replay: %s\n", err);
	if (strstr(o.cmdline, "quiet") || strstr(o.cmdline, "loglevel="))
		snprintf(cmdline, sizeof(cmdline), "%s", o.cmdline);
	else
		snprintf(cmdline, sizeof(cmdline), "%s quiet", o.cmdline);
	m = kmm_boot(cmdline);
	if (!m) {
		fprintf(stderr, "kmm replay: boot failed: %s\n", kmm_last_error());
		if (first)
			trace_close(first);
		return 2;
	}
	if (!first && o.first + 1 == argc) {
		kmm_shutdown(m);
		return 1;
	}
	/* a first trace that could not be opened is skipped (its message is out), the others run */
	if (!first)
		o.first++;
	ret = run(m, &o, argc, argv, first);
	if (!first)
		ret = 1;
	kmm_shutdown(m);
	return ret;
}

/* the script command: replay [OPTIONS] TRACE... on the script's machine */
int cli_replay(struct kmm_machine *m, int argc, char **argv)
{
	struct replay_opts o;
	int ret = parse(argc, argv, &o, false);

	if (ret)
		return ret == 1 ? 0 : 1;
	return run(m, &o, argc, argv, NULL) ? 1 : 0;
}
