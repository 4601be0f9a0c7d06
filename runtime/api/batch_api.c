/*
 * batch_api.c — the public batch interface of rubric.h (rubric_batch_*)
 * over the batch engine (runtime/batch/batch.h): modules and options to a
 * batch_config, inputs (a buffer, a FILE, a read callback) to a source,
 * and what the engine gives of each partner to the host's callbacks, with
 * its reports as public handles and its error as a rubric_error.
 */
#include <string.h>
#include <sys/stat.h>

#include "batch.h"
#include "calendar.h"
#include "rubric.h"
#include "session.h"
#include "write.h"

struct rubric_batch {
    rubric_allocator alloc;
    rubric_batch_options options;
    batch *engine;
    uint32_t nunits;
    work_unit *units;             /* [nunits] */
    bool **selected;              /* [nunits][nprograms] */
    /* Given to on_partner; partners are delivered one at a time, so one
     * set of handles serves every thread. */
    rubric_report *reports;       /* [nunits] */
    const rubric_report **report_list;
    uint64_t known_bytes;         /* sizes of the inputs so far */
    bool size_unknown;            /* an input's size is not known */
    bool write_refused;           /* options.write returned false */
    bool diag_said_stop;          /* on_diag returned non-zero */
};

static void set_error(rubric_error *error, rubric_status status, const char *message)
{
    if (!error)
        return;
    memset(error, 0, sizeof *error);
    error->status = status;
    snprintf(error->message, sizeof error->message, "%s", message);
}

/* ------------------------------------------------------------ callbacks */

static bool engine_write(void *user_data, const char *bytes, size_t len)
{
    rubric_batch *rb = user_data;
    if (!rb->options.write(rb->options.user_data, bytes, len)) {
        rb->write_refused = true;
        return false;
    }
    return true;
}

static void engine_diag(void *user_data, const batch_diag *d)
{
    rubric_batch *rb = user_data;
    if (!rb->options.on_diag)
        return;
    rubric_batch_diag diag = {d->file, d->line, d->column,
                              d->warning ? RUBRIC_SEVERITY_WARNING : RUBRIC_SEVERITY_ERROR,
                              d->message};
    /* The engine stops at the partner the diagnostic is about (or the
     * next one), when it asks the partner and progress callbacks. */
    if (!rb->diag_said_stop && rb->options.on_diag(rb->options.user_data, &diag))
        rb->diag_said_stop = true;
}

static bool engine_partner(void *user_data, const batch_partner *p)
{
    rubric_batch *rb = user_data;
    if (rb->diag_said_stop)
        return false;
    if (!rb->options.on_partner)
        return true;
    rubric_batch_partner bp = {p->index, p->file, p->line, p->column, 0, NULL, NULL};
    if (p->error) {
        bp.error = p->error;
    } else {
        for (uint32_t u = 0; u < p->nreports; u++) {
            rubric_report *r = &rb->reports[u];
            r->r = p->reports[u];
            r->mem = p->mem;
            r->alloc = p->alloc;
            r->model = NULL;
            rb->report_list[u] = r;
        }
        bp.report_count = p->nreports;
        bp.reports = rb->report_list;
    }
    return rb->options.on_partner(rb->options.user_data, &bp) == 0;
}

static bool engine_progress(void *user_data, uint64_t partners, uint64_t bytes_read)
{
    rubric_batch *rb = user_data;
    if (rb->diag_said_stop)
        return false;
    if (!rb->options.on_progress)
        return true;
    uint64_t total = rb->options.total_bytes;
    if (!total && !rb->size_unknown)
        total = rb->known_bytes;
    rubric_batch_progress pr = {partners, bytes_read, total};
    return rb->options.on_progress(rb->options.user_data, &pr) == 0;
}

/* ------------------------------------------------------------ setup */

/* Select the programs named in the options across the modules; false when
 * one is in none of them. */
static bool select_programs(rubric_batch *rb, rubric_error *error)
{
    const rubric_eval_options *eval = &rb->options.eval;
    for (uint32_t u = 0; u < rb->nunits; u++) {
        const bc_module *m = rb->units[u].module;
        for (uint32_t i = 0; i < m->nprograms; i++)
            rb->selected[u][i] = eval->program_count == 0;
    }
    for (size_t k = 0; k < eval->program_count; k++) {
        bool found = false;
        for (uint32_t u = 0; u < rb->nunits; u++) {
            const bc_module *m = rb->units[u].module;
            for (uint32_t i = 0; i < m->nprograms; i++)
                if (strcmp(module_str(m, m->programs[i].id), eval->programs[k]) == 0)
                    rb->selected[u][i] = found = true;
        }
        if (!found) {
            char msg[300];
            snprintf(msg, sizeof msg, "no program \"%s\" in the rules", eval->programs[k]);
            set_error(error, RUBRIC_ERR_USAGE, msg);
            return false;
        }
    }
    return true;
}

