/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Compiling programmatic policies: first match wins, every comparison kind
 * and its negation, low32, capabilities, architectures, the launch rule, and
 * the limit on condition size. Verdicts come from the BPF interpreter.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>

#include "core_helpers.h"

static struct sealexec_policy *new_policy(void)
{
        struct sealexec_policy *p = NULL;
        assert_int_equal(policy_new("test", &p, NULL), 0);
        return p;
}

static uint32_t v1(const struct compiled *c, int nr, uint64_t a0)
{
        return verdict_arch(c, NATIVE_AUDIT_ARCH, nr, a0, 0, 0, 0, 0);
}

static void first_match_wins(void **state)
{
        struct sealexec_policy *p = new_policy();
        struct policy_cmp eq3 = cmp(0, POLICY_CMP_EQ, 3, 0, false);
        struct policy_cmp lt10 = cmp(0, POLICY_CMP_LT, 10, 0, false);
        add_rule(p, "read", act(POLICY_ACT_ERRNO, 1), 1, &eq3);
        add_rule(p, "read", act(POLICY_ACT_ALLOW, 0), 1, &lt10);
        add_rule(p, "read", act(POLICY_ACT_ERRNO, 2), 0, NULL);
        struct compiled c = compile_ctx(p, -1, 0);

        assert_int_equal(v1(&c, SYS_read, 3), RET_ERRNO(1));
        assert_int_equal(v1(&c, SYS_read, 0), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_read, 2), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_read, 4), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_read, 9), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_read, 10), RET_ERRNO(2));
        /* read's fd is an unsigned int: the kernel reads 0x100000003 as 3. */
        assert_int_equal(v1(&c, SYS_read, UINT64_C(0x100000003)), RET_ERRNO(1));
        assert_int_equal(v1(&c, SYS_read, UINT64_C(0x10000000a)), RET_ERRNO(2));
        assert_int_equal(v1(&c, SYS_write, 3), RET_KILL_PROCESS);
        free(c.prog);
        sealexec_policy_free(p);
}

static void first_match_two_args(void **state)
{
        struct sealexec_policy *p = new_policy();
        struct policy_cmp both[] = {cmp(0, POLICY_CMP_EQ, 1, 0, false),
                                    cmp(1, POLICY_CMP_EQ, 2, 0, false)};
        add_rule(p, "write", act(POLICY_ACT_ERRNO, EPERM), 2, both);
        add_rule(p, "write", act(POLICY_ACT_ALLOW, 0), 1, both);
        struct compiled c = compile_ctx(p, -1, 0);

        assert_int_equal(verdict(&c, SYS_write, 1, 2, 0, 0, 0), RET_ERRNO(EPERM));
        assert_int_equal(verdict(&c, SYS_write, 1, 3, 0, 0, 0), RET_ALLOW);
        assert_int_equal(verdict(&c, SYS_write, 1, 0, 0, 0, 0), RET_ALLOW);
        assert_int_equal(verdict(&c, SYS_write, 2, 2, 0, 0, 0), RET_KILL_PROCESS);
        free(c.prog);
        sealexec_policy_free(p);
}

/* A rule with two clauses (OR), shadowed in part by an earlier rule. */
static void first_match_or(void **state)
{
        struct sealexec_policy *p = new_policy();
        struct policy_cmp a = cmp(0, POLICY_CMP_EQ, 1, 0, false);
        struct policy_cmp b = cmp(0, POLICY_CMP_EQ, 2, 0, false);
        struct policy_clause clauses[] = {{1, &a}, {1, &b}};
        struct policy_rule rule = {.syscall_name = (char *)"close",
                                   .action = act(POLICY_ACT_ALLOW, 0),
                                   .n_clauses = 2,
                                   .clauses = clauses};
        add_rule(p, "close", act(POLICY_ACT_ERRNO, 5), 1, &b);
        assert_int_equal(policy_add_rule(p, &rule, NULL), 0);
        struct compiled c = compile_ctx(p, -1, 0);

        assert_int_equal(v1(&c, SYS_close, 1), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_close, 2), RET_ERRNO(5));
        assert_int_equal(v1(&c, SYS_close, 3), RET_KILL_PROCESS);
        free(c.prog);
        sealexec_policy_free(p);
}

