/*
 * table.c — the table-valued function
 *
 *   SELECT * FROM rubric_requirements(partner_json, as_of [, program_id])
 *
 * one row per program x view x tier x requirement or part, in the order of
 * the JSON results (renewal, upgrade, then the rolling view of each tier;
 * a per-item program's items in order), parts after their requirement.
 * The cursor evaluates the partner with a session of its own and keeps its
 * report while the rows are read.
 */
#include <stdio.h>
#include <string.h>

#include "sqlite_rubric.h"

SQLITE_EXTENSION_INIT3

enum column {
    COL_PROGRAM,
    COL_VIEW,
    COL_TIER,
    COL_ITEM,
    COL_CATEGORY,
    COL_REQUIREMENT,
    COL_PART,
    COL_STATUS,
    COL_ACTUAL,
    COL_REQUIRED,
    COL_UNIT,
    COL_PARTNER_JSON, /* the hidden arguments */
    COL_AS_OF,
    COL_PROGRAM_ID,
};

#define TABLE_SCHEMA                                                                        \
    "CREATE TABLE x(program TEXT, view TEXT, tier TEXT, item, category TEXT, "              \
    "requirement TEXT, part TEXT, status TEXT, actual, required, unit TEXT, "               \
    "partner_json HIDDEN, as_of HIDDEN, program_id HIDDEN)"

typedef struct row {
    const rubric_result *result;
    const char *view;               /* "renewal", "upgrade", "rolling", "item" */
    const char *tier;               /* NULL for an item                         */
    const rubric_value *item;       /* the item's label, NULL for a tier        */
    const rubric_requirement *requirement;
} row;

typedef struct table {
    sqlite3_vtab base;
    connection_state *state;
} table;

typedef struct cursor {
    sqlite3_vtab_cursor base;
    rules_ref *rules;               /* held while the session lives */
    rubric_session *session;
    row *rows;
    sqlite3_int64 count, capacity, at;
} cursor;

/* ------------------------------------------------------------ the table */

static int table_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                         sqlite3_vtab **out, char **error)
{
    (void)argc, (void)argv, (void)error;
    int rc = sqlite3_declare_vtab(db, TABLE_SCHEMA);
    if (rc != SQLITE_OK)
        return rc;
    table *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    t->state = aux;
    *out = &t->base;
    return SQLITE_OK;
}

static int table_disconnect(sqlite3_vtab *vtab)
{
    sqlite3_free(vtab);
    return SQLITE_OK;
}

/* The hidden columns are arguments: partner_json and as_of are needed,
 * program_id is optional.  idxNum: bit 1 when program_id is given. */
static int table_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info)
{
    (void)vtab;
    int arg_of[3] = {-1, -1, -1};
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (c->iColumn < COL_PARTNER_JSON)
            continue;
        if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ)
            return SQLITE_CONSTRAINT;
        arg_of[c->iColumn - COL_PARTNER_JSON] = i;
    }
    if (arg_of[0] < 0 || arg_of[1] < 0) {
        sqlite3_free(vtab->zErrMsg);
        vtab->zErrMsg = sqlite3_mprintf("rubric_requirements(partner_json, as_of [, program_id]): "
                                        "needs the partner and the date");
        return SQLITE_ERROR;
    }
    int next = 1;
    for (int a = 0; a < 3; a++) {
        if (arg_of[a] < 0)
            continue;
        info->aConstraintUsage[arg_of[a]].argvIndex = next++;
        info->aConstraintUsage[arg_of[a]].omit = 1;
    }
    info->idxNum = arg_of[2] >= 0;
    info->estimatedCost = 1000;
    info->estimatedRows = 100;
    return SQLITE_OK;
}

/* ------------------------------------------------------------ rows */

static bool add_row(cursor *c, row r)
{
    if (c->count == c->capacity) {
        sqlite3_int64 cap = c->capacity ? 2 * c->capacity : 64;
        row *grown = sqlite3_realloc64(c->rows, (sqlite3_uint64)cap * sizeof *grown);
        if (!grown)
            return false;
        c->rows = grown;
        c->capacity = cap;
    }
    c->rows[c->count++] = r;
    return true;
}

