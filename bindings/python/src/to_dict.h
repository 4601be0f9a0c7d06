/* to_dict.h — Result.to_dict(): the JSON object of `rubric eval -f jsonl`
 * (spec/cli.md, docs/output.md), built from the record's attributes with
 * the JSON's keys in its order. */
#ifndef RUBRIC_PY_TO_DICT_H
#define RUBRIC_PY_TO_DICT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

PyObject *result_to_dict(PyObject *result);

#endif
