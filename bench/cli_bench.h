/* rb-bench cli: the command-line tool measured as a whole process (cli_bench.c). */
#ifndef RB_BENCH_CLI_BENCH_H
#define RB_BENCH_CLI_BENCH_H

/* argv: CLI [-r REPEATS] [-c translate|xds] [SIZES...]; `self` is rb-bench (for the scan). */
int cmd_cli(const char *self, int argc, char **argv);

#endif
