/* file_read.c — reading a whole input file, bounded (file_read.h). */
#include "file_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"

/* What a read of one call asks for when the size is not known. */
#define READ_CHUNK ((size_t)64 << 10)
#define MIB ((size_t)1 << 20)

static rubric_status fail(file_text *out, rubric_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static rubric_status fail(file_text *out, rubric_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->why, sizeof out->why, fmt, ap);
    va_end(ap);
    return st;
}

/* "64 MiB", or "100 bytes" for a limit that is not whole mebibytes. */
static void describe_limit(size_t max, char *buf, size_t size)
{
    if (max >= MIB && max % MIB == 0)
        snprintf(buf, size, "%zu MiB", max / MIB);
    else
        snprintf(buf, size, "%zu byte%s", max, max == 1 ? "" : "s");
}

static rubric_status too_large(file_text *out, const char *name, size_t max, off_t size)
{
    char limit[48];
    describe_limit(max, limit, sizeof limit);
    if (size < 0)
        return fail(out, RUBRIC_ERR_LIMIT, "%s is too large (more than %s)", name, limit);
    return fail(out, RUBRIC_ERR_LIMIT, "%s is too large (%lld bytes, at most %s)", name,
                (long long)size, limit);
}

/* Make room for more bytes than buf holds, growing by doubling but never
 * beyond max + 2 (the text, one byte to see that it goes on, the NUL). */
static bool grow(const rubric_allocator *a, file_text *buf, size_t max)
{
    size_t want = buf->size > (max + 2) / 2 ? max + 2 : buf->size * 2;
    char *bigger = mem_realloc(a, buf->text, buf->size, want);
    if (!bigger)
        return false;
    buf->text = bigger;
    buf->size = want;
    return true;
}

/* Read fd to its end into out, failing as soon as it holds more than max
 * bytes.  expected: the size fstat gave, a hint for the first buffer. */
static rubric_status read_all(const rubric_allocator *a, int fd, const char *name, size_t max,
                              size_t expected, file_text *out)
{
    size_t first = expected ? expected : READ_CHUNK;
    out->size = (first < max ? first : max) + 2;
    out->text = mem_alloc(a, out->size);
    if (!out->text)
        return fail(out, RUBRIC_ERR_NOMEM, "out of memory reading %s", name);
    for (;;) {
        if (out->len + 1 == out->size && !grow(a, out, max))
            return fail(out, RUBRIC_ERR_NOMEM, "out of memory reading %s", name);
        ssize_t got = read(fd, out->text + out->len, out->size - 1 - out->len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return fail(out, RUBRIC_ERR_IO, "cannot read %s: %s", name, strerror(errno));
        if (got == 0)
            break;
        out->len += (size_t)got;
        if (out->len > max)
            return too_large(out, name, max, -1);
    }
    out->text[out->len] = '\0';
    return RUBRIC_OK;
}

rubric_status file_read_fd(const rubric_allocator *a, int fd, const char *name, size_t max,
                           bool stream, file_text *out)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    if (fstat(fd, &st) != 0)
        return fail(out, RUBRIC_ERR_IO, "cannot read %s: %s", name, strerror(errno));
    bool regular = S_ISREG(st.st_mode);
    if (!regular && !stream)
        return fail(out, RUBRIC_ERR_IO, "%s is not a regular file", name);
    if (regular && (uint64_t)st.st_size > (uint64_t)max)
        return too_large(out, name, max, st.st_size);
    rubric_status status = read_all(a, fd, name, max, regular ? (size_t)st.st_size : 0, out);
    if (status != RUBRIC_OK)
        file_text_free(a, out);
    return status;
}

rubric_status file_read(const rubric_allocator *a, const char *path, size_t max,
                        file_text *out)
{
    /* O_NONBLOCK: a FIFO opens at once instead of waiting for a writer,
     * so that fstat can turn it away. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        memset(out, 0, sizeof *out);
        out->missing = error == ENOENT || error == ENOTDIR;
        return fail(out, RUBRIC_ERR_IO, "cannot read %s: %s", path, strerror(error));
    }
    rubric_status status = file_read_fd(a, fd, path, max, false, out);
    close(fd);
    return status;
}

void file_text_free(const rubric_allocator *a, file_text *f)
{
    mem_free(a, f->text, f->size);
    f->text = NULL;
    f->len = f->size = 0;
}
