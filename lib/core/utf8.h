/* UTF-8 validation, shared by the loaders (input) and the writers (output). */
#ifndef RB_CORE_UTF8_H
#define RB_CORE_UTF8_H

#include <stddef.h>

/*
 * The length of the well-formed UTF-8 sequence that starts at s (n bytes
 * available, s[0] >= 0x80), or 0 when it is ill-formed: a stray continuation
 * byte, a truncated sequence, an overlong form, a surrogate, or a code point
 * above U+10FFFF.
 */
size_t rb__utf8_seq(const unsigned char *s, size_t n);

#endif
