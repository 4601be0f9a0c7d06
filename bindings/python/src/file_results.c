/* file_results.c — the iterator of rules.evaluate_file (file_results.h). */
#include "file_results.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <structmember.h>

#include "errors.h"
#include "records.h"
#include "request.h"
#include "rules.h"

/* Partners per thread in one round: enough to keep threads busy between
 * the rounds' conversions under the GIL. */
#define PARTNERS_PER_JOB 8

/* One partner of a round. */
typedef struct slot {
    char *text;
    size_t length, capacity;
    unsigned long long line;
    rubric_session *session;
    rubric_status status;
    const rubric_report *report;
    rubric_error error;
} slot;

typedef struct file_results {
    PyObject_HEAD
    rules_object *rules;
    FILE *file;
    PyObject *path;             /* str, for messages */
    PyObject *path_utf8;        /* bytes: path in UTF-8, for exceptions */
    eval_request request;
    bool raise_errors;
    unsigned jobs;
    slot *slots;
    size_t slot_count;          /* jobs * PARTNERS_PER_JOB */
    unsigned long long line;    /* lines read */
    PyObject *pending;          /* list: Results and exceptions of the round */
    Py_ssize_t next;            /* in pending */
    PyObject *seen;             /* dict: partner id -> line */
    PyObject *errors;           /* list of exceptions, errors='skip' */
} file_results;

static PyTypeObject *file_results_type;

/* ------------------------------------------------------------ a round */

typedef struct round_work {
    slot *slots;
    size_t count;
    const rubric_eval_options *options;
    atomic_size_t next;
} round_work;

static void *evaluate_slots(void *arg)
{
    round_work *w = arg;
    for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < w->count;) {
        slot *s = &w->slots[i];
        s->status = rubric_session_eval(s->session, s->text, s->length, w->options, &s->report,
                                        &s->error);
    }
    return NULL;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

/* Read up to slot_count partners, skipping blank lines.  -1 on a read error. */
static long read_round(file_results *it)
{
    size_t n = 0;
    while (n < it->slot_count) {
        slot *s = &it->slots[n];
        ssize_t got = getline(&s->text, &s->capacity, it->file);
        if (got < 0)
            return ferror(it->file) ? -1 : (long)n;
        it->line++;
        if (blank(s->text, (size_t)got))
            continue;
        /* Without its line break: a place at the end is on the line. */
        while (got > 0 && (s->text[got - 1] == '\n' || s->text[got - 1] == '\r'))
            got--;
        s->length = (size_t)got;
        s->line = it->line;
        n++;
    }
    return (long)n;
}

/* Evaluate count slots on up to jobs threads, this one included. */
static void evaluate_round(file_results *it, size_t count)
{
    round_work w = {it->slots, count, &it->request.options, 0};
    pthread_t threads[64];
    unsigned extra = it->jobs - 1 < count ? it->jobs - 1 : (unsigned)count;
    unsigned started = 0;
    while (started < extra && started < 64 &&
           pthread_create(&threads[started], NULL, evaluate_slots, &w) == 0)
        started++;
    evaluate_slots(&w);
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
}

/* ------------------------------------------------------------ results */

static PyObject *data_error_at(file_results *it, unsigned long long line, const char *message)
{
    rubric_error e = {.status = RUBRIC_ERR_DATA};
    snprintf(e.message, sizeof e.message, "%s", message);
    return errors_from_eval(&e, PyBytes_AS_STRING(it->path_utf8), line);
}

/* The id of a partner's first result, checked against those before it. */
static PyObject *duplicate_error(file_results *it, PyObject *results, unsigned long long line)
{
    if (!PyList_GET_SIZE(results))
        return NULL;
    PyObject *partner = record_get(PyList_GET_ITEM(results, 0), RESULT_partner);
    PyObject *id = record_get(partner, PARTNER_id);
    PyObject *first = PyDict_GetItemWithError(it->seen, id);
    if (!first) {
        PyObject *at = PyLong_FromUnsignedLongLong(line);
        if (at)
            PyDict_SetItem(it->seen, id, at);
        Py_XDECREF(at);
        return NULL;
    }
    PyObject *msg = PyUnicode_FromFormat(
        "duplicate partner id \"%U\" (first seen at %U:%S); this record is skipped", id, it->path,
        first);
    PyObject *exc = msg ? data_error_at(it, line, PyUnicode_AsUTF8(msg)) : NULL;
    Py_XDECREF(msg);
    if (exc)
        PyObject_SetAttrString(exc, "partner_id", id);
    return exc;
}

