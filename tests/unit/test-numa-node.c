/* Unit tests of -numa node: every check in the seeds' order with its exact message, and node-id completion. */
#include "numa-test-machine.h"

static void test_node_ids(void)
{
    TestMachine *tm = tm_new_x86(1, 1, 1, 128 * MiB);
    NumaState *ns = tm->ms.numa;

    tm_numa_ok(tm, "node");                     /* id 0 */
    tm_numa_ok(tm, "node,nodeid=2");
    tm_numa_err(tm, "node", "Duplicate NUMA nodeid: 2");    /* id = count so far */
    tm_numa_ok(tm, "node,nodeid=3");
    g_assert_cmpint(ns->num_nodes, ==, 3);
    g_assert_true(ns->nodes[0].present && ns->nodes[2].present);
    g_assert_false(ns->nodes[1].present);
    g_assert_true(ns->nodes[3].present);
    tm_numa_err(tm, "node,nodeid=3", "Duplicate NUMA nodeid: 3");
    tm_numa_err(tm, "node", "Duplicate NUMA nodeid: 3");
    tm_numa_err(tm, "node,nodeid=128", "Max number of NUMA nodes reached: 128");
    tm_numa_err(tm, "node,nodeid=70000", "Parameter 'nodeid' expects uint16_t");
    g_assert_cmpint(ns->num_nodes, ==, 3);
    tm_complete_err(tm, "numa: Node ID missing: 1");
    tm_free(tm);
}

static void test_node_missing_largest_first(void)
{
    TestMachine *tm = tm_new_x86(1, 1, 1, 128 * MiB);

    tm_numa_ok(tm, "node,nodeid=5");
    tm_numa_ok(tm, "node,nodeid=0");
    tm_numa_ok(tm, "node,nodeid=2");
    tm_complete_err(tm, "numa: Node ID missing: 4");
    tm_free(tm);

    tm = tm_new_x86(1, 1, 1, 128 * MiB);
    tm_numa_ok(tm, "node,nodeid=1");
    tm_complete_err(tm, "numa: Node ID missing: 0");
    tm_free(tm);
}

static void test_node_max(void)
{
    TestMachine *tm = tm_new_x86(1, 1, 1, 128 * MiB);

    for (int i = 0; i < MAX_NODES; i++) {
        tm_numa_ok(tm, "node");
    }
    tm_numa_err(tm, "node", "Max number of NUMA nodes reached: 128");
    g_assert_cmpint(tm->ms.numa->num_nodes, ==, MAX_NODES);
    tm_complete_ok(tm);     /* 128 MiB over 128 nodes, default split: every 8th gets 8 MiB */
    g_assert_cmpuint(tm->ms.numa->nodes[0].node_mem, ==, 0);
    g_assert_cmpuint(tm->ms.numa->nodes[7].node_mem, ==, 8 * MiB);
    g_assert_cmpuint(tm->ms.numa->nodes[8].node_mem, ==, 0);
    g_assert_cmpuint(tm->ms.numa->nodes[127].node_mem, ==, 8 * MiB);
    tm_free(tm);
}

static void test_node_cpu_index(void)
{
    TestMachine *tm = tm_new_x86(4, 1, 1, 128 * MiB);

    tm_numa_err(tm, "node,cpus=0-4", "CPU index (4) should be smaller than maxcpus (4)");
    tm_numa_err(tm, "node,cpus=9", "CPU index (9) should be smaller than maxcpus (4)");
    tm_numa_err(tm, "node,cpus=0-70000", "Parameter 'cpus' expects a uint64 value or range");
    g_assert_cmpint(tm->ms.numa->num_nodes, ==, 0);
    /* nothing of the failed options stuck to the CPUs */
    for (int i = 0; i < 4; i++) {
        g_assert_false(tm->ms.possible_cpus->cpus[i].props.has_node_id);
    }
    tm_numa_ok(tm, "node,cpus=0-1,cpus=3");
    g_assert_cmpint(numa_get_node_for_cpu(&tm->ms, 3), ==, 0);
    g_assert_cmpint(numa_get_node_for_cpu(&tm->ms, 2), ==, 1);   /* none: num_nodes */
    tm_free(tm);
}

static void test_node_mem_memdev_mix(void)
{
    TmBackend backends[] = { { "m0", 64 * MiB }, { "m1", 64 * MiB }, { NULL } };
    TestMachine *tm = tm_new_x86(1, 1, 1, 128 * MiB);

    tm_set_backends(tm, backends);
    tm_numa_err(tm, "node,mem=64M,memdev=m0", "cannot specify both mem= and memdev=");
    tm_numa_ok(tm, "node,mem=64M");
    tm_numa_err(tm, "node,memdev=m0", "memdev option must be specified for either all or no "
                "nodes");
    tm_numa_ok(tm, "node");                     /* memory-less beside mem= nodes */
    g_assert_cmpint(backends[0].refs, ==, 0);
    tm_free(tm);

    tm = tm_new_x86(1, 1, 1, 128 * MiB);
    tm_set_backends(tm, backends);
    tm_numa_ok(tm, "node");                     /* memory-less first, then memdev */
    tm_numa_ok(tm, "node,memdev=m0");
    tm_numa_err(tm, "node,mem=64", "memdev option must be specified for either all or no "
                "nodes");
    tm_numa_ok(tm, "node,memdev=m1");
    tm_complete_ok(tm);
    g_assert_cmpuint(tm->ms.numa->nodes[0].node_mem, ==, 0);
    g_assert_cmpint(numa_get_node(tm->ms.numa, 0, NULL), ==, 1);
    tm_free(tm);
}

