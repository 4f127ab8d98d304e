/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* memfd creation, sealing and the read-only reopen, step by step. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_skip.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "loader/loader.h"
#include "loader_test.h"

static void test_memfd_name(void **state)
{
        char buf[LOADER_MEMFD_NAME_MAX];
        loader_memfd_name(buf, sizeof(buf), "/usr/bin/true");
        assert_string_equal(buf, "sealexec:true");
        loader_memfd_name(buf, sizeof(buf), "relative");
        assert_string_equal(buf, "sealexec:relative");
        loader_memfd_name(buf, sizeof(buf), "fd 3");
        assert_string_equal(buf, "sealexec:fd 3");

        char long_name[400];
        memset(long_name, 'n', sizeof(long_name) - 1);
        long_name[sizeof(long_name) - 1] = '\0';
        loader_memfd_name(buf, sizeof(buf), long_name);
        assert_true(strlen(buf) <= 249);
        /* The kernel accepts the cut name. */
        int fd = memfd_create(buf, MFD_CLOEXEC);
        assert_true(fd >= 0);
        close(fd);
}

static void test_create_executable(void **state)
{
        sealexec_error err = {0};
        int fd = -1;
        assert_int_equal(loader_memfd_create("sealexec:t", false, "payload 't'", &fd, &err), 0);
        assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        struct stat st;
        assert_int_equal(fstat(fd, &st), 0);
        assert_int_equal(st.st_mode & 0111, 0111);
        /* Sealing is allowed, no seal yet. */
        assert_int_equal(fcntl(fd, F_GET_SEALS), 0);
        close(fd);
}

static void test_create_data(void **state)
{
        sealexec_error err = {0};
        int fd = -1;
        assert_int_equal(loader_memfd_create("sealexec:d", true, "file 'd'", &fd, &err), 0);
        assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        struct stat st;
        assert_int_equal(fstat(fd, &st), 0);
        if (!lt_kernel_has_seal_exec()) {
                close(fd);
                print_message("kernel has no MFD_NOEXEC_SEAL; skipping\n");
                TEST_SKIP();
        }
        assert_int_equal(st.st_mode & 0111, 0);
        assert_true(fcntl(fd, F_GET_SEALS) & F_SEAL_EXEC);
        assert_int_equal(fchmod(fd, 0755), -1);
        close(fd);
}

static void test_seals_missing_names(void **state)
{
        char buf[64];
        unsigned all = LOADER_SEALS_BASE | F_SEAL_EXEC;
        assert_false(loader_seals_missing(all, all, buf, sizeof(buf)));
        assert_string_equal(buf, "");
        assert_true(loader_seals_missing(all, all & ~F_SEAL_WRITE, buf, sizeof(buf)));
        assert_string_equal(buf, "write");
        assert_true(loader_seals_missing(all, F_SEAL_SHRINK, buf, sizeof(buf)));
        assert_string_equal(buf, "grow, write, exec, seal");
        /* Extra seals are not a problem. */
        assert_false(
            loader_seals_missing(LOADER_SEALS_BASE, all | F_SEAL_FUTURE_WRITE, buf, sizeof(buf)));
}

