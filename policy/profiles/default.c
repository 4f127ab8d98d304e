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
 *   - Docker's architecture-specific entries for the native architecture
 *     (modify_ldt on x86, set_tls and cacheflush on arm, ...).
 *   - Docker's capability-gated entries (cap_allowed below): a syscall that
 *     needs a capability is allowed when that capability is kept
 *     (--cap-keep), and without it gets EPERM, the kernel's own answer for a
 *     missing capability, not ENOSYS. Exceptions, each in README.md:
 *     CAP_SYS_PTRACE allows nothing (ptrace and its relatives stay EPERM:
 *     with it kept the payload could still reach its parent); the NUMA
 *     memory-policy calls keep ENOSYS without CAP_SYS_NICE (the kernel does
 *     not need the capability for them, and NUMA libraries treat ENOSYS as
 *     "no NUMA"); clone and clone3 keep the rules above when CAP_SYS_ADMIN
 *     is not kept.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <linux/capability.h>

#include <seccomp.h>

#include "policy/ir.h"
#include "policy/profiles/profiles.h"
#include "policy/syscalls.h"

static const char *const allowed[] = {
#include "policy/profiles/default-allow.inc"
};

static const char *const denied_eperm[] = {
    "ptrace",      "process_vm_readv", "process_vm_writev", "kcmp",
    "pidfd_getfd", "io_uring_setup",   "io_uring_enter",    "io_uring_register",
};

/*
 * Docker's entries for one architecture ("includes": {"arches": [...]}).
 * Each name exists on the architectures Docker lists it for only, so the
 * names that do not exist natively are left out.
 */
static const char *const arch_allowed[] = {
    /* x86 */
    "modify_ldt",
    /* ppc */
    "sync_file_range2",
    "swapcontext",
    /* arm */
    "arm_fadvise64_64",
    "arm_sync_file_range",
    "breakpoint",
    "cacheflush",
    "set_tls",
    /* s390 */
    "s390_pci_mmio_read",
    "s390_pci_mmio_write",
    "s390_runtime_instr",
    /* riscv */
    "riscv_flush_icache",
};

/*
 * Docker's capability-gated entries ("includes": {"caps": [...]}): the
 * syscall is allowed when the capability is kept. A syscall listed under two
 * capabilities (bpf, perf_event_open, syslog) is allowed with either.
 * CAP_SYS_PTRACE's entry is left out on purpose (see the top of the file).
 */
struct cap_allow {
        unsigned cap;
        const char *name;
};

static const struct cap_allow cap_allowed[] = {
    {CAP_DAC_READ_SEARCH, "open_by_handle_at"},
    {CAP_SYS_ADMIN, "bpf"},
    {CAP_SYS_ADMIN, "clone"},
    {CAP_SYS_ADMIN, "clone3"},
    {CAP_SYS_ADMIN, "fanotify_init"},
    {CAP_SYS_ADMIN, "fsconfig"},
    {CAP_SYS_ADMIN, "fsmount"},
    {CAP_SYS_ADMIN, "fsopen"},
    {CAP_SYS_ADMIN, "fspick"},
    {CAP_SYS_ADMIN, "lookup_dcookie"},
    {CAP_SYS_ADMIN, "lsm_get_self_attr"},
    {CAP_SYS_ADMIN, "lsm_list_modules"},
    {CAP_SYS_ADMIN, "lsm_set_self_attr"},
    {CAP_SYS_ADMIN, "mount"},
    {CAP_SYS_ADMIN, "mount_setattr"},
    {CAP_SYS_ADMIN, "move_mount"},
    {CAP_SYS_ADMIN, "open_tree"},
    {CAP_SYS_ADMIN, "perf_event_open"},
    {CAP_SYS_ADMIN, "quotactl"},
    {CAP_SYS_ADMIN, "quotactl_fd"},
    {CAP_SYS_ADMIN, "setdomainname"},
    {CAP_SYS_ADMIN, "sethostname"},
    {CAP_SYS_ADMIN, "setns"},
    {CAP_SYS_ADMIN, "syslog"},
    {CAP_SYS_ADMIN, "umount"},
    {CAP_SYS_ADMIN, "umount2"},
    {CAP_SYS_ADMIN, "unshare"},
    {CAP_SYS_BOOT, "reboot"},
    {CAP_SYS_CHROOT, "chroot"},
    {CAP_SYS_MODULE, "delete_module"},
    {CAP_SYS_MODULE, "init_module"},
    {CAP_SYS_MODULE, "finit_module"},
    {CAP_SYS_PACCT, "acct"},
    {CAP_SYS_RAWIO, "iopl"},
    {CAP_SYS_RAWIO, "ioperm"},
    {CAP_SYS_TIME, "settimeofday"},
    {CAP_SYS_TIME, "stime"},
    {CAP_SYS_TIME, "clock_settime"},
    {CAP_SYS_TIME, "clock_settime64"},
    {CAP_SYS_TTY_CONFIG, "vhangup"},
    {CAP_SYS_NICE, "get_mempolicy"},
    {CAP_SYS_NICE, "mbind"},
    {CAP_SYS_NICE, "set_mempolicy"},
    {CAP_SYS_NICE, "set_mempolicy_home_node"},
    {CAP_SYSLOG, "syslog"},
    {CAP_BPF, "bpf"},
    {CAP_PERFMON, "perf_event_open"},
};

