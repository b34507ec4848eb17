# corpus: NG001
"""An inference app whose preprocessing pipeline is a parameter annotated with the torchvision module
it comes from (`inference_transformer: torchvision.transforms`): a transform holds no weights and
records no graph, whatever its name says. The model runs under `no_grad`. The batch scorer below
forgets it."""
import torch
import torchvision


def get_inference(image, inference_transformer: torchvision.transforms, model: torch.nn):
    img = inference_transformer(image).view(1, 784).float()
    model.eval()
    with torch.no_grad():
        logps = model(img)
    return torch.exp(logps)


def score_images(images, inference_transformer: torchvision.transforms, model: torch.nn):
    model.eval()
    return [torch.exp(model(inference_transformer(im).view(1, 784))).argmax().item()  # expect: NG001
            for im in images]
