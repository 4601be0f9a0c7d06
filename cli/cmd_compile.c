/* cmd_compile.c — `rubric compile RULES... -o OUT.rbc`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: rubric compile [OPTIONS] RULES... -o OUT.rbc\n"
            "\n"
            "Compile rules files (and the modules they import) to one verified bytecode\n"
            "file. The same rules always give the same bytes. Without RULES, the\n"
            "standard rules built into rubric are compiled; the word stdlib among RULES\n"
            "compiles them with the files.\n"
            "\n"
            "Options:\n"
            "  -o, --output FILE   where to write the bytecode (required; a regular file is\n"
            "                      replaced atomically, keeping its mode)\n"
            "  -I, --include DIR   also look for imported modules in DIR (repeatable)\n"
            "  -h, --help          show this help\n"
            "\n"
            "Exit status: 0 done, 1 errors in the rules or the output, 2 usage error.\n");
}

int cmd_compile(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"include", required_argument, NULL, 'I'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char **search = calloc((size_t)argc + 1, sizeof *search);
    size_t nsearch = 0;
    const char *output = NULL;
    int c, status = EXIT_DONE;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:I:h", options, NULL)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'I':
            search[nsearch++] = optarg;
            break;
        case 'h':
            usage(stdout);
            free(search);
            return EXIT_DONE;
        default:
            free(search);
            return cli_option_error("compile", c, argv);
        }
    }
    if (!output) {
        free(search);
        return cli_usage_error("compile", "missing -o OUT.rbc");
    }
    /* Before anything is read: -o must not destroy a source. */
    status = cli_refuse_output_inputs(output, "rules", (const char *const *)argv + optind,
                                      (size_t)(argc - optind));
    if (status >= 0) {
        free(search);
        return status;
    }
    void *bytecode = NULL;
    size_t len = 0;
    status = cli_compile_sources((const char *const *)argv + optind, (size_t)(argc - optind),
                                 search, nsearch, false, &bytecode, &len);
    free(search);
    if (status != EXIT_DONE)
        return status;
    cli_output *out = cli_output_open(output);
    bool ok = out && cli_output_write(out, bytecode, len);
    if (!cli_output_close(out, ok) || !ok)
        status = EXIT_ERRORS;
    rubric_free(NULL, bytecode, len);
    return status;
}
