/* SPDX-License-Identifier: MIT */
/*
 * The command language: one command per line or ';'-separated; '#' starts a
 * comment; words are split on blanks, "double" or 'single' quotes group
 * them, and '>' stands alone as a word. A failed command is reported with
 * its origin (-c, script:line) and the rest still run.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *r = line, *w = line;

	for (;;) {
		char quote = 0;

		while (*r == ' ' || *r == '\t' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			break;
		if (argc == max - 1)
			return -1;
		if (*r == '>') {
			argv[argc++] = ">";
			r++;
			continue;
		}
		argv[argc++] = w;
		for (; *r; r++) {
			if (quote) {
				if (*r == quote)
					quote = 0;
				else
					*w++ = *r;
			} else if (*r == '"' || *r == '\'') {
				quote = *r;
			} else if (*r == ' ' || *r == '\t' || *r == '\r' || *r == '>') {
				break;
			} else {
				*w++ = *r;
			}
		}
		if (quote)
			return -1;
		if (*r == '>') {
			*w++ = '\0';
			continue;
		}
		if (*r)
			r++;
		*w++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

static int run_one(struct kmm_machine *m, char *cmd, const char *origin)
{
	char *argv[CLI_MAX_ARGS];
	const struct cli_command *c;
	int argc = cli_split(cmd, argv, CLI_MAX_ARGS);

	if (argc < 0) {
		fprintf(stderr, "kmm: %s: syntax error (unterminated quote or too many words)\n", origin);
		return 1;
	}
	if (argc == 0)
		return 0;
	c = cli_find_command(argv[0]);
	if (!c) {
		fprintf(stderr, "kmm: %s: %s: unknown command (try 'help')\n", origin, argv[0]);
		return 1;
	}
	return c->run(m, argc, argv) ? 1 : 0;
}

/* Splits on ';' outside quotes and runs each piece. */
static int run_line(struct kmm_machine *m, char *line, const char *origin)
{
	int failed = 0;
	char quote = 0, *start = line;

	for (char *p = line;; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			else if (!*p)
				return failed + run_one(m, start, origin);
			continue;
		}
		if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '#') {
			*p = '\0';
			return failed + run_one(m, start, origin);
		} else if (*p == ';' || !*p) {
			int end = !*p;

			*p = '\0';
			failed += run_one(m, start, origin);
			if (end)
				return failed;
			start = p + 1;
		}
	}
}

int cli_run_text(struct kmm_machine *m, const char *text, const char *origin)
{
	char *copy = strdup(text), *line, *save = NULL;
	int failed = 0;

	if (!copy)
		return 1;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		failed += run_line(m, line, origin);
	free(copy);
	return failed;
}

/* The script being run, if any: commands that read files look next to it first. */
static const char *script_file;

void cli_set_script(const char *path)
{
	script_file = path;
}

const char *cli_script_relative(const char *path, char *buf, size_t len)
{
	const char *slash;

	if (!script_file || path[0] == '/' || !strcmp(path, "-"))
		return path;
	slash = strrchr(script_file, '/');
	if (!slash)
		return path;
	snprintf(buf, len, "%.*s/%s", (int)(slash - script_file), script_file, path);
	return access(buf, F_OK) ? path : buf;
}

int cli_run_stream(struct kmm_machine *m, FILE *f, const char *origin, int interactive)
{
	char *line = NULL, where[512];
	size_t cap = 0;
	ssize_t n;
	int failed = 0;
	unsigned long lineno = 0;

	for (;;) {
		if (interactive) {
			fputs("kmm> ", stdout);
			fflush(stdout);
		}
		n = getline(&line, &cap, f);
		if (n < 0)
			break;
		lineno++;
		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		snprintf(where, sizeof(where), "%s:%lu", origin, lineno);
		failed += run_line(m, line, where);
		fflush(stdout);
	}
	if (interactive)
		putchar('\n');
	free(line);
	return failed;
}
