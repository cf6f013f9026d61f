/*
 * The writer's common part: argument and state checks (which call is legal
 * where), sticky errors, the output chunk and the sink. The back ends
 * (writer_yaml.c, writer_json.c, writer_pickle.c) only turn a legal call
 * into bytes.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/invariant.h"
#include "core/strutil.h"
#include "emit/writer_int.h"
#include "load/yaml_scalar.h"
#include "rebalance/errors.h"

static int fail(rb__writer *w, int rc)
{
	if (!w->err)
		w->err = rc;
	return w->err;
}

bool rb__w_flush(rb__writer *w)
{
	if (w->sink_dead)
		return false;
	bool pickle = w->format == RB_FORMAT_PICKLE;
	if (pickle)
		rb__wp_seal(w);
	if (w->out_len) {
		w->flushes++;
		if (w->write(w->ud, w->out, w->out_len) != 0) {
			w->sink_dead = true;
			w->out_len = 0;
			fail(w, RB_EIO);
			return false;
		}
		w->out_len = 0;
	}
	if (pickle)
		rb__wp_frame_open(w);
	return true;
}

bool rb__w_out_slow(rb__writer *w, const char *p, size_t n)
{
	while (n) {
		if (w->sink_dead)
			return false;
		size_t room = RB_W_CHUNK - w->out_len;
		if (room == 0) {
			if (!rb__w_flush(w))
				return false;
			continue;
		}
		size_t k = n < room ? n : room;
		memcpy(w->out + w->out_len, p, k);
		w->out_len += k;
		p += k;
		n -= k;
	}
	return !w->sink_dead;
}

int rb__writer_new(rb__writer **out, const rb__mem *mem, rb_format format, rb_write_fn write,
                   void *ud)
{
	if (!out)
		return RB_EINVAL;
	*out = NULL;
	if (!mem || !write ||
	    (format != RB_FORMAT_YAML && format != RB_FORMAT_JSON && format != RB_FORMAT_PICKLE))
		return RB_EINVAL;
	rb__writer *w = rb__calloc(mem, 1, sizeof *w);
	if (!w)
		return RB_ENOMEM;
	w->mem = mem;
	w->format = format;
	w->write = write;
	w->ud = ud;
	w->out = rb__malloc(mem, RB_W_CHUNK);
	if (!w->out) {
		rb__writer_free(w);
		return RB_ENOMEM;
	}
	if (format != RB_FORMAT_JSON) {
		int rc = format == RB_FORMAT_YAML ? rb__wy_init(w) : rb__wp_init(w);
		if (rc) {
			rb__writer_free(w);
			return rc;
		}
	}
	*out = w;
	return RB_OK;
}

void rb__writer_free(rb__writer *w)
{
	if (!w)
		return;
	if (w->yaml_init)
		rb__wy_free(w);
	rb__wp_free(w);
	rb__free(w->mem, w->stack);
	rb__free(w->mem, w->out);
	rb__free(w->mem, w);
}

int rb__writer_finish(rb__writer *w)
{
	if (!w)
		return RB_EINVAL;
	if (w->err || w->finished)
		return w->err;
	if (w->depth || !w->root_done)
		return fail(w, RB_EINVAL);
	w->finished = true;
	int rc = w->format == RB_FORMAT_YAML   ? rb__wy_finish(w)
	         : w->format == RB_FORMAT_JSON ? rb__wj_finish(w)
	                                       : rb__wp_finish(w);
	if (rc)
		return fail(w, rc);
	if (!rb__w_flush(w))
		return w->err;
	return RB_OK;
}

/* ---- state machine ---- */

static w_frame *top(rb__writer *w)
{
	return w->depth ? &w->stack[w->depth - 1] : NULL;
}

