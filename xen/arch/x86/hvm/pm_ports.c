/*
 * pm_ports.c - the two power-management ports a PVH domain's FADT names
 * (wren/pvh_acpi.h): the hardware-reduced sleep control register, whose S5
 * write powers the domain off, and the reset register at 0xCF9, whose
 * reset value reboots it. Sleep states other than S5 are not offered (the
 * DSDT has only \_S5) and are ignored.
 *
 * May not touch: anything but the domain's shutdown state.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <public/sched.h>
#include <asm/hvm.h>
#include <wren/pvh_acpi.h>

static void sleep_control_write(struct domain *d, uint8_t val)
{
    unsigned int typ = (val & PVH_ACPI_SLP_TYP_MASK) >> PVH_ACPI_SLP_TYP_SHIFT;
    if ( !(val & PVH_ACPI_SLP_EN) || typ != PVH_ACPI_SLP_TYP_S5 )
        return;
    printk("d%u: ACPI S5 (sleep control register): power off\n", d->domain_id);
    domain_shutdown(d, SHUTDOWN_poweroff);
}

static void reset_write(struct domain *d, uint8_t val)
{
    if ( (val & PVH_ACPI_RESET_VALUE) != PVH_ACPI_RESET_VALUE )
        return;
    printk("d%u: ACPI reset register: reboot\n", d->domain_id);
    domain_shutdown(d, SHUTDOWN_reboot);
}

bool hvm_pm_port_write(struct vcpu *v, uint16_t port, unsigned int size, uint32_t val)
{
    if ( size != 1 )
        return false;
    switch ( port )
    {
    case PVH_ACPI_SLEEP_CONTROL_PORT: sleep_control_write(v->domain, (uint8_t)val); return true;
    case PVH_ACPI_RESET_PORT: reset_write(v->domain, (uint8_t)val); return true;
    default: return false;
    }
}

bool hvm_pm_port_read(struct vcpu *v, uint16_t port, unsigned int size, uint32_t *val)
{
    if ( size != 1 || port != PVH_ACPI_SLEEP_STATUS_PORT )
        return false;
    *val = 0; /* WAK_STS clear: nothing ever sleeps and wakes */
    return true;
}
