/* bzImage support: read the setup header, find the compressed vmlinux and unpack it with the format's own library. */
#include "hw/i386/bzimage.h"

#include <string.h>
#include <lz4.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

/*
 * Why unpack on the host: the bzImage's own decompressor would run in the interpreter for
 * billions of instructions, and the unpacked vmlinux carries the PVH note that the PVH
 * loader needs.  The real libraries are used (no hand-written decoders) so that a corrupt
 * payload is diagnosed by the same code that produced it.
 */

#define LZ4_LEGACY_MAGIC  0x184c2102u
#define LZ4_LEGACY_BLOCK  (8u << 20)   /* lz4 -l: every block unpacks to at most 8 MiB */
#define UNPACK_CHUNK      (1u << 20)

static uint16_t rd16(const uint8_t *p) { return p[0] | p[1] << 8; }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }

bool bzimage_detect(const uint8_t *data, size_t size)
{
    return size >= BZ_HEADER + 4 && rd32(data + BZ_HEADER) == BZ_HDRS_MAGIC;
}

bool bzimage_parse_header(const uint8_t *d, size_t size, BzImageHeader *h, GError **errp)
{
    if (!bzimage_detect(d, size)) {
        error_setg(errp, "not a bzImage (no \"HdrS\" setup header signature)");
        return false;
    }
    if (size < BZ_HEADER_END) {
        error_setg(errp, "truncated bzImage: %zu bytes, shorter than its setup header", size);
        return false;
    }
    *h = (BzImageHeader) {
        .setup_sects = d[BZ_SETUP_SECTS] ? d[BZ_SETUP_SECTS] : 4,
        .syssize = rd32(d + BZ_SYSSIZE),
        .version = rd16(d + BZ_VERSION),
        .payload_offset = rd32(d + BZ_PAYLOAD_OFFSET),
        .payload_length = rd32(d + BZ_PAYLOAD_LENGTH),
    };
    h->pm_start = ((uint64_t)h->setup_sects + 1) * 512;
    if (h->version < BZ_MIN_VERSION) {
        error_setg(errp, "bzImage boot protocol %u.%02u is too old (2.08 or newer carries the "
                   "payload location)", h->version >> 8, h->version & 0xff);
        return false;
    }
    if (h->pm_start + (uint64_t)h->syssize * 16 > size) {
        error_setg(errp, "truncated bzImage: %zu bytes, the header promises %llu",
                   size, (unsigned long long)(h->pm_start + (uint64_t)h->syssize * 16));
        return false;
    }
    uint64_t start = h->pm_start + h->payload_offset;
    if (!h->payload_length || start > size || h->payload_length > size - start) {
        error_setg(errp, "truncated bzImage: payload at 0x%llx+0x%x is outside the file "
                   "(%zu bytes)", (unsigned long long)start, h->payload_length, size);
        return false;
    }
    return true;
}

BzFormat bzimage_payload_format(const uint8_t *p, size_t len)
{
    if (len >= 2 && p[0] == 0x1f && (p[1] == 0x8b || p[1] == 0x9e)) {
        return BZ_FORMAT_GZIP;
    }
    if (len >= 4 && rd32(p) == LZ4_LEGACY_MAGIC) {
        return BZ_FORMAT_LZ4;
    }
    if (len >= 6 && !memcmp(p, "\xfd" "7zXZ\0", 6)) {
        return BZ_FORMAT_XZ;
    }
    if (len >= 4 && rd32(p) == 0xfd2fb528u) {
        return BZ_FORMAT_ZSTD;
    }
    if (len >= 4 && !memcmp(p, "\x7f" "ELF", 4)) {
        return BZ_FORMAT_UNCOMPRESSED;
    }
    return BZ_FORMAT_UNKNOWN;
}

