/*
 * lower.h — lowering: the annotated AST of every program declared in a
 * root file becomes chunks of bytecode and a bc_program with its
 * requirement nodes, through the module builder.
 */
#ifndef RUBRIC_LOWER_H
#define RUBRIC_LOWER_H

#include <stdbool.h>

#include "sema.h"

/* Lower every program of the root files.  False when a program could not
 * be lowered (reported to the diagnostics: calls nested beyond the
 * bytecode's limit) or memory ran out.  `rubric check` runs it too. */
bool lower_programs(sema *s);

#endif /* RUBRIC_LOWER_H */
