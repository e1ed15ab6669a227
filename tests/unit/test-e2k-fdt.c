/* Unit tests of the e2k device tree: build for a topology, read it back with libfdt, compare node ids, banks and the distance matrix. */
#include <glib.h>
#include <libfdt.h>
#include <string.h>

#include "hw/e2k/e2k-fdt.h"
#include "hw/e2k/e2k-layout.h"

#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)

/* A topology as the NUMA layer would hand it over. */
typedef struct Topo {
    unsigned nb_nodes;
    uint64_t mem[E2K_MAX_NODES];
    unsigned nb_cpus;
    uint32_t cpu_node[E2K_MAX_CPUS];
    uint8_t *dist;                     /* NULL = defaults */
    const char *cmdline;
    E2kNodeRam nodes[E2K_MAX_NODES];
} Topo;

static void *build(Topo *t, size_t *size, GError **errp)
{
    E2kFdtInput in = {
        .nb_nodes = t->nb_nodes, .nodes = t->nodes, .nb_cpus = t->nb_cpus,
        .cpu_node = t->cpu_node, .distance = t->dist, .cmdline = t->cmdline,
    };

    if (!e2k_layout_ram(t->mem, t->nb_nodes, t->nodes, errp)) {
        return NULL;
    }
    return e2k_fdt_build(&in, size, errp);
}

static uint32_t get_u32(const void *fdt, int node, const char *name)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

    g_assert_nonnull(p);
    g_assert_cmpint(len, ==, 4);
    return fdt32_ld(p);
}

static const char *get_str(const void *fdt, int node, const char *name)
{
    const char *s = fdt_getprop(fdt, node, name, NULL);

    g_assert_nonnull(s);
    return s;
}

static void check_root(const void *fdt, const Topo *t)
{
    int len, chosen = fdt_path_offset(fdt, "/chosen");
    const char *compat = fdt_getprop(fdt, 0, "compatible", &len);

    g_assert_cmpint(fdt_check_header(fdt), ==, 0);
    g_assert_cmpuint(get_u32(fdt, 0, "#address-cells"), ==, 2);
    g_assert_cmpuint(get_u32(fdt, 0, "#size-cells"), ==, 2);
    g_assert_cmpmem(compat, len, "numbat,e2k\0mcst,e2k", sizeof("numbat,e2k\0mcst,e2k"));
    g_assert_cmpstr(get_str(fdt, 0, "model"), ==, "numbat e2k (e8c)");
    if (t->cmdline) {
        g_assert_cmpint(chosen, >=, 0);
        g_assert_cmpstr(get_str(fdt, chosen, "bootargs"), ==, t->cmdline);
    } else {
        g_assert_cmpint(chosen, ==, -FDT_ERR_NOTFOUND);
    }
}

/* CPU index i is the k-th CPU of its node n: it must appear as cpu@(16n+k), in index order. */
static void check_cpus(const void *fdt, const Topo *t)
{
    int cpus = fdt_path_offset(fdt, "/cpus"), node;
    unsigned seen = 0, per_node[E2K_MAX_NODES] = { 0 };

    g_assert_cmpint(cpus, >=, 0);
    g_assert_cmpuint(get_u32(fdt, cpus, "#address-cells"), ==, 1);
    g_assert_cmpuint(get_u32(fdt, cpus, "#size-cells"), ==, 0);
    fdt_for_each_subnode(node, fdt, cpus) {
        uint32_t n, id, want_node;
        g_autofree char *name = NULL;

        g_assert_cmpuint(seen, <, t->nb_cpus);
        want_node = t->cpu_node[seen];
        n = get_u32(fdt, node, "numa-node-id");
        id = get_u32(fdt, node, "reg");
        g_assert_cmpuint(n, ==, want_node);
        g_assert_cmpuint(id, ==, want_node * 16 + per_node[want_node]++);
        g_assert_cmpuint(id / E2K_NODE_CPU_IDS, ==, n);    /* the guest's e8c arithmetic */
        g_assert_cmpstr(get_str(fdt, node, "device_type"), ==, "cpu");
        name = g_strdup_printf("cpu@%x", id);
        g_assert_cmpstr(fdt_get_name(fdt, node, NULL), ==, name);
        seen++;
    }
    g_assert_cmpuint(seen, ==, t->nb_cpus);
}

