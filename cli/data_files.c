/* data_files.c — feeding partner data files to a batch (rubric_batch of
 * rubric.h), and printing the batch's diagnostics, for the commands that
 * evaluate partners. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static bool is_jsonl(const char *path)
{
    size_t n = strlen(path);
    return strcmp(path, "-") == 0 || (n > 6 && strcmp(path + n - 6, ".jsonl") == 0) ||
           (n > 7 && strcmp(path + n - 7, ".ndjson") == 0);
}

FILE *cli_open_data(const char *path, const char **name, bool *jsonl)
{
    bool from_stdin = strcmp(path, "-") == 0;
    *name = from_stdin ? "<stdin>" : path;
    *jsonl = is_jsonl(path);
    FILE *in = from_stdin ? stdin : fopen(path, "rb");
    if (!in) {
        cli_error("cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    /* fopen() opens a directory; reading it would only fail. */
    struct stat st;
    if (!from_stdin && fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode)) {
        cli_error("cannot read %s: %s", path, strerror(EISDIR));
        fclose(in);
        return NULL;
    }
    return in;
}

void cli_close_data(FILE *in)
{
    if (in != stdin)
        fclose(in);
}

bool cli_add_data_files(rubric_batch *b, char *const *files, size_t nfiles,
                        const cli_output *out)
{
    bool ok = true;
    for (size_t i = 0; i < nfiles; i++) {
        const char *name;
        bool jsonl;
        FILE *in = cli_open_data(files[i], &name, &jsonl);
        if (!in) {
            ok = false;
            continue;
        }
        rubric_status st = rubric_batch_add_file(b, name, in, jsonl ? RUBRIC_INPUT_JSONL
                                                                    : RUBRIC_INPUT_JSON);
        cli_close_data(in);
        if (st != RUBRIC_OK)
            ok = false;
        if (st == RUBRIC_ERR_NOMEM || st == RUBRIC_ERR_INTERRUPTED || cli_output_failed(out))
            return false;
    }
    return ok;
}

uint64_t cli_data_size(char *const *files, size_t nfiles)
{
    uint64_t total = 0;
    for (size_t i = 0; i < nfiles; i++) {
        struct stat st;
        if (strcmp(files[i], "-") == 0 || stat(files[i], &st) != 0 || !S_ISREG(st.st_mode))
            return 0;
        total += (uint64_t)st.st_size;
    }
    return total;
}

static bool to_stderr(void *user_data, const char *bytes, size_t length)
{
    (void)user_data;
    return fwrite(bytes, 1, length, stderr) == length;
}

/* s on stderr with its control and bidirectional characters escaped: a
 * diagnostic can quote the data (a duplicate id, an item error's message)
 * and must not drive the terminal or forge lines of a log. */
static void print_escaped(const char *s)
{
    /* Out of memory leaves it unsaid rather than unescaped. */
    if (rubric_escape_text(s, strlen(s), to_stderr, NULL) != RUBRIC_OK)
        return;
}

void cli_print_diag(const char *file, uint64_t line, uint64_t column, bool warning,
                    const char *message, bool color)
{
    const char *bold = color ? "\033[1m" : "";
    const char *reset = color ? "\033[0m" : "";
    const char *kind_color = color ? (warning ? "\033[1;35m" : "\033[1;31m") : "";
    fputs(bold, stderr);
    print_escaped(file);
    if (line)
        fprintf(stderr, ":%llu", (unsigned long long)line);
    if (line && column)
        fprintf(stderr, ":%llu", (unsigned long long)column);
    fprintf(stderr, ": %s%s:%s ", kind_color, warning ? "warning" : "error", reset);
    print_escaped(message);
    fputc('\n', stderr);
}
