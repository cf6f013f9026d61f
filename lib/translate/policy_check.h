/*
 * What the per-kind policy checks share (policy_check.c): the error
 * accumulator and the lookups and value checks every kind uses. Private to
 * lib/translate/policy_*.c.
 */
#ifndef RB_TRANSLATE_POLICY_CHECK_H
#define RB_TRANSLATE_POLICY_CHECK_H

#include "translate/tr.h"

/* The errors of one policy: joined text, and whether one of them fails closed. */
typedef struct rb__pc_errs {
	rb__tr *t;
	const rb__gateway *gateway; /* the Gateway whose routes the policy reaches */
	const char *text;           /* NULL: none */
	bool fails;
	int rc; /* RB_ENOMEM when a check could not be made (the Lua validator) */
} rb__pc_errs;

/* Add an error line "<prefix>: <text>"; `fails`: it fails closed. */
void rb__pc_add(rb__pc_errs *e, bool fails, const char *prefix, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Lookups: the last definition wins (Secrets: rb__find_secret, the translator's one). */
const rb__ca_holder *rb__pc_find_config_map(rb__tr *t, const char *ns, const char *name);
bool rb__pc_has_key(const char *const *keys, size_t n, const char *key);
/* A Secret reference of a policy (validateSecretRef): NULL when it resolves (*out the Secret). */
const char *rb__pc_secret_ref_error(rb__tr *t, const rb__claim *c, const char *policy_kind,
                                    const rb__secret_ref *ref, const rb__secret **out);

/* Value checks, each adding its error under `prefix`. */
void rb__pc_duration(rb__pc_errs *e, const char *prefix, const char *field, const char *value);
void rb__pc_uint32_quantity(rb__pc_errs *e, const char *prefix, const char *field,
                            const char *value);
void rb__pc_http2_windows(rb__pc_errs *e, const char *stream, const char *connection);
bool rb__pc_cidr_ok(const char *s);
/* An external service's backendRefs (ext_service.c), the error under `prefix`. */
void rb__pc_ext_service(rb__pc_errs *e, const rb__claim *c, const char *policy_kind, bool fails,
                        const char *prefix, const rb__ext_service *svc);

/* The checks of each kind: policy_btp.c, policy_sp.c, policy_eep.c, policy_ctp.c. */
void rb__pc_btp_errors(rb__pc_errs *e, const rb__claim *c);
void rb__pc_sp_errors(rb__pc_errs *e, const rb__claim *c, const rb__parent *parent,
                      const rb__listener *l);
void rb__pc_eep_errors(rb__pc_errs *e, const rb__claim *c, const rb__gateway *g);
void rb__pc_ctp_errors(rb__pc_errs *e, const rb__claim *c, const rb__listener *l);

#endif
