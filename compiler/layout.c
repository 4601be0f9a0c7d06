/*
 * layout.c — the layout layer: lines and blocks from indentation
 * (layout.h).
 *
 * Each raw token is held until the layout before it is decided: the
 * NEWLINE, DEDENTs and INDENT it calls for are sent first, then the token.
 */
#include "layout.h"

#include <string.h>

#include "lex.h"

/* ------------------------------------------------------------ token classes */

/* A line whose last token is one of these continues on the next. */
static bool asks_for_more(int kind)
{
    switch (kind) {
    case T_AND: case T_OR: case T_NOT: case T_WHERE: case T_EQ: case T_NE: case T_LE:
    case T_GE: case T_COALESCE: case T_IN: case T_THEN: case T_ELSE:
    case '+': case '*': case '/': case '<': case '>': case '=': case ',':
        return true;
    default:
        return false;
    }
}

/* A line starting with one of these continues the previous one. */
static bool continues_previous(int kind)
{
    return kind == T_THEN || kind == T_ELSE;
}

/* Tokens that only start a statement. */
static bool starts_statement(int kind)
{
    switch (kind) {
    case T_LET: case T_REQUIREMENT: case T_PART: case T_CATEGORY: case T_PROGRAM:
    case T_RECORD: case T_ENUM: case T_FN: case T_SCHEMA: case T_IMPORT: case T_MODULE:
    case T_NOT_APPLICABLE: case T_GRACE: case T_AT_RISK: case T_ALIAS: case T_TIERS:
    case T_APPLIES: case T_EXTENDS: case T_FOR:
        return true;
    default:
        return false;
    }
}

/* ------------------------------------------------------------ blocks */

static void read_raw(parse_ctx *ctx, parse_token *t)
{
    memset(t, 0, sizeof *t);
    t->kind = ctx->fatal ? 0 : lex_next(ctx, &t->value, &t->loc);
    if (t->kind == 0) {
        ast_loc end = {ctx->file, ctx->line, ctx->col, ctx->line, ctx->col};
        t->loc = end;
        t->offset = ctx->offset;
        return;
    }
    t->offset = ctx->tok_offset;
    t->len = ctx->tok_len;
}

/* Indentation of a token that starts its line. */
static uint32_t indent_of(const parse_ctx *ctx, const parse_token *t)
{
    return ctx->bol_line == t->loc.line ? ctx->bol_width : t->loc.col - 1;
}

static uint32_t top_indent(const parse_ctx *ctx)
{
    return ctx->nindents ? ctx->indents[ctx->nindents - 1] : 0;
}

static bool push_level(parse_ctx *ctx, uint32_t indent, const ast_loc *loc)
{
    if (ctx->nindents == PARSE_MAX_BLOCKS) {
        parse_error(ctx, *loc, "blocks are nested too deeply (more than %d levels)",
                    PARSE_MAX_BLOCKS);
        ctx->fatal = true;
        return false;
    }
    ctx->indents[ctx->nindents] = indent;
    ctx->nindents++;
    return true;
}

/* Close the blocks deeper than indent: a DEDENT for each. */
static void close_levels(parse_ctx *ctx, uint32_t indent)
{
    while (ctx->nindents && ctx->indents[ctx->nindents - 1] > indent) {
        ctx->nindents--;
        ctx->pending_dedents++;
    }
}

/* The first token of a logical line: open or close blocks. */
static void start_line(parse_ctx *ctx)
{
    parse_token *t = &ctx->held;
    if (t->kind == 0) {
        close_levels(ctx, 0);
        return;
    }
    uint32_t indent = indent_of(ctx, t);
    if (indent > top_indent(ctx)) {
        if (push_level(ctx, indent, &t->loc))
            ctx->pending_indent = true;
    } else if (indent < top_indent(ctx)) {
        /* Between two open blocks' indentations: an error; the line is
         * read as part of the deeper block. */
        uint32_t keep = ctx->nindents;
        while (keep && ctx->indents[keep - 1] > indent)
            keep--;
        if (keep < ctx->nindents && (keep ? ctx->indents[keep - 1] : 0) < indent) {
            parse_error(ctx, t->loc, "this line is indented %u spaces, which matches no "
                        "enclosing block (%u or %u)", indent, keep ? ctx->indents[keep - 1] : 0,
                        ctx->indents[keep]);
            indent = ctx->indents[keep];
        }
        close_levels(ctx, indent);
    }
    ctx->line_open = true;
    ctx->line_indent = indent;
    ctx->held_starts_line = true;
}

/* Whether the held token starts a new logical line. */
static bool ends_line(parse_ctx *ctx)
{
    const parse_token *t = &ctx->held;
    if (t->kind == 0)
        return true;
    if (t->loc.line <= ctx->last.loc.end_line)
        return false;
    /* A statement keyword back at the line's indentation starts a new
     * line even after an unclosed bracket or a dangling operator: the
     * parser then reports the line that is cut short. */
    if (starts_statement(t->kind) && indent_of(ctx, t) <= ctx->line_indent) {
        ctx->brackets = 0;
        return true;
    }
    return !ctx->brackets && !asks_for_more(ctx->last.kind) && !continues_previous(t->kind);
}

