/*
 * fmt.c — `rubric fmt`: a rules or rule-test source in the one canonical
 * style (rubric.h "Formatting", docs/fmt.md).
 *
 * The source is read by the grammar itself (parse_tokens): a file with a
 * syntax error is not formatted, and what is printed is exactly the
 * tokens and comments the parser read, in their order, each spelled as
 * written (`at least` and durations with one blank inside).  Only the
 * blanks between them change, so formatting cannot change what the
 * rules mean; the line breaks stay where the author put them:
 *
 *   - a logical line is indented two spaces per open block; a line that
 *     continues it, two more, and two more for each bracket still open
 *     that an earlier continuation line opened;
 *   - one space between tokens, none inside brackets, before `,` `.` `:`
 *     `?` and a call's `(`, none after a unary `-`; three before a
 *     threshold and before the measure on a requirement's or part's own
 *     line; the cells of a decision table aligned in columns, with a
 *     comment in the table that has as many cells (`# kind | action`);
 *   - a comment on its own line is indented as the line after it (as the
 *     block it closes, when it was written inside that block); a comment
 *     after code, two spaces after it;
 *   - at most one blank line in a row, none at the start or end, no blank
 *     at the end of a line, one newline at the end of the file;
 *   - the JSON block of a test's `data` keeps its own layout, moved with
 *     its `data` line.
 */
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "parse.h"
#include "parser.h"

enum {
    FMT_STEP = 2,          /* spaces per block or continuation level */
    FMT_WIDE_GAP = 3,      /* before a threshold or a header's measure */
    FMT_COMMENT_GAP = 2,   /* before a comment after code */
    FMT_MAX_COLUMNS = 64,  /* decision-table columns aligned */
    FMT_MAX_DEPTH = 128    /* above the layout's PARSE_MAX_BLOCKS */
};

typedef enum header_state { HDR_NONE, HDR_ID, HDR_FLAGS } header_state;

/* Bytes of a comment's cell: `kind` in `# kind | action`. */
typedef struct fmt_cell {
    const char *s;
    uint32_t len;
} fmt_cell;

typedef struct fmt_state {
    const char *text;
    size_t len;
    const uint32_t *line_start; /* offset of line i (from 1) */
    uint32_t nlines;
    const parse_token_info *toks;
    uint32_t ntoks;
    strbuf *out;

    /* The logical line being printed. */
    uint32_t depth;
    uint32_t indent;            /* its indentation, printed */
    uint32_t orig_indent;       /* and as written */
    uint32_t orig_at_depth[FMT_MAX_DEPTH]; /* the last line start's, per depth */
    uint32_t first_line;        /* its first line, as written */
    uint32_t open;              /* brackets open */
    uint32_t open_first;        /* of them, opened on its first line */
    header_state header;        /* in a requirement's or part's header */
    bool quantifier;            /* after `any` or `all`, before its `(` */
    const parse_token_info *prev_code; /* on this logical line */
    bool prev_unary;

    /* A decision table: its depth, the line of its last row, and its
     * columns' widths. */
    bool in_table, in_row;
    uint32_t table_depth, table_end_line, ncolumns;
    uint32_t widths[FMT_MAX_COLUMNS];
    uint32_t column, cell_width;

    bool printed;               /* anything yet */
    uint32_t prev_end_line;     /* last line of what was printed last */
} fmt_state;

/* ------------------------------------------------------------ tokens */

static bool is_code(const parse_token_info *t)
{
    return t->kind != PARSE_COMMENT;
}

static const char *token_start(const fmt_state *st, const parse_token_info *t)
{
    return st->text + st->line_start[t->loc.line] + t->loc.col - 1;
}

/* Bytes of a one-line token or comment as written (a comment without
 * the blanks and carriage return at its end). */
