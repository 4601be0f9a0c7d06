/* values.c — scalars between Rubric and Python (values.h). */
#include "values.h"

#include <datetime.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static PyObject *decimal_type;

bool values_init(void)
{
    PyDateTime_IMPORT;
    if (!PyDateTimeAPI)
        return false;
    PyObject *decimal = PyImport_ImportModule("decimal");
    if (!decimal)
        return false;
    decimal_type = PyObject_GetAttrString(decimal, "Decimal");
    Py_DECREF(decimal);
    return decimal_type != NULL;
}

PyObject *value_date(rubric_date date)
{
    return PyDate_FromDate(date.year, date.month, date.day);
}

static PyObject *money(int64_t cents)
{
    char text[32];
    uint64_t magnitude = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
    snprintf(text, sizeof text, "%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "",
             magnitude / 100, magnitude % 100);
    return PyObject_CallFunction(decimal_type, "s", text);
}

PyObject *value_to_python(const rubric_value *v)
{
    switch (v->kind) {
    case RUBRIC_VALUE_BOOL:
        return PyBool_FromLong(v->as.boolean);
    case RUBRIC_VALUE_COUNT:
        return PyLong_FromLongLong(v->as.count);
    case RUBRIC_VALUE_MONEY:
        return money(v->as.cents);
    case RUBRIC_VALUE_DATE:
        return value_date(v->as.date);
    case RUBRIC_VALUE_MONTH:
        return PyUnicode_FromFormat("%04d-%02d", v->as.month.year, v->as.month.month);
    case RUBRIC_VALUE_ENUM:
        if (v->as.enumerated.name)
            return PyUnicode_FromString(v->as.enumerated.name);
        return PyLong_FromUnsignedLong(v->as.enumerated.index);
    case RUBRIC_VALUE_STRING:
        return PyUnicode_DecodeUTF8(v->as.string.chars, (Py_ssize_t)v->as.string.length,
                                    "replace");
    case RUBRIC_VALUE_NULL:
        break;
    }
    Py_RETURN_NONE;
}

/* Decimal('2500.00') -> 2500, Decimal('10498.56') -> 10498.56: the money
 * this module makes always has two decimals. */
static PyObject *money_to_json(PyObject *value)
{
    PyObject *text = PyObject_Str(value);
    if (!text)
        return NULL;
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(text, &n);
    PyObject *out = NULL;
    if (s && n > 3 && strcmp(s + n - 3, ".00") == 0) {
        PyObject *whole = PyUnicode_Substring(text, 0, n - 3);
        out = whole ? PyLong_FromUnicodeObject(whole, 10) : NULL;
        Py_XDECREF(whole);
    } else if (s) {
        out = PyFloat_FromString(text);
    }
    Py_DECREF(text);
    return out;
}

PyObject *value_to_json(PyObject *value)
{
    if (PyDate_CheckExact(value))
        return PyObject_CallMethod(value, "isoformat", NULL);
    if (Py_TYPE(value) == (PyTypeObject *)decimal_type)
        return money_to_json(value);
    Py_INCREF(value);
    return value;
}

bool value_as_of(PyObject *obj, char out[32])
{
    if (PyDate_Check(obj)) {
        snprintf(out, 32, "%04d-%02d-%02d", PyDateTime_GET_YEAR(obj), PyDateTime_GET_MONTH(obj),
                 PyDateTime_GET_DAY(obj));
        return true;
    }
    if (PyUnicode_Check(obj)) {
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize(obj, &n);
        if (!s)
            return false;
        if (memchr(s, '\0', (size_t)n)) {
            PyErr_SetString(PyExc_ValueError, "as_of holds a NUL character");
            return false;
        }
        /* Longer than any date: the library says it is not one. */
        snprintf(out, 32, "%.*s", n < 31 ? (int)n : 31, s);
        return true;
    }
    PyErr_Format(PyExc_TypeError, "as_of must be a datetime.date or an ISO date string, not %.100s",
                 Py_TYPE(obj)->tp_name);
    return false;
}
