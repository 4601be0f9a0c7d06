/*
 * batch.c — evaluating partner files (see batch.h).
 *
 * The reader (batch_read.c) cuts a file into blocks of whole partners.
 * Each block is evaluated by one worker (a thread with its own arena, JSON
 * reader and VMs) into its own output buffer; the reading thread writes
 * finished blocks strictly in order, checking partner ids for duplicates as
 * it goes.  At most 2 x jobs blocks are in flight, so memory does not grow
 * with the input.
 */
#include "batch.h"

#include <pthread.h>
#include <string.h>

#include "batch_read.h"
#include "calendar.h"

/* ------------------------------------------------------------ id set */

typedef struct id_entry {
    char *id;        /* NULL = empty slot */
    size_t len;
    uint32_t file;   /* where it was first seen */
    uint64_t line;
} id_entry;

typedef struct id_set {
    const rubric_allocator *alloc;
    id_entry *slots;
    uint32_t cap, len;
} id_set;

static uint64_t hash_id(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
    return h;
}

static id_entry *id_find(id_set *set, const char *s, size_t n)
{
    uint32_t mask = set->cap - 1;
    uint32_t i = (uint32_t)hash_id(s, n) & mask;
    while (set->slots[i].id &&
           (set->slots[i].len != n || memcmp(set->slots[i].id, s, n) != 0))
        i = (i + 1) & mask;
    return &set->slots[i];
}

static bool id_grow(id_set *set)
{
    uint32_t cap = set->cap ? set->cap * 2 : 1024;
    id_entry *slots = mem_calloc(set->alloc, cap, sizeof *slots);
    if (!slots)
        return false;
    id_set old = *set;
    set->slots = slots;
    set->cap = cap;
    for (uint32_t i = 0; i < old.cap; i++)
        if (old.slots[i].id)
            *id_find(set, old.slots[i].id, old.slots[i].len) = old.slots[i];
    mem_free(set->alloc, old.slots, (size_t)old.cap * sizeof *old.slots);
    return true;
}

typedef enum id_outcome {
    ID_NEW,
    ID_SEEN,      /* seen before: *seen says where */
    ID_NO_MEMORY  /* it could not be kept, so it cannot be checked */
} id_outcome;

/* Insert an id first seen at file:line. */
static id_outcome id_insert(id_set *set, const char *s, size_t n, uint32_t file,
                            uint64_t line, const id_entry **seen)
{
    if ((set->len + 1) * 2 > set->cap && !id_grow(set))
        return ID_NO_MEMORY;
    id_entry *e = id_find(set, s, n);
    if (e->id) {
        *seen = e;
        return ID_SEEN;
    }
    e->id = mem_strndup(set->alloc, s, n);
    if (!e->id)
        return ID_NO_MEMORY;
    e->len = n;
    e->file = file;
    e->line = line;
    set->len++;
    return ID_NEW;
}

static void id_free(id_set *set)
{
    for (uint32_t i = 0; i < set->cap; i++)
        if (set->slots[i].id)
            mem_free(set->alloc, set->slots[i].id, set->slots[i].len + 1);
    mem_free(set->alloc, set->slots, (size_t)set->cap * sizeof *set->slots);
}

/* ------------------------------------------------------------ blocks */

/* One evaluated partner in a block's output. */
typedef struct partner_rec {
    uint64_t line;
    uint64_t column;       /* of its first byte (JSON files) */
    size_t out_start, out_end;
    size_t id_start, id_len;   /* in the block's text buffer */
    uint32_t nresults;
    uint32_t withheld;     /* programs withheld by an item error */
    size_t toc_start, toc_len; /* html: its table-of-contents entry, in msgs */
    bool has_id;
    bool below;
} partner_rec;

typedef struct diag_rec {
    uint64_t line, column;
    bool warning;
    size_t msg_start;     /* in the block's message buffer, NUL-terminated */
    uint32_t partner;     /* index of the partner_rec it precedes */
} diag_rec;