/* Checks before a value (scalar or collection); for JSON, the separator before a sequence item. */
static int value_begin(rb__writer *w)
{
	if (w->err)
		return w->err;
	if (w->finished)
		return fail(w, RB_EINVAL);
	w_frame *t = top(w);
	if (!t)
		return w->root_done ? fail(w, RB_EINVAL) : RB_OK;
	if (t->kind == W_MAP)
		return t->want_value ? RB_OK : fail(w, RB_EINVAL);
	if (w->format != RB_FORMAT_YAML) {
		int rc = w->format == RB_FORMAT_JSON ? rb__wj_begin_member(w)
		         : t->count                  ? RB_OK
		                                     : rb__wp_mark(w);
		if (rc)
			return fail(w, rc);
	}
	t->count++;
	return RB_OK;
}

/* After a complete value: the enclosing map wants a key again, or the root is done. */
static void value_end(rb__writer *w)
{
	w_frame *t = top(w);
	if (!t)
		w->root_done = true;
	else if (t->kind == W_MAP)
		t->want_value = false;
}

/*
 * JSON, a collection as a member or item, room in the stack and the chunk:
 * separator and bracket in one copy, the checks of value_begin done inline.
 * false (nothing done) otherwise.
 */
static bool coll_begin_json(rb__writer *w, bool map, bool flow)
{
	w_frame *t = top(w);
	if (w->err || w->finished || !t || w->depth == w->stack_cap ||
	    (t->kind == W_MAP && !t->want_value))
		return false;
	const char *sep = "";
	size_t seplen = 0;
	if (t->kind == W_SEQ && !rb__wj_sep(w, &sep, &seplen))
		return false;
	if (seplen + 1 > RB_W_CHUNK - w->out_len)
		return false;
	char *o = w->out + w->out_len;
	rb__copy_short(o, sep, seplen);
	o[seplen] = map ? '{' : '[';
	w->out_len += seplen + 1;
	if (t->kind == W_SEQ)
		t->count++;
	w_frame *f = &w->stack[w->depth++];
	f->kind = map ? W_MAP : W_SEQ;
	f->flow = flow || t->flow;
	f->want_value = false;
	f->count = 0;
	return true;
}

static int coll_begin(rb__writer *w, bool map, bool flow)
{
	if (!w)
		return RB_EINVAL;
	if (w->format == RB_FORMAT_JSON && coll_begin_json(w, map, flow))
		return RB_OK;
	int rc = value_begin(w);
	if (rc)
		return rc;
	w_frame *t = top(w);
	bool eff = flow || (t && t->flow);
	if (w->depth == w->stack_cap) {
		size_t cap = w->stack_cap ? w->stack_cap * 2 : 16, bytes;
		if (!rb__mul_size(cap, sizeof *w->stack, &bytes))
			return fail(w, RB_ENOMEM);
		w_frame *s = rb__realloc(w->mem, w->stack, bytes);
		if (!s)
			return fail(w, RB_ENOMEM);
		w->stack = s;
		w->stack_cap = cap;
	}
	rc = w->format == RB_FORMAT_YAML   ? rb__wy_coll_begin(w, map, eff)
	     : w->format == RB_FORMAT_JSON ? rb__wj_coll_begin(w, map)
	                                   : rb__wp_coll_begin(w, map);
	if (rc)
		return fail(w, rc);
	w_frame *f = &w->stack[w->depth++];
	f->kind = map ? W_MAP : W_SEQ;
	f->flow = eff;
	f->want_value = false;
	f->count = 0;
	return RB_OK;
}

static int coll_end(rb__writer *w, bool map)
{
	if (!w)
		return RB_EINVAL;
	if (w->err)
		return w->err;
	w_frame *t = top(w);
	if (w->finished || !t || t->kind != (map ? W_MAP : W_SEQ) || t->want_value)
		return fail(w, RB_EINVAL);
	/* JSON: a line break and the indentation when block and not empty, then the bracket. */
	static const char nl[] = "\n                                "
	                         "                                ";
	size_t ind = !t->flow && t->count ? 1 + (w->depth - 1) * 2 : 0;
	int rc;
	if (w->format == RB_FORMAT_JSON && ind < sizeof nl && ind + 1 <= RB_W_CHUNK - w->out_len) {
		char *o = w->out + w->out_len;
		rb__copy_short(o, nl, ind);
		o[ind] = map ? '}' : ']';
		w->out_len += ind + 1;
		rc = RB_OK;
	} else {
		rc = w->format == RB_FORMAT_YAML   ? rb__wy_coll_end(w, map)
		     : w->format == RB_FORMAT_JSON ? rb__wj_coll_end(w, map)
		                                   : rb__wp_coll_end(w, map, t->count);
	}
	if (rc)
		return fail(w, rc);
	w->depth--;
	value_end(w);
	return RB_OK;
}

