/*
 * write_html.c — one self-contained page of scorecards (spec/cli.md
 * "html"): a section per partner, per program the summary, a table with
 * the renewal and upgrade columns side by side (a mark, the measure and a
 * progress bar per cell) and the gaps in words, highlighted.  Per-item
 * programs get a table per item; report lists are small tables.
 *
 * The page has no scripts, fonts, images or links outside itself: the
 * style sheet is inline.  Every string from the rules or the data is
 * escaped.  The table of contents comes last in the document, once every
 * partner is known, and the style sheet shows it first.
 */
#include "write.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"

typedef struct html_ctx {
    strbuf *out;
    strbuf scratch;   /* plain text to escape into out */
} html_ctx;

/* ------------------------------------------------------------ escaping */

/* Control characters other than tab and line breaks are not allowed in
 * HTML text; they become U+FFFD. */
static bool is_disallowed_control(unsigned char ch)
{
    return (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F;
}

void write_html_escaped(strbuf *out, const char *s, size_t len)
{
    size_t plain = 0;
    for (size_t i = 0; i < len; i++) {
        const char *entity = NULL;
        switch (s[i]) {
        case '&':
            entity = "&amp;";
            break;
        case '<':
            entity = "&lt;";
            break;
        case '>':
            entity = "&gt;";
            break;
        case '"':
            entity = "&quot;";
            break;
        case '\'':
            entity = "&#39;";
            break;
        default:
            if (is_disallowed_control((unsigned char)s[i]))
                entity = "&#xFFFD;";
            break;
        }
        if (!entity)
            continue;
        sb_append(out, s + plain, i - plain);
        sb_puts(out, entity);
        plain = i + 1;
    }
    sb_append(out, s + plain, len - plain);
}

static void put_text(html_ctx *c, const char *s)
{
    write_html_escaped(c->out, s, strlen(s));
}

/* The scratch buffer, escaped, then emptied. */
static void flush_scratch(html_ctx *c)
{
    if (c->scratch.failed)
        c->out->failed = true;
    else
        write_html_escaped(c->out, c->scratch.data ? c->scratch.data : "", c->scratch.len);
    sb_clear(&c->scratch);
}

static void put_value(html_ctx *c, const rubric_value *v)
{
    write_plain_model_value(v, &c->scratch);
    flush_scratch(c);
}

/* An id attribute from a partner id: letters, digits and '-' as they are,
 * every other byte as _XX, so different ids give different anchors. */
static void put_anchor(strbuf *out, const rubric_value *id)
{
    static const char hex[] = "0123456789ABCDEF";
    sb_puts(out, "p-");
    const char *s = id->kind == RUBRIC_VALUE_STRING ? id->as.string.chars : "";
    size_t len = id->kind == RUBRIC_VALUE_STRING ? id->as.string.length : 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '-';
        if (keep) {
            sb_putc(out, (char)ch);
        } else {
            sb_putc(out, '_');
            sb_putc(out, hex[ch >> 4]);
            sb_putc(out, hex[ch & 15]);
        }
    }
}

/* ------------------------------------------------------------ marks */

/* The class of a status (its colour) and its mark: the mark carries the
 * status without colour. */
static const char *status_class(uint8_t status)
{
    switch (status) {
    case RUBRIC_MET:
        return "met";
    case RUBRIC_NOT_MET:
        return "not-met";
    case RUBRIC_AT_RISK:
        return "at-risk";
    case RUBRIC_GRACE:
        return "grace";
    default:
        return "na";
    }
}

static const char *status_mark(uint8_t status)
{
    switch (status) {
    case RUBRIC_MET:
        return "\xE2\x9C\x93"; /* ✓ */
    case RUBRIC_NOT_MET:
        return "\xE2\x9C\x97"; /* ✗ */
    case RUBRIC_AT_RISK:
    case RUBRIC_GRACE:
        return "~";
    default:
        return "\xE2\x80\x93"; /* – */
    }
}

