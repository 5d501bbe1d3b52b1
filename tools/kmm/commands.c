/* SPDX-License-Identifier: MIT */
/*
 * The shell's commands. Each reads or writes the machine through the public
 * API only (kmm_proc_read/kmm_proc_write), as a program on a real machine
 * goes through /proc.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Reads a whole file, growing the buffer to the length kmm_proc_read reports. */
static char *read_file(struct kmm_machine *m, const char *path, long *len)
{
	size_t cap = 4096;
	char *buf = NULL;

	for (;;) {
		char *nbuf = realloc(buf, cap);

		if (!nbuf) {
			free(buf);
			*len = -ENOMEM;
			return NULL;
		}
		buf = nbuf;
		*len = kmm_proc_read(m, path, buf, cap);
		if (*len < 0) {
			free(buf);
			return NULL;
		}
		if ((size_t)*len < cap)
			return buf;
		cap = (size_t)*len + 1;
	}
}

static int cmd_cat(struct kmm_machine *m, int argc, char **argv)
{
	int failed = 0;

	if (argc < 2) {
		fprintf(stderr, "cat: usage: cat PATH...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		long len;
		char *buf = read_file(m, argv[i], &len);

		if (!buf) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror((int)-len));
			failed = 1;
			continue;
		}
		fwrite(buf, 1, (size_t)len, stdout);
		free(buf);
	}
	return failed;
}

static int cmd_echo(struct kmm_machine *m, int argc, char **argv)
{
	char value[1024] = "";
	size_t used = 0;
	int i, ret;

	for (i = 1; i < argc && strcmp(argv[i], ">"); i++) {
		int n = snprintf(value + used, sizeof(value) - used, "%s%s", used ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(value) - used) {
			fprintf(stderr, "echo: value too long\n");
			return 1;
		}
		used += (size_t)n;
	}
	if (i == argc) {
		/* no redirection: print, as echo does */
		puts(value);
		return 0;
	}
	if (i + 2 != argc) {
		fprintf(stderr, "echo: usage: echo VALUE > PATH\n");
		return 1;
	}
	ret = kmm_proc_write(m, argv[i + 1], value);
	if (ret) {
		fprintf(stderr, "echo: write error: %s: %s\n", argv[i + 1], strerror(-ret));
		return 1;
	}
	return 0;
}

/* dmesg reads /dev/kmsg, as util-linux's does: "PRIO,SEQ,USEC,-;TEXT". */
static int cmd_dmesg(struct kmm_machine *m, int argc, char **argv)
{
	long len;
	char *buf, *line, *save = NULL;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "dmesg: usage: dmesg\n");
		return 1;
	}
	buf = read_file(m, "/dev/kmsg", &len);
	if (!buf) {
		fprintf(stderr, "dmesg: %s\n", strerror((int)-len));
		return 1;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long usec = 0;
		char *text = strchr(line, ';');

		if (!text || sscanf(line, "%*d,%*u,%llu", &usec) != 1)
			continue;
		printf("[%5llu.%06llu] ", usec / 1000000, usec % 1000000);
		for (text++; *text; text++) {
			unsigned int c;

			if (text[0] == '\\' && text[1] == 'x' && sscanf(text + 2, "%2x", &c) == 1) {
				putchar((int)c);
				text += 3;
			} else {
				putchar(*text);
			}
		}
		putchar('\n');
	}
	free(buf);
	return 0;
}

static int cmd_ls(struct kmm_machine *m, int argc, char **argv)
{
	long len;
	char *buf;

	(void)argc;
	(void)argv;
	len = kmm_proc_list(m, NULL, 0);
	buf = malloc((size_t)len + 1);
	if (!buf)
		return 1;
	kmm_proc_list(m, buf, (size_t)len + 1);
	fputs(buf, stdout);
	free(buf);
	return 0;
}

static int cmd_help(struct kmm_machine *m, int argc, char **argv);

