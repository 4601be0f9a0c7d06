/*
 * eval.c — evaluating tiered programs for one partner.
 *
 * A snapshot holds every requirement's measure and conditions in one view:
 * the rolling view (window of `rolling window`) or the renewal view
 * (`renewal window`).  A measure that is not time-bound does not depend on
 * the window, so it is computed once and shared by both views.  Statuses
 * are then read off a snapshot for each tier, comparing the one measure with
 * each tier's threshold ("evaluate once, compare many").
 *
 * Sustained attainment re-evaluates the checked requirements in the rolling
 * view as of earlier checkpoints A - k months, each computed from A in one
 * step.
 */
#include "eval.h"

#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "errors.h"
#include "money.h"
#include "write.h"

enum {
    NF_NA = 1 << 0,       /* not_applicable when ... held */
    NF_GRACE = 1 << 1,    /* grace when ... held */
    NF_AT_RISK = 1 << 2   /* at_risk when ... held */
};

typedef struct snapshot {
    value *actual;      /* [nnodes] measures */
    uint8_t *flags;     /* [nnodes] NF_* */
    int32_t as_of;
    bool renewal;       /* the renewal view: at_risk until the review date */
} snapshot;

typedef struct evaluator {
    vm *vm;
    const bc_module *m;
    const bc_program *p;
    uint32_t program;
    arena *mem;
    value root;
    int32_t as_of;
    int32_t review;
    uint32_t columns;       /* threshold columns: ntiers, or 1 per item */
    uint8_t *exists;        /* [nnodes * columns] */
    uint32_t *top;          /* [nnodes] top-level ancestor */
    snapshot rolling;
    int64_t *sustained;     /* [nnodes] memoized counts, -1 when not yet */
    const value *item;      /* per-item: the item the chunks take, else NULL */
    rubric_error *err;      /* the caller's: filled on the first failure */
    bool failed;
} evaluator;

/* ------------------------------------------------------------ running */

/* The first failure of the program: "<program id>: <message>". */
static void fail_message(evaluator *ev, bool limit, const char *message)
{
    if (ev->failed)
        return;
    ev->failed = true;
    error_set(ev->err, limit ? RUBRIC_ERR_LIMIT : RUBRIC_ERR_EVAL, "%s: %s",
              module_str(ev->m, ev->p->id), message);
}

static void set_context(evaluator *ev, int32_t as_of, const value *window)
{
    vm_context ctx = {0};
    ctx.root = ev->root;
    ctx.as_of = as_of;
    ctx.has_window = window != NULL;
    if (window)
        ctx.window = *window;
    vm_change_view(ev->vm, &ctx);
}

static bool run(evaluator *ev, uint32_t chunk, value *out)
{
    if (ev->failed)
        return false;
    /* Without an item a chunk reads only the context: the vm memoizes it
     * across views and programs while what it reads stays the same. */
    bool ok = ev->item ? vm_call(ev->vm, chunk, ev->item, 1, out, ev->err)
                       : vm_call_memo(ev->vm, chunk, out, ev->err);
    if (!ok) {
        /* The vm filled the record; it says which program (an interrupt
         * is the host's, not the program's). */
        ev->failed = true;
        if (ev->err->status != RUBRIC_ERR_INTERRUPTED)
            error_prefix(ev->err, "%s: ", module_str(ev->m, ev->p->id));
        return false;
    }
    return true;
}

static bool run_bool(evaluator *ev, uint32_t chunk)
{
    value v;
    return chunk != BC_NONE && run(ev, chunk, &v) && v.kind == VK_BOOL && v.as.b;
}

static void *alloc_array(evaluator *ev, size_t count, size_t size)
{
    void *p = arena_calloc(ev->mem, count ? count : 1, size);
    if (!p)
        fail_message(ev, ev->mem->over_limit, ev->mem->over_limit
                                                  ? "memory limit reached"
                                                  : "out of memory");
    return p;
}

