/*
 * bc_reader.c — parsing .rbc bytes into a bc_module.
 *
 * The input is hostile.  Every count and length is checked against the
 * bytes that remain in its section before anything is allocated, every read
 * is bounds-checked, and the first problem stops the parse with a reason
 * naming the section and the file offset.  Errors are sticky: after one,
 * reads return zero and counts come back as zero, so loops end on their own
 * and the code stays free of checks after every read.
 *
 * Arrays are allocated with exactly count elements and the count is stored
 * only once the array exists, so module_release can free a half-read module.
 * Whether indices point anywhere sensible is bc_verify's job, not this one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bytecode.h"

typedef struct reader {
    const uint8_t *bytes;      /* the whole file */
    size_t pos;                /* next byte to read */
    size_t end;                /* end of the current section */
    uint32_t section;          /* bc_section_id being read, 0 in the header */
    const rubric_allocator *alloc;
    bc_module *m;
    char *err;
    size_t err_size;
    bool failed;               /* sticky */
} reader;

static const char *const section_names[BC_SECTION_COUNT + 1] = {
    "header", "strings", "types", "consts", "enums",
    "records", "schema", "chunks", "programs"};

static void fail(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(reader *r, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, r->err_size, fmt, ap);
    va_end(ap);
}

static void fail_truncated(reader *r)
{
    fail(r, "section %u (%s) is truncated at byte %zu", r->section,
         section_names[r->section], r->pos);
}

/* ------------------------------------------------------------ primitives */

static bool have(reader *r, size_t n)
{
    if (r->failed)
        return false;
    if (r->end - r->pos < n) {
        fail_truncated(r);
        return false;
    }
    return true;
}

static uint64_t get_le(reader *r, size_t n)
{
    if (!have(r, n))
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)r->bytes[r->pos + i] << (8 * i);
    r->pos += n;
    return v;
}

static uint8_t get_u8(reader *r)
{
    return (uint8_t)get_le(r, 1);
}

static uint16_t get_u16(reader *r)
{
    return (uint16_t)get_le(r, 2);
}

static uint32_t get_u32(reader *r)
{
    return (uint32_t)get_le(r, 4);
}

/* A boolean byte: 0 or 1. */
static bool get_flag(reader *r, const char *what)
{
    size_t at = r->pos;
    uint8_t v = get_u8(r);
    if (v > 1)
        fail(r, "section %u (%s): %s at byte %zu is %u, not 0 or 1", r->section,
             section_names[r->section], what, at, v);
    return v == 1;
}

/* A count of items of at least min_size bytes each, checked against the
 * bytes that remain so that a hostile count cannot cause a huge allocation. */
static uint32_t get_count(reader *r, size_t min_size)
{
    size_t at = r->pos;
    uint32_t n = get_u32(r);
    if (r->failed)
        return 0;
    if ((uint64_t)n * min_size > r->end - r->pos) {
        fail(r, "section %u (%s): count %u at byte %zu exceeds the %zu bytes that remain",
             r->section, section_names[r->section], n, at, r->end - r->pos);
        return 0;
    }
    return n;
}

/* count elements of size bytes, zeroed; NULL when count is 0 or on error. */
static void *alloc_array(reader *r, size_t count, size_t size)
{
    if (r->failed || count == 0)
        return NULL;
    void *p = mem_calloc(r->alloc, count, size);
    if (!p)
        fail(r, "out of memory reading section %u (%s)", r->section,
             section_names[r->section]);
    return p;
}

/* A u32 count then that many u32s. */
static uint32_t *get_u32_array(reader *r, uint32_t *count)
{
    uint32_t n = get_count(r, 4);
    uint32_t *items = alloc_array(r, n, sizeof *items);
    if (!items)
        return NULL;
    for (uint32_t i = 0; i < n; i++)
        items[i] = get_u32(r);
    *count = n;
    return items;
}

/* ------------------------------------------------------------ strings */

