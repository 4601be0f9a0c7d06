/*
 * doc.h — a Markdown reference of rules modules, generated from their
 * source: every enum, record and field, `let` and `fn`, each with the
 * comment written above it (`rubric doc`, docs/stdlib.md).
 *
 * Comments are taken from the source text, not the token stream: the lines
 * of `#` comments directly above a declaration are its documentation.  A
 * comment line of dashes followed by a word (`# ------ Fee`) starts a
 * section of the reference.
 */
#ifndef RUBRIC_DOC_H
#define RUBRIC_DOC_H

#include <stdbool.h>
#include <stdint.h>

#include "sema.h"

/* Append the reference of the loaded files `files` (analysed by s) to out,
 * in the order given.  False when out of memory. */
bool doc_render(sema *s, const uint32_t *files, uint32_t nfiles, strbuf *out);

#endif /* RUBRIC_DOC_H */
