/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * adopt.c - payloads that need no second copy.
 *
 * A runtime that launches the same program many times, or a caller that
 * received an already sealed memfd (from a holder, from its own earlier
 * load), should not pay for a copy again. Two ways:
 *   - sealexec_payload_dup(): a second handle on the same sealed memfd
 *     (a dup'ed descriptor and a copy of what was checked: size, seals,
 *     digest), so two launches in one process share one copy;
 *   - sealexec_payload_adopt_fd(): a descriptor the caller holds is used as
 *     it is when it is a memfd (fstatfs says tmpfs/hugetlbfs) that carries
 *     every seal sealexec itself would add. Sealed memfds cannot change, so
 *     the checks made here hold for as long as the descriptor lives.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "loader/loader.h"
#include "loader/payload.h"

#define SEALS_BASE (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

bool loader_kernel_has_exec_seal(void)
{
        _cleanup_close_ int fd = memfd_create("sealexec-probe", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        /* No memfd at all: say yes, so the caller asks for the seal and reports why not. */
        if (fd < 0)
                return true;
        return fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC) == 0 || errno != EINVAL;
}

unsigned loader_required_seals(void)
{
        return SEALS_BASE | (loader_kernel_has_exec_seal() ? F_SEAL_EXEC : 0);
}

int loader_check_sealed_memfd(int fd, const char *label, struct stat *ret_st, unsigned *ret_seals,
                              sealexec_error *err)
{
        struct statfs sfs;
        if (fstatfs(fd, &sfs) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "%s: fstatfs", label);
        if (sfs.f_type != TMPFS_MAGIC && sfs.f_type != HUGETLBFS_MAGIC)
                return se_error(err, -EMEDIUMTYPE, SEALEXEC_ERROR_REFUSED,
                                "%s: not a memfd (filesystem type 0x%lx)", label,
                                (unsigned long)sfs.f_type);
        if (fstat(fd, ret_st) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "%s: fstat", label);
        if (!S_ISREG(ret_st->st_mode))
                return se_error(err, -EMEDIUMTYPE, SEALEXEC_ERROR_REFUSED,
                                "%s: not a regular memfd", label);
        int seals = fcntl(fd, F_GET_SEALS);
        if (seals < 0)
                return se_error_errno(err, -errno == -EINVAL ? -EMEDIUMTYPE : -errno,
                                      SEALEXEC_ERROR_REFUSED, "%s: no seals (not a memfd?)", label);
        char missing[64];
        if (loader_seals_missing(loader_required_seals(), (unsigned)seals, missing,
                                 sizeof(missing)))
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "%s: memfd not fully sealed: missing %s", label, missing);
        *ret_seals = (unsigned)seals;
        return 0;
}

/* ELF or "#!" for a program; any content for data. */
static int check_kind(int fd, const struct stat *st, bool is_data, const char *label,
                      bool *ret_is_script, sealexec_error *err)
{
        *ret_is_script = false;
        if (is_data)
                return 0;
        unsigned char head[4] = {0};
        size_t n = st->st_size < (off_t)sizeof(head) ? (size_t)st->st_size : sizeof(head);
        /* Sealed: it holds exactly st_size bytes; a failed read is refused as unknown content. */
        if (io_pread_exact(fd, head, n, 0) < 0)
                n = 0;
        if (n >= 4 && memcmp(head, "\177ELF", 4) == 0)
                return 0;
        if (n >= 2 && head[0] == '#' && head[1] == '!') {
                *ret_is_script = true;
                return 0;
        }
        return se_error(err, -ENOEXEC, SEALEXEC_ERROR_CANNOT_EXECUTE,
                        "%s: not an ELF executable nor a #! script", label);
}

SEALEXEC_API int sealexec_payload_adopt_fd(int fd, const char *name, unsigned flags,
                                           sealexec_payload **ret_payload, sealexec_error *err)
{
        bool is_data = flags & SEALEXEC_LOAD_DATA;
        char label[LOADER_LABEL_MAX];
        struct stat st;
        unsigned seals;
        bool is_script;

        if (!ret_payload || (flags & ~(unsigned)SEALEXEC_LOAD_DATA))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "adopt: bad arguments (only SEALEXEC_LOAD_DATA applies)");
        loader_label_fd(label, sizeof(label), fd, name, is_data);
        if (fd < 0 || fcntl(fd, F_GETFD) < 0)
                return se_error(err, -EBADF, SEALEXEC_ERROR_REFUSED, "%s: not open", label);
        int r = loader_check_sealed_memfd(fd, label, &st, &seals, err);
        if (r >= 0)
                r = check_kind(fd, &st, is_data, label, &is_script, err);
        if (r < 0)
                return r;
        if (!is_data && !(st.st_mode & 0111))
                return se_error(err, -EACCES, SEALEXEC_ERROR_CANNOT_EXECUTE,
                                "%s: the sealed memfd is not executable", label);
        _cleanup_free_ sealexec_payload *p = calloc(1, sizeof(*p));
        _cleanup_free_ char *copy = name ? strdup(name) : strdup(label);
        _cleanup_close_ int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (!p || !copy)
                return se_oom(err, label);
        if (dup_fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "%s: dup", label);
        r = loader_reopen_readonly(&dup_fd, label, err);
        if (r < 0)
                return r;
        *p = (struct sealexec_payload){
            .fd = TAKE_FD(dup_fd),
            .name = TAKE_PTR(copy),
            .size = (uint64_t)st.st_size,
            .seals = seals,
            .is_script = is_script,
            .is_data = is_data,
        };
        *ret_payload = TAKE_PTR(p);
        return 0;
}

SEALEXEC_API int sealexec_payload_dup(const sealexec_payload *payload,
                                      sealexec_payload **ret_payload, sealexec_error *err)
{
        if (!payload || !ret_payload)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "dup: no payload");
        _cleanup_free_ sealexec_payload *p = calloc(1, sizeof(*p));
        _cleanup_free_ char *name = payload->name ? strdup(payload->name) : NULL;
        if (!p || (payload->name && !name))
                return se_oom(err, "dup");
        int fd = fcntl(payload->fd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "dup: payload fd %d",
                                      payload->fd);
        *p = *payload;
        p->fd = fd;
        p->name = TAKE_PTR(name);
        *ret_payload = TAKE_PTR(p);
        return 0;
}
