/* SPDX-License-Identifier: MIT */
/*
 * The fields of the kmem events, "key=value" separated by blanks, the same
 * in the three text formats. What each kernel version printed:
 *
 *   kmalloc, kmem_cache_alloc
 *     2.6.32-5.5   call_site=%lx ptr=%p bytes_req bytes_alloc gfp_flags
 *     5.6-5.18     call_site=%pS (func+0xoff/0xsize) ...
 *     5.19-6.1     ... accounted=
 *     6.2-         ... node= accounted= (the *_node events merged in)
 *     6.x          kmem_cache_alloc: name= after ptr=
 *   kmalloc_node, kmem_cache_alloc_node (< 6.2): as above with node=
 *   kfree, kmem_cache_free: call_site ptr (kmem_cache_free: name= from 5.12)
 *   mm_page_alloc: page=%p pfn= order= migratetype= gfp_flags=
 *     pfn decimal (%lu) in old kernels, hex (0x%lx) in new ones;
 *     page= is a hashed pointer in ftrace and the pfn in perf: never used
 *     but to see a failed allocation (page NULL, pfn 0)
 *   mm_page_free (mm_page_free_direct < 3.3): page= pfn= order=
 *   mm_page_free_batched (mm_pagevec_free < 3.3): page= pfn= order=0 [cold=]
 *
 * Keys are told apart by length and then compared; unknown keys are
 * skipped, so a newer kernel's extra field does not make a line malformed.
 * A field the event cannot do without (ptr=, bytes_alloc=, pfn=...) missing
 * or not a number does.
 */
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"

int trace_event_type(const char *name, size_t n)
{
#define IS(lit) (n == sizeof(lit) - 1 && !memcmp(name, lit, sizeof(lit) - 1))
	switch (n) {
	case 5:
		return IS("kfree") ? TEV_KFREE : -1;
	case 7:
		return IS("kmalloc") ? TEV_KMALLOC : -1;
	case 12:
		return IS("mm_page_free") ? TEV_PAGE_FREE : IS("kmalloc_node") ? TEV_KMALLOC : -1;
	case 13:
		return IS("mm_page_alloc") ? TEV_PAGE_ALLOC : -1;
	case 15:
		return IS("kmem_cache_free")   ? TEV_CACHE_FREE
		       : IS("mm_pagevec_free") ? TEV_PAGE_FREE_BATCHED
					       : -1;
	case 16:
		return IS("kmem_cache_alloc") ? TEV_CACHE_ALLOC : -1;
	case 19:
		return IS("mm_page_free_direct") ? TEV_PAGE_FREE : -1;
	case 20:
		return IS("mm_page_free_batched") ? TEV_PAGE_FREE_BATCHED : -1;
	case 21:
		return IS("kmem_cache_alloc_node") ? TEV_CACHE_ALLOC : -1;
	default:
		return -1;
	}
#undef IS
}

