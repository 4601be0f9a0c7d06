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
    const bc_module *m;
    const bc_program *p;
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
static void put_value(strbuf *out, const bc_module *m, value v, uint32_t enum_index)
{
    if (v.kind == VK_STRING)
        write_escaped_text(out, v.as.s, v.len);
    else
        write_plain_value(m, v, enum_index, out);
}

static const char *tier_name(const text_ctx *c, uint32_t tier)
{
    return write_tier_name(c->m, c->p, tier);
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

static void put_cell(text_ctx *c, const req_result *q, bool last)
{
    if (q) {
        put_mark(c, q->status);
        sb_putc(c->out, ' ');
        size_t text = c->out->len;
        write_measure(c->m, c->p, q, c->out);
        int used = c->out->failed ? 0 : 2 + display_width(c->out->data + text,
                                                          c->out->len - text);
        if (!last)
            pad(c->out, c->cell_width + GAP - used);
    } else if (!last) {
        pad(c->out, c->cell_width + GAP);
    }
}

/* A row's name is marked " *" when a cell of it is time-bound. */
static void put_row(text_ctx *c, uint32_t node, const req_result *const cells[], int ncols,
                    int indent)
{
    const bc_node *n = &c->p->nodes[node];
    bool time_bound = write_cells_time_bound(cells, ncols);
    int lead = indent + 2 * write_node_depth(c->p, node);
    int room = c->name_width - lead;
    int marker = time_bound ? 2 : 0;
    pad(c->out, lead);
    int used = put_cut(c->out, module_str(c->m, n->name), room - marker);
    if (time_bound)
        sb_puts(c->out, " *");
    pad(c->out, room - used - marker);
    pad(c->out, GAP);
    for (int k = 0; k < ncols; k++)
        put_cell(c, cells[k], k == ncols - 1);
    end_line(c);
}

static int measure_width(text_ctx *c, const req_result *q)
{
    strbuf tmp;
    sb_init(&tmp, c->out->alloc);
    strbuf *out = c->out;
    c->out = &tmp;
    write_measure(c->m, c->p, q, c->out);
    c->out = out;
    int w = tmp.failed || !tmp.data ? 0 : display_width(tmp.data, tmp.len);
    sb_free(&tmp);
    return w;
}

/* Status columns as wide as their widest cell (a mark, a space, the
 * measure) or header; the requirement column gets the rest of the width. */
static void set_widths(text_ctx *c, const char *const headers[], const req_list *const lists[],
                       int ncols, int indent)
{
    int cell = 0;
    for (int k = 0; k < ncols; k++) {
        int h = cstr_width(headers[k]);
        cell = h > cell ? h : cell;
        for (uint32_t i = 0; i < c->p->nnodes; i++) {
            const req_result *q = write_find_req(lists[k], i);
            int w = q ? 2 + measure_width(c, q) : 0;
            cell = w > cell ? w : cell;
        }
    }
    int width = c->opt->width > 0 ? c->opt->width : DEFAULT_WIDTH;
    int name = width - ncols * (cell + GAP);
    int needed = indent + cstr_width("REQUIREMENT");
    for (uint32_t i = 0; i < c->p->nnodes; i++) {
        const req_result *cells[MAX_COLUMNS];
        bool time_bound;
        bool shown = write_row_cells(lists, ncols, i, cells, &time_bound);
        int w = indent + 2 + 2 * write_node_depth(c->p, i) +
                cstr_width(module_str(c->m, c->p->nodes[i].name)) + (time_bound ? 2 : 0);
        needed = shown && w > needed ? w : needed;
    }
    name = needed < name ? needed : name;
    c->cell_width = cell;
    c->name_width = name < MIN_NAME_WIDTH ? MIN_NAME_WIDTH : name;
}

/* Rows for every node present in one of the columns, in rule order, under
 * category headings; a footnote when a time-bound requirement was shown. */
static void put_table(text_ctx *c, const char *const headers[], const req_list *const lists[],
                      int ncols, int indent)
{
    set_widths(c, headers, lists, ncols, indent);
    pad(c->out, indent);
    put_fitted(c->out, "REQUIREMENT", c->name_width - indent);
    pad(c->out, GAP);
    for (int k = 0; k < ncols; k++) {
        sb_puts(c->out, headers[k]);
        if (k < ncols - 1)
            pad(c->out, c->cell_width + GAP - cstr_width(headers[k]));
    }
    end_line(c);
    const char *category = NULL;
    bool any_time_bound = false;
    for (uint32_t i = 0; i < c->p->nnodes; i++) {
        const req_result *cells[MAX_COLUMNS];
        bool time_bound;
        if (!write_row_cells(lists, ncols, i, cells, &time_bound))
            continue;
        any_time_bound = any_time_bound || time_bound;
        const char *cat = write_node_category(c->p, c->m, i);
        if (c->p->nodes[i].parent == BC_NONE && (!category || strcmp(cat, category) != 0)) {
            category = cat;
            pad(c->out, indent);
            sb_puts(c->out, cat);
            end_line(c);
        }
        put_row(c, i, cells, ncols, indent + 2);
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

static void put_gap_line(void *user, const req_result *q, const char *sentence, size_t len)
{
    (void)q;
    gap_lines *g = user;
    put_wrapped(g->c, sentence, len, g->indent);
}

/* One wrapped line per gap (write_each_gap says which and in what words). */
static void put_gaps(text_ctx *c, const req_list *list, int indent)
{
    gap_lines g = {c, indent};
    if (!write_each_gap(c->m, c->p, list, c->out->alloc, put_gap_line, &g))
        c->out->failed = true;
}

/* ------------------------------------------------------------ programs */

static void put_label(text_ctx *c, const char *label)
{
    pad(c->out, MARGIN);
    put_fitted(c->out, label, 15);
}

static void put_summary(text_ctx *c, const program_result *r)
{
    const char *current = write_enum_name(c->m, c->p->tier_enum, r->current_tier);
    put_label(c, "Current tier");
    sb_puts(c->out, current ? current : "?");
    end_line(c);
    put_label(c, "Eligible tier");
    sb_puts(c->out, r->eligible >= 0 ? tier_name(c, (uint32_t)r->eligible) : "none");
    end_line(c);
    put_label(c, "Renewal");
    if (r->has_renewal) {
        char date[11];
        cal_format_date(r->review_date, date);
        sb_printf(c->out, "%s, review %s: ", tier_name(c, r->renewal_tier), date);
        put_mark(c, r->renewal_status);
        sb_printf(c->out, " %s", write_status_words(r->renewal_status));
    } else {
        sb_puts(c->out, "none (below the first tier)");
    }
    end_line(c);
    put_label(c, "Upgrade");
    if (r->has_upgrade)
        sb_printf(c->out, "%s: %s", tier_name(c, r->upgrade_tier),
                  r->upgrade_eligible ? "eligible" : "not eligible");
    else
        sb_puts(c->out, "none (top tier)");
    end_line(c);
}

static void put_tiered(text_ctx *c, const program_result *r)
{
    put_summary(c, r);
    end_line(c);
    /* The columns that exist: renewal, upgrade or both. */
    char heads[2][80];
    const char *headers[2];
    const req_list *lists[2];
    int ncols = write_view_columns(c->m, c->p, r, "RENEWAL", "UPGRADE", heads, lists);
    for (int k = 0; k < ncols; k++)
        headers[k] = heads[k];
    if (ncols)
        put_table(c, headers, lists, ncols, MARGIN);
    end_line(c);
    if (r->has_renewal) {
        char date[11];
        cal_format_date(r->review_date, date);
        pad(c->out, MARGIN);
        sb_printf(c->out, "To keep %s (review %s):%s", tier_name(c, r->renewal_tier), date,
                  write_any_gap(&r->renewal) ? "" : " nothing missing");
        end_line(c);
        put_gaps(c, &r->renewal, MARGIN + 2);
    }
    if (r->has_upgrade) {
        pad(c->out, MARGIN);
        sb_printf(c->out, "To reach %s:%s", tier_name(c, r->upgrade_tier),
                  write_any_gap(&r->upgrade) ? "" : " nothing missing");
        end_line(c);
        put_gaps(c, &r->upgrade, MARGIN + 2);
    }
}

static void put_items(text_ctx *c, const program_result *r)
{
    if (r->nitems == 0) {
        pad(c->out, MARGIN);
        sb_puts(c->out, "No items.");
        end_line(c);
    }
    for (uint32_t i = 0; i < r->nitems; i++) {
        const item_result *it = &r->items[i];
        pad(c->out, MARGIN);
        put_value(c->out, c->m, it->label, BC_NONE);
        sb_printf(c->out, ": %s", it->ready ? "ready" : "not ready");
        end_line(c);
        const char *headers[1] = {"STATUS"};
        const req_list *lists[1] = {&it->reqs};
        put_table(c, headers, lists, 1, MARGIN + 2);
        if (write_any_gap(&it->reqs)) {
            pad(c->out, MARGIN + 2);
            sb_puts(c->out, "To be ready:");
            end_line(c);
            put_gaps(c, &it->reqs, MARGIN + 4);
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

static uint32_t column_enum(const text_ctx *c, const bc_report_column *col)
{
    uint32_t type = col->chunk < c->m->nchunks ? c->m->chunks[col->chunk].ret_type : BC_NONE;
    return write_enum_of_type(c->m, type);
}

static int cell_text_width(const text_ctx *c, const bc_report_column *col, value v)
{
    strbuf tmp;
    sb_init(&tmp, c->out->alloc);
    put_value(&tmp, c->m, v, column_enum(c, col));
    int w = tmp.failed || !tmp.data ? 0 : display_width(tmp.data, tmp.len);
    sb_free(&tmp);
    return w;
}

static void put_list(text_ctx *c, const report_list_result *lr)
{
    const bc_report_list *list = &c->p->lists[lr->list];
    pad(c->out, MARGIN);
    put_title(c->out, module_str(c->m, list->name));
    if (lr->nrows == 0)
        sb_puts(c->out, ": none");
    end_line(c);
    if (lr->nrows == 0)
        return;
    for (int row = -1; row < (int)lr->nrows; row++) {
        pad(c->out, MARGIN + 2);
        for (uint32_t k = 0; k < list->ncolumns; k++) {
            const bc_report_column *col = &list->columns[k];
            int width = cstr_width(module_str(c->m, col->name));
            for (uint32_t j = 0; j < lr->nrows; j++) {
                int w = cell_text_width(c, col, lr->rows[j].values[k]);
                width = w > width ? w : width;
            }
            size_t start = c->out->len;
            if (row < 0)
                sb_puts(c->out, module_str(c->m, col->name));
            else
                put_value(c->out, c->m, lr->rows[row].values[k], column_enum(c, col));
            int used = c->out->failed ? 0 : display_width(c->out->data + start,
                                                           c->out->len - start);
            pad(c->out, width + GAP - used);
        }
        end_line(c);
    }
}

/* ------------------------------------------------------------ reports */

static void put_program(text_ctx *c, const program_result *r)
{
    char date[11];
    cal_format_date(r->as_of, date);
    const bc_program *p = c->p;
    sb_puts(c->out, module_str(c->m, p->title));
    end_line(c);
    put_label(c, "Program");
    sb_printf(c->out, "%s %s", module_str(c->m, p->id), module_str(c->m, p->version));
    end_line(c);
    put_label(c, "As of");
    sb_puts(c->out, date);
    end_line(c);
    if (p->kind == PROGRAM_PER_ITEM)
        put_items(c, r);
    else
        put_tiered(c, r);
    for (uint32_t l = 0; l < r->nlists; l++)
        put_list(c, &r->lists[l]);
    end_line(c);
}

static void put_partner_heading(text_ctx *c, const partner_report *report)
{
    size_t start = c->out->len;
    if (report->name.kind != VK_NULL) {
        put_value(c->out, c->m, report->name, BC_NONE);
        sb_puts(c->out, " (");
        put_value(c->out, c->m, report->id, BC_NONE);
        sb_putc(c->out, ')');
    } else {
        put_value(c->out, c->m, report->id, BC_NONE);
    }
    int width = c->out->failed ? 0 : display_width(c->out->data + start, c->out->len - start);
    end_line(c);
    sb_pad(c->out, '=', (size_t)width);
    end_line(c);
}

void write_report_text(const partner_report *report, const text_options *options,
                       strbuf *out)
{
    text_ctx c = {0};
    text_options defaults = {false, 0};
    c.m = report->module;
    c.opt = options ? options : &defaults;
    c.out = out;
    c.line_start = out->len;
    put_partner_heading(&c, report);
    if (report->nresults == 0) {
        sb_puts(out, "No program applies to this partner.");
        end_line(&c);
        end_line(&c);
    }
    for (uint32_t i = 0; i < report->nresults; i++) {
        c.p = &c.m->programs[report->results[i].program];
        put_program(&c, &report->results[i]);
    }
}
