/* diff_tally.c — what `rubric diff` counts over every partner: per program,
 * from -> to matrices of the eligible tier and the renewal status (or of
 * each item's status), and the summary's counts.  Partners are compared on
 * several threads at once: a lock guards the counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_model.h"
#include "write.h"

/* Where a label sorts in a matrix: none, then tiers or statuses in order,
 * then absent (no result on that side). */
enum { RANK_NONE = -1, RANK_ABSENT = 1 << 20 };

bool diff_tally_init(diff_tally *t, const rubric_allocator *alloc)
{
    memset(t, 0, sizeof *t);
    t->alloc = alloc;
    arena_init(&t->strings, alloc, 0);
    return pthread_mutex_init(&t->lock, NULL) == 0;
}

void diff_tally_free(diff_tally *t)
{
    for (uint32_t i = 0; i < t->programs.len; i++) {
        vec_free(t->alloc, &t->programs.items[i].eligible);
        vec_free(t->alloc, &t->programs.items[i].renewal);
        vec_free(t->alloc, &t->programs.items[i].items);
    }
    vec_free(t->alloc, &t->programs);
    arena_free(&t->strings);
    pthread_mutex_destroy(&t->lock);
}

/* ------------------------------------------------------------ counting */

static const char *keep(diff_tally *t, const char *s)
{
    char *copy = arena_strndup(&t->strings, s, strlen(s));
    if (!copy)
        t->failed = true;
    return copy ? copy : "";
}

static void count_cell(diff_tally *t, diff_matrix *m, const char *was, int was_rank,
                       const char *is, int is_rank)
{
    for (uint32_t i = 0; i < m->len; i++) {
        if (strcmp(m->items[i].old_label, was) == 0 && strcmp(m->items[i].new_label, is) == 0) {
            m->items[i].count++;
            return;
        }
    }
    diff_cell cell = {keep(t, was), keep(t, is), was_rank, is_rank, 1};
    if (!vec_push(t->alloc, m, cell))
        t->failed = true;
}

static diff_program_tally *program_tally(diff_tally *t, const program_diff *d)
{
    for (uint32_t i = 0; i < t->programs.len; i++)
        if (strcmp(t->programs.items[i].program, d->program) == 0)
            return &t->programs.items[i];
    diff_program_tally p = {0};
    p.program = keep(t, d->program);
    p.tiered = d->tiered;
    if (!vec_push(t->alloc, &t->programs, p)) {
        t->failed = true;
        return NULL;
    }
    return &t->programs.items[t->programs.len - 1];
}

/* The place of tier `name` in a result's program (-1: not one of its). */
static int tier_rank(const rubric_result *r, const char *name)
{
    for (size_t k = 0; r && name && k < r->tier_count; k++)
        if (strcmp(r->tiers[k].tier, name) == 0)
            return (int)r->tiers[k].tier_index;
    return -1;
}

static void eligible_label(const rubric_result *r, const char **label, int *rank)
{
    *label = !r ? "absent" : r->eligible_tier ? r->eligible_tier : "none";
    *rank = !r ? RANK_ABSENT : r->eligible_tier ? tier_rank(r, r->eligible_tier) : RANK_NONE;
}

static void renewal_label(const rubric_result *r, const char **label, int *rank)
{
    /* Met first, then worse; grace and not_applicable do not occur. */
    static const int order[] = {[RUBRIC_MET] = 0, [RUBRIC_AT_RISK] = 1,
                                [RUBRIC_NOT_MET] = 2, [RUBRIC_GRACE] = 3,
                                [RUBRIC_NOT_APPLICABLE] = 4};
    if (!r || !r->renewal) {
        *label = r ? "none" : "absent";
        *rank = r ? 5 : RANK_ABSENT;
        return;
    }
    *label = rubric_req_status_name(r->renewal->status);
    *rank = order[r->renewal->status];
}

