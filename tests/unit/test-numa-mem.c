/* Unit tests of numa/ memory: both RAM auto-assign splits, the total check, node ranges and numa_get_node(). */
#include "numa-test-machine.h"

typedef void (*AssignFn)(const MachineClass *, NodeInfo *, int, uint64_t);

static void check_split(AssignFn fn, int shift, uint64_t size, int n, const uint64_t *expect)
{
    MachineClass mc = { .numa_mem_align_shift = shift };
    NodeInfo nodes[MAX_NODES] = { 0 };
    uint64_t sum = 0;

    fn(&mc, nodes, n, size);
    for (int i = 0; i < n; i++) {
        g_assert_cmpuint(nodes[i].node_mem, ==, expect[i]);
        sum += nodes[i].node_mem;
    }
    g_assert_cmpuint(sum, ==, size);
}

static void test_legacy_split(void)
{
    /* 1 GiB / 3 rounded down to 8 MiB; the last node absorbs every remainder. */
    check_split(numa_legacy_auto_assign_ram, 23, GiB, 3,
                (uint64_t[]){ 352321536, 352321536, 369098752 });
    /* odd size: the stray bytes land on the last node */
    check_split(numa_legacy_auto_assign_ram, 23, 1500 * MiB + 7, 7,
                (uint64_t[]){ 218103808, 218103808, 218103808, 218103808, 218103808,
                              218103808, 264241159 });
    check_split(numa_legacy_auto_assign_ram, 24, 4000 * MiB, 7,
                (uint64_t[]){ 587202560, 587202560, 587202560, 587202560, 587202560,
                              587202560, 671088640 });
    /* no alignment: plain division */
    check_split(numa_legacy_auto_assign_ram, 0, 100 * MiB + 3, 3,
                (uint64_t[]){ 34952534, 34952534, 34952535 });
}

static void test_default_split(void)
{
    /* the alignment remainder is carried on, so node 1 gets an extra 8 MiB */
    check_split(numa_default_auto_assign_ram, 23, GiB, 3,
                (uint64_t[]){ 352321536, 360710144, 360710144 });
    check_split(numa_default_auto_assign_ram, 23, 1500 * MiB + 7, 7,
                (uint64_t[]){ 218103808, 226492416, 226492416, 226492416, 218103808,
                              226492416, 230686727 });
    check_split(numa_default_auto_assign_ram, 24, 4000 * MiB, 7,
                (uint64_t[]){ 587202560, 603979776, 603979776, 587202560, 603979776,
                              603979776, 603979776 });
    check_split(numa_default_auto_assign_ram, 0, 100 * MiB + 3, 3,
                (uint64_t[]){ 34952534, 34952534, 34952535 });
}

static void test_split_memoryless(void)
{
    /* RAM smaller than nodes x alignment: the first nodes end up memory-less */
    check_split(numa_legacy_auto_assign_ram, 23, 8 * MiB, 4,
                (uint64_t[]){ 0, 0, 0, 8 * MiB });
    check_split(numa_default_auto_assign_ram, 23, 8 * MiB, 4,
                (uint64_t[]){ 0, 0, 0, 8 * MiB });
    check_split(numa_default_auto_assign_ram, 23, 24 * MiB, 4,
                (uint64_t[]){ 0, 8 * MiB, 8 * MiB, 8 * MiB });
    check_split(numa_legacy_auto_assign_ram, 23, 24 * MiB, 4,
                (uint64_t[]){ 0, 0, 0, 24 * MiB });
    /* one node takes everything, odd or not */
    check_split(numa_default_auto_assign_ram, 23, 3 * MiB + 1, 1, (uint64_t[]){ 3 * MiB + 1 });
    check_split(numa_legacy_auto_assign_ram, 23, 3 * MiB + 1, 1, (uint64_t[]){ 3 * MiB + 1 });
}