static void test_seal_and_reopen(void **state)
{
        sealexec_error err = {0};
        int fd = -1;
        unsigned seals = 0;
        assert_int_equal(loader_memfd_create("sealexec:s", false, "payload 's'", &fd, &err), 0);
        assert_int_equal(write(fd, "#!x", 3), 3);
        assert_int_equal(loader_restrict_mode(fd, false, "payload 's'", &err), 0);
        assert_int_equal(loader_seal(fd, "payload 's'", &seals, &err), 0);
        assert_int_equal(seals, (unsigned)fcntl(fd, F_GET_SEALS));
        assert_int_equal(seals & LOADER_SEALS_BASE, LOADER_SEALS_BASE);
        /* (F_SEAL_FUTURE_WRITE may be reported: the kernel adds it itself when
         * F_SEAL_EXEC is put on an executable memfd.) */
        if (lt_kernel_has_seal_exec())
                assert_true(seals & F_SEAL_EXEC);

        /* Sealing again fails: F_SEAL_SEAL is in place. */
        assert_int_equal(loader_seal(fd, "payload 's'", &seals, &err), -EPERM);
        assert_non_null(strstr(err.message, "payload 's': cannot seal memfd"));

        struct stat a, b;
        assert_int_equal(fstat(fd, &a), 0);
        int old = fd;
        assert_int_equal(loader_reopen_readonly(&fd, "payload 's'", &err), 0);
        assert_int_equal(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
        assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        assert_int_equal(fstat(fd, &b), 0);
        assert_int_equal(a.st_ino, b.st_ino);
        assert_int_equal(a.st_dev, b.st_dev);
        if (fd != old)
                assert_int_equal(fcntl(old, F_GETFD), -1); /* the O_RDWR one is closed */
        close(fd);
}

/* F_SEAL_WRITE cannot be applied while a writable shared mapping exists. */
static void test_seal_refused_with_writable_mapping(void **state)
{
        sealexec_error err = {0};
        int fd = -1;
        unsigned seals = 0;
        assert_int_equal(loader_memfd_create("sealexec:m", true, "file 'm'", &fd, &err), 0);
        assert_int_equal(ftruncate(fd, 4096), 0);
        void *map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        assert_true(map != MAP_FAILED);
        assert_int_equal(loader_seal(fd, "file 'm'", &seals, &err), -EBUSY);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_non_null(strstr(err.message, "file 'm': cannot seal memfd"));
        munmap(map, 4096);
        close(fd);
}

/*
 * vm.memfd_noexec=2 forbids executable memfds. The sysctl is per PID
 * namespace, so it is raised in a grandchild that is PID 1 of a new one; the
 * machine's setting is not touched. Exit 0 = checks passed, 77 = not possible
 * here.
 */
static int noexec_sysctl_grandchild(void)
{
        if (getpid() != 1)
                return 10; /* never write the sysctl outside the new namespace */
        int fd = open("/proc/sys/vm/memfd_noexec", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, "2", 1) != 1) {
                perror("raising vm.memfd_noexec");
                return 77;
        }
        close(fd);
        LT_CHECK(loader_memfd_noexec_sysctl() == 2, 1);

        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        int r = sealexec_payload_load_path("/bin/true", 0, 0, &p, &err);
        fprintf(stderr, "memfd_noexec=2: %s\n", err.message);
        LT_CHECK(r < 0, 2);
        LT_CHECK(p == NULL, 3);
        LT_CHECK(err.kind == SEALEXEC_ERROR_REFUSED, 4);
        LT_CHECK(strstr(err.message, "vm.memfd_noexec") != NULL, 5);
        /* Data files are not affected. */
        LT_CHECK(sealexec_payload_load_path("/bin/true", SEALEXEC_LOAD_DATA, 0, &p, &err) == 0, 6);
        sealexec_payload_free(p);
        return 0;
}

static int noexec_sysctl_child(void)
{
        if (unshare(CLONE_NEWPID) < 0) {
                perror("unshare(CLONE_NEWPID)");
                return 77;
        }
        pid_t pid = fork();
        if (pid < 0)
                return 77;
        if (pid == 0)
                _exit(noexec_sysctl_grandchild());
        int status;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
                return 11;
        return WEXITSTATUS(status);
}

static void test_memfd_noexec_sysctl(void **state)
{
        if (loader_memfd_noexec_sysctl() < 0) {
                print_message("kernel has no vm.memfd_noexec; skipping\n");
                TEST_SKIP();
        }
        int host_before = loader_memfd_noexec_sysctl();
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
                _exit(noexec_sysctl_child());
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(loader_memfd_noexec_sysctl(), host_before);
        if (WEXITSTATUS(status) == 77) {
                print_message("cannot raise vm.memfd_noexec in a new PID namespace; skipping\n");
                TEST_SKIP();
        }
        assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_memfd_name),
            cmocka_unit_test(test_create_executable),
            cmocka_unit_test(test_create_data),
            cmocka_unit_test(test_seals_missing_names),
            cmocka_unit_test(test_seal_and_reopen),
            cmocka_unit_test(test_seal_refused_with_writable_mapping),
            cmocka_unit_test(test_memfd_noexec_sysctl),
        };
        return TEST_RESULT(cmocka_run_group_tests(tests, NULL, NULL));
}
