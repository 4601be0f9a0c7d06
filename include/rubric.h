/*
 * rubric.h — the one public header of librubric.
 *
 * Rubric compiles partner-program rules to verified bytecode and evaluates
 * partner data files against them.  The library has two halves:
 *
 *   compiler   rules source (.rubric)  ->  bytecode bytes (.rbc)
 *   runtime    bytecode bytes          ->  module (verified, immutable)
 *              module + partner JSON   ->  report (typed results per program)
 *
 * Conventions
 *   - Every object is behind an opaque handle and is created and freed by a
 *     pair of functions.  There is no global mutable state.
 *   - A loaded module is immutable and may be shared by any number of
 *     threads.  Each thread evaluates with its own session.
 *   - Every allocation goes through the allocator of rubric_config, except
 *     the JSON parser's buffers (docs/embedding.md, "Memory").  Out of
 *     memory anywhere is RUBRIC_ERR_NOMEM.
 *   - The library never prints, never calls exit() or abort(); failures are
 *     returned as rubric_status codes with a message the caller may fetch.
 */
#ifndef RUBRIC_H
#define RUBRIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define RUBRIC_API __attribute__((visibility("default")))
#define RUBRIC_NODISCARD __attribute__((warn_unused_result))
#else
#define RUBRIC_API
#define RUBRIC_NODISCARD
#endif

#define RUBRIC_VERSION_MAJOR 0
#define RUBRIC_VERSION_MINOR 1
#define RUBRIC_VERSION_PATCH 0
#define RUBRIC_VERSION_STRING "0.1.0"
/* The same string; compare it with rubric_version() to find a header that
 * does not match the library (docs/embedding.md, "Versioning"). */
#define RUBRIC_VERSION RUBRIC_VERSION_STRING
/* One number that grows with every release: 1002003 for 1.2.3. */
#define RUBRIC_VERSION_NUMBER                                                   \
    (RUBRIC_VERSION_MAJOR * 1000000 + RUBRIC_VERSION_MINOR * 1000 + RUBRIC_VERSION_PATCH)

/* The version of rubric_config this header describes.  2: the interrupt
 * and warning hooks. */
#define RUBRIC_CONFIG_VERSION 2

/* "MAJOR.MINOR.PATCH" of the library linked, which may differ from the
 * RUBRIC_VERSION of the header a program was compiled with.  A static
 * string: never free it. */
RUBRIC_API const char *rubric_version(void);

/* ------------------------------------------------------------------------ */
/* Status codes                                                              */
/* ------------------------------------------------------------------------ */

typedef enum rubric_status {
    RUBRIC_OK = 0,
    RUBRIC_ERR_NOMEM,    /* the allocator returned NULL                      */
    RUBRIC_ERR_IO,       /* a file could not be read or written              */
    RUBRIC_ERR_COMPILE,  /* the rules have errors (see the diagnostics)      */
    RUBRIC_ERR_BYTECODE, /* the bytecode was rejected by the reader/verifier */
    RUBRIC_ERR_DATA,     /* the partner data is malformed or breaks schema   */
    RUBRIC_ERR_EVAL,     /* evaluation failed (overflow, missing checklist)  */
    RUBRIC_ERR_LIMIT,    /* a resource limit was exceeded                    */
    RUBRIC_ERR_USAGE,    /* an argument is invalid                           */
    RUBRIC_ERR_INTERRUPTED /* the host asked to stop (rubric_config)        */
} rubric_status;

/* A short English name of a status ("data error"). */
RUBRIC_API const char *rubric_status_name(rubric_status status);

/* ------------------------------------------------------------------------ */
/* Configuration                                                             */
/* ------------------------------------------------------------------------ */

/*
 * One realloc-style hook for every allocation, as in Lua:
 *   new_size == 0         free ptr (old_size is its size); return NULL
 *   ptr == NULL           allocate new_size bytes
 *   otherwise             resize ptr from old_size to new_size bytes
 * Returning NULL for a non-zero new_size is an allocation failure.
 */
typedef void *(*rubric_realloc_fn)(void *user_data, void *ptr, size_t old_size,
                                   size_t new_size);

typedef struct rubric_allocator {
    rubric_realloc_fn realloc;
    void *user_data;
} rubric_allocator;

/* Bounds on what one evaluation of one partner may cost.  0 = unlimited. */
typedef struct rubric_limits {
    uint64_t max_instructions; /* VM instructions + list elements visited  */
    size_t max_memory;         /* bytes per partner: its session arena and
                                  the JSON parser's buffers for its text
                                  (docs/embedding.md, "Memory")           */
    size_t max_input_bytes;    /* bytes of one partner's JSON text          */
    uint32_t max_depth;        /* JSON nesting depth                        */
} rubric_limits;

/*
 * Asked at safe points of an evaluation (docs/embedding.md, "Interrupting
 * an evaluation"): return true to stop it with RUBRIC_ERR_INTERRUPTED.
 * Called on the evaluating thread; it must not call back into the session.
 */
typedef bool (*rubric_interrupt_fn)(void *user_data);

/* A warning about a partner's data: in strict mode, a field the schema does
 * not declare.  The strings are valid during the call only. */
typedef struct rubric_warning {
    const char *partner;  /* the partner's id, or "" when it was not read  */
    const char *path;     /* the object holding it: "$.individuals[0]"     */
    const char *message;  /* "unknown field \"nickname\""                 */
    uint64_t offset;      /* byte offset of the field's key in the text    */
    uint32_t line;        /* where that is: line and column (bytes) from 1 */
    uint32_t column;
} rubric_warning;

/* Receives each warning, on the evaluating thread, after the partner is
 * read and before rubric_session_eval returns (docs/embedding.md,
 * "Warnings"). */
typedef void (*rubric_warning_fn)(void *user_data, const rubric_warning *warning);

typedef struct rubric_config {
    uint32_t version;           /* RUBRIC_CONFIG_VERSION                     */
    rubric_allocator allocator; /* default: the C library's realloc/free    */
    rubric_limits limits;       /* defaults: see rubric_config_init()        */
    /* Since version 2; read only when version >= 2.  Default: none. */
    /* Stop when *interrupt_flag is non-zero: set it (an atomic or plain
     * int store) from a signal handler or another thread; the library only
     * reads it.  Evaluations stop while it stays set: clear it to go on. */
    const volatile int *interrupt_flag;
    rubric_interrupt_fn interrupt;      /* or when this returns true        */
    void *interrupt_data;
    rubric_warning_fn warning;          /* strict mode's warnings           */
    void *warning_data;
} rubric_config;

