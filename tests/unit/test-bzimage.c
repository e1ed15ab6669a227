/* Tests of hw/i386/bzimage.c: synthetic bzImages (tiny PVH ELF, compressed with LZ4/gzip/xz/zstd) good and bad. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <lz4.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "hw/i386/bzimage.h"
#include "hw/i386/pvh.h"

#define ELF_ENTRY  0x100020u
#define ELF_LOAD   0x100000u

static void put16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static void put64(uint8_t *p, uint64_t v) { put32(p, v); put32(p + 4, v >> 32); }

/* A 0x220-byte ELF64: one PT_LOAD of 16 bytes (memsz 32) and a PT_NOTE with the PVH entry. */
static GByteArray *tiny_elf(void)
{
    GByteArray *a = g_byte_array_new();
    g_byte_array_set_size(a, 0x220);
    uint8_t *d = a->data;
    memset(d, 0, a->len);
    memcpy(d, "\x7f" "ELF\x02\x01\x01", 7);
    put16(d + 16, 2);                 /* ET_EXEC */
    put16(d + 18, 62);                /* EM_X86_64 */
    put32(d + 20, 1);
    put64(d + 32, 64);                /* phoff */
    put16(d + 52, 64);
    put16(d + 54, 56);
    put16(d + 56, 2);
    uint8_t *ph = d + 64;
    put32(ph, 1);                     /* PT_LOAD */
    put64(ph + 8, 0x100);
    put64(ph + 16, ELF_LOAD);
    put64(ph + 24, ELF_LOAD);
    put64(ph + 32, 16);
    put64(ph + 40, 32);
    memset(d + 0x100, 0x90, 16);
    ph += 56;
    put32(ph, 4);                     /* PT_NOTE */
    put64(ph + 8, 0x200);
    put64(ph + 32, 20);
    put32(d + 0x200, 4);
    put32(d + 0x204, 4);
    put32(d + 0x208, XEN_ELFNOTE_PHYS32_ENTRY);
    memcpy(d + 0x20c, "Xen", 4);
    put32(d + 0x210, ELF_ENTRY);
    return a;
}

/* LZ4 legacy frames as the kernel build writes them: magic, blocks, LE32 size trailer.
 * split: cut the input into two blocks at that offset (0: one block). */
static GByteArray *lz4_legacy(const uint8_t *in, size_t len, size_t split)
{
    GByteArray *a = g_byte_array_new();
    uint8_t word[4];
    size_t cuts[2] = { split ? split : len, len };

    put32(word, 0x184c2102);
    g_byte_array_append(a, word, 4);
    for (size_t i = 0, from = 0; i < 2 && from < len; from = cuts[i++]) {
        int bound = LZ4_compressBound(cuts[i] - from);
        g_autofree char *buf = g_malloc(bound);
        int n = LZ4_compress_default((const char *)in + from, buf, cuts[i] - from, bound);
        g_assert_cmpint(n, >, 0);
        put32(word, n);
        g_byte_array_append(a, word, 4);
        g_byte_array_append(a, (uint8_t *)buf, n);
    }
    put32(word, len);
    g_byte_array_append(a, word, 4);
    return a;
}

static GByteArray *gzip_of(const uint8_t *in, size_t len)
{
    GByteArray *a = g_byte_array_new();
    z_stream zs = { 0 };
    g_assert_cmpint(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                    ==, Z_OK);
    g_byte_array_set_size(a, deflateBound(&zs, len) + 32);
    zs.next_in = (Bytef *)in;
    zs.avail_in = len;
    zs.next_out = a->data;
    zs.avail_out = a->len;
    g_assert_cmpint(deflate(&zs, Z_FINISH), ==, Z_STREAM_END);
    g_byte_array_set_size(a, zs.total_out);
    deflateEnd(&zs);
    return a;
}