/* ------------------------------------------------------------ structure */

static bool time_bound(const bc_node *n)
{
    return (n->flags & NODE_TIME_BOUND) != 0;
}

static bool exists_at(const evaluator *ev, uint32_t node, uint32_t tier)
{
    return ev->exists[(size_t)node * ev->columns + tier];
}

/* A node exists at a tier when it has a threshold there or a part does. */
static void compute_structure(evaluator *ev)
{
    const bc_program *p = ev->p;
    ev->exists = alloc_array(ev, (size_t)p->nnodes * ev->columns, 1);
    ev->top = alloc_array(ev, p->nnodes, sizeof *ev->top);
    ev->sustained = alloc_array(ev, p->nnodes, sizeof *ev->sustained);
    if (ev->failed)
        return;
    for (uint32_t i = p->nnodes; i-- > 0;) {
        const bc_node *n = &p->nodes[i];
        for (uint32_t t = 0; t < ev->columns; t++) {
            uint8_t *e = &ev->exists[(size_t)i * ev->columns + t];
            if (n->thresholds[t].kind != TH_NONE)
                *e = 1;
            if (*e && n->parent != BC_NONE)
                ev->exists[(size_t)n->parent * ev->columns + t] = 1;
        }
    }
    for (uint32_t i = 0; i < p->nnodes; i++) {
        uint32_t parent = p->nodes[i].parent;
        ev->top[i] = parent == BC_NONE ? i : ev->top[parent];
        ev->sustained[i] = -1;
    }
}

/* ------------------------------------------------------------ snapshots */

static void measure_node(evaluator *ev, snapshot *s, uint32_t i)
{
    const bc_node *n = &ev->p->nodes[i];
    uint8_t flags = 0;
    if (run_bool(ev, n->na_when))
        flags |= NF_NA;
    if (!(flags & NF_NA)) {
        if (n->measure != BC_NONE)
            run(ev, n->measure, &s->actual[i]);
        if (run_bool(ev, n->grace_when))
            flags |= NF_GRACE;
        if (run_bool(ev, n->at_risk_when))
            flags |= NF_AT_RISK;
    }
    s->flags[i] = flags;
}

static bool alloc_snapshot(evaluator *ev, snapshot *s, int32_t as_of, bool renewal)
{
    s->actual = alloc_array(ev, ev->p->nnodes, sizeof *s->actual);
    s->flags = alloc_array(ev, ev->p->nnodes, sizeof *s->flags);
    s->as_of = as_of;
    s->renewal = renewal;
    return !ev->failed;
}

/*
 * Measure the nodes of a view.  want (may be NULL = all) selects nodes;
 * `shared`, when not NULL, is a snapshot at the same date whose measures
 * that do not depend on the window are copied rather than recomputed.
 */
static void fill_snapshot(evaluator *ev, snapshot *s, const value *window,
                          const uint8_t *want, const snapshot *shared)
{
    const bc_program *p = ev->p;
    if (shared) {
        for (uint32_t i = 0; i < p->nnodes; i++) {
            if (!time_bound(&p->nodes[i])) {
                s->actual[i] = shared->actual[i];
                s->flags[i] = shared->flags[i];
            }
        }
    } else {
        set_context(ev, s->as_of, NULL);
        for (uint32_t i = 0; i < p->nnodes && !ev->failed; i++)
            if ((!want || want[i]) && !time_bound(&p->nodes[i]))
                measure_node(ev, s, i);
    }
    set_context(ev, s->as_of, window);
    for (uint32_t i = 0; i < p->nnodes && !ev->failed; i++)
        if ((!want || want[i]) && time_bound(&p->nodes[i]))
            measure_node(ev, s, i);
}

/* ------------------------------------------------------------ statuses */

static int severity(uint8_t status)
{
    switch (status) {
    case RUBRIC_NOT_MET:
        return 3;
    case RUBRIC_AT_RISK:
        return 2;
    case RUBRIC_GRACE:
        return 1;
    default:
        return 0;
    }
}

