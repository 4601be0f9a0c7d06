/*
 * batch_read.c — reading a partner file into blocks of whole partners
 * (see batch_read.h).
 *
 * The file is read in chunks into the current block's text, and only the
 * bytes just read are scanned for where partners ("records") start and
 * end: a record of JSON Lines is a line; in a JSON file, json_split finds
 * the elements of an array, and a file that is not an array is one record
 * that runs to its end.  When the bytes read are used up, the complete
 * records go to the workers with their block and the unfinished one is
 * carried over into a new block.  Every byte is scanned once whatever the
 * length of the records, and a few blocks are held whatever the size of
 * the file.
 *
 * A record longer than the input limit is never held whole: once its
 * scanned bytes pass the limit they are dropped as they come, and when its
 * end is found it becomes one error in its place (a SPAN_TOO_LONG); reading
 * goes on after it.
 */
#include "batch_read.h"

#include <string.h>

#include "json_split.h"

enum {
    BLOCK_BYTES = 1 << 20, /* a block holds about this many bytes of partners */
    BLOCK_SPANS = 1024,    /* or at most this many (their results are held)    */
    READ_CHUNK = 4 << 20   /* each read past BLOCK_BYTES, for a long partner  */
};

typedef struct reader {
    batch *b;
    const batch_source *in;
    const char *name;
    uint32_t file;
    bool jsonl;
    size_t limit;          /* of one record: max_input_bytes, or SIZE_MAX */
    block *blk;            /* being filled (NULL once handed over) */
    block_text *text;      /* its text */
    size_t pos;            /* text->buf[0..pos) is scanned */
    bool started, eof, stop;
    bool out_of_memory, read_error;
    /* The record being read. */
    bool in_record;
    size_t rec_start;      /* in text->buf */
    uint64_t rec_line, rec_column;
    bool skipping;         /* over the limit: its bytes are dropped once scanned */
    size_t dropped;        /* how many were */
    /* JSON Lines: the line being read.  JSON: the array's scanner, or a
     * document (not an array) that is the whole file. */
    uint64_t line;
    json_split split;
    bool document;
} reader;

void batch_advance_position(const char *p, size_t n, uint64_t *line, uint64_t *column)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n') {
            ++*line;
            *column = 1;
        } else {
            ++*column;
        }
    }
}

/* A UTF-8 byte-order mark at the start of a file is allowed (RFC 8259 lets
 * a parser ignore it): it becomes three spaces, so that columns on the
 * first line still count its bytes. */
static void blank_byte_order_mark(char *buf, size_t len)
{
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        memset(buf, ' ', 3);
}

static bool is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return false;
    return true;
}

static void fail_out_of_memory(reader *rd)
{
    rd->out_of_memory = true;
    rd->stop = true;
}

/* ------------------------------------------------------------ records */

static void add_span(reader *rd, span sp)
{
    if (!vec_push(batch_allocator(rd->b), &rd->text->spans, sp))
        fail_out_of_memory(rd);
}

static void start_record(reader *rd, size_t start, uint64_t line, uint64_t column)
{
    rd->in_record = true;
    rd->rec_start = start;
    rd->rec_line = line;
    rd->rec_column = column;
    rd->skipping = false;
    rd->dropped = 0;
}

/* The record being read ends just before text->buf[end]. */
static void end_record(reader *rd, size_t end)
{
    size_t held = end - rd->rec_start;
    size_t length = rd->dropped + held;
    rd->in_record = false;
    if (length > rd->limit)
        add_span(rd, (span){0, length, rd->rec_line, rd->rec_column, SPAN_TOO_LONG});
    else if (!is_blank(rd->text->buf + rd->rec_start, held))
        add_span(rd, (span){rd->rec_start, held, rd->rec_line, rd->rec_column, SPAN_PARTNER});
}

/* ------------------------------------------------------------ blocks */

/* Give the block to the workers (when it holds partners) and wait until
 * everything handed over is written. */
static void hand_over(reader *rd)
{
    if (rd->blk && rd->text->spans.len) {
        memset(rd->text->buf + rd->text->len, 0, JSON_PADDING);
        batch_submit(rd->b, rd->blk);
    } else if (rd->blk) {
        batch_block_free(rd->b, rd->blk);
    }
    rd->blk = NULL;
    rd->text = NULL;
    batch_drain(rd->b);
}

/* Give the block to the workers; its text from keep on goes on in a new
 * block. */
