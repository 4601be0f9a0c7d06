/* diag.c — the source table, diagnostics and their gcc-style rendering. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- sources */

void sources_init(source_table *t, const rubric_allocator *alloc)
{
    memset(t, 0, sizeof *t);
    t->alloc = alloc;
}

void sources_free(source_table *t)
{
    for (uint32_t i = 0; i < t->files.len; i++) {
        source_file *f = &t->files.items[i];
        mem_free(t->alloc, f->path, strlen(f->path) + 1);
        mem_free(t->alloc, f->text, f->len + 1);
        if (f->module_name)
            mem_free(t->alloc, f->module_name, strlen(f->module_name) + 1);
    }
    vec_free(t->alloc, &t->files);
}

uint32_t sources_add(source_table *t, const char *path, const char *text,
                     size_t len, const char *module_name, bool root)
{
    source_file f = {0};
    f.path = mem_strndup(t->alloc, path, strlen(path));
    f.text = mem_strndup(t->alloc, text, len);
    f.len = len;
    f.module_name = module_name ? mem_strndup(t->alloc, module_name, strlen(module_name))
                                : NULL;
    f.root = root;
    if (!f.path || !f.text || (module_name && !f.module_name) ||
        !vec_push(t->alloc, &t->files, f)) {
        if (f.path)
            mem_free(t->alloc, f.path, strlen(f.path) + 1);
        if (f.text)
            mem_free(t->alloc, f.text, len + 1);
        if (f.module_name)
            mem_free(t->alloc, f.module_name, strlen(f.module_name) + 1);
        return UINT32_MAX;
    }
    return t->files.len - 1;
}

/* ---------------------------------------------------------------- diags */

void diags_init(diag_list *l, const rubric_allocator *alloc,
                const source_table *sources)
{
    memset(l, 0, sizeof *l);
    l->alloc = alloc;
    l->sources = sources;
}

void diags_free(diag_list *l)
{
    for (uint32_t i = 0; i < l->items.len; i++) {
        diag *d = &l->items.items[i];
        mem_free(l->alloc, (void *)d->d.message, d->message_size);
        mem_free(l->alloc, (void *)d->d.hint, d->hint_size);
    }
    vec_free(l->alloc, &l->items);
}

/* The formatted text, in a block of *size bytes (a string builder's, so
 * larger than the text), or NULL when out of memory. */
static char *format_message(const rubric_allocator *a, size_t *size, const char *fmt,
                            va_list ap) __attribute__((format(printf, 3, 0)));

static char *format_message(const rubric_allocator *a, size_t *size, const char *fmt,
                            va_list ap)
{
    strbuf sb;
    sb_init(&sb, a);
    sb_vprintf(&sb, fmt, ap);
    return sb_take(&sb, size);
}

/* Bytes to underline: the span on its first line, at least one. */
static uint32_t span_length(ast_loc loc)
{
    if (loc.end_line == loc.line && loc.end_col >= loc.col)
        return loc.end_col - loc.col + 1;
    return 1;
}

static void add(diag_list *l, rubric_severity sev, ast_loc loc, const char *fmt,
                va_list ap) __attribute__((format(printf, 4, 0)));

static void add(diag_list *l, rubric_severity sev, ast_loc loc, const char *fmt,
                va_list ap)
{
    diag d = {0};
    d.file = loc.file;
    d.d.severity = sev;
    d.d.file = l->sources && loc.file < l->sources->files.len
                   ? l->sources->files.items[loc.file].path
                   : "<unknown>";
    d.d.line = loc.line;
    d.d.column = loc.col;
    d.d.length = span_length(loc);
    d.d.message = format_message(l->alloc, &d.message_size, fmt, ap);
    if (!d.d.message || !vec_push(l->alloc, &l->items, d)) {
        mem_free(l->alloc, (void *)d.d.message, d.message_size);
        l->oom = true;
    }
    if (sev == RUBRIC_SEVERITY_ERROR)
        l->errors++;
}

void diag_error(diag_list *l, ast_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(l, RUBRIC_SEVERITY_ERROR, loc, fmt, ap);
    va_end(ap);
}

void diag_warning(diag_list *l, ast_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(l, RUBRIC_SEVERITY_WARNING, loc, fmt, ap);
    va_end(ap);
}

