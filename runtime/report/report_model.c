/*
 * report_model.c — building the result model (report_model.h) from a
 * partner_report: the public structs of rubric.h, "Results as data".
 *
 * One pass over the report.  Requirements are copied with their names,
 * category, unit, comparison and values; a view's categories are runs of
 * its requirements (no copies); the upgrade view shares the requirements
 * of the rolling view of its tier.  Gap sentences come from write_words.c,
 * for the requirements the scorecards walk: every gap whose ancestors are
 * all gaps and none a choice.
 */
#include "report_model.h"

#include <string.h>

#include "calendar.h"
#include "write.h"

typedef struct builder {
    const bc_module *m;
    const bc_program *p;
    arena *mem;
    unsigned parts;       /* model_parts */
    strbuf sentence;      /* the gap sentence being composed */
    bool failed;
} builder;

static void *alloc_array(builder *b, size_t count, size_t size)
{
    void *p = arena_calloc(b->mem, count ? count : 1, size);
    if (!p)
        b->failed = true;
    return p;
}

static const char *str_or(const bc_module *m, uint32_t s, const char *fallback)
{
    return s < m->nstrings ? module_str(m, s) : fallback;
}

/* ------------------------------------------------------------ values */

static rubric_date model_date(int32_t days)
{
    int32_t year, month, day;
    cal_to_ymd(days, &year, &month, &day);
    rubric_date d = {days, (int16_t)year, (uint8_t)month, (uint8_t)day};
    return d;
}

bool rubric_date_parse(const char *text, size_t length, rubric_date *date, const char **why)
{
    int32_t days;
    if (!text || !date) {
        if (why)
            *why = "no date given";
        return false;
    }
    if (!cal_parse_date(text, length, &days, why))
        return false;
    *date = model_date(days);
    return true;
}

void rubric_date_format(int32_t days, char out[11])
{
    cal_format_date(days, out);
}

rubric_value model_value(const bc_module *m, value v, uint32_t enum_index)
{
    rubric_value out;
    memset(&out, 0, sizeof out);
    switch (v.kind) {
    case VK_BOOL:
        out.kind = RUBRIC_VALUE_BOOL;
        out.as.boolean = v.as.b;
        break;
    case VK_INT:
        out.kind = RUBRIC_VALUE_COUNT;
        out.as.count = v.as.i;
        break;
    case VK_MONEY:
        out.kind = RUBRIC_VALUE_MONEY;
        out.as.cents = v.as.i;
        break;
    case VK_DATE:
        out.kind = RUBRIC_VALUE_DATE;
        out.as.date = model_date(v.as.d);
        break;
    case VK_MONTH:
        /* as.d is year * 12 + month - 1, from 0001-01 */
        out.kind = RUBRIC_VALUE_MONTH;
        out.as.month.year = (int16_t)(v.as.d / 12);
        out.as.month.month = (uint8_t)(v.as.d % 12 + 1);
        break;
    case VK_ENUM:
        out.kind = RUBRIC_VALUE_ENUM;
        out.as.enumerated.name = m ? write_enum_name(m, enum_index, v.as.e) : NULL;
        out.as.enumerated.index = v.as.e;
        break;
    case VK_STRING:
        out.kind = RUBRIC_VALUE_STRING;
        out.as.string.chars = v.len ? v.as.s : "";
        out.as.string.length = v.len;
        break;
    default:
        out.kind = RUBRIC_VALUE_NULL;
        break;
    }
    return out;
}

/* ------------------------------------------------------------ requirements */

static rubric_unit unit_of(uint8_t unit)
{
    switch (unit) {
    case UNIT_USD:
        return RUBRIC_UNIT_USD;
    case UNIT_MONTHS:
        return RUBRIC_UNIT_MONTHS;
    case UNIT_BOOL:
        return RUBRIC_UNIT_BOOL;
    case UNIT_CHOICE:
        return RUBRIC_UNIT_CHOICE;
    default:
        return RUBRIC_UNIT_COUNT;
    }
}

