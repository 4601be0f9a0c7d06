/* rtest_check.c — names in a test file checked against the rules before any
 * test runs: programs, tiers, requirement ids, statuses and values, each
 * wrong one a diagnostic with a did-you-mean. */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "money.h"
#include "rtest.h"
#include "session.h"

#define MAX_CANDIDATES 256

static const char *const statuses[] = {"met", "not_met", "at_risk", "grace", "not_applicable"};
#define NSTATUSES (sizeof statuses / sizeof statuses[0])

const bc_program *rtest_find_program(const cli_rules *rules, const char *id,
                                     const bc_module **module, size_t *module_index)
{
    for (size_t u = 0; u < rules->count; u++) {
        const bc_module *m = session_module(rules->modules[u]);
        for (uint32_t i = 0; i < m->nprograms; i++) {
            if (strcmp(module_str(m, m->programs[i].id), id) == 0) {
                *module = m;
                *module_index = u;
                return &m->programs[i];
            }
        }
    }
    return NULL;
}

void rtest_node_path(const bc_module *m, const bc_program *p, uint32_t node, strbuf *out)
{
    if (p->nodes[node].parent != BC_NONE) {
        rtest_node_path(m, p, p->nodes[node].parent, out);
        sb_putc(out, '.');
    }
    sb_puts(out, module_str(m, p->nodes[node].id));
}

bool rtest_normalize_value(const char *text, char out[40])
{
    if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0 || strcmp(text, "null") == 0) {
        snprintf(out, 40, "%s", text);
        return true;
    }
    /* $10,498.56 as rules write money, or a plain decimal 10498.56. */
    char digits[40];
    size_t n = 0;
    for (const char *c = text[0] == '$' ? text + 1 : text; *c; c++) {
        if (*c == ',' && text[0] == '$')
            continue;
        if (n + 1 >= sizeof digits)
            return false;
        digits[n++] = *c;
    }
    digits[n] = '\0';
    int64_t cents;
    const char *why;
    if (!n || !money_parse_decimal(digits, n, &cents, &why))
        return false;
    money_format_plain(cents, out);
    return true;
}

/* ------------------------------------------------------------ reporting */

typedef struct checker {
    rtest_ctx *ctx;
    const rtest_file *file;
    bool ok;
} checker;

static void unknown(checker *k, rtest_word w, const char *what, const char *const *candidates,
                    size_t count)
{
    diag_error(&k->ctx->diags, rtest_loc(k->file, w), "unknown %s '%s'", what, w.text);
    const char *near = suggest_name(w.text, candidates, count);
    if (near)
        diag_hint(&k->ctx->diags, "did you mean '%s'?", near);
    k->ok = false;
}

