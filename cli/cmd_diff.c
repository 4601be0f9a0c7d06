/* cmd_diff.c — `rubric diff --old RULES --new RULES DATA...`: which partners
 * a rules change moves.  Every partner is evaluated under both rule sets in
 * one rubric_batch (the old rules' modules first, then the new's) and the
 * library's rubric_diff compares the two sets of results and writes them. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: rubric diff --old RULES --new RULES [OPTIONS] DATA...\n"
        "\n"
        "The impact of a rules change: evaluate every partner under the old and the new\n"
        "rules; per program, count the partners from each eligible tier and renewal\n"
        "status to each (a matrix), and list the partners whose eligible tier, renewal\n"
        "status or any requirement (its status, actual or required value) changes, one\n"
        "line (or object) per partner and program.\n"
        "\n"
        "RULES is a .rubric source or .rbc bytecode file, or 'stdlib' for the standard\n"
        "programs built into rubric (compiled with the side's .rubric files); --old and\n"
        "--new are each repeatable; a program given again by a later RULES of a side\n"
        "(an .rbc file) overrides the earlier one.\n"
        "DATA is a partner file: .json (one partner, or an array of partners),\n"
        ".jsonl or .ndjson (one partner per line), or - for JSON Lines on standard input.\n"
        "\n"
        "Options:\n"
        "      --old RULES       the rules before the change (repeatable)\n"
        "      --new RULES       the rules after the change (repeatable)\n"
        "  -I, --include DIR     also look for imported modules in DIR (repeatable)\n"
        "  -p, --program ID      compare only this program (repeatable)\n"
        "      --map OLD=NEW     compare program OLD of the old rules with program NEW\n"
        "                        of the new (repeatable)\n"
        "      --as-of DATE      the evaluation date, YYYY-MM-DD, from " CLI_AS_OF_FIRST " to\n"
        "                        " CLI_AS_OF_LAST "; default: today (the local date)\n"
        "  -f, --format FORMAT   text, json, jsonl or csv; default: text on a terminal,\n"
        "                        jsonl otherwise\n"
        "  -n, --limit N         list at most N partners (0: all); default: 50 in text,\n"
        "                        all otherwise\n"
        "  -o, --output FILE     write there instead of standard output: a regular file\n"
        "                        is replaced atomically, keeping its mode; a device or\n"
        "                        FIFO is written as it is (docs/cli.md)\n"
        "      --fail-on-change  exit with status 3 when any partner changed\n"
        "  -h, --help            show this help\n"
        "\n"
        "Exit status: 0 done (whether or not anything changed); 1 errors in rules or\n"
        "data (the other partners are still compared); 2 usage error; 3 --fail-on-change\n"
        "and a partner changed.\n"
        "\n"
        "Examples:\n"
        "  rubric diff --old stdlib --new stdlib --new my-programs.rubric partners.jsonl\n"
        "  rubric diff --old v1.rbc --new v2.rbc -p apn-2019-consulting -f csv data/*.json\n"
        "  rubric diff --old stdlib --new v2.rbc --map apn-2019-consulting=consulting-2027 "
        "data.jsonl\n");
}

/* Exit status of --fail-on-change (the value of eval's --fail-below). */
enum { EXIT_CHANGED = EXIT_BELOW };

/* Partners listed in text unless --limit says otherwise. */
enum { TEXT_LIMIT = 50 };

typedef struct diff_args {
    const char **old_rules, **new_rules, **search, **programs;
    const char **map_old, **map_new;
    size_t nold, nnew, nsearch, nprograms, nmap;
    const char *as_of, *format, *output, *limit;
    bool fail_on_change;
} diff_args;

enum { OPT_OLD = 256, OPT_NEW, OPT_AS_OF, OPT_FAIL_ON_CHANGE, OPT_MAP };

/* --map OLD=NEW, split in place; a usage error when a side is empty. */
static int add_map(diff_args *a, char *pair)
{
    char *eq = strchr(pair, '=');
    if (!eq || eq == pair || !eq[1])
        return cli_usage_error("diff", "--map: '%s' is not OLD_ID=NEW_ID", pair);
    *eq = '\0';
    a->map_old[a->nmap] = pair;
    a->map_new[a->nmap++] = eq + 1;
    return -1;
}

