/*
 * loader.h — the schema-driven data loader: JSON tokens -> typed records.
 *
 * The schema compiled into the module drives it; nothing about partners is
 * hard-coded in C.  For each declared field of a record:
 *
 *   type       JSON accepted                     stored as
 *   ---------  --------------------------------  ---------------------------
 *   int        integer number that fits int64:   VK_INT
 *              no fraction, no exponent (1.0,
 *              1e2 are errors)
 *   money      number (exponent allowed) or      VK_MONEY cents (money.h)
 *              decimal string -?d+(.d{1,2})?;
 *              at most two written decimals
 *   date       "YYYY-MM-DD", a real date         VK_DATE
 *   month      "YYYY-MM"                         VK_MONTH
 *   bool       true / false                      VK_BOOL
 *   string     string                            VK_STRING (copied to arena)
 *   enum E     string naming a value or an       VK_ENUM (alias -> its value)
 *              alias, exact case
 *   record R   object                            VK_RECORD
 *   list of T  array (absent or null: empty)     VK_LIST
 *   map of T   object with any keys (absent or   VK_MAP, keys in input order
 *              null: empty)
 *   T?         null or absent -> VK_NULL, else as T
 *
 * A field is required when it is marked FIELD_REQUIRED, or is neither
 * optional, a list, a map nor has a default; a required field that is
 * absent or null is an error.  A field with a default takes the default's
 * value when absent or null.  A field with `required_when` is required when
 * the named enum field of the same record (after its own default) has one
 * of the listed values.  The schema's key field is always required.
 *
 * Unknown keys are skipped (still validated as JSON: a partner that is not
 * valid JSON is rejected whole); with `strict` each is reported as a
 * warning.  A key given twice in one object (record or map) is an error.
 * The root record's tag field, when present and not null, must equal the
 * schema's name.
 *
 * Errors name the JSON path of the offending value relative to the partner
 * ("$.individuals[3].certifications[0].earned"; "$.self_assessment[\"RDS 1\"]"
 * for a key that is not an identifier) and the byte offset of the offending
 * token.  Errors about keys of an object (missing, duplicate, unknown
 * fields) name the object's path; a missing field's offset is that of its
 * object's "{".  The messages:
 *
 *   expected <what>, found <json>       <what>: an integer | money (a number
 *                                       or a decimal string) | a date
 *                                       ("YYYY-MM-DD") | a month ("YYYY-MM")
 *                                       | true or false | a string |
 *                                       Tier (a string) | Partner (an
 *                                       object) | a list (an array) | a map
 *                                       (an object); <json>: true, null,
 *                                       12.5, "text", an object, an array
 *   integer out of range: 99999999999999999999
 *   more than two decimals in money 10.500   (or "10.500" for a string)
 *   money out of range: 1e30
 *   invalid money "1e3": not a decimal number
 *   invalid date "2023-02-29": no such day in that month
 *                                       (reasons from cal_parse_date)
 *   invalid month "2023-13": month is out of range
 *   unknown value "Gold" for Tier (expected Registered, Select, Advanced,
 *       Premier or Standard)            (values, then aliases)
 *   missing required field "renewal_date"
 *   missing required field "material" (required when kind is divests)
 *   duplicate key "id"
 *   unsupported format "apn-partner/2" (expected "apn-partner/1")
 *   data nested deeper than 64 levels
 *   out of memory | memory limit reached
 *   <the JSON reader's message>         malformed JSON (json_reader.h): the
 *                                       path of the value (or unknown field)
 *                                       being read; "$" when found while
 *                                       consuming the rest of a partner
 *                                       after a schema error
 * Warning (strict): unknown field "foo".
 *
 * Performance: a load plan, built once per module and shared read-only by
 * any number of threads, holds per-record key tables (open addressing over
 * precomputed hashes, with a first probe at the field after the previous
 * one, since producers usually write fields in declaration order) and
 * per-enum name tables.  Loading allocates only in the caller's arena.
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

/* Deepest nesting of records, lists and maps that the loader follows. */
#define LOAD_MAX_NESTING 64

/* A loader's error is the one error record (rubric.h): status
 * RUBRIC_ERR_DATA, offset (of the offending token in the doc), path
 * ("$.individuals[3].registered") and message ("invalid date
 * \"2023-02-29\": no such day in that month", at most LOAD_MESSAGE_MAX
 * bytes with its NUL); the loader sets no other field. */
#define LOAD_MESSAGE_MAX 256

/* A warning about the data (strict mode: an unknown field). */
typedef struct load_warning {
    size_t offset;      /* byte offset of the key */
    char path[256];     /* the object holding it */
    char message[256];  /* "unknown field \"foo\"" */
} load_warning;

typedef void (*load_warning_fn)(void *user_data, const load_warning *warning);

typedef struct load_options {
    bool strict;                /* report unknown fields as warnings */
    load_warning_fn on_warning; /* may be NULL */
    void *user_data;
} load_options;

/* ------------------------------------------------------------ the plan */

typedef struct load_plan load_plan;

/*
 * Build the load plan of m's schema.  m must stay alive and unchanged while
 * the plan is used.  The plan is read-only: any number of threads may load
 * with it at once.  NULL on allocation failure, or when m has no schema or
 * its schema refers to records, types, enums or constants that do not exist
 * (a verified module never does).
 */
load_plan *load_plan_new(const bc_module *m, const rubric_allocator *alloc);
void load_plan_free(load_plan *plan);
const bc_module *load_plan_module(const load_plan *plan);

/*
 * Read one value of the schema's root record from r.  `first` is the
 * value's first token, just returned by json_next() (first_text its text;
 * may be NULL when first is not a string or number): the caller began the
 * document, or is walking an array of partners.  Strings, records, lists
 * and maps are allocated in `mem`.
 *
 * Returns true and sets *out (VK_RECORD).  Returns false with *err filled
 * (the first error; a JSON syntax error takes precedence).  Either way the
 * rest of the value is consumed when the JSON is well formed, so that the
 * caller may go on with the next element of an array; *json_ok tells
 * whether the token stream is still usable (false after a JSON syntax
 * error).  An allocation failure is reported as an error ("out of memory",
 * or "memory limit reached" when the arena's limit was hit).
 */
bool load_read(const load_plan *plan, json_reader *r, json_token first,
               const json_text *first_text, arena *mem, const load_options *options,
               value *out, rubric_error *err, bool *json_ok);

/* One partner in a buffer: json_begin + load_read + a check that nothing
 * follows.  buf must have JSON_PADDING readable bytes after len. */
bool load_read_text(const load_plan *plan, json_reader *r, const char *buf, size_t len,
                    arena *mem, const load_options *options, value *out,
                    rubric_error *err);

/* ------------------------------------------------------- compatibility */

/*
 * The same without a plan: each call builds a temporary plan in `mem`
 * (a few microseconds for the apn-partner/1 schema).  Fine for one-off use;
 * batch code should build one plan per module and call load_read_text().
 * load_partner() reads the value's first token itself.
 */
bool load_partner(const bc_module *m, json_reader *r, arena *mem,
                  const load_options *options, value *out, rubric_error *err,
                  bool *json_ok);
bool load_partner_text(const bc_module *m, json_reader *r, const char *buf,
                       size_t len, arena *mem, const load_options *options,
                       value *out, rubric_error *err);

#endif /* RUBRIC_LOADER_H */
