/* The MC146818 CMOS RTC: date/time registers in BCD or binary, 12/24 h, UIP, periodic/alarm/update-ended interrupts on IRQ 8, registers A-D and the century byte, on virtual time. */
#include "hw/rtc/mc146818.h"

#include <glib.h>

/*
 * Time is kept lazily: the state (shown time, register C) is current as of synced_ns, and
 * rtc_sync() replays what happened since — the 32.768 kHz divider chain crossing multiples
 * of the periodic rate (PF) and of one second (an update: the time advances, UF, and AF when
 * the new time matches the alarm).  Flags are set whether or not their interrupt is enabled
 * (guests poll UF and PF); IRQF and IRQ 8 follow PF*PIE + AF*AIE + UF*UIE, and reading C
 * clears it all.  mc146818_next_deadline() only reports events that would raise IRQ 8, so
 * a disabled 1024 Hz periodic rate (the power-on value) costs the board nothing.
 *
 * Register A's divider: 010 (32.768 kHz) counts; 11x holds the chain in reset and any other
 * value (no other time base exists on a PC) stops it too — no updates, no periodic flags,
 * no UIP.  Leaving that state restarts the chain half-way through a second, so the first
 * update comes 500 ms later (and the first periodic flag one period later).  SET inhibits
 * updates (the time holds what is written, UIP reads 0) but not the chain: PF goes on, and
 * after SET is cleared the next update comes on the chain's own second boundary.
 *
 * Simplifications: the update cycle is instantaneous at the end of UIP (the chip takes up to
 * 2 ms with UIP still set; the time registers are valid again when UF is set either way);
 * changing DM or 24/12 reformats the time registers instead of leaving stale bytes (the alarm
 * bytes are stored and compared as written, as on the chip); invalid time values written are
 * normalised by the calendar arithmetic; day of week is derived from the date; daylight
 * saving (DSE) and the square-wave output (SQWE) are stored without effect.
 */

typedef struct RtcTime {
    int year, month, day, hour, min, sec, wday;   /* month 1-12, wday 0 = Sunday */
} RtcTime;

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


/* ---- the divider chain ---- */

static bool rtc_running(const Mc146818State *s)
{
    return (s->cmos[RTC_REG_A] & RTC_A_DV_MASK) == RTC_A_DV_32KHZ;
}

/* Updates happen: the divider counts and SET is clear. */
static bool rtc_updating(const Mc146818State *s)
{
    return rtc_running(s) && !(s->cmos[RTC_REG_B] & RTC_B_SET);
}

/* The chain's count at virtual time t (t >= chain_ns; only while running). */
static uint64_t chain_at(const Mc146818State *s, uint64_t t)
{
    return s->chain_ticks + vclock_ns_to_ticks(t - s->chain_ns, RTC_TIMEBASE_HZ);
}

/* The virtual time at which the chain reaches count tick (>= chain_ticks). */
static uint64_t chain_time(const Mc146818State *s, uint64_t tick)
{
    return s->chain_ns + vclock_ticks_to_ns(tick - s->chain_ticks, RTC_TIMEBASE_HZ);
}

/* The chain restarts at synced_ns half-way through a second (first update 500 ms later). */
static void chain_restart(Mc146818State *s)
{
    s->chain_ns = s->synced_ns;
    s->chain_ticks = RTC_TIMEBASE_HZ / 2;
}

/* Periodic interval in chain ticks for register A's RS bits (0: none).  With the 32.768 kHz
   time base, RS 1 and 2 give the rates of RS 8 and 9 (256 and 128 Hz). */
static uint32_t periodic_ticks(const Mc146818State *s)
{
    unsigned rs = s->cmos[RTC_REG_A] & RTC_A_RS_MASK;

    if (!rs) {
        return 0;
    }
    return rs <= 2 ? 1u << (rs + 6) : 1u << (rs - 1);
}


/* ---- the alarm ---- */

/* Which seconds, minutes and hours of the day the alarm bytes match, comparing bytes in the
   current format as the chip does (a don't-care byte matches all, an impossible one none). */
typedef struct AlarmSets {
    bool sec[60], min[60], hour[24];
} AlarmSets;

static bool alarm_byte_matches(uint8_t alarm, uint8_t shown)
{
    return (alarm & RTC_ALARM_DONT_CARE) == RTC_ALARM_DONT_CARE || alarm == shown;
}

static bool alarm_sets(const Mc146818State *s, AlarmSets *a)
{
    bool any_sec = false, any_min = false, any_hour = false;

    for (int i = 0; i < 60; i++) {
        a->sec[i] = alarm_byte_matches(s->cmos[RTC_SECONDS_ALARM], to_reg(s, i));
        a->min[i] = alarm_byte_matches(s->cmos[RTC_MINUTES_ALARM], to_reg(s, i));
        any_sec |= a->sec[i];
        any_min |= a->min[i];
    }
    for (int i = 0; i < 24; i++) {
        a->hour[i] = alarm_byte_matches(s->cmos[RTC_HOURS_ALARM], hour_to_reg(s, i));
        any_hour |= a->hour[i];
    }
    return any_sec && any_min && any_hour;
}

