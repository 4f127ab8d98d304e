/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The built-in profiles: names, and the verdicts of "default" and "docker". */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>

#include <linux/capability.h>

#include <jansson.h>

#include "core_helpers.h"
#include "policy/profiles/profiles.h"
#include "policy/syscalls.h"

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
        /* needs CAP_SYS_ADMIN, which is not kept: EPERM (default_caps) */
        assert_int_equal(v1(&c, SYS_mount, 0), RET_ERRNO(EPERM));
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
        assert_int_equal(verdict(&c, SYS_execveat, 9, 0, 0, 0, POLICY_LAUNCH_FLAGS), RET_ALLOW);
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

/*
 * Docker's capability-gated syscalls in the default profile: allowed when
 * one of the capabilities is kept, otherwise `without` (EPERM, or what the
 * profile answered before). Checked with no capability, each single one, and
 * all of them.
 */
#define CAPB(c) (UINT64_C(1) << (c))
struct cap_case {
        const char *what;
        int nr;
        uint64_t a0;
        uint64_t caps; /* any of these allows it; 0: nothing does */
        uint32_t without;
};

static const struct cap_case cap_cases[] = {
    {"chroot", SYS_chroot, 0, CAPB(CAP_SYS_CHROOT), RET_ERRNO(EPERM)},
    {"settimeofday", SYS_settimeofday, 0, CAPB(CAP_SYS_TIME), RET_ERRNO(EPERM)},
    {"clock_settime", SYS_clock_settime, 0, CAPB(CAP_SYS_TIME), RET_ERRNO(EPERM)},
    {"reboot", SYS_reboot, 0, CAPB(CAP_SYS_BOOT), RET_ERRNO(EPERM)},
    {"init_module", SYS_init_module, 0, CAPB(CAP_SYS_MODULE), RET_ERRNO(EPERM)},
    {"finit_module", SYS_finit_module, 0, CAPB(CAP_SYS_MODULE), RET_ERRNO(EPERM)},
    {"delete_module", SYS_delete_module, 0, CAPB(CAP_SYS_MODULE), RET_ERRNO(EPERM)},
    {"acct", SYS_acct, 0, CAPB(CAP_SYS_PACCT), RET_ERRNO(EPERM)},
#ifdef SYS_iopl
    {"iopl", SYS_iopl, 0, CAPB(CAP_SYS_RAWIO), RET_ERRNO(EPERM)},
    {"ioperm", SYS_ioperm, 0, CAPB(CAP_SYS_RAWIO), RET_ERRNO(EPERM)},
#endif
    {"vhangup", SYS_vhangup, 0, CAPB(CAP_SYS_TTY_CONFIG), RET_ERRNO(EPERM)},
    {"open_by_handle_at", SYS_open_by_handle_at, 0, CAPB(CAP_DAC_READ_SEARCH), RET_ERRNO(EPERM)},
    {"syslog", SYS_syslog, 0, CAPB(CAP_SYSLOG) | CAPB(CAP_SYS_ADMIN), RET_ERRNO(EPERM)},
    {"bpf", SYS_bpf, 0, CAPB(CAP_BPF) | CAPB(CAP_SYS_ADMIN), RET_ERRNO(EPERM)},
    {"perf_event_open", SYS_perf_event_open, 0, CAPB(CAP_PERFMON) | CAPB(CAP_SYS_ADMIN),
     RET_ERRNO(EPERM)},
    {"mount", SYS_mount, 0, CAPB(CAP_SYS_ADMIN), RET_ERRNO(EPERM)},
    {"umount2", SYS_umount2, 0, CAPB(CAP_SYS_ADMIN), RET_ERRNO(EPERM)},
    {"unshare", SYS_unshare, 0, CAPB(CAP_SYS_ADMIN), RET_ERRNO(EPERM)},
    {"setns", SYS_setns, 0, CAPB(CAP_SYS_ADMIN), RET_ERRNO(EPERM)},
    {"sethostname", SYS_sethostname, 0, CAPB(CAP_SYS_ADMIN), RET_ERRNO(EPERM)},
    {"fanotify_init", SYS_fanotify_init, 0, CAPB(CAP_SYS_ADMIN), RET_ERRNO(EPERM)},
    /* clone: namespace flags only with CAP_SYS_ADMIN; without, as before */
    {"clone(CLONE_NEWUSER)", SYS_clone, 0x10000000, CAPB(CAP_SYS_ADMIN), RET_ERRNO(EPERM)},
    {"clone3", SYS_clone3, 0, CAPB(CAP_SYS_ADMIN), RET_ERRNO(ENOSYS)},
    /* NUMA memory policy: ENOSYS without CAP_SYS_NICE, as before */
    {"mbind", SYS_mbind, 0, CAPB(CAP_SYS_NICE), RET_ERRNO(ENOSYS)},
    {"get_mempolicy", SYS_get_mempolicy, 0, CAPB(CAP_SYS_NICE), RET_ERRNO(ENOSYS)},
    {"set_mempolicy", SYS_set_mempolicy, 0, CAPB(CAP_SYS_NICE), RET_ERRNO(ENOSYS)},
    /* denied whatever is kept, CAP_SYS_PTRACE included */
    {"ptrace", SYS_ptrace, 0, 0, RET_ERRNO(EPERM)},
    {"process_vm_readv", SYS_process_vm_readv, 0, 0, RET_ERRNO(EPERM)},
    {"process_vm_writev", SYS_process_vm_writev, 0, 0, RET_ERRNO(EPERM)},
    {"kcmp", SYS_kcmp, 0, 0, RET_ERRNO(EPERM)},
    {"pidfd_getfd", SYS_pidfd_getfd, 0, 0, RET_ERRNO(EPERM)},
    {"io_uring_setup", SYS_io_uring_setup, 0, 0, RET_ERRNO(EPERM)},
    {"kexec_load", SYS_kexec_load, 0, 0, RET_ERRNO(ENOSYS)},
    {"unknown", 1000, 0, 0, RET_ERRNO(ENOSYS)},
};

