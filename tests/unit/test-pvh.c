/* Unit tests for hw/i386/pvh.c: ELF/PVH-note parsing of images built here as bytes, loading and the start info. */
#include <string.h>
#include <glib/gstdio.h>
#include "hw/i386/pvh.h"

/* ---- a tiny ELF writer: header, program headers, a payload, a note ---- */

static void put16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static void put64(uint8_t *p, uint64_t v) { put32(p, v); put32(p + 4, v >> 32); }
static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t get64(const uint8_t *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }

#define IMG_SIZE     0x400
#define PH_OFF       0x40
#define LOAD_OFF     0x100
#define NOTE_OFF     0x200
#define LOAD_PADDR   0x100000u
#define LOAD_FILESZ  16u
#define LOAD_MEMSZ   0x2000u
#define ENTRY        0x100004u

typedef struct Image {
    uint8_t b[IMG_SIZE];
    bool is64;
} Image;

/* Program header i: type, file offset, paddr, file size, memory size. */
static void set_phdr(Image *im, unsigned i, uint32_t type, uint64_t off, uint64_t paddr,
                     uint64_t filesz, uint64_t memsz)
{
    if (im->is64) {
        uint8_t *p = im->b + PH_OFF + 56 * i;
        put32(p, type);
        put32(p + 4, 5);                 /* R|X */
        put64(p + 8, off);
        put64(p + 16, paddr + 0xffffffff80000000ull);   /* vaddr: must not be used */
        put64(p + 24, paddr);
        put64(p + 32, filesz);
        put64(p + 40, memsz);
        put64(p + 48, 0x1000);
    } else {
        uint8_t *p = im->b + PH_OFF + 32 * i;
        put32(p, type);
        put32(p + 4, off);
        put32(p + 8, paddr + 0xc0000000u);
        put32(p + 12, paddr);
        put32(p + 16, filesz);
        put32(p + 20, memsz);
        put32(p + 24, 5);
        put32(p + 28, 0x1000);
    }
}

/* A Xen note at off: name "Xen", type, a 4- or 8-byte (or odd-sized) descriptor. */
static unsigned put_note(uint8_t *p, const char *name, uint32_t type, uint64_t desc,
                         unsigned descsz)
{
    unsigned namesz = strlen(name) + 1;
    put32(p, namesz);
    put32(p + 4, descsz);
    put32(p + 8, type);
    memcpy(p + 12, name, namesz);
    unsigned d = 12 + ((namesz + 3) & ~3u);
    for (unsigned i = 0; i < descsz && i < 8; i++) {
        p[d + i] = desc >> (8 * i);
    }
    return d + ((descsz + 3) & ~3u);
}

/* A good PVH image: one PT_LOAD (16 bytes of code + bss) and a PT_NOTE with an unrelated
 * note before the PHYS32_ENTRY one. */
static void make_image(Image *im, bool is64)
{
    memset(im, 0, sizeof(*im));
    im->is64 = is64;
    uint8_t *h = im->b;
    memcpy(h, "\x7f" "ELF", 4);
    h[4] = is64 ? 2 : 1;
    h[5] = 1;                            /* little-endian */
    h[6] = 1;
    put16(h + 16, 2);                    /* ET_EXEC */
    put16(h + 18, is64 ? 62 : 3);
    put32(h + 20, 1);
    if (is64) {
        put64(h + 24, 0xffffffff81000000ull);   /* e_entry: the 64-bit one, not PVH's */
        put64(h + 32, PH_OFF);
        put16(h + 52, 64);
        put16(h + 54, 56);
        put16(h + 56, 2);
    } else {
        put32(h + 24, 0xc1000000u);
        put32(h + 28, PH_OFF);
        put16(h + 40, 52);
        put16(h + 42, 32);
        put16(h + 44, 2);
    }
    for (unsigned i = 0; i < LOAD_FILESZ; i++) {
        im->b[LOAD_OFF + i] = 0xc0 + i;
    }
    unsigned n = put_note(im->b + NOTE_OFF, "GNU", 3, 0x1234, 8);
    n += put_note(im->b + NOTE_OFF + n, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, ENTRY, 4);
    set_phdr(im, 0, 1, LOAD_OFF, LOAD_PADDR, LOAD_FILESZ, LOAD_MEMSZ);
    set_phdr(im, 1, 4, NOTE_OFF, 0, n, n);
}

