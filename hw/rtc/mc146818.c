/* The MC146818 CMOS RTC: date/time registers in BCD or binary, 12/24 h, UIP, registers A-D and the century byte, on virtual time. */
#include "hw/rtc/mc146818.h"

#include <glib.h>

/*
 * Not modelled (no guest we boot needs them): periodic, alarm and update-ended interrupts
 * (register C always reads 0, so IRQ 8 never fires), the divider-reset and square-wave bits
 * of register A (stored, without effect), daylight saving (register B bit 0, stored).
 */

typedef struct RtcTime {
    int year, month, day, hour, min, sec, wday;   /* month 1-12, wday 0 = Sunday */
} RtcTime;

/* Days since 1970-01-01 of a proleptic Gregorian date (valid for any year). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static RtcTime time_from_unix(int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    RtcTime tm = {
        .day = (int)(doy - (153 * mp + 2) / 5 + 1),
        .month = (int)(mp < 10 ? mp + 3 : mp - 9),
        .hour = (int)(secs / 3600), .min = (int)(secs / 60 % 60), .sec = (int)(secs % 60),
        .wday = (int)(((days % 7) + 11) % 7),          /* 1970-01-01 was a Thursday */
    };
    tm.year = (int)(yoe + era * 400 + (tm.month <= 2));
    return tm;
}

static int64_t time_to_unix(const RtcTime *tm)
{
    return days_from_civil(tm->year, tm->month, tm->day) * 86400 +
           tm->hour * 3600 + tm->min * 60 + tm->sec;
}

int64_t mc146818_get_time(const Mc146818State *s)
{
    if (s->frozen) {
        return s->frozen_sec;
    }
    uint64_t now = vclock_now(&s->clock);
    uint64_t dt = now > s->base_ns ? now - s->base_ns : 0;
    return s->base_sec + (int64_t)(dt / VCLOCK_NS_PER_SEC);
}

/* Change the shown time, keeping the phase of the running second. */
static void rtc_set_time(Mc146818State *s, int64_t t)
{
    if (s->frozen) {
        s->frozen_sec = t;
    } else {
        s->base_sec += t - mc146818_get_time(s);
    }
}

static bool rtc_uip(const Mc146818State *s)
{
    if (s->frozen) {
        return false;       /* SET stops the update cycle */
    }
    uint64_t now = vclock_now(&s->clock);
    uint64_t phase = (now > s->base_ns ? now - s->base_ns : 0) % VCLOCK_NS_PER_SEC;
    return phase >= VCLOCK_NS_PER_SEC - RTC_UIP_NS;
}

static uint8_t to_reg(const Mc146818State *s, int v)
{
    return (s->cmos[RTC_REG_B] & RTC_B_DM_BINARY) ? (uint8_t)v
                                                   : (uint8_t)(((v / 10) << 4) | (v % 10));
}

static int from_reg(const Mc146818State *s, uint8_t v)
{
    return (s->cmos[RTC_REG_B] & RTC_B_DM_BINARY) ? v : (v >> 4) * 10 + (v & 0xf);
}

static uint8_t hour_to_reg(const Mc146818State *s, int h)
{
    if (s->cmos[RTC_REG_B] & RTC_B_24H) {
        return to_reg(s, h);
    }
    int h12 = h % 12 ? h % 12 : 12;
    return to_reg(s, h12) | (h >= 12 ? RTC_HOUR_PM : 0);
}

static int hour_from_reg(const Mc146818State *s, uint8_t v)
{
    if (s->cmos[RTC_REG_B] & RTC_B_24H) {
        return from_reg(s, v) % 24;
    }
    int h12 = from_reg(s, v & ~RTC_HOUR_PM) % 12;      /* 12 AM is 0, 12 PM is 12 */
    return h12 + ((v & RTC_HOUR_PM) ? 12 : 0);
}

/* Registers 0-9 and the century: NULL when reg is not a time field. */
static int *time_field(RtcTime *tm, uint8_t reg)
{
    switch (reg) {
    case RTC_SECONDS: return &tm->sec;
    case RTC_MINUTES: return &tm->min;
    case RTC_DAY_OF_MONTH: return &tm->day;
    case RTC_MONTH: return &tm->month;
    default: return NULL;
    }
}

