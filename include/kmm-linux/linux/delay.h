/* SPDX-License-Identifier: MIT */
/* <linux/delay.h> over kmm: msleep() sleeps and frees the task's CPU meanwhile. */
#ifndef KMM_LINUX_DELAY_H
#define KMM_LINUX_DELAY_H

#include <kmm-facade.h>

static inline void msleep(unsigned int msecs)
{
	kmm_msleep(msecs);
}

#endif /* KMM_LINUX_DELAY_H */
