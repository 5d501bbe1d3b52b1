/* SPDX-License-Identifier: MIT */
/*
 * Bytes in, for the trace readers: a file or stdin, decompressed when its
 * magic bytes say so, handed out in chunks that the line splitter scans in
 * place.
 *
 * 1. Sources. What the file holds decides, never its name:
 *      FD 37 7A 58 5A 00  xz     liblzma on a thread, else `xz -dc`
 *      1F 8B              gzip   zlib on a thread, else `gzip -dc`
 *      28 B5 2F FD        zstd   `zstd -dc`
 *      "BZh1".."BZh9"     bzip2  `bzip2 -dc`
 *      anything else      plain  read(2) straight into the chunk buffer
 *    A program gets the file itself as stdin (sought back to where it
 *    began) or, when the input is a pipe, a pipe fed by a thread with the
 *    bytes already read for the magic and then the rest. Its stdout comes
 *    back through a pipe; its stderr through another, to name what went
 *    wrong.
 *
 * 2. Overlap. `kmm replay t.xz` should take about as long as `xz -dc t.xz`
 *    alone, so decompression never waits for parsing nor parsing for
 *    decompression: a program runs in its own process anyway, and an
 *    in-library decoder runs on a thread of its own, filling NR_SLOTS
 *    chunk buffers ahead of the parser (slots a producer fills and a
 *    consumer holds one at a time: double buffering with some slack).
 *      produced - consumed <= NR_SLOTS; the consumer holds slot
 *      consumed % NR_SLOTS while held; the producer fills produced % NR_SLOTS.
 *    The lock is taken once per chunk (256 KiB), never per line.
 *
 * 3. The head. The reader must see the first bytes of the decompressed
 *    data (trace.dat's magic, a text header) before it parses: the chunks
 *    read for that are kept and handed out again first.
 *
 * Errors are messages in the input; the decoder thread reports its own
 * after the chunks it filled before it (the good part of a truncated file
 * is read).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace_internal.h"

extern char **environ;

/* A chunk fits L2: the parser reads it just after the decoder wrote it. */
#define CHUNK_SIZE (256u * 1024)
#define NR_SLOTS 4
#define RAW_SIZE (128u * 1024)	/* compressed bytes read at a time */
#define HEAD_MAX 16

enum input_kind { INPUT_PLAIN, INPUT_CODEC, INPUT_PROGRAM };

struct trace_input {
	char name[200];		/* for messages: the path, or "stdin" */
	int fd;			/* the file or stdin */
	bool own_fd;
	uint64_t file_size;
	off_t start;		/* fd's offset when opened (stdin may not start at 0), -1 if a pipe */
	uint64_t bytes_file;	/* atomic: bytes read from fd (by whichever thread) */
	bool fd_shared_offset;	/* a program reads fd itself: its offset is the progress */
	unsigned char magic[HEAD_MAX];	/* raw bytes read to look at, not yet passed on */
	size_t magic_len, magic_pos;
	enum input_kind kind;
	const char *compression;
	const char *decompressor;
	char err[512];
	bool failed;

	/* plain and program: one buffer that read(2) fills */
	char *buf;

	/* the decompressed head, handed out again first */
	char *pushback;
	size_t pushback_len;
	int pushback_state;	/* 0 not given yet, 1 given (free at the next read), 2 done */
	unsigned char head[HEAD_MAX];
	size_t head_len;

	/* program */
	pid_t child;
	int out_fd;		/* its stdout */
	int err_fd;		/* its stderr */
	int feed_fd;		/* its stdin, when a thread feeds it */
	pthread_t feeder;
	bool feeder_running;
	char *feed_buf;
	bool program_eof;

	/* in-library decoder on its thread */
	struct trace_codec *codec;
	pthread_t thread;
	bool thread_running;
	pthread_mutex_t lock;
	pthread_cond_t filled;	/* the producer published a chunk or finished */
	pthread_cond_t freed;	/* the consumer gave a slot back, or stop */
	char *slot_buf[NR_SLOTS];
	size_t slot_len[NR_SLOTS];
	unsigned int produced, consumed;	/* under lock */
	bool held;		/* the consumer holds slot consumed % NR_SLOTS */
	bool done, stop, thread_failed;	/* under lock */
	char thread_err[256];	/* under lock, set once before done */
	unsigned char *raw;	/* the thread's compressed input buffer */
};

