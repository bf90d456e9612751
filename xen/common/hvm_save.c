/*
 * hvm_save.c - XEN_DOMCTL_gethvmcontext and XEN_DOMCTL_sethvmcontext: a
 * domain's hypervisor-held state as Xen's HVM context records
 * (public/hvm/save.h): HEADER, then for each vCPU that is up one record
 * of each type the arch's table names (x86: CPU, CPU_XSAVE where the CPU
 * has XSAVE, LAPIC, LAPIC_REGS, MTRR, VMCE_VCPU and Wren's
 * WREN_VCPU_TIMERS and WREN_VMCE_PENDING), type by type, then END. docs/designs/save-restore.md.
 *
 * Records are a table of handlers keyed by typecode, the arch's
 * (arch_hvm_records: x86's CPU, LAPIC, ... rows, arm64's own). Loading is two passes over one copy of the buffer: every
 * record is checked first (header, typecodes, lengths, instances, each
 * CPU record by the same checks as VCPUOP_initialise), and only then is
 * anything applied, so a refused context changes nothing. As in Xen, an
 * unknown typecode is refused (-EINVAL), and a vCPU whose CPU record is
 * loaded is initialised and brought up: unpausing the domain runs it.
 *
 * May not touch: register state (the arch's: arch_hvm_cpu_*), a running
 * domain (set needs the controller's pause; get pauses it itself).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/arch.h>
#include <public/domctl.h>
#include <xen/hvm_save.h>
#include <xen/vmce.h>
#include <public/hvm/save.h>

#define DESC sizeof(struct hvm_save_descriptor)

/* Slack for records a newer saver may add beyond what d needs (refused
 * as unknown, but not for their size). */
#define CONTEXT_SLACK (64 * 1024)

static bool header_ok(const void *body)
{
    const struct hvm_save_header *h = body;
    return h->magic == HVM_FILE_MAGIC && h->version == HVM_FILE_VERSION;
}

static struct vcpu *record_vcpu(struct domain *d, uint16_t instance)
{
    return instance < d->max_vcpus ? d->vcpu[instance] : NULL;
}

/* The arch's table of per-vCPU records (xen/arch.h). */
static const struct hvm_record_type *records(unsigned int *nr)
{
    return arch_hvm_records(nr);
}

static uint32_t type_max(const struct hvm_record_type *type)
{
    return type->length ? type->length : type->max_length();
}

/* The largest body of any per-vCPU record. */
static uint32_t max_body(void)
{
    unsigned int nr;
    const struct hvm_record_type *t = records(&nr);
    uint32_t n = 0;
    for ( unsigned int i = 0; i < nr; i++ )
        n = MAX(n, type_max(&t[i]));
    return n;
}

static const struct hvm_record_type *record_type(uint16_t typecode)
{
    unsigned int nr;
    const struct hvm_record_type *t = records(&nr);
    for ( unsigned int i = 0; i < nr; i++ )
        if ( t[i].typecode == typecode )
            return &t[i];
    return NULL;
}

/* Descriptor and body of one of each per-vCPU record. */
static uint32_t vcpu_records_size(void)
{
    unsigned int nr;
    const struct hvm_record_type *t = records(&nr);
    uint32_t n = 0;
    for ( unsigned int i = 0; i < nr; i++ )
        n += type_max(&t[i]) ? DESC + type_max(&t[i]) : 0;
    return n;
}

static unsigned int vcpus_up(const struct domain *d)
{
    unsigned int n = 0;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        n += d->vcpu[i] && d->vcpu[i]->is_up;
    return n;
}

/* What gethvmcontext writes for d now. */
static uint32_t context_size(const struct domain *d)
{
    return DESC + HVM_SAVE_LENGTH(HEADER) + vcpus_up(d) * vcpu_records_size() + DESC;
}

/* ---- load ---------------------------------------------------------- */

/* The largest buffer sethvmcontext copies in for d. */
static uint32_t context_max(const struct domain *d)
{
    return 2 * DESC + HVM_SAVE_LENGTH(HEADER) + d->max_vcpus * vcpu_records_size() + CONTEXT_SLACK;
}

/* The length a record of type must have: its own, or for a variable
 * one the length given if within the type's bounds (the arch checks the
 * rest), else one no record has. */
static uint32_t variable_ok(const struct hvm_record_type *type, uint32_t len)
{
    if ( type->length )
        return type->length;
    return len >= type->min_length && len <= type->max_length() ? len : ~0U;
}

/* The record at buf + *off: its descriptor, bounds checked, and its
 * body's place in *off. *type is NULL for END and HEADER. */
static int next_record(const uint8_t *buf, uint32_t size, uint32_t *off,
                       struct hvm_save_descriptor *desc, const struct hvm_record_type **type)
{
    uint32_t want;
    if ( size - *off < DESC )
        return -EINVAL; /* no END */
    memcpy(desc, buf + *off, DESC);
    *off += DESC;
    *type = record_type(desc->typecode);
    if ( desc->typecode == HVM_SAVE_CODE(END) )
        want = 0;
    else if ( desc->typecode == HVM_SAVE_CODE(HEADER) )
        want = HVM_SAVE_LENGTH(HEADER);
    else
        want = *type ? variable_ok(*type, desc->length) : ~0U;
    if ( desc->length != want || size - *off < desc->length )
    {
        printk(XENLOG_WARNING "HVM context: record type %u length %u refused\n", desc->typecode,
               desc->length);
        return -EINVAL;
    }
    return 0;
}

