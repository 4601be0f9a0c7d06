/*
 * text_diff.c — a unified diff of two texts (`rubric fmt --check`), in the
 * form of `diff -u`: three lines of context, `@@ -l,n +l,n @@` hunks, and
 * "\ No newline at end of file" where a text does not end with one.
 *
 * The lines the texts share at their start and end are set aside first;
 * the rest is compared with Myers' algorithm, whose memory grows with the
 * square of the number of differing lines: past DIFF_MAX_EDITS of them the
 * rest is shown as removed and added whole, which is still a correct diff.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { DIFF_CONTEXT = 3, DIFF_MAX_EDITS = 1000 };

typedef struct text_line {
    const char *s;
    size_t len;     /* without its newline */
    bool newline;   /* ends with one */
} text_line;

typedef enum edit { KEEP, DEL, INS } edit;

static text_line *split_lines(const char *text, size_t len, size_t *count)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    if (len && text[len - 1] != '\n')
        n++;
    text_line *lines = calloc(n ? n : 1, sizeof *lines);
    if (!lines)
        return NULL;
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        if (i == len && start == len)
            break;
        lines[k++] = (text_line){text + start, i - start, i < len};
        start = i + 1;
    }
    *count = n;
    return lines;
}

static bool same_line(const text_line *a, const text_line *b)
{
    return a->len == b->len && a->newline == b->newline && memcmp(a->s, b->s, a->len) == 0;
}

/* The shortest edit script from a[0..n) to b[0..m), appended to ops in
 * order; false when it needs more than DIFF_MAX_EDITS edits or memory. */
static bool myers(const text_line *a, int n, const text_line *b, int m, edit *ops,
                  size_t *nops)
{
    int max = n + m, dmax = max < DIFF_MAX_EDITS ? max : DIFF_MAX_EDITS;
    int *v = calloc((size_t)(2 * max + 3), sizeof *v);
    /* trace[d * d + d + k]: v[k] after step d, for k in [-d, d]. */
    int *trace = calloc((size_t)(dmax + 1) * (size_t)(dmax + 1), sizeof *trace);
    int found = -1;
    for (int d = 0; v && trace && d <= dmax && found < 0; d++) {
        for (int k = -d; k <= d; k += 2) {
            int *vk = v + max + 1 + k;
            int x = (k == -d || (k != d && vk[-1] < vk[1])) ? vk[1] : vk[-1] + 1;
            int y = x - k;
            while (x < n && y < m && same_line(&a[x], &b[y]))
                x++, y++;
            *vk = x;
            trace[d * d + d + k] = x;
            if (x >= n && y >= m)
                found = d;
        }
    }
    if (found >= 0) {
        /* Back from (n, m): the edits come out last first. */
        edit *rev = ops + *nops;
        size_t r = 0;
        int x = n, y = m;
        for (int d = found; d > 0; d--) {
            const int *prev = trace + (d - 1) * (d - 1) + (d - 1);
            int k = x - y;
            bool down = k == -d || (k != d && prev[k - 1] < prev[k + 1]);
            int pk = down ? k + 1 : k - 1, px = prev[pk], py = px - pk;
            while (x > px && y > py)
                rev[r++] = KEEP, x--, y--;
            rev[r++] = down ? INS : DEL;
            x = px, y = py;
        }
        while (x > 0 && y > 0)
            rev[r++] = KEEP, x--, y--;
        for (size_t i = 0; i < r / 2; i++) {
            edit t = rev[i];
            rev[i] = rev[r - 1 - i];
            rev[r - 1 - i] = t;
        }
        *nops += r;
    }
    free(v);
    free(trace);
    return found >= 0;
}

static void print_line(char mark, const text_line *l)
{
    putchar(mark);
    fwrite(l->s, 1, l->len, stdout);
    fputs(l->newline ? "\n" : "\n\\ No newline at end of file\n", stdout);
}

static void print_range(char side, size_t start, size_t count)
{
    /* An empty range names the line before it. */
    printf("%c%zu", side, count ? start + 1 : start);
    if (count != 1)
        printf(",%zu", count);
}

/* One hunk: ops[from..to), which start at line apos of a and bpos of b. */
static void print_hunk(const edit *ops, size_t from, size_t to, const text_line *a, size_t apos,
                       const text_line *b, size_t bpos)
{
    size_t acount = 0, bcount = 0;
    for (size_t i = from; i < to; i++) {
        acount += ops[i] != INS;
        bcount += ops[i] != DEL;
    }
    fputs("@@ ", stdout);
    print_range('-', apos, acount);
    putchar(' ');
    print_range('+', bpos, bcount);
    fputs(" @@\n", stdout);
    for (size_t i = from; i < to; i++) {
        if (ops[i] == KEEP)
            print_line(' ', &a[apos]), apos++, bpos++;
        else if (ops[i] == DEL)
            print_line('-', &a[apos++]);
        else
            print_line('+', &b[bpos++]);
    }
}

static void print_hunks(const edit *ops, size_t nops, const text_line *a, const text_line *b)
{
    size_t i = 0, apos = 0, bpos = 0;
    while (i < nops) {
        if (ops[i] == KEEP) {
            i++, apos++, bpos++;
            continue;
        }
        size_t before = i >= DIFF_CONTEXT ? DIFF_CONTEXT : i;
        size_t start = i - before, last = i, j = i;
        for (; j < nops; j++) {
            if (ops[j] != KEEP)
                last = j;
            else if (j - last > 2 * DIFF_CONTEXT)
                break;
        }
        size_t end = last + 1 + DIFF_CONTEXT < nops ? last + 1 + DIFF_CONTEXT : nops;
        print_hunk(ops, start, end, a, apos - before, b, bpos - before);
        for (size_t k = i; k < end; k++)
            apos += ops[k] != INS, bpos += ops[k] != DEL;
        i = end;
    }
}

bool cli_print_unified_diff(const char *old_name, const char *new_name, const char *old_text,
                            size_t old_len, const char *new_text, size_t new_len)
{
    size_t n = 0, m = 0;
    text_line *a = split_lines(old_text, old_len, &n);
    text_line *b = split_lines(new_text, new_len, &m);
    edit *ops = calloc(n + m + 1, sizeof *ops);
    bool ok = a && b && ops && n <= INT32_MAX / 4 && m <= INT32_MAX / 4;
    if (ok) {
        size_t head = 0, tail = 0, nops = 0;
        while (head < n && head < m && same_line(&a[head], &b[head]))
            ops[nops++] = KEEP, head++;
        while (tail < n - head && tail < m - head &&
               same_line(&a[n - 1 - tail], &b[m - 1 - tail]))
            tail++;
        int mid_a = (int)(n - head - tail), mid_b = (int)(m - head - tail);
        if (!myers(a + head, mid_a, b + head, mid_b, ops, &nops)) {
            for (int i = 0; i < mid_a; i++)
                ops[nops++] = DEL;
            for (int i = 0; i < mid_b; i++)
                ops[nops++] = INS;
        }
        for (size_t i = 0; i < tail; i++)
            ops[nops++] = KEEP;
        printf("--- %s\n+++ %s\n", old_name, new_name);
        print_hunks(ops, nops, a, b);
    }
    free(a);
    free(b);
    free(ops);
    return ok;
}