static uint32_t token_len(const fmt_state *st, const parse_token_info *t)
{
    uint32_t len = t->loc.end_col >= t->loc.col ? t->loc.end_col - t->loc.col + 1 : 0;
    if (t->kind == PARSE_COMMENT) {
        const char *s = token_start(st, t);
        while (len > 1 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
            len--;
    }
    return len;
}

/* Width of a token as printed (print_token). */
static uint32_t printed_len(const fmt_state *st, const parse_token_info *t)
{
    if (t->kind == T_AT_LEAST)
        return (uint32_t)strlen("at least");
    if (t->kind == T_AT_MOST)
        return (uint32_t)strlen("at most");
    if (t->kind == T_DURATION) {
        const char *s = token_start(st, t);
        uint32_t len = token_len(st, t);
        uint32_t digits = (uint32_t)strspn(s, "0123456789");
        uint32_t blanks = (uint32_t)strspn(s + digits, " \t");
        return len - blanks + 1;
    }
    return token_len(st, t);
}

static void print_token(fmt_state *st, const parse_token_info *t)
{
    const char *s = token_start(st, t);
    uint32_t len = token_len(st, t);
    if (t->kind == T_AT_LEAST) {
        sb_puts(st->out, "at least");
    } else if (t->kind == T_AT_MOST) {
        sb_puts(st->out, "at most");
    } else if (t->kind == T_DURATION) {
        /* `12   months`: one token, one blank inside. */
        uint32_t digits = (uint32_t)strspn(s, "0123456789");
        uint32_t blanks = (uint32_t)strspn(s + digits, " \t");
        sb_append(st->out, s, digits);
        sb_putc(st->out, ' ');
        sb_append(st->out, s + digits + blanks, len - digits - blanks);
    } else {
        sb_append(st->out, s, len);
    }
}

/* The next code token after i, or NULL. */
static const parse_token_info *next_code(const fmt_state *st, uint32_t i)
{
    for (uint32_t j = i + 1; j < st->ntoks; j++)
        if (is_code(&st->toks[j]))
            return &st->toks[j];
    return NULL;
}

static bool is_opener(int kind)
{
    return kind == '(' || kind == '[' || kind == '{';
}

static bool is_closer(int kind)
{
    return kind == ')' || kind == ']' || kind == '}';
}

/* Tokens after which a `-` subtracts. */
static bool ends_operand(int kind)
{
    switch (kind) {
    case T_IDENT: case T_INT: case T_MONEY: case T_DATE: case T_MONTH: case T_DURATION:
    case T_STRING: case T_TRUE: case T_FALSE: case T_NULL: case T_IT: case T_AS_OF:
    case T_WINDOW: case ')': case ']': case '}': case '?':
        return true;
    default:
        return false;
    }
}

/* `at least`, `at most`, or `required` not followed by `when` (a field's
 * `required when`). */
static bool starts_threshold(const fmt_state *st, uint32_t i)
{
    int kind = st->toks[i].kind;
    if (kind == T_AT_LEAST || kind == T_AT_MOST)
        return true;
    if (kind != T_REQUIRED)
        return false;
    const parse_token_info *next = next_code(st, i);
    return !next || next->kind != T_WHEN;
}

/* ------------------------------------------------------------ decision tables */

/* A table's header: `table NAME(...)` at the top level. */
static bool starts_table(const fmt_state *st, uint32_t i)
{
    const parse_token_info *t = &st->toks[i];
    if (t->kind != T_IDENT || !t->starts_line || t->depth != 0)
        return false;
    const parse_token_info *name = next_code(st, i);
    if (!name || name->kind != T_IDENT)
        return false;
    const parse_token_info *paren = next_code(st, (uint32_t)(name - st->toks));
    return paren && paren->kind == '(';
}

/* The cells of a comment `# kind | partner | action` (after its `#`,
 * blanks around each dropped); how many, 0 past FMT_MAX_COLUMNS. */
static uint32_t comment_cells(const fmt_state *st, const parse_token_info *t, fmt_cell *cells)
{
    const char *s = token_start(st, t);
    uint32_t len = token_len(st, t), n = 0, start = 1;
    for (uint32_t i = 1; i <= len; i++) {
        if (i < len && s[i] != '|')
            continue;
        if (n == FMT_MAX_COLUMNS)
            return 0;
        uint32_t from = start, to = i;
        while (from < to && s[from] == ' ')
            from++;
        while (to > from && s[to - 1] == ' ')
            to--;
        cells[n++] = (fmt_cell){s + from, to - from};
        start = i + 1;
    }
    return n;
}

/* A comment in a table's rows with a cell for each column: its header. */
static uint32_t table_comment_cells(const fmt_state *st, const parse_token_info *t,
                                    fmt_cell *cells)
{
    if (!st->in_table || t->loc.line >= st->table_end_line || st->ncolumns < 2)
        return 0;
    return comment_cells(st, t, cells) == st->ncolumns ? st->ncolumns : 0;
}

/* The widths of the columns of the table whose header is token i: its
 * rows are the logical lines one block deeper, until the block ends; a
 * comment among them with as many cells is aligned with them. */
static void measure_table(fmt_state *st, uint32_t i)
{
    memset(st->widths, 0, sizeof st->widths);
    st->in_table = true;
    st->table_depth = st->toks[i].depth;
    st->table_end_line = st->ncolumns = 0;
    uint32_t column = 0, width = 0, j = i + 1;
    for (; j < st->ntoks; j++) {
        const parse_token_info *t = &st->toks[j];
        if (!is_code(t))
            continue;
        if (t->starts_line) {
            if (t->depth <= st->table_depth)
                break;
            column = width = 0;
        }
        if (t->depth != st->table_depth + 1)
            continue;
        st->table_end_line = t->loc.line;
        if (t->kind == '|') {
            column++;
            width = 0;
        } else {
            width += (width ? 1 : 0) + printed_len(st, t);
            if (column < FMT_MAX_COLUMNS && width > st->widths[column])
                st->widths[column] = width;
        }
        if (column + 1 > st->ncolumns)
            st->ncolumns = column + 1;
    }
    fmt_cell cells[FMT_MAX_COLUMNS];
    for (uint32_t k = i + 1; k < j; k++) {
        uint32_t n = is_code(&st->toks[k]) ? 0 : table_comment_cells(st, &st->toks[k], cells);
        for (uint32_t c = 0; c < n; c++) {
            uint32_t w = cells[c].len + (c == 0 ? 2 : 0);
            if (w > st->widths[c])
                st->widths[c] = w;
        }
    }
}

/* A table's header comment, its cells aligned with the rows. */
static void print_table_comment(fmt_state *st, const fmt_cell *cells, uint32_t n)
{
    sb_puts(st->out, "# ");
    for (uint32_t c = 0; c < n; c++) {
        if (c)
            sb_puts(st->out, " | ");
        sb_append(st->out, cells[c].s, cells[c].len);
        uint32_t w = cells[c].len + (c == 0 ? 2 : 0);
        if (c + 1 < n && st->widths[c] > w)
            sb_pad(st->out, ' ', st->widths[c] - w);
    }
}

/* ------------------------------------------------------------ lines */

/* The first token of a logical line: what the line's state starts as. */
static void begin_line(fmt_state *st, uint32_t i)
{
    const parse_token_info *t = &st->toks[i];
    st->depth = t->depth < FMT_MAX_DEPTH ? t->depth : FMT_MAX_DEPTH - 1;
    st->indent = FMT_STEP * st->depth;
    st->orig_indent = t->loc.col - 1;
    st->orig_at_depth[st->depth] = st->orig_indent;
    st->first_line = t->loc.line;
    st->open = st->open_first = 0;
    st->header = t->kind == T_REQUIREMENT || t->kind == T_PART ? HDR_ID : HDR_NONE;
    st->quantifier = false;
    st->prev_code = NULL;
    st->prev_unary = false;
    if (st->in_table && t->depth <= st->table_depth)
        st->in_table = false;
    if (!st->in_table && starts_table(st, i))
        measure_table(st, i);
    st->in_row = st->in_table && t->depth == st->table_depth + 1;
    st->column = st->cell_width = 0;
}

/* Indentation of a line that continues the logical line, starting with t:
 * a step, and a step for each bracket still open that an earlier
 * continuation line opened (a bracket t closes is not counted). */
static uint32_t continuation_indent(const fmt_state *st, const parse_token_info *t)
{
    uint32_t nested = st->open - st->open_first;
    if (is_closer(t->kind) && nested)
        nested--;
    return st->indent + FMT_STEP + FMT_STEP * nested;
}

/* Indentation of a comment on its own line, token i: as the next line;
 * but when that line closes blocks and the comment was written inside one
 * of them, as the deepest such block it was written in. */
static uint32_t comment_indent(const fmt_state *st, uint32_t i)
{
    const parse_token_info *next = next_code(st, i);
    if (next && !next->starts_line)
        return continuation_indent(st, next);
    uint32_t next_depth = next ? next->depth : 0;
    uint32_t written = st->toks[i].loc.col - 1;
    if (st->printed)
        for (uint32_t d = st->depth; d > next_depth; d--)
            if (st->orig_at_depth[d] <= written)
                return FMT_STEP * d;
    return FMT_STEP * next_depth;
}

/* Blanks between the previous code token and t, on one line. */
static uint32_t gap_before(fmt_state *st, uint32_t i)
{
    const parse_token_info *t = &st->toks[i];
    const parse_token_info *p = st->prev_code;
    if (!is_code(t))
        return FMT_COMMENT_GAP;
    if (starts_threshold(st, i))
        return FMT_WIDE_GAP;
    if (st->header == HDR_FLAGS && t->kind != T_TIME_BOUND && t->kind != T_EITHER &&
        t->kind != T_FOR)
        return FMT_WIDE_GAP; /* the measure on a requirement's own line */
    if (!p)
        return 1;
    if (st->in_row && t->kind == '|') {
        uint32_t width = st->column < FMT_MAX_COLUMNS ? st->widths[st->column] : 0;
        return width > st->cell_width ? width - st->cell_width + 1 : 1;
    }
    if ((p->kind == '?' && t->kind == '?') || (st->prev_unary && t->kind == '-'))
        return 1; /* not `??`; `- -x` */
    if (is_opener(p->kind) || p->kind == '.' || st->prev_unary)
        return 0;
    if (is_closer(t->kind) || t->kind == ',' || t->kind == '.' || t->kind == ':' ||
        t->kind == '?')
        return 0;
    /* A family's id is one word: `audit_{area}`. */
    if (st->header == HDR_ID && p->kind != T_REQUIREMENT && p->kind != T_PART &&
        t->kind != T_STRING)
        return 0;
    if (t->kind == '(')
        return p->kind == T_IDENT && !st->quantifier ? 0 : 1;
    return 1;
}

/* What printing code token i changes in the line's state. */
static void after_code(fmt_state *st, uint32_t i, uint32_t gap)
{
    const parse_token_info *t = &st->toks[i];
    if (st->header == HDR_ID && (t->kind == T_STRING || starts_threshold(st, i)))
        st->header = t->kind == T_STRING ? HDR_FLAGS : HDR_NONE;
    else if (st->header == HDR_FLAGS && t->kind != T_TIME_BOUND && t->kind != T_EITHER)
        st->header = HDR_NONE;
    if (t->kind == T_ANY || t->kind == T_ALL)
        st->quantifier = true;
    else if (t->kind == '(')
        st->quantifier = false;
    /* Brackets nest: the last opened is closed first, and those of the
     * first line were opened before any other. */
    if (is_opener(t->kind)) {
        st->open++;
        st->open_first += t->loc.line == st->first_line;
    } else if (is_closer(t->kind) && st->open) {
        if (st->open == st->open_first)
            st->open_first--;
        st->open--;
    }
    bool unary = false;
    if (t->kind == '-' && !(st->prev_code && ends_operand(st->prev_code->kind))) {
        const parse_token_info *next = next_code(st, i);
        unary = next && next->loc.line == t->loc.line && next->kind != '|';
    }
    if (st->in_row) {
        if (t->kind == '|') {
            st->column++;
            st->cell_width = 0;
        } else {
            st->cell_width += (st->cell_width ? gap : 0) + printed_len(st, t);
        }
    }
    st->prev_unary = unary;
    st->prev_code = t;
}

static void new_lines(fmt_state *st, const parse_token_info *t)
{
    if (!st->printed)
        return;
    sb_putc(st->out, '\n');
    if (t->loc.line > st->prev_end_line + 1)
        sb_putc(st->out, '\n');
}

/* A test's JSON block: its lines as written, moved as far as its `data`
 * line was (the current logical line), blanks at their ends dropped. */
static void print_json(fmt_state *st, const parse_token_info *t)
{
    new_lines(st, t);
    int64_t shift = (int64_t)st->indent - (int64_t)st->orig_indent;
    for (uint32_t line = t->loc.line; line <= t->loc.end_line && line <= st->nlines; line++) {
        if (line > t->loc.line)
            sb_putc(st->out, '\n');
        const char *s = st->text + st->line_start[line];
        const char *end = line < st->nlines ? st->text + st->line_start[line + 1] - 1
                                            : st->text + st->len;
        while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
                           end[-1] == '\n'))
            end--;
        uint32_t lead = (uint32_t)strspn(s, " ");
        if (s + lead >= end)
            continue;
        int64_t indent = (int64_t)lead + shift;
        sb_pad(st->out, ' ', indent > 0 ? (size_t)indent : 0);
        sb_append(st->out, s + lead, (size_t)(end - s - lead));
    }
    st->printed = true;
    st->prev_end_line = t->loc.end_line;
}