/* Every memory node, in tree order, against the banks of every node, in node order. */
static void check_memory(const void *fdt, const Topo *t)
{
    unsigned want_n = 0, want_i = 0, total = 0, seen = 0;
    int node;

    for (unsigned n = 0; n < t->nb_nodes; n++) {
        total += t->nodes[n].nb_banks;
    }
    fdt_for_each_subnode(node, fdt, 0) {
        const char *type = fdt_getprop(fdt, node, "device_type", NULL);
        const fdt64_t *reg;
        g_autofree char *name = NULL;
        int len;

        if (!type || strcmp(type, "memory") != 0) {
            continue;
        }
        while (want_i >= t->nodes[want_n].nb_banks) {
            want_n++, want_i = 0;
            g_assert_cmpuint(want_n, <, t->nb_nodes);
        }
        reg = fdt_getprop(fdt, node, "reg", &len);
        g_assert_cmpint(len, ==, 16);   /* only 4-byte aligned: read with fdt64_ld */
        g_assert_cmphex(fdt64_ld(&reg[0]), ==, t->nodes[want_n].banks[want_i].addr);
        g_assert_cmphex(fdt64_ld(&reg[1]), ==, t->nodes[want_n].banks[want_i].size);
        g_assert_cmpuint(get_u32(fdt, node, "numa-node-id"), ==, want_n);
        name = g_strdup_printf("memory@%" G_GINT64_MODIFIER "x", fdt64_ld(&reg[0]));
        g_assert_cmpstr(fdt_get_name(fdt, node, NULL), ==, name);
        want_i++, seen++;
    }
    g_assert_cmpuint(seen, ==, total);
}

static void check_distance(const void *fdt, const Topo *t)
{
    int map = fdt_path_offset(fdt, "/distance-map"), len;
    const fdt32_t *m;
    unsigned n = t->nb_nodes;

    g_assert_cmpint(map, >=, 0);
    g_assert_cmpint(fdt_node_check_compatible(fdt, map, "numa-distance-map-v1"), ==, 0);
    m = fdt_getprop(fdt, map, "distance-matrix", &len);
    g_assert_nonnull(m);
    g_assert_cmpint(len, ==, (int)(3 * n * n * 4));
    for (unsigned a = 0; a < n; a++) {
        for (unsigned b = 0; b < n; b++) {
            const fdt32_t *e = &m[3 * (a * n + b)];
            unsigned want = t->dist ? t->dist[a * n + b] : a == b ? 10 : 20;

            g_assert_cmpuint(fdt32_to_cpu(e[0]), ==, a);
            g_assert_cmpuint(fdt32_to_cpu(e[1]), ==, b);
            g_assert_cmpuint(fdt32_to_cpu(e[2]), ==, want);
        }
    }
}

static void build_and_check(Topo *t)
{
    GError *err = NULL;
    size_t size = 0;
    g_autofree void *fdt = build(t, &size, &err);

    g_assert_no_error(err);
    g_assert_nonnull(fdt);
    g_assert_cmpuint(size, ==, fdt_totalsize(fdt));
    check_root(fdt, t);
    check_cpus(fdt, t);
    check_memory(fdt, t);
    check_distance(fdt, t);
}

static Topo *topo_round_robin(unsigned nodes, uint64_t total, unsigned cpus)
{
    Topo *t = g_new0(Topo, 1);

    t->nb_nodes = nodes;
    t->nb_cpus = cpus;
    for (unsigned n = 0; n < nodes; n++) {
        t->mem[n] = total / nodes;
    }
    for (unsigned i = 0; i < cpus; i++) {
        t->cpu_node[i] = i % nodes;     /* the e2k layer's default without a socket hook */
    }
    t->cmdline = "console=ttyS0";
    return t;
}

static void test_nodes_1_2_4_8(void)
{
    static const unsigned counts[] = { 1, 2, 4, 8 };

    for (size_t i = 0; i < G_N_ELEMENTS(counts); i++) {
        g_autofree Topo *t = topo_round_robin(counts[i], 16 * GiB, 2 * counts[i] + 1);
        build_and_check(t);
    }
    {
        /* One node with RAM across the 2 GiB line: two memory nodes, same node id. */
        g_autofree Topo *t = topo_round_robin(1, 3 * GiB, 1);
        build_and_check(t);
        g_assert_cmpuint(t->nodes[0].nb_banks, ==, 2);
    }
}

