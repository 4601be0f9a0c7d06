/* data_files.c — feeding partner data files to a batch, and printing the
 * batch's diagnostics, for the commands that evaluate partners. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "batch.h"
#include "cli.h"
#include "write.h"

static bool is_jsonl(const char *path)
{
    size_t n = strlen(path);
    return strcmp(path, "-") == 0 || (n > 6 && strcmp(path + n - 6, ".jsonl") == 0) ||
           (n > 7 && strcmp(path + n - 7, ".ndjson") == 0);
}

bool cli_run_data_files(struct batch *b, char *const *files, size_t nfiles)
{
    bool ok = true;
    for (size_t i = 0; i < nfiles; i++) {
        bool from_stdin = strcmp(files[i], "-") == 0;
        FILE *in = from_stdin ? stdin : fopen(files[i], "rb");
        if (!in) {
            cli_error("cannot read %s: %s", files[i], strerror(errno));
            ok = false;
            continue;
        }
        /* fopen() opens a directory; reading it would only fail. */
        struct stat st;
        if (!from_stdin && fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode)) {
            cli_error("cannot read %s: %s", files[i], strerror(EISDIR));
            fclose(in);
            ok = false;
            continue;
        }
        if (!batch_run(b, in, from_stdin ? "<stdin>" : files[i], is_jsonl(files[i])))
            ok = false;
        if (!from_stdin)
            fclose(in);
        if (batch_get_stats(b)->write_failed)
            return false;
    }
    return ok;
}

/* s on stderr with its control and bidirectional characters escaped: a
 * diagnostic can quote the data (a duplicate id, an item error's message)
 * and must not drive the terminal or forge lines of a log. */
static void print_escaped(const char *s)
{
    rubric_allocator alloc = mem_default_allocator();
    strbuf sb;
    sb_init(&sb, &alloc);
    write_escaped_text(&sb, s, strlen(s));
    if (sb.len)  /* out of memory leaves less, but still escaped */
        fwrite(sb.data, 1, sb.len, stderr);
    sb_free(&sb);
}

void cli_print_batch_diag(const struct batch_diag *d, bool color)
{
    const char *bold = color ? "\033[1m" : "";
    const char *reset = color ? "\033[0m" : "";
    const char *kind_color = color ? (d->warning ? "\033[1;35m" : "\033[1;31m") : "";
    fputs(bold, stderr);
    print_escaped(d->file);
    if (d->line)
        fprintf(stderr, ":%llu", (unsigned long long)d->line);
    if (d->line && d->column)
        fprintf(stderr, ":%llu", (unsigned long long)d->column);
    fprintf(stderr, ": %s%s:%s ", kind_color, d->warning ? "warning" : "error", reset);
    print_escaped(d->message);
    fputc('\n', stderr);
}
