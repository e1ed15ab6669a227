/* MADT ("APIC"): one local APIC (or x2APIC) per possible CPU, the IOAPIC and ISA overrides. */
#include "hw/acpi/pc-tables.h"
#include "hw/acpi/table.h"

enum { MADT_PCAT_COMPAT = 1, MADT_CPU_ENABLED = 1 };
enum { MPS_POLARITY_HIGH = 1, MPS_TRIGGER_LEVEL = 3 << 2 };

static void append_cpu(GByteArray *b, uint32_t uid, const AcpiCpu *cpu)
{
    uint32_t flags = cpu->present ? MADT_CPU_ENABLED : 0;
    if (cpu->apic_id < 255) {
        acpi_append_u8(b, 0);              /* Processor Local APIC */
        acpi_append_u8(b, 8);
        acpi_append_u8(b, uid);
        acpi_append_u8(b, cpu->apic_id);
        acpi_append_u32(b, flags);
    } else {
        acpi_append_u8(b, 9);              /* Processor Local x2APIC */
        acpi_append_u8(b, 16);
        acpi_append_u16(b, 0);
        acpi_append_u32(b, cpu->apic_id);
        acpi_append_u32(b, flags);
        acpi_append_u32(b, uid);
    }
}

static void append_iso(GByteArray *b, uint8_t source, uint32_t gsi, uint16_t flags)
{
    acpi_append_u8(b, 2);                  /* Interrupt Source Override */
    acpi_append_u8(b, 10);
    acpi_append_u8(b, 0);                  /* ISA bus */
    acpi_append_u8(b, source);
    acpi_append_u32(b, gsi);
    acpi_append_u16(b, flags);
}

void acpi_build_madt(GByteArray *b, const AcpiCpu *cpus, size_t nb_cpus)
{
    AcpiTable t;
    acpi_table_begin(&t, b, "APIC", 3);
    acpi_append_u32(b, PC_LAPIC_BASE);
    acpi_append_u32(b, MADT_PCAT_COMPAT);
    for (size_t i = 0; i < nb_cpus; i++) {
        append_cpu(b, i, &cpus[i]);
    }
    acpi_append_u8(b, 1);                  /* I/O APIC */
    acpi_append_u8(b, 12);
    acpi_append_u8(b, 0);                  /* IOAPIC id */
    acpi_append_u8(b, 0);
    acpi_append_u32(b, PC_IOAPIC_BASE);
    acpi_append_u32(b, 0);                 /* GSI base */
    append_iso(b, 0, 2, 0);                /* the PIT's IRQ0 is wired to GSI 2 */
    append_iso(b, PC_ACPI_SCI_IRQ, PC_ACPI_SCI_IRQ, MPS_POLARITY_HIGH | MPS_TRIGGER_LEVEL);
    acpi_append_u8(b, 4);                  /* Local APIC NMI: all CPUs, LINT1 */
    acpi_append_u8(b, 6);
    acpi_append_u8(b, 0xff);
    acpi_append_u16(b, 0);
    acpi_append_u8(b, 1);
    acpi_table_end(&t);
}
