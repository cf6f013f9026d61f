/*
 * Overlapping routes: when IR routes of two different route objects match
 * the same requests on one listener -- same hostname, same path, method,
 * headers and query parameters -- only one of them can win in Envoy, and
 * Envoy Gateway says so on both: RouteRulesOverlap=True, naming the other
 * route(s) (docs/listeners.md). Each programmed parent records what its kept
 * rules match as keys (rb__overlap_record); once every route is translated,
 * the keys are grouped and each status sharing one with another route gets
 * the condition (rb__overlap_conditions).
 *
 * Rules: [status.rules-overlap].
 */
#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define OVERLAP_PREFIX "Overlapping match conditions with route(s): "
/* Envoy Gateway names every other route; past this many, the message says
 * "and others" instead: thousands of identical routes would otherwise make
 * each status message 32 KiB long (the output grows as routes squared). */
enum { MAX_NAMED = 16 };

/* ---- keys ---- */

static void put_field(rb__buf *b, const char *s)
{
	if (s)
		rb__buf_puts(b, s);
	rb__buf_putc(b, '\0');
}

static int value_match_cmp(const void *pa, const void *pb)
{
	const rb__value_match *a = *(const rb__value_match *const *)pa;
	const rb__value_match *b = *(const rb__value_match *const *)pb;
	int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
	if (!c)
		c = strcmp(a->type ? a->type : "Exact", b->type ? b->type : "Exact");
	if (!c)
		c = strcmp(a->value ? a->value : "", b->value ? b->value : "");
	return c;
}

/* Header or query parameter matches in a fixed order: their order in the spec does not matter. */
static void put_value_matches(rb__buf *b, const rb__value_match *v, size_t n)
{
	const rb__value_match *sorted[16] = {NULL}; /* the CRD allows 16 (decode_route.c) */
	size_t count = n < 16 ? n : 16;
	for (size_t i = 0; i < count; i++)
		sorted[i] = &v[i];
	if (count > 1)
		qsort(sorted, count, sizeof sorted[0], value_match_cmp);
	for (size_t i = 0; i < count; i++) {
		put_field(b, sorted[i]->name);
		put_field(b, sorted[i]->type ? sorted[i]->type : "Exact");
		put_field(b, sorted[i]->value);
	}
	rb__buf_putc(b, '\1');
}

/* One match as IR routes tell matches apart; NULL is the rule without matches. */
static void put_match(rb__buf *b, rb__route_kind kind, const rb__route_match *m)
{
	static const rb__route_match none;
	if (!m)
		m = &none;
	if (kind == RB_ROUTE_GRPC) {
		const rb__method_match *mm = rb__route_match_method(m);
		rb__buf_putc(b, 'G');
		put_field(b, mm->type ? mm->type : "Exact");
		put_field(b, mm->service);
		put_field(b, mm->method);
	} else {
		rb__buf_putc(b, 'H');
		put_field(b, m->path_type ? m->path_type : "PathPrefix");
		put_field(b, m->path_value ? m->path_value : "/");
		put_field(b, m->http_method);
		put_value_matches(b, m->query_params, m->query_param_count);
	}
	put_value_matches(b, m->headers, m->header_count);
}

/* Rules with an Accepted-type error have no IR route. */
static bool rule_dropped(const rb__vec *errors, size_t rule)
{
	for (size_t i = 0; i < errors->len; i++) {
		const rb__route_error *e = &RB_VEC_AT(errors, rb__route_error, i);
		if (e->type == RB_COND_ACCEPTED && e->rule == (int32_t)rule)
			return true;
	}
	return false;
}

static int push_key(rb__tr *t, const rb__buf *b, const rb__route *r, size_t rule, size_t status)
{
	if (b->failed)
		return RB_ENOMEM;
	if (b->len > UINT32_MAX || status > UINT32_MAX || rule > INT32_MAX)
		return RB_ELIMIT; /* far past any input the limits let through */
	char *key = rb__arena_strndup(&t->scratch, b->data, b->len);
	rb__overlap_key *k = key ? rb__vec_push(t->mem, &t->overlap, sizeof(*k)) : NULL;
	if (!k)
		return RB_ENOMEM;
	*k = (rb__overlap_key){key, r, (uint32_t)b->len, (int32_t)rule, (uint32_t)status, 0};
	return RB_OK;
}

/* The keys of every kept rule and match of r, on listener l for hostname host. */
static int record_host(rb__tr *t, const rb__listener *l, const char *host, const rb__route *r,
                       const rb__vec *errors, rb__buf *b)
{
	for (size_t ri = 0; ri < r->rule_count; ri++) {
		if (rule_dropped(errors, ri))
			continue;
		const rb__route_rule *rule = &r->rules[ri];
		size_t n = rule->match_count ? rule->match_count : 1;
		for (size_t mi = 0; mi < n; mi++) {
			b->len = 0;
			rb__buf_append(b, &l, sizeof l); /* the listener's identity */
			put_field(b, host);
			put_match(b, r->kind, rule->match_count ? &rule->matches[mi] : NULL);
			int rc = push_key(t, b, r, ri, t->statuses.len - 1);
			if (rc)
				return rc;
		}
	}
	return RB_OK;
}

