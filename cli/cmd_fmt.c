/* cmd_fmt.c — `rubric fmt [--check] [-w] FILES...`: rules and rule-test
 * files in the one canonical style (docs/fmt.md), through the library's
 * rubric_compiler_format. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define TEST_SUFFIX "_test.rubric"
/* The largest source read, as for the compiler's own files. */
#define FMT_MAX_SOURCE ((size_t)64 << 20)

typedef enum fmt_mode { FMT_PRINT, FMT_CHECK, FMT_WRITE } fmt_mode;

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: rubric fmt [OPTIONS] FILES...\n"
            "\n"
            "Format rules files and rule-test files (*" TEST_SUFFIX ") in the one canonical\n"
            "style of the language (docs/fmt.md): the same tokens, comments and line breaks,\n"
            "indented and spaced one way. The formatted text is printed on standard output;\n"
            "FILE - reads standard input. A file with a syntax error is left alone and its\n"
            "diagnostics are printed.\n"
            "\n"
            "Options:\n"
            "  -c, --check   print nothing for formatted files, and a unified diff of the\n"
            "                changes for each file that is not formatted\n"
            "  -w, --write   rewrite each file that is not formatted, in place (atomically)\n"
            "  -h, --help    show this help\n"
            "\n"
            "Exit status: 0 done (with --check: every file is formatted); 1 a file is not\n"
            "formatted (--check), has syntax errors or cannot be read; 2 usage error.\n"
            "\n"
            "Example:\n"
            "  rubric fmt --check stdlib-rules/apn/*.rubric\n");
}

static int parse_args(int argc, char **argv, fmt_mode *mode)
{
    static const struct option options[] = {
        {"check", no_argument, NULL, 'c'},
        {"write", no_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool check = false, write = false;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":cwh", options, NULL)) != -1) {
        switch (c) {
        case 'c':
            check = true;
            break;
        case 'w':
            write = true;
            break;
        case 'h':
            usage(stdout);
            return EXIT_DONE;
        default:
            return cli_option_error("fmt", c, argv);
        }
    }
    if (check && write)
        return cli_usage_error("fmt", "--check and --write cannot be used together");
    if (optind == argc)
        return cli_usage_error("fmt", "no files to format");
    *mode = check ? FMT_CHECK : write ? FMT_WRITE : FMT_PRINT;
    for (int i = optind; i < argc; i++)
        if (*mode == FMT_WRITE && strcmp(argv[i], "-") == 0)
            return cli_usage_error("fmt", "--write cannot rewrite standard input");
    return -1;
}

static bool is_test_file(const char *path)
{
    size_t len = strlen(path), suffix = strlen(TEST_SUFFIX);
    return len >= suffix && strcmp(path + len - suffix, TEST_SUFFIX) == 0;
}

static bool write_file(const char *path, const char *text, size_t len)
{
    cli_output *out = cli_output_open(path);
    if (!out)
        return false;
    bool written = cli_output_write(out, text, len);
    return cli_output_close(out, written);
}

/* What the mode does with one formatted file; false when it is not
 * formatted (--check) or could not be written. */
static bool use_formatted(fmt_mode mode, const char *path, const char *name, const char *text,
                          size_t len, const char *formatted, size_t formatted_len)
{
    bool same = len == formatted_len && memcmp(text, formatted, len) == 0;
    switch (mode) {
    case FMT_PRINT:
        fwrite(formatted, 1, formatted_len, stdout);
        return true;
    case FMT_WRITE:
        return same || write_file(path, formatted, formatted_len);
    case FMT_CHECK:
        if (same)
            return true;
        if (!cli_print_unified_diff(name, name, text, len, formatted, formatted_len))
            cli_error("out of memory");
        return false;
    }
    return false;
}

static bool format_file(rubric_compiler *c, fmt_mode mode, const char *path)
{
    size_t len;
    char why[1024];
    char *text = cli_read_file(path, FMT_MAX_SOURCE, &len, why, sizeof why);
    if (!text) {
        cli_error("%s", why);
        return false;
    }
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    rubric_source_kind kind = is_test_file(path) ? RUBRIC_SOURCE_TESTS : RUBRIC_SOURCE_RULES;
    char *formatted = NULL;
    size_t formatted_len = 0;
    rubric_status st = rubric_compiler_format(c, name, text, len, kind, &formatted,
                                              &formatted_len);
    bool ok = st == RUBRIC_OK &&
              use_formatted(mode, path, name, text, len, formatted, formatted_len);
    if (st == RUBRIC_ERR_NOMEM)
        cli_error("out of memory");
    if (formatted)
        rubric_free(NULL, formatted, formatted_len + 1);
    free(text);
    return ok;
}

int cmd_fmt(int argc, char **argv)
{
    fmt_mode mode = FMT_PRINT;
    int status = parse_args(argc, argv, &mode);
    if (status >= 0)
        return status;
    rubric_compiler *c = rubric_compiler_new(NULL);
    if (!c) {
        cli_error("out of memory");
        return EXIT_ERRORS;
    }
    bool ok = true;
    for (int i = optind; i < argc; i++)
        ok = format_file(c, mode, argv[i]) && ok;
    cli_print_compiler_diags(c);
    rubric_compiler_free(c);
    return ok ? EXIT_DONE : EXIT_ERRORS;
}
