/*
 * JSON through cJSON (docs/conventions.md, Input).
 *
 * 1. A cheap pre-scan bounds the nesting (limits->depth, and cJSON's own
 *    1000), so that the limit is ours, with a location, before cJSON recurses,
 *    and the number of nodes (limits->nodes), before cJSON allocates them
 *    (that error has a location but no path).
 * 2. The outer levels of the document (the root and its children: the
 *    testdata layout's lists, a List's items, a root array) are read by a
 *    small scanner of ours; every value at depth STREAM_DEPTH is parsed by
 *    cJSON_ParseWithLengthOpts on its own, converted, and freed before the
 *    next one is read. So cJSON never holds more than one such subtree (one
 *    resource object, or a part of one): memory is bounded by the largest
 *    object, as with YAML, and each object is handed to the sink as soon as
 *    it is complete. A syntax error cJSON finds is reported at
 *    return_parse_end; one the outer scanner finds, the same way
 *    ("invalid JSON near ..."). The text is a stream of values, one
 *    document each (see convert).
 * 3. Each cJSON subtree is walked in document order (cJSON keeps member
 *    order, and duplicate members) while a small scanner walks the original
 *    text in lockstep: each value gets its line, column and byte offset,
 *    numbers keep their token text, and the raw text is checked where cJSON
 *    is lax or lossy: whitespace other than space, tab, CR and LF, raw
 *    control characters and ill-formed UTF-8 in strings, `\u0000` (which
 *    cJSON truncates at), and numbers outside the JSON grammar (`01`, `1.`).
 *    The outer scanner applies the same checks. Everything goes through the
 *    shared builder (builder.h), which adds duplicate keys, limits and the
 *    layouts.
 *
 * cJSON allocates with malloc (its hooks are process-global, so they are
 * never installed: a host program may have set its own); each subtree is
 * freed as soon as it is converted. cJSON returns NULL both for a syntax
 * error and for a failed allocation; malloc sets errno to ENOMEM when it
 * fails (POSIX) and nothing else cJSON calls does, so errno, cleared before
 * the call, tells them apart: RB_ENOMEM, never "invalid JSON", for a failed
 * allocation (cjson_out_of_memory).
 *
 * No scalar handed to the builder can hold a NUL byte (raw control
 * characters and \u0000 are refused above, and a decoded string is measured
 * with strlen), so the builder is told not to look for one (RB_LD_NO_NUL).
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "load/builder.h"
#include "load/load.h"
#include "load/text.h"

enum { CJSON_DEPTH = 1000 }; /* CJSON_NESTING_LIMIT of the Debian build */

/* Values this deep (the root is 0) are parsed by cJSON one at a time (see 2. above). */
enum { STREAM_DEPTH = 2 };

typedef struct js {
	rb__ld b;
	const unsigned char *s;
	size_t n, pos;
	uint32_t line, col;
	rb__vec stack; /* js_frame */
} js;

typedef struct js_frame {
	const cJSON *next; /* the next member or item to convert */
	bool obj;
	bool first;
} js_frame;

static rb__ld_loc here(const js *j)
{
	rb__ld_loc loc = {j->line, j->col, j->pos};
	return loc;
}

/* What is at byte pos, for messages. */
static void describe(const unsigned char *s, size_t n, size_t pos, char *out, size_t size)
{
	if (pos >= n) {
		snprintf(out, size, "end of input");
	} else if (s[pos] > 0x20 && s[pos] < 0x7F) {
		snprintf(out, size, "'%c'", s[pos]);
	} else if (s[pos] >= 0x80 && rb__utf8_seq(s + pos, n - pos)) {
		snprintf(out, size, "'%.*s'", (int)rb__utf8_seq(s + pos, n - pos),
		         (const char *)s + pos);
	} else {
		snprintf(out, size, "byte 0x%02X", s[pos]);
	}
}

