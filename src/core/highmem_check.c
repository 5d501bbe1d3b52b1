/* SPDX-License-Identifier: MIT */
/*
 * Highmem's integrity walker (kmm_highmem_check), under kmap_lock:
 *   - every PKMAP slot: pkmap_count >= 0; a count of 0 with no PTE, a count
 *     of 1 or more with the PTE of a highmem page whose virtual is the slot;
 *   - every highmem page: virtual NULL, or a PKMAP slot that maps it;
 *   - every CPU's kmap_local stack: depth below KM_MAX_IDX, each slot in use
 *     holding a highmem frame;
 *   - the host: what it really maps in the PKMAP and fixmap windows
 *     (kmm_plat_walk_mappings) is exactly what the slots say, frame for
 *     frame, and nothing in the page between the two windows.
 * Each violation is logged; the count is returned. The kmap_local stacks
 * of other CPUs are read without taking those CPUs, so the walker is meant
 * for a machine at rest, as after a test's operations.
 */
#include "highmem.h"

#define REPORT_MAX 20

struct walk {
	struct kmm_machine *m;
	struct kmm_highmem *hm;
	int bad;
};

#define BAD(w, fmt, ...)                                                                  \
	do {                                                                              \
		if ((w)->bad++ < REPORT_MAX)                                              \
			kmm_core_printk((w)->m, KMM_KERN_ERR "highmem check: " fmt,        \
					##__VA_ARGS__);                                   \
	} while (0)

static bool highmem_pfn(struct kmm_machine *m, unsigned long pfn)
{
	const struct kmm_zone *z = &m->pgdat->node_zones[KMM_ZONE_HIGHMEM];

	return z->spanned_pages && kmm_zone_spans_pfn(z, pfn);
}

/* The seen bits: PKMAP slots first, then the kmap_local slots. */
static unsigned int slot_bit(struct kmm_machine *m, uintptr_t va)
{
	if (kmm_is_pkmap_addr(m, va))
		return kmm_pkmap_nr(m, va);
	return m->highmem->last_pkmap + kmm_kmap_local_slot(m, va);
}

/* What the slot at va should map: a pfn, or 0; the page between the windows maps nothing. */
static uint32_t expected_pfn(struct kmm_machine *m, uintptr_t va)
{
	struct kmm_highmem *hm = m->highmem;
	unsigned int n;

	if (kmm_is_pkmap_addr(m, va))
		return hm->pkmap_pte[kmm_pkmap_nr(m, va)];
	if (!kmm_is_kmap_local_addr(m, va))
		return 0;
	n = kmm_kmap_local_slot(m, va);
	return hm->local[n / KMM_KM_MAX_IDX].pfn[n % KMM_KM_MAX_IDX];
}

static void host_run(void *arg, uintptr_t va, size_t len, kmm_phys_addr_t phys)
{
	struct walk *w = arg;
	struct kmm_machine *m = w->m;

	for (size_t off = 0; off < len; off += KMM_PAGE_SIZE) {
		uintptr_t a = va + off;
		unsigned long pfn = (unsigned long)((phys + off) >> KMM_PAGE_SHIFT);
		uint32_t want = expected_pfn(m, a);

		if (want != pfn) {
			if (want)
				BAD(w, "the host maps pfn %#lx at %#lx, where the slot says pfn %#x\n",
				    pfn, (unsigned long)a, (unsigned int)want);
			else
				BAD(w, "the host maps pfn %#lx at %#lx, where no slot maps anything\n",
				    pfn, (unsigned long)a);
			continue;
		}
		if (kmm_is_pkmap_addr(m, a) || kmm_is_kmap_local_addr(m, a)) {
			unsigned int bit = slot_bit(m, a);

			w->hm->seen[bit / 8] |= (uint8_t)(1u << (bit % 8));
		}
	}
}

static void check_pkmap(struct walk *w)
{
	struct kmm_machine *m = w->m;
	struct kmm_highmem *hm = w->hm;

	if (hm->last_pkmap_nr >= hm->last_pkmap)
		BAD(w, "last_pkmap_nr %u is past LAST_PKMAP %u\n", hm->last_pkmap_nr, hm->last_pkmap);
	for (unsigned int nr = 0; nr < hm->last_pkmap; nr++) {
		int count = hm->pkmap_count[nr];
		uint32_t pfn = hm->pkmap_pte[nr];
		struct kmm_page *page;

		if (count < 0 || (count == 0) != (pfn == 0)) {
			BAD(w, "PKMAP slot %u: pkmap_count %d, PTE pfn %#x\n", nr, count,
			    (unsigned int)pfn);
			continue;
		}
		if (!count)
			continue;
		if (!highmem_pfn(m, pfn)) {
			BAD(w, "PKMAP slot %u maps pfn %#x, which is not highmem\n", nr, (unsigned int)pfn);
			continue;
		}
		page = kmm_pfn_page(m, pfn);
		if ((uintptr_t)page->virtual != kmm_pkmap_addr(m, nr))
			BAD(w, "PKMAP slot %u (count %d) maps pfn %#x, whose virtual is %p\n", nr, count,
			    (unsigned int)pfn, page->virtual);
	}
}

static void check_pages(struct walk *w)
{
	struct kmm_machine *m = w->m;
	const struct kmm_zone *z = &m->pgdat->node_zones[KMM_ZONE_HIGHMEM];

	for (unsigned long pfn = z->zone_start_pfn; pfn < kmm_zone_end_pfn(z); pfn++) {
		uintptr_t v = (uintptr_t)kmm_pfn_page(m, pfn)->virtual;
		unsigned int nr;

		if (!v)
			continue;
		nr = kmm_pkmap_nr(m, v);
		if (!kmm_is_pkmap_addr(m, v) || (v & (KMM_PAGE_SIZE - 1)))
			BAD(w, "highmem pfn %#lx has virtual %#lx, outside the PKMAP slots\n", pfn,
			    (unsigned long)v);
		else if (w->hm->pkmap_pte[nr] != pfn || w->hm->pkmap_count[nr] < 1)
			BAD(w, "highmem pfn %#lx has virtual %#lx, but slot %u maps pfn %#x (count %d)\n",
			    pfn, (unsigned long)v, nr, (unsigned int)w->hm->pkmap_pte[nr],
			    w->hm->pkmap_count[nr]);
	}
}

static void check_local(struct walk *w)
{
	struct kmm_highmem *hm = w->hm;

	for (unsigned int cpu = 0; cpu < hm->nr_cpus; cpu++) {
		const struct kmm_kmap_local *st = &hm->local[cpu];

		if (st->idx >= KMM_KM_MAX_IDX) {
			BAD(w, "CPU %u: kmap_local depth %u, KM_MAX_IDX is %d\n", cpu, st->idx,
			    KMM_KM_MAX_IDX);
			continue;
		}
		for (unsigned int i = 0; i < st->idx; i++)
			if (!highmem_pfn(w->m, st->pfn[i]))
				BAD(w, "CPU %u: kmap_local slot %u in use maps pfn %#x, not highmem\n", cpu,
				    i, (unsigned int)st->pfn[i]);
	}
}

/* Every slot that should be mapped was seen mapped (host_run checked the frames). */
static void check_host(struct walk *w)
{
	struct kmm_machine *m = w->m;
	struct kmm_highmem *hm = w->hm;
	unsigned int slots = hm->last_pkmap + hm->nr_cpus * KMM_KM_MAX_IDX;
	int ret;

	kmm_memset(hm->seen, 0, (slots + 7) / 8);
	ret = kmm_plat_walk_mappings(m, m->layout.pkmap_base, m->layout.fixaddr_top, host_run, w);
	if (ret) {
		kmm_core_printk(m, KMM_KERN_WARNING "highmem check: the platform cannot show its mappings (%d): not compared\n",
				ret);
		return;
	}
	for (unsigned int bit = 0; bit < slots; bit++) {
		uintptr_t va = bit < hm->last_pkmap
				       ? kmm_pkmap_addr(m, bit)
				       : kmm_kmap_local_addr(m, bit - hm->last_pkmap);
		uint32_t want = expected_pfn(m, va);

		if (want && !(hm->seen[bit / 8] & (1u << (bit % 8))))
			BAD(w, "%s slot at %#lx should map pfn %#x, the host maps nothing there\n",
			    bit < hm->last_pkmap ? "PKMAP" : "kmap_local", (unsigned long)va,
			    (unsigned int)want);
	}
}

int kmm_highmem_check(struct kmm_machine *m)
{
	struct walk w = { .m = m, .hm = m->highmem };

	if (!w.hm)
		return 0;
	kmm_spin_lock(&w.hm->lock);
	check_pkmap(&w);
	check_pages(&w);
	check_local(&w);
	check_host(&w);
	kmm_spin_unlock(&w.hm->lock);
	return w.bad;
}
