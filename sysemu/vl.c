/* numbat's main: the option table, option parsing into the OptsStore, and the startup sequence. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/hostmem.h"
#include "hw/core/boards.h"
#include "monitor/monitor.h"
#include "numa/numa-machine.h"
#include "qapi/error.h"
#include "qom/object-interfaces.h"
#include "qom/object.h"
#include "sysemu/accel.h"
#include "sysemu/sysemu.h"
#include "util/opts.h"
#if defined(NUMBAT_TARGET_X86_64)
#include "hw/i386/platform.h"   /* -device help */
#endif

#if defined(NUMBAT_TARGET_X86_64)
#define TARGET_NAME "x86_64"
#elif defined(NUMBAT_TARGET_E2K)
#define TARGET_NAME "e2k"
#else
#error "build with -DNUMBAT_TARGET_X86_64 or -DNUMBAT_TARGET_E2K"
#endif

/* ---- option lists (QEMU's names, so messages and -readconfig-style habits match) ---- */

static const OptsList machine_opts = { .name = "machine", .implied_opt_name = "type",
                                       .merge_lists = true };
static const OptDesc memory_desc[] = {
    { "size", OPT_STRING, "initial amount of guest memory (suffix-less: MiB)" },
    { "slots", OPT_NUMBER, "number of hotplug slots" },
    { "maxmem", OPT_SIZE, "maximum amount of guest memory" },
    { NULL },
};
static const OptsList memory_opts = { .name = "memory", .implied_opt_name = "size",
                                      .merge_lists = true, .desc = memory_desc };
static const OptDesc smp_desc[] = {
    { "cpus", OPT_NUMBER, "number of virtual CPUs" },
    { "maxcpus", OPT_NUMBER, "maximum number of CPUs" },
    { "sockets", OPT_NUMBER, "number of sockets" },
    { "dies", OPT_NUMBER, "number of dies per socket" },
    { "clusters", OPT_NUMBER, "number of clusters per die" },
    { "cores", OPT_NUMBER, "number of cores per cluster" },
    { "threads", OPT_NUMBER, "number of threads per core" },
    { NULL },
};
static const OptsList smp_opts = { .name = "smp-opts", .implied_opt_name = "cpus",
                                   .merge_lists = true, .desc = smp_desc };
/* -numa and -object are validated by visitors (numa/, qom/): any key is accepted here. */
static const OptsList numa_opts = { .name = "numa", .implied_opt_name = "type" };
static const OptsList object_opts = { .name = "object", .implied_opt_name = "qom-type" };
static const OptDesc accel_desc[] = {
    { "accel", OPT_STRING, "accelerator name" },
    { "thread", OPT_STRING, "single or multi" },
    { NULL },
};
static const OptsList accel_opts = { .name = "accel", .implied_opt_name = "accel",
                                     .desc = accel_desc };

/* -device: the driver is checked when the board creates the devices (hw/i386/platform.c). */
static const OptsList device_opts = { .name = "device", .implied_opt_name = "driver" };

/* Accelerators: qtest runs no guest code; interp is the target/i386 interpreter, also
   accepted as tcg (QEMU's name for software emulation). */
static const char *const accelerators[] = { "qtest", "interp", "tcg", NULL };
static const char *const default_accel = "interp";

/* ---- the option table ---- */

typedef enum OptResult {
    OPT_CONTINUE,      /* parsed and stored */
    OPT_EXIT_SUCCESS,  /* a help/version request was answered */
    OPT_FAIL,          /* *errp is set; printed with the option's origin */
} OptResult;

typedef OptResult OptHandler(SysEmu *se, const char *arg, const char *origin, GError **errp);

typedef struct VlOption {
    const char *name;       /* without the leading '-' (a second '-' is also accepted) */
    const char *arg_name;   /* NULL: takes no argument */
    OptHandler *handler;
    const char *help;
} VlOption;

