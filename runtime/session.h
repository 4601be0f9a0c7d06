/*
 * session.h — internal access to what the public handles of rubric.h hold,
 * for the `rubric` command's batch evaluation.
 */
#ifndef RUBRIC_SESSION_H
#define RUBRIC_SESSION_H

#include "loader.h"
#include "module.h"
#include "rubric.h"

/* The verified module behind a public handle. */
const bc_module *session_module(const rubric_module *module);
/* Its load plan (shared read-only by every thread). */
const load_plan *session_load_plan(const rubric_module *module);

#endif /* RUBRIC_SESSION_H */
