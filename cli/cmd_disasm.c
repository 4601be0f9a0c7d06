/* cmd_disasm.c — `rubric disasm FILE.rbc`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: rubric disasm FILE.rbc\n"
            "\n"
            "Verify a bytecode file and print it readably: strings, types, constants,\n"
            "the data schema, every chunk's instructions and the programs with their\n"
            "requirement trees. A file that fails verification is rejected with the reason.\n"
            "\n"
            "Options:\n"
            "  -h, --help   show this help\n"
            "\n"
            "Exit status: 0 done, 1 the file cannot be read or is not valid bytecode,\n"
            "2 usage error.\n");
}

int cmd_disasm(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return EXIT_DONE;
        }
        return cli_option_error("disasm", c, argv);
    }
    if (argc - optind != 1)
        return cli_usage_error("disasm", argc - optind ? "one bytecode file at a time"
                                                       : "missing the bytecode file");
    const char *path = argv[optind];
    size_t len;
    char why[1024];
    char *bytes = cli_read_file(path, RUBRIC_MAX_BYTECODE_SIZE, &len, why, sizeof why);
    if (!bytes) {
        cli_error("%s", why);
        return EXIT_ERRORS;
    }
    rubric_module *m = NULL;
    char err[512];
    rubric_status st = rubric_module_load(NULL, bytes, len, &m, err, sizeof err);
    free(bytes);
    if (st != RUBRIC_OK) {
        cli_error("%s: %s", path, err);
        return EXIT_ERRORS;
    }
    size_t size = 0;
    char *text = rubric_module_disassemble(m, &size);
    int status = EXIT_DONE;
    if (!text) {
        cli_error("out of memory");
        status = EXIT_ERRORS;
    } else {
        /* An error writing it is reported at exit (cli_finish_stdout). */
        cli_output *out = cli_output_open(NULL);
        bool ok = out && cli_output_write(out, text, strlen(text));
        if (!cli_output_close(out, ok) || !ok)
            status = EXIT_ERRORS;
        rubric_free(NULL, text, size);
    }
    rubric_module_free(m);
    return status;
}
