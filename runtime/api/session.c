/*
 * session.c — the public runtime API (include/rubric.h): loading modules,
 * sessions that evaluate one partner at a time, and reports.
 */
#include <stdio.h>
#include <string.h>

#include "bytecode.h"
#include "calendar.h"
#include "errors.h"
#include "report_model.h"
#include "rubric.h"
#include "session.h"
#include "warnings.h"
#include "worker.h"
#include "write.h"

struct rubric_module {
    rubric_allocator alloc;
    bc_module m;
    load_plan *plan;
};

struct rubric_session {
    const rubric_module *module;
    rubric_allocator alloc;
    worker w;
    bool *selected;          /* [nprograms] */
    char *copy;              /* padded copy of the caller's JSON */
    size_t copy_cap;
    rubric_report report;
    rubric_warning_fn on_warning;  /* the host's, or NULL */
    void *warning_data;
    warning_list warnings;   /* strict mode's, for the partner being read */
};

/* The partner's id ("" when it is not a string). */
static const char *partner_id(const partner_report *r)
{
    /* Loaded strings are NUL-terminated in the arena. */
    return r->id.kind == VK_STRING ? r->id.as.s : "";
}

static rubric_allocator config_allocator(const rubric_config *config)
{
    return config && config->allocator.realloc ? config->allocator : mem_default_allocator();
}

/* ------------------------------------------------------------ modules */

/* Read and verify bytes into mod->m.  Out of memory anywhere in them (the
 * watch sees every allocation) is RUBRIC_ERR_NOMEM, never a fault of the
 * bytecode. */
static rubric_status read_module(rubric_module *mod, const void *bytes, size_t length,
                                 char *error, size_t error_size)
{
    mem_watch watch;
    rubric_allocator watched = mem_watch_start(&watch, &mod->alloc);
    bc_read_options opts = {false};
    bool read = bc_read(bytes, length, &watched, &opts, &mod->m, error, error_size);
    bool ok = read && bc_verify(&mod->m, error, error_size);
    mod->m.alloc = mod->alloc; /* the module outlives the watch */
    if (read && !ok)
        module_release(&mod->m);
    if (watch.refused) {
        if (ok)
            module_release(&mod->m);
        snprintf(error, error_size, "out of memory");
        return RUBRIC_ERR_NOMEM;
    }
    return ok ? RUBRIC_OK : RUBRIC_ERR_BYTECODE;
}

/* What loading partners needs of a verified module: its schema, and the
 * plan of the loader. */
static rubric_status plan_loading(rubric_module *mod, char *error, size_t error_size)
{
    if (!mod->m.has_schema) {
        /* Verified, but there is no data model to load partners with. */
        snprintf(error, error_size,
                 "the bytecode has no schema: its rules declare no data model to read partners with");
        return RUBRIC_ERR_BYTECODE;
    }
    mod->plan = load_plan_new(&mod->m, &mod->alloc);
    if (!mod->plan) {
        snprintf(error, error_size, "out of memory");
        return RUBRIC_ERR_NOMEM;
    }
    return RUBRIC_OK;
}

rubric_status rubric_module_load(const rubric_config *config, const void *bytes, size_t length,
                                 rubric_module **module, char *error, size_t error_size)
{
    char dummy[8];
    if (!error) {
        error = dummy;
        error_size = sizeof dummy;
    }
    if (error_size)
        error[0] = '\0';
    if (!module || (!bytes && length)) {
        snprintf(error, error_size, "invalid argument");
        return RUBRIC_ERR_USAGE;
    }
    *module = NULL;
    rubric_allocator alloc = config_allocator(config);
    rubric_module *mod = mem_calloc(&alloc, 1, sizeof *mod);
    if (!mod) {
        snprintf(error, error_size, "out of memory");
        return RUBRIC_ERR_NOMEM;
    }
    mod->alloc = alloc;
    rubric_status st = read_module(mod, bytes, length, error, error_size);
    if (st == RUBRIC_OK) {
        st = plan_loading(mod, error, error_size);
        if (st != RUBRIC_OK)
            module_release(&mod->m);
    }
    if (st != RUBRIC_OK) {
        mem_free(&alloc, mod, sizeof *mod);
        return st;
    }
    *module = mod;
    return RUBRIC_OK;
}

void rubric_module_free(rubric_module *module)
{
    if (!module)
        return;
    rubric_allocator alloc = module->alloc;
    load_plan_free(module->plan);
    module_release(&module->m);
    mem_free(&alloc, module, sizeof *module);
}