/* Parse the options; returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, diff_args *a)
{
    static const struct option options[] = {
        {"old", required_argument, NULL, OPT_OLD},
        {"new", required_argument, NULL, OPT_NEW},
        {"include", required_argument, NULL, 'I'},
        {"program", required_argument, NULL, 'p'},
        {"map", required_argument, NULL, OPT_MAP},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"format", required_argument, NULL, 'f'},
        {"limit", required_argument, NULL, 'n'},
        {"output", required_argument, NULL, 'o'},
        {"fail-on-change", no_argument, NULL, OPT_FAIL_ON_CHANGE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, status = -1;
    optind = 1;
    opterr = 0;
    while (status < 0 && (c = getopt_long(argc, argv, ":I:p:f:n:o:h", options, NULL)) != -1) {
        switch (c) {
        case OPT_OLD:
            a->old_rules[a->nold++] = optarg;
            break;
        case OPT_NEW:
            a->new_rules[a->nnew++] = optarg;
            break;
        case 'I':
            a->search[a->nsearch++] = optarg;
            break;
        case 'p':
            a->programs[a->nprograms++] = optarg;
            break;
        case OPT_MAP:
            status = add_map(a, optarg);
            break;
        case OPT_AS_OF:
            a->as_of = optarg;
            break;
        case 'f':
            a->format = optarg;
            break;
        case 'n':
            a->limit = optarg;
            break;
        case 'o':
            a->output = optarg;
            break;
        case OPT_FAIL_ON_CHANGE:
            a->fail_on_change = true;
            break;
        case 'h':
            usage(stdout);
            return EXIT_DONE;
        default:
            return cli_option_error("diff", c, argv);
        }
    }
    if (status >= 0)
        return status;
    if (a->nold == 0 || a->nnew == 0)
        return cli_usage_error("diff", "both --old and --new rules are needed (a .rubric or "
                               ".rbc file, or stdlib)");
    if (optind == argc)
        return cli_usage_error("diff", "no partner data given (a .json or .jsonl file, or - "
                               "for standard input)");
    return -1;
}

static bool parse_format(const char *name, rubric_diff_format *out)
{
    static const struct {
        const char *name;
        rubric_diff_format format;
    } formats[] = {{"text", RUBRIC_DIFF_TEXT},
                   {"json", RUBRIC_DIFF_JSON},
                   {"jsonl", RUBRIC_DIFF_JSONL},
                   {"csv", RUBRIC_DIFF_CSV}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(formats[i].name, name) == 0) {
            *out = formats[i].format;
            return true;
        }
    }
    return false;
}

/* --limit: a count of partners, 0 for all. */
static int parse_limit(const char *text, uint64_t *limit)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(text, &end, 10);
    if (!text[0] || *end || text[0] == '-' || errno)
        return cli_usage_error("diff", "--limit: '%s' is not a number of partners", text);
    *limit = n;
    return -1;
}

/* ------------------------------------------------------------ rules */

static bool has_program(const cli_rules *rules, const char *id)
{
    for (size_t u = 0; u < rules->count; u++)
        for (size_t i = 0; i < rubric_module_program_count(rules->modules[u]); i++)
            if (strcmp(rubric_module_program_id(rules->modules[u], i), id) == 0)
                return true;
    return false;
}

/* Every -p must name a program of the old or the new rules; each side of a
 * --map, one of its own side. */
static int check_programs(const diff_args *a, const cli_rules *old_rules,
                          const cli_rules *new_rules)
{
    for (size_t k = 0; k < a->nprograms; k++)
        if (!has_program(old_rules, a->programs[k]) && !has_program(new_rules, a->programs[k]))
            return cli_usage_error("diff", "no program \"%s\" in the old or the new rules",
                                   a->programs[k]);
    for (size_t k = 0; k < a->nmap; k++) {
        if (!has_program(old_rules, a->map_old[k]))
            return cli_usage_error("diff", "--map: no program \"%s\" in the old rules",
                                   a->map_old[k]);
        if (!has_program(new_rules, a->map_new[k]))
            return cli_usage_error("diff", "--map: no program \"%s\" in the new rules",
                                   a->map_new[k]);
    }
    return -1;
}

/* The programs the batch evaluates: those of -p and the ids --map pairs
 * them with (NULL, 0: all).  Returns false when out of memory. */
static bool selection(const diff_args *a, const char ***ids, size_t *count)
{
    *ids = NULL;
    *count = 0;
    if (a->nprograms == 0)
        return true;
    const char **list = calloc(a->nprograms * (1 + a->nmap) + 1, sizeof *list);
    if (!list)
        return false;
    size_t n = 0;
    for (size_t p = 0; p < a->nprograms; p++) {
        list[n++] = a->programs[p];
        for (size_t k = 0; k < a->nmap; k++) {
            if (strcmp(a->map_old[k], a->programs[p]) == 0)
                list[n++] = a->map_new[k];
            else if (strcmp(a->map_new[k], a->programs[p]) == 0)
                list[n++] = a->map_old[k];
        }
    }
    *ids = list;
    *count = n;
    return true;
}

/* ------------------------------------------------------------ run */

