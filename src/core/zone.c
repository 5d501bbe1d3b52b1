/* SPDX-License-Identifier: MIT */
/*
 * Zones: which zone a GFP mask may use, the zonelist, watermarks,
 * min_free_kbytes and the lowmem reserve (mm/page_alloc.c: gfp_zone,
 * __zone_watermark_ok, calculate_min_free_kbytes, __setup_per_zone_wmarks,
 * setup_per_zone_lowmem_reserve, calculate_totalreserve_pages).
 *
 * The zonelist lists the populated zones from the highest down; a request
 * may use the zones at or below gfp_zone(gfp), trying the highest first, and
 * falling back to a lower zone must leave lowmem_reserve[highest] pages
 * there on top of the watermark, so that a request able to use higher zones
 * does not exhaust memory only lower-zone requests can use.
 */
#include "internal.h"

int kmm_gfp_zone(struct kmm_machine *m, kmm_gfp_t gfp)
{
	const kmm_phys_addr_t *lim = m->desc.zone_limit;
	unsigned int bits = gfp & KMM_GFP_ZONEMASK;
	int z;

	switch (bits) {
	case 0:
	case KMM___GFP_MOVABLE:
		return KMM_ZONE_NORMAL;
	case KMM___GFP_DMA:
	case KMM___GFP_DMA | KMM___GFP_MOVABLE:
		z = KMM_ZONE_DMA;
		break;
	case KMM___GFP_DMA32:
	case KMM___GFP_DMA32 | KMM___GFP_MOVABLE:
		z = KMM_ZONE_DMA32;
		break;
	case KMM___GFP_HIGHMEM:
		z = KMM_ZONE_HIGHMEM;
		break;
	case KMM___GFP_HIGHMEM | KMM___GFP_MOVABLE:
		/* ZONE_MOVABLE is only set up with kernelcore=/movablecore= */
		z = lim[KMM_ZONE_HIGHMEM] ? KMM_ZONE_HIGHMEM : KMM_ZONE_NORMAL;
		return z;
	default:
		return -1;	/* a combination the kernel calls a bug */
	}
	/* OPT_ZONE_*: a zone the profile does not configure collapses to Normal */
	return lim[z] ? z : KMM_ZONE_NORMAL;
}

void kmm_build_zonelist(struct kmm_machine *m)
{
	struct kmm_pglist_data *pgdat = m->pgdat;
	int n = 0;

	/* a zone whose struct pages are all deferred manages nothing yet, and grows on first use */
	for (int z = KMM_MAX_NR_ZONES - 1; z >= 0; z--)
		if (kmm_zone_managed(&pgdat->node_zones[z]) ||
		    kmm_zone_has_deferred(&pgdat->node_zones[z]))
			pgdat->zonelist[n++] = &pgdat->node_zones[z];
	pgdat->zonelist[n] = NULL;
	for (unsigned int bits = 0; bits < 16; bits++)
		m->gfp_zone_table[bits] = (int8_t)kmm_gfp_zone(m, bits);
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		m->preferred_zone[i] = NULL;
		for (struct kmm_zone **zp = pgdat->zonelist; *zp; zp++)
			if ((*zp)->idx <= i) {
				m->preferred_zone[i] = *zp;
				break;
			}
	}
}

