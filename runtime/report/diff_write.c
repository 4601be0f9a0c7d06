/* diff_write.c — one program_diff as a text line, a JSON object or csv
 * rows (docs/diff.md).  Strings from the data (partner ids, item labels)
 * are escaped in text as the scorecard escapes them. */
#include <string.h>

#include "diff_model.h"
#include "write.h"

static bool is_changed(const program_diff *d)
{
    return strcmp(d->kind, "changed") == 0;
}

static bool same_name(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* A change's status as a word: "ready"/"not_ready" for an item itself,
 * NULL when absent. */
static const char *status_word(const diff_change *c, int status)
{
    if (status == DIFF_ABSENT)
        return NULL;
    if (!c->id[0])
        return rubric_item_status_name((rubric_item_status)status);
    return rubric_req_status_name((rubric_req_status)status);
}

static const char *renewal_word(int status)
{
    return status == DIFF_ABSENT ? NULL : rubric_req_status_name((rubric_req_status)status);
}

static const char *or_word(const char *s, const char *word)
{
    return s ? s : word;
}

void diff_write_scope(const diff_change *c, strbuf *out)
{
    write_escaped_text(out, c->scope, c->scope_len);
    if (c->occurrence)
        sb_printf(out, " #%u", c->occurrence);
}

/* ------------------------------------------------------------ text */

/* "; " between the pieces of a line, which start at `start`. */
static void separator(strbuf *out, size_t start)
{
    if (out->len > start)
        sb_puts(out, "; ");
}

/* "(18 of 20)", or "(18 of 20 -> 19 of 20)" when the measure moved. */
static void text_measures(const diff_change *c, strbuf *out)
{
    strbuf was, is;
    sb_init(&was, out->alloc);
    sb_init(&is, out->alloc);
    if (c->old_req)
        write_requirement_measure(c->old_req, &was);
    if (c->new_req)
        write_requirement_measure(c->new_req, &is);
    if (was.failed || is.failed)
        out->failed = true;
    sb_puts(out, " (");
    if (c->old_req && c->new_req &&
        (was.len != is.len || (was.len && memcmp(was.data, is.data, was.len) != 0))) {
        if (was.len)
            sb_append(out, was.data, was.len);
        sb_puts(out, " -> ");
    }
    const strbuf *shown = c->new_req ? &is : &was;
    if (shown->len)
        sb_append(out, shown->data, shown->len);
    sb_putc(out, ')');
    sb_free(&was);
    sb_free(&is);
}

static void text_change(const diff_change *c, size_t start, strbuf *out)
{
    separator(out, start);
    if (strcmp(c->view, "renewal") == 0)
        sb_puts(out, "renewal ");
    diff_write_scope(c, out);
    if (c->id[0])
        sb_printf(out, " %s", c->id);
    const char *was = or_word(status_word(c, c->old_status), "absent");
    const char *is = or_word(status_word(c, c->new_status), "absent");
    if (strcmp(was, is) == 0)
        sb_printf(out, " %s", is);
    else
        sb_printf(out, " %s -> %s", was, is);
    if (c->id[0])
        text_measures(c, out);
}

static void text_program(const program_diff *d, strbuf *out)
{
    sb_printf(out, " %s", d->program);
    if (strcmp(d->program, d->old_program) != 0)
        sb_printf(out, " (old %s)", d->old_program);
    sb_puts(out, ": ");
}

void diff_write_text(const program_diff *d, const rubric_result *who, strbuf *out)
{
    write_escaped_text(out, who->partner_id.as.string.chars, who->partner_id.as.string.length);
    text_program(d, out);
    size_t start = out->len;
    if (!is_changed(d)) {
        sb_puts(out, d->kind);
        if (d->tiered)
            sb_printf(out, " (%seligible %s)", strcmp(d->kind, "removed") == 0 ? "was " : "",
                      or_word(d->old_tier ? d->old_tier : d->new_tier, "none"));
        sb_putc(out, '\n');
        return;
    }
    if (!same_name(d->old_tier, d->new_tier))
        sb_printf(out, "eligible %s -> %s", or_word(d->old_tier, "none"),
                  or_word(d->new_tier, "none"));
    if (d->old_renewal != d->new_renewal) {
        separator(out, start);
        sb_printf(out, "renewal %s -> %s", or_word(renewal_word(d->old_renewal), "none"),
                  or_word(renewal_word(d->new_renewal), "none"));
    }
    for (uint32_t i = 0; i < d->changes.len; i++)
        text_change(&d->changes.items[i], start, out);
    sb_putc(out, '\n');
}

/* ------------------------------------------------------------ json */

static void json_name(strbuf *out, const char *s)
{
    if (s)
        write_json_string(out, s, strlen(s));
    else
        sb_puts(out, "null");
}

/* {"status":..,"actual":..,"required":..,"measure":..}, or null. */
static void json_side(const diff_change *c, int status, const rubric_requirement *q,
                      strbuf *out)
{
    if (status == DIFF_ABSENT) {
        sb_puts(out, "null");
        return;
    }
    sb_puts(out, "{\"status\":");
    json_name(out, status_word(c, status));
    if (q) {
        sb_puts(out, ",\"actual\":");
        write_json_model_value(&q->actual, out);
        sb_puts(out, ",\"required\":");
        write_json_model_value(&q->required, out);
        strbuf measure;
        sb_init(&measure, out->alloc);
        write_requirement_measure(q, &measure);
        if (measure.failed)
            out->failed = true;
        sb_puts(out, ",\"measure\":");
        write_json_string(out, measure.data ? measure.data : "", measure.len);
        sb_free(&measure);
    }
    sb_putc(out, '}');
}

static void json_change(const diff_change *c, strbuf *out)
{
    sb_puts(out, "{\"view\":");
    json_name(out, c->view);
    sb_puts(out, ",\"scope\":");
    write_json_string(out, c->scope, c->scope_len);
    sb_puts(out, ",\"item\":");
    if (c->item >= 0)
        sb_put_int(out, c->item);
    else
        sb_puts(out, "null");
    sb_puts(out, ",\"id\":");
    json_name(out, c->id[0] ? c->id : NULL);
    sb_puts(out, ",\"old\":");
    json_side(c, c->old_status, c->old_req, out);
    sb_puts(out, ",\"new\":");
    json_side(c, c->new_status, c->new_req, out);
    sb_putc(out, '}');
}

static void json_pair(strbuf *out, const char *key, bool present, const char *old_value,
                      const char *new_value)
{
    sb_printf(out, ",\"%s\":", key);
    if (!present) {
        sb_puts(out, "null");
        return;
    }
    sb_puts(out, "{\"old\":");
    json_name(out, old_value);
    sb_puts(out, ",\"new\":");
    json_name(out, new_value);
    sb_putc(out, '}');
}

void diff_write_json(const program_diff *d, const rubric_result *who, strbuf *out)
{
    sb_puts(out, "{\"partner\":{\"id\":");
    write_json_model_value(&who->partner_id, out);
    sb_puts(out, ",\"name\":");
    write_json_model_value(&who->partner_name, out);
    sb_puts(out, "},\"program\":");
    json_name(out, d->program);
    sb_puts(out, ",\"old_program\":");
    json_name(out, d->old_program);
    sb_printf(out, ",\"change\":\"%s\"", d->kind);
    json_pair(out, "eligible_tier", d->tiered, d->old_tier, d->new_tier);
    json_pair(out, "renewal_status", d->tiered, renewal_word(d->old_renewal),
              renewal_word(d->new_renewal));
    sb_puts(out, ",\"changes\":[");
    for (uint32_t i = 0; i < d->changes.len; i++) {
        if (i)
            sb_putc(out, ',');
        json_change(&d->changes.items[i], out);
    }
    sb_puts(out, "]}\n");
}

/* ------------------------------------------------------------ csv */

void diff_write_csv_header(strbuf *out)
{
    sb_puts(out, "partner_id,partner_name,program,old_program,change,view,scope,item,"
                 "requirement,old,new,old_actual,new_actual,old_required,new_required,"
                 "old_measure,new_measure\n");
}

static void csv_text(strbuf *out, const char *s)
{
    sb_putc(out, ',');
    if (s)
        write_csv_field(out, s, strlen(s));
}

static void csv_value(strbuf *out, const rubric_value *v)
{
    strbuf tmp;
    sb_init(&tmp, out->alloc);
    write_plain_model_value(v, &tmp);
    if (tmp.failed)
        out->failed = true;
    sb_putc(out, ',');
    if (tmp.len)
        write_csv_field(out, tmp.data, tmp.len);
    sb_free(&tmp);
}

static void csv_measure(strbuf *out, const rubric_requirement *q)
{
    strbuf tmp;
    sb_init(&tmp, out->alloc);
    if (q)
        write_requirement_measure(q, &tmp);
    if (tmp.failed)
        out->failed = true;
    sb_putc(out, ',');
    if (tmp.len)
        write_csv_field(out, tmp.data, tmp.len);
    sb_free(&tmp);
}

/* The columns every row starts with: partner, programs, change. */
static void csv_prefix(const program_diff *d, const rubric_result *who, strbuf *out)
{
    write_csv_field(out, who->partner_id.as.string.chars, who->partner_id.as.string.length);
    sb_putc(out, ',');
    if (who->partner_name.kind == RUBRIC_VALUE_STRING)
        write_csv_field(out, who->partner_name.as.string.chars,
                        who->partner_name.as.string.length);
    csv_text(out, d->program);
    csv_text(out, d->old_program);
    csv_text(out, d->kind);
}

/* A row for the eligible tier or the renewal status. */
static void csv_standing(const program_diff *d, const rubric_result *who, const char *view,
                         const char *was, const char *is, strbuf *out)
{
    csv_prefix(d, who, out);
    csv_text(out, view);
    sb_puts(out, ",,,");
    csv_text(out, or_word(was, "none"));
    csv_text(out, or_word(is, "none"));
    sb_pad(out, ',', 6);
    sb_putc(out, '\n');
}

static void csv_change(const program_diff *d, const rubric_result *who, const diff_change *c,
                       strbuf *out)
{
    static const rubric_value null_value = {RUBRIC_VALUE_NULL, {false}};
    csv_prefix(d, who, out);
    csv_text(out, c->view);
    sb_putc(out, ',');
    write_csv_field(out, c->scope, c->scope_len);
    sb_putc(out, ',');
    if (c->item >= 0)
        sb_put_int(out, c->item);
    csv_text(out, c->id[0] ? c->id : NULL);
    csv_text(out, or_word(status_word(c, c->old_status), "absent"));
    csv_text(out, or_word(status_word(c, c->new_status), "absent"));
    csv_value(out, c->old_req ? &c->old_req->actual : &null_value);
    csv_value(out, c->new_req ? &c->new_req->actual : &null_value);
    csv_value(out, c->old_req ? &c->old_req->required : &null_value);
    csv_value(out, c->new_req ? &c->new_req->required : &null_value);
    csv_measure(out, c->old_req);
    csv_measure(out, c->new_req);
    sb_putc(out, '\n');
}

void diff_write_csv(const program_diff *d, const rubric_result *who, strbuf *out)
{
    if (!is_changed(d)) {
        csv_prefix(d, who, out);
        sb_pad(out, ',', 12);
        sb_putc(out, '\n');
        return;
    }
    if (!same_name(d->old_tier, d->new_tier))
        csv_standing(d, who, "eligible_tier", d->old_tier, d->new_tier, out);
    if (d->old_renewal != d->new_renewal)
        csv_standing(d, who, "renewal_status", renewal_word(d->old_renewal),
                     renewal_word(d->new_renewal), out);
    for (uint32_t i = 0; i < d->changes.len; i++)
        csv_change(d, who, &d->changes.items[i], out);
}
