/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sealexec_payload_load_in_root(): a hostile root filesystem in a scratch
 * directory (absolute symlinks, ".." chains, /proc magic links) must never
 * make the loader read a file of the host; a kernel without openat2 (faked
 * by a seccomp filter in a child) is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_skip.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <seccomp.h>

#include "loader/loader.h"
#include "loader_test.h"

static const char ROOT_PASSWD[] = "root-passwd: the container's own file\n";

struct root_fixture {
        char *dir;
        int fd;
};

static void put_link(const char *dir, const char *target, const char *name)
{
        char *path = lt_path(dir, name);
        assert_int_equal(symlink(target, path), 0);
        free(path);
}

static void put_dir(const char *dir, const char *name)
{
        char *path = lt_path(dir, name);
        assert_int_equal(mkdir(path, 0755), 0);
        free(path);
}

static int setup(void **state)
{
        struct root_fixture *f = calloc(1, sizeof(*f));
        assert_non_null(f);
        f->dir = lt_tmpdir();
        put_dir(f->dir, "etc");
        put_dir(f->dir, "bin");
        put_dir(f->dir, "a");
        char *passwd = lt_path(f->dir, "etc/passwd");
        lt_write_file(passwd, ROOT_PASSWD, sizeof(ROOT_PASSWD) - 1, 0644);
        free(passwd);
        char *tool = lt_path(f->dir, "bin/tool");
        lt_copy_file("/bin/true", tool, 0755);
        free(tool);
        put_link(f->dir, "/etc/passwd", "abs");
        put_link(f->dir, "../../../../../../../../etc/passwd", "dotdot");
        put_link(f->dir, "../etc/passwd", "a/rel");
        put_link(f->dir, "a/rel", "chain");
        put_link(f->dir, "/proc/self/root/etc/passwd", "magic");
        f->fd = open(f->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        assert_true(f->fd >= 0);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct root_fixture *f = *state;
        close(f->fd);
        lt_rmtree(f->dir);
        free(f);
        return 0;
}

/* Loads `path` beneath the root as data and checks it is the root's passwd. */
static void assert_root_passwd(struct root_fixture *f, const char *path)
{
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        int r = sealexec_payload_load_in_root(f->fd, path, SEALEXEC_LOAD_DATA, 0, &p, &err);
        if (r == -ENOSYS) {
                print_message("no openat2(2) here: %s; skipping\n", err.message);
                TEST_SKIP();
        }
        assert_int_equal(r, 0);
        char *want = lt_path(f->dir, "etc/passwd");
        lt_assert_same_content(sealexec_payload_fd(p), want);
        assert_int_equal(sealexec_payload_size(p), sizeof(ROOT_PASSWD) - 1);
        free(want);
        sealexec_payload_free(p);
}

static void test_absolute_symlink_stays_inside(void **state)
{
        assert_root_passwd(*state, "/abs");
}

static void test_dotdot_symlink_stays_inside(void **state)
{
        assert_root_passwd(*state, "/dotdot");
        assert_root_passwd(*state, "/../../../etc/passwd");
}

static void test_relative_chain(void **state)
{
        assert_root_passwd(*state, "/chain");
        assert_root_passwd(*state, "a/rel");
}

static void test_magic_link_inside_root_never_reaches_host(void **state)
{
        struct root_fixture *f = *state;
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        /* The root has no /proc: /proc/self/root is clamped to it and absent. */
        int r = sealexec_payload_load_in_root(f->fd, "/magic", SEALEXEC_LOAD_DATA, 0, &p, &err);
        assert_true(r < 0);
        assert_null(p);
        assert_int_equal(err.code, r);
}

static void test_magic_link_refused(void **state)
{
        (void)state;
        /* A root that does hold a procfs: /proc/self/root is a magic link to
         * the host's "/", which RESOLVE_NO_MAGICLINKS must refuse. */
        int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (proc < 0) {
                print_message("no /proc here; skipping\n");
                TEST_SKIP();
        }
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        int r = sealexec_payload_load_in_root(proc, "/self/root/etc/passwd", SEALEXEC_LOAD_DATA, 0,
                                              &p, &err);
        close(proc);
        assert_int_equal(r, -ELOOP);
        assert_null(p);
        assert_non_null(strstr(err.message, "magic link"));
}

static void test_executable_and_path_search(void **state)
{
        struct root_fixture *f = *state;
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;

        /* /nonexistent is skipped; /bin is the root's /bin. */
        setenv("PATH", "/nonexistent:/bin", 1);
        int r =
            sealexec_payload_load_in_root(f->fd, "tool", SEALEXEC_LOAD_SEARCH_PATH, 0, &p, &err);
        if (old)
                setenv("PATH", old, 1);
        free(old);
        assert_int_equal(r, 0);
        assert_string_equal(sealexec_payload_name(p), "/bin/tool");
        assert_false(sealexec_payload_is_script(p));
        char *want = lt_path(f->dir, "bin/tool");
        lt_assert_same_content(sealexec_payload_fd(p), want);
        free(want);
        sealexec_payload_free(p);

        /* The host has /bin/sh; the root does not. */
        r = sealexec_payload_load_in_root(f->fd, "/bin/sh", 0, 0, &p, &err);
        assert_int_equal(r, -ENOENT);
        assert_int_equal(err.kind, SEALEXEC_ERROR_NOT_FOUND);
}

static void test_bad_root(void **state)
{
        struct root_fixture *f = *state;
        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_payload_load_in_root(-1, "/abs", SEALEXEC_LOAD_DATA, 0, &p, &err),
                         -EBADF);
        char *file = lt_path(f->dir, "etc/passwd");
        int fd = open(file, O_RDONLY | O_CLOEXEC);
        free(file);
        assert_true(fd >= 0);
        assert_int_equal(sealexec_payload_load_in_root(fd, "/abs", SEALEXEC_LOAD_DATA, 0, &p, &err),
                         -ENOTDIR);
        close(fd);
        assert_null(p);
}

