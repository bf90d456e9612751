/* SPDX-License-Identifier: MIT */
/*
 * io/ring.h - a request/response ring in one shared page, in the layout
 * of Xen's public io/ring.h (the names and the bytes are Xen's; this
 * implementation is Wren's own). The vm_event ring (vm_event.h) is the
 * first user.
 *
 * The page starts with four free-running 32-bit indexes (req_prod,
 * req_event, rsp_prod, rsp_event), 4 bytes private to the ring's kind
 * and 44 bytes of padding: 64 bytes. Then the entries, as many as fit,
 * rounded down to a power of two; index i lives in slot i & (size - 1).
 * The front end produces requests and consumes responses, the back end
 * the other way round; each keeps its private copies in its own memory.
 *
 * May not touch: anything but the shared page; a reader must treat every
 * index in it as hostile (the other side may write anything).
 */
#ifndef WREN_PUBLIC_IO_RING_H
#define WREN_PUBLIC_IO_RING_H

typedef unsigned int RING_IDX;

#ifndef xen_mb
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif

/* The largest power of two not above n (n < 2^32, n > 0), as a constant
 * expression. */
#define RING_POW2_FLOOR_(n) \
    ((n) >= 1024u  ? 1024u  \
     : (n) >= 512u ? 512u   \
     : (n) >= 256u ? 256u   \
     : (n) >= 128u ? 128u   \
     : (n) >= 64u  ? 64u    \
     : (n) >= 32u  ? 32u    \
     : (n) >= 16u  ? 16u    \
     : (n) >= 8u   ? 8u     \
     : (n) >= 4u   ? 4u     \
     : (n) >= 2u   ? 2u     \
                   : 1u)

/* Entries that fit in a shared area of sz bytes starting at s. */
#define __RING_SIZE(s, sz)                                                                      \
    RING_POW2_FLOOR_((unsigned int)(((sz) - (unsigned long)((char *)(s)->ring - (char *)(s))) / \
                                    sizeof((s)->ring[0])))

#define DEFINE_RING_TYPES(name, req_t, rsp_t)                             \
    union name##_sring_entry                                              \
    {                                                                     \
        req_t req;                                                        \
        rsp_t rsp;                                                        \
    };                                                                    \
    struct name##_sring                                                   \
    {                                                                     \
        RING_IDX req_prod, req_event;                                     \
        RING_IDX rsp_prod, rsp_event;                                     \
        union                                                             \
        {                                                                 \
            uint8_t pvt_pad[4];                                           \
        } pvt;                                                            \
        uint8_t __pad[44];                                                \
        union name##_sring_entry ring[1]; /* as many as the page holds */ \
    };                                                                    \
    struct name##_front_ring                                              \
    {                                                                     \
        RING_IDX req_prod_pvt;                                            \
        RING_IDX rsp_cons;                                                \
        unsigned int nr_ents;                                             \
        struct name##_sring *sring;                                       \
    };                                                                    \
    struct name##_back_ring                                               \
    {                                                                     \
        RING_IDX rsp_prod_pvt;                                            \
        RING_IDX req_cons;                                                \
        unsigned int nr_ents;                                             \
        struct name##_sring *sring;                                       \
    };                                                                    \
    typedef struct name##_sring name##_sring_t;                           \
    typedef struct name##_front_ring name##_front_ring_t;                 \
    typedef struct name##_back_ring name##_back_ring_t

/* The front end sets the shared indexes up before either side uses them. */
#define SHARED_RING_INIT(s)                                                             \
    do                                                                                  \
    {                                                                                   \
        (s)->req_prod = 0;                                                              \
        (s)->rsp_prod = 0;                                                              \
        (s)->req_event = 1;                                                             \
        (s)->rsp_event = 1;                                                             \
        for ( unsigned int ring_i_ = 0; ring_i_ < sizeof((s)->__pad); ring_i_++ )       \
            (s)->__pad[ring_i_] = 0;                                                    \
        for ( unsigned int ring_i_ = 0; ring_i_ < sizeof((s)->pvt.pvt_pad); ring_i_++ ) \
            (s)->pvt.pvt_pad[ring_i_] = 0;                                              \
    } while ( 0 )

#define FRONT_RING_ATTACH(r, s, i, sz)     \
    do                                     \
    {                                      \
        (r)->req_prod_pvt = (i);           \
        (r)->rsp_cons = (i);               \
        (r)->nr_ents = __RING_SIZE(s, sz); \
        (r)->sring = (s);                  \
    } while ( 0 )
#define FRONT_RING_INIT(r, s, sz) FRONT_RING_ATTACH(r, s, 0, sz)

#define BACK_RING_ATTACH(r, s, i, sz)      \
    do                                     \
    {                                      \
        (r)->rsp_prod_pvt = (i);           \
        (r)->req_cons = (i);               \
        (r)->nr_ents = __RING_SIZE(s, sz); \
        (r)->sring = (s);                  \
    } while ( 0 )
#define BACK_RING_INIT(r, s, sz) BACK_RING_ATTACH(r, s, 0, sz)

#define RING_SIZE(r)            ((r)->nr_ents)
#define RING_FREE_REQUESTS(r)   (RING_SIZE(r) - ((r)->req_prod_pvt - (r)->rsp_cons))
#define RING_FULL(r)            (RING_FREE_REQUESTS(r) == 0)
#define RING_GET_REQUEST(r, i)  (&(r)->sring->ring[(i) & (RING_SIZE(r) - 1)].req)
#define RING_GET_RESPONSE(r, i) (&(r)->sring->ring[(i) & (RING_SIZE(r) - 1)].rsp)

/* Responses produced and not yet taken (front end). */
#define RING_HAS_UNCONSUMED_RESPONSES(r) ((r)->sring->rsp_prod - (r)->rsp_cons)
/* Requests produced and not yet taken (back end), never more than the
 * room left for their responses. */
#define RING_HAS_UNCONSUMED_REQUESTS(r)                                                        \
    ((r)->sring->req_prod - (r)->req_cons < RING_SIZE(r) - ((r)->req_cons - (r)->rsp_prod_pvt) \
         ? (r)->sring->req_prod - (r)->req_cons                                                \
         : RING_SIZE(r) - ((r)->req_cons - (r)->rsp_prod_pvt))

/* Publish what was produced: entries first, then the index. */
#define RING_PUSH_REQUESTS(r)                     \
    do                                            \
    {                                             \
        xen_wmb();                                \
        (r)->sring->req_prod = (r)->req_prod_pvt; \
    } while ( 0 )
#define RING_PUSH_RESPONSES(r)                    \
    do                                            \
    {                                             \
        xen_wmb();                                \
        (r)->sring->rsp_prod = (r)->rsp_prod_pvt; \
    } while ( 0 )

#endif /* WREN_PUBLIC_IO_RING_H */
