/* request.c — evaluation arguments from Python (request.h). */
#include "request.h"

#include <string.h>

#include "values.h"

bool request_init(eval_request *req, PyObject *as_of, PyObject *programs, int strict)
{
    memset(req, 0, sizeof *req);
    if (!value_as_of(as_of, req->as_of))
        return false;
    req->options.as_of = req->as_of;
    req->options.strict = strict != 0;
    if (programs == NULL || programs == Py_None)
        return true;
    if (PyUnicode_Check(programs)) {
        PyErr_SetString(PyExc_TypeError, "programs must be a list of program ids, not a str");
        return false;
    }
    req->program_names = PySequence_Tuple(programs);
    if (!req->program_names)
        return false;
    Py_ssize_t n = PyTuple_GET_SIZE(req->program_names);
    req->program_ids = PyMem_Calloc((size_t)n + 1, sizeof *req->program_ids);
    if (!req->program_ids) {
        request_free(req);
        PyErr_NoMemory();
        return false;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *id = PyTuple_GET_ITEM(req->program_names, i);
        req->program_ids[i] = PyUnicode_Check(id) ? PyUnicode_AsUTF8(id) : NULL;
        if (!req->program_ids[i]) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "programs must be str program ids");
            request_free(req);
            return false;
        }
    }
    req->options.programs = req->program_ids;
    req->options.program_count = (size_t)n;
    return true;
}

void request_free(eval_request *req)
{
    PyMem_Free(req->program_ids);
    Py_CLEAR(req->program_names);
    req->program_ids = NULL;
}

static PyObject *json_dumps(PyObject *obj)
{
    PyObject *json = PyImport_ImportModule("json");
    if (!json)
        return NULL;
    PyObject *text = PyObject_CallMethod(json, "dumps", "O", obj);
    Py_DECREF(json);
    if (!text)
        return NULL;
    PyObject *bytes = PyUnicode_AsUTF8String(text);
    Py_DECREF(text);
    return bytes;
}

PyObject *request_partner_text(PyObject *partner)
{
    if (PyBytes_Check(partner)) {
        Py_INCREF(partner);
        return partner;
    }
    if (PyByteArray_Check(partner) || PyMemoryView_Check(partner))
        return PyBytes_FromObject(partner);
    if (PyUnicode_Check(partner))
        return PyUnicode_AsUTF8String(partner);
    if (PyDict_Check(partner))
        return json_dumps(partner);
    PyErr_Format(PyExc_TypeError, "partner must be a dict, str or bytes, not %.100s",
                 Py_TYPE(partner)->tp_name);
    return NULL;
}