static bool satisfies(value actual, value required, uint8_t cmp)
{
    switch (cmp) {
    case CMP_REQUIRED:
        return actual.kind == VK_BOOL && actual.as.b;
    case CMP_AT_MOST:
        return actual.kind != VK_NULL && actual.as.i <= required.as.i;
    default:
        return actual.kind != VK_NULL && actual.as.i >= required.as.i;
    }
}

/* The status of a threshold not reached. */
static uint8_t shortfall(const evaluator *ev, const snapshot *s, uint32_t i)
{
    const bc_node *n = &ev->p->nodes[i];
    if (s->flags[i] & NF_GRACE)
        return RUBRIC_GRACE;
    if (s->flags[i] & NF_AT_RISK)
        return RUBRIC_AT_RISK;
    if (s->renewal && time_bound(n) && s->as_of < ev->review)
        return RUBRIC_AT_RISK;
    return RUBRIC_NOT_MET;
}

static value threshold_value(evaluator *ev, const bc_node *n, uint32_t tier)
{
    const bc_threshold *th = &n->thresholds[tier];
    if (th->kind == TH_CONST)
        return ev->m->consts[th->index].v;
    value v = value_null();
    if (th->kind == TH_CHUNK)
        run(ev, th->index, &v); /* computed from the item */
    return v;
}

static int64_t sustained_count(evaluator *ev, uint32_t i, int64_t max);

static uint8_t node_status(evaluator *ev, const snapshot *s, uint32_t i, uint32_t tier,
                           bool force_na, req_result *out);

/* Statuses of the parts of node i that exist at tier; fills out->parts
 * when out is not NULL.  Returns the worst (or, for choice, the best). */
static uint8_t parts_status(evaluator *ev, const snapshot *s, uint32_t i, uint32_t tier,
                            bool force_na, bool best, bool *any, req_result *out)
{
    const bc_node *n = &ev->p->nodes[i];
    uint32_t count = 0;
    for (uint32_t k = 0; k < n->nparts; k++)
        if (exists_at(ev, n->parts[k], tier))
            count++;
    req_result *items = NULL;
    if (out && count) {
        items = alloc_array(ev, count, sizeof *items);
        if (!items)
            return RUBRIC_NOT_MET;
        out->parts.items = items;
        out->parts.count = count;
    }
    uint8_t result = best ? RUBRIC_NOT_MET : RUBRIC_MET;
    uint32_t j = 0;
    *any = count > 0;
    for (uint32_t k = 0; k < n->nparts; k++) {
        uint32_t part = n->parts[k];
        if (!exists_at(ev, part, tier))
            continue;
        uint8_t st = node_status(ev, s, part, tier, force_na, items ? &items[j] : NULL);
        j++;
        if (best ? severity(st) < severity(result) : severity(st) > severity(result))
            result = st;
    }
    return result;
}

static uint8_t node_status(evaluator *ev, const snapshot *s, uint32_t i, uint32_t tier,
                           bool force_na, req_result *out)
{
    const bc_node *n = &ev->p->nodes[i];
    value required = threshold_value(ev, n, tier);
    bool na = force_na || (s->flags[i] & NF_NA);
    if (out) {
        memset(out, 0, sizeof *out);
        out->node = i;
        out->time_bound = time_bound(n);
        out->required = required;
        out->actual = value_null();
    }
    bool any_part;
    if (na) {
        parts_status(ev, s, i, tier, true, false, &any_part, out);
        if (out)
            out->status = RUBRIC_NOT_APPLICABLE;
        return RUBRIC_NOT_APPLICABLE;
    }
    uint8_t status;
    if (n->kind == NODE_CHOICE) {
        status = parts_status(ev, s, i, tier, false, true, &any_part, out);
        if (!any_part)
            status = RUBRIC_NOT_MET;
    } else {
        value actual = s->actual[i];
        if (n->kind == NODE_SUSTAINED)
            actual = value_int(required.kind == VK_INT ? sustained_count(ev, i, required.as.i)
                                                       : 0);
        if (out)
            out->actual = actual;
        uint8_t own = RUBRIC_MET;
        if (n->thresholds[tier].kind != TH_NONE && !satisfies(actual, required, n->cmp))
            own = shortfall(ev, s, i);
        uint8_t parts = parts_status(ev, s, i, tier, false, false, &any_part, out);
        status = severity(parts) > severity(own) ? parts : own;
    }
    if (out)
        out->status = status;
    return status;
}