/* The first second of the day after `after` (-1: from midnight) the alarm matches, or -1.
   Whole hours and minutes before it are skipped, so this is at most a few hundred steps. */
static int alarm_next_in_day(const AlarmSets *a, int after)
{
    for (int h = 0; h < 24; h++) {
        if (!a->hour[h] || h * 3600 + 3599 <= after) {
            continue;
        }
        for (int m = 0; m < 60; m++) {
            int base = h * 3600 + m * 60;
            if (!a->min[m] || base + 59 <= after) {
                continue;
            }
            for (int sec = 0; sec < 60; sec++) {
                if (a->sec[sec] && base + sec > after) {
                    return base + sec;
                }
            }
        }
    }
    return -1;
}

/* The first time after t (Unix seconds) whose time of day matches the alarm; INT64_MAX if
   the alarm bytes can never match. */
static int64_t alarm_next(const Mc146818State *s, int64_t t)
{
    AlarmSets a;
    int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int sod;

    if (!alarm_sets(s, &a)) {
        return INT64_MAX;
    }
    sod = alarm_next_in_day(&a, (int)(t - day * 86400));
    if (sod >= 0) {
        return day * 86400 + sod;
    }
    return (day + 1) * 86400 + alarm_next_in_day(&a, -1);
}

/* ---- flags, IRQ 8 and catching up with virtual time ---- */

/* IRQF = PF*PIE + AF*AIE + UF*UIE; IRQ 8 follows it. */
static void rtc_update_irq(Mc146818State *s)
{
    uint8_t c = s->cmos[RTC_REG_C] & (RTC_C_PF | RTC_C_AF | RTC_C_UF);
    bool level = (c & s->cmos[RTC_REG_B] & (RTC_B_PIE | RTC_B_AIE | RTC_B_UIE)) != 0;

    s->cmos[RTC_REG_C] = c | (level ? RTC_C_IRQF : 0);
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_line_set(&s->irq, level);
    }
}

/* Replay the periodic ticks and updates between synced_ns and now (see the top). */
static void rtc_sync(Mc146818State *s)
{
    uint64_t now = vclock_now(&s->clock);

    if (now <= s->synced_ns) {
        return;
    }
    if (rtc_running(s)) {
        uint64_t a = chain_at(s, s->synced_ns), b = chain_at(s, now);
        uint32_t p = periodic_ticks(s);
        uint64_t updates = b / RTC_TIMEBASE_HZ - a / RTC_TIMEBASE_HZ;

        if (p && b / p != a / p) {
            s->cmos[RTC_REG_C] |= RTC_C_PF;
        }
        if (updates && !(s->cmos[RTC_REG_B] & RTC_B_SET)) {
            s->cmos[RTC_REG_C] |= RTC_C_UF;
            if (alarm_next(s, s->sec) <= s->sec + (int64_t)updates) {
                s->cmos[RTC_REG_C] |= RTC_C_AF;
            }
            s->sec += (int64_t)updates;
        }
    }
    s->synced_ns = now;
    rtc_update_irq(s);
}

void mc146818_poll(Mc146818State *s)
{
    rtc_sync(s);
}

uint64_t mc146818_next_deadline(const Mc146818State *s)
{
    uint8_t b = s->cmos[RTC_REG_B];
    uint64_t d = UINT64_MAX;

    if (!rtc_running(s) || (s->cmos[RTC_REG_C] & RTC_C_IRQF)) {
        return UINT64_MAX;          /* nothing counts, or IRQ 8 is up until C is read */
    }
    uint64_t tick = chain_at(s, s->synced_ns);
    uint32_t p = periodic_ticks(s);
    if ((b & RTC_B_PIE) && p) {
        d = chain_time(s, (tick / p + 1) * p);
    }
    if (!(b & RTC_B_SET) && (b & (RTC_B_UIE | RTC_B_AIE))) {
        uint64_t update = (tick / RTC_TIMEBASE_HZ + 1) * RTC_TIMEBASE_HZ;
        int64_t alarm = (b & RTC_B_AIE) ? alarm_next(s, s->sec) : INT64_MAX;
        if (b & RTC_B_UIE) {
            d = MIN(d, chain_time(s, update));
        }
        if (alarm != INT64_MAX) {
            /* the update that shows `alarm` is the (alarm - sec)th from now */
            d = MIN(d, chain_time(s, update + (uint64_t)(alarm - s->sec - 1) * RTC_TIMEBASE_HZ));
        }
    }
    return d;
}

void mc146818_set_notify(Mc146818State *s, Mc146818NotifyFn *fn, void *opaque)
{
    s->notify = fn;
    s->notify_opaque = opaque;
}

/* ---- registers ---- */

int64_t mc146818_get_time(const Mc146818State *s)
{
    uint64_t now = vclock_now(&s->clock);

    if (now <= s->synced_ns || !rtc_updating(s)) {
        return s->sec;
    }
    return s->sec + (int64_t)(chain_at(s, now) / RTC_TIMEBASE_HZ -
                              chain_at(s, s->synced_ns) / RTC_TIMEBASE_HZ);
}