int rb__overlap_record(rb__tr *t, const rb__parent *p, const rb__vec *errors)
{
	const rb__route *r = p->route;
	if (!p->programmed || !p->accepted ||
	    (r->kind != RB_ROUTE_HTTP && r->kind != RB_ROUTE_GRPC))
		return RB_OK;
	rb__buf *b = &t->overlap_buf; /* kept across parents: no allocation per route */
	int rc = RB_OK;
	for (size_t li = 0; li < p->programming.len && !rc; li++) {
		const rb__listener *l = RB_VEC_AT(&p->programming, const rb__listener *, li);
		if (!r->hostname_count) {
			rc = record_host(t, l, rb__str_empty(l->hostname) ? "*" : l->hostname, r,
			                 errors, b);
			continue;
		}
		for (size_t hi = 0; hi < r->hostname_count && !rc; hi++) {
			const char *host = rb__served_hostname(l->hostname, r->hostnames[hi]);
			if (host)
				rc = record_host(t, l, host, r, errors, b);
		}
	}
	return rc;
}

/* ---- grouping ---- */

/* Key indexes in 32 bits (push_key refuses more keys): the chains are made
 * once every route is translated, with the whole IR alive. */
typedef struct groups {
	uint32_t *head; /* per key: the first key of its group */
	uint32_t *next; /* per key: the next key of its group, or NO_KEY */
} groups;
#define NO_KEY UINT32_MAX

/* Keys by content (length first: cheaper to tell apart). */
static int key_cmp(const void *pa, const void *pb)
{
	const rb__overlap_key *a = *(const rb__overlap_key *const *)pa;
	const rb__overlap_key *b = *(const rb__overlap_key *const *)pb;
	if (a->klen != b->klen)
		return a->klen < b->klen ? -1 : 1;
	return memcmp(a->key, b->key, a->klen);
}

/* By content, then by position in the array: equal keys in order. */
static int key_then_position_cmp(const void *pa, const void *pb)
{
	int c = key_cmp(pa, pb);
	if (c)
		return c;
	const rb__overlap_key *a = *(const rb__overlap_key *const *)pa;
	const rb__overlap_key *b = *(const rb__overlap_key *const *)pb;
	return a < b ? -1 : a > b;
}

/* Chain the keys of equal content, in order: the keys of one route are adjacent
 * (a route's parents are recorded together), so a chain lists routes in order.
 * Equal keys are found by sorting pointers to them, not with a hash map: at
 * the end of a translation, when the IR is whole, a map of 64-byte slots
 * was the biggest block of memory alive (2 MiB at 8,000 routes). */
