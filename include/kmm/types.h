/* SPDX-License-Identifier: MIT */
/*
 * Basic types shared by every kmm header. Freestanding: only <stddef.h>,
 * <stdint.h> and <stdbool.h>, so src/core can include it.
 */
#ifndef KMM_TYPES_H
#define KMM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The public API: exported from libkmm.so (the library builds with -fvisibility=hidden). */
#pragma GCC visibility push(default)

/* Physical addresses are 64-bit on every profile (as CONFIG_PHYS_ADDR_T_64BIT). */
typedef uint64_t kmm_phys_addr_t;
#define KMM_PHYS_ADDR_MAX (~(kmm_phys_addr_t)0)

typedef unsigned int kmm_gfp_t;

#define KMM_PAGE_SHIFT 12
#define KMM_PAGE_SIZE (1UL << KMM_PAGE_SHIFT)
#define KMM_PAGE_MASK (~(KMM_PAGE_SIZE - 1))
#define KMM_PAGE_ALIGN(x) (((x) + KMM_PAGE_SIZE - 1) & KMM_PAGE_MASK)

/* L1_CACHE_BYTES of x86_64; memblock's default alignment. */
#define KMM_SMP_CACHE_BYTES 64

struct kmm_machine;

/* Doubly linked list, the kernel's list_head. */
struct kmm_list_head {
	struct kmm_list_head *next, *prev;
};

#pragma GCC visibility pop

#endif /* KMM_TYPES_H */
