/* rtest_parse.c — reading a test file: `test` blocks of `as_of`, `program`,
 * `data` and `expect` lines (docs/language.md "Tests"). */
#include <stdio.h>
#include <string.h>

#include "rtest.h"

#define MAX_WORDS 8

typedef struct parser {
    rtest_ctx *ctx;
    rtest_file *file;
    const char *dir;        /* the test file's directory, with its '/' */
    size_t dir_len;
    rtest_case defaults;    /* file-level as_of, program, data */
    rtest_case *current;    /* the test being read, or NULL */
    bool in_bad_test;       /* under a test header that had an error */
    bool ok;
} parser;

ast_loc rtest_loc(const rtest_file *file, rtest_word w)
{
    ast_loc loc = {file->source, w.line, w.col, w.line, w.col + (w.len ? w.len - 1 : 0)};
    return loc;
}

static void error_at(parser *p, rtest_word w, const char *message)
{
    diag_error(&p->ctx->diags, rtest_loc(p->file, w), "%s", message);
    p->ok = false;
}

/* ------------------------------------------------------------ words */

/* A string word: escapes \" \\ \n \t as in rules.  Returns the end, or NULL
 * when unterminated. */
static const char *read_string(parser *p, const char *s, const char *end, rtest_word *w)
{
    strbuf sb;
    sb_init(&sb, p->ctx->alloc);
    const char *c = s + 1;
    for (; c < end && *c != '"'; c++) {
        if (*c == '\\' && c + 1 < end) {
            c++;
            sb_putc(&sb, *c == 'n' ? '\n' : *c == 't' ? '\t' : *c);
        } else {
            sb_putc(&sb, *c);
        }
    }
    w->text = arena_strndup(&p->ctx->mem, sb.data ? sb.data : "", sb.len);
    sb_free(&sb);
    w->quoted = true;
    return c < end ? c + 1 : NULL;
}

/* Split a line into words (strings are one word; `#` starts a comment).
 * Returns the number of words, or -1 after reporting an error. */
static int split_words(parser *p, const char *line, const char *end, uint32_t lineno,
                       rtest_word *words)
{
    int n = 0;
    const char *c = line;
    while (c < end) {
        if (*c == ' ' || *c == '\t' || *c == '\r') {
            c++;
            continue;
        }
        if (*c == '#')
            break;
        rtest_word w = {NULL, lineno, (uint32_t)(c - line) + 1, 0, false};
        const char *stop;
        if (*c == '"') {
            stop = read_string(p, c, end, &w);
            if (!stop) {
                w.len = (uint32_t)(end - c);
                error_at(p, w, "unterminated string");
                return -1;
            }
        } else {
            stop = c;
            while (stop < end && *stop != ' ' && *stop != '\t' && *stop != '\r')
                stop++;
            w.text = arena_strndup(&p->ctx->mem, c, (size_t)(stop - c));
        }
        w.len = (uint32_t)(stop - c);
        if (n == MAX_WORDS) {
            error_at(p, w, "too many words on this line");
            return -1;
        }
        words[n++] = w;
        c = stop;
    }
    return n;
}

/* ------------------------------------------------------------ lines */

static bool is_word(rtest_word w, const char *text)
{
    return w.text && !w.quoted && strcmp(w.text, text) == 0;
}

static bool want_count(parser *p, const rtest_word *words, int n, int want, const char *form)
{
    if (n == want)
        return true;
    char message[200];
    snprintf(message, sizeof message, "expected %s", form);
    error_at(p, n > want ? words[want] : words[0], message);
    return false;
}

static bool want_string(parser *p, rtest_word w, const char *what)
{
    if (w.quoted)
        return true;
    char message[200];
    snprintf(message, sizeof message, "%s is written as a string in quotes", what);
    error_at(p, w, message);
    return false;
}

static const char *resolve_data_path(parser *p, const char *name)
{
    if (name[0] == '/' || p->dir_len == 0)
        return name;
    size_t n = strlen(name);
    char *path = arena_alloc(&p->ctx->mem, p->dir_len + n + 1);
    if (!path)
        return name;
    memcpy(path, p->dir, p->dir_len);
    memcpy(path + p->dir_len, name, n + 1);
    return path;
}

