/* Unit tests for hw/pci: configuration mechanism #1 through the port space, the i440FX/PIIX3 headers, write masks, reset. */
#include <string.h>
#include "hw/acpi/pc-tables.h"
#include "hw/acpi/pm.h"
#include "hw/pci/i440fx.h"
#include "hw/pci/piix3.h"
#include "hw/pci/pci-qmp.h"
#include "sysemu/ioport.h"

#define CA 0xcf8
#define CD 0xcfc

typedef struct Fixture {
    IoSpace io;
    PciHostState *h;
} Fixture;

static void fixture_init(Fixture *f)
{
    GError *err = NULL;

    io_space_init(&f->io);
    f->h = i440fx_host_new();
    g_assert_true(io_space_add(&f->io, PCI_HOST_CONFIG_ADDRESS, &f->h->io_addr, &err));
    g_assert_true(io_space_add(&f->io, PCI_HOST_CONFIG_DATA, &f->h->io_data, &err));
    g_assert_no_error(err);
}

static void fixture_clear(Fixture *f)
{
    io_space_destroy(&f->io);
    pci_host_free(f->h);
}

static uint32_t cfg_addr(unsigned bus, unsigned slot, unsigned fn, unsigned reg)
{
    return PCI_HOST_CONFIG_ENABLE | bus << 16 | slot << 11 | fn << 8 | (reg & 0xfc);
}

/* A configuration read the way an OS does it: dword address, then data at reg & 3. */
static uint32_t cfg_read(Fixture *f, unsigned slot, unsigned fn, unsigned reg, unsigned len)
{
    io_space_out(&f->io, CA, cfg_addr(0, slot, fn, reg), 4);
    return io_space_in(&f->io, CD + (reg & 3), len);
}

static void cfg_write(Fixture *f, unsigned slot, unsigned fn, unsigned reg, uint32_t val,
                      unsigned len)
{
    io_space_out(&f->io, CA, cfg_addr(0, slot, fn, reg), 4);
    io_space_out(&f->io, CD + (reg & 3), val, len);
}

/* CONFIG_ADDRESS: dword only; reserved bits 30:24 and the type bits 1:0 read as zero. */
static void test_config_address(void)
{
    Fixture f;
    fixture_init(&f);
    g_assert_cmphex(io_space_in(&f.io, CA, 4), ==, 0);
    io_space_out(&f.io, CA, 0xffffffff, 4);
    g_assert_cmphex(io_space_in(&f.io, CA, 4), ==, 0x80fffffc);
    io_space_out(&f.io, CA, 0x80000000, 4);
    g_assert_cmphex(io_space_in(&f.io, CA, 4), ==, 0x80000000);
    /* Linux's type-2 probe writes a byte to 0xcfb, then checks the dword is unchanged */
    io_space_out(&f.io, 0xcfb, 0x01, 1);
    io_space_out(&f.io, 0xcf8, 0x12, 1);
    io_space_out(&f.io, 0xcfa, 0x3456, 2);
    g_assert_cmphex(io_space_in(&f.io, CA, 4), ==, 0x80000000);
    /* narrow reads are not CONFIG_ADDRESS: nothing else answers here */
    g_assert_cmphex(io_space_in(&f.io, 0xcf8, 1), ==, 0xff);
    g_assert_cmphex(io_space_in(&f.io, 0xcfa, 2), ==, 0xffff);
    g_assert_cmphex(io_space_in(&f.io, 0xcf9, 1), ==, 0xff);
    fixture_clear(&f);
}

