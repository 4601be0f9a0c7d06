/*
 * diag.h — the compiler's source table and diagnostics.
 *
 * Every pass reports problems here with a location; nothing prints.  The
 * CLI renders them (diag_render) in the form of gcc and clang:
 *
 *   rules.rubric:12:29: error: Individual has no field 'acreditations'
 *      12 |       count(staff where any acreditations (earned <= as_of))
 *         |                             ^~~~~~~~~~~~~
 *   rules.rubric:12:29: note: did you mean 'accreditations'?
 */
#ifndef RUBRIC_DIAG_H
#define RUBRIC_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "mem.h"
#include "rubric.h"

typedef struct source_file {
    char *path;        /* as given, or "<stdlib>/apn/partner.rubric" */
    char *text;        /* NUL-terminated copy                        */
    size_t len;
    char *module_name; /* "apn.partner" when known, else NULL         */
    bool root;         /* given on the command line: its programs count */
} source_file;

typedef struct source_table {
    const rubric_allocator *alloc;
    VEC(source_file) files;
} source_table;

void sources_init(source_table *t, const rubric_allocator *alloc);
void sources_free(source_table *t);
/* Copy text in; returns the file index, or UINT32_MAX when out of memory. */
uint32_t sources_add(source_table *t, const char *path, const char *text,
                     size_t len, const char *module_name, bool root);

typedef struct diag {
    rubric_diag d;     /* file points to the source's path; message and
                          hint are owned by the list */
    uint32_t file;     /* source index */
    size_t message_size, hint_size; /* bytes allocated for them */
} diag;

typedef struct diag_list {
    const rubric_allocator *alloc;
    const source_table *sources;
    VEC(diag) items;
    uint32_t errors;
    bool oom;          /* sticky: a diagnostic could not be recorded */
} diag_list;

void diags_init(diag_list *l, const rubric_allocator *alloc,
                const source_table *sources);
void diags_free(diag_list *l);

/* Report an error at loc (the underline spans loc on its first line). */
void diag_error(diag_list *l, ast_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(diag_list *l, ast_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Attach a hint ("did you mean 'x'?") to the last diagnostic. */
void diag_hint(diag_list *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Render every diagnostic, in order of report. */
void diag_render_all(const diag_list *l, bool color, strbuf *out);

/*
 * The candidate closest to `name` by edit distance (insertions, deletions,
 * substitutions, adjacent transpositions), if it is close enough to be a
 * plausible typo: distance <= max(1, strlen(name) / 3).  NULL otherwise.
 */
const char *suggest_name(const char *name, const char *const *candidates,
                         size_t count);

#endif /* RUBRIC_DIAG_H */
