/* SPDX-License-Identifier: MIT */
/*
 * trace.dat (trace-cmd's binary file) through libtracecmd and
 * libtraceevent, when the build found them (KMM_HAVE_LIBTRACECMD); without
 * them trace.c tells the user to convert the file with `trace-cmd report`.
 *
 * Records are read per CPU (tracecmd_read_data) and merged by timestamp,
 * as trace-cmd report prints them. A kmem record's fields are read by name
 * through the event's format (tep_read_number_field), with the offsets the
 * file itself describes, so any kernel version's layout reads; each read is
 * bounds-checked against the record, as a corrupt file must not crash us.
 *
 * Two things the binary holds differently from the text:
 *   - call_site is an address: the file's own kallsyms give "func+0xoff"
 *     (tep_find_function/tep_find_function_address), cached by address;
 *   - gfp_flags is the recording kernel's bit mask, whose layout changed
 *     over the versions: the event's own print format names its bits, so a
 *     record with a new mask is printed once (tep_print_event) and its
 *     gfp_flags= text parsed as the text formats' is; the result is cached
 *     by mask.
 * The top-level buffer is read; buffer instances are not.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace_internal.h"

#ifdef KMM_HAVE_LIBTRACECMD

#include <trace-cmd.h>

struct dat_event {
	int id;
	enum trace_ev type;
	struct tep_event *event;
	struct tep_format_field *call_site, *ptr, *name, *bytes_req, *bytes_alloc, *gfp_flags,
		*node, *accounted, *pfn, *order, *migratetype;
};

struct trace_dat {
	struct tracecmd_input *handle;
	struct tep_handle *tep;
	int nr_cpus;
	struct tep_record **next;	/* the next record of each CPU, or NULL at its end */
	struct dat_event events[11];
	int nr_events;
	struct trace_intern by_mask;	/* gfp mask (8 bytes) -> id; gfp_of_mask[id] */
	kmm_gfp_t *gfp_of_mask;
	uint32_t gfp_cap;
	struct trace_intern by_addr;	/* call_site address -> id; site_of_addr[id] */
	uint32_t *site_of_addr;
	uint32_t site_cap;
	struct trace_seq seq;
};

/* The kmem events, by the names of every kernel version. */
static const struct {
	const char *name;
	enum trace_ev type;
} dat_names[] = {
	{ "kmalloc", TEV_KMALLOC },
	{ "kmalloc_node", TEV_KMALLOC },
	{ "kfree", TEV_KFREE },
	{ "kmem_cache_alloc", TEV_CACHE_ALLOC },
	{ "kmem_cache_alloc_node", TEV_CACHE_ALLOC },
	{ "kmem_cache_free", TEV_CACHE_FREE },
	{ "mm_page_alloc", TEV_PAGE_ALLOC },
	{ "mm_page_free", TEV_PAGE_FREE },
	{ "mm_page_free_direct", TEV_PAGE_FREE },
	{ "mm_page_free_batched", TEV_PAGE_FREE_BATCHED },
	{ "mm_pagevec_free", TEV_PAGE_FREE_BATCHED },
};

_Static_assert(sizeof(dat_names) / sizeof(dat_names[0]) ==
		       sizeof(((struct trace_dat *)0)->events) / sizeof(struct dat_event),
	       "one slot per kmem event name");

bool trace_dat_supported(void)
{
	return true;
}

/* A number field of the record; false when the field is absent or outside the record. */
static bool dat_number(struct tep_format_field *f, struct tep_record *rec, uint64_t *v)
{
	unsigned long long x;

	if (!f || f->offset < 0 || f->size <= 0 || f->size > 8 ||
	    (long)f->offset + f->size > (long)rec->size)
		return false;
	if (tep_read_number_field(f, rec->data, &x))
		return false;
	*v = x;
	return true;
}

