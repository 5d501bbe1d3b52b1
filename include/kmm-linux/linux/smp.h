/* SPDX-License-Identifier: MIT */
/* <linux/smp.h> over kmm: the calling task's CPU (docs/machine.md, "Tasks and CPUs"). */
#ifndef KMM_LINUX_SMP_H
#define KMM_LINUX_SMP_H

#include <kmm-facade.h>
#include <linux/preempt.h>

#define smp_processor_id() kmm_smp_processor_id()
#define raw_smp_processor_id() kmm_smp_processor_id()
#define num_online_cpus() kmm_nr_cpus(KMM_CUR())
#define num_possible_cpus() kmm_nr_cpus(KMM_CUR())
#define get_cpu() ({ preempt_disable(); smp_processor_id(); })
#define put_cpu() preempt_enable()

#endif /* KMM_LINUX_SMP_H */
