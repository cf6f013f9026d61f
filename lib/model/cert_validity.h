/* What policy checks read from certificates: validity period, common name. */
#ifndef RB_MODEL_CERT_VALIDITY_H
#define RB_MODEL_CERT_VALIDITY_H

#include "core/arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rb__cert_validity {
	bool parsed;        /* false: the block is not a certificate we could read */
	int64_t not_before; /* Unix seconds */
	int64_t not_after;
	const char *common_name; /* the subject's CN, "" when none */
} rb__cert_validity;

/* Standard or URL-safe base64, whitespace ignored; NULL on a bad character or
 * no memory (*len 0). The result lives in `a`. */
unsigned char *rb__base64_decode(rb__arena *a, const char *s, size_t n, size_t *len);

/* Every "CERTIFICATE" block of a PEM text, in order, into an array in `a`. RB_OK or RB_ENOMEM. */
int rb__pem_certificates(rb__arena *a, const char *pem, size_t n, rb__cert_validity **out,
                         uint32_t *count);

#endif
