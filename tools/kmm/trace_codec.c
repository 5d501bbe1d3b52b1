/* SPDX-License-Identifier: MIT */
/*
 * liblzma and zlib as one streaming interface for trace_input.c's
 * decompression thread. Both are optional: the build defines KMM_HAVE_LZMA
 * and KMM_HAVE_ZLIB when it found them, and without one trace_input.c runs
 * the xz or gzip program instead.
 *
 * Both decoders accept concatenated streams (`cat a.xz b.xz`, `gzip -c a
 * >> t.gz`), as xz -dc and gzip -dc do.
 */
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"

#ifdef KMM_HAVE_LZMA
#include <lzma.h>
#endif
#ifdef KMM_HAVE_ZLIB
#include <zlib.h>
#endif

struct trace_codec {
	enum trace_codec_kind kind;
#ifdef KMM_HAVE_LZMA
	lzma_stream xz;
#endif
#ifdef KMM_HAVE_ZLIB
	z_stream gz;
	bool gz_member_done;	/* a gzip member ended: another may follow */
#endif
};

const char *trace_codec_library(enum trace_codec_kind kind)
{
	switch (kind) {
	case TRACE_CODEC_XZ:
#ifdef KMM_HAVE_LZMA
		return "liblzma";
#else
		return NULL;
#endif
	case TRACE_CODEC_GZIP:
#ifdef KMM_HAVE_ZLIB
		return "zlib";
#else
		return NULL;
#endif
	}
	return NULL;
}

struct trace_codec *trace_codec_new(enum trace_codec_kind kind)
{
	struct trace_codec *c;

