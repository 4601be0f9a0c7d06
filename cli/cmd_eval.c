/* cmd_eval.c — `rubric eval [OPTIONS] DATA...`: scorecards for partners. */
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
        "Usage: rubric eval [OPTIONS] DATA...\n"
        "\n"
        "Evaluate partners against programs and print scorecards: for each partner and\n"
        "each program that applies to it, the tier it qualifies for, what it must do to\n"
        "keep its tier at renewal, and the gaps to the next tier.\n"
        "\n"
        "DATA is a partner file: .json (one partner, or an array of partners),\n"
        ".jsonl or .ndjson (one partner per line), or - for JSON Lines on standard input.\n"
        "\n"
        "Options:\n"
        "  -r, --rules FILE      rules: a .rubric source or .rbc bytecode file (repeatable),\n"
        "                        or stdlib: the standard programs built into rubric,\n"
        "                        compiled with the .rubric files; default: stdlib\n"
        "  -I, --include DIR     also look for imported modules in DIR (repeatable)\n"
        "  -p, --program ID      evaluate only this program (repeatable); default: every\n"
        "                        program that applies to the partner\n"
        "      --as-of DATE      the evaluation date, YYYY-MM-DD, from " CLI_AS_OF_FIRST " to\n"
        "                        " CLI_AS_OF_LAST "; default: today (the local date)\n"
        "  -f, --format FORMAT   text, json, jsonl, csv, csv-requirements, html, summary\n"
        "                        or summary-json; default: text on a terminal, jsonl\n"
        "                        otherwise.  csv: a row per partner and program;\n"
        "                        csv-requirements: a row per requirement; html: one\n"
        "                        self-contained page; summary: counts per program\n"
        "      --excel           csv: start with a UTF-8 byte order mark, so that\n"
        "                        spreadsheets read the names right\n"
        "  -o, --output FILE     write there instead of standard output: a regular file\n"
        "                        is replaced atomically, keeping its mode; a device or\n"
        "                        FIFO is written as it is (docs/cli.md)\n"
        "  -j, --jobs N          worker threads; default: the number of cores\n"
        "      --fail-below TIER exit with status 3 when a partner's eligible tier is\n"
        "                        below TIER in a program that has it\n"
        "      --strict          report unknown fields in the data as warnings\n"
        "  -q, --quiet           no progress bar and no end-of-run line on a terminal\n"
        "      --stats           print the end-of-run line (partners, results, errors,\n"
        "                        time) even when standard error is not a terminal\n"
        "      --max-instructions N  limit per partner (default 10000000000)\n"
        "      --max-memory BYTES    limit per partner (default 4294967296)\n"
        "      --max-input BYTES     largest partner record (default 1073741824)\n"
        "      --max-depth N         deepest JSON nesting (default 256)\n"
        "  -h, --help            show this help\n"
        "\n"
        "Exit status: 0 done; 1 errors in rules or data (the other partners are still\n"
        "evaluated); 2 usage error; 3 --fail-below not reached.\n"
        "\n"
        "Examples:\n"
        "  rubric eval --as-of 2026-11-22 examples/partners/advanced.json\n"
        "  rubric eval -f jsonl -j 8 -o results.jsonl partners.jsonl\n"
        "  rubric eval -r my-program.rubric -p my-program partners.jsonl\n"
        "  rubric eval -r stdlib -r my-program.rubric partners.jsonl\n");
}

typedef struct eval_args {
    const char **rules;
    size_t nrules;
    const char **search;
    size_t nsearch;
    const char **programs;
    size_t nprograms;
    const char *as_of;
    const char *format;
    const char *output;
    const char *fail_below;
    long jobs;
    bool strict;
    bool quiet;
    bool stats;
    bool excel;
    int summary;              /* CLI_SUMMARY_* */
    rubric_limits limits;
} eval_args;

enum {
    OPT_AS_OF = 256,
    OPT_FAIL_BELOW,
    OPT_STRICT,
    OPT_STATS,
    OPT_EXCEL,
    OPT_MAX_INSTRUCTIONS,
    OPT_MAX_MEMORY,
    OPT_MAX_INPUT,
    OPT_MAX_DEPTH
};

