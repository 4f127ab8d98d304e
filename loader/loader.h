/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loader.h - the steps that turn a file into a sealed memfd, one file each:
 *   open.c      safe open of the source and the execvp-like $PATH lookup
 *   root.c      openat2(2) resolution beneath a container root (--root)
 *   memfd.c     memfd creation (MFD_EXEC / MFD_NOEXEC_SEAL with fallbacks)
 *   copy.c      kernel-side copy and the "did it change meanwhile" check
 *   seal.c      sealing, read-back, read-only reopen
 *   digest.c    SHA-256 and the "sha256:HEX" form
 *   payload.c   the public API that puts the steps together
 *   adopt.c     taking over a caller's already sealed memfd; sealexec_payload_dup()
 *   shebang.c   the "#!" line, parsed as the kernel does; --seal-interpreter
 *   elf.c       PT_INTERP, DT_RPATH/DT_RUNPATH of a sealed ELF file
 *   self-seal.c sealexec_self_seal(): a runtime re-executing itself sealed
 *
 * Every function reports failures with a message that starts with `label`,
 * e.g. "payload '/bin/true'" or "file fd 5", so the user sees which input
 * failed at which step.
 */
#ifndef SEALEXEC_LOADER_LOADER_H
#define SEALEXEC_LOADER_LOADER_H

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "loader/payload.h"
#include "sealexec.h"

/* Debian 12's headers (Linux 6.1) predate these; the values are kernel ABI. */
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

/* Room for "payload '<path>'" with a long path; longer names are cut. */
#define LOADER_LABEL_MAX 320

/* Longest memfd name the kernel takes (NAME_MAX minus "memfd:"), plus NUL. */
#define LOADER_MEMFD_NAME_MAX 250

/* Writes the message prefix for a path ("payload 'X'" / "file 'X'"). */
void loader_label_path(char *buf, size_t size, const char *path, bool is_data);
/* Same for a caller's descriptor: "payload 'NAME'" or "payload fd N". */
void loader_label_fd(char *buf, size_t size, int fd, const char *name, bool is_data);

/* ---- open.c ------------------------------------------------------------ */

/*
 * The error kind for a failure to reach or use the source: a missing program
 * is NOT_FOUND and an unusable one CANNOT_EXECUTE, as env(1) reports them;
 * for data files (and resource exhaustion) it is sealexec's own failure.
 */
sealexec_error_kind loader_open_error_kind(int code, bool is_data);

/*
 * Checks an open source descriptor: regular file (directories, FIFOs,
 * devices and sockets refused without reading), size within max_size, and
 * for executables (is_data false) execute permission as execve(2) would
 * require it and no noexec mount. ret_st receives the fstat() result.
 */
int loader_check_source(int fd, const char *label, bool is_data, uint64_t max_size,
                        struct stat *ret_st, sealexec_error *err);

/*
 * "/proc/self/fd/N" for fd into buf, after checking that /proc is procfs;
 * fails closed (with a message naming label) when it is missing or not.
 */
int loader_proc_fd_path(int fd, char *buf, size_t size, const char *label, sealexec_error *err);

/*
 * Opens the inode held by path_fd (an O_PATH descriptor whose fstat() is
 * `checked`) for reading through /proc/self/fd/N with
 * O_RDONLY|O_CLOEXEC|O_NOCTTY|O_NONBLOCK, and verifies that the result is a
 * regular file with checked's st_dev and st_ino. The path is never used.
 */
int loader_reopen_checked(int path_fd, const struct stat *checked, const char *label, bool is_data,
                          int *ret_fd, sealexec_error *err);

/*
 * The safe open every path sealexec reads goes through: `path` is resolved
 * once (root_fd as for loader_open_in()) into an O_PATH descriptor, whose
 * type is checked (regular files only: FIFOs, devices, sockets and
 * directories are refused without being opened); then that descriptor is
 * reopened with loader_reopen_checked(). Never blocks. ret_fd is
 * O_RDONLY|O_NONBLOCK|O_CLOEXEC. Errors name `label`.
 */
int loader_open_regular(int root_fd, const char *path, const char *label, bool is_data, int *ret_fd,
                        sealexec_error *err);

/*
 * Opens `path` with loader_open_regular() and checks it with
 * loader_check_source(). O_NONBLOCK is cleared once the file is known to be
 * regular. root_fd < 0: from the filesystem; otherwise beneath that
 * directory (see loader_open_in()).
 */
