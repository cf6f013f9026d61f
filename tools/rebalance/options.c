/* The commands and options of rebalance: the source of --help, completion and the man page. */
#include "options.h"

#include <string.h>

#define FORMAT_CHOICES_IR "yaml json"

const cli_option CLI_OPTIONS[] = {
    {OPT_HELP, 'h', "help", VALUE_NONE, NULL, NULL, CMD_ALL, false, false,
     "print this help and exit"},
    {OPT_OUTPUT, 'o', "output", VALUE_CHOICE, "FORMAT", FORMAT_CHOICES_IR, CMD_TRANSLATE | CMD_XDS,
     false, false, "yaml (the default) or json; also written -oyaml, -o=json, --output=json"},
    {OPT_OUTPUT, 'o', "output", VALUE_CHOICE, "FORMAT", "text wide yaml json", CMD_EXPLAIN, false,
     false,
     "text (the default: a summary, then a table for people), wide (the same, with Envoy's "
     "terms beside the plain words), yaml or json; also written -ojson, -o=json, "
     "--output=json"},
    {OPT_FILENAME, 'f', "filename", VALUE_PATH, "FILE|DIR|-", NULL, CMD_ALL, true, false,
     "an input: a file, a directory (its *.yaml, *.yml and *.json files in name order, hidden "
     "files skipped) or - for stdin; repeatable, and FILE arguments without -f work too"},
    {OPT_RECURSIVE, 'R', "recursive", VALUE_NONE, NULL, NULL, CMD_ALL, false, false,
     "read directories given with -f or as arguments recursively, as kubectl -R does"},
    {OPT_COMPAT, 0, "compat", VALUE_CHOICE, "MODE", "envoy-gateway", CMD_ALL, false, false,
     "envoy-gateway: reproduce Envoy Gateway exactly (no rebalancing)"},
    {OPT_CONFIG, 0, "config", VALUE_PATH, "FILE", NULL, CMD_ALL, false, false,
     "an EnvoyGateway configuration document: Backend API enablement, extension kinds "
     "(custom backends)"},
    {OPT_DISABLE_BACKEND_API, 0, "disable-backend-api", VALUE_NONE, NULL, NULL, CMD_ALL, false,
     false, "Backend resources are disabled (BackendEnabled=false)"},
    {OPT_RUNNING_ON_HOST, 0, "running-on-host", VALUE_NONE, NULL, NULL, CMD_ALL, false, false,
     "allow loopback Backend addresses (RunningOnHost=true)"},
    {OPT_REBALANCE_NOT_READY, 0, "rebalance-not-ready", VALUE_NONE, NULL, NULL, CMD_ALL, false,
     false,
     "also rebalance away from backends whose endpoints are all not ready, while another "
     "backend serves"},
    {OPT_HONOR_POLICY, 0, "honor-policy", VALUE_NONE, NULL, NULL, CMD_ALL, false, false,
     "in compat mode, honour the BackendTrafficPolicy fields rebalanceOnNoEndpoints and "
     "rebalanceOnNoReadyEndpoints"},
    {OPT_IGNORE_POLICY, 0, "ignore-policy", VALUE_NONE, NULL, NULL, CMD_ALL, false, false,
     "never read those two fields, in any mode"},
    {OPT_GATEWAY_CLASS, 0, "gateway-class", VALUE_WORD, "NAME", NULL, CMD_ALL, true, false,
     "a GatewayClass whose Gateways are ours (repeatable); added to the input's GatewayClasses "
     "of Envoy Gateway's controller (with neither, the class is envoy-gateway-class, as in "
     "Envoy Gateway's tests)"},
    {OPT_CONTROLLER_NAME, 0, "controller-name", VALUE_WORD, "NAME", NULL, CMD_ALL, false, false,
     "the controller whose GatewayClasses are ours "
     "(gateway.envoyproxy.io/gatewayclass-controller)"},
    {OPT_NAMESPACE, 'n', "namespace", VALUE_WORD, "NS", NULL, CMD_TRANSLATE | CMD_XDS, false,
     false,
     "the namespace of manifest objects without one, as kubectl applies them (default: "
     "default)"},
    {OPT_NAMESPACE, 'n', "namespace", VALUE_WORD, "NS", NULL, CMD_EXPLAIN, false, false,
     "as kubectl -n: the namespace of manifest objects without one (as kubectl apply -f "
     "applies them), and the only namespace whose routes explain shows (in every output) and "
     "--fail-on judges (default: every namespace, as -A)"},
    {OPT_ALL_NAMESPACES, 'A', "all-namespaces", VALUE_NONE, NULL, NULL, CMD_EXPLAIN, false, false,
     "look at the routes of every namespace (the default), even with -n, which then only "
     "names the namespace of objects without one"},
    {OPT_ASSUME_SECRETS, 0, "assume-secrets", VALUE_NONE, NULL, NULL, CMD_ALL, false, false,
     "a listener Secret missing from the input counts as valid (dumps without Secrets)"},
    {OPT_STRICT, 0, "strict", VALUE_NONE, NULL, NULL, CMD_ALL, false, false,
     "warnings are errors: exit 2, nothing on stdout"},
    {OPT_LIMIT, 0, "limit", VALUE_WORD, "NAME=N", NULL, CMD_ALL, true, false,
     "raise or lower an input limit (repeatable); N is a count, or bytes with a Ki, Mi or Gi "
     "suffix. NAME: input-bytes (64Mi), documents (100000), depth (64), scalar-bytes (1Mi), "
     "nodes (1048576), aliases (0: YAML aliases refused; N: allowed up to N expanded nodes); "
     "output-bytes (1Gi) bounds what is printed"},
    {OPT_GATEWAY_NAMESPACE_MODE, 0, "gateway-namespace-mode", VALUE_NONE, NULL, NULL, CMD_ALL,
     false, true, "Envoy Gateway's GatewayNamespaceMode"},
    {OPT_WHAT_IF, 0, "what-if", VALUE_WORD, "CHANGE", NULL, CMD_EXPLAIN, true, false,
     "change the input first, on both sides (repeatable): NS/SERVICE=N gives that Service N "
     "ready endpoints (0: scaled to zero, its EndpointSlices emptied); "
     "NS/ROUTE:RULE:REF=weight:W gives backendRef REF (an index) of rule RULE (its name or "
     "index) weight W; NS/ROUTE:RULE:REF=fallback serves that backendRef (to a Service) "
     "through a Backend with fallback: true at the Service's clusterIP"},
    {OPT_ROUTE, 0, "route", VALUE_WORD, "NS/NAME", NULL, CMD_EXPLAIN, true, false,
     "only the rules of the routes of that namespace and name (any route kind); repeatable"},
    {OPT_GATEWAY, 0, "gateway", VALUE_WORD, "NS/NAME", NULL, CMD_EXPLAIN, true, false,
     "only the rules attached to that Gateway; repeatable"},
    {OPT_ALL, 0, "all", VALUE_NONE, NULL, NULL, CMD_EXPLAIN, false, false,
     "the detail of every rule, not only of those that answer 5xx on either side"},
    {OPT_WIDTH, 0, "width", VALUE_WORD, "COLUMNS", NULL, CMD_EXPLAIN, false, false,
     "lay the text out for that many columns (66 to 1000); default: $COLUMNS, else the "
     "terminal's width, else 80"},
    {OPT_COLOR, 0, "color", VALUE_CHOICE, "WHEN", "auto always never", CMD_EXPLAIN, false, false,
     "colour the text: auto (the default: only on a terminal), always or never; NO_COLOR in "
     "the environment turns colour off whatever this says"},
    {OPT_FAIL_ON, 0, "fail-on", VALUE_WORD, "5xx|503|500[:PERCENT]", NULL, CMD_EXPLAIN, true,
     false,
     "exit 1 when any rule, in the selected mode, answers more than PERCENT (default 0) of "
     "its requests with that status (5xx: 500 and 503 together), or all rules together do; "
     "the output is printed all the same, and a line on stderr names the worst rule; "
     "repeatable"},
};
const size_t CLI_OPTION_COUNT = sizeof CLI_OPTIONS / sizeof CLI_OPTIONS[0];

