"""The index: the model's vectors, BM25, how questions and pages are read (spelling, glossary), the labelled
questions resolved to passages, and the build folder with its manifest."""
