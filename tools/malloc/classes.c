/* SPDX-License-Identifier: MIT */
/*
 * The shim's size classes between kmalloc's powers of two, above 1 KiB.
 *
 * kmalloc rounds 1025..8192 up to the next power of two: a 4160-byte block
 * (SQLite's page of 4096 and its header) takes kmalloc-8k and wastes 48%.
 * Programs ask for such sizes often, so the shim adds, at quarter steps as
 * jemalloc does, the caches malloc-1280, -1536, -1792, -2560, -3072, -3584,
 * -5k, -6k and -7k, and malloc-4608 for the commonest of them all, a page
 * and its header: slab caches like any other (in /proc/slabinfo, merged
 * with nothing, with kfree's free mark), so the worst waste above 1 KiB is
 * 20%, not 50%. Up to 1 KiB, kmalloc's classes stand.
 *
 * shim.classes[(n - 1) >> 8], for 1024 < n <= 8192, is the smallest cache
 * whose objects hold n: one of these or a kmalloc cache. Every stride is a
 * multiple of 256, so every object is aligned to at least 256 bytes.
 */
#define _GNU_SOURCE
#include <stdio.h>

#include "shim.h"

static const unsigned int class_sizes[] = { 1280, 1536, 1792, 2560, 3072, 3584, 4608, 5120, 6144, 7168 };

void shim_classes_init(struct kmm_machine *m)
{
	struct kmm_slab_state *ss = m->slab;
	struct kmm_kmem_cache *own[sizeof(class_sizes) / sizeof(class_sizes[0])] = { NULL };

	if (!ss || ss->shift_high != 13)
		return;	/* a profile whose kmalloc table is not 8..8k: kmalloc's classes alone */
	for (unsigned int i = 0; i < sizeof(class_sizes) / sizeof(class_sizes[0]); i++) {
		char name[32];

		if (class_sizes[i] % 1024)
			snprintf(name, sizeof(name), "malloc-%u", class_sizes[i]);
		else
			snprintf(name, sizeof(name), "malloc-%uk", class_sizes[i] / 1024);
		own[i] = kmm_create_cache(m, name, class_sizes[i], 256, KMM_SLAB_NO_MERGE, 0,
					  class_sizes[i], NULL, true);
	}
	for (unsigned int idx = 4; idx < SHIM_NR_CLASSES; idx++) {
		unsigned int n = (idx + 1) << 8;
		struct kmm_kmem_cache *best = ss->kmalloc_caches[KMM_KMALLOC_NORMAL]
							       [64 - __builtin_clzl(n - 1)];

		for (unsigned int i = 0; i < sizeof(class_sizes) / sizeof(class_sizes[0]); i++)
			if (own[i] && class_sizes[i] >= n && class_sizes[i] < best->object_size)
				best = own[i];
		shim.classes[idx] = best;
	}
	__atomic_store_n(&shim.have_classes, true, __ATOMIC_RELEASE);
}

size_t shim_size_roundup(size_t n)
{
	if (n > 1024 && n <= 8192 && shim.have_classes)
		return shim.classes[(n - 1) >> 8]->object_size;
	return kmm_kmalloc_size_roundup(shim.m, n);
}
