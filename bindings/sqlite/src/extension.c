/*
 * extension.c — Rubric as a loadable SQLite extension (`.load rubric`):
 *
 *   rubric_eval(partner_json, as_of)               JSON array of the results
 *   rubric_eval(partner_json, as_of, program_id)   the one result, or NULL
 *   rubric_tier(partner_json, as_of, program_id)   the eligible tier, or NULL
 *   rubric_load_rules(path)                        rules for this connection
 *   rubric_requirements(partner_json, as_of [, program_id])   rows (table.c)
 *
 * Results are the objects `rubric eval -f jsonl` prints.  Bad input is an
 * SQL error with Rubric's message.  Built on rubric.h alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_rubric.h"

SQLITE_EXTENSION_INIT1

/* ------------------------------------------------------------ rules */

void rules_ref_release(rules_ref *rules)
{
    if (rules && --rules->refs == 0) {
        rubric_module_free(rules->module);
        sqlite3_free(rules);
    }
}

static rules_ref *rules_from_bytecode(const void *bytes, size_t length, char **error)
{
    char why[512];
    rubric_module *module = NULL;
    if (rubric_module_load(NULL, bytes, length, &module, why, sizeof why) != RUBRIC_OK) {
        *error = sqlite3_mprintf("%s", why);
        return NULL;
    }
    rules_ref *r = sqlite3_malloc(sizeof *r);
    if (!r) {
        rubric_module_free(module);
        *error = sqlite3_mprintf("out of memory");
        return NULL;
    }
    r->module = module;
    r->refs = 1;
    return r;
}

/* The compiler's diagnostics as one message, without the last newline. */
static char *compile_failure(rubric_compiler *c, rubric_status st)
{
    char *text = st == RUBRIC_ERR_COMPILE ? rubric_compiler_render_diags(c, false) : NULL;
    if (!text)
        return sqlite3_mprintf("%s", rubric_status_name(st));
    size_t n = strlen(text);
    char *out = sqlite3_mprintf("%.*s", (int)(n && text[n - 1] == '\n' ? n - 1 : n), text);
    rubric_free(NULL, text, n + 1);
    return out;
}

/* Rules source (path names it in diagnostics), or the standard programs
 * when text is NULL: compiled as `rubric eval -r PATH` compiles them. */
static rules_ref *rules_from_source(const char *path, const char *text, size_t length,
                                    char **error)
{
    rubric_compiler *c = rubric_compiler_new(NULL);
    if (!c) {
        *error = sqlite3_mprintf("out of memory");
        return NULL;
    }
    void *bytecode = NULL;
    size_t len = 0;
    rubric_status st = rubric_compiler_use_stdlib(c, text == NULL);
    if (st == RUBRIC_OK && text)
        st = rubric_compiler_add_source(c, path, text, length);
    if (st == RUBRIC_OK)
        st = rubric_compiler_run(c, false, &bytecode, &len);
    rules_ref *r = NULL;
    if (st == RUBRIC_OK) {
        r = rules_from_bytecode(bytecode, len, error);
        rubric_free(NULL, bytecode, len);
    } else {
        *error = compile_failure(c, st);
    }
    rubric_compiler_free(c);
    return r;
}

static void use_rules(connection_state *state, rules_ref *rules)
{
    rubric_session_free(state->session);
    state->session = NULL;
    rules_ref_release(state->rules);
    state->rules = rules;
}

rules_ref *state_rules(connection_state *state, char **error)
{
    if (!state->rules) {
        rules_ref *standard = rules_from_source(NULL, NULL, 0, error);
        if (!standard)
            return NULL;
        use_rules(state, standard);
    }
    return state->rules;
}

static rubric_session *state_session(connection_state *state, char **error)
{
    if (!state->session) {
        rules_ref *rules = state_rules(state, error);
        if (!rules)
            return NULL;
        state->session = rubric_session_new(rules->module, NULL);
        if (!state->session)
            *error = sqlite3_mprintf("out of memory");
    }
    return state->session;
}

