/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sealexec's BPF generator on the cases that matter: libseccomp 2.5.4's
 * fail-open 64-bit comparisons, int arguments with garbage in their upper
 * half, minijail's ordered ioctl filters across an @include, far jumps,
 * programs too large for the kernel, x32, and the size of Docker's profile.
 * Verdicts come from the BPF simulator, checked against the interpreter too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "bpf_sim.h"
#include "equiv.h"
#include "policy/eval.h"
#include "policy/policy.h"
#include "sealexec.h"

#define NATIVE     AUDIT_ARCH_X86_64
#define RET_ALLOW  SECCOMP_RET_ALLOW
#define RET_ERR(e) (SECCOMP_RET_ERRNO | (e))

static char dir[] = "/tmp/sealexec-gen-XXXXXX";

static int setup(void **state)
{
        return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const char *text)
{
        static char path[256];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        FILE *f = fopen(path, "we");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
        return path;
}

static struct sealexec_policy *load_text(const char *name, const char *text)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        if (sealexec_policy_load_file(write_file(name, text), NULL, &p, &err) < 0)
                fail_msg("%s: %s", name, err.message);
        return p;
}

struct prog {
        struct sock_filter *v;
        size_t n;
};

static struct prog compile(const struct sealexec_policy *p, enum policy_backend backend)
{
        struct policy_compile_ctx ctx = {.launch_fd = -1};
        sealexec_error err = {0};
        void *v = NULL;
        struct prog prog = {0};
        if (policy_compile_bpf_backend(p, &ctx, backend, &v, &prog.n, &err) < 0)
                fail_msg("compile: %s", err.message);
        prog.v = v;
        return prog;
}

static uint32_t run(const struct prog *prog, int nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
        struct bpf_sim_call call = {.nr = nr, .arch = NATIVE, .args = {a0, a1, a2}};
        int64_t r = bpf_sim_run(prog->v, prog->n, &call);
        assert_true(r >= 0);
        return (uint32_t)r;
}

/* The program agrees with the interpreter on every boundary of the policy. */
static void assert_equivalent(const struct sealexec_policy *p, const struct prog *prog)
{
        struct policy_compile_ctx ctx = {.launch_fd = -1};
        struct equiv_stats st;
        assert_int_equal(equiv_check(p, &ctx, prog->v, prog->n, p->name, 10, 0, &st), 0);
        assert_true(st.calls > 0);
        assert_int_equal(st.mismatches, 0);
        assert_int_equal(st.malformed, 0);
        assert_int_equal(st.cache_leaks, 0);
}

/* What libseccomp makes of a call, printed only: its bugs are not ours. */
static void report_libseccomp(const struct sealexec_policy *p, const char *what, int nr,
                              uint64_t a0, uint64_t a1, uint64_t a2, uint32_t right)
{
        struct policy_compile_ctx ctx = {.launch_fd = -1};
        struct sock_filter *v = NULL;
        size_t n = 0;
        int r = equiv_compile_libseccomp(p, &ctx, 5, &v, &n);
        if (r < 0) {
                printf("libseccomp: %s: no program (%s)\n", what, strerror(-r));
                return;
        }
        struct prog prog = {v, n};
        uint32_t got = run(&prog, nr, a0, a1, a2);
        printf("libseccomp: %s: 0x%x (%s)\n", what, got,
               got == right ? "right" : "WRONG, libseccomp bug");
        free(v);
}

static bool has_ja(const struct prog *prog)
{
        for (size_t i = 0; i < prog->n; i++)
                if (prog->v[i].code == (BPF_JMP | BPF_JA))
                        return true;
        return false;
}

