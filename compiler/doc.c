/*
 * doc.c — the Markdown reference of rules modules (doc.h).
 */
#include "doc.h"

#include <string.h>

/* ------------------------------------------------------------ source lines */

/* The source text of a loaded file, and its lines by number. */
typedef struct source_view {
    const char *text;
    size_t len;
} source_view;

static source_view view_of(const sema *s, uint32_t file)
{
    const source_file *sf = &s->c->sources.files.items[s->c->files.items[file].source];
    source_view v = {sf->text, sf->len};
    return v;
}

/* Start of line `line` (from 1), or NULL past the end. */
static const char *line_start(source_view v, uint32_t line)
{
    const char *p = v.text, *end = v.text + v.len;
    for (uint32_t l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return NULL;
        p = nl + 1;
    }
    return p;
}

static size_t line_length(source_view v, const char *start)
{
    const char *end = v.text + v.len;
    const char *nl = memchr(start, '\n', (size_t)(end - start));
    size_t n = (size_t)((nl ? nl : end) - start);
    if (n && start[n - 1] == '\r')
        n--;
    return n;
}

static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/* The text of a comment line without `#` and one space; NULL if the line
 * is not a comment. */
static const char *comment_text(const char *line, size_t n, size_t *text_len)
{
    const char *end = line + n, *p = skip_blanks(line, end);
    if (p == end || *p != '#')
        return NULL;
    p++;
    if (p < end && *p == ' ')
        p++;
    *text_len = (size_t)(end - p);
    return p;
}

/* A section rule: `# ----------- Title`; returns the title, or NULL. */
static const char *section_title(const char *text, size_t n, size_t *title_len)
{
    size_t dashes = 0;
    while (dashes < n && text[dashes] == '-')
        dashes++;
    if (dashes < 8)
        return NULL;
    const char *p = skip_blanks(text + dashes, text + n);
    *title_len = (size_t)(text + n - p);
    return p;
}

/* The comment block directly above `line`: its first line number, or
 * `line` when there is none. */
static uint32_t comment_block_start(source_view v, uint32_t line)
{
    uint32_t first = line;
    while (first > 1) {
        const char *l = line_start(v, first - 1);
        size_t tl;
        if (!l || !comment_text(l, line_length(v, l), &tl))
            break;
        first--;
    }
    return first;
}

/* ------------------------------------------------------------ writing */

typedef struct doc_writer {
    sema *s;
    strbuf *out;
    source_view src;
} doc_writer;

/* Calls fn for each line of the comment block above `line`, with its text
 * and, for a section rule, its title. */
typedef void (*comment_line_fn)(doc_writer *w, const char *text, size_t n, const char *title,
                                size_t title_len);

static void each_comment_line(doc_writer *w, uint32_t line, comment_line_fn fn)
{
    for (uint32_t l = comment_block_start(w->src, line); l < line; l++) {
        const char *start = line_start(w->src, l);
        size_t n = 0, tl = 0;
        const char *text = comment_text(start, line_length(w->src, start), &n);
        const char *title = section_title(text, n, &tl);
        fn(w, text, n, title, tl);
    }
}

static void put_section(doc_writer *w, const char *text, size_t n, const char *title,
                        size_t title_len)
{
    (void)text, (void)n;
    if (title && title_len)
        sb_printf(w->out, "### %.*s\n\n", (int)title_len, title);
}

static void put_comment_line(doc_writer *w, const char *text, size_t n, const char *title,
                             size_t title_len)
{
    (void)title_len;
    if (!title)
        sb_printf(w->out, "%.*s\n", (int)n, text);
}

/* A section rule in the comment above a declaration starts a section: its
 * heading goes before the declaration's. */
static void write_sections(doc_writer *w, uint32_t line)
{
    each_comment_line(w, line, put_section);
}

/* The documentation comment above `line`, as a paragraph (lines kept as
 * written), without its section rules. */
static void write_comment(doc_writer *w, uint32_t line)
{
    size_t before = w->out->len;
    each_comment_line(w, line, put_comment_line);
    if (w->out->len > before)
        sb_putc(w->out, '\n');
}

/* The source text from the start of line `from` to the end of line `to`. */
static void write_source_lines(doc_writer *w, uint32_t from, uint32_t to)
{
    for (uint32_t l = from; l <= to; l++) {
        const char *start = line_start(w->src, l);
        if (!start)
            break;
        sb_printf(w->out, "%.*s\n", (int)line_length(w->src, start), start);
    }
}

/* The source text of a declaration's part: from one location to another
 * on the same line (a type as written, `list of Individual`). */
static void write_span(doc_writer *w, ast_loc loc)
{
    const char *start = line_start(w->src, loc.line);
    if (!start)
        return;
    size_t n = line_length(w->src, start);
    uint32_t from = loc.col ? loc.col - 1 : 0;
    /* end_col is the column of the last character. */
    uint32_t to = loc.end_line == loc.line && loc.end_col > from ? loc.end_col : (uint32_t)n;
    if (from > n)
        from = (uint32_t)n;
    if (to > n)
        to = (uint32_t)n;
    sb_append(w->out, start + from, to - from);
}

/* A declaration's source, as a code block. */
static void write_definition(doc_writer *w, ast_loc loc)
{
    sb_puts(w->out, "```\n");
    write_source_lines(w, loc.line, loc.end_line);
    sb_puts(w->out, "```\n\n");
}

