/* diff_report.c — what changed for one partner between the old and the new
 * rules, program by program, as text lines or JSON objects.  In text, the
 * strings from the data (partner ids, item labels) are escaped. */
#include <stdio.h>
#include <string.h>

#include "diff.h"
#include "session.h"
#include "write.h"

/* One program's result under one rule set (r NULL: no result there). */
typedef struct side {
    const bc_module *m;
    const bc_program *p;
    const program_result *r;
} side;

enum { ABSENT = -1 }; /* a status on a side that lacks the requirement */

/* One requirement (or item) whose status differs. */
typedef struct change {
    const char *view;      /* "rolling", "renewal" or "item" */
    const char *scope;     /* the tier, or the item's label */
    uint32_t scope_len;
    char id[160];          /* "launched_opportunities", "parent.part"; "" for an item */
    int old_status, new_status; /* rubric_req_status, ABSENT; items: 1 ready, 0 not */
    char measure[96];      /* "18 of 20" under the new rules (the old when removed) */
} change;

typedef struct program_diff {
    const char *program;
    const char *kind;      /* "changed", "added" or "removed" */
    bool tiered;
    const char *old_tier, *new_tier; /* eligible tier; NULL: none */
    int old_renewal, new_renewal;    /* renewal status or ABSENT */
    VEC(change) changes;
    bool failed;           /* out of memory */
} program_diff;

/* ------------------------------------------------------------ finding */

/* Program `program`'s result among the first `count` results of r. */
static const program_result *result_named(const partner_report *r, uint32_t count,
                                          const char *program)
{
    for (uint32_t i = 0; i < count; i++)
        if (strcmp(module_str(r->module, r->module->programs[r->results[i].program].id),
                   program) == 0)
            return &r->results[i];
    return NULL;
}

static side find_result(const partner_report *reports, uint32_t from, uint32_t to,
                        const char *program)
{
    for (uint32_t u = from; u < to; u++) {
        const program_result *r = result_named(&reports[u], reports[u].nresults, program);
        if (r)
            return (side){reports[u].module, &reports[u].module->programs[r->program], r};
    }
    return (side){NULL, NULL, NULL};
}

static const char *tier_name(const side *s, uint32_t tier)
{
    return session_tier_name(s->m, s->p, tier);
}

static const char *eligible_name(const side *s)
{
    return s->r && s->r->eligible >= 0 ? tier_name(s, (uint32_t)s->r->eligible) : NULL;
}

/* The rolling-view tier of s named `name`, or NULL. */
static const tier_result *find_tier(const side *s, const char *name)
{
    for (uint32_t t = 0; s->r && t < s->r->ntiers; t++)
        if (strcmp(tier_name(s, s->r->tiers[t].tier), name) == 0)
            return &s->r->tiers[t];
    return NULL;
}

/* Where a tier name ranks in a program (-1: not one of its tiers). */
static int tier_rank(const side *s, const char *name)
{
    for (uint32_t t = 0; name && s->p && t < s->p->ntiers; t++)
        if (strcmp(tier_name(s, t), name) == 0)
            return (int)t;
    return -1;
}

