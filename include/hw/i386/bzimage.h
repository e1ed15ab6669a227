/* Reading a Linux bzImage: its setup header and the compressed vmlinux payload, unpacked on the host. */
#ifndef NUMBAT_HW_I386_BZIMAGE_H
#define NUMBAT_HW_I386_BZIMAGE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "qapi/error.h"

/* Setup header offsets (Linux Documentation/arch/x86/boot.rst). */
#define BZ_SETUP_SECTS     0x1f1
#define BZ_SYSSIZE         0x1f4
#define BZ_BOOT_FLAG       0x1fe   /* 0xaa55 */
#define BZ_HEADER          0x202   /* "HdrS" */
#define BZ_VERSION         0x206
#define BZ_PAYLOAD_OFFSET  0x248   /* protocol 2.08+ */
#define BZ_PAYLOAD_LENGTH  0x24c
#define BZ_HEADER_END      0x250   /* bytes needed to read every field above */
#define BZ_HDRS_MAGIC      0x53726448u
#define BZ_MIN_VERSION     0x0208  /* first protocol with payload_offset/length */

/* Cap on the unpacked image: a vmlinux is tens of MiB; a bigger claim is a corrupt file. */
#define BZ_MAX_UNPACKED    (1024u * 1024 * 1024)

typedef enum BzFormat {
    BZ_FORMAT_UNKNOWN,
    BZ_FORMAT_GZIP,
    BZ_FORMAT_LZ4,      /* LZ4 legacy frames (lz4 -l), Debian's choice */
    BZ_FORMAT_XZ,
    BZ_FORMAT_ZSTD,
    BZ_FORMAT_UNCOMPRESSED,   /* an ELF payload as is */
} BzFormat;

typedef struct BzImageHeader {
    unsigned setup_sects;     /* 0 in the file means 4 */
    uint32_t syssize;         /* protected-mode code size in 16-byte paragraphs */
    uint16_t version;
    uint32_t payload_offset;  /* from the start of the protected-mode code */
    uint32_t payload_length;
    uint64_t pm_start;        /* file offset of the protected-mode code: (setup_sects+1)*512 */
} BzImageHeader;

/* Whether data starts like a bzImage (the "HdrS" signature in its setup header). */
bool bzimage_detect(const uint8_t *data, size_t size);

/* Read and check the setup header: version, sizes, payload inside the file. */
bool bzimage_parse_header(const uint8_t *data, size_t size, BzImageHeader *h, GError **errp);

/* The compression of a payload, from its magic bytes. */
BzFormat bzimage_payload_format(const uint8_t *p, size_t len);
const char *bzimage_format_name(BzFormat f);

/* Unpack a payload of a known format; returns a g_malloc'ed buffer. */
uint8_t *bzimage_unpack(BzFormat f, const uint8_t *p, size_t len, size_t *out_len,
                        GError **errp);

/*
 * The whole job: header, payload, unpack; returns the vmlinux (an ELF, possibly followed by
 * relocation data) as a g_malloc'ed buffer of *out_len bytes.
 */
uint8_t *bzimage_extract(const uint8_t *data, size_t size, size_t *out_len, GError **errp);

#endif
