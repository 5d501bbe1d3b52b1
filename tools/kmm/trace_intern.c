/* SPDX-License-Identifier: MIT */
/*
 * String interning for the trace readers: task names, call sites, cache
 * names and gfp strings repeat on nearly every line of a trace, so each is
 * kept once and named by a small dense id.
 *
 * The table is open addressing with linear probing over 64-bit words, each
 * (hash << 32 | id): a probe compares the hash before touching the string,
 * so a miss costs one cache line. The load is kept under 1/2, so a probe
 * sequence is short. Strings are copied into an arena of 64 KiB blocks
 * (bigger strings get a block of their own) that never moves: trace_str()'s
 * pointers stay valid until trace_close().
 */
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"

#define ARENA_BLOCK 65536u
#define FIRST_SLOTS 1024u
#define FIRST_IDS 256u

/*
 * A multiplicative hash eight bytes at a time: the strings are short (task
 * names, "func+0xoff", gfp strings of up to ~100 bytes) and this runs for
 * several strings on every line.
 */
static inline uint32_t intern_hash(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)n;

	while (n >= 8) {
		uint64_t w;

		memcpy(&w, s, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 29;
		s += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;

		for (size_t i = 0; i < n; i++)
			w |= (uint64_t)(unsigned char)s[i] << (8 * i);
		h = (h ^ w) * 0x94d049bb133111ebull;
		h ^= h >> 31;
	}
	h *= 0xff51afd7ed558ccdull;
	return (uint32_t)(h >> 32) | 1u;	/* never 0: a slot word of 0 is empty */
}

void trace_intern_init(struct trace_intern *t)
{
	memset(t, 0, sizeof(*t));
}

void trace_intern_free(struct trace_intern *t)
{
	char *b = t->arena;

	while (b) {
		char *next;

		memcpy(&next, b, sizeof(next));
		free(b);
		b = next;
	}
	free(t->slots);
	free(t->strs);
	free(t->lens);
	memset(t, 0, sizeof(*t));
}

/* n bytes that never move: from the current block, or a block of their own. */
static char *intern_alloc(struct trace_intern *t, size_t n)
{
	const size_t hdr = sizeof(char *);
	size_t size = n > ARENA_BLOCK / 4 ? hdr + n : ARENA_BLOCK;
	char *b;

	if (n <= t->arena_left) {
		char *p = t->arena_cur;

		t->arena_cur += n;
		t->arena_left -= n;
		return p;
	}
	b = malloc(size);
	if (!b)
		return NULL;
	memcpy(b, &t->arena, hdr);	/* chain every block for trace_intern_free() */
	t->arena = b;
	if (size == ARENA_BLOCK) {
		t->arena_cur = b + hdr + n;
		t->arena_left = ARENA_BLOCK - hdr - n;
	}
	return b + hdr;
}

static int intern_grow_slots(struct trace_intern *t)
{
	uint32_t cap = t->slots ? (t->mask + 1) * 2 : FIRST_SLOTS;
	uint64_t *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	if (t->slots) {
		for (uint32_t i = 0; i <= t->mask; i++) {
			uint64_t w = t->slots[i];
			uint32_t j;

			if (!w)
				continue;
			j = (uint32_t)(w >> 32) & (cap - 1);
			while (slots[j])
				j = (j + 1) & (cap - 1);
			slots[j] = w;
		}
		free(t->slots);
	}
	t->slots = slots;
	t->mask = cap - 1;
	return 0;
}

static int intern_grow_ids(struct trace_intern *t)
{
	uint32_t cap = t->cap ? t->cap * 2 : FIRST_IDS;
	const char **strs = realloc(t->strs, cap * sizeof(*strs));
	uint32_t *lens;

	if (!strs)
		return -1;
	t->strs = strs;
	lens = realloc(t->lens, cap * sizeof(*lens));
	if (!lens)
		return -1;
	t->lens = lens;
	if (!t->cap) {
		t->strs[0] = "";
		t->lens[0] = 0;
	}
	t->cap = cap;
	return 0;
}

uint32_t trace_intern_find(const struct trace_intern *t, const char *s, size_t n)
{
	uint32_t h, i;

	if (!n || !t->slots)
		return 0;
	h = intern_hash(s, n);
	for (i = h & t->mask;; i = (i + 1) & t->mask) {
		uint64_t w = t->slots[i];
		uint32_t id = (uint32_t)w;

		if (!w)
			return 0;
		if ((uint32_t)(w >> 32) == h && t->lens[id] == n && !memcmp(t->strs[id], s, n))
			return id;
	}
}

uint32_t trace_intern(struct trace_intern *t, const char *s, size_t n)
{
	uint32_t h, i, id;
	char *copy;

	if (!n)
		return 0;
	if (n > UINT32_MAX / 2) {
		t->failed = true;
		return 0;
	}
	if (!t->slots && intern_grow_slots(t)) {
		t->failed = true;
		return 0;
	}
	h = intern_hash(s, n);
	for (i = h & t->mask;; i = (i + 1) & t->mask) {
		uint64_t w = t->slots[i];

		if (!w)
			break;
		id = (uint32_t)w;
		if ((uint32_t)(w >> 32) == h && t->lens[id] == n && !memcmp(t->strs[id], s, n))
			return id;
	}
	/* New: grow first so that the table stays under half full. */
	if ((t->nr + 2 >= t->cap && intern_grow_ids(t)) ||
	    ((t->nr + 1) * 2 > t->mask + 1 && intern_grow_slots(t))) {
		t->failed = true;
		return 0;
	}
	copy = intern_alloc(t, n + 1);
	if (!copy) {
		t->failed = true;
		return 0;
	}
	memcpy(copy, s, n);
	copy[n] = '\0';
	id = ++t->nr;
	t->strs[id] = copy;
	t->lens[id] = (uint32_t)n;
	for (i = h & t->mask; t->slots[i]; i = (i + 1) & t->mask)
		;
	t->slots[i] = (uint64_t)h << 32 | id;
	return id;
}
