/* The pc machine (i440FX-era PC): its class, NUMA hooks and board init. */
#include "hw/core/boards.h"

#define MiB (1024ull * 1024)

static const char *const pc_properties[] = { "hmat", "dumpacpi", NULL };

static const MachineClass pc_machine_class = {
    .name = "pc",
    .desc = "Standard PC (i440FX + PIIX, 1996)",
    .is_default = true,
    .max_cpus = 255,
    .default_ram_size = 128 * MiB,
    .default_ram_id = "pc.ram",
    .properties = pc_properties,
};

static const MachineClass *const pc_machines[] = { &pc_machine_class, NULL };

const MachineClass *const *target_machine_classes(void)
{
    return pc_machines;
}