static OptResult parse_into(SysEmu *se, const OptsList *list, const char *arg,
                            const char *origin, bool *help, GError **errp)
{
    return opts_parse(se->opts, list, arg, origin, help, errp) ? OPT_CONTINUE : OPT_FAIL;
}

static OptResult print_and_exit(char *text)
{
    fputs(text, stdout);
    g_free(text);
    return OPT_EXIT_SUCCESS;
}

static OptResult opt_machine(SysEmu *se, const char *arg, const char *origin, GError **errp)
{
    bool help = false;

    if (parse_into(se, &machine_opts, arg, origin, &help, errp) == OPT_FAIL) {
        return OPT_FAIL;
    }
    return help ? print_and_exit(machine_class_help(target_machine_classes())) : OPT_CONTINUE;
}

static OptResult opt_memory(SysEmu *se, const char *arg, const char *origin, GError **errp)
{
    /* -m's size has QEMU's legacy MiB default: interpreted at board setup, not here. */
    bool help = false;

    if (parse_into(se, &memory_opts, arg, origin, &help, errp) == OPT_FAIL) {
        return OPT_FAIL;
    }
    return help ? print_and_exit(opts_list_help(&memory_opts)) : OPT_CONTINUE;
}

static OptResult opt_smp(SysEmu *se, const char *arg, const char *origin, GError **errp)
{
    bool help = false;

    if (parse_into(se, &smp_opts, arg, origin, &help, errp) == OPT_FAIL) {
        return OPT_FAIL;
    }
    return help ? print_and_exit(opts_list_help(&smp_opts)) : OPT_CONTINUE;
}

static OptResult opt_numa(SysEmu *se, const char *arg, const char *origin, GError **errp)
{
    bool help = false;
    Opts *opts = opts_parse(se->opts, &numa_opts, arg, origin, &help, errp);

    if (!opts) {
        return OPT_FAIL;
    }
    /* "-numa help" lists every type's options, "-numa node,help" one type's. */
    return help ? print_and_exit(numa_help_text(opt_get(opts, "type"))) : OPT_CONTINUE;
}

static OptResult opt_object(SysEmu *se, const char *arg, const char *origin, GError **errp)
{
    bool help = false;
    Opts *opts = opts_parse(se->opts, &object_opts, arg, origin, &help, errp);
    char *text;

    if (!opts) {
        return OPT_FAIL;
    }
    /* "-object help" and "-object TYPE,help" are answered at once, as QEMU does. */
    text = user_creatable_help(se->types, opts, help, errp);
    if (text) {
        return print_and_exit(text);
    }
    return *errp ? OPT_FAIL : OPT_CONTINUE;
}

static OptResult opt_accel(SysEmu *se, const char *arg, const char *origin, GError **errp)
{
    bool help = false;

    if (parse_into(se, &accel_opts, arg, origin, &help, errp) == OPT_FAIL) {
        return OPT_FAIL;
    }
    if (help) {
        GString *out = g_string_new("Accelerators supported in numbat binary:\n");
        for (size_t i = 0; accelerators[i]; i++) {
            g_string_append_printf(out, "%s\n", accelerators[i]);
        }
        return print_and_exit(g_string_free(out, FALSE));
    }
    return OPT_CONTINUE;
}

static OptResult opt_device(SysEmu *se, const char *arg, const char *origin, GError **errp)
{
    bool help = false;
    Opts *opts = opts_parse(se->opts, &device_opts, arg, origin, &help, errp);

    if (!opts) {
        return OPT_FAIL;
    }
    if (help || !g_strcmp0(opt_get(opts, "driver"), "help")) {
#if defined(NUMBAT_TARGET_X86_64)
        return print_and_exit(pc_device_help());
#else
        return print_and_exit(g_strdup(""));
#endif
    }
    return OPT_CONTINUE;
}

static bool is_stdio_chardev(const char *spec)
{
    return !strcmp(spec, "stdio") || g_str_has_prefix(spec, "stdio,") ||
           !strcmp(spec, "mon:stdio");
}

