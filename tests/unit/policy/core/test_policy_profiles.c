/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The built-in profiles: names, and the verdicts of "default" and "docker". */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>

#include "core_helpers.h"

static uint32_t v1(const struct compiled *c, int nr, uint64_t a0)
{
        return verdict_arch(c, NATIVE_AUDIT_ARCH, nr, a0, 0, 0, 0, 0);
}

static void profile_names(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_policy_new_profile("none", &p, &err), 0);
        assert_true(p->no_filter);
        sealexec_policy_free(p);
        p = NULL;
        assert_int_equal(sealexec_policy_new_profile("nonsense", &p, &err), -ENOENT);
        assert_null(p);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_string_equal(err.message,
                            "unknown profile 'nonsense' (known: default, docker, none)");
        assert_int_equal(sealexec_policy_new_profile("default", &p, &err), 0);
        assert_false(p->no_filter);
        assert_int_equal(p->default_action.kind, POLICY_ACT_ERRNO);
        assert_int_equal(p->default_action.data, ENOSYS);
        sealexec_policy_free(p);
}

static void default_verdicts(void **state)
{
        struct sealexec_policy *p = NULL;
        assert_int_equal(policy_profile_load("default", &p, NULL), 0);
        struct compiled c = compile_ctx(p, -1, 0);

        assert_int_equal(v1(&c, SYS_getppid, 0), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_read, 0), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_execve, 0), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_ptrace, 0), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_process_vm_readv, 0), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_kcmp, 0), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_pidfd_getfd, 0), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_io_uring_setup, 0), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_io_uring_enter, 0), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_io_uring_register, 0), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_clone3, 0), RET_ERRNO(ENOSYS));
        assert_int_equal(v1(&c, 1000, 0), RET_ERRNO(ENOSYS));
        assert_int_equal(v1(&c, SYS_mount, 0), RET_ERRNO(ENOSYS));
        /* clone without namespace flags only */
        assert_int_equal(v1(&c, SYS_clone, 0x11 /* SIGCHLD */), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_clone, 0x20000 /* CLONE_NEWNS */), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_clone, 0x10000000 /* CLONE_NEWUSER */), RET_ERRNO(EPERM));
        /* socket: AF_ALG and AF_VSOCK refused, also with garbage upper bits */
        assert_int_equal(v1(&c, SYS_socket, 2), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_socket, 39), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_socket, 38), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_socket, UINT64_C(0x100000026)), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_socket, 40), RET_ERRNO(EPERM));
        /* personality: Docker's values only */
        assert_int_equal(v1(&c, SYS_personality, 0), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_personality, 0xffffffff), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_personality, 0x0400000 /* READ_IMPLIES_EXEC */),
                         RET_ERRNO(ENOSYS));
        /* ioctl: TIOCSTI and TIOCLINUX refused, also with the upper bits set */
        assert_int_equal(verdict(&c, SYS_ioctl, 0, 0x5412, 0, 0, 0), RET_ERRNO(EPERM));
        assert_int_equal(verdict(&c, SYS_ioctl, 0, UINT64_C(0xffffffff00005412), 0, 0, 0),
                         RET_ERRNO(EPERM));
        assert_int_equal(verdict(&c, SYS_ioctl, 0, 0x541C, 0, 0, 0), RET_ERRNO(EPERM));
        assert_int_equal(verdict(&c, SYS_ioctl, 0, 0x541B /* FIONREAD */, 0, 0, 0), RET_ALLOW);
        assert_int_equal(verdict(&c, SYS_ioctl, 0, 0x5401 /* TCGETS */, 0, 0, 0), RET_ALLOW);
