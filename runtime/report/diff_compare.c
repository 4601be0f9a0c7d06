/* diff_compare.c — what differs between one program's result under the old
 * rules and under the new: the eligible tier, the renewal status, and every
 * requirement and part (status, actual, required) of every view, tiers
 * matched by name and items by their place in the partner's list. */
#include <stdio.h>
#include <string.h>

#include "diff_model.h"

/* ------------------------------------------------------------ values */

static bool same_string(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_value(const rubric_value *a, const rubric_value *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case RUBRIC_VALUE_NULL:
        return true;
    case RUBRIC_VALUE_BOOL:
        return a->as.boolean == b->as.boolean;
    case RUBRIC_VALUE_COUNT:
        return a->as.count == b->as.count;
    case RUBRIC_VALUE_MONEY:
        return a->as.cents == b->as.cents;
    case RUBRIC_VALUE_DATE:
        return a->as.date.days == b->as.date.days;
    case RUBRIC_VALUE_MONTH:
        return a->as.month.year == b->as.month.year && a->as.month.month == b->as.month.month;
    case RUBRIC_VALUE_ENUM:
        return a->as.enumerated.index == b->as.enumerated.index &&
               same_string(a->as.enumerated.name, b->as.enumerated.name);
    case RUBRIC_VALUE_STRING:
        return a->as.string.length == b->as.string.length &&
               (a->as.string.length == 0 ||
                memcmp(a->as.string.chars, b->as.string.chars, a->as.string.length) == 0);
    }
    return false;
}

/* The same status and values on both sides. */
static bool same_requirement(const rubric_requirement *a, const rubric_requirement *b)
{
    return a && b && a->status == b->status && same_value(&a->actual, &b->actual) &&
           same_value(&a->required, &b->required);
}

/* ------------------------------------------------------------ requirements */

static void add_change(program_diff *d, const diff_change *c)
{
    if (!vec_push(d->alloc, &d->changes, *c))
        d->failed = true;
}

/* One view's requirements on the two sides (either list may be absent). */
typedef struct list_pair {
    const diff_change *scope;   /* view, scope, item: copied into each change */
    const rubric_requirement *old_reqs, *new_reqs;
    size_t old_count, new_count;
} list_pair;

/* Walk one side's requirements, parts after their parent.  From the new
 * side every difference is recorded; from the old side only what the new
 * side lacks, the rest having been seen already. */
static void walk(program_diff *d, const list_pair *lp, const rubric_requirement *reqs,
                 size_t count, bool from_new, const char *prefix)
{
    for (size_t i = 0; i < count; i++) {
        const rubric_requirement *q = &reqs[i];
        diff_change c = *lp->scope;
        snprintf(c.id, sizeof c.id, "%s%s%s", prefix, prefix[0] ? "." : "", q->id);
        const rubric_requirement *other =
            from_new ? rubric_requirement_find(lp->old_reqs, lp->old_count, c.id)
                     : rubric_requirement_find(lp->new_reqs, lp->new_count, c.id);
        if (from_new ? !same_requirement(q, other) : !other) {
            c.old_req = from_new ? other : q;
            c.new_req = from_new ? q : other;
            c.old_status = c.old_req ? (int)c.old_req->status : DIFF_ABSENT;
            c.new_status = c.new_req ? (int)c.new_req->status : DIFF_ABSENT;
            add_change(d, &c);
        }
        walk(d, lp, q->parts, q->part_count, from_new, c.id);
    }
}

static void compare_lists(program_diff *d, const diff_change *scope,
                          const rubric_requirement *old_reqs, size_t old_count,
                          const rubric_requirement *new_reqs, size_t new_count)
{
    list_pair lp = {scope, old_reqs, new_reqs, old_count, new_count};
    walk(d, &lp, new_reqs, new_count, true, "");
    walk(d, &lp, old_reqs, old_count, false, "");
}

static diff_change view_scope(const char *view, const char *tier)
{
    diff_change c = {0};
    c.view = view;
    c.scope = tier;
    c.scope_len = strlen(tier);
    c.item = -1;
    return c;
}

static const rubric_view *find_tier(const rubric_result *r, const char *name)
{
    return rubric_result_view(r, RUBRIC_VIEW_ROLLING, name);
}