static rubric_comparison comparison_of(uint8_t cmp)
{
    switch (cmp) {
    case CMP_AT_MOST:
        return RUBRIC_COMPARE_AT_MOST;
    case CMP_REQUIRED:
        return RUBRIC_COMPARE_TRUE;
    default:
        return RUBRIC_COMPARE_AT_LEAST;
    }
}

void model_measure(const bc_program *p, const req_result *q, rubric_requirement *out)
{
    const bc_node *n = &p->nodes[q->node];
    /* Every field is set: the arrays are not zeroed first (the model is
     * built for every partner of a batch). */
    out->id = out->name = out->category = "";
    out->parent = NULL;
    out->gap = NULL;
    out->gap_length = 0;
    out->parts = NULL;
    out->index = q->node;
    out->status = (rubric_req_status)q->status;
    out->time_bound = q->time_bound;
    out->unit = unit_of(n->unit);
    out->comparison = comparison_of(n->cmp);
    /* Measures and thresholds are int, money or bool (the verifier). */
    out->actual = model_value(NULL, q->actual, BC_NONE);
    out->required = model_value(NULL, q->required, BC_NONE);
    out->part_count = q->parts.count;
}

static void set_gap(builder *b, rubric_requirement *q)
{
    sb_clear(&b->sentence);
    if (!write_gap_sentence(q, &b->sentence) || b->sentence.failed || !b->sentence.len)
        return;
    char *gap = arena_strndup(b->mem, b->sentence.data, b->sentence.len);
    if (!gap) {
        b->failed = true;
        return;
    }
    q->gap = gap;
    q->gap_length = b->sentence.len;
}

static const rubric_requirement *build_list(builder *b, const req_list *list,
                                            const rubric_requirement *parent, bool walked);

/* walked: the scorecards' walk of gaps reaches it (every ancestor a gap,
 * none a choice), so a gap of it gets its sentence. */
static void build_requirement(builder *b, const req_result *q, const rubric_requirement *parent,
                              bool walked, rubric_requirement *out)
{
    const bc_node *n = &b->p->nodes[q->node];
    model_measure(b->p, q, out);
    out->id = module_str(b->m, n->id);
    out->name = module_str(b->m, n->name);
    if (n->category != BC_NONE)
        out->category = module_str(b->m, n->category);
    else
        out->category = parent ? parent->category : "";
    out->parent = parent;
    bool gap = walked && write_is_gap(out->status);
    out->parts = build_list(b, &q->parts, out, gap && out->unit != RUBRIC_UNIT_CHOICE);
    if (!out->parts)
        out->part_count = 0;
    if (gap && !b->failed && !(b->parts & MODEL_NO_GAPS))
        set_gap(b, out);
}

static const rubric_requirement *build_list(builder *b, const req_list *list,
                                            const rubric_requirement *parent, bool walked)
{
    if (list->count == 0)
        return NULL;
    rubric_requirement *items = arena_alloc(b->mem, (size_t)list->count * sizeof *items);
    if (!items) {
        b->failed = true;
        return NULL;
    }
    for (uint32_t i = 0; i < list->count && !b->failed; i++)
        build_requirement(b, &list->items[i], parent, walked, &items[i]);
    /* Not all filled: none is given out. */
    return b->failed ? NULL : items;
}

/* Whether requirement i starts a run of another category than i - 1's
 * (names are interned in the module: mostly the same pointer). */
static bool starts_category(const rubric_requirement *reqs, size_t i)
{
    return i == 0 || (reqs[i].category != reqs[i - 1].category &&
                      strcmp(reqs[i].category, reqs[i - 1].category) != 0);
}

/* The category headings of a list: one per run of requirements under the
 * same category, as the scorecards print them. */
static const rubric_category *build_categories(builder *b, const rubric_requirement *reqs,
                                               size_t count, size_t *ncategories)
{
    size_t runs = 0;
    for (size_t i = 0; i < count; i++)
        runs += starts_category(reqs, i);
    *ncategories = 0;
    if (!runs)
        return NULL;
    rubric_category *cats = alloc_array(b, runs, sizeof *cats);
    *ncategories = cats ? runs : 0;
    if (!cats)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        if (starts_category(reqs, i)) {
            cats[k].name = reqs[i].category;
            cats[k].requirements = &reqs[i];
            k++;
        }
        cats[k - 1].requirement_count++;
    }
    return cats;
}

