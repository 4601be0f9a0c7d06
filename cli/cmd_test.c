/* cmd_test.c — `rubric test [OPTIONS] [PATH...]`: run the rule tests of
 * test files (`*_test.rubric`) and print `N passed, M failed`. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compiler.h"
#include "rtest.h"

#define TEST_SUFFIX "_test.rubric"

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: rubric test [OPTIONS] [PATH...]\n"
        "\n"
        "Run rule tests: cases of partner data with an evaluation date and the outcomes\n"
        "they must have, written in Rubric test files (docs/language.md, \"Tests\").\n"
        "PATH is a test file, or a directory searched recursively for files named\n"
        "*" TEST_SUFFIX "; default: the current directory. Each failure is printed with\n"
        "its file and line, what was expected and what was got; then the summary line\n"
        "'N passed, M failed'.\n"
        "\n"
        "Options:\n"
        "  -r, --rules FILE      rules: a .rubric source or .rbc bytecode file (repeatable),\n"
        "                        or stdlib: the standard programs built into rubric,\n"
        "                        compiled with the .rubric files; default: stdlib\n"
        "  -I, --include DIR     also look for imported modules in DIR (repeatable)\n"
        "  -v, --verbose         list the passing tests too\n"
        "  -h, --help            show this help\n"
        "\n"
        "Exit status: 0 every test passed; 1 a test failed, or a test file or the rules\n"
        "have errors; 2 usage error.\n"
        "\n"
        "Examples:\n"
        "  rubric test stdlib-rules/\n"
        "  rubric test -r my-program.rubric -v tests/my_program_test.rubric\n"
        "  rubric test -r stdlib -r my-program.rubric tests/\n");
}

typedef struct test_args {
    const char **rules;
    size_t nrules;
    const char **search;
    size_t nsearch;
    bool verbose;
} test_args;

/* Parse the options; returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, test_args *a)
{
    static const struct option options[] = {
        {"rules", required_argument, NULL, 'r'},
        {"include", required_argument, NULL, 'I'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:I:vh", options, NULL)) != -1) {
        switch (c) {
        case 'r':
            a->rules[a->nrules++] = optarg;
            break;
        case 'I':
            a->search[a->nsearch++] = optarg;
            break;
        case 'v':
            a->verbose = true;
            break;
        case 'h':
            usage(stdout);
            return EXIT_DONE;
        default:
            return cli_option_error("test", c, argv);
        }
    }
    return -1;
}

/* ------------------------------------------------------------ one file */

static bool run_file(rtest_ctx *ctx, const char *path)
{
    size_t len;
    char why[1024];
    char *text = cli_read_file(path, COMPILER_MAX_SOURCE_SIZE, &len, why, sizeof why);
    if (!text) {
        cli_error("%s", why);
        return false;
    }
    rtest_file file = {NULL, (uint32_t)ctx->compiler->sources.files.len};
    rubric_status st = rubric_compiler_parse_tests(ctx->compiler, path, text, len, &file.tests);
    free(text);
    if (st == RUBRIC_ERR_NOMEM || !file.tests) {
        cli_error("out of memory");
        return false;
    }
    /* Checked even after a syntax error, so that every problem is shown. */
    bool ok = rtest_check(ctx, &file) && st == RUBRIC_OK;
    if (ok)
        rtest_run_file(ctx, &file);
    return ok;
}

/* ------------------------------------------------------------ finding files */

static bool is_test_file(const char *name)
{
    size_t n = strlen(name), m = strlen(TEST_SUFFIX);
    return n > m && strcmp(name + n - m, TEST_SUFFIX) == 0;
}

static bool run_path(rtest_ctx *ctx, const char *path, bool given, unsigned *files);

