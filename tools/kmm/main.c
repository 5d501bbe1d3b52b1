/* SPDX-License-Identifier: MIT */
/*
 * kmm: boot a simulated machine and run commands on it.
 *
 *   kmm [-b CMDLINE] [-c COMMANDS] [SCRIPT|-]
 *   kmm profiles
 *   kmm replay [-b CMDLINE] [--level slab|page|all] [--json] [--plot DIR] [--every N] TRACE...
 *
 * Exit status: 0 when every command succeeded, 1 when any failed, 2 on a
 * usage or boot error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: kmm [-b CMDLINE] [-c COMMANDS] [SCRIPT|-]\n"
		"       kmm profiles\n"
		"       kmm replay [-b CMDLINE] [--level L] [--json] [--plot DIR] [--every N] TRACE...\n"
		"\n"
		"Boots a simulated machine from a Linux kernel command line and runs\n"
		"commands on it: from -c (separated by ';' or newlines), from SCRIPT, from\n"
		"stdin ('-', or no argument), or in an interactive shell when stdin is a\n"
		"terminal. Type 'help' for the commands.\n"
		"\n"
		"Options:\n"
		"  -b, --boot CMDLINE   kernel command line, e.g. \"profile=i386-highmem mem=1G\"\n"
		"                       (default: the x86_64 profile with its defaults)\n"
		"  -c, --command CMDS   run CMDS, then SCRIPT if one is given\n"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version\n"
		"\n"
		"Subcommands:\n"
		"  profiles             list the machine profiles\n"
		"  replay TRACE...      replay kmem traces through a machine ('kmm replay -h')\n"
		"\n"
		"Boot parameters: profile= mem= memmap=SIZE$START nr_cpus= vmalloc= quiet\n"
		"loglevel= memblock=debug min_free_kbytes= fail_page_alloc=I,P,S,T\n"
		"page_reporting.page_reporting_order= kmm.stop_at=memblock kmm.ram=anon\n"
		"kmm.deferred_init=1 kmm.page_reporting_thread=0 (docs/profiles.md,\n"
		"docs/machine.md); for the slab allocator slub_debug= slab_nomerge\n"
		"slab_min_order= slab_max_order= slab_min_objects= failslab= init_on_alloc=\n"
		"init_on_free= kmemleak=on kmm.slab_freelist_hardened=1\n"
		"kmm.slab_freelist_random=1 (docs/slab.md)\n"
		"\n"
		"The kernel log is echoed to stderr (boot with 'quiet' or 'loglevel=N' to\n"
		"quieten it); file contents go to stdout. Exit status: 0 if all commands\n"
		"succeeded, 1 if any failed, 2 on a usage or boot error.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "boot", required_argument, NULL, 'b' },
		{ "command", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmdline = "", *commands = NULL, *script = NULL;
	struct kmm_machine *m;
	int opt, failed = 0;

	if (argc > 1 && !strcmp(argv[1], "profiles"))
		return cli_profiles(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "replay"))
		return cli_replay_main(argc - 1, argv + 1);
	while ((opt = getopt_long(argc, argv, "+b:c:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			cmdline = optarg;
			break;
		case 'c':
			commands = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("kmm %s\n", KMM_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc)
		script = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "kmm: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (script && !strcmp(script, "profiles"))
		return cli_profiles(1, argv + optind - 1);

	FILE *in = NULL;

	if (script && strcmp(script, "-")) {
		in = fopen(script, "r");
		if (!in) {
			fprintf(stderr, "kmm: %s: %s\n", script, strerror(errno));
			return 2;
		}
	}
	m = kmm_boot(cmdline);
	if (!m) {
		fprintf(stderr, "kmm: boot failed: %s\n", kmm_last_error());
		if (in)
			fclose(in);
		return 2;
	}
	if (commands)
		failed += cli_run_text(m, commands, "-c");
	if (in) {
		cli_set_script(script);
		failed += cli_run_stream(m, in, script, 0);
		fclose(in);
	} else if (!commands || (script && !strcmp(script, "-"))) {
		failed += cli_run_stream(m, stdin, "stdin", isatty(STDIN_FILENO));
	}
	kmm_shutdown(m);
	return failed ? 1 : 0;
}
