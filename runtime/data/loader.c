/*
 * loader.c — partner JSON to typed records, driven by the module's schema.
 *
 * A load plan (built once per module, read-only afterwards) turns the
 * schema into what the hot path needs: per record, its fields with their
 * "absent" behaviour and a hash table of their names; per enum, a hash
 * table of its value names and aliases.  Loading is a recursive descent
 * over the schema's types (bounded by LOAD_MAX_NESTING), pulling tokens
 * from the JSON reader and allocating only in the caller's arena.
 *
 * While a record is being read its slots hold private markers (absent /
 * given as null); they are replaced by the field's value when the record's
 * object ends.  A duplicate key is simply a slot that is no longer absent.
 *
 * After the first error the loader keeps reading tokens, counting open
 * containers, until the partner's value is complete: a caller walking an
 * array of partners can go on with the next one.
 */
#include "loader.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "money.h"

/* ------------------------------------------------------------ the plan */

enum {
    PF_REQUIRED = 1 << 0,    /* absent or null is an error               */
    PF_CONDITIONAL = 1 << 1  /* required when cond_field has cond_values */
};

typedef enum absent_kind {
    ABSENT_NULL = 0,    /* VK_NULL                       */
    ABSENT_DEFAULT,     /* absent_value (the default)    */
    ABSENT_LIST,        /* an empty list                 */
    ABSENT_MAP          /* an empty map                  */
} absent_kind;

typedef struct plan_field {
    const char *name;
    uint32_t len;
    uint32_t hash;
    uint32_t type;
    uint8_t flags;          /* PF_* */
    uint8_t absent;         /* absent_kind */
    uint32_t cond_field;    /* slot of the enum field, or BC_NONE */
    const list *cond_values;
    value absent_value;
} plan_field;

typedef struct plan_record {
    const char *name;
    uint32_t nfields;
    uint32_t mask;          /* table size - 1 */
    plan_field *fields;
    uint32_t *table;        /* slot + 1; 0 = empty */
} plan_record;

typedef struct plan_name {
    const char *name;
    uint32_t len;
    uint32_t hash;
    uint32_t value;         /* value index in the enum */
} plan_name;

typedef struct plan_enum {
    const char *name;
    uint32_t nnames;        /* values, then aliases */
    uint32_t mask;
    plan_name *names;
    uint32_t *table;        /* name index + 1; 0 = empty */
} plan_enum;

struct load_plan {
    const bc_module *m;
    rubric_allocator alloc; /* owns this block (unset for arena plans) */
    size_t size;            /* bytes of this block */
    plan_record *records;   /* [m->nrecords] */
    plan_enum *enums;       /* [m->nenums] */
    const char *schema_name;
    uint32_t schema_name_len;
    uint32_t root;
    uint32_t key_field;
    uint32_t tag_field;
};

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* A power of two at least twice n (at least 2). */
static uint32_t table_size(uint32_t n)
{
    uint32_t size = 2;
    while (size < 2 * (uint64_t)n && size < (1u << 31))
        size *= 2;
    return size;
}

/* Bump allocation inside the plan's block; with base NULL it only
 * measures. */
typedef struct carver {
    char *base;
    size_t used;
} carver;

static void *carve(carver *cv, size_t count, size_t size)
{
    size_t at = (cv->used + 15) & ~(size_t)15;
    cv->used = at + count * size;
    return cv->base ? cv->base + at : NULL;
}

static bool string_ok(const bc_module *m, uint32_t s)
{
    return s < m->nstrings && m->strings[s].ptr;
}

/* Every index a type reaches exists; no cycle through list/optional/map. */
static bool type_ok(const bc_module *m, uint32_t t)
{
    for (uint32_t steps = 0; steps <= m->ntypes; steps++) {
        if (t >= m->ntypes)
            return false;
        const bc_type *ty = &m->types[t];
        switch (ty->kind) {
        case TK_ENUM:
            return ty->arg < m->nenums;
        case TK_RECORD:
            return ty->arg < m->nrecords;
        case TK_LIST:
        case TK_OPTIONAL:
        case TK_MAP:
            t = ty->arg;
            break;
        default:
            return true;
        }
    }
    return false;
}

static bool schema_ok(const bc_module *m)
{
    const bc_schema *s = &m->schema;
    if (!m->has_schema || !string_ok(m, s->name) || s->root >= m->nrecords)
        return false;
    uint32_t nroot = m->records[s->root].nfields;
    if ((s->key_field != BC_NONE && s->key_field >= nroot) ||
        (s->tag_field != BC_NONE && s->tag_field >= nroot))
        return false;
    for (uint32_t e = 0; e < m->nenums; e++) {
        const bc_enum *en = &m->enums[e];
        if (!string_ok(m, en->name))
            return false;
        for (uint32_t i = 0; i < en->nvalues; i++)
            if (!string_ok(m, en->values[i]))
                return false;
        for (uint32_t i = 0; i < en->naliases; i++)
            if (!string_ok(m, en->aliases[i].name) || en->aliases[i].value >= en->nvalues)
                return false;
    }
    for (uint32_t r = 0; r < m->nrecords; r++) {
        const bc_record *rd = &m->records[r];
        if (!string_ok(m, rd->name))
            return false;
        for (uint32_t i = 0; i < rd->nfields; i++) {
            const bc_field *f = &rd->fields[i];
            if (!string_ok(m, f->name) || !type_ok(m, f->type))
                return false;
            if (f->default_value != BC_NONE && f->default_value >= m->nconsts)
                return false;
            if (f->required_when_field != BC_NONE) {
                if (f->required_when_field >= rd->nfields ||
                    f->required_when_values >= m->nconsts)
                    return false;
                value v = m->consts[f->required_when_values].v;
                if (v.kind != VK_LIST || !v.as.list)
                    return false;
            }
        }
    }
    return true;
}

