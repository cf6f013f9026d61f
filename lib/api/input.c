/*
 * rb_input: reading buffers and files into the model, all or nothing.
 *
 * Rules: [input.form.merge] [input.namespace.manifests].
 */
#define _POSIX_C_SOURCE 200809L /* open with O_CLOEXEC */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "core/buf.h"
#include "core/strutil.h"
#include "load/instream.h"
#include "load/load.h"
#include "load/text.h"
#include "model/input.h"

int rb_input_new(rb_input **out, rb_ctx *ctx)
{
	if (!out || !ctx)
		return RB_EINVAL;
	*out = NULL;
	rb_input *in = rb__calloc(&ctx->mem, 1, sizeof(*in));
	if (!in)
		return RB_ENOMEM;
	in->ctx = ctx;
	rb__model_init(&in->model, &ctx->mem);
	rb__arena_init(&in->diag_arena, &ctx->mem);
	rb__diags_init(&in->diags, &ctx->mem, &in->diag_arena);
	rb__diags_init(&in->warnings, &ctx->mem, &in->diag_arena);
	atomic_init(&in->refs, 1);
	*out = in;
	return RB_OK;
}

void rb_input_free(rb_input *in)
{
	rb__input_unref(in);
}

static rb__format to_format(rb_input_format f)
{
	return f == RB_INPUT_JSON ? RB_FMT_JSON : f == RB_INPUT_YAML ? RB_FMT_YAML : RB_FMT_AUTO;
}

/* Load a buffer (buf, len) or a YAML stream into the model, all or nothing. `size` is the input's
 * size where known (for the arena's first chunk), else 0. */
static int add_loaded(rb_input *in, const char *source, const void *buf, size_t len,
                      rb__instream *stream, uint64_t size, rb_input_format format)
{
	size_t ndiag = rb__diags_count(&in->diags);
	size_t nwarn = rb__diags_count(&in->warnings);
	rb__model_mark mark = rb__model_get_mark(&in->model);
	rb__arena_mark amark = rb__arena_get_mark(&in->model.arena);
	rb__model_sink_ctx sink_ctx = {&in->model,          &in->diags,     source, NULL,
	                               in->default_namespace, &in->warnings, NULL,   NULL};
	rb__sink sink = {rb__model_add_object, &sink_ctx};
	rb__load_params p = {source, buf ? buf : "", len, to_format(format), &in->ctx->limits,
	                     &in->ctx->mem, &in->diags, false};
	/* The model takes about 2/3 of the text's size in YAML, 1/3 in JSON (bench/). */
	rb__arena *arena = &in->model.arena;
	if (size && size <= SIZE_MAX) {
		rb__arena_hint(arena, format == RB_INPUT_JSON ? (size_t)size / 3 : (size_t)size / 3 * 2);
		/* Huge pages only for what the model will likely fill, half the
		 * text's size (a quarter of JSON's), about 3/4 of the guess above:
		 * past it small pages, where the model's last huge page, touched in
		 * part, cost up to 2 MiB. A text of comments gets small pages. */
		size_t likely = format == RB_INPUT_JSON ? (size_t)size / 4 : (size_t)size / 2;
		rb__arena_hint_filled(arena, arena->total + likely);
	} else {
		/* Size unknown (a pipe): huge pages throughout, as before. */
		rb__arena_hint_filled(arena, SIZE_MAX);
	}
	in->diags.lost = false;
	int rc = stream ? rb__load_yaml_stream(&p, stream, &sink) : rb__load(&p, &sink);
	if (rc && in->diags.lost)
		rc = RB_ENOMEM; /* its located diagnostic was lost: not a vaguer RB_EPARSE */
	/* Equal strings of the next buffer need not share with this one's. */
	rb__arena_intern_done(&in->model.arena);
	if (rc) {
		/* A buffer is taken whole or not at all. */
		rb__model_rewind(&in->model, &mark);
		rb__arena_rewind(&in->model.arena, amark);
		in->warnings.items.len = nwarn; /* the buffer's warnings go with it */
		/* Every failure leaves a diagnostic, also the ones no lower layer described. */
		if (rb__diags_count(&in->diags) == ndiag || rc == RB_ENOMEM)
			rb__diag_add(&in->diags, rc, source, 0, 0, 0, "", "%s", rb_strerror(rc));
	}
	return rc;
}

