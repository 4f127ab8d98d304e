/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * elf.c - what sealexec reads from a sealed ELF file: the ELF interpreter it
 * names (PT_INTERP), and its library search paths (DT_RPATH, DT_RUNPATH).
 *
 * Only native-endian ELF32 and ELF64 files are read, through pread() on the
 * sealed memfd, with every offset and size checked against the file: a
 * malformed file gets -ENOEXEC, never a read out of bounds.
 */
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "loader/loader.h"

/* More program headers than this is not a program anyone builds. */
#define ELF_MAX_PHDRS 256
/* Dynamic entries read at most (a program has a few dozen). */
#define ELF_MAX_DYN 4096

struct elf_seg {
        uint32_t type;
        uint64_t offset, vaddr, filesz;
};

/* A file that ends early is malformed: -ENOEXEC rather than io's -EIO. */
static int read_exact(int fd, void *buf, size_t size, uint64_t offset)
{
        int r = io_pread_exact(fd, buf, size, (off_t)offset);
        return r == -EIO ? -ENOEXEC : r;
}

/* Reads the header; ret_is64 tells the class. */
static int read_ident(int fd, bool *ret_is64)
{
        unsigned char ident[EI_NIDENT];
        int r = read_exact(fd, ident, sizeof(ident), 0);
        if (r < 0)
                return r;
        if (memcmp(ident, ELFMAG, SELFMAG) != 0)
                return -ENOEXEC;
        bool native = ident[EI_DATA] ==
                      (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB);
        if (!native || (ident[EI_CLASS] != ELFCLASS64 && ident[EI_CLASS] != ELFCLASS32))
                return -ENOEXEC;
        *ret_is64 = ident[EI_CLASS] == ELFCLASS64;
        return 0;
}

static int read_seg(int fd, bool is64, uint64_t at, struct elf_seg *ret)
{
        int r;
        if (is64) {
                Elf64_Phdr ph;
                if ((r = read_exact(fd, &ph, sizeof(ph), at)) < 0)
                        return r;
                *ret = (struct elf_seg){ph.p_type, ph.p_offset, ph.p_vaddr, ph.p_filesz};
        } else {
                Elf32_Phdr ph;
                if ((r = read_exact(fd, &ph, sizeof(ph), at)) < 0)
                        return r;
                *ret = (struct elf_seg){ph.p_type, ph.p_offset, ph.p_vaddr, ph.p_filesz};
        }
        return 0;
}

/* Every program header, normalised; ret_n of them into segs[ELF_MAX_PHDRS]. */
static int read_segs(int fd, bool *ret_is64, struct elf_seg *segs, size_t *ret_n)
{
        bool is64;
        int r = read_ident(fd, &is64);
        if (r < 0)
                return r;
        uint64_t phoff;
        unsigned phnum, phentsize;
        if (is64) {
                Elf64_Ehdr eh;
                if ((r = read_exact(fd, &eh, sizeof(eh), 0)) < 0)
                        return r;
                phoff = eh.e_phoff, phnum = eh.e_phnum, phentsize = eh.e_phentsize;
        } else {
                Elf32_Ehdr eh;
                if ((r = read_exact(fd, &eh, sizeof(eh), 0)) < 0)
                        return r;
                phoff = eh.e_phoff, phnum = eh.e_phnum, phentsize = eh.e_phentsize;
        }
        if (phnum > ELF_MAX_PHDRS ||
            (phnum > 0 && phentsize < (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr))))
                return -ENOEXEC;
        for (unsigned i = 0; i < phnum; i++) {
                r = read_seg(fd, is64, phoff + (uint64_t)i * phentsize, &segs[i]);
                if (r < 0)
                        return r;
        }
        *ret_is64 = is64;
        *ret_n = phnum;
        return 0;
}

/* A NUL-terminated string of at most `max` bytes at `offset`; -ENOEXEC if malformed. */
static int read_string(int fd, uint64_t offset, size_t max, char **ret)
{
        _cleanup_free_ char *buf = malloc(max + 1);
        if (!buf)
                return -ENOMEM;
        ssize_t n = pread(fd, buf, max, (off_t)offset);
        if (n <= 0)
                return n < 0 ? -errno : -ENOEXEC;
        buf[n] = '\0';
        if (strlen(buf) == (size_t)n)
                return -ENOEXEC; /* no NUL within the limit */
        *ret = TAKE_PTR(buf);
        return 0;
}

