/*
 * write_words.c — the words the scorecards share (text and html): a
 * requirement's measure ("4 of 8", "$10,498.56 of $10,000"), the status in
 * words, and the gaps as sentences ("needs 3 more launched opportunities").
 * Each writer lays them out its own way.
 */
#include <stdio.h>
#include "write.h"

#include <inttypes.h>

#include "money.h"

const char *write_status_words(uint8_t status)
{
    switch (status) {
    case RUBRIC_MET:
        return "met";
    case RUBRIC_NOT_MET:
        return "not met";
    case RUBRIC_AT_RISK:
        return "at risk";
    case RUBRIC_GRACE:
        return "in grace period";
    default:
        return "not applicable";
    }
}

void write_noun(strbuf *out, const char *name)
{
    bool word_start = true;
    for (const char *s = name; *s; s++) {
        char ch = *s;
        if (word_start && ch >= 'A' && ch <= 'Z') {
            const char *e = s + 1;
            bool more_upper = false;
            for (; *e && *e != ' '; e++)
                more_upper = more_upper || (*e >= 'A' && *e <= 'Z');
            if (!more_upper)
                ch = (char)(ch - 'A' + 'a');
        }
        sb_putc(out, ch);
        word_start = ch == ' ';
    }
}

static bool numeric(value v)
{
    return v.kind == VK_INT || v.kind == VK_MONEY;
}

void write_amount(const bc_module *m, value v, strbuf *out)
{
    char buf[40];
    if (v.kind == VK_MONEY)
        sb_append(out, buf, money_format_display(v.as.i, buf));
    else if (v.kind == VK_NULL)
        sb_puts(out, "none");
    else
        write_plain_value(m, v, BC_NONE, out);
}

void write_measure(const bc_module *m, const bc_program *p, const req_result *q, strbuf *out)
{
    const bc_node *n = &p->nodes[q->node];
    if (q->status == RUBRIC_NOT_APPLICABLE) {
        sb_puts(out, "n/a");
    } else if (n->unit == UNIT_CHOICE) {
        sb_printf(out, "one of %" PRIu32, q->parts.count);
    } else if (n->unit == UNIT_BOOL || q->actual.kind == VK_BOOL) {
        sb_puts(out, q->actual.kind == VK_BOOL && q->actual.as.b ? "yes" : "no");
    } else {
        write_amount(m, q->actual, out);
        if (q->required.kind != VK_NULL) {
            sb_puts(out, n->cmp == CMP_AT_MOST ? " of at most " : " of ");
            write_amount(m, q->required, out);
        }
        if (n->unit == UNIT_MONTHS)
            sb_puts(out, " months");
    }
}

const req_result *write_find_req(const req_list *list, uint32_t node)
{
    for (uint32_t i = 0; list && i < list->count; i++) {
        if (list->items[i].node == node)
            return &list->items[i];
        const req_result *q = write_find_req(&list->items[i].parts, node);
        if (q)
            return q;
    }
    return NULL;
}

int write_node_depth(const bc_program *p, uint32_t node)
{
    int depth = 0;
    while (p->nodes[node].parent != BC_NONE && depth < 32) {
        node = p->nodes[node].parent;
        depth++;
    }
    return depth;
}

bool write_is_gap(uint8_t status)
{
    return status == RUBRIC_NOT_MET || status == RUBRIC_AT_RISK || status == RUBRIC_GRACE;
}

bool write_any_gap(const req_list *list)
{
    for (uint32_t i = 0; i < list->count; i++)
        if (write_is_gap(list->items[i].status))
            return true;
    return false;
}

/* ------------------------------------------------------------ gaps */

typedef struct gap_walk {
    const bc_module *m;
    const bc_program *p;
    write_gap_fn fn;
    void *user;
    strbuf sentence;
} gap_walk;

static const char *node_name(const gap_walk *g, uint32_t node)
{
    return module_str(g->m, g->p->nodes[node].name);
}

/* How far the requirement's own measure is from its threshold, in words;
 * false when it is not short (a part may be). */
static bool put_shortfall(const gap_walk *g, const req_result *q, strbuf *out)
{
    const bc_node *n = &g->p->nodes[q->node];
    if (n->unit == UNIT_BOOL || n->cmp == CMP_REQUIRED) {
        if (q->actual.kind == VK_BOOL && q->actual.as.b)
            return false;
        sb_puts(out, "needs ");
        write_noun(out, node_name(g, q->node));
        return true;
    }
    if (!numeric(q->required))
        return false;
    int64_t actual = numeric(q->actual) ? q->actual.as.i : 0;
    int64_t diff = n->cmp == CMP_AT_MOST ? actual - q->required.as.i
                                         : q->required.as.i - actual;
    if (diff <= 0)
        return false;
    sb_puts(out, "needs ");
    if (q->required.kind == VK_MONEY)
        write_amount(g->m, value_money(diff), out);
    else
        sb_printf(out, "%" PRId64, diff);
    sb_puts(out, n->cmp == CMP_AT_MOST ? " fewer " : " more ");
    if (n->unit == UNIT_MONTHS)
        sb_puts(out, "months of ");
    write_noun(out, node_name(g, q->node));
    return true;
}

