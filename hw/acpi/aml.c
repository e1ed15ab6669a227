/* A small AML encoder for numbat's DSDT: name strings, integers, containers with PkgLength, resources. */
#include "hw/acpi/aml.h"
#include "hw/acpi/table.h"

#include <string.h>

enum {
    AML_ZERO = 0x00, AML_ONE = 0x01, AML_ONES = 0xff, AML_NAME = 0x08,
    AML_BYTE = 0x0a, AML_WORD = 0x0b, AML_DWORD = 0x0c, AML_STRING = 0x0d, AML_QWORD = 0x0e,
    AML_SCOPE = 0x10, AML_BUFFER = 0x11, AML_PACKAGE = 0x12, AML_METHOD = 0x14,
    AML_RETURN = 0xa4, AML_EXT = 0x5b, AML_EXT_DEVICE = 0x82,
    AML_DUAL_NAME = 0x2e, AML_MULTI_NAME = 0x2f, AML_ROOT = 0x5c, AML_PARENT = 0x5e,
};

void aml_append(Aml *parent, Aml *child)
{
    g_byte_array_append(parent, child->data, child->len);
    g_byte_array_unref(child);
}

static Aml *aml_new(void)
{
    return g_byte_array_new();
}

/* One 4-character name segment, padded with '_' as the AML grammar requires. */
static void append_seg(Aml *a, const char *seg, size_t len)
{
    g_assert(len >= 1 && len <= 4);
    for (size_t i = 0; i < 4; i++) {
        acpi_append_u8(a, i < len ? (uint8_t)seg[i] : '_');
    }
}

Aml *aml_name_string(const char *path)
{
    Aml *a = aml_new();
    while (*path == '\\' || *path == '^') {
        acpi_append_u8(a, *path == '\\' ? AML_ROOT : AML_PARENT);
        path++;
    }
    g_auto(GStrv) segs = g_strsplit(path, ".", -1);
    guint n = g_strv_length(segs);
    if (n == 0 || (n == 1 && !segs[0][0])) {
        acpi_append_u8(a, 0);   /* NullName */
        return a;
    }
    if (n == 2) {
        acpi_append_u8(a, AML_DUAL_NAME);
    } else if (n > 2) {
        acpi_append_u8(a, AML_MULTI_NAME);
        acpi_append_u8(a, n);
    }
    for (guint i = 0; i < n; i++) {
        append_seg(a, segs[i], strlen(segs[i]));
    }
    return a;
}

Aml *aml_int(uint64_t v)
{
    Aml *a = aml_new();
    if (v == 0 || v == 1) {
        acpi_append_u8(a, v ? AML_ONE : AML_ZERO);
    } else if (v == UINT64_MAX) {
        acpi_append_u8(a, AML_ONES);
    } else if (v <= 0xff) {
        acpi_append_u8(a, AML_BYTE);
        acpi_append_u8(a, v);
    } else if (v <= 0xffff) {
        acpi_append_u8(a, AML_WORD);
        acpi_append_u16(a, v);
    } else if (v <= 0xffffffff) {
        acpi_append_u8(a, AML_DWORD);
        acpi_append_u32(a, v);
    } else {
        acpi_append_u8(a, AML_QWORD);
        acpi_append_u64(a, v);
    }
    return a;
}

Aml *aml_string(const char *s)
{
    Aml *a = aml_new();
    acpi_append_u8(a, AML_STRING);
    g_byte_array_append(a, (const guint8 *)s, strlen(s) + 1);
    return a;
}

Aml *aml_eisaid(const char *id)
{
    g_assert(strlen(id) == 7);
    uint32_t v = ((id[0] - '@') & 0x1f) << 26 | ((id[1] - '@') & 0x1f) << 21 |
                 ((id[2] - '@') & 0x1f) << 16 |
                 (uint32_t)g_ascii_strtoull(id + 3, NULL, 16);
    /* EISA IDs are stored big-endian inside a little-endian DWord */
    Aml *a = aml_new();
    acpi_append_u8(a, AML_DWORD);
    acpi_append_u32(a, GUINT32_SWAP_LE_BE(v));
    return a;
}

Aml *aml_name_decl(const char *name, Aml *value)
{
    Aml *a = aml_new();
    acpi_append_u8(a, AML_NAME);
    aml_append(a, aml_name_string(name));
    aml_append(a, value);
    return a;
}

static AmlContainer *container(uint8_t op0, int op1, Aml *after_len)
{
    AmlContainer *c = g_new0(AmlContainer, 1);
    c->op[0] = op0;
    c->op_len = 1;
    if (op1 >= 0) {
        c->op[1] = op1;
        c->op_len = 2;
    }
    c->after_len = after_len ? after_len : aml_new();
    c->body = aml_new();
    return c;
}

AmlContainer *aml_scope(const char *path)
{
    return container(AML_SCOPE, -1, aml_name_string(path));
}

AmlContainer *aml_device(const char *name)
{
    return container(AML_EXT, AML_EXT_DEVICE, aml_name_string(name));
}

AmlContainer *aml_package(uint8_t num_elements)
{
    Aml *n = aml_new();
    acpi_append_u8(n, num_elements);
    return container(AML_PACKAGE, -1, n);
}

AmlContainer *aml_method(const char *name, uint8_t nargs, bool serialized)
{
    Aml *n = aml_name_string(name);
    acpi_append_u8(n, (nargs & 7) | (serialized ? 1 << 3 : 0));
    return container(AML_METHOD, -1, n);
}

