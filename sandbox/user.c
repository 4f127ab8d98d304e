/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The user and group step: resolving the user, group and supplementary
 * groups to run as (NSS, or a root's /etc files through passwd-file.c), the
 * groups setter, and switching to them in the exec path.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "sandbox/ids.h"
#include "sandbox/launch.h"

/* A decimal id; (uid_t)-1 is refused since the set*id calls read it as "unchanged". */
static bool parse_id(const char *text, uint32_t *ret_id)
{
        if (!text || !*text || strlen(text) > 10)
                return false;
        uint64_t value = 0;
        for (const char *p = text; *p; p++) {
                if (*p < '0' || *p > '9')
                        return false;
                value = value * 10 + (uint64_t)(*p - '0');
        }
        if (value >= UINT32_MAX)
                return false;
        *ret_id = (uint32_t)value;
        return true;
}

/* --- the host's databases, through NSS ----------------------------------- */

enum nss_query { NSS_USER_BY_NAME, NSS_USER_BY_UID, NSS_GROUP_BY_NAME };

/*
 * One getpw*_r/getgr*_r call with a buffer that grows on ERANGE (the only
 * retry loop for these). Returns 0 with the ids, -ENOENT when there is no
 * such entry, or another -errno.
 */
static int nss_lookup(enum nss_query query, const char *name, uid_t uid, uint32_t *ret_id,
                      uint32_t *ret_gid)
{
        long hint =
            sysconf(query == NSS_GROUP_BY_NAME ? _SC_GETGR_R_SIZE_MAX : _SC_GETPW_R_SIZE_MAX);
        size_t size = hint > 0 ? (size_t)hint : 16384;
        for (;;) {
                _cleanup_free_ char *buf = malloc(size);
                if (!buf)
                        return -ENOMEM;
                struct passwd pw, *pw_result = NULL;
                struct group gr, *gr_result = NULL;
                int r = query == NSS_USER_BY_NAME  ? getpwnam_r(name, &pw, buf, size, &pw_result)
                        : query == NSS_USER_BY_UID ? getpwuid_r(uid, &pw, buf, size, &pw_result)
                                                   : getgrnam_r(name, &gr, buf, size, &gr_result);
                if (r == ERANGE && size < (1u << 20)) {
                        size *= 2;
                        continue;
                }
                if (r == ENOENT || r == ESRCH || (r == 0 && !pw_result && !gr_result))
                        return -ENOENT;
                if (r != 0)
                        return -r;
                *ret_id = gr_result ? gr.gr_gid : pw.pw_uid;
                if (ret_gid)
                        *ret_gid = gr_result ? gr.gr_gid : pw.pw_gid;
                return 0;
        }
}

/* --- one place that knows where names come from ------------------------- */

enum id_kind { ID_USER, ID_GROUP };

/* The primary gid of `uid`'s entry, from the host or the root's /etc/passwd. */
static int primary_gid(int root_fd, uid_t uid, gid_t *ret_gid, sealexec_error *err)
{
        uint32_t id, gid;
        if (root_fd < 0) {
                int r = nss_lookup(NSS_USER_BY_UID, NULL, uid, &id, &gid);
                if (r < 0 && r != -ENOENT)
                        return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                              "user %u: lookup failed", (unsigned)uid);
                *ret_gid = r == 0 ? gid : uid;
                return 0;
        }
        _cleanup_free_ char *text = NULL;
        size_t len;
        int r = id_file_read(root_fd, "/etc/passwd", &text, &len, err);
        if (r == -ENOENT) {
                *ret_gid = uid;
                return 0;
        }
        if (r < 0)
                return r;
        *ret_gid = id_file_lookup_uid_gid(text, len, uid, &gid) == 0 ? gid : uid;
        return 0;
}