static void test_complete_auto_assign(void)
{
    TestMachine *x86 = tm_new_x86(2, 1, 1, GiB);
    TestMachine *e2k = tm_new_e2k(2, 2, true, GiB);

    /* no node has memory: the machine's own split is used */
    for (int i = 0; i < 3; i++) {
        tm_numa_ok(x86, "node");
        tm_numa_ok(e2k, "node");
    }
    tm_complete_ok(x86);
    tm_complete_ok(e2k);
    g_assert_cmpuint(x86->ms.numa->nodes[1].node_mem, ==, 360710144);  /* default */
    g_assert_cmpuint(e2k->ms.numa->nodes[1].node_mem, ==, 352321536);  /* legacy, 16 MiB */
    g_assert_cmpuint(e2k->ms.numa->nodes[2].node_mem, ==, 369098752);
    /* and the ranges follow the split */
    g_assert_cmpint(numa_get_node(x86->ms.numa, 352321536 - 1, NULL), ==, 0);
    g_assert_cmpint(numa_get_node(x86->ms.numa, 352321536, NULL), ==, 1);
    g_assert_cmpint(numa_get_node(x86->ms.numa, GiB - 1, NULL), ==, 2);
    tm_free(x86);
    tm_free(e2k);
}

static void test_total_mismatch(void)
{
    TestMachine *tm = tm_new_x86(1, 1, 1, 128 * MiB);

    tm_numa_ok(tm, "node,mem=64M");
    tm_numa_ok(tm, "node");     /* memory-less: no auto-assign since node 0 has memory */
    tm_complete_err(tm, "total memory for NUMA nodes (0x4000000) should equal RAM size "
                        "(0x8000000)");
    tm_free(tm);

    tm = tm_new_x86(1, 1, 1, 128 * MiB);
    tm_numa_ok(tm, "node,mem=100");
    tm_numa_ok(tm, "node,mem=29");
    tm_complete_err(tm, "total memory for NUMA nodes (0x8100000) should equal RAM size "
                        "(0x8000000)");
    tm_free(tm);
}

static void test_legacy_mem_mib(void)
{
    TestMachine *tm = tm_new_x86(1, 1, 1, 192 * MiB);

    tm_numa_ok(tm, "node,mem=64");          /* suffix-less: MiB */
    tm_numa_ok(tm, "node,mem=64M");
    tm_numa_ok(tm, "node,mem=0x4000000");   /* ends in a digit: still MiB (64 Ti) */
    g_assert_cmpuint(tm->ms.numa->nodes[0].node_mem, ==, 64 * MiB);
    g_assert_cmpuint(tm->ms.numa->nodes[1].node_mem, ==, 64 * MiB);
    g_assert_cmpuint(tm->ms.numa->nodes[2].node_mem, ==, UINT64_C(0x4000000) << 20);
    tm_numa_err(tm, "node,mem=17592186044416",
                "could not parse memory size '17592186044416': Numerical result out of range");
    g_assert_cmpint(tm->ms.numa->num_nodes, ==, 3);
    tm_free(tm);
}

static void test_get_node_edges(void)
{
    TestMachine *tm = tm_new_x86(1, 1, 1, 128 * MiB);
    const NumaState *ns;
    GError *err = NULL;

    tm_numa_ok(tm, "node,mem=64M");
    tm_numa_ok(tm, "node,mem=0");          /* memory-less node in the middle */
    tm_numa_ok(tm, "node,mem=64M");
    tm_complete_ok(tm);
    ns = tm->ms.numa;
    g_assert_cmpint(numa_get_node(ns, 0, NULL), ==, 0);
    g_assert_cmpint(numa_get_node(ns, 64 * MiB - 1, NULL), ==, 0);
    g_assert_cmpint(numa_get_node(ns, 64 * MiB, NULL), ==, 2);
    g_assert_cmpint(numa_get_node(ns, 128 * MiB - 1, NULL), ==, 2);
    g_assert_cmpint(numa_get_node(ns, 128 * MiB, &err), ==, -1);
    g_assert_cmpstr(err->message, ==, "Address 0x8000000 doesn't belong to any NUMA node");
    g_clear_error(&err);
    g_assert_cmpint(numa_get_node(ns, UINT64_MAX, &err), ==, -1);
    g_assert_cmpstr(err->message, ==,
                    "Address 0xffffffffffffffff doesn't belong to any NUMA node");
    g_clear_error(&err);
    tm_free(tm);
}