static uint32_t base_kind(const bc_module *m, uint32_t type)
{
    const bc_type *ty = &m->types[type];
    return ty->kind;
}

static void fill_field(const bc_module *m, const bc_field *f, bool force_required,
                       plan_field *pf)
{
    const bc_string *name = &m->strings[f->name];
    uint32_t kind = base_kind(m, f->type);
    pf->name = name->ptr;
    pf->len = name->len;
    pf->hash = hash_bytes(name->ptr, name->len);
    pf->type = f->type;
    pf->flags = 0;
    pf->cond_field = BC_NONE;
    pf->cond_values = NULL;
    pf->absent_value = value_null();
    if (f->default_value != BC_NONE) {
        pf->absent = ABSENT_DEFAULT;
        pf->absent_value = m->consts[f->default_value].v;
    } else if (kind == TK_LIST) {
        pf->absent = ABSENT_LIST;
    } else if (kind == TK_MAP) {
        pf->absent = ABSENT_MAP;
    } else {
        pf->absent = ABSENT_NULL;
        /* A value that is neither optional nor defaulted cannot be null. */
        if (kind != TK_OPTIONAL)
            pf->flags |= PF_REQUIRED;
    }
    if ((f->flags & FIELD_REQUIRED) || force_required)
        pf->flags |= PF_REQUIRED;
    if (f->required_when_field != BC_NONE) {
        pf->flags |= PF_CONDITIONAL;
        pf->cond_field = f->required_when_field;
        pf->cond_values = m->consts[f->required_when_values].v.as.list;
    }
}

/* Lay the plan out in cv (measuring only when cv->base is NULL). */
static void build_plan(const bc_module *m, load_plan *p, carver *cv)
{
    const bc_schema *s = &m->schema;
    plan_record *records = carve(cv, m->nrecords, sizeof(plan_record));
    plan_enum *enums = carve(cv, m->nenums, sizeof(plan_enum));
    if (p) {
        p->m = m;
        p->records = records;
        p->enums = enums;
        p->schema_name = m->strings[s->name].ptr;
        p->schema_name_len = m->strings[s->name].len;
        p->root = s->root;
        p->key_field = s->key_field;
        p->tag_field = s->tag_field;
    }
    for (uint32_t r = 0; r < m->nrecords; r++) {
        const bc_record *rd = &m->records[r];
        uint32_t size = table_size(rd->nfields);
        plan_field *fields = carve(cv, rd->nfields, sizeof(plan_field));
        uint32_t *table = carve(cv, size, sizeof(uint32_t));
        if (!p)
            continue;
        plan_record *pr = &records[r];
        pr->name = m->strings[rd->name].ptr;
        pr->nfields = rd->nfields;
        pr->mask = size - 1;
        pr->fields = fields;
        pr->table = table;
        memset(table, 0, size * sizeof(uint32_t));
        for (uint32_t i = 0; i < rd->nfields; i++) {
            bool key = r == s->root && i == s->key_field;
            fill_field(m, &rd->fields[i], key, &fields[i]);
            uint32_t h = fields[i].hash & pr->mask;
            while (table[h])
                h = (h + 1) & pr->mask;
            table[h] = i + 1;
        }
    }
    for (uint32_t e = 0; e < m->nenums; e++) {
        const bc_enum *en = &m->enums[e];
        uint32_t n = en->nvalues + en->naliases;
        uint32_t size = table_size(n);
        plan_name *names = carve(cv, n, sizeof(plan_name));
        uint32_t *table = carve(cv, size, sizeof(uint32_t));
        if (!p)
            continue;
        plan_enum *pe = &enums[e];
        pe->name = m->strings[en->name].ptr;
        pe->nnames = n;
        pe->mask = size - 1;
        pe->names = names;
        pe->table = table;
        memset(table, 0, size * sizeof(uint32_t));
        for (uint32_t i = 0; i < n; i++) {
            bool alias = i >= en->nvalues;
            uint32_t str = alias ? en->aliases[i - en->nvalues].name : en->values[i];
            plan_name *pn = &names[i];
            pn->name = m->strings[str].ptr;
            pn->len = m->strings[str].len;
            pn->hash = hash_bytes(pn->name, pn->len);
            pn->value = alias ? en->aliases[i - en->nvalues].value : i;
            uint32_t h = pn->hash & pe->mask;
            bool dup = false;
            while (table[h] && !dup) {
                const plan_name *o = &names[table[h] - 1];
                dup = o->len == pn->len && memcmp(o->name, pn->name, pn->len) == 0;
                h = (h + 1) & pe->mask;
            }
            if (!dup)
                table[h] = i + 1;
        }
    }
}

static size_t plan_size(const bc_module *m)
{
    carver cv = {NULL, 0};
    carve(&cv, 1, sizeof(load_plan));
    build_plan(m, NULL, &cv);
    return cv.used;
}

/* Build into a zeroed block of plan_size(m) bytes. */
static load_plan *plan_in(const bc_module *m, void *block, size_t size)
{
    carver cv = {block, 0};
    load_plan *p = carve(&cv, 1, sizeof(load_plan));
    p->size = size;
    build_plan(m, p, &cv);
    return p;
}

load_plan *load_plan_new(const bc_module *m, const rubric_allocator *alloc)
{
    if (!schema_ok(m))
        return NULL;
    size_t size = plan_size(m);
    void *block = mem_calloc(alloc, 1, size);
    if (!block)
        return NULL;
    load_plan *p = plan_in(m, block, size);
    p->alloc = *alloc;
    return p;
}