/* A name to its id (and a user's primary gid): the host's NSS or the root's files. */
static int lookup_name(int root_fd, enum id_kind kind, const char *name, uint32_t *ret_id,
                       uint32_t *ret_gid, sealexec_error *err)
{
        const char *what = kind == ID_USER ? "user" : "group";
        int r;
        if (root_fd < 0) {
                r = nss_lookup(kind == ID_USER ? NSS_USER_BY_NAME : NSS_GROUP_BY_NAME, name, 0,
                               ret_id, ret_gid);
        } else {
                _cleanup_free_ char *text = NULL;
                size_t len;
                const char *file = kind == ID_USER ? "/etc/passwd" : "/etc/group";
                r = id_file_read(root_fd, file, &text, &len, err);
                if (r < 0 && r != -ENOENT)
                        return r;
                if (r == 0)
                        r = id_file_lookup(text, len, name, 2, ret_id,
                                           kind == ID_USER ? ret_gid : NULL);
        }
        if (r == -ENOENT || (r == 0 && *ret_id == UINT32_MAX))
                return se_error(err, -ENOENT, SEALEXEC_ERROR_REFUSED, "unknown %s '%s'%s", what,
                                name, root_fd >= 0 ? " in the root's files" : "");
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED, "%s '%s': lookup failed",
                                      what, name);
        return 0;
}

int user_resolve_in(int root_fd, const char *user, uid_t *ret_uid, gid_t *ret_gid,
                    sealexec_error *err)
{
        uint32_t number, gid = 0;
        if (!user || !*user)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "user: empty name");
        if (parse_id(user, &number)) {
                /* A number without a passwd entry (common in containers) gets the
                 * group of the same number, never the launcher's. */
                gid_t primary = number;
                int r = primary_gid(root_fd, number, &primary, err);
                if (r < 0)
                        return r;
                *ret_uid = number;
                *ret_gid = primary;
                return 0;
        }
        int r = lookup_name(root_fd, ID_USER, user, &number, &gid, err);
        if (r < 0)
                return r;
        *ret_uid = number;
        *ret_gid = gid;
        return 0;
}

int group_resolve_in(int root_fd, const char *group, gid_t *ret_gid, sealexec_error *err)
{
        uint32_t number;
        if (!group || !*group)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "group: empty name");
        if (parse_id(group, &number)) {
                *ret_gid = number;
                return 0;
        }
        int r = lookup_name(root_fd, ID_GROUP, group, &number, NULL, err);
        if (r < 0)
                return r;
        *ret_gid = number;
        return 0;
}

int user_resolve(const char *user, uid_t *ret_uid, gid_t *ret_gid, sealexec_error *err)
{
        return user_resolve_in(-1, user, ret_uid, ret_gid, err);
}

int group_resolve(const char *group, gid_t *ret_gid, sealexec_error *err)
{
        return group_resolve_in(-1, group, ret_gid, err);
}

/* true when the supplementary group list is already exactly `groups` (in order). */
static bool groups_already(const gid_t *groups, size_t n)
{
        gid_t list[SEALEXEC_GROUPS_MAX + 1];
        int got = getgroups(SEALEXEC_GROUPS_MAX + 1, list);
        if (got < 0 || (size_t)got != n)
                return false;
        for (size_t i = 0; i < n; i++)
                if (list[i] != groups[i])
                        return false;
        return true;
}

static int switch_groups(gid_t gid, const gid_t *groups, size_t n_groups, sealexec_error *err)
{
        if (setgroups(n_groups, groups) < 0) {
                int r = -errno;
                /* Unprivileged, but nothing would change: the result is what was asked. */
                if (r != -EPERM || !groups_already(groups, n_groups))
                        return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                              "confine: setgroups [%u%s] (%zu group%s)",
                                              n_groups ? (unsigned)groups[0] : 0u,
                                              n_groups > 1 ? ", ..." : "", n_groups,
                                              n_groups == 1 ? "" : "s");
        }
        if (setresgid(gid, gid, gid) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "confine: setresgid %u",
                                      (unsigned)gid);
        return 0;
}

