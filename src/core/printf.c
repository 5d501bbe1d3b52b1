/* SPDX-License-Identifier: MIT */
/*
 * A freestanding vsnprintf: the core formats kernel messages and reports
 * into caller buffers without libc. Output is truncated to the buffer and
 * always NUL-terminated when size > 0; the return value is the length the
 * whole output would have had.
 */
#include <stdint.h>

#include "lib.h"

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

enum { F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };

static void emit_number(struct out *o, uintmax_t v, bool neg, unsigned base, bool upper,
			int flags, int width, int prec)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[64];
	int n = 0, nprefix = 0, zeros;
	char prefix[3];

	if (!(prec == 0 && v == 0)) {
		do {
			tmp[n++] = digits[v % base];
			v /= base;
		} while (v);
	}
	if (neg)
		prefix[nprefix++] = '-';
	else if (flags & F_PLUS)
		prefix[nprefix++] = '+';
	else if (flags & F_SPACE)
		prefix[nprefix++] = ' ';
	/* as the kernel's vsprintf: '#' prefixes 0x even to zero */
	if ((flags & F_ALT) && base == 16) {
		prefix[nprefix++] = '0';
		prefix[nprefix++] = upper ? 'X' : 'x';
	}
	/* '#' with o: one leading zero, unless the precision already gives one */
	if ((flags & F_ALT) && base == 8 && (n == 0 || tmp[n - 1] != '0') && prec <= n)
		tmp[n++] = '0';
	zeros = prec > n ? prec - n : 0;
	if (prec < 0 && (flags & F_ZERO) && !(flags & F_LEFT))
		zeros = width - n - nprefix > 0 ? width - n - nprefix : 0;
	int total = nprefix + zeros + n;

	if (!(flags & F_LEFT))
		pad(o, ' ', width - total);
	for (int i = 0; i < nprefix; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (flags & F_LEFT)
		pad(o, ' ', width - total);
}

int kmm_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int flags = 0, width = 0, prec = -1, lng = 0;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				flags |= F_LEFT;
			else if (*fmt == '+')
				flags |= F_PLUS;
			else if (*fmt == ' ')
				flags |= F_SPACE;
			else if (*fmt == '#')
				flags |= F_ALT;
			else if (*fmt == '0')
				flags |= F_ZERO;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		/* lng: -2 hh, -1 h, 0 int, 1 long, 2 long long, 3 size_t, 4 ptrdiff, 5 intmax */
		if (*fmt == 'h') {
			lng = -1;
			if (*++fmt == 'h') {
				lng = -2;
				fmt++;
			}
		} else if (*fmt == 'l') {
			lng = 1;
			if (*++fmt == 'l') {
				lng = 2;
				fmt++;
			}
		} else if (*fmt == 'z') {
			lng = 3;
			fmt++;
		} else if (*fmt == 't') {
			lng = 4;
			fmt++;
		} else if (*fmt == 'j') {
			lng = 5;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			intmax_t v;

			switch (lng) {
			case 1: v = va_arg(ap, long); break;
			case 2: v = va_arg(ap, long long); break;
			case 3: v = (intmax_t)va_arg(ap, size_t); break;
			case 4: v = va_arg(ap, ptrdiff_t); break;
			case 5: v = va_arg(ap, intmax_t); break;
			case -1: v = (short)va_arg(ap, int); break;
			case -2: v = (signed char)va_arg(ap, int); break;
			default: v = va_arg(ap, int); break;
			}
			emit_number(&o, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0, 10, false,
				    flags, width, prec);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uintmax_t v;
			unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;

			switch (lng) {
			case 1: v = va_arg(ap, unsigned long); break;
			case 2: v = va_arg(ap, unsigned long long); break;
			case 3: v = va_arg(ap, size_t); break;
			case 4: v = (uintmax_t)va_arg(ap, ptrdiff_t); break;
			case 5: v = va_arg(ap, uintmax_t); break;
			case -1: v = (unsigned short)va_arg(ap, unsigned int); break;
			case -2: v = (unsigned char)va_arg(ap, unsigned int); break;
			default: v = va_arg(ap, unsigned int); break;
			}
			emit_number(&o, v, false, base, *fmt == 'X', flags & ~(F_PLUS | F_SPACE),
				    width, prec);
			break;
		}
		case 'p':
			emit_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false,
				    flags | F_ALT, width, prec);
			break;
		case 'c': {
			char ch = (char)va_arg(ap, int);

			if (!(flags & F_LEFT))
				pad(&o, ' ', width - 1);
			put(&o, ch);
			if (flags & F_LEFT)
				pad(&o, ' ', width - 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;

			if (!s)
				s = "(null)";
			while (s[n] && (prec < 0 || n < prec))
				n++;
			if (!(flags & F_LEFT))
				pad(&o, ' ', width - n);
			for (int i = 0; i < n; i++)
				put(&o, s[i]);
			if (flags & F_LEFT)
				pad(&o, ' ', width - n);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int kmm_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kmm_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

size_t kmm_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int kmm_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

/*
 * hex_dump_to_buffer() with rowsize 16, groupsize 1 and ASCII: "6b 6b ... a5"
 * then the bytes as text from column 49, as print_hex_dump() prints a row.
 */
int kmm_hex_dump_row(char *buf, size_t size, const uint8_t *p, size_t n)
{
	int lx = 0;

	if (n > 16)
		n = 16;
	for (size_t j = 0; j < n; j++)
		lx += kmm_snprintf(buf + lx, size - (size_t)lx, "%s%02x", j ? " " : "", p[j]);
	while (lx < 49 && (size_t)lx + 1 < size)
		buf[lx++] = ' ';
	for (size_t j = 0; j < n && (size_t)lx + 1 < size; j++)
		buf[lx++] = p[j] >= 0x20 && p[j] < 0x7f ? (char)p[j] : '.';
	buf[lx] = '\0';
	return lx;
}
