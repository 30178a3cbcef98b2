"""Advantages and losses of every algorithm, written from /work/shared/ALGORITHMS.md (float64, plain torch).

Shapes: per-completion tensors (B), per-token tensors (B, N); mask (B, N) is 1 on completion tokens, which start
at column 0 of each row.
"""
import torch


def masked_mean(x, mask):
    return (x * mask).sum() / mask.sum()


def masked_whiten(x, mask):
    """(x - mean) / std over the masked-in elements, std unbiased."""
    n = mask.sum()
    mean = (x * mask).sum() / n
    std = (((x - mean) ** 2 * mask).sum() / (n - 1)).sqrt()
    return (x - mean) / std * mask


# Advantages ---------------------------------------------------------------------------------------------------------

def grpo_advantages(rewards, group_size, scale):
    groups = rewards.view(-1, group_size)
    centred = groups - groups.mean(1, keepdim=True)
    if scale == "group":
        centred = centred / (groups.std(1, unbiased=True, keepdim=True) + 1e-4)
    elif scale == "batch":
        centred = centred / (rewards.std(unbiased=True) + 1e-4)
    elif scale != "none":
        raise ValueError(scale)
    return centred.reshape(-1)


def rloo_advantages(rewards, group_size):
    groups = rewards.view(-1, group_size)
    others = (groups.sum(1, keepdim=True) - groups) / (group_size - 1)
    return (groups - others).reshape(-1)


def token_rewards(logp, ref, mask, rewards, beta):
    """r_t = -beta (logp_t - ref_t) on completion tokens, plus the sequence reward at each row's last token."""
    r = -beta * (logp - ref) * mask
    last = mask.sum(1).long() - 1
    r[torch.arange(r.shape[0]), last] += rewards
    return r


def reinforce_pp_advantages(logp, ref, mask, rewards, beta):
    r = token_rewards(logp, ref, mask, rewards, beta)
    returns = torch.stack([r[:, t:].sum(1) for t in range(r.shape[1])], 1) * mask   # G_t = sum_{s >= t} r_s
    return masked_whiten(returns, mask)


def gae(rewards, values, mask, gamma, lam):
    """delta_t = r_t + gamma V_{t+1} - V_t; A_t = delta_t + gamma lam A_{t+1}; V after the last token = 0."""
    b, n = rewards.shape
    advantages = torch.zeros(b, n, dtype=rewards.dtype)
    lengths = mask.sum(1).long().tolist()
    for i in range(b):
        next_value, next_advantage = 0.0, 0.0
        for t in reversed(range(lengths[i])):
            delta = rewards[i, t] + gamma * next_value - values[i, t]
            next_advantage = delta + gamma * lam * next_advantage
            advantages[i, t] = next_advantage
            next_value = values[i, t]
    returns = (advantages + values) * mask
    return advantages, returns


# Losses -------------------------------------------------------------------------------------------------------------

def kl_k3(logp, ref):
    d = ref - logp
    return d.exp() - d - 1


def aggregate(token_loss, mask, aggregation, max_length):
    if aggregation == "sequence_mean":
        return ((token_loss * mask).sum(1) / mask.sum(1)).mean()
    if aggregation == "token_mean":
        return (token_loss * mask).sum() / mask.sum()
    if aggregation == "dr_grpo":
        return (token_loss * mask).sum() / (token_loss.shape[0] * max_length)
    raise ValueError(aggregation)


def clipped_policy_loss(logp, old, ref, advantages, mask, eps_low, eps_high, beta, aggregation, level, max_length):
    """-min(ratio A, clip(ratio, 1 - eps_low, 1 + eps_high) A) + beta kl_k3, aggregated; GSPO takes the sequence ratio."""
    a = advantages[:, None] if advantages.dim() == 1 else advantages
    if level == "token":
        ratio = (logp - old).exp()
    elif level == "sequence":
        seq = (((logp - old) * mask).sum(1) / mask.sum(1)).exp()
        ratio = seq[:, None].expand_as(logp)
    else:
        raise ValueError(level)
    pg = -torch.min(ratio * a, ratio.clamp(1 - eps_low, 1 + eps_high) * a)
    token_loss = pg + beta * kl_k3(logp, ref) if beta > 0 else pg
    return aggregate(token_loss, mask, aggregation, max_length)


def value_loss(values, old_values, returns, mask, eps):
    clipped = old_values + (values - old_values).clamp(-eps, eps)
    return masked_mean(0.5 * torch.max((values - returns) ** 2, (clipped - returns) ** 2), mask)


def dpo_loss(logp_w, ref_w, logp_l, ref_l, beta):
    h = (logp_w - ref_w) - (logp_l - ref_l)
    return -torch.nn.functional.logsigmoid(beta * h).mean()


def ipo_loss(logp_w, ref_w, logp_l, ref_l, beta):
    h = (logp_w - ref_w) - (logp_l - ref_l)
    return ((h - 1 / (2 * beta)) ** 2).mean()


def bradley_terry_loss(score_w, score_l, margin):
    return -torch.nn.functional.logsigmoid(score_w - score_l - margin).mean()