void diag_hint(diag_list *l, const char *fmt, ...)
{
    if (l->items.len == 0)
        return;
    diag *last = &l->items.items[l->items.len - 1];
    va_list ap;
    va_start(ap, fmt);
    size_t size;
    char *hint = format_message(l->alloc, &size, fmt, ap);
    va_end(ap);
    if (!hint) {
        l->oom = true;
        return;
    }
    mem_free(l->alloc, (void *)last->d.hint, last->hint_size);
    last->d.hint = hint;
    last->hint_size = size;
}

/* ---------------------------------------------------------------- render */

/* The text of line `line` (from 1) of a source, without its newline. */
static const char *source_line(const source_file *f, uint32_t line, size_t *len)
{
    const char *p = f->text, *end = f->text + f->len;
    for (uint32_t n = 1; n < line && p < end; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return NULL;
        p = nl + 1;
    }
    if (p > end || (p == end && line > 1 && p[-1] != '\n'))
        return NULL;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (n && p[n - 1] == '\r')
        n--;
    *len = n;
    return p;
}

static const char *severity_word(rubric_severity s)
{
    switch (s) {
    case RUBRIC_SEVERITY_ERROR:
        return "error";
    case RUBRIC_SEVERITY_WARNING:
        return "warning";
    default:
        return "note";
    }
}

static const char *severity_color(rubric_severity s)
{
    switch (s) {
    case RUBRIC_SEVERITY_ERROR:
        return "\033[1;31m";
    case RUBRIC_SEVERITY_WARNING:
        return "\033[1;35m";
    default:
        return "\033[1;36m";
    }
}

static void render_header(strbuf *out, const diag *d, rubric_severity sev,
                          const char *message, bool color)
{
    if (color)
        sb_puts(out, "\033[1m");
    sb_printf(out, "%s:%u:%u: ", d->d.file, d->d.line, d->d.column);
    if (color)
        sb_printf(out, "%s%s:\033[0m\033[1m %s\033[0m\n", severity_color(sev),
                  severity_word(sev), message);
    else
        sb_printf(out, "%s: %s\n", severity_word(sev), message);
}

static void render_excerpt(strbuf *out, const diag *d, const source_table *sources,
                           bool color)
{
    if (!sources || d->file >= sources->files.len || d->d.line == 0)
        return;
    size_t len;
    const char *text = source_line(&sources->files.items[d->file], d->d.line, &len);
    if (!text)
        return;
    char num[16];
    int width = snprintf(num, sizeof num, "%u", d->d.line);
    if (width < 4)
        width = 4;
    sb_printf(out, " %*u | ", width, d->d.line);
    /* Tabs become spaces so that the caret lines up. */
    for (size_t i = 0; i < len; i++)
        sb_putc(out, text[i] == '\t' ? ' ' : text[i]);
    sb_putc(out, '\n');
    sb_printf(out, " %*s | ", width, "");
    size_t col = d->d.column ? d->d.column - 1 : 0;
    if (col > len)
        col = len;
    sb_pad(out, ' ', col);
    size_t under = d->d.length;
    if (col + under > len && len > col)
        under = len - col;
    if (under == 0)
        under = 1;
    if (color)
        sb_puts(out, "\033[1;32m");
    sb_putc(out, '^');
    sb_pad(out, '~', under - 1);
    if (color)
        sb_puts(out, "\033[0m");
    sb_putc(out, '\n');
}

void diag_render_all(const diag_list *l, bool color, strbuf *out)
{
    for (uint32_t i = 0; i < l->items.len; i++) {
        const diag *d = &l->items.items[i];
        render_header(out, d, d->d.severity, d->d.message, color);
        render_excerpt(out, d, l->sources, color);
        if (d->d.hint)
            render_header(out, d, RUBRIC_SEVERITY_NOTE, d->d.hint, color);
    }
}

/* ---------------------------------------------------------------- suggest */

/* Optimal string alignment distance, capped at limit + 1. */
static size_t edit_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return limit + 1;
    if ((la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const char *suggest_name(const char *name, const char *const *candidates,
                         size_t count)
{
    size_t limit = strlen(name) / 3;
    if (limit < 1)
        limit = 1;
    const char *best = NULL;
    size_t best_distance = limit + 1;
    for (size_t i = 0; i < count; i++) {
        if (!candidates[i] || strcmp(candidates[i], name) == 0)
            continue;
        size_t dist = edit_distance(name, candidates[i], limit);
        if (dist < best_distance) {
            best_distance = dist;
            best = candidates[i];
        }
    }
    return best;
}
