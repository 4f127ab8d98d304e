/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bad input for the OCI / Docker seccomp JSON loader: every error is
 * "FILE:LINE:COL: message" with the position of the offending value, the
 * first error goes to err, every error to the diagnostics, and no input
 * (garbage, truncations, deep nesting, a huge file) crashes or hangs it.
 */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_skip.h"

#include "json_helpers.h"
#include "policy/json/json-index.h"

#define DA "\"defaultAction\": \"SCMP_ACT_ERRNO\""
/* A syscalls[] list with one entry whose body is given. */
#define ONE(entry) "{" DA ", \"syscalls\": [" entry "]}"

struct bad_case {
        const char *json;
        const char *marker; /* the error is where this first occurs */
        const char *message;
};

static const struct bad_case bad_cases[] = {
    /* Top level and defaultAction. */
    {"{}", "{", "no defaultAction"},
    {"[]", "[", "expected an object (a seccomp profile or an OCI config), got an array"},
    {"{\"defaultAction\": 5}", "5", "defaultAction: expected a string, got a number"},
    {"{\"defaultAction\": \"SCMP_ACT_FOO\"}", "\"SCMP_ACT_FOO",
     "defaultAction: unknown action 'SCMP_ACT_FOO'"},
    {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1}", "1}",
     "defaultErrnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take a value, not "
     "SCMP_ACT_ALLOW"},
    {"{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}", "\"SCMP_ACT_NOTIFY",
     "defaultAction: SCMP_ACT_NOTIFY cannot be the default action"},
    {"{" DA ", \"defaultErrnoRet\": 65536}", "65536",
     "defaultErrnoRet: 65536 is out of range (0-65535)"},
    /* containers/common's errno names. */
    {"{" DA ", \"defaultErrno\": 1}", "1}", "defaultErrno: expected a string, got a number"},
    {"{" DA ", \"defaultErrno\": \"ENOPE\"}", "\"ENOPE",
     "defaultErrno: unknown errno name 'ENOPE'"},
    {"{" DA ", \"defaultErrno\": \"eperm\"}", "\"eperm",
     "defaultErrno: unknown errno name 'eperm'"},
    {"{" DA ", \"defaultErrnoRet\": 38, \"defaultErrno\": \"EPERM\"}", "\"defaultErrno\"",
     "defaultErrno: 'EPERM' is 1 but defaultErrnoRet is 38: they must agree"},
    {"{\"defaultAction\": \"SCMP_ACT_KILL\", \"defaultErrno\": \"EPERM\"}", "\"EPERM",
     "defaultErrno: only SCMP_ACT_ERRNO takes an errno name, not SCMP_ACT_KILL"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errno\": \"EFOO\"}"), "\"EFOO",
     "syscalls[0].errno: unknown errno name 'EFOO'"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1, "
         "\"errno\": \"EACCES\"}"),
     "\"errno\"",
     "syscalls[0].errno: 'EACCES' is 13 but syscalls[0].errnoRet is 1: they must agree"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errno\": \"EACCES\", "
         "\"errnoRet\": 4095}"),
     "\"errno\"",
     "syscalls[0].errno: 'EACCES' is 13 but syscalls[0].errnoRet is 4095: they must agree"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_TRACE\", \"errno\": \"EPERM\"}"),
     "\"EPERM", "syscalls[0].errno: only SCMP_ACT_ERRNO takes an errno name, not SCMP_ACT_TRACE"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"errno\": \"EPERM\"}"),
     "\"EPERM", "syscalls[0].errno: only SCMP_ACT_ERRNO takes an errno name, not SCMP_ACT_ALLOW"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errno\": 1}"), "1}",
     "syscalls[0].errno: expected a string, got a number"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errno\": [\"EPERM\"]}"),
     "[\"EPERM", "syscalls[0].errno: expected a string, got an array"},
    {"{" DA ", \"syscalls\": \"read\"}", "\"read", "syscalls: expected an array, got a string"},
    {"{" DA ", \"syscalls\": [5]}", "5", "syscalls[0]: expected an object, got a number"},
    {"{" DA ", \"listenerPath\": \"/run/agent.sock\"}", "\"/run",
     "listenerPath: sealexec does not connect to an agent the profile names; remove "
     "listenerPath and give the seccomp listener socket with the launch"},
    {"{" DA ", \"listenerMetadata\": 1}", "1}",
     "listenerMetadata: expected a string, got a number"},
    /* Architectures and flags. */
    {"{" DA ", \"architectures\": \"SCMP_ARCH_X86\"}", "\"SCMP_ARCH_X86",
     "architectures: expected an array, got a string"},
    {"{" DA ", \"architectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_FOO\"]}", "\"SCMP_ARCH_FOO",
     "architectures[1]: unknown architecture 'SCMP_ARCH_FOO'"},
    {"{" DA ", \"architectures\": [\"SCMP_ARCH_X86\"], \"archMap\": [{\"architecture\": "
     "\"SCMP_ARCH_X86\"}]}",
     "[{", "archMap: use either 'architectures' or 'archMap', not both"},
    {"{" DA ", \"archMap\": [{\"subArchitectures\": []}]}", "{\"sub",
     "archMap[0]: no architecture"},
    {"{" DA ", \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": "
     "[\"SCMP_ARCH_NOPE\"]}]}",
     "\"SCMP_ARCH_NOPE", "archMap[0].subArchitectures[0]: unknown architecture 'SCMP_ARCH_NOPE'"},
    {"{" DA ", \"flags\": [\"SECCOMP_FILTER_FLAG_FOO\"]}", "\"SECCOMP_FILTER_FLAG_FOO",
     "flags[0]: unknown flag 'SECCOMP_FILTER_FLAG_FOO'"},
    {"{" DA ", \"flags\": [\"SECCOMP_FILTER_FLAG_NEW_LISTENER\"]}", "\"SECCOMP",
     "flags[0]: unknown flag 'SECCOMP_FILTER_FLAG_NEW_LISTENER'"},
    /* syscalls[] entries. */
    {ONE("{\"names\": \"read\", \"action\": \"SCMP_ACT_ALLOW\"}"), "\"read",
     "syscalls[0].names: expected an array, got a string"},
    {ONE("{\"names\": [\"read\", 1], \"action\": \"SCMP_ACT_ALLOW\"}"), "1]",
     "syscalls[0].names[1]: expected a string, got a number"},
    {ONE("{\"names\": [], \"action\": \"SCMP_ACT_ALLOW\"}"), "[]", "syscalls[0]: no syscall names"},
    {ONE("{\"action\": \"SCMP_ACT_ALLOW\"}"), "{\"action", "syscalls[0]: no syscall names"},
    {ONE("{\"names\": [\"\"], \"action\": \"SCMP_ACT_ALLOW\"}"), "\"\"",
     "syscalls[0].names[0]: empty syscall name"},
    {ONE("{\"names\": [\"read\"], \"name\": \"write\", \"action\": \"SCMP_ACT_ALLOW\"}"), "\"write",
     "syscalls[0]: use either 'name' or 'names', not both"},
    {ONE("{\"names\": [\"read\"]}"), "{\"names", "syscalls[0]: no action"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALOW\"}"), "\"SCMP_ACT_ALOW",
     "syscalls[0].action: unknown action 'SCMP_ACT_ALOW'"},
    {ONE("{\"names\": [\"read\"], \"action\": [\"SCMP_ACT_ALLOW\"]}"), "[\"SCMP",
     "syscalls[0].action: expected a string, got an array"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_KILL\", \"errnoRet\": 1}"), "1}",
     "syscalls[0].errnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take a value, not "
     "SCMP_ACT_KILL"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": -1}"), "-1",
     "syscalls[0].errnoRet: must not be negative"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1.5}"), "1.5",
     "syscalls[0].errnoRet: expected an integer"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": \"1\"}"), "\"1\"",
     "syscalls[0].errnoRet: expected a number, got a string"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 65536}"), "65536",
     "syscalls[0].errnoRet: 65536 is out of range (0-65535)"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 65536}"), "65536",
     "syscalls[0].errnoRet: 65536 is out of range (0-65535)"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"arg\": []}"), "\"arg\"",
     "syscalls[0]: unknown key 'arg'"},
    /* args. */
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": {}}"), "{}",
     "syscalls[0].args: expected an array, got an object"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [true]}"), "true",
     "syscalls[0].args[0]: expected an object, got a boolean"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 6, "
         "\"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}"),
     "6,", "syscalls[0].args[0].index: 6 is out of range (0-5)"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, "
         "\"value\": 1, \"op\": \"SCMP_CMP_EQUAL\"}]}"),
     "\"SCMP_CMP_EQUAL", "syscalls[0].args[0].op: unknown operator 'SCMP_CMP_EQUAL'"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, "
         "\"value\": 1}]}"),
     "{\"index", "syscalls[0].args[0]: no op"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"value\": 1, "
         "\"op\": \"SCMP_CMP_EQ\"}]}"),
     "{\"value", "syscalls[0].args[0]: no index"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, "
         "\"value\": 18446744073709551616, \"op\": \"SCMP_CMP_EQ\"}]}"),
     "18446744073709551616", "syscalls[0].args[0].value: number out of range"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, "
         "\"value\": -5, \"op\": \"SCMP_CMP_EQ\"}]}"),
     "-5", "syscalls[0].args[0].value: must not be negative"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, "
         "\"value\": 1, \"valueTwo\": 1e3, \"op\": \"SCMP_CMP_EQ\"}]}"),
     "1e3", "syscalls[0].args[0].valueTwo: expected an integer"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, "
         "\"value\": 1, \"op\": \"SCMP_CMP_EQ\", \"comment\": \"x\"}]}"),
     "\"comment", "syscalls[0].args[0]: unknown key 'comment'"},
    /* Docker's includes / excludes. */
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": []}"), "[]}",
     "syscalls[0].includes: expected an object, got an array"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": "
         "{\"minKernel\": \"4\"}}"),
     "\"4\"",
     "syscalls[0].includes.minKernel: invalid kernel version '4', expected "
     "\"<major>.<minor>\""},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": "
         "{\"minKernel\": \"4.8.1\"}}"),
     "\"4.8.1",
     "syscalls[0].excludes.minKernel: invalid kernel version '4.8.1', expected "
     "\"<major>.<minor>\""},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": "
         "{\"minKernel\": \"0.0\"}}"),
     "\"0.0",
     "syscalls[0].includes.minKernel: invalid kernel version '0.0', expected "
     "\"<major>.<minor>\""},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": "
         "{\"minKernel\": \"256.1\"}}"),
     "\"256.1",
     "syscalls[0].includes.minKernel: invalid kernel version '256.1', expected "
     "\"<major>.<minor>\""},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": "
         "{\"minKernel\": 4.8}}"),
     "4.8}", "syscalls[0].includes.minKernel: expected a string, got a number"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": "
         "{\"caps\": [\"CAP_SYS_ADMIN\", \"CAP_FLY\"]}}"),
     "\"CAP_FLY", "syscalls[0].includes.caps[1]: unknown capability 'CAP_FLY'"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": "
         "{\"arches\": [\"SCMP_ARCH_X86_64\"]}}"),
     "\"SCMP_ARCH_X86_64",
     "syscalls[0].excludes.arches[0]: 'SCMP_ARCH_X86_64': Docker's "
     "arches use names such as amd64, arm64, x86, not SCMP_ARCH_*"},
    {ONE("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": "
         "{\"arch\": [\"amd64\"]}}"),
     "\"arch\"", "syscalls[0].includes: unknown key 'arch'"},
    /* OCI config.json. */
    {"{\"ociVersion\": \"1.0.2\", \"process\": {}}", "{", "no linux.seccomp in OCI config"},
    {"{\"ociVersion\": \"1.0.2\", \"linux\": {\"namespaces\": []}}", "{\"namespaces",
     "no linux.seccomp in OCI config"},
    {"{\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_NOPE\"}}}", "\"SCMP_ACT_NOPE",
     "defaultAction: unknown action 'SCMP_ACT_NOPE'"},
    {"{\"linux\": []}", "[]", "linux: expected an object, got an array"},
    {"{\"linux\": {\"seccomp\": 1}}", "1}", "seccomp profile: expected an object, got a number"},
    /* Messages stay on one line whatever the file holds. */
    {"{\"defaultAction\": \"SCMP\\nACT\\u0001\"}", "\"SCMP",
     "defaultAction: unknown action 'SCMP?ACT?'"},
    /* Positions on later lines. */
    {"{\n  \"defaultAction\":\n    \"SCMP_ACT_NOPE\"\n}", "\"SCMP_ACT_NOPE",
     "defaultAction: unknown action 'SCMP_ACT_NOPE'"},
};

