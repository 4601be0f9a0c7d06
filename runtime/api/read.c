/* read.c — rubric_read_file and rubric_read_stream: whole input files read
 * the way the library reads rules and bytecode (file_read.h), for hosts
 * (the `rubric` command among them) that read those files themselves. */
#include <stdio.h>

#include "file_read.h"
#include "mem.h"

/* Hand the text out, or the reason of the failure. */
static rubric_status hand_out(rubric_status st, file_text *f, char **text, size_t *length,
                              size_t *size, char *why, size_t why_size)
{
    if (st != RUBRIC_OK) {
        if (why && why_size)
            snprintf(why, why_size, "%s", f->why);
        return st;
    }
    *text = f->text;
    *length = f->len;
    *size = f->size;
    return RUBRIC_OK;
}

static rubric_allocator allocator_of(const rubric_config *config)
{
    return config && config->allocator.realloc ? config->allocator : mem_default_allocator();
}

rubric_status rubric_read_file(const rubric_config *config, const char *path, size_t max,
                               char **text, size_t *length, size_t *size, char *why,
                               size_t why_size)
{
    if (!path || !text || !length || !size)
        return RUBRIC_ERR_USAGE;
    rubric_allocator alloc = allocator_of(config);
    file_text f;
    rubric_status st = file_read(&alloc, path, max, &f);
    return hand_out(st, &f, text, length, size, why, why_size);
}

rubric_status rubric_read_stream(const rubric_config *config, int fd, const char *name,
                                 size_t max, char **text, size_t *length, size_t *size,
                                 char *why, size_t why_size)
{
    if (!name || !text || !length || !size)
        return RUBRIC_ERR_USAGE;
    rubric_allocator alloc = allocator_of(config);
    file_text f;
    rubric_status st = file_read_fd(&alloc, fd, name, max, true, &f);
    return hand_out(st, &f, text, length, size, why, why_size);
}