static void print_all(fmt_state *st)
{
    for (uint32_t i = 0; i < st->ntoks; i++) {
        const parse_token_info *t = &st->toks[i];
        if (t->kind == T_JSON) {
            print_json(st, t);
            continue;
        }
        bool code = is_code(t);
        bool line_start = !st->printed || t->loc.line > st->prev_end_line;
        if (code && t->starts_line)
            begin_line(st, i);
        uint32_t gap = 0;
        if (line_start) {
            new_lines(st, t);
            uint32_t indent = !code            ? comment_indent(st, i)
                              : t->starts_line ? st->indent
                                               : continuation_indent(st, t);
            sb_pad(st->out, ' ', indent);
        } else {
            gap = gap_before(st, i);
            sb_pad(st->out, ' ', gap);
        }
        fmt_cell cells[FMT_MAX_COLUMNS];
        uint32_t ncells = !code && line_start ? table_comment_cells(st, t, cells) : 0;
        if (ncells)
            print_table_comment(st, cells, ncells);
        else
            print_token(st, t);
        if (code)
            after_code(st, i, gap);
        st->printed = true;
        st->prev_end_line = t->loc.end_line;
    }
    if (st->printed)
        sb_putc(st->out, '\n');
}

/* ------------------------------------------------------------ setup */

