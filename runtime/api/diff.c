/* diff.c — the public handle of `rubric diff` (rubric.h, "Comparing
 * results"): pairs a partner's programs across the two rule sets, has each
 * pair compared (diff_compare.c), counted (diff_tally.c) and written
 * (diff_write.c), and lays out the output: the partners in input order up
 * to the limit, the matrices and the summary.
 *
 * A partner's record is its written changes followed by a NUL byte, so that
 * rubric_diff_output can count partners in a stream of records. */
#include <stdio.h>
#include <string.h>

#include "diff_model.h"
#include "write.h"

struct rubric_diff {
    rubric_config config;
    rubric_diff_format format;
    uint64_t limit;
    size_t map_count;
    const char **map_old, **map_new;  /* copies, in the arena */
    arena strings;
    diff_tally tally;
    /* Output */
    uint64_t records;   /* records seen by rubric_diff_output */
    uint64_t omitted;   /* changed partners past the limit */
    bool started;       /* the json opening or the csv header is written */
    bool wrote_any;     /* json: an element is written */
    bool mid_line;      /* json: inside an element */
    strbuf listed;      /* text: the partners listed, kept for the end */
    bool failed;
};

rubric_diff *rubric_diff_new(const rubric_config *config, const rubric_diff_options *options)
{
    rubric_config defaults;
    rubric_config_init(&defaults);
    const rubric_config *c = config ? config : &defaults;
    rubric_diff *d = mem_alloc(&c->allocator, sizeof *d);
    if (!d)
        return NULL;
    memset(d, 0, sizeof *d);
    d->config = *c;
    d->format = options ? options->format : RUBRIC_DIFF_TEXT;
    d->limit = options ? options->limit : 0;
    arena_init(&d->strings, &d->config.allocator, 0);
    sb_init(&d->listed, &d->config.allocator);
    if (!diff_tally_init(&d->tally, &d->config.allocator)) {
        arena_free(&d->strings);
        mem_free(&d->config.allocator, d, sizeof *d);
        return NULL;
    }
    size_t n = options ? options->map_count : 0;
    d->map_old = n ? arena_calloc(&d->strings, n, sizeof *d->map_old) : NULL;
    d->map_new = n ? arena_calloc(&d->strings, n, sizeof *d->map_new) : NULL;
    for (size_t i = 0; i < n && d->map_old && d->map_new; i++) {
        d->map_old[i] = arena_strndup(&d->strings, options->map_old[i],
                                      strlen(options->map_old[i]));
        d->map_new[i] = arena_strndup(&d->strings, options->map_new[i],
                                      strlen(options->map_new[i]));
    }
    d->map_count = n;
    if (d->strings.failed) {
        rubric_diff_free(d);
        return NULL;
    }
    return d;
}

void rubric_diff_free(rubric_diff *d)
{
    if (!d)
        return;
    diff_tally_free(&d->tally);
    sb_free(&d->listed);
    arena_free(&d->strings);
    rubric_allocator alloc = d->config.allocator;
    mem_free(&alloc, d, sizeof *d);
}

uint64_t rubric_diff_changed(const rubric_diff *d)
{
    return d ? d->tally.partners_changed : 0;
}

/* ------------------------------------------------------------ pairing */

/* The new id program `id` of the old rules is compared under. */
static const char *new_id_of(const rubric_diff *d, const char *id)
{
    for (size_t i = 0; i < d->map_count; i++)
        if (strcmp(d->map_old[i], id) == 0)
            return d->map_new[i];
    return id;
}

/* Keep, per program id, the last result given (later rules override). */
static size_t latest(const rubric_result *const *results, size_t count,
                     const rubric_result **out)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        size_t k = 0;
        while (k < n && strcmp(out[k]->program_id, results[i]->program_id) != 0)
            k++;
        out[k] = results[i];
        n += k == n;
    }
    return n;
}

/* Compare, count and write one pair (either side may be NULL); true when
 * it changed. */
static bool diff_pair(rubric_diff *d, const rubric_result *o, const rubric_result *n,
                      strbuf *out)
{
    program_diff pd = {0};
    pd.alloc = &d->config.allocator;
    diff_compare_program(&pd, o, n);
    diff_tally_program(&d->tally, &pd, o, n);
    bool changed = diff_program_changed(&pd);
    const rubric_result *who = n ? n : o;
    if (changed && d->format == RUBRIC_DIFF_TEXT)
        diff_write_text(&pd, who, out);
    else if (changed && d->format == RUBRIC_DIFF_CSV)
        diff_write_csv(&pd, who, out);
    else if (changed)
        diff_write_json(&pd, who, out);
    if (pd.failed)
        out->failed = true;
    diff_program_free(&pd);
    return changed;
}

