/*
 * hvm_save.c - XEN_DOMCTL_gethvmcontext and XEN_DOMCTL_sethvmcontext: a
 * domain's hypervisor-held state as Xen's HVM context records
 * (public/hvm/save.h): HEADER, then one CPU record per vCPU that is up,
 * then END.
 *
 * Records are a table of handlers keyed by typecode (save/restore, issue
 * 12, adds rows). Loading is two passes over one copy of the buffer: every
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
#include <public/hvm/save.h>

#define DESC sizeof(struct hvm_save_descriptor)

/* Slack for records a newer saver may add beyond what d needs (refused
 * as unknown, but not for their size). */
#define CONTEXT_SLACK (64 * 1024)

struct hvm_record_type
{
    uint16_t typecode;
    uint32_t length; /* exact body length */
    /* Check one record of d, changing nothing: 0 or -errno. */
    int (*check)(struct domain *d, uint16_t instance, const void *body);
    /* Apply a checked record; d->lock held. */
    int (*load)(struct domain *d, uint16_t instance, const void *body);
};

static int header_check(struct domain *d, uint16_t instance, const void *body)
{
    const struct hvm_save_header *h = body;
    return h->magic == HVM_FILE_MAGIC && h->version == HVM_FILE_VERSION ? 0 : -EINVAL;
}

static int header_load(struct domain *d, uint16_t instance, const void *body)
{
    return 0;
}

static struct vcpu *record_vcpu(struct domain *d, uint16_t instance)
{
    return instance < d->max_vcpus ? d->vcpu[instance] : NULL;
}

static int cpu_check(struct domain *d, uint16_t instance, const void *body)
{
    struct vcpu *v = record_vcpu(d, instance);
    return v ? arch_hvm_cpu_check(v, body) : -EINVAL;
}

static int cpu_load(struct domain *d, uint16_t instance, const void *body)
{
    struct vcpu *v = record_vcpu(d, instance);
    int rc = v ? arch_hvm_cpu_load(v, body) : -EINVAL; /* checked; never NULL */
    if ( rc )
        return rc;
    v->initialised = true;
    vcpu_online(v);
    return 0;
}

static const struct hvm_record_type record_types[] = {
    { HVM_SAVE_CODE(HEADER), HVM_SAVE_LENGTH(HEADER), header_check, header_load },
    { HVM_SAVE_CODE(CPU), HVM_SAVE_LENGTH(CPU), cpu_check, cpu_load },
};

static const struct hvm_record_type *record_type(uint16_t typecode)
{
    for ( size_t i = 0; i < ARRAY_SIZE(record_types); i++ )
        if ( record_types[i].typecode == typecode )
            return &record_types[i];
    return NULL;
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
    return DESC + HVM_SAVE_LENGTH(HEADER) + vcpus_up(d) * (DESC + HVM_SAVE_LENGTH(CPU)) + DESC;
}

/* ---- load ---------------------------------------------------------- */

/* The largest buffer sethvmcontext copies in for d. */
static uint32_t context_max(const struct domain *d)
{
    return 2 * DESC + HVM_SAVE_LENGTH(HEADER) + d->max_vcpus * (DESC + HVM_SAVE_LENGTH(CPU)) +
           CONTEXT_SLACK;
}

/* The record at buf + *off: its descriptor and type, bounds checked. */
static int next_record(const uint8_t *buf, uint32_t size, uint32_t *off,
                       struct hvm_save_descriptor *desc, const struct hvm_record_type **type)
{
    if ( size - *off < DESC )
        return -EINVAL; /* no END */
    memcpy(desc, buf + *off, DESC);
    *off += DESC;
    if ( desc->typecode == HVM_SAVE_CODE(END) )
    {
        *type = NULL;
        return 0;
    }
    *type = record_type(desc->typecode);
    if ( !*type || desc->length != (*type)->length || size - *off < desc->length )
    {
        printk(XENLOG_WARNING "HVM context: record type %u length %u refused\n", desc->typecode,
               desc->length);
        return -EINVAL;
    }
    return 0;
}

/* One pass: check every record (apply false) or apply every one. The
 * first record must be a HEADER; END ends the walk. */
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
        if ( !type )
            return n ? 0 : -EINVAL;
        if ( (n == 0) != (desc.typecode == HVM_SAVE_CODE(HEADER)) )
            return -EINVAL;
        rc = apply ? type->load(d, desc.instance, buf + off)
                   : type->check(d, desc.instance, buf + off);
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

static size_t context_save(struct domain *d, uint8_t *buf)
{
    struct hvm_save_header h = { .magic = HVM_FILE_MAGIC, .version = HVM_FILE_VERSION };
    struct hvm_hw_cpu *cpu = xzalloc(struct hvm_hw_cpu);
    size_t off = put_record(buf, 0, HVM_SAVE_CODE(HEADER), 0, &h, sizeof(h));
    for ( unsigned int i = 0; cpu && i < d->max_vcpus; i++ )
    {
        if ( !d->vcpu[i] || !d->vcpu[i]->is_up )
            continue; /* as in Xen: a vCPU that is down has no record */
        arch_hvm_cpu_save(d->vcpu[i], cpu);
        off = put_record(buf, off, HVM_SAVE_CODE(CPU), (uint16_t)i, cpu, sizeof(*cpu));
    }
    off = cpu ? put_record(buf, off, HVM_SAVE_CODE(END), 0, NULL, 0) : 0;
    xfree(cpu);
    return off;
}

long hvm_context_get(struct domain *d, struct xen_domctl_hvmcontext *h)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    uint32_t need;
    long rc = 0;
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
