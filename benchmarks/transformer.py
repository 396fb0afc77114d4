"""The transformer classifier of W5 on both sides.

The network: TokenAndPositionEmbedding(20000, 64, 128) (token embedding + learned position
embedding) → 2 × TransformerEncoderLayer (d_model 128, 4 heads of 32, feed-forward 512 ReLU,
post-norm, dropout 0, LayerNorm ε 1e-5) → mean over the 64 positions (GlobalAveragePooling1D,
no mask: neither side masks the padding) → Dense 2; float32, Adam (lr 1e-3, ε 1e-7), sparse
categorical cross-entropy (glassnet: softmax output; PyTorch: logits into CrossEntropyLoss).
The data are W4's (``rnn.load_data``); the run is ``sequence_classifier.train``.

PyTorch: ``nn.Embedding`` + a position ``nn.Parameter`` → two ``nn.TransformerEncoderLayer(128, 4,
512, dropout=0.0, batch_first=True)`` → mean → ``nn.Linear``, with glassnet's weights copied:
an attention kernel (d, H, d_k) is the Dense (d, H·d_k) with the heads side by side, which is
PyTorch's layout transposed, so in_proj_weight = [W_Q; W_K; W_V] with W = kernel.reshape(d, d)ᵀ,
in_proj_bias = [b_Q; b_K; b_V], out_proj.weight = kernel_O.reshape(d, d)ᵀ; norm1 is the
self-attention LayerNorm, norm2 the feed-forward one; Linear weights are Dense kernels transposed.
PyTorch predicts in ``eval()`` mode, where ``nn.TransformerEncoderLayer`` takes its fused fast path.
"""
from __future__ import annotations

import numpy as np

import glassnet as gn

from . import rnn, sequence_classifier

VOCABULARY, STEPS, D_MODEL, HEADS, FEEDFORWARD, LAYERS = rnn.VOCABULARY, rnn.STEPS, 128, 4, 512, 2


def glassnet_model(seed: int = 0):
    gn.utils.set_random_seed(seed)
    L = gn.layers
    model = gn.Sequential([L.Input((STEPS,), dtype="int64"), L.TokenAndPositionEmbedding(VOCABULARY, STEPS, D_MODEL),
                           *[L.TransformerEncoderLayer(FEEDFORWARD, HEADS) for _ in range(LAYERS)],
                           L.GlobalAveragePooling1D(), L.Dense(2, activation="softmax")])
    model.compile(optimizer=gn.optimizers.Adam(learning_rate=1e-3, epsilon=1e-7),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def encoder_state(weights, prefix: str = "") -> dict:
    """The 16 arrays of a glassnet TransformerEncoderLayer → ``nn.TransformerEncoderLayer``'s state dict."""
    Wq, bq, Wk, bk, Wv, bv, Wo, bo, gamma1, beta1, gamma2, beta2, W1, b1, W2, b2 = weights
    d = Wo.shape[-1]
    return {f"{prefix}self_attn.in_proj_weight": np.concatenate([W.reshape(d, d).T for W in (Wq, Wk, Wv)]),
            f"{prefix}self_attn.in_proj_bias": np.concatenate([b.reshape(d) for b in (bq, bk, bv)]),
            f"{prefix}self_attn.out_proj.weight": Wo.reshape(d, d).T, f"{prefix}self_attn.out_proj.bias": bo,
            f"{prefix}norm1.weight": gamma1, f"{prefix}norm1.bias": beta1,
            f"{prefix}norm2.weight": gamma2, f"{prefix}norm2.bias": beta2,
            f"{prefix}linear1.weight": W1.T, f"{prefix}linear1.bias": b1,
            f"{prefix}linear2.weight": W2.T, f"{prefix}linear2.bias": b2}


def torch_model(torch, model):
    """torch's Embedding + positions → 2 encoder layers → mean → Linear (logits), holding ``model``'s weights."""
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(VOCABULARY, D_MODEL)
            self.positions = nn.Parameter(torch.zeros(STEPS, D_MODEL))
            self.encoder = nn.ModuleList([nn.TransformerEncoderLayer(D_MODEL, HEADS, FEEDFORWARD, dropout=0.0,
                                                                     batch_first=True) for _ in range(LAYERS)])
            self.dense = nn.Linear(D_MODEL, 2)

        def forward(self, ids):
            h = self.embedding(ids) + self.positions[:ids.shape[1]]
            for layer in self.encoder:
                h = layer(h)
            return self.dense(h.mean(dim=1))

    net = Net()
    weights = model.get_weights()
    values = {"embedding.weight": weights[0], "positions": weights[1], "dense.weight": weights[-2].T,
              "dense.bias": weights[-1]}
    for i in range(LAYERS):
        values.update(encoder_state(weights[2 + 16 * i: 18 + 16 * i], prefix=f"encoder.{i}."))
    parameters = dict(net.named_parameters())
    assert sorted(parameters) == sorted(values), "the torch network's parameters and the copied weights differ"
    with torch.no_grad():
        for name, parameter in parameters.items():
            parameter.copy_(torch.from_numpy(np.ascontiguousarray(values[name])))
    return net


def train(ctx, workload: str, batch_size: int, epochs: int, limit) -> list:
    return sequence_classifier.train(ctx, workload, f"Transformer train, batch {batch_size}", glassnet_model,
                                     torch_model, batch_size, epochs, limit,
                                     f"Transformer inference, batch {rnn.INFER_BATCH}")


def profile_epoch(ctx, batch_size: int, limit):
    return sequence_classifier.profile_epoch(ctx, glassnet_model, batch_size, limit)