/* Line and column (from 1) of the first occurrence of `marker` in `text`. */
static void marker_pos(const char *text, const char *marker, unsigned *line, unsigned *col)
{
        const char *at = strstr(text, marker);
        assert_non_null(at);
        *line = 1;
        *col = 1;
        for (const char *p = text; p < at; p++) {
                if (*p == '\n') {
                        (*line)++;
                        *col = 1;
                } else {
                        (*col)++;
                }
        }
}

static void test_bad_inputs(void **state)
{
        for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
                const struct bad_case *bc = &bad_cases[i];
                struct sealexec_policy *p = (struct sealexec_policy *)0x1;
                sealexec_error err = {0};
                char want[1024];
                unsigned line, col;

                marker_pos(bc->json, bc->marker, &line, &col);
                snprintf(want, sizeof(want), "mem.json:%u:%u: %s", line, col, bc->message);
                int r = parse_json_str(bc->json, NULL, &p, &err);
                if (r != -EINVAL || strcmp(err.message, want) != 0)
                        fail_msg("case %zu: %s\n  got  %d '%s'\n  want '%s'", i, bc->json, r,
                                 err.message, want);
                assert_int_equal(err.code, -EINVAL);
                assert_int_equal(err.kind, SEALEXEC_ERROR_REFUSED);
                assert_ptr_equal(p, (struct sealexec_policy *)0x1); /* untouched */
        }
}

