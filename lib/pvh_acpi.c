/*
 * pvh_acpi.c - the ACPI tables a PVH domain finds through
 * hvm_start_info.rsdp_paddr: RSDP, XSDT, a hardware-reduced FADT, a MADT
 * with one local APIC per vCPU and a DSDT that holds only the \_S5 sleep
 * package. That is what a guest needs to find its CPUs and to power off
 * (the FADT's sleep control register is a port the hypervisor serves,
 * hvm/pm_ports.c; its reset register is port 0xCF9).
 *
 * Layouts and signatures are the ACPI specification's (6.x). It only
 * fills a page-sized buffer (host unit test: tools/tests/test-acpi.c);
 * the two domain builders (xen/arch/x86/pvh_build.c, tools/libs/guest)
 * decide where it goes and copy it. Freestanding, pure arithmetic over
 * the buffer: it may use only lib/ and touches no domain state.
 */
#include <wren/string.h>
#include <wren/pvh_acpi.h>

#define OEM_ID       "WREN  "
#define OEM_TABLE_ID "WRENPVH "
#define CREATOR_ID   "WREN"

/* Offsets of each table inside the one page (see pvh_acpi.h). */
#define OFF_RSDP 0x000
#define OFF_XSDT 0x040
#define OFF_FADT 0x080
#define OFF_DSDT 0x1c0
#define OFF_MADT 0x200

struct acpi_header
{
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    char creator_id[4];
    uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_header) == 36, "ACPI table header");

