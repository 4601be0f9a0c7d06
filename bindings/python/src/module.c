/*
 * module.c — the extension module rubric._rubric, which the package rubric
 * re-exports: Rules, the result records and the exceptions.  Written on
 * rubric.h alone.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <rubric.h>

#include "errors.h"
#include "file_results.h"
#include "records.h"
#include "rules.h"
#include "values.h"

static struct PyModuleDef rubric_module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "rubric._rubric",
    .m_doc = "Rubric's library: compile partner-program rules, evaluate partners against "
             "them, and read the results as objects.",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__rubric(void);

PyMODINIT_FUNC PyInit__rubric(void)
{
    PyObject *m = PyModule_Create(&rubric_module_def);
    if (!m)
        return NULL;
    if (!values_init() || !errors_init(m) || !records_init(m) || !rules_init(m) ||
        !file_results_init(m) ||
        PyModule_AddStringConstant(m, "LIBRARY_VERSION", RUBRIC_VERSION_STRING) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
