# corpus: NG001
"""A script that gets its network from the project and never imports torch itself."""
from classifier_zoo import build_classifier, load_batches


def evaluate(checkpoint):
    net = build_classifier(checkpoint)
    net.eval()
    correct = total = 0
    for images, labels in load_batches("val"):  # expect: NG001
        correct += (net(images).argmax(1) == labels).sum().item()
        total += len(labels)
    return correct / total


def validate(net, batches):
    # named like evaluation, but nothing says `net` is a torch model here
    return [net(b) for b in batches]
