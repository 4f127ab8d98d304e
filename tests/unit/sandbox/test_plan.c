/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The launch plan (plan.h): the descriptor layout and the exec fd that
 * plan_build() computes for each kind of payload, then the same plan applied
 * for real in a forked child (plan_fds_apply, plan_exec_fd_apply) and
 * executed with execveat(plan->exec_fd, "", plan->argv, plan->envp): what the
 * child holds and what the payload prints must be what the plan said.
 *
 *   static ELF           files at base+i, the payload at base+n_files, executed there
 *   dynamic ELF + guard  the payload inherited at base+n_files, a sealed ld.so
 *                        executed at X = hard RLIMIT_NOFILE - 1
 *   script + sealed interpreter, with and without the guard
 *   --keep-fd above 3    base moves above the kept fd
 *   kept fd == one of sealexec's own memfds: refused (-EBADF)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_skip.h"

#include "child.h"
#include "loader/loader.h"
#include "loader/payload.h"
#include "sandbox/landlock.h"
#include "sandbox/launch.h"
#include "sandbox/plan.h"

extern char **environ;

struct pcase {
        const char *payload; /* path of the program, or: */
        const char *script;  /* script content, written to a temporary file */
        bool seal_interpreter;
        bool exec_once;
        size_t n_files;
        int keep_fd; /* 0: none */
        char *argv[6];
};

struct built {
        sealexec_launch *launch;
        struct launch_plan *plan;
        int r;
        sealexec_error err;
};

static void load_into(sealexec_launch *launch, const struct pcase *c)
{
        sealexec_error err = {0};
        sealexec_payload *p = NULL;
        if (c->script) {
                char path[] = "/tmp/sealexec-plan-XXXXXX";
                int fd = mkstemp(path);
                assert_true(fd >= 0);
                assert_int_equal(write(fd, c->script, strlen(c->script)),
                                 (ssize_t)strlen(c->script));
                fchmod(fd, 0700);
                close(fd);
                assert_int_equal(sealexec_payload_load_path(path, 0, 0, &p, &err), 0);
                unlink(path);
        } else {
                assert_int_equal(sealexec_payload_load_path(c->payload, 0, 0, &p, &err), 0);
        }
        assert_int_equal(sealexec_launch_set_payload(launch, p, &err), 0);
        if (c->seal_interpreter) {
                sealexec_payload *interp = NULL;
                assert_int_equal(sealexec_payload_load_interpreter(p, -1, 0, &interp, &err), 0);
                assert_int_equal(sealexec_launch_set_interpreter(launch, interp, &err), 0);
        }
}

/* Sets the launch up and builds its plan (b->r, b->err: the result). */
static void build(const struct pcase *c, struct built *b)
{
        sealexec_error err = {0};
        memset(b, 0, sizeof(*b));
        assert_int_equal(sealexec_launch_new(&b->launch, &err), 0);
        load_into(b->launch, c);
        assert_int_equal(sealexec_launch_set_argv(b->launch, c->argv, &err), 0);
        for (size_t i = 0; i < c->n_files; i++) {
                char name[32];
                sealexec_payload *f = NULL;
                snprintf(name, sizeof(name), "f%zu", i);
                assert_int_equal(
                    sealexec_payload_load_path("/etc/passwd", SEALEXEC_LOAD_DATA, 0, &f, &err), 0);
                assert_int_equal(sealexec_launch_add_file(b->launch, name, f, &err), 0);
        }
        if (c->keep_fd)
                assert_int_equal(sealexec_launch_keep_fd(b->launch, c->keep_fd, &err), 0);
        assert_int_equal(sealexec_launch_set_exec_once(b->launch, c->exec_once, &err), 0);
        /* The payload's uid is not what these tests are about. */
        assert_int_equal(sealexec_launch_set_allow_root(b->launch, true, &err), 0);
        b->r = plan_build(b->launch, &b->plan, &b->err);
}

static void built_free(struct built *b)
{
        plan_free(b->plan);
        sealexec_launch_free(b->launch);
}