static void any_bits_and_negation(void **state)
{
        struct sealexec_policy *p = new_policy();
        struct policy_cmp exec = cmp(2, POLICY_CMP_ANY_BITS, 0x4, 0, false);
        add_rule(p, "mmap", act(POLICY_ACT_ERRNO, EPERM), 1, &exec);
        add_rule(p, "mmap", act(POLICY_ACT_ALLOW, 0), 0, NULL);
        struct compiled c = compile_ctx(p, -1, 0);

        assert_int_equal(verdict(&c, SYS_mmap, 0, 0, 0x5, 0, 0), RET_ERRNO(EPERM));
        assert_int_equal(verdict(&c, SYS_mmap, 0, 0, 0x4, 0, 0), RET_ERRNO(EPERM));
        assert_int_equal(verdict(&c, SYS_mmap, 0, 0, 0x3, 0, 0), RET_ALLOW);
        assert_int_equal(verdict(&c, SYS_mmap, 0, 0, 0, 0, 0), RET_ALLOW);
        free(c.prog);
        sealexec_policy_free(p);
}

static void in_and_negation(void **state)
{
        struct sealexec_policy *p = new_policy();
        struct policy_cmp in = cmp(2, POLICY_CMP_IN, 0x3, 0, false);
        add_rule(p, "mprotect", act(POLICY_ACT_ALLOW, 0), 1, &in);
        add_rule(p, "mprotect", act(POLICY_ACT_ERRNO, EACCES), 0, NULL);
        struct compiled c = compile_ctx(p, -1, 0);

        for (uint64_t prot = 0; prot < 4; prot++)
                assert_int_equal(verdict(&c, SYS_mprotect, 0, 0, prot, 0, 0), RET_ALLOW);
        assert_int_equal(verdict(&c, SYS_mprotect, 0, 0, 4, 0, 0), RET_ERRNO(EACCES));
        assert_int_equal(verdict(&c, SYS_mprotect, 0, 0, 7, 0, 0), RET_ERRNO(EACCES));
        assert_int_equal(verdict(&c, SYS_mprotect, 0, 0, UINT64_C(1) << 40, 0, 0),
                         RET_ERRNO(EACCES));
        free(c.prog);
        sealexec_policy_free(p);
}

static void masked_eq_and_negation(void **state)
{
        struct sealexec_policy *p = new_policy();
        struct policy_cmp m = cmp(0, POLICY_CMP_MASKED_EQ, 0xf0, 0x30, false);
        add_rule(p, "dup", act(POLICY_ACT_ERRNO, 9), 1, &m);
        add_rule(p, "dup", act(POLICY_ACT_ALLOW, 0), 0, NULL);
        add_rule(p, "dup2", act(POLICY_ACT_ALLOW, 0), 1, &m);
        struct compiled c = compile_ctx(p, -1, 0);

        assert_int_equal(v1(&c, SYS_dup, 0x35), RET_ERRNO(9));
        assert_int_equal(v1(&c, SYS_dup, 0x130), RET_ERRNO(9));
        assert_int_equal(v1(&c, SYS_dup, 0x45), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_dup, 0x20), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_dup2, 0x3f), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_dup2, 0x4f), RET_KILL_PROCESS);
        free(c.prog);
        sealexec_policy_free(p);
}

