/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * copy.c - copying the source into the memfd, with the kernel doing the work.
 *
 * copy_file_range(2) is tried first, then sendfile(2), then a pread/pwrite
 * loop. Source offsets are always passed explicitly, so a descriptor borrowed
 * from the caller keeps its file offset. The end of the copy is decided by
 * the source reporting EOF, never by the size fstat() gave: a file that grows
 * (or a /proc file whose size says 0) is noticed, and the result is then
 * compared with the size before and after. The sealed copy is what runs and
 * what gets hashed, so the check is not about safety of the copy itself but
 * about not running a torn mixture of two versions of a file.
 *
 * "Changed" is decided by what a writer cannot forge: the ctime (which
 * futimens() cannot restore, and which file systems with multigrain
 * timestamps, Linux 6.13+, move on the first change after it was read)
 * besides the size and the mtime, read before and after the copy, with a
 * write already under way waited for first. A changed source is copied
 * again, at most LOADER_COPY_ATTEMPTS times in all, then refused. What this
 * cannot see is listed in SECURITY.md (e.g. stores through a shared writable
 * mapping).
 *
 * An inotify watch was tried and dropped: closing an inotify instance waits
 * for an SRCU grace period (fsnotify_destroy_group), 12 to 20 ms here, ten
 * times a whole launch; on kernels with multigrain timestamps it saw nothing
 * the ctime does not.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "loader/loader.h"

/* Bytes asked for per call: large, so big files take few system calls;
 * below sendfile's 0x7ffff000 limit. */
#define COPY_CHUNK      (UINT64_C(1) << 30)
#define COPY_BUFFER_LEN (256 * 1024)

enum copy_method {
        COPY_FILE_RANGE,
        COPY_SENDFILE,
        COPY_READ_WRITE,
};

struct copy_state {
        int src, dst;
        enum copy_method method;
        off_t in_off, out_off;
        char *buffer; /* for COPY_READ_WRITE, allocated on first use */
};

/* Errors meaning "this method does not work for these files", not "failed". */
static bool method_unsupported(int e)
{
        return e == EXDEV || e == EINVAL || e == ENOSYS || e == EOPNOTSUPP || e == EPERM ||
               e == EBADF;
}

static ssize_t copy_read_write(struct copy_state *s, size_t len)
{
        /* Usually this method only confirms the EOF another one reported: a
         * one-byte read does that without allocating the buffer. */
        char probe;
        const char *data = &probe;
        ssize_t n;

        if (!s->buffer) {
                n = io_pread_upto(s->src, &probe, 1, s->in_off);
                if (n > 0)
                        s->buffer = malloc(COPY_BUFFER_LEN);
                if (n > 0 && !s->buffer)
                        return -ENOMEM;
        } else {
                n = io_pread_upto(s->src, s->buffer, len < COPY_BUFFER_LEN ? len : COPY_BUFFER_LEN,
                                  s->in_off);
                data = s->buffer;
        }
        if (n <= 0)
                return n;
        int r = io_pwrite_all(s->dst, data, (size_t)n, s->out_off);
        if (r < 0)
                return r;
        s->in_off += n;
        return n;
}

/* One step of the current method; returns bytes copied, 0 at EOF, -errno. */
static ssize_t copy_step(struct copy_state *s, size_t len)
{
        ssize_t n;

        switch (s->method) {
        case COPY_FILE_RANGE: {
                off_t out = s->out_off;
                n = copy_file_range(s->src, &s->in_off, s->dst, &out, len, 0);
                break;
        }
        case COPY_SENDFILE:
                /* sendfile() writes at dst's own offset: keep it in step. */
                if (lseek(s->dst, s->out_off, SEEK_SET) < 0)
                        return -errno;
                n = sendfile(s->dst, s->src, &s->in_off, len);
                break;
        default:
                n = copy_read_write(s, len);
                if (n >= 0)
                        s->out_off += n;
                return n;
        }
        if (n < 0)
                return -errno;
        s->out_off += n;
        return n;
}

/*
 * Copies until EOF. A 0 from copy_file_range() or sendfile() is not trusted
 * as EOF (some file systems return 0 for files they cannot copy this way): the
 * next method confirms it, and only pread() has the last word.
 */
static int copy_all(struct copy_state *s, uint64_t max_size, const char *label, sealexec_error *err)
{
        /* Ask for one byte more than the cap allows, to see a file exceed it. */
        uint64_t limit = max_size == UINT64_MAX ? max_size : max_size + 1;

        for (;;) {
                uint64_t copied = (uint64_t)s->out_off;
                uint64_t want = limit - copied < COPY_CHUNK ? limit - copied : COPY_CHUNK;
                ssize_t n = copy_step(s, (size_t)want);

                if (n == -EINTR)
                        continue;
                if (n < 0 && s->method != COPY_READ_WRITE && method_unsupported((int)-n)) {
                        s->method++;
                        continue;
                }
                if (n < 0)
                        return se_error_errno(err, (int)n, SEALEXEC_ERROR_REFUSED,
                                              "%s: cannot copy into memfd", label);
                if (n == 0 && s->method != COPY_READ_WRITE) {
                        s->method++;
                        continue;
                }
                if (n == 0)
                        return 0;
                if ((uint64_t)s->out_off > max_size)
                        return se_error(err, -EFBIG, SEALEXEC_ERROR_REFUSED,
                                        "%s: grew past the cap of %ju bytes while it was copied "
                                        "(raise max_size, --max-size in sealexec run)",
                                        label, (uintmax_t)max_size);
        }
}

