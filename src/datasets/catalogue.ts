/**
 * The data sets shipped under the package's data/ folder (written by scripts/make_datasets.py;
 * provenance and licences in data/README.md).
 */

/** What a bundled data set holds: a table (CSV with a header) or a graph (an edge list). */
export type DatasetKind = 'table' | 'graph';

/** One bundled data set. */
export interface DatasetInfo {
  /** The name to load it by (`loadDataset(name)`, `eddy datasets path name`). */
  readonly name: string;
  readonly kind: DatasetKind;
  /** The file's name in the package's data/ folder. */
  readonly file: string;
  /** Rows of a table, edges of a graph. */
  readonly size: number;
  /** What it holds, in a line. */
  readonly description: string;
  /** Where it comes from. */
  readonly source: string;
  /** The licence it is distributed under. */
  readonly licence: string;
}

const UCI = 'UCI Machine Learning Repository (CC BY 4.0), as distributed by scikit-learn (BSD-3-Clause)';

/** Every bundled data set, by name. */
export const DATASETS: readonly DatasetInfo[] = [
  {
    name: 'iris',
    kind: 'table',
    file: 'iris.csv',
    size: 150,
    description: "Fisher's iris flowers: 4 measurements in cm, label 'species'",
    source: "R. A. Fisher (1936); scikit-learn's load_iris",
    licence: UCI,
  },
  {
    name: 'wine',
    kind: 'table',
    file: 'wine.csv',
    size: 178,
    description: "13 chemical measurements of wines from three cultivars, label 'class'",
    source: "M. Forina et al. (1988); scikit-learn's load_wine",
    licence: UCI,
  },
  {
    name: 'breast-cancer',
    kind: 'table',
    file: 'breast-cancer.csv',
    size: 569,
    description: "Breast Cancer Wisconsin (Diagnostic): 30 features, label 'malignant' (1 or 0)",
    source: "W. H. Wolberg, W. N. Street, O. L. Mangasarian (1995); scikit-learn's load_breast_cancer",
    licence: UCI,
  },
  {
    name: 'digits',
    kind: 'table',
    file: 'digits.csv',
    size: 1797,
    description: "8x8 images of handwritten digits: pixel0..pixel63 (0-16), label 'digit'",
    source: "E. Alpaydin, C. Kaynak (1998); scikit-learn's load_digits",
    licence: UCI,
  },
  {
    name: 'diabetes',
    kind: 'table',
    file: 'diabetes.csv',
    size: 442,
    description: "10 scaled baseline variables of diabetes patients, label 'progression'",
    source: "B. Efron et al. (2004), Least Angle Regression; scikit-learn's load_diabetes",
    licence: 'BSD-3-Clause (scikit-learn)',
  },
  {
    name: 'lesmis',
    kind: 'graph',
    file: 'lesmis.tsv',
    size: 254,
    description: 'Les Misérables character co-appearances: 77 vertices, weighted, each pair once',
    source: "D. E. Knuth (1993), The Stanford GraphBase; networkx's les_miserables_graph",
    licence: 'BSD-3-Clause (networkx)',
  },
  {
    name: 'karate',
    kind: 'graph',
    file: 'karate.tsv',
    size: 78,
    description: "Zachary's karate club: 34 members (0..33), weighted friendships, each pair once",
    source: "W. W. Zachary (1977); networkx's karate_club_graph",
    licence: 'BSD-3-Clause (networkx)',
  },
  {
    name: 'karate-clubs',
    kind: 'table',
    file: 'karate-clubs.csv',
    size: 34,
    description: "the club each karate member joined after the split: columns 'vertex', 'club'",
    source: "W. W. Zachary (1977); networkx's karate_club_graph",
    licence: 'BSD-3-Clause (networkx)',
  },
];
