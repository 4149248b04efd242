/*
 * bench/native-kernels: the host's drift, seen without a JIT, for bench/precision. The
 * same work as bench/kernels.ts (FNV-1a hash, word counts, sieve) in C, pinned to one
 * CPU, timed in ~1 ms batches, reported as the median ns per call of one run. No JIT,
 * no GC, no worker: the spread of its figure from run to run is the host's (other
 * tenants, caches, frequency) as a plain one-window measurement meets it.
 *
 *   gcc -O2 -o native-kernels bench/native-kernels.c
 *   ./native-kernels <hash50ns|words2us|sieve200us> <argument> <milliseconds> <cpu>
 *
 * Prints one number (ns per call). Built and run by bench/precision.ts.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Keeps the compiler from hoisting a call out of the timed loop or dropping it. */
#define OPAQUE() __asm__ volatile("" ::: "memory")

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

__attribute__((noinline)) static uint32_t hash50ns(const char *text) {
  uint32_t h = 0x811c9dc5u;
  for (const char *p = text; *p; p++) {
    h ^= (uint8_t)*p;
    h *= 0x01000193u;
  }
  return h;
}

/* A fresh table per call, as the JavaScript kernel makes a fresh Map per call. */
#define SLOTS 256
#define WORD_MAX 32
struct entry {
  char word[WORD_MAX];
  int count;
};

__attribute__((noinline)) static uint32_t words2us(const char *text) {
  struct entry *table = calloc(SLOTS, sizeof *table);
  int size = 0;
  int best = 0;
  const char *start = NULL;
  for (const char *p = text;; p++) {
    int letter = isalpha((unsigned char)*p);
    if (letter && !start) start = p;
    else if (!letter && start) {
      char word[WORD_MAX];
      size_t n = (size_t)(p - start) < WORD_MAX - 1 ? (size_t)(p - start) : WORD_MAX - 1;
      for (size_t i = 0; i < n; i++) word[i] = (char)tolower((unsigned char)start[i]);
      word[n] = 0;
      uint32_t slot = hash50ns(word) % SLOTS;
      while (table[slot].count && strcmp(table[slot].word, word) != 0) slot = (slot + 1) % SLOTS;
      if (!table[slot].count) {
        memcpy(table[slot].word, word, n + 1);
        size++;
      }
      if (++table[slot].count > best) best = table[slot].count;
      start = NULL;
    }
    if (!*p) break;
  }
  free(table);
  return (uint32_t)(best * 1000 + size);
}

__attribute__((noinline)) static uint32_t sieve200us(int limit) {
  uint8_t *composite = calloc((size_t)limit + 1, 1);
  uint32_t count = 0;
  for (long i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    count++;
    for (long j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  free(composite);
  return count;
}

static int kernel;
static const char *text;
static int limit;

static uint32_t call(void) {
  if (kernel == 0) return hash50ns(text);
  if (kernel == 1) return words2us(text);
  return sieve200us(limit);
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: native-kernels <hash50ns|words2us|sieve200us> <argument> <milliseconds> <cpu>\n");
    return 2;
  }
  if (strcmp(argv[1], "hash50ns") == 0) kernel = 0;
  else if (strcmp(argv[1], "words2us") == 0) kernel = 1;
  else if (strcmp(argv[1], "sieve200us") == 0) kernel = 2;
  else {
    fprintf(stderr, "native-kernels: unknown kernel %s\n", argv[1]);
    return 2;
  }
  text = argv[2];
  limit = atoi(argv[2]);
  double ms = atof(argv[3]);
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(atoi(argv[4]), &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) fprintf(stderr, "native-kernels: not pinned\n");

  volatile uint32_t sink = 0;
  /* Batch so one timed batch lasts about 1 ms, after ~100 ms of warm calls. */
  long batch = 1;
  for (double warm_end = now_ns() + 100e6; now_ns() < warm_end;) {
    double t0 = now_ns();
    for (long i = 0; i < batch; i++) {
      sink ^= call();
      OPAQUE();
    }
    if (now_ns() - t0 < 1e6) batch *= 2;
  }
  size_t cap = (size_t)(ms * 4) + 16, n = 0;
  double *per_call = malloc(cap * sizeof *per_call);
  for (double end = now_ns() + ms * 1e6; now_ns() < end && n < cap;) {
    double t0 = now_ns();
    for (long i = 0; i < batch; i++) {
      sink ^= call();
      OPAQUE();
    }
    per_call[n++] = (now_ns() - t0) / batch;
  }
  qsort(per_call, n, sizeof *per_call, by_value);
  printf("%.3f\n", per_call[n / 2]);
  free(per_call);
  return sink == 0xdeadbeef; /* uses sink; practically always 0 */
}
