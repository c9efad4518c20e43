/**
 * Strongly connected components (an extension beyond Gelly's library): vertices that reach
 * each other along edge directions. Labelled like weakly connected components, with the
 * smallest-id member of the component, whichever method finds them.
 */
import { ParamError } from '../../../src/core/errors.js';
import type { Progress } from '../../../src/core/progress.js';
import type { VertexKey } from '../../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from '../graph-index.js';
import { VertexLabels } from '../vertex-labels.js';
import { colouredComponents } from './coloring.js';
import { tarjanComponents } from './tarjan.js';

/** Options of {@link stronglyConnectedComponents}. */
export interface StronglyConnectedOptions {
  /**
   * `'tarjan'` (default): one depth-first search, linear in vertices plus edges. `'coloring'`:
   * forward-backward colouring rounds on the typed gather-sum-apply path (a superstep costs
   * every edge; see bench/RESULTS.md for how many it takes).
   */
  method?: 'tarjan' | 'coloring';
  /**
   * Told how many vertices are done, as it goes (counts never go backwards): reached by the
   * search (tarjan) or labelled after each round (coloring).
   */
  progress?: Progress;
}

/** Strongly connected components: label = smallest dense id of the component. */
export function stronglyConnectedComponents<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: StronglyConnectedOptions = {},
): VertexLabels<K> {
  const method = options.method ?? 'tarjan';
  if (method !== 'tarjan' && method !== 'coloring') {
    throw new ParamError('method', method, "'tarjan' or 'coloring'");
  }
  const label =
    method === 'tarjan'
      ? tarjanComponents(graph.csr, options.progress)
      : colouredComponents(graph.csr, options.progress);
  return new VertexLabels(graph.dictionary, label, 'component');
}
