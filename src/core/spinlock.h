/* SPDX-License-Identifier: MIT */
/*
 * Core spinlocks: C11 atomics (a freestanding header) with the platform's
 * relax hook while contended. Used for short critical sections only; code
 * that may wait long sleeps on a platform wait queue instead.
 */
#ifndef KMM_CORE_SPINLOCK_H
#define KMM_CORE_SPINLOCK_H

#include <stdatomic.h>

#include <kmm/platform.h>

typedef struct {
	atomic_int locked;
} kmm_spinlock_t;

#define KMM_SPINLOCK_INIT { 0 }

static inline void kmm_spin_lock_init(kmm_spinlock_t *l)
{
	atomic_init(&l->locked, 0);
}

static inline void kmm_spin_lock(kmm_spinlock_t *l)
{
	while (atomic_exchange_explicit(&l->locked, 1, memory_order_acquire)) {
		while (atomic_load_explicit(&l->locked, memory_order_relaxed))
			kmm_plat_cpu_relax();
	}
}

static inline void kmm_spin_unlock(kmm_spinlock_t *l)
{
	atomic_store_explicit(&l->locked, 0, memory_order_release);
}

#endif /* KMM_CORE_SPINLOCK_H */
