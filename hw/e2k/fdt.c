/* Builds the e2k board's device tree with libfdt, following Linux's NUMA binding (numa-node-id, numa-distance-map-v1). */
#include "hw/e2k/e2k-fdt.h"

#include <inttypes.h>
#include <libfdt.h>
#include <string.h>

#define E2K_FDT_INITIAL_SIZE 4096

/* Distance from node a to node b, from the matrix or the binding's defaults. */
static unsigned fdt_distance(const E2kFdtInput *in, unsigned a, unsigned b)
{
    if (in->distance) {
        return in->distance[a * in->nb_nodes + b];
    }
    return a == b ? E2K_FDT_DISTANCE_LOCAL : E2K_FDT_DISTANCE_REMOTE;
}

/* Linux's of_numa rejects a local distance other than 10 and a remote one <= 10. */
static bool check_input(const E2kFdtInput *in, GError **errp)
{
    if (in->nb_nodes == 0 || in->nb_nodes > E2K_MAX_NODES) {
        error_setg(errp, "the e2k machine supports 1 to %d NUMA nodes, not %u",
                   E2K_MAX_NODES, in->nb_nodes);
        return false;
    }
    if (in->nb_cpus == 0 || in->nb_cpus > E2K_MAX_CPUS) {
        error_setg(errp, "e2k device tree: %u CPUs, the board supports 1 to %d",
                   in->nb_cpus, E2K_MAX_CPUS);
        return false;
    }
    for (unsigned a = 0; a < in->nb_nodes; a++) {
        for (unsigned b = 0; b < in->nb_nodes; b++) {
            unsigned d = fdt_distance(in, a, b);
            bool ok = a == b ? d == E2K_FDT_DISTANCE_LOCAL
                             : d > E2K_FDT_DISTANCE_LOCAL && d <= E2K_FDT_DISTANCE_MAX;
            if (!ok) {
                error_setg(errp, "e2k device tree: invalid NUMA distance %u from node %u to "
                           "node %u (local must be %d, remote %d..%d)", d, a, b,
                           E2K_FDT_DISTANCE_LOCAL, E2K_FDT_DISTANCE_LOCAL + 1,
                           E2K_FDT_DISTANCE_MAX);
                return false;
            }
        }
    }
    return true;
}

static int add_root(void *fdt, const E2kFdtInput *in, const char *model)
{
    static const char compat[] = E2K_FDT_COMPATIBLE "\0" E2K_FDT_COMPATIBLE_GEN;
    g_autofree char *name = g_strdup_printf("numbat e2k (%s)", model);
    int err;

    /* New properties are prepended too: set them last to first. */
    if ((err = fdt_setprop_u32(fdt, 0, "#size-cells", 2)) ||
        (err = fdt_setprop_u32(fdt, 0, "#address-cells", 2)) ||
        (err = fdt_setprop(fdt, 0, "compatible", compat, sizeof(compat))) ||
        (err = fdt_setprop_string(fdt, 0, "model", name))) {
        return err;
    }
    if (in->cmdline) {
        int chosen = fdt_add_subnode(fdt, 0, "chosen");
        if (chosen < 0) {
            return chosen;
        }
        return fdt_setprop_string(fdt, chosen, "bootargs", in->cmdline);
    }
    return 0;
}

static int add_cpus(void *fdt, const E2kFdtInput *in, const uint32_t *ids, const char *model)
{
    g_autofree char *compat = g_strdup_printf("mcst,%s", model);
    int cpus = fdt_add_subnode(fdt, 0, "cpus"), err;

    if (cpus < 0) {
        return cpus;
    }
    if ((err = fdt_setprop_u32(fdt, cpus, "#size-cells", 0)) ||
        (err = fdt_setprop_u32(fdt, cpus, "#address-cells", 1))) {
        return err;
    }
    /* fdt_add_subnode prepends, so add in reverse to keep ascending index order. */
    for (unsigned i = in->nb_cpus; i-- > 0;) {
        g_autofree char *name = g_strdup_printf("cpu@%" PRIx32, ids[i]);
        int cpu = fdt_add_subnode(fdt, cpus, name);
        if (cpu < 0) {
            return cpu;
        }
        if ((err = fdt_setprop_u32(fdt, cpu, "numa-node-id", in->cpu_node[i])) ||
            (err = fdt_setprop_u32(fdt, cpu, "reg", ids[i])) ||
            (err = fdt_setprop_string(fdt, cpu, "compatible", compat)) ||
            (err = fdt_setprop_string(fdt, cpu, "device_type", "cpu"))) {
            return err;
        }
    }
    return 0;
}