static void test_enable_bit(void)
{
    Fixture f;
    fixture_init(&f);
    /* enable clear: no configuration cycle, the data port reads all ones */
    io_space_out(&f.io, CA, cfg_addr(0, 0, 0, 0) & ~PCI_HOST_CONFIG_ENABLE, 4);
    g_assert_cmphex(io_space_in(&f.io, CD, 4), ==, 0xffffffff);
    g_assert_cmphex(io_space_in(&f.io, CD + 2, 2), ==, 0xffff);
    io_space_out(&f.io, CA, cfg_addr(0, 0, 0, PCI_COMMAND) & ~PCI_HOST_CONFIG_ENABLE, 4);
    io_space_out(&f.io, CD, PCI_COMMAND_IO | PCI_COMMAND_MEMORY, 2);
    g_assert_cmphex(cfg_read(&f, 0, 0, PCI_COMMAND, 2), ==, 0);
    /* enable set: the same address reaches the host bridge */
    g_assert_cmphex(cfg_read(&f, 0, 0, 0, 4), ==, 0x12378086);
    fixture_clear(&f);
}

static void test_headers(void)
{
    Fixture f;
    fixture_init(&f);
    /* 00:00.0 i440FX */
    g_assert_cmphex(cfg_read(&f, 0, 0, PCI_VENDOR_ID, 2), ==, 0x8086);
    g_assert_cmphex(cfg_read(&f, 0, 0, PCI_DEVICE_ID, 2), ==, 0x1237);
    g_assert_cmphex(cfg_read(&f, 0, 0, PCI_REVISION_ID, 4), ==, 0x06000002);
    g_assert_cmphex(cfg_read(&f, 0, 0, PCI_HEADER_TYPE, 1), ==, 0x00);
    g_assert_cmphex(cfg_read(&f, 0, 0, PCI_COMMAND, 4), ==, 0);
    g_assert_cmphex(cfg_read(&f, 0, 0, PCI_SUBSYSTEM_VENDOR_ID, 4), ==, 0x11001af4);
    /* 00:01.0 PIIX3: multi-function, DEVSEL medium, PIRQ routes disabled */
    g_assert_cmphex(cfg_read(&f, 1, 0, 0, 4), ==, 0x70008086);
    g_assert_cmphex(cfg_read(&f, 1, 0, PCI_REVISION_ID, 4), ==, 0x06010000);
    g_assert_cmphex(cfg_read(&f, 1, 0, PCI_HEADER_TYPE, 1), ==, 0x80);
    g_assert_cmphex(cfg_read(&f, 1, 0, PCI_STATUS, 2), ==, 0x0200);
    g_assert_cmphex(cfg_read(&f, 1, 0, PIIX3_PIRQRC, 4), ==, 0x80808080);
    g_assert_cmphex(cfg_read(&f, 1, 0, PCI_INTERRUPT_LINE, 2), ==, 0);
    fixture_clear(&f);
}

/* Byte and word accesses at every offset inside the data dword see the same bytes. */
static void test_partial_access(void)
{
    Fixture f;
    fixture_init(&f);
    uint32_t dw = cfg_read(&f, 1, 0, PCI_REVISION_ID, 4);
    for (unsigned off = 0; off < 4; off++) {
        g_assert_cmphex(io_space_in(&f.io, CD + off, 1), ==, (dw >> (8 * off)) & 0xff);
    }
    for (unsigned off = 0; off < 3; off++) {
        g_assert_cmphex(io_space_in(&f.io, CD + off, 2), ==, (dw >> (8 * off)) & 0xffff);
    }
    /* a word at 0xcff leaves the dword: its upper byte is the unassigned port 0xd00 */
    g_assert_cmphex(io_space_in(&f.io, CD + 3, 2), ==, 0xff00 | (dw >> 24));
    g_assert_cmphex(io_space_in(&f.io, CD + 2, 4), ==, 0xffff0000 | (dw >> 16));
    /* partial writes land on their own bytes: command high byte (SERR) through 0xcfd */
    cfg_write(&f, 0, 0, PCI_COMMAND + 1, PCI_COMMAND_SERR >> 8, 1);
    cfg_write(&f, 0, 0, PCI_COMMAND, PCI_COMMAND_MASTER, 1);
    g_assert_cmphex(cfg_read(&f, 0, 0, PCI_COMMAND, 2), ==, PCI_COMMAND_SERR | PCI_COMMAND_MASTER);
    /* interrupt line (0x3c) through 0xcfc, byte 0x3e/0x3f untouched */
    cfg_write(&f, 1, 0, PCI_INTERRUPT_LINE, 0xffff000b, 4);
    g_assert_cmphex(cfg_read(&f, 1, 0, PCI_INTERRUPT_LINE, 4), ==, 0x0000000b);
    /* PIRQRC[C] as a word at 0xcfe: registers 0x62 and 0x63 */
    cfg_write(&f, 1, 0, PIIX3_PIRQRC + 2, 0x0b0a, 2);
    g_assert_cmphex(cfg_read(&f, 1, 0, PIIX3_PIRQRC, 4), ==, 0x0b0a8080);
    fixture_clear(&f);
}