static bool one_of(const char *text, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(text, names[i]) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------ names */

typedef struct program_names {
    const bc_module *m;
    const bc_program *p;
    const char *tiers[MAX_CANDIDATES];   /* the program's tiers, then extra words */
    size_t ntiers;
    const char *values[MAX_CANDIDATES];  /* every value of the tier enum */
    size_t nvalues;
    const char *reqs[MAX_CANDIDATES];    /* "id" and "parent.part" */
    size_t nreqs;
} program_names;

static void collect_names(checker *k, const bc_module *m, const bc_program *p,
                          program_names *out)
{
    memset(out, 0, sizeof *out);
    out->m = m;
    out->p = p;
    if (p->kind == PROGRAM_TIERED) {
        for (uint32_t t = 0; t < p->ntiers && out->ntiers < MAX_CANDIDATES; t++)
            out->tiers[out->ntiers++] = session_tier_name(m, p, t);
        const bc_enum *e = &m->enums[p->tier_enum];
        for (uint32_t v = 0; v < e->nvalues && out->nvalues < MAX_CANDIDATES; v++)
            out->values[out->nvalues++] = module_str(m, e->values[v]);
    }
    strbuf sb;
    sb_init(&sb, k->ctx->alloc);
    for (uint32_t i = 0; i < p->nnodes && out->nreqs < MAX_CANDIDATES; i++) {
        sb_clear(&sb);
        rtest_node_path(m, p, i, &sb);
        out->reqs[out->nreqs++] = arena_strndup(&k->ctx->mem, sb.data ? sb.data : "", sb.len);
    }
    sb_free(&sb);
}

static void check_tier_or_none(checker *k, rtest_word w, const program_names *names)
{
    if (strcmp(w.text, "none") != 0 && !one_of(w.text, names->tiers, names->ntiers))
        unknown(k, w, "tier", names->tiers, names->ntiers);
}

static void check_value(checker *k, rtest_word w)
{
    char normalized[40];
    if (w.text && !rtest_normalize_value(w.text, normalized)) {
        diag_error(&k->ctx->diags, rtest_loc(k->file, w),
                   "'%s' is not a value: write a count (4), money ($10,000), true, false "
                   "or null", w.text);
        k->ok = false;
    }
}

static void check_requirement(checker *k, const rtest_expect *e, const program_names *names)
{
    if (strcmp(e->view.text, "renewal") != 0 &&
        !one_of(e->view.text, names->tiers, names->ntiers))
        unknown(k, e->view, "tier (or 'renewal')", names->tiers, names->ntiers);
    if (!one_of(e->requirement.text, names->reqs, names->nreqs))
        unknown(k, e->requirement, "requirement", names->reqs, names->nreqs);
    if (e->kind == EXPECT_REQUIREMENT && !one_of(e->status.text, statuses, NSTATUSES))
        unknown(k, e->status, "status", statuses, NSTATUSES);
    check_value(k, e->value);
}

static void wrong_kind(checker *k, rtest_word w, const char *message)
{
    diag_error(&k->ctx->diags, rtest_loc(k->file, w), "%s", message);
    k->ok = false;
}

static void check_item_requirement(checker *k, const rtest_expect *e, const program_names *names)
{
    if (names->p->kind != PROGRAM_PER_ITEM) {
        wrong_kind(k, e->keyword, "'expect application' is for programs that evaluate each "
                   "application on its own");
        return;
    }
    if (!one_of(e->requirement.text, names->reqs, names->nreqs))
        unknown(k, e->requirement, "requirement", names->reqs, names->nreqs);
    if (!one_of(e->status.text, statuses, NSTATUSES))
        unknown(k, e->status, "status", statuses, NSTATUSES);
    check_value(k, e->value);
}

/* expect LIST ROW COLUMN VALUE: the list and the column must exist. */
static void check_row(checker *k, const rtest_expect *e, const program_names *names)
{
    const bc_module *m = names->m;
    const bc_program *p = names->p;
    const char *lists[MAX_CANDIDATES];
    size_t nlists = 0;
    for (uint32_t l = 0; l < p->nlists && nlists < MAX_CANDIDATES; l++) {
        lists[nlists++] = module_str(m, p->lists[l].name);
        if (strcmp(lists[nlists - 1], e->view.text) != 0)
            continue;
        const char *columns[MAX_CANDIDATES];
        size_t ncolumns = 0;
        for (uint32_t c = 0; c < p->lists[l].ncolumns && ncolumns < MAX_CANDIDATES; c++)
            columns[ncolumns++] = module_str(m, p->lists[l].columns[c].name);
        if (!one_of(e->requirement.text, columns, ncolumns))
            unknown(k, e->requirement, "column", columns, ncolumns);
        if (strcmp(e->row.text, "0") == 0)
            wrong_kind(k, e->row, "rows are numbered from 1");
        return;
    }
    unknown(k, e->view, "report list", lists, nlists);
}

static void check_date(checker *k, rtest_word w)
{
    int32_t days;
    const char *why;
    if (!cal_parse_date(w.text, strlen(w.text), &days, &why)) {
        diag_error(&k->ctx->diags, rtest_loc(k->file, w), "'%s' is not a date: %s", w.text,
                   why);
        k->ok = false;
    }
}

static void check_expect(checker *k, const rtest_expect *e, const program_names *names)
{
    static const char *const renewal_statuses[] = {"met", "not_met", "at_risk", "none"};
    static const char *const booleans[] = {"true", "false"};
    bool about_tiers = e->kind <= EXPECT_UPGRADE_ELIGIBLE;
    if (about_tiers && names->p->kind != PROGRAM_TIERED) {
        wrong_kind(k, e->keyword, "this program has no tiers: expect application \"LABEL\" "
                   "..., a report row, not_applied or error");
        return;
    }
    switch (e->kind) {
    case EXPECT_REQUIREMENT:
    case EXPECT_ABSENT:
        check_requirement(k, e, names);
        break;
    case EXPECT_ELIGIBLE_TIER:
    case EXPECT_RENEWAL_TIER:
    case EXPECT_UPGRADE_TIER:
        check_tier_or_none(k, e->value, names);
        break;
    case EXPECT_CURRENT_TIER:
        if (!one_of(e->value.text, names->values, names->nvalues))
            unknown(k, e->value, "tier", names->values, names->nvalues);
        break;
    case EXPECT_RENEWAL_STATUS:
        if (!one_of(e->value.text, renewal_statuses, 4))
            unknown(k, e->value, "renewal status", renewal_statuses, 4);
        break;
    case EXPECT_UPGRADE_ELIGIBLE:
        if (!one_of(e->value.text, booleans, 2))
            unknown(k, e->value, "value (true or false)", booleans, 2);
        break;
    case EXPECT_REVIEW_DATE:
        check_date(k, e->value);
        break;
    case EXPECT_ITEM_REQUIREMENT:
        check_item_requirement(k, e, names);
        break;
    case EXPECT_ITEM_STATUS: {
        static const char *const item_statuses[] = {"ready", "not_ready"};
        if (names->p->kind != PROGRAM_PER_ITEM)
            wrong_kind(k, e->keyword, "'expect application' is for programs that evaluate "
                       "each application on its own");
        else if (!one_of(e->status.text, item_statuses, 2))
            unknown(k, e->status, "application status", item_statuses, 2);
        break;
    }
    case EXPECT_ROW:
        check_row(k, e, names);
        break;
    case EXPECT_NOT_APPLIED:
    case EXPECT_ERROR:
        break;
    }
}

static void missing(checker *k, const rtest_case *c, const char *what)
{
    diag_error(&k->ctx->diags, rtest_loc(k->file, c->name), "test \"%s\" has no %s",
               c->name.text, what);
    k->ok = false;
}

static void check_program(checker *k, const rtest_case *c, program_names *names)
{
    const char *ids[MAX_CANDIDATES];
    size_t nids = 0;
    const bc_module *m;
    size_t u;
    const bc_program *p = rtest_find_program(k->ctx->rules, c->program.text, &m, &u);
    if (p) {
        collect_names(k, m, p, names);
        return;
    }
    for (size_t r = 0; r < k->ctx->rules->count; r++) {
        const bc_module *mod = session_module(k->ctx->rules->modules[r]);
        for (uint32_t i = 0; i < mod->nprograms && nids < MAX_CANDIDATES; i++)
            ids[nids++] = module_str(mod, mod->programs[i].id);
    }
    unknown(k, c->program, "program", ids, nids);
}

static void check_case(checker *k, const rtest_case *c)
{
    if (!c->as_of.text)
        missing(k, c, "as_of date");
    else
        check_date(k, c->as_of);
    if (!c->data_path && !c->data_block)
        missing(k, c, "data");
    if (c->expects.len == 0)
        missing(k, c, "expect line");
    if (!c->program.text) {
        missing(k, c, "program");
        return;
    }
    program_names *names = arena_alloc(&k->ctx->mem, sizeof *names);
    if (!names) {
        k->ok = false;
        return;
    }
    memset(names, 0, sizeof *names);
    uint32_t errors = k->ctx->diags.errors;
    check_program(k, c, names);
    if (k->ctx->diags.errors != errors)
        return;
    for (uint32_t i = 0; i < c->expects.len; i++)
        check_expect(k, &c->expects.items[i], names);
}

bool rtest_check(rtest_ctx *ctx, const rtest_file *file)
{
    checker k = {ctx, file, true};
    for (uint32_t i = 0; i < file->cases.len; i++)
        check_case(&k, &file->cases.items[i]);
    if (file->cases.len == 0) {
        rtest_word top = {NULL, 1, 1, 1, false};
        diag_error(&ctx->diags, rtest_loc(file, top), "no test in this file");
        k.ok = false;
    }
    return k.ok;
}