int rb__w_map_begin(rb__writer *w, bool flow)
{
	return coll_begin(w, true, flow);
}

int rb__w_map_end(rb__writer *w)
{
	return coll_end(w, true);
}

int rb__w_seq_begin(rb__writer *w, bool flow)
{
	return coll_begin(w, false, flow);
}

int rb__w_seq_end(rb__writer *w)
{
	return coll_end(w, false);
}

/* A string scalar, as a key or a value (the checks are done). */
static int put_string(rb__writer *w, const char *s, size_t n)
{
	if (w->format == RB_FORMAT_JSON)
		return rb__wj_string(w, s, n);
	if (w->format == RB_FORMAT_PICKLE)
		return rb__wp_string(w, s, n);
	int cls = rb__yaml_classify(s, n);
	if (cls < 0)
		return RB_EINVAL;
	return rb__wy_scalar(w, s, n, cls > 0);
}

int rb__w_keyn(rb__writer *w, const char *key, size_t n)
{
	return rb__w_key_known(w, key, n, false);
}

int rb__w_key_known(rb__writer *w, const char *key, size_t n, bool plain)
{
	if (!w)
		return RB_EINVAL;
	if (w->err)
		return w->err;
	w_frame *t = top(w);
	if (w->finished || !key || !t || t->kind != W_MAP || t->want_value)
		return fail(w, RB_EINVAL);
	int rc;
	const char *sep;
	size_t seplen;
	if (w->format == RB_FORMAT_JSON && rb__wj_sep(w, &sep, &seplen) && n < RB_W_CHUNK &&
	    seplen + n + 4 <= RB_W_CHUNK - w->out_len && (plain || rb__w_plain_ascii(key, n))) {
		/* The usual case: `sep"key": ` in one copy. */
		char *o = w->out + w->out_len;
		rb__copy_short(o, sep, seplen);
		o += seplen;
		*o++ = '"';
		rb__copy_short(o, key, n);
		memcpy(o + n, "\": ", 3);
		w->out_len += seplen + n + 4;
		rc = RB_OK;
	} else if (w->format == RB_FORMAT_JSON) {
		rc = rb__wj_begin_member(w);
		if (!rc)
			rc = rb__wj_key(w, key, n);
	} else if (w->format == RB_FORMAT_PICKLE) {
		rc = t->count ? RB_OK : rb__wp_mark(w);
		if (!rc)
			rc = rb__wp_key(w, key, n, plain);
	} else {
		rc = put_string(w, key, n);
	}
	if (rc)
		return fail(w, rc);
	t->count++;
	t->want_value = true;
	return RB_OK;
}

int rb__w_strn(rb__writer *w, const char *s, size_t n)
{
	if (!w)
		return RB_EINVAL;
	int rc = value_begin(w);
	if (rc)
		return rc;
	if (!s)
		return fail(w, RB_EINVAL);
	rc = put_string(w, s, n);
	if (rc)
		return fail(w, rc);
	value_end(w);
	return RB_OK;
}

/* The generic path of rb__w_flow_map. */
static int flow_map_calls(rb__writer *w, const rb__w_field *f, size_t n)
{
	RB_TRY(rb__w_map_begin(w, true));
	for (size_t i = 0; i < n; i++) {
		RB_TRY(rb__w_key_known(w, f[i].key, f[i].key_len, f[i].key_plain));
		switch (f[i].type) {
		case RB_WF_STR:
			RB_TRY(rb__w_str(w, f[i].s));
			break;
		case RB_WF_UINT:
			RB_TRY(rb__w_uint(w, f[i].u));
			break;
		case RB_WF_INT:
			RB_TRY(rb__w_int(w, f[i].i));
			break;
		case RB_WF_TRUE:
		case RB_WF_FALSE:
			RB_TRY(rb__w_bool(w, f[i].type == RB_WF_TRUE));
			break;
		default:
			RB_NOT_REACHED("a field kind of rb__wfield");
			return fail(w, RB_EINVAL);
		}
	}
	return rb__w_map_end(w);
}

