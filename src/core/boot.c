/* SPDX-License-Identifier: MIT */
/*
 * The boot sequence, from the firmware map to a machine whose memblock
 * knows its RAM and reservations, as setup_arch() and mm_core_init() leave it
 * before the page allocator takes over:
 *
 *   firmware map -> memblock.memory       (e820__memblock_setup)
 *   early reserves, kernel image -> memblock.reserved   (early_reserve_memory)
 *   firmware map -> iomem resources, kernel image nested under System RAM
 *   pg_data_t, then mem_map, from memblock  (alloc_node_data, alloc_node_mem_map)
 *   zone spans from the zone limits and memblock.memory  (free_area_init)
 *
 * then brings up the page allocator, the slab and highmem's kmap state
 * (kmap_init), in mm_core_init()'s order.
 *
 * The platform has already mapped lowmem at layout.page_offset.
 */
#include "internal.h"
#include "highmem.h"
#include "slab.h"
#include "vmalloc.h"

const char *const kmm_zone_names[KMM_MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "HighMem", "Movable",
};

static const char *const fw_type_names[] = {
	[KMM_FW_RAM] = "usable", [KMM_FW_RESERVED] = "reserved", [KMM_FW_ROM] = "reserved",
};

void kmm_core_printk(struct kmm_machine *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kmm_vprintk(m, &m->log, fmt, ap);
	va_end(ap);
}

static void *boot_phys_to_virt(void *arg, kmm_phys_addr_t pa)
{
	return kmm_va(&((struct kmm_machine *)arg)->layout, pa);
}

static kmm_phys_addr_t boot_virt_to_phys(void *arg, const void *va)
{
	return kmm_pa(&((struct kmm_machine *)arg)->layout, va);
}

static void boot_memblock_log(void *arg, int level, const char *line)
{
	kmm_core_printk(arg, "\001%c%s\n", '0' + level, line);
}

static void print_fw_map(struct kmm_machine *m, const char *title)
{
	const struct kmm_fw_map *fw = &m->desc.fw;

	kmm_core_printk(m, KMM_KERN_INFO "%s:\n", title);
	for (int i = 0; i < fw->nr; i++)
		kmm_core_printk(m, KMM_KERN_INFO "%s: [mem %#018llx-%#018llx] %s\n",
				m->desc.arch[0] == 'a' ? "firmware" : "BIOS-e820",
				(unsigned long long)fw->e[i].start,
				(unsigned long long)fw->e[i].end - 1, fw_type_names[fw->e[i].type]);
}

static void setup_resources(struct kmm_machine *m)
{
	const struct kmm_fw_map *fw = &m->desc.fw;
	struct kmm_resource *root = &m->iomem_resource;
	struct {
		struct kmm_resource *r;
		const struct kmm_image_range *range;
		const char *name;
	} image[] = {
		{ &m->code_resource, &m->desc.code, "Kernel code" },
		{ &m->rodata_resource, &m->desc.rodata, "Kernel rodata" },
		{ &m->data_resource, &m->desc.data, "Kernel data" },
		{ &m->bss_resource, &m->desc.bss, "Kernel bss" },
	};

	*root = (struct kmm_resource){ .name = "PCI mem", .start = 0, .end = ~0ULL,
				       .flags = KMM_IORESOURCE_MEM };
	/* e820__reserve_resources() takes its array from memblock too */
	m->fw_resources = kmm_memblock_core_alloc_nid(&m->mbc, sizeof(struct kmm_resource) * fw->nr,
						      KMM_SMP_CACHE_BYTES, 0, 0,
						      KMM_NUMA_NO_NODE, false, false);
	for (int i = 0; m->fw_resources && i < fw->nr; i++) {
		struct kmm_resource *r = &m->fw_resources[i];
		bool ram = fw->e[i].type == KMM_FW_RAM;

		r->start = fw->e[i].start;
		r->end = fw->e[i].end - 1;
		r->name = ram ? "System RAM" : "Reserved";
		r->flags = (ram ? KMM_IORESOURCE_SYSTEM_RAM : KMM_IORESOURCE_MEM) |
			   KMM_IORESOURCE_BUSY;
		r->desc = ram ? KMM_IORES_DESC_NONE : KMM_IORES_DESC_RESERVED;
		kmm_request_resource(root, r);
		if (fw->e[i].type == KMM_FW_ROM && fw->e[i].end == 0x100000 &&
		    fw->e[i].start <= 0xf0000) {
			/* probe_roms(): the BIOS at 0xf0000 inside the reserved range */
			m->rom_resource = (struct kmm_resource){
				.name = "System ROM", .start = 0xf0000, .end = 0xfffff,
				.flags = KMM_IORESOURCE_MEM | KMM_IORESOURCE_BUSY,
			};
			kmm_insert_resource(root, &m->rom_resource);
		}
	}
	for (size_t i = 0; i < KMM_ARRAY_SIZE(image); i++) {
		if (image[i].range->end <= image[i].range->start)
			continue;
		*image[i].r = (struct kmm_resource){
			.name = image[i].name, .start = image[i].range->start,
			.end = image[i].range->end - 1,
			.flags = KMM_IORESOURCE_SYSTEM_RAM | KMM_IORESOURCE_BUSY,
		};
		kmm_insert_resource(root, image[i].r);
	}
}