static bool carry_over(reader *rd, size_t keep)
{
    block_text *t = rd->text;
    size_t rest = t->len - keep;
    block *next = batch_block_new(rd->b, rd->file);
    block_text *nt = next ? batch_block_text(next) : NULL;
    if (!nt || !batch_text_reserve(rd->b, nt, rest > BLOCK_BYTES ? rest : BLOCK_BYTES)) {
        batch_block_free(rd->b, next);
        fail_out_of_memory(rd);
        return false;
    }
    memcpy(nt->buf, t->buf + keep, rest);
    nt->len = rest;
    t->len = keep;
    memset(t->buf + keep, 0, JSON_PADDING);
    batch_submit(rd->b, rd->blk);
    rd->blk = next;
    rd->text = nt;
    return true;
}

/* Keep only what is still needed: the unscanned bytes and the record being
 * read (unless it is over the limit); complete records go to the workers. */
static void make_room(reader *rd)
{
    block_text *t = rd->text;
    if (rd->in_record && !rd->skipping && rd->pos - rd->rec_start > rd->limit)
        rd->skipping = true;
    if (rd->skipping) {
        size_t n = rd->pos - rd->rec_start;
        memmove(t->buf + rd->rec_start, t->buf + rd->pos, t->len - rd->pos);
        t->len -= n;
        rd->pos = rd->rec_start;
        rd->dropped += n;
    }
    size_t keep = rd->in_record ? rd->rec_start : rd->pos;
    if (t->spans.len) {
        if (!carry_over(rd, keep))
            return;
    } else if (keep) {
        memmove(t->buf, t->buf + keep, t->len - keep);
        t->len -= keep;
    }
    rd->pos -= keep;
    if (rd->in_record)
        rd->rec_start -= keep;
}

static void read_chunk(reader *rd)
{
    block_text *t = rd->text;
    size_t want = t->len < BLOCK_BYTES ? BLOCK_BYTES - t->len : READ_CHUNK;
    if (!batch_text_reserve(rd->b, t, t->len + want)) {
        fail_out_of_memory(rd);
        return;
    }
    /* A source may give less than asked before its end (a pipe). */
    size_t got = 0;
    while (got < want) {
        size_t n = rd->in->read(rd->in->user_data, t->buf + t->len + got, want - got);
        if (n == (size_t)-1) {
            rd->read_error = true;
            rd->stop = true;
        }
        if (n == 0 || n == (size_t)-1) {
            rd->eof = true;
            break;
        }
        got += n;
    }
    batch_count_read(rd->b, got);
    if (!rd->started)
        blank_byte_order_mark(t->buf, got);
    rd->started = true;
    t->len += got;
}

/* ------------------------------------------------------------ scanning */

static void scan_lines(reader *rd)
{
    block_text *t = rd->text;
    const char *nl = memchr(t->buf + rd->pos, '\n', t->len - rd->pos);
    if (!nl) {
        rd->pos = t->len;
        return;
    }
    size_t end = (size_t)(nl - t->buf);
    end_record(rd, end);
    rd->line++;
    start_record(rd, end + 1, rd->line, 0);
    rd->pos = end + 1;
}

/* The first error of the element being read, in document order, as the
 * JSON reader finds it: the scanner only follows where elements end, and
 * a mistake that misleads it (a string left open) is before the place it
 * gave up.  False when the reader finds none.  Only while nothing is in
 * flight. */
static bool first_error_in_record(reader *rd, char *msg, size_t size, uint64_t *line,
                                  uint64_t *column)
{
    json_reader *r = batch_idle_json_reader(rd->b);
    const char *doc = rd->text->buf + rd->rec_start;
    size_t n = rd->pos - rd->rec_start;
    json_text t;
    if (json_begin(r, doc, n) && json_skip(r, json_next(r, &t)) && json_next(r, &t) != JT_ERROR)
        return false;
    snprintf(msg, size, "%s", json_error_message(r));
    *line = rd->rec_line;
    *column = rd->rec_column;
    size_t at = json_offset(r);
    batch_advance_position(doc, at < n ? at : n, line, column);
    return true;
}

/* The array's structure is broken: the partners before are still written,
 * the rest of the file is skipped. */
static void malformed(reader *rd)
{
    const json_split *s = &rd->split;
    rd->stop = true;
    if (s->out_of_memory) {
        fail_out_of_memory(rd);
        return;
    }
    const char *message = s->message;
    uint64_t line = s->event_line, column = s->event_column;
    char first[128];
    batch_drain(rd->b);
    if (rd->in_record && !rd->skipping && message != s->depth_message &&
        first_error_in_record(rd, first, sizeof first, &line, &column))
        message = first;
    hand_over(rd);
    char msg[200];
    snprintf(msg, sizeof msg, "%s%s", message,
             s->rest_skipped ? "; the rest of the file is skipped" : "");
    batch_file_error(rd->b, rd->name, line, column, msg);
}

