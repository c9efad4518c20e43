/** HITS hubs and authorities, a two-step program on the typed gather-sum-apply path. */
export { HITS_DEFAULTS, type HitsOptions, HitsResult, hits } from './hits.js';
