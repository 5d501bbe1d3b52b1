/* SPDX-License-Identifier: MIT */
/*
 * The resource tree behind /proc/iomem (src/core/resource.c), with the
 * semantics of the kernel's kernel/resource.c: request_resource refuses any
 * overlap, insert_resource nests, release unlinks a subtree, and the
 * pre-order walk gives what /proc/iomem prints.
 */
#include <string.h>

#include <kmm/resource.h>

#include "kunit.h"

#define EBUSY_ 16
#define EINVAL_ 22

static struct kmm_resource res(const char *name, kmm_resource_size_t start,
			       kmm_resource_size_t end)
{
	return (struct kmm_resource){ .start = start, .end = end, .name = name,
				      .flags = KMM_IORESOURCE_MEM };
}

/*
 * Renders the tree as /proc/iomem would (pre-order, two spaces per level),
 * with kmm_resource_next, into buf.
 */
static const char *render(struct kmm_resource *root, char *buf, size_t len)
{
	int depth = 0;
	size_t used = 0;

	buf[0] = '\0';
	for (struct kmm_resource *r = root->child; r; r = kmm_resource_next(root, r, &depth)) {
		int n = snprintf(buf + used, len - used, "%*s%04llx-%04llx %s\n", depth * 2, "",
				 (unsigned long long)r->start, (unsigned long long)r->end,
				 r->name);

		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

#define EXPECT_TREE(test, root, want)                                          \
	do {                                                                   \
		char tree_[2048];                                              \
		KUNIT_EXPECT_STREQ(test, render(root, tree_, sizeof(tree_)), want); \
		KUNIT_EXPECT_EQ(test, kmm_resource_check(root), 0);           \
	} while (0)

static void request_sorted_insertion(struct kunit *test)
{
	struct kmm_resource root = res("root", 0, 0xffff);
	struct kmm_resource a = res("A", 0x1000, 0x1fff), b = res("B", 0x3000, 0x3fff),
			    c = res("C", 0x5000, 0x5fff), d = res("D", 0x0000, 0x00ff),
			    e = res("E", 0xff00, 0xffff);

	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &c), 0);
	EXPECT_TREE(test, &root, "5000-5fff C\n");
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &a), 0);
	EXPECT_TREE(test, &root, "1000-1fff A\n5000-5fff C\n");
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &b), 0);
	EXPECT_TREE(test, &root, "1000-1fff A\n3000-3fff B\n5000-5fff C\n");
	/* both ends of the root are usable */
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &e), 0);
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &d), 0);
	EXPECT_TREE(test, &root,
		    "0000-00ff D\n1000-1fff A\n3000-3fff B\n5000-5fff C\nff00-ffff E\n");

	/* the links themselves: a sorted sibling list under root */
	KUNIT_EXPECT_TRUE(test, root.child == &d);
	KUNIT_EXPECT_TRUE(test, d.sibling == &a);
	KUNIT_EXPECT_TRUE(test, a.sibling == &b);
	KUNIT_EXPECT_TRUE(test, b.sibling == &c);
	KUNIT_EXPECT_TRUE(test, c.sibling == &e);
	KUNIT_EXPECT_NULL(test, e.sibling);
	KUNIT_EXPECT_TRUE(test, a.parent == &root && e.parent == &root && d.parent == &root);
	KUNIT_EXPECT_NULL(test, a.child);
	KUNIT_EXPECT_EQ(test, kmm_resource_size(&a), 0x1000);
}

