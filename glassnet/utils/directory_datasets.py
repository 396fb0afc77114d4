"""Datasets from a folder of files, one subfolder per class (Keras's ``*_dataset_from_directory``)::

    main_directory/
        class_a/  a_1.txt  a_2.txt  ...
        class_b/  b_1.txt  ...

``text_dataset_from_directory(main_directory)`` yields batches ``(texts, labels)``;
``image_dataset_from_directory`` the same with images (read with Pillow, resized to
``image_size``, float32 values in [0, 255], shape (batch, height, width, channels)).

The steps, as Keras takes them:

1. classes: the subfolder names in alphanumeric order (or ``class_names``); class k has label k;
2. files: every file with an accepted extension under each class folder (recursively),
   in sorted order;
3. shuffle the (file, label) list once with ``seed`` (when ``shuffle``; the order is then
   also reshuffled every epoch);
4. ``validation_split`` f with ``subset``: "training" keeps the first (1 − f) of the list,
   "validation" the last f, "both" returns the two (a seed is needed to shuffle, so the
   two calls agree);
5. batches are read from disk as they are needed.

Labels by ``label_mode``: "int" (ids), "categorical" (one-hot float32), "binary" (float32
0/1 of shape (batch, 1); exactly two classes), or None (files only).
"""
from __future__ import annotations

import os

import numpy as np

from ..data import Dataset

TEXT_FORMATS = (".txt",)
IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")


def index_directory(directory, labels, formats, class_names=None, follow_links=False, owner="dataset_from_directory"):
    """(file paths, integer labels, class names) of a class-per-subfolder directory.

    Raises:
        ValueError: a missing directory, no subfolders, ``class_names`` that do not match
            the subfolders, or ``labels`` other than "inferred", None or a list.
    """
    if not os.path.isdir(directory):
        raise ValueError(f"{owner}: directory {directory!r} does not exist or is not a folder")
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError(f"{owner}: labels must be 'inferred', None or a list of ints, got {labels!r}")
    if labels == "inferred":
        found = sorted(d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d)))
        if class_names is not None:
            if sorted(class_names) != found and set(class_names) - set(found):
                raise ValueError(f"{owner}: class_names {list(class_names)} do not match the subfolders {found}")
            found = list(class_names)
        folders = found
    else:
        folders = [""]
    paths, ids = [], []
    for label, folder in enumerate(folders):
        root = os.path.join(directory, folder)
        for current, _, files in sorted(os.walk(root, followlinks=follow_links)):
            for name in sorted(files):
                if name.lower().endswith(formats):
                    paths.append(os.path.join(current, name))
                    ids.append(label)
    if labels == "inferred" and not folders:
        raise ValueError(f"{owner}: {directory!r} has no subfolders; put each class's files in a subfolder")
    if isinstance(labels, (list, tuple)):
        if len(labels) != len(paths):
            raise ValueError(f"{owner}: {len(labels)} labels given but {len(paths)} files found in {directory!r}")
        ids = list(labels)
    return np.array(paths, dtype=object), np.asarray(ids, dtype="int32"), list(folders) if labels == "inferred" else None


def _labels_as(ids: np.ndarray, label_mode, num_classes: int, owner: str):
    if label_mode == "int":
        return ids
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[ids]
    if label_mode == "binary":
        if num_classes != 2:
            raise ValueError(f"{owner}: label_mode='binary' needs exactly 2 classes, found {num_classes}")
        return ids.astype("float32")[:, None]
    raise ValueError(f"{owner}: label_mode must be 'int', 'categorical', 'binary' or None, got {label_mode!r}")


