/*
 * json_split.c — finding the elements of a JSON array as it streams in
 * (see json_split.h).
 *
 * A byte-class table lets the inner loops run over the bytes that cannot
 * change anything (most of a partner: keys, values, spaces) without
 * branching on each.  The stack of open brackets holds the closer each one
 * expects, so that a ']' closing a '{' is caught here: the scanner could
 * not know where the element ends otherwise.  Messages are those the JSON
 * reader gives for the same mistakes.
 */
#include "json_split.h"

#include <stdio.h>

#include "mem.h"

enum {
    S_LEADING, /* before the first non-blank byte                  */
    S_FIRST,   /* after '[': an element or ']'                      */
    S_NEXT,    /* after ',': an element                             */
    S_AFTER,   /* after an element: ',' or ']'                      */
    S_ELEMENT, /* inside an array, object or string element         */
    S_BARE,    /* inside a number or literal element                */
    S_CLOSED,  /* after the closing ']': only whitespace            */
    S_STOPPED  /* after JSPLIT_DOCUMENT or JSPLIT_ERROR             */
};

enum {
    C_WS = 1,        /* whitespace between tokens                    */
    C_STRUCT = 2,    /* matters inside an element, outside strings   */
    C_STRING = 4,    /* matters inside a string                      */
    C_TOKEN_END = 8  /* ends a number or literal                     */
};

static const unsigned char byte_class[256] = {
    [' '] = C_WS | C_TOKEN_END,
    ['\t'] = C_WS | C_TOKEN_END,
    ['\r'] = C_WS | C_TOKEN_END,
    ['\n'] = C_WS | C_TOKEN_END | C_STRUCT | C_STRING,
    ['"'] = C_STRUCT | C_STRING | C_TOKEN_END,
    ['\\'] = C_STRING,
    ['{'] = C_STRUCT | C_TOKEN_END,
    ['}'] = C_STRUCT | C_TOKEN_END,
    ['['] = C_STRUCT | C_TOKEN_END,
    [']'] = C_STRUCT | C_TOKEN_END,
    [','] = C_TOKEN_END,
    [':'] = C_TOKEN_END,
};

void json_split_init(json_split *s, const rubric_allocator *alloc, uint32_t max_depth)
{
    memset(s, 0, sizeof *s);
    s->alloc = alloc;
    s->max_depth = max_depth ? max_depth : 256;
    s->state = S_LEADING;
    s->line = 1;
}

void json_split_free(json_split *s)
{
    mem_free(s->alloc, s->closers, s->closers_cap);
    s->closers = NULL;
    s->closers_cap = 0;
}

/* p[i] is a '\n' of the piece that starts at s->offset. */
static void new_line(json_split *s, size_t i)
{
    s->line++;
    s->line_start = s->offset + i + 1;
}

/* Make p[i] the event's byte. */
static void mark(json_split *s, size_t i)
{
    s->event_line = s->line;
    s->event_column = s->offset + i - s->line_start + 1;
}

static json_split_event fail(json_split *s, size_t i, const char *message)
{
    mark(s, i);
    s->message = message;
    s->rest_skipped = s->state != S_CLOSED;
    s->state = S_STOPPED;
    return JSPLIT_ERROR;
}

/* The bracket at p[i] opens; closer is what will close it. */
static bool open_bracket(json_split *s, size_t i, char closer)
{
    if (s->depth >= s->max_depth) {
        snprintf(s->depth_message, sizeof s->depth_message, "nesting deeper than %u",
                 (unsigned)s->max_depth);
        fail(s, i, s->depth_message);
        return false;
    }
    if (s->depth == s->closers_cap) {
        uint32_t cap = s->closers_cap ? s->closers_cap * 2 : 16;
        if (cap > s->max_depth || cap < s->closers_cap)
            cap = s->max_depth;
        char *grown = mem_realloc(s->alloc, s->closers, s->closers_cap, cap);
        if (!grown) {
            s->out_of_memory = true;
            fail(s, i, "out of memory");
            return false;
        }
        s->closers = grown;
        s->closers_cap = cap;
    }
    s->closers[s->depth++] = closer;
    return true;
}

static void open_string(json_split *s, size_t i)
{
    s->in_string = true;
    s->string_line = s->line;
    s->string_column = s->offset + i - s->line_start + 1;
}

/* The first byte of an element, c = p[i]. */
static json_split_event start_element(json_split *s, unsigned char c, size_t i)
{
    mark(s, i);
    s->element_is_object = c == '{';
    switch (c) {
    case '{':
    case '[':
        if (!open_bracket(s, i, c == '{' ? '}' : ']'))
            return JSPLIT_ERROR;
        s->state = S_ELEMENT;
        break;
    case '"':
        open_string(s, i);
        s->state = S_ELEMENT;
        break;
    case ',':
    case ']':
    case '}':
    case ':':
        return fail(s, i, "expected a value");
    default:
        s->state = S_BARE;
        break;
    }
    return s->element_is_object ? JSPLIT_OBJECT_START : JSPLIT_NOT_OBJECT;
}

