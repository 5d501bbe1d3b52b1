/* SPDX-License-Identifier: MIT */
/*
 * The kernel log ring.
 *
 * Layout: records packed in a byte ring, each an 8-byte aligned header
 * followed by its text. head and tail are monotonic byte offsets (position
 * = offset % size), so head - tail is the space in use and never exceeds
 * size. A record never wraps: when one does not fit before the end of the
 * buffer, the rest of the buffer is skipped (marked by a header with
 * text_len == SKIP when there is room for one) and the record starts at 0.
 * Writers drop the oldest records to make room, as the kernel's ring does.
 *
 * Invariants: tail <= head <= tail + size; next_seq - first_seq == number of
 * records between tail and head.
 *
 * Lines: a printk may carry several lines; each becomes one record. Text
 * without a final newline is held in cont[] until the line is finished by a
 * KERN_CONT printk with a newline, or by any other printk (as the kernel's
 * cont buffer did).
 */
#include "printk.h"

#include <kmm/platform.h>

#include "lib.h"

#define SKIP 0xffffffffu

struct rec_hdr {
	uint32_t rec_len;	/* header + text, rounded up to 8 */
	uint32_t text_len;	/* SKIP: rest of buffer unused */
	uint64_t seq;
	uint64_t ts_ns;
	int32_t level;
	int32_t pad;
};

_Static_assert(sizeof(struct rec_hdr) == 32, "record header is 32 bytes");

void kmm_log_init(struct kmm_log *log, char *buf, size_t size)
{
	kmm_memset(log, 0, sizeof(*log));
	kmm_spin_lock_init(&log->lock);
	log->buf = buf;
	log->size = size & ~(size_t)7;
	log->console_loglevel = KMM_CONSOLE_LOGLEVEL_DEFAULT;
}

static size_t pos_of(const struct kmm_log *log, uint64_t off)
{
	return (size_t)(off % log->size);
}

/* Length in bytes of the ring entry at tail (a record or a skipped end). */
static size_t tail_entry_len(const struct kmm_log *log)
{
	size_t pos = pos_of(log, log->tail);
	const struct rec_hdr *h;

	if (log->size - pos < sizeof(*h))
		return log->size - pos;
	h = (const struct rec_hdr *)(log->buf + pos);
	return h->text_len == SKIP ? log->size - pos : h->rec_len;
}

static void drop_oldest(struct kmm_log *log)
{
	size_t pos = pos_of(log, log->tail);
	bool is_rec = log->size - pos >= sizeof(struct rec_hdr) &&
		      ((const struct rec_hdr *)(log->buf + pos))->text_len != SKIP;

	log->tail += tail_entry_len(log);
	if (is_rec)
		log->first_seq++;
}

static void console_emit(struct kmm_machine *m, struct kmm_log *log, int level,
			 uint64_t ts, const char *text, size_t len)
{
	char line[KMM_LOG_LINE_MAX + 32];
	int n;

	if (level >= log->console_loglevel)
		return;
	n = kmm_snprintf(line, sizeof(line), "[%5llu.%06llu] %.*s\n",
			 (unsigned long long)(ts / 1000000000ULL),
			 (unsigned long long)(ts % 1000000000ULL / 1000ULL), (int)len, text);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	kmm_plat_console_write(m, line, (size_t)n);
}

/* Stores one line; the caller holds log->lock. */
static void store_locked(struct kmm_machine *m, struct kmm_log *log, int level, uint64_t ts,
			 const char *text, size_t len)
{
	size_t need, pos, skip = 0;
	struct rec_hdr *h;

	if (len > KMM_LOG_LINE_MAX)
		len = KMM_LOG_LINE_MAX;
	need = (sizeof(*h) + len + 7) & ~(size_t)7;
	if (need > log->size / 2)
		return;
	pos = pos_of(log, log->head);
	if (pos + need > log->size)
		skip = log->size - pos;
	while (log->head + skip + need - log->tail > log->size)
		drop_oldest(log);
	if (skip) {
		if (skip >= sizeof(*h)) {
			h = (struct rec_hdr *)(log->buf + pos);
			h->rec_len = (uint32_t)skip;
			h->text_len = SKIP;
		}
		log->head += skip;
		pos = 0;
	}
	h = (struct rec_hdr *)(log->buf + pos);
	*h = (struct rec_hdr){ (uint32_t)need, (uint32_t)len, log->next_seq++, ts, level, 0 };
	kmm_memcpy(h + 1, text, len);
	log->head += need;
	console_emit(m, log, level, ts, text, len);
}

static void flush_cont_locked(struct kmm_machine *m, struct kmm_log *log)
{
	if (log->cont_len) {
		store_locked(m, log, log->cont_level, log->cont_ts, log->cont, log->cont_len);
		log->cont_len = 0;
	}
}

void kmm_vprintk(struct kmm_machine *m, struct kmm_log *log, const char *fmt, va_list ap)
{
	char text[KMM_LOG_LINE_MAX * 2];
	const char *p = text, *nl;
	int level = KMM_LOGLEVEL_DEFAULT, n;
	bool cont = false;
	uint64_t ts = kmm_plat_clock_ns(m);

	n = kmm_vsnprintf(text, sizeof(text), fmt, ap);
	if (n >= (int)sizeof(text))
		n = sizeof(text) - 1;
	/* KERN_<LEVEL> prefixes: SOH then a digit, or 'c' for a continuation */
	while (p[0] == '\001' && p[1]) {
		if (p[1] >= '0' && p[1] <= '7')
			level = p[1] - '0';
		else if (p[1] == 'c')
			cont = true;
		p += 2;
	}
	kmm_spin_lock(&log->lock);
	if (!cont)
		flush_cont_locked(m, log);
	else if (!log->cont_len)
		cont = false;
	for (;;) {
		size_t len;

		nl = p;
		while (*nl && *nl != '\n')
			nl++;
		len = (size_t)(nl - p);
		if (cont || (*nl == '\0' && len)) {
			/* a continued or unfinished line collects in cont[] */
			if (!log->cont_len) {
				log->cont_level = level;
				log->cont_ts = ts;
			}
			if (len > sizeof(log->cont) - log->cont_len)
				len = sizeof(log->cont) - log->cont_len;
			kmm_memcpy(log->cont + log->cont_len, p, len);
			log->cont_len += len;
			if (*nl == '\n')
				flush_cont_locked(m, log);
			cont = false;
		} else if (*nl == '\n' || len) {
			store_locked(m, log, level, ts, p, len);
		}
		if (*nl == '\0' || nl[1] == '\0')
			break;
		p = nl + 1;
	}
	kmm_spin_unlock(&log->lock);
}

uint64_t kmm_log_walk(struct kmm_log *log, uint64_t from,
		      void (*fn)(void *arg, const struct kmm_log_record *r), void *arg)
{
	uint64_t off, seq, next;

	kmm_spin_lock(&log->lock);
	off = log->tail;
	seq = log->first_seq;
	while (off < log->head) {
		size_t pos = pos_of(log, off);
		const struct rec_hdr *h = (const struct rec_hdr *)(log->buf + pos);

		if (log->size - pos < sizeof(*h) || h->text_len == SKIP) {
			off += log->size - pos;
			continue;
		}
		if (seq >= from) {
			struct kmm_log_record r = { h->seq, h->ts_ns, h->level,
						    (const char *)(h + 1), h->text_len };
			fn(arg, &r);
		}
		seq++;
		off += h->rec_len;
	}
	next = log->next_seq;
	kmm_spin_unlock(&log->lock);
	return next;
}