struct block {
    block_text text;      /* the partners, from the reader */
    strbuf out;
    strbuf msgs;
    VEC(partner_rec) partners;
    VEC(diag_rec) diags;
    uint32_t file;
    bool done;
    bool failed;          /* out of memory while evaluating */
};

/* ------------------------------------------------------------ batch */

typedef struct thread_slot {
    batch *b;
    pthread_t thread;
    worker w;
    block *current;       /* for warnings raised while loading */
    uint32_t current_partner;
} thread_slot;

struct batch {
    batch_config cfg;
    rubric_allocator alloc;
    batch_stats stats;
    id_set ids;
    VEC(char *) files;    /* names, for "first seen in" */
    uint32_t **fail_values; /* [unit][program]: enum value of fail_below, or BC_NONE */
    bool wrote_any;       /* json: a result object was written */
    bool started;         /* json/csv/html: the opening was written */
    strbuf toc;           /* html: the table of contents, in output order */
    uint64_t toc_entries, toc_omitted;
    /* threads */
    unsigned nthreads;
    thread_slot *slots;   /* [max(nthreads, 1)] */
    pthread_mutex_t lock;
    pthread_cond_t work_ready, work_done;
    block **queue;        /* ring of in-flight blocks, in order */
    unsigned qcap, qhead, qcount, qnext;  /* qnext: next block to hand out */
    bool stop;
    bool threaded;
};

/* ------------------------------------------------------------ per partner */

static void record_diag(block *blk, uint64_t line, uint64_t column, bool warning,
                        const char *message)
{
    const rubric_allocator *a = blk->msgs.alloc;
    diag_rec d = {line, column, warning, blk->msgs.len, blk->partners.len};
    sb_puts(&blk->msgs, message);
    sb_putc(&blk->msgs, '\0');
    if (!vec_push(a, &blk->diags, d))
        blk->failed = true;
}

static void on_warning(void *user_data, const load_warning *w)
{
    thread_slot *slot = user_data;
    block *blk = slot->current;
    if (!blk)
        return;
    const span *sp = &blk->text.spans.items[slot->current_partner];
    char msg[600];
    snprintf(msg, sizeof msg, "%s: %s", w->path, w->message);
    record_diag(blk, sp->line, 0, true, msg);
}

static bool report_below(const batch *b, uint32_t unit, const partner_report *r)
{
    if (!b->fail_values)
        return false;
    const bc_module *m = r->module;
    for (uint32_t i = 0; i < r->nresults; i++) {
        const program_result *pr = &r->results[i];
        uint32_t want = b->fail_values[unit][pr->program];
        const bc_program *p = &m->programs[pr->program];
        if (want == BC_NONE || p->kind != PROGRAM_TIERED)
            continue;
        if (pr->eligible < 0 || p->tiers[pr->eligible] < want)
            return true;
    }
    return false;
}

/* The partner's results in the output format, from their result models
 * (built once, in the worker's arena); for html, also its entry in the
 * table of contents (toc). */
static void write_partner(batch *b, worker *w, strbuf *out, strbuf *toc, uint32_t *nresults)
{
    uint32_t written = *nresults; /* results before these: commas in json */
    for (uint32_t u = 0; u < w->nunits; u++)
        *nresults += w->reports[u].nresults;
    if (b->cfg.write_partner) {
        b->cfg.write_partner(b->cfg.user_data, w->reports, w->nunits, out);
        return;
    }
    bool gaps = b->cfg.format == BATCH_TEXT || b->cfg.format == BATCH_HTML;
    const report_model *models =
        model_build(w->reports, w->nunits, &w->mem, gaps ? MODEL_ALL : MODEL_NO_GAPS);
    if (!models) {
        out->failed = true;
        return;
    }
    switch (b->cfg.format) {
    case BATCH_JSONL:
        for (uint32_t u = 0; u < w->nunits; u++)
            write_model_jsonl(&models[u], out);
        break;
    case BATCH_JSON:
        for (uint32_t u = 0; u < w->nunits; u++) {
            for (size_t i = 0; i < models[u].nresults; i++, written++) {
                if (written > 0)
                    sb_puts(out, ",\n");
                sb_puts(out, "  ");
                write_model_json(&models[u].results[i], true, 2, out);
            }
        }
        break;
    case BATCH_TEXT:
        for (uint32_t u = 0; u < w->nunits; u++)
            write_model_text(&models[u], &b->cfg.text, out);
        break;
    case BATCH_CSV:
        for (uint32_t u = 0; u < w->nunits; u++)
            write_model_csv(&models[u], out);
        break;
    case BATCH_HTML:
        /* One html section holds the results of every unit. */
        write_model_html_partner(models, w->nunits, out);
        write_model_html_toc_entry(models, w->nunits, toc);
        break;
    }
}

