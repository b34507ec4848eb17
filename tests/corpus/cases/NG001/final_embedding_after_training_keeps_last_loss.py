# corpus: NG001
"""A graph autoencoder's training function records the last epoch's loss in the result object it
was given, then switches the model to eval mode and runs it once more to export embeddings as NumPy
arrays. The stored loss is the training graph's, not the final forward's: nothing backpropagates
through the export forward, so recording its graph is wasted."""
import torch
import torch.nn.functional as F


def fit_embeddings(model, graph, result, epochs=500, lr=1e-3):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        model.train()
        optimizer.zero_grad()
        z, recon = model(graph.x, graph.edge_index)
        loss = F.mse_loss(recon, graph.x)
        loss.backward()
        optimizer.step()
    model.eval()
    z, recon = model(graph.x, graph.edge_index)  # expect: NG001
    result["embedding"] = z.cpu().detach().numpy()
    result["reconstruction"] = recon.cpu().detach().numpy()
    result["loss"] = loss
    return result
