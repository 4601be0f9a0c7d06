/* errors.c — exceptions for Rubric's failures (errors.h). */
#include "errors.h"

#include <string.h>

#include "convert.h"
#include "records.h"

PyObject *rubric_error_type;
PyObject *compile_error_type;
PyObject *data_error_type;
PyObject *limit_error_type;

/* Class attributes, None until an instance sets them. */
static bool defaults(PyObject *type, const char *const *names)
{
    for (; *names; names++)
        if (PyObject_SetAttrString(type, *names, Py_None) < 0)
            return false;
    return true;
}

static PyObject *new_type(PyObject *module, const char *name, const char *doc, PyObject *base,
                          const char *const *attributes)
{
    char full[64];
    snprintf(full, sizeof full, "rubric.%s", name);
    PyObject *type = PyErr_NewExceptionWithDoc(full, doc, base, NULL);
    if (!type || !defaults(type, attributes) || PyModule_AddObjectRef(module, name, type) < 0) {
        Py_XDECREF(type);
        return NULL;
    }
    return type;
}

bool errors_init(PyObject *module)
{
    static const char *const base_attrs[] = {"status", "message", "partner_id", "file", "line",
                                             "column", "path", "offset", NULL};
    static const char *const compile_attrs[] = {"hint", "diagnostics", NULL};
    static const char *const none[] = {NULL};
    rubric_error_type = new_type(module, "RubricError",
                                 "A failure of Rubric.  status: the library's name for it "
                                 "('data error'); message: what went wrong; partner_id: the "
                                 "partner's id once it was read; file, line, column: where "
                                 "(for data, the partner's file when it came from one); "
                                 "path and offset: the offending value's JSON path "
                                 "('$.individuals[3].registered') and byte in the partner's "
                                 "text.  Attributes that do not apply are None.",
                                 PyExc_Exception, base_attrs);
    if (!rubric_error_type)
        return false;
    compile_error_type = new_type(module, "CompileError",
                                  "Rules with errors.  file, line, column, message and hint: "
                                  "the first error; diagnostics: every one (rubric.Diagnostic); "
                                  "str(): them all, rendered as gcc renders its own.",
                                  rubric_error_type, compile_attrs);
    data_error_type = new_type(module, "DataError",
                               "Partner data that is malformed or breaks the schema: path, "
                               "offset, line and column say where; partner_id, file.",
                               rubric_error_type, none);
    limit_error_type = new_type(module, "LimitError",
                                "A resource limit was reached (instructions, memory, input size "
                                "or nesting depth).",
                                rubric_error_type, none);
    return compile_error_type && data_error_type && limit_error_type;
}

static PyObject *type_of(rubric_status status)
{
    switch (status) {
    case RUBRIC_ERR_COMPILE:
        return compile_error_type;
    case RUBRIC_ERR_DATA:
        return data_error_type;
    case RUBRIC_ERR_LIMIT:
        return limit_error_type;
    default:
        return rubric_error_type;
    }
}

static bool set(PyObject *exc, const char *name, PyObject *value)
{
    if (!value)
        return false;
    int rc = PyObject_SetAttrString(exc, name, value);
    Py_DECREF(value);
    return rc == 0;
}

/* An exception instance with its status and message set; str() is the
 * message after the JSON path, when there is one, as the command says it. */
static PyObject *make_at(rubric_status status, const char *path, const char *message)
{
    PyObject *exc = path && path[0]
                        ? PyObject_CallFunction(type_of(status), "N",
                                                PyUnicode_FromFormat("%s: %s", path, message))
                        : PyObject_CallFunction(type_of(status), "s", message);
    if (exc && !(set(exc, "status", PyUnicode_FromString(rubric_status_name(status))) &&
                 set(exc, "message", PyUnicode_FromString(message))))
        Py_CLEAR(exc);
    return exc;
}

static PyObject *make(rubric_status status, const char *message)
{
    return make_at(status, NULL, message);
}

static PyObject *raise(PyObject *exc)
{
    if (exc) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    }
    return NULL;
}