static inline int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits, with or without "0x" (ftrace's %p prints none). */
static bool field_hex(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	if (!n || n > 16)
		return false;
	for (size_t i = 0; i < n; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return false;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return true;
}

static bool field_dec(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (!n || n > 20)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || x > (UINT64_MAX - 9) / 10)
			return false;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = x;
	return true;
}

/* "0x..." as hex, else decimal: pfn= changed from %lu to 0x%lx over the versions. */
static bool field_number(const char *s, size_t n, uint64_t *v)
{
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return field_hex(s, n, v);
	return field_dec(s, n, v);
}

static bool field_int(const char *s, size_t n, int *v)
{
	uint64_t x;
	bool neg = n && s[0] == '-';

	if (!field_dec(s + neg, n - neg, &x) || x > 0x7fffffffu)
		return false;
	*v = neg ? -(int)x : (int)x;
	return true;
}

/* A pointer as printed: hex (hashed or real), or NULL spelt "(nil)"/"(null)". */
static bool field_ptr(const char *s, size_t n, uint64_t *v)
{
	if ((n == 5 && !memcmp(s, "(nil)", 5)) || (n == 6 && !memcmp(s, "(null)", 6))) {
		*v = 0;
		return true;
	}
	return field_hex(s, n, v);
}

kmm_gfp_t trace_fields_gfp(struct trace_fields_ctx *c, const char *s, size_t n)
{
	uint32_t before = c->gfp_strs.nr;
	uint32_t id = trace_intern(&c->gfp_strs, s, n);
	const char *unknown;
	size_t unknown_len;
	kmm_gfp_t gfp;
	int bad;

	if (trace_likely(id && id <= before))
		return c->gfp_vals[id];
	bad = trace_gfp_parse(s, n, &gfp, &unknown, &unknown_len);
	if (!id)
		return gfp;	/* no memory to remember it: parsed each time */
	if (id >= c->gfp_cap) {
		uint32_t cap = c->gfp_cap ? c->gfp_cap * 2 : 64;
		kmm_gfp_t *v;

		while (cap <= id)
			cap *= 2;
		v = realloc(c->gfp_vals, cap * sizeof(*v));
		if (!v) {
			c->gfp_strs.failed = true;
			return gfp;
		}
		c->gfp_vals = v;
		c->gfp_cap = cap;
	}
	c->gfp_vals[id] = gfp;
	if (bad) {
		/* counted once per distinct string: the names, not the events */
		if (!c->stats->gfp_unknown) {
			size_t k = unknown_len < sizeof(c->stats->gfp_unknown_first) - 1
					   ? unknown_len
					   : sizeof(c->stats->gfp_unknown_first) - 1;

			memcpy(c->stats->gfp_unknown_first, unknown, k);
			c->stats->gfp_unknown_first[k] = '\0';
		}
		c->stats->gfp_unknown += (uint64_t)bad;
	}
	return gfp;
}

uint32_t trace_fields_call_site(struct trace_fields_ctx *c, const char *s, size_t n)
{
	/* "func+0xoff/0xsize" (ftrace's %pS): the size goes */
	const char *slash = memchr(s, '/', n);

	if (slash)
		n = (size_t)(slash - s);
	return trace_intern(c->strs, s, n);
}

/* A bare address (old kernels' call_site=%lx): the plugin's "func+off" is better. */
static bool field_is_address(const char *s, size_t n)
{
	return memchr(s, '+', n) == NULL;
}

static int field_bad(const char **why, const char *msg)
{
	*why = msg;
	return -1;
}

enum {
	HAVE_PTR = 1 << 0,
	HAVE_REQ = 1 << 1,
	HAVE_ALLOC = 1 << 2,
	HAVE_GFP = 1 << 3,
	HAVE_PFN = 1 << 4,
	HAVE_ORDER = 1 << 5,
	HAVE_ACCOUNTED = 1 << 6,
	HAVE_PAGE = 1 << 7,
	PAGE_NULL = 1 << 8,
	HAVE_SITE = 1 << 9,
};

int trace_fields_parse(struct trace_fields_ctx *c, const char *s, const char *e,
		       const struct trace_head *h, struct trace_event *ev, const char **why)
{
	unsigned int have = 0;
	const char *p = s, *site = NULL;
	size_t site_len = 0;
	uint64_t v;

	ev->ptr = 0;
	ev->call_site = 0;
	ev->cache = 0;
	ev->bytes_req = ev->bytes_alloc = 0;
	ev->gfp = 0;
	ev->node = -1;
	ev->accounted = false;
	ev->pfn = 0;
	ev->order = 0;
	ev->migratetype = -1;
	ev->failed = false;

	while (p < e) {
		const char *key, *val;
		size_t klen, vlen;

		while (p < e && *p == ' ')
			p++;
		key = p;
		while (p < e && *p != '=' && *p != ' ')
			p++;
		if (p >= e || *p == ' ')
			continue;	/* a word without '=', as %pS's " [module]" */
		klen = (size_t)(p - key);
		val = ++p;
		while (p < e && *p != ' ')
			p++;
		vlen = (size_t)(p - val);

		switch (klen) {
		case 3:
			if (!memcmp(key, "ptr", 3)) {
				if (!field_ptr(val, vlen, &ev->ptr))
					return field_bad(why, "ptr= is not a pointer");
				have |= HAVE_PTR;
			} else if (!memcmp(key, "pfn", 3)) {
				if (!field_number(val, vlen, &ev->pfn))
					return field_bad(why, "pfn= is not a number");
				have |= HAVE_PFN;
			}
			break;
		case 4:
			if (!memcmp(key, "name", 4)) {
				ev->cache = trace_intern(c->strs, val, vlen);
			} else if (!memcmp(key, "node", 4)) {
				if (!field_int(val, vlen, &ev->node))
					return field_bad(why, "node= is not a number");
			} else if (!memcmp(key, "page", 4)) {
				have |= HAVE_PAGE;
				if (field_ptr(val, vlen, &v) && !v)
					have |= PAGE_NULL;
			}
			break;
		case 5:
			if (!memcmp(key, "order", 5)) {
				if (!field_dec(val, vlen, &v) || v > 64)
					return field_bad(why, "order= is not an order");
				ev->order = (unsigned int)v;
				have |= HAVE_ORDER;
			}
			break;
		case 9:
			if (!memcmp(key, "call_site", 9)) {
				site = val;
				site_len = vlen;
				have |= HAVE_SITE;
			} else if (!memcmp(key, "bytes_req", 9)) {
				if (!field_dec(val, vlen, &v) || v > UINT32_MAX)
					return field_bad(why, "bytes_req= is not a 32-bit number");
				ev->bytes_req = (uint32_t)v;
				have |= HAVE_REQ;
			} else if (!memcmp(key, "gfp_flags", 9)) {
				ev->gfp = trace_fields_gfp(c, val, vlen);
				have |= HAVE_GFP;
			} else if (!memcmp(key, "accounted", 9)) {
				if (vlen == 4 && !memcmp(val, "true", 4))
					ev->accounted = true;
				else if (!(vlen == 5 && !memcmp(val, "false", 5)))
					return field_bad(why, "accounted= is not true or false");
				have |= HAVE_ACCOUNTED;
			}
			break;
		case 11:
			if (!memcmp(key, "bytes_alloc", 11)) {
				if (!field_dec(val, vlen, &v) || v > UINT32_MAX)
					return field_bad(why, "bytes_alloc= is not a 32-bit number");
				ev->bytes_alloc = (uint32_t)v;
				have |= HAVE_ALLOC;
			} else if (!memcmp(key, "migratetype", 11)) {
				if (!field_int(val, vlen, &ev->migratetype))
					return field_bad(why, "migratetype= is not a number");
			}
			break;
		default:
			break;
		}
	}

	switch (ev->type) {
	case TEV_KMALLOC:
	case TEV_CACHE_ALLOC:
		if ((have & (HAVE_PTR | HAVE_REQ | HAVE_ALLOC | HAVE_GFP)) !=
		    (HAVE_PTR | HAVE_REQ | HAVE_ALLOC | HAVE_GFP)) {
			*why = !(have & HAVE_PTR)     ? "no ptr="
			       : !(have & HAVE_REQ)   ? "no bytes_req="
			       : !(have & HAVE_ALLOC) ? "no bytes_alloc="
						      : "no gfp_flags=";
			return -1;
		}
		if (!(have & HAVE_ACCOUNTED))
			ev->accounted = ev->gfp & KMM___GFP_ACCOUNT;
		ev->failed = !ev->ptr;
		break;
	case TEV_KFREE:
	case TEV_CACHE_FREE:
		if (!(have & HAVE_PTR)) {
			*why = "no ptr=";
			return -1;
		}
		break;
	case TEV_PAGE_ALLOC:
		if ((have & (HAVE_PFN | HAVE_ORDER | HAVE_GFP)) != (HAVE_PFN | HAVE_ORDER | HAVE_GFP)) {
			*why = !(have & HAVE_PFN) ? "no pfn=" : !(have & HAVE_ORDER) ? "no order=" : "no gfp_flags=";
			return -1;
		}
		/* A failed allocation prints a NULL page and pfn 0. */
		ev->failed = !ev->pfn && (!(have & HAVE_PAGE) || (have & PAGE_NULL));
		break;
	case TEV_PAGE_FREE:
		if ((have & (HAVE_PFN | HAVE_ORDER)) != (HAVE_PFN | HAVE_ORDER)) {
			*why = !(have & HAVE_PFN) ? "no pfn=" : "no order=";
			return -1;
		}
		break;
	case TEV_PAGE_FREE_BATCHED:
		if (!(have & HAVE_PFN)) {
			*why = "no pfn=";
			return -1;
		}
		ev->order = 0;
		break;
	default:
		*why = "not a kmem event";
		return -1;
	}

	if (ev->type <= TEV_CACHE_FREE) {
		if (h && h->plugin_site && (!site || field_is_address(site, site_len))) {
			site = h->plugin_site;
			site_len = h->plugin_site_len;
		}
		if (site)
			ev->call_site = trace_fields_call_site(c, site, site_len);
	}
	return 0;
}
