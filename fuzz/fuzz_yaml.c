/*
 * fuzz_yaml: the YAML stream loader and the decoders -- rb_input_add_buffer
 * with RB_INPUT_YAML, i.e. libyaml events, limits, anchors and aliases (an
 * expansion budget is set so that the alias code is reached), layouts, node
 * trees and every resource decoder into the model.
 *
 * Checks the contract of a failed buffer (fuzz_common.h): one diagnostic
 * with a consistent location, the input unchanged. And the loader reading
 * the same bytes from a file a few bytes at a time (rb__load_yaml_stream, as
 * files and pipes are read) gives the code, the diagnostics and the number
 * of objects of the buffer: the first byte picks the read size (1-8 bytes)
 * and whether the input-bytes limit falls in the middle of the text.
 */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include "fuzz_common.h"

#include "load/instream.h"
#include "load/load.h"

static int count_object(void *ud, const rb__node *obj, const char *layout_key)
{
	(void)obj;
	(void)layout_key;
	++*(size_t *)ud;
	return RB_OK;
}

/* The code, the diagnostics and (when it loads) the object count, as one string. */
static char *load_yaml(const uint8_t *data, size_t size, size_t chunk, const rb__limits *limits)
{
	rb__mem mem;
	rb__mem_default(&mem);
	rb__arena arena;
	rb__arena_init(&arena, &mem);
	rb__diags diags;
	rb__diags_init(&diags, &mem, &arena);
	size_t objects = 0;
	rb__load_params p = {"in.yaml", data, size, RB_FMT_YAML, limits, &mem, &diags, false};
	rb__sink sink = {count_object, &objects};
	int rc;
	if (!chunk) {
		rc = rb__load_yaml(&p, &sink);
	} else {
		FILE *f = tmpfile();
		if (!f || fwrite(data, 1, size, f) != size || fflush(f) || fseek(f, 0, SEEK_SET))
			rb_fuzz_fail("tmpfile");
		rb__instream in;
		rb__instream_init(&in, fileno(f), &mem);
		in.chunk = chunk;
		p.buf = NULL;
		p.len = 0;
		rc = rb__load_yaml_stream(&p, &in, &sink);
		rb__instream_free(&in);
		fclose(f);
	}
	size_t cap = 64 + rb__diags_count(&diags) * 1100, len = 0;
	char *out = malloc(cap);
	if (!out)
		rb_fuzz_fail("malloc");
	len += (size_t)snprintf(out, cap, "rc %d objects %zu\n", rc, rc ? (size_t)0 : objects);
	for (size_t i = 0; i < rb__diags_count(&diags); i++) {
		const rb_diag *d = rb__diags_at(&diags, i);
		char line[1024];
		rb_diag_format(d, line, sizeof line);
		len += (size_t)snprintf(out + len, cap - len, "%s @%llu\n", line,
		                        (unsigned long long)rb_diag_offset(d));
	}
	rb__diags_free(&diags);
	rb__arena_free(&arena);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rb_ctx *ctx = rb_fuzz_ctx(4096);
	rb_input *in = NULL;
	if (rb_input_new(&in, ctx) != RB_OK)
		rb_fuzz_fail("rb_input_new");
	rb_fuzz_add(in, data, size, "input.yaml", RB_INPUT_YAML);
	rb_input_free(in);
	rb_ctx_free(ctx);

	rb__limits limits;
	rb__limits_default(&limits);
	limits.alias_expansion = 4096;
	size_t chunk = size ? 1 + data[0] % 8 : 1;
	if (size && data[0] & 0x80)
		limits.input_bytes = size / 2;
	char *whole = load_yaml(data, size, 0, &limits);
	char *streamed = load_yaml(data, size, chunk, &limits);
	if (strcmp(whole, streamed) != 0)
		rb_fuzz_fail("read %zu bytes at a time:\n%s\nfrom a buffer:\n%s", chunk, streamed,
		             whole);
	free(whole);
	free(streamed);
	return 0;
}