/* ------------------------------------------------------------ sustained */

/* Every checked requirement met (or not applicable) at the tier. */
static bool checkpoint_met(evaluator *ev, const snapshot *s, const bc_node *n)
{
    for (uint32_t c = 0; c < n->nchecked; c++) {
        uint32_t k = n->checked[c];
        if (ev->p->nodes[k].kind == NODE_SUSTAINED)
            continue;
        if (!exists_at(ev, k, n->sustained_tier))
            continue;
        uint8_t st = node_status(ev, s, k, n->sustained_tier, false, NULL);
        if (st != RUBRIC_MET && st != RUBRIC_NOT_APPLICABLE)
            return false;
        if (ev->failed)
            return false;
    }
    return true;
}

/* Consecutive monthly checkpoints A, A - 1 month, ... (at most max) at
 * which the checked requirements are met in the rolling view. */
static int64_t sustained_count(evaluator *ev, uint32_t i, int64_t max)
{
    if (ev->sustained[i] >= 0)
        return ev->sustained[i];
    const bc_node *n = &ev->p->nodes[i];
    const bc_program *p = ev->p;
    int64_t count = 0;
    uint8_t *want = NULL;
    snapshot at = {0};
    if (max > 0 && checkpoint_met(ev, &ev->rolling, n)) {
        count = 1;
        want = alloc_array(ev, p->nnodes, 1);
        for (uint32_t c = 0; want && c < n->nchecked; c++)
            for (uint32_t k = 0; k < p->nnodes; k++)
                if (ev->top[k] == n->checked[c] && p->nodes[k].kind != NODE_SUSTAINED)
                    want[k] = 1;
    }
    for (int64_t k = 1; want && k < max && !ev->failed; k++) {
        int32_t day;
        if (!cal_add_months(ev->as_of, -k, &day))
            break;
        if (!alloc_snapshot(ev, &at, day, false))
            break;
        value window;
        set_context(ev, day, NULL);
        if (!run(ev, p->rolling_window, &window))
            break;
        fill_snapshot(ev, &at, &window, want, NULL);
        if (ev->failed || !checkpoint_met(ev, &at, n))
            break;
        count++;
    }
    ev->sustained[i] = count;
    return count;
}

/* ------------------------------------------------------------ programs */

static req_list tier_list(evaluator *ev, const snapshot *s, uint32_t tier, bool *satisfied)
{
    const bc_program *p = ev->p;
    req_list l = {0};
    for (uint32_t i = 0; i < p->nnodes; i++)
        if (p->nodes[i].parent == BC_NONE && exists_at(ev, i, tier))
            l.count++;
    l.items = alloc_array(ev, l.count, sizeof *l.items);
    if (!l.items) {
        l.count = 0;
        return l;
    }
    uint32_t j = 0;
    bool ok = true;
    for (uint32_t i = 0; i < p->nnodes && !ev->failed; i++) {
        if (p->nodes[i].parent != BC_NONE || !exists_at(ev, i, tier))
            continue;
        uint8_t st = node_status(ev, s, i, tier, false, &l.items[j++]);
        if (st == RUBRIC_NOT_MET || st == RUBRIC_AT_RISK)
            ok = false;
    }
    if (satisfied)
        *satisfied = ok;
    return l;
}

