/*
 * summary.c — a population's results counted (rubric_summary_*, `rubric
 * eval -f summary|summary-json`): per program the partners and errors,
 * the current x eligible tier matrix, renewal statuses and review dates
 * due per current tier, upgrade-eligible counts, and the requirements
 * most often not met or at risk at renewal, per tier.  Built on the public
 * result model, so embedders and bindings get the same counts.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "mem.h"
#include "rubric.h"
#include "write.h"

/* One count in a table: row x column (interned strings). */
typedef struct cell {
    const char *row;
    const char *col;
    uint64_t n;
} cell;

typedef VEC(cell) cells;

typedef struct program_sum {
    const char *id, *title;
    bool tiered;
    uint64_t partners, errors, items_ready, items_not_ready;
    VEC(const char *) tiers;   /* the program's tiers, lowest first */
    cells matrix;              /* current x eligible ("none")        */
    cells renewal;             /* current x met|at_risk|not_met|none */
    cells due;                 /* current x 30|60|90                 */
    cells upgrade;             /* current x eligible|not_eligible    */
    cells gaps;                /* tier x requirement id: not met or at risk */
} program_sum;

struct rubric_summary {
    rubric_allocator alloc;
    VEC(char *) strings;
    VEC(program_sum) programs;
    uint64_t partners, errors, results;
    int32_t as_of;
    bool has_as_of;
    char *last_partner;        /* consecutive adds of one partner count once */
    bool failed;
};

enum { SUMMARY_TOP_GAPS = 5 };

/* ------------------------------------------------------------ counting */

static const char *intern(rubric_summary *s, const char *text, size_t len)
{
    for (uint32_t i = 0; i < s->strings.len; i++)
        if (strlen(s->strings.items[i]) == len && memcmp(s->strings.items[i], text, len) == 0)
            return s->strings.items[i];
    char *copy = mem_strndup(&s->alloc, text, len);
    if (!copy || !vec_push(&s->alloc, &s->strings, copy)) {
        if (copy)
            mem_free(&s->alloc, copy, len + 1);
        s->failed = true;
        return "";
    }
    return copy;
}

static const char *intern_cstr(rubric_summary *s, const char *text)
{
    return intern(s, text ? text : "none", text ? strlen(text) : 4);
}

static void count(rubric_summary *s, cells *table, const char *row, const char *col)
{
    for (uint32_t i = 0; i < table->len; i++) {
        if (table->items[i].row == row && table->items[i].col == col) {
            table->items[i].n++;
            return;
        }
    }
    cell c = {row, col, 1};
    if (!vec_push(&s->alloc, table, c))
        s->failed = true;
}

static program_sum *program_of(rubric_summary *s, const rubric_result *r)
{
    const char *id = intern_cstr(s, r->program_id);
    for (uint32_t i = 0; i < s->programs.len; i++)
        if (s->programs.items[i].id == id)
            return &s->programs.items[i];
    program_sum p = {0};
    p.id = id;
    p.title = intern_cstr(s, r->program_title ? r->program_title : r->program_id);
    p.tiered = r->kind == RUBRIC_PROGRAM_TIERED;
    for (size_t t = 0; t < r->tier_count; t++) {
        const char *tier = intern_cstr(s, r->tiers[t].tier);
        if (!vec_push(&s->alloc, &p.tiers, tier))
            s->failed = true;
    }
    if (!vec_push(&s->alloc, &s->programs, p)) {
        s->failed = true;
        return NULL;
    }
    return &s->programs.items[s->programs.len - 1];
}

static void count_due(rubric_summary *s, program_sum *p, const char *current,
                      const rubric_view *renewal, int32_t as_of)
{
    if (renewal->review_date.kind != RUBRIC_VALUE_DATE)
        return;
    int32_t days = renewal->review_date.as.date.days - as_of;
    static const struct { int32_t days; const char *name; } windows[] = {
        {30, "30"}, {60, "60"}, {90, "90"}};
    for (size_t w = 0; w < 3; w++)
        if (days >= 0 && days <= windows[w].days)
            count(s, &p->due, current, intern_cstr(s, windows[w].name));
}

static void count_gaps(rubric_summary *s, program_sum *p, const rubric_view *renewal)
{
    const char *tier = intern_cstr(s, renewal->tier);
    for (size_t i = 0; i < renewal->requirement_count; i++) {
        const rubric_requirement *q = &renewal->requirements[i];
        if (q->status == RUBRIC_NOT_MET || q->status == RUBRIC_AT_RISK)
            count(s, &p->gaps, tier, intern_cstr(s, q->id));
    }
}

