/* A PCI bus and its functions' 256-byte configuration spaces, with per-bit write masks. */
#ifndef NUMBAT_HW_PCI_PCI_H
#define NUMBAT_HW_PCI_PCI_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "qapi/error.h"

#define PCI_CONFIG_SPACE_SIZE   256
#define PCI_DEVFN_MAX           256
#define PCI_SLOT_MAX            32
#define PCI_FUNC_MAX            8
#define PCI_DEVFN(slot, fn)     ((uint8_t)(((slot) & 0x1f) << 3 | ((fn) & 7)))
#define PCI_SLOT(devfn)         (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)         ((devfn) & 7)

/* Type-0 header registers (offsets in configuration space). */
#define PCI_VENDOR_ID           0x00    /* 16 bits */
#define PCI_DEVICE_ID           0x02    /* 16 bits */
#define PCI_COMMAND             0x04    /* 16 bits */
#define PCI_STATUS              0x06    /* 16 bits */
#define PCI_REVISION_ID         0x08
#define PCI_CLASS_PROG          0x09    /* programming interface */
#define PCI_CLASS_DEVICE        0x0a    /* 16 bits: base class << 8 | sub-class */
#define PCI_CACHE_LINE_SIZE     0x0c
#define PCI_LATENCY_TIMER       0x0d
#define PCI_HEADER_TYPE         0x0e
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c    /* 16 bits */
#define PCI_SUBSYSTEM_ID        0x2e    /* 16 bits */
#define PCI_INTERRUPT_LINE      0x3c
#define PCI_INTERRUPT_PIN       0x3d
#define PCI_HEADER_END          0x40    /* device-specific registers start here */

#define PCI_HEADER_TYPE_MULTI_FUNCTION 0x80

/* Command bits software may change (the rest of the register reads as zero). */
#define PCI_COMMAND_IO            (1u << 0)
#define PCI_COMMAND_MEMORY        (1u << 1)
#define PCI_COMMAND_MASTER        (1u << 2)
#define PCI_COMMAND_PARITY        (1u << 6)
#define PCI_COMMAND_SERR          (1u << 8)
#define PCI_COMMAND_INTX_DISABLE  (1u << 10)
#define PCI_COMMAND_WRITABLE      (PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | \
                                   PCI_COMMAND_PARITY | PCI_COMMAND_SERR | \
                                   PCI_COMMAND_INTX_DISABLE)
/* Status: DEVSEL timing (read-only) and the error bits, which software clears by writing 1. */
#define PCI_STATUS_DEVSEL_MEDIUM  (1u << 9)
#define PCI_STATUS_ERRORS         ((1u << 8) | (1u << 11) | (1u << 12) | (1u << 13) | \
                                   (1u << 14) | (1u << 15))

#define PCI_VENDOR_ID_INTEL       0x8086

/* The subsystem ids QEMU gives its built-in functions (Red Hat / QEMU). */
#define PCI_SUBVENDOR_QEMU        0x1af4
#define PCI_SUBDEVICE_QEMU        0x1100

/*
 * One PCI function.  A register byte changes on a config write only where wmask has 1s;
 * where w1cmask has 1s, writing 1 clears the bit instead (status error bits).  Everything
 * else is read-only.  reset_config is the content captured when the function joins a bus,
 * restored by pci_device_reset().
 */
typedef struct PciDevice {
    char *name;                 /* model, e.g. "i440FX" */
    uint8_t devfn;
    uint8_t config[PCI_CONFIG_SPACE_SIZE];
    uint8_t wmask[PCI_CONFIG_SPACE_SIZE];
    uint8_t w1cmask[PCI_CONFIG_SPACE_SIZE];
    uint8_t reset_config[PCI_CONFIG_SPACE_SIZE];
} PciDevice;

/* What a function's type-0 header says about itself. */
typedef struct PciDeviceIds {
    uint16_t vendor, device;
    uint32_t class_code;        /* 24 bits: base class, sub-class, programming interface */
    uint8_t revision;
    uint8_t header_type;        /* 0x00, or 0x80 for function 0 of a multi-function device */
    uint16_t status;            /* read-only status bits at reset (DEVSEL timing) */
} PciDeviceIds;

/*
 * A new function at devfn with a type-0 header: ids, class, revision, header type,
 * QEMU's subsystem ids; command (PCI_COMMAND_WRITABLE bits), cache line size and
 * interrupt line writable; status error bits write-1-to-clear; the rest read-only zero.
 * The model adds its device-specific registers (value and masks) before pci_bus_add().
 */
PciDevice *pci_device_new(const char *name, uint8_t devfn, const PciDeviceIds *ids);
void pci_device_free(PciDevice *d);
/* Set a register's value and write mask, len 1/2/4 bytes little-endian, at reset time. */
void pci_device_set_reg(PciDevice *d, unsigned addr, unsigned len, uint32_t val,
                        uint32_t wmask);
void pci_device_reset(PciDevice *d);

/*
 * Configuration accesses of len 1, 2 or 4 bytes at any offset; bytes past the end of
 * the 256-byte space read as 0xff and ignore writes.
 */
uint32_t pci_device_config_read(const PciDevice *d, unsigned addr, unsigned len);
void pci_device_config_write(PciDevice *d, unsigned addr, uint32_t val, unsigned len);

/* Header fields, for the monitor. */
uint16_t pci_device_vendor(const PciDevice *d);
uint16_t pci_device_id(const PciDevice *d);
uint16_t pci_device_class(const PciDevice *d);  /* base class << 8 | sub-class */

/* A bus: up to 256 functions by devfn.  It owns its functions. */
typedef struct PciBus {
    uint8_t number;
    PciDevice *devices[PCI_DEVFN_MAX];
} PciBus;

PciBus *pci_bus_new(uint8_t number);
void pci_bus_free(PciBus *bus);
/*
 * Plug d in at d->devfn and capture its reset content; the bus takes d.  Fails (d is
 * not taken) when the devfn is in use: "PCI: slot S function F not available for
 * 'NAME', in use by 'OTHER'".
 */
bool pci_bus_add(PciBus *bus, PciDevice *d, GError **errp);
PciDevice *pci_bus_find(const PciBus *bus, uint8_t devfn);
void pci_bus_reset(PciBus *bus);
/* A configuration access on this bus: an absent function reads all ones, writes are lost. */
uint32_t pci_bus_config_read(const PciBus *bus, uint8_t devfn, unsigned addr, unsigned len);
void pci_bus_config_write(PciBus *bus, uint8_t devfn, unsigned addr, uint32_t val,
                          unsigned len);

#endif
