// zlib, for reading gzip-compressed logs and captures (Debian: zlib1g-dev).
#include <zlib.h>