/* Every program of the old side with its partner on the new side (by id,
 * through the map), then the new side's programs left. */
static bool diff_sides(rubric_diff *d, const rubric_result **old_side, size_t nold,
                       const rubric_result **new_side, size_t nnew, bool *paired, strbuf *out)
{
    bool changed = false;
    for (size_t i = 0; i < nold; i++) {
        const char *id = new_id_of(d, old_side[i]->program_id);
        const rubric_result *n = NULL;
        for (size_t k = 0; k < nnew && !n; k++) {
            if (!paired[k] && strcmp(new_side[k]->program_id, id) == 0) {
                n = new_side[k];
                paired[k] = true;
            }
        }
        changed |= diff_pair(d, old_side[i], n, out);
    }
    for (size_t k = 0; k < nnew; k++)
        if (!paired[k])
            changed |= diff_pair(d, NULL, new_side[k], out);
    return changed;
}

rubric_status rubric_diff_partner(rubric_diff *d, const rubric_result *const *old_results,
                                  size_t old_count, const rubric_result *const *new_results,
                                  size_t new_count, rubric_write_fn write, void *user_data)
{
    if (!d || !write || (old_count && !old_results) || (new_count && !new_results))
        return RUBRIC_ERR_USAGE;
    const rubric_allocator *alloc = &d->config.allocator;
    size_t total = old_count + new_count;
    size_t size = (total ? total : 1) * (sizeof(const rubric_result *) + sizeof(bool));
    void *scratch = mem_alloc(alloc, size);
    if (!scratch)
        return RUBRIC_ERR_NOMEM;
    const rubric_result **old_side = scratch, **new_side = old_side + old_count;
    bool *paired = (bool *)(new_side + new_count);
    memset(paired, 0, new_count * sizeof *paired);
    size_t nold = latest(old_results, old_count, old_side);
    size_t nnew = latest(new_results, new_count, new_side);
    strbuf out;
    sb_init(&out, alloc);
    if (diff_sides(d, old_side, nold, new_side, nnew, paired, &out)) {
        diff_tally_partner_changed(&d->tally);
        sb_putc(&out, '\0');
    }
    mem_free(alloc, scratch, size);
    rubric_status status = out.failed ? RUBRIC_ERR_NOMEM : RUBRIC_OK;
    if (status == RUBRIC_OK && out.len && !write(user_data, out.data, out.len))
        status = RUBRIC_ERR_IO;
    sb_free(&out);
    return status;
}

/* ------------------------------------------------------------ output */

typedef struct sink {
    rubric_write_fn write;
    void *user_data;
    bool ok;
} sink;

static void put(sink *s, const char *bytes, size_t len)
{
    if (s->ok && len)
        s->ok = s->write(s->user_data, bytes, len);
}

static void put_str(sink *s, const char *text)
{
    put(s, text, strlen(text));
}

/* The json opening, the csv header: once, before anything else. */
static void start(rubric_diff *d, sink *s)
{
    if (d->started)
        return;
    d->started = true;
    if (d->format == RUBRIC_DIFF_JSON) {
        put_str(s, "{\"changes\":[");
    } else if (d->format == RUBRIC_DIFF_CSV) {
        strbuf header;
        sb_init(&header, &d->config.allocator);
        diff_write_csv_header(&header);
        if (header.failed)
            d->failed = true;
        put(s, header.data, header.len);
        sb_free(&header);
    }
}

/* json: the elements (one per line in the records) separated by ",\n". */
static void put_json(rubric_diff *d, sink *s, const char *bytes, size_t len)
{
    while (len) {
        if (!d->mid_line) {
            put_str(s, d->wrote_any ? ",\n" : "\n");
            d->wrote_any = d->mid_line = true;
        }
        const char *nl = memchr(bytes, '\n', len);
        size_t n = nl ? (size_t)(nl - bytes) : len;
        put(s, bytes, n);
        if (nl) {
            d->mid_line = false;
            n++;
        }
        bytes += n;
        len -= n;
    }
}

