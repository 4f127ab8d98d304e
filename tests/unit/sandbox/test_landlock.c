/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Landlock step: the pure plan for each ABI, PT_INTERP and "#!" parsing,
 * the setters, and real rulesets enforced in forked children.
 */
#include <elf.h>
#include <errno.h>
#include <linux/landlock.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_skip.h"

#include "child.h"
#include "loader/loader.h"
#include "loader/payload.h"
#include "sandbox/landlock.h"
#include "sandbox/launch.h"

static int memfd_with(const void *data, size_t size)
{
        int fd = memfd_create("test-landlock", MFD_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, data, size), (ssize_t)size);
        return fd;
}

static void test_fs_rights_per_abi(void **state)
{
        (void)state;
        assert_int_equal(landlock_fs_rights(0), 0);
        assert_int_equal(landlock_fs_rights(1), (UINT64_C(1) << 13) - 1);
        assert_true(landlock_fs_rights(2) & LL_ACCESS_FS_REFER);
        assert_false(landlock_fs_rights(2) & LL_ACCESS_FS_TRUNCATE);
        assert_true(landlock_fs_rights(3) & LL_ACCESS_FS_TRUNCATE);
        assert_false(landlock_fs_rights(4) & LL_ACCESS_FS_IOCTL_DEV);
        assert_int_equal(landlock_fs_rights(5), (UINT64_C(1) << 16) - 1);
        assert_int_equal(landlock_fs_rights(7), (UINT64_C(1) << 16) - 1);

        uint64_t all = landlock_fs_rights(7);
        assert_int_equal(landlock_rule_rights(all, false, true), LANDLOCK_ACCESS_FS_EXECUTE |
                                                                     LANDLOCK_ACCESS_FS_READ_FILE |
                                                                     LANDLOCK_ACCESS_FS_READ_DIR);
        /* READ_DIR is refused by the kernel on a file rule. */
        assert_int_equal(landlock_rule_rights(all, false, false),
                         LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE);
        assert_int_equal(landlock_rule_rights(all, true, true), all);
        assert_false(landlock_rule_rights(all, true, false) & LANDLOCK_ACCESS_FS_MAKE_REG);
        assert_true(landlock_rule_rights(all, true, false) & LANDLOCK_ACCESS_FS_WRITE_FILE);
        /* Never a right the ruleset does not handle (the kernel would refuse the rule). */
        assert_false(landlock_rule_rights(landlock_fs_rights(1), true, true) & LL_ACCESS_FS_REFER);
}

static void test_plan(void **state)
{
        (void)state;
        struct landlock_plan p;
        const unsigned both = SEALEXEC_SCOPE_SIGNAL | SEALEXEC_SCOPE_ABSTRACT_UNIX;

        landlock_plan_compute(0, SEALEXEC_LANDLOCK_BEST_EFFORT, 0, false, &p);
        assert_false(p.domain);
        assert_false(p.refuse);
        landlock_plan_compute(0, SEALEXEC_LANDLOCK_REQUIRE, both, false, &p);
        assert_true(p.refuse);

        /* ABI 7, no rule: a domain with both scopes and no filesystem right handled. */
        landlock_plan_compute(7, SEALEXEC_LANDLOCK_REQUIRE, 0, false, &p);
        assert_true(p.domain);
        assert_false(p.refuse);
        assert_int_equal(p.handled_fs, 0);
        assert_int_equal(p.scoped, LL_SCOPE_SIGNAL | LL_SCOPE_ABSTRACT_UNIX_SOCKET);

        /* Scopes off: the ruleset must still handle something (MAKE_BLOCK). */
        landlock_plan_compute(7, SEALEXEC_LANDLOCK_BEST_EFFORT, both, false, &p);
        assert_true(p.domain);
        assert_int_equal(p.scoped, 0);
        assert_int_equal(p.handled_fs, LANDLOCK_ACCESS_FS_MAKE_BLOCK);
        assert_true(p.placeholder);

        landlock_plan_compute(7, SEALEXEC_LANDLOCK_BEST_EFFORT, SEALEXEC_SCOPE_SIGNAL, false, &p);
        assert_int_equal(p.scoped, LL_SCOPE_ABSTRACT_UNIX_SOCKET);

        /* ABI 5: scopes are lost; best-effort goes on, require refuses. */
        landlock_plan_compute(5, SEALEXEC_LANDLOCK_BEST_EFFORT, 0, false, &p);
        assert_int_equal(p.scopes_lost, both);
        assert_int_equal(p.handled_fs, LANDLOCK_ACCESS_FS_MAKE_BLOCK);
        assert_false(p.refuse);
        landlock_plan_compute(5, SEALEXEC_LANDLOCK_REQUIRE, 0, false, &p);
        assert_true(p.refuse);
        landlock_plan_compute(5, SEALEXEC_LANDLOCK_REQUIRE, both, true, &p);
        assert_false(p.refuse);
        assert_int_equal(p.handled_fs, (UINT64_C(1) << 16) - 1);

        /* ABI 3 with rules: IOCTL_DEV is not enforced. */
        landlock_plan_compute(3, SEALEXEC_LANDLOCK_BEST_EFFORT, both, true, &p);
        assert_int_equal(p.fs_lost, LL_ACCESS_FS_IOCTL_DEV);
        landlock_plan_compute(3, SEALEXEC_LANDLOCK_REQUIRE, both, true, &p);
        assert_true(p.refuse);
}