/* PkgLength counts itself: 1 byte up to 63, else 2-4 bytes with a 4-bit low nibble. */
static void append_pkg_length(Aml *a, guint content_len)
{
    guint total;
    int extra;
    for (extra = 0; extra < 4; extra++) {
        total = content_len + 1 + extra;
        if ((extra == 0 && total < 0x40) || (extra > 0 && total < (1u << (4 + 8 * extra)))) {
            break;
        }
    }
    g_assert(extra < 4);
    if (extra == 0) {
        acpi_append_u8(a, total);
        return;
    }
    acpi_append_u8(a, extra << 6 | (total & 0xf));
    for (int i = 0; i < extra; i++) {
        acpi_append_u8(a, total >> (4 + 8 * i));
    }
}

Aml *aml_close(AmlContainer *c)
{
    Aml *a = aml_new();
    g_byte_array_append(a, c->op, c->op_len);
    append_pkg_length(a, c->after_len->len + c->body->len);
    aml_append(a, c->after_len);
    aml_append(a, c->body);
    g_free(c);
    return a;
}

Aml *aml_return(Aml *value)
{
    Aml *a = aml_new();
    acpi_append_u8(a, AML_RETURN);
    aml_append(a, value);
    return a;
}

Aml *aml_resource_template(Aml *descriptors)
{
    acpi_append_u8(descriptors, 0x79);   /* End Tag */
    acpi_append_u8(descriptors, 0);      /* checksum 0: "treat as correct" */
    AmlContainer *c = container(AML_BUFFER, -1, aml_int(descriptors->len));
    aml_append(c->body, descriptors);
    return aml_close(c);
}

Aml *aml_io(uint16_t min, uint16_t max, uint8_t align, uint8_t len)
{
    Aml *a = aml_new();
    acpi_append_u8(a, 0x47);             /* small item: I/O port, 7 bytes */
    acpi_append_u8(a, 1);                /* 16-bit decode */
    acpi_append_u16(a, min);
    acpi_append_u16(a, max);
    acpi_append_u8(a, align);
    acpi_append_u8(a, len);
    return a;
}

Aml *aml_irq_no_flags(uint8_t irq)
{
    Aml *a = aml_new();
    acpi_append_u8(a, 0x22);             /* small item: IRQ, 2 bytes */
    acpi_append_u16(a, 1u << irq);
    return a;
}

Aml *aml_memory32_fixed(uint32_t base, uint32_t len, bool rw)
{
    Aml *a = aml_new();
    acpi_append_u8(a, 0x86);             /* large item: 32-bit fixed memory range */
    acpi_append_u16(a, 9);
    acpi_append_u8(a, rw ? 1 : 0);
    acpi_append_u32(a, base);
    acpi_append_u32(a, len);
    return a;
}

/*
 * Address space descriptors (large items 0x88 Word, 0x87 DWord, 0x8A QWord): what a bridge
 * produces for its children.  numbat writes only fixed ranges: producer, positive decode,
 * _MIF and _MAF set, granularity and translation 0, length = max - min + 1.
 */
enum {
    AML_ADDR_MEMORY = 0, AML_ADDR_IO = 1, AML_ADDR_BUS = 2,
    AML_ADDR_MIN_FIXED = 1 << 2, AML_ADDR_MAX_FIXED = 1 << 3,
    AML_IO_ENTIRE_RANGE = 3,
};

static void append_le(Aml *a, uint64_t v, unsigned width)
{
    for (unsigned i = 0; i < width; i++) {
        acpi_append_u8(a, (uint8_t)(v >> (8 * i)));
    }
}

static Aml *address_space(uint8_t tag, unsigned width, uint8_t type, uint8_t type_flags,
                          uint64_t min, uint64_t max)
{
    uint64_t limit = width == 8 ? UINT64_MAX : (1ull << (8 * width)) - 1;
    Aml *a = aml_new();

    /* the length field must hold max - min + 1: a range covering the whole width cannot */
    g_assert(min <= max && max <= limit && max - min < limit);
    acpi_append_u8(a, tag);
    acpi_append_u16(a, 3 + 5 * width);          /* type, flags, type flags, five fields */
    acpi_append_u8(a, type);
    acpi_append_u8(a, AML_ADDR_MIN_FIXED | AML_ADDR_MAX_FIXED);
    acpi_append_u8(a, type_flags);
    append_le(a, 0, width);                     /* granularity */
    append_le(a, min, width);
    append_le(a, max, width);
    append_le(a, 0, width);                     /* translation offset */
    append_le(a, max - min + 1, width);
    return a;
}

Aml *aml_word_bus_number(uint16_t min, uint16_t max)
{
    return address_space(0x88, 2, AML_ADDR_BUS, 0, min, max);
}

Aml *aml_word_io(uint16_t min, uint16_t max)
{
    return address_space(0x88, 2, AML_ADDR_IO, AML_IO_ENTIRE_RANGE, min, max);
}

/* Memory type flags: bit 0 read-write, bits 2:1 caching (AmlCacheable). */
static uint8_t memory_flags(AmlCacheable cache, bool rw)
{
    return (uint8_t)((cache & 3) << 1 | (rw ? 1 : 0));
}

Aml *aml_dword_memory(AmlCacheable cache, bool rw, uint32_t min, uint32_t max)
{
    return address_space(0x87, 4, AML_ADDR_MEMORY, memory_flags(cache, rw), min, max);
}

Aml *aml_qword_memory(AmlCacheable cache, bool rw, uint64_t min, uint64_t max)
{
    return address_space(0x8a, 8, AML_ADDR_MEMORY, memory_flags(cache, rw), min, max);
}