void load_plan_free(load_plan *plan)
{
    if (plan) {
        rubric_allocator alloc = plan->alloc;
        mem_free(&alloc, plan, plan->size);
    }
}

const bc_module *load_plan_module(const load_plan *plan)
{
    return plan->m;
}

/* ------------------------------------------------------------- context */

/* Markers in a record's slots while its object is read. */
enum { KIND_ABSENT = 0xFF, KIND_NULL_GIVEN = 0xFE };

typedef enum seg_kind { SEG_NAME, SEG_INDEX } seg_kind;

typedef struct path_seg {
    uint8_t kind;       /* seg_kind */
    uint32_t len;       /* SEG_NAME */
    const char *name;   /* SEG_NAME: field name or map key */
    uint32_t index;     /* SEG_INDEX */
} path_seg;

typedef struct load_ctx {
    const load_plan *plan;
    const bc_module *m;
    json_reader *r;
    arena *mem;
    const load_options *options;
    rubric_error *err;
    uint32_t depth;     /* JSON containers open since the partner's start */
    uint32_t nesting;   /* records, lists and maps being loaded */
    uint32_t npath;
    bool failed;        /* an error is recorded */
    bool json_broken;   /* the token stream is unusable */
    list *empty_list;   /* shared by the partner's empty lists */
    map *empty_map;
    path_seg path[LOAD_MAX_NESTING + 2];
} load_ctx;

static bool is_identifier(const char *s, uint32_t len)
{
    if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (uint32_t i = 0; i < len; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '_'))
            return false;
    }
    return true;
}

/* Append to out[*len..size), keeping it NUL-terminated; truncates. */
static void put(char *out, size_t size, size_t *len, const char *s, size_t n)
{
    if (*len + 1 >= size)
        return;
    size_t room = size - 1 - *len;
    if (n > room)
        n = room;
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = '\0';
}

/* s as a JSON string literal, at most `max` bytes of it (cut at a UTF-8
 * boundary, then "..."). */
static void put_quoted(char *out, size_t size, size_t *len, const char *s, size_t n,
                       size_t max)
{
    bool cut = n > max;
    if (cut) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    put(out, size, len, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        char esc[8];
        if (ch == '"' || ch == '\\') {
            esc[0] = '\\';
            esc[1] = (char)ch;
            put(out, size, len, esc, 2);
        } else if (ch < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", ch);
            put(out, size, len, esc, 6);
        } else {
            put(out, size, len, (const char *)&s[i], 1);
        }
    }
    if (cut)
        put(out, size, len, "...", 3);
    put(out, size, len, "\"", 1);
}

static void format_path(const load_ctx *c, uint32_t n, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    put(out, size, &len, "$", 1);
    for (uint32_t i = 0; i < n; i++) {
        const path_seg *sg = &c->path[i];
        if (sg->kind == SEG_INDEX) {
            char num[16];
            int k = snprintf(num, sizeof num, "[%u]", (unsigned)sg->index);
            put(out, size, &len, num, (size_t)k);
        } else if (is_identifier(sg->name, sg->len)) {
            put(out, size, &len, ".", 1);
            put(out, size, &len, sg->name, sg->len);
        } else {
            put(out, size, &len, "[", 1);
            put_quoted(out, size, &len, sg->name, sg->len, 64);
            put(out, size, &len, "]", 1);
        }
    }
}

/* Record a schema error (the first one only) at path[0..npath). */
__attribute__((format(printf, 4, 5))) static bool fail(load_ctx *c, size_t offset,
                                                       uint32_t npath, const char *fmt, ...)
{
    if (c->failed)
        return false;
    c->failed = true;
    c->err->status = RUBRIC_ERR_DATA;
    c->err->offset = offset;
    format_path(c, npath, c->err->path, sizeof c->err->path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->message, LOAD_MESSAGE_MAX, fmt, ap);
    va_end(ap);
    return false;
}

/* The JSON is malformed: this error replaces any other. */
static bool json_failure(load_ctx *c)
{
    c->failed = true;
    c->json_broken = true;
    c->err->status = RUBRIC_ERR_DATA;
    c->err->offset = json_offset(c->r);
    format_path(c, c->npath, c->err->path, sizeof c->err->path);
    snprintf(c->err->message, sizeof c->err->message, "%s", json_error_message(c->r));
    return false;
}

static bool no_memory(load_ctx *c)
{
    return fail(c, json_offset(c->r), c->npath, "%s",
                c->mem->over_limit ? "memory limit reached" : "out of memory");
}

static json_token next(load_ctx *c, json_text *text)
{
    json_token t = json_next(c->r, text);
    switch (t) {
    case JT_OBJECT_START:
    case JT_ARRAY_START:
        c->depth++;
        break;
    case JT_OBJECT_END:
    case JT_ARRAY_END:
        c->depth--;
        break;
    case JT_ERROR:
        json_failure(c);
        break;
    default:
        break;
    }
    return t;
}

/* A token that the reader's contract rules out here (JT_END inside a
 * value, a key outside an object). */
static bool unexpected(load_ctx *c, json_token t)
{
    if (t == JT_ERROR)
        return false;
    c->failed = false; /* the stream is unusable: this error wins */
    c->json_broken = true;
    return fail(c, json_offset(c->r), c->npath, "unexpected JSON token");
}

static void push_name(load_ctx *c, const char *name, uint32_t len)
{
    path_seg *sg = &c->path[c->npath++];
    sg->kind = SEG_NAME;
    sg->name = name;
    sg->len = len;
}

