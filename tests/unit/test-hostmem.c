/* Unit tests for the memory-backend objects: -object creation, properties, errors, mapped state, query-memdev. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "backends/hostmem.h"
#include "qapi-types.h"
#include "qapi-visit.h"
#include "qobject/json.h"
#include "util/opts.h"

#define MiB (1024 * 1024ULL)

/* Like vl.c's -object list: the implied key is the type, every key goes to the visitor. */
static const OptDesc no_desc[] = { { NULL } };
static const OptsList object_list = { "object", "qom-type", false, no_desc };

typedef struct Fixture {
    TypeRegistry *reg;
    Object *root;
    char *dir;              /* a private temp directory for file backends */
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    f->reg = type_registry_new();
    hostmem_register_types(f->reg);
    f->root = object_root_new(f->reg);
    f->dir = g_dir_make_tmp("numbat-test-hostmem-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    g_autoptr(GDir) d = g_dir_open(f->dir, 0, NULL);
    const char *name;

    object_unref(f->root);
    type_registry_free(f->reg);
    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(f->dir, name, NULL);
        unlink(p);
    }
    rmdir(f->dir);
    g_free(f->dir);
}

static size_t n_objects(Fixture *f)
{
    return object_child_count(object_get_objects_root(f->root));
}

/* -object STR: the backend, or NULL with *errp set (parse errors included).  Each call
 * parses into a fresh store, so a failed id can be tried again (vl would have exited). */
static HostMemoryBackend *add(Fixture *f, const char *str, GError **errp)
{
    g_autoptr(OptsStore) store = opts_store_new();
    Opts *opts = opts_parse(store, &object_list, str, NULL, NULL, errp);
    Object *obj;

    if (!opts) {
        return NULL;
    }
    obj = user_creatable_add_opts(f->root, opts, errp);
    return obj ? host_memory_backend_cast(obj) : NULL;
}

static HostMemoryBackend *add_ok(Fixture *f, const char *str)
{
    GError *err = NULL;
    HostMemoryBackend *b = add(f, str, &err);

    g_assert_no_error(err);
    g_assert_nonnull(b);
    return b;
}

