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
#include <stdatomic.h>
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

struct block {
    block_text text;      /* the partners, from the reader */
    uint32_t file;
    uint32_t handed;      /* spans handed to a worker (under the lock) */
    uint32_t finished;    /* spans delivered (under the lock) */
};

/* A diagnostic of the partner a thread is evaluating (warnings, withheld
 * programs, its error), given when its turn comes. */
typedef struct diag_rec {
    uint64_t line, column;
    bool warning;
    size_t msg_start;     /* in the slot's message buffer, NUL-terminated */
} diag_rec;

/* What a thread made of one partner, until its turn to be delivered. */
typedef struct partner_rec {
    const span *sp;
    rubric_status status;
    rubric_error err;
    const char *id;        /* in the worker's arena; NULL when none */
    size_t id_len;
    uint32_t nresults;
    uint32_t withheld;     /* programs withheld by an item error */
    bool below;
} partner_rec;

/* ------------------------------------------------------------ batch */

typedef struct thread_slot {
    batch *b;
    pthread_t thread;
    worker w;
    /* The partner being evaluated: its output, its table-of-contents
     * entry (html), its diagnostics.  Reused from one partner to the next. */
    strbuf out, toc, msgs;
    VEC(diag_rec) diags;
    bool failed;          /* out of memory keeping them */
    const span *current;  /* for warnings raised while loading */
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
    uint64_t delivered;   /* partners given, in order (the next one's index) */
    _Atomic uint64_t bytes_read;
    atomic_bool stopping; /* the output failed or a callback said stop */
    /* threads: blocks in flight in a ring, their partners handed out one
     * at a time in input order (seq) and delivered in that order (turn) */
    unsigned nthreads;
    thread_slot *slots;   /* [max(nthreads, 1)] */
    pthread_mutex_t lock;
    pthread_cond_t work_ready, turn_done;
    block **queue;
    unsigned qcap, qhead, qcount;
    unsigned qhand;       /* the first queued block with spans to hand out */
    uint64_t seq, turn;
    bool stop;            /* threads: end */
    bool threaded;
};

/* ------------------------------------------------------------ per partner */

static void slot_clear(thread_slot *slot)
{
    sb_clear(&slot->out);
    sb_clear(&slot->toc);
    sb_clear(&slot->msgs);
    slot->out.failed = slot->toc.failed = slot->msgs.failed = false;
    slot->diags.len = 0;
    slot->failed = false;
}

static void record_diag(thread_slot *slot, uint64_t line, uint64_t column, bool warning,
                        const char *message)
{
    diag_rec d = {line, column, warning, slot->msgs.len};
    sb_puts(&slot->msgs, message);
    sb_putc(&slot->msgs, '\0');
    if (!vec_push(&slot->b->alloc, &slot->diags, d))
        slot->failed = true;
}