/* The results of slot s appended to pending, or its exception. */
static bool collect(file_results *it, slot *s)
{
    PyObject *exc = NULL, *results = NULL;
    if (s->status != RUBRIC_OK) {
        exc = errors_from_eval(&s->error, PyBytes_AS_STRING(it->path_utf8), s->line);
    } else {
        results = rules_report_results(s->report);
        if (!results)
            return false;
        exc = duplicate_error(it, results, s->line);
    }
    if (PyErr_Occurred()) {
        Py_XDECREF(results);
        Py_XDECREF(exc);
        return false;
    }
    bool ok;
    if (exc) {
        ok = PyList_Append(it->pending, exc) == 0;
        Py_DECREF(exc);
    } else {
        Py_ssize_t n = PyList_GET_SIZE(it->pending);
        ok = PyList_SetSlice(it->pending, n, n, results) == 0;
    }
    Py_XDECREF(results);
    return ok;
}

/* Evaluate the next round into pending.  False at the end or on error. */
static bool next_round(file_results *it)
{
    Py_CLEAR(it->pending);
    it->next = 0;
    if (!it->file)
        return false;
    long count;
    Py_BEGIN_ALLOW_THREADS
    count = read_round(it);
    if (count > 0)
        evaluate_round(it, (size_t)count);
    Py_END_ALLOW_THREADS
    if (count < 0) {
        PyErr_Format(PyExc_OSError, "%U: read error", it->path);
        return false;
    }
    if (count == 0) {
        fclose(it->file);
        it->file = NULL;
        return false;
    }
    it->pending = PyList_New(0);
    for (long i = 0; it->pending && i < count; i++)
        if (!collect(it, &it->slots[i]))
            return false;
    return it->pending != NULL;
}

static PyObject *file_results_next(PyObject *self)
{
    file_results *it = (file_results *)self;
    for (;;) {
        while (!it->pending || it->next >= PyList_GET_SIZE(it->pending))
            if (!next_round(it))
                return NULL; /* StopIteration, or the error set */
        PyObject *x = PyList_GET_ITEM(it->pending, it->next++);
        if (!PyExceptionInstance_Check(x)) {
            Py_INCREF(x);
            return x;
        }
        if (it->raise_errors) {
            PyErr_SetObject((PyObject *)Py_TYPE(x), x);
            return NULL;
        }
        if (PyList_Append(it->errors, x) < 0)
            return NULL;
    }
}

/* ------------------------------------------------------------ lifetime */

static void free_slots(file_results *it)
{
    for (size_t i = 0; i < it->slot_count; i++) {
        free(it->slots[i].text);
        if (it->slots[i].session)
            rubric_session_free(it->slots[i].session);
    }
    PyMem_Free(it->slots);
    it->slots = NULL;
}

static void file_results_dealloc(PyObject *self)
{
    file_results *it = (file_results *)self;
    PyTypeObject *type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (it->file)
        fclose(it->file);
    if (it->slots)
        free_slots(it);
    request_free(&it->request);
    Py_CLEAR(it->pending);
    Py_CLEAR(it->seen);
    Py_CLEAR(it->errors);
    Py_CLEAR(it->path);
    Py_CLEAR(it->path_utf8);
    Py_CLEAR(it->rules);
    type->tp_free(self);
    Py_DECREF(type);
}

static int file_results_traverse(PyObject *self, visitproc visit, void *arg)
{
    file_results *it = (file_results *)self;
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(it->pending);
    Py_VISIT(it->errors);
    Py_VISIT((PyObject *)it->rules);
    return 0;
}

