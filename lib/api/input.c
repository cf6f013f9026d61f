/*
 * rb_input: reading buffers and files into the model, all or nothing.
 *
 * Rules: [input.form.merge] [input.namespace.manifests].
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "core/buf.h"
#include "core/strutil.h"
#include "load/load.h"
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

int rb_input_add_buffer(rb_input *in, const void *buf, size_t len, const char *source_name,
                        rb_input_format format)
{
	if (!in || (!buf && len) || (unsigned)format > RB_INPUT_JSON)
		return RB_EINVAL;
	const char *source = source_name ? source_name : "<buffer>";
	size_t ndiag = rb__diags_count(&in->diags);
	size_t nwarn = rb__diags_count(&in->warnings);
	rb__model_mark mark = rb__model_get_mark(&in->model);
	rb__arena_mark amark = rb__arena_get_mark(&in->model.arena);
	rb__model_sink_ctx sink_ctx = {&in->model,          &in->diags, source, NULL,
	                               in->default_namespace, &in->warnings};
	rb__sink sink = {rb__model_add_object, &sink_ctx};
	rb__load_params p = {source, buf ? buf : "", len, to_format(format), &in->ctx->limits,
	                     &in->ctx->mem, &in->diags, false};
	/* The model takes about 2/3 of the text's size in YAML, 1/3 in JSON (bench/). */
	rb__arena_hint(&in->model.arena, format == RB_INPUT_JSON ? len / 3 : len / 3 * 2);
	in->diags.lost = false;
	int rc = rb__load(&p, &sink);
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
	if (!in || !path)
		return RB_EINVAL;
	rb__buf b;
	rb__buf_init(&b, &in->ctx->mem);
	int rc = read_file(in, path, &b);
	if (!rc) {
		if (format == RB_INPUT_AUTO && rb__has_suffix(path, ".json"))
			format = RB_INPUT_JSON;
		rc = rb_input_add_buffer(in, b.data, b.len, path, format);
	}
	rb__buf_free(&b);
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
