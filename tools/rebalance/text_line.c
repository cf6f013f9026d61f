/* Text laid out for a terminal: the layout, a line, wrapping, numbers, bars (text_line.h). */
#define _POSIX_C_SOURCE 200809L /* isatty, fileno */
#include "text_line.h"

#include "rebalance/rebalance.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

enum { BAR_MAX = 40 };

/* ---- layout ---- */

static bool contains_nocase(const char *s, const char *what)
{
	size_t n = strlen(what);
	for (; *s; s++)
		if (!strncasecmp(s, what, n))
			return true;
	return false;
}

static bool locale_is_utf8(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v) /* the first one set decides, as setlocale reads them */
			return contains_nocase(v, "utf-8") || contains_nocase(v, "utf8");
	}
	return false;
}

static size_t clamp_width(long w)
{
	if (w < EXPLAIN_MIN_WIDTH)
		return EXPLAIN_MIN_WIDTH;
	return w > EXPLAIN_MAX_WIDTH ? EXPLAIN_MAX_WIDTH : (size_t)w;
}

void explain_layout_detect(explain_layout *l, FILE *out, size_t width, const char *color_mode,
                           bool wide)
{
	bool tty = isatty(fileno(out));
	l->wide = wide;
	l->utf8 = locale_is_utf8();
	l->width = 80;
	const char *cols = getenv("COLUMNS");
	char *end;
	long c = cols && *cols ? strtol(cols, &end, 10) : 0;
	struct winsize ws;
	if (width)
		l->width = clamp_width((long)width);
	else if (cols && *cols && !*end && c > 0)
		l->width = clamp_width(c);
	else if (tty && !ioctl(fileno(out), TIOCGWINSZ, &ws) && ws.ws_col)
		l->width = clamp_width(ws.ws_col);
	bool want = color_mode && !strcmp(color_mode, "always")  ? true
	            : color_mode && !strcmp(color_mode, "never") ? false
	                                                         : tty;
	const char *no_color = getenv("NO_COLOR");
	l->color = want && !(no_color && *no_color);
}

/* ---- a line being built ---- */