/* `as_of`, `program` or `data "file"`: a setting of a test or of the file. */
static bool parse_setting(parser *p, rtest_case *c, const rtest_word *words, int n)
{
    if (is_word(words[0], "as_of")) {
        if (want_count(p, words, n, 2, "as_of YYYY-MM-DD"))
            c->as_of = words[1];
        return true;
    }
    if (is_word(words[0], "program")) {
        if (want_count(p, words, n, 2, "program \"ID\"") &&
            want_string(p, words[1], "a program id"))
            c->program = words[1];
        return true;
    }
    if (is_word(words[0], "data")) {
        c->data_word = words[0];
        c->data_path = NULL;
        c->data_block = NULL;
        if (n == 1)
            return true;
        if (want_count(p, words, n, 2, "data \"FILE.json\", or data and an indented JSON "
                       "object") && want_string(p, words[1], "a data file")) {
            c->data_path = resolve_data_path(p, words[1].text);
            c->data_word = words[1];
        }
        return true;
    }
    return false;
}

static const struct {
    const char *word;
    rtest_expect_kind kind;
} scalar_expects[] = {
    {"eligible_tier", EXPECT_ELIGIBLE_TIER},   {"current_tier", EXPECT_CURRENT_TIER},
    {"renewal_tier", EXPECT_RENEWAL_TIER},     {"renewal_status", EXPECT_RENEWAL_STATUS},
    {"review_date", EXPECT_REVIEW_DATE},       {"upgrade_tier", EXPECT_UPGRADE_TIER},
    {"upgrade_eligible", EXPECT_UPGRADE_ELIGIBLE},
};

static bool is_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* expect application "LABEL" (ready | not_ready | REQ STATUS [ACTUAL]) */
static bool parse_item_expect(parser *p, const rtest_word *words, int n, rtest_expect *e)
{
    if ((n != 4 && n != 5 && n != 6) || !words[2].quoted) {
        error_at(p, n > 6 ? words[6] : words[1],
                 "expected 'expect application \"LABEL\" ready' (or not_ready), or "
                 "'expect application \"LABEL\" REQUIREMENT STATUS [ACTUAL]'");
        return false;
    }
    e->view = words[2];
    if (n == 4) {
        e->kind = EXPECT_ITEM_STATUS;
        e->status = words[3];
        return true;
    }
    e->kind = EXPECT_ITEM_REQUIREMENT;
    e->requirement = words[3];
    e->status = words[4];
    if (n == 6)
        e->value = words[5];
    return true;
}

/* `expect ...` after the word `expect` (words[0]). */
static void parse_expect(parser *p, const rtest_word *words, int n)
{
    rtest_expect e = {0};
    if (n < 2) {
        error_at(p, words[0], "expect what? e.g. 'expect eligible_tier Select' or "
                 "'expect Select launched_opportunities met 3'");
        return;
    }
    e.keyword = words[1];
    for (size_t i = 0; i < sizeof scalar_expects / sizeof scalar_expects[0]; i++) {
        if (is_word(words[1], scalar_expects[i].word)) {
            e.kind = scalar_expects[i].kind;
            char form[80];
            snprintf(form, sizeof form, "expect %s VALUE", scalar_expects[i].word);
            if (!want_count(p, words, n, 3, form))
                return;
            e.value = words[2];
            goto add;
        }
    }
    if (is_word(words[1], "application")) {
        if (!parse_item_expect(p, words, n, &e))
            return;
    } else if (n == 5 && !words[2].quoted && is_digits(words[2].text)) {
        e.kind = EXPECT_ROW;
        e.view = words[1];
        e.row = words[2];
        e.requirement = words[3];
        e.value = words[4];
    } else if (is_word(words[1], "not_applied")) {
        e.kind = EXPECT_NOT_APPLIED;
        if (!want_count(p, words, n, 2, "expect not_applied"))
            return;
    } else if (is_word(words[1], "error")) {
        e.kind = EXPECT_ERROR;
        if (!want_count(p, words, n, 3, "expect error \"part of the message\"") ||
            !want_string(p, words[2], "the expected error"))
            return;
        e.value = words[2];
    } else {
        if (n < 4 || n > 5) {
            error_at(p, n > 5 ? words[5] : words[0],
                     "expected 'expect TIER REQUIREMENT STATUS [ACTUAL]' or "
                     "'expect renewal REQUIREMENT STATUS [ACTUAL]'");
            return;
        }
        e.kind = is_word(words[3], "absent") ? EXPECT_ABSENT : EXPECT_REQUIREMENT;
        e.view = words[1];
        e.requirement = words[2];
        e.status = words[3];
        if (n == 5)
            e.value = words[4];
        if (e.kind == EXPECT_ABSENT && n == 5) {
            error_at(p, words[4], "an absent requirement has no actual value");
            return;
        }
    }
add:
    if (!vec_push(p->ctx->alloc, &p->current->expects, e))
        p->ok = false;
}

