/*
 * fake-light.c - the test doubles of fake-light.h. Each faked call first
 * asks fake_step() whether it is the one to fail.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/version.h>
#include <xenctrl.h>
#include <xenctrl_wren.h>
#include <xenforeignmemory.h>
#include <xenguest.h>
#include <xenctrl_wren.h>
#include <xenconsoled.h>
#include <xenstore.h>

#include "fake-light.h"

struct fake_state fake;

#define MAX_NODES 256

struct node
{
    char *path, *value;
    struct xs_permissions perms[4];
    unsigned int nr_perms;
};

struct store
{
    struct node n[MAX_NODES];
    unsigned int nr;
};
static struct store store, snapshot;
static bool in_txn;
static int watch_pipe[2] = { -1, -1 };

/* true: fail this call (errno EIO). */
static bool fake_step(const char *name)
{
    fake.calls++;
    if ( fake.fail_at && fake.calls == fake.fail_at )
    {
        fake.fail_at = 0;
        fake.failed_call = name;
        errno = EIO;
        return true;
    }
    return false;
}

static void store_free(struct store *s)
{
    unsigned int i;

    for ( i = 0; i < s->nr; i++ )
    {
        free(s->n[i].path);
        free(s->n[i].value);
    }
    s->nr = 0;
}

static void store_copy(struct store *dst, const struct store *src)
{
    unsigned int i;

    store_free(dst);
    for ( i = 0; i < src->nr; i++ )
    {
        dst->n[i] = src->n[i];
        dst->n[i].path = strdup(src->n[i].path);
        dst->n[i].value = strdup(src->n[i].value);
    }
    dst->nr = src->nr;
}

void fake_reset(void)
{
    store_free(&store);
    store_free(&snapshot);
    in_txn = false;
    memset(&fake, 0, sizeof(fake));
    fake.dom[0].exists = true;
    fake.dom[0].max_vcpus = 1;
    fake.broke_domid = -1;
    if ( watch_pipe[0] < 0 && pipe(watch_pipe) == 0 )
        write(watch_pipe[1], "w", 1); /* always readable */
}

void fake_fail_call(unsigned long nth)
{
    fake.fail_at = fake.calls + nth;
    fake.failed_call = NULL;
}

/* --- the store ---------------------------------------------------------- */

static struct node *lookup(const char *path)
{
    unsigned int i;

    for ( i = 0; i < store.nr; i++ )
        if ( !strcmp(store.n[i].path, path) )
            return &store.n[i];
    return NULL;
}

/* Creates path and its parents (a new node inherits its parent's
 * permissions, as in xenstored). */
static struct node *create(const char *path)
{
    struct node *n = lookup(path), *parent = NULL;
    char *up = strdup(path), *slash = strrchr(up, '/');

    if ( !n && slash && slash != up )
    {
        *slash = '\0';
        parent = create(up);
    }
    free(up);
    if ( n || store.nr == MAX_NODES )
        return n;
    n = &store.n[store.nr++];
    memset(n, 0, sizeof(*n));
    n->path = strdup(path);
    n->value = strdup("");
    if ( parent )
    {
        memcpy(n->perms, parent->perms, sizeof(n->perms));
        n->nr_perms = parent->nr_perms;
    }
    else
        n->nr_perms = 1; /* owned by dom0 */
    return n;
}

unsigned int fake_store_count(void)
{
    return store.nr;
}

unsigned int fake_store_count_under(const char *prefix)
{
    unsigned int i, n = 0;

    for ( i = 0; i < store.nr; i++ )
        n += !strncmp(store.n[i].path, prefix, strlen(prefix));
    return n;
}

const char *fake_store_read(const char *path)
{
    struct node *n = lookup(path);

    return n ? n->value : NULL;
}

const char *fake_store_perms(const char *path)
{
    static char buf[64];
    struct node *n = lookup(path);
    static const char letter[] = "nrwb";
    unsigned int i;
    size_t len = 0;

    buf[0] = '\0';
    for ( i = 0; n && i < n->nr_perms; i++ )
        len += snprintf(buf + len, sizeof(buf) - len, "%s%c%u", i ? " " : "",
                        letter[n->perms[i].perms & 3], n->perms[i].id);
    return buf;
}

void fake_store_write(const char *path, const char *value)
{
    struct node *n = create(path);

    free(n->value);
    n->value = strdup(value);
}

struct xs_handle
{
    int unused;
};

