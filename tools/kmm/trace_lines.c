/* SPDX-License-Identifier: MIT */
/*
 * Lines out of the input's chunks, scanned in place: memchr finds each
 * '\n', and a line is handed out as a pointer into the chunk, never copied
 * (no allocation per line). Only a line that spans two chunks is put
 * together in the carry buffer, which grows to the longest such line, up to
 * TRACE_LINE_MAX; the rest of a longer line is skipped and the line
 * reported cut. A '\r' before the '\n' is dropped (CRLF files).
 */
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"

void trace_lines_init(struct trace_lines *l, struct trace_input *in)
{
	memset(l, 0, sizeof(*l));
	l->in = in;
}

void trace_lines_free(struct trace_lines *l)
{
	free(l->carry);
	l->carry = NULL;
}

/* Appends to the carry buffer what fits under TRACE_LINE_MAX; false when some did not. */
static bool lines_carry(struct trace_lines *l, const char *s, size_t n)
{
	bool all = true;

	if (l->carry_len + n > TRACE_LINE_MAX) {
		n = TRACE_LINE_MAX - l->carry_len;
		all = false;
	}
	if (l->carry_len + n > l->carry_cap) {
		size_t cap = l->carry_cap ? l->carry_cap : 4096;
		char *p;

		while (cap < l->carry_len + n)
			cap *= 2;
		p = realloc(l->carry, cap);
		if (!p)
			return false;
		l->carry = p;
		l->carry_cap = cap;
	}
	memcpy(l->carry + l->carry_len, s, n);
	l->carry_len += n;
	return all;
}

static inline void lines_trim_cr(const char *s, size_t *n)
{
	if (*n && s[*n - 1] == '\r')
		(*n)--;
}

int trace_lines_next(struct trace_lines *l, const char **line, size_t *len, bool *unterminated,
		     bool *cut)
{
	const char *nl;

	*unterminated = false;
	*cut = false;
	/* The common case: the whole line is in the current chunk. */
	if (trace_likely(l->pos < l->end)) {
		nl = memchr(l->pos, '\n', (size_t)(l->end - l->pos));
		if (trace_likely(nl != NULL)) {
			size_t n = (size_t)(nl - l->pos);

			*line = l->pos;
			l->bytes += n + 1;
			l->pos = nl + 1;
			if (trace_unlikely(n > TRACE_LINE_MAX)) {
				n = TRACE_LINE_MAX;
				*cut = true;
			}
			lines_trim_cr(*line, &n);
			*len = n;
			return 1;
		}
	}
	/* The line goes on in the next chunk(s), or this is the end. */
	l->carry_len = 0;
	for (;;) {
		const char *buf;
		size_t n;
		int ret;

		if (l->pos < l->end) {
			n = (size_t)(l->end - l->pos);
			if (!lines_carry(l, l->pos, n))
				*cut = true;
			l->bytes += n;
			l->pos = l->end;
		}
		if (l->eof)
			ret = 0;
		else
			ret = trace_input_read(l->in, &buf, &n);
		if (ret < 0)
			return -1;
		if (ret == 0) {
			l->eof = true;
			if (!l->carry_len && !*cut)
				return 0;
			*unterminated = true;
			*line = l->carry;
			n = l->carry_len;
			lines_trim_cr(*line, &n);
			*len = n;
			return 1;
		}
		l->pos = buf;
		l->end = buf + n;
		nl = memchr(l->pos, '\n', n);
		if (nl) {
			size_t k = (size_t)(nl - l->pos);

			if (!l->carry_len && !*cut) {
				/* Nothing carried: the line is in this chunk alone. */
				*line = l->pos;
			} else {
				if (!lines_carry(l, l->pos, k))
					*cut = true;
				*line = l->carry;
				k = l->carry_len;
			}
			l->bytes += (size_t)(nl - l->pos) + 1;
			l->pos = nl + 1;
			if (k > TRACE_LINE_MAX) {
				k = TRACE_LINE_MAX;
				*cut = true;
			}
			lines_trim_cr(*line, &k);
			*len = k;
			return 1;
		}
	}
}