int elf_read_interp(int fd, char **ret_interp, sealexec_error *err)
{
        struct elf_seg segs[ELF_MAX_PHDRS];
        size_t n = 0;
        bool is64;
        int r = read_segs(fd, &is64, segs, &n);
        if (r == -ENOEXEC)
                return se_error(err, r, SEALEXEC_ERROR_CANNOT_EXECUTE,
                                "ELF interpreter: not a well-formed native ELF file");
        if (r < 0)
                return se_error_errno(err, r, SEALEXEC_ERROR_REFUSED, "ELF interpreter");
        const struct elf_seg *interp = NULL;
        for (size_t i = 0; i < n && !interp; i++)
                if (segs[i].type == PT_INTERP)
                        interp = &segs[i];
        if (!interp)
                return 0;
        if (interp->filesz < 2 || interp->filesz > PATH_MAX)
                return se_error(err, -ENOEXEC, SEALEXEC_ERROR_CANNOT_EXECUTE,
                                "ELF interpreter: PT_INTERP of %llu bytes",
                                (unsigned long long)interp->filesz);
        char *path = NULL;
        r = read_string(fd, interp->offset, (size_t)interp->filesz, &path);
        /* The kernel insists on a NUL at the end and nowhere before it. */
        if (r >= 0 && strlen(path) != interp->filesz - 1) {
                free(path);
                r = -ENOEXEC;
        }
        if (r < 0)
                return se_error(err, r == -ENOMEM ? r : -ENOEXEC,
                                r == -ENOMEM ? SEALEXEC_ERROR_REFUSED
                                             : SEALEXEC_ERROR_CANNOT_EXECUTE,
                                "ELF interpreter: PT_INTERP is not one string in the file");
        *ret_interp = path;
        return 1;
}

/* The file offset of a virtual address, through the PT_LOAD that maps it. */
static int vaddr_to_offset(const struct elf_seg *segs, size_t n, uint64_t vaddr,
                           uint64_t *ret_offset)
{
        for (size_t i = 0; i < n; i++)
                if (segs[i].type == PT_LOAD && vaddr >= segs[i].vaddr &&
                    vaddr - segs[i].vaddr < segs[i].filesz) {
                        *ret_offset = segs[i].offset + (vaddr - segs[i].vaddr);
                        return 0;
                }
        return -ENOEXEC;
}

struct dyn_paths {
        uint64_t strtab, strsz;
        int64_t rpath, runpath; /* string table offsets, -1 when absent */
};

static int read_dynamic(int fd, bool is64, const struct elf_seg *dyn, struct dyn_paths *ret)
{
        size_t entsize = is64 ? sizeof(Elf64_Dyn) : sizeof(Elf32_Dyn);
        size_t count = (size_t)(dyn->filesz / entsize);
        *ret = (struct dyn_paths){.rpath = -1, .runpath = -1};
        for (size_t i = 0; i < count && i < ELF_MAX_DYN; i++) {
                uint64_t tag, val;
                int r;
                if (is64) {
                        Elf64_Dyn d;
                        r = read_exact(fd, &d, sizeof(d), dyn->offset + i * entsize);
                        tag = (uint64_t)d.d_tag, val = d.d_un.d_val;
                } else {
                        Elf32_Dyn d;
                        r = read_exact(fd, &d, sizeof(d), dyn->offset + i * entsize);
                        tag = (uint64_t)(int64_t)d.d_tag, val = d.d_un.d_val;
                }
                if (r < 0)
                        return r;
                if (tag == DT_NULL)
                        break;
                if (tag == DT_STRTAB)
                        ret->strtab = val;
                else if (tag == DT_STRSZ)
                        ret->strsz = val;
                else if (tag == DT_RPATH)
                        ret->rpath = (int64_t)val;
                else if (tag == DT_RUNPATH)
                        ret->runpath = (int64_t)val;
        }
        return 0;
}

static int path_string(int fd, const struct elf_seg *segs, size_t n, const struct dyn_paths *dp,
                       int64_t index, char **ret)
{
        uint64_t strtab;
        if (index < 0)
                return 0;
        if ((uint64_t)index >= dp->strsz || vaddr_to_offset(segs, n, dp->strtab, &strtab) < 0)
                return -ENOEXEC;
        uint64_t left = dp->strsz - (uint64_t)index;
        return read_string(fd, strtab + (uint64_t)index, left > PATH_MAX ? PATH_MAX : left, ret);
}

int elf_read_search_paths(int fd, char **ret_rpath, char **ret_runpath)
{
        struct elf_seg segs[ELF_MAX_PHDRS];
        size_t n = 0;
        bool is64;
        int r = read_segs(fd, &is64, segs, &n);
        if (r < 0)
                return r;
        const struct elf_seg *dyn = NULL;
        for (size_t i = 0; i < n && !dyn; i++)
                if (segs[i].type == PT_DYNAMIC)
                        dyn = &segs[i];
        _cleanup_free_ char *rpath = NULL, *runpath = NULL;
        if (dyn) {
                struct dyn_paths dp;
                r = read_dynamic(fd, is64, dyn, &dp);
                if (r >= 0)
                        r = path_string(fd, segs, n, &dp, dp.rpath, &rpath);
                if (r >= 0)
                        r = path_string(fd, segs, n, &dp, dp.runpath, &runpath);
                if (r < 0)
                        return r;
        }
        *ret_rpath = TAKE_PTR(rpath);
        *ret_runpath = TAKE_PTR(runpath);
        return 0;
}