/* An architecture the installed libseccomp lacks cannot be filtered. */
static void test_unsupported_arch(void **state)
{
#ifdef SCMP_ARCH_LOONGARCH64
        TEST_SKIP(); /* this libseccomp has it: nothing to refuse */
#else
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        const char *json = "{" DA ", \"architectures\": [\"SCMP_ARCH_LOONGARCH64\"]}";
        assert_int_equal(parse_json_str(json, NULL, &p, &err), -EINVAL);
        assert_string_equal(err.message, "mem.json:1:55: architectures[0]: architecture "
                                         "'SCMP_ARCH_LOONGARCH64' is not supported by this "
                                         "libseccomp");
        /* In another host's archMap entry it is only a name. */
        json = "{" DA ", \"archMap\": [{\"architecture\": \"SCMP_ARCH_LOONGARCH64\"}]}";
        assert_int_equal(parse_json_str(json, NULL, &p, &err), 0);
        sealexec_policy_free(p);
#endif
}

/* jansson's own errors (syntax, duplicates, UTF-8) carry its position. */
static void test_syntax_errors(void **state)
{
        static const struct {
                const char *json;
                const char *want;
        } cases[] = {
            {"", "mem.json:1:1: invalid JSON: '[' or '{' expected near end of file"},
            {"{" DA ",}", "mem.json:1:36: invalid JSON: string or '}' expected near '}'"},
            {"{" DA ",\n \"defaultAction\": \"SCMP_ACT_ALLOW\"}",
             "mem.json:2:16: invalid JSON: duplicate object key near '\"defaultAction\"'"},
            {"{\"defaultAction\": \"\xff\"}",
             "mem.json:1:19: invalid JSON: unable to decode byte 0xff near '\"'"},
            {"{\"defaultAction\": \"\\u0000\"}",
             "mem.json:1:26: invalid JSON: \\u0000 is not allowed without JSON_ALLOW_NUL near "
             "'\"\\u0000\"'"},
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct sealexec_policy *p = NULL;
                sealexec_error err = {0};
                assert_int_equal(parse_json_str(cases[i].json, NULL, &p, &err), -EINVAL);
                if (strcmp(err.message, cases[i].want) != 0)
                        fail_msg("case %zu: got '%s', want '%s'", i, err.message, cases[i].want);
                assert_null(p);
        }
}

