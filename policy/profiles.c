/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The built-in profiles by name: "default", "docker" and "none". */
#include <errno.h>
#include <string.h>

#include "common/error.h"
#include "policy/parse.h"
#include "policy/profiles/profiles.h"

int policy_profile_load(const char *name, struct sealexec_policy **ret_policy, sealexec_error *err)
{
        struct sealexec_policy *p = NULL;
        int r = 0;

        if (!name)
                name = "";
        if (strcmp(name, "default") == 0)
                r = profile_default_load(&p, err);
        else if (strcmp(name, "docker") == 0)
                r = profile_docker_load(&p, err);
        if (p || r < 0) {
                if (r < 0)
                        return r;
                p->builtin = true;
                *ret_policy = p;
                return 0;
        }
        if (strcmp(name, "none") == 0) {
                r = policy_new("none", &p, err);
                if (r < 0)
                        return r;
                p->no_filter = true;
                p->builtin = true;
                *ret_policy = p;
                return 0;
        }
        return se_error(err, -ENOENT, SEALEXEC_ERROR_REFUSED,
                        "unknown profile '%s' (known: default, docker, none)", name);
}