static bool parse_count(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!s[0] || s[0] == '-')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* Parse the options; returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, eval_args *a)
{
    static const struct option options[] = {
        {"rules", required_argument, NULL, 'r'},
        {"include", required_argument, NULL, 'I'},
        {"program", required_argument, NULL, 'p'},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"fail-below", required_argument, NULL, OPT_FAIL_BELOW},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"quiet", no_argument, NULL, 'q'},
        {"stats", no_argument, NULL, OPT_STATS},
        {"excel", no_argument, NULL, OPT_EXCEL},
        {"max-instructions", required_argument, NULL, OPT_MAX_INSTRUCTIONS},
        {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
        {"max-input", required_argument, NULL, OPT_MAX_INPUT},
        {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    unsigned long long n;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:I:p:f:o:j:qh", options, NULL)) != -1) {
        switch (c) {
        case 'r':
            a->rules[a->nrules++] = optarg;
            break;
        case 'I':
            a->search[a->nsearch++] = optarg;
            break;
        case 'p':
            a->programs[a->nprograms++] = optarg;
            break;
        case OPT_AS_OF:
            a->as_of = optarg;
            break;
        case 'f':
            a->format = optarg;
            break;
        case 'o':
            a->output = optarg;
            break;
        case 'j':
            if (!parse_count(optarg, 1024, &n) || n == 0)
                return cli_usage_error("eval", "--jobs takes a number from 1 to 1024, found "
                                       "'%s'", optarg);
            a->jobs = (long)n;
            break;
        case OPT_FAIL_BELOW:
            a->fail_below = optarg;
            break;
        case OPT_STRICT:
            a->strict = true;
            break;
        case 'q':
            a->quiet = true;
            break;
        case OPT_STATS:
            a->stats = true;
            break;
        case OPT_EXCEL:
            a->excel = true;
            break;
        case OPT_MAX_INSTRUCTIONS:
        case OPT_MAX_MEMORY:
        case OPT_MAX_INPUT:
        case OPT_MAX_DEPTH:
            if (!parse_count(optarg, c == OPT_MAX_DEPTH ? 100000 : (1ull << 62), &n) || n == 0)
                return cli_usage_error("eval", "%s takes a positive number, found '%s'",
                                       argv[optind - 1], optarg);
            if (c == OPT_MAX_INSTRUCTIONS)
                a->limits.max_instructions = n;
            else if (c == OPT_MAX_MEMORY)
                a->limits.max_memory = (size_t)n;
            else if (c == OPT_MAX_INPUT)
                a->limits.max_input_bytes = (size_t)n;
            else
                a->limits.max_depth = (uint32_t)n;
            break;
        case 'h':
            usage(stdout);
            return EXIT_DONE;
        default:
            return cli_option_error("eval", c, argv);
        }
    }
    if (optind == argc)
        return cli_usage_error("eval", "no partner data given (a .json or .jsonl file, or - "
                               "for standard input)");
    return -1;
}

