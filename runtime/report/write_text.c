/*
 * write_text.c — the scorecard a person reads (spec/cli.md "text").
 *
 * Per partner and program: a summary (current, eligible, renewal and
 * upgrade), then a table with the renewal and upgrade columns side by side
 * as in the Partner Scorecard ("4 of 8", "$10,498.56 of $10,000") and a
 * mark per status, then the gaps in words ("needs 3 more launched
 * opportunities").  Per-item programs get one table per item; report
 * lists are printed as small tables.  No line ends in a space.  Strings
 * from the data are written escaped (write_escaped_text).
 */
#include "write.h"

#include <stdio.h>
#include <string.h>

#include "calendar.h"

enum {
    DEFAULT_WIDTH = 100,
    MARGIN = 2,        /* spaces before a program's lines */
    GAP = 2,           /* spaces between columns */
    MAX_COLUMNS = 2,
    MIN_NAME_WIDTH = 20 /* the requirement column, indentation included */
};

typedef struct text_ctx {
    const text_options *opt;
    strbuf *out;
    size_t line_start;  /* where the line being written began in out */
    int name_width;     /* the requirement column, indentation included */
    int cell_width;     /* each status column */
} text_ctx;

/* ------------------------------------------------------------ lines */

/* Terminal columns of UTF-8 text: one per code point. */
static int display_width(const char *s, size_t len)
{
    int width = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            width++;
    return width;
}

static int cstr_width(const char *s)
{
    return display_width(s, strlen(s));
}

/* End the current line without trailing spaces. */
static void end_line(text_ctx *c)
{
    strbuf *out = c->out;
    while (!out->failed && out->len > c->line_start && out->data[out->len - 1] == ' ')
        out->len--;
    sb_putc(out, '\n');
    c->line_start = out->len;
}

static void pad(strbuf *out, int n)
{
    if (n > 0)
        sb_pad(out, ' ', (size_t)n);
}

/* s in at most `width` columns, cut with an ellipsis when longer; returns
 * the columns written. */
static int put_cut(strbuf *out, const char *s, int width)
{
    int w = cstr_width(s);
    if (w <= width) {
        sb_puts(out, s);
        return w;
    }
    int kept = 0;
    size_t i = 0;
    for (; s[i]; i++) {
        bool starts = ((unsigned char)s[i] & 0xC0) != 0x80;
        if (starts && kept == width - 1)
            break;
        kept += starts;
    }
    sb_append(out, s, i);
    sb_puts(out, "\xE2\x80\xA6"); /* … */
    return kept + 1;
}

/* s in exactly `width` columns: padded, or cut. */
static void put_fitted(strbuf *out, const char *s, int width)
{
    pad(out, width - put_cut(out, s, width));
}

/* ------------------------------------------------------------ words */

/* A value as bare text; a string (from the data) with its control and
 * bidirectional characters escaped, so that it cannot drive the terminal
 * and the columns count what is shown. */
static void put_value(strbuf *out, const rubric_value *v)
{
    if (v->kind == RUBRIC_VALUE_STRING)
        write_escaped_text(out, v->as.string.chars, v->as.string.length);
    else
        write_plain_model_value(v, out);
}

/* The mark of a status, coloured when asked: one column wide. */
static void put_mark(const text_ctx *c, uint8_t status)
{
    const char *mark, *color;
    switch (status) {
    case RUBRIC_MET:
        mark = "\xE2\x9C\x93", color = "\033[32m"; /* ✓ green */
        break;
    case RUBRIC_NOT_MET:
        mark = "\xE2\x9C\x97", color = "\033[31m"; /* ✗ red */
        break;
    case RUBRIC_AT_RISK:
    case RUBRIC_GRACE:
        mark = "~", color = "\033[33m";            /* yellow */
        break;
    default:
        mark = "\xE2\x80\x93", color = "\033[2m";  /* – dim */
        break;
    }
    if (c->opt->color)
        sb_printf(c->out, "%s%s\033[0m", color, mark);
    else
        sb_puts(c->out, mark);
}

/* ------------------------------------------------------------ the table */