/* Whitespace, then the byte that follows it between elements. */
static json_split_event between(json_split *s, const unsigned char *p, size_t len, size_t *pos)
{
    size_t i = *pos;
    while (i < len && (byte_class[p[i]] & C_WS)) {
        if (p[i] == '\n')
            new_line(s, i);
        i++;
    }
    *pos = i;
    if (i == len)
        return JSPLIT_MORE;
    unsigned char c = p[i];
    *pos = i + 1;
    switch (s->state) {
    case S_LEADING:
        if (c != '[') {
            mark(s, i);
            s->state = S_STOPPED;
            return JSPLIT_DOCUMENT;
        }
        if (!open_bracket(s, i, ']'))
            return JSPLIT_ERROR;
        s->state = S_FIRST;
        return JSPLIT_MORE;
    case S_FIRST:
        if (c == ']') {
            s->depth = 0;
            s->state = S_CLOSED;
            return JSPLIT_MORE;
        }
        return start_element(s, c, i);
    case S_NEXT:
        return start_element(s, c, i);
    case S_AFTER:
        if (c == ',') {
            s->state = S_NEXT;
            return JSPLIT_MORE;
        }
        if (c == ']') {
            s->depth = 0;
            s->state = S_CLOSED;
            return JSPLIT_MORE;
        }
        return fail(s, i, "expected ',' or ']'");
    default:
        return fail(s, i, "trailing content after the document");
    }
}

/* Inside a string: up to its closing quote. */
static void scan_string(json_split *s, const unsigned char *p, size_t len, size_t *pos)
{
    size_t i = *pos;
    while (i < len) {
        if (s->escaped) {
            s->escaped = false;
            if (p[i] == '\n')
                new_line(s, i);
            i++;
            continue;
        }
        while (i < len && !(byte_class[p[i]] & C_STRING))
            i++;
        if (i == len)
            break;
        unsigned char c = p[i];
        if (c == '"') {
            s->in_string = false;
            i++;
            break;
        }
        if (c == '\\')
            s->escaped = true;
        else
            new_line(s, i);
        i++;
    }
    *pos = i;
}

/* A bracket that closes, c = p[i]. */
static json_split_event close_bracket(json_split *s, unsigned char c, size_t i)
{
    char want = s->closers[s->depth - 1];
    if (c != (unsigned char)want)
        return fail(s, i, want == ']' ? "expected ',' or ']'" : "expected ',' or '}'");
    s->depth--;
    if (s->depth > 1)
        return JSPLIT_MORE;
    s->state = S_AFTER;
    if (!s->element_is_object)
        return JSPLIT_MORE;
    mark(s, i);
    return JSPLIT_OBJECT_END;
}

/* Inside an array, object or string element: up to its end. */
static json_split_event scan_element(json_split *s, const unsigned char *p, size_t len,
                                     size_t *pos)
{
    json_split_event ev = JSPLIT_MORE;
    size_t i = *pos;
    while (i < len && ev == JSPLIT_MORE && s->state == S_ELEMENT) {
        if (s->in_string) {
            scan_string(s, p, len, &i);
            /* A string element ends with its string. */
            if (!s->in_string && s->depth == 1)
                s->state = S_AFTER;
            continue;
        }
        while (i < len && !(byte_class[p[i]] & C_STRUCT))
            i++;
        if (i == len)
            break;
        unsigned char c = p[i];
        if (c == '\n')
            new_line(s, i);
        else if (c == '"')
            open_string(s, i);
        else if (c == '{' || c == '[')
            ev = open_bracket(s, i, c == '{' ? '}' : ']') ? JSPLIT_MORE : JSPLIT_ERROR;
        else
            ev = close_bracket(s, c, i);
        i++;
    }
    *pos = i;
    return ev;
}

json_split_event json_split_feed(json_split *s, const char *bytes, size_t len, size_t *used)
{
    const unsigned char *p = (const unsigned char *)bytes;
    size_t i = 0;
    json_split_event ev = JSPLIT_MORE;
    while (i < len && ev == JSPLIT_MORE) {
        switch (s->state) {
        case S_ELEMENT:
            ev = scan_element(s, p, len, &i);
            break;
        case S_BARE:
            while (i < len && !(byte_class[p[i]] & C_TOKEN_END))
                i++;
            if (i < len)
                s->state = S_AFTER;
            break;
        case S_STOPPED:
            i = len;
            break;
        default:
            ev = between(s, p, len, &i);
            break;
        }
    }
    s->offset += i;
    *used = i;
    return ev;
}

json_split_event json_split_finish(json_split *s)
{
    switch (s->state) {
    case S_CLOSED:
    case S_STOPPED:
        return JSPLIT_DONE;
    case S_LEADING:
        /* As the JSON reader says of an empty document: at its start. */
        s->event_line = 1;
        s->event_column = 1;
        s->message = "empty document";
        break;
    default:
        if (s->in_string) {
            s->event_line = s->string_line;
            s->event_column = s->string_column;
            s->message = "unclosed string";
        } else {
            s->event_line = s->line;
            s->event_column = s->offset - s->line_start + 1;
            s->message = "unexpected end of the document";
        }
        break;
    }
    s->state = S_STOPPED;
    return JSPLIT_ERROR;
}