static int unexpected(js *j)
{
	char what[32];
	describe(j->s, j->n, j->pos, what, sizeof what);
	return rb__ld_fail(&j->b, RB_EPARSE, here(j), "invalid JSON: unexpected %s", what);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define JS_SWAR 1
#endif

/*
 * Word-at-a-time scans (little-endian: the lowest flagged byte of a word is
 * the first one in the text; each flag below is exact for the lowest byte).
 */
static const uint64_t ONES = 0x0101010101010101ull, HIGH = 0x8080808080808080ull;

static inline uint64_t eq_mask(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (ONES * c);
	return (x - ONES) & ~x & HIGH;
}

/* The first byte at or after i that is not a space (n when none). */
static size_t space_run(const unsigned char *s, size_t i, size_t n)
{
#ifdef JS_SWAR
	while (n - i >= 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		uint64_t x = w ^ (ONES * ' ');
		if (x)
			return i + ((size_t)__builtin_ctzll(x) >> 3);
		i += 8;
	}
#endif
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* The first '"' or '\\' at or after i (n when none). */
static size_t find_quote_or_escape(const unsigned char *s, size_t i, size_t n)
{
#ifdef JS_SWAR
	while (n - i >= 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		uint64_t m = eq_mask(w, '"') | eq_mask(w, '\\');
		if (m)
			return i + ((size_t)__builtin_ctzll(m) >> 3);
		i += 8;
	}
#endif
	while (i < n && s[i] != '"' && s[i] != '\\')
		i++;
	return i;
}

/* The first byte at or after i that is not printable ASCII, or is '"' or '\\' (n when none). */
static size_t plain_string_run(const unsigned char *s, size_t i, size_t n)
{
#ifdef JS_SWAR
	while (n - i >= 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		uint64_t m = ((w - ONES * 0x20) & ~w & HIGH) | (w & HIGH) | eq_mask(w, '"') |
		             eq_mask(w, '\\');
		if (m)
			return i + ((size_t)__builtin_ctzll(m) >> 3);
		i += 8;
	}
#endif
	while (i < n && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
		i++;
	return i;
}

static void skip_ws(js *j)
{
	while (j->pos < j->n) {
		unsigned char c = j->s[j->pos];
		if (c == ' ' || c == '\t') {
			/* Indentation: a run of blanks in one go, 8 spaces at a time. */
			size_t p = j->pos + 1;
			for (;;) {
				p = space_run(j->s, p, j->n);
				if (p < j->n && j->s[p] == '\t') {
					p++;
					continue;
				}
				break;
			}
			j->col += (uint32_t)(p - j->pos);
			j->pos = p;
		} else if (c == '\n' || c == '\r') {
			j->pos +=
			    (c == '\r' && j->pos + 1 < j->n && j->s[j->pos + 1] == '\n') ? 2 : 1;
			if (j->line < UINT32_MAX)
				j->line++;
			j->col = 1;
		} else {
			return;
		}
	}
}

static bool at(const js *j, char c)
{
	return j->pos < j->n && j->s[j->pos] == (unsigned char)c;
}

/* Consume the ASCII byte c, which must be next. */
static int expect(js *j, char c)
{
	if (!at(j, c))
		return unexpected(j);
	j->pos++;
	j->col++;
	return RB_OK;
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * The raw string token at pos (checked, cJSON decodes it). *plain_len gets
 * the length of its content when it has no escapes (then it is the decoded
 * length), else SIZE_MAX.
 */
static int scan_string(js *j, size_t *plain_len)
{
	int rc = expect(j, '"');
	if (rc)
		return rc;
	const unsigned char *s = j->s;
	size_t start = j->pos;
	bool escaped = false;
	for (;;) {
		/* The common bytes first: printable ASCII other than '"' and '\\'. */
		size_t p = plain_string_run(s, j->pos, j->n);
		j->col += (uint32_t)(p - j->pos);
		j->pos = p;
		if (j->pos >= j->n)
			return unexpected(j);
		unsigned char c = s[j->pos];
		if (c == '"') {
			*plain_len = escaped ? SIZE_MAX : j->pos - start;
			j->pos++;
			j->col++;
			return RB_OK;
		}
		if (c == '\\') {
			escaped = true;
			if (j->pos + 1 < j->n && s[j->pos + 1] == 'u') {
				if (j->pos + 6 > j->n || !is_hex(s[j->pos + 2]) ||
				    !is_hex(s[j->pos + 3]) || !is_hex(s[j->pos + 4]) ||
				    !is_hex(s[j->pos + 5]))
					return unexpected(j);
				if (memcmp(s + j->pos + 2, "0000", 4) == 0)
					return rb__ld_fail(&j->b, RB_EPARSE, here(j),
					                   "a string must not contain \\u0000");
				j->pos += 6;
				j->col += 6;
			} else {
				/* Only the escapes of RFC 8259 7; anything else (a
				 * line break above all) is an error at the backslash,
				 * and so is a backslash as the last byte. */
				if (j->pos + 1 >= j->n)
					return unexpected(j);
				if (s[j->pos + 1] == 0 || !strchr("\"\\/bfnrt", s[j->pos + 1])) {
					char what[32];
					describe(s, j->n, j->pos + 1, what, sizeof what);
					return rb__ld_fail(&j->b, RB_EPARSE, here(j),
					                   "invalid JSON: invalid escape: a backslash "
					                   "followed by %s",
					                   what);
				}
				j->pos += 2;
				j->col += 2;
			}
			continue;
		}
		if (c < 0x20)
			return rb__ld_fail(
			    &j->b, RB_EPARSE, here(j),
			    "invalid JSON: raw control character 0x%02X in a string (write "
			    "it as an escape)",
			    c);
		if (c < 0x80) {
			j->pos++;
			j->col++;
			continue;
		}
		size_t k = rb__utf8_seq(s + j->pos, j->n - j->pos);
		if (!k)
			return rb__ld_fail(&j->b, RB_EPARSE, here(j), "invalid UTF-8 in a string");
		j->pos += k;
		j->col++;
	}
}

/* A byte that may continue a number token: [0-9+-.eE]. */
static bool num_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
}

static size_t digit_run(const unsigned char *s, size_t i, size_t n)
{
	size_t start = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i - start;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? over exactly n bytes. */
static bool json_number(const unsigned char *s, size_t n, bool *is_float)
{
	size_t i = 0, d;
	*is_float = false;
	if (i < n && s[i] == '-')
		i++;
	d = digit_run(s, i, n);
	if (d == 0 || (d > 1 && s[i] == '0'))
		return false;
	i += d;
	if (i < n && s[i] == '.') {
		*is_float = true;
		i++;
		d = digit_run(s, i, n);
		if (d == 0)
			return false;
		i += d;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		*is_float = true;
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		d = digit_run(s, i, n);
		if (d == 0)
			return false;
		i += d;
	}
	return i == n;
}

static int literal(js *j, const char *lit, rb__scalar_type type)
{
	rb__ld_loc loc = here(j);
	size_t n = strlen(lit);
	if (j->n - j->pos < n || memcmp(j->s + j->pos, lit, n) != 0)
		return unexpected(j);
	j->pos += n;
	j->col += (uint32_t)n;
	return rb__ld_scalar_flags(&j->b, lit, n, type, loc, RB_LD_NO_NUL);
}

/* One value at pos: a scalar, or the start of a collection (pushed). */
static int value(js *j, const cJSON *item)
{
	rb__ld_loc loc = here(j);
	int rc;
	switch (item->type & 0xFF) {
	case cJSON_Object:
	case cJSON_Array: {
		bool obj = (item->type & 0xFF) == cJSON_Object;
		if ((rc = expect(j, obj ? '{' : '[')))
			return rc;
		if ((rc = rb__ld_begin(&j->b, obj ? RB_NODE_MAP : RB_NODE_SEQ, loc)))
			return rc;
		js_frame *f = rb__vec_push(j->b.mem, &j->stack, sizeof(js_frame));
		if (!f)
			return j->b.err = RB_ENOMEM;
		f->next = item->child;
		f->obj = obj;
		f->first = true;
		return RB_OK;
	}
	case cJSON_String: {
		size_t len;
		if ((rc = scan_string(j, &len)))
			return rc;
		if (len == SIZE_MAX)
			len = strlen(item->valuestring);
		return rb__ld_scalar_flags(&j->b, item->valuestring, len, RB_SCALAR_STRING, loc,
		                           RB_LD_NO_NUL);
	}
	case cJSON_Number: {
		if (!at(j, '-') && !(j->pos < j->n && j->s[j->pos] >= '0' && j->s[j->pos] <= '9'))
			return unexpected(j);
		size_t start = j->pos;
		while (j->pos < j->n && num_char(j->s[j->pos]))
			j->pos++;
		size_t len = j->pos - start;
		j->col += (uint32_t)len;
		bool is_float;
		if (!json_number(j->s + start, len, &is_float))
			return rb__ld_fail(&j->b, RB_EPARSE, loc, "invalid JSON number \"%.*s\"",
			                   (int)rb__ld_clip((const char *)j->s + start, len, 64),
			                   (const char *)j->s + start);
		return rb__ld_scalar_flags(&j->b, (const char *)j->s + start, len,
		                           is_float ? RB_SCALAR_FLOAT : RB_SCALAR_INT, loc, RB_LD_NO_NUL);
	}
	case cJSON_True:
		return literal(j, "true", RB_SCALAR_BOOL);
	case cJSON_False:
		return literal(j, "false", RB_SCALAR_BOOL);
	case cJSON_NULL:
		return literal(j, "null", RB_SCALAR_NULL);
	default:
		return unexpected(j);
	}
}

/* Convert a cJSON subtree that starts at pos, scanning the text alongside. */
static int convert_tree(js *j, const cJSON *root)
{
	size_t base = j->stack.len;
	int rc = value(j, root);
	while (!rc && j->stack.len > base) {
		js_frame *f = &RB_VEC_AT(&j->stack, js_frame, j->stack.len - 1);
		skip_ws(j);
		if (!f->next) {
			if (!(rc = expect(j, f->obj ? '}' : ']'))) {
				j->stack.len--;
				rc = rb__ld_end(&j->b);
			}
			continue;
		}
		if (!f->first) {
			if ((rc = expect(j, ',')))
				break;
			skip_ws(j);
		}
		f->first = false;
		const cJSON *item = f->next;
		f->next = item->next;
		if (f->obj) {
			rb__ld_loc kloc = here(j);
			size_t klen;
			if ((rc = scan_string(j, &klen)))
				break;
			if (klen == SIZE_MAX)
				klen = strlen(item->string);
			if ((rc = rb__ld_scalar_flags(&j->b, item->string, klen, RB_SCALAR_STRING,
			                              kloc, RB_LD_NO_NUL)))
				break;
			skip_ws(j);
			if ((rc = expect(j, ':')))
				break;
			skip_ws(j);
		}
		rc = value(j, item);
	}
	return rc;
}

/* A syntax error where cJSON would report it: "near" the byte at pos. */
static int syntax_near(js *j, size_t pos)
{
	rb__ld_loc loc = rb__text_loc(j->s, j->n, pos, false);
	if (pos >= j->n)
		return rb__ld_fail_nopath(&j->b, RB_EPARSE, loc, "invalid JSON: unexpected end of input");
	char what[32];
	describe(j->s, j->n, pos, what, sizeof what);
	return rb__ld_fail_nopath(&j->b, RB_EPARSE, loc, "invalid JSON near %s", what);
}

/* Something else than the JSON expected at pos: a byte cJSON would skip as a blank
 * (every byte up to 0x20) is ours to refuse; anything else is cJSON's syntax error. */
static int bad_byte(js *j)
{
	if (j->pos < j->n && j->s[j->pos] <= 0x20)
		return unexpected(j);
	return syntax_near(j, j->pos);
}

/*
 * cJSON_ParseWithLengthOpts, with errno telling an allocation failure
 * (ENOMEM from malloc) from a syntax error after a NULL.
 */
static cJSON *cjson_parse(const char *s, size_t n, const char **end, bool *out_of_memory)
{
	int saved = errno;
	errno = 0;
	cJSON *v = cJSON_ParseWithLengthOpts(s, n, end, 0);
	*out_of_memory = !v && errno == ENOMEM;
	errno = saved;
	return v;
}

/* One value at depth STREAM_DEPTH and below, by cJSON, converted and freed. */
static int parse_subtree(js *j)
{
	const char *end = NULL;
	const char *start = (const char *)j->s + j->pos;
	bool oom;
	cJSON *root = cjson_parse(start, j->n - j->pos, &end, &oom);
	if (oom)
		return j->b.err = RB_ENOMEM;
	if (!root) {
		size_t endpos = end ? (size_t)(end - (const char *)j->s) : j->pos;
		return syntax_near(j, endpos > j->n ? j->n : endpos);
	}
	int rc = convert_tree(j, root);
	cJSON_Delete(root);
	return rc;
}

/* A string at pos (a key or a value): checked, decoded (by cJSON when it has escapes). */
static int outer_string(js *j)
{
	rb__ld_loc loc = here(j);
	size_t start = j->pos, len;
	int rc = scan_string(j, &len);
	if (rc)
		return rc;
	if (len != SIZE_MAX)
		return rb__ld_scalar_flags(&j->b, (const char *)j->s + start + 1, len,
		                           RB_SCALAR_STRING, loc, RB_LD_NO_NUL);
	bool oom;
	cJSON *str = cjson_parse((const char *)j->s + start, j->pos - start, NULL, &oom);
	if (oom)
		return j->b.err = RB_ENOMEM;
	if (!str || !cJSON_IsString(str)) {
		cJSON_Delete(str);
		return syntax_near(j, start);
	}
	rc = rb__ld_scalar_flags(&j->b, str->valuestring, strlen(str->valuestring), RB_SCALAR_STRING,
	                         loc, RB_LD_NO_NUL);
	cJSON_Delete(str);
	return rc;
}

/* A value of the outer levels (depth < STREAM_DEPTH): read by us. */
static int outer_value(js *j, size_t depth)
{
	if (j->pos >= j->n)
		return syntax_near(j, j->pos);
	unsigned char c = j->s[j->pos];
	rb__ld_loc loc = here(j);
	int rc;
	if (c == '"')
		return outer_string(j);
	if (c == 't' || c == 'f' || c == 'n') {
		const char *lit = c == 't' ? "true" : c == 'f' ? "false" : "null";
		size_t n = strlen(lit);
		if (j->n - j->pos < n || memcmp(j->s + j->pos, lit, n) != 0)
			return syntax_near(j, j->pos);
		return literal(j, lit, c == 'n' ? RB_SCALAR_NULL : RB_SCALAR_BOOL);
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		size_t start = j->pos;
		while (j->pos < j->n && num_char(j->s[j->pos]))
			j->pos++;
		size_t len = j->pos - start;
		j->col += (uint32_t)len;
		bool is_float;
		if (!json_number(j->s + start, len, &is_float))
			return rb__ld_fail(&j->b, RB_EPARSE, loc, "invalid JSON number \"%.*s\"",
			                   (int)rb__ld_clip((const char *)j->s + start, len, 64),
			                   (const char *)j->s + start);
		return rb__ld_scalar_flags(&j->b, (const char *)j->s + start, len,
		                           is_float ? RB_SCALAR_FLOAT : RB_SCALAR_INT, loc, RB_LD_NO_NUL);
	}
	if (c != '{' && c != '[')
		return bad_byte(j);
	if (depth >= STREAM_DEPTH)
		return parse_subtree(j);
	bool obj = c == '{';
	char close = obj ? '}' : ']';
	j->pos++;
	j->col++;
	if ((rc = rb__ld_begin(&j->b, obj ? RB_NODE_MAP : RB_NODE_SEQ, loc)))
		return rc;
	skip_ws(j);
	if (at(j, close)) {
		j->pos++;
		j->col++;
		return rb__ld_end(&j->b);
	}
	for (;;) {
		if (obj) {
			if (!at(j, '"'))
				return bad_byte(j);
			if ((rc = outer_string(j)))
				return rc;
			skip_ws(j);
			if (!at(j, ':'))
				return bad_byte(j);
			j->pos++;
			j->col++;
			skip_ws(j);
		}
		if ((rc = outer_value(j, depth + 1)))
			return rc;
		skip_ws(j);
		if (at(j, ',')) {
			j->pos++;
			j->col++;
			skip_ws(j);
			continue;
		}
		if (!at(j, close))
			return bad_byte(j);
		j->pos++;
		j->col++;
		return rb__ld_end(&j->b);
	}
}

/*
 * The documents: a stream of JSON values, each one a document, as
 * Kubernetes clients read JSON (json.Decoder: `kubectl get -o json` twice
 * into one file). Values may touch (`{}{}`) or be separated by blanks; the
 * first one is required. A value that is not a mapping or an array is an
 * error at the document root, and bytes that start no value are a syntax
 * error where they are.
 */
static int convert(js *j)
{
	int rc = RB_OK;
	skip_ws(j);
	do {
		rc = rb__ld_doc_begin(&j->b, here(j));
		if (!rc)
			rc = outer_value(j, 0);
		if (!rc)
			rc = rb__ld_doc_end(&j->b);
		if (!rc)
			skip_ws(j);
	} while (!rc && j->pos < j->n);
	return rc;
}

/*
 * Bound the nesting before cJSON recurses into it, and the number of nodes
 * before cJSON allocates them (a cJSON item costs about 64 bytes, and the
 * whole tree is built before it is converted: a 40 MB array of zeros took
 * 3 GB and a minute before this count). Nodes are counted as the builder
 * counts them: every value, keys excluded; a value starts at the first
 * non-blank byte of the text, after '[' unless ']' follows, after ',' in an
 * array, and after ':'. On text that is not JSON the count may be off; cJSON
 * reports the syntax error then, unless a limit is hit first.
 */
static int prescan(js *j)
{
	uint64_t limit = j->b.limits->depth;
	bool parser_limit = limit > CJSON_DEPTH;
	if (parser_limit)
		limit = CJSON_DEPTH;
	const unsigned char *s = j->s;
	size_t n = j->n;
	uint64_t depth = 0, nodes = 0;
	bool in_array[CJSON_DEPTH + 1] = {false}; /* per open collection: an array */
	bool want_value = true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			/* Indentation: 8 spaces at a time. */
			i = space_run(s, i + 1, n) - 1;
			continue;
		}
		if (want_value && !(c == ']' && depth > 0 && in_array[depth - 1])) {
			if (++nodes > j->b.limits->nodes)
				return rb__ld_fail_nopath(&j->b, RB_ELIMIT,
				                          rb__text_loc(s, n, i, false),
				                          "more than %" PRIu64 " nodes",
				                          j->b.limits->nodes);
		}
		want_value = false;
		if (c == '"') {
			for (i++; i < n; i++) {
				i = find_quote_or_escape(s, i, n);
				if (i >= n || s[i] == '"')
					break;
				if (s[i] == '\\')
					i++;
			}
		} else if (c == '{' || c == '[') {
			if (++depth > limit) {
				rb__ld_loc loc = rb__text_loc(s, n, i, false);
				if (parser_limit)
					return rb__ld_fail_nopath(
					    &j->b, RB_ELIMIT, loc,
					    "nesting deeper than %" PRIu64
					    " levels (the JSON parser's limit)",
					    limit);
				return rb__ld_fail_nopath(&j->b, RB_ELIMIT, loc,
				                          "nesting deeper than %" PRIu64 " levels",
				                          limit);
			}
			in_array[depth - 1] = c == '[';
			want_value = c == '[';
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		} else if (c == ',') {
			want_value = depth > 0 && in_array[depth - 1];
		} else if (c == ':') {
			want_value = true;
		}
	}
	return RB_OK;
}

int rb__load_json(const rb__load_params *params, const rb__sink *sink)
{
	rb__load_params p;
	rb__limits limits;
	rb__mem mem;
	int rc = rb__ld_prepare(&p, params, &limits, &mem);
	if (rc)
		return rc;

	js j;
	memset(&j, 0, sizeof j);
	rb__ld_init(&j.b, &p, sink);
	j.s = p.buf ? p.buf : (const void *)"";
	j.n = p.len;
	j.line = j.col = 1;
	j.stack = (rb__vec)RB_VEC_INIT;
	if (rb__has_bom(j.s, j.n))
		j.pos = 3;

	rc = prescan(&j);
	if (!rc)
		rc = convert(&j);
	rb__vec_free(p.mem, &j.stack);
	rb__ld_free(&j.b);
	return rc;
}
