/*
 * write_escape.c — strings from the data made safe to show on a terminal or
 * in a log: every character that could move the cursor, end a line, start
 * an escape sequence or reorder the text around it is written as a visible
 * escape instead (docs/output.md, "Strings from the data").
 *
 *   C0 controls and DEL                      \x00 .. \x1f, \x7f
 *   C1 controls U+0080..U+009F               \u0080 .. \u009f
 *   line and paragraph separators            \u2028 \u2029
 *   bidirectional controls                   \u061c \u200e \u200f
 *                                            \u202a .. \u202e \u2066 .. \u2069
 *   a byte that is not valid UTF-8           \xHH (only a bug gets here:
 *                                            data is validated when read)
 *
 * A backslash is doubled only where it would otherwise read as the start
 * of an escape: before another backslash, an `x`, a `u` or a character
 * that is escaped.  Every other string (paths like C:\data included) is
 * written byte for byte as it is.
 */
#include "write.h"

#include <stdint.h>

/* The code point of the valid UTF-8 sequence at s[0..n) and its length in
 * *len, or *len 0 when it is not one (overlong forms, surrogates and code
 * points past U+10FFFF included). */
static uint32_t utf8_decode(const unsigned char *s, size_t n, size_t *len)
{
    unsigned c = s[0];
    uint32_t cp, min;
    *len = 0;
    if (c < 0x80) {
        *len = 1;
        return c;
    }
    size_t need;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        need = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 4, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    if (n < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    *len = need;
    return cp;
}

/* Controls, line breaks of Unicode, and the characters that reorder text
 * (the "Trojan Source" set); written as \x.. or \u..... */
static bool escaped_code_point(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
           cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Whether what starts at s[0..n) would be read as an escape when it
 * follows a backslash: so that backslash must be doubled. */
static bool reads_as_escape(const unsigned char *s, size_t n)
{
    if (n == 0)
        return false;
    if (s[0] == '\\' || s[0] == 'x' || s[0] == 'u')
        return true;
    size_t len;
    uint32_t cp = utf8_decode(s, n, &len);
    return len == 0 || escaped_code_point(cp);
}

static void put_escape(strbuf *out, const char *prefix, uint32_t value, int digits)
{
    static const char hex[] = "0123456789abcdef";
    sb_puts(out, prefix);
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4)
        sb_putc(out, hex[(value >> shift) & 15]);
}

void write_escaped_text(strbuf *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t run = 0; /* start of the bytes not yet appended */
    for (size_t i = 0; i < len;) {
        size_t seq;
        uint32_t cp = utf8_decode(u + i, len - i, &seq);
        bool doubled = cp == '\\' && reads_as_escape(u + i + 1, len - i - 1);
        if (seq > 0 && !doubled && !escaped_code_point(cp)) {
            i += seq;
            continue;
        }
        if (i > run)
            sb_append(out, s + run, i - run);
        if (seq == 0)
            put_escape(out, "\\x", u[i], 2);
        else if (doubled)
            sb_puts(out, "\\\\");
        else if (cp < 0x80)
            put_escape(out, "\\x", cp, 2);
        else
            put_escape(out, "\\u", cp, 4);
        i += seq > 0 ? seq : 1;
        run = i;
    }
    if (len > run)
        sb_append(out, s + run, len - run);
}
