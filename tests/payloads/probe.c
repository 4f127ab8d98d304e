/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sealexec-probe: a static test payload that reports, from inside, what a
 * sealexec launch left it with. Each argument is one check; each check prints
 * "key=value" lines that the integration tests compare.
 *
 *   status        exe memfd and seals, NoNewPrivs, Seccomp, capability sets, ids
 *   fds           the open descriptors, e.g. "fds=0,1,2"
 *   exe-attack    try to write, truncate, remap and reseal /proc/self/exe
 *   file:PATH     the same attacks on a configuration file, plus its content
 *   syscall:NAME  run a syscall and print its errno (ptrace, getppid, ...)
 *   env           every environment variable, "env:K=V"
 *   argv          every argument, "argv[i]=..."
 *   cwd           the working directory
 *   rlimit:NAME   soft and hard limit of nofile, nproc, core
 *   exit:N        exit with status N
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef F_GET_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#endif
#ifndef F_SEAL_SEAL
#define F_SEAL_SEAL 0x0001
#endif

extern char **environ;

static const char *errname(int e)
{
        static char buf[32];
        switch (e) {
        case 0: return "0";
        case EPERM: return "EPERM";
        case EACCES: return "EACCES";
        case EBADF: return "EBADF";
        case EINVAL: return "EINVAL";
        case ENOSYS: return "ENOSYS";
        case ETXTBSY: return "ETXTBSY";
        case EROFS: return "EROFS";
        case ESRCH: return "ESRCH";
        case EBUSY: return "EBUSY";
        case EFAULT: return "EFAULT";
        case ENOENT: return "ENOENT";
        case EAFNOSUPPORT: return "EAFNOSUPPORT";
        default: snprintf(buf, sizeof(buf), "E%d", e); return buf;
        }
}

static void print_status_fields(void)
{
        static const char *keys[] = {"NoNewPrivs:", "Seccomp:", "CapInh:", "CapPrm:", "CapEff:",
                                     "CapBnd:", "CapAmb:", "Uid:", "Gid:", "Groups:"};
        char line[512];
        FILE *f = fopen("/proc/self/status", "re");
        if (!f) {
                printf("status_error=%s\n", errname(errno));
                return;
        }
        while (fgets(line, sizeof(line), f)) {
                for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
                        size_t n = strlen(keys[i]);
                        if (strncmp(line, keys[i], n) != 0)
                                continue;
                        char *v = line + n;
                        v += strspn(v, " \t");
                        v[strcspn(v, "\n")] = '\0';
                        for (size_t len = strlen(v); len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t');)
                                v[--len] = '\0';
                        for (char *t = v; *t; t++)
                                if (*t == '\t')
                                        *t = ' ';
                        printf("%.*s=%s\n", (int)(n - 1), keys[i], v);
                }
        }
        fclose(f);
}

static void check_status(void)
{
        char target[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", target, sizeof(target) - 1);
        target[n > 0 ? n : 0] = '\0';
        printf("exe=%s\n", target);
        printf("exe_is_memfd=%d\n", strncmp(target, "/memfd:", 7) == 0);
        int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        int seals = fd >= 0 ? fcntl(fd, F_GET_SEALS) : -1;
        printf("exe_seals=0x%x\n", seals < 0 ? 0 : seals);
        if (fd >= 0)
                close(fd);
        print_status_fields();
}

static void check_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        if (!d) {
                printf("fds_error=%s\n", errname(errno));
                return;
        }
        int own = dirfd(d), fds[1024], count = 0;
        struct dirent *e;
        while ((e = readdir(d)) && count < 1024) {
                if (e->d_name[0] == '.')
                        continue;
                int fd = atoi(e->d_name);
                if (fd != own)
                        fds[count++] = fd;
        }
        closedir(d);
        for (int i = 1; i < count; i++)
                for (int j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
                        int t = fds[j];
                        fds[j] = fds[j - 1];
                        fds[j - 1] = t;
                }
        printf("fds=");
        for (int i = 0; i < count; i++)
                printf("%s%d", i ? "," : "", fds[i]);
        printf("\n");
}

