/* main.c — `rubric`: dispatch to the subcommands. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"eval", cmd_eval, "evaluate partners against programs and print scorecards"},
    {"check", cmd_check, "parse and type-check rules; print every diagnostic"},
    {"compile", cmd_compile, "compile rules to a bytecode file"},
    {"disasm", cmd_disasm, "print a bytecode file readably"},
    {"test", cmd_test, "run rule tests written in Rubric (*_test.rubric)"},
    {"diff", cmd_diff, "which partners a rules change moves (tier, requirement status)"},
    {"doc", cmd_doc, "a Markdown reference of rules modules, from their source"},
    {"fmt", cmd_fmt, "format rules and rule-test files in the one canonical style"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_help(FILE *f)
{
    fprintf(f,
            "Usage: rubric COMMAND [OPTIONS] [ARGS]\n"
            "\n"
            "Rubric turns partner-program rules into checks a machine runs: it compiles\n"
            "rules written in the Rubric language to verified bytecode and evaluates\n"
            "partner data against them.\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "\n"
            "Options:\n"
            "  -h, --help     show this help (rubric COMMAND --help: the command's)\n"
            "      --version  show the version\n"
            "\n"
            "Without --rules, commands use the standard programs built into rubric:\n"
            "apn-2019-consulting, apn-2019-technology, apn-2022-services, service-delivery.\n"
            "\n"
            "Example:\n"
            "  rubric eval --as-of 2026-11-22 examples/partners/advanced.json\n");
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("rubric: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_option_error(const char *cmd, int getopt_result, char *const *argv)
{
    if (getopt_result == ':')
        return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("rubric: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "Try 'rubric %s --help'.\n", cmd);
    else
        fputs("Try 'rubric --help'.\n", stderr);
    return EXIT_USAGE;
}

bool cli_color(int fd)
{
    const char *no_color = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    return isatty(fd) && !(no_color && no_color[0]) && term && strcmp(term, "dumb") != 0;
}

bool cli_stderr_color(void)
{
    return cli_color(STDERR_FILENO);
}

/* Make file descriptors 0-2 valid: started with one closed, the command
 * would give its number to the first file it opens (an -o temporary file)
 * and write its diagnostics into it.  Opening /dev/null changes nothing. */
static bool open_standard_fds(void)
{
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        /* The lowest free number: fd itself, those below are open. */
        int opened = open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY);
        if (opened != fd)
            return false;
    }
    return true;
}

static int run(int argc, char **argv)
{
    if (argc < 2)
        return print_help(stderr), EXIT_USAGE;
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
        if (strcmp(name, "help") == 0 && argc > 2) {
            for (size_t i = 0; i < NCOMMANDS; i++) {
                if (strcmp(commands[i].name, argv[2]) == 0) {
                    static char help_flag[] = "--help";
                    char *args[] = {argv[2], help_flag, NULL};
                    return commands[i].run(2, args);
                }
            }
            return cli_usage_error(NULL, "unknown command '%s'", argv[2]);
        }
        print_help(stdout);
        return EXIT_DONE;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("rubric %s\n", RUBRIC_VERSION_STRING);
        return EXIT_DONE;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    if (name[0] == '-')
        return cli_usage_error(NULL, "a command comes first (eval, check, compile, disasm, test, diff, doc, fmt), "
                               "found '%s'", name);
    return cli_usage_error(NULL, "unknown command '%s'", name);
}

int main(int argc, char **argv)
{
    if (!open_standard_fds())
        return EXIT_ERRORS; /* nowhere to say so */
    return cli_finish_stdout(run(argc, argv));
}
