/* The pc machine's ACPI table set: what numbat hands a direct-booted Linux, and how it is laid out. */
#ifndef NUMBAT_HW_ACPI_PC_TABLES_H
#define NUMBAT_HW_ACPI_PC_TABLES_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "qapi/error.h"
#include "hw/acpi/numa-tables.h"

/* The pc platform's fixed ACPI hardware (the PM device implements these ports). */
#define PC_ACPI_PM_BASE      0x600
#define PC_ACPI_PM1_EVT      (PC_ACPI_PM_BASE + 0)   /* 4 bytes: status + enable */
#define PC_ACPI_PM1_CNT      (PC_ACPI_PM_BASE + 4)   /* 2 bytes */
#define PC_ACPI_PM_TMR       (PC_ACPI_PM_BASE + 8)   /* 4 bytes, 24/32-bit timer */
#define PC_ACPI_SCI_IRQ      9
#define PC_ACPI_S5_SLP_TYP   0     /* SLP_TYP value of \_S5: PM1_CNT write SLP_EN|0<<10 */
#define PC_ACPI_RESET_PORT   0xcf9
#define PC_ACPI_RESET_VALUE  0x06
#define PC_LAPIC_BASE        0xfee00000u
#define PC_IOAPIC_BASE       0xfec00000u

/* What the pc board knows when it builds the tables. */
typedef struct AcpiPcConfig {
    const AcpiCpu *cpus;         /* every possible CPU, in slot order */
    size_t nb_cpus;
    unsigned nb_nodes;           /* 0: no SRAT/SLIT/HMAT */
    const uint64_t *node_mem;    /* nb_nodes sizes, laid out back to back over RAM */
    const uint8_t *distance;     /* nb_nodes x nb_nodes, or NULL: no SLIT */
    PcRamLayout ram;
    uint64_t hotplug_base;       /* device-memory range for SRAT, size 0 = none */
    uint64_t hotplug_size;
    const GByteArray *hmat;      /* a finished HMAT, or NULL */
} AcpiPcConfig;

typedef struct AcpiTableEntry {
    char sig[5];
    guint offset;                /* inside AcpiTables.blob */
    guint len;
} AcpiTableEntry;

/* All tables but the RSDP in one blob meant to sit at guest address `base`. */
typedef struct AcpiTables {
    GByteArray *blob;
    uint64_t base;
    GArray *entries;             /* AcpiTableEntry, in blob order */
    GByteArray *rsdp;            /* 36 bytes, its XSDT pointer already set */
} AcpiTables;

/* Build FACS, DSDT, FACP, APIC, [SRAT, SLIT, HMAT], XSDT and the RSDP. base must be 64-byte aligned. */
AcpiTables *acpi_build_pc_tables(const AcpiPcConfig *cfg, uint64_t base);
void acpi_tables_free(AcpiTables *t);
/* Write DIR/<SIG>.dat for every table and DIR/RSDP.dat. */
bool acpi_tables_dump(const AcpiTables *t, const char *dir, GError **errp);

/* Pieces, exposed for tests. */
void acpi_build_facs(GByteArray *blob);
void acpi_build_pc_dsdt(GByteArray *blob, const AcpiPcConfig *cfg);
void acpi_build_fadt(GByteArray *blob, uint64_t facs_addr, uint64_t dsdt_addr);
void acpi_build_madt(GByteArray *blob, const AcpiCpu *cpus, size_t nb_cpus);
void acpi_build_xsdt(GByteArray *blob, const uint64_t *addrs, size_t n);
void acpi_build_rsdp(GByteArray *blob, uint64_t xsdt_addr);

#endif
