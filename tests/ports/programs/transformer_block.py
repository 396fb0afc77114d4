"""Text classification with a Transformer block (keras.io, "Text classification with
Transformer"): a TransformerBlock layer (MultiHeadAttention, LayerNormalization, Dropout,
a Sequential feed-forward net) after token + position embeddings computed with keras.ops.
Synthetic task: does the sequence contain token 5?"""
import numpy as np

import glassnet as keras
from glassnet import layers, ops

VOCAB_SIZE = 20
MAXLEN = 10
EMBED_DIM = 16
NUM_HEADS = 2
FF_DIM = 16


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs, training=False):
        attn_output = self.att(inputs, inputs)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output, training=training)
        return self.layernorm2(out1 + ffn_output)


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = ops.arange(start=0, stop=maxlen, step=1)
        positions = self.pos_emb(positions)
        x = self.token_emb(x)
        return x + positions


def make_data(n=320, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(6, VOCAB_SIZE, size=(n, MAXLEN))
    y = rng.integers(0, 2, size=n)
    x[y == 1, rng.integers(0, MAXLEN, size=int(y.sum()))] = 5
    return x, y


def build_model():
    inputs = layers.Input(shape=(MAXLEN,))
    embedding_layer = TokenAndPositionEmbedding(MAXLEN, VOCAB_SIZE, EMBED_DIM)
    x = embedding_layer(inputs)
    transformer_block = TransformerBlock(EMBED_DIM, NUM_HEADS, FF_DIM)
    x = transformer_block(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.1)(x)
    x = layers.Dense(20, activation="relu")(x)
    x = layers.Dropout(0.1)(x)
    outputs = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def main():
    keras.utils.set_random_seed(0)
    x, y = make_data()
    model = build_model()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.005), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x[:256], y[:256], batch_size=32, epochs=10, validation_data=(x[256:], y[256:]), verbose=0)
    return {"loss": history.history["loss"], "val_accuracy": history.history["val_accuracy"], "chance": 0.5}
