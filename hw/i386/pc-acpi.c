/* The pc machine's ACPI configuration: CPUs, nodes, distances and HMAT from the machine, placed in guest memory. */
#include "hw/i386/pc.h"
#include "hw/acpi/hmat.h"
#include "numa/numa.h"

#include <inttypes.h>

static bool setup_cpus(PcAcpiSetup *s, const MachineState *ms, GError **errp)
{
    const CPUArchIdList *list = ms->possible_cpus;
    if (!list || list->len <= 0) {
        error_setg(errp, "ACPI: the machine has no possible CPUs");
        return false;
    }
    s->cpus = g_new0(AcpiCpu, list->len);
    for (int i = 0; i < list->len; i++) {
        const CPUArchId *c = &list->cpus[i];
        /* Without NUMA every CPU is in domain 0 (no SRAT is built then anyway). */
        s->cpus[i].apic_id = c->arch_id;
        s->cpus[i].node = c->props.has_node_id ? c->props.node_id : 0;
        s->cpus[i].present = (unsigned)i < ms->smp.cpus;
    }
    s->cfg.cpus = s->cpus;
    s->cfg.nb_cpus = list->len;
    return true;
}

/* The N x N matrix, completed the way numa_complete_distance does should a pair be missing:
 * the diagonal is local, a missing entry mirrors its opposite, else the default. */
static uint8_t *distance_matrix(const NumaState *ns)
{
    unsigned n = ns->num_nodes;
    uint8_t *m = g_new0(uint8_t, n * n);
    for (unsigned i = 0; i < n; i++) {
        for (unsigned j = 0; j < n; j++) {
            uint8_t d = ns->nodes[i].distance[j];
            if (!d) {
                d = i == j ? NUMA_DISTANCE_MIN
                    : ns->nodes[j].distance[i] ? ns->nodes[j].distance[i]
                    : NUMA_DISTANCE_DEFAULT;
            }
            m[i * n + j] = d;
        }
    }
    return m;
}

static void setup_numa(PcAcpiSetup *s, const NumaState *ns)
{
    unsigned n = ns->num_nodes;
    s->cfg.nb_nodes = n;
    s->node_mem = g_new0(uint64_t, n);
    for (unsigned i = 0; i < n; i++) {
        s->node_mem[i] = ns->nodes[i].node_mem;
    }
    s->cfg.node_mem = s->node_mem;
    /* SLIT only when distances were given, as QEMU does. */
    if (ns->have_numa_distance) {
        s->distance = distance_matrix(ns);
        s->cfg.distance = s->distance;
    }
    if (ns->hmat_enabled) {
        s->hmat = g_byte_array_new();
        acpi_build_hmat(s->hmat, ns);
        s->cfg.hmat = s->hmat;
    }
}

bool pc_acpi_setup_init(PcAcpiSetup *s, const MachineState *ms, const PcMemMap *map,
                        GError **errp)
{
    *s = (PcAcpiSetup) { 0 };
    if (!setup_cpus(s, ms, errp)) {
        return false;
    }
    if (ms->numa && ms->numa->num_nodes > 0) {
        setup_numa(s, ms->numa);
    }
    s->cfg.ram = (PcRamLayout) { map->below_4g, map->above_4g };
    s->cfg.hotplug_base = map->device_mem_base;
    s->cfg.hotplug_size = map->device_mem_size;
    return true;
}

void pc_acpi_setup_clear(PcAcpiSetup *s)
{
    g_free(s->cpus);
    g_free(s->node_mem);
    g_free(s->distance);
    if (s->hmat) {
        g_byte_array_unref(s->hmat);
    }
    *s = (PcAcpiSetup) { 0 };
}

AcpiTables *pc_acpi_build(const MachineState *ms, const PcMemMap *map, uint64_t *high_base,
                          GError **errp)
{
    PcAcpiSetup s;
    *high_base = 0;
    if (!pc_acpi_setup_init(&s, ms, map, errp)) {
        return NULL;
    }
    AcpiTables *t = acpi_build_pc_tables(&s.cfg, PC_ACPI_TABLES_ADDR);
    guint len = t->blob->len;
    if (len > PC_ACPI_AREA_END - PC_ACPI_TABLES_ADDR) {
        /* Too big for the BIOS area (large HMATs): the top of RAM below 4 GiB, as
         * firmware does it.  Table lengths do not depend on the base. */
        acpi_tables_free(t);
        t = NULL;
        uint64_t base = map->below_4g > len ? (map->below_4g - len) & ~(PC_ACPI_HIGH_ALIGN - 1)
                                            : 0;
        if (base < PC_ACPI_AREA_END) {
            error_setg(errp, "ACPI tables (%u bytes) do not fit in guest RAM below 4 GiB "
                       "(0x%" PRIx64 " bytes)", len, map->below_4g);
        } else {
            t = acpi_build_pc_tables(&s.cfg, base);
            *high_base = base;
        }
    }
    pc_acpi_setup_clear(&s);
    return t;
}

bool pc_acpi_install(const AcpiTables *t, const FlatView *fv, GError **errp)
{
    if (!flatview_write(fv, t->base, t->blob->data, t->blob->len) ||
        !flatview_write(fv, PC_ACPI_RSDP_ADDR, t->rsdp->data, t->rsdp->len)) {
        error_setg(errp, "cannot write the ACPI tables to guest memory at 0x%" PRIx64,
                   t->base);
        return false;
    }
    return true;
}