/* Pages of memblock.memory in [spfn, epfn), counting whole pages only. */
static unsigned long present_pages_in(struct kmm_machine *m, unsigned long spfn,
				      unsigned long epfn)
{
	const struct kmm_memblock_type *t = &m->memblock.memory;
	unsigned long n = 0;

	for (unsigned long i = 0; i < t->cnt; i++) {
		unsigned long s = (unsigned long)((t->regions[i].base + KMM_PAGE_SIZE - 1) >> KMM_PAGE_SHIFT);
		unsigned long e = (unsigned long)((t->regions[i].base + t->regions[i].size) >> KMM_PAGE_SHIFT);

		if (s < spfn)
			s = spfn;
		if (e > epfn)
			e = epfn;
		if (e > s)
			n += e - s;
	}
	return n;
}

static void setup_zones(struct kmm_machine *m, unsigned long start_pfn, unsigned long end_pfn)
{
	struct kmm_pglist_data *pgdat = m->pgdat;
	unsigned long lo = 0;

	pgdat->node_start_pfn = start_pfn;
	pgdat->node_spanned_pages = end_pfn - start_pfn;
	kmm_core_printk(m, KMM_KERN_INFO "Zone ranges:\n");
	for (int z = 0; z < KMM_MAX_NR_ZONES; z++) {
		struct kmm_zone *zone = &pgdat->node_zones[z];
		kmm_phys_addr_t lim = m->desc.zone_limit[z];
		unsigned long hi, s, e;

		zone->name = kmm_zone_names[z];
		if (!lim || z == KMM_ZONE_MOVABLE)
			continue;
		hi = lim == ~0ULL ? ~0UL : (unsigned long)(lim >> KMM_PAGE_SHIFT);
		s = lo > start_pfn ? lo : start_pfn;
		e = hi < end_pfn ? hi : end_pfn;
		if (e > s) {
			zone->zone_start_pfn = s;
			zone->spanned_pages = e - s;
			zone->present_pages = present_pages_in(m, s, e);
			pgdat->node_present_pages += zone->present_pages;
			kmm_core_printk(m, KMM_KERN_INFO "  %-8s [mem %#018llx-%#018llx]\n",
					zone->name, (unsigned long long)s << KMM_PAGE_SHIFT,
					((unsigned long long)e << KMM_PAGE_SHIFT) - 1);
		} else {
			kmm_core_printk(m, KMM_KERN_INFO "  %-8s empty\n", zone->name);
		}
		lo = hi;
	}
	kmm_core_printk(m, KMM_KERN_INFO "Movable zone start for each node\n");
	kmm_core_printk(m, KMM_KERN_INFO "Early memory node ranges\n");
	for (unsigned long i = 0; i < m->memblock.memory.cnt; i++) {
		const struct kmm_memblock_region *r = &m->memblock.memory.regions[i];
		unsigned long long s = (r->base + KMM_PAGE_SIZE - 1) & KMM_PAGE_MASK;
		unsigned long long e = (r->base + r->size) & KMM_PAGE_MASK;

		if (e > s)
			kmm_core_printk(m, KMM_KERN_INFO "  node   0: [mem %#018llx-%#018llx]\n", s, e - 1);
	}
	kmm_core_printk(m, KMM_KERN_INFO "Initmem setup node 0 [mem %#018llx-%#018llx]\n",
			(unsigned long long)start_pfn << KMM_PAGE_SHIFT,
			((unsigned long long)end_pfn << KMM_PAGE_SHIFT) - 1);
}

