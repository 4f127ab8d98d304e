/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What policies loaded from OCI / Docker JSON decide once compiled: the BPF
 * program from policy_compile_bpf() is run in the tests' interpreter for
 * chosen syscalls and arguments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <sys/syscall.h>

#include "bpf_sim.h"
#include "json_helpers.h"

#define BIT(cap)  (UINT64_C(1) << (cap))
#define EPERM_RET (SECCOMP_RET_ERRNO | EPERM)
#define X32_BIT   0x40000000

struct prog {
        struct sock_filter *insns;
        size_t n;
};

static struct prog compile(const struct sealexec_policy *p, uint64_t kept_caps)
{
        struct policy_compile_ctx ctx = {.launch_fd = -1, .kept_caps = kept_caps};
        struct prog prog = {0};
        void *insns = NULL;
        sealexec_error err = {0};
        if (policy_compile_bpf(p, &ctx, &insns, &prog.n, &err) < 0)
                fail_msg("compile: %s", err.message);
        prog.insns = insns;
        return prog;
}

static uint32_t run_arch(const struct prog *prog, uint32_t arch, int nr, uint64_t a0, uint64_t a1)
{
        struct bpf_sim_call call = {.nr = nr, .arch = arch, .args = {a0, a1}};
        int64_t r = bpf_sim_run(prog->insns, prog->n, &call);
        assert_true(r >= 0);
        return (uint32_t)r;
}

static uint32_t run(const struct prog *prog, int nr, uint64_t a0, uint64_t a1)
{
        return run_arch(prog, AUDIT_ARCH_X86_64, nr, a0, a1);
}

static struct sealexec_policy *load_docker(unsigned major, unsigned minor)
{
        struct json_host host = host_x86_64(major, minor);
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        if (parse_profile_file("docker-default.json", &host, NULL, &p, &err) < 0)
                fail_msg("%s", err.message);
        return p;
}

static int setup_x86_64(void **state)
{
        /* The syscall numbers below are x86_64's. */
        return seccomp_arch_native() == SCMP_ARCH_X86_64 ? 0 : -1;
}

static void test_docker_no_caps(void **state)
{
        struct sealexec_policy *p = load_docker(6, 1);
        struct prog prog = compile(p, 0);

        /* socket: AF_VSOCK (40) is the one family Docker refuses, via LT/EQ/GT. */
        assert_int_equal(run(&prog, SYS_socket, 40, 1), EPERM_RET);
        assert_int_equal(run(&prog, SYS_socket, 2, 1), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_socket, 38, 1), EPERM_RET);
        assert_int_equal(run(&prog, SYS_socket, 39, 1), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_socket, 41, 1), SECCOMP_RET_ALLOW);

        /* personality: exactly Docker's five values. */
        static const uint64_t allowed[] = {0, 8, 0x20000, 0x20008, 0xffffffff};
        for (size_t i = 0; i < ARRAY_SIZE(allowed); i++)
                assert_int_equal(run(&prog, SYS_personality, allowed[i], 0), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_personality, 1, 0), EPERM_RET);
        assert_int_equal(run(&prog, SYS_personality, 0x0400000, 0), EPERM_RET);

        /* clone3 gets ENOSYS so that libcs fall back to clone. */
        assert_int_equal(run(&prog, SYS_clone3, 0, 0), SECCOMP_RET_ERRNO | ENOSYS);
        /* clone: no namespace flags without CAP_SYS_ADMIN. */
        assert_int_equal(run(&prog, SYS_clone, 17 /* SIGCHLD */, 0), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_clone, CLONE_NEWUSER | 17 /* SIGCHLD */, 0), EPERM_RET);
        assert_int_equal(run(&prog, SYS_clone, CLONE_NEWNET, 0), EPERM_RET);

        assert_int_equal(run(&prog, SYS_mount, 0, 0), EPERM_RET);
        assert_int_equal(run(&prog, SYS_unshare, 0, 0), EPERM_RET);
        assert_int_equal(run(&prog, SYS_reboot, 0, 0), EPERM_RET);
        /* ptrace: minKernel 4.8 is met. */
        assert_int_equal(run(&prog, SYS_ptrace, 0, 0), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_arch_prctl, 0, 0), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_read, 0, 0), SECCOMP_RET_ALLOW);
        /* An unlisted syscall gets the default, errno 1. */
        assert_int_equal(run(&prog, SYS_kexec_load, 0, 0), EPERM_RET);

        /* The sub-architectures from archMap: i386 and x32 are filtered, not killed. */
        assert_int_equal(run_arch(&prog, AUDIT_ARCH_I386, 20 /* getpid */, 0, 0),
                         SECCOMP_RET_ALLOW);
        assert_int_equal(run_arch(&prog, AUDIT_ARCH_I386, 21 /* mount */, 0, 0), EPERM_RET);
        assert_int_equal(run(&prog, X32_BIT | 39 /* getpid */, 0, 0), SECCOMP_RET_ALLOW);
        /* Any other architecture is killed. */
        assert_int_equal(run_arch(&prog, AUDIT_ARCH_AARCH64, 172, 0, 0), SECCOMP_RET_KILL_PROCESS);
        free(prog.insns);
        sealexec_policy_free(p);
}

