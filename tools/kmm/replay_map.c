/* SPDX-License-Identifier: MIT */
/*
 * The replay's hash tables: a trace's pointer or pfn to kmm's object or
 * page, a call site to its tally. Open addressing with linear probing, kept
 * at most half full, deletion by backward shift (no tombstones, so a table
 * churned by millions of alloc/free pairs never degrades). A key is stored
 * plus one, so that 0 marks an empty slot.
 */
#include <stdlib.h>
#include <string.h>

#include "replay.h"

static uint64_t mix(uint64_t x)
{
	/* splitmix64's finaliser: pointers and pfns differ only in a few low bits */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static void *val_at(const struct rmap *h, size_t i)
{
	return (char *)h->vals + i * h->val_size;
}

static int alloc_slots(struct rmap *h, size_t slots)
{
	h->keys = calloc(slots, sizeof(*h->keys));
	h->vals = calloc(slots, h->val_size);
	if (!h->keys || !h->vals) {
		free(h->keys);
		free(h->vals);
		return -1;
	}
	h->mask = slots - 1;
	return 0;
}

int rmap_init(struct rmap *h, size_t val_size)
{
	memset(h, 0, sizeof(*h));
	h->val_size = val_size;
	return alloc_slots(h, 64);
}

void rmap_free(struct rmap *h)
{
	free(h->keys);
	free(h->vals);
	memset(h, 0, sizeof(*h));
}

static size_t find(const struct rmap *h, uint64_t stored)
{
	size_t i = mix(stored) & h->mask;

	while (h->keys[i] && h->keys[i] != stored)
		i = (i + 1) & h->mask;
	return i;
}

void *rmap_get(const struct rmap *h, uint64_t key)
{
	size_t i;

	if (key == UINT64_MAX)
		return NULL;
	i = find(h, key + 1);
	return h->keys[i] ? val_at(h, i) : NULL;
}

static int grow(struct rmap *h)
{
	struct rmap old = *h;

	if (alloc_slots(h, (old.mask + 1) * 2))
		return -1;
	for (size_t i = 0; i <= old.mask; i++)
		if (old.keys[i]) {
			size_t j = find(h, old.keys[i]);

			h->keys[j] = old.keys[i];
			memcpy(val_at(h, j), (char *)old.vals + i * old.val_size, h->val_size);
		}
	free(old.keys);
	free(old.vals);
	return 0;
}

void *rmap_put(struct rmap *h, uint64_t key, bool *isnew)
{
	size_t i;

	if (key == UINT64_MAX)
		return NULL;
	if ((h->count + 1) * 2 > h->mask + 1 && grow(h))
		return NULL;
	i = find(h, key + 1);
	*isnew = !h->keys[i];
	if (*isnew) {
		h->keys[i] = key + 1;
		memset(val_at(h, i), 0, h->val_size);
		h->count++;
	}
	return val_at(h, i);
}

bool rmap_del(struct rmap *h, uint64_t key)
{
	size_t i, j;

	if (key == UINT64_MAX)
		return false;
	i = find(h, key + 1);
	if (!h->keys[i])
		return false;
	/* backward shift: pull later members of the probe run into the hole */
	for (j = (i + 1) & h->mask; h->keys[j]; j = (j + 1) & h->mask) {
		size_t home = mix(h->keys[j]) & h->mask;

		/* j may move to i only if its home is not in (i, j] (cyclically) */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			h->keys[i] = h->keys[j];
			memcpy(val_at(h, i), val_at(h, j), h->val_size);
			i = j;
		}
	}
	h->keys[i] = 0;
	h->count--;
	return true;
}

size_t rmap_next(const struct rmap *h, size_t i, uint64_t *key, void **val)
{
	for (i++; i <= h->mask; i++)
		if (h->keys[i]) {
			*key = h->keys[i] - 1;
			*val = val_at(h, i);
			return i;
		}
	return SIZE_MAX;
}

/* ---- interned strings ---- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h & (UINT64_MAX >> 1);
}

uint32_t rstr_intern(struct rstrings *t, const char *s)
{
	uint64_t key;
	uint32_t *id;
	bool isnew;

	if (!s || !*s)
		return 0;
	if (!t->index.keys && rmap_init(&t->index, sizeof(uint32_t)))
		return 0;
	/* equal hashes of different strings probe on with the next key */
	for (key = hash_str(s);; key++) {
		id = rmap_put(&t->index, key, &isnew);
		if (!id)
			return 0;
		if (isnew)
			break;
		if (!strcmp(t->s[*id - 1], s))
			return *id;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		char **ns = realloc(t->s, cap * sizeof(*ns));

		if (!ns) {
			rmap_del(&t->index, key);
			return 0;
		}
		t->s = ns;
		t->cap = cap;
	}
	t->s[t->n] = strdup(s);
	if (!t->s[t->n]) {
		rmap_del(&t->index, key);
		return 0;
	}
	*id = (uint32_t)++t->n;
	return *id;
}

const char *rstr_get(const struct rstrings *t, uint32_t id)
{
	return id && id <= t->n ? t->s[id - 1] : "";
}

void rstr_free(struct rstrings *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	rmap_free(&t->index);
	memset(t, 0, sizeof(*t));
}