static void test_node_memdev_ambiguous(void)
{
    TmBackend backends[] = { { "m0", 64 * MiB }, { NULL } };
    TestMachine *tm = tm_new_x86(2, 1, 1, 64 * MiB);

    tm_numa_err(tm, "node,memdev=m0", "memdev=m0 is ambiguous");  /* no resolver yet */
    tm_set_backends(tm, backends);
    tm_numa_err(tm, "node,memdev=nope", "memdev=nope is ambiguous");
    /* a failed node leaves no CPUs, memory kind or presence behind */
    tm_numa_err(tm, "node,nodeid=0,cpus=0-1,memdev=nope", "memdev=nope is ambiguous");
    g_assert_false(tm->ms.possible_cpus->cpus[0].props.has_node_id);
    g_assert_false(tm->ms.numa->nodes[0].present);
    g_assert_false(tm->ms.numa->have_memdevs);
    tm_numa_ok(tm, "node,nodeid=0,cpus=0-1,memdev=m0");
    g_assert_true(tm->ms.possible_cpus->cpus[1].props.has_node_id);
    tm_complete_ok(tm);
    tm_free(tm);
}

static void test_node_rollback_e2k(void)
{
    TestMachine *tm = tm_new_e2k(1, 4, false, 64 * MiB);

    tm_numa_err(tm, "node,cpus=0-1,memdev=x", "memdev=x is ambiguous");
    g_assert_null(tm->ms.numa->nodes[0].node_cpu);
    tm_numa_ok(tm, "node,cpus=2-3");
    tm_numa_ok(tm, "node");
    tm_complete_ok(tm);
    /* node 1 had no cpus=, so CPUs 0-1 are in no node */
    g_assert_cmpint(numa_get_node_for_cpu(&tm->ms, 0), ==, 2);
    g_assert_cmpint(numa_get_node_for_cpu(&tm->ms, 3), ==, 0);
    tm_free(tm);
}

static void test_node_initiator(void)
{
    TestMachine *tm = tm_new_x86(2, 1, 1, 128 * MiB);

    tm_numa_err(tm, "node,initiator=0", "ACPI Heterogeneous Memory Attribute Table (HMAT) is "
                "disabled, enable it with -machine hmat=on before using any of hmat "
                "specific options");
    tm->ms.numa->hmat_enabled = true;
    tm_numa_err(tm, "node,initiator=128", "The initiator id 128 expects an integer between 0 "
                "and 127");
    g_assert_cmpint(tm->ms.numa->num_nodes, ==, 0);
    tm_numa_ok(tm, "node,initiator=1");
    g_assert_cmpuint(tm->ms.numa->nodes[0].initiator, ==, 1);
    /* a node with CPUs must be its own initiator (initiator is parsed before cpus=) */
    tm_numa_err(tm, "node,cpus=0,initiator=0", "The initiator of CPU NUMA node 1 should be "
                "itself (got 0)");
    g_assert_false(tm->ms.possible_cpus->cpus[0].props.has_node_id);
    g_assert_false(tm->ms.numa->nodes[1].has_cpu);
    tm_numa_ok(tm, "node,cpus=0-1,initiator=1");
    g_assert_true(tm->ms.numa->nodes[1].has_cpu);
    tm_free(tm);
}

static void test_node_generic(void)
{
    TestMachine *tm = tm_new_x86(1, 1, 1, 128 * MiB);
    g_autoptr(NumaState) saved = NULL;
    GError *err = NULL;
    NumaOptions opts = { .type = NUMA_OPTIONS_TYPE_NODE };

    tm_numa_err(tm, "node,bogus=1", "Invalid parameter 'bogus'");
    tm_numa_err(tm, "foo", "Parameter 'type' does not accept value 'foo'");
    tm_numa_err(tm, "node,mem=64x", "Parameter 'mem' expects a size value");

    /* set-numa-node's path: mem is bytes, no MiB fixup */
    opts.u.node.has_mem = true;
    opts.u.node.mem = 64;
    g_assert_true(set_numa_options(&tm->ms, &opts, NULL));
    g_assert_cmpuint(tm->ms.numa->nodes[0].node_mem, ==, 64);

    /* a machine without NUMA refuses every -numa */
    saved = tm->ms.numa;
    tm->ms.numa = NULL;
    g_assert_false(set_numa_options(&tm->ms, &opts, &err));
    g_assert_cmpstr(err->message, ==, "NUMA is not supported by this machine-type");
    g_clear_error(&err);
    g_assert_true(numa_complete_configuration(&tm->ms, NULL));
    tm->ms.numa = g_steal_pointer(&saved);
    tm_free(tm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/numa/node/ids", test_node_ids);
    g_test_add_func("/numa/node/missing-largest-first", test_node_missing_largest_first);
    g_test_add_func("/numa/node/max", test_node_max);
    g_test_add_func("/numa/node/cpu-index", test_node_cpu_index);
    g_test_add_func("/numa/node/mem-memdev-mix", test_node_mem_memdev_mix);
    g_test_add_func("/numa/node/memdev-ambiguous", test_node_memdev_ambiguous);
    g_test_add_func("/numa/node/rollback-e2k", test_node_rollback_e2k);
    g_test_add_func("/numa/node/initiator", test_node_initiator);
    g_test_add_func("/numa/node/generic", test_node_generic);
    return g_test_run();
}
