/* FADT and FACS for the pc machine: legacy PM1 blocks, PM timer, reset register. */
#include "hw/acpi/pc-tables.h"
#include "hw/acpi/table.h"

enum {
    FADT_WBINVD = 1 << 0,
    FADT_PROC_C1 = 1 << 2,
    FADT_SLP_BUTTON = 1 << 5,      /* no fixed-feature sleep button */
    FADT_TMR_VAL_EXT = 1 << 8,     /* 32-bit PM timer */
    FADT_RESET_REG_SUP = 1 << 10,
};

enum { BOOT_ARCH_LEGACY_DEVICES = 1 << 0, BOOT_ARCH_8042 = 1 << 1 };

void acpi_build_facs(GByteArray *blob)
{
    guint start = blob->len;
    acpi_append_str(blob, "FACS", 4);
    acpi_append_u32(blob, 64);          /* length */
    acpi_append_u32(blob, 0);           /* hardware signature */
    acpi_append_u32(blob, 0);           /* firmware waking vector */
    acpi_append_u32(blob, 0);           /* global lock */
    acpi_append_u32(blob, 0);           /* flags */
    acpi_append_u64(blob, 0);           /* x firmware waking vector */
    acpi_append_u8(blob, 2);            /* version */
    acpi_append_zeros(blob, 64 - (blob->len - start));
}

static void append_fixed_blocks(GByteArray *b)
{
    acpi_append_u32(b, PC_ACPI_PM1_EVT);   /* PM1a_EVT_BLK */
    acpi_append_u32(b, 0);                 /* PM1b_EVT_BLK */
    acpi_append_u32(b, PC_ACPI_PM1_CNT);   /* PM1a_CNT_BLK */
    acpi_append_u32(b, 0);                 /* PM1b_CNT_BLK */
    acpi_append_u32(b, 0);                 /* PM2_CNT_BLK */
    acpi_append_u32(b, PC_ACPI_PM_TMR);    /* PM_TMR_BLK */
    acpi_append_u32(b, 0);                 /* GPE0_BLK */
    acpi_append_u32(b, 0);                 /* GPE1_BLK */
    acpi_append_u8(b, 4);                  /* PM1_EVT_LEN */
    acpi_append_u8(b, 2);                  /* PM1_CNT_LEN */
    acpi_append_u8(b, 0);                  /* PM2_CNT_LEN */
    acpi_append_u8(b, 4);                  /* PM_TMR_LEN */
    acpi_append_u8(b, 0);                  /* GPE0_BLK_LEN */
    acpi_append_u8(b, 0);                  /* GPE1_BLK_LEN */
    acpi_append_u8(b, 0);                  /* GPE1_BASE */
    acpi_append_u8(b, 0);                  /* CST_CNT */
    acpi_append_u16(b, 0x0fff);            /* P_LVL2_LAT: C2 not supported */
    acpi_append_u16(b, 0x0fff);            /* P_LVL3_LAT: C3 not supported */
    acpi_append_u16(b, 0);                 /* FLUSH_SIZE */
    acpi_append_u16(b, 0);                 /* FLUSH_STRIDE */
    acpi_append_u8(b, 0);                  /* DUTY_OFFSET */
    acpi_append_u8(b, 0);                  /* DUTY_WIDTH */
    acpi_append_u8(b, 0);                  /* DAY_ALRM */
    acpi_append_u8(b, 0);                  /* MON_ALRM */
    acpi_append_u8(b, 0x32);               /* CENTURY: CMOS register */
}

void acpi_build_fadt(GByteArray *b, uint64_t facs_addr, uint64_t dsdt_addr)
{
    AcpiTable t;
    acpi_table_begin(&t, b, "FACP", 6);
    acpi_append_u32(b, facs_addr);         /* FIRMWARE_CTRL */
    acpi_append_u32(b, dsdt_addr);         /* DSDT */
    acpi_append_u8(b, 0);                  /* reserved */
    acpi_append_u8(b, 0);                  /* preferred PM profile: unspecified */
    acpi_append_u16(b, PC_ACPI_SCI_IRQ);
    acpi_append_u32(b, 0);                 /* SMI_CMD: none, ACPI is always enabled */
    acpi_append_u8(b, 0);                  /* ACPI_ENABLE */
    acpi_append_u8(b, 0);                  /* ACPI_DISABLE */
    acpi_append_u8(b, 0);                  /* S4BIOS_REQ */
    acpi_append_u8(b, 0);                  /* PSTATE_CNT */
    append_fixed_blocks(b);
    acpi_append_u16(b, BOOT_ARCH_LEGACY_DEVICES | BOOT_ARCH_8042);
    acpi_append_u8(b, 0);
    acpi_append_u32(b, FADT_WBINVD | FADT_PROC_C1 | FADT_SLP_BUTTON | FADT_TMR_VAL_EXT |
                       FADT_RESET_REG_SUP);
    acpi_append_gas(b, ACPI_GAS_IO, 8, 0, 0, PC_ACPI_RESET_PORT);   /* RESET_REG */
    acpi_append_u8(b, PC_ACPI_RESET_VALUE);
    acpi_append_u16(b, 0);                 /* ARM_BOOT_ARCH */
    acpi_append_u8(b, 0);                  /* FADT minor version */
    acpi_append_u64(b, facs_addr);         /* X_FIRMWARE_CTRL */
    acpi_append_u64(b, dsdt_addr);         /* X_DSDT */
    acpi_append_gas(b, ACPI_GAS_IO, 32, 0, 0, PC_ACPI_PM1_EVT);
    acpi_append_gas(b, 0, 0, 0, 0, 0);     /* X_PM1b_EVT_BLK */
    acpi_append_gas(b, ACPI_GAS_IO, 16, 0, 0, PC_ACPI_PM1_CNT);
    acpi_append_gas(b, 0, 0, 0, 0, 0);     /* X_PM1b_CNT_BLK */
    acpi_append_gas(b, 0, 0, 0, 0, 0);     /* X_PM2_CNT_BLK */
    acpi_append_gas(b, ACPI_GAS_IO, 32, 0, 0, PC_ACPI_PM_TMR);
    acpi_append_gas(b, 0, 0, 0, 0, 0);     /* X_GPE0_BLK */
    acpi_append_gas(b, 0, 0, 0, 0, 0);     /* X_GPE1_BLK */
    acpi_append_gas(b, 0, 0, 0, 0, 0);     /* SLEEP_CONTROL_REG (HW-reduced only) */
    acpi_append_gas(b, 0, 0, 0, 0, 0);     /* SLEEP_STATUS_REG */
    acpi_append_str(b, "NUMBAT", 8);       /* hypervisor vendor identity */
    acpi_table_end(&t);
}