/* A __data_loc (or __rel_loc) string field: pointer and length inside the record. */
static bool dat_string(struct tep_format_field *f, struct tep_record *rec, const char **s,
		       size_t *n)
{
	uint64_t loc;
	size_t off, len;

	if (!f || !(f->flags & TEP_FIELD_IS_DYNAMIC) || !dat_number(f, rec, &loc))
		return false;
	off = (size_t)(loc & 0xffff);
	len = (size_t)(loc >> 16) & 0xffff;
	if (f->flags & TEP_FIELD_IS_RELATIVE)
		off += (size_t)f->offset + (size_t)f->size;
	if (off > (size_t)rec->size || len > (size_t)rec->size - off)
		return false;
	*s = (const char *)rec->data + off;
	*n = strnlen(*s, len);
	return true;
}

static int dat_grow(void **arr, uint32_t *cap, uint32_t id, size_t elem)
{
	uint32_t c = *cap ? *cap : 64;
	void *p;

	if (id < *cap)
		return 0;
	while (c <= id)
		c *= 2;
	p = realloc(*arr, (size_t)c * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = c;
	return 0;
}

/* The recording kernel's gfp mask in kmm's flags, through the event's own names for its bits. */
static kmm_gfp_t dat_gfp(struct trace_reader *r, struct trace_dat *d, struct tep_record *rec,
			 uint64_t mask)
{
	uint32_t before = d->by_mask.nr, id;
	const char *t, *e;
	kmm_gfp_t gfp;

	id = trace_intern(&d->by_mask, (const char *)&mask, sizeof(mask));
	if (id && id <= before)
		return d->gfp_of_mask[id];
	trace_seq_reset(&d->seq);
	tep_print_event(d->tep, &d->seq, rec, "%s", TEP_PRINT_INFO);
	trace_seq_terminate(&d->seq);
	t = d->seq.buffer ? strstr(d->seq.buffer, "gfp_flags=") : NULL;
	if (t) {
		t += 10;
		e = t + strcspn(t, " ");
		gfp = trace_fields_gfp(&r->fields, t, (size_t)(e - t));
	} else {
		/* no names printed: the mask is taken in kmm's (6.x) layout */
		char hex[24];

		snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)mask);
		gfp = trace_fields_gfp(&r->fields, hex, strlen(hex));
	}
	if (id && !dat_grow((void **)&d->gfp_of_mask, &d->gfp_cap, id, sizeof(kmm_gfp_t)))
		d->gfp_of_mask[id] = gfp;
	return gfp;
}

/* "func+0xoff" of a call site address, from the file's kallsyms. */
static uint32_t dat_call_site(struct trace_reader *r, struct trace_dat *d, uint64_t addr)
{
	uint32_t before = d->by_addr.nr, id, site;
	const char *func;
	char buf[256];

	if (!addr)
		return 0;
	id = trace_intern(&d->by_addr, (const char *)&addr, sizeof(addr));
	if (id && id <= before)
		return d->site_of_addr[id];
	func = tep_find_function(d->tep, addr);
	if (func)
		snprintf(buf, sizeof(buf), "%s+0x%llx", func,
			 (unsigned long long)(addr - tep_find_function_address(d->tep, addr)));
	else
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)addr);
	site = trace_intern(&r->strs, buf, strlen(buf));
	if (id && !dat_grow((void **)&d->site_of_addr, &d->site_cap, id, sizeof(uint32_t)))
		d->site_of_addr[id] = site;
	return site;
}

