/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers of the JSON policy loader tests. */
#ifndef SEALEXEC_TESTS_JSON_HELPERS_H
#define SEALEXEC_TESTS_JSON_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/seccomp.h>
#include <seccomp.h>

#include "cleanup.h"
#include "policy/json/json-host.h"
#include "policy/policy.h"

#define PROFILE_DIR TEST_DATA_DIR "/profiles"

/* Reads a whole file; aborts the test program when it cannot. */
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
        if (!buf || n != st.st_size)
                abort();
        buf[n] = '\0';
        *ret_len = (size_t)n;
        return buf;
}

static inline void profile_path(const char *name, char *buf, size_t size)
{
        snprintf(buf, size, "%s/%s", PROFILE_DIR, name);
}

/* An x86_64 host with a given kernel, every flag supported. */
static inline struct json_host host_x86_64(unsigned major, unsigned minor)
{
        return (struct json_host){
            .native_arch = SCMP_ARCH_X86_64,
            .kernel_known = true,
            .kernel_major = major,
            .kernel_minor = minor,
            .supported_flags = 0x27,
        };
}

/* Parses PROFILE_DIR/name on `host` (NULL: the running system). */
static inline int parse_profile_file(const char *name, const struct json_host *host,
                                     struct policy_diag *diag, struct sealexec_policy **ret,
                                     sealexec_error *err)
{
        char path[4096];
        size_t len;
        profile_path(name, path, sizeof(path));
        char *text = read_data_file(path, &len);
        int r = host ? policy_parse_json_host(path, text, len, host, diag, ret, err)
                     : policy_parse_json(path, text, len, diag, ret, err);
        free(text);
        return r;
}

/* Parses in-memory JSON as "mem.json" on an x86_64 host running Linux 6.1. */
static inline int parse_json_str(const char *text, struct policy_diag *diag,
                                 struct sealexec_policy **ret, sealexec_error *err)
{
        struct json_host host = host_x86_64(6, 1);
        return policy_parse_json_host("mem.json", text, strlen(text), &host, diag, ret, err);
}

/* The index-th rule for `name` in the IR, or NULL. */
static inline const struct policy_rule *find_rule(const struct sealexec_policy *p, const char *name,
                                                  size_t index)
{
        for (size_t i = 0; i < p->n_rules; i++)
                if (strcmp(p->rules[i].syscall_name, name) == 0 && index-- == 0)
                        return &p->rules[i];
        return NULL;
}

static inline size_t count_rules(const struct sealexec_policy *p, const char *name)
{
        size_t n = 0;
        while (find_rule(p, name, n))
                n++;
        return n;
}

static inline bool has_skipped(const struct sealexec_policy *p, const char *name)
{
        for (size_t i = 0; i < p->n_skipped; i++)
                if (strcmp(p->skipped_names[i], name) == 0)
                        return true;
        return false;
}

#endif
