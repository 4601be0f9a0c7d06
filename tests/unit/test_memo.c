/* test_memo.c — what batch evaluation relies on to go fast without changing
 * a result: the vm's memo across views and twin chunks, and the string
 * builder's and JSON writer's fast paths against their exact output. */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "bytecode.h"
#include "calendar.h"
#include "mbuild.h"
#include "vm.h"
#include "write.h"

/* ------------------------------------------------------------ harness */

typedef struct env {
    bc_module m;
    mbuild b;
    arena mem;
    vm v;
    uint32_t t_int;
} env;

static void env_init(env *e)
{
    memset(e, 0, sizeof *e);
    mb_init(&e->b, &e->m, test_alloc());
    arena_init(&e->mem, test_alloc(), 0);
    e->t_int = mb_type(&e->b, TK_INT, 0);
}

/* Unverified: each chunk's stack bound is its code length. */
static void env_build(env *e)
{
    assert_true(mb_finish(&e->b));
    for (uint32_t i = 0; i < e->m.nchunks; i++)
        e->m.chunks[i].max_stack = (uint16_t)(e->m.chunks[i].code_len + 1);
    assert_true(vm_init(&e->v, &e->m, &e->mem, test_alloc(), 1000000));
}

static void env_free(env *e)
{
    vm_free(&e->v);
    arena_free(&e->mem);
    module_release(&e->m);
}

static uint32_t chunk(env *e, const char *name, uint8_t flags)
{
    return mb_chunk(&e->b, name, flags, 0, NULL, e->t_int);
}

static void emit(env *e, uint32_t c, opcode o, uint32_t operand)
{
    mb_emit(&e->b, c, o, operand);
}

/* let = 1 + 2: reads nothing of the context (4 instructions). */
static uint32_t constant_let(env *e, const char *name)
{
    uint32_t let = chunk(e, name, CHUNK_LET);
    emit(e, let, OP_CONST, mb_const_int(&e->b, 1));
    emit(e, let, OP_CONST, mb_const_int(&e->b, 2));
    emit(e, let, OP_ADD, 0);
    emit(e, let, OP_RET, 0);
    return let;
}

/* days from the date constant epoch to A: reads A (4 instructions). */
static uint32_t as_of_let(env *e, const char *name, uint32_t epoch)
{
    uint32_t let = chunk(e, name, CHUNK_LET);
    emit(e, let, OP_CONST, epoch);
    emit(e, let, OP_AS_OF, 0);
    emit(e, let, OP_DAYS_BETWEEN, 0);
    emit(e, let, OP_RET, 0);
    return let;
}

/* A chunk that returns let (2 instructions plus the let when it runs). */
static uint32_t caller(env *e, const char *name, uint32_t let)
{
    uint32_t c = chunk(e, name, 0);
    emit(e, c, OP_CALL_LET, let);
    emit(e, c, OP_RET, 0);
    return c;
}

static vm_context context(int32_t as_of, bool has_window, int32_t lo, int32_t hi)
{
    vm_context ctx = {0};
    ctx.as_of = as_of;
    ctx.has_window = has_window;
    if (has_window)
        ctx.window = value_interval(lo, hi);
    return ctx;
}

/* Instructions a plain call of chunk spends; its result must be want. */
static uint64_t spent(env *e, uint32_t c, int64_t want)
{
    uint64_t before = vm_instructions_left(&e->v);
    value r;
    rubric_error err;
    assert_true(vm_call(&e->v, c, NULL, 0, &r, &err));
    assert_int_equal(r.kind, VK_INT);
    assert_int_equal(r.as.i, want);
    return before - vm_instructions_left(&e->v);
}

/* The same through vm_call_memo. */
static uint64_t spent_memo(env *e, uint32_t c, int64_t want)
{
    uint64_t before = vm_instructions_left(&e->v);
    value r;
    rubric_error err;
    assert_true(vm_call_memo(&e->v, c, &r, &err));
    assert_int_equal(r.kind, VK_INT);
    assert_int_equal(r.as.i, want);
    return before - vm_instructions_left(&e->v);
}

