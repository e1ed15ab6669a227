/* The MC146818 CMOS real-time clock at 0x70/0x71: host time at start, advanced by virtual time, periodic/alarm/update interrupts on IRQ 8, plus 128 bytes of CMOS. */
#ifndef NUMBAT_HW_RTC_MC146818_H
#define NUMBAT_HW_RTC_MC146818_H

#include <stdbool.h>
#include <stdint.h>
#include "sysemu/memory.h"
#include "sysemu/vclock.h"

#define RTC_BASE          0x70u      /* index (bit 7: NMI mask, ignored), then data */
#define RTC_CMOS_SIZE     128
#define RTC_ISA_IRQ       8

/* Register numbers. */
#define RTC_SECONDS       0x00
#define RTC_SECONDS_ALARM 0x01
#define RTC_MINUTES       0x02
#define RTC_MINUTES_ALARM 0x03
#define RTC_HOURS         0x04
#define RTC_HOURS_ALARM   0x05
#define RTC_DAY_OF_WEEK   0x06       /* 1 = Sunday */
#define RTC_DAY_OF_MONTH  0x07
#define RTC_MONTH         0x08
#define RTC_YEAR          0x09
#define RTC_REG_A         0x0a
#define RTC_REG_B         0x0b
#define RTC_REG_C         0x0c
#define RTC_REG_D         0x0d
#define RTC_CENTURY       0x32       /* the FADT's CENTURY field points here */

/* Register A: UIP, the divider (DV2-0) and the periodic rate select (RS3-0). */
#define RTC_A_UIP         0x80
#define RTC_A_DV_MASK     0x70
#define RTC_A_DV_32KHZ    0x20       /* 010: the 32.768 kHz time base, counting */
#define RTC_A_DV_RESET    0x60       /* 11x: divider chain held in reset */
#define RTC_A_RS_MASK     0x0f
/* Register B. */
#define RTC_B_SET         0x80
#define RTC_B_PIE         0x40
#define RTC_B_AIE         0x20
#define RTC_B_UIE         0x10
#define RTC_B_SQWE        0x08
#define RTC_B_DM_BINARY   0x04
#define RTC_B_24H         0x02
#define RTC_B_DSE         0x01
/* Register C (read-only, cleared by reading). */
#define RTC_C_IRQF        0x80
#define RTC_C_PF          0x40
#define RTC_C_AF          0x20
#define RTC_C_UF          0x10
/* Register D. */
#define RTC_D_VRT         0x80
#define RTC_HOUR_PM       0x80       /* 12-hour mode */
#define RTC_ALARM_DONT_CARE 0xc0     /* alarm byte 11xxxxxx matches any value */

#define RTC_TIMEBASE_HZ   32768u
/* UIP is set for this long before each second's update (8 cycles of the 32.768 kHz base). */
#define RTC_UIP_NS        244000ull

typedef void Mc146818NotifyFn(void *opaque);

typedef struct Mc146818State {
    MemoryRegion io;        /* 2 ports */
    uint8_t cmos[RTC_CMOS_SIZE];   /* NVRAM and the control registers; time is computed */
    uint8_t index;
    VClock clock;
    IrqLine irq;            /* IRQ 8: follows register C's IRQF */
    bool irq_level;
    Mc146818NotifyFn *notify;      /* mc146818_set_notify */
    void *notify_opaque;
    /* The state below is current as of synced_ns (mc146818_poll and every access catch up). */
    uint64_t synced_ns;
    int64_t sec;            /* Unix time (UTC) the clock shows */
    /* While the divider runs: the 32.768 kHz chain had counted chain_ticks at chain_ns.
       Updates happen when the count crosses a multiple of 32768, periodic flags when it
       crosses a multiple of the selected period. */
    uint64_t chain_ns, chain_ticks;
} Mc146818State;

/* host_sec: the time the clock shows now (the host's at start; tests pass a fixed one).
   irq may be NULL (no interrupt wired). */
Mc146818State *mc146818_new(const VClock *clock, const IrqLine *irq, int64_t host_sec);
void mc146818_free(Mc146818State *s);
/* Guest reset: the control registers to their power-on values; time and NVRAM stay (battery). */
void mc146818_reset(Mc146818State *s);
/* The Unix time the clock shows now. */
int64_t mc146818_get_time(const Mc146818State *s);
/* Catch up with the virtual clock: set PF/AF/UF for what happened, raise IRQ 8 if enabled. */
void mc146818_poll(Mc146818State *s);
/* Virtual time at which IRQ 8 would next rise (UINT64_MAX: not before the guest acts).
   Flags of disabled sources are computed when register C is read, so they set no deadline. */
uint64_t mc146818_next_deadline(const Mc146818State *s);
/* Called after a port access that changed mc146818_next_deadline (a timer reprogrammed, an
   interrupt enabled, register C read), so the board can replan its time slice. */
void mc146818_set_notify(Mc146818State *s, Mc146818NotifyFn *fn, void *opaque);

#endif