static const char *status_word(rubric_status st)
{
    switch (st) {
    case RUBRIC_ERR_LIMIT:
        return "limit: ";
    default:
        return "";
    }
}

/* What the reader found, or the partner's evaluation. */
static rubric_status evaluate_span(thread_slot *slot, const block *blk, const span *sp,
                                 rubric_error *err)
{
    switch (sp->kind) {
    case SPAN_TOO_LONG:
        return worker_check_input_size(&slot->w.limits, sp->len, err);
    case SPAN_NOT_OBJECT:
        memset(err, 0, sizeof *err);
        err->status = RUBRIC_ERR_DATA;
        snprintf(err->message, sizeof err->message, "expected a partner object in the array");
        return RUBRIC_ERR_DATA;
    case SPAN_PARTNER:
        break;
    }
    return worker_eval(&slot->w, blk->text.buf + sp->start, sp->len, slot->b->cfg.as_of, err);
}

/* A partner that gives no results: its error, in its place.  A data error
 * is placed at its offending byte; others at the partner's start (its line
 * only, unless the reader found it). */
static void record_failure(block *blk, worker *w, const span *sp, rubric_status st,
                           const rubric_error *err)
{
    char msg[900];
    if (err->path[0])
        snprintf(msg, sizeof msg, "%s%s: %s", status_word(st), err->path, err->message);
    else
        snprintf(msg, sizeof msg, "%s%s", status_word(st), err->message);
    uint64_t line = sp->line, column = sp->column;
    if (st == RUBRIC_ERR_DATA || err->path[0]) {
        const char *text = blk->text.buf + sp->start;
        if (!column)
            column = 1;
        if (sp->kind == SPAN_PARTNER)
            batch_advance_position(text, err->offset < sp->len ? err->offset : sp->len,
                                   &line, &column);
    } else if (sp->kind == SPAN_PARTNER) {
        column = 0;
    }
    record_diag(blk, line, column, false, msg);
    partner_rec rec = {0};
    rec.line = sp->line;
    rec.column = sp->column;
    rec.out_start = rec.out_end = blk->out.len;
    rec.nresults = UINT32_MAX; /* marks an error */
    if (!vec_push(&w->alloc, &blk->partners, rec))
        blk->failed = true;
}

static void process_partner(thread_slot *slot, block *blk, uint32_t index)
{
    batch *b = slot->b;
    worker *w = &slot->w;
    const span *sp = &blk->text.spans.items[index];
    slot->current = blk;
    slot->current_partner = index;
    rubric_error err;
    rubric_status st = evaluate_span(slot, blk, sp, &err);
    slot->current = NULL;
    if (st != RUBRIC_OK) {
        record_failure(blk, w, sp, st, &err);
        return;
    }
    partner_rec rec = {0};
    rec.line = sp->line;
    rec.column = sp->column;
    const partner_report *first = &w->reports[0];
    if (first->id.kind == VK_STRING) {
        /* The id's bytes are in the arena; keep a copy in the messages. */
        rec.has_id = true;
        rec.id_start = blk->msgs.len;
        rec.id_len = first->id.len;
        sb_append(&blk->msgs, first->id.as.s, first->id.len);
    }
    for (uint32_t u = 0; u < w->nunits; u++) {
        if (report_below(b, u, &w->reports[u]))
            rec.below = true;
        /* The partner's other results are still written. */
        for (uint32_t k = 0; k < w->reports[u].nwithheld; k++)
            record_diag(blk, sp->line, 0, false, w->reports[u].withheld[k]);
        rec.withheld += w->reports[u].nwithheld;
    }
    rec.out_start = blk->out.len;
    rec.toc_start = blk->msgs.len;
    write_partner(b, w, &blk->out, &blk->msgs, &rec.nresults);
    rec.out_end = blk->out.len;
    rec.toc_len = blk->msgs.len - rec.toc_start;
    if (!vec_push(&w->alloc, &blk->partners, rec))
        blk->failed = true;
}

