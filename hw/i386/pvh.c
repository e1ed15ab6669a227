/* PVH boot: parse an ELF kernel, find its XEN_ELFNOTE_PHYS32_ENTRY note, load it and build hvm_start_info. */
#include "hw/i386/pvh.h"

#include <errno.h>
#include "hw/i386/bzimage.h"
#include <string.h>

/*
 * The ELF headers are read by hand, with a bounds check on every field: the job is ~150
 * lines (file header, program headers, notes), and libelf would be a run-time dependency
 * for that alone.  Only the loader's fields are read; all are little-endian on x86.
 */
#define EM_386    3
#define EM_X86_64 62
#define PT_LOAD   1
#define PT_NOTE   4

static uint16_t le16(const uint8_t *p) { return p[0] | p[1] << 8; }
static uint32_t le32(const uint8_t *p) { return le16(p) | (uint32_t)le16(p + 2) << 16; }
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

/* Field readers that follow the ELF class: 32- or 64-bit words. */
static uint64_t word(const PvhKernel *k, const uint8_t *p)
{
    return k->is64 ? le64(p) : le32(p);
}

/* Whether [off, off+len) lies inside the file, without overflowing. */
static bool in_file(size_t size, uint64_t off, uint64_t len)
{
    return off <= size && len <= size - off;
}

static bool check_ident(PvhKernel *k, const uint8_t *d, size_t size, GError **errp)
{
    if (size < 4 || memcmp(d, "\x7f" "ELF", 4) != 0) {
        if (size >= 0x206 && le32(d + 0x202) == 0x53726448) {   /* "HdrS" */
            error_setg(errp, "bzImage kernels are not supported yet "
                       "(use an ELF kernel with a PVH note)");
        } else {
            error_setg(errp, "not an ELF file");
        }
        return false;
    }
    if (size < 52 || (d[4] == 2 && size < 64)) {
        error_setg(errp, "truncated ELF file: %zu bytes, shorter than its header", size);
        return false;
    }
    if (d[4] != 1 && d[4] != 2) {
        error_setg(errp, "unknown ELF class %u", d[4]);
        return false;
    }
    if (d[5] != 1) {
        error_setg(errp, "not a little-endian ELF file");
        return false;
    }
    k->is64 = d[4] == 2;
    uint16_t machine = le16(d + 18);
    if (machine != EM_386 && machine != EM_X86_64) {
        error_setg(errp, "ELF machine %u is not x86", machine);
        return false;
    }
    return true;
}

/* Look through one PT_NOTE segment for the Xen PHYS32_ENTRY note. */
static bool scan_notes(PvhKernel *k, const uint8_t *p, uint64_t len, bool *found,
                       GError **errp)
{
    uint64_t pos = 0;

    while (len - pos >= 12) {
        uint32_t namesz = le32(p + pos), descsz = le32(p + pos + 4), type = le32(p + pos + 8);
        uint64_t name_off = pos + 12;
        uint64_t desc_off = name_off + (((uint64_t)namesz + 3) & ~3ull);
        uint64_t next = desc_off + (((uint64_t)descsz + 3) & ~3ull);
        if (desc_off > len || descsz > len - desc_off) {
            error_setg(errp, "truncated ELF note at offset 0x%llx of a PT_NOTE segment",
                       (unsigned long long)pos);
            return false;
        }
        if (namesz == 4 && !memcmp(p + name_off, "Xen", 4) &&
            type == XEN_ELFNOTE_PHYS32_ENTRY) {
            uint64_t e = descsz == 4 ? le32(p + desc_off) : descsz == 8 ? le64(p + desc_off)
                                                                          : UINT64_MAX;
            if (e > UINT32_MAX) {
                error_setg(errp, "bad XEN_ELFNOTE_PHYS32_ENTRY note (size %u, entry 0x%llx)",
                           descsz, (unsigned long long)e);
                return false;
            }
            k->entry = e;
            *found = true;
        }
        pos = MIN(next, len);
    }
    return true;
}