/* The exec guard needs Landlock and MFD_NOEXEC_SEAL; without them the launch is refused. */
static bool guard_unavailable(const struct built *b)
{
        if (b->r == -EOPNOTSUPP || b->r == -EINVAL) {
                if (strstr(b->err.message, "exec guard")) {
                        printf("skipped: %s\n", b->err.message);
                        return true;
                }
        }
        return false;
}

static const struct plan_fd_move *move_to(const struct launch_plan *plan, int dst)
{
        for (size_t i = 0; i < plan->n_moves; i++)
                if (plan->moves[i].dst == dst)
                        return &plan->moves[i];
        return NULL;
}

static void expect_move(const struct launch_plan *plan, int dst, int src, bool inherit,
                        const char *role)
{
        const struct plan_fd_move *m = move_to(plan, dst);
        if (!m)
                fprintf(stderr, "no move to fd %d (want the %s)\n", dst, role);
        assert_non_null(m);
        assert_int_equal(m->src, src);
        assert_int_equal(m->inherit, inherit);
        assert_string_equal(m->role, role);
}

static void expect_argv(char **argv, const char *const *want)
{
        size_t i = 0;
        for (; want[i]; i++) {
                assert_non_null(argv[i]);
                assert_string_equal(argv[i], want[i]);
        }
        assert_null(argv[i]);
}

static int hard_nofile(void)
{
        struct rlimit rl;
        assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
        return (int)rl.rlim_max;
}

/* --- applying the plan in a child ---------------------------------------------- */

static bool is_open(int fd)
{
        return fcntl(fd, F_GETFD) >= 0;
}

static bool cloexec(int fd)
{
        int flags = fcntl(fd, F_GETFD);
        CHILD_CHECK(flags >= 0, "F_GETFD %d: %m", fd);
        return flags & FD_CLOEXEC;
}

static ino_t inode_of(int fd)
{
        struct stat st;
        CHILD_CHECK(fstat(fd, &st) == 0, "fstat %d: %m", fd);
        return st.st_ino;
}

/* Whether fd is one the payload is planned to receive (or the ruleset, closed by its step). */
static bool planned(const struct launch_plan *plan, int fd)
{
        if (plan->nofile_lowered && fd == plan->exec_stage_fd)
                return false;
        if (fd == plan->exec_fd)
                return true;
        for (size_t i = 0; i < plan->n_keep; i++)
                if (plan->keep[i] == fd)
                        return fd > 2 || is_open(fd);
        return false;
}

/*
 * The descriptor steps of the exec path, then checks: every planned fd holds
 * the memfd its move names (same inode), with close-on-exec exactly where the
 * plan says; the exec fd holds the executed object; nothing else is open;
 * under exec-once the staging number is free and the hard limit is X.
 */
static void child_apply_and_exec(void *arg)
{
        const struct launch_plan *plan = arg;
        sealexec_error err = {0};
        ino_t src_inode[8];
        CHILD_CHECK(plan->n_moves <= 8, "%zu moves", plan->n_moves);
        for (size_t i = 0; i < plan->n_moves; i++)
                src_inode[i] = inode_of(plan->moves[i].src);

        CHILD_CHECK(plan_fds_apply(plan, &err) == 0, "plan_fds_apply: %s", err.message);
        CHILD_CHECK(plan_exec_fd_apply(plan, &err) == 0, "plan_exec_fd_apply: %s", err.message);

        for (size_t i = 0; i < plan->n_moves; i++) {
                const struct plan_fd_move *m = &plan->moves[i];
                bool is_exec = i == plan->n_moves - 1;
                int fd = is_exec ? plan->exec_fd : m->dst;
                CHILD_CHECK(inode_of(fd) == src_inode[i], "fd %d does not hold the %s", fd,
                            m->role);
                CHILD_CHECK(cloexec(fd) == !m->inherit, "fd %d (%s): close-on-exec %d", fd, m->role,
                            cloexec(fd));
        }
        if (plan->nofile_lowered) {
                struct rlimit rl;
                CHILD_CHECK(!is_open(plan->exec_stage_fd), "staging fd %d left open",
                            plan->exec_stage_fd);
                CHILD_CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
                                rl.rlim_max == (rlim_t)plan->exec_fd,
                            "hard RLIMIT_NOFILE %llu, want %d", (unsigned long long)rl.rlim_max,
                            plan->exec_fd);
        }
        DIR *dir = opendir("/proc/self/fd");
        CHILD_CHECK(dir, "opendir: %m");
        struct dirent *de;
        while ((de = readdir(dir)))
                if (de->d_name[0] != '.') {
                        int fd = atoi(de->d_name);
                        CHILD_CHECK(fd == dirfd(dir) || planned(plan, fd), "fd %d is open", fd);
                }
        closedir(dir);
        execveat(plan->exec_fd, "", plan->argv, plan->envp, AT_EMPTY_PATH);
        CHILD_CHECK(false, "execveat(%d): %m", plan->exec_fd);
}

