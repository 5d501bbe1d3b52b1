/* SPDX-License-Identifier: MIT */
#ifndef KMM_CLI_H
#define KMM_CLI_H

#include <stdio.h>

#include <kmm/kmm.h>

#define CLI_MAX_ARGS 64

/* A shell command: returns 0 on success, 1 on failure (message on stderr). */
struct cli_command {
	const char *name;
	const char *usage;
	const char *help;
	int (*run)(struct kmm_machine *m, int argc, char **argv);
};

extern const struct cli_command cli_commands[];
const struct cli_command *cli_find_command(const char *name);

/* Splits one command into words (quotes group, '>' is a word); -1 on a syntax error. */
int cli_split(char *line, char **argv, int max);
/* Runs the commands of text (';' or newline separated); returns how many failed. */
int cli_run_text(struct kmm_machine *m, const char *text, const char *origin);
/*
 * The script file being run (NULL: none). A relative path a script's command
 * names is looked up next to the script first, then in the current
 * directory: cli_script_relative() returns the one to open (in buf, or path).
 */
void cli_set_script(const char *path);
const char *cli_script_relative(const char *path, char *buf, size_t len);
/* Runs commands from a stream, with a prompt when interactive. */
int cli_run_stream(struct kmm_machine *m, FILE *f, const char *origin, int interactive);

/* Arguments (args.c); each reports a bad one on stderr, naming cmd. */
/* memparse(): a number (0x for hex) with an optional K, M, G, T, P or E suffix; 0 or -1. */
int cli_parse_size(const char *cmd, const char *s, size_t *size);
/* GFP flags from argv[first..] (GFP_KERNEL when absent); 0 or -1. */
int cli_parse_gfp(const char *cmd, int argc, char **argv, int first, kmm_gfp_t *gfp);
/* 1 if name fits a buffer of max bytes, else 0. */
int cli_name_ok(const char *cmd, const char *name, size_t max);

/* Page allocator commands (pages.c). */
int cli_alloc_pages(struct kmm_machine *m, int argc, char **argv);
int cli_get_free_pages(struct kmm_machine *m, int argc, char **argv);
int cli_free_pages(struct kmm_machine *m, int argc, char **argv);
int cli_quiesce(struct kmm_machine *m, int argc, char **argv);
int cli_check(struct kmm_machine *m, int argc, char **argv);
/* The page NAME holds (alloc_pages or get_free_pages), or NULL if none or freed. */
struct kmm_page *cli_page_of(const char *name);

/* Highmem commands (highmem.c). */
int cli_kmap(struct kmm_machine *m, int argc, char **argv);
int cli_kunmap(struct kmm_machine *m, int argc, char **argv);

/* Slab allocator commands (slab.c). */
int cli_kmalloc(struct kmm_machine *m, int argc, char **argv);
int cli_kzalloc(struct kmm_machine *m, int argc, char **argv);
int cli_krealloc(struct kmm_machine *m, int argc, char **argv);
int cli_kfree(struct kmm_machine *m, int argc, char **argv);
int cli_kmem_cache_create(struct kmm_machine *m, int argc, char **argv);
int cli_kmem_cache_alloc(struct kmm_machine *m, int argc, char **argv);
int cli_kmem_cache_free(struct kmm_machine *m, int argc, char **argv);
int cli_kmem_cache_destroy(struct kmm_machine *m, int argc, char **argv);
int cli_kmem_cache_shrink(struct kmm_machine *m, int argc, char **argv);
int cli_slabtop(struct kmm_machine *m, int argc, char **argv);

/* vmalloc commands (vmalloc.c). */
int cli_vmalloc(struct kmm_machine *m, int argc, char **argv);
int cli_vzalloc(struct kmm_machine *m, int argc, char **argv);
int cli_vfree(struct kmm_machine *m, int argc, char **argv);
int cli_kvmalloc(struct kmm_machine *m, int argc, char **argv);
int cli_kvfree(struct kmm_machine *m, int argc, char **argv);

/* replay (replay_main.c): the script command, on the script's machine */
int cli_replay(struct kmm_machine *m, int argc, char **argv);

/* Subcommands (a first word that is not a script): kmm profiles ..., kmm replay ... */
int cli_profiles(int argc, char **argv);
int cli_replay_main(int argc, char **argv);

#endif