/*
 * Fill a configuration with defaults: the C library allocator and limits
 * that no honest input reaches (10^10 instructions, 4 GiB of memory,
 * 1 GiB of input, depth 256).
 */
RUBRIC_API void rubric_config_init(rubric_config *config);

/* ------------------------------------------------------------------------ */
/* Reading input files                                                       */
/* ------------------------------------------------------------------------ */

/*
 * Read a whole file the way the library reads rules and bytecode files:
 * only a regular file (a FIFO or a device is refused without blocking on
 * it), of at most max bytes (checked before reading, and while reading).
 * On success *text holds the bytes and a NUL after them (*length bytes
 * before it), allocated with the configured allocator (with the default
 * one, free() releases it); release with rubric_free(config, *text,
 * *size).  On failure why (when not NULL) receives the reason, naming the
 * file: RUBRIC_ERR_IO "cannot read X: No such file or directory", "X is not
 * a regular file"; RUBRIC_ERR_LIMIT "X is too large (N bytes, at most M)";
 * RUBRIC_ERR_NOMEM.
 */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_read_file(const rubric_config *config, const char *path, size_t max, char **text,
                 size_t *length, size_t *size, char *why, size_t why_size);

/* The same from an open descriptor (standard input), called name in the
 * reasons: anything but a directory is read to its end (a pipe, a
 * terminal), still at most max bytes. */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_read_stream(const rubric_config *config, int fd, const char *name, size_t max,
                   char **text, size_t *length, size_t *size, char *why, size_t why_size);

/* ------------------------------------------------------------------------ */
/* Diagnostics                                                               */
/* ------------------------------------------------------------------------ */

typedef enum rubric_severity {
    RUBRIC_SEVERITY_ERROR,
    RUBRIC_SEVERITY_WARNING,
    RUBRIC_SEVERITY_NOTE
} rubric_severity;

/* One diagnostic about rules source.  Lines and columns count from 1;
 * columns count bytes.  Strings live as long as the compiler. */
typedef struct rubric_diag {
    rubric_severity severity;
    const char *file;        /* path as given, or "<stdlib>/apn/partner.rubric" */
    uint32_t line;
    uint32_t column;
    uint32_t length;         /* bytes underlined from column (>= 1)        */
    const char *message;     /* "Individual has no field 'acreditations'"   */
    const char *hint;        /* "did you mean 'accreditations'?" or NULL    */
} rubric_diag;

/* ------------------------------------------------------------------------ */
/* Compiler                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct rubric_compiler rubric_compiler;

/* NULL config = defaults.  Returns NULL when out of memory. */
RUBRIC_API rubric_compiler *rubric_compiler_new(const rubric_config *config);
RUBRIC_API void rubric_compiler_free(rubric_compiler *compiler);

/* A root rules file, read from disk.  Its programs are the ones compiled.
 * Only a regular file of at most 64 MiB is read: RUBRIC_ERR_IO when it
 * cannot be read or is not a regular file (a directory, a FIFO, a device),
 * RUBRIC_ERR_LIMIT when it is larger. */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_compiler_add_file(rubric_compiler *compiler, const char *path);

/* A root rules file given as text (path is used in diagnostics). */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_compiler_add_source(rubric_compiler *compiler, const char *path,
                           const char *text, size_t length);

/* A module that `import` may name without a file on disk (the standard
 * library is registered this way).  The text is copied. */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_compiler_add_module(rubric_compiler *compiler, const char *module_name,
                           const char *path, const char *text, size_t length);

/* Make the standard rules built into the library (stdlib-rules/) importable
 * (`import apn.partner`); with compile_programs, also compile every
 * program they declare, as rubric eval does by default. */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_compiler_use_stdlib(rubric_compiler *compiler, bool compile_programs);

/* A directory searched for `import a.b` as DIR/a/b.rubric, after the
 * importing file's module root and before the registered modules
 * (docs/language.md, "Files, modules and imports"). */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_compiler_add_search_path(rubric_compiler *compiler, const char *dir);

/*
 * Parse, resolve, type-check and lower every root file and what they import.
 * On success *bytecode (allocated with the configured allocator; release
 * with rubric_free) holds the verified bytecode.  On RUBRIC_ERR_COMPILE the
 * diagnostics say why.  check_only: report the same diagnostics, but stop
 * before verifying and writing the bytecode.
 */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_compiler_run(rubric_compiler *compiler, bool check_only,
                    void **bytecode, size_t *length);

/*
 * A Markdown reference of rules modules: every enum, record and field, let
 * and fn, with its type and the `#` comment written above it (`rubric doc`,
 * docs/stdlib.md).  The root files added are documented first, then the
 * modules named (found as an import of them is: search paths, then
 * registered modules such as the standard rules).  On success *markdown
 * (NUL-terminated; release with rubric_free(NULL, *markdown, *length + 1))
 * holds the text; on
 * RUBRIC_ERR_COMPILE the diagnostics say why.
 */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_compiler_document(rubric_compiler *compiler, const char *const *modules,
                         size_t count, char **markdown, size_t *length);

RUBRIC_API size_t rubric_compiler_diag_count(const rubric_compiler *compiler);
RUBRIC_API const rubric_diag *rubric_compiler_diag(const rubric_compiler *compiler,
                                                   size_t index);

/*
 * Render every diagnostic in the form of gcc and clang:
 *   file:line:col: error: message
 *      12 |   source line
 *         |   ^~~~~
 *   file:line:col: note: hint
 * Returns a NUL-terminated string to release with rubric_free, or NULL.
 */
RUBRIC_API char *rubric_compiler_render_diags(const rubric_compiler *compiler,
                                              bool color);

/* Release memory that a rubric_* function returned. */
RUBRIC_API void rubric_free(const rubric_config *config, void *ptr, size_t size);

/* ------------------------------------------------------------------------ */
/* Rule tests                                                                */
/* ------------------------------------------------------------------------ */

/*
 * A rule-test file (`*_test.rubric`, docs/language.md "Tests") holds cases:
 * a partner, a date, a program, and the outcomes expected.  The compiler
 * reads it with the grammar of rules files (the same strings, escapes,
 * numbers, money and dates) into the structures below; evaluating the
 * cases is the caller's (`rubric test` does it).
 */

/* Where something is written in a test file: line and column from 1,
 * length in bytes on that line.  Line 0: not written. */
typedef struct rubric_test_span {
    uint32_t line;
    uint32_t column;
    uint32_t length;
} rubric_test_span;

