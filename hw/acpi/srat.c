/* SRAT: which proximity domain each CPU and each guest-physical memory range belongs to. */
#include "hw/acpi/numa-tables.h"
#include "hw/acpi/table.h"

#define SRAT_CPU_ENABLED 1

static void append_range(GArray *out, uint64_t base, uint64_t len, uint32_t node)
{
    if (len) {
        SratMem m = { base, len, node, SRAT_MEM_ENABLED };
        g_array_append_val(out, m);
    }
}

/* Emit the part of RAM offsets [lo, hi) that is visible through a window of the map:
 * offsets [w_lo, w_hi) appear at guest address w_lo + delta. */
static void clip_window(GArray *out, uint64_t lo, uint64_t hi, uint32_t node,
                        uint64_t w_lo, uint64_t w_hi, uint64_t delta)
{
    uint64_t s = MAX(lo, w_lo), e = MIN(hi, w_hi);
    if (s < e) {
        append_range(out, s + delta, e - s, node);
    }
}

GArray *pc_numa_memory_ranges(const uint64_t *node_mem, unsigned nb_nodes,
                              const PcRamLayout *layout)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(SratMem));
    uint64_t below = layout->below_4g;
    uint64_t total = below + layout->above_4g;
    uint64_t off = 0;
    for (unsigned i = 0; i < nb_nodes; i++) {
        uint64_t lo = off, hi = off + node_mem[i];
        off = hi;
        clip_window(out, lo, hi, i, 0, MIN(PC_HOLE_640K_START, below), 0);
        clip_window(out, lo, hi, i, PC_HOLE_640K_END, below, 0);
        clip_window(out, lo, hi, i, below, total, PC_ABOVE_4G_START - below);
    }
    return out;
}

static void append_cpu(GByteArray *b, const AcpiCpu *cpu)
{
    if (cpu->apic_id < 255) {
        acpi_append_u8(b, 0);                     /* Processor Local APIC Affinity */
        acpi_append_u8(b, 16);
        acpi_append_u8(b, cpu->node & 0xff);      /* proximity domain [7:0] */
        acpi_append_u8(b, cpu->apic_id);
        acpi_append_u32(b, SRAT_CPU_ENABLED);
        acpi_append_u8(b, 0);                     /* local SAPIC EID */
        acpi_append_u8(b, (cpu->node >> 8) & 0xff); /* proximity domain [31:8] */
        acpi_append_u8(b, (cpu->node >> 16) & 0xff);
        acpi_append_u8(b, (cpu->node >> 24) & 0xff);
        acpi_append_u32(b, 0);                    /* clock domain */
    } else {
        acpi_append_u8(b, 2);                     /* Processor x2APIC Affinity */
        acpi_append_u8(b, 24);
        acpi_append_u16(b, 0);
        acpi_append_u32(b, cpu->node);
        acpi_append_u32(b, cpu->apic_id);
        acpi_append_u32(b, SRAT_CPU_ENABLED);
        acpi_append_u32(b, 0);                    /* clock domain */
        acpi_append_u32(b, 0);
    }
}

static void append_mem(GByteArray *b, const SratMem *m)
{
    acpi_append_u8(b, 1);                         /* Memory Affinity */
    acpi_append_u8(b, 40);
    acpi_append_u32(b, m->node);
    acpi_append_u16(b, 0);
    acpi_append_u64(b, m->base);
    acpi_append_u64(b, m->len);
    acpi_append_u32(b, 0);
    acpi_append_u32(b, m->flags);
    acpi_append_u64(b, 0);
}

void acpi_build_srat(GByteArray *blob, const AcpiCpu *cpus, size_t nb_cpus,
                     const SratMem *mem, size_t nb_mem)
{
    AcpiTable t;
    /* Revision 3 makes every proximity domain field a full 32 bits. */
    acpi_table_begin(&t, blob, "SRAT", 3);
    acpi_append_u32(blob, 1);   /* reserved; 1 for compatibility with old guests */
    acpi_append_u64(blob, 0);
    for (size_t i = 0; i < nb_cpus; i++) {
        append_cpu(blob, &cpus[i]);
    }
    for (size_t i = 0; i < nb_mem; i++) {
        append_mem(blob, &mem[i]);
    }
    acpi_table_end(&t);
}