const struct cli_command cli_commands[] = {
	{ "cat", "cat PATH...", "print a /proc, /sys or /dev file of the machine", cmd_cat },
	{ "echo", "echo VALUE > PATH", "write VALUE to a sysctl or control file (without '>': print VALUE)", cmd_echo },
	{ "dmesg", "dmesg", "print the kernel log", cmd_dmesg },
	{ "ls", "ls", "list the files cat and echo know", cmd_ls },
	{ "alloc_pages", "alloc_pages NAME ORDER [GFP]", "alloc_pages(GFP, ORDER), kept as NAME (GFP as the kernel prints it; default GFP_KERNEL)", cli_alloc_pages },
	{ "get_free_pages", "get_free_pages NAME ORDER [GFP]", "__get_free_pages(GFP, ORDER): a direct-map address, kept as NAME", cli_get_free_pages },
	{ "free_pages", "free_pages NAME", "free what NAME holds (a second free is reported by the allocator)", cli_free_pages },
	{ "kmalloc", "kmalloc NAME SIZE [GFP]", "kmalloc(SIZE, GFP), kept as NAME: prints the cache (or the pages of a large one), the address and ksize", cli_kmalloc },
	{ "kzalloc", "kzalloc NAME SIZE [GFP]", "kzalloc(SIZE, GFP): kmalloc with __GFP_ZERO", cli_kzalloc },
	{ "krealloc", "krealloc NAME SIZE [GFP]", "krealloc(NAME, SIZE, GFP): in place or moved (an unknown NAME: a new object)", cli_krealloc },
	{ "kfree", "kfree NAME", "kfree what NAME holds (a second kfree reaches the allocator)", cli_kfree },
	{ "kmem_cache_create", "kmem_cache_create CACHE SIZE [ALIGN] [FLAGS]", "kmem_cache_create(CACHE, SIZE, ALIGN, FLAGS, NULL); FLAGS as SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT or a number", cli_kmem_cache_create },
	{ "kmem_cache_alloc", "kmem_cache_alloc NAME CACHE [GFP]", "kmem_cache_alloc(CACHE, GFP), kept as NAME (CACHE: one made by kmem_cache_create, or any cache by name)", cli_kmem_cache_alloc },
	{ "kmem_cache_free", "kmem_cache_free NAME", "kmem_cache_free() of an object from kmem_cache_alloc", cli_kmem_cache_free },
	{ "kmem_cache_destroy", "kmem_cache_destroy CACHE", "kmem_cache_destroy() of a cache made by kmem_cache_create (fails when objects remain)", cli_kmem_cache_destroy },
	{ "kmem_cache_shrink", "kmem_cache_shrink CACHE", "kmem_cache_shrink(): flush the per-CPU slabs and release the empty ones", cli_kmem_cache_shrink },
	{ "slabtop", "slabtop [-s KEY]", "one slabtop -o screen from /proc/slabinfo (KEY: o objects, a active, c cache size, n name...)", cli_slabtop },
	{ "vmalloc", "vmalloc NAME SIZE", "vmalloc(SIZE), kept as NAME: prints the area and the runs of frames behind it", cli_vmalloc },
	{ "vzalloc", "vzalloc NAME SIZE", "vzalloc(SIZE): vmalloc, zeroed", cli_vzalloc },
	{ "vfree", "vfree NAME", "vfree() of an area from vmalloc or vzalloc (a second vfree is reported by the kernel)", cli_vfree },
	{ "kvmalloc", "kvmalloc NAME SIZE [GFP]", "kvmalloc(SIZE, GFP): kmalloc when it can, else vmalloc; prints which", cli_kvmalloc },
	{ "kvfree", "kvfree NAME", "kvfree() of what kvmalloc (or vmalloc) gave NAME", cli_kvfree },
	{ "kmap", "kmap NAME PAGE-NAME", "kmap() the first page of PAGE-NAME (from alloc_pages), kept as NAME: prints its address", cli_kmap },
	{ "kunmap", "kunmap NAME", "kunmap() the page kmapped as NAME (a second kunmap reaches the kernel's BUG)", cli_kunmap },
	{ "replay", "replay [--level L] [--json] [--every N] [--plot DIR] TRACE...", "replay kmem traces on this machine and print the report (kmm replay -h)", cli_replay },
	{ "quiesce", "quiesce", "run deferred frees, purge lazily freed vmalloc ranges, drain the per-CPU lists: the free counts of a machine at rest", cli_quiesce },
	{ "check", "check", "run the integrity walkers (memblock, page allocator, slab, highmem, vmalloc)", cli_check },
	{ "help", "help [COMMAND]", "list the commands, or describe one", cmd_help },
	{ NULL, NULL, NULL, NULL },
};

const struct cli_command *cli_find_command(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int cmd_help(struct kmm_machine *m, int argc, char **argv)
{
	(void)m;
	if (argc > 1) {
		const struct cli_command *c = cli_find_command(argv[1]);

		if (!c) {
			fprintf(stderr, "help: %s: unknown command\n", argv[1]);
			return 1;
		}
		printf("%s\n    %s\n", c->usage, c->help);
		return 0;
	}
	printf("Commands (separate them with ';' or newlines; sizes as the kernel reads them, e.g. 8M):\n");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		printf("  %-31s %s\n", c->usage, c->help);
	return 0;
}