static void test_absent(void)
{
    Fixture f;
    fixture_init(&f);
    static const unsigned absent[][2] = { { 1, 1 }, { 1, 3 }, { 2, 0 }, { 31, 7 }, { 0, 1 } };
    for (size_t i = 0; i < G_N_ELEMENTS(absent); i++) {
        g_assert_cmphex(cfg_read(&f, absent[i][0], absent[i][1], 0, 4), ==, 0xffffffff);
        g_assert_cmphex(cfg_read(&f, absent[i][0], absent[i][1], 2, 2), ==, 0xffff);
        g_assert_cmphex(cfg_read(&f, absent[i][0], absent[i][1], 0x3d, 1), ==, 0xff);
        cfg_write(&f, absent[i][0], absent[i][1], PCI_COMMAND, 0xffff, 2);   /* lost */
    }
    /* another bus number: only bus 0 exists */
    io_space_out(&f.io, CA, cfg_addr(1, 0, 0, 0), 4);
    g_assert_cmphex(io_space_in(&f.io, CD, 4), ==, 0xffffffff);
    io_space_out(&f.io, CA, cfg_addr(255, 1, 0, 0), 4);
    g_assert_cmphex(io_space_in(&f.io, CD, 4), ==, 0xffffffff);
    g_assert_cmphex(cfg_read(&f, 0, 0, PCI_COMMAND, 2), ==, 0);
    fixture_clear(&f);
}

static void test_read_only(void)
{
    Fixture f;
    fixture_init(&f);
    for (unsigned slot = 0; slot < 2; slot++) {
        uint32_t id = cfg_read(&f, slot, 0, 0, 4), cls = cfg_read(&f, slot, 0, 8, 4);
        uint32_t hdr = cfg_read(&f, slot, 0, 0x0c, 4), sub = cfg_read(&f, slot, 0, 0x2c, 4);
        cfg_write(&f, slot, 0, 0, 0, 4);
        cfg_write(&f, slot, 0, 8, 0xffffffff, 4);
        cfg_write(&f, slot, 0, 0x2c, 0, 4);
        cfg_write(&f, slot, 0, 0x0c, 0xffffffff, 4);          /* only the cache line size */
        g_assert_cmphex(cfg_read(&f, slot, 0, 0, 4), ==, id);
        g_assert_cmphex(cfg_read(&f, slot, 0, 8, 4), ==, cls);
        g_assert_cmphex(cfg_read(&f, slot, 0, 0x2c, 4), ==, sub);
        g_assert_cmphex(cfg_read(&f, slot, 0, 0x0c, 4), ==, (hdr & ~0xffu) | 0xff);
        /* command: only its defined writable bits stick */
        cfg_write(&f, slot, 0, PCI_COMMAND, 0xffff, 2);
        g_assert_cmphex(cfg_read(&f, slot, 0, PCI_COMMAND, 2), ==, PCI_COMMAND_WRITABLE);
        /* interrupt pin stays 0; BARs do not exist */
        cfg_write(&f, slot, 0, PCI_INTERRUPT_PIN, 1, 1);
        g_assert_cmphex(cfg_read(&f, slot, 0, PCI_INTERRUPT_PIN, 1), ==, 0);
        cfg_write(&f, slot, 0, 0x10, 0xffffffff, 4);
        g_assert_cmphex(cfg_read(&f, slot, 0, 0x10, 4), ==, 0);
    }
    /* status: DEVSEL timing is read-only, error bits clear on 1 and never set here */
    cfg_write(&f, 1, 0, PCI_STATUS, 0xffff, 2);
    g_assert_cmphex(cfg_read(&f, 1, 0, PCI_STATUS, 2), ==, 0x0200);
    /* PIRQRC: bits 6:4 reserved; device-specific registers without a model read 0 */
    cfg_write(&f, 1, 0, PIIX3_PIRQRC, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(&f, 1, 0, PIIX3_PIRQRC, 4), ==, 0x8f8f8f8f);
    cfg_write(&f, 1, 0, 0x82, 0x02, 1);     /* Linux's passive-release quirk */
    g_assert_cmphex(cfg_read(&f, 1, 0, 0x82, 1), ==, 0);
    cfg_write(&f, 0, 0, 0x59, 0x33, 1);     /* i440FX PAM0: not modelled */
    g_assert_cmphex(cfg_read(&f, 0, 0, 0x59, 1), ==, 0);
    fixture_clear(&f);
}

