# corpus: NG001
# Acquisition functions of an active-learning sampler call `.numpy()` straight on the model's
# output. With grad on that raises ("Can't call numpy() on Tensor that requires grad"), so code
# that works runs them under its caller's `no_grad`: no finding. The same loop that detaches first
# runs fine with grad on and records a graph for every batch.
import numpy as np
import torch


class Sampler:
    def predictions(self, clf_model, loader):
        clf_model.eval()
        preds = []
        for x, _ in loader:
            probs = torch.nn.functional.softmax(clf_model(x), dim=1)
            preds.append(probs.cpu().numpy())
        return np.concatenate(preds, axis=0)

    def dropout_scores(self, clf_model, loader, passes):
        clf_model.train()
        scores = []
        for x, _ in loader:
            total = np.zeros((x.shape[0], 10))
            for _ in range(passes):
                total = total + torch.softmax(clf_model(x), dim=1).cpu().numpy()
            scores.append(total / passes)
        return scores

    def margins(self, clf_model, loader):
        clf_model.eval()
        out = []
        for x, _ in loader:  # expect: NG001
            top2 = torch.topk(clf_model(x), 2, dim=1).values.detach()
            out.append((top2[:, 0] - top2[:, 1]).cpu().numpy())
        return out
