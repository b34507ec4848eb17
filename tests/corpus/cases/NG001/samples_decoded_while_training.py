# corpus: NG001
# A latent diffusion training loop decodes a few samples every N steps to log them. The VAE comes
# from `from_pretrained`, which hands it back in eval mode, and nothing freezes it: the decode
# records a graph through all its weights that nothing backpropagates. The encoder pass is under
# `no_grad`, and the text encoder that is fine-tuned feeds the loss.
import torch
import torch.distributed as dist
from diffusers import AutoencoderKL
from transformers import CLIPTextModel


def train(args, denoiser, loader, opt, sample_latents, log_images):
    vae = AutoencoderKL.from_pretrained(args.vae_path).to("cuda")
    text_encoder = CLIPTextModel.from_pretrained(args.text_path).to("cuda")
    step = 0
    for epoch in range(args.epochs):
        for images, ids in loader:
            with torch.no_grad():
                latents = vae.encode(images).latent_dist.sample() * 0.18215
            context = text_encoder(ids).last_hidden_state
            loss = denoiser(latents, context).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % args.sample_every == 0:
                latents = sample_latents(denoiser, context.detach())
                decoded = vae.decode(latents / 0.18215).sample  # expect: NG001
                gathered = torch.zeros((args.world_size * decoded.shape[0], *decoded.shape[1:]))
                dist.all_gather_into_tensor(gathered, decoded)
                log_images(gathered, step)
