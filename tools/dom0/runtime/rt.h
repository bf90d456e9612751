/*
 * rt.h - the dom0 runtime's internal interfaces: what the files under
 * tools/dom0/runtime offer each other. Nothing outside the runtime
 * includes this: programs see only the Linux system calls musl makes.
 *
 * May not touch: tool code (tools/libs, xl, xenstored) or musl's
 * internals; the runtime reaches the hypervisor only through hypercall().
 */
#ifndef DOM0_RT_H
#define DOM0_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/stat.h>

/* ---- memory layout (design note: "## dom0 runtime") ---- */
#define RT_PAGE       4096UL
#define RT_WINDOW     0x100000000UL /* foreign mappings: [4 GiB, 5 GiB) */
#define RT_WINDOW_LEN 0x40000000UL

/* ---- hypercalls and the console (hypercall.c) ---- */
long hypercall(unsigned int nr, long a1, long a2, long a3, long a4, long a5);
void rt_hypercall_init(void);
void rt_console_write(const char *s, size_t n);
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void rt_shutdown(unsigned int reason);
extern bool rt_quiet_unknown;

/* ---- time (time.c) ---- */
void rt_time_init(void);
uint64_t rt_now(void); /* ns of Xen system time */

/* ---- memory (mem.c) ---- */
void rt_mem_init(uintptr_t start, uintptr_t end);
void *rt_pages_alloc(size_t bytes); /* zeroed; NULL when out */
void rt_pages_free(void *p, size_t bytes);
void *kalloc(size_t bytes); /* the runtime's own objects, zeroed */
void kfree(void *p);
void *window_alloc(size_t bytes);
bool window_owns(uintptr_t va, size_t len);
void window_note_mapped(uintptr_t va);
bool window_readonly(uintptr_t va); /* mmap()ed without PROT_WRITE */
long rt_window_free(uintptr_t va, size_t len);
int rt_guard_page(uintptr_t va);

/* ---- events and blocking (event.c) ---- */
struct rt_evdev;
void rt_event_init(void);
int rt_port_own(unsigned int port, struct rt_evdev *dev);
void rt_port_disown(unsigned int port);
struct rt_evdev *rt_port_owner(unsigned int port);
void rt_port_unmask(unsigned int port);
void rt_events_scan(void);
/* Called when the caller cannot progress: run the services; if they did
 * nothing, sleep until an event or deadline (0 = none). */
void rt_wait(uint64_t deadline);
void rt_console_port(unsigned int port);

/* ---- files (vfs.c) ---- */
struct rt_file;
struct rt_fops
{
    long (*read)(struct rt_file *f, void *buf, size_t n, int64_t *off);
    long (*write)(struct rt_file *f, const void *buf, size_t n, int64_t *off);
    long (*ioctl)(struct rt_file *f, unsigned long req, unsigned long arg);
    short (*poll)(struct rt_file *f); /* POLLIN/POLLOUT/POLLHUP now */
    void (*release)(struct rt_file *f);
    long (*mmap)(struct rt_file *f, size_t len);
    long (*getdents)(struct rt_file *f, void *buf, size_t n);
    int (*stat)(struct rt_file *f, struct stat *st);
    int (*open)(struct rt_file *f); /* devices: per-open state in f->priv */
};
struct rt_file
{
    const struct rt_fops *ops;
    void *priv;
    struct rt_node *node;
    int64_t pos;
    int flags; /* O_* as opened; O_NONBLOCK/O_APPEND settable */
    int refs;
};
struct rt_file *rt_file_new(const struct rt_fops *ops, void *priv, int flags);
int rt_fd_install(struct rt_file *f, int cloexec);
struct rt_file *rt_fd_get(int fd);
void rt_file_put(struct rt_file *f);
bool rt_file_nonblock(const struct rt_file *f);