/* Each ordered operator, alone and negated by an earlier rule. */
static void ordered_ops(void **state)
{
        static const struct {
                enum policy_cmp_op op;
                bool at9, at10, at11;
        } cases[] = {
            {POLICY_CMP_NE, true, false, true}, {POLICY_CMP_LT, true, false, false},
            {POLICY_CMP_LE, true, true, false}, {POLICY_CMP_GT, false, false, true},
            {POLICY_CMP_GE, false, true, true}, {POLICY_CMP_EQ, false, true, false},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct sealexec_policy *p = new_policy();
                struct policy_cmp x = cmp(1, cases[i].op, 10, 0, false);
                /* alone: allow if it holds */
                add_rule(p, "lseek", act(POLICY_ACT_ALLOW, 0), 1, &x);
                /* negated: errno if it holds, else allow */
                add_rule(p, "fsync", act(POLICY_ACT_ERRNO, 1), 1, &x);
                add_rule(p, "fsync", act(POLICY_ACT_ALLOW, 0), 0, NULL);
                struct compiled c = compile_ctx(p, -1, 0);
                const bool expect[] = {cases[i].at9, cases[i].at10, cases[i].at11};
                for (int k = 0; k < 3; k++) {
                        uint64_t a1 = 9 + (uint64_t)k;
                        assert_int_equal(verdict(&c, SYS_lseek, 0, a1, 0, 0, 0),
                                         expect[k] ? RET_ALLOW : RET_KILL_PROCESS);
                        assert_int_equal(verdict(&c, SYS_fsync, 0, a1, 0, 0, 0),
                                         expect[k] ? RET_ERRNO(1) : RET_ALLOW);
                }
                free(c.prog);
                sealexec_policy_free(p);
        }
}

/* Two bounds on one argument: libseccomp takes one comparison per argument. */
static void range_on_one_argument(void **state)
{
        struct sealexec_policy *p = new_policy();
        struct policy_cmp range[] = {cmp(0, POLICY_CMP_GE, 100, 0, false),
                                     cmp(0, POLICY_CMP_LE, 200, 0, false)};
        add_rule(p, "getpriority", act(POLICY_ACT_ALLOW, 0), 2, range);
        struct compiled c = compile_ctx(p, -1, 0);
        assert_int_equal(v1(&c, SYS_getpriority, 99), RET_KILL_PROCESS);
        assert_int_equal(v1(&c, SYS_getpriority, 100), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_getpriority, 150), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_getpriority, 200), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_getpriority, 201), RET_KILL_PROCESS);
        free(c.prog);
        sealexec_policy_free(p);
}

static void low32_negative(void **state)
{
        struct sealexec_policy *p = new_policy();
        struct policy_cmp minus1 = cmp(0, POLICY_CMP_EQ, UINT64_MAX, 0, true);
        struct policy_cmp below5 = cmp(0, POLICY_CMP_LT, 5, 0, true);
        struct policy_cmp not7 = cmp(0, POLICY_CMP_NE, 7, 0, true);
        add_rule(p, "fchdir", act(POLICY_ACT_ALLOW, 0), 1, &minus1);
        add_rule(p, "fchmod", act(POLICY_ACT_ALLOW, 0), 1, &below5);
        add_rule(p, "fsync", act(POLICY_ACT_ALLOW, 0), 1, &not7);
        struct compiled c = compile_ctx(p, -1, 0);

        /* -1 as a C int, zero- or sign-extended */
        assert_int_equal(v1(&c, SYS_fchdir, 0xffffffff), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_fchdir, UINT64_MAX), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_fchdir, 0xfffffffe), RET_KILL_PROCESS);
        assert_int_equal(v1(&c, SYS_fchdir, 1), RET_KILL_PROCESS);
        /* only the low 32 bits count, as for the kernel */
        assert_int_equal(v1(&c, SYS_fchmod, 3), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_fchmod, UINT64_C(0xffffffff00000003)), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_fchmod, 5), RET_KILL_PROCESS);
        assert_int_equal(v1(&c, SYS_fchmod, UINT64_MAX), RET_KILL_PROCESS);
        assert_int_equal(v1(&c, SYS_fsync, 7), RET_KILL_PROCESS);
        assert_int_equal(v1(&c, SYS_fsync, UINT64_C(0x500000007)), RET_KILL_PROCESS);
        assert_int_equal(v1(&c, SYS_fsync, 8), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_fsync, UINT64_C(0x100000000)), RET_ALLOW);
        free(c.prog);
        sealexec_policy_free(p);
}