/* libseccomp 2.5.4 tests the high word of arg2 with the low word loaded. */
static void fail_open_range_and_ne(void **state)
{
        struct sealexec_policy *p =
            load_text("failopen.policy", "@default return 99\n"
                                         "ioctl: arg0 > 5 && arg2 != 0xffffffff; 1\n");
        struct prog prog = compile(p, POLICY_BACKEND_SEALEXEC);

        assert_int_equal(run(&prog, SYS_ioctl, 7, 0x10, 0xffffffff), RET_ERR(99));
        assert_int_equal(run(&prog, SYS_ioctl, 7, 0x10, 0), RET_ALLOW);
        assert_int_equal(run(&prog, SYS_ioctl, 7, 0x10, UINT64_C(0x1ffffffff)), RET_ALLOW);
        assert_int_equal(run(&prog, SYS_ioctl, 5, 0x10, 0), RET_ERR(99));
        assert_int_equal(run(&prog, SYS_ioctl, 6, 0x10, 0), RET_ALLOW);
        assert_int_equal(run(&prog, SYS_read, 0, 0, 0), RET_ERR(99));
        assert_equivalent(p, &prog);
        report_libseccomp(p, "ioctl(7, 0x10, 0xffffffff) under 'arg2 != 0xffffffff'", SYS_ioctl, 7,
                          0x10, 0xffffffff, RET_ERR(99));
        free(prog.v);
        sealexec_policy_free(p);
}

/* Every 64-bit comparison against values whose halves differ. */
static void ranges_over_both_words(void **state)
{
        struct sealexec_policy *p = load_text(
            "ranges.policy", "@default return 99\n"
                             "read: arg2 < 0x100000005 && arg2 >= 0xfffffffb; return 1\n"
                             "read: arg2 <= 0x1fffffffe || arg2 > 0xffffffff00000000; return 2\n"
                             "read: arg2 & 0x8000000100000000; return 3\n"
                             "read: arg2 in 0xffff0000ffff; return 4\n"
                             "read: arg2 != 0x0001000000000001; return 5\n"
                             "read: 1\n");
        struct prog prog = compile(p, POLICY_BACKEND_SEALEXEC);
        assert_int_equal(run(&prog, SYS_read, 0, 0, UINT64_C(0x100000004)), RET_ERR(1));
        assert_int_equal(run(&prog, SYS_read, 0, 0, UINT64_C(0xfffffffb)), RET_ERR(1));
        assert_int_equal(run(&prog, SYS_read, 0, 0, UINT64_C(0x100000005)), RET_ERR(2));
        assert_int_equal(run(&prog, SYS_read, 0, 0, UINT64_C(0x1fffffffe)), RET_ERR(2));
        assert_int_equal(run(&prog, SYS_read, 0, 0, UINT64_C(0xffffffff00000001)), RET_ERR(2));
        assert_int_equal(run(&prog, SYS_read, 0, 0, UINT64_C(0x8000000000000000)), RET_ERR(3));
        assert_int_equal(run(&prog, SYS_read, 0, 0, UINT64_C(0x300000000)), RET_ERR(3));
        assert_int_equal(run(&prog, SYS_read, 0, 0, UINT64_C(0x0000ff000000ff00)), RET_ERR(4));
        assert_int_equal(run(&prog, SYS_read, 0, 0, UINT64_C(0x0002000000000000)), RET_ERR(5));
        assert_int_equal(run(&prog, SYS_read, 0, 0, UINT64_C(0x0001000000000001)), RET_ALLOW);
        assert_equivalent(p, &prog);
        free(prog.v);
        sealexec_policy_free(p);
}

/*
 * Deny rules on int arguments: the kernel reads fcntl's cmd and ioctl's
 * request as 32-bit values, so garbage in the upper half must not get past a
 * comparison with the documented constant.
 */
static void int_arguments_low32(void **state)
{
        struct sealexec_policy *p =
            load_text("ints.policy", "fcntl: arg1 == F_SETFL && arg0 != 0; return EPERM\n"
                                     "fcntl: 1\n"
                                     "ioctl: arg1 == TIOCSTI; return EPERM\n"
                                     "ioctl: 1\n");
        struct prog prog = compile(p, POLICY_BACKEND_SEALEXEC);

        assert_int_equal(run(&prog, SYS_fcntl, 3, F_SETFL, O_NONBLOCK), RET_ERR(EPERM));
        assert_int_equal(run(&prog, SYS_fcntl, 3, UINT64_C(0x100000004), O_NONBLOCK),
                         RET_ERR(EPERM));
        assert_int_equal(run(&prog, SYS_fcntl, UINT64_C(0x100000000), F_SETFL, O_NONBLOCK),
                         RET_ALLOW); /* fd 0 as the kernel reads it */
        assert_int_equal(run(&prog, SYS_fcntl, 3, F_GETFL, 0), RET_ALLOW);
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x5412, 0), RET_ERR(EPERM));
        assert_int_equal(run(&prog, SYS_ioctl, 0, UINT64_C(0xffffffff00005412), 0), RET_ERR(EPERM));
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x5413, 0), RET_ALLOW);
        /* The IR says so, so the interpreter and explain agree. */
        for (size_t i = 0; i < p->n_rules; i++)
                for (size_t k = 0; k < p->rules[i].n_clauses; k++)
                        for (size_t j = 0; j < p->rules[i].clauses[k].n_cmps; j++)
                                assert_true(p->rules[i].clauses[k].cmps[j].low32);
        assert_equivalent(p, &prog);
        free(prog.v);
        sealexec_policy_free(p);
}

