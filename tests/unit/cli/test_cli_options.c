/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Option parsing of the `sealexec` command, without running anything. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "run-options.h"

/* Parses a NULL-terminated list of words as `sealexec run ...`. */
static int parse(struct run_options *o, char *errbuf, size_t errsize, ...)
{
        static char words[32][256];
        static char *argv[33];
        va_list ap;
        int argc = 0;

        va_start(ap, errsize);
        for (const char *w; (w = va_arg(ap, const char *)) && argc < 32; argc++) {
                snprintf(words[argc], sizeof(words[argc]), "%s", w);
                argv[argc] = words[argc];
        }
        va_end(ap);
        argv[argc] = NULL;
        return run_options_parse(argc, argv, o, errbuf, errsize);
}

static void test_program_and_its_options_untouched(void **state)
{
        struct run_options o;
        char e[256];
        assert_int_equal(parse(&o, e, sizeof(e), "run", "-v", "/bin/ls", "-l", "--fd", "x", NULL),
                         0);
        assert_true(o.verbose);
        assert_string_equal(o.command[0], "/bin/ls");
        assert_string_equal(o.command[1], "-l");
        assert_string_equal(o.command[2], "--fd");
        assert_int_equal(o.payload_fd, -1);
        run_options_done(&o);
}

static void test_double_dash(void **state)
{
        struct run_options o;
        char e[256];
        assert_int_equal(parse(&o, e, sizeof(e), "run", "--", "--weird-name", NULL), 0);
        assert_string_equal(o.command[0], "--weird-name");
        run_options_done(&o);
}

static void test_ordered_env_edits(void **state)
{
        struct run_options o;
        char e[256];
        assert_int_equal(parse(&o, e, sizeof(e), "run", "--env", "A=1", "--clear-env", "--unsetenv",
                               "B", "--env", "C=3", "prog", NULL),
                         0);
        assert_int_equal(o.n_env, 4);
        assert_int_equal(o.env[0].op, RUN_ENV_SET);
        assert_string_equal(o.env[0].value, "A=1");
        assert_int_equal(o.env[1].op, RUN_ENV_CLEAR);
        assert_int_equal(o.env[2].op, RUN_ENV_UNSET);
        assert_string_equal(o.env[3].value, "C=3");
        run_options_done(&o);
}

static void test_files_and_fds(void **state)
{
        struct run_options o;
        char e[256];
        assert_int_equal(parse(&o, e, sizeof(e), "run", "--file", "conf=/etc/a@b.conf", "--file",
                               "key=/k@sha256:abcd", "--keep-fd", "9", "--fd", "4", "prog", NULL),
                         0);
        assert_int_equal(o.n_files, 2);
        assert_string_equal(o.files[0].name, "conf");
        assert_string_equal(o.files[0].path, "/etc/a@b.conf");
        assert_null(o.files[0].digest);
        assert_string_equal(o.files[1].path, "/k");
        assert_string_equal(o.files[1].digest, "sha256:abcd");
        assert_int_equal(o.n_keep_fds, 1);
        assert_int_equal(o.keep_fds[0], 9);
        assert_int_equal(o.payload_fd, 4);
        run_options_done(&o);
}

static void test_sizes(void **state)
{
        uint64_t size;
        assert_int_equal(cli_parse_size("4K", &size), 0);
        assert_int_equal(size, 4096);
        assert_int_equal(cli_parse_size("2G", &size), 0);
        assert_int_equal(size, UINT64_C(2) << 30);
        assert_int_equal(cli_parse_size("10", &size), 0);
        assert_int_equal(size, 10);
        assert_int_equal(cli_parse_size("0", &size), -EINVAL);
        assert_int_equal(cli_parse_size("-1", &size), -EINVAL);
        assert_int_equal(cli_parse_size("1T", &size), -EINVAL);
        assert_int_equal(cli_parse_size("", &size), -EINVAL);
        assert_int_equal(cli_parse_size("99999999999999999999", &size), -ERANGE);
        assert_int_equal(cli_parse_size("99999999999999G", &size), -ERANGE);
}

static void test_errors(void **state)
{
        struct run_options o;
        char e[256];
        assert_int_equal(parse(&o, e, sizeof(e), "run", "--fd", "abc", "prog", NULL), -EINVAL);
        assert_non_null(strstr(e, "--fd 'abc'"));
        assert_int_equal(parse(&o, e, sizeof(e), "run", "--keep-fd", "-3", "prog", NULL), -EINVAL);
        assert_int_equal(parse(&o, e, sizeof(e), "run", "--bogus", "prog", NULL), -EINVAL);
        assert_non_null(strstr(e, "unknown option '--bogus'"));
        assert_int_equal(parse(&o, e, sizeof(e), "run", "--digest", NULL), -EINVAL);
        assert_non_null(strstr(e, "needs a value"));
        assert_int_equal(parse(&o, e, sizeof(e), "run", "--env", "A=1", NULL), -EINVAL);
        assert_non_null(strstr(e, "no PROGRAM"));
        assert_int_equal(
            parse(&o, e, sizeof(e), "run", "--profile", "none", "--policy", "x", "prog", NULL),
            -EINVAL);
        assert_int_equal(parse(&o, e, sizeof(e), "run", "--user", "a", "--user", "b", "prog", NULL),
                         -EINVAL);
        assert_non_null(strstr(e, "--user given twice"));
        assert_int_equal(parse(&o, e, sizeof(e), "run", "--file", "=x", "prog", NULL), -EINVAL);
        assert_int_equal(parse(&o, e, sizeof(e), "run", "--file", "n=", "prog", NULL), -EINVAL);
        assert_int_equal(parse(&o, e, sizeof(e), "run", "--max-size", "0", "prog", NULL), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_program_and_its_options_untouched),
            cmocka_unit_test(test_double_dash),
            cmocka_unit_test(test_ordered_env_edits),
            cmocka_unit_test(test_files_and_fds),
            cmocka_unit_test(test_sizes),
            cmocka_unit_test(test_errors),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
