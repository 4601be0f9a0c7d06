/*
 * write_csv.c — results as csv (`-f csv`, docs/output.md): one row per
 * partner x program, the columns a spreadsheet sorts and filters on
 * (tiers, renewal, upgrade, how many gaps, an error); and the quoting every
 * csv of the command shares.  RFC 4180 quoting; rows end with "\n".  A
 * text field that a spreadsheet would run as a formula is made text
 * (OWASP "CSV injection").
 */
#include "write.h"

#include <string.h>

#include "calendar.h"

static const char CSV_HEADER[] =
    "partner_id,partner_name,path,program,as_of,current_tier,eligible_tier,renewal_tier,"
    "renewal_status,review_date,upgrade_tier,upgrade_status,gaps,error\n";

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

void write_csv_cstr(strbuf *out, const char *s)
{
    write_csv_field(out, s, strlen(s));
}

/* A value's bare text, quoted as needed (formatted aside first). */
void write_csv_value(strbuf *out, const rubric_value *v)
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

static size_t count_gaps(const rubric_requirement *reqs, size_t count)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        n += write_is_gap(reqs[i].status);
    return n;
}

size_t write_gap_count(const rubric_result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->item_count; i++)
        n += count_gaps(r->items[i].requirements, r->items[i].requirement_count);
    if (r->renewal)
        n += count_gaps(r->renewal->requirements, r->renewal->requirement_count);
    if (r->upgrade)
        n += count_gaps(r->upgrade->requirements, r->upgrade->requirement_count);
    return n;
}

/* The partner's columns: id, name, path. */
static void write_partner_columns(strbuf *out, const rubric_value *id,
                                  const rubric_value *name, const rubric_value *path)
{
    write_csv_value(out, id);
    sb_putc(out, ',');
    write_csv_value(out, name);
    sb_putc(out, ',');
    write_csv_value(out, path);
    sb_putc(out, ',');
}

static void write_cstr_or_empty(strbuf *out, const char *s)
{
    sb_putc(out, ',');
    if (s)
        write_csv_cstr(out, s);
}

static void write_result_row(const rubric_result *r, strbuf *out)
{
    char date[11];
    cal_format_date(r->as_of.days, date);
    write_partner_columns(out, &r->partner_id, &r->partner_name, &r->partner_path);
    write_csv_cstr(out, r->program_id);
    sb_printf(out, ",%s", date);
    write_cstr_or_empty(out, r->current_tier);
    write_cstr_or_empty(out, r->eligible_tier);
    const rubric_view *renewal = r->renewal;
    write_cstr_or_empty(out, renewal ? renewal->tier : NULL);
    write_cstr_or_empty(out, renewal ? rubric_req_status_name(renewal->status) : NULL);
    sb_putc(out, ',');
    if (renewal)
        write_csv_value(out, &renewal->review_date);
    const rubric_view *upgrade = r->upgrade;
    write_cstr_or_empty(out, upgrade ? upgrade->tier : NULL);
    write_cstr_or_empty(out, upgrade ? (upgrade->eligible ? "eligible" : "not_eligible") : NULL);
    sb_printf(out, ",%zu,\n", write_gap_count(r));
}

/* A program withheld by an item error: its id and the message. */
static void write_error_row(const report_model *model, const rubric_program_error *e,
                            strbuf *out)
{
    write_partner_columns(out, &model->partner_id, &model->partner_name,
                          &model->partner_path);
    write_csv_cstr(out, e->program_id);
    sb_puts(out, ",,,,,,,,,,");
    write_csv_cstr(out, e->message);
    sb_putc(out, '\n');
}

void write_model_csv(const report_model *model, strbuf *out)
{
    for (size_t i = 0; i < model->nresults; i++)
        write_result_row(&model->results[i], out);
    for (size_t i = 0; i < model->nerrors; i++)
        write_error_row(model, &model->errors[i], out);
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
