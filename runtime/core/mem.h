/*
 * mem.h — allocation helpers on top of the configured rubric_allocator:
 * plain allocation, a bump arena (reset per partner, so memory stays flat
 * across a batch), growable vectors and a string builder.
 *
 * Every function that can fail reports it: allocation returns NULL, the
 * arena and the string builder also set a sticky `failed` flag so that a
 * builder's callers can check once at the end (the "sticky error" of STYLE).
 */
#ifndef RUBRIC_MEM_H
#define RUBRIC_MEM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rubric.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The C library's realloc/free as a rubric_allocator. */
rubric_allocator mem_default_allocator(void);

void *mem_alloc(const rubric_allocator *a, size_t size);
void *mem_calloc(const rubric_allocator *a, size_t count, size_t size);
void *mem_realloc(const rubric_allocator *a, void *ptr, size_t old_size,
                  size_t new_size);
void mem_free(const rubric_allocator *a, void *ptr, size_t size);
/* A NUL-terminated copy of s[0..len). */
char *mem_strndup(const rubric_allocator *a, const char *s, size_t len);

/* ---------------------------------------------------------------- watch */

/* An allocator that passes every call on to another and remembers whether
 * one was refused: the sticky "malloc failed" of SQLite.  A pass that can
 * fail for many reasons (reading bytecode, compiling, evaluating) then
 * tells running out of memory from the rest, wherever it happened. */
typedef struct mem_watch {
    rubric_allocator inner;
    bool refused; /* sticky: an allocation returned NULL */
} mem_watch;

/* The allocator that watches through w, which must outlive it. */
rubric_allocator mem_watch_start(mem_watch *w, const rubric_allocator *inner);

/* ---------------------------------------------------------------- arena */

typedef struct arena_block arena_block;

typedef struct arena {
    const rubric_allocator *alloc;
    arena_block *blocks;   /* newest first                                   */
    size_t used;           /* bytes handed out since the last reset          */
    size_t limit;          /* 0 = unlimited; else arena_alloc fails past it  */
    bool failed;           /* sticky: an allocation failed since the reset   */
    bool over_limit;       /* sticky: the failure was the limit, not the OS   */
} arena;

void arena_init(arena *a, const rubric_allocator *alloc, size_t limit);
/* 16-byte aligned; NULL (and failed set) on out of memory or over limit. */
void *arena_alloc(arena *a, size_t size);
void *arena_calloc(arena *a, size_t count, size_t size);
/* A NUL-terminated copy of s[0..len) in the arena. */
char *arena_strndup(arena *a, const char *s, size_t len);
/* Forget every allocation; keep the largest block for reuse. */
void arena_reset(arena *a);
void arena_free(arena *a);

/* ---------------------------------------------------------------- vector */

/* A growable array: VEC(int) v = {0}; vec_push(alloc, &v, 3). */
#define VEC(T)            \
    struct {              \
        T *items;         \
        uint32_t len;     \
        uint32_t cap;     \
    }

bool vec_grow_(const rubric_allocator *a, void **items, uint32_t *cap,
               size_t elem_size, uint32_t need);

/* Evaluates to true on success. */
#define vec_push(a, v, x)                                                    \
    (((v)->len < (v)->cap ||                                                 \
      vec_grow_((a), (void **)&(v)->items, &(v)->cap, sizeof *(v)->items,    \
                (v)->len + 1))                                               \
         ? ((v)->items[(v)->len++] = (x), true)                              \
         : false)

#define vec_free(a, v)                                                       \
    (mem_free((a), (v)->items, (size_t)(v)->cap * sizeof *(v)->items),       \
     (v)->items = NULL, (v)->len = (v)->cap = 0)

/* ---------------------------------------------------------------- strbuf */

typedef struct strbuf {
    const rubric_allocator *alloc;
    char *data;    /* always NUL-terminated when len > 0 and !failed */
    size_t len;
    size_t cap;
    bool failed;   /* sticky */
} strbuf;

void sb_init(strbuf *sb, const rubric_allocator *alloc);
void sb_free(strbuf *sb);
void sb_clear(strbuf *sb);
void sb_append_slow_(strbuf *sb, const char *s, size_t len);
/* Inline because writers append many short pieces; the slow path grows. */
static inline void sb_append(strbuf *sb, const char *s, size_t len)
{
    if (len < sb->cap - sb->len && !sb->failed) {
        memcpy(sb->data + sb->len, s, len);
        sb->len += len;
        sb->data[sb->len] = '\0';
        return;
    }
    sb_append_slow_(sb, s, len);
}
void sb_puts(strbuf *sb, const char *s);
char *sb_extend_slow_(strbuf *sb, size_t n);
/* Grow by n bytes and return where they start, for the caller to fill (the
 * NUL after them is written); NULL (and failed set) when it cannot grow. */
static inline char *sb_extend(strbuf *sb, size_t n)
{
    if (n < sb->cap - sb->len && !sb->failed) {
        char *start = sb->data + sb->len;
        sb->len += n;
        sb->data[sb->len] = '\0';
        return start;
    }
    return sb_extend_slow_(sb, n);
}
/* A decimal integer, as printf's "%" PRId64 / PRIu64 would write it. */
void sb_put_int(strbuf *sb, int64_t v);
void sb_put_uint(strbuf *sb, uint64_t v);
void sb_putc_slow_(strbuf *sb, char c);
/* One byte; inline because writers emit many (quotes, commas, braces). */
static inline void sb_putc(strbuf *sb, char c)
{
    if (sb->len + 2 <= sb->cap && !sb->failed) {
        sb->data[sb->len++] = c;
        sb->data[sb->len] = '\0';
        return;
    }
    sb_putc_slow_(sb, c);
}
void sb_printf(strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Append n copies of c. */
void sb_pad(strbuf *sb, char c, size_t n);
/* Hand the buffer to the caller (NUL-terminated, allocated with sb->alloc,
 * size *size bytes); the builder is left empty.  NULL if it failed. */
char *sb_take(strbuf *sb, size_t *size);

#ifdef __cplusplus
}
#endif

#endif /* RUBRIC_MEM_H */
