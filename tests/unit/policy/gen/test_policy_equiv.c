/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Equivalence: for every built-in profile and every valid policy file of the
 * tree, in every capability context its rules depend on, with and without
 * the launch rule, the program of sealexec's generator run in the BPF
 * simulator gives exactly the interpreter's verdict for every syscall number
 * of every listed architecture and of a foreign one, at every argument
 * boundary; argument-free verdicts load no argument; every instruction is one
 * the kernel's action cache can emulate; the output is deterministic.
 * libseccomp's program goes through the same check, and its disagreements are
 * printed as libseccomp bugs without failing the test.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "equiv.h"
#include "policy/policy.h"
#include "sealexec.h"

#define LAUNCH_FD 3

struct source {
        char name[400];
        struct sealexec_policy *policy;
};

static struct source sources[64];
static size_t n_sources;

static void add_source(const char *name, struct sealexec_policy *p)
{
        assert_true(n_sources < sizeof(sources) / sizeof(sources[0]));
        snprintf(sources[n_sources].name, sizeof(sources[0].name), "%s", name);
        sources[n_sources++].policy = p;
}

/* Loads every file of dir that is a valid policy; the rest are printed. */
static void add_dir(const char *dir, const char *suffix)
{
        DIR *d = opendir(dir);
        assert_non_null(d);
        char *names[128];
        size_t n = 0;
        for (struct dirent *e; (e = readdir(d)) != NULL && n < 128;) {
                size_t len = strlen(e->d_name), sl = strlen(suffix);
                if (len > sl && strcmp(e->d_name + len - sl, suffix) == 0)
                        names[n++] = strdup(e->d_name);
        }
        closedir(d);
        /* readdir's order is the file system's: sort for a stable output. */
        for (size_t i = 0; i < n; i++)
                for (size_t j = i + 1; j < n; j++)
                        if (strcmp(names[j], names[i]) < 0) {
                                char *t = names[i];
                                names[i] = names[j];
                                names[j] = t;
                        }
        for (size_t i = 0; i < n; i++) {
                char path[512];
                struct sealexec_policy *p = NULL;
                sealexec_error err = {0};
                snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
                if (sealexec_policy_load_file(path, TEST_DATA_DIR "/policies/constants.json", &p,
                                              &err) < 0)
                        printf("not a valid policy (skipped): %s: %s\n", path, err.message);
                else if (p->no_filter || p->n_bpf > 0)
                        sealexec_policy_free(p);
                else
                        add_source(path, p);
                free(names[i]);
        }
}

static bool loaded(const char *suffix)
{
        size_t sl = strlen(suffix);
        for (size_t i = 0; i < n_sources; i++) {
                size_t len = strlen(sources[i].name);
                if (len >= sl && strcmp(sources[i].name + len - sl, suffix) == 0)
                        return true;
        }
        return false;
}

static int setup(void **state)
{
        static const char *const profiles[] = {"default", "docker"};
        for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
                struct sealexec_policy *p = NULL;
                if (sealexec_policy_new_profile(profiles[i], &p, NULL) < 0)
                        return -1;
                add_source(profiles[i], p);
        }
        add_dir(SOURCE_DIR "/policy/profiles", ".json");
        add_dir(TEST_DATA_DIR "/policies", ".policy");
        add_dir(TEST_DATA_DIR "/policies/deep", ".policy");
        add_dir(TEST_DATA_DIR "/policies/inc", ".policy");
        add_dir(TEST_DATA_DIR "/profiles", ".json");
        return 0;
}

static int teardown(void **state)
{
        for (size_t i = 0; i < n_sources; i++)
                sealexec_policy_free(sources[i].policy);
        return 0;
}

/* The files that must be among the policies checked: a test that loads
 * nothing proves nothing. */
static void sources_loaded(void **state)
{
        static const char *const must[] = {
            "default",
            "docker",
            "policy/profiles/docker-default.json",
            "policies/cat.policy",
            "policies/cros_default_v0.policy",
            "policies/inc_main.policy",
            "policies/libseccomp-hang.policy",
            "policies/probe-errno.policy",
            "policies/seccomp.policy",
            "policies/stdin_stdout.policy",
            "deep/d1.policy",
            "inc/io.policy",
            "profiles/config.json",
            "profiles/docker-default.json",
            "profiles/oci-actions.json",
            "profiles/oci-unknown-names.json",
        };
        for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
                if (!loaded(must[i]))
                        fail_msg("%s did not load", must[i]);
        }
}