/* Write-1-to-clear status bits, on a function whose error bit is set by hand. */
static void test_status_w1c(void)
{
    static const PciDeviceIds ids = { .vendor = 0x1234, .device = 0x5678, .class_code = 0xff0000,
                                      .status = PCI_STATUS_DEVSEL_MEDIUM | (1u << 13) };
    PciDevice *d = pci_device_new("test", PCI_DEVFN(3, 0), &ids);
    /* error bits are not part of the reset value, whatever the model asked for */
    g_assert_cmphex(pci_device_config_read(d, PCI_STATUS, 2), ==, PCI_STATUS_DEVSEL_MEDIUM);
    d->config[PCI_STATUS + 1] |= (1u << 13 | 1u << 8) >> 8;     /* master abort, parity */
    pci_device_config_write(d, PCI_STATUS, 0, 2);                 /* 0s change nothing */
    g_assert_cmphex(pci_device_config_read(d, PCI_STATUS, 2), ==, 0x2300);
    pci_device_config_write(d, PCI_STATUS + 1, 0x20, 1);          /* clear bit 13 only */
    g_assert_cmphex(pci_device_config_read(d, PCI_STATUS, 2), ==, 0x0300);
    pci_device_config_write(d, PCI_STATUS, 0xffff, 2);
    g_assert_cmphex(pci_device_config_read(d, PCI_STATUS, 2), ==, 0x0200);
    /* past the end of configuration space: reads 0xff, writes ignored */
    g_assert_cmphex(pci_device_config_read(d, 0xfe, 4), ==, 0xffff0000);
    pci_device_config_write(d, 0xff, 0xffffffff, 4);
    g_assert_cmphex(pci_device_config_read(d, 0xfc, 4), ==, 0);
    pci_device_free(d);
}

static void test_reset(void)
{
    Fixture f;
    fixture_init(&f);
    cfg_write(&f, 0, 0, PCI_COMMAND, 0x7, 2);
    cfg_write(&f, 1, 0, PIIX3_PIRQRC, 0x0b0a0b0a, 4);
    cfg_write(&f, 1, 0, PCI_INTERRUPT_LINE, 5, 1);
    pci_host_reset(f.h);
    g_assert_cmphex(io_space_in(&f.io, CA, 4), ==, 0);
    g_assert_cmphex(cfg_read(&f, 0, 0, PCI_COMMAND, 2), ==, 0);
    g_assert_cmphex(cfg_read(&f, 1, 0, PIIX3_PIRQRC, 4), ==, 0x80808080);
    g_assert_cmphex(cfg_read(&f, 1, 0, PCI_INTERRUPT_LINE, 1), ==, 0);
    fixture_clear(&f);
}

/* A 1-port device sharing the CONFIG_ADDRESS dword (the PIIX3 reset control register). */
typedef struct Port {
    MemoryRegion mr;
    uint8_t val;
    unsigned reads, writes;
} Port;

static uint64_t port_read(void *opaque, uint64_t addr, unsigned size)
{
    Port *p = opaque;
    p->reads++;
    return p->val;
}

