/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Program vs interpreter, call by call (see equiv.h). */
#include "equiv.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/seccomp.h>

#include "bpf_sim.h"
#include "policy/compile.h"
#include "policy/eval.h"
#include "policy/syscalls.h"

#define LOW32       UINT64_C(0xffffffff)
#define MAX_VALUES  256
#define MAX_VECTORS 4096
#define NR_SPAN     600 /* every arch's numbers start below this (offset by its base) */

struct values {
        size_t n;
        uint64_t v[MAX_VALUES];
};

static void add_value(struct values *vs, uint64_t x)
{
        for (size_t i = 0; i < vs->n; i++)
                if (vs->v[i] == x)
                        return;
        if (vs->n < MAX_VALUES)
                vs->v[vs->n++] = x;
}

/* Around one value: off by one, other upper halves, sign extension. */
static void add_around(struct values *vs, uint64_t x)
{
        add_value(vs, x);
        add_value(vs, x - 1);
        add_value(vs, x + 1);
        add_value(vs, x & LOW32);
        add_value(vs, x | (LOW32 << 32));
        add_value(vs, x ^ (UINT64_C(1) << 32));
        add_value(vs, (uint64_t)(int64_t)(int32_t)x);
        add_value(vs, (x & LOW32) | UINT64_C(0x1234567800000000));
        add_value(vs, ((x & LOW32) - 1) & LOW32);
        add_value(vs, ((x & LOW32) + 1) & LOW32);
}

static void add_bits(struct values *vs, uint64_t mask, uint64_t base)
{
        add_value(vs, ~mask);
        add_value(vs, mask);
        for (int b = 0; b < 64; b++)
                if (mask & (UINT64_C(1) << b)) {
                        add_value(vs, UINT64_C(1) << b);
                        add_value(vs, base ^ (UINT64_C(1) << b));
                }
}

static void add_cmp_values(struct values *args, const struct policy_cmp *c)
{
        struct values *vs = &args[c->arg];
        add_around(vs, c->value);
        switch (c->op) {
        case POLICY_CMP_MASKED_EQ:
                add_around(vs, c->value2);
                add_bits(vs, c->value, c->value2);
                break;
        case POLICY_CMP_ANY_BITS:
        case POLICY_CMP_IN:
                add_bits(vs, c->value, 0);
                break;
        default:
                break;
        }
}

static void base_values(struct values *vs)
{
        static const uint64_t common[] = {0,
                                          1,
                                          ~UINT64_C(0),
                                          LOW32,
                                          UINT64_C(0x7fffffff),
                                          UINT64_C(0x80000000),
                                          UINT64_C(0x100000000),
                                          UINT64_C(0xffffffff00000000),
                                          UINT64_C(0x8000000000000000)};
        for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
                add_value(vs, common[i]);
}

/* --- one architecture -------------------------------------------------------- */

struct run {
        const struct sealexec_policy *policy;
        const struct policy_compile_ctx *ctx;
        const struct policy_eval *eval;
        const struct sock_filter *prog;
        size_t n;
        const char *label;
        unsigned max_print;
        unsigned flags;
        struct equiv_stats *st;
};

static void one_call(struct run *run, uint32_t audit_arch, int nr, const uint64_t args[6],
                     bool arg_free)
{
        struct bpf_sim_call call = {.nr = nr, .arch = audit_arch};
        struct bpf_sim_trace trace;
        memcpy(call.args, args, sizeof(call.args));
        if ((run->flags & EQUIV_KERNEL_INPUTS) && !(audit_arch & __AUDIT_ARCH_64BIT))
                for (int i = 0; i < 6; i++)
                        call.args[i] &= LOW32; /* a 32-bit arch's registers */
        int64_t got = bpf_sim_run_traced(run->prog, run->n, &call, &trace);
        struct policy_action a = policy_eval_call(run->eval, audit_arch, nr, call.args);
        uint32_t want = policy_action_ret(&a);
        run->st->calls++;
        if (got < 0) {
                run->st->malformed++;
                return;
        }
        if (arg_free && trace.arg_loads > 0)
                run->st->cache_leaks++;
        if ((uint32_t)got == want)
                return;
        if (run->st->mismatches++ < run->max_print)
                printf("%s: arch 0x%x nr %d args 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx: "
                       "program 0x%x, policy 0x%x\n",
                       run->label, audit_arch, nr, (unsigned long long)args[0],
                       (unsigned long long)args[1], (unsigned long long)args[2],
                       (unsigned long long)args[3], (unsigned long long)args[4],
                       (unsigned long long)args[5], (uint32_t)got, want);
}

