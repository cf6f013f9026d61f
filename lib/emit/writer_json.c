/*
 * The JSON back end (docs/conventions.md, Output): our own, laid out like the YAML.
 * Block collections put one member per line, indented by 2 spaces per level;
 * flow collections stay on one line with ", " between members; an empty
 * collection is `{}` / `[]`. Strings escape `"`, `\` and control characters
 * (\b \f \n \r \t, else \u00XX; DEL too) and pass other UTF-8 through.
 * Everything is appended to the output chunk: no allocation, no printf.
 */
#include <stdint.h>
#include <string.h>

#include "emit/writer_int.h"
#include "rebalance/errors.h"

static const char spaces[] = "                                                                ";

static bool indent(rb__writer *w, size_t depth)
{
	size_t n = depth * 2;
	while (n) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		if (!w_out(w, spaces, k))
			return false;
		n -= k;
	}
	return true;
}

static int io(rb__writer *w, bool ok)
{
	return ok ? RB_OK : w->err ? w->err : RB_EIO;
}

/* ",\n" and 2 spaces per level, in one copy for the usual depths. */
static const char sep_nl[] = ",\n                                                                ";

int rb__wj_begin_member(rb__writer *w)
{
	const w_frame *t = &w->stack[w->depth - 1];
	if (t->flow)
		return t->count ? io(w, w_out(w, ", ", 2)) : RB_OK;
	size_t skip = t->count ? 0 : 1; /* the first member has no comma */
	if (w->depth * 2 + 2 <= sizeof sep_nl - 1)
		return io(w, w_out(w, sep_nl + skip, 2 - skip + w->depth * 2));
	if (t->count && !w_out(w, ",", 1))
		return io(w, false);
	return io(w, w_out(w, "\n", 1) && indent(w, w->depth));
}

int rb__wj_coll_begin(rb__writer *w, bool map)
{
	return io(w, w_out(w, map ? "{" : "[", 1));
}

int rb__wj_coll_end(rb__writer *w, bool map)
{
	const w_frame *t = &w->stack[w->depth - 1];
	if (!t->flow && t->count && !(w_out(w, "\n", 1) && indent(w, w->depth - 1)))
		return io(w, false);
	return io(w, w_out(w, map ? "}" : "]", 1));
}

int rb__wj_raw(rb__writer *w, const char *s, size_t n)
{
	return io(w, w_out(w, s, n));
}

int rb__wj_finish(rb__writer *w)
{
	return io(w, w_out(w, "\n", 1));
}

/* 0: copy as is; 1: escape; 2: first byte of a UTF-8 sequence (validate). */
static const unsigned char jclass[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20: '"' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50: '\\' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, /* 0x70: DEL */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0x80.. */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static const char hexdig[] = "0123456789abcdef";

/* `"s"` plus `tail` (tail_len bytes) in one copy when s is plain ASCII and fits. */
static inline bool quoted_fast(rb__writer *w, const char *s, size_t n, const char *tail, size_t tail_len)
{
	if (n + 2 + tail_len > RB_W_CHUNK - w->out_len || !rb__w_plain_ascii(s, n))
		return false;
	char *o = w->out + w->out_len;
	o[0] = '"';
	memcpy(o + 1, s, n);
	o[n + 1] = '"';
	for (size_t i = 0; i < tail_len; i++)
		o[n + 2 + i] = tail[i];
	w->out_len += n + 2 + tail_len;
	return true;
}

int rb__wj_key(rb__writer *w, const char *s, size_t n)
{
	if (quoted_fast(w, s, n, ": ", 2))
		return RB_OK;
	int rc = rb__wj_string(w, s, n);
	return rc ? rc : rb__wj_raw(w, ": ", 2);
}

int rb__wj_string(rb__writer *w, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	/* The usual case, in one copy: printable ASCII that fits in the chunk. */
	if (quoted_fast(w, s, n, "", 0))
		return RB_OK;
	if (!w_out(w, "\"", 1))
		return io(w, false);
	size_t i = 0;
	while (i < n) {
		/* The longest run that needs no escape (validated UTF-8 included). */
		size_t j = i;
		for (;;) {
			while (j < n && jclass[p[j]] == 0)
				j++;
			if (j < n && jclass[p[j]] == 2) {
				size_t k = rb__utf8_seq(p + j, n - j);
				if (!k)
					return RB_EINVAL;
				j += k;
				continue;
			}
			break;
		}
		if (j > i && !w_out(w, s + i, j - i))
			return io(w, false);
		if (j == n)
			break;
		unsigned char c = p[j];
		char esc[6] = {'\\', 0, 0, 0, 0, 0};
		size_t len = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hexdig[c >> 4];
			esc[5] = hexdig[c & 15];
			len = 6;
			break;
		}
		if (!w_out(w, esc, len))
			return io(w, false);
		i = j + 1;
	}
	return io(w, w_out(w, "\"", 1));
}