static void test_docker_sys_admin(void **state)
{
        struct sealexec_policy *p = load_docker(6, 1);
        struct prog prog = compile(p, BIT(CAP_SYS_ADMIN));
        assert_int_equal(run(&prog, SYS_mount, 0, 0), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_unshare, 0, 0), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_clone3, 0, 0), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_clone, CLONE_NEWUSER | 17 /* SIGCHLD */, 0),
                         SECCOMP_RET_ALLOW);
        /* Other capabilities' syscalls stay refused. */
        assert_int_equal(run(&prog, SYS_reboot, 0, 0), EPERM_RET);
        assert_int_equal(run(&prog, SYS_init_module, 0, 0), EPERM_RET);
        free(prog.insns);

        prog = compile(p, BIT(CAP_SYS_BOOT) | BIT(CAP_SYS_MODULE));
        assert_int_equal(run(&prog, SYS_reboot, 0, 0), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_init_module, 0, 0), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_mount, 0, 0), EPERM_RET);
        free(prog.insns);
        sealexec_policy_free(p);
}

static void test_docker_old_kernel(void **state)
{
        struct sealexec_policy *p = load_docker(4, 4);
        struct prog prog = compile(p, 0);
        assert_int_equal(run(&prog, SYS_ptrace, 0, 0), EPERM_RET);
        assert_int_equal(run(&prog, SYS_process_vm_readv, 0, 0), EPERM_RET);
        free(prog.insns);
        /* CAP_SYS_PTRACE's entry has no kernel condition. */
        prog = compile(p, BIT(CAP_SYS_PTRACE));
        assert_int_equal(run(&prog, SYS_ptrace, 0, 0), SECCOMP_RET_ALLOW);
        free(prog.insns);
        sealexec_policy_free(p);
}

static void test_actions(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(parse_profile_file("oci-actions.json", NULL, NULL, &p, &err), 0);
        struct prog prog = compile(p, 0);

        assert_int_equal(run(&prog, SYS_getpid, 0, 0), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_getppid, 0, 0), SECCOMP_RET_ERRNO | 5);
        assert_int_equal(run(&prog, SYS_getuid, 0, 0), SECCOMP_RET_ERRNO | EPERM);
        assert_int_equal(run(&prog, SYS_getgid, 0, 0), SECCOMP_RET_KILL_THREAD);
        assert_int_equal(run(&prog, SYS_geteuid, 0, 0), SECCOMP_RET_KILL_THREAD);
        assert_int_equal(run(&prog, SYS_getegid, 0, 0), SECCOMP_RET_KILL_PROCESS);
        assert_int_equal(run(&prog, SYS_gettid, 0, 0), SECCOMP_RET_TRAP);
        assert_int_equal(run(&prog, SYS_getpgrp, 0, 0), SECCOMP_RET_TRACE | 7);
        assert_int_equal(run(&prog, SYS_getsid, 0, 0), SECCOMP_RET_TRACE | EPERM);
        assert_int_equal(run(&prog, SYS_getpgid, 0, 0), SECCOMP_RET_LOG);
        assert_int_equal(run(&prog, SYS_sync, 0, 0), SECCOMP_RET_USER_NOTIF);
        assert_int_equal(run(&prog, SYS_read, 0, 0), SECCOMP_RET_ERRNO | ENOSYS);
        free(prog.insns);
        sealexec_policy_free(p);
}

/* read(arg0, arg1) is allowed when `args` match, EPERM otherwise. */
static struct prog compile_args(const char *args)
{
        char json[1024];
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        snprintf(json, sizeof(json),
                 "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
                 "[\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": %s}]}",
                 args);
        if (parse_json_str(json, NULL, &p, &err) < 0)
                fail_msg("%s: %s", args, err.message);
        struct prog prog = compile(p, 0);
        sealexec_policy_free(p);
        return prog;
}

static bool allows(const struct prog *prog, uint64_t a0, uint64_t a1)
{
        uint32_t r = run(prog, SYS_read, a0, a1);
        if (r != SECCOMP_RET_ALLOW && r != EPERM_RET)
                fail_msg("unexpected verdict %#x", r);
        return r == SECCOMP_RET_ALLOW;
}

