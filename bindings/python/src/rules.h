/*
 * rules.h — rubric.Rules: a loaded, verified module of programs, and the
 * sessions that evaluate partners against it.  A module is immutable and
 * shared; each evaluation takes a session of its own from the object's
 * pool (under the GIL), evaluates with the GIL released, and converts the
 * results before giving the session back, so threads evaluate at once.
 */
#ifndef RUBRIC_PY_RULES_H
#define RUBRIC_PY_RULES_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdbool.h>

#include <rubric.h>

typedef struct rules_object {
    PyObject_HEAD
    rubric_module *module;
    PyObject *bytecode;          /* bytes */
    rubric_config config;        /* its limits: for every session */
    rubric_session **idle;       /* sessions not in use */
    size_t idle_count, idle_capacity;
} rules_object;

extern PyTypeObject *rules_type;

bool rules_init(PyObject *module);

/* A session of the module (from the pool or new), or NULL with
 * MemoryError set.  Call with the GIL held. */
rubric_session *rules_take_session(rules_object *rules);
/* Back to the pool (or freed).  Call with the GIL held. */
void rules_give_session(rules_object *rules, rubric_session *session);

/* The results of a report as a list of rubric.Result; programs withheld
 * by an item error become rubric.ResultWithheld warnings.  NULL with an
 * exception set. */
PyObject *rules_report_results(const rubric_report *report);

#endif
