/*
 * loader.h — the schema-driven data loader: JSON tokens -> typed records.
 *
 * The schema compiled into the module drives it; nothing about partners is
 * hard-coded in C.  For each declared field of a record:
 *
 *   type       JSON accepted                     stored as
 *   ---------  --------------------------------  ---------------------------
 *   int        number, integral, fits int64      VK_INT
 *   money      number or decimal string          VK_MONEY cents (money.h)
 *   date       "YYYY-MM-DD", a real date         VK_DATE
 *   month      "YYYY-MM"                         VK_MONTH
 *   bool       true / false                      VK_BOOL
 *   string     string                            VK_STRING (copied to arena)
 *   enum E     string naming a value or alias    VK_ENUM (alias -> its value)
 *   record R   object                            VK_RECORD
 *   list of T  array (absent or null: empty)     VK_LIST
 *   map of T   object with any keys              VK_MAP
 *   T?         null or absent -> VK_NULL, else as T
 *
 * A required field that is absent or null is an error; a field with a
 * default takes the default's value when absent or null.  Unknown keys are
 * skipped (still validated as JSON); with `strict` they are reported as
 * warnings.  A key given twice in one object is an error.  The root
 * record's tag field, when present, must equal the schema's name.
 *
 * Errors name the JSON path ("$.individuals[3].certifications[0].earned")
 * and the byte offset of the offending token.
 */
#ifndef RUBRIC_LOADER_H
#define RUBRIC_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json_reader.h"
#include "mem.h"
#include "module.h"
#include "value.h"

typedef struct load_error {
    size_t offset;      /* byte offset of the offending token in the doc  */
    char path[256];     /* "$.individuals[3].registered"                    */
    char message[256];  /* "invalid date \"2023-02-29\": 2023-02 has no day 29" */
} load_error;

/* A warning about the data (strict mode: an unknown field). */
typedef struct load_warning {
    size_t offset;
    char path[256];
    char message[256];
} load_warning;

typedef void (*load_warning_fn)(void *user_data, const load_warning *warning);

typedef struct load_options {
    bool strict;                /* report unknown fields as warnings */
    load_warning_fn on_warning; /* may be NULL */
    void *user_data;
} load_options;

/*
 * Read one value of the schema's root record from r, whose next token is
 * the start of that value (the caller called json_begin(), or is inside an
 * array of partners).  Strings, records and lists are allocated in `mem`.
 * On a schema error the rest of the value is consumed (so that the caller
 * may go on with the next element of an array) when the JSON itself is
 * well formed.
 *
 * Returns true and sets *out (VK_RECORD).  Returns false with *err filled;
 * *json_ok tells whether the token stream is still usable (false after a
 * JSON syntax error or an allocation failure).
 */
bool load_partner(const bc_module *m, json_reader *r, arena *mem,
                  const load_options *options, value *out, load_error *err,
                  bool *json_ok);

/* Convenience for callers with one partner in a buffer: json_begin + load +
 * check that nothing follows.  buf must have JSON_PADDING readable bytes
 * after len. */
bool load_partner_text(const bc_module *m, json_reader *r, const char *buf,
                       size_t len, arena *mem, const load_options *options,
                       value *out, load_error *err);

#endif /* RUBRIC_LOADER_H */
