/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The launch handle: creation, freeing and the setters that record settings. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/caps.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "loader/payload.h"
#include "sandbox/env.h"
#include "sandbox/ids.h"
#include "sandbox/plan.h"
#include "sandbox/rlimit.h"
#include "sandbox/script-interpreter.h"

SEALEXEC_API int sealexec_launch_new(sealexec_launch **ret_launch, sealexec_error *err)
{
        sealexec_launch *launch = calloc(1, sizeof(*launch));
        if (!launch)
                return se_oom(err, "launch");
        launch->ids_root_fd = -1;
        launch->listener_fd = -1;
        *ret_launch = launch;
        return 0;
}

SEALEXEC_API void sealexec_launch_free(sealexec_launch *launch)
{
        if (!launch)
                return;
        sealexec_payload_free(launch->payload);
        for (size_t i = 0; i < launch->n_files; i++) {
                free(launch->files[i].name);
                sealexec_payload_free(launch->files[i].payload);
        }
        free(launch->files);
        strv_free(launch->argv);
        free(launch->argv0);
        for (size_t i = 0; i < launch->n_env_edits; i++)
                free(launch->env_edits[i].text);
        free(launch->env_edits);
        free(launch->keep_fds);
        free(launch->chdir);
        free(launch->rlimits);
        sealexec_policy_free(launch->policy);
        launch_landlock_done(&launch->landlock);
        launch_interpreter_done(launch);
        plan_free(launch->plan);
        free(launch->groups);
        free(launch->fd_maps);
        strv_free(launch->envp);
        if (launch->ids_root_fd >= 0)
                close(launch->ids_root_fd);
        if (launch->listener_fd >= 0)
                close(launch->listener_fd);
        free(launch);
}

int launch_busy(sealexec_error *err)
{
        return se_error(err, -EBUSY, SEALEXEC_ERROR_REFUSED,
                        "launch: already prepared; settings can no longer change");
}

SEALEXEC_API int sealexec_launch_set_payload(sealexec_launch *launch, sealexec_payload *payload,
                                             sealexec_error *err)
{
        if (launch && launch->plan) {
                sealexec_payload_free(payload);
                return launch_busy(err);
        }
        if (!launch || !payload) {
                sealexec_payload_free(payload);
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "payload: none given");
        }
        if (payload->is_data) {
                char name[256];
                snprintf(name, sizeof(name), "%s", payload->name ? payload->name : "?");
                sealexec_payload_free(payload);
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "payload '%s': loaded as a data file, not executable", name);
        }
        sealexec_payload_free(launch->payload);
        launch->payload = payload;
        return 0;
}

static bool file_name_is_valid(const char *name)
{
        if (!name || !*name)
                return false;
        for (const char *p = name; *p; p++) {
                bool ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                          (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-';
                if (!ok)
                        return false;
        }
        return true;
}

static int check_file(const sealexec_launch *launch, const char *name, const sealexec_payload *file,
                      sealexec_error *err)
{
        if (!launch || !file)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "file: none given");
        if (!file_name_is_valid(name))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "file name '%s': must be letters, digits, '_', '.' or '-'",
                                name ? name : "");
        for (size_t i = 0; i < launch->n_files; i++)
                if (strcmp(launch->files[i].name, name) == 0)
                        return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                        "file name '%s': given twice", name);
        if (!file->is_data)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "file '%s': not loaded as a data file", name);
        return 0;
}

SEALEXEC_API int sealexec_launch_add_file(sealexec_launch *launch, const char *name,
                                          sealexec_payload *file, sealexec_error *err)
{
        if (launch && launch->plan) {
                sealexec_payload_free(file);
                return launch_busy(err);
        }
        int r = check_file(launch, name, file, err);
        if (r < 0) {
                sealexec_payload_free(file);
                return r;
        }
        _cleanup_free_ char *copy = strdup(name);
        if (!copy || array_reserve(&launch->files, &launch->files_cap, launch->n_files + 1,
                                   sizeof(*launch->files)) < 0) {
                sealexec_payload_free(file);
                return se_oom(err, "file");
        }
        launch->files[launch->n_files++] = (struct launch_file){
            .name = TAKE_PTR(copy),
            .payload = file,
        };
        return 0;
}

SEALEXEC_API int sealexec_launch_set_argv(sealexec_launch *launch, char *const argv[],
                                          sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        if (!launch || !argv || !argv[0])
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "argv: empty");
        char **copy = strv_copy(argv);
        if (!copy)
                return se_oom(err, "argv");
        strv_free(launch->argv);
        launch->argv = copy;
        launch->argc = strv_length(copy);
        return 0;
}

SEALEXEC_API int sealexec_launch_set_argv0(sealexec_launch *launch, const char *argv0,
                                           sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        if (!launch || !argv0)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "argv0: none given");
        char *copy = strdup(argv0);
        if (!copy)
                return se_oom(err, "argv0");
        free(launch->argv0);
        launch->argv0 = copy;
        return 0;
}

static int add_env_edit(sealexec_launch *launch, enum launch_env_op op, const char *text,
                        sealexec_error *err)
{
        _cleanup_free_ char *copy = NULL;
        if (text && !(copy = strdup(text)))
                return se_oom(err, "env");
        if (array_reserve(&launch->env_edits, &launch->env_edits_cap, launch->n_env_edits + 1,
                          sizeof(*launch->env_edits)) < 0)
                return se_oom(err, "env");
        launch->env_edits[launch->n_env_edits++] =
            (struct launch_env_edit){.op = op, .text = TAKE_PTR(copy)};
        return 0;
}

