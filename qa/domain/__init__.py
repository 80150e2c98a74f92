"""The domain vocabulary: fiscal items and their synonyms, printed figures and units, Chinese tokens."""
