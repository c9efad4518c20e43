#!/usr/bin/env python3
"""Writes the data sets eddy ships (data/*.csv, data/*.tsv) from Debian's copies, no network needed.

Run from anywhere with Debian's packages (bookworm: scikit-learn 1.2, networkx 2.8):
    sudo apt-get install python3-sklearn python3-networkx
    /usr/bin/python3 scripts/make_datasets.py
The output is deterministic: running it again leaves data/ unchanged. Provenance and licences
are in data/README.md; the catalogue that loads them is src/datasets/catalogue.ts.
"""
import os

import networkx as nx
from sklearn import datasets

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")


def cell(value):
    if isinstance(value, str):
        return value
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def write_csv(folder, name, names, columns):
    with open(os.path.join(folder, name), "w", newline="\n") as out:
        out.write(",".join(names) + "\n")
        for row in zip(*columns):
            out.write(",".join(cell(v) for v in row) + "\n")


def feature_names(bunch):
    return [n.replace(" ", "_").replace("(", "").replace(")", "") for n in bunch.feature_names]


def write_edges(name, title, graph):
    with open(os.path.join(DATA, name), "w", newline="\n") as out:
        out.write(f"# {title}\n")
        for source, target, weight in graph.edges(data="weight"):
            out.write(f"{source}\t{target}\t{weight}\n")


def write_tables(folder):
    """Writes scikit-learn's five small tables as CSV into folder (test/fixtures/ml uses them too):
    column names without spaces or brackets, the label last; breast cancer's label is 1 for
    malignant (scikit-learn's target is 1 for benign)."""
    iris = datasets.load_iris()
    wine = datasets.load_wine()
    cancer = datasets.load_breast_cancer()
    digits = datasets.load_digits()
    diabetes = datasets.load_diabetes()
    write_csv(folder, "iris.csv", feature_names(iris) + ["species"],
              list(iris.data.T) + [[str(iris.target_names[t]) for t in iris.target]])
    write_csv(folder, "wine.csv", feature_names(wine) + ["class"], list(wine.data.T) + [wine.target])
    write_csv(folder, "breast-cancer.csv", feature_names(cancer) + ["malignant"],
              list(cancer.data.T) + [1 - cancer.target])
    write_csv(folder, "digits.csv", [f"pixel{j}" for j in range(64)] + ["digit"],
              list(digits.data.T) + [digits.target])
    write_csv(folder, "diabetes.csv", feature_names(diabetes) + ["progression"],
              list(diabetes.data.T) + [diabetes.target])


def main():
    write_tables(DATA)
    write_edges("lesmis.tsv", "Les Miserables co-appearance network (Knuth), from networkx.les_miserables_graph()",
                nx.les_miserables_graph())
    karate = nx.karate_club_graph()
    write_edges("karate.tsv", "Zachary's karate club (Zachary 1977), from networkx.karate_club_graph(); "
                "weight: the number of contexts in which the two members interacted", karate)
    write_csv(DATA, "karate-clubs.csv", ["vertex", "club"],
              [list(karate.nodes), [karate.nodes[v]["club"] for v in karate.nodes]])


if __name__ == "__main__":
    main()