static void port_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    Port *p = opaque;
    p->writes++;
    p->val = (uint8_t)val;
}

static const MemoryRegionOps port_ops = { port_read, port_write };

static void test_shared_port(void)
{
    Fixture f;
    Port rcr = { 0 }, wide = { 0 }, other = { 0 };
    GError *err = NULL;

    fixture_init(&f);
    memory_region_init_io(&rcr.mr, "rcr", &port_ops, &rcr, 1);
    memory_region_init_io(&wide.mr, "wide", &port_ops, &wide, 2);
    memory_region_init_io(&other.mr, "other", &port_ops, &other, 1);
    g_assert_true(pci_host_share_port(f.h, 0xcf9, &rcr.mr, &err));
    io_space_out(&f.io, 0xcf9, 0x06, 1);
    g_assert_cmpuint(rcr.writes, ==, 1);
    g_assert_cmphex(io_space_in(&f.io, 0xcf9, 1), ==, 0x06);
    /* a word at 0xcf8 is an I/O cycle: its high byte is the shared port's */
    g_assert_cmphex(io_space_in(&f.io, 0xcf8, 2), ==, 0x06ff);
    io_space_out(&f.io, 0xcf8, 0x0200, 2);
    g_assert_cmphex(rcr.val, ==, 0x02);
    /* a dword at 0xcf8 is CONFIG_ADDRESS and never reaches it, whatever byte 1 holds */
    unsigned w = rcr.writes, r = rcr.reads;
    io_space_out(&f.io, CA, cfg_addr(0, 0, 4, 0), 4);         /* function 4: byte 1 = 0x04 */
    g_assert_cmphex(io_space_in(&f.io, CA, 4), ==, cfg_addr(0, 0, 4, 0));
    g_assert_cmpuint(rcr.writes, ==, w);
    g_assert_cmpuint(rcr.reads, ==, r);
    /* bad requests */
    g_assert_false(pci_host_share_port(f.h, 0xcf9, &other.mr, &err));
    g_assert_nonnull(strstr(err->message, "I/O port 0xcf9 of 'other' cannot share"));
    g_assert_nonnull(strstr(err->message, "already taken"));
    g_clear_error(&err);
    g_assert_false(pci_host_share_port(f.h, 0xcfa, &wide.mr, &err));
    g_assert_nonnull(strstr(err->message, "one port wide"));
    g_clear_error(&err);
    g_assert_false(pci_host_share_port(f.h, 0xcfc, &other.mr, &err));
    g_assert_nonnull(strstr(err->message, "outside 0xcf8-0xcfb"));
    g_clear_error(&err);
    g_assert_false(pci_host_share_port(f.h, 0xcf7, &other.mr, &err));
    g_clear_error(&err);
    g_assert_false(pci_host_share_port(f.h, 0, &other.mr, &err));
    g_clear_error(&err);
    fixture_clear(&f);
    memory_region_destroy(&rcr.mr);
    memory_region_destroy(&wide.mr);
    memory_region_destroy(&other.mr);
}

/* The platform's wiring: the ACPI PM reset register behind the host at 0xcf9 (FADT: 0xcf9 <- 6). */
static uint64_t zero_clock(void *opaque)
{
    return 0;
}

static void count_resets(void *opaque, AcpiPmRequest req)
{
    *(int *)opaque += req == ACPI_PM_RESET;
}

