/*
 * The YAML back end: libyaml's emitter driven by events (docs/conventions.md,
 * Output), with the scalar style decided here, never by libyaml. Every
 * yaml_emitter_emit result is checked; after a failure the writer's error is
 * sticky and the emitter is never used again (only deleted).
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "core/strutil.h"
#include "emit/writer_int.h"
#include "rebalance/errors.h"

/*
 * ---- scalar analysis ----
 *
 * The quoting rule (rb__yaml_classify, rb__yaml_plain_ok). A string is
 * written plain only when all of these hold, else double-quoted:
 *
 *   not empty;
 *   valid UTF-8 (otherwise the writer refuses it: RB_EINVAL);
 *   first character not an indicator or space:
 *       - ? : , [ ] { } # & * ! | > ' " % @ `  and space
 *     (`-`, `?`, `:` followed by a non-space are legal plain starts in YAML;
 *     we quote them anyway);
 *   not starting with "..." (nor "---": covered by '-');
 *   no trailing space; no leading or trailing no-break space (U+00A0);
 *   nowhere , [ ] { } : ?  (libyaml 0.2.5 refuses them in plain *flow*
 *     scalars, and a string must come out the same in block and flow
 *     context: so `::1`, `fe80::1`, `a:b`, `http://x` are quoted);
 *   no " #" (a comment); '#' elsewhere is fine (`a#b`);
 *   no control character (C0, DEL, C1 including NEL), tab, line break (CR,
 *     LF, NEL, LS, PS), BOM, U+FFFE/U+FFFF, nor a character outside the BMP
 *     (libyaml's emitter treats those as non-printable and escapes them);
 *   not reserved, in any letter case where YAML has a variant:
 *     null-like   ~ null (and nUlL...)
 *     bool-like   y n yes no true false on off (YAML 1.1 and 1.2)
 *     number-like after an optional sign: .inf .nan; 0x 0o 0b (either
 *                 case) + hex digits/'_'; digits and '_' with at most one
 *                 '.' and at least one digit or '_', then an optional
 *                 exponent [eE][+-]?[0-9_]+ (`0`, `8080`, `007`, `1_000`,
 *                 `1.`, `.5`, `._`, `1e3`, `6.8e+5`); sexagesimal forms
 *                 contain ':' and are quoted anyway
 *     date-like   YYYY-M(M)-D(D) at the start (`2001-12-14`, timestamps)
 *     keys        `<<` (merge) and `=` (YAML 1.1 value key).
 *
 * Every plain string therefore reads back as the same string under YAML 1.1
 * (checked against PyYAML on ~250k generated strings) and 1.2 core, in block
 * and flow context, and libyaml never changes the style we ask for (checked
 * by the unit tests over a table and random strings).
 */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* .inf .nan in any letter case (YAML allows three spellings each; we quote all). */
static bool is_inf_nan(const char *s, size_t n)
{
	return n == 4 && s[0] == '.' && (rb__ascii_ieq_n(s + 1, 3, "inf") || rb__ascii_ieq_n(s + 1, 3, "nan"));
}

/*
 * Reads as a number under YAML 1.1 or 1.2 (a superset of both, so it errs on
 * the side of quoting). After an optional sign:
 *   .inf / .nan (any case);
 *   0x / 0o / 0b (either case) followed by hex digits or '_';
 *   digits and '_' with at most one '.', at least one digit or '_', then an
 *   optional exponent [eE][+-]?[0-9_]+ (`1`, `0777`, `1_000`, `1.`, `.5`,
 *   `._`, `1e3`, `1.5E-3`).
 * Sexagesimal numbers (`190:20:30`) contain ':', which is quoted anyway.
 */
static bool number_like(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	const char *r = s + i;
	size_t m = n - i;
	if (is_inf_nan(r, m))
		return true;
	if (m >= 3 && r[0] == '0' &&
	    (r[1] == 'x' || r[1] == 'X' || r[1] == 'o' || r[1] == 'O' || r[1] == 'b' || r[1] == 'B')) {
		size_t j = 2;
		while (j < m && (is_hex(r[j]) || r[j] == '_'))
			j++;
		if (j == m)
			return true;
	}
	size_t j = 0, dots = 0, digits = 0;
	for (; j < m && (is_digit(r[j]) || r[j] == '_' || r[j] == '.'); j++) {
		if (r[j] == '.')
			dots++;
		else
			digits++;
	}
	if (dots > 1 || digits == 0)
		return false;
	if (j == m)
		return true;
	if (r[j] != 'e' && r[j] != 'E')
		return false;
	j++;
	if (j < m && (r[j] == '+' || r[j] == '-'))
		j++;
	size_t k = j;
	while (j < m && (is_digit(r[j]) || r[j] == '_'))
		j++;
	return j == m && j > k;
}

