/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The launch setters: validation at call time, messages, and ownership of
 * payloads and policies also on failure (a consumed payload's memfd is
 * closed, which the tests observe with F_GETFD).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include <cmocka.h>

#include "loader/payload.h"
#include "policy/policy.h"
#include "sandbox/launch.h"

static sealexec_payload *load(const char *path, unsigned flags)
{
        sealexec_payload *payload = NULL;
        sealexec_error err = {0};
        int r = sealexec_payload_load_path(path, flags, 0, &payload, &err);
        if (r < 0)
                fprintf(stderr, "loading %s: %s\n", path, err.message);
        assert_int_equal(r, 0);
        return payload;
}

static sealexec_payload *load_data(const char *content)
{
        char path[] = "/tmp/sealexec-test-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
        close(fd);
        sealexec_payload *payload = load(path, SEALEXEC_LOAD_DATA);
        unlink(path);
        return payload;
}

static bool fd_is_open(int fd)
{
        return fcntl(fd, F_GETFD) >= 0;
}

static void test_keep_fd(void **state)
{
        sealexec_launch *launch = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_launch_new(&launch, &err), 0);

        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(sealexec_launch_keep_fd(launch, fd, &err), 0);
        assert_int_equal(sealexec_launch_keep_fd(launch, fd, &err), 0); /* twice is once */
        assert_int_equal(sealexec_launch_keep_fd(launch, 1, &err), 0);
        assert_int_equal(launch->n_keep_fds, 2);
        assert_int_equal(launch->keep_fds[0], 1); /* kept sorted */
        assert_int_equal(launch->keep_fds[1], fd);

        close(fd);
        assert_int_equal(sealexec_launch_keep_fd(launch, fd, &err), -EBADF);
        assert_int_equal(err.code, -EBADF);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        char want[64];
        snprintf(want, sizeof(want), "keep fd %d: not an open descriptor", fd);
        assert_string_equal(err.message, want);
        assert_int_equal(sealexec_launch_keep_fd(launch, -1, &err), -EBADF);
        assert_int_equal(launch->n_keep_fds, 2);
        sealexec_launch_free(launch);
}

/* fd maps: the parent must be open, a payload number is kept or mapped once. */
static void test_map_fd(void **state)
{
        sealexec_launch *launch = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_launch_new(&launch, &err), 0);
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(sealexec_launch_map_fd(launch, fd, 9, &err), 0);
        assert_int_equal(sealexec_launch_map_fd(launch, fd, 9, &err), -EEXIST);
        assert_int_equal(sealexec_launch_map_fd(launch, fd, -1, &err), -EINVAL);
        assert_int_equal(sealexec_launch_map_fd(launch, fd, SEALEXEC_FD_MAP_MAX + 1, &err),
                         -EINVAL);
        assert_int_equal(sealexec_launch_keep_fd(launch, 1, &err), 0);
        assert_int_equal(sealexec_launch_map_fd(launch, fd, 1, &err), -EEXIST);
        /* A kept fd cannot take a number a map already took. */
        int nine = dup2(fd, 9);
        assert_int_equal(nine, 9);
        assert_int_equal(sealexec_launch_keep_fd(launch, 9, &err), -EEXIST);
        close(nine);
        close(fd);
        assert_int_equal(sealexec_launch_map_fd(launch, fd, 10, &err), -EBADF);
        assert_int_equal(launch->n_fd_maps, 1);
        sealexec_launch_free(launch);
}

static void test_add_file(void **state)
{
        sealexec_launch *launch = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_launch_new(&launch, &err), 0);

        assert_int_equal(sealexec_launch_add_file(launch, "app.conf-1_x", load_data("a"), &err), 0);
        static const char *const bad_names[] = {"", "a/b", "x y", "%{x}", "a=b", "ü"};
        for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
                sealexec_payload *file = load_data("b");
                int fd = file->fd;
                assert_int_equal(sealexec_launch_add_file(launch, bad_names[i], file, &err),
                                 -EINVAL);
                assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
                assert_false(fd_is_open(fd)); /* taken over and freed */
        }
        sealexec_payload *dup = load_data("c");
        int dup_fd = dup->fd;
        assert_int_equal(sealexec_launch_add_file(launch, "app.conf-1_x", dup, &err), -EINVAL);
        assert_non_null(strstr(err.message, "given twice"));
        assert_false(fd_is_open(dup_fd));

        /* A program is not a configuration file. */
        sealexec_payload *exe = load("/bin/true", 0);
        int exe_fd = exe->fd;
        assert_int_equal(sealexec_launch_add_file(launch, "prog", exe, &err), -EINVAL);
        assert_false(fd_is_open(exe_fd));

        sealexec_payload *file = load_data("d");
        int file_fd = file->fd;
        assert_int_equal(sealexec_launch_add_file(NULL, "x", file, &err), -EINVAL);
        assert_false(fd_is_open(file_fd));

        assert_int_equal(launch->n_files, 1);
        assert_string_equal(launch->files[0].name, "app.conf-1_x");
        sealexec_launch_free(launch);
}

