/* cmd_check.c — `rubric check RULES...`: diagnostics only. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h> /* optind */

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: rubric check [OPTIONS] RULES...\n"
            "\n"
            "Parse and type-check rules files and print every diagnostic, in the form\n"
            "file:line:col: error: message. Nothing else is printed on success.\n"
            "Without RULES, the standard rules built into rubric are checked; the word\n"
            "stdlib among RULES checks them with the files.\n"
            "\n"
            "Options:\n"
            "  -I, --include DIR   also look for imported modules in DIR (repeatable)\n"
            "  -h, --help          show this help\n"
            "\n"
            "Exit status: 0 no errors, 1 errors in the rules, 2 usage error.\n");
}

int cmd_check(int argc, char **argv)
{
    const char **search = NULL;
    size_t nsearch = 0;
    int done = cli_include_options("check", argc, argv, usage, &search, &nsearch);
    if (done >= 0)
        return done;
    int status = cli_compile_sources((const char *const *)argv + optind,
                                     (size_t)(argc - optind), search, nsearch, true, NULL,
                                     NULL);
    free(search);
    return status;
}
