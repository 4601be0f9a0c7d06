/* record_methods.h — the methods of the record types: Result.to_dict(),
 * and View.requirement() / Item.requirement(). */
#ifndef RUBRIC_PY_RECORD_METHODS_H
#define RUBRIC_PY_RECORD_METHODS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

extern PyMethodDef record_result_methods[];
extern PyMethodDef record_view_methods[];

#endif
