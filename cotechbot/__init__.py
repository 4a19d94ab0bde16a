"""cotechbot: an organising assistant for CoTech's Discourse forum and Loomio."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cotechbot")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
