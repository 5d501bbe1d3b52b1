/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line: "profile=i386-highmem mem=1G nr_cpus=2 quiet".
 * Words are separated by blanks; a value may be double-quoted. Sizes are
 * read as the kernel's memparse() reads them (a C integer, 0x for hex, then
 * an optional K, M, G, T, P or E). An unknown parameter or a bad value fails
 * the boot with a message naming it: a mistyped parameter silently ignored
 * would make a test measure the wrong machine.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "../core/internal.h"

#define G_1 (1ULL << 30)

struct boot_args {
	const struct kmm_profile *profile;
	uint64_t mem;
	bool have_mem;
	unsigned int nr_cpus;
	uint64_t vmalloc;
	bool have_vmalloc;
	int loglevel;
	bool quiet;
	bool memblock_debug;
	struct { uint64_t start, size; } memmap[8];
	int nr_memmap;
	bool stop_at_memblock;
	bool ram_anon;
	long deferred_init;
	long reporting_thread;
	long min_free_kbytes;
	long page_reporting_order;
	const char *fail_page_alloc;
	const char *slub_debug;		/* "" for a bare slub_debug */
	const char *failslab;
	bool kmemleak;
	long freelist_random, freelist_hardened;
	long init_on_alloc, init_on_free;
	bool nomerge;
	long slab_min_order, slab_max_order, slab_min_objects;
};

/* memparse(): 0 and *end == s when there is no number. */
static uint64_t memparse(const char *s, const char **end)
{
	char *e;
	uint64_t v;

	if (!isdigit((unsigned char)*s)) {
		*end = s;
		return 0;
	}
	errno = 0;
	v = strtoull(s, &e, 0);
	if (errno) {
		*end = s;
		return 0;
	}
	switch (*e) {
	case 'E': case 'e': v <<= 10; /* fall through */
	case 'P': case 'p': v <<= 10; /* fall through */
	case 'T': case 't': v <<= 10; /* fall through */
	case 'G': case 'g': v <<= 10; /* fall through */
	case 'M': case 'm': v <<= 10; /* fall through */
	case 'K': case 'k': v <<= 10; e++; break;
	default: break;
	}
	*end = e;
	return v;
}

static int size_value(const char *key, const char *val, uint64_t *out)
{
	const char *end;

	*out = memparse(val, &end);
	if (end == val || *end)
		return kmm_set_error(-EINVAL, "%s=%s: invalid size (expected a number with an optional K, M or G suffix)",
				     key, val);
	return 0;
}

static int int_value(const char *key, const char *val, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(val, &end, 0);
	if (end == val || *end || errno || *out < lo || *out > hi)
		return kmm_set_error(-EINVAL, "%s=%s: invalid value (expected an integer in %ld..%ld)",
				     key, val, lo, hi);
	return 0;
}