static void process_block(thread_slot *slot, block *blk)
{
    for (uint32_t i = 0; i < blk->text.spans.len; i++)
        process_partner(slot, blk, i);
    if (blk->out.failed || blk->msgs.failed)
        blk->failed = true;
}

/* ------------------------------------------------------------ output */

static bool out_write(batch *b, const char *bytes, size_t len)
{
    if (b->stats.write_failed || !len)
        return !b->stats.write_failed;
    if (!b->cfg.write(b->cfg.user_data, bytes, len))
        b->stats.write_failed = true;
    return !b->stats.write_failed;
}

static void start_output(batch *b)
{
    if (b->started)
        return;
    b->started = true;
    if (b->cfg.format == BATCH_JSON) {
        out_write(b, "[\n", 2);
    } else if (b->cfg.format == BATCH_CSV || b->cfg.format == BATCH_HTML) {
        strbuf sb;
        sb_init(&sb, &b->alloc);
        if (b->cfg.format == BATCH_CSV)
            write_csv_header(&sb);
        else
            write_html_head(&sb);
        if (sb.failed)
            b->stats.write_failed = true; /* out of memory, as finish_html says */
        else
            out_write(b, sb.data, sb.len);
        sb_free(&sb);
    }
}

static void give_diag(batch *b, const block *blk, const diag_rec *d)
{
    batch_diag bd = {b->files.items[blk->file], d->line, d->column, d->warning,
                     blk->msgs.data + d->msg_start};
    b->cfg.diag(b->cfg.user_data, &bd);
}

/* The table of contents is kept whole until the end of the page; past
 * TOC_MAX_ENTRIES partners it only counts them, so memory stays bounded. */
enum { TOC_MAX_ENTRIES = 10000 };

static void add_toc_entry(batch *b, const block *blk, const partner_rec *p)
{
    if (b->cfg.format != BATCH_HTML)
        return;
    if (b->toc_entries == TOC_MAX_ENTRIES) {
        b->toc_omitted++;
        return;
    }
    sb_append(&b->toc, blk->msgs.data + p->toc_start, p->toc_len);
    b->toc_entries++;
}

static void emit_partner(batch *b, const block *blk, const partner_rec *p)
{
    if (p->nresults == UINT32_MAX) {
        b->stats.errors++;
        return;
    }
    const id_entry *seen = NULL;
    id_outcome id = p->has_id ? id_insert(&b->ids, blk->msgs.data + p->id_start, p->id_len,
                                          blk->file, p->line, &seen)
                              : ID_NEW;
    if (id != ID_NEW) {
        char msg[600];
        if (id == ID_SEEN)
            snprintf(msg, sizeof msg, "duplicate partner id \"%.*s\" (first seen at %s:%llu); "
                     "this record is skipped", (int)p->id_len, blk->msgs.data + p->id_start,
                     b->files.items[seen->file], (unsigned long long)seen->line);
        else
            snprintf(msg, sizeof msg, "out of memory: partner id \"%.*s\" cannot be checked "
                     "against those before it; this record is skipped",
                     (int)p->id_len, blk->msgs.data + p->id_start);
        batch_diag bd = {b->files.items[blk->file], p->line, p->column, false, msg};
        b->cfg.diag(b->cfg.user_data, &bd);
        b->stats.errors++;
        return;
    }
    b->stats.partners++;
    b->stats.errors += p->withheld;
    add_toc_entry(b, blk, p);
    if (p->below)
        b->stats.below++;
    if (p->out_end > p->out_start) {
        if (b->cfg.format == BATCH_JSON && b->wrote_any)
            out_write(b, ",\n", 2);
        out_write(b, blk->out.data + p->out_start, p->out_end - p->out_start);
        if (p->nresults)
            b->wrote_any = true;
    }
    b->stats.results += p->nresults;
}