typedef enum rubric_test_value_kind {
    RUBRIC_TEST_NONE = 0, /* not written                                   */
    RUBRIC_TEST_INT,      /* a count: 4                                    */
    RUBRIC_TEST_MONEY,    /* $10,498.56; number: cents                     */
    RUBRIC_TEST_BOOL,     /* true or false; number: 1 or 0                 */
    RUBRIC_TEST_NULL,     /* null                                          */
    RUBRIC_TEST_DATE,     /* 2026-12-15; number: days since 1970-01-01     */
    RUBRIC_TEST_MONTH,    /* 2026-01; number: year * 12 + month - 1        */
    RUBRIC_TEST_STRING,   /* "text"; text: unescaped                       */
    RUBRIC_TEST_NAME      /* Select, met, none, parent.part; text: the name */
} rubric_test_value_kind;

/* A value or a name written in a test file. */
typedef struct rubric_test_value {
    rubric_test_value_kind kind;
    int64_t number;        /* INT, MONEY, BOOL, DATE, MONTH                 */
    const char *text;      /* STRING, NAME: NUL-terminated; else NULL       */
    size_t length;         /* bytes of text                                 */
    rubric_test_span at;
} rubric_test_value;

typedef enum rubric_expect_kind {
    RUBRIC_EXPECT_REQUIREMENT,      /* expect TIER|renewal REQ STATUS [ACTUAL]   */
    RUBRIC_EXPECT_ABSENT,           /* expect TIER REQ absent                    */
    RUBRIC_EXPECT_ELIGIBLE_TIER,    /* expect eligible_tier TIER|none            */
    RUBRIC_EXPECT_CURRENT_TIER,     /* expect current_tier TIER                  */
    RUBRIC_EXPECT_RENEWAL_TIER,     /* expect renewal_tier TIER|none             */
    RUBRIC_EXPECT_RENEWAL_STATUS,   /* expect renewal_status STATUS|none         */
    RUBRIC_EXPECT_REVIEW_DATE,      /* expect review_date DATE                   */
    RUBRIC_EXPECT_UPGRADE_TIER,     /* expect upgrade_tier TIER|none             */
    RUBRIC_EXPECT_UPGRADE_ELIGIBLE, /* expect upgrade_eligible true|false        */
    RUBRIC_EXPECT_ITEM_REQUIREMENT, /* expect application "LABEL" REQ STATUS [ACTUAL] */
    RUBRIC_EXPECT_ITEM_STATUS,      /* expect application "LABEL" ready|not_ready */
    RUBRIC_EXPECT_ROW,              /* expect LIST ROW COLUMN VALUE              */
    RUBRIC_EXPECT_NOT_APPLIED,      /* expect not_applied                        */
    RUBRIC_EXPECT_ERROR             /* expect error "part of the message"        */
} rubric_expect_kind;

/* One `expect` line.  The fields a kind does not use are RUBRIC_TEST_NONE. */
typedef struct rubric_test_expect {
    rubric_expect_kind kind;
    rubric_test_value word;        /* NAME: the word after `expect`            */
    rubric_test_value subject;     /* NAME: a tier or `renewal`; a report list.
                                      STRING: an application's label          */
    rubric_test_value requirement; /* NAME: "id" or "parent.part"; a column    */
    rubric_test_value status;      /* NAME: met ... not_applicable; ready ...  */
    rubric_test_value row;         /* INT: a report list's row, from 1         */
    rubric_test_value value;       /* the actual value expected; what a scalar
                                      expectation names; an error's text      */
} rubric_test_expect;

typedef struct rubric_test_case {
    rubric_test_value title;       /* STRING                                    */
    rubric_test_value as_of;       /* DATE, or NONE                             */
    rubric_test_value program;     /* STRING, or NONE                           */
    rubric_test_value data_file;   /* STRING: the path as written, relative to
                                      the test file's directory; or NONE       */
    rubric_test_value data_block;  /* STRING: the JSON written under `data`, as
                                      is (valid JSON); at: its first byte      */
    rubric_test_span data_at;      /* where the data is named                   */
    const rubric_test_expect *expects;
    size_t expect_count;
} rubric_test_case;

typedef struct rubric_test_file {
    const char *path;
    const rubric_test_case *cases;
    size_t case_count;
} rubric_test_file;

/*
 * Parse a rule-test file given as text; path names it in diagnostics.
 * Mistakes are diagnostics of the compiler (rubric_compiler_diag,
 * rubric_compiler_render_diags), each where it is written; the parse goes
 * on at the next line, so a file reports them all.  *tests holds every
 * test read (settings written once at the top of the file are copied into
 * the tests below them) and lives as long as the compiler.  Returns
 * RUBRIC_ERR_COMPILE when the file has errors (*tests is still set),
 * RUBRIC_ERR_NOMEM, or RUBRIC_ERR_USAGE.  Names are not checked against any
 * rules here.
 */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_compiler_parse_tests(rubric_compiler *compiler, const char *path,
                            const char *text, size_t length,
                            const rubric_test_file **tests);

/* ------------------------------------------------------------------------ */
/* Formatting                                                                */
/* ------------------------------------------------------------------------ */

/* What a source holds: rules, or rule tests (a *_test.rubric file). */
typedef enum rubric_source_kind {
    RUBRIC_SOURCE_RULES,
    RUBRIC_SOURCE_TESTS
} rubric_source_kind;

/*
 * The text of a rules or rule-test source in the one canonical style
 * (`rubric fmt`, docs/fmt.md): the same tokens and comments, the same
 * line breaks, spaced and indented one way.  The source is read by the
 * compiler's own grammar; path names it in diagnostics.  On success
 * *formatted (NUL-terminated; release with rubric_free(config, *formatted,
 * *formatted_length + 1), config as given to rubric_compiler_new) holds
 * the text.  RUBRIC_ERR_COMPILE when the
 * source has syntax errors (the compiler's diagnostics say where; nothing
 * is formatted), RUBRIC_ERR_NOMEM, RUBRIC_ERR_USAGE.  Names and types
 * are not checked.
 */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_compiler_format(rubric_compiler *compiler, const char *path,
                       const char *text, size_t length, rubric_source_kind kind,
                       char **formatted, size_t *formatted_length);

/* ------------------------------------------------------------------------ */
/* Modules (loaded bytecode)                                                 */
/* ------------------------------------------------------------------------ */

typedef struct rubric_module rubric_module;

/*
 * Read and verify bytecode.  The bytes are copied; the module is immutable
 * and thread-safe.  On failure *module is NULL and error (if not NULL)
 * receives a NUL-terminated reason, truncated to error_size.
 */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_module_load(const rubric_config *config, const void *bytes, size_t length,
                   rubric_module **module, char *error, size_t error_size);

RUBRIC_API void rubric_module_free(rubric_module *module);

