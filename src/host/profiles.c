/* SPDX-License-Identifier: MIT */
/*
 * Machine profiles: the firmware map, kernel image and zones of a kind of
 * machine. docs/profiles.md is the same table in prose; keep them in step.
 *
 * x86_64's kernel image is the one in shared/reference/proc-iomem.txt (a
 * Linux 6.18 x86_64 kernel). i386's is modelled on a Debian 6.x 686 kernel
 * (same load address, smaller sections); at91rm9200's on a Linux 2.4 ARM
 * kernel loaded at PHYS_OFFSET + TEXT_OFFSET (0x8000), with the initial page
 * tables (swapper_pg_dir, 16 KiB) reserved below it.
 */
#include <string.h>

#include "host.h"

#define K(x) ((uint64_t)(x) << 10)
#define M(x) ((uint64_t)(x) << 20)
#define G(x) ((uint64_t)(x) << 30)

const struct kmm_profile kmm_profiles[] = {
	{
		.name = "x86_64",
		.arch = "x86_64",
		.description = "PC, 64-bit: ZONE_DMA < 16M, ZONE_DMA32 < 4G, ZONE_NORMAL above",
		.ram_base = 0,
		.default_mem = M(512),
		.min_mem = M(64),
		.max_mem = G(256),
		.pc_low_map = true,
		.pci_hole_start = G(3),
		.pci_hole_end = G(4),
		.code = { 0x01000000, 0x0220bb08 },
		.rodata = { 0x02400000, 0x02e0a000 },
		.data = { 0x03000000, 0x0327c140 },
		.bss = { 0x03b34000, 0x03c58000 },
		.image_reserve_end = 0x03c58000,
		/* 5.13+ reserves the whole first MiB (real mode, BIOS) */
		.early_reserve = { { 0, M(1) } },
		.nr_early_reserve = 1,
		.dma_limit = M(16),
		.dma32_limit = G(4),
		.max_order = 10,
		.nr_cpus = 2,
		/* the kernel's is 32 TiB; one host process holds many machines */
		.vmalloc_default = G(32),
		.phys_digits = 16,
	},
	{
		.name = "i386-highmem",
		.arch = "i386",
		.description = "PC, 32-bit 3G/1G: ZONE_DMA < 16M, ZONE_NORMAL < 896M, ZONE_HIGHMEM above",
		.ram_base = 0,
		.default_mem = G(2),
		.min_mem = M(64),
		.max_mem = G(3),
		.pc_low_map = true,
		.pci_hole_start = G(3),
		.pci_hole_end = G(4),
		.code = { 0x01000000, 0x019b4f20 },
		.rodata = { 0x01a00000, 0x01d8c000 },
		.data = { 0x01d8c000, 0x01ec9b80 },
		.bss = { 0x0209a000, 0x021e7000 },
		.image_reserve_end = 0x021e7000,
		/* reserve_bios_regions() and the real-mode trampoline: the first MiB */
		.early_reserve = { { 0, M(1) } },
		.nr_early_reserve = 1,
		.dma_limit = M(16),
		.highmem = true,
		.max_order = 10,
		.nr_cpus = 2,
		.vmalloc_default = M(128),
		.phys_digits = 8,
	},
	{
		.name = "at91rm9200",
		.arch = "arm",
		.description = "Atmel AT91RM9200 board (Linux 2.4 era): 64M SDRAM at 0x20000000, one zone",
		.ram_base = 0x20000000,
		.default_mem = M(64),
		.min_mem = M(4),
		.max_mem = M(64),
		.code = { 0x20008000, 0x20128800 },
		.rodata = { 0x20128800, 0x20170000 },
		.data = { 0x20170000, 0x20188000 },
		.bss = { 0x20188000, 0x201a4000 },
		.image_reserve_end = 0x201a4000,
		.early_reserve = { { 0x20004000, 0x20008000 } },	/* swapper_pg_dir */
		.nr_early_reserve = 1,
		.max_order = 9,		/* MAX_ORDER 10 of 2.4: orders 0..9 */
		.nr_cpus = 1,
		/* VMALLOC_START (high_memory + 8M) to VMALLOC_END 0xd0000000 */
		.vmalloc_default = M(184),
		.phys_digits = 8,
	},
};

const unsigned int kmm_nr_profiles = sizeof(kmm_profiles) / sizeof(kmm_profiles[0]);

const struct kmm_profile *kmm_profile_find(const char *name)
{
	for (unsigned int i = 0; i < kmm_nr_profiles; i++)
		if (!strcmp(kmm_profiles[i].name, name))
			return &kmm_profiles[i];
	return NULL;
}

int kmm_profile_info(unsigned int i, struct kmm_profile_info *info)
{
	const struct kmm_profile *p;

	if (i >= kmm_nr_profiles)
		return -22;
	p = &kmm_profiles[i];
	*info = (struct kmm_profile_info){
		.name = p->name, .arch = p->arch, .description = p->description,
		.default_mem = p->default_mem, .min_mem = p->min_mem, .max_mem = p->max_mem,
		.vmalloc_default = p->vmalloc_default, .max_order = p->max_order,
		.nr_cpus = p->nr_cpus, .highmem = p->highmem,
	};
	return (int)kmm_nr_profiles;
}
