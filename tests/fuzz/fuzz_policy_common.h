/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the two parser fuzzers share: every input is parsed twice (stopping at
 * the first error, and collecting every error into a struct policy_diag), and
 * whatever parses is also compiled and described, so the whole path from
 * bytes to a seccomp program runs under the sanitizers.
 */
#ifndef SEALEXEC_FUZZ_POLICY_COMMON_H
#define SEALEXEC_FUZZ_POLICY_COMMON_H

#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

/*
 * A path that does not exist: relative @include directives then resolve to
 * nothing, so a run never depends on the files around the fuzzer.
 */
#define FUZZ_POLICY_DIR "/nonexistent-sealexec-fuzz"

typedef int (*fuzz_parse_fn)(const char *path, const char *text, size_t len,
                             struct policy_diag *diag, struct sealexec_policy **ret_policy,
                             sealexec_error *err);

/* The message must be one line: it is printed after "sealexec: " as it is. */
static void fuzz_check_error(const sealexec_error *err, int r)
{
        if (r >= 0)
                return;
        if (err->code != r || memchr(err->message, '\0', sizeof(err->message)) == NULL ||
            err->message[0] == '\0' || strchr(err->message, '\n') != NULL) {
                fprintf(stderr, "bad error report: r=%d code=%d message='%.*s'\n", r, err->code,
                        (int)sizeof(err->message), err->message);
                abort();
        }
}

static void fuzz_compile(const struct sealexec_policy *policy)
{
        const struct policy_compile_ctx ctx = {.launch_fd = 3, .kept_caps = 0};
        sealexec_error err = {0};
        void *prog = NULL;
        size_t len = 0;
        char *text = NULL;

        if (policy->no_filter)
                return;
        /* sealexec's own generator (policy/bpf-gen.c), in process: it runs in
         * linear time on any policy, so a slow input is a finding. */
        int r = policy_compile_bpf(policy, &ctx, &prog, &len, &err);
        fuzz_check_error(&err, r);
        if (r >= 0 && (len == 0 || prog == NULL)) {
                fprintf(stderr, "policy_compile_bpf succeeded with an empty program\n");
                abort();
        }
        free(prog);
        if (r < 0)
                return;
        r = policy_describe(policy, &ctx, false, &text, &err);
        fuzz_check_error(&err, r);
        free(text);
}

static void fuzz_parse(fuzz_parse_fn parse, const char *path, const uint8_t *data, size_t size)
{
        /* An exact-size copy, without a terminating NUL: the parsers take a
         * length, and ASan reports any read past it. */
        char *text = malloc(size ? size : 1);
        if (!text)
                return;
        memcpy(text, data, size);

        for (int with_diag = 0; with_diag <= 1; with_diag++) {
                struct policy_diag diag = {0};
                struct sealexec_policy *policy = NULL;
                sealexec_error err = {0};
                int r = parse(path, text, size, with_diag ? &diag : NULL, &policy, &err);
                fuzz_check_error(&err, r);
                if (r >= 0) {
                        if (!policy) {
                                fprintf(stderr, "parser succeeded without a policy\n");
                                abort();
                        }
                        fuzz_compile(policy);
                } else if (with_diag && diag.count == 0) {
                        fprintf(stderr, "parser failed (%d: %s) but collected no diagnostic\n", r,
                                err.message);
                        abort();
                }
                sealexec_policy_free(policy);
                policy_diag_done(&diag);
        }
        free(text);
}

#endif