RUBRIC_API size_t rubric_module_program_count(const rubric_module *module);
RUBRIC_API const char *rubric_module_program_id(const rubric_module *module,
                                                size_t index);
RUBRIC_API const char *rubric_module_schema_name(const rubric_module *module);

/* The largest bytecode rubric_module_load accepts. */
#define RUBRIC_MAX_BYTECODE_SIZE (256u << 20)

/* A readable listing of the module (constants, schema, programs,
 * instructions), NUL-terminated; release with rubric_free(config, text,
 * *size).  NULL when out of memory. */
RUBRIC_API char *rubric_module_disassemble(const rubric_module *module, size_t *size);

/* ------------------------------------------------------------------------ */
/* Evaluation                                                                */
/* ------------------------------------------------------------------------ */

typedef struct rubric_session rubric_session;
typedef struct rubric_report rubric_report;

typedef enum rubric_req_status {
    RUBRIC_MET,
    RUBRIC_NOT_MET,
    RUBRIC_AT_RISK,
    RUBRIC_GRACE,
    RUBRIC_NOT_APPLICABLE
} rubric_req_status;

/* "met", "not_met", "at_risk", "grace", "not_applicable" */
RUBRIC_API const char *rubric_req_status_name(rubric_req_status status);

typedef struct rubric_eval_options {
    const char *as_of;             /* "YYYY-MM-DD"; required                 */
    const char *const *programs;   /* ids to evaluate; NULL = all that apply */
    size_t program_count;
    bool strict;                   /* unknown fields become warnings         */
} rubric_eval_options;

/*
 * Why an evaluation failed, filled where the failure happened
 * (docs/embedding.md, "Errors").  Strings are NUL-terminated, "" when they
 * do not apply; line 0 when the failure is at no place in the text.
 */
typedef struct rubric_error {
    rubric_status status;
    uint64_t offset;      /* byte offset in the partner's JSON text        */
    char path[256];       /* "$.individuals[3].registered", or ""          */
    char message[512];    /* "invalid date \"2023-02-29\": no such day ..." */
    char file[256];       /* the input's name, when there is one, else ""  */
    uint32_t line;        /* the offending token: line from 1, and column */
    uint32_t column;      /* from 1 in bytes; 0 when not a data error      */
    char partner[256];    /* the partner's id once it was read, else ""    */
} rubric_error;

/* A session evaluates one partner at a time; its memory is reused. */
RUBRIC_API rubric_session *rubric_session_new(const rubric_module *module,
                                              const rubric_config *config);
RUBRIC_API void rubric_session_free(rubric_session *session);

/*
 * Evaluate one partner object (JSON text) against every selected program
 * that applies to it.  The report is valid until the next evaluation in
 * this session or until the session is freed.
 */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_session_eval(rubric_session *session, const char *json, size_t length,
                    const rubric_eval_options *options,
                    const rubric_report **report, rubric_error *error);

/* Report accessors: one report per partner, one result per program. */
RUBRIC_API const char *rubric_report_partner_id(const rubric_report *report);
RUBRIC_API size_t rubric_report_result_count(const rubric_report *report);
RUBRIC_API const char *rubric_report_program_id(const rubric_report *report,
                                                size_t result);
/* Programs whose result is withheld because the rules call one of the
 * partner's items an error (`error when`): the partner's other results
 * stand.  A message names the program, the item and why. */
RUBRIC_API size_t rubric_report_withheld_count(const rubric_report *report);
RUBRIC_API const char *rubric_report_withheld(const rubric_report *report, size_t index);
/* Eligible tier name, or NULL when not even the first tier is satisfied. */
RUBRIC_API const char *rubric_report_eligible_tier(const rubric_report *report,
                                                   size_t result);
/* Renewal status of the current tier; false when there is no renewal. */
RUBRIC_API bool rubric_report_renewal_status(const rubric_report *report,
                                             size_t result,
                                             rubric_req_status *status);
/* Status of requirement (or part, "parent.part") id at tier in the rolling
 * view; false when the tier has no such requirement. */
RUBRIC_API bool rubric_report_requirement_status(const rubric_report *report,
                                                 size_t result, const char *tier,
                                                 const char *requirement_id,
                                                 rubric_req_status *status);

/* ------------------------------------------------------------------------ */
/* Results as data                                                           */
/* ------------------------------------------------------------------------ */

/*
 * The results of a report as plain, read-only structs: everything the
 * result formats print (`rubric eval -f json|jsonl|text|csv|html` writes
 * them from these very structs), without JSON.
 *
 *   rubric_result              one program evaluated for the partner
 *     tiered program:
 *       tiers[]                the rolling view of each tier, lowest first
 *       renewal                the renewal view of the current tier (or NULL)
 *       upgrade                the rolling view of the next tier (or NULL)
 *         rubric_view          tier, status, satisfied, eligible, review date
 *           requirements[]     in rule order, each with its parts[]
 *           categories[]       the same requirements under their headings
 *     per-item program:
 *       items[]                label, ready or not, requirements, categories
 *     lists[]                  report lists: columns and rows of values
 *   rubric_program_error       a program whose result is withheld
 *
 * Lifetime and ownership: the structs are built in the session's memory the
 * first time they are asked for, then kept; like the report they are valid
 * until the next rubric_session_eval in the session or rubric_session_free.
 * They belong to the session: never free or modify them.  Building them
 * does not count against limits.max_memory (their size follows from the
 * results'); it fails only when the allocator does.  Strings are UTF-8 and
 * NUL-terminated, except a rubric_value's string (use its length).
 */

typedef enum rubric_value_kind {
    RUBRIC_VALUE_NULL,   /* no value: not applicable, a choice, an empty optional */
    RUBRIC_VALUE_BOOL,   /* as.boolean                                      */
    RUBRIC_VALUE_COUNT,  /* as.count: an integer (a count, months)          */
    RUBRIC_VALUE_MONEY,  /* as.cents: exact US dollars, in cents            */
    RUBRIC_VALUE_DATE,   /* as.date                                         */
    RUBRIC_VALUE_MONTH,  /* as.month                                        */
    RUBRIC_VALUE_ENUM,   /* as.enumerated: a value of an enum of the rules  */
    RUBRIC_VALUE_STRING  /* as.string                                       */
} rubric_value_kind;

typedef struct rubric_date {
    int32_t days;        /* since 1970-01-01 (negative before it)           */
    int16_t year;        /* 1..9999                                         */
    uint8_t month;       /* 1..12                                           */
    uint8_t day;         /* 1..31                                           */
} rubric_date;

/* A date written YYYY-MM-DD (years 0001 to 9999), as the rules and the
 * data write dates: true with *date filled in; false with *why (when not
 * NULL) a static reason, such as "month is out of range". */
