/* SPDX-License-Identifier: MIT */
/*
 * Booting and tearing down a hosted machine, and the platform functions of
 * include/kmm/platform.h.
 *
 * Memory: physical memory is a memfd (file offset = phys - PHYS_OFFSET),
 * sparse, so only touched frames cost host memory; with kmm.ram=anon it is
 * private anonymous memory instead, mapped once as the direct map, which a
 * fork()ed child gets a copy of (a memfd mapping would be shared by parent
 * and child) at the price of every second mapping of a frame: no vmalloc,
 * vmap or highmem on such a machine. The kernel's virtual
 * space is one window reserved PROT_NONE; lowmem is mapped at its start
 * (PAGE_OFFSET, aligned to 1 GiB) in a single mapping, then come an 8 MiB
 * gap, the vmalloc area, a two-page gap, the PKMAP window and the fixmap
 * slots for kmap_local, as on i386:
 *
 *   PAGE_OFFSET  lowmem (direct map) | 8M | VMALLOC_START .. VMALLOC_END |
 *   2 pages | PKMAP_BASE (LAST_PKMAP pages) | page | FIXADDR_START .. FIXADDR_TOP | guard
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

#include "host.h"
#include "../core/internal.h"

#define WINDOW_ALIGN (1UL << 30)

static _Thread_local char last_error[512];

int kmm_set_error(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return err;
}

void kmm_clear_error(void)
{
	last_error[0] = '\0';
}

const char *kmm_last_error(void)
{
	return last_error;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t kmm_plat_clock_ns(struct kmm_machine *m)
{
	return mono_ns() - m->plat->boot_ns;
}

void kmm_plat_console_write(struct kmm_machine *m, const char *s, size_t len)
{
	(void)m;
	while (len) {
		ssize_t n = write(STDERR_FILENO, s, len);

		if (n <= 0 && errno != EINTR)
			return;
		if (n > 0) {
			s += n;
			len -= (size_t)n;
		}
	}
}

void kmm_plat_cpu_relax(void)
{
	sched_yield();
}

static kmm_phys_addr_t ram_end(const struct kmm_fw_map *fw)
{
	kmm_phys_addr_t end = 0;

	for (int i = 0; i < fw->nr; i++)
		if (fw->e[i].type == KMM_FW_RAM && fw->e[i].end > end)
			end = fw->e[i].end;
	return end;
}

/* PHYS_OFFSET: where the physical map starts (0 on PCs, SDRAM's base on ARM boards). */
static kmm_phys_addr_t ram_start(const struct kmm_fw_map *fw)
{
	return fw->nr ? fw->e[0].start & KMM_PAGE_MASK : 0;
}

int kmm_host_map_memory(struct kmm_machine *m)
{
	struct kmm_plat *p = m->plat;
	struct kmm_layout *l = &m->layout;
	const struct kmm_machine_desc *d = &m->desc;
	kmm_phys_addr_t phys0 = ram_start(&d->fw), end = ram_end(&d->fw);
	kmm_phys_addr_t low_end = end < d->lowmem_limit ? end : d->lowmem_limit;
	size_t low_bytes = (size_t)(low_end - phys0);
	size_t pkmap = d->zone_limit[KMM_ZONE_HIGHMEM] ? 1024 : 0;
	size_t fix_pages = (size_t)KMM_KM_MAX_IDX * d->nr_cpus;
	size_t span = low_bytes + KMM_VMALLOC_OFFSET + d->vmalloc_size +
		      (2 + pkmap + 1 + fix_pages + 1) * KMM_PAGE_SIZE;
	uintptr_t base;
	char *raw;

	p->memfd_size = end - phys0;
	if (!d->ram_anon && (p->memfd = memfd_create("kmm-ram", MFD_CLOEXEC)) < 0)
		return kmm_set_error(-errno, "memfd_create: %s", strerror(errno));
	if (!d->ram_anon && ftruncate(p->memfd, (off_t)p->memfd_size))
		return kmm_set_error(-errno, "ftruncate of %llu bytes of RAM: %s",
				     (unsigned long long)p->memfd_size, strerror(errno));
	raw = mmap(NULL, span + WINDOW_ALIGN, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED)
		return kmm_set_error(-errno, "reserving a %zu MiB kernel window: %s", span >> 20,
				     strerror(errno));
	/* keep only an aligned window, so virtual and physical alignment agree */
	base = ((uintptr_t)raw + WINDOW_ALIGN - 1) & ~(WINDOW_ALIGN - 1);
	if (base > (uintptr_t)raw)
		munmap(raw, base - (uintptr_t)raw);
	munmap((void *)(base + span), (uintptr_t)raw + span + WINDOW_ALIGN - (base + span));
	p->window = (void *)base;
	p->window_size = span;
	p->low_bytes = low_bytes;
	if (mmap(p->window, low_bytes, PROT_READ | PROT_WRITE,
		 d->ram_anon ? MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED
			     : MAP_SHARED | MAP_FIXED,
		 p->memfd, 0) == MAP_FAILED)
		return kmm_set_error(-errno, "mapping %zu MiB of lowmem: %s", low_bytes >> 20,
				     strerror(errno));

	l->page_offset = base;
	l->phys_offset = phys0;
	l->high_memory = base + low_bytes;
	l->vmalloc_start = l->high_memory + KMM_VMALLOC_OFFSET;
	l->vmalloc_end = l->vmalloc_start + d->vmalloc_size;
	l->pkmap_base = l->vmalloc_end + 2 * KMM_PAGE_SIZE;
	l->last_pkmap = (unsigned int)pkmap;
	l->fixaddr_start = l->pkmap_base + (pkmap + 1) * KMM_PAGE_SIZE;
	l->fixaddr_top = l->fixaddr_start + fix_pages * KMM_PAGE_SIZE;
	return 0;
}

