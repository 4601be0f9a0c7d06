/* to_dict.c — a Result as the JSON object the command prints (to_dict.h).
 * Each function mirrors one part of the JSON writer: keys, their order,
 * and which keys each kind of view has. */
#include "to_dict.h"


#include "records.h"
#include "values.h"

/* Set key to value (stolen) in d; false when value is NULL or it fails. */
static bool put(PyObject *d, const char *key, PyObject *value)
{
    if (!value)
        return false;
    int rc = PyDict_SetItemString(d, key, value);
    Py_DECREF(value);
    return rc == 0;
}

/* An attribute of a record, as the JSON has it. */
static PyObject *field(PyObject *record, int index)
{
    return value_to_json(record_get(record, index));
}

static PyObject *requirements(PyObject *list);

static PyObject *requirement(PyObject *q)
{
    PyObject *d = PyDict_New();
    if (d && !(put(d, "id", field(q, REQUIREMENT_id)) &&
               put(d, "name", field(q, REQUIREMENT_name)) &&
               put(d, "category", field(q, REQUIREMENT_category)) &&
               put(d, "time_bound", field(q, REQUIREMENT_time_bound)) &&
               put(d, "status", field(q, REQUIREMENT_status)) &&
               put(d, "actual", field(q, REQUIREMENT_actual)) &&
               put(d, "required", field(q, REQUIREMENT_required)) &&
               put(d, "unit", field(q, REQUIREMENT_unit)) &&
               put(d, "parts", requirements(record_get(q, REQUIREMENT_parts)))))
        Py_CLEAR(d);
    return d;
}

/* A list of records, each as make makes it. */
static PyObject *map_list(PyObject *list, PyObject *(*make)(PyObject *))
{
    Py_ssize_t n = PyList_GET_SIZE(list);
    PyObject *out = PyList_New(n);
    for (Py_ssize_t i = 0; out && i < n; i++) {
        PyObject *x = make(PyList_GET_ITEM(list, i));
        if (!x)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, i, x);
    }
    return out;
}

static PyObject *requirements(PyObject *list)
{
    return map_list(list, requirement);
}

static PyObject *renewal(PyObject *v)
{
    if (v == Py_None)
        Py_RETURN_NONE;
    PyObject *d = PyDict_New();
    if (d && !(put(d, "tier", field(v, VIEW_tier)) &&
               put(d, "review_date", field(v, VIEW_review_date)) &&
               put(d, "status", field(v, VIEW_status)) &&
               put(d, "requirements", requirements(record_get(v, VIEW_requirements)))))
        Py_CLEAR(d);
    return d;
}

static PyObject *upgrade(PyObject *v)
{
    if (v == Py_None)
        Py_RETURN_NONE;
    PyObject *d = PyDict_New();
    if (d && !(put(d, "tier", field(v, VIEW_tier)) &&
               put(d, "eligible", field(v, VIEW_eligible)) &&
               put(d, "requirements", requirements(record_get(v, VIEW_requirements)))))
        Py_CLEAR(d);
    return d;
}

static PyObject *rolling(PyObject *v)
{
    PyObject *d = PyDict_New();
    if (d && !(put(d, "tier", field(v, VIEW_tier)) &&
               put(d, "satisfied", field(v, VIEW_satisfied)) &&
               put(d, "requirements", requirements(record_get(v, VIEW_requirements)))))
        Py_CLEAR(d);
    return d;
}

static bool put_tiered(PyObject *d, PyObject *r)
{
    return put(d, "current_tier", field(r, RESULT_current_tier)) &&
           put(d, "eligible_tier", field(r, RESULT_eligible_tier)) &&
           put(d, "renewal", renewal(record_get(r, RESULT_renewal))) &&
           put(d, "upgrade", upgrade(record_get(r, RESULT_upgrade))) &&
           put(d, "tiers", map_list(record_get(r, RESULT_tiers), rolling));
}

/* "applications": [{"designation": ..., "status": ..., "requirements": [...]}] */
static bool put_items(PyObject *d, PyObject *r)
{
    PyObject *label_key = record_get(r, RESULT_item_label_name);
    PyObject *list = record_get(r, RESULT_items);
    Py_ssize_t n = PyList_GET_SIZE(list);
    PyObject *out = PyList_New(n);
    for (Py_ssize_t i = 0; out && i < n; i++) {
        PyObject *it = PyList_GET_ITEM(list, i), *x = PyDict_New();
        PyObject *label = x ? field(it, ITEM_label) : NULL;
        bool ok = label && PyDict_SetItem(x, label_key, label) == 0 &&
                  put(x, "status", field(it, ITEM_status)) &&
                  put(x, "requirements", requirements(record_get(it, ITEM_requirements)));
        Py_XDECREF(label);
        if (!ok) {
            Py_XDECREF(x);
            Py_CLEAR(out);
        } else {
            PyList_SET_ITEM(out, i, x);
        }
    }
    if (!out)
        return false;
    int rc = PyDict_SetItem(d, record_get(r, RESULT_items_name), out);
    Py_DECREF(out);
    return rc == 0;
}

static PyObject *list_row(PyObject *row)
{
    PyObject *d = PyDict_New(), *key, *value;
    Py_ssize_t pos = 0;
    while (d && PyDict_Next(row, &pos, &key, &value)) {
        PyObject *v = value_to_json(value);
        if (!v || PyDict_SetItem(d, key, v) < 0)
            Py_CLEAR(d);
        Py_XDECREF(v);
    }
    return d;
}

static bool put_lists(PyObject *d, PyObject *r)
{
    PyObject *lists = record_get(r, RESULT_lists), *key, *rows;
    Py_ssize_t pos = 0;
    while (PyDict_Next(lists, &pos, &key, &rows)) {
        PyObject *out = map_list(rows, list_row);
        if (!out || PyDict_SetItem(d, key, out) < 0) {
            Py_XDECREF(out);
            return false;
        }
        Py_DECREF(out);
    }
    return true;
}

static PyObject *pair(PyObject *record, const char *k1, int i1, const char *k2, int i2)
{
    PyObject *d = PyDict_New();
    if (d && !(put(d, k1, field(record, i1)) && put(d, k2, field(record, i2))))
        Py_CLEAR(d);
    return d;
}

static PyObject *program(PyObject *p)
{
    PyObject *d = pair(p, "id", PROGRAM_id, "title", PROGRAM_title);
    if (d && !put(d, "version", field(p, PROGRAM_version)))
        Py_CLEAR(d);
    return d;
}

PyObject *result_to_dict(PyObject *r)
{
    PyObject *d = PyDict_New();
    if (!d)
        return NULL;
    bool per_item = record_get(r, RESULT_items_name) != Py_None;
    bool ok = put(d, "partner",
                  pair(record_get(r, RESULT_partner), "id", PARTNER_id, "name", PARTNER_name)) &&
              put(d, "program", program(record_get(r, RESULT_program))) &&
              put(d, "as_of", field(r, RESULT_as_of)) &&
              (per_item ? put_items(d, r) : put_tiered(d, r)) && put_lists(d, r);
    if (!ok)
        Py_CLEAR(d);
    return d;
}