static void test_operators(void **state)
{
        static const struct {
                const char *op;
                bool below, equal, above, high;
        } ops[] = {
            {"SCMP_CMP_NE", true, false, true, true},  {"SCMP_CMP_LT", true, false, false, false},
            {"SCMP_CMP_LE", true, true, false, false}, {"SCMP_CMP_EQ", false, true, false, false},
            {"SCMP_CMP_GE", false, true, true, true},  {"SCMP_CMP_GT", false, false, true, true},
        };
        for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
                char args[128];
                snprintf(args, sizeof(args), "[{\"index\": 0, \"value\": 77, \"op\": \"%s\"}]",
                         ops[i].op);
                struct prog prog = compile_args(args);
                assert_int_equal(allows(&prog, 76, 0), ops[i].below);
                assert_int_equal(allows(&prog, 77, 0), ops[i].equal);
                assert_int_equal(allows(&prog, 78, 0), ops[i].above);
                /* read's fd is an unsigned int: the kernel reads 2^32 + 77 as 77. */
                assert_int_equal(allows(&prog, (UINT64_C(1) << 32) + 77, 0), ops[i].equal);
                free(prog.insns);
                /* The buffer is a pointer: all 64 bits are compared. */
                snprintf(args, sizeof(args), "[{\"index\": 1, \"value\": 77, \"op\": \"%s\"}]",
                         ops[i].op);
                prog = compile_args(args);
                assert_int_equal(allows(&prog, 0, 76), ops[i].below);
                assert_int_equal(allows(&prog, 0, 77), ops[i].equal);
                assert_int_equal(allows(&prog, 0, (UINT64_C(1) << 32) + 77), ops[i].high);
                free(prog.insns);
        }

        /* MASKED_EQ: (arg & value) == valueTwo. */
        struct prog prog = compile_args(
            "[{\"index\": 1, \"value\": 240, \"valueTwo\": 48, \"op\": \"SCMP_CMP_MASKED_EQ\"}]");
        assert_true(allows(&prog, 0, 0x30));
        assert_true(allows(&prog, 0, 0x3f));
        assert_true(allows(&prog, 0, 0x130));
        assert_false(allows(&prog, 0, 0x40));
        assert_false(allows(&prog, 0, 0));
        free(prog.insns);

        /* Full-width values (on the buffer pointer: 64 bits). */
        prog = compile_args("[{\"index\": 1, \"value\": 18446744073709551615, \"op\": "
                            "\"SCMP_CMP_EQ\"}]");
        assert_true(allows(&prog, 0, UINT64_MAX));
        assert_false(allows(&prog, 0, UINT32_MAX));
        free(prog.insns);
        /* On the fd, an unsigned int, the kernel sees 0xffffffff either way. */
        prog = compile_args("[{\"index\": 0, \"value\": 18446744073709551615, \"op\": "
                            "\"SCMP_CMP_EQ\"}]");
        assert_true(allows(&prog, UINT64_MAX, 0));
        assert_true(allows(&prog, UINT32_MAX, 0));
        assert_false(allows(&prog, UINT32_MAX - 1, 0));
        free(prog.insns);
}

/* runc's semantics: a repeated index ORs every comparison, distinct ones AND. */
static void test_args_and_or(void **state)
{
        struct prog prog = compile_args("[{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
                                        " {\"index\": 1, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]");
        assert_true(allows(&prog, 1, 2));
        assert_false(allows(&prog, 1, 3));
        assert_false(allows(&prog, 0, 2));
        free(prog.insns);

        prog = compile_args("[{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
                            " {\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"},"
                            " {\"index\": 1, \"value\": 9, \"op\": \"SCMP_CMP_EQ\"}]");
        assert_true(allows(&prog, 1, 0));
        assert_true(allows(&prog, 2, 0));
        assert_true(allows(&prog, 3, 9));
        assert_false(allows(&prog, 3, 0));
        free(prog.insns);
}

/* In file order, the first matching entry decides. */
static void test_entry_order(void **state)
{
        const char *json =
            "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
            "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13,"
            " \"args\": [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_EQ\"}]},"
            "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_KILL_PROCESS\","
            " \"args\": [{\"index\": 0, \"value\": 3, \"op\": \"SCMP_CMP_GE\"}]}]}";
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(parse_json_str(json, NULL, &p, &err), 0);
        struct prog prog = compile(p, 0);
        assert_int_equal(run(&prog, SYS_read, 5, 0), SECCOMP_RET_ERRNO | 13);
        assert_int_equal(run(&prog, SYS_read, 4, 0), SECCOMP_RET_KILL_PROCESS);
        assert_int_equal(run(&prog, SYS_read, 2, 0), SECCOMP_RET_ALLOW);
        free(prog.insns);
        sealexec_policy_free(p);
}

