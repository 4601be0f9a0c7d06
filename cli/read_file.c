/* read_file.c — reading whole input files for the commands. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "file_read.h"
#include "mem.h"

char *cli_read_file(const char *path, size_t max, size_t *len, char *why, size_t why_size)
{
    /* The C library's allocator: the buffer is released with free(). */
    rubric_allocator alloc = mem_default_allocator();
    file_text f;
    rubric_status st = strcmp(path, "-") == 0
                           ? file_read_fd(&alloc, STDIN_FILENO, "standard input", max, true, &f)
                           : file_read(&alloc, path, max, &f);
    if (st != RUBRIC_OK) {
        snprintf(why, why_size, "%s", f.why);
        return NULL;
    }
    *len = f.len;
    return f.text;
}