/* Only one character device may own stdin/stdout. */
static bool stdio_taken(SysEmu *se)
{
    for (guint i = 0; i < se->qmp_specs->len; i++) {
        if (is_stdio_chardev(g_ptr_array_index(se->qmp_specs, i))) {
            return true;
        }
    }
    for (guint i = 0; i < se->serial->len; i++) {
        if (is_stdio_chardev(g_ptr_array_index(se->serial, i))) {
            return true;
        }
    }
    return false;
}

static OptResult add_chardev_user(SysEmu *se, GPtrArray *to, const char *arg, GError **errp)
{
    if (is_stdio_chardev(arg) && stdio_taken(se)) {
        error_setg(errp, "cannot use stdio by multiple character devices");
        return OPT_FAIL;
    }
    g_ptr_array_add(to, g_strdup(arg));
    return OPT_CONTINUE;
}

static OptResult opt_qmp(SysEmu *se, const char *arg, const char *origin, GError **errp)
{
    return add_chardev_user(se, se->qmp_specs, arg, errp);
}

static OptResult opt_serial(SysEmu *se, const char *arg, const char *origin, GError **errp)
{
    return add_chardev_user(se, se->serial, arg, errp);
}

static OptResult opt_display(SysEmu *se, const char *arg, const char *origin, GError **errp)
{
    g_autofree char *type = g_strndup(arg, strcspn(arg, ","));

    if (!strcmp(type, "help")) {
        return print_and_exit(g_strdup("Available display backend types:\nnone\n"));
    }
    /* numbat has no display device: the serial console and QMP are its interfaces. */
    if (strcmp(type, "none") != 0) {
        error_setg(errp, "Parameter 'type' does not accept value '%s'", type);
        return OPT_FAIL;
    }
    g_free(se->display);
    se->display = g_steal_pointer(&type);
    return OPT_CONTINUE;
}

static void set_str(char **field, const char *arg)
{
    g_free(*field);
    *field = g_strdup(arg);
}

static OptResult opt_kernel(SysEmu *se, const char *arg, const char *o, GError **errp)
{
    set_str(&se->kernel, arg);
    return OPT_CONTINUE;
}

static OptResult opt_initrd(SysEmu *se, const char *arg, const char *o, GError **errp)
{
    set_str(&se->initrd, arg);
    return OPT_CONTINUE;
}

static OptResult opt_append(SysEmu *se, const char *arg, const char *o, GError **errp)
{
    set_str(&se->append, arg);
    return OPT_CONTINUE;
}

/*
 * -d items.  Only "unimp" produces output so far; QEMU's other system-emulation items are
 * accepted (so QEMU command lines keep working) and listed as such by "-d help".
 */
static const struct { const char *name, *help; } log_item_table[] = {
    { "unimp", "log unimplemented opcodes (address and bytes; once per address) to stderr" },
    { "icount", "at exit, print the guest instructions retired and the virtual time to stderr" },
    { "profile=FILE", "sample the guest RIP every N retired instructions; histogram to FILE at exit" },
    { "profile-period=N", "the profile's sampling period (default 10007 instructions)" },
    { "guest_errors", "accepted, no output yet" },
    { "int", "accepted, no output yet" },
    { "cpu_reset", "accepted, no output yet" },
    { "in_asm", "accepted, no output yet" },
    { "exec", "accepted, no output yet" },
    { "cpu", "accepted, no output yet" },
    { "fpu", "accepted, no output yet" },
    { "mmu", "accepted, no output yet" },
    { "pcall", "accepted, no output yet" },
    { "nochain", "accepted, no output yet" },
};