/* Parse bytes; returns the error text ("" on success); k is freed unless kout. */
static char *parse(const uint8_t *b, size_t size, PvhKernel **kout)
{
    PvhKernel *k = g_new0(PvhKernel, 1);
    GError *err = NULL;
    char *msg;

    if (pvh_elf_parse(k, b, size, &err)) {
        g_assert_no_error(err);
        msg = g_strdup("");
    } else {
        g_assert_nonnull(err);
        msg = g_strdup(err->message);
        g_error_free(err);
    }
    if (kout) {
        k->data = g_memdup2(b, size);
        k->size = size;
        *kout = k;
    } else {
        pvh_kernel_free(k);
    }
    return msg;
}

#define ASSERT_PARSE_ERR(b, size, text) do { \
        g_autofree char *m_ = parse((b), (size), NULL); \
        g_assert_cmpstr(m_, ==, (text)); \
    } while (0)

static void test_parse_good(void)
{
    for (int is64 = 0; is64 <= 1; is64++) {
        Image im;
        PvhKernel *k = NULL;
        make_image(&im, is64);
        g_autofree char *m = parse(im.b, sizeof(im.b), &k);
        g_assert_cmpstr(m, ==, "");
        g_assert_cmpint(k->is64, ==, is64);
        g_assert_cmphex(k->entry, ==, ENTRY);
        g_assert_cmpuint(k->segs->len, ==, 1);
        PvhSegment *s = &g_array_index(k->segs, PvhSegment, 0);
        g_assert_cmphex(s->paddr, ==, LOAD_PADDR);      /* p_paddr, not p_vaddr */
        g_assert_cmphex(s->offset, ==, LOAD_OFF);
        g_assert_cmphex(s->filesz, ==, LOAD_FILESZ);
        g_assert_cmphex(s->memsz, ==, LOAD_MEMSZ);
        pvh_kernel_free(k);
    }
    /* an 8-byte entry descriptor is accepted too */
    Image im;
    make_image(&im, true);
    unsigned n = put_note(im.b + NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, 0x200000, 8);
    set_phdr(&im, 1, 4, NOTE_OFF, 0, n, n);
    PvhKernel *k = NULL;
    g_autofree char *m = parse(im.b, sizeof(im.b), &k);
    g_assert_cmpstr(m, ==, "");
    g_assert_cmphex(k->entry, ==, 0x200000);
    pvh_kernel_free(k);
}

static void test_parse_not_elf(void)
{
    uint8_t junk[0x300] = "MZ this is not an ELF file";
    ASSERT_PARSE_ERR(junk, sizeof(junk), "not an ELF file");
    ASSERT_PARSE_ERR(junk, 0, "not an ELF file");
    ASSERT_PARSE_ERR((const uint8_t *)"\x7f" "EL", 3, "not an ELF file");
    /* a bzImage (setup header magic "HdrS" at 0x202) gets its own message */
    memcpy(junk + 0x202, "HdrS", 4);
    ASSERT_PARSE_ERR(junk, sizeof(junk),
                     "bzImage kernels are not supported yet (use an ELF kernel with a PVH note)");
}

static void test_parse_bad_header(void)
{
    Image im;
    make_image(&im, true);
    ASSERT_PARSE_ERR(im.b, 4, "truncated ELF file: 4 bytes, shorter than its header");
    ASSERT_PARSE_ERR(im.b, 51, "truncated ELF file: 51 bytes, shorter than its header");
    ASSERT_PARSE_ERR(im.b, 63, "truncated ELF file: 63 bytes, shorter than its header");
    make_image(&im, false);
    ASSERT_PARSE_ERR(im.b, 51, "truncated ELF file: 51 bytes, shorter than its header");

    make_image(&im, true);
    im.b[4] = 3;
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), "unknown ELF class 3");
    make_image(&im, true);
    im.b[5] = 2;
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), "not a little-endian ELF file");
    make_image(&im, true);
    put16(im.b + 18, 183);               /* aarch64 */
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), "ELF machine 183 is not x86");
    make_image(&im, true);
    put16(im.b + 54, 32);                /* an ELF32-sized phdr in an ELF64 file */
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), "bad ELF program header size 32");
    /* program headers running past the end of the file */
    make_image(&im, true);
    ASSERT_PARSE_ERR(im.b, PH_OFF + 56 + 10,
                     "truncated ELF file: program headers past the end (130 bytes)");
    make_image(&im, true);
    put64(im.b + 32, 0xffffffffffffffc0ull);   /* e_phoff near 2^64: no overflow */
    ASSERT_PARSE_ERR(im.b, sizeof(im.b),
                     "truncated ELF file: program headers past the end (1024 bytes)");
    make_image(&im, false);
    put16(im.b + 44, 0xffff);
    ASSERT_PARSE_ERR(im.b, sizeof(im.b),
                     "truncated ELF file: program headers past the end (1024 bytes)");
}