static GByteArray *xz_of(const uint8_t *in, size_t len)
{
    GByteArray *a = g_byte_array_new();
    size_t pos = 0;
    g_byte_array_set_size(a, len + 1024);
    g_assert_cmpint(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, len, a->data, &pos,
                                            a->len), ==, LZMA_OK);
    g_byte_array_set_size(a, pos);
    return a;
}

static GByteArray *zstd_of(const uint8_t *in, size_t len)
{
    GByteArray *a = g_byte_array_new();
    g_byte_array_set_size(a, ZSTD_compressBound(len));
    size_t n = ZSTD_compress(a->data, a->len, in, len, 3);
    g_assert_false(ZSTD_isError(n));
    g_byte_array_set_size(a, n);
    return a;
}

/* A minimal bzImage: one setup sector (so the protected-mode code starts at 1024), the
 * payload 0x10 bytes into it, syssize covering it all. */
static GByteArray *bzimage_of(const GByteArray *payload, uint16_t version)
{
    GByteArray *a = g_byte_array_new();
    size_t pm = 1024, total = pm + ((0x10 + payload->len + 15) & ~(size_t)15);
    g_byte_array_set_size(a, total);
    memset(a->data, 0, total);
    a->data[BZ_SETUP_SECTS] = 1;
    put32(a->data + BZ_SYSSIZE, (total - pm) / 16);
    put16(a->data + BZ_BOOT_FLAG, 0xaa55);
    put32(a->data + BZ_HEADER, BZ_HDRS_MAGIC);
    put16(a->data + BZ_VERSION, version);
    put32(a->data + BZ_PAYLOAD_OFFSET, 0x10);
    put32(a->data + BZ_PAYLOAD_LENGTH, payload->len);
    memcpy(a->data + pm + 0x10, payload->data, payload->len);
    return a;
}

/* Extract and check that the tiny ELF comes back byte for byte, with its PVH entry. */
static void check_roundtrip(GByteArray *payload)
{
    g_autoptr(GByteArray) elf = tiny_elf();
    g_autoptr(GByteArray) bz = bzimage_of(payload, 0x020f);
    g_autoptr(GError) err = NULL;
    size_t n = 0;
    g_autofree uint8_t *out = bzimage_extract(bz->data, bz->len, &n, &err);

    g_assert_no_error(err);
    g_assert_nonnull(out);
    g_assert_cmpmem(out, n, elf->data, elf->len);
    PvhKernel k = { 0 };
    g_assert_true(pvh_elf_parse(&k, out, n, &err));
    g_assert_cmphex(k.entry, ==, ELF_ENTRY);
    g_array_free(k.segs, TRUE);
    g_byte_array_free(payload, TRUE);
}

static void test_lz4(void)
{
    g_autoptr(GByteArray) elf = tiny_elf();
    check_roundtrip(lz4_legacy(elf->data, elf->len, 0));
    check_roundtrip(lz4_legacy(elf->data, elf->len, 0x100));   /* two blocks */
}

static void test_other_formats(void)
{
    g_autoptr(GByteArray) elf = tiny_elf();
    check_roundtrip(gzip_of(elf->data, elf->len));
    check_roundtrip(xz_of(elf->data, elf->len));
    check_roundtrip(zstd_of(elf->data, elf->len));
    g_assert_cmpint(bzimage_payload_format(elf->data, elf->len), ==, BZ_FORMAT_UNCOMPRESSED);
}

/* bzimage_extract must fail on bz with a message containing want. */
static void expect_error(const GByteArray *bz, size_t size, const char *want)
{
    g_autoptr(GError) err = NULL;
    size_t n = 0;
    uint8_t *out = bzimage_extract(bz->data, size, &n, &err);

    g_assert_null(out);
    g_assert_nonnull(err);
    if (!strstr(err->message, want)) {
        g_test_message("got '%s', wanted '%s'", err->message, want);
        g_test_fail();
    }
}