static void put_cell(text_ctx *c, const rubric_requirement *q, bool last)
{
    if (q) {
        put_mark(c, q->status);
        sb_putc(c->out, ' ');
        size_t text = c->out->len;
        write_requirement_measure(q, c->out);
        int used = c->out->failed ? 0 : 2 + display_width(c->out->data + text,
                                                          c->out->len - text);
        if (!last)
            pad(c->out, c->cell_width + GAP - used);
    } else if (!last) {
        pad(c->out, c->cell_width + GAP);
    }
}

/* A row's name is marked " *" when a cell of it is time-bound. */
static void put_row(text_ctx *c, const write_card *card, const rubric_requirement *row,
                    const rubric_requirement *const cells[], bool time_bound, int indent)
{
    int lead = indent + 2 * write_depth(row);
    int room = c->name_width - lead;
    int marker = time_bound ? 2 : 0;
    pad(c->out, lead);
    int used = put_cut(c->out, row->name, room - marker);
    if (time_bound)
        sb_puts(c->out, " *");
    pad(c->out, room - used - marker);
    pad(c->out, GAP);
    for (int k = 0; k < card->ncols; k++)
        put_cell(c, cells[k], k == card->ncols - 1);
    end_line(c);
}

static int measure_width(text_ctx *c, const rubric_requirement *q)
{
    strbuf tmp;
    sb_init(&tmp, c->out->alloc);
    write_requirement_measure(q, &tmp);
    int w = tmp.failed || !tmp.data ? 0 : display_width(tmp.data, tmp.len);
    if (tmp.failed)
        c->out->failed = true; /* out of memory: the page fails, not one width */
    sb_free(&tmp);
    return w;
}

/* Status columns as wide as their widest cell (a mark, a space, the
 * measure) or header; the requirement column gets the rest of the width. */
static void set_widths(text_ctx *c, const write_card *card, int indent)
{
    int cell = 0;
    for (int k = 0; k < card->ncols; k++) {
        int h = cstr_width(card->heads[k]);
        cell = h > cell ? h : cell;
    }
    int needed = indent + cstr_width("REQUIREMENT");
    for (uint32_t i = 0; i < card->nrows; i++) {
        const rubric_requirement *cells[WRITE_MAX_COLUMNS];
        bool time_bound;
        const rubric_requirement *row = write_card_row(card, i, cells, &time_bound);
        if (!row)
            continue;
        for (int k = 0; k < card->ncols; k++) {
            int w = cells[k] ? 2 + measure_width(c, cells[k]) : 0;
            cell = w > cell ? w : cell;
        }
        int w = indent + 2 + 2 * write_depth(row) + cstr_width(row->name) +
                (time_bound ? 2 : 0);
        needed = w > needed ? w : needed;
    }
    int width = c->opt->width > 0 ? c->opt->width : DEFAULT_WIDTH;
    int name = width - card->ncols * (cell + GAP);
    name = needed < name ? needed : name;
    c->cell_width = cell;
    c->name_width = name < MIN_NAME_WIDTH ? MIN_NAME_WIDTH : name;
}

/* Rows for every requirement present in one of the columns, in rule
 * order, under category headings; a footnote when a time-bound
 * requirement was shown. */
static void put_table(text_ctx *c, const write_card *card, int indent)
{
    set_widths(c, card, indent);
    pad(c->out, indent);
    put_fitted(c->out, "REQUIREMENT", c->name_width - indent);
    pad(c->out, GAP);
    for (int k = 0; k < card->ncols; k++) {
        sb_puts(c->out, card->heads[k]);
        if (k < card->ncols - 1)
            pad(c->out, c->cell_width + GAP - cstr_width(card->heads[k]));
    }
    end_line(c);
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
            pad(c->out, indent);
            sb_puts(c->out, category);
            end_line(c);
        }
        put_row(c, card, row, cells, time_bound, indent + 2);
    }
    if (any_time_bound) {
        pad(c->out, indent);
        sb_puts(c->out, "* time-bound: counts only the view's window");
        end_line(c);
    }
}

/* ------------------------------------------------------------ gaps */

/* "- " and the text, wrapped at the width with a hanging indent. */
static void put_wrapped(text_ctx *c, const char *s, size_t len, int indent)
{
    int width = c->opt->width > 0 ? c->opt->width : DEFAULT_WIDTH;
    pad(c->out, indent);
    sb_puts(c->out, "- ");
    int col = indent + 2;
    bool line_empty = true;
    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && s[end] != ' ')
            end++;
        int w = display_width(s + i, end - i);
        if (!line_empty && col + 1 + w > width) {
            end_line(c);
            pad(c->out, indent + 2);
            col = indent + 2;
            line_empty = true;
        }
        if (!line_empty) {
            sb_putc(c->out, ' ');
            col++;
        }
        sb_append(c->out, s + i, end - i);
        col += w;
        line_empty = false;
        i = end < len ? end + 1 : end;
    }
    end_line(c);
}

