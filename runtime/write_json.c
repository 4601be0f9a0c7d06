/*
 * write_json.c — results as JSON (spec/cli.md "Results"): one object per
 * partner and program, keys in the order the spec lists them, money as an
 * exact number, dates as "YYYY-MM-DD" strings.  Also the value helpers the
 * text and csv writers share.
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

const char *write_unit_name(uint8_t unit)
{
    switch (unit) {
    case UNIT_USD:
        return "usd";
    case UNIT_MONTHS:
        return "months";
    case UNIT_BOOL:
        return "bool";
    case UNIT_CHOICE:
        return "choice";
    default:
        return "count";
    }
}

const char *write_node_category(const bc_program *p, const bc_module *m, uint32_t node)
{
    while (node < p->nnodes) {
        const bc_node *n = &p->nodes[node];
        if (n->category != BC_NONE)
            return module_str(m, n->category);
        node = n->parent;
    }
    return "";
}

/* The scalars whose JSON form is their bare text: numbers and booleans. */
static bool write_number_like(value v, strbuf *out)
{
    char buf[32];
    switch (v.kind) {
    case VK_BOOL:
        sb_puts(out, v.as.b ? "true" : "false");
        return true;
    case VK_INT:
        sb_put_int(out, v.as.i);
        return true;
    case VK_MONEY:
        sb_append(out, buf, money_format_plain(v.as.i, buf));
        return true;
    default:
        return false;
    }
}

void write_plain_value(const bc_module *m, value v, uint32_t enum_index, strbuf *out)
{
    char buf[11];
    if (write_number_like(v, out))
        return;
    switch (v.kind) {
    case VK_DATE:
        cal_format_date(v.as.d, buf);
        sb_puts(out, buf);
        break;
    case VK_MONTH:
        cal_format_month(v.as.d, buf);
        sb_puts(out, buf);
        break;
    case VK_ENUM: {
        const char *name = write_enum_name(m, enum_index, v.as.e);
        if (name)
            sb_puts(out, name);
        else
            sb_printf(out, "%" PRIu32, v.as.e);
        break;
    }
    case VK_STRING:
        sb_append(out, v.as.s, v.len);
        break;
    case VK_NULL:
        break;
    default:
        /* Compound values have no bare form; JSON is unambiguous. */
        write_json_value(m, v, enum_index, out);
        break;
    }
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
    if (write_number_like(v, out))
        return;
    switch (v.kind) {
    case VK_NULL:
        sb_puts(out, "null");
        break;
    case VK_DATE:
    case VK_MONTH:
        sb_putc(out, '"');
        write_plain_value(m, v, enum_index, out);
        sb_putc(out, '"');
        break;
    case VK_STRING:
        write_json_string(out, v.as.s, v.len);
        break;
    case VK_ENUM: {
        const char *name = write_enum_name(m, enum_index, v.as.e);
        if (name)
            write_json_cstr(out, name);
        else
            sb_printf(out, "%" PRIu32, v.as.e);
        break;
    }
    default:
        write_json_compound(m, v, enum_index, out);
        break;
    }
}

/* ------------------------------------------------------------ layout */

enum { JW_MAX_DEPTH = 64 };