/*
 * minijail's ordered ioctl filters, in an included file and the including
 * one: each line has its own action and the first that matches decides.
 * libseccomp's backend has to rewrite each line into "this and none of the
 * earlier ones" and gives up ("condition too complex").
 */
static void ordered_ioctl_across_include(void **state)
{
        write_file("ioctl-inc.policy",
                   "ioctl: arg1 == 0x5401 || arg1 == 0x5413 || arg1 & 0xffff0000 && "
                   "arg2 & 0xffffffff; return ENOTTY\n"
                   "ioctl: arg1 == 0x5402 || arg1 == 0x5414 || arg1 & 0x0000ff00 && "
                   "arg2 & 0xffff0000; return EPERM\n");
        struct sealexec_policy *p =
            load_text("ioctl-main.policy",
                      "@include ./ioctl-inc.policy\n"
                      "ioctl: arg1 == 0x5404 || arg1 == 0x5416 || arg1 & 0x000000f0 && "
                      "arg2 & 0xff; return EACCES\n"
                      "ioctl: arg1 == 0x5405 || arg1 == 0x5417 || arg1 & 0x0000000f\n"
                      "ioctl: arg1 == 0x5401 || arg1 == 0x5404 || arg1 & 0xffff0000; return EIO\n"
                      "read: 1\n");
        struct prog prog = compile(p, POLICY_BACKEND_SEALEXEC);

        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x5401, 0), RET_ERR(ENOTTY));
        assert_int_equal(run(&prog, SYS_ioctl, 0, UINT64_C(0xffffffff00005401), 0),
                         RET_ERR(ENOTTY));
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x10000, 1), RET_ERR(ENOTTY));
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x10000, UINT64_C(0x100000000)), RET_ERR(EIO));
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x5402, 0), RET_ERR(EPERM));
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x100, 0x10000), RET_ERR(EPERM));
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x100, 1), SECCOMP_RET_KILL_PROCESS);
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x5404, 0), RET_ERR(EACCES));
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x5405, 0), RET_ALLOW);
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x10, 1), RET_ERR(EACCES));
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x10, 0x100), SECCOMP_RET_KILL_PROCESS);
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x1, 0), RET_ALLOW);
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0x5420, 0), SECCOMP_RET_KILL_PROCESS);
        assert_equivalent(p, &prog);

        struct policy_compile_ctx ctx = {.launch_fd = -1};
        sealexec_error err = {0};
        void *v = NULL;
        size_t n = 0;
        int r = policy_compile_bpf_backend(p, &ctx, POLICY_BACKEND_LIBSECCOMP, &v, &n, &err);
        printf("libseccomp backend on the ordered ioctl filters: %s\n",
               r < 0 ? err.message : "compiled");
        free(v);
        free(prog.v);
        sealexec_policy_free(p);
}

static struct sealexec_policy *new_policy(const char *name)
{
        struct sealexec_policy *p = NULL;
        assert_int_equal(policy_new(name, &p, NULL), 0);
        p->default_action = (struct policy_action){.kind = POLICY_ACT_ERRNO, .data = 38};
        return p;
}

static void add(struct sealexec_policy *p, const char *name, struct policy_action a,
                size_t n_clauses, struct policy_clause *clauses)
{
        struct policy_rule rule = {.syscall_name = (char *)name,
                                   .action = a,
                                   .n_clauses = n_clauses,
                                   .clauses = clauses,
                                   .origin = {.file = (char *)"gen.policy", .line = 1, .col = 1}};
        assert_int_equal(policy_add_rule(p, &rule, NULL), 0);
}

