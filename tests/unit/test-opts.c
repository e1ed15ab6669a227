/* Unit tests for util/opts.c: splitting, ',,' escapes, implied keys, ids, merging, typed values, help. */
#include "util/opts.h"
#include "util/cutils.h"

static const OptsList numa_list = { .name = "numa", .implied_opt_name = "type" };
static const OptsList object_list = { .name = "object", .implied_opt_name = "qom-type" };
static const OptsList accel_list = { .name = "accel", .implied_opt_name = "accel" };

static const OptDesc mem_desc[] = {
    { "size", OPT_SIZE, "initial amount of guest memory", NULL },
    { "slots", OPT_NUMBER, "number of hotplug slots", NULL },
    { "maxmem", OPT_SIZE, "maximum amount of guest memory", NULL },
    { NULL }
};
static const OptsList mem_list = { .name = "memory", .implied_opt_name = "size",
                                   .merge_lists = true, .desc = mem_desc };

static const OptDesc smp_desc[] = {
    { "cpus", OPT_NUMBER, NULL, NULL },
    { "sockets", OPT_NUMBER, NULL, NULL },
    { "maxcpus", OPT_NUMBER, NULL, NULL },
    { NULL }
};
static const OptsList smp_list = { .name = "smp-opts", .implied_opt_name = "cpus",
                                   .merge_lists = true, .desc = smp_desc };

static const OptDesc machine_desc[] = {
    { "type", OPT_STRING, "emulated machine", NULL },
    { "accel", OPT_STRING, NULL, NULL },
    { "dump-guest-core", OPT_BOOL, "Include guest memory in a core dump", "on" },
    { "mem-merge", OPT_BOOL, NULL, NULL },
    { "memory-backend", OPT_STRING, NULL, NULL },
    { NULL }
};
static const OptsList machine_list = { .name = "machine", .implied_opt_name = "type",
                                       .merge_lists = true, .desc = machine_desc };

static const OptDesc typed_desc[] = {
    { "flag", OPT_BOOL, "a flag", NULL },
    { "count", OPT_NUMBER, "a count", "7" },
    { "size", OPT_SIZE, "a size", NULL },
    { "name", OPT_STRING, "a name", NULL },
    { NULL }
};
static const OptsList typed_list = { .name = "typed", .desc = typed_desc };

/* Parse, expecting failure with exactly msg; the store must not gain anything. */
static void parse_err(OptsStore *store, const OptsList *list, const char *params, const char *msg)
{
    GError *err = NULL;
    size_t before, after;

    opts_store_get_all(store, list->name, &before);
    Opts *o = opts_parse(store, list, params, NULL, NULL, &err);
    g_test_message("params '%s'", params);
    g_assert_null(o);
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, msg);
    g_error_free(err);
    opts_store_get_all(store, list->name, &after);
    g_assert_cmpuint(before, ==, after);
}

static Opts *parse_ok(OptsStore *store, const OptsList *list, const char *params)
{
    GError *err = NULL;
    Opts *o = opts_parse(store, list, params, NULL, NULL, &err);
    g_test_message("params '%s'", params);
    g_assert_no_error(err);
    g_assert_nonnull(o);
    return o;
}

static void test_implied(void)
{
    g_autoptr(OptsStore) store = opts_store_new();
    Opts *o;

    o = parse_ok(store, &numa_list, "node,nodeid=0,cpus=0-1");
    g_assert_cmpstr(opt_get(o, "type"), ==, "node");
    g_assert_cmpstr(opt_get(o, "nodeid"), ==, "0");
    g_assert_cmpuint(opts_count(o), ==, 3);
    g_assert_cmpstr(opts_name_at(o, 0), ==, "type");
    g_assert_cmpstr(opts_origin(o), ==, "-numa node,nodeid=0,cpus=0-1");
    g_assert_true(opts_list(o) == &numa_list);

    o = parse_ok(store, &numa_list, "type=dist,src=0,dst=1,val=20");
    g_assert_cmpstr(opt_get(o, "type"), ==, "dist");
    g_assert_cmpuint(opts_count(o), ==, 4);

    o = parse_ok(store, &object_list, "memory-backend-ram,id=m0,size=1G");
    g_assert_cmpstr(opt_get(o, "qom-type"), ==, "memory-backend-ram");
    g_assert_cmpstr(opts_id(o), ==, "m0");
    g_assert_false(opt_has(o, "id")); /* id lives apart from the entries */
    g_assert_cmpuint(opts_count(o), ==, 2);

    o = parse_ok(store, &accel_list, "qtest");
    g_assert_cmpstr(opt_get(o, "accel"), ==, "qtest");
    o = parse_ok(store, &mem_list, "512M");
    g_assert_cmpstr(opt_get(o, "size"), ==, "512M");
    o = parse_ok(store, &smp_list, "4");
    g_assert_cmpstr(opt_get(o, "cpus"), ==, "4");
    o = parse_ok(store, &machine_list, "pc");
    g_assert_cmpstr(opt_get(o, "type"), ==, "pc");

    /* command-line order per list */
    size_t n;
    Opts *const *all = opts_store_get_all(store, "numa", &n);
    g_assert_cmpuint(n, ==, 2);
    g_assert_cmpstr(opt_get(all[0], "type"), ==, "node");
    g_assert_cmpstr(opt_get(all[1], "type"), ==, "dist");
    g_assert_null(all[2]);
    all = opts_store_get_all(store, "nothing", &n);
    g_assert_cmpuint(n, ==, 0);
    g_assert_null(all[0]);
    g_assert_null(opts_store_find(store, "nothing"));
    g_assert_true(opts_store_find(store, "numa") == opts_store_get_all(store, "numa", NULL)[0]);
}

