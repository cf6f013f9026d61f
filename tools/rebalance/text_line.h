/*
 * Text laid out for a terminal (explain's text, explain_text.c): the layout
 * decided from options and environment, and a line being built -- columns
 * counted per code point, ANSI colour only when the layout allows it, words
 * wrapped at spaces and never cut. Every input-derived string goes through
 * text_escaped (rb_escape_text, docs/escaping.md) before it is put.
 */
#ifndef RB_CLI_TEXT_LINE_H
#define RB_CLI_TEXT_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define RED    "\033[31m"
#define CYAN   "\033[36m"
#define DIM    "\033[2m"
#define BOLD   "\033[1m"

/* How the text is laid out: decided once from options and environment. */
typedef struct explain_layout {
	size_t width; /* columns: --width, else $COLUMNS, else the terminal's, else 80 */
	bool utf8;    /* bars in block characters; ASCII unless the locale is UTF-8 */
	bool color;   /* ANSI colours */
	bool wide;    /* -o wide: Envoy's terms beside the plain words */
} explain_layout;

enum { EXPLAIN_MIN_WIDTH = 66, EXPLAIN_MAX_WIDTH = 1000 };

/*
 * Fill `l` from the environment of `out`: the width from `width` when non-zero,
 * else COLUMNS, else the terminal's, else 80; UTF-8 from LC_ALL, LC_CTYPE,
 * LANG (the first that is set and non-empty); colour per `color_mode`
 * ("auto": only on a terminal; "always"; "never"), never with NO_COLOR set.
 */
void explain_layout_detect(explain_layout *l, FILE *out, size_t width, const char *color_mode,
                           bool wide);

/* A line being built. */
typedef struct text_line {
	char buf[8192];
	size_t len;
	size_t col; /* display columns so far */
	const explain_layout *lay;
	FILE *out;
} text_line;

/* Display width of UTF-8 text: one column per code point. */
size_t text_width_of(const char *s, size_t n);
/* Append escaped text (n bytes, or a string), in `color` when the layout has colour. */
void text_put_n(text_line *l, const char *s, size_t n, const char *color);
void text_put(text_line *l, const char *s, const char *color);
/* Append `s` so that it ends at column `end_col`. */
void text_put_right(text_line *l, size_t end_col, const char *s, const char *color);
/* Blanks up to column `col`. */
void text_pad_to(text_line *l, size_t col);
/* Write the line (without trailing blanks) and start a new one. */
void text_emit(text_line *l);
/* Input-derived text, escaped (malloc'd; NULL when out of memory). */
char *text_escaped(const char *raw);
/*
 * A paragraph of escaped text from column `indent` (the line may already
 * hold text up to there), later lines from `hang`, broken at spaces so that
 * no line passes the width; a word longer than a whole line stands alone on
 * its line, uncut. Each "\n" starts a new line.
 */
void text_para_escaped(text_line *l, size_t indent, size_t hang, const char *text,
                       const char *color);
/* The same for raw (input-derived) text: escaped line by line. */
void text_para(text_line *l, size_t indent, size_t hang, const char *raw, const char *color);
/* "90.0%" with our own digits (no locale); "<0.1%" for a sliver; "-" or "0.0%" for none. */
void text_pct(double share, char out[16], bool dash_for_zero);
/* A bar of `cells` cells: eighths in UTF-8, '#' in ASCII; a non-zero share shows a sliver. */
void text_bar(text_line *l, double share, size_t cells, const char *color);

#endif
