/*
 * partner_builder.h — partner JSON (apn-partner/1) assembled piece by piece
 * for the rule tests: top-level fields, and objects appended to named lists.
 *
 *   partner_builder p;
 *   pb_init(&p, "consulting", "Select", "2027-01-20");
 *   pb_add(&p, "fee_payments", "{\"date\": \"2026-01-20\", \"amount\": %d}", 2500);
 *   char *json = pb_json(&p);   // free() it
 *   pb_free(&p);
 */
#ifndef RUBRIC_PARTNER_BUILDER_H
#define RUBRIC_PARTNER_BUILDER_H

#include "mem.h"

#define PB_MAX_KEYS 24

typedef struct partner_builder {
    uint32_t nkeys;
    const char *keys[PB_MAX_KEYS];
    bool is_list[PB_MAX_KEYS];
    strbuf values[PB_MAX_KEYS];
} partner_builder;

/* id "P-TEST", name "Test Partner", the given path, tier and renewal date. */
void pb_init(partner_builder *p, const char *path, const char *tier, const char *renewal_date);
void pb_free(partner_builder *p);

/* Set top-level key to a raw JSON value (replacing an earlier one). */
void pb_set(partner_builder *p, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Append a raw JSON value to the list at top-level key. */
void pb_add(partner_builder *p, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Append n copies of a raw JSON value to the list at key. */
void pb_add_n(partner_builder *p, const char *key, int n, const char *json);

/* The partner object; free() it. */
char *pb_json(const partner_builder *p);

#endif /* RUBRIC_PARTNER_BUILDER_H */