SEALEXEC_API int sealexec_launch_set_env(sealexec_launch *launch, const char *assignment,
                                         sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        const char *eq = assignment ? strchr(assignment, '=') : NULL;
        if (!launch || !eq || !env_name_is_valid(assignment, (size_t)(eq - assignment)))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "env '%s': not NAME=VALUE",
                                assignment ? assignment : "");
        return add_env_edit(launch, LAUNCH_ENV_SET, assignment, err);
}

SEALEXEC_API int sealexec_launch_unset_env(sealexec_launch *launch, const char *name,
                                           sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        if (!launch || !name || !env_name_is_valid(name, strlen(name)))
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED,
                                "unset env '%s': not a variable name", name ? name : "");
        return add_env_edit(launch, LAUNCH_ENV_UNSET, name, err);
}

SEALEXEC_API int sealexec_launch_clear_env(sealexec_launch *launch, sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "clear env: no launch");
        return add_env_edit(launch, LAUNCH_ENV_CLEAR, NULL, err);
}

SEALEXEC_API int sealexec_launch_keep_fd(sealexec_launch *launch, int fd, sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "keep fd: no launch");
        if (fd < 0 || fcntl(fd, F_GETFD) < 0)
                return se_error(err, -EBADF, SEALEXEC_ERROR_REFUSED,
                                "keep fd %d: not an open descriptor", fd);
        for (size_t m = 0; m < launch->n_fd_maps; m++)
                if (launch->fd_maps[m].child == fd)
                        return se_error(err, -EEXIST, SEALEXEC_ERROR_REFUSED,
                                        "keep fd %d: a mapped descriptor already takes that "
                                        "number",
                                        fd);
        size_t i = 0;
        while (i < launch->n_keep_fds && launch->keep_fds[i] < fd)
                i++;
        if (i < launch->n_keep_fds && launch->keep_fds[i] == fd)
                return 0;
        if (array_reserve(&launch->keep_fds, &launch->keep_fds_cap, launch->n_keep_fds + 1,
                          sizeof(*launch->keep_fds)) < 0)
                return se_oom(err, "keep fd");
        int *fds = launch->keep_fds;
        memmove(fds + i + 1, fds + i, (launch->n_keep_fds - i) * sizeof(*fds));
        fds[i] = fd;
        launch->n_keep_fds++;
        return 0;
}

SEALEXEC_API int sealexec_launch_set_chdir(sealexec_launch *launch, const char *dir,
                                           sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        if (!launch || !dir || !*dir)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "chdir: empty directory");
        char *copy = strdup(dir);
        if (!copy)
                return se_oom(err, "chdir");
        free(launch->chdir);
        launch->chdir = copy;
        return 0;
}

SEALEXEC_API int sealexec_launch_add_rlimit(sealexec_launch *launch, const char *spec,
                                            sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        struct launch_rlimit limit;
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "rlimit: no launch");
        int r = rlimit_parse(spec, &limit, err);
        if (r < 0)
                return r;
        if (array_reserve(&launch->rlimits, &launch->rlimits_cap, launch->n_rlimits + 1,
                          sizeof(*launch->rlimits)) < 0)
                return se_oom(err, "rlimit");
        launch->rlimits[launch->n_rlimits++] = limit;
        return 0;
}

SEALEXEC_API int sealexec_launch_set_user(sealexec_launch *launch, const char *user,
                                          sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        uid_t uid;
        gid_t gid;
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "user: no launch");
        int r = user_resolve_in(launch->ids_root_fd, user, &uid, &gid, err);
        if (r < 0)
                return r;
        launch->have_uid = true;
        launch->uid = uid;
        /* The user's primary group is the default; an explicit group wins. */
        if (!launch->have_gid) {
                launch->gid = gid;
                launch->have_gid = true;
                launch->gid_from_user = true;
        } else if (launch->gid_from_user) {
                launch->gid = gid;
        }
        return 0;
}

SEALEXEC_API int sealexec_launch_set_group(sealexec_launch *launch, const char *group,
                                           sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        gid_t gid;
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "group: no launch");
        int r = group_resolve_in(launch->ids_root_fd, group, &gid, err);
        if (r < 0)
                return r;
        launch->have_gid = true;
        launch->gid_from_user = false;
        launch->gid = gid;
        return 0;
}

SEALEXEC_API int sealexec_launch_keep_caps(sealexec_launch *launch, const char *list,
                                           sealexec_error *err)
{
        if (launch && launch->plan) {
                return launch_busy(err);
        }
        uint64_t mask = 0;
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "capabilities: no launch");
        int r = caps_parse_list(list, &mask, err);
        if (r < 0)
                return r;
        launch->keep_caps |= mask;
        return 0;
}

SEALEXEC_API int sealexec_launch_set_policy(sealexec_launch *launch, sealexec_policy *policy,
                                            sealexec_error *err)
{
        if (launch && launch->plan) {
                sealexec_policy_free(policy);
                return launch_busy(err);
        }
        if (!launch || !policy) {
                sealexec_policy_free(policy);
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "policy: none given");
        }
        sealexec_policy_free(launch->policy);
        launch->policy = policy;
        return 0;
}