/* Runs the child; returns its exit status and stores what it (the payload) printed. */
static int apply_and_exec(const struct launch_plan *plan, char **ret_out)
{
        char *out = NULL;
        int status = run_child(child_apply_and_exec, (void *)plan, &out);
        if (status != 0)
                fprintf(stderr, "child status %d, output:\n%s\n", status, out);
        *ret_out = out;
        return status;
}

/* "fds=0,1,2,..." as the probe prints it: 0 and 2 as the runner left them, 1 the pipe. */
static void want_fds(char *buf, size_t size, const char *rest)
{
        snprintf(buf, size, "fds=%s1,%s%s", is_open(0) ? "0," : "", is_open(2) ? "2," : "", rest);
}

static void expect_line(const char *text, const char *line)
{
        size_t len = strlen(line);
        for (const char *p = text; p && *p;) {
                if (strncmp(p, line, len) == 0 && (p[len] == '\n' || p[len] == '\0'))
                        return;
                p = strchr(p, '\n');
                p = p ? p + 1 : NULL;
        }
        fprintf(stderr, "line '%s' not found in:\n%s\n", line, text);
        fail();
}

/* --- the cases ------------------------------------------------------------------- */

static void test_static_elf(void **state)
{
        (void)state;
        struct pcase c = {
            .payload = SEALEXEC_PROBE, .n_files = 2, .argv = {"probe", "fds", "argv"}};
        struct built b;
        build(&c, &b);
        assert_int_equal(b.r, 0);
        const struct launch_plan *plan = b.plan;
        assert_int_equal(plan->base, 3);
        assert_int_equal(plan->payload_fd, 5);
        assert_int_equal(plan->exec_kind, PLAN_EXEC_PAYLOAD);
        assert_false(plan->exec_guard);
        assert_false(plan->nofile_lowered);
        assert_int_equal(plan->exec_fd, 5);
        assert_int_equal(plan->exec_stage_fd, 5);
        assert_int_equal(plan->interp_fd, -1);
        assert_int_equal(plan->n_moves, 3 + (plan->ruleset_slot >= 0)); /* + the Landlock ruleset */
        expect_move(plan, 3, b.launch->files[0].payload->fd, true, "f0");
        expect_move(plan, 4, b.launch->files[1].payload->fd, true, "f1");
        /* An ELF payload is not read after exec: close-on-exec. */
        expect_move(plan, 5, b.launch->payload->fd, false, "payload");
        expect_argv(plan->argv, (const char *const[]){"probe", "fds", "argv", NULL});
        /* The Landlock ruleset gets the next planned number, closed by its step. */
        if (landlock_abi() >= 1)
                assert_int_equal(plan->ruleset_slot, 6);

        char *out = NULL, want[64];
        assert_int_equal(apply_and_exec(plan, &out), 0);
        want_fds(want, sizeof(want), "3,4");
        expect_line(out, want);
        expect_line(out, "argv[0]=probe");
        expect_line(out, "argv[2]=argv");
        free(out);
        built_free(&b);
}

