/*
 * fuzz-xsmsg.c - libFuzzer harness for xenstored's request handling
 * (tools/xenstored): the input is the byte stream a client sends, fed
 * to a fresh daemon over an in-memory connection, so every header,
 * length, type, transaction id and payload the framing and the
 * handlers see comes from the fuzzer.
 *
 * Byte 0 picks the sender: even, dom0 (privileged); odd, domain 5
 * (after dom0 made it a home, as a toolstack does). Byte 1 says how
 * many bytes to hand over per read (1..256), so messages also arrive
 * split at every point. The rest is the stream.
 *
 * Oracles, beyond ASan/UBSan and the leak check of a destroyed daemon:
 *   - the node count per owner adds up to the nodes in the tree (the
 *     quota's bookkeeping survives any sequence of requests);
 *   - afterwards a new dom0 connection is still answered.
 *
 * It reaches xenstored through its private core.h, like its host
 * tests, and keeps no state between inputs.
 */
#include <stdbool.h>

#include "core.h"
#include "fuzz.h"

struct feed
{
    const uint8_t *data;
    size_t len, off, chunk;
    char out[256];
    size_t replies;
};

static int feed_read(struct conn *c, void *buf, unsigned int len)
{
    struct feed *f = c->priv;
    size_t n = f->len - f->off;

    n = n < len ? n : len;
    n = n < f->chunk ? n : f->chunk;
    memcpy(buf, f->data + f->off, n);
    f->off += n;
    return n;
}

/* Output is counted and dropped. */
static int feed_write(struct conn *c, const void *buf, unsigned int len)
{
    ((struct feed *)c->priv)->replies++;
    return len;
}

static const struct conn_ops feed_ops = {
    .read = feed_read,
    .write = feed_write,
};

static unsigned int acct_total(const struct tree *t)
{
    const struct acct *a;
    unsigned int n = 0;

    for ( a = t->acct; a; a = a->next )
        n += a->nodes;
    return n;
}

/* Send one request from dom0 and see a reply come back. */
static void probe(struct xenstored *xsd)
{
    static const char req[] = "\x02\0\0\0\x01\0\0\0\0\0\0\0\x07\0\0\0/local";
    struct feed f = { .data = (const uint8_t *)req, .len = sizeof(req), .chunk = 64 };

    FUZZ_CHECK(conn_new(xsd, 0, &feed_ops, &f));
    for ( int i = 0; i < 8; i++ )
        xenstored_run(xsd);
    FUZZ_CHECK_MSG(f.replies > 0, "dom0 not answered after the input");
}

static void home_for_domain_5(struct xenstored *xsd)
{
    static const char req[] = "\x0c\0\0\0\x01\0\0\0\0\0\0\0\x10\0\0\0/local/domain/5\0"
                              "\x0e\0\0\0\x02\0\0\0\0\0\0\0\x13\0\0\0/local/domain/5\0n5";
    struct feed f = { .data = (const uint8_t *)req, .len = sizeof(req), .chunk = 256 };
    struct conn *c = conn_new(xsd, 0, &feed_ops, &f);

    FUZZ_CHECK(c);
    for ( int i = 0; i < 8; i++ )
        xenstored_run(xsd);
    c->dead = true; /* f goes out of scope: the next pass frees c */
    xenstored_run(xsd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xenstored *xsd;
    struct feed f;
    uint8_t *copy;

    if ( size < 2 )
        return 0;
    copy = fuzz_dup(data + 2, size - 2);
    f = (struct feed){ .data = copy, .len = size - 2, .chunk = data[1] + 1u };
    xsd = xenstored_create(NULL);
    FUZZ_CHECK(xsd);
    home_for_domain_5(xsd);
    FUZZ_CHECK(conn_new(xsd, data[0] & 1 ? 5 : 0, &feed_ops, &f));
    /* Enough passes to consume any input of the harness's size. */
    for ( size_t i = 0; i < 64 + size; i++ )
        xenstored_run(xsd);
    FUZZ_CHECK_MSG(acct_total(&xsd->tree) == tree_count(&xsd->tree), "accounting %u, nodes %u",
                   acct_total(&xsd->tree), tree_count(&xsd->tree));
    probe(xsd);
    xenstored_destroy(xsd);
    free(copy);
    return 0;
}
