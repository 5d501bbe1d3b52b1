/* SPDX-License-Identifier: MIT */
/* The kernel's circular doubly linked list (list_head), for the core. */
#ifndef KMM_CORE_LIST_H
#define KMM_CORE_LIST_H

#include <kmm/types.h>

#define kmm_container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

static inline void kmm_list_init(struct kmm_list_head *h)
{
	__atomic_store_n(&h->next, h, __ATOMIC_RELAXED);
	__atomic_store_n(&h->prev, h, __ATOMIC_RELAXED);
}

/*
 * Pointers are stored with relaxed atomic stores (plain moves on x86), so
 * that a lockless emptiness check, as the watermark test makes, races
 * cleanly with writers that hold the list's lock.
 */
#define KMM_LIST_STORE(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELAXED)

static inline bool kmm_list_empty(const struct kmm_list_head *h)
{
	return __atomic_load_n(&h->next, __ATOMIC_RELAXED) == h;
}

static inline void kmm_list_insert(struct kmm_list_head *n, struct kmm_list_head *prev,
				   struct kmm_list_head *next)
{
	KMM_LIST_STORE(next->prev, n);
	KMM_LIST_STORE(n->next, next);
	KMM_LIST_STORE(n->prev, prev);
	KMM_LIST_STORE(prev->next, n);
}

static inline void kmm_list_add(struct kmm_list_head *n, struct kmm_list_head *h)
{
	kmm_list_insert(n, h, h->next);
}

static inline void kmm_list_add_tail(struct kmm_list_head *n, struct kmm_list_head *h)
{
	kmm_list_insert(n, h->prev, h);
}

static inline void kmm_list_unlink(struct kmm_list_head *e)
{
	KMM_LIST_STORE(e->next->prev, e->prev);
	KMM_LIST_STORE(e->prev->next, e->next);
}

static inline void kmm_list_del(struct kmm_list_head *e)
{
	kmm_list_unlink(e);
	KMM_LIST_STORE(e->next, (struct kmm_list_head *)NULL);
	KMM_LIST_STORE(e->prev, (struct kmm_list_head *)NULL);
}

static inline void kmm_list_move(struct kmm_list_head *e, struct kmm_list_head *h)
{
	kmm_list_unlink(e);
	kmm_list_add(e, h);
}

static inline void kmm_list_move_tail(struct kmm_list_head *e, struct kmm_list_head *h)
{
	kmm_list_unlink(e);
	kmm_list_add_tail(e, h);
}

#define kmm_list_first_entry(h, type, member) kmm_container_of((h)->next, type, member)
#define kmm_list_last_entry(h, type, member) kmm_container_of((h)->prev, type, member)

#endif /* KMM_CORE_LIST_H */
