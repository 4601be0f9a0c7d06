/*
 * write_json.c — results as JSON (spec/cli.md "Results"): one object per
 * partner and program, keys in the order the spec lists them, money as an
 * exact number, dates as "YYYY-MM-DD" strings, written from the result
 * model.  Also the value helpers the other writers share, and
 * write_with_model for callers that hold only a partner_report.
 */
#include "write.h"

#include <inttypes.h>
#include <string.h>

#include "calendar.h"
#include "money.h"

/* ------------------------------------------------------------ strings */

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when it is not one
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    uint32_t cp, min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Quotes and backslashes escaped, control characters as \u00XX, valid
 * UTF-8 as it is.  A byte that is not valid UTF-8 (data is validated when
 * read, so only a bug gets here) becomes U+FFFD: the output stays JSON. */
static void write_json_escaped(strbuf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t run = 0; /* start of the bytes not yet appended */
    sb_putc(out, '"');
    for (size_t i = 0; i < len;) {
        unsigned c = u[i];
        size_t seq = c < 0x80 ? 1 : utf8_sequence(u + i, len - i);
        bool plain = seq > 0 && c >= 0x20 && c != '"' && c != '\\';
        if (plain) {
            i += seq;
            continue;
        }
        if (i > run)
            sb_append(out, s + run, i - run);
        if (c == '"' || c == '\\') {
            sb_putc(out, '\\');
            sb_putc(out, (char)c);
        } else if (c < 0x20) {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            sb_append(out, esc, sizeof esc);
        } else {
            sb_puts(out, "\\ufffd");
        }
        i++;
        run = i;
    }
    if (len > run)
        sb_append(out, s + run, len - run);
    sb_putc(out, '"');
}