static void test_elf_interp_dynamic(void **state)
{
        (void)state;
        int fd = open("/bin/true", O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        char *interp = NULL;
        sealexec_error err = {0};
        int r = elf_read_interp(fd, &interp, &err);
        close(fd);
        assert_int_equal(r, 1);
        assert_true(interp[0] == '/');
        assert_non_null(strstr(interp, "ld"));
        /* The interpreter exists and is itself an ELF file without an interpreter. */
        fd = open(interp, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        char *again = NULL;
        assert_int_equal(elf_read_interp(fd, &again, &err), 0);
        assert_null(again);
        close(fd);
        free(interp);
}

static void test_elf_interp_static(void **state)
{
        (void)state;
#ifdef SEALEXEC_PROBE
        int fd = open(SEALEXEC_PROBE, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        char *interp = NULL;
        assert_int_equal(elf_read_interp(fd, &interp, NULL), 0);
        assert_null(interp);
        close(fd);
#else
        TEST_SKIP();
#endif
}

/* A minimal 32-bit ELF whose only program header is PT_INTERP. */
static void test_elf_interp_32bit_and_malformed(void **state)
{
        (void)state;
        struct {
                Elf32_Ehdr eh;
                Elf32_Phdr ph;
                char interp[16];
        } __attribute__((packed)) img = {0};
        memcpy(img.eh.e_ident, ELFMAG, SELFMAG);
        img.eh.e_ident[EI_CLASS] = ELFCLASS32;
        img.eh.e_ident[EI_DATA] = ELFDATA2LSB;
        img.eh.e_phoff = sizeof(Elf32_Ehdr);
        img.eh.e_phentsize = sizeof(Elf32_Phdr);
        img.eh.e_phnum = 1;
        img.ph.p_type = PT_INTERP;
        img.ph.p_offset = sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr);
        strcpy(img.interp, "/lib/ld-32.so");
        img.ph.p_filesz = (Elf32_Word)strlen(img.interp) + 1;

        int fd = memfd_with(&img, sizeof(img));
        char *interp = NULL;
        assert_int_equal(elf_read_interp(fd, &interp, NULL), 1);
        assert_string_equal(interp, "/lib/ld-32.so");
        free(interp);
        close(fd);

        /* Not NUL-terminated where p_filesz says: refused. */
        img.ph.p_filesz = 5;
        fd = memfd_with(&img, sizeof(img));
        sealexec_error err = {0};
        assert_int_equal(elf_read_interp(fd, &interp, &err), -ENOEXEC);
        assert_non_null(strstr(err.message, "PT_INTERP"));
        close(fd);

        /* PT_INTERP beyond the end of the file. */
        img.ph.p_filesz = 14;
        img.ph.p_offset = 4096;
        fd = memfd_with(&img, sizeof(img));
        assert_int_equal(elf_read_interp(fd, &interp, NULL), -ENOEXEC);
        close(fd);

        fd = memfd_with("\x7f"
                        "ELF",
                        4);
        assert_int_equal(elf_read_interp(fd, &interp, NULL), -ENOEXEC);
        close(fd);
        fd = memfd_with("#!/bin/sh\n", 10);
        assert_int_equal(elf_read_interp(fd, &interp, NULL), -ENOEXEC);
        close(fd);
}

static void test_setters(void **state)
{
        (void)state;
        sealexec_launch *launch = NULL;
        sealexec_error err = {0};
        assert_int_equal(sealexec_launch_new(&launch, &err), 0);
        assert_int_equal(launch->landlock.scopes_off, 0);
        assert_int_equal(sealexec_launch_set_landlock_scopes(launch, 4, &err), -EINVAL);
        assert_int_equal(sealexec_launch_set_landlock_scopes(launch, SEALEXEC_SCOPE_SIGNAL, &err),
                         0);
        assert_int_equal(launch->landlock.scopes_off, SEALEXEC_SCOPE_ABSTRACT_UNIX);
        assert_int_equal(sealexec_launch_set_landlock_mode(launch, 7, &err), -EINVAL);
        assert_int_equal(sealexec_launch_set_landlock_mode(launch, SEALEXEC_LANDLOCK_REQUIRE, &err),
                         0);
        assert_int_equal(
            sealexec_launch_add_landlock_path(launch, "/nonexistent-sealexec", false, &err),
            -ENOENT);
        assert_string_equal(err.message,
                            "landlock read-only path '/nonexistent-sealexec': No such file or "
                            "directory");
        assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
        assert_int_equal(sealexec_launch_add_landlock_path(launch, "/tmp", true, &err), 0);
        assert_int_equal(launch->landlock.n_paths, 1);
        assert_true(launch->landlock.paths[0].fd >= 0);
        assert_true(launch->landlock.paths[0].writable);
        sealexec_launch_free(launch);
}

/* --- real rulesets, in forked children ---------------------------------------- */

struct child_args {
        const char *ro_dir;
        const char *rw_dir;
};

static sealexec_launch *child_launch(const struct child_args *a)
{
        sealexec_launch *launch = NULL;
        sealexec_payload *payload = NULL;
        sealexec_error err = {0};
        CHILD_CHECK(sealexec_launch_new(&launch, &err) == 0, "%s", err.message);
        CHILD_CHECK(sealexec_payload_load_path("/bin/true", 0, 0, &payload, &err) == 0, "%s",
                    err.message);
        CHILD_CHECK(sealexec_launch_set_payload(launch, payload, &err) == 0, "%s", err.message);
        if (a && a->ro_dir)
                CHILD_CHECK(sealexec_launch_add_landlock_path(launch, a->ro_dir, false, &err) == 0,
                            "%s", err.message);
        if (a && a->rw_dir)
                CHILD_CHECK(sealexec_launch_add_landlock_path(launch, a->rw_dir, true, &err) == 0,
                            "%s", err.message);
        return launch;
}

/* Builds the ruleset as sealexec_launch_prepare() does, then enters it. */
static void child_enter(sealexec_launch *launch, bool no_exec)
{
        sealexec_error err = {0};
        int fd = -1;
        CHILD_CHECK(landlock_prepare(launch, no_exec, &fd, &err) == 0, "%s", err.message);
        CHILD_CHECK(fd > 2, "ruleset at fd %d", fd);
        CHILD_CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC, "ruleset not close-on-exec");
        CHILD_CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "no_new_privs");
        CHILD_CHECK(landlock_enforce_fd(fd, &err) == 0, "%s", err.message);
        CHILD_CHECK(fcntl(fd, F_GETFD) < 0 && errno == EBADF, "ruleset fd %d left open", fd);
}