static void put_mark(html_ctx *c, uint8_t status)
{
    sb_printf(c->out, "<span class=\"mark\" title=\"%s\">%s</span>",
              write_status_words(status), status_mark(status));
}

/* "✓ met", coloured by its class. */
static void put_status(html_ctx *c, uint8_t status, const char *words)
{
    sb_printf(c->out, "<span class=\"st %s\">%s %s</span>", status_class(status),
              status_mark(status), words);
}

/* ------------------------------------------------------------ cells */

static bool numeric(const rubric_value *v)
{
    return v->kind == RUBRIC_VALUE_COUNT || v->kind == RUBRIC_VALUE_MONEY;
}

static double amount(const rubric_value *v)
{
    return (double)(v->kind == RUBRIC_VALUE_MONEY ? v->as.cents : v->as.count);
}

/* How far along a measure is, 0 to 100; -1 when it has no bar (yes-or-no,
 * choice, not applicable).  "At most" thresholds are full while under. */
int write_requirement_percent(const rubric_requirement *q)
{
    if (q->status == RUBRIC_NOT_APPLICABLE || q->unit == RUBRIC_UNIT_CHOICE ||
        q->unit == RUBRIC_UNIT_BOOL || !numeric(&q->actual) || !numeric(&q->required))
        return -1;
    double actual = amount(&q->actual), required = amount(&q->required);
    double ratio;
    if (q->comparison == RUBRIC_COMPARE_AT_MOST)
        ratio = actual <= required ? 1.0 : (required > 0 ? required / actual : 0.0);
    else
        ratio = required <= 0 ? 1.0 : actual / required;
    int percent = (int)(ratio * 100.0);
    return percent < 0 ? 0 : percent > 100 ? 100 : percent;
}

int write_html_percent(const bc_program *p, const req_result *q)
{
    rubric_requirement measure;
    model_measure(p, q, &measure);
    return write_requirement_percent(&measure);
}

static void put_cell(html_ctx *c, const rubric_requirement *q)
{
    if (!q) {
        sb_puts(c->out, "<td></td>");
        return;
    }
    sb_printf(c->out, "<td class=\"%s\">", status_class(q->status));
    put_mark(c, q->status);
    sb_putc(c->out, ' ');
    write_requirement_measure(q, &c->scratch);
    flush_scratch(c);
    int percent = write_requirement_percent(q);
    if (percent >= 0)
        sb_printf(c->out, "<span class=\"bar\" title=\"%d%%\"><span style=\"width:%d%%\">"
                  "</span></span>", percent, percent);
    sb_puts(c->out, "</td>");
}

/* ------------------------------------------------------------ tables */

static void put_row(html_ctx *c, const write_card *card, const rubric_requirement *row,
                    const rubric_requirement *const cells[], bool time_bound)
{
    sb_printf(c->out, "<tr><th scope=\"row\" class=\"d%d\">", write_depth(row) > 0 ? 1 : 0);
    put_text(c, row->name);
    if (time_bound)
        sb_puts(c->out, " <abbr title=\"time-bound\">*</abbr>");
    sb_puts(c->out, "</th>");
    for (int k = 0; k < card->ncols; k++)
        put_cell(c, cells[k]);
    sb_puts(c->out, "</tr>\n");
}

/* Rows for every requirement present in a column, in rule order, under
 * category headings; a note when a time-bound requirement was shown. */
