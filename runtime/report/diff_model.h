/*
 * diff_model.h — comparing one partner's results under two rule sets
 * (`rubric diff`, docs/diff.md), on the result model of rubric.h:
 *
 *   diff_compare.c   one program's two results -> a program_diff
 *   diff_write.c     a program_diff as a text line, a JSON object, csv rows
 *   diff_tally.c     the counts over every partner: the from -> to matrices
 *                    and the summary
 *   api/diff.c       the public handle (rubric_diff_*) that drives them
 */
#ifndef RUBRIC_DIFF_MODEL_H
#define RUBRIC_DIFF_MODEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "mem.h"
#include "rubric.h"

/* A status on a side that lacks the requirement, item or result. */
enum { DIFF_ABSENT = -1 };

/* One requirement (or item) that differs: in status, actual or required. */
typedef struct diff_change {
    const char *view;           /* "rolling", "renewal" or "item"            */
    const char *scope;          /* the tier, or the item's label             */
    size_t scope_len;
    int64_t item;               /* the item's place in the list; -1 for tiers */
    uint32_t occurrence;        /* k when k-th item of a repeated label, else 0 */
    char id[160];               /* "id", "parent.part"; "" for an item itself */
    int old_status, new_status; /* rubric_req_status, rubric_item_status, DIFF_ABSENT */
    const rubric_requirement *old_req, *new_req; /* NULL: absent there */
} diff_change;

typedef struct program_diff {
    const char *program;        /* the new id (the old one when only there) */
    const char *old_program;    /* the old id (differs under a map)         */
    const char *kind;           /* "changed", "added" or "removed"          */
    bool tiered;
    const char *old_tier, *new_tier;  /* eligible tier; NULL: none          */
    int old_renewal, new_renewal;     /* renewal status or DIFF_ABSENT      */
    VEC(diff_change) changes;
    const rubric_allocator *alloc;
    bool failed;                /* out of memory                            */
} program_diff;

/* Compare one program's results (either may be NULL, not both). */
void diff_compare_program(program_diff *d, const rubric_result *o, const rubric_result *n);
/* Anything to report: added, removed, or a change. */
bool diff_program_changed(const program_diff *d);
void diff_program_free(program_diff *d);

/* The item of a change written as text: the label, " #k" for a repeated
 * one. */
void diff_write_scope(const diff_change *c, strbuf *out);

/* "PARTNER PROGRAM: change; change ...\n" (diff_write.c). */
void diff_write_text(const program_diff *d, const rubric_result *who, strbuf *out);
/* One compact JSON object and a newline. */
void diff_write_json(const program_diff *d, const rubric_result *who, strbuf *out);
/* The csv header, and one row per thing changed. */
void diff_write_csv_header(strbuf *out);
void diff_write_csv(const program_diff *d, const rubric_result *who, strbuf *out);

/* ------------------------------------------------------------ tally */

/* One cell of a from -> to matrix. */
typedef struct diff_cell {
    const char *old_label, *new_label;
    int old_rank, new_rank;     /* the order of rows and columns            */
    uint64_t count;
} diff_cell;

typedef VEC(diff_cell) diff_matrix;

typedef struct diff_program_tally {
    const char *program;
    bool tiered;
    diff_matrix eligible;       /* tiered: eligible tier, old -> new        */
    diff_matrix renewal;        /* tiered: renewal status                   */
    diff_matrix items;          /* per item: each item's status             */
} diff_program_tally;

/* Counts over every partner, updated from several threads at once. */
typedef struct diff_tally {
    pthread_mutex_t lock;
    const rubric_allocator *alloc;
    arena strings;              /* program ids and tier names kept          */
    VEC(diff_program_tally) programs;
    uint64_t partners_changed, tiers_changed, tiers_up, tiers_down;
    uint64_t programs_added, programs_removed;
    bool failed;
} diff_tally;

bool diff_tally_init(diff_tally *t, const rubric_allocator *alloc);
void diff_tally_free(diff_tally *t);
/* Count one program of one partner, changed or not. */
void diff_tally_program(diff_tally *t, const program_diff *d, const rubric_result *o,
                        const rubric_result *n);
void diff_tally_partner_changed(diff_tally *t);
/* Programs by id, for the writers below (call when no thread counts). */
void diff_tally_sort(diff_tally *t);
/* The matrices as text tables, a blank line after each program's. */
void diff_tally_text(const diff_tally *t, strbuf *out);
/* The matrices as a JSON array. */
void diff_tally_json(const diff_tally *t, strbuf *out);

#endif /* RUBRIC_DIFF_MODEL_H */