static int parse_param(struct boot_args *a, const char *key, const char *val)
{
	long n;
	int ret;

	if (!strcmp(key, "profile")) {
		if (!val || !(a->profile = kmm_profile_find(val)))
			return kmm_set_error(-EINVAL, "profile=%s: unknown profile (see 'kmm profiles')",
					     val ? val : "");
		return 0;
	}
	if (!strcmp(key, "quiet") && !val) {
		a->quiet = true;
		return 0;
	}
	if (!strcmp(key, "slub_debug") || !strcmp(key, "slab_debug")) {
		if (val && strlen(val) >= sizeof(((struct kmm_machine_desc *)0)->slub_debug))
			return kmm_set_error(-EINVAL, "%s=%s: value too long", key, val);
		a->slub_debug = val ? val : "";
		return 0;
	}
	if ((!strcmp(key, "slab_nomerge") || !strcmp(key, "slub_nomerge")) && !val) {
		a->nomerge = true;
		return 0;
	}
	if ((!strcmp(key, "slab_merge") || !strcmp(key, "slub_merge")) && !val) {
		a->nomerge = false;
		return 0;
	}
	if (!val)
		return kmm_set_error(-EINVAL, "'%s': unknown kernel command line parameter", key);
	if (!strcmp(key, "mem")) {
		a->have_mem = true;
		return size_value(key, val, &a->mem);
	}
	if (!strcmp(key, "vmalloc")) {
		a->have_vmalloc = true;
		return size_value(key, val, &a->vmalloc);
	}
	if (!strcmp(key, "nr_cpus")) {
		ret = int_value(key, val, 1, KMM_NR_CPUS_MAX, &n);
		a->nr_cpus = (unsigned int)n;
		return ret;
	}
	if (!strcmp(key, "loglevel")) {
		ret = int_value(key, val, 0, 15, &n);
		a->loglevel = (int)n;
		return ret;
	}
	if (!strcmp(key, "memblock")) {
		if (strcmp(val, "debug"))
			return kmm_set_error(-EINVAL, "memblock=%s: invalid value (expected 'debug')", val);
		a->memblock_debug = true;
		return 0;
	}
	if (!strcmp(key, "kmm.stop_at")) {
		if (strcmp(val, "memblock"))
			return kmm_set_error(-EINVAL, "kmm.stop_at=%s: invalid value (expected 'memblock')", val);
		a->stop_at_memblock = true;
		return 0;
	}
	if (!strcmp(key, "kmm.ram")) {
		if (strcmp(val, "memfd") && strcmp(val, "anon"))
			return kmm_set_error(-EINVAL, "kmm.ram=%s: invalid value (expected 'memfd' or 'anon')", val);
		a->ram_anon = !strcmp(val, "anon");
		return 0;
	}
	if (!strcmp(key, "kmm.page_reporting_thread"))
		return int_value(key, val, 0, 1, &a->reporting_thread);
	if (!strcmp(key, "kmm.deferred_init"))
		return int_value(key, val, 0, 1, &a->deferred_init);
	if (!strcmp(key, "failslab")) {
		struct kmm_fault_attr probe;

		kmm_fault_attr_init(&probe, 1);
		if (kmm_fault_attr_parse(&probe, val))
			return kmm_set_error(-EINVAL, "failslab=%s: invalid value (expected <interval>,<probability>,<space>,<times>)", val);
		a->failslab = val;
		return 0;
	}
	if (!strcmp(key, "kmemleak")) {
		if (strcmp(val, "on") && strcmp(val, "off"))
			return kmm_set_error(-EINVAL, "kmemleak=%s: invalid value (expected 'on' or 'off')", val);
		a->kmemleak = !strcmp(val, "on");
		return 0;
	}
	if (!strcmp(key, "kmm.slab_freelist_random"))
		return int_value(key, val, 0, 1, &a->freelist_random);
	if (!strcmp(key, "kmm.slab_freelist_hardened"))
		return int_value(key, val, 0, 1, &a->freelist_hardened);
	if (!strcmp(key, "init_on_alloc"))
		return int_value(key, val, 0, 1, &a->init_on_alloc);
	if (!strcmp(key, "init_on_free"))
		return int_value(key, val, 0, 1, &a->init_on_free);
	if (!strcmp(key, "slab_min_order") || !strcmp(key, "slub_min_order"))
		return int_value(key, val, 0, 10, &a->slab_min_order);
	if (!strcmp(key, "slab_max_order") || !strcmp(key, "slub_max_order"))
		return int_value(key, val, 0, 10, &a->slab_max_order);
	if (!strcmp(key, "slab_min_objects") || !strcmp(key, "slub_min_objects"))
		return int_value(key, val, 1, 32767, &a->slab_min_objects);
	if (!strcmp(key, "min_free_kbytes"))
		return int_value(key, val, 128, 262144 * 4, &a->min_free_kbytes);
	if (!strcmp(key, "page_reporting.page_reporting_order"))
		return int_value(key, val, 0, 64, &a->page_reporting_order);
	if (!strcmp(key, "fail_page_alloc")) {
		struct kmm_fault_attr probe;

		kmm_fault_attr_init(&probe, 1);
		if (kmm_fault_attr_parse(&probe, val))
			return kmm_set_error(-EINVAL, "fail_page_alloc=%s: invalid value (expected <interval>,<probability>,<space>,<times>)", val);
		a->fail_page_alloc = val;
		return 0;
	}
	if (!strcmp(key, "memmap")) {
		const char *end, *p;
		uint64_t size = memparse(val, &end), start;

		if (end == val || *end != '$')
			return kmm_set_error(-EINVAL, "memmap=%s: invalid value (expected nn[KMG]$ss[KMG])", val);
		p = end + 1;
		start = memparse(p, &end);
		if (end == p || *end || !size)
			return kmm_set_error(-EINVAL, "memmap=%s: invalid value (expected nn[KMG]$ss[KMG])", val);
		if (a->nr_memmap == (int)(sizeof(a->memmap) / sizeof(a->memmap[0])))
			return kmm_set_error(-EINVAL, "memmap=%s: too many memmap= ranges", val);
		a->memmap[a->nr_memmap].start = start;
		a->memmap[a->nr_memmap++].size = size;
		return 0;
	}
	return kmm_set_error(-EINVAL, "'%s=%s': unknown kernel command line parameter", key, val);
}