/* A YAML 1.1 date: YYYY-M(M)-D(D), alone or as the start of a timestamp. */
static bool date_like(const char *s, size_t n)
{
	if (n < 8 || !is_digit(s[0]) || !is_digit(s[1]) || !is_digit(s[2]) || !is_digit(s[3]) ||
	    s[4] != '-' || !is_digit(s[5]))
		return false;
	size_t i = 6;
	if (i < n && is_digit(s[i]))
		i++;
	if (i + 1 >= n || s[i] != '-' || !is_digit(s[i + 1]))
		return false;
	return true;
}

/* Reads as something other than a string (null, bool, number, date, merge/value key). */
static bool reserved_like(const char *s, size_t n)
{
	char c = s[0];
	if ((c >= '0' && c <= '9') || c == '.' || c == '+' || c == '_')
		return number_like(s, n) || date_like(s, n);
	/* Null and bool words of YAML 1.1 and 1.2, in any letter case; "<<", "=". */
	switch (n) {
	case 1:
		return c == '~' || c == 'y' || c == 'Y' || c == 'n' || c == 'N' || c == '=';
	case 2:
		return rb__ascii_ieq_n(s, 2, "no") || rb__ascii_ieq_n(s, 2, "on") || (c == '<' && s[1] == '<');
	case 3:
		return rb__ascii_ieq_n(s, 3, "yes") || rb__ascii_ieq_n(s, 3, "off");
	case 4:
		return rb__ascii_ieq_n(s, 4, "null") || rb__ascii_ieq_n(s, 4, "true");
	case 5:
		return rb__ascii_ieq_n(s, 5, "false");
	default:
		return false;
	}
}

/*
 * Byte classes. ASCII: 0 plain-safe; 1 never plain (flow indicators, and ':'
 * and '?' anywhere: libyaml 0.2.5 refuses them in plain flow scalars, and the
 * style must not depend on where the string is written; control characters,
 * tab, line breaks, DEL); 2 '#' (a comment after a space); 3 may not start a
 * plain scalar (the other YAML 1.2 indicators, and space). 4: >= 0x80.
 */
static const unsigned char yclass[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
	/* sp !  "  #  $  %  &  '  (  )  *  +  ,  -  .  / */
	3, 3, 3, 2, 0, 3, 3, 3, 0, 0, 3, 0, 1, 3, 0, 0,
	/* 0 1  2  3  4  5  6  7  8  9  :  ;  <  =  >  ? */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 1,
	/* @ A .. O */
	3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* P .. Z  [  \  ]  ^  _ */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0,
	/* `  a .. o */
	3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* p .. z  {  |  }  ~  DEL */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 1, 0, 1,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0x80.. */
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

int rb__yaml_classify(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	bool plain = n > 0;
	if (plain) {
		unsigned char c0 = yclass[p[0]];
		if (c0 == 1 || c0 == 2 || c0 == 3 || p[n - 1] == ' ')
			plain = false; /* a leading indicator or space, a trailing space */
		else if (n >= 3 && p[0] == '.' && p[1] == '.' && p[2] == '.')
			plain = false; /* document end marker ("---" starts with '-') */
		else if (n >= 2 && ((p[0] == 0xC2 && p[1] == 0xA0) ||
		                    (p[n - 2] == 0xC2 && p[n - 1] == 0xA0)))
			plain = false; /* a leading or trailing no-break space reads like a space */
	}
	size_t i = 0;
	while (i < n) {
		unsigned char c = p[i];
		unsigned char k = yclass[c];
		if (k == 0 || k == 3) {
			i++;
			continue;
		}
		if (k == 1) {
			plain = false;
			i++;
			continue;
		}
		if (k == 2) {
			if (i > 0 && p[i - 1] == ' ')
				plain = false; /* a comment */
			i++;
			continue;
		}
		size_t len = rb__utf8_seq(p + i, n - i);
		if (!len)
			return -1;
		if (len == 4)
			plain = false; /* outside the BMP: libyaml escapes these (\U...) */
		else if (len == 2 && c == 0xC2 && p[i + 1] < 0xA0)
			plain = false; /* C1 controls, NEL */
		else if (len == 3 && c == 0xE2 && p[i + 1] == 0x80 &&
		         (p[i + 2] == 0xA8 || p[i + 2] == 0xA9))
			plain = false; /* LS, PS: line breaks */
		else if (len == 3 && c == 0xEF &&
		         ((p[i + 1] == 0xBB && p[i + 2] == 0xBF) ||
		          (p[i + 1] == 0xBF && (p[i + 2] == 0xBE || p[i + 2] == 0xBF))))
			plain = false; /* BOM, U+FFFE, U+FFFF */
		i += len;
	}
	if (plain && reserved_like(s, n))
		plain = false;
	return plain ? 1 : 0;
}

bool rb__yaml_plain_ok(const char *s, size_t n)
{
	return (s || n == 0) && rb__yaml_classify(s ? s : "", n) == 1;
}

bool rb__json_number_ok(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '-')
		i++;
	if (i >= n || !is_digit(s[i]))
		return false;
	if (s[i] == '0')
		i++;
	else
		while (i < n && is_digit(s[i]))
			i++;
	if (i < n && s[i] == '.') {
		i++;
		size_t k = i;
		while (i < n && is_digit(s[i]))
			i++;
		if (i == k)
			return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t k = i;
		while (i < n && is_digit(s[i]))
			i++;
		if (i == k)
			return false;
	}
	return i == n;
}

