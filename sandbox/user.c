/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Resolving the user and group to run as, and switching to them. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cleanup.h"
#include "error.h"
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

static size_t lookup_buffer_size(int name)
{
        long size = sysconf(name);
        return size > 0 ? (size_t)size : 16384;
}

/* The primary group of a uid's passwd entry; -ENOENT when there is none. */
static int lookup_uid_group(uid_t uid, gid_t *ret_gid)
{
        size_t size = lookup_buffer_size(_SC_GETPW_R_SIZE_MAX);
        for (;;) {
                _cleanup_free_ char *buf = malloc(size);
                struct passwd pw, *result = NULL;
                if (!buf)
                        return -ENOMEM;
                int r = getpwuid_r(uid, &pw, buf, size, &result);
                if (r == ERANGE && size < (1u << 20)) {
                        size *= 2;
                        continue;
                }
                if (r == ENOENT || r == ESRCH || (r == 0 && !result))
                        return -ENOENT;
                if (r != 0)
                        return -r;
                *ret_gid = pw.pw_gid;
                return 0;
        }
}

int user_resolve(const char *user, uid_t *ret_uid, gid_t *ret_gid, sealexec_error *err)
{
        uint32_t number;
        gid_t gid = 0;
        if (parse_id(user, &number)) {
                int r = lookup_uid_group(number, &gid);
                if (r == -ENOENT)
                        /*
                         * A number without a passwd entry (common in containers):
                         * the group of the same number, never the launcher's.
                         */
                        gid = number;
                else if (r < 0)
                        return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                              "user '%s': lookup failed", user);
                *ret_uid = number;
                *ret_gid = gid;
                return 0;
        }
        if (!user || !*user)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "unknown user ''");

        size_t size = lookup_buffer_size(_SC_GETPW_R_SIZE_MAX);
        for (;;) {
                _cleanup_free_ char *buf = malloc(size);
                struct passwd pw, *result = NULL;
                if (!buf)
                        return se_error(err, -ENOMEM, SEALEXEC_ERROR_REFUSED,
                                        "user '%s': out of memory", user);
                int r = getpwnam_r(user, &pw, buf, size, &result);
                if (r == ERANGE && size < (1u << 20)) {
                        size *= 2;
                        continue;
                }
                if (r != 0 && r != ENOENT && r != ESRCH)
                        return se_error_errno(err, -r, SEALEXEC_ERROR_REFUSED,
                                              "user '%s': lookup failed", user);
                if (!result || pw.pw_uid == (uid_t)-1)
                        return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "unknown user '%s'",
                                        user);
                *ret_uid = pw.pw_uid;
                *ret_gid = pw.pw_gid;
                return 0;
        }
}

int group_resolve(const char *group, gid_t *ret_gid, sealexec_error *err)
{
        uint32_t number;
        if (parse_id(group, &number)) {
                *ret_gid = number;
                return 0;
        }
        if (!group || !*group)
                return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "unknown group ''");

        size_t size = lookup_buffer_size(_SC_GETGR_R_SIZE_MAX);
        for (;;) {
                _cleanup_free_ char *buf = malloc(size);
                struct group gr, *result = NULL;
                if (!buf)
                        return se_error(err, -ENOMEM, SEALEXEC_ERROR_REFUSED,
                                        "group '%s': out of memory", group);
                int r = getgrnam_r(group, &gr, buf, size, &result);
                if (r == ERANGE && size < (1u << 20)) {
                        size *= 2;
                        continue;
                }
                if (r != 0 && r != ENOENT && r != ESRCH)
                        return se_error_errno(err, -r, SEALEXEC_ERROR_REFUSED,
                                              "group '%s': lookup failed", group);
                if (!result || gr.gr_gid == (gid_t)-1)
                        return se_error(err, -EINVAL, SEALEXEC_ERROR_REFUSED, "unknown group '%s'",
                                        group);
                *ret_gid = gr.gr_gid;
                return 0;
        }
}

/* true when the supplementary group list is already exactly [gid]. */
static bool groups_already(gid_t gid)
{
        gid_t list[2];
        int n = getgroups(2, list);
        return n == 1 && list[0] == gid;
}

static int switch_groups(gid_t gid, sealexec_error *err)
{
        if (setgroups(1, &gid) < 0) {
                int r = -errno;
                /* Unprivileged, but nothing would change: the result is what was asked. */
                if (r != -EPERM || !groups_already(gid))
                        return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED,
                                              "confine: setgroups [%u]", (unsigned)gid);
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
        int r = switch_groups(gid, err);
        if (r < 0)
                return r;
        if (set_uid) {
                r = switch_uid(uid, err);
                if (r < 0)
                        return r;
        }
        return verify_ids(set_uid, uid, gid, err);
}
