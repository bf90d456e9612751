/*
 * xenstore.c - a test kernel's xenstore client on its ring page; see
 * xtf/xenstore.h. The page and the event channel are the toolstack's
 * (HVM params); this file only speaks public/io/xs_wire.h over them.
 */
#include <xtf.h>
#include <xtf/xenstore.h>
#include <public/hvm/params.h>
#include <public/errno.h>
#include <public/io/xs_wire.h>

static volatile struct xenstore_domain_interface *ring;
static uint32_t ring_port;
static uint32_t next_req_id = 1;

/* The latest watch event that arrived and has not been collected. */
static char event_path[256];
static bool event_waiting;

long xs_guest_init(void)
{
    uint64_t pfn = 0, port = 0;

    if ( hvm_get_param(HVM_PARAM_STORE_PFN, &pfn) || !pfn ||
         hvm_get_param(HVM_PARAM_STORE_EVTCHN, &port) )
        return -XEN_ENOENT;
    if ( pfn >= (XTF_MAPPED_LIMIT >> PAGE_SHIFT) )
        return -XEN_EINVAL;
    ring = (volatile struct xenstore_domain_interface *)(uintptr_t)(pfn << PAGE_SHIFT);
    ring_port = (uint32_t)port;
    return 0;
}

/* Copy n bytes into the request ring, waiting for room. */
static void ring_put(const void *data, size_t n)
{
    const char *p = data;

    while ( n )
    {
        XENSTORE_RING_IDX prod = ring->req_prod;
        size_t room = XENSTORE_RING_SIZE - (prod - ring->req_cons), chunk;

        if ( !room )
        {
            evtchn_send(ring_port);
            hypercall_yield();
            continue;
        }
        smp_mb(); /* read req_cons before overwriting what it freed */
        chunk = MIN(room, XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod));
        chunk = MIN(chunk, n);
        memcpy((char *)ring->req + MASK_XENSTORE_IDX(prod), p, chunk);
        smp_wmb(); /* the bytes before the index that publishes them */
        ring->req_prod = prod + chunk;
        p += chunk;
        n -= chunk;
    }
    evtchn_send(ring_port);
}

/* Copy n bytes out of the reply ring, waiting for them. */
static void ring_get(void *data, size_t n)
{
    char *p = data;

    while ( n )
    {
        XENSTORE_RING_IDX cons = ring->rsp_cons;
        size_t avail = ring->rsp_prod - cons, chunk;

        if ( !avail )
        {
            hypercall_yield();
            continue;
        }
        smp_rmb(); /* the index before the bytes it covers */
        chunk = MIN(avail, XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons));
        chunk = MIN(chunk, n);
        memcpy(p, (const char *)ring->rsp + MASK_XENSTORE_IDX(cons), chunk);
        smp_mb(); /* finish reading before the space is handed back */
        ring->rsp_cons = cons + chunk;
        p += chunk;
        n -= chunk;
    }
    evtchn_send(ring_port);
}

/* Read one whole message; a payload beyond size is read and dropped. */
static struct xsd_sockmsg get_message(char *buf, size_t size)
{
    struct xsd_sockmsg hdr;
    char sink[64];
    size_t keep;

    ring_get(&hdr, sizeof(hdr));
    keep = MIN((size_t)hdr.len, size);
    ring_get(buf, keep);
    for ( size_t left = hdr.len - keep; left; )
    {
        size_t chunk = MIN(left, sizeof(sink));
        ring_get(sink, chunk);
        left -= chunk;
    }
    return hdr;
}

/* An event's payload is "path\0token\0": keep the path. */
static void keep_event(const char *payload, size_t len)
{
    size_t n = MIN(len, sizeof(event_path) - 1);

    memcpy(event_path, payload, n);
    event_path[n] = '\0';
    event_waiting = true;
}

/* The store's error strings are errno names; map the ones tests meet. */
static long error_code(const char *name)
{
    static const struct
    {
        const char *name;
        long code;
    } map[] = {
        { "ENOENT", XEN_ENOENT }, { "EACCES", XEN_EACCES }, { "EINVAL", XEN_EINVAL },
        { "EAGAIN", XEN_EAGAIN }, { "EEXIST", XEN_EEXIST }, { "ENOSPC", XEN_ENOSPC },
    };

    for ( size_t i = 0; i < ARRAY_SIZE(map); i++ )
        if ( !strcmp(name, map[i].name) )
            return -map[i].code;
    return -XEN_EIO;
}

/*
 * Send one request made of parts (each sent with its NUL if with_nul),
 * and wait for its reply; watch events on the way are kept. The reply's
 * payload is NUL-terminated in reply.
 */
static long request(uint32_t type, const char *const parts[], unsigned int n, bool last_nul,
                    char *reply, size_t size)
{
    struct xsd_sockmsg hdr = { .type = type, .req_id = next_req_id++ };
    char buf[XENSTORE_PAYLOAD_MAX + 1];

    if ( !ring )
        return -XEN_ENOENT;
    for ( unsigned int i = 0; i < n; i++ )
        hdr.len += strlen(parts[i]) + (i + 1 < n || last_nul);
    if ( hdr.len > XENSTORE_PAYLOAD_MAX )
        return -XEN_E2BIG;
    ring_put(&hdr, sizeof(hdr));
    for ( unsigned int i = 0; i < n; i++ )
        ring_put(parts[i], strlen(parts[i]) + (i + 1 < n || last_nul));
    for ( ;; )
    {
        struct xsd_sockmsg rsp = get_message(buf, sizeof(buf) - 1);
        size_t len = MIN((size_t)rsp.len, sizeof(buf) - 1);

        buf[len] = '\0';
        if ( rsp.type == XS_WATCH_EVENT )
        {
            keep_event(buf, len);
            continue;
        }
        if ( rsp.type == XS_ERROR )
            return error_code(buf);
        if ( reply )
            strlcpy(reply, buf, size);
        return 0;
    }
}

long xs_guest_read(const char *path, char *buf, size_t size)
{
    const char *parts[] = { path };

    return request(XS_READ, parts, 1, true, buf, size);
}

long xs_guest_write(const char *path, const char *value)
{
    const char *parts[] = { path, value };

    return request(XS_WRITE, parts, 2, false, NULL, 0);
}

long xs_guest_watch(const char *path, const char *token)
{
    const char *parts[] = { path, token };

    return request(XS_WATCH, parts, 2, true, NULL, 0);
}

bool xs_guest_watch_fired(char *path, size_t size)
{
    char buf[512];

    while ( ring && !event_waiting && ring->rsp_prod != ring->rsp_cons )
    {
        struct xsd_sockmsg rsp = get_message(buf, sizeof(buf) - 1);

        if ( rsp.type == XS_WATCH_EVENT )
            keep_event(buf, MIN((size_t)rsp.len, sizeof(buf) - 1));
    }
    if ( !event_waiting )
        return false;
    strlcpy(path, event_path, size);
    event_waiting = false;
    return true;
}