/* A requirement's row, then its parts' (depth first). */
static bool add_requirements(cursor *c, row base, const rubric_requirement *reqs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        base.requirement = &reqs[i];
        if (!add_row(c, base) || !add_requirements(c, base, reqs[i].parts, reqs[i].part_count))
            return false;
    }
    return true;
}

static bool add_view(cursor *c, const rubric_result *r, const char *kind, const rubric_view *v)
{
    row base = {r, kind, v->tier, NULL, NULL};
    return add_requirements(c, base, v->requirements, v->requirement_count);
}

static bool add_result(cursor *c, const rubric_result *r)
{
    if (r->renewal && !add_view(c, r, "renewal", r->renewal))
        return false;
    if (r->upgrade && !add_view(c, r, "upgrade", r->upgrade))
        return false;
    for (size_t t = 0; t < r->tier_count; t++)
        if (!add_view(c, r, "rolling", &r->tiers[t]))
            return false;
    for (size_t i = 0; i < r->item_count; i++) {
        row base = {r, "item", NULL, &r->items[i].label, NULL};
        if (!add_requirements(c, base, r->items[i].requirements, r->items[i].requirement_count))
            return false;
    }
    return true;
}

/* ------------------------------------------------------------ the cursor */

static int cursor_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **out)
{
    (void)vtab;
    cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static void cursor_reset(cursor *c)
{
    rubric_session_free(c->session);
    c->session = NULL;
    rules_ref_release(c->rules);
    c->rules = NULL;
    c->count = c->at = 0;
}

static int cursor_close(sqlite3_vtab_cursor *base)
{
    cursor *c = (cursor *)base;
    cursor_reset(c);
    sqlite3_free(c->rows);
    sqlite3_free(c);
    return SQLITE_OK;
}

static int fail(cursor *c, char *message)
{
    sqlite3_vtab *vtab = c->base.pVtab;
    sqlite3_free(vtab->zErrMsg);
    vtab->zErrMsg = message;
    return message ? SQLITE_ERROR : SQLITE_NOMEM;
}

/* A session of the connection's current rules, kept by the cursor. */
static int cursor_session(cursor *c)
{
    table *t = (table *)c->base.pVtab;
    char *error = NULL;
    rules_ref *rules = state_rules(t->state, &error);
    if (!rules)
        return fail(c, error);
    if (rules != c->rules) {
        cursor_reset(c);
        rules->refs++;
        c->rules = rules;
    }
    if (!c->session && !(c->session = rubric_session_new(rules->module, NULL)))
        return SQLITE_NOMEM;
    return SQLITE_OK;
}

static int cursor_filter(sqlite3_vtab_cursor *base, int idx_num, const char *idx_str, int argc,
                         sqlite3_value **argv)
{
    (void)idx_str, (void)argc;
    cursor *c = (cursor *)base;
    c->count = c->at = 0;
    const char *json = (const char *)sqlite3_value_text(argv[0]);
    const char *as_of = (const char *)sqlite3_value_text(argv[1]);
    const char *program = idx_num ? (const char *)sqlite3_value_text(argv[2]) : NULL;
    if (!json || !as_of || (idx_num && !program))
        return SQLITE_OK; /* a NULL argument: no rows */
    int rc = cursor_session(c);
    if (rc != SQLITE_OK)
        return rc;
    const rubric_report *report;
    char *error = evaluate_partner(c->session, json, (size_t)sqlite3_value_bytes(argv[0]), as_of,
                                   program, &report);
    if (error)
        return fail(c, error);
    const rubric_result *results;
    size_t count;
    if (rubric_report_results(report, &results, &count) != RUBRIC_OK)
        return SQLITE_NOMEM;
    for (size_t i = 0; i < count; i++)
        if (!add_result(c, &results[i]))
            return SQLITE_NOMEM;
    return SQLITE_OK;
}

static int cursor_next(sqlite3_vtab_cursor *base)
{
    ((cursor *)base)->at++;
    return SQLITE_OK;
}

static int cursor_eof(sqlite3_vtab_cursor *base)
{
    cursor *c = (cursor *)base;
    return c->at >= c->count;
}

static int cursor_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid)
{
    *rowid = ((cursor *)base)->at + 1;
    return SQLITE_OK;
}

static void result_text(sqlite3_context *ctx, const char *s)
{
    if (s)
        sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_result_null(ctx);
}