static void fw_add(struct kmm_fw_map *fw, kmm_phys_addr_t s, kmm_phys_addr_t e,
		   enum kmm_fw_type type)
{
	if (e > s && fw->nr < KMM_FW_MAX)
		fw->e[fw->nr++] = (struct kmm_fw_entry){ s, e, type };
}

static void fw_sort(struct kmm_fw_map *fw)
{
	for (int i = 1; i < fw->nr; i++)
		for (int j = i; j > 0 && fw->e[j].start < fw->e[j - 1].start; j--) {
			struct kmm_fw_entry t = fw->e[j];

			fw->e[j] = fw->e[j - 1];
			fw->e[j - 1] = t;
		}
}

/* e820__range_add(..., E820_TYPE_RESERVED) after sanitizing: [s, e) becomes reserved. */
static int fw_reserve(struct kmm_fw_map *fw, kmm_phys_addr_t s, kmm_phys_addr_t e)
{
	struct kmm_fw_map out = { 0 };

	for (int i = 0; i < fw->nr; i++) {
		struct kmm_fw_entry x = fw->e[i];

		if (x.end <= s || x.start >= e) {
			fw_add(&out, x.start, x.end, x.type);
			continue;
		}
		fw_add(&out, x.start, s > x.start ? s : x.start, x.type);
		fw_add(&out, e < x.end ? e : x.end, x.end, x.type);
	}
	fw_add(&out, s, e, KMM_FW_RESERVED);
	if (out.nr == KMM_FW_MAX)
		return -1;
	fw_sort(&out);
	*fw = out;
	return 0;
}

static void build_fw_map(const struct kmm_profile *p, uint64_t mem, struct kmm_fw_map *fw)
{
	fw->nr = 0;
	if (p->pc_low_map) {
		/* the kernel turns the first page to reserved; EBDA and BIOS below 1M */
		fw_add(fw, 0, 0x1000, KMM_FW_RESERVED);
		fw_add(fw, 0x1000, 0x9fc00, KMM_FW_RAM);
		fw_add(fw, 0x9fc00, 0x100000, KMM_FW_ROM);
		if (mem <= p->pci_hole_start) {
			fw_add(fw, 0x100000, mem, KMM_FW_RAM);
		} else {
			fw_add(fw, 0x100000, p->pci_hole_start, KMM_FW_RAM);
			fw_add(fw, p->pci_hole_end, p->pci_hole_end + (mem - p->pci_hole_start),
			       KMM_FW_RAM);
		}
		return;
	}
	fw_add(fw, p->ram_base, p->ram_base + mem, KMM_FW_RAM);
}

static char *next_word(char **s)
{
	char *p = *s, *w;

	while (isspace((unsigned char)*p))
		p++;
	if (!*p)
		return NULL;
	w = p;
	for (bool q = false; *p && (q || !isspace((unsigned char)*p)); p++) {
		if (*p == '"') {
			q = !q;
			memmove(p, p + 1, strlen(p));
			p--;
		}
	}
	if (*p)
		*p++ = '\0';
	*s = p;
	return w;
}

