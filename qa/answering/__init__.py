"""A question to an answer: intent, follow-ups, retrieval, scoring candidate figures, computed and text
answers, checks."""