/* Opens trace.dat from fd in this process. */
static int dat_open_here(struct trace_reader *r, int fd)
{
	struct trace_dat *d = calloc(1, sizeof(*d));

	if (!d) {
		close(fd);
		snprintf(r->err, sizeof(r->err), "%s: out of memory", r->name);
		return -1;
	}
	trace_intern_init(&d->by_mask);
	trace_intern_init(&d->by_addr);
	trace_seq_init(&d->seq);
	r->dat = d;
	/* No plugins: their output is for people; the fields are read here. */
	d->handle = tracecmd_open_fd(fd, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!d->handle) {
		/*
		 * Not closed here: libtracecmd closes fd when it fails after its
		 * first checks and not before, and a wrong close could hit another
		 * thread's descriptor. At worst one descriptor stays open.
		 */
		snprintf(r->err, sizeof(r->err), "%s: libtracecmd cannot read this trace.dat",
			 r->name);
		return -1;
	}
	d->tep = tracecmd_get_tep(d->handle);
	d->nr_cpus = d->tep ? tep_get_cpus(d->tep) : 0;
	if (!d->tep || d->nr_cpus <= 0 || d->nr_cpus > 65536) {
		snprintf(r->err, sizeof(r->err), "%s: trace.dat without CPU buffers", r->name);
		return -1;
	}
	d->next = calloc((size_t)d->nr_cpus, sizeof(*d->next));
	if (!d->next) {
		snprintf(r->err, sizeof(r->err), "%s: out of memory", r->name);
		return -1;
	}
	for (size_t i = 0; i < sizeof(dat_names) / sizeof(dat_names[0]); i++) {
		struct tep_event *ev = tep_find_event_by_name(d->tep, "kmem", dat_names[i].name);
		struct dat_event *de;

		if (!ev)
			continue;
		de = &d->events[d->nr_events++];
		de->id = ev->id;
		de->type = dat_names[i].type;
		de->event = ev;
		de->call_site = tep_find_field(ev, "call_site");
		de->ptr = tep_find_field(ev, "ptr");
		de->name = tep_find_field(ev, "name");
		de->bytes_req = tep_find_field(ev, "bytes_req");
		de->bytes_alloc = tep_find_field(ev, "bytes_alloc");
		de->gfp_flags = tep_find_field(ev, "gfp_flags");
		de->node = tep_find_field(ev, "node");
		de->accounted = tep_find_field(ev, "accounted");
		de->pfn = tep_find_field(ev, "pfn");
		de->order = tep_find_field(ev, "order");
		de->migratetype = tep_find_field(ev, "migratetype");
	}
	for (int cpu = 0; cpu < d->nr_cpus; cpu++)
		d->next[cpu] = tracecmd_read_data(d->handle, cpu);
	return 0;
}

/*
 * libtracecmd 3.1 crashes on some corrupt files (a NULL dereference in
 * tracecmd_open_fd()'s own clean-up, found by flipping bytes of a good
 * file), and a bad input must not take kmm down. So the file is first read
 * to its end in a child process, as it will be read here; only when the
 * child came through is it read in this one (the library does the same on
 * the same bytes). A trace.dat is read twice: it is the rare and small form.
 */
#define DAT_TRIAL_MS 60000	/* the longest a trial read may take, in ms (sanitizer builds under load are slow) */

static int dat_trial(struct trace_reader *r, int fd)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return 0;	/* no child to try it in: read it here and hope */
	if (pid == 0) {
		struct trace_event ev;
		int null = open("/dev/null", O_WRONLY);

		/* the library's complaints come once, from the real reading */
		if (null >= 0)
			dup2(null, 2);
		if (!dat_open_here(r, fd))
			while (trace_dat_next(r, &ev) > 0)
				;
		_exit(0);
	}
	/*
	 * A child forked while another thread held a lock (the allocator's, a
	 * decompression thread's) can hang in it: past a deadline, give the trial
	 * up and read the file here, as without a child.
	 */
	for (int waited_ms = 0;; waited_ms++) {
		pid_t got = waitpid(pid, &status, WNOHANG);

		if (got == pid)
			break;
		if ((got < 0 && errno != EINTR) || waited_ms >= DAT_TRIAL_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			/* the child moved the offset we share with it */
			if (lseek(fd, 0, SEEK_SET) == 0)
				return 0;
			snprintf(r->err, sizeof(r->err), "%s: %s", r->name, strerror(errno));
			close(fd);
			return -1;
		}
		usleep(1000);
	}
	/* a sanitizer turns the crash into an exit status: anything but 0 is one */
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		char how[32];

		if (WIFSIGNALED(status))
			snprintf(how, sizeof(how), "signal %d", WTERMSIG(status));
		else
			snprintf(how, sizeof(how), "exit status %d", WEXITSTATUS(status));
		close(fd);
		snprintf(r->err, sizeof(r->err),
			 "%s: libtracecmd crashed reading this trace.dat (%s): is it corrupt?",
			 r->name, how);
		return -1;
	}
	/* the child moved the offset we share with it */
	if (lseek(fd, 0, SEEK_SET) != 0) {
		snprintf(r->err, sizeof(r->err), "%s: %s", r->name, strerror(errno));
		close(fd);
		return -1;
	}
	return 0;
}