/* Commas, newlines and indentation of one object being written. */
typedef struct json_writer {
    const bc_module *m;
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

/* A string of the module, whose length is known. */
static void jw_module_str(json_writer *w, const char *key, size_t len, uint32_t s)
{
    jw_key(w, key, len);
    const bc_string *str = &w->m->strings[s];
    write_json_string(w->out, str->ptr, str->len);
}

static void jw_bool(json_writer *w, const char *key, size_t len, bool b)
{
    jw_key(w, key, len);
    sb_puts(w->out, b ? "true" : "false");
}

static void jw_value(json_writer *w, const char *key, size_t len, value v, uint32_t enum_index)
{
    jw_key(w, key, len);
    write_json_value(w->m, v, enum_index, w->out);
}

/* ------------------------------------------------------------ results */

static const char *tier_name(const bc_module *m, const bc_program *p, uint32_t tier)
{
    return write_enum_name(m, p->tier_enum, p->tiers[tier]);
}

static void write_req_list(json_writer *w, const bc_program *p, const req_list *list);

static void write_requirement(json_writer *w, const bc_program *p, const req_result *q)
{
    const bc_module *m = w->m;
    const bc_node *n = &p->nodes[q->node];
    jw_open(w, '{');
    jw_module_str(w, KEY("id"), n->id);
    jw_module_str(w, KEY("name"), n->name);
    jw_string(w, KEY("category"), write_node_category(p, m, q->node));
    jw_bool(w, KEY("time_bound"), q->time_bound);
    jw_string(w, KEY("status"), rubric_req_status_name((rubric_req_status)q->status));
    jw_value(w, KEY("actual"), q->actual, BC_NONE);
    jw_value(w, KEY("required"), q->required, BC_NONE);
    jw_string(w, KEY("unit"), write_unit_name(n->unit));
    jw_key(w, KEY("parts"));
    write_req_list(w, p, &q->parts);
    jw_close(w, '}');
}

static void write_req_list(json_writer *w, const bc_program *p, const req_list *list)
{
    jw_open(w, '[');
    for (uint32_t i = 0; i < list->count; i++) {
        jw_next(w);
        write_requirement(w, p, &list->items[i]);
    }
    jw_close(w, ']');
}

static void write_renewal(json_writer *w, const bc_program *p, const program_result *r)
{
    jw_key(w, KEY("renewal"));
    if (!r->has_renewal) {
        sb_puts(w->out, "null");
        return;
    }
    jw_open(w, '{');
    jw_string(w, KEY("tier"), tier_name(w->m, p, r->renewal_tier));
    jw_value(w, KEY("review_date"), value_date(r->review_date), BC_NONE);
    jw_string(w, KEY("status"), rubric_req_status_name((rubric_req_status)r->renewal_status));
    jw_key(w, KEY("requirements"));
    write_req_list(w, p, &r->renewal);
    jw_close(w, '}');
}

static void write_upgrade(json_writer *w, const bc_program *p, const program_result *r)
{
    jw_key(w, KEY("upgrade"));
    if (!r->has_upgrade) {
        sb_puts(w->out, "null");
        return;
    }
    jw_open(w, '{');
    jw_string(w, KEY("tier"), tier_name(w->m, p, r->upgrade_tier));
    jw_bool(w, KEY("eligible"), r->upgrade_eligible);
    jw_key(w, KEY("requirements"));
    write_req_list(w, p, &r->upgrade);
    jw_close(w, '}');
}

static void write_tiered(json_writer *w, const bc_program *p, const program_result *r)
{
    jw_string(w, KEY("current_tier"), write_enum_name(w->m, p->tier_enum, r->current_tier));
    jw_string(w, KEY("eligible_tier"), r->eligible >= 0 ? tier_name(w->m, p, (uint32_t)r->eligible)
                                                   : NULL);
    write_renewal(w, p, r);
    write_upgrade(w, p, r);
    jw_key(w, KEY("tiers"));
    jw_open(w, '[');
    for (uint32_t t = 0; t < r->ntiers; t++) {
        jw_next(w);
        jw_open(w, '{');
        jw_string(w, KEY("tier"), tier_name(w->m, p, r->tiers[t].tier));
        jw_bool(w, KEY("satisfied"), r->tiers[t].satisfied);
        jw_key(w, KEY("requirements"));
        write_req_list(w, p, &r->tiers[t].reqs);
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

static const char *str_or(const bc_module *m, uint32_t s, const char *fallback)
{
    return s < m->nstrings ? module_str(m, s) : fallback;
}

static void write_items(json_writer *w, const bc_program *p, const program_result *r)
{
    const char *label = str_or(w->m, p->item_label_name, "label");
    const char *items = str_or(w->m, p->items_name, "items");
    jw_key(w, items, strlen(items));
    jw_open(w, '[');
    for (uint32_t i = 0; i < r->nitems; i++) {
        const item_result *it = &r->items[i];
        jw_next(w);
        jw_open(w, '{');
        jw_value(w, label, strlen(label), it->label, BC_NONE);
        jw_string(w, KEY("status"), it->ready ? "ready" : "not_ready");
        jw_key(w, KEY("requirements"));
        write_req_list(w, p, &it->reqs);
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

static void write_report_row(json_writer *w, const bc_report_list *list, const report_row *row)
{
    const bc_module *m = w->m;
    jw_open(w, '{');
    for (uint32_t c = 0; c < list->ncolumns; c++) {
        const bc_report_column *col = &list->columns[c];
        uint32_t type = col->chunk < m->nchunks ? m->chunks[col->chunk].ret_type : BC_NONE;
        const bc_string *name = &m->strings[col->name];
        jw_value(w, name->ptr, name->len, row->values[c], write_enum_of_type(m, type));
    }
    jw_close(w, '}');
}

static void write_lists(json_writer *w, const bc_program *p, const program_result *r)
{
    for (uint32_t l = 0; l < r->nlists; l++) {
        const report_list_result *lr = &r->lists[l];
        const bc_report_list *list = &p->lists[lr->list];
        const bc_string *name = &w->m->strings[list->name];
        jw_key(w, name->ptr, name->len);
        jw_open(w, '[');
        for (uint32_t i = 0; i < lr->nrows; i++) {
            jw_next(w);
            write_report_row(w, list, &lr->rows[i]);
        }
        jw_close(w, ']');
    }
}

static void write_heading(json_writer *w, const partner_report *report, const bc_program *p,
                          const program_result *r)
{
    const bc_module *m = w->m;
    jw_key(w, KEY("partner"));
    jw_open(w, '{');
    jw_value(w, KEY("id"), report->id, BC_NONE);
    jw_value(w, KEY("name"), report->name, BC_NONE);
    jw_close(w, '}');
    jw_key(w, KEY("program"));
    jw_open(w, '{');
    jw_module_str(w, KEY("id"), p->id);
    jw_string(w, KEY("title"), str_or(m, p->title, NULL));
    jw_string(w, KEY("version"), str_or(m, p->version, NULL));
    jw_close(w, '}');
    jw_value(w, KEY("as_of"), value_date(r->as_of), BC_NONE);
}

void write_result_json(const partner_report *report, uint32_t result, bool pretty, int indent,
                       strbuf *out)
{
    const bc_module *m = report->module;
    const program_result *r = &report->results[result];
    const bc_program *p = &m->programs[r->program];
    json_writer w = {0};
    w.m = m;
    w.out = out;
    w.pretty = pretty;
    w.base = indent;
    jw_open(&w, '{');
    write_heading(&w, report, p, r);
    if (p->kind == PROGRAM_PER_ITEM)
        write_items(&w, p, r);
    else
        write_tiered(&w, p, r);
    write_lists(&w, p, r);
    jw_close(&w, '}');
}

void write_report_jsonl(const partner_report *report, strbuf *out)
{
    for (uint32_t i = 0; i < report->nresults; i++) {
        write_result_json(report, i, false, 0, out);
        sb_putc(out, '\n');
    }
}