/* Write a finished block: diagnostics and partners in input order. */
static void emit_block(batch *b, block *blk)
{
    start_output(b);
    if (blk->failed) {
        /* Memory ran out while the block was evaluated: its messages, ids
         * and output may be cut short, so none of them is written. */
        batch_diag bd = {b->files.items[blk->file], 0, 0, false,
                         "out of memory: some partners of this file were not written"};
        b->cfg.diag(b->cfg.user_data, &bd);
        b->stats.errors++;
        return;
    }
    uint32_t d = 0;
    for (uint32_t i = 0; i < blk->partners.len; i++) {
        while (d < blk->diags.len && blk->diags.items[d].partner <= i)
            give_diag(b, blk, &blk->diags.items[d++]);
        emit_partner(b, blk, &blk->partners.items[i]);
    }
    while (d < blk->diags.len)
        give_diag(b, blk, &blk->diags.items[d++]);
}

/* ------------------------------------------------------------ blocks */

block *batch_block_new(batch *b, uint32_t file)
{
    block *blk = mem_calloc(&b->alloc, 1, sizeof *blk);
    if (!blk)
        return NULL;
    sb_init(&blk->out, &b->alloc);
    sb_init(&blk->msgs, &b->alloc);
    blk->file = file;
    return blk;
}

void batch_block_free(batch *b, block *blk)
{
    if (!blk)
        return;
    mem_free(&b->alloc, blk->text.buf, blk->text.cap);
    vec_free(&b->alloc, &blk->text.spans);
    sb_free(&blk->out);
    sb_free(&blk->msgs);
    vec_free(&b->alloc, &blk->partners);
    vec_free(&b->alloc, &blk->diags);
    mem_free(&b->alloc, blk, sizeof *blk);
}

block_text *batch_block_text(block *blk)
{
    return &blk->text;
}

/* ------------------------------------------------------------ threads */