static OptResult opt_log(SysEmu *se, const char *arg, const char *o, GError **errp)
{
    g_auto(GStrv) items = g_strsplit(arg, ",", -1);

    if (!strcmp(arg, "help")) {
        GString *s = g_string_new("Log items (comma separated):\n");
        for (size_t i = 0; i < G_N_ELEMENTS(log_item_table); i++) {
            g_string_append_printf(s, "%-17s %s\n", log_item_table[i].name,
                                   log_item_table[i].help);
        }
        return print_and_exit(g_string_free(s, FALSE));
    }
    for (char **it = items; *it; it++) {
        size_t i = 0;
        /* "name=VALUE" items are listed as "name=WHAT": compare up to and including '='. */
        const char *eq = strchr(*it, '=');
        size_t n = eq ? (size_t)(eq - *it) + 1 : strlen(*it) + 1;
        while (i < G_N_ELEMENTS(log_item_table) && strncmp(*it, log_item_table[i].name, n)) {
            i++;
        }
        if (i < G_N_ELEMENTS(log_item_table) && eq &&
            (!eq[1] || (!strncmp(*it, "profile-period=", n) &&
                        !g_ascii_string_to_unsigned(eq + 1, 10, 1, G_MAXUINT32, NULL, NULL)))) {
            error_setg(errp, "log item '%s': bad or missing value", *it);
            return OPT_FAIL;
        }
        if (i == G_N_ELEMENTS(log_item_table)) {
            error_setg(errp, "unknown log item '%s' ('-d help' lists them)", *it);
            return OPT_FAIL;
        }
    }
    /* A period alone would be accepted and silently do nothing. */
    if (strstr(arg, "profile-period=") && !g_strrstr(arg, "profile=")) {
        error_setg(errp, "log item 'profile-period' needs 'profile=FILE'");
        return OPT_FAIL;
    }
    set_str(&se->log_items, arg);
    return OPT_CONTINUE;
}

static OptResult opt_flag(SysEmu *se, const char *name)
{
    if (!strcmp(name, "S")) {
        se->start_paused = true;
    } else if (!strcmp(name, "preconfig")) {
        se->preconfig = true;
    } else if (!strcmp(name, "no-reboot")) {
        se->no_reboot = true;
    } else if (!strcmp(name, "nographic")) {
        se->nographic = true;
    } else if (!strcmp(name, "nodefaults")) {
        se->nodefaults = true;
    }
    return OPT_CONTINUE;
}

static OptResult opt_version(SysEmu *se, const char *arg, const char *o, GError **errp)
{
    printf("numbat emulator version %s\n"
           "Copyright (c) the numbat developers\n", NUMBAT_VERSION);
    return OPT_EXIT_SUCCESS;
}

static OptResult opt_help(SysEmu *se, const char *arg, const char *o, GError **errp);

static const VlOption vl_options[] = {
    { "machine", "[type=]name[,prop=value...]", opt_machine, "select the emulated machine ('-machine help' for a list)" },
    { "M", "[type=]name[,prop=value...]", opt_machine, "same as -machine" },
    { "m", "[size=]megs[,slots=n,maxmem=size]", opt_memory, "guest RAM size (suffix-less: MiB)" },
    { "smp", "[cpus=]n[,maxcpus=,sockets=,dies=,clusters=,cores=,threads=]", opt_smp, "CPU topology" },
    { "numa", "node|dist|cpu|hmat-lb|hmat-cache,...", opt_numa, "guest NUMA topology" },
    { "object", "TYPE,id=ID[,prop=value...]", opt_object, "create an object ('-object help' for a list)" },
    { "accel", "[accel=]name[,prop=value...]", opt_accel, "select the accelerator ('-accel help')" },
    { "qmp", "dev", opt_qmp, "QMP monitor on stdio or unix:PATH,server=on,wait=off" },
    { "S", NULL, NULL, "do not start the guest (stay in prelaunch)" },
    { "preconfig", NULL, NULL, "pause before machine initialisation, for QMP configuration" },
    { "display", "none", opt_display, "display backend (numbat has none)" },
    { "nographic", NULL, NULL, "no graphical output; serial console on stdio" },
    { "serial", "dev", opt_serial, "redirect the serial port to a character device" },
    { "device", "driver[,prop=value][,...]", opt_device, "add a device ('-device help')" },
    { "kernel", "bzImage", opt_kernel, "the Linux kernel to boot" },
    { "initrd", "file", opt_initrd, "the initial ram disk" },
    { "append", "cmdline", opt_append, "the kernel command line" },
    { "no-reboot", NULL, NULL, "exit instead of rebooting" },
    { "d", "item1,...", opt_log, "enable logging of the given items" },
    { "nodefaults", NULL, NULL, "create no default devices" },
    { "version", NULL, opt_version, "print the version and exit" },
    { "h", NULL, opt_help, "print this help and exit" },
    { "help", NULL, opt_help, "print this help and exit" },
};