static void test_escapes(void)
{
    g_autoptr(OptsStore) store = opts_store_new();
    Opts *o;

    o = parse_ok(store, &object_list, "memory-backend-file,id=f0,mem-path=/tmp/a,,b,size=1G");
    g_assert_cmpstr(opt_get(o, "mem-path"), ==, "/tmp/a,b");
    g_assert_cmpstr(opt_get(o, "size"), ==, "1G");

    o = parse_ok(store, &object_list, "x,mem-path=/tmp/end,,");
    g_assert_cmpstr(opt_get(o, "mem-path"), ==, "/tmp/end,");
    g_assert_cmpuint(opts_count(o), ==, 2);

    o = parse_ok(store, &object_list, "x,p=a,,b,,,,c,,,q=,,");
    g_assert_cmpstr(opt_get(o, "p"), ==, "a,b,,c,");
    g_assert_cmpstr(opt_get(o, "q"), ==, ",");

    /* the implied value takes escapes too */
    o = parse_ok(store, &object_list, "we,,ird,size=1");
    g_assert_cmpstr(opt_get(o, "qom-type"), ==, "we,ird");

    /* ",id=" inside an escaped value is not an id */
    o = parse_ok(store, &object_list, "x,path=a,,id=bar");
    g_assert_cmpstr(opt_get(o, "path"), ==, "a,id=bar");
    g_assert_null(opts_id(o));

    /* '=' inside a value is data */
    o = parse_ok(store, &object_list, "x,k=a=b");
    g_assert_cmpstr(opt_get(o, "k"), ==, "a=b");

    /* empty value, trailing comma */
    o = parse_ok(store, &object_list, "x,k=,");
    g_assert_cmpstr(opt_get(o, "k"), ==, "");
    g_assert_cmpuint(opts_count(o), ==, 2);
}

static void test_repeated_keys(void)
{
    g_autoptr(OptsStore) store = opts_store_new();
    Opts *o = parse_ok(store, &numa_list, "node,cpus=0-1,cpus=4,nodeid=1");

    g_assert_cmpuint(opts_count(o), ==, 4);
    g_assert_cmpstr(opts_name_at(o, 1), ==, "cpus");
    g_assert_cmpstr(opts_value_at(o, 1), ==, "0-1");
    g_assert_cmpstr(opts_name_at(o, 2), ==, "cpus");
    g_assert_cmpstr(opts_value_at(o, 2), ==, "4");
    g_assert_cmpstr(opt_get(o, "cpus"), ==, "4"); /* last wins */
    g_assert_null(opts_name_at(o, 4));
    g_assert_null(opts_value_at(o, 99));

    opt_set(o, "extra", "v");
    g_assert_cmpstr(opt_get(o, "extra"), ==, "v");
    g_assert_true(opt_unset(o, "cpus"));
    g_assert_false(opt_has(o, "cpus"));
    g_assert_false(opt_unset(o, "cpus"));
    g_assert_cmpuint(opts_count(o), ==, 3);
}