/* UIP: within RTC_UIP_NS before an update (synced: now is synced_ns). */
static bool rtc_uip(const Mc146818State *s)
{
    if (!rtc_updating(s)) {
        return false;       /* SET, or the divider stopped: no update cycle */
    }
    uint64_t next = (chain_at(s, s->synced_ns) / RTC_TIMEBASE_HZ + 1) * RTC_TIMEBASE_HZ;
    return chain_time(s, next) - s->synced_ns <= RTC_UIP_NS;
}


static uint8_t rtc_read_reg(Mc146818State *s, uint8_t reg)
{
    RtcTime tm = time_from_unix(s->sec);
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
        v = s->cmos[RTC_REG_C];
        s->cmos[RTC_REG_C] = 0;     /* reading clears every flag and releases IRQ 8 */
        rtc_update_irq(s);
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
    RtcTime tm = time_from_unix(s->sec);
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
    s->sec = time_to_unix(&tm);
}

/* Register A: a divider leaving reset (or stop) restarts the chain; RS takes effect on the
   running chain (the next periodic flag at the next multiple of the new period). */
static void rtc_write_a(Mc146818State *s, uint8_t val)
{
    bool was_running = rtc_running(s);

    s->cmos[RTC_REG_A] = val & 0x7f;            /* UIP is read-only */
    if (!was_running && rtc_running(s)) {
        chain_restart(s);
    }
}

static void rtc_write_reg(Mc146818State *s, uint8_t reg, uint8_t val)
{
    switch (reg) {
    case RTC_SECONDS: case RTC_MINUTES: case RTC_HOURS: case RTC_DAY_OF_WEEK:
    case RTC_DAY_OF_MONTH: case RTC_MONTH: case RTC_YEAR: case RTC_CENTURY:
        rtc_write_time(s, reg, val);
        break;
    case RTC_REG_A:
        rtc_write_a(s, val);
        break;
    case RTC_REG_B:
        if ((val & RTC_B_SET) && !(s->cmos[RTC_REG_B] & RTC_B_SET)) {
            val &= ~RTC_B_UIE;                  /* setting SET clears UIE, as on the chip */
        }
        s->cmos[RTC_REG_B] = val;
        rtc_update_irq(s);                      /* an enable for a flag already set fires */
        break;
    case RTC_REG_C: case RTC_REG_D:
        break;                                  /* read-only */
    default:
        s->cmos[reg] = val;                     /* NVRAM and the alarm bytes */
        break;
    }
}

/* Data port accesses catch up first; the board hears when the next deadline moved. */
static void rtc_notify_if_moved(Mc146818State *s, uint64_t before)
{
    if (s->notify && mc146818_next_deadline(s) != before) {
        s->notify(s->notify_opaque);
    }
}

static uint64_t rtc_io_read(void *opaque, uint64_t addr, unsigned size)
{
    Mc146818State *s = opaque;

    /* The index port is write-only on the chip; QEMU reads it as 0xff. */
    if (addr == 0) {
        return 0xff;
    }
    uint64_t before = mc146818_next_deadline(s);
    rtc_sync(s);
    uint8_t v = rtc_read_reg(s, s->index);
    rtc_notify_if_moved(s, before);
    return v;
}

static void rtc_io_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    Mc146818State *s = opaque;

    if (addr == 0) {
        s->index = val & 0x7f;                  /* bit 7 masks NMIs: there are none */
        return;
    }
    uint64_t before = mc146818_next_deadline(s);
    rtc_sync(s);
    rtc_write_reg(s, s->index, (uint8_t)val);
    rtc_notify_if_moved(s, before);
}

static const MemoryRegionOps rtc_ops = { .read = rtc_io_read, .write = rtc_io_write };

/* As PC firmware leaves it: A = 0x26 (32.768 kHz, 1024 Hz rate), B with only DM and 24/12
   kept (the chip's reset clears PIE/AIE/UIE/SQWE; SET goes too), C clear and IRQ 8 low. */
void mc146818_reset(Mc146818State *s)
{
    bool was_running;

    rtc_sync(s);
    was_running = rtc_running(s);
    s->index = 0;
    s->cmos[RTC_REG_A] = RTC_A_DV_32KHZ | 0x06;
    if (!was_running) {
        chain_restart(s);
    }
    s->cmos[RTC_REG_B] &= RTC_B_DM_BINARY | RTC_B_24H;
    s->cmos[RTC_REG_C] = 0;
    rtc_update_irq(s);
}

Mc146818State *mc146818_new(const VClock *clock, const IrqLine *irq, int64_t host_sec)
{
    Mc146818State *s = g_new0(Mc146818State, 1);

    s->clock = *clock;
    if (irq) {
        s->irq = *irq;
    }
    s->sec = host_sec;
    s->synced_ns = s->chain_ns = vclock_now(clock);   /* the next second begins now */
    s->cmos[RTC_REG_A] = RTC_A_DV_32KHZ | 0x06;
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
