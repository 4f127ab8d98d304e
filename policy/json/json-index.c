/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A flat, iterative index of where each JSON value starts (see json-index.h). */
#include "policy/json/json-index.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct scanner {
        const char *text;
        size_t len;
        size_t i;
        struct json_pos pos;
};

/* An open container: its node and whether it is an object. */
struct open_container {
        size_t node;
        bool is_object;
};

struct builder {
        struct json_index_node *nodes;
        size_t n_nodes, cap_nodes;
        struct open_container *stack;
        size_t depth, cap_stack;
};

/*
 * Steps over one byte. Columns count characters as jansson does: a UTF-8
 * continuation byte does not start a new column.
 */
static void scan_advance(struct scanner *s)
{
        unsigned char c = (unsigned char)s->text[s->i++];
        if (c == '\n') {
                s->pos.line++;
                s->pos.col = 1;
                return;
        }
        if (s->i < s->len && ((unsigned char)s->text[s->i] & 0xC0) == 0x80)
                return;
        s->pos.col++;
}

static void scan_skip_space(struct scanner *s)
{
        while (s->i < s->len && strchr(" \t\r\n", s->text[s->i]) && s->text[s->i] != '\0')
                scan_advance(s);
}

/* Steps over a string starting at its opening quote; false if unterminated. */
static bool scan_skip_string(struct scanner *s)
{
        scan_advance(s);
        while (s->i < s->len) {
                char c = s->text[s->i];
                if (c == '"') {
                        scan_advance(s);
                        return true;
                }
                if (c == '\\') {
                        scan_advance(s);
                        if (s->i >= s->len)
                                return false;
                }
                scan_advance(s);
        }
        return false;
}

static bool is_scalar_char(char c)
{
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '+' || c == '-' || c == '.';
}

static int builder_add_node(struct builder *b, const struct scanner *s, struct json_pos key)
{
        if (b->n_nodes == b->cap_nodes) {
                size_t cap = b->cap_nodes ? b->cap_nodes * 2 : 64;
                struct json_index_node *nodes = reallocarray(b->nodes, cap, sizeof(*nodes));
                if (!nodes)
                        return -ENOMEM;
                b->nodes = nodes;
                b->cap_nodes = cap;
        }
        b->nodes[b->n_nodes] = (struct json_index_node){
            .offset = s->i,
            .end = b->n_nodes + 1,
            .pos = s->pos,
            .key = key,
        };
        b->n_nodes++;
        return 0;
}

static int builder_push(struct builder *b, size_t node, bool is_object)
{
        if (b->depth == b->cap_stack) {
                size_t cap = b->cap_stack ? b->cap_stack * 2 : 16;
                struct open_container *stack = reallocarray(b->stack, cap, sizeof(*stack));
                if (!stack)
                        return -ENOMEM;
                b->stack = stack;
                b->cap_stack = cap;
        }
        b->stack[b->depth++] = (struct open_container){.node = node, .is_object = is_object};
        return 0;
}

/* Scans one value (a scalar, or the opening bracket of a container). */
static int scan_value(struct builder *b, struct scanner *s, struct json_pos key, bool *want_key)
{
        char c = s->text[s->i];
        size_t node = b->n_nodes;
        int r = builder_add_node(b, s, key);
        if (r < 0)
                return r;
        if (c == '{' || c == '[') {
                r = builder_push(b, node, c == '{');
                if (r < 0)
                        return r;
                scan_advance(s);
                *want_key = c == '{';
                return 0;
        }
        if (c == '"') {
                if (!scan_skip_string(s))
                        return -EINVAL;
        } else if (is_scalar_char(c)) {
                while (s->i < s->len && is_scalar_char(s->text[s->i]))
                        scan_advance(s);
        } else {
                return -EINVAL;
        }
        return 0;
}

static int scan_all(struct builder *b, struct scanner *s)
{
        struct json_pos key = {0, 0};
        bool want_key = false, have_root = false;

        for (;;) {
                scan_skip_space(s);
                if (s->i >= s->len)
                        break;
                char c = s->text[s->i];
                if (c == '}' || c == ']') {
                        if (b->depth == 0)
                                return -EINVAL;
                        b->depth--;
                        b->nodes[b->stack[b->depth].node].end = b->n_nodes;
                        scan_advance(s);
                        want_key = false;
                        continue;
                }
                if (c == ',' || c == ':') {
                        if (b->depth == 0)
                                return -EINVAL;
                        want_key = c == ',' && b->stack[b->depth - 1].is_object;
                        scan_advance(s);
                        continue;
                }
                if (want_key) {
                        if (c != '"')
                                return -EINVAL;
                        key = s->pos;
                        if (!scan_skip_string(s))
                                return -EINVAL;
                        want_key = false;
                        continue;
                }
                if (b->depth == 0 && have_root)
                        return -EINVAL;
                have_root = true;
                int r = scan_value(b, s, key, &want_key);
                if (r < 0)
                        return r;
                key = (struct json_pos){0, 0};
        }
        return b->depth == 0 && have_root ? 0 : -EINVAL;
}

int json_index_build(struct json_index *index, const char *text, size_t len)
{
        struct builder b = {0};
        struct scanner s = {.text = text, .len = len, .pos = {1, 1}};

        *index = (struct json_index){.text = text, .len = len};
        int r = scan_all(&b, &s);
        free(b.stack);
        if (r < 0) {
                free(b.nodes);
                return r;
        }
        index->nodes = b.nodes;
        index->n_nodes = b.n_nodes;
        return 0;
}

void json_index_done(struct json_index *index)
{
        if (!index)
                return;
        free(index->nodes);
        index->nodes = NULL;
        index->n_nodes = 0;
}

const struct json_index_node *json_index_node(const struct json_index *index, size_t node)
{
        if (!index || node >= index->n_nodes)
                return NULL;
        return &index->nodes[node];
}

size_t json_index_first_child(const struct json_index *index, size_t node)
{
        const struct json_index_node *n = json_index_node(index, node);
        return n && n->end > node + 1 ? node + 1 : JSON_NO_NODE;
}

size_t json_index_next(const struct json_index *index, size_t parent, size_t child)
{
        const struct json_index_node *p = json_index_node(index, parent);
        const struct json_index_node *c = json_index_node(index, child);
        if (!p || !c || child <= parent || c->end >= p->end)
                return JSON_NO_NODE;
        return c->end;
}