static const char EXIT_TRANSLATED[] =
    "0 translated; 2 unusable input or arguments (FILE:LINE:COL: message on stderr, nothing on "
    "stdout); 1 the output could not be written (a full disk, a closed pipe).";

const cli_command CLI_COMMANDS[] = {
    {"translate", CMD_TRANSLATE, OUTPUT_YAML, "print the destination IR and route statuses",
     "translate [OPTIONS] [-f] FILE|DIR|-...",
     "Compute, for every route rule, the destination settings Envoy Gateway would compute, and "
     "the route status conditions, and print them. By default backendRefs without endpoints are "
     "rebalanced onto their peers (Envoy Gateway PR 9075); --compat envoy-gateway reproduces "
     "Envoy Gateway. Output: YAML unless -o json.",
     "rebalance translate -f manifests/\tevery *.yaml, *.yml and *.json in manifests/\n"
     "kubectl get gateways,httproutes,services,endpointslices -A -o yaml | rebalance translate "
     "-f -\ta live cluster\n"
     "rebalance translate --compat envoy-gateway -ojson route.yaml\twhat Envoy Gateway "
     "computes, as JSON\n",
     EXIT_TRANSLATED},
    {"explain", CMD_EXPLAIN, OUTPUT_TEXT, "show each backendRef's share of requests, upstream and rebalanced",
     "explain [OPTIONS] [--what-if CHANGE]... [--fail-on STATUS[:PERCENT]]... [-f] "
     "FILE|DIR|-...",
     "Show what Envoy does with each route rule's requests -- for Envoy Gateway as it is "
     "(compat, left) and for the selected mode (right, rebalance unless --compat): first a "
     "summary (how many rules answer 5xx on each side, the worst rules first), then the detail "
     "of those rules (every rule with --all): each backendRef's share served, or answered 503 "
     "or 500 because of it, and what to change on stock Envoy Gateway today. Output: text "
     "unless -o wide, -o json or -o yaml.",
     "rebalance explain -f manifests/ -R\tthe summary and the rules that answer 5xx, for a "
     "directory tree\n"
     "rebalance explain -n shop --all -f manifests/\tevery rule of namespace shop\n"
     "rebalance explain --route shop/checkout -o wide -f shop.yaml\tone route, with Envoy's "
     "terms\n"
     "rebalance explain --what-if shop/canary=0 -f shop.yaml\twhat happens when the canary is "
     "scaled to zero\n"
     "rebalance explain --what-if shop/checkout:api:1=weight:0 -f shop.yaml\tand with weight 0 "
     "on backendRef 1 of rule api\n"
     "rebalance explain -o json -f shop.yaml\tthe same numbers for a program\n"
     "rebalance explain --fail-on 503:1 -f manifests/\ta CI gate: fail when a rule answers "
     "more than 1% 503\n",
     "0 explained (and no --fail-on gate tripped); 1 a --fail-on gate tripped, or the output "
     "could not be written; 2 unusable input or arguments, or a --what-if Service that is not "
     "in the input."},
    {"xds", CMD_XDS, OUTPUT_JSON, "print the Envoy route actions and load assignments per rule",
     "xds [OPTIONS] [-f] FILE|DIR|-...",
     "Print, for every route rule, the Envoy v3 configuration Envoy Gateway derives from it: "
     "the route action (one cluster, weighted clusters with invalid-backend-cluster and "
     "clusterNotFoundResponseCode, or a direct response) and every cluster with its load "
     "assignment (one locality per backendRef: region = setting name, weight, priority; "
     "endpoints DRAINING or healthy). Field names are Envoy's proto3 JSON names; default "
     "values are omitted as protojson does. Output: JSON (what Envoy tooling reads) unless "
     "-o yaml.",
     "rebalance xds -f route.yaml\tthe route actions and clusters as JSON\n"
     "rebalance xds -o yaml -f route.yaml\tas YAML, for people\n",
     EXIT_TRANSLATED},
    {"help", 0, OUTPUT_YAML, "describe a command", "help [COMMAND]",
     "Print the help of COMMAND, the same as rebalance COMMAND --help; without COMMAND, list "
     "the commands.",
     "rebalance help explain\tthe options of explain\n", "0; 2 an unknown command."},
    {"completion", 0, OUTPUT_YAML, "print a shell completion script", "completion bash|zsh|fish",
     "Print a script that teaches the shell the commands, options and their values.",
     "source <(rebalance completion bash)\tbash, for this shell\n"
     "rebalance completion zsh > \"${fpath[1]}/_rebalance\"\tzsh, for every new shell\n"
     "rebalance completion fish > ~/.config/fish/completions/rebalance.fish\tfish\n",
     "0; 2 an unknown shell."},
};
const size_t CLI_COMMAND_COUNT = sizeof CLI_COMMANDS / sizeof CLI_COMMANDS[0];

const cli_command *cli_find_command(const char *name)
{
	for (size_t i = 0; i < CLI_COMMAND_COUNT; i++)
		if (!strcmp(CLI_COMMANDS[i].name, name))
			return &CLI_COMMANDS[i];
	return NULL;
}
