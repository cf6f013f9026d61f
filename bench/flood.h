/* rb-bench flood: loading keys crafted against the unseeded table hash of
 * earlier releases, against plain keys (bench/README.md). */
#ifndef RB_BENCH_FLOOD_H
#define RB_BENCH_FLOOD_H

#include <stddef.h>

int cmd_flood(size_t keys, int repeats);

#endif
