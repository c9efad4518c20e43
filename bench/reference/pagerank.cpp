// Tuned pull PageRank, the yardstick of eddy's graph benchmark (not part of the package).
// Usage: pagerank EDGES OUTPUT ITERATIONS. Same semantics as eddy's pageRank: start at 1/N,
// damping 0.85, sink mass and the random jump spread evenly, fixed number of iterations.
#include "edge_list.hpp"
#include <cstring>
#include <string>

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: pagerank EDGES OUTPUT ITERATIONS\n"); return 2; }
  const int iterations = atoi(argv[3]);
  const double damping = 0.85;
  PhaseTimer timer;
  EdgeList g = read_edge_list(argv[1]);
  const double read_s = timer.lap();
  const int32_t n = g.vertices;
  const size_t m = g.source.size();
  // In-edge CSR by counting sort, plus out-degrees.
  std::vector<int64_t> offset(n + 1, 0);
  std::vector<int32_t> out_degree(n, 0), in_source(m);
  for (size_t e = 0; e < m; e++) { offset[g.target[e] + 1]++; out_degree[g.source[e]]++; }
  for (int32_t v = 0; v < n; v++) offset[v + 1] += offset[v];
  {
    std::vector<int64_t> next(offset.begin(), offset.end() - 1);
    for (size_t e = 0; e < m; e++) in_source[next[g.target[e]]++] = g.source[e];
  }
  const double index_s = timer.lap();
  std::vector<double> rank(n, 1.0 / n), contribution(n), next_rank(n);
  for (int it = 0; it < iterations; it++) {
    double sink = 0;
#pragma omp parallel for reduction(+ : sink) schedule(static)
    for (int32_t v = 0; v < n; v++) {
      if (out_degree[v] == 0) { sink += rank[v]; contribution[v] = 0; }
      else contribution[v] = rank[v] / out_degree[v];
    }
    const double base = (1.0 - damping) / n + damping * sink / n;
#pragma omp parallel for schedule(dynamic, 4096)
    for (int32_t v = 0; v < n; v++) {
      double sum = 0;
      for (int64_t e = offset[v]; e < offset[v + 1]; e++) sum += contribution[in_source[e]];
      next_rank[v] = base + damping * sum;
    }
    rank.swap(next_rank);
  }
  const double rounds_s = timer.lap();
  FILE *out = fopen(argv[2], "w");
  if (!out) { perror(argv[2]); return 1; }
  std::vector<char> buffer(1 << 20);
  setvbuf(out, buffer.data(), _IOFBF, buffer.size());
  for (int32_t v = 0; v < n; v++) fprintf(out, "%lld\t%.17g\n", (long long)g.key[v], rank[v]);
  fclose(out);
  fprintf(stderr, "read %.2f s, index %.2f s, rounds %.2f s, write %.2f s\n", read_s, index_s, rounds_s, timer.lap());
  return 0;
}
