/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The "deny-unix" filter (--deny-unix), stacked on whatever policy the launch
 * uses: the payload cannot create a UNIX socket that could reach a named
 * socket. Landlock (ABI 7) does not restrict connect() or sendto() to a
 * named UNIX socket, so --ro/--rw alone leave every socket on the filesystem
 * (a D-Bus bus, a container runtime's API, /dev/log) reachable.
 *
 * Everything else is allowed; what is denied gets EACCES, the answer the
 * kernel gives for a socket file without write permission:
 *   - socket(AF_UNIX, ...): the domain is an int, so only its low 32 bits
 *     are compared (socket(0x100000001, ...) is AF_UNIX to the kernel).
 *   - socketpair(AF_UNIX, SOCK_DGRAM, ...): a datagram socket of a pair can
 *     still connect() to, or sendto() an address of, any named datagram
 *     socket. Stream and seqpacket pairs cannot (connect() fails with
 *     EPROTOTYPE, sendto() ignores or refuses the address) and stay allowed:
 *     programs use them for their own IPC. The type is compared without its
 *     SOCK_NONBLOCK/SOCK_CLOEXEC flags (SOCK_TYPE_MASK).
 *   - socketcall(SYS_SOCKET) and socketcall(SYS_SOCKETPAIR), where the ABI
 *     has socketcall (i386, s390): the arguments are in memory, which seccomp
 *     cannot read, so every socket()/socketpair() through socketcall is
 *     refused. 32-bit x86 programs whose libc uses the direct socket syscall
 *     (Linux 4.3+) are filtered like native ones.
 *   - io_uring_setup/enter/register get EPERM: io_uring can create and
 *     connect sockets (IORING_OP_SOCKET, IORING_OP_CONNECT) without a syscall
 *     seccomp sees. The default profile denies io_uring anyway; this covers
 *     --profile none and policy files.
 * What stays reachable: UNIX sockets the payload inherits (--keep-fd, or
 * stdin/stdout being sockets) and those it receives over them (SCM_RIGHTS);
 * an inherited datagram socket can still sendto() any named socket.
 *
 * Architectures: the native one and the compat ABIs it can call (on x86_64,
 * i386 and x32; on aarch64, arm; on s390x, s390; on ppc64, ppc), each only
 * where sealexec can name socket and socketpair on it: libseccomp 2.5.4 knows
 * i386's direct socket syscalls (359, 360) only as socketcall pseudo numbers,
 * and a rule it cannot place would leave syscall(359, AF_UNIX, ...) allowed.
 * An ABI left out, like any other architecture, kills the process: under
 * --deny-unix a 32-bit x86 payload cannot run until the names resolve.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <seccomp.h>

#include "common/error.h"
#include "policy/ir.h"
#include "policy/profiles/profiles.h"
#include "policy/syscalls.h"

#define AF_UNIX_VALUE        1
#define SOCK_DGRAM_VALUE     2
#define SOCK_TYPE_MASK_VALUE 0xf
#define SYS_SOCKET_CALL      1 /* socketcall()'s call numbers (linux/net.h) */
#define SYS_SOCKETPAIR_CALL  8

static const struct policy_action act_eacces = {.kind = POLICY_ACT_ERRNO, .data = EACCES};
static const struct policy_action act_eperm = {.kind = POLICY_ACT_ERRNO, .data = EPERM};

/* One rule: `name` gets `act` when every comparison holds (none: always). */
static int add(struct sealexec_policy *p, const char *name, struct policy_action act, size_t n,
               struct policy_cmp *cmps, sealexec_error *err)
{
        struct policy_clause clause = {.n_cmps = n, .cmps = cmps};
        struct policy_rule rule = {.syscall_name = (char *)name,
                                   .action = act,
                                   .n_clauses = n ? 1 : 0,
                                   .clauses = n ? &clause : NULL};
        return policy_add_rule(p, &rule, err);
}

static int add_rules(struct sealexec_policy *p, sealexec_error *err)
{
        struct policy_cmp unix_domain = {
            .arg = 0, .op = POLICY_CMP_EQ, .value = AF_UNIX_VALUE, .low32 = true};
        struct policy_cmp pair[2] = {unix_domain,
                                     {.arg = 1,
                                      .op = POLICY_CMP_MASKED_EQ,
                                      .value = SOCK_TYPE_MASK_VALUE,
                                      .value2 = SOCK_DGRAM_VALUE}};
        struct policy_cmp call_socket = {
            .arg = 0, .op = POLICY_CMP_EQ, .value = SYS_SOCKET_CALL, .low32 = true};
        struct policy_cmp call_pair = {
            .arg = 0, .op = POLICY_CMP_EQ, .value = SYS_SOCKETPAIR_CALL, .low32 = true};
        static const char *const io_uring[] = {"io_uring_setup", "io_uring_enter",
                                               "io_uring_register"};

        int r = add(p, "socket", act_eacces, 1, &unix_domain, err);
        if (r >= 0)
                r = add(p, "socketpair", act_eacces, 2, pair, err);
        if (r >= 0)
                r = add(p, "socketcall", act_eacces, 1, &call_socket, err);
        if (r >= 0)
                r = add(p, "socketcall", act_eacces, 1, &call_pair, err);
        for (size_t i = 0; r >= 0 && i < sizeof(io_uring) / sizeof(io_uring[0]); i++)
                r = add(p, io_uring[i], act_eperm, 0, NULL, err);
        return r;
}

/* true when the rules can be placed on `arch` (see the top of the file). */
static bool arch_filterable(uint32_t arch)
{
        return policy_syscall_resolve_real("socket", arch) >= 0 &&
               policy_syscall_resolve_real("socketpair", arch) >= 0;
}

/* The native architecture and the compat ABIs it can call. */
static int add_arches(struct sealexec_policy *p, sealexec_error *err)
{
        uint32_t native = seccomp_arch_native();
        uint32_t compat[2] = {0};
        if (native == SCMP_ARCH_X86_64) {
                compat[0] = SCMP_ARCH_X86;
                compat[1] = SCMP_ARCH_X32;
        } else if (native == SCMP_ARCH_AARCH64)
                compat[0] = SCMP_ARCH_ARM;
        else if (native == SCMP_ARCH_S390X)
                compat[0] = SCMP_ARCH_S390;
        else if (native == SCMP_ARCH_PPC64)
                compat[0] = SCMP_ARCH_PPC;

        /* Fail closed: rules that cannot be placed would deny nothing. */
        if (!arch_filterable(native))
                return se_error(err, -EOPNOTSUPP, SEALEXEC_ERROR_REFUSED,
                                "deny-unix: socket() and socketpair() cannot be named on "
                                "this architecture, so they cannot be filtered");
        int r = policy_add_arch(p, native, err);
        for (size_t i = 0; r >= 0 && i < 2 && compat[i] != 0; i++)
                if (arch_filterable(compat[i]))
                        r = policy_add_arch(p, compat[i], err);
        return r;
}

int policy_profile_deny_unix(struct sealexec_policy **ret_policy, sealexec_error *err)
{
        struct sealexec_policy *p = NULL;
        int r = policy_new("deny-unix", &p, err);
        if (r < 0)
                return r;
        p->builtin = true;
        p->default_action = (struct policy_action){.kind = POLICY_ACT_ALLOW};
        p->bad_arch_action = (struct policy_action){.kind = POLICY_ACT_KILL_PROCESS};
        r = add_arches(p, err);
        if (r >= 0)
                r = add_rules(p, err);
        if (r < 0) {
                sealexec_policy_free(p);
                return r;
        }
        *ret_policy = p;
        return 0;
}