static void request_conflicts(struct kunit *test)
{
	struct kmm_resource root = res("root", 0, 0xffff);
	struct kmm_resource a = res("A", 0x1000, 0x1fff), b = res("B", 0x3000, 0x3fff);
	struct kmm_resource x;
	const char *before = "1000-1fff A\n3000-3fff B\n";

	KUNIT_ASSERT_EQ(test, kmm_request_resource(&root, &a), 0);
	KUNIT_ASSERT_EQ(test, kmm_request_resource(&root, &b), 0);

	/* overlapping the end of A, the start of A, all of A, inside A */
	x = res("X", 0x1800, 0x27ff);
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &x), -EBUSY_);
	x = res("X", 0x0800, 0x1000);
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &x), -EBUSY_);
	x = res("X", 0x0800, 0x2800);
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &x), -EBUSY_);
	x = res("X", 0x1100, 0x11ff);
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &x), -EBUSY_);
	x = res("X", 0x1000, 0x1fff);	/* the same range */
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &x), -EBUSY_);
	x = res("X", 0x1fff, 0x1fff);	/* one byte: A's last */
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &x), -EBUSY_);
	EXPECT_TREE(test, &root, before);

	/* the conflict reported is the first resource in the way */
	x = res("X", 0x1f00, 0x30ff);
	KUNIT_EXPECT_TRUE(test, kmm_request_resource_conflict(&root, &x) == &a);
	x = res("X", 0x2000, 0x3000);
	KUNIT_EXPECT_TRUE(test, kmm_request_resource_conflict(&root, &x) == &b);
	EXPECT_TREE(test, &root, before);

	/* adjacent ranges do not conflict: [2000, 2fff] fills the gap exactly */
	x = res("gap", 0x2000, 0x2fff);
	KUNIT_EXPECT_NULL(test, kmm_request_resource_conflict(&root, &x));
	EXPECT_TREE(test, &root, "1000-1fff A\n2000-2fff gap\n3000-3fff B\n");
	KUNIT_EXPECT_TRUE(test, a.sibling == &x && x.sibling == &b);
}

static void request_out_of_root(struct kunit *test)
{
	struct kmm_resource root = res("root", 0x1000, 0xffff);
	struct kmm_resource a = res("A", 0x4000, 0x4fff), x;

	KUNIT_ASSERT_EQ(test, kmm_request_resource(&root, &a), 0);
	/* below the root's start, past its end, straddling either end */
	x = res("X", 0x0000, 0x0fff);
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &x), -EBUSY_);
	x = res("X", 0x10000, 0x10fff);
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &x), -EBUSY_);
	x = res("X", 0xff00, 0x10000);
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &x), -EBUSY_);
	x = res("X", 0x0fff, 0x1100);
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &x), -EBUSY_);
	/* end before start */
	x = res("X", 0x2001, 0x2000);
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &x), -EBUSY_);
	x = res("X", 0x2001, 0x2000);
	KUNIT_EXPECT_TRUE(test, kmm_request_resource_conflict(&root, &x) == &root);
	x = res("X", 0x10000, 0x10fff);
	KUNIT_EXPECT_TRUE(test, kmm_request_resource_conflict(&root, &x) == &root);
	/* insert_resource refuses them too */
	x = res("X", 0x2001, 0x2000);
	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &x), -EBUSY_);
	x = res("X", 0x0000, 0x1fff);
	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &x), -EBUSY_);
	x = res("X", 0xf000, 0x1ffff);
	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &x), -EBUSY_);
	EXPECT_TREE(test, &root, "4000-4fff A\n");

	/* the root's whole range and one byte ranges at its ends are fine */
	struct kmm_resource lo = res("lo", 0x1000, 0x1000), hi = res("hi", 0xffff, 0xffff);

	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &lo), 0);
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &hi), 0);
	EXPECT_TREE(test, &root, "1000-1000 lo\n4000-4fff A\nffff-ffff hi\n");

	/* a full 64-bit root, as iomem_resource is */
	struct kmm_resource top = res("PCI mem", 0, ~0ULL);
	struct kmm_resource last = res("last", ~0ULL - 0xfff, ~0ULL);

	KUNIT_EXPECT_EQ(test, kmm_request_resource(&top, &last), 0);
	KUNIT_EXPECT_EQ(test, kmm_resource_check(&top), 0);
	KUNIT_EXPECT_TRUE(test, top.child == &last);
}