/* A semantic error deep in a real file: syscalls[3].args[1].op on line 32. */
static void test_deep_error_in_file(void **state)
{
        char path[4096], want[4200];
        struct json_host host = host_x86_64(6, 1);
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};

        profile_path("bad-deep-op.json", path, sizeof(path));
        assert_int_equal(parse_profile_file("bad-deep-op.json", &host, NULL, &p, &err), -EINVAL);
        snprintf(want, sizeof(want),
                 "%s:32:17: syscalls[3].args[1].op: unknown operator 'SCMP_CMP_EQUAL'", path);
        assert_string_equal(err.message, want);
        assert_null(p);
}

/* Replaces the first `from` in `text` by `to` (same length or shorter); aborts if absent. */
static void replace_once(char *text, const char *from, const char *to)
{
        char *at = strstr(text, from);
        assert_non_null(at);
        size_t flen = strlen(from), tlen = strlen(to);
        assert_true(tlen <= flen);
        memcpy(at, to, tlen);
        memmove(at + tlen, at + flen, strlen(at + flen) + 1);
}

/* containers/common's profile with its names made wrong: every error is at
 * the key (disagreement) or the value (unknown name), FILE:LINE:COL. */
static void test_errno_names_in_file(void **state)
{
        char path[4096], want[1024];
        size_t len;
        struct json_host host = host_x86_64(6, 1);
        profile_path("containers-common.json", path, sizeof(path));
        char *text = read_data_file(path, &len);
        /* syscalls[1] is the audit netlink socket entry, "errnoRet": 22. */
        replace_once(text, "\"errno\": \"EINVAL\"", "\"errno\": \"EPERM\"");
        replace_once(text, "\"defaultErrno\": \"ENOSYS\"", "\"defaultErrno\": \"ENOSYX\"");
        unsigned dline, dcol, eline, ecol;
        marker_pos(text, "\"ENOSYX\"", &dline, &dcol);
        /* The "errno" key of the first entry that names socket. */
        const char *key = strstr(strstr(text, "\"socket\""), "\"errno\": \"EPERM\"");
        assert_non_null(key);
        eline = 1;
        ecol = 1;
        for (const char *c = text; c < key; c++) {
                if (*c == '\n') {
                        eline++;
                        ecol = 1;
                } else {
                        ecol++;
                }
        }
        /* Not the first line: the position comes from the index. */
        assert_true(eline > 100);
        struct policy_diag diag = {0};
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};

        assert_int_equal(
            policy_parse_json_host("cc.json", text, strlen(text), &host, &diag, &p, &err), -EINVAL);
        assert_null(p);
        snprintf(want, sizeof(want),
                 "cc.json:%u:%u: defaultErrno: unknown errno name 'ENOSYX'\n"
                 "cc.json:%u:%u: syscalls[1].errno: 'EPERM' is 1 but syscalls[1].errnoRet is 22: "
                 "they must agree\n",
                 dline, dcol, eline, ecol);
        assert_string_equal(diag.text, want);
        assert_int_equal(diag.count, 2);
        policy_diag_done(&diag);
        free(text);
}