static void test_set_payload(void **state)
{
        sealexec_launch *launch = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_launch_new(&launch, &err), 0);

        sealexec_payload *data = load_data("#!/bin/sh\n");
        int data_fd = data->fd;
        assert_int_equal(sealexec_launch_set_payload(launch, data, &err), -EINVAL);
        assert_false(fd_is_open(data_fd));
        assert_null(launch->payload);

        sealexec_payload *first = load("/bin/true", 0);
        int first_fd = first->fd;
        assert_int_equal(sealexec_launch_set_payload(launch, first, &err), 0);
        assert_true(fd_is_open(first_fd));
        /* A second payload replaces (and frees) the first. */
        assert_int_equal(sealexec_launch_set_payload(launch, load("/bin/true", 0), &err), 0);
        assert_false(fd_is_open(first_fd));
        assert_int_equal(sealexec_launch_set_payload(launch, NULL, &err), -EINVAL);
        sealexec_launch_free(launch);
}

static void test_env_validation(void **state)
{
        sealexec_launch *launch = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_launch_new(&launch, &err), 0);

        assert_int_equal(sealexec_launch_set_env(launch, "A=1", &err), 0);
        assert_int_equal(sealexec_launch_set_env(launch, "B=", &err), 0);
        assert_int_equal(sealexec_launch_set_env(launch, "C=x=y", &err), 0);
        assert_int_equal(sealexec_launch_unset_env(launch, "D", &err), 0);
        assert_int_equal(sealexec_launch_clear_env(launch, &err), 0);
        assert_int_equal(sealexec_launch_set_env(launch, "NOEQUALS", &err), -EINVAL);
        assert_string_equal(err.message, "env 'NOEQUALS': not NAME=VALUE");
        assert_int_equal(sealexec_launch_set_env(launch, "=value", &err), -EINVAL);
        assert_int_equal(sealexec_launch_set_env(launch, NULL, &err), -EINVAL);
        assert_int_equal(sealexec_launch_unset_env(launch, "A=B", &err), -EINVAL);
        assert_int_equal(sealexec_launch_unset_env(launch, "", &err), -EINVAL);

        assert_int_equal(launch->n_env_edits, 5);
        assert_int_equal(launch->env_edits[3].op, LAUNCH_ENV_UNSET);
        assert_string_equal(launch->env_edits[3].text, "D");
        assert_int_equal(launch->env_edits[4].op, LAUNCH_ENV_CLEAR);
        sealexec_launch_free(launch);
}

static void test_settings_validation(void **state)
{
        sealexec_launch *launch = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_launch_new(&launch, &err), 0);

        assert_int_equal(sealexec_launch_add_rlimit(launch, "nofile=64", &err), 0);
        assert_int_equal(sealexec_launch_add_rlimit(launch, "bogus=1", &err), -EINVAL);
        assert_string_equal(err.message, "unknown rlimit 'bogus'");
        assert_int_equal(launch->n_rlimits, 1);

        assert_int_equal(sealexec_launch_keep_caps(launch, "net_bind_service", &err), 0);
        assert_int_equal(sealexec_launch_keep_caps(launch, "CAP_CHOWN", &err), 0);
        assert_int_equal(sealexec_launch_keep_caps(launch, "cap_nope", &err), -EINVAL);
        assert_string_equal(err.message, "unknown capability 'cap_nope'");
        assert_true(launch->keep_caps ==
                    ((UINT64_C(1) << CAP_NET_BIND_SERVICE) | (UINT64_C(1) << CAP_CHOWN)));

        assert_int_equal(sealexec_launch_set_user(launch, "no-such-user-sealexec", &err), -ENOENT);
        assert_string_equal(err.message, "unknown user 'no-such-user-sealexec'");
        assert_false(launch->have_uid);

        /* The user's primary group is the default ... */
        assert_int_equal(sealexec_launch_set_user(launch, "nobody", &err), 0);
        assert_int_equal(launch->uid, 65534);
        assert_int_equal(launch->gid, 65534);
        /* ... an explicit group wins, in either order. */
        assert_int_equal(sealexec_launch_set_group(launch, "123", &err), 0);
        assert_int_equal(launch->gid, 123);
        assert_int_equal(sealexec_launch_set_user(launch, "root", &err), 0);
        assert_int_equal(launch->uid, 0);
        assert_int_equal(launch->gid, 123);
        assert_int_equal(sealexec_launch_set_group(launch, "nosuchgroup-sealexec", &err), -ENOENT);
        assert_int_equal(launch->gid, 123);

        char *argv[] = {"a", "b", NULL};
        char *empty[] = {NULL};
        assert_int_equal(sealexec_launch_set_argv(launch, empty, &err), -EINVAL);
        assert_int_equal(sealexec_launch_set_argv(launch, argv, &err), 0);
        assert_int_equal(launch->argc, 2);
        assert_int_equal(sealexec_launch_set_argv0(launch, "shown", &err), 0);
        assert_int_equal(sealexec_launch_set_chdir(launch, "", &err), -EINVAL);
        assert_int_equal(sealexec_launch_set_chdir(launch, "/tmp", &err), 0);

        struct sealexec_policy *policy = NULL;
        assert_int_equal(policy_new("test", &policy, &err), 0);
        assert_int_equal(sealexec_launch_set_policy(launch, policy, &err), 0);
        assert_int_equal(sealexec_launch_set_policy(launch, NULL, &err), -EINVAL);
        sealexec_launch_free(launch);
        sealexec_launch_free(NULL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_keep_fd),        cmocka_unit_test(test_map_fd),
            cmocka_unit_test(test_add_file),       cmocka_unit_test(test_set_payload),
            cmocka_unit_test(test_env_validation), cmocka_unit_test(test_settings_validation),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
