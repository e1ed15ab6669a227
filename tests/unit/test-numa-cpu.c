/* Unit tests of CPU-to-node assignment in both layers: defaults, explicit, partial, conflicts, warnings. */
#include "numa-test-machine.h"

/* "0 2 4 6": the CPU indexes numa_get_node_for_cpu() puts on node. */
static char *cpus_of(TestMachine *tm, int node)
{
    GString *s = g_string_new(NULL);

    for (unsigned i = 0; i < tm->ms.smp.max_cpus; i++) {
        if (numa_get_node_for_cpu(&tm->ms, i) == node) {
            g_string_append_printf(s, "%s%u", s->len ? " " : "", i);
        }
    }
    return g_string_free(s, FALSE);
}

static void assert_cpus(TestMachine *tm, int node, const char *expect)
{
    g_autofree char *got = cpus_of(tm, node);

    g_assert_cmpstr(got, ==, expect);
}

/* ---- x86 layer ---- */

static void test_x86_default_by_socket(void)
{
    TestMachine *tm = tm_new_x86(8, 1, 1, 128 * MiB);

    tm_numa_ok(tm, "node");
    tm_numa_ok(tm, "node");
    tm_complete_ok(tm);
    assert_cpus(tm, 0, "0 2 4 6");
    assert_cpus(tm, 1, "1 3 5 7");
    tm_free(tm);

    /* one socket of 8 cores: everything stays on node 0 */
    tm = tm_new_x86(1, 8, 1, 128 * MiB);
    tm_numa_ok(tm, "node");
    tm_numa_ok(tm, "node");
    tm_complete_ok(tm);
    assert_cpus(tm, 0, "0 1 2 3 4 5 6 7");
    assert_cpus(tm, 1, "");
    tm_free(tm);

    /* 3 sockets x 2 threads over 2 nodes: threads of a socket stay together */
    tm = tm_new_x86(3, 1, 2, 128 * MiB);
    tm_numa_ok(tm, "node");
    tm_numa_ok(tm, "node");
    tm_complete_ok(tm);
    assert_cpus(tm, 0, "0 1 4 5");
    assert_cpus(tm, 1, "2 3");
    tm_free(tm);
}

static void test_x86_explicit(void)
{
    TestMachine *tm = tm_new_x86(1, 8, 1, 128 * MiB);

    tm_numa_ok(tm, "node,nodeid=0,cpus=0-3");
    tm_numa_ok(tm, "node,nodeid=1,cpus=4-7");
    tm_complete_ok(tm);
    assert_cpus(tm, 0, "0 1 2 3");
    assert_cpus(tm, 1, "4 5 6 7");
    tm_free(tm);
}

static void test_x86_numa_cpu(void)
{
    /* QEMU's /numa/pc/cpu/explicit: 2 sockets x 2 cores x 2 threads */
    TestMachine *tm = tm_new_x86(2, 2, 2, 128 * MiB);

    tm_numa_ok(tm, "node,nodeid=0");
    tm_numa_ok(tm, "node,nodeid=1");
    tm_numa_ok(tm, "cpu,node-id=1,socket-id=0");
    tm_numa_ok(tm, "cpu,node-id=0,socket-id=1,core-id=0");
    tm_numa_ok(tm, "cpu,node-id=0,socket-id=1,core-id=1,thread-id=0");
    tm_numa_ok(tm, "cpu,node-id=1,socket-id=1,core-id=1,thread-id=1");
    tm_numa_ok(tm, "cpu,node-id=1,socket-id=0,core-id=1");  /* same node again: fine */
    tm_complete_ok(tm);
    assert_cpus(tm, 0, "4 5 6");
    assert_cpus(tm, 1, "0 1 2 3 7");
    tm_free(tm);

    /* node-id alone matches every slot */
    tm = tm_new_x86(2, 1, 1, 128 * MiB);
    tm_numa_ok(tm, "node");
    tm_numa_ok(tm, "node");
    tm_numa_ok(tm, "cpu,node-id=1");
    tm_complete_ok(tm);
    assert_cpus(tm, 1, "0 1");
    tm_free(tm);
}