	if (!trace_codec_library(kind))
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->kind = kind;
	switch (kind) {
	case TRACE_CODEC_XZ:
#ifdef KMM_HAVE_LZMA
	{
		lzma_stream init = LZMA_STREAM_INIT;

		c->xz = init;
		if (lzma_stream_decoder(&c->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
			free(c);
			return NULL;
		}
	}
#endif
		break;
	case TRACE_CODEC_GZIP:
#ifdef KMM_HAVE_ZLIB
		/* 15 + 32: the largest window, gzip or zlib header detected */
		if (inflateInit2(&c->gz, 15 + 32) != Z_OK) {
			free(c);
			return NULL;
		}
#endif
		break;
	}
	return c;
}

#ifdef KMM_HAVE_LZMA
static int codec_xz(struct trace_codec *c, const unsigned char **in, size_t *in_len,
		    unsigned char *out, size_t out_size, size_t *out_len, bool in_eof, char *err,
		    size_t errlen)
{
	lzma_ret ret;

	c->xz.next_in = *in;
	c->xz.avail_in = *in_len;
	c->xz.next_out = out;
	c->xz.avail_out = out_size;
	ret = lzma_code(&c->xz, in_eof ? LZMA_FINISH : LZMA_RUN);
	*in = c->xz.next_in;
	*in_len = c->xz.avail_in;
	*out_len = out_size - c->xz.avail_out;
	switch (ret) {
	case LZMA_OK:
	case LZMA_BUF_ERROR:	/* no progress possible now: more input is needed */
		if (ret == LZMA_BUF_ERROR && in_eof) {
			trace_errf(err, errlen, "xz data ends too early (truncated file?)");
			return -1;
		}
		return 0;
	case LZMA_STREAM_END:
		return 1;
	case LZMA_MEM_ERROR:
		trace_errf(err, errlen, "xz: out of memory");
		return -1;
	case LZMA_FORMAT_ERROR:
		trace_errf(err, errlen, "not xz data");
		return -1;
	case LZMA_DATA_ERROR:
	case LZMA_OPTIONS_ERROR:
		trace_errf(err, errlen, "corrupt xz data");
		return -1;
	default:
		trace_errf(err, errlen, "xz decoding failed (liblzma error %d)", (int)ret);
		return -1;
	}
}
#endif

#ifdef KMM_HAVE_ZLIB
static int codec_gz(struct trace_codec *c, const unsigned char **in, size_t *in_len,
		    unsigned char *out, size_t out_size, size_t *out_len, bool in_eof, char *err,
		    size_t errlen)
{
	size_t done = 0;

	*out_len = 0;
	while (done < out_size) {
		uInt in_chunk = *in_len > (1u << 30) ? 1u << 30 : (uInt)*in_len;
		uInt out_chunk = out_size - done > (1u << 30) ? 1u << 30 : (uInt)(out_size - done);
		int ret;

		if (c->gz_member_done) {
			/* Another member follows (or the end): skip zero padding as gzip does. */
			while (*in_len && **in == 0) {
				(*in)++;
				(*in_len)--;
			}
			if (!*in_len)
				return in_eof ? 1 : 0;
			if (inflateReset(&c->gz) != Z_OK) {
				trace_errf(err, errlen, "gzip: cannot restart the decoder");
				return -1;
			}
			c->gz_member_done = false;
			in_chunk = *in_len > (1u << 30) ? 1u << 30 : (uInt)*in_len;
		}
		if (!in_chunk) {
			if (in_eof) {
				trace_errf(err, errlen, "gzip data ends too early (truncated file?)");
				return -1;
			}
			return 0;
		}
		c->gz.next_in = (Bytef *)(uintptr_t)*in;
		c->gz.avail_in = in_chunk;
		c->gz.next_out = out + done;
		c->gz.avail_out = out_chunk;
		ret = inflate(&c->gz, Z_NO_FLUSH);
		*in += in_chunk - c->gz.avail_in;
		*in_len -= in_chunk - c->gz.avail_in;
		done += out_chunk - c->gz.avail_out;
		*out_len = done;
		switch (ret) {
		case Z_OK:
			continue;
		case Z_BUF_ERROR:	/* needs more input (or room) */
			if (!*in_len && in_eof) {
				trace_errf(err, errlen, "gzip data ends too early (truncated file?)");
				return -1;
			}
			return 0;
		case Z_STREAM_END:
			c->gz_member_done = true;
			continue;
		case Z_MEM_ERROR:
			trace_errf(err, errlen, "gzip: out of memory");
			return -1;
		default:
			trace_errf(err, errlen, "corrupt gzip data%s%s", c->gz.msg ? ": " : "",
				   c->gz.msg ? c->gz.msg : "");
			return -1;
		}
	}
	return 0;
}
#endif

int trace_codec_run(struct trace_codec *c, const unsigned char **in, size_t *in_len,
		    unsigned char *out, size_t out_size, size_t *out_len, bool in_eof, char *err,
		    size_t errlen)
{
	/* each is used by one of the decoders, perhaps none of them in this build */
	(void)in;
	(void)in_len;
	(void)out;
	(void)out_size;
	(void)in_eof;
	*out_len = 0;
	switch (c->kind) {
	case TRACE_CODEC_XZ:
#ifdef KMM_HAVE_LZMA
		return codec_xz(c, in, in_len, out, out_size, out_len, in_eof, err, errlen);
#else
		break;
#endif
	case TRACE_CODEC_GZIP:
#ifdef KMM_HAVE_ZLIB
		return codec_gz(c, in, in_len, out, out_size, out_len, in_eof, err, errlen);
#else
		break;
#endif
	}
	trace_errf(err, errlen, "no decoder in this build");
	return -1;
}

void trace_codec_free(struct trace_codec *c)
{
	if (!c)
		return;
#ifdef KMM_HAVE_LZMA
	if (c->kind == TRACE_CODEC_XZ)
		lzma_end(&c->xz);
#endif
#ifdef KMM_HAVE_ZLIB
	if (c->kind == TRACE_CODEC_GZIP)
		inflateEnd(&c->gz);
#endif
	free(c);
}
