/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness: the options of `sealexec run` (run_options_parse). The
 * input is split on NUL bytes into words, "run" is put in front as argv[0],
 * and the result is parsed and freed. The parser keeps pointers into argv and
 * splits --file values in place, so argv is a private writable copy.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run-options.h"

/* Words beyond this are ignored: enough for every option, keeps runs short. */
#define MAX_WORDS 256

static void check(const struct run_options *o, int argc, char **argv, int r, const char *errbuf)
{
        if (r < 0) {
                if ((r != -EINVAL && r != -ENOMEM) || errbuf[0] == '\0') {
                        fprintf(stderr, "run_options_parse failed with %d and message '%s'\n", r,
                                errbuf);
                        abort();
                }
                return;
        }
        /* The command, when there is one, is a tail of argv. */
        if (o->command && (o->command < argv + 1 || o->command >= argv + argc)) {
                fprintf(stderr, "run_options_parse: command outside argv\n");
                abort();
        }
        if (!o->help && !o->command) {
                fprintf(stderr, "run_options_parse succeeded without a command\n");
                abort();
        }
        for (size_t i = 0; i < o->n_files; i++)
                if (!o->files[i].name || !o->files[i].path) {
                        fprintf(stderr, "run_options_parse: --file without name or path\n");
                        abort();
                }
        for (size_t i = 0; i < o->n_keep_fds; i++)
                if (o->keep_fds[i] < 0) {
                        fprintf(stderr, "run_options_parse: negative --keep-fd\n");
                        abort();
                }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        /* One buffer: "run\0" followed by the input and a final NUL. */
        char *buf = malloc(size + 5);
        char *argv[MAX_WORDS + 2];
        int argc = 0;

        if (!buf)
                return 0;
        memcpy(buf, "run", 4);
        memcpy(buf + 4, data, size);
        buf[size + 4] = '\0';
        argv[argc++] = buf;
        for (size_t i = 4; i < size + 4 && argc <= MAX_WORDS;) {
                argv[argc++] = buf + i;
                i += strlen(buf + i) + 1;
        }
        argv[argc] = NULL;

        struct run_options o;
        char errbuf[256] = "";
        memset(&o, 0xa5, sizeof(o)); /* must be left alone on failure */
        int r = run_options_parse(argc, argv, &o, errbuf, sizeof(errbuf));
        check(&o, argc, argv, r, errbuf);
        if (r >= 0)
                run_options_done(&o);
        free(buf);
        return 0;
}
