# corpus: NG010, NG004
"""Freezing by parameter name on a vision transformer."""
import timm


def make_vit(num_classes=100, train_blocks=2):
    model = timm.create_model("vit_small_patch16_224", pretrained=False, num_classes=num_classes)
    n_blocks = len(model.blocks)
    for name, param in model.named_parameters():
        trainable = name.startswith("head") or any(name.startswith(f"blocks.{i}.") for i in range(n_blocks - train_blocks, n_blocks))
        param.requires_grad = trainable
    model.pos_embed.requires_grad = False
    model.cls_token.requires_grad = False
    return model