#ifdef __x86_64__
        /* foreign ABIs are killed: i386, and x32 (x86_64's arch, bit 30 set) */
        assert_int_equal(verdict_arch(&c, AUDIT_ARCH_I386, 64 /* getppid */, 0, 0, 0, 0, 0),
                         RET_KILL_PROCESS);
        assert_int_equal(verdict_arch(&c, AUDIT_ARCH_X86_64, 0x40000000 | 1, 0, 0, 0, 0, 0),
                         RET_KILL_PROCESS);
        assert_int_equal(
            verdict_arch(&c, AUDIT_ARCH_X86_64, 0x40000000 | SYS_getppid, 0, 0, 0, 0, 0),
            RET_KILL_PROCESS);
        assert_int_equal(v1(&c, 462 /* mseal */, 0), RET_ALLOW);
#endif
        assert_true(c.n < 4096);
        free(c.prog);
        sealexec_policy_free(p);
}

/* execveat is allowed by the default profile anyway; a launch fd changes nothing. */
static void default_launch(void **state)
{
        struct sealexec_policy *p = NULL;
        assert_int_equal(policy_profile_load("default", &p, NULL), 0);
        struct compiled c = compile_ctx(p, 9, 0);
        assert_int_equal(verdict(&c, SYS_execveat, 9, 0, 0, 0, AT_EMPTY_PATH), RET_ALLOW);
        free(c.prog);
        sealexec_policy_free(p);
}

static void docker_profile(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        int r = policy_profile_load("docker", &p, &err);
        if (r < 0)
                fail_msg("docker profile: %s", err.message);
        assert_int_equal(p->default_action.kind, POLICY_ACT_ERRNO);
        struct compiled none = compile_ctx(p, -1, 0);
        assert_int_equal(v1(&none, SYS_getppid, 0), RET_ALLOW);
        assert_int_equal(v1(&none, SYS_chroot, 0), RET_ERRNO(EPERM));
        assert_int_equal(v1(&none, SYS_clone3, 0), RET_ERRNO(ENOSYS));
        struct compiled chroot = compile_ctx(p, -1, UINT64_C(1) << 18 /* CAP_SYS_CHROOT */);
        assert_int_equal(v1(&chroot, SYS_chroot, 0), RET_ALLOW);
        struct compiled admin = compile_ctx(p, -1, UINT64_C(1) << 21 /* CAP_SYS_ADMIN */);
        assert_int_equal(v1(&admin, SYS_clone3, 0), RET_ALLOW);
        free(none.prog);
        free(chroot.prog);
        free(admin.prog);
        sealexec_policy_free(p);
}

static void describe_default(void **state)
{
        struct sealexec_policy *p = NULL;
        struct policy_compile_ctx ctx = {.launch_fd = 5};
        char *text = NULL;
        assert_int_equal(policy_profile_load("default", &p, NULL), 0);
        assert_int_equal(policy_describe(p, &ctx, false, &text, NULL), 0);
        assert_non_null(strstr(text, "default action: errno(ENOSYS)"));
        assert_non_null(strstr(text, "bad-architecture action: kill-process"));
        assert_non_null(strstr(text, "ioctl: errno(EPERM) if arg1&0xffffffff == 0x5412"));
        assert_non_null(strstr(text, "ptrace: errno(EPERM)"));
        assert_non_null(strstr(text, "BPF: "));
        free(text);

        /* A policy without execveat shows the launch rule. */
        struct sealexec_policy *q = NULL;
        assert_int_equal(policy_new("q", &q, NULL), 0);
        add_rule(q, "exit_group", act(POLICY_ACT_ALLOW, 0), 0, NULL);
        assert_int_equal(policy_describe(q, &ctx, true, &text, NULL), 0);
        assert_non_null(strstr(text, "execveat: allow if arg0 == 5 && arg4 == AT_EMPTY_PATH "
                                     "(launch rule)"));
        assert_non_null(strstr(text, "pseudo filter code"));
        free(text);
        sealexec_policy_free(q);
        sealexec_policy_free(p);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(profile_names),    cmocka_unit_test(default_verdicts),
            cmocka_unit_test(default_launch),   cmocka_unit_test(docker_profile),
            cmocka_unit_test(describe_default),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