static OptResult opt_help(SysEmu *se, const char *arg, const char *o, GError **errp)
{
    printf("numbat emulator version %s\n"
           "usage: %s [options]\n\n", NUMBAT_VERSION, error_get_progname());
    for (size_t i = 0; i < G_N_ELEMENTS(vl_options); i++) {
        const VlOption *opt = &vl_options[i];
        g_autofree char *head = g_strdup_printf("-%s%s%s", opt->name,
                                                opt->arg_name ? " " : "",
                                                opt->arg_name ? opt->arg_name : "");
        printf("%-40s %s\n", head, opt->help);
    }
    return OPT_EXIT_SUCCESS;
}

static const VlOption *find_option(const char *word)
{
    const char *name = word + 1;

    name += (*name == '-');   /* QEMU accepts --opt as well as -opt */
    for (size_t i = 0; i < G_N_ELEMENTS(vl_options); i++) {
        if (!strcmp(vl_options[i].name, name)) {
            return &vl_options[i];
        }
    }
    return NULL;
}

/*
 * Walk argv once, storing every option.  Returns -1 to carry on, else the exit status
 * (0 after a help/version request, 1 after an error, which has been printed).
 */
static int parse_command_line(SysEmu *se, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *word = argv[i];
        const VlOption *opt = word[0] == '-' ? find_option(word) : NULL;
        g_autofree char *origin = NULL;
        GError *err = NULL;
        const char *arg = NULL;
        OptResult res;

        if (!opt) {
            error_report("%s: invalid option", word);
            return 1;
        }
        if (opt->arg_name) {
            if (i + 1 >= argc) {
                error_report("%s: requires an argument", word);
                return 1;
            }
            arg = argv[++i];
        }
        origin = arg ? g_strdup_printf("%s %s", word, arg) : g_strdup(word);
        res = opt->handler ? opt->handler(se, arg, origin, &err) : opt_flag(se, opt->name);
        if (res == OPT_FAIL) {
            error_report_err_loc(origin, err);
            return 1;
        }
        if (res == OPT_EXIT_SUCCESS) {
            return 0;
        }
    }
    return -1;
}

/* ---- startup ---- */

/* Pick the machine class and check -machine's other properties. */
static bool select_machine(SysEmu *se)
{
    Opts *opts = opts_store_find(se->opts, "machine");
    GError *err = NULL;

    se->machine_class = machine_class_find(target_machine_classes(), opt_get(opts, "type"), &err);
    if (!se->machine_class) {
        error_report_err(err);   /* QEMU prints this one without a location */
        return false;
    }
    for (size_t i = 0; i < opts_count(opts); i++) {
        if (!machine_check_property(se->machine_class, opts_name_at(opts, i), &err)) {
            error_report_err_loc(opts_origin(opts), err);
            return false;
        }
    }
    se->machine = machine_new(se->machine_class);
    se->machine->opts = opts;
    /* -m and -smp stay in se->opts: the board setup interprets them (hw/core, numa/). */
    return true;
}

static const char *known_accel(const char *name)
{
    if (!strcmp(name, "tcg")) {
        return "interp";
    }
    for (size_t i = 0; accelerators[i]; i++) {
        if (!strcmp(accelerators[i], name)) {
            return accelerators[i];
        }
    }
    return NULL;
}

