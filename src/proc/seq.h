/* SPDX-License-Identifier: MIT */
/*
 * seq_file for renderers: appends formatted text to a caller buffer,
 * truncating but counting the full length, so kmm_proc_read() can return
 * what snprintf would.
 */
#ifndef KMM_PROC_SEQ_H
#define KMM_PROC_SEQ_H

#include "../core/machine.h"

struct kmm_seq {
	char *buf;
	size_t size;
	size_t len;	/* full length of the output so far */
};

void kmm_seq_printf(struct kmm_seq *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kmm_seq_putc(struct kmm_seq *s, char c);
void kmm_seq_puts(struct kmm_seq *s, const char *str);

/* One /proc, /sys or /dev file. */
struct kmm_proc_file {
	const char *path;
	void (*show)(struct kmm_machine *m, struct kmm_seq *s);
	int (*write)(struct kmm_machine *m, const char *value);	/* NULL: read-only */
};

void kmm_proc_iomem_show(struct kmm_machine *m, struct kmm_seq *s);
void kmm_proc_memblock_memory_show(struct kmm_machine *m, struct kmm_seq *s);
void kmm_proc_memblock_reserved_show(struct kmm_machine *m, struct kmm_seq *s);
void kmm_proc_kmsg_show(struct kmm_machine *m, struct kmm_seq *s);
void kmm_proc_printk_show(struct kmm_machine *m, struct kmm_seq *s);
int kmm_proc_printk_write(struct kmm_machine *m, const char *value);

/* The page allocator's reports (empty on a machine stopped at memblock). */
void kmm_proc_buddyinfo_show(struct kmm_machine *m, struct kmm_seq *s);
void kmm_proc_pagetypeinfo_show(struct kmm_machine *m, struct kmm_seq *s);
void kmm_proc_zoneinfo_show(struct kmm_machine *m, struct kmm_seq *s);
void kmm_proc_vmstat_show(struct kmm_machine *m, struct kmm_seq *s);
void kmm_proc_meminfo_show(struct kmm_machine *m, struct kmm_seq *s);
void kmm_proc_unusable_index_show(struct kmm_machine *m, struct kmm_seq *s);
void kmm_proc_extfrag_index_show(struct kmm_machine *m, struct kmm_seq *s);

/* The slab allocator's reports (slabinfo.c; empty before the slab allocator runs). */
void kmm_proc_slabinfo_show(struct kmm_machine *m, struct kmm_seq *s);
/* /sys/kernel/slab/<cache>/<attr>: 0, -ENOENT, or -EISDIR for a cache's directory. */
int kmm_proc_slab_sysfs_read(struct kmm_machine *m, const char *path, struct kmm_seq *s);
/* 0 or -errno (-ENOENT, -EACCES for a read-only attribute, -EINVAL). */
int kmm_proc_slab_sysfs_write(struct kmm_machine *m, const char *path, const char *value);
/* Lists every /sys/kernel/slab/<cache>/<attr>, one per line, caches oldest first. */
void kmm_proc_slab_sysfs_list(struct kmm_machine *m, struct kmm_seq *s);
/* Pages in slabs of SLAB_RECLAIM_ACCOUNT caches and of the others (meminfo's Slab lines). */
void kmm_proc_slab_pages(struct kmm_machine *m, unsigned long *reclaimable,
			 unsigned long *unreclaimable);

/* vmallocinfo.c */
void kmm_proc_vmallocinfo_show(struct kmm_machine *m, struct kmm_seq *s);

/* sysctl_vm.c */
#define KMM_PROC_RW(name)                                                               \
	void kmm_proc_##name##_show(struct kmm_machine *m, struct kmm_seq *s);          \
	int kmm_proc_##name##_write(struct kmm_machine *m, const char *value);
KMM_PROC_RW(min_free_kbytes)
KMM_PROC_RW(watermark_scale_factor)
KMM_PROC_RW(watermark_boost_factor)
KMM_PROC_RW(lowmem_reserve_ratio)
KMM_PROC_RW(percpu_pagelist_high_fraction)
KMM_PROC_RW(fail_page_alloc_probability)
KMM_PROC_RW(fail_page_alloc_interval)
KMM_PROC_RW(fail_page_alloc_times)
KMM_PROC_RW(fail_page_alloc_space)
KMM_PROC_RW(fail_page_alloc_verbose)
KMM_PROC_RW(fail_page_alloc_ignore_gfp_wait)
KMM_PROC_RW(fail_page_alloc_ignore_gfp_highmem)
KMM_PROC_RW(fail_page_alloc_min_order)
KMM_PROC_RW(failslab_probability)
KMM_PROC_RW(failslab_interval)
KMM_PROC_RW(failslab_times)
KMM_PROC_RW(failslab_space)
KMM_PROC_RW(failslab_verbose)
KMM_PROC_RW(failslab_ignore_gfp_wait)
KMM_PROC_RW(failslab_cache_filter)
/* kmemleak.c */
KMM_PROC_RW(kmemleak)
#undef KMM_PROC_RW

#endif /* KMM_PROC_SEQ_H */