int loader_open_checked(int root_fd, const char *path, bool is_data, uint64_t max_size, int *ret_fd,
                        struct stat *ret_st, sealexec_error *err);

/*
 * Finds `name` the way execvp(3) does when it has no '/' and search is true
 * (PATH unset means "/bin:/usr/bin", an empty entry means the current
 * directory, missing candidates are skipped, a permission problem is reported
 * only if nothing usable is found), otherwise opens it directly.
 * ret_path receives the path that was opened (malloc'd). root_fd as for
 * loader_open_checked(); beneath a root, $PATH entries are resolved there too.
 */
int loader_open_source(int root_fd, const char *name, bool search, bool is_data, uint64_t max_size,
                       char **ret_path, int *ret_fd, struct stat *ret_st, sealexec_error *err);

/* ---- root.c ------------------------------------------------------------ */

/*
 * The one place a source path is opened. root_fd < 0: open(2). Otherwise
 * openat2(2) beneath root_fd with RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS, so
 * absolute symlinks and ".." stay inside it and /proc magic links are
 * refused (ELOOP). Returns the new descriptor or a negative errno (-ENOSYS
 * where the kernel has no openat2(2)).
 */
int loader_open_in(int root_fd, const char *path, int flags);

/* Records the refusal of --root on a kernel without openat2(2); returns -ENOSYS. */
int loader_root_no_openat2(sealexec_error *err);

/*
 * payload.c: open (from the filesystem when root_fd < 0, else beneath it),
 * copy, seal and check; the common body of sealexec_payload_load_path() and
 * sealexec_payload_load_in_root().
 */
int loader_load_path_in(int root_fd, const char *path, unsigned flags, uint64_t max_size,
                        sealexec_payload **ret_payload, sealexec_error *err);

/* ---- shebang.c --------------------------------------------------------- */

/* The kernel's BINPRM_BUF_SIZE (Linux 5.1+): how much of a script it reads. */
#define LOADER_BINPRM_BUF_SIZE 256

/* The "#!" line as fs/binfmt_script.c splits it. */
struct loader_shebang {
        char name[LOADER_BINPRM_BUF_SIZE]; /* interpreter path, as written */
        char arg[LOADER_BINPRM_BUF_SIZE];  /* the one optional argument */
        bool has_arg;
};

/*
 * Parses the first `len` bytes of a script (only the first
 * LOADER_BINPRM_BUF_SIZE count) exactly as the kernel does. Pure. Returns
 * -ENOEXEC when the kernel would not run it as a script (no "#!", no
 * interpreter name, or a name cut off by the end of the buffer).
 */
int loader_shebang_parse(const char *data, size_t len, struct loader_shebang *ret);

/* Reads the first line of a sealed script (fd) and parses it; label for messages. */
int loader_shebang_read(int fd, const char *label, struct loader_shebang *ret, sealexec_error *err);

/* ---- memfd.c ----------------------------------------------------------- */

/* "sealexec:" + the basename of `source` (cut to the kernel's limit). */
void loader_memfd_name(char *buf, size_t size, const char *source);

/*
 * Creates a sealable, close-on-exec memfd: MFD_EXEC for executables,
 * MFD_NOEXEC_SEAL for data, each dropped only on kernels that do not know
 * it. A vm.memfd_noexec setting that forbids executable memfds is an error
 * naming the sysctl; there is no fallback to anything path-based.
 */
int loader_memfd_create(const char *memfd_name, bool is_data, const char *label, int *ret_fd,
                        sealexec_error *err);

/*
 * Reads /proc/sys/vm/memfd_noexec: 0, 1 or 2, or a negative errno when the
 * kernel has no such sysctl (or /proc is missing).
 */
int loader_memfd_noexec_sysctl(void);

/* ---- copy.c ------------------------------------------------------------ */

/* How many copies are tried before a source that keeps changing is refused. */
#define LOADER_COPY_ATTEMPTS 3

/*
 * Copies src from offset 0 to EOF into dst (at offset 0) without moving src's
 * file offset: copy_file_range(), then sendfile(), then pread()/pwrite().
 * Copying goes on until the source reports EOF, so bytes beyond the size
 * fstat() gave are seen; more than max_size bytes is -EFBIG. One attempt: the
 * source is fstat()ed before (must still match `before`, the fstat() its
 * checks were made on) and after, a write under way waited for in between. A
 * change of size, mtime or ctime, or a byte count other than the size, is
 * -ETXTBSY ("changed while it was copied").
 */
int loader_copy(int src, const struct stat *before, int dst, uint64_t max_size, const char *label,
                uint64_t *ret_copied, sealexec_error *err);

