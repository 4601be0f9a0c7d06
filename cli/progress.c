/* progress.c — what `rubric eval` says while and after it runs, on
 * standard error: a progress bar on a terminal, the end-of-run line, and
 * diagnostics capped per kind (docs/cli.md, "Feedback"). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

enum {
    REDRAW_NS = 100000000, /* at most ten times a second */
    BAR_WIDTH = 24
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void cli_feedback_init(cli_feedback *f, bool bar, bool stats_line, bool cap, bool color)
{
    memset(f, 0, sizeof *f);
    f->bar = bar;
    f->cap = cap;
    f->stats_line = stats_line;
    f->color = color;
    f->started = now_ns();
}

/* n with thousands separators: 39,997. */
static void put_count(FILE *out, uint64_t n)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%" PRIu64, n);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            fputc(',', out);
        fputc(digits[i], out);
    }
}

static void erase_bar(cli_feedback *f)
{
    if (!f->shown)
        return;
    fputs("\r\033[K", stderr);
    f->shown = false;
}

static void draw_bar(cli_feedback *f, uint64_t now)
{
    double seconds = (double)(now - f->started) / 1e9;
    double rate = seconds > 0 ? (double)f->partners / seconds : 0;
    fputs("\r\033[K", stderr);
    put_count(stderr, f->partners);
    fprintf(stderr, " partners, %.0f/s", rate);
    if (f->total_bytes) {
        uint64_t done = f->bytes_read < f->total_bytes ? f->bytes_read : f->total_bytes;
        int filled = (int)(done * BAR_WIDTH / f->total_bytes);
        fputs(" [", stderr);
        for (int i = 0; i < BAR_WIDTH; i++)
            fputc(i < filled ? '#' : '.', stderr);
        fprintf(stderr, "] %d%%", (int)(done * 100 / f->total_bytes));
        if (done && seconds > 0) {
            double eta = seconds * (double)(f->total_bytes - done) / (double)done;
            fprintf(stderr, ", ETA %.0f s", eta);
        }
    }
    fflush(stderr);
    f->shown = true;
    f->drawn = now;
}

void cli_feedback_progress(cli_feedback *f, const rubric_batch_progress *p)
{
    f->partners = p->partners;
    f->bytes_read = p->bytes_read;
    f->total_bytes = p->total_bytes;
    if (!f->bar)
        return;
    uint64_t now = now_ns();
    if (!f->drawn || now - f->drawn >= REDRAW_NS)
        draw_bar(f, now);
}

/* The kinds whose diagnostics are capped, and how each is counted. */
static const char *const KIND_NAMES[CLI_DIAG_KINDS] = {
    "duplicate partner ids", "errors", "warnings"};

static int kind_of(const rubric_batch_diag *d)
{
    if (d->severity == RUBRIC_SEVERITY_WARNING)
        return 2;
    return strncmp(d->message, "duplicate partner id ", 21) == 0 ? 0 : 1;
}

void cli_feedback_diag(cli_feedback *f, const rubric_batch_diag *d)
{
    int kind = kind_of(d);
    if (f->cap && f->shown_per_kind[kind] == CLI_DIAG_CAP) {
        f->hidden_per_kind[kind]++;
        return;
    }
    f->shown_per_kind[kind]++;
    erase_bar(f);
    cli_print_diag(d->input, d->line, d->column, d->severity == RUBRIC_SEVERITY_WARNING,
                   d->message, f->color);
}

void cli_feedback_finish(cli_feedback *f, const rubric_batch_stats *stats)
{
    erase_bar(f);
    for (int k = 0; k < CLI_DIAG_KINDS; k++) {
        if (!f->hidden_per_kind[k])
            continue;
        fputs("rubric: ... and ", stderr);
        put_count(stderr, f->hidden_per_kind[k]);
        fprintf(stderr, " more %s\n", KIND_NAMES[k]);
    }
    if (!f->stats_line || !stats)
        return;
    double seconds = (double)(now_ns() - f->started) / 1e9;
    put_count(stderr, f->partners);
    fputs(f->partners == 1 ? " partner, " : " partners, ", stderr);
    put_count(stderr, stats->results);
    fputs(stats->results == 1 ? " result, " : " results, ", stderr);
    put_count(stderr, stats->errors);
    fprintf(stderr, "%s in %.1f s\n", stats->errors == 1 ? " error" : " errors", seconds);
}