RUBRIC_API bool rubric_date_parse(const char *text, size_t length, rubric_date *date,
                                  const char **why);

/* Days since 1970-01-01 written YYYY-MM-DD, NUL-terminated (11 bytes). */
RUBRIC_API void rubric_date_format(int32_t days, char out[11]);

typedef struct rubric_month {
    int16_t year;        /* 1..9999                                         */
    uint8_t month;       /* 1..12                                           */
} rubric_month;

typedef struct rubric_value {
    rubric_value_kind kind;
    union {
        bool boolean;
        int64_t count;
        int64_t cents;          /* 1049856 is $10,498.56                   */
        rubric_date date;
        rubric_month month;
        struct {
            const char *name;   /* "new_application"; NULL when unknown    */
            uint32_t index;     /* its place in the enum's declaration     */
        } enumerated;
        struct {
            const char *chars;  /* not NUL-terminated in general           */
            size_t length;      /* bytes                                   */
        } string;
    } as;
} rubric_value;

/* What a requirement's actual and required values measure. */
typedef enum rubric_unit {
    RUBRIC_UNIT_COUNT,   /* integers                                        */
    RUBRIC_UNIT_USD,     /* money                                           */
    RUBRIC_UNIT_MONTHS,  /* integers, in months                             */
    RUBRIC_UNIT_BOOL,    /* booleans: required is true                      */
    RUBRIC_UNIT_CHOICE   /* no values: met when any part (alternative) is   */
} rubric_unit;

/* "count", "usd", "months", "bool", "choice" (the JSON's "unit"). */
RUBRIC_API const char *rubric_unit_name(rubric_unit unit);

/* How actual is compared with required. */
typedef enum rubric_comparison {
    RUBRIC_COMPARE_AT_LEAST,  /* actual >= required                         */
    RUBRIC_COMPARE_AT_MOST,   /* actual <= required                         */
    RUBRIC_COMPARE_TRUE       /* actual is true (yes-or-no requirements)    */
} rubric_comparison;

typedef struct rubric_requirement rubric_requirement;

/* One requirement, or one part of one, in one view. */
struct rubric_requirement {
    const char *id;             /* "launched_opportunities"; a part's own: "mrr" */
    const char *name;           /* "Launched Opportunities"                 */
    const char *category;       /* "Experience"; a part takes its parent's  */
    uint32_t index;             /* its place in the program's requirements
                                   and parts, in rule order: the same in
                                   every view and item of the result        */
    const rubric_requirement *parent;  /* NULL for a requirement            */
    rubric_req_status status;
    bool time_bound;            /* counts only what falls in the view's window */
    rubric_unit unit;
    rubric_comparison comparison;
    rubric_value actual;        /* null when not applicable, and for choice */
    rubric_value required;      /* the threshold; null for choice           */
    /* The sentence the text and html scorecards print for this gap
     * ("needs 15 more launched opportunities", "... [at risk]"), or NULL:
     * when it is met or not applicable; when it is short only through its
     * parts (they say it); for the alternatives of a choice (the choice
     * says it); and under a requirement that is met. */
    const char *gap;
    size_t gap_length;
    size_t part_count;
    const rubric_requirement *parts;   /* those this view has, in order    */
};

/* Requirement "id", or part "id.part" ("id.part.sub" for parts of parts),
 * in a list of requirements (a view's or an item's); NULL when absent. */
RUBRIC_API const rubric_requirement *
rubric_requirement_find(const rubric_requirement *requirements, size_t count,
                        const char *path);

/* The requirements of a view or item that one category heading covers. */
typedef struct rubric_category {
    const char *name;           /* "Knowledge"                              */
    size_t requirement_count;
    const rubric_requirement *requirements;  /* a run of the list's, in order */
} rubric_category;

typedef enum rubric_view_kind {
    RUBRIC_VIEW_ROLLING,  /* a tier in the rolling window (eligibility)     */
    RUBRIC_VIEW_RENEWAL,  /* the current tier in the renewal window         */
    RUBRIC_VIEW_UPGRADE   /* the next tier, in the rolling window           */
} rubric_view_kind;

/* "rolling", "renewal", "upgrade". */
RUBRIC_API const char *rubric_view_kind_name(rubric_view_kind kind);

/*
 * One tier in one view.  The upgrade view is the rolling view of the next
 * tier (the same requirements).  status: not_met when a requirement is not
 * met, else at_risk when one is at risk, else met (for the renewal view,
 * the renewal status).  satisfied: status is met (every requirement met,
 * in grace or not applicable).  eligible: the partner qualifies for the
 * tier in the rolling view (it and every tier below it satisfied).
 */
typedef struct rubric_view {
    rubric_view_kind kind;
    const char *tier;           /* "Advanced"                               */
    uint32_t tier_index;        /* 0 for the program's lowest tier          */
    rubric_req_status status;
    bool satisfied;
    bool eligible;
    rubric_value review_date;   /* renewal: a date; null for the others     */
    size_t requirement_count;
    const rubric_requirement *requirements;  /* those the tier has          */
    size_t category_count;
    const rubric_category *categories;       /* in order, one per heading:
                                                a run of requirements      */
} rubric_view;

typedef enum rubric_item_status {
    RUBRIC_ITEM_READY,      /* every requirement met or not applicable      */
    RUBRIC_ITEM_NOT_READY
} rubric_item_status;

/* "ready", "not_ready". */
RUBRIC_API const char *rubric_item_status_name(rubric_item_status status);

/* One item of a per-item program (an application). */
typedef struct rubric_item {
    rubric_value label;         /* "Amazon RDS" (a string), or null         */
    rubric_item_status status;
    size_t requirement_count;
    const rubric_requirement *requirements;
    size_t category_count;
    const rubric_category *categories;
} rubric_item;

/* A report list of a program (corporate events and their actions). */
typedef struct rubric_list {
    const char *name;           /* "corporate_events"                       */
    size_t column_count;
    const char *const *columns; /* "kind", "counterparty", "date", "action" */
    size_t row_count;
    const rubric_value *values; /* row r, column c: values[r * column_count + c] */
} rubric_list;

typedef enum rubric_program_kind {
    RUBRIC_PROGRAM_TIERED,      /* tiers, views, renewal and upgrade        */
    RUBRIC_PROGRAM_PER_ITEM     /* each item ready or not                   */
} rubric_program_kind;

