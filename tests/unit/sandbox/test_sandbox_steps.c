/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Each confinement step for real, in forked children: descriptor placement
 * and closing, rlimits, the user switch, capabilities, no_new_privs and the
 * thread check. Where the result is only visible after exec, the child
 * executes a memfd copy of /bin/cat on /proc/self/status and the parent reads
 * what the kernel gave the new program.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>
#include <seccomp.h>

#include "child.h"
#include "sandbox/launch.h"

#define BIT(c) (UINT64_C(1) << (c))

static bool is_root_with_caps(void)
{
        uint64_t permitted = 0;
        return geteuid() == 0 && caps_read_permitted(&permitted, NULL) == 0 &&
               (permitted & BIT(CAP_SETUID)) && (permitted & BIT(CAP_SETGID)) &&
               (permitted & BIT(CAP_SETPCAP));
}

#define REQUIRE_ROOT()                                                                             \
        do {                                                                                       \
                if (!is_root_with_caps()) {                                                        \
                        printf("skipped: needs root with CAP_SETUID, CAP_SETGID, CAP_SETPCAP\n");  \
                        skip();                                                                    \
                }                                                                                  \
        } while (0)

static void expect_child_ok(void (*fn)(void *), void *arg, char **ret_output)
{
        char *output = NULL;
        int status = run_child(fn, arg, &output);
        if (status != 0)
                fprintf(stderr, "child exited with %d; output:\n%s\n", status, output);
        assert_int_equal(status, 0);
        if (ret_output)
                *ret_output = output;
        else
                free(output);
}

/* --- descriptors ---------------------------------------------------------- */

/* "0 1 2 5 ..." for the open descriptors, excluding the directory stream's own. */
static void list_fds(char *buf, size_t size)
{
        DIR *dir = opendir("/proc/self/fd");
        CHILD_CHECK(dir, "opendir: %m");
        bool open_fd[256] = {false};
        struct dirent *de;
        while ((de = readdir(dir)))
                if (de->d_name[0] != '.') {
                        int fd = atoi(de->d_name);
                        if (fd != dirfd(dir) && fd < 256)
                                open_fd[fd] = true;
                }
        closedir(dir);
        size_t used = 0;
        buf[0] = '\0';
        for (int fd = 0; fd < 256; fd++)
                if (open_fd[fd])
                        used +=
                            (size_t)snprintf(buf + used, size - used, "%s%d", used ? " " : "", fd);
}

static int memfd_with(const char *content)
{
        int fd = memfd_create("sealexec-test", MFD_CLOEXEC);
        CHILD_CHECK(fd >= 0, "memfd_create: %m");
        CHILD_CHECK(write(fd, content, strlen(content)) == (ssize_t)strlen(content), "write");
        return fd;
}

static void check_content(int fd, const char *want)
{
        char buf[64] = {0};
        CHILD_CHECK(pread(fd, buf, sizeof(buf) - 1, 0) == (ssize_t)strlen(want), "pread fd %d", fd);
        CHILD_CHECK(strcmp(buf, want) == 0, "fd %d holds '%s', want '%s'", fd, buf, want);
}

static bool is_cloexec(int fd)
{
        int flags = fcntl(fd, F_GETFD);
        CHILD_CHECK(flags >= 0, "F_GETFD %d: %m", fd);
        return flags & FD_CLOEXEC;
}

/* Pins a descriptor for `content` at exactly `number`. */
static void put_at(const char *content, int number)
{
        int fd = memfd_with(content);
        if (fd == number)
                return;
        CHILD_CHECK(dup3(fd, number, O_CLOEXEC) == number, "dup3 to %d: %m", number);
        close(fd);
}

struct fds_case {
        bool fallback;       /* call the fallback directly */
        bool no_close_range; /* make close_range() fail with ENOSYS, as on old kernels */
        bool script;
};