int trace_dat_open(struct trace_reader *r, int fd)
{
	if (dat_trial(r, fd))
		return -1;
	return dat_open_here(r, fd);
}

/* Fills ev from a kmem record; NULL, or why it cannot. */
static const char *dat_fill(struct trace_reader *r, struct trace_dat *d, struct dat_event *de,
			    struct tep_record *rec, struct trace_event *ev)
{
	uint64_t v;
	const char *s;
	size_t n;

	ev->type = de->type;
	ev->ptr = 0;
	ev->call_site = ev->cache = 0;
	ev->bytes_req = ev->bytes_alloc = 0;
	ev->gfp = 0;
	ev->node = -1;
	ev->accounted = false;
	ev->pfn = 0;
	ev->order = 0;
	ev->migratetype = -1;
	ev->failed = false;
	ev->instance = 0;
	if (de->type <= TEV_CACHE_FREE) {
		if (!dat_number(de->ptr, rec, &ev->ptr))
			return "no ptr field";
		if (dat_number(de->call_site, rec, &v))
			ev->call_site = dat_call_site(r, d, v);
		if (dat_string(de->name, rec, &s, &n))
			ev->cache = trace_intern(&r->strs, s, n);
	}
	if (de->type == TEV_KMALLOC || de->type == TEV_CACHE_ALLOC) {
		if (!dat_number(de->bytes_req, rec, &v) || v > UINT32_MAX)
			return "no 32-bit bytes_req field";
		ev->bytes_req = (uint32_t)v;
		if (!dat_number(de->bytes_alloc, rec, &v) || v > UINT32_MAX)
			return "no 32-bit bytes_alloc field";
		ev->bytes_alloc = (uint32_t)v;
		if (!dat_number(de->gfp_flags, rec, &v))
			return "no gfp_flags field";
		ev->gfp = dat_gfp(r, d, rec, v);
		if (dat_number(de->node, rec, &v))
			ev->node = (int)(int32_t)v;
		if (dat_number(de->accounted, rec, &v))
			ev->accounted = v != 0;
		else
			ev->accounted = ev->gfp & KMM___GFP_ACCOUNT;
		ev->failed = !ev->ptr;
	}
	if (de->type >= TEV_PAGE_ALLOC) {
		/* kernels before 4.x recorded a struct page pointer, whose pfn is not in the file */
		if (!dat_number(de->pfn, rec, &ev->pfn))
			return "no pfn field";
		if (de->type != TEV_PAGE_FREE_BATCHED) {
			if (!dat_number(de->order, rec, &v) || v > 64)
				return "no order field";
			ev->order = (unsigned int)v;
		}
	}
	if (de->type == TEV_PAGE_ALLOC) {
		if (!dat_number(de->gfp_flags, rec, &v))
			return "no gfp_flags field";
		ev->gfp = dat_gfp(r, d, rec, v);
		if (dat_number(de->migratetype, rec, &v))
			ev->migratetype = (int)(int32_t)v;
		/* a failed allocation records pfn -1 (printed as 0) */
		if (ev->pfn == UINT64_MAX || (de->pfn->size == 4 && ev->pfn == UINT32_MAX)) {
			ev->pfn = 0;
			ev->failed = true;
		}
	}
	return NULL;
}

