/* SPDX-License-Identifier: MIT */
/*
 * <linux/highmem.h> over kmm: kmap, kmap_local_page, kmap_atomic and the
 * page-content helpers on the calling thread's machine (docs/highmem.md).
 * PageHighMem() comes from <linux/mm.h>.
 */
#ifndef KMM_LINUX_HIGHMEM_H
#define KMM_LINUX_HIGHMEM_H

#include <kmm-facade.h>
#include <linux/mm.h>

#define KM_MAX_IDX KMM_KM_MAX_IDX

static inline void *kmap(struct page *page)
{
	return kmm_kmap(KMM_CUR(), (struct kmm_page *)page);
}

static inline void kunmap(struct page *page)
{
	kmm_kunmap(KMM_CUR(), (struct kmm_page *)page);
}

static inline void kmap_flush_unused(void)
{
	kmm_kmap_flush_unused(KMM_CUR());
}

static inline struct page *kmap_to_page(void *addr)
{
	return (struct page *)kmm_kmap_to_page(KMM_CUR(), addr);
}

static inline void *kmap_local_page(struct page *page)
{
	return kmm_kmap_local_page(KMM_CUR(), (struct kmm_page *)page);
}

static inline void *kmap_atomic(struct page *page)
{
	return kmm_kmap_atomic(KMM_CUR(), (struct kmm_page *)page);
}

/*
 * Macros, as the kernel's, so that passing the struct page instead of the
 * address fails to compile rather than unmapping the wrong thing.
 */
#define kunmap_local(addr)                                                                 \
	do {                                                                               \
		_Static_assert(!__builtin_types_compatible_p(__typeof__(addr), struct page *), \
			       "kunmap_local() takes the address, not the page");           \
		kmm_kunmap_local(KMM_CUR(), (addr));                                       \
	} while (0)

#define kunmap_atomic(addr)                                                                \
	do {                                                                               \
		_Static_assert(!__builtin_types_compatible_p(__typeof__(addr), struct page *), \
			       "kunmap_atomic() takes the address, not the page");          \
		kmm_kunmap_atomic(KMM_CUR(), (addr));                                      \
	} while (0)

static inline void clear_highpage(struct page *page)
{
	kmm_clear_highpage(KMM_CUR(), (struct kmm_page *)page);
}

static inline void copy_highpage(struct page *to, struct page *from)
{
	kmm_copy_highpage(KMM_CUR(), (struct kmm_page *)to, (struct kmm_page *)from);
}

static inline void memcpy_to_page(struct page *page, size_t offset, const char *from, size_t len)
{
	kmm_memcpy_to_page(KMM_CUR(), (struct kmm_page *)page, offset, from, len);
}

static inline void memcpy_from_page(char *to, struct page *page, size_t offset, size_t len)
{
	kmm_memcpy_from_page(KMM_CUR(), to, (struct kmm_page *)page, offset, len);
}

static inline void memzero_page(struct page *page, size_t offset, size_t len)
{
	kmm_memzero_page(KMM_CUR(), (struct kmm_page *)page, offset, len);
}

static inline void zero_user_segments(struct page *page, unsigned int start1, unsigned int end1,
				      unsigned int start2, unsigned int end2)
{
	kmm_zero_user_segments(KMM_CUR(), (struct kmm_page *)page, start1, end1, start2, end2);
}

static inline void zero_user_segment(struct page *page, unsigned int start, unsigned int end)
{
	zero_user_segments(page, start, end, 0, 0);
}

static inline void zero_user(struct page *page, unsigned int start, unsigned int size)
{
	zero_user_segments(page, start, start + size, 0, 0);
}

#endif /* KMM_LINUX_HIGHMEM_H */