static int add_memory(void *fdt, const E2kFdtInput *in)
{
    for (unsigned n = in->nb_nodes; n-- > 0;) {
        for (unsigned i = in->nodes[n].nb_banks; i-- > 0;) {
            const E2kBank *bank = &in->nodes[n].banks[i];
            g_autofree char *name = g_strdup_printf("memory@%" PRIx64, bank->addr);
            int mem = fdt_add_subnode(fdt, 0, name), err;

            if (mem < 0) {
                return mem;
            }
            if ((err = fdt_setprop_u32(fdt, mem, "numa-node-id", n)) ||
                (err = fdt_setprop_u64(fdt, mem, "reg", bank->addr)) ||
                (err = fdt_appendprop_u64(fdt, mem, "reg", bank->size)) ||
                (err = fdt_setprop_string(fdt, mem, "device_type", "memory"))) {
                return err;
            }
        }
    }
    return 0;
}

static int add_distance_map(void *fdt, const E2kFdtInput *in)
{
    unsigned n = in->nb_nodes;
    g_autofree fdt32_t *matrix = g_new(fdt32_t, 3 * n * n);
    int map = fdt_add_subnode(fdt, 0, "distance-map"), err;

    if (map < 0) {
        return map;
    }
    /* Every ordered pair, in the binding's ascending order, so asymmetry survives. */
    for (unsigned a = 0; a < n; a++) {
        for (unsigned b = 0; b < n; b++) {
            fdt32_t *t = &matrix[3 * (a * n + b)];
            t[0] = cpu_to_fdt32(a);
            t[1] = cpu_to_fdt32(b);
            t[2] = cpu_to_fdt32(fdt_distance(in, a, b));
        }
    }
    if ((err = fdt_setprop(fdt, map, "distance-matrix", matrix, 3 * n * n * sizeof(fdt32_t)))) {
        return err;
    }
    return fdt_setprop_string(fdt, map, "compatible", "numa-distance-map-v1");
}

/* One attempt in a buffer of `size` bytes; -FDT_ERR_NOSPACE asks for a bigger one. */
static int build_into(void *fdt, int size, const E2kFdtInput *in, const uint32_t *ids)
{
    const char *model = in->cpu_model ? in->cpu_model : "e8c";
    int err = fdt_create_empty_tree(fdt, size);

    /* Subnodes are prepended: add the last one first to read root, chosen, cpus, memory... */
    if (err || (err = add_distance_map(fdt, in)) || (err = add_memory(fdt, in)) ||
        (err = add_cpus(fdt, in, ids, model)) || (err = add_root(fdt, in, model))) {
        return err;
    }
    return fdt_pack(fdt);
}

void *e2k_fdt_build(const E2kFdtInput *in, size_t *size, GError **errp)
{
    g_autofree uint32_t *ids = NULL;
    int bufsize = E2K_FDT_INITIAL_SIZE;

    if (!check_input(in, errp)) {
        return NULL;
    }
    ids = g_new(uint32_t, in->nb_cpus);
    if (!e2k_layout_cpu_ids(in->cpu_node, in->nb_cpus, in->nb_nodes, ids, errp)) {
        return NULL;
    }
    for (;;) {
        void *fdt = g_malloc0(bufsize);
        int err = build_into(fdt, bufsize, in, ids);

        if (err == 0) {
            *size = fdt_totalsize(fdt);
            return g_realloc(fdt, *size);
        }
        g_free(fdt);
        if (err != -FDT_ERR_NOSPACE || bufsize > (1 << 24)) {
            error_setg(errp, "e2k device tree: libfdt: %s", fdt_strerror(err));
            return NULL;
        }
        bufsize *= 2;
    }
}
