/* Unit tests of -numa hmat-lb / hmat-cache: QEMU's numa-test HMAT sequences plus base and level rules. */
#include "numa-test-machine.h"

#define LB "hmat-lb,hierarchy=memory,"
#define CACHE "hmat-cache,"

/* QEMU's /numa/pc/hmat/build setup: 2 sockets, both on node 0; node 1 memory only. */
static TestMachine *hmat_machine(bool hmat)
{
    TestMachine *tm = tm_new_x86(2, 1, 1, 128 * MiB);

    tm->ms.numa->hmat_enabled = hmat;
    tm_numa_ok(tm, "node,nodeid=0,mem=64M");
    tm_numa_ok(tm, hmat ? "node,nodeid=1,mem=64M,initiator=0" : "node,nodeid=1,mem=64M");
    tm_numa_ok(tm, "cpu,node-id=0,socket-id=0");
    tm_numa_ok(tm, "cpu,node-id=0,socket-id=1");
    return tm;
}

static void test_hmat_off(void)
{
    TestMachine *tm = hmat_machine(false);
    const char *off = "ACPI Heterogeneous Memory Attribute Table (HMAT) is disabled, enable "
                      "it with -machine hmat=on before using any of hmat specific options";

    tm_numa_err(tm, LB "initiator=0,target=0,data-type=access-latency,latency=1", off);
    tm_numa_err(tm, CACHE "node-id=0,size=10K,level=1,associativity=direct,"
                "policy=write-back,line=8", off);
    tm_complete_ok(tm);
    tm_free(tm);
}

static void test_hmat_lb_build(void)
{
    TestMachine *tm = hmat_machine(true);
    const HmatLbInfo *lat, *bw;

    tm_numa_err(tm, LB "initiator=2,target=0,data-type=access-latency,latency=1",
                "Invalid initiator=2, it should be less than 2");
    tm_numa_err(tm, LB "initiator=0,target=2,data-type=access-latency,latency=1",
                "Invalid target=2, it should be less than 2");
    tm_numa_err(tm, LB "initiator=1,target=0,data-type=access-latency,latency=1",
                "Invalid initiator=1, it isn't an initiator proximity domain");
    tm_numa_err(tm, LB "initiator=0,target=0,data-type=write-latency,bandwidth=524288000",
                "Missing 'latency' option");
    tm_numa_err(tm, LB "initiator=0,target=0,data-type=write-latency,latency=5,"
                "bandwidth=524288000", "Invalid option 'bandwidth' since the data type is "
                "latency");
    tm_numa_err(tm, LB "initiator=0,target=0,data-type=read-bandwidth,latency=5",
                "Missing 'bandwidth' option");
    tm_numa_err(tm, LB "initiator=0,target=0,data-type=read-bandwidth,latency=5,"
                "bandwidth=1M", "Invalid option 'latency' since the data type is bandwidth");
    tm_numa_err(tm, LB "initiator=0,target=0,data-type=access-bandwidth,bandwidth=1048575",
                "Bandwidth 1048575 between initiator=0 and target=0 should be 1MB aligned");
    tm_numa_ok(tm, LB "initiator=0,target=0,data-type=access-latency,latency=1");
    tm_numa_err(tm, LB "initiator=0,target=0,data-type=access-latency,latency=5",
                "Duplicate configuration of the latency for initiator=0 and target=0");
    tm_numa_ok(tm, LB "initiator=0,target=0,data-type=access-bandwidth,bandwidth=65534M");
    tm_numa_err(tm, LB "initiator=0,target=0,data-type=access-bandwidth,bandwidth=1M",
                "Duplicate configuration of the bandwidth for initiator=0 and target=0");
    tm_numa_ok(tm, LB "initiator=0,target=1,data-type=access-latency,latency=65534");
    tm_numa_ok(tm, LB "initiator=0,target=1,data-type=access-bandwidth,bandwidth=32767M");

    lat = tm->ms.numa->hmat_lb[HMAT_LB_MEM_MEMORY][HMAT_LB_DATA_ACCESS_LATENCY];
    bw = tm->ms.numa->hmat_lb[HMAT_LB_MEM_MEMORY][HMAT_LB_DATA_ACCESS_BANDWIDTH];
    g_assert_nonnull(lat);
    g_assert_cmpuint(lat->base, ==, 1);
    g_assert_cmpuint(lat->list->len, ==, 2);
    g_assert_cmpuint(g_array_index(lat->list, HmatLbData, 1).data, ==, 65534);
    g_assert_cmpuint(bw->base, ==, MiB);
    g_assert_cmpuint(g_array_index(bw->list, HmatLbData, 0).data, ==, 65534 * MiB);
    g_assert_cmpuint(tm->ms.numa->nodes[1].lb_info_provided, ==, 3);
    /* rejected entries leave no tables behind */
    g_assert_null(tm->ms.numa->hmat_lb[HMAT_LB_MEM_MEMORY][HMAT_LB_DATA_WRITE_LATENCY]);
    g_assert_null(tm->ms.numa->hmat_lb[HMAT_LB_MEM_MEMORY][HMAT_LB_DATA_READ_BANDWIDTH]);
    tm_complete_ok(tm);
    tm_free(tm);
}