bool rb__yaml_number_ok(const char *s, size_t n)
{
	/* int: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+ */
	if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
		for (size_t i = 2; i < n; i++) {
			if (s[1] == 'o' ? !(s[i] >= '0' && s[i] <= '7') : !is_hex(s[i]))
				return false;
		}
		return true;
	}
	size_t i = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	/* [-+]?\.(inf|Inf|INF), \.(nan|NaN|NAN) */
	if (n - i == 4 && s[i] == '.') {
		const char *r = s + i + 1;
		if (!memcmp(r, "inf", 3) || !memcmp(r, "Inf", 3) || !memcmp(r, "INF", 3))
			return true;
		if (i == 0 && (!memcmp(r, "nan", 3) || !memcmp(r, "NaN", 3) || !memcmp(r, "NAN", 3)))
			return true;
	}
	/* float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? (covers the decimal int) */
	size_t k = i;
	while (i < n && is_digit(s[i]))
		i++;
	if (i > k) {
		if (i < n && s[i] == '.') {
			i++;
			while (i < n && is_digit(s[i]))
				i++;
		}
	} else {
		if (i >= n || s[i] != '.')
			return false;
		i++;
		k = i;
		while (i < n && is_digit(s[i]))
			i++;
		if (i == k)
			return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		k = i;
		while (i < n && is_digit(s[i]))
			i++;
		if (i == k)
			return false;
	}
	return i == n;
}

/* ---- the emitter ---- */

static int output(void *data, unsigned char *buffer, size_t size)
{
	rb__writer *w = data;
	return w_out(w, (const char *)buffer, size) ? 1 : 0;
}

/* Emit one event (the emitter takes it over, also on failure). */
static int emit(rb__writer *w, yaml_event_t *ev)
{
	if (yaml_emitter_emit(&w->yaml, ev))
		return RB_OK;
	if (w->err) /* the sink failed inside output() */
		return w->err;
	return w->yaml.error == YAML_MEMORY_ERROR ? RB_ENOMEM : RB_EINVAL;
}

int rb__wy_init(rb__writer *w)
{
	if (!yaml_emitter_initialize(&w->yaml))
		return RB_ENOMEM;
	w->yaml_init = true;
	yaml_emitter_set_output(&w->yaml, output, w);
	yaml_emitter_set_width(&w->yaml, -1);
	yaml_emitter_set_unicode(&w->yaml, 1);
	yaml_emitter_set_indent(&w->yaml, 2);
	yaml_emitter_set_break(&w->yaml, YAML_LN_BREAK);
	yaml_event_t ev;
	if (!yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING))
		return RB_ENOMEM;
	int rc = emit(w, &ev);
	if (rc)
		return rc;
	if (!yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1))
		return RB_ENOMEM;
	return emit(w, &ev);
}

void rb__wy_free(rb__writer *w)
{
	yaml_emitter_delete(&w->yaml);
	w->yaml_init = false;
}

int rb__wy_finish(rb__writer *w)
{
	yaml_event_t ev;
	if (!yaml_document_end_event_initialize(&ev, 1))
		return RB_ENOMEM;
	int rc = emit(w, &ev);
	if (rc)
		return rc;
	if (!yaml_stream_end_event_initialize(&ev))
		return RB_ENOMEM;
	rc = emit(w, &ev);
	if (rc)
		return rc;
	if (!yaml_emitter_flush(&w->yaml))
		return w->err ? w->err : RB_EIO;
	return RB_OK;
}

int rb__wy_coll_begin(rb__writer *w, bool map, bool flow)
{
	yaml_event_t ev;
	int ok;
	if (map)
		ok = yaml_mapping_start_event_initialize(
			&ev, NULL, NULL, 1, flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
	else
		ok = yaml_sequence_start_event_initialize(
			&ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
	if (!ok)
		return RB_ENOMEM;
	return emit(w, &ev);
}

int rb__wy_coll_end(rb__writer *w, bool map)
{
	yaml_event_t ev;
	if (!(map ? yaml_mapping_end_event_initialize(&ev) : yaml_sequence_end_event_initialize(&ev)))
		return RB_ENOMEM;
	return emit(w, &ev);
}

int rb__wy_scalar(rb__writer *w, const char *s, size_t n, bool plain)
{
	if (n > INT_MAX)
		return RB_EINVAL;
	yaml_event_t ev;
	/* Fails on allocation failure or invalid UTF-8 (checked before for strings). */
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)s, (int)n, 1, 1,
	                                  plain ? YAML_PLAIN_SCALAR_STYLE
	                                        : YAML_DOUBLE_QUOTED_SCALAR_STYLE))
		return RB_ENOMEM;
	return emit(w, &ev);
}
