/* SPDX-License-Identifier: MIT */
/*
 * Highmem commands: kmap NAME PAGE-NAME and kunmap NAME. A kmap is kept by
 * name with its page; the name stays known after its kunmap, so a second
 * kunmap reaches the kernel, which reports the BUG, and the command fails.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct kmapping {
	char name[32];
	struct kmm_page *page;
	int unmapped;
};

static struct kmapping *maps;
static size_t nr_maps, cap_maps;

static struct kmapping *lookup(const char *name)
{
	for (size_t i = 0; i < nr_maps; i++)
		if (!strcmp(maps[i].name, name))
			return &maps[i];
	return NULL;
}

static struct kmapping *define(const char *name)
{
	struct kmapping *k = lookup(name);

	if (k)
		return k;
	if (nr_maps == cap_maps) {
		size_t cap = cap_maps ? cap_maps * 2 : 64;
		struct kmapping *nk = realloc(maps, cap * sizeof(*nk));

		if (!nk)
			return NULL;
		maps = nk;
		cap_maps = cap;
	}
	k = &maps[nr_maps++];
	memset(k, 0, sizeof(*k));
	snprintf(k->name, sizeof(k->name), "%s", name);
	return k;
}

/* Distinct highmem pages this shell holds kmapped: each holds a PKMAP slot. */
static unsigned long slots_held(void)
{
	unsigned long n = 0;

	for (size_t i = 0; i < nr_maps; i++) {
		size_t j;

		if (maps[i].unmapped || !kmm_PageHighMem(maps[i].page))
			continue;
		for (j = 0; j < i; j++)
			if (!maps[j].unmapped && maps[j].page == maps[i].page)
				break;
		n += j == i;
	}
	return n;
}

int cli_kmap(struct kmm_machine *m, int argc, char **argv)
{
	const struct kmm_layout *l = kmm_layout(m);
	struct kmm_page *page;
	struct kmapping *k;
	uintptr_t addr;

	if (argc != 3) {
		fprintf(stderr, "kmap: usage: kmap NAME PAGE-NAME\n");
		return 1;
	}
	k = lookup(argv[1]);
	if (k && !k->unmapped) {
		fprintf(stderr, "kmap: %s is mapped already (kunmap %s first)\n", argv[1], argv[1]);
		return 1;
	}
	page = cli_page_of(argv[2]);
	if (!page) {
		fprintf(stderr, "kmap: %s: no such page (alloc_pages %s 0 GFP_HIGHUSER first)\n",
			argv[2], argv[2]);
		return 1;
	}
	/* this shell is the machine's only task: nobody would ever wake it */
	if (kmm_PageHighMem(page) && !kmm_page_address(m, page) && slots_held() >= l->last_pkmap) {
		fprintf(stderr, "kmap: all %u PKMAP slots are held by this shell's kmaps: kmap would sleep forever\n",
			l->last_pkmap);
		return 1;
	}
	addr = (uintptr_t)kmm_kmap(m, page);
	if (!addr) {
		fprintf(stderr, "kmap: %s: kmap failed: the kernel log has the reason\n", argv[1]);
		return 1;
	}
	k = define(argv[1]);
	if (!k)
		return 1;
	k->page = page;
	k->unmapped = 0;
	printf("%s: pfn %#lx (%s) at %#lx", k->name, kmm_page_to_pfn(l, page),
	       kmm_page_zone_name(page), (unsigned long)addr);
	if (addr >= l->pkmap_base && addr < l->pkmap_base + ((uintptr_t)l->last_pkmap << KMM_PAGE_SHIFT))
		printf(", PKMAP slot %lu\n", (unsigned long)((addr - l->pkmap_base) >> KMM_PAGE_SHIFT));
	else
		printf(", the direct map\n");
	return 0;
}

int cli_kunmap(struct kmm_machine *m, int argc, char **argv)
{
	struct kmapping *k;

	if (argc != 2) {
		fprintf(stderr, "kunmap: usage: kunmap NAME\n");
		return 1;
	}
	k = lookup(argv[1]);
	if (!k) {
		fprintf(stderr, "kunmap: %s: no such kmap\n", argv[1]);
		return 1;
	}
	kmm_kunmap(m, k->page);
	if (k->unmapped++) {
		fprintf(stderr, "kunmap: %s was kunmapped already\n", argv[1]);
		return 1;
	}
	return 0;
}
