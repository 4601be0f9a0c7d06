/*
 * parse.c — the entry points of the grammar (parse.h): one parse of one
 * source file, rules or tests, its memory and its error sink
 * (parse_ctx.h).
 */
#include "parse.h"

#include <stdio.h>
#include <string.h>

#include "lex.h"
#include "parse_ctx.h"

/* ------------------------------------------------------------ errors */

void parse_verror(parse_ctx *ctx, ast_loc loc, const char *fmt, va_list ap)
{
    if (ctx->fatal || ctx->errors > PARSE_MAX_ERRORS)
        return;
    ctx->errors++;
    if (ctx->errors > PARSE_MAX_ERRORS) {
        diag_error(ctx->diags, loc, "too many syntax errors; giving up on this file");
        ctx->fatal = true;
        return;
    }
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    diag_error(ctx->diags, loc, "%s", msg);
}

void parse_error(parse_ctx *ctx, ast_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    parse_verror(ctx, loc, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------ memory */

void *parse_alloc(parse_ctx *ctx, size_t size)
{
    void *p = arena_calloc(ctx->mem, 1, size);
    if (!p) {
        ctx->oom = true;
        ctx->fatal = true;
        memset(ctx->scratch, 0, sizeof ctx->scratch);
        return ctx->scratch;
    }
    return p;
}

char *parse_strndup(parse_ctx *ctx, const char *s, size_t len)
{
    char *p = arena_strndup(ctx->mem, s, len);
    if (!p) {
        ctx->oom = true;
        ctx->fatal = true;
        return (char *)"";
    }
    return p;
}

void *parse_stack_copy(parse_ctx *ctx, const void *old, size_t used, size_t size)
{
    void *p = arena_alloc(ctx->mem, size);
    if (!p) {
        ctx->oom = true;
        ctx->fatal = true;
        return NULL;
    }
    memcpy(p, old, used);
    return p;
}

void parse_log_token(parse_ctx *ctx, int kind, ast_loc loc, bool starts_line)
{
    if (!ctx->token_log)
        return;
    parse_token_info t = {kind, loc, ctx->nindents, starts_line};
    parse_vec_add(ctx, ctx->token_log, &t, sizeof t);
}

/* ------------------------------------------------------------ entry */

/* Scan and parse ctx's text; false when it could not be scanned at all
 * (reported, or out of memory).  flex's fatal errors (lex_fatal) land
 * here, and what the scanner holds is freed. */
static bool scan_and_parse(parse_ctx *ctx)
{
    if (setjmp(ctx->scanner_failed)) {
        lex_release(ctx);
        return false;
    }
    if (!lex_open(ctx))
        return false;
    rbp_parse(ctx);
    lex_close(ctx);
    return true;
}

/* Parse source file `file` from the start token `start` (T_START_RULES or
 * T_START_TESTS).  NULL when out of memory; *read false when the file
 * could not be scanned at all (reported). */
static parse_ctx *parse_source(uint32_t file, arena *mem, diag_list *diags, int start,
                               parse_vec *token_log, bool *read)
{
    const source_file *src = &diags->sources->files.items[file];
    parse_ctx *ctx = arena_calloc(mem, 1, sizeof *ctx);
    ast_file *out = arena_calloc(mem, 1, sizeof *out);
    if (!ctx || !out)
        return NULL;
    ctx->mem = mem;
    ctx->diags = diags;
    ctx->file = file;
    ctx->text = src->text;
    ctx->len = src->len;
    ctx->out = out;
    ctx->start = start;
    ctx->token_log = token_log;
    out->file = file;
    *read = scan_and_parse(ctx);
    return ctx->oom ? NULL : ctx;
}

ast_file *parse_file(uint32_t file, arena *mem, diag_list *diags)
{
    bool read;
    parse_ctx *ctx = parse_source(file, mem, diags, T_START_RULES, NULL, &read);
    if (!ctx || !read)
        return ctx ? ctx->out : NULL;
    ast_file *out = ctx->out;
    out->items = ctx->items.items;
    out->nitems = ctx->items.count;
    out->imports = (ast_name_list){ctx->imports.items, ctx->imports.count};
    return ctx->oom ? NULL : out;
}

rubric_test_file *parse_test_file(uint32_t file, arena *mem, diag_list *diags)
{
    bool read;
    parse_ctx *ctx = parse_source(file, mem, diags, T_START_TESTS, NULL, &read);
    if (!ctx)
        return NULL;
    const char *path = diags->sources->files.items[file].path;
    rubric_test_file *out = read ? ast_test_file(ctx, path) : parse_alloc(ctx, sizeof *out);
    out->path = path;
    return ctx->oom ? NULL : out;
}

bool parse_tokens(uint32_t file, arena *mem, diag_list *diags, bool tests,
                  parse_token_info **tokens, uint32_t *count)
{
    bool read;
    parse_vec log = {0};
    parse_ctx *ctx = parse_source(file, mem, diags, tests ? T_START_TESTS : T_START_RULES,
                                  &log, &read);
    if (!ctx)
        return false;
    *tokens = log.items;
    *count = log.count;
    return true;
}