static bool parse_phdr(PvhKernel *k, const uint8_t *d, size_t size, const uint8_t *ph,
                       bool *found, GError **errp)
{
    uint32_t type = le32(ph);
    /* ELF32: offset, vaddr, paddr, filesz, memsz at 4.. (4 bytes each);
       ELF64: flags at 4, then offset, vaddr, paddr, filesz, memsz (8 bytes each). */
    const uint8_t *f = k->is64 ? ph + 8 : ph + 4;
    unsigned w = k->is64 ? 8 : 4;
    PvhSegment s = {
        .offset = word(k, f), .paddr = word(k, f + 2 * w),
        .filesz = word(k, f + 3 * w), .memsz = word(k, f + 4 * w),
    };

    if (type != PT_LOAD && type != PT_NOTE) {
        return true;
    }
    if (!in_file(size, s.offset, s.filesz)) {
        error_setg(errp, "truncated ELF file: segment data at 0x%llx+0x%llx past the end "
                   "(%zu bytes)", (unsigned long long)s.offset,
                   (unsigned long long)s.filesz, size);
        return false;
    }
    if (type == PT_NOTE) {
        return scan_notes(k, d + s.offset, s.filesz, found, errp);
    }
    if (s.memsz < s.filesz || s.paddr + s.memsz < s.paddr) {
        error_setg(errp, "bad PT_LOAD segment at 0x%llx (file size 0x%llx, memory size 0x%llx)",
                   (unsigned long long)s.paddr, (unsigned long long)s.filesz,
                   (unsigned long long)s.memsz);
        return false;
    }
    if (s.memsz) {
        g_array_append_val(k->segs, s);
    }
    return true;
}

bool pvh_elf_parse(PvhKernel *k, const uint8_t *d, size_t size, GError **errp)
{
    bool found = false;

    k->segs = k->segs ? k->segs : g_array_new(FALSE, FALSE, sizeof(PvhSegment));
    g_array_set_size(k->segs, 0);
    if (!check_ident(k, d, size, errp)) {
        return false;
    }
    uint64_t phoff = k->is64 ? le64(d + 32) : le32(d + 28);
    unsigned phentsize = le16(d + (k->is64 ? 54 : 42));
    unsigned phnum = le16(d + (k->is64 ? 56 : 44));
    if (phnum && phentsize < (k->is64 ? 56u : 32u)) {
        error_setg(errp, "bad ELF program header size %u", phentsize);
        return false;
    }
    if (!in_file(size, phoff, (uint64_t)phnum * phentsize)) {
        error_setg(errp, "truncated ELF file: program headers past the end (%zu bytes)", size);
        return false;
    }
    for (unsigned i = 0; i < phnum; i++) {
        if (!parse_phdr(k, d, size, d + phoff + (uint64_t)i * phentsize, &found, errp)) {
            return false;
        }
    }
    if (!found) {
        error_setg(errp, "no PVH entry point: no XEN_ELFNOTE_PHYS32_ENTRY note in a PT_NOTE "
                   "segment");
        return false;
    }
    if (!k->segs->len) {
        error_setg(errp, "no PT_LOAD segment to load");
        return false;
    }
    return true;
}

/* Replace a bzImage held in k->data by the vmlinux ELF it carries. */
static bool pvh_kernel_unpack_bzimage(PvhKernel *k, GError **errp)
{
    size_t n = 0;
    uint8_t *elf = bzimage_extract(k->data, k->size, &n, errp);

    if (!elf) {
        return false;
    }
    g_free(k->data);
    k->data = elf;
    k->size = n;
    return true;
}

PvhKernel *pvh_kernel_open(const char *path, GError **errp)
{
    PvhKernel *k = g_new0(PvhKernel, 1);
    GError *err = NULL;
    gsize size = 0;

    k->path = g_strdup(path);
    if (!g_file_get_contents(path, (gchar **)&k->data, &size, &err)) {
        int code = err->domain == G_FILE_ERROR ? err->code : -1;
        /* GLib's message repeats the path: QEMU's words with the plain OS reason instead. */
        error_setg(errp, "could not open kernel file '%s': %s", path,
                   code == G_FILE_ERROR_NOENT ? g_strerror(ENOENT) :
                   code == G_FILE_ERROR_ACCES ? g_strerror(EACCES) :
                   code == G_FILE_ERROR_ISDIR ? g_strerror(EISDIR) : err->message);
        g_error_free(err);
        pvh_kernel_free(k);
        return NULL;
    }
    k->size = size;
    /* A bzImage is unpacked on the host: its vmlinux carries the PVH note (issue 7). */
    if (bzimage_detect(k->data, k->size) && !pvh_kernel_unpack_bzimage(k, &err)) {
        error_setg(errp, "could not load kernel '%s': %s", path, err->message);
        g_error_free(err);
        pvh_kernel_free(k);
        return NULL;
    }
    if (!pvh_elf_parse(k, k->data, k->size, &err)) {
        error_setg(errp, "could not load kernel '%s': %s", path, err->message);
        g_error_free(err);
        pvh_kernel_free(k);
        return NULL;
    }
    return k;
}

