/* What the rebalance commands share: flags, reading inputs, reporting errors. */
#ifndef RB_CLI_H
#define RB_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "rebalance/rebalance.h"

/* Exit statuses. */
enum {
	CLI_OK = 0,
	CLI_FAILURE = 1, /* could not write the output, out of memory */
	CLI_USAGE = 2,   /* unusable input or arguments: nothing on stdout */
	CLI_GATE_TRIPPED = 1 /* explain --fail-on: a rule answers more 5xx than allowed */
};

typedef struct cli_options {
	rb_format format;
	bool format_set; /* -o was given */
	bool text;       /* -o text or -o wide (explain only) */
	bool wide;       /* -o wide (explain only): Envoy's terms too */
	rb_translate_options translate;
	const char *config_path; /* --config FILE */
	/* --limit NAME=N, indexed by rb_limit; 0 where not given (the default) */
	uint64_t limits[RB_LIMIT_ALIAS_EXPANSION + 1];
	bool limit_set[RB_LIMIT_ALIAS_EXPANSION + 1];
	uint64_t output_bytes; /* --limit output-bytes: the output budget (CLI_OUTPUT_BYTES) */
	const char **inputs;
	size_t input_count;
	const char **gateway_classes; /* --gateway-class, repeatable (into translate) */
	const char *namespace_;       /* -n/--namespace: of manifest objects without one */
	bool all_namespaces;          /* -A (explain): -n does not select routes */
	bool strict;                  /* --strict: warnings are errors */
	char **owned;                 /* the file names read from directories */
	size_t owned_count;
	/* command-specific flags a command consumes through its own parser hook */
} cli_options;

/*
 * Parse the common flags of translate/explain/xds. `extra` (may be NULL) is
 * offered every argument the common parser does not know; it returns the
 * number of arguments it consumed (0: unknown, -1: error already printed).
 */
typedef int (*cli_extra_fn)(void *ud, int argc, char **argv, int i);
int cli_parse(const char *command, int argc, char **argv, cli_options *o, cli_extra_fn extra,
              void *ud);

/*
 * Replace each directory among o->inputs by its *.yaml, *.yml and *.json
 * files in name order (hidden entries skipped; subdirectories too when
 * `recursive`), as kubectl -f DIR [-R] does. Returns CLI_OK, or CLI_USAGE
 * after printing why (a directory that cannot be read or holds no manifest).
 */
int cli_expand_directories(const char *command, cli_options *o, bool recursive);

/* A context with the --limit values applied. Returns CLI_OK or CLI_FAILURE (out of memory). */
int cli_new_ctx(const cli_options *o, rb_ctx **out);

/* Read every input into `in`. On failure prints the diagnostics and returns CLI_USAGE. */
int cli_read_inputs(rb_ctx *ctx, const cli_options *o, rb_input **out);

/* Print a usage error ("rebalance: ...") and a hint; returns CLI_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Print the input's and the result's warnings on stderr, one line each
 * ("FILE:LINE:COL: warning: /json/pointer: message"), or with --strict as
 * errors. Returns the number printed. `res` may be NULL.
 */
size_t cli_print_warnings(const cli_options *o, const rb_input *in, const rb_result *res);
/* The same to `out`, each line after `indent`. */
size_t cli_print_warnings_to(FILE *out, const char *indent, const rb_input *in,
                             const rb_result *res, bool strict);

/* Free what cli_parse allocated. */
void cli_options_free(cli_options *o);

/*
 * The body of a command that translates and prints one view of the result:
 * read the inputs, translate, then stream the view to stdout with `write_view`
 * (rb_result_write, rb_xds_write) as the library produces it -- every input
 * error is known before the first byte. A write error (a full disk, a closed
 * pipe) stops the output: a message and exit 1, as for any Unix filter.
 * Returns the exit status.
 */
typedef int (*cli_write_view_fn)(const rb_result *res, rb_format format, rb_write_fn write,
                                 void *ud);
int cli_translate_and_print(const char *command, const cli_options *o,
                            cli_write_view_fn write_view);

/* The default output budget: 1 GiB, far above what real clusters print. */
#define CLI_OUTPUT_BYTES (UINT64_C(1) << 30)

/*
 * Something to print: writes `what` in `format` to `write` (rb_result_write,
 * rb_xds_write, rb_explanation_write or a text printer); returns an rb_error.
 */
typedef int (*cli_produce_fn)(const void *what, rb_format format, rb_write_fn write, void *ud);

/*
 * Print what `produce` writes to stdout within the output budget
 * (o->output_bytes; emit_budget.c): past the budget, exit 2, a message and
 * nothing on stdout. A first pass keeps the output (256 KiB in memory, the
 * rest in an unlinked temporary file), then copies it to stdout; without a
 * temporary file it only counts, and the output is produced again, streamed
 * to stdout. A write error is a message and exit 1. Returns the exit status.
 */
int cli_emit(const char *command, const cli_options *o, cli_produce_fn produce, const void *what);

/* A write-only FILE whose bytes go to `write` (for output printed with stdio); NULL if out of memory. */
FILE *cli_sink_file(rb_write_fn write, void *ud);

/* A command that is only that: parse the common options, translate, print
 * one view (translate, xds). Returns the exit status. */
int cli_view_command(const char *command, int argc, char **argv, cli_write_view_fn write_view);

/* Commands. */
int cmd_translate(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_xds(int argc, char **argv);

#endif
