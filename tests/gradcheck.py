"""The shared finite-difference gradient checker (it lives in ``glassnet.testing``)."""
from glassnet.testing import GradcheckError, gradcheck

__all__ = ["gradcheck", "GradcheckError"]
