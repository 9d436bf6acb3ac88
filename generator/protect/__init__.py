"""Disclosure control: what to hide, and the proof that nothing hidden can be worked out."""
