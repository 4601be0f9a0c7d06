/* read_file.c — reading whole input files for the commands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

char *cli_read_file(const char *path, size_t padding, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + padding + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            if (ferror(f)) {
                int saved = errno;
                free(buf);
                buf = NULL;
                errno = saved ? saved : EIO;
            }
            break;
        }
        char *bigger = cap > SIZE_MAX / 4 ? NULL : realloc(buf, cap * 2 + padding + 1);
        if (!bigger) {
            free(buf);
            buf = NULL;
            errno = ENOMEM;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    if (f != stdin)
        fclose(f);
    if (!buf)
        return NULL;
    memset(buf + n, 0, padding + 1);
    *len = n;
    return buf;
}
