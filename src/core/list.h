/* SPDX-License-Identifier: MIT */
/* The kernel's circular doubly linked list (list_head), for the core. */
#ifndef KMM_CORE_LIST_H
#define KMM_CORE_LIST_H

#include <kmm/types.h>

#define kmm_container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

static inline void kmm_list_init(struct kmm_list_head *h)
{
	h->next = h->prev = h;
}

static inline bool kmm_list_empty(const struct kmm_list_head *h)
{
	return h->next == h;
}

static inline void kmm_list_insert(struct kmm_list_head *n, struct kmm_list_head *prev,
				   struct kmm_list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void kmm_list_add(struct kmm_list_head *n, struct kmm_list_head *h)
{
	kmm_list_insert(n, h, h->next);
}

static inline void kmm_list_add_tail(struct kmm_list_head *n, struct kmm_list_head *h)
{
	kmm_list_insert(n, h->prev, h);
}

static inline void kmm_list_del(struct kmm_list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = e->prev = NULL;
}

static inline void kmm_list_move(struct kmm_list_head *e, struct kmm_list_head *h)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	kmm_list_add(e, h);
}

static inline void kmm_list_move_tail(struct kmm_list_head *e, struct kmm_list_head *h)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	kmm_list_add_tail(e, h);
}

#define kmm_list_first_entry(h, type, member) kmm_container_of((h)->next, type, member)
#define kmm_list_last_entry(h, type, member) kmm_container_of((h)->prev, type, member)

#endif /* KMM_CORE_LIST_H */