static void insert_nesting(struct kunit *test)
{
	struct kmm_resource root = res("root", 0, 0xffff);
	struct kmm_resource a = res("A", 0x1000, 0x1fff), b = res("B", 0x3000, 0x3fff),
			    c = res("C", 0x8000, 0x8fff);
	struct kmm_resource n = res("N", 0x0800, 0x4fff), k = res("K", 0x3100, 0x31ff),
			    r = res("R", 0x6000, 0x6fff), s = res("S", 0x0000, 0x7fff);
	struct kmm_resource x;

	KUNIT_ASSERT_EQ(test, kmm_request_resource(&root, &a), 0);
	KUNIT_ASSERT_EQ(test, kmm_request_resource(&root, &b), 0);
	KUNIT_ASSERT_EQ(test, kmm_request_resource(&root, &c), 0);

	/* a range containing existing siblings adopts them */
	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &n), 0);
	EXPECT_TREE(test, &root, "0800-4fff N\n  1000-1fff A\n  3000-3fff B\n8000-8fff C\n");
	KUNIT_EXPECT_TRUE(test, root.child == &n && n.sibling == &c);
	KUNIT_EXPECT_TRUE(test, n.parent == &root && n.child == &a);
	KUNIT_EXPECT_TRUE(test, a.parent == &n && b.parent == &n && b.sibling == NULL);

	/* a range inside an existing one goes under the deepest that holds it */
	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &k), 0);
	EXPECT_TREE(test, &root,
		    "0800-4fff N\n  1000-1fff A\n  3000-3fff B\n    3100-31ff K\n8000-8fff C\n");
	KUNIT_EXPECT_TRUE(test, k.parent == &b && b.child == &k);

	/* partial overlaps are refused and change nothing */
	const char *before =
		"0800-4fff N\n  1000-1fff A\n  3000-3fff B\n    3100-31ff K\n8000-8fff C\n";

	x = res("X", 0x1800, 0x27ff);	/* across A's end, inside N */
	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &x), -EBUSY_);
	EXPECT_TREE(test, &root, before);
	x = res("X", 0x4000, 0x87ff);	/* across N's end and C's start */
	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &x), -EBUSY_);
	EXPECT_TREE(test, &root, before);
	x = res("X", 0x0800, 0x87ff);	/* contains N, but only part of C */
	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &x), -EBUSY_);
	EXPECT_TREE(test, &root, before);
	x = res("X", 0x3000, 0x317f);	/* inside B, across K's start */
	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &x), -EBUSY_);
	EXPECT_TREE(test, &root, before);
	/* request_resource does not nest at all */
	x = res("X", 0x2000, 0x2fff);
	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &x), -EBUSY_);
	EXPECT_TREE(test, &root, before);

	/* into a gap: a plain sibling */
	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &r), 0);
	EXPECT_TREE(test, &root,
		    "0800-4fff N\n  1000-1fff A\n  3000-3fff B\n    3100-31ff K\n6000-6fff R\n"
		    "8000-8fff C\n");
	KUNIT_EXPECT_TRUE(test, r.parent == &root && r.child == NULL);

	/* adopting subtrees keeps their own children */
	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &s), 0);
	EXPECT_TREE(test, &root,
		    "0000-7fff S\n  0800-4fff N\n    1000-1fff A\n    3000-3fff B\n"
		    "      3100-31ff K\n  6000-6fff R\n8000-8fff C\n");
	KUNIT_EXPECT_TRUE(test, n.parent == &s && r.parent == &s && k.parent == &b);
	KUNIT_EXPECT_TRUE(test, s.sibling == &c && r.sibling == NULL);

	/* a gap inside a nested level: between A and B, under N */
	struct kmm_resource g = res("G", 0x2000, 0x2fff);

	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &g), 0);
	KUNIT_EXPECT_TRUE(test, g.parent == &n && a.sibling == &g && g.sibling == &b);
	KUNIT_EXPECT_EQ(test, kmm_resource_check(&root), 0);

	/* adopting siblings in the middle of a list: B alone, behind A and G */
	struct kmm_resource m = res("M", 0x3000, 0x3fff + 0x800);

	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &m), 0);
	EXPECT_TREE(test, &root,
		    "0000-7fff S\n  0800-4fff N\n    1000-1fff A\n    2000-2fff G\n"
		    "    3000-47ff M\n      3000-3fff B\n        3100-31ff K\n"
		    "  6000-6fff R\n8000-8fff C\n");
	KUNIT_EXPECT_TRUE(test, g.sibling == &m && m.parent == &n && b.parent == &m);
}

