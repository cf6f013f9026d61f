/*
 * The route filter pass, shared by its parts (Envoy Gateway's
 * ProcessHTTPFilters / ProcessGRPCFilters):
 *
 *   filters.c        the loop, filter validation, mirrors, the conflict checks
 *   filter_headers.c Request/ResponseHeaderModifier
 *   filter_rewrite.c URLRewrite and RequestRedirect (and hostname validation)
 *   filter_hrf.c     ExtensionRef: HTTPRouteFilter and extension kinds
 *
 * Each part reports its errors through rb__filter_fail; a filter that answers
 * on its own sets out->direct_response, which stops the loop.
 */
#ifndef RB_TRANSLATE_FILTERS_H
#define RB_TRANSLATE_FILTERS_H

#include "translate/tr.h"

typedef struct rb__filter_pass {
	rb__tr *t;
	const rb__parent *p;
	size_t rule_index;
	bool grpc;
	rb__vec *errors; /* rb__route_error */
	rb__rule_filters *out;
} rb__filter_pass;

/*
 * Record a filter error of condition `type` (Accepted errors name the rule):
 * any type but BackendsAvailable makes the rule answer 500, and the first of
 * those is kept as the rule's reason (`filter` says which filter).
 */
int rb__filter_fail(rb__filter_pass *fp, rb__cond_type type, const char *reason, const char *filter,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The filter answers on its own (HTTPRouteFilter directResponse, or 500 from
 * a filter that is invalid or unresolved): later filters are not looked at. */
void rb__filter_answer(rb__filter_pass *fp, uint32_t status, const char *filter, const char *why);

/* processRequestHeaderModifierFilter / processResponseHeaderModifierFilter */
int rb__filter_headers(rb__filter_pass *fp, const rb__header_modifier *m, bool response);

/* processURLRewriteFilter and processRedirectFilter */
int rb__filter_url_rewrite(rb__filter_pass *fp, const rb__filter *f);
int rb__filter_redirect(rb__filter_pass *fp, const rb__filter *f);
/* validateHostname: the error text, or NULL when the hostname is valid; RB_ENOMEM as NULL
 * with *oom set. */
const char *rb__filter_hostname_error(rb__tr *t, const char *hostname, bool *oom);

/* processExtensionRefHTTPFilter: an HTTPRouteFilter or a registered extension kind
 * (the kind was validated before). */
int rb__filter_extension_ref(rb__filter_pass *fp, const rb__object_ref *ref);

#endif