bool kmm_zone_watermark_ok(struct kmm_zone *z, unsigned int order, unsigned long mark,
			   int highest_zoneidx, unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;

	free_pages -= (1L << order) - 1;
	if (!(alloc_flags & KMM_ALLOC_RESERVES))
		free_pages -= kmm_zone_page_state(z, KMM_NR_ZONE_FREE_HIGHATOMIC);
	if (alloc_flags & KMM_ALLOC_RESERVES) {
		if (alloc_flags & KMM_ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & KMM_ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & KMM_ALLOC_OOM)
			min -= min / 2;
	}
	if (free_pages <= min + KMM_READ_ONCE(z->lowmem_reserve[highest_zoneidx]))
		return false;
	if (!order)
		return true;
	for (unsigned int o = order; o <= z->m->desc.max_order; o++) {
		struct kmm_free_area *area = &z->free_area[o];

		if (!KMM_READ_ONCE(area->nr_free))
			continue;
		for (int mt = 0; mt < KMM_MIGRATE_PCPTYPES; mt++)
			if (!kmm_list_empty(&area->free_list[mt]))
				return true;
		if ((alloc_flags & (KMM_ALLOC_HIGHATOMIC | KMM_ALLOC_OOM)) &&
		    !kmm_list_empty(&area->free_list[KMM_MIGRATE_HIGHATOMIC]))
			return true;
	}
	return false;
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << (sizeof(long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

void kmm_calculate_min_free_kbytes(struct kmm_machine *m)
{
	unsigned long lowmem_kbytes = 0;
	int nmin;

	/* nr_free_buffer_pages(): what GFP_USER may use above the high watermarks */
	for (int z = 0; z <= KMM_ZONE_NORMAL; z++) {
		struct kmm_zone *zone = &m->pgdat->node_zones[z];
		unsigned long high = kmm_high_wmark_pages(zone);

		if (KMM_READ_ONCE(zone->managed_pages) > high)
			lowmem_kbytes += (KMM_READ_ONCE(zone->managed_pages) - high) * (KMM_PAGE_SIZE >> 10);
	}
	nmin = (int)int_sqrt(lowmem_kbytes * 16);
	if (nmin > m->user_min_free_kbytes)
		m->min_free_kbytes = nmin < 128 ? 128 : nmin > 262144 ? 262144 : nmin;
	else
		kmm_core_printk(m, KMM_KERN_WARNING "min_free_kbytes is not updated to %d because user defined value %d is preferred\n",
				nmin, m->user_min_free_kbytes);
}

static bool zone_is_low(int z)
{
	return z != KMM_ZONE_HIGHMEM && z != KMM_ZONE_MOVABLE;
}

void kmm_calculate_totalreserve_pages(struct kmm_machine *m)
{
	struct kmm_pglist_data *pgdat = m->pgdat;

	pgdat->totalreserve_pages = 0;
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		struct kmm_zone *z = &pgdat->node_zones[i];
		long max = 0;

		for (int j = i; j < KMM_MAX_NR_ZONES; j++)
			if (z->lowmem_reserve[j] > max)
				max = z->lowmem_reserve[j];
		max += (long)kmm_high_wmark_pages(z);
		if (max > (long)KMM_READ_ONCE(z->managed_pages))
			max = (long)KMM_READ_ONCE(z->managed_pages);
		pgdat->totalreserve_pages += (unsigned long)max;
	}
}

void kmm_setup_per_zone_wmarks(struct kmm_machine *m)
{
	struct kmm_pglist_data *pgdat = m->pgdat;
	unsigned long pages_min = (unsigned long)m->min_free_kbytes >> (KMM_PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;

	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		if (zone_is_low(i))
			lowmem_pages += KMM_READ_ONCE(pgdat->node_zones[i].managed_pages);
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		struct kmm_zone *z = &pgdat->node_zones[i];
		uint64_t tmp = lowmem_pages ? (uint64_t)pages_min * KMM_READ_ONCE(z->managed_pages) / lowmem_pages : 0;
		uint64_t scaled = (uint64_t)KMM_READ_ONCE(z->managed_pages) * (uint64_t)m->watermark_scale_factor / 10000;

		kmm_spin_lock(&z->lock);
		if (!zone_is_low(i)) {
			unsigned long min_pages = KMM_READ_ONCE(z->managed_pages) / 1024;

			/* __GFP_HIGH rarely needs highmem: cap its reserve */
			min_pages = min_pages < KMM_SWAP_CLUSTER_MAX ? KMM_SWAP_CLUSTER_MAX
				    : min_pages > 128 ? 128 : min_pages;
			KMM_WRITE_ONCE(z->_watermark[KMM_WMARK_MIN], min_pages);
		} else {
			KMM_WRITE_ONCE(z->_watermark[KMM_WMARK_MIN], (unsigned long)tmp);
		}
		tmp = (tmp >> 2) > scaled ? tmp >> 2 : scaled;
		KMM_WRITE_ONCE(z->watermark_boost, 0);
		KMM_WRITE_ONCE(z->_watermark[KMM_WMARK_LOW], z->_watermark[KMM_WMARK_MIN] + (unsigned long)tmp);
		KMM_WRITE_ONCE(z->_watermark[KMM_WMARK_HIGH], z->_watermark[KMM_WMARK_LOW] + (unsigned long)tmp);
		KMM_WRITE_ONCE(z->_watermark[KMM_WMARK_PROMO], z->_watermark[KMM_WMARK_HIGH] + (unsigned long)tmp);
		kmm_spin_unlock(&z->lock);
	}
	kmm_calculate_totalreserve_pages(m);
	/* the pcp limits follow the low watermark */
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		if (kmm_zone_managed(&pgdat->node_zones[i]))
			kmm_pcp_setup(&pgdat->node_zones[i]);
}

void kmm_setup_per_zone_lowmem_reserve(struct kmm_machine *m)
{
	struct kmm_pglist_data *pgdat = m->pgdat;

	for (int i = 0; i < KMM_MAX_NR_ZONES - 1; i++) {
		struct kmm_zone *z = &pgdat->node_zones[i];
		int ratio = m->lowmem_reserve_ratio[i];
		bool clear = ratio < 1 || !KMM_READ_ONCE(z->managed_pages);
		unsigned long managed = 0;

		for (int j = i + 1; j < KMM_MAX_NR_ZONES; j++) {
			managed += KMM_READ_ONCE(pgdat->node_zones[j].managed_pages);
			KMM_WRITE_ONCE(z->lowmem_reserve[j], clear ? 0 : (long)(managed / (unsigned long)ratio));
		}
	}
	kmm_calculate_totalreserve_pages(m);
}
