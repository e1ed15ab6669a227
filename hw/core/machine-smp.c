/* -smp: QEMU 7.2's completion of the CPU topology (cores preferred over sockets) and its checks. */
#include "hw/core/boards.h"

#include <inttypes.h>

#include "util/opts.h"

typedef struct SmpConfig {
    uint64_t cpus, sockets, dies, clusters, cores, threads, maxcpus;
} SmpConfig;

static const char *const smp_keys[] = {
    "cpus", "sockets", "dies", "clusters", "cores", "threads", "maxcpus",
};

static uint64_t *smp_field(SmpConfig *c, size_t i)
{
    uint64_t *fields[] = { &c->cpus, &c->sockets, &c->dies, &c->clusters, &c->cores,
                           &c->threads, &c->maxcpus };
    return fields[i];
}

/* Values as given (0 = omitted); an explicit 0 only earns QEMU's deprecation warning. */
static bool smp_read(const Opts *opts, SmpConfig *c, GError **errp)
{
    bool explicit_zero = false;

    *c = (SmpConfig) { 0 };
    for (size_t i = 0; opts && i < G_N_ELEMENTS(smp_keys); i++) {
        if (!opt_get_number(opts, smp_keys[i], 0, smp_field(c, i), errp)) {
            return false;
        }
        explicit_zero |= opt_has(opts, smp_keys[i]) && *smp_field(c, i) == 0;
    }
    if (explicit_zero) {
        warn_report("Deprecated CPU topology (considered invalid): "
                    "CPU topology parameters must be greater than zero");
    }
    return true;
}

/* a * b, saturating: absurd inputs must fail the product check, not wrap into a match. */
static uint64_t smp_mul(uint64_t a, uint64_t b)
{
    uint64_t r;

    return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

static uint64_t smp_div(uint64_t total, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    uint64_t p = smp_mul(smp_mul(a, b), smp_mul(c, d));

    return p ? total / p : 0;
}

/* Fill in what was omitted, as QEMU >= 6.2 machine types do. */
static void smp_complete(SmpConfig *c)
{
    c->dies = c->dies ? c->dies : 1;
    c->clusters = c->clusters ? c->clusters : 1;
    if (c->cpus == 0 && c->maxcpus == 0) {
        c->sockets = c->sockets ? c->sockets : 1;
        c->cores = c->cores ? c->cores : 1;
        c->threads = c->threads ? c->threads : 1;
    } else {
        c->maxcpus = c->maxcpus ? c->maxcpus : c->cpus;
        if (c->cores == 0) {
            c->sockets = c->sockets ? c->sockets : 1;
            c->threads = c->threads ? c->threads : 1;
            c->cores = smp_div(c->maxcpus, c->sockets, c->dies, c->clusters, c->threads);
        } else if (c->sockets == 0) {
            c->threads = c->threads ? c->threads : 1;
            c->sockets = smp_div(c->maxcpus, c->dies, c->clusters, c->cores, c->threads);
        }
        if (c->threads == 0) {
            c->threads = smp_div(c->maxcpus, c->sockets, c->dies, c->clusters, c->cores);
        }
    }
    if (c->maxcpus == 0) {
        c->maxcpus = smp_mul(smp_mul(smp_mul(c->sockets, c->dies), smp_mul(c->clusters,
                             c->cores)), c->threads);
    }
    c->cpus = c->cpus ? c->cpus : c->maxcpus;
}

/* "sockets (2) * dies (1) * cores (2) * threads (1)": dies only where the machine has them. */
static char *smp_hierarchy(const MachineClass *mc, const SmpConfig *c)
{
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "sockets (%" PRIu64 ")", c->sockets);
    if (mc->smp_dies_supported) {
        g_string_append_printf(s, " * dies (%" PRIu64 ")", c->dies);
    }
    g_string_append_printf(s, " * cores (%" PRIu64 ") * threads (%" PRIu64 ")",
                           c->cores, c->threads);
    return g_string_free(s, FALSE);
}

static bool smp_check(const MachineClass *mc, const SmpConfig *c, GError **errp)
{
    uint64_t product = smp_mul(smp_mul(smp_mul(c->sockets, c->dies),
                                       smp_mul(c->clusters, c->cores)), c->threads);
    g_autofree char *topo = NULL;

    if (product != c->maxcpus) {
        topo = smp_hierarchy(mc, c);
        error_setg(errp, "Invalid CPU topology: product of the hierarchy must match maxcpus: "
                   "%s != maxcpus (%" PRIu64 ")", topo, c->maxcpus);
        return false;
    }
    if (c->maxcpus < c->cpus) {
        topo = smp_hierarchy(mc, c);
        error_setg(errp, "Invalid CPU topology: maxcpus must be equal to or greater than smp: "
                   "%s == maxcpus (%" PRIu64 ") < smp_cpus (%" PRIu64 ")",
                   topo, c->maxcpus, c->cpus);
        return false;
    }
    if (c->cpus < 1) {
        error_setg(errp, "Invalid SMP CPUs %" PRIu64 ". The min CPUs supported by machine "
                   "'%s' is 1", c->cpus, mc->name);
        return false;
    }
    if (c->maxcpus > mc->max_cpus) {
        error_setg(errp, "Invalid SMP CPUs %" PRIu64 ". The max CPUs supported by machine "
                   "'%s' is %u", c->maxcpus, mc->name, mc->max_cpus);
        return false;
    }
    return true;
}

bool machine_parse_smp(MachineState *ms, const Opts *opts, GError **errp)
{
    const MachineClass *mc = ms->mc;
    SmpConfig c;

    if (!smp_read(opts, &c, errp)) {
        return false;
    }
    if (!mc->smp_dies_supported && c.dies > 1) {
        error_setg(errp, "dies not supported by this machine's CPU topology");
        return false;
    }
    if (c.clusters > 1) {
        error_setg(errp, "clusters not supported by this machine's CPU topology");
        return false;
    }
    smp_complete(&c);
    if (!smp_check(mc, &c, errp)) {
        return false;
    }
    /* Every value is now <= max_cpus (<= 255 or so), so the narrowing is exact. */
    ms->smp = (SmpTopology) {
        .cpus = c.cpus, .sockets = c.sockets, .dies = c.dies, .cores = c.cores,
        .threads = c.threads, .max_cpus = c.maxcpus,
    };
    return true;
}
