/*
 * The pickle back end (output.h, RB_FORMAT_PICKLE): Python's pickle protocol
 * 4, giving exactly the objects Python's json.loads gives for the JSON back
 * end's bytes of the same document -- dict, list, str, int, float, True,
 * False, None, keys in order -- so that the Python binding builds them
 * without parsing text. Only opcodes that build plain values are written
 * (never GLOBAL, REDUCE or another that names a class or calls something), so
 * an unpickler whose find_class refuses everything loads it.
 *
 * Layout: PROTO 4, then the document in FRAMEs of at most one output chunk
 * (no opcode spans two frames; a string too long for a frame goes between
 * frames, as Python's pickler writes one), STOP at the end of the last frame.
 * An unpickler reading from a file then reads a frame at once, not each
 * opcode. A collection is EMPTY_DICT / EMPTY_LIST, then, when it has
 * members, MARK before the first and SETITEMS / APPENDS after the last.
 * A key of up to 255 bytes is memoized the first time (MEMOIZE) and fetched
 * from the memo afterwards (BINGET / LONG_BINGET): every dict of a document
 * then shares one str object per key, whose hash Python computes once.
 */
#define _GNU_SOURCE 1 /* newlocale, strtod_l: numbers read in the C locale */

#include <locale.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "core/hash.h"
#include "core/strutil.h"
#include "emit/writer_int.h"
#include "rebalance/errors.h"

/* Opcodes (Python's Lib/pickle.py names). */
enum {
	OP_MARK = '(',
	OP_STOP = '.',
	OP_INT = 'I',
	OP_BININT = 'J',
	OP_BININT1 = 'K',
	OP_BININT2 = 'M',
	OP_NONE = 'N',
	OP_BINFLOAT = 'G',
	OP_BINUNICODE = 'X',
	OP_APPENDS = 'e',
	OP_BINGET = 'h',
	OP_LONG_BINGET = 'j',
	OP_EMPTY_LIST = ']',
	OP_SETITEMS = 'u',
	OP_EMPTY_DICT = '}',
	OP_PROTO = 0x80,
	OP_NEWTRUE = 0x88,
	OP_NEWFALSE = 0x89,
	OP_LONG1 = 0x8a,
	OP_SHORT_BINUNICODE = 0x8c,
	OP_BINUNICODE8 = 0x8d,
	OP_MEMOIZE = 0x94,
	OP_FRAME = 0x95
};

/* FRAME and its 8-byte length, reserved at the start of every chunk. */
#define FRAME_HEAD ((size_t)9)
/* The memo: keys up to this long, at most this many, found within this many probes. */
#define MEMO_KEY_MAX ((size_t)255)
#define MEMO_MAX ((size_t)1 << 12)
#define MEMO_PROBES 64
/* Entries of the cache of keys by address (see rb__wp_key). */
#define RECENT 64

typedef struct memo_slot {
	uint64_t hash;
	uint32_t off, len; /* the key's bytes in keys */
	uint32_t index;    /* its memo index; slot empty when len == UINT32_MAX */
} memo_slot;

/* A key memoized, by the address it was last written from. */
typedef struct recent_key {
	const char *ptr;
	uint32_t off, len, index; /* as in memo_slot */
} recent_key;

struct rb__wp_state {
	size_t frame_at; /* where the current frame's header goes in the chunk */
	recent_key recent[RECENT];
	memo_slot *slots;
	size_t cap, count; /* slots (a power of two), keys memoized */
	char *keys;
	size_t keys_len, keys_cap;
};

static void put_le(unsigned char *o, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		o[i] = (unsigned char)(v >> (8 * i));
}

/* Close the current frame: its header filled in, or dropped when it holds nothing. */
static void seal(rb__writer *w)
{
	rb__wp_state *pk = w->pk;
	size_t body = w->out_len - pk->frame_at - FRAME_HEAD;
	if (!body) {
		w->out_len = pk->frame_at;
		return;
	}
	unsigned char *h = (unsigned char *)w->out + pk->frame_at;
	h[0] = OP_FRAME;
	put_le(h + 1, body, 8);
}

void rb__wp_seal(rb__writer *w)
{
	seal(w);
}

void rb__wp_frame_open(rb__writer *w)
{
	w->pk->frame_at = w->out_len;
	w->out_len += FRAME_HEAD;
}

static int io(rb__writer *w)
{
	return w->err ? w->err : RB_EIO;
}

/* Room for n more bytes in the current frame: the frame sent and a new one opened if needed. */
static inline __attribute__((always_inline)) int room(rb__writer *w, size_t n)
{
	if (n <= RB_W_CHUNK - w->out_len)
		return RB_OK;
	return rb__w_flush(w) ? RB_OK : io(w); /* rb__w_flush opens the next frame */
}

