// Degree-ordered triangle count, the yardstick for `eddy triangles --count` (not part of the
// package). Usage: triangles EDGES; prints the number of triangles of the undirected simple
// view (direction ignored, self-loops and repeated edges dropped), as eddy counts them: each
// edge oriented from the lower-ranked end (degree, then id) to the higher, then for every
// oriented edge v->u a sorted merge of the two forward lists, on every core (OpenMP).
#include "edge_list.hpp"
#include <algorithm>
#include <chrono>

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: triangles EDGES\n"); return 2; }
  auto t0 = std::chrono::steady_clock::now();
  EdgeList g = read_edge_list(argv[1]);
  auto t1 = std::chrono::steady_clock::now();
  const int32_t n = g.vertices;
  const size_t m = g.source.size();
  // Undirected adjacency: both directions, then each list sorted and deduplicated.
  std::vector<int64_t> offsets(n + 1, 0);
  for (size_t e = 0; e < m; e++) {
    if (g.source[e] == g.target[e]) continue;
    offsets[g.source[e] + 1]++;
    offsets[g.target[e] + 1]++;
  }
  for (int32_t v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  std::vector<int32_t> all(offsets[n]);
  {
    std::vector<int64_t> cursor(offsets.begin(), offsets.end() - 1);
    for (size_t e = 0; e < m; e++) {
      int32_t s = g.source[e], t = g.target[e];
      if (s == t) continue;
      all[cursor[s]++] = t;
      all[cursor[t]++] = s;
    }
  }
  std::vector<int32_t> degree(n);
#pragma omp parallel for schedule(dynamic, 1024)
  for (int32_t v = 0; v < n; v++) {
    int32_t *begin = all.data() + offsets[v], *end = all.data() + offsets[v + 1];
    std::sort(begin, end);
    degree[v] = int32_t(std::unique(begin, end) - begin);
  }
  auto ranks_before = [&](int32_t a, int32_t b) {
    return degree[a] < degree[b] || (degree[a] == degree[b] && a < b);
  };
  std::vector<int64_t> forward_offsets(n + 1, 0);
  for (int32_t v = 0; v < n; v++) {
    int64_t count = 0;
    for (int64_t e = offsets[v]; e < offsets[v] + degree[v]; e++) count += ranks_before(v, all[e]);
    forward_offsets[v + 1] = forward_offsets[v] + count;
  }
  std::vector<int32_t> forward(forward_offsets[n]);
#pragma omp parallel for schedule(dynamic, 1024)
  for (int32_t v = 0; v < n; v++) {
    int64_t write = forward_offsets[v];
    for (int64_t e = offsets[v]; e < offsets[v] + degree[v]; e++)
      if (ranks_before(v, all[e])) forward[write++] = all[e];
  }
  auto t2 = std::chrono::steady_clock::now();
  int64_t triangles = 0;
#pragma omp parallel for schedule(dynamic, 64) reduction(+ : triangles)
  for (int32_t v = 0; v < n; v++) {
    const int64_t v_end = forward_offsets[v + 1];
    for (int64_t e = forward_offsets[v]; e < v_end; e++) {
      int32_t u = forward[e];
      int64_t i = forward_offsets[v], j = forward_offsets[u];
      const int64_t u_end = forward_offsets[u + 1];
      while (i < v_end && j < u_end) {
        int32_t x = forward[i], y = forward[j];
        if (x < y) i++;
        else if (x > y) j++;
        else { triangles++; i++; j++; }
      }
    }
  }
  auto t3 = std::chrono::steady_clock::now();
  auto s = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  printf("%lld\n", (long long)triangles);
  fprintf(stderr, "read %.3f s, orient %.3f s, count %.3f s\n", s(t0, t1), s(t1, t2), s(t2, t3));
  return 0;
}
