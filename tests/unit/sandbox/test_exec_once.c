/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Exec-once, new session, the non-dumpable launcher and threads (TSYNC), for
 * real in forked children.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_skip.h"

#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <grp.h>
#include <sys/syscall.h>

#include "child.h"
#include "sandbox/exec-once.h"
#include "sandbox/landlock.h"
#include "sandbox/launch.h"
#include "sealexec.h"
#include "sandbox/process.h"

struct spec {
        const char *script; /* run by /bin/sh -c */
        bool exec_once;
        bool allow_threads;
        bool second_thread;
};

static void *sleeper(void *arg)
{
        (void)arg;
        pause();
        return NULL;
}

/* Launches /bin/sh -c SCRIPT; on failure prints "exec failed: MESSAGE", exits 100. */
static void child_launch(void *arg)
{
        const struct spec *s = arg;
        sealexec_error err = {0};
        sealexec_launch *l = NULL;
        sealexec_payload *p = NULL;
        char *argv[] = {"sh", "-c", (char *)s->script, NULL};
        pthread_t thread;
        if (s->second_thread)
                CHILD_CHECK(pthread_create(&thread, NULL, sleeper, NULL) == 0, "pthread_create");
        CHILD_CHECK(sealexec_payload_load_path("/bin/sh", 0, 0, &p, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_launch_new(&l, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_launch_set_payload(l, p, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_launch_set_argv(l, argv, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_launch_set_exec_once(l, s->exec_once, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_launch_allow_threads(l, s->allow_threads, &err) == 0, "%s",
                    err.message);
        /* The suite runs as root too: the shell's uid is not what these tests are about. */
        CHILD_CHECK(sealexec_launch_set_allow_root(l, true, &err) == 0, "%s", err.message);
        sealexec_launch_exec(l, &err);
        printf("exec failed: %s\n", err.message);
        fflush(stdout);
        _exit(100);
}

static const char exec_script[] = "/bin/true && echo EXEC-ALLOWED || echo EXEC-BLOCKED";

static void test_exec_once_blocks_exec(void **state)
{
        (void)state;
        struct spec s = {.script = exec_script, .exec_once = true};
        char *out = NULL;
        assert_int_equal(run_child(child_launch, &s, &out), 0);
        assert_non_null(strstr(out, "EXEC-BLOCKED"));
        assert_null(strstr(out, "EXEC-ALLOWED"));
        free(out);

        /* The same launch without exec-once does execute /bin/true. */
        s.exec_once = false;
        assert_int_equal(run_child(child_launch, &s, &out), 0);
        assert_non_null(strstr(out, "EXEC-ALLOWED"));
        free(out);
}

static void test_threads_refused_by_default(void **state)
{
        (void)state;
        struct spec s = {.script = "echo PAYLOAD-RAN", .second_thread = true};
        char *out = NULL;
        assert_int_equal(run_child(child_launch, &s, &out), 100);
        assert_null(strstr(out, "PAYLOAD-RAN"));
        assert_non_null(strstr(out, "confine: threads: the process has 2 threads"));
        free(out);
}

static void test_threads_allowed_with_tsync(void **state)
{
        (void)state;
        struct spec s = {
            .script = "echo PAYLOAD-RAN", .second_thread = true, .allow_threads = true};
        char *out = NULL;
        assert_int_equal(run_child(child_launch, &s, &out), 0);
        assert_non_null(strstr(out, "PAYLOAD-RAN"));
        free(out);

        /* Both filters (policy and exec-once) go to every thread with TSYNC. */
        s = (struct spec){
            .script = exec_script, .exec_once = true, .second_thread = true, .allow_threads = true};
        assert_int_equal(run_child(child_launch, &s, &out), 0);
        assert_non_null(strstr(out, "EXEC-BLOCKED"));
        free(out);
}

/* The exec fd the plan of a static payload with `n_files` files gets, or a negative errno. */
static int exec_fd_of(bool exec_once, size_t n_files, const char *rlimit, const char *caps,
                      sealexec_error *err)
{
        sealexec_launch *l = NULL;
        sealexec_payload *p = NULL;
        char *argv[] = {"probe", NULL};
        assert_int_equal(sealexec_launch_new(&l, err), 0);
        assert_int_equal(sealexec_payload_load_path(SEALEXEC_PROBE, 0, 0, &p, err), 0);
        assert_int_equal(sealexec_launch_set_payload(l, p, err), 0);
        assert_int_equal(sealexec_launch_set_argv(l, argv, err), 0);
        assert_int_equal(sealexec_launch_set_allow_root(l, true, err), 0);
        assert_int_equal(sealexec_launch_set_exec_once(l, exec_once, err), 0);
        for (size_t i = 0; i < n_files; i++) {
                char name[32];
                sealexec_payload *f = NULL;
                snprintf(name, sizeof(name), "f%zu", i);
                assert_int_equal(
                    sealexec_payload_load_path("/etc/passwd", SEALEXEC_LOAD_DATA, 0, &f, err), 0);
                assert_int_equal(sealexec_launch_add_file(l, name, f, err), 0);
        }
        if (rlimit)
                assert_int_equal(sealexec_launch_add_rlimit(l, rlimit, err), 0);
        if (caps)
                assert_int_equal(sealexec_launch_keep_caps(l, caps, err), 0);
        int fd = sealexec_launch_exec_fd(l, err);
        sealexec_launch_free(l);
        return fd;
}

/*
 * Exec-once puts the executed fd at X = hard RLIMIT_NOFILE - 1, as the rlimit
 * step leaves it, above every planned descriptor; without it the payload is
 * executed from its own slot (base + n_files).
 */
static void test_exec_once_exec_fd(void **state)
{
        (void)state;
        if (landlock_abi() < 1) {
                printf("skipped: exec-once needs Landlock\n");
                TEST_SKIP();
        }
        sealexec_error err = {0};
        struct rlimit now;
        assert_int_equal(getrlimit(RLIMIT_NOFILE, &now), 0);
        assert_int_equal(exec_fd_of(true, 0, NULL, NULL, &err), (int)now.rlim_max - 1);
        assert_int_equal(exec_fd_of(true, 2, "nofile=100:200", NULL, &err), 199);
        /* Without exec-once (the default profile allows execveat): the payload's slot. */
        assert_int_equal(exec_fd_of(false, 2, "nofile=100:200", NULL, &err), 5);

        /* Four files at 3..6, the payload at 7: X = 7 would sit on it. */
        assert_int_equal(exec_fd_of(true, 4, "nofile=8", NULL, &err), -EINVAL);
        assert_non_null(strstr(err.message, "leaves no descriptor above"));
        assert_int_equal(exec_fd_of(true, 0, "nofile=6", NULL, &err), -EINVAL);
        assert_non_null(strstr(err.message, "too small"));

        /* CAP_SYS_RESOURCE could raise the hard limit again and reopen X. */
        assert_int_equal(exec_fd_of(true, 0, NULL, "sys_resource", &err), -EINVAL);
        assert_non_null(strstr(err.message, "CAP_SYS_RESOURCE"));
        sealexec_launch *l = NULL;
        assert_int_equal(sealexec_launch_new(&l, &err), 0);
        assert_int_equal(exec_once_check(l, &err), 0);
        assert_int_equal(sealexec_launch_keep_caps(l, "sys_resource", &err), 0);
        assert_int_equal(exec_once_check(l, &err), -EINVAL);
        sealexec_launch_free(l);
}

static void child_session(void *arg)
{
        (void)arg;
        sealexec_error err = {0};
        /* A forked child is not a group leader: setsid() works. */
        CHILD_CHECK(session_apply(&err) == 0, "%s", err.message);
        CHILD_CHECK(getsid(0) == getpid(), "sid %d pid %d", (int)getsid(0), (int)getpid());
        /* Now a leader: refused with a way out named. */
        CHILD_CHECK(session_apply(&err) == -EPERM, "second setsid");
        CHILD_CHECK(strstr(err.message, "setsid -f") != NULL, "%s", err.message);
}

static void test_session(void **state)
{
        (void)state;
        char *out = NULL;
        assert_int_equal(run_child(child_session, NULL, &out), 0);
        free(out);
}

static void child_protect(void *arg)
{
        (void)arg;
        sealexec_error err = {0};
        CHILD_CHECK(prctl(PR_GET_DUMPABLE) == 1, "dumpable before");
        CHILD_CHECK(sealexec_protect_launcher(&err) == 0, "%s", err.message);
        CHILD_CHECK(prctl(PR_GET_DUMPABLE) == 0, "still dumpable");
}

static void test_protect_launcher(void **state)
{
        (void)state;
        char *out = NULL;
        assert_int_equal(run_child(child_protect, NULL, &out), 0);
        free(out);
}

static void become_nobody(void)
{
        CHILD_CHECK(setgroups(0, NULL) == 0 && setresgid(65534, 65534, 65534) == 0 &&
                        setresuid(65534, 65534, 65534) == 0,
                    "switching to uid 65534: %s", strerror(errno));
}

/*
 * A process of uid 65534 holding a memfd at fd 3 (optionally protected) and
 * another process of the same uid trying to open /proc/PID/fd/3 for writing.
 * Returns 0 when the open worked, else the errno.
 */
static int open_other_memfd(bool protect)
{
        int ready[2];
        if (pipe(ready) < 0)
                return -1;
        pid_t holder = fork();
        if (holder == 0) {
                become_nobody();
                /* A uid change makes a process non-dumpable; one exec'd as 65534 is not. */
                CHILD_CHECK(prctl(PR_SET_DUMPABLE, 1) == 0, "PR_SET_DUMPABLE 1");
                if (protect)
                        CHILD_CHECK(sealexec_protect_launcher(NULL) == 0, "protect");
                int fd = (int)syscall(SYS_memfd_create, "victim", 0);
                CHILD_CHECK(fd >= 0, "memfd_create: %s", strerror(errno));
                dprintf(ready[1], "%d\n", fd);
                pause();
                _exit(0);
        }
        close(ready[1]);
        char buf[32] = {0};
        ssize_t n = read(ready[0], buf, sizeof(buf) - 1);
        close(ready[0]);
        int result = -1;
        if (n > 0) {
                char path[64];
                snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)holder, atoi(buf));
                pid_t attacker = fork();
                if (attacker == 0) {
                        become_nobody();
                        int fd = open(path, O_RDWR | O_CLOEXEC);
                        _exit(fd >= 0 ? 0 : errno);
                }
                int st;
                waitpid(attacker, &st, 0);
                result = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        }
        kill(holder, SIGKILL);
        waitpid(holder, NULL, 0);
        return result;
}

static void test_protect_blocks_proc_fd(void **state)
{
        (void)state;
        /* Without protection the same-uid process can write into the memfd... */
        assert_int_equal(open_other_memfd(false), 0);
        /* ...with it, it cannot. */
        assert_int_equal(open_other_memfd(true), EACCES);
}

int main(int argc, char **argv)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_exec_once_exec_fd),
            cmocka_unit_test(test_exec_once_blocks_exec),
            cmocka_unit_test(test_threads_refused_by_default),
            cmocka_unit_test(test_threads_allowed_with_tsync),
            cmocka_unit_test(test_session),
            cmocka_unit_test(test_protect_launcher),
        };
        const struct CMUnitTest root_tests[] = {
            cmocka_unit_test(test_protect_blocks_proc_fd),
        };
        if (!root_group_requested(argc, argv))
                return TEST_RESULT(cmocka_run_group_tests(tests, NULL, NULL));
        if (geteuid() != 0)
                return root_group_skip("needs root to create two processes of uid 65534");
        return TEST_RESULT(cmocka_run_group_tests(root_tests, NULL, NULL));
}
