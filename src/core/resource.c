/* SPDX-License-Identifier: MIT */
/*
 * The resource tree (kernel/resource.c semantics).
 *
 * Each node's children form a singly linked list through ->sibling, sorted
 * by start. Invariants, checked by kmm_resource_check():
 *   parent->start <= child->start <= child->end <= parent->end
 *   a->end < a->sibling->start                     (sorted, disjoint)
 *   child->parent == parent
 * Callers serialise (the kernel's resource_lock); the tree never allocates.
 */
#include <kmm/resource.h>

#include <stddef.h>

static struct kmm_resource *request_locked(struct kmm_resource *root,
					   struct kmm_resource *new)
{
	struct kmm_resource **p, *tmp;

	if (new->end < new->start || new->start < root->start || new->end > root->end)
		return root;
	for (p = &root->child;; p = &tmp->sibling) {
		tmp = *p;
		if (!tmp || tmp->start > new->end) {
			new->sibling = tmp;
			*p = new;
			new->parent = root;
			return NULL;
		}
		if (tmp->end < new->start)
			continue;
		return tmp;
	}
}

struct kmm_resource *kmm_request_resource_conflict(struct kmm_resource *root,
						   struct kmm_resource *new)
{
	new->child = NULL;
	return request_locked(root, new);
}

int kmm_request_resource(struct kmm_resource *root, struct kmm_resource *new)
{
	return kmm_request_resource_conflict(root, new) ? -16 /* -EBUSY */ : 0;
}

int kmm_insert_resource(struct kmm_resource *parent, struct kmm_resource *new)
{
	struct kmm_resource *first, *next;

	for (;; parent = first) {
		first = request_locked(parent, new);
		if (!first)
			return 0;
		if (first == parent)
			return -16;
		if (first == new)	/* duplicated insertion */
			return -16;
		/* an identical range goes above the existing one, as in the kernel */
		if (first->start == new->start && first->end == new->end)
			break;
		/* descend into a resource that contains new entirely */
		if (first->start <= new->start && first->end >= new->end)
			continue;
		/* new must contain every resource it overlaps */
		if (first->start < new->start || first->end > new->end)
			return -16;
		break;
	}
	/* first.. are inside new: find the last one overlapping it */
	for (next = first;; next = next->sibling) {
		if (next->start < new->start || next->end > new->end)
			return -16;
		if (!next->sibling || next->sibling->start > new->end)
			break;
	}
	new->parent = parent;
	new->sibling = next->sibling;
	new->child = first;
	next->sibling = NULL;
	for (next = first; next; next = next->sibling)
		next->parent = new;
	if (parent->child == first) {
		parent->child = new;
	} else {
		next = parent->child;
		while (next->sibling != first)
			next = next->sibling;
		next->sibling = new;
	}
	return 0;
}

int kmm_release_resource(struct kmm_resource *old)
{
	struct kmm_resource **p;

	if (!old->parent)
		return -22;
	for (p = &old->parent->child; *p; p = &(*p)->sibling) {
		if (*p == old) {
			*p = old->sibling;
			old->parent = NULL;
			return 0;
		}
	}
	return -22; /* -EINVAL */
}

struct kmm_resource *kmm_resource_next(struct kmm_resource *root, struct kmm_resource *r,
				       int *depth)
{
	if (r->child) {
		(*depth)++;
		return r->child;
	}
	while (!r->sibling && r->parent) {
		r = r->parent;
		(*depth)--;
		if (r == root)
			return NULL;
	}
	return r == root ? NULL : r->sibling;
}

int kmm_resource_check(const struct kmm_resource *root)
{
	int bad = 0;

	for (const struct kmm_resource *c = root->child; c; c = c->sibling) {
		if (c->parent != root || c->start < root->start || c->end > root->end ||
		    c->end < c->start)
			bad++;
		if (c->sibling && c->end >= c->sibling->start)
			bad++;
		bad += kmm_resource_check(c);
	}
	return bad;
}
