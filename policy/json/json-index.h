/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json-index.h - where each value of a JSON text starts.
 *
 * jansson reports positions only for syntax errors. sealexec's messages carry
 * FILE:LINE:COL for semantic errors too, and reads integers exactly (jansson's
 * json_int_t is signed, OCI argument values are uint64), so the loader keeps a
 * flat index of every value of the text, in the order the values start
 * (pre-order). Each entry knows where its subtree ends, so the loader walks the
 * index alongside jansson's tree: the members of an object appear in the index
 * in the same order as jansson iterates them (insertion order, duplicates
 * rejected), the elements of an array in array order.
 *
 * The scanner is iterative and linear, and is only run over text that jansson
 * has accepted; on anything it does not understand it fails, and the loader
 * then falls back to the position of the whole document.
 */
#ifndef SEALEXEC_POLICY_JSON_INDEX_H
#define SEALEXEC_POLICY_JSON_INDEX_H

#include <stddef.h>

struct json_pos {
        unsigned line; /* from 1 */
        unsigned col;  /* from 1, in characters as jansson counts them */
};

struct json_index_node {
        size_t offset;       /* byte offset of the value's first character */
        size_t end;          /* index of the first node after this subtree */
        struct json_pos pos; /* where the value starts */
        struct json_pos key; /* where its key starts (object members), else {0,0} */
};

struct json_index {
        const char *text;
        size_t len;
        size_t n_nodes;
        struct json_index_node *nodes;
};

/*
 * Indexes `text`. Returns 0, -ENOMEM, or -EINVAL when the text is not the
 * JSON the scanner expects (the index is then empty).
 */
int json_index_build(struct json_index *index, const char *text, size_t len);
void json_index_done(struct json_index *index);

/* The node with that number, or NULL when out of range (or no index). */
const struct json_index_node *json_index_node(const struct json_index *index, size_t node);

/* First child of container `node`, or JSON_NO_NODE when it is empty. */
size_t json_index_first_child(const struct json_index *index, size_t node);

/* The sibling that follows `child` inside `parent`, or JSON_NO_NODE. */
size_t json_index_next(const struct json_index *index, size_t parent, size_t child);

/* Sentinel for "no node": positions fall back to line 1, column 1. */
#define JSON_NO_NODE ((size_t)-1)

#endif
