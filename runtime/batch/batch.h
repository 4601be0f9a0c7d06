/*
 * batch.h — evaluating partner files: JSON Lines, and JSON arrays of
 * partners, streamed in blocks of whole partners and spread over worker
 * threads, results written in input order; a JSON file of one partner.
 *
 * One bad partner yields a diagnostic and the others are still evaluated;
 * so does one longer than limits.max_input_bytes, which is never held
 * whole.  A partner id seen before in the batch is an error and that
 * partner is skipped (spec/programs.md "Data validation").  Memory stays
 * flat: a fixed number of blocks is in flight and each worker's arena is
 * reset per partner.
 */
#ifndef RUBRIC_BATCH_H
#define RUBRIC_BATCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "worker.h"
#include "write.h"

typedef enum batch_format {
    BATCH_JSON,
    BATCH_JSONL,
    BATCH_TEXT,
    BATCH_CSV,
    BATCH_HTML,
    BATCH_CSV_REQUIREMENTS,
    BATCH_NONE         /* no output: the partner callback has the reports */
} batch_format;

/* One partner, as the batch gives it to batch_config.partner: its reports
 * (valid during the call: they live in the evaluating worker's arena) or
 * what went wrong with it. */
typedef struct batch_partner {
    const char *file;
    uint64_t index;        /* 0, 1, ... over the batch, in input order */
    uint64_t line;         /* of its first byte */
    uint64_t column;       /* 0 for a line of JSON Lines */
    const partner_report *reports;  /* [nreports], one per unit; NULL on error */
    uint32_t nreports;
    arena *mem;            /* where the reports live */
    const rubric_allocator *alloc;  /* the worker's */
    const rubric_error *error;      /* NULL when evaluated */
} batch_partner;

/* A problem with one partner (or a whole file). */
typedef struct batch_diag {
    const char *file;
    uint64_t line;        /* 0 when unknown */
    uint64_t column;      /* 0 when unknown */
    bool warning;
    const char *message;  /* "$.individuals[2].registered: invalid date ..." */
} batch_diag;

typedef struct batch_config {
    const work_unit *units;
    uint32_t nunits;
    /* Called from every worker thread at once (each thread's worker and
     * blocks), so it must be thread-safe, as the C library's is.  The
     * modules' own allocators are never called while the batch runs. */
    rubric_allocator alloc;
    rubric_limits limits;
    int32_t as_of;
    batch_format format;
    text_options text;
    bool strict;
    unsigned jobs;             /* worker threads; 0 or 1 = this thread */
    vm_interrupt interrupt;    /* the host's: a partner interrupted stops the batch */
    const char *fail_below;    /* a tier name, or NULL */
    /* When set, replaces the result format: called on a worker thread
     * with one partner's reports (one per unit) to append what it writes
     * for that partner to out (nothing is fine).  Used by `rubric diff`. */
    void (*write_partner)(void *user_data, const partner_report *reports, uint32_t nreports,
                          strbuf *out);
    /* Output in input order; return false to stop. */
    bool (*write)(void *user_data, const char *bytes, size_t len);
    void (*diag)(void *user_data, const batch_diag *d);
    /* Optional.  Called in input order, one thread at a time (not always
     * the same one), for each partner after its output and diagnostics;
     * return false to stop the batch. */
    bool (*partner)(void *user_data, const batch_partner *p);
    /* Optional.  Called after each partner (in order, as partner is) with
     * the partners done so far and the bytes read from the files; return
     * false to stop the batch. */
    bool (*progress)(void *user_data, uint64_t partners, uint64_t bytes_read);
    void *user_data;
} batch_config;

typedef struct batch_stats {
    uint64_t partners;     /* evaluated */
    uint64_t results;      /* partner x program results written */
    uint64_t errors;       /* partners with errors (data, evaluation, duplicate) */
    uint64_t below;        /* partners with an eligible tier below fail_below */
    bool write_failed;
    bool stopped;          /* a partner or progress callback said stop */
} batch_stats;

typedef struct batch batch;

/* NULL when out of memory (or threads cannot start). */
batch *batch_new(const batch_config *config);
void batch_free(batch *b);

/* Where a file's bytes come from: read puts up to size bytes in buf and
 * returns how many (0 at the end), or (size_t)-1 for a read error. */
typedef struct batch_source {
    size_t (*read)(void *user_data, void *buf, size_t size);
    void *user_data;
} batch_source;

/* A batch_source's read over a FILE (user_data). */
size_t batch_read_stdio(void *user_data, void *buf, size_t size);

/* Evaluate the partners of one file.  name is used in diagnostics; jsonl
 * selects the JSON Lines reader (else one JSON document: an object or an
 * array of objects).  False when the file could not be read to its end
 * (a read error or out of memory: a diagnostic naming the file has been
 * given; the batch can go on with the next file) or output failed. */
bool batch_run(batch *b, FILE *in, const char *name, bool jsonl);
/* The same from any source. */
bool batch_run_source(batch *b, const batch_source *in, const char *name, bool jsonl);

/* Close the output (the `json` array's bracket; the `html` table of
 * contents and the end of the page). */
bool batch_finish(batch *b);

/* Read only between batch_run calls (or when jobs <= 1). */
const batch_stats *batch_get_stats(const batch *b);

#endif /* RUBRIC_BATCH_H */
