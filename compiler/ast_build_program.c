/*
 * ast_build_program.c — the tree's requirements and programs: measures
 * and thresholds, requirement families, a program's clauses, and the
 * clauses of per-item programs (ast_build.h).
 */
#include "ast_build.h"

#include <string.h>

#include "parse_ctx.h"

/* ------------------------------------------------------------ requirements */

ast_threshold ast_make_threshold(ast_threshold_kind kind, parse_vec columns, ast_loc loc)
{
    ast_threshold t = {kind, columns.items, columns.count, loc};
    return t;
}

parse_measure *ast_new_measure(parse_ctx *ctx, ast_expr *e, ast_threshold th)
{
    parse_measure *m = parse_alloc(ctx, sizeof *m);
    m->expr = e;
    m->threshold = th;
    return m;
}

void ast_set_measure(parse_ctx *ctx, ast_req *r, parse_measure *m)
{
    if (ctx->oom)
        return;
    if (r->measure) {
        parse_error(ctx, m->expr->loc, "a requirement has one measure; this is a second one "
                    "(the first is at line %u)", r->measure->loc.line);
        return;
    }
    r->measure = m->expr;
    r->threshold = m->threshold;
}

/* A measure on the header line comes before one in the block: the one in
 * the block is reported as the second. */
ast_req *ast_finish_req(parse_ctx *ctx, ast_req *body, ast_name id, const char *title,
                        ast_loc title_loc, int flags, parse_measure *m, ast_loc loc)
{
    ast_req *r = body ? body : parse_alloc(ctx, sizeof *r);
    if (m && !ctx->oom) {
        ast_expr *later = r->measure;
        ast_threshold later_th = r->threshold;
        r->measure = NULL;
        ast_set_measure(ctx, r, m);
        if (later) {
            parse_measure second = {later, later_th};
            ast_set_measure(ctx, r, &second);
        }
    }
    r->id = id;
    r->title = title;
    r->title_loc = title_loc;
    r->time_bound = flags & REQ_FLAG_TIME_BOUND;
    r->either = flags & REQ_FLAG_EITHER;
    r->loc = loc;
    return r;
}

ast_expr *ast_required_column(parse_ctx *ctx, const char *word, ast_loc loc)
{
    if (strcmp(word, "yes") != 0)
        parse_error(ctx, loc, "a `required` column is `yes` or `-`, not '%s'", word);
    return ast_literal_bool(ctx, true, loc);
}

/* ------------------------------------------------------------ families */

/* The lexer reads `audit_{area}` as a name and a braced name; the id is
 * one word only when nothing stands between them. */
ast_name ast_id_piece(parse_ctx *ctx, const ast_name *head, const char *piece, bool braced,
                      ast_loc loc)
{
    size_t n = strlen(piece);
    if (braced && (loc.end_line != loc.line || loc.end_col - loc.col + 1 != n + 2))
        parse_error(ctx, loc, "write {%s} with nothing else inside the braces", piece);
    if (head->loc.end_line != loc.line || head->loc.end_col + 1 != loc.col)
        parse_error(ctx, loc, "a requirement's id is one word: write it without spaces, "
                    "such as audit_{area}");
    size_t h = strlen(head->name);
    char *text = parse_alloc(ctx, h + n + 3);
    if (ctx->oom)
        return *head;
    memcpy(text, head->name, h);
    size_t at = h;
    if (braced)
        text[at++] = '{';
    memcpy(text + at, piece, n);
    at += n;
    if (braced)
        text[at++] = '}';
    text[at] = '\0';
    return ast_make_name(text, ast_span(head->loc, loc));
}

void ast_set_family(parse_ctx *ctx, ast_req *r, const char *each, ast_loc each_loc,
                    ast_name bound, ast_expr *values, ast_loc loc)
{
    if (ctx->oom || !ast_expect_word(ctx, each, "each", each_loc))
        return;
    ast_family *f = parse_alloc(ctx, sizeof *f);
    f->bound = bound;
    f->values = values;
    f->loc = loc;
    r->family = f;
}

/* ------------------------------------------------------------ programs */

void ast_check_version_word(parse_ctx *ctx, const char *word, ast_loc loc)
{
    if (strcmp(word, "version") != 0)
        parse_error(ctx, loc, "expected 'version' after the program's title, found '%s'", word);
}

