/*
 * errors.h — filling the one error record, rubric_error (rubric.h).
 *
 * Every layer of an evaluation (the loader, the VM, the evaluator, the
 * worker) writes into the caller's rubric_error by pointer where the failure
 * happens; the layers above add what only they know (the program's id as a
 * prefix of the message, the place in the text, the partner) to the same
 * record.  Nothing is copied from one record to another.
 */
#ifndef RUBRIC_ERRORS_H
#define RUBRIC_ERRORS_H

#include <stdarg.h>

#include "rubric.h"

/* Every field empty, status RUBRIC_OK. */
void error_clear(rubric_error *err);

/* Set the status and the message (printf-style); the other fields are left
 * as they are.  Returns status. */
rubric_status error_set(rubric_error *err, rubric_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Put "<prefix>" (printf-style) before the message, in place. */
void error_prefix(rubric_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Copy at most size - 1 bytes of s[0..len) into a field, NUL-terminated. */
void error_field(char *field, size_t size, const char *s, size_t len);

#endif /* RUBRIC_ERRORS_H */