/* Printable ASCII other than the quote and the backslash: written as it is. */
static inline bool json_plain_byte(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* Nonzero when one of the 8 bytes of x may not be plain (the bit tricks of
 * "has a byte less than n" and "has a zero byte"; a false alarm only sends
 * the caller to the bytewise check). */
static inline uint64_t word_needs_check(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    uint64_t control = (x - ones * 0x20) & ~x;
    uint64_t is_quote = (quote - ones) & ~quote;
    uint64_t is_backslash = (backslash - ones) & ~backslash;
    return (control | is_quote | is_backslash | x) & highs;
}

static uint64_t load_word(const unsigned char *p)
{
    uint64_t word;
    memcpy(&word, p, sizeof word);
    return word;
}

/* Whether s[0..len) is all plain bytes: a word at a time, the last word
 * overlapping the one before it; shorter strings widened to a word. */
static bool json_all_plain(const unsigned char *u, size_t len)
{
    if (len >= 8) {
        for (size_t i = 0; i + 8 < len; i += 8)
            if (word_needs_check(load_word(u + i)))
                return false;
        return !word_needs_check(load_word(u + len - 8));
    }
    uint64_t word = 0x6161616161616161ull; /* plain padding */
    for (size_t i = 0; i < len; i++)
        word = word << 8 | u[i];
    return !word_needs_check(word);
}

/* The length of the plain bytes s starts with. */
static size_t json_plain_prefix(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (json_all_plain(u, len))
        return len;
    size_t i = 0;
    while (i < len && json_plain_byte(u[i]))
        i++;
    return i;
}

/* Almost every string is plain ASCII: one copy between the quotes. */
void write_json_string(strbuf *out, const char *s, size_t len)
{
    if (json_plain_prefix(s, len) < len) {
        write_json_escaped(out, s, len);
        return;
    }
    char *at = sb_extend(out, len + 2);
    if (!at)
        return;
    at[0] = '"';
    if (len) /* an empty string may come without a pointer */
        memcpy(at + 1, s, len);
    at[len + 1] = '"';
}

static void write_json_cstr(strbuf *out, const char *s)
{
    write_json_string(out, s, strlen(s));
}

/* ------------------------------------------------------------ values */

const char *write_enum_name(const bc_module *m, uint32_t enum_index, uint32_t index)
{
    if (enum_index >= m->nenums || index >= m->enums[enum_index].nvalues)
        return NULL;
    return module_str(m, m->enums[enum_index].values[index]);
}

uint32_t write_enum_of_type(const bc_module *m, uint32_t type)
{
    if (type < m->ntypes && m->types[type].kind == TK_OPTIONAL)
        type = m->types[type].arg;
    if (type < m->ntypes && m->types[type].kind == TK_ENUM)
        return m->types[type].arg;
    return BC_NONE;
}

/* The scalars whose JSON form is their bare text: numbers and booleans. */
static bool write_number_like(const rubric_value *v, strbuf *out)
{
    char buf[32];
    switch (v->kind) {
    case RUBRIC_VALUE_BOOL:
        sb_puts(out, v->as.boolean ? "true" : "false");
        return true;
    case RUBRIC_VALUE_COUNT:
        sb_put_int(out, v->as.count);
        return true;
    case RUBRIC_VALUE_MONEY:
        sb_append(out, buf, money_format_plain(v->as.cents, buf));
        return true;
    default:
        return false;
    }
}

void write_plain_model_value(const rubric_value *v, strbuf *out)
{
    char buf[11];
    if (write_number_like(v, out))
        return;
    switch (v->kind) {
    case RUBRIC_VALUE_DATE:
        cal_format_date(v->as.date.days, buf);
        sb_puts(out, buf);
        break;
    case RUBRIC_VALUE_MONTH:
        cal_format_month((int32_t)v->as.month.year * 12 + v->as.month.month - 1, buf);
        sb_puts(out, buf);
        break;
    case RUBRIC_VALUE_ENUM:
        if (v->as.enumerated.name)
            sb_puts(out, v->as.enumerated.name);
        else
            sb_printf(out, "%" PRIu32, v->as.enumerated.index);
        break;
    case RUBRIC_VALUE_STRING:
        sb_append(out, v->as.string.chars, v->as.string.length);
        break;
    default:
        break;
    }
}

void write_json_model_value(const rubric_value *v, strbuf *out)
{
    if (write_number_like(v, out))
        return;
    switch (v->kind) {
    case RUBRIC_VALUE_DATE:
    case RUBRIC_VALUE_MONTH:
        sb_putc(out, '"');
        write_plain_model_value(v, out);
        sb_putc(out, '"');
        break;
    case RUBRIC_VALUE_STRING:
        write_json_string(out, v->as.string.chars, v->as.string.length);
        break;
    case RUBRIC_VALUE_ENUM:
        if (v->as.enumerated.name)
            write_json_cstr(out, v->as.enumerated.name);
        else
            sb_printf(out, "%" PRIu32, v->as.enumerated.index);
        break;
    default:
        sb_puts(out, "null");
        break;
    }
}

static bool is_compound(value v)
{
    return v.kind == VK_INTERVAL || v.kind == VK_RECORD || v.kind == VK_LIST ||
           v.kind == VK_MAP;
}

static void write_json_compound(const bc_module *m, value v, uint32_t enum_index,
                                strbuf *out);

void write_plain_value(const bc_module *m, value v, uint32_t enum_index, strbuf *out)
{
    if (is_compound(v)) {
        /* Compound values have no bare form; JSON is unambiguous. */
        write_json_compound(m, v, enum_index, out);
        return;
    }
    rubric_value scalar = model_value(m, v, enum_index);
    write_plain_model_value(&scalar, out);
}

static void write_json_record(const bc_module *m, const record *rec, strbuf *out)
{
    const bc_record *type = rec->type < m->nrecords ? &m->records[rec->type] : NULL;
    sb_putc(out, '{');
    for (uint32_t i = 0; i < rec->nfields; i++) {
        if (i)
            sb_putc(out, ',');
        if (type && i < type->nfields) {
            write_json_cstr(out, module_str(m, type->fields[i].name));
            sb_putc(out, ':');
            write_json_value(m, rec->fields[i], write_enum_of_type(m, type->fields[i].type),
                             out);
        } else {
            sb_printf(out, "\"%" PRIu32 "\":", i);
            write_json_value(m, rec->fields[i], BC_NONE, out);
        }
    }
    sb_putc(out, '}');
}

/* Lists pass enum_index on to their elements (a list of that enum). */
static void write_json_compound(const bc_module *m, value v, uint32_t enum_index,
                                strbuf *out)
{
    char lo[11], hi[11];
    switch (v.kind) {
    case VK_INTERVAL:
        cal_format_date(v.as.iv.lo, lo);
        cal_format_date(v.as.iv.hi, hi);
        sb_printf(out, "[\"%s\",\"%s\"]", lo, hi);
        break;
    case VK_RECORD:
        write_json_record(m, v.as.rec, out);
        break;
    case VK_LIST:
        sb_putc(out, '[');
        for (uint32_t i = 0; i < v.as.list->count; i++) {
            if (i)
                sb_putc(out, ',');
            write_json_value(m, v.as.list->items[i], enum_index, out);
        }
        sb_putc(out, ']');
        break;
    case VK_MAP:
        sb_putc(out, '{');
        for (uint32_t i = 0; i < v.as.map->count; i++) {
            const map_entry *e = &v.as.map->entries[i];
            if (i)
                sb_putc(out, ',');
            write_json_string(out, e->key, e->key_len);
            sb_putc(out, ':');
            write_json_value(m, e->value, enum_index, out);
        }
        sb_putc(out, '}');
        break;
    default:
        sb_puts(out, "null");
        break;
    }
}

void write_json_value(const bc_module *m, value v, uint32_t enum_index, strbuf *out)
{
    if (is_compound(v)) {
        write_json_compound(m, v, enum_index, out);
        return;
    }
    rubric_value scalar = model_value(m, v, enum_index);
    write_json_model_value(&scalar, out);
}

/* ------------------------------------------------------------ layout */

enum { JW_MAX_DEPTH = 64 };

/* Commas, newlines and indentation of one object being written. */
typedef struct json_writer {
    strbuf *out;
    bool pretty;
    int base;                       /* spaces before the outermost level */
    int depth;
    bool nonempty[JW_MAX_DEPTH];    /* the level has a member already   */
} json_writer;

static bool *jw_level(json_writer *w)
{
    return &w->nonempty[w->depth < JW_MAX_DEPTH ? w->depth : JW_MAX_DEPTH - 1];
}

static void jw_newline(json_writer *w)
{
    if (!w->pretty)
        return;
    sb_putc(w->out, '\n');
    sb_pad(w->out, ' ', (size_t)(w->base + 2 * w->depth));
}

/* Before a member or an element: the comma and the line break. */
static void jw_next(json_writer *w)
{
    bool *level = jw_level(w);
    if (*level)
        sb_putc(w->out, ',');
    *level = true;
    jw_newline(w);
}

static void jw_open(json_writer *w, char bracket)
{
    sb_putc(w->out, bracket);
    w->depth++;
    *jw_level(w) = false;
}

/* Empty objects and arrays stay on one line: {} and []. */
static void jw_close(json_writer *w, char bracket)
{
    bool any = *jw_level(w);
    w->depth--;
    if (any)
        jw_newline(w);
    sb_putc(w->out, bracket);
}

/* Compact output, plain key: the comma, the quoted key and the colon in one
 * append, the writer's most frequent piece. */
static bool jw_compact_key(json_writer *w, const char *key, size_t len)
{
    if (w->pretty || json_plain_prefix(key, len) < len)
        return false;
    bool *level = jw_level(w);
    size_t comma = *level ? 1 : 0;
    *level = true;
    char *at = sb_extend(w->out, comma + len + 3);
    if (!at)
        return true;
    at[0] = ',';
    at += comma;
    at[0] = '"';
    memcpy(at + 1, key, len);
    at[len + 1] = '"';
    at[len + 2] = ':';
    return true;
}

/* Keys are mostly literals: KEY("id") passes the length along. */
#define KEY(literal) literal, sizeof literal - 1

static void jw_key(json_writer *w, const char *key, size_t len)
{
    if (jw_compact_key(w, key, len))
        return;
    jw_next(w);
    write_json_string(w->out, key, len);
    sb_putc(w->out, ':');
    if (w->pretty)
        sb_putc(w->out, ' ');
}

static void jw_string(json_writer *w, const char *key, size_t len, const char *s)
{
    jw_key(w, key, len);
    if (s)
        write_json_cstr(w->out, s);
    else
        sb_puts(w->out, "null");
}

static void jw_bool(json_writer *w, const char *key, size_t len, bool b)
{
    jw_key(w, key, len);
    sb_puts(w->out, b ? "true" : "false");
}

static void jw_value(json_writer *w, const char *key, size_t len, const rubric_value *v)
{
    jw_key(w, key, len);
    write_json_model_value(v, w->out);
}

static void jw_date(json_writer *w, const char *key, size_t len, rubric_date date)
{
    rubric_value v = {RUBRIC_VALUE_DATE, {.date = date}};
    jw_value(w, key, len, &v);
}

/* ------------------------------------------------------------ results */

static void write_requirements(json_writer *w, const rubric_requirement *reqs, size_t count);

static void write_requirement(json_writer *w, const rubric_requirement *q)
{
    jw_open(w, '{');
    jw_string(w, KEY("id"), q->id);
    jw_string(w, KEY("name"), q->name);
    jw_string(w, KEY("category"), q->category);
    jw_bool(w, KEY("time_bound"), q->time_bound);
    jw_string(w, KEY("status"), rubric_req_status_name(q->status));
    jw_value(w, KEY("actual"), &q->actual);
    jw_value(w, KEY("required"), &q->required);
    jw_string(w, KEY("unit"), rubric_unit_name(q->unit));
    jw_key(w, KEY("parts"));
    write_requirements(w, q->parts, q->part_count);
    jw_close(w, '}');
}

static void write_requirements(json_writer *w, const rubric_requirement *reqs, size_t count)
{
    jw_open(w, '[');
    for (size_t i = 0; i < count; i++) {
        jw_next(w);
        write_requirement(w, &reqs[i]);
    }
    jw_close(w, ']');
}

static void write_renewal(json_writer *w, const rubric_view *v)
{
    jw_key(w, KEY("renewal"));
    if (!v) {
        sb_puts(w->out, "null");
        return;
    }
    jw_open(w, '{');
    jw_string(w, KEY("tier"), v->tier);
    jw_value(w, KEY("review_date"), &v->review_date);
    jw_string(w, KEY("status"), rubric_req_status_name(v->status));
    jw_key(w, KEY("requirements"));
    write_requirements(w, v->requirements, v->requirement_count);
    jw_close(w, '}');
}

static void write_upgrade(json_writer *w, const rubric_view *v)
{
    jw_key(w, KEY("upgrade"));
    if (!v) {
        sb_puts(w->out, "null");
        return;
    }
    jw_open(w, '{');
    jw_string(w, KEY("tier"), v->tier);
    jw_bool(w, KEY("eligible"), v->eligible);
    jw_key(w, KEY("requirements"));
    write_requirements(w, v->requirements, v->requirement_count);
    jw_close(w, '}');
}

static void write_tiered(json_writer *w, const rubric_result *r)
{
    jw_string(w, KEY("current_tier"), r->current_tier);
    jw_string(w, KEY("eligible_tier"), r->eligible_tier);
    write_renewal(w, r->renewal);
    write_upgrade(w, r->upgrade);
    jw_key(w, KEY("tiers"));
    jw_open(w, '[');
    for (size_t t = 0; t < r->tier_count; t++) {
        const rubric_view *v = &r->tiers[t];
        jw_next(w);
        jw_open(w, '{');
        jw_string(w, KEY("tier"), v->tier);
        jw_bool(w, KEY("satisfied"), v->satisfied);
        jw_key(w, KEY("requirements"));
        write_requirements(w, v->requirements, v->requirement_count);
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

static void write_items(json_writer *w, const rubric_result *r)
{
    jw_key(w, r->items_name, strlen(r->items_name));
    jw_open(w, '[');
    size_t label_len = strlen(r->item_label_name);
    for (size_t i = 0; i < r->item_count; i++) {
        const rubric_item *it = &r->items[i];
        jw_next(w);
        jw_open(w, '{');
        jw_value(w, r->item_label_name, label_len, &it->label);
        jw_string(w, KEY("status"), rubric_item_status_name(it->status));
        jw_key(w, KEY("requirements"));
        write_requirements(w, it->requirements, it->requirement_count);
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

static void write_lists(json_writer *w, const rubric_result *r)
{
    for (size_t l = 0; l < r->list_count; l++) {
        const rubric_list *list = &r->lists[l];
        jw_key(w, list->name, strlen(list->name));
        jw_open(w, '[');
        for (size_t row = 0; row < list->row_count; row++) {
            const rubric_value *values = &list->values[row * list->column_count];
            jw_next(w);
            jw_open(w, '{');
            for (size_t c = 0; c < list->column_count; c++)
                jw_value(w, list->columns[c], strlen(list->columns[c]), &values[c]);
            jw_close(w, '}');
        }
        jw_close(w, ']');
    }
}

static void write_heading(json_writer *w, const rubric_result *r)
{
    jw_key(w, KEY("partner"));
    jw_open(w, '{');
    jw_value(w, KEY("id"), &r->partner_id);
    jw_value(w, KEY("name"), &r->partner_name);
    jw_close(w, '}');
    jw_key(w, KEY("program"));
    jw_open(w, '{');
    jw_string(w, KEY("id"), r->program_id);
    jw_string(w, KEY("title"), r->program_title);
    jw_string(w, KEY("version"), r->program_version);
    jw_close(w, '}');
    jw_date(w, KEY("as_of"), r->as_of);
}

void write_model_json(const rubric_result *r, bool pretty, int indent, strbuf *out)
{
    json_writer w = {0};
    w.out = out;
    w.pretty = pretty;
    w.base = indent;
    jw_open(&w, '{');
    write_heading(&w, r);
    if (r->kind == RUBRIC_PROGRAM_PER_ITEM)
        write_items(&w, r);
    else
        write_tiered(&w, r);
    write_lists(&w, r);
    jw_close(&w, '}');
}

void write_model_jsonl(const report_model *model, strbuf *out)
{
    for (size_t i = 0; i < model->nresults; i++) {
        write_model_json(&model->results[i], false, 0, out);
        sb_putc(out, '\n');
    }
}

/* ------------------------------------------------------------ from a report */

void write_with_model(const partner_report *reports, uint32_t nreports, bool gaps,
                      write_model_fn fn, void *user, strbuf *out)
{
    arena mem;
    arena_init(&mem, out->alloc, 0);
    const report_model *models =
        model_build(reports, nreports, &mem, gaps ? MODEL_ALL : MODEL_NO_GAPS);
    if (models)
        fn(models, nreports, user, out);
    else
        out->failed = true;
    arena_free(&mem);
}

typedef struct json_request {
    uint32_t result;
    bool pretty;
    int indent;
} json_request;

static void json_of_model(const report_model *models, uint32_t nmodels, void *user,
                          strbuf *out)
{
    const json_request *req = user;
    if (nmodels && req->result < models[0].nresults)
        write_model_json(&models[0].results[req->result], req->pretty, req->indent, out);
}

void write_result_json(const partner_report *report, uint32_t result, bool pretty, int indent,
                       strbuf *out)
{
    json_request req = {result, pretty, indent};
    write_with_model(report, 1, false, json_of_model, &req, out);
}

static void jsonl_of_model(const report_model *models, uint32_t nmodels, void *user,
                           strbuf *out)
{
    (void)user;
    for (uint32_t u = 0; u < nmodels; u++)
        write_model_jsonl(&models[u], out);
}

void write_report_jsonl(const partner_report *report, strbuf *out)
{
    write_with_model(report, 1, false, jsonl_of_model, NULL, out);
}