/* ------------------------------------------------------------ views */

static const char *tier_name(const builder *b, uint32_t tier)
{
    const char *name =
        tier < b->p->ntiers ? write_enum_name(b->m, b->p->tier_enum, b->p->tiers[tier]) : NULL;
    return name ? name : "?";
}

/* Not met when a requirement is not met, else at risk when one is, else
 * met: a grace period or not applicable keeps a tier. */
static rubric_req_status worst_status(const rubric_requirement *reqs, size_t count)
{
    rubric_req_status worst = RUBRIC_MET;
    for (size_t i = 0; i < count; i++) {
        if (reqs[i].status == RUBRIC_NOT_MET)
            return RUBRIC_NOT_MET;
        if (reqs[i].status == RUBRIC_AT_RISK)
            worst = RUBRIC_AT_RISK;
    }
    return worst;
}

static void build_view(builder *b, const program_result *r, rubric_view_kind kind,
                       uint32_t tier, const req_list *list, rubric_view *out)
{
    out->kind = kind;
    out->tier = tier_name(b, tier);
    out->tier_index = tier;
    out->eligible = r->eligible >= 0 && (uint32_t)r->eligible >= tier;
    out->requirements = build_list(b, list, NULL, true);
    out->requirement_count = out->requirements ? list->count : 0;
    out->categories = build_categories(b, out->requirements, out->requirement_count,
                                       &out->category_count);
    out->status = worst_status(out->requirements, out->requirement_count);
    out->satisfied = out->status == RUBRIC_MET;
}

static void build_tiered(builder *b, const program_result *r, rubric_result *out)
{
    const char *current = write_enum_name(b->m, b->p->tier_enum, r->current_tier);
    out->current_tier = current ? current : "?";
    out->eligible_tier = r->eligible >= 0 ? tier_name(b, (uint32_t)r->eligible) : NULL;
    rubric_view *tiers = alloc_array(b, r->ntiers, sizeof *tiers);
    if (!tiers)
        return;
    for (uint32_t t = 0; t < r->ntiers && !b->failed; t++)
        build_view(b, r, RUBRIC_VIEW_ROLLING, r->tiers[t].tier, &r->tiers[t].reqs, &tiers[t]);
    out->tiers = tiers;
    out->tier_count = r->ntiers;
    if (r->has_renewal) {
        rubric_view *renewal = alloc_array(b, 1, sizeof *renewal);
        if (!renewal)
            return;
        build_view(b, r, RUBRIC_VIEW_RENEWAL, r->renewal_tier, &r->renewal, renewal);
        renewal->status = (rubric_req_status)r->renewal_status;
        renewal->satisfied = renewal->status == RUBRIC_MET;
        renewal->review_date = model_value(b->m, value_date(r->review_date), BC_NONE);
        out->renewal = renewal;
    }
    if (r->has_upgrade && r->upgrade_tier < r->ntiers) {
        rubric_view *upgrade = alloc_array(b, 1, sizeof *upgrade);
        if (!upgrade)
            return;
        *upgrade = tiers[r->upgrade_tier];
        upgrade->kind = RUBRIC_VIEW_UPGRADE;
        upgrade->eligible = r->upgrade_eligible;
        out->upgrade = upgrade;
    }
}

/* ------------------------------------------------------------ per item, lists */

static void build_items(builder *b, const program_result *r, rubric_result *out)
{
    out->items_name = str_or(b->m, b->p->items_name, "items");
    out->item_label_name = str_or(b->m, b->p->item_label_name, "label");
    rubric_item *items = alloc_array(b, r->nitems, sizeof *items);
    if (!items)
        return;
    for (uint32_t i = 0; i < r->nitems && !b->failed; i++) {
        const item_result *it = &r->items[i];
        rubric_item *item = &items[i];
        item->label = model_value(b->m, it->label, BC_NONE);
        item->status = it->ready ? RUBRIC_ITEM_READY : RUBRIC_ITEM_NOT_READY;
        item->requirements = build_list(b, &it->reqs, NULL, true);
        item->requirement_count = item->requirements ? it->reqs.count : 0;
        item->categories = build_categories(b, item->requirements, item->requirement_count,
                                            &item->category_count);
    }
    out->items = items;
    out->item_count = r->nitems;
}

