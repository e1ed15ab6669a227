/* Test helper: writes the e2k device tree (and optionally the boot info block) for a topology given on the command line. */
#include <glib.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/e2k/bootinfo.h"
#include "hw/e2k/e2k-fdt.h"
#include "hw/e2k/e2k-layout.h"

typedef struct Args {
    char *node_mem;      /* "1024,0,2048" in MiB */
    int cpus;
    char *assign;        /* "rr", "socket:CORES" or "list:0,1,1,0" */
    char *dist;          /* "0:1:21,1:0:31" overrides of the 10/20 default */
    char *cmdline;
    char *bootinfo;      /* also write the boot info block here */
    gboolean inject_warning;
} Args;

/* Parse "a,b,c" into up to max unsigned numbers; returns the count or -1. */
static int parse_list(const char *s, guint64 *out, int max)
{
    g_auto(GStrv) parts = g_strsplit(s, ",", -1);
    int n = 0;

    for (; parts[n]; n++) {
        if (n == max || !g_ascii_string_to_unsigned(parts[n], 10, 0, G_MAXUINT64 >> 20,
                                                    &out[n], NULL)) {
            return -1;
        }
    }
    return n;
}

static bool assign_cpus(const Args *a, unsigned nodes, uint32_t *cpu_node, GError **errp)
{
    guint64 v[E2K_MAX_CPUS];
    unsigned cores;

    if (!a->assign || strcmp(a->assign, "rr") == 0) {
        for (int i = 0; i < a->cpus; i++) {
            cpu_node[i] = i % nodes;            /* round-robin over the nodes */
        }
    } else if (sscanf(a->assign, "socket:%u", &cores) == 1 && cores > 0) {
        for (int i = 0; i < a->cpus; i++) {
            cpu_node[i] = (i / cores) % nodes;  /* socket id modulo the node count */
        }
    } else if (g_str_has_prefix(a->assign, "list:") &&
               parse_list(a->assign + 5, v, E2K_MAX_CPUS) == a->cpus) {
        for (int i = 0; i < a->cpus; i++) {
            cpu_node[i] = v[i];
        }
    } else {
        g_set_error(errp, G_OPTION_ERROR, 0, "bad --assign '%s'", a->assign);
        return false;
    }
    return true;
}

static bool apply_dist(const char *spec, unsigned nodes, uint8_t *d, GError **errp)
{
    g_auto(GStrv) parts = g_strsplit(spec, ",", -1);

    for (unsigned a = 0; a < nodes; a++) {
        for (unsigned b = 0; b < nodes; b++) {
            d[a * nodes + b] = a == b ? 10 : 20;
        }
    }
    for (int i = 0; parts[i]; i++) {
        unsigned a, b, v;
        if (sscanf(parts[i], "%u:%u:%u", &a, &b, &v) != 3 || a >= nodes || b >= nodes ||
            v > 255) {
            g_set_error(errp, G_OPTION_ERROR, 0, "bad --dist entry '%s'", parts[i]);
            return false;
        }
        d[a * nodes + b] = v;
    }
    return true;
}

/* Add a node dtc must warn about (unit address without reg): proves the test sees warnings. */
static void *inject_warning(void *fdt, size_t *size)
{
    size_t big = *size + 256;
    void *out = g_malloc0(big);

    g_assert(fdt_open_into(fdt, out, big) == 0);
    g_assert(fdt_add_subnode(out, 0, "bogus@1") >= 0);
    g_assert(fdt_pack(out) == 0);
    *size = fdt_totalsize(out);
    g_free(fdt);
    return out;
}

static bool write_bootinfo(const char *path, const uint64_t *mem, unsigned nodes,
                           const Args *a, GError **errp)
{
    g_autofree E2kBootInfoInput *in = g_new0(E2kBootInfoInput, 1);
    uint8_t block[E2K_BOOTBLOCK_SIZE];

    if (!e2k_bootinfo_input_init(in, mem, nodes, a->cpus, errp)) {
        return false;
    }
    in->cmdline = a->cmdline;
    return e2k_bootinfo_build(in, block, errp) &&
           g_file_set_contents(path, (const char *)block, sizeof(block), errp);
}

static bool run(const char *out, Args *a, GError **errp)
{
    guint64 mib[E2K_MAX_NODES + 1];
    uint64_t mem[E2K_MAX_NODES];
    uint32_t cpu_node[E2K_MAX_CPUS];
    uint8_t dist[E2K_MAX_NODES * E2K_MAX_NODES];
    E2kNodeRam nodes[E2K_MAX_NODES];
    int nb = parse_list(a->node_mem ? a->node_mem : "1024", mib, E2K_MAX_NODES + 1);
    E2kFdtInput in = { .nodes = nodes, .cpu_node = cpu_node, .cmdline = a->cmdline };
    g_autofree void *fdt = NULL;
    size_t size;

    if (nb <= 0 || a->cpus <= 0 || a->cpus > E2K_MAX_CPUS) {
        g_set_error(errp, G_OPTION_ERROR, 0, "bad --node-mem or --cpus");
        return false;
    }
    for (int n = 0; n < nb && n < E2K_MAX_NODES; n++) {
        mem[n] = mib[n] << 20;
    }
    in.nb_nodes = nb;
    in.nb_cpus = a->cpus;
    if (!e2k_layout_ram(mem, nb, nodes, errp) || !assign_cpus(a, nb, cpu_node, errp) ||
        (a->dist && !apply_dist(a->dist, nb, dist, errp))) {
        return false;
    }
    in.distance = a->dist ? dist : NULL;
    fdt = e2k_fdt_build(&in, &size, errp);
    if (!fdt) {
        return false;
    }
    if (a->inject_warning) {
        fdt = inject_warning(g_steal_pointer(&fdt), &size);
    }
    if (a->bootinfo && !write_bootinfo(a->bootinfo, mem, nb, a, errp)) {
        return false;
    }
    return g_file_set_contents(out, fdt, size, errp);
}

int main(int argc, char **argv)
{
    Args a = { .cpus = 1 };
    GOptionEntry entries[] = {
        { "node-mem", 0, 0, G_OPTION_ARG_STRING, &a.node_mem, "MiB per node", "M,M,..." },
        { "cpus", 0, 0, G_OPTION_ARG_INT, &a.cpus, "CPU count", "N" },
        { "assign", 0, 0, G_OPTION_ARG_STRING, &a.assign, "rr|socket:CORES|list:..", "HOW" },
        { "dist", 0, 0, G_OPTION_ARG_STRING, &a.dist, "distance overrides", "A:B:D,..." },
        { "cmdline", 0, 0, G_OPTION_ARG_STRING, &a.cmdline, "bootargs", "S" },
        { "bootinfo", 0, 0, G_OPTION_ARG_FILENAME, &a.bootinfo, "boot info output", "FILE" },
        { "inject-warning", 0, 0, G_OPTION_ARG_NONE, &a.inject_warning, "test the test", NULL },
        { NULL }
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("OUT.dtb");
    GError *err = NULL;

    int ret = 0;

    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &err) || argc != 2 ||
        !run(argv[1], &a, &err)) {
        fprintf(stderr, "e2k-dtb-dump: %s\n", err ? err->message : "usage: e2k-dtb-dump OUT.dtb");
        g_clear_error(&err);
        ret = 1;
    }
    g_free(a.node_mem);
    g_free(a.assign);
    g_free(a.dist);
    g_free(a.cmdline);
    g_free(a.bootinfo);
    return ret;
}
