"""Sequence to sequence with LSTMs (keras.io, "Character-level recurrent sequence-to-sequence
model"): an encoder LSTM's final states start a decoder LSTM trained with teacher forcing.
The task: write a sequence of one-hot tokens backwards."""
import numpy as np

import glassnet as keras
from glassnet import layers

NUM_TOKENS = 6          # 4 symbols, a start token (4) and an end token (5)
LENGTH = 4
LATENT_DIM = 32


def make_data(n=384, seed=0):
    rng = np.random.default_rng(seed)
    symbols = rng.integers(0, 4, size=(n, LENGTH))
    target = symbols[:, ::-1]
    decoder_in = np.concatenate([np.full((n, 1), 4), target], axis=1)
    decoder_out = np.concatenate([target, np.full((n, 1), 5)], axis=1)
    one_hot = np.eye(NUM_TOKENS, dtype="float32")
    return one_hot[symbols], one_hot[decoder_in], one_hot[decoder_out]


def build_model():
    encoder_inputs = keras.Input(shape=(None, NUM_TOKENS))
    encoder = layers.LSTM(LATENT_DIM, return_state=True)
    encoder_outputs, state_h, state_c = encoder(encoder_inputs)
    encoder_states = [state_h, state_c]

    decoder_inputs = keras.Input(shape=(None, NUM_TOKENS))
    decoder_lstm = layers.LSTM(LATENT_DIM, return_sequences=True, return_state=True)
    decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
    decoder_dense = layers.Dense(NUM_TOKENS, activation="softmax")
    decoder_outputs = decoder_dense(decoder_outputs)
    return keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)


def main():
    keras.utils.set_random_seed(0)
    encoder_x, decoder_x, decoder_y = make_data()
    model = build_model()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit([encoder_x, decoder_x], decoder_y, batch_size=32, epochs=15, validation_split=0.2,
                        verbose=0)
    return {"loss": history.history["loss"], "val_accuracy": history.history["val_accuracy"],
            "chance": 1 / 4}
