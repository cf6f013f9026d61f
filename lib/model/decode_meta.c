/* ObjectMeta and label selectors. */
#include "model/schemas.h"
#include "rebalance/errors.h"

int rb__check_api_version(rb__dctx *d, const rb__node *v, void *base)
{
	(void)base;
	const char *api_version;
	return rb__decode_string(d, v, &api_version);
}

/* metadata.generation changes no result: it is checked as the API server
 * would (a non-negative integer), and not kept. */
static int check_generation(rb__dctx *d, const rb__node *v, void *base)
{
	(void)base;
	int64_t generation;
	return rb__decode_int(d, v, 0, INT64_MAX, &generation);
}

static const rb__field OBJMETA_FIELDS[] = {
	RB_F_STR("name", rb__objmeta, name),
	RB_F_STR("namespace", rb__objmeta, namespace_),
	RB_F_KV("labels", rb__objmeta, labels, label_count),
	RB_F_KV("annotations", rb__objmeta, annotations, annotation_count),
	RB_F_FN("generation", check_generation),
};
const rb__schema rb__schema_objmeta = RB_SCHEMA("metadata", rb__objmeta, OBJMETA_FIELDS, NULL);

int rb__check_object_meta(rb__dctx *d, const rb__node *map, const rb__objmeta *meta,
                          const char *what)
{
	if (meta->name && meta->name[0])
		return RB_OK;
	const rb__node *md = rb__node_get(map, "metadata");
	rb__node_error(d->diags, d->source, md ? md : map, "%s needs metadata.name", what);
	return RB_EPARSE;
}

static const rb__field REQUIREMENT_FIELDS[] = {
	RB_F_STR_REQ("key", rb__label_requirement, key),
	RB_F_STR_REQ("operator", rb__label_requirement, op),
	RB_F_STRS("values", rb__label_requirement, values, value_count),
};
static const rb__schema REQUIREMENT =
	RB_SCHEMA("a label selector requirement", rb__label_requirement, REQUIREMENT_FIELDS, NULL);

static const rb__field SELECTOR_FIELDS[] = {
	RB_F_KV("matchLabels", rb__label_selector, match_labels, match_label_count),
	RB_F_LIST("matchExpressions", rb__label_selector, match_expressions, match_expression_count,
	          REQUIREMENT),
};
const rb__schema rb__schema_label_selector =
	RB_SCHEMA("a label selector", rb__label_selector, SELECTOR_FIELDS, NULL);
