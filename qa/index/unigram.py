"""The bundled model's tokenizer in plain Python, for a fast cold start.

`tokenizers` takes ~1 s and ~260 MB to load the 250,002-piece unigram tokenizer.json; a
question needs a few dozen dictionary look-ups.  This reads the same pieces and scores from a
compact copy (`vocab.txt`, `scores.npy`, `unigram.json`, written beside model.onnx) in ~0.1 s and ~30 MB and
tokenises exactly as the folder's tokenizer.json does (tests/test_model.py compares the ids on
every passage and question of the dev and real sets):

- special tokens (<s>, </s>, <pad>, <unk>, <mask>) printed in the text are taken as they are;
- the rest is NFKC-normalised, then the tokenizer.json's replacements (control characters
  dropped, other spaces made " ", runs of spaces squeezed: e5convert.build_tokenizer);
- Metaspace: spaces become ▁, ▁ is put in front, the text is split before each ▁;
- each word is cut by the Viterbi best path over the pieces' log-probabilities; a character no
  piece covers is <unk> (scored lowest − 10), consecutive <unk>s are one;
- <s> … </s> around at most 510 pieces.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import numpy as np

VOCAB_FILE = "vocab.txt"
SCORES_FILE = "scores.npy"
UNK_PENALTY = 10.0
SPACE = "▁"


RULES_FILE = "unigram.json"


def rust_class(pattern: str) -> str:
    """A tokenizer.json regex in Python's syntax: \\x{1f} → the character, escaped."""
    return re.sub(r"\\x\{([0-9a-fA-F]+)\}", lambda m: re.escape(chr(int(m.group(1), 16))), pattern)


def write_vocab(folder: Path) -> None:
    """The compact copy of folder/tokenizer.json: pieces one per line, scores, and the rules
    (normaliser replacements, special tokens) in unigram.json."""
    spec = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    model, norm = spec["model"], spec["normalizer"]
    if model["type"] != "Unigram" or model.get("byte_fallback"):
        raise ValueError(f"{folder}: not a unigram tokenizer without byte fallback")
    steps = norm["normalizers"] if norm["type"] == "Sequence" else [norm]
    if steps[0]["type"] != "NFKC" or any(s["type"] != "Replace" for s in steps[1:]):
        raise ValueError(f"{folder}: normaliser {[s['type'] for s in steps]} is not NFKC + replacements")
    pieces = [p for p, _ in model["vocab"]]
    if any("\n" in p for p in pieces):
        raise ValueError(f"{folder}: a piece holds a line break: the compact vocabulary cannot store it")
    (folder / VOCAB_FILE).write_text("\n".join(pieces), encoding="utf-8")
    np.save(folder / SCORES_FILE, np.asarray([s for _, s in model["vocab"]], dtype=np.float64))
    rules = {
        "replace": [[rust_class(s["pattern"]["Regex"]), s["content"]] for s in steps[1:]],
        "specials": {t["content"]: t["id"] for t in spec["added_tokens"] if t["special"]},
        "unk": model["unk_id"],
        "bos": spec["post_processor"]["single"][0]["SpecialToken"]["id"],
        "eos": spec["post_processor"]["single"][-1]["SpecialToken"]["id"],
    }
    (folder / RULES_FILE).write_text(json.dumps(rules, ensure_ascii=False), encoding="utf-8")


class UnigramTokenizer:
    """Token ids for texts, the same as the exported folder's tokenizer.json gives."""

    def __init__(self, folder: Path, max_tokens: int = 512) -> None:
        rules = json.loads((folder / RULES_FILE).read_text(encoding="utf-8"))
        pieces = (folder / VOCAB_FILE).read_text(encoding="utf-8").split("\n")
        self.scores: list[float] = np.load(folder / SCORES_FILE).tolist()
        self.ids = {p: i for i, p in enumerate(pieces)}
        self.longest = max(map(len, pieces))
        self.unk_score = min(self.scores) - UNK_PENALTY
        self.specials: dict[str, int] = rules["specials"]
        self.bos, self.eos, self.unk = self.ids[rules["bos"]], self.ids[rules["eos"]], int(rules["unk"])
        self.max_tokens = max_tokens
        self.replace = [(re.compile(pattern), content) for pattern, content in rules["replace"]]
        self.special_re = re.compile("|".join(re.escape(s) for s in sorted(self.specials, key=len, reverse=True)))
        self.cache: dict[str, list[int]] = {}

    def normalise(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text)
        for pattern, content in self.replace:
            text = pattern.sub(content, text)
        return text

    def words(self, text: str) -> list[str]:
        """Metaspace with prepend "always": ▁ for spaces and in front, split before each ▁."""
        text = text.replace(" ", SPACE)
        if not text.startswith(SPACE):
            text = SPACE + text
        return [w for w in re.split(f"(?={SPACE})", text) if w]

    def viterbi(self, word: str) -> list[int]:
        """The best cut of one word into pieces (as tokenizers' optimised unigram encoder)."""
        n = len(word)
        best = [-float("inf")] * (n + 1)
        start = [-1] * (n + 1)
        piece = [-1] * (n + 1)
        best[0] = 0.0
        ids, scores, unk_score = self.ids, self.scores, self.unk_score
        for i in range(n):
            if start[i] < 0 and i > 0:
                continue
            here = best[i]
            single = False
            for j in range(i + 1, min(n, i + self.longest) + 1):
                token = ids.get(word[i:j])
                if token is None:
                    continue
                if j == i + 1:
                    single = True
                score = here + scores[token]
                if start[j] < 0 or score > best[j]:
                    best[j], start[j], piece[j] = score, i, token
            if not single:
                score = here + unk_score
                if start[i + 1] < 0 or score > best[i + 1]:
                    best[i + 1], start[i + 1], piece[i + 1] = score, i, self.unk
        out: list[int] = []
        end = n
        while end > 0:
            out.append(piece[end])
            end = start[end]
        out.reverse()
        return [t for k, t in enumerate(out) if not (t == self.unk and k > 0 and out[k - 1] == self.unk)]

    def pieces(self, text: str) -> list[int]:
        """Ids of a text's pieces, without <s> and </s>."""
        out: list[int] = []
        at = 0
        for special in self.special_re.finditer(text) if self.specials else ():
            out += self._plain(text[at : special.start()])
            out.append(self.specials[special.group(0)])
            at = special.end()
        return out + self._plain(text[at:])

    def _plain(self, text: str) -> list[int]:
        text = self.normalise(text) if text else ""
        if not text:
            return []  # nothing left once normalised: not even the ▁
        out: list[int] = []
        for word in self.words(text):
            known = self.cache.get(word)
            if known is None:
                known = self.viterbi(word)
                if len(self.cache) < 200_000:
                    self.cache[word] = known
            out += known
        return out

    def encode(self, text: str) -> list[int]:
        return [self.bos, *self.pieces(text)[: self.max_tokens - 2], self.eos]
