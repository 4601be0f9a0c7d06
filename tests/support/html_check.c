/*
 * html_check.c — see html_check.h.
 */
#include "html_check.h"

#include "test_support.h"

#include <stdbool.h>
#include <string.h>

static const char *const VOID_ELEMENTS[] = {"meta", "br", "hr", "img", "input", "link", "wbr"};

static bool is_void(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof VOID_ELEMENTS / sizeof VOID_ELEMENTS[0]; i++)
        if (strlen(VOID_ELEMENTS[i]) == len && memcmp(VOID_ELEMENTS[i], name, len) == 0)
            return true;
    return false;
}

/* Every element closed in order (the writer quotes attributes and escapes
 * '<' and '>' in text, so a tag ends at the first '>'); the doctype and
 * void elements have no end tag. */
void assert_tags_balance(const char *html)
{
    enum { DEPTH = 64 };
    const char *open[DEPTH];
    size_t open_len[DEPTH];
    int depth = 0;
    for (const char *s = strchr(html, '<'); s; s = strchr(s + 1, '<')) {
        if (s[1] == '!')
            continue;
        bool closing = s[1] == '/';
        const char *name = s + 1 + closing;
        size_t len = strcspn(name, " >");
        assert_non_null(strchr(name, '>'));
        if (closing) {
            if (depth == 0 || open_len[depth - 1] != len ||
                memcmp(open[depth - 1], name, len) != 0)
                fail_msg("unbalanced </%.*s> at byte %td", (int)len, name, s - html);
            depth--;
        } else if (!is_void(name, len)) {
            assert_true(depth < DEPTH);
            open[depth] = name;
            open_len[depth++] = len;
        }
    }
    if (depth)
        fail_msg("<%.*s> not closed", (int)open_len[depth - 1], open[depth - 1]);
}

static bool has_in(const char *start, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(start + i, needle, n) == 0)
            return true;
    return false;
}

void assert_self_contained(const char *html)
{
    static const char *const fetching[] = {"http:", "https:", "//", "src=", "srcset="};
    for (const char *s = strchr(html, '<'); s; s = strchr(s + 1, '<')) {
        const char *end = strchr(s, '>');
        assert_non_null(end);
        for (size_t i = 0; i < sizeof fetching / sizeof fetching[0]; i++)
            if (has_in(s, (size_t)(end - s), fetching[i]))
                fail_msg("a tag refers outside the page: %.*s", (int)(end - s + 1), s);
    }
    static const char *const elements[] = {"<script", "<link", "<img", "<iframe", "<object"};
    for (size_t i = 0; i < sizeof elements / sizeof elements[0]; i++)
        if (strstr(html, elements[i]))
            fail_msg("unexpected element %s", elements[i]);
    const char *style = strstr(html, "<style>");
    const char *style_end = style ? strstr(style, "</style>") : NULL;
    if (style && style_end) {
        size_t len = (size_t)(style_end - style);
        if (has_in(style, len, "url(") || has_in(style, len, "@import"))
            fail_msg("the style sheet fetches something");
    }
}