static void caps_required_and_excluded(void **state)
{
        struct sealexec_policy *p = new_policy();
        struct policy_rule chroot_rule = {.syscall_name = (char *)"chroot",
                                          .action = act(POLICY_ACT_ALLOW, 0),
                                          .caps_required = UINT64_C(1) << 18 /* SYS_CHROOT */};
        struct policy_rule sethostname_rule = {.syscall_name = (char *)"sethostname",
                                               .action = act(POLICY_ACT_ERRNO, EPERM),
                                               .caps_excluded = UINT64_C(1) << 21 /* SYS_ADMIN */};
        assert_int_equal(policy_add_rule(p, &chroot_rule, NULL), 0);
        assert_int_equal(policy_add_rule(p, &sethostname_rule, NULL), 0);
        add_rule(p, "sethostname", act(POLICY_ACT_ALLOW, 0), 0, NULL);

        struct compiled none = compile_ctx(p, -1, 0);
        assert_int_equal(v1(&none, SYS_chroot, 0), RET_KILL_PROCESS);
        assert_int_equal(v1(&none, SYS_sethostname, 0), RET_ERRNO(EPERM));
        struct compiled chroot_cap = compile_ctx(p, -1, UINT64_C(1) << 18);
        assert_int_equal(v1(&chroot_cap, SYS_chroot, 0), RET_ALLOW);
        struct compiled admin = compile_ctx(p, -1, UINT64_C(1) << 21);
        assert_int_equal(v1(&admin, SYS_chroot, 0), RET_KILL_PROCESS);
        assert_int_equal(v1(&admin, SYS_sethostname, 0), RET_ALLOW);
        free(none.prog);
        free(chroot_cap.prog);
        free(admin.prog);
        sealexec_policy_free(p);
}

#ifdef __x86_64__
static void multiple_arches(void **state)
{
        struct sealexec_policy *p = new_policy();
        assert_int_equal(policy_add_arch(p, SCMP_ARCH_X86_64, NULL), 0);
        assert_int_equal(policy_add_arch(p, SCMP_ARCH_X86, NULL), 0);
        add_rule(p, "getpid", act(POLICY_ACT_ALLOW, 0), 0, NULL);
        add_rule(p, "arch_prctl", act(POLICY_ACT_ALLOW, 0), 0, NULL);
        add_rule(p, "mseal", act(POLICY_ACT_ALLOW, 0), 0, NULL);
        struct compiled c = compile_ctx(p, -1, 0);

        assert_int_equal(v1(&c, SYS_getpid, 0), RET_ALLOW);
        assert_int_equal(verdict_arch(&c, AUDIT_ARCH_I386, 20 /* getpid */, 0, 0, 0, 0, 0),
                         RET_ALLOW);
        assert_int_equal(verdict_arch(&c, AUDIT_ARCH_I386, 19 /* lseek */, 0, 0, 0, 0, 0),
                         RET_KILL_PROCESS);
        assert_int_equal(verdict_arch(&c, AUDIT_ARCH_I386, 384 /* arch_prctl */, 0, 0, 0, 0, 0),
                         RET_ALLOW);
        /* mseal comes from sealexec's own table: native filter only. */
        assert_int_equal(v1(&c, 462, 0), RET_ALLOW);
        assert_int_equal(verdict_arch(&c, AUDIT_ARCH_I386, 462, 0, 0, 0, 0, 0), RET_KILL_PROCESS);
        assert_int_equal(verdict_arch(&c, AUDIT_ARCH_AARCH64, 172, 0, 0, 0, 0, 0),
                         RET_KILL_PROCESS);
        free(c.prog);
        sealexec_policy_free(p);
}

static void arches_without_native_refused(void **state)
{
        struct sealexec_policy *p = new_policy();
        sealexec_error err = {0};
        void *prog;
        size_t n;
        struct policy_compile_ctx ctx = {.launch_fd = -1};
        assert_int_equal(policy_add_arch(p, SCMP_ARCH_AARCH64, NULL), 0);
        add_rule(p, "getpid", act(POLICY_ACT_ALLOW, 0), 0, NULL);
        assert_int_equal(policy_compile_bpf(p, &ctx, &prog, &n, &err), -EINVAL);
        assert_non_null(strstr(err.message, "architecture"));
        sealexec_policy_free(p);
}
#endif

