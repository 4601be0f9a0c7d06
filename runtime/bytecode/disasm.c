/*
 * disasm.c — printing a module for people: its tables, its chunks as
 * instruction listings and its programs as requirement trees.
 *
 * The output depends only on the module, so it serves as a golden file.
 * Indices are printed as they are even when out of range ("#42"), so an
 * unverified module can be looked at too.
 */
#include <inttypes.h>
#include <string.h>

#include "bytecode.h"
#include "calendar.h"
#include "money.h"
#include "opcodes.h"
#include "verify_internal.h"

/* ------------------------------------------------------------ names */

static const char *str_or(const bc_module *m, uint32_t s, const char *fallback)
{
    return s < m->nstrings ? module_str(m, s) : fallback;
}

static void put_quoted(strbuf *out, const char *s, size_t len)
{
    sb_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            sb_printf(out, "\\%c", c);
        else if (c == '\n')
            sb_puts(out, "\\n");
        else if (c < 0x20 || c == 0x7f)
            sb_printf(out, "\\x%02x", c);
        else
            sb_putc(out, (char)c);
    }
    sb_putc(out, '"');
}

const char *type_kind_name(uint8_t kind)
{
    static const char *const names[] = {"?",      "int",    "money",  "date",     "month",
                                        "bool",   "string", "interval", "enum",   "record",
                                        "list",   "optional", "map",  "null"};
    return kind < sizeof names / sizeof *names ? names[kind] : "?";
}

static void type_name(const bc_module *m, uint32_t type, strbuf *out, int depth)
{
    if (type >= m->ntypes || depth > 32) {
        sb_printf(out, "type#%" PRIu32, type);
        return;
    }
    const bc_type *t = &m->types[type];
    switch (t->kind) {
    case TK_ENUM:
        sb_puts(out, t->arg < m->nenums ? str_or(m, m->enums[t->arg].name, "enum?") : "enum?");
        return;
    case TK_RECORD:
        sb_puts(out, t->arg < m->nrecords ? str_or(m, m->records[t->arg].name, "record?")
                                          : "record?");
        return;
    case TK_LIST:
    case TK_MAP:
        sb_puts(out, t->kind == TK_LIST ? "list of " : "map of ");
        type_name(m, t->arg, out, depth + 1);
        return;
    case TK_OPTIONAL: {
        bool wrap = t->arg < m->ntypes &&
                    (m->types[t->arg].kind == TK_LIST || m->types[t->arg].kind == TK_MAP);
        sb_puts(out, wrap ? "(" : "");
        type_name(m, t->arg, out, depth + 1);
        sb_puts(out, wrap ? ")?" : "?");
        return;
    }
    default:
        sb_puts(out, type_kind_name(t->kind));
        return;
    }
}

void bc_type_name(const bc_module *m, uint32_t type, strbuf *out)
{
    type_name(m, type, out, 0);
}

/* The enum a type (or its optional, list or map element) refers to. */
static uint32_t enum_of(const bc_module *m, uint32_t type)
{
    for (int depth = 0; type < m->ntypes && depth < 4; depth++) {
        const bc_type *t = &m->types[type];
        if (t->kind == TK_ENUM)
            return t->arg < m->nenums ? t->arg : BC_NONE;
        if (t->kind != TK_OPTIONAL && t->kind != TK_LIST && t->kind != TK_MAP)
            return BC_NONE;
        type = t->arg;
    }
    return BC_NONE;
}

/* ------------------------------------------------------------ values */

