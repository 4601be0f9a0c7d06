/* options.c — option parsing shared by the commands. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

int cli_include_options(const char *cmd, int argc, char **argv, void (*usage)(FILE *),
                        const char ***search, size_t *nsearch)
{
    static const struct option options[] = {
        {"include", required_argument, NULL, 'I'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *search = calloc((size_t)argc + 1, sizeof **search);
    *nsearch = 0;
    if (!*search) {
        cli_error("out of memory");
        return EXIT_ERRORS;
    }
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":I:h", options, NULL)) != -1) {
        if (c == 'I') {
            (*search)[(*nsearch)++] = optarg;
            continue;
        }
        free(*search);
        *search = NULL;
        if (c == 'h') {
            usage(stdout);
            return EXIT_DONE;
        }
        return cli_option_error(cmd, c, argv);
    }
    return -1;
}
