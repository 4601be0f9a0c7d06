/*
 * json_reader.cpp — the pull tokenizer of json_reader.h over simdjson's
 * On-Demand API.
 *
 * simdjson indexes the whole document up front (stage 1: structure, UTF-8,
 * control characters, unclosed strings) and then walks it forward; we keep
 * one iterator per open array or object in an explicit stack (no recursion)
 * and hand out one token per call.  On-Demand checks structure only where it
 * walks, so every value is visited: strings are unescaped (which checks
 * escapes), numbers and literals are checked against the JSON grammar here.
 *
 * simdjson reports errors as codes without a position.  When one occurs we
 * re-scan the document with a small exact validator (find_error below) that
 * names the first error in document order and its byte offset; errors are
 * rare, so the second pass costs nothing in the common case.
 *
 * When errors surface: those of stage 1 (invalid UTF-8, control characters
 * and unclosed strings), and a root array or object whose last token cannot
 * close it (simdjson's own bounds check), are reported by json_begin() or
 * the first json_next(), before any token; all others when the stream
 * reaches them.  Either way the message and offset are those of the first
 * error in document order.  The padding after the document is never
 * trusted: simdjson may peek at its first byte, and whatever it finds, the
 * outcome is an error from the validator.
 *
 * No exception may cross into C: the error-code API is used throughout and
 * every entry point catches everything.
 */
#include "json_reader.h"

#include <cstdio>
#include <cstring>
#include <new>
#include <type_traits>

#include <simdjson.h>

/* mem.h is a C header without C++ guards. */
extern "C" {
#include "mem.h"
}

namespace od = simdjson::ondemand;

static_assert(JSON_PADDING >= simdjson::SIMDJSON_PADDING,
              "JSON_PADDING must cover simdjson's padding");

namespace {

/* One open array or object. */
struct frame {
    od::object_iterator obj;
    od::array_iterator arr;
    bool is_object;
    bool started; /* the first member/element has been read */
};

static_assert(std::is_trivially_copyable<frame>::value,
              "frames are moved with realloc");

enum class phase : uint8_t {
    root,    /* the next token is the root value's first */
    inside,  /* inside the root value                     */
    after,   /* the root value is complete: JT_END next   */
    stopped  /* JT_END or JT_ERROR was returned           */
};

} // namespace

struct json_reader {
    rubric_allocator alloc;
    uint32_t max_depth;
    od::parser parser;
    od::document doc;
    const char *buf = nullptr;
    size_t len = 0;
    const char *scalar_end = nullptr; /* a scalar root: just past its token */
    frame *stack = nullptr;
    uint32_t depth = 0;     /* open containers */
    uint32_t cap = 0;       /* frames allocated */
    od::value pending;      /* a member's value, read by the next call */
    bool has_pending = false;
    phase state = phase::stopped;
    json_token last = JT_ERROR;  /* what a stopped reader returns */
    size_t offset = 0;
    char message[128] = "";
    bool too_deep = false;  /* the last error is the depth limit */
    bool out_of_memory = false; /* the last error is memory running out */

    json_reader(const rubric_allocator *a, uint32_t depth_limit)
        : alloc(*a), max_depth(depth_limit)
    {
    }
};

/* ------------------------------------------------------------ validator */