static void test_dynamic_elf_exec_guard(void **state)
{
        (void)state;
        struct pcase c = {
            .payload = "/bin/sh",
            .exec_once = true,
            .n_files = 2,
            .argv = {"sh", "-c", "echo \"ran $0 $1\"; exit 3", "zero", "one"},
        };
        struct built b;
        build(&c, &b);
        if (guard_unavailable(&b)) {
                built_free(&b);
                TEST_SKIP();
        }
        assert_int_equal(b.r, 0);
        const struct launch_plan *plan = b.plan;
        int x = hard_nofile() - 1;
        assert_true(plan->exec_guard);
        assert_int_equal(plan->exec_kind, PLAN_EXEC_LDSO);
        assert_non_null(plan->ldso);
        char *interp = NULL;
        assert_int_equal(elf_read_interp(b.launch->payload->fd, &interp, NULL), 1);
        assert_string_equal(plan->ldso_path, interp);
        free(interp);
        assert_int_equal(plan->base, 3);
        assert_int_equal(plan->payload_fd, 5);
        /* ld.so reads the payload at base + n_files after exec: inherited. */
        expect_move(plan, 5, b.launch->payload->fd, true, "payload");
        assert_int_equal(plan->exec_stage_fd, 6);
        expect_move(plan, 6, plan->ldso->fd, false, "ld.so");
        assert_true(plan->nofile_lowered);
        assert_int_equal(plan->exec_fd, x);
        assert_int_equal(plan->nofile_sealed.rlim_max, (rlim_t)x);
        assert_int_equal(sealexec_launch_exec_fd(b.launch, NULL) >= 0, 1);
        expect_argv(plan->argv,
                    (const char *const[]){"sh", "--argv0", "sh", "/proc/self/fd/5", "-c",
                                          "echo \"ran $0 $1\"; exit 3", "zero", "one", NULL});

        char *out = NULL;
        assert_int_equal(apply_and_exec(plan, &out), 3);
        expect_line(out, "ran zero one");
        free(out);
        built_free(&b);
}

static const char script[] = "#!/bin/sh\necho \"script $0 $1\"\nexit 4\n";

static void test_script_sealed_interpreter(void **state)
{
        (void)state;
        struct pcase c = {.script = script,
                          .seal_interpreter = true,
                          .n_files = 1,
                          .argv = {"myscript", "first"}};
        struct built b;
        build(&c, &b);
        assert_int_equal(b.r, 0);
        const struct launch_plan *plan = b.plan;
        assert_false(plan->exec_guard);
        assert_int_equal(plan->exec_kind, PLAN_EXEC_INTERPRETER);
        assert_int_equal(plan->payload_fd, 4);
        /* The interpreter reads the script at /dev/fd/4 after exec. */
        expect_move(plan, 4, b.launch->payload->fd, true, "payload");
        assert_int_equal(plan->exec_fd, 5);
        expect_move(plan, 5, b.launch->interpreter->fd, false, "interpreter");
        expect_argv(plan->argv, (const char *const[]){"/bin/sh", "/dev/fd/4", "first", NULL});

        char *out = NULL;
        assert_int_equal(apply_and_exec(plan, &out), 4);
        expect_line(out, "script /dev/fd/4 first");
        free(out);
        built_free(&b);
}

/* Under the guard the sealed interpreter itself goes through the sealed ld.so. */
static void test_script_sealed_interpreter_exec_guard(void **state)
{
        (void)state;
        struct pcase c = {.script = script,
                          .seal_interpreter = true,
                          .exec_once = true,
                          .argv = {"myscript", "first"}};
        struct built b;
        build(&c, &b);
        if (guard_unavailable(&b)) {
                built_free(&b);
                TEST_SKIP();
        }
        assert_int_equal(b.r, 0);
        const struct launch_plan *plan = b.plan;
        assert_int_equal(plan->exec_kind, PLAN_EXEC_LDSO);
        assert_int_equal(plan->payload_fd, 3);
        expect_move(plan, 3, b.launch->payload->fd, true, "payload");
        assert_int_equal(plan->interp_fd, 4);
        expect_move(plan, 4, b.launch->interpreter->fd, true, "interpreter");
        assert_int_equal(plan->exec_stage_fd, 5);
        expect_move(plan, 5, plan->ldso->fd, false, "ld.so");
        assert_int_equal(plan->exec_fd, hard_nofile() - 1);
        expect_argv(plan->argv,
                    (const char *const[]){"/bin/sh", "--argv0", "/bin/sh", "/proc/self/fd/4",
                                          "/dev/fd/3", "first", NULL});

        char *out = NULL;
        assert_int_equal(apply_and_exec(plan, &out), 4);
        expect_line(out, "script /dev/fd/3 first");
        free(out);
        built_free(&b);
}

