/* Test-side decoder of the e2k bootblock: every field from its documented offset, banks walked as MCST's decompressor and kernel do. */
#include "e2k-bootinfo-decode.h"

#include <string.h>

typedef struct Reader {
    const uint8_t *buf;
    bool covered[E2K_BOOTBLOCK_SIZE];   /* bytes some field owns */
} Reader;

static const uint8_t *take(Reader *r, size_t off, size_t len)
{
    g_assert(off + len <= E2K_BOOTBLOCK_SIZE);
    memset(r->covered + off, 1, len);
    return r->buf + off;
}

static uint64_t ld_le(Reader *r, size_t off, unsigned len)
{
    const uint8_t *p = take(r, off, len);
    uint64_t v = 0;

    for (unsigned i = len; i-- > 0;) {
        v = (v << 8) | p[i];
    }
    return v;
}

static E2kBank ld_bank(Reader *r, size_t off)
{
    return (E2kBank){ ld_le(r, off, 8), ld_le(r, off + 8, 8) };
}

static size_t fusty_off(unsigned node, unsigned i)
{
    return E2K_BI_NODES_MEM + node * E2K_NODE_BANKS_SIZE + i * E2K_BANK_INFO_SIZE;
}

static size_t ex_off(unsigned i)
{
    return E2K_BI_BANKS_EX + i * E2K_BANK_INFO_SIZE;
}

/* arch/e2k/boot/decompress.c: one banks_ex cursor shared by the nodes, in node order. */
static bool walk_decompressor(Reader *r, E2kBootInfoDecoded *d, GError **errp)
{
    unsigned cursor = 0;

    for (unsigned n = 0; n < E2K_MAX_NODES; n++) {
        E2kNodeRam *node = &d->nodes[n];

        node->present = d->nodes_map >> n & 1;
        if (!node->present || ld_bank(r, fusty_off(n, 0)).size == 0) {
            continue;
        }
        for (unsigned bank = 0;; bank++) {
            E2kBank b;

            if (bank == E2K_NODE_MAX_BANKS + 1) {
                error_setg(errp, "node %u: no end marker within 64 banks", n);
                return false;
            }
            if (bank >= E2K_NODE_BANKS_FUSTY && cursor >= E2K_BANKS_EX_MAX) {
                error_setg(errp, "node %u: banks_ex full before its end marker", n);
                return false;
            }
            b = bank < E2K_NODE_BANKS_FUSTY ? ld_bank(r, fusty_off(n, bank))
                                            : ld_bank(r, ex_off(cursor++));
            if (b.size == 0) {
                break;
            }
            node->banks[node->nb_banks++] = b;
        }
    }
    d->banks_ex_used = cursor;
    return true;
}

/* The kernel's iterator (arch/e2k/p2v/boot_phys.c, 2023): node n's banks_ex list is the
 * segment after n size-0 entries.  Must give the same lists as the decompressor. */
static bool check_kernel_walk(Reader *r, const E2kBootInfoDecoded *d, GError **errp)
{
    for (unsigned n = 0; n < E2K_MAX_NODES; n++) {
        unsigned ex = 0, seen = 0, count = 0;

        if (!d->nodes[n].present) {
            continue;
        }
        while (ex < E2K_BANKS_EX_MAX && seen < n) {
            seen += ld_bank(r, ex_off(ex++)).size == 0;
        }
        for (unsigned i = 0;; i++) {
            E2kBank b = i < E2K_NODE_BANKS_FUSTY ? ld_bank(r, fusty_off(n, i))
                      : ex < E2K_BANKS_EX_MAX ? ld_bank(r, ex_off(ex++)) : (E2kBank){ 0, 0 };
            if (b.size == 0) {
                break;
            }
            if (count >= d->nodes[n].nb_banks || b.addr != d->nodes[n].banks[count].addr ||
                b.size != d->nodes[n].banks[count].size) {
                error_setg(errp, "node %u: kernel and decompressor disagree on bank %u", n, i);
                return false;
            }
            count++;
        }
        if (count != d->nodes[n].nb_banks) {
            error_setg(errp, "node %u: kernel sees %u banks, decompressor %u", n, count,
                       d->nodes[n].nb_banks);
            return false;
        }
    }
    return true;
}

static bool decode_scalars(Reader *r, E2kBootInfoDecoded *d, GError **errp)
{
    const uint8_t *args;

    d->signature = ld_le(r, E2K_BI_SIGNATURE, 2);
    d->num_of_banks = ld_le(r, E2K_BI_NUM_OF_BANKS, 1);
    d->kernel_base = ld_le(r, E2K_BI_KERNEL_BASE, 8);
    d->kernel_size = ld_le(r, E2K_BI_KERNEL_SIZE, 8);
    d->ramdisk_base = ld_le(r, E2K_BI_RAMDISK_BASE, 8);
    d->ramdisk_size = ld_le(r, E2K_BI_RAMDISK_SIZE, 8);
    d->num_of_cpus = ld_le(r, E2K_BI_NUM_OF_CPUS, 2);
    d->num_of_nodes = ld_le(r, E2K_BI_NUM_OF_NODES, 2);
    d->mp_table_base = ld_le(r, E2K_BI_MP_TABLE_BASE, 8);
    d->serial_base = ld_le(r, E2K_BI_SERIAL_BASE, 8);
    d->nodes_map = ld_le(r, E2K_BI_NODES_MAP, 8);
    d->cpu_type = ld_le(r, E2K_BI_CPU_TYPE, 1);
    d->devtree = ld_le(r, E2K_BI_DEVTREE, 8);
    d->bootblock_ver = ld_le(r, E2K_BB_BOOTBLOCK_VER, 1);
    d->boot_flags = ld_le(r, E2K_BB_BOOT_FLAGS, 2);
    d->marker = ld_le(r, E2K_BB_MARKER, 2);
    memcpy(d->bios_signature, take(r, E2K_BI_BIOS_SIGNATURE, E2K_BIOS_SIGNATURE_SIZE),
           E2K_BIOS_SIGNATURE_SIZE);
    args = take(r, E2K_BI_KERNEL_ARGS, E2K_KERNEL_ARGS_SIZE);
    if (!memchr(args, 0, E2K_KERNEL_ARGS_SIZE)) {
        error_setg(errp, "kernel_args_string is not NUL-terminated");
        return false;
    }
    memcpy(d->cmdline, args, E2K_KERNEL_ARGS_SIZE);
    for (size_t i = strlen(d->cmdline); i < E2K_KERNEL_ARGS_SIZE; i++) {
        if (args[i]) {
            error_setg(errp, "kernel_args_string: byte %zu after the NUL is not 0", i);
            return false;
        }
    }
    return true;
}