/* Values as SQL: counts and booleans integers, money a real number of
 * dollars, dates and months ISO text, names and strings text. */
static void result_value(sqlite3_context *ctx, const rubric_value *v)
{
    char text[16];
    switch (v->kind) {
    case RUBRIC_VALUE_BOOL:
        sqlite3_result_int(ctx, v->as.boolean);
        return;
    case RUBRIC_VALUE_COUNT:
        sqlite3_result_int64(ctx, v->as.count);
        return;
    case RUBRIC_VALUE_MONEY:
        sqlite3_result_double(ctx, (double)v->as.cents / 100.0);
        return;
    case RUBRIC_VALUE_DATE:
        snprintf(text, sizeof text, "%04d-%02d-%02d", v->as.date.year, v->as.date.month,
                 v->as.date.day);
        sqlite3_result_text(ctx, text, -1, SQLITE_TRANSIENT);
        return;
    case RUBRIC_VALUE_MONTH:
        snprintf(text, sizeof text, "%04d-%02d", v->as.month.year, v->as.month.month);
        sqlite3_result_text(ctx, text, -1, SQLITE_TRANSIENT);
        return;
    case RUBRIC_VALUE_ENUM:
        result_text(ctx, v->as.enumerated.name);
        return;
    case RUBRIC_VALUE_STRING:
        sqlite3_result_text(ctx, v->as.string.chars, (int)v->as.string.length, SQLITE_TRANSIENT);
        return;
    case RUBRIC_VALUE_NULL:
        break;
    }
    sqlite3_result_null(ctx);
}

/* A part's path below its requirement: "mrr", "a.b" for a part of a part. */
static void append_part_path(sqlite3_str *s, const rubric_requirement *p)
{
    if (p->parent->parent) {
        append_part_path(s, p->parent);
        sqlite3_str_appendchar(s, 1, '.');
    }
    sqlite3_str_appendall(s, p->id);
}

static void result_part(sqlite3_context *ctx, const rubric_requirement *q)
{
    if (!q->parent) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_str *s = sqlite3_str_new(NULL);
    append_part_path(s, q);
    int len = sqlite3_str_length(s);
    char *path = sqlite3_str_finish(s);
    if (path)
        sqlite3_result_text(ctx, path, len, sqlite3_free);
    else
        sqlite3_result_error_nomem(ctx);
}

static const rubric_requirement *top_requirement(const rubric_requirement *q)
{
    while (q->parent)
        q = q->parent;
    return q;
}

static int cursor_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int column)
{
    const row *r = &((cursor *)base)->rows[((cursor *)base)->at];
    const rubric_requirement *q = r->requirement;
    switch (column) {
    case COL_PROGRAM:
        result_text(ctx, r->result->program_id);
        break;
    case COL_VIEW:
        result_text(ctx, r->view);
        break;
    case COL_TIER:
        result_text(ctx, r->tier);
        break;
    case COL_ITEM:
        if (r->item)
            result_value(ctx, r->item);
        break;
    case COL_CATEGORY:
        result_text(ctx, q->category);
        break;
    case COL_REQUIREMENT:
        result_text(ctx, top_requirement(q)->id);
        break;
    case COL_PART:
        result_part(ctx, q);
        break;
    case COL_STATUS:
        result_text(ctx, rubric_req_status_name(q->status));
        break;
    case COL_ACTUAL:
        result_value(ctx, &q->actual);
        break;
    case COL_REQUIRED:
        result_value(ctx, &q->required);
        break;
    case COL_UNIT:
        result_text(ctx, rubric_unit_name(q->unit));
        break;
    default:
        break; /* the hidden arguments read as NULL */
    }
    return SQLITE_OK;
}

static sqlite3_module requirements_module = {
    .iVersion = 0,
    .xConnect = table_connect,
    .xBestIndex = table_best_index,
    .xDisconnect = table_disconnect,
    .xOpen = cursor_open,
    .xClose = cursor_close,
    .xFilter = cursor_filter,
    .xNext = cursor_next,
    .xEof = cursor_eof,
    .xColumn = cursor_column,
    .xRowid = cursor_rowid,
};

int requirements_table_register(sqlite3 *db, connection_state *state)
{
    return sqlite3_create_module(db, "rubric_requirements", &requirements_module, state);
}