static void scan_array(reader *rd)
{
    const json_split *s = &rd->split;
    size_t used;
    json_split_event ev = json_split_feed(&rd->split, rd->text->buf + rd->pos,
                                          rd->text->len - rd->pos, &used);
    rd->pos += used;
    switch (ev) {
    case JSPLIT_OBJECT_START:
        start_record(rd, rd->pos - 1, s->event_line, s->event_column);
        break;
    case JSPLIT_OBJECT_END:
        end_record(rd, rd->pos);
        break;
    case JSPLIT_NOT_OBJECT:
        add_span(rd, (span){0, 0, s->event_line, s->event_column, SPAN_NOT_OBJECT});
        break;
    case JSPLIT_DOCUMENT:
        rd->document = true;
        start_record(rd, rd->pos - 1, s->event_line, s->event_column);
        rd->pos = rd->text->len;
        break;
    case JSPLIT_ERROR:
        malformed(rd);
        break;
    case JSPLIT_MORE:
    case JSPLIT_DONE:
        break;
    }
}

static void scan(reader *rd)
{
    if (rd->jsonl)
        scan_lines(rd);
    else if (rd->document)
        rd->pos = rd->text->len; /* read whole, checked at the end */
    else
        scan_array(rd);
}

/* ------------------------------------------------------------ the end */

/* A JSON file that is not an array: one partner, checked here first so
 * that what is not a partner object is said of the file. */
static void finish_document(reader *rd)
{
    block_text *t = rd->text;
    size_t n = t->len - rd->rec_start;
    if (rd->dropped + n > rd->limit) {
        end_record(rd, t->len);
        return;
    }
    /* Nothing of this file is in flight: the reading thread may parse. */
    batch_drain(rd->b);
    json_reader *r = batch_idle_json_reader(rd->b);
    const char *doc = t->buf + rd->rec_start;
    memset(t->buf + t->len, 0, JSON_PADDING);
    json_text first_text;
    json_token first = json_begin(r, doc, n) ? json_next(r, &first_text) : JT_ERROR;
    if (first == JT_OBJECT_START) {
        end_record(rd, t->len);
        return;
    }
    rd->in_record = false;
    uint64_t line = rd->rec_line, column = rd->rec_column;
    size_t at = json_offset(r);
    batch_advance_position(doc, at < n ? at : n, &line, &column);
    batch_file_error(rd->b, rd->name, line, column,
                     first == JT_ERROR ? json_error_message(r)
                                       : "expected a partner object or an array of them");
}

static void finish(reader *rd)
{
    if (rd->jsonl) {
        if (rd->in_record)
            end_record(rd, rd->text->len);
    } else if (rd->document) {
        finish_document(rd);
    } else if (json_split_finish(&rd->split) == JSPLIT_ERROR) {
        malformed(rd);
    }
}

bool batch_read_file(batch *b, const batch_source *in, const char *name, uint32_t file,
                     bool jsonl)
{
    size_t limit = batch_limits(b)->max_input_bytes;
    reader rd = {.b = b, .in = in, .name = name, .file = file, .jsonl = jsonl,
                 .limit = limit ? limit : SIZE_MAX, .line = 1};
    json_split_init(&rd.split, batch_allocator(b), batch_limits(b)->max_depth);
    if (jsonl)
        start_record(&rd, 0, 1, 0);
    rd.blk = batch_block_new(b, file);
    if (rd.blk)
        rd.text = batch_block_text(rd.blk);
    else
        fail_out_of_memory(&rd);
    while (!rd.stop && !batch_stopping(b)) {
        if (rd.text->spans.len >= BLOCK_SPANS) {
            make_room(&rd);
        } else if (rd.pos < rd.text->len) {
            scan(&rd);
        } else if (!rd.eof) {
            make_room(&rd);
            if (!rd.stop)
                read_chunk(&rd);
        } else {
            finish(&rd);
            break;
        }
    }
    hand_over(&rd);
    json_split_free(&rd.split);
    if (rd.out_of_memory)
        batch_file_error(b, name, 0, 0, BATCH_READ_OUT_OF_MEMORY);
    else if (rd.read_error)
        batch_file_error(b, name, 0, 0, "read error");
    return !rd.out_of_memory && !rd.read_error && !batch_stopping(b);
}