/* Display width of UTF-8 text: one column per code point. */
size_t text_width_of(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

/* Append `n` bytes of already escaped text. */
void text_put_n(text_line *l, const char *s, size_t n, const char *color)
{
	const char *paint = l->lay->color && n ? color : NULL;
	size_t clen = paint ? strlen(paint) : 0;
	if (l->len + n + clen + (paint ? 4 : 0) + 1 > sizeof l->buf)
		return; /* beyond any width we lay out; never overflow */
	if (paint) {
		memcpy(l->buf + l->len, paint, clen);
		l->len += clen;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	if (paint) {
		memcpy(l->buf + l->len, "\033[0m", 4);
		l->len += 4;
	}
	l->col += text_width_of(s, n);
}

void text_put(text_line *l, const char *s, const char *color)
{
	text_put_n(l, s, strlen(s), color);
}

void text_pad_to(text_line *l, size_t col)
{
	while (l->col < col && l->len + 2 < sizeof l->buf) {
		l->buf[l->len++] = ' ';
		l->col++;
	}
}

void text_emit(text_line *l)
{
	while (l->len && l->buf[l->len - 1] == ' ')
		l->len--; /* no trailing blanks */
	fwrite(l->buf, 1, l->len, l->out);
	fputc('\n', l->out);
	l->len = 0;
	l->col = 0;
}

/* Input-derived text, escaped (malloc'd; "" when out of memory). */
char *text_escaped(const char *raw)
{
	size_t n = strlen(raw ? raw : "") * 4 + 1;
	char *e = malloc(n);
	if (e)
		rb_escape_text(e, n, raw ? raw : "");
	return e;
}

/*
 * A paragraph of escaped text from column `indent` (the line may already
 * hold text up to there), later lines from `hang`, broken at spaces so that
 * no line passes the width; a word longer than a whole line stands alone on
 * its line, uncut. Each "\n" starts a new line.
 */
void text_para_escaped(text_line *l, size_t indent, size_t hang, const char *text,
                       const char *color)
{
	size_t width = l->lay->width;
	const char *p = text;
	text_pad_to(l, indent);
	/* the words of the current line, [start, end), put as one coloured run */
	const char *start = NULL, *end = NULL;
	size_t col = l->col;
	while (*p) {
		if (*p == '\n' ||
		    (start &&
		     col + (size_t)(p - end) + text_width_of(p, strcspn(p, " \n")) > width)) {
			if (start)
				text_put_n(l, start, (size_t)(end - start), color);
			text_emit(l);
			text_pad_to(l, hang);
			col = l->col;
			start = NULL;
			if (*p == '\n') {
				p++;
				continue;
			}
		}
		size_t word = strcspn(p, " \n");
		col += (start ? (size_t)(p - end) : 0) + text_width_of(p, word);
		if (!start)
			start = p;
		end = p + word;
		p = end;
		while (*p == ' ')
			p++;
	}
	if (start)
		text_put_n(l, start, (size_t)(end - start), color);
	text_emit(l);
}

/* The same for raw (input-derived) text: escaped line by line. */
void text_para(text_line *l, size_t indent, size_t hang, const char *raw, const char *color)
{
	/* a message of several errors has one per line: keep those breaks */
	char *copy = strdup(raw ? raw : "");
	size_t cap = strlen(raw ? raw : "") * 4 + 2;
	char *all = malloc(cap);
	if (!copy || !all) {
		free(copy);
		free(all);
		return;
	}
	all[0] = '\0';
	size_t used = 0;
	for (char *s = copy, *next; s; s = next) {
		next = strchr(s, '\n');
		if (next)
			*next++ = '\0';
		char *e = text_escaped(s);
		if (e) {
			size_t n = strlen(e);
			if (used + n + 2 <= cap) {
				memcpy(all + used, e, n);
				used += n;
				if (next)
					all[used++] = '\n';
				all[used] = '\0';
			}
		}
		free(e);
	}
	text_para_escaped(l, indent, hang, all, color);
	free(copy);
	free(all);
}

/* ---- numbers ---- */

/* "90.0%" with our own digits (no locale); "<0.1%" for a sliver; "-" for none. */
void text_pct(double share, char out[16], bool dash_for_zero)
{
	if (!(share > 0)) {
		snprintf(out, 16, "%s", dash_for_zero ? "-" : "0.0%");
		return;
	}
	if (share > 1)
		share = 1;
	unsigned v = (unsigned)(share * 1000 + 0.5);
	if (v == 0) {
		snprintf(out, 16, "<0.1%%");
		return;
	}
	snprintf(out, 16, "%u.%u%%", v / 10, v % 10);
}

void text_put_right(text_line *l, size_t end_col, const char *s, const char *color)
{
	size_t w = text_width_of(s, strlen(s));
	text_pad_to(l, end_col > w ? end_col - w : 0);
	text_put(l, s, color);
}

/* A bar of `cells` cells: eighths in UTF-8, '#' in ASCII; a non-zero share shows a sliver. */
void text_bar(text_line *l, double share, size_t cells, const char *color)
{
	static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	if (!(share > 0) || !cells)
		return;
	if (cells > BAR_MAX)
		cells = BAR_MAX; /* the buffer below holds that many */
	if (share > 1)
		share = 1;
	char tmp[BAR_MAX * 3 + 8] = "";
	size_t n = 0;
	if (l->lay->utf8) {
		unsigned e = (unsigned)(share * (double)cells * 8 + 0.5);
		if (!e)
			e = 1;
		for (unsigned i = 0; i < e / 8; i++)
			n += (size_t)snprintf(tmp + n, sizeof tmp - n, "█");
		snprintf(tmp + n, sizeof tmp - n, "%s", eighths[e % 8]);
	} else {
		unsigned c = (unsigned)(share * (double)cells + 0.5);
		if (!c)
			c = 1;
		for (unsigned i = 0; i < c && n + 1 < sizeof tmp; i++)
			tmp[n++] = '#';
		tmp[n] = '\0';
	}
	text_put(l, tmp, color);
}