static void check_cap_cases(const struct sealexec_policy *p, uint64_t kept)
{
        struct compiled c = compile_ctx(p, -1, kept);
        for (size_t i = 0; i < sizeof(cap_cases) / sizeof(cap_cases[0]); i++) {
                const struct cap_case *t = &cap_cases[i];
                uint32_t want = (t->caps & kept) ? RET_ALLOW : t->without;
                uint32_t got = v1(&c, t->nr, t->a0);
                if (got != want)
                        fail_msg("%s with kept caps 0x%llx: verdict 0x%x, expected 0x%x", t->what,
                                 (unsigned long long)kept, got, want);
        }
        /* Unchanged by any capability. */
        assert_int_equal(v1(&c, SYS_getppid, 0), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_clone, 0x11 /* SIGCHLD */), RET_ALLOW);
        assert_int_equal(verdict(&c, SYS_ioctl, 0, 0x5412 /* TIOCSTI */, 0, 0, 0),
                         RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_socket, 40 /* AF_VSOCK */), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_personality, 0x0400000), RET_ERRNO(ENOSYS));
#ifdef __x86_64__
        assert_int_equal(v1(&c, SYS_modify_ldt, 0), RET_ALLOW);
        assert_int_equal(verdict_arch(&c, AUDIT_ARCH_I386, 61 /* chroot */, 0, 0, 0, 0, 0),
                         RET_KILL_PROCESS);
#endif
        assert_true(c.n < 4096);
        free(c.prog);
}

static void default_caps(void **state)
{
        struct sealexec_policy *p = NULL;
        assert_int_equal(policy_profile_load("default", &p, NULL), 0);
        check_cap_cases(p, 0);
        for (unsigned cap = 0; cap <= CAP_LAST_CAP; cap++)
                check_cap_cases(p, CAPB(cap));
        check_cap_cases(p, ~UINT64_C(0));
        sealexec_policy_free(p);
}

/* The rules are data: `explain` shows the gate and the EPERM that follows it. */
static void describe_default_caps(void **state)
{
        struct sealexec_policy *p = NULL;
        struct policy_compile_ctx none = {.launch_fd = -1};
        struct policy_compile_ctx chroot = {.launch_fd = -1, .kept_caps = CAPB(CAP_SYS_CHROOT)};
        char *text = NULL;
        assert_int_equal(policy_profile_load("default", &p, NULL), 0);
        assert_int_equal(policy_describe(p, &none, false, &text, NULL), 0);
        assert_non_null(strstr(text, "chroot: errno(EPERM)"));
        free(text);
        assert_int_equal(policy_describe(p, &chroot, false, &text, NULL), 0);
        assert_non_null(strstr(text, "chroot: allow"));
        free(text);
        sealexec_policy_free(p);
}