/* Length of the UTF-8 sequence starting at s[0] (of n bytes), 0 if it is
 * not valid: no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_sequence(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    uint32_t cp, min;
    if ((c & 0xe0) == 0xc0)
        len = 2, cp = c & 0x1f, min = 0x80;
    else if ((c & 0xf0) == 0xe0)
        len = 3, cp = c & 0x0f, min = 0x800;
    else if ((c & 0xf8) == 0xf0)
        len = 4, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

static bool utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t len = utf8_sequence(s + i, n - i);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

static void read_strings(reader *r)
{
    bc_module *m = r->m;
    uint32_t n = get_count(r, 4);
    m->strings = alloc_array(r, n, sizeof *m->strings);
    if (!m->strings)
        return;
    m->nstrings = n;
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        uint32_t len = get_u32(r);
        if (!have(r, len))
            return;
        const uint8_t *s = r->bytes + r->pos;
        if (!utf8_valid(s, len)) {
            fail(r, "section 1 (strings): string %u at byte %zu is not valid UTF-8", i,
                 r->pos);
            return;
        }
        char *copy = mem_strndup(r->alloc, (const char *)s, len);
        if (!copy) {
            fail(r, "out of memory reading section 1 (strings)");
            return;
        }
        m->strings[i].ptr = copy;
        m->strings[i].len = len;
        r->pos += len;
    }
}

/* ------------------------------------------------------------ types, consts */

static void read_types(reader *r)
{
    bc_module *m = r->m;
    uint32_t n = get_count(r, 5);
    m->types = alloc_array(r, n, sizeof *m->types);
    if (!m->types)
        return;
    m->ntypes = n;
    for (uint32_t i = 0; i < n; i++) {
        m->types[i].kind = get_u8(r);
        m->types[i].arg = get_u32(r);
    }
}

/* The payload of a scalar whose kind byte has been read. */
static value read_scalar_payload(reader *r, uint8_t kind, size_t at)
{
    switch (kind) {
    case VK_NULL:
        return value_null();
    case VK_BOOL:
        return value_bool(get_flag(r, "bool constant"));
    case VK_INT:
        return value_int((int64_t)get_le(r, 8));
    case VK_MONEY:
        return value_money((int64_t)get_le(r, 8));
    case VK_DATE:
        return value_date((int32_t)get_u32(r));
    case VK_MONTH:
        return value_month((int32_t)get_u32(r));
    case VK_ENUM:
        return value_enum(get_u32(r));
    case VK_STRING: {
        uint32_t s = get_u32(r);
        if (r->failed)
            return value_null();
        /* Structural: a string constant points at a string's bytes. */
        if (s >= r->m->nstrings) {
            fail(r, "section 3 (consts): string %u at byte %zu is out of range (%u strings)",
                 s, at, r->m->nstrings);
            return value_null();
        }
        return value_string(r->m->strings[s].ptr, r->m->strings[s].len);
    }
    case VK_INTERVAL: {
        int32_t lo = (int32_t)get_u32(r);
        int32_t hi = (int32_t)get_u32(r);
        return value_interval(lo, hi);
    }
    default:
        fail(r, "section 3 (consts): value kind %u at byte %zu is not a scalar", kind, at);
        return value_null();
    }
}

static value read_scalar(reader *r)
{
    size_t at = r->pos;
    uint8_t kind = get_u8(r);
    if (r->failed)
        return value_null();
    return read_scalar_payload(r, kind, at);
}

static void read_list_const(reader *r, bc_const *c)
{
    uint32_t n = get_count(r, 1);
    if (r->failed)
        return;
    list *l = mem_alloc(r->alloc, sizeof(list) + (size_t)n * sizeof(value));
    if (!l) {
        fail(r, "out of memory reading section 3 (consts)");
        return;
    }
    l->count = n;
    c->v.kind = VK_LIST;
    c->v.as.list = l;
    for (uint32_t i = 0; i < n; i++)
        l->items[i] = read_scalar(r);
}

static void read_map_const(reader *r, bc_const *c)
{
    uint32_t n = get_count(r, 5);
    if (r->failed)
        return;
    map *mp = mem_alloc(r->alloc, sizeof(map) + (size_t)n * sizeof(map_entry));
    if (!mp) {
        fail(r, "out of memory reading section 3 (consts)");
        return;
    }
    mp->count = n;
    c->v.kind = VK_MAP;
    c->v.as.map = mp;
    for (uint32_t i = 0; i < n; i++) {
        value key = read_scalar_payload(r, VK_STRING, r->pos);
        mp->entries[i].key = key.as.s;
        mp->entries[i].key_len = key.len;
        mp->entries[i].value = read_scalar(r);
    }
}

