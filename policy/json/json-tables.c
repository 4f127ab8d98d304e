/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* OCI runtime-spec seccomp names and what sealexec makes of them. */
#include "policy/json/json-tables.h"

#include <errno.h>
#include <string.h>

#include <seccomp.h>

#include "policy/syscalls.h"

/* SCMP_ACT_KILL kills the thread, as in libseccomp and runc. */
const struct json_action_name json_actions[] = {
    {"SCMP_ACT_KILL", POLICY_ACT_KILL_THREAD},
    {"SCMP_ACT_KILL_THREAD", POLICY_ACT_KILL_THREAD},
    {"SCMP_ACT_KILL_PROCESS", POLICY_ACT_KILL_PROCESS},
    {"SCMP_ACT_TRAP", POLICY_ACT_TRAP},
    {"SCMP_ACT_ERRNO", POLICY_ACT_ERRNO},
    {"SCMP_ACT_TRACE", POLICY_ACT_TRACE},
    {"SCMP_ACT_ALLOW", POLICY_ACT_ALLOW},
    {"SCMP_ACT_LOG", POLICY_ACT_LOG},
    {"SCMP_ACT_NOTIFY", POLICY_ACT_USER_NOTIF},
};
const size_t json_n_actions = sizeof(json_actions) / sizeof(json_actions[0]);

const struct json_op_name json_ops[] = {
    {"SCMP_CMP_NE", POLICY_CMP_NE},
    {"SCMP_CMP_LT", POLICY_CMP_LT},
    {"SCMP_CMP_LE", POLICY_CMP_LE},
    {"SCMP_CMP_EQ", POLICY_CMP_EQ},
    {"SCMP_CMP_GE", POLICY_CMP_GE},
    {"SCMP_CMP_GT", POLICY_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", POLICY_CMP_MASKED_EQ},
};
const size_t json_n_ops = sizeof(json_ops) / sizeof(json_ops[0]);

/*
 * Every architecture the runtime-spec names. Those the installed libseccomp
 * lacks have token 0: a profile may mention them for other hosts (Docker's
 * archMap does), but cannot make this host filter them.
 * Docker names are what moby compares includes/excludes "arches" with: its
 * libseccomp-style name for the native architecture (runtime.GOARCH mapped).
 */
#ifndef SCMP_ARCH_LOONGARCH64
#define SCMP_ARCH_LOONGARCH64 0
#endif
#ifndef SCMP_ARCH_M68K
#define SCMP_ARCH_M68K 0
#endif
#ifndef SCMP_ARCH_SH
#define SCMP_ARCH_SH 0
#endif
#ifndef SCMP_ARCH_SHEB
#define SCMP_ARCH_SHEB 0
#endif
const struct json_arch_name json_arches[] = {
    {"SCMP_ARCH_X86", SCMP_ARCH_X86, "x86"},
    {"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64, "amd64"},
    {"SCMP_ARCH_X32", SCMP_ARCH_X32, "x32"},
    {"SCMP_ARCH_ARM", SCMP_ARCH_ARM, "arm"},
    {"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64, "arm64"},
    {"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS, "mips"},
    {"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64, "mips64"},
    {"SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32, "mips64n32"},
    {"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL, "mipsle"},
    {"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64, "mipsel64"},
    {"SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32, "mips3l64n32"},
    {"SCMP_ARCH_PPC", SCMP_ARCH_PPC, "ppc"},
    {"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64, "ppc64"},
    {"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE, "ppc64le"},
    {"SCMP_ARCH_S390", SCMP_ARCH_S390, "s390"},
    {"SCMP_ARCH_S390X", SCMP_ARCH_S390X, "s390x"},
    {"SCMP_ARCH_PARISC", SCMP_ARCH_PARISC, NULL},
    {"SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64, NULL},
    {"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64, "riscv64"},
    {"SCMP_ARCH_LOONGARCH64", SCMP_ARCH_LOONGARCH64, "loong64"},
    {"SCMP_ARCH_M68K", SCMP_ARCH_M68K, NULL},
    {"SCMP_ARCH_SH", SCMP_ARCH_SH, NULL},
    {"SCMP_ARCH_SHEB", SCMP_ARCH_SHEB, NULL},
};
const size_t json_n_arches = sizeof(json_arches) / sizeof(json_arches[0]);

const struct json_flag_name json_flags[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", JSON_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", JSON_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", JSON_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", JSON_FLAG_WAIT_KILLABLE_RECV},
};
const size_t json_n_flags = sizeof(json_flags) / sizeof(json_flags[0]);

const struct json_action_name *json_action_lookup(const char *name)
{
        for (size_t i = 0; i < json_n_actions; i++)
                if (strcmp(json_actions[i].name, name) == 0)
                        return &json_actions[i];
        return NULL;
}

const struct json_op_name *json_op_lookup(const char *name)
{
        for (size_t i = 0; i < json_n_ops; i++)
                if (strcmp(json_ops[i].name, name) == 0)
                        return &json_ops[i];
        return NULL;
}

const struct json_arch_name *json_arch_lookup(const char *scmp_name)
{
        for (size_t i = 0; i < json_n_arches; i++)
                if (strcmp(json_arches[i].scmp_name, scmp_name) == 0)
                        return &json_arches[i];
        return NULL;
}

const struct json_arch_name *json_arch_by_token(uint32_t token)
{
        for (size_t i = 0; token != 0 && i < json_n_arches; i++)
                if (json_arches[i].token == token)
                        return &json_arches[i];
        return NULL;
}

const struct json_flag_name *json_flag_lookup(const char *name)
{
        for (size_t i = 0; i < json_n_flags; i++)
                if (strcmp(json_flags[i].name, name) == 0)
                        return &json_flags[i];
        return NULL;
}

int json_errno_lookup(const char *name)
{
        static const struct {
                const char *alias;
                int errnum;
        } aliases[] = {
            {"EWOULDBLOCK", EWOULDBLOCK},
            {"ENOTSUP", ENOTSUP},
            {"EDEADLOCK", EDEADLOCK},
        };
        for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
                if (strcmp(aliases[i].alias, name) == 0)
                        return aliases[i].errnum;
        /* The same table policy_errno_name() prints from, read backwards. */
        for (int e = 1; e <= 4095; e++) {
                const char *n = policy_errno_name(e);
                if (n && strcmp(n, name) == 0)
                        return e;
        }
        return -ENOENT;
}
