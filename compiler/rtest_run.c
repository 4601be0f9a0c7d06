/* rtest_run.c — running the cases of a test file: the partner data, one
 * evaluation, and each expectation compared with the result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "compiler.h"
#include "file_read.h"
#include "json_reader.h"
#include "money.h"
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

/* A member of a JSON object: its key, and its text `"key": value` as
 * bytes start..end of the document. */
typedef struct member {
    char *key;
    size_t key_len, start, end;
} member;

typedef VEC(member) member_list;

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The end of a member whose value ends before the next member (or the
 * object's '}') at next: back over the blanks and the comma between. */
static size_t member_end(const char *doc, size_t next)
{
    while (next > 0 && is_blank(doc[next - 1]))
        next--;
    if (next > 0 && doc[next - 1] == ',')
        next--;
    while (next > 0 && is_blank(doc[next - 1]))
        next--;
    return next;
}

static void free_members(member_list *list)
{
    rubric_allocator alloc = mem_default_allocator();
    for (uint32_t i = 0; i < list->len; i++)
        free(list->items[i].key);
    vec_free(&alloc, list);
}

/* The members of the one object in doc (JSON_PADDING readable bytes after
 * its end), read as `rubric eval` reads a partner.  False, with why, when
 * doc is not one JSON object. */
static bool read_members(json_reader *r, const char *doc, size_t len, member_list *out,
                         const char **why)
{
    rubric_allocator alloc = mem_default_allocator();
    json_text t;
    json_token tok = json_begin(r, doc, len) ? json_next(r, &t) : JT_ERROR;
    *why = "not one JSON object";
    if (tok != JT_OBJECT_START)
        return false;
    while ((tok = json_next(r, &t)) == JT_KEY) {
        if (out->len)
            out->items[out->len - 1].end = member_end(doc, json_offset(r));
        member m = {strndup(t.ptr, t.len), t.len, json_offset(r), 0};
        if (!m.key || !vec_push(&alloc, out, m) || !json_skip(r, JT_KEY)) {
            free(m.key);
            tok = JT_ERROR;
            break;
        }
    }
    if (tok == JT_OBJECT_END && out->len)
        out->items[out->len - 1].end = member_end(doc, json_offset(r));
    if (tok == JT_OBJECT_END)
        tok = json_next(r, &t);
    if (tok == JT_ERROR && json_error_message(r)[0])
        *why = json_error_message(r);
    return tok == JT_END;
}

static bool has_key(const member_list *list, const member *m)
{
    for (uint32_t i = 0; i < list->len; i++)
        if (list->items[i].key_len == m->key_len &&
            memcmp(list->items[i].key, m->key, m->key_len) == 0)
            return true;
    return false;
}

/* A copy of text with JSON_PADDING zero bytes after it. */
static char *padded_copy(const char *text, size_t len)
{
    char *copy = calloc(1, len + JSON_PADDING);
    if (copy)
        memcpy(copy, text, len);
    return copy;
}

/* The members of base with those of block put in their place (or added),
 * as one object into out; false, with why, when either is not one JSON
 * object. */
static bool merge_members(json_reader *r, const char *base, size_t base_len, const char *block,
                          strbuf *out, char *why, size_t why_size)
{
    member_list b = {0}, o = {0};
    const char *reason;
    char *block_doc = padded_copy(block, strlen(block));
    bool ok = read_members(r, base, base_len, &b, &reason);
    if (!ok)
        snprintf(why, why_size, "the data file is %s", reason);
    else if (!block_doc || !(ok = read_members(r, block_doc, strlen(block), &o, &reason)))
        snprintf(why, why_size, "the data block is %s", block_doc ? reason : "out of memory");
    if (ok) {
        sb_putc(out, '{');
        for (uint32_t i = 0; i < b.len; i++) {
            if (has_key(&o, &b.items[i]))
                continue;
            sb_append(out, base + b.items[i].start, b.items[i].end - b.items[i].start);
            sb_putc(out, ',');
        }
        for (uint32_t i = 0; i < o.len; i++) {
            sb_append(out, block_doc + o.items[i].start, o.items[i].end - o.items[i].start);
            sb_putc(out, i + 1 < o.len ? ',' : ' ');
        }
        sb_putc(out, '}');
    }
    free(block_doc);
    free_members(&b);
    free_members(&o);
    return ok;
}

