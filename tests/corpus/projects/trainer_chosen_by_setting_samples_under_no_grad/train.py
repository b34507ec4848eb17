# corpus: NG001
"""The script picks one of the two trainers by a setting and samples pictures under
`torch.no_grad()` every few thousand iterations: `trainer` is either class, so both `sample`
methods run without grad, the one bound on the first branch too."""
import sys

import torch
from trainers import MultimodalTrainer, UnimodalTrainer

if sys.argv[1] == "multimodal":
    trainer = MultimodalTrainer()
elif sys.argv[1] == "unimodal":
    trainer = UnimodalTrainer()
else:
    sys.exit("unknown trainer")

fixed_a, fixed_b = torch.randn(4, 3, 32, 32), torch.randn(4, 3, 32, 32)
for iteration in range(100000):
    if (iteration + 1) % 5000 == 0:
        with torch.no_grad():
            pictures = trainer.sample(fixed_a, fixed_b)
        torch.save(pictures, f"sample-{iteration + 1}.pt")
