#!/usr/bin/env python3
"""Peer baseline for reprint's quality benchmark: MinHash + LSH near-duplicate grouping
with datasketch, configured the way text-dedup's MinHash script tokenizes text.

    python datasketch_lsh.py CORPUS OUT_REPORT.json [--threshold T] [--num-perm P] [--ngram K]
                             [--min-length M] [--jobs J]

* CORPUS is a directory: every *.txt under it (sorted) is a document, its id the path relative
  to CORPUS with '/'. Or CORPUS is a JSON Lines file (*.jsonl): one record {"id", "text"} a
  line, in file order (the speed benchmark benches/e2e.sh uses this).
* Tokens: the text is lowercased and split on non-word characters (regex \\W, Unicode), as
  text-dedup does (empty tokens between adjacent separators are kept, as there).
  Shingles are word K-grams joined by spaces; a document with fewer than M tokens
  (text-dedup's --min_length, default 5) has no shingles and is left as a singleton;
  a document shorter than K tokens is one shingle.
* datasketch MinHash (num_perm P, seed 1) and MinHashLSH(threshold T), whose band/row split
  minimises the equally weighted false-positive + false-negative probability (as text-dedup).
  Every document is queried against the index and the results are joined by union-find, so the
  groups are the connected components of LSH candidate pairs (no Jaccard verification, like
  text-dedup).
* Writes {"schema": 1, "stats": {"documents": N}, "clusters": [{"members": [{"id": ...}, ...]}, ...]}
  with the clusters of size >= 2, members and clusters sorted.
"""

import argparse
import json
import os
import re
import sys
import time
from multiprocessing import Pool

from datasketch import LeanMinHash, MinHash, MinHashLSH

NON_WORD = re.compile(r"\W", re.UNICODE)

_CFG = {}


def shingles(text, k, min_length):
    tokens = NON_WORD.split(text.lower())
    if len(tokens) < min_length:
        return []
    if len(tokens) < k:
        return [" ".join(tokens).encode("utf-8")]
    return list({" ".join(tokens[i : i + k]).encode("utf-8") for i in range(len(tokens) - k + 1)})


def signature(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return signature_of_text(f.read())


def signature_of_text(text):
    sh = shingles(text, _CFG["ngram"], _CFG["min_length"])
    if not sh:
        return None
    # same permutations as MinHash(num_perm, seed=1) builds, generated once per process
    m = MinHash(num_perm=_CFG["num_perm"], seed=1, permutations=_CFG["permutations"])
    m.update_batch(sh)
    return m.hashvalues


def init(cfg):
    _CFG.update(cfg)
    _CFG["permutations"] = MinHash(num_perm=cfg["num_perm"], seed=1).permutations


def read_jsonl(path):
    """(id, text) of every record of a JSON Lines file, in order."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            out.append((str(rec.get("id", f"{path}:{n}")), rec.get("text") or ""))
    return out


def list_corpus(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            if name.endswith(".txt"):
                full = os.path.join(dirpath, name)
                out.append((os.path.relpath(full, root).replace(os.sep, "/"), full))
    out.sort()
    return out


class UnionFind:
    def __init__(self, n):
        self.parent = list(range(n))

    def find(self, x):
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus_dir")
    ap.add_argument("out_report")
    ap.add_argument("--threshold", type=float, default=0.45)
    ap.add_argument("--num-perm", type=int, default=256)
    ap.add_argument("--ngram", type=int, default=2)
    ap.add_argument("--min-length", type=int, default=5, help="text-dedup's --min_length (tokens)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for MinHashing")
    args = ap.parse_args()

    t0 = time.time()
    if os.path.isfile(args.corpus_dir):
        docs = read_jsonl(args.corpus_dir)
        work, fn = [t for _, t in docs], signature_of_text
    else:
        docs = list_corpus(args.corpus_dir)
        work, fn = [p for _, p in docs], signature
    if not docs:
        sys.exit(f"datasketch_lsh: no documents in {args.corpus_dir}")
    cfg = {"ngram": args.ngram, "min_length": args.min_length, "num_perm": args.num_perm}
    if args.jobs > 1 and len(work) > 200:
        with Pool(args.jobs, initializer=init, initargs=(cfg,)) as pool:
            sigs = pool.map(fn, work, chunksize=max(16, len(work) // (args.jobs * 16)))
    else:
        init(cfg)
        sigs = [fn(w) for w in work]
    del work
    t1 = time.time()

    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    minhashes = {}
    with lsh.insertion_session() as session:
        for i, hv in enumerate(sigs):
            if hv is None:
                continue
            m = LeanMinHash(seed=1, hashvalues=hv)
            minhashes[i] = m
            session.insert(i, m, check_duplication=False)
    uf = UnionFind(len(docs))
    for i, m in minhashes.items():
        for j in lsh.query(m):
            if j != i:
                uf.union(i, j)
    groups = {}
    for i in range(len(docs)):
        groups.setdefault(uf.find(i), []).append(docs[i][0])
    clusters = sorted(sorted(g) for g in groups.values() if len(g) >= 2)
    report = {
        "schema": 1,
        "stats": {"documents": len(docs)},
        "clusters": [{"members": [{"id": x} for x in g]} for g in clusters],
    }
    out_dir = os.path.dirname(os.path.abspath(args.out_report))
    os.makedirs(out_dir, exist_ok=True)
    with open(args.out_report, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False)
        f.write("\n")
    print(
        f"datasketch_lsh: {len(docs)} documents, {len(clusters)} clusters "
        f"(b={lsh.b}, r={lsh.r}; ngram {args.ngram}, threshold {args.threshold}, num_perm {args.num_perm}); "
        f"minhash {t1 - t0:.1f}s, lsh {time.time() - t1:.1f}s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
