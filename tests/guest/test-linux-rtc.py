#!/usr/bin/env python3
"""Boot Debian's cloud kernel once and check the CMOS RTC's alarm interrupt from inside (TAP).

The test writes its own busybox initramfs (the recipe of scripts/make-initramfs.sh, with a
different /init, written by linux_guest.write_initramfs) into a temporary
directory.  /init arms /sys/class/rtc/rtc0/wakealarm two seconds ahead, sleeps three, and prints
what the kernel saw: rtc-cmos clears the alarm when IRQ 8 (IOAPIC pin 8, edge) brings AF, so the
wakealarm file is empty again and /proc/interrupts counts one rtc0 interrupt.  `hwclock -w`
(SET, divider reset and restart) then a one-second alarm must give the second interrupt.

usage: test-linux-rtc.py NUMBAT_X86_64 [CACHE_DIR]
(CACHE_DIR holds vmlinuz and busybox from scripts/fetch-guest.sh; default $NUMBAT_CACHE or
~/.cache/numbat)
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from tap import Tap  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import linux_guest  # noqa: E402
from linux_guest import linux_args, write_initramfs  # noqa: E402

BOOT_TIMEOUT = 240

INIT = r'''#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
r=/sys/class/rtc/rtc0
irqs() { awk '/rtc0/ { print $2 }' /proc/interrupts; }
echo "RTC-BEGIN"
echo "irqs-before: $(irqs)"
echo +2 > $r/wakealarm
echo "armed: $(cat $r/wakealarm) at $(cat $r/since_epoch) $(grep alarm_IRQ /proc/driver/rtc)"
sleep 3
echo "fired: '$(cat $r/wakealarm)' at $(cat $r/since_epoch) $(grep alarm_IRQ /proc/driver/rtc)"
echo "irqs-after-alarm: $(irqs)"
hwclock -w && echo "hwclock-w: ok"
echo +1 > $r/wakealarm
sleep 2
echo "second: '$(cat $r/wakealarm)' irqs $(irqs)"
echo "RTC-END"
poweroff -f
'''


def boot(numbat, cache, initrd):
    args = linux_args(numbat, os.path.join(cache, 'vmlinuz'), initrd) + ['-m', '256M', '-smp', '1']
    return linux_guest.boot(args, BOOT_TIMEOUT)


def field(out, pattern):
    m = re.search(pattern, out, re.M)
    return m.groups() if m else None


def check(t, rc, out):
    tail = out[-3000:]
    t.ok(rc == 0, 'guest powered off, exit status 0', f'exit {rc}\n{tail}')
    t.ok('rtc_cmos 00:01: registered as rtc0' in out, 'rtc-cmos registered rtc0', tail)
    t.eq(field(out, r'^irqs-before: (\d+)'), ('0',), 'no rtc0 interrupt before the alarm')
    armed = field(out, r'^armed: (\d+) at (\d+) alarm_IRQ\s*: (\w+)')
    t.ok(armed and 1 <= int(armed[0]) - int(armed[1]) <= 2 and armed[2] == 'yes',
         'wakealarm armed two seconds ahead, AIE on', tail)
    fired = field(out, r"^fired: '(\d*)' at (\d+) alarm_IRQ\s*: (\w+)")
    t.ok(fired and fired[0] == '' and fired[2] == 'no' and armed and int(fired[1]) >= int(armed[0]),
         'the alarm fired: wakealarm cleared, AIE off again', tail)
    t.eq(field(out, r'^irqs-after-alarm: (\d+)'), ('1',), 'exactly one rtc0 interrupt (IRQ 8)')
    t.ok('hwclock-w: ok' in out, 'hwclock -w (SET, divider reset) succeeded', tail)
    t.eq(field(out, r"^second: '(\d*)' irqs (\d+)"), ('', '2'),
         'a one-second alarm after hwclock -w fired: the second interrupt')


def main():
    numbat = sys.argv[1]
    cache = sys.argv[2] if len(sys.argv) > 2 else linux_guest.default_cache()
    t = Tap()
    missing = [f for f in ('vmlinuz', 'busybox') if not os.path.exists(os.path.join(cache, f))]
    if missing:
        t.ok(False, 'guest kernel and busybox present',
             f'missing in {cache}: {missing}; run scripts/fetch-guest.sh')
        return t.finish()
    with tempfile.TemporaryDirectory() as tmp:
        initrd = os.path.join(tmp, 'initramfs-rtc.cpio.gz')
        write_initramfs(os.path.join(cache, 'busybox'), INIT, initrd)
        rc, out, secs = boot(numbat, cache, initrd)
    print(f'# booted in {secs:.1f} s', flush=True)
    check(t, rc, out)
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
