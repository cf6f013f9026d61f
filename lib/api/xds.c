/* Serializing the xDS projection of a result (envoy/xds.c). */
#include "api/api.h"
#include "core/buf.h"
#include "envoy/envoy.h"

int rb_xds_write(const rb_result *res, rb_format format, rb_write_fn write, void *ud)
{
	if (!res || !write || (format != RB_FORMAT_YAML && format != RB_FORMAT_JSON))
		return RB_EINVAL;
	rb__writer *w;
	int rc = rb__writer_new(&w, &res->ctx->mem, format, write, ud);
	if (rc)
		return rc;
	rc = rb__emit_xds(w, &res->ir);
	int frc = rb__writer_finish(w);
	rb__writer_free(w);
	return rc ? rc : frc;
}

static int buf_write(void *ud, const void *p, size_t n)
{
	return rb__buf_append(ud, p, n) ? 0 : 1;
}

int rb_xds_to_buffer(const rb_result *res, rb_format format, char **out, size_t *len)
{
	if (!res || !out)
		return RB_EINVAL;
	*out = NULL;
	rb__buf b;
	rb__buf_init(&b, &res->ctx->mem);
	int rc = rb_xds_write(res, format, buf_write, &b);
	if (rc) {
		bool oom = b.failed;
		rb__buf_free(&b);
		return oom ? RB_ENOMEM : rc;
	}
	*out = rb__buf_take(&b, len);
	return *out ? RB_OK : RB_ENOMEM;
}
