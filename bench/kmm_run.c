/* SPDX-License-Identifier: MIT */
/*
 * One run of one workload on kmm: a machine booted for it, and checked after
 * it. Once lazily freed vmalloc ranges are purged, the per-CPU lists and
 * slabs drained and the empty slabs given back (kmm_quiesce), the slab
 * walker (kmm_slab_check), the page allocator's (kmm_page_alloc_check) and
 * vmalloc's (kmm_vmalloc_check) must find nothing and the free page
 * count must be back at its boot value; either failure fails the run, with the
 * machine's kernel log on stderr, since the numbers of a broken allocator
 * mean nothing.
 */
#include <stdio.h>
#include <string.h>

#include <kmm/kmm.h>

#include "bench.h"

/* The tail of the machine's kernel log, where the walker reports what it found. */
static void dump_log(struct kmm_machine *m)
{
	static char buf[64 * 1024];
	long n = kmm_proc_read(m, "/dev/kmsg", buf, sizeof(buf));
	const char *tail = buf;

	if (n <= 0)
		return;
	if (strlen(buf) > 8192)
		tail = strchr(buf + strlen(buf) - 8192, '\n');
	fprintf(stderr, "kmm-bench: the machine's kernel log%s:\n%s\n",
		tail != buf ? " (tail)" : "", tail ? tail : buf);
}

static void describe(struct bench_report *rep, struct kmm_machine *m)
{
	const struct kmm_layout *l = kmm_layout(m);

	snprintf(rep->kmm_profile, sizeof(rep->kmm_profile), "%s", kmm_profile_name(m));
	rep->kmm_cpus = kmm_nr_cpus(m);
	rep->kmm_mem_mib = (unsigned long)(((kmm_phys_addr_t)l->max_pfn << KMM_PAGE_SHIFT) -
					   l->phys_offset) >> 20;
}

int bench_kmm_run(struct bench_report *rep, unsigned int wi, struct bench_result *r,
		  long *maxrss_kb, char *err, size_t errlen)
{
	const struct bench_workload *w = &bench_workloads[wi];
	char own[sizeof(rep->boot_cmdline)];
	const char *cmdline = rep->boot_cmdline;
	struct kmm_machine *m;
	unsigned long free_boot, free_after;
	int ret, violations, slab_violations;
	unsigned long vmalloc_violations;

	if (w->boot) {
		snprintf(own, sizeof(own), "quiet %s", w->boot);
		cmdline = own;
	}
	if (rep->rss_per_workload)
		bench_rss_reset();
	m = kmm_boot(cmdline);
	if (!m) {
		snprintf(err, errlen, "kmm_boot(\"%s\"): %s", cmdline, kmm_last_error());
		return -1;
	}
	/* the report describes the bench's machine, not a row's own */
	if (!rep->kmm_profile[0] && !w->boot)
		describe(rep, m);
	kmm_quiesce(m);
	free_boot = kmm_nr_free_pages(m);

	ret = w->kmm_run(m, &rep->params, r);
	if (ret)
		snprintf(err, errlen, "%s", bench_error());

	/* lazily freed vmalloc ranges hold slab objects until purged */
	kmm_vm_unmap_aliases(m);
	kmm_quiesce(m);
	slab_violations = kmm_slab_check(m);
	violations = kmm_page_alloc_check(m);
	vmalloc_violations = kmm_vmalloc_check(m);
	free_after = kmm_nr_free_pages(m);
	rep->kmm_checks++;
	rep->kmm_check_violations += violations;
	rep->kmm_slab_violations += slab_violations;
	rep->kmm_vmalloc_violations += vmalloc_violations;
	rep->kmm_lost_pages += (long)(free_boot - free_after);
	if (violations || slab_violations || vmalloc_violations || free_after != free_boot) {
		if (!ret)
			snprintf(err, errlen,
				 "after the run: kmm_page_alloc_check() found %d violation(s), "
				 "kmm_slab_check() %d, kmm_vmalloc_check() %lu; free pages %lu, "
				 "at boot %lu",
				 violations, slab_violations, vmalloc_violations, free_after,
				 free_boot);
		ret = -1;
		dump_log(m);
	}
	*maxrss_kb = bench_rss_peak_kb();
	kmm_shutdown(m);
	return ret ? -1 : 0;
}