/* One program evaluated for one partner. */
typedef struct rubric_result {
    rubric_value partner_id;    /* a string                                 */
    rubric_value partner_name;  /* a string, or null                        */
    const char *program_id;     /* "apn-2019-consulting"                    */
    const char *program_title;
    const char *program_version;
    rubric_program_kind kind;
    rubric_date as_of;
    /* RUBRIC_PROGRAM_TIERED (NULL and 0 otherwise) */
    const char *current_tier;   /* as the data gives it ("Registered")      */
    const char *eligible_tier;  /* NULL when not even the first tier        */
    size_t tier_count;
    const rubric_view *tiers;   /* RUBRIC_VIEW_ROLLING, lowest tier first   */
    const rubric_view *renewal; /* NULL below the first tier                */
    const rubric_view *upgrade; /* NULL at (or above) the top tier          */
    /* RUBRIC_PROGRAM_PER_ITEM (NULL and 0 otherwise) */
    const char *items_name;     /* "applications"                           */
    const char *item_label_name;/* "designation"                            */
    size_t item_count;
    const rubric_item *items;
    /* Either kind */
    size_t list_count;
    const rubric_list *lists;
    /* The partner's "path" field (an enum's value, or a string) when the
     * schema has one ("consulting"), else null. */
    rubric_value partner_path;
} rubric_result;

/* A program whose result is withheld because the rules call one of the
 * partner's items an error (`error when`). */
typedef struct rubric_program_error {
    const char *program_id;
    const char *program_title;
    const char *message;        /* names the program, the item and why      */
} rubric_program_error;

/* Every result of the report, in the order of rubric_report_program_id.
 * RUBRIC_ERR_NOMEM when the allocator fails (*results NULL, *count 0). */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_report_results(const rubric_report *report, const rubric_result **results,
                      size_t *count);

/* Result index of the report, or NULL when out of range or out of memory. */
RUBRIC_API const rubric_result *rubric_report_result(const rubric_report *report,
                                                     size_t index);

/* The programs whose result is withheld (rubric_report_withheld), with
 * their ids. */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_report_errors(const rubric_report *report, const rubric_program_error **errors,
                     size_t *count);

/* A view of a tiered result: the rolling view of tier (by name); or the
 * renewal or upgrade view, whose tier is tier when given.  NULL when the
 * result has no such view. */
RUBRIC_API const rubric_view *rubric_result_view(const rubric_result *result,
                                                 rubric_view_kind kind, const char *tier);

/* Status of requirement (or part, "parent.part") id in a view of a tiered
 * result, as rubric_result_view finds it: a requirement's status in any
 * view.  False when there is no such view or requirement (or out of
 * memory). */
RUBRIC_API bool rubric_report_view_requirement_status(const rubric_report *report,
                                                      size_t result,
                                                      rubric_view_kind kind,
                                                      const char *tier,
                                                      const char *requirement_id,
                                                      rubric_req_status *status);

typedef enum rubric_format {
    RUBRIC_FORMAT_JSON,   /* one pretty-printed object per result          */
    RUBRIC_FORMAT_JSONL,  /* one compact object per line per result        */
    RUBRIC_FORMAT_TEXT    /* the scorecard a person reads                  */
} rubric_format;

/* Called with consecutive pieces of output; return false to stop. */
typedef bool (*rubric_write_fn)(void *user_data, const char *bytes, size_t length);

RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_report_write(const rubric_report *report, rubric_format format,
                    rubric_write_fn write, void *user_data);

/* ------------------------------------------------------------------------ */
/* Running rule tests                                                        */
/* ------------------------------------------------------------------------ */

/* The largest rules file, rule-test file or test data file read. */
#define RUBRIC_MAX_SOURCE_SIZE ((size_t)64 << 20)

/* Cases counted by rubric_compiler_run_tests (added to). */
typedef struct rubric_test_counts {
    unsigned passed;
    unsigned failed;
} rubric_test_counts;

/*
 * Check the tests of a file this compiler parsed (rubric_compiler_parse_tests)
 * against rules — modules, in order: a test's program is the first
 * module's that has it — and run them (`rubric test`, docs/testing.md).
 * Every name and value the tests write is checked first (programs, tiers,
 * requirements, statuses, report lists and columns, the kind of each
 * value), each mistake a diagnostic of the compiler with a did-you-mean;
 * when there is one, or the file has syntax errors, no case runs:
 * RUBRIC_ERR_COMPILE.  Otherwise each case is evaluated (a data file it
 * names is read relative to the test file's directory, at most
 * RUBRIC_MAX_SOURCE_SIZE bytes) and compared with what it expects.  A
 * failure is written through write as
 *
 *   FAIL path:line: title
 *     path:line: Select program_fee: expected met, got not_met $0
 *
 * and with verbose a pass as "PASS path:line: title"; counts adds the
 * cases passed and failed.  RUBRIC_ERR_IO when write returns false.
 * Evaluating the cases allocates with the C library's allocator, not the
 * compiler's.
 */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_compiler_run_tests(rubric_compiler *compiler, const rubric_test_file *tests,
                          rubric_module *const *modules, size_t module_count, bool verbose,
                          rubric_write_fn write, void *user_data, rubric_test_counts *counts);

/* ------------------------------------------------------------------------ */
/* Comparing results (rubric diff)                                           */
/* ------------------------------------------------------------------------ */

/*
 * The impact of a rules change: each partner's results under the old rules
 * and under the new, compared program by program (docs/diff.md).  Programs
 * are matched by id (or by the pairs of options.map); tiers by name; a
 * per-item program's items by their place in the partner's list; every
 * requirement and part by its id, on its status, actual and required
 * values.  Per program, the eligible tiers and renewal statuses (items'
 * statuses for a per-item program) are counted from -> to over every
 * partner compared, changed or not.
 *
 *   rubric_diff_new        one comparison
 *   rubric_diff_partner    compare one partner: any thread, any order
 *   rubric_diff_output     its record, in input order: what to write now
 *   rubric_diff_finish     the rest: the matrices, the summary
 */

typedef enum rubric_diff_format {
    RUBRIC_DIFF_TEXT,   /* the matrices, a line per partner x program changed, the summary */
    RUBRIC_DIFF_JSON,   /* one object: changes, matrices, summary            */
    RUBRIC_DIFF_JSONL,  /* one compact object per partner x program changed  */
    RUBRIC_DIFF_CSV     /* a header, then one row per thing changed          */
} rubric_diff_format;

typedef struct rubric_diff_options {
    rubric_diff_format format;
    uint64_t limit;                  /* partners listed; 0 = every one       */
    /* Program map_old[k] of the old rules is compared with program
     * map_new[k] of the new (reported under the new id). */
    const char *const *map_old;
    const char *const *map_new;
    size_t map_count;
} rubric_diff_options;

typedef struct rubric_diff rubric_diff;