static void start_test(parser *p, const rtest_word *words, int n)
{
    p->current = NULL;
    p->in_bad_test = true; /* its lines are not reported once more */
    if (!want_count(p, words, n, 2, "test \"what it shows\"") ||
        !want_string(p, words[1], "a test's title"))
        return;
    p->in_bad_test = false;
    rtest_case c = p->defaults;
    memset(&c.expects, 0, sizeof c.expects);
    c.name = words[1];
    if (!vec_push(p->ctx->alloc, &p->file->cases, c)) {
        p->ok = false;
        return;
    }
    p->current = &p->file->cases.items[p->file->cases.len - 1];
}

static void parse_line(parser *p, const rtest_word *words, int n, uint32_t indent)
{
    if (indent == 0) {
        if (is_word(words[0], "test")) {
            start_test(p, words, n);
            return;
        }
        p->current = NULL;
        p->in_bad_test = false;
        if (!parse_setting(p, &p->defaults, words, n))
            error_at(p, words[0], "expected 'test \"title\"', or a setting for every test of "
                     "the file: as_of, program or data");
        return;
    }
    if (!p->current) {
        if (!p->in_bad_test)
            error_at(p, words[0], "this line is indented but belongs to no test");
        return;
    }
    if (is_word(words[0], "expect"))
        parse_expect(p, words, n);
    else if (!parse_setting(p, p->current, words, n))
        error_at(p, words[0], "expected as_of, program, data or expect");
}

/* ------------------------------------------------------------ blocks */

static uint32_t indent_of(const char *line, const char *end)
{
    const char *c = line;
    while (c < end && *c == ' ')
        c++;
    return (uint32_t)(c - line);
}

static bool is_blank(const char *line, const char *end)
{
    const char *c = line;
    while (c < end && (*c == ' ' || *c == '\t' || *c == '\r'))
        c++;
    return c == end || *c == '#';
}

/* The JSON block under a bare `data`: the lines indented deeper than it,
 * as written.  Returns the first line after it. */
static const char *read_data_block(parser *p, rtest_case *c, const char *at, const char *end,
                                   uint32_t data_indent, uint32_t *lineno)
{
    strbuf sb;
    sb_init(&sb, p->ctx->alloc);
    uint32_t first = *lineno + 1;
    bool content = false;
    while (at < end) {
        const char *eol = memchr(at, '\n', (size_t)(end - at));
        const char *stop = eol ? eol : end;
        /* Empty lines may sit inside the JSON; a comment at the data line's
         * indentation or shallower ends it, like any other line there. */
        bool empty = indent_of(at, stop) == (uint32_t)(stop - at);
        if (!empty && indent_of(at, stop) <= data_indent)
            break;
        content = content || !empty;
        sb_append(&sb, at, (size_t)(stop - at));
        sb_putc(&sb, '\n');
        (*lineno)++;
        at = eol ? eol + 1 : end;
    }
    if (content) {
        c->data_block = arena_strndup(&p->ctx->mem, sb.data, sb.len);
        c->data_block_line = first;
    } else if (!c->data_path) {
        error_at(p, c->data_word, "data needs a file (data \"partner.json\") or an "
                 "indented JSON object on the lines below");
    }
    sb_free(&sb);
    return at;
}

static void set_dir(parser *p, const char *path)
{
    const char *slash = strrchr(path, '/');
    p->dir = path;
    p->dir_len = slash ? (size_t)(slash - path) + 1 : 0;
}

bool rtest_parse(rtest_ctx *ctx, const char *path, uint32_t source, rtest_file *out)
{
    memset(out, 0, sizeof *out);
    out->path = path;
    out->source = source;
    parser p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.file = out;
    p.ok = true;
    set_dir(&p, path);
    const source_file *src = &ctx->sources.files.items[source];
    const char *at = src->text, *end = src->text + src->len;
    uint32_t lineno = 0;
    while (at < end) {
        const char *eol = memchr(at, '\n', (size_t)(end - at));
        const char *stop = eol ? eol : end;
        lineno++;
        const char *next = eol ? eol + 1 : end;
        uint32_t indent = indent_of(at, stop);
        rtest_word words[MAX_WORDS];
        if (indent < (uint32_t)(stop - at) && at[indent] == '\t') {
            rtest_word tab = {NULL, lineno, indent + 1, 1, false};
            error_at(&p, tab, "a tab in indentation; indent with spaces");
        } else if (!is_blank(at, stop)) {
            int n = split_words(&p, at, stop, lineno, words);
            if (n > 0) {
                parse_line(&p, words, n, indent);
                /* A data block belongs to the test, or at the top to the file. */
                rtest_case *owner = indent == 0 ? &p.defaults : p.current;
                if (owner && is_word(words[0], "data"))
                    next = read_data_block(&p, owner, next, end, indent, &lineno);
            }
        }
        at = next;
    }
    if (ctx->mem.failed || ctx->diags.oom) {
        cli_error("out of memory");
        p.ok = false;
    }
    return p.ok;
}