/* A condition longer than a jump can cross: trampolines, still exact. */
static void far_jumps(void **state)
{
        struct sealexec_policy *p = new_policy("far");
        struct policy_cmp cmps[120];
        struct policy_clause clauses[120];
        for (size_t i = 0; i < 120; i++) {
                /* 64-bit equality (ioctl's arg2 is an unsigned long): four
                 * instructions each. */
                cmps[i] = (struct policy_cmp){
                    .arg = 2, .op = POLICY_CMP_EQ, .value = (UINT64_C(1) << 33) | (i * 3)};
                clauses[i] = (struct policy_clause){.n_cmps = 1, .cmps = &cmps[i]};
        }
        add(p, "ioctl", (struct policy_action){.kind = POLICY_ACT_ERRNO, .data = 1}, 120, clauses);
        /* The others on arg1, 64-bit for each of these syscalls. */
        for (size_t i = 0; i < 120; i++)
                cmps[i].arg = 1;
        /* Many syscalls with conditions: the dispatch tree jumps far too. */
        static const char *const names[] = {
            "read",   "write", "openat",  "close",    "mmap", "munmap",    "msync",   "prctl",
            "mremap", "lseek", "pread64", "pwrite64", "brk",  "getrandom", "madvise", "mprotect"};
        for (size_t s = 0; s < sizeof(names) / sizeof(names[0]); s++)
                add(p, names[s], (struct policy_action){.kind = POLICY_ACT_ALLOW}, 20, clauses + s);
        add(p, "ioctl", (struct policy_action){.kind = POLICY_ACT_ALLOW}, 0, NULL);
        struct prog prog = compile(p, POLICY_BACKEND_SEALEXEC);

        assert_true(prog.n > 3 * 256);
        assert_true(has_ja(&prog));
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0, (UINT64_C(1) << 33) | 0), RET_ERR(1));
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0, (UINT64_C(1) << 33) | 357), RET_ERR(1));
        assert_int_equal(run(&prog, SYS_ioctl, 0, 0, 357), RET_ALLOW);
        assert_int_equal(run(&prog, SYS_madvise, 0, (UINT64_C(1) << 33) | 45, 0), RET_ALLOW);
        assert_int_equal(run(&prog, SYS_madvise, 0, 45, 0), RET_ERR(38));
        assert_equivalent(p, &prog);
        free(prog.v);
        sealexec_policy_free(p);
}

/* A program the kernel would refuse is refused here, naming the policy. */
static void too_many_instructions(void **state)
{
        struct sealexec_policy *p = new_policy("huge-policy");
        struct policy_cmp cmp = {.arg = 1, .op = POLICY_CMP_EQ}; /* a pointer: 64-bit */
        struct policy_clause clause = {.n_cmps = 1, .cmps = &cmp};
        for (uint64_t i = 0; i < 1100; i++) {
                cmp.value = (UINT64_C(7) << 32) | i;
                add(p, "write", (struct policy_action){.kind = POLICY_ACT_ERRNO, .data = 1 + i % 2},
                    1, &clause);
        }
        struct policy_compile_ctx ctx = {.launch_fd = -1};
        sealexec_error err = {0};
        void *v = NULL;
        size_t n = 0;
        assert_int_equal(policy_compile_bpf(p, &ctx, &v, &n, &err), -E2BIG);
        assert_null(v);
        assert_non_null(strstr(err.message, "huge-policy"));
        assert_non_null(strstr(err.message, "4096"));
        sealexec_policy_free(p);
}

/* x32 is its own architecture: listed, its numbers get its rules; not listed,
 * an x86_64 call with the x32 bit gets the bad-architecture action. */