static bool same_time(const struct timespec *a, const struct timespec *b)
{
        return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

bool loader_same_version(const struct stat *a, const struct stat *b)
{
        /* The ctime cannot be set from user space: restoring the mtime with
         * futimens() after a rewrite moves it forward all the same. */
        return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
               same_time(&a->st_mtim, &b->st_mtim) && same_time(&a->st_ctim, &b->st_ctim);
}

bool loader_copy_consistent(const struct stat *before, const struct stat *after, uint64_t copied)
{
        if (before->st_size < 0 || (uint64_t)before->st_size != copied)
                return false;
        return loader_same_version(before, after);
}

/*
 * Waits until a write(2) in progress on the source, if any, has finished:
 * lseek(SEEK_DATA) takes the inode lock that buffered writes hold from their
 * timestamp update to their last byte (ext4, tmpfs, btrfs; XFS and others do
 * not take it there, see SECURITY.md). The file offset is put back, so a
 * borrowed descriptor keeps it.
 */
static void wait_for_write_in_progress(int fd)
{
        off_t cur = lseek(fd, 0, SEEK_CUR);
        if (cur < 0)
                return;
        (void)lseek(fd, 0, SEEK_DATA);
        (void)lseek(fd, cur, SEEK_SET);
}

/*
 * One attempt. Returns 0, -ETXTBSY with `why` filled in (err untouched) when
 * the source changed, or another error recorded in err.
 */
static int copy_once(int src, const struct stat *checked, int dst, uint64_t max_size,
                     const char *label, uint64_t *ret_copied, char *why, size_t why_size,
                     sealexec_error *err)
{
        struct copy_state s = {.src = src, .dst = dst, .method = COPY_FILE_RANGE};
        struct stat before, after;
        int r;

        /*
         * The ctime first: a write that starts after this read moves it (file
         * systems with multigrain timestamps, Linux 6.13+, give a queried
         * ctime a new value on the next change), and one already under way is
         * waited for before the first byte is copied.
         */
        if (fstat(src, &before) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "%s: cannot fstat",
                                      label);
        if (!loader_same_version(checked, &before)) {
                snprintf(why, why_size, "after it was checked, before the copy began");
                return -ETXTBSY;
        }
        wait_for_write_in_progress(src);
        r = copy_all(&s, max_size, label, err);
        free(s.buffer);
        if (r < 0)
                return r;
        if (fstat(src, &after) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "%s: cannot fstat",
                                      label);
        if (!loader_copy_consistent(&before, &after, (uint64_t)s.out_off)) {
                snprintf(why, why_size,
                         "%jd bytes before, %jd after, %jd copied; ctime or mtime %s",
                         (intmax_t)before.st_size, (intmax_t)after.st_size, (intmax_t)s.out_off,
                         same_time(&before.st_ctim, &after.st_ctim) &&
                                 same_time(&before.st_mtim, &after.st_mtim)
                             ? "unchanged"
                             : "changed");
                return -ETXTBSY;
        }
        *ret_copied = (uint64_t)s.out_off;
        return 0;
}

int loader_copy(int src, const struct stat *before, int dst, uint64_t max_size, const char *label,
                uint64_t *ret_copied, sealexec_error *err)
{
        char why[160];
        int r = copy_once(src, before, dst, max_size, label, ret_copied, why, sizeof(why), err);
        if (r == -ETXTBSY)
                return se_error(err, r, SEALEXEC_ERROR_REFUSED,
                                "%s: changed while it was copied (%s)", label, why);
        return r;
}

int loader_copy_stable(int src, const struct stat *checked, bool is_data, int dst,
                       uint64_t max_size, const char *label, uint64_t *ret_copied,
                       sealexec_error *err)
{
        struct stat st = *checked;
        char why[160];
        int r;

        for (int attempt = 1;; attempt++) {
                r = copy_once(src, &st, dst, max_size, label, ret_copied, why, sizeof(why), err);
                if (r != -ETXTBSY)
                        return r;
                if (attempt == LOADER_COPY_ATTEMPTS)
                        return se_error(err, r, SEALEXEC_ERROR_REFUSED,
                                        "%s: changed while it was copied (%s), %d times in a row; "
                                        "refusing a copy that could mix two versions of it",
                                        label, why, attempt);
                /* Start over: the memfd is not sealed yet, and the new version
                 * must pass the same checks (size cap, permissions). */
                if (ftruncate(dst, 0) < 0)
                        return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                              "%s: cannot empty the memfd for another copy", label);
                r = loader_check_source(src, label, is_data, max_size, &st, err);
                if (r < 0)
                        return r;
        }
}
