/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sealexec-bpf-verdict PROG NR [ARG...]: runs a seccomp program written by
 * `sealexec policy compile -o PROG` through tests/unit/policy's BPF simulator
 * for one x86-64 syscall and prints the verdict: "allow", "errno=N", "kill",
 * "trap", "trace", "log" or "notify". The security tests compare it with
 * what the same syscall gets under `sealexec run`.
 */
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>

#include "bpf_sim.h"

int main(int argc, char **argv)
{
        static struct sock_filter prog[BPF_MAXINSNS];
        if (argc < 3 || argc > 9) {
                fprintf(stderr, "usage: %s PROG NR [ARG...]\n", argv[0]);
                return 2;
        }
        FILE *f = fopen(argv[1], "rbe");
        if (!f) {
                perror(argv[1]);
                return 2;
        }
        size_t n = fread(prog, sizeof(prog[0]), BPF_MAXINSNS, f);
        fclose(f);
        struct bpf_sim_call call = {.nr = (int)strtol(argv[2], NULL, 0), .arch = AUDIT_ARCH_X86_64};
        for (int i = 3; i < argc; i++)
                call.args[i - 3] = strtoull(argv[i], NULL, 0);
        int64_t r = bpf_sim_run(prog, n, &call);
        if (r < 0) {
                fprintf(stderr, "%s: malformed program\n", argv[1]);
                return 2;
        }
        uint32_t action = (uint32_t)r & SECCOMP_RET_ACTION_FULL;
        switch (action) {
        case SECCOMP_RET_ALLOW:
                printf("allow\n");
                break;
        case SECCOMP_RET_ERRNO:
                printf("errno=%u\n", (uint32_t)r & SECCOMP_RET_DATA);
                break;
        case SECCOMP_RET_KILL_PROCESS:
        case SECCOMP_RET_KILL_THREAD:
                printf("kill\n");
                break;
        case SECCOMP_RET_TRAP:
                printf("trap\n");
                break;
        case SECCOMP_RET_TRACE:
                printf("trace\n");
                break;
        case SECCOMP_RET_LOG:
                printf("log\n");
                break;
        default:
                printf("notify\n");
                break;
        }
        return 0;
}