/* NULL config = defaults.  NULL when out of memory. */
RUBRIC_API rubric_diff *rubric_diff_new(const rubric_config *config,
                                        const rubric_diff_options *options);
RUBRIC_API void rubric_diff_free(rubric_diff *diff);

/*
 * Compare one partner's results under the old rules (old_results, from one
 * or more reports of that partner) with those under the new.  When a side
 * has two results of one program (rules given later override the earlier:
 * `--new stdlib --new override.rbc`), the later one counts.  Writes the
 * partner's record through write (nothing when nothing changed); records
 * are to be passed, unchanged and in input order, to rubric_diff_output.
 * May be called from several threads at once.  RUBRIC_ERR_NOMEM, or
 * RUBRIC_ERR_IO when write returned false.
 */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_diff_partner(rubric_diff *diff, const rubric_result *const *old_results,
                    size_t old_count, const rubric_result *const *new_results,
                    size_t new_count, rubric_write_fn write, void *user_data);

/* Records of rubric_diff_partner (any number of them, whole or in pieces),
 * in input order: writes what is due now (json, jsonl and csv: the
 * partners up to options.limit; text keeps them for rubric_diff_finish). */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_diff_output(rubric_diff *diff, const char *records, size_t length,
                   rubric_write_fn write, void *user_data);

/* After the last record: text: the matrices, the partners, how many more
 * changed than were listed, the summary line; json: the matrices and the
 * summary; jsonl and csv: nothing.  partners: how many were compared. */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_diff_finish(rubric_diff *diff, uint64_t partners, rubric_write_fn write,
                   void *user_data);

/* "N partners evaluated, M changed: K eligible tiers changed (up U, down
 * D)[; programs added A, removed R]", NUL-terminated, truncated to size. */
RUBRIC_API void rubric_diff_summary(const rubric_diff *diff, uint64_t partners,
                                    char *buffer, size_t size);

/* Partners with at least one change so far. */
RUBRIC_API uint64_t rubric_diff_changed(const rubric_diff *diff);

/* ------------------------------------------------------------------------ */
/* Summaries                                                                 */
/* ------------------------------------------------------------------------ */

/*
 * The results of a population counted (`rubric eval -f summary`,
 * docs/output.md "summary"): per program the partners and errors, the
 * current x eligible tier matrix, renewal statuses and review dates due in
 * 30, 60 and 90 days per current tier, upgrade-eligible counts, and the
 * requirements most often not met or at risk at renewal, per tier.
 * Add each partner's results (e.g. from rubric_report_results in a
 * batch's on_partner); consecutive adds with the same partner id count one
 * partner, so a partner under two programs, or two modules, is one
 * partner in the total.
 */
typedef struct rubric_summary rubric_summary;

/* NULL config = defaults.  NULL when out of memory. */
RUBRIC_API rubric_summary *rubric_summary_new(const rubric_config *config);
RUBRIC_API void rubric_summary_free(rubric_summary *summary);

/* One partner's results and withheld programs.  RUBRIC_ERR_NOMEM (sticky)
 * when the allocator fails. */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_summary_add(rubric_summary *summary, const rubric_result *results, size_t count,
                   const rubric_program_error *errors, size_t error_count);

/* A partner that could not be evaluated (counted in errors). */
RUBRIC_API void rubric_summary_add_failure(rubric_summary *summary);

typedef enum rubric_summary_format {
    RUBRIC_SUMMARY_TEXT,  /* tables a person reads                          */
    RUBRIC_SUMMARY_JSON   /* the same counts as one JSON object and "\n"    */
} rubric_summary_format;

/* Write the counts.  RUBRIC_ERR_NOMEM, RUBRIC_ERR_IO when write failed. */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_summary_write(const rubric_summary *summary, rubric_summary_format format,
                     rubric_write_fn write, void *user_data);

/* ------------------------------------------------------------------------ */
/* Batches                                                                   */
/* ------------------------------------------------------------------------ */

/*
 * A batch evaluates many partners, read as a stream, on several threads,
 * and gives each partner back in input order:
 *
 *   rubric_batch_new       modules, configuration, options and callbacks
 *   rubric_batch_add_*     an input: a buffer, a FILE, or a read callback;
 *                          JSON Lines or a JSON array (or one object)
 *   rubric_batch_finish    the end of the output; the counts
 *   rubric_batch_free
 *
 * Each input is read in blocks of whole partners; memory stays flat
 * however long it is.  One bad partner is an error of its own (reported
 * in its place) and the others are still evaluated; a partner id seen
 * before in the batch is an error too.  docs/embedding.md, "Batches".
 *
 * Callbacks.  on_partner, on_diag, on_progress and write are called in
 * input order and never two at once, but not always on the same thread
 * (with threads > 1, on the evaluating threads): guard what they share
 * with the rest of the program, not each other.  A callback that returns
 * non-zero (write: false) stops the batch: no partner is given after it,
 * and the rubric_batch_add_* function returns RUBRIC_ERR_INTERRUPTED (write:
 * RUBRIC_ERR_IO).  Callbacks must not call rubric_batch_* functions.
 *
 * Ownership.  What a callback is given (the partner, its reports and
 * results, the error, the strings) is valid only during the call and
 * belongs to the batch: copy what must outlive it.  The reports may be
 * read with every rubric_report_* function, on the calling thread.
 *
 * Threads.  With threads > 1 the configuration's allocator is called from
 * every thread at once and must be thread-safe (the C library's is).
 *
 * Interrupts.  The configuration's interrupt (rubric_config) is asked by
 * every evaluating thread; a partner it interrupts is given with
 * RUBRIC_ERR_INTERRUPTED and stops the batch, as a callback can.
 */

typedef struct rubric_batch rubric_batch;

/* How an input's partners are written. */
typedef enum rubric_input_format {
    RUBRIC_INPUT_AUTO,  /* by the input's name: .jsonl, .ndjson or "-" are
                           JSON Lines, .json is JSON; else by the first byte
                           that is not white space: '[' is JSON, anything
                           else JSON Lines                                */
    RUBRIC_INPUT_JSONL, /* one partner object per line                      */
    RUBRIC_INPUT_JSON   /* one partner object, or an array of them          */
} rubric_input_format;

/* What the batch writes through options.write, as `rubric eval -f` does. */
typedef enum rubric_batch_output {
    RUBRIC_BATCH_NO_OUTPUT, /* nothing: the callbacks have the results      */
    RUBRIC_BATCH_JSON,      /* one JSON array of every result               */
    RUBRIC_BATCH_JSONL,     /* one compact object per line per result       */
    RUBRIC_BATCH_TEXT,      /* the scorecards a person reads                */
    RUBRIC_BATCH_CSV,       /* a header row, then a row per partner and
                               program                                    */
    RUBRIC_BATCH_HTML,      /* one self-contained page, with a table of
                               contents of the partners                    */
    RUBRIC_BATCH_CSV_REQUIREMENTS /* a header row, then a row per
                               requirement                                */
} rubric_batch_output;

