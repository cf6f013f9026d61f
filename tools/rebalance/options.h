/*
 * The one description of the rebalance commands and their options. The
 * parser (cli_parse), `--help`, `rebalance help CMD`, the completion scripts
 * and the man page are all generated from these two tables, so they cannot
 * disagree: add an option here, nowhere else.
 */
#ifndef RB_CLI_OPTIONS_H
#define RB_CLI_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

/* Which commands accept an option (a bit mask). */
enum {
	CMD_TRANSLATE = 1u << 0,
	CMD_EXPLAIN = 1u << 1,
	CMD_XDS = 1u << 2,
	CMD_ALL = CMD_TRANSLATE | CMD_EXPLAIN | CMD_XDS
};

typedef enum cli_option_id {
	OPT_HELP = 1,
	OPT_OUTPUT,
	OPT_FILENAME,
	OPT_RECURSIVE,
	OPT_COMPAT,
	OPT_CONFIG,
	OPT_DISABLE_BACKEND_API,
	OPT_RUNNING_ON_HOST,
	OPT_REBALANCE_NOT_READY,
	OPT_HONOR_POLICY,
	OPT_IGNORE_POLICY,
	OPT_GATEWAY_CLASS,
	OPT_CONTROLLER_NAME,
	OPT_NAMESPACE,
	OPT_ASSUME_SECRETS,
	OPT_STRICT,
	OPT_LIMIT,
	OPT_GATEWAY_NAMESPACE_MODE,
	OPT_WHAT_IF,
	OPT_FAIL_ON,
	/* explain: which rules, how they are shown */
	OPT_ALL_NAMESPACES,
	OPT_ROUTE,
	OPT_GATEWAY,
	OPT_ALL,
	OPT_WIDTH,
	OPT_COLOR,
} cli_option_id;

/* How a shell completes an option's value. */
typedef enum cli_value_kind {
	VALUE_NONE,   /* a switch: no value */
	VALUE_WORD,   /* free text (a name, NAME=N) */
	VALUE_CHOICE, /* one of `choices` */
	VALUE_PATH,   /* a file (or a directory, or -) */
} cli_value_kind;

typedef struct cli_option {
	cli_option_id id;
	char short_name;       /* 0: none */
	const char *long_name; /* without the leading -- */
	cli_value_kind value;
	const char *metavar; /* the value's name in --help */
	const char *choices; /* VALUE_CHOICE: space-separated */
	unsigned commands;   /* CMD_* */
	bool repeatable;     /* may be given more than once */
	bool hidden;         /* parsed, not documented (kept for old scripts) */
	const char *help;    /* one paragraph, wrapped when printed */
} cli_option;

/* A command's outputs: its default, and whether it also prints text for people. */
typedef enum cli_default_output {
	OUTPUT_YAML = 0,
	OUTPUT_JSON, /* xds: Envoy's proto3 JSON, what Envoy tooling reads */
	OUTPUT_TEXT  /* explain: text by default, -o yaml|json for programs */
} cli_default_output;

typedef struct cli_command {
	const char *name;
	unsigned bit; /* CMD_*; 0 for help and completion */
	cli_default_output output;
	const char *summary;
	const char *usage; /* after "rebalance " */
	const char *description;
	const char *examples; /* lines "COMMAND LINE\tWHAT IT DOES" */
	const char *exit_status;
} cli_command;

extern const cli_option CLI_OPTIONS[];
extern const size_t CLI_OPTION_COUNT;
extern const cli_command CLI_COMMANDS[];
extern const size_t CLI_COMMAND_COUNT;

/* The command named `name`, or NULL. */
const cli_command *cli_find_command(const char *name);

/* Generators (docgen.c). Each returns 0, or -1 when `out` could not be written. */
int cli_print_help(FILE *out, const cli_command *cmd);
int cli_print_overview(FILE *out);
int cli_print_completion(FILE *out, const char *shell); /* shell: bash, zsh or fish */
int cli_print_man(FILE *out, const char *version);

#endif
