/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers of the text policy parser tests. */
#ifndef SEALEXEC_TESTS_TEXT_HELPERS_H
#define SEALEXEC_TESTS_TEXT_HELPERS_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/policy.h"

#define POLICY_DIR TEST_DATA_DIR "/policies"

/* Reads a whole file (fails the test on error). */
static inline char *read_data_file(const char *path, size_t *ret_len)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0) {
                fprintf(stderr, "cannot open %s\n", path);
                abort();
        }
        char *buf = malloc((size_t)st.st_size + 1);
        ssize_t n = read(fd, buf, (size_t)st.st_size);
        close(fd);
        if (n != st.st_size)
                abort();
        buf[n] = '\0';
        *ret_len = (size_t)n;
        return buf;
}

/* Parses POLICY_DIR/name as the loader would. */
static inline int parse_data_file(const char *name, const char *constants, struct policy_diag *diag,
                                  struct sealexec_policy **ret, sealexec_error *err)
{
        char path[4096];
        size_t len;
        snprintf(path, sizeof(path), "%s/%s", POLICY_DIR, name);
        char *text = read_data_file(path, &len);
        int r = policy_parse_text(path, text, len, constants, diag, ret, err);
        free(text);
        return r;
}

/* Parses in-memory text under the name "mem.policy". */
static inline int parse_text(const char *text, struct sealexec_policy **ret, sealexec_error *err)
{
        return policy_parse_text("mem.policy", text, strlen(text), NULL, NULL, ret, err);
}

#endif
