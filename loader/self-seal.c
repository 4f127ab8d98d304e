/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * self-seal.c - sealexec_self_seal(): a runtime re-executing itself from a
 * sealed copy of its own binary.
 *
 * A container runtime that runs a payload in a PID namespace it shares (or
 * with a path to the runtime visible) can have its binary overwritten through
 * /proc/PID/exe (CVE-2019-5736). If the runtime runs from a fully sealed
 * memfd, there is nothing on disk to overwrite and the memfd itself refuses
 * every write.
 *
 * Recognising the second run: /proc/self/exe is then the memfd, and only a
 * memfd created with MFD_ALLOW_SEALING can carry SHRINK, GROW and WRITE
 * seals, so F_GET_SEALS alone tells. No environment variable is used: one
 * would be inherited by children and could be set by whoever starts the
 * runtime to skip the protection.
 *
 * Only public loader functions are used, so the sealed copy is made exactly as
 * for any payload.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "sealexec.h"

#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

#define SELF_SEALS_BASE (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

/*
 * Whether this kernel knows F_SEAL_EXEC (Linux 6.3): older kernels refuse the
 * unknown bit with EINVAL. Probed on a scratch memfd; if no memfd can be made
 * the answer is "yes", which sends the caller down the path that reports why.
 */
static bool kernel_has_exec_seal(void)
{
        _cleanup_close_ int fd = memfd_create("sealexec-probe", MFD_CLOEXEC | MFD_ALLOW_SEALING);

        if (fd < 0)
                return true;
        return fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC) == 0 || errno != EINVAL;
}

/* The seals a sealed copy must carry on this kernel. */
static unsigned required_seals(void)
{
        return SELF_SEALS_BASE | (kernel_has_exec_seal() ? F_SEAL_EXEC : 0);
}

/* True when /proc/self/exe is a memfd carrying every seal sealexec requires. */
static bool running_sealed(void)
{
        _cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        int seals;

        if (fd < 0)
                return false;
        seals = fcntl(fd, F_GET_SEALS);
        if (seals < 0 || ((unsigned)seals & SELF_SEALS_BASE) != SELF_SEALS_BASE)
                return false;
        if ((unsigned)seals & F_SEAL_EXEC)
                return true;
        return !kernel_has_exec_seal();
}

static int execveat_empty_path(int fd, char **argv, char **envp)
{
        /* glibc 2.34 has execveat(3); the raw call keeps older libcs working. */
        return (int)syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
}

int sealexec_self_seal(int argc, char **argv, char **envp, sealexec_error *err)
{
        sealexec_payload *self = NULL;
        int r;

        if (argc < 1 || !argv || !argv[0] || argv[argc])
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "self-seal: argv must hold argc entries and end with NULL");
        if (running_sealed())
                return 0;

        r = sealexec_payload_load_path("/proc/self/exe", 0, 0, &self, err);
        if (r < 0)
                return se_error_prefix(err, r, "self-seal");

        /* Exec only a copy that the next run will recognise; anything else
         * would re-execute again and again. */
        unsigned missing = required_seals() & ~sealexec_payload_seals(self);
        if (missing) {
                sealexec_payload_free(self);
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "self-seal: the sealed copy lacks seals 0x%x", missing);
        }

        execveat_empty_path(sealexec_payload_fd(self), argv, envp ? envp : environ);
        r = -errno;
        sealexec_payload_free(self);
        return se_error_errno(err, r, SEALEXEC_ERROR_CANNOT_EXECUTE,
                              "self-seal: cannot execute the sealed copy of /proc/self/exe");
}
