/*
 * rebalance -- common definitions of the public API.
 *
 * Every public header includes this one. It only includes <stddef.h> and
 * <stdint.h> and stays C99- and C++-clean (docs/conventions.md, Naming and layout).
 */
#ifndef REBALANCE_COMMON_H
#define REBALANCE_COMMON_H

#include <stddef.h>
#include <stdint.h>

/** Marks a function of the public, exported API. */
#if defined(_WIN32) || defined(__CYGWIN__)
#  if defined(REBALANCE_BUILDING_LIBRARY)
#    define RB_API __declspec(dllexport)
#  elif defined(REBALANCE_STATIC)
#    define RB_API
#  else
#    define RB_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define RB_API __attribute__((visibility("default")))
#else
#  define RB_API
#endif

#ifdef __cplusplus
#  define RB_BEGIN_DECLS extern "C" {
#  define RB_END_DECLS }
#else
#  define RB_BEGIN_DECLS
#  define RB_END_DECLS
#endif

RB_BEGIN_DECLS

/** A library context: allocator, limits. See ctx.h. */
typedef struct rb_ctx rb_ctx;
/** The documents collected so far, decoded. See input.h. */
typedef struct rb_input rb_input;
/** A finished translation: the IR, its statuses, its diagnostics. See result.h. */
typedef struct rb_result rb_result;
/** One diagnostic record (an input error). See errors.h. */
typedef struct rb_diag rb_diag;

RB_END_DECLS

#endif /* REBALANCE_COMMON_H */
