/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The minijail text format end to end: parse, compile to BPF with the policy
 * core, and check what the program decides for (arch, nr, args) in the
 * tests' seccomp interpreter.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_skip.h"
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include "bpf_sim.h"
#include "policy/syscalls.h"
#include "text_helpers.h"

#define RET_KILL     SECCOMP_RET_KILL_PROCESS
#define RET_ALLOW    SECCOMP_RET_ALLOW
#define RET_ERRNO(e) (SECCOMP_RET_ERRNO | (uint32_t)(e))

struct prog {
        struct sock_filter *insns;
        size_t n;
};

static struct prog compile_policy(struct sealexec_policy *p)
{
        struct policy_compile_ctx cctx = {.launch_fd = -1};
        struct prog prog = {0};
        sealexec_error err = {0};
        void *insns = NULL;
        if (policy_compile_bpf(p, &cctx, &insns, &prog.n, &err) < 0)
                fail_msg("compile failed: %s", err.message);
        prog.insns = insns;
        sealexec_policy_free(p);
        return prog;
}

static struct prog compile_text(const char *text)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        if (parse_text(text, &p, &err) < 0)
                fail_msg("parse failed: %s", err.message);
        return compile_policy(p);
}

static struct prog compile_file(const char *name)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        if (parse_data_file(name, NULL, NULL, &p, &err) < 0)
                fail_msg("parse failed: %s", err.message);
        return compile_policy(p);
}

static uint32_t run_arch(const struct prog *prog, uint32_t arch, int nr, uint64_t a0, uint64_t a1,
                         uint64_t a2)
{
        struct bpf_sim_call call = {.nr = nr, .arch = arch, .args = {a0, a1, a2}};
        int64_t r = bpf_sim_run(prog->insns, prog->n, &call);
        assert_true(r >= 0);
        return (uint32_t)r;
}

static uint32_t run(const struct prog *prog, int nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
        return run_arch(prog, seccomp_arch_native(), nr, a0, a1, a2);
}

static void verdict_is(const struct prog *prog, int nr, uint64_t a0, uint64_t a1, uint64_t a2,
                       uint32_t want)
{
        uint32_t got = run(prog, nr, a0, a1, a2);
        if (got != want)
                fail_msg("nr %d args (%#llx, %#llx, %#llx): verdict %#x, expected %#x", nr,
                         (unsigned long long)a0, (unsigned long long)a1, (unsigned long long)a2,
                         got, want);
}

static void prog_free(struct prog *prog)
{
        free(prog->insns);
        *prog = (struct prog){0};
}

static void test_actions(void **state)
{
        static const struct {
                const char *filter;
                uint32_t ret;
        } cases[] = {
            {"1", RET_ALLOW},
            {"allow", RET_ALLOW},
            {"kill-thread", SECCOMP_RET_KILL_THREAD},
            {"trap", SECCOMP_RET_TRAP},
            {"trace", SECCOMP_RET_TRACE},
            {"log", SECCOMP_RET_LOG},
            {"user-notify", SECCOMP_RET_USER_NOTIF},
            {"return EPERM", RET_ERRNO(EPERM)},
            {"return 38", RET_ERRNO(38)},
            {"return 0", RET_ERRNO(0)},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char text[128];
                snprintf(text, sizeof(text), "@default return ENOSYS\nread: 1\ngetpid: %s\n",
                         cases[i].filter);
                struct prog prog = compile_text(text);
                verdict_is(&prog, SYS_getpid, 0, 0, 0, cases[i].ret);
                verdict_is(&prog, SYS_read, 0, 0, 0, RET_ALLOW);
                verdict_is(&prog, SYS_getppid, 0, 0, 0, RET_ERRNO(ENOSYS));
                prog_free(&prog);
        }
        /* kill and kill-process are the same, and the default without @default. */
        struct prog prog = compile_text("read: 1\ngetpid: kill\ngetppid: kill-process\n");
        verdict_is(&prog, SYS_getpid, 0, 0, 0, RET_KILL);
        verdict_is(&prog, SYS_getppid, 0, 0, 0, RET_KILL);
        verdict_is(&prog, SYS_gettid, 0, 0, 0, RET_KILL);
        verdict_is(&prog, SYS_read, 0, 0, 0, RET_ALLOW);
        prog_free(&prog);
}

