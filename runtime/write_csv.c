/*
 * write_csv.c — results as csv (spec/cli.md "csv"): one row per partner x
 * program x tier x requirement of the tier matrix (the rolling view), parts
 * as rows of their own naming their parent; for a per-item program one row
 * per item x requirement.  RFC 4180 quoting; rows end with "\n".  A text
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
static void csv_field(strbuf *out, const char *s, size_t len)
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
    csv_field(out, s, strlen(s));
}

/* A value's bare text, quoted as needed (formatted aside first). */
static void csv_value(strbuf *out, const bc_module *m, value v)
{
    strbuf tmp;
    sb_init(&tmp, out->alloc);
    write_plain_value(m, v, BC_NONE, &tmp);
    if (tmp.failed)
        out->failed = true;
    else if (tmp.len)
        csv_field(out, tmp.data, tmp.len);
    sb_free(&tmp);
}

/* The columns every row of one result starts with, up to `item`. */
typedef struct row_prefix {
    const partner_report *report;
    const program_result *result;
    const char *tier;   /* "" for a per-item program */
    value item;         /* VK_NULL for a tiered program */
} row_prefix;

static void write_prefix(strbuf *out, const row_prefix *pre)
{
    const bc_module *m = pre->report->module;
    const bc_program *p = &m->programs[pre->result->program];
    char date[11];
    cal_format_date(pre->result->as_of, date);
    csv_value(out, m, pre->report->id);
    sb_putc(out, ',');
    csv_value(out, m, pre->report->name);
    sb_putc(out, ',');
    csv_cstr(out, module_str(m, p->id));
    sb_printf(out, ",%s,", date);
    csv_cstr(out, pre->tier);
    sb_putc(out, ',');
    csv_value(out, m, pre->item);
}

static void write_rows(strbuf *out, const row_prefix *pre, const req_list *list,
                       const char *parent);

static void write_row(strbuf *out, const row_prefix *pre, const req_result *q,
                      const char *parent)
{
    const bc_module *m = pre->report->module;
    const bc_program *p = &m->programs[pre->result->program];
    const bc_node *n = &p->nodes[q->node];
    write_prefix(out, pre);
    sb_putc(out, ',');
    csv_cstr(out, module_str(m, n->id));
    sb_putc(out, ',');
    csv_cstr(out, parent);
    sb_putc(out, ',');
    csv_cstr(out, module_str(m, n->name));
    sb_putc(out, ',');
    csv_cstr(out, write_node_category(p, m, q->node));
    sb_printf(out, ",%s,%s,", q->time_bound ? "true" : "false",
              rubric_req_status_name((rubric_req_status)q->status));
    csv_value(out, m, q->actual);
    sb_putc(out, ',');
    csv_value(out, m, q->required);
    sb_printf(out, ",%s\n", write_unit_name(n->unit));
    write_rows(out, pre, &q->parts, module_str(m, n->id));
}

static void write_rows(strbuf *out, const row_prefix *pre, const req_list *list,
                       const char *parent)
{
    for (uint32_t i = 0; i < list->count; i++)
        write_row(out, pre, &list->items[i], parent);
}

static void write_result_csv(const partner_report *report, const program_result *r,
                             strbuf *out)
{
    const bc_module *m = report->module;
    const bc_program *p = &m->programs[r->program];
    row_prefix pre = {report, r, "", value_null()};
    if (p->kind == PROGRAM_PER_ITEM) {
        for (uint32_t i = 0; i < r->nitems; i++) {
            pre.item = r->items[i].label;
            write_rows(out, &pre, &r->items[i].reqs, "");
        }
        return;
    }
    for (uint32_t t = 0; t < r->ntiers; t++) {
        const tier_result *tr = &r->tiers[t];
        pre.tier = write_enum_name(m, p->tier_enum, p->tiers[tr->tier]);
        if (!pre.tier)
            pre.tier = "";
        write_rows(out, &pre, &tr->reqs, "");
    }
}

void write_report_csv(const partner_report *report, strbuf *out)
{
    for (uint32_t i = 0; i < report->nresults; i++)
        write_result_csv(report, &report->results[i], out);
}
