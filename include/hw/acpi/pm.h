/* The pc's ACPI PM device: PM1 event/control blocks at 0x600/0x604, the PM timer at 0x608, the reset register 0xcf9. */
#ifndef NUMBAT_HW_ACPI_PM_H
#define NUMBAT_HW_ACPI_PM_H

#include <stdbool.h>
#include <stdint.h>
#include "sysemu/memory.h"
#include "sysemu/vclock.h"

#define ACPI_PM_TIMER_HZ 3579545u

/* PM1 status / enable bits. */
#define ACPI_PM1_TMR       (1u << 0)
#define ACPI_PM1_GBL       (1u << 5)
#define ACPI_PM1_PWRBTN    (1u << 8)
#define ACPI_PM1_RTC       (1u << 10)
#define ACPI_PM1_WAK_STS   (1u << 15)
/* PM1 control bits. */
#define ACPI_PM1_SCI_EN    (1u << 0)
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_EN    (1u << 13)

typedef enum AcpiPmRequest {
    ACPI_PM_POWEROFF,       /* SLP_EN with the \_S5 SLP_TYP */
    ACPI_PM_RESET,          /* reset register written with bit 2 set */
} AcpiPmRequest;

typedef void AcpiPmRequestFn(void *opaque, AcpiPmRequest req);
typedef void AcpiPmNotifyFn(void *opaque);

typedef struct AcpiPmState {
    MemoryRegion io_evt;    /* 4 ports: PM1_STS (16 bits), PM1_EN (16 bits) */
    MemoryRegion io_cnt;    /* 2 ports: PM1_CNT */
    MemoryRegion io_tmr;    /* 4 ports: PM_TMR (32-bit, FADT TMR_VAL_EXT) */
    MemoryRegion io_reset;  /* 1 port: the FADT reset register */
    uint16_t sts, en, cnt;
    uint8_t reset_reg;
    uint32_t tmr_seen;      /* timer value at the last poll (bit 31 toggles set TMR_STS) */
    uint8_t s5_slp_typ;
    VClock clock;
    IrqLine sci;            /* level-triggered */
    AcpiPmRequestFn *request;
    void *request_opaque;
    AcpiPmNotifyFn *notify; /* acpi_pm_set_notify */
    void *notify_opaque;
} AcpiPmState;

AcpiPmState *acpi_pm_new(const VClock *clock, const IrqLine *sci, uint8_t s5_slp_typ,
                         AcpiPmRequestFn *request, void *opaque);
void acpi_pm_free(AcpiPmState *s);
void acpi_pm_reset(AcpiPmState *s);
/* The PM timer's current value (3.579545 MHz of virtual time, 32 bits). */
uint32_t acpi_pm_timer(const AcpiPmState *s);
/* Sets TMR_STS when the timer's bit 31 toggled since the last poll; updates the SCI. */
void acpi_pm_poll(AcpiPmState *s);
/* Virtual time of the next bit-31 toggle, when TMR_EN asks for an SCI then (else UINT64_MAX). */
uint64_t acpi_pm_next_deadline(const AcpiPmState *s);
/* Called after a port write that moved acpi_pm_next_deadline (TMR_EN set or cleared), so
   the board can end a time slice planned without it. */
void acpi_pm_set_notify(AcpiPmState *s, AcpiPmNotifyFn *fn, void *opaque);
/* The power button (QMP system_powerdown): PWRBTN_STS and an SCI when enabled. */
void acpi_pm_power_button(AcpiPmState *s);

#endif
