// Shared by the C++ yardsticks: read a whitespace-separated integer edge list (comments
// starting with # or %, an optional third column ignored) into arrays of dense vertex ids.
// This is a measuring stick for eddy's benchmarks, not part of the package.
#pragma once
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

inline EdgeList read_edge_list(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) { perror(path); exit(1); }
  struct stat st;
  fstat(fd, &st);
  const char *data = static_cast<const char *>(mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0));
  const char *end = data + st.st_size;
  int threads = omp_get_max_threads();
  std::vector<std::vector<int64_t>> src(threads), dst(threads);
  // Each thread parses the lines that start in its byte range.
#pragma omp parallel num_threads(threads)
  {
    int t = omp_get_thread_num();
    const char *p = data + st.st_size * t / threads;
    const char *stop = data + st.st_size * (t + 1) / threads;
    if (t > 0 && p[-1] != '\n') p = skip_line(p, end);
    while (p < stop) {
      if (*p == '#' || *p == '%' || *p == '\n') { p = skip_line(p, end); continue; }
      int64_t s, d;
      p = parse_int(p, end, s);
      p = parse_int(p, end, d);
      src[t].push_back(s);
      dst[t].push_back(d);
      p = skip_line(p, end);
    }
  }
  int64_t max_key = -1;
  size_t m = 0;
  for (int t = 0; t < threads; t++) {
    m += src[t].size();
    for (auto k : src[t]) max_key = k > max_key ? k : max_key;
    for (auto k : dst[t]) max_key = k > max_key ? k : max_key;
  }
  // Dense ids in order of first appearance, like eddy's dictionary.
  std::vector<int32_t> id(max_key + 1, -1);
  EdgeList list;
  list.source.resize(m);
  list.target.resize(m);
  size_t e = 0;
  for (int t = 0; t < threads; t++) {
    for (size_t i = 0; i < src[t].size(); i++, e++) {
      int64_t a = src[t][i], b = dst[t][i];
      if (id[a] < 0) { id[a] = list.vertices++; list.key.push_back(a); }
      if (id[b] < 0) { id[b] = list.vertices++; list.key.push_back(b); }
      list.source[e] = id[a];
      list.target[e] = id[b];
    }
  }
  munmap(const_cast<char *>(data), st.st_size);
  close(fd);
  return list;
}