#ifdef __x86_64__
/* --deny-unix for i386 callers of an x86_64 payload. */
static void deny_unix_i386(const struct compiled *c)
{
        /* i386: listed only where its direct socket syscalls have names */
        if (policy_syscall_resolve_real("socket", SCMP_ARCH_X86) < 0) {
                assert_int_equal(verdict_arch(c, AUDIT_ARCH_I386, 359, 1, 1, 0, 0, 0),
                                 RET_KILL_PROCESS);
                assert_int_equal(verdict_arch(c, AUDIT_ARCH_I386, 64, 0, 0, 0, 0, 0),
                                 RET_KILL_PROCESS);
                return;
        }
        /* i386: the direct syscalls by value, socketcall by call number */
        assert_int_equal(verdict_arch(c, AUDIT_ARCH_I386, 359 /* socket */, 1, 1, 0, 0, 0),
                         RET_ERRNO(EACCES));
        assert_int_equal(verdict_arch(c, AUDIT_ARCH_I386, 359, 2, 1, 0, 0, 0), RET_ALLOW);
        assert_int_equal(verdict_arch(c, AUDIT_ARCH_I386, 360 /* socketpair */, 1, 2, 0, 0, 0),
                         RET_ERRNO(EACCES));
        assert_int_equal(verdict_arch(c, AUDIT_ARCH_I386, 360, 1, 1, 0, 0, 0), RET_ALLOW);
        assert_int_equal(
            verdict_arch(c, AUDIT_ARCH_I386, 102 /* socketcall */, 1 /* SOCKET */, 0, 0, 0, 0),
            RET_ERRNO(EACCES));
        assert_int_equal(verdict_arch(c, AUDIT_ARCH_I386, 102, 8 /* SYS_SOCKETPAIR */, 0, 0, 0, 0),
                         RET_ERRNO(EACCES));
        assert_int_equal(verdict_arch(c, AUDIT_ARCH_I386, 102, 3 /* SYS_CONNECT */, 0, 0, 0, 0),
                         RET_ALLOW);
        assert_int_equal(verdict_arch(c, AUDIT_ARCH_I386, 425 /* io_uring_setup */, 1, 0, 0, 0, 0),
                         RET_ERRNO(EPERM));
        assert_int_equal(verdict_arch(c, AUDIT_ARCH_I386, 64 /* getppid */, 0, 0, 0, 0, 0),
                         RET_ALLOW);
}
#endif

/* --deny-unix: no new UNIX socket that could reach a named one. */
static void deny_unix(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        if (policy_profile_deny_unix(&p, &err) < 0)
                fail_msg("deny-unix: %s", err.message);
        assert_true(p->builtin);
        assert_int_equal(p->default_action.kind, POLICY_ACT_ALLOW);
        assert_int_equal(p->bad_arch_action.kind, POLICY_ACT_KILL_PROCESS);
        struct compiled c = compile_ctx(p, 5, 0);

        assert_int_equal(v1(&c, SYS_socket, 1 /* AF_UNIX */), RET_ERRNO(EACCES));
        /* the kernel reads an int: upper bits do not hide AF_UNIX */
        assert_int_equal(v1(&c, SYS_socket, UINT64_C(0x100000001)), RET_ERRNO(EACCES));
        assert_int_equal(v1(&c, SYS_socket, UINT64_C(0xffffffff00000001)), RET_ERRNO(EACCES));
        assert_int_equal(v1(&c, SYS_socket, 2 /* AF_INET */), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_socket, 10 /* AF_INET6 */), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_socket, 16 /* AF_NETLINK */), RET_ALLOW);
        /* socketpair: only datagram pairs, whatever the flags */
        assert_int_equal(verdict(&c, SYS_socketpair, 1, 2 /* SOCK_DGRAM */, 0, 0, 0),
                         RET_ERRNO(EACCES));
        assert_int_equal(verdict(&c, SYS_socketpair, 1, 0x80802 /* |CLOEXEC|NONBLOCK */, 0, 0, 0),
                         RET_ERRNO(EACCES));
        assert_int_equal(
            verdict(&c, SYS_socketpair, UINT64_C(0x100000001), UINT64_C(0x500000002), 0, 0, 0),
            RET_ERRNO(EACCES));
        assert_int_equal(verdict(&c, SYS_socketpair, 1, 1 /* SOCK_STREAM */, 0, 0, 0), RET_ALLOW);
        assert_int_equal(verdict(&c, SYS_socketpair, 1, 5 /* SOCK_SEQPACKET */, 0, 0, 0),
                         RET_ALLOW);
        assert_int_equal(verdict(&c, SYS_socketpair, 1, 0x80001, 0, 0, 0), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_io_uring_setup, 1), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_io_uring_enter, 0), RET_ERRNO(EPERM));
        assert_int_equal(v1(&c, SYS_io_uring_register, 0), RET_ERRNO(EPERM));
        /* everything else is allowed: the policy the filter is stacked on decides */
        assert_int_equal(v1(&c, SYS_connect, 3), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_getppid, 0), RET_ALLOW);
        assert_int_equal(v1(&c, SYS_ptrace, 0), RET_ALLOW);
        assert_int_equal(v1(&c, 1000, 0), RET_ALLOW);
        assert_int_equal(verdict(&c, SYS_execveat, 5, 0, 0, 0, 0x1000), RET_ALLOW);
