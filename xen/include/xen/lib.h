/*
 * lib.h - the hypervisor's small C library: string functions, formatted
 * output, logging with levels, panic and assertions.
 */
#ifndef XEN_LIB_H
#define XEN_LIB_H

#include <xen/types.h>
#include <stdarg.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t strlcpy(char *d, const char *s, size_t n);
unsigned long long simple_strtoull(const char *s, const char **end, unsigned int base);
/* Parse "64M", "1G", "4096K", plain bytes; *end past the number. */
unsigned long long parse_size_and_unit(const char *s, const char **end);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Log levels follow Xen's: a message may start with XENLOG_ERR etc. The
 * console drops messages above the threshold set by loglvl=.
 */
#define XENLOG_ERR     "<0>"
#define XENLOG_WARNING "<1>"
#define XENLOG_INFO    "<2>"
#define XENLOG_DEBUG   "<3>"

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);
__noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define ASSERT(p) do { if (unlikely(!(p))) \
    panic("Assertion '%s' failed at %s:%d", #p, __FILE__, __LINE__); } while (0)
#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(p) do { if (unlikely(p)) BUG(); } while (0)

#endif /* XEN_LIB_H */
