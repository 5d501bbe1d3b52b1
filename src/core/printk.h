/* SPDX-License-Identifier: MIT */
/*
 * The kernel log: a ring of records, as the kernel's printk ringbuffer keeps
 * them (sequence number, timestamp, level, text), read as /dev/kmsg and by
 * dmesg. See printk.c for the layout.
 */
#ifndef KMM_CORE_PRINTK_H
#define KMM_CORE_PRINTK_H

#include <stdarg.h>

#include <kmm/types.h>

#include "spinlock.h"

#define KMM_KERN_SOH "\001"
#define KMM_KERN_EMERG KMM_KERN_SOH "0"
#define KMM_KERN_ALERT KMM_KERN_SOH "1"
#define KMM_KERN_CRIT KMM_KERN_SOH "2"
#define KMM_KERN_ERR KMM_KERN_SOH "3"
#define KMM_KERN_WARNING KMM_KERN_SOH "4"
#define KMM_KERN_NOTICE KMM_KERN_SOH "5"
#define KMM_KERN_INFO KMM_KERN_SOH "6"
#define KMM_KERN_DEBUG KMM_KERN_SOH "7"
#define KMM_KERN_CONT KMM_KERN_SOH "c"

#define KMM_LOGLEVEL_DEFAULT 4		/* MESSAGE_LOGLEVEL_DEFAULT */
#define KMM_CONSOLE_LOGLEVEL_DEFAULT 7
#define KMM_CONSOLE_LOGLEVEL_QUIET 4
#define KMM_LOG_LINE_MAX 1024

struct kmm_log {
	kmm_spinlock_t lock;
	char *buf;		/* caller-owned ring, size bytes, 8-byte aligned */
	size_t size;
	uint64_t head;		/* byte offset (monotonic) where the next record goes */
	uint64_t tail;		/* byte offset of the oldest record */
	uint64_t first_seq;	/* sequence number of the record at tail */
	uint64_t next_seq;	/* sequence number the next record gets */
	int console_loglevel;	/* records below this level are echoed */
	/* a line printed without its newline waits here for KERN_CONT pieces */
	char cont[KMM_LOG_LINE_MAX];
	size_t cont_len;
	int cont_level;
	uint64_t cont_ts;
};

/* One record as a reader sees it. */
struct kmm_log_record {
	uint64_t seq;
	uint64_t ts_ns;
	int level;
	const char *text;	/* not NUL-terminated */
	size_t len;
};

void kmm_log_init(struct kmm_log *log, char *buf, size_t size);
/* vprintk: stores one record per line of the formatted text. */
void kmm_vprintk(struct kmm_machine *m, struct kmm_log *log, const char *fmt, va_list ap);
/*
 * Calls fn for each record with seq >= from, oldest first, under the log
 * lock (fn must not printk). Returns the next sequence number.
 */
uint64_t kmm_log_walk(struct kmm_log *log, uint64_t from,
		      void (*fn)(void *arg, const struct kmm_log_record *r), void *arg);

#endif /* KMM_CORE_PRINTK_H */
