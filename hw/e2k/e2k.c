/* The e2k machine (Elbrus e8c board): its class, NUMA hooks and board init. */
#include "hw/core/boards.h"

#include "hw/e2k/e2k-machine.h"
#include "hw/e2k/e2k-memmap.h"
#include "numa/numa.h"
#include "sysemu/memory.h"
#include "sysemu/sysemu.h"
#include "util/opts.h"

#define MiB (1024ull * 1024)

/*
 * What the board builds at init; owned by the MachineState (ms->board).  The CPU model is
 * the constant E2K_DEFAULT_CPU_MODEL ("e8c"): numbat has no -cpu option.
 */
typedef struct E2kBoard {
    E2kAddressSpace as;             /* RAM in the low and high windows */
    E2kFirmwareImages *fw;          /* bootblock and DTB, also loaded into guest RAM */
} E2kBoard;

static void e2k_board_free(void *opaque)
{
    E2kBoard *b = opaque;

    e2k_address_space_destroy(&b->as);
    e2k_firmware_images_free(b->fw);
    g_free(b);
}

/*
 * Sockets = nodes (e2k_default_sockets): record the topology the NUMA layer already
 * grouped CPUs by, so that the -smp view and the node assignment agree.
 */
static void e2k_apply_default_sockets(MachineState *ms)
{
    unsigned sockets = e2k_default_sockets(ms);

    if (sockets) {
        ms->smp.sockets = sockets;
        ms->smp.cores = ms->smp.max_cpus /
                        (sockets * MAX(ms->smp.dies, 1) * MAX(ms->smp.threads, 1));
    }
}

/* Put the bootblock and the DTB where the boot info says they are. */
static bool e2k_load_firmware(E2kBoard *b, GError **errp)
{
    return e2k_address_space_write(&b->as, b->fw->dtb_addr, b->fw->dtb, b->fw->dtb_size,
                                   errp) &&
           e2k_address_space_write(&b->as, b->fw->block_addr, b->fw->block,
                                   sizeof(b->fw->block), errp);
}

static bool e2k_board_init(SysEmu *se, MachineState *ms, GError **errp)
{
    const char *bootinfo_path = opt_get(ms->opts, "dumpbootinfo");
    const char *dtb_path = opt_get(ms->opts, "dumpdtb");
    E2kBoard *b;

    if (!ms->ram) {
        error_setg(errp, "e2k: the machine has no system RAM");
        return false;
    }
    if (se->kernel || se->initrd) {
        /* No e2k CPU to run it: refuse rather than silently ignore the image. */
        error_setg(errp, "e2k: -kernel and -initrd are not supported (numbat has no e2k "
                   "CPU); use -machine e2k,dumpbootinfo=FILE,dumpdtb=FILE");
        return false;
    }
    b = g_new0(E2kBoard, 1);
    ms->board = b;
    ms->board_free = e2k_board_free;
    e2k_apply_default_sockets(ms);
    if (!e2k_address_space_init(&b->as, ms->ram, errp) ||
        !(b->fw = e2k_firmware_build(ms, se->append, errp)) ||
        !e2k_numa_remap_ranges(ms, errp) || !e2k_load_firmware(b, errp)) {
        return false;
    }
    if (bootinfo_path || dtb_path) {
        if (!e2k_firmware_images_write(b->fw, bootinfo_path, dtb_path, errp)) {
            return false;
        }
        ms->exit_after_init = true;    /* a dump request: numbat exits 0 after init */
    }
    return true;
}

static const char *const e2k_properties[] = { "dumpdtb", "dumpbootinfo", NULL };

static const MachineClass e2k_machine_class = {
    .name = "e2k",
    .desc = "Elbrus e2k board",
    .is_default = true,
    .max_cpus = 64,
    .default_ram_size = 128 * MiB,
    .default_ram_id = "e2k.ram",
    .properties = e2k_properties,
    .init = e2k_board_init,
    /* NUMA hooks: the e2k (bitmap) layer, since there is no cpu_index_to_instance_props */
    .cpu_index_to_socket_id = e2k_cpu_index_to_socket_id,
    .numa_auto_assign_ram = numa_legacy_auto_assign_ram,
    .numa_mem_align_shift = E2K_NUMA_MEM_ALIGN_SHIFT,
};

static const MachineClass *const e2k_machines[] = { &e2k_machine_class, NULL };

const MachineClass *const *target_machine_classes(void)
{
    return e2k_machines;
}