typedef struct gap_lines {
    text_ctx *c;
    int indent;
} gap_lines;

static void put_gap_line(void *user, const rubric_requirement *q)
{
    gap_lines *g = user;
    put_wrapped(g->c, q->gap, q->gap_length, g->indent);
}

/* One wrapped line per gap sentence of the list (the model's). */
static void put_gaps(text_ctx *c, const rubric_requirement *reqs, size_t count, int indent)
{
    gap_lines g = {c, indent};
    write_each_gap(reqs, count, put_gap_line, &g);
}

/* ------------------------------------------------------------ programs */

static void put_label(text_ctx *c, const char *label)
{
    pad(c->out, MARGIN);
    put_fitted(c->out, label, 15);
}

static void put_summary(text_ctx *c, const rubric_result *r)
{
    put_label(c, "Current tier");
    sb_puts(c->out, r->current_tier);
    end_line(c);
    put_label(c, "Eligible tier");
    sb_puts(c->out, r->eligible_tier ? r->eligible_tier : "none");
    end_line(c);
    put_label(c, "Renewal");
    if (r->renewal) {
        char date[11];
        cal_format_date(r->renewal->review_date.as.date.days, date);
        sb_printf(c->out, "%s, review %s: ", r->renewal->tier, date);
        put_mark(c, r->renewal->status);
        sb_printf(c->out, " %s", write_status_words(r->renewal->status));
    } else {
        sb_puts(c->out, "none (below the first tier)");
    }
    end_line(c);
    put_label(c, "Upgrade");
    if (r->upgrade)
        sb_printf(c->out, "%s: %s", r->upgrade->tier,
                  r->upgrade->eligible ? "eligible" : "not eligible");
    else
        sb_puts(c->out, "none (top tier)");
    end_line(c);
}

/* "To keep Select (review 2026-12-15):" or "To reach Advanced:", then its
 * gaps. */
static void put_view_gaps(text_ctx *c, const char *verb, const rubric_view *v)
{
    pad(c->out, MARGIN);
    sb_printf(c->out, "%s %s", verb, v->tier);
    if (v->kind == RUBRIC_VIEW_RENEWAL) {
        char date[11];
        cal_format_date(v->review_date.as.date.days, date);
        sb_printf(c->out, " (review %s)", date);
    }
    sb_printf(c->out, ":%s",
              write_any_gap(v->requirements, v->requirement_count) ? "" : " nothing missing");
    end_line(c);
    put_gaps(c, v->requirements, v->requirement_count, MARGIN + 2);
}

static void put_tiered(text_ctx *c, const rubric_result *r)
{
    put_summary(c, r);
    end_line(c);
    /* The columns that exist: renewal, upgrade or both. */
    write_card card;
    write_card_views(&card, r, "RENEWAL", "UPGRADE");
    if (card.ncols)
        put_table(c, &card, MARGIN);
    end_line(c);
    if (r->renewal)
        put_view_gaps(c, "To keep", r->renewal);
    if (r->upgrade)
        put_view_gaps(c, "To reach", r->upgrade);
}

static void put_items(text_ctx *c, const rubric_result *r)
{
    if (r->item_count == 0) {
        pad(c->out, MARGIN);
        sb_puts(c->out, "No items.");
        end_line(c);
    }
    for (size_t i = 0; i < r->item_count; i++) {
        const rubric_item *it = &r->items[i];
        pad(c->out, MARGIN);
        put_value(c->out, &it->label);
        sb_printf(c->out, ": %s", it->status == RUBRIC_ITEM_READY ? "ready" : "not ready");
        end_line(c);
        write_card card = {0};
        write_card_list(&card, "STATUS", it->requirements, it->requirement_count);
        put_table(c, &card, MARGIN + 2);
        if (write_any_gap(it->requirements, it->requirement_count)) {
            pad(c->out, MARGIN + 2);
            sb_puts(c->out, "To be ready:");
            end_line(c);
            put_gaps(c, it->requirements, it->requirement_count, MARGIN + 4);
        }
        end_line(c);
    }
}

