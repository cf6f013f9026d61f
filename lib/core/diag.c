/*
 * Diagnostics: located input errors as data, their accessors and FILE:LINE:COL formatting.
 *
 * Rules: [warn.format].
 */
#include "core/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"

void rb__diags_init(rb__diags *d, const rb__mem *mem, rb__arena *arena)
{
	d->mem = mem;
	d->arena = arena;
	d->items = (rb__vec)RB_VEC_INIT;
	d->lost = false;
}

void rb__diags_free(rb__diags *d)
{
	rb__vec_free(d->mem, &d->items);
}

rb_diag *rb__diag_add(rb__diags *d, int code, const char *source, uint32_t line, uint32_t column,
                      uint64_t offset, const char *path, const char *fmt, ...)
{
	rb_diag *g = rb__arena_calloc(d->arena, 1, sizeof(*g));
	if (!g)
		goto lost;
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *msg = rb__arena_alloc(d->arena, (size_t)n + 1);
	if (!msg)
		goto lost;
	if ((size_t)n < sizeof small) {
		memcpy(msg, small, (size_t)n + 1);
	} else {
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	/* Keys, values and file names come from input: a diagnostic shows their
	 * control characters escaped, so none can forge a line or drive a terminal. */
	g->code = code;
	g->source = rb__escape_controls_dup(d->arena, source ? source : "<buffer>");
	if (g->source == source)
		g->source = rb__arena_strdup(d->arena, source);
	g->line = line;
	g->column = column;
	g->offset = offset;
	g->path = rb__escape_controls_dup(d->arena, path ? path : "");
	if (g->path == path)
		g->path = rb__arena_strdup(d->arena, path);
	g->message = rb__escape_controls_dup(d->arena, msg);
	if (!g->source || !g->path || !g->message || !rb__vec_push_ptr(d->mem, &d->items, g))
		goto lost;
	return g;
lost:
	d->lost = true;
	return NULL;
}

/* ---- public accessors ---- */

int rb_diag_code(const rb_diag *d)
{
	return d ? d->code : RB_EINVAL;
}

const char *rb_diag_source(const rb_diag *d)
{
	return d ? d->source : "";
}

uint32_t rb_diag_line(const rb_diag *d)
{
	return d ? d->line : 0;
}

uint32_t rb_diag_column(const rb_diag *d)
{
	return d ? d->column : 0;
}

uint64_t rb_diag_offset(const rb_diag *d)
{
	return d ? d->offset : 0;
}

const char *rb_diag_path(const rb_diag *d)
{
	return d ? d->path : "";
}

const char *rb_diag_message(const rb_diag *d)
{
	return d ? d->message : "";
}

size_t rb_diag_format(const rb_diag *d, char *buf, size_t size)
{
	if (!d) {
		if (buf && size)
			buf[0] = '\0';
		return 0;
	}
	int n;
	const char *sep = d->path[0] ? ": " : "";
	if (d->line)
		n = snprintf(buf, size, "%s:%u:%u: %s%s%s", d->source, d->line, d->column, d->path,
		             sep, d->message);
	else
		n = snprintf(buf, size, "%s: %s%s%s", d->source, d->path, sep, d->message);
	return n < 0 ? 0 : (size_t)n;
}

char *rb_escape_text(char *buf, size_t size, const char *s)
{
	if (!buf || !size)
		return buf;
	return rb__escape(buf, size, s ? s : "", s ? strlen(s) : 0, false);
}

const char *rb_strerror(int code)
{
	switch (code) {
	case RB_OK:
		return "success";
	case RB_ENOMEM:
		return "out of memory";
	case RB_EINVAL:
		return "invalid argument";
	case RB_EPARSE:
		return "unusable input";
	case RB_ELIMIT:
		return "input exceeds a limit";
	case RB_EIO:
		return "input/output error";
	case RB_EUNSUPPORTED:
		return "not supported";
	default:
		return "unknown error";
	}
}
