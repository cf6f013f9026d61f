/*
 * Route status conditions, per route and parentRef ([status.group-by-type], [l4.status]):
 * errors grouped by condition type, reasons sorted and joined, messages
 * formatted (capital first letter, final period; L4 keeps a single raw
 * message), long messages truncated; a fixed condition order: Accepted,
 * ResolvedRefs, BackendsAvailable, PartiallyInvalid. Dropped rules turn the
 * Accepted-type errors into Accepted=False or PartiallyInvalid=True.
 *
 * Rules: [status.reasons] [status.message-format] [status.truncate]
 * [status.resolved-refs] [status.backends-available] [status.dropped-rules]
 * [status.order] [status.same-in-both-modes].
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

#define TRUNCATED " (message truncated)."

int rb__add_error(rb__tr *t, rb__vec *errors, rb__cond_type type, const char *reason,
                  int32_t rule, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	/* Raw: the route's status joins it into a message of its own (group_message). */
	char *msg = rb__arena_vprintf(&t->temp, fmt, ap);
	va_end(ap);
	if (!msg)
		return RB_ENOMEM;
	rb__route_error *e = rb__vec_push(t->mem, errors, sizeof(*e));
	if (!e)
		return RB_ENOMEM;
	e->type = type;
	e->reason = reason;
	e->message = msg;
	e->rule = rule;
	return RB_OK;
}