/* One partner, given to on_partner in input order. */
typedef struct rubric_batch_partner {
    uint64_t index;          /* 0, 1, ... over every input of the batch      */
    const char *input;       /* the name of its input                        */
    uint64_t line;           /* where it starts in its input, from 1         */
    uint64_t column;         /* from 1; 0 for a line of JSON Lines           */
    /* Evaluated: one report per module, in the order of the modules. */
    size_t report_count;
    const rubric_report *const *reports;
    /* Not evaluated (reports NULL, report_count 0): why.  Its file is the
     * input's name, and its line and column are in the input (a data
     * error's at the offending byte; else the partner's start), as the
     * diagnostic says; offset is in the partner's own text. */
    const rubric_error *error;
} rubric_batch_partner;

/* A diagnostic of the batch, as `rubric eval` prints it: a partner's
 * error or warning (strict), a program withheld by an item error, a
 * duplicate id, or a problem with a whole input (malformed array, read
 * error).  Given in input order, before its partner reaches on_partner. */
typedef struct rubric_batch_diag {
    const char *input;       /* the name of the input                        */
    uint64_t line;           /* from 1; 0 when unknown                       */
    uint64_t column;         /* from 1; 0 when unknown                       */
    rubric_severity severity;/* RUBRIC_SEVERITY_ERROR or _WARNING            */
    const char *message;     /* "$.individuals[2].registered: invalid date"  */
} rubric_batch_diag;

/* How far the batch is, after each partner. */
typedef struct rubric_batch_progress {
    uint64_t partners;       /* given so far, evaluated or not               */
    uint64_t bytes_read;     /* from every input so far                      */
    uint64_t total_bytes;    /* options.total_bytes, else the sizes of the
                                inputs so far when each is known; 0 when
                                unknown                                    */
} rubric_batch_progress;

/* The counts of a batch. */
typedef struct rubric_batch_stats {
    uint64_t partners;       /* evaluated                                    */
    uint64_t results;        /* partner x program results                    */
    uint64_t errors;         /* partners not evaluated, programs withheld,
                                and problems with whole inputs              */
    uint64_t below;          /* partners with an eligible tier below
                                options.fail_below                          */
    bool stopped;            /* a callback asked to stop                     */
} rubric_batch_stats;

typedef struct rubric_batch_options {
    rubric_eval_options eval;   /* as_of (required), programs, strict        */
    unsigned threads;           /* evaluating threads; 0 or 1: the caller's  */
    rubric_batch_output output; /* written through write                     */
    bool color;                 /* RUBRIC_BATCH_TEXT: ANSI colours           */
    const char *fail_below;     /* a tier name: counted in stats.below       */
    uint64_t total_bytes;       /* the size of every input, when the host
                                   knows it (progress); 0: see progress     */
    rubric_write_fn write;      /* the output, in order; false stops         */
    int (*on_partner)(void *user_data, const rubric_batch_partner *partner);
    int (*on_diag)(void *user_data, const rubric_batch_diag *diag);
    int (*on_progress)(void *user_data, const rubric_batch_progress *progress);
    void *user_data;            /* given to every callback                   */
} rubric_batch_options;

/*
 * A batch over modules (at least one; each partner is evaluated against
 * every one of them, and programs are selected by id across them).  NULL
 * config = defaults.  The modules must outlive the batch; the options are
 * copied (their strings are not: keep them until rubric_batch_free).
 * NULL on failure, with error (if not NULL) saying why: RUBRIC_ERR_USAGE
 * for no module, an as_of that is not a date, a program id no module has,
 * a fail_below tier no program has, or an output without write;
 * RUBRIC_ERR_NOMEM.
 */
RUBRIC_API rubric_batch *rubric_batch_new(const rubric_module *const *modules, size_t count,
                                          const rubric_config *config,
                                          const rubric_batch_options *options,
                                          rubric_error *error);

/*
 * Read one input to its end and give its partners (inputs are read one
 * after another; ids are checked across them).  name names the input in
 * diagnostics.  Returns RUBRIC_OK when it was read to its end, whatever
 * its partners' errors (on_partner, on_diag and the stats have them);
 * RUBRIC_ERR_IO when it could not be read to its end (a diagnostic says
 * so; the batch goes on with the next input) or write failed;
 * RUBRIC_ERR_NOMEM; RUBRIC_ERR_INTERRUPTED when a callback asked to stop (and
 * for every input after that).
 */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_batch_add_buffer(rubric_batch *batch, const char *name, const void *bytes,
                        size_t length, rubric_input_format format);

/* The same from a FILE opened for reading, from where it stands; it is
 * not closed.  A read error (ferror) is RUBRIC_ERR_IO. */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_batch_add_file(rubric_batch *batch, const char *name, FILE *file,
                      rubric_input_format format);

/* Read up to size bytes into buffer; return how many (0 at the end), or
 * (size_t)-1 for a read error. */
typedef size_t (*rubric_read_fn)(void *user_data, void *buffer, size_t size);

/* The same from a read callback; size is the input's length when known
 * (progress), else 0. */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_batch_add_reader(rubric_batch *batch, const char *name, rubric_read_fn read,
                        void *user_data, uint64_t size, rubric_input_format format);

/* Write the end of the output (the closing bracket of a JSON array, the
 * table of contents and end of an html page) and fill stats (if not
 * NULL).  RUBRIC_ERR_IO when write failed, RUBRIC_ERR_NOMEM when the
 * output could not be made, else RUBRIC_OK. */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_batch_finish(rubric_batch *batch, rubric_batch_stats *stats);

RUBRIC_API void rubric_batch_free(rubric_batch *batch);

/* Text from the data (a diagnostic quotes a partner id, an item error's
 * message) made safe to print on a terminal or in a log, as `rubric eval`
 * prints its diagnostics: control and bidirectional characters escaped
 * (\x1b, \u2028), a byte that is not UTF-8 as \xHH.  Written through
 * write; RUBRIC_ERR_NOMEM, or RUBRIC_ERR_IO when write returned false. */
RUBRIC_API RUBRIC_NODISCARD rubric_status
rubric_escape_text(const char *text, size_t length, rubric_write_fn write, void *user_data);

#ifdef __cplusplus
}
#endif

#endif /* RUBRIC_H */