static void on_warning(void *user_data, const load_warning *w)
{
    thread_slot *slot = user_data;
    if (!slot->current)
        return;
    char msg[600];
    snprintf(msg, sizeof msg, "%s: %s", w->path, w->message);
    record_diag(slot, slot->current->line, 0, true, msg);
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
    uint32_t written = 0; /* results before these: commas in json */
    for (uint32_t u = 0; u < w->nunits; u++)
        *nresults += w->reports[u].nresults;
    if (b->cfg.write_partner) {
        b->cfg.write_partner(b->cfg.user_data, w->reports, w->nunits, out);
        return;
    }
    if (b->cfg.format == BATCH_NONE)
        return;
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
    case BATCH_CSV_REQUIREMENTS:
        for (uint32_t u = 0; u < w->nunits; u++)
            write_model_csv_requirements(&models[u], out);
        break;
    case BATCH_HTML:
        /* One html section holds the results of every unit. */
        write_model_html_partner(models, w->nunits, out);
        write_model_html_toc_entry(models, w->nunits, toc);
        break;
    case BATCH_NONE:
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
static void record_failure(thread_slot *slot, const block *blk, partner_rec *rec)
{
    const span *sp = rec->sp;
    rubric_error *err = &rec->err;
    char msg[900];
    if (err->path[0])
        snprintf(msg, sizeof msg, "%s%s: %s", status_word(rec->status), err->path,
                 err->message);
    else
        snprintf(msg, sizeof msg, "%s%s", status_word(rec->status), err->message);
    uint64_t line = sp->line, column = sp->column;
    if (rec->status == RUBRIC_ERR_DATA || err->path[0]) {
        const char *text = blk->text.buf + sp->start;
        if (!column)
            column = 1;
        if (sp->kind == SPAN_PARTNER)
            batch_advance_position(text, err->offset < sp->len ? err->offset : sp->len,
                                   &line, &column);
    } else if (sp->kind == SPAN_PARTNER) {
        column = 0;
    }
    record_diag(slot, line, column, false, msg);
    /* The error record says where, as the diagnostic does: in the file. */
    err->line = (uint32_t)line;
    err->column = (uint32_t)column;
}

/* Evaluate span index of blk and prepare what is given of it. */
static void process_partner(thread_slot *slot, const block *blk, uint32_t index,
                            partner_rec *rec)
{
    batch *b = slot->b;
    worker *w = &slot->w;
    const span *sp = &blk->text.spans.items[index];
    memset(rec, 0, sizeof *rec);
    rec->sp = sp;
    slot_clear(slot);
    slot->current = sp;
    rec->status = evaluate_span(slot, blk, sp, &rec->err);
    slot->current = NULL;
    if (rec->status != RUBRIC_OK) {
        record_failure(slot, blk, rec);
        return;
    }
    const partner_report *first = &w->reports[0];
    if (first->id.kind == VK_STRING) {
        rec->id = first->id.as.s;
        rec->id_len = first->id.len;
    }
    for (uint32_t u = 0; u < w->nunits; u++) {
        if (report_below(b, u, &w->reports[u]))
            rec->below = true;
        /* The partner's other results are still written. */
        for (uint32_t k = 0; k < w->reports[u].nwithheld; k++)
            record_diag(slot, sp->line, 0, false, w->reports[u].withheld[k]);
        rec->withheld += w->reports[u].nwithheld;
    }
    write_partner(b, w, &slot->out, &slot->toc, &rec->nresults);
}

/* ------------------------------------------------------------ output */

static bool out_write(batch *b, const char *bytes, size_t len)
{
    if (b->stats.write_failed || !len)
        return !b->stats.write_failed;
    if (!b->cfg.write(b->cfg.user_data, bytes, len)) {
        b->stats.write_failed = true;
        atomic_store(&b->stopping, true);
    }
    return !b->stats.write_failed;
}

static void start_output(batch *b)
{
    if (b->started)
        return;
    b->started = true;
    if (b->cfg.format == BATCH_JSON) {
        out_write(b, "[\n", 2);
    } else if (b->cfg.format == BATCH_CSV || b->cfg.format == BATCH_CSV_REQUIREMENTS ||
               b->cfg.format == BATCH_HTML) {
        strbuf sb;
        sb_init(&sb, &b->alloc);
        if (b->cfg.format == BATCH_CSV)
            write_csv_header(&sb);
        else if (b->cfg.format == BATCH_CSV_REQUIREMENTS)
            write_csv_requirements_header(&sb);
        else
            write_html_head(&sb);
        if (sb.failed) {
            b->stats.write_failed = true; /* out of memory, as finish_html says */
            atomic_store(&b->stopping, true);
        } else {
            out_write(b, sb.data, sb.len);
        }
        sb_free(&sb);
    }
}

static void give_diag(batch *b, const char *file, uint64_t line, uint64_t column, bool warning,
                      const char *message)
{
    batch_diag bd = {file, line, column, warning, message};
    b->cfg.diag(b->cfg.user_data, &bd);
}

/* The table of contents is kept whole until the end of the page; past
 * TOC_MAX_ENTRIES partners it only counts them, so memory stays bounded. */
enum { TOC_MAX_ENTRIES = 10000 };

static void add_toc_entry(batch *b, const strbuf *entry)
{
    if (b->cfg.format != BATCH_HTML)
        return;
    if (b->toc_entries == TOC_MAX_ENTRIES) {
        b->toc_omitted++;
        return;
    }
    sb_append(&b->toc, entry->data, entry->len);
    b->toc_entries++;
}

/* A partner whose id was seen before (or cannot be checked) is an error:
 * said here, and *err says it to the partner callback.  False when the
 * partner is new. */
static bool refuse_duplicate(batch *b, uint32_t file_index, const partner_rec *p,
                             rubric_error *err)
{
    const char *file = b->files.items[file_index];
    const id_entry *seen = NULL;
    id_outcome id = p->id ? id_insert(&b->ids, p->id, p->id_len, file_index, p->sp->line, &seen)
                          : ID_NEW;
    if (id == ID_NEW)
        return false;
    memset(err, 0, sizeof *err);
    err->status = id == ID_SEEN ? RUBRIC_ERR_DATA : RUBRIC_ERR_NOMEM;
    err->line = (uint32_t)p->sp->line;
    err->column = (uint32_t)p->sp->column;
    snprintf(err->partner, sizeof err->partner, "%.*s", (int)p->id_len, p->id);
    if (id == ID_SEEN)
        snprintf(err->message, sizeof err->message,
                 "duplicate partner id \"%.*s\" (first seen at %s:%llu); "
                 "this record is skipped", (int)p->id_len, p->id,
                 b->files.items[seen->file], (unsigned long long)seen->line);
    else
        snprintf(err->message, sizeof err->message,
                 "out of memory: partner id \"%.*s\" cannot be checked "
                 "against those before it; this record is skipped",
                 (int)p->id_len, p->id);
    give_diag(b, file, p->sp->line, p->sp->column, false, err->message);
    b->stats.errors++;
    return true;
}

static void call_partner(batch *b, thread_slot *slot, const char *file, const partner_rec *p,
                         const rubric_error *err)
{
    if (!b->cfg.partner)
        return;
    batch_partner bp = {file,           b->delivered, p->sp->line, p->sp->column, NULL, 0,
                        &slot->w.mem, &slot->w.alloc, err};
    if (!err) {
        bp.reports = slot->w.reports;
        bp.nreports = slot->w.nunits;
    }
    if (!b->cfg.partner(b->cfg.user_data, &bp)) {
        b->stats.stopped = true;
        atomic_store(&b->stopping, true);
    }
}

/* Give one partner, in its turn: its diagnostics, its output, and the
 * callbacks. */
static void deliver(batch *b, thread_slot *slot, const block *blk, const partner_rec *p)
{
    if (atomic_load(&b->stopping))
        return;
    const char *file = b->files.items[blk->file];
    if (slot->failed || slot->out.failed || slot->toc.failed || slot->msgs.failed) {
        /* Memory ran out while the partner was evaluated: its messages
         * and output may be cut short, so none of them is written. */
        give_diag(b, file, 0, 0, false,
                  "out of memory: some partners of this file were not written");
        b->stats.errors++;
        return;
    }
    for (uint32_t d = 0; d < slot->diags.len; d++) {
        const diag_rec *r = &slot->diags.items[d];
        give_diag(b, file, r->line, r->column, r->warning, slot->msgs.data + r->msg_start);
    }
    rubric_error err;
    if (p->status != RUBRIC_OK) {
        b->stats.errors++;
        if (p->status == RUBRIC_ERR_INTERRUPTED) {
            b->stats.stopped = true;
            atomic_store(&b->stopping, true);
        }
        err = p->err;
        snprintf(err.file, sizeof err.file, "%s", file);
        call_partner(b, slot, file, p, &err);
    } else if (refuse_duplicate(b, blk->file, p, &err)) {
        snprintf(err.file, sizeof err.file, "%s", file);
        call_partner(b, slot, file, p, &err);
    } else {
        b->stats.partners++;
        b->stats.errors += p->withheld;
        add_toc_entry(b, &slot->toc);
        if (p->below)
            b->stats.below++;
        if (slot->out.len) {
            if (b->cfg.format == BATCH_JSON && b->wrote_any)
                out_write(b, ",\n", 2);
            out_write(b, slot->out.data, slot->out.len);
            if (p->nresults)
                b->wrote_any = true;
        }
        b->stats.results += p->nresults;
        call_partner(b, slot, file, p, NULL);
    }
    b->delivered++;
    if (b->cfg.progress && !atomic_load(&b->stopping) &&
        !b->cfg.progress(b->cfg.user_data, b->delivered, atomic_load(&b->bytes_read))) {
        b->stats.stopped = true;
        atomic_store(&b->stopping, true);
    }
}

/* ------------------------------------------------------------ blocks */

block *batch_block_new(batch *b, uint32_t file)
{
    block *blk = mem_calloc(&b->alloc, 1, sizeof *blk);
    if (!blk)
        return NULL;
    blk->file = file;
    return blk;
}

void batch_block_free(batch *b, block *blk)
{
    if (!blk)
        return;
    mem_free(&b->alloc, blk->text.buf, blk->text.cap);
    vec_free(&b->alloc, &blk->text.spans);
    mem_free(&b->alloc, blk, sizeof *blk);
}

block_text *batch_block_text(block *blk)
{
    return &blk->text;
}

/* ------------------------------------------------------------ threads */

/* The next partner to evaluate, in input order, with its place in the
 * order; false when there is none yet (or the threads end).  Under the
 * lock. */
static bool take_partner(batch *b, block **blk, uint32_t *index, uint64_t *seq)
{
    while (b->qhand < b->qcount) {
        block *q = b->queue[(b->qhead + b->qhand) % b->qcap];
        if (q->handed < q->text.spans.len) {
            *blk = q;
            *index = q->handed++;
            *seq = b->seq++;
            return true;
        }
        b->qhand++;
    }
    return false;
}

static void *thread_main(void *arg)
{
    thread_slot *slot = arg;
    batch *b = slot->b;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        block *blk;
        uint32_t index;
        uint64_t seq;
        while (!b->stop && !take_partner(b, &blk, &index, &seq))
            pthread_cond_wait(&b->work_ready, &b->lock);
        if (b->stop)
            break;
        pthread_mutex_unlock(&b->lock);
        partner_rec rec = {0};
        if (!atomic_load(&b->stopping))
            process_partner(slot, blk, index, &rec);
        pthread_mutex_lock(&b->lock);
        /* Delivered in input order: wait for the partners before it. */
        while (b->turn != seq)
            pthread_cond_wait(&b->turn_done, &b->lock);
        pthread_mutex_unlock(&b->lock);
        deliver(b, slot, blk, &rec);
        pthread_mutex_lock(&b->lock);
        b->turn++;
        blk->finished++;
        pthread_cond_broadcast(&b->turn_done);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* Free the oldest block once all its partners are delivered. */
static void drain_one(batch *b)
{
    pthread_mutex_lock(&b->lock);
    block *blk = b->queue[b->qhead];
    while (blk->finished < blk->text.spans.len)
        pthread_cond_wait(&b->turn_done, &b->lock);
    b->qhead = (b->qhead + 1) % b->qcap;
    b->qcount--;
    if (b->qhand)
        b->qhand--;
    pthread_mutex_unlock(&b->lock);
    batch_block_free(b, blk);
}

/* Hand a filled block to the workers (or evaluate it here). */
void batch_submit(batch *b, block *blk)
{
    if (!b->threaded) {
        thread_slot *slot = &b->slots[0];
        for (uint32_t i = 0; i < blk->text.spans.len && !atomic_load(&b->stopping); i++) {
            partner_rec rec;
            process_partner(slot, blk, i, &rec);
            deliver(b, slot, blk, &rec);
        }
        batch_block_free(b, blk);
        return;
    }
    if (b->qcount == b->qcap)
        drain_one(b);
    pthread_mutex_lock(&b->lock);
    b->queue[(b->qhead + b->qcount) % b->qcap] = blk;
    b->qcount++;
    pthread_cond_broadcast(&b->work_ready);
    pthread_mutex_unlock(&b->lock);
}

void batch_drain(batch *b)
{
    while (b->threaded && b->qcount)
        drain_one(b);
}

void batch_count_read(batch *b, size_t n)
{
    atomic_fetch_add(&b->bytes_read, n);
}

bool batch_stopping(const batch *b)
{
    return atomic_load(&((batch *)b)->stopping);
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
        sb_init(&b->slots[i].out, &b->alloc);
        sb_init(&b->slots[i].toc, &b->alloc);
        sb_init(&b->slots[i].msgs, &b->alloc);
        if (!worker_init(&b->slots[i].w, b->cfg.units, b->cfg.nunits, &b->alloc,
                         &b->cfg.limits, b->cfg.strict, on_warning, &b->slots[i]))
            return false;
        b->slots[i].w.interrupt = b->cfg.interrupt;
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
    pthread_cond_init(&b->turn_done, NULL);
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
        pthread_cond_destroy(&b->turn_done);
    }
    unsigned n = b->cfg.jobs > 1 ? b->cfg.jobs : 1;
    for (unsigned i = 0; b->slots && i < n; i++) {
        thread_slot *slot = &b->slots[i];
        if (slot->w.units)
            worker_free(&slot->w);
        sb_free(&slot->out);
        sb_free(&slot->toc);
        sb_free(&slot->msgs);
        vec_free(&b->alloc, &slot->diags);
    }
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

bool batch_run_source(batch *b, const batch_source *in, const char *name, bool jsonl)
{
    uint32_t file = add_file_name(b, name);
    if (file == UINT32_MAX) {
        batch_file_error(b, name, 0, 0, BATCH_READ_OUT_OF_MEMORY);
        return false;
    }
    start_output(b);
    return batch_read_file(b, in, name, file, jsonl);
}

size_t batch_read_stdio(void *user_data, void *buf, size_t size)
{
    FILE *f = user_data;
    size_t n = fread(buf, 1, size, f);
    return n == 0 && ferror(f) ? (size_t)-1 : n;
}

bool batch_run(batch *b, FILE *in, const char *name, bool jsonl)
{
    batch_source src = {batch_read_stdio, in};
    return batch_run_source(b, &src, name, jsonl);
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
