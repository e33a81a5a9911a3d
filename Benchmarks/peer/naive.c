/*
 * naive.c: the classic per-probe worm simulator, used by scripts/bench as the
 * peer the exact engine is compared with. Simulation only: it sends nothing
 * anywhere; a "probe" is one random number and one table lookup.
 *
 * Model: N vulnerable hosts placed uniformly at random on distinct addresses
 * of a 2^bits space; I0 of them infected at t = 0. Time advances in ticks of
 * one second; in every tick each host infected before the tick sends `rate`
 * probes, one at a time, to uniform random addresses (xoshiro256**). A probe
 * that hits a susceptible host infects it; the new victim probes from the next
 * tick on (a one-second infection delay). No reserved blocks, monitors,
 * patching or lifecycle: the point is the cost of drawing every probe.
 *
 * Host lookup by address:
 *   bits <= 24: a byte array of host states indexed by address (the classic);
 *   bits  > 24: -m filter (default) a bitmap of the occupied /24 blocks (2^(bits-8)
 *                         bits: 2 MiB for 2^32, fits in L2), then the hash on a hit;
 *               -m hash   an open-addressing hash of the N addresses only;
 *               -m bitmap a 2^bits-bit bitmap (512 MiB for 2^32) of vulnerable
 *                         addresses, then the hash only on a hit.
 *
 * Usage: naive [-b bits] [-n hosts] [-r rate] [-i initial] [-t seconds]
 *              [-p max_probes] [-s seed] [-m filter|hash|bitmap]
 * Prints one line of key=value pairs; probes_per_second counts the
 * simulation loop only (placement and table set-up excluded, reported apart).
 *
 * Build: cc -O2 -o naive naive.c
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t s[4];
static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static inline uint64_t next(void) {
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 45);
    return result;
}
static uint64_t splitmix(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double now(void) {
    struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

enum { EMPTY = 0, SUSCEPTIBLE = 1, INFECTED = 2 };

/* Open-addressing hash, linear probing: keys[] holds addresses (0 marks an empty slot,
 * so no host is placed at address 0), vals[] the host index; load factor <= 1/2, so for
 * 360,000 hosts the key table is 4 MiB. */
static uint32_t *keys, *vals; static unsigned hbits; static uint32_t hmask;
static inline uint32_t hslot(uint32_t a) { return (uint32_t)(((uint64_t)a * 0x9E3779B97F4A7C15ull) >> (64 - hbits)); }
static int hinsert(uint32_t a, uint32_t h) {
    for (uint32_t i = hslot(a);; i = (i + 1) & hmask) {
        if (keys[i] == 0) { keys[i] = a; vals[i] = h; return 1; }
        if (keys[i] == a) return 0;
    }
}
static inline int64_t hfind(uint32_t a) {
    for (uint32_t i = hslot(a);; i = (i + 1) & hmask) {
        if (keys[i] == a) return vals[i];
        if (keys[i] == 0) return -1;
    }
}

