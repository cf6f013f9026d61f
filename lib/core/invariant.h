/*
 * Invariant checks, as SQLite's assert/ALWAYS/NEVER:
 *  - RB_ASSERT(cond): cond holds by construction; nothing else is done about it.
 *  - RB_NOT_REACHED("why"): a branch no input can take (a switch default
 *    over every value of an enum); the code after it still handles it.
 *  - ALWAYS(cond) / NEVER(cond): a defensive branch for what cannot happen,
 *    written `if (NEVER(x)) return ...;` or `if (!ALWAYS(p)) return ...;`.
 *    The branch stays in every build, so bad state never crashes a release.
 *
 * With REBALANCE_ASSERTS defined (lib/CMakeLists.txt: Debug, sanitizer and
 * fuzz builds), a broken invariant aborts with file:line and the condition,
 * so tests and fuzzers find it; without it RB_ASSERT is nothing and ALWAYS /
 * NEVER are their condition.
 */
#ifndef RB_CORE_INVARIANT_H
#define RB_CORE_INVARIANT_H

/* Report a broken invariant on stderr and abort(). */
_Noreturn void rb__invariant_failed(const char *file, int line, const char *cond);

#ifdef REBALANCE_ASSERTS
#define RB_ASSERT(cond) ((cond) ? (void)0 : rb__invariant_failed(__FILE__, __LINE__, #cond))
#define ALWAYS(cond)    ((cond) ? 1 : (rb__invariant_failed(__FILE__, __LINE__, #cond), 0))
#define NEVER(cond)     ((cond) ? (rb__invariant_failed(__FILE__, __LINE__, #cond), 1) : 0)
#define RB_NOT_REACHED(why) rb__invariant_failed(__FILE__, __LINE__, "not reached: " why)
#else
#define RB_ASSERT(cond) ((void)sizeof(!(cond)))
#define ALWAYS(cond)    ((cond) ? 1 : 0)
#define NEVER(cond)     ((cond) ? 1 : 0)
#define RB_NOT_REACHED(why) ((void)0)
#endif

#endif
