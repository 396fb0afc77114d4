"""``keras.config``'s settings, by Keras's names: the default float dtype, the fuzz factor
ε and the image data format. They live in ``glassnet.backend``; this module only gives
them the names Keras code calls (``keras.config.set_floatx("float64")``)."""
from .backend import epsilon, floatx, image_data_format, set_epsilon, set_floatx, set_image_data_format

__all__ = ["floatx", "set_floatx", "epsilon", "set_epsilon", "image_data_format", "set_image_data_format"]
