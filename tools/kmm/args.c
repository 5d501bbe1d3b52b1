/* SPDX-License-Identifier: MIT */
/* Argument parsing shared by the shell's commands: sizes, GFP flags, names. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_name_ok(const char *cmd, const char *name, size_t max)
{
	if (strlen(name) >= max) {
		fprintf(stderr, "%s: %s: name too long (at most %zu characters)\n", cmd, name, max - 1);
		return 0;
	}
	return 1;
}

/* memparse(): a number (0x for hex) with an optional K, M, G, T, P or E suffix. */
int cli_parse_size(const char *cmd, const char *s, size_t *size)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	errno = 0;
	if (!isdigit((unsigned char)s[0]))
		goto bad;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		goto bad;
	switch (*end) {
	case 'E': case 'e': shift += 10; /* fall through */
	case 'P': case 'p': shift += 10; /* fall through */
	case 'T': case 't': shift += 10; /* fall through */
	case 'G': case 'g': shift += 10; /* fall through */
	case 'M': case 'm': shift += 10; /* fall through */
	case 'K': case 'k': shift += 10;
		end++;
		break;
	default:
		break;
	}
	if (*end || (shift && v > (~0ULL >> shift)) || (v << shift) > (size_t)-1)
		goto bad;
	*size = (size_t)(v << shift);
	return 0;
bad:
	fprintf(stderr, "%s: %s: invalid size\n", cmd, s);
	return -1;
}

int cli_parse_gfp(const char *cmd, int argc, char **argv, int first, kmm_gfp_t *gfp)
{
	char buf[512] = "";
	const char *bad = NULL;

	if (argc <= first) {
		*gfp = KMM_GFP_KERNEL;
		return 0;
	}
	/* "GFP_KERNEL | __GFP_ZERO" may arrive as several words */
	for (int i = first; i < argc; i++)
		strncat(buf, argv[i], sizeof(buf) - strlen(buf) - 1);
	if (kmm_gfp_parse(buf, gfp, &bad)) {
		fprintf(stderr, "%s: invalid GFP flags at '%s' (write them as the kernel prints them: GFP_KERNEL|__GFP_ZERO)\n",
			cmd, bad ? bad : buf);
		return -1;
	}
	return 0;
}
