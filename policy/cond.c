/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Conditions in DNF (see cond.h).
 *
 * How each comparison becomes ranges and cubes (W is the width mask: all 64
 * bits, or 0xffffffff for low32 comparisons):
 *   EQ v            range v..v           (low32: cube(W, v))
 *   NE v            0..v-1 | v+1..max    (low32: complement of cube(W, v))
 *   LT/LE/GT/GE v   one range            (low32: the range over the low 32
 *                                         bits, split into aligned blocks,
 *                                         i.e. cubes whose mask leaves the
 *                                         upper half free)
 *   MASKED_EQ m,v   cube(m, v)
 *   ANY_BITS m      OR over each bit b of m: (bits of m above b clear,
 *                   bit b set)
 *   IN m            cube(~m & W, 0)
 * The complement of cube(m, v) is OR over each bit b of m of (bits of m
 * above b equal to v's, bit b different). Both give disjoint alternatives.
 *
 * low32 means exactly "the low 32 bits satisfy the comparison", whatever the
 * upper half holds. For a C int argument that is what the kernel sees: the
 * syscall truncates the register to 32 bits, so 0x0000000000005412,
 * 0xffffffff00005412 and 0x1234567800005412 are the same request. This makes
 * every low32 comparison and its negation exact complements, which the
 * first-match rewriting in compile.c relies on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "policy/cond.h"

#define U64_MAX (~UINT64_C(0))
#define LOW32   UINT64_C(0xffffffff)

void cond_dnf_done(struct cond_dnf *dnf)
{
        free(dnf->v);
        *dnf = (struct cond_dnf){0};
}

static int dnf_push(struct cond_dnf *dnf, const struct cond_conj *c)
{
        if (dnf->n >= COND_MAX_CONJ)
                return -E2BIG;
        if (dnf->n == dnf->cap) {
                size_t cap = dnf->cap ? dnf->cap * 2 : 8;
                struct cond_conj *v = realloc(dnf->v, cap * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                dnf->v = v;
                dnf->cap = cap;
        }
        dnf->v[dnf->n++] = *c;
        return 0;
}

int cond_dnf_true(struct cond_dnf *dnf)
{
        struct cond_conj empty = {0};
        dnf->n = 0;
        return dnf_push(dnf, &empty);
}

/* --- one argument --------------------------------------------------------- */

static bool arg_and_range(struct cond_arg *a, uint64_t lo, uint64_t hi)
{
        if (a->has_range) {
                lo = lo > a->lo ? lo : a->lo;
                hi = hi < a->hi ? hi : a->hi;
        }
        if (lo > hi)
                return false;
        a->has_range = true;
        a->lo = lo;
        a->hi = hi;
        if (a->has_cube && lo == hi && (lo & a->mask) != a->val)
                return false;
        return true;
}

static bool arg_and_cube(struct cond_arg *a, uint64_t mask, uint64_t val)
{
        if (val & ~mask)
                return false;
        if (mask == 0)
                return true;
        if (a->has_cube) {
                uint64_t both = a->mask & mask;
                if ((a->val & both) != (val & both))
                        return false;
                mask |= a->mask;
                val |= a->val;
        }
        a->has_cube = true;
        a->mask = mask;
        a->val = val;
        if (a->has_range && a->lo == a->hi && (a->lo & mask) != val)
                return false;
        return true;
}

static bool arg_and(struct cond_arg *a, const struct cond_arg *b)
{
        if (b->has_range && !arg_and_range(a, b->lo, b->hi))
                return false;
        if (b->has_cube && !arg_and_cube(a, b->mask, b->val))
                return false;
        return true;
}

/* true when every value `b` allows is allowed by `a` (conservative). */
static bool arg_covers(const struct cond_arg *a, const struct cond_arg *b)
{
        if (a->has_range) {
                uint64_t lo = b->has_range ? b->lo : 0, hi = b->has_range ? b->hi : U64_MAX;
                if (lo < a->lo || hi > a->hi)
                        return false;
        }
        if (a->has_cube) {
                if (!b->has_cube || (a->mask & ~b->mask) || (b->val & a->mask) != a->val)
                        return false;
        }
        return true;
}

static bool conj_covers(const struct cond_conj *a, const struct cond_conj *b)
{
        for (int i = 0; i < POLICY_MAX_ARGS; i++)
                if (!arg_covers(&a->args[i], &b->args[i]))
                        return false;
        return true;
}

/* Drops conjunctions another one already covers (keeps the DNF small). */
static void dnf_absorb(struct cond_dnf *dnf)
{
        size_t n = dnf->n;
        bool *gone = calloc(n, sizeof(bool));
        if (!gone)
                return; /* only an optimisation */
        for (size_t i = 0; i < n; i++) {
                if (gone[i])
                        continue;
                for (size_t j = 0; j < n; j++) {
                        if (i == j || gone[j])
                                continue;
                        if (conj_covers(&dnf->v[i], &dnf->v[j]))
                                gone[j] = true;
                }
        }
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
                if (!gone[i])
                        dnf->v[k++] = dnf->v[i];
        dnf->n = k;
        free(gone);
}

/* --- products --------------------------------------------------------------- */

/* *dnf = *out, absorbed; out's storage moves to dnf. */
static void dnf_replace(struct cond_dnf *dnf, struct cond_dnf *out)
{
        dnf_absorb(out);
        cond_dnf_done(dnf);
        *dnf = *out;
        *out = (struct cond_dnf){0};
}

/* dnf = dnf AND alts, where alts is a disjunction of conjunctions. */
static int dnf_and(struct cond_dnf *dnf, const struct cond_dnf *alts)
{
        struct cond_dnf out = {0};
        for (size_t i = 0; i < dnf->n; i++)
                for (size_t j = 0; j < alts->n; j++) {
                        struct cond_conj c = dnf->v[i];
                        bool ok = true;
                        for (int a = 0; a < POLICY_MAX_ARGS && ok; a++)
                                ok = arg_and(&c.args[a], &alts->v[j].args[a]);
                        if (!ok)
                                continue;
                        int r = dnf_push(&out, &c);
                        if (r == -E2BIG) {
                                /* Absorption may bring it back under the cap. */
                                dnf_absorb(&out);
                                r = dnf_push(&out, &c);
                        }
                        if (r < 0) {
                                cond_dnf_done(&out);
                                return r;
                        }
                }
        dnf_replace(dnf, &out);
        return 0;
}

static int alt_range(struct cond_dnf *alts, unsigned arg, uint64_t lo, uint64_t hi)
{
        struct cond_conj c = {0};
        if (lo > hi)
                return 0;
        c.args[arg] = (struct cond_arg){.has_range = true, .lo = lo, .hi = hi};
        return dnf_push(alts, &c);
}

static int alt_cube(struct cond_dnf *alts, unsigned arg, uint64_t mask, uint64_t val)
{
        struct cond_conj c = {0};
        if (val & ~mask)
                return 0; /* never true: contributes nothing */
        if (mask)
                c.args[arg] = (struct cond_arg){.has_cube = true, .mask = mask, .val = val};
        return dnf_push(alts, &c);
}

/*
 * The complement of cube(mask, val), as disjoint cubes: for each bit b of
 * mask from the top, "the bits above b agree with val, bit b does not".
 * Disjoint alternatives keep libseccomp's decision tree small.
 */
static int alt_not_cube(struct cond_dnf *alts, unsigned arg, uint64_t mask, uint64_t val)
{
        uint64_t above = 0;
        if (val & ~mask)
                return alt_cube(alts, arg, 0, 0); /* the cube is empty: complement is all */
        for (int b = 63; b >= 0; b--) {
                uint64_t bit = UINT64_C(1) << b;
                if (!(mask & bit))
                        continue;
                int r = alt_cube(alts, arg, above | bit, (val & above) | (~val & bit));
                if (r < 0)
                        return r;
                above |= bit;
        }
        return 0;
}

/* (x & mask) != 0 as disjoint cubes: the highest set bit of x & mask is b. */
static int alt_any_bits(struct cond_dnf *alts, unsigned arg, uint64_t mask)
{
        uint64_t above = 0;
        for (int b = 63; b >= 0; b--) {
                uint64_t bit = UINT64_C(1) << b;
                if (!(mask & bit))
                        continue;
                int r = alt_cube(alts, arg, above | bit, bit);
                if (r < 0)
                        return r;
                above |= bit;
        }
        return 0;
}

/*
 * lo..hi within the bits of `width` (all ones below some bit) as aligned
 * blocks, each a cube whose mask leaves the bits above `width` free.
 */
static int alt_blocks(struct cond_dnf *alts, unsigned arg, uint64_t lo, uint64_t hi, uint64_t width)
{
        while (lo <= hi) {
                uint64_t size = lo ? (lo & -lo) : (width == U64_MAX ? 0 : width + 1);
                /* size 0 stands for 2^64 */
                while (size != 1 && (size == 0 || size - 1 > hi - lo))
                        size = size ? size >> 1 : UINT64_C(1) << 63;
                uint64_t mask = width & ~(size - 1);
                int r = alt_cube(alts, arg, mask, lo & mask);
                if (r < 0)
                        return r;
                if (hi - lo == size - 1)
                        break; /* also covers size 0 and the end of the range */
                lo += size;
        }
        return 0;
}

static int alt_range_w(struct cond_dnf *alts, unsigned arg, uint64_t lo, uint64_t hi, bool low32)
{
        if (lo > hi)
                return 0;
        if (!low32)
                return alt_range(alts, arg, lo, hi);
        return alt_blocks(alts, arg, lo, hi, LOW32);
}

static enum policy_cmp_op negate_op(enum policy_cmp_op op)
{
        switch (op) {
        case POLICY_CMP_EQ:
                return POLICY_CMP_NE;
        case POLICY_CMP_NE:
                return POLICY_CMP_EQ;
        case POLICY_CMP_LT:
                return POLICY_CMP_GE;
        case POLICY_CMP_GE:
                return POLICY_CMP_LT;
        case POLICY_CMP_LE:
                return POLICY_CMP_GT;
        case POLICY_CMP_GT:
                return POLICY_CMP_LE;
        default:
                return op; /* bit tests are negated in cmp_alts() */
        }
}

/* The alternatives for one comparison (or its negation). */
static int cmp_alts(struct cond_dnf *alts, const struct policy_cmp *cmp, bool negate)
{
        unsigned arg = cmp->arg;
        uint64_t w = cmp->low32 ? LOW32 : U64_MAX;
        uint64_t v = cmp->value & w, v2 = cmp->value2 & w;
        uint64_t max = w;
        enum policy_cmp_op op = negate ? negate_op(cmp->op) : cmp->op;

        switch (op) {
        case POLICY_CMP_EQ:
                return cmp->low32 ? alt_cube(alts, arg, w, v) : alt_range(alts, arg, v, v);
        case POLICY_CMP_NE:
                if (cmp->low32)
                        return alt_not_cube(alts, arg, w, v);
                if (v > 0) {
                        int r = alt_range(alts, arg, 0, v - 1);
                        if (r < 0)
                                return r;
                }
                return v < max ? alt_range(alts, arg, v + 1, max) : 0;
        case POLICY_CMP_LT:
                return v == 0 ? 0 : alt_range_w(alts, arg, 0, v - 1, cmp->low32);
        case POLICY_CMP_LE:
                return alt_range_w(alts, arg, 0, v, cmp->low32);
        case POLICY_CMP_GT:
                return v == max ? 0 : alt_range_w(alts, arg, v + 1, max, cmp->low32);
        case POLICY_CMP_GE:
                return alt_range_w(alts, arg, v, max, cmp->low32);
        case POLICY_CMP_MASKED_EQ:
                /* (arg & value) == value2 */
                return negate ? alt_not_cube(alts, arg, v, v2) : alt_cube(alts, arg, v, v2);
        case POLICY_CMP_ANY_BITS:
                return negate ? alt_cube(alts, arg, v, 0) : alt_any_bits(alts, arg, v);
        case POLICY_CMP_IN:
                return negate ? alt_not_cube(alts, arg, ~v & w, 0) : alt_cube(alts, arg, ~v & w, 0);
        }
        return -EINVAL;
}

int cond_and_cmp(struct cond_dnf *dnf, const struct policy_cmp *cmp, bool negate)
{
        struct cond_dnf alts = {0};
        if (cmp->arg >= POLICY_MAX_ARGS)
                return -EINVAL;
        int r = cmp_alts(&alts, cmp, negate);
        if (r >= 0)
                r = dnf_and(dnf, &alts);
        cond_dnf_done(&alts);
        return r;
}

/* The alternatives of NOT(clause) = OR over its comparisons of NOT(cmp). */
static int clause_not_alts(struct cond_dnf *alts, const struct policy_clause *clause)
{
        for (size_t i = 0; i < clause->n_cmps; i++) {
                if (clause->cmps[i].arg >= POLICY_MAX_ARGS)
                        return -EINVAL;
                int r = cmp_alts(alts, &clause->cmps[i], true);
                if (r < 0)
                        return r;
        }
        return 0;
}

int cond_and_rule(struct cond_dnf *dnf, const struct policy_rule *rule, bool negate)
{
        if (rule->n_clauses == 0) {
                if (negate)
                        dnf->n = 0;
                return 0;
        }
        if (negate) {
                /* NOT(c1 OR c2 ...) = NOT c1 AND NOT c2 ... */
                for (size_t i = 0; i < rule->n_clauses && dnf->n > 0; i++) {
                        struct cond_dnf alts = {0};
                        int r = clause_not_alts(&alts, &rule->clauses[i]);
                        if (r >= 0)
                                r = dnf_and(dnf, &alts);
                        cond_dnf_done(&alts);
                        if (r < 0)
                                return r;
                }
                return 0;
        }
        /* dnf AND (c1 OR c2 ...) = OR over i of (dnf AND ci) */
        struct cond_dnf out = {0};
        for (size_t i = 0; i < rule->n_clauses; i++) {
                struct cond_dnf part = {0};
                int r = 0;
                for (size_t k = 0; k < dnf->n && r >= 0; k++)
                        r = dnf_push(&part, &dnf->v[k]);
                for (size_t j = 0; j < rule->clauses[i].n_cmps && r >= 0; j++)
                        r = cond_and_cmp(&part, &rule->clauses[i].cmps[j], false);
                /* Keep the alternatives disjoint: clause i only where no
                 * earlier clause holds. Overlapping rules make libseccomp's
                 * decision tree, and its run time, grow exponentially. */
                for (size_t k = 0; k < i && r >= 0 && part.n > 0; k++) {
                        struct cond_dnf alts = {0};
                        r = clause_not_alts(&alts, &rule->clauses[k]);
                        if (r >= 0)
                                r = dnf_and(&part, &alts);
                        cond_dnf_done(&alts);
                }
                for (size_t k = 0; k < part.n && r >= 0; k++)
                        r = dnf_push(&out, &part.v[k]);
                cond_dnf_done(&part);
                if (r < 0) {
                        cond_dnf_done(&out);
                        return r;
                }
        }
        dnf_replace(dnf, &out);
        return 0;
}

/* --- emission ------------------------------------------------------------------ */

/* Alternatives for one argument: a range splits into at most 2 * 64 aligned blocks. */
#define ARG_ALTS_MAX (2 * 64)

struct cmp_list {
        unsigned n;
        struct scmp_arg_cmp v[ARG_ALTS_MAX];
};

/* -E2BIG when the list is full: an alternative is never dropped. */
static int list_add(struct cmp_list *l, unsigned arg, enum scmp_compare op, uint64_t a, uint64_t b)
{
        if (l->n >= ARRAY_SIZE(l->v))
                return -E2BIG;
        l->v[l->n++] = (struct scmp_arg_cmp){.arg = arg, .op = op, .datum_a = a, .datum_b = b};
        return 0;
}

static int list_add_cube(struct cmp_list *l, unsigned arg, uint64_t mask, uint64_t val)
{
        if (mask == U64_MAX)
                return list_add(l, arg, SCMP_CMP_EQ, val, 0);
        return list_add(l, arg, SCMP_CMP_MASKED_EQ, mask, val);
}

/*
 * The comparisons for one argument, as alternatives with one comparison each.
 * n == 0 and *unconstrained: nothing to compare; n == 0 otherwise: impossible.
 * -E2BIG if the alternatives do not fit in the list.
 */
static int arg_split(const struct cond_arg *a, unsigned arg, struct cmp_list *l,
                     bool *unconstrained)
{
        uint64_t lo = a->has_range ? a->lo : 0, hi = a->has_range ? a->hi : U64_MAX;
        bool cube = a->has_cube && a->mask != 0;
        *unconstrained = false;
        l->n = 0;

        if (cube && lo != hi) {
                /* Is the cube already implied by the range? Values in lo..hi
                 * share the bits above the highest bit where lo and hi differ. */
                uint64_t diff = lo ^ hi;
                uint64_t varying = diff ? (U64_MAX >> __builtin_clzll(diff)) : 0;
                if (!(a->mask & varying) && (lo & a->mask) == a->val)
                        cube = false;
                else if (!(a->mask & varying))
                        return 0; /* contradiction */
        }
        if (lo == hi) {
                if (!cube || (lo & a->mask) == a->val)
                        return list_add(l, arg, SCMP_CMP_EQ, lo, 0);
                return 0;
        }
        bool full = lo == 0 && hi == U64_MAX;
        if (!cube) {
                if (full)
                        *unconstrained = true;
                else if (lo == 0)
                        return list_add(l, arg, SCMP_CMP_LE, hi, 0);
                else if (hi == U64_MAX)
                        return list_add(l, arg, SCMP_CMP_GE, lo, 0);
                else
                        goto blocks;
                return 0;
        }
        if (full)
                return list_add_cube(l, arg, a->mask, a->val);
blocks:
        /* Two bounds, or a range and a cube: aligned blocks of the range, each
         * ANDed with the cube. At most 2 * 64 blocks. */
        for (;;) {
                uint64_t size = lo ? (lo & -lo) : 0;
                while (size != 1 && (size == 0 || size - 1 > hi - lo))
                        size = size ? size >> 1 : UINT64_C(1) << 63;
                uint64_t mask = ~(size - 1), val = lo & mask;
                bool ok = true;
                if (cube) {
                        uint64_t both = mask & a->mask;
                        ok = (val & both) == (a->val & both);
                        mask |= a->mask;
                        val |= a->val;
                }
                if (ok) {
                        int r = list_add_cube(l, arg, mask, val);
                        if (r < 0)
                                return r;
                }
                if (hi - lo == size - 1)
                        return 0;
                lo += size;
        }
}

struct emit_state {
        cond_emit_fn emit;
        void *userdata;
        struct cmp_list lists[POLICY_MAX_ARGS];
        bool unconstrained[POLICY_MAX_ARGS];
        struct scmp_arg_cmp chosen[POLICY_MAX_ARGS];
        unsigned count;
};

static int emit_product(struct emit_state *s, unsigned arg, unsigned n)
{
        if (arg == POLICY_MAX_ARGS) {
                if (++s->count > COND_MAX_EMIT)
                        return -E2BIG;
                return s->emit(s->userdata, n, s->chosen);
        }
        if (s->unconstrained[arg])
                return emit_product(s, arg + 1, n);
        for (unsigned i = 0; i < s->lists[arg].n; i++) {
                s->chosen[n] = s->lists[arg].v[i];
                int r = emit_product(s, arg + 1, n + 1);
                if (r < 0)
                        return r;
        }
        return 0;
}

int cond_emit(const struct cond_dnf *dnf, cond_emit_fn emit, void *userdata, unsigned *count)
{
        struct emit_state *s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        s->emit = emit;
        s->userdata = userdata;
        s->count = *count;
        int r = 0;
        for (size_t i = 0; i < dnf->n && r >= 0; i++) {
                for (unsigned a = 0; a < POLICY_MAX_ARGS && r >= 0; a++)
                        r = arg_split(&dnf->v[i].args[a], a, &s->lists[a], &s->unconstrained[a]);
                if (r >= 0)
                        r = emit_product(s, 0, 0);
        }
        *count = s->count;
        free(s);
        return r;
}