/*
 * kernel/resource.c's __insert_resource: a range identical to an existing
 * one is inserted above it (the existing one becomes its child), as a range
 * that contains it does.
 */
static void insert_identical_range_nests(struct kunit *test)
{
	struct kmm_resource root = res("root", 0, 0xffff);
	struct kmm_resource ram = res("System RAM", 0x1000, 0x8fff),
			    code = res("Kernel code", 0x2000, 0x2fff),
			    crash = res("Crash kernel", 0x1000, 0x8fff),
			    same = res("same", 0x2000, 0x2fff);

	KUNIT_ASSERT_EQ(test, kmm_request_resource(&root, &ram), 0);
	KUNIT_ASSERT_EQ(test, kmm_insert_resource(&root, &code), 0);
	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &crash), 0);
	EXPECT_TREE(test, &root,
		    "1000-8fff Crash kernel\n  1000-8fff System RAM\n    2000-2fff Kernel code\n");
	KUNIT_EXPECT_TRUE(test, ram.parent == &crash && crash.child == &ram);
	/* one level down too */
	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &same), 0);
	EXPECT_TREE(test, &root,
		    "1000-8fff Crash kernel\n  1000-8fff System RAM\n    2000-2fff same\n"
		    "      2000-2fff Kernel code\n");
	KUNIT_EXPECT_TRUE(test, same.parent == &ram && code.parent == &same);
	/* and the walk ends: no cycle */
	int depth = 0, i = 0;

	for (struct kmm_resource *r = root.child; r && i < 10; r = kmm_resource_next(&root, r, &depth))
		i++;
	KUNIT_EXPECT_EQ(test, i, 4);
}

static void release(struct kunit *test)
{
	struct kmm_resource root = res("root", 0, 0xffff);
	struct kmm_resource a = res("A", 0x1000, 0x1fff), b = res("B", 0x3000, 0x3fff),
			    c = res("C", 0x5000, 0x5fff), k = res("K", 0x3100, 0x31ff);

	KUNIT_ASSERT_EQ(test, kmm_request_resource(&root, &a), 0);
	KUNIT_ASSERT_EQ(test, kmm_request_resource(&root, &b), 0);
	KUNIT_ASSERT_EQ(test, kmm_request_resource(&root, &c), 0);
	KUNIT_ASSERT_EQ(test, kmm_insert_resource(&root, &k), 0);
	EXPECT_TREE(test, &root, "1000-1fff A\n3000-3fff B\n  3100-31ff K\n5000-5fff C\n");

	/* a middle one, with its child */
	KUNIT_EXPECT_EQ(test, kmm_release_resource(&b), 0);
	EXPECT_TREE(test, &root, "1000-1fff A\n5000-5fff C\n");
	KUNIT_EXPECT_NULL(test, b.parent);
	KUNIT_EXPECT_TRUE(test, a.sibling == &c);
	KUNIT_EXPECT_TRUE(test, b.child == &k && k.parent == &b);
	/* twice: it has no parent any more */
	KUNIT_EXPECT_EQ(test, kmm_release_resource(&b), -EINVAL_);
	/* its range is free again */
	struct kmm_resource x = res("X", 0x3000, 0x3fff);

	KUNIT_EXPECT_EQ(test, kmm_request_resource(&root, &x), 0);
	EXPECT_TREE(test, &root, "1000-1fff A\n3000-3fff X\n5000-5fff C\n");

	/* the first and the last */
	KUNIT_EXPECT_EQ(test, kmm_release_resource(&a), 0);
	EXPECT_TREE(test, &root, "3000-3fff X\n5000-5fff C\n");
	KUNIT_EXPECT_TRUE(test, root.child == &x);
	KUNIT_EXPECT_EQ(test, kmm_release_resource(&c), 0);
	EXPECT_TREE(test, &root, "3000-3fff X\n");
	KUNIT_EXPECT_NULL(test, x.sibling);
	/* a nested one */
	struct kmm_resource y = res("Y", 0x3800, 0x38ff);

	KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, &y), 0);
	EXPECT_TREE(test, &root, "3000-3fff X\n  3800-38ff Y\n");
	KUNIT_EXPECT_EQ(test, kmm_release_resource(&y), 0);
	EXPECT_TREE(test, &root, "3000-3fff X\n");
	KUNIT_EXPECT_NULL(test, x.child);
	KUNIT_EXPECT_EQ(test, kmm_release_resource(&x), 0);
	EXPECT_TREE(test, &root, "");
	KUNIT_EXPECT_NULL(test, root.child);

	/* a resource whose parent does not list it */
	struct kmm_resource stray = res("stray", 0x100, 0x1ff);

	stray.parent = &root;
	KUNIT_EXPECT_EQ(test, kmm_release_resource(&stray), -EINVAL_);
	/* never requested */
	struct kmm_resource fresh = res("fresh", 0x100, 0x1ff);

	KUNIT_EXPECT_EQ(test, kmm_release_resource(&fresh), -EINVAL_);
}