def _subsets(paths, ids, shuffle, seed, validation_split, subset, owner: str) -> list:
    """[(subset name, paths, ids)] for the subset asked (two for "both"), after the one-time shuffle."""
    if validation_split is not None and not 0.0 < validation_split < 1.0:
        raise ValueError(f"{owner}: validation_split must be in (0, 1), got {validation_split!r}")
    if (validation_split is None) != (subset is None):
        raise ValueError(f"{owner}: give validation_split and subset together (subset 'training', 'validation' or "
                         "'both')")
    if subset not in (None, "training", "validation", "both"):
        raise ValueError(f"{owner}: subset must be 'training', 'validation' or 'both', got {subset!r}")
    if validation_split is not None and shuffle and seed is None:
        raise ValueError(f"{owner}: with validation_split and shuffle, give a seed, so that the training and "
                         "validation subsets do not overlap")
    if shuffle:
        from ..random import draw_generator

        order = draw_generator(seed, owner).permutation(len(paths))
        paths, ids = paths[order], ids[order]
    if validation_split is None:
        return [(None, paths, ids)]
    n_train = len(paths) - int(validation_split * len(paths))
    training = ("training", paths[:n_train], ids[:n_train])
    validation = ("validation", paths[n_train:], ids[n_train:])
    return {"training": [training], "validation": [validation], "both": [training, validation]}[subset]


def _dataset(paths, labels, read_batch, batch_size, shuffle, seed):
    dataset = Dataset.from_tensor_slices(paths if labels is None else (paths, labels))
    if shuffle:
        dataset = dataset.shuffle(True, seed=seed)
    if batch_size is None:
        return dataset.map(lambda p, *y: (read_batch(np.array([p], dtype=object))[0], *y) if y
                           else read_batch(np.array([p], dtype=object))[0])
    dataset = dataset.batch(batch_size)
    return dataset.map(lambda p, *y: (read_batch(p), *y) if y else read_batch(p))


def _from_directory(directory, labels, label_mode, class_names, formats, read_batch, batch_size, shuffle, seed,
                    validation_split, subset, follow_links, verbose, owner):
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0):
        raise ValueError(f"{owner}: batch_size must be None or a positive int, got {batch_size!r}")
    paths, ids, names = index_directory(directory, labels, formats, class_names, follow_links, owner)
    num_classes = len(names) if names is not None else int(ids.max()) + 1 if len(ids) else 0
    if verbose:
        print(f"Found {len(paths)} files belonging to {num_classes} classes.")
    made = []
    for part, part_paths, part_ids in _subsets(paths, ids, shuffle, seed, validation_split, subset, owner):
        if verbose and part is not None:
            print(f"Using {len(part_paths)} files for {part}.")
        y = None if label_mode is None or labels is None else _labels_as(part_ids, label_mode, num_classes, owner)
        dataset = _dataset(part_paths, y, read_batch, batch_size, shuffle, seed)
        dataset.class_names = names
        dataset.file_paths = list(part_paths)
        made.append(dataset)
    return made[0] if len(made) == 1 else tuple(made)


def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, batch_size=32,
                                max_length=None, shuffle=True, seed=None, validation_split=None, subset=None,
                                follow_links=False, encoding="utf-8", verbose=True):
    """A Dataset of ``(texts, labels)`` batches from ``.txt`` files (see the module docstring).

    Args:
        directory: the main folder, one subfolder per class.
        labels: "inferred" (from the subfolders), None (texts only), or a list of ints
            (one per file, in sorted file order); without "inferred", every file under
            ``directory`` counts, subfolders included.
        label_mode: "int", "categorical", "binary" or None.
        class_names: the subfolders to use, in label order (default all, sorted).
        batch_size: texts per batch (None: single texts).
        max_length: keep at most this many characters of each text.
        shuffle, seed: shuffle the files (once, and every epoch).
        validation_split, subset: see the module docstring.
        follow_links: follow symbolic links to subfolders.
        encoding: the files' text encoding.
        verbose: print how many files were found.

    Returns:
        A Dataset (two for ``subset="both"``) with ``.class_names`` and ``.file_paths``;
        texts are a NumPy array of Python ``str`` (dtype object).
    """
    if max_length is not None and (not isinstance(max_length, int) or max_length <= 0):
        raise ValueError(f"text_dataset_from_directory: max_length must be None or a positive int, got {max_length!r}")

    def read_batch(paths):
        texts = []
        for path in paths:
            with open(path, encoding=encoding) as f:
                text = f.read()
            texts.append(text[:max_length] if max_length else text)
        return np.array(texts, dtype=object)

    return _from_directory(directory, labels, label_mode, class_names, TEXT_FORMATS, read_batch, batch_size, shuffle,
                           seed, validation_split, subset, follow_links, verbose, "text_dataset_from_directory")