/* ---- the file tree (fs.c) ---- */
enum rt_ntype
{
    RT_DIR,
    RT_REG,
    RT_DEV,
    RT_SOCK,
};
struct rt_node
{
    char name[64];
    enum rt_ntype type;
    mode_t mode;
    bool writable; /* may be changed (lives under /tmp or /run) */
    struct rt_node *parent, *child, *next;
    uint8_t *data; /* RT_REG */
    size_t size, cap;
    bool data_owned;
    const struct rt_fops *dev; /* RT_DEV */
    void *sock;                /* RT_SOCK: the listening socket */
    uint64_t ino;
    int opens;     /* files open on it */
    bool unlinked; /* freed when the last one closes */
};
void rt_fs_init(const void *cpio, size_t len);
int rt_lookup(int dirfd, const char *path, struct rt_node **out);
int rt_lookup_parent(int dirfd, const char *path, struct rt_node **dir, const char **leaf);
struct rt_node *rt_node_add(struct rt_node *dir, const char *name, enum rt_ntype t, mode_t m);
void rt_node_remove(struct rt_node *n);
void rt_node_detach(struct rt_node *n);
void rt_node_attach(struct rt_node *dir, struct rt_node *n);
void rt_node_stat(const struct rt_node *n, struct stat *st);
void rt_dev_add(const char *path, const struct rt_fops *ops);
long rt_fs_open(int dirfd, const char *path, int flags, mode_t mode);
struct rt_node *rt_fs_root(void);

/* ---- devices ---- */
extern const struct rt_fops rt_console_fops, rt_privcmd_fops, rt_evtchn_fops, rt_null_fops;
extern const struct rt_fops rt_link_fops;
/* A poll found a device that has no event to wake it (the link): the
 * next block sleeps at most a millisecond. */
extern bool rt_poll_soon;
int rt_console_open_std(void);
void rt_console_poll_input(void);
long rt_privcmd_munmap(uintptr_t va, size_t len);

/* ---- sockets and pipes (sock.c) ---- */
long rt_sock_syscall(long nr, const long *a);

/* ---- the system call table (syscall.c and its helpers) ---- */
struct rt_sysframe
{
    long nr, a[6];
};
long rt_syscall(struct rt_sysframe *f);
void rt_random_fill(void *buf, size_t n);
/* What a table returns for a number it does not have (never an errno). */
#define RT_UNHANDLED (-100000L)
long rt_sys_mem(long nr, const long *a);
long rt_sys_file(long nr, const long *a);
long rt_sys_time(long nr, const long *a);
long rt_sys_poll(long nr, const long *a);

/* Block until ready() or the file is non-blocking (-EAGAIN) or the
 * deadline passes (-ETIMEDOUT); 0 when ready. */
int rt_block(bool (*ready)(void *), void *arg, bool nonblock, uint64_t deadline);

/* ---- tasks (task.c) ---- */
/* Run another task until it blocks; false if there is none to run. */
bool rt_task_yield(void);

/* ---- the architecture's half (runtime/x86, runtime/arm64) ----
 * What the machine itself decides: how dom0 is entered and learns its
 * RAM, command line and ramdisk (then rt_main), how it traps system
 * calls and faults, calls the hypervisor, reads the cycle counter the
 * pvclock counts, switches task stacks, and makes a page fault. */
struct rt_boot
{
    const char *cmdline; /* NUL-terminated, or NULL */
    uintptr_t ram_end;   /* the end of the RAM above the image */
    const void *ramdisk; /* the cpio archive, or NULL */
    size_t ramdisk_len;
};
__attribute__((noreturn)) void rt_main(const struct rt_boot *b);
extern bool rt_hypercall_ready;                    /* hypercall() works */
void rt_arch_early_write(const char *s, size_t n); /* before it does */
uint64_t rt_cycles(void);                          /* pvclock's counter */
uint64_t rt_arch_entropy(void);                    /* hardware randomness, or 0 */
long rt_arch_syscall(long nr, const long *a);      /* calls of one arch only */
int rt_arch_guard_page(uintptr_t va);
/* The first stack pointer of a task that rt_task_switch enters at entry. */
uint64_t rt_arch_task_sp(uint8_t *stack, size_t size, void (*entry)(void));
void rt_task_switch(uint64_t *save, uint64_t next);
__attribute__((noreturn)) void rt_enter_libc(void *sp, void (*entry)(void));
extern const char rt_arch_machine[]; /* uname's machine */

/* ---- shared between runtime files ---- */
struct shared_info;
volatile struct shared_info *rt_shared_info(void);
void rt_console_kick(void);
void rt_evdev_fire(struct rt_evdev *dev, unsigned int port);
void rt_node_put(struct rt_node *n);
void rt_fd_clear(int fd);
bool rt_fd_cloexec(int fd, int set);
int rt_fd_install_at(struct rt_file *f, int fd, int cx);
void rt_traps_init(void);
extern bool rt_console_waiting;

#endif /* DOM0_RT_H */