/* ------------------------------------------------------------ the memo */

static void test_view_change_keeps_lets_that_read_no_context(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t main = caller(&e, "main", constant_let(&e, "three"));
    env_build(&e);
    vm_context a = context(100, false, 0, 0), b = context(200, true, 150, 200);
    vm_change_view(&e.v, &a);
    assert_int_equal(spent(&e, main, 3), 6);
    vm_change_view(&e.v, &b);
    assert_int_equal(spent(&e, main, 3), 2); /* the let is kept */
    vm_set_context(&e.v, &b);
    assert_int_equal(spent(&e, main, 3), 6); /* vm_set_context forgets */
    vm_begin_partner(&e.v);
    vm_change_view(&e.v, &b);
    assert_int_equal(spent(&e, main, 3), 6); /* so does a new partner */
    env_free(&e);
}

static void test_lets_are_kept_per_as_of(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t main = caller(&e, "main", as_of_let(&e, "days", mb_const_date(&e.b, 0)));
    env_build(&e);
    vm_context at_100 = context(100, false, 0, 0), at_70 = context(70, false, 0, 0);
    vm_context windowed = context(100, true, 1, 100);
    vm_change_view(&e.v, &at_100);
    assert_int_equal(spent(&e, main, 100), 6);
    vm_change_view(&e.v, &windowed); /* same A: the let does not read the window */
    assert_int_equal(spent(&e, main, 100), 2);
    vm_change_view(&e.v, &at_70);
    assert_int_equal(spent(&e, main, 70), 6);
    vm_change_view(&e.v, &at_100); /* back to A: still memoized */
    assert_int_equal(spent(&e, main, 100), 2);
    env_free(&e);
}

static void test_lets_that_read_the_window_follow_it(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    /* reads the window (and returns 7 whatever it is) */
    uint32_t let = chunk(&e, "window_days", CHUNK_LET);
    emit(&e, let, OP_CONST, mb_const_int(&e.b, 0));
    emit(&e, let, OP_WINDOW, 0);
    emit(&e, let, OP_IN_INTERVAL, 0);
    emit(&e, let, OP_POP, 0);
    emit(&e, let, OP_CONST, mb_const_int(&e.b, 7));
    emit(&e, let, OP_RET, 0);
    uint32_t main = caller(&e, "main", let);
    env_build(&e);
    vm_context r = context(100, true, 1, 100), n = context(100, true, 50, 100);
    vm_change_view(&e.v, &r);
    assert_int_equal(spent(&e, main, 7), 8);
    vm_change_view(&e.v, &n);
    assert_int_equal(spent(&e, main, 7), 8); /* another window: runs again */
    vm_change_view(&e.v, &r);
    assert_int_equal(spent(&e, main, 7), 2); /* both windows are kept */
    vm_change_view(&e.v, &n);
    assert_int_equal(spent(&e, main, 7), 2);
    env_free(&e);
}

static void test_call_memo_and_twin_chunks(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t epoch = mb_const_date(&e.b, 0);
    uint32_t first = caller(&e, "first", as_of_let(&e, "days_a", epoch));
    uint32_t twin = caller(&e, "twin", as_of_let(&e, "days_b", epoch)); /* same code */
    uint32_t other = caller(&e, "other", constant_let(&e, "three"));
    env_build(&e);
    vm_context at_100 = context(100, false, 0, 0);
    vm_change_view(&e.v, &at_100);
    assert_int_equal(spent_memo(&e, first, 100), 6);
    assert_int_equal(spent_memo(&e, first, 100), 0);
    assert_int_equal(spent_memo(&e, twin, 100), 0); /* shares first's memo */
    assert_int_equal(spent_memo(&e, other, 3), 6);
    vm_context at_70 = context(70, false, 0, 0);
    vm_change_view(&e.v, &at_70);
    assert_int_equal(spent_memo(&e, twin, 70), 6);
    assert_int_equal(spent_memo(&e, other, 3), 0);
    env_free(&e);
}

