/* Unit tests for backends/hostmem-os.c: mappings, advice, host NUMA binding rules, preallocation. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "backends/hostmem-os.h"
#include "util/bitmap.h"

#define SZ (4u << 20)

static void test_anon_and_advise(void)
{
    GError *err = NULL;
    uint8_t *p = hostmem_map_anon(SZ, false, true, &err);
    g_assert_no_error(err);
    p[SZ - 1] = 7;
    g_assert_true(hostmem_advise(p, SZ, true, false, &err));
    g_assert_no_error(err);
    hostmem_unmap(p, SZ);
}

static void expect_bind_error(int policy, const unsigned long *nodes, const char *msg)
{
    GError *err = NULL;
    uint8_t *p = hostmem_map_anon(SZ, false, true, &err);
    g_assert_no_error(err);
    g_assert_false(hostmem_bind(p, SZ, policy, nodes, &err));
    g_assert_nonnull(err);
    g_assert_true(g_str_has_prefix(err->message, msg));
    g_error_free(err);
    hostmem_unmap(p, SZ);
}

static void test_bind_rules(void)
{
    DECLARE_BITMAP(nodes, HOSTMEM_MAX_HOST_NODES) = { 0 };
    expect_bind_error(HOSTMEM_POLICY_BIND, nodes, "host-nodes must be set for policy bind");
    set_bit(0, nodes);
    expect_bind_error(HOSTMEM_POLICY_DEFAULT, nodes,
                      "host-nodes must be empty for policy default, or you should explicitly"
                      " specify a policy other than default");
    unsigned count = hostmem_host_node_count();
    set_bit(count, nodes);   /* one past the host's last node */
    g_autofree char *msg = g_strdup_printf("host-nodes: host NUMA node %u does not exist", count);
    expect_bind_error(HOSTMEM_POLICY_BIND, nodes, msg);
}

static void test_bind_existing_node(void)
{
    DECLARE_BITMAP(nodes, HOSTMEM_MAX_HOST_NODES) = { 0 };
    GError *err = NULL;
    uint8_t *p = hostmem_map_anon(SZ, false, true, &err);
    g_assert_true(hostmem_bind(p, SZ, HOSTMEM_POLICY_DEFAULT, nodes, &err));
    set_bit(0, nodes);
    if (!hostmem_bind(p, SZ, HOSTMEM_POLICY_BIND, nodes, &err)) {
        /* mbind may be refused inside a restricted sandbox; the rules above still hold */
        g_test_message("mbind refused here: %s", err->message);
        g_clear_error(&err);
    }
    hostmem_unmap(p, SZ);
}

static void test_prealloc_threads(void)
{
    GError *err = NULL;
    uint8_t *p = hostmem_map_anon(SZ, false, true, &err);
    g_assert_true(hostmem_prealloc(p, SZ, 3, &err));
    g_assert_no_error(err);
    unsigned char vec[SZ / 4096];
    g_assert_cmpint(mincore(p, SZ, vec), ==, 0);
    for (size_t i = 0; i < sizeof(vec); i++) {
        g_assert_cmpuint(vec[i] & 1, ==, 1);
    }
    hostmem_unmap(p, SZ);
}

static void test_memfd_sealed(void)
{
    GError *err = NULL;
    int fd = hostmem_memfd("test", SZ, false, 0, true, &err);
    g_assert_no_error(err);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, SZ * 2), <, 0);   /* sealed against growth */
    uint8_t *p = hostmem_map_fd(fd, SZ, true, true, &err);
    g_assert_no_error(err);
    p[0] = 1;
    hostmem_unmap(p, SZ);
    close(fd);
}

static void test_file_and_directory(void)
{
    GError *err = NULL;
    g_autofree char *dir = g_dir_make_tmp("numbat-hostmem-XXXXXX", NULL);
    uint64_t fd_size = 0;
    int fd = hostmem_open_file(dir, SZ, false, &fd_size, &err);   /* temp file, unlinked */
    g_assert_no_error(err);
    g_assert_cmpuint(fd_size, ==, SZ);
    close(fd);
    g_autofree char *file = g_build_filename(dir, "guest,ram", NULL);
    fd = hostmem_open_file(file, SZ, false, &fd_size, &err);
    g_assert_no_error(err);
    g_assert_true(g_file_test(file, G_FILE_TEST_EXISTS));
    close(fd);
    g_assert_cmpint(unlink(file), ==, 0);
    g_assert_cmpint(rmdir(dir), ==, 0);   /* the directory case left nothing behind */
    g_assert_cmpint(hostmem_open_file("/nonexistent/dir/f", SZ, false, &fd_size, &err), <, 0);
    g_assert_true(g_str_has_prefix(err->message, "can't open backing store /nonexistent/dir/f"));
    g_error_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hostmem-os/anon-and-advise", test_anon_and_advise);
    g_test_add_func("/hostmem-os/bind-rules", test_bind_rules);
    g_test_add_func("/hostmem-os/bind-existing-node", test_bind_existing_node);
    g_test_add_func("/hostmem-os/prealloc-threads", test_prealloc_threads);
    g_test_add_func("/hostmem-os/memfd-sealed", test_memfd_sealed);
    g_test_add_func("/hostmem-os/file-and-directory", test_file_and_directory);
    return g_test_run();
}
