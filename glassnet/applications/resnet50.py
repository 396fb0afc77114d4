"""``keras.applications.resnet50``: ResNet50 with its preprocessing ("caffe" mode) and decoding.

The model is built in ``resnet.py`` (ResNet50, ResNet101 and ResNet152 share its block builder).
"""
from .resnet import ResNet50, decode_predictions, preprocess_input

__all__ = ["ResNet50", "preprocess_input", "decode_predictions"]