struct acpi_rsdp
{
    char signature[8];
    uint8_t checksum; /* over the first 20 bytes */
    char oem_id[6];
    uint8_t revision; /* 2: ACPI 2.0 and later, XSDT valid */
    uint32_t rsdt_address;
    uint32_t length;
    uint64_t xsdt_address;
    uint8_t extended_checksum; /* over all 36 bytes */
    uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP");

/* Generic Address Structure. */
struct acpi_gas
{
    uint8_t space_id; /* 1: system I/O */
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_size; /* 1: byte */
    uint64_t address;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS");

struct acpi_fadt
{
    struct acpi_header h;
    uint32_t firmware_ctrl, dsdt;
    uint8_t reserved0, preferred_pm_profile;
    uint16_t sci_int;
    uint32_t smi_cmd;
    uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
    uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk, pm2_cnt_blk, pm_tmr_blk;
    uint32_t gpe0_blk, gpe1_blk;
    uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len, gpe0_blk_len, gpe1_blk_len;
    uint8_t gpe1_base, cst_cnt;
    uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
    uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
    uint16_t iapc_boot_arch;
    uint8_t reserved1;
    uint32_t flags;
    struct acpi_gas reset_reg;
    uint8_t reset_value;
    uint16_t arm_boot_arch;
    uint8_t minor_revision;
    uint64_t x_firmware_ctrl, x_dsdt;
    struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk, x_pm1b_cnt_blk;
    struct acpi_gas x_pm2_cnt_blk, x_pm_tmr_blk, x_gpe0_blk, x_gpe1_blk;
    struct acpi_gas sleep_control, sleep_status;
    uint64_t hypervisor_vendor_id;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT revision 6");
_Static_assert(offsetof(struct acpi_fadt, flags) == 112, "FADT flags");
_Static_assert(offsetof(struct acpi_fadt, x_dsdt) == 140, "FADT X_DSDT");
_Static_assert(offsetof(struct acpi_fadt, sleep_control) == 244, "FADT sleep control");

#define FADT_F_RESET_REG_SUP  (1u << 10)
#define FADT_F_HW_REDUCED     (1u << 20)
#define FADT_BOOT_NO_VGA      (1u << 2)
#define FADT_BOOT_NO_MSI      (1u << 3)
#define FADT_BOOT_NO_CMOS_RTC (1u << 5)

struct acpi_madt
{
    struct acpi_header h;
    uint32_t lapic_address;
    uint32_t flags; /* bit 0 PCAT_COMPAT: dual 8259s; none here */
} __attribute__((packed));

struct madt_lapic /* type 0 */
{
    uint8_t type, length, processor_id, apic_id;
    uint32_t flags; /* bit 0: enabled */
} __attribute__((packed));

struct madt_x2apic /* type 9, for APIC IDs above 254 */
{
    uint8_t type, length;
    uint16_t reserved;
    uint32_t x2apic_id, flags, processor_uid;
} __attribute__((packed));

/* AML for the DSDT body: Name (_S5, Package (4) { 5, 5, 0, 0 }). The
 * sleep type 5 is what the guest writes into SLP_TYP to power off. */
static const uint8_t dsdt_aml[] = {
    0x08, '_',
    'S',  '5',
    '_', /* NameOp, NameString */
    0x12, 0x08,
    0x04,                      /* PackageOp, PkgLength 8, 4 elements */
    0x0a, PVH_ACPI_SLP_TYP_S5, /* BytePrefix 5 */
    0x0a, PVH_ACPI_SLP_TYP_S5,
    0x00, 0x00 /* BytePrefix 5, Zero, Zero */
};

static uint8_t checksum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;
    for ( size_t i = 0; i < len; i++ )
        sum += b[i];
    return (uint8_t)-sum;
}

static void fill_header(struct acpi_header *h, const char *sig, uint32_t len, uint8_t rev)
{
    memcpy(h->signature, sig, 4);
    h->length = len;
    h->revision = rev;
    memcpy(h->oem_id, OEM_ID, 6);
    memcpy(h->oem_table_id, OEM_TABLE_ID, 8);
    h->oem_revision = 1;
    memcpy(h->creator_id, CREATOR_ID, 4);
    h->creator_revision = 1;
}

static void seal(void *table)
{
    struct acpi_header *h = table;
    h->checksum = 0;
    h->checksum = checksum(h, h->length);
}

static struct acpi_gas io_gas(uint16_t port, uint8_t bits)
{
    return (struct acpi_gas){ .space_id = 1, .bit_width = bits, .access_size = 1, .address = port };
}

static void build_fadt(uint8_t *page, uint64_t base)
{
    struct acpi_fadt *f = (struct acpi_fadt *)(page + OFF_FADT);
    fill_header(&f->h, "FACP", sizeof(*f), 6);
    f->dsdt = (uint32_t)(base + OFF_DSDT);
    f->x_dsdt = base + OFF_DSDT;
    f->flags = FADT_F_HW_REDUCED | FADT_F_RESET_REG_SUP;
    f->iapc_boot_arch = FADT_BOOT_NO_VGA | FADT_BOOT_NO_MSI | FADT_BOOT_NO_CMOS_RTC;
    f->reset_reg = io_gas(PVH_ACPI_RESET_PORT, 8);
    f->reset_value = PVH_ACPI_RESET_VALUE;
    f->sleep_control = io_gas(PVH_ACPI_SLEEP_CONTROL_PORT, 8);
    f->sleep_status = io_gas(PVH_ACPI_SLEEP_STATUS_PORT, 8);
    seal(f);
}

static void build_dsdt(uint8_t *page)
{
    struct acpi_header *h = (struct acpi_header *)(page + OFF_DSDT);
    fill_header(h, "DSDT", sizeof(*h) + sizeof(dsdt_aml), 2);
    memcpy(h + 1, dsdt_aml, sizeof(dsdt_aml));
    seal(h);
}

/* One entry per vCPU: a local APIC entry while the ID fits in a byte. */
static size_t madt_entry(uint8_t *p, unsigned int vcpu)
{
    uint32_t id = PVH_ACPI_APIC_ID(vcpu);
    if ( id < 0xff )
    {
        struct madt_lapic e = { 0, sizeof(e), (uint8_t)vcpu, (uint8_t)id, 1 };
        memcpy(p, &e, sizeof(e));
        return sizeof(e);
    }
    struct madt_x2apic x = { 9, sizeof(x), 0, id, 1, vcpu };
    memcpy(p, &x, sizeof(x));
    return sizeof(x);
}

static int build_madt(uint8_t *page, unsigned int nr_vcpus)
{
    struct acpi_madt *m = (struct acpi_madt *)(page + OFF_MADT);
    size_t len = sizeof(*m);
    if ( OFF_MADT + sizeof(*m) + (size_t)nr_vcpus * sizeof(struct madt_x2apic) > PVH_ACPI_SIZE )
        return -1;
    for ( unsigned int v = 0; v < nr_vcpus; v++ )
        len += madt_entry(page + OFF_MADT + len, v);
    fill_header(&m->h, "APIC", (uint32_t)len, 4);
    m->lapic_address = PVH_ACPI_LAPIC_ADDRESS;
    seal(m);
    return 0;
}

static void build_xsdt_rsdp(uint8_t *page, uint64_t base)
{
    struct acpi_header *x = (struct acpi_header *)(page + OFF_XSDT);
    uint64_t entries[2] = { base + OFF_FADT, base + OFF_MADT };
    struct acpi_rsdp *r = (struct acpi_rsdp *)(page + OFF_RSDP);
    fill_header(x, "XSDT", sizeof(*x) + sizeof(entries), 1);
    memcpy(x + 1, entries, sizeof(entries));
    seal(x);
    memcpy(r->signature, "RSD PTR ", 8);
    memcpy(r->oem_id, OEM_ID, 6);
    r->revision = 2;
    r->length = sizeof(*r);
    r->xsdt_address = base + OFF_XSDT;
    r->checksum = checksum(r, 20);
    r->extended_checksum = checksum(r, sizeof(*r));
}

int pvh_acpi_fill(uint8_t *page, uint64_t base, unsigned int nr_vcpus)
{
    int rc;
    memset(page, 0, PVH_ACPI_SIZE);
    rc = build_madt(page, nr_vcpus);
    if ( rc )
        return rc;
    build_fadt(page, base);
    build_dsdt(page);
    build_xsdt_rsdp(page, base);
    return 0;
}
