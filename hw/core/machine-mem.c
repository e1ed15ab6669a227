/* -m [size=]SIZE[,slots=N,maxmem=SIZE]: guest RAM size, hotplug slots and maximum, as QEMU 7.2. */
#include "hw/core/boards.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "util/cutils.h"
#include "util/opts.h"

#define MiB (UINT64_C(1) << 20)
/* QEMU rounds guest RAM up to 8 KiB (its target page granularity for RAM blocks). */
#define RAM_SIZE_ALIGN UINT64_C(8192)

/* size= is kept as text by the option table: its legacy unit (MiB) is decided here. */
static bool parse_ram_size(const Opts *opts, uint64_t *out, GError **errp)
{
    const char *text = opt_get(opts, "size");
    size_t len;
    int ret;

    *out = 0;
    if (!text) {
        return true;
    }
    len = strlen(text);
    if (!len) {
        error_setg(errp, "missing 'size' option value");
        return false;
    }
    ret = qemu_strtosz(text, NULL, out);
    if (ret == -ERANGE) {
        error_setg(errp, "%s: Value '%s' is out of range for parameter 'size'",
                   opts_origin(opts), text);
        return false;
    }
    if (ret < 0) {
        error_setg(errp, "%s: Parameter 'size' expects a non-negative number below 2^64\n%s",
                   opts_origin(opts), OPT_SIZE_HINT);
        return false;
    }
    if (isdigit((unsigned char)text[len - 1])) {
        if (*out > UINT64_MAX / MiB) {
            error_setg(errp, "too large 'size' option value");
            return false;
        }
        *out *= MiB;
    }
    return true;
}

bool machine_parse_memory(MachineState *ms, const Opts *opts, GError **errp)
{
    uint64_t size, slots = 0, maxmem;

    if (!opts) {
        return true;
    }
    if (!parse_ram_size(opts, &size, errp)) {
        return false;
    }
    /* "-m 0" has always meant the machine's default size. */
    if (size == 0) {
        size = ms->mc->default_ram_size;
    }
    if (size > UINT64_MAX - (RAM_SIZE_ALIGN - 1)) {
        error_setg(errp, "ram size too large");
        return false;
    }
    size = (size + RAM_SIZE_ALIGN - 1) & ~(RAM_SIZE_ALIGN - 1);
    if (!opt_get_number(opts, "slots", 0, &slots, errp) ||
        !opt_get_size(opts, "maxmem", size, &maxmem, errp)) {
        error_prepend(errp, "%s: ", opts_origin(opts));
        return false;
    }
    if (slots && !opt_has(opts, "maxmem")) {
        error_setg(errp, "slots specified but no max-size");
        return false;
    }
    if (maxmem < size) {
        error_setg(errp, "invalid value of maxmem: maximum memory size (0x%" PRIx64 ") must "
                   "be at least the initial memory size (0x%" PRIx64 ")", maxmem, size);
        return false;
    }
    if (slots && maxmem == size) {
        error_setg(errp, "invalid value of maxmem: memory slots were specified but maximum "
                   "memory size (0x%" PRIx64 ") is equal to the initial memory size "
                   "(0x%" PRIx64 ")", maxmem, size);
        return false;
    }
    ms->ram_size = size;
    ms->maxram_size = maxmem;
    ms->ram_slots = slots;
    return true;
}