static void test_operators(void **state)
{
        static const struct {
                const char *op;
                uint64_t value;
                uint64_t allowed[3];
                uint64_t killed[3];
        } cases[] = {
            {"==", 5, {5, 5, 5}, {4, 6, 0x100000005}},
            {"!=", 5, {4, 6, 0x100000005}, {5, 5, 5}},
            {"<", 5, {0, 4, 4}, {5, 6, UINT64_MAX}},
            {"<=", 5, {0, 5, 5}, {6, 7, UINT64_MAX}},
            {">", 5, {6, 0x100000000, UINT64_MAX}, {0, 5, 5}},
            {">=", 5, {5, 6, UINT64_MAX}, {0, 4, 4}},
            {"&", 0x6, {2, 4, 0xff}, {0, 1, 0x100000000}},
            {"in", 0x6, {0, 2, 6}, {1, 8, 0x100000002}},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char text[128];
                /* arg2 is an unsigned long: all 64 bits count (arg1, the
                 * request, is an unsigned int: see test_policy_gen). */
                snprintf(text, sizeof(text), "ioctl: arg2 %s %llu\n", cases[i].op,
                         (unsigned long long)cases[i].value);
                struct prog prog = compile_text(text);
                for (size_t j = 0; j < 3; j++) {
                        verdict_is(&prog, SYS_ioctl, 0, 0, cases[i].allowed[j], RET_ALLOW);
                        verdict_is(&prog, SYS_ioctl, 0, 0, cases[i].killed[j], RET_KILL);
                }
                prog_free(&prog);
        }
}

static void test_precedence(void **state)
{
        struct prog prog = compile_text("ioctl: arg0 == 1 || arg1 == 2 && arg2 == 3\n");
        verdict_is(&prog, SYS_ioctl, 1, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_ioctl, 0, 2, 3, RET_ALLOW);
        verdict_is(&prog, SYS_ioctl, 1, 2, 0, RET_ALLOW);
        verdict_is(&prog, SYS_ioctl, 0, 2, 0, RET_KILL);
        verdict_is(&prog, SYS_ioctl, 0, 0, 3, RET_KILL);
        prog_free(&prog);
}

static void test_constants_and_cat_policy(void **state)
{
        struct prog prog = compile_file("cat.policy");
        /* W^X: mmap may not ask for both PROT_WRITE and PROT_EXEC. */
        verdict_is(&prog, SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, RET_ALLOW);
        verdict_is(&prog, SYS_mmap, 0, 4096, PROT_READ | PROT_EXEC, RET_ALLOW);
        verdict_is(&prog, SYS_mmap, 0, 4096, PROT_READ, RET_ALLOW);
        verdict_is(&prog, SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, RET_KILL);
        verdict_is(&prog, SYS_read, 0, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_socket, 0, 0, 0, RET_KILL);
        /* mseal comes from sealexec's table: it is allowed by its number. */
        int mseal = policy_syscall_resolve("mseal", seccomp_arch_native());
        assert_true(mseal >= 0);
        verdict_is(&prog, mseal, 0, 0, 0, RET_ALLOW);
        prog_free(&prog);

        prog = compile_text("openat: arg2 == O_WRONLY|O_CREAT && arg1 & ~0xff\n");
        verdict_is(&prog, SYS_openat, 0, 0x100, O_WRONLY | O_CREAT, RET_ALLOW);
        verdict_is(&prog, SYS_openat, 0, 0xff, O_WRONLY | O_CREAT, RET_KILL);
        verdict_is(&prog, SYS_openat, 0, 0x100, O_WRONLY, RET_KILL);
        prog_free(&prog);
}

static void test_negative_values(void **state)
{
        struct prog prog = compile_text("close: arg0 == -1\nopenat: arg0 == AT_FDCWD\n"
                                        "lseek: arg1 == -5000000000\n");
        /* An int -1 matches zero- and sign-extended. */
        verdict_is(&prog, SYS_close, 0xffffffff, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_close, UINT64_MAX, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_close, 0xfffffffe, 0, 0, RET_KILL);
        verdict_is(&prog, SYS_close, 1, 0, 0, RET_KILL);
        verdict_is(&prog, SYS_openat, (uint32_t)AT_FDCWD, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_openat, (uint64_t)(int64_t)AT_FDCWD, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_openat, 3, 0, 0, RET_KILL);
        /* Beyond the int range the 64-bit value must match exactly. */
        verdict_is(&prog, SYS_lseek, 0, (uint64_t)INT64_C(-5000000000), 0, RET_ALLOW);
        verdict_is(&prog, SYS_lseek, 0, (uint64_t)INT64_C(-5000000000) & 0xffffffff, 0, RET_KILL);
        prog_free(&prog);
}

static void test_first_match_and_lists(void **state)
{
        struct prog prog = compile_text("read: arg0 == 0\n"
                                        "read: arg0 == 0; return EPERM\n"
                                        "read: arg0 < 10; return EACCES\n"
                                        "{write, writev}: {arg0 == 1, arg0 == 2; return EBADF, "
                                        "trap}\n");
        verdict_is(&prog, SYS_read, 0, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_read, 5, 0, 0, RET_ERRNO(EACCES));
        verdict_is(&prog, SYS_read, 20, 0, 0, RET_KILL);
        for (int nr = SYS_write; nr; nr = nr == SYS_write ? SYS_writev : 0) {
                verdict_is(&prog, nr, 1, 0, 0, RET_ALLOW);
                verdict_is(&prog, nr, 2, 0, 0, RET_ERRNO(EBADF));
                verdict_is(&prog, nr, 3, 0, 0, SECCOMP_RET_TRAP);
        }
        prog_free(&prog);
}

