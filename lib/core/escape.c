/* The one escaping rule for text printed from input (docs/escaping.md). */
#include "core/escape.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

/* The escaped form of the character at s[*i] (advancing *i past it) into tmp; its length. */
static size_t escape_one(const char *s, size_t len, size_t *i, bool quotes, char tmp[8])
{
	unsigned char c = (unsigned char)s[*i];
	if (c == '\n')
		return (size_t)snprintf(tmp, 8, "\\n");
	if (c == '\t')
		return (size_t)snprintf(tmp, 8, "\\t");
	if (c == '\r')
		return (size_t)snprintf(tmp, 8, "\\r");
	if (quotes && (c == '"' || c == '\\'))
		return (size_t)snprintf(tmp, 8, "\\%c", c);
	if (c < 0x20 || c == 0x7f) /* ESC, BEL, NUL... and DEL */
		return (size_t)snprintf(tmp, 8, "\\x%02x", c);
	if (c < 0x80) {
		tmp[0] = (char)c;
		return 1;
	}
	size_t n = rb__utf8_seq((const unsigned char *)s + *i, len - *i);
	if (!n) /* invalid UTF-8: the byte, never a half character a terminal would guess at */
		return (size_t)snprintf(tmp, 8, "\\x%02x", c);
	if (n == 2 && c == 0xc2 && (unsigned char)s[*i + 1] <= 0x9f) { /* C1, U+0080..U+009F */
		++*i;
		return (size_t)snprintf(tmp, 8, "\\u%04x", (unsigned char)s[*i]);
	}
	memcpy(tmp, s + *i, n);
	*i += n - 1;
	return n;
}

char *rb__escape(char *out, size_t cap, const char *s, size_t len, bool quotes)
{
	size_t o = 0;
	if (!cap)
		return out;
	for (size_t i = 0; i < len; i++) {
		char tmp[8];
		size_t start = i;
		size_t n = escape_one(s, len, &i, quotes, tmp);
		if (o + n + 4 > cap) { /* room for "..." and the NUL */
			if (o + 4 <= cap) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			i = start;
			break;
		}
		memcpy(out + o, tmp, n);
		o += n;
	}
	out[o < cap ? o : cap - 1] = '\0';
	return out;
}

char *rb__escape_text(char *out, size_t cap, const char *s, size_t len)
{
	return rb__escape(out, cap, s, len, true);
}

char *rb__escape_dup(rb__arena *arena, const char *s)
{
	size_t len = strlen(s);
	size_t cap = len * RB_ESCAPE_GROWTH + 8;
	char *out = rb__arena_alloc(arena, cap);
	return out ? rb__escape_text(out, cap, s, len) : NULL;
}

bool rb__needs_escape(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return true;
		if (c >= 0x80) {
			size_t n = rb__utf8_seq((const unsigned char *)s + i, len - i);
			if (!n || (n == 2 && c == 0xc2 && (unsigned char)s[i + 1] <= 0x9f))
				return true;
			i += n - 1;
		}
	}
	return false;
}

const char *rb__escape_controls_dup(rb__arena *arena, const char *s)
{
	size_t len = strlen(s);
	if (!rb__needs_escape(s, len))
		return s;
	size_t cap = len * RB_ESCAPE_GROWTH + 8;
	char *out = rb__arena_alloc(arena, cap);
	return out ? rb__escape(out, cap, s, len, false) : NULL;
}
