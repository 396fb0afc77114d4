"""Local data sets with the ``keras.datasets`` interface — read from disk, never downloaded.

    from glassnet.datasets import mnist
    (x_train, y_train), (x_test, y_test) = mnist.load_data()          # uint8 arrays

Each loader takes ``path=`` (the folder holding the files); without it, it looks in
``$GLASSNET_DATA/<name>``, then ``../shared/data/<name>`` relative to the current directory
and to the repository (``locate``), and raises ``FileNotFoundError`` saying where it looked.

==================  =======================================================  ===============
module              returns                                                  folder
==================  =======================================================  ===============
``mnist``           ``load_data()`` → ((x_train, y_train), (x_test, y_test))  mnist
``fashion_mnist``   ``load_data()`` → same, clothing images                   fashion-mnist
``rt_polarity``     ``load_data()`` → (texts, labels)                         rt-polarity
``tinyshakespeare`` ``load_text()`` → str                                     tinyshakespeare
``multi30k``        ``load_data(split, source, target)`` → (src, tgt) lines   multi30k
``idx``             ``read_idx(file)`` → ndarray (the IDX format, gz or not)  —
==================  =======================================================  ===============

Keras's own data set files, read where ``keras.datasets`` caches them (``$KERAS_HOME`` or
``~/.keras``, subfolder ``datasets``), else ``$GLASSNET_DATA/<name>`` (``keras_cache``); the
same ``load_data`` signature, defaults, shuffles and return values as Keras 3.15. Pickled
content (CIFAR batches, object arrays in ``.npz``) is read by ``safe_pickle``, which refuses
anything but NumPy arrays:

======================  =========================================================  ====================================
module                  returns                                                    Keras's file in the cache
======================  =========================================================  ====================================
``cifar10``             ``load_data()`` → images (n, 32, 32, 3), labels (n, 1)     cifar-10-batches-py-target/
``cifar100``            ``load_data(label_mode)`` → same, 100 or 20 classes        cifar-100-python-target/
``imdb``                ``load_data(path, num_words, ...)``, ``get_word_index()``  imdb.npz, imdb_word_index.json
``reuters``             same + ``test_split``, ``get_label_names()``               reuters.npz, reuters_word_index.json
``boston_housing``      ``load_data(path, test_split, seed)`` → x (n, 13), y (n,)  boston_housing.npz
``california_housing``  ``load_data(version, path, test_split, seed)``             california_housing.npz
======================  =========================================================  ====================================

``mnist`` and ``fashion_mnist`` also fall back to Keras's cached ``mnist.npz`` and
``fashion-mnist/`` files.
"""
from . import fashion_mnist, idx, locate, mnist, multi30k, rt_polarity, tinyshakespeare
from .idx import read_idx
from . import boston_housing, california_housing, cifar10, cifar100, imdb, keras_cache, reuters, safe_pickle

__all__ = ["fashion_mnist", "idx", "locate", "mnist", "multi30k", "rt_polarity", "tinyshakespeare", "read_idx"]
__all__ += ["boston_housing", "california_housing", "cifar10", "cifar100", "imdb", "keras_cache", "reuters",
            "safe_pickle"]