static void put_table(html_ctx *c, const write_card *card)
{
    sb_puts(c->out, "<table class=\"card\">\n<thead><tr><th scope=\"col\">Requirement</th>");
    for (int k = 0; k < card->ncols; k++) {
        sb_puts(c->out, "<th scope=\"col\">");
        put_text(c, card->heads[k]);
        sb_puts(c->out, "</th>");
    }
    sb_puts(c->out, "</tr></thead>\n<tbody>\n");
    const char *category = NULL;
    bool any_time_bound = false;
    for (uint32_t i = 0; i < card->nrows; i++) {
        const rubric_requirement *cells[WRITE_MAX_COLUMNS];
        bool time_bound;
        const rubric_requirement *row = write_card_row(card, i, cells, &time_bound);
        if (!row)
            continue;
        any_time_bound = any_time_bound || time_bound;
        if (!row->parent && (!category || strcmp(row->category, category) != 0)) {
            category = row->category;
            sb_printf(c->out, "<tr class=\"cat\"><th colspan=\"%d\" scope=\"colgroup\">",
                      card->ncols + 1);
            put_text(c, category);
            sb_puts(c->out, "</th></tr>\n");
        }
        put_row(c, card, row, cells, time_bound);
    }
    sb_puts(c->out, "</tbody>\n</table>\n");
    if (any_time_bound)
        sb_puts(c->out, "<p class=\"note\">* time-bound: counts only the view's window</p>\n");
}

/* ------------------------------------------------------------ gaps */

static void put_gap_item(void *user, const rubric_requirement *q)
{
    html_ctx *c = user;
    sb_printf(c->out, "<li class=\"%s\">", status_class(q->status));
    write_html_escaped(c->out, q->gap, q->gap_length);
    sb_puts(c->out, "</li>\n");
}

/* A highlighted box: the heading (already escaped), then one item per gap
 * or "Nothing missing". */
static void put_gaps(html_ctx *c, const char *heading, const rubric_requirement *reqs,
                     size_t count)
{
    bool gaps = write_any_gap(reqs, count);
    sb_printf(c->out, "<div class=\"gaps%s\">\n<h4>%s</h4>\n", gaps ? "" : " none", heading);
    if (gaps) {
        sb_puts(c->out, "<ul>\n");
        write_each_gap(reqs, count, put_gap_item, c);
        sb_puts(c->out, "</ul>\n");
    } else {
        sb_puts(c->out, "<p>Nothing missing</p>\n");
    }
    sb_puts(c->out, "</div>\n");
}

/* ------------------------------------------------------------ programs */

static void put_term(html_ctx *c, const char *term)
{
    sb_printf(c->out, "<dt>%s</dt><dd>", term);
}

static void end_term(html_ctx *c)
{
    sb_puts(c->out, "</dd>\n");
}

/* The terms of a tiered program: current and eligible tiers, renewal and
 * upgrade. */
static void put_summary(html_ctx *c, const rubric_result *r)
{
    put_term(c, "Current tier");
    put_text(c, r->current_tier);
    end_term(c);
    put_term(c, "Eligible tier");
    put_text(c, r->eligible_tier ? r->eligible_tier : "none");
    end_term(c);
    put_term(c, "Renewal");
    if (r->renewal) {
        char date[11];
        cal_format_date(r->renewal->review_date.as.date.days, date);
        put_text(c, r->renewal->tier);
        sb_printf(c->out, ", review %s: ", date);
        put_status(c, r->renewal->status, write_status_words(r->renewal->status));
    } else {
        sb_puts(c->out, "none (below the first tier)");
    }
    end_term(c);
    put_term(c, "Upgrade");
    if (r->upgrade) {
        put_text(c, r->upgrade->tier);
        sb_puts(c->out, ": ");
        put_status(c, r->upgrade->eligible ? RUBRIC_MET : RUBRIC_NOT_MET,
                   r->upgrade->eligible ? "eligible" : "not eligible");
    } else {
        sb_puts(c->out, "none (top tier)");
    }
    end_term(c);
}

/* The gaps of a view under "To keep Select (review 2026-12-15)" or "To
 * reach Advanced". */
static void put_view_gaps(html_ctx *c, strbuf *heading, const char *verb,
                          const rubric_view *v)
{
    sb_clear(heading);
    sb_puts(heading, verb);
    write_html_escaped(heading, v->tier, strlen(v->tier));
    if (v->kind == RUBRIC_VIEW_RENEWAL) {
        char date[11];
        cal_format_date(v->review_date.as.date.days, date);
        sb_printf(heading, " (review %s)", date);
    }
    put_gaps(c, heading->failed ? "" : heading->data, v->requirements, v->requirement_count);
}

