/* SPDX-License-Identifier: MIT */
/* kmm profiles: the machine profiles and their defaults. */
#include <string.h>

#include "cli.h"

static const char *size_str(unsigned long long b, char *buf, size_t len)
{
	if (b >= (1ULL << 30) && !(b % (1ULL << 30)))
		snprintf(buf, len, "%lluG", b >> 30);
	else
		snprintf(buf, len, "%lluM", b >> 20);
	return buf;
}

int cli_profiles(int argc, char **argv)
{
	struct kmm_profile_info p;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "kmm profiles: takes no arguments\n");
		return 2;
	}
	printf("%-14s %-7s %-5s %-8s %-10s %-7s %s\n", "PROFILE", "ARCH", "CPUS", "MEM",
	       "MEM RANGE", "ORDERS", "DESCRIPTION");
	for (unsigned int i = 0; kmm_profile_info(i, &p) > 0; i++) {
		char a[16], b[16], c[16], range[40], orders[16];

		snprintf(range, sizeof(range), "%s-%s", size_str(p.min_mem, b, sizeof(b)),
			 size_str(p.max_mem, c, sizeof(c)));
		snprintf(orders, sizeof(orders), "0..%u", p.max_order);
		printf("%-14s %-7s %-5u %-8s %-10s %-7s %s\n", p.name, p.arch, p.nr_cpus,
		       size_str(p.default_mem, a, sizeof(a)), range, orders, p.description);
	}
	printf("\nBoot one with: kmm -b \"profile=NAME [mem=SIZE] [nr_cpus=N] [vmalloc=SIZE] [memmap=SIZE\\$START] [quiet] [loglevel=N]\"\n"
	       "(all the parameters: kmm --help, docs/profiles.md)\n");
	return 0;
}
