/* rules.c — rubric.Rules (rules.h): compiling, loading, evaluating. */
#include "rules.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "convert.h"
#include "errors.h"
#include "file_results.h"
#include "request.h"

PyTypeObject *rules_type;

#define LIMITS_DOC                                                                         \
    "limits: bounds on what one partner may cost, as rubric_limits has them: a dict of "   \
    "max_instructions, max_memory (bytes), max_input_bytes and max_depth (0: unlimited; "  \
    "left out: the library's defaults).  A partner over a limit is a LimitError."
PyObject *result_withheld_type;

/* ------------------------------------------------------------ sessions */

rubric_session *rules_take_session(rules_object *r)
{
    if (r->idle_count)
        return r->idle[--r->idle_count];
    rubric_session *s = rubric_session_new(r->module, &r->config);
    if (!s)
        PyErr_NoMemory();
    return s;
}

void rules_give_session(rules_object *r, rubric_session *s)
{
    if (r->idle_count == r->idle_capacity) {
        size_t cap = r->idle_capacity ? 2 * r->idle_capacity : 4;
        rubric_session **grown = PyMem_Realloc(r->idle, cap * sizeof *grown);
        if (!grown) {
            rubric_session_free(s);
            return;
        }
        r->idle = grown;
        r->idle_capacity = cap;
    }
    r->idle[r->idle_count++] = s;
}

/* ------------------------------------------------------------ creating */

/* rubric_limits from a dict such as {"max_instructions": 10**6}. */
static bool parse_limits(PyObject *limits, rubric_config *config)
{
    rubric_config_init(config);
    if (!limits || limits == Py_None)
        return true;
    if (!PyDict_Check(limits)) {
        PyErr_SetString(PyExc_TypeError, "limits must be a dict");
        return false;
    }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(limits, &pos, &key, &value)) {
        const char *name = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : "";
        unsigned long long n = PyLong_AsUnsignedLongLong(value);
        if (n == (unsigned long long)-1 && PyErr_Occurred())
            return false;
        rubric_limits *l = &config->limits;
        if (name && strcmp(name, "max_instructions") == 0)
            l->max_instructions = n;
        else if (name && strcmp(name, "max_memory") == 0)
            l->max_memory = (size_t)n;
        else if (name && strcmp(name, "max_input_bytes") == 0)
            l->max_input_bytes = (size_t)n;
        else if (name && strcmp(name, "max_depth") == 0 && n <= UINT32_MAX)
            l->max_depth = (uint32_t)n;
        else
            return PyErr_Format(PyExc_ValueError, "unknown limit or out of range: %R: %R", key,
                                value) != NULL;
    }
    return true;
}

/* A Rules object owning module, made from bytecode (bytes). */
static PyObject *rules_from_bytecode(PyTypeObject *type, PyObject *bytecode, PyObject *limits)
{
    rubric_config config;
    if (!parse_limits(limits, &config))
        return NULL;
    char why[512] = "";
    rubric_module *module = NULL;
    rubric_status st = rubric_module_load(NULL, PyBytes_AS_STRING(bytecode),
                                          (size_t)PyBytes_GET_SIZE(bytecode), &module, why,
                                          sizeof why);
    if (st != RUBRIC_OK)
        return errors_raise(st, why);
    rules_object *r = (rules_object *)type->tp_alloc(type, 0);
    if (!r) {
        rubric_module_free(module);
        return NULL;
    }
    r->module = module;
    r->config = config;
    Py_INCREF(bytecode);
    r->bytecode = bytecode;
    return (PyObject *)r;
}