/* ---- raw bytes from fd: the magic bytes first ---- */

static ssize_t raw_read(struct trace_input *in, void *buf, size_t size)
{
	ssize_t n;

	if (in->magic_pos < in->magic_len) {
		size_t k = in->magic_len - in->magic_pos;

		if (k > size)
			k = size;
		memcpy(buf, in->magic + in->magic_pos, k);
		in->magic_pos += k;
		return (ssize_t)k;
	}
	do
		n = read(in->fd, buf, size);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		__atomic_fetch_add(&in->bytes_file, (uint64_t)n, __ATOMIC_RELAXED);
	return n;
}

/* ---- the in-library decoder's thread ---- */

static void *codec_thread(void *arg)
{
	struct trace_input *in = arg;
	const unsigned char *ip = in->raw;
	size_t il = 0;
	bool in_eof = false, end = false;
	char err[256] = "";

	while (!end) {
		unsigned int slot;
		size_t filled = 0;
		int ret = 0;

		pthread_mutex_lock(&in->lock);
		while (in->produced - in->consumed >= NR_SLOTS && !in->stop)
			pthread_cond_wait(&in->freed, &in->lock);
		if (in->stop) {
			pthread_mutex_unlock(&in->lock);
			return NULL;
		}
		slot = in->produced % NR_SLOTS;
		pthread_mutex_unlock(&in->lock);

		while (filled < CHUNK_SIZE) {
			size_t out = 0;

			if (!il && !in_eof) {
				ssize_t n = raw_read(in, in->raw, RAW_SIZE);

				if (n < 0) {
					snprintf(err, sizeof(err), "read error: %s", strerror(errno));
					ret = -1;
					break;
				}
				ip = in->raw;
				il = (size_t)n;
				in_eof = n == 0;
			}
			ret = trace_codec_run(in->codec, &ip, &il,
					      (unsigned char *)in->slot_buf[slot] + filled,
					      CHUNK_SIZE - filled, &out, in_eof, err, sizeof(err));
			filled += out;
			if (ret)
				break;
			if (!out && !il && in_eof) {
				snprintf(err, sizeof(err), "%s data ends too early (truncated file?)",
					 in->compression);
				ret = -1;
				break;
			}
		}
		end = ret != 0;

		pthread_mutex_lock(&in->lock);
		if (filled) {
			in->slot_len[slot] = filled;
			in->produced++;
		}
		if (end) {
			in->done = true;
			if (ret < 0) {
				in->thread_failed = true;
				memcpy(in->thread_err, err, sizeof(err));
			}
		}
		pthread_cond_signal(&in->filled);
		pthread_mutex_unlock(&in->lock);
	}
	return NULL;
}

static int codec_read(struct trace_input *in, const char **buf, size_t *len)
{
	int ret;

	pthread_mutex_lock(&in->lock);
	if (in->held) {
		in->consumed++;
		in->held = false;
		pthread_cond_signal(&in->freed);
	}
	while (in->produced == in->consumed && !in->done)
		pthread_cond_wait(&in->filled, &in->lock);
	if (in->produced != in->consumed) {
		unsigned int slot = in->consumed % NR_SLOTS;

		*buf = in->slot_buf[slot];
		*len = in->slot_len[slot];
		in->held = true;
		ret = 1;
	} else if (in->thread_failed) {
		snprintf(in->err, sizeof(in->err), "%s: %s", in->name, in->thread_err);
		ret = -1;
	} else {
		ret = 0;
	}
	pthread_mutex_unlock(&in->lock);
	return ret;
}