static void add_tiered(rubric_summary *s, program_sum *p, const rubric_result *r)
{
    const char *current = intern_cstr(s, r->current_tier);
    count(s, &p->matrix, current, intern_cstr(s, r->eligible_tier));
    const rubric_view *renewal = r->renewal;
    count(s, &p->renewal, current,
          intern_cstr(s, renewal ? rubric_req_status_name(renewal->status) : NULL));
    if (renewal) {
        count_due(s, p, current, renewal, r->as_of.days);
        count_gaps(s, p, renewal);
    }
    if (r->upgrade)
        count(s, &p->upgrade, current,
              intern_cstr(s, r->upgrade->eligible ? "eligible" : "not_eligible"));
}

static bool same_partner(const rubric_summary *s, const rubric_value *id)
{
    return s->last_partner && id->kind == RUBRIC_VALUE_STRING &&
           strlen(s->last_partner) == id->as.string.length &&
           memcmp(s->last_partner, id->as.string.chars, id->as.string.length) == 0;
}

static void remember_partner(rubric_summary *s, const rubric_value *id)
{
    if (same_partner(s, id))
        return;
    s->partners++;
    if (s->last_partner)
        mem_free(&s->alloc, s->last_partner, strlen(s->last_partner) + 1);
    s->last_partner = NULL;
    if (id->kind == RUBRIC_VALUE_STRING) {
        s->last_partner = mem_strndup(&s->alloc, id->as.string.chars, id->as.string.length);
        if (!s->last_partner)
            s->failed = true;
    }
}

rubric_status rubric_summary_add(rubric_summary *s, const rubric_result *results,
                                 size_t count, const rubric_program_error *errors,
                                 size_t error_count)
{
    if (count)
        remember_partner(s, &results[0].partner_id);
    for (size_t i = 0; i < count && !s->failed; i++) {
        const rubric_result *r = &results[i];
        program_sum *p = program_of(s, r);
        if (!p)
            break;
        if (!s->has_as_of) {
            s->as_of = r->as_of.days;
            s->has_as_of = true;
        }
        s->results++;
        p->partners++;
        if (r->kind == RUBRIC_PROGRAM_TIERED)
            add_tiered(s, p, r);
        for (size_t k = 0; k < r->item_count; k++) {
            if (r->items[k].status == RUBRIC_ITEM_READY)
                p->items_ready++;
            else
                p->items_not_ready++;
        }
    }
    for (size_t i = 0; i < error_count && !s->failed; i++) {
        s->errors++;
        rubric_result named = {0};
        named.program_id = errors[i].program_id;
        named.program_title = errors[i].program_title;
        program_sum *p = program_of(s, &named);
        if (p)
            p->errors++;
    }
    return s->failed ? RUBRIC_ERR_NOMEM : RUBRIC_OK;
}

void rubric_summary_add_failure(rubric_summary *s)
{
    s->errors++;
}

rubric_summary *rubric_summary_new(const rubric_config *config)
{
    rubric_allocator alloc = config && config->allocator.realloc ? config->allocator
                                                                 : mem_default_allocator();
    rubric_summary *s = mem_calloc(&alloc, 1, sizeof *s);
    if (s)
        s->alloc = alloc;
    return s;
}

void rubric_summary_free(rubric_summary *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->programs.len; i++) {
        program_sum *p = &s->programs.items[i];
        vec_free(&s->alloc, &p->tiers);
        vec_free(&s->alloc, &p->matrix);
        vec_free(&s->alloc, &p->renewal);
        vec_free(&s->alloc, &p->due);
        vec_free(&s->alloc, &p->upgrade);
        vec_free(&s->alloc, &p->gaps);
    }
    vec_free(&s->alloc, &s->programs);
    for (uint32_t i = 0; i < s->strings.len; i++)
        mem_free(&s->alloc, s->strings.items[i], strlen(s->strings.items[i]) + 1);
    vec_free(&s->alloc, &s->strings);
    if (s->last_partner)
        mem_free(&s->alloc, s->last_partner, strlen(s->last_partner) + 1);
    rubric_allocator alloc = s->alloc;
    mem_free(&alloc, s, sizeof *s);
}

/* ------------------------------------------------------------ reading the counts */