void pvh_kernel_free(PvhKernel *k)
{
    if (!k) {
        return;
    }
    if (k->segs) {
        g_array_free(k->segs, TRUE);
    }
    g_free(k->data);
    g_free(k->path);
    g_free(k);
}

/* ---- loading ---- */

static bool write_guest(const FlatView *fv, uint64_t addr, const void *buf, uint64_t len,
                        const char *what, GError **errp)
{
    if (!flatview_write(fv, addr, buf, len)) {
        error_setg(errp, "%s at 0x%llx-0x%llx is not in guest RAM", what,
                   (unsigned long long)addr, (unsigned long long)(addr + len - 1));
        return false;
    }
    return true;
}

static bool load_segment(const PvhKernel *k, const PvhSegment *s, const FlatView *fv,
                         GError **errp)
{
    static const uint8_t zeros[4096];

    if (s->paddr < PVH_RESERVED_END && s->paddr + s->memsz > PVH_START_INFO_ADDR) {
        error_setg(errp, "segment at 0x%llx-0x%llx overlaps the PVH start info at 0x%x-0x%x",
                   (unsigned long long)s->paddr, (unsigned long long)(s->paddr + s->memsz - 1),
                   PVH_START_INFO_ADDR, PVH_RESERVED_END - 1);
        return false;
    }
    if (s->filesz && !write_guest(fv, s->paddr, k->data + s->offset, s->filesz, "segment",
                                  errp)) {
        return false;
    }
    for (uint64_t done = s->filesz; done < s->memsz; done += sizeof(zeros)) {
        uint64_t n = MIN(sizeof(zeros), s->memsz - done);
        if (!write_guest(fv, s->paddr + done, zeros, n, "segment", errp)) {
            return false;
        }
    }
    return true;
}

static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = v >> (8 * i); }
static void put64(uint8_t *p, uint64_t v) { put32(p, v); put32(p + 4, v >> 32); }

/* hvm_start_info (version 1) and its memory map. */
static bool write_start_info(const FlatView *fv, uint64_t rsdp, const PvhMemmapEntry *mm,
                             size_t n, GError **errp)
{
    uint8_t info[56] = { 0 };
    g_autofree uint8_t *table = g_malloc0(24 * (n ? n : 1));

    if (n > PVH_MEMMAP_MAX) {
        error_setg(errp, "too many memory map entries for the PVH start info (%zu, at most %u)",
                   n, PVH_MEMMAP_MAX);
        return false;
    }
    put32(info + 0, HVM_START_MAGIC);
    put32(info + 4, 1);                       /* version */
    put32(info + 8, 0);                       /* flags */
    put32(info + 12, 0);                      /* nr_modules: no initrd yet */
    put64(info + 24, PVH_CMDLINE_ADDR);
    put64(info + 32, rsdp);
    put64(info + 40, n ? PVH_MEMMAP_ADDR : 0);
    put32(info + 48, n);
    for (size_t i = 0; i < n; i++) {
        put64(table + 24 * i, mm[i].addr);
        put64(table + 24 * i + 8, mm[i].size);
        put32(table + 24 * i + 16, mm[i].type);
    }
    return write_guest(fv, PVH_START_INFO_ADDR, info, sizeof(info), "PVH start info", errp) &&
           (!n || write_guest(fv, PVH_MEMMAP_ADDR, table, 24 * n, "PVH memory map", errp));
}

static bool write_cmdline_and_gdt(const FlatView *fv, const char *cmdline, GError **errp)
{
    static const uint64_t gdt[4] = { 0, 0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull };
    uint8_t gdt_bytes[sizeof(gdt)];
    size_t len = strlen(cmdline ? cmdline : "") + 1;

    if (len > PVH_CMDLINE_MAX) {
        error_setg(errp, "kernel command line too long (%zu bytes, at most %u)", len - 1,
                   PVH_CMDLINE_MAX - 1);
        return false;
    }
    for (int i = 0; i < 4; i++) {
        put64(gdt_bytes + 8 * i, gdt[i]);
    }
    return write_guest(fv, PVH_GDT_ADDR, gdt_bytes, sizeof(gdt_bytes), "PVH GDT", errp) &&
           write_guest(fv, PVH_CMDLINE_ADDR, cmdline ? cmdline : "", len, "command line", errp);
}