/*
 * The JSON bytes of a flow mapping, in one pass: written in place past the
 * chunk's end mark, which moves only once all of it fit and every string was
 * plain; false (nothing written) otherwise.
 */
static bool flow_map_json(rb__writer *w, w_frame *t, const rb__w_field *f, size_t n)
{
	const char *sep = "";
	size_t seplen = 0;
	if (t->kind == W_SEQ && !rb__wj_sep(w, &sep, &seplen))
		return false;
	char *o = w->out + w->out_len, *end = w->out + RB_W_CHUNK;
	if ((size_t)(end - o) < seplen + 2)
		return false;
	rb__copy_short(o, sep, seplen);
	o += seplen;
	*o++ = '{';
	for (size_t i = 0; i < n; i++) {
		size_t klen = f[i].key_len;
		if (!f[i].key || !(f[i].key_plain || rb__w_plain_ascii(f[i].key, klen)))
			return false;
		/* `, "key": ` and a token of up to 20 digits, a sign and the NUL rb__fmt_* adds. */
		if ((size_t)(end - o) < klen + 32)
			return false;
		if (i) {
			*o++ = ',';
			*o++ = ' ';
		}
		*o++ = '"';
		rb__copy_short(o, f[i].key, klen);
		o += klen;
		memcpy(o, "\": ", 3);
		o += 3;
		switch (f[i].type) {
		case RB_WF_STR: {
			if (!f[i].s)
				return false;
			size_t len = strlen(f[i].s);
			if (!rb__w_plain_ascii(f[i].s, len) || (size_t)(end - o) < len + 3)
				return false;
			*o++ = '"';
			rb__copy_short(o, f[i].s, len);
			o += len;
			*o++ = '"';
			break;
		}
		case RB_WF_UINT:
			o += rb__fmt_u64(o, f[i].u);
			break;
		case RB_WF_INT:
			o += rb__fmt_i64(o, f[i].i);
			break;
		case RB_WF_TRUE:
			memcpy(o, "true", 4);
			o += 4;
			break;
		case RB_WF_FALSE:
			memcpy(o, "false", 5);
			o += 5;
			break;
		default:
			RB_NOT_REACHED("a field kind of rb__wfield");
			return false;
		}
	}
	if (o == end)
		return false;
	*o++ = '}';
	w->out_len = (size_t)(o - w->out);
	return true;
}

/*
 * The pickle of a flow mapping as one value, the state checked once: `}(`,
 * the keys and values, `u`. The caller checked the state; rc of the first
 * failure.
 */
static int flow_map_pickle(rb__writer *w, w_frame *t, const rb__w_field *f, size_t n)
{
	if (t->kind == W_SEQ && !t->count)
		RB_TRY(rb__wp_mark(w));
	RB_TRY(rb__wp_coll_begin(w, true));
	for (size_t i = 0; i < n; i++) {
		if (!f[i].key)
			return RB_EINVAL;
		RB_TRY(i ? RB_OK : rb__wp_mark(w));
		RB_TRY(rb__wp_key(w, f[i].key, f[i].key_len, f[i].key_plain));
		switch (f[i].type) {
		case RB_WF_STR:
			RB_TRY(f[i].s ? rb__wp_string(w, f[i].s, strlen(f[i].s)) : RB_EINVAL);
			break;
		case RB_WF_UINT:
			RB_TRY(rb__wp_uint(w, f[i].u));
			break;
		case RB_WF_INT:
			RB_TRY(rb__wp_int(w, f[i].i));
			break;
		case RB_WF_TRUE:
		case RB_WF_FALSE:
			RB_TRY(rb__wp_bool(w, f[i].type == RB_WF_TRUE));
			break;
		default:
			RB_NOT_REACHED("a field kind of rb__wfield");
			return RB_EINVAL;
		}
	}
	return rb__wp_coll_end(w, true, n);
}

