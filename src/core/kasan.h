/* SPDX-License-Identifier: MIT */
/*
 * KASAN's slab hooks, through AddressSanitizer's manual poisoning interface:
 * when kmm is built with -fsanitize=address, a free slab object is poisoned,
 * an allocated one unpoisoned up to the size asked for (kmalloc's slack
 * stays poisoned), so a client's use-after-free or overflow is reported by
 * ASan ("use-after-poison"). The allocator's own reads and writes of the
 * free pointer in a free object open the word for the access alone. Debug
 * caches (slub_debug) are not poisoned: their own checks read the bytes.
 * Without ASan every hook is empty.
 */
#ifndef KMM_CORE_KASAN_H
#define KMM_CORE_KASAN_H

#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#define KMM_KASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KMM_KASAN 1
#endif
#endif

#ifdef KMM_KASAN
/* the ASan runtime's (sanitizer/asan_interface.h), declared here: the core is freestanding */
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);

static inline void kmm_kasan_poison(const void *p, size_t n)
{
	__asan_poison_memory_region(p, n);
}

static inline void kmm_kasan_unpoison(const void *p, size_t n)
{
	__asan_unpoison_memory_region(p, n);
}
#else
static inline void kmm_kasan_poison(const void *p, size_t n)
{
	(void)p;
	(void)n;
}

static inline void kmm_kasan_unpoison(const void *p, size_t n)
{
	(void)p;
	(void)n;
}
#endif

#endif /* KMM_CORE_KASAN_H */
