/* test_support.c — helpers shared by the unit tests. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_reader.h"

const rubric_allocator *test_alloc(void)
{
    static rubric_allocator alloc;
    static int ready;
    if (!ready) {
        alloc = mem_default_allocator();
        ready = 1;
    }
    return &alloc;
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return NULL;
    }
    long size = ftell(f);
    rewind(f);
    if (size < 0) {
        fclose(f);
        return NULL;
    }
    char *buf = calloc((size_t)size + JSON_PADDING + 1, 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf && len)
        *len = (size_t)size;
    return buf;
}

const char *test_path(const char *relative)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", RUBRIC_SOURCE_DIR, relative);
    return buf;
}
