# corpus: NG006
import torch

model = torch.nn.Linear(8, 2).eval()
torch.inference_mode().__enter__()  # expect: NG006
predictions = [model(torch.randn(1, 8)) for _ in range(4)]

guard = torch.inference_mode()
guard.__enter__()
more = [model(torch.randn(1, 8)) for _ in range(4)]
guard.__exit__(None, None, None)

torch.no_grad().__enter__()
rest = [model(torch.randn(1, 8)) for _ in range(4)]
