/* The machine classes each binary offers, lookup by -machine name, and machine state lifetime. */
#include "hw/core/boards.h"

#include <string.h>

#define MiB (1024ull * 1024)

static const MachineClass pc_machine_class = {
    .name = "pc",
    .desc = "Standard PC (i440FX + PIIX, 1996)",
    .is_default = true,
    .max_cpus = 255,
    .default_ram_size = 128 * MiB,
    /* NUMA hooks arrive with hw/i386 and numa/ */
};

static const MachineClass e2k_machine_class = {
    .name = "e2k",
    .desc = "Elbrus e2k board",
    .is_default = true,
    .max_cpus = 64,
    .default_ram_size = 128 * MiB,
};

static const MachineClass *const x86_64_machines[] = { &pc_machine_class, NULL };
static const MachineClass *const e2k_machines[] = { &e2k_machine_class, NULL };

/* Properties -machine accepts besides "type"; the boards and numa/ consume them later. */
static const char *const machine_properties[] = {
    "type", "accel", "hmat", "dumpdtb", "memory-backend", NULL
};

const MachineClass *const *machine_class_list(const char *target)
{
    if (g_strcmp0(target, "x86_64") == 0) {
        return x86_64_machines;
    }
    if (g_strcmp0(target, "e2k") == 0) {
        return e2k_machines;
    }
    return NULL;
}

const MachineClass *machine_class_find(const char *target, const char *name, GError **errp)
{
    const MachineClass *const *list = machine_class_list(target);

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

char *machine_class_help(const char *target)
{
    const MachineClass *const *list = machine_class_list(target);
    GString *out = g_string_new("Supported machines are:\n");

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
    /* numa and ram are released by their owners' teardown once those exist. */
    g_free(ms->possible_cpus);
    g_free(ms);
}

bool machine_check_property(const MachineClass *mc, const char *key, GError **errp)
{
    for (size_t i = 0; machine_properties[i]; i++) {
        if (strcmp(machine_properties[i], key) == 0) {
            return true;
        }
    }
    error_setg(errp, "Property '%s-machine.%s' not found", mc->name, key);
    return false;
}
