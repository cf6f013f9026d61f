/*
 * Synthetic clusters for benchmarks and tests: N routes x k backendRefs onto
 * Services with m endpoints each, a share of Services without endpoints and
 * a share of invalid backendRefs; deterministic for a given seed.
 *
 * Not part of the library: a consumer of the public API's input formats.
 */
#ifndef RB_BENCH_GEN_H
#define RB_BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>

typedef enum gen_format {
	GEN_TESTDATA_YAML = 0, /* the Envoy Gateway testdata layout (keys holding lists) */
	GEN_STREAM_YAML = 1,   /* a multi-document manifest stream, kubectl style */
	GEN_LIST_JSON = 2,     /* a `kind: List` as `kubectl get -o json` prints it */
	GEN_TESTDATA_JSON = 3  /* the testdata layout as JSON */
} gen_format;

typedef struct gen_params {
	size_t routes;        /* HTTPRoutes, one rule each */
	size_t refs;          /* backendRefs per rule */
	size_t services;      /* Services (0: routes / 2, at least 1) */
	size_t endpoints;     /* endpoints per non-empty Service */
	size_t namespaces;    /* (0: routes / 100, at least 1) */
	unsigned empty_pct;   /* share of Services without endpoints */
	unsigned invalid_pct; /* share of backendRefs that are invalid (missing Service, bad port) */
	uint64_t seed;
} gen_params;

#define GEN_PARAMS_DEFAULT {1000, 2, 0, 4, 0, 10, 2, 1}

/* A growable byte buffer (malloc). */
typedef struct gen_buf {
	char *data;
	size_t len, cap;
	int failed;
} gen_buf;

void gen_buf_free(gen_buf *b);

/* Append the cluster in format f to out. 0, or -1 when out of memory. */
int gen_write(const gen_params *p, gen_format f, gen_buf *out);

/* One EndpointSlice of Service `service` (index) as a standalone manifest, with
 * `endpoints` endpoints whose addresses depend on `variant`. */
int gen_slice(const gen_params *p, size_t service, size_t endpoints, unsigned variant,
              gen_format f, gen_buf *out);

/* Namespace and name of Service `service`. */
void gen_service_id(const gen_params *p, size_t service, char *ns, size_t ns_size, char *name,
                    size_t name_size);

gen_format gen_format_parse(const char *s, int *ok);

#endif