static void put_scalar(const bc_module *m, uint32_t en, value v, strbuf *out)
{
    char buf[40];
    switch (v.kind) {
    case VK_NULL: sb_puts(out, "null"); return;
    case VK_BOOL: sb_puts(out, v.as.b ? "true" : "false"); return;
    case VK_INT: sb_printf(out, "%" PRId64, v.as.i); return;
    case VK_MONEY:
        money_format_display(v.as.i, buf);
        sb_puts(out, buf);
        return;
    case VK_DATE:
        if (v.as.d < CAL_MIN_DATE || v.as.d > CAL_MAX_DATE)
            break;
        cal_format_date(v.as.d, buf);
        sb_puts(out, buf);
        return;
    case VK_MONTH:
        if (v.as.d < CAL_MIN_MONTH || v.as.d > CAL_MAX_MONTH)
            break;
        cal_format_month(v.as.d, buf);
        sb_puts(out, buf);
        return;
    case VK_ENUM:
        if (en != BC_NONE && v.as.e < m->enums[en].nvalues)
            sb_puts(out, str_or(m, m->enums[en].values[v.as.e], "?"));
        else
            sb_printf(out, "enum#%" PRIu32, v.as.e);
        return;
    case VK_STRING: put_quoted(out, v.as.s, v.len); return;
    case VK_INTERVAL:
        if (v.as.iv.lo < CAL_MIN_DATE || v.as.iv.hi > CAL_MAX_DATE || v.as.iv.lo > v.as.iv.hi)
            break;
        cal_format_date(v.as.iv.lo, buf);
        sb_printf(out, "[%s .. ", buf);
        cal_format_date(v.as.iv.hi, buf);
        sb_printf(out, "%s]", buf);
        return;
    default:
        break;
    }
    sb_printf(out, "<kind %u>", v.kind);
}

static void put_value(const bc_module *m, uint32_t type, value v, strbuf *out)
{
    uint32_t en = enum_of(m, type);
    if (v.kind == VK_LIST) {
        sb_putc(out, '[');
        for (uint32_t i = 0; i < v.as.list->count; i++) {
            sb_puts(out, i ? ", " : "");
            put_scalar(m, en, v.as.list->items[i], out);
        }
        sb_putc(out, ']');
    } else if (v.kind == VK_MAP) {
        sb_putc(out, '{');
        for (uint32_t i = 0; i < v.as.map->count; i++) {
            const map_entry *e = &v.as.map->entries[i];
            sb_puts(out, i ? ", " : "");
            put_quoted(out, e->key, e->key_len);
            sb_puts(out, ": ");
            put_scalar(m, en, e->value, out);
        }
        sb_putc(out, '}');
    } else {
        put_scalar(m, en, v, out);
    }
}

static void put_const(const bc_module *m, uint32_t k, strbuf *out)
{
    if (k < m->nconsts)
        put_value(m, m->consts[k].type, m->consts[k].v, out);
    else
        sb_printf(out, "const#%" PRIu32, k);
}

/* ------------------------------------------------------------ tables */

static void put_strings(const bc_module *m, strbuf *out)
{
    sb_printf(out, "strings (%" PRIu32 ")\n", m->nstrings);
    for (uint32_t i = 0; i < m->nstrings; i++) {
        sb_printf(out, "  %4" PRIu32 "  ", i);
        put_quoted(out, m->strings[i].ptr, m->strings[i].len);
        sb_putc(out, '\n');
    }
}

static void put_types(const bc_module *m, strbuf *out)
{
    sb_printf(out, "types (%" PRIu32 ")\n", m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        sb_printf(out, "  %4" PRIu32 "  ", i);
        bc_type_name(m, i, out);
        sb_putc(out, '\n');
    }
}

static void put_consts(const bc_module *m, strbuf *out)
{
    sb_printf(out, "constants (%" PRIu32 ")\n", m->nconsts);
    for (uint32_t i = 0; i < m->nconsts; i++) {
        sb_printf(out, "  %4" PRIu32 "  ", i);
        bc_type_name(m, m->consts[i].type, out);
        sb_puts(out, "  ");
        put_const(m, i, out);
        sb_putc(out, '\n');
    }
}

static void put_enums(const bc_module *m, strbuf *out)
{
    sb_printf(out, "enums (%" PRIu32 ")\n", m->nenums);
    for (uint32_t i = 0; i < m->nenums; i++) {
        const bc_enum *e = &m->enums[i];
        sb_printf(out, "  %4" PRIu32 "  %s%s:", i, str_or(m, e->name, "?"),
                  e->ordered ? " (ordered)" : "");
        for (uint32_t k = 0; k < e->nvalues; k++)
            sb_printf(out, "%s %s", k ? "," : "", str_or(m, e->values[k], "?"));
        sb_putc(out, '\n');
        for (uint32_t k = 0; k < e->naliases; k++) {
            uint32_t val = e->aliases[k].value;
            sb_printf(out, "        alias %s = %s\n", str_or(m, e->aliases[k].name, "?"),
                      val < e->nvalues ? str_or(m, e->values[val], "?") : "?");
        }
    }
}

