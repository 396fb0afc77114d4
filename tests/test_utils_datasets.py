"""glassnet.utils datasets: split_dataset, timeseries windows, folders of text and images, PyDataset."""
import math

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers, utils


def test_split_dataset_sizes_and_order():
    x, y = np.arange(10), np.arange(10) * 2
    left, right = utils.split_dataset((x, y), left_size=0.8)
    assert len(left) == 8 and len(right) == 2
    assert [(int(a), int(b)) for a, b in right] == [(8, 16), (9, 18)]
    left, right = utils.split_dataset(x, left_size=3, right_size=4)
    assert [int(v) for v in left] == [0, 1, 2] and [int(v) for v in right] == [3, 4, 5, 6]
    left, right = utils.split_dataset(x, right_size=0.3, shuffle=True, seed=1)
    values = sorted(int(v) for v in left) + sorted(int(v) for v in right)
    assert len(left) == 7 and sorted(values) == list(range(10)) and values[:7] != list(range(7))
    from_dataset = utils.split_dataset(gn.data.Dataset.from_tensor_slices(x), left_size=5)
    assert [int(v) for v in from_dataset[1]] == [5, 6, 7, 8, 9]


@pytest.mark.parametrize("kwargs, message", [
    ({}, "give left_size, right_size or both"),
    ({"left_size": 1.5}, r"must be in \(0, 1\)"),
    ({"left_size": 11}, r"must be in \[1, 10\]"),
    ({"left_size": 6, "right_size": 6}, "more than the 10 samples"),
    ({"left_size": "half"}, "must be None, a float"),
])
def test_split_dataset_bad_sizes(kwargs, message):
    with pytest.raises(ValueError, match=message):
        utils.split_dataset(np.arange(10), **kwargs)


def test_timeseries_windows_by_hand():
    # data 0…9, L = 3, sampling_rate 2: windows start at 0…5 ([0, 2, 4] … [5, 7, 9])
    windows = [w.tolist() for w in utils.timeseries_dataset_from_array(np.arange(10), None, 3, sampling_rate=2,
                                                                       batch_size=None)]
    assert windows == [[0, 2, 4], [1, 3, 5], [2, 4, 6], [3, 5, 7], [4, 6, 8], [5, 7, 9]]
    # stride 3, targets[i] for the window starting at i, batches of 2
    batches = list(utils.timeseries_dataset_from_array(np.arange(10), np.arange(10) * 10, 4, sequence_stride=3,
                                                       batch_size=2))
    assert [b[0].tolist() for b in batches] == [[[0, 1, 2, 3], [3, 4, 5, 6]], [[6, 7, 8, 9]]]
    assert [b[1].tolist() for b in batches] == [[0, 30], [60]]
    bounded = list(utils.timeseries_dataset_from_array(np.arange(10), None, 2, start_index=4, end_index=7,
                                                       batch_size=None))
    assert [w.tolist() for w in bounded] == [[4, 5], [5, 6]]
    with pytest.raises(ValueError, match="no window of 20 rows"):
        utils.timeseries_dataset_from_array(np.arange(10), None, 20)
    with pytest.raises(ValueError, match="targets have 3 rows but data has 10"):
        utils.timeseries_dataset_from_array(np.arange(10), np.arange(3), 2)


def _write_texts(root):
    for label, words in (("neg", ["bad", "awful", "poor"]), ("pos", ["good", "great", "fine", "nice"])):
        (root / label).mkdir()
        for i, word in enumerate(words):
            (root / label / f"{i}.txt").write_text(f"a {word} film", encoding="utf-8")
    (root / "pos" / "notes.md").write_text("ignored")


def test_text_dataset_from_directory(tmp_path, capsys):
    _write_texts(tmp_path)
    dataset = utils.text_dataset_from_directory(tmp_path, batch_size=3, shuffle=False)
    assert capsys.readouterr().out.startswith("Found 7 files belonging to 2 classes.")
    assert dataset.class_names == ["neg", "pos"]
    texts, labels = zip(*dataset)
    assert [len(t) for t in texts] == [3, 3, 1]
    assert list(np.concatenate(labels)) == [0, 0, 0, 1, 1, 1, 1]
    assert sorted(np.concatenate(texts))[0] == "a awful film"
    training, validation = utils.text_dataset_from_directory(tmp_path, batch_size=None, validation_split=0.3,
                                                             subset="both", seed=1, label_mode="categorical",
                                                             verbose=False)
    seen = [str(t) for t, _ in training] + [str(t) for t, _ in validation]
    assert len(training) == 5 and len(validation) == 2 and len(set(seen)) == 7
    assert all(y.shape == (2,) and y.sum() == 1 for _, y in validation)
    with pytest.raises(ValueError, match="give a seed"):
        utils.text_dataset_from_directory(tmp_path, validation_split=0.2, subset="training", verbose=False)
    with pytest.raises(ValueError, match="does not exist"):
        utils.text_dataset_from_directory(tmp_path / "missing")