int rb__w_flow_map(rb__writer *w, const rb__w_field *f, size_t n)
{
	if (!w || (!f && n))
		return RB_EINVAL;
	w_frame *t = top(w);
	if (!w->err && !w->finished && w->format == RB_FORMAT_PICKLE && t &&
	    (t->kind == W_SEQ || t->want_value)) {
		int rc = flow_map_pickle(w, t, f, n);
		if (rc)
			return fail(w, rc);
		if (t->kind == W_SEQ)
			t->count++;
		value_end(w);
		return RB_OK;
	}
	if (!w->err && !w->finished && w->format == RB_FORMAT_JSON && t &&
	    (t->kind == W_SEQ || t->want_value) && flow_map_json(w, t, f, n)) {
		if (t->kind == W_SEQ)
			t->count++;
		value_end(w);
		return RB_OK;
	}
	return flow_map_calls(w, f, n);
}

int rb__w_kv_strn(rb__writer *w, const char *key, size_t klen, bool key_plain, const char *s,
                  size_t n)
{
	if (!w)
		return RB_EINVAL;
	w_frame *t = top(w);
	const char *sep;
	size_t seplen;
	/* JSON, plain text, room in the chunk: `sep"key": "s"` in one go, no second checks. */
	if (!w->err && !w->finished && w->format == RB_FORMAT_JSON && key && s && t &&
	    t->kind == W_MAP && !t->want_value && rb__wj_sep(w, &sep, &seplen) &&
	    klen < RB_W_CHUNK && n < RB_W_CHUNK &&
	    seplen + klen + n + 6 <= RB_W_CHUNK - w->out_len &&
	    (key_plain || rb__w_plain_ascii(key, klen)) && rb__w_plain_ascii(s, n)) {
		char *o = w->out + w->out_len;
		rb__copy_short(o, sep, seplen);
		o += seplen;
		*o++ = '"';
		rb__copy_short(o, key, klen);
		o += klen;
		memcpy(o, "\": \"", 4);
		o += 4;
		rb__copy_short(o, s, n);
		o[n] = '"';
		w->out_len += seplen + klen + n + 6;
		t->count++;
		return RB_OK;
	}
	/* Pickle: the key and its string, the state checked once. */
	if (!w->err && !w->finished && w->format == RB_FORMAT_PICKLE && key && s && t &&
	    t->kind == W_MAP && !t->want_value) {
		int rc = t->count ? RB_OK : rb__wp_mark(w);
		if (!rc)
			rc = rb__wp_key(w, key, klen, key_plain);
		if (!rc)
			rc = rb__wp_string(w, s, n);
		if (rc)
			return fail(w, rc);
		t->count++;
		return RB_OK;
	}
	int rc = rb__w_key_known(w, key, klen, key_plain);
	return rc ? rc : rb__w_strn(w, s, n);
}

/* After a back end wrote a value (rc its result): the error made sticky, or the value done. */
static int value_done(rb__writer *w, int rc)
{
	if (rc)
		return fail(w, rc);
	value_end(w);
	return RB_OK;
}

/* A token written as is: plain in YAML, bare in JSON (numbers, true, false, null). */
static int put_token(rb__writer *w, const char *s, size_t n)
{
	int rc = value_begin(w);
	if (rc)
		return rc;
	rc = w->format == RB_FORMAT_YAML ? rb__wy_scalar(w, s, n, true) : rb__wj_raw(w, s, n);
	if (rc)
		return fail(w, rc);
	value_end(w);
	return RB_OK;
}

int rb__w_uint(rb__writer *w, uint64_t v)
{
	if (!w)
		return RB_EINVAL;
	if (w->format == RB_FORMAT_PICKLE) {
		int rc = value_begin(w);
		return rc ? rc : value_done(w, rb__wp_uint(w, v));
	}
	char tmp[24];
	size_t n = rb__fmt_u64(tmp, v);
	return put_token(w, tmp, n);
}