static void mseal_by_number(void **state)
{
        struct sealexec_policy *p = new_policy();
        add_rule(p, "mseal", act(POLICY_ACT_ALLOW, 0), 0, NULL);
        add_rule(p, "statmount", act(POLICY_ACT_ERRNO, EPERM), 0, NULL);
        assert_int_equal(policy_syscall_resolve("mseal", SCMP_ARCH_NATIVE), 462);
        assert_int_equal(policy_syscall_resolve("no_such_syscall", SCMP_ARCH_NATIVE), -ENOENT);
        struct compiled c = compile_ctx(p, -1, 0);
        assert_int_equal(v1(&c, 462, 0), RET_ALLOW);
        assert_int_equal(v1(&c, 457, 0), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, 461, 0), RET_KILL_PROCESS);
        free(c.prog);
        sealexec_policy_free(p);
}

static void unknown_name_refused(void **state)
{
        struct sealexec_policy *p = new_policy();
        sealexec_error err = {0};
        void *prog;
        size_t n;
        struct policy_compile_ctx ctx = {.launch_fd = -1};
        add_rule(p, "no_such_syscall", act(POLICY_ACT_ALLOW, 0), 0, NULL);
        assert_int_equal(policy_compile_bpf(p, &ctx, &prog, &n, &err), -EINVAL);
        assert_string_equal(err.message, "test.policy:7:1: unknown syscall 'no_such_syscall'");
        sealexec_policy_free(p);
}

static void launch_rule(void **state)
{
        struct sealexec_policy *p = new_policy();
        add_rule(p, "exit_group", act(POLICY_ACT_ALLOW, 0), 0, NULL);
        struct compiled c = compile_ctx(p, 7, 0);
        assert_int_equal(verdict(&c, SYS_execveat, 7, 0, 0, 0, POLICY_LAUNCH_FLAGS), RET_ALLOW);
        assert_int_equal(
            verdict(&c, SYS_execveat, UINT64_C(0xffffffff00000007), 0, 0, 0, POLICY_LAUNCH_FLAGS),
            RET_ALLOW);
        assert_int_equal(verdict(&c, SYS_execveat, 8, 0, 0, 0, POLICY_LAUNCH_FLAGS), RET_KILL_PROCESS);
        assert_int_equal(verdict(&c, SYS_execveat, 7, 0, 0, 0, 0), RET_KILL_PROCESS);
        /* Exactly the launch's flags: AT_EMPTY_PATH alone (a path may follow a magic link)
         * or more flags are not the launch. */
        assert_int_equal(verdict(&c, SYS_execveat, 7, 0, 0, 0, AT_EMPTY_PATH), RET_KILL_PROCESS);
        assert_int_equal(verdict(&c, SYS_execveat, 7, 0, 0, 0, POLICY_LAUNCH_FLAGS | 0x400),
                         RET_KILL_PROCESS);
        assert_int_equal(verdict(&c, SYS_execve, 0, 0, 0, 0, 0), RET_KILL_PROCESS);
        free(c.prog);

        /* Without a launch fd there is no launch rule. */
        c = compile_ctx(p, -1, 0);
        assert_int_equal(verdict(&c, SYS_execveat, 7, 0, 0, 0, POLICY_LAUNCH_FLAGS),
                         RET_KILL_PROCESS);
        free(c.prog);
        sealexec_policy_free(p);
}

/* The launch rule comes first, before the policy's own execveat rules. */
static void launch_rule_before_policy_rules(void **state)
{
        struct sealexec_policy *p = new_policy();
        add_rule(p, "execveat", act(POLICY_ACT_ERRNO, EPERM), 0, NULL);
        struct compiled c = compile_ctx(p, 3, 0);
        assert_int_equal(verdict(&c, SYS_execveat, 3, 0, 0, 0, POLICY_LAUNCH_FLAGS), RET_ALLOW);
        assert_int_equal(verdict(&c, SYS_execveat, 4, 0, 0, 0, POLICY_LAUNCH_FLAGS),
                         RET_ERRNO(EPERM));
        free(c.prog);
        sealexec_policy_free(p);
}