static void test_x86_cpu_errors(void)
{
    TestMachine *tm = tm_new_x86(2, 2, 1, 128 * MiB);

    tm_numa_ok(tm, "node,cpus=0");
    tm_numa_ok(tm, "node");
    tm_numa_err(tm, "cpu,socket-id=0", "Missing mandatory node-id property");
    tm_numa_err(tm, "cpu,node-id=2", "Invalid node-id=2, NUMA node must be defined with "
                "-numa node,nodeid=ID before it's used with -numa cpu,node-id=ID");
    tm_numa_err(tm, "cpu,node-id=-1,socket-id=0", "Invalid node-id=-1, NUMA node must be "
                "defined with -numa node,nodeid=ID before it's used with -numa cpu,node-id=ID");
    tm_numa_err(tm, "cpu,node-id=1000", "Invalid node-id=1000, NUMA node must be defined with "
                "-numa node,nodeid=ID before it's used with -numa cpu,node-id=ID");
    tm_numa_err(tm, "cpu,node-id=1,die-id=0", "die-id is not supported");
    tm_numa_err(tm, "cpu,node-id=1,socket-id=5", "no match found");
    tm_numa_err(tm, "cpu,node-id=1,socket-id=0,core-id=0", "CPU is already assigned to "
                "node-id: 0");
    /* socket 0 = CPUs 0,1; CPU 0 is on node 0, so the whole option is undone */
    tm_numa_err(tm, "cpu,node-id=1,socket-id=0", "CPU is already assigned to node-id: 0");
    g_assert_false(tm->ms.possible_cpus->cpus[1].props.has_node_id);
    /* the same through cpus= of a new node */
    tm_numa_err(tm, "node,cpus=3,cpus=0", "CPU is already assigned to node-id: 0");
    g_assert_false(tm->ms.possible_cpus->cpus[3].props.has_node_id);
    g_assert_cmpint(tm->ms.numa->num_nodes, ==, 2);
    tm_numa_ok(tm, "cpu,node-id=1,socket-id=1");
    tm_complete_ok(tm);     /* CPU 1 is left over: partial mapping puts it on node 0 */
    assert_cpus(tm, 0, "0 1");
    assert_cpus(tm, 1, "2 3");
    tm_free(tm);
}

static void test_x86_partial_warning(void)
{
    if (g_test_subprocess()) {
        TestMachine *tm = tm_new_x86(1, 8, 1, 128 * MiB);

        tm_numa_ok(tm, "node,nodeid=0,cpus=0-1");
        tm_numa_ok(tm, "node,nodeid=1,cpus=4-5");
        tm_complete_ok(tm);
        assert_cpus(tm, 0, "0 1 2 3 6 7");
        assert_cpus(tm, 1, "4 5");
        tm_free(tm);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*: warning: CPU(s) not present in any NUMA nodes: "
                              "CPU 2 [socket-id: 0, core-id: 2, thread-id: 0], "
                              "CPU 3 [socket-id: 0, core-id: 3, thread-id: 0], "
                              "CPU 6 [socket-id: 0, core-id: 6, thread-id: 0], "
                              "CPU 7 [socket-id: 0, core-id: 7, thread-id: 0]\n"
                              "*: warning: All CPU(s) up to maxcpus should be described in "
                              "NUMA config, ability to start up with partial NUMA mappings "
                              "is obsoleted and will be removed in future\n");
}