int kmm_core_boot(struct kmm_machine *m)
{
	struct kmm_machine_desc *d = &m->desc;
	struct kmm_memblock_ctx *c = &m->mbc;
	unsigned long start_pfn, end_pfn, map_start, map_end, max_order_pages;
	void *map;
	int ret;

	kmm_core_printk(m, KMM_KERN_NOTICE "kmm version " KMM_VERSION " (profile %s, %s)\n",
			d->profile, d->arch);
	kmm_core_printk(m, KMM_KERN_NOTICE "Command line: %s\n", m->cmdline);
	print_fw_map(m, "BIOS-provided physical RAM map");

	kmm_spin_lock_init(&m->memblock_lock);
	kmm_spin_lock_init(&m->resource_lock);
	*c = (struct kmm_memblock_ctx){
		.mb = &m->memblock,
		.init_memory = m->mb_init_memory,
		.init_reserved = m->mb_init_reserved,
		.phys_to_virt = boot_phys_to_virt,
		.virt_to_phys = boot_virt_to_phys,
		.log = boot_memblock_log,
		.arg = m,
		.numa = d->arch[0] == 'x' && d->arch[1] == '8' && d->arch[4] == '6',
		.debug = d->memblock_debug,
	};
	/* MAX_NUMNODES: 64 on x86_64 (NODES_SHIFT 6); 1 without CONFIG_NUMA */
	c->max_numnodes = c->numa ? 64 : 1;
	kmm_memblock_core_init(c);

	for (int i = 0; i < d->fw.nr; i++)
		if (d->fw.e[i].type == KMM_FW_RAM &&
		    kmm_memblock_core_add_node(c, d->fw.e[i].start,
					       d->fw.e[i].end - d->fw.e[i].start, 0,
					       KMM_MEMBLOCK_NONE))
			return -12;
	if (!m->memblock.memory.cnt)
		return -22;
	for (int i = 0; i < d->nr_early_reserve; i++)
		kmm_memblock_core_reserve(c, d->early_reserve[i].start,
					  d->early_reserve[i].end - d->early_reserve[i].start);
	kmm_memblock_core_reserve(c, d->code.start, d->image_reserve_end - d->code.start);
	/* memblock may hand out lowmem only: highmem has no direct mapping */
	m->memblock.current_limit = d->lowmem_limit < kmm_memblock_core_end_of_DRAM(c)
					    ? d->lowmem_limit
					    : kmm_memblock_core_end_of_DRAM(c);
	c->can_resize = true;	/* memblock_allow_resize() once the map is known */

	setup_resources(m);
	if (!m->fw_resources)
		return -12;

	start_pfn = (unsigned long)(kmm_memblock_core_start_of_DRAM(c) >> KMM_PAGE_SHIFT);
	end_pfn = (unsigned long)(kmm_memblock_core_end_of_DRAM(c) >> KMM_PAGE_SHIFT);
	m->pgdat = kmm_memblock_core_alloc_nid(c, sizeof(*m->pgdat), KMM_SMP_CACHE_BYTES, 0, 0,
					       0, false, false);
	if (!m->pgdat)
		return -12;
	setup_zones(m, start_pfn, end_pfn);
	/* the zones' pageblock maps and per-CPU sets sit beside pg_data_t */
	if (!d->stop_at_memblock) {
		ret = kmm_mm_alloc_zone_structures(m);
		if (ret)
			return ret;
	}

	/* FLATMEM's alloc_node_mem_map(): mem_map spans whole MAX_ORDER blocks */
	max_order_pages = 1UL << d->max_order;
	map_start = start_pfn & ~(max_order_pages - 1);
	map_end = (end_pfn + max_order_pages - 1) & ~(max_order_pages - 1);
	m->mem_map_bytes = (kmm_phys_addr_t)(map_end - map_start) * sizeof(struct kmm_page);
	/*
	 * Raw: the memfd is zero at boot, so the array already reads as zero
	 * without touching (and committing) every page of it.
	 */
	map = kmm_memblock_core_alloc_nid(c, m->mem_map_bytes, KMM_PAGE_SIZE, 0, 0, 0, false, true);
	if (!map)
		return -12;
	m->mem_map_phys = kmm_pa(&m->layout, map);
	m->layout.mem_map = map;
	m->layout.mem_map_pfn = map_start;
	m->layout.mem_map_pages = map_end - map_start;
	m->layout.min_low_pfn = start_pfn;
	m->layout.max_pfn = end_pfn;
	m->layout.max_low_pfn = (unsigned long)(m->memblock.current_limit >> KMM_PAGE_SHIFT);

	if (d->stop_at_memblock) {
		kmm_core_printk(m, KMM_KERN_NOTICE "kmm: boot stopped at memblock (kmm.stop_at=memblock): no page allocator\n");
		return 0;
	}
	m->deferred_init = d->deferred_init;
	ret = kmm_mm_init(m);
	if (ret)
		return ret;
	if (d->min_free_kbytes >= 0) {
		m->min_free_kbytes = m->user_min_free_kbytes = d->min_free_kbytes;
		kmm_setup_per_zone_wmarks(m);
	}
	m->page_reporting_order = d->page_reporting_order >= 0 ? (unsigned long)d->page_reporting_order
							       : m->pageblock_order;
	m->page_reporting_enabled = true;
	ret = kmm_slab_init(m);
	if (!ret)
		ret = kmm_highmem_init(m);
	if (!ret)
		ret = kmm_vmalloc_init(m);
	/* fail_page_alloc= applies from the end of boot: boot's own allocations must succeed */
	m->fail_page_alloc = d->fail_page_alloc;
	m->failslab = d->failslab;
	if (!ret)
		ret = kmm_kmemleak_init(m);
	kmm_slab_update_hooks(m);
	return ret;
}
