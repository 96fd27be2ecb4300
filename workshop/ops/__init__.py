"""Op types, one module per domain area; importing this package registers them all."""

from . import cards, chantiers, emotions, facilitation, restore, structure, voting  # noqa: F401  (registration side effect)
from .base import REGISTRY, Actor, OpSpec

__all__ = ["REGISTRY", "Actor", "OpSpec"]
