/*
 * Loading one buffer: YAML or JSON, manifests, `kind: List` or the testdata
 * layout, each object handed to the sink.
 *
 * Rules: [input.form.layout] [input.form.manifests] [input.form.strict].
 */
#include "load/load.h"

#include <stdbool.h>

#include "load/text.h"

int rb__load(const rb__load_params *p, const rb__sink *sink)
{
	if (p->limits && (uint64_t)p->len > p->limits->input_bytes)
		return rb__load_yaml(p, sink); /* reports the size limit */
	rb__format fmt = p->format;
	if (fmt == RB_FMT_AUTO) {
		const unsigned char *s = p->buf;
		size_t n = s ? p->len : 0, i = rb__has_bom(s, n) ? 3 : 0;
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
			i++;
		fmt = (i < n && (s[i] == '{' || s[i] == '[')) ? RB_FMT_JSON : RB_FMT_YAML;
	}
	return fmt == RB_FMT_JSON ? rb__load_json(p, sink) : rb__load_yaml(p, sink);
}
