/*
 * RequestHeaderModifier and ResponseHeaderModifier (Envoy Gateway's
 * processRequestHeaderModifierFilter / processResponseHeaderModifierFilter):
 * every add, set and remove entry is checked on its own, valid entries are
 * kept, and the errors of one filter make one Accepted error (the rule answers
 * 500). A filter none of whose entries is usable, while no earlier filter of
 * the rule contributed a header, reports only that it did nothing useful.
 *
 * Rules: [filter.headers].
 */
#include "core/buf.h"
#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/filters.h"

#include <string.h>

/* "host" in any case (ASCII only, as Go's strings.EqualFold on ASCII). */
static bool is_host(const char *name)
{
	static const char host[] = "host";
	for (size_t i = 0; i < 4; i++) {
		char c = name[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != host[i])
			return false;
	}
	return name[4] == '\0';
}

/* isModifiableHeader: no '/' or ':' (pseudo-headers), and not Host. */
static bool modifiable(const char *name)
{
	return !strchr(name, '/') && !strchr(name, ':') && !is_host(name);
}

static bool visible_ascii(char c)
{
	return c >= '!' && c <= '~';
}

/* HeaderValueRegexp, ^[!-~]+([\t ]?[!-~]+)*$: visible ASCII words with single blanks between. */
static bool valid_value(const char *v)
{
	if (!v || !visible_ascii(v[0]))
		return false;
	for (size_t i = 1; v[i]; i++) {
		if (visible_ascii(v[i]))
			continue;
		if ((v[i] != ' ' && v[i] != '\t') || !visible_ascii(v[i + 1]))
			return false;
	}
	return true;
}

typedef struct header_check {
	rb__filter_pass *fp;
	const char *filter; /* "RequestHeaderModifier" / "ResponseHeaderModifier" */
	bool response;
	rb__buf errors; /* '\n'-joined, as errors.Join */
	size_t kept;    /* valid entries of this filter */
} header_check;

static void add_error(header_check *hc, const char *msg)
{
	if (hc->errors.len)
		rb__buf_putc(&hc->errors, '\n');
	rb__buf_puts(&hc->errors, msg ? msg : "");
	if (!msg)
		hc->errors.failed = true;
}

static void check_name(header_check *hc, const char *verb, const char *name, bool *ok)
{
	rb__tr *t = hc->fp->t;
	*ok = false;
	if (rb__str_empty(name)) {
		add_error(hc, rb__arena_printf(t->out,
		                               "%s Filter cannot %s a header with an empty name",
		                               hc->filter, verb));
	} else if (!modifiable(name)) {
		/* The response filter says "set" for add too, and has no hint. */
		bool remove = !strcmp(verb, "remove");
		const char *said = hc->response && !remove ? "set" : verb;
		const char *hint = hc->response || remove
		                       ? ""
		                       : " To modify the Host header use the URLRewrite "
		                         "or the HTTPRouteFilter filter.";
		add_error(hc, rb__arena_printf(
		                  t->out,
		                  "Header: \"%s\". The %s filter cannot %s the Host header or "
		                  "headers with a '/' or ':' character in them.%s",
		                  name, hc->filter, said, hint));
	} else {
		*ok = true;
	}
}

static void check_values(header_check *hc, const char *verb, const rb__header_value *hv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool ok;
		check_name(hc, verb, hv[i].name, &ok);
		if (ok && !valid_value(hv[i].value)) {
			add_error(hc, rb__arena_printf(
			                  hc->fp->t->out,
			                  "Header: \"%s\". %s Filter cannot %s a header with an "
			                  "invalid value.",
			                  hv[i].name, hc->filter, verb));
			ok = false;
		}
		hc->kept += ok;
	}
}

int rb__filter_headers(rb__filter_pass *fp, const rb__header_modifier *m, bool response)
{
	if (!m->add_count && !m->set_count && !m->remove_count)
		return RB_OK; /* an empty modifier does nothing, and is no error */
	header_check hc = {
	    fp, response ? "ResponseHeaderModifier" : "RequestHeaderModifier", response, {0}, 0};
	rb__buf_init(&hc.errors, fp->t->mem);
	check_values(&hc, "add", m->add, m->add_count);
	check_values(&hc, "set", m->set, m->set_count);
	for (size_t i = 0; i < m->remove_count; i++) {
		bool ok;
		check_name(&hc, "remove", m->remove[i], &ok);
		hc.kept += ok;
	}
	size_t *so_far = response ? &fp->out->response_headers : &fp->out->request_headers;
	*so_far += hc.kept;
	int rc = RB_OK;
	if (hc.errors.failed)
		rc = RB_ENOMEM;
	else if (!*so_far)
		rc = rb__filter_fail(
		    fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, hc.filter,
		    "%s Filter did not provide valid configuration to %s any headers", hc.filter,
		    response ? "add/remove" : "add/set/remove");
	else if (hc.errors.len)
		rc = rb__filter_fail(fp, RB_COND_ACCEPTED, RB_REASON_UNSUPPORTED_VALUE, hc.filter, "%.*s",
		                     (int)hc.errors.len, hc.errors.data);
	rb__buf_free(&hc.errors);
	return rc;
}
