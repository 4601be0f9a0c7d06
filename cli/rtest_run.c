/* rtest_run.c — running the cases of a test file: the partner data, one
 * evaluation, and each expectation compared with the result. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "compiler.h"
#include "rtest.h"
#include "session.h"
#include "write.h"

/* What one case is compared against. */
typedef struct outcome {
    const bc_module *m;
    const bc_program *p;
    const program_result *r;   /* NULL: the program did not apply, or an error */
    const char *error;         /* the evaluation's error, or NULL */
} outcome;

/* ------------------------------------------------------------ data */

/* The members of a JSON object as spans of text: "key": value. */
typedef struct member {
    const char *key, *start, *end; /* key: after its quote; start..end: the member */
    size_t key_len;
} member;

static const char *skip_space(const char *c, const char *end)
{
    while (c < end && (*c == ' ' || *c == '\n' || *c == '\t' || *c == '\r'))
        c++;
    return c;
}

/* End of the value starting at c: the next ',' or '}' outside strings and
 * brackets. */
static const char *value_end(const char *c, const char *end)
{
    int depth = 0;
    for (; c < end; c++) {
        if (*c == '"') {
            for (c++; c < end && *c != '"'; c++)
                if (*c == '\\')
                    c++;
        } else if (*c == '{' || *c == '[') {
            depth++;
        } else if ((*c == '}' || *c == ']') && depth > 0) {
            depth--;
        } else if ((*c == ',' || *c == '}') && depth == 0) {
            return c;
        }
    }
    return NULL;
}

/* Split an object's top-level members; -1 when the text is not an object. */
static int split_members(const char *text, member *out, int max)
{
    const char *end = text + strlen(text);
    const char *c = skip_space(text, end);
    if (c == end || *c != '{')
        return -1;
    int n = 0;
    c = skip_space(c + 1, end);
    while (c < end && *c != '}') {
        if (*c != '"' || n == max)
            return -1;
        member mb = {c + 1, c, NULL, 0};
        const char *close = c + 1;
        while (close < end && *close != '"')
            close += *close == '\\' ? 2 : 1;
        mb.key_len = (size_t)(close - mb.key);
        mb.end = value_end(close + 1, end);
        if (!mb.end)
            return -1;
        out[n++] = mb;
        c = skip_space(*mb.end == ',' ? mb.end + 1 : mb.end, end);
    }
    return c < end ? n : -1;
}

static bool overridden(const member *m, const member *over, int nover)
{
    for (int i = 0; i < nover; i++)
        if (over[i].key_len == m->key_len && memcmp(over[i].key, m->key, m->key_len) == 0)
            return true;
    return false;
}

#define MAX_MEMBERS 256

/* The base object with the block's members put in place of (or added to)
 * its own.  NULL (and *why) when either is not a JSON object. */
static char *merge_members(const char *base, const char *block, const char **why)
{
    member *b = malloc(2 * MAX_MEMBERS * sizeof *b), *o = b + MAX_MEMBERS;
    int nb = b ? split_members(base, b, MAX_MEMBERS) : -1;
    int no = b ? split_members(block, o, MAX_MEMBERS) : -1;
    *why = nb < 0 ? "the data file is not one JSON object"
                  : "the data block is not one JSON object";
    if (nb < 0 || no < 0) {
        free(b);
        return NULL;
    }
    rubric_allocator alloc = mem_default_allocator();
    strbuf sb;
    sb_init(&sb, &alloc);
    sb_putc(&sb, '{');
    for (int i = 0; i < nb; i++) {
        if (overridden(&b[i], o, no))
            continue;
        sb_append(&sb, b[i].start, (size_t)(b[i].end - b[i].start));
        sb_putc(&sb, ',');
    }
    for (int i = 0; i < no; i++) {
        sb_append(&sb, o[i].start, (size_t)(o[i].end - o[i].start));
        sb_putc(&sb, i + 1 < no ? ',' : ' ');
    }
    sb_putc(&sb, '}');
    free(b);
    char *json = sb.failed ? NULL : strndup(sb.data, sb.len);
    sb_free(&sb);
    return json;
}

