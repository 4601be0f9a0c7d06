/* warnings.c — strict mode's warnings, held until the partner is read. */
#include "warnings.h"

#include <string.h>

#include "batch_read.h"

void warnings_init(warning_list *l, const rubric_allocator *alloc)
{
    memset(l, 0, sizeof *l);
    l->alloc = alloc;
    sb_init(&l->text, alloc);
}

void warnings_free(warning_list *l)
{
    sb_free(&l->text);
    vec_free(l->alloc, &l->items);
}

void warnings_clear(warning_list *l)
{
    if (l->text.failed) { /* a failed builder stays failed: start anew */
        sb_free(&l->text);
        sb_init(&l->text, l->alloc);
    }
    sb_clear(&l->text);
    l->items.len = 0;
    l->failed = false;
}

void warnings_hold(void *user_data, const load_warning *warning)
{
    warning_list *l = user_data;
    held_warning h = {warning->offset, l->text.len, 0};
    sb_append(&l->text, warning->path, strlen(warning->path) + 1);
    h.message = l->text.len;
    sb_append(&l->text, warning->message, strlen(warning->message) + 1);
    if (l->text.failed || !vec_push(l->alloc, &l->items, h))
        l->failed = true;
}

static uint32_t clamp_u32(uint64_t n)
{
    return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

void warnings_deliver(const warning_list *l, const char *text, size_t len,
                      const char *partner, rubric_warning_fn fn, void *user_data)
{
    /* Warnings come in the order of the text: each place is found from the
     * one before. */
    uint64_t line = 1, column = 1;
    size_t at = 0;
    for (uint32_t i = 0; i < l->items.len; i++) {
        const held_warning *h = &l->items.items[i];
        size_t to = h->offset < len ? (size_t)h->offset : len;
        if (to < at) {
            line = column = 1;
            at = 0;
        }
        batch_advance_position(text + at, to - at, &line, &column);
        at = to;
        rubric_warning w = {partner,         l->text.data + h->path,
                            l->text.data + h->message, h->offset,
                            clamp_u32(line), clamp_u32(column)};
        fn(user_data, &w);
    }
}
