"""The NLP toolkit: tokenise, remove stop words, stem, lemmatise, vectorise, embed, score.

Each piece is one file named after its concept: ``tokenize.py``, ``bpe.py``,
``porter.py``, ``lemmatize.py``, ``stopwords.py``, ``vectorize.py``, ``tfidf.py``, ``word2vec.py``,
``bleu.py``.
"""

# --- tokenisation, BPE, stemming, lemmatisation (section A) ---
from .tokenize import (char_ngrams, char_tokenize, ngrams, sent_tokenize, word_ngrams,
                       word_tokenize)
from .bpe import BPETokenizer, BytePairEncoding
from .porter import PorterStemmer
from .lemmatize import Lemmatizer, lemmatize

# --- stop words, vectorisers, word2vec, BLEU (section B) ---
from .stopwords import ENGLISH_STOP_WORDS, StopWords
from .vectorize import CountVectorizer, CourseTfidf, TfidfVectorizer
from .word2vec import KeyedVectors, Word2Vec
from .bleu import BLEUScore, corpus_bleu, sentence_bleu, tokenize_13a