static void push_index(load_ctx *c, uint32_t index)
{
    path_seg *sg = &c->path[c->npath++];
    sg->kind = SEG_INDEX;
    sg->index = index;
}

/* ------------------------------------------------------------- messages */

/* "an integer", "Tier (a string)", ... for a type's kind and argument. */
static void describe_type(const load_ctx *c, uint32_t kind, uint32_t arg, char *out,
                          size_t size)
{
    const bc_module *m = c->m;
    switch (kind) {
    case TK_INT:
        snprintf(out, size, "an integer");
        break;
    case TK_MONEY:
        snprintf(out, size, "money (a number or a decimal string)");
        break;
    case TK_DATE:
        snprintf(out, size, "a date (\"YYYY-MM-DD\")");
        break;
    case TK_MONTH:
        snprintf(out, size, "a month (\"YYYY-MM\")");
        break;
    case TK_BOOL:
        snprintf(out, size, "true or false");
        break;
    case TK_STRING:
        snprintf(out, size, "a string");
        break;
    case TK_ENUM:
        snprintf(out, size, "%s (a string)", module_str(m, m->enums[arg].name));
        break;
    case TK_RECORD:
        snprintf(out, size, "%s (an object)", module_str(m, m->records[arg].name));
        break;
    case TK_LIST:
        snprintf(out, size, "a list (an array)");
        break;
    case TK_MAP:
        snprintf(out, size, "a map (an object)");
        break;
    default:
        snprintf(out, size, "a value of a type that data cannot hold");
        break;
    }
}

/* The JSON value that was found: true, null, 12.5, "text", an object. */
static void describe_token(json_token t, const json_text *text, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    switch (t) {
    case JT_OBJECT_START:
        put(out, size, &len, "an object", 9);
        break;
    case JT_ARRAY_START:
        put(out, size, &len, "an array", 8);
        break;
    case JT_TRUE:
        put(out, size, &len, "true", 4);
        break;
    case JT_FALSE:
        put(out, size, &len, "false", 5);
        break;
    case JT_NULL:
        put(out, size, &len, "null", 4);
        break;
    case JT_NUMBER:
        if (text && text->len > 40) {
            put(out, size, &len, text->ptr, 40);
            put(out, size, &len, "...", 3);
        } else if (text) {
            put(out, size, &len, text->ptr, text->len);
        }
        break;
    case JT_STRING:
        if (text)
            put_quoted(out, size, &len, text->ptr, text->len, 48);
        else
            put(out, size, &len, "a string", 8);
        break;
    default:
        put(out, size, &len, "something else", 14);
        break;
    }
}

static bool mismatch(load_ctx *c, uint32_t kind, uint32_t arg, json_token t,
                     const json_text *text)
{
    char want[160], found[80];
    describe_type(c, kind, arg, want, sizeof want);
    describe_token(t, text, found, sizeof found);
    return fail(c, json_offset(c->r), c->npath, "expected %s, found %s", want, found);
}

/* ---------------------------------------------------------------- values */

static bool load_value(load_ctx *c, uint32_t type, json_token t, const json_text *text,
                       value *out);

static bool load_int(load_ctx *c, const json_text *text, value *out)
{
    const char *s = text->ptr;
    size_t n = text->len;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
            return mismatch(c, TK_INT, 0, JT_NUMBER, text);
    bool neg = n > 0 && s[0] == '-';
    /* Accumulate negatively so that INT64_MIN fits. */
    int64_t v = 0;
    for (size_t i = neg; i < n; i++) {
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_sub_overflow(v, s[i] - '0', &v)) {
            char num[64];
            describe_token(JT_NUMBER, text, num, sizeof num);
            return fail(c, json_offset(c->r), c->npath, "integer out of range: %s", num);
        }
    }
    if (!neg) {
        if (v == INT64_MIN) {
            char num[64];
            describe_token(JT_NUMBER, text, num, sizeof num);
            return fail(c, json_offset(c->r), c->npath, "integer out of range: %s", num);
        }
        v = -v;
    }
    *out = value_int(v);
    return true;
}

static bool load_money(load_ctx *c, json_token t, const json_text *text, value *out)
{
    int64_t cents;
    const char *why = "";
    bool ok;
    if (t == JT_NUMBER)
        ok = money_parse_json_number(text->ptr, text->len, &cents, &why);
    else if (t == JT_STRING)
        ok = money_parse_decimal(text->ptr, text->len, &cents, &why);
    else
        return mismatch(c, TK_MONEY, 0, t, text);
    if (ok) {
        *out = value_money(cents);
        return true;
    }
    char written[80];
    describe_token(t, text, written, sizeof written); /* as written */
    size_t at = json_offset(c->r);
    if (strcmp(why, "more than two decimals") == 0)
        return fail(c, at, c->npath, "more than two decimals in money %s", written);
    if (strcmp(why, "amount out of range") == 0)
        return fail(c, at, c->npath, "money out of range: %s", written);
    return fail(c, at, c->npath, "invalid money %s: %s", written, why);
}

static bool load_calendar(load_ctx *c, uint32_t kind, json_token t, const json_text *text,
                          value *out)
{
    if (t != JT_STRING)
        return mismatch(c, kind, 0, t, text);
    int32_t v;
    const char *why = "";
    bool date = kind == TK_DATE;
    bool ok = date ? cal_parse_date(text->ptr, text->len, &v, &why)
                   : cal_parse_month(text->ptr, text->len, &v, &why);
    if (ok) {
        *out = date ? value_date(v) : value_month(v);
        return true;
    }
    char written[80];
    describe_token(t, text, written, sizeof written); /* as written */
    return fail(c, json_offset(c->r), c->npath, "invalid %s %s: %s", date ? "date" : "month",
                written, why);
}