static uint8_t list_status(const req_list *l)
{
    uint8_t worst = RUBRIC_MET;
    for (uint32_t i = 0; i < l->count; i++) {
        uint8_t st = l->items[i].status;
        if (st == RUBRIC_NOT_MET)
            return RUBRIC_NOT_MET;
        if (st == RUBRIC_AT_RISK)
            worst = RUBRIC_AT_RISK;
    }
    return worst;
}

/* Current tier -> renewal tier (highest program tier not above it) and
 * upgrade tier (lowest above it). */
static void place_tier(const bc_program *p, program_result *r)
{
    uint32_t cv = r->current_tier;
    r->has_renewal = false;
    r->has_upgrade = false;
    for (uint32_t t = 0; t < p->ntiers; t++) {
        if (p->tiers[t] <= cv) {
            r->has_renewal = true;
            r->renewal_tier = t;
        } else if (!r->has_upgrade) {
            r->has_upgrade = true;
            r->upgrade_tier = t;
        }
    }
    /* A tier the program lacks above its top: no upgrade (spec/programs.md). */
    if (p->ntiers && cv > p->tiers[p->ntiers - 1])
        r->has_upgrade = false;
}

static void eval_views(evaluator *ev, program_result *r, const value *rolling,
                       const value *renewal)
{
    const bc_program *p = ev->p;
    if (!alloc_snapshot(ev, &ev->rolling, ev->as_of, false))
        return;
    fill_snapshot(ev, &ev->rolling, rolling, NULL, NULL);
    r->ntiers = p->ntiers;
    r->tiers = alloc_array(ev, p->ntiers, sizeof *r->tiers);
    r->eligible = -1;
    bool chain = true;
    for (uint32_t t = 0; r->tiers && t < p->ntiers && !ev->failed; t++) {
        r->tiers[t].tier = t;
        r->tiers[t].reqs = tier_list(ev, &ev->rolling, t, &r->tiers[t].satisfied);
        chain = chain && r->tiers[t].satisfied;
        if (chain)
            r->eligible = (int32_t)t;
    }
    if (r->has_upgrade && r->tiers) {
        r->upgrade = r->tiers[r->upgrade_tier].reqs;
        r->upgrade_eligible = r->eligible >= (int32_t)r->upgrade_tier;
    }
    if (r->has_renewal && !ev->failed) {
        snapshot s;
        if (!alloc_snapshot(ev, &s, ev->as_of, true))
            return;
        fill_snapshot(ev, &s, renewal, NULL, &ev->rolling);
        r->renewal = tier_list(ev, &s, r->renewal_tier, NULL);
        r->renewal_status = list_status(&r->renewal);
    }
}

/* Evaluate one tiered program; *applies false when it does not apply. */
static void eval_tiered(evaluator *ev, program_result *r, bool *applies)
{
    const bc_program *p = ev->p;
    set_context(ev, ev->as_of, NULL);
    *applies = p->applies == BC_NONE || run_bool(ev, p->applies);
    if (!*applies || ev->failed)
        return;
    value tier, rolling, renewal, due;
    if (!run(ev, p->current_tier, &tier) || !run(ev, p->rolling_window, &rolling) ||
        !run(ev, p->renewal_window, &renewal) || !run(ev, p->review_date, &due))
        return;
    ev->review = due.as.d;
    r->current_tier = tier.as.e;
    r->review_date = due.as.d;
    place_tier(p, r);
    compute_structure(ev);
    if (!ev->failed)
        eval_views(ev, r, &rolling, &renewal);
}

/* ------------------------------------------------------------ per item */