static uint64_t cell_count(const cells *table, const char *row, const char *col)
{
    for (uint32_t i = 0; i < table->len; i++)
        if (strcmp(table->items[i].row, row) == 0 && strcmp(table->items[i].col, col) == 0)
            return table->items[i].n;
    return 0;
}

/* The rows of a program's tables: current tiers below the first tier
 * (Registered) first, then the program's tiers in order. */
static size_t tier_rows(const program_sum *p, const char **rows, size_t max)
{
    size_t n = 0;
    for (uint32_t i = 0; i < p->matrix.len && n < max; i++) {
        const char *row = p->matrix.items[i].row;
        bool known = false;
        for (uint32_t t = 0; t < p->tiers.len; t++)
            known = known || p->tiers.items[t] == row;
        for (size_t k = 0; k < n; k++)
            known = known || rows[k] == row;
        if (!known)
            rows[n++] = row;
    }
    for (uint32_t t = 0; t < p->tiers.len && n < max; t++)
        rows[n++] = p->tiers.items[t];
    return n;
}

/* The requirements of one tier most often not met or at risk, most first
 * (ties in the order first met). */
static size_t top_gaps(const program_sum *p, const char *tier, const cell **top, size_t max)
{
    size_t n = 0;
    for (uint32_t i = 0; i < p->gaps.len; i++) {
        const cell *c = &p->gaps.items[i];
        if (c->row != tier)
            continue;
        size_t at = n < max ? n : max;
        while (at > 0 && top[at - 1]->n < c->n)
            at--;
        if (at >= max)
            continue;
        for (size_t k = (n < max ? n : max - 1); k > at; k--)
            top[k] = top[k - 1];
        top[at] = c;
        if (n < max)
            n++;
    }
    return n;
}

/* ------------------------------------------------------------ text */

enum { SUMMARY_MAX_ROWS = 64, SUMMARY_COLUMN = 13 };

static const char *const RENEWAL_COLUMNS[] = {"met", "at_risk", "not_met"};
static const char *const DUE_COLUMNS[] = {"30", "60", "90"};
static const char *const UPGRADE_COLUMNS[] = {"eligible", "not_eligible"};

static void text_row_head(strbuf *out, const char *row)
{
    sb_printf(out, "    %-*s", SUMMARY_COLUMN, row);
}

static void text_matrix(const program_sum *p, const char **rows, size_t nrows, strbuf *out)
{
    sb_puts(out, "  Current tier (rows) x eligible tier (columns)\n");
    text_row_head(out, "");
    sb_printf(out, "%10s", "none");
    for (uint32_t t = 0; t < p->tiers.len; t++)
        sb_printf(out, " %10s", p->tiers.items[t]);
    sb_putc(out, '\n');
    for (size_t r = 0; r < nrows; r++) {
        text_row_head(out, rows[r]);
        sb_printf(out, "%10llu", (unsigned long long)cell_count(&p->matrix, rows[r], "none"));
        for (uint32_t t = 0; t < p->tiers.len; t++)
            sb_printf(out, " %10llu",
                      (unsigned long long)cell_count(&p->matrix, rows[r], p->tiers.items[t]));
        sb_putc(out, '\n');
    }
}

static void text_renewal(const program_sum *p, const char **rows, size_t nrows, strbuf *out)
{
    sb_puts(out, "  Renewal by current tier (review dates due within 30, 60, 90 days)\n");
    text_row_head(out, "");
    sb_puts(out, "       met    at risk    not met     due 30     due 60     due 90\n");
    for (size_t r = 0; r < nrows; r++) {
        if (!cell_count(&p->renewal, rows[r], "met") &&
            !cell_count(&p->renewal, rows[r], "at_risk") &&
            !cell_count(&p->renewal, rows[r], "not_met"))
            continue; /* below the first tier: no renewal */
        text_row_head(out, rows[r]);
        for (size_t c = 0; c < 3; c++)
            sb_printf(out, "%s%10llu", c ? " " : "",
                      (unsigned long long)cell_count(&p->renewal, rows[r], RENEWAL_COLUMNS[c]));
        for (size_t c = 0; c < 3; c++)
            sb_printf(out, " %10llu",
                      (unsigned long long)cell_count(&p->due, rows[r], DUE_COLUMNS[c]));
        sb_putc(out, '\n');
    }
}

