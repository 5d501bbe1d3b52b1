/* SPDX-License-Identifier: MIT */
/*
 * Common ground of the Linux-named facade (the headers under include/kmm-linux/linux).
 *
 * The facade is static inline wrappers over the kmm_ API, bound to the
 * calling thread's machine (kmm_current_machine()): it defines no symbol of
 * its own, so it never clashes at link time. Build a client with
 * -I include -I include/kmm-linux (pkg-config kmm-linux). The facade only
 * provides headers that are not Linux uapi headers, so the system's
 * <linux/types.h>, <linux/errno.h> ... stay visible.
 */
#ifndef KMM_FACADE_H
#define KMM_FACADE_H

#include <kmm/kmm.h>

typedef kmm_phys_addr_t phys_addr_t;
typedef kmm_gfp_t gfp_t;
typedef kmm_phys_addr_t resource_size_t;

/* The machine the calling thread is attached to. */
#define KMM_CUR() kmm_current_machine()
#define KMM_CUR_LAYOUT() kmm_layout(kmm_current_machine())

#ifndef __init
#define __init
#define __initdata
#define __meminit
#endif

#endif /* KMM_FACADE_H */
