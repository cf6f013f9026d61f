/* Writing any view of a result (IR, xDS, explanation) through the writer (view.h). */
#include "api/view.h"

#include "core/buf.h"
#include "rebalance/errors.h"

int rb__view_write(const rb__mem *mem, rb__view_fn view, const void *subject, rb_format format,
                   rb_write_fn write, void *ud)
{
	if (!write)
		return RB_EINVAL;
	rb__writer *w;
	int rc = rb__writer_new(&w, mem, format, write, ud);
	if (rc)
		return rc;
	rc = view(w, subject);
	int frc = rb__writer_finish(w);
	rb__writer_free(w);
	return rc ? rc : frc;
}

static int buf_write(void *ud, const void *p, size_t n)
{
	return rb__buf_append(ud, p, n) ? 0 : 1;
}

int rb__view_to_buffer(const rb__mem *mem, rb__view_fn view, const void *subject,
                       rb_format format, char **out, size_t *len)
{
	if (!out)
		return RB_EINVAL;
	*out = NULL;
	rb__buf b;
	rb__buf_init(&b, mem);
	int rc = rb__view_write(mem, view, subject, format, buf_write, &b);
	if (rc) {
		bool oom = b.failed;
		rb__buf_free(&b);
		return oom ? RB_ENOMEM : rc;
	}
	*out = rb__buf_take(&b, len);
	return *out ? RB_OK : RB_ENOMEM;
}
