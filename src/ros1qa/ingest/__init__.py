"""Reading the corpus: documents, their blocks and sentences, passages and search units, with exact offsets."""