/* The first -accel wins; else the legacy -machine accel=a:b list; else the default. */
static bool select_accel(SysEmu *se)
{
    size_t n = 0;
    Opts *const *all = opts_store_get_all(se->opts, "accel", &n);
    const char *legacy = opt_get(opts_store_find(se->opts, "machine"), "accel");

    if (n > 0) {
        const char *name = opt_get(all[0], "accel");
        se->accel = name ? known_accel(name) : NULL;
        if (!se->accel) {
            error_report_err_loc(opts_origin(all[0]), g_error_new(NB_ERROR, 0,
                                 "invalid accelerator %s", name ? name : ""));
            return false;
        }
        return true;
    }
    if (legacy) {
        g_auto(GStrv) names = g_strsplit(legacy, ":", -1);
        for (size_t i = 0; names[i] && !se->accel; i++) {
            se->accel = known_accel(names[i]);
        }
        if (!se->accel) {
            error_report("-machine accel=%s: no accelerator found", legacy);
            return false;
        }
        return true;
    }
    se->accel = default_accel;
    return true;
}

/*
 * -object, in two passes as QEMU does: memory backends come late (after the monitors
 * exist) so a large allocation does not delay the QMP socket that tools wait for.
 */
static bool create_objects(SysEmu *se, bool memory_backends)
{
    size_t n = 0;
    Opts *const *all = opts_store_get_all(se->opts, "object", &n);

    for (size_t i = 0; i < n; i++) {
        const char *type = opt_get(all[i], "qom-type");
        GError *err = NULL;

        if (g_str_has_prefix(type ? type : "", "memory-backend-") != memory_backends) {
            continue;
        }
        if (!user_creatable_add_opts(se->qom_root, all[i], &err)) {
            error_report_err_loc(opts_origin(all[i]), err);
            return false;
        }
    }
    return true;
}

static bool start_monitors(SysEmu *se, char **argv)
{
    monitor_init_commands(se);
    for (guint i = 0; i < se->qmp_specs->len; i++) {
        const char *spec = g_ptr_array_index(se->qmp_specs, i);
        GError *err = NULL;

        if (!monitor_qmp_add(se, spec, &err)) {
            g_autofree char *origin = g_strdup_printf("-qmp %s", spec);
            error_report_err_loc(origin, err);
            return false;
        }
    }
    return true;
}

/* The type registry: object model built-ins plus every module's user-creatable types. */
static void register_types(SysEmu *se)
{
    se->types = type_registry_new();
    /* Modules with QOM types register them here (host memory backends: backends/). */
    hostmem_register_types(se->types);
}

static int run(SysEmu *se, int argc, char **argv)
{
    GError *err = NULL;
    int status;

    register_types(se);
    status = parse_command_line(se, argc, argv);
    if (status >= 0) {
        return status;
    }
    if (!select_machine(se) || !select_accel(se)) {
        return 1;
    }
#if defined(NUMBAT_TARGET_X86_64)
    /* The board creates the vCPU through these ops (accel/interp); qtest runs none. */
    se->accel_ops = !strcmp(se->accel, "interp") ? &accel_interp_ops : NULL;
#endif
    se->qom_root = object_root_new(se->types);
    if (!create_objects(se, false) || !start_monitors(se, argv) ||
        !create_objects(se, true)) {
        return 1;
    }
    /* -m, -smp and -numa: before --preconfig, so set-numa-node builds on them. */
    if (!sysemu_machine_setup(se, &err)) {
        error_report_err(err);
        return 1;
    }
    /* With --preconfig the board waits for QMP configuration (x-exit-preconfig). */
    if (!se->preconfig && !sysemu_start(se, &err)) {
        error_report_err(err);
        return 1;
    }
    return sysemu_main_loop(se);
}

int main(int argc, char **argv)
{
    SysEmu *se;
    int status;

    error_set_progname(argv[0]);
    /* A vanished QMP peer must surface as a write error, not kill the emulator. */
    signal(SIGPIPE, SIG_IGN);
    se = sysemu_new(TARGET_NAME);
    status = run(se, argc, argv);
    sysemu_free(se);
    return status;
}
