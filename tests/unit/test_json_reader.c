/* test_json_reader.c — the JSON pull tokenizer: tokens, offsets, errors,
 * skipping and the nesting limit. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_reader.h"

/* A copy of s[0..n) followed by JSON_PADDING bytes of `pad`. */
static char *padded(const char *s, size_t n, char pad)
{
    char *buf = malloc(n + JSON_PADDING);
    assert_non_null(buf);
    memcpy(buf, s, n);
    memset(buf + n, pad, JSON_PADDING);
    return buf;
}

/*
 * The token stream of a document as text: "{ K:a [ N:1 S:x ] } END", or
 * "... ERROR@5: invalid number".  With offsets, each token is followed by
 * "@offset".
 */
static void render_reader(json_reader *r, const char *doc, size_t n, char pad,
                          bool offsets, char *out, size_t out_size)
{
    static const char *const names[] = {"ERROR", "{", "}", "[", "]", "K:", "S:",
                                        "N:", "true", "false", "null", "END"};
    char *buf = padded(doc, n, pad);
    size_t len = 0;
    out[0] = '\0';
    json_token t = JT_ERROR;
    if (json_begin(r, buf, n)) {
        json_text text;
        do {
            t = json_next(r, &text);
            if (t == JT_ERROR)
                break;
            len += (size_t)snprintf(out + len, out_size - len, "%s%s%.*s", len ? " " : "",
                                    names[t], (int)text.len, text.ptr);
            if (offsets)
                len += (size_t)snprintf(out + len, out_size - len, "@%zu", json_offset(r));
        } while (t != JT_END);
    }
    if (t == JT_ERROR)
        snprintf(out + len, out_size - len, "%sERROR@%zu: %s", len ? " " : "",
                 json_offset(r), json_error_message(r));
    free(buf);
}

static char rendered[4096];

static const char *render_depth(const char *doc, uint32_t max_depth)
{
    json_reader *r = json_reader_new(test_alloc(), max_depth);
    assert_non_null(r);
    render_reader(r, doc, strlen(doc), '\0', false, rendered, sizeof rendered);
    json_reader_free(r);
    return rendered;
}

static const char *render(const char *doc)
{
    return render_depth(doc, 64);
}

static const char *render_offsets(const char *doc)
{
    json_reader *r = json_reader_new(test_alloc(), 64);
    assert_non_null(r);
    render_reader(r, doc, strlen(doc), '\0', true, rendered, sizeof rendered);
    json_reader_free(r);
    return rendered;
}

/* ---------------------------------------------------------------- tokens */

static void test_token_sequences(void **state)
{
    (void)state;
    assert_string_equal(render("{\"a\": [1, \"x\"]}"), "{ K:a [ N:1 S:x ] } END");
    assert_string_equal(render("{}"), "{ } END");
    assert_string_equal(render("[]"), "[ ] END");
    assert_string_equal(render(" [ [ ] , { } , [ [ ] ] ] "), "[ [ ] { } [ [ ] ] ] END");
    assert_string_equal(render("{\"a\":true,\"b\":false,\"c\":null}"),
                        "{ K:a true K:b false K:c null } END");
    assert_string_equal(render("{\"a\":{\"b\":{\"c\":[]}},\"d\":\"\"}"),
                        "{ K:a { K:b { K:c [ ] } } K:d S: } END");
    assert_string_equal(render("\n\t{\r\n\"k\" :\t\"v\" }\n"), "{ K:k S:v } END");
}

static void test_scalar_documents(void **state)
{
    (void)state;
    assert_string_equal(render("12"), "N:12 END");
    assert_string_equal(render("  -0.5e+3  "), "N:-0.5e+3 END");
    assert_string_equal(render("\"abc\""), "S:abc END");
    assert_string_equal(render("true"), "true END");
    assert_string_equal(render("false "), "false END");
    assert_string_equal(render("null"), "null END");
}

static void test_numbers_are_raw_text(void **state)
{
    (void)state;
    assert_string_equal(render("[0, -0, 10498.56, 2.5e3, 1.50E+2, 12.345e1, -1e-2, 1E5,"
                               " 123456789012345678901234567890]"),
                        "[ N:0 N:-0 N:10498.56 N:2.5e3 N:1.50E+2 N:12.345e1 N:-1e-2 "
                        "N:1E5 N:123456789012345678901234567890 ] END");
    assert_string_equal(render("{\"n\":1e400}"), "{ K:n N:1e400 } END");
}