/* F(text): upper-case a leading ASCII letter, end with a period. */
static void put_formatted(rb__buf *b, const char *s)
{
	size_t n = strlen(s);
	if (n && s[0] >= 'a' && s[0] <= 'z') {
		rb__buf_putc(b, (char)(s[0] - 'a' + 'A'));
		rb__buf_append(b, s + 1, n - 1);
	} else {
		rb__buf_append(b, s, n);
	}
	if (!n || s[n - 1] != '.')
		rb__buf_putc(b, '.');
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Distinct non-empty reasons of a group, sorted, joined with ','. */
static const char *group_reason(rb__tr *t, const rb__vec *errors, rb__cond_type type)
{
	const char *reasons[64] = {0}; /* at most a few distinct reasons exist */
	size_t n = 0;
	for (size_t i = 0; i < errors->len; i++) {
		const rb__route_error *e = &RB_VEC_AT(errors, rb__route_error, i);
		if (e->type != type || rb__str_empty(e->reason))
			continue;
		bool dup = false;
		for (size_t k = 0; k < n && !dup; k++)
			dup = !strcmp(reasons[k], e->reason);
		if (!dup && n < 64)
			reasons[n++] = e->reason;
	}
	qsort(reasons, n, sizeof reasons[0], str_cmp);
	rb__buf b;
	rb__buf_init(&b, t->mem);
	for (size_t i = 0; i < n; i++) {
		if (i)
			rb__buf_putc(&b, ',');
		rb__buf_puts(&b, reasons[i]);
	}
	/* A failed buffer holds a prefix of the reasons, or nothing: never a result. */
	const char *out = b.failed ? NULL : rb__arena_strndup(t->out, b.data ? b.data : "", b.len);
	rb__buf_free(&b);
	return out;
}

/* Cut at a character boundary at most RB_STATUS_MESSAGE_MAX - 21 bytes in, and say so. */
void rb__truncate_message(rb__buf *b)
{
	if (b->len <= RB_STATUS_MESSAGE_MAX)
		return;
	size_t cut = RB_STATUS_MESSAGE_MAX - strlen(TRUNCATED);
	while (cut > 0 && ((unsigned char)b->data[cut] & 0xC0) == 0x80)
		cut--;
	b->len = cut;
	rb__buf_puts(b, TRUNCATED);
}

/* The message of a group, after `prefix` (may be ""), truncated as a whole. */
static const char *group_message(rb__tr *t, const rb__vec *errors, rb__cond_type type,
                                 bool raw_single, const char *prefix)
{
	size_t count = 0;
	const rb__route_error *single = NULL;
	for (size_t i = 0; i < errors->len; i++) {
		const rb__route_error *e = &RB_VEC_AT(errors, rb__route_error, i);
		if (e->type == type) {
			count++;
			single = e;
		}
	}
	rb__buf b;
	rb__buf_init(&b, t->mem);
	rb__buf_puts(&b, prefix);
	if (count == 1) {
		if (raw_single)
			rb__buf_puts(&b, single->message);
		else
			put_formatted(&b, single->message);
	} else {
		bool first = true;
		for (size_t i = 0; i < errors->len; i++) {
			const rb__route_error *e = &RB_VEC_AT(errors, rb__route_error, i);
			if (e->type != type)
				continue;
			if (!first)
				rb__buf_putc(&b, '\n');
			first = false;
			put_formatted(&b, e->message);
		}
	}
	rb__truncate_message(&b);
	const char *out = b.failed ? NULL : rb__arena_strndup(t->out, b.data ? b.data : "", b.len);
	rb__buf_free(&b);
	return out;
}

static bool has_group(const rb__vec *errors, rb__cond_type type)
{
	for (size_t i = 0; i < errors->len; i++)
		if (RB_VEC_AT(errors, rb__route_error, i).type == type)
			return true;
	return false;
}

static void set_cond(rb__ir_condition *c, const char *type, const char *status, const char *reason,
                     const char *message)
{
	c->type = type;
	c->status = status;
	c->reason = reason;
	c->message = message;
}

size_t rb__unaccepted_rules(const rb__vec *errors)
{
	size_t n = 0;
	int32_t last = -1;
	for (size_t i = 0; i < errors->len; i++) {
		const rb__route_error *e = &RB_VEC_AT(errors, rb__route_error, i);
		if (e->type == RB_COND_ACCEPTED && e->rule > last) {
			last = e->rule; /* rules come in order: a repeat is not greater */
			n++;
		}
	}
	return n;
}

/* "[0 2]": the distinct rules of the Accepted-type errors, in order, as Go prints an []int. */
static const char *dropped_rules(rb__tr *t, const rb__vec *errors, size_t *count)
{
	rb__buf b;
	rb__buf_init(&b, t->mem);
	rb__buf_putc(&b, '[');
	int32_t last = -1;
	*count = 0;
	for (size_t i = 0; i < errors->len; i++) {
		const rb__route_error *e = &RB_VEC_AT(errors, rb__route_error, i);
		if (e->type != RB_COND_ACCEPTED || e->rule <= last)
			continue; /* rules come in order: a repeat is not greater */
		char num[16];
		snprintf(num, sizeof num, "%s%d", *count ? " " : "", e->rule);
		rb__buf_puts(&b, num);
		last = e->rule;
		(*count)++;
	}
	rb__buf_putc(&b, ']');
	const char *out = b.failed ? NULL : rb__arena_strndup(&t->temp, b.data, b.len);
	rb__buf_free(&b);
	return out;
}

/*
 * Dropped rules (Accepted-type errors, 3.1 step 2, 3.4): when every rule of
 * the route is dropped the route is not accepted (conds[0] replaced);
 * otherwise PartiallyInvalid=True names them and Accepted stays as it was,
 * unless no listener took the route (then it reads accepted).
 */
static int dropped_rule_conditions(rb__tr *t, const rb__parent *p, const rb__vec *errors,
                                   rb__ir_condition *conds, size_t *n)
{
	if (!has_group(errors, RB_COND_ACCEPTED))
		return RB_OK;
	size_t dropped;
	const char *rules = dropped_rules(t, errors, &dropped);
	const char *reason = group_reason(t, errors, RB_COND_ACCEPTED);
	if (!rules || !reason)
		return RB_ENOMEM;
	if (dropped == p->route->rule_count) {
		const char *msg = group_message(t, errors, RB_COND_ACCEPTED, false, "");
		if (!msg)
			return RB_ENOMEM;
		set_cond(&conds[0], RB_COND_NAME_ACCEPTED, "False", reason, msg);
		return RB_OK;
	}
	/* A parent no listener allowed still had its rules processed; dropping some of
	 * them rewrites its Accepted condition as accepted (processHTTPRouteParentRefs:
	 * no listener is left to say otherwise). */
	if (!p->accepted && (rb__str_eq(p->accepted_reason, "NotAllowedByListeners") ||
	                     rb__str_eq(p->accepted_reason, "NoMatchingParent")))
		set_cond(&conds[0], RB_COND_NAME_ACCEPTED, "True", "Accepted", "Route is accepted");
	const char *prefix = rb__arena_printf(&t->temp, "Dropped Rule(s) %s: ", rules);
	const char *msg = prefix ? group_message(t, errors, RB_COND_ACCEPTED, false, prefix) : NULL;
	if (!msg)
		return RB_ENOMEM;
	set_cond(&conds[(*n)++], RB_COND_NAME_PARTIALLY_INVALID, "True", reason, msg);
	return RB_OK;
}

static bool condition_same(const void *pa, const void *pb)
{
	const rb__ir_condition *a = pa, *b = pb;
	return rb__str_same(a->type, b->type) && rb__str_same(a->status, b->status) &&
	       rb__str_same(a->reason, b->reason) && rb__str_same(a->message, b->message);
}

/* The conditions of a status in t->out, exactly n, shared with the previous
 * status's when they read the same (overlap.c never writes them: it makes a
 * new array). */
static const rb__ir_condition *keep_conditions(rb__tr *t, const rb__ir_condition *conds, size_t n)
{
	return rb__arena_share(t->out, &t->last_conditions, conds, n, sizeof(*conds), condition_same);
}

int rb__route_status(rb__tr *t, const rb__parent *p, const rb__vec *errors)
{
	const rb__route *r = p->route;
	bool l4 = r->kind == RB_ROUTE_TLS || r->kind == RB_ROUTE_TCP || r->kind == RB_ROUTE_UDP;
	rb__ir_condition conds[5] = {{0}};
	size_t n = 0;
	set_cond(&conds[n++], RB_COND_NAME_ACCEPTED, p->accepted ? "True" : "False", p->accepted_reason,
	         p->accepted_message);
	if (!p->invalid_rule) {
		if (p->tls_terminate_dr) {
			set_cond(&conds[n++], RB_COND_NAME_RESOLVED_REFS, "False", RB_REASON_UNSUPPORTED_VALUE,
			         "Dynamic resolver backend is only supported with TLS passthrough listeners");
		} else if (has_group(errors, RB_COND_RESOLVED_REFS)) {
			const char *reason = group_reason(t, errors, RB_COND_RESOLVED_REFS);
			const char *msg = group_message(t, errors, RB_COND_RESOLVED_REFS, l4, "");
			if (!reason || !msg)
				return RB_ENOMEM;
			set_cond(&conds[n++], RB_COND_NAME_RESOLVED_REFS, "False", reason, msg);
		} else {
			set_cond(&conds[n++], RB_COND_NAME_RESOLVED_REFS, "True", "ResolvedRefs",
			         "Resolved all the Object references for the Route");
		}
		if (has_group(errors, RB_COND_BACKENDS_AVAILABLE)) {
			const char *reason = group_reason(t, errors, RB_COND_BACKENDS_AVAILABLE);
			const char *msg = group_message(t, errors, RB_COND_BACKENDS_AVAILABLE, l4, "");
			if (!reason || !msg)
				return RB_ENOMEM;
			set_cond(&conds[n++], RB_COND_NAME_BACKENDS_AVAILABLE, "False", reason, msg);
		}
		int rc = dropped_rule_conditions(t, p, errors, conds, &n);
		if (rc)
			return rc;
	}
	if (p->idle.len > UINT32_MAX)
		return RB_ELIMIT; /* far past any input the limits let through */
	const rb__ir_condition *kept = keep_conditions(t, conds, n);
	if (!kept)
		return RB_ENOMEM;
	rb__ir_route_status *st = rb__vec_push(t->mem, &t->statuses, sizeof(*st));
	if (!st)
		return RB_ENOMEM;
	st->kind = rb__route_kind_name(r->kind);
	st->namespace_ = r->meta.namespace_;
	st->name = r->meta.name;
	st->parent = p->ref;
	st->conditions = kept;
	st->condition_count = (uint32_t)n; /* at most 6 */
	st->idle_listeners = NULL;
	st->idle_listener_count = 0;
	if (p->idle.len) {
		rb__ir_idle_listener *idle = rb__arena_calloc(t->out, p->idle.len, sizeof(*idle));
		if (!idle)
			return RB_ENOMEM;
		for (size_t i = 0; i < p->idle.len; i++)
			idle[i] = RB_VEC_AT(&p->idle, rb__ir_idle_listener, i);
		st->idle_listeners = idle;
		st->idle_listener_count = (uint32_t)p->idle.len;
	}
	return RB_OK;
}