static void put_field(const bc_module *m, const bc_record *r, uint32_t k, strbuf *out)
{
    const bc_field *f = &r->fields[k];
    sb_printf(out, "        %3" PRIu32 "  %s: ", k, str_or(m, f->name, "?"));
    bc_type_name(m, f->type, out);
    if (f->flags & FIELD_REQUIRED)
        sb_puts(out, "  required");
    if (f->default_value != BC_NONE) {
        sb_puts(out, "  default ");
        put_const(m, f->default_value, out);
    }
    if (f->required_when_field != BC_NONE) {
        uint32_t w = f->required_when_field;
        sb_printf(out, "  required when %s in ",
                  w < r->nfields ? str_or(m, r->fields[w].name, "?") : "?");
        put_const(m, f->required_when_values, out);
    }
    sb_putc(out, '\n');
}

static void put_records(const bc_module *m, strbuf *out)
{
    sb_printf(out, "records (%" PRIu32 ")\n", m->nrecords);
    for (uint32_t i = 0; i < m->nrecords; i++) {
        const bc_record *r = &m->records[i];
        sb_printf(out, "  %4" PRIu32 "  %s\n", i, str_or(m, r->name, "?"));
        for (uint32_t k = 0; k < r->nfields; k++)
            put_field(m, r, k, out);
    }
}

static const char *root_field(const bc_module *m, uint32_t slot)
{
    const bc_schema *s = &m->schema;
    if (s->root >= m->nrecords || slot >= m->records[s->root].nfields)
        return "-";
    return str_or(m, m->records[s->root].fields[slot].name, "?");
}

static void put_schema(const bc_module *m, strbuf *out)
{
    if (!m->has_schema) {
        sb_puts(out, "schema: none\n");
        return;
    }
    const bc_schema *s = &m->schema;
    sb_printf(out, "schema %s: root %s, key %s, label %s, tag %s\n", str_or(m, s->name, "?"),
              s->root < m->nrecords ? str_or(m, m->records[s->root].name, "?") : "?",
              root_field(m, s->key_field), root_field(m, s->label_field),
              root_field(m, s->tag_field));
}

/* ------------------------------------------------------------ chunks */

static void put_chunk_ref(const bc_module *m, uint32_t c, strbuf *out)
{
    if (c < m->nchunks)
        sb_printf(out, "chunk %" PRIu32 " '%s'", c, str_or(m, m->chunks[c].name, "?"));
    else
        sb_printf(out, "chunk#%" PRIu32, c);
}

/* The comment after an instruction's operand, if it says more. */
static void put_comment(const bc_module *m, opcode op, uint32_t pc, uint32_t operand,
                        strbuf *out)
{
    switch (opcode_table[op].operand) {
    case OPND_CONST:
        sb_puts(out, "  ; ");
        put_const(m, operand, out);
        return;
    case OPND_CHUNK:
        sb_puts(out, "  ; ");
        put_chunk_ref(m, operand, out);
        return;
    case OPND_JUMP:
        sb_printf(out, "  ; -> 0x%04" PRIx64, (uint64_t)pc + opcode_size(op) + operand);
        return;
    default:
        if (op == OP_SUM)
            sb_puts(out, operand ? "  ; money" : "  ; int");
        else if (op == OP_INTERVAL)
            sb_printf(out, "  ; %c lo, hi %c", operand & 1 ? '(' : '[', operand & 2 ? ')' : ']');
        return;
    }
}

static void put_code(const bc_module *m, const bc_chunk *c, strbuf *out)
{
    for (uint32_t pc = 0; pc < c->code_len;) {
        uint8_t op = c->code[pc];
        if (op >= OP__COUNT || opcode_size((opcode)op) > c->code_len - pc) {
            sb_printf(out, "    0x%04" PRIx32 "  <bad byte 0x%02x>\n", pc, op);
            pc++;
            continue;
        }
        sb_printf(out, "    0x%04" PRIx32 "  %s", pc, opcode_table[op].name);
        if (opcode_table[op].operand != OPND_NONE) {
            uint32_t operand = opcode_operand(c->code, pc);
            sb_printf(out, "  %" PRIu32, operand);
            put_comment(m, (opcode)op, pc, operand, out);
        }
        sb_putc(out, '\n');
        pc += opcode_size((opcode)op);
    }
}

