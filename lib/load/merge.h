/*
 * YAML merge keys (`<<`), as go-yaml v2 applies them when Kubernetes
 * clients read YAML (sigs.k8s.io/yaml), private to load/.
 *
 * A plain `<<` key in a mapping takes a mapping, or a sequence of mappings
 * (inline or through aliases). Members are applied in the order they are
 * written, a later one replacing an earlier one with the same key: the
 * members of a merged mapping where the `<<` is, those of a sequence from
 * its last mapping to its first (so earlier ones win). So keys written
 * after `<<` override the merged ones, as in `<<: *defaults` followed by
 * overrides. A quoted "<<" is an ordinary key.
 *
 * No node is copied: the mapping's member list is rebuilt from pointers to
 * nodes that already exist and were counted (an alias was charged against
 * the alias budget when it was expanded), so a merge cannot amplify the
 * input. The work is linear in the members involved (hashed beyond a few).
 */
#ifndef RB_LOAD_MERGE_H
#define RB_LOAD_MERGE_H

#include "load/builder.h"

/* Apply the merges of the complete mapping n (some member has `merge` set).
 * RB_OK, RB_EPARSE (a merge value that is not a mapping or a sequence of
 * mappings, with its location) or RB_ENOMEM. */
int rb__ld_merge(rb__ld *b, rb__node *n);

#endif