static void test_reset_register(void)
{
    Fixture f;
    int resets = 0;
    GError *err = NULL;
    const VClock clock = { .now_ns = zero_clock };
    AcpiPmState *pm = acpi_pm_new(&clock, NULL, PC_ACPI_S5_SLP_TYP, count_resets, &resets);

    fixture_init(&f);
    g_assert_true(pci_host_share_port(f.h, PC_ACPI_RESET_PORT, &pm->io_reset, &err));
    /* every CONFIG_ADDRESS write with function 4..7 has bit 2 set in byte 1 */
    for (unsigned fn = 0; fn < 8; fn++) {
        cfg_read(&f, 1, fn, 0, 4);
    }
    g_assert_cmpint(resets, ==, 0);
    io_space_out(&f.io, PC_ACPI_RESET_PORT, 0x02, 1);
    g_assert_cmphex(io_space_in(&f.io, PC_ACPI_RESET_PORT, 1), ==, 0x02);
    g_assert_cmpint(resets, ==, 0);
    io_space_out(&f.io, PC_ACPI_RESET_PORT, PC_ACPI_RESET_VALUE, 1);
    g_assert_cmpint(resets, ==, 1);
    fixture_clear(&f);
    acpi_pm_free(pm);
}

static void test_bus_add(void)
{
    GError *err = NULL;
    PciBus *bus = pci_bus_new(0);
    PciDevice *a = i440fx_new(), *b = piix3_new(I440FX_DEVFN);

    g_assert_true(pci_bus_add(bus, a, &err));
    g_assert_false(pci_bus_add(bus, b, &err));
    g_assert_cmpstr(err->message, ==,
                    "PCI: slot 0 function 0 not available for 'PIIX3', in use by 'i440FX'");
    g_clear_error(&err);
    g_assert_true(pci_bus_find(bus, 0) == a);
    g_assert_null(pci_bus_find(bus, 8));
    /* the reset value is what the function held when it joined the bus */
    pci_device_config_write(a, PCI_INTERRUPT_LINE, 9, 1);
    pci_bus_reset(bus);
    g_assert_cmphex(pci_device_config_read(a, PCI_INTERRUPT_LINE, 1), ==, 0);
    pci_device_free(b);
    pci_bus_free(bus);
    pci_bus_free(NULL);
    pci_host_free(NULL);
}

/* Linux's pci_check_type1() and pci_sanity_check() on bus 0, step by step. */
static void test_linux_probe(void)
{
    Fixture f;
    fixture_init(&f);
    io_space_out(&f.io, 0xcfb, 0x01, 1);
    uint32_t saved = io_space_in(&f.io, CA, 4);
    io_space_out(&f.io, CA, 0x80000000, 4);
    g_assert_cmphex(io_space_in(&f.io, CA, 4), ==, 0x80000000);
    io_space_out(&f.io, CA, saved, 4);
    unsigned bridges = 0, found = 0;
    for (unsigned devfn = 0; devfn < 256; devfn++) {
        uint16_t cls = cfg_read(&f, devfn >> 3, devfn & 7, PCI_CLASS_DEVICE, 2);
        uint16_t vendor = cfg_read(&f, devfn >> 3, devfn & 7, PCI_VENDOR_ID, 2);
        found += vendor != 0xffff;
        bridges += cls == 0x0600 || cls == 0x0601;
    }
    g_assert_cmpuint(found, ==, 2);
    g_assert_cmpuint(bridges, ==, 2);
    fixture_clear(&f);
}

static void test_class_desc(void)
{
    g_assert_cmpstr(pci_class_desc(0x0600), ==, "Host bridge");
    g_assert_cmpstr(pci_class_desc(0x0601), ==, "ISA bridge");
    g_assert_null(pci_class_desc(0x0000));
    g_assert_null(pci_class_desc(0xffff));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pci/config-address", test_config_address);
    g_test_add_func("/pci/enable-bit", test_enable_bit);
    g_test_add_func("/pci/headers", test_headers);
    g_test_add_func("/pci/partial-access", test_partial_access);
    g_test_add_func("/pci/absent", test_absent);
    g_test_add_func("/pci/read-only", test_read_only);
    g_test_add_func("/pci/status-w1c", test_status_w1c);
    g_test_add_func("/pci/reset", test_reset);
    g_test_add_func("/pci/shared-port", test_shared_port);
    g_test_add_func("/pci/reset-register", test_reset_register);
    g_test_add_func("/pci/bus-add", test_bus_add);
    g_test_add_func("/pci/linux-probe", test_linux_probe);
    g_test_add_func("/pci/class-desc", test_class_desc);
    return g_test_run();
}
