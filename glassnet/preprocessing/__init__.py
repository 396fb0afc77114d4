"""Keras's ``keras.preprocessing``: the older home of the image, sequence and dataset helpers,
still used by many tutorials (``from keras.preprocessing.sequence import pad_sequences``).
Everything here is ``glassnet.utils``'s own function, under Keras's name and place."""
from ..utils import image_dataset_from_directory, text_dataset_from_directory, timeseries_dataset_from_array
from . import image, sequence

__all__ = ["image", "sequence", "image_dataset_from_directory", "text_dataset_from_directory",
           "timeseries_dataset_from_array"]
