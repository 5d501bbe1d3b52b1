/* SPDX-License-Identifier: MIT */
/*
 * /sys/kernel/debug/memblock/{memory,reserved} (memblock_debug_show):
 *   "%4d: %pa..%pa %4d FLAGS" with the node, or 'x' for none, and the flag
 * names joined by '|' (NONE when there are none). %pa is 0x and as many hex
 * digits as phys_addr_t has on the profile's architecture.
 */
#include "seq.h"

static const char *const flag_names[] = { "HOTPLUG", "MIRROR", "NOMAP", "DRV_MNG", "RSV_NIT" };

static void memblock_show(struct kmm_machine *m, struct kmm_seq *s, struct kmm_memblock_type *t)
{
	int digits = (int)m->desc.phys_digits;

	kmm_spin_lock(&m->memblock_lock);
	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct kmm_memblock_region *r = &t->regions[i];
		int nid = m->mbc.numa ? r->nid : 0;
		unsigned int flags = r->flags;

		kmm_seq_printf(s, "%4d: 0x%0*llx..0x%0*llx ", (int)i, digits,
			       (unsigned long long)r->base, digits,
			       (unsigned long long)(r->base + r->size - 1));
		if (nid >= 0 && nid < m->mbc.max_numnodes)
			kmm_seq_printf(s, "%4d ", nid);
		else
			kmm_seq_printf(s, "%4c ", 'x');
		if (!flags) {
			kmm_seq_puts(s, "NONE\n");
			continue;
		}
		for (unsigned int j = 0, first = 1; flags; j++, flags >>= 1) {
			if (!(flags & 1))
				continue;
			if (!first)
				kmm_seq_putc(s, '|');
			kmm_seq_puts(s, j < sizeof(flag_names) / sizeof(flag_names[0]) ? flag_names[j]
										 : "UNKNOWN");
			first = 0;
		}
		kmm_seq_putc(s, '\n');
	}
	kmm_spin_unlock(&m->memblock_lock);
}

void kmm_proc_memblock_memory_show(struct kmm_machine *m, struct kmm_seq *s)
{
	memblock_show(m, s, &m->memblock.memory);
}

void kmm_proc_memblock_reserved_show(struct kmm_machine *m, struct kmm_seq *s)
{
	memblock_show(m, s, &m->memblock.reserved);
}
