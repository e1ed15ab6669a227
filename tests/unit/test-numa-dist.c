/* Unit tests of -numa dist: parse checks and messages, symmetric fill, asymmetric completeness. */
#include "numa-test-machine.h"

static TestMachine *machine_with_nodes(int n)
{
    TestMachine *tm = tm_new_x86(n, 1, 1, (uint64_t)n * 8 * MiB);

    for (int i = 0; i < n; i++) {
        tm_numa_ok(tm, "node");
    }
    return tm;
}

static void test_dist_parse_checks(void)
{
    TestMachine *tm = machine_with_nodes(2);

    tm_numa_err(tm, "dist,src=0,dst=128,val=20", "Invalid node 128, max possible could be 128");
    tm_numa_err(tm, "dist,src=200,dst=1,val=20", "Invalid node 200, max possible could be 128");
    tm_numa_err(tm, "dist,src=0,dst=2,val=20", "Source/Destination NUMA node is missing. "
                "Please use '-numa node' option to declare it first.");
    tm_numa_err(tm, "dist,src=5,dst=0,val=20", "Source/Destination NUMA node is missing. "
                "Please use '-numa node' option to declare it first.");
    tm_numa_err(tm, "dist,src=0,dst=1,val=9", "NUMA distance (9) is invalid, it shouldn't be "
                "less than 10.");
    tm_numa_err(tm, "dist,src=0,dst=1,val=0", "NUMA distance (0) is invalid, it shouldn't be "
                "less than 10.");
    tm_numa_err(tm, "dist,src=1,dst=1,val=20", "Local distance of node 1 should be 10.");
    tm_numa_err(tm, "dist,src=0,dst=1,val=256", "Parameter 'val' expects uint8_t");
    tm_numa_err(tm, "dist,src=0,dst=1", "Parameter 'val' is missing");
    g_assert_false(tm->ms.numa->have_numa_distance);
    tm_numa_ok(tm, "dist,src=1,dst=1,val=10");
    tm_numa_ok(tm, "dist,src=0,dst=1,val=255");    /* unreachable is accepted */
    g_assert_true(tm->ms.numa->have_numa_distance);
    tm_free(tm);
}

static void test_dist_symmetric(void)
{
    TestMachine *tm = machine_with_nodes(3);
    NumaState *ns = tm->ms.numa;

    tm_numa_ok(tm, "dist,src=0,dst=1,val=21");
    tm_numa_ok(tm, "dist,src=2,dst=0,val=31");
    tm_numa_ok(tm, "dist,src=1,dst=2,val=15");
    tm_numa_ok(tm, "dist,src=1,dst=2,val=41");     /* a repeat overwrites */
    tm_numa_ok(tm, "dist,src=2,dst=1,val=41");     /* same both ways: still symmetric */
    tm_complete_ok(tm);
    static const uint8_t expect[3][3] = { { 10, 21, 31 }, { 21, 10, 41 }, { 31, 41, 10 } };
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            g_assert_cmpuint(ns->nodes[i].distance[j], ==, expect[i][j]);
        }
    }
    tm_free(tm);
}

static void test_dist_asymmetric_complete(void)
{
    TestMachine *tm = machine_with_nodes(3);
    NumaState *ns = tm->ms.numa;
    static const uint8_t expect[3][3] = { { 10, 20, 30 }, { 25, 10, 40 }, { 35, 45, 10 } };

    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            if (i != j) {
                g_autofree char *arg = g_strdup_printf("dist,src=%d,dst=%d,val=%u", i, j,
                                                       expect[i][j]);
                tm_numa_ok(tm, arg);
            }
        }
    }
    tm_complete_ok(tm);
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            g_assert_cmpuint(ns->nodes[i].distance[j], ==, expect[i][j]);
        }
    }
    tm_free(tm);
}

static void test_dist_asymmetric_incomplete(void)
{
    TestMachine *tm = machine_with_nodes(3);

    tm_numa_ok(tm, "dist,src=0,dst=1,val=20");
    tm_numa_ok(tm, "dist,src=1,dst=0,val=30");     /* asymmetric pair */
    tm_numa_ok(tm, "dist,src=0,dst=2,val=20");
    tm_numa_ok(tm, "dist,src=1,dst=2,val=20");     /* 2->0 and 2->1 missing */
    tm_complete_err(tm, "At least one asymmetrical pair of distances is given, please "
                    "provide distances for both directions of all node pairs.");
    tm_free(tm);
}

