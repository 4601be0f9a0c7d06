/* mem.c — allocator hook, arena, vectors and string builder. */
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *libc_realloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    (void)ud;
    (void)old_size;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, new_size);
}

rubric_allocator mem_default_allocator(void)
{
    rubric_allocator a = {libc_realloc, NULL};
    return a;
}

void *mem_alloc(const rubric_allocator *a, size_t size)
{
    if (size == 0)
        size = 1;
    return a->realloc(a->user_data, NULL, 0, size);
}

void *mem_calloc(const rubric_allocator *a, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    size_t bytes = count * size;
    void *p = mem_alloc(a, bytes);
    if (p && bytes)
        memset(p, 0, bytes);
    return p;
}

void *mem_realloc(const rubric_allocator *a, void *ptr, size_t old_size,
                  size_t new_size)
{
    if (new_size == 0)
        new_size = 1;
    return a->realloc(a->user_data, ptr, old_size, new_size);
}

void mem_free(const rubric_allocator *a, void *ptr, size_t size)
{
    if (ptr)
        a->realloc(a->user_data, ptr, size, 0);
}

char *mem_strndup(const rubric_allocator *a, const char *s, size_t len)
{
    char *p = mem_alloc(a, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* ---------------------------------------------------------------- watch */

static void *watch_realloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    mem_watch *w = ud;
    void *p = w->inner.realloc(w->inner.user_data, ptr, old_size, new_size);
    if (!p && new_size)
        w->refused = true;
    return p;
}

rubric_allocator mem_watch_start(mem_watch *w, const rubric_allocator *inner)
{
    w->inner = *inner;
    w->refused = false;
    rubric_allocator a = {watch_realloc, w};
    return a;
}

/* ---------------------------------------------------------------- arena */

struct arena_block {
    arena_block *next;
    size_t size; /* bytes of data[] */
    size_t used;
    _Alignas(16) unsigned char data[];
};

enum { ARENA_MIN_BLOCK = 64 * 1024 };

void arena_init(arena *a, const rubric_allocator *alloc, size_t limit)
{
    memset(a, 0, sizeof *a);
    a->alloc = alloc;
    a->limit = limit;
}

static arena_block *arena_new_block(arena *a, size_t need)
{
    size_t size = ARENA_MIN_BLOCK;
    if (a->blocks && a->blocks->size * 2 > size && a->blocks->size < 64u << 20)
        size = a->blocks->size * 2;
    if (need > size)
        size = need;
    if (size > SIZE_MAX - sizeof(arena_block))
        return NULL;
    arena_block *b = mem_alloc(a->alloc, sizeof(arena_block) + size);
    if (!b)
        return NULL;
    b->size = size;
    b->used = 0;
    b->next = a->blocks;
    a->blocks = b;
    return b;
}

void *arena_alloc(arena *a, size_t size)
{
    size_t rounded = (size + 15) & ~(size_t)15;
    if (rounded < size)
        goto fail;
    if (a->limit && (rounded > a->limit || a->used > a->limit - rounded)) {
        a->over_limit = true;
        goto fail;
    }
    arena_block *b = a->blocks;
    if (!b || b->size - b->used < rounded) {
        b = arena_new_block(a, rounded);
        if (!b)
            goto fail;
    }
    void *p = b->data + b->used;
    b->used += rounded;
    a->used += rounded;
    return p;
fail:
    a->failed = true;
    return NULL;
}

void *arena_calloc(arena *a, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        a->failed = true;
        return NULL;
    }
    void *p = arena_alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

void arena_reset(arena *a)
{
    /* Keep the largest block; free the rest. */
    arena_block *keep = NULL;
    for (arena_block *b = a->blocks; b; b = b->next)
        if (!keep || b->size > keep->size)
            keep = b;
    arena_block *b = a->blocks;
    while (b) {
        arena_block *next = b->next;
        if (b != keep)
            mem_free(a->alloc, b, sizeof(arena_block) + b->size);
        b = next;
    }
    a->blocks = keep;
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->used = 0;
    a->failed = false;
    a->over_limit = false;
}

void arena_free(arena *a)
{
    arena_block *b = a->blocks;
    while (b) {
        arena_block *next = b->next;
        mem_free(a->alloc, b, sizeof(arena_block) + b->size);
        b = next;
    }
    a->blocks = NULL;
    a->used = 0;
}

/* ---------------------------------------------------------------- vector */

bool vec_grow_(const rubric_allocator *a, void **items, uint32_t *cap,
               size_t elem_size, uint32_t need)
{
    if (need <= *cap)
        return true;
    uint64_t new_cap = *cap ? (uint64_t)*cap * 2 : 8;
    while (new_cap < need)
        new_cap *= 2;
    if (new_cap > UINT32_MAX || new_cap * elem_size > SIZE_MAX / 2)
        return false;
    void *p = mem_realloc(a, *items, (size_t)*cap * elem_size,
                          (size_t)new_cap * elem_size);
    if (!p)
        return false;
    *items = p;
    *cap = (uint32_t)new_cap;
    return true;
}

/* ---------------------------------------------------------------- strbuf */

void sb_init(strbuf *sb, const rubric_allocator *alloc)
{
    memset(sb, 0, sizeof *sb);
    sb->alloc = alloc;
}

void sb_free(strbuf *sb)
{
    mem_free(sb->alloc, sb->data, sb->cap);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

void sb_clear(strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

static bool sb_reserve(strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    if (extra > SIZE_MAX / 4 - sb->len) {
        sb->failed = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = mem_realloc(sb->alloc, sb->data, sb->cap, cap);
    if (!p) {
        sb->failed = true;
        return false;
    }
    sb->data = p;
    sb->cap = cap;
    return true;
}

void sb_append_slow_(strbuf *sb, const char *s, size_t len)
{
    if (!sb_reserve(sb, len))
        return;
    memcpy(sb->data + sb->len, s, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

char *sb_extend_slow_(strbuf *sb, size_t n)
{
    if (!sb_reserve(sb, n))
        return NULL;
    char *start = sb->data + sb->len;
    sb->len += n;
    sb->data[sb->len] = '\0';
    return start;
}

void sb_put_uint(strbuf *sb, uint64_t v)
{
    char digits[20];
    size_t n = sizeof digits;
    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    sb_append(sb, digits + n, sizeof digits - n);
}

void sb_put_int(strbuf *sb, int64_t v)
{
    if (v < 0) {
        sb_putc(sb, '-');
        /* Negate in unsigned arithmetic: INT64_MIN has no positive twin. */
        sb_put_uint(sb, 0 - (uint64_t)v);
        return;
    }
    sb_put_uint(sb, (uint64_t)v);
}

void sb_puts(strbuf *sb, const char *s)
{
    sb_append(sb, s, strlen(s));
}

void sb_putc_slow_(strbuf *sb, char c)
{
    sb_append(sb, &c, 1);
}

void sb_pad(strbuf *sb, char c, size_t n)
{
    if (!sb_reserve(sb, n))
        return;
    memset(sb->data + sb->len, c, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void sb_vprintf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || !sb_reserve(sb, (size_t)n)) {
        sb->failed = true;
        return;
    }
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_printf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

char *sb_take(strbuf *sb, size_t *size)
{
    if (sb->failed || !sb_reserve(sb, 0)) {
        sb_free(sb);
        sb->failed = false;
        return NULL;
    }
    char *p = sb->data;
    if (size)
        *size = sb->cap;
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return p;
}
