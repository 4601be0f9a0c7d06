/* cmd_check.c — `rubric check RULES...`: diagnostics only. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: rubric check [OPTIONS] RULES...\n"
            "\n"
            "Parse and type-check rules files and print every diagnostic, in the form\n"
            "file:line:col: error: message. Nothing else is printed on success.\n"
            "Without RULES, the standard rules built into rubric are checked.\n"
            "\n"
            "Options:\n"
            "  -I, --include DIR   also look for imported modules in DIR (repeatable)\n"
            "  -h, --help          show this help\n"
            "\n"
            "Exit status: 0 no errors, 1 errors in the rules, 2 usage error.\n");
}

int cmd_check(int argc, char **argv)
{
    static const struct option options[] = {
        {"include", required_argument, NULL, 'I'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char **search = calloc((size_t)argc + 1, sizeof *search);
    size_t nsearch = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":I:h", options, NULL)) != -1) {
        switch (c) {
        case 'I':
            search[nsearch++] = optarg;
            break;
        case 'h':
            usage(stdout);
            free(search);
            return EXIT_DONE;
        default:
            free(search);
            return cli_option_error("check", c, argv);
        }
    }
    int status = cli_compile_sources((const char *const *)argv + optind,
                                     (size_t)(argc - optind), search, nsearch, true, NULL,
                                     NULL);
    free(search);
    return status;
}