/* The PVH ABI's entry state: flat 32-bit protected mode, paging off, EBX = start info. */
static void pvh_entry_state(const PvhKernel *k, X86EntryState *e)
{
    const uint32_t code = DESC_P | DESC_S | (0xbu << DESC_TYPE_SHIFT) | DESC_B | DESC_G;
    const uint32_t data = DESC_P | DESC_S | (0x3u << DESC_TYPE_SHIFT) | DESC_B | DESC_G;

    *e = (X86EntryState) { .valid = true, .rip = k->entry, .rflags = 0x2, .cr0 = CR0_PE | CR0_ET };
    e->regs[R_EBX] = PVH_START_INFO_ADDR;
    for (int s = 0; s < X86_NSEGS; s++) {
        e->segs[s] = (X86Seg) { .sel = PVH_DATA_SEL, .limit = 0xffffffff, .flags = data };
    }
    e->segs[R_CS] = (X86Seg) { .sel = PVH_CODE_SEL, .limit = 0xffffffff, .flags = code };
    /* The ABI's "32-bit TSS (active), base 0, limit 0x67". */
    e->tr = (X86Seg) { .sel = 0, .limit = 0x67, .flags = DESC_P | (0xbu << DESC_TYPE_SHIFT) };
    e->gdt = (X86DTable) { .base = PVH_GDT_ADDR, .limit = 4 * 8 - 1 };
    e->idt = (X86DTable) { .base = 0, .limit = 0x3ff };
}

bool pvh_load(const PvhKernel *k, const FlatView *fv, const char *cmdline, uint64_t rsdp,
              const PvhMemmapEntry *memmap, size_t memmap_len, X86EntryState *entry,
              GError **errp)
{
    for (guint i = 0; i < k->segs->len; i++) {
        if (!load_segment(k, &g_array_index(k->segs, PvhSegment, i), fv, errp)) {
            return false;
        }
    }
    if (!write_cmdline_and_gdt(fv, cmdline, errp) ||
        !write_start_info(fv, rsdp, memmap, memmap_len, errp)) {
        return false;
    }
    pvh_entry_state(k, entry);
    return true;
}

/* ---- initrd (issue 7) ---- */

/* The highest 4 KiB-aligned address where size bytes fit in e820 RAM below 4 GiB, 0 if none. */
static uint64_t initrd_place(const PvhMemmapEntry *mm, size_t n, uint64_t size)
{
    uint64_t best = 0;

    for (size_t i = 0; i < n; i++) {
        uint64_t end = MIN(mm[i].addr + mm[i].size, 1ull << 32);
        if (mm[i].type != 1 || end <= mm[i].addr || end - mm[i].addr < size) {
            continue;
        }
        uint64_t a = (end - size) & ~0xfffull;
        if (a >= mm[i].addr && a > best) {
            best = a;
        }
    }
    return best;
}

static uint64_t kernel_end(const PvhKernel *k)
{
    uint64_t end = 0;

    for (guint i = 0; i < k->segs->len; i++) {
        const PvhSegment *s = &g_array_index(k->segs, PvhSegment, i);
        end = MAX(end, s->paddr + s->memsz);
    }
    return end;
}

bool pvh_load_initrd(const PvhKernel *k, const FlatView *fv, const uint8_t *data, size_t size,
                     const PvhMemmapEntry *memmap, size_t memmap_len, uint64_t *addr,
                     GError **errp)
{
    uint8_t entry[32] = { 0 }, count[4], list[8];
    uint64_t at = size ? initrd_place(memmap, memmap_len, size) : 0;

    if (!at || at < kernel_end(k)) {
        error_setg(errp, "initrd of %zu bytes does not fit in RAM below 4 GiB above the kernel "
                   "(which ends at 0x%llx)", size, (unsigned long long)kernel_end(k));
        return false;
    }
    put64(entry + 0, at);                     /* paddr */
    put64(entry + 8, size);                   /* size; cmdline_paddr and reserved stay 0 */
    put32(count, 1);
    put64(list, PVH_MODLIST_ADDR);
    if (!write_guest(fv, at, data, size, "initrd", errp) ||
        !write_guest(fv, PVH_MODLIST_ADDR, entry, sizeof(entry), "PVH module list", errp) ||
        !write_guest(fv, PVH_START_INFO_ADDR + 12, count, 4, "PVH start info", errp) ||
        !write_guest(fv, PVH_START_INFO_ADDR + 16, list, 8, "PVH start info", errp)) {
        return false;
    }
    if (addr) {
        *addr = at;
    }
    return true;
}