/*
 * Three 32-bit "any bit" tests ANDed: libseccomp's backend must expand them
 * into 32^3 alternatives and refuses, naming the rule; sealexec's generator
 * tests them as they are written.
 */
static void condition_too_complex(void **state)
{
        struct sealexec_policy *p = new_policy();
        struct policy_cmp bits[] = {cmp(0, POLICY_CMP_ANY_BITS, 0xffffffff, 0, false),
                                    cmp(1, POLICY_CMP_ANY_BITS, 0xffffffff, 0, false),
                                    cmp(2, POLICY_CMP_ANY_BITS, 0xffffffff, 0, false)};
        sealexec_error err = {0};
        void *prog;
        size_t n;
        struct policy_compile_ctx ctx = {.launch_fd = -1};
        add_rule(p, "read", act(POLICY_ACT_ALLOW, 0), 3, bits);
        assert_int_equal(
            policy_compile_bpf_backend(p, &ctx, POLICY_BACKEND_LIBSECCOMP, &prog, &n, &err),
            -E2BIG);
        assert_non_null(strstr(err.message, "test.policy:7:1: 'read': condition too complex"));

        struct compiled c = compile_ctx(p, -1, 0);
        assert_true(c.n < 40);
        assert_int_equal(verdict(&c, SYS_read, 1, 2, 4, 0, 0), RET_ALLOW);
        assert_int_equal(verdict(&c, SYS_read, 1, 2, UINT64_C(1) << 40, 0, 0), RET_KILL_PROCESS);
        assert_int_equal(verdict(&c, SYS_read, 0, 2, 4, 0, 0), RET_KILL_PROCESS);
        free(c.prog);
        sealexec_policy_free(p);
}

static void flags_and_actions(void **state)
{
        struct sealexec_policy *p = new_policy();
        p->default_action = act(POLICY_ACT_ERRNO, ENOSYS);
        p->bad_arch_action = act(POLICY_ACT_KILL_THREAD, 0);
        p->filter_flags = SECCOMP_FILTER_FLAG_LOG;
        add_rule(p, "read", act(POLICY_ACT_TRAP, 0), 0, NULL);
        add_rule(p, "write", act(POLICY_ACT_LOG, 0), 0, NULL);
        add_rule(p, "close", act(POLICY_ACT_TRACE, 42), 0, NULL);
        add_rule(p, "dup", act(POLICY_ACT_KILL_PROCESS, 0), 0, NULL);
        struct compiled c = compile_ctx(p, -1, 0);
        assert_int_equal(v1(&c, SYS_read, 0), SECCOMP_RET_TRAP);
        assert_int_equal(v1(&c, SYS_write, 0), SECCOMP_RET_LOG);
        assert_int_equal(v1(&c, SYS_close, 0), SECCOMP_RET_TRACE | 42);
        assert_int_equal(v1(&c, SYS_dup, 0), RET_KILL_PROCESS);
        assert_int_equal(v1(&c, SYS_getpid, 0), RET_ERRNO(ENOSYS));
        assert_int_equal(verdict_arch(&c, AUDIT_ARCH_I386, 1, 0, 0, 0, 0, 0),
                         SECCOMP_RET_KILL_THREAD);
        free(c.prog);

        /* Flags the policy asks for and libseccomp cannot set are refused. */
        p->filter_flags = 1u << 30;
        sealexec_error err = {0};
        void *prog;
        size_t n;
        struct policy_compile_ctx ctx = {.launch_fd = -1};
        assert_true(policy_compile_bpf(p, &ctx, &prog, &n, &err) < 0);
        assert_non_null(strstr(err.message, "flags"));
        sealexec_policy_free(p);
}

/* Syscalls always allowed are decided before any argument is loaded, so the
 * kernel (5.11+) can cache them: every BPF_LD of an argument must come after
 * a check of the syscall number. */