const char *bzimage_format_name(BzFormat f)
{
    static const char *const names[] = {
        [BZ_FORMAT_UNKNOWN] = "unknown", [BZ_FORMAT_GZIP] = "gzip", [BZ_FORMAT_LZ4] = "LZ4",
        [BZ_FORMAT_XZ] = "xz", [BZ_FORMAT_ZSTD] = "zstd",
        [BZ_FORMAT_UNCOMPRESSED] = "uncompressed",
    };
    return names[f];
}

/* Make room for want more output bytes, within the cap. */
static bool out_reserve(GByteArray *out, size_t want, GError **errp)
{
    if (want > BZ_MAX_UNPACKED - out->len) {
        error_setg(errp, "unpacked kernel is larger than %u MiB", BZ_MAX_UNPACKED >> 20);
        return false;
    }
    g_byte_array_set_size(out, out->len + want);
    return true;
}

/*
 * LZ4 legacy: the magic, then blocks of (LE32 compressed size, data).  Another magic may
 * start a new frame.  The kernel's build appends the unpacked size as 4 more bytes, so four
 * bytes left over at the end are that trailer, not a block.
 */
static bool unpack_lz4(const uint8_t *p, size_t len, GByteArray *out, GError **errp)
{
    size_t pos = 4;

    while (len - pos >= 4) {
        uint32_t csize = rd32(p + pos);
        if (csize == LZ4_LEGACY_MAGIC) {
            pos += 4;
            continue;
        }
        if (len - pos == 4) {
            return true;                /* the size trailer */
        }
        if (csize > len - pos - 4 || csize > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK)) {
            error_setg(errp, "truncated LZ4 payload: block of %u bytes at offset 0x%zx, "
                       "%zu bytes left", csize, pos, len - pos - 4);
            return false;
        }
        size_t base = out->len;
        if (!out_reserve(out, LZ4_LEGACY_BLOCK, errp)) {
            return false;
        }
        int n = LZ4_decompress_safe((const char *)p + pos + 4, (char *)out->data + base,
                                    (int)csize, LZ4_LEGACY_BLOCK);
        if (n < 0) {
            error_setg(errp, "corrupt LZ4 payload: block at offset 0x%zx does not decode", pos);
            return false;
        }
        g_byte_array_set_size(out, base + n);
        pos += 4 + csize;
    }
    if (pos < len) {
        error_setg(errp, "truncated LZ4 payload: %zu stray bytes at the end", len - pos);
        return false;
    }
    return true;
}

static bool unpack_gzip(const uint8_t *p, size_t len, GByteArray *out, GError **errp)
{
    z_stream zs = { .next_in = (Bytef *)p, .avail_in = len > UINT_MAX ? UINT_MAX : len };
    int ret = Z_OK;

    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        error_setg(errp, "zlib initialisation failed");
        return false;
    }
    while (ret == Z_OK) {
        size_t base = out->len;
        if (!out_reserve(out, UNPACK_CHUNK, errp)) {
            inflateEnd(&zs);
            return false;
        }
        zs.next_out = out->data + base;
        zs.avail_out = UNPACK_CHUNK;
        ret = inflate(&zs, Z_NO_FLUSH);
        g_byte_array_set_size(out, base + UNPACK_CHUNK - zs.avail_out);
        if (ret == Z_BUF_ERROR && zs.avail_in) {
            ret = Z_OK;                 /* output was full: go round again */
        }
    }
    inflateEnd(&zs);
    if (ret != Z_STREAM_END) {
        error_setg(errp, "%s gzip payload (zlib: %s)",
                   ret == Z_BUF_ERROR ? "truncated" : "corrupt", zs.msg ? zs.msg : "no detail");
        return false;
    }
    return true;
}