static void test_memless_nodes(void)
{
    g_autofree Topo *t = topo_round_robin(4, 0, 8);

    t->mem[0] = 1 * GiB;
    t->mem[2] = 3 * GiB;         /* nodes 1 and 3 have CPUs but no memory */
    t->cmdline = NULL;
    build_and_check(t);
    g_assert_cmpuint(t->nodes[1].nb_banks, ==, 0);
    g_assert_cmpuint(t->nodes[2].nb_banks, ==, 2);
}

static void test_asymmetric_distances(void)
{
    g_autofree Topo *t = topo_round_robin(3, 3 * GiB, 3);
    uint8_t d[9] = { 10, 21, 31,
                     22, 10, 41,
                     32, 42, 10 };

    t->dist = d;
    build_and_check(t);
}

static void test_by_socket(void)
{
    /* 4 sockets x 4 cores, socket s on node s % 2 (cpu_index_to_socket_id % nodes). */
    g_autofree Topo *t = topo_round_robin(2, 4 * GiB, 16);

    for (unsigned i = 0; i < 16; i++) {
        t->cpu_node[i] = (i / 4) % 2;
    }
    build_and_check(t);
    /* Full nodes: 16 CPUs on one node use ids 0..15. */
    for (unsigned i = 0; i < 16; i++) {
        t->cpu_node[i] = 0;
    }
    build_and_check(t);
}

static void test_many_cpus_and_banks(void)
{
    /* 8 nodes x 16 CPUs: the largest tree; the builder must grow its buffer. */
    g_autofree Topo *t = topo_round_robin(8, 64 * GiB, E2K_MAX_CPUS);
    build_and_check(t);
}

#define ASSERT_BUILD_FAILS(t, needle) do { \
        GError *err = NULL; \
        size_t size; \
        void *fdt = build((t), &size, &err); \
        g_assert_null(fdt); \
        g_assert_nonnull(err); \
        if (!strstr(err->message, (needle))) { \
            g_test_message("message: %s", err->message); \
        } \
        g_assert_nonnull(strstr(err->message, (needle))); \
        g_error_free(err); \
    } while (0)

static void test_bad_input(void)
{
    g_autofree Topo *t = topo_round_robin(2, 2 * GiB, 4);
    uint8_t d[4] = { 10, 20, 20, 10 };

    t->dist = d;
    d[0] = 11;
    ASSERT_BUILD_FAILS(t, "invalid NUMA distance 11 from node 0 to node 0");
    d[0] = 10, d[2] = 10;
    ASSERT_BUILD_FAILS(t, "invalid NUMA distance 10 from node 1 to node 0");
    d[2] = 255;
    ASSERT_BUILD_FAILS(t, "invalid NUMA distance 255");
    d[2] = 20;
    t->cpu_node[3] = 2;
    ASSERT_BUILD_FAILS(t, "CPU 3 is not in any NUMA node");
    t->cpu_node[3] = 1;
    t->nb_cpus = 0;
    ASSERT_BUILD_FAILS(t, "0 CPUs");
    t->nb_cpus = 17;
    for (unsigned i = 0; i < 17; i++) {
        t->cpu_node[i] = 1;
    }
    ASSERT_BUILD_FAILS(t, "more than 16 CPUs");
    t->nb_nodes = 9;
    ASSERT_BUILD_FAILS(t, "1 to 8 NUMA nodes");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/e2k/fdt/nodes-1-2-4-8", test_nodes_1_2_4_8);
    g_test_add_func("/e2k/fdt/memless-nodes", test_memless_nodes);
    g_test_add_func("/e2k/fdt/asymmetric-distances", test_asymmetric_distances);
    g_test_add_func("/e2k/fdt/by-socket", test_by_socket);
    g_test_add_func("/e2k/fdt/many-cpus", test_many_cpus_and_banks);
    g_test_add_func("/e2k/fdt/bad-input", test_bad_input);
    return g_test_run();
}
