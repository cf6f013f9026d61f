/*
 * URLRewrite and RequestRedirect (Envoy Gateway's processURLRewriteFilter
 * and processRedirectFilter). Every error here is an Accepted error: the rule
 * is unaccepted and answers 500, and a redirect that fails a check is not
 * kept. The first valid redirect leaves the rule without a destination.
 *
 * Rules: [filter.rewrite] [filter.redirect].
 */
#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/filters.h"

#include <stdio.h>
#include <string.h>

#define MULTIPLE_REWRITES "cannot configure multiple urlRewrite filters for a single HTTPRouteRule"

static bool dns_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Kubernetes IsDNS1123Subdomain: at most 253 bytes of lower-case labels of
 * [a-z0-9-], alphanumeric at both ends (the label length is checked apart). */
static bool dns1123_subdomain(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 253)
		return false;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (i == start || !dns_char(s[start]) || !dns_char(s[i - 1]))
				return false;
			start = i + 1;
		} else if (!dns_char(s[i]) && s[i] != '-') {
			return false;
		}
	}
	return true;
}

const char *rb__filter_hostname_error(rb__tr *t, const char *h, bool *oom)
{
	const char *err = NULL;
	*oom = false;
	if (!dns1123_subdomain(h)) {
		err = rb__arena_printf(
		    t->out,
		    "hostname \"%s\" is invalid: [a lowercase RFC 1123 subdomain must "
		    "consist of lower case alphanumeric characters, '-' or '.', and "
		    "must start and end with an alphanumeric character]",
		    h);
	} else if (rb__parse_ip(h, NULL)) {
		err = rb__arena_printf(t->out, "hostname: \"%s\" cannot be an ip address", h);
	} else {
		size_t start = 0, n = strlen(h);
		for (size_t i = 0; i <= n && !err; i++) {
			if (i < n && h[i] != '.')
				continue;
			if (i - start > 63)
				err = rb__arena_printf(
				    t->out,
				    "label: \"%.*s\" in hostname \"%s\" cannot exceed 63 "
				    "characters",
				    (int)(i - start), h + start, h);
			start = i + 1;
		}
		if (!err)
			return NULL;
	}
	*oom = !err;
	return err;
}

static int hostname_check(rb__filter_pass *fp, const char *filter, const char *hostname,
                          bool *valid)
{
	bool oom;
	const char *err = rb__filter_hostname_error(fp->t, hostname, &oom);
	*valid = !err && !oom;
	if (oom)
		return RB_ENOMEM;
	return err ? rb__filter_fail(fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, filter, "%s", err)
	           : RB_OK;
}

/* The path of a URLRewrite: the error text, or NULL. */
static const char *rewrite_path_error(const rb__path_modifier *pm)
{
	const char *type = pm->type ? pm->type : "";
	if (!strcmp(type, "ReplaceFullPath")) {
		if (pm->replace_prefix_match)
			return "ReplacePrefixMatch cannot be set when rewrite path type is "
			       "\"ReplaceFullPath\"";
		if (!pm->replace_full_path)
			return "ReplaceFullPath must be set when rewrite path type is "
			       "\"ReplaceFullPath\"";
		return NULL;
	}
	if (!strcmp(type, "ReplacePrefixMatch")) {
		if (pm->replace_full_path)
			return "ReplaceFullPath cannot be set when rewrite path type is "
			       "\"ReplacePrefixMatch\"";
		if (!pm->replace_prefix_match)
			return "ReplacePrefixMatch must be set when rewrite path type is "
			       "\"ReplacePrefixMatch\"";
		return NULL;
	}
	return "";
}

int rb__filter_url_rewrite(rb__filter_pass *fp, const rb__filter *f)
{
	rb__rule_filters *out = fp->out;
	bool host = f->rewrite_hostname != NULL, path = f->rewrite_has_path;
	/* hasMultipleCoreRewrites / hasConflictingCoreAndExtensionRewrites: any two
	 * core rewrites conflict, even host-only with path-only. */
	if (out->has_url_rewrite &&
	    (((out->core_host_rewrite || out->core_path_rewrite) && (host || path)) ||
	     (host && out->ext_host_rewrite) || (path && out->ext_path_rewrite)))
		return rb__filter_fail(fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, "URLRewrite", "%s",
		                       MULTIPLE_REWRITES);
	out->has_url_rewrite = true;
	/* The host is kept before the path is checked. */
	if (host) {
		bool valid;
		int rc = hostname_check(fp, "URLRewrite", f->rewrite_hostname, &valid);
		if (rc || !valid)
			return rc;
		out->core_host_rewrite = true;
	}
	if (!path)
		return RB_OK;
	const char *err = rewrite_path_error(&f->rewrite_path);
	if (err && !*err)
		return rb__filter_fail(
		    fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, "URLRewrite",
		    "rewrite path type: %s is invalid, only \"ReplaceFullPath\" and "
		    "\"ReplacePrefixMatch\" are supported",
		    f->rewrite_path.type ? f->rewrite_path.type : "");
	if (err)
		return rb__filter_fail(fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, "URLRewrite", "%s",
		                       err);
	out->core_path_rewrite = true;
	return RB_OK;
}

int rb__filter_redirect(rb__filter_pass *fp, const rb__filter *f)
{
	if (fp->out->redirect)
		return rb__filter_fail(
		    fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, "RequestRedirect",
		    "cannot configure multiple requestRedirect filters for a single "
		    "HTTPRouteRule");
	const char *scheme = f->redirect_scheme;
	if (scheme && strcmp(scheme, "http") && strcmp(scheme, "https"))
		return rb__filter_fail(
		    fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, "RequestRedirect",
		    "scheme: %s is unsupported, only 'https' and 'http' are supported", scheme);
	if (f->redirect_hostname) {
		bool valid;
		int rc = hostname_check(fp, "RequestRedirect", f->redirect_hostname, &valid);
		if (rc || !valid)
			return rc;
	}
	/* A path type whose value is unset is ignored, not an error. */
	const char *type = f->redirect_path.type ? f->redirect_path.type : "";
	if (f->redirect_has_path && strcmp(type, "ReplaceFullPath") &&
	    strcmp(type, "ReplacePrefixMatch"))
		return rb__filter_fail(
		    fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, "RequestRedirect",
		    "redirect path type: %s is invalid, only \"ReplaceFullPath\" and "
		    "\"ReplacePrefixMatch\" are supported",
		    type);
	uint32_t code = f->redirect_status;
	if (f->has_redirect_status && code != 301 && code != 302 && code != 303 && code != 307 &&
	    code != 308)
		/* Envoy Gateway's message names two codes, though it takes all five. */
		return rb__filter_fail(fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, "RequestRedirect",
		                       "status code %u is invalid, only 302 and 301 are supported",
		                       code);
	fp->out->redirect = true;
	return RB_OK;
}
