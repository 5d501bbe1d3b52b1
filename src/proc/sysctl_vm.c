/* SPDX-License-Identifier: MIT */
/*
 * The page allocator's knobs: /proc/sys/vm/{min_free_kbytes,
 * watermark_scale_factor, watermark_boost_factor, lowmem_reserve_ratio,
 * percpu_pagelist_high_fraction} (mm/page_alloc.c sysctl handlers) and
 * /sys/kernel/debug/fail_page_alloc/ (lib/fault-inject.c). A write is
 * checked as the kernel checks it, then the watermarks, reserves or pcp
 * limits are recomputed as the kernel's handler does.
 */
#include <errno.h>

#include "seq.h"
#include "../core/internal.h"

/* One integer, optionally followed by a newline, within [lo, hi]. */
static int parse_long(const char *s, long lo, long hi, long *out)
{
	bool neg = false;
	long v = 0;
	int digits = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (v > (1L << 50))
			return -EINVAL;
		v = v * 10 + (*s - '0');
	}
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!digits || *s)
		return -EINVAL;
	v = neg ? -v : v;
	if (v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

/* A machine stopped at memblock has no page allocator to tune. */
static int no_page_allocator(struct kmm_machine *m)
{
	return m->buddy_ready ? 0 : -ENODEV;
}

void kmm_proc_min_free_kbytes_show(struct kmm_machine *m, struct kmm_seq *s)
{
	kmm_seq_printf(s, "%d\n", m->min_free_kbytes);
}

int kmm_proc_min_free_kbytes_write(struct kmm_machine *m, const char *value)
{
	long v;
	int ret = no_page_allocator(m) ?: parse_long(value, 0, 0x7fffffff, &v);

	if (ret)
		return ret;
	kmm_spin_lock(&m->sysctl_lock);
	m->min_free_kbytes = m->user_min_free_kbytes = (int)v;
	kmm_setup_per_zone_wmarks(m);
	kmm_spin_unlock(&m->sysctl_lock);
	return 0;
}

void kmm_proc_watermark_scale_factor_show(struct kmm_machine *m, struct kmm_seq *s)
{
	kmm_seq_printf(s, "%d\n", m->watermark_scale_factor);
}

int kmm_proc_watermark_scale_factor_write(struct kmm_machine *m, const char *value)
{
	long v;
	int ret = no_page_allocator(m) ?: parse_long(value, 1, 3000, &v);

	if (ret)
		return ret;
	kmm_spin_lock(&m->sysctl_lock);
	m->watermark_scale_factor = (int)v;
	kmm_setup_per_zone_wmarks(m);
	kmm_spin_unlock(&m->sysctl_lock);
	return 0;
}

void kmm_proc_watermark_boost_factor_show(struct kmm_machine *m, struct kmm_seq *s)
{
	kmm_seq_printf(s, "%d\n", m->watermark_boost_factor);
}

int kmm_proc_watermark_boost_factor_write(struct kmm_machine *m, const char *value)
{
	long v;
	int ret = parse_long(value, 0, 0x7fffffff, &v);

	if (ret)
		return ret;
	KMM_WRITE_ONCE(m->watermark_boost_factor, (int)v);
	return 0;
}

/* One entry per zone the profile's kernel has (MAX_NR_ZONES of that build). */
void kmm_proc_lowmem_reserve_ratio_show(struct kmm_machine *m, struct kmm_seq *s)
{
	bool first = true;

	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		if (!kmm_zone_configured(m, i))
			continue;
		kmm_seq_printf(s, "%s%d", first ? "" : "\t", m->lowmem_reserve_ratio[i]);
		first = false;
	}
	kmm_seq_putc(s, '\n');
}

