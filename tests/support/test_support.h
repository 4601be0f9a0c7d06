/*
 * test_support.h — helpers shared by the unit tests.
 */
#ifndef RUBRIC_TEST_SUPPORT_H
#define RUBRIC_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mem.h"

/* The C library allocator (a static object, valid for the whole test). */
const rubric_allocator *test_alloc(void);

/* Read a whole file (NUL-terminated, JSON_PADDING bytes of zeros after the
 * end); NULL if it cannot be read.  Free with free(). */
char *test_read_file(const char *path, size_t *len);

/* Path of a file below the source tree: test_path("examples/x.json"). */
const char *test_path(const char *relative);

/* Run the rubric binary with shell-quoted args from the source directory
 * (stdin from stdin_path, or /dev/null), NO_COLOR set.  Returns its exit
 * status; *out and *err (when not NULL) receive stdout and stderr, to free(). */
int test_run(const char *args, const char *stdin_path, char **out, char **err);

/* Compare text with a golden file below the source tree; with UPDATE_GOLDEN
 * set in the environment, rewrite the file instead. */
void test_check_golden(const char *relative, const char *text);

#endif /* RUBRIC_TEST_SUPPORT_H */