static bool parse_format(const char *name, rubric_batch_output *out)
{
    static const struct {
        const char *name;
        rubric_batch_output format;
    } formats[] = {
        {"text", RUBRIC_BATCH_TEXT}, {"json", RUBRIC_BATCH_JSON}, {"jsonl", RUBRIC_BATCH_JSONL},
        {"csv", RUBRIC_BATCH_CSV},   {"html", RUBRIC_BATCH_HTML},
        {"csv-requirements", RUBRIC_BATCH_CSV_REQUIREMENTS},
    };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(formats[i].name, name) == 0) {
            *out = formats[i].format;
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------ callbacks */

typedef struct eval_state {
    cli_output *out;
    cli_feedback feedback;
    rubric_summary *summary;  /* -f summary: the counts */
} eval_state;

static int on_partner(void *user_data, const rubric_batch_partner *partner)
{
    eval_state *st = user_data;
    return cli_summary_add_partner(st->summary, partner);
}

static bool write_out(void *user_data, const char *bytes, size_t len)
{
    eval_state *st = user_data;
    return cli_output_write(st->out, bytes, len);
}

static int on_diag(void *user_data, const rubric_batch_diag *d)
{
    eval_state *st = user_data;
    cli_feedback_diag(&st->feedback, d);
    return 0;
}

static int on_progress(void *user_data, const rubric_batch_progress *p)
{
    eval_state *st = user_data;
    cli_feedback_progress(&st->feedback, p);
    return 0;
}

/* ------------------------------------------------------------ programs */

static bool rules_have_program(const cli_rules *rules, const char *id)
{
    for (size_t u = 0; u < rules->count; u++) {
        size_t n = rubric_module_program_count(rules->modules[u]);
        for (size_t i = 0; i < n; i++)
            if (strcmp(rubric_module_program_id(rules->modules[u], i), id) == 0)
                return true;
    }
    return false;
}

/* Every -p ID must name a program of the rules. */
static int check_programs(const eval_args *a, const cli_rules *rules)
{
    int status = -1;
    for (size_t k = 0; k < a->nprograms; k++) {
        if (rules_have_program(rules, a->programs[k]))
            continue;
        fprintf(stderr, "rubric: no program \"%s\" in the rules; they have:", a->programs[k]);
        for (size_t u = 0; u < rules->count; u++) {
            size_t n = rubric_module_program_count(rules->modules[u]);
            for (size_t i = 0; i < n; i++)
                fprintf(stderr, " %s", rubric_module_program_id(rules->modules[u], i));
        }
        fputc('\n', stderr);
        status = EXIT_USAGE;
    }
    return status;
}

/* ------------------------------------------------------------ run */

/* A batch for the arguments; NULL with *status set when it cannot be. */
static rubric_batch *new_batch(const eval_args *a, const cli_rules *rules,
                               rubric_batch_output format, const char *as_of,
                               uint64_t total_bytes, eval_state *st, int *status)
{
    rubric_config config;
    rubric_config_init(&config);
    config.limits = a->limits;
    rubric_batch_options o = {0};
    o.eval.as_of = as_of;
    o.eval.programs = a->programs;
    o.eval.program_count = a->nprograms;
    o.eval.strict = a->strict;
    o.threads = (unsigned)a->jobs;
    o.output = format;
    o.color = !a->output && cli_color(STDOUT_FILENO);
    o.fail_below = a->fail_below;
    o.total_bytes = total_bytes;
    o.write = write_out;
    o.on_diag = on_diag;
    o.on_progress = on_progress;
    if (st->summary)
        o.on_partner = on_partner;
    o.user_data = st;
    rubric_error err;
    rubric_batch *b = rubric_batch_new((const rubric_module *const *)rules->modules,
                                       rules->count, &config, &o, &err);
    if (b)
        return b;
    if (err.status == RUBRIC_ERR_USAGE && a->fail_below) {
        *status = cli_usage_error("eval", "--fail-below: %s", err.message);
    } else {
        cli_error("%s", err.message);
        *status = err.status == RUBRIC_ERR_USAGE ? EXIT_USAGE : EXIT_ERRORS;
    }
    return NULL;
}

/* The exit status of a batch that ran to its end. */
static int batch_status(rubric_status finished, const rubric_batch_stats *stats,
                        const cli_output *out, int status)
{
    if (finished != RUBRIC_OK) {
        /* The output reports its own errors; else the results did not
         * fit in memory. */
        if (!cli_output_failed(out))
            cli_error("out of memory");
        return EXIT_ERRORS;
    }
    if (stats->errors)
        return EXIT_ERRORS;
    if (stats->below && status == EXIT_DONE)
        return EXIT_BELOW;
    return status;
}

static int evaluate(const eval_args *a, const cli_rules *rules, rubric_batch_output format,
                    const char *as_of, char **files, size_t nfiles)
{
    eval_state st = {0};
    bool terminal = isatty(STDERR_FILENO);
    /* The bar redraws its line with escape sequences a dumb terminal lacks. */
    const char *term = getenv("TERM");
    bool capable = term && term[0] && strcmp(term, "dumb") != 0;
    cli_feedback_init(&st.feedback, terminal && capable && !a->quiet,
                      a->stats || (terminal && !a->quiet), terminal, cli_stderr_color());
    int status = EXIT_DONE;
    if (a->summary && !(st.summary = rubric_summary_new(NULL))) {
        cli_error("out of memory");
        return EXIT_ERRORS;
    }
    rubric_batch *b = new_batch(a, rules, format, as_of, cli_data_size(files, nfiles), &st,
                                &status);
    if (!b) {
        rubric_summary_free(st.summary);
        return status;
    }
    st.out = cli_output_open(a->output);
    if (!st.out) {
        rubric_batch_free(b);
        rubric_summary_free(st.summary);
        return EXIT_ERRORS;
    }
    /* A byte order mark tells spreadsheets the csv is UTF-8. */
    if (a->excel)
        cli_output_write(st.out, "\xEF\xBB\xBF", 3);
    if (!cli_add_data_files(b, files, nfiles, st.out))
        status = EXIT_ERRORS;
    rubric_batch_stats stats;
    rubric_status finished = rubric_batch_finish(b, &stats);
    cli_feedback_finish(&st.feedback, &stats);
    status = batch_status(finished, &stats, st.out, status);
    rubric_batch_free(b);
    if (st.summary && finished == RUBRIC_OK && !cli_summary_write(st.summary, a->summary, st.out))
        status = EXIT_ERRORS;
    rubric_summary_free(st.summary);
    /* The good partners of a batch with bad ones are still written. */
    if (!cli_output_close(st.out, true))
        status = EXIT_ERRORS;
    return status;
}

int cmd_eval(int argc, char **argv)
{
    eval_args a = {0};
    rubric_config defaults;
    rubric_config_init(&defaults);
    a.limits = defaults.limits;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    a.jobs = cores > 0 ? cores : 1;
    a.rules = calloc((size_t)argc + 1, sizeof *a.rules);
    a.search = calloc((size_t)argc + 1, sizeof *a.search);
    a.programs = calloc((size_t)argc + 1, sizeof *a.programs);
    if (!a.rules || !a.search || !a.programs) {
        cli_error("out of memory");
        return EXIT_ERRORS;
    }
    int status = parse_args(argc, argv, &a);
    rubric_batch_output format =
        isatty(STDOUT_FILENO) && !a.output ? RUBRIC_BATCH_TEXT : RUBRIC_BATCH_JSONL;
    int32_t as_of = 0;
    if (status < 0 && a.format && cli_summary_format(a.format, &a.summary))
        format = RUBRIC_BATCH_NO_OUTPUT;
    else if (status < 0 && a.format && !parse_format(a.format, &format))
        status = cli_usage_error("eval",
                                 "unknown format '%s' (text, json, jsonl, csv, "
                                 "csv-requirements, html, summary or summary-json)", a.format);
    if (status < 0 && a.excel && format != RUBRIC_BATCH_CSV &&
        format != RUBRIC_BATCH_CSV_REQUIREMENTS)
        status = cli_usage_error("eval", "--excel applies only to -f csv and -f "
                                 "csv-requirements");
    if (status < 0)
        status = cli_parse_as_of("eval", a.as_of, &as_of);
    /* Before anything is read: -o must not destroy an input. */
    if (status < 0)
        status = cli_refuse_output_inputs(a.output, "rules", a.rules, a.nrules);
    if (status < 0)
        status = cli_refuse_output_inputs(a.output, "data", (const char *const *)argv + optind,
                                          (size_t)(argc - optind));
    cli_rules rules = {0};
    if (status < 0 && !cli_load_rules(a.rules, a.nrules, a.search, a.nsearch, &rules))
        status = EXIT_ERRORS;
    if (status < 0)
        status = check_programs(&a, &rules);
    char as_of_text[11];
    if (status < 0) {
        cli_format_date(as_of, as_of_text);
        status = evaluate(&a, &rules, format, as_of_text, argv + optind,
                          (size_t)(argc - optind));
    }
    cli_free_rules(&rules);
    free(a.rules);
    free(a.search);
    free(a.programs);
    return status;
}
