/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * compile-bench [PROFILE.json] - how long compiling a policy to BPF takes with
 * each backend, in process: sealexec's generator (policy/bpf-gen.c) and
 * libseccomp's. Defaults to Docker's default profile (native, x86 and x32 on
 * an x86_64 host). Prints the median and best time per compile and the
 * program sizes. Not a test: numbers depend on the machine.
 *
 *     cmake --build BUILD --target compile-bench
 *     BUILD/policy/compile-bench policy/profiles/docker-default.json
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy/policy.h"
#include "sealexec.h"

static double now_us(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return x < y ? -1 : x > y;
}

static int bench(const struct sealexec_policy *p, enum policy_backend backend, const char *name,
                 unsigned rounds)
{
        const struct policy_compile_ctx ctx = {.launch_fd = 3, .kept_caps = 0};
        double *t = calloc(rounds, sizeof(double));
        size_t n = 0;
        if (!t)
                return -ENOMEM;
        for (unsigned i = 0; i < rounds + 3; i++) {
                sealexec_error err = {0};
                void *prog = NULL;
                double start = now_us();
                int r = policy_compile_bpf_backend(p, &ctx, backend, &prog, &n, &err);
                double took = now_us() - start;
                if (r < 0) {
                        fprintf(stderr, "%s: %s\n", name, err.message);
                        free(t);
                        return r;
                }
                free(prog);
                if (i >= 3) /* the first ones warm the caches up */
                        t[i - 3] = took;
        }
        qsort(t, rounds, sizeof(double), cmp_double);
        printf("%-10s %5zu instructions  median %9.1f us  best %9.1f us  (%u runs)\n", name, n,
               t[rounds / 2], t[0], rounds);
        free(t);
        return 0;
}

int main(int argc, char **argv)
{
        const char *path = argc > 1 ? argv[1] : "policy/profiles/docker-default.json";
        struct sealexec_policy *p = NULL;
        sealexec_error err = {0};
        double start = now_us();
        if (sealexec_policy_load_file(path, NULL, &p, &err) < 0) {
                fprintf(stderr, "%s\n", err.message);
                return 1;
        }
        printf("%s: parsed in %.1f us, %zu rules, %zu architectures listed\n", path,
               now_us() - start, p->n_rules, p->n_arches);
        int r = bench(p, POLICY_BACKEND_SEALEXEC, "sealexec", 2001);
        if (r >= 0)
                r = bench(p, POLICY_BACKEND_LIBSECCOMP, "libseccomp", 101);
        sealexec_policy_free(p);
        return r < 0 ? 1 : 0;
}