static void write_enum(doc_writer *w, const ast_enum *e)
{
    write_sections(w, e->name.loc.line);
    sb_printf(w->out, "#### enum `%s`\n\n", e->name.name);
    write_comment(w, e->name.loc.line);
    sb_puts(w->out, e->ordered ? "Values, in order: " : "Values: ");
    for (uint32_t i = 0; i < e->values.count; i++)
        sb_printf(w->out, "%s`%s`", i ? (e->ordered ? " < " : ", ") : "",
                  e->values.items[i].name);
    for (uint32_t i = 0; i < e->naliases; i++)
        sb_printf(w->out, "%s`%s` is another name for `%s`", i ? "; " : ". ",
                  e->aliases[i].name.name, e->aliases[i].target.name);
    sb_puts(w->out, ".\n\n");
}

static void write_field_notes(doc_writer *w, const ast_field *f)
{
    const char *sep = "";
    if (f->annotations & FIELD_ANN_KEY)
        sb_puts(w->out, "key (the partner id)"), sep = "; ";
    if (f->annotations & FIELD_ANN_LABEL)
        sb_printf(w->out, "%slabel (the partner name)", sep), sep = "; ";
    if (f->annotations & FIELD_ANN_TAG)
        sb_printf(w->out, "%stag (when present, must name the schema)", sep), sep = "; ";
    if (f->default_value) {
        sb_printf(w->out, "%sdefault `", sep);
        write_span(w, f->default_value->loc);
        sb_putc(w->out, '`');
        sep = "; ";
    }
    if (f->required_when) {
        sb_printf(w->out, "%srequired when `", sep);
        write_span(w, f->required_when->loc);
        sb_putc(w->out, '`');
        sep = "; ";
    }
    /* The comment above the field, on one line of the table. */
    uint32_t line = f->name.loc.line;
    for (uint32_t l = comment_block_start(w->src, line); l < line; l++) {
        const char *start = line_start(w->src, l);
        size_t n = 0;
        const char *text = comment_text(start, line_length(w->src, start), &n);
        sb_printf(w->out, "%s%.*s", sep, (int)n, text);
        sep = " ";
    }
}

/* keyword: "record", or "extend record" for the fields a module adds. */
static void write_record(doc_writer *w, const char *keyword, const ast_record *r)
{
    write_sections(w, r->name.loc.line);
    sb_printf(w->out, "#### %s `%s`\n\n", keyword, r->name.name);
    write_comment(w, r->name.loc.line);
    sb_puts(w->out, "| field | type | notes |\n|---|---|---|\n");
    for (uint32_t i = 0; i < r->nfields; i++) {
        const ast_field *f = &r->fields[i];
        sb_printf(w->out, "| `%s` | `", f->name.name);
        write_span(w, f->type->loc);
        sb_puts(w->out, "` | ");
        write_field_notes(w, f);
        sb_puts(w->out, " |\n");
    }
    sb_putc(w->out, '\n');
}

static void write_let(doc_writer *w, const ast_let *let)
{
    const let_info *li = let->sema;
    write_sections(w, let->loc.line);
    sb_printf(w->out, "#### let `%s`", let->name.name);
    if (li && li->type != TY_ERROR)
        sb_printf(w->out, ": `%s`", sema_type_name(w->s, li->type));
    sb_puts(w->out, "\n\n");
    write_comment(w, let->loc.line);
    write_definition(w, let->loc);
}

static void write_fn(doc_writer *w, const ast_fn *fn)
{
    write_sections(w, fn->loc.line);
    sb_printf(w->out, "#### fn `%s(", fn->name.name);
    for (uint32_t i = 0; i < fn->nparams; i++) {
        sb_printf(w->out, "%s%s: ", i ? ", " : "", fn->params[i].name.name);
        write_span(w, fn->params[i].type->loc);
    }
    sb_puts(w->out, ")");
    if (fn->ret) {
        sb_puts(w->out, ": ");
        write_span(w, fn->ret->loc);
    }
    sb_puts(w->out, "`\n\n");
    write_comment(w, fn->loc.line);
    write_definition(w, fn->loc);
}

/* The comment at the top of the file, before its first declaration. */
static void write_file_comment(doc_writer *w, const ast_file *ast)
{
    uint32_t line = ast->module.name ? ast->module.loc.line : 1;
    write_comment(w, line);
}

static void write_schema(doc_writer *w, const ast_schema *schema)
{
    sb_printf(w->out, "Partner files declare the schema `%s`; each file's top-level record "
              "is a `%s`.\n\n", schema->id, schema->root.name);
}

static void write_file(doc_writer *w, const ast_file *ast)
{
    sb_printf(w->out, "## Module `%s`\n\n", ast->module.name ? ast->module.name : "(main)");
    write_file_comment(w, ast);
    for (uint32_t i = 0; i < ast->nitems; i++) {
        const ast_item *it = &ast->items[i];
        switch (it->kind) {
        case ITEM_SCHEMA:
            write_schema(w, it->u.schema);
            break;
        case ITEM_ENUM:
            write_enum(w, it->u.enum_);
            break;
        case ITEM_RECORD:
            write_record(w, "record", it->u.record);
            break;
        case ITEM_EXTEND:
            write_record(w, "extend record", it->u.record);
            break;
        case ITEM_LET:
            write_let(w, it->u.let);
            break;
        case ITEM_FN:
            write_fn(w, it->u.fn);
            break;
        case ITEM_PROGRAM:
        case ITEM_TABLE:
            /* Programs are documented by their scorecards; tables by
             * their rows in the source. */
            break;
        }
    }
}

bool doc_render(sema *s, const uint32_t *files, uint32_t nfiles, strbuf *out)
{
    for (uint32_t i = 0; i < nfiles; i++) {
        const ast_file *ast = s->c->files.items[files[i]].ast;
        if (!ast)
            continue;
        doc_writer w = {s, out, view_of(s, files[i])};
        write_file(&w, ast);
    }
    return !out->failed;
}
