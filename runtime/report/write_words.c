/*
 * write_words.c — the words the scorecards share (text and html): a
 * requirement's measure ("4 of 8", "$10,498.56 of $10,000"), the status in
 * words, the gap sentences ("needs 3 more launched opportunities", which
 * the result model keeps), and the side-by-side card of views both lay
 * out, each its own way.
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

static bool numeric(const rubric_value *v)
{
    return v->kind == RUBRIC_VALUE_COUNT || v->kind == RUBRIC_VALUE_MONEY;
}

/* A count's or an amount's integer: the count, or the cents. */
static int64_t numeric_amount(const rubric_value *v)
{
    return v->kind == RUBRIC_VALUE_MONEY ? v->as.cents : v->as.count;
}

void write_amount(const rubric_value *v, strbuf *out)
{
    char buf[40];
    if (v->kind == RUBRIC_VALUE_MONEY)
        sb_append(out, buf, money_format_display(v->as.cents, buf));
    else if (v->kind == RUBRIC_VALUE_NULL)
        sb_puts(out, "none");
    else
        write_plain_model_value(v, out);
}

void write_requirement_measure(const rubric_requirement *q, strbuf *out)
{
    if (q->status == RUBRIC_NOT_APPLICABLE) {
        sb_puts(out, "n/a");
    } else if (q->unit == RUBRIC_UNIT_CHOICE) {
        sb_printf(out, "one of %zu", q->part_count);
    } else if (q->unit == RUBRIC_UNIT_BOOL || q->actual.kind == RUBRIC_VALUE_BOOL) {
        sb_puts(out, q->actual.kind == RUBRIC_VALUE_BOOL && q->actual.as.boolean ? "yes" : "no");
    } else {
        write_amount(&q->actual, out);
        if (q->required.kind != RUBRIC_VALUE_NULL) {
            sb_puts(out, q->comparison == RUBRIC_COMPARE_AT_MOST ? " of at most " : " of ");
            write_amount(&q->required, out);
        }
        if (q->unit == RUBRIC_UNIT_MONTHS)
            sb_puts(out, " months");
    }
}

void write_measure(const bc_module *m, const bc_program *p, const req_result *q, strbuf *out)
{
    (void)m;
    rubric_requirement measure;
    model_measure(p, q, &measure);
    write_requirement_measure(&measure, out);
}

bool write_is_gap(rubric_req_status status)
{
    return status == RUBRIC_NOT_MET || status == RUBRIC_AT_RISK || status == RUBRIC_GRACE;
}

bool write_any_gap(const rubric_requirement *reqs, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (write_is_gap(reqs[i].status))
            return true;
    return false;
}

int write_depth(const rubric_requirement *q)
{
    int depth = 0;
    for (const rubric_requirement *p = q->parent; p && depth < 32; p = p->parent)
        depth++;
    return depth;
}

/* ------------------------------------------------------------ gaps */

/* How far the requirement's own measure is from its threshold, in words;
 * false (nothing written) when it is not short (a part may be). */
static bool put_shortfall(const rubric_requirement *q, strbuf *out)
{
    if (q->unit == RUBRIC_UNIT_BOOL || q->comparison == RUBRIC_COMPARE_TRUE) {
        if (q->actual.kind == RUBRIC_VALUE_BOOL && q->actual.as.boolean)
            return false;
        sb_puts(out, "needs ");
        write_noun(out, q->name);
        return true;
    }
    if (!numeric(&q->required))
        return false;
    int64_t actual = numeric(&q->actual) ? numeric_amount(&q->actual) : 0;
    int64_t required = numeric_amount(&q->required);
    bool at_most = q->comparison == RUBRIC_COMPARE_AT_MOST;
    int64_t diff = at_most ? actual - required : required - actual;
    if (diff <= 0)
        return false;
    sb_puts(out, "needs ");
    if (q->required.kind == RUBRIC_VALUE_MONEY) {
        rubric_value amount = {RUBRIC_VALUE_MONEY, {.cents = diff}};
        write_amount(&amount, out);
    } else {
        sb_printf(out, "%" PRId64, diff);
    }
    sb_puts(out, at_most ? " fewer " : " more ");
    if (q->unit == RUBRIC_UNIT_MONTHS)
        sb_puts(out, "months of ");
    write_noun(out, q->name);
    return true;
}