size_t rubric_module_program_count(const rubric_module *module)
{
    return module ? module->m.nprograms : 0;
}

const char *rubric_module_program_id(const rubric_module *module, size_t index)
{
    if (!module || index >= module->m.nprograms)
        return NULL;
    return module_str(&module->m, module->m.programs[index].id);
}

const char *rubric_module_schema_name(const rubric_module *module)
{
    if (!module || !module->m.has_schema)
        return NULL;
    return module_str(&module->m, module->m.schema.name);
}

char *rubric_module_disassemble(const rubric_module *module, size_t *size)
{
    if (!module)
        return NULL;
    strbuf sb;
    sb_init(&sb, &module->alloc);
    bc_disasm(&module->m, &sb);
    sb_append(&sb, "", 0);
    if (sb.failed) {
        sb_free(&sb);
        return NULL;
    }
    char *r = mem_strndup(&module->alloc, sb.data, sb.len);
    if (r && size)
        *size = sb.len + 1;
    sb_free(&sb);
    return r;
}

const bc_module *session_module(const rubric_module *module)
{
    return &module->m;
}

const load_plan *session_load_plan(const rubric_module *module)
{
    return module->plan;
}

/* ------------------------------------------------------------ sessions */

/* The host's interrupt and warning hooks (configurations of version 2 and
 * later have them). */
static void use_hooks(rubric_session *s, const rubric_config *config)
{
    if (config->version < 2)
        return;
    s->w.interrupt.flag = config->interrupt_flag;
    s->w.interrupt.ask = config->interrupt;
    s->w.interrupt.user_data = config->interrupt_data;
    s->on_warning = config->warning;
    s->warning_data = config->warning_data;
    if (s->on_warning) {
        s->w.load.on_warning = warnings_hold;
        s->w.load.user_data = &s->warnings;
    }
}

rubric_session *rubric_session_new(const rubric_module *module, const rubric_config *config)
{
    if (!module)
        return NULL;
    rubric_config defaults;
    if (!config) {
        rubric_config_init(&defaults);
        config = &defaults;
    }
    rubric_allocator alloc = config_allocator(config);
    rubric_session *s = mem_calloc(&alloc, 1, sizeof *s);
    if (!s)
        return NULL;
    s->module = module;
    s->alloc = alloc;
    uint32_t np = module->m.nprograms;
    s->selected = mem_calloc(&s->alloc, np ? np : 1, sizeof *s->selected);
    work_unit unit = {&module->m, module->plan, s->selected};
    if (!s->selected ||
        !worker_init(&s->w, &unit, 1, &s->alloc, &config->limits, false, NULL, NULL)) {
        mem_free(&s->alloc, s->selected, (np ? np : 1) * sizeof *s->selected);
        mem_free(&alloc, s, sizeof *s);
        return NULL;
    }
    warnings_init(&s->warnings, &s->alloc);
    use_hooks(s, config);
    return s;
}

void rubric_session_free(rubric_session *s)
{
    if (!s)
        return;
    uint32_t np = s->module->m.nprograms;
    worker_free(&s->w);
    warnings_free(&s->warnings);
    mem_free(&s->alloc, s->selected, (np ? np : 1) * sizeof *s->selected);
    mem_free(&s->alloc, s->copy, s->copy_cap);
    rubric_allocator alloc = s->alloc;
    mem_free(&alloc, s, sizeof *s);
}

static rubric_status fail(rubric_error *err, rubric_status st, const char *message)
{
    if (err) {
        error_clear(err);
        error_set(err, st, "%s", message);
    }
    return st;
}

/* Select the programs named in options (all when none). */
static rubric_status select_programs(rubric_session *s, const rubric_eval_options *options,
                                     rubric_error *err)
{
    const bc_module *m = &s->module->m;
    for (uint32_t i = 0; i < m->nprograms; i++)
        s->selected[i] = options->program_count == 0;
    for (size_t k = 0; k < options->program_count; k++) {
        bool found = false;
        for (uint32_t i = 0; i < m->nprograms; i++) {
            if (strcmp(module_str(m, m->programs[i].id), options->programs[k]) == 0) {
                s->selected[i] = true;
                found = true;
            }
        }
        if (!found) {
            char msg[300];
            snprintf(msg, sizeof msg, "no program \"%s\" in the rules", options->programs[k]);
            return fail(err, RUBRIC_ERR_USAGE, msg);
        }
    }
    return RUBRIC_OK;
}