static int by_position(const void *a, const void *b)
{
    const parse_token_info *x = a, *y = b;
    if (x->loc.line != y->loc.line)
        return x->loc.line < y->loc.line ? -1 : 1;
    return x->loc.col < y->loc.col ? -1 : x->loc.col > y->loc.col;
}

/* Tokens in the order of the text (the scanner reads comments before the
 * layout hands over the token ahead of them), each once. */
static uint32_t sort_tokens(parse_token_info *toks, uint32_t n)
{
    if (!n)
        return 0;
    qsort(toks, n, sizeof *toks, by_position);
    uint32_t kept = 1;
    for (uint32_t i = 1; i < n; i++)
        if (by_position(&toks[i], &toks[kept - 1]) != 0)
            toks[kept++] = toks[i];
    return kept;
}

/* Offsets of the lines of text (line_start[1] is 0). */
static uint32_t *index_lines(arena *mem, const char *text, size_t len, uint32_t *nlines)
{
    uint32_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    uint32_t *starts = arena_alloc(mem, ((size_t)n + 2) * sizeof *starts);
    if (!starts)
        return NULL;
    uint32_t line = 1;
    starts[0] = starts[1] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            starts[++line] = (uint32_t)(i + 1);
    starts[n + 1] = (uint32_t)len + 1;
    *nlines = n;
    return starts;
}

