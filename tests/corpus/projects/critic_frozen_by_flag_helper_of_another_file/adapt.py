# corpus: NG001
import torch
from torch.autograd import Variable

from helpers import lock, toggle_trainable


def adapt(encoder, critic, classifier, pairs, critic_opt, clf_opt, rounds):
    for src, tgt, labels in pairs:
        # The encoder is frozen for the critic's rounds: the volatile inputs ask for no graph,
        # and with its weights frozen none is recorded, so this is no forgotten no_grad.
        toggle_trainable(encoder, trainable=False)
        toggle_trainable(critic, True)
        h_src = encoder(Variable(src, volatile=True)).data
        h_tgt = encoder(Variable(tgt, volatile=True)).data
        for _ in range(rounds):
            gap = critic(h_src).mean() - critic(h_tgt).mean()
            critic_opt.zero_grad()
            (-gap).backward()
            critic_opt.step()
        toggle_trainable(encoder, trainable=True)
        toggle_trainable(critic, False)
        feats = encoder(src)
        loss = torch.nn.functional.cross_entropy(classifier(feats), labels) + critic(feats).mean()
        clf_opt.zero_grad()
        loss.backward()
        clf_opt.step()


def embed_locked(encoder, batches):
    # `lock` defaults its flag to False: the encoder is frozen before the volatile forwards.
    lock(encoder)
    return [encoder(Variable(b, volatile=True)).data for b in batches]


def embed_unlocked(encoder, batches):
    # Passing True makes it trainable: these forwards record a graph nobody wants.
    toggle_trainable(encoder, trainable=True)
    out = []
    for b in batches:  # expect: NG001
        out.append(encoder(Variable(b, volatile=True)).data)
    return out