int rb_input_add_buffer(rb_input *in, const void *buf, size_t len, const char *source_name,
                        rb_input_format format)
{
	if (!in || (!buf && len) || (unsigned)format > RB_INPUT_JSON)
		return RB_EINVAL;
	return add_loaded(in, source_name ? source_name : "<buffer>", buf, len, NULL, len, format);
}

/* A diagnostic for a stream that could not be read (a failed read, or no memory for it). */
static int stream_failed(rb_input *in, const char *source, const rb__instream *st)
{
	int rc = st->nomem ? RB_ENOMEM : RB_EIO;
	if (st->nomem)
		rb__diag_add(&in->diags, rc, source, 0, 0, 0, "", "%s", rb_strerror(rc));
	else
		rb__diag_add(&in->diags, rc, source, 0, 0, 0, "", "read error: %s",
		             strerror(st->error));
	return rc;
}

/* Whether the input starts, past a byte order mark and blanks, with '{' or '[' (rb__load's
 * test), reading as far as it takes; false also when the input ends or passes `limit` first. */
static bool sniff_json(rb__instream *st, uint64_t limit)
{
	size_t i = 0;
	bool bom_known = false;
	for (;;) {
		size_t n = (size_t)st->end;
		if (!bom_known && (n >= 3 || st->eof || rb__instream_failed(st))) {
			i = rb__has_bom(st->data, n) ? 3 : 0;
			bom_known = true;
		}
		if (bom_known) {
			const unsigned char *s = st->data;
			while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
				i++;
			if (i < n)
				return s[i] == '{' || s[i] == '[';
		}
		if (st->eof || rb__instream_failed(st) || (uint64_t)n > limit)
			return false;
		rb__instream_fill(st, 0);
	}
}

/*
 * Read a file descriptor to its end. YAML is parsed as it is read (a window
 * at a time, never the whole input in memory); JSON, which cJSON parses from
 * one buffer, is read whole first (sized from fstat for a regular file), and
 * so is a regular file past the input-bytes limit (it is refused, with the
 * limit's diagnostic, without being parsed). Positions, limits and messages
 * are those of the same bytes given to rb_input_add_buffer.
 */
static int add_fd(rb_input *in, int fd, const char *source, rb_input_format format)
{
	rb__instream st;
	rb__instream_init(&st, fd, &in->ctx->mem);
	uint64_t limit = in->ctx->limits.input_bytes;
	int rc;
	bool whole = format == RB_INPUT_JSON || (st.regular && st.size > limit);
	if (!whole && format == RB_INPUT_AUTO && sniff_json(&st, limit))
		whole = true;
	if (rb__instream_failed(&st)) {
		rc = stream_failed(in, source, &st);
	} else if (whole) {
		rc = rb__instream_slurp(&st, limit)
		         ? add_loaded(in, source, st.data, (size_t)st.end, NULL, st.end, format)
		         : stream_failed(in, source, &st);
	} else {
		rc = add_loaded(in, source, NULL, 0, &st, st.size, RB_INPUT_YAML);
	}
	rb__instream_free(&st);
	return rc;
}

int rb_input_add_fd(rb_input *in, int fd, const char *source_name, rb_input_format format)
{
	if (!in || fd < 0 || (unsigned)format > RB_INPUT_JSON)
		return RB_EINVAL;
	return add_fd(in, fd, source_name ? source_name : "<fd>", format);
}

