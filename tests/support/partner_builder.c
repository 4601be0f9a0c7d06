/* partner_builder.c — see partner_builder.h. */
#include "partner_builder.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static strbuf *slot(partner_builder *p, const char *key, bool list)
{
    for (uint32_t i = 0; i < p->nkeys; i++)
        if (strcmp(p->keys[i], key) == 0)
            return &p->values[i];
    assert_true(p->nkeys < PB_MAX_KEYS);
    uint32_t i = p->nkeys++;
    p->keys[i] = key;
    p->is_list[i] = list;
    sb_init(&p->values[i], test_alloc());
    return &p->values[i];
}

void pb_init(partner_builder *p, const char *path, const char *tier, const char *renewal_date)
{
    memset(p, 0, sizeof *p);
    pb_set(p, "id", "\"P-TEST\"");
    pb_set(p, "name", "\"Test Partner\"");
    pb_set(p, "path", "\"%s\"", path);
    pb_set(p, "tier", "\"%s\"", tier);
    pb_set(p, "renewal_date", "\"%s\"", renewal_date);
}

void pb_free(partner_builder *p)
{
    for (uint32_t i = 0; i < p->nkeys; i++)
        sb_free(&p->values[i]);
    p->nkeys = 0;
}

void pb_set(partner_builder *p, const char *key, const char *fmt, ...)
{
    strbuf *sb = slot(p, key, false);
    sb_clear(sb);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

void pb_add(partner_builder *p, const char *key, const char *fmt, ...)
{
    strbuf *sb = slot(p, key, true);
    if (sb->len)
        sb_puts(sb, ",\n    ");
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

void pb_add_n(partner_builder *p, const char *key, int n, const char *json)
{
    for (int i = 0; i < n; i++)
        pb_add(p, key, "%s", json);
}

char *pb_json(const partner_builder *p)
{
    strbuf out;
    sb_init(&out, test_alloc());
    sb_puts(&out, "{");
    for (uint32_t i = 0; i < p->nkeys; i++) {
        sb_printf(&out, "%s\n  \"%s\": ", i ? "," : "", p->keys[i]);
        if (p->is_list[i])
            sb_printf(&out, "[\n    %.*s\n  ]", (int)p->values[i].len, p->values[i].data);
        else
            sb_append(&out, p->values[i].data, p->values[i].len);
    }
    sb_puts(&out, "\n}\n");
    assert_false(out.failed);
    size_t size = 0;
    char *text = sb_take(&out, &size);
    assert_non_null(text);
    return text;
}