#ifdef __x86_64__
        deny_unix_i386(&c);
        /* x32: x86_64's audit arch with bit 30 set in the number */
        assert_int_equal(
            verdict_arch(&c, AUDIT_ARCH_X86_64, 0x40000000 | 41 /* socket */, 1, 0, 0, 0, 0),
            RET_ERRNO(EACCES));
        assert_int_equal(verdict_arch(&c, AUDIT_ARCH_X86_64, 0x40000000 | 41, 2, 0, 0, 0, 0),
                         RET_ALLOW);
        assert_int_equal(
            verdict_arch(&c, AUDIT_ARCH_X86_64, 0x40000000 | 53 /* socketpair */, 1, 2, 0, 0, 0),
            RET_ERRNO(EACCES));
        /* an ABI the machine cannot call */
        assert_int_equal(verdict_arch(&c, AUDIT_ARCH_AARCH64, 198, 1, 0, 0, 0, 0),
                         RET_KILL_PROCESS);
#endif
        free(c.prog);
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
        assert_non_null(strstr(text, "execveat: allow if arg0 == 5 && arg4 == AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW "
                                     "(launch rule)"));
        assert_non_null(strstr(text, "pseudo filter code"));
        free(text);
        sealexec_policy_free(q);
        sealexec_policy_free(p);
}

#ifdef __x86_64__
/* Docker's profile lists x86_64, x86 and x32: explain says which syscalls
 * each has, and never calls one enforced somewhere "not on this architecture". */
static void describe_docker_per_arch(void **state)
{
        struct sealexec_policy *p = NULL;
        struct policy_compile_ctx ctx = {.launch_fd = -1};
        char *text = NULL;
        assert_int_equal(policy_profile_load("docker", &p, NULL), 0);
        assert_int_equal(policy_describe(p, &ctx, false, &text, NULL), 0);
        assert_null(strstr(text, "not on this architecture"));
        assert_non_null(strstr(text, "\n  socketcall: allow (only on x86)"));
        assert_non_null(strstr(text, "\n  mmap2: allow (only on x86)"));
        assert_non_null(strstr(text, "\n  ipc: allow (only on x86)"));
        assert_non_null(strstr(text, "\n  accept: allow (only on x86_64, x32)"));
        assert_non_null(strstr(text, "\n  read: allow  ["));
        assert_non_null(strstr(text, "syscalls with rules, per architecture: x86_64 (native) "));
        free(text);

        json_t *j = NULL;
        assert_int_equal(policy_describe_json(p, &ctx, &j, NULL), 0);
        json_t *rules = json_object_get(j, "rules"), *per = json_object_get(j, "per_architecture");
        assert_int_equal(json_array_size(per), 3);
        static const char *const names[] = {"x86_64", "x86", "x32"};
        size_t n_rules = json_array_size(rules);
        bool *somewhere = calloc(n_rules, sizeof(bool));
        bool socketcall_on_x86 = false, socketcall_absent_x86_64 = false;
        for (size_t a = 0; a < 3; a++) {
                json_t *e = json_array_get(per, a);
                json_t *here = json_object_get(e, "rules"), *absent = json_object_get(e, "absent");
                assert_string_equal(json_string_value(json_object_get(e, "architecture")),
                                    names[a]);
                assert_true(json_is_true(json_object_get(e, "native")) == (a == 0));
                for (size_t i = 0; i < json_array_size(here); i++) {
                        size_t k = (size_t)json_integer_value(json_array_get(here, i));
                        assert_true(k < n_rules);
                        somewhere[k] = true;
                        json_t *rule = json_array_get(rules, k);
                        const char *name = json_string_value(json_object_get(rule, "syscall"));
                        /* A rule an architecture has is not absent from it. */
                        for (size_t m = 0; m < json_array_size(absent); m++)
                                assert_string_not_equal(
                                    json_string_value(json_array_get(absent, m)), name);
                        socketcall_on_x86 |= a == 1 && strcmp(name, "socketcall") == 0;
                }
                for (size_t i = 0; i < json_array_size(absent); i++)
                        socketcall_absent_x86_64 |=
                            a == 0 &&
                            strcmp(json_string_value(json_array_get(absent, i)), "socketcall") == 0;
        }
        /* Every rule is enforced on at least one architecture. */
        for (size_t k = 0; k < n_rules; k++)
                assert_true(somewhere[k]);
        assert_true(socketcall_on_x86);
        assert_true(socketcall_absent_x86_64);
        free(somewhere);
        json_decref(j);
        sealexec_policy_free(p);
}
#endif

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(profile_names),         cmocka_unit_test(default_verdicts),
            cmocka_unit_test(default_launch),        cmocka_unit_test(docker_profile),
            cmocka_unit_test(describe_default),      cmocka_unit_test(default_caps),
            cmocka_unit_test(describe_default_caps), cmocka_unit_test(deny_unix),
#ifdef __x86_64__
            cmocka_unit_test(describe_docker_per_arch),
#endif
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