static void build_list_rows(builder *b, const report_list_result *lr, rubric_list *out)
{
    const bc_report_list *list = &b->p->lists[lr->list];
    const char **columns = alloc_array(b, list->ncolumns, sizeof *columns);
    uint32_t *enums = alloc_array(b, list->ncolumns, sizeof *enums);
    rubric_value *values = alloc_array(b, (size_t)lr->nrows * list->ncolumns, sizeof *values);
    if (!columns || !enums || !values)
        return;
    for (uint32_t c = 0; c < list->ncolumns; c++) {
        const bc_report_column *col = &list->columns[c];
        columns[c] = module_str(b->m, col->name);
        uint32_t type = col->chunk < b->m->nchunks ? b->m->chunks[col->chunk].ret_type : BC_NONE;
        enums[c] = write_enum_of_type(b->m, type);
    }
    for (uint32_t row = 0; row < lr->nrows; row++)
        for (uint32_t c = 0; c < list->ncolumns; c++)
            values[(size_t)row * list->ncolumns + c] =
                model_value(b->m, lr->rows[row].values[c], enums[c]);
    out->name = module_str(b->m, list->name);
    out->column_count = list->ncolumns;
    out->columns = columns;
    out->row_count = lr->nrows;
    out->values = values;
}

static void build_lists(builder *b, const program_result *r, rubric_result *out)
{
    if (!r->nlists)
        return;
    rubric_list *lists = alloc_array(b, r->nlists, sizeof *lists);
    if (!lists)
        return;
    for (uint32_t l = 0; l < r->nlists && !b->failed; l++)
        build_list_rows(b, &r->lists[l], &lists[l]);
    out->lists = lists;
    out->list_count = r->nlists;
}

/* ------------------------------------------------------------ reports */

static void build_result(builder *b, const report_model *model, const program_result *r,
                         rubric_result *out)
{
    b->p = &b->m->programs[r->program];
    out->partner_id = model->partner_id;
    out->partner_name = model->partner_name;
    out->partner_path = model->partner_path;
    out->program_id = module_str(b->m, b->p->id);
    out->program_title = str_or(b->m, b->p->title, NULL);
    out->program_version = str_or(b->m, b->p->version, NULL);
    out->as_of = model_date(r->as_of);
    if (b->p->kind == PROGRAM_PER_ITEM) {
        out->kind = RUBRIC_PROGRAM_PER_ITEM;
        build_items(b, r, out);
    } else {
        out->kind = RUBRIC_PROGRAM_TIERED;
        build_tiered(b, r, out);
    }
    build_lists(b, r, out);
}

static void build_errors(builder *b, const partner_report *report, report_model *out)
{
    if (!report->nwithheld)
        return;
    rubric_program_error *errors = alloc_array(b, report->nwithheld, sizeof *errors);
    if (!errors)
        return;
    for (uint32_t i = 0; i < report->nwithheld; i++) {
        uint32_t program = report->withheld_programs ? report->withheld_programs[i] : BC_NONE;
        const bc_program *p = program < b->m->nprograms ? &b->m->programs[program] : NULL;
        errors[i].program_id = p ? module_str(b->m, p->id) : "";
        errors[i].program_title = p ? str_or(b->m, p->title, NULL) : NULL;
        errors[i].message = report->withheld[i];
    }
    out->errors = errors;
    out->nerrors = report->nwithheld;
}

/* The partner's "path" (an enum of the rules, or a string) as a scalar. */
static rubric_value model_partner_path(const bc_module *m, value path)
{
    uint32_t slot = module_root_field(m, "path");
    uint32_t type = slot != BC_NONE ? m->records[m->schema.root].fields[slot].type : BC_NONE;
    return model_value(m, path, write_enum_of_type(m, type));
}

