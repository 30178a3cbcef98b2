"""Reference side of the engine's parity test.

usage: /usr/bin/python3 tests/reference/parity.py FOLDER

FOLDER holds a Hugging Face model (config.json, model.safetensors), the scalar head (head.safetensors: score.weight,
score.bias) and batch.json (a left-padded policy batch, right-padded preference pairs and the loss variants to
compute, and the engine's own forward outputs). Writes FOLDER/reference.json (losses from the reference's forward, and
from the engine's forward outputs) and FOLDER/reference.safetensors (logits, log-probs, values,
advantages and, per variant, the gradient of every parameter), all computed in float64.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import losses as L  # noqa: E402
from llama import Llama, read_safetensors, write_safetensors  # noqa: E402

f64 = torch.float64


def policy_pass(model, params, head, batch, temperature):
    """Teacher-forced pass over sampled sequences: temperature-scaled log-probs of the completion tokens and the
    head's values of the state before each of them, (B, N) each."""
    seq = torch.tensor(batch["sequences"])
    attention = torch.tensor(batch["attention_mask"])
    p = batch["prompt_length"]
    n = seq.shape[1] - p
    hidden = model.hidden(params, seq[:, :-1], attention[:, :-1])
    before = hidden[:, p - 1 : p - 1 + n]                                                   # predicts tokens p .. p+n-1
    logp = (model.logits(params, before) / temperature).log_softmax(-1)
    logp = logp.gather(-1, seq[:, p:, None]).squeeze(-1)
    values = before @ head["score.weight"][0] + head["score.bias"][0]
    return logp, values


def sequence_log_probs(model, params, pairs):
    """Sum over the loss mask of log p(target): right-padded rows, chosen then rejected."""
    tokens = torch.tensor(pairs["tokens"])
    hidden = model.hidden(params, tokens[:, :-1], torch.tensor(pairs["attention_mask"])[:, :-1])
    logp = model.logits(params, hidden).log_softmax(-1).gather(-1, tokens[:, 1:, None]).squeeze(-1)
    return (logp * torch.tensor(pairs["loss_mask"], dtype=f64)).sum(1)


def last_token_scores(model, params, head, pairs):
    tokens = torch.tensor(pairs["tokens"])
    hidden = model.hidden(params, tokens, torch.tensor(pairs["attention_mask"]))
    last = hidden[torch.arange(tokens.shape[0]), torch.tensor(pairs["last_index"])]
    return last @ head["score.weight"][0] + head["score.bias"][0]


def variant_loss(v, spec, logp, values, pair_logp, pair_scores):
    """The loss of one variant from the forward's outputs; with it, a policy variant's advantages (else None)."""
    batch, pairs = spec["policy"], spec["pairs"]
    kind = v["kind"]
    if kind in ("dpo", "ipo"):
        ref = torch.tensor(pairs["ref_logp"], dtype=f64)
        k = pair_logp.shape[0] // 2
        fn = L.dpo_loss if kind == "dpo" else L.ipo_loss
        return fn(pair_logp[:k], ref[:k], pair_logp[k:], ref[k:], v["beta"]), None
    if kind == "bradley_terry":
        k = pair_scores.shape[0] // 2
        return L.bradley_terry_loss(pair_scores[:k], pair_scores[k:], v["margin"]), None
    if kind != "policy":
        raise ValueError(kind)
    mask = torch.tensor(batch["completion_mask"], dtype=f64)
    old = torch.tensor(batch["old_logp"], dtype=f64)
    ref = torch.tensor(batch["ref_logp"], dtype=f64)
    rewards = torch.tensor(batch["rewards"], dtype=f64)
    group_size, advantage = spec["group_size"], v["advantage"]
    if advantage == "grpo":
        adv = L.grpo_advantages(rewards, group_size, v["scale"])
    elif advantage == "rloo":
        adv = L.rloo_advantages(rewards, group_size)
    elif advantage == "reinforce_pp":   # KL-shaped rewards from the sampling policy's log-probs
        adv = L.reinforce_pp_advantages(old, ref, mask, rewards, v["kl_beta"])
    elif advantage == "ppo":
        old_values = torch.tensor(batch["old_values"], dtype=f64)
        r = L.token_rewards(old, ref, mask, rewards, v["kl_beta"])
        adv, returns = L.gae(r, old_values, mask, v["gamma"], v["lambda"])
        if v["whiten"]:
            adv = L.masked_whiten(adv, mask)
    else:
        raise ValueError(advantage)
    loss = L.clipped_policy_loss(logp, old, ref, adv, mask, v["eps_low"], v["eps_high"], v["beta"], v["aggregation"],
                                 v["level"], v["max_length"])
    if advantage == "ppo":
        loss = loss + v["value_coef"] * L.value_loss(values, old_values, returns, mask, v["value_clip"])
    return loss, adv


def main(folder):
    model = Llama(folder)
    weights = {k: t.to(f64).requires_grad_() for k, t in read_safetensors(os.path.join(folder, "model.safetensors")).items()}
    head = {k: t.to(f64).requires_grad_() for k, t in read_safetensors(os.path.join(folder, "head.safetensors")).items()}
    with open(os.path.join(folder, "batch.json")) as f:
        spec = json.load(f)
    batch, pairs, temperature = spec["policy"], spec["pairs"], spec["temperature"]

    out = {}
    with torch.no_grad():
        seq = torch.tensor(batch["sequences"])
        out["logits"] = model.logits(weights, model.hidden(weights, seq, torch.tensor(batch["attention_mask"])))
        pair_tokens = torch.tensor(pairs["tokens"])
        out["pair_logits"] = model.logits(weights, model.hidden(weights, pair_tokens, torch.tensor(pairs["attention_mask"])))

    # The engine's own forward outputs: its losses must match these given identical inputs.
    engine = {k: torch.tensor(spec["engine"][k], dtype=f64) for k in ("logp", "values", "pair_logp", "pair_scores")}
    results, given_engine_forward = {}, {}
    for v in spec["variants"]:
        name = v["name"]
        logp, values = policy_pass(model, weights, head, batch, temperature)
        pair_logp = sequence_log_probs(model, weights, pairs)
        pair_scores = last_token_scores(model, weights, head, pairs)
        loss, adv = variant_loss(v, spec, logp, values, pair_logp, pair_scores)
        given_engine_forward[name] = variant_loss(v, spec, **engine)[0].item()
        out.update(logp=logp.detach(), values=values.detach(), pair_logp=pair_logp.detach(), pair_scores=pair_scores.detach())
        if adv is not None:
            out[f"advantages/{name}"] = adv
        uses_head = v["kind"] == "bradley_terry" or v.get("advantage") == "ppo"
        params = {**weights, **(head if uses_head else {})}
        grads = torch.autograd.grad(loss, list(params.values()), allow_unused=True)
        for key, g in zip(params, grads):
            out[f"grad/{name}/{key}"] = torch.zeros_like(params[key]) if g is None else g
        results[name] = loss.item()

    write_safetensors(os.path.join(folder, "reference.safetensors"), out)
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump({"torch": torch.__version__, "losses": results, "losses_given_engine_forward": given_engine_forward}, f, indent=2)


if __name__ == "__main__":
    main(sys.argv[1])
