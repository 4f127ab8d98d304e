/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Syscall name resolution. libseccomp 2.5.4 (Debian 12) predates several
 * syscalls that current programs use (mseal, statmount, ...). A policy that
 * names one must still load, so sealexec carries their numbers itself. They
 * are only used for filters of the native architecture: libseccomp accepts a
 * raw number there, but cannot translate it to another architecture.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "policy/syscalls.h"

struct syscall_entry {
        const char *name;
        int nr;
};

/*
 * Numbers from arch/x86/entry/syscalls/syscall_64.tbl. From 451 on the
 * x86_64 numbers equal those of include/uapi/asm-generic/unistd.h (424 and up
 * are shared by every architecture), which aarch64 uses.
 */
static const struct syscall_entry newer_common[] = {
    {"cachestat", 451},         {"fchmodat2", 452},        {"map_shadow_stack", 453},
    {"futex_wake", 454},        {"futex_wait", 455},       {"futex_requeue", 456},
    {"statmount", 457},         {"listmount", 458},        {"lsm_get_self_attr", 459},
    {"lsm_set_self_attr", 460}, {"lsm_list_modules", 461}, {"mseal", 462},
    {"setxattrat", 463},        {"getxattrat", 464},       {"listxattrat", 465},
    {"removexattrat", 466},     {"open_tree_attr", 467},
};

/*
 * i386's direct socket (Linux 4.3) and System V IPC (5.1) calls, from
 * arch/x86/entry/syscalls/syscall_32.tbl. libseccomp 2.5.4 resolves these
 * names on x86 only to socketcall/ipc pseudo numbers, so without this table a
 * rule naming "socket" would not exist for i386 at all: an allow-by-default
 * policy that lists x86 would fail open there.
 */
static const struct syscall_entry direct_x86[] = {
    {"socket", 359},      {"socketpair", 360},  {"bind", 361},       {"connect", 362},
    {"listen", 363},      {"accept4", 364},     {"getsockopt", 365}, {"setsockopt", 366},
    {"getsockname", 367}, {"getpeername", 368}, {"sendto", 369},     {"sendmsg", 370},
    {"recvfrom", 371},    {"recvmsg", 372},     {"shutdown", 373},   {"semget", 393},
    {"semctl", 394},      {"shmget", 395},      {"shmctl", 396},     {"shmat", 397},
    {"shmdt", 398},       {"msgget", 399},      {"msgsnd", 400},     {"msgrcv", 401},
    {"msgctl", 402},
};

/* x86_64 only: uretprobe is not in the generic table. */
static const struct syscall_entry newer_x86_64[] = {
    {"uretprobe", 335},
};

static uint32_t arch_or_native(uint32_t scmp_arch)
{
        return scmp_arch == SCMP_ARCH_NATIVE ? seccomp_arch_native() : scmp_arch;
}

static int table_lookup(const char *name, uint32_t arch)
{
        if (arch == SCMP_ARCH_X86) {
                for (size_t i = 0; i < sizeof(direct_x86) / sizeof(direct_x86[0]); i++)
                        if (strcmp(direct_x86[i].name, name) == 0)
                                return direct_x86[i].nr;
                return -ENOENT;
        }
        if (arch != SCMP_ARCH_X86_64 && arch != SCMP_ARCH_AARCH64)
                return -ENOENT;
        for (size_t i = 0; i < sizeof(newer_common) / sizeof(newer_common[0]); i++)
                if (strcmp(newer_common[i].name, name) == 0)
                        return newer_common[i].nr;
        if (arch == SCMP_ARCH_X86_64)
                for (size_t i = 0; i < sizeof(newer_x86_64) / sizeof(newer_x86_64[0]); i++)
                        if (strcmp(newer_x86_64[i].name, name) == 0)
                                return newer_x86_64[i].nr;
        return -ENOENT;
}

static const char *table_name(int nr, uint32_t arch)
{
        if (arch == SCMP_ARCH_X86) {
                for (size_t i = 0; i < sizeof(direct_x86) / sizeof(direct_x86[0]); i++)
                        if (direct_x86[i].nr == nr)
                                return direct_x86[i].name;
                return NULL;
        }
        if (arch != SCMP_ARCH_X86_64 && arch != SCMP_ARCH_AARCH64)
                return NULL;
        for (size_t i = 0; i < sizeof(newer_common) / sizeof(newer_common[0]); i++)
                if (newer_common[i].nr == nr)
                        return newer_common[i].name;
        if (arch == SCMP_ARCH_X86_64)
                for (size_t i = 0; i < sizeof(newer_x86_64) / sizeof(newer_x86_64[0]); i++)
                        if (newer_x86_64[i].nr == nr)
                                return newer_x86_64[i].name;
        return NULL;
}

int policy_syscall_resolve(const char *name, uint32_t scmp_arch)
{
        if (!name || !*name)
                return -ENOENT;
        uint32_t arch = arch_or_native(scmp_arch);
        /* The native resolver also yields pseudo numbers for names that exist
         * on other architectures only; the per-arch one does not. */
        int nr = arch == seccomp_arch_native() ? seccomp_syscall_resolve_name(name)
                                               : seccomp_syscall_resolve_name_arch(arch, name);
        if (nr != __NR_SCMP_ERROR)
                return nr;
        return table_lookup(name, arch);
}

int policy_syscall_resolve_real(const char *name, uint32_t scmp_arch)
{
        if (!name || !*name)
                return -ENOENT;
        uint32_t arch = arch_or_native(scmp_arch);
        int nr = seccomp_syscall_resolve_name_arch(arch, name);
        if (nr >= 0)
                return nr;
        /* libseccomp may answer with a pseudo number for a syscall that is
         * multiplexed (socketcall, ipc) on this arch: not a real one. */
        nr = table_lookup(name, arch);
        return nr >= 0 ? nr : -ENOENT;
}

bool policy_syscall_from_table(const char *name, uint32_t scmp_arch)
{
        uint32_t arch = arch_or_native(scmp_arch);
        if (seccomp_syscall_resolve_name_arch(arch, name) != __NR_SCMP_ERROR)
                return false;
        return table_lookup(name, arch) >= 0;
}

const char *policy_syscall_name(int nr, uint32_t scmp_arch, char *buf, size_t size)
{
        uint32_t arch = arch_or_native(scmp_arch);
        char *name = seccomp_syscall_resolve_num_arch(arch, nr);
        if (name) {
                snprintf(buf, size, "%s", name);
                free(name);
                return buf;
        }
        const char *t = table_name(nr, arch);
        if (t) {
                snprintf(buf, size, "%s", t);
                return buf;
        }
        return NULL;
}

const char *policy_errno_name(int errnum)
{
        if (errnum <= 0 || errnum > 4095)
                return NULL;
        return strerrorname_np(errnum);
}