_COLOR_MODES = {"grayscale": ("L", 1), "rgb": ("RGB", 3), "rgba": ("RGBA", 4)}


def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, color_mode="rgb",
                                 batch_size=32, image_size=(256, 256), shuffle=True, seed=None, validation_split=None,
                                 subset=None, interpolation="bilinear", follow_links=False, crop_to_aspect_ratio=False,
                                 pad_to_aspect_ratio=False, data_format=None, verbose=True):
    """A Dataset of ``(images, labels)`` batches from image files, read with Pillow.

    Each image is converted to ``color_mode`` and resized to ``image_size`` (height, width)
    with ``interpolation``; ``crop_to_aspect_ratio`` first crops the largest centred box of
    the target's aspect ratio (no distortion). Values are float32 in [0, 255].

    Args: as ``text_dataset_from_directory``, plus:
        color_mode: "grayscale" (1 channel), "rgb" (3) or "rgba" (4).
        image_size: (height, width) of every image.
        interpolation: "bilinear", "nearest", "bicubic", "lanczos", "box" or "hamming".
        data_format: "channels_last" (the default) or "channels_first".

    Raises:
        ValueError: a bad color_mode, image_size or interpolation; ImportError without Pillow.
    """
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("image_dataset_from_directory reads images with Pillow: pip install pillow") from None
    if color_mode not in _COLOR_MODES:
        raise ValueError(f"image_dataset_from_directory: color_mode must be one of {sorted(_COLOR_MODES)}, got "
                         f"{color_mode!r}")
    if (not isinstance(image_size, (tuple, list)) or len(image_size) != 2
            or not all(isinstance(s, int) and s > 0 for s in image_size)):
        raise ValueError(f"image_dataset_from_directory: image_size must be (height, width) of positive ints, got "
                         f"{image_size!r}")
    methods = {"bilinear": Image.BILINEAR, "nearest": Image.NEAREST, "bicubic": Image.BICUBIC,
               "lanczos": Image.LANCZOS, "box": Image.BOX, "hamming": Image.HAMMING}
    if interpolation not in methods:
        raise ValueError(f"image_dataset_from_directory: interpolation must be one of {sorted(methods)}, got "
                         f"{interpolation!r}")
    if pad_to_aspect_ratio:
        raise ValueError("image_dataset_from_directory: pad_to_aspect_ratio is not supported; use "
                         "crop_to_aspect_ratio=True or resize without keeping the aspect ratio")
    if data_format not in (None, "channels_last", "channels_first"):
        raise ValueError(f"image_dataset_from_directory: data_format must be 'channels_last' or 'channels_first', "
                         f"got {data_format!r}")
    mode, _ = _COLOR_MODES[color_mode]
    height, width = image_size

    def load(path):
        with Image.open(path) as image:
            image = image.convert(mode)
            if crop_to_aspect_ratio:
                w, h = image.size
                crop_w, crop_h = min(w, round(h * width / height)), min(h, round(w * height / width))
                left, top = (w - crop_w) // 2, (h - crop_h) // 2
                image = image.crop((left, top, left + crop_w, top + crop_h))
            array = np.asarray(image.resize((width, height), methods[interpolation]), dtype="float32")
        array = array[..., None] if array.ndim == 2 else array
        return np.moveaxis(array, -1, 0) if data_format == "channels_first" else array

    def read_batch(paths):
        return np.stack([load(p) for p in paths])

    return _from_directory(directory, labels, label_mode, class_names, IMAGE_FORMATS, read_batch, batch_size, shuffle,
                           seed, validation_split, subset, follow_links, verbose, "image_dataset_from_directory")


__all__ = ["text_dataset_from_directory", "image_dataset_from_directory", "index_directory"]
