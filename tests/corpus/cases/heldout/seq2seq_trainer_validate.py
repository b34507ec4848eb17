# corpus: NG001, NG012, NG003
"""OpenNMT-like Trainer: validate() forgot no_grad but does restore train mode."""
import torch


class Statistics:
    def __init__(self, loss=0.0, n_words=0, n_correct=0):
        self.loss, self.n_words, self.n_correct = loss, n_words, n_correct

    def update(self, other):
        self.loss += other.loss
        self.n_words += other.n_words
        self.n_correct += other.n_correct


class Trainer:
    def __init__(self, model, train_loss, valid_loss, optim, grad_accum_count=1):
        self.model = model
        self.train_loss = train_loss
        self.valid_loss = valid_loss
        self.optim = optim
        self.grad_accum_count = grad_accum_count

    def validate(self, valid_iter):
        self.model.eval()
        stats = Statistics()
        for batch in valid_iter:  # expect: NG001
            src, src_lengths = batch.src
            tgt = batch.tgt
            outputs, attns = self.model(src, tgt, src_lengths)
            batch_stats = self.valid_loss(batch, outputs, attns)
            stats.update(batch_stats)
        self.model.train()
        return stats

    def _gradient_accumulation(self, true_batches, total_stats):
        self.optim.zero_grad()
        for batch in true_batches:
            src, src_lengths = batch.src
            outputs, attns = self.model(src, batch.tgt, src_lengths)
            loss, batch_stats = self.train_loss(batch, outputs, attns)
            loss.div(self.grad_accum_count).backward()
            total_stats.update(batch_stats)
        self.optim.step()

    def train(self, train_iter, valid_iter, train_steps, valid_steps):
        total_stats = Statistics()
        step, buffer = 0, []
        self.model.train()
        for batch in train_iter:
            buffer.append(batch)
            if len(buffer) < self.grad_accum_count:
                continue
            self._gradient_accumulation(buffer, total_stats)
            buffer = []
            step += 1
            if step % valid_steps == 0:
                valid_stats = self.validate(valid_iter)
                print(f"step {step}: valid loss {valid_stats.loss / max(valid_stats.n_words, 1):.4f}")
            if step >= train_steps:
                break
        return total_stats