static bool same_name(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* ------------------------------------------------------------ comparing */

static void add_change(program_diff *d, const change *c)
{
    rubric_allocator alloc = mem_default_allocator();
    if (!vec_push(&alloc, &d->changes, *c))
        d->failed = true;
}

static void set_measure(change *c, const side *s, const req_result *q)
{
    rubric_allocator alloc = mem_default_allocator();
    strbuf sb;
    sb_init(&sb, &alloc);
    write_measure(s->m, s->p, q, &sb);
    snprintf(c->measure, sizeof c->measure, "%s", sb.failed || !sb.data ? "" : sb.data);
    sb_free(&sb);
}

/* A view's lists on the two sides, compared requirement by requirement. */
typedef struct list_pair {
    const char *view, *scope;
    uint32_t scope_len;
    const side *from, *to;     /* walk `from`'s list, look each up in `to`'s */
    const req_list *to_list;   /* NULL: that side lacks the list */
    bool from_is_new;
} list_pair;

/* Walk one side's requirements (parts after their parent).  From the new
 * side every status difference is recorded; from the old side only the
 * requirements the new side lacks, the rest having been seen already. */
static void walk_reqs(program_diff *d, const list_pair *lp, const req_list *list,
                      const char *prefix)
{
    for (uint32_t i = 0; i < list->count; i++) {
        const req_result *q = &list->items[i];
        change c = {lp->view, lp->scope, lp->scope_len, "", ABSENT, ABSENT, ""};
        snprintf(c.id, sizeof c.id, "%s%s%s", prefix, prefix[0] ? "." : "",
                 module_str(lp->from->m, lp->from->p->nodes[q->node].id));
        const req_result *other = lp->to_list ? session_find_req(lp->to->m, lp->to->p,
                                                                 lp->to_list, c.id)
                                              : NULL;
        int here = q->status, there = other ? other->status : ABSENT;
        if (here != there && (lp->from_is_new || !other)) {
            c.old_status = lp->from_is_new ? there : here;
            c.new_status = lp->from_is_new ? here : there;
            set_measure(&c, lp->from, q);
            add_change(d, &c);
        }
        if (!strchr(c.id, '.'))
            walk_reqs(d, lp, &q->parts, c.id);
    }
}

/* Both directions of one view (either list may be NULL). */
static void compare_lists(program_diff *d, const char *view, const char *scope,
                          uint32_t scope_len, const side *old_side, const req_list *old_list,
                          const side *new_side, const req_list *new_list)
{
    if (new_list) {
        list_pair lp = {view, scope, scope_len, new_side, old_side, old_list, true};
        walk_reqs(d, &lp, new_list, "");
    }
    if (old_list) {
        list_pair lp = {view, scope, scope_len, old_side, new_side, new_list, false};
        walk_reqs(d, &lp, old_list, "");
    }
}

static void compare_tiers(program_diff *d, const side *o, const side *n)
{
    for (uint32_t t = 0; t < n->r->ntiers; t++) {
        const char *name = tier_name(n, n->r->tiers[t].tier);
        const tier_result *old_tier = find_tier(o, name);
        compare_lists(d, "rolling", name, (uint32_t)strlen(name), o,
                      old_tier ? &old_tier->reqs : NULL, n, &n->r->tiers[t].reqs);
    }
    for (uint32_t t = 0; t < o->r->ntiers; t++) {
        const char *name = tier_name(o, o->r->tiers[t].tier);
        if (!find_tier(n, name))
            compare_lists(d, "rolling", name, (uint32_t)strlen(name), o, &o->r->tiers[t].reqs,
                          n, NULL);
    }
}

static void compare_renewal(program_diff *d, const side *o, const side *n)
{
    const side *named = n->r->has_renewal ? n : o;
    if (!named->r->has_renewal)
        return;
    const char *scope = tier_name(named, named->r->renewal_tier);
    compare_lists(d, "renewal", scope, (uint32_t)strlen(scope), o,
                  o->r->has_renewal ? &o->r->renewal : NULL, n,
                  n->r->has_renewal ? &n->r->renewal : NULL);
}

static const item_result *find_item(const side *s, const value *label)
{
    for (uint32_t i = 0; i < s->r->nitems; i++) {
        const value *l = &s->r->items[i].label;
        if (l->kind == VK_STRING && label->kind == VK_STRING && l->len == label->len &&
            memcmp(l->as.s, label->as.s, l->len) == 0)
            return &s->r->items[i];
    }
    return NULL;
}

static void compare_item(program_diff *d, const side *o, const item_result *old_item,
                         const side *n, const item_result *new_item)
{
    const item_result *any = new_item ? new_item : old_item;
    const char *label = any->label.kind == VK_STRING ? any->label.as.s : "?";
    uint32_t label_len = any->label.kind == VK_STRING ? any->label.len : 1;
    int was = old_item ? old_item->ready : ABSENT, is = new_item ? new_item->ready : ABSENT;
    if (was != is) {
        change c = {"item", label, label_len, "", was, is, ""};
        add_change(d, &c);
    }
    compare_lists(d, "item", label, label_len, o, old_item ? &old_item->reqs : NULL, n,
                  new_item ? &new_item->reqs : NULL);
}

static void compare_items(program_diff *d, const side *o, const side *n)
{
    for (uint32_t i = 0; i < n->r->nitems; i++)
        compare_item(d, o, find_item(o, &n->r->items[i].label), n, &n->r->items[i]);
    for (uint32_t i = 0; i < o->r->nitems; i++)
        if (!find_item(n, &o->r->items[i].label))
            compare_item(d, o, &o->r->items[i], n, NULL);
}

static void compare_program(program_diff *d, const side *o, const side *n)
{
    const side *any = n->r ? n : o;
    d->tiered = any->p->kind == PROGRAM_TIERED;
    d->kind = !o->r ? "added" : !n->r ? "removed" : "changed";
    d->old_renewal = o->r && o->r->has_renewal ? o->r->renewal_status : ABSENT;
    d->new_renewal = n->r && n->r->has_renewal ? n->r->renewal_status : ABSENT;
    if (d->tiered) {
        d->old_tier = eligible_name(o);
        d->new_tier = eligible_name(n);
    }
    if (!o->r || !n->r)
        return;
    if (d->tiered && o->p->kind == PROGRAM_TIERED) {
        compare_tiers(d, o, n);
        compare_renewal(d, o, n);
    } else if (!d->tiered && o->p->kind == PROGRAM_PER_ITEM) {
        compare_items(d, o, n);
    }
}

static bool program_changed(const program_diff *d)
{
    return strcmp(d->kind, "changed") != 0 || !same_name(d->old_tier, d->new_tier) ||
           d->old_renewal != d->new_renewal || d->changes.len > 0;
}

/* ------------------------------------------------------------ writing */

static const char *status_word(const change *c, int status)
{
    if (status == ABSENT)
        return "absent";
    if (strcmp(c->view, "item") == 0 && !c->id[0])
        return status ? "ready" : "not_ready";
    return rubric_req_status_name((rubric_req_status)status);
}

static const char *renewal_name(int status)
{
    return status == ABSENT ? NULL : rubric_req_status_name((rubric_req_status)status);
}

/* "; " between the pieces of a line, which start at `start`. */
static void text_separator(strbuf *out, size_t start)
{
    if (out->len > start)
        sb_puts(out, "; ");
}

static void text_change(strbuf *out, size_t start, const change *c)
{
    text_separator(out, start);
    if (strcmp(c->view, "renewal") == 0)
        sb_puts(out, "renewal ");
    write_escaped_text(out, c->scope, c->scope_len);
    if (c->id[0])
        sb_printf(out, " %s", c->id);
    sb_printf(out, " %s -> %s", status_word(c, c->old_status), status_word(c, c->new_status));
    if (c->measure[0])
        sb_printf(out, " (%s)", c->measure);
}

static void write_text(const program_diff *d, const partner_report *who, strbuf *out)
{
    write_escaped_text(out, who->id.as.s, who->id.len);
    sb_printf(out, " %s: ", d->program);
    size_t start = out->len;
    const char *none = "none";
    if (strcmp(d->kind, "changed") != 0) {
        sb_puts(out, d->kind);
        if (d->tiered)
            sb_printf(out, " (%seligible %s)", strcmp(d->kind, "removed") == 0 ? "was " : "",
                      d->old_tier ? d->old_tier : d->new_tier ? d->new_tier : none);
    } else if (!same_name(d->old_tier, d->new_tier)) {
        sb_printf(out, "eligible %s -> %s", d->old_tier ? d->old_tier : none,
                  d->new_tier ? d->new_tier : none);
    }
    /* An added or removed program's renewal is no change of its own. */
    if (strcmp(d->kind, "changed") == 0 && d->old_renewal != d->new_renewal) {
        text_separator(out, start);
        const char *was = renewal_name(d->old_renewal), *is = renewal_name(d->new_renewal);
        sb_printf(out, "renewal %s -> %s", was ? was : none, is ? is : none);
    }
    for (uint32_t i = 0; i < d->changes.len; i++)
        text_change(out, start, &d->changes.items[i]);
    sb_putc(out, '\n');
}

static void json_name_or_null(strbuf *out, const char *s)
{
    if (s)
        write_json_string(out, s, strlen(s));
    else
        sb_puts(out, "null");
}

static void json_status_or_null(strbuf *out, const change *c, int status)
{
    json_name_or_null(out, status == ABSENT ? NULL : status_word(c, status));
}

static void json_change(strbuf *out, const change *c)
{
    sb_puts(out, "{\"view\":");
    json_name_or_null(out, c->view);
    sb_puts(out, ",\"scope\":");
    write_json_string(out, c->scope, c->scope_len);
    sb_puts(out, ",\"id\":");
    json_name_or_null(out, c->id[0] ? c->id : NULL);
    sb_puts(out, ",\"old\":");
    json_status_or_null(out, c, c->old_status);
    sb_puts(out, ",\"new\":");
    json_status_or_null(out, c, c->new_status);
    sb_puts(out, ",\"measure\":");
    json_name_or_null(out, c->measure[0] ? c->measure : NULL);
    sb_putc(out, '}');
}

static void json_pair(strbuf *out, const char *key, bool present, const char *old_value,
                      const char *new_value)
{
    sb_printf(out, ",\"%s\":", key);
    if (!present) {
        sb_puts(out, "null");
        return;
    }
    sb_puts(out, "{\"old\":");
    json_name_or_null(out, old_value);
    sb_puts(out, ",\"new\":");
    json_name_or_null(out, new_value);
    sb_putc(out, '}');
}

static void write_json(const program_diff *d, const partner_report *who, bool array,
                       strbuf *out)
{
    if (array)
        sb_puts(out, ",\n");
    sb_puts(out, "{\"partner\":{\"id\":");
    write_json_string(out, who->id.as.s, who->id.len);
    sb_puts(out, ",\"name\":");
    write_json_value(who->module, who->name, BC_NONE, out);
    sb_puts(out, "},\"program\":");
    write_json_string(out, d->program, strlen(d->program));
    sb_printf(out, ",\"change\":\"%s\"", d->kind);
    json_pair(out, "eligible_tier", d->tiered, d->old_tier, d->new_tier);
    json_pair(out, "renewal_status", d->tiered, renewal_name(d->old_renewal),
              renewal_name(d->new_renewal));
    sb_puts(out, ",\"changes\":[");
    for (uint32_t i = 0; i < d->changes.len; i++) {
        if (i)
            sb_putc(out, ',');
        json_change(out, &d->changes.items[i]);
    }
    sb_puts(out, "]}");
    if (!array)
        sb_putc(out, '\n');
}

/* ------------------------------------------------------------ per partner */

static void tally_program(diff_tally *t, const program_diff *d, const side *o, const side *n)
{
    if (strcmp(d->kind, "added") == 0)
        atomic_fetch_add(&t->programs_added, 1);
    else if (strcmp(d->kind, "removed") == 0)
        atomic_fetch_add(&t->programs_removed, 1);
    else if (d->tiered && !same_name(d->old_tier, d->new_tier)) {
        atomic_fetch_add(&t->tiers_changed, 1);
        /* Ranked in the new program's order of tiers (none below all). */
        int was = tier_rank(n, d->old_tier), is = tier_rank(n, d->new_tier);
        if (d->old_tier && was < 0)
            was = tier_rank(o, d->old_tier);
        atomic_fetch_add(is > was ? &t->tiers_up : &t->tiers_down, 1);
    }
}

/* Compare program `id` and write it when it changed; true when it did. */
static bool diff_program(const diff_config *cfg, const partner_report *reports,
                         uint32_t nreports, const char *id, strbuf *out)
{
    side o = find_result(reports, 0, cfg->nold, id);
    side n = find_result(reports, cfg->nold, nreports, id);
    program_diff d = {0};
    d.program = id;
    compare_program(&d, &o, &n);
    bool changed = program_changed(&d);
    if (changed) {
        tally_program(cfg->tally, &d, &o, &n);
        if (cfg->format == DIFF_TEXT)
            write_text(&d, &reports[0], out);
        else
            write_json(&d, &reports[0], cfg->format == DIFF_JSON, out);
    }
    if (d.failed)
        out->failed = true;
    rubric_allocator alloc = mem_default_allocator();
    vec_free(&alloc, &d.changes);
    return changed;
}

/* Whether program `id` was already compared: it has a result in a report
 * before position (u, i). */
static bool seen_before(const partner_report *reports, uint32_t u, uint32_t i, const char *id)
{
    return find_result(reports, 0, u, id).r != NULL || result_named(&reports[u], i, id) != NULL;
}

void diff_partner(const diff_config *cfg, const partner_report *reports, uint32_t nreports,
                  strbuf *out)
{
    if (nreports == 0 || reports[0].id.kind != VK_STRING)
        return;
    bool changed = false;
    /* Programs in the order the old rules have them, then the new ones. */
    for (uint32_t u = 0; u < nreports; u++) {
        const bc_module *m = reports[u].module;
        for (uint32_t i = 0; i < reports[u].nresults; i++) {
            const char *id = module_str(m, m->programs[reports[u].results[i].program].id);
            if (!seen_before(reports, u, i, id) &&
                diff_program(cfg, reports, nreports, id, out))
                changed = true;
        }
    }
    if (changed)
        atomic_fetch_add(&cfg->tally->partners_changed, 1);
}