static void deny_close_range(void)
{
        scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
        CHILD_CHECK(ctx, "seccomp_init");
        CHILD_CHECK(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(close_range), 0) == 0,
                    "seccomp_rule_add");
        CHILD_CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "no_new_privs");
        CHILD_CHECK(seccomp_load(ctx) == 0, "seccomp_load");
        seccomp_release(ctx);
        CHILD_CHECK(syscall(SYS_close_range, 1000u, 1001u, 0u) < 0 && errno == ENOSYS,
                    "close_range still works");
}

/*
 * Kept fd 5; the plan puts file "a" at 6, file "b" at 7 and the payload at 8.
 * The sources sit on each other's targets (payload on 6, a on 8, b on 7) and
 * junk occupies numbers that must be closed.
 */
static void child_fds(void *arg)
{
        const struct fds_case *c = arg;
        if (c->no_close_range)
                deny_close_range();
        put_at("kept", 5);
        put_at("payload", 6);
        put_at("b", 7);
        put_at("a", 8);
        put_at("junk", 4);
        put_at("junk", 30);
        put_at("junk", 200);

        int keep[] = {5};
        struct fd_plan plan;
        fd_plan_compute(keep, 1, 2, &plan);
        CHILD_CHECK(plan.base == 6 && plan.payload_fd == 8, "plan %d/%d", plan.base,
                    plan.payload_fd);
        int sources[] = {8, 7, 6};
        sealexec_error err = {0};
        int r = fds_place(&plan, sources, keep, 1, c->script, &err);
        CHILD_CHECK(r == 0, "fds_place: %s", err.message);
        CHILD_CHECK(sources[0] == 6 && sources[1] == 7 && sources[2] == 8, "sources updated");

        int open_fds[] = {0, 1, 2, 5, 6, 7, 8};
        r = c->fallback ? fds_close_others_fallback(open_fds, 7, &err)
                        : fds_close_others(open_fds, 7, &err);
        CHILD_CHECK(r == 0, "close: %s", err.message);

        char list[512];
        list_fds(list, sizeof(list));
        /* The test's stdout is a pipe; 0 and 2 are whatever ctest gave, kept as they are. */
        char want[64];
        snprintf(want, sizeof(want), "%s1 %s5 6 7 8", fcntl(0, F_GETFD) >= 0 ? "0 " : "",
                 fcntl(2, F_GETFD) >= 0 ? "2 " : "");
        CHILD_CHECK(strcmp(list, want) == 0, "open fds '%s', want '%s'", list, want);

        check_content(5, "kept");
        check_content(6, "a");
        check_content(7, "b");
        check_content(8, "payload");
        CHILD_CHECK(!is_cloexec(5), "kept fd is close-on-exec");
        CHILD_CHECK(!is_cloexec(6) && !is_cloexec(7), "file fds are close-on-exec");
        CHILD_CHECK(is_cloexec(8) == !c->script, "payload close-on-exec is %d for script=%d",
                    is_cloexec(8), c->script);
}

static void test_fds_place_close_range(void **state)
{
        struct fds_case c = {.fallback = false, .script = false};
        expect_child_ok(child_fds, &c, NULL);
}

static void test_fds_close_range_enosys(void **state)
{
        struct fds_case c = {.no_close_range = true};
        expect_child_ok(child_fds, &c, NULL);
}

static void test_fds_place_fallback_script(void **state)
{
        struct fds_case c = {.fallback = true, .script = true};
        expect_child_ok(child_fds, &c, NULL);
}

/* --- rlimits ------------------------------------------------------------- */