static void put_chunks(const bc_module *m, strbuf *out)
{
    sb_printf(out, "chunks (%" PRIu32 ")\n", m->nchunks);
    for (uint32_t i = 0; i < m->nchunks; i++) {
        const bc_chunk *c = &m->chunks[i];
        sb_printf(out, "  chunk %" PRIu32 " '%s' (", i, str_or(m, c->name, "?"));
        for (uint32_t k = 0; k < c->nparams; k++) {
            sb_puts(out, k ? ", " : "");
            bc_type_name(m, c->param_types[k], out);
        }
        sb_puts(out, ") -> ");
        bc_type_name(m, c->ret_type, out);
        sb_printf(out, "%s, %" PRIu32 " bytes, max stack %u\n",
                  c->flags & CHUNK_LET ? ", let" : "", c->code_len, c->max_stack);
        put_code(m, c, out);
    }
}

/* ------------------------------------------------------------ programs */

static const char *tier_name(const bc_module *m, const bc_program *p, uint32_t t)
{
    if (t >= p->ntiers || p->tier_enum >= m->nenums ||
        p->tiers[t] >= m->enums[p->tier_enum].nvalues)
        return "?";
    return str_or(m, m->enums[p->tier_enum].values[p->tiers[t]], "?");
}

static void put_opt_chunk(const bc_module *m, const char *label, uint32_t c, size_t indent,
                          strbuf *out)
{
    if (c == BC_NONE)
        return;
    sb_pad(out, ' ', indent);
    sb_printf(out, "%s: ", label);
    put_chunk_ref(m, c, out);
    sb_putc(out, '\n');
}

static void put_thresholds(const bc_module *m, const bc_program *p, const bc_node *n,
                           size_t indent, strbuf *out)
{
    uint32_t columns = p->kind == PROGRAM_TIERED ? p->ntiers : 1;
    if (!n->thresholds || columns == 0)
        return;
    sb_pad(out, ' ', indent);
    sb_puts(out, "thresholds:");
    for (uint32_t t = 0; t < columns; t++) {
        const bc_threshold *th = &n->thresholds[t];
        if (p->kind == PROGRAM_TIERED)
            sb_printf(out, " %s ", tier_name(m, p, t));
        else
            sb_putc(out, ' ');
        if (th->kind == TH_CONST)
            put_const(m, th->index, out);
        else if (th->kind == TH_CHUNK)
            put_chunk_ref(m, th->index, out);
        else
            sb_puts(out, "-");
        sb_puts(out, t + 1 < columns ? ";" : "");
    }
    sb_putc(out, '\n');
}

static void put_node(const bc_module *m, const bc_program *p, uint32_t i, size_t depth,
                     strbuf *out)
{
    static const char *const kinds[] = {"measure", "choice", "sustained"};
    static const char *const units[] = {"count", "usd", "months", "bool", "choice"};
    static const char *const cmps[] = {"at least", "at most", "required"};
    const bc_node *n = &p->nodes[i];
    size_t indent = 4 + 2 * depth;
    sb_pad(out, ' ', indent);
    sb_printf(out, "node %" PRIu32 " %s ", i, str_or(m, n->id, "?"));
    const char *name = str_or(m, n->name, "?");
    put_quoted(out, name, strlen(name));
    sb_printf(out, " [%s] %s, %s, %s%s\n", str_or(m, n->category, "?"),
              n->kind <= NODE_SUSTAINED ? kinds[n->kind] : "?",
              n->unit <= UNIT_CHOICE ? units[n->unit] : "?",
              n->cmp <= CMP_REQUIRED ? cmps[n->cmp] : "?",
              n->flags & NODE_TIME_BOUND ? ", time-bound" : "");
    put_opt_chunk(m, "measure", n->measure, indent + 4, out);
    put_opt_chunk(m, "not_applicable when", n->na_when, indent + 4, out);
    put_opt_chunk(m, "grace when", n->grace_when, indent + 4, out);
    put_opt_chunk(m, "at_risk when", n->at_risk_when, indent + 4, out);
    put_thresholds(m, p, n, indent + 4, out);
    if (n->kind == NODE_SUSTAINED) {
        sb_pad(out, ' ', indent + 4);
        sb_printf(out, "sustained at %s, checking", tier_name(m, p, n->sustained_tier));
        for (uint32_t k = 0; k < n->nchecked; k++)
            sb_printf(out, " %" PRIu32, n->checked[k]);
        sb_putc(out, '\n');
    }
}

