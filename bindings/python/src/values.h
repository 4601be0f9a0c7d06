/*
 * values.h — scalars between Rubric and Python: dates as datetime.date,
 * money as decimal.Decimal (exact, two decimals), months as 'YYYY-MM'
 * strings; and back for to_dict(), as the JSON writes them.
 */
#ifndef RUBRIC_PY_VALUES_H
#define RUBRIC_PY_VALUES_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdbool.h>

#include <rubric.h>

/* Import datetime and decimal.  False with an exception set. */
bool values_init(void);

PyObject *value_date(rubric_date date);
/* A rubric_value as its Python object (None for null). */
PyObject *value_to_python(const rubric_value *value);

/* What to_dict() holds for an attribute value: a date as 'YYYY-MM-DD', a
 * Decimal as an int when whole, else a float (json.loads's reading of the
 * number the JSON writer prints); anything else as it is.  New reference. */
PyObject *value_to_json(PyObject *value);

/* An evaluation date given as datetime.date (or datetime) or a str, as
 * the text the library reads.  False with TypeError set otherwise. */
bool value_as_of(PyObject *obj, char out[32]);

#endif