namespace {

inline bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Ends a bare token (number or literal), as simdjson splits them. */
inline bool ends_token(unsigned char c)
{
    return is_ws(c) || c == '{' || c == '}' || c == '[' || c == ']' ||
           c == ',' || c == ':' || c == '"';
}

inline int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Four hex digits at s[i..i+4), or -1. */
long hex4(const char *s, size_t n, size_t i)
{
    if (n - i < 4)
        return -1;
    long v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hex_value((unsigned char)s[i + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Length of the valid UTF-8 sequence at s[i] (a byte >= 0x80), or 0. */
size_t utf8_length(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n - i - 1 < need)
        return 0;
    for (size_t k = 1; k <= need; k++) {
        unsigned char b = (unsigned char)s[i + k];
        if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
            return 0;
    }
    return need + 1;
}

struct found_error {
    size_t offset;
    const char *message;
};

/* find_error's message when it cannot allocate its stack. */
const char out_of_memory[] = "out of memory";

/* Scan the string whose opening quote is at s[i]; on success *end is just
 * past the closing quote. */
bool scan_string(const char *s, size_t n, size_t i, size_t *end, found_error *e)
{
    size_t j = i + 1;
    for (;;) {
        if (j >= n) {
            *e = {i, "unclosed string"};
            return false;
        }
        unsigned char b = (unsigned char)s[j];
        if (b == '"') {
            *end = j + 1;
            return true;
        }
        if (b == '\\') {
            if (j + 1 >= n) {
                *e = {i, "unclosed string"};
                return false;
            }
            unsigned char x = (unsigned char)s[j + 1];
            if (x == '"' || x == '\\' || x == '/' || x == 'b' || x == 'f' ||
                x == 'n' || x == 'r' || x == 't') {
                j += 2;
                continue;
            }
            if (x != 'u') {
                *e = {j, "invalid escape in a string"};
                return false;
            }
            long cp = hex4(s, n, j + 2);
            if (cp < 0) {
                *e = {j, "invalid escape in a string"};
                return false;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long low = j + 7 < n && s[j + 6] == '\\' && s[j + 7] == 'u'
                               ? hex4(s, n, j + 8)
                               : -1;
                if (low < 0xDC00 || low > 0xDFFF) {
                    *e = {j, "unpaired surrogate in a string"};
                    return false;
                }
                j += 12;
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                *e = {j, "unpaired surrogate in a string"};
                return false;
            } else {
                j += 6;
            }
            continue;
        }
        if (b < 0x20) {
            *e = {j, "control character in a string"};
            return false;
        }
        if (b < 0x80) {
            j++;
            continue;
        }
        size_t k = utf8_length(s, n, j);
        if (k == 0) {
            *e = {j, "invalid UTF-8"};
            return false;
        }
        j += k;
    }
}

/* A bare token at s[i..end): a number or a literal, else the error. */
bool check_bare(const char *s, size_t n, size_t i, size_t *end, found_error *e)
{
    size_t j = i;
    while (j < n && !ends_token((unsigned char)s[j]))
        j++;
    *end = j;
    unsigned char c = (unsigned char)s[i];
    if (j == i) {
        *e = {i, "expected a value"};
        return false;
    }
    if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) {
        if (json_number_valid(s + i, j - i))
            return true;
        *e = {i, "invalid number"};
        return false;
    }
    size_t len = j - i;
    if ((len == 4 && (memcmp(s + i, "true", 4) == 0 || memcmp(s + i, "null", 4) == 0)) ||
        (len == 5 && memcmp(s + i, "false", 5) == 0))
        return true;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        *e = {i, "invalid literal"};
        return false;
    }
    if (c >= 0x80 && utf8_length(s, n, i) == 0) {
        *e = {i, "invalid UTF-8"};
        return false;
    }
    *e = {i, "expected a value"};
    return false;
}

enum class vstate { value, value_or_end, key, key_or_end, colon, after };

/*
 * Find the first error of s[0..n) in document order.  False when there is
 * one (*e filled), true when the document is valid.  Iterative; the stack of
 * open containers is a bit per level (1 = object).
 */
bool find_error(const char *s, size_t n, uint32_t max_depth,
                const rubric_allocator *alloc, found_error *e, char *depth_msg,
                size_t depth_msg_size)
{
    size_t bound = max_depth < n ? max_depth : n;
    size_t words = bound / 64 + 1;
    uint64_t *kinds = static_cast<uint64_t *>(mem_calloc(alloc, words, sizeof(uint64_t)));
    if (!kinds) {
        *e = {0, out_of_memory};
        return false;
    }
    size_t depth = 0, i = 0;
    vstate st = vstate::value;
    bool ok = true;
    while (i < n && is_ws((unsigned char)s[i]))
        i++;
    if (i == n) {
        *e = {0, "empty document"};
        ok = false;
    }
    while (ok) {
        while (i < n && is_ws((unsigned char)s[i]))
            i++;
        if (i == n) {
            if (depth != 0 || st != vstate::after) {
                *e = {n, "unexpected end of the document"};
                ok = false;
            }
            break;
        }
        unsigned char c = (unsigned char)s[i];
        bool in_object = depth && ((kinds[(depth - 1) / 64] >> ((depth - 1) % 64)) & 1);
        bool close = false;
        switch (st) {
        case vstate::value_or_end:
            if (c == ']') {
                close = true;
                break;
            }
            /* fallthrough */
        case vstate::value:
            if (c == '{' || c == '[') {
                if (depth >= max_depth) {
                    snprintf(depth_msg, depth_msg_size, "nesting deeper than %u",
                             (unsigned)max_depth);
                    *e = {i, depth_msg};
                    ok = false;
                    break;
                }
                uint64_t bit = (uint64_t)1 << (depth % 64);
                if (c == '{')
                    kinds[depth / 64] |= bit;
                else
                    kinds[depth / 64] &= ~bit;
                depth++;
                st = c == '{' ? vstate::key_or_end : vstate::value_or_end;
                i++;
            } else if (c == '"') {
                ok = scan_string(s, n, i, &i, e);
                st = vstate::after;
            } else {
                ok = check_bare(s, n, i, &i, e);
                st = vstate::after;
            }
            break;
        case vstate::key_or_end:
            if (c == '}') {
                close = true;
                break;
            }
            /* fallthrough */
        case vstate::key:
            if (c != '"') {
                *e = {i, "expected a string key"};
                ok = false;
                break;
            }
            ok = scan_string(s, n, i, &i, e);
            st = vstate::colon;
            break;
        case vstate::colon:
            if (c != ':') {
                *e = {i, "expected ':' after the key"};
                ok = false;
                break;
            }
            i++;
            st = vstate::value;
            break;
        case vstate::after:
            if (depth == 0) {
                *e = {i, "trailing content after the document"};
                ok = false;
            } else if (c == ',') {
                i++;
                st = in_object ? vstate::key : vstate::value;
            } else if (c == (in_object ? '}' : ']')) {
                close = true;
            } else {
                *e = {i, in_object ? "expected ',' or '}'" : "expected ',' or ']'"};
                ok = false;
            }
            break;
        }
        if (close) {
            depth--;
            i++;
            st = vstate::after;
        }
    }
    mem_free(alloc, kinds, words * sizeof(uint64_t));
    return ok;
}

} // namespace

