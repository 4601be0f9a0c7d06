/*
 * file_results.h — rules.evaluate_file(path, as_of, jobs=N): an iterator
 * over the results of a JSON Lines file of partners, in input order.
 * Partners are read and evaluated a round at a time on jobs threads with
 * the GIL released, each partner with a session of its own; the round's
 * results are then made into Python objects and handed out one by one.
 * A partner that cannot be evaluated is an exception in its place:
 * raised by next() (errors='raise': the iterator can go on after it) or
 * kept in .errors (errors='skip').
 */
#ifndef RUBRIC_PY_FILE_RESULTS_H
#define RUBRIC_PY_FILE_RESULTS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdbool.h>

#define FILE_RESULTS_OPEN_DOC                                                             \
    "evaluate_file($self, /, path, as_of, jobs=None, programs=None, *, strict=False, "              \
    "errors='raise')\n--\n\n"                                                             \
    "Evaluate a JSON Lines file of partners (one object per line) on as_of, on jobs "      \
    "threads (default: the number of cores).  Returns an iterator over the results, one "  \
    "Result per partner and program, in the order of the file, as `rubric eval -f jsonl` " \
    "writes them.  A partner with an error (bad JSON, a schema error, a duplicate id) is " \
    "a DataError (or LimitError) in its place: raised by next() when errors='raise' "    \
    "(iteration may go on after it), or appended to the iterator's .errors list when "    \
    "errors='skip'."

bool file_results_init(PyObject *module);

/* Rules.evaluate_file: self is the Rules object. */
PyObject *file_results_open(PyObject *self, PyObject *args, PyObject *kwargs);

#endif