static uint64_t xorshift(uint64_t *s)
{
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        return *s;
}

/* Every combination when there are few, else each value of each argument
 * against varying others, plus a fixed pseudo-random sample. */
static void arg_vectors(struct run *run, uint32_t audit_arch, int nr, struct values *vs,
                        bool arg_free)
{
        uint64_t args[6] = {0};
        size_t total = 1;
        for (int i = 0; i < 6; i++) {
                if (vs[i].n == 0)
                        add_value(&vs[i], 0);
                total = total > MAX_VECTORS ? total : total * vs[i].n;
        }
        if (total <= MAX_VECTORS) {
                for (size_t k = 0; k < total; k++) {
                        size_t rest = k;
                        for (int i = 0; i < 6; i++) {
                                args[i] = vs[i].v[rest % vs[i].n];
                                rest /= vs[i].n;
                        }
                        one_call(run, audit_arch, nr, args, arg_free);
                }
                return;
        }
        for (int i = 0; i < 6; i++)
                for (size_t k = 0; k < vs[i].n; k++)
                        for (size_t base = 0; base < 4; base++) {
                                for (int j = 0; j < 6; j++)
                                        args[j] = vs[j].v[(base * 7 + k * 3 + (size_t)j) % vs[j].n];
                                args[i] = vs[i].v[k];
                                one_call(run, audit_arch, nr, args, arg_free);
                        }
        uint64_t seed = 0x9e3779b97f4a7c15u ^ (uint64_t)nr;
        for (size_t k = 0; k < MAX_VECTORS / 4; k++) {
                for (int j = 0; j < 6; j++)
                        args[j] = vs[j].v[xorshift(&seed) % vs[j].n];
                one_call(run, audit_arch, nr, args, arg_free);
        }
}

static bool clause_empty(const struct policy_rule *rule)
{
        if (rule->n_clauses == 0)
                return true;
        for (size_t k = 0; k < rule->n_clauses; k++)
                if (rule->clauses[k].n_cmps == 0)
                        return true;
        return false;
}

/* The calls for one syscall number on one SCMP arch. */
static void check_nr(struct run *run, uint32_t audit_arch, const int *nrs, int exec_nr, int nr)
{
        const struct sealexec_policy *p = run->policy;
        struct values vs[6] = {0};
        bool launch = exec_nr >= 0 && nr == exec_nr && policy_needs_launch_rule(p, run->ctx);
        /* Argument-free by the IR alone: the first applicable rule is unconditional. */
        bool arg_free = !launch, decided = false;
        bool compared = launch; /* some rule for nr looks at an argument */

        for (size_t i = 0; nrs && i < p->n_rules; i++) {
                const struct policy_rule *rule = &p->rules[i];
                if (nrs[i] != nr)
                        continue;
                for (size_t k = 0; k < rule->n_clauses; k++)
                        for (size_t j = 0; j < rule->clauses[k].n_cmps; j++) {
                                add_cmp_values(vs, &rule->clauses[k].cmps[j]);
                                compared = true;
                        }
                if (decided || !policy_rule_applies(rule, run->ctx))
                        continue;
                if (clause_empty(rule))
                        decided = true;
                else
                        arg_free = false;
        }
        if (launch) {
                add_around(&vs[0], (uint64_t)run->ctx->launch_fd);
                add_around(&vs[4], POLICY_LAUNCH_FLAGS);
                add_around(&vs[4], AT_EMPTY_PATH);
        }
        if (!compared) {
                uint64_t zero[6] = {0}, ones[6],
                         mixed[6] = {1, LOW32, UINT64_C(1) << 32, 3, UINT64_C(0x8000000000000000),
                                     7};
                memset(ones, 0xff, sizeof(ones));
                one_call(run, audit_arch, nr, zero, arg_free);
                one_call(run, audit_arch, nr, ones, arg_free);
                one_call(run, audit_arch, nr, mixed, arg_free);
                return;
        }
        for (int i = 0; i < 6; i++)
                base_values(&vs[i]);
        arg_vectors(run, audit_arch, nr, vs, arg_free);
}

