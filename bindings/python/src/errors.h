/*
 * errors.h — Rubric's failures as Python exceptions:
 *
 *   RubricError            any failure of the library; .status names it,
 *                          .message says it; .partner_id .file .line
 *                          .column .path .offset say where, when known
 *     CompileError         rules with errors: .file .line .column .message
 *                          .hint of the first error, .diagnostics (all)
 *     DataError            partner data
 *     LimitError           a resource limit (rubric_limits) was reached
 *
 * Out of memory is MemoryError; a file that cannot be read, OSError.
 */
#ifndef RUBRIC_PY_ERRORS_H
#define RUBRIC_PY_ERRORS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdbool.h>
#include <stdint.h>

#include <rubric.h>

extern PyObject *rubric_error_type;
extern PyObject *compile_error_type;
extern PyObject *data_error_type;
extern PyObject *limit_error_type;

bool errors_init(PyObject *module);

/* Raise the exception of a failed status with message.  Returns NULL. */
PyObject *errors_raise(rubric_status status, const char *message);

/* The exception (not raised) for a failed evaluation.  file and line: the
 * partner's file and line when it came from one (NULL and 0 otherwise). */
PyObject *errors_from_eval(const rubric_error *error, const char *file, uint64_t line);

/* Raise CompileError with the compiler's diagnostics, or the exception of
 * status when it is not RUBRIC_ERR_COMPILE.  Returns NULL. */
PyObject *errors_raise_compile(rubric_compiler *compiler, rubric_status status);

#endif