static unsigned default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static bool parse_errors_mode(const char *mode, bool *raise_errors)
{
    if (strcmp(mode, "raise") == 0 || strcmp(mode, "skip") == 0) {
        *raise_errors = mode[0] == 'r';
        return true;
    }
    PyErr_Format(PyExc_ValueError, "errors must be 'raise' or 'skip', not '%s'", mode);
    return false;
}

static bool open_file(file_results *it, PyObject *path)
{
    PyObject *encoded = NULL;
    if (!PyUnicode_FSConverter(path, &encoded) || !PyUnicode_FSDecoder(path, &it->path) ||
        !(it->path_utf8 = PyUnicode_AsEncodedString(it->path, "utf-8", "backslashreplace"))) {
        Py_XDECREF(encoded);
        return false;
    }
    it->file = fopen(PyBytes_AS_STRING(encoded), "rb");
    Py_DECREF(encoded);
    if (!it->file)
        PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, path);
    return it->file != NULL;
}

static bool make_slots(file_results *it)
{
    it->slot_count = (size_t)it->jobs * PARTNERS_PER_JOB;
    it->slots = PyMem_Calloc(it->slot_count, sizeof *it->slots);
    if (!it->slots) {
        PyErr_NoMemory();
        return false;
    }
    for (size_t i = 0; i < it->slot_count; i++)
        if (!(it->slots[i].session = rules_take_session(it->rules)))
            return false;
    return true;
}

PyObject *file_results_open(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"path", "as_of", "jobs", "programs", "strict", "errors", NULL};
    PyObject *path, *as_of, *jobs = Py_None, *programs = Py_None;
    int strict = 0;
    const char *mode = "raise";
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|OO$ps:evaluate_file", keywords, &path,
                                     &as_of, &jobs, &programs, &strict, &mode))
        return NULL;
    long njobs = jobs == Py_None ? (long)default_jobs() : PyLong_AsLong(jobs);
    if (njobs == -1 && PyErr_Occurred())
        return NULL;
    if (njobs < 1 || njobs > 64)
        return PyErr_Format(PyExc_ValueError, "jobs must be from 1 to 64, not %ld", njobs);
    file_results *it = PyObject_GC_New(file_results, file_results_type);
    if (!it)
        return NULL;
    memset((char *)it + sizeof(PyObject), 0, sizeof *it - sizeof(PyObject));
    Py_INCREF(self);
    it->rules = (rules_object *)self;
    it->jobs = (unsigned)njobs;
    PyObject_GC_Track(it);
    bool ok = parse_errors_mode(mode, &it->raise_errors) &&
              request_init(&it->request, as_of, programs, strict) && open_file(it, path) &&
              (it->seen = PyDict_New()) && (it->errors = PyList_New(0)) && make_slots(it);
    if (!ok)
        Py_CLEAR(it);
    return (PyObject *)it;
}

static PyMemberDef file_results_members[] = {
    {"errors", T_OBJECT, offsetof(file_results, errors), READONLY,
     "The partners' exceptions passed over with errors='skip', in file order."},
    {NULL, 0, 0, 0, NULL},
};

bool file_results_init(PyObject *module)
{
    PyType_Slot slots[] = {
        {Py_tp_doc, "The results of rules.evaluate_file(), in the order of the file."},
        {Py_tp_iter, PyObject_SelfIter},
        {Py_tp_iternext, file_results_next},
        {Py_tp_dealloc, file_results_dealloc},
        {Py_tp_traverse, file_results_traverse},
        {Py_tp_members, file_results_members},
        {0, NULL},
    };
    PyType_Spec spec = {"rubric.FileResults", sizeof(file_results), 0,
                        Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                            Py_TPFLAGS_DISALLOW_INSTANTIATION,
                        slots};
    file_results_type = (PyTypeObject *)PyType_FromSpec(&spec);
    return file_results_type &&
           PyModule_AddObjectRef(module, "FileResults", (PyObject *)file_results_type) == 0;
}