/* One opcode with its argument, n bytes (n <= RB_W_CHUNK - FRAME_HEAD), inside a frame. */
static inline __attribute__((always_inline)) int op(rb__writer *w, const void *p, size_t n)
{
	int rc = room(w, n);
	if (rc)
		return rc;
	rb__copy_short(w->out + w->out_len, p, n);
	w->out_len += n;
	return RB_OK;
}

static inline int op1(rb__writer *w, unsigned char c)
{
	if (w->out_len == RB_W_CHUNK) {
		int rc = room(w, 1);
		if (rc)
			return rc;
	}
	w->out[w->out_len++] = (char)c;
	return RB_OK;
}

int rb__wp_init(rb__writer *w)
{
	rb__wp_state *pk = rb__calloc(w->mem, 1, sizeof *pk);
	if (!pk)
		return RB_ENOMEM;
	w->pk = pk;
	w->out[0] = (char)OP_PROTO;
	w->out[1] = 4;
	w->out_len = 2;
	rb__wp_frame_open(w);
	return RB_OK;
}

void rb__wp_free(rb__writer *w)
{
	rb__wp_state *pk = w->pk;
	if (!pk)
		return;
	rb__free(w->mem, pk->slots);
	rb__free(w->mem, pk->keys);
	rb__free(w->mem, pk);
	w->pk = NULL;
}

int rb__wp_finish(rb__writer *w)
{
	return op1(w, OP_STOP);
}

int rb__wp_coll_begin(rb__writer *w, bool map)
{
	return op1(w, map ? OP_EMPTY_DICT : OP_EMPTY_LIST);
}

int rb__wp_mark(rb__writer *w)
{
	return op1(w, OP_MARK);
}

int rb__wp_coll_end(rb__writer *w, bool map, size_t count)
{
	return count ? op1(w, map ? OP_SETITEMS : OP_APPENDS) : RB_OK;
}

