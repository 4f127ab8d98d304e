/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * self-seal: a program that protects its own binary, as a container runtime
 * would against the CVE-2019-5736 class.
 *
 * sealexec_self_seal() is called first thing in main(): the first time, it
 * copies /proc/self/exe into a sealed memfd and re-executes from it with the
 * same argv and environment; the second time it recognises the sealed memfd
 * and returns 0. The program then prints what it is running from and exits 0
 * when that is a sealed memfd, 1 otherwise.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sealexec.h>

#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

int main(int argc, char **argv, char **envp)
{
        sealexec_error err = {0};
        char exe[PATH_MAX];

        if (sealexec_self_seal(argc, argv, envp, &err) < 0) {
                fprintf(stderr, "self-seal: %s\n", err.message);
                return err.kind;
        }

        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        exe[n < 0 ? 0 : n] = '\0';
        int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        int seals = fd < 0 ? -1 : fcntl(fd, F_GET_SEALS);
        if (fd >= 0)
                close(fd);

        unsigned want = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
        int sealed = seals >= 0 && ((unsigned)seals & want) == want;
        printf("exe: %s\n", exe);
        printf("argv:");
        for (int i = 1; i < argc; i++)
                printf(" %s", argv[i]);
        printf("\n");
        printf("seals: 0x%x%s\n", seals < 0 ? 0u : (unsigned)seals,
               seals >= 0 && (seals & F_SEAL_EXEC) ? " (with exec seal)" : "");
        printf("sealed memfd: %s\n", sealed && strncmp(exe, "/memfd:", 7) == 0 ? "yes" : "no");
        return sealed ? 0 : 1;
}