static int check_arch(struct run *run, uint32_t audit_arch, uint32_t scmp_arch, bool listed)
{
        const struct sealexec_policy *p = run->policy;
        int *nrs = NULL;
        int exec_nr = -1, hi = NR_SPAN;
        int base = scmp_arch == SCMP_ARCH_X32 ? (int)POLICY_X32_SYSCALL_BIT : 0;

        if (listed && p->n_rules > 0) {
                nrs = calloc(p->n_rules, sizeof(int));
                if (!nrs || policy_rule_numbers(p, scmp_arch, nrs, NULL) < 0) {
                        free(nrs);
                        return -EINVAL;
                }
                for (size_t i = 0; i < p->n_rules; i++)
                        if (nrs[i] >= 0 && nrs[i] - base > hi)
                                hi = nrs[i] - base;
        }
        if (listed)
                exec_nr = policy_syscall_resolve_real("execveat", scmp_arch);
        /* Where an arch's numbers start: mips o32 at 4000, n64 at 5000, ... */
        int lo = base;
        if (nrs) {
                int min = -1;
                for (size_t i = 0; i < p->n_rules; i++)
                        if (nrs[i] >= 0 && (min < 0 || nrs[i] < min))
                                min = nrs[i];
                if (min > base + NR_SPAN)
                        lo = min - min % 1000;
        }
        for (int nr = lo; nr <= base + hi + 64; nr++)
                check_nr(run, audit_arch, nrs, exec_nr, nr);
        free(nrs);
        return 0;
}

/* Numbers no syscall has, and the x32 boundary, for an audit arch. */
static void check_odd_numbers(struct run *run, uint32_t audit_arch)
{
        if (run->flags & EQUIV_KERNEL_INPUTS)
                return;
        static const uint32_t odd[] = {0xffffffff, 0x7fffffff, 0x80000000, 0xbfffffff,
                                       0xc0000000, 0x3fffffff, 0x40000000, 0xfffffffe,
                                       0x4fffffff, 0x40001000, 0x1000,     0x10000};
        for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
                check_nr(run, audit_arch, NULL, -1, (int)odd[i]);
}

static bool kernel_cacheable(const struct sock_filter *ins)
{
        switch (ins->code) {
        case BPF_LD | BPF_W | BPF_ABS:
        case BPF_RET | BPF_K:
        case BPF_JMP | BPF_JA:
        case BPF_JMP | BPF_JEQ | BPF_K:
        case BPF_JMP | BPF_JGE | BPF_K:
        case BPF_JMP | BPF_JGT | BPF_K:
        case BPF_JMP | BPF_JSET | BPF_K:
        case BPF_ALU | BPF_AND | BPF_K:
                return true;
        default:
                return false;
        }
}

int equiv_check(const struct sealexec_policy *policy, const struct policy_compile_ctx *ctx,
                const struct sock_filter *prog, size_t n, const char *label, unsigned max_print,
                unsigned flags, struct equiv_stats *ret_stats)
{
        static const uint32_t foreign_candidates[] = {AUDIT_ARCH_AARCH64, AUDIT_ARCH_S390X,
                                                      AUDIT_ARCH_PPC64LE};
        struct equiv_stats st = {0};
        struct policy_eval *eval = NULL;
        uint32_t arches[POLICY_MAX_ARCHES];
        size_t n_arches;
        sealexec_error err = {0};

        int r = policy_eval_new(policy, ctx, &eval, &err);
        if (r < 0) {
                printf("%s: interpreter refused: %s\n", label, err.message);
                return r;
        }
        r = policy_listed_arches(policy, arches, &n_arches, &err);
        if (r < 0) {
                policy_eval_free(eval);
                return r;
        }
        for (size_t i = 0; i < n; i++)
                st.bad_insns += !kernel_cacheable(&prog[i]);
        struct run run = {policy, ctx, eval, prog, n, label, max_print, flags, &st};
        bool x32 = false, x64 = false;
        for (size_t i = 0; i < n_arches && r >= 0; i++) {
                uint32_t audit = arches[i] == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : arches[i];
                x32 |= arches[i] == SCMP_ARCH_X32;
                x64 |= arches[i] == SCMP_ARCH_X86_64;
                r = check_arch(&run, audit, arches[i], true);
                check_odd_numbers(&run, audit);
        }
        /* The half of x86_64's numbers of an x86_64/x32 pair that is not listed. */
        if (r >= 0 && x64 && !x32)
                r = check_arch(&run, AUDIT_ARCH_X86_64, SCMP_ARCH_X32, false);
        if (r >= 0 && x32 && !x64)
                r = check_arch(&run, AUDIT_ARCH_X86_64, SCMP_ARCH_X86_64, false);
        for (size_t f = 0; r >= 0 && f < sizeof(foreign_candidates) / sizeof(uint32_t); f++) {
                bool is_listed = false;
                for (size_t i = 0; i < n_arches; i++)
                        is_listed |= arches[i] == foreign_candidates[f];
                if (is_listed)
                        continue;
                r = check_arch(&run, foreign_candidates[f], foreign_candidates[f], false);
                check_odd_numbers(&run, foreign_candidates[f]);
                break;
        }
        policy_eval_free(eval);
        if (r < 0)
                return r;
        *ret_stats = st;
        return 0;
}