/* ------------------------------------------------------------- tokenizer */

namespace {

json_token fail(json_reader *r, const char *message, size_t offset)
{
    r->out_of_memory = message == out_of_memory;
    if (message != r->message)
        snprintf(r->message, sizeof r->message, "%s", message);
    r->offset = offset;
    r->state = phase::stopped;
    r->last = JT_ERROR;
    r->depth = 0;
    r->has_pending = false;
    return JT_ERROR;
}

/* simdjson reported `code`: name the first error of the document. */
json_token diagnose(json_reader *r, simdjson::error_code code)
{
    found_error e{0, nullptr};
    char depth_msg[48];
    if (code == simdjson::MEMALLOC)
        return fail(r, out_of_memory, 0);
    if (!find_error(r->buf, r->len, r->max_depth, &r->alloc, &e, depth_msg, sizeof depth_msg)) {
        r->too_deep = e.message == depth_msg;
        return fail(r, e.message, e.offset);
    }
    /* The validator found nothing: report what simdjson said. */
    snprintf(r->message, sizeof r->message, "invalid JSON (%s)",
             simdjson::error_message(code));
    return fail(r, r->message, r->len);
}

inline size_t offset_of(const json_reader *r, const void *p)
{
    return (size_t)(static_cast<const char *>(p) - r->buf);
}

/* Raw token text without the whitespace simdjson includes after it. */
inline json_text trimmed(std::string_view raw)
{
    size_t n = raw.size();
    while (n && is_ws((unsigned char)raw[n - 1]))
        n--;
    return json_text{raw.data(), n};
}

bool push(json_reader *r, bool is_object)
{
    if (r->depth == r->cap) {
        uint64_t want = r->cap ? (uint64_t)r->cap * 2 : 16;
        uint32_t cap = want > r->max_depth ? r->max_depth : (uint32_t)want;
        void *p = mem_realloc(&r->alloc, r->stack, (size_t)r->cap * sizeof(frame),
                              (size_t)cap * sizeof(frame));
        if (!p)
            return false;
        r->stack = static_cast<frame *>(p);
        r->cap = cap;
    }
    frame &f = r->stack[r->depth++];
    f = frame{};
    f.is_object = is_object;
    f.started = false;
    return true;
}

/* The byte offset of the bracket that just closed a container: the last
 * non-space byte before the next token (or the end). */
size_t closing_offset(json_reader *r)
{
    const char *next = nullptr;
    if (r->doc.current_location().get(next) != simdjson::SUCCESS)
        next = r->buf + r->len;
    size_t i = offset_of(r, next);
    while (i > 0 && is_ws((unsigned char)r->buf[i - 1]))
        i--;
    return i ? i - 1 : 0;
}

json_token scalar(json_reader *r, simdjson::ondemand::json_type type,
                  std::string_view raw, json_text *text)
{
    json_text t = trimmed(raw);
    r->offset = offset_of(r, t.ptr);
    if (type == od::json_type::number) {
        if (!json_number_valid(t.ptr, t.len))
            return fail(r, "invalid number", r->offset);
        *text = t;
        return JT_NUMBER;
    }
    if (t.len == 4 && memcmp(t.ptr, "true", 4) == 0)
        return JT_TRUE;
    if (t.len == 5 && memcmp(t.ptr, "false", 5) == 0)
        return JT_FALSE;
    if (t.len == 4 && memcmp(t.ptr, "null", 4) == 0)
        return JT_NULL;
    return fail(r, "invalid literal", r->offset);
}

json_token open_container(json_reader *r, bool is_object, size_t offset)
{
    r->offset = offset;
    if (r->depth >= r->max_depth) {
        snprintf(r->message, sizeof r->message, "nesting deeper than %u",
                 (unsigned)r->max_depth);
        r->too_deep = true;
        return fail(r, r->message, offset);
    }
    if (!push(r, is_object))
        return fail(r, out_of_memory, offset);
    return is_object ? JT_OBJECT_START : JT_ARRAY_START;
}

/* The value v (not the root), whose first token is next. */
json_token read_value(json_reader *r, od::value &v, json_text *text)
{
    od::json_type type;
    auto err = v.type().get(type);
    if (err)
        return diagnose(r, err);
    std::string_view raw = v.raw_json_token();
    size_t start = offset_of(r, raw.data());
    switch (type) {
    case od::json_type::object: {
        od::object o;
        if ((err = v.get_object().get(o)))
            return diagnose(r, err);
        json_token t = open_container(r, true, start);
        if (t == JT_OBJECT_START && (err = o.begin().get(r->stack[r->depth - 1].obj)))
            return diagnose(r, err);
        return t;
    }
    case od::json_type::array: {
        od::array a;
        if ((err = v.get_array().get(a)))
            return diagnose(r, err);
        json_token t = open_container(r, false, start);
        if (t == JT_ARRAY_START && (err = a.begin().get(r->stack[r->depth - 1].arr)))
            return diagnose(r, err);
        return t;
    }
    case od::json_type::string: {
        std::string_view s;
        if ((err = v.get_string().get(s)))
            return diagnose(r, err);
        r->offset = start;
        *text = json_text{s.data(), s.size()};
        return JT_STRING;
    }
    default:
        /* Numbers and literals are left to the parent's iterator to step
         * over. */
        return scalar(r, type, raw, text);
    }
}

json_token read_root(json_reader *r, json_text *text)
{
    od::json_type type;
    auto err = r->doc.type().get(type);
    if (err)
        return diagnose(r, err);
    std::string_view raw;
    if ((err = r->doc.raw_json_token().get(raw)))
        return diagnose(r, err);
    size_t start = offset_of(r, raw.data());
    r->state = phase::inside;
    switch (type) {
    case od::json_type::object: {
        od::object o;
        if ((err = r->doc.get_object().get(o)))
            return diagnose(r, err);
        json_token t = open_container(r, true, start);
        if (t == JT_OBJECT_START && (err = o.begin().get(r->stack[0].obj)))
            return diagnose(r, err);
        return t;
    }
    case od::json_type::array: {
        od::array a;
        if ((err = r->doc.get_array().get(a)))
            return diagnose(r, err);
        json_token t = open_container(r, false, start);
        if (t == JT_ARRAY_START && (err = a.begin().get(r->stack[0].arr)))
            return diagnose(r, err);
        return t;
    }
    case od::json_type::string: {
        std::string_view s;
        if ((err = r->doc.get_string().get(s)))
            return diagnose(r, err);
        r->state = phase::after;
        r->scalar_end = raw.data() + raw.size();
        r->offset = start;
        *text = json_text{s.data(), s.size()};
        return JT_STRING;
    }
    default: {
        /* A scalar's raw token runs to the next token, or to the end. */
        json_token t = scalar(r, type, raw, text);
        if (t != JT_ERROR) {
            r->state = phase::after;
            r->scalar_end = raw.data() + raw.size();
        }
        return t;
    }
    }
}

json_token read_end(json_reader *r)
{
    const char *next = nullptr;
    bool more;
    if (r->scalar_end) {
        next = r->scalar_end;
        more = next < r->buf + r->len;
    } else {
        more = r->doc.current_location().get(next) == simdjson::SUCCESS;
    }
    if (more) {
        /* Another token follows the root value. */
        found_error e{0, nullptr};
        char depth_msg[48];
        if (!find_error(r->buf, r->len, r->max_depth, &r->alloc, &e, depth_msg,
                        sizeof depth_msg)) {
            r->too_deep = e.message == depth_msg;
            return fail(r, e.message, e.offset);
        }
        return fail(r, "trailing content after the document", offset_of(r, next));
    }
    r->offset = r->len;
    r->state = phase::stopped;
    r->last = JT_END;
    return JT_END;
}

json_token close_container(json_reader *r, json_token t)
{
    r->depth--;
    r->offset = closing_offset(r);
    if (r->depth == 0)
        r->state = phase::after;
    return t;
}

json_token step(json_reader *r, json_text *text)
{
    switch (r->state) {
    case phase::root:
        return read_root(r, text);
    case phase::after:
        return read_end(r);
    case phase::stopped:
        return r->last;
    case phase::inside:
        break;
    }
    if (r->has_pending) {
        r->has_pending = false;
        return read_value(r, r->pending, text);
    }
    frame &f = r->stack[r->depth - 1];
    if (f.is_object) {
        if (f.started)
            ++f.obj;
        f.started = true;
        if (!(f.obj != f.obj))
            return close_container(r, JT_OBJECT_END);
        od::field field;
        auto err = (*f.obj).get(field);
        if (err)
            return diagnose(r, err);
        /* raw() points just past the opening quote; unescaping the key
         * consumes it, so take the offset first. */
        size_t key_offset = offset_of(r, field.key().raw()) - 1;
        std::string_view key;
        if ((err = field.unescaped_key().get(key)))
            return diagnose(r, err);
        r->offset = key_offset;
        *text = json_text{key.data(), key.size()};
        r->pending = std::move(field).value();
        r->has_pending = true;
        return JT_KEY;
    }
    if (f.started)
        ++f.arr;
    f.started = true;
    if (!(f.arr != f.arr))
        return close_container(r, JT_ARRAY_END);
    od::value v;
    auto err = (*f.arr).get(v);
    if (err)
        return diagnose(r, err);
    return read_value(r, v, text);
}

} // namespace