/* The message of an item error: its text with each "{}" filled in. */
static const char *item_error_message(evaluator *ev, const bc_item_error *e, uint32_t index)
{
    const bc_module *m = ev->m;
    /* The evaluation's allocator: the module's is shared by every thread
     * that evaluates with it. */
    strbuf sb;
    sb_init(&sb, ev->mem->alloc);
    sb_printf(&sb, "%s: %s[%u]: ", module_str(m, ev->p->id), module_str(m, ev->p->items_name),
              index);
    const char *text = module_str(m, e->text);
    uint32_t arg = 0;
    for (const char *c = text; *c; c++) {
        if (c[0] == '{' && c[1] == '}' && arg < e->nargs) {
            value v;
            if (!run(ev, e->args[arg], &v))
                break;
            write_plain_value(m, v, write_enum_of_type(m, m->chunks[e->args[arg]].ret_type), &sb);
            arg++;
            c++;
        } else {
            sb_putc(&sb, *c);
        }
    }
    char *msg = sb.data && !sb.failed ? arena_strndup(ev->mem, sb.data, sb.len) : NULL;
    sb_free(&sb);
    if (!msg)
        fail_message(ev, ev->mem->over_limit, "out of memory");
    return msg;
}

/* The first item error of the items, or NULL when there is none. */
static const char *find_item_error(evaluator *ev, const list *items)
{
    const bc_program *p = ev->p;
    for (uint32_t i = 0; i < items->count && !ev->failed; i++) {
        ev->item = &items->items[i];
        for (uint32_t k = 0; k < p->nerrors && !ev->failed; k++) {
            if (run_bool(ev, p->errors[k].when)) {
                const char *msg = item_error_message(ev, &p->errors[k], i);
                ev->item = NULL;
                return msg;
            }
        }
    }
    ev->item = NULL;
    return NULL;
}

/* One item: every requirement measured with the item as the chunks'
 * parameter, compared with its one threshold (which may be computed from
 * the item).  Ready when each is met or not_applicable. */
static void eval_item(evaluator *ev, const value *item, item_result *out)
{
    const bc_program *p = ev->p;
    ev->item = item;
    snapshot s;
    if (!alloc_snapshot(ev, &s, ev->as_of, false))
        return;
    for (uint32_t i = 0; i < p->nnodes && !ev->failed; i++)
        measure_node(ev, &s, i);
    run(ev, p->item_label, &out->label);
    out->reqs = tier_list(ev, &s, 0, NULL);
    out->ready = !ev->failed;
    for (uint32_t i = 0; i < out->reqs.count; i++) {
        uint8_t st = out->reqs.items[i].status;
        if (st != RUBRIC_MET && st != RUBRIC_NOT_APPLICABLE)
            out->ready = false;
    }
    ev->item = NULL;
}

/* Evaluate a per-item program; *withheld is the message of an item error. */
static void eval_per_item(evaluator *ev, program_result *r, const char **withheld)
{
    value items;
    if (!run(ev, ev->p->items, &items))
        return;
    const list *l = items.kind == VK_LIST ? items.as.list : NULL;
    list none = {0};
    if (!l)
        l = &none;
    *withheld = find_item_error(ev, l);
    if (*withheld || ev->failed)
        return;
    compute_structure(ev);
    r->nitems = l->count;
    r->items = alloc_array(ev, l->count, sizeof *r->items);
    for (uint32_t i = 0; r->items && i < l->count && !ev->failed; i++)
        eval_item(ev, &l->items[i], &r->items[i]);
}

/* ------------------------------------------------------------ report lists */

static void eval_list(evaluator *ev, const bc_report_list *list, report_list_result *out)
{
    value items;
    if (!run(ev, list->items, &items))
        return;
    uint32_t n = items.kind == VK_LIST ? items.as.list->count : 0;
    out->rows = alloc_array(ev, n, sizeof *out->rows);
    if (!out->rows)
        return;
    out->nrows = n;
    for (uint32_t i = 0; i < n && !ev->failed; i++) {
        report_row *row = &out->rows[i];
        row->values = alloc_array(ev, list->ncolumns, sizeof *row->values);
        ev->item = &items.as.list->items[i];
        for (uint32_t c = 0; row->values && c < list->ncolumns && !ev->failed; c++)
            run(ev, list->columns[c].chunk, &row->values[c]);
        ev->item = NULL;
    }
}