static bool load_string(load_ctx *c, json_token t, const json_text *text, value *out)
{
    if (t != JT_STRING)
        return mismatch(c, TK_STRING, 0, t, text);
    if (text->len > UINT32_MAX)
        return fail(c, json_offset(c->r), c->npath, "string too long");
    char *s = arena_strndup(c->mem, text->ptr, text->len);
    if (!s)
        return no_memory(c);
    *out = value_string(s, (uint32_t)text->len);
    return true;
}

/* Whether a[0..n) and b[0..n) are the same bytes.  Keys and enum names are
 * short: comparing here beats calling memcmp. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    for (; n >= 8; a += 8, b += 8, n -= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return false;
    }
    for (; n; a++, b++, n--)
        if (*a != *b)
            return false;
    return true;
}

static uint32_t find_name(const plan_enum *pe, const char *s, size_t len)
{
    uint32_t h = hash_bytes(s, len);
    for (uint32_t i = h & pe->mask; pe->table[i]; i = (i + 1) & pe->mask) {
        const plan_name *pn = &pe->names[pe->table[i] - 1];
        if (pn->hash == h && pn->len == len && same_bytes(pn->name, s, len))
            return pn->value;
    }
    return BC_NONE;
}

static bool load_enum(load_ctx *c, uint32_t e, json_token t, const json_text *text,
                      value *out)
{
    if (t != JT_STRING)
        return mismatch(c, TK_ENUM, e, t, text);
    const plan_enum *pe = &c->plan->enums[e];
    uint32_t v = find_name(pe, text->ptr, text->len);
    if (v != BC_NONE) {
        *out = value_enum(v);
        return true;
    }
    /* unknown value "Gold" for Tier (expected A, B or C) */
    char msg[LOAD_MESSAGE_MAX];
    size_t len = 0;
    msg[0] = '\0';
    put(msg, sizeof msg, &len, "unknown value ", 14);
    put_quoted(msg, sizeof msg, &len, text->ptr, text->len, 48);
    put(msg, sizeof msg, &len, " for ", 5);
    put(msg, sizeof msg, &len, pe->name, strlen(pe->name));
    put(msg, sizeof msg, &len, " (expected ", 11);
    for (uint32_t i = 0; i < pe->nnames; i++) {
        if (i > 0 && i + 1 == pe->nnames)
            put(msg, sizeof msg, &len, " or ", 4);
        else if (i > 0)
            put(msg, sizeof msg, &len, ", ", 2);
        put(msg, sizeof msg, &len, pe->names[i].name, pe->names[i].len);
    }
    put(msg, sizeof msg, &len, ")", 1);
    if (len + 1 >= sizeof msg)
        memcpy(msg + sizeof msg - 5, "...)", 5);
    return fail(c, json_offset(c->r), c->npath, "%s", msg);
}

/* ----------------------------------------------------------- containers */

static bool enter(load_ctx *c)
{
    if (c->nesting >= LOAD_MAX_NESTING)
        return fail(c, json_offset(c->r), c->npath, "data nested deeper than %d levels",
                    LOAD_MAX_NESTING);
    c->nesting++;
    return true;
}

static uint32_t find_field(const plan_record *pr, const json_text *key, uint32_t expect)
{
    /* Producers usually follow declaration order: try the next slot. */
    if (expect < pr->nfields) {
        const plan_field *f = &pr->fields[expect];
        if (f->len == key->len && same_bytes(f->name, key->ptr, key->len))
            return expect;
    }
    uint32_t h = hash_bytes(key->ptr, key->len);
    for (uint32_t i = h & pr->mask; pr->table[i]; i = (i + 1) & pr->mask) {
        uint32_t slot = pr->table[i] - 1;
        const plan_field *f = &pr->fields[slot];
        if (f->hash == h && f->len == key->len && same_bytes(f->name, key->ptr, key->len))
            return slot;
    }
    return BC_NONE;
}

static void warn_unknown(load_ctx *c, const json_text *key)
{
    const load_options *o = c->options;
    if (!o || !o->strict || !o->on_warning)
        return;
    load_warning w;
    size_t len = 0;
    w.offset = json_offset(c->r);
    format_path(c, c->npath, w.path, sizeof w.path);
    w.message[0] = '\0';
    put(w.message, sizeof w.message, &len, "unknown field ", 14);
    put_quoted(w.message, sizeof w.message, &len, key->ptr, key->len, 64);
    o->on_warning(o->user_data, &w);
}

static bool duplicate(load_ctx *c, const json_text *key)
{
    char q[96];
    size_t len = 0;
    q[0] = '\0';
    put_quoted(q, sizeof q, &len, key->ptr, key->len, 64);
    return fail(c, json_offset(c->r), c->npath, "duplicate key %s", q);
}

static list *empty_list(load_ctx *c)
{
    if (!c->empty_list)
        c->empty_list = arena_calloc(c->mem, 1, sizeof(list));
    return c->empty_list;
}

static map *empty_map(load_ctx *c)
{
    if (!c->empty_map)
        c->empty_map = arena_calloc(c->mem, 1, sizeof(map));
    return c->empty_map;
}

/* The value of an absent (or null) field. */
static bool absent_value(load_ctx *c, const plan_field *f, value *out)
{
    switch (f->absent) {
    case ABSENT_DEFAULT:
        *out = f->absent_value;
        return true;
    case ABSENT_LIST:
        *out = value_null();
        out->kind = VK_LIST;
        out->as.list = empty_list(c);
        return out->as.list != NULL;
    case ABSENT_MAP:
        *out = value_null();
        out->kind = VK_MAP;
        out->as.map = empty_map(c);
        return out->as.map != NULL;
    default:
        *out = value_null();
        return true;
    }
}