/* Parts are printed below their node, indented by depth.  Depth comes from
 * the parent links (parents precede their parts), not from recursion. */
static void put_nodes(const bc_module *m, const bc_program *p, strbuf *out)
{
    sb_printf(out, "  requirements (%" PRIu32 ")\n", p->nnodes);
    for (uint32_t i = 0; i < p->nnodes; i++) {
        size_t depth = 0;
        for (uint32_t up = p->nodes[i].parent; up < i && depth < p->nnodes;
             up = p->nodes[up].parent)
            depth++;
        put_node(m, p, i, depth, out);
    }
}

static void put_lists(const bc_module *m, const bc_program *p, strbuf *out)
{
    for (uint32_t i = 0; i < p->nlists; i++) {
        const bc_report_list *l = &p->lists[i];
        sb_printf(out, "  list %s: ", str_or(m, l->name, "?"));
        put_chunk_ref(m, l->items, out);
        sb_putc(out, '\n');
        for (uint32_t k = 0; k < l->ncolumns; k++) {
            sb_printf(out, "    column %s: ", str_or(m, l->columns[k].name, "?"));
            put_chunk_ref(m, l->columns[k].chunk, out);
            sb_putc(out, '\n');
        }
    }
}

static void put_program(const bc_module *m, uint32_t index, strbuf *out)
{
    const bc_program *p = &m->programs[index];
    sb_printf(out, "program %" PRIu32 " %s ", index, str_or(m, p->id, "?"));
    const char *title = str_or(m, p->title, "?");
    put_quoted(out, title, strlen(title));
    sb_printf(out, " version %s, %s\n", str_or(m, p->version, "?"),
              p->kind == PROGRAM_TIERED ? "tiered" : "per item");
    put_opt_chunk(m, "applies when", p->applies, 2, out);
    if (p->kind == PROGRAM_TIERED) {
        sb_printf(out, "  tiers (%s):", p->tier_enum < m->nenums
                                            ? str_or(m, m->enums[p->tier_enum].name, "?")
                                            : "?");
        for (uint32_t t = 0; t < p->ntiers; t++)
            sb_printf(out, " %s", tier_name(m, p, t));
        sb_putc(out, '\n');
        put_opt_chunk(m, "current tier", p->current_tier, 2, out);
        put_opt_chunk(m, "rolling window", p->rolling_window, 2, out);
        put_opt_chunk(m, "renewal window", p->renewal_window, 2, out);
        put_opt_chunk(m, "review date", p->review_date, 2, out);
    } else {
        sb_printf(out, "  items %s: ", str_or(m, p->items_name, "?"));
        put_chunk_ref(m, p->items, out);
        sb_printf(out, "\n  item label %s: ", str_or(m, p->item_label_name, "?"));
        put_chunk_ref(m, p->item_label, out);
        sb_putc(out, '\n');
        for (uint32_t i = 0; i < p->nerrors; i++) {
            const char *text = str_or(m, p->errors[i].text, "?");
            sb_puts(out, "  error ");
            put_quoted(out, text, strlen(text));
            sb_puts(out, " when ");
            put_chunk_ref(m, p->errors[i].when, out);
            for (uint32_t a = 0; a < p->errors[i].nargs; a++) {
                sb_puts(out, a ? ", " : " with ");
                put_chunk_ref(m, p->errors[i].args[a], out);
            }
            sb_putc(out, '\n');
        }
    }
    put_nodes(m, p, out);
    put_lists(m, p, out);
}

void bc_disasm(const bc_module *m, strbuf *out)
{
    put_strings(m, out);
    put_types(m, out);
    put_consts(m, out);
    put_enums(m, out);
    put_records(m, out);
    put_schema(m, out);
    put_chunks(m, out);
    sb_printf(out, "programs (%" PRIu32 ")\n", m->nprograms);
    for (uint32_t i = 0; i < m->nprograms; i++)
        put_program(m, i, out);
}
