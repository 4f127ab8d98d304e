/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "loader_test.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "test_skip.h"

#include "loader/loader.h"

char *lt_tmpdir(void)
{
        char *dir = strdup("/tmp/sealexec-loader-XXXXXX");
        assert_non_null(dir);
        assert_non_null(mkdtemp(dir));
        assert_int_equal(chmod(dir, 0755), 0);
        return dir;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        return remove(path);
}

void lt_rmtree(char *dir)
{
        if (!dir)
                return;
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(dir);
}

char *lt_path(const char *dir, const char *name)
{
        char *p = NULL;
        assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
        return p;
}

void lt_write_file(const char *path, const void *data, size_t len, mode_t mode)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        assert_true(fd >= 0);
        const char *p = data;
        while (len > 0) {
                ssize_t n = write(fd, p, len);
                assert_true(n > 0);
                p += n;
                len -= (size_t)n;
        }
        assert_int_equal(fchmod(fd, mode), 0);
        assert_int_equal(close(fd), 0);
}

static char *read_all(int fd, size_t *ret_len)
{
        size_t cap = 1 << 16, len = 0;
        char *buf = malloc(cap);
        assert_non_null(buf);
        for (;;) {
                if (len == cap) {
                        cap *= 2;
                        buf = realloc(buf, cap);
                        assert_non_null(buf);
                }
                ssize_t n = pread(fd, buf + len, cap - len, (off_t)len);
                assert_true(n >= 0);
                if (n == 0)
                        break;
                len += (size_t)n;
        }
        *ret_len = len;
        return buf;
}

void lt_copy_file(const char *from, const char *to, mode_t mode)
{
        int fd = open(from, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        size_t len;
        char *data = read_all(fd, &len);
        close(fd);
        lt_write_file(to, data, len, mode);
        free(data);
}

void lt_assert_same_content(int fd, const char *path)
{
        int src = open(path, O_RDONLY | O_CLOEXEC);
        assert_true(src >= 0);
        size_t a_len, b_len;
        char *a = read_all(fd, &a_len);
        char *b = read_all(src, &b_len);
        close(src);
        assert_int_equal(a_len, b_len);
        assert_memory_equal(a, b, a_len);
        free(a);
        free(b);
}

bool lt_kernel_has_seal_exec(void)
{
        int fd = memfd_create("sealexec-probe", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        assert_true(fd >= 0);
        bool ok = fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC) == 0;
        close(fd);
        return ok;
}

void lt_require_root(void)
{
        if (geteuid() != 0) {
                print_message("needs root (to switch to uid 65534); skipping\n");
                TEST_SKIP();
        }
}

int lt_run_as_nobody(int (*fn)(void *arg), void *arg)
{
        lt_require_root();
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
                    setresuid(65534, 65534, 65534) < 0) {
                        perror("dropping to uid 65534");
                        _exit(200);
                }
                _exit(fn(arg));
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        return WEXITSTATUS(status);
}