static void test_samples_and_include(void **state)
{
        struct prog prog = compile_file("stdin_stdout.policy");
        verdict_is(&prog, SYS_read, 0, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_read, 3, 0, 0, RET_KILL);
        verdict_is(&prog, SYS_write, 1, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_write, 2, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_write, 3, 0, 0, RET_KILL);
        verdict_is(&prog, SYS_exit, 0, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_exit_group, 0, 0, 0, RET_KILL);
        prog_free(&prog);

        prog = compile_file("inc_main.policy");
        verdict_is(&prog, SYS_read, 7, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_write, 1, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_write, 2, 0, 0, RET_KILL);
        verdict_is(&prog, SYS_exit_group, 0, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_open, 0, 0, 0, RET_KILL);
        prog_free(&prog);
}

static void test_default_and_denylist(void **state)
{
        struct prog prog = compile_text("@default trap\nread: 1\n");
        verdict_is(&prog, SYS_read, 0, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_write, 0, 0, 0, SECCOMP_RET_TRAP);
        prog_free(&prog);

        prog = compile_file("cros_default_v0.policy");
        verdict_is(&prog, SYS_bpf, 0, 0, 0, RET_ERRNO(EPERM));
        verdict_is(&prog, SYS_read, 0, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_getpid, 0, 0, 0, RET_ALLOW);
        prog_free(&prog);

        prog = compile_text("@denylist\nptrace: kill\nprctl: arg0 == PR_SET_NAME; return EPERM\n");
        verdict_is(&prog, SYS_ptrace, 0, 0, 0, RET_KILL);
        verdict_is(&prog, SYS_prctl, PR_SET_NAME, 0, 0, RET_ERRNO(EPERM));
        verdict_is(&prog, SYS_prctl, PR_GET_NAME, 0, 0, RET_ALLOW);
        verdict_is(&prog, SYS_getpid, 0, 0, 0, RET_ALLOW);
        prog_free(&prog);
}

static void test_other_arch_killed(void **state)
{
        struct prog prog = compile_file("cros_default_v0.policy");
        uint32_t other =
            seccomp_arch_native() == AUDIT_ARCH_X86_64 ? AUDIT_ARCH_AARCH64 : AUDIT_ARCH_X86_64;
        assert_int_equal(run_arch(&prog, other, 0, 0, 0, 0), RET_KILL);
        assert_int_equal(run_arch(&prog, AUDIT_ARCH_I386, SYS_getpid, 0, 0, 0), RET_KILL);
        prog_free(&prog);
}

/* Installs the program in this (child) process; exits 77 if the kernel can't. */
static void child_install(const struct prog *prog)
{
        struct sock_fprog fprog = {.len = (unsigned short)prog->n, .filter = prog->insns};
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
                _exit(77);
}

static int child_checks(void)
{
        struct utsname u;
        char name[32];
        if (uname(&u) != -1 || errno != EPERM)
                return 1;
        if (prctl(PR_SET_NAME, "sealexec-t", 0, 0, 0) != -1 || errno != EACCES)
                return 2;
        if (prctl(PR_GET_NAME, name, 0, 0, 0) != 0)
                return 3;
        /* -1 as an int, passed sign-extended and zero-extended. */
        if (syscall(SYS_getppid, -1L) != -1 || errno != ENOSYS)
                return 4;
        if (syscall(SYS_getppid, 0xffffffffL) != -1 || errno != ENOSYS)
                return 5;
        if (syscall(SYS_getppid, 5L) <= 0)
                return 6;
        return 0;
}

static int run_child(const struct prog *prog, int (*checks)(void))
{
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                child_install(prog);
                _exit(checks());
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        return status;
}

static int child_uname(void)
{
        struct utsname u;
        (void)uname(&u);
        return 0;
}

static void test_live_kernel(void **state)
{
        struct prog prog = compile_text("@denylist\n"
                                        "uname: return EPERM\n"
                                        "prctl: arg0 == PR_SET_NAME; return EACCES\n"
                                        "getppid: arg0 == -1; return ENOSYS\n");
        int status = run_child(&prog, child_checks);
        prog_free(&prog);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
                print_message("seccomp filters cannot be installed here: test skipped\n");
                TEST_SKIP();
        }
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);

        prog = compile_text("@denylist\nuname: kill\n");
        status = run_child(&prog, child_uname);
        prog_free(&prog);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGSYS);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_actions),
            cmocka_unit_test(test_operators),
            cmocka_unit_test(test_precedence),
            cmocka_unit_test(test_constants_and_cat_policy),
            cmocka_unit_test(test_negative_values),
            cmocka_unit_test(test_first_match_and_lists),
            cmocka_unit_test(test_samples_and_include),
            cmocka_unit_test(test_default_and_denylist),
            cmocka_unit_test(test_other_arch_killed),
            cmocka_unit_test(test_live_kernel),
        };
        return TEST_RESULT(cmocka_run_group_tests(tests, NULL, NULL));
}
