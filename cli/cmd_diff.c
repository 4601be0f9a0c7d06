/* cmd_diff.c — `rubric diff --old RULES --new RULES DATA...`: which partners
 * a rules change moves.  Every partner is evaluated under both rule sets in
 * one batch (the old rules' modules first, then the new's) and diff_report.c
 * compares the two sets of results. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "diff.h"
#include "session.h"

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: rubric diff --old RULES --new RULES [OPTIONS] DATA...\n"
        "\n"
        "The impact of a rules change: evaluate every partner under the old and the new\n"
        "rules and report the partners whose eligible tier, renewal status or any\n"
        "requirement's status changes, one line (or object) per partner and program.\n"
        "\n"
        "RULES is a .rubric source or .rbc bytecode file, or 'stdlib' for the standard\n"
        "programs built into rubric (compiled with the side's .rubric files); --old and\n"
        "--new are each repeatable.\n"
        "DATA is a partner file: .json (one partner, or an array of partners),\n"
        ".jsonl or .ndjson (one partner per line), or - for JSON Lines on standard input.\n"
        "\n"
        "Options:\n"
        "      --old RULES       the rules before the change (repeatable)\n"
        "      --new RULES       the rules after the change (repeatable)\n"
        "  -I, --include DIR     also look for imported modules in DIR (repeatable)\n"
        "  -p, --program ID      compare only this program (repeatable)\n"
        "      --as-of DATE      the evaluation date, YYYY-MM-DD, from " CLI_AS_OF_FIRST " to\n"
        "                        " CLI_AS_OF_LAST "; default: today (the local date)\n"
        "  -f, --format FORMAT   text, json or jsonl; default: text on a terminal,\n"
        "                        jsonl otherwise\n"
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
        "  rubric diff --old stdlib --new my-programs.rubric partners.jsonl\n"
        "  rubric diff --old v1.rbc --new v2.rbc -p apn-2019-consulting -f jsonl data/*.json\n");
}

/* Exit status of --fail-on-change (the value of eval's --fail-below). */
enum { EXIT_CHANGED = EXIT_BELOW };

typedef struct diff_args {
    const char **old_rules, **new_rules, **search, **programs;
    size_t nold, nnew, nsearch, nprograms;
    const char *as_of, *format, *output;
    bool fail_on_change;
} diff_args;

enum { OPT_OLD = 256, OPT_NEW, OPT_AS_OF, OPT_FAIL_ON_CHANGE };

/* Parse the options; returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, diff_args *a)
{
    static const struct option options[] = {
        {"old", required_argument, NULL, OPT_OLD},
        {"new", required_argument, NULL, OPT_NEW},
        {"include", required_argument, NULL, 'I'},
        {"program", required_argument, NULL, 'p'},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"fail-on-change", no_argument, NULL, OPT_FAIL_ON_CHANGE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":I:p:f:o:h", options, NULL)) != -1) {
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
        case OPT_AS_OF:
            a->as_of = optarg;
            break;
        case 'f':
            a->format = optarg;
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
    if (a->nold == 0 || a->nnew == 0)
        return cli_usage_error("diff", "both --old and --new rules are needed (a .rubric or "
                               ".rbc file, or stdlib)");
    if (optind == argc)
        return cli_usage_error("diff", "no partner data given (a .json or .jsonl file, or - "
                               "for standard input)");
    return -1;
}

static bool parse_format(const char *name, diff_format *out)
{
    static const struct {
        const char *name;
        diff_format format;
    } formats[] = {{"text", DIFF_TEXT}, {"json", DIFF_JSON}, {"jsonl", DIFF_JSONL}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(formats[i].name, name) == 0) {
            *out = formats[i].format;
            return true;
        }
    }
    return false;
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

/* Every -p must name a program of the old or the new rules. */
static int check_programs(const diff_args *a, const cli_rules *old_rules,
                          const cli_rules *new_rules)
{
    for (size_t k = 0; k < a->nprograms; k++)
        if (!has_program(old_rules, a->programs[k]) && !has_program(new_rules, a->programs[k]))
            return cli_usage_error("diff", "no program \"%s\" in the old or the new rules",
                                   a->programs[k]);
    return -1;
}