static int codec_start(struct trace_input *in, enum trace_codec_kind kind)
{
	in->codec = trace_codec_new(kind);
	if (!in->codec)
		return -1;
	in->raw = malloc(RAW_SIZE);
	for (int i = 0; i < NR_SLOTS; i++) {
		in->slot_buf[i] = malloc(CHUNK_SIZE);
		if (!in->slot_buf[i])
			goto fail;
	}
	if (!in->raw)
		goto fail;
	pthread_mutex_init(&in->lock, NULL);
	pthread_cond_init(&in->filled, NULL);
	pthread_cond_init(&in->freed, NULL);
	in->kind = INPUT_CODEC;
	if (pthread_create(&in->thread, NULL, codec_thread, in)) {
		pthread_mutex_destroy(&in->lock);
		pthread_cond_destroy(&in->filled);
		pthread_cond_destroy(&in->freed);
		goto fail;
	}
	in->thread_running = true;
	in->decompressor = trace_codec_library(kind);
	return 0;
fail:
	in->kind = INPUT_PLAIN;
	trace_codec_free(in->codec);
	in->codec = NULL;
	return -1;
}

static void codec_stop(struct trace_input *in)
{
	if (!in->thread_running)
		return;
	pthread_mutex_lock(&in->lock);
	in->stop = true;
	pthread_cond_signal(&in->freed);
	pthread_mutex_unlock(&in->lock);
	pthread_join(in->thread, NULL);
	in->thread_running = false;
	pthread_mutex_destroy(&in->lock);
	pthread_cond_destroy(&in->filled);
	pthread_cond_destroy(&in->freed);
}

/* ---- a decompression program ---- */

/* Copies the magic bytes and then the rest of a pipe to the program's stdin. */
static void *feeder_thread(void *arg)
{
	struct trace_input *in = arg;
	sigset_t pipe_set;

	/* A program that exits early makes write() fail with EPIPE, not kill us. */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);
	for (;;) {
		ssize_t n = raw_read(in, in->feed_buf, RAW_SIZE);
		ssize_t off = 0;

		if (n <= 0)
			break;
		while (off < n) {
			ssize_t w = write(in->feed_fd, in->feed_buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				goto out;
			off += w;
		}
	}
out:
	close(in->feed_fd);
	in->feed_fd = -1;
	return NULL;
}

/*
 * Starts prog -dc reading the input. 0, or -1 when the program could not
 * be run (*missing set when it is not installed).
 */
static int program_start(struct trace_input *in, const char *prog, bool *missing)
{
	int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 }, in_pipe[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t def, none;
	char *argv[3];
	int stdin_fd;
	int ret;

	*missing = false;
	if (in->start >= 0 && lseek(in->fd, in->start, SEEK_SET) == in->start) {
		/* The file itself, from its start: the program reads it at full speed. */
		in->magic_pos = in->magic_len;
		__atomic_store_n(&in->bytes_file, 0, __ATOMIC_RELAXED);
		in->fd_shared_offset = true;
		stdin_fd = in->fd;
	} else {
		if (pipe2(in_pipe, O_CLOEXEC))
			return -1;
		stdin_fd = in_pipe[0];
	}
	if (pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC))
		goto fail;
	/* Fewer, larger reads: a bigger pipe when the system allows it. */
	fcntl(out_pipe[0], F_SETPIPE_SZ, 1 << 20);

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, stdin_fd, 0);
	posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	/*
	 * Nothing else of ours: a pipe's write end held open by the program
	 * would keep it waiting for an end of input that never comes.
	 */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
	posix_spawnattr_init(&attr);
	/* The program dies of SIGPIPE when we stop reading early, whatever we ignore. */
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	argv[0] = (char *)prog;
	argv[1] = (char *)"-dc";
	argv[2] = NULL;
	ret = posix_spawnp(&in->child, prog, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (ret) {
		*missing = ret == ENOENT;
		in->child = 0;
		errno = ret;
		goto fail;
	}
	close(out_pipe[1]);
	close(err_pipe[1]);
	in->out_fd = out_pipe[0];
	in->err_fd = err_pipe[0];
	if (in_pipe[0] >= 0) {
		close(in_pipe[0]);
		in->feed_fd = in_pipe[1];
		in->feed_buf = malloc(RAW_SIZE);
		if (!in->feed_buf || pthread_create(&in->feeder, NULL, feeder_thread, in)) {
			close(in->feed_fd);
			in->feed_fd = -1;
		} else {
			in->feeder_running = true;
		}
	}
	in->kind = INPUT_PROGRAM;
	return 0;
fail:
	ret = errno;	/* for the caller's message, past the closes */
	for (int i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
		if (in_pipe[i] >= 0)
			close(in_pipe[i]);
	}
	in->fd_shared_offset = false;
	errno = ret;
	return -1;
}

