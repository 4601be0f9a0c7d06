/*
 * batch_read.h — between the batch (batch.c: workers and output, in input
 * order) and its reader (batch_read.c: a partner file cut into blocks of
 * whole partners).
 *
 * The reader fills a block's text with the bytes of the file and marks
 * where each partner is (a span); the batch evaluates the spans of a block
 * on a worker thread and writes the results, block after block, in order.
 * Problems the reader finds with one partner are spans too, so that their
 * diagnostics come out in their place among the others.
 */
#ifndef RUBRIC_BATCH_READ_H
#define RUBRIC_BATCH_READ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "batch.h"
#include "json_reader.h"
#include "mem.h"

typedef enum span_kind {
    SPAN_PARTNER,    /* a partner's JSON text: text.buf[start, start + len)  */
    SPAN_TOO_LONG,   /* a partner of len bytes over the input limit, not held */
    SPAN_NOT_OBJECT  /* an element of an array that is not an object          */
} span_kind;

typedef struct span {
    size_t start, len;
    uint64_t line;      /* of its first byte                                 */
    uint64_t column;    /* of its first byte; 0 for a line of JSON Lines     */
    span_kind kind;
} span;

/* The input side of a block. */
typedef struct block_text {
    char *buf;          /* JSON_PADDING readable bytes after len             */
    size_t len, cap;
    VEC(span) spans;
} block_text;

typedef struct block block;

/* NULL when out of memory. */
block *batch_block_new(batch *b, uint32_t file);
void batch_block_free(batch *b, block *blk);
block_text *batch_block_text(block *blk);
/* Room for need bytes of text (and the padding); false when out of memory. */
bool batch_text_reserve(batch *b, block_text *text, size_t need);
/* Hand a block to the workers (it is theirs from now on); its results are
 * written once the blocks before it are. */
void batch_submit(batch *b, block *blk);
/* Count bytes read from the file (for progress). */
void batch_count_read(batch *b, size_t n);
/* The batch should stop: its output failed or a callback said so. */
bool batch_stopping(const batch *b);
/* Wait until every block handed over is written. */
void batch_drain(batch *b);
/* A problem with the file at line:column (0 when unknown), given now. */
void batch_file_error(batch *b, const char *name, uint64_t line, uint64_t column,
                      const char *message);
const rubric_allocator *batch_allocator(const batch *b);
const rubric_limits *batch_limits(const batch *b);
/* A JSON reader for the reading thread; only while no block is in flight. */
json_reader *batch_idle_json_reader(batch *b);

/* Line and column after the bytes p[0..n), from line:column before them. */
void batch_advance_position(const char *p, size_t n, uint64_t *line, uint64_t *column);

/* What is said of a file that could not be read for want of memory. */
#define BATCH_READ_OUT_OF_MEMORY "out of memory reading this file; the rest of it is skipped"

/* Read the partners of one file (file: its index for the batch) and hand
 * them to the workers; every block is written when it returns.  False when
 * the file could not be read to its end (read error, out of memory; a
 * diagnostic has been given) or output failed. */
bool batch_read_file(batch *b, const batch_source *in, const char *name, uint32_t file,
                     bool jsonl);

#endif /* RUBRIC_BATCH_READ_H */
