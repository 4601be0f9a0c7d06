/*
 * value.h — the runtime's values: what the data loader builds from partner
 * JSON and what the VM computes with.
 *
 * A value is 16 bytes: a kind tag and a payload.
 *
 *   kind      payload                         notes
 *   --------  ------------------------------  -------------------------------
 *   NULL      -                               an absent optional
 *   BOOL      as.b
 *   INT       as.i   (int64)
 *   MONEY     as.i   (int64 cents)            exact; never a double
 *   DATE      as.d   (days since 1970-01-01)  0001-01-01 .. 9999-12-31
 *   MONTH     as.d   (year * 12 + month - 1)  0001-01 .. 9999-12
 *   ENUM      as.e   (value index in its enum declaration order)
 *   STRING    as.s, len                       UTF-8, not NUL-terminated
 *   INTERVAL  as.iv  {lo, hi} days inclusive  empty when lo > hi
 *   RECORD    as.rec                          struct record in an arena
 *   LIST      as.list                         struct list in an arena
 *   MAP       as.map                          struct map (string keys)
 *
 * Records, lists, maps and the strings of partner data live in the session
 * arena and die with it; constant strings live in the module.
 */
#ifndef RUBRIC_VALUE_H
#define RUBRIC_VALUE_H

#include <stdbool.h>
#include <stdint.h>

typedef enum value_kind {
    VK_NULL = 0,
    VK_BOOL,
    VK_INT,
    VK_MONEY,
    VK_DATE,
    VK_MONTH,
    VK_ENUM,
    VK_STRING,
    VK_INTERVAL,
    VK_RECORD,
    VK_LIST,
    VK_MAP
} value_kind;

struct record;
struct list;
struct map;

typedef struct value {
    uint8_t kind;  /* value_kind */
    uint32_t len;  /* VK_STRING: length in bytes */
    union {
        bool b;
        int64_t i;
        int32_t d;
        uint32_t e;
        const char *s;
        struct {
            int32_t lo, hi;
        } iv;
        struct record *rec;
        struct list *list;
        struct map *map;
    } as;
} value;

/* A record of the module's schema: fields in declaration order. */
typedef struct record {
    uint32_t type;     /* record index in the module's schema */
    uint32_t nfields;
    value fields[];
} record;

typedef struct list {
    uint32_t count;
    value items[];
} list;

typedef struct map_entry {
    const char *key;
    uint32_t key_len;
    value value;
} map_entry;

/* A JSON object with free-form keys, in input order (keys are unique). */
typedef struct map {
    uint32_t count;
    map_entry entries[];
} map;

static inline value value_null(void)
{
    value v = {0};
    return v;
}

static inline value value_bool(bool b)
{
    value v = {0};
    v.kind = VK_BOOL;
    v.as.b = b;
    return v;
}

static inline value value_int(int64_t i)
{
    value v = {0};
    v.kind = VK_INT;
    v.as.i = i;
    return v;
}

static inline value value_money(int64_t cents)
{
    value v = {0};
    v.kind = VK_MONEY;
    v.as.i = cents;
    return v;
}

static inline value value_date(int32_t days)
{
    value v = {0};
    v.kind = VK_DATE;
    v.as.d = days;
    return v;
}

static inline value value_month(int32_t months)
{
    value v = {0};
    v.kind = VK_MONTH;
    v.as.d = months;
    return v;
}

static inline value value_enum(uint32_t index)
{
    value v = {0};
    v.kind = VK_ENUM;
    v.as.e = index;
    return v;
}

static inline value value_string(const char *s, uint32_t len)
{
    value v = {0};
    v.kind = VK_STRING;
    v.as.s = s;
    v.len = len;
    return v;
}

static inline value value_interval(int32_t lo, int32_t hi)
{
    value v = {0};
    v.kind = VK_INTERVAL;
    v.as.iv.lo = lo;
    v.as.iv.hi = hi;
    return v;
}

static inline bool value_is_null(value v)
{
    return v.kind == VK_NULL;
}

#endif /* RUBRIC_VALUE_H */