static void no_argument_load_before_nr(void **state)
{
        struct sealexec_policy *p = NULL;
        assert_int_equal(policy_profile_load("default", &p, NULL), 0);
        struct compiled c = compile_ctx(p, 5, 0);
        bool nr_loaded = false;
        for (size_t i = 0; i < c.n; i++) {
                const struct sock_filter *insn = &c.prog[i];
                if (BPF_CLASS(insn->code) != BPF_LD || BPF_MODE(insn->code) != BPF_ABS)
                        continue;
                if (insn->k == offsetof(struct seccomp_data, nr))
                        nr_loaded = true;
                if (insn->k >= offsetof(struct seccomp_data, args))
                        assert_true(nr_loaded);
        }
        assert_true(nr_loaded);
        free(c.prog);
        sealexec_policy_free(p);
}

/* --- random policies against a reference evaluator ------------------------- */

static const uint64_t interesting[] = {
    0,
    1,
    2,
    3,
    4,
    5,
    7,
    8,
    0x10,
    0xff,
    0x80000000,
    0xfffffffe,
    0xffffffff,
    UINT64_C(0x100000000),
    UINT64_C(0xffffffff00000003),
    UINT64_C(0x8000000000000000),
    UINT64_MAX - 1,
    UINT64_MAX,
};

static uint64_t rnd_value(unsigned *seed)
{
        if (rand_r(seed) % 4 == 0)
                return ((uint64_t)rand_r(seed) << 33) ^ ((uint64_t)rand_r(seed) << 11) ^
                       (uint64_t)rand_r(seed);
        return interesting[rand_r(seed) % (sizeof(interesting) / sizeof(interesting[0]))];
}

static bool ref_cmp(const struct policy_cmp *c, const uint64_t *args)
{
        uint64_t w = c->low32 ? UINT64_C(0xffffffff) : UINT64_MAX;
        uint64_t x = args[c->arg] & w, v = c->value & w, v2 = c->value2 & w;
        switch (c->op) {
        case POLICY_CMP_EQ:
                return x == v;
        case POLICY_CMP_NE:
                return x != v;
        case POLICY_CMP_LT:
                return x < v;
        case POLICY_CMP_LE:
                return x <= v;
        case POLICY_CMP_GT:
                return x > v;
        case POLICY_CMP_GE:
                return x >= v;
        case POLICY_CMP_MASKED_EQ:
                return (x & v) == v2;
        case POLICY_CMP_ANY_BITS:
                return (x & v) != 0;
        case POLICY_CMP_IN:
                return (x & ~v & w) == 0;
        }
        return false;
}

static uint32_t ref_ret(const struct policy_action *a)
{
        switch (a->kind) {
        case POLICY_ACT_ALLOW:
                return RET_ALLOW;
        case POLICY_ACT_ERRNO:
                return RET_ERRNO(a->data);
        default:
                return RET_KILL_PROCESS;
        }
}

/* First match wins, as policy.h defines it. */
static uint32_t ref_verdict(const struct sealexec_policy *p, const uint64_t *args)
{
        for (size_t i = 0; i < p->n_rules; i++) {
                const struct policy_rule *r = &p->rules[i];
                bool match = r->n_clauses == 0;
                for (size_t k = 0; k < r->n_clauses && !match; k++) {
                        bool all = true;
                        for (size_t j = 0; j < r->clauses[k].n_cmps && all; j++)
                                all = ref_cmp(&r->clauses[k].cmps[j], args);
                        match = all;
                }
                if (match)
                        return ref_ret(&r->action);
        }
        return ref_ret(&p->default_action);
}

/*
 * Random rules on one argument (every operator, low32 or not, several clauses,
 * overlapping) compared with a direct evaluation of first-match-wins. One
 * argument only: libseccomp 2.5's rule insertion becomes very slow for some
 * overlapping multi-argument rewrites, which the fixed tests above cover.
 */