static void count_items(diff_tally *t, diff_program_tally *p, const rubric_result *o,
                        const rubric_result *n)
{
    size_t old_count = o ? o->item_count : 0, new_count = n ? n->item_count : 0;
    for (size_t i = 0; i < old_count || i < new_count; i++) {
        const char *was = i < old_count ? rubric_item_status_name(o->items[i].status)
                                        : "absent";
        const char *is = i < new_count ? rubric_item_status_name(n->items[i].status)
                                       : "absent";
        int was_rank = i < old_count ? (int)o->items[i].status : RANK_ABSENT;
        int is_rank = i < new_count ? (int)n->items[i].status : RANK_ABSENT;
        count_cell(t, &p->items, was, was_rank, is, is_rank);
    }
}

/* The summary's counts of one changed program. */
static void count_change(diff_tally *t, const program_diff *d, const rubric_result *o,
                         const rubric_result *n)
{
    if (strcmp(d->kind, "added") == 0) {
        t->programs_added++;
    } else if (strcmp(d->kind, "removed") == 0) {
        t->programs_removed++;
    } else if (d->tiered && (d->old_tier != d->new_tier &&
                             (!d->old_tier || !d->new_tier ||
                              strcmp(d->old_tier, d->new_tier) != 0))) {
        t->tiers_changed++;
        /* Ranked in the new program's order of tiers (none below all). */
        int was = tier_rank(n, d->old_tier), is = tier_rank(n, d->new_tier);
        if (d->old_tier && was < 0)
            was = tier_rank(o, d->old_tier);
        if (is > was)
            t->tiers_up++;
        else
            t->tiers_down++;
    }
}

void diff_tally_program(diff_tally *t, const program_diff *d, const rubric_result *o,
                        const rubric_result *n)
{
    pthread_mutex_lock(&t->lock);
    diff_program_tally *p = program_tally(t, d);
    if (p && d->tiered) {
        const char *was, *is;
        int was_rank, is_rank;
        eligible_label(o, &was, &was_rank);
        eligible_label(n, &is, &is_rank);
        count_cell(t, &p->eligible, was, was_rank, is, is_rank);
        renewal_label(o, &was, &was_rank);
        renewal_label(n, &is, &is_rank);
        count_cell(t, &p->renewal, was, was_rank, is, is_rank);
    } else if (p) {
        count_items(t, p, o, n);
    }
    if (diff_program_changed(d))
        count_change(t, d, o, n);
    pthread_mutex_unlock(&t->lock);
}

void diff_tally_partner_changed(diff_tally *t)
{
    pthread_mutex_lock(&t->lock);
    t->partners_changed++;
    pthread_mutex_unlock(&t->lock);
}

static int by_program(const void *a, const void *b)
{
    return strcmp(((const diff_program_tally *)a)->program,
                  ((const diff_program_tally *)b)->program);
}

void diff_tally_sort(diff_tally *t)
{
    if (t->programs.len > 1)
        qsort(t->programs.items, t->programs.len, sizeof *t->programs.items, by_program);
}

/* ------------------------------------------------------------ writing */

/* The labels of a matrix's rows and columns: every label either side has,
 * in rank order. */
typedef struct axis {
    const char *labels[64];
    int ranks[64];
    size_t count;
} axis;

static void axis_add(axis *a, const char *label, int rank)
{
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->labels[i], label) == 0)
            return;
    if (a->count == sizeof a->labels / sizeof a->labels[0])
        return;
    size_t at = a->count;
    while (at > 0 && (a->ranks[at - 1] > rank ||
                      (a->ranks[at - 1] == rank && strcmp(a->labels[at - 1], label) > 0))) {
        a->labels[at] = a->labels[at - 1];
        a->ranks[at] = a->ranks[at - 1];
        at--;
    }
    a->labels[at] = label;
    a->ranks[at] = rank;
    a->count++;
}

static void matrix_axis(const diff_matrix *m, axis *a)
{
    a->count = 0;
    for (uint32_t i = 0; i < m->len; i++) {
        axis_add(a, m->items[i].old_label, m->items[i].old_rank);
        axis_add(a, m->items[i].new_label, m->items[i].new_rank);
    }
}