static void compile_ok(const struct sealexec_policy *p, const struct policy_compile_ctx *ctx,
                       struct sock_filter **prog, size_t *n, const char *label)
{
        sealexec_error err = {0};
        void *out = NULL;
        if (policy_compile_bpf(p, ctx, &out, n, &err) < 0)
                fail_msg("%s: compile failed: %s", label, err.message);
        *prog = out;
}

static void check_one(const struct source *src, const struct policy_compile_ctx *ctx,
                      unsigned long *calls)
{
        char label[1024];
        struct sock_filter *prog, *again;
        size_t n, n_again;
        struct equiv_stats st;

        snprintf(label, sizeof(label), "%.400s [caps 0x%llx, launch %d]", src->name,
                 (unsigned long long)ctx->kept_caps, ctx->launch_fd);
        compile_ok(src->policy, ctx, &prog, &n, label);
        compile_ok(src->policy, ctx, &again, &n_again, label);
        /* Deterministic: the same program byte for byte. */
        assert_int_equal(n, n_again);
        assert_memory_equal(prog, again, n * sizeof(*prog));
        free(again);
        assert_int_equal(equiv_check(src->policy, ctx, prog, n, label, 10, 0, &st), 0);
        if (st.mismatches || st.malformed || st.cache_leaks || st.bad_insns)
                fail_msg("%s: %lu mismatches, %lu malformed runs, %lu argument loads on "
                         "argument-free paths, %lu instructions the action cache cannot "
                         "emulate (of %lu calls)",
                         label, st.mismatches, st.malformed, st.cache_leaks, st.bad_insns,
                         st.calls);
        *calls += st.calls;
        free(prog);
}

static void generator_matches_interpreter(void **state)
{
        unsigned long calls = 0;
        for (size_t i = 0; i < n_sources; i++) {
                uint64_t sets[2 + 2 * 64];
                size_t n_sets = equiv_cap_sets(sources[i].policy, sets);
                for (size_t s = 0; s < n_sets; s++) {
                        struct policy_compile_ctx ctx = {.launch_fd = -1, .kept_caps = sets[s]};
                        check_one(&sources[i], &ctx, &calls);
                        /* The launch rule, in the two extreme capability sets. */
                        if (s < 2) {
                                ctx.launch_fd = LAUNCH_FD;
                                check_one(&sources[i], &ctx, &calls);
                        }
                }
        }
        printf("generator == interpreter on %zu policies, %lu calls\n", n_sources, calls);
        assert_true(calls > 100000);
}

/* Reported, never failed: libseccomp's bugs are why sealexec has its own. */
static void libseccomp_disagreements(void **state)
{
        unsigned long total = 0;
        for (size_t i = 0; i < n_sources; i++) {
                for (int launch = 0; launch <= 1; launch++) {
                        struct policy_compile_ctx ctx = {.launch_fd = launch ? LAUNCH_FD : -1};
                        struct sock_filter *prog = NULL;
                        size_t n = 0;
                        char label[1024];
                        snprintf(label, sizeof(label), "libseccomp BUG: %.400s [launch %d]",
                                 sources[i].name, ctx.launch_fd);
                        int r = equiv_compile_libseccomp(sources[i].policy, &ctx, 5, &prog, &n);
                        if (r < 0) {
                                printf("libseccomp: %s: no program (%s)\n", sources[i].name,
                                       r == -ETIMEDOUT ? "did not finish in 5 s" : strerror(-r));
                                continue;
                        }
                        struct equiv_stats st;
                        if (equiv_check(sources[i].policy, &ctx, prog, n, label, 3,
                                        EQUIV_KERNEL_INPUTS, &st) == 0 &&
                            st.mismatches > 0)
                                printf("libseccomp: %s: %lu of %lu calls disagree with the "
                                       "policy\n",
                                       sources[i].name, st.mismatches, st.calls);
                        total += st.mismatches;
                        free(prog);
                }
        }
        printf("libseccomp: %lu disagreements in all\n", total);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(sources_loaded),
            cmocka_unit_test(generator_matches_interpreter),
            cmocka_unit_test(libseccomp_disagreements),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
