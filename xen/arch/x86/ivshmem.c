/*
 * ivshmem.c - finds QEMU's inter-VM shared memory device (ivshmem-plain,
 * PCI vendor 0x1af4, device 0x1110) on PCI bus 0 through the legacy
 * configuration mechanism (ports 0xcf8/0xcfc), and reports where its
 * BAR2, the shared memory, lies in machine memory.
 *
 * Only bus 0 is scanned: QEMU's pc machine puts every -device without a
 * bridge there, and the link is the only device Wren looks for. Sizing
 * the BAR writes its registers with memory decoding off, then puts them
 * back; nothing else of the device is touched (BAR0's registers and the
 * doorbell are not used: the plain variant has no interrupts).
 *
 * May not touch: any other device's configuration, or the BAR's memory
 * (common/link.c decides whether and where it is mapped).
 */
#include <xen/lib.h>
#include <xen/arch.h>
#include <asm/x86.h>

/* The local and I/O APICs' window: never a guest's MMIO. */
#define APIC_AREA_START 0xfec00000ULL

#define PCI_CONF_ADDR 0xcf8
#define PCI_CONF_DATA 0xcfc

#define IVSHMEM_VENDOR 0x1af4
#define IVSHMEM_DEVICE 0x1110

#define PCI_COMMAND       0x04
#define PCI_COMMAND_MEM   0x2
#define PCI_HEADER_TYPE   0x0e
#define PCI_BAR2          0x18
#define PCI_BAR3          0x1c
#define PCI_BAR_IO        0x1
#define PCI_BAR_TYPE_MASK 0x6
#define PCI_BAR_TYPE_64   0x4

static uint32_t conf_read(uint16_t bdf, unsigned int reg)
{
    outl(PCI_CONF_ADDR, 0x80000000U | (uint32_t)bdf << 8 | (reg & 0xfc));
    return inl(PCI_CONF_DATA);
}

static void conf_write(uint16_t bdf, unsigned int reg, uint32_t v)
{
    outl(PCI_CONF_ADDR, 0x80000000U | (uint32_t)bdf << 8 | (reg & 0xfc));
    outl(PCI_CONF_DATA, v);
}

/* The first function on bus 0 with the ivshmem ids, or -1. */
static int find_function(void)
{
    for ( unsigned int dev = 0; dev < 32; dev++ )
        for ( unsigned int fn = 0; fn < 8; fn++ )
        {
            uint16_t bdf = (uint16_t)(dev << 3 | fn);
            uint32_t id = conf_read(bdf, 0);
            if ( (id & 0xffff) == 0xffff )
            {
                if ( !fn )
                    break; /* no device in this slot */
                continue;
            }
            if ( id == (IVSHMEM_DEVICE << 16 | IVSHMEM_VENDOR) )
                return bdf;
            if ( !fn && !(conf_read(bdf, PCI_HEADER_TYPE) >> 16 & 0x80) )
                break; /* single-function device */
        }
    return -1;
}

/* BAR2/BAR3 as one 64-bit BAR: its address, and its size by the usual
 * all-ones probe with memory decoding off. A device the firmware left
 * with memory decoding off has no BAR assigned: refused, and its
 * command register left as it was (turning decoding on would make it
 * answer at whatever address its BAR holds, 0 perhaps). */
static bool bar2_probe(uint16_t bdf, uint64_t *base, uint64_t *size)
{
    uint32_t cmd = conf_read(bdf, PCI_COMMAND) & 0xffff;
    uint32_t lo = conf_read(bdf, PCI_BAR2), hi = conf_read(bdf, PCI_BAR3);
    uint32_t slo, shi;

    if ( !(cmd & PCI_COMMAND_MEM) )
        return false;
    if ( (lo & PCI_BAR_IO) || (lo & PCI_BAR_TYPE_MASK) != PCI_BAR_TYPE_64 )
        return false;
    conf_write(bdf, PCI_COMMAND, cmd & ~PCI_COMMAND_MEM);
    conf_write(bdf, PCI_BAR2, ~0U);
    conf_write(bdf, PCI_BAR3, ~0U);
    slo = conf_read(bdf, PCI_BAR2);
    shi = conf_read(bdf, PCI_BAR3);
    conf_write(bdf, PCI_BAR2, lo);
    conf_write(bdf, PCI_BAR3, hi);
    conf_write(bdf, PCI_COMMAND, cmd);
    *base = ((uint64_t)hi << 32 | lo) & ~0xfULL;
    *size = ~(((uint64_t)shi << 32 | slo) & ~0xfULL) + 1;
    return true;
}

bool arch_link_find(uint64_t *maddr, uint64_t *size, uint16_t *bdf)
{
    int f = find_function();

    if ( f < 0 )
        return false;
    *bdf = (uint16_t)f;
    if ( !bar2_probe(*bdf, maddr, size) )
    {
        printk(XENLOG_ERR "link: ivshmem at 00:%02x.%u: BAR2 is not an enabled 64-bit memory BAR\n",
               f >> 3, f & 7);
        return false;
    }
    if ( *maddr + *size > APIC_AREA_START && *maddr < 0x100000000ULL )
    {
        printk(XENLOG_ERR "link: ivshmem BAR2 at %#lx reaches the APIC area; not used\n", *maddr);
        return false;
    }
    return true;
}