/* The whole of a file, sqlite3_malloc'd; NULL with *error. */
static char *read_file(const char *path, size_t *length, char **error)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t n = 0, cap = 0;
    if (f) {
        for (;;) {
            if (n == cap) {
                char *grown = cap < (64u << 20) ? sqlite3_realloc64(text, cap ? 2 * cap : 65536)
                                                : NULL;
                if (!grown)
                    break;
                text = grown;
                cap = cap ? 2 * cap : 65536;
            }
            size_t got = fread(text + n, 1, cap - n, f);
            n += got;
            if (got == 0)
                break;
        }
    }
    if (!f || ferror(f) || !feof(f)) {
        *error = sqlite3_mprintf("%s: cannot be read%s", path,
                                 f && n == cap ? " (larger than 64 MiB or out of memory)" : "");
        sqlite3_free(text);
        text = NULL;
    }
    if (f)
        fclose(f);
    *length = n;
    return text;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* rubric_load_rules(path): a .rubric source (compiled as `rubric eval -r
 * PATH` compiles it) or .rbc bytecode; returns the number of programs. */
static void sql_load_rules(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    connection_state *state = sqlite3_user_data(ctx);
    const char *path = (const char *)sqlite3_value_text(argv[0]);
    if (!path) {
        sqlite3_result_error(ctx, "rubric_load_rules: needs the path of a rules file", -1);
        return;
    }
    char *error = NULL;
    size_t length;
    char *text = read_file(path, &length, &error);
    rules_ref *rules = !text                        ? NULL
                       : has_suffix(path, ".rbc") ? rules_from_bytecode(text, length, &error)
                                                  : rules_from_source(path, text, length, &error);
    sqlite3_free(text);
    if (!rules) {
        sqlite3_result_error(ctx, error ? error : "out of memory", -1);
        sqlite3_free(error);
        return;
    }
    use_rules(state, rules);
    sqlite3_result_int64(ctx, (sqlite3_int64)rubric_module_program_count(rules->module));
}

/* ------------------------------------------------------------ evaluating */

char *evaluate_partner(rubric_session *session, const char *json, size_t length,
                       const char *as_of, const char *program_id,
                       const rubric_report **report)
{
    rubric_eval_options options = {as_of, &program_id, program_id ? 1 : 0, false};
    if (!program_id)
        options.programs = NULL;
    rubric_error e;
    rubric_status st = rubric_session_eval(session, json, length, &options, report, &e);
    if (st == RUBRIC_OK)
        return NULL;
    if (st == RUBRIC_ERR_NOMEM)
        return sqlite3_mprintf("out of memory");
    return e.path[0] ? sqlite3_mprintf("%s: %s", e.path, e.message)
                     : sqlite3_mprintf("%s", e.message);
}

/* The partner and date arguments, or false when the result is NULL
 * (a NULL argument) or an error (set on ctx). */
static bool evaluate_args(sqlite3_context *ctx, int argc, sqlite3_value **argv,
                          const rubric_report **report)
{
    connection_state *state = sqlite3_user_data(ctx);
    for (int i = 0; i < argc; i++)
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
            return false;
    const char *json = (const char *)sqlite3_value_text(argv[0]);
    size_t length = (size_t)sqlite3_value_bytes(argv[0]);
    const char *as_of = (const char *)sqlite3_value_text(argv[1]);
    const char *program = argc > 2 ? (const char *)sqlite3_value_text(argv[2]) : NULL;
    char *error = NULL;
    rubric_session *session = json && as_of ? state_session(state, &error) : NULL;
    if (session)
        error = evaluate_partner(session, json, length, as_of, program, report);
    else if (!error)
        error = sqlite3_mprintf("out of memory");
    if (error) {
        sqlite3_result_error(ctx, error, -1);
        sqlite3_free(error);
        return false;
    }
    return true;
}

/* A withheld result of the one program asked for is an error. */
static bool withheld_is_error(sqlite3_context *ctx, const rubric_report *report)
{
    if (!rubric_report_withheld_count(report))
        return false;
    sqlite3_result_error(ctx, rubric_report_withheld(report, 0), -1);
    return true;
}