def test_image_dataset_from_directory(tmp_path):
    image = pytest.importorskip("PIL.Image")
    for label, value in (("dark", 10), ("light", 240)):
        (tmp_path / label).mkdir()
        for i in range(3):
            pixels = np.full((8, 12, 3), value, dtype=np.uint8)
            image.fromarray(pixels).save(tmp_path / label / f"{i}.png")
    dataset = utils.image_dataset_from_directory(tmp_path, image_size=(4, 6), batch_size=4, shuffle=False,
                                                 label_mode="binary", verbose=False)
    images, labels = zip(*dataset)
    assert images[0].shape == (4, 4, 6, 3) and images[0].dtype == np.float32
    assert np.allclose(images[0][0], 10.0) and np.allclose(images[1][-1], 240.0)
    assert np.concatenate(labels).ravel().tolist() == [0, 0, 0, 1, 1, 1]
    gray = utils.image_dataset_from_directory(tmp_path, image_size=(4, 4), color_mode="grayscale", batch_size=None,
                                              labels=None, crop_to_aspect_ratio=True, verbose=False)
    assert next(iter(gray)).shape == (4, 4, 1)
    with pytest.raises(ValueError, match="color_mode must be one of"):
        utils.image_dataset_from_directory(tmp_path, color_mode="cmyk")
    with pytest.raises(ValueError, match="label_mode='binary' needs exactly 2 classes"):
        (tmp_path / "third").mkdir()
        utils.image_dataset_from_directory(tmp_path, label_mode="binary", verbose=False)


class Batches(utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.epochs_ended = 0

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_fit_takes_a_py_dataset_and_a_generator():
    gn.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, 3)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5]) > 0).astype("float32")[:, None]
    model = gn.Sequential([gn.Input((3,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=gn.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    train, val = Batches(x[:64], y[:64], 16, workers=2), Batches(x[64:], y[64:], 16)
    assert utils.Sequence is utils.PyDataset and train.workers == 2
    history = model.fit(train, validation_data=val, epochs=6, verbose=0)
    assert train.epochs_ended == 6 and len(history.history["val_loss"]) == 6
    assert history.history["loss"][-1] < history.history["loss"][0]

    def generator():
        while True:
            for start in range(0, 64, 16):
                yield x[start:start + 16], y[start:start + 16]

    history = model.fit(generator(), steps_per_epoch=4, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    assert model.evaluate(val, verbose=0, return_dict=True)["accuracy"] > 0.8


def test_unpack_and_pack_x_y_sample_weight():
    x, y, w = np.ones(2), np.zeros(2), np.full(2, 0.5)
    assert utils.unpack_x_y_sample_weight((x, y))[2] is None
    assert utils.unpack_x_y_sample_weight(x)[0] is x
    assert utils.pack_x_y_sample_weight(x) is x and len(utils.pack_x_y_sample_weight(x, y, w)) == 3
    with pytest.raises(ValueError, match="tuple of 4 entries"):
        utils.unpack_x_y_sample_weight((x, y, w, w))


def test_image_files_and_arrays(tmp_path):
    pytest.importorskip("PIL")
    # a 2×3 RGB gradient; scale=True maps [0, 0.5] onto [0, 255]
    x = np.zeros((2, 3, 3))
    x[:, :, 0] = [[0.0, 0.25, 0.5], [0.5, 0.25, 0.0]]
    image = utils.array_to_img(x)
    assert image.size == (3, 2) and image.mode == "RGB"
    assert utils.img_to_array(image)[:, :, 0].tolist() == [[0.0, 128.0, 255.0], [255.0, 128.0, 0.0]]
    utils.save_img(tmp_path / "g.png", x)
    loaded = utils.load_img(tmp_path / "g.png", color_mode="grayscale", target_size=(4, 6))
    array = utils.img_to_array(loaded, data_format="channels_first")
    assert array.shape == (1, 4, 6) and array.dtype == np.float32
    assert utils.img_to_array(utils.load_img(tmp_path / "g.png"))[0, 2, 0] == 255.0
    with pytest.raises(ValueError, match="1, 3 or 4 channels"):
        utils.array_to_img(np.ones((2, 2, 2)))