int main(int argc, char **argv) {
    int bits = 20; long n = 400; double rate = 10; long initial = 2; double seconds = 7200;
    double maxProbes = 0; uint64_t seed = 1; const char *mode = "filter";
    int c;
    while ((c = getopt(argc, argv, "b:n:r:i:t:p:s:m:")) != -1) {
        switch (c) {
        case 'b': bits = atoi(optarg); break;
        case 'n': n = atol(optarg); break;
        case 'r': rate = atof(optarg); break;
        case 'i': initial = atol(optarg); break;
        case 't': seconds = atof(optarg); break;
        case 'p': maxProbes = atof(optarg); break;
        case 's': seed = strtoull(optarg, 0, 10); break;
        case 'm': mode = optarg; break;
        default: fprintf(stderr, "usage: naive [-b bits] [-n hosts] [-r rate] [-i initial] [-t seconds] [-p max_probes] [-s seed] [-m filter|hash|bitmap]\n"); return 64;
        }
    }
    if (bits < 16 || bits > 32 || n < 1 || (double)n > 0.5 * (double)(1ull << bits) || initial < 1 || initial > n || rate <= 0) {
        fprintf(stderr, "naive: bad parameters\n"); return 64;
    }
    int useBitmap = strcmp(mode, "bitmap") == 0, useFilter = strcmp(mode, "filter") == 0;
    if (!useBitmap && !useFilter && strcmp(mode, "hash") != 0) { fprintf(stderr, "naive: unknown mode %s\n", mode); return 64; }
    int direct = bits <= 24;
    uint64_t sm = seed; for (int i = 0; i < 4; i++) s[i] = splitmix(&sm);
    const int shift = 64 - bits;
    double setup0 = now();

    uint8_t *stateAt = NULL;          /* direct: state per address */
    uint8_t *state = NULL;            /* hashed: state per host    */
    uint64_t *bitmap = NULL;
    uint32_t *address = malloc(sizeof(uint32_t) * n);
    uint32_t *infected = malloc(sizeof(uint32_t) * n);   /* infected list: addresses */
    if (direct) {
        stateAt = calloc((size_t)1 << bits, 1);
        for (long h = 0; h < n;) {
            uint32_t a = (uint32_t)(next() >> shift);
            if (stateAt[a] == EMPTY) { stateAt[a] = SUSCEPTIBLE; address[h++] = a; }
        }
    } else {
        hbits = 1; while ((1ull << hbits) < 2ull * (uint64_t)n) hbits++;
        hmask = (uint32_t)((1ull << hbits) - 1);        /* load factor <= 1/2 */
        keys = calloc((size_t)1 << hbits, sizeof(uint32_t));
        vals = calloc((size_t)1 << hbits, sizeof(uint32_t));
        state = calloc(n, 1);
        if (useBitmap || useFilter) bitmap = calloc(((size_t)1 << (useBitmap ? bits : bits - 8)) / 64, sizeof(uint64_t));
        if (!keys || !vals || !state || (useBitmap && !bitmap)) { fprintf(stderr, "naive: out of memory\n"); return 71; }
        for (long h = 0; h < n;) {
            uint32_t a = (uint32_t)(next() >> shift);
            if (a != 0 && hinsert(a, (uint32_t)h)) {
                state[h] = SUSCEPTIBLE; address[h++] = a;
                uint32_t b = useFilter ? a >> 8 : a;
                if (bitmap) bitmap[b >> 6] |= 1ull << (b & 63);
            }
        }
    }
    long ninf = 0;
    for (long h = 0; h < initial; h++) {        /* hosts were placed at random: take the first I0 */
        if (direct) stateAt[address[h]] = INFECTED; else state[h] = INFECTED;
        infected[ninf++] = address[h];
    }
    double setup = now() - setup0;

    const int fshift = useFilter ? 8 : 0;
    long whole = (long)rate; double frac = rate - whole;
    uint64_t probes = 0, limit = maxProbes > 0 ? (uint64_t)maxProbes : UINT64_MAX;
    long ticks = 0; int stopped = 0;
    double t0 = now();
    for (; ticks < (long)seconds && !stopped; ticks++) {
        long active = ninf;                      /* victims of this tick start next tick */
        for (long j = 0; j < active; j++) {
            long k = whole + (frac > 0 && (next() >> 11) * 0x1.0p-53 < frac);
            for (long p = 0; p < k; p++) {
                uint32_t target = (uint32_t)(next() >> shift);
                if (direct) {
                    if (stateAt[target] == SUSCEPTIBLE) { stateAt[target] = INFECTED; infected[ninf++] = target; }
                } else if (!bitmap || (bitmap[(target >> fshift) >> 6] >> ((target >> fshift) & 63) & 1)) {
                    int64_t h = hfind(target);
                    if (h >= 0 && state[h] == SUSCEPTIBLE) { state[h] = INFECTED; infected[ninf++] = target; }
                }
            }
            probes += k;
            if (probes >= limit) { stopped = 1; break; }
        }
    }
    double wall = now() - t0;
    printf("bits=%d hosts=%ld rate=%g mode=%s simulated_seconds=%ld infected=%ld probes=%llu loop_seconds=%.6f setup_seconds=%.6f probes_per_second=%.6e stopped_at_probe_limit=%d\n",
           bits, n, rate, direct ? "direct" : mode, ticks, ninf, (unsigned long long)probes,
           wall, setup, probes / (wall > 0 ? wall : 1e-9), stopped);
    return 0;
}
