/* SPDX-License-Identifier: MIT */
/*
 * The kernel's BUG() report (lib/bug.c, then die()'s Oops) and
 * might_sleep()'s (kernel/sched/core.c), for the bad input and bad context
 * the kernel dies or complains on. In kmm the report is all that happens:
 * the caller applies nothing and returns, so the machine stays consistent
 * and the process lives on to be debugged.
 *
 * The frame named in the report is the kernel function kmm's path stands
 * for, as kmm_warn_splat's (the freestanding core has no unwinder).
 */
#include "internal.h"

static void show_task(struct kmm_machine *m, const char *func, bool regs)
{
	const char *arch = m->desc.arch;

	kmm_core_printk(m, KMM_KERN_WARNING "CPU: %d UID: 0 PID: %d Comm: %s Not tainted " KMM_VERSION " #1\n",
			kmm_plat_cpu_id(m), kmm_plat_task_pid(m), kmm_plat_task_comm(m));
	kmm_core_printk(m, KMM_KERN_WARNING "Hardware name: kmm %s machine (simulated)\n",
			m->desc.profile);
	/* show_regs(): where the CPU stopped, in the architecture's words */
	if (regs) {
		if (!kmm_strcmp(arch, "x86_64"))
			kmm_core_printk(m, KMM_KERN_WARNING "RIP: 0010:%s\n", func);
		else if (!kmm_strcmp(arch, "i386"))
			kmm_core_printk(m, KMM_KERN_WARNING "EIP: %s\n", func);
		else
			kmm_core_printk(m, KMM_KERN_WARNING "PC is at %s\n", func);
	}
	kmm_core_printk(m, KMM_KERN_WARNING "Call Trace:\n");
	kmm_core_printk(m, KMM_KERN_WARNING " <TASK>\n");
	kmm_core_printk(m, KMM_KERN_WARNING " %s\n", func);
	kmm_core_printk(m, KMM_KERN_WARNING " </TASK>\n");
}

void kmm_bug_splat(struct kmm_machine *m, const char *file, int line, const char *func)
{
	kmm_core_printk(m, KMM_KERN_WARNING "------------[ cut here ]------------\n");
	kmm_core_printk(m, KMM_KERN_CRIT "kernel BUG at %s:%d!\n", file, line);
	kmm_core_printk(m, KMM_KERN_WARNING "Oops: invalid opcode: 0000 [#1] PREEMPT SMP\n");
	show_task(m, func, true);
	kmm_core_printk(m, KMM_KERN_WARNING "---[ end trace 0000000000000000 ]---\n");
}

bool kmm_might_sleep(struct kmm_machine *m, const char *file, int line, const char *func)
{
	if (likely(!kmm_plat_in_atomic(m)))
		return false;
	kmm_core_printk(m, KMM_KERN_ERR "BUG: sleeping function called from invalid context at %s:%d\n",
			file, line);
	kmm_core_printk(m, KMM_KERN_ERR "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: %d, name: %s\n",
			kmm_plat_task_pid(m), kmm_plat_task_comm(m));
	show_task(m, func, false);
	return true;
}
