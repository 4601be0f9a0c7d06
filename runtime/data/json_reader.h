/*
 * json_reader.h — a pull tokenizer for one JSON document, behind a C
 * interface.  The implementation (json_reader.cpp) is the project's only
 * C++: it wraps simdjson's On-Demand API, and could be replaced by any
 * other parser without touching the callers.
 *
 * Usage: begin a document, then call json_next() until it returns the
 * token that closes the top-level value (or JT_ERROR).  Object members come
 * as JT_KEY followed by the tokens of the member's value.
 *
 *   {"a": [1, "x"]}  ->  OBJECT_START KEY(a) ARRAY_START NUMBER(1)
 *                        STRING(x) ARRAY_END OBJECT_END END
 *
 * Numbers are returned as their raw text, already checked against the JSON
 * number grammar, so that money can be parsed exactly by the caller.
 * Strings and keys are unescaped and valid UTF-8; their text stays valid
 * until the next json_begin() on this reader.
 */
#ifndef RUBRIC_JSON_READER_H
#define RUBRIC_JSON_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rubric.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes that must be readable (any value) after the end of a document. */
#define JSON_PADDING 64

typedef enum json_token {
    JT_ERROR = 0,    /* see json_error_message(); the document is abandoned */
    JT_OBJECT_START,
    JT_OBJECT_END,
    JT_ARRAY_START,
    JT_ARRAY_END,
    JT_KEY,          /* text: the unescaped key                            */
    JT_STRING,       /* text: the unescaped string                         */
    JT_NUMBER,       /* text: the raw number, e.g. "-12.50e3"              */
    JT_TRUE,
    JT_FALSE,
    JT_NULL,
    JT_END           /* the top-level value is complete                    */
} json_token;

typedef struct json_text {
    const char *ptr;
    size_t len;
} json_text;

typedef struct json_reader json_reader;

/* max_depth: deepest nesting of arrays and objects accepted (>= 1). */
json_reader *json_reader_new(const rubric_allocator *alloc, uint32_t max_depth);
void json_reader_free(json_reader *r);

/*
 * Start reading the document in buf[0..len).  buf[len .. len+JSON_PADDING)
 * must be readable.  Leading/trailing whitespace is allowed; anything else
 * after the top-level value is an error (reported by the json_next() that
 * would return JT_END).  An empty or all-whitespace document is an error.
 */
bool json_begin(json_reader *r, const char *buf, size_t len);

/* The next token.  After JT_ERROR or JT_END, returns the same again. */
json_token json_next(json_reader *r, json_text *text);

/* Skip the rest of the value whose first token was just returned (after
 * JT_OBJECT_START or JT_ARRAY_START: up to its matching end; after a KEY:
 * the whole member's value).  Every skipped token is still validated.
 * Returns false on error. */
bool json_skip(json_reader *r, json_token first);

/* Byte offset in buf of the start of the last token returned (of the
 * error's location after JT_ERROR). */
size_t json_offset(const json_reader *r);

/* Why the last JT_ERROR happened ("invalid number", "unclosed string",
 * "nesting deeper than 256", "trailing content after the document"). */
const char *json_error_message(const json_reader *r);

/* Whether the last JT_ERROR was the nesting limit (a resource limit rather
 * than malformed JSON). */
bool json_too_deep(const json_reader *r);

/* Whether the last JT_ERROR (or failed json_begin) was memory running out,
 * not malformed JSON. */
bool json_out_of_memory(const json_reader *r);

/*
 * The bytes the JSON parser holds to read a document of len bytes.
 * simdjson allocates its buffers with operator new, not through the
 * allocator: the unescaped strings (5/3 of the text) and the index of
 * structural characters (4 bytes per byte of text), plus a little per
 * level of nesting.  They grow to the largest document read and stay, so
 * a reader holds about 6 bytes per byte of the largest partner it has
 * read.  The memory limit counts them (worker.c).
 */
size_t json_parser_bytes(size_t len, uint32_t max_depth);

/* Check raw number text against the JSON grammar
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
bool json_number_valid(const char *s, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* RUBRIC_JSON_READER_H */