/* Child: openat2 answers ENOSYS, as on Linux < 5.6. */
static int child_without_openat2(void *arg)
{
        struct root_fixture *f = arg;
        scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
        if (!ctx)
                return 77;
        int nr = seccomp_syscall_resolve_name("openat2");
        if (nr < 0 || seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0) < 0 ||
            seccomp_load(ctx) < 0)
                return 77;
        seccomp_release(ctx);

        sealexec_payload *p = NULL;
        sealexec_error err = {0};
        int r = sealexec_payload_load_in_root(f->fd, "/abs", SEALEXEC_LOAD_DATA, 0, &p, &err);
        LT_CHECK(r == -ENOSYS, 1);
        LT_CHECK(p == NULL, 2);
        LT_CHECK(err.kind == SEALEXEC_ERROR_REFUSED, 3);
        LT_CHECK(strstr(err.message, "root directory: the kernel has no openat2(2)") != NULL, 4);
        r = sealexec_payload_load_in_root(f->fd, "tool", SEALEXEC_LOAD_SEARCH_PATH, 0, &p, &err);
        LT_CHECK(r == -ENOSYS, 5);
        /* The ordinary loader does not need openat2. */
        r = sealexec_payload_load_path("/bin/true", 0, 0, &p, &err);
        LT_CHECK(r == 0, 6);
        sealexec_payload_free(p);
        return 0;
}

static void test_no_openat2_refused(void **state)
{
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
                _exit(child_without_openat2(*state));
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == 77) {
                print_message("cannot install a seccomp filter here; skipping\n");
                TEST_SKIP();
        }
        assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_absolute_symlink_stays_inside, setup, teardown),
            cmocka_unit_test_setup_teardown(test_dotdot_symlink_stays_inside, setup, teardown),
            cmocka_unit_test_setup_teardown(test_relative_chain, setup, teardown),
            cmocka_unit_test_setup_teardown(test_magic_link_inside_root_never_reaches_host, setup,
                                            teardown),
            cmocka_unit_test(test_magic_link_refused),
            cmocka_unit_test_setup_teardown(test_executable_and_path_search, setup, teardown),
            cmocka_unit_test_setup_teardown(test_bad_root, setup, teardown),
            cmocka_unit_test_setup_teardown(test_no_openat2_refused, setup, teardown),
        };
        return TEST_RESULT(cmocka_run_group_tests(tests, NULL, NULL));
}