/* A "#!" payload under the guard without --seal-interpreter: prepare seals it. */
static void test_script_exec_guard_seals_interpreter(void **state)
{
        (void)state;
        struct pcase c = {.script = script, .exec_once = true, .argv = {"myscript", "first"}};
        struct built b;
        build(&c, &b);
        if (guard_unavailable(&b)) {
                built_free(&b);
                TEST_SKIP();
        }
        assert_int_equal(b.r, 0);
        assert_non_null(b.launch->interpreter);
        assert_int_equal(b.plan->exec_kind, PLAN_EXEC_LDSO);
        assert_int_equal(b.plan->interp_fd, 4);
        char *out = NULL;
        assert_int_equal(apply_and_exec(b.plan, &out), 4);
        expect_line(out, "script /dev/fd/3 first");
        free(out);
        built_free(&b);
}

static void test_keep_fd_above_3(void **state)
{
        (void)state;
        assert_int_equal(dup2(STDERR_FILENO, 9), 9);
        struct pcase c = {
            .payload = SEALEXEC_PROBE, .n_files = 1, .keep_fd = 9, .argv = {"probe", "fds"}};
        struct built b;
        build(&c, &b);
        close(9);
        assert_int_equal(b.r, 0);
        const struct launch_plan *plan = b.plan;
        assert_int_equal(plan->base, 10);
        expect_move(plan, 10, b.launch->files[0].payload->fd, true, "f0");
        assert_int_equal(plan->payload_fd, 11);
        assert_int_equal(plan->exec_fd, 11);
        /* Sorted, with the kept fd before the planned ones. */
        assert_int_equal(plan->keep[3], 9);
        assert_int_equal(plan->keep[4], 10);
        assert_int_equal(plan->keep[5], 11);

        char *out = NULL, want[64];
        assert_int_equal(dup2(STDERR_FILENO, 9), 9);
        assert_int_equal(apply_and_exec(plan, &out), 0);
        close(9);
        want_fds(want, sizeof(want), "9,10");
        expect_line(out, want);
        free(out);
        built_free(&b);
}

/* Exec-once with a kept fd: X is still hard RLIMIT_NOFILE - 1, the kept fd stays. */
static void test_keep_fd_exec_once(void **state)
{
        (void)state;
        assert_int_equal(dup2(STDERR_FILENO, 9), 9);
        struct pcase c = {.payload = SEALEXEC_PROBE,
                          .n_files = 1,
                          .keep_fd = 9,
                          .exec_once = true,
                          .argv = {"probe", "fds"}};
        struct built b;
        build(&c, &b);
        if (guard_unavailable(&b)) {
                close(9);
                built_free(&b);
                TEST_SKIP();
        }
        assert_int_equal(b.r, 0);
        const struct launch_plan *plan = b.plan;
        assert_int_equal(plan->exec_kind, PLAN_EXEC_PAYLOAD);
        assert_int_equal(plan->exec_stage_fd, 11);
        assert_int_equal(plan->exec_fd, hard_nofile() - 1);
        char *out = NULL, want[64];
        assert_int_equal(apply_and_exec(plan, &out), 0);
        close(9);
        want_fds(want, sizeof(want), "9,10");
        expect_line(out, want);
        free(out);
        built_free(&b);
}

