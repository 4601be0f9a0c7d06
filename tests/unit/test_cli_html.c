/* test_cli_html.c — `rubric eval -f html` end to end: the example partners
 * as one self-contained page, every partner's name in it (escaped), the
 * same page whatever the number of threads, and the format's name in the
 * usage messages. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "html_check.h"
#include "mem.h"
#include "write.h"

#define EVAL_HTML "eval -f html --as-of 2026-11-22 "

static void assert_page(const char *html)
{
    assert_non_null(html);
    assert_int_equal(strncmp(html, "<!DOCTYPE html>\n", 16), 0);
    size_t len = strlen(html);
    assert_true(len > 8);
    assert_string_equal(html + len - 8, "</html>\n");
    assert_tags_balance(html);
    assert_self_contained(html);
}

/* The partners' ids and names, from the jsonl results of the same files:
 * each "partner":{"id":"...","name":"..."} (names without escapes). */
static void assert_every_partner_named(const char *html, const char *jsonl)
{
    static const char key[] = "{\"partner\":{\"id\":\"";
    int partners = 0;
    for (const char *s = strstr(jsonl, key); s; s = strstr(s + 1, key)) {
        const char *id = s + sizeof key - 1;
        const char *id_end = strchr(id, '"');
        assert_non_null(id_end);
        assert_int_equal(strncmp(id_end, "\",\"name\":\"", 10), 0);
        const char *name = id_end + 10;
        const char *name_end = strchr(name, '"');
        assert_non_null(name_end);
        strbuf want;
        sb_init(&want, test_alloc());
        sb_puts(&want, "<h2>");
        write_html_escaped(&want, name, (size_t)(name_end - name));
        sb_puts(&want, " <span class=\"pid\">");
        write_html_escaped(&want, id, (size_t)(id_end - id));
        sb_puts(&want, "</span></h2>");
        assert_false(want.failed);
        if (!strstr(html, want.data))
            fail_msg("partner missing from the page: %s", want.data);
        sb_free(&want);
        partners++;
    }
    assert_true(partners >= 6);
}

static void test_examples_page(void **state)
{
    (void)state;
    char *html = NULL, *err = NULL, *jsonl = NULL;
    assert_int_equal(test_run(EVAL_HTML "examples/partners/*.json", NULL, &html, &err), 0);
    assert_page(html);
    assert_int_equal(test_run("eval -f jsonl --as-of 2026-11-22 examples/partners/*.json",
                              NULL, &jsonl, NULL), 0);
    assert_every_partner_named(html, jsonl);
    /* The service-delivery partner's applications and events are there. */
    assert_non_null(strstr(html, "<h3>AWS Service Delivery Program</h3>"));
    assert_non_null(strstr(html, "<th scope=\"col\">Status</th>"));
    assert_non_null(strstr(html, "<h4>To reach "));
    assert_non_null(strstr(html, "<nav class=\"toc\""));
    free(html);
    free(err);
    free(jsonl);
}

static void test_threads_write_the_same_page(void **state)
{
    (void)state;
    char *one = NULL, *four = NULL;
    assert_int_equal(test_run(EVAL_HTML "-j 1 examples/partners/batch.jsonl", NULL, &one, NULL),
                     0);
    assert_int_equal(test_run(EVAL_HTML "-j 4 examples/partners/batch.jsonl", NULL, &four,
                              NULL), 0);
    assert_page(one);
    assert_string_equal(one, four);
    free(one);
    free(four);
}

/* A copy of an example partner with its name replaced. */
static void write_renamed_partner(const char *path, const char *name_json)
{
    size_t len = 0;
    char *data = test_read_file(test_path("examples/partners/select.json"), &len);
    assert_non_null(data);
    static const char old[] = "\"Nimbus Select Partners\"";
    char *at = strstr(data, old);
    assert_non_null(at);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(data, 1, (size_t)(at - data), f);
    fputs(name_json, f);
    fputs(at + sizeof old - 1, f);
    assert_int_equal(fclose(f), 0);
    free(data);
}

static void test_names_are_escaped(void **state)
{
    (void)state;
    char path[] = "/tmp/rubric-html-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_renamed_partner(path, "\"<b>Nimbus</b> & \\\"Sons\\\" 'Ltd' https://x.example\"");
    char args[128], *html = NULL;
    snprintf(args, sizeof args, EVAL_HTML "%s", path);
    int status = test_run(args, NULL, &html, NULL);
    unlink(path);
    assert_int_equal(status, 0);
    assert_page(html);
    assert_non_null(strstr(html, "<h2>&lt;b&gt;Nimbus&lt;/b&gt; &amp; &quot;Sons&quot; "
                                 "&#39;Ltd&#39; https://x.example <span class=\"pid\">"));
    assert_null(strstr(html, "<b>"));
    free(html);
}

static void test_usage_names_html(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    assert_int_equal(test_run("eval -f xml examples/partners/select.json", NULL, &out, &err), 2);
    assert_non_null(strstr(err, "unknown format 'xml' (text, json, jsonl, csv, csv-requirements, html, summary or summary-json)"));
    free(out);
    free(err);
    assert_int_equal(test_run("eval --help", NULL, &out, &err), 0);
    assert_non_null(strstr(out, "text, json, jsonl, csv, csv-requirements, html, summary\n"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_page),
        cmocka_unit_test(test_threads_write_the_same_page),
        cmocka_unit_test(test_names_are_escaped),
        cmocka_unit_test(test_usage_names_html),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
