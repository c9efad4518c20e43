// Union-find weakly connected components, the yardstick for `eddy components` (not part of
// the package). Usage: components EDGES OUTPUT. Labels each vertex with the smallest key of
// its component, as eddy does.
#include "edge_list.hpp"

static int32_t find(std::vector<int32_t> &parent, int32_t v) {
  while (parent[v] != v) { parent[v] = parent[parent[v]]; v = parent[v]; }
  return v;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: components EDGES OUTPUT\n"); return 2; }
  PhaseTimer timer;
  EdgeList g = read_edge_list(argv[1]);
  const double read_s = timer.lap();
  const int32_t n = g.vertices;
  std::vector<int32_t> parent(n);
  for (int32_t v = 0; v < n; v++) parent[v] = v;
  for (size_t e = 0; e < g.source.size(); e++) {
    int32_t a = find(parent, g.source[e]), b = find(parent, g.target[e]);
    if (a != b) parent[a < b ? b : a] = a < b ? a : b;
  }
  std::vector<int64_t> smallest(n, INT64_MAX);
  for (int32_t v = 0; v < n; v++) {
    int32_t r = find(parent, v);
    if (g.key[v] < smallest[r]) smallest[r] = g.key[v];
  }
  const double link_s = timer.lap();
  FILE *out = fopen(argv[2], "w");
  if (!out) { perror(argv[2]); return 1; }
  std::vector<char> buffer(1 << 20);
  setvbuf(out, buffer.data(), _IOFBF, buffer.size());
  for (int32_t v = 0; v < n; v++) fprintf(out, "%lld\t%lld\n", (long long)g.key[v], (long long)smallest[find(parent, v)]);
  fclose(out);
  fprintf(stderr, "read %.2f s, link %.2f s, write %.2f s\n", read_s, link_s, timer.lap());
  return 0;
}
