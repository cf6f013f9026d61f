/*
 * The one escaping rule for text printed from input (diagnostics, warnings,
 * explain text; docs/escaping.md): control characters, ESC, CR/LF, DEL, C1
 * controls and invalid UTF-8 are shown as \n, \r, \t, \xHH or \u00HH, so no
 * name or key can move the cursor, recolour a terminal or forge a line.
 * JSON and YAML output do not use it: their writers escape as their formats do.
 */
#ifndef RB_CORE_ESCAPE_H
#define RB_CORE_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

/* Worst-case growth: "\u00HH" (6 bytes) for a 2-byte C1 control, "\xHH" (4) for one byte. */
enum { RB_ESCAPE_GROWTH = 4 };

/*
 * Copy s[0..len) into out (cap bytes, NUL-terminated, truncated with "...")
 * by the rule above; `quotes` also escapes '"' and '\\' (for values printed
 * between quotes). Returns out.
 */
char *rb__escape(char *out, size_t cap, const char *s, size_t len, bool quotes);

/* The rule with quotes: a value shown between quotes in a message. */
char *rb__escape_text(char *out, size_t cap, const char *s, size_t len);

/* rb__escape_text, whole (no truncation), into `arena`; NULL when out of memory. */
char *rb__escape_dup(rb__arena *arena, const char *s);

/* True when s[0..len) holds a byte the rule would escape (quotes not counted). */
bool rb__needs_escape(const char *s, size_t len);

/* The rule without quotes, whole, into `arena` (s itself when nothing needs escaping). */
const char *rb__escape_controls_dup(rb__arena *arena, const char *s);

#endif