void ast_set_extends(parse_ctx *ctx, ast_program *p, const char *base, ast_loc base_loc,
                     ast_loc loc)
{
    if (ctx->oom)
        return;
    if (p->extends) {
        parse_error(ctx, loc, "`extends` is given twice");
        return;
    }
    p->extends = base;
    p->extends_loc = base_loc;
}

void ast_set_tiers(parse_ctx *ctx, ast_program *p, parse_vec tiers, ast_expr *by, ast_loc loc)
{
    if (ctx->oom)
        return;
    if (p->tiers.count) {
        parse_error(ctx, loc, "`tiers` is given twice (first at line %u)",
                    p->tiers.items[0].loc.line);
        return;
    }
    p->tiers = (ast_name_list){tiers.items, tiers.count};
    p->tier_by = by;
}

void ast_set_window(parse_ctx *ctx, ast_program *p, ast_name which, ast_expr *window,
                    ast_expr *due, ast_loc due_loc)
{
    if (ctx->oom)
        return;
    if (strcmp(which.name, "rolling") == 0) {
        if (due)
            parse_error(ctx, due_loc, "only the renewal window has a `due` date");
        ast_set_once(ctx, &p->rolling, window, which.loc, "`rolling window`");
    } else if (strcmp(which.name, "renewal") == 0) {
        if (p->renewal)
            parse_error(ctx, which.loc, "`renewal window` is given twice (first at line %u)",
                        p->renewal->loc.line);
        else {
            p->renewal = window;
            p->due = due;
        }
    } else {
        parse_error(ctx, which.loc, "expected 'rolling window' or 'renewal window', found '%s'",
                    which.name);
    }
}

/* ------------------------------------------------------------ per-item programs */

void ast_set_for_each(parse_ctx *ctx, ast_program *p, const char *each, ast_loc each_loc,
                      ast_name elem, ast_expr *items, const char *report, ast_loc report_loc,
                      ast_name key, ast_expr *label, parse_vec columns, ast_loc loc)
{
    if (ctx->oom || !ast_expect_word(ctx, each, "each", each_loc) ||
        !ast_expect_word(ctx, report, "report", report_loc))
        return;
    if (label) {
        if (columns.count)
            parse_error(ctx, loc, "a per-item program's `for each … label` takes no block "
                        "of columns");
        if (p->each.name) {
            parse_error(ctx, loc, "a program is per item of one list (first at line %u)",
                        p->each.loc.line);
            return;
        }
        p->each = elem;
        p->items_key = key;
        p->items = items;
        p->item_label = label;
        return;
    }
    ast_report r = {key, elem, items, columns.items, columns.count, loc};
    parse_vec v = parse_vec_of(ctx, p->reports, p->nreports);
    parse_vec_add(ctx, &v, &r, sizeof r);
    p->reports = v.items;
    p->nreports = v.count;
}

/* The message of `error when`: each {name} in it becomes an argument, and
 * "{}" in the text. */
void ast_add_item_error(parse_ctx *ctx, ast_program *p, const char *word, ast_loc word_loc,
                        ast_expr *when, const char *msg, ast_loc msg_loc)
{
    if (ctx->oom || !ast_expect_word(ctx, word, "error", word_loc))
        return;
    size_t n = strlen(msg);
    char *text = parse_alloc(ctx, n + 1);
    parse_vec args = {0};
    size_t out = 0;
    for (size_t i = 0; i < n && !ctx->oom; i++) {
        const char *close = msg[i] == '{' ? strchr(msg + i, '}') : NULL;
        if (!close) {
            text[out++] = msg[i];
            continue;
        }
        size_t len = (size_t)(close - msg) - i - 1;
        ast_loc at = msg_loc;
        at.col += (uint32_t)i + 1;
        at.end_line = at.line;
        at.end_col = at.col + (uint32_t)len + 1;
        if (len == 0) {
            parse_error(ctx, at, "an empty {} in a message: name a value, {designation}");
            return;
        }
        parse_vec_add_ptr(ctx, &args,
                          ast_name_expr(ctx, parse_strndup(ctx, msg + i + 1, len), at));
        text[out++] = '{';
        text[out++] = '}';
        i += len + 1;
    }
    if (ctx->oom)
        return;
    text[out] = '\0';
    ast_item_error e = {when, text, args.items, args.count, ast_span(word_loc, msg_loc)};
    parse_vec v = parse_vec_of(ctx, p->errors, p->nerrors);
    parse_vec_add(ctx, &v, &e, sizeof e);
    p->errors = v.items;
    p->nerrors = v.count;
}