/* ------------------------------------------------------------ interface */

extern "C" {

json_reader *json_reader_new(const rubric_allocator *alloc, uint32_t max_depth)
{
    void *p = mem_alloc(alloc, sizeof(json_reader));
    if (!p)
        return nullptr;
    json_reader *r = nullptr;
    try {
        r = new (p) json_reader(alloc, max_depth ? max_depth : 1);
    } catch (...) {
        mem_free(alloc, p, sizeof(json_reader));
        return nullptr;
    }
    /* simdjson's iterator keeps its own depth bound (1024 by default); it
     * must be above ours (it counts the document itself), or a deep
     * document trips over it.  The parser keeps this bound when it grows
     * for larger documents. */
    if (r->parser.allocate(4096, (size_t)r->max_depth + 2) != simdjson::SUCCESS) {
        json_reader_free(r);
        return nullptr;
    }
    return r;
}

void json_reader_free(json_reader *r)
{
    if (!r)
        return;
    rubric_allocator alloc = r->alloc;
    if (r->stack)
        mem_free(&alloc, r->stack, (size_t)r->cap * sizeof(frame));
    try {
        r->~json_reader();
    } catch (...) {
    }
    mem_free(&alloc, r, sizeof(json_reader));
}

bool json_begin(json_reader *r, const char *buf, size_t len)
{
    r->buf = buf;
    r->len = len;
    r->scalar_end = nullptr;
    r->depth = 0;
    r->has_pending = false;
    r->offset = 0;
    r->message[0] = '\0';
    r->too_deep = false;
    r->out_of_memory = false;
    r->state = phase::root;
    r->last = JT_ERROR;
    try {
        if (len > simdjson::SIMDJSON_MAXSIZE_BYTES) {
            fail(r, "document too large", 0);
            return false;
        }
        auto doc = r->parser.iterate(buf, len, len + JSON_PADDING);
        if (doc.error()) {
            diagnose(r, doc.error());
            return false;
        }
        r->doc = std::move(doc).value_unsafe();
        return true;
    } catch (...) {
        fail(r, "internal error in the JSON reader", 0);
        return false;
    }
}

json_token json_next(json_reader *r, json_text *text)
{
    text->ptr = "";
    text->len = 0;
    try {
        return step(r, text);
    } catch (...) {
        return fail(r, "internal error in the JSON reader", r->offset);
    }
}

bool json_skip(json_reader *r, json_token first)
{
    json_text t;
    if (first == JT_KEY) {
        first = json_next(r, &t);
        if (first == JT_ERROR)
            return false;
    }
    if (first == JT_ERROR)
        return false;
    if (first != JT_OBJECT_START && first != JT_ARRAY_START)
        return true;
    /* The container just opened is the top frame. */
    uint32_t target = r->depth ? r->depth - 1 : 0;
    for (;;) {
        json_token tok = json_next(r, &t);
        if (tok == JT_ERROR)
            return false;
        if ((tok == JT_OBJECT_END || tok == JT_ARRAY_END) && r->depth == target)
            return true;
        if (tok == JT_END)
            return true;
    }
}

size_t json_offset(const json_reader *r)
{
    return r->offset;
}

bool json_too_deep(const json_reader *r)
{
    return r->too_deep;
}

bool json_out_of_memory(const json_reader *r)
{
    return r->out_of_memory;
}

size_t json_parser_bytes(size_t len, uint32_t max_depth)
{
    /* What simdjson's parser::allocate asks for a capacity of len bytes
     * (never below the 4096 json_reader_new starts with): its string
     * buffer, its implementation's structural index and per-level
     * stacks, and the implementation object itself. */
    if (len > SIZE_MAX / 8)
        return SIZE_MAX;
    size_t capacity = len < 4096 ? 4096 : len;
    size_t round64 = (capacity + 63) & ~(size_t)63;
    size_t strings = (5 * capacity / 3 + simdjson::SIMDJSON_PADDING + 63) & ~(size_t)63;
    size_t structurals = 4 * (round64 + 2 + 7);
    size_t levels = 9 * ((size_t)max_depth + 2);
    return strings + structurals + levels + 1024;
}

const char *json_error_message(const json_reader *r)
{
    return r->message;
}

bool json_number_valid(const char *s, size_t len)
{
    size_t i = 0;
    if (i < len && s[i] == '-')
        i++;
    if (i == len)
        return false;
    if (s[i] == '0') {
        i++;
    } else if (s[i] >= '1' && s[i] <= '9') {
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    } else {
        return false;
    }
    if (i < len && s[i] == '.') {
        size_t start = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == start)
            return false;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t start = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == start)
            return false;
    }
    return i == len;
}

} // extern "C"