static void put_choice(const rubric_requirement *q, strbuf *out)
{
    sb_puts(out, "needs one of: ");
    for (size_t i = 0; i < q->part_count; i++) {
        if (i)
            sb_puts(out, i + 1 == q->part_count ? " or " : ", ");
        write_noun(out, q->parts[i].name);
    }
}

/* Its shortfall (or alternatives), the parent it belongs to, and a word
 * when it is at risk or in grace.  A parent short only through its parts
 * is said by the parts; a choice is one sentence naming its alternatives. */
bool write_gap_sentence(const rubric_requirement *q, strbuf *out)
{
    if (q->unit == RUBRIC_UNIT_CHOICE) {
        put_choice(q, out);
    } else if (!put_shortfall(q, out)) {
        if (write_any_gap(q->parts, q->part_count))
            return false;
        write_noun(out, q->name);
        sb_printf(out, ": %s", write_status_words(q->status));
    }
    if (q->parent) {
        sb_puts(out, " (");
        write_noun(out, q->parent->name);
        sb_putc(out, ')');
    }
    if (q->status == RUBRIC_AT_RISK || q->status == RUBRIC_GRACE)
        sb_printf(out, " [%s]", write_status_words(q->status));
    return true;
}

void write_each_gap(const rubric_requirement *reqs, size_t count, write_gap_fn fn, void *user)
{
    for (size_t i = 0; i < count; i++) {
        if (reqs[i].gap)
            fn(user, &reqs[i]);
        write_each_gap(reqs[i].parts, reqs[i].part_count, fn, user);
    }
}

/* ------------------------------------------------------------ the card */

static uint32_t rows_of(const rubric_requirement *reqs, size_t count)
{
    uint32_t rows = 0;
    for (size_t i = 0; i < count; i++) {
        uint32_t own = reqs[i].index + 1;
        uint32_t parts = rows_of(reqs[i].parts, reqs[i].part_count);
        rows = own > rows ? own : rows;
        rows = parts > rows ? parts : rows;
    }
    return rows;
}

void write_card_list(write_card *card, const char *head, const rubric_requirement *reqs,
                     size_t count)
{
    if (card->ncols >= WRITE_MAX_COLUMNS)
        return;
    int k = card->ncols++;
    snprintf(card->heads[k], sizeof card->heads[k], "%s", head);
    card->reqs[k] = reqs;
    card->counts[k] = count;
    uint32_t rows = rows_of(reqs, count);
    card->nrows = rows > card->nrows ? rows : card->nrows;
}

static void add_view(write_card *card, const char *label, const rubric_view *v)
{
    char head[80];
    snprintf(head, sizeof head, "%s: %s", label, v->tier);
    write_card_list(card, head, v->requirements, v->requirement_count);
}

void write_card_views(write_card *card, const rubric_result *r, const char *renewal_label,
                      const char *upgrade_label)
{
    memset(card, 0, sizeof *card);
    if (r->renewal)
        add_view(card, renewal_label, r->renewal);
    if (r->upgrade)
        add_view(card, upgrade_label, r->upgrade);
}

/* The requirement (or part) with this index in a list, searched through
 * the parts; NULL when the list does not have it. */
static const rubric_requirement *find_index(const rubric_requirement *reqs, size_t count,
                                            uint32_t index)
{
    for (size_t i = 0; i < count; i++) {
        if (reqs[i].index == index)
            return &reqs[i];
        const rubric_requirement *q = find_index(reqs[i].parts, reqs[i].part_count, index);
        if (q)
            return q;
    }
    return NULL;
}

const rubric_requirement *write_card_row(const write_card *card, uint32_t index,
                                         const rubric_requirement *cells[WRITE_MAX_COLUMNS],
                                         bool *time_bound)
{
    const rubric_requirement *first = NULL;
    bool any_time_bound = false;
    for (int k = 0; k < WRITE_MAX_COLUMNS; k++) {
        cells[k] = k < card->ncols ? find_index(card->reqs[k], card->counts[k], index) : NULL;
        if (cells[k] && !first)
            first = cells[k];
        any_time_bound = any_time_bound || (cells[k] && cells[k]->time_bound);
    }
    if (time_bound)
        *time_bound = any_time_bound;
    return first;
}
