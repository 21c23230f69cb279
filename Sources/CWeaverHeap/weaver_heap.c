#include "weaver_heap.h"

#include <stdlib.h>  /* defines __GLIBC__ on glibc */

#if defined(__GLIBC__)
#include <malloc.h>
#endif

weaver_heap_figures weaver_heap_read(void) {
  weaver_heap_figures figures = {-1, -1};
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 info = mallinfo2();
  figures.in_use = (long long)(info.uordblks + info.hblkhd);
  figures.mapped = (long long)(info.arena + info.hblkhd);
#endif
  return figures;
}