static void add_err(Fixture *f, const char *str, const char *message)
{
    GError *err = NULL;
    size_t before = n_objects(f);

    g_assert_null(add(f, str, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, message);
    g_error_free(err);
    g_assert_cmpuint(n_objects(f), ==, before);   /* nothing added on failure */
}

static void set_err(Object *obj, const char *name, const char *value, const char *message)
{
    GError *err = NULL;

    g_assert_false(object_property_parse(obj, name, value, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, message);
    g_error_free(err);
}

/* ---- memory-backend-ram ---- */

static void test_ram_defaults(Fixture *f, gconstpointer data)
{
    HostMemoryBackend *b = add_ok(f, "memory-backend-ram,id=m0,size=4M");
    uint8_t *host = host_memory_backend_get_host(b);
    MemoryRegion *mr;

    g_assert_cmpuint(host_memory_backend_get_size(b), ==, 4 * MiB);
    g_assert_true(b->merge && b->dump && b->reserve);
    g_assert_false(b->prealloc || b->share || b->mapped);
    g_assert_cmpuint(b->prealloc_threads, ==, 1);
    g_assert_cmpint(b->policy, ==, HOST_MEM_POLICY_DEFAULT);
    g_assert_cmpstr(host_memory_backend_name(b), ==, "m0");
    g_assert_nonnull(host);
    host[0] = 1;
    host[4 * MiB - 1] = 2;        /* the whole size is usable */
    mr = host_memory_backend_get_memory(b);
    g_assert_true(mr == host_memory_backend_get_memory(b));
    g_assert_cmpstr(mr->name, ==, "m0");
    g_assert_cmpuint(mr->size, ==, 4 * MiB);
    g_assert_true(mr->host == host && mr->kind == MR_RAM);
    g_assert_cmpuint(object_property_get_uint(OBJECT(b), "size", NULL), ==, 4 * MiB);
    g_assert_true(object_property_get_bool(OBJECT(b), "merge", NULL));
    g_assert_true(object_resolve_id(f->root, "m0", TYPE_MEMORY_BACKEND) == OBJECT(b));
}

static void test_ram_flags(Fixture *f, gconstpointer data)
{
    HostMemoryBackend *b = add_ok(f, "memory-backend-ram,id=m0,size=1M,merge=off,dump=off,"
                                  "share=on,reserve=off,prealloc-threads=3");

    g_assert_false(b->merge || b->dump || b->reserve);
    g_assert_true(b->share);
    g_assert_cmpuint(b->prealloc_threads, ==, 3);
    g_assert_cmpuint(object_property_get_uint(OBJECT(b), "prealloc-threads", NULL), ==, 3);
    /* a shared anonymous mapping is still usable memory */
    memset(host_memory_backend_get_host(b), 0x5a, MiB);
}

static void test_ram_errors(Fixture *f, gconstpointer data)
{
    add_err(f, "memory-backend-ram,id=m0", "Parameter 'size' is missing");
    add_err(f, "memory-backend-ram,id=m0,size=0",
            "property 'size' of memory-backend-ram doesn't take value '0'");
    add_err(f, "memory-backend-ram,id=m0,size=1M,prealloc-threads=0",
            "property 'prealloc-threads' of memory-backend-ram doesn't take value '0'");
    add_err(f, "memory-backend-ram,id=m0,size=1M,prealloc=on,reserve=off",
            "'prealloc=on' and 'reserve=off' are incompatible");
    add_err(f, "memory-backend-ram,id=m0,size=1M,reserve=off,prealloc=on",
            "'prealloc=on' and 'reserve=off' are incompatible");
    add_err(f, "memory-backend-ram,id=m0,size=1M,host-nodes=128",
            "Invalid host-nodes value: 128");
    add_err(f, "memory-backend-ram,id=m0,size=1M,host-nodes=0-1,host-nodes=200,policy=bind",
            "Invalid host-nodes value: 200");
    add_err(f, "memory-backend-ram,id=m0,size=1M,policy=foo",
            "Parameter 'policy' does not accept value 'foo'");
    add_err(f, "memory-backend-ram,id=m0,size=1M,bogus=1", "Invalid parameter 'bogus'");
    add_err(f, "memory-backend,id=m0,size=1M",
            "Parameter 'qom-type' does not accept value 'memory-backend'");
    add_err(f, "memory-backend-ram,size=1M", "Parameter 'id' is missing");
    /* QEMU names the RAM block after the id when the host cannot give the memory */
    add_err(f, "memory-backend-ram,id=big,size=1000T",
            "cannot set up guest memory 'big': Cannot allocate memory");
    g_assert_cmpuint(n_objects(f), ==, 0);
}

static void test_policy(Fixture *f, gconstpointer data)
{
    static const char *const good[] = { "bind", "preferred", "interleave" };

    add_err(f, "memory-backend-ram,id=m0,size=1M,host-nodes=0",
            "host-nodes must be empty for policy default, or you should explicitly specify a "
            "policy other than default");
    add_err(f, "memory-backend-ram,id=m0,size=1M,policy=bind",
            "host-nodes must be set for policy bind");
    add_err(f, "memory-backend-ram,id=m0,size=1M,policy=interleave",
            "host-nodes must be set for policy interleave");
    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        g_autofree char *opt = g_strdup_printf("memory-backend-ram,id=p%zu,size=1M,"
                                               "host-nodes=0,policy=%s", i, good[i]);
        HostMemoryBackend *b = add_ok(f, opt);
        g_assert_cmpint(b->policy, ==, qapi_enum_parse(&HostMemPolicy_lookup, good[i], -1,
                                                       NULL));
        g_assert_true(test_bit(0, b->host_nodes));
        ((uint8_t *)b->host)[0] = 1;   /* bound memory is usable */
    }
    /* host node 5 does not exist here (skip on a host that has it) */
    if (hostmem_host_node_count() <= 5) {
        g_autofree char *msg = g_strdup_printf("host-nodes: host NUMA node 5 does not exist "
                                               "(this host has %u)", hostmem_host_node_count());
        add_err(f, "memory-backend-ram,id=m5,size=1M,host-nodes=5,policy=bind", msg);
    }
}

static void test_prealloc_threads(Fixture *f, gconstpointer data)
{
    HostMemoryBackend *b = add_ok(f, "memory-backend-ram,id=m0,size=8M,prealloc=on,"
                                  "prealloc-threads=4");
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t pages = 8 * MiB / page;
    g_autofree unsigned char *vec = g_malloc(pages);

    g_assert_true(b->prealloc);
    g_assert_cmpint(mincore(b->host, 8 * MiB, vec), ==, 0);
    for (size_t i = 0; i < pages; i++) {
        g_assert_true(vec[i] & 1);   /* every page resident */
    }
}

static void test_after_complete(Fixture *f, gconstpointer data)
{
    HostMemoryBackend *b = add_ok(f, "memory-backend-ram,id=m0,size=2M");
    Object *obj = OBJECT(b);
    GError *err = NULL;

    set_err(obj, "size", "4M", "cannot change property size of memory-backend-ram ");
    set_err(obj, "share", "on", "cannot change property value");
    set_err(obj, "reserve", "off", "cannot change property value");
    set_err(obj, "host-nodes", "0", "cannot change property value");
    set_err(obj, "policy", "bind", "cannot change property value");
    g_assert_cmpuint(b->size, ==, 2 * MiB);
    /* merge, dump and prealloc take effect at once */
    g_assert_true(object_property_parse(obj, "merge", "off", &err));
    g_assert_true(object_property_parse(obj, "dump", "off", &err));
    g_assert_true(object_property_parse(obj, "dump", "on", &err));
    g_assert_true(object_property_parse(obj, "prealloc", "on", &err));
    g_assert_no_error(err);
    g_assert_false(b->merge);
    g_assert_true(b->dump && b->prealloc);
    /* prealloc on blocks reserve=off even before complete(), in either order */
    g_autoptr(Object) fresh = object_new(f->reg, TYPE_MEMORY_BACKEND_RAM);
    g_assert_true(object_property_parse(fresh, "reserve", "off", &err));
    set_err(fresh, "prealloc", "on", "'prealloc=on' and 'reserve=off' are incompatible");
    set_err(fresh, "size", "0", "property 'size' of memory-backend-ram doesn't take value '0'");
    /* complete() without a size (only possible without -object) */
    g_assert_false(user_creatable_complete(fresh, &err));
    g_assert_cmpstr(err->message, ==, "can't create backend with size 0");
    g_clear_error(&err);
}

static void test_mapped(Fixture *f, gconstpointer data)
{
    HostMemoryBackend *b = add_ok(f, "memory-backend-ram,id=m0,size=1M");
    GError *err = NULL;
    void *found = NULL;
    uint64_t size = 0;

    g_assert_true(hostmem_numa_resolve(f->root, "m0", &found, &size));
    g_assert_true(found == b);
    g_assert_cmpuint(size, ==, MiB);
    g_assert_false(hostmem_numa_resolve(f->root, "nope", &found, &size));
    g_assert_true(host_memory_backend_resolve(f->root, "/objects/m0") == b);
    g_assert_false(host_memory_backend_is_mapped(b));
    g_assert_true(host_memory_backend_claim(b, &err));
    g_assert_true(host_memory_backend_is_mapped(b));
    g_assert_false(host_memory_backend_claim(b, &err));
    g_assert_cmpstr(err->message, ==, "memory backend m0 is used multiple times. Each -numa "
                    "option must use a different memdev value.");
    g_clear_error(&err);
    g_assert_false(user_creatable_del(f->root, "m0", &err));
    g_assert_cmpstr(err->message, ==, "object 'm0' is in use, can not be deleted");
    g_clear_error(&err);
    host_memory_backend_set_mapped(b, false);
    hostmem_numa_release(f->root, found);
    g_assert_true(user_creatable_del(f->root, "m0", &err));
    g_assert_no_error(err);
    g_assert_cmpuint(n_objects(f), ==, 0);
}

static void test_region_in_container(Fixture *f, gconstpointer data)
{
    HostMemoryBackend *a = add_ok(f, "memory-backend-ram,id=a,size=1M");
    HostMemoryBackend *b = add_ok(f, "memory-backend-ram,id=b,size=2M");
    MemoryRegion ram;
    FlatView *fv;
    uint32_t v = 0x12345678, r = 0;

    memory_region_init_container(&ram, "pc.ram", 3 * MiB);
    memory_region_add_subregion(&ram, 0, host_memory_backend_get_memory(a));
    memory_region_add_subregion(&ram, MiB, host_memory_backend_get_memory(b));
    fv = flatview_new(&ram);
    g_assert_true(flatview_write(fv, MiB + 16, &v, 4));
    g_assert_cmpuint(*(uint32_t *)((uint8_t *)b->host + 16), ==, v);
    g_assert_true(flatview_read(fv, MiB + 16, &r, 4));
    g_assert_cmpuint(r, ==, v);
    flatview_free(fv);
    memory_region_destroy(&ram);
}

/* ---- memory-backend-file ---- */

static void test_file_dir_and_commas(Fixture *f, gconstpointer data)
{
    g_autofree char *opt = g_strdup_printf("memory-backend-file,id=f0,size=2M,mem-path=%s",
                                           f->dir);
    HostMemoryBackend *b = add_ok(f, opt);
    g_autofree char *path = g_build_filename(f->dir, "a,b", NULL);
    g_autofree char *opt2 = g_strdup_printf("memory-backend-file,id=f1,size=1M,share=on,"
                                            "mem-path=%s/a,,b", f->dir);
    struct stat st;
    char buf[6] = "";
    int fd;

    g_assert_true(b->fd >= 0 && b->host);
    b = add_ok(f, opt2);
    g_assert_cmpint(stat(path, &st), ==, 0);            /* ',,' is a literal comma */
    g_assert_cmpint(st.st_size, ==, MiB);
    g_autofree char *mp = object_property_get_str(OBJECT(b), "mem-path", NULL);
    g_assert_cmpstr(mp, ==, path);
    memcpy(b->host, "hello", 6);                        /* share=on: the file sees it */
    fd = open(path, O_RDONLY);
    g_assert_cmpint(pread(fd, buf, 6, 0), ==, 6);
    close(fd);
    g_assert_cmpstr(buf, ==, "hello");
    set_err(OBJECT(b), "mem-path", "/x",
            "cannot change property 'mem-path' of memory-backend-file");
    set_err(OBJECT(b), "align", "2M", "cannot change property 'align' of memory-backend-file");
    set_err(OBJECT(b), "size", "2M", "cannot change property size of memory-backend-file ");
}

/* Create a file backend on DIR/name with extra options, write a marker, delete it, and
 * return the file's first bytes afterwards. */
static char *write_then_delete(Fixture *f, const char *name, const char *extra)
{
    g_autofree char *path = g_build_filename(f->dir, name, NULL);
    g_autofree char *opt = g_strdup_printf("memory-backend-file,id=%s,size=1M,share=on,"
                                           "mem-path=%s%s", name, path, extra);
    HostMemoryBackend *b = add_ok(f, opt);
    GError *err = NULL;
    char *buf = g_malloc0(8);
    int fd;

    memcpy(b->host, "marker", 7);
    g_assert_true(user_creatable_del(f->root, name, &err));
    fd = open(path, O_RDONLY);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(pread(fd, buf, 7, 0), ==, 7);
    close(fd);
    return buf;
}

static void test_file_discard(Fixture *f, gconstpointer data)
{
    g_autofree char *kept = write_then_delete(f, "keep", "");
    g_autofree char *gone = write_then_delete(f, "gone", ",discard-data=on");

    g_assert_cmpstr(kept, ==, "marker");
    g_assert_cmpstr(gone, ==, "");     /* the hole reads as zeros */
}

static void test_file_errors(Fixture *f, gconstpointer data)
{
    g_autofree char *small = g_build_filename(f->dir, "small", NULL);
    g_autofree char *o1 = g_strdup_printf("memory-backend-file,id=f,size=1M,mem-path=%s,align=3",
                                          f->dir);
    g_autofree char *o2 = g_strdup_printf("memory-backend-file,id=f,size=1M,mem-path=%s,"
                                          "align=12K", f->dir);
    g_autofree char *o3 = g_strdup_printf("memory-backend-file,id=f,size=1M,mem-path=%s",
                                          small);
    g_autofree char *o4 = g_strdup_printf("memory-backend-file,id=f,size=1000,mem-path=%s",
                                          f->dir);
    g_autofree char *o5 = g_strdup_printf("memory-backend-file,id=f,size=0,mem-path=%s", f->dir);
    GError *err = NULL;

    add_err(f, "memory-backend-file,id=f,size=1M", "Parameter 'mem-path' is missing");
    add_err(f, o1, "alignment 0x3 must be multiples of page size 0x1000");
    add_err(f, o2, "alignment 0x3000 must be a power of two");
    g_assert_true(g_file_set_contents(small, "0123", 4, NULL));
    add_err(f, o3, "backing store size 0x4 does not match 'size' option 0x100000");
    add_err(f, o4, "backend 'f' memory size must be multiple of 4 KiB");
    add_err(f, o5, "property 'size' of memory-backend-file doesn't take value '0'");
    add_err(f, "memory-backend-file,id=f,size=1M,mem-path=/nonexistent/x",
            "can't open backing store /nonexistent/x for guest RAM: No such file or directory");
    /* without -object nothing enforces mem-path before complete() */
    g_autoptr(Object) obj = object_new(f->reg, TYPE_MEMORY_BACKEND_FILE);
    g_assert_true(object_property_set_uint(obj, "size", MiB, &err));
    g_assert_false(user_creatable_complete(obj, &err));
    g_assert_cmpstr(err->message, ==, "mem-path property not set");
    g_clear_error(&err);
}

static void test_file_align_readonly(Fixture *f, gconstpointer data)
{
    g_autofree char *o1 = g_strdup_printf("memory-backend-file,id=a,size=1M,mem-path=%s,"
                                          "align=2M", f->dir);
    g_autofree char *ro = g_build_filename(f->dir, "ro", NULL);
    g_autofree char *o2 = g_strdup_printf("memory-backend-file,id=r,size=4K,mem-path=%s,"
                                          "readonly=on,share=on", ro);
    g_autofree char *contents = NULL;
    HostMemoryBackend *b = add_ok(f, o1);
    char block[4096] = "rom!";

    g_assert_cmpuint((uintptr_t)b->host % (2 * MiB), ==, 0);
    memset(b->host, 1, MiB);
    g_assert_true(g_file_set_contents(ro, block, sizeof(block), NULL));
    chmod(ro, 0400);
    b = add_ok(f, o2);
    g_assert_cmpstr((char *)b->host, ==, "rom!");
    memcpy(b->host, "RAM!", 4);                /* private copy: the file is untouched */
    g_assert_true(g_file_get_contents(ro, &contents, NULL, NULL));
    g_assert_cmpstr(contents, ==, "rom!");
    set_err(OBJECT(b), "readonly", "off",
            "cannot change property 'readonly' of memory-backend-file");
}

/* ---- memory-backend-memfd ---- */

static void test_memfd(Fixture *f, gconstpointer data)
{
    HostMemoryBackend *b = add_ok(f, "memory-backend-memfd,id=m0,size=2M");
    HostMemoryBackend *u = add_ok(f, "memory-backend-memfd,id=m1,size=1M,seal=off,share=off");
    int seals = fcntl(b->fd, F_GET_SEALS);

    g_assert_true(b->share);                   /* memfd defaults to shared */
    g_assert_cmpint(seals & (F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL), ==,
                    F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
    g_assert_cmpint(ftruncate(b->fd, 4 * MiB), <, 0);   /* sealed: cannot grow */
    memset(b->host, 7, 2 * MiB);
    g_assert_false(u->share);
    g_assert_cmpint(fcntl(u->fd, F_GET_SEALS) & F_SEAL_SEAL, ==, F_SEAL_SEAL); /* no sealing */
    g_assert_cmpint(ftruncate(u->fd, 2 * MiB), ==, 0);
    g_assert_true(object_property_get_bool(OBJECT(b), "seal", NULL));
    set_err(OBJECT(b), "seal", "off", "cannot change property value");
    set_err(OBJECT(b), "hugetlb", "on", "cannot change property value");
    set_err(OBJECT(b), "share", "off", "cannot change property value");
}

static void test_memfd_errors(Fixture *f, gconstpointer data)
{
    add_err(f, "memory-backend-memfd,id=m,size=1M,hugetlbsize=0",
            "Property 'memory-backend-memfd.hugetlbsize' doesn't take value '0'");
    add_err(f, "memory-backend-memfd,id=m,size=1M,hugetlb=on,hugetlbsize=3M",
            "Hugepage size must be a power of 2");
    add_err(f, "memory-backend-memfd,id=m,size=0",
            "property 'size' of memory-backend-memfd doesn't take value '0'");
    add_err(f, "memory-backend-memfd,id=m,size=1000",
            "backend 'm' memory size must be multiple of 4 KiB");
}

/* ---- query-memdev / info memdev ---- */

static QObject *query_qobject(Fixture *f)
{
    g_autoptr(GError) err = NULL;
    MemdevList *list = hostmem_query_memdev(f->root, &err);
    QObject *ret = NULL;
    Visitor *v = qobject_output_visitor_new(&ret);

    g_assert_no_error(err);
    g_assert_true(visit_type_MemdevList(v, NULL, &list, &err));
    visit_complete(v, &ret);
    visit_free(v);
    qapi_free_MemdevList(list);
    return ret;
}

static void test_query_memdev(Fixture *f, gconstpointer data)
{
    static const char *const order[] = { "c", "a", "b", "zz" };   /* QEMU 7.2's answer */
    g_autoptr(QObject) ret = NULL;
    QList *list;
    QDict *c;
    uint64_t size = 0;

    add_ok(f, "memory-backend-ram,id=b,size=64M");
    add_ok(f, "memory-backend-ram,id=a,size=64M,prealloc=on,merge=off");
    add_ok(f, "memory-backend-ram,id=c,size=64M,host-nodes=0,policy=bind");
    add_ok(f, "memory-backend-ram,id=zz,size=1M");
    ret = query_qobject(f);
    list = qobject_to_qlist(ret);
    g_assert_nonnull(list);
    g_assert_cmpuint(qlist_size(list), ==, 4);
    for (size_t i = 0; i < 4; i++) {
        QDict *d = qobject_to_qdict(qlist_get(list, i));
        g_assert_cmpstr(qdict_get_try_str(d, "id"), ==, order[i]);
        g_assert_cmpuint(qdict_size(d), ==, 9);
    }
    c = qobject_to_qdict(qlist_get(list, 0));
    g_autofree char *json = qobject_to_json(QOBJECT(c));
    g_assert_cmpstr(json, ==, "{\"id\": \"c\", \"size\": 67108864, \"merge\": true, "
                    "\"dump\": true, \"prealloc\": false, \"share\": false, \"reserve\": true, "
                    "\"host-nodes\": [0], \"policy\": \"bind\"}");
    g_assert_true(qnum_get_try_uint(qobject_to_qnum(qdict_get(c, "size")), &size));
    g_assert_cmpuint(size, ==, 64 * MiB);
    QDict *a = qobject_to_qdict(qlist_get(list, 1));
    g_assert_false(qbool_get_bool(qobject_to_qbool(qdict_get(a, "merge"))));
    g_assert_true(qbool_get_bool(qobject_to_qbool(qdict_get(a, "prealloc"))));
    g_assert_true(qlist_empty(qdict_get_qlist(a, "host-nodes")));
}

static void test_query_memdev_order_many(Fixture *f, gconstpointer data)
{
    /* Verified against qemu-system-x86_64 7.2 with these ids in this creation order. */
    static const char *const ids[] = { "zeta", "alpha", "mem-x", "foo.bar", "q_1", "node0",
                                       "node1", "A", "B", "ram" };
    static const char *const want[] = { "foo.bar", "B", "alpha", "node0", "node1", "ram",
                                        "mem-x", "zeta", "q_1", "A" };
    g_autoptr(GError) err = NULL;
    MemdevList *list;
    size_t i = 0;

    for (size_t k = 0; k < G_N_ELEMENTS(ids); k++) {
        g_autofree char *opt = g_strdup_printf("memory-backend-ram,id=%s,size=1M", ids[k]);
        add_ok(f, opt);
    }
    list = hostmem_query_memdev(f->root, &err);
    for (MemdevList *l = list; l; l = l->next, i++) {
        g_assert_cmpuint(i, <, G_N_ELEMENTS(want));
        g_assert_cmpstr(l->value->id, ==, want[i]);
    }
    g_assert_cmpuint(i, ==, G_N_ELEMENTS(want));
    qapi_free_MemdevList(list);
}

static void test_query_memdev_empty_and_default(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    MemdevList *list = hostmem_query_memdev(f->root, &err);
    HostMemoryBackend *pc;
    g_autofree char *text = hostmem_info_memdev(f->root);

    g_assert_null(list);
    g_assert_cmpstr(text, ==, "\n");
    pc = host_memory_backend_create_default(f->root, "pc.ram", 8 * MiB, NULL, &err);
    g_assert_no_error(err);
    g_assert_nonnull(pc);
    g_assert_true(object_resolve_id(f->root, "pc.ram", TYPE_MEMORY_BACKEND_RAM) == OBJECT(pc));
    list = hostmem_query_memdev(f->root, &err);
    g_assert_nonnull(list);
    g_assert_cmpstr(list->value->id, ==, "pc.ram");
    g_assert_cmpuint(list->value->size, ==, 8 * MiB);
    qapi_free_MemdevList(list);
    g_assert_null(host_memory_backend_create_default(f->root, "big", 1000 * MiB * MiB, NULL,
                                                     &err));
    g_assert_cmpstr(err->message, ==, "cannot set up guest memory 'big': Cannot allocate memory");
    g_assert_null(object_resolve_id(f->root, "big", NULL));
}

static void test_info_memdev(Fixture *f, gconstpointer data)
{
    g_autofree char *text = NULL;

    add_ok(f, "memory-backend-ram,id=b,size=64M");
    add_ok(f, "memory-backend-ram,id=c,size=1M,host-nodes=0,policy=preferred,dump=off");
    text = hostmem_info_memdev(f->root);
    g_assert_cmpstr(text, ==,
                    "memory backend: c\n"
                    "  size:  1048576\n"
                    "  merge: true\n"
                    "  dump: false\n"
                    "  prealloc: false\n"
                    "  share: false\n"
                    "  reserve: true\n"
                    "  policy: preferred\n"
                    "  host nodes: 0\n"
                    "memory backend: b\n"
                    "  size:  67108864\n"
                    "  merge: true\n"
                    "  dump: true\n"
                    "  prealloc: false\n"
                    "  share: false\n"
                    "  reserve: true\n"
                    "  policy: default\n"
                    "  host nodes: \n"
                    "\n");
}

/* ---- object-add and help ---- */

static void test_object_add_qdict(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(QObject) args = qobject_from_json(
        "{\"qom-type\": \"memory-backend-memfd\", \"id\": \"q\", \"size\": 2097152,"
        " \"host-nodes\": [0], \"policy\": \"interleave\", \"seal\": false}", &err);
    Object *obj;

    g_assert_no_error(err);
    obj = user_creatable_add_qdict(f->root, qobject_to_qdict(args), &err);
    g_assert_no_error(err);
    g_assert_cmpint(MEMORY_BACKEND(obj)->policy, ==, HOST_MEM_POLICY_INTERLEAVE);
    g_assert_cmpuint(MEMORY_BACKEND(obj)->size, ==, 2 * MiB);
}

static void test_help(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *ram = object_type_help(f->reg, TYPE_MEMORY_BACKEND_RAM, &err);
    g_autofree char *memfd = object_type_help(f->reg, TYPE_MEMORY_BACKEND_MEMFD, &err);
    g_autofree char *file = object_type_help(f->reg, TYPE_MEMORY_BACKEND_FILE, &err);

    /* QEMU 7.2's text, without the two properties numbat does not have
     * (prealloc-context, x-use-canonical-path-for-ramblock-id) */
    g_assert_cmpstr(ram, ==,
        "memory-backend-ram options:\n"
        "  dump=<bool>            - Set to 'off' to exclude from core dump\n"
        "  host-nodes=<int>       - Binds memory to the list of NUMA host nodes\n"
        "  merge=<bool>           - Mark memory as mergeable\n"
        "  policy=<HostMemPolicy> - Set the NUMA policy\n"
        "  prealloc-threads=<int> - Number of CPU threads to use for prealloc\n"
        "  prealloc=<bool>        - Preallocate memory\n"
        "  reserve=<bool>         - Reserve swap space (or huge pages) if applicable\n"
        "  share=<bool>           - Mark the memory as private to QEMU or shared\n"
        "  size=<int>             - Size of the memory region (ex: 500M)\n");
    g_assert_nonnull(strstr(memfd, "  hugetlbsize=<int>      - Huge pages size (ex: 2M, 1G)\n"
                                   "  merge=<bool>"));
    g_assert_nonnull(strstr(memfd, "  seal=<bool>            - Seal growing & shrinking\n"));
    g_assert_nonnull(strstr(file, "memory-backend-file options:\n  align=<int>\n"
                                  "  discard-data=<bool>\n"));
    g_assert_nonnull(strstr(file, "  mem-path=<string>\n"));
    g_assert_nonnull(strstr(file, "  readonly=<bool>\n"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
    ADD("/hostmem/ram/defaults", test_ram_defaults);
    ADD("/hostmem/ram/flags", test_ram_flags);
    ADD("/hostmem/ram/errors", test_ram_errors);
    ADD("/hostmem/policy", test_policy);
    ADD("/hostmem/prealloc-threads", test_prealloc_threads);
    ADD("/hostmem/after-complete", test_after_complete);
    ADD("/hostmem/mapped", test_mapped);
    ADD("/hostmem/region-in-container", test_region_in_container);
    ADD("/hostmem/file/dir-and-commas", test_file_dir_and_commas);
    ADD("/hostmem/file/discard-data", test_file_discard);
    ADD("/hostmem/file/errors", test_file_errors);
    ADD("/hostmem/file/align-readonly", test_file_align_readonly);
    ADD("/hostmem/memfd/sealed", test_memfd);
    ADD("/hostmem/memfd/errors", test_memfd_errors);
    ADD("/hostmem/query-memdev/shape", test_query_memdev);
    ADD("/hostmem/query-memdev/order", test_query_memdev_order_many);
    ADD("/hostmem/query-memdev/empty-and-default", test_query_memdev_empty_and_default);
    ADD("/hostmem/info-memdev", test_info_memdev);
    ADD("/hostmem/object-add", test_object_add_qdict);
    ADD("/hostmem/help", test_help);
    return g_test_run();
}
