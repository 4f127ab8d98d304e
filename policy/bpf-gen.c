/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bpf-gen.c - the intermediate form straight to classic BPF, with the
 * meaning eval.c gives it and without libseccomp (which orders nothing, and
 * whose 2.5.4 miscompiles 64-bit ranges and can loop without end).
 *
 * Layout of a program:
 *     ld arch; jeq ARCH1 -> block1; jeq ARCH2 -> block2; ...; ret bad_arch
 *     block: ld nr; [x86_64: jset x32 bit -> x32's tree]; binary search
 *     over the syscall numbers, whose leaves are returns (a verdict that
 *     does not depend on the arguments: those paths never load an argument,
 *     so the kernel's action cache (5.11+) can learn them) or per-syscall
 *     rule chains: rule 1's condition -> its action, else rule 2 ... else the
 *     default. Conditions are ORs of ANDs of 64-bit comparisons, each done
 *     on the high and low words, every test after a load of the word it
 *     tests.
 *
 * The program is emitted backwards, from its last instruction to its first,
 * so every jump's target already has its place when the jump is written:
 * offsets are exact at once and a target more than 255 instructions away is
 * reached through a JA trampoline (or a copy of the return) placed right
 * after the jump, which later jumps to the same target reuse while they can.
 * Everything is walked once in sorted order: linear time, and the same
 * policy always gives the same program.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/audit.h>
#include <linux/seccomp.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "policy/bpf-gen.h"
#include "policy/compile.h"
#include "policy/eval.h"
#include "policy/ir.h"
#include "policy/syscalls.h"

#define MAX_JUMP   255 /* farthest jt/jf */
#define NONE       SIZE_MAX
#define LOW32      UINT64_C(0xffffffff)
#define OFF_NR     0
#define OFF_ARCH   4
#define OFF_ARG(i) (16 + 8 * (i))
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define OFF_LO 0
#define OFF_HI 4
#else
#define OFF_LO 4
#define OFF_HI 0
#endif

/* --- emitting backwards ------------------------------------------------------ */

struct gen {
        struct sock_filter *v; /* in reverse order */
        size_t n;
        bool too_big;
        size_t n_rets;
        uint32_t *ret_vals; /* distinct return values, sorted */
        size_t *ret_near;   /* per return value: latest copy, or NONE */
};

/*
 * A jump target. Positions count from the end of the program (the last
 * instruction is 0). `near` is the closest instruction that acts as the
 * target: the target itself or its latest trampoline.
 */
struct tgt {
        int ret_id; /* >= 0: a return of ret_vals[ret_id]; -1: code at `label` */
        size_t label;
        size_t near;
};

static void emit(struct gen *g, uint16_t code, uint32_t k, size_t jt, size_t jf)
{
        if (g->n >= BPF_MAXINSNS) {
                g->too_big = true;
                return;
        }
        g->v[g->n++] =
            (struct sock_filter){.code = code, .jt = (uint8_t)jt, .jf = (uint8_t)jf, .k = k};
}

static struct tgt here(const struct gen *g)
{
        size_t at = g->n ? g->n - 1 : 0;
        return (struct tgt){.ret_id = -1, .label = at, .near = at};
}

static struct tgt ret_tgt(int id)
{
        return (struct tgt){.ret_id = id};
}

/*
 * Where a jump about to be emitted can go for `t`. The jump may end up one
 * instruction further (the other branch's trampoline comes in between), hence
 * `n - near <= MAX_JUMP` rather than `n - near - 1`.
 */
static size_t reach(struct gen *g, struct tgt *t)
{
        if (t->ret_id >= 0) {
                size_t *near = &g->ret_near[t->ret_id];
                if (*near == NONE || g->n - *near > MAX_JUMP) {
                        /* A copy of the return costs what a trampoline would. */
                        emit(g, BPF_RET | BPF_K, g->ret_vals[t->ret_id], 0, 0);
                        *near = g->n - 1;
                }
                return *near;
        }
        if (g->n - t->near > MAX_JUMP) {
                emit(g, BPF_JMP | BPF_JA, (uint32_t)(g->n - t->label - 1), 0, 0);
                t->near = g->n - 1;
        }
        return t->near;
}

static void emit_jump(struct gen *g, uint16_t op, uint32_t k, struct tgt *t, struct tgt *f)
{
        size_t pt = reach(g, t);
        size_t pf = reach(g, f);
        emit(g, BPF_JMP | op | BPF_K, k, g->n - pt - 1, g->n - pf - 1);
}

static void emit_load(struct gen *g, uint32_t off)
{
        emit(g, BPF_LD | BPF_W | BPF_ABS, off, 0, 0);
}

/* --- comparisons ----------------------------------------------------------------- */

/* 1: holds for every argument, 0: for none, -1: depends. Exact, so folding it
 * changes no verdict. */
static int cmp_const(const struct policy_cmp *c)
{
        uint64_t w = c->low32 ? LOW32 : ~UINT64_C(0);
        uint64_t v = c->value & w, v2 = c->value2 & w;
        switch (c->op) {
        case POLICY_CMP_LT:
                return v == 0 ? 0 : -1;
        case POLICY_CMP_LE:
                return v == w ? 1 : -1;
        case POLICY_CMP_GT:
                return v == w ? 0 : -1;
        case POLICY_CMP_GE:
                return v == 0 ? 1 : -1;
        case POLICY_CMP_MASKED_EQ:
                if (v2 & ~v)
                        return 0;
                return v == 0 ? 1 : -1;
        case POLICY_CMP_ANY_BITS:
                return v == 0 ? 0 : -1;
        case POLICY_CMP_IN:
                return (~v & w) == 0 ? 1 : -1;
        case POLICY_CMP_EQ:
        case POLICY_CMP_NE:
                return -1;
        }
        return 0;
}

/* (arg & mask) == val on the words where the mask has bits, high word first. */
static struct tgt emit_masked(struct gen *g, unsigned arg, uint64_t mask, uint64_t val,
                              struct tgt *t, struct tgt *f)
{
        static const uint32_t offs[2] = {OFF_LO, OFF_HI};
        struct tgt next = *t;
        for (int w = 0; w < 2; w++) { /* backwards: low word first */
                uint32_t m = (uint32_t)(mask >> (32 * w)), x = (uint32_t)(val >> (32 * w));
                if (m == 0)
                        continue;
                emit_jump(g, BPF_JEQ, x, &next, f);
                if (m != UINT32_MAX)
                        emit(g, BPF_ALU | BPF_AND | BPF_K, m, 0, 0);
                emit_load(g, OFF_ARG(arg) + offs[w]);
                next = here(g);
        }
        return next;
}

/* (arg & mask) != 0. */
static struct tgt emit_any_bits(struct gen *g, unsigned arg, uint64_t mask, struct tgt *t,
                                struct tgt *f)
{
        static const uint32_t offs[2] = {OFF_LO, OFF_HI};
        struct tgt next = *f;
        for (int w = 0; w < 2; w++) {
                uint32_t m = (uint32_t)(mask >> (32 * w));
                if (m == 0)
                        continue;
                emit_jump(g, BPF_JSET, m, t, &next);
                emit_load(g, OFF_ARG(arg) + offs[w]);
                next = here(g);
        }
        return next;
}

/* arg == v over 64 bits. */
static struct tgt emit_eq64(struct gen *g, unsigned arg, uint64_t v, struct tgt *t, struct tgt *f)
{
        return emit_masked(g, arg, ~UINT64_C(0), v, t, f);
}

/* arg > v (JGT) or arg >= v (JGE) over 64 bits: the high words decide unless
 * they are equal. */
static struct tgt emit_order64(struct gen *g, unsigned arg, uint16_t op_lo, uint64_t v,
                               struct tgt *t, struct tgt *f)
{
        uint32_t hi = (uint32_t)(v >> 32);
        emit_jump(g, op_lo, (uint32_t)v, t, f);
        emit_load(g, OFF_ARG(arg) + OFF_LO);
        struct tgt lo = here(g);
        emit_jump(g, BPF_JEQ, hi, &lo, f);
        if (hi != UINT32_MAX) {
                struct tgt eq = here(g);
                emit_jump(g, BPF_JGT, hi, t, &eq);
        }
        emit_load(g, OFF_ARG(arg) + OFF_HI);
        return here(g);
}

/* One comparison of the low words only. */
static struct tgt emit_low32(struct gen *g, unsigned arg, uint16_t op, uint32_t v, struct tgt *t,
                             struct tgt *f)
{
        emit_jump(g, op, v, t, f);
        emit_load(g, OFF_ARG(arg) + OFF_LO);
        return here(g);
}

/* Code for one comparison that is not constant: entry returned. */
static struct tgt emit_cmp(struct gen *g, const struct policy_cmp *c, struct tgt *t, struct tgt *f)
{
        uint64_t w = c->low32 ? LOW32 : ~UINT64_C(0);
        uint64_t v = c->value & w;

        switch (c->op) {
        case POLICY_CMP_MASKED_EQ:
                return emit_masked(g, c->arg, v, c->value2 & w, t, f);
        case POLICY_CMP_IN:
                return emit_masked(g, c->arg, ~v & w, 0, t, f);
        case POLICY_CMP_ANY_BITS:
                return emit_any_bits(g, c->arg, v, t, f);
        default:
                break;
        }
        if (c->low32) {
                switch (c->op) {
                case POLICY_CMP_EQ:
                        return emit_low32(g, c->arg, BPF_JEQ, (uint32_t)v, t, f);
                case POLICY_CMP_NE:
                        return emit_low32(g, c->arg, BPF_JEQ, (uint32_t)v, f, t);
                case POLICY_CMP_GT:
                        return emit_low32(g, c->arg, BPF_JGT, (uint32_t)v, t, f);
                case POLICY_CMP_GE:
                        return emit_low32(g, c->arg, BPF_JGE, (uint32_t)v, t, f);
                case POLICY_CMP_LT:
                        return emit_low32(g, c->arg, BPF_JGE, (uint32_t)v, f, t);
                default: /* POLICY_CMP_LE */
                        return emit_low32(g, c->arg, BPF_JGT, (uint32_t)v, f, t);
                }
        }
        switch (c->op) {
        case POLICY_CMP_EQ:
                return emit_eq64(g, c->arg, v, t, f);
        case POLICY_CMP_NE:
                return emit_eq64(g, c->arg, v, f, t);
        case POLICY_CMP_GT:
                return emit_order64(g, c->arg, BPF_JGT, v, t, f);
        case POLICY_CMP_GE:
                return emit_order64(g, c->arg, BPF_JGE, v, t, f);
        case POLICY_CMP_LT:
                return emit_order64(g, c->arg, BPF_JGE, v, f, t);
        default: /* POLICY_CMP_LE */
                return emit_order64(g, c->arg, BPF_JGT, v, f, t);
        }
}

/* --- conditions and rules ------------------------------------------------------------ */

/* 1: every comparison holds always, 0: one never does, -1: depends. */
static int clause_const(const struct policy_clause *c)
{
        int all = 1;
        for (size_t j = 0; j < c->n_cmps; j++) {
                int k = cmp_const(&c->cmps[j]);
                if (k == 0)
                        return 0;
                if (k < 0)
                        all = -1;
        }
        return all;
}

/* 1: the rule always matches, 0: never, -1: depends on the arguments. */
static int rule_const(const struct policy_rule *rule)
{
        int any = 0;
        if (rule->n_clauses == 0)
                return 1;
        for (size_t k = 0; k < rule->n_clauses; k++) {
                int c = clause_const(&rule->clauses[k]);
                if (c == 1)
                        return 1;
                if (c < 0)
                        any = -1;
        }
        return any;
}

static struct tgt emit_clause(struct gen *g, const struct policy_clause *c, struct tgt *t,
                              struct tgt *f)
{
        struct tgt next = *t;
        for (size_t j = c->n_cmps; j-- > 0;) {
                if (cmp_const(&c->cmps[j]) == 1)
                        continue;
                next = emit_cmp(g, &c->cmps[j], &next, f);
        }
        return next;
}

/* Condition -> t, else f; the rule is neither always nor never matching. */
static struct tgt emit_condition(struct gen *g, const struct policy_rule *rule, struct tgt *t,
                                 struct tgt *f)
{
        struct tgt next = *f;
        for (size_t k = rule->n_clauses; k-- > 0;) {
                if (clause_const(&rule->clauses[k]) == 0)
                        continue;
                next = emit_clause(g, &rule->clauses[k], t, &next);
        }
        return next;
}

/* --- return values --------------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
        uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
        return x < y ? -1 : x > y;
}

static int ret_id(const struct gen *g, uint32_t value)
{
        uint32_t *p = bsearch(&value, g->ret_vals, g->n_rets, sizeof(uint32_t), cmp_u32);
        return p ? (int)(p - g->ret_vals) : -1;
}

static int collect_rets(struct gen *g, const struct sealexec_policy *policy)
{
        size_t n = 0;
        g->ret_vals = calloc(policy->n_rules + 3, sizeof(uint32_t));
        g->ret_near = calloc(policy->n_rules + 3, sizeof(size_t));
        if (!g->ret_vals || !g->ret_near)
                return -ENOMEM;
        g->ret_vals[n++] = policy_action_ret(&policy->default_action);
        g->ret_vals[n++] = policy_action_ret(&policy->bad_arch_action);
        g->ret_vals[n++] = SECCOMP_RET_ALLOW; /* the launch rule */
        for (size_t i = 0; i < policy->n_rules; i++)
                g->ret_vals[n++] = policy_action_ret(&policy->rules[i].action);
        qsort(g->ret_vals, n, sizeof(uint32_t), cmp_u32);
        size_t u = 0;
        for (size_t i = 0; i < n; i++)
                if (u == 0 || g->ret_vals[u - 1] != g->ret_vals[i])
                        g->ret_vals[u++] = g->ret_vals[i];
        g->n_rets = u;
        for (size_t i = 0; i < u; i++)
                g->ret_near[i] = NONE;
        return 0;
}

/* --- one syscall: its rules in order ------------------------------------------------ */

struct entry {
        uint32_t nr;
        size_t order; /* 0: the launch rule, i + 1: policy->rules[i] */
        const struct policy_rule *rule;
};

static int cmp_entry(const void *a, const void *b)
{
        const struct entry *x = a, *y = b;
        if (x->nr != y->nr)
                return x->nr < y->nr ? -1 : 1;
        return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * Drops what cannot change the outcome (rules that never match, everything
 * after one that always does, and at the end rules whose action is what
 * follows them anyway) and returns the fallback's return id. The rules
 * left, rules[0..*n), all depend on the arguments; none left means the
 * verdict does not.
 */
static int simplify(const struct gen *g, const struct sealexec_policy *policy,
                    const struct policy_rule **rules, size_t *n)
{
        size_t kept = 0;
        int fallback = ret_id(g, policy_action_ret(&policy->default_action));
        for (size_t i = 0; i < *n; i++) {
                int k = rule_const(rules[i]);
                if (k == 0)
                        continue;
                if (k == 1) {
                        fallback = ret_id(g, policy_action_ret(&rules[i]->action));
                        break;
                }
                rules[kept++] = rules[i];
        }
        while (kept > 0 && ret_id(g, policy_action_ret(&rules[kept - 1]->action)) == fallback)
                kept--;
        *n = kept;
        return fallback;
}

static struct tgt emit_rules(struct gen *g, const struct policy_rule **rules, size_t n,
                             int fallback)
{
        struct tgt next = ret_tgt(fallback);
        for (size_t k = n; k-- > 0;) {
                struct tgt t = ret_tgt(ret_id(g, policy_action_ret(&rules[k]->action)));
                next = emit_condition(g, rules[k], &t, &next);
        }
        return next;
}

/* --- one architecture: binary search over the numbers ---------------------------------- */

struct interval {
        uint32_t lo;
        struct tgt t;
};

struct arch_code {
        size_t n_entries;
        struct entry *entries;
        const struct policy_rule **rules; /* scratch */
        size_t n_iv;
        struct interval *iv;
};

static void arch_code_done(struct arch_code *a)
{
        free(a->entries);
        free(a->rules);
        free(a->iv);
        *a = (struct arch_code){0};
}

static void add_interval(struct arch_code *a, uint32_t lo, struct tgt t)
{
        /* Neighbours with the same argument-free verdict become one range. */
        if (a->n_iv > 0 && t.ret_id >= 0 && a->iv[a->n_iv - 1].t.ret_id == t.ret_id)
                return;
        a->iv[a->n_iv++] = (struct interval){.lo = lo, .t = t};
}

/* Emits the rule chains of the syscalls that need one and builds the
 * intervals over all 2^32 numbers. */
static void emit_syscalls(struct gen *g, const struct sealexec_policy *policy, struct arch_code *a)
{
        int deflt = ret_id(g, policy_action_ret(&policy->default_action));
        uint64_t next_nr = 0;
        for (size_t i = 0; i < a->n_entries;) {
                uint32_t nr = a->entries[i].nr;
                size_t n = 0;
                for (; i < a->n_entries && a->entries[i].nr == nr; i++)
                        a->rules[n++] = a->entries[i].rule;
                int fallback = simplify(g, policy, a->rules, &n);
                if (nr > next_nr)
                        add_interval(a, (uint32_t)next_nr, ret_tgt(deflt));
                add_interval(a, nr,
                             n == 0 ? ret_tgt(fallback) : emit_rules(g, a->rules, n, fallback));
                next_nr = (uint64_t)nr + 1;
        }
        if (next_nr <= UINT32_MAX)
                add_interval(a, (uint32_t)next_nr, ret_tgt(deflt));
}

static struct tgt emit_tree(struct gen *g, struct interval *iv, size_t lo, size_t hi)
{
        if (lo == hi)
                return iv[lo].t;
        size_t mid = lo + (hi - lo + 1) / 2;
        struct tgt right = emit_tree(g, iv, mid, hi);
        struct tgt left = emit_tree(g, iv, lo, mid - 1);
        emit_jump(g, BPF_JGE, iv[mid].lo, &right, &left);
        return here(g);
}

/*
 * Sorts by number, keeping the policy's order within one number. The numbers
 * of one architecture are dense, so a counting sort (linear, and stable) does
 * it; far-apart numbers fall back to qsort on (number, order).
 */
static int sort_entries(struct entry *v, size_t n)
{
        if (n < 2)
                return 0;
        uint32_t lo = v[0].nr, hi = v[0].nr;
        for (size_t i = 1; i < n; i++) {
                lo = v[i].nr < lo ? v[i].nr : lo;
                hi = v[i].nr > hi ? v[i].nr : hi;
        }
        size_t span = (size_t)(hi - lo) + 1;
        if (span > 8 * n + 4096) {
                qsort(v, n, sizeof(*v), cmp_entry);
                return 0;
        }
        _cleanup_free_ size_t *start = calloc(span + 1, sizeof(size_t));
        _cleanup_free_ struct entry *out = malloc(n * sizeof(*out));
        if (!start || !out)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                start[v[i].nr - lo + 1]++;
        for (size_t k = 1; k <= span; k++)
                start[k] += start[k - 1];
        for (size_t i = 0; i < n; i++)
                out[start[v[i].nr - lo]++] = v[i];
        memcpy(v, out, n * sizeof(*v));
        return 0;
}

static int collect_entries(const struct sealexec_policy *policy,
                           const struct policy_compile_ctx *ctx, uint32_t arch,
                           const struct policy_rule *launch, struct arch_code *a,
                           sealexec_error *err)
{
        size_t n = policy->n_rules + 1;
        _cleanup_free_ int *nrs = calloc(n, sizeof(int));
        a->entries = calloc(n, sizeof(*a->entries));
        a->rules = calloc(n, sizeof(*a->rules));
        a->iv = calloc(2 * n + 1, sizeof(*a->iv));
        if (!nrs || !a->entries || !a->rules || !a->iv)
                return se_oom(err, "policy compile");
        int r = policy_rule_numbers(policy, arch, nrs, err);
        if (r < 0)
                return r;
        int exec_nr = policy_syscall_resolve_real("execveat", arch);
        if (launch && exec_nr >= 0)
                a->entries[a->n_entries++] =
                    (struct entry){.nr = (uint32_t)exec_nr, .order = 0, .rule = launch};
        for (size_t i = 0; i < policy->n_rules; i++)
                if (nrs[i] >= 0 && policy_rule_applies(&policy->rules[i], ctx))
                        a->entries[a->n_entries++] = (struct entry){
                            .nr = (uint32_t)nrs[i], .order = i + 1, .rule = &policy->rules[i]};
        return sort_entries(a->entries, a->n_entries) < 0 ? se_oom(err, "policy compile") : 0;
}

/* The code of one architecture, entered with nothing loaded; it loads the
 * number itself (or is a plain return when nothing depends on it). */
static int emit_arch(struct gen *g, const struct sealexec_policy *policy,
                     const struct policy_compile_ctx *ctx, uint32_t arch,
                     const struct policy_rule *launch, struct tgt *ret_entry, sealexec_error *err)
{
        struct arch_code a = {0};
        int r = collect_entries(policy, ctx, arch, launch, &a, err);
        if (r >= 0) {
                emit_syscalls(g, policy, &a);
                *ret_entry = emit_tree(g, a.iv, 0, a.n_iv - 1);
        }
        arch_code_done(&a);
        return r;
}

/* --- architectures ---------------------------------------------------------------- */

static bool listed(const uint32_t *arches, size_t n, uint32_t arch)
{
        for (size_t i = 0; i < n; i++)
                if (arches[i] == arch)
                        return true;
        return false;
}

static struct tgt emit_load_nr(struct gen *g, struct tgt entry)
{
        if (entry.ret_id >= 0) /* nothing to dispatch */
                return entry;
        if (entry.label != g->n - 1)
                emit(g, BPF_JMP | BPF_JA, (uint32_t)(g->n - entry.label - 1), 0, 0);
        emit_load(g, OFF_NR);
        return here(g);
}

/*
 * x86_64 and x32 share AUDIT_ARCH_X86_64 and are told apart by the x32 bit
 * in the number (-1, "no syscall", stays x86_64's, as in libseccomp).
 */
static int emit_x86_64_family(struct gen *g, const struct sealexec_policy *policy,
                              const struct policy_compile_ctx *ctx, const uint32_t *arches,
                              size_t n_arches, const struct policy_rule *launch,
                              struct tgt *ret_entry, sealexec_error *err)
{
        int bad = ret_id(g, policy_action_ret(&policy->bad_arch_action));
        bool has64 = listed(arches, n_arches, SCMP_ARCH_X86_64);
        struct tgt x32 = ret_tgt(bad), x64 = ret_tgt(bad);
        int r = 0;
        if (listed(arches, n_arches, SCMP_ARCH_X32))
                r = emit_arch(g, policy, ctx, SCMP_ARCH_X32, launch, &x32, err);
        if (r >= 0 && has64)
                r = emit_arch(g, policy, ctx, SCMP_ARCH_X86_64, launch, &x64, err);
        if (r < 0)
                return r;
        emit_jump(g, BPF_JSET, POLICY_X32_SYSCALL_BIT, &x32, &x64);
        if (has64) {
                struct tgt jset = here(g);
                emit_jump(g, BPF_JEQ, UINT32_MAX, &x64, &jset);
        }
        emit_load(g, OFF_NR);
        *ret_entry = here(g);
        return 0;
}

static uint32_t audit_arch_of(uint32_t scmp_arch)
{
        return scmp_arch == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : scmp_arch;
}

static int emit_program(struct gen *g, const struct sealexec_policy *policy,
                        const struct policy_compile_ctx *ctx, const struct policy_rule *launch,
                        sealexec_error *err)
{
        uint32_t arches[POLICY_MAX_ARCHES], audit[POLICY_MAX_ARCHES];
        struct tgt entries[POLICY_MAX_ARCHES];
        size_t n_arches, n_fam = 0;
        int r = policy_listed_arches(policy, arches, &n_arches, err);
        if (r < 0)
                return r;
        /* One block per audit arch, in the policy's order. */
        for (size_t i = 0; i < n_arches; i++) {
                uint32_t aa = audit_arch_of(arches[i]);
                bool seen = false;
                for (size_t j = 0; j < n_fam; j++)
                        seen |= audit[j] == aa;
                if (!seen)
                        audit[n_fam++] = aa;
        }
        /* Backwards: the last block first. */
        for (size_t f = n_fam; f-- > 0 && r >= 0;) {
                if (audit[f] == AUDIT_ARCH_X86_64) {
                        r = emit_x86_64_family(g, policy, ctx, arches, n_arches, launch,
                                               &entries[f], err);
                        continue;
                }
                r = emit_arch(g, policy, ctx, audit[f], launch, &entries[f], err);
                if (r >= 0)
                        entries[f] = emit_load_nr(g, entries[f]);
        }
        if (r < 0)
                return r;
        struct tgt next = ret_tgt(ret_id(g, policy_action_ret(&policy->bad_arch_action)));
        for (size_t f = n_fam; f-- > 0;) {
                emit_jump(g, BPF_JEQ, audit[f], &entries[f], &next);
                next = here(g);
        }
        emit_load(g, OFF_ARCH);
        return 0;
}

static int check_flags(const struct sealexec_policy *policy, sealexec_error *err)
{
        uint32_t known =
            SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW;
        if (policy->filter_flags & ~known)
                return se_error(err, -EOPNOTSUPP, SEALEXEC_ERROR_REFUSED,
                                "policy compile: unsupported seccomp filter flags 0x%x",
                                policy->filter_flags & ~known);
        return 0;
}

static void gen_done(struct gen *g)
{
        free(g->v);
        free(g->ret_vals);
        free(g->ret_near);
}

int policy_bpf_generate(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                        struct sock_filter **ret_prog, size_t *ret_len, sealexec_error *err)
{
        _cleanup_(gen_done) struct gen g = {0};
        struct policy_rule launch;
        struct policy_clause launch_clause;
        struct policy_cmp launch_cmps[2];
        const char *name = policy->name ? policy->name : "?";

        if (policy->no_filter || policy->n_bpf > 0)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "policy '%s': %s, nothing to compile", name,
                                policy->no_filter ? "no filter" : "precompiled BPF");
        int r = check_flags(policy, err);
        if (r < 0)
                return r;
        g.v = malloc(BPF_MAXINSNS * sizeof(*g.v));
        if (!g.v || collect_rets(&g, policy) < 0)
                return se_oom(err, "policy compile");
        bool with_launch = policy_needs_launch_rule(policy, ctx);
        if (with_launch)
                policy_launch_rule(ctx->launch_fd, &launch, &launch_clause, launch_cmps);
        r = emit_program(&g, policy, ctx, with_launch ? &launch : NULL, err);
        if (r < 0)
                return r;
        if (g.too_big)
                return se_error(err, -E2BIG, SEALEXEC_ERROR_REFUSED,
                                "policy '%s': the compiled program has more than %d "
                                "instructions, the most the kernel accepts",
                                name, BPF_MAXINSNS);
        struct sock_filter *prog = malloc(g.n * sizeof(*prog));
        if (!prog)
                return se_oom(err, "policy compile");
        for (size_t i = 0; i < g.n; i++)
                prog[i] = g.v[g.n - 1 - i];
        *ret_prog = prog;
        *ret_len = g.n;
        return 0;
}
