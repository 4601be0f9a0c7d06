/* record_methods.c — Result.to_dict() and the requirement lookup of views
 * and items. */
#include "record_methods.h"

#include <string.h>

#include "records.h"
#include "to_dict.h"

static PyObject *method_to_dict(PyObject *self, PyObject *unused)
{
    (void)unused;
    return result_to_dict(self);
}

/* The requirement of a list whose id is the first len bytes of path. */
static PyObject *find_in(PyObject *list, const char *path, size_t len)
{
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++) {
        PyObject *q = PyList_GET_ITEM(list, i);
        Py_ssize_t n;
        const char *id = PyUnicode_AsUTF8AndSize(record_get(q, REQUIREMENT_id), &n);
        if (!id)
            return NULL;
        if ((size_t)n == len && memcmp(id, path, len) == 0)
            return q;
    }
    return Py_None;
}

/* "launched_opportunities" or "launched_opportunities.mrr" (parts of parts:
 * "a.b.c"): the Requirement, or None when the view or item has none. */
static PyObject *method_requirement(PyObject *self, PyObject *arg)
{
    const char *path = PyUnicode_AsUTF8(arg);
    if (!path)
        return NULL;
    PyObject *list = record_get(self, record_is(self, RECORD_VIEW) ? VIEW_requirements
                                                                   : ITEM_requirements);
    PyObject *found = Py_None;
    for (;;) {
        size_t len = strcspn(path, ".");
        found = PyList_Check(list) ? find_in(list, path, len) : Py_None;
        if (!found || found == Py_None || !path[len])
            break;
        list = record_get(found, REQUIREMENT_parts);
        path += len + 1;
    }
    Py_XINCREF(found);
    return found;
}

PyMethodDef record_result_methods[] = {
    {"to_dict", method_to_dict, METH_NOARGS,
     "to_dict($self, /)\n--\n\nThe result as the JSON object `rubric eval -f jsonl` prints for the same "
     "partner and program, key for key and in the same order: dates as ISO strings, money as "
     "in the JSON (an int when whole, else a float)."},
    {NULL, NULL, 0, NULL},
};

PyMethodDef record_view_methods[] = {
    {"requirement", method_requirement, METH_O,
     "requirement($self, path, /)\n--\n\nThe requirement 'id', or the part 'id.part', or None when "
     "absent."},
    {NULL, NULL, 0, NULL},
};
