/*
 * file_read.h — reading a whole input file (rules, bytecode, a rule test's
 * data) with a bound on its size.
 *
 * Such files are untrusted, and so is what their names point at: a FIFO
 * blocks the reader until something writes to it, a device such as
 * /dev/zero never ends, and a huge file would be read whole before anything
 * looked at its size.  So a named file is opened without blocking
 * (O_NONBLOCK: opening a FIFO returns at once) and read only when fstat
 * says it is a regular file; its size is checked against the limit before
 * reading, and the limit still holds while reading, since a file can grow
 * in the meantime.
 */
#ifndef RUBRIC_FILE_READ_H
#define RUBRIC_FILE_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "rubric.h"

typedef struct file_text {
    char *text;      /* NUL-terminated, len bytes before the NUL; allocated */
    size_t len;
    size_t size;     /* bytes allocated (for file_text_free)                */
    bool missing;    /* on failure: there is no such file (a lookup goes on) */
    char why[1024];  /* on failure: "rules.rubric is not a regular file"    */
} file_text;

/*
 * Read the regular file at path, at most max bytes.  On failure out->why
 * names the file and the reason:
 *   RUBRIC_ERR_IO     "cannot read X: No such file or directory",
 *                     "X is not a regular file"
 *   RUBRIC_ERR_LIMIT  "X is too large (N bytes, at most 64 MiB)",
 *                     "X is too large (more than 64 MiB)" (it grew)
 *   RUBRIC_ERR_NOMEM  "out of memory reading X"
 */
rubric_status file_read(const rubric_allocator *a, const char *path, size_t max,
                        file_text *out);

/* The same from an open descriptor, called `name` in messages.  stream:
 * anything but a directory is read (standard input may be a pipe or a
 * terminal), still at most max bytes; otherwise only a regular file. */
rubric_status file_read_fd(const rubric_allocator *a, int fd, const char *name, size_t max,
                           bool stream, file_text *out);

void file_text_free(const rubric_allocator *a, file_text *f);

#endif /* RUBRIC_FILE_READ_H */