static void put_tiered(html_ctx *c, const rubric_result *r)
{
    write_card card;
    write_card_views(&card, r, "Renewal", "Upgrade");
    if (card.ncols)
        put_table(c, &card);
    strbuf heading;
    sb_init(&heading, c->out->alloc);
    if (r->renewal)
        put_view_gaps(c, &heading, "To keep ", r->renewal);
    if (r->upgrade)
        put_view_gaps(c, &heading, "To reach ", r->upgrade);
    if (heading.failed)
        c->out->failed = true;
    sb_free(&heading);
}

static void put_items(html_ctx *c, const rubric_result *r)
{
    if (r->item_count == 0)
        sb_puts(c->out, "<p>No items.</p>\n");
    for (size_t i = 0; i < r->item_count; i++) {
        const rubric_item *it = &r->items[i];
        bool ready = it->status == RUBRIC_ITEM_READY;
        sb_puts(c->out, "<div class=\"item\">\n<h4>");
        put_value(c, &it->label);
        sb_puts(c->out, ": ");
        put_status(c, ready ? RUBRIC_MET : RUBRIC_NOT_MET, ready ? "ready" : "not ready");
        sb_puts(c->out, "</h4>\n");
        write_card card = {0};
        write_card_list(&card, "Status", it->requirements, it->requirement_count);
        put_table(c, &card);
        if (write_any_gap(it->requirements, it->requirement_count))
            put_gaps(c, "To be ready", it->requirements, it->requirement_count);
        sb_puts(c->out, "</div>\n");
    }
}

/* ------------------------------------------------------------ lists */

