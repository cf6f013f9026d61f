/*
 * Why a ClientTrafficPolicy is invalid on a listener
 * (translateClientTrafficPolicyForListener): keepalive, connection, timeouts,
 * HTTP/2 and, on listeners that terminate TLS, the client-validation CAs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/strutil.h"
#include "model/cert_validity.h"
#include "rebalance/errors.h"
#include "translate/policy_check.h"

static bool terminates_tls(const rb__listener *l)
{
	return l && (rb__str_eq(l->protocol, "HTTPS") ||
	             (rb__str_eq(l->protocol, "TLS") && !rb__str_eq(l->tls_mode, "Passthrough")));
}

/* Unix seconds as Go prints a UTC time.Time: "2020-01-01 15:00:01 +0000 UTC". */
static void utc_stamp(int64_t secs, char *out, size_t size)
{
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	/* civil_from_days (H. Hinnant) */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	snprintf(out, size, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld +0000 UTC", (long long)y,
	         (long long)m, (long long)d, (long long)(rem / 3600), (long long)(rem / 60 % 60),
	         (long long)(rem % 60));
}

/*
 * A CA bundle none of whose certificates is valid now (validateCertificates):
 * why, one line per certificate; NULL when one is valid, or when a block could
 * not be read (then the bundle is not judged: certificate parsing is minimal).
 */
static const char *no_valid_certificate(rb__tr *t, const rb__cert_validity *certs, size_t n)
{
	if (!n)
		return NULL;
	int64_t now = (int64_t)time(NULL);
	for (size_t i = 0; i < n; i++)
		if (!certs[i].parsed || (certs[i].not_before <= now && now <= certs[i].not_after))
			return NULL;
	const char *why = NULL;
	for (size_t i = 0; i < n; i++) {
		bool early = now < certs[i].not_before;
		char stamp[160]; /* room for any int64 year: no truncation */
		utc_stamp(early ? certs[i].not_before : certs[i].not_after, stamp, sizeof stamp);
		const char *line =
		    rb__arena_printf(t->out, "certificate %s %s %s", certs[i].common_name,
		                     early ? "is not valid until" : "has expired since", stamp);
		why = why ? rb__arena_printf(t->out, "%s\n%s", why, line) : line;
		if (!why)
			return "out of memory";
	}
	return why;
}

void rb__pc_ctp_errors(rb__pc_errs *e, const rb__claim *c, const rb__listener *l)
{
	const rb__client_traffic_policy *p = c->policy;
	rb__pc_duration(e, "TCP KeepAlive", "idleTime", p->keepalive_idle_time);
	rb__pc_duration(e, "TCP KeepAlive", "interval", p->keepalive_interval);
	rb__pc_uint32_quantity(e, "Connection", "BufferLimit", p->buffer_limit);
	static const char *const TIMEOUTS[4] = {"requestReceivedTimeout", "idleTimeout",
	                                        "streamIdleTimeout", "tcp idleTimeout"};
	for (int i = 0; i < 4; i++)
		rb__pc_duration(e, "Timeout", TIMEOUTS[i], p->timeouts[i]);
	if (!l || rb__str_eq(l->protocol, "HTTP") || rb__str_eq(l->protocol, "HTTPS"))
		rb__pc_http2_windows(e, p->http2_stream_window, p->http2_connection_window);
	if (!terminates_tls(l) || !p->has_client_validation)
		return;
	if (!p->client_ca_ref_count) {
		if (p->client_validation_optional == RB_TRI_TRUE)
			rb__pc_add(e, true, "TLS",
			           "optional client validation requires caCertificateRefs");
		return;
	}
	rb__tr *t = e->t;
	for (size_t i = 0; i < p->client_ca_ref_count; i++) {
		const rb__secret_ref *ref = &p->client_ca_refs[i];
		const char *kind = rb__str_empty(ref->kind) ? "Secret" : ref->kind;
		const char *ns =
		    rb__str_empty(ref->namespace_) ? c->meta->namespace_ : ref->namespace_;
		bool found = false, has_ca = false;
		const rb__cert_validity *certs = NULL;
		size_t cert_count = 0;
		if (!strcmp(kind, "Secret")) {
			const rb__secret *s = rb__find_secret(t, ns, ref->name);
			found = s != NULL;
			has_ca = s && s->has_ca_crt;
			certs = s ? s->ca_certs : NULL;
			cert_count = s ? s->ca_cert_count : 0;
		} else if (!strcmp(kind, "ConfigMap")) {
			const rb__ca_holder *h = rb__pc_find_config_map(t, ns, ref->name);
			found = h != NULL;
			has_ca = h && h->has_ca;
			certs = h ? h->ca_certs : NULL;
			cert_count = h ? h->ca_cert_count : 0;
		} else if (!strcmp(kind, "ClusterTrustBundle")) {
			for (size_t j = 0; j < t->m->cluster_trust_bundles.len; j++) {
				const rb__ca_holder *h = RB_VEC_AT(&t->m->cluster_trust_bundles,
				                                   const rb__ca_holder *, j);
				if (rb__str_eq(h->meta.name, ref->name)) {
					found = true;
					has_ca = h->has_ca;
				}
			}
		} else {
			rb__pc_add(e, true, "TLS", "unsupported caCertificateRef kind %s", kind);
			return;
		}
		if (!found || !has_ca) {
			rb__pc_add(e, true, "TLS",
			           "failed to get certificate from ref: %s %s/%s %s", kind, ns,
			           ref->name,
			           found ? "has none of the expected keys [ca.crt]" : "not found");
			return;
		}
		const char *expired = no_valid_certificate(t, certs, cert_count);
		if (expired) {
			rb__pc_add(e, true, "TLS", "no valid certificates exist in %s: %s",
			           ref->name, expired);
			return;
		}
	}
}
