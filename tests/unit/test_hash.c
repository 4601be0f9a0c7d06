/* test_hash.c — the hash function and the hash index (runtime/core/hash.h). */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "hash.h"

static void test_fnv1a_values(void **state)
{
    (void)state;
    /* The published FNV-1a test vectors. */
    assert_int_equal(hash_bytes("", 0), 0x811c9dc5u);
    assert_int_equal(hash_bytes("a", 1), 0xe40c292cu);
    assert_int_equal(hash_bytes("foobar", 6), 0xbf9cf968u);
    assert_int_equal(hash_string("foobar"), 0xbf9cf968u);
    assert_int_equal(hash_step(0x811c9dc5u, 'a'), 0xe40c292cu);
    assert_true(hash_mix(1) != hash_mix(2));
    assert_int_equal(hash_mix(0), 0);
}

static void test_capacity(void **state)
{
    (void)state;
    assert_int_equal(hash_capacity(0), 8);
    assert_int_equal(hash_capacity(4), 8);
    assert_int_equal(hash_capacity(5), 16);
    assert_int_equal(hash_capacity(1000), 2048);
    assert_int_equal(hash_capacity(1u << 30), 1u << 31);
    assert_int_equal(hash_capacity((1u << 30) + 1), 0);
}

/* Entries kept by the caller; the index finds them by name. */
typedef struct names {
    char text[600][8];
    uint32_t count;
} names;

static uint32_t name_hash(const void *ctx, uint32_t entry)
{
    return hash_string(((const names *)ctx)->text[entry]);
}

static uint32_t find(const hash_index *ix, const names *n, const char *key)
{
    for (uint32_t i = hash_first(ix, hash_string(key)); ix->slots && ix->slots[i];
         i = hash_next(ix, i))
        if (strcmp(n->text[ix->slots[i] - 1], key) == 0)
            return ix->slots[i] - 1;
    return UINT32_MAX;
}

static void test_grows_and_finds(void **state)
{
    (void)state;
    static names n;
    hash_index ix = {0};
    for (uint32_t i = 0; i < 600; i++) {
        snprintf(n.text[i], sizeof n.text[i], "k%u", i);
        if (!hash_index_has_room(&ix))
            assert_true(hash_index_grow(&ix, test_alloc(), name_hash, &n));
        hash_index_put(&ix, hash_string(n.text[i]), i);
        n.count++;
    }
    assert_int_equal(ix.count, 600);
    assert_int_equal(ix.mask + 1, 2048); /* at least half empty */
    assert_int_equal(find(&ix, &n, "k0"), 0);
    assert_int_equal(find(&ix, &n, "k599"), 599);
    assert_int_equal(find(&ix, &n, "k600"), UINT32_MAX);
    hash_index_free(&ix, test_alloc());
    assert_null(ix.slots);
    assert_int_equal(find(&ix, &n, "k0"), UINT32_MAX); /* an empty index */
}

static void test_over_caller_memory(void **state)
{
    (void)state;
    uint32_t slots[8] = {0};
    hash_index ix;
    hash_index_over(&ix, slots, 8);
    /* Colliding hashes probe on to the next slot. */
    hash_index_put(&ix, 3, 0);
    hash_index_put(&ix, 11, 1);
    hash_index_put(&ix, 7, 2);
    assert_int_equal(slots[3], 1);
    assert_int_equal(slots[4], 2);
    assert_int_equal(slots[7], 3);
    hash_index_put(&ix, 7, 3); /* wraps around */
    assert_int_equal(slots[0], 4);
    assert_int_equal(ix.count, 4);
    assert_false(hash_index_has_room(&ix));
}

/* Growing without memory leaves the index as it was. */
static void *refuse(void *user, void *ptr, size_t old_size, size_t new_size)
{
    (void)user;
    (void)ptr;
    (void)old_size;
    (void)new_size;
    return NULL;
}

static void test_grow_out_of_memory(void **state)
{
    (void)state;
    rubric_allocator none = {refuse, NULL};
    hash_index ix = {0};
    assert_false(hash_index_grow(&ix, &none, name_hash, NULL));
    assert_null(ix.slots);
    assert_false(hash_index_alloc(&ix, 4, &none));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fnv1a_values),
        cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_grows_and_finds),
        cmocka_unit_test(test_over_caller_memory),
        cmocka_unit_test(test_grow_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