static void test_strings_are_unescaped(void **state)
{
    (void)state;
    assert_string_equal(render("[\"a\\\"b\", \"\\\\\", \"\\/\", \"x\\ty\"]"),
                        "[ S:a\"b S:\\ S:/ S:x\ty ] END");
    assert_string_equal(render("{\"k\\u00e9y\":\"\\u20ac \\uD83D\\uDE00\"}"),
                        "{ K:k\xc3\xa9y S:\xe2\x82\xac \xf0\x9f\x98\x80 } END");
    assert_string_equal(render("[\"caf\xc3\xa9\", \"\\b\\f\\n\\r\"]"),
                        "[ S:caf\xc3\xa9 S:\b\f\n\r ] END");
    /* an escaped NUL keeps its length */
    json_reader *r = json_reader_new(test_alloc(), 8);
    char *buf = padded("\"a\\u0000b\"", 10, 0);
    json_text t;
    assert_true(json_begin(r, buf, 10));
    assert_int_equal(json_next(r, &t), JT_STRING);
    assert_int_equal(t.len, 3);
    assert_memory_equal(t.ptr, "a\0b", 3);
    assert_int_equal(json_next(r, &t), JT_END);
    free(buf);
    json_reader_free(r);
}

static void test_offsets(void **state)
{
    (void)state;
    /*                      0123456789012345678 */
    assert_string_equal(render_offsets("{\"a\": [1, \"x\"]}"),
                        "{@0 K:a@1 [@6 N:1@7 S:x@10 ]@13 }@14 END@15");
    assert_string_equal(render_offsets(" { \"k\" : { } , \"l\" : [ ] } "),
                        "{@1 K:k@3 {@9 }@11 K:l@15 [@21 ]@23 }@25 END@27");
    assert_string_equal(render_offsets("[true,\n null ,\tfalse]"),
                        "[@0 true@1 null@8 false@15 ]@20 END@21");
    assert_string_equal(render_offsets("  \"s\"  "), "S:s@2 END@7");
}

static void test_end_and_error_repeat(void **state)
{
    (void)state;
    json_reader *r = json_reader_new(test_alloc(), 8);
    char *buf = padded("[1]", 3, 0);
    json_text t;
    assert_true(json_begin(r, buf, 3));
    assert_int_equal(json_next(r, &t), JT_ARRAY_START);
    assert_int_equal(json_next(r, &t), JT_NUMBER);
    assert_int_equal(json_next(r, &t), JT_ARRAY_END);
    assert_int_equal(json_next(r, &t), JT_END);
    assert_int_equal(json_next(r, &t), JT_END);
    assert_int_equal(t.len, 0);
    free(buf);
    buf = padded("[1,]", 4, 0);
    assert_true(json_begin(r, buf, 4));
    assert_int_equal(json_next(r, &t), JT_ARRAY_START);
    assert_int_equal(json_next(r, &t), JT_NUMBER);
    assert_int_equal(json_next(r, &t), JT_ERROR);
    assert_int_equal(json_next(r, &t), JT_ERROR);
    assert_int_equal(json_offset(r), 3);
    assert_string_equal(json_error_message(r), "expected a value");
    assert_false(json_skip(r, JT_ARRAY_START));
    free(buf);
    json_reader_free(r);
}

static void test_reader_is_reusable(void **state)
{
    (void)state;
    json_reader *r = json_reader_new(test_alloc(), 8);
    for (int i = 0; i < 3; i++) {
        render_reader(r, "tru", 3, 0, false, rendered, sizeof rendered);
        assert_string_equal(rendered, "ERROR@0: invalid literal");
        render_reader(r, "{\"a\":[\"x\"]}", 11, 0, false, rendered, sizeof rendered);
        assert_string_equal(rendered, "{ K:a [ S:x ] } END");
        render_reader(r, "", 0, 0, false, rendered, sizeof rendered);
        assert_string_equal(rendered, "ERROR@0: empty document");
    }
    json_reader_free(r);
}

/* ---------------------------------------------------------------- errors */

typedef struct bad_case {
    const char *doc;
    const char *expected; /* the tokens before the error, then the error */
} bad_case;

