/*
 * bc_writer.c — serializing a bc_module to the .rbc format.
 *
 * Every field is written at a fixed width in little-endian order, in the
 * order docs/bytecode.md lists it, so the same module always gives the same
 * bytes.  Each section is built in its own buffer; the header's section
 * table is filled in once their lengths are known.
 */
#include <string.h>

#include "bytecode.h"

/* ------------------------------------------------------------ encoding */

static void put_u8(strbuf *sb, uint8_t v)
{
    sb_putc(sb, (char)v);
}

static void put_u16(strbuf *sb, uint16_t v)
{
    char b[2] = {(char)(v & 0xff), (char)(v >> 8)};
    sb_append(sb, b, 2);
}

static void put_u32(strbuf *sb, uint32_t v)
{
    char b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (char)((v >> (8 * i)) & 0xff);
    sb_append(sb, b, 4);
}

static void put_u64(strbuf *sb, uint64_t v)
{
    put_u32(sb, (uint32_t)v);
    put_u32(sb, (uint32_t)(v >> 32));
}

static void put_u32_array(strbuf *sb, const uint32_t *items, uint32_t n)
{
    put_u32(sb, n);
    for (uint32_t i = 0; i < n; i++)
        put_u32(sb, items[i]);
}

/* ------------------------------------------------------------ sections */

static void write_strings(const bc_module *m, strbuf *sb)
{
    put_u32(sb, m->nstrings);
    for (uint32_t i = 0; i < m->nstrings; i++) {
        put_u32(sb, m->strings[i].len);
        sb_append(sb, m->strings[i].ptr, m->strings[i].len);
    }
}

static void write_types(const bc_module *m, strbuf *sb)
{
    put_u32(sb, m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        put_u8(sb, m->types[i].kind);
        put_u32(sb, m->types[i].arg);
    }
}

/* The module string holding exactly these bytes.  Constant strings point
 * into the string table, so the pointer usually matches at once. */
static bool string_index(const bc_module *m, const char *s, uint32_t len,
                         uint32_t *out)
{
    for (uint32_t i = 0; i < m->nstrings; i++) {
        if (m->strings[i].ptr == s && m->strings[i].len == len) {
            *out = i;
            return true;
        }
    }
    for (uint32_t i = 0; i < m->nstrings; i++) {
        if (m->strings[i].len == len && memcmp(m->strings[i].ptr, s, len) == 0) {
            *out = i;
            return true;
        }
    }
    return false;
}

/* A scalar value: its kind byte, then its payload.  False when a string is
 * not in the module's string table (it could not be read back). */
static bool write_scalar(const bc_module *m, value v, strbuf *sb)
{
    put_u8(sb, v.kind);
    switch (v.kind) {
    case VK_BOOL:
        put_u8(sb, v.as.b ? 1 : 0);
        return true;
    case VK_INT:
    case VK_MONEY:
        put_u64(sb, (uint64_t)v.as.i);
        return true;
    case VK_DATE:
    case VK_MONTH:
        put_u32(sb, (uint32_t)v.as.d);
        return true;
    case VK_ENUM:
        put_u32(sb, v.as.e);
        return true;
    case VK_STRING: {
        uint32_t index;
        if (!string_index(m, v.as.s, v.len, &index))
            return false;
        put_u32(sb, index);
        return true;
    }
    case VK_INTERVAL:
        put_u32(sb, (uint32_t)v.as.iv.lo);
        put_u32(sb, (uint32_t)v.as.iv.hi);
        return true;
    default:
        return true; /* VK_NULL: the kind says it all */
    }
}

static bool write_value(const bc_module *m, value v, strbuf *sb)
{
    if (v.kind == VK_LIST) {
        put_u8(sb, VK_LIST);
        put_u32(sb, v.as.list->count);
        for (uint32_t i = 0; i < v.as.list->count; i++)
            if (!write_scalar(m, v.as.list->items[i], sb))
                return false;
        return true;
    }
    if (v.kind == VK_MAP) {
        put_u8(sb, VK_MAP);
        put_u32(sb, v.as.map->count);
        for (uint32_t i = 0; i < v.as.map->count; i++) {
            const map_entry *e = &v.as.map->entries[i];
            uint32_t key;
            if (!string_index(m, e->key, e->key_len, &key))
                return false;
            put_u32(sb, key);
            if (!write_scalar(m, e->value, sb))
                return false;
        }
        return true;
    }
    return write_scalar(m, v, sb);
}