struct seen {
	const char *name;
	int depth;
};

static void walk_preorder(struct kunit *test)
{
	/* a tree with every shape the walk meets: deep chains, climbs of several levels */
	struct kmm_resource root = res("root", 0, 0xffff);
	struct kmm_resource r1 = res("r1", 0x0000, 0x0fff), r2 = res("r2", 0x1000, 0x7fff),
			    r2a = res("r2a", 0x1000, 0x3fff), r2a1 = res("r2a1", 0x1000, 0x1fff),
			    r2a1x = res("r2a1x", 0x1800, 0x18ff), r2a2 = res("r2a2", 0x2000, 0x2fff),
			    r2b = res("r2b", 0x5000, 0x5fff), r2b1 = res("r2b1", 0x5000, 0x50ff),
			    r2b1x = res("r2b1x", 0x5000, 0x500f), r3 = res("r3", 0x9000, 0x9fff),
			    r3a = res("r3a", 0x9800, 0x98ff);
	struct kmm_resource *order[] = { &r2, &r1, &r3, &r2b, &r2a, &r2a2, &r2a1, &r2b1,
					 &r2a1x, &r2b1x, &r3a };
	struct seen want[] = {
		{ "r1", 0 }, { "r2", 0 }, { "r2a", 1 }, { "r2a1", 2 }, { "r2a1x", 3 },
		{ "r2a2", 2 }, { "r2b", 1 }, { "r2b1", 2 }, { "r2b1x", 3 }, { "r3", 0 },
		{ "r3a", 1 },
	};
	struct kmm_resource *r;
	int depth = 0, i = 0;

	for (size_t j = 0; j < sizeof(order) / sizeof(order[0]); j++) {
		KUNIT_EXPECT_EQ(test, kmm_insert_resource(&root, order[j]), 0);
		KUNIT_EXPECT_EQ(test, kmm_resource_check(&root), 0);
	}
	for (r = root.child; r; r = kmm_resource_next(&root, r, &depth), i++) {
		KUNIT_ASSERT_LE(test, i, 10);
		KUNIT_EXPECT_STREQ(test, r->name, want[i].name);
		KUNIT_EXPECT_EQ(test, depth, want[i].depth);
	}
	KUNIT_EXPECT_EQ(test, i, 11);

	/* below a subtree only: r2's descendants, then NULL although r2 has a sibling */
	const char *sub[] = { "r2a", "r2a1", "r2a1x", "r2a2", "r2b", "r2b1", "r2b1x" };
	int subdepth[] = { 1, 2, 3, 2, 1, 2, 3 };

	depth = 0;
	i = 0;
	for (r = kmm_resource_next(&r2, &r2, &depth); r; r = kmm_resource_next(&r2, r, &depth), i++) {
		KUNIT_ASSERT_LE(test, i, 6);
		KUNIT_EXPECT_STREQ(test, r->name, sub[i]);
		KUNIT_EXPECT_EQ(test, depth, subdepth[i]);
	}
	KUNIT_EXPECT_EQ(test, i, 7);

	/* a leaf's walk below itself is empty; so is an empty root's */
	depth = 0;
	KUNIT_EXPECT_NULL(test, kmm_resource_next(&r1, &r1, &depth));
	struct kmm_resource empty = res("empty", 0, 0xff);

	KUNIT_EXPECT_NULL(test, kmm_resource_next(&empty, &empty, &depth));
}