/* The enum index of slot `cond` of the record being finished: its value,
 * or its default when absent.  BC_NONE when it has none. */
static uint32_t cond_value(const plan_record *pr, const record *rec, uint32_t cond)
{
    value v = rec->fields[cond].kind == KIND_ABSENT || rec->fields[cond].kind == KIND_NULL_GIVEN
                  ? pr->fields[cond].absent_value
                  : rec->fields[cond];
    return v.kind == VK_ENUM ? v.as.e : BC_NONE;
}

static bool cond_holds(const plan_record *pr, const record *rec, const plan_field *f,
                       uint32_t *which)
{
    uint32_t v = cond_value(pr, rec, f->cond_field);
    if (v == BC_NONE || !f->cond_values)
        return false;
    for (uint32_t i = 0; i < f->cond_values->count; i++) {
        value item = f->cond_values->items[i];
        if (item.kind == VK_ENUM && item.as.e == v) {
            *which = v;
            return true;
        }
    }
    return false;
}

/* The enum value name of slot `cond`'s type for index v. */
static const char *enum_value_name(const load_ctx *c, uint32_t type, uint32_t v)
{
    const bc_module *m = c->m;
    for (uint32_t steps = 0; steps <= m->ntypes; steps++) {
        const bc_type *ty = &m->types[type];
        if (ty->kind == TK_OPTIONAL) {
            type = ty->arg;
            continue;
        }
        if (ty->kind == TK_ENUM && v < m->enums[ty->arg].nvalues)
            return module_str(m, m->enums[ty->arg].values[v]);
        break;
    }
    return "?";
}

/* The object has ended: fill absent fields, check required ones. */
static bool finish_record(load_ctx *c, const plan_record *pr, record *rec, size_t start)
{
    for (uint32_t i = 0; i < pr->nfields; i++) {
        value *v = &rec->fields[i];
        if (v->kind != KIND_ABSENT && v->kind != KIND_NULL_GIVEN)
            continue;
        const plan_field *f = &pr->fields[i];
        uint32_t which;
        if (f->flags & PF_REQUIRED)
            return fail(c, start, c->npath, "missing required field \"%s\"", f->name);
        if ((f->flags & PF_CONDITIONAL) && f->absent != ABSENT_DEFAULT &&
            cond_holds(pr, rec, f, &which)) {
            const plan_field *cf = &pr->fields[f->cond_field];
            return fail(c, start, c->npath,
                        "missing required field \"%s\" (required when %s is %s)", f->name,
                        cf->name, enum_value_name(c, cf->type, which));
        }
    }
    for (uint32_t i = 0; i < pr->nfields; i++) {
        value *v = &rec->fields[i];
        if ((v->kind == KIND_ABSENT || v->kind == KIND_NULL_GIVEN) &&
            !absent_value(c, &pr->fields[i], v))
            return no_memory(c);
    }
    return true;
}

static bool check_tag(load_ctx *c, const value *v)
{
    const load_plan *p = c->plan;
    if (v->kind != VK_STRING ||
        (v->len == p->schema_name_len && memcmp(v->as.s, p->schema_name, v->len) == 0))
        return true;
    char got[96];
    size_t len = 0;
    got[0] = '\0';
    put_quoted(got, sizeof got, &len, v->as.s, v->len, 64);
    return fail(c, json_offset(c->r), c->npath, "unsupported format %s (expected \"%s\")", got,
                p->schema_name);
}

/* After the object's OBJECT_START (at byte `start`). */
static bool load_record(load_ctx *c, uint32_t index, size_t start, value *out)
{
    const plan_record *pr = &c->plan->records[index];
    uint32_t n = pr->nfields;
    record *rec = arena_alloc(c->mem, sizeof(record) + (size_t)n * sizeof(value));
    if (!rec)
        return no_memory(c);
    rec->type = index;
    rec->nfields = n;
    for (uint32_t i = 0; i < n; i++)
        rec->fields[i].kind = KIND_ABSENT;
    bool is_root = c->nesting == 1 && index == c->plan->root;
    uint32_t expect = 0;
    for (;;) {
        json_text key;
        json_token t = next(c, &key);
        if (t == JT_OBJECT_END)
            break;
        if (t != JT_KEY)
            return unexpected(c, t);
        uint32_t slot = find_field(pr, &key, expect);
        if (slot == BC_NONE) {
            warn_unknown(c, &key);
            push_name(c, key.ptr, (uint32_t)key.len); /* valid until json_begin */
            if (!json_skip(c->r, JT_KEY))
                return json_failure(c);
            c->npath--;
            continue;
        }
        value *dst = &rec->fields[slot];
        if (dst->kind != KIND_ABSENT)
            return duplicate(c, &key);
        expect = slot + 1;
        const plan_field *f = &pr->fields[slot];
        push_name(c, f->name, f->len);
        json_text text;
        t = next(c, &text);
        if (t == JT_NULL)
            dst->kind = KIND_NULL_GIVEN;
        else if (!load_value(c, f->type, t, &text, dst))
            return false;
        if (is_root && slot == c->plan->tag_field && !check_tag(c, dst))
            return false;
        c->npath--;
    }
    if (!finish_record(c, pr, rec, start))
        return false;
    *out = value_null();
    out->kind = VK_RECORD;
    out->as.rec = rec;
    return true;
}

