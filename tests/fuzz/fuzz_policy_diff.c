/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Differential fuzzer for the policy compiler.
 *
 * From the input bytes it builds a small struct sealexec_policy through
 * policy_new()/policy_add_rule() (a few syscalls, every comparison operator,
 * low32 or not, values around the 32-bit boundaries and sign extension,
 * several actions, capability conditions, a random default action), compiles
 * it with sealexec's generator (policy_compile_bpf(), policy/bpf-gen.c), and
 * runs the program in the BPF interpreter of the unit tests for many
 * syscalls derived from the input. Each verdict must equal the interpreter's
 * (policy_eval_call(), policy/eval.c), and that one must equal a second,
 * independent reading of the intermediate form here that follows policy.h
 * and nothing else:
 *   - another architecture gets bad_arch_action;
 *   - the launch rule: execveat whose fd (arg 0) and flags (arg 4), as ints,
 *     are launch_fd and exactly AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW (the
 *     launch's own flags, POLICY_LAUNCH_FLAGS in policy/ir.h) is allowed;
 *   - otherwise the first rule for the syscall whose capability conditions
 *     hold and whose condition (OR of ANDs) matches decides;
 *   - otherwise default_action.
 * A comparison with low32 set looks only at the low 32 bits of the argument
 * and of the values ("the low 32 bits satisfy the comparison", cond.c).
 * Any disagreement aborts with both verdicts and the policy printed.
 *
 * libseccomp's program is checked too, but only where libseccomp is right:
 * for policies whose comparisons are all equalities or masks (2.5.4 gets
 * 64-bit ranges and != wrong), compiled in a child with a deadline (it can
 * loop without end), for one input in 16.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "bpf_sim.h"
#include "eval.h"
#include "policy.h"

#define MAX_RULES   8
#define MAX_CLAUSES 3
#define MAX_CMPS    3
#define MAX_CALLS   48
#define LOW32       UINT64_C(0xffffffff)
#define LAUNCH_FD   3

static const struct {
        const char *name;
        int nr;
} syscalls[] = {
    {"read", __NR_read},         {"write", __NR_write},   {"openat", __NR_openat},
    {"ioctl", __NR_ioctl},       {"mmap", __NR_mmap},     {"fcntl", __NR_fcntl},
    {"kill", __NR_kill},         {"socket", __NR_socket}, {"prctl", __NR_prctl},
    {"execveat", __NR_execveat},
};
#define N_SYSCALLS (sizeof(syscalls) / sizeof(syscalls[0]))

/* Values where comparisons are most likely to go wrong. */
static const uint64_t interesting[] = {
    0,
    1,
    2,
    3,
    0x80,
    0xff,
    AT_EMPTY_PATH,
    AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
    0x5412,
    0x7fffffff,
    0x80000000,
    0xfffffffe,
    0xffffffff,
    UINT64_C(0x100000000),
    UINT64_C(0x1ffffffff),
    UINT64_C(0x7fffffffffffffff),
    UINT64_C(0x8000000000000000),
    UINT64_C(0xffffffff00000000),
    UINT64_C(0xffffffff80000000),
    UINT64_C(0xffffffff00005412),
    UINT64_C(0x1234567800005412),
    UINT64_C(0xfffffffffffffffe),
    UINT64_C(0xffffffffffffffff),
};
#define N_INTERESTING (sizeof(interesting) / sizeof(interesting[0]))

/* --- reading the input ----------------------------------------------------- */

struct input {
        const uint8_t *data;
        size_t size, pos;
};

static uint8_t next_byte(struct input *in)
{
        return in->pos < in->size ? in->data[in->pos++] : 0;
}

static uint64_t next_u64(struct input *in, unsigned bytes)
{
        uint64_t v = 0;
        for (unsigned i = 0; i < bytes; i++)
                v = v << 8 | next_byte(in);
        return v;
}

static uint64_t next_value(struct input *in)
{
        uint8_t kind = next_byte(in);
        switch (kind % 8) {
        case 0:
                return next_byte(in);
        case 1:
                return (uint64_t)(int64_t)(int32_t)next_u64(in, 4); /* sign-extended int */
        case 2:
                return next_u64(in, 8);
        case 3:
                return UINT64_C(1) << (next_byte(in) % 64);
        default:
                return interesting[next_byte(in) % N_INTERESTING];
        }
}

static struct policy_action next_action(struct input *in)
{
        static const uint32_t errnos[] = {1, 13, 38, 4095};
        uint8_t b = next_byte(in);
        struct policy_action a = {0};
        switch (b % 10) {
        case 0:
        case 1:
        case 2:
                a.kind = POLICY_ACT_ALLOW;
                break;
        case 3:
        case 4:
                a.kind = POLICY_ACT_ERRNO;
                a.data = errnos[(b / 10) % 4];
                break;
        case 5:
                a.kind = POLICY_ACT_KILL_PROCESS;
                break;
        case 6:
                a.kind = POLICY_ACT_KILL_THREAD;
                break;
        case 7:
                a.kind = POLICY_ACT_TRAP;
                break;
        case 8:
                a.kind = POLICY_ACT_TRACE;
                a.data = b / 10;
                break;
        default:
                a.kind = POLICY_ACT_LOG;
                break;
        }
        return a;
}

/* --- the policy ---------------------------------------------------------------- */

struct built {
        struct sealexec_policy *policy;
        struct policy_compile_ctx ctx;
        int nrs[MAX_RULES]; /* the syscall number of each rule */
        size_t n_values;
        uint64_t values[MAX_RULES * MAX_CLAUSES * MAX_CMPS * 2];
};

static struct policy_cmp next_cmp(struct input *in, struct built *b)
{
        uint8_t x = next_byte(in);
        struct policy_cmp c = {
            .arg = x % 6 < 4 ? x % 3 : x % 6, /* mostly the first three args */
            .op = (enum policy_cmp_op)(next_byte(in) % (POLICY_CMP_IN + 1)),
            .low32 = (x >> 4) & 1,
        };
        c.value = next_value(in);
        if (c.op == POLICY_CMP_MASKED_EQ)
                c.value2 = (x >> 5) & 1 ? next_value(in) & c.value : next_value(in);
        b->values[b->n_values++] = c.value;
        b->values[b->n_values++] = c.value2;
        return c;
}

static int build_policy(struct input *in, struct built *b)
{
        int r = policy_new("fuzz", &b->policy, NULL);
        if (r < 0)
                return r;
        uint8_t head = next_byte(in);
        b->policy->default_action = next_action(in);
        if (head & 1)
                b->policy->bad_arch_action = next_action(in);
        b->ctx.launch_fd = (head & 2) ? LAUNCH_FD : -1;
        b->ctx.kept_caps = (head >> 2) & 3; /* capabilities 0 and 1 */
        size_t n_rules = 1 + next_byte(in) % MAX_RULES;

        for (size_t i = 0; i < n_rules; i++) {
                struct policy_clause clauses[MAX_CLAUSES];
                struct policy_cmp cmps[MAX_CLAUSES][MAX_CMPS];
                uint8_t shape = next_byte(in);
                unsigned sc = next_byte(in) % N_SYSCALLS;
                struct policy_rule rule = {
                    .syscall_name = (char *)syscalls[sc].name,
                    .action = next_action(in),
                    .n_clauses = shape % (MAX_CLAUSES + 1),
                    .clauses = clauses,
                    .origin = {.line = (unsigned)i + 1, .col = 1},
                };
                if ((shape & 0x30) == 0x30) {
                        uint8_t caps = next_byte(in);
                        rule.caps_required = caps & 3;
                        rule.caps_excluded = (caps >> 2) & 3;
                }
                for (size_t k = 0; k < rule.n_clauses; k++) {
                        /* Now and then an empty clause: true, like no condition. */
                        size_t n = next_byte(in) % (MAX_CMPS + 1);
                        if (n == 0 && (shape & 0x40) == 0)
                                n = 1;
                        for (size_t j = 0; j < n; j++)
                                cmps[k][j] = next_cmp(in, b);
                        clauses[k] = (struct policy_clause){.n_cmps = n, .cmps = cmps[k]};
                }
                b->nrs[i] = syscalls[sc].nr;
                r = policy_add_rule(b->policy, &rule, NULL);
                if (r < 0) {
                        fprintf(stderr, "policy_add_rule refused a valid rule: %d\n", r);
                        abort();
                }
        }
        return 0;
}

/* --- the reference ---------------------------------------------------------- */

static bool cmp_holds(const struct policy_cmp *c, const uint64_t args[6])
{
        uint64_t w = c->low32 ? LOW32 : ~UINT64_C(0);
        uint64_t a = args[c->arg] & w, v = c->value & w, v2 = c->value2 & w;
        switch (c->op) {
        case POLICY_CMP_EQ:
                return a == v;
        case POLICY_CMP_NE:
                return a != v;
        case POLICY_CMP_LT:
                return a < v;
        case POLICY_CMP_LE:
                return a <= v;
        case POLICY_CMP_GT:
                return a > v;
        case POLICY_CMP_GE:
                return a >= v;
        case POLICY_CMP_MASKED_EQ:
                return (a & v) == v2;
        case POLICY_CMP_ANY_BITS:
                return (a & v) != 0;
        case POLICY_CMP_IN:
                return (a & ~v) == 0;
        }
        abort();
}

static bool rule_matches(const struct policy_rule *rule, const uint64_t args[6])
{
        if (rule->n_clauses == 0)
                return true;
        for (size_t k = 0; k < rule->n_clauses; k++) {
                bool all = true;
                for (size_t j = 0; j < rule->clauses[k].n_cmps && all; j++)
                        all = cmp_holds(&rule->clauses[k].cmps[j], args);
                if (all)
                        return true;
        }
        return false;
}

static uint32_t ret_value(const struct policy_action *a)
{
        switch (a->kind) {
        case POLICY_ACT_ALLOW:
                return SECCOMP_RET_ALLOW;
        case POLICY_ACT_ERRNO:
                return SECCOMP_RET_ERRNO | (a->data & SECCOMP_RET_DATA);
        case POLICY_ACT_KILL_PROCESS:
                return SECCOMP_RET_KILL_PROCESS;
        case POLICY_ACT_KILL_THREAD:
                return SECCOMP_RET_KILL_THREAD;
        case POLICY_ACT_TRAP:
                return SECCOMP_RET_TRAP;
        case POLICY_ACT_TRACE:
                return SECCOMP_RET_TRACE | (a->data & SECCOMP_RET_DATA);
        case POLICY_ACT_LOG:
                return SECCOMP_RET_LOG;
        case POLICY_ACT_USER_NOTIF:
                return SECCOMP_RET_USER_NOTIF;
        }
        abort();
}

static uint32_t reference(const struct built *b, const struct bpf_sim_call *call)
{
        const struct sealexec_policy *p = b->policy;
        if (call->arch != seccomp_arch_native())
                return ret_value(&p->bad_arch_action);
        if (b->ctx.launch_fd >= 0 && call->nr == __NR_execveat &&
            (uint32_t)call->args[0] == (uint32_t)b->ctx.launch_fd &&
            (uint32_t)call->args[4] == (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
                return SECCOMP_RET_ALLOW;
        for (size_t i = 0; i < p->n_rules; i++) {
                const struct policy_rule *rule = &p->rules[i];
                if (b->nrs[i] != call->nr)
                        continue;
                if ((rule->caps_required & ~b->ctx.kept_caps) ||
                    (rule->caps_excluded & b->ctx.kept_caps))
                        continue;
                if (rule_matches(rule, call->args))
                        return ret_value(&rule->action);
        }
        return ret_value(&p->default_action);
}

/* --- calls ------------------------------------------------------------------- */

/* A value near one the policy compares with: equal, off by one, or with
 * another upper half (zero, sign extension, garbage). */
static uint64_t near(struct input *in, const struct built *b)
{
        if (b->n_values == 0)
                return next_value(in);
        uint8_t x = next_byte(in);
        uint64_t v = b->values[next_byte(in) % b->n_values];
        switch (x % 8) {
        case 0:
                return v + 1;
        case 1:
                return v - 1;
        case 2:
                return v & LOW32;
        case 3:
                return (uint64_t)(int64_t)(int32_t)v;
        case 4:
                return (v & LOW32) | next_u64(in, 4) << 32;
        case 5:
                return v ^ (UINT64_C(1) << (next_byte(in) % 64));
        default:
                return v;
        }
}

static void next_call(struct input *in, const struct built *b, struct bpf_sim_call *call)
{
        uint8_t x = next_byte(in);
        memset(call, 0, sizeof(*call));
        call->arch = seccomp_arch_native();
        if (x == 0xff)
                call->arch = call->arch == AUDIT_ARCH_I386 ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_I386;
        if (x % 16 == 15)
                call->nr = next_byte(in); /* any number, mostly not in the policy */
        else if (x % 2 == 0 && b->policy->n_rules > 0)
                call->nr = b->nrs[next_byte(in) % b->policy->n_rules];
        else
                call->nr = syscalls[next_byte(in) % N_SYSCALLS].nr;
        uint8_t which = next_byte(in);
        for (unsigned a = 0; a < 6; a++) {
                if (!(which & (1u << a)))
                        call->args[a] = 0;
                else if (x & 0x10)
                        call->args[a] = next_value(in);
                else
                        call->args[a] = near(in, b);
        }
        if (call->nr == __NR_execveat && (x & 0x60) == 0x60) {
                /* The launch itself, with any upper halves. */
                call->args[0] =
                    (uint64_t)LAUNCH_FD | (which & 0x40 ? UINT64_C(0xffffffff) << 32 : 0);
                /* Mostly the launch's exact flags; sometimes AT_EMPTY_PATH alone,
                 * which must not pass as the launch. */
                uint64_t flags = (x & 0x80) ? AT_EMPTY_PATH : AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW;
                call->args[4] = flags | (which & 0x80 ? UINT64_C(1) << 40 : 0);
        }
}

/* --- reporting ---------------------------------------------------------------- */

static void dump_policy(const struct built *b)
{
        static const char *ops[] = {"==", "!=", "<", "<=", ">", ">=", "masked==", "&", "in"};
        char buf[64];
        const struct sealexec_policy *p = b->policy;
        fprintf(stderr, "policy: default %s",
                policy_action_name(&p->default_action, buf, sizeof(buf)));
        fprintf(stderr, ", bad arch %s, launch_fd %d, kept_caps 0x%llx\n",
                policy_action_name(&p->bad_arch_action, buf, sizeof(buf)), b->ctx.launch_fd,
                (unsigned long long)b->ctx.kept_caps);
        for (size_t i = 0; i < p->n_rules; i++) {
                const struct policy_rule *r = &p->rules[i];
                fprintf(stderr, "  %zu: %s (nr %d) -> %s caps +0x%llx -0x%llx:", i, r->syscall_name,
                        b->nrs[i], policy_action_name(&r->action, buf, sizeof(buf)),
                        (unsigned long long)r->caps_required, (unsigned long long)r->caps_excluded);
                if (r->n_clauses == 0)
                        fprintf(stderr, " always");
                for (size_t k = 0; k < r->n_clauses; k++) {
                        fprintf(stderr, "%s(", k ? " || " : " ");
                        if (r->clauses[k].n_cmps == 0)
                                fprintf(stderr, "true");
                        for (size_t j = 0; j < r->clauses[k].n_cmps; j++) {
                                const struct policy_cmp *c = &r->clauses[k].cmps[j];
                                fprintf(stderr, "%sarg%u%s %s 0x%llx", j ? " && " : "", c->arg,
                                        c->low32 ? "(low32)" : "", ops[c->op],
                                        (unsigned long long)c->value);
                                if (c->op == POLICY_CMP_MASKED_EQ)
                                        fprintf(stderr, " == 0x%llx",
                                                (unsigned long long)c->value2);
                        }
                        fprintf(stderr, ")");
                }
                fprintf(stderr, "\n");
        }
}

static void disagree(const struct built *b, const struct bpf_sim_call *call, int64_t got,
                     uint32_t want)
{
        dump_policy(b);
        fprintf(stderr, "call: arch 0x%x nr %d args", call->arch, call->nr);
        for (int a = 0; a < 6; a++)
                fprintf(stderr, " 0x%llx", (unsigned long long)call->args[a]);
        fprintf(stderr, "\nBPF says 0x%llx, the policy says 0x%x\n", (unsigned long long)got, want);
        abort();
}

/* --- libseccomp, where it is right ---------------------------------------------- */

static bool libseccomp_can(const struct sealexec_policy *p)
{
        for (size_t i = 0; i < p->n_rules; i++)
                for (size_t k = 0; k < p->rules[i].n_clauses; k++)
                        for (size_t j = 0; j < p->rules[i].clauses[k].n_cmps; j++) {
                                enum policy_cmp_op op = p->rules[i].clauses[k].cmps[j].op;
                                if (op != POLICY_CMP_EQ && op != POLICY_CMP_MASKED_EQ)
                                        return false;
                        }
        return p->n_rules <= 3;
}

static bool read_full(int fd, void *buf, size_t len)
{
        char *q = buf;
        while (len > 0) {
                ssize_t k = read(fd, q, len);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        return false;
                q += k;
                len -= (size_t)k;
        }
        return true;
}

/* libseccomp's program, from a child killed after 2 s; false if none. */
static bool libseccomp_program(const struct built *b, struct sock_filter **ret, size_t *ret_len)
{
        int pfd[2];
        if (pipe(pfd) < 0)
                return false;
        pid_t pid = fork();
        if (pid < 0) {
                close(pfd[0]);
                close(pfd[1]);
                return false;
        }
        if (pid == 0) {
                void *prog = NULL;
                size_t n = 0;
                close(pfd[0]);
                alarm(2);
                uint32_t len = 0;
                if (policy_compile_bpf_backend(b->policy, &b->ctx, POLICY_BACKEND_LIBSECCOMP, &prog,
                                               &n, NULL) == 0)
                        len = (uint32_t)n;
                bool ok = write(pfd[1], &len, sizeof(len)) == sizeof(len) &&
                          (len == 0 || write(pfd[1], prog, n * sizeof(struct sock_filter)) ==
                                           (ssize_t)(n * sizeof(struct sock_filter)));
                _exit(ok ? 0 : 1);
        }
        close(pfd[1]);
        uint32_t len = 0;
        struct sock_filter *prog = NULL;
        bool ok = read_full(pfd[0], &len, sizeof(len)) && len > 0 && len <= BPF_MAXINSNS &&
                  (prog = calloc(len, sizeof(*prog))) != NULL &&
                  read_full(pfd[0], prog, len * sizeof(*prog));
        close(pfd[0]);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        if (!ok) {
                free(prog);
                return false;
        }
        *ret = prog;
        *ret_len = len;
        return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct input in = {.data = data, .size = size};
        struct built b = {0};
        struct policy_eval *eval = NULL;
        struct sock_filter *theirs = NULL;
        size_t n_theirs = 0;
        void *prog = NULL;
        size_t len = 0;

        if (build_policy(&in, &b) < 0)
                return 0;
        /* sealexec's generator takes every policy these rules make. */
        sealexec_error err = {0};
        if (policy_compile_bpf(b.policy, &b.ctx, &prog, &len, &err) < 0) {
                dump_policy(&b);
                fprintf(stderr, "the generator refused a valid policy: %s\n", err.message);
                abort();
        }
        if (policy_eval_new(b.policy, &b.ctx, &eval, &err) < 0) {
                dump_policy(&b);
                fprintf(stderr, "the interpreter refused a valid policy: %s\n", err.message);
                abort();
        }
        bool with_libseccomp = size > 0 && data[0] % 16 == 7 && libseccomp_can(b.policy) &&
                               libseccomp_program(&b, &theirs, &n_theirs);
        for (unsigned i = 0; i < MAX_CALLS && (i < 4 || in.pos < in.size); i++) {
                struct bpf_sim_call call;
                next_call(&in, &b, &call);
                struct policy_action a = policy_eval_call(eval, call.arch, call.nr, call.args);
                uint32_t want = reference(&b, &call);
                if (policy_action_ret(&a) != want) {
                        fprintf(stderr, "the interpreter (policy/eval.c) disagrees:\n");
                        disagree(&b, &call, policy_action_ret(&a), want);
                }
                int64_t got = bpf_sim_run(prog, len, &call);
                if (got != (int64_t)want)
                        disagree(&b, &call, got, want);
                if (with_libseccomp && (got = bpf_sim_run(theirs, n_theirs, &call)) != want) {
                        fprintf(stderr, "libseccomp's program (backend libseccomp):\n");
                        disagree(&b, &call, got, want);
                }
        }
        free(theirs);
        policy_eval_free(eval);
        free(prog);
        sealexec_policy_free(b.policy);
        return 0;
}
