/* errors.c — filling the one error record (errors.h). */
#include "errors.h"

#include <stdio.h>
#include <string.h>

void error_clear(rubric_error *err)
{
    memset(err, 0, sizeof *err);
}

rubric_status error_set(rubric_error *err, rubric_status status, const char *fmt, ...)
{
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

void error_prefix(rubric_error *err, const char *fmt, ...)
{
    char prefix[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    size_t plen = (size_t)n < sizeof prefix ? (size_t)n : sizeof prefix - 1;
    size_t mlen = strlen(err->message);
    /* What still fits of the message moves up behind the prefix. */
    size_t keep = plen + mlen < sizeof err->message ? mlen : sizeof err->message - 1 - plen;
    memmove(err->message + plen, err->message, keep);
    memcpy(err->message, prefix, plen);
    err->message[plen + keep] = '\0';
}

void error_field(char *field, size_t size, const char *s, size_t len)
{
    if (!size)
        return;
    size_t n = len < size - 1 ? len : size - 1;
    memcpy(field, s, n);
    field[n] = '\0';
}
