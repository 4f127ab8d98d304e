/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * minijail's constants.json: a JSON object with "constants" (name -> number),
 * "syscalls" (name -> number), "arch_nr" (AUDIT_ARCH_*), "arch_name", "bits"
 * and more. sealexec compiles for the architecture it runs on, so a file for
 * another architecture is refused rather than silently giving wrong numbers.
 * Its constants override the generated table; its syscalls only add names the
 * built-in syscall table does not know (the native numbers are facts).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "policy/load.h"
#include "policy/text/text.h"

struct text_constants_json {
        json_t *root;
        json_t *constants; /* borrowed from root; may be NULL */
        json_t *syscalls;  /* borrowed from root; may be NULL */
        const char *arch_name;
};

void text_constants_json_free(struct text_constants_json *json)
{
        if (!json)
                return;
        json_decref(json->root);
        free(json);
}

/* Every member of an optional object must be an integer. */
static int check_numbers(const char *path, json_t *root, const char *key, json_t **ret,
                         sealexec_error *err)
{
        json_t *obj = json_object_get(root, key);
        const char *name;
        json_t *value;

        *ret = NULL;
        if (!obj)
                return 0;
        if (!json_is_object(obj))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "constants '%s': \"%s\" is not an object", path, key);
        json_object_foreach(obj, name, value)
        {
                if (!json_is_integer(value))
                        return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                        "constants '%s': \"%s\".\"%s\" is not an integer", path,
                                        key, name);
        }
        *ret = obj;
        return 0;
}

static int check_arch(const char *path, json_t *root, uint32_t native_arch, sealexec_error *err)
{
        json_t *nr = json_object_get(root, "arch_nr");
        if (!nr)
                return 0;
        if (!json_is_integer(nr))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "constants '%s': \"arch_nr\" is not an integer", path);
        if ((uint64_t)json_integer_value(nr) != native_arch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "constants '%s': made for architecture 0x%llx, but this system "
                                "is 0x%x",
                                path, (unsigned long long)json_integer_value(nr), native_arch);
        return 0;
}

static int load_root(const char *path, json_t **ret_root, sealexec_error *err)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *text = NULL;
        size_t len;
        struct stat st;
        json_error_t jerr;

        int r = policy_open_file(path, "constants", &st, &fd, err);
        if (r < 0)
                return r;
        if (st.st_size > (off_t)POLICY_FILE_MAX)
                return se_error(err, -EFBIG, SEALEXEC_ERROR_REFUSED,
                                "constants '%s': larger than %u bytes", path, POLICY_FILE_MAX);
        r = io_read_capped(fd, POLICY_FILE_MAX, &text, &len);
        if (r == -EFBIG)
                return se_error(err, r, SEALEXEC_ERROR_REFUSED,
                                "constants '%s': larger than %u bytes", path, POLICY_FILE_MAX);
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED, "constants '%s': read", path);
        json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!root)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "%s:%d:%d: %s", path,
                                jerr.line, jerr.column, jerr.text);
        if (!json_is_object(root)) {
                json_decref(root);
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "constants '%s': not a JSON object", path);
        }
        *ret_root = root;
        return 0;
}

int text_constants_json_load(const char *path, uint32_t native_arch,
                             struct text_constants_json **ret_json, sealexec_error *err)
{
        json_t *root = NULL;
        int r = load_root(path, &root, err);
        if (r < 0)
                return r;

        struct text_constants_json *json = calloc(1, sizeof(*json));
        if (!json) {
                json_decref(root);
                return se_oom(err, "constants");
        }
        json->root = root;
        r = check_arch(path, root, native_arch, err);
        if (r >= 0)
                r = check_numbers(path, root, "constants", &json->constants, err);
        if (r >= 0)
                r = check_numbers(path, root, "syscalls", &json->syscalls, err);
        if (r < 0) {
                text_constants_json_free(json);
                return r;
        }
        json->arch_name = json_string_value(json_object_get(root, "arch_name"));
        *ret_json = json;
        return 0;
}

bool text_constants_json_constant(const struct text_constants_json *json, const char *name,
                                  struct text_value *ret)
{
        json_t *v = json->constants ? json_object_get(json->constants, name) : NULL;
        if (!v)
                return false;
        json_int_t n = json_integer_value(v);
        *ret = (struct text_value){.v = (uint64_t)n, .negative = n < 0};
        return true;
}

int text_constants_json_syscall(const struct text_constants_json *json, const char *name)
{
        json_t *v = json->syscalls ? json_object_get(json->syscalls, name) : NULL;
        if (!v)
                return -ENOENT;
        json_int_t n = json_integer_value(v);
        if (n < 0 || n > INT32_MAX)
                return -ENOENT;
        return (int)n;
}

const char *text_constants_json_arch_name(const struct text_constants_json *json)
{
        return json ? json->arch_name : NULL;
}