static void check_detects_corruption(struct kunit *test)
{
	struct kmm_resource root = res("root", 0, 0xffff);
	struct kmm_resource a = res("A", 0x1000, 0x1fff), b = res("B", 0x3000, 0x3fff),
			    c = res("C", 0x5000, 0x5fff), k = res("K", 0x3100, 0x31ff);

	KUNIT_ASSERT_EQ(test, kmm_request_resource(&root, &a), 0);
	KUNIT_ASSERT_EQ(test, kmm_request_resource(&root, &b), 0);
	KUNIT_ASSERT_EQ(test, kmm_request_resource(&root, &c), 0);
	KUNIT_ASSERT_EQ(test, kmm_insert_resource(&root, &k), 0);
	KUNIT_ASSERT_EQ(test, kmm_resource_check(&root), 0);

	/* a child sticking out of its parent */
	k.end = 0x40ff;
	KUNIT_EXPECT_EQ(test, kmm_resource_check(&root), 1);
	k.end = 0x31ff;
	k.start = 0x2f00;
	KUNIT_EXPECT_EQ(test, kmm_resource_check(&root), 1);
	k.start = 0x3100;
	KUNIT_EXPECT_EQ(test, kmm_resource_check(&root), 0);

	/* overlapping siblings */
	a.end = 0x3000;
	KUNIT_EXPECT_EQ(test, kmm_resource_check(&root), 1);
	a.end = 0x1fff;

	/* unsorted siblings: C before B */
	a.sibling = &c;
	c.sibling = &b;
	b.sibling = NULL;
	KUNIT_EXPECT_EQ(test, kmm_resource_check(&root), 1);
	a.sibling = &b;
	b.sibling = &c;
	c.sibling = NULL;
	KUNIT_EXPECT_EQ(test, kmm_resource_check(&root), 0);

	/* a wrong parent pointer */
	k.parent = &root;
	KUNIT_EXPECT_EQ(test, kmm_resource_check(&root), 1);
	k.parent = &b;

	/* end before start */
	c.end = 0x4fff;
	KUNIT_EXPECT_NE(test, kmm_resource_check(&root), 0);
	c.end = 0x5fff;

	/* a top-level child outside the root */
	c.end = 0x1ffff;
	KUNIT_EXPECT_EQ(test, kmm_resource_check(&root), 1);
	c.end = 0x5fff;

	/* two faults count twice */
	k.end = 0x40ff;
	a.end = 0x3000;
	KUNIT_EXPECT_EQ(test, kmm_resource_check(&root), 2);
	k.end = 0x31ff;
	a.end = 0x1fff;
	KUNIT_EXPECT_EQ(test, kmm_resource_check(&root), 0);
}

static struct kunit_case resource_cases[] = {
	KUNIT_CASE(request_sorted_insertion),
	KUNIT_CASE(request_conflicts),
	KUNIT_CASE(request_out_of_root),
	KUNIT_CASE(insert_nesting),
	KUNIT_CASE(insert_identical_range_nests),
	KUNIT_CASE(release),
	KUNIT_CASE(walk_preorder),
	KUNIT_CASE(check_detects_corruption),
	{}
};

KUNIT_MAIN("resource", resource_cases)