static void read_consts(reader *r)
{
    bc_module *m = r->m;
    uint32_t n = get_count(r, 5);
    m->consts = alloc_array(r, n, sizeof *m->consts);
    if (!m->consts)
        return;
    m->nconsts = n;
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_const *c = &m->consts[i];
        c->type = get_u32(r);
        size_t at = r->pos;
        uint8_t kind = get_u8(r);
        if (kind == VK_LIST)
            read_list_const(r, c);
        else if (kind == VK_MAP)
            read_map_const(r, c);
        else if (!r->failed)
            c->v = read_scalar_payload(r, kind, at);
    }
}

/* ------------------------------------------------------------ schema */

static void read_enums(reader *r)
{
    bc_module *m = r->m;
    uint32_t n = get_count(r, 13);
    m->enums = alloc_array(r, n, sizeof *m->enums);
    if (!m->enums)
        return;
    m->nenums = n;
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_enum *e = &m->enums[i];
        e->name = get_u32(r);
        e->ordered = get_flag(r, "enum 'ordered' flag");
        e->values = get_u32_array(r, &e->nvalues);
        uint32_t na = get_count(r, 8);
        e->aliases = alloc_array(r, na, sizeof *e->aliases);
        if (!e->aliases)
            continue;
        e->naliases = na;
        for (uint32_t k = 0; k < na; k++) {
            e->aliases[k].name = get_u32(r);
            e->aliases[k].value = get_u32(r);
        }
    }
}

static void read_records(reader *r)
{
    bc_module *m = r->m;
    uint32_t n = get_count(r, 8);
    m->records = alloc_array(r, n, sizeof *m->records);
    if (!m->records)
        return;
    m->nrecords = n;
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_record *rec = &m->records[i];
        rec->name = get_u32(r);
        uint32_t nf = get_count(r, 21);
        rec->fields = alloc_array(r, nf, sizeof *rec->fields);
        if (!rec->fields)
            continue;
        rec->nfields = nf;
        for (uint32_t k = 0; k < nf; k++) {
            bc_field *f = &rec->fields[k];
            f->name = get_u32(r);
            f->type = get_u32(r);
            f->flags = get_u8(r);
            f->default_value = get_u32(r);
            f->required_when_field = get_u32(r);
            f->required_when_values = get_u32(r);
        }
    }
}

static void read_schema(reader *r)
{
    bc_module *m = r->m;
    m->has_schema = get_flag(r, "schema presence flag");
    if (!m->has_schema)
        return;
    m->schema.name = get_u32(r);
    m->schema.root = get_u32(r);
    m->schema.key_field = get_u32(r);
    m->schema.label_field = get_u32(r);
    m->schema.tag_field = get_u32(r);
}

/* ------------------------------------------------------------ chunks */

static void read_chunk(reader *r, bc_chunk *c)
{
    c->name = get_u32(r);
    c->flags = get_u8(r);
    size_t at = r->pos;
    uint16_t np = get_u16(r);
    if (!r->failed && (uint64_t)np * 4 > r->end - r->pos) {
        fail(r, "section 7 (chunks): count %u at byte %zu exceeds the %zu bytes that remain",
             np, at, r->end - r->pos);
        return;
    }
    c->param_types = alloc_array(r, np, sizeof *c->param_types);
    if (c->param_types)
        c->nparams = np;
    for (uint32_t k = 0; k < c->nparams; k++)
        c->param_types[k] = get_u32(r);
    c->ret_type = get_u32(r);
    uint32_t len = get_count(r, 1);
    c->code = alloc_array(r, len, 1);
    if (!c->code)
        return;
    c->code_len = len;
    memcpy(c->code, r->bytes + r->pos, len);
    r->pos += len;
}

static void read_chunks(reader *r)
{
    bc_module *m = r->m;
    uint32_t n = get_count(r, 15);
    m->chunks = alloc_array(r, n, sizeof *m->chunks);
    if (!m->chunks)
        return;
    m->nchunks = n;
    for (uint32_t i = 0; i < n && !r->failed; i++)
        read_chunk(r, &m->chunks[i]);
}

/* ------------------------------------------------------------ programs */

