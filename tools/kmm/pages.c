/* SPDX-License-Identifier: MIT */
/*
 * Page allocator commands: alloc_pages, get_free_pages, free_pages, quiesce,
 * check. Allocations are kept by name; a name stays known after its free, so
 * freeing it twice reaches the allocator, which reports the double free as
 * the kernel does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct named {
	char name[32];
	struct kmm_page *page;	/* alloc_pages */
	unsigned long addr;	/* get_free_pages */
	unsigned int order;
	int freed;
};

static struct named *names;
static size_t nr_names, cap_names;

static struct named *lookup(const char *name)
{
	for (size_t i = 0; i < nr_names; i++)
		if (!strcmp(names[i].name, name))
			return &names[i];
	return NULL;
}

static struct named *define(const char *name)
{
	struct named *n = lookup(name);

	if (n)
		return n;
	if (nr_names == cap_names) {
		size_t cap = cap_names ? cap_names * 2 : 64;
		struct named *nn = realloc(names, cap * sizeof(*nn));

		if (!nn)
			return NULL;
		names = nn;
		cap_names = cap;
	}
	n = &names[nr_names++];
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	return n;
}

struct kmm_page *cli_page_of(const char *name)
{
	struct named *n = lookup(name);

	return n && !n->freed ? n->page : NULL;
}

static int parse_order(const char *cmd, const char *s, unsigned int *order)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (end == s || *end || v > 64) {
		fprintf(stderr, "%s: %s: invalid order\n", cmd, s);
		return -1;
	}
	*order = (unsigned int)v;
	return 0;
}

static void describe(struct kmm_machine *m, const char *name, struct kmm_page *page,
		     unsigned int order, unsigned long addr)
{
	const struct kmm_layout *l = kmm_layout(m);
	unsigned long pfn = kmm_page_to_pfn(l, page);

	printf("%s: order %u, pfn %#lx-%#lx, zone %s", name, order, pfn, pfn + (1UL << order) - 1,
	       kmm_page_zone_name(page));
	if (addr)
		printf(", address %#lx", addr);
	printf("\n");
}

static int alloc_common(struct kmm_machine *m, int argc, char **argv, int get_free)
{
	const char *cmd = argv[0];
	unsigned int order;
	kmm_gfp_t gfp;
	struct named *n;
	struct kmm_page *page;
	unsigned long addr = 0;

	if (argc < 3) {
		fprintf(stderr, "%s: usage: %s NAME ORDER [GFP]\n", cmd, cmd);
		return 1;
	}
	if (parse_order(cmd, argv[2], &order) || cli_parse_gfp(cmd, argc, argv, 3, &gfp))
		return 1;
	n = lookup(argv[1]);
	if (n && !n->freed) {
		fprintf(stderr, "%s: %s is allocated already (free_pages %s first)\n", cmd, argv[1], argv[1]);
		return 1;
	}
	if (get_free) {
		addr = kmm___get_free_pages(m, gfp, order);
		page = addr ? kmm_virt_to_page(kmm_layout(m), (void *)addr) : NULL;
	} else {
		page = kmm_alloc_pages(m, gfp, order);
	}
	if (!page) {
		fprintf(stderr, "%s: %s: order-%u allocation failed\n", cmd, argv[1], order);
		return 1;
	}
	n = define(argv[1]);
	if (!n)
		return 1;
	n->page = page;
	n->addr = addr;
	n->order = order;
	n->freed = 0;
	describe(m, n->name, page, order, addr);
	return 0;
}

int cli_alloc_pages(struct kmm_machine *m, int argc, char **argv)
{
	return alloc_common(m, argc, argv, 0);
}

int cli_get_free_pages(struct kmm_machine *m, int argc, char **argv)
{
	return alloc_common(m, argc, argv, 1);
}

int cli_free_pages(struct kmm_machine *m, int argc, char **argv)
{
	struct named *n;

	if (argc != 2) {
		fprintf(stderr, "free_pages: usage: free_pages NAME\n");
		return 1;
	}
	n = lookup(argv[1]);
	if (!n) {
		fprintf(stderr, "free_pages: %s: no such allocation\n", argv[1]);
		return 1;
	}
	if (n->addr)
		kmm_free_pages(m, n->addr, n->order);
	else
		kmm___free_pages(m, n->page, n->order);
	n->freed++;
	if (n->freed > 1) {
		/* the allocator has reported it on the kernel log */
		fprintf(stderr, "free_pages: %s was freed already: the kernel log has the report\n", argv[1]);
		return 1;
	}
	return 0;
}

int cli_quiesce(struct kmm_machine *m, int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "quiesce: usage: quiesce\n");
		return 1;
	}
	kmm_quiesce(m);
	return 0;
}

int cli_check(struct kmm_machine *m, int argc, char **argv)
{
	int mb, pa, sl, hm, vm;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "check: usage: check\n");
		return 1;
	}
	mb = kmm_memblock_check(m);
	pa = kmm_page_alloc_check(m);
	sl = kmm_slab_check(m);
	hm = kmm_highmem_check(m);
	vm = (int)kmm_vmalloc_check(m);
	printf("memblock: %d violation%s\npage allocator: %d violation%s\nslab: %d violation%s\n",
	       mb, mb == 1 ? "" : "s", pa, pa == 1 ? "" : "s", sl, sl == 1 ? "" : "s");
	printf("highmem: %d violation%s\nvmalloc: %d violation%s\n", hm, hm == 1 ? "" : "s", vm,
	       vm == 1 ? "" : "s");
	return mb || pa || sl || hm || vm;
}