static int switch_uid(uid_t uid, sealexec_error *err)
{
        /*
         * Keep the permitted set across the uid change: the capability step
         * right after needs CAP_SETPCAP to drop the bounding set, and sets
         * the final sets (and clears KEEP_CAPS) itself.
         */
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: user: PR_SET_KEEPCAPS");
        if (setresuid(uid, uid, uid) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED, "confine: setresuid %u",
                                      (unsigned)uid);
        return 0;
}

/* Fails closed unless every id is the target now. */
static int verify_ids(bool check_uid, uid_t uid, gid_t gid, sealexec_error *err)
{
        uid_t ru, eu, su;
        gid_t rg, eg, sg;
        if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "confine: user: reading ids back");
        if (rg != gid || eg != gid || sg != gid)
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "confine: group: gids are %u/%u/%u after switching to %u",
                                (unsigned)rg, (unsigned)eg, (unsigned)sg, (unsigned)gid);
        if (check_uid && (ru != uid || eu != uid || su != uid))
                return se_error(err, -EPERM, SEALEXEC_ERROR_REFUSED,
                                "confine: user: uids are %u/%u/%u after switching to %u",
                                (unsigned)ru, (unsigned)eu, (unsigned)su, (unsigned)uid);
        return 0;
}

int user_switch(bool set_uid, uid_t uid, gid_t gid, sealexec_error *err)
{
        return user_switch_groups(set_uid, uid, gid, &gid, 1, err);
}

int user_switch_groups(bool set_uid, uid_t uid, gid_t gid, const gid_t *groups, size_t n_groups,
                       sealexec_error *err)
{
        int r = switch_groups(gid, groups, n_groups, err);
        if (r < 0)
                return r;
        if (set_uid) {
                r = switch_uid(uid, err);
                if (r < 0)
                        return r;
        }
        return verify_ids(set_uid, uid, gid, err);
}

/* --- settings ------------------------------------------------------------- */

SEALEXEC_API int sealexec_launch_resolve_ids_in_root(sealexec_launch *launch, int root_fd,
                                                     sealexec_error *err)
{
        if (launch && launch->plan)
                return launch_busy(err);
        if (!launch)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "ids: no launch");
        int fd = -1;
        if (root_fd >= 0 && (fd = fcntl(root_fd, F_DUPFD_CLOEXEC, 3)) < 0)
                return se_error_errno(err, -errno, SEALEXEC_ERROR_REFUSED,
                                      "ids: root descriptor %d", root_fd);
        if (launch->ids_root_fd >= 0)
                close(launch->ids_root_fd);
        launch->ids_root_fd = fd;
        return 0;
}

/* Appends the gid of one list element (a name or a number). */
static int add_group(sealexec_launch *launch, const char *name, gid_t *groups, size_t *n,
                     sealexec_error *err)
{
        gid_t gid;
        int r = group_resolve_in(launch->ids_root_fd, name, &gid, err);
        if (r < 0)
                return r;
        if (*n >= SEALEXEC_GROUPS_MAX)
                return se_error(err, -E2BIG, SEALEXEC_ERROR_REFUSED,
                                "groups: more than %d supplementary groups", SEALEXEC_GROUPS_MAX);
        groups[(*n)++] = gid;
        return 0;
}

SEALEXEC_API int sealexec_launch_set_groups(sealexec_launch *launch, const char *list,
                                            sealexec_error *err)
{
        if (launch && launch->plan)
                return launch_busy(err);
        if (!launch || !list)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "groups: no launch or list");
        _cleanup_free_ char *copy = strdup(list);
        _cleanup_free_ gid_t *groups = calloc(SEALEXEC_GROUPS_MAX, sizeof(*groups));
        if (!copy || !groups)
                return se_oom(err, "groups");
        size_t n = 0;
        char *save = NULL;
        for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
                int r = add_group(launch, name, groups, &n, err);
                if (r < 0)
                        return r;
        }
        free(launch->groups);
        launch->groups = TAKE_PTR(groups);
        launch->n_groups = n;
        launch->have_groups = true;
        return 0;
}