/* A piece of a listed partner's record. */
static void emit(rubric_diff *d, sink *s, const char *bytes, size_t len)
{
    if (d->format == RUBRIC_DIFF_TEXT)
        sb_append(&d->listed, bytes, len);
    else if (d->format == RUBRIC_DIFF_JSON)
        put_json(d, s, bytes, len);
    else
        put(s, bytes, len);
}

rubric_status rubric_diff_output(rubric_diff *d, const char *records, size_t length,
                                 rubric_write_fn write, void *user_data)
{
    if (!d || !write || (length && !records))
        return RUBRIC_ERR_USAGE;
    sink s = {write, user_data, true};
    start(d, &s);
    while (length) {
        const char *end = memchr(records, '\0', length);
        size_t n = end ? (size_t)(end - records) : length;
        bool listing = d->limit == 0 || d->records < d->limit;
        if (listing)
            emit(d, &s, records, n);
        if (end) {
            d->omitted += !listing;
            d->records++;
            n++;
        }
        records += n;
        length -= n;
    }
    if (d->listed.failed || d->failed)
        return RUBRIC_ERR_NOMEM;
    return s.ok ? RUBRIC_OK : RUBRIC_ERR_IO;
}

void rubric_diff_summary(const rubric_diff *d, uint64_t partners, char *buffer, size_t size)
{
    if (!buffer || !size)
        return;
    const diff_tally *t = &d->tally;
    int n = snprintf(buffer, size,
                     "%llu partners evaluated, %llu changed: %llu eligible tiers changed "
                     "(up %llu, down %llu)",
                     (unsigned long long)partners, (unsigned long long)t->partners_changed,
                     (unsigned long long)t->tiers_changed, (unsigned long long)t->tiers_up,
                     (unsigned long long)t->tiers_down);
    if ((t->programs_added || t->programs_removed) && n > 0 && (size_t)n < size)
        snprintf(buffer + n, size - (size_t)n, "; programs added %llu, removed %llu",
                 (unsigned long long)t->programs_added,
                 (unsigned long long)t->programs_removed);
}

static void finish_text(rubric_diff *d, uint64_t partners, strbuf *out)
{
    diff_tally_text(&d->tally, out);
    if (d->listed.len) /* an empty strbuf has no data */
        sb_append(out, d->listed.data, d->listed.len);
    if (d->omitted)
        sb_printf(out, "... and %llu more partners changed (listed: the first %llu)\n",
                  (unsigned long long)d->omitted, (unsigned long long)d->limit);
    char line[300];
    rubric_diff_summary(d, partners, line, sizeof line);
    sb_printf(out, "%s\n", line);
}

static void finish_json(rubric_diff *d, uint64_t partners, strbuf *out)
{
    const diff_tally *t = &d->tally;
    sb_puts(out, d->wrote_any ? "\n],\n\"matrices\":" : "],\n\"matrices\":");
    diff_tally_json(t, out);
    sb_printf(out,
              ",\n\"summary\":{\"partners\":%llu,\"changed\":%llu,\"eligible_tiers_changed\":"
              "%llu,\"up\":%llu,\"down\":%llu,\"programs_added\":%llu,"
              "\"programs_removed\":%llu,\"not_listed\":%llu}}\n",
              (unsigned long long)partners, (unsigned long long)t->partners_changed,
              (unsigned long long)t->tiers_changed, (unsigned long long)t->tiers_up,
              (unsigned long long)t->tiers_down, (unsigned long long)t->programs_added,
              (unsigned long long)t->programs_removed, (unsigned long long)d->omitted);
}

rubric_status rubric_diff_finish(rubric_diff *d, uint64_t partners, rubric_write_fn write,
                                 void *user_data)
{
    if (!d || !write)
        return RUBRIC_ERR_USAGE;
    sink s = {write, user_data, true};
    start(d, &s);
    diff_tally_sort(&d->tally);
    strbuf out;
    sb_init(&out, &d->config.allocator);
    if (d->format == RUBRIC_DIFF_TEXT)
        finish_text(d, partners, &out);
    else if (d->format == RUBRIC_DIFF_JSON)
        finish_json(d, partners, &out);
    rubric_status status = out.failed || d->failed || d->tally.failed || d->listed.failed
                               ? RUBRIC_ERR_NOMEM
                               : RUBRIC_OK;
    if (status == RUBRIC_OK) {
        put(&s, out.data, out.len);
        status = s.ok ? RUBRIC_OK : RUBRIC_ERR_IO;
    }
    sb_free(&out);
    return status;
}
