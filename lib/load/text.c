/* Positions in input text: line, column in code points and byte offset (text.h). */
#include "load/text.h"

rb__ld_loc rb__text_scan(const unsigned char *s, size_t s0, size_t len, rb__ld_loc from, size_t off,
                         bool yaml_breaks)
{
	rb__ld_loc loc = from;
	size_t i = (size_t)from.offset;
	if (off > len)
		off = len;
	while (i < off) {
		unsigned char c = s[i - s0];
		size_t brk = 0; /* bytes of a line break at i */
		if (c == '\n') {
			brk = 1;
		} else if (c == '\r') {
			brk = (i + 1 < len && s[i + 1 - s0] == '\n') ? 2 : 1;
		} else if (yaml_breaks && c == 0xC2 && i + 1 < len && s[i + 1 - s0] == 0x85) {
			brk = 2;
		} else if (yaml_breaks && c == 0xE2 && i + 2 < len && s[i + 1 - s0] == 0x80 &&
		           (s[i + 2 - s0] == 0xA8 || s[i + 2 - s0] == 0xA9)) {
			brk = 3;
		}
		if (brk) {
			if (i + brk > off) /* the offset is inside a CRLF: on the CR */
				break;
			i += brk;
			if (loc.line < UINT32_MAX)
				loc.line++;
			loc.column = 1;
			continue;
		}
		size_t k = c < 0x80 ? 1 : rb__utf8_seq(s + (i - s0), len - i);
		if (k == 0)
			k = 1;
		if (i + k > off)
			break;
		i += k;
		if (loc.column < UINT32_MAX)
			loc.column++;
	}
	loc.offset = i;
	return loc;
}

rb__ld_loc rb__text_loc(const unsigned char *s, size_t len, size_t off, bool yaml_breaks)
{
	rb__ld_loc from = {1, 1, rb__has_bom(s, len) ? 3 : 0};
	rb__ld_loc loc = rb__text_scan(s, 0, len, from, off, yaml_breaks);
	loc.offset = off;
	return loc;
}