struct xs_handle *xs_open(unsigned long flags)
{
    if ( fake_step("xs_open") )
        return NULL;
    fake.open_handles++;
    return calloc(1, sizeof(struct xs_handle));
}

void xs_close(struct xs_handle *h)
{
    fake.open_handles--;
    free(h);
}

bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path, const void *data,
              unsigned int len)
{
    struct node *n;

    if ( fake_step("xs_write") )
        return false;
    n = create(path);
    free(n->value);
    n->value = strndup(data, len);
    return true;
}

bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    if ( fake_step("xs_mkdir") )
        return false;
    create(path);
    return true;
}

void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *len)
{
    struct node *n;

    if ( fake_step("xs_read") )
        return NULL;
    n = lookup(path);
    if ( !n )
    {
        errno = ENOENT;
        return NULL;
    }
    if ( len )
        *len = strlen(n->value);
    return strdup(n->value);
}

bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    size_t len = strlen(path);
    unsigned int i;

    if ( fake_step("xs_rm") )
        return false;
    for ( i = 0; i < store.nr; )
    {
        struct node *n = &store.n[i];

        if ( strncmp(n->path, path, len) || (n->path[len] && n->path[len] != '/') )
        {
            i++;
            continue;
        }
        free(n->path);
        free(n->value);
        *n = store.n[--store.nr];
    }
    return true;
}

bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
                        struct xs_permissions *perms, unsigned int num)
{
    struct node *n;

    if ( fake_step("xs_set_permissions") )
        return false;
    n = lookup(path);
    if ( !n || num > 4 )
    {
        errno = n ? EINVAL : ENOENT;
        return false;
    }
    memcpy(n->perms, perms, num * sizeof(*perms));
    n->nr_perms = num;
    return true;
}

xs_transaction_t xs_transaction_start(struct xs_handle *h)
{
    if ( fake_step("xs_transaction_start") )
        return XBT_NULL;
    store_copy(&snapshot, &store);
    in_txn = true;
    return 1;
}

bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
    bool fail = !abort && fake_step("xs_transaction_end");

    if ( !abort && !fail && fake.txn_eagain > 0 )
    {
        fake.txn_eagain--;
        errno = EAGAIN;
        fail = true;
    }
    if ( abort || fail )
        store_copy(&store, &snapshot);
    in_txn = false;
    return !fail;
}

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid, unsigned long mfn,
                         unsigned int eventchn)
{
    if ( fake_step("xs_introduce_domain") )
        return false;
    fake.introduced[domid] = true;
    return true;
}

bool xs_release_domain(struct xs_handle *h, unsigned int domid)
{
    if ( fake_step("xs_release_domain") )
        return false;
    fake.introduced[domid] = false;
    return true;
}

bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid)
{
    return domid < FAKE_MAX_DOMS && fake.introduced[domid];
}

bool xs_watch(struct xs_handle *h, const char *path, const char *token)
{
    return !fake_step("xs_watch");
}

bool xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
    return true;
}

int xs_fileno(struct xs_handle *h)
{
    return watch_pipe[0];
}

/* The guests that answer suspend requests, as xenbus would. */
static void guests_run(void)
{
    for ( unsigned int id = 1; id < FAKE_MAX_DOMS; id++ )
    {
        struct fake_dom *d = &fake.dom[id];
        char path[64];
        struct node *n;

        snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", id);
        n = lookup(path);
        if ( !d->exists || !d->guest_takes_suspend || !n || !n->value ||
             strcmp(n->value, "suspend") )
            continue;
        n->value[0] = '\0';
        if ( !d->guest_only_takes )
        {
            d->shutdown = true;
            d->shutdown_reason = 2; /* SHUTDOWN_suspend */
        }
    }
}

char **xs_check_watch(struct xs_handle *h)
{
    struct fake_dom *d = &fake.dom[fake.shutdown_domid];

    guests_run();

    if ( ++fake.check_watch_calls == (unsigned int)fake.shutdown_after_checks )
        d->shutdown = true;
    errno = EAGAIN;
    return NULL;
}

/* --- the hypervisor ------------------------------------------------------ */

struct xc_interface_core
{
    int unused;
};
struct xenforeignmemory_handle
{
    int unused;
};

xc_interface *xc_interface_open(struct xentoollog_logger *l, struct xentoollog_logger *d,
                                unsigned int f)
{
    if ( fake_step("xc_interface_open") )
        return NULL;
    fake.open_handles++;
    return calloc(1, sizeof(xc_interface));
}