static bool unpack_xz(const uint8_t *p, size_t len, GByteArray *out, GError **errp)
{
    lzma_stream xs = LZMA_STREAM_INIT;
    lzma_ret ret;

    if (lzma_stream_decoder(&xs, UINT64_MAX, 0) != LZMA_OK) {
        error_setg(errp, "liblzma initialisation failed");
        return false;
    }
    xs.next_in = p;
    xs.avail_in = len;
    do {
        size_t base = out->len;
        if (!out_reserve(out, UNPACK_CHUNK, errp)) {
            lzma_end(&xs);
            return false;
        }
        xs.next_out = out->data + base;
        xs.avail_out = UNPACK_CHUNK;
        ret = lzma_code(&xs, LZMA_FINISH);
        g_byte_array_set_size(out, base + UNPACK_CHUNK - xs.avail_out);
    } while (ret == LZMA_OK);
    lzma_end(&xs);
    if (ret != LZMA_STREAM_END) {
        error_setg(errp, "%s xz payload (liblzma error %d)",
                   ret == LZMA_BUF_ERROR ? "truncated" : "corrupt", (int)ret);
        return false;
    }
    return true;
}

static bool unpack_zstd(const uint8_t *p, size_t len, GByteArray *out, GError **errp)
{
    ZSTD_DStream *zs = ZSTD_createDStream();
    ZSTD_inBuffer in = { .src = p, .size = len };
    size_t ret = 1;

    while (ret != 0) {
        size_t base = out->len;
        if (!out_reserve(out, UNPACK_CHUNK, errp)) {
            ZSTD_freeDStream(zs);
            return false;
        }
        ZSTD_outBuffer o = { .dst = out->data + base, .size = UNPACK_CHUNK };
        size_t before = in.pos;
        ret = ZSTD_decompressStream(zs, &o, &in);
        g_byte_array_set_size(out, base + o.pos);
        if (ZSTD_isError(ret)) {
            error_setg(errp, "corrupt zstd payload (%s)", ZSTD_getErrorName(ret));
            ZSTD_freeDStream(zs);
            return false;
        }
        if (ret && in.pos == in.size && in.pos == before && o.pos < o.size) {
            error_setg(errp, "truncated zstd payload");
            ZSTD_freeDStream(zs);
            return false;
        }
    }
    ZSTD_freeDStream(zs);
    return true;
}

uint8_t *bzimage_unpack(BzFormat f, const uint8_t *p, size_t len, size_t *out_len,
                        GError **errp)
{
    GByteArray *out = g_byte_array_new();
    bool ok;

    switch (f) {
    case BZ_FORMAT_LZ4:  ok = unpack_lz4(p, len, out, errp); break;
    case BZ_FORMAT_GZIP: ok = unpack_gzip(p, len, out, errp); break;
    case BZ_FORMAT_XZ:   ok = unpack_xz(p, len, out, errp); break;
    case BZ_FORMAT_ZSTD: ok = unpack_zstd(p, len, out, errp); break;
    case BZ_FORMAT_UNCOMPRESSED:
        g_byte_array_append(out, p, len);
        ok = true;
        break;
    default:
        error_setg(errp, "unsupported payload compression (magic %02x %02x %02x %02x; "
                   "numbat unpacks gzip, LZ4 legacy, xz and zstd)",
                   len > 0 ? p[0] : 0, len > 1 ? p[1] : 0, len > 2 ? p[2] : 0,
                   len > 3 ? p[3] : 0);
        ok = false;
    }
    if (!ok) {
        g_byte_array_free(out, TRUE);
        return NULL;
    }
    *out_len = out->len;
    return g_byte_array_free(out, FALSE);
}

uint8_t *bzimage_extract(const uint8_t *data, size_t size, size_t *out_len, GError **errp)
{
    BzImageHeader h;

    if (!bzimage_parse_header(data, size, &h, errp)) {
        return NULL;
    }
    const uint8_t *p = data + h.pm_start + h.payload_offset;
    BzFormat f = bzimage_payload_format(p, h.payload_length);
    uint8_t *elf = bzimage_unpack(f, p, h.payload_length, out_len, errp);
    if (elf && (*out_len < 4 || memcmp(elf, "\x7f" "ELF", 4) != 0)) {
        error_setg(errp, "the bzImage's %s payload does not unpack to an ELF vmlinux",
                   bzimage_format_name(f));
        g_free(elf);
        return NULL;
    }
    return elf;
}