/* The whole of a file, or NULL with OSError set. */
static PyObject *read_file(PyObject *path)
{
    PyObject *encoded = NULL;
    if (!PyUnicode_FSConverter(path, &encoded))
        return NULL;
    FILE *f = fopen(PyBytes_AS_STRING(encoded), "rb");
    if (!f) {
        PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, path);
        Py_DECREF(encoded);
        return NULL;
    }
    PyObject *text = PyBytes_FromStringAndSize(NULL, 0);
    char buf[65536];
    size_t n;
    while (text && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        PyObject *more = PyBytes_FromStringAndSize(buf, (Py_ssize_t)n);
        PyBytes_ConcatAndDel(&text, more);
    }
    if (text && ferror(f)) {
        PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, path);
        Py_CLEAR(text);
    }
    fclose(f);
    Py_DECREF(encoded);
    return text;
}

/* Add a rules file, read here so that OSError says why it cannot be. */
static rubric_status add_source(rubric_compiler *c, PyObject *path, bool *raised)
{
    PyObject *text = read_file(path), *name = NULL;
    if (text && PyUnicode_FSDecoder(path, &name)) {
        const char *utf8 = PyUnicode_AsUTF8(name);
        rubric_status st = utf8 ? rubric_compiler_add_source(c, utf8, PyBytes_AS_STRING(text),
                                                             (size_t)PyBytes_GET_SIZE(text))
                                : RUBRIC_ERR_USAGE;
        Py_DECREF(name);
        Py_DECREF(text);
        *raised = utf8 == NULL;
        return st;
    }
    Py_XDECREF(text);
    *raised = true;
    return RUBRIC_ERR_IO;
}

/* paths: one path or a sequence of them. */
static PyObject *compile_rules(PyTypeObject *type, PyObject *paths, bool with_standard,
                               PyObject *limits)
{
    PyObject *list = PyUnicode_Check(paths) || PyBytes_Check(paths) || PyObject_HasAttrString(paths, "__fspath__")
                         ? PyTuple_Pack(1, paths)
                         : PySequence_Tuple(paths);
    if (!list)
        return NULL;
    rubric_compiler *c = rubric_compiler_new(NULL);
    if (!c) {
        Py_DECREF(list);
        return PyErr_NoMemory();
    }
    bool raised = false;
    rubric_status st = rubric_compiler_use_stdlib(c, with_standard);
    for (Py_ssize_t i = 0; st == RUBRIC_OK && i < PyTuple_GET_SIZE(list); i++)
        st = add_source(c, PyTuple_GET_ITEM(list, i), &raised);
    void *bytecode = NULL;
    size_t len = 0;
    if (st == RUBRIC_OK) {
        Py_BEGIN_ALLOW_THREADS
        st = rubric_compiler_run(c, false, &bytecode, &len);
        Py_END_ALLOW_THREADS
    }
    PyObject *out = NULL;
    if (st == RUBRIC_OK) {
        PyObject *bytes = PyBytes_FromStringAndSize(bytecode, (Py_ssize_t)len);
        rubric_free(NULL, bytecode, len);
        out = bytes ? rules_from_bytecode(type, bytes, limits) : NULL;
        Py_XDECREF(bytes);
    } else if (!raised) {
        errors_raise_compile(c, st);
    }
    rubric_compiler_free(c);
    Py_DECREF(list);
    return out;
}

static PyObject *rules_standard(PyObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"limits", NULL};
    PyObject *limits = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$O:standard", keywords, &limits))
        return NULL;
    PyObject *none = PyTuple_New(0);
    PyObject *out = none ? compile_rules((PyTypeObject *)type, none, true, limits) : NULL;
    Py_XDECREF(none);
    return out;
}

static PyObject *rules_compile(PyObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"paths", "with_standard", "limits", NULL};
    PyObject *paths, *limits = Py_None;
    int with_standard = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|p$O:compile", keywords, &paths,
                                     &with_standard, &limits))
        return NULL;
    return compile_rules((PyTypeObject *)type, paths, with_standard, limits);
}

