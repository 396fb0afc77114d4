"""Preprocessing layers: text vectorization; image resizing, rescaling, normalization and augmentation.

=====================  ======================================================================
file                   layers
=====================  ======================================================================
text_vectorization.py  TextVectorization (strings → ids / multi-hot / counts / tf·idf)
image_transform.py     the shared geometry: affine_transform, resize (no layer)
base_augmentation.py   the shared image-layer bases (training-only randomness, fill modes)
random_flip.py         RandomFlip
random_translation.py  RandomTranslation
random_zoom.py         RandomZoom
random_rotation.py     RandomRotation
random_contrast.py     RandomContrast
random_brightness.py   RandomBrightness
random_crop.py         RandomCrop
colour_space.py        the colour helpers: value ranges, luma, RGB ↔ HSV, blend (no layer)
color.py               RandomGrayscale, RandomColorDegeneration, RandomSaturation, RandomHue
tone.py                RandomInvert, Solarization, RandomPosterization, AutoContrast, Equalization
filters.py             RandomSharpness, RandomGaussianBlur (a small kernel per channel, then a blend)
erasing.py             RandomErasing (and the random boxes CutMix shares)
shear.py               RandomShear;  perspective.py: RandomPerspective;  elastic.py: RandomElasticTransform
mix.py                 MixUp, CutMix (images and their labels mixed across the batch)
composite.py           RandomColorJitter, RandAugment, AugMix (made of the layers above)
resizing.py            Resizing, CenterCrop
rescaling.py           Rescaling (y = x·scale + offset)
normalization.py       Normalization (y = (x − μ)/√σ², μ and σ² from ``adapt``)
category_encoding.py   CategoryEncoding (ids → one-hot / multi-hot / counts; the shared encoder)
discretization.py      Discretization (numbers → bin index; quantile bins from ``adapt``)
index_lookup.py        the shared vocabulary and lookup (StringLookup, IntegerLookup, TextVectorization)
string_lookup.py       StringLookup;  integer_lookup.py: IntegerLookup
fingerprint.py         TF's hashes in Python: FarmHash Fingerprint64, SipHash-2-4, FingerprintCat64
hashing.py             Hashing;  hashed_crossing.py: HashedCrossing
=====================  ======================================================================
"""
from .normalization import Normalization
from .random_brightness import RandomBrightness
from .random_contrast import RandomContrast
from .random_crop import RandomCrop
from .random_flip import RandomFlip
from .random_rotation import RandomRotation
from .random_translation import RandomTranslation
from .random_zoom import RandomZoom
from .rescaling import Rescaling
from .resizing import CenterCrop, Resizing
from .text_vectorization import TextVectorization
from .category_encoding import CategoryEncoding
from .discretization import Discretization
from .hashed_crossing import HashedCrossing
from .hashing import Hashing
from .integer_lookup import IntegerLookup
from .string_lookup import StringLookup
from .color import RandomColorDegeneration, RandomGrayscale, RandomHue, RandomSaturation
from .composite import AugMix, RandAugment, RandomColorJitter
from .tone import AutoContrast, Equalization, RandomInvert, RandomPosterization, Solarization
from .elastic import RandomElasticTransform
from .erasing import RandomErasing
from .filters import RandomGaussianBlur, RandomSharpness
from .mix import CutMix, MixUp
from .perspective import RandomPerspective
from .shear import RandomShear

__all__ = ["TextVectorization", "RandomFlip", "RandomTranslation", "RandomZoom", "RandomRotation", "RandomContrast",
           "RandomBrightness", "RandomCrop", "Rescaling", "Normalization", "Resizing", "CenterCrop"]
__all__ += ["RandomGrayscale", "RandomColorDegeneration", "RandomSaturation", "RandomHue", "RandomColorJitter",
            "RandomInvert", "Solarization", "RandomPosterization", "AutoContrast", "Equalization",
            "RandomSharpness", "RandomGaussianBlur", "RandomErasing", "RandomShear", "RandomPerspective", "MixUp",
            "CutMix", "RandAugment", "AugMix", "RandomElasticTransform"]
__all__ += ["CategoryEncoding", "Discretization", "StringLookup", "IntegerLookup", "Hashing", "HashedCrossing"]
