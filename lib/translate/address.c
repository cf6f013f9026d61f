/*
 * Backend endpoint addresses ([addr.hostname] [addr.ip]): hostnames must be
 * DNS-1123 subdomains with two or more labels that are not IP addresses;
 * IPs must parse and, unless running on the host, not be loopback.
 *
 * Rules: [input.config.running-on-host].
 */
#include <arpa/inet.h>
#include <string.h>

#include "core/strutil.h"
#include "translate/tr.h"

bool rb__parse_ip(const char *s, bool *is_loopback)
{
	unsigned char a[16];
	bool loop = false;
	if (inet_pton(AF_INET, s, a) == 1) {
		loop = a[0] == 127;
	} else if (inet_pton(AF_INET6, s, a) == 1) {
		static const unsigned char v6_loop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
		static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		loop = !memcmp(a, v6_loop, 16) || (!memcmp(a, v4_mapped, 12) && a[12] == 127);
	} else {
		return false;
	}
	if (is_loopback)
		*is_loopback = loop;
	return true;
}

static bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Kubernetes IsDNS1123Subdomain: lower-case labels of [a-z0-9-], alphanumeric at both ends. */
static bool dns1123_subdomain(const char *s, size_t n)
{
	if (n == 0 || n > 253)
		return false;
	size_t label_start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (i == label_start || !alnum(s[label_start]) || !alnum(s[i - 1]))
				return false;
			label_start = i + 1;
		} else if (!alnum(s[i]) && s[i] != '-') {
			return false;
		}
	}
	return true;
}

static const char *check_hostname(rb__tr *t, const char *h, const char *what)
{
	size_t n = strlen(h);
	size_t trimmed = (n && h[n - 1] == '.') ? n - 1 : n;
	if (!dns1123_subdomain(h, trimmed))
		return rb__arena_printf(t->out, "hostname %s is not a valid %s", h, what);
	if (!t->o->running_on_host && !strchr(h, '.'))
		return rb__arena_printf(t->out,
		                        "hostname %s should be a domain with at least two segments "
		                        "separated by dots",
		                        h);
	if (rb__parse_ip(h, NULL))
		return rb__arena_printf(t->out, "hostname %s is an IP address", h);
	return NULL;
}

static const char *check_ip(rb__tr *t, const char *a)
{
	bool loopback;
	if (!rb__parse_ip(a, &loopback))
		return rb__arena_printf(t->out, "IP address %s is invalid", a);
	if (loopback && !t->o->running_on_host)
		return rb__arena_printf(t->out,
		                        "IP address %s in the loopback range is only supported when "
		                        "using the Host infrastructure",
		                        a);
	return NULL;
}

const char *rb__check_backend_addresses(rb__tr *t, const rb__backend *b, rb__ref_reason *reason)
{
	*reason = RB_REF_INVALID_ADDRESS;
	for (size_t i = 0; i < b->endpoint_count; i++) {
		const rb__backend_endpoint *e = &b->endpoints[i];
		const char *msg = NULL;
		if (e->hostname)
			msg = check_hostname(t, e->hostname, "hostname");
		if (!msg && e->kind == RB_BEP_FQDN)
			msg = check_hostname(t, e->address, "FQDN");
		else if (!msg && e->kind == RB_BEP_IP)
			msg = check_ip(t, e->address);
		if (msg)
			return msg;
	}
	return NULL;
}