void kmm_host_unmap_memory(struct kmm_machine *m)
{
	struct kmm_plat *p = m->plat;

	if (p->window) {
#if defined(__SANITIZE_ADDRESS__)
		/* slab objects still poisoned (src/core/kasan.h) must not outlive the mapping */
		__asan_unpoison_memory_region(p->window, p->window_size);
#endif
		munmap(p->window, p->window_size);
	}
	if (p->memfd >= 0)
		close(p->memfd);
}

int kmm_plat_discard(struct kmm_machine *m, kmm_phys_addr_t phys, uint64_t len)
{
	off_t off = (off_t)(phys - m->layout.phys_offset);

	if (m->plat->memfd < 0) {
		/* anonymous RAM: all of it is the direct map */
		if ((uint64_t)off > m->plat->low_bytes || len > m->plat->low_bytes - (uint64_t)off)
			return -EINVAL;
		return madvise((char *)m->plat->window + off, (size_t)len, MADV_DONTNEED) ? -errno : 0;
	}
	if (fallocate(m->plat->memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, (off_t)len))
		return -errno;
	return 0;
}

/* The free page reporting thread: a pass every two seconds while the machine lives. */
static void *reporter_main(void *arg)
{
	struct kmm_machine *m = arg;
	struct kmm_plat *p = m->plat;

	pthread_mutex_lock(&p->reporter_lock);
	while (!p->reporter_stop) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 2;
		pthread_cond_timedwait(&p->reporter_wake, &p->reporter_lock, &ts);
		if (p->reporter_stop)
			break;
		pthread_mutex_unlock(&p->reporter_lock);
		kmm_page_reporting_run(m);
		pthread_mutex_lock(&p->reporter_lock);
	}
	pthread_mutex_unlock(&p->reporter_lock);
	return NULL;
}

static void reporter_start(struct kmm_machine *m)
{
	struct kmm_plat *p = m->plat;

	pthread_mutex_init(&p->reporter_lock, NULL);
	pthread_cond_init(&p->reporter_wake, NULL);
	if (m->page_reporting_enabled && !m->desc.no_reporting_thread &&
	    !pthread_create(&p->reporter, NULL, reporter_main, m))
		p->reporter_running = true;
}

static void reporter_stop(struct kmm_machine *m)
{
	struct kmm_plat *p = m->plat;

	if (p->reporter_running) {
		pthread_mutex_lock(&p->reporter_lock);
		p->reporter_stop = true;
		pthread_cond_signal(&p->reporter_wake);
		pthread_mutex_unlock(&p->reporter_lock);
		pthread_join(p->reporter, NULL);
		p->reporter_running = false;
	}
}

static void machine_free(struct kmm_machine *m)
{
	reporter_stop(m);
	kmm_host_work_stop(m);
	kmm_host_unmap_memory(m);
	kmm_cpus_destroy(m);
	free(m->plat->log_buf);
	free(m->plat);
	free(m);
}

struct kmm_machine *kmm_boot(const char *cmdline)
{
	struct kmm_machine *m;
	int ret;

	kmm_clear_error();
	if (kmm_curp->m) {
		kmm_set_error(-EBUSY, "kmm_boot: the calling thread is attached to another machine");
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m || !(m->plat = calloc(1, sizeof(*m->plat)))) {
		free(m);
		kmm_set_error(-ENOMEM, "kmm_boot: out of host memory");
		return NULL;
	}
	m->plat->memfd = -1;
	m->plat->boot_ns = mono_ns();
	if (kmm_cmdline_parse(m, cmdline)) {
		free(m->plat);
		free(m);
		return NULL;
	}
	kmm_cpus_init(m);
	kmm_host_work_init(m);
	m->plat->log_buf = malloc(KMM_LOG_BUF_LEN_DEFAULT);
	if (!m->plat->log_buf) {
		kmm_set_error(-ENOMEM, "kmm_boot: out of host memory");
		machine_free(m);
		return NULL;
	}
	kmm_log_init(&m->log, m->plat->log_buf, KMM_LOG_BUF_LEN_DEFAULT);
	m->log.console_loglevel = m->desc.console_loglevel;
	if (kmm_host_map_memory(m)) {
		machine_free(m);
		return NULL;
	}
	ret = kmm_core_boot(m);
	if (ret) {
		kmm_set_error(ret, "kmm_boot: boot failed (%s): see the kernel log", strerror(-ret));
		machine_free(m);
		return NULL;
	}
	kmm_thread_attach(m);
	/* boot leaves the machine at rest: nothing on the per-CPU lists */
	kmm_quiesce(m);
	reporter_start(m);
	return m;
}

void kmm_shutdown(struct kmm_machine *m)
{
	int others;

	if (!m)
		return;
	/* deferred frees (vfree_atomic) land before the leak report */
	kmm_plat_flush_work(m);
	if (m->kmemleak)
		kmm_kmemleak_shutdown(m);
	if (kmm_curp->m == m)
		kmm_thread_detach();
	others = atomic_load(&m->plat->nr_tasks);
	if (others)
		fprintf(stderr, "kmm_shutdown: %d task(s) still attached to the machine\n", others);
	machine_free(m);
}

const char *kmm_cmdline(struct kmm_machine *m)
{
	return m->cmdline;
}

const char *kmm_profile_name(struct kmm_machine *m)
{
	return m->desc.profile;
}

const struct kmm_layout *kmm_layout(struct kmm_machine *m)
{
	return &m->layout;
}

void kmm_printk(struct kmm_machine *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kmm_vprintk(m, &m->log, fmt, ap);
	va_end(ap);
}