/* Every test file below dir, in name order (so that runs are repeatable). */
static bool run_dir(rtest_ctx *ctx, const char *dir, unsigned *files)
{
    struct dirent **entries;
    int n = scandir(dir, &entries, NULL, alphasort);
    if (n < 0) {
        cli_error("cannot read %s: %s", dir, strerror(errno));
        return false;
    }
    bool ok = true;
    size_t dir_len = strlen(dir);
    bool slash = dir_len && dir[dir_len - 1] == '/';
    for (int i = 0; i < n; i++) {
        const char *name = entries[i]->d_name;
        if (name[0] != '.') {
            size_t size = dir_len + strlen(name) + 2;
            char *child = malloc(size);
            if (child) {
                snprintf(child, size, "%s%s%s", dir, slash ? "" : "/", name);
                ok = run_path(ctx, child, false, files) && ok;
                free(child);
            } else {
                cli_error("out of memory");
                ok = false;
            }
        }
        free(entries[i]);
    }
    free(entries);
    return ok;
}

/* A path given on the command line is run whatever its name; below a
 * directory only *_test.rubric files are.  Below a directory, a symlink to
 * a directory is not followed (as find does not): one to "." or to a
 * parent would run the same tests again and again. */
static bool run_path(rtest_ctx *ctx, const char *path, bool given, unsigned *files)
{
    struct stat st;
    if (!given && lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && stat(path, &st) == 0 &&
        S_ISDIR(st.st_mode))
        return true;
    if (stat(path, &st) != 0) {
        cli_error("cannot read %s: %s", path, strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode))
        return run_dir(ctx, path, files);
    if (!given && !is_test_file(path))
        return true;
    (*files)++;
    return run_file(ctx, path);
}

/* ------------------------------------------------------------ the command */

static int run_tests(const test_args *a, char **paths, size_t npaths, const cli_rules *rules)
{
    rubric_allocator alloc = mem_default_allocator();
    rtest_ctx ctx = {0};
    ctx.alloc = &alloc;
    ctx.rules = rules;
    ctx.verbose = a->verbose;
    ctx.sessions = calloc(rules->count ? rules->count : 1, sizeof *ctx.sessions);
    ctx.compiler = rubric_compiler_new(NULL);
    bool ok = ctx.sessions && ctx.compiler;
    unsigned files = 0;
    static char here[] = ".";
    char *default_paths[] = {here};
    if (npaths == 0)
        paths = default_paths, npaths = 1;
    for (size_t i = 0; ok && i < npaths; i++)
        ok = run_path(&ctx, paths[i], true, &files) && ok;
    if (ok && files == 0) {
        cli_error("no test files (*%s) found", TEST_SUFFIX);
        ok = false;
    }
    char *diags = ctx.compiler ? rubric_compiler_render_diags(ctx.compiler, cli_stderr_color())
                               : NULL;
    if (diags)
        fputs(diags, stderr);
    printf("%u passed, %u failed\n", ctx.passed, ctx.failed);
    int status = ok && ctx.failed == 0 ? EXIT_DONE : EXIT_ERRORS;
    if (diags)
        rubric_free(NULL, diags, strlen(diags) + 1);
    for (size_t i = 0; ctx.sessions && i < rules->count; i++)
        rubric_session_free(ctx.sessions[i]);
    free(ctx.sessions);
    rubric_compiler_free(ctx.compiler);
    return status;
}

int cmd_test(int argc, char **argv)
{
    test_args a = {0};
    a.rules = calloc((size_t)argc + 1, sizeof *a.rules);
    a.search = calloc((size_t)argc + 1, sizeof *a.search);
    int status = a.rules && a.search ? parse_args(argc, argv, &a) : EXIT_ERRORS;
    if (status < 0) {
        cli_rules rules;
        if (cli_load_rules(a.rules, a.nrules, a.search, a.nsearch, &rules)) {
            status = run_tests(&a, argv + optind, (size_t)(argc - optind), &rules);
            cli_free_rules(&rules);
        } else {
            status = EXIT_ERRORS;
        }
    }
    free(a.rules);
    free(a.search);
    return status;
}
