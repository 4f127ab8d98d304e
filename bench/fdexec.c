/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fdexec FD FILE PROGRAM [ARG...]: opens FILE read-only at descriptor FD and
 * executes PROGRAM. bwrap reads its seccomp program from a descriptor
 * (--seccomp FD); this static helper provides it without a shell, so that
 * every launch case runs under `hyperfine -N`. Its own cost is measured in
 * the same run ("fdexec tiny") and subtracted where bwrap is compared.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        if (argc < 4) {
                fputs("usage: fdexec FD FILE PROGRAM [ARG...]\n", stderr);
                return 125;
        }
        int want = atoi(argv[1]);
        int fd = open(argv[2], O_RDONLY); /* not O_CLOEXEC: the program inherits it */
        if (fd < 0 || (fd != want && (dup2(fd, want) < 0 || close(fd) < 0))) {
                perror("fdexec");
                return 125;
        }
        execv(argv[3], argv + 3);
        perror("fdexec: execv");
        return 126;
}