static void text_upgrade(const program_sum *p, const char **rows, size_t nrows, strbuf *out)
{
    sb_puts(out, "  Upgrade to the next tier by current tier\n");
    text_row_head(out, "");
    sb_puts(out, "  eligible  not eligible\n");
    for (size_t r = 0; r < nrows; r++) {
        uint64_t yes = cell_count(&p->upgrade, rows[r], "eligible");
        uint64_t no = cell_count(&p->upgrade, rows[r], "not_eligible");
        if (!yes && !no)
            continue;
        text_row_head(out, rows[r]);
        sb_printf(out, "%10llu %13llu\n", (unsigned long long)yes, (unsigned long long)no);
    }
}

static void text_gaps(const program_sum *p, strbuf *out)
{
    sb_puts(out, "  Requirements most often not met or at risk at renewal\n");
    bool any = false;
    for (uint32_t t = 0; t < p->tiers.len; t++) {
        const cell *top[SUMMARY_TOP_GAPS];
        size_t n = top_gaps(p, p->tiers.items[t], top, SUMMARY_TOP_GAPS);
        if (!n)
            continue;
        any = true;
        sb_printf(out, "    %s:", p->tiers.items[t]);
        for (size_t k = 0; k < n; k++)
            sb_printf(out, "%s %s %llu", k ? "," : "", top[k]->col,
                      (unsigned long long)top[k]->n);
        sb_putc(out, '\n');
    }
    if (!any)
        sb_puts(out, "    none\n");
}

static void text_program(const program_sum *p, strbuf *out)
{
    sb_printf(out, "\n%s (%s)\n", p->title, p->id);
    sb_printf(out, "  Partners %llu, errors %llu\n", (unsigned long long)p->partners,
              (unsigned long long)p->errors);
    if (!p->tiered) {
        sb_printf(out, "  Items ready %llu, not ready %llu\n",
                  (unsigned long long)p->items_ready, (unsigned long long)p->items_not_ready);
        return;
    }
    const char *rows[SUMMARY_MAX_ROWS];
    size_t nrows = tier_rows(p, rows, SUMMARY_MAX_ROWS);
    text_matrix(p, rows, nrows, out);
    text_renewal(p, rows, nrows, out);
    text_upgrade(p, rows, nrows, out);
    text_gaps(p, out);
}

static const char DOUBLE_COUNT_NOTE[] =
    "a partner evaluated under several programs, such as a consulting partner under "
    "apn-2019-consulting and apn-2022-services, counts once in the total and once in "
    "each program";

static void summary_text(const rubric_summary *s, strbuf *out)
{
    char date[11] = "";
    if (s->has_as_of)
        cal_format_date(s->as_of, date);
    sb_printf(out, "Summary as of %s\n", s->has_as_of ? date : "-");
    sb_printf(out, "  Partners %llu, results %llu, errors %llu\n",
              (unsigned long long)s->partners, (unsigned long long)s->results,
              (unsigned long long)s->errors);
    sb_printf(out, "  (%s)\n", DOUBLE_COUNT_NOTE);
    for (uint32_t i = 0; i < s->programs.len; i++)
        text_program(&s->programs.items[i], out);
}

/* ------------------------------------------------------------ json */

static void json_key(strbuf *out, bool *first, const char *key)
{
    sb_puts(out, *first ? "" : ",");
    *first = false;
    write_json_string(out, key, strlen(key));
    sb_putc(out, ':');
}

static void json_counts(strbuf *out, const cells *table, const char *row,
                        const char *const *cols, size_t ncols)
{
    sb_putc(out, '{');
    bool first = true;
    for (size_t c = 0; c < ncols; c++) {
        json_key(out, &first, cols[c]);
        sb_printf(out, "%llu", (unsigned long long)cell_count(table, row, cols[c]));
    }
    sb_putc(out, '}');
}

static void json_per_row(strbuf *out, const program_sum *p, const char **rows, size_t nrows,
                         const cells *table, const char *const *cols, size_t ncols)
{
    sb_putc(out, '{');
    bool first = true;
    for (size_t r = 0; r < nrows; r++) {
        json_key(out, &first, rows[r]);
        json_counts(out, table, rows[r], cols, ncols);
    }
    (void)p;
    sb_putc(out, '}');
}