/* The case's partner JSON (malloc'd), or NULL and a reason in why. */
static char *case_json(const rtest_case *c, char *why, size_t why_size)
{
    char *file = NULL;
    if (c->data_path) {
        size_t len;
        file = cli_read_file(c->data_path, COMPILER_MAX_SOURCE_SIZE, &len, why, why_size);
        if (!file)
            return NULL;
        if (!c->data_block)
            return file;
    }
    const char *reason = NULL;
    char *json = file ? merge_members(file, c->data_block, &reason)
                      : strdup(c->data_block);
    free(file);
    if (!json)
        snprintf(why, why_size, "%s", reason ? reason : "out of memory");
    return json;
}

/* ------------------------------------------------------------ evaluation */

static rubric_session *session_for(rtest_ctx *ctx, size_t module_index)
{
    if (!ctx->sessions[module_index])
        ctx->sessions[module_index] = rubric_session_new(ctx->rules->modules[module_index], NULL);
    return ctx->sessions[module_index];
}

/* Evaluate the case; false (with why) when it could not be run at all. */
static bool evaluate(rtest_ctx *ctx, const rtest_case *c, outcome *out, rubric_error *error,
                     char *why, size_t why_size)
{
    memset(out, 0, sizeof *out);
    size_t u;
    out->p = rtest_find_program(ctx->rules, c->program.text, &out->m, &u);
    rubric_session *s = session_for(ctx, u);
    char *json = case_json(c, why, why_size);
    if (!s || !json) {
        free(json);
        if (!s)
            snprintf(why, why_size, "out of memory");
        return false;
    }
    const char *programs[] = {c->program.text};
    rubric_eval_options options = {c->as_of.text, programs, 1, false};
    const rubric_report *report;
    rubric_status st = rubric_session_eval(s, json, strlen(json), &options, &report, error);
    free(json);
    if (st != RUBRIC_OK) {
        out->error = error->message;
        return true;
    }
    const partner_report *pr = session_report(report);
    out->r = pr->nresults ? &pr->results[0] : NULL;
    /* A result withheld by the rules (an item error) is the test's error. */
    if (pr->nwithheld) {
        snprintf(error->message, sizeof error->message, "%s", pr->withheld[0]);
        out->error = error->message;
        out->r = NULL;
    }
    return true;
}

/* ------------------------------------------------------------ comparing */

static void put_tier(const outcome *o, bool has, uint32_t tier, strbuf *got)
{
    sb_puts(got, has ? session_tier_name(o->m, o->p, tier) : "none");
}

static const req_list *view_list(const outcome *o, const char *view)
{
    if (strcmp(view, "renewal") == 0)
        return o->r->has_renewal ? &o->r->renewal : NULL;
    for (uint32_t t = 0; t < o->r->ntiers; t++)
        if (strcmp(session_tier_name(o->m, o->p, o->r->tiers[t].tier), view) == 0)
            return &o->r->tiers[t].reqs;
    return NULL;
}

/* A requirement's status and actual value against the expected ones. */
static bool compare_status(const bc_module *m, const req_result *q, const rtest_expect *e,
                           strbuf *got)
{
    const char *status = rubric_req_status_name((rubric_req_status)q->status);
    sb_puts(got, status);
    size_t status_len = got->len;
    sb_putc(got, ' ');
    write_json_value(m, q->actual, BC_NONE, got);
    if (e->kind == EXPECT_ABSENT || strcmp(status, e->status.text) != 0)
        return false;
    if (!e->value.text) {
        got->len = status_len; /* only the status was asked for */
        got->data[got->len] = '\0';
        return true;
    }
    char want[40];
    rtest_normalize_value(e->value.text, want);
    return strcmp(got->data + status_len + 1, want) == 0;
}

/* "met 4", "absent", or "no renewal" into got; true when it matches. */
static bool compare_requirement(const outcome *o, const rtest_expect *e, strbuf *got)
{
    const req_list *list = view_list(o, e->view.text);
    const req_result *q = list ? session_find_req(o->m, o->p, list, e->requirement.text) : NULL;
    if (!list) {
        sb_puts(got, "no renewal (the current tier is below the program's tiers)");
        return false;
    }
    if (!q) {
        sb_puts(got, "absent");
        return e->kind == EXPECT_ABSENT;
    }
    return compare_status(o->m, q, e, got);
}