/* Every report list of the program, in order, for the partner. */
static void eval_lists(evaluator *ev, program_result *r)
{
    const bc_program *p = ev->p;
    if (!p->nlists || ev->failed)
        return;
    set_context(ev, ev->as_of, NULL);
    r->lists = alloc_array(ev, p->nlists, sizeof *r->lists);
    if (!r->lists)
        return;
    r->nlists = p->nlists;
    for (uint32_t i = 0; i < p->nlists && !ev->failed; i++) {
        r->lists[i].list = i;
        eval_list(ev, &p->lists[i], &r->lists[i]);
    }
}

/* A program whose result is withheld: its message is kept in the report. */
static void withhold(evaluator *ev, partner_report *out, const char *message)
{
    const char **all = arena_calloc(ev->mem, out->nwithheld + 1, sizeof *all);
    uint32_t *programs = arena_calloc(ev->mem, out->nwithheld + 1, sizeof *programs);
    if (!all || !programs) {
        fail_message(ev, ev->mem->over_limit, "out of memory");
        return;
    }
    for (uint32_t i = 0; i < out->nwithheld; i++) {
        all[i] = out->withheld[i];
        programs[i] = out->withheld_programs[i];
    }
    all[out->nwithheld] = message;
    programs[out->nwithheld++] = ev->program;
    out->withheld = all;
    out->withheld_programs = programs;
}

/* Evaluate one program of either kind; false when it does not apply or
 * its result is withheld. */
static bool eval_program(evaluator *ev, program_result *r, partner_report *out)
{
    const bc_program *p = ev->p;
    bool applies = false;
    if (p->kind == PROGRAM_TIERED) {
        ev->columns = p->ntiers;
        eval_tiered(ev, r, &applies);
    } else {
        ev->columns = 1;
        set_context(ev, ev->as_of, NULL);
        applies = p->applies == BC_NONE || run_bool(ev, p->applies);
        const char *withheld = NULL;
        if (applies && !ev->failed)
            eval_per_item(ev, r, &withheld);
        if (withheld) {
            withhold(ev, out, withheld);
            return false;
        }
    }
    if (applies)
        eval_lists(ev, r);
    return applies && !ev->failed;
}

bool eval_partner(vm *v, const bc_module *m, arena *mem, const eval_request *req,
                  partner_report *out, rubric_error *err)
{
    memset(out, 0, sizeof *out);
    out->module = m;
    const record *root = req->root.as.rec;
    if (m->has_schema) {
        out->id = root->fields[m->schema.key_field];
        out->name = m->schema.label_field != BC_NONE ? root->fields[m->schema.label_field]
                                                     : value_null();
        uint32_t path = module_root_field(m, "path");
        out->path = path != BC_NONE ? root->fields[path] : value_null();
    }
    out->results = arena_calloc(mem, m->nprograms ? m->nprograms : 1, sizeof *out->results);
    if (!out->results) {
        error_set(err, mem->over_limit ? RUBRIC_ERR_LIMIT : RUBRIC_ERR_EVAL, "%s",
                  mem->over_limit ? "memory limit reached" : "out of memory");
        return false;
    }
    for (uint32_t i = 0; i < m->nprograms; i++) {
        if (req->selected && !req->selected[i])
            continue;
        evaluator ev = {0};
        ev.vm = v;
        ev.m = m;
        ev.p = &m->programs[i];
        ev.program = i;
        ev.mem = mem;
        ev.root = req->root;
        ev.as_of = req->as_of;
        ev.err = err;
        program_result *r = &out->results[out->nresults];
        memset(r, 0, sizeof *r);
        r->program = i;
        r->as_of = req->as_of;
        bool shown = eval_program(&ev, r, out);
        if (ev.failed)
            return false;
        if (shown)
            out->nresults++;
    }
    return true;
}