static bool module_has_tier(const bc_module *m, const char *tier)
{
    for (uint32_t i = 0; i < m->nprograms; i++) {
        const bc_program *p = &m->programs[i];
        if (p->kind != PROGRAM_TIERED)
            continue;
        const bc_enum *e = &m->enums[p->tier_enum];
        for (uint32_t v = 0; v < e->nvalues; v++)
            if (strcmp(module_str(m, e->values[v]), tier) == 0)
                return true;
        for (uint32_t v = 0; v < e->naliases; v++)
            if (strcmp(module_str(m, e->aliases[v].name), tier) == 0)
                return true;
    }
    return false;
}

/* fail_below must name a tier (or an alias of one) of some program. */
static bool check_fail_below(const rubric_batch *rb, rubric_error *error)
{
    const char *tier = rb->options.fail_below;
    if (!tier)
        return true;
    for (uint32_t u = 0; u < rb->nunits; u++)
        if (module_has_tier(rb->units[u].module, tier))
            return true;
    char msg[300];
    snprintf(msg, sizeof msg, "no program has a tier '%s'", tier);
    set_error(error, RUBRIC_ERR_USAGE, msg);
    return false;
}

static batch_format engine_format(rubric_batch_output output)
{
    switch (output) {
    case RUBRIC_BATCH_JSON:
        return BATCH_JSON;
    case RUBRIC_BATCH_JSONL:
        return BATCH_JSONL;
    case RUBRIC_BATCH_TEXT:
        return BATCH_TEXT;
    case RUBRIC_BATCH_CSV:
        return BATCH_CSV;
    case RUBRIC_BATCH_HTML:
        return BATCH_HTML;
    case RUBRIC_BATCH_CSV_REQUIREMENTS:
        return BATCH_CSV_REQUIREMENTS;
    case RUBRIC_BATCH_NO_OUTPUT:
        break;
    }
    return BATCH_NONE;
}

static bool valid_options(const rubric_module *const *modules, size_t count,
                          const rubric_batch_options *options, int32_t *as_of,
                          rubric_error *error)
{
    const char *why;
    if (!modules || count == 0 || count > UINT32_MAX || !options) {
        set_error(error, RUBRIC_ERR_USAGE, "a batch needs modules and options");
        return false;
    }
    for (size_t u = 0; u < count; u++) {
        if (!modules[u]) {
            set_error(error, RUBRIC_ERR_USAGE, "a batch needs modules and options");
            return false;
        }
    }
    const char *date = options->eval.as_of;
    if (!date || !cal_parse_date(date, strlen(date), as_of, &why)) {
        set_error(error, RUBRIC_ERR_USAGE, "as_of must be a date YYYY-MM-DD");
        return false;
    }
    if ((unsigned)options->output > RUBRIC_BATCH_CSV_REQUIREMENTS ||
        (options->output != RUBRIC_BATCH_NO_OUTPUT && !options->write)) {
        set_error(error, RUBRIC_ERR_USAGE, "an output format needs a write callback");
        return false;
    }
    return true;
}

static bool allocate_units(rubric_batch *rb, const rubric_module *const *modules)
{
    uint32_t n = rb->nunits;
    rb->units = mem_calloc(&rb->alloc, n, sizeof *rb->units);
    rb->selected = mem_calloc(&rb->alloc, n, sizeof *rb->selected);
    rb->reports = mem_calloc(&rb->alloc, n, sizeof *rb->reports);
    rb->report_list = mem_calloc(&rb->alloc, n, sizeof *rb->report_list);
    if (!rb->units || !rb->selected || !rb->reports || !rb->report_list)
        return false;
    for (uint32_t u = 0; u < n; u++) {
        const bc_module *m = session_module(modules[u]);
        rb->selected[u] = mem_calloc(&rb->alloc, m->nprograms ? m->nprograms : 1, sizeof(bool));
        if (!rb->selected[u])
            return false;
        rb->units[u] = (work_unit){m, session_load_plan(modules[u]), rb->selected[u]};
    }
    return true;
}

