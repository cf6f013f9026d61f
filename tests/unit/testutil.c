/* Shared helpers of the Check unit tests (testutil.h). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

char *tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf)
			break;
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
		if (n + 1 == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		if (len)
			*len = n;
	}
	return buf;
}

tu_fixture tu_translate(const char *doc)
{
	rb_translate_options defaults = RB_TRANSLATE_OPTIONS_INIT;
	return tu_translate_with(doc, &defaults);
}

tu_fixture tu_translate_with(const char *doc, const rb_translate_options *opts)
{
	tu_fixture f = {NULL, NULL, NULL};
	ck_assert_int_eq(rb_ctx_new(&f.ctx, NULL), RB_OK);
	ck_assert_int_eq(rb_input_new(&f.in, f.ctx), RB_OK);
	if (rb_input_add_buffer(f.in, doc, strlen(doc), "test.yaml", RB_INPUT_YAML)) {
		char msg[1024];
		rb_diag_format(rb_input_diag(f.in, 0), msg, sizeof msg);
		ck_abort_msg("input rejected: %s", msg);
	}
	ck_assert_int_eq(rb_translate(&f.res, f.in, opts), RB_OK);
	return f;
}

void tu_done(tu_fixture *f)
{
	rb_result_free(f->res);
	rb_input_free(f->in);
	rb_ctx_free(f->ctx);
}

typedef struct text {
	char *data;
	size_t len;
} text;

static int collect(void *ud, const void *bytes, size_t len)
{
	text *t = ud;
	char *grown = realloc(t->data, t->len + len + 1);
	if (!grown)
		return -1;
	memcpy(grown + t->len, bytes, len);
	t->data = grown;
	t->len += len;
	t->data[t->len] = '\0';
	return 0;
}

char *tu_render(const rb_result *res, rb_format format)
{
	text t = {NULL, 0};
	ck_assert_int_eq(rb_result_write(res, format, collect, &t), RB_OK);
	return t.data;
}

int tu_sink_write(void *ud, const void *bytes, size_t len)
{
	tu_sink *s = ud;
	s->calls++;
	if (s->failed)
		s->calls_after++;
	if (s->fail_at && s->calls >= s->fail_at) {
		s->failed = true;
		return -1;
	}
	if (len > s->max_chunk)
		s->max_chunk = len;
	if (len == 64 * 1024)
		s->chunks_64k++;
	if (s->len + len + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 1024;
		while (cap < s->len + len + 1)
			cap *= 2;
		s->data = realloc(s->data, cap);
		ck_assert_ptr_nonnull(s->data);
		s->cap = cap;
	}
	memcpy(s->data + s->len, bytes, len);
	s->len += len;
	s->data[s->len] = '\0';
	return 0;
}

int tu_alloc_budget;

void *tu_budget_realloc(void *ud, void *p, size_t old, size_t n)
{
	(void)ud;
	(void)old;
	if (n == 0) {
		free(p);
		return NULL;
	}
	if (tu_alloc_budget-- <= 0)
		return NULL;
	return realloc(p, n);
}
