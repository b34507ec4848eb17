# corpus: NG001
"""A notebook-style helper tags one sentence: it puts the tagger in eval mode, runs it once with
gradients on, and returns only words and tag strings (the value model cannot type them, but the
forward's graph reaches none of them). A helper that returns the raw scores hands the graph to its
callers and is left."""
import spacy
import torch


def tag_words(model, sentence, vocab, tags):
    model.eval()
    if isinstance(sentence, str):
        words = [tok.text for tok in spacy.blank("en")(sentence)]
    else:
        words = list(sentence)
    ids = torch.LongTensor([vocab[w] for w in words]).unsqueeze(-1)
    scores = model(ids)  # expect: NG001
    best = scores.argmax(-1)
    return words, [tags[i.item()] for i in best]


def tag_scores(model, sentence, vocab):
    model.eval()
    ids = torch.LongTensor([vocab[w] for w in sentence]).unsqueeze(-1)
    scores = model(ids)
    return sentence, scores