int rb__w_int(rb__writer *w, int64_t v)
{
	if (!w)
		return RB_EINVAL;
	if (w->format == RB_FORMAT_PICKLE) {
		int rc = value_begin(w);
		return rc ? rc : value_done(w, rb__wp_int(w, v));
	}
	char tmp[24];
	size_t n = rb__fmt_i64(tmp, v);
	return put_token(w, tmp, n);
}

int rb__w_bool(rb__writer *w, bool v)
{
	if (!w)
		return RB_EINVAL;
	if (w->format == RB_FORMAT_PICKLE) {
		int rc = value_begin(w);
		return rc ? rc : value_done(w, rb__wp_bool(w, v));
	}
	return v ? put_token(w, "true", 4) : put_token(w, "false", 5);
}

int rb__w_null(rb__writer *w)
{
	if (!w)
		return RB_EINVAL;
	if (w->format == RB_FORMAT_PICKLE) {
		int rc = value_begin(w);
		return rc ? rc : value_done(w, rb__wp_null(w));
	}
	return put_token(w, "null", 4);
}

static bool yaml_reads_number(const char *text, size_t n)
{
	rb__scalar_type t = rb__yaml_resolve_plain(text, n);
	return t == RB_SCALAR_INT || t == RB_SCALAR_FLOAT;
}

int rb__w_number(rb__writer *w, const char *text, size_t n)
{
	if (!w)
		return RB_EINVAL;
	if (!text) {
		int rc = value_begin(w);
		return rc ? rc : fail(w, RB_EINVAL);
	}
	if (w->format == RB_FORMAT_PICKLE) {
		int rc = value_begin(w);
		return rc ? rc : value_done(w, rb__wp_number(w, text, n));
	}
	/* JSON number syntax is a subset of the YAML 1.2 core int and float forms.
	 * In YAML the text must also read back as a number the way go-yaml reads it
	 * (load/yaml_scalar.h): a float past float64's range, or a number longer
	 * than RB_YAML_NUMBER_MAX bytes, reads as a string, so it is written as one
	 * and the document reads back as it was written. */
	bool plain = w->format == RB_FORMAT_JSON
	                 ? rb__json_number_ok(text, n)
	                 : rb__yaml_number_ok(text, n) && yaml_reads_number(text, n);
	if (plain)
		return put_token(w, text, n);
	return rb__w_strn(w, text, n);
}

/* ---- memos ---- */

/* The mapping whose member's value may be memoized -- JSON, no error -- after its key (before the
 * value: after_key) or after the value; NULL when there is none. */
static w_frame *memo_frame(const rb__writer *w, bool after_key)
{
	w_frame *t = w->depth ? &w->stack[w->depth - 1] : NULL;
	if (w->format != RB_FORMAT_JSON || w->err || w->finished || !t || t->kind != W_MAP ||
	    t->want_value != after_key)
		return NULL;
	return t;
}

bool rb__w_memo_put(rb__writer *w, const rb__w_memo *m, const void *key, size_t n)
{
	const w_frame *t = memo_frame(w, true);
	if (!t || !key || m->key != key || m->n != n || m->depth != w->depth || m->flow != t->flow ||
	    m->len > RB_W_CHUNK - w->out_len)
		return false;
	memcpy(w->out + w->out_len, m->text, m->len);
	w->out_len += m->len;
	value_end(w);
	return true;
}

rb__w_memo_start rb__w_memo_begin(const rb__writer *w)
{
	rb__w_memo_start s = {w->out_len, w->flushes, w->depth};
	return s;
}

void rb__w_memo_keep(const rb__writer *w, rb__w_memo *m, rb__w_memo_start s, const void *key,
                     size_t n)
{
	/* The value is complete (its mapping wants a key again), and all of it is in the chunk. */
	const w_frame *t = memo_frame(w, false);
	if (!t || !key || w->depth != s.depth || w->flushes != s.flushes || w->out_len < s.pos ||
	    w->out_len - s.pos > sizeof m->text)
		return;
	m->key = key;
	m->n = n;
	m->depth = s.depth;
	m->flow = t->flow;
	m->len = w->out_len - s.pos;
	memcpy(m->text, w->out + s.pos, m->len);
}