static void json_gaps(strbuf *out, const program_sum *p)
{
    sb_putc(out, '{');
    bool first = true;
    for (uint32_t t = 0; t < p->tiers.len; t++) {
        const cell *top[SUMMARY_TOP_GAPS];
        size_t n = top_gaps(p, p->tiers.items[t], top, SUMMARY_TOP_GAPS);
        json_key(out, &first, p->tiers.items[t]);
        sb_putc(out, '[');
        for (size_t k = 0; k < n; k++) {
            sb_puts(out, k ? ",{\"requirement\":" : "{\"requirement\":");
            write_json_string(out, top[k]->col, strlen(top[k]->col));
            sb_printf(out, ",\"partners\":%llu}", (unsigned long long)top[k]->n);
        }
        sb_putc(out, ']');
    }
    sb_putc(out, '}');
}

static void json_program(const program_sum *p, strbuf *out)
{
    sb_puts(out, "{\"id\":");
    write_json_string(out, p->id, strlen(p->id));
    sb_puts(out, ",\"title\":");
    write_json_string(out, p->title, strlen(p->title));
    sb_printf(out, ",\"kind\":\"%s\",\"partners\":%llu,\"errors\":%llu",
              p->tiered ? "tiered" : "per_item", (unsigned long long)p->partners,
              (unsigned long long)p->errors);
    if (!p->tiered) {
        sb_printf(out, ",\"items_ready\":%llu,\"items_not_ready\":%llu}",
                  (unsigned long long)p->items_ready, (unsigned long long)p->items_not_ready);
        return;
    }
    const char *rows[SUMMARY_MAX_ROWS];
    size_t nrows = tier_rows(p, rows, SUMMARY_MAX_ROWS);
    const char *cols[SUMMARY_MAX_ROWS + 1] = {"none"};
    size_t ncols = 1;
    for (uint32_t t = 0; t < p->tiers.len && ncols <= SUMMARY_MAX_ROWS; t++)
        cols[ncols++] = p->tiers.items[t];
    sb_puts(out, ",\"tiers\":[");
    for (uint32_t t = 0; t < p->tiers.len; t++) {
        sb_puts(out, t ? "," : "");
        write_json_string(out, p->tiers.items[t], strlen(p->tiers.items[t]));
    }
    sb_puts(out, "],\"matrix\":");
    json_per_row(out, p, rows, nrows, &p->matrix, cols, ncols);
    static const char *const renewal_cols[] = {"met", "at_risk", "not_met", "none"};
    sb_puts(out, ",\"renewal\":");
    json_per_row(out, p, rows, nrows, &p->renewal, renewal_cols, 4);
    sb_puts(out, ",\"review_due\":");
    json_per_row(out, p, rows, nrows, &p->due, DUE_COLUMNS, 3);
    sb_puts(out, ",\"upgrade\":");
    json_per_row(out, p, rows, nrows, &p->upgrade, UPGRADE_COLUMNS, 2);
    sb_puts(out, ",\"top_gaps\":");
    json_gaps(out, p);
    sb_putc(out, '}');
}

static void summary_json(const rubric_summary *s, strbuf *out)
{
    char date[11] = "";
    if (s->has_as_of)
        cal_format_date(s->as_of, date);
    sb_puts(out, "{\"as_of\":");
    if (s->has_as_of)
        sb_printf(out, "\"%s\"", date);
    else
        sb_puts(out, "null");
    sb_printf(out, ",\"partners\":%llu,\"results\":%llu,\"errors\":%llu,\"note\":",
              (unsigned long long)s->partners, (unsigned long long)s->results,
              (unsigned long long)s->errors);
    write_json_string(out, DOUBLE_COUNT_NOTE, strlen(DOUBLE_COUNT_NOTE));
    sb_puts(out, ",\"programs\":[");
    for (uint32_t i = 0; i < s->programs.len; i++) {
        sb_puts(out, i ? "," : "");
        json_program(&s->programs.items[i], out);
    }
    sb_puts(out, "]}\n");
}

rubric_status rubric_summary_write(const rubric_summary *s, rubric_summary_format format,
                                   rubric_write_fn write, void *user_data)
{
    if (s->failed)
        return RUBRIC_ERR_NOMEM;
    strbuf out;
    sb_init(&out, &s->alloc);
    if (format == RUBRIC_SUMMARY_JSON)
        summary_json(s, &out);
    else
        summary_text(s, &out);
    rubric_status status = RUBRIC_OK;
    if (out.failed)
        status = RUBRIC_ERR_NOMEM;
    else if (!write(user_data, out.data, out.len))
        status = RUBRIC_ERR_IO;
    sb_free(&out);
    return status;
}