/* The batch's units: the old rules' modules, then the new's, each with the
 * programs -p selects (NULL: all). */
static work_unit *make_units(const diff_args *a, const cli_rules *sides[2], size_t nunits)
{
    work_unit *units = calloc(nunits ? nunits : 1, sizeof *units);
    size_t k = 0;
    for (int s = 0; units && s < 2; s++) {
        for (size_t u = 0; u < sides[s]->count; u++, k++) {
            const bc_module *m = session_module(sides[s]->modules[u]);
            units[k].module = m;
            units[k].plan = session_load_plan(sides[s]->modules[u]);
            if (a->nprograms == 0)
                continue;
            bool *selected = calloc(m->nprograms ? m->nprograms : 1, sizeof *selected);
            units[k].selected = selected;
            if (!selected)
                return units; /* the caller sees the NULL and frees */
            for (uint32_t i = 0; i < m->nprograms; i++)
                for (size_t p = 0; p < a->nprograms; p++)
                    if (strcmp(module_str(m, m->programs[i].id), a->programs[p]) == 0)
                        selected[i] = true;
        }
    }
    return units;
}

static void free_units(work_unit *units, size_t nunits)
{
    for (size_t u = 0; units && u < nunits; u++)
        free((bool *)units[u].selected);
    free(units);
}

/* ------------------------------------------------------------ run */

typedef struct diff_state {
    cli_output *out;
    diff_config cfg;
    diff_tally tally;
    size_t skip;      /* json: the first object's ",\n" not to write */
    bool wrote_any;
    bool color;
} diff_state;

static bool write_out(void *user_data, const char *bytes, size_t len)
{
    diff_state *st = user_data;
    size_t skip = st->skip < len ? st->skip : len;
    st->skip -= skip;
    st->wrote_any = true;
    return cli_output_write(st->out, bytes + skip, len - skip);
}

static void print_diag(void *user_data, const batch_diag *d)
{
    diff_state *st = user_data;
    cli_print_batch_diag(d, st->color);
}

static void write_partner(void *user_data, const partner_report *reports, uint32_t nreports,
                          strbuf *out)
{
    diff_state *st = user_data;
    diff_partner(&st->cfg, reports, nreports, out);
}

static uint64_t load(atomic_uint_fast64_t *counter)
{
    return (uint64_t)atomic_load(counter);
}

/* "N partners evaluated, M changed: K eligible tiers changed (up U, down D)". */
static void summary(const diff_state *st, uint64_t partners, char *buf, size_t size)
{
    diff_tally *t = (diff_tally *)&st->tally;
    int n = snprintf(buf, size,
                     "%llu partners evaluated, %llu changed: %llu eligible tiers changed "
                     "(up %llu, down %llu)",
                     (unsigned long long)partners, (unsigned long long)load(&t->partners_changed),
                     (unsigned long long)load(&t->tiers_changed),
                     (unsigned long long)load(&t->tiers_up),
                     (unsigned long long)load(&t->tiers_down));
    uint64_t added = load(&t->programs_added), removed = load(&t->programs_removed);
    if ((added || removed) && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, "; programs added %llu, removed %llu",
                 (unsigned long long)added, (unsigned long long)removed);
}

/* After the batch: the json array's end and the summary (text: in the
 * output; json, jsonl: on stderr). */
static bool finish_output(diff_state *st, uint64_t partners)
{
    char line[300];
    summary(st, partners, line, sizeof line);
    if (st->cfg.format == DIFF_TEXT) {
        size_t n = strlen(line);
        line[n] = '\n';
        return cli_output_write(st->out, line, n + 1);
    }
    fprintf(stderr, "%s\n", line);
    if (st->cfg.format == DIFF_JSON)
        return cli_output_write(st->out, st->wrote_any ? "\n]\n" : "]\n",
                                st->wrote_any ? 3 : 2);
    return true;
}