static void child_default_domain(void *arg)
{
        (void)arg;
        sealexec_launch *launch = child_launch(NULL);
        /* Before: the parent's memory is reachable (same user, dumpable test runner). */
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/mem", (int)getppid());
        int fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0 || kill(getppid(), 0) < 0) {
                fprintf(stderr, "the parent is out of reach even without Landlock (%s)\n",
                        strerror(errno));
                _exit(CHILD_SKIP);
        }
        close(fd);

        child_enter(launch, false);
        fd = open(path, O_RDWR | O_CLOEXEC);
        CHILD_CHECK(fd < 0 && errno == EACCES, "open %s in the domain: fd %d, %s", path, fd,
                    strerror(errno));
        if (landlock_abi() >= 6)
                CHILD_CHECK(kill(getppid(), 0) < 0 && errno == EPERM, "kill in the domain: %s",
                            strerror(errno));
        /* No filesystem rule: reading anywhere still works. */
        fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
        CHILD_CHECK(fd >= 0, "read /etc/passwd: %s", strerror(errno));
        close(fd);
        sealexec_launch_free(launch);
}

static void test_default_domain(void **state)
{
        (void)state;
        if (landlock_abi() < 1)
                TEST_SKIP();
        char *out = NULL;
        int status = run_child(child_default_domain, NULL, &out);
        free(out);
        if (status == CHILD_SKIP)
                TEST_SKIP();
        assert_int_equal(status, 0);
}