static void *thread_main(void *arg)
{
    thread_slot *slot = arg;
    batch *b = slot->b;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        while (!b->stop && b->qnext == b->qcount)
            pthread_cond_wait(&b->work_ready, &b->lock);
        if (b->stop && b->qnext == b->qcount)
            break;
        block *blk = b->queue[(b->qhead + b->qnext) % b->qcap];
        b->qnext++;
        pthread_mutex_unlock(&b->lock);
        process_block(slot, blk);
        pthread_mutex_lock(&b->lock);
        blk->done = true;
        pthread_cond_broadcast(&b->work_done);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* Write out the oldest block once it is done. */
static void drain_one(batch *b)
{
    pthread_mutex_lock(&b->lock);
    block *blk = b->queue[b->qhead];
    while (!blk->done)
        pthread_cond_wait(&b->work_done, &b->lock);
    b->qhead = (b->qhead + 1) % b->qcap;
    b->qcount--;
    b->qnext--;
    pthread_mutex_unlock(&b->lock);
    emit_block(b, blk);
    batch_block_free(b, blk);
}

/* Hand a filled block to the workers (or evaluate it here). */
void batch_submit(batch *b, block *blk)
{
    if (!b->threaded) {
        process_block(&b->slots[0], blk);
        emit_block(b, blk);
        batch_block_free(b, blk);
        return;
    }
    if (b->qcount == b->qcap)
        drain_one(b);
    pthread_mutex_lock(&b->lock);
    b->queue[(b->qhead + b->qcount) % b->qcap] = blk;
    b->qcount++;
    pthread_cond_signal(&b->work_ready);
    pthread_mutex_unlock(&b->lock);
}

void batch_drain(batch *b)
{
    while (b->threaded && b->qcount)
        drain_one(b);
}

/* ------------------------------------------------------------ setup */

static uint32_t tier_value_named(const bc_module *m, uint32_t enum_index, const char *name)
{
    const bc_enum *e = &m->enums[enum_index];
    for (uint32_t i = 0; i < e->nvalues; i++)
        if (strcmp(module_str(m, e->values[i]), name) == 0)
            return i;
    for (uint32_t i = 0; i < e->naliases; i++)
        if (strcmp(module_str(m, e->aliases[i].name), name) == 0)
            return e->aliases[i].value;
    return BC_NONE;
}

static bool setup_fail_below(batch *b)
{
    const batch_config *c = &b->cfg;
    if (!c->fail_below)
        return true;
    b->fail_values = mem_calloc(&b->alloc, c->nunits ? c->nunits : 1, sizeof *b->fail_values);
    if (!b->fail_values)
        return false;
    for (uint32_t u = 0; u < c->nunits; u++) {
        const bc_module *m = c->units[u].module;
        b->fail_values[u] = mem_calloc(&b->alloc, m->nprograms ? m->nprograms : 1,
                                       sizeof(uint32_t));
        if (!b->fail_values[u])
            return false;
        for (uint32_t p = 0; p < m->nprograms; p++) {
            const bc_program *pr = &m->programs[p];
            b->fail_values[u][p] = pr->kind == PROGRAM_TIERED
                                       ? tier_value_named(m, pr->tier_enum, c->fail_below)
                                       : BC_NONE;
        }
    }
    return true;
}

static bool start_threads(batch *b)
{
    unsigned n = b->cfg.jobs > 1 ? b->cfg.jobs : 1;
    b->slots = mem_calloc(&b->alloc, n, sizeof *b->slots);
    if (!b->slots)
        return false;
    for (unsigned i = 0; i < n; i++) {
        b->slots[i].b = b;
        if (!worker_init(&b->slots[i].w, b->cfg.units, b->cfg.nunits, &b->alloc,
                         &b->cfg.limits, b->cfg.strict, on_warning, &b->slots[i]))
            return false;
        b->nthreads = i + 1;
    }
    if (n == 1)
        return true;
    b->qcap = 2 * n;
    b->queue = mem_calloc(&b->alloc, b->qcap, sizeof *b->queue);
    if (!b->queue)
        return false;
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->work_ready, NULL);
    pthread_cond_init(&b->work_done, NULL);
    b->threaded = true;
    for (unsigned i = 0; i < n; i++) {
        if (pthread_create(&b->slots[i].thread, NULL, thread_main, &b->slots[i]) != 0) {
            /* Run with the threads that did start. */
            if (i == 0) {
                b->threaded = false;
                return true;
            }
            b->nthreads = i;
            break;
        }
    }
    return true;
}

batch *batch_new(const batch_config *config)
{
    rubric_allocator alloc = config->alloc.realloc ? config->alloc : mem_default_allocator();
    batch *b = mem_calloc(&alloc, 1, sizeof *b);
    if (!b)
        return NULL;
    b->cfg = *config;
    b->alloc = alloc;
    b->ids.alloc = &b->alloc;
    sb_init(&b->toc, &b->alloc);
    if (!setup_fail_below(b) || !start_threads(b)) {
        batch_free(b);
        return NULL;
    }
    return b;
}