/* With a collector every error is listed, the first also in err, and the
 * loader goes on with the next entry. */
static void test_diagnostics_collect_all(void **state)
{
        const char *json = "{\n"
                           "  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
                           "  \"flags\": [\"BOGUS\"],\n"
                           "  \"syscalls\": [\n"
                           "    {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
                           "    {\"names\": [\"write\"], \"action\": \"NOPE\"},\n"
                           "    {\"names\": [\"close\"], \"action\": \"SCMP_ACT_ALLOW\", "
                           "\"bad\": 1, \"worse\": 2},\n"
                           "    {\"names\": [\"open\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
                           "[{\"index\": 9, \"op\": \"SCMP_CMP_EQ\"}]}\n"
                           "  ]\n"
                           "}\n";
        struct policy_diag diag = {0};
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};

        assert_int_equal(parse_json_str(json, &diag, &p, &err), -EINVAL);
        assert_null(p);
        assert_int_equal(diag.count, 5);
        assert_string_equal(diag.text,
                            "mem.json:3:13: flags[0]: unknown flag 'BOGUS'\n"
                            "mem.json:6:36: syscalls[1].action: unknown action 'NOPE'\n"
                            "mem.json:7:54: syscalls[2]: unknown key 'bad'\n"
                            "mem.json:7:64: syscalls[2]: unknown key 'worse'\n"
                            "mem.json:8:72: syscalls[3].args[0].index: 9 is out of range (0-5)\n");
        assert_string_equal(err.message, "mem.json:3:13: flags[0]: unknown flag 'BOGUS'");
        policy_diag_done(&diag);

        /* A valid profile leaves the collector empty. */
        assert_int_equal(parse_json_str("{" DA "}", &diag, &p, &err), 0);
        assert_int_equal(diag.count, 0);
        assert_null(diag.text);
        sealexec_policy_free(p);
}