static PyObject *rules_load(PyObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"bytecode", "limits", NULL};
    PyObject *arg, *limits = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$O:load", keywords, &arg, &limits))
        return NULL;
    PyObject *bytes = PyBytes_FromObject(arg);
    if (!bytes)
        return NULL;
    PyObject *out = rules_from_bytecode((PyTypeObject *)type, bytes, limits);
    Py_DECREF(bytes);
    return out;
}

/* ------------------------------------------------------------ using */

static PyObject *rules_bytecode(PyObject *self, PyObject *unused)
{
    (void)unused;
    PyObject *b = ((rules_object *)self)->bytecode;
    Py_INCREF(b);
    return b;
}

static PyObject *rules_programs(PyObject *self, void *unused)
{
    (void)unused;
    const rubric_module *m = ((rules_object *)self)->module;
    size_t n = rubric_module_program_count(m);
    PyObject *t = PyTuple_New((Py_ssize_t)n);
    for (size_t i = 0; t && i < n; i++) {
        PyObject *id = convert_str(rubric_module_program_id(m, i));
        if (!id)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, (Py_ssize_t)i, id);
    }
    return t;
}

static bool warn_withheld(const rubric_report *report)
{
    for (size_t i = 0; i < rubric_report_withheld_count(report); i++)
        if (PyErr_WarnEx(result_withheld_type, rubric_report_withheld(report, i), 1) < 0)
            return false;
    return true;
}

PyObject *rules_report_results(const rubric_report *report)
{
    const rubric_result *results;
    size_t count;
    if (rubric_report_results(report, &results, &count) != RUBRIC_OK)
        return PyErr_NoMemory();
    if (!warn_withheld(report))
        return NULL;
    PyObject *list = PyList_New((Py_ssize_t)count);
    for (size_t i = 0; list && i < count; i++) {
        PyObject *r = convert_result(&results[i]);
        if (!r)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)i, r);
    }
    return list;
}

static PyObject *evaluate_text(rules_object *self, PyObject *text, const eval_request *req)
{
    rubric_session *s = rules_take_session(self);
    if (!s)
        return NULL;
    const rubric_report *report = NULL;
    rubric_error err;
    rubric_status st;
    Py_BEGIN_ALLOW_THREADS
    st = rubric_session_eval(s, PyBytes_AS_STRING(text), (size_t)PyBytes_GET_SIZE(text),
                             &req->options, &report, &err);
    Py_END_ALLOW_THREADS
    PyObject *out = NULL;
    if (st == RUBRIC_OK) {
        out = rules_report_results(report);
    } else {
        PyObject *exc = errors_from_eval(&err, NULL, 0);
        if (exc) {
            PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
            Py_DECREF(exc);
        }
    }
    rules_give_session(self, s);
    return out;
}

static PyObject *rules_evaluate(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"partner", "as_of", "programs", "strict", NULL};
    PyObject *partner, *as_of, *programs = Py_None;
    int strict = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|O$p:evaluate", keywords, &partner,
                                     &as_of, &programs, &strict))
        return NULL;
    eval_request req;
    if (!request_init(&req, as_of, programs, strict))
        return NULL;
    PyObject *text = request_partner_text(partner);
    PyObject *out = text ? evaluate_text((rules_object *)self, text, &req) : NULL;
    Py_XDECREF(text);
    request_free(&req);
    return out;
}

static void rules_dealloc(PyObject *self)
{
    rules_object *r = (rules_object *)self;
    PyTypeObject *type = Py_TYPE(self);
    for (size_t i = 0; i < r->idle_count; i++)
        rubric_session_free(r->idle[i]);
    PyMem_Free(r->idle);
    rubric_module_free(r->module);
    Py_XDECREF(r->bytecode);
    type->tp_free(self);
    Py_DECREF(type);
}

static PyObject *rules_repr(PyObject *self)
{
    PyObject *programs = rules_programs(self, NULL);
    PyObject *repr = programs ? PyUnicode_FromFormat("<rubric.Rules programs=%R>", programs) : NULL;
    Py_XDECREF(programs);
    return repr;
}

