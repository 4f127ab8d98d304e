/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loader_shebang_parse(): the "#!" line split exactly as fs/binfmt_script.c
 * (Linux 5.1+) splits it, including its edge cases: only the first 256 bytes
 * count, one argument, blanks stripped, a cut-off interpreter name refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "loader/loader.h"

static void assert_parse(const char *data, size_t len, const char *name, const char *arg)
{
        struct loader_shebang sb;
        assert_int_equal(loader_shebang_parse(data, len, &sb), 0);
        assert_string_equal(sb.name, name);
        if (arg) {
                assert_true(sb.has_arg);
                assert_string_equal(sb.arg, arg);
        } else {
                assert_false(sb.has_arg);
        }
}

#define PARSE(text, name, arg) assert_parse(text, sizeof(text) - 1, name, arg)

static void assert_refused(const char *data, size_t len)
{
        struct loader_shebang sb;
        assert_int_equal(loader_shebang_parse(data, len, &sb), -ENOEXEC);
}

#define REFUSED(text) assert_refused(text, sizeof(text) - 1)

static void test_plain(void **state)
{
        (void)state;
        PARSE("#!/bin/sh\necho hi\n", "/bin/sh", NULL);
        PARSE("#!/bin/sh -e\n", "/bin/sh", "-e");
        /* Without a newline, the end of a short file terminates the line. */
        PARSE("#!/bin/sh", "/bin/sh", NULL);
}

static void test_blanks_and_one_argument(void **state)
{
        (void)state;
        /* Leading and trailing blanks go; everything after the name is ONE argument. */
        PARSE("#! \t/usr/bin/env  python3 -u \t\nprint(1)\n", "/usr/bin/env", "python3 -u");
        PARSE("#!/bin/sh\t\t\n", "/bin/sh", NULL);
        /* The kernel strips trailing blanks only before a newline (or at byte
         * 255): at the end of a short file without one they stay in the argument. */
        PARSE("#!/bin/sh -e  ", "/bin/sh", "-e  ");
}

static void test_nul_ends_the_line(void **state)
{
        (void)state;
        PARSE("#!/bin/sh\0 -e\n", "/bin/sh", NULL);
        PARSE("#!/bin/sh -x\0y\n", "/bin/sh", "-x");
}

static void test_refused(void **state)
{
        (void)state;
        REFUSED("#/bin/sh\n");
        REFUSED("\x7f"
                "ELF");
        REFUSED("#!\n");
        REFUSED("#!  \t \n/bin/sh\n");
        REFUSED("#!");
        assert_refused("#", 1);
        assert_refused("", 0);
}

static void test_buffer_limit(void **state)
{
        (void)state;
        char buf[400];
        struct loader_shebang sb;

        /* A name that does not end within the 256 bytes: refused, not cut. */
        memset(buf, 'a', sizeof(buf));
        memcpy(buf, "#!/", 3);
        buf[sizeof(buf) - 1] = '\n';
        assert_int_equal(loader_shebang_parse(buf, sizeof(buf), &sb), -ENOEXEC);

        /* A complete name with a long argument: the argument is cut at byte 255. */
        memcpy(buf, "#!/bin/sh ", 10);
        assert_int_equal(loader_shebang_parse(buf, sizeof(buf), &sb), 0);
        assert_string_equal(sb.name, "/bin/sh");
        assert_true(sb.has_arg);
        assert_int_equal(strlen(sb.arg), LOADER_BINPRM_BUF_SIZE - 1 - 10);

        /* A newline after byte 256 is not seen; the name ending at 255 is cut. */
        memset(buf, 'b', sizeof(buf));
        memcpy(buf, "#!/", 3);
        buf[LOADER_BINPRM_BUF_SIZE] = '\n';
        assert_int_equal(loader_shebang_parse(buf, sizeof(buf), &sb), -ENOEXEC);
        /* ... but a name ending exactly at the last byte before a newline within them fits. */
        buf[LOADER_BINPRM_BUF_SIZE - 1] = '\n';
        assert_int_equal(loader_shebang_parse(buf, sizeof(buf), &sb), 0);
        assert_int_equal(strlen(sb.name), LOADER_BINPRM_BUF_SIZE - 3);
}

static int memfd_with(const char *text)
{
        int fd = memfd_create("test-shebang", MFD_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
        return fd;
}

/* loader_shebang_read(): the same parser over the first bytes of a descriptor. */
static void test_read_fd(void **state)
{
        (void)state;
        struct loader_shebang sb;
        sealexec_error err = {0};
        int fd = memfd_with("#! /bin/sh -e\necho\n");
        assert_int_equal(loader_shebang_read(fd, "script", &sb, &err), 0);
        assert_string_equal(sb.name, "/bin/sh");
        assert_string_equal(sb.arg, "-e");
        close(fd);
        fd = memfd_with("\x7f"
                        "ELF");
        assert_int_equal(loader_shebang_read(fd, "script", &sb, &err), -ENOEXEC);
        assert_int_equal(err.kind, SEALEXEC_ERROR_CANNOT_EXECUTE);
        close(fd);
        fd = memfd_with("#!   \n");
        assert_int_equal(loader_shebang_read(fd, "script", &sb, &err), -ENOEXEC);
        close(fd);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_plain),
            cmocka_unit_test(test_blanks_and_one_argument),
            cmocka_unit_test(test_nul_ends_the_line),
            cmocka_unit_test(test_refused),
            cmocka_unit_test(test_buffer_limit),
            cmocka_unit_test(test_read_fd),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
