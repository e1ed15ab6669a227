/* The MC146818 CMOS real-time clock at 0x70/0x71: host time at start, advanced by virtual time, plus 128 bytes of CMOS. */
#ifndef NUMBAT_HW_RTC_MC146818_H
#define NUMBAT_HW_RTC_MC146818_H

#include <stdbool.h>
#include <stdint.h>
#include "sysemu/memory.h"
#include "sysemu/vclock.h"

#define RTC_BASE          0x70u      /* index (bit 7: NMI mask, ignored), then data */
#define RTC_CMOS_SIZE     128

/* Register numbers. */
#define RTC_SECONDS       0x00
#define RTC_MINUTES       0x02
#define RTC_HOURS         0x04
#define RTC_DAY_OF_WEEK   0x06       /* 1 = Sunday */
#define RTC_DAY_OF_MONTH  0x07
#define RTC_MONTH         0x08
#define RTC_YEAR          0x09
#define RTC_REG_A         0x0a
#define RTC_REG_B         0x0b
#define RTC_REG_C         0x0c
#define RTC_REG_D         0x0d
#define RTC_CENTURY       0x32       /* the FADT's CENTURY field points here */

#define RTC_A_UIP         0x80
#define RTC_B_SET         0x80
#define RTC_B_UIE         0x10
#define RTC_B_DM_BINARY   0x04
#define RTC_B_24H         0x02
#define RTC_D_VRT         0x80
#define RTC_HOUR_PM       0x80       /* 12-hour mode */

/* UIP is set for this long before each second's update (32.768 kHz time base). */
#define RTC_UIP_NS        244000ull

typedef struct Mc146818State {
    MemoryRegion io;        /* 2 ports */
    uint8_t cmos[RTC_CMOS_SIZE];   /* NVRAM and the control registers; time is computed */
    uint8_t index;
    VClock clock;
    int64_t base_sec;       /* Unix time (UTC) at virtual time base_ns */
    uint64_t base_ns;
    bool frozen;            /* register B SET: the clock holds frozen_sec */
    int64_t frozen_sec;
} Mc146818State;

/* host_sec: the time the clock shows now (the host's at start; tests pass a fixed one). */
Mc146818State *mc146818_new(const VClock *clock, int64_t host_sec);
void mc146818_free(Mc146818State *s);
/* Guest reset: the control registers to their power-on values; time and NVRAM stay (battery). */
void mc146818_reset(Mc146818State *s);
/* The Unix time the clock shows now. */
int64_t mc146818_get_time(const Mc146818State *s);

#endif