static void child_rlimits(void *arg)
{
        struct launch_rlimit limits[2];
        sealexec_error err = {0};
        CHILD_CHECK(rlimit_parse("nofile=64:128", &limits[0], &err) == 0, "%s", err.message);
        CHILD_CHECK(rlimit_parse("core=0", &limits[1], &err) == 0, "%s", err.message);
        CHILD_CHECK(rlimits_apply(limits, 2, &err) == 0, "%s", err.message);

        struct rlimit got;
        CHILD_CHECK(getrlimit(RLIMIT_NOFILE, &got) == 0, "getrlimit");
        CHILD_CHECK(got.rlim_cur == 64 && got.rlim_max == 128, "nofile %lu:%lu",
                    (unsigned long)got.rlim_cur, (unsigned long)got.rlim_max);
        CHILD_CHECK(getrlimit(RLIMIT_CORE, &got) == 0 && got.rlim_cur == 0 && got.rlim_max == 0,
                    "core");

        /* Raising a hard limit needs CAP_SYS_RESOURCE: without it the step fails, named. */
        cap_t none = cap_init();
        CHILD_CHECK(none && cap_set_proc(none) == 0, "dropping capabilities: %m");
        cap_free(none);
        CHILD_CHECK(rlimit_parse("nofile=64:4096", &limits[0], &err) == 0, "%s", err.message);
        CHILD_CHECK(rlimits_apply(limits, 1, &err) == -EPERM, "raising nofile succeeded");
        CHILD_CHECK(strcmp(err.message, "confine: rlimit nofile: Operation not permitted") == 0,
                    "message '%s'", err.message);
}

static void test_rlimits_apply(void **state)
{
        expect_child_ok(child_rlimits, NULL, NULL);
}

/* --- user, capabilities, no_new_privs -------------------------------------- */

struct confine_case {
        bool switch_user;
        uid_t uid;
        gid_t gid;
        uint64_t keep;
        bool drop_setpcap_first; /* simulate a launcher without CAP_SETPCAP */
        bool unprivileged_first; /* become 65534 with no capabilities before the steps */
        int want_caps_result;
        const char *want_message; /* substring, when the step should fail */
        enum caps_bounding_plan want_plan;
};

/* Runs the steps, then execs /bin/cat /proc/self/status from a memfd. */
static void child_confine(void *arg)
{
        const struct confine_case *c = arg;
        sealexec_error err = {0};
        int cat = memfd_copy_of("/bin/cat");
        CHILD_CHECK(cat >= 0, "copying /bin/cat: %m");

        if (c->unprivileged_first) {
                gid_t g = 65534;
                CHILD_CHECK(setgroups(1, &g) == 0 && setresgid(g, g, g) == 0 &&
                                setresuid(65534, 65534, 65534) == 0,
                            "becoming 65534: %m");
        }
        if (c->drop_setpcap_first) {
                cap_t caps = cap_get_proc();
                cap_value_t v = CAP_SETPCAP;
                CHILD_CHECK(caps && cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_CLEAR) == 0 &&
                                cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_CLEAR) == 0 &&
                                cap_set_proc(caps) == 0,
                            "dropping CAP_SETPCAP: %m");
                cap_free(caps);
        }
        if (c->switch_user) {
                int r = user_switch(true, c->uid, c->gid, &err);
                CHILD_CHECK(r == 0, "user_switch: %s", err.message);
        }
        enum caps_bounding_plan plan = (enum caps_bounding_plan) - 1;
        int r = caps_apply(c->keep, &plan, &err);
        CHILD_CHECK(plan == c->want_plan, "bounding plan %d, want %d", plan, c->want_plan);
        CHILD_CHECK(r == c->want_caps_result, "caps_apply returned %d (%s), want %d", r,
                    err.message, c->want_caps_result);
        if (r < 0) {
                CHILD_CHECK(strstr(err.message, c->want_message), "message '%s', want '%s'",
                            err.message, c->want_message);
                _exit(0);
        }
        CHILD_CHECK(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) == 0, "KEEP_CAPS left set");
        CHILD_CHECK(nnp_apply(&err) == 0, "nnp: %s", err.message);

        char *argv[] = {"cat", "/proc/self/status", NULL};
        char *envp[] = {NULL};
        execveat(cat, "", argv, envp, AT_EMPTY_PATH);
        CHILD_CHECK(false, "execveat: %m");
}