static bool format_tokens(const char *text, size_t len, parse_token_info *toks, uint32_t n,
                          arena *mem, strbuf *out)
{
    /* Columns count from after a byte-order mark, which is not kept. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    fmt_state *st = arena_calloc(mem, 1, sizeof *st);
    if (!st)
        return false;
    st->text = text;
    st->len = len;
    st->line_start = index_lines(mem, text, len, &st->nlines);
    if (!st->line_start)
        return false;
    st->toks = toks;
    st->ntoks = sort_tokens(toks, n);
    st->out = out;
    print_all(st);
    return !out->failed;
}

rubric_status rubric_compiler_format(rubric_compiler *c, const char *path, const char *text,
                                     size_t length, rubric_source_kind kind, char **formatted,
                                     size_t *formatted_length)
{
    if (!c || !path || (!text && length) || !formatted || !formatted_length ||
        (kind != RUBRIC_SOURCE_RULES && kind != RUBRIC_SOURCE_TESTS))
        return RUBRIC_ERR_USAGE;
    *formatted = NULL;
    *formatted_length = 0;
    uint32_t errors = c->diags.errors;
    uint32_t source = sources_add(&c->sources, path, text ? text : "", length, NULL, false);
    if (source == UINT32_MAX)
        return RUBRIC_ERR_NOMEM;
    parse_token_info *toks = NULL;
    uint32_t n = 0;
    bool tests = kind == RUBRIC_SOURCE_TESTS;
    if (!parse_tokens(source, &c->mem, &c->diags, tests, &toks, &n) ||
        compiler_out_of_memory(c))
        return RUBRIC_ERR_NOMEM;
    if (c->diags.errors != errors)
        return RUBRIC_ERR_COMPILE;
    const source_file *src = &c->sources.files.items[source];
    strbuf out;
    sb_init(&out, &c->alloc);
    rubric_status st = RUBRIC_OK;
    if (!format_tokens(src->text, src->len, toks, n, &c->mem, &out) ||
        compiler_out_of_memory(c)) {
        st = RUBRIC_ERR_NOMEM;
    } else {
        /* Exactly length + 1 bytes, as rubric_free expects of a string. */
        *formatted = mem_strndup(&c->alloc, out.data ? out.data : "", out.len);
        *formatted_length = out.len;
        if (!*formatted)
            st = RUBRIC_ERR_NOMEM;
    }
    sb_free(&out);
    return st;
}