int xc_interface_close(xc_interface *xch)
{
    fake.open_handles--;
    free(xch);
    return 0;
}

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *l, unsigned int f)
{
    if ( fake_step("xenforeignmemory_open") )
        return NULL;
    fake.open_handles++;
    return calloc(1, sizeof(xenforeignmemory_handle));
}

int xenforeignmemory_close(xenforeignmemory_handle *h)
{
    fake.open_handles--;
    free(h);
    return 0;
}

static struct fake_dom *dom(uint32_t domid)
{
    if ( domid >= FAKE_MAX_DOMS || !fake.dom[domid].exists )
    {
        errno = ESRCH;
        return NULL;
    }
    return &fake.dom[domid];
}

int xc_domain_create(xc_interface *xch, uint32_t *pdomid, struct xen_domctl_createdomain *config)
{
    uint32_t id;

    if ( fake_step("xc_domain_create") )
        return -1;
    for ( id = 1; id < FAKE_MAX_DOMS && fake.dom[id].exists; id++ )
        ;
    if ( id == FAKE_MAX_DOMS )
    {
        errno = ENOSPC;
        return -1;
    }
    memset(&fake.dom[id], 0, sizeof(fake.dom[id]));
    fake.dom[id].exists = true;
    fake.dom[id].paused = true;
    fake.dom[id].max_vcpus = config->max_vcpus;
    memcpy(fake.dom[id].handle, config->handle, 16);
    *pdomid = id;
    return 0;
}

int xc_domain_destroy(xc_interface *xch, uint32_t domid)
{
    struct fake_dom *d;

    if ( fake_step("xc_domain_destroy") || !(d = dom(domid)) )
        return -1;
    d->exists = false;
    return 0;
}

int xc_domain_pause(xc_interface *xch, uint32_t domid)
{
    struct fake_dom *d;

    if ( fake_step("xc_domain_pause") || !(d = dom(domid)) )
        return -1;
    d->paused = true;
    return 0;
}

int xc_domain_unpause(xc_interface *xch, uint32_t domid)
{
    struct fake_dom *d;

    if ( fake_step("xc_domain_unpause") || !(d = dom(domid)) )
        return -1;
    d->paused = false;
    return 0;
}

static void fill_info(uint32_t id, xc_domaininfo_t *info)
{
    struct fake_dom *d = &fake.dom[id];

    memset(info, 0, sizeof(*info));
    info->domain = id;
    info->flags = XEN_DOMINF_hvm_guest | (d->paused ? XEN_DOMINF_paused : 0) |
                  (d->dying ? XEN_DOMINF_dying : 0) | (d->shutdown ? XEN_DOMINF_shutdown : 0) |
                  (d->shutdown_reason << XEN_DOMINF_shutdownshift) |
                  (!d->paused && !d->shutdown ? XEN_DOMINF_blocked : 0);
    info->tot_pages = id ? 32768 : 65536; /* 128 MiB, 256 MiB */
    info->max_pages = d->maxmem_kb / 4;
    info->cpu_time = 1500000000ULL * (id + 1);
    info->nr_online_vcpus = d->max_vcpus;
    info->max_vcpu_id = d->max_vcpus ? d->max_vcpus - 1 : XEN_INVALID_MAX_VCPU_ID;
    memcpy(info->handle, d->handle, 16);
}

int xc_domain_getinfo_single(xc_interface *xch, uint32_t domid, xc_domaininfo_t *info)
{
    if ( fake_step("xc_domain_getinfo_single") || !dom(domid) )
        return -1;
    fill_info(domid, info);
    return 0;
}

int xc_domain_getinfolist(xc_interface *xch, uint32_t first, unsigned int max,
                          xc_domaininfo_t *info)
{
    unsigned int n = 0;
    uint32_t id;

    if ( fake_step("xc_domain_getinfolist") )
        return -1;
    for ( id = first; id < FAKE_MAX_DOMS && n < max; id++ )
        if ( fake.dom[id].exists )
            fill_info(id, &info[n++]);
    return n;
}

int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb)
{
    struct fake_dom *d;

    if ( fake_step("xc_domain_setmaxmem") || !(d = dom(domid)) )
        return -1;
    d->maxmem_kb = max_memkb;
    return 0;
}

int xc_set_paging_mempool_size(xc_interface *xch, uint32_t domid, uint64_t size)
{
    struct fake_dom *d;

    if ( fake_step("xc_set_paging_mempool_size") || !(d = dom(domid)) )
        return -1;
    d->pool_bytes = size;
    return 0;
}