static void test_bad_header(void)
{
    g_autoptr(GByteArray) elf = tiny_elf();
    g_autoptr(GByteArray) lz = lz4_legacy(elf->data, elf->len, 0);
    g_autoptr(GByteArray) bz = bzimage_of(lz, 0x020f);
    g_autoptr(GByteArray) old = bzimage_of(lz, 0x0206);

    expect_error(elf, elf->len, "not a bzImage");
    expect_error(bz, 0x210, "truncated bzImage");
    expect_error(bz, bz->len - 16, "truncated bzImage");
    expect_error(old, old->len, "boot protocol 2.06 is too old");
    put32(bz->data + BZ_SYSSIZE, 1);                 /* syssize fine, payload outside */
    put32(bz->data + BZ_PAYLOAD_LENGTH, bz->len);
    expect_error(bz, bz->len, "payload at 0x410");
    put32(bz->data + BZ_PAYLOAD_LENGTH, 0);
    expect_error(bz, bz->len, "outside the file");
}

static void test_bad_payload(void)
{
    g_autoptr(GByteArray) elf = tiny_elf();
    g_autoptr(GByteArray) lz = lz4_legacy(elf->data, elf->len, 0);
    g_autoptr(GByteArray) gz = gzip_of(elf->data, elf->len);
    g_autoptr(GByteArray) xz = xz_of(elf->data, elf->len);
    g_autoptr(GByteArray) zs = zstd_of(elf->data, elf->len);
    g_autoptr(GByteArray) text = lz4_legacy((const uint8_t *)"not an elf", 10, 0);
    GByteArray *p;

    p = g_byte_array_sized_new(16);                  /* unknown magic */
    g_byte_array_append(p, (const uint8_t *)"BZh91AY&SY\0\0\0\0\0\0", 16);
    g_autoptr(GByteArray) bz_unknown = bzimage_of(p, 0x020f);
    expect_error(bz_unknown, bz_unknown->len, "unsupported payload compression (magic 42 5a");
    g_byte_array_free(p, TRUE);

    g_byte_array_set_size(lz, lz->len - 10);         /* block cut short */
    g_autoptr(GByteArray) bz_lzcut = bzimage_of(lz, 0x020f);
    expect_error(bz_lzcut, bz_lzcut->len, "truncated LZ4 payload");

    memset(lz->data + 8, 0xff, lz->len - 8);         /* garbage block of the right size */
    put32(lz->data + 4, lz->len - 8);
    g_autoptr(GByteArray) bz_lzbad = bzimage_of(lz, 0x020f);
    expect_error(bz_lzbad, bz_lzbad->len, "corrupt LZ4 payload");

    g_byte_array_set_size(gz, gz->len / 2);
    g_autoptr(GByteArray) bz_gz = bzimage_of(gz, 0x020f);
    expect_error(bz_gz, bz_gz->len, "gzip payload");
    g_byte_array_set_size(xz, xz->len / 2);
    g_autoptr(GByteArray) bz_xz = bzimage_of(xz, 0x020f);
    expect_error(bz_xz, bz_xz->len, "xz payload");
    g_byte_array_set_size(zs, zs->len / 2);
    g_autoptr(GByteArray) bz_zs = bzimage_of(zs, 0x020f);
    expect_error(bz_zs, bz_zs->len, "zstd payload");

    g_autoptr(GByteArray) bz_text = bzimage_of(text, 0x020f);
    expect_error(bz_text, bz_text->len, "LZ4 payload does not unpack to an ELF vmlinux");
}

