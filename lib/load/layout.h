/* The Envoy Gateway testdata layout: its top-level keys ([input.form.layout]). */
#ifndef RB_LOAD_LAYOUT_H
#define RB_LOAD_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum rb__layout_shape {
	RB_LAYOUT_LIST = 1,  /* the key holds a sequence of objects */
	RB_LAYOUT_SINGLE = 2 /* the key holds one object */
} rb__layout_shape;

typedef struct rb__layout_key {
	const char *name; /* canonical spelling, e.g. "endpointSlices" */
	rb__layout_shape shape;
} rb__layout_key;

/* The known key matching `key` case-insensitively (n bytes), or NULL. */
const rb__layout_key *rb__layout_find(const char *key, size_t n);

#endif