static bool write_consts(const bc_module *m, strbuf *sb)
{
    put_u32(sb, m->nconsts);
    for (uint32_t i = 0; i < m->nconsts; i++) {
        put_u32(sb, m->consts[i].type);
        if (!write_value(m, m->consts[i].v, sb))
            return false;
    }
    return true;
}

static void write_enums(const bc_module *m, strbuf *sb)
{
    put_u32(sb, m->nenums);
    for (uint32_t i = 0; i < m->nenums; i++) {
        const bc_enum *e = &m->enums[i];
        put_u32(sb, e->name);
        put_u8(sb, e->ordered ? 1 : 0);
        put_u32_array(sb, e->values, e->nvalues);
        put_u32(sb, e->naliases);
        for (uint32_t k = 0; k < e->naliases; k++) {
            put_u32(sb, e->aliases[k].name);
            put_u32(sb, e->aliases[k].value);
        }
    }
}

static void write_records(const bc_module *m, strbuf *sb)
{
    put_u32(sb, m->nrecords);
    for (uint32_t i = 0; i < m->nrecords; i++) {
        const bc_record *r = &m->records[i];
        put_u32(sb, r->name);
        put_u32(sb, r->nfields);
        for (uint32_t k = 0; k < r->nfields; k++) {
            const bc_field *f = &r->fields[k];
            put_u32(sb, f->name);
            put_u32(sb, f->type);
            put_u8(sb, f->flags);
            put_u32(sb, f->default_value);
            put_u32(sb, f->required_when_field);
            put_u32(sb, f->required_when_values);
        }
    }
}

static void write_schema(const bc_module *m, strbuf *sb)
{
    put_u8(sb, m->has_schema ? 1 : 0);
    if (!m->has_schema)
        return;
    put_u32(sb, m->schema.name);
    put_u32(sb, m->schema.root);
    put_u32(sb, m->schema.key_field);
    put_u32(sb, m->schema.label_field);
    put_u32(sb, m->schema.tag_field);
}

static void write_chunks(const bc_module *m, strbuf *sb)
{
    put_u32(sb, m->nchunks);
    for (uint32_t i = 0; i < m->nchunks; i++) {
        const bc_chunk *c = &m->chunks[i];
        put_u32(sb, c->name);
        put_u8(sb, c->flags);
        put_u16(sb, c->nparams);
        for (uint32_t k = 0; k < c->nparams; k++)
            put_u32(sb, c->param_types[k]);
        put_u32(sb, c->ret_type);
        put_u32(sb, c->code_len);
        sb_append(sb, (const char *)c->code, c->code_len);
    }
}

static void write_node(const bc_node *n, uint32_t columns, strbuf *sb)
{
    put_u32(sb, n->id);
    put_u32(sb, n->name);
    put_u32(sb, n->category);
    put_u8(sb, n->kind);
    put_u8(sb, n->unit);
    put_u8(sb, n->cmp);
    put_u8(sb, n->flags);
    put_u32(sb, n->parent);
    put_u32(sb, n->measure);
    put_u32(sb, n->na_when);
    put_u32(sb, n->grace_when);
    put_u32(sb, n->at_risk_when);
    put_u32_array(sb, n->parts, n->nparts);
    for (uint32_t t = 0; t < columns; t++) {
        bc_threshold th = n->thresholds ? n->thresholds[t] : (bc_threshold){TH_NONE, 0};
        put_u8(sb, th.kind);
        put_u32(sb, th.index);
    }
    put_u32(sb, n->sustained_tier);
    put_u32_array(sb, n->checked, n->nchecked);
}

