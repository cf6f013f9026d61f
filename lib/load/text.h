/* Text helpers of the loaders (private to load/): UTF-8, positions (YAML scalar types: yaml_scalar.h). */
#ifndef RB_LOAD_TEXT_H
#define RB_LOAD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/utf8.h"
#include "load/builder.h"
#include "load/node.h"
#include "load/yaml_scalar.h"


/* Whether the n bytes at s start with a UTF-8 byte order mark. */
static inline bool rb__has_bom(const unsigned char *s, size_t n)
{
	return n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
}

/*
 * The line and column of byte `off` of s (len bytes), scanning from the
 * start (error paths only). A leading byte order mark is not a column.
 * Line breaks: CR, LF, CRLF, and with yaml_breaks also NEL, LS and PS (as
 * libyaml counts them). Columns count code points (each byte of an ill-formed
 * sequence counts as one).
 */
rb__ld_loc rb__text_loc(const unsigned char *s, size_t len, size_t off, bool yaml_breaks);

/*
 * The same, resumed: scanning from `from` (a byte offset with its known line
 * and column) over a window of the text, s[0] being byte s0 and the text's
 * bytes known up to byte len (a break or code point is judged on the bytes
 * up to len, so give 3 bytes past off where there are). Returns where the
 * scan stopped, its offset the byte reached: off, or the start of the line
 * break or code point that contains off -- a place to resume from.
 */
rb__ld_loc rb__text_scan(const unsigned char *s, size_t s0, size_t len, rb__ld_loc from, size_t off,
                         bool yaml_breaks);

#endif