static void test_parse_bad_segments(void)
{
    Image im;
    /* segment data past the end of the file */
    make_image(&im, true);
    set_phdr(&im, 0, 1, 0x3f8, LOAD_PADDR, 0x10, 0x10);
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), "truncated ELF file: segment data at 0x3f8+0x10 "
                     "past the end (1024 bytes)");
    make_image(&im, false);
    set_phdr(&im, 0, 1, 0xfffffff0u, LOAD_PADDR, 0x20, 0x20);
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), "truncated ELF file: segment data at 0xfffffff0+0x20 "
                     "past the end (1024 bytes)");
    /* memsz < filesz, and an address range wrapping around */
    make_image(&im, true);
    set_phdr(&im, 0, 1, LOAD_OFF, LOAD_PADDR, 0x10, 0x8);
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), "bad PT_LOAD segment at 0x100000 (file size 0x10, "
                     "memory size 0x8)");
    make_image(&im, true);
    set_phdr(&im, 0, 1, LOAD_OFF, 0xfffffffffffff000ull, 0x10, 0x2000);
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), "bad PT_LOAD segment at 0xfffffffffffff000 (file size "
                     "0x10, memory size 0x2000)");
    /* only empty PT_LOADs */
    make_image(&im, true);
    set_phdr(&im, 0, 1, LOAD_OFF, LOAD_PADDR, 0, 0);
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), "no PT_LOAD segment to load");
    /* a segment of another type is not loaded (PT_DYNAMIC = 2) */
    make_image(&im, true);
    set_phdr(&im, 0, 2, 0x3f8, LOAD_PADDR, 0x100, 0x100);
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), "no PT_LOAD segment to load");
}

static void test_parse_notes(void)
{
    static const char *missing =
        "no PVH entry point: no XEN_ELFNOTE_PHYS32_ENTRY note in a PT_NOTE segment";
    Image im;
    unsigned n;

    /* no PT_NOTE at all */
    make_image(&im, true);
    set_phdr(&im, 1, 6, NOTE_OFF, 0, 0x20, 0x20);   /* PT_PHDR, not a note */
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), missing);
    /* the right type under another name, and "Xen" with another type */
    make_image(&im, true);
    n = put_note(im.b + NOTE_OFF, "Linux", XEN_ELFNOTE_PHYS32_ENTRY, ENTRY, 4);
    n += put_note(im.b + NOTE_OFF + n, "Xen", 17, ENTRY, 4);
    set_phdr(&im, 1, 4, NOTE_OFF, 0, n, n);
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), missing);
    /* a descriptor of the wrong size, and a 64-bit entry above 4 GiB */
    make_image(&im, true);
    n = put_note(im.b + NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, ENTRY, 2);
    set_phdr(&im, 1, 4, NOTE_OFF, 0, n, n);
    ASSERT_PARSE_ERR(im.b, sizeof(im.b),
                     "bad XEN_ELFNOTE_PHYS32_ENTRY note (size 2, entry 0xffffffffffffffff)");
    make_image(&im, true);
    n = put_note(im.b + NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, 0x100000000ull, 8);
    set_phdr(&im, 1, 4, NOTE_OFF, 0, n, n);
    ASSERT_PARSE_ERR(im.b, sizeof(im.b),
                     "bad XEN_ELFNOTE_PHYS32_ENTRY note (size 8, entry 0x100000000)");
    /* a note whose descriptor runs past its segment */
    make_image(&im, true);
    n = put_note(im.b + NOTE_OFF, "GNU", 3, 0, 8);
    n += put_note(im.b + NOTE_OFF + n, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, ENTRY, 4);
    set_phdr(&im, 1, 4, NOTE_OFF, 0, n - 2, n - 2);
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), "truncated ELF note at offset 0x18 of a PT_NOTE segment");
    make_image(&im, true);
    put32(im.b + NOTE_OFF, 0xfffffff0u);          /* absurd namesz: no overflow */
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), "truncated ELF note at offset 0x0 of a PT_NOTE segment");
    /* trailing bytes shorter than a note header are ignored */
    make_image(&im, true);
    n = put_note(im.b + NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, ENTRY, 4);
    set_phdr(&im, 1, 4, NOTE_OFF, 0, n + 8, n + 8);
    ASSERT_PARSE_ERR(im.b, sizeof(im.b), "");
}

