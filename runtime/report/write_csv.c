/*
 * write_csv.c — results as csv (spec/cli.md "csv"): one row per partner x
 * program x tier x requirement of the tier matrix (the rolling views of
 * the result model), parts as rows of their own naming their parent; for a
 * per-item program one row per item x requirement.  RFC 4180 quoting; rows end with "\n".  A text
 * field that a spreadsheet would run as a formula is made text (OWASP).
 */
#include "write.h"

#include <string.h>

#include "calendar.h"

static const char CSV_HEADER[] =
    "partner_id,partner_name,program,as_of,tier,item,requirement,parent,name,"
    "category,time_bound,status,actual,required,unit\n";

void write_csv_header(strbuf *out)
{
    sb_puts(out, CSV_HEADER);
}

/* Whether a field is a number as the writers print one: an optional minus,
 * digits, and optionally a point and digits (-5, 20, -12.50, 10498.56). */
static bool csv_is_number(const char *s, size_t len)
{
    size_t i = len > 0 && s[0] == '-' ? 1 : 0;
    size_t digits = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == digits)
        return false;
    if (i < len && s[i] == '.') {
        size_t fraction = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == fraction)
            return false;
    }
    return i == len;
}

/* Whether a spreadsheet would read the field as a formula (OWASP "CSV
 * injection"): it starts with =, +, -, @, a tab or a carriage return and
 * is not a number. */
static bool csv_formula_like(const char *s, size_t len)
{
    return len > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                       s[0] == '\t' || s[0] == '\r') &&
           !csv_is_number(s, len);
}

/* A field is quoted when it holds a comma, a quote or a line break; quotes
 * inside are doubled.  A field a spreadsheet would run as a formula gets a
 * leading single quote, which makes it text there. */
void write_csv_field(strbuf *out, const char *s, size_t len)
{
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    bool formula = csv_formula_like(s, len);
    if (!quote && !formula) {
        sb_append(out, s, len);
        return;
    }
    if (quote)
        sb_putc(out, '"');
    if (formula)
        sb_putc(out, '\'');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            sb_putc(out, '"');
        sb_putc(out, s[i]);
    }
    if (quote)
        sb_putc(out, '"');
}

static void csv_cstr(strbuf *out, const char *s)
{
    write_csv_field(out, s, strlen(s));
}

/* A value's bare text, quoted as needed (formatted aside first). */
static void csv_value(strbuf *out, const rubric_value *v)
{
    strbuf tmp;
    sb_init(&tmp, out->alloc);
    write_plain_model_value(v, &tmp);
    if (tmp.failed)
        out->failed = true;
    else if (tmp.len)
        write_csv_field(out, tmp.data, tmp.len);
    sb_free(&tmp);
}

/* The columns every row of one result starts with, up to `item`. */
typedef struct row_prefix {
    const rubric_result *result;
    const char *tier;          /* "" for a per-item program */
    const rubric_value *item;  /* a null value for a tiered program */
} row_prefix;

static void write_prefix(strbuf *out, const row_prefix *pre)
{
    char date[11];
    cal_format_date(pre->result->as_of.days, date);
    csv_value(out, &pre->result->partner_id);
    sb_putc(out, ',');
    csv_value(out, &pre->result->partner_name);
    sb_putc(out, ',');
    csv_cstr(out, pre->result->program_id);
    sb_printf(out, ",%s,", date);
    csv_cstr(out, pre->tier);
    sb_putc(out, ',');
    csv_value(out, pre->item);
}

static void write_rows(strbuf *out, const row_prefix *pre, const rubric_requirement *reqs,
                       size_t count, const char *parent);

static void write_row(strbuf *out, const row_prefix *pre, const rubric_requirement *q,
                      const char *parent)
{
    write_prefix(out, pre);
    sb_putc(out, ',');
    csv_cstr(out, q->id);
    sb_putc(out, ',');
    csv_cstr(out, parent);
    sb_putc(out, ',');
    csv_cstr(out, q->name);
    sb_putc(out, ',');
    csv_cstr(out, q->category);
    sb_printf(out, ",%s,%s,", q->time_bound ? "true" : "false",
              rubric_req_status_name(q->status));
    csv_value(out, &q->actual);
    sb_putc(out, ',');
    csv_value(out, &q->required);
    sb_printf(out, ",%s\n", rubric_unit_name(q->unit));
    write_rows(out, pre, q->parts, q->part_count, q->id);
}

static void write_rows(strbuf *out, const row_prefix *pre, const rubric_requirement *reqs,
                       size_t count, const char *parent)
{
    for (size_t i = 0; i < count; i++)
        write_row(out, pre, &reqs[i], parent);
}

static void write_result_csv(const rubric_result *r, strbuf *out)
{
    static const rubric_value none = {RUBRIC_VALUE_NULL, {0}};
    row_prefix pre = {r, "", &none};
    if (r->kind == RUBRIC_PROGRAM_PER_ITEM) {
        for (size_t i = 0; i < r->item_count; i++) {
            pre.item = &r->items[i].label;
            write_rows(out, &pre, r->items[i].requirements, r->items[i].requirement_count, "");
        }
        return;
    }
    for (size_t t = 0; t < r->tier_count; t++) {
        pre.tier = r->tiers[t].tier;
        write_rows(out, &pre, r->tiers[t].requirements, r->tiers[t].requirement_count, "");
    }
}

void write_model_csv(const report_model *model, strbuf *out)
{
    for (size_t i = 0; i < model->nresults; i++)
        write_result_csv(&model->results[i], out);
}

static void csv_of_model(const report_model *models, uint32_t nmodels, void *user,
                         strbuf *out)
{
    (void)user;
    for (uint32_t u = 0; u < nmodels; u++)
        write_model_csv(&models[u], out);
}

void write_report_csv(const partner_report *report, strbuf *out)
{
    write_with_model(report, 1, false, csv_of_model, NULL, out);
}