size_t equiv_cap_sets(const struct sealexec_policy *policy, uint64_t *ret_sets)
{
        uint64_t named = 0;
        size_t n = 0;
        for (size_t i = 0; i < policy->n_rules; i++)
                named |= policy->rules[i].caps_required | policy->rules[i].caps_excluded;
        ret_sets[n++] = 0;
        if (named == 0)
                return n;
        ret_sets[n++] = ~UINT64_C(0);
        for (int b = 0; b < 64; b++)
                if (named & (UINT64_C(1) << b)) {
                        ret_sets[n++] = UINT64_C(1) << b;
                        ret_sets[n++] = ~(UINT64_C(1) << b);
                }
        return n;
}

/* --- libseccomp, in a child with a deadline -------------------------------------- */

static bool read_full(int fd, void *buf, size_t len)
{
        char *p = buf;
        while (len > 0) {
                ssize_t k = read(fd, p, len);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        return false;
                p += k;
                len -= (size_t)k;
        }
        return true;
}

static _Noreturn void libseccomp_child(int fd, const struct sealexec_policy *policy,
                                       const struct policy_compile_ctx *ctx, unsigned seconds)
{
        void *prog = NULL;
        size_t n = 0;
        alarm(seconds);
        int32_t head[2] = {0, 0};
        head[0] =
            policy_compile_bpf_backend(policy, ctx, POLICY_BACKEND_LIBSECCOMP, &prog, &n, NULL);
        head[1] = head[0] < 0 ? 0 : (int32_t)n;
        bool ok = write(fd, head, sizeof(head)) == sizeof(head);
        if (ok && head[1] > 0)
                ok = write(fd, prog, n * sizeof(struct sock_filter)) ==
                     (ssize_t)(n * sizeof(struct sock_filter));
        _exit(ok ? 0 : 1);
}

int equiv_compile_libseccomp(const struct sealexec_policy *policy,
                             const struct policy_compile_ctx *ctx, unsigned seconds,
                             struct sock_filter **ret_prog, size_t *ret_len)
{
        int pfd[2];
        if (pipe2(pfd, O_CLOEXEC) < 0)
                return -errno;
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                close(pfd[0]);
                libseccomp_child(pfd[1], policy, ctx, seconds);
        }
        close(pfd[1]);
        int32_t head[2];
        int r = -ETIMEDOUT;
        struct sock_filter *prog = NULL;
        if (read_full(pfd[0], head, sizeof(head))) {
                r = head[0] < 0 ? head[0] : 0;
                if (r == 0 && (head[1] <= 0 || head[1] > BPF_MAXINSNS))
                        r = -EIO;
                if (r == 0) {
                        prog = calloc((size_t)head[1], sizeof(*prog));
                        if (!prog || !read_full(pfd[0], prog, (size_t)head[1] * sizeof(*prog)))
                                r = -EIO;
                }
        }
        close(pfd[0]);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        if (r < 0) {
                free(prog);
                return r;
        }
        *ret_prog = prog;
        *ret_len = (size_t)head[1];
        return 0;
}