static void assert_error_format(int r, const sealexec_error *err)
{
        static regex_t re;
        static bool compiled;
        if (!compiled) {
                assert_int_equal(regcomp(&re, "^mem\\.json:[1-9][0-9]*:[1-9][0-9]*: [[:print:]]+$",
                                         REG_EXTENDED | REG_NOSUB),
                                 0);
                compiled = true;
        }
        assert_int_equal(r, -EINVAL);
        if (regexec(&re, err->message, 0, NULL, 0) != 0)
                fail_msg("badly formed error: '%s'", err->message);
}

/* Every prefix of Docker's profile, and the profile with bytes flipped:
 * either a policy or a FILE:LINE:COL error, never a crash. */
static void test_truncations_and_flips(void **state)
{
        char path[4096];
        size_t len;
        profile_path("docker-default.json", path, sizeof(path));
        char *text = read_data_file(path, &len);
        struct json_host host = host_x86_64(6, 1);
        size_t ok = 0;

        for (size_t cut = 0; cut < len; cut += 31) {
                struct sealexec_policy *p = NULL;
                sealexec_error err = {0};
                int r = policy_parse_json_host("mem.json", text, cut, &host, NULL, &p, &err);
                assert_error_format(r, &err);
        }
        srand(1234);
        static const char replacements[] = "{}[]\":,0-9a\\\x01\xc3 n";
        for (int round = 0; round < 800; round++) {
                char *copy = malloc(len);
                memcpy(copy, text, len);
                for (int k = 0; k < 1 + rand() % 3; k++)
                        copy[(size_t)rand() % len] =
                            replacements[(size_t)rand() % (sizeof(replacements) - 1)];
                struct sealexec_policy *p = NULL;
                sealexec_error err = {0};
                int r = policy_parse_json_host("mem.json", copy, len, &host, NULL, &p, &err);
                if (r == 0) {
                        assert_non_null(p);
                        sealexec_policy_free(p);
                        ok++;
                } else {
                        assert_error_format(r, &err);
                }
                free(copy);
        }
        /* Flips inside names and comments keep the profile valid: both paths ran. */
        assert_true(ok > 0 && ok < 800);
        free(text);
}

