/* cmd_test.c — `rubric test [OPTIONS] [PATH...]`: run the rule tests of
 * test files (`*_test.rubric`) and print `N passed, M failed`. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

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

/* What a run holds across files: the compiler that reads the test files
 * (and keeps their diagnostics), the rules, the counts. */
typedef struct test_run {
    rubric_compiler *compiler;
    const cli_rules *rules;
    bool verbose;
    rubric_test_counts counts;
} test_run;

static bool write_stdout(void *user_data, const char *bytes, size_t len)
{
    (void)user_data;
    return fwrite(bytes, 1, len, stdout) == len;
}

static bool run_file(test_run *run, const char *path)
{
    size_t len;
    char why[1024];
    char *text = cli_read_file(path, RUBRIC_MAX_SOURCE_SIZE, &len, why, sizeof why);
    if (!text) {
        cli_error("%s", why);
        return false;
    }
    const rubric_test_file *tests = NULL;
    rubric_status st = rubric_compiler_parse_tests(run->compiler, path, text, len, &tests);
    free(text);
    if (st != RUBRIC_ERR_NOMEM && tests)
        st = rubric_compiler_run_tests(run->compiler, tests, run->rules->modules,
                                       run->rules->count, run->verbose, write_stdout, NULL,
                                       &run->counts);
    if (st == RUBRIC_ERR_NOMEM || !tests) {
        cli_error("out of memory");
        return false;
    }
    return st == RUBRIC_OK;
}

/* ------------------------------------------------------------ finding files */

static bool is_test_file(const char *name)
{
    size_t n = strlen(name), m = strlen(TEST_SUFFIX);
    return n > m && strcmp(name + n - m, TEST_SUFFIX) == 0;
}

static bool run_path(test_run *run, const char *path, bool given, unsigned *files);

/* Every test file below dir, in name order (so that runs are repeatable). */
static bool run_dir(test_run *run, const char *dir, unsigned *files)
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
                ok = run_path(run, child, false, files) && ok;
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
static bool run_path(test_run *run, const char *path, bool given, unsigned *files)
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
        return run_dir(run, path, files);
    if (!given && !is_test_file(path))
        return true;
    (*files)++;
    return run_file(run, path);
}

/* ------------------------------------------------------------ the command */

static int run_tests(const test_args *a, char **paths, size_t npaths, const cli_rules *rules)
{
    test_run run = {0};
    run.rules = rules;
    run.verbose = a->verbose;
    run.compiler = rubric_compiler_new(NULL);
    bool ok = run.compiler != NULL;
    unsigned files = 0;
    static char here[] = ".";
    char *default_paths[] = {here};
    if (npaths == 0)
        paths = default_paths, npaths = 1;
    for (size_t i = 0; ok && i < npaths; i++)
        ok = run_path(&run, paths[i], true, &files) && ok;
    if (ok && files == 0) {
        cli_error("no test files (*%s) found", TEST_SUFFIX);
        ok = false;
    }
    if (run.compiler)
        cli_print_compiler_diags(run.compiler);
    printf("%u passed, %u failed\n", run.counts.passed, run.counts.failed);
    rubric_compiler_free(run.compiler);
    return ok && run.counts.failed == 0 ? EXIT_DONE : EXIT_ERRORS;
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