/* ------------------------------------------------------------ lists */

/* "corporate_events" -> "Corporate events" */
static void put_title(strbuf *out, const char *key)
{
    for (const char *s = key; *s; s++) {
        char ch = *s == '_' ? ' ' : *s;
        if (s == key && ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        sb_putc(out, ch);
    }
}

static int cell_text_width(const text_ctx *c, const rubric_value *v)
{
    strbuf tmp;
    sb_init(&tmp, c->out->alloc);
    put_value(&tmp, v);
    int w = tmp.failed || !tmp.data ? 0 : display_width(tmp.data, tmp.len);
    if (tmp.failed)
        c->out->failed = true; /* out of memory: the page fails, not one width */
    sb_free(&tmp);
    return w;
}

static void put_list(text_ctx *c, const rubric_list *list)
{
    pad(c->out, MARGIN);
    put_title(c->out, list->name);
    if (list->row_count == 0)
        sb_puts(c->out, ": none");
    end_line(c);
    if (list->row_count == 0)
        return;
    size_t ncols = list->column_count;
    for (size_t row = 0; row <= list->row_count; row++) {
        /* Row 0 is the header. */
        pad(c->out, MARGIN + 2);
        for (size_t k = 0; k < ncols; k++) {
            int width = cstr_width(list->columns[k]);
            for (size_t j = 0; j < list->row_count; j++) {
                int w = cell_text_width(c, &list->values[j * ncols + k]);
                width = w > width ? w : width;
            }
            size_t start = c->out->len;
            if (row == 0)
                sb_puts(c->out, list->columns[k]);
            else
                put_value(c->out, &list->values[(row - 1) * ncols + k]);
            int used = c->out->failed ? 0 : display_width(c->out->data + start,
                                                           c->out->len - start);
            pad(c->out, width + GAP - used);
        }
        end_line(c);
    }
}

/* ------------------------------------------------------------ reports */

static void put_program(text_ctx *c, const rubric_result *r)
{
    char date[11];
    cal_format_date(r->as_of.days, date);
    sb_puts(c->out, r->program_title ? r->program_title : "");
    end_line(c);
    put_label(c, "Program");
    sb_printf(c->out, "%s %s", r->program_id, r->program_version ? r->program_version : "");
    end_line(c);
    put_label(c, "As of");
    sb_puts(c->out, date);
    end_line(c);
    if (r->kind == RUBRIC_PROGRAM_PER_ITEM)
        put_items(c, r);
    else
        put_tiered(c, r);
    for (size_t l = 0; l < r->list_count; l++)
        put_list(c, &r->lists[l]);
    end_line(c);
}

static void put_partner_heading(text_ctx *c, const report_model *model)
{
    size_t start = c->out->len;
    if (model->partner_name.kind != RUBRIC_VALUE_NULL) {
        put_value(c->out, &model->partner_name);
        sb_puts(c->out, " (");
        put_value(c->out, &model->partner_id);
        sb_putc(c->out, ')');
    } else {
        put_value(c->out, &model->partner_id);
    }
    int width = c->out->failed ? 0 : display_width(c->out->data + start, c->out->len - start);
    end_line(c);
    sb_pad(c->out, '=', (size_t)width);
    end_line(c);
}

void write_model_text(const report_model *model, const text_options *options, strbuf *out)
{
    text_ctx c = {0};
    text_options defaults = {false, 0};
    c.opt = options ? options : &defaults;
    c.out = out;
    c.line_start = out->len;
    put_partner_heading(&c, model);
    if (model->nresults == 0) {
        sb_puts(out, "No program applies to this partner.");
        end_line(&c);
        end_line(&c);
    }
    for (size_t i = 0; i < model->nresults; i++)
        put_program(&c, &model->results[i]);
}

static void text_of_model(const report_model *models, uint32_t nmodels, void *user,
                          strbuf *out)
{
    for (uint32_t u = 0; u < nmodels; u++)
        write_model_text(&models[u], user, out);
}

void write_report_text(const partner_report *report, const text_options *options,
                       strbuf *out)
{
    write_with_model(report, 1, true, text_of_model, (void *)options, out);
}