static void test_dist_missing_pair(void)
{
    TestMachine *tm = machine_with_nodes(4);

    tm_numa_ok(tm, "dist,src=0,dst=1,val=20");
    tm_numa_ok(tm, "dist,src=0,dst=2,val=20");
    tm_numa_ok(tm, "dist,src=0,dst=3,val=20");
    tm_numa_ok(tm, "dist,src=2,dst=1,val=20");
    /* 1-3 and 2-3 missing: the first in (src, dst) order is reported */
    tm_complete_err(tm, "The distance between node 1 and 3 is missing, at least one distance "
                    "value between each nodes should be provided.");
    tm_free(tm);

    /* the missing-pair check comes before the asymmetry check */
    tm = machine_with_nodes(3);
    tm_numa_ok(tm, "dist,src=0,dst=1,val=20");
    tm_numa_ok(tm, "dist,src=1,dst=0,val=30");
    tm_complete_err(tm, "The distance between node 0 and 2 is missing, at least one distance "
                    "value between each nodes should be provided.");
    tm_free(tm);
}

static void test_dist_none_given(void)
{
    TestMachine *tm = machine_with_nodes(2);

    /* without -numa dist the table stays empty: builders use 10/20 themselves */
    tm_complete_ok(tm);
    g_assert_false(tm->ms.numa->have_numa_distance);
    g_assert_cmpuint(tm->ms.numa->nodes[0].distance[1], ==, 0);
    g_assert_cmpuint(tm->ms.numa->nodes[0].distance[0], ==, 0);
    tm_free(tm);

    /* one node, only a local distance: the table is just 10 */
    tm = machine_with_nodes(1);
    tm_numa_ok(tm, "dist,src=0,dst=0,val=10");
    tm_complete_ok(tm);
    g_assert_cmpuint(tm->ms.numa->nodes[0].distance[0], ==, NUMA_DISTANCE_MIN);
    tm_free(tm);
}

static void test_dist_full_128(void)
{
    TestMachine *tm = machine_with_nodes(MAX_NODES);

    /* every unique pair once, as bench/startup does */
    for (int i = 0; i < MAX_NODES; i++) {
        for (int j = i + 1; j < MAX_NODES; j++) {
            NumaDistOptions d = { .src = i, .dst = j, .val = 10 + (i + j) % 200 + 1 };

            g_assert_true(numa_parse_distance(tm->ms.numa, &d, NULL));
        }
    }
    tm_complete_ok(tm);
    g_assert_cmpuint(tm->ms.numa->nodes[127].distance[3], ==, 10 + 130 % 200 + 1);
    g_assert_cmpuint(tm->ms.numa->nodes[64].distance[64], ==, 10);
    tm_free(tm);
}

static void test_dist_e2k(void)
{
    /* distances are shared by both layers */
    TestMachine *tm = tm_new_e2k(2, 2, true, 64 * MiB);

    tm_numa_ok(tm, "node");
    tm_numa_ok(tm, "node");
    tm_numa_err(tm, "dist,src=0,dst=0,val=11", "Local distance of node 0 should be 10.");
    tm_numa_ok(tm, "dist,src=1,dst=0,val=16");
    tm_complete_ok(tm);
    g_assert_cmpuint(tm->ms.numa->nodes[0].distance[1], ==, 16);
    g_assert_cmpuint(tm->ms.numa->nodes[1].distance[1], ==, 10);
    tm_free(tm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/numa/dist/parse-checks", test_dist_parse_checks);
    g_test_add_func("/numa/dist/symmetric", test_dist_symmetric);
    g_test_add_func("/numa/dist/asymmetric-complete", test_dist_asymmetric_complete);
    g_test_add_func("/numa/dist/asymmetric-incomplete", test_dist_asymmetric_incomplete);
    g_test_add_func("/numa/dist/missing-pair", test_dist_missing_pair);
    g_test_add_func("/numa/dist/none-given", test_dist_none_given);
    g_test_add_func("/numa/dist/full-128", test_dist_full_128);
    g_test_add_func("/numa/dist/e2k", test_dist_e2k);
    return g_test_run();
}
