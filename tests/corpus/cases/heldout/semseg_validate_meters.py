# corpus: NG001, NG003
"""Segmentation train/validate with AverageMeters; validate() forgot no_grad (OOM during validation)."""
import time

import torch
import torch.nn.functional as F


class AverageMeter:
    def __init__(self):
        self.val = self.avg = self.sum = self.count = 0

    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count


def intersection_and_union(output, target, k, ignore_index=255):
    output = output.view(-1)
    target = target.view(-1)
    output[target == ignore_index] = ignore_index
    intersection = output[output == target]
    area_i = torch.histc(intersection.float(), bins=k, min=0, max=k - 1)
    area_o = torch.histc(output.float(), bins=k, min=0, max=k - 1)
    area_t = torch.histc(target.float(), bins=k, min=0, max=k - 1)
    return area_i, area_o + area_t - area_i


def train(train_loader, model, optimizer, epoch, classes):
    model.train()
    loss_meter, batch_time = AverageMeter(), AverageMeter()
    end = time.time()
    for i, (input, target) in enumerate(train_loader):
        input, target = input.cuda(non_blocking=True), target.cuda(non_blocking=True)
        output = model(input)
        loss = F.cross_entropy(output, target, ignore_index=255)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_meter.update(loss.item(), input.size(0))
        batch_time.update(time.time() - end)
        end = time.time()
    return loss_meter.avg


def validate(val_loader, model, classes):
    loss_meter = AverageMeter()
    inter_sum, union_sum = torch.zeros(classes), torch.zeros(classes)
    model.eval()
    end = time.time()
    for i, (input, target) in enumerate(val_loader):  # expect: NG001
        input = input.cuda(non_blocking=True)
        target = target.cuda(non_blocking=True)
        output = model(input)
        loss = F.cross_entropy(output, target, ignore_index=255)
        output = output.max(1)[1]
        inter, union = intersection_and_union(output, target, classes)
        inter_sum += inter.cpu()
        union_sum += union.cpu()
        loss_meter.update(loss.item(), input.size(0))
    iou = inter_sum / (union_sum + 1e-10)
    print(f"val mIoU {iou.mean():.4f} loss {loss_meter.avg:.4f} ({time.time() - end:.1f}s)")
    return loss_meter.avg, iou.mean().item()
