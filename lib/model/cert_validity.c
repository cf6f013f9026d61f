/*
 * The validity period and common name of PEM certificates: all Envoy
 * Gateway's CA checks read from a certificate's contents (a client-validation
 * bundle where no certificate is valid any more fails the
 * ClientTrafficPolicy). A minimal DER walk down to tbsCertificate.validity
 * and the subject's CN; no signature, no chain, nothing else.
 */
#include "model/cert_validity.h"

#include <string.h>

#include "rebalance/errors.h"

/* ---- base64 (Secret data, PEM bodies): whitespace skipped, '=' ends ---- */

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Decode into out (at least n * 3 / 4 + 3 bytes); the length, or -1 on a bad character. */
static long b64_decode(const char *s, size_t n, unsigned char *out)
{
	unsigned acc = 0;
	int bits = 0;
	long len = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '=')
			break;
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		int v = b64_value(c);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[len++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return len;
}

unsigned char *rb__base64_decode(rb__arena *a, const char *s, size_t n, size_t *len)
{
	unsigned char *out = rb__arena_alloc(a, n / 4 * 3 + 4);
	if (!out)
		return NULL;
	long l = b64_decode(s, n, out);
	*len = l < 0 ? 0 : (size_t)l;
	return l < 0 ? NULL : out;
}

/* ---- DER ---- */

typedef struct der {
	const unsigned char *p;
	size_t n;
} der;

/* The next TLV of d: its tag and contents; false when malformed. */
static bool der_next(der *d, unsigned char *tag, der *content)
{
	if (d->n < 2)
		return false;
	*tag = d->p[0];
	size_t len = d->p[1], hdr = 2;
	if (len & 0x80) {
		size_t k = len & 0x7f;
		if (k == 0 || k > 4 || d->n < 2 + k)
			return false;
		len = 0;
		for (size_t i = 0; i < k; i++)
			len = (len << 8) | d->p[2 + i];
		hdr += k;
	}
	if (len > d->n - hdr)
		return false;
	content->p = d->p + hdr;
	content->n = len;
	d->p += hdr + len;
	d->n -= hdr + len;
	return true;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const unsigned char *p, size_t n, unsigned *out)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return true;
}

/* UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ) as Unix seconds. */
static bool der_time(unsigned char tag, der t, int64_t *out)
{
	size_t ylen = tag == 0x17 ? 2 : tag == 0x18 ? 4 : 0;
	unsigned y, mo, d, h, mi, s;
	if (!ylen || t.n != ylen + 11 || t.p[t.n - 1] != 'Z' || !digits(t.p, ylen, &y) ||
	    !digits(t.p + ylen, 2, &mo) || !digits(t.p + ylen + 2, 2, &d) ||
	    !digits(t.p + ylen + 4, 2, &h) || !digits(t.p + ylen + 6, 2, &mi) ||
	    !digits(t.p + ylen + 8, 2, &s) || mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	if (ylen == 2)
		y += y >= 50 ? 1900 : 2000;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	return true;
}

/* The subject's commonName (OID 2.5.4.3), or "". */
static const char *common_name(rb__arena *a, der name)
{
	static const unsigned char CN[] = {0x55, 0x04, 0x03};
	unsigned char tag;
	der rdn, atv, oid, value;
	while (der_next(&name, &tag, &rdn)) {
		while (der_next(&rdn, &tag, &atv)) {
			if (!der_next(&atv, &tag, &oid) || tag != 0x06 || oid.n != 3 ||
			    memcmp(oid.p, CN, 3) || !der_next(&atv, &tag, &value))
				continue;
			return rb__arena_intern(a, (const char *)value.p, value.n);
		}
	}
	return "";
}

static bool parse_cert(rb__arena *a, der cert, rb__cert_validity *out)
{
	unsigned char tag;
	der c, tbs, field, validity, t;
	if (!der_next(&cert, &tag, &c) || tag != 0x30 || !der_next(&c, &tag, &tbs) || tag != 0x30)
		return false;
	if (!der_next(&tbs, &tag, &field))
		return false;
	if (tag == 0xa0 && !der_next(&tbs, &tag, &field)) /* [0] version, then serialNumber */
		return false;
	/* signature algorithm, issuer, validity, subject */
	if (!der_next(&tbs, &tag, &field) || !der_next(&tbs, &tag, &field) ||
	    !der_next(&tbs, &tag, &validity) || tag != 0x30)
		return false;
	if (!der_next(&validity, &tag, &t) || !der_time(tag, t, &out->not_before) ||
	    !der_next(&validity, &tag, &t) || !der_time(tag, t, &out->not_after))
		return false;
	der subject;
	out->common_name =
	    der_next(&tbs, &tag, &subject) && tag == 0x30 ? common_name(a, subject) : "";
	return out->common_name != NULL;
}

int rb__pem_certificates(rb__arena *a, const char *pem, size_t n, rb__cert_validity **out,
                         uint32_t *count)
{
	static const char BEGIN[] = "-----BEGIN CERTIFICATE-----";
	static const char END[] = "-----END CERTIFICATE-----";
	*out = NULL;
	*count = 0;
	size_t cap = 0;
	for (size_t i = 0; i + sizeof BEGIN - 1 <= n; i++)
		if (!memcmp(pem + i, BEGIN, sizeof BEGIN - 1))
			cap++;
	if (!cap)
		return RB_OK;
	if (cap > UINT32_MAX)
		return RB_ELIMIT; /* the model counts in 32 bits (model.h) */
	*out = rb__arena_calloc(a, cap, sizeof(**out));
	if (!*out)
		return RB_ENOMEM;
	const char *p = pem, *end = pem + n;
	while (*count < cap) {
		const char *b = NULL;
		for (const char *q = p; q + sizeof BEGIN - 1 <= end && !b; q++)
			if (!memcmp(q, BEGIN, sizeof BEGIN - 1))
				b = q + sizeof BEGIN - 1;
		if (!b)
			break;
		const char *e = NULL;
		for (const char *q = b; q + sizeof END - 1 <= end && !e; q++)
			if (!memcmp(q, END, sizeof END - 1))
				e = q;
		rb__cert_validity *c = &(*out)[(*count)++];
		c->parsed = false;
		if (!e)
			break;
		size_t len;
		unsigned char *body = rb__base64_decode(a, b, (size_t)(e - b), &len);
		der d = {body, body ? len : 0};
		c->parsed = body && parse_cert(a, d, c);
		p = e + sizeof END - 1;
	}
	return RB_OK;
}