static void test_x86_default_no_warning(void)
{
    if (g_test_subprocess()) {
        TestMachine *tm = tm_new_x86(4, 1, 1, 128 * MiB);

        tm_numa_ok(tm, "node");
        tm_numa_ok(tm, "node");
        tm_complete_ok(tm);
        tm_free(tm);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("");
}

static void test_x86_hmat_initiators(void)
{
    TestMachine *tm = tm_new_x86(2, 1, 1, 128 * MiB);

    tm->ms.numa->hmat_enabled = true;
    tm_numa_ok(tm, "node,initiator=1");
    tm_numa_ok(tm, "node");
    /* the default mapping puts socket 0 on node 0, whose initiator is node 1 */
    tm_complete_err(tm, "The initiator of CPU NUMA node 0 should be itself (got 1)");
    tm_free(tm);

    tm = tm_new_x86(2, 1, 1, 128 * MiB);
    tm->ms.numa->hmat_enabled = true;
    tm_numa_ok(tm, "node,cpus=0-1");
    tm_numa_ok(tm, "node,initiator=2");
    tm_numa_ok(tm, "node");
    tm_complete_err(tm, "The initiator of NUMA node 1 is invalid");
    tm_free(tm);

    tm = tm_new_x86(2, 1, 1, 128 * MiB);
    tm->ms.numa->hmat_enabled = true;
    tm_numa_ok(tm, "node,cpus=0-1");
    tm_numa_ok(tm, "node,initiator=5");
    tm_complete_err(tm, "NUMA node 5 is missing, use '-numa node' option to declare it first");
    tm_free(tm);

    tm = tm_new_x86(2, 1, 1, 128 * MiB);
    tm->ms.numa->hmat_enabled = true;
    tm_numa_ok(tm, "node,cpus=0-1");
    tm_numa_ok(tm, "node,initiator=0");
    tm_complete_ok(tm);
    g_assert_true(tm->ms.numa->nodes[0].has_cpu);
    g_assert_cmpuint(tm->ms.numa->nodes[0].initiator, ==, 0);
    g_assert_false(tm->ms.numa->nodes[1].has_cpu);
    tm_free(tm);
}

static void test_slot_string(void)
{
    CpuInstanceProperties p = { .has_socket_id = true, .socket_id = 1, .has_die_id = true,
                                .die_id = 0, .has_thread_id = true, .thread_id = 3 };
    g_autofree char *s = numa_cpu_slot_to_string(&p, 9);
    g_autofree char *empty = numa_cpu_slot_to_string(&(CpuInstanceProperties){ 0 }, 0);

    g_assert_cmpstr(s, ==, "CPU 9 [socket-id: 1, die-id: 0, thread-id: 3]");
    g_assert_cmpstr(empty, ==, "CPU 0 []");
}

/* ---- e2k layer ---- */

static void test_e2k_round_robin(void)
{
    TestMachine *tm = tm_new_e2k(2, 4, false, 96 * MiB);

    for (int i = 0; i < 3; i++) {
        tm_numa_ok(tm, "node");
    }
    tm_complete_ok(tm);
    assert_cpus(tm, 0, "0 3 6");
    assert_cpus(tm, 1, "1 4 7");
    assert_cpus(tm, 2, "2 5");
    tm_free(tm);
}

static void test_e2k_by_socket(void)
{
    TestMachine *tm = tm_new_e2k(2, 4, true, 96 * MiB);

    for (int i = 0; i < 3; i++) {
        tm_numa_ok(tm, "node");
    }
    tm_complete_ok(tm);
    assert_cpus(tm, 0, "0 1 2 3");
    assert_cpus(tm, 1, "4 5 6 7");
    assert_cpus(tm, 2, "");
    g_assert_cmpint(numa_get_node_for_cpu(&tm->ms, 8), ==, 3);  /* beyond max_cpus */
    tm_free(tm);
}

static void test_e2k_explicit(void)
{
    if (g_test_subprocess()) {
        TestMachine *tm = tm_new_e2k(2, 4, true, 64 * MiB);

        tm_numa_ok(tm, "node,cpus=4-7");
        tm_numa_ok(tm, "node,cpus=0-3");
        tm_complete_ok(tm);
        assert_cpus(tm, 0, "4 5 6 7");
        assert_cpus(tm, 1, "0 1 2 3");
        tm_free(tm);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("");
}

static void test_e2k_multiple_nodes(void)
{
    TestMachine *tm = tm_new_e2k(1, 8, false, 96 * MiB);

    tm_numa_ok(tm, "node,cpus=0-2");
    tm_numa_ok(tm, "node,cpus=2-3,cpus=5");
    tm_numa_ok(tm, "node,cpus=3-7");
    tm_complete_err(tm, "CPU(s) present in multiple NUMA nodes: 2");
    tm_free(tm);

    tm = tm_new_e2k(1, 8, false, 96 * MiB);
    tm_numa_ok(tm, "node,cpus=0-3,cpus=6");
    tm_numa_ok(tm, "node,cpus=4-7");
    tm_numa_ok(tm, "node,cpus=1-2");
    tm_complete_err(tm, "CPU(s) present in multiple NUMA nodes: 6");
    tm_free(tm);
}

static void test_e2k_partial_warning(void)
{
    if (g_test_subprocess()) {
        TestMachine *tm = tm_new_e2k(2, 4, true, 64 * MiB);

        tm_numa_ok(tm, "node,cpus=0-1");
        tm_numa_ok(tm, "node,cpus=4");
        tm_complete_ok(tm);
        assert_cpus(tm, 2, "2 3 5 6 7");   /* in no node: num_nodes */
        tm_free(tm);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*: warning: CPU(s) not present in any NUMA nodes: 2 3 5 6 7\n"
                              "*: warning: All CPU(s) up to maxcpus should be described in "
                              "NUMA config\n");
}

static void test_e2k_cpu_option(void)
{
    TestMachine *tm = tm_new_e2k(2, 2, true, 64 * MiB);

    tm_numa_ok(tm, "node");
    tm_numa_err(tm, "cpu,node-id=0,socket-id=0", "mapping of CPUs to NUMA node is not "
                "supported");
    tm_numa_err(tm, "cpu,node-id=3", "Invalid node-id=3, NUMA node must be defined with "
                "-numa node,nodeid=ID before it's used with -numa cpu,node-id=ID");
    tm_numa_err(tm, "node,cpus=4", "CPU index (4) should be smaller than maxcpus (4)");
    tm_free(tm);
}

static void test_e2k_hmat(void)
{
    TestMachine *tm = tm_new_e2k(2, 2, true, 64 * MiB);

    tm->ms.numa->hmat_enabled = true;
    tm_numa_ok(tm, "node,cpus=0-3");
    g_assert_true(tm->ms.numa->nodes[0].has_cpu);
    tm_numa_ok(tm, "node,initiator=0");
    tm_numa_err(tm, "node,cpus=0,initiator=1", "The initiator of CPU NUMA node 2 should be "
                "itself (got 1)");
    tm_complete_ok(tm);
    tm_free(tm);

    /* without cpus= the default assignment gives nodes their CPUs, then initiators check */
    tm = tm_new_e2k(2, 2, true, 64 * MiB);
    tm->ms.numa->hmat_enabled = true;
    tm_numa_ok(tm, "node");
    tm_numa_ok(tm, "node");
    tm_numa_ok(tm, "node,initiator=1");
    tm_complete_ok(tm);
    g_assert_true(tm->ms.numa->nodes[1].has_cpu);
    g_assert_false(tm->ms.numa->nodes[2].has_cpu);
    tm_free(tm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/numa/cpu/x86/default-by-socket", test_x86_default_by_socket);
    g_test_add_func("/numa/cpu/x86/explicit", test_x86_explicit);
    g_test_add_func("/numa/cpu/x86/numa-cpu", test_x86_numa_cpu);
    g_test_add_func("/numa/cpu/x86/errors", test_x86_cpu_errors);
    g_test_add_func("/numa/cpu/x86/partial-warning", test_x86_partial_warning);
    g_test_add_func("/numa/cpu/x86/default-no-warning", test_x86_default_no_warning);
    g_test_add_func("/numa/cpu/x86/hmat-initiators", test_x86_hmat_initiators);
    g_test_add_func("/numa/cpu/x86/slot-string", test_slot_string);
    g_test_add_func("/numa/cpu/e2k/round-robin", test_e2k_round_robin);
    g_test_add_func("/numa/cpu/e2k/by-socket", test_e2k_by_socket);
    g_test_add_func("/numa/cpu/e2k/explicit", test_e2k_explicit);
    g_test_add_func("/numa/cpu/e2k/multiple-nodes", test_e2k_multiple_nodes);
    g_test_add_func("/numa/cpu/e2k/partial-warning", test_e2k_partial_warning);
    g_test_add_func("/numa/cpu/e2k/cpu-option", test_e2k_cpu_option);
    g_test_add_func("/numa/cpu/e2k/hmat", test_e2k_hmat);
    return g_test_run();
}