/* busy[]: only the num_of_busy used entries own bytes, the rest must stay zero. */
static bool decode_busy(Reader *r, E2kBootInfoDecoded *d, GError **errp)
{
    d->num_of_busy = ld_le(r, E2K_BI_NUM_OF_BUSY, 2);
    if (d->num_of_busy > E2K_BUSY_MAX) {
        error_setg(errp, "num_of_busy %u, busy[] has %d entries", d->num_of_busy, E2K_BUSY_MAX);
        return false;
    }
    for (unsigned i = 0; i < d->num_of_busy; i++) {
        d->busy[i] = ld_bank(r, E2K_BI_BUSY + i * E2K_BANK_INFO_SIZE);
        if (d->busy[i].size == 0) {
            error_setg(errp, "busy[%u] is empty", i);
            return false;
        }
    }
    return true;
}

static bool check_consistency(const E2kBootInfoDecoded *d, GError **errp)
{
    unsigned total = 0;

    if (d->signature != E2K_BOOT_SIGNATURE || d->marker != E2K_BOOTBLOCK_MARKER) {
        error_setg(errp, "signature 0x%x / marker 0x%x", d->signature, d->marker);
        return false;
    }
    if (strcmp(d->bios_signature, E2K_BIOS_SIGNATURE) != 0) {
        error_setg(errp, "bios signature '%s'", d->bios_signature);
        return false;
    }
    for (unsigned n = 0; n < E2K_MAX_NODES; n++) {
        total += d->nodes[n].nb_banks;
    }
    if (total != d->num_of_banks) {
        error_setg(errp, "num_of_banks %u, the lists hold %u", d->num_of_banks, total);
        return false;
    }
    if ((unsigned)d->num_of_nodes != (unsigned)__builtin_popcountll(d->nodes_map)) {
        error_setg(errp, "num_of_nodes %u, nodes_map 0x%" G_GINT64_MODIFIER "x",
                   d->num_of_nodes, d->nodes_map);
        return false;
    }
    return true;
}

/* Only real banks own bytes of nodes_mem and banks_ex: end markers and unused slots must
 * be all zero (an end marker with a stray address would pass both walks).  Then nothing
 * outside a field may be set. */
static bool check_rest_zero(Reader *r, const E2kBootInfoDecoded *d, GError **errp)
{
    unsigned ex = 0;

    memset(r->covered + E2K_BI_NODES_MEM, 0, E2K_MAX_NODES * E2K_NODE_BANKS_SIZE);
    memset(r->covered + E2K_BI_BANKS_EX, 0, E2K_BANKS_EX_MAX * E2K_BANK_INFO_SIZE);
    for (unsigned n = 0; n < E2K_MAX_NODES; n++) {
        unsigned nb = d->nodes[n].nb_banks;

        memset(r->covered + fusty_off(n, 0), 1, MIN(nb, E2K_NODE_BANKS_FUSTY) * E2K_BANK_INFO_SIZE);
        if (nb >= E2K_NODE_BANKS_FUSTY) {
            memset(r->covered + ex_off(ex), 1, (nb - E2K_NODE_BANKS_FUSTY) * E2K_BANK_INFO_SIZE);
            ex += nb - E2K_NODE_BANKS_FUSTY + 1;
        }
    }
    for (size_t i = 0; i < E2K_BOOTBLOCK_SIZE; i++) {
        if (!r->covered[i] && r->buf[i]) {
            error_setg(errp, "byte 0x%03zx is 0x%02x outside any field", i, r->buf[i]);
            return false;
        }
    }
    return true;
}

bool e2k_bootinfo_decode(const uint8_t *buf, size_t len, E2kBootInfoDecoded *out,
                         GError **errp)
{
    g_autofree Reader *r = g_new0(Reader, 1);

    memset(out, 0, sizeof(*out));
    if (len != E2K_BOOTBLOCK_SIZE) {
        error_setg(errp, "block is %zu bytes, not %d", len, E2K_BOOTBLOCK_SIZE);
        return false;
    }
    r->buf = buf;
    return decode_scalars(r, out, errp) && decode_busy(r, out, errp) &&
           walk_decompressor(r, out, errp) &&
           check_kernel_walk(r, out, errp) && check_consistency(out, errp) &&
           check_rest_zero(r, out, errp);
}