static void place_held(parse_ctx *ctx)
{
    if (ctx->line_open) {
        if (!ends_line(ctx))
            return;
        ctx->pending_newline = true;
        ctx->line_open = false;
    }
    start_line(ctx);
}

/* ------------------------------------------------------------ error recovery */

/* Drop tokens until one starts a line indented at most `indent`; it is
 * held, to start the next logical line. */
static void drop_until_indent(parse_ctx *ctx, uint32_t indent)
{
    uint32_t line = ctx->held.loc.line;
    for (;;) {
        if (ctx->held.kind == 0 ||
            (ctx->held.loc.line > line && indent_of(ctx, &ctx->held) <= indent))
            break;
        line = ctx->held.loc.end_line;
        read_raw(ctx, &ctx->held);
    }
    ctx->have_held = true;
    ctx->held_placed = false;
    ctx->line_open = false;
    ctx->brackets = 0;
}

/* A bad line was followed by a deeper block: skip the block, which
 * belongs to a header the parser could not read. */
static void drop_deeper_block(parse_ctx *ctx)
{
    ctx->nindents--;
    drop_until_indent(ctx, top_indent(ctx));
}

/* The parser did not expect the INDENT it was given: skip that block and
 * end the line, where the parser resumes. */
static void drop_orphan_block(parse_ctx *ctx)
{
    if (!ctx->nindents)
        return;
    ctx->nindents--;
    ctx->last.loc = ctx->held.loc;
    drop_until_indent(ctx, top_indent(ctx));
    ctx->pending_newline = true;
}

/* ------------------------------------------------------------ tokens out */

static int send(parse_ctx *ctx, int kind, ast_loc at, ast_loc *loc)
{
    *loc = at;
    ctx->prev = ctx->last;
    ctx->last.kind = kind;
    ctx->last.offset = ctx->held.offset;
    ctx->last.len = 0;
    return kind;
}

/* Where a NEWLINE is: just after the line's last token. */
static ast_loc after_last(const parse_ctx *ctx)
{
    ast_loc at = ctx->last.loc;
    at.line = at.end_line;
    at.col = at.end_col = at.end_col + 1;
    return at;
}

static ast_loc start_of_held(const parse_ctx *ctx)
{
    ast_loc at = ctx->held.loc;
    at.end_line = at.line;
    at.end_col = at.col;
    return at;
}

static int hand_over(parse_ctx *ctx, RBP_STYPE *value, ast_loc *loc)
{
    parse_token *t = &ctx->held;
    *value = t->value;
    *loc = t->loc;
    ctx->prev = ctx->last;
    ctx->last = *t;
    if (t->kind == 0)
        return 0; /* stays held: the parser may ask again */
    ctx->have_held = false;
    parse_log_token(ctx, t->kind, t->loc, ctx->held_starts_line);
    ctx->held_starts_line = false;
    if (t->kind == '(' || t->kind == '[' || t->kind == '{') {
        if (++ctx->brackets > PARSE_MAX_BRACKETS) {
            parse_error(ctx, t->loc, "brackets are nested too deeply (more than %d levels)",
                        PARSE_MAX_BRACKETS);
            ctx->fatal = true;
        }
    } else if ((t->kind == ')' || t->kind == ']' || t->kind == '}') && ctx->brackets) {
        ctx->brackets--;
    }
    return t->kind;
}

int rbp_lex(RBP_STYPE *value, ast_loc *loc, parse_ctx *ctx)
{
    if (ctx->start) {
        /* What the parse reads, rules or a test file: outside the layout. */
        int start = ctx->start;
        ctx->start = 0;
        *loc = (ast_loc){ctx->file, 1, 1, 1, 1};
        return start;
    }
    bool skip_deeper = ctx->skip_deeper;
    ctx->skip_deeper = false;
    if (ctx->skip_orphan) {
        ctx->skip_orphan = false;
        drop_orphan_block(ctx);
    }
    for (;;) {
        if (ctx->pending_newline) {
            ctx->pending_newline = false;
            ast_loc at = after_last(ctx);
            return send(ctx, T_NEWLINE, at, loc);
        }
        if (ctx->pending_dedents) {
            ctx->pending_dedents--;
            return send(ctx, T_DEDENT, start_of_held(ctx), loc);
        }
        if (ctx->pending_indent) {
            ctx->pending_indent = false;
            if (skip_deeper) {
                drop_deeper_block(ctx);
                continue;
            }
            return send(ctx, T_INDENT, start_of_held(ctx), loc);
        }
        if (!ctx->have_held) {
            read_raw(ctx, &ctx->held);
            ctx->have_held = true;
            ctx->held_placed = false;
        }
        if (!ctx->held_placed) {
            ctx->held_placed = true;
            place_held(ctx);
            continue;
        }
        return hand_over(ctx, value, loc);
    }
}
