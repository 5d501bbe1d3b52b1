/* SPDX-License-Identifier: MIT */
/*
 * The kernel's page tables on the host: vmalloc areas, PKMAP slots and
 * kmap_local slots are host mappings of the RAM memfd inside the machine's
 * window (machine.c), made and removed with mmap(MAP_FIXED).
 *
 * A mapping replaces part of the PROT_NONE reservation; unmapping puts the
 * reservation back (an anonymous PROT_NONE mapping, which the host merges
 * with its neighbours), so the window never has holes another library's
 * mmap could fall into. Each mapped run costs the process one map entry
 * (vm.max_map_count): callers map physically contiguous runs in one call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"

static bool in_window(struct kmm_plat *p, uintptr_t va, size_t len)
{
	uintptr_t w = (uintptr_t)p->window;

	return va >= w && len <= p->window_size && va - w <= p->window_size - len;
}

int kmm_plat_map(struct kmm_machine *m, uintptr_t va, kmm_phys_addr_t phys, size_t len)
{
	struct kmm_plat *p = m->plat;
	kmm_phys_addr_t off = phys - m->layout.phys_offset;

	/* anonymous RAM (kmm.ram=anon) has no second mapping to give */
	if (p->memfd < 0)
		return -EOPNOTSUPP;
	if (!len || (va | len | off) & (KMM_PAGE_SIZE - 1) || !in_window(p, va, len) ||
	    phys < m->layout.phys_offset || off + len > p->memfd_size)
		return -EINVAL;
	if (mmap((void *)va, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, p->memfd,
		 (off_t)off) == MAP_FAILED)
		return -errno;
	return 0;
}

void kmm_plat_unmap(struct kmm_machine *m, uintptr_t va, size_t len)
{
	struct kmm_plat *p = m->plat;

	if (!len || (va | len) & (KMM_PAGE_SIZE - 1) || !in_window(p, va, len))
		return;
	/* the same flags as the window's reservation, so the host merges them back */
	mmap((void *)va, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
}

/*
 * The host's view of the window, from /proc/self/maps: a memfd mapping of
 * this machine's RAM (matched by inode) is a mapped run; everything else
 * inside the window (the PROT_NONE reservation) is not.
 */
int kmm_plat_walk_mappings(struct kmm_machine *m, uintptr_t start, uintptr_t end,
			   void (*fn)(void *arg, uintptr_t va, size_t len, kmm_phys_addr_t phys),
			   void *arg)
{
	struct kmm_plat *p = m->plat;
	struct stat st;
	char line[512];
	FILE *f;

	/* anonymous RAM: nothing in the window but the direct map is ever mapped */
	if (p->memfd < 0)
		return 0;
	if (fstat(p->memfd, &st))
		return -errno;
	f = fopen("/proc/self/maps", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		uintptr_t lo, hi;
		unsigned long long off, ino;
		char perms[8];

		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s %llx %*s %llu", &lo, &hi, perms, &off,
			   &ino) != 5)
			continue;
		if (hi <= start || lo >= end || ino != (unsigned long long)st.st_ino ||
		    perms[0] != 'r')
			continue;
		if (lo < start) {
			off += start - lo;
			lo = start;
		}
		if (hi > end)
			hi = end;
		fn(arg, lo, hi - lo, (kmm_phys_addr_t)off + m->layout.phys_offset);
	}
	fclose(f);
	return 0;
}