/*
 * loader_copy() up to LOADER_COPY_ATTEMPTS times: after a change, dst is
 * emptied and the source checked again (loader_check_source() with is_data
 * and max_size) before the next attempt; the last -ETXTBSY is final.
 */
int loader_copy_stable(int src, const struct stat *checked, bool is_data, int dst,
                       uint64_t max_size, const char *label, uint64_t *ret_copied,
                       sealexec_error *err);

/* Same inode, size, mtime and ctime (both to the nanosecond). */
bool loader_same_version(const struct stat *a, const struct stat *b);

/*
 * True when a copy of `copied` bytes is a faithful snapshot: the source had
 * the same size, mtime and ctime before and after the copy, and exactly that
 * many bytes were read.
 */
bool loader_copy_consistent(const struct stat *before, const struct stat *after, uint64_t copied);

/* ---- seal.c ------------------------------------------------------------ */

/* The seals sealexec requires; F_SEAL_EXEC only where the kernel has it. */
#define LOADER_SEALS_BASE (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)

/* Sets the memfd's mode to 0555 (executable) or 0444 (data), before sealing. */
int loader_restrict_mode(int fd, bool is_data, const char *label, sealexec_error *err);

/*
 * Adds SHRINK, GROW, WRITE, EXEC (where known) and, last, SEAL; reads them
 * back with F_GET_SEALS and fails unless every requested seal is present.
 * ret_seals receives what F_GET_SEALS reported.
 */
int loader_seal(int fd, const char *label, unsigned *ret_seals, sealexec_error *err);

/*
 * Writes the names of the seals in `requested` that are missing from `got`,
 * comma-separated ("write, seal"), into buf. Returns false if none is missing.
 */
bool loader_seals_missing(unsigned requested, unsigned got, char *buf, size_t size);

/*
 * Replaces *fd (a sealed memfd opened O_RDWR) by a read-only descriptor for
 * the same memfd, when /proc allows it; see seal.c for the fallback.
 */
int loader_reopen_readonly(int *fd, const char *label, sealexec_error *err);

/* --- ELF files (elf.c) ---------------------------------------------------- */

/*
 * The interpreter a dynamic ELF file names (PT_INTERP): 1 with a malloc'd
 * path in ret_interp, 0 for a static file, -ENOEXEC (CANNOT_EXECUTE) for a
 * malformed or foreign one.
 */
int elf_read_interp(int fd, char **ret_interp, sealexec_error *err);

/*
 * DT_RPATH and DT_RUNPATH of a dynamic ELF file, each malloc'd or NULL when
 * absent. -ENOEXEC for a malformed file.
 */
int elf_read_search_paths(int fd, char **ret_rpath, char **ret_runpath);

/* --- sealed memfds handed in (adopt.c) ------------------------------------ */

/* Whether this kernel knows F_SEAL_EXEC (Linux 6.3). */
bool loader_kernel_has_exec_seal(void);

/* The seals a sealed copy must carry on this kernel. */
unsigned loader_required_seals(void);

/*
 * Checks that fd is a memfd (fstatfs), a regular file, and carries every
 * required seal: -EMEDIUMTYPE for anything but a memfd, -EPERM for missing
 * seals. ret_st and ret_seals receive what was checked.
 */
int loader_check_sealed_memfd(int fd, const char *label, struct stat *ret_st, unsigned *ret_seals,
                              sealexec_error *err);

/* ---- digest.c ---------------------------------------------------------- */

/* Parses "sha256:" + 64 hex digits (either case). -EINVAL otherwise. */
int loader_digest_parse(const char *text, unsigned char ret_digest[SEALEXEC_SHA256_LEN]);

/* Writes "sha256:" + 64 lowercase hex digits (SEALEXEC_DIGEST_STRING_MAX bytes). */
void loader_digest_format(const unsigned char digest[SEALEXEC_SHA256_LEN],
                          char ret_text[SEALEXEC_DIGEST_STRING_MAX]);

/* SHA-256 of `size` bytes of a sealed memfd, read through a private mapping. */
int loader_digest_sealed(int fd, uint64_t size, const char *label,
                         unsigned char ret_digest[SEALEXEC_SHA256_LEN], sealexec_error *err);

/* SHA-256 of an ordinary file from offset 0 to EOF, read with pread(). */
int loader_digest_stream(int fd, const char *label, unsigned char ret_digest[SEALEXEC_SHA256_LEN],
                         sealexec_error *err);

#endif
