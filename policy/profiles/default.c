/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The "default" profile, compiled into the library.
 *
 * It follows Docker's default profile (moby/profiles seccomp/default.json):
 * the syscalls Docker allows every container without extra capabilities are
 * allowed (default-allow.inc), with these differences and choices:
 *   - Unknown syscalls get ENOSYS, not EPERM: libc then falls back to an older
 *     syscall (clone3 -> clone, faccessat2 -> faccessat, ...) instead of
 *     failing. clone3 gets ENOSYS explicitly, as in Docker, because its flags
 *     live in memory that seccomp cannot inspect.
 *   - ptrace, process_vm_readv/writev, kcmp and pidfd_getfd (reading or
 *     controlling other processes) and io_uring_setup/enter/register (a large
 *     attack surface that also bypasses seccomp for the operations it
 *     performs) get EPERM, so programs see a refusal rather than a missing
 *     feature.
 *   - execve and execveat stay allowed: entrypoint scripts run other programs.
 *   - clone only without namespace flags (Docker's rule for containers
 *     without CAP_SYS_ADMIN); with them, EPERM.
 *   - personality only with the values Docker allows (PER_LINUX, UNAME26,
 *     PER_LINUX32, their combination, and 0xffffffff to query); other values
 *     get the default ENOSYS. (An explicit EPERM for "every other value"
 *     would cost libseccomp some 2800 BPF instructions: it cannot say "else"
 *     within one syscall, so the complement of five values must be spelled
 *     out bit by bit; see compile.c.)
 *   - socket: AF_ALG (38) and AF_VSOCK (40) get EPERM, as in Docker. The
 *     domain is an int, so only its low 32 bits are compared: 0x100000026 is
 *     AF_ALG to the kernel, and is refused too.
 *   - ioctl: TIOCSTI (0x5412, pushes input into a terminal) and TIOCLINUX
 *     (0x541C, can do the same through the console) get EPERM; the request is
 *     compared on its low 32 bits, so the upper-bits variant of CVE-2019-10063
 *     (0xffffffff00005412) is caught. Every other ioctl is allowed.
 *   - Only the native architecture; other ABIs (i386 on x86_64, and x32,
 *     which shares x86_64's audit arch with bit 30 set in the syscall number)
 *     kill the process.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "../policy.h"
#include "../syscalls.h"
#include "profiles.h"

static const char *const allowed[] = {
#include "default-allow.inc"
};

static const char *const denied_eperm[] = {
    "ptrace",      "process_vm_readv", "process_vm_writev", "kcmp",
    "pidfd_getfd", "io_uring_setup",   "io_uring_enter",    "io_uring_register",
};

/* Docker's CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET mask. */
#define CLONE_NS_FLAGS UINT64_C(0x7E020000)

static const uint64_t personality_values[] = {0x0, 0x8, 0x20000, 0x20008, 0xffffffff};

#define AF_ALG_VALUE    38
#define AF_VSOCK_VALUE  40
#define TIOCSTI_VALUE   0x5412
#define TIOCLINUX_VALUE 0x541C

static const struct policy_action act_allow = {.kind = POLICY_ACT_ALLOW};
static const struct policy_action act_eperm = {.kind = POLICY_ACT_ERRNO, .data = EPERM};
static const struct policy_action act_enosys = {.kind = POLICY_ACT_ERRNO, .data = ENOSYS};

static int add_simple(struct sealexec_policy *p, const char *name, struct policy_action act,
                      sealexec_error *err)
{
        struct policy_rule rule = {.syscall_name = (char *)name, .action = act};
        return policy_add_rule(p, &rule, err);
}

/* A rule with a single comparison. */
static int add_cmp(struct sealexec_policy *p, const char *name, struct policy_action act,
                   struct policy_cmp cmp, sealexec_error *err)
{
        struct policy_clause clause = {.n_cmps = 1, .cmps = &cmp};
        struct policy_rule rule = {
            .syscall_name = (char *)name, .action = act, .n_clauses = 1, .clauses = &clause};
        return policy_add_rule(p, &rule, err);
}

static int add_allowed(struct sealexec_policy *p, sealexec_error *err)
{
        for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
                /* Names of other architectures are left out. */
                if (policy_syscall_resolve_real(allowed[i], SCMP_ARCH_NATIVE) < 0)
                        continue;
                int r = add_simple(p, allowed[i], act_allow, err);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int add_conditional(struct sealexec_policy *p, sealexec_error *err)
{
        /* s390 passes clone's flags in the second argument. */
        unsigned clone_arg =
            seccomp_arch_native() == SCMP_ARCH_S390X || seccomp_arch_native() == SCMP_ARCH_S390 ? 1
                                                                                                : 0;
        int r = add_cmp(
            p, "clone", act_allow,
            (struct policy_cmp){
                .arg = clone_arg, .op = POLICY_CMP_MASKED_EQ, .value = CLONE_NS_FLAGS, .value2 = 0},
            err);
        if (r >= 0)
                r = add_simple(p, "clone", act_eperm, err);
        if (r >= 0)
                r = add_simple(p, "clone3", act_enosys, err);

        for (size_t i = 0; r >= 0 && i < sizeof(personality_values) / sizeof(uint64_t); i++)
                r = add_cmp(p, "personality", act_allow,
                            (struct policy_cmp){.arg = 0,
                                                .op = POLICY_CMP_EQ,
                                                .value = personality_values[i],
                                                .low32 = true},
                            err);

        const uint64_t families[] = {AF_ALG_VALUE, AF_VSOCK_VALUE};
        for (size_t i = 0; r >= 0 && i < 2; i++)
                r = add_cmp(p, "socket", act_eperm,
                            (struct policy_cmp){
                                .arg = 0, .op = POLICY_CMP_EQ, .value = families[i], .low32 = true},
                            err);
        if (r >= 0)
                r = add_simple(p, "socket", act_allow, err);

        const uint64_t requests[] = {TIOCSTI_VALUE, TIOCLINUX_VALUE};
        for (size_t i = 0; r >= 0 && i < 2; i++)
                r = add_cmp(p, "ioctl", act_eperm,
                            (struct policy_cmp){
                                .arg = 1, .op = POLICY_CMP_EQ, .value = requests[i], .low32 = true},
                            err);
        if (r >= 0)
                r = add_simple(p, "ioctl", act_allow, err);
        return r;
}

int profile_default_load(struct sealexec_policy **ret_policy, sealexec_error *err)
{
        struct sealexec_policy *p = NULL;
        int r = policy_new("default", &p, err);
        if (r < 0)
                return r;
        p->default_action = act_enosys;
        p->bad_arch_action = (struct policy_action){.kind = POLICY_ACT_KILL_PROCESS};
        for (size_t i = 0; r >= 0 && i < sizeof(denied_eperm) / sizeof(denied_eperm[0]); i++)
                r = add_simple(p, denied_eperm[i], act_eperm, err);
        if (r >= 0)
                r = add_conditional(p, err);
        if (r >= 0)
                r = add_allowed(p, err);
        if (r < 0) {
                sealexec_policy_free(p);
                return r;
        }
        *ret_policy = p;
        return 0;
}