static void expect_field(const char *status, const char *key, const char *want)
{
        char buf[256];
        status_field(status, key, buf, sizeof(buf));
        if (strcmp(buf, want) != 0)
                fprintf(stderr, "%s: '%s', want '%s'\n", key, buf, want);
        assert_string_equal(buf, want);
}

static void expect_mask(const char *status, const char *key, uint64_t want)
{
        char buf[64];
        snprintf(buf, sizeof(buf), "%016llx", (unsigned long long)want);
        expect_field(status, key, buf);
}

static void test_switch_user_keep_net_bind_service(void **state)
{
        REQUIRE_ROOT();
        const uint64_t nbs = BIT(CAP_NET_BIND_SERVICE);
        struct confine_case c = {
            .switch_user = true,
            .uid = 65534,
            .gid = 65534,
            .keep = nbs,
            .want_plan = CAPS_BOUNDING_DROP,
        };
        char *status = NULL;
        expect_child_ok(child_confine, &c, &status);
        expect_field(status, "Uid", "65534\t65534\t65534\t65534");
        expect_field(status, "Gid", "65534\t65534\t65534\t65534");
        expect_field(status, "Groups", "65534");
        expect_mask(status, "CapInh", nbs);
        expect_mask(status, "CapPrm", nbs);
        expect_mask(status, "CapEff", nbs);
        expect_mask(status, "CapBnd", nbs);
        expect_mask(status, "CapAmb", nbs);
        expect_field(status, "NoNewPrivs", "1");
        free(status);
}

static void test_switch_user_keep_nothing(void **state)
{
        REQUIRE_ROOT();
        struct confine_case c = {
            .switch_user = true,
            .uid = 65534,
            .gid = 65534,
            .want_plan = CAPS_BOUNDING_DROP,
        };
        char *status = NULL;
        expect_child_ok(child_confine, &c, &status);
        expect_field(status, "Uid", "65534\t65534\t65534\t65534");
        expect_mask(status, "CapPrm", 0);
        expect_mask(status, "CapEff", 0);
        expect_mask(status, "CapBnd", 0);
        expect_mask(status, "CapAmb", 0);
        expect_field(status, "NoNewPrivs", "1");
        free(status);
}

/* Root payload: no ambient set; root's exec gets the (reduced) bounding set. */
static void test_root_keeps_only_kept(void **state)
{
        REQUIRE_ROOT();
        const uint64_t keep = BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_CHOWN);
        struct confine_case c = {.keep = keep, .want_plan = CAPS_BOUNDING_DROP};
        char *status = NULL;
        expect_child_ok(child_confine, &c, &status);
        expect_field(status, "Uid", "0\t0\t0\t0");
        expect_mask(status, "CapPrm", keep);
        expect_mask(status, "CapEff", keep);
        expect_mask(status, "CapBnd", keep);
        expect_mask(status, "CapAmb", 0);
        free(status);
}

/* An unprivileged launcher: the bounding set stays, nothing can be gained. */
static void test_unprivileged_bounding_unchanged(void **state)
{
        REQUIRE_ROOT();
        struct confine_case c = {
            .unprivileged_first = true,
            .want_plan = CAPS_BOUNDING_UNCHANGED_NNP,
        };
        uint64_t bounding = caps_read_bounding(caps_last_cap());
        char *status = NULL;
        expect_child_ok(child_confine, &c, &status);
        expect_field(status, "Uid", "65534\t65534\t65534\t65534");
        expect_mask(status, "CapPrm", 0);
        expect_mask(status, "CapEff", 0);
        expect_mask(status, "CapAmb", 0);
        expect_mask(status, "CapBnd", bounding);
        expect_field(status, "NoNewPrivs", "1");
        free(status);
}