/* The data file's path: relative to the test file's directory. */
static char *data_path(const rtest_file *file, const char *name)
{
    const char *dir = file->tests->path;
    const char *slash = strrchr(dir, '/');
    size_t dir_len = name[0] == '/' || !slash ? 0 : (size_t)(slash - dir) + 1;
    char *path = malloc(dir_len + strlen(name) + 1);
    if (path) {
        memcpy(path, dir, dir_len);
        strcpy(path + dir_len, name);
    }
    return path;
}

/* The case's partner JSON into json; false, with why, when there is none. */
static bool case_json(const rtest_file *file, const rubric_test_case *c, strbuf *json,
                      char *why, size_t why_size)
{
    if (c->data_file.kind == RUBRIC_TEST_NONE) {
        sb_puts(json, c->data_block.text);
        return true;
    }
    char *path = data_path(file, c->data_file.text);
    rubric_allocator alloc = mem_default_allocator();
    file_text f = {0};
    rubric_status st = path ? file_read(&alloc, path, COMPILER_MAX_SOURCE_SIZE, &f)
                            : RUBRIC_ERR_NOMEM;
    if (path && st != RUBRIC_OK)
        snprintf(why, why_size, "%s", f.why);
    free(path);
    const char *text = st == RUBRIC_OK ? f.text : NULL;
    size_t len = f.len;
    bool ok = text != NULL;
    if (ok && c->data_block.kind == RUBRIC_TEST_NONE) {
        sb_append(json, text, len);
    } else if (ok) {
        rubric_config defaults; /* read as rubric eval reads a partner */
        rubric_config_init(&defaults);
        json_reader *r = json_reader_new(&defaults.allocator, defaults.limits.max_depth);
        char *doc = padded_copy(text, len);
        ok = r && doc && merge_members(r, doc, len, c->data_block.text, json, why, why_size);
        if (!r || !doc)
            snprintf(why, why_size, "out of memory");
        free(doc);
        json_reader_free(r);
    } else if (!path) {
        snprintf(why, why_size, "out of memory");
    }
    if (st == RUBRIC_OK)
        file_text_free(&alloc, &f);
    return ok;
}

/* ------------------------------------------------------------ evaluation */

static rubric_session *session_for(rtest_ctx *ctx, size_t module_index)
{
    if (!ctx->sessions[module_index])
        ctx->sessions[module_index] = rubric_session_new(ctx->modules[module_index], NULL);
    return ctx->sessions[module_index];
}