static bool start_engine(rubric_batch *rb, const rubric_config *config, int32_t as_of)
{
    const rubric_batch_options *o = &rb->options;
    batch_config cfg = {0};
    cfg.units = rb->units;
    cfg.nunits = rb->nunits;
    cfg.alloc = rb->alloc;
    cfg.limits = config->limits;
    cfg.as_of = as_of;
    cfg.format = engine_format(o->output);
    cfg.text.color = o->color;
    cfg.strict = o->eval.strict;
    cfg.jobs = o->threads;
    if (config->version >= 2)
        cfg.interrupt = (vm_interrupt){config->interrupt_flag, config->interrupt,
                                       config->interrupt_data};
    cfg.fail_below = o->fail_below;
    cfg.write = engine_write;
    cfg.diag = engine_diag;
    cfg.partner = engine_partner;
    cfg.progress = engine_progress;
    cfg.user_data = rb;
    rb->engine = batch_new(&cfg);
    return rb->engine != NULL;
}

rubric_batch *rubric_batch_new(const rubric_module *const *modules, size_t count,
                               const rubric_config *config,
                               const rubric_batch_options *options, rubric_error *error)
{
    int32_t as_of;
    if (!valid_options(modules, count, options, &as_of, error))
        return NULL;
    rubric_config defaults;
    if (!config) {
        rubric_config_init(&defaults);
        config = &defaults;
    }
    rubric_allocator alloc =
        config->allocator.realloc ? config->allocator : mem_default_allocator();
    rubric_batch *rb = mem_calloc(&alloc, 1, sizeof *rb);
    if (!rb) {
        set_error(error, RUBRIC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    rb->alloc = alloc;
    rb->options = *options;
    rb->nunits = (uint32_t)count;
    if (!allocate_units(rb, modules)) {
        set_error(error, RUBRIC_ERR_NOMEM, "out of memory");
    } else if (select_programs(rb, error) && check_fail_below(rb, error)) {
        if (start_engine(rb, config, as_of))
            return rb;
        set_error(error, RUBRIC_ERR_NOMEM, "out of memory");
    }
    rubric_batch_free(rb);
    return NULL;
}

void rubric_batch_free(rubric_batch *rb)
{
    if (!rb)
        return;
    batch_free(rb->engine);
    uint32_t n = rb->nunits;
    for (uint32_t u = 0; rb->selected && u < n; u++) {
        if (!rb->selected[u])
            continue;
        uint32_t np = rb->units[u].module->nprograms;
        mem_free(&rb->alloc, rb->selected[u], (np ? np : 1) * sizeof(bool));
    }
    mem_free(&rb->alloc, rb->units, n * sizeof *rb->units);
    mem_free(&rb->alloc, rb->selected, n * sizeof *rb->selected);
    mem_free(&rb->alloc, rb->reports, n * sizeof *rb->reports);
    mem_free(&rb->alloc, rb->report_list, n * sizeof *rb->report_list);
    rubric_allocator alloc = rb->alloc;
    mem_free(&alloc, rb, sizeof *rb);
}

/* ------------------------------------------------------------ inputs */

/* An input, with the bytes looked at to tell its format given back first. */
typedef struct input {
    size_t (*read)(void *user_data, void *buf, size_t size);
    void *user_data;
    char peek[4096];
    size_t peeked, given;
} input;

static size_t input_read(void *user_data, void *buf, size_t size)
{
    input *in = user_data;
    if (in->given < in->peeked) {
        size_t n = in->peeked - in->given;
        if (n > size)
            n = size;
        memcpy(buf, in->peek + in->given, n);
        in->given += n;
        return n;
    }
    return in->read(in->user_data, buf, size);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* RUBRIC_INPUT_AUTO: by the name, else by the first byte that is not
 * white space (within the first few KiB). */
static bool input_is_jsonl(input *in, const char *name, rubric_input_format format)
{
    if (format != RUBRIC_INPUT_AUTO)
        return format == RUBRIC_INPUT_JSONL;
    if (strcmp(name, "-") == 0 || ends_with(name, ".jsonl") || ends_with(name, ".ndjson"))
        return true;
    if (ends_with(name, ".json"))
        return false;
    while (in->peeked < sizeof in->peek) {
        size_t n = in->read(in->user_data, in->peek + in->peeked, 1);
        if (n == 0 || n == (size_t)-1)
            return true; /* the read gives the error again, or the end */
        char c = in->peek[in->peeked++];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return c != '[';
    }
    return true;
}

/* size: the input's length, or 0 when unknown (known_size false). */
static rubric_status run_input(rubric_batch *rb, const char *name, input *in, uint64_t size,
                               bool known_size, rubric_input_format format)
{
    if (!rb || !name || (unsigned)format > RUBRIC_INPUT_JSON)
        return RUBRIC_ERR_USAGE;
    const batch_stats *stats = batch_get_stats(rb->engine);
    if (stats->stopped)
        return RUBRIC_ERR_INTERRUPTED;
    if (stats->write_failed)
        return rb->write_refused ? RUBRIC_ERR_IO : RUBRIC_ERR_NOMEM;
    rb->known_bytes += size;
    if (!known_size)
        rb->size_unknown = true;
    batch_source src = {input_read, in};
    bool jsonl = input_is_jsonl(in, name, format);
    bool ok = batch_run_source(rb->engine, &src, name, jsonl);
    if (stats->stopped)
        return RUBRIC_ERR_INTERRUPTED;
    if (stats->write_failed)
        return rb->write_refused ? RUBRIC_ERR_IO : RUBRIC_ERR_NOMEM;
    return ok ? RUBRIC_OK : RUBRIC_ERR_IO;
}

typedef struct memory_input {
    const char *bytes;
    size_t left;
} memory_input;

static size_t read_memory(void *user_data, void *buf, size_t size)
{
    memory_input *m = user_data;
    size_t n = size < m->left ? size : m->left;
    memcpy(buf, m->bytes, n);
    m->bytes += n;
    m->left -= n;
    return n;
}

rubric_status rubric_batch_add_buffer(rubric_batch *rb, const char *name, const void *bytes,
                                      size_t length, rubric_input_format format)
{
    if (!bytes && length)
        return RUBRIC_ERR_USAGE;
    memory_input m = {bytes, length};
    input in = {read_memory, &m, {0}, 0, 0};
    return run_input(rb, name, &in, length, true, format);
}

/* What is left of a regular file; false when that is not known (a pipe,
 * a terminal). */
static bool file_size_left(FILE *f, uint64_t *size)
{
    struct stat st;
    *size = 0;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    long at = ftell(f);
    if (at >= 0 && st.st_size > at)
        *size = (uint64_t)(st.st_size - at);
    return at >= 0;
}

rubric_status rubric_batch_add_file(rubric_batch *rb, const char *name, FILE *file,
                                    rubric_input_format format)
{
    if (!file)
        return RUBRIC_ERR_USAGE;
    input in = {batch_read_stdio, file, {0}, 0, 0};
    uint64_t size;
    bool known = file_size_left(file, &size);
    return run_input(rb, name, &in, size, known, format);
}

rubric_status rubric_batch_add_reader(rubric_batch *rb, const char *name, rubric_read_fn read,
                                      void *user_data, uint64_t size,
                                      rubric_input_format format)
{
    if (!read)
        return RUBRIC_ERR_USAGE;
    input in = {read, user_data, {0}, 0, 0};
    return run_input(rb, name, &in, size, size != 0, format);
}

rubric_status rubric_batch_finish(rubric_batch *rb, rubric_batch_stats *stats)
{
    if (!rb)
        return RUBRIC_ERR_USAGE;
    bool ok = batch_finish(rb->engine);
    const batch_stats *s = batch_get_stats(rb->engine);
    if (stats)
        *stats = (rubric_batch_stats){s->partners, s->results, s->errors, s->below, s->stopped};
    if (ok)
        return RUBRIC_OK;
    return rb->write_refused ? RUBRIC_ERR_IO : RUBRIC_ERR_NOMEM;
}

rubric_status rubric_escape_text(const char *text, size_t length, rubric_write_fn write,
                                 void *user_data)
{
    if ((!text && length) || !write)
        return RUBRIC_ERR_USAGE;
    rubric_allocator alloc = mem_default_allocator();
    strbuf sb;
    sb_init(&sb, &alloc);
    write_escaped_text(&sb, text, length);
    rubric_status st = RUBRIC_OK;
    if (sb.failed)
        st = RUBRIC_ERR_NOMEM;
    else if (sb.len && !write(user_data, sb.data, sb.len))
        st = RUBRIC_ERR_IO;
    sb_free(&sb);
    return st;
}