static int group_keys(rb__tr *t, const rb__overlap_key *keys, size_t n, groups *g)
{
	if (n >= NO_KEY)
		return RB_ELIMIT; /* far past any input the limits let through */
	g->head = rb__calloc(t->mem, n, sizeof(uint32_t));
	g->next = rb__calloc(t->mem, n, sizeof(uint32_t));
	const rb__overlap_key **sorted = rb__calloc(t->mem, n, sizeof(*sorted));
	if (!g->head || !g->next || !sorted) {
		rb__free(t->mem, sorted);
		return RB_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		sorted[i] = &keys[i];
	qsort(sorted, n, sizeof sorted[0], key_then_position_cmp);
	for (size_t a = 0; a < n;) {
		uint32_t first = (uint32_t)(sorted[a] - keys), prev = first;
		g->head[first] = first;
		size_t b = a + 1;
		for (; b < n && !key_cmp(&sorted[a], &sorted[b]); b++) {
			uint32_t m = (uint32_t)(sorted[b] - keys);
			g->head[m] = first;
			g->next[prev] = m;
			prev = m;
		}
		g->next[prev] = NO_KEY;
		a = b;
	}
	rb__free(t->mem, sorted);
	return RB_OK;
}

static bool same_status(const rb__overlap_key *a, const rb__overlap_key *b)
{
	return a->owner == b->owner && a->status == b->status;
}

/* Append the routes other than keys[i]'s that share its key, once each (`seen`
 * holds the routes named so far, keyed by their pointer's bytes); one more
 * than MAX_NAMED is counted, not named. */
static int name_others(const rb__overlap_key *keys, const groups *g, size_t i, rb__map *seen,
                       uintptr_t stamp, rb__buf *msg, size_t *named)
{
	const rb__route *self = keys[i].route;
	for (uint32_t m = g->head[i]; m != NO_KEY && *named <= MAX_NAMED; m = g->next[m]) {
		const rb__route *r = keys[m].route;
		if (r == self)
			continue;
		void **slot = rb__map_slot_for(seen, (const char *)&keys[m].route, sizeof r);
		if (!slot)
			return RB_ENOMEM;
		if (*slot == (void *)stamp)
			continue;
		*slot = (void *)stamp;
		if ((*named)++ == MAX_NAMED) {
			rb__buf_puts(msg, " and others");
			break;
		}
		if (*named > 1)
			rb__buf_puts(msg, ", ");
		rb__buf_puts(msg, rb__route_kind_name(r->kind));
		rb__buf_putc(msg, ' ');
		rb__buf_puts(msg, r->meta.namespace_);
		rb__buf_putc(msg, '/');
		rb__buf_puts(msg, r->meta.name);
	}
	return RB_OK;
}

/* Does another route than keys[i]'s have its key? (A route's own keys are
 * adjacent in the chain: the walk stops at the first other route.) */
static bool key_shared(const rb__overlap_key *keys, const groups *g, size_t i)
{
	for (uint32_t m = g->head[i]; m != NO_KEY; m = g->next[m])
		if (keys[m].route != keys[i].route)
			return true;
	return false;
}

/* The distinct rules of keys[first, end) whose key another route shares. */
static int overlap_rules(rb__tr *t, const rb__overlap_key *keys, const groups *g, size_t first,
                         size_t end, rb__ir_route_status *st)
{
	int32_t *rules = rb__arena_calloc(t->out, end - first, sizeof(*rules));
	if (!rules)
		return RB_ENOMEM;
	size_t n = 0;
	for (size_t k = first; k < end; k++) {
		bool known = false;
		for (size_t j = 0; j < n && !known; j++)
			known = rules[j] == keys[k].rule;
		if (!known && key_shared(keys, g, k))
			rules[n++] = keys[k].rule;
	}
	st->overlap_rules = rules;
	st->overlap_rule_count = (uint32_t)n; /* distinct rules: below INT32_MAX (push_key) */
	return RB_OK;
}

static int add_condition(rb__tr *t, rb__ir_route_status *st, rb__buf *msg)
{
	rb__truncate_message(msg);
	const char *text = msg->failed ? NULL : rb__arena_strndup(t->out, msg->data, msg->len);
	rb__ir_condition *conds =
	    text ? rb__arena_calloc(t->out, st->condition_count + 1, sizeof(*conds)) : NULL;
	if (!conds)
		return RB_ENOMEM;
	if (st->condition_count)
		memcpy(conds, st->conditions, st->condition_count * sizeof(*conds));
	conds[st->condition_count] = (rb__ir_condition){.type = "RouteRulesOverlap",
	                                                .status = "True",
	                                                .reason = "RouteRulesOverlap",
	                                                .message = text};
	st->conditions = conds;
	st->condition_count++;
	return RB_OK;
}

int rb__overlap_conditions(rb__tr *t, const rb__overlap_key *keys, size_t n,
                           rb__status_of_fn status_of, void *ud)
{
	if (n < 2)
		return RB_OK;
	groups g = {NULL, NULL};
	rb__map seen;
	rb__map_init(&seen, t->mem);
	rb__buf msg;
	rb__buf_init(&msg, t->mem);
	int rc = group_keys(t, keys, n, &g);
	uintptr_t stamp = 0;
	for (size_t i = 0; i < n && !rc;) {
		size_t end = i + 1;
		while (end < n && same_status(&keys[i], &keys[end]))
			end++;
		msg.len = 0;
		rb__buf_puts(&msg, OVERLAP_PREFIX);
		size_t named = 0;
		stamp++;
		for (size_t k = i; k < end && !rc; k++)
			rc = name_others(keys, &g, k, &seen, stamp, &msg, &named);
		if (!rc && named) {
			rb__ir_route_status *st = status_of(ud, &keys[i]);
			rc = add_condition(t, st, &msg);
			if (!rc)
				rc = overlap_rules(t, keys, &g, i, end, st);
		}
		i = end;
	}
	rb__buf_free(&msg);
	rb__map_free(&seen);
	rb__free(t->mem, g.head);
	rb__free(t->mem, g.next);
	return rc;
}

/* ---- the engine's counts ---- */

int rb__overlap_count(rb__map *counts, const rb__mem *mem, const rb__overlap_key *keys, size_t n,
                      int delta, bool *shared)
{
	if (!n)
		return RB_OK;
	const rb__overlap_key **sorted = rb__calloc(mem, n, sizeof(*sorted));
	if (!sorted)
		return RB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		sorted[i] = &keys[i];
	qsort(sorted, n, sizeof sorted[0], key_cmp);
	int rc = RB_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		if (i && !key_cmp(&sorted[i - 1], &sorted[i]))
			continue; /* a route counts once per key */
		void **slot = rb__map_slot_for(counts, sorted[i]->key, sorted[i]->klen);
		if (!slot) {
			rc = RB_ENOMEM;
			break;
		}
		uintptr_t before = (uintptr_t)*slot;
		uintptr_t after = delta > 0 ? before + 1 : (before ? before - 1 : 0);
		if (before >= 2 || after >= 2)
			*shared = true;
		*slot = (void *)after;
	}
	rb__free(mem, sorted);
	return rc;
}