static void test_hmat_lb_ranges(void)
{
    TestMachine *tm = hmat_machine(true);

    /* QEMU's /numa/pc/hmat/erange */
    tm_numa_ok(tm, LB "initiator=0,target=0,data-type=access-latency,latency=1");
    tm_numa_err(tm, LB "initiator=0,target=1,data-type=access-latency,latency=65535",
                "Latency 65535 between initiator=0 and target=1 should not differ from "
                "previously entered min or max values on more than 65534");
    tm_numa_ok(tm, LB "initiator=0,target=0,data-type=access-bandwidth,bandwidth=0");
    tm_numa_err(tm, CACHE "node-id=0,size=10K,level=1,associativity=direct,"
                "policy=write-back,line=8", "The latency and bandwidth information of "
                "node-id=0 should be provided before memory side cache attributes");
    tm_numa_err(tm, LB "initiator=0,target=1,data-type=access-bandwidth,"
                "bandwidth=68718428160", "Bandwidth 68718428160 between initiator=0 and "
                "target=1 should not differ from previously entered values on more than "
                "65534");
    tm_free(tm);
}

static void test_hmat_lb_base(void)
{
    TestMachine *tm = hmat_machine(true);
    const HmatLbInfo *lat;

    /* latencies 100, 20, 3000 share base 10 (entries 10, 2, 300) */
    tm_numa_ok(tm, LB "initiator=0,target=0,data-type=read-latency,latency=100");
    tm_numa_ok(tm, LB "initiator=0,target=1,data-type=read-latency,latency=20");
    lat = tm->ms.numa->hmat_lb[HMAT_LB_MEM_MEMORY][HMAT_LB_DATA_READ_LATENCY];
    g_assert_cmpuint(lat->base, ==, 10);
    /* numbat checks the largest value against the new base: 655350/10 > 65534 */
    tm_free(tm);

    tm = hmat_machine(true);
    tm_numa_ok(tm, LB "initiator=0,target=0,data-type=read-latency,latency=655340");
    tm_numa_err(tm, LB "initiator=0,target=1,data-type=read-latency,latency=5",
                "Latency 5 between initiator=0 and target=1 should not differ from "
                "previously entered min or max values on more than 65534");
    tm_numa_ok(tm, LB "initiator=0,target=1,data-type=read-latency,latency=0");  /* unset */
    lat = tm->ms.numa->hmat_lb[HMAT_LB_MEM_MEMORY][HMAT_LB_DATA_READ_LATENCY];
    g_assert_cmpuint(lat->base, ==, 10);
    g_assert_cmpuint(lat->list->len, ==, 2);
    g_assert_cmpuint(tm->ms.numa->nodes[1].lb_info_provided, ==, 0);
    tm_free(tm);

    /* bandwidth base: lowest set bit over all values */
    tm = hmat_machine(true);
    tm_numa_ok(tm, LB "initiator=0,target=0,data-type=write-bandwidth,bandwidth=4M");
    tm_numa_ok(tm, LB "initiator=0,target=1,data-type=write-bandwidth,bandwidth=6M");
    g_assert_cmpuint(tm->ms.numa->hmat_lb[0][HMAT_LB_DATA_WRITE_BANDWIDTH]->base, ==, 2 * MiB);
    tm_free(tm);
}