static void test_ranges_gaps(void)
{
    g_autoptr(NumaState) ns = numa_state_new();
    GError *err = NULL;

    g_assert_true(numa_set_mem_node_id(ns, 0, 640 * 1024, 0, NULL));
    g_assert_true(numa_set_mem_node_id(ns, 4 * GiB, GiB, 1, NULL));   /* a hotplugged DIMM */
    g_assert_true(numa_set_mem_node_id(ns, MiB, 127 * MiB, 0, NULL));
    g_assert_true(numa_set_mem_node_id(ns, 7, 0, 3, NULL));           /* size 0: nothing */
    g_assert_cmpint(numa_get_node(ns, 640 * 1024 - 1, NULL), ==, 0);
    g_assert_cmpint(numa_get_node(ns, 640 * 1024, NULL), ==, -1);     /* the hole */
    g_assert_cmpint(numa_get_node(ns, MiB - 1, NULL), ==, -1);
    g_assert_cmpint(numa_get_node(ns, MiB, NULL), ==, 0);
    g_assert_cmpint(numa_get_node(ns, 4 * GiB - 1, NULL), ==, -1);
    g_assert_cmpint(numa_get_node(ns, 4 * GiB, NULL), ==, 1);
    g_assert_cmpint(numa_get_node(ns, 5 * GiB - 1, NULL), ==, 1);
    g_assert_cmpint(numa_get_node(ns, 5 * GiB, NULL), ==, -1);
    g_assert_cmpint(numa_get_node(ns, 7, NULL), ==, 0);

    /* overlaps on either side are refused */
    g_assert_false(numa_set_mem_node_id(ns, 5 * GiB - 1, 2, 2, &err));
    g_assert_cmpstr(err->message, ==, "NUMA memory range 0x13fffffff+0x2 of node 2 overlaps "
                    "another node's range");
    g_clear_error(&err);
    g_assert_false(numa_set_mem_node_id(ns, 4 * GiB - 1, 2, 2, NULL));
    g_assert_false(numa_set_mem_node_id(ns, UINT64_MAX, 2, 2, NULL));  /* wraps */
    g_assert_false(numa_set_mem_node_id(ns, 8 * GiB, 1, MAX_NODES, NULL));

    /* unset needs the exact range */
    g_assert_false(numa_unset_mem_node_id(ns, 4 * GiB, GiB - 1, 1));
    g_assert_false(numa_unset_mem_node_id(ns, 4 * GiB, GiB, 0));
    g_assert_true(numa_unset_mem_node_id(ns, 4 * GiB, GiB, 1));
    g_assert_cmpint(numa_get_node(ns, 4 * GiB, NULL), ==, -1);
    g_assert_false(numa_unset_mem_node_id(ns, 4 * GiB, GiB, 1));
}

static void test_get_node_many(void)
{
    g_autoptr(NumaState) ns = numa_state_new();

    /* inserted out of order, looked up at every edge */
    for (int i = MAX_NODES - 1; i >= 0; i--) {
        g_assert_true(numa_set_mem_node_id(ns, (uint64_t)i * 3 * MiB, 2 * MiB, i, NULL));
    }
    for (int i = 0; i < MAX_NODES; i++) {
        uint64_t base = (uint64_t)i * 3 * MiB;

        g_assert_cmpint(numa_get_node(ns, base, NULL), ==, i);
        g_assert_cmpint(numa_get_node(ns, base + 2 * MiB - 1, NULL), ==, i);
        g_assert_cmpint(numa_get_node(ns, base + 2 * MiB, NULL), ==, -1);
        g_assert_cmpint(numa_get_node(ns, base + 3 * MiB - 1, NULL), ==, -1);
    }
}

static void test_no_numa(void)
{
    TestMachine *tm = tm_new_x86(1, 1, 1, 128 * MiB);

    tm_complete_ok(tm);
    g_assert_cmpint(numa_get_node(tm->ms.numa, 0, NULL), ==, 0);
    g_assert_cmpint(numa_get_node(tm->ms.numa, 128 * MiB - 1, NULL), ==, 0);
    g_assert_cmpint(numa_get_node(tm->ms.numa, 128 * MiB, NULL), ==, -1);
    g_assert_cmpint(numa_get_node(NULL, 0, NULL), ==, -1);
    /* completing twice rebuilds, not duplicates, the ranges */
    tm_complete_ok(tm);
    g_assert_cmpuint(tm->ms.numa->ranges->len, ==, 1);
    tm_free(tm);
}