PyObject *errors_raise(rubric_status status, const char *message)
{
    if (status == RUBRIC_ERR_NOMEM)
        return PyErr_NoMemory();
    return raise(make(status, message));
}

/* "" is None. */
static PyObject *text_or_none(const char *s)
{
    return convert_str(s[0] ? s : NULL);
}

static PyObject *number_or_none(uint64_t n)
{
    return n ? PyLong_FromUnsignedLongLong(n) : convert_str(NULL);
}

PyObject *errors_from_eval(const rubric_error *error, const char *file, uint64_t line)
{
    if (error->status == RUBRIC_ERR_NOMEM) {
        PyErr_NoMemory();
        return NULL;
    }
    PyObject *exc = make_at(error->status, error->path, error->message);
    bool where = error->line != 0;
    /* The text of a file's partner is one line of it. */
    uint64_t at = line ? (where ? line + error->line - 1 : line) : error->line;
    if (exc && !(set(exc, "partner_id", text_or_none(error->partner)) &&
                 set(exc, "file", text_or_none(file ? file : error->file)) &&
                 set(exc, "line", number_or_none(at)) &&
                 set(exc, "column", number_or_none(error->column)) &&
                 set(exc, "path", text_or_none(error->path)) &&
                 set(exc, "offset", where ? PyLong_FromUnsignedLongLong(error->offset)
                                          : convert_str(NULL))))
        Py_CLEAR(exc);
    return exc;
}

static PyObject *diagnostic(const rubric_diag *d)
{
    static const char *const severities[] = {"error", "warning", "note"};
    PyObject *r = record_new(RECORD_DIAGNOSTIC);
    if (r && !(record_set(r, DIAGNOSTIC_severity, PyUnicode_FromString(severities[d->severity])) &&
               record_set(r, DIAGNOSTIC_file, convert_str(d->file)) &&
               record_set(r, DIAGNOSTIC_line, PyLong_FromUnsignedLong(d->line)) &&
               record_set(r, DIAGNOSTIC_column, PyLong_FromUnsignedLong(d->column)) &&
               record_set(r, DIAGNOSTIC_length, PyLong_FromUnsignedLong(d->length)) &&
               record_set(r, DIAGNOSTIC_message, convert_str(d->message)) &&
               record_set(r, DIAGNOSTIC_hint, convert_str(d->hint))))
        Py_CLEAR(r);
    return r;
}

static PyObject *diagnostics(const rubric_compiler *c)
{
    size_t n = rubric_compiler_diag_count(c);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *d = diagnostic(rubric_compiler_diag(c, i));
        if (!d)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)i, d);
    }
    return list;
}

static const rubric_diag *first_error(const rubric_compiler *c)
{
    for (size_t i = 0; i < rubric_compiler_diag_count(c); i++)
        if (rubric_compiler_diag(c, i)->severity == RUBRIC_SEVERITY_ERROR)
            return rubric_compiler_diag(c, i);
    return NULL;
}

PyObject *errors_raise_compile(rubric_compiler *c, rubric_status status)
{
    const rubric_diag *first = first_error(c);
    if (status != RUBRIC_ERR_COMPILE || !first)
        return errors_raise(status, rubric_status_name(status));
    char *text = rubric_compiler_render_diags(c, false);
    if (!text)
        return PyErr_NoMemory();
    /* str(e) is the rendering, without its last newline. */
    size_t len = strlen(text);
    PyObject *exc = PyObject_CallFunction(compile_error_type, "s#", text,
                                          (Py_ssize_t)(len && text[len - 1] == '\n' ? len - 1 : len));
    rubric_free(NULL, text, len + 1);
    if (exc && !(set(exc, "status", PyUnicode_FromString(rubric_status_name(status))) &&
                 set(exc, "message", convert_str(first->message)) &&
                 set(exc, "file", convert_str(first->file)) &&
                 set(exc, "line", PyLong_FromUnsignedLong(first->line)) &&
                 set(exc, "column", PyLong_FromUnsignedLong(first->column)) &&
                 set(exc, "hint", convert_str(first->hint)) &&
                 set(exc, "diagnostics", diagnostics(c))))
        Py_CLEAR(exc);
    return raise(exc);
}