/* "corporate_events" -> "Corporate events" */
static void put_list_title(html_ctx *c, const char *key)
{
    for (const char *s = key; *s; s++) {
        char ch = *s == '_' ? ' ' : *s;
        if (s == key && ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        sb_putc(&c->scratch, ch);
    }
    flush_scratch(c);
}

static void put_list(html_ctx *c, const rubric_list *list)
{
    sb_puts(c->out, "<h4>");
    put_list_title(c, list->name);
    if (list->row_count == 0) {
        sb_puts(c->out, ": none</h4>\n");
        return;
    }
    sb_puts(c->out, "</h4>\n<table class=\"list\">\n<thead><tr>");
    for (size_t k = 0; k < list->column_count; k++) {
        sb_puts(c->out, "<th scope=\"col\">");
        put_text(c, list->columns[k]);
        sb_puts(c->out, "</th>");
    }
    sb_puts(c->out, "</tr></thead>\n<tbody>\n");
    for (size_t row = 0; row < list->row_count; row++) {
        sb_puts(c->out, "<tr>");
        for (size_t k = 0; k < list->column_count; k++) {
            sb_puts(c->out, "<td>");
            put_value(c, &list->values[row * list->column_count + k]);
            sb_puts(c->out, "</td>");
        }
        sb_puts(c->out, "</tr>\n");
    }
    sb_puts(c->out, "</tbody>\n</table>\n");
}

/* ------------------------------------------------------------ partners */

static void put_program(html_ctx *c, const rubric_result *r)
{
    char date[11];
    cal_format_date(r->as_of.days, date);
    sb_puts(c->out, "<article class=\"program\">\n<h3>");
    put_text(c, r->program_title ? r->program_title : "");
    sb_puts(c->out, "</h3>\n<dl class=\"summary\">\n");
    put_term(c, "Program");
    put_text(c, r->program_id);
    sb_putc(c->out, ' ');
    put_text(c, r->program_version ? r->program_version : "");
    end_term(c);
    put_term(c, "As of");
    sb_puts(c->out, date);
    end_term(c);
    if (r->kind == RUBRIC_PROGRAM_TIERED)
        put_summary(c, r);
    sb_puts(c->out, "</dl>\n");
    if (r->kind == RUBRIC_PROGRAM_PER_ITEM)
        put_items(c, r);
    else
        put_tiered(c, r);
    for (size_t l = 0; l < r->list_count; l++)
        put_list(c, &r->lists[l]);
    sb_puts(c->out, "</article>\n");
}

/* "Web Services Guru" and its id, or the id alone. */
static void put_partner_name(html_ctx *c, const report_model *model)
{
    if (model->partner_name.kind != RUBRIC_VALUE_NULL) {
        put_value(c, &model->partner_name);
        sb_puts(c->out, " <span class=\"pid\">");
        put_value(c, &model->partner_id);
        sb_puts(c->out, "</span>");
    } else {
        put_value(c, &model->partner_id);
    }
}

void write_model_html_partner(const report_model *models, uint32_t nmodels, strbuf *out)
{
    if (nmodels == 0)
        return;
    html_ctx c = {out, {0}};
    sb_init(&c.scratch, out->alloc);
    sb_puts(out, "<section class=\"partner\" id=\"");
    put_anchor(out, &models[0].partner_id);
    sb_puts(out, "\">\n<h2>");
    put_partner_name(&c, &models[0]);
    sb_puts(out, "</h2>\n");
    size_t results = 0;
    for (uint32_t u = 0; u < nmodels; u++) {
        for (size_t i = 0; i < models[u].nresults; i++)
            put_program(&c, &models[u].results[i]);
        results += models[u].nresults;
    }
    if (results == 0)
        sb_puts(out, "<p>No program applies to this partner.</p>\n");
    sb_puts(out, "</section>\n");
    sb_free(&c.scratch);
}

static void partner_of_models(const report_model *models, uint32_t nmodels, void *user,
                              strbuf *out)
{
    (void)user;
    write_model_html_partner(models, nmodels, out);
}

void write_html_partner(const partner_report *reports, uint32_t nreports, strbuf *out)
{
    write_with_model(reports, nreports, true, partner_of_models, NULL, out);
}

void write_report_html(const partner_report *report, strbuf *out)
{
    write_html_partner(report, 1, out);
}

/* ------------------------------------------------------------ the page */

/* Per program: the eligible tier, or how many items are ready. */
static void put_toc_tag(html_ctx *c, const rubric_result *r)
{
    sb_puts(c->out, " <span class=\"tag\">");
    put_text(c, r->program_id);
    sb_puts(c->out, ": ");
    if (r->kind == RUBRIC_PROGRAM_PER_ITEM) {
        size_t ready = 0;
        for (size_t k = 0; k < r->item_count; k++)
            ready += r->items[k].status == RUBRIC_ITEM_READY;
        sb_printf(c->out, "%zu of %zu ready", ready, r->item_count);
    } else {
        put_text(c, r->eligible_tier ? r->eligible_tier : "none");
    }
    sb_puts(c->out, "</span>");
}

/* One entry of the table of contents: the partner's name, its id and, per
 * program, the eligible tier or how many items are ready. */
void write_model_html_toc_entry(const report_model *models, uint32_t nmodels, strbuf *out)
{
    if (nmodels == 0)
        return;
    html_ctx c = {out, {0}};
    sb_init(&c.scratch, out->alloc);
    sb_puts(out, "<li><a href=\"#");
    put_anchor(out, &models[0].partner_id);
    sb_puts(out, "\">");
    put_partner_name(&c, &models[0]);
    sb_puts(out, "</a>");
    for (uint32_t u = 0; u < nmodels; u++)
        for (size_t i = 0; i < models[u].nresults; i++)
            put_toc_tag(&c, &models[u].results[i]);
    sb_puts(out, "</li>\n");
    sb_free(&c.scratch);
}

static void toc_of_models(const report_model *models, uint32_t nmodels, void *user,
                          strbuf *out)
{
    (void)user;
    write_model_html_toc_entry(models, nmodels, out);
}

void write_html_toc_entry(const partner_report *reports, uint32_t nreports, strbuf *out)
{
    write_with_model(reports, nreports, false, toc_of_models, NULL, out);
}

/* The style sheet: status colours always come with a mark; the table of
 * contents, written last, is shown first (flex order). */
static const char STYLE[] =
    "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;margin:0 auto;"
    "max-width:72rem;padding:1rem;color:#1b1f24;background:#fff;display:flex;"
    "flex-direction:column;line-height:1.4}\n"
    "body>h1{order:-2;margin:0 0 .5rem}\n"
    "nav.toc{order:-1;border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;"
    "margin-bottom:1rem}\n"
    "nav.toc h2{font-size:1rem;margin:.25rem 0}\n"
    "nav.toc ol{margin:0;padding-left:1.5rem}\n"
    ".tag{font-size:.8rem;color:#57606a;margin-left:.5rem}\n"
    "section.partner{border-top:3px solid #1b1f24;margin-top:1.5rem}\n"
    ".pid{font-size:.9rem;font-weight:normal;color:#57606a}\n"
    "article.program{margin:1rem 0 2rem}\n"
    "dl.summary{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;"
    "margin:.5rem 0}\n"
    "dl.summary dt{font-weight:600}\n"
    "dl.summary dd{margin:0}\n"
    "table{border-collapse:collapse;margin:.5rem 0}\n"
    "th,td{text-align:left;padding:.2rem .6rem;border-bottom:1px solid #eaeef2;"
    "vertical-align:top}\n"
    "thead th{border-bottom:2px solid #d0d7de}\n"
    "tr.cat th{background:#f6f8fa;font-weight:600}\n"
    "tbody th{font-weight:normal}\n"
    "th.d1{padding-left:2rem}\n"
    ".mark{font-weight:bold;display:inline-block;width:1.1em}\n"
    ".met .mark,.st.met{color:#1a7f37}\n"
    ".not-met .mark,.st.not-met{color:#cf222e}\n"
    ".at-risk .mark,.grace .mark,.st.at-risk,.st.grace{color:#9a6700}\n"
    ".na .mark,.st.na{color:#6e7781}\n"
    ".bar{display:block;height:.35rem;width:9rem;background:#eaeef2;border-radius:3px;"
    "margin-top:.2rem;overflow:hidden}\n"
    ".bar>span{display:block;height:100%;background:#6e7781}\n"
    ".met .bar>span{background:#2da44e}\n"
    ".not-met .bar>span{background:#cf222e}\n"
    ".at-risk .bar>span,.grace .bar>span{background:#bf8700}\n"
    ".note{font-size:.85rem;color:#57606a}\n"
    ".gaps{border-left:4px solid #cf222e;background:#fff5f5;padding:.25rem 1rem;margin:.75rem 0}\n"
    ".gaps.none{border-left-color:#2da44e;background:#f0fff4}\n"
    ".gaps h4{margin:.4rem 0}\n"
    ".gaps ul{margin:.25rem 0;padding-left:1.25rem}\n"
    ".gaps li.at-risk,.gaps li.grace{color:#7d4e00}\n"
    ".item{margin:1rem 0 1.5rem}\n"
    "@media print{nav.toc{display:none}section.partner{break-before:page}}\n";

void write_html_head(strbuf *out)
{
    sb_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<title>Partner scorecards</title>\n<style>\n");
    sb_puts(out, STYLE);
    sb_puts(out, "</style>\n</head>\n<body>\n<h1>Partner scorecards</h1>\n<main>\n");
}

void write_html_tail(const char *toc, size_t len, uint64_t omitted, strbuf *out)
{
    sb_puts(out, "</main>\n");
    if (len || omitted) {
        sb_puts(out, "<nav class=\"toc\" aria-label=\"Partners\">\n<h2>Partners</h2>\n<ol>\n");
        if (len)
            sb_append(out, toc, len);
        sb_puts(out, "</ol>\n");
        if (omitted)
            sb_printf(out, "<p>and %" PRIu64 " more</p>\n", omitted);
        sb_puts(out, "</nav>\n");
    }
    sb_puts(out, "</body>\n</html>\n");
}
