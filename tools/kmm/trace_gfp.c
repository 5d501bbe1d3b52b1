/* SPDX-License-Identifier: MIT */
/*
 * gfp_flags as kernels of every version print them in the kmem events, to
 * kmm's flags. kmm_gfp_parse() (src/core/gfp.c) reads what kmm itself
 * prints, the 6.x names; a trace may also hold:
 *
 *   "none"             a mask of 0 (the events print it so since 4.x)
 *   "0x2dc2"           a raw mask: a kernel or tool that printed no names.
 *                      Taken in the 6.x layout, the only one kmm knows,
 *                      keeping the bits that layout has had since 6.3
 *                      (up to __GFP_ACCOUNT); the bits above vary with
 *                      the kernel's configuration.
 *   "GFP_KERNEL|0x4000000"  bits the kernel had no name for: the same rule
 *   names of older kernels, mapped to what they meant:
 *     __GFP_WAIT (< 4.4)        may sleep: __GFP_RECLAIM, as such a kernel
 *                               also woke kswapd
 *     __GFP_NO_KSWAPD (< 4.4)   clears __GFP_KSWAPD_RECLAIM
 *     __GFP_REPEAT (< 4.13)     __GFP_RETRY_MAYFAIL, its successor
 *     __GFP_KMEMCG (3.8-3.18)   __GFP_ACCOUNT, its successor
 *     GFP_TEMPORARY (< 4.14)    GFP_KERNEL | __GFP_RECLAIMABLE
 *     GFP_IOFS (< 4.4)          __GFP_IO | __GFP_FS
 *     GFP_THISNODE (< 4.4)      __GFP_THISNODE | __GFP_NOWARN | __GFP_NORETRY
 *   and names with no meaning for kmm's allocators, giving no bits:
 *     __GFP_COLD, __GFP_NOTRACK, __GFP_NOTRACK_FALSE_POSITIVE,
 *     __GFP_OTHER_NODE, __GFP_ATOMIC (< 6.3), __GFP_NOACCOUNT,
 *     __GFP_SKIP_ZERO, __GFP_SKIP_KASAN*, __GFP_NOLOCKDEP,
 *     __GFP_NO_OBJ_EXT (6.10+).
 * Any other name is counted as unknown and gives no bits: a new kernel's
 * flag must not make its events unreadable.
 */
#include <string.h>

#include "trace_internal.h"

/* The masks the raw numbers keep: the layout stable since 6.3. */
#define TRACE_GFP_RAW_MASK ((KMM___GFP_ACCOUNT << 1) - 1)

struct gfp_legacy {
	const char *name;
	kmm_gfp_t set;
	kmm_gfp_t clear;	/* applied after every name */
};

static const struct gfp_legacy gfp_legacy[] = {
	{ "none", 0, 0 },
	{ "__GFP_WAIT", KMM___GFP_RECLAIM, 0 },
	{ "__GFP_NO_KSWAPD", 0, KMM___GFP_KSWAPD_RECLAIM },
	{ "__GFP_REPEAT", KMM___GFP_RETRY_MAYFAIL, 0 },
	{ "__GFP_KMEMCG", KMM___GFP_ACCOUNT, 0 },
	{ "GFP_TEMPORARY", KMM_GFP_KERNEL | KMM___GFP_RECLAIMABLE, 0 },
	{ "GFP_IOFS", KMM___GFP_IO | KMM___GFP_FS, 0 },
	{ "GFP_THISNODE", KMM___GFP_THISNODE | KMM___GFP_NOWARN | KMM___GFP_NORETRY, 0 },
	{ "__GFP_COLD", 0, 0 },
	{ "__GFP_NOTRACK", 0, 0 },
	{ "__GFP_NOTRACK_FALSE_POSITIVE", 0, 0 },
	{ "__GFP_OTHER_NODE", 0, 0 },
	{ "__GFP_ATOMIC", 0, 0 },
	{ "__GFP_NOACCOUNT", 0, 0 },
	{ "__GFP_SKIP_ZERO", 0, 0 },
	{ "__GFP_SKIP_KASAN", 0, 0 },
	{ "__GFP_SKIP_KASAN_POISON", 0, 0 },
	{ "__GFP_SKIP_KASAN_UNPOISON", 0, 0 },
	{ "__GFP_NOLOCKDEP", 0, 0 },
	{ "__GFP_NO_OBJ_EXT", 0, 0 },
};

int trace_gfp_parse(const char *s, size_t n, kmm_gfp_t *gfp, const char **unknown,
		    size_t *unknown_len)
{
	const char *e = s + n, *p = s;
	kmm_gfp_t set = 0, clear = 0;
	int nr_unknown = 0;

	if (unknown)
		*unknown = NULL;
	if (unknown_len)
		*unknown_len = 0;
	while (p < e) {
		const char *w = p;
		size_t len, i;
		char name[64];
		kmm_gfp_t v;
		bool found = false;

		while (p < e && *p != '|')
			p++;
		len = (size_t)(p - w);
		if (p < e)
			p++;
		while (len && (*w == ' ' || *w == '\t')) {
			w++;
			len--;
		}
		while (len && (w[len - 1] == ' ' || w[len - 1] == '\t'))
			len--;
		if (!len)
			continue;
		for (i = 0; i < sizeof(gfp_legacy) / sizeof(gfp_legacy[0]); i++) {
			if (strlen(gfp_legacy[i].name) == len && !memcmp(gfp_legacy[i].name, w, len)) {
				set |= gfp_legacy[i].set;
				clear |= gfp_legacy[i].clear;
				found = true;
				break;
			}
		}
		if (!found && len < sizeof(name)) {
			memcpy(name, w, len);
			name[len] = '\0';
			if (!kmm_gfp_parse(name, &v, NULL)) {
				/* numbers are raw masks: keep the bits of the stable layout */
				set |= (name[0] >= '0' && name[0] <= '9') ? v & TRACE_GFP_RAW_MASK : v;
				found = true;
			}
		}
		if (!found) {
			if (!nr_unknown && unknown) {
				*unknown = w;
				if (unknown_len)
					*unknown_len = len;
			}
			nr_unknown++;
		}
	}
	*gfp = set & ~clear;
	return nr_unknown;
}