static void test_bare_words(void)
{
    g_autoptr(OptsStore) store = opts_store_new();
    Opts *o;
    bool b = false;

    o = parse_ok(store, &machine_list, "pc,mem-merge");
    g_assert_cmpstr(opt_get(o, "mem-merge"), ==, "on");
    g_assert_true(opt_get_bool(o, "mem-merge", false, &b, NULL));
    g_assert_true(b);
    o = parse_ok(store, &machine_list, "nomem-merge");
    g_assert_cmpstr(opt_get(o, "type"), ==, "nomem-merge"); /* first element: implied */
    o = parse_ok(store, &machine_list, "pc,nomem-merge");
    g_assert_true(opt_get_bool(o, "mem-merge", true, &b, NULL));
    g_assert_false(b);

    parse_err(store, &numa_list, "node,foo", "Expected '=' after parameter 'foo'");
    parse_err(store, &object_list, "memory-backend-ram,share", "Expected '=' after parameter 'share'");
    parse_err(store, &machine_list, "pc,accel", "Expected '=' after parameter 'accel'");
    parse_err(store, &machine_list, "pc,bogus", "Invalid parameter 'bogus'");
    parse_err(store, &machine_list, "pc,noaccel", "Invalid parameter 'noaccel'");
    parse_err(store, &numa_list, "node,nofoo", "Expected '=' after parameter 'nofoo'");
    /* a list without implied key has no first-position exception */
    parse_err(store, &typed_list, "name", "Expected '=' after parameter 'name'");
    o = parse_ok(store, &typed_list, "flag");
    g_assert_cmpstr(opt_get(o, "flag"), ==, "on");
    /* empty keys */
    parse_err(store, &numa_list, "node,=5", "Invalid parameter ''");
    parse_err(store, &typed_list, "=5", "Invalid parameter ''");
    parse_err(store, &numa_list, "node,flag,,x=1", "Expected '=' after parameter 'flag'");
}

static void test_unknown_keys(void)
{
    g_autoptr(OptsStore) store = opts_store_new();

    parse_err(store, &machine_list, "pc,bogus=1", "Invalid parameter 'bogus'");
    parse_err(store, &typed_list, "flag=on,Name=x", "Invalid parameter 'Name'");
    parse_err(store, &mem_list, "size=1G,slot=2", "Invalid parameter 'slot'");
    /* the first error wins */
    parse_err(store, &typed_list, "x=1,flag=maybe", "Invalid parameter 'x'");
    parse_err(store, &typed_list, "flag=maybe,x=1", "Parameter 'flag' expects 'on' or 'off'");
    /* no desc: anything goes */
    Opts *o = parse_ok(store, &numa_list, "node,whatever=1,any-thing=");
    g_assert_cmpstr(opt_get(o, "whatever"), ==, "1");
}

static void test_typed_parse(void)
{
    g_autoptr(OptsStore) store = opts_store_new();
    static const char *const bools[] = { "on", "off", "yes", "no", "true", "false", "y", "n" };

    for (size_t i = 0; i < G_N_ELEMENTS(bools); i++) {
        g_autofree char *p = g_strdup_printf("flag=%s", bools[i]);
        bool b = i % 2 == 0;
        Opts *o = parse_ok(store, &typed_list, p);
        g_assert_true(opt_get_bool(o, "flag", i % 2 == 0, &b, NULL));
        g_assert_cmpint(b, ==, i % 2 == 0);
    }
    parse_err(store, &typed_list, "flag=ON", "Parameter 'flag' expects 'on' or 'off'");
    parse_err(store, &typed_list, "flag=", "Parameter 'flag' expects 'on' or 'off'");
    parse_err(store, &typed_list, "flag=1", "Parameter 'flag' expects 'on' or 'off'");

    parse_ok(store, &typed_list, "count=0x10");
    parse_err(store, &typed_list, "count=ten", "Parameter 'count' expects a number");
    parse_err(store, &typed_list, "count=", "Parameter 'count' expects a number");
    parse_err(store, &typed_list, "count=1K", "Parameter 'count' expects a number");
    parse_err(store, &typed_list, "count=18446744073709551616",
              "Value '18446744073709551616' is too large for parameter 'count'");
    parse_err(store, &typed_list, "count=-1", "Value '-1' is out of range for parameter 'count'");

    parse_ok(store, &typed_list, "size=1.5G");
    parse_err(store, &typed_list, "size=1X",
              "Parameter 'size' expects a non-negative number below 2^64\n" OPT_SIZE_HINT);
    parse_err(store, &typed_list, "size=-1",
              "Parameter 'size' expects a non-negative number below 2^64\n" OPT_SIZE_HINT);
    parse_err(store, &typed_list, "size=16E", "Value '16E' is out of range for parameter 'size'");
    parse_err(store, &mem_list, "1.5", /* the implied value is validated too */
              "Parameter 'size' expects a non-negative number below 2^64\n" OPT_SIZE_HINT);
    parse_err(store, &smp_list, "four", "Parameter 'cpus' expects a number");
}

