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
"""
from . import fashion_mnist, idx, locate, mnist, multi30k, rt_polarity, tinyshakespeare
from .idx import read_idx

__all__ = ["fashion_mnist", "idx", "locate", "mnist", "multi30k", "rt_polarity", "tinyshakespeare", "read_idx"]
