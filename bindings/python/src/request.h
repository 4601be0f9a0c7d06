/*
 * request.h — what an evaluation is asked with, read from Python arguments
 * once: the date, the programs, strictness (rubric_eval_options), and the
 * partner's JSON text.
 */
#ifndef RUBRIC_PY_REQUEST_H
#define RUBRIC_PY_REQUEST_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdbool.h>

#include <rubric.h>

typedef struct eval_request {
    char as_of[32];
    PyObject *program_names;   /* a tuple of str keeping program_ids alive */
    const char **program_ids;
    rubric_eval_options options;
} eval_request;

/* programs: None or an iterable of str.  False with an exception set. */
bool request_init(eval_request *req, PyObject *as_of, PyObject *programs, int strict);
void request_free(eval_request *req);

/* A partner given as a dict (written with json.dumps), str or bytes, as
 * UTF-8 JSON text: a new bytes object, or NULL with an exception set. */
PyObject *request_partner_text(PyObject *partner);

#endif