static uint64_t cell_count(const diff_matrix *m, const char *was, const char *is)
{
    for (uint32_t i = 0; i < m->len; i++)
        if (strcmp(m->items[i].old_label, was) == 0 && strcmp(m->items[i].new_label, is) == 0)
            return m->items[i].count;
    return 0;
}

static size_t digits(uint64_t n)
{
    size_t d = 1;
    while (n >= 10)
        n /= 10, d++;
    return d;
}

/* "PROGRAM: WHAT, old (rows) -> new (columns)", then the table, right
 * aligned, each column as wide as its label or its largest count. */
static void text_matrix(const char *program, const char *what, const diff_matrix *m,
                        strbuf *out)
{
    axis a;
    matrix_axis(m, &a);
    static const char corner[] = "old \\ new";
    size_t first = sizeof corner - 1;
    size_t widths[64];
    for (size_t c = 0; c < a.count; c++) {
        first = strlen(a.labels[c]) > first ? strlen(a.labels[c]) : first;
        widths[c] = strlen(a.labels[c]);
        for (size_t r = 0; r < a.count; r++) {
            size_t w = digits(cell_count(m, a.labels[r], a.labels[c]));
            widths[c] = w > widths[c] ? w : widths[c];
        }
    }
    sb_printf(out, "%s: %s, old (rows) -> new (columns)\n  %-*s", program, what, (int)first,
              corner);
    for (size_t c = 0; c < a.count; c++)
        sb_printf(out, "  %*s", (int)widths[c], a.labels[c]);
    sb_putc(out, '\n');
    for (size_t r = 0; r < a.count; r++) {
        sb_printf(out, "  %-*s", (int)first, a.labels[r]);
        for (size_t c = 0; c < a.count; c++)
            sb_printf(out, "  %*llu", (int)widths[c],
                      (unsigned long long)cell_count(m, a.labels[r], a.labels[c]));
        sb_putc(out, '\n');
    }
}

void diff_tally_text(const diff_tally *t, strbuf *out)
{
    for (uint32_t i = 0; i < t->programs.len; i++) {
        const diff_program_tally *p = &t->programs.items[i];
        if (p->tiered) {
            text_matrix(p->program, "eligible tier", &p->eligible, out);
            text_matrix(p->program, "renewal status", &p->renewal, out);
        } else {
            text_matrix(p->program, "items", &p->items, out);
        }
        sb_putc(out, '\n');
    }
}

/* [{"old":..,"new":..,"count":N}, ...] in the order of the text's rows
 * and columns, non-zero cells only. */
static void json_matrix(const diff_matrix *m, strbuf *out)
{
    axis a;
    matrix_axis(m, &a);
    sb_putc(out, '[');
    bool first = true;
    for (size_t r = 0; r < a.count; r++) {
        for (size_t c = 0; c < a.count; c++) {
            uint64_t n = cell_count(m, a.labels[r], a.labels[c]);
            if (!n)
                continue;
            sb_puts(out, first ? "{\"old\":" : ",{\"old\":");
            write_json_string(out, a.labels[r], strlen(a.labels[r]));
            sb_puts(out, ",\"new\":");
            write_json_string(out, a.labels[c], strlen(a.labels[c]));
            sb_printf(out, ",\"count\":%llu}", (unsigned long long)n);
            first = false;
        }
    }
    sb_putc(out, ']');
}

void diff_tally_json(const diff_tally *t, strbuf *out)
{
    sb_putc(out, '[');
    for (uint32_t i = 0; i < t->programs.len; i++) {
        const diff_program_tally *p = &t->programs.items[i];
        sb_puts(out, i ? ",\n{\"program\":" : "\n{\"program\":");
        write_json_string(out, p->program, strlen(p->program));
        if (p->tiered) {
            sb_puts(out, ",\"eligible_tier\":");
            json_matrix(&p->eligible, out);
            sb_puts(out, ",\"renewal_status\":");
            json_matrix(&p->renewal, out);
        } else {
            sb_puts(out, ",\"items\":");
            json_matrix(&p->items, out);
        }
        sb_putc(out, '}');
    }
    sb_puts(out, t->programs.len ? "\n]" : "]");
}
