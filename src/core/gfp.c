/* SPDX-License-Identifier: MIT */
/*
 * GFP masks to and from text, with the kernel's name table
 * (include/trace/events/mmflags.h): composites first, so that a mask is
 * printed as the shortest familiar spelling, then the single flags.
 */
#include <kmm/gfp.h>

#include "lib.h"

struct gfp_name {
	kmm_gfp_t mask;
	const char *name;
};

static const struct gfp_name gfp_names[] = {
	{ KMM_GFP_TRANSHUGE, "GFP_TRANSHUGE" },
	{ KMM_GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT" },
	{ KMM_GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ KMM_GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ KMM_GFP_USER, "GFP_USER" },
	{ KMM_GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT" },
	{ KMM_GFP_KERNEL, "GFP_KERNEL" },
	{ KMM_GFP_NOFS, "GFP_NOFS" },
	{ KMM_GFP_ATOMIC, "GFP_ATOMIC" },
	{ KMM_GFP_NOIO, "GFP_NOIO" },
	{ KMM_GFP_NOWAIT, "GFP_NOWAIT" },
	{ KMM_GFP_DMA, "GFP_DMA" },
	{ KMM___GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ KMM_GFP_DMA32, "GFP_DMA32" },
	{ KMM___GFP_HIGH, "__GFP_HIGH" },
	{ KMM___GFP_IO, "__GFP_IO" },
	{ KMM___GFP_FS, "__GFP_FS" },
	{ KMM___GFP_NOWARN, "__GFP_NOWARN" },
	{ KMM___GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
	{ KMM___GFP_NOFAIL, "__GFP_NOFAIL" },
	{ KMM___GFP_NORETRY, "__GFP_NORETRY" },
	{ KMM___GFP_COMP, "__GFP_COMP" },
	{ KMM___GFP_ZERO, "__GFP_ZERO" },
	{ KMM___GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ KMM___GFP_MEMALLOC, "__GFP_MEMALLOC" },
	{ KMM___GFP_HARDWALL, "__GFP_HARDWALL" },
	{ KMM___GFP_THISNODE, "__GFP_THISNODE" },
	{ KMM___GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ KMM___GFP_MOVABLE, "__GFP_MOVABLE" },
	{ KMM___GFP_ACCOUNT, "__GFP_ACCOUNT" },
	{ KMM___GFP_WRITE, "__GFP_WRITE" },
	{ KMM___GFP_RECLAIM, "__GFP_RECLAIM" },
	{ KMM___GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ KMM___GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
	{ KMM___GFP_ZEROTAGS, "__GFP_ZEROTAGS" },
	/* accepted when parsed, never printed: the zone-only spellings */
	{ KMM___GFP_DMA, "__GFP_DMA" },
	{ KMM___GFP_DMA32, "__GFP_DMA32" },
};

#define NR_PRINTED (KMM_ARRAY_SIZE(gfp_names) - 2)

int kmm_gfp_format(kmm_gfp_t gfp, char *buf, size_t len)
{
	size_t n = 0;
	bool first = true;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < NR_PRINTED && gfp; i++) {
		kmm_gfp_t mask = gfp_names[i].mask;

		if ((gfp & mask) != mask)
			continue;
		gfp &= ~mask;
		n += (size_t)kmm_snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0, "%s%s",
					  first ? "" : "|", gfp_names[i].name);
		first = false;
	}
	if (gfp || first)
		n += (size_t)kmm_snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0,
					  first ? "%#x" : "|%#x", gfp);
	return (int)n;
}

static bool is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

int kmm_gfp_parse(const char *s, kmm_gfp_t *gfp, const char **bad)
{
	kmm_gfp_t v = 0;

	for (;;) {
		const char *w;
		size_t n;
		bool found = false;

		while (*s == ' ' || *s == '\t')
			s++;
		w = s;
		while (is_name_char(*s))
			s++;
		n = (size_t)(s - w);
		if (!n)
			goto fail;
		if (w[0] >= '0' && w[0] <= '9') {
			unsigned long x = 0;
			bool hex = n > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X');

			for (size_t i = hex ? 2 : 0; i < n; i++) {
				char c = w[i];
				int d = c >= '0' && c <= '9' ? c - '0'
					: c >= 'a' && c <= 'f' ? c - 'a' + 10
					: c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;

				if (d >= (hex ? 16 : 10))
					goto fail;
				x = x * (hex ? 16 : 10) + (unsigned long)d;
			}
			if (x > 0xffffffffUL)
				goto fail;
			v |= (kmm_gfp_t)x;
			found = true;
		}
		for (size_t i = 0; !found && i < KMM_ARRAY_SIZE(gfp_names); i++) {
			if (kmm_strlen(gfp_names[i].name) == n &&
			    !kmm_memcmp(gfp_names[i].name, w, n)) {
				v |= gfp_names[i].mask;
				found = true;
			}
		}
		if (!found)
			goto fail;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (*s++ != '|')
			goto fail;
		continue;
fail:
		if (bad)
			*bad = w;
		return -22;
	}
	*gfp = v;
	return 0;
}