static void write_report_list(const bc_report_list *l, strbuf *sb)
{
    put_u32(sb, l->name);
    put_u32(sb, l->items);
    put_u32(sb, l->ncolumns);
    for (uint32_t c = 0; c < l->ncolumns; c++) {
        put_u32(sb, l->columns[c].name);
        put_u32(sb, l->columns[c].chunk);
    }
}

static void write_program(const bc_program *p, strbuf *sb)
{
    put_u32(sb, p->id);
    put_u32(sb, p->title);
    put_u32(sb, p->version);
    put_u8(sb, p->kind);
    put_u32(sb, p->applies);
    put_u32(sb, p->tier_enum);
    put_u32_array(sb, p->tiers, p->ntiers);
    put_u32(sb, p->current_tier);
    put_u32(sb, p->rolling_window);
    put_u32(sb, p->renewal_window);
    put_u32(sb, p->review_date);
    put_u32(sb, p->items_name);
    put_u32(sb, p->items);
    put_u32(sb, p->item_label_name);
    put_u32(sb, p->item_label);
    /* Threshold columns: one per tier, or one for a per-item program (the
     * same rule module_release uses). */
    uint32_t columns = p->kind == PROGRAM_TIERED ? p->ntiers : 1;
    put_u32(sb, p->nnodes);
    for (uint32_t i = 0; i < p->nnodes; i++)
        write_node(&p->nodes[i], columns, sb);
    put_u32(sb, p->nlists);
    for (uint32_t i = 0; i < p->nlists; i++)
        write_report_list(&p->lists[i], sb);
    put_u32(sb, p->nerrors);
    for (uint32_t i = 0; i < p->nerrors; i++) {
        put_u32(sb, p->errors[i].when);
        put_u32(sb, p->errors[i].text);
        put_u32_array(sb, p->errors[i].args, p->errors[i].nargs);
    }
}

static void write_programs(const bc_module *m, strbuf *sb)
{
    put_u32(sb, m->nprograms);
    for (uint32_t i = 0; i < m->nprograms; i++)
        write_program(&m->programs[i], sb);
}

static bool write_section(const bc_module *m, uint32_t id, strbuf *sb)
{
    switch (id) {
    case BC_SEC_STRINGS:
        write_strings(m, sb);
        return true;
    case BC_SEC_TYPES:
        write_types(m, sb);
        return true;
    case BC_SEC_CONSTS:
        return write_consts(m, sb);
    case BC_SEC_ENUMS:
        write_enums(m, sb);
        return true;
    case BC_SEC_RECORDS:
        write_records(m, sb);
        return true;
    case BC_SEC_SCHEMA:
        write_schema(m, sb);
        return true;
    case BC_SEC_CHUNKS:
        write_chunks(m, sb);
        return true;
    default:
        write_programs(m, sb);
        return true;
    }
}

/* ------------------------------------------------------------ file */

bool bc_write(const bc_module *m, strbuf *out)
{
    strbuf body;
    sb_init(&body, out->alloc);
    uint32_t lengths[BC_SECTION_COUNT];
    bool ok = true;
    for (uint32_t id = 1; id <= BC_SECTION_COUNT && ok; id++) {
        size_t before = body.len;
        ok = write_section(m, id, &body);
        lengths[id - 1] = (uint32_t)(body.len - before);
    }
    if (!ok || body.failed || body.len > BC_MAX_FILE_SIZE) {
        sb_free(&body);
        return false;
    }
    size_t start = out->len;
    sb_append(out, BC_MAGIC, BC_MAGIC_LEN);
    put_u16(out, BC_FORMAT_VERSION);
    put_u16(out, 0);
    put_u32(out, BC_SECTION_COUNT);
    uint32_t offset = BC_HEADER_SIZE + 12u * BC_SECTION_COUNT;
    for (uint32_t id = 1; id <= BC_SECTION_COUNT; id++) {
        put_u32(out, id);
        put_u32(out, offset);
        put_u32(out, lengths[id - 1]);
        offset += lengths[id - 1];
    }
    sb_append(out, body.data, body.len);
    sb_free(&body);
    if (out->failed)
        return false;
    put_u32(out, bc_crc32(out->data + start, out->len - start));
    return !out->failed;
}