/*
 * The names of cap_allowed that keep another answer than EPERM without
 * their capability: clone and clone3 (add_conditional), and the NUMA
 * memory-policy calls, which keep the default ENOSYS.
 */
static const char *const cap_not_eperm[] = {
    "clone", "clone3", "get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node",
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

static bool name_in(const char *name, const char *const *list, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(name, list[i]) == 0)
                        return true;
        return false;
}

static int add_arch_allowed(struct sealexec_policy *p, sealexec_error *err)
{
        for (size_t i = 0; i < sizeof(arch_allowed) / sizeof(arch_allowed[0]); i++) {
                if (policy_syscall_resolve_real(arch_allowed[i], SCMP_ARCH_NATIVE) < 0)
                        continue;
                int r = add_simple(p, arch_allowed[i], act_allow, err);
                if (r < 0)
                        return r;
        }
        return 0;
}

/*
 * For each capability-gated syscall: "allow if the capability is kept" (one
 * rule per capability), then "EPERM" for the rest. These come before
 * add_conditional(), so CAP_SYS_ADMIN's unconditional clone and clone3 win
 * over the rules there.
 */
static int add_cap_gated(struct sealexec_policy *p, sealexec_error *err)
{
        const size_t n = sizeof(cap_allowed) / sizeof(cap_allowed[0]);
        for (size_t i = 0; i < n; i++) {
                if (policy_syscall_resolve_real(cap_allowed[i].name, SCMP_ARCH_NATIVE) < 0)
                        continue;
                struct policy_rule rule = {.syscall_name = (char *)cap_allowed[i].name,
                                           .action = act_allow,
                                           .caps_required = UINT64_C(1) << cap_allowed[i].cap};
                int r = policy_add_rule(p, &rule, err);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < n; i++) {
                const char *name = cap_allowed[i].name;
                bool first = true;
                for (size_t j = 0; j < i && first; j++)
                        first = strcmp(cap_allowed[j].name, name) != 0;
                if (!first || policy_syscall_resolve_real(name, SCMP_ARCH_NATIVE) < 0 ||
                    name_in(name, cap_not_eperm, sizeof(cap_not_eperm) / sizeof(cap_not_eperm[0])))
                        continue;
                int r = add_simple(p, name, act_eperm, err);
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
                r = add_cap_gated(p, err);
        if (r >= 0)
                r = add_conditional(p, err);
        if (r >= 0)
                r = add_allowed(p, err);
        if (r >= 0)
                r = add_arch_allowed(p, err);
        if (r < 0) {
                sealexec_policy_free(p);
                return r;
        }
        *ret_policy = p;
        return 0;
}
