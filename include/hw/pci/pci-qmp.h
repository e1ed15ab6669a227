/* PCI over the monitor: query-pci (qapi/pci.json) and the "info pci" text. */
#ifndef NUMBAT_HW_PCI_PCI_QMP_H
#define NUMBAT_HW_PCI_PCI_QMP_H

#include "hw/pci/pci.h"
#include "sysemu/sysemu.h"

/* The class name query-pci reports for a base class << 8 | sub-class, or NULL. */
const char *pci_class_desc(uint16_t class_id);
/* "info pci": QEMU's layout, one block per function; empty without PCI. */
char *hmp_info_pci(SysEmu *se);

#endif