/* The first application (item) with this label, or NULL. */
static const item_result *find_item(const outcome *o, const char *label)
{
    for (uint32_t i = 0; i < o->r->nitems; i++) {
        value v = o->r->items[i].label;
        if (v.kind == VK_STRING && v.len == strlen(label) && memcmp(v.as.s, label, v.len) == 0)
            return &o->r->items[i];
    }
    return NULL;
}

/* A requirement of an application, or its readiness, into got. */
static bool compare_item(const outcome *o, const rtest_expect *e, strbuf *got)
{
    const item_result *item = find_item(o, e->view.text);
    if (!item) {
        sb_puts(got, "no such application");
        return false;
    }
    if (e->kind == EXPECT_ITEM_STATUS) {
        sb_puts(got, item->ready ? "ready" : "not_ready");
        return strcmp(got->data, e->status.text) == 0;
    }
    const req_result *q = session_find_req(o->m, o->p, &item->reqs, e->requirement.text);
    if (!q) {
        sb_puts(got, "absent");
        return false;
    }
    rtest_expect as_requirement = *e;
    as_requirement.kind = EXPECT_REQUIREMENT;
    return compare_status(o->m, q, &as_requirement, got);
}

/* Row e->row (from 1) of report list e->view, column e->requirement. */
static bool compare_row(const outcome *o, const rtest_expect *e, strbuf *got)
{
    unsigned long row = strtoul(e->row.text, NULL, 10);
    for (uint32_t l = 0; l < o->r->nlists; l++) {
        const report_list_result *lr = &o->r->lists[l];
        const bc_report_list *list = &o->p->lists[lr->list];
        if (strcmp(module_str(o->m, list->name), e->view.text) != 0)
            continue;
        if (row == 0 || row > lr->nrows) {
            sb_printf(got, "%u rows", lr->nrows);
            return false;
        }
        for (uint32_t c = 0; c < list->ncolumns; c++) {
            if (strcmp(module_str(o->m, list->columns[c].name), e->requirement.text) != 0)
                continue;
            uint32_t chunk = list->columns[c].chunk;
            uint32_t type = chunk < o->m->nchunks ? o->m->chunks[chunk].ret_type : BC_NONE;
            write_plain_value(o->m, lr->rows[row - 1].values[c], write_enum_of_type(o->m, type),
                              got);
            return strcmp(got->data ? got->data : "", e->value.text) == 0;
        }
    }
    sb_puts(got, "no such row");
    return false;
}

/* The result's scalar that `expect KEYWORD VALUE` names, into got. */
static void scalar_of(const outcome *o, rtest_expect_kind kind, strbuf *got)
{
    const program_result *r = o->r;
    char date[11];
    switch (kind) {
    case EXPECT_ELIGIBLE_TIER:
        put_tier(o, r->eligible >= 0, (uint32_t)r->eligible, got);
        break;
    case EXPECT_CURRENT_TIER:
        sb_puts(got, module_str(o->m, o->m->enums[o->p->tier_enum].values[r->current_tier]));
        break;
    case EXPECT_RENEWAL_TIER:
        put_tier(o, r->has_renewal, r->renewal_tier, got);
        break;
    case EXPECT_RENEWAL_STATUS:
        sb_puts(got, r->has_renewal ? rubric_req_status_name(r->renewal_status) : "none");
        break;
    case EXPECT_REVIEW_DATE:
        cal_format_date(r->review_date, date);
        sb_puts(got, r->has_renewal ? date : "none");
        break;
    case EXPECT_UPGRADE_TIER:
        put_tier(o, r->has_upgrade, r->upgrade_tier, got);
        break;
    case EXPECT_UPGRADE_ELIGIBLE:
        sb_puts(got, !r->has_upgrade ? "none" : r->upgrade_eligible ? "true" : "false");
        break;
    default:
        break;
    }
}

