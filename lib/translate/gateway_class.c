/*
 * Which Gateways are ours, as Envoy Gateway's Kubernetes provider decides it
 * (`managedGatewayClasses`: every GatewayClass whose spec.controllerName is
 * the configured controller name, all of them kept), plus the classes the
 * caller names. When that gives no class -- no GatewayClass of ours in the
 * input, none named -- the class is Envoy Gateway's test fixtures'
 * "envoy-gateway-class" (TestTranslate's GatewayClassName), which the
 * testdata layout relies on; warnings.c then says which classes the Gateways
 * use. Inside a class, `GetRelevantGateways` keeps the Gateways naming it.
 *
 * Rules: [input.class.controller].
 */
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "rebalance/options.h"
#include "translate/tr.h"

static int add_class(rb__tr *t, size_t *n, const char *name)
{
	if (rb__str_empty(name))
		return RB_OK;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(t->our_classes[i], name))
			return RB_OK;
	t->our_classes[(*n)++] = name;
	return RB_OK;
}

int rb__our_classes_init(rb__tr *t)
{
	const rb__tr_options *o = t->o;
	const rb__vec *classes = &t->m->gateway_classes;
	size_t cap = o->gateway_class_count + classes->len + 1;
	t->our_classes = rb__arena_calloc(&t->scratch, cap, sizeof(*t->our_classes));
	if (!t->our_classes)
		return RB_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < o->gateway_class_count; i++)
		add_class(t, &n, o->gateway_classes[i]);
	const char *controller =
	    o->controller_name ? o->controller_name : RB_DEFAULT_CONTROLLER_NAME;
	for (size_t i = 0; i < classes->len; i++) {
		const rb__gateway_class *gc = RB_VEC_AT(classes, const rb__gateway_class *, i);
		if (rb__str_eq(gc->controller_name, controller))
			add_class(t, &n, gc->meta.name);
	}
	t->class_fallback = n == 0;
	if (t->class_fallback)
		t->our_classes[n++] = RB_FALLBACK_GATEWAY_CLASS;
	t->our_class_count = n;
	return RB_OK;
}

bool rb__class_is_ours(const rb__tr *t, const char *class_name)
{
	for (size_t i = 0; i < t->our_class_count; i++)
		if (rb__str_eq(t->our_classes[i], class_name))
			return true;
	return false;
}