/* Reaps the program; -1 with a message when it failed. */
static int program_finish(struct trace_input *in, bool early)
{
	int status = 0;
	char msg[200];
	ssize_t n = 0;

	if (!in->child)
		return 0;
	if (early)
		kill(in->child, SIGTERM);
	if (in->feeder_running) {
		if (early)
			pthread_cancel(in->feeder);	/* it may wait in read() on a slow stdin */
		pthread_join(in->feeder, NULL);
		in->feeder_running = false;
		if (in->feed_fd >= 0)
			close(in->feed_fd);
		in->feed_fd = -1;
	}
	while (waitpid(in->child, &status, 0) < 0 && errno == EINTR)
		;
	in->child = 0;
	if (early)
		return 0;
	if (in->err_fd >= 0) {
		do
			n = read(in->err_fd, msg, sizeof(msg) - 1);
		while (n < 0 && errno == EINTR);
	}
	msg[n > 0 ? n : 0] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (msg[0])
		snprintf(in->err, sizeof(in->err), "%s: %s failed: %s", in->name, in->decompressor,
			 msg);
	else if (WIFSIGNALED(status))
		snprintf(in->err, sizeof(in->err), "%s: %s killed by signal %d", in->name,
			 in->decompressor, WTERMSIG(status));
	else
		snprintf(in->err, sizeof(in->err), "%s: %s failed (exit status %d)", in->name,
			 in->decompressor, WEXITSTATUS(status));
	return -1;
}

/* ---- the source, whichever it is ---- */

static int source_read(struct trace_input *in, const char **buf, size_t *len)
{
	ssize_t n;

	if (in->failed)
		return -1;
	if (in->kind == INPUT_CODEC) {
		int ret = codec_read(in, buf, len);

		if (ret < 0)
			in->failed = true;
		return ret;
	}
	if (in->kind == INPUT_PROGRAM) {
		if (in->program_eof)
			return 0;
		do
			n = read(in->out_fd, in->buf, CHUNK_SIZE);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			snprintf(in->err, sizeof(in->err), "%s: read error from %s: %s", in->name,
				 in->decompressor, strerror(errno));
			in->failed = true;
			return -1;
		}
		if (n == 0) {
			in->program_eof = true;
			if (program_finish(in, false)) {
				in->failed = true;
				return -1;
			}
			return 0;
		}
		*buf = in->buf;
		*len = (size_t)n;
		return 1;
	}
	n = raw_read(in, in->buf, CHUNK_SIZE);
	if (n < 0) {
		snprintf(in->err, sizeof(in->err), "%s: read error: %s", in->name, strerror(errno));
		in->failed = true;
		return -1;
	}
	*buf = in->buf;
	*len = (size_t)n;
	return n > 0;
}

/* Reads until HEAD_MAX bytes (or the end) are in the pushback buffer. */
static int fill_head(struct trace_input *in)
{
	size_t cap = 0;

	while (in->pushback_len < HEAD_MAX) {
		const char *b;
		size_t n;
		int ret = source_read(in, &b, &n);
		char *p;

		if (ret < 0)
			return -1;
		if (ret == 0)
			break;
		if (in->pushback_len + n > cap) {
			cap = in->pushback_len + n;
			p = realloc(in->pushback, cap);
			if (!p) {
				snprintf(in->err, sizeof(in->err), "%s: out of memory", in->name);
				return -1;
			}
			in->pushback = p;
		}
		memcpy(in->pushback + in->pushback_len, b, n);
		in->pushback_len += n;
	}
	in->head_len = in->pushback_len < HEAD_MAX ? in->pushback_len : HEAD_MAX;
	if (in->head_len)
		memcpy(in->head, in->pushback, in->head_len);
	return 0;
}