static void check_cases(const bad_case *cases, size_t n)
{
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        const char *got = render(cases[i].doc);
        if (strcmp(got, cases[i].expected) != 0) {
            print_error("%s\n  expected: %s\n       got: %s\n", cases[i].doc,
                        cases[i].expected, got);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

static void test_malformed_documents(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        /* empty */
        {"", "ERROR@0: empty document"},
        {" \n\t ", "ERROR@0: empty document"},
        /* truncated */
        {"{", "ERROR@1: unexpected end of the document"},
        {"[1,2", "ERROR@4: unexpected end of the document"},
        {"{\"a\":1", "ERROR@6: unexpected end of the document"},
        {"{\"a\":", "ERROR@5: unexpected end of the document"},
        {"{\"a\"", "ERROR@4: unexpected end of the document"},
        {"[[1], [2", "ERROR@8: unexpected end of the document"},
        {"{\"a\": [1, {\"b\": 2}", "{ K:a [ N:1 { K:b N:2 } ERROR@18: unexpected end of the document"},
        {"\"abc", "ERROR@0: unclosed string"},
        {"[\"abc]", "ERROR@1: unclosed string"},
        {"{\"a\":\"x\\\"}", "ERROR@5: unclosed string"},
        /* literals */
        {"tru", "ERROR@0: invalid literal"},
        {"[tru]", "[ ERROR@1: invalid literal"},
        {"[true false]", "[ true ERROR@6: expected ',' or ']'"},
        {"[truex]", "[ ERROR@1: invalid literal"},
        {"{\"a\":nul}", "{ K:a ERROR@5: invalid literal"},
        {"[True]", "[ ERROR@1: invalid literal"},
        {"[NaN]", "[ ERROR@1: invalid literal"},
        {"[Infinity]", "[ ERROR@1: invalid literal"},
        {"[undefined]", "[ ERROR@1: invalid literal"},
        /* numbers */
        {"[01]", "[ ERROR@1: invalid number"},
        {"[1.]", "[ ERROR@1: invalid number"},
        {"[-]", "[ ERROR@1: invalid number"},
        {"[1e]", "[ ERROR@1: invalid number"},
        {"[1e+]", "[ ERROR@1: invalid number"},
        {"[.5]", "[ ERROR@1: invalid number"},
        {"[+1]", "[ ERROR@1: invalid number"},
        {"[-01]", "[ ERROR@1: invalid number"},
        {"[1.5.2]", "[ ERROR@1: invalid number"},
        {"[0x10]", "[ ERROR@1: invalid number"},
        {"[1,2x]", "[ N:1 ERROR@3: invalid number"},
        {"01", "ERROR@0: invalid number"},
        {"-", "ERROR@0: invalid number"},
        {"{\"a\": 1.}", "{ K:a ERROR@6: invalid number"},
        /* structure */
        {"{\"a\":}", "{ K:a ERROR@5: expected a value"},
        {"[1,]", "[ N:1 ERROR@3: expected a value"},
        {"[,1]", "[ ERROR@1: expected a value"},
        {"[1,,2]", "[ N:1 ERROR@3: expected a value"},
        {"{\"a\"::1}", "{ K:a ERROR@5: expected a value"},
        {"[}", "ERROR@1: expected a value"},
        {"}", "ERROR@0: expected a value"},
        {"{\"a\":1,}", "{ K:a N:1 ERROR@7: expected a string key"},
        {"{,}", "{ ERROR@1: expected a string key"},
        {"{1:2}", "{ ERROR@1: expected a string key"},
        {"{a:1}", "{ ERROR@1: expected a string key"},
        {"{\"a\" 1}", "{ ERROR@5: expected ':' after the key"},
        {"{\"a\"}", "{ ERROR@4: expected ':' after the key"},
        {"[1 2]", "[ N:1 ERROR@3: expected ',' or ']'"},
        {"[\"a\"1]", "[ S:a ERROR@4: expected ',' or ']'"},
        {"{\"a\":[1}", "{ K:a [ N:1 ERROR@7: expected ',' or ']'"},
        {"{\"a\":1]", "ERROR@6: expected ',' or '}'"},
        {"{\"a\":1 \"b\":2}", "{ K:a N:1 ERROR@7: expected ',' or '}'"},
        {"{\"a\":{\"b\":1]}", "{ K:a { K:b N:1 ERROR@11: expected ',' or '}'"},
        /* trailing content */
        {"{} x", "ERROR@3: trailing content after the document"},
        {"{}}", "{ } ERROR@2: trailing content after the document"},
        {"{} {}", "{ } ERROR@3: trailing content after the document"},
        {"[1]]", "[ N:1 ] ERROR@3: trailing content after the document"},
        {"[] []", "[ ] ERROR@3: trailing content after the document"},
        {"1 2", "N:1 ERROR@2: trailing content after the document"},
        {"\"a\" \"b\"", "S:a ERROR@4: trailing content after the document"},
        {"null,", "null ERROR@4: trailing content after the document"},
        {"{},", "ERROR@2: trailing content after the document"},
        /* escapes */
        {"[\"a\\qb\"]", "[ ERROR@3: invalid escape in a string"},
        {"[\"\\u12\"]", "[ ERROR@2: invalid escape in a string"},
        {"[\"\\u12G4\"]", "[ ERROR@2: invalid escape in a string"},
        {"[\"\\x41\"]", "[ ERROR@2: invalid escape in a string"},
        {"[\"\\uD83D\"]", "[ ERROR@2: unpaired surrogate in a string"},
        {"[\"\\uD83Dx\"]", "[ ERROR@2: unpaired surrogate in a string"},
        {"[\"\\uD83D\\u0041\"]", "[ ERROR@2: unpaired surrogate in a string"},
        {"[\"\\uDE00\"]", "[ ERROR@2: unpaired surrogate in a string"},
        {"{\"a\\q\":1}", "{ ERROR@3: invalid escape in a string"},
        /* control characters and UTF-8 (found before any token) */
        {"[\"a\x01\"]", "ERROR@3: control character in a string"},
        {"[\"tab\there\"]", "ERROR@5: control character in a string"},
        {"{\"a\nb\":1}", "ERROR@3: control character in a string"},
        {"[\"\x7f\"]", "[ S:\x7f ] END"},
        {"[\"a\xff\"]", "ERROR@3: invalid UTF-8"},
        {"[\"\xc0\x80\"]", "ERROR@2: invalid UTF-8"},           /* overlong NUL */
        {"[\"\xe0\x80\xaf\"]", "ERROR@2: invalid UTF-8"},       /* overlong '/' */
        {"[\"\xed\xa0\x80\"]", "ERROR@2: invalid UTF-8"},       /* a surrogate */
        {"[\"\xf4\x90\x80\x80\"]", "ERROR@2: invalid UTF-8"},   /* > U+10FFFF */
        {"[\"\xe2\x82\"]", "ERROR@2: invalid UTF-8"},           /* truncated */
        {"[\"\x80\"]", "ERROR@2: invalid UTF-8"},               /* lone continuation */
        {"[\xff]", "ERROR@1: invalid UTF-8"},
        /* the first error in document order wins */
        {"[tru, \"\xff\"]", "ERROR@1: invalid literal"},
        {"[\"\x01\", tru]", "ERROR@2: control character in a string"},
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

/* The bytes after the document never change the outcome (a span inside a
 * larger buffer is followed by the rest of that buffer).  How many tokens
 * come before the error may vary; the error itself does not. */
static void test_garbage_padding_is_ignored(void **state)
{
    (void)state;
    json_reader *r = json_reader_new(test_alloc(), 16);
    static const char *const docs[] = {"[[1]", "{\"a\":{}", "[1,2", "{\"a\":[1]",
                                       "[[[[1]", "{\"a\":{\"b\":{\"c\":[1]}", "[1,"};
    static const char *const want[] = {
        "ERROR@4: unexpected end of the document", "ERROR@7: unexpected end of the document",
        "ERROR@4: unexpected end of the document", "ERROR@8: unexpected end of the document",
        "ERROR@6: unexpected end of the document", "ERROR@19: unexpected end of the document",
        "ERROR@3: unexpected end of the document"};
    static const char pads[] = {']', '}', ',', '"', ' ', 'x', '1', ':', '{', '['};
    for (size_t d = 0; d < sizeof docs / sizeof docs[0]; d++)
        for (size_t p = 0; p < sizeof pads; p++) {
            render_reader(r, docs[d], strlen(docs[d]), pads[p], false, rendered,
                          sizeof rendered);
            const char *err = strstr(rendered, "ERROR@");
            if (!err || strcmp(err, want[d]) != 0)
                fail_msg("%s + '%c': %s", docs[d], pads[p], rendered);
        }
    render_reader(r, "[1]", 3, ']', false, rendered, sizeof rendered);
    assert_string_equal(rendered, "[ N:1 ] END");
    render_reader(r, "{\"a\":{}}", 8, '}', false, rendered, sizeof rendered);
    assert_string_equal(rendered, "{ K:a { } } END");
    json_reader_free(r);
}

/* ----------------------------------------------------------------- depth */

static char *nested(size_t depth, const char *open, const char *inner, const char *close)
{
    size_t lo = strlen(open), li = strlen(inner), lc = strlen(close);
    size_t n = depth * (lo + lc) + li;
    char *s = malloc(n + 1);
    assert_non_null(s);
    size_t k = 0;
    for (size_t i = 0; i < depth; i++, k += lo)
        memcpy(s + k, open, lo);
    memcpy(s + k, inner, li);
    k += li;
    for (size_t i = 0; i < depth; i++, k += lc)
        memcpy(s + k, close, lc);
    s[k] = '\0';
    return s;
}

static void test_depth_limit(void **state)
{
    (void)state;
    assert_string_equal(render_depth("[[1]]", 2), "[ [ N:1 ] ] END");
    assert_string_equal(render_depth("[[[1]]]", 2), "[ [ ERROR@2: nesting deeper than 2");
    assert_string_equal(render_depth("{\"a\":{\"b\":{}}}", 2),
                        "{ K:a { K:b ERROR@10: nesting deeper than 2");
    assert_string_equal(render_depth("[{}]", 1), "[ ERROR@1: nesting deeper than 1");
    assert_string_equal(render_depth("7", 1), "N:7 END");
}

/* Tokens until END or ERROR; the number of tokens. */
static size_t drain(json_reader *r, json_token *last)
{
    json_text t;
    size_t n = 0;
    json_token k;
    do {
        k = json_next(r, &t);
        n++;
    } while (k != JT_END && k != JT_ERROR);
    *last = k;
    return n;
}

static void test_deep_nesting_never_crashes(void **state)
{
    (void)state;
    const size_t deep = 100000;
    char *docs[4] = {
        nested(deep, "[", "1", "]"),
        nested(deep, "[", "", ""),
        nested(deep, "{\"a\":", "1", "}"),
        nested(deep, "[{\"a\":", "1", "}]"),
    };
    json_reader *r = json_reader_new(test_alloc(), 256);
    for (size_t i = 0; i < 4; i++) {
        size_t n = strlen(docs[i]);
        char *buf = padded(docs[i], n, 0);
        json_token last;
        if (json_begin(r, buf, n))
            drain(r, &last);
        assert_string_equal(json_error_message(r), "nesting deeper than 256");
        /* the 257th container: "[" x 256, "{\"a\":" x 256, "[{\"a\":" x 128 */
        static const size_t at[] = {256, 256, 256 * 5, 128 * 6};
        assert_int_equal(json_offset(r), at[i]);
        free(buf);
    }
    json_reader_free(r);

    /* With a limit above the nesting, the whole document streams. */
    r = json_reader_new(test_alloc(), (uint32_t)deep);
    size_t n = strlen(docs[0]);
    char *buf = padded(docs[0], n, 0);
    assert_true(json_begin(r, buf, n));
    json_token last;
    assert_int_equal(drain(r, &last), 2 * deep + 2);
    assert_int_equal(last, JT_END);
    /* json_skip over it is iterative as well */
    json_text t;
    assert_true(json_begin(r, buf, n));
    assert_int_equal(json_next(r, &t), JT_ARRAY_START);
    assert_true(json_skip(r, JT_ARRAY_START));
    assert_int_equal(json_offset(r), n - 1);
    assert_int_equal(json_next(r, &t), JT_END);
    free(buf);
    json_reader_free(r);
    for (size_t i = 0; i < 4; i++)
        free(docs[i]);
}

/* ------------------------------------------------------------------ skip */

static void test_skip(void **state)
{
    (void)state;
    json_reader *r = json_reader_new(test_alloc(), 16);
    /*            0123456789012345678901234567890123456 */
    const char *doc = "{\"u\":{\"x\":[1,{\"y\":null}]},\"k\":[[],{}],\"v\":7}";
    size_t n = strlen(doc);
    char *buf = padded(doc, n, 0);
    json_text t;
    assert_true(json_begin(r, buf, n));
    assert_int_equal(json_next(r, &t), JT_OBJECT_START);
    assert_int_equal(json_next(r, &t), JT_KEY);
    assert_true(json_skip(r, JT_KEY)); /* the whole value of "u" */
    assert_int_equal(json_offset(r), 24);
    assert_int_equal(json_next(r, &t), JT_KEY);
    assert_memory_equal(t.ptr, "k", 1);
    assert_int_equal(json_next(r, &t), JT_ARRAY_START);
    assert_true(json_skip(r, JT_ARRAY_START));
    assert_int_equal(json_offset(r), 36);
    assert_int_equal(json_next(r, &t), JT_KEY);
    assert_true(json_skip(r, JT_KEY)); /* a scalar value */
    assert_int_equal(json_next(r, &t), JT_OBJECT_END);
    assert_true(json_skip(r, JT_OBJECT_END)); /* nothing to skip */
    assert_int_equal(json_next(r, &t), JT_END);
    free(buf);

    /* skipping validates */
    static const char *const bad[] = {
        "{\"u\":[1,tru],\"v\":1}", "{\"u\":{\"a\":01},\"v\":1}",
        "{\"u\":[\"\\q\"],\"v\":1}", "{\"u\":{\"a\" 1},\"v\":1}",
        "{\"u\":{\"a\":1,\"a\":[1,]},\"v\":1}",
    };
    static const char *const why[] = {"invalid literal", "invalid number",
                                      "invalid escape in a string",
                                      "expected ':' after the key", "expected a value"};
    for (size_t i = 0; i < 5; i++) {
        n = strlen(bad[i]);
        buf = padded(bad[i], n, 0);
        assert_true(json_begin(r, buf, n));
        assert_int_equal(json_next(r, &t), JT_OBJECT_START);
        assert_int_equal(json_next(r, &t), JT_KEY);
        assert_false(json_skip(r, JT_KEY));
        assert_string_equal(json_error_message(r), why[i]);
        assert_int_equal(json_next(r, &t), JT_ERROR);
        free(buf);
    }
    json_reader_free(r);
}

/* The batch pattern: walk an array of objects, skipping each. */
static void test_skip_elements_of_an_array(void **state)
{
    (void)state;
    json_reader *r = json_reader_new(test_alloc(), 16);
    const char *doc = "[{\"id\":\"A\"}, {\"id\":[1,2]} ,{}]";
    size_t n = strlen(doc);
    char *buf = padded(doc, n, 0);
    json_text t;
    size_t starts[3], ends[3], k = 0;
    assert_true(json_begin(r, buf, n));
    assert_int_equal(json_next(r, &t), JT_ARRAY_START);
    json_token tok;
    while ((tok = json_next(r, &t)) == JT_OBJECT_START) {
        starts[k] = json_offset(r);
        assert_true(json_skip(r, tok));
        ends[k++] = json_offset(r);
    }
    assert_int_equal(tok, JT_ARRAY_END);
    assert_int_equal(json_next(r, &t), JT_END);
    assert_int_equal(k, 3);
    assert_int_equal(starts[0], 1);
    assert_int_equal(ends[0], 10);
    assert_int_equal(starts[1], 13);
    assert_int_equal(ends[1], 24);
    assert_int_equal(starts[2], 27);
    assert_int_equal(ends[2], 28);
    free(buf);
    json_reader_free(r);
}

/* ---------------------------------------------------------------- number */

static void test_number_grammar(void **state)
{
    (void)state;
    static const char *const good[] = {"0", "-0", "1", "-1", "10", "1.5", "0.0", "-0.25",
                                       "1e5", "1E5", "1e+5", "1e-5", "1.5e10", "-0e0",
                                       "123456789012345678901234567890"};
    static const char *const bad[] = {"", "-", "+1", "01", "-01", "00", "1.", ".5", "1e",
                                      "1e+", "1e-", "1.e5", "0x1", "1 ", " 1", "1,",
                                      "--1", "1.5.", "e5", "Infinity", "NaN", "1e5.5"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!json_number_valid(good[i], strlen(good[i])))
            fail_msg("rejected %s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (json_number_valid(bad[i], strlen(bad[i])))
            fail_msg("accepted \"%s\"", bad[i]);
    /* the length is respected: "12" of "123" */
    assert_true(json_number_valid("123", 2));
    assert_false(json_number_valid("1.5", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_sequences),
        cmocka_unit_test(test_scalar_documents),
        cmocka_unit_test(test_numbers_are_raw_text),
        cmocka_unit_test(test_strings_are_unescaped),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_end_and_error_repeat),
        cmocka_unit_test(test_reader_is_reusable),
        cmocka_unit_test(test_malformed_documents),
        cmocka_unit_test(test_garbage_padding_is_ignored),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_deep_nesting_never_crashes),
        cmocka_unit_test(test_skip),
        cmocka_unit_test(test_skip_elements_of_an_array),
        cmocka_unit_test(test_number_grammar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
