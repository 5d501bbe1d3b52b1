/* SPDX-License-Identifier: MIT */
#include "seq.h"

#include "../core/lib.h"

void kmm_seq_printf(struct kmm_seq *s, const char *fmt, ...)
{
	size_t room = s->len < s->size ? s->size - s->len : 0;
	char dummy[1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kmm_vsnprintf(room ? s->buf + s->len : dummy, room ? room : sizeof(dummy), fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
}

void kmm_seq_putc(struct kmm_seq *s, char c)
{
	if (s->len + 1 < s->size) {
		s->buf[s->len] = c;
		s->buf[s->len + 1] = '\0';
	}
	s->len++;
}

void kmm_seq_puts(struct kmm_seq *s, const char *str)
{
	while (*str)
		kmm_seq_putc(s, *str++);
}
