/* io.c — writing output files atomically. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct cli_output {
    FILE *f;
    char *path;       /* the destination, or NULL for stdout */
    char *tmp_path;   /* where it is written until committed */
    bool failed;
};

cli_output *cli_output_open(const char *path)
{
    cli_output *out = calloc(1, sizeof *out);
    if (!out)
        return NULL;
    if (!path || strcmp(path, "-") == 0) {
        out->f = stdout;
        return out;
    }
    size_t n = strlen(path);
    out->path = malloc(n + 1);
    out->tmp_path = malloc(n + 16);
    if (!out->path || !out->tmp_path)
        goto fail;
    memcpy(out->path, path, n + 1);
    snprintf(out->tmp_path, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(out->tmp_path);
    if (fd < 0)
        goto fail;
    out->f = fdopen(fd, "wb");
    if (!out->f) {
        close(fd);
        unlink(out->tmp_path);
        goto fail;
    }
    return out;
fail:
    free(out->path);
    free(out->tmp_path);
    free(out);
    return NULL;
}

bool cli_output_write(cli_output *out, const char *bytes, size_t len)
{
    if (out->failed)
        return false;
    if (len && fwrite(bytes, 1, len, out->f) != len)
        out->failed = true;
    return !out->failed;
}

bool cli_output_sink(void *out, const char *bytes, size_t len)
{
    return cli_output_write(out, bytes, len);
}

bool cli_output_close(cli_output *out, bool ok)
{
    if (!out)
        return false;
    bool committed = true;
    if (!out->path) {
        committed = fflush(out->f) == 0 && !out->failed;
    } else {
        bool written = fflush(out->f) == 0 && fsync(fileno(out->f)) == 0 && !out->failed;
        written = fclose(out->f) == 0 && written;
        if (ok && written) {
            committed = rename(out->tmp_path, out->path) == 0;
            if (!committed)
                unlink(out->tmp_path);
        } else {
            unlink(out->tmp_path);
            committed = !ok ? true : false;
        }
    }
    free(out->path);
    free(out->tmp_path);
    free(out);
    return committed;
}