static bool load_list(load_ctx *c, uint32_t elem_type, value *out)
{
    uint32_t cap = 4, count = 0;
    list *l = arena_alloc(c->mem, sizeof(list) + cap * sizeof(value));
    if (!l)
        return no_memory(c);
    for (;;) {
        json_text text;
        json_token t = next(c, &text);
        if (t == JT_ARRAY_END)
            break;
        if (t == JT_ERROR || t == JT_KEY || t == JT_END || t == JT_OBJECT_END)
            return unexpected(c, t);
        if (count == cap) {
            if (cap > UINT32_MAX / 2)
                return fail(c, json_offset(c->r), c->npath, "too many items in a list");
            list *bigger = arena_alloc(c->mem, sizeof(list) + 2 * (size_t)cap * sizeof(value));
            if (!bigger)
                return no_memory(c);
            memcpy(bigger->items, l->items, count * sizeof(value));
            l = bigger;
            cap *= 2;
        }
        push_index(c, count);
        if (!load_value(c, elem_type, t, &text, &l->items[count]))
            return false;
        c->npath--;
        count++;
    }
    l->count = count;
    *out = value_null();
    out->kind = VK_LIST;
    out->as.list = l;
    return true;
}

/* Index of a map's keys once it outgrows a linear scan. */
typedef struct key_index {
    uint32_t *slots; /* entry + 1; 0 = empty */
    uint32_t mask;
} key_index;

#define MAP_LINEAR 16

static bool index_keys(load_ctx *c, key_index *ix, const map *mp, uint32_t cap)
{
    uint32_t size = table_size(cap);
    ix->slots = arena_calloc(c->mem, size, sizeof(uint32_t));
    if (!ix->slots)
        return false;
    ix->mask = size - 1;
    for (uint32_t e = 0; e < mp->count; e++) {
        const map_entry *me = &mp->entries[e];
        uint32_t i = hash_bytes(me->key, me->key_len) & ix->mask;
        while (ix->slots[i])
            i = (i + 1) & ix->mask;
        ix->slots[i] = e + 1;
    }
    return true;
}

static bool key_seen(const map *mp, const key_index *ix, const json_text *key)
{
    if (!ix->slots) {
        for (uint32_t e = 0; e < mp->count; e++)
            if (mp->entries[e].key_len == key->len &&
                memcmp(mp->entries[e].key, key->ptr, key->len) == 0)
                return true;
        return false;
    }
    for (uint32_t i = hash_bytes(key->ptr, key->len) & ix->mask; ix->slots[i];
         i = (i + 1) & ix->mask) {
        const map_entry *me = &mp->entries[ix->slots[i] - 1];
        if (me->key_len == key->len && memcmp(me->key, key->ptr, key->len) == 0)
            return true;
    }
    return false;
}

static void index_add(key_index *ix, const map *mp, uint32_t e)
{
    const map_entry *me = &mp->entries[e];
    uint32_t i = hash_bytes(me->key, me->key_len) & ix->mask;
    while (ix->slots[i])
        i = (i + 1) & ix->mask;
    ix->slots[i] = e + 1;
}

static bool load_map(load_ctx *c, uint32_t value_type, value *out)
{
    uint32_t cap = 4;
    map *mp = arena_alloc(c->mem, sizeof(map) + cap * sizeof(map_entry));
    if (!mp)
        return no_memory(c);
    mp->count = 0;
    key_index ix = {NULL, 0};
    for (;;) {
        json_text key;
        json_token t = next(c, &key);
        if (t == JT_OBJECT_END)
            break;
        if (t != JT_KEY)
            return unexpected(c, t);
        if (key_seen(mp, &ix, &key))
            return duplicate(c, &key);
        if (key.len > UINT32_MAX)
            return fail(c, json_offset(c->r), c->npath, "key too long");
        if (mp->count == cap) {
            if (cap > UINT32_MAX / 2)
                return fail(c, json_offset(c->r), c->npath, "too many keys in a map");
            map *bigger =
                arena_alloc(c->mem, sizeof(map) + 2 * (size_t)cap * sizeof(map_entry));
            if (!bigger)
                return no_memory(c);
            memcpy(bigger, mp, sizeof(map) + mp->count * sizeof(map_entry));
            mp = bigger;
            cap *= 2;
            if ((cap > MAP_LINEAR || ix.slots) && !index_keys(c, &ix, mp, cap))
                return no_memory(c);
        }
        map_entry *me = &mp->entries[mp->count];
        char *k = arena_strndup(c->mem, key.ptr, key.len);
        if (!k)
            return no_memory(c);
        me->key = k;
        me->key_len = (uint32_t)key.len;
        push_name(c, k, me->key_len);
        json_text text;
        t = next(c, &text);
        if (!load_value(c, value_type, t, &text, &me->value))
            return false;
        c->npath--;
        if (ix.slots)
            index_add(&ix, mp, mp->count);
        mp->count++;
    }
    *out = value_null();
    out->kind = VK_MAP;
    out->as.map = mp;
    return true;
}

/* A container value whose START token was just read. */
static bool load_container(load_ctx *c, uint32_t kind, uint32_t arg, value *out)
{
    size_t start = json_offset(c->r);
    if (!enter(c))
        return false;
    bool ok = kind == TK_RECORD ? load_record(c, arg, start, out)
              : kind == TK_LIST ? load_list(c, arg, out)
                                : load_map(c, arg, out);
    c->nesting--;
    return ok;
}