static void compare_view(program_diff *d, const char *kind, const char *tier,
                         const rubric_view *o, const rubric_view *n)
{
    diff_change scope = view_scope(kind, tier);
    compare_lists(d, &scope, o ? o->requirements : NULL, o ? o->requirement_count : 0,
                  n ? n->requirements : NULL, n ? n->requirement_count : 0);
}

static void compare_tiers(program_diff *d, const rubric_result *o, const rubric_result *n)
{
    for (size_t t = 0; t < n->tier_count; t++)
        compare_view(d, "rolling", n->tiers[t].tier, find_tier(o, n->tiers[t].tier),
                     &n->tiers[t]);
    for (size_t t = 0; t < o->tier_count; t++)
        if (!find_tier(n, o->tiers[t].tier))
            compare_view(d, "rolling", o->tiers[t].tier, &o->tiers[t], NULL);
    const rubric_view *named = n->renewal ? n->renewal : o->renewal;
    if (named)
        compare_view(d, "renewal", named->tier, o->renewal, n->renewal);
}

/* ------------------------------------------------------------ items */

static bool same_label(const rubric_value *a, const rubric_value *b)
{
    return a->kind == RUBRIC_VALUE_STRING && same_value(a, b);
}

/* k when item i is the k-th of a label that more than one item has, else 0. */
static uint32_t occurrence(const rubric_result *r, size_t i)
{
    uint32_t before = 0, total = 0;
    for (size_t k = 0; k < r->item_count; k++) {
        if (!same_label(&r->items[k].label, &r->items[i].label))
            continue;
        total++;
        before += k < i;
    }
    return total > 1 ? before + 1 : 0;
}

static void compare_item(program_diff *d, size_t i, const rubric_result *o,
                         const rubric_result *n)
{
    const rubric_item *old_item = i < o->item_count ? &o->items[i] : NULL;
    const rubric_item *new_item = i < n->item_count ? &n->items[i] : NULL;
    const rubric_result *named = new_item ? n : o;
    const rubric_value *label = &named->items[i].label;
    diff_change scope = {0};
    scope.view = "item";
    scope.scope = label->kind == RUBRIC_VALUE_STRING ? label->as.string.chars : "?";
    scope.scope_len = label->kind == RUBRIC_VALUE_STRING ? label->as.string.length : 1;
    scope.item = (int64_t)i;
    scope.occurrence = occurrence(named, i);
    int was = old_item ? (int)old_item->status : DIFF_ABSENT;
    int is = new_item ? (int)new_item->status : DIFF_ABSENT;
    if (was != is) {
        diff_change c = scope;
        c.old_status = was;
        c.new_status = is;
        add_change(d, &c);
    }
    compare_lists(d, &scope, old_item ? old_item->requirements : NULL,
                  old_item ? old_item->requirement_count : 0,
                  new_item ? new_item->requirements : NULL,
                  new_item ? new_item->requirement_count : 0);
}

static void compare_items(program_diff *d, const rubric_result *o, const rubric_result *n)
{
    size_t count = o->item_count > n->item_count ? o->item_count : n->item_count;
    for (size_t i = 0; i < count; i++)
        compare_item(d, i, o, n);
}

/* ------------------------------------------------------------ programs */

void diff_compare_program(program_diff *d, const rubric_result *o, const rubric_result *n)
{
    const rubric_result *any = n ? n : o;
    d->program = any->program_id;
    d->old_program = o ? o->program_id : any->program_id;
    d->tiered = any->kind == RUBRIC_PROGRAM_TIERED;
    d->kind = !o ? "added" : !n ? "removed" : "changed";
    d->old_renewal = o && o->renewal ? (int)o->renewal->status : DIFF_ABSENT;
    d->new_renewal = n && n->renewal ? (int)n->renewal->status : DIFF_ABSENT;
    if (d->tiered) {
        d->old_tier = o ? o->eligible_tier : NULL;
        d->new_tier = n ? n->eligible_tier : NULL;
    }
    if (!o || !n || o->kind != n->kind)
        return;
    if (d->tiered)
        compare_tiers(d, o, n);
    else
        compare_items(d, o, n);
}

bool diff_program_changed(const program_diff *d)
{
    return strcmp(d->kind, "changed") != 0 || !same_string(d->old_tier, d->new_tier) ||
           d->old_renewal != d->new_renewal || d->changes.len > 0;
}

void diff_program_free(program_diff *d)
{
    vec_free(d->alloc, &d->changes);
}