static uint8_t rtc_read_reg(Mc146818State *s, uint8_t reg)
{
    RtcTime tm = time_from_unix(mc146818_get_time(s));
    int *field = time_field(&tm, reg);
    uint8_t v;

    if (field) {
        return to_reg(s, *field);
    }
    switch (reg) {
    case RTC_HOURS:
        return hour_to_reg(s, tm.hour);
    case RTC_DAY_OF_WEEK:
        return to_reg(s, tm.wday + 1);
    case RTC_YEAR:
        return to_reg(s, tm.year % 100);
    case RTC_CENTURY:
        return to_reg(s, tm.year / 100);
    case RTC_REG_A:
        return (s->cmos[RTC_REG_A] & 0x7f) | (rtc_uip(s) ? RTC_A_UIP : 0);
    case RTC_REG_C:
        v = s->cmos[RTC_REG_C];     /* no interrupt sources: stays 0 */
        s->cmos[RTC_REG_C] = 0;
        return v;
    case RTC_REG_D:
        return RTC_D_VRT;           /* the battery is always good */
    default:
        return s->cmos[reg];
    }
}

/* A write to a time register changes that field of the shown time (out-of-range values
   are normalised by the calendar arithmetic, where real chips would count oddly). */
static void rtc_write_time(Mc146818State *s, uint8_t reg, uint8_t val)
{
    RtcTime tm = time_from_unix(mc146818_get_time(s));
    int *field = time_field(&tm, reg);

    if (field) {
        *field = from_reg(s, val);
    } else if (reg == RTC_HOURS) {
        tm.hour = hour_from_reg(s, val);
    } else if (reg == RTC_YEAR) {
        tm.year = tm.year / 100 * 100 + from_reg(s, val) % 100;
    } else if (reg == RTC_CENTURY) {
        tm.year = from_reg(s, val) * 100 + tm.year % 100;
    } else {
        return;                     /* day of week: derived from the date */
    }
    rtc_set_time(s, time_to_unix(&tm));
}

static void rtc_write_reg(Mc146818State *s, uint8_t reg, uint8_t val)
{
    switch (reg) {
    case RTC_SECONDS: case RTC_MINUTES: case RTC_HOURS: case RTC_DAY_OF_WEEK:
    case RTC_DAY_OF_MONTH: case RTC_MONTH: case RTC_YEAR: case RTC_CENTURY:
        rtc_write_time(s, reg, val);
        break;
    case RTC_REG_A:
        s->cmos[RTC_REG_A] = val & 0x7f;        /* UIP is read-only */
        break;
    case RTC_REG_B:
        if ((val & RTC_B_SET) && !s->frozen) {
            s->frozen_sec = mc146818_get_time(s);
            s->frozen = true;
            val &= ~RTC_B_UIE;                  /* SET clears UIE, as on the chip */
        } else if (!(val & RTC_B_SET) && s->frozen) {
            /* The divider chain restarts: the next second begins now. */
            s->base_sec = s->frozen_sec;
            s->base_ns = vclock_now(&s->clock);
            s->frozen = false;
        }
        s->cmos[RTC_REG_B] = val;
        break;
    case RTC_REG_C: case RTC_REG_D:
        break;                                  /* read-only */
    default:
        s->cmos[reg] = val;
        break;
    }
}

static uint64_t rtc_io_read(void *opaque, uint64_t addr, unsigned size)
{
    Mc146818State *s = opaque;

    /* The index port is write-only on the chip; QEMU reads it as 0xff. */
    return addr == 0 ? 0xff : rtc_read_reg(s, s->index);
}

static void rtc_io_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    Mc146818State *s = opaque;

    if (addr == 0) {
        s->index = val & 0x7f;                  /* bit 7 masks NMIs: there are none */
    } else {
        rtc_write_reg(s, s->index, (uint8_t)val);
    }
}

static const MemoryRegionOps rtc_ops = { .read = rtc_io_read, .write = rtc_io_write };

void mc146818_reset(Mc146818State *s)
{
    s->index = 0;
    s->cmos[RTC_REG_A] = 0x26;                  /* 32.768 kHz divider, 1024 Hz rate */
    s->cmos[RTC_REG_B] = (s->cmos[RTC_REG_B] & (RTC_B_DM_BINARY | RTC_B_24H)) &
                         (uint8_t)~RTC_B_SET;   /* the chip keeps DM and 24/12 */
    s->cmos[RTC_REG_C] = 0;
    if (s->frozen) {
        rtc_write_reg(s, RTC_REG_B, s->cmos[RTC_REG_B]);
    }
}

Mc146818State *mc146818_new(const VClock *clock, int64_t host_sec)
{
    Mc146818State *s = g_new0(Mc146818State, 1);

    s->clock = *clock;
    s->base_sec = host_sec;
    s->base_ns = vclock_now(clock);
    s->cmos[RTC_REG_B] = RTC_B_24H;             /* BCD, 24-hour: what PC firmware leaves */
    mc146818_reset(s);
    memory_region_init_io(&s->io, "rtc", &rtc_ops, s, 2);
    return s;
}

void mc146818_free(Mc146818State *s)
{
    if (s) {
        memory_region_destroy(&s->io);
        g_free(s);
    }
}