/* The value of type `type` whose first token t (text) was just read. */
static bool load_value(load_ctx *c, uint32_t type, json_token t, const json_text *text,
                       value *out)
{
    if (t == JT_ERROR)
        return false;
    const bc_type *ty = &c->m->types[type];
    if (ty->kind == TK_OPTIONAL) {
        if (t == JT_NULL) {
            *out = value_null();
            return true;
        }
        ty = &c->m->types[ty->arg]; /* never itself optional */
    }
    switch (ty->kind) {
    case TK_INT:
        if (t != JT_NUMBER)
            return mismatch(c, TK_INT, 0, t, text);
        return load_int(c, text, out);
    case TK_MONEY:
        return load_money(c, t, text, out);
    case TK_DATE:
    case TK_MONTH:
        return load_calendar(c, ty->kind, t, text, out);
    case TK_BOOL:
        if (t != JT_TRUE && t != JT_FALSE)
            return mismatch(c, TK_BOOL, 0, t, text);
        *out = value_bool(t == JT_TRUE);
        return true;
    case TK_STRING:
        return load_string(c, t, text, out);
    case TK_ENUM:
        return load_enum(c, ty->arg, t, text, out);
    case TK_RECORD:
        if (t != JT_OBJECT_START)
            return mismatch(c, TK_RECORD, ty->arg, t, text);
        return load_container(c, TK_RECORD, ty->arg, out);
    case TK_LIST:
    case TK_MAP:
        if (t == JT_NULL) {
            *out = value_null();
            out->kind = ty->kind == TK_LIST ? VK_LIST : VK_MAP;
            if (ty->kind == TK_LIST)
                out->as.list = empty_list(c);
            else
                out->as.map = empty_map(c);
            return out->as.list || out->as.map ? true : no_memory(c);
        }
        if (t != (ty->kind == TK_LIST ? JT_ARRAY_START : JT_OBJECT_START))
            return mismatch(c, ty->kind, ty->arg, t, text);
        return load_container(c, ty->kind, ty->arg, out);
    default:
        return mismatch(c, ty->kind, ty->arg, t, text);
    }
}

/* ------------------------------------------------------------ interface */

bool load_read(const load_plan *plan, json_reader *r, json_token first,
               const json_text *first_text, arena *mem, const load_options *options,
               value *out, rubric_error *err, bool *json_ok)
{
    load_ctx c;
    c.plan = plan;
    c.m = plan->m;
    c.r = r;
    c.mem = mem;
    c.options = options;
    c.err = err;
    c.depth = first == JT_OBJECT_START || first == JT_ARRAY_START ? 1 : 0;
    c.nesting = 0;
    c.npath = 0;
    c.failed = false;
    c.json_broken = false;
    c.empty_list = NULL;
    c.empty_map = NULL;
    err->status = RUBRIC_OK;
    err->offset = 0;
    err->path[0] = '\0';
    err->message[0] = '\0';
    *out = value_null();

    bool ok;
    if (first == JT_ERROR)
        ok = json_failure(&c);
    else if (first != JT_OBJECT_START)
        ok = mismatch(&c, TK_RECORD, plan->root, first, first_text);
    else
        ok = load_container(&c, TK_RECORD, plan->root, out);
    if (!ok) {
        *out = value_null();
        /* Consume the rest of the partner.  A JSON error found here is
         * placed by its offset; its path is the partner's. */
        c.npath = 0;
        json_text t;
        while (!c.json_broken && c.depth > 0) {
            json_token k = next(&c, &t);
            if (k == JT_END)
                break;
        }
    }
    if (json_ok)
        *json_ok = !c.json_broken;
    return ok;
}

bool load_read_text(const load_plan *plan, json_reader *r, const char *buf, size_t len,
                    arena *mem, const load_options *options, value *out, rubric_error *err)
{
    json_text text;
    json_token first = json_begin(r, buf, len) ? json_next(r, &text) : JT_ERROR;
    bool json_ok;
    bool ok = load_read(plan, r, first, &text, mem, options, out, err, &json_ok);
    if (json_ok && json_next(r, &text) == JT_ERROR) {
        /* Malformed after the partner: that error wins. */
        ok = false;
        *out = value_null();
        err->status = RUBRIC_ERR_DATA;
        err->offset = json_offset(r);
        snprintf(err->path, sizeof err->path, "$");
        snprintf(err->message, sizeof err->message, "%s", json_error_message(r));
    }
    return ok;
}

/* A temporary plan in the arena. */
static load_plan *arena_plan(const bc_module *m, arena *mem, rubric_error *err)
{
    err->status = RUBRIC_ERR_DATA;
    err->offset = 0;
    snprintf(err->path, sizeof err->path, "$");
    if (!schema_ok(m)) {
        snprintf(err->message, sizeof err->message, "the module has no usable schema");
        return NULL;
    }
    size_t size = plan_size(m);
    void *block = arena_calloc(mem, 1, size);
    if (!block) {
        snprintf(err->message, sizeof err->message, "%s",
                 mem->over_limit ? "memory limit reached" : "out of memory");
        return NULL;
    }
    return plan_in(m, block, size);
}

bool load_partner(const bc_module *m, json_reader *r, arena *mem,
                  const load_options *options, value *out, rubric_error *err,
                  bool *json_ok)
{
    json_text text;
    json_token first = json_next(r, &text);
    load_plan *plan = arena_plan(m, mem, err);
    if (!plan) {
        *out = value_null();
        if (json_ok)
            *json_ok = json_skip(r, first);
        return false;
    }
    return load_read(plan, r, first, &text, mem, options, out, err, json_ok);
}

bool load_partner_text(const bc_module *m, json_reader *r, const char *buf, size_t len,
                       arena *mem, const load_options *options, value *out,
                       rubric_error *err)
{
    load_plan *plan = arena_plan(m, mem, err);
    if (!plan) {
        *out = value_null();
        return false;
    }
    return load_read_text(plan, r, buf, len, mem, options, out, err);
}