typedef struct diff_state {
    cli_output *out;
    rubric_diff *diff;
    rubric_diff_format format;
    size_t nold;        /* reports [0, nold) are the old rules', the rest the new's */
    bool failed;        /* out of memory comparing, or the output failed */
    bool color;
} diff_state;

/* A partner's record, given in input order: what is due is written now. */
static bool write_record(void *user_data, const char *bytes, size_t len)
{
    diff_state *st = user_data;
    return rubric_diff_output(st->diff, bytes, len, cli_output_sink, st->out) == RUBRIC_OK;
}

static int on_diag(void *user_data, const rubric_batch_diag *d)
{
    diff_state *st = user_data;
    cli_print_diag(d->input, d->line, d->column, d->severity == RUBRIC_SEVERITY_WARNING,
                   d->message, st->color);
    return 0;
}

/* The results of reports [from, to) of a partner, appended to list. */
static bool add_results(const rubric_batch_partner *p, size_t from, size_t to,
                        const rubric_result **list, size_t *n)
{
    for (size_t r = from; r < to; r++) {
        const rubric_result *results;
        size_t count;
        if (rubric_report_results(p->reports[r], &results, &count) != RUBRIC_OK)
            return false;
        for (size_t i = 0; i < count; i++)
            list[(*n)++] = &results[i];
    }
    return true;
}

/* One partner's reports (one per module) as results of the two sides,
 * compared; non-zero stops the batch. */
static int on_partner(void *user_data, const rubric_batch_partner *p)
{
    diff_state *st = user_data;
    if (!p->reports)
        return 0;
    size_t total = 0;
    for (size_t r = 0; r < p->report_count; r++)
        total += rubric_report_result_count(p->reports[r]);
    const rubric_result **list = calloc(total + 1, sizeof *list);
    size_t nold = 0, n = 0;
    bool ok = list && add_results(p, 0, st->nold, list, &nold);
    n = nold;
    ok = ok && add_results(p, st->nold, p->report_count, list, &n);
    ok = ok && rubric_diff_partner(st->diff, list, nold, list + nold, n - nold, write_record,
                                   st) == RUBRIC_OK;
    free(list);
    if (!ok)
        st->failed = true;
    return ok ? 0 : 1;
}

/* After the batch: the matrices, the partners kept, the summary (text: in
 * the output; the others: on stderr). */
