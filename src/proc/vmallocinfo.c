/* SPDX-License-Identifier: MIT */
/*
 * /proc/vmallocinfo, as the kernel's vmalloc_info_show(): one line per area
 * in address order, "0x<start>-0x<end> <size incl. guard>" then the caller
 * (%pS), pages=, phys=, the kinds, vpages and per-node page counts; then the
 * lazily freed areas waiting for the purge, as "unpurged vm_area".
 * Addresses print in full, as the kernel's %pK shows them to root.
 */
#include <string.h>

#include <kmm/platform.h>

#include "seq.h"

struct show_ctx {
	struct kmm_machine *m;
	struct kmm_seq *s;
	bool numa;
};

static int show_area(void *arg, const struct kmm_vm_info *vi)
{
	struct show_ctx *c = arg;
	struct kmm_seq *s = c->s;
	char sym[128];

	kmm_seq_printf(s, "0x%016lx-0x%016lx %7ld", (unsigned long)vi->addr,
		       (unsigned long)(vi->addr + vi->size), (long)vi->size);
	if (vi->unpurged) {
		kmm_seq_puts(s, " unpurged vm_area\n");
		return 0;
	}
	if (vi->caller) {
		kmm_plat_symbol(vi->caller, sym, sizeof(sym));
		kmm_seq_printf(s, " %s", sym);
	}
	if (vi->nr_pages)
		kmm_seq_printf(s, " pages=%u", vi->nr_pages);
	if (vi->phys_addr)
		kmm_seq_printf(s, " phys=0x%0*llx", (int)c->m->desc.phys_digits,
			       (unsigned long long)vi->phys_addr);
	if (vi->flags & KMM_VM_IOREMAP)
		kmm_seq_puts(s, " ioremap");
	if (vi->flags & KMM_VM_ALLOC)
		kmm_seq_puts(s, " vmalloc");
	if (vi->flags & KMM_VM_MAP)
		kmm_seq_puts(s, " vmap");
	if (vi->flags & KMM_VM_USERMAP)
		kmm_seq_puts(s, " user");
	if (vi->flags & KMM_VM_DMA_COHERENT)
		kmm_seq_puts(s, " dma-coherent");
	if (vi->vpages)
		kmm_seq_puts(s, " vpages");
	/* CONFIG_NUMA kernels (the x86_64 profile's) count pages per node; one node here */
	if (c->numa && vi->nr_pages)
		kmm_seq_printf(s, " N0=%u", vi->nr_pages);
	kmm_seq_putc(s, '\n');
	return 0;
}

void kmm_proc_vmallocinfo_show(struct kmm_machine *m, struct kmm_seq *s)
{
	struct show_ctx c = { m, s, m->desc.arch && !strcmp(m->desc.arch, "x86_64") };

	kmm_vmalloc_for_each(m, show_area, &c);
}