/* Compare one expectation; got receives what the result holds. */
static bool compare(const outcome *o, const rtest_expect *e, strbuf *got)
{
    if (o->error) {
        sb_printf(got, "error: %s", o->error);
        return e->kind == EXPECT_ERROR && strstr(o->error, e->value.text) != NULL;
    }
    if (e->kind == EXPECT_ERROR) {
        sb_puts(got, "no error");
        return false;
    }
    if (!o->r) {
        sb_puts(got, "the program does not apply to this partner");
        return e->kind == EXPECT_NOT_APPLIED;
    }
    switch (e->kind) {
    case EXPECT_NOT_APPLIED:
        sb_puts(got, "the program applies");
        return false;
    case EXPECT_REQUIREMENT:
    case EXPECT_ABSENT:
        return compare_requirement(o, e, got);
    case EXPECT_ITEM_REQUIREMENT:
    case EXPECT_ITEM_STATUS:
        return compare_item(o, e, got);
    case EXPECT_ROW:
        return compare_row(o, e, got);
    default:
        scalar_of(o, e->kind, got);
        return strcmp(got->data ? got->data : "", e->value.text) == 0;
    }
}

/* ------------------------------------------------------------ printing */

static void print_expected(const rtest_expect *e)
{
    const char *value = e->value.text ? e->value.text : "";
    const char *space = e->value.text ? " " : "";
    switch (e->kind) {
    case EXPECT_REQUIREMENT:
    case EXPECT_ABSENT:
        printf("%s %s: expected %s%s%s", e->view.text, e->requirement.text, e->status.text,
               space, value);
        return;
    case EXPECT_ITEM_REQUIREMENT:
        printf("application \"%s\" %s: expected %s%s%s", e->view.text, e->requirement.text,
               e->status.text, space, value);
        return;
    case EXPECT_ITEM_STATUS:
        printf("application \"%s\": expected %s", e->view.text, e->status.text);
        return;
    case EXPECT_ROW:
        printf("%s %s %s: expected %s", e->view.text, e->row.text, e->requirement.text, value);
        return;
    default:
        break;
    }
    if (e->kind == EXPECT_ERROR)
        printf("error: expected \"%s\"", e->value.text);
    else
        printf("%s: expected %s", e->keyword.text,
               e->value.text ? e->value.text : e->keyword.text);
}

static bool run_case(rtest_ctx *ctx, const rtest_file *file, const rtest_case *c)
{
    outcome o;
    rubric_error error;
    char why[600];
    if (!evaluate(ctx, c, &o, &error, why, sizeof why)) {
        printf("FAIL %s:%u: %s\n  %s:%u: %s\n", file->path, c->name.line, c->name.text,
               file->path, c->data_word.line, why);
        return false;
    }
    bool passed = true;
    strbuf got;
    sb_init(&got, ctx->alloc);
    for (uint32_t i = 0; i < c->expects.len; i++) {
        const rtest_expect *e = &c->expects.items[i];
        sb_clear(&got);
        if (compare(&o, e, &got))
            continue;
        if (passed)
            printf("FAIL %s:%u: %s\n", file->path, c->name.line, c->name.text);
        passed = false;
        printf("  %s:%u: ", file->path, e->keyword.line);
        print_expected(e);
        printf(", got %s\n", got.data ? got.data : "");
    }
    if (passed && o.error && c->expects.len == 0) {
        printf("FAIL %s:%u: %s\n  %s:%u: error: %s\n", file->path, c->name.line, c->name.text,
               file->path, c->data_word.line, o.error);
        passed = false;
    }
    sb_free(&got);
    if (passed && ctx->verbose)
        printf("PASS %s:%u: %s\n", file->path, c->name.line, c->name.text);
    return passed;
}

void rtest_run_file(rtest_ctx *ctx, const rtest_file *file)
{
    for (uint32_t i = 0; i < file->cases.len; i++) {
        if (run_case(ctx, file, &file->cases.items[i]))
            ctx->passed++;
        else
            ctx->failed++;
    }
}