static void test_binary_garbage(void **state)
{
        unsigned char buf[4096];
        srand(99);
        for (int round = 0; round < 200; round++) {
                for (size_t i = 0; i < sizeof(buf); i++)
                        buf[i] = (unsigned char)rand();
                buf[0] = round % 2 ? '{' : buf[0];
                struct sealexec_policy *p = NULL;
                sealexec_error err = {0};
                struct json_host host = host_x86_64(6, 1);
                int r = policy_parse_json_host("mem.json", (const char *)buf, sizeof(buf), &host,
                                               NULL, &p, &err);
                assert_error_format(r, &err);
                /* The position index alone survives garbage too (the loader only
                 * runs it on text jansson accepted). */
                struct json_index index;
                int ri = json_index_build(&index, (const char *)buf, sizeof(buf));
                assert_true(ri == 0 || ri == -EINVAL);
                json_index_done(&index);
        }
        /* A NUL byte in the middle of otherwise good text. */
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        struct json_host host = host_x86_64(6, 1);
        assert_int_equal(policy_parse_json_host("mem.json", "{\"a\"\0}", 6, &host, NULL, &p, &err),
                         -EINVAL);
        assert_error_format(-EINVAL, &err);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
        size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
        char *s = malloc(hl + ul * n + tl + 1);
        assert_non_null(s);
        memcpy(s, head, hl);
        for (size_t i = 0; i < n; i++)
                memcpy(s + hl + i * ul, unit, ul);
        memcpy(s + hl + n * ul, tail, tl + 1);
        return s;
}

static void test_deep_nesting(void **state)
{
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};

        /* Far deeper than jansson's limit: refused with a position. */
        char *s = repeat("", "[", 200000, "");
        assert_error_format(parse_json_str(s, NULL, &p, &err), &err);
        assert_non_null(strstr(err.message, "invalid JSON"));
        free(s);

        /* 1500 levels inside a comment (jansson accepts up to 2048): indexed and loaded. */
        char *open = repeat("{" DA ", \"comment\": ", "[", 1500, "");
        char *doc = repeat(open, "]", 1500,
                           ", \"syscalls\": [{\"names\": [\"read\"], "
                           "\"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 1}]}");
        assert_int_equal(parse_json_str(doc, NULL, &p, &err), -EINVAL);
        /* The position after the deep comment is still right. */
        unsigned line, col;
        marker_pos(doc, "1}]}", &line, &col);
        char want[64];
        snprintf(want, sizeof(want), "mem.json:%u:%u: ", line, col);
        assert_memory_equal(err.message, want, strlen(want));
        free(open);
        free(doc);
}

/*
 * 200000 entries (about 30 MB) load in linear time. They are s390x-only, so
 * they are parsed and checked in full but add no rule: the test measures the
 * loader, not the IR's rule storage.
 */
static void test_huge_file(void **state)
{
        const char *tail = "{\"names\": [\"close\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
        char *doc = repeat("{" DA ", \"syscalls\": [",
                           "{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\", "
                           "\"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}], "
                           "\"includes\": {\"arches\": [\"s390x\"]}},\n",
                           200000, tail);
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        if (parse_json_str(doc, NULL, &p, &err) < 0)
                fail_msg("%s", err.message);
        assert_int_equal(p->n_rules, 1);
        assert_int_equal(p->rules[0].origin.line, 200001);
        assert_int_equal(p->rules[0].origin.col, 1);
        sealexec_policy_free(p);

        /* An error at the very end is still found at the right place. */
        doc[strlen(doc) - strlen("SCMP_ACT_ALLOW\"}]}")] = 'X';
        assert_int_equal(parse_json_str(doc, NULL, &p, &err), -EINVAL);
        assert_string_equal(err.message,
                            "mem.json:200001:32: syscalls[200000].action: unknown action "
                            "'XCMP_ACT_ALLOW'");
        free(doc);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_bad_inputs),
            cmocka_unit_test(test_unsupported_arch),
            cmocka_unit_test(test_syntax_errors),
            cmocka_unit_test(test_deep_error_in_file),
            cmocka_unit_test(test_errno_names_in_file),
            cmocka_unit_test(test_diagnostics_collect_all),
            cmocka_unit_test(test_truncations_and_flips),
            cmocka_unit_test(test_binary_garbage),
            cmocka_unit_test(test_deep_nesting),
            cmocka_unit_test(test_huge_file),
        };
        return TEST_RESULT(cmocka_run_group_tests(tests, NULL, NULL));
}
