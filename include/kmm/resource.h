/* SPDX-License-Identifier: MIT */
/*
 * The resource tree behind /proc/iomem (kernel/resource.c): each resource is
 * an inclusive range [start, end] with a name, its children a sibling list
 * sorted by start that never overlap and lie within their parent.
 */
#ifndef KMM_RESOURCE_H
#define KMM_RESOURCE_H

#include <kmm/types.h>

/* The public API: exported from libkmm.so (the library builds with -fvisibility=hidden). */
#pragma GCC visibility push(default)

typedef uint64_t kmm_resource_size_t;

struct kmm_resource {
	kmm_resource_size_t start, end;	/* inclusive */
	const char *name;
	unsigned long flags;		/* IORESOURCE_* */
	unsigned long desc;		/* IORES_DESC_* */
	struct kmm_resource *parent, *sibling, *child;
};

#define KMM_IORESOURCE_IO 0x00000100
#define KMM_IORESOURCE_MEM 0x00000200
#define KMM_IORESOURCE_SYSRAM 0x01000000
#define KMM_IORESOURCE_BUSY 0x80000000
#define KMM_IORESOURCE_SYSTEM_RAM (KMM_IORESOURCE_MEM | KMM_IORESOURCE_SYSRAM)

#define KMM_IORES_DESC_NONE 0
#define KMM_IORES_DESC_RESERVED 7

static inline kmm_resource_size_t kmm_resource_size(const struct kmm_resource *r)
{
	return r->end - r->start + 1;
}

/* request_resource_conflict(): NULL on success, else the resource in the way. */
struct kmm_resource *kmm_request_resource_conflict(struct kmm_resource *root,
						   struct kmm_resource *new);
/* request_resource(): 0 or -EBUSY. */
int kmm_request_resource(struct kmm_resource *root, struct kmm_resource *new);
/*
 * insert_resource(): places new at the deepest level where it fits, adopting
 * existing resources it fully contains; 0 or -EBUSY on a partial overlap.
 */
int kmm_insert_resource(struct kmm_resource *parent, struct kmm_resource *new);
/* release_resource(): unlinks old (children go with it); 0 or -EINVAL. */
int kmm_release_resource(struct kmm_resource *old);
/* Pre-order walk: the next resource after r below root, and its depth. */
struct kmm_resource *kmm_resource_next(struct kmm_resource *root, struct kmm_resource *r,
				       int *depth);
/* Integrity walker: count of children outside their parent, unsorted or overlapping. */
int kmm_resource_check(const struct kmm_resource *root);

#pragma GCC visibility pop

#endif /* KMM_RESOURCE_H */