static void build_model(builder *b, const partner_report *report, report_model *out)
{
    b->m = report->module;
    out->partner_id = model_value(b->m, report->id, BC_NONE);
    out->partner_name = model_value(b->m, report->name, BC_NONE);
    out->partner_path = model_partner_path(b->m, report->path);
    rubric_result *results = alloc_array(b, report->nresults, sizeof *results);
    if (!results)
        return;
    for (uint32_t i = 0; i < report->nresults && !b->failed; i++)
        build_result(b, out, &report->results[i], &results[i]);
    out->results = results;
    out->nresults = report->nresults;
    build_errors(b, report, out);
}

const report_model *model_build(const partner_report *reports, uint32_t count, arena *mem,
                                unsigned parts)
{
    builder b = {NULL, NULL, mem, parts, {0}, false};
    sb_init(&b.sentence, mem->alloc);
    /* The partner's memory limit bounded its evaluation, not its output. */
    size_t limit = mem->limit;
    mem->limit = 0;
    report_model *models = alloc_array(&b, count, sizeof *models);
    for (uint32_t u = 0; models && u < count && !b.failed; u++)
        build_model(&b, &reports[u], &models[u]);
    mem->limit = limit;
    bool ok = !b.failed && !b.sentence.failed;
    sb_free(&b.sentence);
    return ok ? models : NULL;
}

/* ------------------------------------------------------------ public helpers */

size_t model_path_head(const char *path, const char **rest)
{
    const char *dot = strchr(path, '.');
    *rest = dot ? dot + 1 : NULL;
    return dot ? (size_t)(dot - path) : strlen(path);
}

const rubric_requirement *rubric_requirement_find(const rubric_requirement *requirements,
                                                  size_t count, const char *path)
{
    if (!path)
        return NULL;
    /* Parts nest only as deep as the rules do; each step takes a segment. */
    while (requirements) {
        const char *rest;
        size_t n = model_path_head(path, &rest);
        const rubric_requirement *found = NULL;
        for (size_t i = 0; i < count && !found; i++)
            if (strlen(requirements[i].id) == n && memcmp(requirements[i].id, path, n) == 0)
                found = &requirements[i];
        if (!found || !rest)
            return found;
        requirements = found->parts;
        count = found->part_count;
        path = rest;
    }
    return NULL;
}

const rubric_view *rubric_result_view(const rubric_result *result, rubric_view_kind kind,
                                      const char *tier)
{
    if (!result)
        return NULL;
    const rubric_view *view = NULL;
    switch (kind) {
    case RUBRIC_VIEW_ROLLING:
        for (size_t t = 0; tier && t < result->tier_count && !view; t++)
            if (strcmp(result->tiers[t].tier, tier) == 0)
                view = &result->tiers[t];
        return view;
    case RUBRIC_VIEW_RENEWAL:
        view = result->renewal;
        break;
    case RUBRIC_VIEW_UPGRADE:
        view = result->upgrade;
        break;
    }
    return view && (!tier || strcmp(view->tier, tier) == 0) ? view : NULL;
}

const char *rubric_unit_name(rubric_unit unit)
{
    switch (unit) {
    case RUBRIC_UNIT_USD:
        return "usd";
    case RUBRIC_UNIT_MONTHS:
        return "months";
    case RUBRIC_UNIT_BOOL:
        return "bool";
    case RUBRIC_UNIT_CHOICE:
        return "choice";
    case RUBRIC_UNIT_COUNT:
        break;
    }
    return "count";
}

const char *rubric_view_kind_name(rubric_view_kind kind)
{
    switch (kind) {
    case RUBRIC_VIEW_RENEWAL:
        return "renewal";
    case RUBRIC_VIEW_UPGRADE:
        return "upgrade";
    case RUBRIC_VIEW_ROLLING:
        break;
    }
    return "rolling";
}

const char *rubric_item_status_name(rubric_item_status status)
{
    return status == RUBRIC_ITEM_READY ? "ready" : "not_ready";
}