/* One per-vCPU record: check it (apply false) or apply it. */
static int one_record(struct domain *d, const struct hvm_record_type *type,
                      const struct hvm_save_descriptor *desc, const void *body, bool apply)
{
    struct vcpu *v = record_vcpu(d, desc->instance);
    uint16_t instance = desc->instance;
    int rc;
    if ( !v )
        return -EINVAL; /* apply never gets here: checked */
    rc = apply ? type->load(v, body, desc->length) : type->check(v, body, desc->length);
    if ( !rc && apply && type->brings_up )
    {
        v->initialised = true;
        vcpu_online(v);
    }
    if ( rc )
        printk(XENLOG_WARNING "HVM context: record type %u instance %u refused (%d)\n",
               type->typecode, instance, rc);
    return rc;
}

/* One pass: check every record (apply false) or apply every one. The
 * first record must be a HEADER, and only the first; END ends the walk. */
static int walk_records(struct domain *d, const uint8_t *buf, uint32_t size, bool apply)
{
    const struct hvm_record_type *type;
    struct hvm_save_descriptor desc;
    uint32_t off = 0;
    for ( unsigned int n = 0;; n++ )
    {
        int rc = next_record(buf, size, &off, &desc, &type);
        if ( rc )
            return rc;
        if ( desc.typecode == HVM_SAVE_CODE(END) )
            return n ? 0 : -EINVAL;
        if ( (n == 0) != (desc.typecode == HVM_SAVE_CODE(HEADER)) )
            return -EINVAL;
        if ( n == 0 )
            rc = header_ok(buf + off) ? 0 : -EINVAL;
        else
            rc = one_record(d, type, &desc, buf + off, apply);
        if ( rc )
            return rc;
        off += desc.length;
    }
}

static int context_load(struct domain *d, const uint8_t *buf, uint32_t size)
{
    int rc = walk_records(d, buf, size, false);
    if ( rc )
        return rc;
    spin_lock(&d->lock);
    rc = walk_records(d, buf, size, true);
    spin_unlock(&d->lock);
    return rc;
}

long hvm_context_set(struct domain *d, const struct xen_domctl_hvmcontext *h)
{
    uint8_t *buf;
    long rc;
    if ( d->controller_pause_count == 0 )
        return -EBUSY; /* its vCPUs could be running */
    if ( h->size < 2 * DESC || h->size > context_max(d) )
        return -EINVAL;
    buf = xzalloc_bytes(h->size);
    if ( !buf )
        return -ENOMEM;
    rc = copy_from_guest(buf, h->buffer, h->size) ? -EFAULT : context_load(d, buf, h->size);
    xfree(buf);
    return rc;
}

/* ---- save ---------------------------------------------------------- */

static size_t put_record(uint8_t *buf, size_t off, uint16_t type, uint16_t inst, const void *body,
                         uint32_t len)
{
    struct hvm_save_descriptor desc = { type, inst, len };
    memcpy(buf + off, &desc, DESC);
    if ( len )
        memcpy(buf + off + DESC, body, len);
    return off + DESC + len;
}

/* Every record of one type, one per vCPU that is up (as in Xen: a vCPU
 * that is down has none). */
static size_t save_type(struct domain *d, const struct hvm_record_type *type, uint8_t *buf,
                        size_t off, void *body)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        uint32_t len;

        if ( !d->vcpu[i] || !d->vcpu[i]->is_up || !type_max(type) )
            continue;
        memset(body, 0, type_max(type));
        len = type->save(d->vcpu[i], body);
        if ( len )
            off = put_record(buf, off, type->typecode, (uint16_t)i, body, len);
    }
    return off;
}

static size_t context_save(struct domain *d, uint8_t *buf)
{
    struct hvm_save_header h = { .magic = HVM_FILE_MAGIC, .version = HVM_FILE_VERSION };
    void *body = xzalloc_bytes(max_body());
    size_t off = put_record(buf, 0, HVM_SAVE_CODE(HEADER), 0, &h, sizeof(h));
    unsigned int nr;
    const struct hvm_record_type *t = records(&nr);
    if ( !body )
        return 0;
    for ( unsigned int i = 0; i < nr; i++ )
        off = save_type(d, &t[i], buf, off, body);
    off = put_record(buf, off, HVM_SAVE_CODE(END), 0, NULL, 0);
    xfree(body);
    return off;
}

long hvm_context_get(struct domain *d, struct xen_domctl_hvmcontext *h)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    uint32_t need;
    long rc = 0;
    /* A frame a machine check marked broken gets its owner's entry and
     * vMCE now, not at the next scheduling: a save reads the vMCE it is
     * owed here, and the broken page in its next type query. */
    if ( h->buffer )
        vmce_softirq();
    domain_pause(d);
    need = context_size(d);
    if ( !h->buffer )
        h->size = need;
    else if ( h->size < need )
        rc = -ENOSPC;
    else if ( !(buf = xzalloc_bytes(need)) || !(len = context_save(d, buf)) )
        rc = -ENOMEM;
    domain_unpause(d);
    if ( buf && !rc )
    {
        h->size = (uint32_t)len;
        rc = copy_to_guest(h->buffer, buf, len) ? -EFAULT : 0;
    }
    xfree(buf);
    return rc;
}

long hvm_context_copy(struct domain *to, struct domain *from)
{
    uint8_t *buf = xzalloc_bytes(context_size(from));
    size_t len = buf ? context_save(from, buf) : 0;
    long rc = len ? context_load(to, buf, (uint32_t)len) : -ENOMEM;

    xfree(buf);
    return rc;
}

long domctl_hvmcontext(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    long rc;
    if ( d == current->domain )
        return -EINVAL; /* as in Xen: never the caller's own */
    if ( op->cmd == XEN_DOMCTL_sethvmcontext )
        return hvm_context_set(d, &op->u.hvmcontext);
    rc = hvm_context_get(d, &op->u.hvmcontext);
    if ( !rc && copy_to_guest(arg, op, sizeof(*op)) )
        rc = -EFAULT;
    return rc;
}
