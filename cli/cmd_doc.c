/* cmd_doc.c — `rubric doc MODULE|FILE...`: a Markdown reference of rules
 * modules, from their source and the comments above each declaration. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h> /* optind */

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: rubric doc [OPTIONS] MODULE|FILE...\n"
            "\n"
            "Print a Markdown reference of rules modules: every enum, record and field,\n"
            "let and fn, with its type and the comment written above it. A MODULE is a\n"
            "dotted name (apn.partner, apn.common), found as imports are: in the -I\n"
            "directories, then among the standard rules built into rubric. A FILE is a\n"
            "rules file (*.rubric). docs/stdlib.md is `rubric doc apn.partner apn.common`.\n"
            "\n"
            "Options:\n"
            "  -I, --include DIR   also look for modules in DIR (repeatable)\n"
            "  -h, --help          show this help\n"
            "\n"
            "Exit status: 0 done, 1 errors in the rules or output failed, 2 usage error.\n");
}

static bool is_rules_file(const char *arg)
{
    size_t n = strlen(arg);
    return n > 7 && strcmp(arg + n - 7, ".rubric") == 0;
}

/* Document; diagnostics on stderr, the reference on stdout. */
static int document(rubric_compiler *c, char *const *args, size_t nargs, const char **search,
                    size_t nsearch)
{
    const char **modules = calloc(nargs + 1, sizeof *modules);
    size_t nmodules = 0;
    rubric_status st = modules ? rubric_compiler_use_stdlib(c, false) : RUBRIC_ERR_NOMEM;
    for (size_t i = 0; i < nsearch && st == RUBRIC_OK; i++)
        st = rubric_compiler_add_search_path(c, search[i]);
    for (size_t i = 0; i < nargs && st == RUBRIC_OK; i++) {
        if (!is_rules_file(args[i])) {
            modules[nmodules++] = args[i];
            continue;
        }
        st = rubric_compiler_add_file(c, args[i]);
        if (st == RUBRIC_ERR_IO) {
            cli_error("cannot read %s: %s", args[i], strerror(errno));
            free(modules);
            return EXIT_ERRORS;
        }
    }
    char *markdown = NULL;
    size_t len = 0;
    if (st == RUBRIC_OK)
        st = rubric_compiler_document(c, modules, nmodules, &markdown, &len);
    free(modules);
    cli_print_compiler_diags(c);
    if (st == RUBRIC_ERR_NOMEM)
        cli_error("out of memory");
    if (st != RUBRIC_OK)
        return EXIT_ERRORS;
    bool written = fwrite(markdown, 1, len, stdout) == len;
    rubric_free(NULL, markdown, len + 1);
    if (!written || fflush(stdout) != 0) {
        cli_error("cannot write the output: %s", strerror(errno));
        return EXIT_ERRORS;
    }
    return EXIT_DONE;
}

int cmd_doc(int argc, char **argv)
{
    const char **search = NULL;
    size_t nsearch = 0;
    int done = cli_include_options("doc", argc, argv, usage, &search, &nsearch);
    if (done >= 0)
        return done;
    if (optind == argc) {
        free(search);
        return cli_usage_error("doc", "name the modules or rules files to document "
                               "(for example: rubric doc apn.partner apn.common)");
    }
    rubric_compiler *c = rubric_compiler_new(NULL);
    int status = c ? document(c, argv + optind, (size_t)(argc - optind), search, nsearch)
                   : (cli_error("out of memory"), EXIT_ERRORS);
    rubric_compiler_free(c);
    free(search);
    return status;
}