int xc_hvm_param_set(xc_interface *xch, uint32_t domid, uint32_t param, uint64_t value)
{
    struct fake_dom *d;

    if ( fake_step("xc_hvm_param_set") || !(d = dom(domid)) )
        return -1;
    if ( param == HVM_PARAM_ALTP2M )
        d->altp2m = value;
    return 0;
}

int xc_evtchn_alloc_unbound(xc_interface *xch, uint32_t domid, uint32_t remote_domid)
{
    struct fake_dom *d;

    if ( fake_step("xc_evtchn_alloc_unbound") || !(d = dom(domid)) )
        return -1;
    return ++d->nr_ports;
}

int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu, xc_vcpuinfo_t *info)
{
    struct fake_dom *d;

    if ( fake_step("xc_vcpu_getinfo") || !(d = dom(domid)) )
        return -1;
    memset(info, 0, sizeof(*info));
    info->vcpu = vcpu;
    info->online = 1;
    info->running = vcpu == 0;
    info->blocked = vcpu != 0;
    info->cpu = vcpu % 2;
    info->cpu_time = 2500000000ULL * (vcpu + 1);
    return 0;
}

int xc_physinfo(xc_interface *xch, xc_physinfo_t *info)
{
    if ( fake_step("xc_physinfo") )
        return -1;
    memset(info, 0, sizeof(*info));
    info->threads_per_core = 1;
    info->cores_per_socket = 2;
    info->nr_cpus = 2;
    info->max_cpu_id = 1;
    info->nr_nodes = 1;
    info->cpu_khz = 2400000;
    info->total_pages = 262144; /* 1 GiB */
    info->free_pages = 131072;
    info->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap;
    return 0;
}

int xc_readconsolering(xc_interface *xch, char *buffer, unsigned int *pnr_chars, int clear,
                       int incremental, uint32_t *pindex)
{
    size_t len = strlen(fake.console), from = *pindex, n;

    if ( fake_step("xc_readconsolering") )
        return -1;
    n = from < len ? len - from : 0;
    if ( n > *pnr_chars )
        n = *pnr_chars;
    memcpy(buffer, fake.console + from, n);
    *pnr_chars = n;
    *pindex = from + n;
    if ( clear && !n )
        fake.console[0] = '\0';
    return 0;
}

int xc_version(xc_interface *xch, int cmd, void *arg)
{
    struct xen_compile_info *ci = arg;

    if ( fake_step("xc_version") )
        return -1;
    switch ( cmd )
    {
    case XENVER_version: return 4 << 16 | 19;
    case XENVER_extraversion: strcpy(arg, "-wren"); return 0;
    case XENVER_capabilities: strcpy(arg, "hvm-3.0-x86_64 hvm-3.0-x86_32"); return 0;
    case XENVER_changeset: strcpy(arg, "abc123"); return 0;
    case XENVER_commandline: strcpy(arg, "console=com1"); return 0;
    case XENVER_pagesize: return 4096;
    case XENVER_compile_info:
        strcpy(ci->compiler, "gcc");
        strcpy(ci->compile_by, "wren");
        strcpy(ci->compile_domain, "example.org");
        strcpy(ci->compile_date, "today");
        return 0;
    }
    errno = ENOSYS;
    return -1;
}

/* --- the console daemon (xenconsoled.h) ------------------------------------ */

int console_add_domain(unsigned int domid, unsigned long ring_gfn, unsigned int port)
{
    if ( fake_step("console_add_domain") )
        return -EIO;
    if ( domid >= FAKE_MAX_DOMS || fake.console_added[domid] )
        return -EEXIST;
    fake.console_added[domid] = true;
    return 0;
}

int console_remove_domain(unsigned int domid)
{
    if ( domid >= FAKE_MAX_DOMS || !fake.console_added[domid] )
        return -ENOENT;
    fake.console_added[domid] = false;
    return 0;
}

/* --- the builder --------------------------------------------------------- */

int xc_pvh_build(xc_interface *xch, xenforeignmemory_handle *fmem, uint32_t domid,
                 struct xc_pvh_dom *d)
{
    struct fake_dom *fd;

    d->error = NULL;
    if ( fake_step("xc_pvh_build") || !(fd = dom(domid)) )
    {
        d->error = "no PHYS32_ENTRY note";
        return -1;
    }
    if ( !d->kernel || d->kernel_size < 4 || memcmp(d->kernel, "\177ELF", 4) )
    {
        d->error = "not an ELF image";
        errno = EINVAL;
        return -1;
    }
    d->store_pfn = 0x9c;
    d->console_pfn = 0x9e;
    fd->built = true;
    return 0;
}