static bool append(void *user_data, const char *bytes, size_t length)
{
    sqlite3_str_append(user_data, bytes, (int)length);
    return sqlite3_str_errcode(user_data) == SQLITE_OK;
}

/* rubric_eval(partner_json, as_of [, program_id]) */
static void sql_eval(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const rubric_report *report;
    if (!evaluate_args(ctx, argc, argv, &report) || (argc > 2 && withheld_is_error(ctx, report)))
        return;
    size_t count = rubric_report_result_count(report);
    if (argc > 2 && count == 0) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_str *out = sqlite3_str_new(NULL);
    rubric_status st = rubric_report_write(report, RUBRIC_FORMAT_JSONL, append, out);
    int len = sqlite3_str_length(out);
    char *lines = sqlite3_str_finish(out);
    if (st != RUBRIC_OK || (len && !lines)) {
        sqlite3_free(lines);
        sqlite3_result_error_nomem(ctx);
        return;
    }
    /* JSON Lines, one result per line, into one object or an array. */
    for (int i = 0; i < len; i++)
        if (lines[i] == '\n')
            lines[i] = i == len - 1 ? '\0' : ',';
    char *text = argc > 2 ? sqlite3_mprintf("%s", lines ? lines : "")
                          : sqlite3_mprintf("[%s]", lines ? lines : "");
    sqlite3_free(lines);
    if (!text)
        sqlite3_result_error_nomem(ctx);
    else
        sqlite3_result_text(ctx, text, -1, sqlite3_free);
}

/* rubric_tier(partner_json, as_of, program_id) */
static void sql_tier(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const rubric_report *report;
    if (!evaluate_args(ctx, argc, argv, &report) || withheld_is_error(ctx, report))
        return;
    const char *tier = rubric_report_result_count(report)
                           ? rubric_report_eligible_tier(report, 0)
                           : NULL;
    if (tier)
        sqlite3_result_text(ctx, tier, -1, SQLITE_TRANSIENT);
    else
        sqlite3_result_null(ctx);
}

/* ------------------------------------------------------------ loading */

static void state_free(void *p)
{
    connection_state *state = p;
    rubric_session_free(state->session);
    rules_ref_release(state->rules);
    sqlite3_free(state);
}

typedef struct sql_function {
    const char *name;
    int argc;
    void (*fn)(sqlite3_context *, int, sqlite3_value **);
} sql_function;

/* The entry point `.load` derives from the file name rubric.so. */
__attribute__((visibility("default"))) int
sqlite3_rubric_init(sqlite3 *db, char **error, const sqlite3_api_routines *api);

int sqlite3_rubric_init(sqlite3 *db, char **error, const sqlite3_api_routines *api)
{
    SQLITE_EXTENSION_INIT2(api);
    static const sql_function functions[] = {
        {"rubric_eval", 2, sql_eval},
        {"rubric_eval", 3, sql_eval},
        {"rubric_tier", 3, sql_tier},
        {"rubric_load_rules", 1, sql_load_rules},
    };
    connection_state *state = sqlite3_malloc(sizeof *state);
    if (!state)
        return SQLITE_NOMEM;
    memset(state, 0, sizeof *state);
    /* The last registration owns the state: SQLite frees it with the
     * connection, or at once when that registration fails. */
    int rc = SQLITE_OK;
    size_t n = sizeof functions / sizeof functions[0];
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
        rc = sqlite3_create_function_v2(db, functions[i].name, functions[i].argc, SQLITE_UTF8,
                                        state, functions[i].fn, NULL, NULL,
                                        i == n - 1 ? state_free : NULL);
    if (rc == SQLITE_OK)
        rc = requirements_table_register(db, state);
    if (rc != SQLITE_OK)
        *error = sqlite3_mprintf("rubric: cannot register its functions: %s", sqlite3_errstr(rc));
    return rc;
}
