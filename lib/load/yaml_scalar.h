/*
 * Plain YAML scalars as Kubernetes clients read them.
 *
 * Kubernetes clients (kubectl, client-go, Envoy Gateway's own loaders) read
 * YAML with sigs.k8s.io/yaml: go-yaml v2 parses the text with YAML 1.1 rules
 * (its `resolve`), the tree is turned into JSON, and encoding/json fills the
 * typed structs. On the way, a number or boolean that lands in a field of Go
 * kind string becomes text (sigs.k8s.io/yaml `convertToJSONableObject`).
 * This file is that arithmetic, for the loader (the type of a plain scalar)
 * and for the decoders (its value, and its text in a string field).
 *
 * Types of a plain scalar (go-yaml v2 `resolve`):
 *   null   "", ~, null, Null, NULL
 *   bool   y Y yes Yes YES on On ON true True TRUE, and
 *          n N no No NO off Off OFF false False FALSE
 *   float  .inf .Inf .INF (also with a sign), .nan .NaN .NAN
 *   int    when it starts with a digit or a sign: the text without its
 *          underscores parsed as strconv.ParseInt(s, 0, 64) parses it
 *          (decimal, 0x/0o/0b prefixes in either case, a leading 0 for octal:
 *          `0123` is 83), else as ParseUint (up to 2^64-1)
 *   float  else, when that text is [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)
 *          ([eE][-+]?[0-9]+)? and finite as a float64 (`1e3`, `08`, `1.`);
 *          a text starting with '.' is a float when it is one (`.5`)
 *   string everything else (timestamps included: go-yaml hands them to an
 *          untyped tree as strings).
 * A number whose text is longer than RB_YAML_NUMBER_MAX bytes stays a string
 * (no manifest has one; it spares the loader an allocation).
 */
#ifndef RB_LOAD_YAML_SCALAR_H
#define RB_LOAD_YAML_SCALAR_H

#include "load/node.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { RB_YAML_NUMBER_MAX = 128 };

/* The type of a plain YAML scalar of n bytes (rules above). */
rb__scalar_type rb__yaml_resolve_plain(const char *s, size_t n);

/* The value of a plain scalar resolved as a bool: y, yes, on, true (any listed case). */
bool rb__yaml_bool_value(const char *s, size_t n);

/*
 * The value of a plain scalar resolved as an int. Returns false when it is
 * not one. *is_unsigned tells which of *i (it fits int64) or *u (it only
 * fits uint64) holds the value.
 */
bool rb__yaml_int_value(const char *s, size_t n, int64_t *i, uint64_t *u, bool *is_unsigned);

/* The value of a plain scalar resolved as a float (infinities and NaN included). */
bool rb__yaml_float_value(const char *s, size_t n, double *out);

/*
 * strconv.FormatFloat(v, 'g', -1, 32): v rounded to float32, written with
 * the fewest digits that read back as that float32, in %e form when the
 * decimal exponent is below -4 or at least 6 ("1000", "1.5", "1e+06",
 * "3.1415927", "+Inf", "NaN"). Needs size >= 32. Returns the length.
 */
size_t rb__go_format_float32(double v, char *buf, size_t size);

/*
 * The text a YAML number or boolean becomes in a Go string field
 * (sigs.k8s.io/yaml): ints in decimal, floats by rb__go_format_float32,
 * booleans "true"/"false". Returns its length, or 0 when n is not such a
 * scalar read from YAML (a string, null, a collection, or anything read
 * from JSON). Needs size >= 32.
 */
size_t rb__yaml_go_string(const rb__node *n, char *buf, size_t size);

/*
 * The text a plain YAML mapping key of n bytes becomes (sigs.k8s.io/yaml
 * turns go-yaml's non-string keys into strings): a number or boolean as in
 * rb__yaml_go_string (`010:` is "8", `yes:` is "true"), except that
 * infinities and NaN are ".inf", "-.inf" and ".nan". Returns its length, or
 * 0 when the key stays as written (a string, or null). Needs size >= 32.
 */
size_t rb__yaml_go_key(const char *s, size_t n, char *buf, size_t size);

/* Whether rb__yaml_go_key may change a key of n > 0 bytes: it starts like a
 * number, or has the length and first letter of a boolean word. Inline: the
 * loader asks for every key, and almost every key is a word that stays. */
static inline bool rb__yaml_key_may_change(const char *s, size_t n)
{
	char c = s[0], lc = (char)(c | 0x20);
	if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')
		return true;
	switch (n) {
	case 1:
		return lc == 'y' || lc == 'n';
	case 2:
		return lc == 'o' || lc == 'n';
	case 3:
		return lc == 'y' || lc == 'o';
	case 4:
		return lc == 't';
	case 5:
		return lc == 'f';
	default:
		return false;
	}
}

#endif
