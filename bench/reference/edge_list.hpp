// Shared by the C++ yardsticks: read a whitespace-separated integer edge list (comments
// starting with # or %, an optional third column ignored) into arrays of dense vertex ids.
// This is a measuring stick for eddy's benchmarks, not part of the package.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>
#include <omp.h>

struct EdgeList {
  std::vector<int32_t> source, target;  // dense ids
  std::vector<int64_t> key;             // dense id -> key as read
  int32_t vertices = 0;
};

static const char *skip_line(const char *p, const char *end) {
  while (p < end && *p != '\n') p++;
  return p < end ? p + 1 : end;
}

static const char *parse_int(const char *p, const char *end, int64_t &value) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == ',')) p++;
  int64_t v = 0;
  while (p < end && *p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
  value = v;
  return p;
}

// Parallel parse: each thread parses the lines that start in its byte range into int32 keys
// (R-MAT keys are below 2^31). Thread 0's arrays are sized for the whole file (pages cost
// nothing until written), the others are appended to them and freed one by one, so the peak
// is about 12 bytes per edge instead of the 16-40 of int64 vectors that grow by doubling;
// then keys are renumbered in place into dense ids in order of first appearance.
inline EdgeList read_edge_list(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) { perror(path); exit(1); }
  struct stat st;
  fstat(fd, &st);
  const char *data = static_cast<const char *>(mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0));
  const char *end = data + st.st_size;
  int threads = omp_get_max_threads();
  // Bytes per line, from the first MiB.
  size_t sample = st.st_size < (1 << 20) ? st.st_size : (1 << 20), lines = 1;
  for (size_t i = 0; i < sample; i++) lines += data[i] == '\n';
  const double line_bytes = (double)sample / lines;
  std::vector<std::vector<int32_t>> src(threads), dst(threads);
  int64_t max_key = -1;
#pragma omp parallel num_threads(threads) reduction(max : max_key)
  {
    int t = omp_get_thread_num();
    const char *p = data + st.st_size * t / threads;
    const char *stop = data + st.st_size * (t + 1) / threads;
    size_t expected = (size_t)((t == 0 ? st.st_size : stop - p) / line_bytes * 1.1) + 1024;
    src[t].reserve(expected);
    dst[t].reserve(expected);
    if (t > 0 && p[-1] != '\n') p = skip_line(p, end);
    while (p < stop) {
      if (*p == '#' || *p == '%' || *p == '\n') { p = skip_line(p, end); continue; }
      int64_t s, d;
      p = parse_int(p, end, s);
      p = parse_int(p, end, d);
      if (s > INT32_MAX || d > INT32_MAX) { fprintf(stderr, "key above 2^31\n"); exit(1); }
      if (s > max_key) max_key = s;
      if (d > max_key) max_key = d;
      src[t].push_back((int32_t)s);
      dst[t].push_back((int32_t)d);
      p = skip_line(p, end);
    }
  }
  EdgeList list;
  list.source.swap(src[0]);
  list.target.swap(dst[0]);
  for (int t = 1; t < threads; t++) {
    list.source.insert(list.source.end(), src[t].begin(), src[t].end());
    list.target.insert(list.target.end(), dst[t].begin(), dst[t].end());
    std::vector<int32_t>().swap(src[t]);
    std::vector<int32_t>().swap(dst[t]);
  }
  const size_t m = list.source.size();
  // Dense ids in order of first appearance, like eddy's dictionary.
  std::vector<int32_t> id(max_key + 1, -1);
  for (size_t e = 0; e < m; e++) {
    int32_t a = list.source[e], b = list.target[e];
    if (id[a] < 0) { id[a] = list.vertices++; list.key.push_back(a); }
    if (id[b] < 0) { id[b] = list.vertices++; list.key.push_back(b); }
    list.source[e] = id[a];
    list.target[e] = id[b];
  }
  munmap(const_cast<char *>(data), st.st_size);
  close(fd);
  return list;
}

// Seconds since the last lap (or since construction): the phase times the references print on
// stderr, to set beside eddy's --timings.
struct PhaseTimer {
  std::chrono::steady_clock::time_point mark = std::chrono::steady_clock::now();
  double lap() {
    auto now = std::chrono::steady_clock::now();
    double seconds = std::chrono::duration<double>(now - mark).count();
    mark = now;
    return seconds;
  }
};
