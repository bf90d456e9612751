/*
 * guest_dt.c - the device tree a guest built by the hypervisor finds in
 * x0 (the arm64 Linux boot protocol's place for it): its RAM, its vCPUs
 * (started by PSCI over HVC), the vGICv3 at its fixed addresses, the
 * generic timer's PPIs, the `hypervisor` node Linux's Xen support looks
 * for (`xen,xen-4.18`, `xen,xen`; the grant-table region; the
 * event-channel PPI) and /chosen (bootargs, the ramdisk). The addresses
 * and numbers are Xen on Arm's guest ABI (public/arch-arm.h) and the
 * device-tree bindings of arm,gic-v3, arm,armv8-timer and arm,psci.
 *
 * May not touch: anything but the caller's buffer.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <asm/fdt_write.h>
#include <asm/guest_dt.h>
#include <asm/vgic.h>

#define GIC_PHANDLE    1
#define GIC_PPI        1 /* first interrupt cell: 0 SPI, 1 PPI */
#define IRQ_LEVEL_HIGH 4 /* third cell (gic-v3 binding: no CPU mask) */
#define PPI_BASE       16
/* The generic timer's PPIs in the binding's order: secure physical,
 * non-secure physical, virtual, hypervisor. */
static const unsigned int timer_ppis[] = { 29, 30, VGIC_PPI_VTIMER, 26 };

static void reg_pair(struct fdt_writer *w, uint64_t base, uint64_t size)
{
    uint32_t c[4] = { (uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32),
                      (uint32_t)size };
    fdtw_prop_cells(w, "reg", c, 4);
}

static void ppi_cells(uint32_t *c, unsigned int intid)
{
    c[0] = GIC_PPI;
    c[1] = intid - PPI_BASE;
    c[2] = IRQ_LEVEL_HIGH;
}

static void node_root_props(struct fdt_writer *w)
{
    static const char compat[] = "xen,xenvm-4.18\0xen,xenvm";
    fdtw_prop_u32(w, "#address-cells", 2);
    fdtw_prop_u32(w, "#size-cells", 2);
    fdtw_prop_strs(w, "compatible", compat, sizeof(compat));
    fdtw_prop_str(w, "model", "Wren guest");
    fdtw_prop_u32(w, "interrupt-parent", GIC_PHANDLE);
}

static void node_chosen(struct fdt_writer *w, const struct guest_dt_info *gi)
{
    fdtw_begin_node(w, "chosen");
    fdtw_prop_str(w, "bootargs", gi->bootargs);
    if ( gi->initrd_end > gi->initrd_start )
    {
        fdtw_prop_u64(w, "linux,initrd-start", gi->initrd_start);
        fdtw_prop_u64(w, "linux,initrd-end", gi->initrd_end);
    }
    fdtw_end_node(w);
}

static void node_memory(struct fdt_writer *w, const struct guest_dt_info *gi)
{
    char name[32];
    snprintf(name, sizeof(name), "memory@%lx", gi->ram_base);
    fdtw_begin_node(w, name);
    fdtw_prop_str(w, "device_type", "memory");
    reg_pair(w, gi->ram_base, gi->ram_size);
    fdtw_end_node(w);
}

static void node_cpus(struct fdt_writer *w, unsigned int nr)
{
    char name[16];
    fdtw_begin_node(w, "cpus");
    fdtw_prop_u32(w, "#address-cells", 1);
    fdtw_prop_u32(w, "#size-cells", 0);
    for ( unsigned int i = 0; i < nr; i++ )
    {
        snprintf(name, sizeof(name), "cpu@%x", i);
        fdtw_begin_node(w, name);
        fdtw_prop_str(w, "device_type", "cpu");
        fdtw_prop_str(w, "compatible", "arm,armv8");
        fdtw_prop_str(w, "enable-method", "psci");
        fdtw_prop_u32(w, "reg", i); /* MPIDR affinity: vCPU n is Aff0 n */
        fdtw_end_node(w);
    }
    fdtw_end_node(w);
}

static void node_psci(struct fdt_writer *w)
{
    static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
    fdtw_begin_node(w, "psci");
    fdtw_prop_strs(w, "compatible", compat, sizeof(compat));
    fdtw_prop_str(w, "method", "hvc");
    fdtw_end_node(w);
}

static void node_gic(struct fdt_writer *w, unsigned int nr_vcpus)
{
    char name[40];
    uint32_t reg[8] = { 0, (uint32_t)VGIC_GICD_BASE, 0, (uint32_t)VGIC_GICD_SIZE,
                        0, (uint32_t)VGIC_GICR_BASE, 0, nr_vcpus * (uint32_t)VGIC_GICR_STRIDE };
    snprintf(name, sizeof(name), "interrupt-controller@%lx", VGIC_GICD_BASE);
    fdtw_begin_node(w, name);
    fdtw_prop_str(w, "compatible", "arm,gic-v3");
    fdtw_prop_u32(w, "#interrupt-cells", 3);
    fdtw_prop_u32(w, "#address-cells", 2);
    fdtw_prop_u32(w, "#size-cells", 2);
    fdtw_prop(w, "interrupt-controller", NULL, 0);
    fdtw_prop_cells(w, "reg", reg, 8);
    fdtw_prop_u32(w, "#redistributor-regions", 1);
    fdtw_prop_u32(w, "phandle", GIC_PHANDLE);
    fdtw_end_node(w);
}

static void node_timer(struct fdt_writer *w)
{
    uint32_t c[3 * ARRAY_SIZE(timer_ppis)];
    for ( unsigned int i = 0; i < ARRAY_SIZE(timer_ppis); i++ )
        ppi_cells(c + 3 * i, timer_ppis[i]);
    fdtw_begin_node(w, "timer");
    fdtw_prop_str(w, "compatible", "arm,armv8-timer");
    fdtw_prop_cells(w, "interrupts", c, ARRAY_SIZE(c));
    fdtw_end_node(w);
}

static void node_hypervisor(struct fdt_writer *w)
{
    static const char compat[] = "xen,xen-4.18\0xen,xen";
    uint32_t irq[3];
    ppi_cells(irq, VGIC_PPI_EVTCHN);
    fdtw_begin_node(w, "hypervisor");
    fdtw_prop_strs(w, "compatible", compat, sizeof(compat));
    reg_pair(w, GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE);
    fdtw_prop_cells(w, "interrupts", irq, 3);
    fdtw_end_node(w);
}

long guest_dt_build(const struct guest_dt_info *gi, void *buf, size_t cap)
{
    struct fdt_writer w;
    fdtw_init(&w, buf, cap);
    fdtw_begin_node(&w, "");
    node_root_props(&w);
    node_chosen(&w, gi);
    node_memory(&w, gi);
    node_cpus(&w, gi->nr_vcpus);
    node_psci(&w);
    node_gic(&w, gi->nr_vcpus);
    node_timer(&w);
    node_hypervisor(&w);
    fdtw_end_node(&w);
    return fdtw_finish(&w);
}