void batch_free(batch *b)
{
    if (!b)
        return;
    if (b->threaded) {
        batch_drain(b);
        pthread_mutex_lock(&b->lock);
        b->stop = true;
        pthread_cond_broadcast(&b->work_ready);
        pthread_mutex_unlock(&b->lock);
        for (unsigned i = 0; i < b->nthreads; i++)
            pthread_join(b->slots[i].thread, NULL);
        pthread_mutex_destroy(&b->lock);
        pthread_cond_destroy(&b->work_ready);
        pthread_cond_destroy(&b->work_done);
    }
    unsigned n = b->cfg.jobs > 1 ? b->cfg.jobs : 1;
    for (unsigned i = 0; b->slots && i < n; i++)
        if (b->slots[i].w.units)
            worker_free(&b->slots[i].w);
    mem_free(&b->alloc, b->slots, n * sizeof *b->slots);
    mem_free(&b->alloc, b->queue, (size_t)b->qcap * sizeof *b->queue);
    if (b->fail_values) {
        for (uint32_t u = 0; u < b->cfg.nunits; u++) {
            uint32_t np = b->cfg.units[u].module->nprograms;
            mem_free(&b->alloc, b->fail_values[u], (np ? np : 1) * sizeof(uint32_t));
        }
        mem_free(&b->alloc, b->fail_values, (b->cfg.nunits ? b->cfg.nunits : 1) *
                                                sizeof *b->fail_values);
    }
    id_free(&b->ids);
    sb_free(&b->toc);
    for (uint32_t i = 0; i < b->files.len; i++)
        mem_free(&b->alloc, b->files.items[i], strlen(b->files.items[i]) + 1);
    vec_free(&b->alloc, &b->files);
    rubric_allocator alloc = b->alloc;
    mem_free(&alloc, b, sizeof *b);
}

const batch_stats *batch_get_stats(const batch *b)
{
    return &b->stats;
}

/* ------------------------------------------------------------ reading */

bool batch_text_reserve(batch *b, block_text *text, size_t need)
{
    need += JSON_PADDING;
    if (need <= text->cap)
        return true;
    size_t cap = text->cap ? text->cap : need;
    while (cap < need)
        cap *= 2;
    char *p = mem_realloc(&b->alloc, text->buf, text->cap, cap);
    if (!p)
        return false;
    text->buf = p;
    text->cap = cap;
    return true;
}

void batch_file_error(batch *b, const char *name, uint64_t line, uint64_t column,
                      const char *message)
{
    batch_diag d = {name, line, column, false, message};
    b->cfg.diag(b->cfg.user_data, &d);
    b->stats.errors++;
}

const rubric_allocator *batch_allocator(const batch *b)
{
    return &b->alloc;
}

const rubric_limits *batch_limits(const batch *b)
{
    return &b->cfg.limits;
}

json_reader *batch_idle_json_reader(batch *b)
{
    /* The first worker's: its thread only parses blocks handed over. */
    return b->slots[0].w.json;
}

static uint32_t add_file_name(batch *b, const char *name)
{
    char *copy = mem_strndup(&b->alloc, name, strlen(name));
    if (!copy || !vec_push(&b->alloc, &b->files, copy)) {
        if (copy)
            mem_free(&b->alloc, copy, strlen(copy) + 1);
        return UINT32_MAX;
    }
    return b->files.len - 1;
}

bool batch_run(batch *b, FILE *in, const char *name, bool jsonl)
{
    uint32_t file = add_file_name(b, name);
    if (file == UINT32_MAX) {
        batch_file_error(b, name, 0, 0, BATCH_READ_OUT_OF_MEMORY);
        return false;
    }
    start_output(b);
    return batch_read_file(b, in, name, file, jsonl);
}

static void finish_html(batch *b)
{
    strbuf sb;
    sb_init(&sb, &b->alloc);
    if (b->toc.failed)
        b->stats.write_failed = true;
    else
        write_html_tail(b->toc.data, b->toc.len, b->toc_omitted, &sb);
    if (sb.failed)
        b->stats.write_failed = true;
    else
        out_write(b, sb.data, sb.len);
    sb_free(&sb);
}

bool batch_finish(batch *b)
{
    start_output(b);
    if (b->cfg.format == BATCH_JSON)
        out_write(b, b->wrote_any ? "\n]\n" : "]\n", b->wrote_any ? 3 : 2);
    if (b->cfg.format == BATCH_HTML)
        finish_html(b);
    return !b->stats.write_failed;
}
