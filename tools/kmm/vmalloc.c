/* SPDX-License-Identifier: MIT */
/*
 * vmalloc commands: vmalloc, vzalloc, vfree, kvmalloc, kvfree. Areas are
 * kept by name, as the slab commands keep objects; a name stays known after
 * its free, so a second vfree reaches the allocator, which reports it on the
 * kernel log. Each allocation prints where the area lies and the runs of
 * physically contiguous frames behind it: one host mapping each.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct area {
	char name[32];
	void *ptr;
	size_t size;
	int freed;
};

static struct area *areas;
static size_t nr_areas, cap_areas;

static struct area *area_lookup(const char *name)
{
	for (size_t i = 0; i < nr_areas; i++)
		if (!strcmp(areas[i].name, name))
			return &areas[i];
	return NULL;
}

static struct area *area_define(const char *name)
{
	struct area *a = area_lookup(name);

	if (a)
		return a;
	if (nr_areas == cap_areas) {
		size_t cap = cap_areas ? cap_areas * 2 : 32;
		struct area *na = realloc(areas, cap * sizeof(*na));

		if (!na)
			return NULL;
		areas = na;
		cap_areas = cap;
	}
	a = &areas[nr_areas++];
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	return a;
}

/* The frames behind a vmalloc area, as runs of consecutive pfns, and their zones. */
static void describe_frames(struct kmm_machine *m, const void *p, size_t size)
{
	const struct kmm_layout *l = kmm_layout(m);
	unsigned long nr = (size + KMM_PAGE_SIZE - 1) / KMM_PAGE_SIZE, runs = 0, start = 0, prev = 0;
	unsigned long zone_pages[8] = { 0 };
	const char *zone_names[8] = { 0 };
	int nz = 0;

	printf("  frames:");
	for (unsigned long i = 0; i <= nr; i++) {
		struct kmm_page *page = i < nr ? kmm_vmalloc_to_page(m, (const char *)p + i * KMM_PAGE_SIZE) : NULL;
		unsigned long pfn = page ? kmm_page_to_pfn(l, page) : 0;
		int z;

		if (page) {
			const char *zn = kmm_page_zone_name(page);

			for (z = 0; z < nz && strcmp(zone_names[z], zn); z++)
				;
			if (z == nz && nz < 8)
				zone_names[nz++] = zn;
			if (z < 8)
				zone_pages[z]++;
		}
		if (i && page && pfn == prev + 1) {
			prev = pfn;
			continue;
		}
		if (i) {
			if (runs < 8)
				printf(" %#lx-%#lx", start, prev);
			runs++;
		}
		start = prev = pfn;
	}
	if (runs > 8)
		printf(" ... (%lu runs in all)", runs);
	printf("\n  %lu page%s in %lu run%s of contiguous frames:", nr, nr == 1 ? "" : "s", runs,
	       runs == 1 ? "" : "s");
	for (int z = 0; z < nz; z++)
		printf(" %s %lu", zone_names[z], zone_pages[z]);
	printf("\n");
}

/* inline: the area's caller (/proc/vmallocinfo) is then the exported command function */
static inline __attribute__((always_inline)) int alloc_common(struct kmm_machine *m, int argc, char **argv,
							   int zero, int kv)
{
	const char *cmd = argv[0];
	struct area *a;
	kmm_gfp_t gfp = KMM_GFP_KERNEL;
	size_t size;
	void *p;

	if (argc < 3 || (!kv && argc > 3)) {
		fprintf(stderr, "%s: usage: %s NAME SIZE%s\n", cmd, cmd, kv ? " [GFP]" : "");
		return 1;
	}
	if (!cli_name_ok(cmd, argv[1], sizeof(a->name)) || cli_parse_size(cmd, argv[2], &size) ||
	    (kv && cli_parse_gfp(cmd, argc, argv, 3, &gfp)))
		return 1;
	a = area_lookup(argv[1]);
	if (a && !a->freed) {
		fprintf(stderr, "%s: %s is in use (free it first)\n", cmd, argv[1]);
		return 1;
	}
	if (kv)
		p = kmm_kvmalloc(m, size, gfp | (zero ? KMM___GFP_ZERO : 0));
	else
		p = zero ? kmm_vzalloc(m, size) : kmm_vmalloc(m, size);
	if (!p) {
		fprintf(stderr, "%s: %s: %zu-byte allocation failed (see the kernel log)\n", cmd,
			argv[1], size);
		return 1;
	}
	a = area_define(argv[1]);
	if (!a) {
		kmm_kvfree(m, p);
		fprintf(stderr, "%s: out of memory\n", cmd);
		return 1;
	}
	a->ptr = p;
	a->size = size;
	a->freed = 0;
	if (kmm_is_vmalloc_addr(m, p)) {
		size_t usable = kmm_vmalloc_size(m, p);

		printf("%s: vmalloc area %p-%p, %zu bytes (+ a guard page)\n", a->name, p,
		       (void *)((char *)p + usable), usable);
		describe_frames(m, p, usable);
	} else {
		printf("%s: kmalloc'ed at %p, ksize %zu\n", a->name, p, kmm_ksize(m, p));
	}
	return 0;
}

int cli_vmalloc(struct kmm_machine *m, int argc, char **argv)
{
	return alloc_common(m, argc, argv, 0, 0);
}

int cli_vzalloc(struct kmm_machine *m, int argc, char **argv)
{
	return alloc_common(m, argc, argv, 1, 0);
}

int cli_kvmalloc(struct kmm_machine *m, int argc, char **argv)
{
	return alloc_common(m, argc, argv, 0, 1);
}

static int free_common(struct kmm_machine *m, int argc, char **argv, int kv)
{
	struct area *a;

	if (argc != 2) {
		fprintf(stderr, "%s: usage: %s NAME\n", argv[0], argv[0]);
		return 1;
	}
	a = area_lookup(argv[1]);
	if (!a) {
		fprintf(stderr, "%s: %s: no such area (name one made by vmalloc, vzalloc or kvmalloc)\n",
			argv[0], argv[1]);
		return 1;
	}
	/* a second free reaches the allocator, which reports it */
	if (kv)
		kmm_kvfree(m, a->ptr);
	else
		kmm_vfree(m, a->ptr);
	printf("%s: %s %p\n", a->name, a->freed ? "freed again" : "freed", a->ptr);
	a->freed = 1;
	return 0;
}

int cli_vfree(struct kmm_machine *m, int argc, char **argv)
{
	return free_common(m, argc, argv, 0);
}

int cli_kvfree(struct kmm_machine *m, int argc, char **argv)
{
	return free_common(m, argc, argv, 1);
}