static void test_typed_getters(void)
{
    g_autoptr(OptsStore) store = opts_store_new();
    Opts *o = parse_ok(store, &numa_list, "node,b=maybe,n=12,big=0x10,s=2M,bad=1X,neg=-1");
    GError *err = NULL;
    bool b = true;
    uint64_t v = 0;

    /* absent: the default */
    g_assert_true(opt_get_bool(o, "absent", false, &b, &err));
    g_assert_false(b);
    g_assert_true(opt_get_number(o, "absent", 99, &v, &err));
    g_assert_cmpuint(v, ==, 99);
    g_assert_true(opt_get_size(o, "absent", 5, &v, &err));
    g_assert_cmpuint(v, ==, 5);
    g_assert_no_error(err);

    g_assert_true(opt_get_number(o, "n", 0, &v, &err));
    g_assert_cmpuint(v, ==, 12);
    g_assert_true(opt_get_number(o, "big", 0, &v, &err));
    g_assert_cmpuint(v, ==, 16);
    g_assert_true(opt_get_size(o, "s", 0, &v, &err));
    g_assert_cmpuint(v, ==, 2 << 20);
    g_assert_true(opt_get_size(o, "n", 0, &v, &err));
    g_assert_cmpuint(v, ==, 12);
    g_assert_no_error(err);

    g_assert_false(opt_get_bool(o, "b", false, &b, &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'b' expects 'on' or 'off'");
    g_clear_error(&err);
    g_assert_false(opt_get_number(o, "s", 0, &v, &err));
    g_assert_cmpstr(err->message, ==, "Parameter 's' expects a number");
    g_clear_error(&err);
    g_assert_false(opt_get_number(o, "neg", 0, &v, &err));
    g_assert_cmpstr(err->message, ==, "Value '-1' is out of range for parameter 'neg'");
    g_clear_error(&err);
    g_assert_false(opt_get_size(o, "bad", 0, &v, &err));
    g_assert_cmpstr(err->message, ==,
                    "Parameter 'bad' expects a non-negative number below 2^64\n" OPT_SIZE_HINT);
    g_clear_error(&err);

    /* desc defaults (def_value_str) come before the caller's default, as in QEMU */
    Opts *t = parse_ok(store, &typed_list, "name=x");
    g_assert_cmpstr(opt_get(t, "count"), ==, "7");
    g_assert_false(opt_has(t, "count"));
    g_assert_true(opt_get_number(t, "count", 1, &v, &err));
    g_assert_cmpuint(v, ==, 7);
}

static void test_help(void)
{
    g_autoptr(OptsStore) store = opts_store_new();
    bool help = false;
    GError *err = NULL;
    Opts *o;

    o = opts_parse(store, &object_list, "memory-backend-ram,help", NULL, &help, &err);
    g_assert_no_error(err);
    g_assert_true(help);
    g_assert_cmpstr(opt_get(o, "qom-type"), ==, "memory-backend-ram");

    help = false;
    o = opts_parse(store, &object_list, "help", NULL, &help, &err);
    g_assert_no_error(err);
    g_assert_true(help);
    g_assert_cmpstr(opt_get(o, "qom-type"), ==, "help");

    help = false;
    o = opts_parse(store, &typed_list, "name=a,?,flag=garbage", NULL, &help, &err);
    g_assert_no_error(err); /* parsing stops at the help request */
    g_assert_true(help);
    g_assert_false(opt_has(o, "flag"));

    /* "help=on" is not a help request; without help_wanted "help" is a bare word */
    help = false;
    o = opts_parse(store, &numa_list, "node,help=on", NULL, &help, &err);
    g_assert_no_error(err);
    g_assert_false(help);
    parse_err(store, &numa_list, "node,help", "Expected '=' after parameter 'help'");

    /* an error before the help element still wins */
    help = false;
    o = opts_parse(store, &typed_list, "bogus=1,help", NULL, &help, &err);
    g_assert_null(o);
    g_assert_false(help);
    g_assert_cmpstr(err->message, ==, "Invalid parameter 'bogus'");
    g_clear_error(&err);

    /* a help Opts is answered, not recorded: not listed, its id stays free, nothing merged */
    size_t n;
    opts_store_get_all(store, "object", &n);
    g_assert_cmpuint(n, ==, 0);
    help = false;
    o = opts_parse(store, &object_list, "memory-backend-ram,id=m0,help", NULL, &help, &err);
    g_assert_true(help);
    g_assert_cmpstr(opts_id(o), ==, "m0");
    o = parse_ok(store, &object_list, "memory-backend-ram,id=m0,size=1M");
    g_assert_cmpstr(opts_id(o), ==, "m0");
    opts_store_get_all(store, "object", &n);
    g_assert_cmpuint(n, ==, 1);
    Opts *m = parse_ok(store, &machine_list, "pc");
    help = false;
    o = opts_parse(store, &machine_list, "q35,help", NULL, &help, &err);
    g_assert_no_error(err);
    g_assert_true(help);
    g_assert_true(o != m);
    g_assert_cmpstr(opt_get(o, "type"), ==, "q35");
    g_assert_cmpstr(opt_get(m, "type"), ==, "pc");
    g_assert_true(opts_store_find(store, "machine") == m);
}

static void test_ids(void)
{
    g_autoptr(OptsStore) store = opts_store_new();
    static const char *const good[] = { "a", "m0", "Mem-0.x_y", "z-" };
    static const char *const bad[] = { "", "0m", "-a", "_a", "a b", "a/b", "a:b", ".a", "é" };

    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        g_autofree char *p = g_strdup_printf("memory-backend-ram,id=%s", good[i]);
        Opts *o = parse_ok(store, &object_list, p);
        g_assert_cmpstr(opts_id(o), ==, good[i]);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *p = g_strdup_printf("memory-backend-ram,id=%s", bad[i]);
        parse_err(store, &object_list, p, "Parameter 'id' expects an identifier\n" OPT_ID_HINT);
    }
    parse_err(store, &object_list, "memory-backend-ram,id=m0", "Duplicate ID 'm0' for object");
    parse_err(store, &object_list, "id=a,memory-backend-ram", "Duplicate ID 'a' for object");
    /* the same id in another list is fine */
    parse_ok(store, &numa_list, "node,id=m0");
    /* first id= decides, later ones are ignored */
    Opts *o = parse_ok(store, &numa_list, "node,id=n1,id=n2");
    g_assert_cmpstr(opts_id(o), ==, "n1");
    /* an id check fails before anything else */
    parse_err(store, &numa_list, "node,bogus,id=n1", "Duplicate ID 'n1' for numa");
    /* several Opts without id are fine in a non-merging list */
    parse_ok(store, &numa_list, "node");
    parse_ok(store, &numa_list, "node");
    size_t n;
    opts_store_get_all(store, "numa", &n);
    g_assert_cmpuint(n, ==, 4);
}

static void test_merge(void)
{
    g_autoptr(OptsStore) store = opts_store_new();
    Opts *a = parse_ok(store, &smp_list, "4");
    Opts *b = parse_ok(store, &smp_list, "sockets=2");
    Opts *c = parse_ok(store, &smp_list, "8,maxcpus=16");
    uint64_t v = 0;
    size_t n;

    g_assert_true(a == b && b == c);
    opts_store_get_all(store, "smp-opts", &n);
    g_assert_cmpuint(n, ==, 1);
    g_assert_true(opt_get_number(c, "cpus", 0, &v, NULL));
    g_assert_cmpuint(v, ==, 8); /* later wins */
    g_assert_cmpstr(opt_get(c, "sockets"), ==, "2");
    g_assert_cmpstr(opts_origin(c), ==, "-smp-opts 4"); /* the first occurrence */

    /* merge lists reject id= (QEMU's qemu_opts_create) */
    parse_err(store, &smp_list, "4,id=x", "Invalid parameter 'id'");
    /* a failing occurrence leaves the merged Opts untouched */
    parse_err(store, &smp_list, "2,sockets=x", "Parameter 'sockets' expects a number");
    g_assert_cmpstr(opt_get(c, "cpus"), ==, "8");
    g_assert_cmpstr(opt_get(c, "sockets"), ==, "2");

    Opts *m = parse_ok(store, &mem_list, "512M");
    parse_ok(store, &mem_list, "size=1G,slots=2,maxmem=4G");
    g_assert_true(opts_store_find(store, "memory") == m);
    g_assert_true(opt_get_size(m, "size", 0, &v, NULL));
    g_assert_cmpuint(v, ==, 1ULL << 30);
}

static void test_origin(void)
{
    g_autoptr(OptsStore) store = opts_store_new();
    GError *err = NULL;
    Opts *o = opts_parse(store, &numa_list, "node,nodeid=0", "-numa node,nodeid=0", NULL, &err);

    g_assert_no_error(err);
    g_assert_cmpstr(opts_origin(o), ==, "-numa node,nodeid=0");
    o = opts_parse(store, &numa_list, "", NULL, NULL, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(opts_count(o), ==, 0);
    g_assert_cmpstr(opts_origin(o), ==, "-numa ");
    o = opts_parse(store, &numa_list, NULL, "-numa", NULL, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(opts_count(o), ==, 0);
}

static void test_to_qdict(void)
{
    g_autoptr(OptsStore) store = opts_store_new();
    Opts *o = parse_ok(store, &object_list, "memory-backend-ram,size=1G,id=m0,size=2G,x=,,");
    g_autoptr(QDict) d = opts_to_qdict(o);

    g_assert_cmpuint(qdict_size(d), ==, 4);
    g_assert_cmpstr(qdict_get_try_str(d, "id"), ==, "m0");
    g_assert_cmpstr(qdict_get_try_str(d, "qom-type"), ==, "memory-backend-ram");
    g_assert_cmpstr(qdict_get_try_str(d, "size"), ==, "2G");
    g_assert_cmpstr(qdict_get_try_str(d, "x"), ==, ",");
    const QDictEntry *e = qdict_first(d);
    g_assert_cmpstr(qdict_entry_key(e), ==, "id");
}

static void test_list_help(void)
{
    g_autofree char *h = opts_list_help(&machine_list);
    g_autofree char *none = opts_list_help(&numa_list);
    g_autofree char *line = opts_help_line("dump", "bool", "Set to 'off' to exclude from core dump");

    g_assert_cmpstr(h, ==,
                    "  accel=<str>\n"
                    "  dump-guest-core=<bool (on/off)> - Include guest memory in a core dump\n"
                    "  mem-merge=<bool (on/off)>\n"
                    "  memory-backend=<str>\n"
                    "  type=<str>             - emulated machine\n");
    g_assert_cmpstr(none, ==, "");
    g_assert_cmpstr(line, ==, "  dump=<bool>            - Set to 'off' to exclude from core dump");
    g_assert_cmpstr(opt_type_name(OPT_SIZE), ==, "size");
    g_assert_cmpstr(opt_type_name(OPT_NUMBER), ==, "num");
}

static void test_validate(void)
{
    g_autoptr(OptsStore) store = opts_store_new();
    GError *err = NULL;
    Opts *o = parse_ok(store, &accel_list, "qtest,thread=single");
    static const OptDesc accel_desc[] = {
        { "accel", OPT_STRING, NULL, NULL }, { "thread", OPT_STRING, NULL, NULL }, { NULL }
    };
    static const OptDesc strict_desc[] = { { "accel", OPT_STRING, NULL, NULL }, { NULL } };

    g_assert_true(opts_validate(o, accel_desc, &err));
    g_assert_no_error(err);
    g_assert_false(opts_validate(o, strict_desc, &err));
    g_assert_cmpstr(err->message, ==, "Invalid parameter 'thread'");
    g_clear_error(&err);
    Opts *t = parse_ok(store, &numa_list, "node,flag=maybe");
    g_assert_false(opts_validate(t, typed_desc, &err));
    g_assert_cmpstr(err->message, ==, "Invalid parameter 'type'");
    g_clear_error(&err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/opts/implied", test_implied);
    g_test_add_func("/opts/escapes", test_escapes);
    g_test_add_func("/opts/repeated-keys", test_repeated_keys);
    g_test_add_func("/opts/bare-words", test_bare_words);
    g_test_add_func("/opts/unknown-keys", test_unknown_keys);
    g_test_add_func("/opts/typed-parse", test_typed_parse);
    g_test_add_func("/opts/typed-getters", test_typed_getters);
    g_test_add_func("/opts/help", test_help);
    g_test_add_func("/opts/ids", test_ids);
    g_test_add_func("/opts/merge", test_merge);
    g_test_add_func("/opts/origin", test_origin);
    g_test_add_func("/opts/to-qdict", test_to_qdict);
    g_test_add_func("/opts/list-help", test_list_help);
    g_test_add_func("/opts/validate", test_validate);
    return g_test_run();
}