int kmm_cmdline_parse(struct kmm_machine *m, const char *cmdline)
{
	struct kmm_machine_desc *d = &m->desc;
	struct boot_args a = { .loglevel = -1, .reporting_thread = 1, .min_free_kbytes = -1, .page_reporting_order = -1,
			       .slab_min_order = -1, .slab_max_order = -1, .slab_min_objects = -1 };
	char buf[sizeof(m->cmdline)], *s = buf, *w;
	const struct kmm_profile *p;
	int ret;

	if (!cmdline)
		cmdline = "";
	if (strlen(cmdline) >= sizeof(buf))
		return kmm_set_error(-EINVAL, "command line longer than %zu bytes", sizeof(buf) - 1);
	strcpy(m->cmdline, cmdline);
	strcpy(buf, cmdline);
	while ((w = next_word(&s))) {
		char *eq = strchr(w, '=');

		if (eq)
			*eq++ = '\0';
		if (!*w)
			return kmm_set_error(-EINVAL, "'=%s': parameter without a name", eq ? eq : "");
		ret = parse_param(&a, w, eq);
		if (ret)
			return ret;
	}
	p = a.profile ? a.profile : &kmm_profiles[0];
	if (!a.have_mem)
		a.mem = p->default_mem;
	a.mem &= ~(uint64_t)(KMM_PAGE_SIZE - 1);
	if (a.mem < p->min_mem || a.mem > p->max_mem)
		return kmm_set_error(-EINVAL, "mem=%llu: out of range for profile %s (%lluM..%lluM)",
				     (unsigned long long)a.mem, p->name,
				     (unsigned long long)(p->min_mem >> 20),
				     (unsigned long long)(p->max_mem >> 20));
	if (!a.have_vmalloc)
		a.vmalloc = p->vmalloc_default;
	a.vmalloc = KMM_PAGE_ALIGN(a.vmalloc);
	if (a.vmalloc < (8ULL << 20) || (p->highmem && a.vmalloc > (768ULL << 20)) ||
	    a.vmalloc > (1ULL << 40))
		return kmm_set_error(-EINVAL, "vmalloc=%llu: out of range (8M..%s)",
				     (unsigned long long)a.vmalloc, p->highmem ? "768M" : "1T");

	if (a.ram_anon && p->highmem)
		return kmm_set_error(-EINVAL, "kmm.ram=anon: profile %s has highmem, which kmap maps at a second address; it needs kmm.ram=memfd",
				     p->name);

	memset(d, 0, sizeof(*d));
	d->profile = p->name;
	d->arch = p->arch;
	build_fw_map(p, a.mem, &d->fw);
	for (int i = 0; i < a.nr_memmap; i++) {
		uint64_t s0 = a.memmap[i].start, e0 = s0 + a.memmap[i].size;

		if (e0 < s0 || fw_reserve(&d->fw, s0, e0))
			return kmm_set_error(-EINVAL, "memmap=%llu$%llu: invalid range",
					     (unsigned long long)a.memmap[i].size,
					     (unsigned long long)s0);
		/* the kernel image must stay usable RAM */
		if (s0 < p->image_reserve_end && e0 > p->code.start)
			return kmm_set_error(-EINVAL, "memmap=: range [%#llx-%#llx) overlaps the kernel image",
					     (unsigned long long)s0, (unsigned long long)e0);
	}
	d->code = p->code;
	d->rodata = p->rodata;
	d->data = p->data;
	d->bss = p->bss;
	d->image_reserve_end = p->image_reserve_end;
	memcpy(d->early_reserve, p->early_reserve, sizeof(d->early_reserve));
	d->nr_early_reserve = p->nr_early_reserve;
	d->lowmem_limit = p->highmem ? G_1 - a.vmalloc : ~0ULL;
	d->zone_limit[KMM_ZONE_DMA] = p->dma_limit;
	d->zone_limit[KMM_ZONE_DMA32] = p->dma32_limit;
	d->zone_limit[KMM_ZONE_NORMAL] = p->highmem ? d->lowmem_limit : ~0ULL;
	d->zone_limit[KMM_ZONE_HIGHMEM] = p->highmem ? ~0ULL : 0;
	d->max_order = p->max_order;
	d->nr_cpus = a.nr_cpus ? a.nr_cpus : p->nr_cpus;
	d->vmalloc_size = (unsigned long)a.vmalloc;
	d->phys_digits = p->phys_digits;
	d->console_loglevel = a.loglevel >= 0 ? a.loglevel
			      : a.quiet ? KMM_CONSOLE_LOGLEVEL_QUIET : KMM_CONSOLE_LOGLEVEL_DEFAULT;
	d->memblock_debug = a.memblock_debug;
	d->stop_at_memblock = a.stop_at_memblock;
	d->ram_anon = a.ram_anon;
	d->deferred_init = a.deferred_init == 1;
	d->no_reporting_thread = a.reporting_thread == 0;
	d->min_free_kbytes = (int)a.min_free_kbytes;
	d->page_reporting_order = (int)a.page_reporting_order;
	d->have_slub_debug = a.slub_debug != NULL;
	if (a.slub_debug)
		snprintf(d->slub_debug, sizeof(d->slub_debug), "%s", a.slub_debug);
	d->slab_nomerge = a.nomerge;
	d->slab_min_order = (int)a.slab_min_order;
	d->slab_max_order = (int)a.slab_max_order;
	d->slab_min_objects = (int)a.slab_min_objects;
	kmm_fault_attr_init(&d->fail_page_alloc, 0x9e3779b97f4a7c15ULL);
	if (a.fail_page_alloc)
		kmm_fault_attr_parse(&d->fail_page_alloc, a.fail_page_alloc);
	/* failslab's defaults: ignore-gfp-wait Y, any size */
	kmm_fault_attr_init(&d->failslab, 0x2545f4914f6cdd1dULL);
	d->failslab.min_order = 0;
	if (a.failslab)
		kmm_fault_attr_parse(&d->failslab, a.failslab);
	d->init_on_alloc = a.init_on_alloc == 1;
	d->init_on_free = a.init_on_free == 1;
	d->kmemleak = a.kmemleak;
	d->slab_freelist_random = a.freelist_random == 1;
	d->slab_freelist_hardened = a.freelist_hardened == 1;
	return 0;
}
