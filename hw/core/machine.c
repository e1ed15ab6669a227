/* The machine classes each binary offers, lookup by -machine name, and machine state lifetime. */
#include "hw/core/boards.h"

#include <string.h>

#include "numa/numa.h"
#include "sysemu/memory.h"

/* Properties every machine accepts; a class adds its own in MachineClass.properties. */
static const char *const common_machine_properties[] = {
    "type", "accel", "memory-backend", NULL
};

const MachineClass *machine_class_find(const MachineClass *const *list, const char *name,
                                       GError **errp)
{
    for (size_t i = 0; list && list[i]; i++) {
        const MachineClass *mc = list[i];
        if (name ? (strcmp(mc->name, name) == 0 || g_strcmp0(mc->alias, name) == 0)
                 : mc->is_default) {
            return mc;
        }
    }
    if (!name) {
        error_setg(errp, "No machine specified, and there is no default\n"
                   "Use -machine help to list supported machines");
    } else {
        /* The hint rides on a second line, printed as QEMU prints its error hints. */
        error_setg(errp, "unsupported machine type\n"
                   "Use -machine help to list supported machines");
    }
    return NULL;
}

char *machine_class_help(const MachineClass *const *list)
{    GString *out = g_string_new("Supported machines are:\n");

    for (size_t i = 0; list && list[i]; i++) {
        const MachineClass *mc = list[i];
        if (mc->alias) {
            g_string_append_printf(out, "%-20s %s (alias of %s)\n", mc->alias, mc->desc,
                                   mc->name);
        }
        g_string_append_printf(out, "%-20s %s%s\n", mc->name, mc->desc,
                               mc->is_default ? " (default)" : "");
    }
    return g_string_free(out, FALSE);
}

MachineState *machine_new(const MachineClass *mc)
{
    MachineState *ms = g_new0(MachineState, 1);

    ms->mc = mc;
    ms->ram_size = mc->default_ram_size;
    ms->maxram_size = mc->default_ram_size;
    ms->smp = (SmpTopology) {
        .cpus = 1, .sockets = 1, .dies = 1, .cores = 1, .threads = 1, .max_cpus = 1,
    };
    return ms;
}

void machine_free(MachineState *ms)
{
    if (!ms) {
        return;
    }
    /* The board's state refers to RAM (aliases): it goes first. */
    if (ms->board_free) {
        ms->board_free(ms->board);
    }
    /* The RAM container first: it detaches the backends' regions, which /objects owns. */
    if (ms->ram_container) {
        memory_region_destroy(ms->ram_container);
        g_free(ms->ram_container);
    }
    numa_state_free(ms->numa);
    g_free(ms->possible_cpus);
    g_free(ms);
}

static bool in_list(const char *const *list, const char *key)
{
    for (size_t i = 0; list && list[i]; i++) {
        if (strcmp(list[i], key) == 0) {
            return true;
        }
    }
    return false;
}

bool machine_check_property(const MachineClass *mc, const char *key, GError **errp)
{
    if (in_list(common_machine_properties, key) || in_list(mc->properties, key)) {
        return true;
    }
    error_setg(errp, "Property '%s-machine.%s' not found", mc->name, key);
    return false;
}