static int compare(const diff_args *a, const work_unit *units, uint32_t nold, uint32_t nunits,
                   diff_format format, int32_t as_of, char **files, size_t nfiles)
{
    diff_state st = {0};
    st.out = cli_output_open(a->output);
    if (!st.out)
        return EXIT_ERRORS;
    st.cfg = (diff_config){nold, format, &st.tally};
    st.color = cli_stderr_color();
    rubric_config defaults;
    rubric_config_init(&defaults);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    batch_config cfg = {0};
    cfg.units = units;
    cfg.nunits = nunits;
    cfg.alloc = defaults.allocator;
    cfg.limits = defaults.limits;
    cfg.as_of = as_of;
    cfg.format = BATCH_JSONL; /* no opening or closing of its own */
    cfg.jobs = cores > 0 ? (unsigned)cores : 1;
    cfg.write_partner = write_partner;
    cfg.write = write_out;
    cfg.diag = print_diag;
    cfg.user_data = &st;
    if (format == DIFF_JSON) {
        cli_output_write(st.out, "[\n", 2);
        st.skip = 2;
    }
    batch *b = batch_new(&cfg);
    int status = EXIT_DONE;
    if (!b) {
        cli_error("out of memory");
        status = EXIT_ERRORS;
    } else {
        if (!cli_run_data_files(b, files, nfiles))
            status = EXIT_ERRORS;
        batch_finish(b);
        const batch_stats *stats = batch_get_stats(b);
        if (stats->errors)
            status = EXIT_ERRORS;
        if (stats->write_failed || !finish_output(&st, stats->partners)) {
            /* The output reports its own errors; else the results did not
             * fit in memory. */
            if (!cli_output_failed(st.out))
                cli_error("out of memory");
            status = EXIT_ERRORS;
        }
        if (status == EXIT_DONE && a->fail_on_change && load(&st.tally.partners_changed))
            status = EXIT_CHANGED;
        batch_free(b);
    }
    if (!cli_output_close(st.out, b != NULL))
        status = EXIT_ERRORS;
    return status;
}

/* Load both sides and compare; returns an exit status. */
static int run(diff_args *a, diff_format format, int32_t as_of, char **files,
               size_t nfiles)
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
        size_t nunits = old_rules.count + new_rules.count;
        work_unit *units = make_units(a, sides, nunits);
        bool complete = units != NULL;
        for (size_t u = 0; complete && a->nprograms && u < nunits; u++)
            complete = units[u].selected != NULL;
        if (!complete) {
            cli_error("out of memory");
            status = EXIT_ERRORS;
        } else {
            status = compare(a, units, (uint32_t)old_rules.count, (uint32_t)nunits, format,
                             as_of, files, nfiles);
        }
        free_units(units, nunits);
    }
    cli_free_rules(&old_rules);
    cli_free_rules(&new_rules);
    return status;
}

int cmd_diff(int argc, char **argv)
{
    diff_args a = {0};
    size_t n = (size_t)argc + 1;
    a.old_rules = calloc(n, sizeof *a.old_rules);
    a.new_rules = calloc(n, sizeof *a.new_rules);
    a.search = calloc(n, sizeof *a.search);
    a.programs = calloc(n, sizeof *a.programs);
    int status = -1;
    if (!a.old_rules || !a.new_rules || !a.search || !a.programs) {
        cli_error("out of memory");
        status = EXIT_ERRORS;
    }
    if (status < 0)
        status = parse_args(argc, argv, &a);
    diff_format format = isatty(STDOUT_FILENO) && !a.output ? DIFF_TEXT : DIFF_JSONL;
    int32_t as_of = 0;
    if (status < 0 && a.format && !parse_format(a.format, &format))
        status = cli_usage_error("diff", "unknown format '%s' (text, json or jsonl)", a.format);
    if (status < 0)
        status = cli_parse_as_of("diff", a.as_of, &as_of);
    /* Before anything is read: -o must not destroy an input. */
    if (status < 0)
        status = cli_refuse_output_inputs(a.output, "rules", a.old_rules, a.nold);
    if (status < 0)
        status = cli_refuse_output_inputs(a.output, "rules", a.new_rules, a.nnew);
    if (status < 0)
        status = cli_refuse_output_inputs(a.output, "data", (const char *const *)argv + optind,
                                          (size_t)(argc - optind));
    if (status < 0)
        status = run(&a, format, as_of, argv + optind, (size_t)(argc - optind));
    free(a.old_rules);
    free(a.new_rules);
    free(a.search);
    free(a.programs);
    return status;
}