/* The PVH loader takes a bzImage file directly, and says which file failed. */
static void test_pvh_open(void)
{
    g_autoptr(GByteArray) elf = tiny_elf();
    g_autoptr(GByteArray) lz = lz4_legacy(elf->data, elf->len, 0);
    g_autoptr(GByteArray) bz = bzimage_of(lz, 0x020f);
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("test-bzimage-XXXXXX", NULL);
    g_autofree char *good = g_build_filename(dir, "vmlinuz", NULL);
    g_autofree char *bad = g_build_filename(dir, "vmlinuz-cut", NULL);

    g_assert_true(g_file_set_contents(good, (char *)bz->data, bz->len, NULL));
    g_assert_true(g_file_set_contents(bad, (char *)bz->data, 0x300, NULL));
    PvhKernel *k = pvh_kernel_open(good, &err);
    g_assert_no_error(err);
    g_assert_cmphex(k->entry, ==, ELF_ENTRY);
    g_assert_cmpuint(k->segs->len, ==, 1);
    g_assert_cmphex(g_array_index(k->segs, PvhSegment, 0).paddr, ==, ELF_LOAD);
    pvh_kernel_free(k);
    g_assert_null(pvh_kernel_open(bad, &err));
    g_autofree char *want = g_strdup_printf("could not load kernel '%s': truncated bzImage", bad);
    g_assert_nonnull(err);
    g_assert_true(g_str_has_prefix(err->message, want));
    g_unlink(good);
    g_unlink(bad);
    g_rmdir(dir);
}

/* -initrd: top of the highest RAM below 4 GiB, described in the start info; errors when it
 * cannot fit above the kernel. */
static void test_initrd(void)
{
    enum { RAM = 16 << 20, SIZE = 10000 };
    g_autoptr(GByteArray) elf = tiny_elf();
    g_autofree uint8_t *ram = g_malloc0(RAM);
    g_autofree uint8_t *initrd = g_malloc(SIZE);
    g_autoptr(GError) err = NULL;
    MemoryRegion mr;
    PvhKernel k = { 0 };
    X86EntryState e;
    const PvhMemmapEntry mm[] = {
        { 0, 0xa0000, 1 }, { 0xe0000, 0x20000, 2 }, { 0x100000, RAM - 0x100000, 1 },
    };
    uint64_t at = 0;

    memset(initrd, 0x5a, SIZE);
    memory_region_init_ram_ptr(&mr, "ram", RAM, ram);
    FlatView *fv = flatview_new(&mr);
    g_assert_true(pvh_elf_parse(&k, elf->data, elf->len, &err));
    k.data = elf->data;
    g_assert_true(pvh_load(&k, fv, "x", 0, mm, 3, &e, &err));
    g_assert_true(pvh_load_initrd(&k, fv, initrd, SIZE, mm, 3, &at, &err));
    g_assert_no_error(err);
    g_assert_cmphex(at, ==, (RAM - SIZE) & ~0xfff);
    g_assert_cmpmem(ram + at, SIZE, initrd, SIZE);
    g_assert_cmpuint(ram[PVH_START_INFO_ADDR + 12], ==, 1);                 /* nr_modules */
    g_assert_cmphex(*(uint32_t *)(ram + PVH_START_INFO_ADDR + 16), ==, PVH_MODLIST_ADDR);
    g_assert_cmphex(*(uint64_t *)(ram + PVH_MODLIST_ADDR), ==, at);
    g_assert_cmpuint(*(uint64_t *)(ram + PVH_MODLIST_ADDR + 8), ==, SIZE);

    g_assert_false(pvh_load_initrd(&k, fv, initrd, RAM, mm, 3, NULL, &err));
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(err->message, "does not fit in RAM below 4 GiB"));
    g_clear_error(&err);
    g_assert_false(pvh_load_initrd(&k, fv, initrd, SIZE, mm, 1, NULL, &err));  /* low RAM only */
    g_assert_nonnull(err);
    flatview_free(fv);
    memory_region_destroy(&mr);
    g_array_free(k.segs, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/bzimage/lz4", test_lz4);
    g_test_add_func("/bzimage/gzip-xz-zstd", test_other_formats);
    g_test_add_func("/bzimage/bad-header", test_bad_header);
    g_test_add_func("/bzimage/bad-payload", test_bad_payload);
    g_test_add_func("/bzimage/pvh-open", test_pvh_open);
    g_test_add_func("/bzimage/initrd", test_initrd);
    return g_test_run();
}
