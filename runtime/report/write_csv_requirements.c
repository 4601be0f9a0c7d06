/*
 * write_csv_requirements.c — results as the long csv (`-f csv-requirements`,
 * docs/output.md): one row per partner x program x tier x requirement of
 * the tier matrix (the rolling views of the result model), parts as rows
 * of their own naming their parent; for a per-item program one row per
 * item x requirement.  Fields are written as write_csv.c writes them.
 */
#include "write.h"

#include <string.h>

#include "calendar.h"

static const char CSV_REQUIREMENTS_HEADER[] =
    "partner_id,partner_name,program,as_of,tier,item,requirement,parent,name,"
    "category,time_bound,status,actual,required,unit\n";

void write_csv_requirements_header(strbuf *out)
{
    sb_puts(out, CSV_REQUIREMENTS_HEADER);
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
    write_csv_value(out, &pre->result->partner_id);
    sb_putc(out, ',');
    write_csv_value(out, &pre->result->partner_name);
    sb_putc(out, ',');
    write_csv_cstr(out, pre->result->program_id);
    sb_printf(out, ",%s,", date);
    write_csv_cstr(out, pre->tier);
    sb_putc(out, ',');
    write_csv_value(out, pre->item);
}

static void write_rows(strbuf *out, const row_prefix *pre, const rubric_requirement *reqs,
                       size_t count, const char *parent);

static void write_row(strbuf *out, const row_prefix *pre, const rubric_requirement *q,
                      const char *parent)
{
    write_prefix(out, pre);
    sb_putc(out, ',');
    write_csv_cstr(out, q->id);
    sb_putc(out, ',');
    write_csv_cstr(out, parent);
    sb_putc(out, ',');
    write_csv_cstr(out, q->name);
    sb_putc(out, ',');
    write_csv_cstr(out, q->category);
    sb_printf(out, ",%s,%s,", q->time_bound ? "true" : "false",
              rubric_req_status_name(q->status));
    write_csv_value(out, &q->actual);
    sb_putc(out, ',');
    write_csv_value(out, &q->required);
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

void write_model_csv_requirements(const report_model *model, strbuf *out)
{
    for (size_t i = 0; i < model->nresults; i++)
        write_result_csv(&model->results[i], out);
}

static void csv_of_model(const report_model *models, uint32_t nmodels, void *user,
                         strbuf *out)
{
    (void)user;
    for (uint32_t u = 0; u < nmodels; u++)
        write_model_csv_requirements(&models[u], out);
}

void write_report_csv_requirements(const partner_report *report, strbuf *out)
{
    write_with_model(report, 1, false, csv_of_model, NULL, out);
}
