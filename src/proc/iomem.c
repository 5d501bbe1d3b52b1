/* SPDX-License-Identifier: MIT */
/*
 * /proc/iomem (kernel/resource.c r_show): one line per resource in pre-order,
 * indented two spaces per level (at most 5 levels), start and end zero-padded
 * to 8 hex digits (4 for a root that ends below 0x10000).
 */
#include "seq.h"

#define MAX_IORES_LEVEL 5

void kmm_proc_iomem_show(struct kmm_machine *m, struct kmm_seq *s)
{
	struct kmm_resource *root = &m->iomem_resource, *r;
	int width = root->end < 0x10000 ? 4 : 8, depth = 0;

	kmm_spin_lock(&m->resource_lock);
	for (r = root->child; r; r = kmm_resource_next(root, r, &depth)) {
		int indent = depth < MAX_IORES_LEVEL ? depth : MAX_IORES_LEVEL;

		kmm_seq_printf(s, "%*s%0*llx-%0*llx : %s\n", indent * 2, "", width,
			       (unsigned long long)r->start, width, (unsigned long long)r->end,
			       r->name ? r->name : "<BAD>");
	}
	kmm_spin_unlock(&m->resource_lock);
}
