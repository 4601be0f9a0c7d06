/*
 * json_split.h — finding the elements of a JSON array of partners as the
 * file streams in, without parsing them.
 *
 * The scanner is fed the file's bytes in pieces of any size.  It tracks
 * only what decides where a top-level element ends (strings, their escapes
 * and the nesting of brackets) and checks the array's own structure: the
 * commas between elements, the closing bracket, nothing but whitespace
 * after it, and the nesting limit.  What is inside an element is left to
 * the JSON reader that parses it later (json_reader.h).  It counts lines as
 * it goes, so that every event has a line and a column (from 1, in bytes).
 *
 * A file whose first non-blank byte is not '[' is a single document: the
 * scanner says so (JSPLIT_DOCUMENT) and reads no further.
 *
 *   [ {"id": "a"} , 42 ]   ->  OBJECT_START OBJECT_END NOT_OBJECT MORE,
 *                              then json_split_finish(): DONE
 */
#ifndef RUBRIC_JSON_SPLIT_H
#define RUBRIC_JSON_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rubric.h"

typedef enum json_split_event {
    JSPLIT_MORE,         /* every byte given was consumed                   */
    JSPLIT_OBJECT_START, /* the last byte consumed opens an object element  */
    JSPLIT_OBJECT_END,   /* the last byte consumed closes that element      */
    JSPLIT_NOT_OBJECT,   /* the last byte consumed starts an element that is
                            not an object (it is skipped, not reported again) */
    JSPLIT_DOCUMENT,     /* the last byte consumed starts a document that is
                            not an array; nothing more is scanned           */
    JSPLIT_DONE,         /* (json_split_finish) the array was closed        */
    JSPLIT_ERROR         /* see message; nothing more is scanned            */
} json_split_event;

typedef struct json_split {
    const rubric_allocator *alloc;
    uint32_t max_depth;
    int state;               /* where in the array (json_split.c)             */
    bool in_string, escaped;
    bool element_is_object;
    uint32_t depth;          /* open brackets, the array's own included       */
    char *closers;           /* [depth]: the bracket that closes each one     */
    uint32_t closers_cap;
    uint64_t offset;         /* bytes consumed                                */
    uint64_t line;           /* the line being scanned                        */
    uint64_t line_start;     /* offset of its first byte                      */
    uint64_t string_line, string_column; /* the open string's quote           */
    /* The last event's byte (for JSPLIT_ERROR at the end: where it ends). */
    uint64_t event_line, event_column;
    const char *message;     /* JSPLIT_ERROR: "expected ',' or ']'"          */
    bool rest_skipped;       /* JSPLIT_ERROR: partners may follow, unread     */
    bool out_of_memory;      /* JSPLIT_ERROR: it was an allocation that failed */
    char depth_message[48];
} json_split;

/* max_depth: deepest nesting accepted, the array counting as 1 (0 = 256,
 * as the JSON reader of a worker). */
void json_split_init(json_split *s, const rubric_allocator *alloc, uint32_t max_depth);
void json_split_free(json_split *s);

/* Scan bytes[0..len) until an event; *used is the number of bytes consumed
 * (the event's byte, if any, is the last of them). */
json_split_event json_split_feed(json_split *s, const char *bytes, size_t len, size_t *used);

/* The input has ended: JSPLIT_DONE when the array was closed (or the input
 * was a document), else JSPLIT_ERROR ("empty document", "unclosed string",
 * "unexpected end of the document"). */
json_split_event json_split_finish(json_split *s);

#endif /* RUBRIC_JSON_SPLIT_H */