static void x32_apart(void **state)
{
        struct sealexec_policy *p = new_policy("x32");
        p->bad_arch_action = (struct policy_action){.kind = POLICY_ACT_ERRNO, .data = 77};
        struct policy_cmp cmp = {.arg = 0, .op = POLICY_CMP_EQ, .value = 1};
        struct policy_clause clause = {.n_cmps = 1, .cmps = &cmp};
        add(p, "read", (struct policy_action){.kind = POLICY_ACT_ALLOW}, 0, NULL);
        add(p, "write", (struct policy_action){.kind = POLICY_ACT_ALLOW}, 1, &clause);
        struct prog only64 = compile(p, POLICY_BACKEND_SEALEXEC);
        assert_int_equal(run(&only64, SYS_read, 0, 0, 0), RET_ALLOW);
        assert_int_equal(run(&only64, 0x40000000 | SYS_read, 0, 0, 0), RET_ERR(77));
        assert_int_equal(run(&only64, -1, 0, 0, 0), RET_ERR(38));
        assert_equivalent(p, &only64);

        assert_int_equal(policy_add_arch(p, SCMP_ARCH_X86_64, NULL), 0);
        assert_int_equal(policy_add_arch(p, SCMP_ARCH_X32, NULL), 0);
        struct prog both = compile(p, POLICY_BACKEND_SEALEXEC);
        assert_int_equal(run(&both, 0x40000000 | SYS_read, 0, 0, 0), RET_ALLOW);
        assert_int_equal(run(&both, 0x40000000 | SYS_write, 1, 0, 0), RET_ALLOW);
        assert_int_equal(run(&both, 0x40000000 | SYS_write, 2, 0, 0), RET_ERR(38));
        assert_int_equal(run(&both, SYS_write, 1, 0, 0), RET_ALLOW);
        struct bpf_sim_call i386 = {.nr = 3, .arch = AUDIT_ARCH_I386};
        assert_int_equal(bpf_sim_run(both.v, both.n, &i386), RET_ERR(77));
        assert_equivalent(p, &both);
        free(only64.v);
        free(both.v);
        sealexec_policy_free(p);
}

/* Docker's profile: no larger than libseccomp's program, and the same
 * program on every compile. */
static void docker_size(void **state)
{
        static const char *const files[] = {SOURCE_DIR "/policy/profiles/docker-default.json"};
        struct sealexec_policy *p = NULL;
        assert_int_equal(sealexec_policy_load_file(files[0], NULL, &p, NULL), 0);
        struct prog ours = compile(p, POLICY_BACKEND_SEALEXEC);
        struct prog theirs = compile(p, POLICY_BACKEND_LIBSECCOMP);
        printf("docker-default.json: sealexec %zu instructions, libseccomp %zu\n", ours.n,
               theirs.n);
        assert_true(ours.n <= theirs.n);
        struct prog again = compile(p, POLICY_BACKEND_SEALEXEC);
        assert_int_equal(again.n, ours.n);
        assert_memory_equal(again.v, ours.v, ours.n * sizeof(*ours.v));
        free(ours.v);
        free(theirs.v);
        free(again.v);
        sealexec_policy_free(p);
}

/* The launch rule compares as ints and comes before every rule. */
static void launch_rule_first(void **state)
{
        struct sealexec_policy *p = new_policy("launch");
        add(p, "execveat", (struct policy_action){.kind = POLICY_ACT_ERRNO, .data = 13}, 0, NULL);
        struct policy_compile_ctx ctx = {.launch_fd = 5};
        sealexec_error err = {0};
        void *v = NULL;
        size_t n = 0;
        assert_int_equal(policy_compile_bpf(p, &ctx, &v, &n, &err), 0);
        struct bpf_sim_call call = {.nr = SYS_execveat,
                                    .arch = NATIVE,
                                    .args = {UINT64_C(0xffffffff00000005), 0, 0, 0, POLICY_LAUNCH_FLAGS}};
        assert_int_equal(bpf_sim_run(v, n, &call), RET_ALLOW);
        call.args[4] = 0;
        assert_int_equal(bpf_sim_run(v, n, &call), RET_ERR(13));
        struct equiv_stats st;
        assert_int_equal(equiv_check(p, &ctx, v, n, "launch", 10, 0, &st), 0);
        assert_int_equal(st.mismatches, 0);
        free(v);
        sealexec_policy_free(p);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(fail_open_range_and_ne),
            cmocka_unit_test(ranges_over_both_words),
            cmocka_unit_test(int_arguments_low32),
            cmocka_unit_test(ordered_ioctl_across_include),
            cmocka_unit_test(far_jumps),
            cmocka_unit_test(too_many_instructions),
            cmocka_unit_test(x32_apart),
            cmocka_unit_test(docker_size),
            cmocka_unit_test(launch_rule_first),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
