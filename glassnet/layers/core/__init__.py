"""Core layers: the input of a graph, the dense layer, embeddings, masking, a function as a layer."""
from .dense import Dense
from .einsum_dense import EinsumDense
from .embedding import Embedding
from .identity import Identity
from .input_layer import Input, InputLayer
from .lambda_layer import Lambda
from .masking import Masking
from .op_layer import OpLayer
from .pipeline import Pipeline
from .reversible_embedding import ReversibleEmbedding
from .wrapper import Wrapper

__all__ = ["Dense", "Embedding", "Input", "InputLayer", "Lambda", "Masking",
           "EinsumDense", "Identity", "Pipeline", "ReversibleEmbedding", "Wrapper", "OpLayer"]