/* A "kept" fd that is one of sealexec's own sealed memfds is refused. */
static void test_kept_own_memfd_refused(void **state)
{
        (void)state;
        sealexec_error err = {0};
        sealexec_launch *l = NULL;
        sealexec_payload *p = NULL, *f = NULL;
        char *argv[] = {"probe", NULL};
        assert_int_equal(sealexec_launch_new(&l, &err), 0);
        assert_int_equal(sealexec_payload_load_path(SEALEXEC_PROBE, 0, 0, &p, &err), 0);
        assert_int_equal(sealexec_launch_set_payload(l, p, &err), 0);
        assert_int_equal(sealexec_launch_set_argv(l, argv, &err), 0);
        assert_int_equal(sealexec_launch_set_allow_root(l, true, &err), 0);
        assert_int_equal(sealexec_launch_keep_fd(l, p->fd, &err), 0);
        assert_int_equal(sealexec_launch_prepare(l, &err), -EBADF);
        char want[128];
        snprintf(want, sizeof(want),
                 "prepare: fds: kept or mapped fd %d is sealexec's own descriptor (the sealed "
                 "payload)",
                 p->fd);
        assert_string_equal(err.message, want);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        /* Refused means not prepared: exec fails the same way, nothing ran. */
        assert_int_equal(sealexec_launch_exec_fd(l, &err), -EBADF);
        sealexec_launch_free(l);

        /* The same for a sealed file. */
        assert_int_equal(sealexec_launch_new(&l, &err), 0);
        assert_int_equal(sealexec_payload_load_path(SEALEXEC_PROBE, 0, 0, &p, &err), 0);
        assert_int_equal(sealexec_launch_set_payload(l, p, &err), 0);
        assert_int_equal(sealexec_launch_set_argv(l, argv, &err), 0);
        assert_int_equal(sealexec_launch_set_allow_root(l, true, &err), 0);
        assert_int_equal(sealexec_payload_load_path("/etc/passwd", SEALEXEC_LOAD_DATA, 0, &f, &err),
                         0);
        assert_int_equal(sealexec_launch_add_file(l, "conf", f, &err), 0);
        assert_int_equal(sealexec_launch_keep_fd(l, f->fd, &err), 0);
        assert_int_equal(sealexec_launch_prepare(l, &err), -EBADF);
        assert_non_null(strstr(err.message, "(the sealed conf)"));
        sealexec_launch_free(l);
}

/* Once prepared, the launch's settings are frozen and the plan is the one exec uses. */
static void test_prepare_freezes(void **state)
{
        (void)state;
        sealexec_error err = {0};
        sealexec_launch *l = NULL;
        sealexec_payload *p = NULL;
        char *argv[] = {"probe", NULL};
        assert_int_equal(sealexec_launch_new(&l, &err), 0);
        assert_int_equal(sealexec_payload_load_path(SEALEXEC_PROBE, 0, 0, &p, &err), 0);
        assert_int_equal(sealexec_launch_set_payload(l, p, &err), 0);
        assert_int_equal(sealexec_launch_set_argv(l, argv, &err), 0);
        assert_int_equal(sealexec_launch_set_allow_root(l, true, &err), 0);
        assert_int_equal(sealexec_launch_prepare(l, &err), 0);
        const struct launch_plan *first = l->plan;
        assert_non_null(first);
        assert_int_equal(sealexec_launch_prepare(l, &err), 0);
        assert_ptr_equal(l->plan, first);
        assert_int_equal(sealexec_launch_exec_fd(l, &err), 3);
        assert_int_equal(sealexec_launch_set_exec_once(l, true, &err), -EBUSY);
        assert_int_equal(sealexec_launch_keep_fd(l, 2, &err), -EBUSY);
        assert_int_equal(sealexec_launch_set_env(l, "A=b", &err), -EBUSY);
        sealexec_launch_free(l);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_static_elf),
            cmocka_unit_test(test_dynamic_elf_exec_guard),
            cmocka_unit_test(test_script_sealed_interpreter),
            cmocka_unit_test(test_script_sealed_interpreter_exec_guard),
            cmocka_unit_test(test_script_exec_guard_seals_interpreter),
            cmocka_unit_test(test_keep_fd_above_3),
            cmocka_unit_test(test_keep_fd_exec_once),
            cmocka_unit_test(test_kept_own_memfd_refused),
            cmocka_unit_test(test_prepare_freezes),
        };
        return TEST_RESULT(cmocka_run_group_tests(tests, NULL, NULL));
}
