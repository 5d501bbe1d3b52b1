/* SPDX-License-Identifier: MIT */
/*
 * The few library routines the freestanding core needs. memcpy, memset,
 * memmove and memcmp are the only outside symbols the core may use besides
 * include/kmm/platform.h: freestanding compilers emit calls to them anyway.
 */
#ifndef KMM_CORE_LIB_H
#define KMM_CORE_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define kmm_memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define kmm_memset(d, c, n) __builtin_memset((d), (c), (n))
#define kmm_memmove(d, s, n) __builtin_memmove((d), (s), (n))
#define kmm_memcmp(a, b, n) __builtin_memcmp((a), (b), (n))

#define KMM_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/*
 * C99 vsnprintf for the conversions d i u x X o c s p % with flags
 * "-+ #0", width and precision (also '*'), and lengths hh h l ll z t j.
 * Returns the length the full output would have, as vsnprintf does.
 * As in the kernel, %#x prints the 0x prefix for zero too (0x0000 with %#06x).
 */
int kmm_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int kmm_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
size_t kmm_strlen(const char *s);
/* One row of print_hex_dump(): up to 16 bytes in hex, then as text from column 49. */
int kmm_hex_dump_row(char *buf, size_t size, const uint8_t *p, size_t n);
int kmm_strcmp(const char *a, const char *b);

#endif /* KMM_CORE_LIB_H */
