/*
 * lex.c — what the scanner's patterns (grammar/lexer.l) call for every
 * token: positions and indentation, errors, and the checks of encoding;
 * and the scanner's memory (lex.h).
 */
#include "lex.h"

#include <string.h>

/* ------------------------------------------------------------ scanner memory */

/*
 * flex frees and resizes blocks without saying their size, which the
 * allocator needs; and a fatal error part way through setting up a buffer
 * leaves blocks that flex no longer points to.  So each block carries its
 * size and sits on a list of what the scanner holds, which lex_release
 * frees whatever state flex is in.
 */
struct lex_block {
    struct lex_block *next, *prev;
    size_t size; /* bytes of data */
    _Alignas(max_align_t) unsigned char data[];
};

static void link_block(parse_ctx *ctx, struct lex_block *b)
{
    b->prev = NULL;
    b->next = ctx->scanner_blocks;
    if (b->next)
        b->next->prev = b;
    ctx->scanner_blocks = b;
}

static void unlink_block(parse_ctx *ctx, struct lex_block *b)
{
    if (b->prev)
        b->prev->next = b->next;
    else
        ctx->scanner_blocks = b->next;
    if (b->next)
        b->next->prev = b->prev;
}

static struct lex_block *block_of(void *ptr)
{
    return (struct lex_block *)((unsigned char *)ptr - offsetof(struct lex_block, data));
}

void *lex_alloc(parse_ctx *ctx, size_t size)
{
    if (!ctx || size > SIZE_MAX - sizeof(struct lex_block))
        return NULL;
    struct lex_block *b = mem_alloc(ctx->mem->alloc, sizeof *b + size);
    if (!b)
        return NULL;
    b->size = size;
    link_block(ctx, b);
    return b->data;
}

void *lex_realloc(parse_ctx *ctx, void *ptr, size_t size)
{
    if (!ptr)
        return lex_alloc(ctx, size);
    if (size > SIZE_MAX - sizeof(struct lex_block))
        return NULL;
    struct lex_block *b = block_of(ptr);
    unlink_block(ctx, b);
    struct lex_block *moved =
        mem_realloc(ctx->mem->alloc, b, sizeof *b + b->size, sizeof *b + size);
    if (moved) {
        moved->size = size;
        b = moved;
    }
    link_block(ctx, b);
    return moved ? moved->data : NULL;
}

void lex_free(parse_ctx *ctx, void *ptr)
{
    if (!ptr)
        return;
    struct lex_block *b = block_of(ptr);
    unlink_block(ctx, b);
    mem_free(ctx->mem->alloc, b, sizeof *b + b->size);
}

void lex_release(parse_ctx *ctx)
{
    while (ctx->scanner_blocks)
        lex_free(ctx, ctx->scanner_blocks->data);
    ctx->scanner = NULL;
}

_Noreturn void lex_fatal(parse_ctx *ctx, const char *msg)
{
    /* flex says "out of dynamic memory in yy_create_buffer()" and the
     * like; its other fatal errors cannot happen to a scanner that reads
     * one buffer of memory, but are reported should one ever. */
    if (strstr(msg, "out of dynamic memory") || strstr(msg, "out of memory")) {
        ctx->oom = true;
    } else {
        ast_loc at = {ctx->file, ctx->line, ctx->col, ctx->line, ctx->col};
        parse_error(ctx, at, "the scanner failed: %s", msg);
    }
    ctx->fatal = true;
    longjmp(ctx->scanner_failed, 1);
}

/* ------------------------------------------------------------ errors */

void lex_error(parse_ctx *ctx, ast_loc loc, const char *fmt, ...)
{
    if (loc.line == ctx->skipped_line)
        return;
    va_list ap;
    va_start(ap, fmt);
    parse_verror(ctx, loc, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------ positions */

void lex_advance(parse_ctx *ctx, ast_loc *loc, const char *text, size_t len)
{
    loc->file = ctx->file;
    loc->line = loc->end_line = ctx->line;
    loc->col = loc->end_col = ctx->col;
    for (size_t i = 0; i < len; i++) {
        loc->end_line = ctx->line;
        loc->end_col = ctx->col;
        if (text[i] == '\n') {
            ctx->line++;
            ctx->col = 1;
        } else {
            ctx->col++;
        }
    }
    ctx->tok_offset = ctx->offset;
    ctx->tok_len = (uint32_t)len;
    ctx->offset += (uint32_t)len;
}

void lex_retreat(parse_ctx *ctx, ast_loc *loc, uint32_t keep)
{
    ctx->offset = ctx->tok_offset + keep;
    ctx->tok_len = keep;
    ctx->line = loc->line;
    ctx->col = loc->col + keep;
    loc->end_line = loc->line;
    loc->end_col = loc->col + keep - 1;
}

ast_loc lex_byte_loc(const ast_loc *loc, size_t i)
{
    ast_loc at = *loc;
    at.col = at.end_col = loc->col + (uint32_t)i;
    at.end_line = at.line;
    return at;
}

void lex_indentation(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len)
{
    uint32_t width = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '\t') {
            width++;
            continue;
        }
        /* The block structure is unknowable from here on: stop, with
         * one clear diagnostic rather than a cascade. */
        parse_error(ctx, lex_byte_loc(loc, i), "a tab in indentation; indent with spaces");
        ctx->fatal = true;
        return;
    }
    ctx->bol_line = loc->line;
    ctx->bol_width = width;
}

/* ------------------------------------------------------------ UTF-8 */

uint32_t lex_utf8_sequence(const unsigned char *s, size_t len)
{
    if (s[0] < 0x80)
        return 1;
    uint32_t n;
    uint32_t cp;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        n = 2;
        cp = s[0] & 0x1f;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3;
        cp = s[0] & 0x0f;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (uint32_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

void lex_check_utf8(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        uint32_t n = lex_utf8_sequence(s + i, len - i);
        if (s[i] == '\0') {
            lex_error(ctx, lex_byte_loc(loc, i), "a NUL byte in the source");
            return;
        }
        if (!n) {
            lex_error(ctx, lex_byte_loc(loc, i), "invalid UTF-8 byte 0x%02x", s[i]);
            return;
        }
        i += n;
    }
}

int lex_stray(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len)
{
    unsigned char c = (unsigned char)text[0];
    if (c == '\0')
        lex_error(ctx, *loc, "a NUL byte in the source");
    else if (c >= 0x80 && lex_utf8_sequence((const unsigned char *)text, len) == 0)
        lex_error(ctx, *loc, "invalid UTF-8 byte 0x%02x", c);
    else if (c >= 0x80 || (c > 0x20 && c < 0x7f))
        lex_error(ctx, *loc, "unexpected character '%.*s'", (int)len, text);
    else
        lex_error(ctx, *loc, "unexpected control character 0x%02x", c);
    return RBP_UNDEF;
}
