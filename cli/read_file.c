/* read_file.c — reading whole input files for the commands. */
#include <string.h>
#include <unistd.h>

#include "cli.h"

char *cli_read_file(const char *path, size_t max, size_t *len, char *why, size_t why_size)
{
    /* The C library's allocator (no config): the buffer is released with
     * free(). */
    char *text = NULL;
    size_t size;
    rubric_status st =
        strcmp(path, "-") == 0
            ? rubric_read_stream(NULL, STDIN_FILENO, "standard input", max, &text, len, &size,
                                 why, why_size)
            : rubric_read_file(NULL, path, max, &text, len, &size, why, why_size);
    return st == RUBRIC_OK ? text : NULL;
}