static void test_hmat_cache(void)
{
    TestMachine *tm = hmat_machine(true);
    const char *l1 = CACHE "node-id=0,size=10240,level=1,associativity=direct,"
                     "policy=write-back,line=8";

    tm_numa_ok(tm, LB "initiator=0,target=0,data-type=access-latency,latency=1");
    tm_numa_ok(tm, LB "initiator=0,target=0,data-type=access-bandwidth,bandwidth=65534M");
    tm_numa_ok(tm, LB "initiator=0,target=1,data-type=access-latency,latency=65534");
    tm_numa_ok(tm, LB "initiator=0,target=1,data-type=access-bandwidth,bandwidth=32767M");

    tm_numa_err(tm, CACHE "node-id=2,size=10240,level=1,associativity=direct,"
                "policy=write-back,line=8", "Invalid node-id=2, it should be less than 2");
    tm_numa_err(tm, CACHE "node-id=0,size=10240,level=4,associativity=direct,"
                "policy=write-back,line=8", "Invalid level=4, it should be larger than 0 and "
                "less than or equal to 3");
    tm_numa_err(tm, CACHE "node-id=0,size=10240,level=0,associativity=none,"
                "policy=none,line=0", "Invalid level=0, it should be larger than 0 and less "
                "than or equal to 3");
    tm_numa_err(tm, CACHE "node-id=0,size=10240,level=1,policy=none,line=0",
                "Parameter 'associativity' is missing");
    tm_numa_err(tm, CACHE "node-id=0,size=20K,level=2,associativity=direct,"
                "policy=write-back,line=8", "Cache level=1 shall be defined first");
    tm_numa_ok(tm, l1);
    tm_numa_err(tm, l1, "Duplicate configuration of the side cache for node-id=0 and level=1");
    tm_numa_err(tm, CACHE "node-id=0,size=10240,level=2,associativity=direct,"
                "policy=write-back,line=8", "Invalid size=10240, the size of level=2 should "
                "be larger than the size(10240) of level=1");
    tm_numa_ok(tm, CACHE "node-id=0,size=20K,level=2,associativity=complex,"
               "policy=write-through,line=64");
    tm_numa_ok(tm, CACHE "node-id=1,size=10240,level=1,associativity=direct,"
               "policy=write-back,line=8");

    const HmatCacheInfo *c = tm->ms.numa->hmat_cache[0][2];
    g_assert_nonnull(c);
    g_assert_cmpuint(c->size, ==, 20480);
    g_assert_cmpuint(c->associativity, ==, HMAT_CACHE_ASSOCIATIVITY_COMPLEX);
    g_assert_cmpuint(c->policy, ==, HMAT_CACHE_WRITE_POLICY_WRITE_THROUGH);
    g_assert_cmpuint(c->line, ==, 64);
    tm_complete_ok(tm);
    tm_free(tm);
}

static void test_hmat_target_missing(void)
{
    TestMachine *tm = tm_new_x86(2, 1, 1, 128 * MiB);

    tm->ms.numa->hmat_enabled = true;
    tm_numa_ok(tm, "node,nodeid=0,cpus=0-1");
    tm_numa_ok(tm, "node,nodeid=2");     /* nodes 0 and 2: num_nodes 2, node 1 absent */
    tm_numa_err(tm, LB "initiator=0,target=1,data-type=access-latency,latency=10",
                "The target=1 should point to an existing node");
    tm_free(tm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/numa/hmat/off", test_hmat_off);
    g_test_add_func("/numa/hmat/lb-build", test_hmat_lb_build);
    g_test_add_func("/numa/hmat/lb-ranges", test_hmat_lb_ranges);
    g_test_add_func("/numa/hmat/lb-base", test_hmat_lb_base);
    g_test_add_func("/numa/hmat/cache", test_hmat_cache);
    g_test_add_func("/numa/hmat/target-missing", test_hmat_target_missing);
    return g_test_run();
}
