/*
 * cli.h — the `rubric` command: subcommands and the helpers they share.
 * The command is thin: argument parsing, reading files, printing; the work
 * is the library's.
 */
#ifndef RUBRIC_CLI_H
#define RUBRIC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rubric.h"

/* Exit statuses (spec/cli.md). */
enum {
    EXIT_DONE = 0,
    EXIT_ERRORS = 1,     /* errors in rules or data */
    EXIT_USAGE = 2,
    EXIT_BELOW = 3       /* --fail-below not reached */
};

int cmd_eval(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_doc(int argc, char **argv);
int cmd_fmt(int argc, char **argv);

/* "rubric: message" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: the message, then "Try 'rubric CMD --help'."; returns
 * EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The usage error of what getopt_long returned for argv[optind - 1]: ':'
 * (an option without its value) or anything else (an unknown option). */
int cli_option_error(const char *cmd, int getopt_result, char *const *argv);

/* The options of commands that take only -I DIR and -h: parses argv with
 * getopt, collecting the -I directories into *search (to free(); argv's
 * strings).  Returns -1 to go on with argv[optind...], or an exit status
 * (help printed by usage, or a usage error). */
int cli_include_options(const char *cmd, int argc, char **argv, void (*usage)(FILE *),
                        const char ***search, size_t *nsearch);

/* Colour on a stream: a terminal, TERM set and not "dumb", NO_COLOR unset. */
bool cli_color(int fd);
/* cli_color(STDERR_FILENO). */
bool cli_stderr_color(void);

/* --as-of: text NULL gives today's local date; a date outside
 * CLI_AS_OF_FIRST..CLI_AS_OF_LAST (where every window the rules compute
 * stays in the calendar's range) is a usage error.  Returns -1 to go on,
 * else the exit status of the usage error. */
#define CLI_AS_OF_FIRST "1900-01-01"
#define CLI_AS_OF_LAST "9000-12-31"
int cli_parse_as_of(const char *cmd, const char *text, int32_t *as_of);

/* Read a whole regular file of at most max bytes ("-" = standard input,
 * which may be a pipe: bounded the same way), NUL-terminated; free() it.
 * NULL on failure, with the reason in why: "cannot read X: ...", "X is
 * not a regular file", "X is too large (N bytes, at most M)". */
char *cli_read_file(const char *path, size_t max, size_t *len, char *why, size_t why_size);

/* Rules for a command: each .rbc file loaded as a module of its own (with
 * its own schema), then the .rubric sources compiled together into one
 * more; the word `stdlib` among them adds the standard programs to that
 * compilation; none = the standard rules.  The modules are in the order
 * given, the compiled sources at the place of the first of them. */
typedef struct cli_rules {
    rubric_module **modules;
    size_t count;
} cli_rules;

/* Load rules; prints diagnostics and errors.  False on any error. */
bool cli_load_rules(const char *const *paths, size_t npaths, const char *const *search,
                    size_t nsearch, cli_rules *out);
void cli_free_rules(cli_rules *rules);

/* Print a compiler's diagnostics on stderr (coloured on a terminal). */
void cli_print_compiler_diags(const rubric_compiler *c);

/* Compile .rubric sources (none: the standard rules; the word `stdlib`
 * among them: the standard programs too, first) to bytecode, printing
 * diagnostics.  check_only: type-check only.  Returns an exit status. */
int cli_compile_sources(const char *const *paths, size_t npaths, const char *const *search,
                        size_t nsearch, bool check_only, void **bytecode, size_t *len);

/* Output (io.c, docs/cli.md): standard output, or a file.  A regular file
 * (or a symlink to one, or a new name) is written atomically: a temporary
 * file in its directory, with its mode and owner, renamed into place on
 * cli_output_close.  Anything else (a device, a FIFO) is written directly.
 * Errors writing a file are reported by open and close; errors writing
 * standard output at exit, by cli_finish_stdout. */
typedef struct cli_output cli_output;
/* NULL or "-" = stdout; NULL (reported) when the file cannot be written. */
cli_output *cli_output_open(const char *path);
bool cli_output_write(cli_output *out, const char *bytes, size_t len);
/* A write has failed. */
bool cli_output_failed(const cli_output *out);
/* Commit or discard the file; false (reported) if writing or committing it
 * failed.  A NULL out is false. */
bool cli_output_close(cli_output *out, bool commit);
/* rubric_write_fn over a cli_output. */
bool cli_output_sink(void *out, const char *bytes, size_t len);

/* -o must not name an input: EXIT_USAGE (reported, "-o FILE is also an
 * input (KIND FILE)") when output is the same file (device and inode) as
 * one of inputs ("-": standard input), else -1 to go on. */
int cli_refuse_output_inputs(const char *output, const char *kind,
                             const char *const *inputs, size_t ninputs);

/* At exit: close standard output; an error writing it (but a closed pipe)
 * is reported.  Returns status, or EXIT_ERRORS after such an error. */
int cli_finish_stdout(int status);

/* A unified diff (`diff -u`) from old_text to new_text on standard output,
 * under the headers "--- old_name" and "+++ new_name".  False when out of
 * memory (nothing printed). */
bool cli_print_unified_diff(const char *old_name, const char *new_name, const char *old_text,
                            size_t old_len, const char *new_text, size_t new_len);

/* Partner data files: .json (one partner or an array), .jsonl or .ndjson
 * (one per line), "-" (JSON Lines on standard input).  cli_open_data opens
 * one (reporting why not: NULL), with its name for diagnostics ("<stdin>"
 * for "-") and whether it holds JSON Lines; cli_close_data closes it. */
FILE *cli_open_data(const char *path, const char **name, bool *jsonl);
void cli_close_data(FILE *in);

/* Feed the files to a batch.  False when a file could not be read or
 * evaluated cleanly, or the output failed (then it stops). */
bool cli_add_data_files(rubric_batch *b, char *const *files, size_t nfiles,
                        const cli_output *out);

/* Their total size, or 0 when it is not known (standard input, a pipe). */
uint64_t cli_data_size(char *const *files, size_t nfiles);

/* A diagnostic on stderr: "file:line:col: error: message", the data it
 * quotes escaped. */
void cli_print_diag(const char *file, uint64_t line, uint64_t column, bool warning,
                    const char *message, bool color);

/* What `rubric eval` says on stderr while it runs (progress.c): a
 * progress bar (bar: stderr is a terminal and not -q), redrawn at most ten
 * times a second and erased before each diagnostic and at the end; the
 * diagnostics (cap: a person reads them, on a terminal: at most
 * CLI_DIAG_CAP of each kind, then how many more; else every one, for the
 * tools that read them); the end-of-run line (stats_line).  Called from the batch's callbacks, one
 * at a time. */
enum { CLI_DIAG_CAP = 10, CLI_DIAG_KINDS = 3 };
typedef struct cli_feedback {
    bool bar, stats_line, cap, color;
    bool shown;                 /* the bar is on the screen */
    uint64_t started, drawn;    /* monotonic ns; drawn: 0 = never */
    uint64_t partners, bytes_read, total_bytes;
    uint64_t shown_per_kind[CLI_DIAG_KINDS], hidden_per_kind[CLI_DIAG_KINDS];
} cli_feedback;
void cli_feedback_init(cli_feedback *f, bool bar, bool stats_line, bool cap, bool color);
void cli_feedback_progress(cli_feedback *f, const rubric_batch_progress *p);
void cli_feedback_diag(cli_feedback *f, const rubric_batch_diag *d);
/* Erase the bar, say what was left unsaid, and the end-of-run line. */
void cli_feedback_finish(cli_feedback *f, const rubric_batch_stats *stats);

/* A date as YYYY-MM-DD (for --as-of), from cli_parse_as_of's days. */
void cli_format_date(int32_t days, char out[11]);

/* -f summary and -f summary-json (eval_summary.c). */
enum { CLI_SUMMARY_NONE, CLI_SUMMARY_TEXT, CLI_SUMMARY_JSON };
/* True (and *format set) when name is a summary format. */
bool cli_summary_format(const char *name, int *format);
/* A batch's on_partner: the partner's results added; non-zero (stop) when
 * out of memory. */
int cli_summary_add_partner(rubric_summary *summary, const rubric_batch_partner *partner);
/* Write the summary; false (reported) when it failed. */
bool cli_summary_write(const rubric_summary *summary, int format, cli_output *out);

#endif /* RUBRIC_CLI_H */
