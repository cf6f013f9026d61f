/*
 * Serializing an engine's change set (engine.h): every changed entry written
 * as rb_destination_write and rb_route_status_write write it, under what
 * happened to it, in one document (docs/embedding.md):
 *
 *   destinations:  [{change: Added|Changed|Removed, key, destination}]
 *   routeStatuses: [{change, kind, namespace, name, statuses: [...]}]
 *
 * (no destination, no statuses when removed). One call, one buffer: a
 * binding decodes the whole delta at once.
 */
#include "api/view.h"
#include "core/ctx.h"
#include "emit/emit.h"
#include "rebalance/engine.h"

static const char *change_name(rb_change c)
{
	switch (c) {
	case RB_CHANGE_ADDED:
		return "Added";
	case RB_CHANGE_CHANGED:
		return "Changed";
	case RB_CHANGE_REMOVED:
		return "Removed";
	}
	return "";
}

static int changes_view(rb__writer *w, const void *subject)
{
	const rb_changes *c = subject;
	size_t nd = rb_changes_destination_count(c), nr = rb_changes_route_count(c);
	RB_TRY(rb__w_map_begin(w, false));
	RB_TRY(rb__w_key(w, "destinations"));
	RB_TRY(rb__w_seq_begin(w, nd == 0));
	for (size_t i = 0; i < nd; i++) {
		const rb_destination *d = rb_changes_destination(c, i);
		RB_TRY(rb__w_map_begin(w, false));
		RB_TRY(rb__w_kv_str(w, "change", change_name(rb_changes_destination_change(c, i))));
		RB_TRY(rb__w_kv_str(w, "key", rb_changes_destination_key(c, i)));
		if (d) {
			RB_TRY(rb__w_key(w, "destination"));
			RB_TRY(rb__emit_destination(w, d));
		}
		RB_TRY(rb__w_map_end(w));
	}
	RB_TRY(rb__w_seq_end(w));
	RB_TRY(rb__w_key(w, "routeStatuses"));
	RB_TRY(rb__w_seq_begin(w, nr == 0));
	for (size_t i = 0; i < nr; i++) {
		rb_change what = rb_changes_route_change(c, i);
		size_t ns = rb_changes_route_status_count(c, i);
		RB_TRY(rb__w_map_begin(w, false));
		RB_TRY(rb__w_kv_str(w, "change", change_name(what)));
		RB_TRY(rb__w_kv_str(w, "kind", rb_changes_route_kind(c, i)));
		RB_TRY(rb__w_kv_str(w, "namespace", rb_changes_route_namespace(c, i)));
		RB_TRY(rb__w_kv_str(w, "name", rb_changes_route_name(c, i)));
		if (what != RB_CHANGE_REMOVED) {
			RB_TRY(rb__w_key(w, "statuses"));
			RB_TRY(rb__w_seq_begin(w, ns == 0));
			for (size_t j = 0; j < ns; j++)
				RB_TRY(rb__emit_route_status(w, rb_changes_route_status(c, i, j)));
			RB_TRY(rb__w_seq_end(w));
		}
		RB_TRY(rb__w_map_end(w));
	}
	RB_TRY(rb__w_seq_end(w));
	return rb__w_map_end(w);
}

int rb_changes_write(rb_ctx *ctx, const rb_changes *c, rb_format format, rb_write_fn write,
                     void *ud)
{
	return ctx && c ? rb__view_write(&ctx->mem, changes_view, c, format, write, ud) : RB_EINVAL;
}

int rb_changes_to_buffer(rb_ctx *ctx, const rb_changes *c, rb_format format, char **out,
                         size_t *len)
{
	if (out)
		*out = NULL;
	return ctx && c ? rb__view_to_buffer(&ctx->mem, changes_view, c, format, out, len)
	                : RB_EINVAL;
}