/* Make sure the session's copy of the text has room for length bytes and
 * the reader's padding. */
static bool reserve_copy(rubric_session *s, size_t length)
{
    size_t need = length + JSON_PADDING;
    if (need <= s->copy_cap)
        return true;
    char *p = mem_realloc(&s->alloc, s->copy, s->copy_cap, need);
    if (!p)
        return false;
    s->copy = p;
    s->copy_cap = need;
    return true;
}

/* Hand the partner's warnings to the host, naming the partner when it was
 * read; out of memory when one could not be held.  Returns the status of
 * the evaluation. */
static rubric_status deliver_warnings(rubric_session *s, size_t length, rubric_status st,
                                      rubric_error *err)
{
    if (st == RUBRIC_OK && s->warnings.failed)
        st = fail(err, RUBRIC_ERR_NOMEM, "out of memory");
    if (s->on_warning)
        warnings_deliver(&s->warnings, s->copy, length,
                         st == RUBRIC_OK ? partner_id(&s->w.reports[0]) : err->partner,
                         s->on_warning, s->warning_data);
    return st;
}

rubric_status rubric_session_eval(rubric_session *s, const char *json, size_t length,
                                  const rubric_eval_options *options,
                                  const rubric_report **report, rubric_error *err)
{
    if (report)
        *report = NULL;
    if (!s || !options || !report || (!json && length))
        return fail(err, RUBRIC_ERR_USAGE, "invalid argument");
    int32_t as_of;
    const char *why;
    if (!options->as_of ||
        !cal_parse_date(options->as_of, strlen(options->as_of), &as_of, &why))
        return fail(err, RUBRIC_ERR_USAGE, "as_of must be a date YYYY-MM-DD");
    rubric_status st = select_programs(s, options, err);
    if (st != RUBRIC_OK)
        return st;
    rubric_error own;
    if (!err)
        err = &own;
    /* Over the input limit: rejected before anything is copied. */
    if (worker_check_input_size(&s->w.limits, length, err) != RUBRIC_OK)
        return err->status;
    /* The JSON reader needs readable padding after the text. */
    if (!reserve_copy(s, length))
        return fail(err, RUBRIC_ERR_NOMEM, "out of memory");
    if (length)
        memcpy(s->copy, json, length);
    memset(s->copy + length, 0, JSON_PADDING);
    s->w.load.strict = options->strict;
    s->report.model = NULL; /* the arena it was in is reset */
    warnings_clear(&s->warnings);
    st = deliver_warnings(s, length, worker_eval(&s->w, s->copy, length, as_of, err), err);
    if (st != RUBRIC_OK)
        return st;
    s->report.r = s->w.reports[0];
    s->report.mem = &s->w.mem;
    s->report.alloc = &s->alloc;
    *report = &s->report;
    return RUBRIC_OK;
}

/* ------------------------------------------------------------ reports */

/* The report's model, built in the session arena the first time it is
 * asked for; NULL when out of memory. */
static const report_model *model_of(const rubric_report *report)
{
    if (!report)
        return NULL;
    rubric_report *own = (rubric_report *)report; /* the model is a cache */
    if (!own->model)
        own->model = model_build(&own->r, 1, own->mem, MODEL_ALL);
    return own->model;
}

const rubric_result *rubric_report_result(const rubric_report *report, size_t i)
{
    const report_model *model = model_of(report);
    return model && i < model->nresults ? &model->results[i] : NULL;
}

rubric_status rubric_report_results(const rubric_report *report, const rubric_result **results,
                                    size_t *count)
{
    if (!results || !count)
        return RUBRIC_ERR_USAGE;
    *results = NULL;
    *count = 0;
    if (!report)
        return RUBRIC_ERR_USAGE;
    const report_model *model = model_of(report);
    if (!model)
        return RUBRIC_ERR_NOMEM;
    *results = model->results;
    *count = model->nresults;
    return RUBRIC_OK;
}

rubric_status rubric_report_errors(const rubric_report *report,
                                   const rubric_program_error **errors, size_t *count)
{
    if (!errors || !count)
        return RUBRIC_ERR_USAGE;
    *errors = NULL;
    *count = 0;
    if (!report)
        return RUBRIC_ERR_USAGE;
    const report_model *model = model_of(report);
    if (!model)
        return RUBRIC_ERR_NOMEM;
    *errors = model->errors;
    *count = model->nerrors;
    return RUBRIC_OK;
}