static void put_choice(const gap_walk *g, const req_result *q, strbuf *out)
{
    sb_puts(out, "needs one of: ");
    for (uint32_t i = 0; i < q->parts.count; i++) {
        if (i)
            sb_puts(out, i + 1 == q->parts.count ? " or " : ", ");
        write_noun(out, node_name(g, q->parts.items[i].node));
    }
}

/* The sentence for one gap: its shortfall (or alternatives), the parent it
 * belongs to, and a word when it is at risk or in grace. */
static void put_gap_sentence(const gap_walk *g, const req_result *q, const req_result *parent,
                             bool choice, strbuf *out)
{
    if (choice) {
        put_choice(g, q, out);
    } else if (!put_shortfall(g, q, out)) {
        write_noun(out, node_name(g, q->node));
        sb_printf(out, ": %s", write_status_words(q->status));
    }
    if (parent) {
        sb_puts(out, " (");
        write_noun(out, node_name(g, parent->node));
        sb_putc(out, ')');
    }
    if (q->status == RUBRIC_AT_RISK || q->status == RUBRIC_GRACE)
        sb_printf(out, " [%s]", write_status_words(q->status));
}

static void give_gap(gap_walk *g, const req_result *q, const req_result *parent, bool choice)
{
    sb_clear(&g->sentence);
    put_gap_sentence(g, q, parent, choice, &g->sentence);
    if (!g->sentence.failed && g->sentence.len)
        g->fn(g->user, q, g->sentence.data, g->sentence.len);
}

/* Whether the requirement itself is short, not only through its parts. */
static bool own_short(gap_walk *g, const req_result *q)
{
    sb_clear(&g->sentence);
    return put_shortfall(g, q, &g->sentence);
}

/* A parent short only through its parts is said by the parts; a choice is
 * one sentence naming its alternatives. */
static void walk_gaps(gap_walk *g, const req_list *list, const req_result *parent)
{
    for (uint32_t i = 0; i < list->count; i++) {
        const req_result *q = &list->items[i];
        if (!write_is_gap(q->status))
            continue;
        if (g->p->nodes[q->node].unit == UNIT_CHOICE) {
            give_gap(g, q, parent, true);
            continue;
        }
        if (own_short(g, q) || !write_any_gap(&q->parts))
            give_gap(g, q, parent, false);
        walk_gaps(g, &q->parts, q);
    }
}

bool write_each_gap(const bc_module *m, const bc_program *p, const req_list *list,
                    const rubric_allocator *alloc, write_gap_fn fn, void *user)
{
    gap_walk g = {m, p, fn, user, {0}};
    sb_init(&g.sentence, alloc);
    walk_gaps(&g, list, NULL);
    bool ok = !g.sentence.failed;
    sb_free(&g.sentence);
    return ok;
}

const char *write_tier_name(const bc_module *m, const bc_program *p, uint32_t tier)
{
    const char *name =
        tier < p->ntiers ? write_enum_name(m, p->tier_enum, p->tiers[tier]) : NULL;
    return name ? name : "?";
}

int write_view_columns(const bc_module *m, const bc_program *p, const program_result *r,
                       const char *renewal_label, const char *upgrade_label,
                       char heads[2][80], const req_list *lists[2])
{
    int n = 0;
    if (r->has_renewal) {
        snprintf(heads[n], sizeof heads[n], "%s: %s", renewal_label,
                 write_tier_name(m, p, r->renewal_tier));
        lists[n++] = &r->renewal;
    }
    if (r->has_upgrade) {
        snprintf(heads[n], sizeof heads[n], "%s: %s", upgrade_label,
                 write_tier_name(m, p, r->upgrade_tier));
        lists[n++] = &r->upgrade;
    }
    return n;
}

bool write_cells_time_bound(const req_result *const cells[], int ncols)
{
    for (int k = 0; k < ncols; k++)
        if (cells[k] && cells[k]->time_bound)
            return true;
    return false;
}

bool write_row_cells(const req_list *const lists[], int ncols, uint32_t node,
                     const req_result *cells[2], bool *time_bound)
{
    bool shown = false;
    for (int k = 0; k < 2; k++) {
        cells[k] = k < ncols ? write_find_req(lists[k], node) : NULL;
        shown = shown || cells[k];
    }
    if (time_bound)
        *time_bound = write_cells_time_bound(cells, ncols);
    return shown;
}
