/* ACPI table builder: little-endian appenders, table headers, lengths and checksums. */
#ifndef NUMBAT_HW_ACPI_TABLE_H
#define NUMBAT_HW_ACPI_TABLE_H

#include <glib.h>
#include <stdint.h>

/* numbat's own OEM identity, written into every table header and the RSDP. */
#define ACPI_OEM_ID        "NUMBAT"     /* 6 bytes */
#define ACPI_OEM_TABLE_ID  "NUMBATPC"   /* 8 bytes */
#define ACPI_OEM_REVISION  1
#define ACPI_CREATOR_ID    "NMBT"       /* 4 bytes */
#define ACPI_CREATOR_REVISION 1
#define ACPI_HEADER_SIZE   36

/* A table being written into a blob: remembers where its header starts. */
typedef struct AcpiTable {
    GByteArray *blob;
    guint start;
    char sig[5];
} AcpiTable;

/* Append a 36-byte header (length and checksum filled in by acpi_table_end). */
void acpi_table_begin(AcpiTable *t, GByteArray *blob, const char *sig, uint8_t revision);
/* Fix the header's length field and make the table's bytes sum to zero. */
void acpi_table_end(AcpiTable *t);

void acpi_append_u8(GByteArray *b, uint8_t v);
void acpi_append_u16(GByteArray *b, uint16_t v);
void acpi_append_u32(GByteArray *b, uint32_t v);
void acpi_append_u64(GByteArray *b, uint64_t v);
void acpi_append_zeros(GByteArray *b, guint n);
void acpi_append_str(GByteArray *b, const char *s, guint n); /* exactly n bytes, space padded */
/* Generic Address Structure (12 bytes). */
void acpi_append_gas(GByteArray *b, uint8_t space_id, uint8_t bit_width, uint8_t bit_offset,
                     uint8_t access_size, uint64_t address);
/* Overwrite bytes at an offset (for pointers fixed after layout). */
void acpi_patch_u32(GByteArray *b, guint offset, uint32_t v);
void acpi_patch_u64(GByteArray *b, guint offset, uint64_t v);

/* 8-bit sum of bytes; a valid table sums to 0. */
uint8_t acpi_checksum(const uint8_t *data, gsize len);

enum { ACPI_GAS_MEMORY = 0, ACPI_GAS_IO = 1 };

#endif
