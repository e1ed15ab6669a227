/* ACPI table builder primitives: little-endian appends, headers, lengths and checksums. */
#include "hw/acpi/table.h"

#include <string.h>

void acpi_append_u8(GByteArray *b, uint8_t v)
{
    g_byte_array_append(b, &v, 1);
}

void acpi_append_u16(GByteArray *b, uint16_t v)
{
    uint8_t le[2] = { v, v >> 8 };
    g_byte_array_append(b, le, 2);
}

void acpi_append_u32(GByteArray *b, uint32_t v)
{
    acpi_append_u16(b, v);
    acpi_append_u16(b, v >> 16);
}

void acpi_append_u64(GByteArray *b, uint64_t v)
{
    acpi_append_u32(b, v);
    acpi_append_u32(b, v >> 32);
}

void acpi_append_zeros(GByteArray *b, guint n)
{
    guint old = b->len;
    g_byte_array_set_size(b, old + n);
    memset(b->data + old, 0, n);
}

void acpi_append_str(GByteArray *b, const char *s, guint n)
{
    size_t len = strlen(s);
    for (guint i = 0; i < n; i++) {
        acpi_append_u8(b, i < len ? (uint8_t)s[i] : ' ');
    }
}

void acpi_append_gas(GByteArray *b, uint8_t space_id, uint8_t bit_width, uint8_t bit_offset,
                     uint8_t access_size, uint64_t address)
{
    acpi_append_u8(b, space_id);
    acpi_append_u8(b, bit_width);
    acpi_append_u8(b, bit_offset);
    acpi_append_u8(b, access_size);
    acpi_append_u64(b, address);
}

void acpi_patch_u32(GByteArray *b, guint offset, uint32_t v)
{
    g_assert(offset + 4 <= b->len);
    for (int i = 0; i < 4; i++) {
        b->data[offset + i] = v >> (8 * i);
    }
}

void acpi_patch_u64(GByteArray *b, guint offset, uint64_t v)
{
    acpi_patch_u32(b, offset, v);
    acpi_patch_u32(b, offset + 4, v >> 32);
}

uint8_t acpi_checksum(const uint8_t *data, gsize len)
{
    uint8_t sum = 0;
    for (gsize i = 0; i < len; i++) {
        sum += data[i];
    }
    return sum;
}

void acpi_table_begin(AcpiTable *t, GByteArray *blob, const char *sig, uint8_t revision)
{
    g_assert(strlen(sig) == 4);
    t->blob = blob;
    t->start = blob->len;
    memcpy(t->sig, sig, 5);
    acpi_append_str(blob, sig, 4);
    acpi_append_u32(blob, 0);            /* length, fixed at the end */
    acpi_append_u8(blob, revision);
    acpi_append_u8(blob, 0);             /* checksum, fixed at the end */
    acpi_append_str(blob, ACPI_OEM_ID, 6);
    acpi_append_str(blob, ACPI_OEM_TABLE_ID, 8);
    acpi_append_u32(blob, ACPI_OEM_REVISION);
    acpi_append_str(blob, ACPI_CREATOR_ID, 4);
    acpi_append_u32(blob, ACPI_CREATOR_REVISION);
}

void acpi_table_end(AcpiTable *t)
{
    guint len = t->blob->len - t->start;
    uint8_t *p = t->blob->data + t->start;
    acpi_patch_u32(t->blob, t->start + 4, len);
    p[9] = 0;
    p[9] = -acpi_checksum(p, len);
}