/* Valid UTF-8 (json.loads never gives a str that is not). */
static bool utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	/* The usual case, ASCII: the words OR-ed together, one test. */
	uint64_t any = 0, x;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, p + i, 8);
		any |= x;
	}
	for (; i < n; i++)
		any |= p[i];
	if (!(any & 0x8080808080808080ull))
		return true;
	for (i = 0; i < n;) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = rb__utf8_seq(p + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

/* The header of a str of n bytes; its length. */
static size_t str_head(unsigned char *h, size_t n)
{
	if (n < 256) {
		h[0] = OP_SHORT_BINUNICODE;
		h[1] = (unsigned char)n;
		return 2;
	}
	if (n <= UINT32_MAX) {
		h[0] = OP_BINUNICODE;
		put_le(h + 1, n, 4);
		return 5;
	}
	h[0] = OP_BINUNICODE8;
	put_le(h + 1, n, 8);
	return 9;
}

/*
 * An opcode longer than a frame (its head, n bytes of body, its tail) between
 * two frames, as Python's pickler writes a long str.
 */
static int between_frames(rb__writer *w, const void *h, size_t hn, const char *s, size_t n,
                          const char *tail, size_t tn)
{
	if (!rb__w_flush(w))
		return io(w);
	seal(w); /* the frame rb__w_flush opened is empty: dropped */
	if (w->write(w->ud, h, hn) != 0 || w->write(w->ud, s, n) != 0 ||
	    (tn && w->write(w->ud, tail, tn) != 0)) {
		w->sink_dead = true;
		return RB_EIO;
	}
	rb__wp_frame_open(w);
	return RB_OK;
}

/* A str known to be valid UTF-8. */
static int put_str(rb__writer *w, const char *s, size_t n)
{
	unsigned char h[9];
	size_t hn = str_head(h, n);
	if (n > RB_W_CHUNK - FRAME_HEAD - hn)
		return between_frames(w, h, hn, s, n, "", 0);
	int rc = room(w, hn + n);
	if (rc)
		return rc;
	char *o = w->out + w->out_len;
	rb__copy_short(o, (const char *)h, hn);
	rb__copy_short(o + hn, s, n);
	w->out_len += hn + n;
	return RB_OK;
}

int rb__wp_string(rb__writer *w, const char *s, size_t n)
{
	return utf8_ok(s, n) ? put_str(w, s, n) : RB_EINVAL;
}

/* ---- the memo of keys ---- */

static bool memo_grow(rb__writer *w)
{
	rb__wp_state *pk = w->pk;
	size_t cap = pk->cap ? pk->cap * 2 : 64;
	memo_slot *s = rb__malloc(w->mem, cap * sizeof *s);
	if (!s)
		return false;
	for (size_t i = 0; i < cap; i++)
		s[i].len = UINT32_MAX;
	/* Re-placed in the larger table. A key that lands past MEMO_PROBES slots
	 * from its own is not found again: it is then written in full, never
	 * fetched wrongly. */
	for (size_t i = 0; i < pk->cap; i++) {
		memo_slot *o = &pk->slots[i];
		if (o->len == UINT32_MAX)
			continue;
		for (size_t j = o->hash & (cap - 1);; j = (j + 1) & (cap - 1))
			if (s[j].len == UINT32_MAX) {
				s[j] = *o;
				break;
			}
	}
	rb__free(w->mem, pk->slots);
	pk->slots = s;
	pk->cap = cap;
	return true;
}

/* Copy a key into the memo's text. */
static bool memo_text(rb__writer *w, const char *key, size_t n, uint32_t *off)
{
	rb__wp_state *pk = w->pk;
	if (n > pk->keys_cap - pk->keys_len || !pk->keys) { /* an empty key too: keys not NULL */
		size_t cap = pk->keys_cap ? pk->keys_cap * 2 : 1024;
		while (n > cap - pk->keys_len)
			cap *= 2;
		if (cap > UINT32_MAX)
			return false;
		char *k = rb__realloc(w->mem, pk->keys, cap);
		if (!k)
			return false;
		pk->keys = k;
		pk->keys_cap = cap;
	}
	memcpy(pk->keys + pk->keys_len, key, n);
	*off = (uint32_t)pk->keys_len;
	pk->keys_len += n;
	return true;
}

/* A key fetched from the memo: BINGET / LONG_BINGET. */
static inline __attribute__((always_inline)) int memo_get(rb__writer *w, uint32_t index)
{
	unsigned char o[5];
	if (index < 256) {
		o[0] = OP_BINGET;
		o[1] = (unsigned char)index;
		return op(w, o, 2);
	}
	o[0] = OP_LONG_BINGET;
	put_le(o + 1, index, 4);
	return op(w, o, 5);
}

/* rb__wp_key when the key is not in the cache by address: the memo's table. */
static __attribute__((noinline)) int key_by_text(rb__writer *w, const char *key, size_t n,
                                                 bool plain, recent_key *r)
{
	rb__wp_state *pk = w->pk;
	if (!plain && !utf8_ok(key, n))
		return RB_EINVAL;
	if (n > MEMO_KEY_MAX)
		return put_str(w, key, n);
	/* A table at most half full (grown before), keyed by the context's hash
	 * key, probed at most MEMO_PROBES slots: past those (only keys made to
	 * collide get there), or out of memory for the memo, the key is written
	 * as is. */
	if (pk->count >= pk->cap / 2 && pk->count < MEMO_MAX && !memo_grow(w))
		return put_str(w, key, n);
	if (!pk->cap)
		return put_str(w, key, n);
	uint64_t h = rb__hash(&w->mem->hash_key, key, n);
	size_t mask = pk->cap - 1, j = h & mask;
	for (int probe = 0; probe < MEMO_PROBES; probe++, j = (j + 1) & mask) {
		memo_slot *s = &pk->slots[j];
		if (s->len == UINT32_MAX) {
			uint32_t off;
			if (pk->count >= MEMO_MAX || pk->count >= pk->cap / 2 ||
			    !memo_text(w, key, n, &off))
				break;
			int rc = put_str(w, key, n);
			if (!rc)
				rc = op1(w, OP_MEMOIZE);
			if (rc)
				return rc;
			*s = (memo_slot){h, off, (uint32_t)n, (uint32_t)pk->count++};
			*r = (recent_key){key, off, (uint32_t)n, s->index};
			return RB_OK;
		}
		if (s->hash == h && s->len == n && rb__eq_short(pk->keys + s->off, key, n)) {
			*r = (recent_key){key, s->off, (uint32_t)n, s->index};
			return memo_get(w, s->index);
		}
	}
	return put_str(w, key, n);
}

int rb__wp_key(rb__writer *w, const char *key, size_t n, bool plain)
{
	rb__wp_state *pk = w->pk;
	/* The usual case: the key was written from this address before (the
	 * literal keys of the IR). Its text is compared all the same: an address
	 * may hold another key by now. */
	recent_key *r = &pk->recent[((uintptr_t)key ^ (uintptr_t)key >> 7) % RECENT];
	if (r->ptr == key && r->len == n && rb__eq_short(pk->keys + r->off, key, n))
		return memo_get(w, r->index);
	return key_by_text(w, key, n, plain, r);
}

/* ---- scalars ---- */

int rb__wp_bool(rb__writer *w, bool v)
{
	return op1(w, v ? OP_NEWTRUE : OP_NEWFALSE);
}

int rb__wp_null(rb__writer *w)
{
	return op1(w, OP_NONE);
}

int rb__wp_int(rb__writer *w, int64_t v)
{
	unsigned char o[10];
	size_t n;
	if (v >= 0 && v < 256) {
		o[0] = OP_BININT1;
		o[1] = (unsigned char)v;
		n = 2;
	} else if (v >= 0 && v < 65536) {
		o[0] = OP_BININT2;
		put_le(o + 1, (uint64_t)v, 2);
		n = 3;
	} else if (v >= INT32_MIN && v <= INT32_MAX) {
		o[0] = OP_BININT;
		put_le(o + 1, (uint64_t)v, 4);
		n = 5;
	} else {
		/* LONG1: the fewest little-endian two's complement bytes. */
		put_le(o + 2, (uint64_t)v, 8);
		size_t k = 8;
		unsigned char fill = v < 0 ? 0xFF : 0x00;
		while (k > 1 && o[2 + k - 1] == fill && ((o[2 + k - 2] ^ fill) & 0x80) == 0)
			k--;
		o[0] = OP_LONG1;
		o[1] = (unsigned char)k;
		n = 2 + k;
	}
	return op(w, o, n);
}

int rb__wp_uint(rb__writer *w, uint64_t v)
{
	if (v <= INT64_MAX)
		return rb__wp_int(w, (int64_t)v);
	/* 2^63 and above: LONG1 of 9 bytes, the last 0 (positive). */
	unsigned char o[11] = {OP_LONG1, 9};
	put_le(o + 2, v, 8);
	o[10] = 0;
	return op(w, o, sizeof o);
}

/* The C locale, made once (strtod alone reads the caller's decimal point). */
static locale_t c_locale(void)
{
	static _Atomic(locale_t) loc;
	locale_t l = atomic_load(&loc);
	if (l)
		return l;
	locale_t made = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (!made)
		return (locale_t)0;
	locale_t none = (locale_t)0;
	if (!atomic_compare_exchange_strong(&loc, &none, made)) {
		freelocale(made);
		return none;
	}
	return made;
}

/* BINFLOAT of a JSON float token: the double Python's float() reads (1e999 is inf). */
static int put_float(rb__writer *w, const char *text, size_t n)
{
	char small[64], *buf = small;
	if (n >= sizeof small) {
		buf = rb__malloc(w->mem, n + 1);
		if (!buf)
			return RB_ENOMEM;
	}
	memcpy(buf, text, n);
	buf[n] = '\0';
	locale_t loc = c_locale();
	double d = loc ? strtod_l(buf, NULL, loc) : 0.0;
	if (buf != small)
		rb__free(w->mem, buf);
	if (!loc)
		return RB_ENOMEM;
	uint64_t bits;
	memcpy(&bits, &d, 8);
	unsigned char o[9] = {OP_BINFLOAT};
	for (int i = 0; i < 8; i++)
		o[1 + i] = (unsigned char)(bits >> (56 - 8 * i));
	return op(w, o, sizeof o);
}

int rb__wp_number(rb__writer *w, const char *text, size_t n)
{
	if (!rb__json_number_ok(text, n))
		return rb__wp_string(w, text, n); /* as the JSON back end: a string */
	if (memchr(text, '.', n) || memchr(text, 'e', n) || memchr(text, 'E', n))
		return put_float(w, text, n);
	/* An int: up to 18 digits fit int64; longer ones go as INT's decimal text,
	 * which reads any size (never "00"/"01", INT's spellings of False/True,
	 * nor "-0": a JSON int has no leading zero, and those are short). */
	bool neg = text[0] == '-';
	if (n - neg <= 18) {
		int64_t v = 0;
		for (size_t i = neg; i < n; i++)
			v = v * 10 + (text[i] - '0');
		return rb__wp_int(w, neg ? -v : v);
	}
	const unsigned char head = OP_INT;
	if (n + 2 > RB_W_CHUNK - FRAME_HEAD)
		return between_frames(w, &head, 1, text, n, "\n", 1);
	int rc = room(w, n + 2);
	if (rc)
		return rc;
	char *o = w->out + w->out_len;
	o[0] = OP_INT;
	memcpy(o + 1, text, n);
	o[n + 1] = '\n';
	w->out_len += n + 2;
	return RB_OK;
}
