"""Rules of this family; see each module."""
