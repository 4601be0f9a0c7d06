/* convert.h — a result of the library (rubric_result, rubric.h "Results as
 * data") as Python records (records.h), built while the session that owns
 * it is held: the records own copies of everything. */
#ifndef RUBRIC_PY_CONVERT_H
#define RUBRIC_PY_CONVERT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <rubric.h>

/* A rubric.Result, or NULL with an exception set. */
PyObject *convert_result(const rubric_result *result);

/* A str, or None for NULL. */
PyObject *convert_str(const char *s);

#endif