static void child_fs_rules(void *arg)
{
        const struct child_args *a = arg;
        sealexec_launch *launch = child_launch(a);
        char ro_file[256], rw_file[256];
        snprintf(ro_file, sizeof(ro_file), "%s/data", a->ro_dir);
        snprintf(rw_file, sizeof(rw_file), "%s/new", a->rw_dir);
        child_enter(launch, false);

        int fd = open(ro_file, O_RDONLY | O_CLOEXEC);
        CHILD_CHECK(fd >= 0, "read beneath --ro: %s", strerror(errno));
        close(fd);
        fd = open(ro_file, O_WRONLY | O_CLOEXEC);
        CHILD_CHECK(fd < 0 && errno == EACCES, "write beneath --ro: %s", strerror(errno));
        fd = open(rw_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        CHILD_CHECK(fd >= 0, "create beneath --rw: %s", strerror(errno));
        close(fd);
        fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
        CHILD_CHECK(fd < 0 && errno == EACCES, "read outside the rules: %s", strerror(errno));
        /* /bin/true is dynamic: its loader's files are readable. */
        fd = open("/etc/ld.so.cache", O_RDONLY | O_CLOEXEC);
        CHILD_CHECK(fd >= 0 || errno == ENOENT, "loader cache: %s", strerror(errno));
        if (fd >= 0)
                close(fd);
        sealexec_launch_free(launch);
}

static void test_fs_rules(void **state)
{
        (void)state;
        if (landlock_abi() < 1)
                TEST_SKIP();
        char ro[] = "/tmp/sealexec-ll-ro.XXXXXX", rw[] = "/tmp/sealexec-ll-rw.XXXXXX";
        assert_non_null(mkdtemp(ro));
        assert_non_null(mkdtemp(rw));
        char path[64];
        snprintf(path, sizeof(path), "%s/data", ro);
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        assert_true(fd >= 0);
        close(fd);
        struct child_args a = {ro, rw};
        char *out = NULL;
        int status = run_child(child_fs_rules, &a, &out);
        free(out);
        unlink(path);
        snprintf(path, sizeof(path), "%s/new", rw);
        unlink(path);
        rmdir(ro);
        rmdir(rw);
        assert_int_equal(status, 0);
}

/*
 * The exec guard's ruleset (no_exec): EXECUTE handled and granted nowhere, so
 * no file on any filesystem runs, while the launch's own sealed memfd still
 * does (it lies beneath no path). Without no_exec the same domain executes
 * /bin/true.
 */
static void child_no_exec(void *arg)
{
        const bool no_exec = *(const bool *)arg;
        extern char **environ;
#ifdef SEALEXEC_PROBE
        int probe = memfd_copy_of(SEALEXEC_PROBE);
        CHILD_CHECK(probe >= 0, "copying the probe: %m");
#endif
        sealexec_launch *launch = child_launch(NULL);
        child_enter(launch, no_exec);
        char *argv[] = {"true", NULL};
        execve("/bin/true", argv, environ);
        CHILD_CHECK(no_exec, "execve /bin/true without no_exec: %s", strerror(errno));
        CHILD_CHECK(errno == EACCES, "execve /bin/true under no_exec: %s, want EACCES",
                    strerror(errno));
#ifdef SEALEXEC_PROBE
        char *probe_argv[] = {"probe", "exit:0", NULL};
        execveat(probe, "", probe_argv, environ, AT_EMPTY_PATH);
        CHILD_CHECK(false, "execveat of a memfd under no_exec: %s", strerror(errno));
#endif
}

static void test_no_exec_domain(void **state)
{
        (void)state;
        if (landlock_abi() < 1)
                TEST_SKIP();
        bool no_exec = true;
        char *out = NULL;
        assert_int_equal(run_child(child_no_exec, &no_exec, &out), 0);
        free(out);
        no_exec = false;
        assert_int_equal(run_child(child_no_exec, &no_exec, &out), 0);
        free(out);
}

static char *describe_text(const sealexec_launch *launch, bool no_exec)
{
        char *text = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&text, &size);
        assert_non_null(out);
        landlock_describe(out, launch, no_exec);
        fclose(out);
        return text;
}