int trace_input_read(struct trace_input *in, const char **buf, size_t *len)
{
	if (in->pushback_state == 1) {
		free(in->pushback);
		in->pushback = NULL;
		in->pushback_state = 2;
	}
	if (in->pushback_state == 0) {
		in->pushback_state = 1;
		if (in->pushback_len) {
			*buf = in->pushback;
			*len = in->pushback_len;
			return 1;
		}
	}
	return source_read(in, buf, len);
}

size_t trace_input_head(struct trace_input *in, const unsigned char **head)
{
	*head = in->head;
	return in->head_len;
}

const char *trace_input_error(const struct trace_input *in)
{
	return in->err[0] ? in->err : "read error";
}

static const struct {
	const char *name;
	unsigned char magic[6];
	size_t len;
	const char *program;
	int codec;	/* enum trace_codec_kind, or -1 for none */
} input_formats[] = {
	{ "xz", { 0xfd, '7', 'z', 'X', 'Z', 0 }, 6, "xz", TRACE_CODEC_XZ },
	{ "gzip", { 0x1f, 0x8b }, 2, "gzip", TRACE_CODEC_GZIP },
	{ "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4, "zstd", -1 },
	{ "bzip2", { 'B', 'Z', 'h' }, 3, "bzip2", -1 },
};

static void input_free(struct trace_input *in)
{
	codec_stop(in);
	if (in->child)
		program_finish(in, true);
	if (in->out_fd >= 0)
		close(in->out_fd);
	if (in->err_fd >= 0)
		close(in->err_fd);
	if (in->own_fd && in->fd >= 0)
		close(in->fd);
	trace_codec_free(in->codec);
	for (int i = 0; i < NR_SLOTS; i++)
		free(in->slot_buf[i]);
	free(in->raw);
	free(in->buf);
	free(in->feed_buf);
	free(in->pushback);
	free(in);
}

/* Sets the decompression of a compressed input up; -1 with a message in err. */
static int input_decompress(struct trace_input *in, int f, unsigned int flags, char *err,
			    size_t errlen)
{
	const char *lib = NULL;
	bool missing = false;

	in->compression = input_formats[f].name;
	if (input_formats[f].codec >= 0 && !(flags & TRACE_OPEN_NO_LIBRARIES)) {
		lib = trace_codec_library((enum trace_codec_kind)input_formats[f].codec);
		if (lib && !codec_start(in, (enum trace_codec_kind)input_formats[f].codec))
			return 0;
	}
	if (!(flags & TRACE_OPEN_NO_PROGRAMS)) {
		static const char *const dc[] = { "xz -dc", "gzip -dc", "zstd -dc", "bzip2 -dc" };

		in->decompressor = dc[f];
		if (!program_start(in, input_formats[f].program, &missing))
			return 0;
		if (!missing) {
			trace_errf(err, errlen, "%s: cannot run %s: %s", in->name,
				   input_formats[f].program, strerror(errno));
			return -1;
		}
	}
	if (input_formats[f].codec >= 0)
		trace_errf(err, errlen, "%s: %s-compressed, but neither %s nor the %s program is available",
			   in->name, in->compression,
			   input_formats[f].codec == TRACE_CODEC_XZ ? "liblzma" : "zlib",
			   input_formats[f].program);
	else
		trace_errf(err, errlen, "%s: %s-compressed, but the %s program is not available",
			   in->name, in->compression, input_formats[f].program);
	return -1;
}

struct trace_input *trace_input_open(const char *path, unsigned int flags, char *err,
				     size_t errlen)
{
	struct trace_input *in = calloc(1, sizeof(*in));
	struct stat st;
	int f = -1;

	if (!in) {
		trace_errf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	in->fd = in->out_fd = in->err_fd = in->feed_fd = -1;
	if (!strcmp(path, "-")) {
		snprintf(in->name, sizeof(in->name), "stdin");
		in->fd = 0;
	} else {
		snprintf(in->name, sizeof(in->name), "%s", path);
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			trace_errf(err, errlen, "cannot open %s: %s", path, strerror(errno));
			free(in);
			return NULL;
		}
		in->own_fd = true;
	}
	in->start = lseek(in->fd, 0, SEEK_CUR);
	if (!fstat(in->fd, &st)) {
		if (S_ISDIR(st.st_mode)) {
			trace_errf(err, errlen, "%s: is a directory", in->name);
			goto fail;
		}
		if (S_ISREG(st.st_mode) && in->start >= 0 && st.st_size >= in->start)
			in->file_size = (uint64_t)(st.st_size - in->start);
	}

	/* The magic bytes: read (and kept to pass on), whatever the input is. */
	while (in->magic_len < HEAD_MAX) {
		ssize_t n = read(in->fd, in->magic + in->magic_len, HEAD_MAX - in->magic_len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			trace_errf(err, errlen, "%s: read error: %s", in->name, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		in->magic_len += (size_t)n;
	}
	in->bytes_file = in->magic_len;
	for (size_t i = 0; i < sizeof(input_formats) / sizeof(input_formats[0]); i++) {
		if (in->magic_len >= input_formats[i].len &&
		    !memcmp(in->magic, input_formats[i].magic, input_formats[i].len) &&
		    (i != 3 || (in->magic_len > 3 && in->magic[3] >= '1' && in->magic[3] <= '9'))) {
			f = (int)i;
			break;
		}
	}
	in->buf = malloc(CHUNK_SIZE);
	if (!in->buf) {
		trace_errf(err, errlen, "%s: out of memory", in->name);
		goto fail;
	}
	if (f >= 0 && input_decompress(in, f, flags, err, errlen))
		goto fail;
	if (fill_head(in)) {
		trace_errf(err, errlen, "%s", in->err);
		goto fail;
	}
	return in;
fail:
	input_free(in);
	return NULL;
}

int trace_input_seekable_fd(struct trace_input *in, char *err, size_t errlen)
{
	int fd;

	/* libtracecmd takes the file's offsets as from 0: only a file that starts there */
	if (in->kind == INPUT_PLAIN && in->start == 0 && lseek(in->fd, 0, SEEK_SET) == 0) {
		fd = fcntl(in->fd, F_DUPFD_CLOEXEC, 3);
		if (fd < 0)
			trace_errf(err, errlen, "%s: %s", in->name, strerror(errno));
		return fd;
	}
	/*
	 * A pipe, or compressed: libtracecmd seeks, so the data goes to a
	 * memory file first (no path on any disk).
	 */
	fd = memfd_create("kmm-trace.dat", MFD_CLOEXEC);
	if (fd < 0) {
		trace_errf(err, errlen, "%s: cannot make a memory file for trace.dat: %s", in->name,
			   strerror(errno));
		return -1;
	}
	for (;;) {
		const char *b;
		size_t n;
		int ret = trace_input_read(in, &b, &n);

		if (ret < 0) {
			trace_errf(err, errlen, "%s", trace_input_error(in));
			close(fd);
			return -1;
		}
		if (!ret)
			break;
		while (n) {
			ssize_t w = write(fd, b, n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				trace_errf(err, errlen, "%s: cannot copy trace.dat to memory: %s",
					   in->name, strerror(errno));
				close(fd);
				return -1;
			}
			b += w;
			n -= (size_t)w;
		}
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		trace_errf(err, errlen, "%s: %s", in->name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void trace_input_counters(const struct trace_input *in, uint64_t *bytes_file, uint64_t *file_size)
{
	*file_size = in->file_size;
	if (in->fd_shared_offset) {
		/* The program reads our file description: its offset is how far it got. */
		off_t off = lseek(in->fd, 0, SEEK_CUR);

		*bytes_file = off > in->start ? (uint64_t)(off - in->start) : 0;
		return;
	}
	*bytes_file = __atomic_load_n(&in->bytes_file, __ATOMIC_RELAXED);
}

const char *trace_input_compression(const struct trace_input *in)
{
	return in->compression;
}

const char *trace_input_decompressor(const struct trace_input *in)
{
	return in->decompressor;
}

void trace_input_close(struct trace_input *in)
{
	if (in)
		input_free(in);
}