/* ------------------------------------------------------------ strbuf */

static void test_put_int_matches_printf(void **state)
{
    (void)state;
    static const int64_t cases[] = {0, 7, -1, 10, -10, 1234567890, INT64_MAX, INT64_MIN};
    strbuf sb;
    sb_init(&sb, test_alloc());
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char want[32];
        snprintf(want, sizeof want, "%lld", (long long)cases[i]);
        sb_clear(&sb);
        sb_put_int(&sb, cases[i]);
        assert_string_equal(sb.data, want);
    }
    sb_clear(&sb);
    sb_put_uint(&sb, UINT64_MAX);
    assert_string_equal(sb.data, "18446744073709551615");
    sb_free(&sb);
}

static void test_extend_and_append_grow(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    for (int i = 0; i < 1000; i++) {
        char *at = sb_extend(&sb, 3);
        assert_non_null(at);
        memcpy(at, "abc", 3);
        sb_append(&sb, "de", 2);
    }
    assert_int_equal(sb.len, 5000);
    assert_int_equal(sb.data[5000], '\0');
    assert_memory_equal(sb.data + 4995, "abcde", 5);
    sb_free(&sb);
}

/* ------------------------------------------------------------ JSON strings */

static void expect_json(const char *in, size_t len, const char *want)
{
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_json_string(&sb, in, len);
    assert_false(sb.failed);
    assert_string_equal(sb.data, want);
    sb_free(&sb);
}

#define EXPECT_JSON(in, want) expect_json((in), sizeof(in) - 1, (want))

/* Every length around the word size, with the special byte at each place. */
static void test_json_string_escapes_at_every_position(void **state)
{
    (void)state;
    static const char *const specials[][2] = {
        {"\"", "\\\""}, {"\\", "\\\\"}, {"\x01", "\\u0001"}, {"\x1f", "\\u001f"},
        {"\xff", "\\ufffd"}, {"\xc3\xa9", "\xc3\xa9"},
    };
    for (size_t s = 0; s < sizeof specials / sizeof specials[0]; s++) {
        for (size_t len = 0; len < 20; len++) {
            for (size_t at = 0; at <= len; at++) {
                char in[64], want[96];
                size_t n = 0, w = 0;
                want[w++] = '"';
                for (size_t i = 0; i < len; i++) {
                    if (i == at) {
                        n += (size_t)snprintf(in + n, sizeof in - n, "%s", specials[s][0]);
                        w += (size_t)snprintf(want + w, sizeof want - w, "%s", specials[s][1]);
                    }
                    in[n++] = (char)('a' + i % 26);
                    want[w++] = (char)('a' + i % 26);
                }
                want[w++] = '"';
                want[w] = '\0';
                expect_json(in, n, want);
            }
        }
    }
}

static void test_json_string_plain_and_edge_bytes(void **state)
{
    (void)state;
    EXPECT_JSON("", "\"\"");
    EXPECT_JSON("met", "\"met\"");
    EXPECT_JSON("exactly8", "\"exactly8\"");
    EXPECT_JSON(" ~!#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}", "\" ~!#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}\"");
    EXPECT_JSON("tab\there", "\"tab\\u0009here\"");
    EXPECT_JSON("del\x7f ok", "\"del\x7f ok\"");
    EXPECT_JSON("nul\0byte", "\"nul\\u0000byte\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_change_keeps_lets_that_read_no_context),
        cmocka_unit_test(test_lets_are_kept_per_as_of),
        cmocka_unit_test(test_lets_that_read_the_window_follow_it),
        cmocka_unit_test(test_call_memo_and_twin_chunks),
        cmocka_unit_test(test_put_int_matches_printf),
        cmocka_unit_test(test_extend_and_append_grow),
        cmocka_unit_test(test_json_string_escapes_at_every_position),
        cmocka_unit_test(test_json_string_plain_and_edge_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