static bool finish_output(diff_state *st, uint64_t partners)
{
    if (rubric_diff_finish(st->diff, partners, cli_output_sink, st->out) != RUBRIC_OK)
        return false;
    if (st->format != RUBRIC_DIFF_TEXT) {
        char line[300];
        rubric_diff_summary(st->diff, partners, line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    return true;
}

static rubric_diff *new_diff(const diff_args *a, rubric_diff_format format, uint64_t limit)
{
    rubric_diff_options options = {0};
    options.format = format;
    options.limit = limit;
    options.map_old = a->map_old;
    options.map_new = a->map_new;
    options.map_count = a->nmap;
    return rubric_diff_new(NULL, &options);
}

static rubric_batch *new_batch(const cli_rules *sides[2], diff_state *st, int32_t as_of, const char *const *programs,
                               size_t nprograms, char as_of_text[11])
{
    size_t count = sides[0]->count + sides[1]->count;
    const rubric_module **modules = calloc(count + 1, sizeof *modules);
    if (!modules)
        return NULL;
    for (size_t u = 0; u < count; u++)
        modules[u] = u < sides[0]->count ? sides[0]->modules[u]
                                         : sides[1]->modules[u - sides[0]->count];
    rubric_date_format(as_of, as_of_text);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    rubric_batch_options options = {0};
    options.eval.as_of = as_of_text;
    options.eval.programs = programs;
    options.eval.program_count = nprograms;
    options.threads = cores > 0 ? (unsigned)cores : 1;
    options.output = RUBRIC_BATCH_NO_OUTPUT;
    options.on_partner = on_partner;
    options.on_diag = on_diag;
    options.user_data = st;
    rubric_batch *b = rubric_batch_new(modules, count, NULL, &options, NULL);
    free(modules);
    return b;
}

static int compare(const diff_args *a, const cli_rules *sides[2], rubric_diff_format format,
                   uint64_t limit, int32_t as_of, char **files, size_t nfiles)
{
    const char **programs;
    size_t nprograms;
    if (!selection(a, &programs, &nprograms)) {
        cli_error("out of memory");
        return EXIT_ERRORS;
    }
    diff_state st = {0};
    st.out = cli_output_open(a->output);
    if (!st.out) {
        free(programs);
        return EXIT_ERRORS;
    }
    st.format = format;
    st.nold = sides[0]->count;
    st.color = cli_stderr_color();
    st.diff = new_diff(a, format, limit);
    char as_of_text[11];
    rubric_batch *b =
        st.diff ? new_batch(sides, &st, as_of, programs, nprograms, as_of_text) : NULL;
    int status = EXIT_DONE;
    if (!b) {
        cli_error("out of memory");
        status = EXIT_ERRORS;
    } else {
        if (!cli_add_data_files(b, files, nfiles, st.out))
            status = EXIT_ERRORS;
        rubric_batch_stats stats = {0};
        if (rubric_batch_finish(b, &stats) != RUBRIC_OK || stats.errors)
            status = EXIT_ERRORS;
        if (st.failed || !finish_output(&st, stats.partners)) {
            /* The output reports its own errors; else the results did not
             * fit in memory. */
            if (!cli_output_failed(st.out))
                cli_error("out of memory");
            status = EXIT_ERRORS;
        }
        if (status == EXIT_DONE && a->fail_on_change && rubric_diff_changed(st.diff))
            status = EXIT_CHANGED;
        rubric_batch_free(b);
    }
    if (!cli_output_close(st.out, b != NULL))
        status = EXIT_ERRORS;
    rubric_diff_free(st.diff);
    free(programs);
    return status;
}

/* Load both sides and compare; returns an exit status. */
static int run(diff_args *a, rubric_diff_format format, uint64_t limit, int32_t as_of,
               char **files, size_t nfiles)
{
    cli_rules old_rules = {0}, new_rules = {0};
    int status = -1;
    /* Both sides are loaded so that every rules error is reported at once. */
    bool old_ok = cli_load_rules(a->old_rules, a->nold, a->search, a->nsearch, &old_rules);
    bool new_ok = cli_load_rules(a->new_rules, a->nnew, a->search, a->nsearch, &new_rules);
    if (!old_ok || !new_ok)
        status = EXIT_ERRORS;
    if (status < 0)
        status = check_programs(a, &old_rules, &new_rules);
    if (status < 0) {
        const cli_rules *sides[2] = {&old_rules, &new_rules};
        status = compare(a, sides, format, limit, as_of, files, nfiles);
    }
    cli_free_rules(&old_rules);
    cli_free_rules(&new_rules);
    return status;
}

/* The options' values after parsing: format, limit, date; -1 to go on. */
static int check_values(const diff_args *a, rubric_diff_format *format, uint64_t *limit,
                        int32_t *as_of)
{
    *format = isatty(STDOUT_FILENO) && !a->output ? RUBRIC_DIFF_TEXT : RUBRIC_DIFF_JSONL;
    if (a->format && !parse_format(a->format, format))
        return cli_usage_error("diff", "unknown format '%s' (text, json, jsonl or csv)",
                               a->format);
    *limit = *format == RUBRIC_DIFF_TEXT ? TEXT_LIMIT : 0;
    if (a->limit && parse_limit(a->limit, limit) >= 0)
        return EXIT_USAGE;
    return cli_parse_as_of("diff", a->as_of, as_of);
}

int cmd_diff(int argc, char **argv)
{
    diff_args a = {0};
    size_t n = (size_t)argc + 1;
    a.old_rules = calloc(n, sizeof *a.old_rules);
    a.new_rules = calloc(n, sizeof *a.new_rules);
    a.search = calloc(n, sizeof *a.search);
    a.programs = calloc(n, sizeof *a.programs);
    a.map_old = calloc(n, sizeof *a.map_old);
    a.map_new = calloc(n, sizeof *a.map_new);
    int status = -1;
    if (!a.old_rules || !a.new_rules || !a.search || !a.programs || !a.map_old || !a.map_new) {
        cli_error("out of memory");
        status = EXIT_ERRORS;
    }
    if (status < 0)
        status = parse_args(argc, argv, &a);
    rubric_diff_format format = RUBRIC_DIFF_TEXT;
    uint64_t limit = 0;
    int32_t as_of = 0;
    if (status < 0)
        status = check_values(&a, &format, &limit, &as_of);
    /* Before anything is read: -o must not destroy an input. */
    if (status < 0)
        status = cli_refuse_output_inputs(a.output, "rules", a.old_rules, a.nold);
    if (status < 0)
        status = cli_refuse_output_inputs(a.output, "rules", a.new_rules, a.nnew);
    if (status < 0)
        status = cli_refuse_output_inputs(a.output, "data", (const char *const *)argv + optind,
                                          (size_t)(argc - optind));
    if (status < 0)
        status = run(&a, format, limit, as_of, argv + optind, (size_t)(argc - optind));
    free(a.old_rules);
    free(a.new_rules);
    free(a.search);
    free(a.programs);
    free(a.map_old);
    free(a.map_new);
    return status;
}