static void test_oci_config(void **state)
{
        struct json_host host = host_x86_64(6, 1);
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(parse_profile_file("config.json", &host, NULL, &p, &err), 0);
        struct prog prog = compile(p, 0);
        assert_int_equal(run(&prog, SYS_write, 1, 0), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_kill, 1, 15), SECCOMP_RET_ALLOW);
        assert_int_equal(run(&prog, SYS_kill, 1, 9), EPERM_RET);
        assert_int_equal(run(&prog, SYS_getpid, 0, 0), EPERM_RET);
        assert_int_equal(run_arch(&prog, AUDIT_ARCH_I386, 3 /* read */, 0, 0), SECCOMP_RET_ALLOW);
        free(prog.insns);
        sealexec_policy_free(p);
}

/* containers/common's format: the same verdicts as its numbers say. */
static void test_containers_common(void **state)
{
        struct json_host host = host_x86_64(6, 1);
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        if (parse_profile_file("containers-common.json", &host, NULL, &p, &err) < 0)
                fail_msg("%s", err.message);
        struct prog none = compile(p, 0), audit = compile(p, BIT(CAP_AUDIT_WRITE)),
                    admin = compile(p, BIT(CAP_SYS_ADMIN));

        /* "defaultErrno": "ENOSYS": what nothing names. */
        assert_int_equal(run(&none, SYS_tuxcall, 0, 0), SECCOMP_RET_ERRNO | ENOSYS);
        /* "errno": "EPERM": the leading list, and the capability-gated ones. */
        assert_int_equal(run(&none, SYS_kexec_load, 0, 0), EPERM_RET);
        assert_int_equal(run(&none, SYS_mount, 0, 0), EPERM_RET);
        assert_int_equal(run(&admin, SYS_mount, 0, 0), SECCOMP_RET_ALLOW);
        /* "errno": "EINVAL": audit netlink sockets, unless CAP_AUDIT_WRITE is kept. */
        assert_int_equal(run(&none, SYS_socket, 16 /* AF_NETLINK */, 3), SECCOMP_RET_ALLOW);
        struct bpf_sim_call call = {
            .nr = SYS_socket, .arch = AUDIT_ARCH_X86_64, .args = {16, 3, 9}};
        assert_int_equal(bpf_sim_run(none.insns, none.n, &call), SECCOMP_RET_ERRNO | EINVAL);
        assert_int_equal(bpf_sim_run(audit.insns, audit.n, &call), SECCOMP_RET_ALLOW);
        /* "errno": "ENOSYS" with clone3, as Docker's profile. */
        assert_int_equal(run(&none, SYS_clone3, 0, 0), SECCOMP_RET_ERRNO | ENOSYS);
        assert_int_equal(run(&none, SYS_read, 0, 0), SECCOMP_RET_ALLOW);
        free(none.insns);
        free(audit.insns);
        free(admin.insns);
        sealexec_policy_free(p);
}

/* An errno above 4095 is put in the program as written (the kernel caps it). */
static void test_errno_above_max_errno(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(parse_json_str("{\"defaultAction\": \"SCMP_ACT_ERRNO\", "
                                        "\"defaultErrnoRet\": 4096, \"syscalls\": [{\"names\": "
                                        "[\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\", "
                                        "\"errnoRet\": 12345}]}",
                                        NULL, &p, &err),
                         0);
        struct prog prog = compile(p, 0);
        assert_int_equal(run(&prog, SYS_getppid, 0, 0), SECCOMP_RET_ERRNO | 12345);
        assert_int_equal(run(&prog, SYS_getpid, 0, 0), SECCOMP_RET_ERRNO | 4096);
        free(prog.insns);
        sealexec_policy_free(p);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_docker_no_caps),    cmocka_unit_test(test_docker_sys_admin),
            cmocka_unit_test(test_docker_old_kernel), cmocka_unit_test(test_actions),
            cmocka_unit_test(test_operators),         cmocka_unit_test(test_args_and_or),
            cmocka_unit_test(test_entry_order),       cmocka_unit_test(test_oci_config),
            cmocka_unit_test(test_containers_common), cmocka_unit_test(test_errno_above_max_errno),
        };
        if (setup_x86_64(NULL) < 0) {
                printf("SKIP: the verdict tests use x86_64 syscall numbers\n");
                return 77;
        }
        return cmocka_run_group_tests(tests, NULL, NULL);
}