/* --- save and restore ------------------------------------------------------ */

static int save_step = -1; /* the final_step xc_domain_save is in */

int xc_wren_break_gfn(xc_interface *xch, uint32_t cpu, uint32_t domid, uint64_t gfn,
                      uint32_t offset)
{
    if ( fake_step("xc_wren_break_gfn") || !dom(domid) )
        return errno = ESRCH, -1;
    fake.broke_domid = (int)domid;
    fake.broke_gfn = gfn;
    fake.broke_at_step = save_step;
    return 0;
}

/* Every step of the final round, with one batch: pfns 0x300-0x31f. */
static void final_steps(struct save_callbacks *cb)
{
    xen_pfn_t batch[32];

    for ( unsigned int i = 0; i < 32; i++ )
        batch[i] = 0x300 + i;
    for ( int st = XC_SR_STEP_STOPPED; cb->final_step && st <= XC_SR_STEP_TAIL; st++ )
    {
        bool whole = st == XC_SR_STEP_STOPPED || st == XC_SR_STEP_TAIL;

        save_step = st;
        cb->final_step(cb->data, (enum xc_sr_step)st, whole ? NULL : batch, whole ? 0 : 32);
    }
    save_step = -1;
}

/* A "stream" is the four bytes GOOD; anything else is refused as the
 * real reader would refuse it. */
int xc_domain_save(xc_interface *xch, int io_fd, uint32_t domid, uint32_t flags,
                   struct save_callbacks *cb)
{
    struct fake_dom *fd;

    if ( fake_step("xc_domain_save") || !(fd = dom(domid)) )
    {
        snprintf(cb->error, sizeof(cb->error), "pausing domain %u: failed", domid);
        return errno = EIO, -1;
    }
    if ( cb->suspend && cb->suspend(cb->data) )
    {
        snprintf(cb->error, sizeof(cb->error), "the guest did not suspend");
        return -1;
    }
    if ( !cb->suspend )
        fd->paused = true;
    final_steps(cb);
    if ( fake.save_fails )
    {
        snprintf(cb->error, sizeof(cb->error), "writing the stream: No space left on device");
        return errno = ENOSPC, -1;
    }
    if ( write(io_fd, "GOOD", 4) != 4 )
        return errno = EIO, -1;
    fake.save_flags = flags;
    fake.saves++;
    if ( flags & XCFLAGS_WREN_DIRTY_RING )
        cb->stats.ring_entries = 5, cb->stats.ring_bitmap_rounds = 1;
    return 0;
}

/* Only a suspended domain resumes (the hypervisor's rule). */
int xc_domain_resume(xc_interface *xch, uint32_t domid, int fast)
{
    struct fake_dom *d;

    if ( fake_step("xc_domain_resume") || !(d = dom(domid)) )
        return -1;
    if ( d->shutdown && d->shutdown_reason != 2 )
        return errno = EINVAL, -1;
    d->resumed++;
    d->resumed_fast += fast != 0;
    d->shutdown = false;
    return 0;
}

/* What a live save's log-dirty used: write-protect, nothing counted. */
int xc_wren_logdirty_stats(xc_interface *xch, uint32_t domid,
                           struct xen_domctl_wren_logdirty *stats)
{
    if ( !dom(domid) )
        return errno = ESRCH, -1;
    memset(stats, 0, sizeof(*stats));
    stats->mech = WREN_LOGDIRTY_MECH_WP;
    return 0;
}

int xc_domain_restore(xc_interface *xch, int io_fd, uint32_t domid, unsigned int store_evtchn,
                      unsigned long *store_mfn, uint32_t store_domid, unsigned int console_evtchn,
                      unsigned long *console_mfn, uint32_t console_domid,
                      struct restore_callbacks *cb)
{
    char buf[4] = { 0 };
    struct fake_dom *fd;

    if ( fake_step("xc_domain_restore") || !(fd = dom(domid)) || read(io_fd, buf, 4) != 4 ||
         memcmp(buf, "GOOD", 4) )
    {
        snprintf(cb->error, sizeof(cb->error), "record PAGE_DATA (0x1) at offset 0x30: truncated");
        return errno = EINVAL, -1;
    }
    *store_mfn = 0x9c;
    *console_mfn = 0x9e;
    fd->built = true;
    return 0;
}