static void test_describe_line(void **state)
{
        (void)state;
        sealexec_launch *launch = NULL;
        sealexec_payload *payload = NULL;
        assert_int_equal(sealexec_launch_new(&launch, NULL), 0);
        assert_int_equal(sealexec_payload_load_path("/bin/true", 0, 0, &payload, NULL), 0);
        assert_int_equal(sealexec_launch_set_payload(launch, payload, NULL), 0);

        char *text = describe_text(launch, true);
        if (landlock_abi() >= 1) {
                assert_non_null(strstr(text, "fs: unrestricted except executing, execute: "
                                             "nowhere (exec guard)"));
        }
        free(text);

        assert_int_equal(sealexec_launch_add_landlock_path(launch, "/usr", false, NULL), 0);
        text = describe_text(launch, false);
        if (landlock_abi() < 1) {
                assert_non_null(strstr(text, "landlock: unavailable (kernel lacks it)"));
        } else {
                assert_non_null(strstr(text, "domain: yes"));
                assert_non_null(strstr(text, "fs: ro /usr, interpreter /"));
                assert_non_null(strstr(text, "(read+exec)"));
                assert_null(strstr(text, "exec guard"));
        }
        free(text);

        /* Under the guard no loader rule grants exec: none is listed. */
        text = describe_text(launch, true);
        if (landlock_abi() >= 1) {
                assert_non_null(strstr(text, "fs: ro /usr, execute: nowhere (exec guard)"));
                assert_null(strstr(text, "(read+exec)"));
        }
        free(text);
        sealexec_launch_free(launch);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_fs_rights_per_abi),
            cmocka_unit_test(test_plan),
            cmocka_unit_test(test_elf_interp_dynamic),
            cmocka_unit_test(test_elf_interp_static),
            cmocka_unit_test(test_elf_interp_32bit_and_malformed),
            cmocka_unit_test(test_setters),
            cmocka_unit_test(test_default_domain),
            cmocka_unit_test(test_fs_rules),
            cmocka_unit_test(test_no_exec_domain),
            cmocka_unit_test(test_describe_line),
        };
        return TEST_RESULT(cmocka_run_group_tests(tests, NULL, NULL));
}
