/* Test machines for the numa unit tests: an x86-like (possible-CPU props) and an e2k-like (bitmaps) board. */
#ifndef NUMBAT_TESTS_NUMA_TEST_MACHINE_H
#define NUMBAT_TESTS_NUMA_TEST_MACHINE_H

#include <glib.h>
#include <string.h>

#include "hw/core/boards.h"
#include "numa/numa.h"
#include "qapi-types.h"
#include "qapi-visit.h"
#include "qapi/visitor.h"
#include "util/opts.h"

#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)

/* ---- x86-like hooks: topology from sockets x cores x threads ---- */

static inline CpuInstanceProperties *tm_x86_props(MachineState *ms, unsigned idx)
{
    g_assert(idx < (unsigned)ms->possible_cpus->len);
    return &ms->possible_cpus->cpus[idx].props;
}

static inline int64_t tm_x86_default_node(const MachineState *ms, int idx)
{
    return ms->possible_cpus->cpus[idx].props.socket_id % ms->numa->num_nodes;
}

static inline const CPUArchIdList *tm_x86_possible(MachineState *ms)
{
    return ms->possible_cpus;
}

static inline int tm_e2k_socket(const MachineState *ms, unsigned idx)
{
    return idx / (ms->smp.cores * ms->smp.threads);
}

typedef struct TestMachine {
    MachineState ms;
    MachineClass mc;
} TestMachine;

static inline void tm_build_possible_cpus(MachineState *ms, bool with_die)
{
    unsigned n = ms->smp.max_cpus;
    CPUArchIdList *l = g_malloc0(sizeof(*l) + n * sizeof(CPUArchId));

    l->len = n;
    for (unsigned i = 0; i < n; i++) {
        CpuInstanceProperties *p = &l->cpus[i].props;

        l->cpus[i].arch_id = i;
        l->cpus[i].cpu_index = i;
        l->cpus[i].vcpus_count = 1;
        p->has_socket_id = true;
        p->socket_id = i / (ms->smp.cores * ms->smp.threads);
        p->has_core_id = true;
        p->core_id = i / ms->smp.threads % ms->smp.cores;
        p->has_thread_id = true;
        p->thread_id = i % ms->smp.threads;
        p->has_die_id = with_die;
    }
    ms->possible_cpus = l;
}

/* A pc-like machine: max_cpus = sockets * cores * threads, shift 23, default split. */
static inline TestMachine *tm_new_x86(unsigned sockets, unsigned cores, unsigned threads,
                                      uint64_t ram_size)
{
    TestMachine *tm = g_new0(TestMachine, 1);

    tm->mc.name = "test-x86";
    tm->mc.cpu_index_to_instance_props = tm_x86_props;
    tm->mc.get_default_cpu_node_id = tm_x86_default_node;
    tm->mc.possible_cpu_arch_ids = tm_x86_possible;
    tm->mc.numa_auto_assign_ram = numa_default_auto_assign_ram;
    tm->mc.numa_mem_align_shift = 23;
    tm->ms.mc = &tm->mc;
    tm->ms.smp.sockets = sockets;
    tm->ms.smp.dies = 1;
    tm->ms.smp.cores = cores;
    tm->ms.smp.threads = threads;
    tm->ms.smp.cpus = tm->ms.smp.max_cpus = sockets * cores * threads;
    tm->ms.ram_size = ram_size;
    tm_build_possible_cpus(&tm->ms, false);
    tm->ms.numa = numa_state_new();
    return tm;
}

/* An e2k-like machine: bitmaps, legacy split; socket grouping only when with_sockets. */
static inline TestMachine *tm_new_e2k(unsigned sockets, unsigned cores, bool with_sockets,
                                      uint64_t ram_size)
{
    TestMachine *tm = g_new0(TestMachine, 1);

    tm->mc.name = "test-e2k";
    tm->mc.cpu_index_to_socket_id = with_sockets ? tm_e2k_socket : NULL;
    tm->mc.numa_auto_assign_ram = numa_legacy_auto_assign_ram;
    tm->mc.numa_mem_align_shift = 24;
    tm->ms.mc = &tm->mc;
    tm->ms.smp.sockets = sockets;
    tm->ms.smp.dies = 1;
    tm->ms.smp.cores = cores;
    tm->ms.smp.threads = 1;
    tm->ms.smp.cpus = tm->ms.smp.max_cpus = sockets * cores;
    tm->ms.ram_size = ram_size;
    tm->ms.numa = numa_state_new();
    return tm;
}

static inline void tm_free(TestMachine *tm)
{
    numa_state_free(tm->ms.numa);
    g_free(tm->ms.possible_cpus);
    g_free(tm);
}

/* ---- fake memory backends: "ramN" of N MiB... or a table given by the test ---- */

typedef struct TmBackend {
    const char *id;
    uint64_t size;
    int refs;
} TmBackend;

static inline bool tm_resolve(void *opaque, const char *id, void **backend, uint64_t *size)
{
    for (TmBackend *b = opaque; b->id; b++) {
        if (!strcmp(b->id, id)) {
            b->refs++;
            *backend = b;
            *size = b->size;
            return true;
        }
    }
    return false;
}

static inline void tm_release(void *opaque, void *backend)
{
    ((TmBackend *)backend)->refs--;
}

static inline void tm_set_backends(TestMachine *tm, TmBackend *table)
{
    numa_set_memdev_resolver(tm->ms.numa, tm_resolve, tm_release, table);
}

/* ---- option helpers: the real command-line path (opts_parse + opts visitor) ---- */

static const OptsList tm_numa_opts = { .name = "numa", .implied_opt_name = "type" };

/* Apply one "-numa" argument; returns the error message (g_free) or NULL on success. */
static inline char *tm_numa(TestMachine *tm, const char *arg)
{
    g_autoptr(OptsStore) store = opts_store_new();
    g_autofree char *origin = g_strdup_printf("-numa %s", arg);
    GError *err = NULL;
    Opts *opts = opts_parse(store, &tm_numa_opts, arg, origin, NULL, &err);
    char *msg;

    if (opts) {
        numa_parse_opts(&tm->ms, opts, &err);
    }
    if (!err) {
        return NULL;
    }
    msg = g_strdup(err->message);
    g_error_free(err);
    return msg;
}

static inline void tm_numa_ok(TestMachine *tm, const char *arg)
{
    g_autofree char *msg = tm_numa(tm, arg);

    if (msg) {
        g_error("-numa %s: unexpected error: %s", arg, msg);
    }
}

static inline void tm_numa_err(TestMachine *tm, const char *arg, const char *expect)
{
    g_autofree char *msg = tm_numa(tm, arg);

    if (!msg) {
        g_error("-numa %s: expected error \"%s\", got success", arg, expect);
    }
    g_assert_cmpstr(msg, ==, expect);
}

/* numa_complete_configuration's error message, or NULL. */
static inline char *tm_complete(TestMachine *tm)
{
    GError *err = NULL;
    char *msg;

    if (numa_complete_configuration(&tm->ms, &err)) {
        return NULL;
    }
    msg = g_strdup(err->message);
    g_error_free(err);
    return msg;
}

static inline void tm_complete_ok(TestMachine *tm)
{
    g_autofree char *msg = tm_complete(tm);

    if (msg) {
        g_error("completion: unexpected error: %s", msg);
    }
}

static inline void tm_complete_err(TestMachine *tm, const char *expect)
{
    g_autofree char *msg = tm_complete(tm);

    if (!msg) {
        g_error("completion: expected error \"%s\", got success", expect);
    }
    g_assert_cmpstr(msg, ==, expect);
}

#endif
