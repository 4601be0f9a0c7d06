/*
 * stdlib_sources.h — the standard rules (stdlib-rules/), embedded in the
 * library by the build (cmake/embed_stdlib.cmake generates the table).
 */
#ifndef RUBRIC_STDLIB_SOURCES_H
#define RUBRIC_STDLIB_SOURCES_H

#include <stddef.h>

typedef struct stdlib_source {
    const char *module;  /* "apn.partner"                  */
    const char *path;    /* "<stdlib>/apn/partner.rubric"  */
    const char *text;    /* NUL-terminated                  */
    size_t len;
} stdlib_source;

extern const stdlib_source stdlib_sources[];
extern const unsigned stdlib_source_count;

#endif /* RUBRIC_STDLIB_SOURCES_H */
