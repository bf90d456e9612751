/*
 * wren/string.h - the memory and string functions of lib/string.c, with
 * the C library's names and meanings (the compiler emits calls to
 * memcpy, memset, memmove and memcmp by those names), plus number
 * parsing for command lines and configuration.
 *
 * Declarations only; compiles freestanding and hosted.
 */
#ifndef WREN_STRING_H
#define WREN_STRING_H

#include <wren/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
/* Copy at most n - 1 characters and terminate; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t n);

/*
 * Base 0 means 10, or 16 after "0x"; base 16 also skips a "0x". Stops at
 * the first character that is not a digit of the base; *end points there.
 */
unsigned long long simple_strtoull(const char *s, const char **end, unsigned int base);
/* Parse "64M", "1G", "4096K", "512B" or plain bytes; *end past the unit. */
unsigned long long parse_size_and_unit(const char *s, const char **end);

#endif /* WREN_STRING_H */