static void test_unprivileged_cannot_keep(void **state)
{
        REQUIRE_ROOT();
        struct confine_case c = {
            .unprivileged_first = true,
            .keep = BIT(CAP_NET_BIND_SERVICE),
            .want_caps_result = -EPERM,
            .want_message = "confine: capabilities: cannot keep cap_net_bind_service: the "
                            "launcher does not hold it",
            .want_plan = (enum caps_bounding_plan) - 1,
        };
        expect_child_ok(child_confine, &c, NULL);
}

/* Root without CAP_SETPCAP could hand its exec the whole bounding set: refused. */
static void test_root_without_setpcap_refused(void **state)
{
        REQUIRE_ROOT();
        struct confine_case c = {
            .drop_setpcap_first = true,
            .want_caps_result = -EPERM,
            .want_message = "cannot drop the bounding set",
            .want_plan = CAPS_BOUNDING_REFUSE,
        };
        expect_child_ok(child_confine, &c, NULL);
}

/* --- user switch details --------------------------------------------------- */

static void child_user_switch_unprivileged(void *arg)
{
        sealexec_error err = {0};
        CHILD_CHECK(user_switch(true, 65534, 65534, &err) == 0, "first switch: %s", err.message);
        /* Again, now unprivileged: setgroups fails with EPERM but changes nothing. */
        CHILD_CHECK(user_switch(true, 65534, 65534, &err) == 0, "same ids: %s", err.message);
        /* A real change is refused and named. */
        CHILD_CHECK(user_switch(true, 65534, 0, &err) == -EPERM, "switch to gid 0 allowed");
        CHILD_CHECK(strcmp(err.message, "confine: setgroups [0]: Operation not permitted") == 0,
                    "message '%s'", err.message);
        CHILD_CHECK(user_switch(false, 0, 65534, &err) == 0, "group only: %s", err.message);
}

static void test_user_switch_unprivileged(void **state)
{
        REQUIRE_ROOT();
        expect_child_ok(child_user_switch_unprivileged, NULL, NULL);
}

/* --- threads -------------------------------------------------------------- */

static void *sleeper(void *arg)
{
        int *pipe_rd = arg;
        char c;
        (void)read(*pipe_rd, &c, 1);
        return NULL;
}

static void test_threads(void **state)
{
        sealexec_error err = {0};
        unsigned n = 0;
        assert_int_equal(threads_count(&n, &err), 0);
        assert_int_equal(n, 1);
        assert_int_equal(threads_check_single(&err), 0);

        int p[2];
        assert_int_equal(pipe2(p, O_CLOEXEC), 0);
        pthread_t thread;
        assert_int_equal(pthread_create(&thread, NULL, sleeper, &p[0]), 0);
        assert_int_equal(threads_check_single(&err), -EBUSY);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_non_null(strstr(err.message, "confine: threads: the process has 2 threads"));
        close(p[1]);
        pthread_join(thread, NULL);
        close(p[0]);
        assert_int_equal(threads_check_single(&err), 0);
}

static void child_nnp(void *arg)
{
        sealexec_error err = {0};
        CHILD_CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0, "already set");
        CHILD_CHECK(nnp_apply(&err) == 0, "%s", err.message);
        CHILD_CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1, "not set");
}

static void test_nnp(void **state)
{
        expect_child_ok(child_nnp, NULL, NULL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_fds_place_close_range),
            cmocka_unit_test(test_fds_close_range_enosys),
            cmocka_unit_test(test_fds_place_fallback_script),
            cmocka_unit_test(test_rlimits_apply),
            cmocka_unit_test(test_switch_user_keep_net_bind_service),
            cmocka_unit_test(test_switch_user_keep_nothing),
            cmocka_unit_test(test_root_keeps_only_kept),
            cmocka_unit_test(test_unprivileged_bounding_unchanged),
            cmocka_unit_test(test_unprivileged_cannot_keep),
            cmocka_unit_test(test_root_without_setpcap_refused),
            cmocka_unit_test(test_user_switch_unprivileged),
            cmocka_unit_test(test_threads),
            cmocka_unit_test(test_nnp),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
