/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seal.c - locking the memfd: mode, seals, read-back, read-only descriptor.
 *
 * F_SEAL_FUTURE_WRITE is never used: it only stops new writable mappings and
 * writes, while F_SEAL_WRITE refuses to apply if any writable mapping exists
 * and then forbids every write, which is the guarantee sealexec needs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "loader/loader.h"

int loader_restrict_mode(int fd, bool is_data, const char *label, sealexec_error *err)
{
        /* Without write bits, reopening /proc/self/fd/N for writing is refused
         * by permissions too (for anyone but root), before the seals. */
        mode_t mode = is_data ? 0444 : 0555;

        if (fchmod(fd, mode) < 0) {
                /* EPERM here means the kernel put F_SEAL_EXEC on a memfd that
                 * was meant to be executable: vm.memfd_noexec at work. */
                if (!is_data && errno == EPERM)
                        return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                        "%s: cannot make the memfd executable (is the sysctl "
                                        "vm.memfd_noexec set?)",
                                        label);
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "%s: cannot set memfd mode", label);
        }
        return 0;
}

bool loader_seals_missing(unsigned requested, unsigned got, char *buf, size_t size)
{
        static const struct {
                unsigned seal;
                const char *name;
        } names[] = {
            {F_SEAL_SHRINK, "shrink"}, {F_SEAL_GROW, "grow"}, {F_SEAL_WRITE, "write"},
            {F_SEAL_EXEC, "exec"},     {F_SEAL_SEAL, "seal"},
        };
        unsigned missing = requested & ~got;
        size_t used = 0;

        if (size > 0)
                buf[0] = '\0';
        if (missing == 0)
                return false;
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                if (!(missing & names[i].seal) || used >= size)
                        continue;
                int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", names[i].name);
                if (n > 0)
                        used += (size_t)n;
        }
        return true;
}

static int add_seals(int fd, unsigned seals)
{
        return fcntl(fd, F_ADD_SEALS, seals) < 0 ? -errno : 0;
}

int loader_seal(int fd, const char *label, unsigned *ret_seals, sealexec_error *err)
{
        unsigned requested = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
        char missing[64];
        int r, got;

        r = add_seals(fd, requested);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED, "%s: cannot seal memfd",
                                      label);

        /* F_SEAL_EXEC (Linux 6.3) freezes the mode's x bits; older kernels
         * reject the unknown bit with EINVAL and have no such seal to give. */
        r = add_seals(fd, F_SEAL_EXEC);
        if (r == 0)
                requested |= F_SEAL_EXEC;
        else if (r != -EINVAL)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "%s: cannot add the exec seal", label);

        /* Last, so that nothing can be added or removed afterwards. */
        r = add_seals(fd, F_SEAL_SEAL);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                      "%s: cannot add the seal seal", label);
        requested |= F_SEAL_SEAL;

        got = fcntl(fd, F_GET_SEALS);
        if (got < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "%s: cannot read back seals", label);
        if (loader_seals_missing(requested, (unsigned)got, missing, sizeof(missing)))
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "%s: seals incomplete: missing %s", label, missing);
        *ret_seals = (unsigned)got;
        return 0;
}

static bool same_inode(int a, int b)
{
        struct stat sa, sb;

        if (fstat(a, &sa) < 0 || fstat(b, &sb) < 0)
                return false;
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int loader_reopen_readonly(int *fd, const char *label, sealexec_error *err)
{
        char path[64];
        int ro;

        /* A memfd can only be reopened through /proc. A load never gets here
         * without procfs (opening and watching its source need it, open.c and
         * copy.c); sealexec_payload_adopt_fd() can. Then (or if the inode
         * differs) the sealed O_RDWR descriptor is kept: F_SEAL_WRITE already
         * refuses every write, the read-only description is a second line of
         * defence. */
        snprintf(path, sizeof(path), "/proc/self/fd/%d", *fd);
        ro = open(path, O_RDONLY | O_CLOEXEC);
        if (ro < 0)
                return 0;
        if (!same_inode(*fd, ro)) {
                close(ro);
                return 0;
        }
        close(*fd);
        *fd = ro;
        return 0;
}