/* Read a whole file within the input-size limit. */
static int read_file(rb_input *in, const char *path, rb__buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		rb__diag_add(&in->diags, RB_EIO, path, 0, 0, 0, "", "cannot open: %s", strerror(errno));
		return RB_EIO;
	}
	uint64_t limit = in->ctx->limits.input_bytes;
	int rc = RB_OK;
	char chunk[65536];
	size_t n;
	/* Past the limit, stop reading: the loader reports the limit at its byte. */
	while ((uint64_t)b->len <= limit && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (!rb__buf_append(b, chunk, n)) {
			rb__diag_add(&in->diags, RB_ENOMEM, path, 0, 0, 0, "", "%s", rb_strerror(RB_ENOMEM));
			rc = RB_ENOMEM;
			break;
		}
	}
	if (!rc && ferror(f)) {
		rb__diag_add(&in->diags, RB_EIO, path, 0, 0, 0, "", "read error: %s", strerror(errno));
		rc = RB_EIO;
	}
	fclose(f);
	return rc;
}

int rb_input_add_file(rb_input *in, const char *path, rb_input_format format)
{
	if (!in || !path || (unsigned)format > RB_INPUT_JSON)
		return RB_EINVAL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rb__diag_add(&in->diags, RB_EIO, path, 0, 0, 0, "", "cannot open: %s", strerror(errno));
		return RB_EIO;
	}
	if (format == RB_INPUT_AUTO && rb__has_suffix(path, ".json"))
		format = RB_INPUT_JSON;
	int rc = add_fd(in, fd, path, format);
	close(fd);
	return rc;
}

int rb_input_add_config(rb_input *in, const void *buf, size_t len, const char *source_name)
{
	if (!in || (!buf && len))
		return RB_EINVAL;
	const char *source = source_name ? source_name : "<config>";
	size_t ndiag = rb__diags_count(&in->diags);
	rb__arena_mark amark = rb__arena_get_mark(&in->model.arena);
	rb__config *c;
	in->diags.lost = false;
	int rc = rb__config_load(source, buf ? buf : "", len, &in->ctx->limits, &in->ctx->mem,
	                         &in->model.arena, &in->diags, &c);
	if (rc && in->diags.lost)
		rc = RB_ENOMEM;
	if (rc) {
		rb__arena_rewind(&in->model.arena, amark);
		if (rb__diags_count(&in->diags) == ndiag || rc == RB_ENOMEM)
			rb__diag_add(&in->diags, rc, source, 0, 0, 0, "", "%s", rb_strerror(rc));
		return rc;
	}
	in->model.config = c;
	return RB_OK;
}

int rb_input_add_config_file(rb_input *in, const char *path)
{
	if (!in || !path)
		return RB_EINVAL;
	rb__buf b;
	rb__buf_init(&b, &in->ctx->mem);
	int rc = read_file(in, path, &b);
	if (!rc)
		rc = rb_input_add_config(in, b.data, b.len, path);
	rb__buf_free(&b);
	return rc;
}

size_t rb_input_diag_count(const rb_input *in)
{
	return in ? rb__diags_count(&in->diags) : 0;
}

const rb_diag *rb_input_diag(const rb_input *in, size_t i)
{
	return in ? rb__diags_at(&in->diags, i) : NULL;
}

size_t rb_input_object_count(const rb_input *in)
{
	return in ? in->model.object_count : 0;
}

int rb_input_set_namespace(rb_input *in, const char *namespace_)
{
	if (!in || !namespace_ || !*namespace_)
		return RB_EINVAL;
	const char *copy = rb__arena_strdup(&in->model.arena, namespace_);
	if (!copy)
		return RB_ENOMEM;
	in->default_namespace = copy;
	return RB_OK;
}

size_t rb_input_warning_count(const rb_input *in)
{
	return in ? rb__diags_count(&in->warnings) : 0;
}

const rb_diag *rb_input_warning(const rb_input *in, size_t i)
{
	return in ? rb__diags_at(&in->warnings, i) : NULL;
}