static void read_node(reader *r, bc_node *n, uint32_t columns)
{
    n->id = get_u32(r);
    n->name = get_u32(r);
    n->category = get_u32(r);
    n->kind = get_u8(r);
    n->unit = get_u8(r);
    n->cmp = get_u8(r);
    n->flags = get_u8(r);
    n->parent = get_u32(r);
    n->measure = get_u32(r);
    n->na_when = get_u32(r);
    n->grace_when = get_u32(r);
    n->at_risk_when = get_u32(r);
    n->parts = get_u32_array(r, &n->nparts);
    if (!r->failed && (uint64_t)columns * 5 > r->end - r->pos) {
        fail_truncated(r);
        return;
    }
    n->thresholds = alloc_array(r, columns, sizeof *n->thresholds);
    for (uint32_t t = 0; n->thresholds && t < columns; t++) {
        n->thresholds[t].kind = get_u8(r);
        n->thresholds[t].index = get_u32(r);
    }
    n->sustained_tier = get_u32(r);
    n->checked = get_u32_array(r, &n->nchecked);
}

static void read_report_lists(reader *r, bc_program *p)
{
    uint32_t n = get_count(r, 12);
    p->lists = alloc_array(r, n, sizeof *p->lists);
    if (!p->lists)
        return;
    p->nlists = n;
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_report_list *l = &p->lists[i];
        l->name = get_u32(r);
        l->items = get_u32(r);
        uint32_t nc = get_count(r, 8);
        l->columns = alloc_array(r, nc, sizeof *l->columns);
        if (!l->columns)
            continue;
        l->ncolumns = nc;
        for (uint32_t c = 0; c < nc; c++) {
            l->columns[c].name = get_u32(r);
            l->columns[c].chunk = get_u32(r);
        }
    }
}

static void read_item_errors(reader *r, bc_program *p)
{
    uint32_t n = get_count(r, 12);
    p->errors = alloc_array(r, n, sizeof *p->errors);
    if (!p->errors)
        return;
    p->nerrors = n;
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        p->errors[i].when = get_u32(r);
        p->errors[i].text = get_u32(r);
        p->errors[i].args = get_u32_array(r, &p->errors[i].nargs);
    }
}

static void read_program(reader *r, bc_program *p, uint32_t index)
{
    p->id = get_u32(r);
    p->title = get_u32(r);
    p->version = get_u32(r);
    size_t at = r->pos;
    uint8_t kind = get_u8(r);
    if (kind > PROGRAM_PER_ITEM) {
        /* The kind decides how many thresholds each node has. */
        fail(r, "section 8 (programs): program %u at byte %zu has unknown kind %u", index,
             at, kind);
        return;
    }
    p->kind = kind;
    p->applies = get_u32(r);
    p->tier_enum = get_u32(r);
    p->tiers = get_u32_array(r, &p->ntiers);
    p->current_tier = get_u32(r);
    p->rolling_window = get_u32(r);
    p->renewal_window = get_u32(r);
    p->review_date = get_u32(r);
    p->items_name = get_u32(r);
    p->items = get_u32(r);
    p->item_label_name = get_u32(r);
    p->item_label = get_u32(r);
    uint32_t columns = p->kind == PROGRAM_TIERED ? p->ntiers : 1;
    uint32_t nn = get_count(r, 48);
    p->nodes = alloc_array(r, nn, sizeof *p->nodes);
    if (p->nodes)
        p->nnodes = nn;
    for (uint32_t i = 0; i < p->nnodes && !r->failed; i++)
        read_node(r, &p->nodes[i], columns);
    read_report_lists(r, p);
    read_item_errors(r, p);
}

static void read_programs(reader *r)
{
    bc_module *m = r->m;
    uint32_t n = get_count(r, 65);
    m->programs = alloc_array(r, n, sizeof *m->programs);
    if (!m->programs)
        return;
    m->nprograms = n;
    for (uint32_t i = 0; i < n && !r->failed; i++)
        read_program(r, &m->programs[i], i);
}

/* ------------------------------------------------------------ file */