static void test_kernel_open(void)
{
    GError *err = NULL;
    g_autofree char *dir = g_dir_make_tmp("numbat-pvh-XXXXXX", NULL);
    g_autofree char *missing = g_build_filename(dir, "missing.elf", NULL);
    g_autofree char *junk = g_build_filename(dir, "junk.bin", NULL);
    g_autofree char *good = g_build_filename(dir, "good.elf", NULL);
    Image im;

    g_assert_null(pvh_kernel_open(missing, &err));
    g_autofree char *want1 = g_strdup_printf("could not open kernel file '%s': No such file or "
                                             "directory", missing);
    g_assert_cmpstr(err->message, ==, want1);
    g_clear_error(&err);
    g_assert_null(pvh_kernel_open(dir, &err));
    g_autofree char *want2 = g_strdup_printf("could not open kernel file '%s': Is a directory",
                                             dir);
    g_assert_cmpstr(err->message, ==, want2);
    g_clear_error(&err);

    g_assert_true(g_file_set_contents(junk, "hello", 5, NULL));
    g_assert_null(pvh_kernel_open(junk, &err));
    g_autofree char *want3 = g_strdup_printf("could not load kernel '%s': not an ELF file", junk);
    g_assert_cmpstr(err->message, ==, want3);
    g_clear_error(&err);

    make_image(&im, true);
    g_assert_true(g_file_set_contents(good, (const char *)im.b, sizeof(im.b), NULL));
    PvhKernel *k = pvh_kernel_open(good, &err);
    g_assert_no_error(err);
    g_assert_nonnull(k);
    g_assert_cmpstr(k->path, ==, good);
    g_assert_cmpuint(k->size, ==, sizeof(im.b));
    g_assert_cmphex(k->entry, ==, ENTRY);
    pvh_kernel_free(k);
    pvh_kernel_free(NULL);
    g_unlink(junk);
    g_unlink(good);
    g_rmdir(dir);
}

/* ---- loading into guest memory ---- */

#define RAM_SIZE (4u << 20)

typedef struct Guest {
    MemoryRegion sys, ram;
    FlatView *fv;
} Guest;

static void guest_init(Guest *g)
{
    GError *err = NULL;
    memory_region_init_container(&g->sys, "system", UINT64_MAX);
    g_assert_true(memory_region_init_ram(&g->ram, "ram", RAM_SIZE, &err));
    memset(g->ram.host, 0xaa, RAM_SIZE);   /* so the zeroed bss is visible */
    memory_region_add_subregion(&g->sys, 0, &g->ram);
    g->fv = flatview_new(&g->sys);
}

static void guest_fini(Guest *g)
{
    flatview_free(g->fv);
    memory_region_destroy(&g->ram);
    memory_region_destroy(&g->sys);
}

