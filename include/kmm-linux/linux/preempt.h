/* SPDX-License-Identifier: MIT */
/* <linux/preempt.h> over kmm: preempt_disable() holds the task on its CPU. */
#ifndef KMM_LINUX_PREEMPT_H
#define KMM_LINUX_PREEMPT_H

#include <kmm-facade.h>

#define preempt_disable() kmm_preempt_disable()
#define preempt_enable() kmm_preempt_enable()
#define preempt_count() kmm_preempt_count()
#define in_atomic() (kmm_preempt_count() != 0)

#endif /* KMM_LINUX_PREEMPT_H */
