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
#include "loader/payload.h"
#include "sandbox/launch.h"
#include "sandbox/plan.h"
#include "sandbox/fds.h"
#include "sandbox/rlimit.h"
#include "sandbox/ids.h"
#include "sandbox/caps.h"
#include "sandbox/process.h"

#define BIT(c) (UINT64_C(1) << (c))

static bool is_root_with_caps(void)
{
        uint64_t permitted = 0;
        return geteuid() == 0 && caps_read_permitted(&permitted, NULL) == 0 &&
               (permitted & BIT(CAP_SETUID)) && (permitted & BIT(CAP_SETGID)) &&
               (permitted & BIT(CAP_SETPCAP));
}

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

/* A sealed payload holding `content`, its memfd moved to exactly `number`. */
static sealexec_payload *sealed_at(const char *content, unsigned flags, int number)
{
        sealexec_error err = {0};
        sealexec_payload *p = NULL;
        int src = memfd_with(content);
        CHILD_CHECK(sealexec_payload_load_fd(src, content, flags, 0, &p, &err) == 0,
                    "loading '%s': %s", content, err.message);
        close(src);
        if (p->fd != number) {
                CHILD_CHECK(fcntl(number, F_GETFD) < 0, "fd %d already taken", number);
                CHILD_CHECK(dup3(p->fd, number, O_CLOEXEC) == number, "dup3 to %d: %m", number);
                close(p->fd);
                p->fd = number;
        }
        return p;
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

static void check_open_fds(const char *after)
{
        char list[512];
        list_fds(list, sizeof(list));
        /* The test's stdout is a pipe; 0 and 2 are whatever ctest gave, kept as they are. */
        char want[64];
        snprintf(want, sizeof(want), "%s1 %s5 6 7 8", fcntl(0, F_GETFD) >= 0 ? "0 " : "",
                 fcntl(2, F_GETFD) >= 0 ? "2 " : "");
        CHILD_CHECK(strcmp(list, want) == 0, "open fds after %s: '%s', want '%s'", after, list,
                    want);
}

/*
 * Kept fd 5; the plan (plan_fds_build, as sealexec_launch_prepare() makes it)
 * puts file "a" at 6, file "b" at 7 and the payload at 8. The sources sit on
 * each other's targets (payload on 6, a on 8, b on 7) and junk occupies
 * numbers that must be closed; plan_fds_apply() (the exec path's fd step)
 * must sort that out.
 */
static void child_fds(void *arg)
{
        const struct fds_case *c = arg;
        sealexec_error err = {0};
        if (c->no_close_range)
                deny_close_range();
        put_at("kept", 5);
        sealexec_payload *payload = sealed_at("#!/bin/sh\n", 0, 6);
        sealexec_payload *b = sealed_at("b", SEALEXEC_LOAD_DATA, 7);
        sealexec_payload *a = sealed_at("a", SEALEXEC_LOAD_DATA, 8);
        put_at("junk", 4);
        put_at("junk", 30);
        put_at("junk", 200);
        /* A "#!" payload is read again after exec (inherited), an ELF one is not. */
        payload->is_script = c->script;

        sealexec_launch *launch = NULL;
        CHILD_CHECK(sealexec_launch_new(&launch, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_launch_set_payload(launch, payload, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_launch_add_file(launch, "a", a, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_launch_add_file(launch, "b", b, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_launch_keep_fd(launch, 5, &err) == 0, "%s", err.message);

        struct launch_plan plan = {.ruleset_fd = -1, .exec_kind = PLAN_EXEC_PAYLOAD};
        CHILD_CHECK(plan_fds_build(launch, &plan, &err) == 0, "plan_fds_build: %s", err.message);
        CHILD_CHECK(plan.base == 6 && plan.payload_fd == 8 && plan.exec_fd == 8,
                    "plan base %d, payload %d, exec %d", plan.base, plan.payload_fd, plan.exec_fd);
        CHILD_CHECK(plan_fds_apply(&plan, &err) == 0, "plan_fds_apply: %s", err.message);
        check_open_fds("plan_fds_apply");

        if (c->fallback) {
                /* The /proc walk closes the same set close_range() would. */
                put_at("junk", 4);
                put_at("junk", 30);
                put_at("junk", 200);
                CHILD_CHECK(fds_close_others_fallback(plan.keep, plan.n_keep, &err) == 0,
                            "fallback: %s", err.message);
                check_open_fds("fds_close_others_fallback");
        }

        check_content(5, "kept");
        check_content(6, "a");
        check_content(7, "b");
        check_content(8, "#!/bin/sh\n");
        CHILD_CHECK(!is_cloexec(5), "kept fd is close-on-exec");
        CHILD_CHECK(!is_cloexec(6) && !is_cloexec(7), "file fds are close-on-exec");
        CHILD_CHECK(is_cloexec(8) == !c->script, "payload close-on-exec is %d for script=%d",
                    is_cloexec(8), c->script);
}

static void test_fds_apply_close_range(void **state)
{
        struct fds_case c = {.fallback = false, .script = false};
        expect_child_ok(child_fds, &c, NULL);
}

static void test_fds_close_range_enosys(void **state)
{
        struct fds_case c = {.no_close_range = true};
        expect_child_ok(child_fds, &c, NULL);
}

static void test_fds_apply_fallback_script(void **state)
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
        bool switch_user; /* the launch sets user and group 65534 */
        uint64_t keep;
        bool drop_setpcap_first; /* simulate a launcher without CAP_SETPCAP */
        bool unprivileged_first; /* become 65534 with no capabilities before the steps */
        int want_caps_result;
        const char *want_prepare_message;  /* refused while the plan is built */
        const char *want_message;          /* substring, when the step should fail */
        enum caps_bounding_plan want_plan; /* predicted by plan_build() */
};

/*
 * Builds the plan where the launcher is (as sealexec_launch_prepare() does),
 * runs the user and capability steps from it, then execs /bin/cat
 * /proc/self/status from a memfd.
 */
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

        sealexec_launch *launch = NULL;
        sealexec_payload *payload = NULL;
        sealexec_policy *none = NULL;
        char *argv[] = {"true", NULL};
        CHILD_CHECK(sealexec_launch_new(&launch, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_payload_load_path("/bin/true", 0, 0, &payload, &err) == 0, "%s",
                    err.message);
        CHILD_CHECK(sealexec_launch_set_payload(launch, payload, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_launch_set_argv(launch, argv, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_policy_new_profile("none", &none, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_launch_set_policy(launch, none, &err) == 0, "%s", err.message);
        if (c->switch_user) {
                CHILD_CHECK(sealexec_launch_set_user(launch, "65534", &err) == 0, "%s",
                            err.message);
                CHILD_CHECK(sealexec_launch_set_group(launch, "65534", &err) == 0, "%s",
                            err.message);
        }
        /* A root payload is what some cases test: accept it explicitly. */
        CHILD_CHECK(sealexec_launch_set_allow_root(launch, true, &err) == 0, "%s", err.message);
        launch->keep_caps = c->keep;

        struct launch_plan *plan = NULL;
        if (c->want_prepare_message) {
                CHILD_CHECK(plan_build(launch, &plan, &err) == -EPERM, "plan_build accepted it");
                CHILD_CHECK(strstr(err.message, c->want_prepare_message), "message '%s', want '%s'",
                            err.message, c->want_prepare_message);
                _exit(0);
        }
        CHILD_CHECK(plan_build(launch, &plan, &err) == 0, "plan_build: %s", err.message);
        CHILD_CHECK(plan->kept_caps == c->keep, "planned caps %llx",
                    (unsigned long long)plan->kept_caps);
        CHILD_CHECK(plan->bounding == c->want_plan, "bounding plan %d, want %d", plan->bounding,
                    c->want_plan);
        CHILD_CHECK(plan->raise_ambient == (plan->payload_uid != 0),
                    "ambient planned %d for uid %u", plan->raise_ambient,
                    (unsigned)plan->payload_uid);
        if (plan->switch_ids) {
                int r = user_switch_groups(plan->set_uid, plan->uid, plan->gid, plan->groups,
                                           plan->n_groups, &err);
                CHILD_CHECK(r == 0, "user_switch: %s", err.message);
        }
        int r = caps_apply_planned(plan, &err);
        CHILD_CHECK(r == c->want_caps_result, "caps_apply_planned returned %d (%s), want %d", r,
                    err.message, c->want_caps_result);
        if (r < 0) {
                CHILD_CHECK(strstr(err.message, c->want_message), "message '%s', want '%s'",
                            err.message, c->want_message);
                _exit(0);
        }
        CHILD_CHECK(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) == 0, "KEEP_CAPS left set");
        CHILD_CHECK(nnp_apply(&err) == 0, "nnp: %s", err.message);

        char *cat_argv[] = {"cat", "/proc/self/status", NULL};
        char *envp[] = {NULL};
        execveat(cat, "", cat_argv, envp, AT_EMPTY_PATH);
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
        const uint64_t nbs = BIT(CAP_NET_BIND_SERVICE);
        struct confine_case c = {
            .switch_user = true,
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
        struct confine_case c = {
            .switch_user = true,
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
        struct confine_case c = {
            .unprivileged_first = true,
            .keep = BIT(CAP_NET_BIND_SERVICE),
            /* Refused while the plan is built, with the capability's name. */
            .want_prepare_message = "prepare: capabilities: cannot keep cap_net_bind_service: "
                                    "the launcher does not hold it",
        };
        expect_child_ok(child_confine, &c, NULL);
}

/* Root without CAP_SETPCAP could hand its exec the whole bounding set: refused. */
static void test_root_without_setpcap_refused(void **state)
{
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
        CHILD_CHECK(
            strcmp(err.message, "confine: setgroups [0] (1 group): Operation not permitted") == 0,
            "message '%s'", err.message);
        CHILD_CHECK(user_switch(false, 0, 65534, &err) == 0, "group only: %s", err.message);
}

static void test_user_switch_unprivileged(void **state)
{
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

/* The exec path's own check: one read of /proc/self/status, threads counted. */
static int check_single_thread(sealexec_error *err)
{
        char buf[4096];
        int r = proc_status_read(buf, sizeof(buf), err);
        return r < 0 ? r : status_check_text(buf, true, err);
}

static void test_threads(void **state)
{
        sealexec_error err = {0};
        unsigned n = 0;
        assert_int_equal(threads_count(&n, &err), 0);
        assert_int_equal(n, 1);
        assert_int_equal(check_single_thread(&err), 0);

        int p[2];
        assert_int_equal(pipe2(p, O_CLOEXEC), 0);
        pthread_t thread;
        assert_int_equal(pthread_create(&thread, NULL, sleeper, &p[0]), 0);
        assert_int_equal(check_single_thread(&err), -EBUSY);
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_non_null(strstr(err.message, "confine: threads: the process has 2 threads"));
        close(p[1]);
        pthread_join(thread, NULL);
        close(p[0]);
        assert_int_equal(check_single_thread(&err), 0);
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

int main(int argc, char **argv)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_fds_apply_close_range),
            cmocka_unit_test(test_fds_close_range_enosys),
            cmocka_unit_test(test_fds_apply_fallback_script),
            cmocka_unit_test(test_rlimits_apply),
            cmocka_unit_test(test_threads),
            cmocka_unit_test(test_nnp),
        };
        const struct CMUnitTest root_tests[] = {
            cmocka_unit_test(test_switch_user_keep_net_bind_service),
            cmocka_unit_test(test_switch_user_keep_nothing),
            cmocka_unit_test(test_root_keeps_only_kept),
            cmocka_unit_test(test_unprivileged_bounding_unchanged),
            cmocka_unit_test(test_unprivileged_cannot_keep),
            cmocka_unit_test(test_root_without_setpcap_refused),
            cmocka_unit_test(test_user_switch_unprivileged),
        };
        if (!root_group_requested(argc, argv))
                return cmocka_run_group_tests(tests, NULL, NULL);
        if (!is_root_with_caps())
                return root_group_skip("needs root with CAP_SETUID, CAP_SETGID, CAP_SETPCAP");
        return cmocka_run_group_tests(root_tests, NULL, NULL);
}
