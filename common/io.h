/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The few I/O loops sealexec needs, written once: reads and writes that go
 * on after EINTR and short transfers, and reading a whole file with a cap.
 * All return 0 (or a byte count) or -errno; nothing here allocates but
 * io_read_capped() and array_reserve().
 */
#ifndef SEALEXEC_COMMON_IO_H
#define SEALEXEC_COMMON_IO_H

#include <stddef.h>
#include <sys/types.h>

/* Writes all `size` bytes (EINTR and short writes retried); -EIO on a zero write. */
int io_write_all(int fd, const void *buf, size_t size);

/* Reads exactly `size` bytes at `offset` (pread); -EIO at end of file first. */
int io_pread_exact(int fd, void *buf, size_t size, off_t offset);

/*
 * Reads up to `size` bytes at `offset` (pread), going on after EINTR and short
 * reads until the buffer is full or the file ends: the bytes read, or -errno.
 */
ssize_t io_pread_upto(int fd, void *buf, size_t size, off_t offset);

/* Writes all `size` bytes at `offset` (pwrite); -EIO on a zero write. */
int io_pwrite_all(int fd, const void *buf, size_t size, off_t offset);

struct msghdr;

/* sendmsg(2) and recvmsg(2) retried after EINTR: the bytes moved, or -errno. */
ssize_t io_sendmsg(int sock, const struct msghdr *msg, int flags);
ssize_t io_recvmsg(int sock, struct msghdr *msg, int flags);

/*
 * Reads fd to its end into a malloc'd, NUL-terminated buffer: -EFBIG once it
 * holds more than `max` bytes, so a file that grows while it is read cannot
 * exhaust memory. ret_buf and ret_len are written only on success.
 */
int io_read_capped(int fd, size_t max, char **ret_buf, size_t *ret_len);

/* The value of a hex digit, or -1. */
int hex_digit_value(char c);

/*
 * Grows *array (of `elem_size`-byte elements, *capacity of them) so that it
 * holds at least `needed`, geometrically; -ENOMEM (the array unchanged) or
 * -EOVERFLOW.
 */
int array_reserve(void *array, size_t *capacity, size_t needed, size_t elem_size);

#endif
