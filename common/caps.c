/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "common/caps.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sys/capability.h>

#include "common/error.h"

int caps_parse_name(const char *name)
{
        char buf[64];
        const char *bare = strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name;
        if (*bare == '\0' || strlen(bare) + 5 > sizeof(buf))
                return -EINVAL;
        snprintf(buf, sizeof(buf), "cap_%s", bare);
        for (char *p = buf; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        /* cap_from_name() also accepts plain numbers; sealexec wants names. */
        if (isdigit((unsigned char)bare[0]))
                return -EINVAL;
        cap_value_t value;
        if (cap_from_name(buf, &value) < 0 || value < 0 || value > 63)
                return -EINVAL;
        return (int)value;
}

/*
 * Docker's default capability set (moby, oci/caps/defaults.go), what a
 * container gets without --cap-add/--cap-drop: "docker" in a list.
 */
static const int docker_default[] = {
    CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FSETID,           CAP_FOWNER,
    CAP_MKNOD,   CAP_NET_RAW,      CAP_SETGID,           CAP_SETUID,
    CAP_SETFCAP, CAP_SETPCAP,      CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
    CAP_KILL,    CAP_AUDIT_WRITE,
};

uint64_t caps_docker_default(void)
{
        uint64_t mask = 0;
        for (size_t i = 0; i < sizeof(docker_default) / sizeof(docker_default[0]); i++)
                mask |= UINT64_C(1) << docker_default[i];
        return mask;
}

int caps_parse_list(const char *list, uint64_t *ret_mask, sealexec_error *err)
{
        uint64_t mask = 0;
        const char *p = list ? list : "";

        while (*p) {
                const char *end = strchr(p, ',');
                size_t len = end ? (size_t)(end - p) : strlen(p);
                char name[64];
                while (len > 0 && isspace((unsigned char)*p))
                        p++, len--;
                while (len > 0 && isspace((unsigned char)p[len - 1]))
                        len--;
                if (len == 0 || len >= sizeof(name))
                        return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                        "capability list '%s': empty or overlong name", list);
                memcpy(name, p, len);
                name[len] = '\0';
                if (strcasecmp(name, "docker") == 0) {
                        mask |= caps_docker_default();
                } else {
                        int cap = caps_parse_name(name);
                        if (cap < 0)
                                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                                "unknown capability '%s'", name);
                        mask |= UINT64_C(1) << cap;
                }
                if (!end)
                        break;
                p = end + 1;
        }
        *ret_mask |= mask;
        return 0;
}

const char *caps_format(uint64_t mask, char *buf, size_t size)
{
        size_t used = 0;
        if (size == 0)
                return buf;
        buf[0] = '\0';
        if (mask == 0) {
                snprintf(buf, size, "none");
                return buf;
        }
        for (int cap = 0; cap < 64; cap++) {
                if (!(mask & (UINT64_C(1) << cap)))
                        continue;
                char *name = cap_to_name(cap);
                int n =
                    snprintf(buf + used, size - used, "%s%s", used ? "," : "", name ? name : "?");
                cap_free(name);
                if (n < 0 || (size_t)n >= size - used)
                        break;
                used += (size_t)n;
        }
        return buf;
}