int trace_dat_next(struct trace_reader *r, struct trace_event *ev)
{
	struct trace_dat *d = r->dat;

	for (;;) {
		struct tep_record *rec = NULL;
		struct dat_event *de = NULL;
		const char *why;
		int cpu = -1, type;

		for (int c = 0; c < d->nr_cpus; c++) {
			if (d->next[c] && (!rec || d->next[c]->ts < rec->ts)) {
				rec = d->next[c];
				cpu = c;
			}
		}
		if (!rec)
			return 0;
		d->next[cpu] = tracecmd_read_data(d->handle, cpu);
		r->stats.lines++;
		if (rec->missed_events > 0)
			r->stats.lost_events += (uint64_t)rec->missed_events;
		type = tep_data_type(d->tep, rec);
		for (int i = 0; i < d->nr_events; i++) {
			if (d->events[i].id == type) {
				de = &d->events[i];
				break;
			}
		}
		if (!de) {
			struct tep_event *other = tep_find_event(d->tep, type);
			const char *name = other && other->name ? other->name : "unknown";
			int ret = trace_count_other(r, name, strlen(name));

			tracecmd_free_record(rec);
			if (ret) {
				snprintf(r->err, sizeof(r->err), "%s: out of memory", r->name);
				return -1;
			}
			continue;
		}
		why = dat_fill(r, d, de, rec, ev);
		if (why) {
			char text[64];

			snprintf(text, sizeof(text), "record of %s on CPU %d", de->event->name, cpu);
			r->stats.malformed++;
			if (r->stats.malformed <= TRACE_MALFORMED_KEPT) {
				struct trace_malformed *m = &r->stats.first_malformed[r->stats.malformed - 1];

				m->line = r->stats.lines;
				snprintf(m->text, sizeof(m->text), "%s", text);
				snprintf(m->why, sizeof(m->why), "%s", why);
			}
			tracecmd_free_record(rec);
			continue;
		}
		ev->ts_ns = rec->ts;
		ev->cpu = cpu;
		ev->pid = tep_data_pid(d->tep, rec);
		{
			const char *comm = tep_data_comm_from_pid(d->tep, ev->pid);

			ev->comm = trace_comm(r, comm ? comm : "<...>", strlen(comm ? comm : "<...>"));
		}
		ev->line = r->stats.lines;
		tracecmd_free_record(rec);
		if (r->strs.failed || r->fields.gfp_strs.failed || d->by_mask.failed ||
		    d->by_addr.failed) {
			snprintf(r->err, sizeof(r->err), "%s: out of memory", r->name);
			return -1;
		}
		r->stats.events[ev->type]++;
		return 1;
	}
}

void trace_dat_close(struct trace_dat *d)
{
	if (!d)
		return;
	if (d->next) {
		for (int c = 0; c < d->nr_cpus; c++)
			if (d->next[c])
				tracecmd_free_record(d->next[c]);
		free(d->next);
	}
	if (d->handle)
		tracecmd_close(d->handle);
	trace_seq_destroy(&d->seq);
	trace_intern_free(&d->by_mask);
	trace_intern_free(&d->by_addr);
	free(d->gfp_of_mask);
	free(d->site_of_addr);
	free(d);
}

#else /* !KMM_HAVE_LIBTRACECMD */

/* This build has no libtracecmd: trace.c gives the `trace-cmd report` hint instead. */
bool trace_dat_supported(void)
{
	return false;
}

int trace_dat_open(struct trace_reader *r, int fd)
{
	close(fd);
	snprintf(r->err, sizeof(r->err), "%s: this build reads no trace.dat", r->name);
	return -1;
}

int trace_dat_next(struct trace_reader *r, struct trace_event *ev)
{
	(void)ev;
	snprintf(r->err, sizeof(r->err), "%s: this build reads no trace.dat", r->name);
	return -1;
}

void trace_dat_close(struct trace_dat *d)
{
	(void)d;
}

#endif /* KMM_HAVE_LIBTRACECMD */