int kmm_proc_lowmem_reserve_ratio_write(struct kmm_machine *m, const char *value)
{
	int v[KMM_MAX_NR_ZONES], n = 0;
	const char *p = value;

	if (no_page_allocator(m))
		return -ENODEV;
	int zone_of_entry[KMM_MAX_NR_ZONES], entries = 0;

	/* proc_dointvec: as many integers as given, the rest unchanged */
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++) {
		v[i] = m->lowmem_reserve_ratio[i];
		if (kmm_zone_configured(m, i))
			zone_of_entry[entries++] = i;
	}
	for (;;) {
		long x = 0;
		bool neg = false;
		int digits = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		if (n == entries)
			return -EINVAL;
		if (*p == '-')
			neg = *p++ == '-';
		for (; *p >= '0' && *p <= '9' && digits < 10; p++, digits++)
			x = x * 10 + (*p - '0');
		if (!digits || (*p && *p != ' ' && *p != '\t' && *p != '\n'))
			return -EINVAL;
		/* values below 1 disable the reserve */
		v[zone_of_entry[n++]] = neg || x < 1 ? 0 : (int)x;
	}
	if (!n)
		return -EINVAL;
	kmm_spin_lock(&m->sysctl_lock);
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		m->lowmem_reserve_ratio[i] = v[i];
	kmm_setup_per_zone_lowmem_reserve(m);
	kmm_spin_unlock(&m->sysctl_lock);
	return 0;
}

void kmm_proc_percpu_pagelist_high_fraction_show(struct kmm_machine *m, struct kmm_seq *s)
{
	kmm_seq_printf(s, "%d\n", m->percpu_pagelist_high_fraction);
}

int kmm_proc_percpu_pagelist_high_fraction_write(struct kmm_machine *m, const char *value)
{
	long v;
	int ret = no_page_allocator(m) ?: parse_long(value, 0, 0x7fffffff, &v);

	if (ret)
		return ret;
	/* MIN_PERCPU_PAGELIST_HIGH_FRACTION: 0, or at least 8 */
	if (v && v < 8)
		return -EINVAL;
	kmm_spin_lock(&m->sysctl_lock);
	m->percpu_pagelist_high_fraction = (int)v;
	for (int i = 0; i < KMM_MAX_NR_ZONES; i++)
		if (kmm_zone_managed(&m->pgdat->node_zones[i]))
			kmm_pcp_setup(&m->pgdat->node_zones[i]);
	kmm_spin_unlock(&m->sysctl_lock);
	return 0;
}

/* ---- /sys/kernel/debug/fail_page_alloc/ ---- */

enum fault_knob { F_PROBABILITY, F_INTERVAL, F_TIMES, F_SPACE, F_VERBOSE, F_IGNORE_WAIT,
		  F_IGNORE_HIGHMEM, F_MIN_ORDER, F_CACHE_FILTER };

static long fault_get(struct kmm_fault_attr *a, enum fault_knob k)
{
	switch (k) {
	case F_PROBABILITY: return (long)a->probability;
	case F_INTERVAL: return (long)a->interval;
	case F_TIMES: return a->times;
	case F_SPACE: return a->space;
	case F_VERBOSE: return (long)a->verbose;
	case F_IGNORE_WAIT: return a->ignore_gfp_reclaim;
	case F_IGNORE_HIGHMEM: return a->ignore_gfp_highmem;
	case F_MIN_ORDER: return a->min_order;
	case F_CACHE_FILTER: return a->cache_filter;
	}
	return 0;
}

static void fault_show(struct kmm_machine *m, struct kmm_seq *s, struct kmm_fault_attr *a,
		       enum fault_knob k)
{
	long v;

	kmm_spin_lock(&m->fault_lock);
	v = fault_get(a, k);
	kmm_spin_unlock(&m->fault_lock);
	/* booleans read back as Y/N, as debugfs_create_bool files do */
	if (k == F_IGNORE_WAIT || k == F_IGNORE_HIGHMEM || k == F_CACHE_FILTER)
		kmm_seq_printf(s, "%c\n", v ? 'Y' : 'N');
	else
		kmm_seq_printf(s, "%ld\n", v);
}

