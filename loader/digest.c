/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * digest.c - SHA-256 (OpenSSL EVP) and its "sha256:HEX" spelling.
 *
 * The digest of a payload is taken over the sealed memfd, after sealing:
 * nobody can change sealed content, so the bytes hashed are the bytes that
 * run. Both sealed memfds and files on disk are read with pread() into a
 * small buffer: fast, and safe against files that shrink while being read.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/io.h"
#include "loader/loader.h"

#define DIGEST_PREFIX     "sha256:"
#define DIGEST_PREFIX_LEN (sizeof(DIGEST_PREFIX) - 1)
#define DIGEST_HEX_LEN    (2 * SEALEXEC_SHA256_LEN)
#define READ_BUFFER_LEN   ((size_t)1 << 20)

int loader_digest_parse(const char *text, unsigned char ret_digest[SEALEXEC_SHA256_LEN])
{
        unsigned char digest[SEALEXEC_SHA256_LEN];

        if (!text || strncmp(text, DIGEST_PREFIX, DIGEST_PREFIX_LEN) != 0)
                return -EINVAL;
        text += DIGEST_PREFIX_LEN;
        if (strlen(text) != DIGEST_HEX_LEN)
                return -EINVAL;
        for (size_t i = 0; i < SEALEXEC_SHA256_LEN; i++) {
                int hi = hex_digit_value(text[2 * i]), lo = hex_digit_value(text[2 * i + 1]);
                if (hi < 0 || lo < 0)
                        return -EINVAL;
                digest[i] = (unsigned char)(hi << 4 | lo);
        }
        memcpy(ret_digest, digest, sizeof(digest));
        return 0;
}

void loader_digest_format(const unsigned char digest[SEALEXEC_SHA256_LEN],
                          char ret_text[SEALEXEC_DIGEST_STRING_MAX])
{
        static const char hex[] = "0123456789abcdef";
        char *p = ret_text;

        memcpy(p, DIGEST_PREFIX, DIGEST_PREFIX_LEN);
        p += DIGEST_PREFIX_LEN;
        for (size_t i = 0; i < SEALEXEC_SHA256_LEN; i++) {
                *p++ = hex[digest[i] >> 4];
                *p++ = hex[digest[i] & 0xf];
        }
        *p = '\0';
}

static void ctx_freep(EVP_MD_CTX **ctx)
{
        EVP_MD_CTX_free(*ctx);
}

static int digest_begin(EVP_MD_CTX **ret_ctx, const char *label, sealexec_error *err)
{
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();

        if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
                EVP_MD_CTX_free(ctx);
                return se_error(err, -ENOMEM, SEALEXEC_ERROR_REFUSED, "%s: cannot start SHA-256",
                                label);
        }
        *ret_ctx = ctx;
        return 0;
}

static int digest_end(EVP_MD_CTX *ctx, const char *label,
                      unsigned char ret_digest[SEALEXEC_SHA256_LEN], sealexec_error *err)
{
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;

        if (EVP_DigestFinal_ex(ctx, md, &len) != 1 || len != SEALEXEC_SHA256_LEN)
                return se_error(err, -EIO, SEALEXEC_ERROR_REFUSED, "%s: SHA-256 failed", label);
        memcpy(ret_digest, md, SEALEXEC_SHA256_LEN);
        return 0;
}

static int update_error(const char *label, sealexec_error *err)
{
        return se_error(err, -EIO, SEALEXEC_ERROR_REFUSED, "%s: SHA-256 failed", label);
}

/*
 * Hashes `fd` from offset 0 through a 1 MiB buffer, up to `limit` bytes
 * (UINT64_MAX: to the end). pread() into a small buffer measured about twice
 * as fast as hashing through a fresh mapping (no page-table faults), and
 * memory stays flat whatever the payload's size.
 */
static int digest_pread(int fd, uint64_t limit, const char *label,
                        unsigned char ret_digest[SEALEXEC_SHA256_LEN], sealexec_error *err)
{
        _cleanup_(ctx_freep) EVP_MD_CTX *ctx = NULL;
        _cleanup_free_ char *buf = malloc(READ_BUFFER_LEN);
        uint64_t off = 0;
        int r;

        if (!buf)
                return se_oom(err, label);
        r = digest_begin(&ctx, label, err);
        if (r < 0)
                return r;
        while (off < limit) {
                size_t want =
                    limit - off < READ_BUFFER_LEN ? (size_t)(limit - off) : READ_BUFFER_LEN;
                ssize_t n = io_pread_upto(fd, buf, want, (off_t)off);
                if (n < 0)
                        return se_error_errno(err, (int)n, SEALEXEC_ERROR_REFUSED,
                                              "%s: cannot read", label);
                if (n == 0)
                        break;
                if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1)
                        return update_error(label, err);
                off += (uint64_t)n;
        }
        /* A sealed memfd cannot shrink: reading less than its size means a bug. */
        if (limit != UINT64_MAX && off != limit)
                return se_error(err, -EIO, SEALEXEC_ERROR_REFUSED,
                                "%s: sealed content ended early while hashing", label);
        return digest_end(ctx, label, ret_digest, err);
}

int loader_digest_sealed(int fd, uint64_t size, const char *label,
                         unsigned char ret_digest[SEALEXEC_SHA256_LEN], sealexec_error *err)
{
        return digest_pread(fd, size, label, ret_digest, err);
}

int loader_digest_stream(int fd, const char *label, unsigned char ret_digest[SEALEXEC_SHA256_LEN],
                         sealexec_error *err)
{
        return digest_pread(fd, UINT64_MAX, label, ret_digest, err);
}
