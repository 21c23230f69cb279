#ifndef WEAVER_HEAP_H
#define WEAVER_HEAP_H

#include <stddef.h>

/// The allocator's figures for a runtime snapshot: bytes handed out and not returned, and
/// bytes held from the system. Both are -1 where the C library cannot tell (not glibc).
typedef struct {
  long long in_use;
  long long mapped;
} weaver_heap_figures;

weaver_heap_figures weaver_heap_read(void);

#endif
