"""An independent float64 reference of a Hugging Face Llama/Qwen2 decoder, written from the HF semantics.

Reads a Hugging Face folder (config.json + model.safetensors) with no third-party package besides torch.
Parameters are a flat dict keyed by checkpoint names (model.layers.0.self_attn.q_proj.weight, lm_head.weight).
"""
import json
import math
import os
import struct

import torch

DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}


def read_safetensors(path):
    """name -> tensor, from u64 header length, JSON header, raw little-endian data."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = bytearray(data[start:end])
        t = torch.frombuffer(raw, dtype=DTYPES[info["dtype"]]) if raw else torch.empty(0, dtype=DTYPES[info["dtype"]])
        tensors[name] = t.reshape(info["shape"]).clone()
    return tensors


def write_safetensors(path, tensors):
    """Writes name -> tensor as F32 (what the engine's reader takes)."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        blob = t.detach().to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


class Llama:
    """config.json fields as attributes; forward(params, ...) is a pure function of the parameter dict."""

    def __init__(self, folder):
        with open(os.path.join(folder, "config.json")) as f:
            c = json.load(f)
        self.vocab = c["vocab_size"]
        self.d = c["hidden_size"]
        self.layers = c["num_hidden_layers"]
        self.heads = c["num_attention_heads"]
        self.kv_heads = c.get("num_key_value_heads", self.heads)
        self.head_dim = self.d // self.heads
        self.theta = c.get("rope_theta", 10000.0)
        self.eps = c.get("rms_norm_eps", 1e-6)
        self.tied = c.get("tie_word_embeddings", False)
        self.bias = c["model_type"] == "qwen2" or c.get("attention_bias", False)

    def rms_norm(self, x, weight):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * weight

    def rope(self, positions):
        """cos, sin of shape (B, 1, T, D) for integer positions (B, T)."""
        inv_freq = 1.0 / (self.theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.float64) / self.head_dim))
        freqs = positions.to(torch.float64)[..., None] * inv_freq                 # (B, T, D/2)
        emb = torch.cat([freqs, freqs], -1)
        return emb.cos()[:, None], emb.sin()[:, None]

    @staticmethod
    def rotate_half(x):
        x1, x2 = x.chunk(2, -1)
        return torch.cat([-x2, x1], -1)

    def attention(self, p, prefix, x, cos, sin, allowed):
        b, t, _ = x.shape
        linear = lambda name: x @ p[f"{prefix}.{name}.weight"].T + (p[f"{prefix}.{name}.bias"] if self.bias else 0)
        q = linear("q_proj").view(b, t, self.heads, self.head_dim).transpose(1, 2)        # (B, H, T, D)
        k = linear("k_proj").view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)     # (B, Hkv, T, D)
        v = linear("v_proj").view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + self.rotate_half(q) * sin
        k = k * cos + self.rotate_half(k) * sin
        group = self.heads // self.kv_heads                                               # query head h reads kv head h // group
        k = k[:, :, None].expand(b, self.kv_heads, group, t, self.head_dim).reshape(b, self.heads, t, self.head_dim)
        v = v[:, :, None].expand(b, self.kv_heads, group, t, self.head_dim).reshape(b, self.heads, t, self.head_dim)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)                       # (B, H, T, T)
        scores = scores.masked_fill(~allowed[:, None], float("-inf"))
        y = scores.softmax(-1) @ v
        return y.transpose(1, 2).reshape(b, t, self.d) @ p[f"{prefix}.o_proj.weight"].T

    def mlp(self, p, prefix, x):
        gate = x @ p[f"{prefix}.gate_proj.weight"].T
        up = x @ p[f"{prefix}.up_proj.weight"].T
        return (torch.nn.functional.silu(gate) * up) @ p[f"{prefix}.down_proj.weight"].T

    def hidden(self, p, tokens, attention_mask):
        """Final-norm hidden states (B, T, C) of a padded batch; positions count real tokens only (left padding)."""
        mask = attention_mask.bool()
        positions = (mask.long().cumsum(1) - 1).clamp(min=0)
        cos, sin = self.rope(positions)
        t = tokens.shape[1]
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        # Query i sees real keys j <= i. A padding query sees nothing real; let it see itself so no row is all -inf
        # (its output is never read).
        allowed = (causal[None] & mask[:, None, :]) | torch.eye(t, dtype=torch.bool)[None]
        x = p["model.embed_tokens.weight"][tokens]
        for i in range(self.layers):
            prefix = f"model.layers.{i}"
            x = x + self.attention(p, f"{prefix}.self_attn", self.rms_norm(x, p[f"{prefix}.input_layernorm.weight"]), cos, sin, allowed)
            x = x + self.mlp(p, f"{prefix}.mlp", self.rms_norm(x, p[f"{prefix}.post_attention_layernorm.weight"]))
        return self.rms_norm(x, p["model.norm.weight"])

    def logits(self, p, hidden):
        head = p["model.embed_tokens.weight"] if self.tied else p["lm_head.weight"]
        return hidden @ head.T