/* Every way to change a sealed file; each must fail. */
static void attack_file(const char *label, const char *path)
{
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        int e = errno;
        if (fd >= 0) {
                /* Opening may succeed for root; writing must not. */
                ssize_t w = write(fd, "X", 1);
                printf("%s_write=%s\n", label, w == 1 ? "0" : errname(errno));
                close(fd);
        } else {
                printf("%s_write=%s\n", label, errname(e));
        }
        fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0)
                fd = open(path, O_RDONLY | O_CLOEXEC);
        printf("%s_truncate=%s\n", label, ftruncate(fd, 0) == 0 ? "0" : errname(errno));
        void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        printf("%s_mmap_shared_write=%s\n", label, m != MAP_FAILED ? "0" : errname(errno));
        int r = fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL);
        printf("%s_add_seals=%s\n", label, r == 0 ? "0" : errname(errno));
        printf("%s_seals=0x%x\n", label, fcntl(fd, F_GET_SEALS) < 0 ? 0 : fcntl(fd, F_GET_SEALS));
        close(fd);
}

static void check_file(const char *path)
{
        char buf[4096];
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                printf("file_open=%s\n", errname(errno));
                return;
        }
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        buf[n > 0 ? n : 0] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        printf("file_content=%s\n", buf);
        attack_file("file", path);
}

static void check_syscall(const char *name)
{
        long r;
        errno = 0;
        if (strcmp(name, "ptrace") == 0)
                r = ptrace(PTRACE_TRACEME, 0, 0, 0);
        else if (strcmp(name, "getppid") == 0)
                r = syscall(SYS_getppid);
        else if (strcmp(name, "io_uring_setup") == 0)
                r = syscall(425, 1, NULL);
        else if (strcmp(name, "unknown") == 0)
                r = syscall(1000);
        else if (strcmp(name, "process_vm_readv") == 0)
                r = syscall(SYS_process_vm_readv, getppid(), NULL, 0, NULL, 0, 0);
        else if (strcmp(name, "unshare") == 0)
                r = syscall(SYS_unshare, 0x10000000 /* CLONE_NEWUSER */);
        else if (strcmp(name, "socket_vsock") == 0)
                r = syscall(SYS_socket, 40 /* AF_VSOCK */, 1 /* SOCK_STREAM */, 0);
        else if (strcmp(name, "socket_inet") == 0)
                r = syscall(SYS_socket, 2 /* AF_INET */, 1 /* SOCK_STREAM */, 0);
        else if (strcmp(name, "personality_query") == 0)
                r = syscall(SYS_personality, 0xffffffffUL);
        else if (strcmp(name, "clone3") == 0)
                r = syscall(435 /* clone3 */, NULL, 0); /* EFAULT/EINVAL if allowed */
        else if (strcmp(name, "mount") == 0)
                r = syscall(SYS_mount, "none", "/nonexistent-sealexec", "tmpfs", 0, NULL);
        else {
                printf("syscall_%s=unknown-check\n", name);
                return;
        }
        printf("syscall_%s=%s\n", name, r >= 0 ? "0" : errname(errno));
}

static void check_rlimit(const char *name)
{
        int resource = strcmp(name, "nofile") == 0 ? RLIMIT_NOFILE
                       : strcmp(name, "nproc") == 0 ? RLIMIT_NPROC
                                                    : RLIMIT_CORE;
        struct rlimit rl;
        getrlimit(resource, &rl);
        printf("rlimit_%s=%llu:%llu\n", name, (unsigned long long)rl.rlim_cur,
               (unsigned long long)rl.rlim_max);
}

int main(int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];
                if (strcmp(a, "status") == 0)
                        check_status();
                else if (strcmp(a, "fds") == 0)
                        check_fds();
                else if (strcmp(a, "exe-attack") == 0)
                        attack_file("exe", "/proc/self/exe");
                else if (strncmp(a, "file:", 5) == 0)
                        check_file(a + 5);
                else if (strncmp(a, "syscall:", 8) == 0)
                        check_syscall(a + 8);
                else if (strcmp(a, "env") == 0)
                        for (char **e = environ; *e; e++)
                                printf("env:%s\n", *e);
                else if (strcmp(a, "argv") == 0)
                        for (int j = 0; j < argc; j++)
                                printf("argv[%d]=%s\n", j, argv[j]);
                else if (strcmp(a, "cwd") == 0) {
                        char cwd[PATH_MAX];
                        printf("cwd=%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
                } else if (strncmp(a, "rlimit:", 7) == 0)
                        check_rlimit(a + 7);
                else if (strncmp(a, "exit:", 5) == 0) {
                        fflush(stdout);
                        return atoi(a + 5);
                }
        }
        return 0;
}
