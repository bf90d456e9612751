/*
 * mmio.c - the registry of emulated MMIO devices (asm/hvm_mmio.h), and
 * the hole behind every address none of them claims: reads all-ones,
 * writes dropped, as Xen does for an HVM guest with no device model.
 *
 * It may not touch guest RAM, the p2m or vendor state: it only routes one
 * already-translated access to a handler.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <asm/hvm_mmio.h>

static const struct hvm_mmio_handler *handlers[HVM_MMIO_MAX_HANDLERS];
static unsigned int nr_handlers;

void hvm_mmio_register(const struct hvm_mmio_handler *h)
{
    if ( nr_handlers == HVM_MMIO_MAX_HANDLERS )
        panic("MMIO: no room for handler %s", h->name);
    handlers[nr_handlers++] = h;
}

static const struct hvm_mmio_handler *find_handler(struct vcpu *v, uint64_t gpa)
{
    for ( unsigned int i = 0; i < nr_handlers; i++ )
        if ( handlers[i]->accepts(v, gpa) )
            return handlers[i];
    return NULL;
}

bool hvm_mmio_claimed(struct vcpu *v, uint64_t gpa)
{
    return find_handler(v, gpa) != NULL;
}

static uint64_t size_mask(unsigned int size)
{
    return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

void hvm_mmio_read(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t *val)
{
    const struct hvm_mmio_handler *h = find_handler(v, gpa);
    uint64_t got = 0;

    if ( h && h->read && !h->read(v, gpa, size, &got) )
        *val = got & size_mask(size);
    else
        *val = size_mask(size);
}

void hvm_mmio_write(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t val)
{
    const struct hvm_mmio_handler *h = find_handler(v, gpa);

    if ( h && h->write )
        h->write(v, gpa, size, val & size_mask(size));
}