static PyMethodDef rules_methods[] = {
    {"standard", (PyCFunction)(void (*)(void))rules_standard,
     METH_VARARGS | METH_KEYWORDS | METH_CLASS,
     "standard($type, /, *, limits=None)\n--\n\nThe standard programs built into Rubric "
     "(what `rubric eval` uses by default).\n\n" LIMITS_DOC},
    {"compile", (PyCFunction)(void (*)(void))rules_compile,
     METH_VARARGS | METH_KEYWORDS | METH_CLASS,
     "compile($type, /, paths, with_standard=True, *, limits=None)\n--\n\nCompile rules "
     "files (.rubric; one path or a list).  with_standard: compile the standard programs "
     "with them, as `rubric eval -r stdlib -r FILE` does; the standard modules are "
     "importable either way.  Raises CompileError with the diagnostics, OSError when a "
     "file cannot be read.\n\n" LIMITS_DOC},
    {"load", (PyCFunction)(void (*)(void))rules_load, METH_VARARGS | METH_KEYWORDS | METH_CLASS,
     "load($type, /, bytecode, *, limits=None)\n--\n\nLoad and verify compiled rules (the "
     "bytes of a .rbc file, `rubric compile` or rules.bytecode()).  Raises RubricError when "
     "they are rejected.\n\n" LIMITS_DOC},
    {"bytecode", rules_bytecode, METH_NOARGS,
     "bytecode($self, /)\n--\n\nThe verified bytecode of these rules (bytes): what a .rbc file "
     "holds, for Rules.load() elsewhere."},
    {"evaluate", (PyCFunction)(void (*)(void))rules_evaluate, METH_VARARGS | METH_KEYWORDS,
     "evaluate($self, /, partner, as_of, programs=None, *, strict=False)\n--\n\n"
     "Evaluate one partner (a dict, or its JSON as str or bytes) on as_of (a "
     "datetime.date or 'YYYY-MM-DD') against every program that applies to it, or those "
     "named in programs.  Returns a list of Result, one per program, in the order of "
     "`rubric eval`.  A program whose result the rules withhold (an item error) is left "
     "out with a ResultWithheld warning.  Raises DataError, LimitError or RubricError.  "
     "The GIL is released while evaluating."},
    {"evaluate_file", (PyCFunction)(void (*)(void))file_results_open,
     METH_VARARGS | METH_KEYWORDS, FILE_RESULTS_OPEN_DOC},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef rules_getset[] = {
    {"programs", rules_programs, NULL, "The ids of the programs, in order (tuple of str).",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

bool rules_init(PyObject *module)
{
    PyType_Slot slots[] = {
        {Py_tp_doc, "Compiled, verified rules: programs to evaluate partners against.\n\n"
                    "Make them with Rules.standard(), Rules.compile(paths) or "
                    "Rules.load(bytecode).  One Rules object may be used from any number "
                    "of threads at once."},
        {Py_tp_methods, rules_methods},
        {Py_tp_getset, rules_getset},
        {Py_tp_dealloc, rules_dealloc},
        {Py_tp_repr, rules_repr},
        {0, NULL},
    };
    PyType_Spec spec = {"rubric.Rules", sizeof(rules_object), 0,
                        Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION, slots};
    rules_type = (PyTypeObject *)PyType_FromSpec(&spec);
    if (!rules_type || PyModule_AddObjectRef(module, "Rules", (PyObject *)rules_type) < 0)
        return false;
    result_withheld_type = PyErr_NewExceptionWithDoc(
        "rubric.ResultWithheld",
        "Warning: a program's result is withheld because the rules call one of the "
        "partner's items an error (`error when`); the partner's other results stand.",
        PyExc_UserWarning, NULL);
    return result_withheld_type &&
           PyModule_AddObjectRef(module, "ResultWithheld", result_withheld_type) == 0;
}