/* Evaluate the case; false (with why) when it could not be run at all. */
static bool evaluate(rtest_ctx *ctx, const rtest_file *file, const rubric_test_case *c,
                     outcome *out, rubric_error *error, char *why, size_t why_size)
{
    memset(out, 0, sizeof *out);
    size_t u;
    out->p = rtest_find_program(ctx, c->program.text, &out->m, &u);
    rubric_session *s = session_for(ctx, u);
    strbuf json;
    sb_init(&json, ctx->alloc);
    bool have_data = case_json(file, c, &json, why, why_size);
    if (!s || json.failed) {
        snprintf(why, why_size, "out of memory");
        have_data = false;
    }
    if (!have_data) {
        sb_free(&json);
        return false;
    }
    char as_of[11];
    cal_format_date((int32_t)c->as_of.number, as_of);
    const char *programs[] = {c->program.text};
    rubric_eval_options options = {as_of, programs, 1, false};
    const rubric_report *report;
    rubric_status st = rubric_session_eval(s, json.data, json.len, &options, &report, error);
    sb_free(&json);
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

/* ------------------------------------------------------------ values */

/* A value of the result as a test writes it: 4, $2,500, true, null,
 * 2026-12-15, "text", an enum's name. */
static void put_actual(const bc_module *m, value v, uint32_t enum_index, strbuf *out)
{
    char money[40];
    switch (v.kind) {
    case VK_MONEY:
        sb_append(out, money, money_format_display(v.as.i, money));
        break;
    case VK_STRING:
        write_json_string(out, v.as.s, v.len);
        break;
    case VK_NULL:
        sb_puts(out, "null");
        break;
    default:
        write_plain_value(m, v, enum_index, out);
        break;
    }
}

/* An expected value as the test wrote it. */
static void put_expected(const rubric_test_value *v, strbuf *out)
{
    char text[40];
    switch (v->kind) {
    case RUBRIC_TEST_INT:
        sb_put_int(out, v->number);
        break;
    case RUBRIC_TEST_MONEY:
        sb_append(out, text, money_format_display(v->number, text));
        break;
    case RUBRIC_TEST_BOOL:
        sb_puts(out, v->number ? "true" : "false");
        break;
    case RUBRIC_TEST_NULL:
        sb_puts(out, "null");
        break;
    case RUBRIC_TEST_DATE:
        cal_format_date((int32_t)v->number, text);
        sb_puts(out, text);
        break;
    case RUBRIC_TEST_MONTH:
        cal_format_month((int32_t)v->number, text);
        sb_puts(out, text);
        break;
    case RUBRIC_TEST_STRING:
        write_json_string(out, v->text, v->length);
        break;
    case RUBRIC_TEST_NAME:
        sb_puts(out, v->text);
        break;
    case RUBRIC_TEST_NONE:
        break;
    }
}

/* Whether v is the value expected: of the same kind (a count is not
 * money), and equal. */
static bool same_value(const bc_module *m, value v, uint32_t enum_index,
                       const rubric_test_value *want)
{
    switch (want->kind) {
    case RUBRIC_TEST_INT:
        return v.kind == VK_INT && v.as.i == want->number;
    case RUBRIC_TEST_MONEY:
        return v.kind == VK_MONEY && v.as.i == want->number;
    case RUBRIC_TEST_BOOL:
        return v.kind == VK_BOOL && v.as.b == (want->number != 0);
    case RUBRIC_TEST_NULL:
        return v.kind == VK_NULL;
    case RUBRIC_TEST_DATE:
        return v.kind == VK_DATE && v.as.d == want->number;
    case RUBRIC_TEST_MONTH:
        return v.kind == VK_MONTH && v.as.d == want->number;
    case RUBRIC_TEST_STRING:
        return v.kind == VK_STRING && v.len == want->length &&
               memcmp(v.as.s, want->text, v.len) == 0;
    case RUBRIC_TEST_NAME: {
        const char *name = v.kind == VK_ENUM ? write_enum_name(m, enum_index, v.as.e) : NULL;
        return name && strcmp(name, want->text) == 0;
    }
    case RUBRIC_TEST_NONE:
        break;
    }
    return false;
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
static bool compare_status(const bc_module *m, const req_result *q, const rubric_test_expect *e,
                           strbuf *got)
{
    const char *status = rubric_req_status_name((rubric_req_status)q->status);
    sb_puts(got, status);
    size_t status_len = got->len;
    sb_putc(got, ' ');
    put_actual(m, q->actual, BC_NONE, got);
    if (e->kind == RUBRIC_EXPECT_ABSENT || strcmp(status, e->status.text) != 0)
        return false;
    if (e->value.kind == RUBRIC_TEST_NONE) {
        got->len = status_len; /* only the status was asked for */
        got->data[got->len] = '\0';
        return true;
    }
    return same_value(m, q->actual, BC_NONE, &e->value);
}

/* "met 4", "absent", or "no renewal" into got; true when it matches. */
static bool compare_requirement(const outcome *o, const rubric_test_expect *e, strbuf *got)
{
    const req_list *list = view_list(o, e->subject.text);
    const req_result *q = list ? session_find_req(o->m, o->p, list, e->requirement.text) : NULL;
    if (!list) {
        sb_puts(got, "no renewal (the current tier is below the program's tiers)");
        return false;
    }
    if (!q) {
        sb_puts(got, "absent");
        return e->kind == RUBRIC_EXPECT_ABSENT;
    }
    return compare_status(o->m, q, e, got);
}

/* The first application (item) with this label, or NULL. */
static const item_result *find_item(const outcome *o, const rubric_test_value *label)
{
    for (uint32_t i = 0; i < o->r->nitems; i++) {
        value v = o->r->items[i].label;
        if (v.kind == VK_STRING && v.len == label->length &&
            memcmp(v.as.s, label->text, v.len) == 0)
            return &o->r->items[i];
    }
    return NULL;
}

/* A requirement of an application, or its readiness, into got. */
static bool compare_item(const outcome *o, const rubric_test_expect *e, strbuf *got)
{
    const item_result *item = find_item(o, &e->subject);
    if (!item) {
        sb_puts(got, "no such application");
        return false;
    }
    if (e->kind == RUBRIC_EXPECT_ITEM_STATUS) {
        sb_puts(got, item->ready ? "ready" : "not_ready");
        return strcmp(got->data, e->status.text) == 0;
    }
    const req_result *q = session_find_req(o->m, o->p, &item->reqs, e->requirement.text);
    if (!q) {
        sb_puts(got, "absent");
        return false;
    }
    return compare_status(o->m, q, e, got);
}

/* Row e->row (from 1) of report list e->subject, column e->requirement. */
static bool compare_row(const outcome *o, const rubric_test_expect *e, strbuf *got)
{
    for (uint32_t l = 0; l < o->r->nlists; l++) {
        const report_list_result *lr = &o->r->lists[l];
        const bc_report_list *list = &o->p->lists[lr->list];
        if (strcmp(module_str(o->m, list->name), e->subject.text) != 0)
            continue;
        if (e->row.number > lr->nrows) {
            sb_printf(got, "%u rows", lr->nrows);
            return false;
        }
        for (uint32_t c = 0; c < list->ncolumns; c++) {
            if (strcmp(module_str(o->m, list->columns[c].name), e->requirement.text) != 0)
                continue;
            uint32_t chunk = list->columns[c].chunk;
            uint32_t type = chunk < o->m->nchunks ? o->m->chunks[chunk].ret_type : BC_NONE;
            uint32_t enum_index = write_enum_of_type(o->m, type);
            value cell = lr->rows[e->row.number - 1].values[c];
            put_actual(o->m, cell, enum_index, got);
            return same_value(o->m, cell, enum_index, &e->value);
        }
    }
    sb_puts(got, "no such row");
    return false;
}

/* The result's scalar that `expect WORD VALUE` names, into got. */
static void scalar_of(const outcome *o, rubric_expect_kind kind, strbuf *got)
{
    const program_result *r = o->r;
    char date[11];
    switch (kind) {
    case RUBRIC_EXPECT_ELIGIBLE_TIER:
        put_tier(o, r->eligible >= 0, (uint32_t)r->eligible, got);
        break;
    case RUBRIC_EXPECT_CURRENT_TIER:
        sb_puts(got, module_str(o->m, o->m->enums[o->p->tier_enum].values[r->current_tier]));
        break;
    case RUBRIC_EXPECT_RENEWAL_TIER:
        put_tier(o, r->has_renewal, r->renewal_tier, got);
        break;
    case RUBRIC_EXPECT_RENEWAL_STATUS:
        sb_puts(got, r->has_renewal ? rubric_req_status_name(r->renewal_status) : "none");
        break;
    case RUBRIC_EXPECT_REVIEW_DATE:
        cal_format_date(r->review_date, date);
        sb_puts(got, r->has_renewal ? date : "none");
        break;
    case RUBRIC_EXPECT_UPGRADE_TIER:
        put_tier(o, r->has_upgrade, r->upgrade_tier, got);
        break;
    case RUBRIC_EXPECT_UPGRADE_ELIGIBLE:
        sb_puts(got, !r->has_upgrade ? "none" : r->upgrade_eligible ? "true" : "false");
        break;
    default:
        break;
    }
}

/* Whether what got holds reads as the expected value. */
static bool reads_as(const strbuf *got, const rubric_test_value *want, strbuf *scratch)
{
    sb_clear(scratch);
    put_expected(want, scratch);
    return strcmp(got->data ? got->data : "", scratch->data ? scratch->data : "") == 0;
}

/* Compare one expectation; got receives what the result holds. */
static bool compare(const outcome *o, const rubric_test_expect *e, strbuf *got, strbuf *scratch)
{
    if (o->error) {
        sb_printf(got, "error: %s", o->error);
        return e->kind == RUBRIC_EXPECT_ERROR && strstr(o->error, e->value.text) != NULL;
    }
    if (e->kind == RUBRIC_EXPECT_ERROR) {
        sb_puts(got, "no error");
        return false;
    }
    if (!o->r) {
        sb_puts(got, "the program does not apply to this partner");
        return e->kind == RUBRIC_EXPECT_NOT_APPLIED;
    }
    switch (e->kind) {
    case RUBRIC_EXPECT_NOT_APPLIED:
        sb_puts(got, "the program applies");
        return false;
    case RUBRIC_EXPECT_REQUIREMENT:
    case RUBRIC_EXPECT_ABSENT:
        return compare_requirement(o, e, got);
    case RUBRIC_EXPECT_ITEM_REQUIREMENT:
    case RUBRIC_EXPECT_ITEM_STATUS:
        return compare_item(o, e, got);
    case RUBRIC_EXPECT_ROW:
        return compare_row(o, e, got);
    default:
        scalar_of(o, e->kind, got);
        return reads_as(got, &e->value, scratch);
    }
}

/* ------------------------------------------------------------ printing */

/* "Select program_fee: expected met $2,500" and the like, into out. */
static void put_expectation(const rubric_test_expect *e, strbuf *out)
{
    switch (e->kind) {
    case RUBRIC_EXPECT_REQUIREMENT:
    case RUBRIC_EXPECT_ABSENT:
        sb_printf(out, "%s %s: expected %s", e->subject.text, e->requirement.text,
                  e->status.text);
        break;
    case RUBRIC_EXPECT_ITEM_REQUIREMENT:
        sb_puts(out, "application ");
        put_expected(&e->subject, out);
        sb_printf(out, " %s: expected %s", e->requirement.text, e->status.text);
        break;
    case RUBRIC_EXPECT_ITEM_STATUS:
        sb_puts(out, "application ");
        put_expected(&e->subject, out);
        sb_printf(out, ": expected %s", e->status.text);
        return;
    case RUBRIC_EXPECT_ROW:
        sb_printf(out, "%s %lld %s: expected", e->subject.text, (long long)e->row.number,
                  e->requirement.text);
        break;
    case RUBRIC_EXPECT_NOT_APPLIED:
        sb_puts(out, "not_applied: expected not_applied");
        return;
    default:
        sb_printf(out, "%s: expected", e->word.text);
        break;
    }
    if (e->value.kind != RUBRIC_TEST_NONE) {
        sb_putc(out, ' ');
        put_expected(&e->value, out);
    }
}

static bool run_case(rtest_ctx *ctx, const rtest_file *file, const rubric_test_case *c)
{
    const char *path = file->tests->path;
    outcome o;
    rubric_error error;
    char why[sizeof ((file_text *)0)->why + 100];
    if (!evaluate(ctx, file, c, &o, &error, why, sizeof why)) {
        sb_printf(&ctx->out, "FAIL %s:%u: %s\n  %s:%u: %s\n", path, c->title.at.line,
                  c->title.text, path, c->data_at.line, why);
        return false;
    }
    bool passed = true;
    strbuf got, scratch;
    sb_init(&got, ctx->alloc);
    sb_init(&scratch, ctx->alloc);
    for (size_t i = 0; i < c->expect_count; i++) {
        const rubric_test_expect *e = &c->expects[i];
        sb_clear(&got);
        if (compare(&o, e, &got, &scratch))
            continue;
        if (passed)
            sb_printf(&ctx->out, "FAIL %s:%u: %s\n", path, c->title.at.line, c->title.text);
        passed = false;
        sb_clear(&scratch);
        put_expectation(e, &scratch);
        sb_printf(&ctx->out, "  %s:%u: %s, got %s\n", path, e->word.at.line,
                  scratch.data ? scratch.data : "", got.data ? got.data : "");
    }
    sb_free(&got);
    sb_free(&scratch);
    if (passed && ctx->verbose)
        sb_printf(&ctx->out, "PASS %s:%u: %s\n", path, c->title.at.line, c->title.text);
    return passed;
}

void rtest_run_case(rtest_ctx *ctx, const rtest_file *file, const rubric_test_case *c)
{
    if (run_case(ctx, file, c))
        ctx->passed++;
    else
        ctx->failed++;
}