static void test_memdev_nodes(void)
{
    TmBackend backends[] = { { "m0", 64 * MiB }, { "m1", 32 * MiB }, { NULL } };
    TestMachine *tm = tm_new_x86(1, 1, 1, 96 * MiB);

    tm_set_backends(tm, backends);
    tm_numa_ok(tm, "node,memdev=m0");
    tm_numa_ok(tm, "node");                 /* memory-less beside memdev nodes */
    tm_numa_ok(tm, "node,memdev=m1");
    tm_complete_ok(tm);
    g_assert_cmpuint(tm->ms.numa->nodes[0].node_mem, ==, 64 * MiB);
    g_assert_cmpuint(tm->ms.numa->nodes[1].node_mem, ==, 0);
    g_assert_cmpstr(tm->ms.numa->nodes[2].memdev_id, ==, "m1");
    g_assert_true(tm->ms.numa->nodes[2].node_memdev == &backends[1]);
    g_assert_cmpint(numa_get_node(tm->ms.numa, 64 * MiB, NULL), ==, 2);
    g_assert_cmpint(backends[0].refs, ==, 1);
    tm_free(tm);
    g_assert_cmpint(backends[0].refs, ==, 0);   /* released with the state */
    g_assert_cmpint(backends[1].refs, ==, 0);
}

static void test_memdev_reused(void)
{
    TmBackend backends[] = { { "m0", 64 * MiB }, { NULL } };
    TestMachine *tm = tm_new_x86(1, 1, 1, 128 * MiB);

    tm_set_backends(tm, backends);
    tm_numa_ok(tm, "node,memdev=m0");
    tm_numa_ok(tm, "node,memdev=m0");
    tm_complete_err(tm, "memory backend m0 is used multiple times. Each -numa option must "
                        "use a different memdev value.");
    tm_free(tm);
}

/* Completion reports the first failure in the seeds' order. */
static void test_complete_order(void)
{
    TestMachine *tm = tm_new_x86(1, 4, 1, 128 * MiB);

    /* ids before memory: node 1 missing and the total is wrong */
    tm_numa_ok(tm, "node,nodeid=0,mem=1M");
    tm_numa_ok(tm, "node,nodeid=2,mem=1M");
    tm_complete_err(tm, "numa: Node ID missing: 1");
    tm_free(tm);

    /* memory before distances */
    tm = tm_new_x86(1, 4, 1, 128 * MiB);
    tm_numa_ok(tm, "node,mem=1M");
    tm_numa_ok(tm, "node,mem=1M");
    tm_numa_ok(tm, "node,mem=1M");
    tm_numa_ok(tm, "dist,src=0,dst=1,val=20");
    tm_complete_err(tm, "total memory for NUMA nodes (0x300000) should equal RAM size "
                        "(0x8000000)");
    tm_free(tm);

    /* distances before CPUs (whose hmat initiator check would fail too) */
    tm = tm_new_x86(2, 1, 1, 128 * MiB);
    tm->ms.numa->hmat_enabled = true;
    tm_numa_ok(tm, "node,initiator=1");
    tm_numa_ok(tm, "node");
    tm_numa_ok(tm, "node");
    tm_numa_ok(tm, "dist,src=0,dst=1,val=20");
    tm_complete_err(tm, "The distance between node 0 and 2 is missing, at least one distance "
                        "value between each nodes should be provided.");
    tm_free(tm);

    /* CPUs before reused memdevs (e2k layer) */
    TmBackend backends[] = { { "m0", 64 * MiB }, { NULL } };
    tm = tm_new_e2k(1, 4, false, 128 * MiB);
    tm_set_backends(tm, backends);
    tm_numa_ok(tm, "node,memdev=m0,cpus=0-2");
    tm_numa_ok(tm, "node,memdev=m0,cpus=2-3");
    tm_complete_err(tm, "CPU(s) present in multiple NUMA nodes: 2");
    tm_free(tm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/numa/mem/split/legacy", test_legacy_split);
    g_test_add_func("/numa/mem/split/default", test_default_split);
    g_test_add_func("/numa/mem/split/memoryless", test_split_memoryless);
    g_test_add_func("/numa/mem/complete/auto-assign", test_complete_auto_assign);
    g_test_add_func("/numa/mem/complete/total-mismatch", test_total_mismatch);
    g_test_add_func("/numa/mem/legacy-mib", test_legacy_mem_mib);
    g_test_add_func("/numa/mem/get-node/edges", test_get_node_edges);
    g_test_add_func("/numa/mem/get-node/gaps", test_ranges_gaps);
    g_test_add_func("/numa/mem/get-node/many", test_get_node_many);
    g_test_add_func("/numa/mem/no-numa", test_no_numa);
    g_test_add_func("/numa/mem/memdev", test_memdev_nodes);
    g_test_add_func("/numa/mem/memdev-reused", test_memdev_reused);
    g_test_add_func("/numa/mem/complete/order", test_complete_order);
    return g_test_run();
}
