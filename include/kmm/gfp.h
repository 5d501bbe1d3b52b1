/* SPDX-License-Identifier: MIT */
/*
 * GFP flags with the kernel's bit values (Linux 6.3-6.9 layout, which 6.10+
 * produces without KASAN_HW_TAGS, LOCKDEP and SLAB_OBJ_EXT), so that
 * "mode:%#x" in kmm's messages reads as a real kernel's.
 */
#ifndef KMM_GFP_H
#define KMM_GFP_H

#include <kmm/types.h>

/* The public API: exported from libkmm.so (the library builds with -fvisibility=hidden). */
#pragma GCC visibility push(default)

#define KMM___GFP_DMA 0x01u
#define KMM___GFP_HIGHMEM 0x02u
#define KMM___GFP_DMA32 0x04u
#define KMM___GFP_MOVABLE 0x08u
#define KMM___GFP_RECLAIMABLE 0x10u
#define KMM___GFP_HIGH 0x20u
#define KMM___GFP_IO 0x40u
#define KMM___GFP_FS 0x80u
#define KMM___GFP_ZERO 0x100u
#define KMM___GFP_DIRECT_RECLAIM 0x400u
#define KMM___GFP_KSWAPD_RECLAIM 0x800u
#define KMM___GFP_WRITE 0x1000u
#define KMM___GFP_NOWARN 0x2000u
#define KMM___GFP_RETRY_MAYFAIL 0x4000u
#define KMM___GFP_NOFAIL 0x8000u
#define KMM___GFP_NORETRY 0x10000u
#define KMM___GFP_MEMALLOC 0x20000u
#define KMM___GFP_COMP 0x40000u
#define KMM___GFP_NOMEMALLOC 0x80000u
#define KMM___GFP_HARDWALL 0x100000u
#define KMM___GFP_THISNODE 0x200000u
#define KMM___GFP_ACCOUNT 0x400000u
#define KMM___GFP_ZEROTAGS 0x800000u
#define KMM___GFP_BITS_SHIFT 24
#define KMM___GFP_BITS_MASK ((1u << KMM___GFP_BITS_SHIFT) - 1)

#define KMM___GFP_RECLAIM (KMM___GFP_DIRECT_RECLAIM | KMM___GFP_KSWAPD_RECLAIM)
#define KMM_GFP_ZONEMASK (KMM___GFP_DMA | KMM___GFP_HIGHMEM | KMM___GFP_DMA32 | KMM___GFP_MOVABLE)
#define KMM_GFP_MOVABLE_MASK (KMM___GFP_RECLAIMABLE | KMM___GFP_MOVABLE)
#define KMM_GFP_MOVABLE_SHIFT 3

#define KMM_GFP_ATOMIC (KMM___GFP_HIGH | KMM___GFP_KSWAPD_RECLAIM)
#define KMM_GFP_KERNEL (KMM___GFP_RECLAIM | KMM___GFP_IO | KMM___GFP_FS)
#define KMM_GFP_KERNEL_ACCOUNT (KMM_GFP_KERNEL | KMM___GFP_ACCOUNT)
#define KMM_GFP_NOWAIT (KMM___GFP_KSWAPD_RECLAIM)
#define KMM_GFP_NOIO (KMM___GFP_RECLAIM)
#define KMM_GFP_NOFS (KMM___GFP_RECLAIM | KMM___GFP_IO)
#define KMM_GFP_USER (KMM___GFP_RECLAIM | KMM___GFP_IO | KMM___GFP_FS | KMM___GFP_HARDWALL)
#define KMM_GFP_DMA KMM___GFP_DMA
#define KMM_GFP_DMA32 KMM___GFP_DMA32
#define KMM_GFP_HIGHUSER (KMM_GFP_USER | KMM___GFP_HIGHMEM)
#define KMM_GFP_HIGHUSER_MOVABLE (KMM_GFP_HIGHUSER | KMM___GFP_MOVABLE)
#define KMM_GFP_TRANSHUGE_LIGHT \
	((KMM_GFP_HIGHUSER_MOVABLE | KMM___GFP_COMP | KMM___GFP_NOMEMALLOC | KMM___GFP_NOWARN) & \
	 ~KMM___GFP_RECLAIM)
#define KMM_GFP_TRANSHUGE (KMM_GFP_TRANSHUGE_LIGHT | KMM___GFP_DIRECT_RECLAIM)

_Static_assert(KMM_GFP_KERNEL == 0xcc0, "GFP_KERNEL is 0xcc0");
_Static_assert(KMM_GFP_ATOMIC == 0x820, "GFP_ATOMIC is 0x820");
_Static_assert(KMM_GFP_HIGHUSER_MOVABLE == 0x100cca, "GFP_HIGHUSER_MOVABLE is 0x100cca");
_Static_assert(KMM_GFP_TRANSHUGE == 0x1c24ca, "GFP_TRANSHUGE is 0x1c24ca");

/* Migrate types, in the kernel's order (/proc/pagetypeinfo names them Unmovable, Movable, ...). */
enum kmm_migratetype {
	KMM_MIGRATE_UNMOVABLE,
	KMM_MIGRATE_MOVABLE,
	KMM_MIGRATE_RECLAIMABLE,
	KMM_MIGRATE_PCPTYPES,
	KMM_MIGRATE_HIGHATOMIC = KMM_MIGRATE_PCPTYPES,
	KMM_MIGRATE_ISOLATE,
	KMM_MIGRATE_TYPES
};

/* gfp_migratetype(): the mobility hint. */
static inline int kmm_gfp_migratetype(kmm_gfp_t gfp)
{
	return (int)((gfp & KMM_GFP_MOVABLE_MASK) >> KMM_GFP_MOVABLE_SHIFT);
}

static inline bool kmm_gfpflags_allow_blocking(kmm_gfp_t gfp)
{
	return gfp & KMM___GFP_DIRECT_RECLAIM;
}

/*
 * %pGg: the mask as the kernel prints it, composites first
 * ("GFP_KERNEL|__GFP_ZERO"), unknown bits as hex; "0" for none. Returns
 * the full length, as snprintf.
 */
int kmm_gfp_format(kmm_gfp_t gfp, char *buf, size_t len);
/*
 * Parses what kmm_gfp_format prints (names joined by '|', hex or decimal
 * numbers allowed, blanks ignored). 0, or -EINVAL with *bad set to the
 * offending name.
 */
int kmm_gfp_parse(const char *s, kmm_gfp_t *gfp, const char **bad);

#pragma GCC visibility pop

#endif /* KMM_GFP_H */
