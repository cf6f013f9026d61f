/*
 * Can the IR routes of an HTTPRoute/GRPCRoute rule be built ([l7.rule-drop])?
 * Envoy Gateway gives up on a rule, before any of its backendRefs is looked
 * at, when:
 *
 *  - HTTPRoute sessionPersistence sets idleTimeout, or names a type other
 *    than Cookie and Header;
 *  - a match's regular expression does not compile with Go's regexp
 *    (HTTPRoute: path, header and query parameter matches; GRPCRoute: header
 *    matches, then the method match's service and method), in match order.
 *
 * The first failure is the rule's error text, unprefixed (the caller adds
 * "failed to process route rule <i>: ").
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

#define REGEX "RegularExpression"

/* Go's %q of a valid UTF-8 string (strconv.Quote), for the regex in messages. */
static const char *go_quote(rb__tr *t, const char *s)
{
	rb__buf b;
	rb__buf_init(&b, t->mem);
	rb__buf_putc(&b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const char *esc = NULL;
		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\a': esc = "\\a"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\v': esc = "\\v"; break;
		default: break;
		}
		char hex[8];
		if (!esc && (*p < 0x20 || *p == 0x7f)) {
			snprintf(hex, sizeof hex, "\\x%02x", *p);
			esc = hex;
		} else if (!esc && *p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			snprintf(hex, sizeof hex, "\\u%04x", p[1]); /* C1 controls are not printable */
			esc = hex;
			p++;
		}
		if (esc)
			rb__buf_puts(&b, esc);
		else
			rb__buf_putc(&b, (char)*p);
	}
	rb__buf_putc(&b, '"');
	const char *out = b.failed ? NULL : rb__arena_strndup(t->out, b.data, b.len);
	rb__buf_free(&b);
	return out;
}

/* EG's regex.Validate: `regex "<re>" is invalid: <Go's error>`, or NULL when it compiles. */
static int regex_error(rb__tr *t, const char *re, const char **msg)
{
	*msg = NULL;
	if (!re)
		return RB_OK;
	const char *err;
	int rc = rb__regex_check(t->out, re, &err);
	if (rc || !err)
		return rc;
	const char *q = go_quote(t, re);
	*msg = q ? rb__arena_printf(t->out, "regex %s is invalid: %s", q, err) : NULL;
	return *msg ? RB_OK : RB_ENOMEM;
}

static int value_matches(rb__tr *t, const rb__value_match *v, size_t n, const char **msg)
{
	int rc = RB_OK;
	for (size_t i = 0; i < n && !rc && !*msg; i++)
		if (rb__str_eq(v[i].type, REGEX))
			rc = regex_error(t, v[i].value, msg);
	return rc;
}

static int http_match(rb__tr *t, const rb__route_match *m, const char **msg)
{
	int rc = RB_OK;
	if (rb__str_eq(m->path_type, REGEX))
		rc = regex_error(t, m->path_value, msg);
	if (!rc && !*msg)
		rc = value_matches(t, m->headers, m->header_count, msg);
	if (!rc && !*msg)
		rc = value_matches(t, m->query_params, m->query_param_count, msg);
	return rc;
}

static int grpc_match(rb__tr *t, const rb__route_match *m, const char **msg)
{
	const rb__method_match *mm = rb__route_match_method(m);
	int rc = value_matches(t, m->headers, m->header_count, msg);
	if (rc || *msg || !rb__str_eq(mm->type, REGEX))
		return rc;
	rc = regex_error(t, mm->service, msg);
	if (!rc && !*msg)
		rc = regex_error(t, mm->method, msg);
	return rc;
}

static int session_persistence(rb__tr *t, const rb__route_rule *rule, const char **msg)
{
	const rb__session_persistence *sp = &rule->session_persistence;
	if (!rule->has_session_persistence)
		return RB_OK;
	if (sp->idle_timeout) {
		*msg = "idle timeout is not supported in envoy gateway";
		return RB_OK;
	}
	if (sp->type && strcmp(sp->type, "Cookie") && strcmp(sp->type, "Header")) {
		*msg = rb__arena_printf(t->out, "unknown session persistence type %s", sp->type);
		return *msg ? RB_OK : RB_ENOMEM;
	}
	return RB_OK;
}

int rb__rule_build_error(rb__tr *t, const rb__route *r, const rb__route_rule *rule,
                         const char **msg)
{
	*msg = NULL;
	bool http = r->kind == RB_ROUTE_HTTP;
	int rc = http ? session_persistence(t, rule, msg) : RB_OK;
	for (size_t i = 0; i < rule->match_count && !rc && !*msg; i++)
		rc = http ? http_match(t, &rule->matches[i], msg) : grpc_match(t, &rule->matches[i], msg);
	return rc;
}
