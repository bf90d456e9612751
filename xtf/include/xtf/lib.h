/*
 * lib.h - the small C library of the XTF runtime: strings and printf.
 *
 * printf understands %d %i %u %x %X %o %s %c %p %% with the l, ll and z
 * length modifiers, a field width, '0' padding and '-' left alignment.
 */
#ifndef XTF_LIB_H
#define XTF_LIB_H

#include <xtf/types.h>

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *haystack, const char *needle);
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int printf(const char *fmt, ...) __printf(1, 2);
int vprintf(const char *fmt, va_list ap);

/* Print a message and end the test with FAILURE (and SHUTDOWN_crash). */
void __noreturn panic(const char *fmt, ...) __printf(1, 2);

#endif /* XTF_LIB_H */
