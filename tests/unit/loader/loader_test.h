/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the loader unit tests: scratch files and child checks. */
#ifndef SEALEXEC_TESTS_LOADER_TEST_H
#define SEALEXEC_TESTS_LOADER_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* A fresh directory under /tmp, mode 0755 so that uid 65534 can enter it. */
char *lt_tmpdir(void);
/* Removes a directory tree made by lt_tmpdir(); frees `dir`. */
void lt_rmtree(char *dir);
/* dir + "/" + name, malloc'd (asserts on failure). */
char *lt_path(const char *dir, const char *name);
/* Writes a file with `mode` (asserts on failure). */
void lt_write_file(const char *path, const void *data, size_t len, mode_t mode);
/* Copies a file with `mode` (asserts on failure). */
void lt_copy_file(const char *from, const char *to, mode_t mode);
/* Asserts that fd's content (read with pread from 0) equals the file at path. */
void lt_assert_same_content(int fd, const char *path);
/* True when this kernel knows F_SEAL_EXEC (probed on a scratch memfd). */
bool lt_kernel_has_seal_exec(void);

/* Skips the calling test unless it runs as root. */
void lt_require_root(void);

/*
 * Runs fn in a forked child as uid/gid 65534 (no supplementary groups) and
 * returns its exit status: 0 when every check passed, else the number of the
 * first failed check (fn returns it). Asserts the child exited normally.
 * Skips the test when not running as root.
 */
int lt_run_as_nobody(int (*fn)(void *arg), void *arg);

/* Child-side check: returns `code` from the calling function when false. */
#define LT_CHECK(cond, code)                                                                       \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "child check %d failed: %s\n", (code), #cond);             \
                        return (code);                                                             \
                }                                                                                  \
        } while (0)

#endif