static int parse_bool(const char *s, long *out)
{
	switch (s[0]) {
	case 'Y': case 'y': case '1':
		*out = 1;
		break;
	case 'N': case 'n': case '0':
		*out = 0;
		break;
	default:
		return -EINVAL;
	}
	return s[1] == '\0' || (s[1] == '\n' && s[2] == '\0') ? 0 : -EINVAL;
}

static int fault_write(struct kmm_machine *m, const char *value, struct kmm_fault_attr *a,
		       enum fault_knob k)
{
	long v;
	int ret = no_page_allocator(m);

	if (ret)
		return ret;
	switch (k) {
	case F_PROBABILITY: ret = parse_long(value, 0, 100, &v); break;
	case F_INTERVAL: ret = parse_long(value, 1, 0x7fffffff, &v); break;
	case F_TIMES: ret = parse_long(value, -1, 0x7fffffff, &v); break;
	case F_SPACE: ret = parse_long(value, 0, 0x7fffffff, &v); break;
	case F_VERBOSE: ret = parse_long(value, 0, 2, &v); break;
	case F_MIN_ORDER: ret = parse_long(value, 0, 64, &v); break;
	default: ret = parse_bool(value, &v); break;
	}
	if (ret)
		return ret;
	kmm_spin_lock(&m->fault_lock);
	switch (k) {
	case F_PROBABILITY: KMM_WRITE_ONCE(a->probability, (unsigned long)v); break;
	case F_INTERVAL: a->interval = (unsigned long)v; break;
	case F_TIMES: a->times = v; break;
	case F_SPACE: a->space = v; break;
	case F_VERBOSE: a->verbose = (unsigned long)v; break;
	case F_IGNORE_WAIT: a->ignore_gfp_reclaim = v; break;
	case F_IGNORE_HIGHMEM: a->ignore_gfp_highmem = v; break;
	case F_MIN_ORDER: a->min_order = (unsigned int)v; break;
	case F_CACHE_FILTER: a->cache_filter = v; break;
	}
	kmm_spin_unlock(&m->fault_lock);
	kmm_slab_update_hooks(m);
	return 0;
}

#define FAULT_FILE(attr, name, knob)                                                   \
	void kmm_proc_##attr##_##name##_show(struct kmm_machine *m, struct kmm_seq *s)  \
	{                                                                              \
		fault_show(m, s, &m->attr, knob);                                      \
	}                                                                              \
	int kmm_proc_##attr##_##name##_write(struct kmm_machine *m, const char *v)      \
	{                                                                              \
		return fault_write(m, v, &m->attr, knob);                              \
	}

FAULT_FILE(fail_page_alloc, probability, F_PROBABILITY)
FAULT_FILE(fail_page_alloc, interval, F_INTERVAL)
FAULT_FILE(fail_page_alloc, times, F_TIMES)
FAULT_FILE(fail_page_alloc, space, F_SPACE)
FAULT_FILE(fail_page_alloc, verbose, F_VERBOSE)
FAULT_FILE(fail_page_alloc, ignore_gfp_wait, F_IGNORE_WAIT)
FAULT_FILE(fail_page_alloc, ignore_gfp_highmem, F_IGNORE_HIGHMEM)
FAULT_FILE(fail_page_alloc, min_order, F_MIN_ORDER)
/* /sys/kernel/debug/failslab/ (mm/failslab.c) */
FAULT_FILE(failslab, probability, F_PROBABILITY)
FAULT_FILE(failslab, interval, F_INTERVAL)
FAULT_FILE(failslab, times, F_TIMES)
FAULT_FILE(failslab, space, F_SPACE)
FAULT_FILE(failslab, verbose, F_VERBOSE)
FAULT_FILE(failslab, ignore_gfp_wait, F_IGNORE_WAIT)
FAULT_FILE(failslab, cache_filter, F_CACHE_FILTER)
