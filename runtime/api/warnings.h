/*
 * warnings.h — strict mode's warnings about a partner, held while it is
 * read and handed to the host's rubric_warning_fn afterwards, when the
 * partner's id is known (the loader meets unknown fields before it may
 * have read the id).
 */
#ifndef RUBRIC_WARNINGS_H
#define RUBRIC_WARNINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader.h"
#include "mem.h"
#include "rubric.h"

typedef struct held_warning {
    uint64_t offset;
    size_t path;     /* offsets of NUL-terminated strings in text */
    size_t message;
} held_warning;

typedef struct warning_list {
    const rubric_allocator *alloc;
    strbuf text;
    VEC(held_warning) items;
    bool failed;     /* sticky until cleared: a warning could not be held */
} warning_list;

void warnings_init(warning_list *l, const rubric_allocator *alloc);
void warnings_free(warning_list *l);
/* Forget the warnings (the memory is kept). */
void warnings_clear(warning_list *l);

/* A load_warning_fn: hold one warning of the loader (user_data: the
 * list). */
void warnings_hold(void *user_data, const load_warning *warning);

/* Call fn with each warning held, in order, placed by line and column in
 * text[0..len) (the partner's JSON), naming partner. */
void warnings_deliver(const warning_list *l, const char *text, size_t len,
                      const char *partner, rubric_warning_fn fn, void *user_data);

#endif /* RUBRIC_WARNINGS_H */
