/* SPDX-License-Identifier: MIT */
/*
 * libkmm-malloc: malloc on a kmm machine (docs/malloc.md). What the shim's
 * files share. Everything here is hidden: the library exports only the
 * malloc API (malloc.map).
 *
 * Where a pointer comes from decides how it is freed:
 *   [lo, lo + span)        the machine's direct map: kmalloc (slab objects
 *                          and compound pages), freed with kfree
 *   [vlo, vlo + vspan)     the vmalloc area (memfd RAM only): vfree
 *   host blocks (huge.c)   above KMALLOC_MAX_SIZE on anonymous RAM: munmap
 *   the bootstrap arena    allocations made while the shim itself was
 *                          starting (bootstrap.c): never freed
 * Anything else is not the heap's, and its free is reported, not applied.
 */
#ifndef KMM_MALLOC_SHIM_H
#define KMM_MALLOC_SHIM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kmm/kmm.h>

/* kmalloc's and kfree's fast sections, inline (the shim is built with the core's headers) */
#include "core/kmalloc.h"

#define SHIM_HIDDEN __attribute__((visibility("hidden")))
#define shim_likely(x) __builtin_expect(!!(x), 1)
#define shim_unlikely(x) __builtin_expect(!!(x), 0)

/* glibc's malloc alignment on x86_64 and arm64: what every pointer returned honours */
#define SHIM_MIN_ALIGN 16
#define SHIM_PAGE 4096UL
/* Heap allocations never print the page allocator's failure report: NULL is the answer. */
#define SHIM_GFP (KMM_GFP_KERNEL | KMM___GFP_NOWARN)

enum shim_state { SHIM_DOWN, SHIM_BOOTING, SHIM_UP };

/* classes.c: size classes of 256-byte steps up to 8 KiB */
#define SHIM_NR_CLASSES 32

struct shim {
	struct kmm_machine *m;		/* the heap's machine, once up */
	uintptr_t lo, span;		/* the direct map; span 0 until up */
	uintptr_t vlo, vspan;		/* the vmalloc area on memfd RAM, else 0 */
	size_t kmalloc_max;		/* KMALLOC_MAX_SIZE; 0 until up */
	bool vmalloc;			/* RAM is a memfd: vmalloc serves the largest */
	atomic_int state;		/* enum shim_state */
	pthread_key_t key;		/* its destructor detaches an exiting thread */
	bool have_classes;		/* classes[] is set (classes.c) */
	struct kmm_kmem_cache *classes[SHIM_NR_CLASSES];	/* 1 KiB < n <= 8 KiB: [(n - 1) >> 8] */
};

extern struct shim shim SHIM_HIDDEN;

/* Per thread; initial-exec, as the library is preloaded. */
struct shim_thread {
	int busy;		/* inside the shim's own start-up or attach: allocate from the arena */
	bool exiting;		/* the key's destructor ran: attach for one call at a time */
	unsigned int report_countdown;	/* page-aligned frees until the next reporting check */
};

extern __thread bool shim_attached SHIM_HIDDEN __attribute__((tls_model("initial-exec")));
extern __thread struct shim_thread shim_self SHIM_HIDDEN
	__attribute__((tls_model("initial-exec")));

/* boot.c: boots the machine on first use (true), or aborts: no heap, no program. */
bool shim_boot(void) SHIM_HIDDEN;
/* fork(): held across it, so that no boot is half done in the child. */
void shim_boot_lock(void) SHIM_HIDDEN;
void shim_boot_unlock(void) SHIM_HIDDEN;
void shim_boot_reset_lock(void) SHIM_HIDDEN;

/* thread.c: the calling thread becomes a task of the machine (0), or not (-errno). */
int shim_attach(void) SHIM_HIDDEN;
/* For one call from a thread that is not attached: attach; true when shim_leave must detach. */
bool shim_enter(void) SHIM_HIDDEN;
void shim_leave(bool leave) SHIM_HIDDEN;
/* pthread_key_create and pthread_atfork, once the machine is up. */
void shim_threads_init(void) SHIM_HIDDEN;

/* classes.c: the caches between kmalloc's powers of two above 1 KiB, once the machine is up. */
void shim_classes_init(struct kmm_machine *m) SHIM_HIDDEN;
/* The size of the block malloc(n) gives (n within the direct map's sizes). */
size_t shim_size_roundup(size_t n) SHIM_HIDDEN;

/* bootstrap.c: the arena for allocations made while the shim starts. */
void *shim_arena_alloc(size_t size, size_t align) SHIM_HIDDEN;
bool shim_arena_owns(const void *p) SHIM_HIDDEN;
size_t shim_arena_size(const void *p) SHIM_HIDDEN;
void shim_arena_lock(void) SHIM_HIDDEN;
void shim_arena_unlock(void) SHIM_HIDDEN;
void shim_arena_reset_lock(void) SHIM_HIDDEN;

/* huge.c: host mappings for what kmm cannot serve (above KMALLOC_MAX_SIZE, anonymous RAM). */
void *shim_huge_alloc(size_t size, size_t align, bool zero) SHIM_HIDDEN;
/* Frees p if it is a host block (true), else false. */
bool shim_huge_free(void *p) SHIM_HIDDEN;
/* The block's usable size, or 0 if p is no host block. */
size_t shim_huge_size(const void *p) SHIM_HIDDEN;
/* Resizes a host block in place or moves it (mremap); NULL on failure, p intact. */
void *shim_huge_realloc(void *p, size_t size) SHIM_HIDDEN;
void shim_huge_stats(unsigned long *blocks, unsigned long *bytes) SHIM_HIDDEN;
void shim_huge_lock(void) SHIM_HIDDEN;
void shim_huge_unlock(void) SHIM_HIDDEN;
void shim_huge_reset_lock(void) SHIM_HIDDEN;

/* stats.c: KMM_MALLOC_STATS=1 keeps a copy of stderr for the statistics at exit. */
void shim_stats_init(void) SHIM_HIDDEN;

/* report.c: a free or realloc of a pointer that is not the heap's, in SLUB's format. */
void shim_report_invalid(const char *fn, const void *p) SHIM_HIDDEN;
/* write(2) of a string to stderr: no stdio, no allocation. */
void shim_write_err(const char *s) SHIM_HIDDEN;

/* malloc.c: the slow paths behind the API. */
void *shim_alloc_slow(size_t size, size_t align, bool zero) SHIM_HIDDEN;
size_t shim_usable_size(const void *p) SHIM_HIDDEN;

#endif /* KMM_MALLOC_SHIM_H */