static void read_section(reader *r, uint32_t id)
{
    static void (*const readers[BC_SECTION_COUNT])(reader *) = {
        read_strings, read_types,  read_consts, read_enums,
        read_records, read_schema, read_chunks, read_programs};
    readers[id - 1](r);
    if (!r->failed && r->pos != r->end)
        fail(r, "section %u (%s) has %zu bytes left over at byte %zu", id, section_names[id],
             r->end - r->pos, r->pos);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Magic, version, flags and checksum. */
static bool check_header(reader *r, size_t len, const bc_read_options *options)
{
    const uint8_t *b = r->bytes;
    size_t table_end = BC_HEADER_SIZE + 12u * BC_SECTION_COUNT;
    if (len > BC_MAX_FILE_SIZE) {
        fail(r, "file is too large (%zu bytes, at most %u)", len, BC_MAX_FILE_SIZE);
        return false;
    }
    if (len < BC_MAGIC_LEN || memcmp(b, BC_MAGIC, BC_MAGIC_LEN) != 0) {
        fail(r, "not a Rubric bytecode file (bad magic)");
        return false;
    }
    if (len < table_end + 4) {
        fail(r, "file is truncated: %zu bytes is shorter than the header", len);
        return false;
    }
    unsigned version = (unsigned)b[8] | (unsigned)b[9] << 8;
    if (version != BC_FORMAT_VERSION) {
        fail(r, "bytecode format version %u is not supported (this build reads version %u)",
             version, BC_FORMAT_VERSION);
        return false;
    }
    if (!(options && options->skip_checksum) &&
        bc_crc32(b, len - 4) != le32(b + len - 4)) {
        fail(r, "checksum mismatch: file is corrupt");
        return false;
    }
    unsigned flags = (unsigned)b[10] | (unsigned)b[11] << 8;
    if (flags != 0) {
        fail(r, "unknown header flags 0x%04x", flags);
        return false;
    }
    uint32_t count = le32(b + 12);
    if (count != BC_SECTION_COUNT) {
        fail(r, "the file has %u sections, expected %u", count, BC_SECTION_COUNT);
        return false;
    }
    return true;
}

/* Every section in id order, contiguous, the last ending at the checksum. */
static bool read_section_table(reader *r, size_t len, uint32_t offsets[],
                               uint32_t lengths[])
{
    uint64_t expect = BC_HEADER_SIZE + 12u * BC_SECTION_COUNT;
    for (uint32_t i = 0; i < BC_SECTION_COUNT; i++) {
        const uint8_t *e = r->bytes + BC_HEADER_SIZE + 12u * i;
        uint32_t id = le32(e), offset = le32(e + 4), length = le32(e + 8);
        if (id != i + 1) {
            fail(r, "section table entry %u has id %u, expected %u", i, id, i + 1);
            return false;
        }
        if (offset != expect) {
            fail(r, "section %u (%s) starts at byte %u, expected %llu (sections must be "
                    "contiguous and in order)", id, section_names[id], offset,
                 (unsigned long long)expect);
            return false;
        }
        if ((uint64_t)offset + length > len - 4) {
            fail(r, "section %u (%s) runs past the end of the file", id, section_names[id]);
            return false;
        }
        offsets[i] = offset;
        lengths[i] = length;
        expect = (uint64_t)offset + length;
    }
    if (expect != len - 4) {
        fail(r, "%llu trailing bytes after the last section",
             (unsigned long long)(len - 4 - expect));
        return false;
    }
    return true;
}

bool bc_read(const void *bytes, size_t len, const rubric_allocator *alloc,
             const bc_read_options *options, bc_module *out, char *err,
             size_t err_size)
{
    memset(out, 0, sizeof *out);
    out->alloc = *alloc;
    reader r = {0};
    r.bytes = bytes;
    r.alloc = alloc;
    r.m = out;
    r.err = err;
    r.err_size = err_size;
    uint32_t offsets[BC_SECTION_COUNT], lengths[BC_SECTION_COUNT];
    if (!check_header(&r, len, options) || !read_section_table(&r, len, offsets, lengths))
        return false;
    for (uint32_t id = 1; id <= BC_SECTION_COUNT && !r.failed; id++) {
        r.section = id;
        r.pos = offsets[id - 1];
        r.end = (size_t)offsets[id - 1] + lengths[id - 1];
        read_section(&r, id);
    }
    if (r.failed) {
        module_release(out);
        return false;
    }
    return true;
}

/* ------------------------------------------------------------ checksum */

/* CRC-32 (IEEE, reflected polynomial 0xEDB88320), four bits at a time from
 * a 16-entry table. */
uint32_t bc_crc32(const void *data, size_t len)
{
    static const uint32_t nibble[16] = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
        0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
        0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c};
    const uint8_t *p = data;
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ nibble[crc & 15];
        crc = (crc >> 4) ^ nibble[crc & 15];
    }
    return crc ^ 0xffffffffu;
}