const char *rubric_report_partner_id(const rubric_report *report)
{
    if (!report || report->r.id.kind != VK_STRING)
        return NULL;
    return partner_id(&report->r);
}

size_t rubric_report_result_count(const rubric_report *report)
{
    return report ? report->r.nresults : 0;
}

const char *rubric_report_program_id(const rubric_report *report, size_t i)
{
    const rubric_result *r = rubric_report_result(report, i);
    return r ? r->program_id : NULL;
}

size_t rubric_report_withheld_count(const rubric_report *report)
{
    return report ? report->r.nwithheld : 0;
}

const char *rubric_report_withheld(const rubric_report *report, size_t index)
{
    return report && index < report->r.nwithheld ? report->r.withheld[index] : NULL;
}

const char *rubric_report_eligible_tier(const rubric_report *report, size_t i)
{
    const rubric_result *r = rubric_report_result(report, i);
    return r ? r->eligible_tier : NULL;
}

bool rubric_report_renewal_status(const rubric_report *report, size_t i,
                                  rubric_req_status *status)
{
    const rubric_result *r = rubric_report_result(report, i);
    if (!r || !r->renewal)
        return false;
    if (status)
        *status = r->renewal->status;
    return true;
}

bool rubric_report_view_requirement_status(const rubric_report *report, size_t i,
                                           rubric_view_kind kind, const char *tier,
                                           const char *requirement_id,
                                           rubric_req_status *status)
{
    const rubric_view *view = rubric_result_view(rubric_report_result(report, i), kind, tier);
    const rubric_requirement *q =
        view ? rubric_requirement_find(view->requirements, view->requirement_count,
                                       requirement_id)
             : NULL;
    if (q && status)
        *status = q->status;
    return q != NULL;
}

bool rubric_report_requirement_status(const rubric_report *report, size_t i, const char *tier,
                                      const char *requirement_id, rubric_req_status *status)
{
    if (!tier)
        return false;
    return rubric_report_view_requirement_status(report, i, RUBRIC_VIEW_ROLLING, tier,
                                                 requirement_id, status);
}

const partner_report *session_report(const rubric_report *report)
{
    return report ? &report->r : NULL;
}

/* Find requirement "id" or "parent.part" in a list of results. */
const req_result *session_find_req(const bc_module *m, const bc_program *p,
                                   const req_list *list, const char *path)
{
    const char *rest;
    size_t n = model_path_head(path, &rest);
    for (uint32_t i = 0; i < list->count; i++) {
        const char *id = module_str(m, p->nodes[list->items[i].node].id);
        if (strlen(id) == n && memcmp(id, path, n) == 0)
            return rest ? session_find_req(m, p, &list->items[i].parts, rest) : &list->items[i];
    }
    return NULL;
}

const char *session_tier_name(const bc_module *m, const bc_program *p, uint32_t tier)
{
    return module_str(m, m->enums[p->tier_enum].values[p->tiers[tier]]);
}

rubric_status rubric_report_write(const rubric_report *report, rubric_format format,
                                  rubric_write_fn write, void *user_data)
{
    if (!report || !write)
        return RUBRIC_ERR_USAGE;
    const report_model *model = model_of(report);
    if (!model)
        return RUBRIC_ERR_NOMEM;
    /* The session's allocator, not the module's: a module is shared by
     * threads, each evaluating and writing with a session of its own. */
    strbuf sb;
    sb_init(&sb, report->alloc);
    switch (format) {
    case RUBRIC_FORMAT_JSON:
        for (size_t i = 0; i < model->nresults; i++) {
            write_model_json(&model->results[i], true, 0, &sb);
            sb_putc(&sb, '\n');
        }
        break;
    case RUBRIC_FORMAT_JSONL:
        write_model_jsonl(model, &sb);
        break;
    case RUBRIC_FORMAT_TEXT: {
        text_options opts = {false, 0};
        write_model_text(model, &opts, &sb);
        break;
    }
    default:
        sb_free(&sb);
        return RUBRIC_ERR_USAGE;
    }
    rubric_status st = RUBRIC_OK;
    if (sb.failed)
        st = RUBRIC_ERR_NOMEM;
    else if (sb.len && !write(user_data, sb.data, sb.len))
        st = RUBRIC_ERR_IO;
    sb_free(&sb);
    return st;
}
