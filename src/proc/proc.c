/* SPDX-License-Identifier: MIT */
/*
 * kmm_proc_read/write: the table of files a machine shows, by path, and
 * the directories whose files depend on the machine's state
 * (/sys/kernel/slab/<cache>/<attr>, one directory per slab cache).
 */
#include <errno.h>
#include <string.h>

#include "seq.h"

static void cmdline_show(struct kmm_machine *m, struct kmm_seq *s)
{
	kmm_seq_printf(s, "%s\n", m->cmdline);
}

static const struct kmm_proc_file files[] = {
	{ "/proc/cmdline", cmdline_show, NULL },
	{ "/proc/iomem", kmm_proc_iomem_show, NULL },
	{ "/proc/buddyinfo", kmm_proc_buddyinfo_show, NULL },
	{ "/proc/pagetypeinfo", kmm_proc_pagetypeinfo_show, NULL },
	{ "/proc/zoneinfo", kmm_proc_zoneinfo_show, NULL },
	{ "/proc/vmstat", kmm_proc_vmstat_show, NULL },
	{ "/proc/meminfo", kmm_proc_meminfo_show, NULL },
	{ "/proc/slabinfo", kmm_proc_slabinfo_show, NULL },
	{ "/proc/vmallocinfo", kmm_proc_vmallocinfo_show, NULL },
	{ "/proc/sys/kernel/printk", kmm_proc_printk_show, kmm_proc_printk_write },
#define RW(path, name) { path, kmm_proc_##name##_show, kmm_proc_##name##_write }
	RW("/proc/sys/vm/min_free_kbytes", min_free_kbytes),
	RW("/proc/sys/vm/watermark_scale_factor", watermark_scale_factor),
	RW("/proc/sys/vm/watermark_boost_factor", watermark_boost_factor),
	RW("/proc/sys/vm/lowmem_reserve_ratio", lowmem_reserve_ratio),
	RW("/proc/sys/vm/percpu_pagelist_high_fraction", percpu_pagelist_high_fraction),
	RW("/sys/kernel/debug/fail_page_alloc/probability", fail_page_alloc_probability),
	RW("/sys/kernel/debug/fail_page_alloc/interval", fail_page_alloc_interval),
	RW("/sys/kernel/debug/fail_page_alloc/times", fail_page_alloc_times),
	RW("/sys/kernel/debug/fail_page_alloc/space", fail_page_alloc_space),
	RW("/sys/kernel/debug/fail_page_alloc/verbose", fail_page_alloc_verbose),
	RW("/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", fail_page_alloc_ignore_gfp_wait),
	RW("/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", fail_page_alloc_ignore_gfp_highmem),
	RW("/sys/kernel/debug/fail_page_alloc/min-order", fail_page_alloc_min_order),
	RW("/sys/kernel/debug/failslab/probability", failslab_probability),
	RW("/sys/kernel/debug/failslab/interval", failslab_interval),
	RW("/sys/kernel/debug/failslab/times", failslab_times),
	RW("/sys/kernel/debug/failslab/space", failslab_space),
	RW("/sys/kernel/debug/failslab/verbose", failslab_verbose),
	RW("/sys/kernel/debug/failslab/ignore-gfp-wait", failslab_ignore_gfp_wait),
	RW("/sys/kernel/debug/failslab/cache-filter", failslab_cache_filter),
	RW("/sys/kernel/debug/kmemleak", kmemleak),
#undef RW
	{ "/sys/kernel/debug/memblock/memory", kmm_proc_memblock_memory_show, NULL },
	{ "/sys/kernel/debug/memblock/reserved", kmm_proc_memblock_reserved_show, NULL },
	{ "/sys/kernel/debug/extfrag/unusable_index", kmm_proc_unusable_index_show, NULL },
	{ "/sys/kernel/debug/extfrag/extfrag_index", kmm_proc_extfrag_index_show, NULL },
	{ "/dev/kmsg", kmm_proc_kmsg_show, NULL },
};

static const struct kmm_proc_file *find(const char *path)
{
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!strcmp(files[i].path, path))
			return &files[i];
	return NULL;
}

long kmm_proc_read(struct kmm_machine *m, const char *path, char *buf, size_t len)
{
	const struct kmm_proc_file *f;
	struct kmm_seq s = { buf, len, 0 };

	if (!m || !path || (!buf && len))
		return -EINVAL;
	f = find(path);
	if (len)
		buf[0] = '\0';
	if (!f) {
		int ret = kmm_proc_slab_sysfs_read(m, path, &s);

		return ret ? ret : (long)s.len;
	}
	f->show(m, &s);
	return (long)s.len;
}

int kmm_proc_write(struct kmm_machine *m, const char *path, const char *value)
{
	const struct kmm_proc_file *f;

	if (!m || !path || !value)
		return -EINVAL;
	f = find(path);
	if (!f)
		return kmm_proc_slab_sysfs_write(m, path, value);
	if (!f->write)
		return -EACCES;
	return f->write(m, value);
}

long kmm_proc_list(struct kmm_machine *m, char *buf, size_t len)
{
	struct kmm_seq s = { buf, len, 0 };

	if (!m || (!buf && len))
		return -EINVAL;
	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		kmm_seq_printf(&s, "%s%s\n", files[i].path, files[i].write ? " (writable)" : "");
	kmm_proc_slab_sysfs_list(m, &s);
	return (long)s.len;
}