static const PvhMemmapEntry memmap[] = {
    { 0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { 0x100000, RAM_SIZE - 0x100000, 1 },
};

/* Load an image (bytes) into g; returns the error text or "". */
static char *load(Guest *g, const Image *im, const char *cmdline, const PvhMemmapEntry *mm,
                  size_t n, X86EntryState *e)
{
    PvhKernel *k = NULL;
    GError *err = NULL;
    g_autofree char *m = parse(im->b, sizeof(im->b), &k);
    g_assert_cmpstr(m, ==, "");
    bool ok = pvh_load(k, g->fv, cmdline, 0xf5a40, mm, n, e, &err);
    pvh_kernel_free(k);
    g_assert_true(ok == (err == NULL));
    char *msg = g_strdup(ok ? "" : err->message);
    g_clear_error(&err);
    return msg;
}

static void test_load_and_start_info(void)
{
    Guest g;
    Image im;
    X86EntryState e;
    const uint8_t *ram;

    guest_init(&g);
    ram = g.ram.host;
    make_image(&im, true);
    g_autofree char *m = load(&g, &im, "console=ttyS0 quiet", memmap, G_N_ELEMENTS(memmap), &e);
    g_assert_cmpstr(m, ==, "");
    /* the segment's bytes at p_paddr, then zeroes up to memsz, untouched after */
    for (unsigned i = 0; i < LOAD_FILESZ; i++) {
        g_assert_cmphex(ram[LOAD_PADDR + i], ==, 0xc0 + i);
    }
    for (unsigned i = LOAD_FILESZ; i < LOAD_MEMSZ; i++) {
        g_assert_cmphex(ram[LOAD_PADDR + i], ==, 0);
    }
    g_assert_cmphex(ram[LOAD_PADDR + LOAD_MEMSZ], ==, 0xaa);

    /* hvm_start_info, version 1 */
    const uint8_t *si = ram + PVH_START_INFO_ADDR;
    g_assert_cmphex(get32(si + 0), ==, HVM_START_MAGIC);
    g_assert_cmpuint(get32(si + 4), ==, 1);
    g_assert_cmphex(get32(si + 8), ==, 0);              /* flags */
    g_assert_cmpuint(get32(si + 12), ==, 0);            /* nr_modules */
    g_assert_cmphex(get64(si + 24), ==, PVH_CMDLINE_ADDR);
    g_assert_cmphex(get64(si + 32), ==, 0xf5a40);       /* rsdp_paddr */
    g_assert_cmphex(get64(si + 40), ==, PVH_MEMMAP_ADDR);
    g_assert_cmpuint(get32(si + 48), ==, G_N_ELEMENTS(memmap));
    g_assert_cmpstr((const char *)ram + PVH_CMDLINE_ADDR, ==, "console=ttyS0 quiet");
    for (unsigned i = 0; i < G_N_ELEMENTS(memmap); i++) {
        const uint8_t *ent = ram + PVH_MEMMAP_ADDR + 24 * i;
        g_assert_cmphex(get64(ent), ==, memmap[i].addr);
        g_assert_cmphex(get64(ent + 8), ==, memmap[i].size);
        g_assert_cmpuint(get32(ent + 16), ==, memmap[i].type);
        g_assert_cmpuint(get32(ent + 20), ==, 0);
    }
    /* the GDT: flat code at 0x10, flat data at 0x18 */
    g_assert_cmphex(get64(ram + PVH_GDT_ADDR + 0x10), ==, 0x00cf9b000000ffffull);
    g_assert_cmphex(get64(ram + PVH_GDT_ADDR + 0x18), ==, 0x00cf93000000ffffull);

    /* the entry state of the PVH ABI */
    g_assert_true(e.valid);
    g_assert_cmphex(e.rip, ==, ENTRY);
    g_assert_cmphex(e.rflags, ==, 0x2);
    g_assert_cmphex(e.cr0, ==, CR0_PE | CR0_ET);
    g_assert_cmphex(e.cr3, ==, 0);
    g_assert_cmphex(e.cr4, ==, 0);
    g_assert_cmphex(e.efer, ==, 0);
    for (int r = 0; r < 16; r++) {
        g_assert_cmphex(e.regs[r], ==, r == R_EBX ? PVH_START_INFO_ADDR : 0);
    }
    g_assert_cmphex(e.segs[R_CS].sel, ==, PVH_CODE_SEL);
    g_assert_true(e.segs[R_CS].flags & DESC_B);
    g_assert_cmphex(e.segs[R_CS].limit, ==, 0xffffffff);
    for (int s = 0; s < X86_NSEGS; s++) {
        if (s != R_CS) {
            g_assert_cmphex(e.segs[s].sel, ==, PVH_DATA_SEL);
            g_assert_cmphex(e.segs[s].base, ==, 0);
        }
    }
    g_assert_cmphex(e.tr.limit, ==, 0x67);
    g_assert_cmphex((e.tr.flags >> DESC_TYPE_SHIFT) & 0xf, ==, 0xb);   /* busy 32-bit TSS */
    g_assert_cmphex(e.gdt.base, ==, PVH_GDT_ADDR);
    g_assert_cmphex(e.gdt.limit, ==, 31);
    guest_fini(&g);
}

/* No command line and no memory map: an empty string and a NULL map address. */
static void test_load_minimal(void)
{
    Guest g;
    Image im;
    X86EntryState e;

    guest_init(&g);
    make_image(&im, false);
    g_autofree char *m = load(&g, &im, NULL, NULL, 0, &e);
    g_assert_cmpstr(m, ==, "");
    const uint8_t *si = g.ram.host + PVH_START_INFO_ADDR;
    g_assert_cmphex(get64(si + 40), ==, 0);
    g_assert_cmpuint(get32(si + 48), ==, 0);
    g_assert_cmpuint(g.ram.host[PVH_CMDLINE_ADDR], ==, 0);
    g_assert_cmphex(e.rip, ==, ENTRY);
    guest_fini(&g);
}

static void test_load_errors(void)
{
    Guest g;
    Image im;
    X86EntryState e;

    guest_init(&g);
    /* a segment outside RAM */
    make_image(&im, true);
    set_phdr(&im, 0, 1, LOAD_OFF, 0x10000000, LOAD_FILESZ, LOAD_MEMSZ);
    g_autofree char *m1 = load(&g, &im, NULL, NULL, 0, &e);
    g_assert_cmpstr(m1, ==, "segment at 0x10000000-0x1000000f is not in guest RAM");
    /* its bss running past the end of RAM */
    make_image(&im, true);
    set_phdr(&im, 0, 1, LOAD_OFF, RAM_SIZE - 0x10, LOAD_FILESZ, 0x1010);
    g_autofree char *m2 = load(&g, &im, NULL, NULL, 0, &e);
    g_assert_cmpstr(m2, ==, "segment at 0x400000-0x400fff is not in guest RAM");
    /* overlapping the loader's own low-memory area, from below and from inside */
    make_image(&im, true);
    set_phdr(&im, 0, 1, LOAD_OFF, 0x5000, LOAD_FILESZ, 0x1001);
    g_autofree char *m3 = load(&g, &im, NULL, NULL, 0, &e);
    g_assert_cmpstr(m3, ==, "segment at 0x5000-0x6000 overlaps the PVH start info at "
                    "0x6000-0x7fff");
    make_image(&im, true);
    set_phdr(&im, 0, 1, LOAD_OFF, 0x7ff0, LOAD_FILESZ, LOAD_FILESZ);
    g_autofree char *m4 = load(&g, &im, NULL, NULL, 0, &e);
    g_assert_cmpstr(m4, ==, "segment at 0x7ff0-0x7fff overlaps the PVH start info at "
                    "0x6000-0x7fff");
    /* just below and just above are fine */
    make_image(&im, true);
    set_phdr(&im, 0, 1, LOAD_OFF, 0x5000, LOAD_FILESZ, 0x1000);
    g_autofree char *m5 = load(&g, &im, NULL, NULL, 0, &e);
    g_assert_cmpstr(m5, ==, "");
    make_image(&im, true);
    set_phdr(&im, 0, 1, LOAD_OFF, 0x8000, LOAD_FILESZ, LOAD_FILESZ);
    g_autofree char *m6 = load(&g, &im, NULL, NULL, 0, &e);
    g_assert_cmpstr(m6, ==, "");

    /* command line and memory map limits */
    make_image(&im, true);
    g_autofree char *longline = g_strnfill(PVH_CMDLINE_MAX, 'x');
    g_autofree char *m7 = load(&g, &im, longline, NULL, 0, &e);
    g_assert_cmpstr(m7, ==, "kernel command line too long (4096 bytes, at most 4095)");
    longline[PVH_CMDLINE_MAX - 1] = 0;
    g_autofree char *m8 = load(&g, &im, longline, NULL, 0, &e);
    g_assert_cmpstr(m8, ==, "");
    g_autofree PvhMemmapEntry *big = g_new0(PvhMemmapEntry, PVH_MEMMAP_MAX + 1);
    g_autofree char *m9 = load(&g, &im, NULL, big, PVH_MEMMAP_MAX + 1, &e);
    g_assert_cmpstr(m9, ==, "too many memory map entries for the PVH start info (129, at most "
                    "128)");
    guest_fini(&g);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pvh/parse/good", test_parse_good);
    g_test_add_func("/pvh/parse/not-elf", test_parse_not_elf);
    g_test_add_func("/pvh/parse/bad-header", test_parse_bad_header);
    g_test_add_func("/pvh/parse/bad-segments", test_parse_bad_segments);
    g_test_add_func("/pvh/parse/notes", test_parse_notes);
    g_test_add_func("/pvh/kernel-open", test_kernel_open);
    g_test_add_func("/pvh/load/start-info", test_load_and_start_info);
    g_test_add_func("/pvh/load/minimal", test_load_minimal);
    g_test_add_func("/pvh/load/errors", test_load_errors);
    return g_test_run();
}