static void random_policies_match_reference(void **state)
{
        unsigned seed = 20261128;
        unsigned compiled = 0;
        for (int round = 0; round < 150; round++) {
                struct sealexec_policy *p = new_policy();
                p->default_action = act(POLICY_ACT_ERRNO, 99);
                int n_rules = 1 + rand_r(&seed) % 4;
                for (int i = 0; i < n_rules; i++) {
                        struct policy_cmp cmps[2][3];
                        struct policy_clause clauses[2];
                        size_t n_clauses = (size_t)(rand_r(&seed) % 3);
                        for (size_t k = 0; k < n_clauses; k++) {
                                clauses[k].n_cmps = 1 + (size_t)(rand_r(&seed) % 3);
                                clauses[k].cmps = cmps[k];
                                for (size_t j = 0; j < clauses[k].n_cmps; j++)
                                        cmps[k][j] = cmp(0, (enum policy_cmp_op)(rand_r(&seed) % 9),
                                                         rnd_value(&seed), rnd_value(&seed),
                                                         rand_r(&seed) % 3 == 0);
                        }
                        int a = rand_r(&seed) % 4;
                        struct policy_rule rule = {
                            .syscall_name = (char *)"read",
                            .action = a == 0   ? act(POLICY_ACT_ALLOW, 0)
                                      : a == 3 ? act(POLICY_ACT_KILL_PROCESS, 0)
                                               : act(POLICY_ACT_ERRNO, (uint32_t)a),
                            .n_clauses = n_clauses,
                            .clauses = clauses};
                        assert_int_equal(policy_add_rule(p, &rule, NULL), 0);
                }
                struct policy_compile_ctx ctx = {.launch_fd = -1};
                void *prog = NULL;
                size_t n = 0;
                sealexec_error err = {0};
                int r = policy_compile_bpf(p, &ctx, &prog, &n, &err);
                if (r == -E2BIG) {
                        /* Too complex for libseccomp or the kernel: refused,
                         * never half-compiled. */
                        sealexec_policy_free(p);
                        continue;
                }
                if (r < 0)
                        fail_msg("round %d: %s", round, err.message);
                compiled++;
                struct compiled c = {.prog = prog, .n = n};
                for (int t = 0; t < 300; t++) {
                        uint64_t args[2] = {rnd_value(&seed), rnd_value(&seed)};
                        /* also the exact values the rules compare with, and
                         * their neighbours */
                        if (t % 3 == 0 && p->rules[0].n_clauses > 0)
                                args[0] =
                                    p->rules[0].clauses[0].cmps[0].value + (uint64_t)(t % 5) - 2;
                        uint32_t got = verdict(&c, SYS_read, args[0], args[1], 0, 0, 0);
                        uint32_t want = ref_verdict(p, args);
                        if (got != want)
                                fail_msg("round %d: args 0x%llx 0x%llx: got 0x%x, want 0x%x", round,
                                         (unsigned long long)args[0], (unsigned long long)args[1],
                                         got, want);
                }
                free(prog);
                sealexec_policy_free(p);
        }
        /* Most random policies must compile, or this test proves little. */
        assert_true(compiled > 100);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(first_match_wins),
            cmocka_unit_test(first_match_two_args),
            cmocka_unit_test(first_match_or),
            cmocka_unit_test(any_bits_and_negation),
            cmocka_unit_test(in_and_negation),
            cmocka_unit_test(masked_eq_and_negation),
            cmocka_unit_test(ordered_ops),
            cmocka_unit_test(range_on_one_argument),
            cmocka_unit_test(low32_negative),
            cmocka_unit_test(caps_required_and_excluded),
#ifdef __x86_64__
            cmocka_unit_test(multiple_arches),
            cmocka_unit_test(arches_without_native_refused),
#endif
            cmocka_unit_test(mseal_by_number),
            cmocka_unit_test(unknown_name_refused),
            cmocka_unit_test(launch_rule),
            cmocka_unit_test(launch_rule_before_policy_rules),
            cmocka_unit_test(condition_too_complex),
            cmocka_unit_test(flags_and_actions),
            cmocka_unit_test(no_argument_load_before_nr),
            cmocka_unit_test(random_policies_match_reference),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
